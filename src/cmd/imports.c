/*
 * imports.c — `improve imports`: what has been imported, when, by whom, from
 * which files, and which import each stored return comes from.
 */
#include "cmd/cli.h"
#include "core/err.h"
#include "store/store.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static int run(int argc, char **argv);

const struct command command_imports = {
    .name = "imports",
    .run = run,
    .summary = "List the imports recorded in the database.",
    .usage = "improve imports [--db PATH] [--la CODE]",
    .help = "Lists every import, newest first: its number, when it started, who ran it,\n"
            "the kind (ssda903, cin, published, authorities, populations), the\n"
            "authority and collection year of a return, its status (ok, rejected,\n"
            "failed), the number of files and what was read.  A '*' after the status\n"
            "marks the import the stored return of that authority and year comes from;\n"
            "a return imported again replaces it, and the earlier import stays listed.\n"
            "The files' SHA-256 hashes are in the database (table import_files).\n"
            "\n"
            "Options:\n"
            "  --la CODE   only the imports of one authority (3-digit code)\n",
};

static long long jint(json_t *o, const char *key)
{
        return (long long)json_integer_value(json_object_get(o, key));
}

/* One line about what an import held, from its recorded counts. */
static void summarise(const char *counts, char *out, size_t n)
{
        out[0] = '\0';
        json_t *c = counts ? json_loads(counts, 0, NULL) : NULL;
        if (!c)
                return;
        if (json_object_get(c, "refused"))
                snprintf(out, n, "refused (%s): %lld errors, %lld queries",
                         json_string_value(json_object_get(c, "refused")), jint(c, "errors"),
                         jint(c, "queries"));
        else if (json_object_get(c, "children"))
                snprintf(out, n, "%lld children, %lld rows; %lld errors, %lld queries",
                         jint(c, "children"), jint(c, "rows"), jint(c, "errors"),
                         jint(c, "queries"));
        else if (json_is_string(json_object_get(c, "error")))
                snprintf(out, n, "%s", json_string_value(json_object_get(c, "error")));
        else if (json_object_get(c, "values"))
                snprintf(out, n, "%lld rows, %lld values", jint(c, "rows"), jint(c, "values"));
        else if (json_object_get(c, "stored"))
                snprintf(out, n, "%lld rows, %lld stored", jint(c, "rows"), jint(c, "stored"));
        json_decref(c);
}

struct list_ctx {
        long shown, current;
};

static int print_row(void *vctx, const struct store_import_row *r)
{
        struct list_ctx *ctx = vctx;
        if (ctx->shown++ == 0)
                printf("%-5s %-20s %-12s %-12s %-4s %-7s %-10s %5s  %s\n", "ID", "STARTED", "USER",
                       "KIND", "LA", "YEAR", "STATUS", "FILES", "SUMMARY");
        char year[8] = "-";
        if (r->year > 0)
                snprintf(year, sizeof year, "%04d/%02d", (r->year - 1) % 10000, r->year % 100);
        char status[16];
        snprintf(status, sizeof status, "%s%s", r->status ? r->status : "", r->current ? "*" : "");
        ctx->current += r->current;
        char summary[512];
        summarise(r->counts, summary, sizeof summary);
        printf("%-5lld %-20s %-12s %-12s %-4s %-7s %-10s %5lld  %s\n", (long long)r->id,
               r->started_at ? r->started_at : "", r->user ? r->user : "", r->kind ? r->kind : "",
               r->la ? r->la : "-", year, status, (long long)r->files, summary);
        return 0;
}

static int run(int argc, char **argv)
{
        const char *la = NULL;
        const struct cli_opt opts[] = {
            {"la", 0, CLI_VALUE, &la},
            {0},
        };
        int code;
        if (!cli_parse(&command_imports, argc, argv, opts, NULL, &code))
                return code;
        if (la && cli_la_code(&command_imports, "la", la))
                return EXIT_USAGE;
        struct err e = {0};
        struct store *s = store_open(cli.db, 0, &e);
        if (!s)
                return cli_report(&e);
        struct list_ctx ctx = {0};
        int rc = store_import_each(s, la, print_row, &ctx, &e);
        store_close(s);
        if (rc)
                return cli_report(&e);
        if (ctx.shown == 0)
                printf("No imports%s%s recorded.\n", la ? " of authority " : "", la ? la : "");
        else if (ctx.current)
                printf("* the stored return of its authority and year comes from this import\n");
        return EXIT_OK;
}
