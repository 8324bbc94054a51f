/*
 * care.c — one period of care, from the day a child starts to be looked
 * after to the day they leave.
 *
 * A plan is drawn first (care_plan_route): the route out of care by age
 * (home, adoption, special guardianship, child arrangements order, staying
 * to 18, independent living, remand) and when.  The period is then played
 * out as a timeline of changes — legal status (police protection → interim
 * care order → care order or placement order, s20 → interim order), placement
 * moves as a Poisson process, the last move before leaving — each change
 * closing one episode with X1 and opening the next with the RNE that says
 * what changed (433–436).  Missing episodes and social-worker episodes are
 * laid over the period.  Placements carry an Ofsted URN whose placement code,
 * provider code and postcode agree with providers.csv (218–229).
 */
#include "synth/internal.h"
#include "core/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int age_years(date_t dob, date_t d)
{
        return date_age(dob, d);
}

/* The nth birthday; someone born on 29 February has it on 1 March in a
 * common year, so that they are of age by every reckoning on the day. */
static date_t birthday(date_t dob, int n)
{
        int y, m, d;
        date_to_ymd(dob, &y, &m, &d);
        if (m == 2 && d == 29 && !date_ymd_valid(y + n, 2, 29))
                return date_from_ymd(y + n, 3, 1);
        return date_from_ymd(y + n, m, d);
}

/* -------------------------------------------------------------- planning */

int care_plan_route(struct rng *r, const struct sy_la *la, date_t dob, date_t start, int uasc,
                    struct care_plan *pl)
{
        double f = la->p.dur_factor;
        int age = age_years(dob, start);
        date_t b18 = birthday(dob, 18);
        memset(pl, 0, sizeof *pl);
        pl->start = start;
        pl->t_dec = pl->t_rev = pl->t_po = pl->t_match = pl->t_placed = DATE_NONE;
        static const double w0[8] = {33, 33, 22, 5, 5, 0, 0, 2};  /* under 1 */
        static const double w1[8] = {40, 22, 20, 6, 10, 0, 0, 2}; /* 1–4 */
        static const double w5[8] = {45, 3, 15, 6, 28, 0, 0, 3};  /* 5–9 */
        static const double w10[8] = {50, 0, 5, 4, 33, 3, 2, 3};  /* 10–15 */
        static const double w16[8] = {32, 0, 0, 1, 50, 12, 2, 3}; /* 16–17 */
        static const double wu[8] = {5, 0, 0, 0, 80, 10, 0, 5};   /* UASC */
        const double *w = uasc       ? wu
                          : age < 1  ? w0
                          : age < 5  ? w1
                          : age < 10 ? w5
                          : age < 16 ? w10
                                     : w16;
        pl->route = rng_pick(r, w, 8);
        if (pl->route == RT_REMAND && age < 12)
                pl->route = RT_HOME;
        int days;
        switch (pl->route) {
        case RT_HOME:
                days = (int)rng_lognormal(r, 190 * f, 1.0);
                pl->rec = rng_pick(r, (const double[]){60, 15, 15, 10}, 4);
                pl->rec = (int[]){REC_E4A, REC_E4B, REC_E13, REC_E8}[pl->rec];
                pl->exit = start + 2 + days;
                break;
        case RT_ADOPT:
                perm_adoption_plan(r, pl);
                break;
        case RT_SGO:
                pl->exit = start + 60 + (int)rng_lognormal(r, 520 * f, 0.45);
                pl->rec = REC_E45;
                break;
        case RT_CAO:
                pl->exit = start + 30 + (int)rng_lognormal(r, 330 * f, 0.5);
                pl->rec = REC_E41;
                break;
        case RT_INDEP: {
                date_t b16 = birthday(dob, 16);
                date_t from = start + 90 > b16 ? start + 90 : b16;
                pl->exit = from + rng_int(r, 600);
                pl->rec = rng_chance(r, 0.75) ? REC_E5 : REC_E6;
                break;
        }
        case RT_REMAND:
                pl->exit = start + 20 + rng_int(r, 90);
                pl->rec = REC_E14;
                break;
        case RT_OTHER:
                pl->exit = start + 10 + (int)rng_lognormal(r, 300 * f, 0.8);
                pl->rec = rng_chance(r, 0.35) ? REC_E3 : REC_E8;
                break;
        default:
                pl->exit = b18;
                break;
        }
        /* Nobody stays past 18: a plan that would runs to the 18th birthday. */
        if (pl->route != RT_18 && pl->exit >= b18 - 1) {
                pl->route = RT_18;
                pl->exit = b18;
        }
        if (pl->route == RT_18) {
                pl->exit = b18;
                static const double w18[5] = {28, 45, 10, 5, 12};
                pl->rec = (int[]){REC_E17, REC_E5, REC_E6, REC_E7, REC_E8}[rng_pick(r, w18, 5)];
        }
        if (pl->route == RT_INDEP && age_years(dob, pl->exit) < 16)
                pl->exit = birthday(dob, 16) + 1;
        /* Entry legal status. */
        if (pl->route == RT_REMAND)
                pl->ls_entry = LS_J1;
        else if (uasc)
                pl->ls_entry = LS_V2;
        else if (pl->route == RT_ADOPT)
                pl->ls_entry = rng_chance(r, 0.1) ? LS_L2 : LS_C1;
        else {
                double v2 = age >= 10 ? 0.55 : 0.35;
                double x = rng_unif(r);
                pl->ls_entry = x < 0.05 ? LS_L1 : x < 0.08 ? LS_L2 : x < 0.08 + v2 ? LS_V2 : LS_C1;
        }
        return 0;
}

