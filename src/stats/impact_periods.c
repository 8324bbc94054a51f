/*
 * impact_periods.c — the transition-period rule of issue 8 (see
 * impact_periods.h), kept apart from the store so that it can be tested on
 * plain dates and used by every caller that turns a change date into a split.
 */
#include "stats/impact_periods.h"

size_t impact_period_roles(const date_t *first_day, const date_t *last_day, size_t n, date_t change,
                           int keep_transition, enum impact_role *roles)
{
        size_t first_post = n;
        for (size_t i = 0; i < n; i++) {
                if (first_day[i] >= change) {
                        roles[i] = IMPACT_POST;
                        if (first_post == n)
                                first_post = i;
                } else if (change <= last_day[i]) {
                        /* The change falls inside the period, after its first day. */
                        roles[i] = keep_transition ? IMPACT_PRE : IMPACT_TRANSITION;
                } else {
                        roles[i] = IMPACT_PRE;
                }
        }
        return first_post;
}

void impact_months(date_t from, size_t n, date_t *first_day, date_t *last_day)
{
        int y, m, d;
        date_to_ymd(from, &y, &m, &d);
        date_t start = date_from_ymd(y, m, 1);
        for (size_t i = 0; i < n; i++) {
                first_day[i] = date_add_months(start, (int)i);
                last_day[i] = date_month_end(first_day[i]);
        }
}

void impact_years(date_t from, size_t n, date_t *first_day, date_t *last_day)
{
        int year = date_collection_year(from);
        for (size_t i = 0; i < n; i++) {
                first_day[i] = date_year_start(year + (int)i);
                last_day[i] = date_year_end(year + (int)i);
        }
}
