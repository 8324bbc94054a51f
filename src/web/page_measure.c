/*
 * page_measure.c — one measure of the signed-in user's authority:
 *
 *   GET /measures/{measure}           definition, the monthly SPC chart, the
 *                                     yearly chart against neighbours, region
 *                                     and England, where the authority sits
 *                                     among all authorities, the data table
 *   GET /measures/{measure}/spc.svg   the SPC chart (src/stats/spc_svg.c)
 *   GET /measures/{measure}/children  the children a year's value counted
 *                                     (scorecard_children; staff roles only,
 *                                     audited with the children's ids)
 *   GET /measures/{measure}/data.csv  the measure's values as `improve
 *                                     measures --format csv` writes them
 *
 * Each chart has a title and a description, its data in a table inside a
 * <details>, and a CSV link.  Suppressed values (outward roles) are missing
 * points on every chart and "c" in every table, so no chart reveals what a
 * table hides.
 */
#include "web/pages.h"
#include "web/chart.h"
#include "web/web_data.h"
#include "core/arena.h"
#include "core/date.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "scorecard/scorecard.h"
#include "stats/spc.h"
#include "stats/spc_svg.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The measure named in the path, or NULL (the caller answers 404). */
static const struct measure_def *path_measure(struct web_ctx *c)
{
        const struct measure_def *m = measure_find(web_field(c, "measure"));
        if (m && c->scope->suppress && (m->flags & MEASURE_INTERNAL_ONLY))
                return NULL; /* internal-only measures are not shown outside the authority */
        return m;
}

static void not_found(struct web_ctx *c)
{
        web_error_page(c, 404, "Page not found",
                       "There is no measure with that name. Go to the scorecard for the list.");
}

/* ---------------------------------------------------------------- the monthly series */

struct monthly {
        char (*periods)[11];
        const char **labels;
        double *y;
        size_t n, values;
};

/* Monthly values in month order; months missing between the first and last are NaN. */
static void monthly_series(const struct web_measures *set, struct monthly *out)
{
        memset(out, 0, sizeof *out);
        date_t first = 0, last = 0;
        for (size_t i = 0; i < set->n; i++) {
                if (set->v[i].period != MEASURE_MONTH)
                        continue;
                date_t d;
                if (date_parse_iso(set->v[i].period_end, 10, &d))
                        continue;
                if (!first || d < first)
                        first = d;
                if (!last || d > last)
                        last = d;
        }
        if (!first)
                return;
        int y0, m0, d0, y1, m1, d1;
        date_to_ymd(first, &y0, &m0, &d0);
        date_to_ymd(last, &y1, &m1, &d1);
        size_t n = (size_t)((y1 - y0) * 12 + (m1 - m0) + 1);
        out->periods = xcalloc(n, sizeof *out->periods);
        out->labels = xcalloc(n, sizeof *out->labels);
        out->y = xcalloc(n, sizeof *out->y);
        out->n = n;
        for (size_t k = 0; k < n; k++) {
                date_t me = date_month_end(date_add_months(date_from_ymd(y0, m0, 1), (int)k));
                date_format_iso(me, out->periods[k]);
                out->labels[k] = out->periods[k];
                out->y[k] = NAN;
        }
        for (size_t i = 0; i < set->n; i++) {
                const struct measures_row *r = &set->v[i];
                date_t d;
                if (r->period != MEASURE_MONTH || date_parse_iso(r->period_end, 10, &d))
                        continue;
                int y, m, dd;
                date_to_ymd(d, &y, &m, &dd);
                size_t k = (size_t)((y - y0) * 12 + (m - m0));
                if (k < n && r->has_value && !r->c_value && isfinite(r->value)) {
                        out->y[k] = r->value;
                        out->values++;
                }
        }
}

static void monthly_release(struct monthly *m)
{
        free(m->periods);
        free(m->labels);
        free(m->y);
}

