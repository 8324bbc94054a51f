/*
 * test_impact_periods.c — the transition-period rule of issue 8
 * (src/stats/impact_periods.c): the first post-change period is the first
 * that starts on or after the change date; a period the date falls inside
 * (after its first day) is a transition, left out unless kept.
 */
#include "test.h"

#include "core/date.h"
#include "stats/impact_periods.h"

static date_t ymd(int y, int m, int d)
{
        return date_from_ymd(y, m, d);
}

/* Roles as letters: p pre, t transition, P post. */
static void expect(const date_t *first, const date_t *last, size_t n, date_t change, int keep,
                   const char *want, size_t want_first_post)
{
        enum impact_role roles[64];
        size_t fp = impact_period_roles(first, last, n, change, keep, roles);
        char got[65];
        for (size_t i = 0; i < n; i++)
                got[i] = roles[i] == IMPACT_PRE ? 'p' : roles[i] == IMPACT_TRANSITION ? 't' : 'P';
        got[n] = '\0';
        assert_string_equal(got, want);
        assert_int_equal(fp, want_first_post);
}

static void collection_years(void **state)
{
        (void)state;
        date_t first[6], last[6];
        impact_years(ymd(2018, 5, 20), 6, first, last); /* collection years 2019..2024 */
        assert_int_equal(first[0], ymd(2018, 4, 1));
        assert_int_equal(last[0], ymd(2019, 3, 31));
        assert_int_equal(first[5], ymd(2023, 4, 1));
        /* On a year's first day: that year is the first after, no transition. */
        expect(first, last, 6, ymd(2021, 4, 1), 0, "pppPPP", 3);
        /* Inside a year: that year is a transition, the next is the first after. */
        expect(first, last, 6, ymd(2021, 9, 15), 0, "ppptPP", 4);
        expect(first, last, 6, ymd(2021, 9, 15), 1, "ppppPP", 4);
        /* On a year's last day: still inside it. */
        expect(first, last, 6, ymd(2022, 3, 31), 0, "ppptPP", 4);
        /* The day after: a new year's first day. */
        expect(first, last, 6, ymd(2022, 4, 1), 0, "ppppPP", 4);
}

static void months(void **state)
{
        (void)state;
        date_t first[12], last[12];
        impact_months(ymd(2020, 7, 17), 12, first, last); /* July 2020 .. June 2021 */
        assert_int_equal(first[0], ymd(2020, 7, 1));
        assert_int_equal(last[0], ymd(2020, 7, 31));
        assert_int_equal(first[7], ymd(2021, 2, 1));
        assert_int_equal(last[7], ymd(2021, 2, 28));
        expect(first, last, 12, ymd(2021, 1, 1), 0, "ppppppPPPPPP", 6);
        expect(first, last, 12, ymd(2021, 1, 2), 0, "pppppptPPPPP", 7);
        expect(first, last, 12, ymd(2021, 1, 2), 1, "pppppppPPPPP", 7);
        /* Before every period: all after.  After every period: all before. */
        expect(first, last, 12, ymd(2019, 1, 1), 0, "PPPPPPPPPPPP", 0);
        expect(first, last, 12, ymd(2022, 1, 1), 0, "pppppppppppp", 12);
        /* Inside the last period: it is a transition and nothing comes after. */
        expect(first, last, 12, ymd(2021, 6, 10), 0, "pppppppppppt", 12);
}

static void gaps(void **state)
{
        (void)state;
        /* January and March only: a change in February touches neither. */
        date_t first[] = {ymd(2021, 1, 1), ymd(2021, 3, 1)};
        date_t last[] = {ymd(2021, 1, 31), ymd(2021, 3, 31)};
        expect(first, last, 2, ymd(2021, 2, 10), 0, "pP", 1);
        expect(first, last, 2, ymd(2021, 1, 10), 0, "tP", 1);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(collection_years),
            cmocka_unit_test(months),
            cmocka_unit_test(gaps),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