double care_expected_years(const struct sy_region *rg, struct sy_la *la, double factor)
{
        (void)rg;
        struct rng r;
        rng_seed(&r, 12345, (uint64_t)la->idx);
        static const double agew[5] = {20, 14, 16, 36, 14};
        double save = la->p.dur_factor, sum = 0;
        la->p.dur_factor = factor;
        int n = 3000;
        date_t start = date_from_ymd(2020, 6, 1);
        for (int i = 0; i < n; i++) {
                int uasc = rng_chance(&r, la->p.uasc_share);
                int g = rng_pick(&r, agew, 5);
                double age = uasc ? 14.5 + 3 * rng_unif(&r)
                                  : (double[]){0, 1, 5, 10, 16}[g] +
                                        rng_unif(&r) * (double[]){1, 4, 5, 6, 1.9}[g];
                date_t dob = start - (date_t)(age * 365.25) - 1;
                struct care_plan pl;
                care_plan_route(&r, la, dob, start, uasc, &pl);
                sum += (pl.exit - start) / 365.25;
        }
        la->p.dur_factor = save;
        return sum / n;
}

/* ----------------------------------------------------------- the episodes */

static int is_foster(int place)
{
        return place <= PL_U6;
}

static int32_t other_postcode(struct care_ctx *cx, const struct sy_la *at)
{
        struct rng *r = &cx->la->rng;
        for (;;) {
                int32_t pc = at->pc_first + rng_int(r, at->pc_n);
                if (pc != cx->home_pc && pc != cx->pl_pc)
                        return pc;
        }
}

/*
 * A children's home for a move: never the home the child leaves (435), and
 * never one at the child's home postcode (392d).  -1 when no home qualifies.
 */
static int pick_home(struct care_ctx *cx, int32_t old_urn)
{
        const struct sy_la *la = cx->la;
        int first = rng_int(&cx->la->rng, la->nhomes);
        for (int j = 0; j < la->nhomes; j++) {
                int h = la->prov_homes[(first + j) % la->nhomes];
                if (h != old_urn && cx->rg->prov[h].postcode != cx->home_pc)
                        return h;
        }
        return -1;
}

