/*
 * test_measures_cla_places_adoption.c — where children live and legal
 * status (measures.md §4.2) and adoption timeliness (§4.3): the six shares,
 * adoption_a1/a10/a2 (3-year and 1-year), adoption_decision_to_match_months_1yr
 * and cla_ceased_adopted_pct, with days counted by hand below.
 */
#include "cla_test.h"

/* ---------------------------------------------------------------- §4.2 shares */

/*
 * Every child looked after from 1/1/2023, open, the same in the 2024, 2025 and 2026 returns:
 *   P1 U1 C2   P2 U6 C1   P3 K1 E1   P4 K2 V2   P5 H5 V2   P6 K3 V2   P7 P2 J1
 *   P8 A5 E1   P9 Z1 D1   P10 T1 C2 (temporary, in the cohort, in no placement share)
 *   P11 U1 V3 (short break: not in the cohort)
 */
#define PL(c, place, ls) EP(c, "01/01/2023", "S", ls, place, "", "")
static const char places[] =
    C903_EPISODES PL("P1", "U1", "C2") PL("P2", "U6", "C1") PL("P3", "K1", "E1")
        PL("P4", "K2", "V2") PL("P5", "H5", "V2") PL("P6", "K3", "V2") PL("P7", "P2", "J1")
            PL("P8", "A5", "E1") PL("P9", "Z1", "D1") PL("P10", "T1", "C2") PL("P11", "U1", "V3");

static void test_shares(void **state)
{
        (void)state;
        struct cla t;
        cla_begin(&t);
        cla_return(&t, 2024, places, (const char *)NULL);
        cla_return(&t, 2025, places, (const char *)NULL);
        cla_return(&t, 2026, places, (const char *)NULL);
        /* 2024-25: cohort of 10.  Foster P1, P2; homes P3, P4; supported H5, K3, P2 (all valid
         * in 2024-25) = 3; care order P1, P2, P10; placement order P3, P8, P9; s20 P4-P6. */
        cla_expect(&t, "cla_placed_foster_pct", cla_year(2025), 2, 10);
        cla_expect(&t, "cla_placed_childrens_homes_pct", cla_year(2025), 2, 10);
        struct measure_value v = cla_expect(&t, "cla_placed_supported_pct", cla_year(2025), 3, 10);
        assert_int_equal(v.dq_warnings, 0);
        cla_expect(&t, "cla_legal_status_care_order_pct", cla_year(2025), 3, 10);
        cla_expect(&t, "cla_legal_status_placement_order_pct", cla_year(2025), 3, 10);
        cla_expect(&t, "cla_legal_status_s20_pct", cla_year(2025), 3, 10);
        /* A month of 2024-25 is the same snapshot of the same children. */
        cla_expect(&t, "cla_placed_foster_pct", cla_month(2024, 6), 2, 10);
        cla_expect(&t, "cla_placed_childrens_homes_pct", cla_month(2024, 6), 2, 10);
        cla_expect(&t, "cla_placed_supported_pct", cla_month(2024, 6), 3, 10);
        cla_expect(&t, "cla_legal_status_care_order_pct", cla_month(2024, 6), 3, 10);
        cla_expect(&t, "cla_legal_status_placement_order_pct", cla_month(2024, 6), 3, 10);
        cla_expect(&t, "cla_legal_status_s20_pct", cla_month(2024, 6), 3, 10);
        cla_expect(&t, "cla_legal_status_s20_pct", cla_rolling(2024, 6), 3, 10);
        cla_expect(&t, "cla_placed_foster_pct", cla_rolling(2024, 6), 2, 10);
        cla_expect(&t, "cla_placed_childrens_homes_pct", cla_rolling(2025, 3), 2, 10);
        cla_expect(&t, "cla_placed_supported_pct", cla_rolling(2024, 9), 3, 10);
        cla_expect(&t, "cla_legal_status_care_order_pct", cla_rolling(2024, 9), 3, 10);
        cla_expect(&t, "cla_legal_status_placement_order_pct", cla_rolling(2024, 9), 3, 10);
        /* 2023-24: K3 did not exist yet: H5, P2 = 2, K3 raised as a DQ warning. */
        v = cla_expect(&t, "cla_placed_supported_pct", cla_year(2024), 2, 10);
        assert_int_equal(v.dq_warnings, 1);
        /* 2025-26: H5 and P2 withdrawn: K3 only = 1, two DQ warnings. */
        v = cla_expect(&t, "cla_placed_supported_pct", cla_year(2026), 1, 10);
        assert_int_equal(v.dq_warnings, 2);
        /* The hook sees the warning's text. */
        cla_end(&t);
        cla_begin(&t);
        cla_return(&t, 2026, places, (const char *)NULL);
        t.hooks = true;
        cla_expect(&t, "cla_placed_supported_pct", cla_year(2026), 1, 10);
        assert_int_equal(t.dq, 2);
        assert_non_null(strstr(t.last_dq, "PLACE P2 is not valid in the 2026 return"));
        assert_int_equal(t.children, 10);
        assert_int_equal(t.in_numerator, 1);
        cla_end(&t);
}

