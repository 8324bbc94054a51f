/*
 * import.c — `improve import KIND FILE…`: bring files into the store.
 *
 * The first positional word chooses the kind of import from the table
 * below (published statistics, the authority list, populations); each kind
 * is one function.  Whatever the kind, an import is one transaction: every
 * file is read in full and checked, the rows are stored, and the import is
 * recorded with each file's SHA-256 and size and the counts — or nothing is
 * stored at all, and the rejected import is recorded on its own.
 */
#include "cmd/cli.h"
#include "cmd/event.h"
#include "cmd/import_returns.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "published/ees.h"
#include "published/lookup.h"
#include "scorecard/scorecard.h"
#include "store/store.h"

#include <jansson.h>
#include <pwd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int run(int argc, char **argv);

const struct command command_import = {
    .name = "import",
    .run = run,
    .summary = "Import a return, published statistics, authorities, populations or events.",
    .usage = "improve import --la CODE [--year YYYY] [--strict] [--previous PATH]… PATH…\n"
             "       improve import published|authorities|populations|events [--db PATH] FILE…",
    .help = "Reads files into the database, in one transaction: either everything is\n"
            "stored or, on the first malformed line, nothing is (exit 3, with\n"
            "FILE:LINE: what was wrong).  Each import is recorded with the SHA-256 and\n"
            "size of its files and what was stored.\n"
            "\n"
            "A return (one per call): an SSDA903 load (CSV tables, or one EXPSSDA903 XML\n"
            "file plus optional SWEpisodes/DoLo CSVs) or one CIN census, given as files or\n"
            "a directory, for the authority --la.  It is validated exactly as\n"
            "'improve validate' does (same reference-data options: --previous,\n"
            "--postcodes, --ltla-utla, --providers, --authorities, --rules) and stored with\n"
            "its findings; re-importing an authority's year replaces it atomically.\n"
            "Returns with errors are stored (real returns always have some) unless\n"
            "--strict, which refuses them (exit 1).\n"
            "\n"
            "Kinds:\n"
            "  published FILE…     DfE Explore Education Statistics CSVs (national, regional\n"
            "                      and local-authority rows; columns found by name; the\n"
            "                      symbols c, z, k, x, u, low and : kept, never made numbers).\n"
            "                      Importing a table again replaces it.\n"
            "  authorities FILE    the authority list with E-codes, regions and statistical\n"
            "                      neighbours (la_lookup_with_codes_regions_sn2025.csv, a\n"
            "                      synthetic region's authorities.csv, or sn_model_2025_wide.csv\n"
            "                      for neighbours only)\n"
            "  populations FILE    children aged 0-17: the ONS mid-year estimates (mid-year Y\n"
            "                      serves reporting year Y+1) or a synthetic populations.csv\n"
            "  events FILE         the change register: la,date,kind,title,measures,note (the\n"
            "                      events.csv improve synth writes; see improve event --help)\n"
            "\n"
            "Examples:\n"
            "  improve import authorities la_lookup_with_codes_regions_sn2025.csv\n"
            "  improve import populations ons_mid-year_population_estimates_2012_to_2024.csv\n"
            "  improve import published --db region.db dfe-published/c1_*.csv\n"
            "  improve import --la 001 --previous region/001/2025/903 region/001/2026/903\n"
            "  improve import --la 001 region/001/2026/cin.xml\n",
};

/* One file of an import, read in full before anything is stored. */
struct import_file {
        const char *path;
        struct buf data;
        char sha256[crypto_hash_sha256_BYTES * 2 + 1];
};

struct import_job {
        struct store *s;
        int64_t id;
        struct import_file *files;
        size_t nfiles;
        json_t *counts;     /* what was stored, recorded with the import */
        struct buf summary; /* the line printed on stdout */
};

struct import_kind {
        const char *word;
        size_t min_files, max_files;
        int (*run)(struct import_job *job, struct err *e);
};

/* ---------------------------------------------------------------- published */

struct published_counts {
        long rows, national, regional, la, other, values, numbers, symbols;
};

