/*
 * cla_o4_oc3.c — care leavers (measures.md §4.5): in education, employment
 * or training, in suitable accommodation, and in touch, for the young people
 * aged 17-18 and 19-21 on their birthday in the year.
 *
 * The OC3 table of a return lists the care leavers whose birthday falls in
 * its year.  The annual value takes them all; a month those whose birthday
 * falls in the month; a rolling window those whose birthday falls in it,
 * each year's read from its own return.  Left out, as in DfE's figures:
 * IN_TOUCH DIED or RHOM, care taken over by another authority (last known
 * episode REC E3), and a last period of care made of short breaks only.
 */
#include "measures/cla_util.h"

#include <stdlib.h>
#include <string.h>

struct leaver {
        date_t birthday; /* the birthday in the return's year */
        uint32_t k;
        int band; /* 1: 17-18, 2: 19-21, 0: neither */
        bool excluded, eet, suitable, in_touch;
};

/*
 * The young people of one return who count (in a band, not excluded), by
 * birthday, with running counts so that a window is two binary searches:
 * c[band][what][i] counts the first i that are yes, c[band][3][i] all of them.
 */
struct leavers {
        size_t n;
        struct leaver *v;
        int32_t *c[3][4]; /* [band 1..2][EET, SUITABLE, IN_TOUCH, all][n + 1] */
};

static const char *const activ_eet[] = {"F1", "P1", "F2", "P2", "F3", "P3",
                                        "F4", "P4", "F5", "P5", NULL};

/* The birthday of someone born on dob that falls in collection year `year`. */
static date_t birthday_in(date_t dob, int year)
{
        int y, m, d;
        date_to_ymd(dob, &y, &m, &d);
        int by = m <= 3 ? year : year - 1;
        if (m == 2 && d == 29 && !date_ymd_valid(by, 2, 29))
                d = 28;
        return date_from_ymd(by, m, d);
}

/*
 * The young person's last known episode (as of return y, looking back as far
 * as the history goes) is REC E3, or the period of care it ends is all V3/V4.
 */
static bool excluded_by_care(struct measure_ctx *ctx, const struct mcla_year *y, uint32_t k,
                             struct measure_eps *e)
{
        uint32_t gid = y->gid[k];
        (void)ctx;
        for (const struct mcla_year *old = y; old; old = old->older) {
                uint32_t k2 = mcla_k_of(old, gid);
                if (k2 == MCLA_NONE || mcla_history(old, k2, e) == 0)
                        continue;
                size_t last = e->n;
                while (last > 0 && !measure_date_known(e->ep[last - 1]->d[EP_DECOM]))
                        last--;
                if (last == 0)
                        return false;
                last--;
                const char *rec = e->ep[last]->v[EP_REC];
                if (rec && strcmp(rec, "E3") == 0)
                        return true;
                for (size_t j = measure_poc_start(e, last); j <= last; j++)
                        if (!measure_ep_short_break(e->ep[j]))
                                return false;
                return true;
        }
        return false;
}

static int leaver_cmp(const void *a, const void *b)
{
        const struct leaver *x = a, *y = b;
        if (x->birthday != y->birthday)
                return x->birthday < y->birthday ? -1 : 1;
        return x->k < y->k ? -1 : x->k > y->k;
}

static const char key_leavers;

static const struct leavers *leavers_of(struct measure_ctx *ctx, const struct mcla_year *y)
{
        struct leavers **per = measure_cache_get(ctx, &key_leavers);
        if (!per) {
                per = arena_zalloc(&ctx->arena, (ctx->h->n ? ctx->h->n : 1) * sizeof *per);
                measure_cache_put(ctx, &key_leavers, per, NULL);
        }
        size_t yi = (size_t)(measure_history_year(ctx->h, y->year) - ctx->h->years);
        if (per[yi])
                return per[yi];
        const struct ssda903_table *t = &y->ld->t[SSDA903_OC3];
        struct leavers *ls = arena_zalloc(&ctx->arena, sizeof *ls);
        ls->v = arena_zalloc(&ctx->arena, (t->n + 1) * sizeof *ls->v);
        struct measure_eps e;
        measure_eps_init(&e);
        for (size_t i = 0; i < t->n; i++) {
                const struct ssda903_row *r = &t->rows[i];
                date_t dob = measure_903_dob(y->ld, r->child, r, O3_DOB);
                int age = measure_age_oc3(dob, y->year);
                struct leaver *l = &ls->v[ls->n++];
                l->k = r->child;
                l->birthday = measure_date_known(dob) ? birthday_in(dob, y->year) : DATE_NONE;
                l->band = age == 17 || age == 18 ? 1 : age >= 19 && age <= 21 ? 2 : 0;
                if (!l->band)
                        continue;
                const char *touch = r->v[O3_IN_TOUCH], *accom = r->v[O3_ACCOM];
                l->excluded =
                    (touch && (strcmp(touch, "DIED") == 0 || strcmp(touch, "RHOM") == 0)) ||
                    excluded_by_care(ctx, y, r->child, &e);
                l->eet = mcla_code_in(r->v[O3_ACTIV], activ_eet);
                l->suitable = accom && strlen(accom) == 2 && accom[1] == '1';
                l->in_touch = touch && strcmp(touch, "YES") == 0;
        }
        measure_eps_release(&e);
        /* Keep those who count, by birthday, with their running counts. */
        size_t m = 0;
        for (size_t i = 0; i < ls->n; i++)
                if (ls->v[i].band && !ls->v[i].excluded && measure_date_known(ls->v[i].birthday))
                        ls->v[m++] = ls->v[i];
        ls->n = m;
        qsort(ls->v, m, sizeof *ls->v, leaver_cmp);
        for (int band = 1; band <= 2; band++)
                for (int what = 0; what < 4; what++) {
                        int32_t *c = arena_alloc(&ctx->arena, (m + 1) * sizeof *c);
                        c[0] = 0;
                        for (size_t i = 0; i < m; i++) {
                                const struct leaver *l = &ls->v[i];
                                bool yes = l->band == band && (what == 0   ? l->eet
                                                               : what == 1 ? l->suitable
                                                               : what == 2 ? l->in_touch
                                                                           : true);
                                c[i + 1] = c[i] + yes;
                        }
                        ls->c[band][what] = c;
                }
        per[yi] = ls;
        return ls;
}