/* ---------------------------------------------------------------- §4.3 adoption */

/*
 * Adopted in 2024-25 (the 2025 return):
 *   ADA  S 01/01/2023 U4 C2 -X1-> L 01/06/2023 U4 E1 -X1-> P 01/03/2024 A6 E1, ends
 *        01/10/2024 E11.  AD1: decision 01/04/2023, match 01/02/2024, not foster carers.
 *        entered 1/1/2023, placed 1/3/2024: A1 = 365 + 31 + 29 = 425 = A10.
 *        authority 1/6/2023 -> match 1/2/2024: A2 = 245.  decision -> match: 306.
 *   ADB  S 01/06/2023 U5 C2 -X1-> L 01/01/2024 U5 E1 -X1-> T 01/05/2024 A5 E1, ends
 *        01/02/2025 E12.  AD1: decision 01/10/2023, match 01/12/2023, foster carers.
 *        A1 = 1/6/2023 -> 1/5/2024 = 335; moved in with the carers on 1/6/2023 (walking
 *        back over T and L): A10 = 0; match before the authority (1/1/2024): out of A2, DQ.
 *        decision -> match 61.
 *   ADC  S 01/04/2024 U4 C2, ends 01/03/2025 E11: no A3-A6 episode: out of A1/A10 (DQ),
 *        no E1/D1: out of A2; no AD1.
 *   ADG  S 01/07/2024 U5 C2 -X1-> L 01/10/2024 A6 E1, ends 01/03/2025 E11.  AD1 FOSTER_CARE
 *        1, so moved in = the placement's start 1/7/2024: A1 = 92, A10 = 0.  authority
 *        1/10/2024 -> match 1/12/2024: A2 = 61.  decision 1/9/2024 -> match: 91.
 *   ADF  S 01/05/2024, ends 01/08/2024 E4A: ceased, not adopted.
 * Adopted in 2023-24 (the 2024 return):
 *   ADD  S 01/05/2022 U4 C2 -X1-> P 01/09/2022 A6 E1, ends 01/06/2023 E11.  AD1 decision
 *        01/06/2022, match 15/08/2022 (before the authority 1/9/2022: out of A2, DQ).
 *        A1 = A10 = 123; decision -> match 75.
 * Adopted in 2022-23 (the 2023 return):
 *   ADE  P 01/02/2022 A4 E1, ends 01/12/2022 E12: its period may have started in the
 *        2022 return, not held (look-back incomplete).  AD1 decision 01/01/2022, match
 *        01/03/2022.  A1 = A10 = 0, A2 = 28, decision -> match 59.
 */
static const char ad_eps_2023[] = C903_EPISODES EP("ADA", "01/01/2023", "S", "C2", "U4", "", "")
    EP("ADD", "01/05/2022", "S", "C2", "U4", "01/09/2022", "X1")
        EP("ADD", "01/09/2022", "P", "E1", "A6", "", "")
            EP("ADE", "01/02/2022", "P", "E1", "A4", "01/12/2022", "E12");
static const char ad_ad1_2023[] = C903_AD1 "ADE,01/01/2021,01/01/2022,01/03/2022,0,2,MF,L0\n";
static const char ad_eps_2024[] =
    C903_EPISODES EP("ADA", "01/01/2023", "S", "C2", "U4", "01/06/2023", "X1")
        EP("ADA", "01/06/2023", "L", "E1", "U4", "01/03/2024", "X1")
            EP("ADA", "01/03/2024", "P", "E1", "A6", "", "")
                EP("ADB", "01/06/2023", "S", "C2", "U5", "01/01/2024", "X1")
                    EP("ADB", "01/01/2024", "L", "E1", "U5", "", "")
                        EP("ADD", "01/09/2022", "P", "E1", "A6", "01/06/2023", "E11");