static int put_row(struct store_published_writer *w, const struct ees_file *f,
                   const struct ees_row *row, struct published_counts *c, struct err *e)
{
        struct store_published v = {0};
        v.key.source = ees_source(f);
        v.key.filters = row->filters;
        v.year = row->year;
        v.time_period = row->time_period;
        v.period_end = row->period_end;
        v.region_code = row->region_code;
        char codes[4][4];
        int ncodes = 1;
        switch (row->level) {
        case EES_NATIONAL:
                v.level = STORE_GEO_NATIONAL;
                v.area = *row->country_code ? row->country_code : LOOKUP_ENGLAND;
                v.region_code = NULL;
                c->national++;
                break;
        case EES_REGIONAL:
                v.level = STORE_GEO_REGIONAL;
                v.area = row->region_code;
                c->regional++;
                break;
        case EES_LA:
                v.level = STORE_GEO_LA;
                v.new_la_code = row->new_la_code;
                /* A joint return is stored under each member, marked as joint. */
                ncodes = ees_la_codes(row->la_code, codes, 4);
                v.joint = row->joint ? row->la_code : NULL;
                c->la++;
                break;
        default:
                c->other++;
                return 0;
        }
        for (int k = 0; k < ncodes; k++) {
                if (row->level == EES_LA)
                        v.area = codes[k];
                for (size_t i = 0; i < row->nvalues; i++) {
                        const struct ees_value *x = &row->values[i];
                        v.key.indicator = ees_value_name(f, i);
                        v.text = x->text;
                        v.symbol = ees_symbol_text(x->symbol);
                        v.value = x->number;
                        if (store_published_put(w, &v, e)) {
                                err_prefix(e, "%s:%ld", ees_name(f), row->line);
                                return -1;
                        }
                        c->values++;
                        if (x->symbol == EES_NUMBER)
                                c->numbers++;
                        else
                                c->symbols++;
                }
        }
        return 0;
}

static int import_published(struct import_job *job, struct err *e)
{
        struct published_counts c = {0};
        struct store_published_writer *w;
        if (store_published_writer_open(job->s, job->id, &w, e))
                return -1;
        unsigned long long total = 0, before = 0;
        for (size_t i = 0; i < job->nfiles; i++)
                total += job->files[i].data.len;
        struct cli_progress p;
        cli_progress_start(&p, "import published (bytes)", total);
        char(*sources)[256] = xcalloc(job->nfiles, sizeof *sources);
        json_t *files = json_array();
        int ret = -1;
        for (size_t i = 0; i < job->nfiles; i++) {
                struct import_file *in = &job->files[i];
                struct ees_file *f = ees_open_mem(in->data.data, in->data.len, in->path, e);
                if (!f)
                        goto done;
                snprintf(sources[i], sizeof sources[i], "%s", ees_source(f));
                for (size_t j = 0; j < i; j++)
                        if (strcmp(sources[i], sources[j]) == 0) {
                                err_at(e, in->path, 0,
                                       "holds the same table (%s) as %s; expected one release "
                                       "of a table per import",
                                       sources[i], job->files[j].path);
                                ees_free(f);
                                goto done;
                        }
                if (store_published_clear(w, ees_source(f), e)) {
                        ees_free(f);
                        goto done;
                }
                long rows_before = c.rows, values_before = c.values;
                struct ees_row row;
                int rc;
                while ((rc = ees_read(f, &row, e)) == 1) {
                        c.rows++;
                        if (put_row(w, f, &row, &c, e))
                                break;
                        if ((c.rows & 1023) == 0)
                                cli_progress_update(&p, before + ees_offset(f));
                }
                if (rc != 0 || e->code) {
                        ees_free(f);
                        goto done;
                }
                before += in->data.len;
                cli_verbose("%s: table %s, %ld rows, %zu value columns, %zu filter columns, "
                            "%ld values",
                            in->path, ees_source(f), c.rows - rows_before, ees_value_count(f),
                            ees_filter_count(f), c.values - values_before);
                json_array_append_new(files,
                                      json_pack("{s:s, s:I, s:I}", "source", sources[i], "rows",
                                                (json_int_t)(c.rows - rows_before), "values",
                                                (json_int_t)(c.values - values_before)));
                ees_free(f);
        }
        ret = 0;
        json_object_set_new(job->counts, "files", files);
        files = NULL;
        json_object_update_new(job->counts,
                               json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "rows",
                                         (json_int_t)c.rows, "national", (json_int_t)c.national,
                                         "regional", (json_int_t)c.regional, "la", (json_int_t)c.la,
                                         "other_levels", (json_int_t)c.other, "values",
                                         (json_int_t)c.values, "numbers", (json_int_t)c.numbers,
                                         "symbols", (json_int_t)c.symbols));
        buf_printf(&job->summary,
                   "published: %zu file%s, %ld rows read (%ld national, %ld regional, %ld local "
                   "authority",
                   job->nfiles, job->nfiles == 1 ? "" : "s", c.rows, c.national, c.regional, c.la);
        if (c.other)
                buf_printf(&job->summary, ", %ld at other levels skipped", c.other);
        buf_printf(&job->summary, "); %ld values stored (%ld numbers, %ld symbols kept)", c.values,
                   c.numbers, c.symbols);