/* Choose carer, provider, URN and postcode for a placement of type `place`. */
void care_set_placement(struct care_ctx *cx, int place, int same_carer)
{
        struct sy_la *la = cx->la;
        const struct sy_region *rg = cx->rg;
        struct rng *r = &la->rng;
        int32_t old_urn = cx->urn;
        /* With no children's home to go to, the child goes to foster care. */
        if (place == PL_K2 && !same_carer && pick_home(cx, old_urn) < 0)
                place = PL_U6;
        cx->place = place;
        if (same_carer) {
                /* Adopted by the foster carers: same home, now the adoption agency's. */
                if (place == PL_A5) {
                        cx->urn = la->prov_adopt;
                        cx->provider = PR1;
                }
                return;
        }
        switch (place) {
        case PL_P1:
                cx->provider = PR0;
                cx->urn = -1;
                cx->pl_pc = cx->home_pc;
                break;
        case PL_K2: {
                int h = pick_home(cx, old_urn);
                cx->urn = h;
                cx->provider = rg->prov[h].provider;
                cx->pl_pc = rg->prov[h].postcode;
                break;
        }
        case PL_K3:
                cx->urn = la->prov_supported;
                cx->provider = PR4;
                cx->pl_pc = other_postcode(cx, la);
                break;
        case PL_A5:
                cx->urn = la->prov_adopt;
                cx->provider = PR1;
                break;
        case PL_A6:
                cx->urn = la->prov_adopt;
                cx->provider = PR1;
                cx->pl_pc = other_postcode(cx, &rg->las[la->near[rng_int(r, 2)]]);
                break;
        default: /* foster care */
                if (place == PL_U1 || place == PL_U3 || rng_chance(r, 0.62)) {
                        cx->urn = la->prov_foster;
                        cx->provider = PR1;
                        cx->pl_pc = other_postcode(cx, la);
                } else {
                        int k = la->prov_ifa[rng_int(r, la->nifa)];
                        cx->urn = k;
                        cx->provider = rg->prov[k].provider;
                        cx->pl_pc = other_postcode(
                            cx, rng_chance(r, 0.6) ? la : &rg->las[la->near[rng_int(r, 3)]]);
                }
                break;
        }
}

static void open_episode(struct care_ctx *cx, date_t d, char rne)
{
        struct sy_episode ep = {0};
        ep.child = cx->child;
        ep.decom = d;
        ep.dec = DATE_NONE;
        ep.rne = (uint8_t)rne;
        ep.ls = (uint8_t)cx->ls;
        ep.place = (uint8_t)cx->place;
        ep.provider = (uint8_t)cx->provider;
        ep.urn = cx->urn;
        ep.home_pc = cx->home_pc;
        ep.pl_pc = cx->pl_pc;
        ep.need = (uint8_t)cx->need;
        ep.rec = REC_N;
        ep.rpc = 255;
        VEC_PUSH(cx->la->eps, ep);
        cx->ep = (int32_t)(cx->la->eps.n - 1);
}

static void close_episode(struct care_ctx *cx, date_t d, int rec, int rpc)
{
        struct sy_episode *ep = &cx->la->eps.v[cx->ep];
        ep->dec = d;
        ep->rec = (uint8_t)rec;
        ep->rpc = (uint8_t)rpc;
}

/*
 * A change on date d: new legal status and/or new placement.  `same_carer`
 * says whether a new placement keeps the carers (T/U) or not (P/B).
 */
