/*
 * test_measures_cla_o1.c — Outcome 1 SSDA903 measures (measures.md §1):
 * cla_rate_per_10k, cla_starting_rate_per_10k, cla_starting_uasc_rate_per_10k,
 * cla_ceasing_rate_per_10k and cla_uasc_pct, for the year, months and
 * rolling windows, on hand-made returns with the counts worked out below.
 */
#include "cla_test.h"

/*
 * Year 2025 (1 April 2024 - 31 March 2025):
 *   A  S 10/05/2024 C2 U1, open                      CLA 31/3, start May
 *   B  S 01/02/2024 V2 U6, open                      CLA 31/3 (V2 is not a short break)
 *   C  S 01/06/2024 V3, open                         short break: nowhere
 *   D  S 01/07/2024 V4, ends 10/07/2024 E4A          short break: not a cessation
 *   E  S 01/04/2024 C1 U4, ends 31/03/2025 E4A       start April, ceased March; not open on
 *                                                    31/3 (ends that day)
 *   F  S 01/09/2024 C2 U4 open and P 01/11/2024 C2 U6 open: two open episodes from
 *      November (a DQ warning); counted once
 *   G  S 15/08/2024 C2 U4 -X1-> P 20/09/2024 C2 K2, ends 15/12/2024 E41;
 *      S again 10/01/2025 V2 U6, open                starts Aug and Jan (once a year), ceased Dec
 *   H  S 05/05/2024 V2 U6, open; UASC, DUC 05/01/2025  UASC on its start, not on 31/3
 *   I  S 01/03/2025 V2 U6, open; UASC, DUC blank       UASC on its start and on 31/3
 *   J  S 01/12/2024 V2 U6, open; UASC, DUC 30/11/2024  not UASC on its start (DUC before)
 *   L  (re-sent) S 15/11/2023 C2 U4, ends 20/04/2024 E45
 *
 * Year 2024 (1 April 2023 - 31 March 2024), for rolling windows:
 *   B  S 01/02/2024 V2 U6, open
 *   K  S 01/06/2023 C2 U4, ends 01/12/2023 E4A
 *   L  S 15/11/2023 C2 U4, open (ends in April 2024, in the 2025 return)
 *   M  S 01/03/2024 C2 U4, open (not re-sent in 2025: never carried forward)
 */
static const char header_2025[] =
    C903_HEADER HD("A", "01/01/2010") HD("B", "01/01/2012") HD("C", "01/01/2014")
        HD("D", "01/01/2014") HD("E", "01/01/2008") HD("F", "01/01/2011") HD("G", "01/01/2009")
            HD("H", "05/01/2007") HD("I", "01/01/2009") HD("J", "30/11/2006") HD("L", "01/01/2013");

static const char episodes_2025[] = C903_EPISODES EP("A", "10/05/2024", "S", "C2", "U1", "", "")
    EP("B", "01/02/2024", "S", "V2", "U6", "", "") EP("C", "01/06/2024", "S", "V3", "U6", "", "")
        EP("D", "01/07/2024", "S", "V4", "U6", "10/07/2024", "E4A")
            EP("E", "01/04/2024", "S", "C1", "U4", "31/03/2025", "E4A")
                EP("F", "01/09/2024", "S", "C2", "U4", "", "")
                    EP("F", "01/11/2024", "P", "C2", "U6", "", "")
                        EP("G", "15/08/2024", "S", "C2", "U4", "20/09/2024", "X1")
                            EP("G", "20/09/2024", "P", "C2", "K2", "15/12/2024", "E41")
                                EP("G", "10/01/2025", "S", "V2", "U6", "", "")
                                    EP("H", "05/05/2024", "S", "V2", "U6", "", "")
                                        EP("I", "01/03/2025", "S", "V2", "U6", "", "")
                                            EP("J", "01/12/2024", "S", "V2", "U6", "", "")
                                                EP("L", "15/11/2023", "S", "C2", "U4", "20/04/2024",
                                                   "E45");

static const char uasc_2025[] = C903_UASC "H,M,05/01/2007,05/01/2025\n"
                                          "I,M,01/01/2009,\n"
                                          "J,M,30/11/2006,30/11/2024\n";

static const char header_2024[] = C903_HEADER HD("B", "01/01/2012") HD("K", "01/01/2010")
    HD("L", "01/01/2013") HD("M", "01/01/2015");
