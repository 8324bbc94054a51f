/*
 * cin.c — the journey of one CIN episode, decided when the referral arrives:
 * no further action, or an assessment; during it perhaps a section 47
 * enquiry, an initial child protection conference and a child protection
 * plan; a CIN plan (or a step-down plan after the CP plan); and the closure.
 * Entry to care (sim.c picks who) cuts the plans short and keeps the episode
 * open until the child leaves care.
 *
 * The dates are built to satisfy the CIN rules by construction: every module
 * starts on or after the referral and ends on or before the closure (1103–
 * 1105, 2889, 4015, 8565); the CP plan starts on the ICPC date (2885); a CIN
 * plan never runs alongside a CP plan (4001, 4016, 4017); conferences are
 * held on working days (8875); an assessment or enquiry still open at 31
 * March is younger than the 45 / 15 working days of 8670Q and 8675Q.
 */
#include "synth/internal.h"
#include "core/xalloc.h"

#include <math.h>
#include <stdlib.h>

static const double need_weight[8] = {57, 10, 4, 8, 12, 2, 1, 6};
static const double abuse_weight[5] = {50, 38, 6, 4, 2};

static void pick_factors(struct rng *r, struct sy_cin *c)
{
        int n = 1 + rng_int(r, 3);
        c->nfactors = 0;
        while (c->nfactors < n) {
                uint8_t f = (uint8_t)rng_int(r, 36); /* the common child/parent factors */
                int dup = 0;
                for (int i = 0; i < c->nfactors; i++)
                        dup |= c->factors[i] == f;
                if (!dup)
                        c->factors[c->nfactors++] = f;
        }
}

/*
 * Keep an assessment open at 31 March younger than 45 working days (8670Q),
 * and an enquiry awaiting its conference younger than 15 (8675Q).  The age
 * counts the working days from the start to 31 March with both ends in, no
 * fewer than either reading of "started more than N working days before the
 * end of the year" gives.  One that would be older ends instead on a working
 * day in the last week of March: a conference moved to Good Friday would be
 * pushed past Easter Monday into the next year.
 */
static date_t fit_year_end(struct rng *r, date_t start, date_t end, int limit)
{
        date_t ye = date_year_end(date_collection_year(start));
        if (end > ye && sy_working_days(start - 1, ye) > limit) {
                date_t d = sy_working_day_on_or_before(ye - rng_int(r, 6));
                return d > start ? d : start + 1;
        }
        return end;
}

static date_t dmax(date_t a, date_t b)
{
        if (a == DATE_NONE)
                return b;
        if (b == DATE_NONE)
                return a;
        return a > b ? a : b;
}