static const char ad_ad1_2024[] = C903_AD1 "ADD,01/01/2021,01/06/2022,15/08/2022,0,2,MF,L0\n";
static const char ad_eps_2025[] =
    C903_EPISODES EP("ADA", "01/03/2024", "P", "E1", "A6", "01/10/2024", "E11")
        EP("ADB", "01/01/2024", "L", "E1", "U5", "01/05/2024", "X1")
            EP("ADB", "01/05/2024", "T", "E1", "A5", "01/02/2025", "E12")
                EP("ADC", "01/04/2024", "S", "C2", "U4", "01/03/2025", "E11")
                    EP("ADF", "01/05/2024", "S", "C2", "U4", "01/08/2024", "E4A")
                        EP("ADG", "01/07/2024", "S", "C2", "U5", "01/10/2024", "X1")
                            EP("ADG", "01/10/2024", "L", "E1", "A6", "01/03/2025", "E11");
static const char ad_ad1_2025[] = C903_AD1 "ADA,01/01/2022,01/04/2023,01/02/2024,0,2,MF,L0\n"
                                           "ADB,01/01/2023,01/10/2023,01/12/2023,1,2,MF,L0\n"
                                           "ADG,01/01/2024,01/09/2024,01/12/2024,1,1,F1,L0\n";

static void setup_adoption(struct cla *t)
{
        cla_begin(t);
        cla_return(t, 2023, ad_eps_2023, ad_ad1_2023, (const char *)NULL);
        cla_return(t, 2024, ad_eps_2024, ad_ad1_2024, (const char *)NULL);
        cla_return(t, 2025, ad_eps_2025, ad_ad1_2025, (const char *)NULL);
}

static void test_adoption_1yr(void **state)
{
        (void)state;
        struct cla t;
        setup_adoption(&t);
        /* 2025: A1 ADA 425 + ADB 335 + ADG 92 = 852 over 3 (ADC left out, a DQ warning). */
        struct measure_value v = cla_expect(&t, "adoption_a1_days_1yr", cla_year(2025), 852, 3);
        assert_int_equal(v.dq_warnings, 1);
        assert_false(v.lookback_incomplete);
        /* A10: 425 + 0 + 0 = 425 over 3. */
        cla_expect(&t, "adoption_a10_days_1yr", cla_year(2025), 425, 3);
        /* A2: ADA 245 + ADG 61 = 306 over 2; ADB's match before its authority: DQ. */
        v = cla_expect(&t, "adoption_a2_days_1yr", cla_year(2025), 306, 2);
        assert_int_equal(v.dq_warnings, 1);
        /* Months and rolling: October 2024 ADA; February 2025 ADB (A10 0, A2 left out);
         * rolling to 31/10/2024 ADA only (ADD was adopted in June 2023, before the window). */
        cla_expect(&t, "adoption_a10_days_1yr", cla_month(2024, 10), 425, 1);
        cla_expect(&t, "adoption_a10_days_1yr", cla_month(2025, 2), 0, 1);
        cla_expect(&t, "adoption_a2_days_1yr", cla_month(2025, 2), 0, 0);
        cla_expect(&t, "adoption_a2_days_1yr", cla_rolling(2024, 10), 245, 1);
        cla_expect(&t, "adoption_decision_to_match_months_1yr", cla_month(2024, 10), 306, 1);
        cla_expect(&t, "adoption_decision_to_match_months_1yr", cla_rolling(2024, 10), 306, 1);
        cla_expect(&t, "adoption_a1_days_1yr", cla_rolling(2024, 10), 425, 1);
        /* Decision to match: 306 + 61 + 91 = 458 days over 3, shown in months (/30.4375). */
        v = cla_expect(&t, "adoption_decision_to_match_months_1yr", cla_year(2025), 458, 3);
        assert_true(fabs(v.value - 458.0 / 3.0 / 30.4375) < 1e-12);
        /* October 2024: ADA only.  March 2025: ADG 92 (ADC out, DQ). */
        cla_expect(&t, "adoption_a1_days_1yr", cla_month(2024, 10), 425, 1);
        v = cla_expect(&t, "adoption_a1_days_1yr", cla_month(2025, 3), 92, 1);
        assert_int_equal(v.dq_warnings, 1);
        cla_expect(&t, "adoption_a1_days_1yr", cla_month(2024, 12), 0, 0);
        cla_expect(&t, "adoption_a1_days_1yr", cla_rolling(2025, 3), 852, 3);
        /* 2024: ADD: A1 123/1, A2 none (DQ), decision to match 75. */
        cla_expect(&t, "adoption_a1_days_1yr", cla_year(2024), 123, 1);
        v = cla_expect(&t, "adoption_a2_days_1yr", cla_year(2024), 0, 0);
        assert_int_equal(v.dq_warnings, 1);
        cla_expect(&t, "adoption_decision_to_match_months_1yr", cla_year(2024), 75, 1);
        /* 2023: ADE: 0 days, but its period may have begun before the returns held. */
        v = cla_expect(&t, "adoption_a1_days_1yr", cla_year(2023), 0, 1);
        assert_true(v.lookback_incomplete);
        cla_expect(&t, "adoption_a2_days_1yr", cla_year(2023), 28, 1);
        /* Rolling to 30/9/2024 (Oct 2023 - Sep 2024): nobody adopted. */
        cla_expect(&t, "adoption_a10_days_1yr", cla_rolling(2024, 9), 0, 0);
        cla_end(&t);
}