void care_change(struct care_ctx *cx, date_t d, int new_ls, int new_place, int same_carer)
{
        struct rng *r = &cx->la->rng;
        int ls_changed = new_ls >= 0 && new_ls != cx->ls;
        int pl_changed = new_place >= 0;
        if (!ls_changed && !pl_changed)
                return;
        char rne = !pl_changed  ? 'L'
                   : same_carer ? (ls_changed ? 'U' : 'T')
                                : (ls_changed ? 'B' : 'P');
        int rpc = 255;
        if (pl_changed) {
                static const double w[SY_RPC_N] = {40, 4, 3, 4, 15, 10, 6, 8, 10};
                rpc = rng_pick(r, w, SY_RPC_N);
        }
        close_episode(cx, d, REC_X1, rpc);
        if (ls_changed)
                cx->ls = new_ls;
        if (pl_changed)
                care_set_placement(cx, new_place, same_carer);
        open_episode(cx, d, rne);
}

static int first_placement(struct care_ctx *cx, int age, int uasc, date_t d)
{
        struct rng *r = &cx->la->rng;
        if (cx->plan.route == RT_ADOPT)
                return rng_chance(r, 0.2) ? PL_U5 : PL_U6;
        if (uasc)
                return (d >= date_from_ymd(2024, 4, 1) && age >= 16 && rng_chance(r, 0.5)) ? PL_K3
                                                                                           : PL_U6;
        double x = rng_unif(r);
        if (age >= 11 && x < 0.16)
                return PL_K2;
        if (x < 0.32)
                return PL_U3;
        return PL_U6;
}

static int next_placement(struct care_ctx *cx, int age, date_t d)
{
        struct rng *r = &cx->la->rng;
        if (cx->plan.route == RT_ADOPT)
                return rng_chance(r, 0.5) ? PL_U4 : PL_U6;
        double x = rng_unif(r);
        if (age >= 16 && d >= date_from_ymd(2024, 4, 1) && x < 0.3)
                return PL_K3;
        if (age >= 10 && x < 0.25)
                return PL_K2;
        if (x < 0.45)
                return age >= 5 ? PL_U4 : PL_U6;
        if (x < 0.55)
                return PL_U1;
        return PL_U6;
}

struct change {
        date_t d;
        int kind; /* 0 legal status, 1 move, 2 P1 before going home, 3 K3 before independence */
        int ls;
};

static int cmp_change(const void *a, const void *b)
{
        const struct change *x = a, *y = b;
        return (x->d > y->d) - (x->d < y->d);
}

/*
 * A missing period does not span a change of placement: it starts the day
 * after any episode ending inside it, so a period still open on 31 March
 * began in the placement still open then (575).  Episodes ep0.. are this
 * period's.  Returns 0 when nothing of the period is left.
 */
static int within_placement(const struct sy_la *la, int32_t ep0, struct sy_missing *m)
{
        for (size_t i = (size_t)ep0; i < la->eps.n; i++) {
                date_t b = la->eps.v[i].dec;
                if (b != DATE_NONE && b >= m->start && b <= m->end)
                        m->start = b + 1;
        }
        return m->start <= m->end;
}

static void lay_missing(struct care_ctx *cx, date_t start, date_t exit, int32_t ep0)
{
        struct sy_la *la = cx->la;
        struct rng *r = &la->rng;
        date_t from = start > birthday(cx->dob, 11) ? start : birthday(cx->dob, 11);
        if (from >= exit - 5)
                return;
        if (!rng_chance(r, la->p.missing_rate * 1.2))
                return;
        double years = (exit - from) / 365.25;
        int n = 1 + rng_poisson(r, 1.5 * years);
        date_t d = from + rng_int(r, (int)((exit - from) / (n + 1)) + 1);
        for (int i = 0; i < n && d < exit - 4; i++) {
                struct sy_missing m = {cx->child, d, d + rng_int(r, 4),
                                       (uint8_t)rng_chance(r, 0.3)};
                if (m.end >= exit)
                        m.end = exit - 1;
                if (within_placement(la, ep0, &m))
                        VEC_PUSH(la->miss, m);
                d = m.end + 3 + (int)rng_exp(r, 365.25 * years / n);
        }
}

