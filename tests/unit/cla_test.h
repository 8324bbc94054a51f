/*
 * cla_test.h — shared helpers for the SSDA903 measure tests
 * (test_measures_cla_*.c).
 *
 * A case is one or more hand-made annual returns (inline CSV tables, loaded
 * exactly as a real return with ssda903_add_mem + ssda903_finish), a
 * population per year, and expected numerators and denominators worked out
 * by hand in the test's comments:
 *
 *      struct cla t;
 *      cla_begin(&t);
 *      cla_return(&t, 2025, NULL, R903_EPISODES "C1,01/01/2024,S,C2,N1,U1,PR1,,,,,,\n", NULL);
 *      cla_population(&t, 2025, 10000);
 *      cla_expect(&t, "cla_rate_per_10k", cla_year(2025), 1, 10000);
 *      cla_end(&t);
 *
 * The measure context is created on first use, after every return is
 * added, and counts the DQ warnings and the children reported to its hooks.
 */
#ifndef IMPROVE_CLA_TEST_H
#define IMPROVE_CLA_TEST_H

#include "test.h"

#include "core/err.h"
#include "measures/measure.h"
#include "returns/refdata.h"
#include "returns/ssda903.h"

#include <math.h>

#define CLA_MAXY 8

/* Canonical headers (as in rules903_test.h), to keep tables short. */
#define C903_HEADER "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
#define C903_EPISODES                                                                              \
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"       \
        "PL_POST,URN\n"
#define C903_UASC "CHILD,SEX,DOB,DUC\n"
#define C903_OC2                                                                                   \
        "CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,"         \
        "HEALTH_ASSESSMENT,SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED\n"
#define C903_OC3     "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n"
#define C903_AD1     "CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR\n"
#define C903_MISSING "CHILD,DOB,MISSING,MIS_START,MIS_END\n"
#define C903_SW      "CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON\n"

/* An episode row: CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,RPC,HOME_POST,PL_POST,URN */
#define EP(c, decom, rne, ls, place, dec, rec)                                                     \
        c "," decom "," rne "," ls ",N1," place ",PR1," dec "," rec ",,,,\n"
/* The same with home and placement postcodes. */
#define EPP(c, decom, rne, ls, place, dec, rec, home, pl)                                          \
        c "," decom "," rne "," ls ",N1," place ",PR1," dec "," rec ",," home "," pl ",\n"
/* A Header row. */
#define HD(c, dob) c ",M," dob ",WBRI,,,\n"

struct cla {
        struct measure_history h;
        struct ssda903_load *ld[CLA_MAXY];
        int n;
        struct measure_ctx ctx;
        bool ctx_ready;
        bool hooks; /* install the DQ and child hooks (uncached paths) */
        int dq;     /* DQ problems passed to the hook */
        char last_dq[512];
        int children, in_numerator; /* children reported to the hook */
        struct refdata_postcodes *postcodes;
};

static inline void cla_on_dq(void *arg, const struct measure_def *m, const struct measure_window *w,
                             const char *child, const char *text)
{
        (void)m;
        (void)w;
        struct cla *t = arg;
        t->dq++;
        snprintf(t->last_dq, sizeof t->last_dq, "%s: %s", child ? child : "-", text);
}

static inline void cla_on_child(void *arg, const struct measure_def *m,
                                const struct measure_window *w, const char *child,
                                bool in_numerator)
{
        (void)m;
        (void)w;
        (void)child;
        struct cla *t = arg;
        t->children++;
        t->in_numerator += in_numerator;
}

static inline void cla_begin(struct cla *t)
{
        memset(t, 0, sizeof *t);
        measure_history_init(&t->h, "999");
}

/*
 * Add the return of collection year `year`: NULL-terminated CSV tables (each
 * with its header row).  `postcodes` (may be NULL) derives PL_DISTANCE.
 */
static inline void cla_return_pc(struct cla *t, int year, const struct refdata_postcodes *pc, ...)
{
        assert_true(t->n < CLA_MAXY);
        assert_false(t->ctx_ready);
        struct ssda903_load *ld = ssda903_new();
        struct err e = {0};
        va_list ap;
        va_start(ap, pc);
        int i = 0;
        for (const char *csv; (csv = va_arg(ap, const char *));) {
                char name[32];
                snprintf(name, sizeof name, "y%d_t%d.csv", year, ++i);
                if (ssda903_add_mem(ld, name, csv, strlen(csv), 0, &e) != 0)
                        fail_msg("%s: %s", name, e.msg);
        }
        va_end(ap);
        struct ssda903_options opt = {.collection_year = year, .postcodes = pc};
        if (ssda903_finish(ld, &opt, &e) != 0)
                fail_msg("finish %d: %s", year, e.msg);
        t->ld[t->n++] = ld;
        measure_history_set_903(&t->h, year, ld);
}
#define cla_return(t, year, ...) cla_return_pc((t), (year), NULL, __VA_ARGS__)

