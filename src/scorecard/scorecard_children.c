/*
 * scorecard_children.c — the children a stored value counted (scorecard.h),
 * for users allowed to see child-level data.
 *
 * Lists are not stored: they would multiply the store by the size of every
 * cohort.  Instead the authority's returns are read back as for a recompute
 * and the one value is computed again with the engine's on_child hook set
 * (measure.h, measure_counted), which every measure function calls for each
 * child it counts.  The value computed alongside is handed back too, so a
 * caller can show that the list adds up to the stored figures.
 */
#include "scorecard/scorecard_int.h"

#include "core/arena.h"
#include "core/date.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

struct event {
        const char *child; /* in the collector's arena */
        bool in_numerator;
};

struct collector {
        const struct measure_def *m;
        struct event *ev;
        size_t n, cap;
        struct arena *arena;
};

static void on_child(void *arg, const struct measure_def *m, const struct measure_window *w,
                     const char *child, bool in_numerator)
{
        (void)w;
        struct collector *c = arg;
        if (m != c->m || !child)
                return;
        c->ev = xgrow(c->ev, &c->cap, c->n + 1, sizeof *c->ev);
        c->ev[c->n].child = arena_strdup(c->arena, child);
        c->ev[c->n].in_numerator = in_numerator;
        c->n++;
}

static int cmp_event(const void *a, const void *b)
{
        return strcmp(((const struct event *)a)->child, ((const struct event *)b)->child);
}

/* The window of measure m, period p, ending at `end`, as a recompute makes it. */
static int window_of(const struct measure_def *m, enum measure_period p, date_t end,
                     struct measure_window *w, struct err *e)
{
        if (!(m->periods & MEASURE_PERIOD_BIT(p)))
                return err_set(e, EXIT_USAGE, "measure %s has no %s values", m->id,
                               measure_period_name(p));
        if (date_month_end(end) != end)
                return err_set(e, EXIT_USAGE, "a period ends on the last day of a month");
        measure_window_for(w, m, p, end);
        return 0;
}

int scorecard_children(struct store *s, const char *la, const char *measure,
                       enum measure_period period, date_t end, struct scorecard_children *out,
                       struct err *e)
{
        memset(out, 0, sizeof *out);
        arena_init(&out->arena, 0);
        const struct measure_def *m = measure_find(measure);
        if (!m)
                return err_set(e, EXIT_USAGE, "no measure %s in the catalogue", measure);
        if (!m->compute || (m->source != MEASURE_SRC_903 && m->source != MEASURE_SRC_CIN))
                return err_set(e, EXIT_USAGE,
                               "measure %s comes from published figures: it counts no children",
                               m->id);
        struct measure_window w;
        if (window_of(m, period, end, &w, e))
                return -1;
        unsigned kinds = m->source == MEASURE_SRC_903 ? SCORECARD_903 : SCORECARD_CIN;
        struct sc_job *j = sc_job_load(s, la, kinds, 0, e);
        if (!j)
                return -1;
        const struct measure_history *h = sc_job_history(j);
        /* Held as a recompute decides it: the year's return, and for rolling the whole window. */
        bool held = measure_history_holds(h, m->source, w.year) &&
                    (period != MEASURE_ROLLING || measure_window_held(h, m->source, &w));
        if (!held) {
                sc_job_free(j);
                return 0;
        }
        struct collector c = {.m = m, .arena = &out->arena};
        struct measure_ctx ctx;
        measure_ctx_init(&ctx, h);
        ctx.on_child = on_child;
        ctx.hook_arg = &c;
        struct measure_value v;
        int rc = measure_compute(&ctx, m, &w, &v, e);
        if (rc == 0) {
                out->value = v;
                out->value.note = v.note ? arena_strdup(&out->arena, v.note) : NULL;
                out->window = w;
                /* One row per child, in child order, with how often it was counted. */
                if (c.n)
                        qsort(c.ev, c.n, sizeof *c.ev, cmp_event);
                bool den = m->unit != MEASURE_RATE_PER_10K && m->unit != MEASURE_COUNT;
                out->child = xcalloc(c.n ? c.n : 1, sizeof *out->child);
                for (size_t i = 0; i < c.n; i++) {
                        struct scorecard_child *k = &out->child[out->n];
                        if (!out->n || strcmp(k[-1].child, c.ev[i].child) != 0) {
                                k->child = c.ev[i].child;
                                out->n++;
                        } else {
                                k--;
                        }
                        k->in_numerator += c.ev[i].in_numerator;
                        k->in_denominator += den;
                }
        }
        measure_ctx_release(&ctx);
        free(c.ev);
        sc_job_free(j);
        return rc < 0 ? -1 : 1;
}

void scorecard_children_release(struct scorecard_children *c)
{
        if (!c)
                return;
        free(c->child);
        arena_release(&c->arena);
        memset(c, 0, sizeof *c);
}
