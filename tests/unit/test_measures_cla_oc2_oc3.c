/*
 * test_measures_cla_oc2_oc3.c — children looked after 12 months or more
 * (OC2, measures.md §4.4, with oc2_convicted_10_17_pct of §3) and care
 * leavers (OC3, §4.5), with the cohorts and counts worked out by hand below.
 */
#include "cla_test.h"

/* ---------------------------------------------------------------- OC2 */

/*
 * Year 2025; ages at 31/3/2025.  Cohort: looked after on 31/3/2025 (not V3/V4), period of
 * care begun on or before 1/4/2024, no V3/V4 episode in the year.
 *   O1  (3)  S 01/01/2023              OC2: HC 1, IMM 1, TEETH 0, HA 1
 *   O2  (10) S 01/04/2024 (on 1 April: in)   SDQ 12; IMM 0, TEETH 1, HA 1
 *   O3  (15) S 02/04/2024: too recent; its OC2 row is ignored (DQ)
 *   O4  (17) S 01/01/2020              SDQ blank (SDQ1, but 17); CONVICTED 1, IMM 1, TEETH 1,
 *                                      HA 1, SUBSTANCE 1, INTERVENTION 1
 *   O5  (13) S 01/06/2022 -X1-> P 01/01/2025: no OC2 row (DQ; denominator only)
 *   O6  (12) S 01/01/2023              SDQ 15; CONVICTED 1, IMM 1, TEETH 1, HA 0,
 *                                      SUBSTANCE 1, INTERVENTION 0
 *   O7  (14) S 01/01/2023              SDQ 30; IMM 1, TEETH 1, HA 1
 *   O8  (11) S 01/01/2022 -X1-> L 01/06/2024 V4 -X1-> L 01/07/2024 C2: a short break in
 *            the year: out; its OC2 row is ignored (DQ)
 *   O9  (9)  S 01/01/2023              SDQ "abc" (invalid), SDQ2; HA 1
 *   O10 (5, born 31/3/2020) S 01/01/2023  SDQ 0; HC 1 (but 5: not in 0-4), IMM 1, TEETH 1, HA 1
 *   O11 (16) S 01/01/2023 V2           SDQ 40; all flags 0
 * Cohort: O1, O2, O4, O5, O6, O7, O9, O10, O11 = 9, with 3 DQ warnings (O5, O3, O8).
 */
static const char oc2_header[] = C903_HEADER HD("O1", "01/06/2021") HD("O2", "01/01/2015")
    HD("O3", "01/01/2010") HD("O4", "01/01/2008") HD("O5", "01/01/2012") HD("O6", "01/01/2013")
        HD("O7", "01/01/2011") HD("O8", "01/01/2014") HD("O9", "01/01/2016") HD("O10", "31/03/2020")
            HD("O11", "01/01/2009");
static const char oc2_eps[] = C903_EPISODES EP("O1", "01/01/2023", "S", "C2", "U4", "", "")
    EP("O2", "01/04/2024", "S", "C2", "U4", "", "") EP("O3", "02/04/2024", "S", "C2", "U4", "", "")
        EP("O4", "01/01/2020", "S", "C2", "U4", "", "")
            EP("O5", "01/06/2022", "S", "C2", "U4", "01/01/2025", "X1")
                EP("O5", "01/01/2025", "P", "C2", "U6", "", "")
                    EP("O6", "01/01/2023", "S", "C2", "U4", "", "")
                        EP("O7", "01/01/2023", "S", "C2", "U4", "", "")
                            EP("O8", "01/01/2022", "S", "C2", "U4", "01/06/2024", "X1")
                                EP("O8", "01/06/2024", "L", "V4", "U4", "01/07/2024", "X1")
                                    EP("O8", "01/07/2024", "L", "C2", "U4", "", "")
                                        EP("O9", "01/01/2023", "S", "C2", "U4", "", "")
                                            EP("O10", "01/01/2023", "S", "C2", "U4", "", "")
                                                EP("O11", "01/01/2023", "S", "V2", "U4", "", "");
/* SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,HEALTH_ASSESSMENT,
 * SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED */
static const char oc2_rows[] = C903_OC2 "O1,01/06/2021,,,0,1,1,0,1,0,,\n"
                                        "O2,01/01/2015,12,,0,0,0,1,1,0,,\n"
                                        "O3,01/01/2010,10,,0,0,1,1,1,0,,\n"
                                        "O4,01/01/2008,,SDQ1,1,0,1,1,1,1,1,1\n"
                                        "O6,01/01/2013,15,,1,0,1,1,0,1,0,1\n"
                                        "O7,01/01/2011,30,,0,0,1,1,1,0,,\n"
                                        "O8,01/01/2014,5,,0,0,1,1,1,0,,\n"
                                        "O9,01/01/2016,abc,SDQ2,0,0,0,0,1,0,,\n"
                                        "O10,31/03/2020,0,,0,1,1,1,1,0,,\n"
                                        "O11,01/01/2009,40,,0,0,0,0,0,0,,\n";

