/*
 * test_measures_cla_o2_o3.c — SSDA903 measures of Outcomes 2 and 3
 * (measures.md §2, §3): cla_ceased_sgo_pct, cla_ceased_cao_pct,
 * cla_missing_children_pct, cla_missing_incidents_per_missing_child and
 * cla_away_children_pct, with the counts worked out by hand below.
 * (oc2_convicted_10_17_pct is tested with the OC2 cohort, in
 * test_measures_cla_oc2_oc3.c.)
 */
#include "cla_test.h"

/* ---------------------------------------------------------------- ceased: SGO and CAO */

/*
 * Year 2025 cessations (the last one of each child in the window counts, §0.4):
 *   P  ceased 10/05/2024 E45                                  SGO
 *   Q  ceased 01/06/2024 E41                                  CAO
 *   R  ceased 01/07/2024 E4A; back 01/08/2024, ceased 01/10/2024 E47   last: SGO
 *   S  ceased 01/08/2024 E48; back 01/09/2024, ceased 01/11/2024 E4B   last: not SGO
 *   T  short break (V4) ceased 01/06/2024 E45                 ignored
 *   U  X1 on 01/06/2024, still looked after                   not ceased
 */
static const char ceased_episodes[] =
    C903_EPISODES EP("P", "01/01/2024", "S", "C2", "U4", "10/05/2024", "E45")
        EP("Q", "01/01/2024", "S", "C2", "U4", "01/06/2024", "E41")
            EP("R", "01/01/2024", "S", "C2", "U4", "01/07/2024", "E4A")
                EP("R", "01/08/2024", "S", "V2", "U4", "01/10/2024", "E47")
                    EP("S", "01/01/2024", "S", "C2", "U4", "01/08/2024", "E48")
                        EP("S", "01/09/2024", "S", "V2", "U4", "01/11/2024", "E4B")
                            EP("T", "01/05/2024", "S", "V4", "U4", "01/06/2024", "E45")
                                EP("U", "01/01/2024", "S", "C2", "U4", "01/06/2024", "X1")
                                    EP("U", "01/06/2024", "P", "C2", "U6", "", "");

static void test_ceased_shares(void **state)
{
        (void)state;
        struct cla t;
        cla_begin(&t);
        cla_return(&t, 2024, C903_EPISODES, (const char *)NULL);
        cla_return(&t, 2025, ceased_episodes, (const char *)NULL);
        /* Ceased: P, Q, R, S = 4.  SGO: P, R (S's last reason is E4B) = 2.  CAO: Q = 1. */
        cla_expect(&t, "cla_ceased_sgo_pct", cla_year(2025), 2, 4);
        cla_expect(&t, "cla_ceased_cao_pct", cla_year(2025), 1, 4);
        /* August 2024: only S's first cessation (E48) lies in the window: SGO 1/1. */
        cla_expect(&t, "cla_ceased_sgo_pct", cla_month(2024, 8), 1, 1);
        cla_expect(&t, "cla_ceased_cao_pct", cla_month(2024, 8), 0, 1);
        /* November 2024: S again, E4B: 0/1.  June 2024: Q (E41); T is a short break. */
        cla_expect(&t, "cla_ceased_sgo_pct", cla_month(2024, 11), 0, 1);
        cla_expect(&t, "cla_ceased_cao_pct", cla_month(2024, 6), 1, 1);
        /* December 2024: nobody ceased: no value. */
        cla_expect(&t, "cla_ceased_sgo_pct", cla_month(2024, 12), 0, 0);
        /* Rolling to March = the year. */
        cla_expect(&t, "cla_ceased_sgo_pct", cla_rolling(2025, 3), 2, 4);
        cla_expect(&t, "cla_ceased_cao_pct", cla_rolling(2025, 3), 1, 4);
        /*
         * Rolling to 31/8/2024 (September 2023 - August 2024; the 2024 return has no
         * cessations): P (E45), Q (E41), R (E4A: its last cessation in this window), S (E48)
         * = 4; SGO P, S = 2; CAO Q = 1.
         */
        cla_expect(&t, "cla_ceased_sgo_pct", cla_rolling(2024, 8), 2, 4);
        cla_expect(&t, "cla_ceased_cao_pct", cla_rolling(2024, 8), 1, 4);
        cla_end(&t);
}