done:
        json_decref(files);
        free(sources);
        cli_progress_end(&p);
        store_published_writer_close(w);
        return ret;
}

/* ---------------------------------------------------------------- authorities */

struct authority_ctx {
        struct store *s;
        enum lookup_layout layout;
        long read, stored, with_neighbours, created;
        struct err *e;
};

static int neighbour_count(const struct store_authority *a)
{
        int n = 0;
        for (int k = 0; k < STORE_NEIGHBOURS; k++)
                n += a->neighbours[k][0] != '\0';
        return n;
}

static int put_authority(void *vctx, const struct store_authority *a, long line)
{
        struct authority_ctx *ctx = vctx;
        ctx->read++;
        struct store_authority merged = *a;
        if (ctx->layout == LOOKUP_SN_MODEL) {
                /* The model brings neighbours only: keep what the store knows of the rest. */
                char pool[1024];
                struct store_authority old;
                int found = store_authority_get(ctx->s, a->code, &old, pool, sizeof pool, ctx->e);
                if (found < 0)
                        return -1;
                if (found) {
                        memcpy(old.neighbours, a->neighbours, sizeof old.neighbours);
                        merged = old;
                } else {
                        ctx->created++;
                }
                if (store_authority_put(ctx->s, &merged, ctx->e))
                        return -1;
        } else if (store_authority_put(ctx->s, &merged, ctx->e)) {
                return -1;
        }
        (void)line;
        ctx->stored++;
        ctx->with_neighbours += neighbour_count(&merged) > 0;
        return 0;
}

static int import_authorities(struct import_job *job, struct err *e)
{
        struct import_file *in = &job->files[0];
        struct authority_ctx ctx = {.s = job->s, .e = e};
        /* The layout is known once the header is read; the callback needs it first. */
        if (lookup_read_authorities(in->data.data, in->data.len, in->path, &ctx.layout,
                                    put_authority, &ctx, e))
                return -1;
        static const char *const layouts[] = {"DfE lookup", "synthetic region",
                                              "statistical-neighbour model", "ONS"};
        json_object_update_new(
            job->counts, json_pack("{s:s, s:I, s:I, s:I, s:I}", "layout", layouts[ctx.layout],
                                   "rows", (json_int_t)ctx.read, "stored", (json_int_t)ctx.stored,
                                   "with_neighbours", (json_int_t)ctx.with_neighbours,
                                   "created_without_codes", (json_int_t)ctx.created));
        buf_printf(&job->summary,
                   "authorities: %ld rows read (%s); %ld stored, %ld with "
                   "statistical neighbours",
                   ctx.read, layouts[ctx.layout], ctx.stored, ctx.with_neighbours);
        if (ctx.created)
                buf_printf(&job->summary, "; %ld not yet known, stored without E-codes",
                           ctx.created);
        return 0;
}

/* ---------------------------------------------------------------- populations */

struct population_ctx {
        struct store *s;
        int64_t import_id;
        const char *source;
        long by_level[3];
        int first_year, last_year;
        struct err *e;
};

static int put_population(void *vctx, const struct lookup_population *p)
{
        struct population_ctx *ctx = vctx;
        if (store_population_put(ctx->s, p->area, p->year, p->population, ctx->source,
                                 ctx->import_id, ctx->e))
                return -1;
        ctx->by_level[p->level]++;
        if (!ctx->first_year || p->year < ctx->first_year)
                ctx->first_year = p->year;
        if (p->year > ctx->last_year)
                ctx->last_year = p->year;
        return 0;
}

