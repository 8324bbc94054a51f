/* cli.c — option parsing, messages and progress shared by every command (see cli.h). */
#include "cmd/cli.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct cli_globals cli = {"./improve.db", 0, NULL};

void cli_list_push(struct cli_list *l, const char *s)
{
        l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
        l->v[l->n++] = s;
}

void cli_list_release(struct cli_list *l)
{
        free(l->v);
        l->v = NULL;
        l->n = l->cap = 0;
}

int cli_usage_error(const struct command *cmd, const char *fmt, ...)
{
        va_list ap;
        fprintf(stderr, "improve %s: ", cmd->name);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fprintf(stderr, "\nusage: %s\nRun 'improve %s --help' for details.\n", cmd->usage,
                cmd->name);
        return EXIT_USAGE;
}

static void print_help(const struct command *cmd)
{
        printf("usage: %s\n\n%s\n", cmd->usage, cmd->summary);
        if (cmd->help && *cmd->help)
                printf("\n%s", cmd->help);
        printf("\nGlobal options (anywhere on the line):\n"
               "  --db PATH       the database (default ./improve.db, or $IMPROVE_DB)\n"
               "  -q, --quiet     only errors on stderr\n"
               "  -v, --verbose   more detail on stderr\n"
               "  -h, --help      this help\n");
}

static const struct cli_opt *find_long(const struct cli_opt *opts, const char *name, size_t n)
{
        for (const struct cli_opt *o = opts; o && o->name; o++)
                if (strlen(o->name) == n && strncmp(o->name, name, n) == 0)
                        return o;
        return NULL;
}

static const struct cli_opt *find_short(const struct cli_opt *opts, char c)
{
        for (const struct cli_opt *o = opts; o && o->name; o++)
                if (o->short_name && o->short_name == c)
                        return o;
        return NULL;
}

static void store_value(const struct cli_opt *o, const char *value)
{
        switch (o->kind) {
        case CLI_FLAG:
                *(int *)o->target = 1;
                break;
        case CLI_VALUE:
                *(const char **)o->target = value;
                break;
        case CLI_MULTI:
                cli_list_push((struct cli_list *)o->target, value);
                break;
        }
}

int cli_parse(const struct command *cmd, int argc, char **argv, const struct cli_opt *opts,
              struct cli_list *positional, int *exit_code)
{
        int only_positional = 0;
        for (int i = 1; i < argc; i++) {
                const char *a = argv[i];
                if (only_positional || a[0] != '-' || a[1] == '\0') {
                        if (!positional) {
                                *exit_code = cli_usage_error(cmd, "unexpected argument '%s'", a);
                                return 0;
                        }
                        cli_list_push(positional, a);
                        continue;
                }
                if (strcmp(a, "--") == 0) {
                        only_positional = 1;
                        continue;
                }
                if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
                        print_help(cmd);
                        *exit_code = EXIT_OK;
                        return 0;
                }
                if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
                        cli.verbosity = -1;
                        continue;
                }
                if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
                        cli.verbosity = 1;
                        continue;
                }
                const struct cli_opt *o;
                const char *value = NULL;
                const char *shown = a;
                char shortname[3] = "-?";
                if (a[1] == '-') {
                        const char *name = a + 2;
                        const char *eq = strchr(name, '=');
                        size_t n = eq ? (size_t)(eq - name) : strlen(name);
                        if (n == 2 && strncmp(name, "db", 2) == 0) {
                                static const struct cli_opt db = {"db", 0, CLI_VALUE, &cli.db};
                                o = &db;
                        } else {
                                o = find_long(opts, name, n);
                        }
                        if (!o) {
                                *exit_code =
                                    cli_usage_error(cmd, "unknown option '%.*s'", (int)(n + 2), a);
                                return 0;
                        }
                        if (eq) {
                                if (o->kind == CLI_FLAG) {
                                        *exit_code = cli_usage_error(
                                            cmd, "option '--%s' takes no value", o->name);
                                        return 0;
                                }
                                value = eq + 1;
                        }
                } else {
                        o = find_short(opts, a[1]);
                        shortname[1] = a[1];
                        shown = shortname;
                        if (!o || a[2] != '\0') {
                                *exit_code = cli_usage_error(cmd, "unknown option '%s'", a);
                                return 0;
                        }
                }
                if (o->kind != CLI_FLAG && !value) {
                        if (i + 1 >= argc) {
                                *exit_code =
                                    cli_usage_error(cmd, "option '%s' needs a value", shown);
                                return 0;
                        }
                        value = argv[++i];
                }
                store_value(o, value);
        }
        return 1;
}

