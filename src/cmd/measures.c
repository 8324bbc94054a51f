/*
 * measures.c — `improve measures`: an authority's outcome measures with their
 * benchmarks, read from the store.
 *
 * Values are computed when returns, published figures and populations are
 * imported (src/scorecard/scorecard.h); this command reads them back, after
 * redoing any benchmarks an import left stale, and with --recompute first
 * computes everything again.  For an annual period every catalogue measure
 * gets a row, so a measure without a value says why.  With --audience
 * outward, statistical disclosure control (statistics.md §8.1) writes small
 * counts, and the values built on them, as "c".
 */
#include "cmd/cli.h"
#include "cmd/measures_output.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "scorecard/scorecard.h"
#include "stats/sdc.h"
#include "store/store.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run(int argc, char **argv);

const struct command command_measures = {
    .name = "measures",
    .run = run,
    .summary = "Outcome measures with their benchmarks (neighbours, region, England).",
    .usage = "improve measures [--db PATH] [--la CODE|all] [--year YYYY] "
             "[--period year|month|rolling]\n"
             "       [--measure ID]... [--audience internal|outward] [--recompute]\n"
             "       [--format text|csv|json|xlsx] [--out FILE]\n"
             "       improve measures [--db PATH] --la CODE --measure ID --year YYYY "
             "[--period P [--end DATE]] --children [--out FILE]",
    .help = "Shows the measures of ../shared/docs/measures.md for one authority (or all)\n"
            "from the database: each value with its numerator and denominator, and for\n"
            "annual values the median of the 10 statistical neighbours, the region's and\n"
            "England's figure (published, or computed from the authorities in the store\n"
            "and labelled so in the note), the quartile band and the rank (1 = best; for\n"
            "neutral measures 1 = the lowest; never for missing-from-care measures).\n"
            "\n"
            "Values are computed when returns, published figures or populations are\n"
            "imported.  An authority whose return for a year is not held shows the DfE's\n"
            "published figure, with the note 'published'.  Workforce values sit beside\n"
            "the year of the same number (30 September snapshot).\n"
            "\n"
            "Options:\n"
            "  --la CODE|all        one authority (3-digit code) or every one (default all)\n"
            "  --year YYYY          collection year, e.g. 2025 for 2024/25 (default: all)\n"
            "  --period P           year (default), month (discrete monthly values, the\n"
            "                       series SPC uses) or rolling (12 months to each month end)\n"
            "  --measure ID         only this measure (repeatable)\n"
            "  --audience A         internal (default: unsuppressed) or outward (small\n"
            "                       numbers suppressed as 'c', statistics.md section 8;\n"
            "                       internal-only measures such as missing from care left out)\n"
            "  --recompute          compute every authority's values and benchmarks again\n"
            "  --format F           text (default), csv, json or xlsx (xlsx needs --out)\n"
            "  --out FILE           write to FILE instead of standard output\n"
            "  --children           the children one value counted (child-level data):\n"
            "                       CSV child,in_numerator,in_denominator, one row per\n"
            "                       child with how often it was counted (a referral or\n"
            "                       placement measure can count a child twice); needs\n"
            "                       --la CODE, one --measure and --year (for --period\n"
            "                       month or rolling, --end YYYY-MM-DD gives the month end)\n"
            "\n"
            "CSV columns: measure,la,period_end,numerator,denominator,value,unit,polarity,\n"
            "sn_median,region,england,quartile,rank,ranked,variation,assurance,note\n"
            "(variation: the SPC icon of the measure's monthly XmR chart up to the row's\n"
            "period end; assurance: pass, fail or hit_and_miss against a target set with\n"
            "`improve target set`; both empty for a measure without a monthly series).\n"
            "\n"
            "Examples:\n"
            "  improve measures --la 202 --year 2025\n"
            "  improve measures --la all --format csv --out measures.csv\n"
            "  improve measures --la 201 --period month --measure referrals_rate_per_10k\n",
};

struct opts {
        const char *la, *year, *period, *audience, *format, *out, *end;
        struct cli_list measures;
        int recompute, children;
};

struct rows {
        struct measures_row *v;
        size_t n, cap;
};

