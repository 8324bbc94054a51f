/*
 * import_returns.c — `improve import --la CODE PATH…`: the only door through
 * which a return (an SSDA903 load or a CIN census) enters the store.
 *
 * The return is validated exactly as `improve validate` does it, then stored
 * with its findings in one transaction together with the record of the
 * import (each file's SHA-256 and size, counts, findings summary): after a
 * crash at any point the store holds the previous return of that authority
 * and year or the new one, never a mixture.  Returns with errors are stored —
 * real returns always have some — unless --strict, which refuses them.
 * Malformed input stores nothing; the refusal itself is recorded.
 */
#include "cmd/import_returns.h"

#include "cmd/cli.h"
#include "cmd/validate.h"
#include "core/buf.h"
#include "core/err.h"
#include "returns/refdata.h"
#include "returns/ssda903.h"
#include "scorecard/scorecard.h"
#include "store/store.h"

#include <jansson.h>
#include <pwd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct command import_return_cmd = {
    .name = "import",
    .usage = "improve import [--db PATH] --la CODE [--year YYYY] [--rules YYYY] [--strict] "
             "[--return 903|cin] [--previous PATH]… [--postcodes FILE] [--ltla-utla FILE] "
             "[--providers FILE] [--authorities FILE] PATH…",
    .summary = "Validate a return (SSDA903 or CIN census) and store it with its findings.",
    .help = "Validates one return as 'improve validate' does, then stores it, its\n"
            "findings and the record of the import (files with SHA-256 and size,\n"
            "counts) in one transaction: all of it or none of it.  Importing the same\n"
            "authority and collection year again replaces the stored return at once.\n"
            "The store is created when absent; an authority not yet in it is added by\n"
            "its code.\n"
            "\n"
            "Options (and the reference-data options of 'improve validate'):\n"
            "  --la CODE     the authority's 3-digit code (required)\n"
            "  --year YYYY   collection year (default: inferred from the data)\n"
            "  --strict      refuse a return with errors (exit 1, nothing stored)\n"
            "\n"
            "Exit status: 0 stored, 1 refused (--strict), 2 usage, 3 malformed input.\n"
            "\n"
            "Examples:\n"
            "  improve import --la 201 --previous 2025/903 2026/903\n"
            "  improve import --la 201 --strict cin_census_2026.xml\n",
};

static const char *user_name(const struct import_origin *origin)
{
        if (origin && origin->user && *origin->user)
                return origin->user;
        struct passwd *pw = getpwuid(geteuid());
        if (pw && pw->pw_name && *pw->pw_name)
                return pw->pw_name;
        const char *u = getenv("USER");
        return u && *u ? u : "unknown";
}

static const char *what(const struct validate_run *r)
{
        return r->ret == RULES_CIN ? "CIN census" : "SSDA903 return";
}

static const char *kind_word(const struct validate_run *r)
{
        return r->ret == RULES_CIN ? "cin" : "ssda903";
}

