/*
 * demo.c — `improve demo`: the main job on synthetic data, end to end.
 *
 * Each step does real work or is not shown.  Steps are added as their issues
 * land: generate the synthetic region (issue 3), import it (issue 4), compute
 * the measures (issue 5), serve the pages (issue 7).
 */
#include "cmd/cli.h"
#include "core/err.h"
#include "store/store.h"

#include <stdio.h>

static int run(int argc, char **argv);

const struct command command_demo = {
    .name = "demo",
    .run = run,
    .summary = "Run the main job on a synthetic region (for trying improve out).",
    .usage = "improve demo [--db PATH]",
    .help = "Creates the demo database (default ./demo.db unless --db is given) and runs\n"
            "every step of the main job that this version implements on synthetic data.\n"
            "No real child's data is involved.\n"
            "\n"
            "Example:\n  improve demo\n",
};

static int run(int argc, char **argv)
{
        const char *db = NULL;
        const struct cli_opt opts[] = {{0}};
        int code;
        const char *before = cli.db;
        if (!cli_parse(&command_demo, argc, argv, opts, NULL, &code))
                return code;
        db = cli.db != before ? cli.db : "./demo.db";
        struct err e = {0};
        struct store *s = store_open(db, STORE_CREATE, &e);
        if (!s)
                return cli_report(&e);
        printf("demo: database %s ready (schema version %d)\n", db, store_schema_version(s));
        store_close(s);
        printf("demo: not yet implemented in this version, so not run:\n"
               "  - generate the synthetic region into ./demo-data/ (improve synth)\n"
               "  - import its returns and validate them (improve import)\n"
               "  - compute and benchmark the measures (improve measures)\n"
               "  - serve the scorecard (improve serve)\n");
        return EXIT_OK;
}