struct collect {
        struct rows *rows;
        const char *la, *la_name;
        json_t *only; /* measure ids asked for, or NULL for all */
        json_t *pos;  /* measure id -> catalogue position */
        json_t *seen; /* "year|measure" of annual rows found */
};

static int add_value(void *vctx, const struct store_measure_value *v)
{
        struct collect *c = vctx;
        if (c->only && !json_object_get(c->only, v->measure))
                return 0;
        const struct measure_def *m = measure_find(v->measure);
        if (!m)
                return 0; /* a measure no longer in the catalogue */
        struct rows *rs = c->rows;
        rs->v = xgrow(rs->v, &rs->cap, rs->n + 1, sizeof *rs->v);
        struct measures_row *r = &rs->v[rs->n++];
        measures_row_from_value(r, m, v, c->la_name);
        if (r->period == MEASURE_YEAR) {
                char key[96];
                snprintf(key, sizeof key, "%d|%s", r->year, m->id);
                json_object_set_new(c->seen, key, json_integer((json_int_t)(rs->n - 1)));
        }
        return 0;
}

static int add_bench(void *vctx, const struct store_measure_bench *b)
{
        struct collect *c = vctx;
        char key[96];
        snprintf(key, sizeof key, "%d|%s", b->year, b->measure);
        json_t *hit = json_object_get(c->seen, key);
        if (!hit)
                return 0;
        struct measures_row *r = &c->rows->v[json_integer_value(hit)];
        measures_row_set_bench(r, b);
        return 0;
}

/* Why an annual measure has no row for `year`. */
static char *gap_note(const struct measure_def *m, int year)
{
        char text[200];
        if (strcmp(m->id, "population_0_17") == 0)
                snprintf(text, sizeof text, "no population for mid-%d in the store", year - 1);
        else if (!m->compute)
                snprintf(text, sizeof text, "no published figure for %d in the store", year);
        else
                snprintf(text, sizeof text, "no %s held for %d and no published figure",
                         m->source == MEASURE_SRC_CIN ? "CIN census" : "SSDA903 return", year);
        return xstrdup(text);
}

/* Every annual measure asked for gets a row in each year the authority has any. */
static void fill_gaps(struct collect *c, int only_year)
{
        json_t *years = json_object();
        for (size_t i = 0; i < c->rows->n; i++)
                if (strcmp(c->rows->v[i].la, c->la) == 0 && c->rows->v[i].period == MEASURE_YEAR) {
                        char y[16];
                        snprintf(y, sizeof y, "%d", c->rows->v[i].year);
                        json_object_set_new(years, y, json_true());
                }
        if (only_year) {
                char y[16];
                snprintf(y, sizeof y, "%d", only_year);
                json_object_set_new(years, y, json_true());
        }
        const char *ykey;
        json_t *ignored;
        json_object_foreach(years, ykey, ignored)
        {
                int year = atoi(ykey);
                for (size_t i = 0, n = measure_count(); i < n; i++) {
                        const struct measure_def *m = measure_at(i);
                        if (!(m->periods & MEASURE_PERIOD_BIT(MEASURE_YEAR)))
                                continue;
                        if (c->only && !json_object_get(c->only, m->id))
                                continue;
                        char key[96];
                        snprintf(key, sizeof key, "%d|%s", year, m->id);
                        if (json_object_get(c->seen, key))
                                continue;
                        struct rows *rs = c->rows;
                        rs->v = xgrow(rs->v, &rs->cap, rs->n + 1, sizeof *rs->v);
                        struct measures_row *r = &rs->v[rs->n++];
                        memset(r, 0, sizeof *r);
                        r->m = m;
                        snprintf(r->la, sizeof r->la, "%s", c->la);
                        r->la_name = c->la_name;
                        r->period = MEASURE_YEAR;
                        snprintf(r->period_end, sizeof r->period_end, "%04d-03-31", year);
                        r->year = year;
                        r->source = "";
                        r->note = gap_note(m, year);
                        r->region_source = r->england_source = "";
                        json_object_set_new(c->seen, key, json_integer((json_int_t)(rs->n - 1)));
                }
        }
        json_decref(years);
}