static void lay_social_workers(struct care_ctx *cx, date_t from, date_t exit)
{
        struct sy_la *la = cx->la;
        struct rng *r = &la->rng;
        static const double w[SY_SW_REASON_N] = {10, 3, 35, 8, 20, 5, 8, 6, 5};
        date_t d = from;
        while (d < exit) {
                date_t end = d + 30 + (int)rng_exp(r, 300);
                if (end >= exit)
                        end = exit;
                struct sy_sw s = {cx->child, d, end, (uint32_t)rng_int(r, (int)la->sw_workers),
                                  (uint8_t)rng_pick(r, w, SY_SW_REASON_N)};
                VEC_PUSH(la->sws, s);
                d = end;
        }
}

static void lay_dolo(struct care_ctx *cx, date_t start, date_t end)
{
        struct sy_la *la = cx->la;
        if (start < date_from_ymd(2026, 4, 1) || end - start < 40 || age_years(cx->dob, start) < 13)
                return;
        if (!rng_chance(&la->rng, 0.08))
                return;
        struct sy_dolo dl = {cx->child, start + 3 + rng_int(&la->rng, 10), DATE_NONE};
        dl.end = dl.start + 20 + rng_int(&la->rng, 120);
        if (dl.end >= end)
                dl.end = end - 1;
        if (dl.end > dl.start)
                VEC_PUSH(la->dolos, dl);
}

