/*
 * main.c — the `improve` command: global options and the one command table.
 *
 * Each command lives in src/cmd/<name>.c and exports `command_<name>`; to add
 * one, write that file and add it to the table below.  main() only finds the
 * command, handles `--version`/`help`, and turns what the command returns
 * into the exit code.  Commands never call exit(); only this file ends the
 * program.
 */
#include "cmd/cli.h"
#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct command command_help;
extern const struct command command_version;
extern const struct command command_init;
extern const struct command command_backup;
extern const struct command command_demo;
extern const struct command command_import;
extern const struct command command_synth;
extern const struct command command_spc;
extern const struct command command_target;
extern const struct command command_forecast;
extern const struct command command_validate;
extern const struct command command_rules;
extern const struct command command_imports;
extern const struct command command_serve;
extern const struct command command_user;
extern const struct command command_event;
extern const struct command command_impact;
extern const struct command command_measures;

/* The command table, in the order `improve help` lists them. */
/* clang-format off */
static const struct command *const commands[] = {
        &command_init,
        &command_backup,
        &command_import,
        &command_imports,
        &command_validate,
        &command_measures,
        &command_rules,
        &command_demo,
        &command_synth,
        &command_spc,
        &command_target,
        &command_forecast,
        &command_event,
        &command_impact,
        &command_serve,
        &command_user,
        &command_help,
        &command_version,
        NULL,
};
/* clang-format on */

static const struct command *find(const char *name)
{
        for (size_t i = 0; commands[i]; i++)
                if (strcmp(commands[i]->name, name) == 0)
                        return commands[i];
        return NULL;
}

int main(int argc, char **argv)
{
        cli.commands = commands;
        cli.db = getenv("IMPROVE_DB");
        if (!cli.db || !*cli.db)
                cli.db = "./improve.db";

        /* Global options may come before the command; the command's own parser accepts them after
         * it. */
        int i = 1;
        for (; i < argc; i++) {
                const char *a = argv[i];
                if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
                        cli.verbosity = -1;
                } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
                        cli.verbosity = 1;
                } else if (strcmp(a, "--db") == 0) {
                        if (i + 1 >= argc) {
                                fprintf(stderr,
                                        "improve: option '--db' needs a value\n"
                                        "usage: improve [--db PATH] [-q|-v] <command> [options]\n");
                                return EXIT_USAGE;
                        }
                        cli.db = argv[++i];
                } else if (strncmp(a, "--db=", 5) == 0) {
                        cli.db = a + 5;
                } else if (strcmp(a, "--version") == 0) {
                        return command_version.run(1, (char *[]){"version", NULL});
                } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
                        return command_help.run(1, (char *[]){"help", NULL});
                } else {
                        break;
                }
        }
        if (i >= argc) {
                command_help.run(1, (char *[]){"help", NULL});
                return EXIT_USAGE;
        }
        const struct command *cmd = find(argv[i]);
        if (!cmd) {
                if (argv[i][0] == '-')
                        fprintf(stderr, "improve: unknown option '%s'\n", argv[i]);
                else
                        fprintf(stderr, "improve: '%s' is not a command\n", argv[i]);
                fprintf(stderr, "usage: improve [--db PATH] [-q|-v] <command> [options]\n"
                                "Run 'improve help' for the list of commands.\n");
                return EXIT_USAGE;
        }
        int rc = cmd->run(argc - i, argv + i);
        if (fflush(stdout) != 0 || ferror(stdout)) {
                fprintf(stderr, "improve: error writing output\n");
                return rc ? rc : EXIT_INTERNAL;
        }
        return rc;
}
