/*
 * sim.c — the day-by-day engine of one authority.
 *
 * Each day referrals arrive (a Poisson number around the authority's
 * referral rate, moved by its planted changes).  A share equal to the
 * re-referral target re-refers a child whose last referral was within 12
 * months and whose case has closed; the rest are children not referred in
 * the last year (known before, or new).  Children start to be looked after
 * at the authority's starting rate: an unaccompanied asylum seeker, a child
 * already open to the authority (preferably on a child protection plan), or
 * a child referred that day in an emergency.  Before the CIN simulation
 * starts, eighteen years of earlier entries to care are played out so that
 * the first year opens with a realistic stock of children in care and of
 * care leavers.
 *
 * Because the re-referral share and the starting rate are drawn directly,
 * the planted changes to them move the published measures by exactly the
 * size stated in truth/effects.csv (in expectation).
 */
#include "synth/internal.h"
#include "core/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

date_t sim_dob_for_age(struct rng *r, date_t on, double age_years)
{
        (void)r;
        date_t d = on - (date_t)(age_years * 365.25) - 1;
        return d;
}

uint32_t sim_new_child(const struct sy_region *rg, struct sy_la *la, date_t dob, int uasc)
{
        (void)rg;
        struct rng *r = &la->rng;
        struct sy_child k = {0};
        k.dob = dob;
        k.last_ref = k.care_exit = k.care_start = k.period16 = k.sw_end = k.perm_date = DATE_NONE;
        k.cur_cin = -1;
        k.adopt = -1;
        k.bucket_next = -1;
        k.sex = (uint8_t)rng_chance(r, uasc ? 0.08 : 0.48);
        k.ethnic =
            (uint8_t)(uasc ? 14 + rng_int(r, 4) : rng_pick(r, sy_ethnic_weight, SY_ETHNIC_N));
        k.uasc = (uint8_t)uasc;
        k.home_pc = uasc ? -1 : la->pc_first + rng_int(r, la->pc_n);
        k.upn_la = (uint8_t)rng_int(r, 5);
        if (rng_chance(r, 0.14)) {
                k.ndisab = (uint8_t)(1 + rng_chance(r, 0.3));
                k.disab[0] = (uint8_t)(1 + rng_int(r, SY_DISABILITY_N - 1));
                do
                        k.disab[1] = (uint8_t)(1 + rng_int(r, SY_DISABILITY_N - 1));
                while (k.ndisab == 2 && k.disab[1] == k.disab[0]);
        }
        VEC_PUSH(la->kids, k);
        return (uint32_t)(la->kids.n - 1);
}

/* Ages: children referred (CIN census shape) and children entering care. */
static double referral_age(struct rng *r)
{
        static const double w[5] = {12, 18, 25, 35, 10};
        static const double lo[5] = {0, 1, 5, 10, 16}, span[5] = {1, 4, 5, 6, 1.9};
        int g = rng_pick(r, w, 5);
        return lo[g] + span[g] * rng_unif(r);
}

static double entry_age(struct rng *r)
{
        static const double w[5] = {20, 14, 16, 36, 14};
        static const double lo[5] = {0.02, 1, 5, 10, 16}, span[5] = {0.97, 4, 5, 6, 1.7};
        int g = rng_pick(r, w, 5);
        return lo[g] + span[g] * rng_unif(r);
}

/* ------------------------------------------------------------- pools */

struct pool {
        uint32_t *v;
        size_t n, cap;
};

static void pool_push(struct pool *p, uint32_t x)
{
        if (p->n == p->cap)
                p->v = xgrow(p->v, &p->cap, p->n + 1, sizeof *p->v);
        p->v[p->n++] = x;
}

static void pool_del(struct pool *p, size_t i)
{
        p->v[i] = p->v[--p->n];
}

struct engine {
        const struct sy_region *rg;
        struct sy_la *la;
        date_t day0;
        int ndays;
        int32_t *bucket;        /* head node per day (closure day + 1) */
        struct pool node_child; /* bucket nodes: child and next node */
        int32_t *node_next;
        size_t node_cap;
        struct pool recent, old;
        int rr_debt;
};

static void bucket_add(struct engine *en, uint32_t child, date_t d)
{
        if (d < en->day0 || d >= en->day0 + en->ndays)
                return;
        size_t id = en->node_child.n;
        pool_push(&en->node_child, child);
        if (en->node_cap < en->node_child.cap) {
                en->node_next = xrealloc(en->node_next, sizeof(int32_t) * en->node_child.cap);
                en->node_cap = en->node_child.cap;
        }
        en->node_next[id] = en->bucket[d - en->day0];
        en->bucket[d - en->day0] = (int32_t)id;
}