/* ---------------------------------------------------------------- missing and away */

/*
 * Year 2025 return:
 *   A  S 01/04/2023 C2, open.  Missing M 25/03/2024-03/04/2024 (re-sent from 2024),
 *      M 10/05/2024, M 20/06/2024, A 01/07/2024
 *   B  S 01/06/2024 V2, ends 01/09/2024.  A 15/06/2024
 *   C  S 01/05/2024 V3 (short break), open.  M 01/06/2024: not in the cohort
 *   D  S 01/01/2025 C2, open.  M 15/12/2024 (before care, inside the year)
 *   E  S 01/02/2024 C2, ends 15/04/2024.  M 10/04/2024
 *   F  S 01/01/2024 C2, open.  none
 *   G  S 01/01/2024 C2, open.  a row with MISSING blank and one with "X": ignored
 * Year 2024 return:
 *   A  S 01/04/2023, open.  M 25/03/2024-03/04/2024 (open at 31/3)
 *   E  S 01/02/2024, open.  M 01/03/2024-05/03/2024
 *   G  S 01/01/2024, open.
 */
static const char missing_episodes_2025[] =
    C903_EPISODES EP("A", "01/04/2023", "S", "C2", "U4", "", "")
        EP("B", "01/06/2024", "S", "V2", "U4", "01/09/2024", "E4A")
            EP("C", "01/05/2024", "S", "V3", "U4", "", "")
                EP("D", "01/01/2025", "S", "C2", "U4", "", "")
                    EP("E", "01/02/2024", "S", "C2", "U4", "15/04/2024", "E4A")
                        EP("F", "01/01/2024", "S", "C2", "U4", "", "")
                            EP("G", "01/01/2024", "S", "C2", "U4", "", "");
static const char missing_2025[] = C903_MISSING "A,01/01/2008,M,25/03/2024,03/04/2024\n"
                                                "A,01/01/2008,M,10/05/2024,11/05/2024\n"
                                                "A,01/01/2008,M,20/06/2024,21/06/2024\n"
                                                "A,01/01/2008,A,01/07/2024,02/07/2024\n"
                                                "B,01/01/2008,A,15/06/2024,15/06/2024\n"
                                                "C,01/01/2008,M,01/06/2024,02/06/2024\n"
                                                "D,01/01/2008,M,15/12/2024,16/12/2024\n"
                                                "E,01/01/2008,M,10/04/2024,11/04/2024\n"
                                                "G,01/01/2008,,10/04/2024,11/04/2024\n"
                                                "G,01/01/2008,X,10/04/2024,11/04/2024\n";
static const char missing_episodes_2024[] =
    C903_EPISODES EP("A", "01/04/2023", "S", "C2", "U4", "", "")
        EP("E", "01/02/2024", "S", "C2", "U4", "", "")
            EP("G", "01/01/2024", "S", "C2", "U4", "", "");
static const char missing_2024[] = C903_MISSING "A,01/01/2008,M,25/03/2024,\n"
                                                "E,01/01/2008,M,01/03/2024,05/03/2024\n";

static void setup_missing(struct cla *t)
{
        cla_begin(t);
        cla_return(t, 2024, missing_episodes_2024, missing_2024, (const char *)NULL);
        cla_return(t, 2025, missing_episodes_2025, missing_2025, (const char *)NULL);
}

