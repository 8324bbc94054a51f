/*
 * test_measures_cla_stability.c — Outcome 4 stability measures from the
 * SSDA903 (measures.md §4.1): cla_placements_3plus_pct,
 * cla_long_term_stability_pct, cla_sw_3plus_pct, cla_placed_over_20_miles_pct
 * and new_placements_over_20_miles_pct, with the counts worked out by hand.
 */
#include "cla_test.h"

/* ---------------------------------------------------------------- 3 or more placements */

/*
 * Year 2025 return (cohort: looked after at 31/3/2025):
 *   A  S 01/03/2024 U4 -X1-> P 01/06/2024 U6 -X1-> P 01/08/2024 T1 (temporary) -X1->
 *      P 05/08/2024 U6 -X1-> L 01/10/2024 U6 open
 *      placements: S (the earliest) 1, P 2, T1 ignored, P 3 (the return to the same carer
 *      counts: the known simplification), L no = 3
 *   B  S 01/05/2024 U4 -X1-> T 01/07/2024 U5 -X1-> U 01/09/2024 U5 open          = 1
 *   C  S 01/04/2024 V4 ends 10/04/2024; S 01/06/2024 U4 -X1-> P 01/09/2024 U6    = 2
 *      (the short break is dropped; with it this would be 3)
 *   D  S 01/01/2024 U4 -X1-> P 10/04/2024 T1 -X1-> P 20/04/2024 U4 -X1->
 *      P 01/12/2024 U6 open                                                      = 3
 *   E  S 01/02/2025 U4 -X1-> B 01/03/2025 K2 -X1-> P 15/03/2025 K2 open          = 3
 *   Z  T 01/02/2024 U6 (as re-sent: the 2024 return said P) -X1-> P 01/06/2024 U4 open
 *                                                                                = 2
 * Year 2024 return:
 *   A  S 01/03/2024 U4 open
 *   D  S 01/01/2024 U4 open
 *   Z  S 01/11/2023 U4 -X1-> P 01/02/2024 U6 open
 */
static const char place_2025[] =
    C903_EPISODES EP("A", "01/03/2024", "S", "C2", "U4", "01/06/2024",
                     "X1") EP("A", "01/06/2024", "P", "C2", "U6", "01/08/2024",
                              "X1") EP("A", "01/08/2024", "P", "C2", "T1", "05/08/2024",
                                       "X1") EP("A", "05/08/2024", "P", "C2", "U6", "01/10/2024",
                                                "X1") EP("A", "01/10/2024", "L", "E1", "U6", "", "")
        EP("B", "01/05/2024", "S", "C2", "U4", "01/07/2024",
           "X1") EP("B", "01/07/2024", "T", "C2", "U5", "01/09/2024", "X1")
            EP("B", "01/09/2024", "U", "E1", "U5", "",
               "") EP("C", "01/04/2024", "S", "V4", "U4", "10/04/2024",
                      "E4A") EP("C", "01/06/2024", "S", "C2", "U4", "01/09/2024", "X1")
                EP("C", "01/09/2024", "P", "C2", "U6", "", "")
                    EP("D", "01/01/2024", "S", "C2", "U4", "10/04/2024", "X1")
                        EP("D", "10/04/2024", "P", "C2", "T1", "20/04/2024", "X1")
                            EP("D", "20/04/2024", "P", "C2", "U4", "01/12/2024", "X1")
                                EP("D", "01/12/2024", "P", "C2", "U6", "", "")
                                    EP("E", "01/02/2025", "S", "C2", "U4", "01/03/2025", "X1")
                                        EP("E", "01/03/2025", "B", "C1", "K2", "15/03/2025", "X1")
                                            EP("E", "15/03/2025", "P", "C1", "K2", "", "")
                                                EP("Z", "01/02/2024", "T", "C2", "U6", "01/06/2024",
                                                   "X1")
                                                    EP("Z", "01/06/2024", "P", "C2", "U4", "", "");