static int closed_before(const struct sy_la *la, const struct sy_child *k, date_t d)
{
        if (k->cur_cin < 0)
                return 0;
        const struct sy_cin *c = &la->cins.v[k->cur_cin];
        if (c->close == DATE_NONE || c->close >= d)
                return 0;
        if (k->care_exit == DATE_NONE && k->care_start != DATE_NONE)
                return 0;
        if (k->care_exit != DATE_NONE && k->care_exit >= d)
                return 0;
        return 1;
}

static void enter_care(struct engine *en, uint32_t child, date_t d)
{
        struct sy_la *la = en->la;
        struct sy_child *k = &la->kids.v[child];
        if (k->care_start == DATE_NONE)
                perm_prev_perm(la, k, d);
        struct sy_cin *c = &la->cins.v[k->cur_cin];
        cin_enter_care(la, c, d);
        k->care_start = d;
        k->care_exit = DATE_NONE;
        date_t exit = care_period(en->rg, la, child, d, NULL);
        k = &la->kids.v[child];
        k->care_exit = exit;
        cin_leave_care(la, &la->cins.v[k->cur_cin], exit, k->exit_rec);
        if (k->exit_rec == REC_E11 || k->exit_rec == REC_E12)
                k->gone = 1;
        else
                bucket_add(en, child, exit + 1);
}

static uint32_t pick_rereferral(struct engine *en, date_t d, int *found)
{
        struct sy_la *la = en->la;
        struct rng *r = &la->rng;
        date_t from = date_add_months(d, -12);
        *found = 0;
        for (int t = 0; t < 24 && en->recent.n; t++) {
                size_t i = (size_t)rng_int(r, (int)en->recent.n);
                uint32_t c = en->recent.v[i];
                struct sy_child *k = &la->kids.v[c];
                if (k->gone || !closed_before(la, k, d) || date_age(k->dob, d) >= 17) {
                        pool_del(&en->recent, i);
                        continue;
                }
                if (k->last_ref < from) {
                        pool_del(&en->recent, i);
                        pool_push(&en->old, c);
                        continue;
                }
                if (k->last_ref >= d)
                        continue;
                pool_del(&en->recent, i);
                *found = 1;
                return c;
        }
        return 0;
}

static uint32_t pick_known(struct engine *en, date_t d, int *found)
{
        struct sy_la *la = en->la;
        struct rng *r = &la->rng;
        date_t from = date_add_months(d, -12);
        *found = 0;
        for (int t = 0; t < 8 && en->old.n; t++) {
                size_t i = (size_t)rng_int(r, (int)en->old.n);
                uint32_t c = en->old.v[i];
                struct sy_child *k = &la->kids.v[c];
                if (k->gone || !closed_before(la, k, d) || date_age(k->dob, d) >= 17 ||
                    k->last_ref >= from) {
                        pool_del(&en->old, i);
                        continue;
                }
                pool_del(&en->old, i);
                *found = 1;
                return c;
        }
        return 0;
}

static void referral(struct engine *en, date_t d)
{
        struct sy_la *la = en->la;
        struct rng *r = &la->rng;
        int found = 0;
        uint32_t c = 0;
        /* A re-referral that found no eligible child is owed, and paid by the
         * next referral that can: the realised share then meets the target. */
        if (rng_chance(r, la_rr_pct(la, d) / 100.0) || en->rr_debt > 0) {
                c = pick_rereferral(en, d, &found);
                if (found && en->rr_debt > 0)
                        en->rr_debt--;
                else if (!found && en->rr_debt < 50)
                        en->rr_debt++;
        }
        if (found)
                ;
        else if (rng_chance(r, 0.3))
                c = pick_known(en, d, &found);
        if (!found)
                c = sim_new_child(en->rg, la, sim_dob_for_age(r, d, referral_age(r)), 0);
        int32_t ci = cin_new_episode(en->rg, la, c, d, 0);
        bucket_add(en, c, la->cins.v[ci].close + 1);
}