static void test_missing(void **state)
{
        (void)state;
        struct cla t;
        setup_missing(&t);
        /*
         * Year 2025 cohort (a non-short-break episode overlapping the year): A, B, D, E, F, G = 6.
         * Missing (M, started in the year): A (10/5, 20/6; the 25/3 one started last year),
         * D (15/12), E (10/4) = 3 children, 4 incidents.  C is a short break.  Away: A, B = 2.
         */
        struct measure_value v = cla_expect(&t, "cla_missing_children_pct", cla_year(2025), 3, 6);
        assert_non_null(strstr(v.note, "internal use only"));
        cla_expect(&t, "cla_missing_incidents_per_missing_child", cla_year(2025), 4, 3);
        cla_expect(&t, "cla_away_children_pct", cla_year(2025), 2, 6);
        /* June 2024: cohort A, B (from 1 June), F, G = 4; missing A (20/6); away B (15/6). */
        cla_expect(&t, "cla_missing_children_pct", cla_month(2024, 6), 1, 4);
        cla_expect(&t, "cla_missing_incidents_per_missing_child", cla_month(2024, 6), 1, 1);
        cla_expect(&t, "cla_away_children_pct", cla_month(2024, 6), 1, 4);
        /* December 2024: cohort A, F, G (B left in September, D arrives in January); D's
         * incident that month is before care: 0/3, and no incidents per missing child. */
        cla_expect(&t, "cla_missing_children_pct", cla_month(2024, 12), 0, 3);
        cla_expect(&t, "cla_missing_incidents_per_missing_child", cla_month(2024, 12), 0, 0);
        /*
         * Rolling to 31/5/2024 (1/6/2023 - 31/5/2024): cohort from 2024's return A, E, G and
         * from 2025's (April-May) A, E, F, G: A, E, F, G = 4.  Incidents: A 25/3 (2024 return;
         * its copy in 2025 is dated last year) and 10/5; E 1/3 (2024) and 10/4 (2025) = 4 by 2
         * children.  Away: none before July.
         */
        cla_expect(&t, "cla_missing_children_pct", cla_rolling(2024, 5), 2, 4);
        cla_expect(&t, "cla_missing_incidents_per_missing_child", cla_rolling(2024, 5), 4, 2);
        cla_expect(&t, "cla_away_children_pct", cla_rolling(2024, 5), 0, 4);
        cla_expect(&t, "cla_missing_children_pct", cla_rolling(2025, 3), 3, 6);
        /* Year 2024: cohort A, E, G = 3; missing A (25/3), E (1/3). */
        cla_expect(&t, "cla_missing_children_pct", cla_year(2024), 2, 3);
        cla_end(&t);
}

/* With the child hook set (uncached), the same counts and the children reported. */
static void test_missing_hooks(void **state)
{
        (void)state;
        struct cla t;
        setup_missing(&t);
        t.hooks = true;
        cla_expect(&t, "cla_missing_children_pct", cla_year(2025), 3, 6);
        assert_int_equal(t.children, 6);
        assert_int_equal(t.in_numerator, 3);
        cla_expect(&t, "cla_away_children_pct", cla_year(2025), 2, 6);
        assert_int_equal(t.in_numerator, 2);
        /* Incidents per missing child reports the missing children. */
        cla_expect(&t, "cla_missing_incidents_per_missing_child", cla_rolling(2024, 5), 4, 2);
        assert_int_equal(t.children, 2);
        cla_end(&t);
}

static void test_missing_rows(void **state)
{
        (void)state;
        const char *ids[] = {"cla_missing_children_pct", "cla_missing_incidents_per_missing_child",
                             "cla_away_children_pct"};
        for (int i = 0; i < 3; i++) {
                const struct measure_def *m = measure_find(ids[i]);
                assert_non_null(m);
                /* Never ranked, internal only, no benchmark (§3 caveat). */
                assert_true(m->flags & MEASURE_NEVER_RANK);
                assert_true(m->flags & MEASURE_INTERNAL_ONLY);
                assert_int_equal(m->bench.kind, MEASURE_BENCH_NONE);
                assert_int_equal(m->polarity, BENCH_LOWER_BETTER);
                assert_int_equal(m->outcome, MEASURE_OUTCOME_3);
                assert_int_equal(m->periods, MEASURE_PERIODS_ALL);
        }
        assert_int_equal(measure_find(ids[1])->unit, MEASURE_AVERAGE);
        const struct measure_def *m = measure_find("cla_ceased_sgo_pct");
        assert_int_equal(m->outcome, MEASURE_OUTCOME_2);
        assert_int_equal(m->polarity, BENCH_NEUTRAL);
        assert_int_equal(measure_find("cla_ceased_cao_pct")->unit, MEASURE_PERCENT);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_ceased_shares),
            cmocka_unit_test(test_missing),
            cmocka_unit_test(test_missing_hooks),
            cmocka_unit_test(test_missing_rows),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