/* First young person with a birthday on or after d. */
static size_t first_from(const struct leavers *ls, date_t d)
{
        size_t lo = 0, hi = ls->n;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (ls->v[mid].birthday < d)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo;
}

enum what { EET, SUITABLE, IN_TOUCH };

struct oc3_share {
        int band;
        enum what what;
};

static int m_leavers(struct measure_ctx *ctx, const struct measure_window *w,
                     struct measure_value *out)
{
        const struct oc3_share *sh = ctx->def->arg;
        int64_t num = 0, den = 0;
        date_t a, b;
        for (int yr = date_collection_year(w->start); yr <= w->year; yr++) {
                const struct mcla_year *y = mcla_year(ctx, yr);
                if (!y || !mcla_portion(w, yr, &a, &b))
                        continue;
                const struct leavers *ls = leavers_of(ctx, y);
                size_t lo = first_from(ls, a), hi = first_from(ls, b + 1);
                num += ls->c[sh->band][sh->what][hi] - ls->c[sh->band][sh->what][lo];
                den += ls->c[sh->band][3][hi] - ls->c[sh->band][3][lo];
                if (ctx->on_child)
                        for (size_t i = lo; i < hi; i++) {
                                const struct leaver *l = &ls->v[i];
                                if (l->band != sh->band)
                                        continue;
                                bool yes = sh->what == EET        ? l->eet
                                           : sh->what == SUITABLE ? l->suitable
                                                                  : l->in_touch;
                                measure_counted(ctx, mcla_child(y, l->k), yes);
                        }
        }
        out->numerator = num;
        out->denominator = den;
        out->has_numerator = out->has_denominator = true;
        return 0;
}

static const struct oc3_share eet_17 = {1, EET}, eet_19 = {2, EET};
static const struct oc3_share accom_17 = {1, SUITABLE}, accom_19 = {2, SUITABLE};
static const struct oc3_share touch_17 = {1, IN_TOUCH}, touch_19 = {2, IN_TOUCH};

/* ---------------------------------------------------------------- the table */

#define ACTIVITY      "la_care_leavers_activity"
#define SUITABLE_FILE "la_care_leavers_accommodation_suitability"
#define AGE17         "care_leaver_age=17 to 18 years|breakdown="
#define AGE19         "care_leaver_age=19 to 21 years|breakdown="
#define ROW(id, title, arg, flags, bench)                                                          \
        {                                                                                          \
                id, title, MEASURE_OUTCOME_4, MEASURE_PERCENT, BENCH_HIGHER_BETTER,                \
                    MEASURE_SRC_903, MEASURE_PERIODS_ALL, 12, flags, bench, m_leavers, arg, 0      \
        }
#define EET_BENCH(age)                                                                             \
        {                                                                                          \
                MEASURE_BENCH_VALUE, ACTIVITY, age "Total in education, employment or training",   \
                    "care_leaver_percent", NULL, 1, 0, NULL                                        \
        }
#define ACCOM_BENCH(age)                                                                           \
        {                                                                                          \
                MEASURE_BENCH_VALUE, SUITABLE_FILE, age "Accommodation considered suitable",       \
                    "care_leaver_percent", NULL, 1, 0, NULL                                        \
        }
#define TOUCH_BENCH(age)                                                                           \
        {                                                                                          \
                MEASURE_BENCH_COMPLEMENT, ACTIVITY, age "Total information not known",             \
                    "care_leaver_percent", NULL, 1, 0,                                             \
                    "proxy: 100 minus 'Total information not known' from the activity file"        \
        }

/* clang-format off */
const struct measure_def measures_cla_o4_oc3[] = {
    ROW("care_leavers_17_18_eet_pct",
        "Care leavers aged 17 to 18 in education, employment or training (%)",
        &eet_17, 0, EET_BENCH(AGE17)),
    ROW("care_leavers_19_21_eet_pct",
        "Care leavers aged 19 to 21 in education, employment or training (%)",
        &eet_19, 0, EET_BENCH(AGE19)),
    ROW("care_leavers_17_18_suitable_accom_pct",
        "Care leavers aged 17 to 18 in suitable accommodation (%)",
        &accom_17, 0, ACCOM_BENCH(AGE17)),
    ROW("care_leavers_19_21_suitable_accom_pct",
        "Care leavers aged 19 to 21 in suitable accommodation (%)",
        &accom_19, 0, ACCOM_BENCH(AGE19)),
    ROW("care_leavers_17_18_in_touch_pct",
        "Care leavers aged 17 to 18 the authority is in touch with (%)",
        &touch_17, MEASURE_PROXY, TOUCH_BENCH(AGE17)),
    ROW("care_leavers_19_21_in_touch_pct",
        "Care leavers aged 19 to 21 the authority is in touch with (%)",
        &touch_19, MEASURE_PROXY, TOUCH_BENCH(AGE19)),
    {0},
};
/* clang-format on */
