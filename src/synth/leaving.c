/*
 * leaving.c — the OC2 outcomes of children looked after for a year or more,
 * and the OC3 follow-up of care leavers around their 17th to 21st birthdays.
 *
 * These are drawn when a year is written, from a hash of (authority, child,
 * year), so they need no state and never disturb the simulation's stream.
 * Cohorts follow data-formats.md §1.1: OC2 is a child looked after
 * continuously since at least 31 March of the previous year; OC3 is a young
 * person who left care aged 16 or over, with 13 weeks looked after after 14,
 * whose birthday in the year makes them 17–21 and who had left care before
 * that birthday, or on it for the 18th (so rule 1007 cannot apply; see
 * leaving_oc3 for 1016).
 */
#include "synth/internal.h"

uint64_t sy_hash(uint64_t a, uint64_t b, uint64_t c)
{
        uint64_t x = a * 0x9e3779b97f4a7c15ULL ^
                     (b + 0x632be59bd9b4e019ULL) * 0xbf58476d1ce4e5b9ULL ^
                     (c + 0x85157af5ULL) * 0x94d049bb133111ebULL;
        x ^= x >> 31;
        x *= 0xd6e8feb86659fd93ULL;
        x ^= x >> 32;
        return x;
}

/* The nth birthday; 29 February falls on 1 March in a common year, as
 * date_age and the validation rules count it. */
static date_t birthday(date_t dob, int n)
{
        int y, m, d;
        date_to_ymd(dob, &y, &m, &d);
        if (m == 2 && d == 29 && !date_ymd_valid(y + n, 2, 29))
                return date_from_ymd(y + n, 3, 1);
        return date_from_ymd(y + n, m, d);
}

int leaving_in_oc2_cohort(const struct sy_la *la, uint32_t child, int year)
{
        date_t from = date_year_start(year) - 1, to = date_year_end(year);
        int f = la->ep_first[child], n = la->ep_n[child];
        date_t pstart = DATE_NONE;
        for (int i = f; i < f + n; i++) {
                const struct sy_episode *e = &la->eps.v[i];
                if (e->rne == 'S')
                        pstart = e->decom;
                if (e->decom > to)
                        break;
                int open_end = e->dec == DATE_NONE || e->dec > to;
                if (open_end && pstart != DATE_NONE && pstart <= from)
                        return 1;
        }
        return 0;
}

void leaving_oc2(const struct sy_la *la, uint32_t child, int year, struct sy_oc2 *o)
{
        struct rng r;
        rng_seed(&r, sy_hash((uint64_t)la->idx, child, (uint64_t)year), 2);
        date_t dob = la->kids.v[child].dob;
        int a_start = date_age(dob, date_year_start(year));
        int a_end = date_age(dob, date_year_end(year));
        o->sdq = (a_end >= 4 && a_start < 17) ? (int)(rng_unif(&r) * rng_unif(&r) * 35 + 3) : -1;
        if (o->sdq > 40)
                o->sdq = 40;
        o->convicted = a_end >= 10 ? rng_chance(&r, 0.03) : -1;
        o->health_check = a_end < 5 ? rng_chance(&r, 0.88) : -1;
        o->immunisations = rng_chance(&r, 0.84);
        o->teeth = rng_chance(&r, 0.81);
        o->health_assessment = rng_chance(&r, 0.9);
        o->substance = a_end >= 11 ? rng_chance(&r, 0.06) : 0;
        if (o->substance) {
                o->received = rng_chance(&r, 0.45);
                o->offered = o->received ? -1 : rng_chance(&r, 0.5);
        } else {
                o->received = o->offered = -1;
        }
}

int leaving_oc3(const struct sy_la *la, uint32_t child, int year, const char **in_touch,
                const char **activ, const char **accom)
{
        const struct sy_child *k = &la->kids.v[child];
        int f = la->ep_first[child], n = la->ep_n[child];
        if (n == 0)
                return 0;
        const struct sy_episode *last = &la->eps.v[f + n - 1];
        if (last->dec == DATE_NONE)
                return 0;
        switch (last->rec) {
        case REC_E11:
        case REC_E12:
        case REC_E3:
        case REC_E14:
                return 0;
        default:
                break;
        }
        /* Some time looked after after the 16th birthday: leaving on it is not
         * enough (1001). */
        date_t exit = last->dec;
        if (exit <= birthday(k->dob, 16))
                return 0;
        /* Start of the last period, and 13 weeks looked after after 14. */
        date_t pstart = last->decom;
        for (int i = f + n - 1; i >= f; i--) {
                pstart = la->eps.v[i].decom;
                if (la->eps.v[i].rne == 'S')
                        break;
        }
        date_t b14 = birthday(k->dob, 14);
        if (exit - (pstart > b14 ? pstart : b14) < 91)
                return 0;
        date_t ys = date_year_start(year), ye = date_year_end(year);
        for (int age = 17; age <= 21; age++) {
                date_t b = birthday(k->dob, age);
                if (b < ys || b > ye)
                        continue;
                /* Still looked after on the birthday: no follow-up that year (1007).
                 * A young person who leaves care on their 18th birthday is a care
                 * leaver at 18 and is followed up then. */
                if (exit > b || (exit == b && age != 18))
                        return 0;
                struct rng r;
                rng_seed(&r, sy_hash((uint64_t)la->idx, child, (uint64_t)year), 3);
                static const double wt[5] = {86, 5, 2, 4, 3};
                int t = rng_pick(&r, wt, 5);
                *in_touch = sy_in_touch_code[t];
                if (t != 0) {
                        *activ = *accom = "0";
                        return 1;
                }
                static const double wa[SY_ACTIV_N] = {4, 1, 25, 5, 6, 1, 16, 4, 8, 26, 4};
                int ac;
                do
                        ac = rng_pick(&r, wa, SY_ACTIV_N);
                while (age < 19 && ac < 2); /* higher education from 19 */
                *activ = sy_activ_code[ac];
                static const double wm[SY_ACCOM_N] = {10, 2, 18, 8, 20, 10, 3, 2, 5,
                                                      1,  2, 3,  2, 2,  2,  1, 1, 2};
                int m;
                do
                        m = rng_pick(&r, wm, SY_ACCOM_N);
                while ((age == 17 && m == 5) || (age < 18 && m == 6) || (age >= 18 && m == 1));
                *accom = sy_accom_code[m];
                return 1;
        }
        return 0;
}