static inline void cla_population(struct cla *t, int year, int64_t pop)
{
        measure_history_set_population(&t->h, year, pop);
}

static inline struct measure_ctx *cla_ctx(struct cla *t)
{
        if (!t->ctx_ready) {
                measure_ctx_init(&t->ctx, &t->h);
                if (t->hooks) {
                        t->ctx.on_dq = cla_on_dq;
                        t->ctx.on_child = cla_on_child;
                        t->ctx.hook_arg = t;
                }
                t->ctx_ready = true;
        }
        return &t->ctx;
}

/* Windows. */
static inline struct measure_window cla_year(int year)
{
        struct measure_window w;
        measure_window_year(&w, year, 12);
        return w;
}
static inline struct measure_window cla_year3(int year)
{
        struct measure_window w;
        measure_window_year(&w, year, 36);
        return w;
}
static inline struct measure_window cla_month(int y, int m)
{
        struct measure_window w;
        measure_window_month(&w, date_from_ymd(y, m, 1));
        return w;
}
static inline struct measure_window cla_rolling(int y, int m)
{
        struct measure_window w;
        measure_window_rolling(&w, date_from_ymd(y, m, 1), 12);
        return w;
}
static inline struct measure_window cla_rolling36(int y, int m)
{
        struct measure_window w;
        measure_window_rolling(&w, date_from_ymd(y, m, 1), 36);
        return w;
}

/* Compute one value (resets the DQ and child counters first). */
static inline struct measure_value cla_value(struct cla *t, const char *id, struct measure_window w)
{
        const struct measure_def *m = measure_find(id);
        if (!m)
                fail_msg("no measure %s", id);
        struct measure_value v;
        struct err e = {0};
        t->dq = t->children = t->in_numerator = 0;
        t->last_dq[0] = '\0';
        if (measure_compute(cla_ctx(t), m, &w, &v, &e) != 0)
                fail_msg("%s: %s", id, e.msg);
        return v;
}

/*
 * The value of `id` in window w has this numerator and denominator (for a
 * rate, the population), and a value of scale x num / den.
 */
static inline struct measure_value cla_expect(struct cla *t, const char *id,
                                              struct measure_window w, int64_t num, int64_t den)
{
        struct measure_value v = cla_value(t, id, w);
        char d[11];
        date_format_iso(w.end, d);
        if (!v.has_numerator || v.numerator != num || !v.has_denominator || v.denominator != den)
                fail_msg("%s %s (%s): got %lld / %lld (has %d/%d, note %s), expected %lld / %lld",
                         id, d, measure_period_name(w.period), (long long)v.numerator,
                         (long long)v.denominator, v.has_numerator, v.has_denominator,
                         v.note ? v.note : "-", (long long)num, (long long)den);
        const struct measure_def *m = measure_find(id);
        if (den > 0) {
                assert_true(v.has_value);
                double want = measure_scale(m) * (double)num / (double)den;
                if (fabs(v.value - want) > 1e-9 * (fabs(want) + 1))
                        fail_msg("%s: value %.12g, expected %.12g", id, v.value, want);
        } else {
                assert_false(v.has_value);
        }
        return v;
}

/* The value is empty (not available), with a note containing `note_part`. */
static inline void cla_expect_none(struct cla *t, const char *id, struct measure_window w,
                                   const char *note_part)
{
        struct measure_value v = cla_value(t, id, w);
        assert_false(v.has_value);
        if (!v.note || !strstr(v.note, note_part))
                fail_msg("%s: note \"%s\", expected it to contain \"%s\"", id,
                         v.note ? v.note : "(none)", note_part);
}

static inline void cla_end(struct cla *t)
{
        if (t->ctx_ready)
                measure_ctx_release(&t->ctx);
        measure_history_release(&t->h);
        for (int i = 0; i < t->n; i++)
                ssda903_free(t->ld[i]);
        if (t->postcodes)
                refdata_postcodes_free(t->postcodes);
        memset(t, 0, sizeof *t);
}

#endif
