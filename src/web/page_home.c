/*
 * page_home.c — GET /: the scorecard of the signed-in user's authority.
 *
 * Every measure with an annual value, grouped by National Framework outcome
 * and enabler, one table per group: the latest value, a sparkline of the
 * annual values, SPC variation and assurance (from measures_spc_fill, as
 * `improve measures` prints them), the statistical neighbours' median,
 * region and England, whether the difference from the neighbours is
 * favourable (in words), and a data-quality flag when the return behind the
 * value has errors.  Outward roles see suppressed values as "c", and a
 * suppressed value is left out of its sparkline too (a line through it
 * would show it).
 */
#include "web/pages.h"
#include "web/chart.h"
#include "web/web_data.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

/* Words for measures_spc_fill's codes (statistics.md §1.6). */
const char *web_variation_words(const char *code)
{
        static const struct {
                const char *code, *words;
        } v[] = {
            {"common_cause", "Common cause: no significant change"},
            {"improvement_high", "Special cause: improvement, higher"},
            {"improvement_low", "Special cause: improvement, lower"},
            {"concern_high", "Special cause: concern, higher"},
            {"concern_low", "Special cause: concern, lower"},
            {"neutral_high", "Special cause: higher (neither better nor worse)"},
            {"neutral_low", "Special cause: lower (neither better nor worse)"},
            {"pass", "Consistently passes the target"},
            {"fail", "Consistently fails the target"},
            {"hit_and_miss", "Hits and misses the target"},
        };
        if (!code)
                return NULL;
        for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
                if (strcmp(v[i].code, code) == 0)
                        return v[i].words;
        return code;
}

/* The GOV.UK tag class for a variation or assurance code (the words carry the meaning). */
static const char *tag_class(const char *code)
{
        if (!code)
                return "govuk-tag--grey";
        if (strncmp(code, "improvement", 11) == 0 || strcmp(code, "pass") == 0)
                return "govuk-tag--blue";
        if (strncmp(code, "concern", 7) == 0 || strcmp(code, "fail") == 0)
                return "govuk-tag--orange";
        return "govuk-tag--grey";
}

void web_versus_tag(struct html *h, const struct measures_row *r)
{
        const char *v = measures_versus_name(r);
        const char *words = NULL, *cls = "govuk-tag--grey";
        if (strcmp(v, "favourable") == 0) {
                words = "Better than neighbours";
                cls = "govuk-tag--green";
        } else if (strcmp(v, "unfavourable") == 0) {
                words = "Worse than neighbours";
                cls = "govuk-tag--red";
        } else if (strcmp(v, "above") == 0) {
                words = "Higher than neighbours";
        } else if (strcmp(v, "below") == 0) {
                words = "Lower than neighbours";
        } else if (strcmp(v, "equal") == 0) {
                words = "Same as neighbours";
        }
        if (!words) {
                html_lit(h, "<span class=\"govuk-visually-hidden\">No comparison</span>");
                return;
        }
        html_lit(h, "<strong class=\"govuk-tag ");
        html_attr(h, cls);
        html_lit(h, "\">");
        html_text(h, words);
        html_lit(h, "</strong>");
}

static void cell_value(struct html *h, const struct measures_row *r, double v, int has, int c)
{
        char b[64];
        html_lit(h, "<td class=\"govuk-table__cell govuk-table__cell--numeric\">");
        const char *t = web_value_text(r, v, has, c, b, sizeof b);
        if (*t)
                html_text(h, t);
        else
                html_lit(h, "<span class=\"govuk-visually-hidden\">none</span>");
        html_lit(h, "</td>");
}

/* Whether the return behind the value has errors (cached per source and year). */
struct dq_cache {
        int year[16];
        char source[16][8];
        long long errors[16];
        int n;
};

static long long dq_errors(struct web_ctx *c, struct dq_cache *dc, const struct measures_row *r,
                           struct err *e)
{
        for (int i = 0; i < dc->n; i++)
                if (dc->year[i] == r->year && strcmp(dc->source[i], r->source) == 0)
                        return dc->errors[i];
        long long n = web_return_errors(c->store, c->scope->la, r->source, r->year, e);
        if (n == -2)
                return -2;
        if (dc->n < 16) {
                dc->year[dc->n] = r->year;
                snprintf(dc->source[dc->n], sizeof dc->source[0], "%s", r->source);
                dc->errors[dc->n++] = n;
        }
        return n;
}