static void setup_oc2(struct cla *t)
{
        cla_begin(t);
        cla_return(t, 2025, oc2_header, oc2_eps, oc2_rows, (const char *)NULL);
}

static void test_oc2_health(void **state)
{
        (void)state;
        struct cla t;
        setup_oc2(&t);
        /* HA: O1, O2, O4, O7, O9, O10 = 6 of 9; every value carries the 3 DQ warnings. */
        struct measure_value v = cla_expect(&t, "oc2_health_assessment_pct", cla_year(2025), 6, 9);
        assert_int_equal(v.dq_warnings, 3);
        /* Immunisations: O1, O4, O6, O7, O10 = 5.  Teeth: O2, O4, O6, O7, O10 = 5. */
        cla_expect(&t, "oc2_immunisations_pct", cla_year(2025), 5, 9);
        cla_expect(&t, "oc2_dental_check_pct", cla_year(2025), 5, 9);
        /* Development checks, aged 0-4: O1 only (O10 turned 5 on 31/3). 1 of 1. */
        cla_expect(&t, "oc2_development_check_u5_pct", cla_year(2025), 1, 1);
        /* Substance misuse: O4, O6 = 2 of 9; intervention received among them: O4 = 1 of 2. */
        cla_expect(&t, "oc2_substance_misuse_pct", cla_year(2025), 2, 9);
        cla_expect(&t, "oc2_substance_intervention_received_pct", cla_year(2025), 1, 2);
        /* Annual only. */
        cla_expect_none(&t, "oc2_health_assessment_pct", cla_month(2025, 3), "no month value");
        cla_expect_none(&t, "oc2_health_assessment_pct", cla_rolling(2025, 3), "no rolling value");
        cla_end(&t);
}

static void test_oc2_sdq(void **state)
{
        (void)state;
        struct cla t;
        setup_oc2(&t);
        /*
         * Aged 5-16: O2, O5, O6, O7, O9, O10, O11 = 7; valid scores O2 12, O6 15, O7 30, O10 0,
         * O11 40 = 5 (O5 has no row, O9's "abc" is not a score).
         */
        struct measure_value v = cla_expect(&t, "oc2_sdq_received_pct", cla_year(2025), 5, 7);
        assert_non_null(v.note);
        assert_non_null(strstr(v.note, "SDQ1 0, SDQ2 1, SDQ3 0"));
        /* Average (12 + 15 + 30 + 0 + 40) / 5 = 97 / 5 = 19.4. */
        v = cla_expect(&t, "oc2_sdq_average", cla_year(2025), 97, 5);
        assert_true(fabs(v.value - 19.4) < 1e-12);
        /* Normal 0-13: O2, O10; borderline 14-16: O6; concern 17-40: O7, O11. */
        cla_expect(&t, "oc2_sdq_normal_pct", cla_year(2025), 2, 5);
        cla_expect(&t, "oc2_sdq_borderline_pct", cla_year(2025), 1, 5);
        cla_expect(&t, "oc2_sdq_concern_pct", cla_year(2025), 2, 5);
        cla_end(&t);
}

static void test_oc2_convictions(void **state)
{
        (void)state;
        struct cla t;
        setup_oc2(&t);
        /* Aged 10-17: O2, O4, O5, O6, O7, O11 = 6; convicted O4, O6 = 2.  O5 (no row) is in the
         * denominator only. */
        cla_expect(&t, "oc2_convicted_10_17_pct", cla_year(2025), 2, 6);
        cla_end(&t);
        /* With the hooks: the DQ texts, and the children of the denominator. */
        setup_oc2(&t);
        t.hooks = true;
        cla_expect(&t, "oc2_convicted_10_17_pct", cla_year(2025), 2, 6);
        assert_int_equal(t.dq, 3);
        assert_int_equal(t.children, 6);
        assert_int_equal(t.in_numerator, 2);
        cla_end(&t);
}