static const char place_2024[] = C903_EPISODES EP("A", "01/03/2024", "S", "C2", "U4", "", "")
    EP("D", "01/01/2024", "S", "C2", "U4", "", "")
        EP("Z", "01/11/2023", "S", "C2", "U4", "01/02/2024", "X1")
            EP("Z", "01/02/2024", "P", "C2", "U6", "", "");

static void test_placements_3plus(void **state)
{
        (void)state;
        struct cla t;
        cla_begin(&t);
        cla_return(&t, 2024, place_2024, (const char *)NULL);
        cla_return(&t, 2025, place_2025, (const char *)NULL);
        /* Year: cohort A, B, C, D, E, Z = 6; with 3 or more: A, D, E = 3. */
        cla_expect(&t, "cla_placements_3plus_pct", cla_year(2025), 3, 6);
        cla_expect(&t, "cla_placements_3plus_pct", cla_rolling(2025, 3), 3, 6);
        /* No discrete monthly value (§4.1). */
        cla_expect_none(&t, "cla_placements_3plus_pct", cla_month(2024, 9), "no month value");
        /*
         * Rolling to 30/9/2024 (1/10/2023 - 30/9/2024), cohort at 30/9: A, B, C, D, Z = 5.
         *   A  S 1/3/2024, P 1/6, T1 ignored, P 5/8 = 3 (L is after the window)
         *   B  1;  C  V4 dropped, S 1/6, P 1/9 = 2
         *   D  S 1/1/2024 (overlaps to 10/4), T1 ignored, P 20/4 = 2 (P 1/12 after)
         *   Z  S 1/11/2023 from the 2024 return (before Z's earliest 2025 episode); the
         *      1/2/2024 episode is the 2025 return's (RNE T: the later return wins, so it
         *      continues the placement), P 1/6 = 2.  With the 2024 version (RNE P) it
         *      would be 3.
         * 1 of 5.
         */
        cla_expect(&t, "cla_placements_3plus_pct", cla_rolling(2024, 9), 1, 5);
        /* Year 2024: cohort A, D, Z; Z: S 1/11/2023, P 1/2/2024 = 2.  0 of 3. */
        cla_expect(&t, "cla_placements_3plus_pct", cla_year(2024), 0, 3);
        cla_end(&t);
}

/* ---------------------------------------------------------------- long-term stability */

/*
 * Three returns, 2023-2025.  At 31/3/2025 the cohort is under 16, looked after, with the
 * period of care begun on or before 30/9/2022; the numerator's placement began on or before
 * 31/3/2023.
 *   L1 (2012) S 01/06/2022 U4 -X1 01/01/2023-> L 01/01/2023 U4 open: period and placement
 *      from 1/6/2022 (walking back over L into the 2023 return)          cohort, numerator
 *   L2 (2011) S 01/09/2022 U4 -X1-> P 01/02/2024 U6 open                cohort only
 *   L3 (31/03/2009) S 01/01/2020 U4 open: 16 on 31/3/2025               not in the cohort
 *   L4 (2012) S 01/11/2022 U4 open: period too recent                   not in the cohort
 *   L5 (2013) S 01/04/2022 U5 -X1-> T 01/06/2024 A5 open: placed for adoption with the
 *      foster carers, so the placement runs from 1/4/2022               cohort, numerator
 *   L8 (01/04/2009) S 01/01/2022 U4 open: 15 on 31/3/2025              cohort, numerator
 */
static const char lt_header[] = C903_HEADER HD("L1", "01/01/2012") HD("L2", "01/01/2011")
    HD("L3", "31/03/2009") HD("L4", "01/01/2012") HD("L5", "01/01/2013") HD("L8", "01/04/2009");
static const char lt_2023[] = C903_EPISODES EP("L1", "01/06/2022", "S", "C2", "U4", "01/01/2023",
                                               "X1") EP("L1", "01/01/2023", "L", "C2", "U4", "", "")
    EP("L2", "01/09/2022", "S", "C2", "U4", "", "") EP("L3", "01/01/2020", "S", "C2", "U4", "", "")
        EP("L4", "01/11/2022", "S", "C2", "U4", "", "")
            EP("L5", "01/04/2022", "S", "C2", "U5", "", "")
                EP("L8", "01/01/2022", "S", "C2", "U4", "", "");
