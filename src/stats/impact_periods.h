/*
 * impact_periods.h — which periods come before and after a change (issue 8).
 *
 * The first post-change period is the first period that starts on or after
 * the change date.  When the date falls after a period's first day, that
 * period straddles the change: it is a transition, left out of the fit
 * unless the caller keeps it (then it counts as a pre-change period, since it
 * starts before the change).  A change dated on a period's first day has no
 * transition.  Periods are given by their first and last days (core/date.h
 * day numbers), in time order, and need not be contiguous.
 */
#ifndef IMPROVE_IMPACT_PERIODS_H
#define IMPROVE_IMPACT_PERIODS_H

#include "core/date.h"

#include <stddef.h>

enum impact_role {
        IMPACT_PRE,
        IMPACT_TRANSITION, /* straddles the change and is left out */
        IMPACT_POST,
};

/*
 * Fill roles[0..n) and return the index of the first post-change period (n
 * when every period starts before the change).  With keep_transition the
 * straddling period is IMPACT_PRE.
 */
size_t impact_period_roles(const date_t *first_day, const date_t *last_day, size_t n, date_t change,
                           int keep_transition, enum impact_role *roles);

/*
 * First and last days of n consecutive periods: months starting with the month
 * that contains `from`, or collection years (1 April to 31 March) starting
 * with the one that contains `from`.
 */
void impact_months(date_t from, size_t n, date_t *first_day, date_t *last_day);
void impact_years(date_t from, size_t n, date_t *first_day, date_t *last_day);

#endif