static enum spc_direction direction_of(const struct measure_def *m)
{
        return m->polarity == BENCH_HIGHER_BETTER  ? SPC_INCREASE
               : m->polarity == BENCH_LOWER_BETTER ? SPC_DECREASE
                                                   : SPC_NEUTRAL;
}

/* An XmR chart of the monthly series; 0 and *chart filled, 1 when too few values, -1 error. */
static int monthly_chart(const struct measure_def *m, const struct monthly *mo,
                         struct spc_chart *chart, struct err *e)
{
        if (mo->values < 2)
                return 1;
        struct spc_options o;
        spc_options_init(&o);
        o.direction = direction_of(m);
        o.periods = mo->labels;
        return spc_xmr(mo->y, mo->n, &o, chart, e) ? -1 : 0;
}

/* ---------------------------------------------------------------- page parts */

static const char *count_text(int has, int c, int64_t v, char *b, size_t n)
{
        if (c)
                return "c";
        if (!has)
                return "";
        snprintf(b, n, "%lld", (long long)v);
        return b;
}

static void summary_row(struct html *h, const char *key, const char *value)
{
        html_lit(h,
                 "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">");
        html_text(h, key);
        html_lit(h, "</dt><dd class=\"govuk-summary-list__value\">");
        html_text(h, value);
        html_lit(h, "</dd></div>\n");
}

static const char *unit_words(enum measure_unit u)
{
        switch (u) {
        case MEASURE_PERCENT:
                return "percentage";
        case MEASURE_RATE_PER_10K:
                return "rate per 10,000 children aged 0 to 17";
        case MEASURE_DAYS:
                return "average in days";
        case MEASURE_MONTHS:
                return "average in months";
        case MEASURE_AVERAGE:
                return "average";
        case MEASURE_COUNT:
                return "count";
        }
        return "";
}

static void definition(struct web_ctx *c, const struct measure_def *m)
{
        struct html *h = &c->html;
        html_lit(
            h,
            "<h2 class=\"govuk-heading-m\">Definition</h2>\n<dl class=\"govuk-summary-list\">\n");
        summary_row(h, "Identifier", m->id);
        summary_row(h, "Outcome", web_outcome_title(m->outcome));
        summary_row(h, "Unit", unit_words(m->unit));
        summary_row(h, "Better when",
                    m->polarity == BENCH_HIGHER_BETTER  ? "higher"
                    : m->polarity == BENCH_LOWER_BETTER ? "lower"
                                                        : "neither: higher or lower is not better "
                                                          "in itself (demand or volume)");
        summary_row(h, "Counted from",
                    m->source == MEASURE_SRC_CIN   ? "the CIN census"
                    : m->source == MEASURE_SRC_903 ? "the SSDA903 return"
                                                   : "published figures only");
        summary_row(h, "Periods",
                    (m->periods & MEASURE_PERIOD_BIT(MEASURE_MONTH))
                        ? "year to 31 March, and each calendar month (the SPC series)"
                        : "year to 31 March");
        if (m->bench.note)
                summary_row(h, "About the benchmark", m->bench.note);
        if (m->flags & MEASURE_PROXY)
                summary_row(h, "Caveat",
                            "the published benchmark is a proxy, not the same "
                            "definition");
        if (m->flags & MEASURE_INTERNAL_ONLY)
                summary_row(h, "Caveat",
                            "for internal use only: not ranked against other "
                            "authorities");
        html_lit(h, "</dl>\n<p class=\"govuk-body-s\">The full definition is in measures.md "
                    "under this identifier.</p>\n");
}

static void csv_link(struct web_ctx *c, const struct measure_def *m, const char *period,
                     const char *label)
{
        struct html *h = &c->html;
        html_lit(h, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"");
        html_url(h, arena_printf(c->arena, "/measures/%s/data.csv?period=%s", m->id, period));
        html_lit(h, "\" download>");
        html_text(h, label);
        html_lit(h, "</a></p>\n");
}

static void spc_section(struct web_ctx *c, const struct measure_def *m,
                        const struct web_measures *set, struct err *e, int *fail)
{
        struct html *h = &c->html;
        html_lit(h, "<h2 class=\"govuk-heading-m\">Month by month: statistical process control"
                    "</h2>\n");
        if (!(m->periods & MEASURE_PERIOD_BIT(MEASURE_MONTH))) {
                html_lit(h, "<p class=\"govuk-body\">This measure has no monthly value, so it has "
                            "no SPC chart.</p>\n");
                return;
        }
        struct monthly mo;
        monthly_series(set, &mo);
        struct spc_chart chart;
        memset(&chart, 0, sizeof chart);
        int rc = monthly_chart(m, &mo, &chart, e);
        if (rc < 0) {
                *fail = 1;
                monthly_release(&mo);
                return;
        }
        if (rc == 1) {
                html_lit(h, "<p class=\"govuk-body\">There are not enough monthly values for a "
                            "chart yet.</p>\n");
                monthly_release(&mo);
                return;
        }
        const char *words = chart.variation == SPC_VARIATION_NONE ? "no limits yet"
                            : chart.variation == SPC_VARIATION_COMMON_CAUSE
                                ? "common cause variation only"
                                : "special cause variation in the latest points";
        const char *alt = arena_printf(
            c->arena,
            "XmR chart of %zu monthly values of %s from %s to %s, with the mean and process "
            "limits: %s. The values are in the table below.",
            mo.values, m->title, mo.periods[0], mo.periods[mo.n - 1], words);
        html_lit(h, "<figure class=\"app-figure\">\n<img class=\"app-chart-img\" src=\"");
        html_url(h, arena_printf(c->arena, "/measures/%s/spc.svg", m->id));
        html_lit(h, "\" alt=\"");
        html_attr(h, alt);
        html_lit(h, "\" width=\"720\" height=\"360\">\n<figcaption class=\"govuk-body-s\">");
        html_text(h, alt);
        html_lit(h, "</figcaption>\n</figure>\n");
        for (size_t i = 0; i < chart.n_warnings; i++) {
                html_lit(h, "<p class=\"govuk-body-s\">");
                html_text(h, chart.warnings[i]);
                html_lit(h, "</p>\n");
        }
        html_lit(h, "<details class=\"govuk-details\">\n<summary class=\"govuk-details__summary\">"
                    "<span class=\"govuk-details__summary-text\">Monthly values and limits as a "
                    "table</span></summary>\n<div class=\"govuk-details__text\">\n"
                    "<table class=\"govuk-table\">\n<caption class=\"govuk-table__caption "
                    "govuk-table__caption--s\">Monthly values of ");
        html_text(h, m->title);
        html_lit(h,
                 "</caption>\n<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">");
        html_th(h, "Month ending", 0);
        html_th(h, "Value", 1);
        html_th(h, "Mean", 1);
        html_th(h, "Lower limit", 1);
        html_th(h, "Upper limit", 1);
        html_lit(h, "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
        for (size_t k = 0; k < chart.n; k++) {
                const struct spc_point *p = &chart.points[k];
                char b[4][48];
                const struct measures_row *any = set->n ? &set->v[0] : NULL;
                html_lit(h, "<tr class=\"govuk-table__row\">");
                html_td(h, mo.periods[k], 0);
                /* A month without a value: suppressed ("c") or not held. */
                int suppressed = 0;
                for (size_t i = 0; i < set->n; i++)
                        if (set->v[i].period == MEASURE_MONTH && set->v[i].c_value &&
                            strcmp(set->v[i].period_end, mo.periods[k]) == 0)
                                suppressed = 1;
                html_td(h,
                        suppressed ? "c"
                                   : web_value_text(any, p->value, !isnan(p->value), 0, b[0], 48),
                        1);
                html_td(h, web_value_text(any, p->centre, !isnan(p->centre), 0, b[1], 48), 1);
                html_td(h, web_value_text(any, p->lpl, !isnan(p->lpl), 0, b[2], 48), 1);
                html_td(h, web_value_text(any, p->upl, !isnan(p->upl), 0, b[3], 48), 1);
                html_lit(h, "</tr>\n");
        }
        html_lit(h, "</tbody>\n</table>\n</div>\n</details>\n");
        csv_link(c, m, "month", "Download the monthly values (CSV)");
        spc_chart_release(&chart);
        monthly_release(&mo);
}

static void yearly_section(struct web_ctx *c, const struct measure_def *m,
                           const struct web_measures *set)
{
        struct html *h = &c->html;
        size_t n = 0;
        for (size_t i = 0; i < set->n; i++)
                n += set->v[i].period == MEASURE_YEAR;
        html_lit(h, "<h2 class=\"govuk-heading-m\">Year by year, against neighbours, region and "
                    "England</h2>\n");
        if (n == 0) {
                html_lit(h, "<p class=\"govuk-body\">No annual values are held.</p>\n");
                return;
        }
        double *y[4];
        int *has[4];
        for (int s = 0; s < 4; s++) {
                y[s] = arena_zalloc(c->arena, n * sizeof(double));
                has[s] = arena_zalloc(c->arena, n * sizeof(int));
        }
        const char **x = arena_zalloc(c->arena, n * sizeof *x);
        const struct measures_row **rows = arena_zalloc(c->arena, n * sizeof *rows);
        size_t k = 0;
        for (size_t i = 0; i < set->n; i++) {
                const struct measures_row *r = &set->v[i];
                if (r->period != MEASURE_YEAR)
                        continue;
                rows[k] = r;
                x[k] = arena_printf(c->arena, "%d/%02d", r->year - 1, r->year % 100);
                y[0][k] = r->value;
                has[0][k] = r->has_value && !r->c_value;
                y[1][k] = r->sn_median;
                has[1][k] = r->has_sn;
                y[2][k] = r->region;
                has[2][k] = r->has_region;
                y[3][k] = r->england;
                has[3][k] = r->has_england;
                k++;
        }
        struct chart_series series[4] = {
            {"This authority", y[0], has[0]},
            {"Neighbours' median", y[1], has[1]},
            {"Region", y[2], has[2]},
            {"England", y[3], has[3]},
        };
        const char *title = arena_printf(c->arena, "%s, each year", m->title);
        const char *desc = arena_printf(
            c->arena,
            "Line chart of the authority's annual value from %s to %s with the median of its "
            "statistical neighbours, its region and England. The values are in the table below.",
            x[0], x[n - 1]);
        chart_lines(h, "yearly", title, desc, series, 4, x, n);
        html_lit(h, "<details class=\"govuk-details\">\n<summary class=\"govuk-details__summary\">"
                    "<span class=\"govuk-details__summary-text\">Annual values as a table"
                    "</span></summary>\n<div class=\"govuk-details__text\">\n"
                    "<table class=\"govuk-table\">\n<caption class=\"govuk-table__caption "
                    "govuk-table__caption--s\">Annual values of ");
        html_text(h, m->title);
        html_lit(h,
                 "</caption>\n<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">");
        html_th(h, "Year", 0);
        html_th(h, "Numerator", 1);
        html_th(h, "Denominator", 1);
        html_th(h, "Value", 1);
        html_th(h, "Neighbours' median", 1);
        html_th(h, "Region", 1);
        html_th(h, "England", 1);
        html_th(h, "Rank", 1);
        html_th(h, "Compared with neighbours", 0);
        html_th(h, "Note", 0);
        html_lit(h, "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
        for (size_t i = 0; i < n; i++) {
                const struct measures_row *r = rows[i];
                char b[8][64];
                html_lit(h, "<tr class=\"govuk-table__row\"><th scope=\"row\" "
                            "class=\"govuk-table__header\">");
                html_text(h, x[i]);
                html_lit(h, "</th>");
                html_td(h, count_text(r->has_num, r->c_num, r->num, b[0], 64), 1);
                html_td(h, count_text(r->has_den, r->c_den, r->den, b[1], 64), 1);
                html_td(h, web_value_text(r, r->value, r->has_value, r->c_value, b[2], 64), 1);
                html_td(h, web_value_text(r, r->sn_median, r->has_sn, 0, b[3], 64), 1);
                html_td(h, web_value_text(r, r->region, r->has_region, 0, b[4], 64), 1);
                html_td(h, web_value_text(r, r->england, r->has_england, 0, b[5], 64), 1);
                if (r->rank && r->ranked)
                        snprintf(b[6], 64, "%d of %d", r->rank, r->ranked);
                else
                        b[6][0] = '\0';
                html_td(h, b[6], 1);
                html_lit(h, "<td class=\"govuk-table__cell\">");
                web_versus_tag(h, r);
                html_lit(h, "</td>");
                html_td(h, r->note, 0);
                html_lit(h, "</tr>\n");
        }
        html_lit(h, "</tbody>\n</table>\n</div>\n</details>\n");
        csv_link(c, m, "year", "Download the annual values (CSV)");
}

/* Every authority's annual value of one measure and year. */
struct all_values {
        struct web_ctx *c;
        double *v;
        char (*la)[4];
        const char **name;
        size_t n, cap;
        int outward;
};

static int add_other(void *vctx, const struct store_measure_value *v)
{
        struct all_values *a = vctx;
        if (!v->has_value)
                return 0;
        struct measures_row r = {0};
        r.m = measure_find(v->measure);
        if (!r.m)
                return 0;
        r.source = v->source;
        r.has_num = v->has_numerator;
        r.has_den = v->has_denominator;
        r.num = v->numerator;
        r.den = v->denominator;
        r.note = xstrdup("");
        if (a->outward)
                web_disclose(&r);
        int hidden = r.c_value;
        free(r.note);
        if (hidden)
                return 0;
        if (a->n == a->cap) {
                a->cap = a->cap ? a->cap * 2 : 64;
                a->v = xrealloc(a->v, a->cap * sizeof *a->v);
                a->la = xrealloc(a->la, a->cap * sizeof *a->la);
        }
        a->v[a->n] = v->value;
        snprintf(a->la[a->n], 4, "%s", v->la);
        a->n++;
        return 0;
}

/* A value and where it was: sorting by both keeps equal values in their order (stable). */
struct ranked {
        double v;
        size_t i;
};

static int ranked_cmp(const void *pa, const void *pb)
{
        const struct ranked *x = pa, *y = pb;
        if (x->v < y->v)
                return -1;
        if (x->v > y->v)
                return 1;
        return (x->i > y->i) - (x->i < y->i);
}

static void position_section(struct web_ctx *c, const struct measure_def *m,
                             const struct web_measures *set, struct err *e, int *fail)
{
        struct html *h = &c->html;
        const struct measures_row *latest = NULL;
        for (size_t i = 0; i < set->n; i++)
                if (set->v[i].period == MEASURE_YEAR && set->v[i].has_value)
                        latest = &set->v[i];
        html_lit(h, "<h2 class=\"govuk-heading-m\">Where the authority sits among all "
                    "authorities</h2>\n");
        if (!latest) {
                html_lit(h, "<p class=\"govuk-body\">No annual value to compare.</p>\n");
                return;
        }
        struct all_values a = {.c = c, .outward = c->scope->suppress};
        /* One index range per authority (la, period, ...), not a scan; cached per connection. */
        if (web_year_values_each(c->store, m->id, latest->year, add_other, &a, e)) {
                *fail = 1;
                goto out;
        }
        size_t mine = (size_t)-1;
        for (size_t i = 0; i < a.n; i++)
                if (strcmp(a.la[i], c->scope->la) == 0)
                        mine = i;
        const char *yl = arena_printf(c->arena, "%d/%02d", latest->year - 1, latest->year % 100);
        if (latest->rank && latest->ranked) {
                html_lit(h, "<p class=\"govuk-body\">");
                html_textf(h,
                           "In %s the authority ranked %d of %d (1 is the %s), in quartile "
                           "band %d.",
                           yl, latest->rank, latest->ranked,
                           m->polarity == BENCH_NEUTRAL ? "lowest" : "best", latest->quartile);
                html_lit(h, "</p>\n");
        } else
                html_lit(h, "<p class=\"govuk-body\">This measure is not ranked for the "
                            "authority (never ranked, suppressed, or no value).</p>\n");
        chart_strip(h, "position",
                    arena_printf(c->arena, "%s in %s: every authority", m->title, yl),
                    arena_printf(c->arena,
                                 "Each mark is one of %zu authorities' values, from lowest to "
                                 "highest; the diamond is this authority.",
                                 a.n),
                    a.v, a.n, mine, "This authority");
        /* The strip's data: the values in order, without naming other authorities. */
        struct ranked *order = xmalloc((a.n ? a.n : 1) * sizeof *order);
        for (size_t i = 0; i < a.n; i++)
                order[i] = (struct ranked){a.v[i], i};
        if (a.n)
                qsort(order, a.n, sizeof *order, ranked_cmp);
        double *sorted = xmalloc((a.n ? a.n : 1) * sizeof *sorted);
        for (size_t i = 0; i < a.n; i++)
                sorted[i] = order[i].v;
        free(order);
        html_lit(h, "<details class=\"govuk-details\">\n<summary class=\"govuk-details__summary\">"
                    "<span class=\"govuk-details__summary-text\">Every authority's value as a "
                    "table</span></summary>\n<div class=\"govuk-details__text\">\n"
                    "<table class=\"govuk-table\">\n<caption class=\"govuk-table__caption "
                    "govuk-table__caption--s\">Values of all authorities in ");
        html_text(h, yl);
        html_lit(h, ", lowest first</caption>\n<thead class=\"govuk-table__head\">"
                    "<tr class=\"govuk-table__row\">");
        html_th(h, "Position", 1);
        html_th(h, "Value", 1);
        html_th(h, "Authority", 0);
        html_lit(h, "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
        int shown_mine = 0;
        for (size_t i = 0; i < a.n; i++) {
                char b[2][48];
                snprintf(b[0], 48, "%zu", i + 1);
                html_lit(h, "<tr class=\"govuk-table__row\">");
                html_td(h, b[0], 1);
                html_td(h, web_value_text(latest, sorted[i], 1, 0, b[1], 48), 1);
                int is_mine = !shown_mine && mine < a.n && sorted[i] == a.v[mine];
                shown_mine |= is_mine;
                html_td(h, is_mine ? "This authority" : "", 0);
                html_lit(h, "</tr>\n");
        }
        html_lit(h, "</tbody>\n</table>\n</div>\n</details>\n");
        free(sorted);
        csv_link(c, m, "year", "Download the annual values (CSV)");
out:
        free(a.v);
        free(a.la);
}

int page_measure(struct web_ctx *c)
{
        const struct measure_def *m = path_measure(c);
        if (!m) {
                not_found(c);
                return 0;
        }
        struct err e = {0};
        struct web_measures set;
        if (web_measures_load(c->store, c->scope->la, m->id, c->scope->suppress, 1, WEB_SPC_NONE,
                              &set, &e))
                return -1;
        struct html *h = &c->html;
        web_page_begin(c, m->title);
        html_lit(h, "<a href=\"/\" class=\"govuk-back-link\">Back to the scorecard</a>\n"
                    "<h1 class=\"govuk-heading-l\"><span class=\"govuk-caption-l\">");
        html_text(h, web_outcome_title(m->outcome));
        html_lit(h, "</span>");
        html_text(h, m->title);
        html_lit(h, "</h1>\n");
        if (c->scope->suppress)
                html_lit(h, "<div class=\"govuk-inset-text\">Small numbers are suppressed in "
                            "your role and shown as <strong>c</strong>; they are gaps in the "
                            "charts.</div>\n");
        definition(c, m);
        int fail = 0;
        spc_section(c, m, &set, &e, &fail);
        if (!fail)
                yearly_section(c, m, &set);
        if (!fail)
                position_section(c, m, &set, &e, &fail);
        if (!fail && (WEB_STAFF & WEB_ROLE(c->scope->role)) && m->compute) {
                /* Child-level: only for the roles allowed it, and the list page is audited. */
                int latest = 0;
                for (size_t i = 0; i < set.n; i++)
                        if (set.v[i].period == MEASURE_YEAR && set.v[i].has_value &&
                            strcmp(set.v[i].source, "published") != 0)
                                latest = set.v[i].year;
                html_lit(h, "<h2 class=\"govuk-heading-m\">Children counted</h2>\n");
                if (latest) {
                        html_lit(h, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"");
                        html_url(h, arena_printf(c->arena, "/measures/%s/children?year=%d", m->id,
                                                 latest));
                        html_lit(h, "\">");
                        html_textf(h, "The children counted in %d/%02d", latest - 1, latest % 100);
                        html_lit(h, "</a>. Opening the list is recorded in the audit log.</p>\n");
                } else {
                        html_lit(h, "<p class=\"govuk-body\">No value of this measure was "
                                    "computed from a stored return, so there is no list.</p>\n");
                }
        }
        web_measures_release(&set);
        if (fail)
                return -1;
        web_page_end(c);
        return 0;
}

static int latest_year(void *vctx, const struct store_measure_value *v)
{
        int *year = vctx;
        if (v->year > *year)
                *year = v->year;
        return 0;
}

int page_measure_children(struct web_ctx *c)
{
        const struct measure_def *m = path_measure(c);
        if (!m) {
                not_found(c);
                return 0;
        }
        const char *ytext = web_field(c, "year");
        int year = ytext ? atoi(ytext) : 0;
        struct err e = {0};
        if (!ytext) {
                /* The latest year with a value. */
                if (store_measure_each(c->store, c->scope->la, "year", 0, m->id, latest_year, &year,
                                       &e))
                        return -1;
        }
        if (year < 2000 || year > 2100) {
                web_error_page(c, 404, "Page not found", "Choose a year from the measure's page.");
                return 0;
        }
        struct scorecard_children kids;
        memset(&kids, 0, sizeof kids);
        int rc = scorecard_children(c->store, c->scope->la, m->id, MEASURE_YEAR,
                                    date_from_ymd(year, 3, 31), &kids, &e);
        if (rc < 0 && e.code == EXIT_USAGE) {
                scorecard_children_release(&kids);
                web_error_page(c, 404, "Page not found", "This measure has no list of children.");
                return 0;
        }
        if (rc < 0) {
                scorecard_children_release(&kids);
                fprintf(stderr, "improve serve: %s\n", e.msg);
                return -1;
        }
        struct html *h = &c->html;
        const char *yl = arena_printf(c->arena, "%d/%02d", year - 1, year % 100);
        web_page_begin(c, arena_printf(c->arena, "Children counted: %s", m->id));
        html_lit(h, "<a class=\"govuk-back-link\" href=\"");
        html_url(h, arena_printf(c->arena, "/measures/%s", m->id));
        html_lit(h, "\">Back to the measure</a>\n<h1 class=\"govuk-heading-l\"><span "
                    "class=\"govuk-caption-l\">");
        html_text(h, m->title);
        html_lit(h, "</span>");
        html_textf(h, "Children counted in %s", yl);
        html_lit(h, "</h1>\n");
        struct buf ids;
        buf_init(&ids);
        if (rc == 0) {
                html_lit(h, "<p class=\"govuk-body\">No return of this authority covers that "
                            "year.</p>\n");
        } else {
                char b[3][64];
                const struct measures_row row = {.m = m};
                html_lit(h, "<p class=\"govuk-body\">");
                html_textf(
                    h, "%zu children. The value computed from them is %s.", kids.n,
                    web_value_text(&row, kids.value.value, kids.value.has_value, 0, b[0], 64));
                html_lit(h, "</p>\n<table class=\"govuk-table\">\n<caption "
                            "class=\"govuk-table__caption govuk-table__caption--s\">Children "
                            "counted, with how often each is in the numerator and the "
                            "denominator</caption>\n<thead class=\"govuk-table__head\"><tr "
                            "class=\"govuk-table__row\">");
                html_th(h, "Child", 0);
                html_th(h, "In the numerator", 1);
                html_th(h, "In the denominator", 1);
                html_lit(h, "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
                for (size_t i = 0; i < kids.n; i++) {
                        snprintf(b[1], 64, "%ld", kids.child[i].in_numerator);
                        snprintf(b[2], 64, "%ld", kids.child[i].in_denominator);
                        html_lit(h, "<tr class=\"govuk-table__row\">");
                        html_td(h, kids.child[i].child, 0);
                        html_td(h, b[1], 1);
                        html_td(h, b[2], 1);
                        html_lit(h, "</tr>\n");
                        if (ids.len < 200000) {
                                if (ids.len)
                                        buf_putc(&ids, ',');
                                buf_puts(&ids, kids.child[i].child);
                        }
                }
                html_lit(h, "</tbody>\n</table>\n");
        }
        web_page_end(c);
        c->audit_detail =
            arena_printf(c->arena, "children counted by %s in %s: %zu", m->id, yl, kids.n);
        c->audit_children = ids.len ? arena_strdup(c->arena, ids.data) : NULL;
        buf_release(&ids);
        scorecard_children_release(&kids);
        return 0;
}

int page_measure_svg(struct web_ctx *c)
{
        const struct measure_def *m = path_measure(c);
        if (!m) {
                not_found(c);
                return 0;
        }
        struct err e = {0};
        struct web_measures set;
        if (web_measures_load(c->store, c->scope->la, m->id, c->scope->suppress, 1, WEB_SPC_NONE,
                              &set, &e))
                return -1;
        struct monthly mo;
        monthly_series(&set, &mo);
        struct spc_chart chart;
        memset(&chart, 0, sizeof chart);
        int rc = monthly_chart(m, &mo, &chart, &e);
        if (rc == 0) {
                c->resp->content_type = "image/svg+xml";
                spc_svg_xmr(&c->resp->body, &chart, mo.labels, m->title);
                spc_chart_release(&chart);
        } else if (rc == 1) {
                http_respond_text(c->resp, 404, "not enough monthly values for a chart\n");
        }
        monthly_release(&mo);
        web_measures_release(&set);
        return rc < 0 ? -1 : 0;
}

int page_measure_csv(struct web_ctx *c)
{
        const struct measure_def *m = path_measure(c);
        if (!m) {
                not_found(c);
                return 0;
        }
        const char *period = web_field(c, "period");
        int month = period && strcmp(period, "month") == 0;
        struct err e = {0};
        struct web_measures set;
        if (web_measures_load(c->store, c->scope->la, m->id, c->scope->suppress, 1, WEB_SPC_ALL,
                              &set, &e))
                return -1;
        size_t kept = 0;
        for (size_t i = 0; i < set.n; i++) {
                if ((set.v[i].period == MEASURE_MONTH) == month)
                        set.v[kept++] = set.v[i];
                else
                        free(set.v[i].note);
        }
        set.n = kept;
        int rc = web_write_csv(c, &set,
                               arena_printf(c->arena, "%s-%s-%s.csv", c->scope->la, m->id,
                                            month ? "monthly" : "annual"),
                               &e);
        web_measures_release(&set);
        return rc;
}