static const char episodes_2024[] = C903_EPISODES EP("B", "01/02/2024", "S", "V2", "U6", "", "")
    EP("K", "01/06/2023", "S", "C2", "U4", "01/12/2023", "E4A")
        EP("L", "15/11/2023", "S", "C2", "U4", "", "")
            EP("M", "01/03/2024", "S", "C2", "U4", "", "");

static void setup_region(struct cla *t)
{
        cla_begin(t);
        cla_return(t, 2024, header_2024, episodes_2024, (const char *)NULL);
        cla_return(t, 2025, header_2025, episodes_2025, uasc_2025, (const char *)NULL);
        cla_population(t, 2024, 19000);
        cla_population(t, 2025, 20000);
}

static void test_cla_rate(void **state)
{
        (void)state;
        struct cla t;
        setup_region(&t);
        /* 31/3/2025: A, B, F, G, H, I, J = 7 (C short break, D closed, E ends that day, L
         * closed).  F has two open episodes: one DQ warning. */
        struct measure_value v = cla_expect(&t, "cla_rate_per_10k", cla_year(2025), 7, 20000);
        assert_int_equal(v.dq_warnings, 1);
        /* The cached month-end value carries the warning too (month March = the year). */
        v = cla_expect(&t, "cla_rate_per_10k", cla_month(2025, 3), 7, 20000);
        assert_int_equal(v.dq_warnings, 1);
        /* 31/5/2024: A (10 May), B, E, H (5 May) = 4; F not yet, no DQ. */
        v = cla_expect(&t, "cla_rate_per_10k", cla_month(2024, 5), 4, 20000);
        assert_int_equal(v.dq_warnings, 0);
        /* 31/12/2024: A, B, E, F (two open: DQ), H, J (1 Dec) = 6; G ceased 15 Dec. */
        cla_expect(&t, "cla_rate_per_10k", cla_month(2024, 12), 6, 20000);
        /* Rolling to 31/10/2024 is the snapshot at 31/10: A, B, E, F, G, H = 6. */
        cla_expect(&t, "cla_rate_per_10k", cla_rolling(2024, 10), 6, 20000);
        /* Rolling to 31 March = the year. */
        cla_expect(&t, "cla_rate_per_10k", cla_rolling(2025, 3), 7, 20000);
        /* 31/3/2024 from the 2024 return: B, L, M = 3, with 2024's population. */
        cla_expect(&t, "cla_rate_per_10k", cla_year(2024), 3, 19000);
        /* February 2024 is in year 2024: B (1 Feb), L = 2. */
        cla_expect(&t, "cla_rate_per_10k", cla_month(2024, 2), 2, 19000);
        cla_end(&t);
}

static void test_cla_rate_hooks(void **state)
{
        (void)state;
        struct cla t;
        setup_region(&t);
        t.hooks = true;
        /* The hook sees F's warning and the seven children, all in the numerator. */
        struct measure_value v = cla_expect(&t, "cla_rate_per_10k", cla_year(2025), 7, 20000);
        assert_int_equal(v.dq_warnings, 1);
        assert_int_equal(t.dq, 1);
        assert_non_null(strstr(t.last_dq, "F: more than one episode open on 2025-03-31"));
        assert_int_equal(t.children, 7);
        assert_int_equal(t.in_numerator, 7);
        cla_end(&t);
}

static void test_starts(void **state)
{
        (void)state;
        struct cla t;
        setup_region(&t);
        /* Year: A, E, F, G (once, on 15/8), H, I, J = 7; B started before the year; C and D
         * are short breaks. */
        cla_expect(&t, "cla_starting_rate_per_10k", cla_year(2025), 7, 20000);
        /* May 2024: A, H = 2.  January 2025: G's second start = 1 (first in that window). */
        cla_expect(&t, "cla_starting_rate_per_10k", cla_month(2024, 5), 2, 20000);
        cla_expect(&t, "cla_starting_rate_per_10k", cla_month(2025, 1), 1, 20000);
        /* June 2024: C's start is a short break: 0. */
        cla_expect(&t, "cla_starting_rate_per_10k", cla_month(2024, 6), 0, 20000);
        /*
         * Rolling to 31/10/2024 (1/11/2023 - 31/10/2024): from the 2024 return L (15/11/2023),
         * B (1/2/2024), M (1/3/2024); from the 2025 return A, E, F, G, H = 8.  B's episode is
         * in both returns but is dated in 2024's year: counted once.
         */
        cla_expect(&t, "cla_starting_rate_per_10k", cla_rolling(2024, 10), 8, 20000);
        cla_expect(&t, "cla_starting_rate_per_10k", cla_rolling(2025, 3), 7, 20000);
        /* Year 2024: K, L, B, M = 4. */
        cla_expect(&t, "cla_starting_rate_per_10k", cla_year(2024), 4, 19000);
        cla_end(&t);
}