static void row_html(struct web_ctx *c, const struct web_measures *set, size_t first, size_t end,
                     long long dq)
{
        struct html *h = &c->html;
        const struct measures_row *latest = NULL;
        for (size_t i = first; i < end; i++)
                if (set->v[i].period == MEASURE_YEAR)
                        latest = &set->v[i];
        /* The latest year with a value (a suppressed value counts: it exists). */
        for (size_t i = end; i-- > first;)
                if (set->v[i].period == MEASURE_YEAR &&
                    (set->v[i].has_value || set->v[i].c_value)) {
                        latest = &set->v[i];
                        break;
                }
        if (!latest)
                return;
        const struct measure_def *m = latest->m;
        html_lit(h,
                 "<tr class=\"govuk-table__row\">\n<th scope=\"row\" class=\"govuk-table__header\">"
                 "<a class=\"govuk-link\" href=\"");
        html_url(h, arena_printf(c->arena, "/measures/%s", m->id));
        html_lit(h, "\">");
        html_text(h, m->title);
        html_lit(h, "</a></th>");
        cell_value(h, latest, latest->value, latest->has_value, latest->c_value);
        html_lit(h, "<td class=\"govuk-table__cell\">");
        html_textf(h, "%d/%02d", latest->year - 1, latest->year % 100);
        html_lit(h, "</td>");

        /* Sparkline of the annual values. */
        double y[32];
        int has[32];
        size_t n = 0;
        for (size_t i = first; i < end && n < 32; i++)
                if (set->v[i].period == MEASURE_YEAR) {
                        y[n] = set->v[i].value;
                        has[n] = set->v[i].has_value && !set->v[i].c_value;
                        n++;
                }
        html_lit(h, "<td class=\"govuk-table__cell\">");
        chart_sparkline(h, y, has, n,
                        arena_printf(c->arena, "Trend of %s over %zu years", m->title, n));
        html_lit(h, "</td>");

        const char *codes[2] = {latest->variation, latest->assurance};
        for (int k = 0; k < 2; k++) {
                html_lit(h, "<td class=\"govuk-table__cell\">");
                if (codes[k]) {
                        html_lit(h, "<strong class=\"govuk-tag ");
                        html_attr(h, tag_class(codes[k]));
                        html_lit(h, "\">");
                        html_text(h, web_variation_words(codes[k]));
                        html_lit(h, "</strong>");
                } else {
                        html_lit(h, "Not available");
                }
                html_lit(h, "</td>");
        }
        cell_value(h, latest, latest->sn_median, latest->has_sn, 0);
        cell_value(h, latest, latest->region, latest->has_region, 0);
        cell_value(h, latest, latest->england, latest->has_england, 0);
        html_lit(h, "<td class=\"govuk-table__cell\">");
        web_versus_tag(h, latest);
        html_lit(h, "</td><td class=\"govuk-table__cell\">");
        if (dq > 0) {
                html_lit(h, "<a class=\"govuk-link\" href=\"/quality\"><strong class=\"govuk-tag "
                            "govuk-tag--yellow\">");
                html_textf(h, "Return has %lld error%s", dq, dq == 1 ? "" : "s");
                html_lit(h, "</strong></a>");
        } else if (latest->dq_warnings > 0) {
                html_lit(h, "<strong class=\"govuk-tag govuk-tag--yellow\">");
                html_textf(h, "%d data warning%s", latest->dq_warnings,
                           latest->dq_warnings == 1 ? "" : "s");
                html_lit(h, "</strong>");
        } else if (strcmp(latest->source, "published") == 0) {
                html_lit(h, "Published figure");
        } else {
                html_lit(h, "No errors");
        }
        html_lit(h, "</td>\n</tr>\n");
}