static const char lt_2024[] = C903_EPISODES EP("L1", "01/01/2023", "L", "C2", "U4", "", "")
    EP("L2", "01/09/2022", "S", "C2", "U4", "01/02/2024", "X1")
        EP("L2", "01/02/2024", "P", "C2", "U6", "", "")
            EP("L3", "01/01/2020", "S", "C2", "U4", "", "")
                EP("L4", "01/11/2022", "S", "C2", "U4", "", "")
                    EP("L5", "01/04/2022", "S", "C2", "U5", "", "")
                        EP("L8", "01/01/2022", "S", "C2", "U4", "", "");
static const char lt_2025[] = C903_EPISODES EP("L1", "01/01/2023", "L", "C2", "U4", "", "")
    EP("L2", "01/02/2024", "P", "C2", "U6", "", "") EP("L3", "01/01/2020", "S", "C2", "U4", "", "")
        EP("L4", "01/11/2022", "S", "C2", "U4", "", "")
            EP("L5", "01/04/2022", "S", "C2", "U5", "01/06/2024", "X1")
                EP("L5", "01/06/2024", "T", "E1", "A5", "", "")
                    EP("L8", "01/01/2022", "S", "C2", "U4", "", "");

static void test_long_term(void **state)
{
        (void)state;
        struct cla t;
        cla_begin(&t);
        cla_return(&t, 2023, lt_header, lt_2023, (const char *)NULL);
        cla_return(&t, 2024, lt_header, lt_2024, (const char *)NULL);
        cla_return(&t, 2025, lt_header, lt_2025, (const char *)NULL);
        /* 31/3/2025: cohort L1, L2, L5, L8 = 4; same placement 2 years: L1, L5, L8 = 3. */
        struct measure_value v =
            cla_expect(&t, "cla_long_term_stability_pct", cla_year(2025), 3, 4);
        assert_false(v.lookback_incomplete);
        /*
         * 31/10/2024: period by 30/4/2022, placement by 31/10/2022.  L1 (1/6/2022) and L2
         * (1/9/2022) started too late; L3 is 15; L5 (1/4/2022) and L8 (1/1/2022) in.  3 of 3.
         */
        cla_expect(&t, "cla_long_term_stability_pct", cla_month(2024, 10), 3, 3);
        cla_expect(&t, "cla_long_term_stability_pct", cla_rolling(2024, 10), 3, 3);
        cla_expect(&t, "cla_long_term_stability_pct", cla_rolling(2025, 3), 3, 4);
        cla_end(&t);
}

/* With only the 2025 return, a chain that starts before it cannot be seen: flagged. */
static void test_long_term_lookback(void **state)
{
        (void)state;
        struct cla t;
        cla_begin(&t);
        cla_return(&t, 2025, C903_HEADER HD("N1", "01/01/2012") HD("N2", "01/01/2012"),
                   C903_EPISODES EP("N1", "01/12/2023", "P", "C2", "U4", "", "")
                       EP("N2", "01/01/2022", "S", "C2", "U4", "", ""),
                   (const char *)NULL);
        /* N1's period began at the latest on 1/12/2023 (RNE P: it continues something in the
         * 2024 return, not held): out of the cohort, look-back incomplete.  N2 is in and
         * placed since 2022.  1/1. */
        struct measure_value v =
            cla_expect(&t, "cla_long_term_stability_pct", cla_year(2025), 1, 1);
        assert_true(v.lookback_incomplete);
        assert_non_null(strstr(v.note, "incomplete look-back"));
        cla_end(&t);
}

/* ---------------------------------------------------------------- 3 or more social workers */

/*
 * S1..S4 looked after since 1/1/2023.  SW episodes in the 2025 return:
 *   S1  SW1 1/1/2024-1/6/2024, SW2 1/6/2024-1/9/2024, SW3 1/9/2024-      3
 *   S2  SWB 1/4/2024-1/10/2024, SWC 1/10/2024-  (SWA ended 31/3/2024: not in the year)  2
 *   S3  SWX 1/4/2024-1/6/2024, SWY 1/6/2024-1/8/2024, SWX again 1/8/2024-  distinct: 2
 *   S4  SWP 1/1/2024-1/4/2024 (ends on the year's first day: overlaps), SWQ 1/4/2024-
 *       1/12/2024, SWR 1/12/2024-                                         3
 * In the 2024 return: S2 SWA 1/1/2023-31/3/2024, S3 SWZ 1/10/2023-1/4/2024.
 */