static void test_starts_uasc(void **state)
{
        (void)state;
        struct cla t;
        setup_region(&t);
        /* H (DUC 5/1/2025 after its 5/5/2024 start) and I (DUC blank); J's DUC is before its
         * start.  2. */
        cla_expect(&t, "cla_starting_uasc_rate_per_10k", cla_year(2025), 2, 20000);
        cla_expect(&t, "cla_starting_uasc_rate_per_10k", cla_month(2024, 5), 1, 20000);
        cla_expect(&t, "cla_starting_uasc_rate_per_10k", cla_month(2024, 12), 0, 20000);
        cla_expect(&t, "cla_starting_uasc_rate_per_10k", cla_rolling(2024, 10), 1, 20000);
        cla_end(&t);
}

static void test_ceases(void **state)
{
        (void)state;
        struct cla t;
        setup_region(&t);
        /* E (31/3/2025), G (15/12/2024), L (20/4/2024, E45) = 3; D is a short break; G's X1 is
         * not a cessation. */
        cla_expect(&t, "cla_ceasing_rate_per_10k", cla_year(2025), 3, 20000);
        cla_expect(&t, "cla_ceasing_rate_per_10k", cla_month(2025, 3), 1, 20000);
        cla_expect(&t, "cla_ceasing_rate_per_10k", cla_month(2024, 7), 0, 20000);
        /* Rolling to 31/10/2024: K (1/12/2023, 2024 return) and L (20/4/2024, 2025 return). */
        cla_expect(&t, "cla_ceasing_rate_per_10k", cla_rolling(2024, 10), 2, 20000);
        cla_expect(&t, "cla_ceasing_rate_per_10k", cla_rolling(2025, 3), 3, 20000);
        /* Year 2024: K only (L and M open at 31/3/2024). */
        cla_expect(&t, "cla_ceasing_rate_per_10k", cla_year(2024), 1, 19000);
        cla_end(&t);
}

static void test_uasc_pct(void **state)
{
        (void)state;
        struct cla t;
        setup_region(&t);
        /* 31/3/2025: of the 7, only I is UASC (H's and J's DUC have passed).  1/7. */
        cla_expect(&t, "cla_uasc_pct", cla_year(2025), 1, 7);
        /* 31/12/2024: A, B, E, F, H, J: H (DUC 5/1/2025 later) is UASC, J's DUC 30/11 has
         * passed.  1/6. */
        cla_expect(&t, "cla_uasc_pct", cla_month(2024, 12), 1, 6);
        /* 31/1/2025: A, B, E, F, G, H, J: H's DUC (5/1) has passed.  0/7. */
        cla_expect(&t, "cla_uasc_pct", cla_month(2025, 1), 0, 7);
        /* Rolling points are the snapshot at their end: 31/10/2024 A, B, E, F, G, H with H
         * UASC (1/6); 31 March = the year. */
        cla_expect(&t, "cla_uasc_pct", cla_rolling(2024, 10), 1, 6);
        cla_expect(&t, "cla_uasc_pct", cla_rolling(2025, 3), 1, 7);
        cla_end(&t);
}

/* The DUC itself: UASC status ends on the DUC, so a child is UASC on D only when DUC > D. */
static void test_uasc_on_duc(void **state)
{
        (void)state;
        struct cla t;
        cla_begin(&t);
        cla_return(
            &t, 2025, C903_HEADER HD("P", "31/03/2007") HD("Q", "01/04/2007") HD("R", "01/01/2012"),
            C903_EPISODES EP("P", "01/01/2024", "S", "V2", "U6", "", "")
                EP("Q", "01/01/2024", "S", "V2", "U6", "", "")
                    EP("R", "01/01/2024", "S", "C2", "U6", "", ""),
            C903_UASC "P,M,31/03/2007,31/03/2025\nQ,M,01/04/2007,01/04/2025\n", (const char *)NULL);
        cla_population(&t, 2025, 5000);
        /* P's DUC is the snapshot date: not UASC on it.  Q's DUC is the day after: UASC.  R has
         * no UASC row.  1/3. */
        cla_expect(&t, "cla_uasc_pct", cla_year(2025), 1, 3);
        cla_end(&t);
}

