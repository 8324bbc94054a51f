/*
 * cli.h — what every command shares: the command table entry, option parsing,
 * messages and the global options (--db, -q/--quiet, -v/--verbose, --help).
 *
 * A command is one file, src/cmd/<name>.c, exporting `const struct command
 * command_<name>` (its name, entry point, usage line and help text) and
 * listed once in the table in src/main.c.  Its entry point parses its own
 * options with cli_parse(), which also accepts the global options anywhere on
 * the line, so `improve init --db x.db` and `improve --db x.db init` agree.
 */
#ifndef IMPROVE_CLI_H
#define IMPROVE_CLI_H

#include <stddef.h>

struct err;

struct command {
        const char *name;
        int (*run)(int argc, char **argv); /* argv[0] is the command name */
        const char *summary;               /* one line for `improve help` */
        const char *usage;                 /* "improve init [--db PATH]" */
        const char *help;                  /* what it does, options, examples */
};

/* Global options, set by main() and by cli_parse(). */
struct cli_globals {
        const char *db; /* --db, else $IMPROVE_DB, else ./improve.db */
        int verbosity;  /* -1 quiet, 0 normal, 1 verbose */
        /* The command table (main.c sets it; `help` lists it), NULL-terminated. */
        const struct command *const *commands;
};
extern struct cli_globals cli;

/* A list of strings: repeated options and positional arguments. */
struct cli_list {
        const char **v;
        size_t n;
        size_t cap;
};
void cli_list_push(struct cli_list *l, const char *s);
void cli_list_release(struct cli_list *l);

enum cli_opt_kind {
        CLI_FLAG,  /* no value; *(int *)target = 1 */
        CLI_VALUE, /* one value; *(const char **)target = value (last one wins) */
        CLI_MULTI, /* repeatable; cli_list_push((struct cli_list *)target, value) */
};

struct cli_opt {
        const char *name; /* long name without dashes, e.g. "out" */
        char short_name;  /* 0 if none */
        enum cli_opt_kind kind;
        void *target;
};

/*
 * Parse argv[1..] for `cmd`.  Options are `--name value`, `--name=value`,
 * `-x value`; `--` ends options.  Other arguments go to `positional` (may be
 * NULL when the command takes none).  Returns 1 when the command should go
 * on; otherwise 0 with *exit_code set: EXIT_OK after printing --help, or
 * EXIT_USAGE after naming the bad flag and printing the usage line.
 */
int cli_parse(const struct command *cmd, int argc, char **argv, const struct cli_opt *opts,
              struct cli_list *positional, int *exit_code);

/* Print "improve CMD: MESSAGE" and the usage line; returns EXIT_USAGE. */
int cli_usage_error(const struct command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Parse a whole number in [min, max] given to option `name`; usage error otherwise. */
int cli_int(const struct command *cmd, const char *name, const char *text, long min, long max,
            long *out);
/* Parse a number (double) in [min, max]. */
int cli_double(const struct command *cmd, const char *name, const char *text, double min,
               double max, double *out);
/* Check an authority code: exactly three digits. */
int cli_la_code(const struct command *cmd, const char *name, const char *text);

/* Messages to stderr.  info is silenced by -q, verbose needs -v.  Errors always print. */
void cli_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print an error value as "improve: MESSAGE" and return its exit code (4 if unset). */
int cli_report(const struct err *e);

/* Write a finished output to stdout, or to `out_path` (--out) when given; a write failure is
 * reported like any other error.  Returns an exit code. */
struct buf;
int cli_deliver(const struct buf *b, const char *out_path);

/* Long jobs: progress on stderr, only when stderr is a terminal and not quiet. */
struct cli_progress {
        const char *label;
        unsigned long long total; /* 0 if unknown */
        unsigned long long done;
        double last_shown;
        int on;
};
void cli_progress_start(struct cli_progress *p, const char *label, unsigned long long total);
void cli_progress_update(struct cli_progress *p, unsigned long long done);
void cli_progress_end(struct cli_progress *p);

#endif
