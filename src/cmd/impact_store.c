/*
 * impact_store.c — the store form of `improve impact`: an authority's stored
 * measure series around a registered change (or a date), with every other
 * authority that has values for the measure as a possible comparison unit.
 *
 * Periods are the discrete monthly values or the yearly ones, never rolling
 * (issue 8).  The first post-change period is the first that starts on or
 * after the change date; a period the date falls inside is a transition and
 * is left out of the axis altogether unless --keep-transition (the rule is
 * src/stats/impact_periods.c).  Values flagged "incomplete look-back" (an
 * earlier return the measure needs is not held) are not comparable with the
 * rest and count as missing.  Comparison units are all authorities, the
 * treated one's statistical neighbours, or its region, less any authority
 * that had a change of the same kind inside the window.
 */
#include "cmd/impact_int.h"
#include "core/date.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "measures/measure.h"
#include "stats/impact_periods.h"
#include "store/store.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void impact_store_input_release(struct impact_store_input *in)
{
        impact_panel_release(&in->p);
        free(in->exclude);
        free(in->treated_name);
        free(in->start);
        free(in->change);
        for (size_t i = 0; i < in->n_warnings; i++)
                free(in->warnings[i]);
        free(in->warnings);
        memset(in, 0, sizeof *in);
}

static void warn(struct impact_store_input *in, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void warn(struct impact_store_input *in, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        char *s = NULL;
        if (vasprintf(&s, fmt, ap) < 0)
                s = xstrdup("(warning could not be formatted)");
        va_end(ap);
        in->warnings = xrealloc(in->warnings, (in->n_warnings + 1) * sizeof *in->warnings);
        in->warnings[in->n_warnings++] = s;
}

/* ---------------------------------------------------------------- the event */

struct change {
        char la[4];
        char date[11];
        char kind[32];
        char title[256];
};

static int got_event(void *ctx, const struct store_event *ev)
{
        struct change *c = ctx;
        snprintf(c->la, sizeof c->la, "%s", ev->la);
        snprintf(c->date, sizeof c->date, "%s", ev->date);
        snprintf(c->kind, sizeof c->kind, "%s", ev->kind);
        snprintf(c->title, sizeof c->title, "%s", ev->title);
        return 0;
}

/* ---------------------------------------------------------------- the values */

struct value {
        char la[4];
        char end[11];
        double v; /* NaN: missing or not comparable */
        int lookback;
};

struct values {
        struct value *v;
        size_t n, cap;
};

static int got_value(void *ctx, const struct store_measure_value *m)
{
        struct values *vs = ctx;
        vs->v = xgrow(vs->v, &vs->cap, vs->n + 1, sizeof *vs->v);
        struct value *x = &vs->v[vs->n++];
        snprintf(x->la, sizeof x->la, "%s", m->la);
        snprintf(x->end, sizeof x->end, "%s", m->period_end);
        x->lookback = m->lookback_incomplete;
        x->v = m->has_value && !m->lookback_incomplete ? m->value : NAN;
        return 0;
}

static int by_end(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---------------------------------------------------------------- donors */

struct region_map {
        char (*code)[4];
        char (*region)[16];
        size_t n, cap;
};

static int got_authority(void *ctx, const struct store_authority *a)
{
        struct region_map *m = ctx;
        size_t cap = m->cap;
        m->code = xgrow(m->code, &cap, m->n + 1, sizeof *m->code);
        m->region = xgrow(m->region, &m->cap, m->n + 1, sizeof *m->region);
        snprintf(m->code[m->n], sizeof m->code[0], "%s", a->code);
        snprintf(m->region[m->n], sizeof m->region[0], "%s", a->region_code ? a->region_code : "");
        m->n++;
        return 0;
}

struct same_kind {
        const char *kind, *treated;
        date_t from, to;
        const struct impact_panel *p;
        unsigned char *hit;
};

static int got_other_event(void *ctx, const struct store_event *ev)
{
        struct same_kind *k = ctx;
        date_t d;
        if (strcmp(ev->kind, k->kind) != 0 || strcmp(ev->la, k->treated) == 0 ||
            date_parse_iso(ev->date, strlen(ev->date), &d) != 0 || d < k->from || d > k->to)
                return 0;
        size_t u = impact_find_unit(k->p, ev->la);
        if (u < k->p->nunits)
                k->hit[u] = 1;
        return 0;
}

/* Mark every unit that is not a comparison unit; say how many and why. */
static int choose_donors(struct store *s, const struct impact_store_request *q,
                         const struct change *c, const date_t *first, const date_t *last,
                         struct impact_store_input *in, struct err *e)
{
        struct impact_panel *p = &in->p;
        in->exclude = xcalloc(p->nunits ? p->nunits : 1, 1);
        const char *donors = q->donors ? q->donors : "all";
        size_t outside = 0, changed = 0;
        if (strcmp(donors, "neighbours") == 0) {
                char pool[1024];
                struct store_authority a;
                if (store_authority_get(s, q->la, &a, pool, sizeof pool, e) < 0)
                        return -1;
                size_t listed = 0;
                for (size_t u = 0; u < p->nunits; u++) {
                        int near = 0;
                        for (int k = 0; k < STORE_NEIGHBOURS; k++)
                                near |= strcmp(a.neighbours[k], p->units[u]) == 0;
                        listed += near;
                        if (!near && u != in->treated) {
                                in->exclude[u] = 1;
                                outside++;
                        }
                }
                if (listed == 0)
                        warn(in,
                             "authority %s has no statistical neighbours with values in the "
                             "database, so there are no comparison units",
                             q->la);
        } else if (strcmp(donors, "region") == 0) {
                struct region_map m = {0};
                if (store_authority_each(s, got_authority, &m, e)) {
                        free(m.code);
                        free(m.region);
                        return -1;
                }
                const char *mine = "";
                for (size_t i = 0; i < m.n; i++)
                        if (strcmp(m.code[i], q->la) == 0)
                                mine = m.region[i];
                for (size_t u = 0; u < p->nunits; u++) {
                        const char *theirs = NULL;
                        for (size_t i = 0; i < m.n && !theirs; i++)
                                if (strcmp(m.code[i], p->units[u]) == 0)
                                        theirs = m.region[i];
                        if (u != in->treated && (!*mine || !theirs || strcmp(theirs, mine) != 0)) {
                                in->exclude[u] = 1;
                                outside++;
                        }
                }
                if (!*mine)
                        warn(in,
                             "the region of authority %s is not known, so there are no "
                             "comparison units",
                             q->la);
                free(m.code);
                free(m.region);
        }
        if (c->kind[0] && p->nperiods) {
                unsigned char *hit = xcalloc(p->nunits ? p->nunits : 1, 1);
                struct same_kind k = {c->kind, q->la, first[0], last[p->nperiods - 1], p, hit};
                if (store_event_each(s, NULL, got_other_event, &k, e)) {
                        free(hit);
                        return -1;
                }
                for (size_t u = 0; u < p->nunits; u++)
                        if (hit[u] && !in->exclude[u]) {
                                in->exclude[u] = 1;
                                changed++;
                        }
                free(hit);
        }
        if (outside)
                warn(in, "%zu authorit%s outside the chosen comparison group (%s) left out",
                     outside, outside == 1 ? "y" : "ies", donors);
        if (changed)
                warn(in,
                     "%zu authorit%s with a change of the same kind (%s) in the window left out "
                     "of the comparison units",
                     changed, changed == 1 ? "y" : "ies", c->kind);
        return 0;
}

/* ---------------------------------------------------------------- the panel */

static void period_bounds(const char *end, int monthly, date_t *first, date_t *last)
{
        date_t d = 0;
        date_parse_iso(end, strlen(end), &d);
        *last = d;
        if (monthly) {
                int y, m, dd;
                date_to_ymd(d, &y, &m, &dd);
                *first = date_from_ymd(y, m, 1);
        } else {
                *first = date_year_start(date_collection_year(d));
        }
}

int impact_store_load(struct store *s, const struct impact_store_request *q,
                      struct impact_store_input *in, struct err *e)
{
        memset(in, 0, sizeof *in);
        struct change c;
        memset(&c, 0, sizeof c);
        if (q->event_id > 0) {
                int found = store_event_get(s, q->event_id, got_event, &c, e);
                if (found < 0)
                        return -1;
                if (!found)
                        return err_set(e, EXIT_USAGE,
                                       "no event %lld in the change register (see improve event "
                                       "list)",
                                       (long long)q->event_id);
                if (strcmp(c.la, q->la) != 0)
                        return err_set(e, EXIT_USAGE,
                                       "event %lld is a change in authority %s, not %s",
                                       (long long)q->event_id, c.la, q->la);
        } else {
                snprintf(c.la, sizeof c.la, "%s", q->la);
                snprintf(c.date, sizeof c.date, "%s", q->date);
        }
        date_t change;
        if (date_parse_iso(c.date, strlen(c.date), &change) != 0)
                return err_set(e, EXIT_USAGE, "the change date '%s' is not a real date", c.date);
        const struct measure_def *def = measure_find(q->measure);
        if (!def)
                return err_set(e, EXIT_USAGE, "--measure '%s' is not in the measure catalogue",
                               q->measure);
        int has_month = (def->periods & MEASURE_PERIOD_BIT(MEASURE_MONTH)) != 0;
        int monthly = q->period ? strcmp(q->period, "month") == 0 : has_month;
        if (monthly && !has_month)
                return err_set(e, EXIT_USAGE,
                               "measure %s has no monthly values (they would not be meaningful); "
                               "use --period year",
                               q->measure);

        struct values vs = {0};
        if (store_measure_each(s, NULL, monthly ? "month" : "year", 0, q->measure, got_value, &vs,
                               e)) {
                free(vs.v);
                return -1;
        }
        /* The axis: distinct period ends in order; units: authorities in code order. */
        char **ends = xmalloc((vs.n + 1) * sizeof *ends);
        size_t ne = 0;
        for (size_t i = 0; i < vs.n; i++)
                ends[ne++] = vs.v[i].end;
        qsort(ends, ne, sizeof *ends, by_end);
        size_t np = 0;
        for (size_t i = 0; i < ne; i++)
                if (np == 0 || strcmp(ends[i], ends[np - 1]) != 0)
                        ends[np++] = ends[i];
        date_t *first = xmalloc((np + 1) * sizeof *first), *last = xmalloc((np + 1) * sizeof *last);
        for (size_t t = 0; t < np; t++)
                period_bounds(ends[t], monthly, &first[t], &last[t]);
        enum impact_role *roles = xmalloc((np + 1) * sizeof *roles);
        impact_period_roles(first, last, np, change, q->keep_transition, roles);

        struct impact_panel *p = &in->p;
        p->path = "the database";
        p->kind = IMPACT_TIME_DATE;
        p->keys = xmalloc((np + 1) * sizeof *p->keys);
        p->labels = xmalloc((np + 1) * sizeof *p->labels);
        size_t *col = xmalloc((np + 1) * sizeof *col);
        for (size_t t = 0; t < np; t++) {
                col[t] = (size_t)-1;
                if (roles[t] == IMPACT_TRANSITION) {
                        warn(in,
                             "the period ending %s straddles the change (%s) and is left out "
                             "(--keep-transition keeps it)",
                             ends[t], c.date);
                        continue;
                }
                col[t] = p->nperiods;
                in->first_post += roles[t] == IMPACT_PRE;
                p->keys[p->nperiods] = first[t];
                p->labels[p->nperiods++] = xstrdup(ends[t]);
        }
        size_t ucap = 0;
        for (size_t i = 0; i < vs.n; i++)
                if (impact_find_unit(p, vs.v[i].la) == p->nunits) {
                        p->units = xgrow(p->units, &ucap, p->nunits + 1, sizeof *p->units);
                        p->units[p->nunits++] = xstrdup(vs.v[i].la);
                }
        p->y = xmalloc((p->nunits * p->nperiods + 1) * sizeof *p->y);
        for (size_t k = 0; k < p->nunits * p->nperiods; k++)
                p->y[k] = NAN;
        p->series = xcalloc(1, sizeof *p->series);
        p->series_cols = xcalloc(1, sizeof *p->series_cols);
        size_t lookback = 0;
        for (size_t i = 0; i < vs.n; i++) {
                char **hit = bsearch(&(char *){vs.v[i].end}, ends, np, sizeof *ends, by_end);
                size_t t = col[hit - ends];
                if (t == (size_t)-1)
                        continue;
                size_t u = impact_find_unit(p, vs.v[i].la);
                p->y[u * p->nperiods + t] = vs.v[i].v;
                lookback += vs.v[i].lookback && strcmp(vs.v[i].la, q->la) == 0;
        }
        free(col);
        free(roles);
        in->treated = impact_find_unit(p, q->la);
        size_t have = 0;
        for (size_t t = 0; in->treated < p->nunits && t < p->nperiods; t++)
                have += !isnan(p->y[in->treated * p->nperiods + t]);
        int ret = 0;
        if (have == 0) {
                ret = err_set(e, EXIT_USAGE,
                              "no %s values of %s for authority %s in the database; import its "
                              "returns (improve import) and see improve measures --la %s "
                              "--period %s",
                              monthly ? "monthly" : "yearly", q->measure, q->la, q->la,
                              monthly ? "month" : "year");
                goto done;
        }
        if (lookback)
                warn(in,
                     "%zu value%s of %s flagged 'incomplete look-back' (an earlier return the "
                     "measure needs is not held) left out",
                     lookback, lookback == 1 ? "" : "s", q->la);
        if (choose_donors(s, q, &c, first, last, in, e)) {
                ret = -1;
                goto done;
        }
        char pool[1024];
        struct store_authority a;
        int known = store_authority_get(s, q->la, &a, pool, sizeof pool, e);
        if (known < 0) {
                ret = -1;
                goto done;
        }
        if (!known || asprintf(&in->treated_name, "%s %s", q->la, a.name) < 0)
                in->treated_name = xstrdup(q->la);
        in->start = xstrdup(c.date);
        if (c.kind[0] && asprintf(&in->change, "%s on %s", c.title, c.date) < 0)
                in->change = NULL;
        in->outcome = def->id;
done:
        free(first);
        free(last);
        free(ends);
        free(vs.v);
        if (ret)
                impact_store_input_release(in);
        return ret;
}