static json_t *catalogue_positions(void)
{
        json_t *pos = json_object();
        for (size_t i = 0, n = measure_count(); i < n; i++)
                json_object_set_new(pos, measure_at(i)->id, json_integer((json_int_t)i));
        return pos;
}

static json_t *sort_pos;

/* Authority, period end, outcome, then catalogue order. */
static int cmp_row(const void *a, const void *b)
{
        const struct measures_row *x = a, *y = b;
        int c = strcmp(x->la, y->la);
        if (c)
                return c;
        if (x->period != y->period)
                return x->period < y->period ? -1 : 1;
        if ((c = strcmp(x->period_end, y->period_end)) != 0)
                return c;
        if (x->m->outcome != y->m->outcome)
                return x->m->outcome < y->m->outcome ? -1 : 1;
        json_int_t i = json_integer_value(json_object_get(sort_pos, x->m->id));
        json_int_t j = json_integer_value(json_object_get(sort_pos, y->m->id));
        return i < j ? -1 : i > j;
}

struct la_item {
        char code[4];
        char *name;
};

struct la_items {
        struct la_item *v;
        size_t n, cap;
};

static int add_la(void *ctx, const struct store_authority *a)
{
        struct la_items *l = ctx;
        l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
        snprintf(l->v[l->n].code, 4, "%s", a->code);
        l->v[l->n].name = xstrdup(a->name ? a->name : "");
        l->n++;
        return 0;
}

/* --children: the children one value counted, as CSV (scorecard_children). */
static int children(const struct command *cmd, const struct opts *o, long year,
                    enum measure_period period)
{
        if (!o->children)
                return cli_usage_error(cmd, "--end goes with --children");
        if (strcmp(o->la, "all") == 0 || o->measures.n != 1 || !year)
                return cli_usage_error(cmd, "--children needs one authority (--la CODE), one "
                                            "--measure and --year");
        if (o->recompute || (strcmp(o->format, "csv") != 0 && strcmp(o->format, "text") != 0) ||
            strcmp(o->audience, "internal") != 0)
                return cli_usage_error(cmd, "--children writes CSV of child-level data: no "
                                            "--recompute, --format other than csv or "
                                            "--audience outward");
        date_t end = date_from_ymd((int)year, 3, 31);
        if (period != MEASURE_YEAR) {
                if (!o->end || date_parse_iso(o->end, strlen(o->end), &end) ||
                    date_month_end(end) != end)
                        return cli_usage_error(cmd,
                                               "--period %s --children needs --end "
                                               "YYYY-MM-DD, a month end",
                                               o->period);
                int y, mo, d;
                date_to_ymd(end, &y, &mo, &d);
                if ((mo >= 4 ? y + 1 : y) != year)
                        return cli_usage_error(cmd, "--end %s is not in collection year %ld",
                                               o->end, year);
        } else if (o->end) {
                return cli_usage_error(cmd, "--end goes with --period month or rolling");
        }
        struct err e = {0};
        struct scorecard_children c = {0};
        FILE *out = NULL;
        struct store *s = store_open(cli.db, 0, &e);
        int got = s ? scorecard_children(s, o->la, o->measures.v[0], period, end, &c, &e) : -1;
        if (got == 0)
                err_set(&e, EXIT_INPUT, "authority %s has no stored %s for that period", o->la,
                        measure_find(o->measures.v[0])->source == MEASURE_SRC_CIN
                            ? "CIN census"
                            : "SSDA903 return");
        if (got == 1) {
                out = o->out ? fopen(o->out, "w") : stdout;
                if (!out)
                        err_set(&e, EXIT_INPUT, "%s: %s", o->out, strerror(errno));
        }
        if (out) {
                fputs("child,in_numerator,in_denominator\n", out);
                for (size_t i = 0; i < c.n; i++) {
                        csv_write_str(out, c.child[i].child);
                        fprintf(out, ",%ld,%ld\n", c.child[i].in_numerator,
                                c.child[i].in_denominator);
                }
                if (fflush(out) || ferror(out))
                        err_set(&e, EXIT_INTERNAL, "writing %s failed",
                                o->out ? o->out : "standard output");
                else
                        cli_info("measures: %s %s: %zu children; numerator %lld, denominator "
                                 "%lld",
                                 o->la, c.value.has_value ? "value computed" : "no value", c.n,
                                 (long long)c.value.numerator, (long long)c.value.denominator);
                if (out != stdout)
                        fclose(out);
        }
        scorecard_children_release(&c);
        store_close(s);
        return e.code ? cli_report(&e) : EXIT_OK;
}