/* No population for the year: the rate has its numerator but no value (§0.7). */
static void test_no_population(void **state)
{
        (void)state;
        struct cla t;
        cla_begin(&t);
        cla_return(&t, 2025, header_2025, episodes_2025, uasc_2025, (const char *)NULL);
        cla_population(&t, 2026, 21000); /* another year's: never used */
        struct measure_value v = cla_value(&t, "cla_rate_per_10k", cla_year(2025));
        assert_true(v.has_numerator);
        assert_int_equal(v.numerator, 7);
        assert_false(v.has_value);
        assert_string_equal(v.note, "no population for mid-2024");
        /* A year with no return held: nothing, with a note. */
        cla_expect_none(&t, "cla_starting_rate_per_10k", cla_year(2024),
                        "no SSDA903 return held for 2024");
        /* A rolling window reaching into a year not held. */
        cla_expect_none(&t, "cla_ceasing_rate_per_10k", cla_rolling(2024, 10),
                        "no SSDA903 return held for 2024");
        cla_end(&t);
}

/* Malformed and odd cells never crash a measure: bad dates are unknown, not counted. */
static void test_odd_cells(void **state)
{
        (void)state;
        struct cla t;
        cla_begin(&t);
        cla_return(&t, 2025, C903_HEADER HD("A", "01/01/2010"),
                   C903_EPISODES EP("A", "31/02/2024", "S", "C2", "U1", "", "")
                       EP("B", "01/05/2024", "S", "C2", "U1", "32/13/2024", "E4A")
                           EP("C", "", "S", "", "", "", "")
                               EP("D", "01/05/2024", "", "", "", "01/06/2024", ""),
                   (const char *)NULL);
        cla_population(&t, 2025, 1000);
        /* A: DECOM not a date: never open, not a start.  B: a bad DEC is treated as blank
         * (still open, the validator reports it).  C: no DECOM.  D: no RNE, ended with no REC:
         * a cessation (REC is not X1), with a DQ warning. */
        cla_expect(&t, "cla_rate_per_10k", cla_year(2025), 1, 1000);
        cla_expect(&t, "cla_starting_rate_per_10k", cla_year(2025), 1, 1000);
        struct measure_value v =
            cla_expect(&t, "cla_ceasing_rate_per_10k", cla_year(2025), 1, 1000);
        assert_int_equal(v.dq_warnings, 1);
        cla_end(&t);
}

/* The catalogue rows: units, polarities, periods and benchmarks as measures.md gives them. */
static void test_catalogue_rows(void **state)
{
        (void)state;
        const struct measure_def *m = measure_find("cla_rate_per_10k");
        assert_non_null(m);
        assert_int_equal(m->unit, MEASURE_RATE_PER_10K);
        assert_int_equal(m->polarity, BENCH_NEUTRAL);
        assert_int_equal(m->source, MEASURE_SRC_903);
        assert_int_equal(m->periods, MEASURE_PERIODS_ALL);
        assert_string_equal(m->bench.source, "cla_number_and_rate_per_10k_children");
        assert_string_equal(m->bench.filters,
                            "population_type=Children looked after on 31 March each year");
        assert_string_equal(m->bench.column, "rate_per_10000");
        assert_int_equal(m->bench.dp, 0);
        assert_int_equal(m->bench.local, 1);
        m = measure_find("cla_starting_rate_per_10k");
        assert_string_equal(m->bench.filters,
                            "population_type=Children starting to be looked after each year");
        m = measure_find("cla_ceasing_rate_per_10k");
        assert_string_equal(m->bench.filters,
                            "population_type=Children ceasing to be looked after each year");
        m = measure_find("cla_starting_uasc_rate_per_10k");
        assert_int_equal(m->unit, MEASURE_RATE_PER_10K);
        assert_int_equal(m->bench.local, 0);
        m = measure_find("cla_uasc_pct");
        assert_int_equal(m->unit, MEASURE_PERCENT);
        assert_int_equal(m->polarity, BENCH_NEUTRAL);
        assert_int_equal(m->outcome, MEASURE_OUTCOME_1);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_cla_rate),    cmocka_unit_test(test_cla_rate_hooks),
            cmocka_unit_test(test_starts),      cmocka_unit_test(test_starts_uasc),
            cmocka_unit_test(test_ceases),      cmocka_unit_test(test_uasc_pct),
            cmocka_unit_test(test_uasc_on_duc), cmocka_unit_test(test_no_population),
            cmocka_unit_test(test_odd_cells),   cmocka_unit_test(test_catalogue_rows),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
