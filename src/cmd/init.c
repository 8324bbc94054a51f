/* init.c — `improve init`: create a database, or bring an existing one up to date. */
#include "cmd/cli.h"
#include "core/err.h"
#include "store/store.h"

#include <stdio.h>
#include <sys/stat.h>

static int run(int argc, char **argv);

const struct command command_init = {
    .name = "init",
    .run = run,
    .summary = "Create a database (or apply pending schema migrations to one).",
    .usage = "improve init [--db PATH]",
    .help = "Creates the SQLite database at PATH (default ./improve.db) with the current\n"
            "schema, in WAL mode with foreign keys on.  Run on an existing database it\n"
            "applies any schema migrations that are still pending and says so; a database\n"
            "written by a newer version of improve is refused and left unchanged.\n"
            "\n"
            "Examples:\n"
            "  improve init\n"
            "  improve init --db /srv/improve/region.db\n",
};

static int run(int argc, char **argv)
{
        int code;
        if (!cli_parse(&command_init, argc, argv, NULL, NULL, &code))
                return code;
        struct stat sb;
        int existed = stat(cli.db, &sb) == 0;
        struct err e = {0};
        struct store *s = store_open(cli.db, STORE_CREATE, &e);
        if (!s)
                return cli_report(&e);
        int version = store_schema_version(s);
        int applied = store_migrations_applied(s);
        store_close(s);
        if (!existed)
                printf("created %s (schema version %d)\n", cli.db, version);
        else if (applied)
                printf("upgraded %s to schema version %d (%d migration%s applied)\n", cli.db,
                       version, applied, applied == 1 ? "" : "s");
        else
                printf("%s is up to date (schema version %d)\n", cli.db, version);
        return EXIT_OK;
}