int32_t cin_new_episode(const struct sy_region *rg, struct sy_la *la, uint32_t child, date_t ref,
                        int emergency)
{
        (void)rg;
        struct rng *r = &la->rng;
        struct sy_child *k = &la->kids.v[child];
        struct sy_cin c = {0};
        c.child = child;
        c.ref = ref;
        c.a_start = c.a_auth = c.s47_start = c.s47_target = c.icpc = DATE_NONE;
        c.cpp_start = c.cpp_end = c.plan_start = c.plan_end = c.pp_start = DATE_NONE;
        c.close = DATE_NONE;
        c.source = (uint8_t)rng_pick(r, sy_source_weight, SY_SOURCE_N);
        c.need = (uint8_t)rng_pick(r, need_weight, 8);
        if (k->uasc)
                c.need = 7; /* N8 absent parenting */

        if (!emergency && rng_chance(r, la->p.nfa_share)) {
                c.nfa = 1;
                c.close = ref;
                c.reason = 6; /* RC7 */
                goto done;
        }
        c.a_start = sy_weekday_on_or_after(ref + rng_int(r, 3));
        {
                int wd = (int)rng_lognormal(r, 28, 0.45);
                wd = wd < 1 ? 1 : wd > 110 ? 110 : wd;
                c.a_auth = fit_year_end(r, c.a_start, sy_add_working_days(c.a_start, wd), 45);
        }
        pick_factors(r, &c);
        if (emergency)
                goto done;

        double s47p = la_s47_share(la, ref) / (1 - la->p.nfa_share);
        if (rng_chance(r, s47p)) {
                c.has_s47 = 1;
                int span = c.a_auth - c.a_start;
                c.s47_start = c.a_start + rng_int(r, span < 10 ? span + 1 : 10);
                c.s47_start = sy_weekday_on_or_after(c.s47_start);
                if (c.s47_start > c.a_auth)
                        c.s47_start = c.a_start;
                c.s47_target = sy_add_working_days(c.s47_start, 15);
                if (rng_chance(r, la->p.icpc_share)) {
                        int wd = (int)rng_lognormal(r, 11, 0.35);
                        wd = wd < 1 ? 1 : wd > 40 ? 40 : wd;
                        c.icpc_held = 1;
                        c.icpc =
                            fit_year_end(r, c.s47_start, sy_add_working_days(c.s47_start, wd), 15);
                        c.icpc = sy_weekday_on_or_after(c.icpc);
                        /* The assessment is not signed off before the conference, so an
                         * enquiry in a census always has its assessment beside it (2991Q). */
                        if (c.icpc > c.a_auth)
                                c.a_auth = c.icpc;
                }
        }
        if (c.icpc_held && rng_chance(r, la->p.cpp_share)) {
                c.cpp_start = c.icpc;
                int days = (int)rng_lognormal(r, 240, 0.55);
                days = days < 60 ? 60 : days > 1100 ? 1100 : days;
                c.cpp_end = c.cpp_start + days;
                c.cat_init = (uint8_t)rng_pick(r, abuse_weight, 5);
                c.cat_latest =
                    rng_chance(r, 0.85) ? c.cat_init : (uint8_t)rng_pick(r, abuse_weight, 5);
                /* Second or subsequent plans: the child's own earlier plans count;
                 * otherwise a plan elsewhere (before the child moved here) is
                 * assumed often enough to keep the authority near its target. */
                int prev = k->nplans;
                if (prev == 0) {
                        double want = la->p.sub_pct / 100.0 * (double)(la->cpp_started + 1);
                        if ((double)la->cpp_sub < want - 0.5 && rng_chance(r, 0.85))
                                prev = 1 + (rng_chance(r, 0.2) ? 1 : 0);
                }
                c.prev_cpp = (uint8_t)(prev > 9 ? 9 : prev);
                la->cpp_started++;
                la->cpp_sub += prev > 0;
                k->nplans++;
                if (rng_chance(r, 0.12)) {
                        date_t pp = c.cpp_start + 30 + rng_int(r, 120);
                        if (pp + 14 < c.cpp_end) /* its first meeting falls inside the case */
                                c.pp_start = pp;
                }
        }
        double months = la->p.plan_months;
        if (c.cpp_start != DATE_NONE) {
                if (rng_chance(r, 0.5)) {
                        c.plan_start = c.cpp_end + 1;
                        c.plan_end = c.plan_start + 14 + (int)rng_exp(r, months * 30.44 * 0.6);
                }
        } else if (rng_chance(r, c.has_s47 ? 0.45 : 0.38)) {
                c.plan_start = c.a_auth + rng_int(r, 4);
                c.plan_end = c.plan_start + 14 + (int)rng_exp(r, months * 30.44);
        }
        /* Children's services for a child in need end at 18: plans stop the day before the
         * 18th birthday (a long plan of a 17-year-old would otherwise run on for years). */
        date_t adult = date_add_months(k->dob, 18 * 12) - 1;
        if (c.cpp_start != DATE_NONE && c.cpp_start < adult && c.cpp_end > adult) {
                c.cpp_end = adult;
                if (c.pp_start != DATE_NONE && c.pp_start + 14 >= c.cpp_end)
                        c.pp_start = DATE_NONE;
        }
        if (c.plan_start != DATE_NONE && c.plan_start >= adult)
                c.plan_start = c.plan_end = DATE_NONE;
        else if (c.plan_start != DATE_NONE && c.plan_end > adult)
                c.plan_end = adult;
        if (c.cpp_start == DATE_NONE && c.plan_start == DATE_NONE && !c.has_s47) {
                c.close = c.a_auth;
                c.reason = rng_chance(r, 0.7) ? 7 : 8; /* RC8, RC9 */
        } else {
                date_t last = dmax(dmax(c.a_auth, c.icpc), dmax(c.cpp_end, c.plan_end));
                c.close = last + rng_int(r, 10);
                c.reason = 6; /* RC7 */
        }
done:
        VEC_PUSH(la->cins, c);
        k->cur_cin = (int32_t)(la->cins.n - 1);
        k->last_ref = ref;
        return k->cur_cin;
}

int cin_eligible_for_care(const struct sy_cin *c, date_t d)
{
        if (c->nfa || c->close == DATE_NONE || c->close <= d)
                return 0;
        if (c->a_auth == DATE_NONE || c->a_auth > d)
                return 0;
        if (c->has_s47 && c->icpc_held && c->icpc >= d)
                return 0;
        if (c->cpp_start == d || c->plan_start == d)
                return 0;
        return 1;
}

void cin_enter_care(struct sy_la *la, struct sy_cin *c, date_t d)
{
        if (c->cpp_start != DATE_NONE && c->cpp_end > d)
                c->cpp_end = d; /* the plan ends when the child becomes looked after */
        if (c->pp_start != DATE_NONE && c->pp_start >= d)
                c->pp_start = DATE_NONE;
        if (c->plan_start != DATE_NONE) {
                if (c->plan_start >= d - 1)
                        c->plan_start = c->plan_end = DATE_NONE;
                else if (c->plan_end > d)
                        c->plan_end = d;
        }
        c->close = DATE_NONE;
        (void)la;
}

void cin_leave_care(struct sy_la *la, struct sy_cin *c, date_t d, int rec)
{
        (void)la;
        /* An assessment begun on an emergency entry may outlast a short stay:
         * the case stays open until it is signed off (8565, 8867). */
        c->close = c->a_auth != DATE_NONE && c->a_auth > d ? c->a_auth : d;
        switch (rec) {
        case REC_E11:
        case REC_E12:
                c->reason = 0;
                break; /* RC1 adopted */
        case REC_E41:
                c->reason = 2;
                break; /* RC3 child arrangements */
        case REC_E45:
        case REC_E46:
        case REC_E47:
        case REC_E48:
                c->reason = 3;
                break;
        case REC_E3:
                c->reason = 4;
                break;
        case REC_E7:
                c->reason = 5;
                break;
        default:
                c->reason = 6;
                break;
        }
}