static int import_populations(struct import_job *job, struct err *e)
{
        struct import_file *in = &job->files[0];
        char source[256];
        ees_source_of(in->path, source, sizeof source);
        struct population_ctx ctx = {.s = job->s, .import_id = job->id, .source = source, .e = e};
        struct lookup_population_counts c;
        enum lookup_layout layout;
        if (lookup_read_populations(in->data.data, in->data.len, in->path, &layout, put_population,
                                    &ctx, &c, e))
                return -1;
        long stored = ctx.by_level[0] + ctx.by_level[1] + ctx.by_level[2];
        json_object_update_new(job->counts,
                               json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:i, s:i}", "layout",
                                         layout == LOOKUP_ONS ? "ONS" : "synthetic region", "rows",
                                         (json_int_t)c.rows, "stored", (json_int_t)stored,
                                         "national", (json_int_t)ctx.by_level[STORE_GEO_NATIONAL],
                                         "regional", (json_int_t)ctx.by_level[STORE_GEO_REGIONAL],
                                         "la", (json_int_t)ctx.by_level[STORE_GEO_LA],
                                         "not_available", (json_int_t)c.not_available, "first_year",
                                         ctx.first_year, "last_year", ctx.last_year));
        buf_printf(&job->summary,
                   "populations: %ld rows read; %ld stored (%ld national, %ld regional, %ld local "
                   "authority)",
                   c.rows, stored, ctx.by_level[STORE_GEO_NATIONAL],
                   ctx.by_level[STORE_GEO_REGIONAL], ctx.by_level[STORE_GEO_LA]);
        if (stored)
                buf_printf(&job->summary, " for reporting years %d-%d", ctx.first_year,
                           ctx.last_year);
        if (c.not_available)
                buf_printf(&job->summary, "; %ld not available (symbol), not stored",
                           c.not_available);
        if (c.other_ages)
                buf_printf(&job->summary, "; %ld other age groups or levels skipped", c.other_ages);
        return 0;
}

/* ---------------------------------------------------------------- events (event_import.c) */

static const char *user_name(void);

static int import_events(struct import_job *job, struct err *e)
{
        struct import_file *in = &job->files[0];
        return event_import_csv(job->s, job->id, user_name(), in->path, in->data.data, in->data.len,
                                job->counts, &job->summary, e);
}

/* ---------------------------------------------------------------- the command */

static const struct import_kind kinds[] = {
    {"published", 1, (size_t)-1, import_published},
    {"authorities", 1, 1, import_authorities},
    {"populations", 1, 1, import_populations},
    {"events", 1, 1, import_events},
};

static const char *user_name(void)
{
        struct passwd *pw = getpwuid(geteuid());
        if (pw && pw->pw_name && *pw->pw_name)
                return pw->pw_name;
        const char *u = getenv("USER");
        return u && *u ? u : "unknown";
}

static int read_files(struct import_job *job, const char *const *paths, size_t n, struct err *e)
{
        job->files = xcalloc(n, sizeof *job->files);
        job->nfiles = n;
        for (size_t i = 0; i < n; i++) {
                struct import_file *f = &job->files[i];
                f->path = paths[i];
                buf_init(&f->data);
                if (buf_read_file(&f->data, f->path, e))
                        return -1;
                unsigned char h[crypto_hash_sha256_BYTES];
                crypto_hash_sha256(h, (const unsigned char *)f->data.data, f->data.len);
                sodium_bin2hex(f->sha256, sizeof f->sha256, h, sizeof h);
        }
        return 0;
}

static void release_files(struct import_job *job)
{
        for (size_t i = 0; i < job->nfiles; i++)
                buf_release(&job->files[i].data);
        free(job->files);
}

/* Record that an import was refused, in a transaction of its own (best effort). */
static void record_rejected(struct import_job *job, const char *kind, const struct err *why)
{
        struct err ignored = {0};
        int64_t id;
        struct store_import imp = {.kind = kind, .user = user_name()};
        if (store_begin(job->s, &ignored))
                return;
        if (store_import_begin(job->s, &imp, &id, &ignored) == 0) {
                for (size_t i = 0; i < job->nfiles; i++)
                        if (job->files[i].sha256[0])
                                store_import_file(job->s, id, job->files[i].path,
                                                  job->files[i].sha256,
                                                  (int64_t)job->files[i].data.len, &ignored);
                json_t *c = json_pack("{s:s}", "error", why->msg);
                char *text = json_dumps(c, JSON_COMPACT);
                store_import_finish(job->s, id, why->code == EXIT_INPUT ? "rejected" : "failed",
                                    text, &ignored);
                free(text);
                json_decref(c);
        }
        if (store_commit(job->s, &ignored))
                store_rollback(job->s);
}