static void table_begin(struct html *h, enum measure_outcome o)
{
        html_lit(h, "<h2 class=\"govuk-heading-m\">");
        html_text(h, web_outcome_title(o));
        html_lit(h, "</h2>\n<div class=\"app-table-scroll\">\n<table class=\"govuk-table "
                    "app-scorecard\">\n<caption class=\"govuk-table__caption "
                    "govuk-table__caption--s\">");
        html_text(h, web_outcome_title(o));
        html_lit(h, ": latest values and benchmarks</caption>\n<thead class=\"govuk-table__head\">"
                    "<tr class=\"govuk-table__row\">");
        html_th(h, "Measure", 0);
        html_th(h, "Latest value", 1);
        html_th(h, "Year", 0);
        html_th(h, "Trend", 0);
        html_th(h, "Variation (SPC)", 0);
        html_th(h, "Assurance (SPC)", 0);
        html_th(h, "Neighbours' median", 1);
        html_th(h, "Region", 1);
        html_th(h, "England", 1);
        html_th(h, "Compared with neighbours", 0);
        html_th(h, "Data quality", 0);
        html_lit(h, "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
}

int page_home(struct web_ctx *c)
{
        struct html *h = &c->html;
        struct err e = {0};
        struct store_authority a;
        char strings[512];
        int known = store_authority_get(c->store, c->scope->la, &a, strings, sizeof strings, &e);
        if (known < 0)
                return -1;
        struct web_measures set;
        if (web_measures_load(c->store, c->scope->la, NULL, c->scope->suppress, 0, WEB_SPC_LATEST,
                              &set, &e))
                return -1;

        web_page_begin(c, "Scorecard");
        html_lit(h, "<h1 class=\"govuk-heading-l\"><span class=\"govuk-caption-l\">");
        if (known)
                html_text(h, a.name);
        else
                html_textf(h, "Authority %s", c->scope->la);
        html_lit(h, "</span>Scorecard</h1>\n");

        int any_spc = 0;
        for (size_t i = 0; i < set.n; i++)
                any_spc |= set.v[i].variation != NULL;
        if (set.latest_year == 0) {
                html_lit(h, "<p class=\"govuk-body\">There are no measure values for this "
                            "authority yet. They are computed when its returns (SSDA903, CIN "
                            "census) or the published figures are imported.</p>\n");
                if (c->scope->role == WEB_ROLE_ADMIN || c->scope->role == WEB_ROLE_ANALYST)
                        html_lit(h, "<p class=\"govuk-body\"><a class=\"govuk-link\" "
                                    "href=\"/imports/new\">Upload a return</a></p>\n");
        } else {
                html_lit(h, "<p class=\"govuk-body\">Annual values to 31 March; the latest year "
                            "held for each measure. Benchmarks are the median of the 10 "
                            "statistical neighbours, the region and England for the same "
                            "year. Select a measure for its charts and data.</p>\n");
                if (!any_spc)
                        html_lit(h, "<div class=\"govuk-inset-text\">SPC variation and "
                                    "assurance are not computed in this version yet, so those "
                                    "columns say <strong>Not available</strong>.</div>\n");
                if (c->scope->suppress)
                        html_lit(h, "<div class=\"govuk-inset-text\">Small numbers are "
                                    "suppressed in your role and shown as <strong>c</strong> "
                                    "(fewer than 6, or a denominator under 10).</div>\n");
        }

        struct dq_cache dc = {0};
        int open = 0;
        enum measure_outcome cur = MEASURE_OUTCOME_1;
        for (size_t i = 0; i < set.n;) {
                size_t j = i;
                while (j < set.n && set.v[j].m == set.v[i].m)
                        j++;
                int any_year = 0;
                long long dq = 0;
                for (size_t k = i; k < j; k++)
                        any_year |= set.v[k].period == MEASURE_YEAR;
                if (any_year) {
                        const struct measures_row *last = NULL;
                        for (size_t k = i; k < j; k++)
                                if (set.v[k].period == MEASURE_YEAR &&
                                    (set.v[k].has_value || set.v[k].c_value))
                                        last = &set.v[k];
                        if (last && (dq = dq_errors(c, &dc, last, &e)) == -2) {
                                web_measures_release(&set);
                                return -1;
                        }
                        if (!open || set.v[i].m->outcome != cur) {
                                if (open)
                                        html_lit(h, "</tbody>\n</table>\n</div>\n");
                                cur = set.v[i].m->outcome;
                                table_begin(h, cur);
                                open = 1;
                        }
                        row_html(c, &set, i, j, dq);
                }
                i = j;
        }
        if (open)
                html_lit(h, "</tbody>\n</table>\n</div>\n");
        if (set.latest_year)
                html_lit(h, "<p class=\"govuk-body\"><a class=\"govuk-link\" "
                            "href=\"/api/v1/measures.csv\">Download every annual value (CSV)</a>"
                            "</p>\n");
        web_measures_release(&set);
        web_page_end(c);
        return 0;
}
