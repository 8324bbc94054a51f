/* backup.c — `improve backup`: a consistent copy of the database, safe while it is in use. */
#include "cmd/cli.h"
#include "core/err.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

static int run(int argc, char **argv);

const struct command command_backup = {
    .name = "backup",
    .run = run,
    .summary = "Copy the database consistently, even while it is in use.",
    .usage = "improve backup [--db PATH] --to PATH",
    .help = "Writes a complete, consistent copy of the database to the --to path using\n"
            "SQLite's online backup, so the server and imports can keep running.  The\n"
            "copy is written beside the target and renamed into place when complete: the\n"
            "target is never left half-written.  An existing file at --to is replaced.\n"
            "\n"
            "Options:\n"
            "  --to PATH   where to write the copy (required; must differ from --db)\n"
            "\n"
            "Examples:\n"
            "  improve backup --to backups/improve-2026-03-31.db\n"
            "  IMPROVE_DB=/srv/improve/region.db improve backup --to /mnt/backup/region.db\n",
};

static void show(void *ctx, long done, long total)
{
        cli_progress_update(ctx, (unsigned long long)(done < 0 ? 0 : done));
        ((struct cli_progress *)ctx)->total = (unsigned long long)(total < 0 ? 0 : total);
}

static int run(int argc, char **argv)
{
        const char *to = NULL;
        const struct cli_opt opts[] = {{"to", 0, CLI_VALUE, &to}, {0}};
        int code;
        if (!cli_parse(&command_backup, argc, argv, opts, NULL, &code))
                return code;
        if (!to || !*to)
                return cli_usage_error(&command_backup, "option '--to' is required");
        if (strcmp(to, cli.db) == 0)
                return cli_usage_error(&command_backup,
                                       "'--to %s' is the database itself; choose another path", to);
        struct err e = {0};
        struct store *s = store_open(cli.db, 0, &e);
        if (!s)
                return cli_report(&e);
        struct cli_progress p;
        cli_progress_start(&p, "backup (pages)", 0);
        int rc = store_backup(s, to, show, &p, &e);
        cli_progress_end(&p);
        store_close(s);
        if (rc)
                return cli_report(&e);
        cli_info("backed up %s to %s", cli.db, to);
        return EXIT_OK;
}