static void start_care(struct engine *en, date_t d)
{
        struct sy_la *la = en->la;
        struct rng *r = &la->rng;
        if (rng_chance(r, la->p.uasc_share)) {
                uint32_t c =
                    sim_new_child(en->rg, la, sim_dob_for_age(r, d, 14.5 + 3.3 * rng_unif(r)), 1);
                cin_new_episode(en->rg, la, c, d, 1);
                enter_care(en, c, d);
                return;
        }
        /* A child open to the authority: look among recent episodes. */
        static const double age_w[5] = {1.0, 0.5, 0.35, 0.55, 0.8};
        size_t n = la->cins.n;
        size_t lo = 0;
        {
                size_t a = 0, b = n;
                while (a < b) { /* episodes are appended in referral order */
                        size_t m = (a + b) / 2;
                        if (la->cins.v[m].ref < d - 400)
                                a = m + 1;
                        else
                                b = m;
                }
                lo = a;
        }
        for (int t = 0; t < 40 && n > lo; t++) {
                size_t i = lo + (size_t)rng_int(r, (int)(n - lo));
                struct sy_cin *c = &la->cins.v[i];
                struct sy_child *k = &la->kids.v[c->child];
                if (k->cur_cin != (int32_t)i || k->gone || !cin_eligible_for_care(c, d))
                        continue;
                if (k->care_start != DATE_NONE && (k->care_exit == DATE_NONE || k->care_exit >= d))
                        continue;
                double age = (d - k->dob) / 365.25;
                if (age >= 17.3)
                        continue;
                int g = age < 1 ? 0 : age < 5 ? 1 : age < 10 ? 2 : age < 16 ? 3 : 4;
                int on_cpp = c->cpp_start != DATE_NONE && c->cpp_start < d && c->cpp_end > d;
                if (!rng_chance(r, age_w[g] * (on_cpp ? 1.0 : 0.3)))
                        continue;
                enter_care(en, c->child, d);
                return;
        }
        uint32_t c = sim_new_child(en->rg, la, sim_dob_for_age(r, d, entry_age(r)), 0);
        cin_new_episode(en->rg, la, c, d, 1);
        enter_care(en, c, d);
}

/* Entries to care before the CIN simulation: only those still looked after,
 * or still due a care-leaver follow-up, when the output begins are kept. */
static void historic_entries(struct engine *en)
{
        const struct sy_region *rg = en->rg;
        struct sy_la *la = en->la;
        struct rng *r = &la->rng;
        date_t from = date_add_months(rg->sim_start, -18 * 12);
        for (date_t d = from; d < rg->sim_start;) {
                int y = date_collection_year(d);
                double per_day = la->p.start_rate * la_pop(la, y) / 1e4 / 365.25;
                d += 1 + (date_t)rng_exp(r, 1.0 / per_day);
                int yy, mm, dd;
                date_to_ymd(d, &yy, &mm, &dd);
                if (d >= rg->sim_start || (mm == 4 && dd == 1))
                        continue;
                int uasc = rng_chance(r, la->p.uasc_share);
                double age = uasc ? 14.5 + 3.3 * rng_unif(r) : entry_age(r);
                date_t dob = sim_dob_for_age(r, d, age);
                struct care_plan pl;
                care_plan_route(r, la, dob, d, uasc, &pl);
                int keep = pl.exit >= rg->out_start - 1;
                if (!keep && date_age(dob, pl.exit) >= 16) {
                        date_t b22 = date_add_months(dob, 22 * 12);
                        keep = b22 >= rg->out_start;
                }
                if (!keep)
                        continue;
                uint32_t c = sim_new_child(rg, la, dob, uasc);
                la->kids.v[c].historic = 1;
                perm_prev_perm(la, &la->kids.v[c], d);
                cin_new_episode(rg, la, c, d - rng_int(r, 20), 1);
                struct sy_child *k = &la->kids.v[c];
                cin_enter_care(la, &la->cins.v[k->cur_cin], d);
                k->care_start = d;
                date_t exit = care_period(rg, la, c, d, &pl);
                k = &la->kids.v[c];
                k->care_exit = exit;
                cin_leave_care(la, &la->cins.v[k->cur_cin], exit, k->exit_rec);
                k->gone = 1; /* not re-referred: their earlier history is not simulated */
        }
}

/* ------------------------------------------------------------ calibration */

static void calibrate(const struct sy_region *rg, struct sy_la *la)
{
        /* 1.07: re-entries and the changes of legal status shorten stays a little
         * against the plan the calibration draws. */
        double want = 1.07 * la->p.cla_rate / la->p.start_rate;
        double lo = 0.1, hi = 6;
        for (int i = 0; i < 14; i++) {
                double mid = sqrt(lo * hi);
                if (care_expected_years(rg, la, mid) < want)
                        lo = mid;
                else
                        hi = mid;
        }
        la->p.dur_factor = sqrt(lo * hi);

        /* CIN plans fill the gap between the children in need the authority
         * should have and those that assessments, CP plans and care give it. */
        const struct sy_params *p = &la->p;
        double open = p->ref_rate * (1 - p->nfa_share);
        double cpp = p->ref_rate * p->s47_share * p->icpc_share * p->cpp_share;
        double plans = 0.4 * (open - cpp), step = 0.5 * cpp;
        double rest =
            1.13 * p->cin_rate - p->cla_rate - open * 0.11 - cpp * 0.76 - 0.04 * (plans + step);
        double pm = 12 * rest / (plans + 0.6 * step);
        la->p.plan_months = pm < 2 ? 2 : pm > 30 ? 30 : pm;
}

