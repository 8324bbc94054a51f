/* version.c — `improve version` (also `improve --version`). */
#include "cmd/cli.h"
#include "core/err.h"
#include "store/store.h"

#include <stdio.h>

#ifndef IMPROVE_VERSION
#define IMPROVE_VERSION "0.0.0"
#endif

static int run(int argc, char **argv);

const struct command command_version = {
    .name = "version",
    .run = run,
    .summary = "Print the version of improve and of its database schema.",
    .usage = "improve version",
    .help = "Example:\n  improve --version\n",
};

static int run(int argc, char **argv)
{
        int code;
        if (!cli_parse(&command_version, argc, argv, NULL, NULL, &code))
                return code;
        printf("improve %s (database schema %d)\n", IMPROVE_VERSION, store_schema_latest());
        return EXIT_OK;
}