static int check_opts(const struct command *cmd, struct opts *o, long *year,
                      enum measure_period *period, json_t **only)
{
        if (strcmp(o->la, "all") != 0 && cli_la_code(cmd, "la", o->la))
                return EXIT_USAGE;
        *year = 0;
        if (o->year && cli_int(cmd, "year", o->year, 1990, 2100, year))
                return EXIT_USAGE;
        if (strcmp(o->period, "year") == 0)
                *period = MEASURE_YEAR;
        else if (strcmp(o->period, "month") == 0)
                *period = MEASURE_MONTH;
        else if (strcmp(o->period, "rolling") == 0)
                *period = MEASURE_ROLLING;
        else
                return cli_usage_error(cmd,
                                       "option '--period' must be year, month or rolling, "
                                       "not '%s'",
                                       o->period);
        if (strcmp(o->audience, "internal") != 0 && strcmp(o->audience, "outward") != 0)
                return cli_usage_error(cmd,
                                       "option '--audience' must be internal or outward, "
                                       "not '%s'",
                                       o->audience);
        if (strcmp(o->format, "text") != 0 && strcmp(o->format, "csv") != 0 &&
            strcmp(o->format, "json") != 0 && strcmp(o->format, "xlsx") != 0)
                return cli_usage_error(cmd,
                                       "option '--format' must be text, csv, json or xlsx, "
                                       "not '%s'",
                                       o->format);
        if (strcmp(o->format, "xlsx") == 0 && !o->out)
                return cli_usage_error(cmd, "--format xlsx writes a file: give --out FILE");
        *only = NULL;
        for (size_t i = 0; i < o->measures.n; i++) {
                const struct measure_def *m = measure_find(o->measures.v[i]);
                if (!m) {
                        json_decref(*only);
                        *only = NULL;
                        return cli_usage_error(cmd,
                                               "'%s' is not a measure; see "
                                               "../shared/docs/measures.md §9 for the ids",
                                               o->measures.v[i]);
                }
                if (!*only)
                        *only = json_object();
                json_object_set_new(*only, m->id, json_true());
        }
        return 0;
}

static int write_rows(const struct opts *o, struct measures_row *rows, size_t n, struct err *e)
{
        if (strcmp(o->format, "xlsx") == 0)
                return measures_write_xlsx(o->out, rows, n, e);
        FILE *out = stdout;
        if (o->out && !(out = fopen(o->out, "w")))
                return err_set(e, EXIT_INPUT, "%s: cannot write: %s", o->out, strerror(errno));
        int rc = strcmp(o->format, "csv") == 0    ? measures_write_csv(out, rows, n, e)
                 : strcmp(o->format, "json") == 0 ? measures_write_json(out, rows, n, e)
                                                  : measures_write_text(out, rows, n, e);
        if (out != stdout && fclose(out) != 0 && rc == 0)
                rc = err_set(e, EXIT_INPUT, "%s: cannot write: %s", o->out, strerror(errno));
        return rc;
}

