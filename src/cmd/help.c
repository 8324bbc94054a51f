/* help.c — `improve help [COMMAND]`: the command list, exit codes and conventions. */
#include "cmd/cli.h"
#include "core/err.h"

#include <stdio.h>
#include <string.h>

static int run(int argc, char **argv);

const struct command command_help = {
    .name = "help",
    .run = run,
    .summary = "List the commands, or show one command's help.",
    .usage = "improve help [COMMAND]",
    .help = "Examples:\n  improve help\n  improve help init   (the same as: improve init --help)\n",
};

static int run(int argc, char **argv)
{
        struct cli_list pos = {0};
        int code;
        if (!cli_parse(&command_help, argc, argv, NULL, &pos, &code)) {
                cli_list_release(&pos);
                return code;
        }
        const struct command *const *cmds = cli.commands;
        if (!cmds)
                return EXIT_INTERNAL;
        if (pos.n > 0) {
                for (size_t i = 0; cmds[i]; i++) {
                        if (strcmp(cmds[i]->name, pos.v[0]) == 0) {
                                char *av[] = {(char *)cmds[i]->name, "--help", NULL};
                                cli_list_release(&pos);
                                return cmds[i]->run(2, av);
                        }
                }
                code = cli_usage_error(&command_help, "'%s' is not a command", pos.v[0]);
                cli_list_release(&pos);
                return code;
        }
        cli_list_release(&pos);
        printf("improve — a framework for improvement in children's services\n"
               "\n"
               "usage: improve [--db PATH] [-q|-v] <command> [options]\n"
               "\n"
               "Commands:\n");
        for (size_t i = 0; cmds[i]; i++)
                printf("  %-10s %s\n", cmds[i]->name, cmds[i]->summary);
        printf("\n"
               "Global options (before or after the command):\n"
               "  --db PATH       the database (default ./improve.db; also $IMPROVE_DB)\n"
               "  -q, --quiet     only errors on stderr\n"
               "  -v, --verbose   more detail on stderr\n"
               "  --version       print the version\n"
               "\n"
               "Conventions:\n"
               "  years     a year is the collection year ending on 31 March: 2026 means\n"
               "            1 April 2025 to 31 March 2026; a period is the ISO date of its end\n"
               "  LAs       authorities are named by their 3-digit code (--la 202)\n"
               "  options   options taking several values are repeated (--measure a --measure b);\n"
               "            positional arguments are paths\n"
               "\n"
               "Exit codes:\n"
               "  0  success\n"
               "  1  the job ran and found problems (for example validation errors)\n"
               "  2  usage error (the bad flag is named and the usage line printed)\n"
               "  3  unreadable or malformed input (FILE:LINE: what was wrong); nothing imported\n"
               "  4  internal error\n"
               "\n"
               "Run 'improve <command> --help' for a command's options and examples.\n");
        return EXIT_OK;
}