/* No Header row: the age comes from the OC2 row's DOB (§0.4). */
static void test_oc2_dob_fallback(void **state)
{
        (void)state;
        struct cla t;
        cla_begin(&t);
        cla_return(&t, 2025,
                   C903_EPISODES EP("Q1", "01/01/2023", "S", "C2", "U4", "", "")
                       EP("Q2", "01/01/2023", "S", "C2", "U4", "", ""),
                   C903_OC2 "Q1,01/01/2012,,,1,0,0,0,0,0,,\n"
                            "Q2,01/01/2018,,,1,0,0,0,0,0,,\n",
                   (const char *)NULL);
        /* Q1 is 13 by its OC2 DOB, Q2 is 7: 1 of 1. */
        cla_expect(&t, "oc2_convicted_10_17_pct", cla_year(2025), 1, 1);
        cla_end(&t);
}

/* ---------------------------------------------------------------- OC3 */

/*
 * Year 2025 OC3 rows; the age is the one reached on the birthday in the year (DOB in
 * January-March: 2025 - birth year, else 2024 - birth year).
 *   C1  15/05/2007 (17) YES F1 Y1          eet, suitable, in touch   birthday 15/5/2024
 *   C2  10/02/2007 (18) NO  0  0           none                       10/2/2025
 *   C3  01/04/2006 (18) YES G4 X2          in touch (NEET, unsuitable) 1/4/2024
 *   C4  20/03/2006 (19) YES P5 Z1          all three                   20/3/2025
 *   C5  30/06/2004 (20) DIED               out
 *   C6  01/09/2003 (21) RHOM               out
 *   C7  01/08/2004 (20) REFU F3 B1         eet (legacy F3), suitable
 *   C8  01/12/2005 (19) YES: last known episode (2024 return) ended E3: out
 *   C9  01/10/2004 (20) YES: last period of care only V3 (2023 return): out
 *   C10 01/11/2002 (22) neither band
 *   C11 29/02/2008 (17) NREQ F2 C1         eet, suitable     birthday 28/2/2025
 *   C12 01/07/2004 (20) YES G5 Y2          in touch: its V3 period was followed by a
 *                                          real one (2023 return)
 * Year 2024 OC3: C13 15/11/2005 (18 in 2024) YES F4 A1, birthday 15/11/2023.
 */
static const char oc3_2025[] = C903_OC3 "C1,15/05/2007,YES,F1,Y1\n"
                                        "C2,10/02/2007,NO,0,0\n"
                                        "C3,01/04/2006,YES,G4,X2\n"
                                        "C4,20/03/2006,YES,P5,Z1\n"
                                        "C5,30/06/2004,DIED,0,0\n"
                                        "C6,01/09/2003,RHOM,0,0\n"
                                        "C7,01/08/2004,REFU,F3,B1\n"
                                        "C8,01/12/2005,YES,F1,Y1\n"
                                        "C9,01/10/2004,YES,F1,Y1\n"
                                        "C10,01/11/2002,YES,F1,Y1\n"
                                        "C11,29/02/2008,NREQ,F2,C1\n"
                                        "C12,01/07/2004,YES,G5,Y2\n";
static const char oc3_2024[] = C903_OC3 "C13,15/11/2005,YES,F4,A1\n";
static const char oc3_eps_2024[] =
    C903_EPISODES EP("C8", "01/01/2023", "S", "C2", "U4", "01/06/2023", "E3");
static const char oc3_eps_2023[] =
    C903_EPISODES EP("C9", "01/01/2022", "S", "V3", "U4", "01/06/2022", "E4A")
        EP("C12", "01/05/2022", "S", "V3", "U4", "01/06/2022", "E4A")
            EP("C12", "01/07/2022", "S", "C2", "U4", "01/08/2022", "E17");

static void setup_oc3(struct cla *t)
{
        cla_begin(t);
        cla_return(t, 2023, oc3_eps_2023, (const char *)NULL);
        cla_return(t, 2024, oc3_eps_2024, oc3_2024, (const char *)NULL);
        cla_return(t, 2025, C903_HEADER HD("C1", "15/05/2007"), oc3_2025, (const char *)NULL);
}