#define SWEP(c) EP(c, "01/01/2023", "S", "C2", "U4", "", "")
static const char sw_eps[] = C903_EPISODES SWEP("S1") SWEP("S2") SWEP("S3") SWEP("S4");
static const char sw_2025[] = C903_SW "S1,01/01/2010,SW1,01/01/2024,01/06/2024,CHANGE\n"
                                      "S1,01/01/2010,SW2,01/06/2024,01/09/2024,CHANGE\n"
                                      "S1,01/01/2010,SW3,01/09/2024,,CHANGE\n"
                                      "S2,01/01/2010,SWB,01/04/2024,01/10/2024,CHANGE\n"
                                      "S2,01/01/2010,SWC,01/10/2024,,CHANGE\n"
                                      "S3,01/01/2010,SWX,01/04/2024,01/06/2024,CHANGE\n"
                                      "S3,01/01/2010,SWY,01/06/2024,01/08/2024,CHANGE\n"
                                      "S3,01/01/2010,SWX,01/08/2024,,CHANGE\n"
                                      "S4,01/01/2010,SWP,01/01/2024,01/04/2024,CHANGE\n"
                                      "S4,01/01/2010,SWQ,01/04/2024,01/12/2024,CHANGE\n"
                                      "S4,01/01/2010,SWR,01/12/2024,,CHANGE\n";
static const char sw_2024[] = C903_SW "S2,01/01/2010,SWA,01/01/2023,31/03/2024,CHANGE\n"
                                      "S3,01/01/2010,SWZ,01/10/2023,01/04/2024,CHANGE\n";

static void test_sw_3plus(void **state)
{
        (void)state;
        struct cla t;
        cla_begin(&t);
        cla_return(&t, 2023, sw_eps, (const char *)NULL); /* before SWEpisodes were collected */
        cla_return(&t, 2024, sw_eps, sw_2024, (const char *)NULL);
        cla_return(&t, 2025, sw_eps, sw_2025, (const char *)NULL);
        /* Year: S1, S4 of 4. */
        cla_expect(&t, "cla_sw_3plus_pct", cla_year(2025), 2, 4);
        cla_expect(&t, "cla_sw_3plus_pct", cla_rolling(2025, 3), 2, 4);
        /*
         * Rolling to 30/9/2024: S1 SW1, SW2, SW3 = 3; S2 SWA (2024 return), SWB = 2;
         * S3 SWZ (2024 return), SWX, SWY = 3; S4 SWP, SWQ = 2.  2 of 4.
         */
        cla_expect(&t, "cla_sw_3plus_pct", cla_rolling(2024, 9), 2, 4);
        /* No table in the 2023 return: not available, and so for windows reaching into it. */
        cla_expect_none(&t, "cla_sw_3plus_pct", cla_year(2023), "no SWEpisodes table");
        cla_expect_none(&t, "cla_sw_3plus_pct", cla_rolling(2023, 9), "no SWEpisodes table");
        /* Year 2024: cohort S1..S4, only S2 and S3 have one worker each.  0 of 4. */
        cla_expect(&t, "cla_sw_3plus_pct", cla_year(2024), 0, 4);
        cla_end(&t);
}

/* ---------------------------------------------------------------- distances */

