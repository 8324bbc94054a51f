/*
 * demo.c — `improve demo`: the main job on a synthetic region, end to end.
 *
 * The demo runs the same commands a user would, in order, through their
 * command-table entries, so what it shows is exactly what those commands do.
 * Every step does real work; steps whose issues have not landed are listed
 * as not yet available rather than pretended.  Steps are added as they land:
 * generate the region (issue 3), import it (issues 4 and 5), compute the
 * measures (issue 5), serve the pages (issue 7).
 */
#include "cmd/cli.h"
#include "core/err.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

extern const struct command command_synth;
extern const struct command command_import;

static int run(int argc, char **argv);

const struct command command_demo = {
    .name = "demo",
    .run = run,
    .summary = "Run the main job on a synthetic region (for trying improve out).",
    .usage = "improve demo [--db PATH] [--data DIR]",
    .help = "Generates the default synthetic region into DIR (default ./demo-data) unless it\n"
            "is already there, then loads it into the demo database (default ./demo.db\n"
            "unless --db is given) and runs every step of the main job that this version\n"
            "implements.  No real child's data is involved.\n"
            "\n"
            "Options:\n"
            "  --data DIR   where the synthetic region is (or is written)\n"
            "\n"
            "Example:\n  improve demo\n",
};

/* Run another command with the arguments given, as `improve <argv...>` would. */
static int step(const struct command *cmd, const char *what, char **argv)
{
        int argc = 0;
        while (argv[argc])
                argc++;
        printf("demo: %s\n", what);
        fflush(stdout);
        int rc = cmd->run(argc, argv);
        fflush(stdout);
        if (rc != EXIT_OK)
                fprintf(stderr, "improve demo: step failed (exit %d): %s\n", rc, what);
        return rc;
}

static int run(int argc, char **argv)
{
        const char *data = "./demo-data";
        const char *before = cli.db;
        const struct cli_opt opts[] = {{"data", 0, CLI_VALUE, &data}, {0}};
        int code;
        if (!cli_parse(&command_demo, argc, argv, opts, NULL, &code))
                return code;
        static char db[4096];
        snprintf(db, sizeof db, "%s", cli.db != before ? cli.db : "./demo.db");
        cli.db = db;

        char marker[4096];
        snprintf(marker, sizeof marker, "%s/authorities.csv", data);
        struct stat sb;
        if (stat(marker, &sb) != 0) {
                char *av[] = {"synth", "--out", (char *)data, NULL};
                if ((code = step(&command_synth, "generating the synthetic region", av)))
                        return code;
        } else {
                printf("demo: using the synthetic region already in %s\n", data);
        }

        char authorities[4096], populations[4096];
        snprintf(authorities, sizeof authorities, "%s/authorities.csv", data);
        snprintf(populations, sizeof populations, "%s/populations.csv", data);
        char *a1[] = {"import", "authorities", authorities, NULL};
        if ((code = step(&command_import, "importing the authorities and neighbours", a1)))
                return code;
        char *a2[] = {"import", "populations", populations, NULL};
        if ((code = step(&command_import, "importing the populations aged 0-17", a2)))
                return code;

        printf("demo: database %s is ready\n"
               "demo: not yet available in this version, so not run:\n"
               "  - import and validate the returns (improve import --la CODE)\n"
               "  - compute and benchmark the measures (improve measures)\n"
               "  - serve the scorecard (improve serve)\n",
               db);
        return EXIT_OK;
}