static void test_adoption_3yr(void **state)
{
        (void)state;
        struct cla t;
        setup_adoption(&t);
        /* 2023-2025: A1 852 + 123 + 0 = 975 over 5; A10 425 + 123 + 0 = 548 over 5; A2 306 + 28
         * = 334 over 3. */
        struct measure_value v = cla_expect(&t, "adoption_a1_days_3yr", cla_year3(2025), 975, 5);
        assert_true(v.lookback_incomplete); /* ADE */
        cla_expect(&t, "adoption_a10_days_3yr", cla_year3(2025), 548, 5);
        cla_expect(&t, "adoption_a2_days_3yr", cla_year3(2025), 334, 3);
        cla_expect(&t, "adoption_a1_days_3yr", cla_rolling36(2025, 3), 975, 5);
        /* Three years to 2024 need the 2022 return: not available (the 1yr values are). */
        cla_expect_none(&t, "adoption_a1_days_3yr", cla_year3(2024), "no SSDA903 return held");
        cla_expect_none(&t, "adoption_a1_days_3yr", cla_rolling36(2024, 9),
                        "no SSDA903 return held");
        /* No monthly value for 3-year averages. */
        cla_expect_none(&t, "adoption_a2_days_3yr", cla_month(2024, 10), "no month value");
        cla_end(&t);
}

static void test_ceased_adopted(void **state)
{
        (void)state;
        struct cla t;
        setup_adoption(&t);
        /* 2025: ceased ADA, ADB, ADC, ADF, ADG; adopted all but ADF.  4/5. */
        cla_expect(&t, "cla_ceased_adopted_pct", cla_year(2025), 4, 5);
        cla_expect(&t, "cla_ceased_adopted_pct", cla_month(2024, 8), 0, 1);
        /* 2024: ADD only. */
        cla_expect(&t, "cla_ceased_adopted_pct", cla_year(2024), 1, 1);
        /* Rolling to 31/10/2024 (November 2023 - October 2024): ADF (August), ADA (October). */
        cla_expect(&t, "cla_ceased_adopted_pct", cla_rolling(2024, 10), 1, 2);
        cla_expect(&t, "cla_ceased_adopted_pct", cla_rolling(2025, 3), 4, 5);
        cla_end(&t);
}

static void test_rows(void **state)
{
        (void)state;
        static const char *const three[] = {"adoption_a1_days_3yr", "adoption_a10_days_3yr",
                                            "adoption_a2_days_3yr"};
        for (int i = 0; i < 3; i++) {
                const struct measure_def *m = measure_find(three[i]);
                assert_non_null(m);
                assert_int_equal(m->span_months, 36);
                assert_int_equal(m->unit, MEASURE_DAYS);
                assert_int_equal(m->polarity, BENCH_LOWER_BETTER);
                assert_false(m->periods & MEASURE_PERIOD_BIT(MEASURE_MONTH));
        }
        const struct measure_def *m = measure_find("adoption_a1_days_1yr");
        assert_int_equal(m->span_months, 12);
        assert_int_equal(m->periods, MEASURE_PERIODS_ALL);
        m = measure_find("adoption_decision_to_match_months_1yr");
        assert_int_equal(m->unit, MEASURE_MONTHS);
        assert_true(fabs(measure_scale(m) - 1.0 / 30.4375) < 1e-15);
        m = measure_find("cla_ceased_adopted_pct");
        assert_int_equal(m->polarity, BENCH_NEUTRAL);
        static const char *const shares[] = {"cla_placed_foster_pct",
                                             "cla_placed_childrens_homes_pct",
                                             "cla_placed_supported_pct",
                                             "cla_legal_status_care_order_pct",
                                             "cla_legal_status_placement_order_pct",
                                             "cla_legal_status_s20_pct"};
        for (int i = 0; i < 6; i++) {
                m = measure_find(shares[i]);
                assert_non_null(m);
                assert_int_equal(m->polarity, BENCH_NEUTRAL);
                assert_int_equal(m->unit, MEASURE_PERCENT);
                assert_int_equal(m->outcome, MEASURE_OUTCOME_4);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_shares),       cmocka_unit_test(test_adoption_1yr),
            cmocka_unit_test(test_adoption_3yr), cmocka_unit_test(test_ceased_adopted),
            cmocka_unit_test(test_rows),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