/*
 * Postcodes on the OS grid (metres): QA1 1AA (400000, 300000) is home for everyone;
 * 1AB 10 km north = 6.2 miles; 1AC 40 km = 24.9 miles; 1AD 32.187 km = 20.0 miles (not more
 * than 20); 1AE 32.35 km = 20.1 miles.  (miles = metres / 1000 / 1.6093, to 1 dp.)
 *
 *   X1  S 01/05/2024 -> 1AC open                                   24.9
 *   X2  S 01/06/2024 -> 1AC, P 01/09/2024 -> 1AB open              24.9 then 6.2
 *   X3  S 01/07/2024 -> 1AD open                                   20.0
 *   X4  S 01/08/2024 no postcodes (UASC), open                     unknown
 *   X5  S 01/01/2024 -> 1AE, L 01/06/2024 -> 1AE open             20.1 (L: not a new one)
 *   X6  S 01/02/2024 -> 1AB, P 01/10/2024 T1 -> 1AC, P 05/10/2024 -> 1AB open
 *   X7  S 01/11/2024 V3 -> 1AC open                                short break
 */
static const char pc_csv[] = "pcd,oslaua,oseast1m,osnrth1m\n"
                             "QA1 1AA,E99000001,400000,300000\n"
                             "QA1 1AB,E99000001,400000,310000\n"
                             "QA1 1AC,E99000001,400000,340000\n"
                             "QA1 1AD,E99000001,400000,332187\n"
                             "QA1 1AE,E99000001,400000,332350\n";
#define H "QA1 1AA"
static const char dist_eps[] =
    C903_EPISODES EPP("X1", "01/05/2024", "S", "C2", "U4", "", "", H, "QA1 1AC")
        EPP("X2", "01/06/2024", "S", "C2", "U4", "01/09/2024", "X1", H,
            "QA1 1AC") EPP("X2", "01/09/2024", "P", "C2", "U6", "", "", H,
                           "QA1 1AB") EPP("X3", "01/07/2024", "S", "C2", "U4", "", "", H, "QA1 1AD")
            EPP("X4", "01/08/2024", "S", "V2", "U6", "", "", "",
                "") EPP("X5", "01/01/2024", "S", "V2", "U4", "01/06/2024", "X1", H, "QA1 1AE")
                EPP("X5", "01/06/2024", "L", "C2", "U4", "", "", H, "QA1 1AE")
                    EPP("X6", "01/02/2024", "S", "C2", "U4", "01/10/2024", "X1", H, "QA1 1AB")
                        EPP("X6", "01/10/2024", "P", "C2", "T1", "05/10/2024", "X1", H, "QA1 1AC")
                            EPP("X6", "05/10/2024", "P", "C2", "U4", "", "", H, "QA1 1AB")
                                EPP("X7", "01/11/2024", "S", "V3", "U4", "", "", H, "QA1 1AC");
#undef H