static int run(int argc, char **argv)
{
        const struct command *cmd = &command_measures;
        struct opts o = {.la = "all", .period = "year", .audience = "internal", .format = "text"};
        const struct cli_opt opts[] = {
            {"la", 0, CLI_VALUE, &o.la},
            {"year", 0, CLI_VALUE, &o.year},
            {"period", 0, CLI_VALUE, &o.period},
            {"measure", 0, CLI_MULTI, &o.measures},
            {"audience", 0, CLI_VALUE, &o.audience},
            {"recompute", 0, CLI_FLAG, &o.recompute},
            {"format", 0, CLI_VALUE, &o.format},
            {"out", 0, CLI_VALUE, &o.out},
            {"children", 0, CLI_FLAG, &o.children},
            {"end", 0, CLI_VALUE, &o.end},
            {0},
        };
        int code;
        if (!cli_parse(cmd, argc, argv, opts, NULL, &code)) {
                cli_list_release(&o.measures);
                return code;
        }
        long year;
        enum measure_period period = MEASURE_YEAR;
        json_t *only = NULL;
        if ((code = check_opts(cmd, &o, &year, &period, &only)) != 0) {
                cli_list_release(&o.measures);
                return code;
        }
        if (o.children || o.end) {
                json_decref(only);
                code = children(cmd, &o, year, period);
                cli_list_release(&o.measures);
                return code;
        }
        struct err e = {0};
        struct rows rows = {0};
        struct la_items las = {0};
        json_t *pos = catalogue_positions();
        struct store *s = store_open(cli.db, 0, &e);
        if (!s)
                goto fail;
        struct scorecard_stats st = {0};
        if (o.recompute) {
                if (scorecard_recompute_all(s, 2, &st, &e))
                        goto fail;
                cli_info("measures: recomputed %ld authorit%s from %ld returns: %ld values, "
                         "%ld published values, %ld benchmarks",
                         st.authorities, st.authorities == 1 ? "y" : "ies", st.returns, st.values,
                         st.published, st.benchmarks);
                cli_verbose("measures: seconds reading returns %.2f, computing %.2f (summed over "
                            "threads), writing values %.2f, published values %.2f, benchmarks "
                            "%.2f; %ld value rows changed and written",
                            st.read_s, st.compute_s, st.write_s, st.published_s, st.bench_s,
                            st.written);
        } else if (scorecard_benchmarks(s, 0, &st, &e)) {
                goto fail;
        }
        if (store_authority_each(s, add_la, &las, &e))
                goto fail;
        bool found = strcmp(o.la, "all") == 0;
        for (size_t i = 0; i < las.n; i++) {
                if (strcmp(o.la, "all") != 0 && strcmp(o.la, las.v[i].code) != 0)
                        continue;
                found = true;
                struct collect c = {&rows, las.v[i].code, las.v[i].name, only, pos, json_object()};
                int rc = store_measure_each(s, las.v[i].code, measure_period_name(period),
                                            (int)year, NULL, add_value, &c, &e);
                if (rc == 0 && period == MEASURE_YEAR) {
                        fill_gaps(&c, (int)year);
                        rc = store_bench_each(s, las.v[i].code, (int)year, NULL, add_bench, &c, &e);
                }
                json_decref(c.seen);
                if (rc)
                        goto fail;
        }
        if (!found) {
                err_set(&e, EXIT_USAGE,
                        "authority %s is not in the database %s; import it (improve import "
                        "authorities FILE) or one of its returns (improve import --la %s …)",
                        o.la, cli.db, o.la);
                goto fail;
        }
        sort_pos = pos;
        if (rows.n)
                qsort(rows.v, rows.n, sizeof *rows.v, cmp_row);
        if (strcmp(o.audience, "outward") == 0) {
                struct sdc_options so;
                sdc_options_default(&so);
                size_t kept = 0;
                for (size_t i = 0; i < rows.n; i++) {
                        /* Internal-only measures (missing from care, measures.md §3) stay in. */
                        if (rows.v[i].m->flags & MEASURE_INTERNAL_ONLY) {
                                free(rows.v[i].note);
                                continue;
                        }
                        measures_disclose(&rows.v[i], &so);
                        rows.v[kept++] = rows.v[i];
                }
                rows.n = kept;
        }
        measures_spc_fill(rows.v, rows.n);
        if (write_rows(&o, rows.v, rows.n, &e))
                goto fail;
        code = EXIT_OK;
        goto out;
fail:
        code = cli_report(&e);
out:
        store_close(s);
        for (size_t i = 0; i < rows.n; i++)
                free(rows.v[i].note);
        free(rows.v);
        for (size_t i = 0; i < las.n; i++)
                free(las.v[i].name);
        free(las.v);
        json_decref(pos);
        json_decref(only);
        cli_list_release(&o.measures);
        return code;
}