/* ------------------------------------------------------------------ sort */

#define DEFINE_CMP(name, T, f)                                                                     \
        static int name(const void *a, const void *b)                                              \
        {                                                                                          \
                const T *x = a, *y = b;                                                            \
                if (x->child != y->child)                                                          \
                        return x->child < y->child ? -1 : 1;                                       \
                return (x->f > y->f) - (x->f < y->f);                                              \
        }
DEFINE_CMP(cmp_ep, struct sy_episode, decom)
DEFINE_CMP(cmp_cin, struct sy_cin, ref)
DEFINE_CMP(cmp_miss, struct sy_missing, start)
DEFINE_CMP(cmp_sw, struct sy_sw, start)
DEFINE_CMP(cmp_dolo, struct sy_dolo, start)

static void ranges(size_t nkids, const void *v, size_t n, size_t size, int32_t **first,
                   int32_t **count)
{
        *first = xcalloc(nkids + 1, sizeof(int32_t));
        *count = xcalloc(nkids + 1, sizeof(int32_t));
        for (size_t i = 0; i < n; i++) {
                uint32_t c = *(const uint32_t *)((const char *)v + i * size);
                if ((*count)[c]++ == 0)
                        (*first)[c] = (int32_t)i;
        }
}

static void sort(void *v, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
        if (n > 1)
                qsort(v, n, size, cmp);
}

static void index_state(struct sy_la *la)
{
        sort(la->eps.v, la->eps.n, sizeof *la->eps.v, cmp_ep);
        sort(la->cins.v, la->cins.n, sizeof *la->cins.v, cmp_cin);
        sort(la->miss.v, la->miss.n, sizeof *la->miss.v, cmp_miss);
        sort(la->sws.v, la->sws.n, sizeof *la->sws.v, cmp_sw);
        sort(la->dolos.v, la->dolos.n, sizeof *la->dolos.v, cmp_dolo);
        size_t k = la->kids.n;
        ranges(k, la->eps.v, la->eps.n, sizeof *la->eps.v, &la->ep_first, &la->ep_n);
        ranges(k, la->cins.v, la->cins.n, sizeof *la->cins.v, &la->cin_first, &la->cin_n);
        ranges(k, la->miss.v, la->miss.n, sizeof *la->miss.v, &la->miss_first, &la->miss_n);
        ranges(k, la->sws.v, la->sws.n, sizeof *la->sws.v, &la->sw_first, &la->sw_n);
        ranges(k, la->dolos.v, la->dolos.n, sizeof *la->dolos.v, &la->dolo_first, &la->dolo_n);
}

int sim_run_la(const struct sy_region *rg, struct sy_la *la)
{
        rng_seed(&la->rng, rg->o->seed, 0x1000ULL + (uint64_t)la->idx);
        calibrate(rg, la);
        la->sw_workers = (uint32_t)(20 + la_pop(la, rg->last_year) / 1500);

        struct engine en = {0};
        en.rg = rg;
        en.la = la;
        en.day0 = rg->sim_start;
        en.ndays = rg->out_end - rg->sim_start + 2;
        en.bucket = xmalloc(sizeof(int32_t) * (size_t)en.ndays);
        for (int i = 0; i < en.ndays; i++)
                en.bucket[i] = -1;

        historic_entries(&en);

        int carry = 0;
        for (date_t d = rg->sim_start; d <= rg->out_end; d++) {
                for (int32_t nd = en.bucket[d - en.day0]; nd >= 0; nd = en.node_next[nd])
                        pool_push(&en.recent, en.node_child.v[nd]);
                int y = date_collection_year(d);
                double pop = la_pop(la, y) / 1e4 / 365.25;
                int nref = rng_poisson(&la->rng, la_ref_rate(la, d) * pop);
                for (int i = 0; i < nref; i++)
                        referral(&en, d);
                int nstart = rng_poisson(&la->rng, la_start_rate(la, d) * pop) + carry;
                int yy, mm, dd;
                date_to_ymd(d, &yy, &mm, &dd);
                /* Nobody starts on 1 April: it keeps the "looked after for 12
                 * months at 31 March" cohort free of a boundary case. */
                if (mm == 4 && dd == 1) {
                        carry = nstart;
                        continue;
                }
                carry = 0;
                for (int i = 0; i < nstart; i++)
                        start_care(&en, d);
        }
        free(en.bucket);
        free(en.node_child.v);
        free(en.node_next);
        free(en.recent.v);
        free(en.old.v);
        index_state(la);
        return 0;
}