static void test_distances(void **state)
{
        (void)state;
        struct cla t;
        cla_begin(&t);
        struct err e = {0};
        t.postcodes =
            refdata_postcodes_mem("postcodes.csv", pc_csv, strlen(pc_csv), NULL, NULL, 0, &e);
        assert_non_null(t.postcodes);
        cla_return_pc(&t, 2025, t.postcodes, dist_eps, (const char *)NULL);
        /* 31/3/2025: X1 (24.9) and X5 (20.1) of X1-X6 (X7 a short break); X4 not known. */
        struct measure_value v =
            cla_expect(&t, "cla_placed_over_20_miles_pct", cla_year(2025), 2, 6);
        assert_non_null(strstr(v.note, "distance not known for 1 of 6 children"));
        /*
         * New placements in the year (RNE S/P/B, not T0-T4, not V3/V4): X1 S (24.9), X2 S
         * (24.9), X2 P (6.2), X3 S (20.0), X4 S (unknown), X6 P 5/10 (6.2) = 6; X6's T1 and
         * X7's V3 are left out, X5's S is before the year and its L is not new.  2 of 6.
         */
        v = cla_expect(&t, "new_placements_over_20_miles_pct", cla_year(2025), 2, 6);
        assert_non_null(strstr(v.note, "distance not known for 1 of 6 new placements"));
        cla_expect(&t, "new_placements_over_20_miles_pct", cla_month(2024, 5), 1, 1);
        cla_expect(&t, "new_placements_over_20_miles_pct", cla_month(2024, 9), 0, 1);
        cla_expect(&t, "new_placements_over_20_miles_pct", cla_month(2024, 10), 0, 1);
        /* 31/7/2024: X1 (24.9), X2 (24.9), X3 (20.0), X5 (20.1), X6 (6.2): 3 of 5. */
        cla_expect(&t, "cla_placed_over_20_miles_pct", cla_month(2024, 7), 3, 5);
        cla_expect(&t, "cla_placed_over_20_miles_pct", cla_rolling(2025, 3), 2, 6);
        cla_expect(&t, "new_placements_over_20_miles_pct", cla_rolling(2025, 3), 2, 6);
        cla_end(&t);
        /*
         * With a 2024 return (loaded with the lookup) holding X5's and X6's starts: rolling to
         * 30/9/2024 (October 2023 - September 2024) counts X5 S 1/1/2024 (20.1) and X6 S
         * 1/2/2024 (6.2) from it, and X1 S, X2 S, X2 P, X3 S, X4 S from 2025 = 7; over 20
         * miles: X5, X1, X2 = 3.
         */
        cla_begin(&t);
        t.postcodes =
            refdata_postcodes_mem("postcodes.csv", pc_csv, strlen(pc_csv), NULL, NULL, 0, &e);
        cla_return_pc(
            &t, 2024, t.postcodes,
            C903_EPISODES EPP("X5", "01/01/2024", "S", "V2", "U4", "", "", "QA1 1AA", "QA1 1AE")
                EPP("X6", "01/02/2024", "S", "C2", "U4", "", "", "QA1 1AA", "QA1 1AB"),
            (const char *)NULL);
        cla_return_pc(&t, 2025, t.postcodes, dist_eps, (const char *)NULL);
        cla_expect(&t, "new_placements_over_20_miles_pct", cla_rolling(2024, 9), 3, 7);
        /* The snapshot at 30/9/2024: X1, X2 (1AB from 1/9), X3, X4, X5, X6 = 6; over 20: X1,
         * X5. */
        cla_expect(&t, "cla_placed_over_20_miles_pct", cla_rolling(2024, 9), 2, 6);
        cla_end(&t);
}

/* Without a postcode lookup the distance measures are not available, never guessed. */
static void test_distances_unavailable(void **state)
{
        (void)state;
        struct cla t;
        cla_begin(&t);
        cla_return(&t, 2025, dist_eps, (const char *)NULL);
        cla_expect_none(&t, "cla_placed_over_20_miles_pct", cla_year(2025),
                        "not available: distances (PL_DISTANCE) need the postcode lookup");
        cla_expect_none(&t, "new_placements_over_20_miles_pct", cla_month(2024, 5),
                        "not available");
        cla_end(&t);
}

static void test_rows(void **state)
{
        (void)state;
        const struct measure_def *m = measure_find("cla_placements_3plus_pct");
        assert_int_equal(m->periods, MEASURE_PERIODS_NO_MONTH);
        assert_int_equal(m->polarity, BENCH_LOWER_BETTER);
        assert_string_equal(m->bench.source, "la_cla_placement_stability");
        assert_string_equal(m->bench.column, "children_percent");
        m = measure_find("cla_long_term_stability_pct");
        assert_int_equal(m->polarity, BENCH_HIGHER_BETTER);
        assert_int_equal(m->periods, MEASURE_PERIODS_ALL);
        m = measure_find("cla_sw_3plus_pct");
        assert_int_equal(m->outcome, MEASURE_ENABLER_WORKFORCE);
        assert_int_equal(m->polarity, BENCH_LOWER_BETTER);
        assert_string_equal(m->bench.source, "la_cla_swcount");
        assert_string_equal(m->bench.column, "percentage");
        assert_int_equal(measure_find("cla_placed_over_20_miles_pct")->polarity,
                         BENCH_LOWER_BETTER);
        assert_int_equal(measure_find("new_placements_over_20_miles_pct")->polarity,
                         BENCH_LOWER_BETTER);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_placements_3plus),
            cmocka_unit_test(test_long_term),
            cmocka_unit_test(test_long_term_lookback),
            cmocka_unit_test(test_sw_3plus),
            cmocka_unit_test(test_distances),
            cmocka_unit_test(test_distances_unavailable),
            cmocka_unit_test(test_rows),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