static void test_oc3(void **state)
{
        (void)state;
        struct cla t;
        setup_oc3(&t);
        /* 17-18: C1, C2, C3, C11 = 4.  EET C1, C11; suitable C1, C11; in touch C1, C3. */
        cla_expect(&t, "care_leavers_17_18_eet_pct", cla_year(2025), 2, 4);
        cla_expect(&t, "care_leavers_17_18_suitable_accom_pct", cla_year(2025), 2, 4);
        cla_expect(&t, "care_leavers_17_18_in_touch_pct", cla_year(2025), 2, 4);
        /* 19-21: C4, C7, C12 = 3 (C5, C6, C8, C9 excluded).  EET C4, C7; suitable C4, C7; in
         * touch C4, C12. */
        cla_expect(&t, "care_leavers_19_21_eet_pct", cla_year(2025), 2, 3);
        cla_expect(&t, "care_leavers_19_21_suitable_accom_pct", cla_year(2025), 2, 3);
        cla_expect(&t, "care_leavers_19_21_in_touch_pct", cla_year(2025), 2, 3);
        /* Months take the birthdays in the month: May 2024 C1; February 2025 C2 and C11 (29
         * February is 28 February in 2025); April 2024 C3; March 2025 C4. */
        cla_expect(&t, "care_leavers_17_18_eet_pct", cla_month(2024, 5), 1, 1);
        cla_expect(&t, "care_leavers_17_18_eet_pct", cla_month(2025, 2), 1, 2);
        cla_expect(&t, "care_leavers_17_18_eet_pct", cla_month(2024, 4), 0, 1);
        cla_expect(&t, "care_leavers_19_21_eet_pct", cla_month(2025, 3), 1, 1);
        cla_expect(&t, "care_leavers_19_21_eet_pct", cla_month(2024, 12), 0, 0);
        /* Rolling to 31/5/2024: C13 (2024 return, 15/11/2023), C3 (1/4), C1 (15/5): EET C13,
         * C1 = 2 of 3. */
        cla_expect(&t, "care_leavers_17_18_eet_pct", cla_rolling(2024, 5), 2, 3);
        cla_expect(&t, "care_leavers_17_18_eet_pct", cla_rolling(2025, 3), 2, 4);
        /* The same windows for suitability (C13 A1, C3 X2, C1 Y1; C2 0, C11 C1) and contact
         * (C13 YES, C3 YES, C1 YES; C2 NO, C11 NREQ). */
        cla_expect(&t, "care_leavers_17_18_suitable_accom_pct", cla_rolling(2024, 5), 2, 3);
        cla_expect(&t, "care_leavers_17_18_suitable_accom_pct", cla_month(2025, 2), 1, 2);
        cla_expect(&t, "care_leavers_17_18_in_touch_pct", cla_rolling(2024, 5), 3, 3);
        cla_expect(&t, "care_leavers_17_18_in_touch_pct", cla_month(2025, 2), 0, 2);
        /* 19-21 by month: March 2025 C4 (suitable, in touch); August 2024 C7 (REFU, B1). */
        cla_expect(&t, "care_leavers_19_21_suitable_accom_pct", cla_month(2025, 3), 1, 1);
        cla_expect(&t, "care_leavers_19_21_in_touch_pct", cla_month(2024, 8), 0, 1);
        cla_expect(&t, "care_leavers_19_21_suitable_accom_pct", cla_rolling(2025, 3), 2, 3);
        cla_expect(&t, "care_leavers_19_21_in_touch_pct", cla_rolling(2025, 3), 2, 3);
        cla_end(&t);
}

static void test_oc3_rows(void **state)
{
        (void)state;
        const struct measure_def *m = measure_find("care_leavers_17_18_in_touch_pct");
        assert_non_null(m);
        assert_true(m->flags & MEASURE_PROXY);
        assert_int_equal(m->bench.kind, MEASURE_BENCH_COMPLEMENT);
        assert_non_null(strstr(m->bench.filters, "Total information not known"));
        m = measure_find("care_leavers_19_21_eet_pct");
        assert_false(m->flags & MEASURE_PROXY);
        assert_string_equal(m->bench.source, "la_care_leavers_activity");
        assert_string_equal(m->bench.column, "care_leaver_percent");
        assert_int_equal(m->polarity, BENCH_HIGHER_BETTER);
        m = measure_find("care_leavers_17_18_suitable_accom_pct");
        assert_string_equal(m->bench.source, "la_care_leavers_accommodation_suitability");
        m = measure_find("oc2_sdq_average");
        assert_int_equal(m->unit, MEASURE_AVERAGE);
        assert_string_equal(m->bench.column, "children_count");
        assert_int_equal(m->periods, MEASURE_PERIODS_ANNUAL);
        m = measure_find("oc2_sdq_borderline_pct");
        assert_int_equal(m->polarity, BENCH_NEUTRAL);
        m = measure_find("oc2_substance_misuse_pct");
        assert_int_equal(m->polarity, BENCH_LOWER_BETTER);
        m = measure_find("oc2_convicted_10_17_pct");
        assert_int_equal(m->outcome, MEASURE_OUTCOME_3);
        assert_int_equal(m->periods, MEASURE_PERIODS_ANNUAL);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_oc2_health),
            cmocka_unit_test(test_oc2_sdq),
            cmocka_unit_test(test_oc2_convictions),
            cmocka_unit_test(test_oc2_dob_fallback),
            cmocka_unit_test(test_oc3),
            cmocka_unit_test(test_oc3_rows),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