date_t care_period(const struct sy_region *rg, struct sy_la *la, uint32_t child, date_t start,
                   const struct care_plan *pre)
{
        struct rng *r = &la->rng;
        struct sy_child *k = &la->kids.v[child];
        struct care_ctx cx = {0};
        cx.rg = rg;
        cx.la = la;
        cx.child = child;
        cx.dob = k->dob;
        cx.home_pc = k->home_pc;
        cx.pl_pc = -1;
        cx.urn = -1;
        int uasc = k->uasc;
        if (pre)
                cx.plan = *pre;
        else
                care_plan_route(r, la, k->dob, start, uasc, &cx.plan);
        /* Police protection lasts at most 72 hours and an EPO 21 days (361, 362):
         * the change of legal status must fit before the exit. */
        if ((cx.plan.ls_entry == LS_L1 || cx.plan.ls_entry == LS_L2) && cx.plan.exit < start + 14)
                cx.plan.exit = start + 14;
        date_t exit = cx.plan.exit;
        int age = age_years(k->dob, start);
        cx.need = k->cur_cin >= 0 ? la->cins.v[k->cur_cin].need : 0;
        cx.ls = cx.plan.ls_entry;
        care_set_placement(&cx, first_placement(&cx, age, uasc, start), 0);
        open_episode(&cx, start, 'S');
        int32_t ep0 = cx.ep;

        /* The timeline of changes before the exit (adoption has its own). */
        struct change ch[64];
        int n = 0;
        date_t t = start;
        if (cx.ls == LS_L1 || cx.ls == LS_L2) {
                t = start + (cx.ls == LS_L1 ? 2 : 3 + rng_int(r, 8));
                int next = cx.plan.route == RT_ADOPT || rng_chance(r, 0.6) ? LS_C1 : LS_V2;
                ch[n++] = (struct change){t, 0, next};
        }
        int ls_after = n ? ch[0].ls : cx.ls;
        if (cx.plan.route != RT_ADOPT && cx.plan.route != RT_REMAND) {
                if (ls_after == LS_C1) {
                        date_t c2 = t + 120 + rng_int(r, 200);
                        ch[n++] = (struct change){c2, 0, LS_C2};
                } else if (ls_after == LS_V2 && !uasc && rng_chance(r, 0.15)) {
                        date_t c1 = t + 30 + rng_int(r, 150);
                        ch[n++] = (struct change){c1, 0, LS_C1};
                        ch[n++] = (struct change){c1 + 120 + rng_int(r, 200), 0, LS_C2};
                }
        }
        date_t moves_until = cx.plan.route == RT_ADOPT
                                 ? (cx.plan.t_placed != DATE_NONE ? cx.plan.t_placed : exit)
                                 : exit;
        double rate = la->p.moves_rate * (age >= 11 ? 1.5 : age < 5 ? 0.6 : 1.0);
        for (date_t m = start + 14 + (int)rng_exp(r, 365.25 / rate); m < moves_until - 7 && n < 48;
             m += 14 + (int)rng_exp(r, 365.25 / rate))
                ch[n++] = (struct change){m, 1, -1};
        if (cx.plan.route == RT_HOME && exit - start > 200 && rng_chance(r, 0.2))
                ch[n++] = (struct change){exit - 60 - rng_int(r, 100), 2, -1};
        if (cx.plan.route == RT_INDEP && exit - start > 120 && rng_chance(r, 0.5))
                ch[n++] = (struct change){exit - 30 - rng_int(r, 60), 3, -1};
        qsort(ch, (size_t)n, sizeof ch[0], cmp_change);

        date_t last = start;
        date_t stop = cx.plan.route == RT_ADOPT ? cx.plan.t_po : exit;
        if (stop == DATE_NONE)
                stop = exit;
        for (int i = 0; i < n; i++) {
                date_t d = ch[i].d;
                /* Changes a day apart would make episodes of a day; drop them. */
                if (d <= last + 1 || d >= stop - 1)
                        continue;
                int a = age_years(k->dob, d);
                switch (ch[i].kind) {
                case 0:
                        care_change(&cx, d, ch[i].ls, -1, 0);
                        break;
                case 1:
                        if (cx.place == PL_P1)
                                continue;
                        care_change(&cx, d, -1, next_placement(&cx, a, d), 0);
                        break;
                case 2:
                        if (cx.ls != LS_C1 && cx.ls != LS_C2)
                                continue;
                        care_change(&cx, d, -1, PL_P1, 0);
                        break;
                default:
                        if (d < date_from_ymd(2024, 4, 1) || a < 16 || cx.place == PL_K3)
                                continue;
                        care_change(&cx, d, -1, PL_K3, 0);
                        break;
                }
                last = d;
        }

        int rec = cx.plan.rec;
        if (cx.plan.route == RT_ADOPT) {
                rec = perm_adoption(&cx);
                exit = cx.plan.exit;
        } else if (cx.plan.route == RT_SGO) {
                int rel = cx.place == PL_U1 || cx.place == PL_U3;
                if (is_foster(cx.place) && rng_chance(r, 0.65))
                        rec = rel ? REC_E45 : REC_E46;
                else
                        rec = rng_chance(r, 0.7) ? REC_E47 : REC_E48;
        }
        /* SGO and adoption need an episode that is still open at the exit. */
        close_episode(&cx, exit, rec, 255);
        k = &la->kids.v[child];
        k->exit_rec = (uint8_t)rec;

        /* A children's home placement may come with a deprivation of liberty order. */
        for (size_t i = la->eps.n; i-- > 0 && la->eps.v[i].child == child;) {
                if (la->eps.v[i].place == PL_K2 && la->eps.v[i].decom >= start)
                        lay_dolo(&cx, la->eps.v[i].decom, la->eps.v[i].dec);
                if (la->eps.v[i].decom <= start)
                        break;
        }
        lay_missing(&cx, start, exit, ep0);
        /* The chain of social workers runs from the referral, and on from the end
         * of the child's earlier chain if it has one: a child who comes back into
         * care keeps a worker in between, so the reported episodes follow on from
         * each other (SW10, SW11a, SW12). */
        date_t sw_from = start;
        if (k->cur_cin >= 0 && la->cins.v[k->cur_cin].ref < start)
                sw_from = la->cins.v[k->cur_cin].ref;
        if (k->sw_end != DATE_NONE)
                sw_from = k->sw_end;
        lay_social_workers(&cx, sw_from, exit);
        k = &la->kids.v[child];
        if (exit > sw_from)
                k->sw_end = exit;
        return exit;
}