int cli_int(const struct command *cmd, const char *name, const char *text, long min, long max,
            long *out)
{
        char *end;
        errno = 0;
        long v = strtol(text, &end, 10);
        if (errno || end == text || *end != '\0' || isspace((unsigned char)text[0]))
                return cli_usage_error(cmd, "option '--%s' needs a whole number, not '%s'", name,
                                       text);
        if (v < min || v > max)
                return cli_usage_error(cmd, "option '--%s' must be between %ld and %ld, not %ld",
                                       name, min, max, v);
        *out = v;
        return 0;
}

int cli_double(const struct command *cmd, const char *name, const char *text, double min,
               double max, double *out)
{
        char *end;
        errno = 0;
        double v = strtod(text, &end);
        if (errno || end == text || *end != '\0' || !isfinite(v) || isspace((unsigned char)text[0]))
                return cli_usage_error(cmd, "option '--%s' needs a number, not '%s'", name, text);
        if (v < min || v > max)
                return cli_usage_error(cmd, "option '--%s' must be between %g and %g, not %g", name,
                                       min, max, v);
        *out = v;
        return 0;
}

int cli_la_code(const struct command *cmd, const char *name, const char *text)
{
        if (strlen(text) == 3 && isdigit((unsigned char)text[0]) &&
            isdigit((unsigned char)text[1]) && isdigit((unsigned char)text[2]))
                return 0;
        return cli_usage_error(cmd,
                               "option '--%s' needs an authority's 3-digit code (e.g. 202), "
                               "not '%s'",
                               name, text);
}

static void vmsg(const char *fmt, va_list ap)
{
        fputs("improve: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
}

void cli_info(const char *fmt, ...)
{
        if (cli.verbosity < 0)
                return;
        va_list ap;
        va_start(ap, fmt);
        vmsg(fmt, ap);
        va_end(ap);
}

void cli_verbose(const char *fmt, ...)
{
        if (cli.verbosity < 1)
                return;
        va_list ap;
        va_start(ap, fmt);
        vmsg(fmt, ap);
        va_end(ap);
}

void cli_warn(const char *fmt, ...)
{
        va_list ap;
        fputs("improve: warning: ", stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
}

int cli_report(const struct err *e)
{
        int code = e->code ? e->code : EXIT_INTERNAL;
        fprintf(stderr, "improve: %s\n", e->msg[0] ? e->msg : "internal error");
        return code;
}

static double now_seconds(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_start(struct cli_progress *p, const char *label, unsigned long long total)
{
        p->label = label;
        p->total = total;
        p->done = 0;
        p->last_shown = 0;
        p->on = cli.verbosity >= 0 && isatty(STDERR_FILENO);
}

void cli_progress_update(struct cli_progress *p, unsigned long long done)
{
        p->done = done;
        if (!p->on)
                return;
        double t = now_seconds();
        if (t - p->last_shown < 0.2)
                return;
        p->last_shown = t;
        if (p->total)
                fprintf(stderr, "\r%s: %llu/%llu (%.0f%%)", p->label, done, p->total,
                        100.0 * (double)done / (double)p->total);
        else
                fprintf(stderr, "\r%s: %llu", p->label, done);
}

void cli_progress_end(struct cli_progress *p)
{
        if (p->on)
                fprintf(stderr, "\r\033[K");
        p->on = 0;
}

int cli_deliver(const struct buf *b, const char *out_path)
{
        if (!out_path) {
                fwrite(b->data, 1, b->len, stdout);
                return EXIT_OK;
        }
        struct err e = {0};
        FILE *f = fopen(out_path, "wb");
        if (!f) {
                err_at(&e, out_path, 0, "cannot write: %s", strerror(errno));
                return cli_report(&e);
        }
        size_t w = fwrite(b->data, 1, b->len, f);
        int bad = w != b->len || ferror(f);
        if (fclose(f) != 0 || bad) {
                err_at(&e, out_path, 0, "cannot write: %s", strerror(errno));
                return cli_report(&e);
        }
        cli_verbose("wrote %s", out_path);
        return EXIT_OK;
}
