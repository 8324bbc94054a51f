/*
 * permanence.c — adoption and special guardianship, the exits to a new
 * permanent family, and the child's previous permanence option.
 *
 * An adoption follows the statutory sequence with realistic gaps: the
 * authority's decision that the child should be placed for adoption
 * (PlacedAdoption DATE_PLACED, AD1 DATE_INT), the placement order (legal
 * status E1, on or after the decision: 554), the match with adopters, the
 * placement (A5 with the foster carers — RNE T, 217 — or A6 with new
 * adopters), and the adoption order that ends the episode (E11/E12).  A
 * tenth of decisions are reversed before a placement order (RD1–RD4); those
 * children leave later under a special guardianship order.
 */
#include "synth/internal.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>

void perm_adoption_plan(struct rng *r, struct care_plan *pl)
{
        pl->t_dec = pl->start + 150 + rng_int(r, 150);
        if (rng_chance(r, 0.1)) {
                pl->t_rev = pl->t_dec + 60 + rng_int(r, 150);
                pl->exit = pl->t_rev + 100 + rng_int(r, 300);
                pl->rec = REC_E47;
                return;
        }
        pl->t_po = pl->t_dec + 20 + rng_int(r, 100);
        pl->t_match = pl->t_po + 60 + rng_int(r, 180);
        pl->t_placed = pl->t_match + 7 + rng_int(r, 40);
        pl->exit = pl->t_placed + 100 + rng_int(r, 200);
        pl->by_foster_carers = rng_chance(r, 0.25);
        pl->rec = rng_chance(r, 0.7) ? REC_E11 : REC_E12;
}

static void adopters(struct rng *r, struct sy_adopt *a)
{
        if (rng_chance(r, 0.15)) {
                a->nb = 1;
                a->sex_adoptr = rng_chance(r, 0.8) ? 1 : 0; /* F1 : M1 */
                a->ls_adoptr = 0;                           /* L0 */
                return;
        }
        a->nb = 2;
        double x = rng_unif(r);
        if (x < 0.85) {
                a->sex_adoptr = 4;                         /* MF */
                a->ls_adoptr = rng_chance(r, 0.7) ? 1 : 4; /* L11 or L3 */
        } else {
                a->sex_adoptr = x < 0.93 ? 3 : 2;                         /* FF or MM */
                a->ls_adoptr = (uint8_t)(x < 0.9 ? 2 : x < 0.96 ? 3 : 5); /* L12, L2, L4 */
        }
}

int perm_adoption(struct care_ctx *cx)
{
        struct sy_la *la = cx->la;
        struct rng *r = &la->rng;
        struct care_plan *pl = &cx->plan;
        struct sy_adopt a = {0};
        a.child = cx->child;
        a.decision = pl->t_dec;
        a.ceased = DATE_NONE;
        a.match = DATE_NONE;
        int rec = pl->rec;
        date_t last = la->eps.v[cx->ep].decom;

        if (pl->t_rev != DATE_NONE) {
                a.ceased = pl->t_rev;
                a.reason_ceased = (uint8_t)(1 + rng_int(r, 4));
                date_t c2 = pl->t_rev + 10;
                if (c2 > last + 1 && c2 < pl->exit - 2 && cx->ls == LS_C1)
                        care_change(cx, c2, LS_C2, -1, 0);
                int rel = cx->place == PL_U1 || cx->place == PL_U3;
                rec =
                    cx->place <= PL_U6 && rng_chance(r, 0.6) ? (rel ? REC_E45 : REC_E46) : REC_E47;
        } else {
                /* Keep each step at least two days after the episode before it. */
                if (pl->t_po <= last + 1)
                        pl->t_po = last + 2;
                if (pl->t_po <= pl->t_dec)
                        pl->t_po = pl->t_dec + 1;
                care_change(cx, pl->t_po, LS_E1, -1, 0);
                if (pl->t_placed <= pl->t_po + 1)
                        pl->t_placed = pl->t_po + 2;
                if (pl->t_match > pl->t_placed)
                        pl->t_match = pl->t_placed;
                if (pl->exit <= pl->t_placed + 1)
                        pl->exit = pl->t_placed + 30;
                if (pl->by_foster_carers && cx->place <= PL_U6)
                        care_change(cx, pl->t_placed, -1, PL_A5, 1);
                else {
                        pl->by_foster_carers = 0;
                        care_change(cx, pl->t_placed, -1, PL_A6, 0);
                }
                a.match = pl->t_match;
                a.foster_care = (uint8_t)pl->by_foster_carers;
                adopters(r, &a);
        }
        VEC_PUSH(la->adopts, a);
        la->kids.v[cx->child].adopt = (int32_t)(la->adopts.n - 1);
        return rec;
}

const char *const sy_prev_perm_code[5] = {"Z1", "P4", "P2", "P3", "P1"};
const char *const sy_la_perm_code[5] = {"999", "WAL", "SCO", "NIR", "NUK"};

/*
 * An order made before the child's first period of care: at least 400 days
 * before it and after the first weeks of life, so an infant has none.  The
 * region's authorities are fictional and hold no DfE LA number that rule
 * 633 accepts, so an order made in England is recorded as 999 (authority not
 * known); some were made in Wales, Scotland, Northern Ireland or abroad.
 * Dates are often known only to the month or the year (ZZ parts).
 */
void perm_prev_perm(struct sy_la *la, struct sy_child *k, date_t start)
{
        static const double w[5] = {86, 4, 5, 3, 2}; /* Z1, P4, P2, P3, P1 */
        static const double wla[5] = {82, 6, 5, 3, 4};
        static const double wfmt[3] = {30, 50, 20};
        struct rng *r = &la->rng;
        k->prev_perm = (uint8_t)rng_pick(r, w, 5);
        k->perm_date = DATE_NONE;
        if (k->prev_perm == 0)
                return;
        date_t lo = k->dob + 60, hi = start - 400;
        if (hi <= lo) {
                k->prev_perm = 0;
                return;
        }
        k->perm_date = lo + rng_int(r, (int)(hi - lo) + 1);
        k->perm_la = k->prev_perm == 1 ? 0 : (uint8_t)rng_pick(r, wla, 5);
        k->perm_fmt = k->prev_perm == 1 ? 2 : (uint8_t)rng_pick(r, wfmt, 3);
}

void perm_date_text(const struct sy_child *k, char out[16])
{
        int y, m, d;
        date_to_ymd(k->perm_date, &y, &m, &d);
        if (k->perm_fmt == 0)
                snprintf(out, 16, "%02d/%02d/%04d", d, m, y);
        else if (k->perm_fmt == 1)
                snprintf(out, 16, "ZZ/%02d/%04d", m, y);
        else
                snprintf(out, 16, "ZZ/ZZ/%04d", y);
}