/* What the import record keeps: counts and the findings summary, as JSON text. */
static char *counts_json(const struct validate_run *r, int64_t replaced, const char *refused)
{
        const struct rules_result *res = &r->res;
        json_t *c = json_object();
        json_object_set_new(c, "return", json_string(kind_word(r)));
        json_object_set_new(c, "collection_year", json_integer(r->collection_year));
        if (r->year_note)
                json_object_set_new(c, "year_note", json_string(r->year_note));
        json_object_set_new(c, "rules_year", json_integer(r->rules_year));
        json_object_set_new(c, "children", json_integer((json_int_t)r->nchildren));
        json_object_set_new(c, "rows", json_integer((json_int_t)r->nrows));
        json_t *tables = json_object();
        if (r->ret == RULES_CIN) {
                for (int t = 0; t < CIN_NTABLES; t++)
                        if (r->cin.table[t].n)
                                json_object_set_new(tables, cin_tables[t].name,
                                                    json_integer((json_int_t)r->cin.table[t].n));
        } else {
                for (int t = 0; t < SSDA903_NCURRENT; t++)
                        if (ssda903_has(r->s903, t))
                                json_object_set_new(tables, r->s903->t[t].name,
                                                    json_integer((json_int_t)r->s903->t[t].n));
        }
        json_object_set_new(c, "tables", tables);
        json_object_set_new(c, "errors", json_integer((json_int_t)res->nerrors));
        json_object_set_new(c, "queries", json_integer((json_int_t)res->nqueries));
        json_object_set_new(c, "rules_ran", json_integer((json_int_t)res->nran));
        json_object_set_new(c, "rules_skipped", json_integer((json_int_t)res->nskipped));
        json_object_set_new(c, "rules_failed", json_integer((json_int_t)res->nfailed));
        json_object_set_new(c, "rules_not_implemented", json_integer((json_int_t)res->nmissing));
        size_t n;
        struct validate_rule_count *counts = validate_rule_counts(r, &n);
        json_t *by_rule = json_object();
        for (size_t i = 0; i < n; i++)
                json_object_set_new(by_rule, counts[i].rule,
                                    json_integer((json_int_t)counts[i].count));
        free(counts);
        json_object_set_new(c, "by_rule", by_rule);
        if (replaced)
                json_object_set_new(c, "replaced_import", json_integer(replaced));
        if (refused)
                json_object_set_new(c, "refused", json_string(refused));
        char *text = json_dumps(c, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(c);
        return text;
}

/* The name a file is recorded under: the one the origin gives for its path, else the path. */
static const char *file_name(const struct import_origin *origin, const char *path)
{
        for (size_t i = 0; origin && i < origin->n; i++)
                if (strcmp(origin->paths[i], path) == 0)
                        return origin->names[i];
        return path;
}

static int record_files(struct store *s, int64_t id, const struct validate_run *r,
                        const struct import_origin *origin, struct err *e)
{
        for (size_t i = 0; i < r->nfiles; i++) {
                const struct validate_file *f = &r->files[i];
                if (!f->sha256[0])
                        continue; /* never read: the import stopped before it */
                if (store_import_file(s, id, file_name(origin, f->path), f->sha256, f->bytes, e))
                        return -1;
        }
        return 0;
}

/*
 * Record a refused import in a transaction of its own, so the refusal is on
 * file while nothing of the return is stored.  Best effort: the refusal is
 * what the user must hear about.
 */
static void record_refused(struct store *s, const struct validate_run *r, const char *la, int year,
                           const char *status, const char *counts,
                           const struct import_origin *origin)
{
        struct err ignored = {0};
        int64_t id;
        struct store_import imp = {
            .kind = kind_word(r), .la = la, .year = year, .user = user_name(origin)};
        if (store_begin(s, &ignored))
                return;
        if (store_import_begin(s, &imp, &id, &ignored) ||
            record_files(s, id, r, origin, &ignored) ||
            store_import_finish(s, id, status, counts, &ignored) || store_commit(s, &ignored))
                store_rollback(s);
}

/* The authority must be in the store before its return: add it by its code if not. */
static int ensure_authority(struct store *s, const struct validate_run *r, const char *la,
                            int *added, struct err *e)
{
        struct store_authority a;
        char pool[1024];
        int rc = store_authority_get(s, la, &a, pool, sizeof pool, e);
        *added = 0;
        if (rc != 0)
                return rc < 0 ? -1 : 0;
        memset(&a, 0, sizeof a);
        snprintf(a.code, sizeof a.code, "%s", la);
        if (r->la_code && strlen(r->la_code) == 9)
                snprintf(a.ecode, sizeof a.ecode, "%s", r->la_code);
        a.name = r->la_name ? r->la_name : "";
        *added = 1;
        return store_authority_put(s, &a, e);
}

static int store_it(struct store *s, const struct validate_run *r, const char *la,
                    const struct import_origin *origin, int64_t *import_id, int64_t *replaced,
                    int *added, struct err *e)
{
        enum store_return_kind kind = r->ret == RULES_CIN ? STORE_RETURN_CIN : STORE_RETURN_SSDA903;
        struct store_import imp = {
            .kind = kind_word(r), .la = la, .year = r->collection_year, .user = user_name(origin)};
        if (store_begin(s, e))
                return -1;
        struct store_return_info old;
        int had = store_return_get(s, kind, la, r->collection_year, &old, e);
        if (had < 0 || ensure_authority(s, r, la, added, e) ||
            store_import_begin(s, &imp, import_id, e) || record_files(s, *import_id, r, origin, e))
                goto fail;
        *replaced = had ? old.import_id : 0;
        struct store_return sr = {
            .kind = kind,
            .la = la,
            .year = r->collection_year,
            .rules_year = r->rules_year,
            .import_id = *import_id,
            .children = (int64_t)r->nchildren,
        };
        int rc = kind == STORE_RETURN_CIN
                     ? store_return_put_cin(s, &sr, &r->cin, r->res.f, r->res.n, e)
                     : store_return_put_903(s, &sr, r->s903, r->res.f, r->res.n, e);
        if (rc)
                goto fail;
        char *counts = counts_json(r, *replaced, NULL);
        rc = store_import_finish(s, *import_id, "ok", counts, e);
        free(counts);
        if (rc || store_commit(s, e))
                goto fail;
        return 0;
fail:
        store_rollback(s);
        return -1;
}

int import_returns_run(int argc, char **argv)
{
        return import_returns_run_from(argc, argv, NULL);
}

int import_returns_run_from(int argc, char **argv, const struct import_origin *origin)
{
        const struct command *cmd = &import_return_cmd;
        struct validate_opts o = {0};
        int strict = 0;
        struct cli_opt opts[VALIDATE_NOPTS + 2];
        validate_opt_rows(&o, opts);
        opts[VALIDATE_NOPTS] = (struct cli_opt){"strict", 0, CLI_FLAG, &strict};
        opts[VALIDATE_NOPTS + 1] = (struct cli_opt){0};
        int code;
        if (!cli_parse(cmd, argc, argv, opts, &o.paths, &code)) {
                validate_opts_release(&o);
                return code;
        }
        if (!o.la) {
                code = o.paths.n ? cli_usage_error(cmd,
                                                   "'%s' is not a kind of import; expected "
                                                   "published, authorities, populations or "
                                                   "events, or --la CODE and a return's files",
                                                   o.paths.v[0])
                                 : cli_usage_error(cmd, "say which authority's return this is "
                                                        "(--la CODE)");
                validate_opts_release(&o);
                return code;
        }
        if ((code = validate_opts_check(cmd, &o)) != 0) {
                validate_opts_release(&o);
                return code;
        }
        struct err e = {0};
        if (sodium_init() < 0) {
                validate_opts_release(&o);
                err_set(&e, EXIT_INTERNAL, "libsodium could not start");
                return cli_report(&e);
        }
        struct validate_run r;
        validate_run_init(&r);
        struct store *s = NULL;
        /* Unreadable paths are reported before the store is created. */
        if (validate_collect(&r, &o, &e)) {
                code = cli_report(&e);
                goto out;
        }
        if (!(s = store_open(cli.db, STORE_CREATE, &e)) || validate_refdata(&r, &o, s, &e)) {
                code = cli_report(&e);
                goto out;
        }
        if (validate_load(&r, &o, 1, &e) || validate_check(&r, &e)) {
                if (e.code == EXIT_INPUT) {
                        json_t *c = json_pack("{s:s}", "error", e.msg);
                        char *text = json_dumps(c, JSON_COMPACT);
                        record_refused(s, &r, o.la, o.year, "rejected", text, origin);
                        free(text);
                        json_decref(c);
                }
                code = cli_report(&e);
                goto out;
        }
        if (r.ret == RULES_CIN && r.cin.table[CIN_Header].n) {
                const char *lea = r.cin.table[CIN_Header].rows[0].v[CIN_HDR_LEA];
                if (lea && strcmp(lea, o.la) != 0)
                        cli_warn("%s: the census header's LEA is %s; storing it under --la %s",
                                 r.files[0].path, lea, o.la);
        }
        char lab[8];
        validate_year_label(r.collection_year, lab);
        if (strict && r.res.nerrors) {
                char *counts = counts_json(&r, 0, "--strict: the return has errors");
                record_refused(s, &r, o.la, r.collection_year, "rejected", counts, origin);
                free(counts);
                printf("refused (--strict): the %s of %s for %s has %zu error%s and %zu "
                       "quer%s; nothing was stored\n",
                       what(&r), o.la, lab, r.res.nerrors, r.res.nerrors == 1 ? "" : "s",
                       r.res.nqueries, r.res.nqueries == 1 ? "y" : "ies");
                printf("for the findings: improve validate --la %s on the same files\n", o.la);
                code = EXIT_FINDINGS;
                goto out;
        }
        int64_t id = 0, replaced = 0;
        int added = 0;
        if (store_it(s, &r, o.la, origin, &id, &replaced, &added, &e)) {
                code = cli_report(&e);
                goto out;
        }
        if (added)
                cli_info("authority %s was not in the store; added by its code%s", o.la,
                         r.la_code ? " and ONS code" : "");
        size_t nprev = 0;
        for (size_t i = 0; i < r.nfiles; i++)
                nprev += r.files[i].previous != 0;
        printf("stored: %s of %s for %s as import %lld", what(&r), o.la, lab, (long long)id);
        if (replaced)
                printf(" (replacing import %lld)", (long long)replaced);
        printf("; %zu file%s", r.nfiles - nprev, r.nfiles - nprev == 1 ? "" : "s");
        if (nprev)
                printf(" (and %zu of last year's)", nprev);
        printf(", %zu child%s, %zu rows\n", r.nchildren, r.nchildren == 1 ? "" : "ren", r.nrows);
        printf("%s\n", r.year_note ? r.year_note : "");
        printf("%s: %zu error%s, %zu quer%s; %zu rules ran, %zu skipped, %zu not implemented\n",
               r.rules_note, r.res.nerrors, r.res.nerrors == 1 ? "" : "s", r.res.nqueries,
               r.res.nqueries == 1 ? "y" : "ies", r.res.nran, r.res.nskipped, r.res.nmissing);
        /* The stored return changes this authority's measure values (issue 5). */
        struct buf msg;
        buf_init(&msg);
        if (scorecard_after_import(s, kind_word(&r), o.la, r.collection_year, &msg, &e)) {
                err_prefix(&e, "the return is stored, but its measures were not recomputed "
                               "(run improve measures --recompute)");
                code = cli_report(&e);
                buf_release(&msg);
                goto out;
        }
        if (msg.len)
                cli_info("%s", msg.data);
        buf_release(&msg);
        code = EXIT_OK;
out:
        store_close(s);
        validate_run_release(&r);
        validate_opts_release(&o);
        return code;
}