static int do_import(const struct import_kind *k, struct import_job *job, struct err *e)
{
        struct store_import imp = {.kind = k->word, .user = user_name()};
        if (store_begin(job->s, e))
                return -1;
        if (store_import_begin(job->s, &imp, &job->id, e))
                goto fail;
        for (size_t i = 0; i < job->nfiles; i++)
                if (store_import_file(job->s, job->id, job->files[i].path, job->files[i].sha256,
                                      (int64_t)job->files[i].data.len, e))
                        goto fail;
        if (k->run(job, e))
                goto fail;
        char *text = json_dumps(job->counts, JSON_COMPACT);
        int rc = store_import_finish(job->s, job->id, "ok", text, e);
        free(text);
        if (rc || store_commit(job->s, e))
                goto fail;
        return 0;
fail:
        store_rollback(job->s);
        return -1;
}

/* The first word after `import` that is neither an option nor --db's value, or NULL. */
static const char *first_word(int argc, char **argv)
{
        for (int i = 1; i < argc; i++) {
                if (strcmp(argv[i], "--") == 0)
                        return i + 1 < argc ? argv[i + 1] : NULL;
                if (strcmp(argv[i], "--db") == 0)
                        i++;
                else if (argv[i][0] != '-' || argv[i][1] == '\0')
                        return argv[i];
        }
        return NULL;
}

static int run(int argc, char **argv)
{
        /* Not one of the kinds above: a return (SSDA903 or CIN), see import_returns.c. */
        const char *w = first_word(argc, argv);
        int is_kind = 0;
        for (size_t i = 0; w && i < sizeof kinds / sizeof *kinds; i++)
                is_kind |= strcmp(w, kinds[i].word) == 0;
        if (w && !is_kind)
                return import_returns_run(argc, argv);
        struct cli_list pos = {0};
        int code;
        if (!cli_parse(&command_import, argc, argv, NULL, &pos, &code))
                return code;
        if (pos.n == 0) {
                cli_list_release(&pos);
                return cli_usage_error(&command_import,
                                       "say what to import: published, authorities, "
                                       "populations or events");
        }
        const struct import_kind *k = NULL;
        for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
                if (strcmp(pos.v[0], kinds[i].word) == 0)
                        k = &kinds[i];
        if (!k) {
                int rc = cli_usage_error(&command_import,
                                         "'%s' is not a kind of import; expected published, "
                                         "authorities, populations or events",
                                         pos.v[0]);
                cli_list_release(&pos);
                return rc;
        }
        size_t nfiles = pos.n - 1;
        if (nfiles < k->min_files || nfiles > k->max_files) {
                int rc =
                    cli_usage_error(&command_import, "import %s takes %s", k->word,
                                    k->max_files == 1 ? "exactly one FILE" : "one or more FILEs");
                cli_list_release(&pos);
                return rc;
        }
        if (sodium_init() < 0) {
                cli_list_release(&pos);
                struct err e;
                err_set(&e, EXIT_INTERNAL, "libsodium could not start");
                return cli_report(&e);
        }
        struct err e = {0};
        struct import_job job = {0};
        buf_init(&job.summary);
        job.counts = json_object();
        int rc = EXIT_OK;
        if (read_files(&job, pos.v + 1, nfiles, &e)) {
                rc = cli_report(&e);
                goto out;
        }
        job.s = store_open(cli.db, STORE_CREATE, &e);
        if (!job.s) {
                rc = cli_report(&e);
                goto out;
        }
        if (do_import(k, &job, &e)) {
                record_rejected(&job, k->word, &e);
                rc = cli_report(&e);
                goto out;
        }
        printf("%s\n", job.summary.data);
        /* Published figures, authorities and populations change stored measure values. */
        buf_reset(&job.summary);
        if (scorecard_after_import(job.s, k->word, NULL, 0, &job.summary, &e)) {
                err_prefix(&e, "the import is stored, but measure values were not updated (run "
                               "improve measures --recompute)");
                rc = cli_report(&e);
                goto out;
        }
        if (job.summary.len)
                cli_info("%s", job.summary.data);
out:
        store_close(job.s);
        release_files(&job);
        json_decref(job.counts);
        buf_release(&job.summary);
        cli_list_release(&pos);
        return rc;
}
