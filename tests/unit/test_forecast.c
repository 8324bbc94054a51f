/*
 * test_forecast.c — the demand forecast (statistics.md §6): worked example
 * E6.1, states and ageing, estimation from hand-made SSDA903 episode tables
 * with every count worked out by hand in the comments, the bootstrap, bad
 * inputs, and a back-test on a small generated region.
 */
#include "test.h"

#include "core/date.h"
#include "core/err.h"
#include "returns/ssda903.h"
#include "stats/forecast.h"
#include "synth/synth.h"

#include <math.h>

/* |got - want| <= tol, saying which values differed (tol 0: exactly equal). */
#define assert_near(got, want, tol) near((got), (want), (tol), #got, __FILE__, __LINE__)
static void near(double got, double want, double tol, const char *what, const char *file, int line)
{
        if (!(fabs(got - want) <= tol))
                fail_msg("%s:%d: %s = %.10g, expected %.10g (tolerance %g)", file, line, what, got,
                         want, tol);
}

static date_t ymd(int y, int m, int d)
{
        return date_from_ymd(y, m, d);
}

/* ------------------------------------------------------------------ E6.1 */

/* States A (0-9), B (10-17), Out; rates, P and the start of E6.1. */
static void e61_chain(double P[9], double mu[3])
{
        const double E[3] = {3650, 7300, 0};
        const double N[9] = {0, 5, 10, /**/ 0, 0, 20, /**/ 0, 0, 0};
        double rate[9];
        size_t bad = 99;
        struct err e = {0};
        assert_int_equal(forecast_rates(3, E, N, rate, &bad, &e), 0);
        assert_int_equal(bad, 0);
        assert_near(rate[1], 5.0 / 3650, 1e-15);
        assert_near(rate[5], 20.0 / 7300, 1e-15);
        forecast_probabilities(3, rate, P);
        mu[0] = 12.0 / 365;
        mu[1] = 6.0 / 365;
        mu[2] = 0;
}

static void test_e61_probabilities(void **state)
{
        (void)state;
        double P[9], mu[3];
        e61_chain(P, mu);
        /* printed to 9 decimals in §6.5 */
        assert_near(P[0], 0.995898844, 1e-9);
        assert_near(P[1], 0.001367052, 1e-9);
        assert_near(P[2], 0.002734104, 1e-9);
        assert_near(P[3], 0, 0);
        assert_near(P[4], 0.997264024, 1e-9);
        assert_near(P[5], 0.002735976, 1e-9);
        assert_near(P[8], 1, 0); /* Out is absorbing */
        for (int s = 0; s < 3; s++)
                assert_near(P[3 * s] + P[3 * s + 1] + P[3 * s + 2], 1, 1e-15);
}

static double total_sd(const double *cov, size_t n)
{
        double v = 0;
        for (size_t i = 0; i < n * n; i++)
                v += cov[i];
        return sqrt(v);
}

static void test_e61_projection(void **state)
{
        (void)state;
        double P[9], mu[3];
        e61_chain(P, mu);
        const double m0[3] = {10, 20, 0};
        const int days[4] = {0, 1, 30, 90};
        double mean[8], cov[16];
        struct err e = {0};
        assert_int_equal(forecast_project(3, P, mu, m0, NULL, days, 4, mean, cov, &e), 0);
        /* day 0 is the known start: Σ0 = 0 */
        assert_near(mean[0], 10, 0);
        assert_near(mean[1], 20, 0);
        for (int i = 0; i < 4; i++)
                assert_near(cov[i], 0, 0);
        /* day 1 */
        assert_near(mean[2], 9.991865, 1e-6);
        assert_near(mean[3], 19.975389, 1e-6);
        assert_near(sqrt(cov[4]), 0.271514, 1e-6);
        assert_near(sqrt(cov[7]), 0.290964, 1e-6);
        assert_near(cov[5], cov[6], 1e-12);
        /* day 30 */
        assert_near(mean[4], 9.769927, 1e-6);
        assert_near(mean[5], 19.285697, 1e-6);
        assert_near(mean[4] + mean[5], 29.055624, 1e-6);
        assert_near(total_sd(cov + 8, 2), 1.897944, 1e-6);
        /* day 90 */
        assert_near(mean[6], 9.386744, 1e-6);
        assert_near(mean[7], 17.997762, 1e-6);
        double t = mean[6] + mean[7], sd = total_sd(cov + 12, 2), lo, hi;
        assert_near(t, 27.384506, 1e-6);
        assert_near(sd, 3.010247, 1e-6);
        forecast_interval(t, sd, &lo, &hi);
        assert_near(lo, 27.384506 - 1.959964 * 3.010247, 1e-6);
        assert_near(hi, 27.384506 + 1.959964 * 3.010247, 1e-6);
        assert_near(lo, 21.48, 0.005);
        assert_near(hi, 33.28, 0.005);
        assert_int_equal((int)round(lo), 21);
        assert_int_equal((int)round(hi), 33);
        /* cov0 given and equal to zero gives the same answer; a wrong sign would not */
        const double z[4] = {0};
        double mean2[8];
        assert_int_equal(forecast_project(3, P, mu, m0, z, days, 4, mean2, NULL, &e), 0);
        assert_memory_equal(mean, mean2, sizeof mean);
}

static void test_interval_clip(void **state)
{
        (void)state;
        double lo, hi;
        forecast_interval(2, 3, &lo, &hi);
        assert_near(lo, 0, 0);
        assert_near(hi, 2 + 1.959964 * 3, 1e-12);
        forecast_interval(10, 1, &lo, &hi);
        assert_near(lo, 10 - 1.959964, 1e-12);
}

static void test_e61_bootstrap(void **state)
{
        (void)state;
        double P[9], mu[3];
        e61_chain(P, mu);
        const double m0[3] = {10, 20, 0};
        const int days[1] = {90};
        enum { REPS = 20000 };
        double *out = malloc(REPS * 3 * sizeof *out), *tot = malloc(REPS * sizeof *tot);
        assert_non_null(out);
        assert_non_null(tot);
        struct err e = {0};
        assert_int_equal(forecast_simulate(3, P, mu, m0, days, 1, REPS, 1, out, &e), 0);
        for (size_t i = 0; i < REPS; i++) {
                assert_near(out[i * 3 + 2], out[i * 3] + out[i * 3 + 1], 0);
                tot[i] = out[i * 3 + 2];
        }
        double m, sd, lo, hi;
        forecast_summary(tot, REPS, &m, &sd, &lo, &hi);
        print_message("E6.1 bootstrap, %d replicates: mean %.3f sd %.3f 95%% %.1f-%.1f\n", REPS, m,
                      sd, lo, hi);
        /* §6.5: a 20000-replicate simulation gave mean 27.38 and sd 3.03 (±0.1) */
        assert_near(m, 27.38, 0.1);
        assert_near(sd, 3.03, 0.1);
        /* percentiles of whole children near the analytic interval 21.48-33.28 */
        assert_true(lo >= 20 && lo <= 23);
        assert_true(hi >= 32 && hi <= 35);
        /* seeded: the same seed gives the same paths, another seed other paths */
        double *again = malloc(REPS * 3 * sizeof *again);
        assert_non_null(again);
        assert_int_equal(forecast_simulate(3, P, mu, m0, days, 1, REPS, 1, again, &e), 0);
        assert_memory_equal(out, again, REPS * 3 * sizeof *out);
        assert_int_equal(forecast_simulate(3, P, mu, m0, days, 1, REPS, 2, again, &e), 0);
        assert_memory_not_equal(out, again, REPS * 3 * sizeof *out);
        free(again);
        free(out);
        free(tot);
}

static void test_summary_type7(void **state)
{
        (void)state;
        /* R: quantile(1:10, c(.025, .975)) = 1.225, 9.775 (type 7: 1 + 9p) */
        double v[10] = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
        double m, sd, lo, hi;
        forecast_summary(v, 10, &m, &sd, &lo, &hi);
        assert_near(m, 5.5, 1e-12);
        assert_near(sd, sqrt(55.0 / 6), 1e-12); /* var(1:10) = 9.1667 */
        assert_near(lo, 1.225, 1e-12);
        assert_near(hi, 9.775, 1e-12);
}

/* ------------------------------------------------------------------ states */

static void test_states_default(void **state)
{
        (void)state;
        struct forecast_states st;
        struct err e = {0};
        forecast_states_default(&st);
        assert_int_equal(forecast_states_finish(&st, &e), 0);
        /* 20 combinations − residential in 0, 1-4 − supported in 0, 1-4, 5-9 = 15, + left */
        assert_int_equal(st.nin, 15);
        assert_int_equal(st.n, 16);
        assert_string_equal(st.label[0], "0:fostering");
        assert_string_equal(st.label[1], "0:other");
        assert_string_equal(st.label[2], "1-4:fostering");
        assert_string_equal(st.label[15], "left");
        assert_int_equal(forecast_state_by_label(&st, "10-15:fostering"), 7);
        assert_int_equal(forecast_state_by_label(&st, "16-17:supported"), 13);
        assert_int_equal(forecast_state_by_label(&st, "0:residential"), -1);
        /* categories */
        assert_int_equal(forecast_category_of_place(&st, "U1"), 0);
        assert_int_equal(forecast_category_of_place(&st, "U6"), 0);
        assert_int_equal(forecast_category_of_place(&st, "K2"), 1);
        assert_int_equal(forecast_category_of_place(&st, "R1"), 1);
        assert_int_equal(forecast_category_of_place(&st, "K3"), 2);
        assert_int_equal(forecast_category_of_place(&st, "P2"), 2);
        assert_int_equal(forecast_category_of_place(&st, "P1"), 3);
        assert_int_equal(forecast_category_of_place(&st, "U"), 3);
        assert_int_equal(forecast_category_of_place(&st, "U7"), 3);
        assert_int_equal(forecast_category_of_place(&st, ""), 3);
        assert_int_equal(forecast_category_of_place(&st, NULL), 3);
        /* a disallowed combination maps to the band's other */
        assert_int_equal(forecast_state(&st, 1, 1), forecast_state_by_label(&st, "1-4:other"));
        assert_int_equal(forecast_state(&st, 2, 1),
                         forecast_state_by_label(&st, "5-9:residential"));
        /* bands by completed years */
        assert_int_equal(forecast_band_of_age(&st, 0), 0);
        assert_int_equal(forecast_band_of_age(&st, 4), 1);
        assert_int_equal(forecast_band_of_age(&st, 5), 2);
        assert_int_equal(forecast_band_of_age(&st, 17), 4);
        assert_int_equal(forecast_band_of_age(&st, 18), -1);
        assert_int_equal(forecast_band_of_age(&st, -1), -1);
}

static void test_states_config(void **state)
{
        (void)state;
        struct forecast_states st;
        struct err e = {0};
        forecast_states_default(&st);
        assert_int_equal(forecast_states_set_bands(&st, "0-4,5-15,16-17", &e), 0);
        assert_int_equal(forecast_states_set_allowed(&st, "0-4:supported,16-17:residential", 0, &e),
                         0);
        assert_int_equal(forecast_states_finish(&st, &e), 0);
        assert_int_equal(st.nin, 10);
        assert_string_equal(st.label[0], "0-4:fostering");
        assert_int_equal(forecast_state_by_label(&st, "16-17:residential"), -1);
        /* bad specifications name what was expected */
        const char *bad[] = {
            "1-4,5-17", "0,2-17", "0-4,5-16", "0-17,", "0-x", "", "0,1,2,3,4,5,6,7,8-17"};
        for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
                forecast_states_default(&st);
                assert_int_equal(forecast_states_set_bands(&st, bad[i], &e), -1);
                assert_int_equal(e.code, EXIT_USAGE);
                assert_non_null(strstr(e.msg, "0,1-4,5-9,10-15,16-17"));
        }
        forecast_states_default(&st);
        assert_int_equal(forecast_states_set_allowed(&st, "0:flying", 0, &e), -1);
        assert_non_null(strstr(e.msg, "0:flying"));
        assert_int_equal(forecast_states_set_allowed(&st, "1-4", 0, &e), -1);
        /* other must stay allowed */
        assert_int_equal(forecast_states_set_allowed(&st, "5-9:other", 0, &e), 0);
        assert_int_equal(forecast_states_finish(&st, &e), -1);
        assert_non_null(strstr(e.msg, "5-9:other"));
        forecast_states_default(&st);
        snprintf(st.cat_name[1], FORECAST_NAME_MAX, "fostering");
        assert_int_equal(forecast_states_finish(&st, &e), -1);
        assert_non_null(strstr(e.msg, "twice"));
}

/* Ageing: 1/(band length in 365.25-day years), same category or other; 18 forces leaving. */
static void test_ageing_rates(void **state)
{
        (void)state;
        struct forecast_states st;
        struct err e = {0};
        forecast_states_default(&st);
        assert_int_equal(forecast_states_set_allowed(&st, "16-17:residential", 0, &e), 0);
        assert_int_equal(forecast_states_finish(&st, &e), 0);
        size_t ns = st.n;
        double *rate = calloc(ns * ns, sizeof *rate), *P = calloc(ns * ns, sizeof *P);
        assert_non_null(rate);
        assert_non_null(P);
        forecast_add_ageing(&st, rate);
        int f0 = forecast_state_by_label(&st, "0:fostering");
        int f1 = forecast_state_by_label(&st, "1-4:fostering");
        int o0 = forecast_state_by_label(&st, "0:other");
        int o1 = forecast_state_by_label(&st, "1-4:other");
        int r10 = forecast_state_by_label(&st, "10-15:residential");
        int o16 = forecast_state_by_label(&st, "16-17:other");
        int f16 = forecast_state_by_label(&st, "16-17:fostering");
        int s16 = forecast_state_by_label(&st, "16-17:supported");
        int f10 = forecast_state_by_label(&st, "10-15:fostering");
        size_t left = ns - 1;
        assert_near(rate[f0 * ns + f1], 1 / 365.25, 1e-15);
        assert_near(rate[o0 * ns + o1], 1 / 365.25, 1e-15);
        assert_near(rate[f1 * ns + forecast_state_by_label(&st, "5-9:fostering")], 1 / (4 * 365.25),
                    1e-15);
        assert_near(rate[f10 * ns + f16], 1 / (6 * 365.25), 1e-15);
        /* 16-17:residential is disallowed here, so 10-15:residential ages into 16-17:other */
        assert_near(rate[r10 * ns + o16], 1 / (6 * 365.25), 1e-15);
        /* forced leaving at 18 from every state of the last band */
        assert_near(rate[f16 * ns + left], 1 / (2 * 365.25), 1e-15);
        assert_near(rate[s16 * ns + left], 1 / (2 * 365.25), 1e-15);
        /* exactly one ageing target per state */
        for (size_t s = 0; s + 1 < ns; s++) {
                int targets = 0;
                for (size_t r = 0; r < ns; r++)
                        targets += rate[s * ns + r] > 0;
                assert_int_equal(targets, 1);
        }
        forecast_probabilities(ns, rate, P);
        assert_near(P[f16 * ns + left], -expm1(-1 / 730.5), 1e-15);
        /* a 16-17 cohort of 100 with no other flows: 100·exp(-t/730.5) after t days */
        double m0[FORECAST_MAX_STATES] = {0}, mu[FORECAST_MAX_STATES] = {0};
        m0[f16] = 100;
        const int days[] = {365, 730};
        double *mean = calloc(2 * st.nin, sizeof *mean);
        assert_non_null(mean);
        assert_int_equal(forecast_project(ns, P, mu, m0, NULL, days, 2, mean, NULL, &e), 0);
        assert_near(mean[f16], 100 * pow(exp(-1 / 730.5), 365), 1e-9);
        assert_near(mean[st.nin + f16], 100 * pow(exp(-1 / 730.5), 730), 1e-9);
        free(mean);
        free(rate);
        free(P);
}

/* ------------------------------------------------------------ estimation */

static const char *HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n";
static const char *EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,"
                              "REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n";

/* A finished load of year `year` from Header and Episodes rows (without header lines). */
static struct ssda903_load *load903(int year, const char *header_rows, const char *episode_rows)
{
        struct err e = {0};
        struct ssda903_load *ld = ssda903_new();
        char *h = malloc(strlen(HEADER) + strlen(header_rows) + 1);
        char *p = malloc(strlen(EPISODES) + strlen(episode_rows) + 1);
        assert_non_null(h);
        assert_non_null(p);
        strcat(strcpy(h, HEADER), header_rows);
        strcat(strcpy(p, EPISODES), episode_rows);
        if (ssda903_add_mem(ld, "header.csv", h, strlen(h), 0, &e) != 0 ||
            ssda903_add_mem(ld, "episodes.csv", p, strlen(p), 0, &e) != 0)
                fail_msg("load: %s", e.msg);
        struct ssda903_options o = {.collection_year = year};
        if (ssda903_finish(ld, &o, &e) != 0)
                fail_msg("finish: %s", e.msg);
        free(h);
        free(p);
        return ld;
}

static void episodes_of(struct forecast_episodes *eps, struct ssda903_load **ld, size_t n)
{
        struct err e = {0};
        forecast_episodes_init(eps);
        for (size_t i = 0; i < n; i++) {
                assert_int_equal(forecast_episodes_add_903(eps, ld[i], &e), 0);
                ssda903_free(ld[i]);
        }
        assert_int_equal(forecast_episodes_finish(eps, &e), 0);
}

/*
 * Year 2024 (1 Apr 2023 – 31 Mar 2024, 366 days: 2024 is a leap year).
 *
 * A  born 15/06/2015, aged 7-8 (5-9): U6 from 01/01/2023, K2 from 10/05/2023,
 *    ceased 20/08/2023.  5-9:fostering 1 Apr–9 May = 39 days; move to
 *    5-9:residential on 10 May; 5-9:residential 10 May–19 Aug = 22+30+31+19
 *    = 102 days; leaves from 5-9:residential on 20 Aug.
 * B  born 20/10/2013: U4 from 01/09/2023, open.  Enters at 9 (5-9:fostering);
 *    5-9:fostering 1 Sep–19 Oct = 30+19 = 49 days; 10th birthday 20 Oct moves
 *    the band (not a counted transition); 10-15:fostering 20 Oct–31 Mar =
 *    12+30+31+31+29+31 = 164 days.
 * C  born 01/02/2006: H5 from 01/01/2022, ceased 01/02/2024, the 18th birthday.
 *    16-17:supported 1 Apr–31 Jan = 306 days; leaving at 18 is forced, so
 *    not counted (aged_out).
 * D  short breaks (V3) in June: nothing at all.
 * E  born 10/03/2020 (1-4): U3 from 05/04/2023, then a legal-status change on
 *    01/07/2023 still U3 (no transition), ceased 01/12/2023; back on
 *    15/01/2024 in K2, which is disallowed under 5 (1-4:other).  Entries on
 *    5 Apr (1-4:fostering) and 15 Jan (1-4:other); 1-4:fostering 5 Apr–30 Nov
 *    = 26+31+30+31+31+30+31+30 = 240 days, leaving on 1 Dec; 1-4:other 15
 *    Jan–31 Mar = 17+29+31 = 77 days.
 * F  no Header row: no date of birth, skipped and reported.
 */
static const char *HDR_A =
    "A,1,15/06/2015,WBRI,,,\nB,2,20/10/2013,WBRI,,,\nC,1,01/02/2006,WBRI,,,\n"
    "D,2,01/01/2010,WBRI,,,\nE,1,10/03/2020,WBRI,,,\n";
static const char *EPI_A = "A,01/01/2023,S,C2,N1,U6,PR1,10/05/2023,X1,CARPL,,,\n"
                           "A,10/05/2023,P,C2,N1,K2,PR4,20/08/2023,E13,,,,\n"
                           "B,01/09/2023,S,V2,N1,U4,PR1,,,,,,\n"
                           "C,01/01/2022,S,C2,N1,H5,PR4,01/02/2024,E8,,,,\n"
                           "D,01/06/2023,S,V3,N2,U1,PR1,03/06/2023,E41,,,,\n"
                           "E,05/04/2023,S,V2,N1,U3,PR1,01/07/2023,X1,,,,\n"
                           "E,01/07/2023,L,C2,N1,U3,PR1,01/12/2023,E11,,,,\n"
                           "E,15/01/2024,S,C2,N1,K2,PR4,,,,,,\n"
                           "F,01/05/2023,S,V2,N1,U6,PR1,,,,,,\n";

static void test_estimate_by_hand(void **state)
{
        (void)state;
        struct forecast_states st;
        struct err e = {0};
        forecast_states_default(&st);
        assert_int_equal(forecast_states_finish(&st, &e), 0);
        struct ssda903_load *ld = load903(2024, HDR_A, EPI_A);
        struct forecast_episodes eps;
        episodes_of(&eps, &ld, 1);
        assert_int_equal(eps.nchildren, 6);
        assert_int_equal(eps.n, 9);
        assert_int_equal(eps.data_start, ymd(2023, 4, 1));
        assert_int_equal(eps.data_end, ymd(2024, 3, 31));

        struct forecast_estimate est;
        assert_int_equal(forecast_estimate(&st, &eps, ymd(2023, 4, 1), ymd(2024, 3, 31), &est, &e),
                         0);
        size_t ns = st.n, L = ns - 1;
        int f1 = forecast_state_by_label(&st, "1-4:fostering");
        int o1 = forecast_state_by_label(&st, "1-4:other");
        int f5 = forecast_state_by_label(&st, "5-9:fostering");
        int r5 = forecast_state_by_label(&st, "5-9:residential");
        int f10 = forecast_state_by_label(&st, "10-15:fostering");
        int s16 = forecast_state_by_label(&st, "16-17:supported");
        assert_near(est.days, 366, 0);
        double E[FORECAST_MAX_STATES] = {0};
        E[f5] = 39 + 49;
        E[r5] = 102;
        E[f10] = 164;
        E[s16] = 306;
        E[f1] = 240;
        E[o1] = 77;
        for (size_t s = 0; s < ns; s++)
                if (est.exposure[s] != E[s])
                        fail_msg("exposure of %s: %g, expected %g", st.label[s], est.exposure[s],
                                 E[s]);
        double total = 0;
        for (size_t i = 0; i < ns * ns; i++)
                total += est.trans[i];
        assert_near(total, 3, 0);
        assert_near(est.trans[f5 * ns + r5], 1, 0);
        assert_near(est.trans[r5 * ns + L], 1, 0);
        assert_near(est.trans[f1 * ns + L], 1, 0);
        double in = 0;
        for (size_t s = 0; s < ns; s++)
                in += est.entries[s];
        assert_near(in, 3, 0);
        assert_near(est.entries[f5], 1, 0);
        assert_near(est.entries[f1], 1, 0);
        assert_near(est.entries[o1], 1, 0);
        assert_int_equal(est.aged_out, 1);
        assert_int_equal(est.no_dob, 1);
        assert_int_equal(est.children, 4); /* A, B, C, E */
        assert_int_equal(est.overlapping, 0);

        /* the chain: λ(5-9:fostering → 5-9:residential) = 1/88 a day */
        struct forecast_options o;
        forecast_options_default(&o);
        o.horizon_months = 3;
        double stock[FORECAST_MAX_STATES];
        size_t unplaced = 0;
        assert_int_equal(forecast_stock_on(&st, &eps, ymd(2024, 3, 31), stock, &unplaced), 3);
        assert_int_equal(unplaced, 1); /* F: in care, no date of birth */
        assert_near(stock[f10], 1, 0);
        assert_near(stock[o1], 1, 0);
        struct forecast_result r;
        assert_int_equal(forecast_run(&st, &est, stock, ymd(2024, 3, 31), &o, &r, &e), 0);
        assert_near(r.rate[f5 * ns + r5], 1.0 / 88, 1e-15);
        assert_near(r.rate[r5 * ns + L], 1.0 / 102, 1e-15);
        assert_near(r.mu[f1], 1.0 / 366, 1e-15);
        assert_int_equal(r.month_end[0], ymd(2024, 4, 30));
        assert_int_equal(r.day[0], 30);
        assert_int_equal(r.month_end[2], ymd(2024, 6, 30));
        for (size_t i = 0; i < r.months * (r.nin + 1); i++) {
                assert_true(isfinite(r.mean[i]) && isfinite(r.sd[i]));
                assert_true(r.lower[i] >= 0 && r.lower[i] <= r.mean[i] && r.upper[i] >= r.mean[i]);
        }
        forecast_result_release(&r);
        forecast_estimate_release(&est);

        /* a window wider than the return is cut to it: the same counts */
        assert_int_equal(forecast_estimate(&st, &eps, ymd(2022, 1, 1), ymd(2024, 12, 31), &est, &e),
                         0);
        assert_int_equal(est.w0, ymd(2023, 4, 1));
        assert_int_equal(est.w1, ymd(2024, 3, 31));
        assert_near(est.days, 366, 0);
        assert_near(est.exposure[f10], 164, 0);
        forecast_estimate_release(&est);
        /* and one that misses it is empty */
        assert_int_equal(forecast_estimate(&st, &eps, ymd(2024, 4, 1), ymd(2024, 12, 31), &est, &e),
                         -1);
        assert_non_null(strstr(e.msg, "does not overlap"));
        forecast_episodes_release(&eps);
}

/* The stock on a day: open on D means DECOM <= D < DEC; short breaks excluded. */
static void test_stock_on(void **state)
{
        (void)state;
        struct forecast_states st;
        struct err e = {0};
        forecast_states_default(&st);
        assert_int_equal(forecast_states_finish(&st, &e), 0);
        struct ssda903_load *ld = load903(2024, HDR_A, EPI_A);
        struct forecast_episodes eps;
        episodes_of(&eps, &ld, 1);
        double stock[FORECAST_MAX_STATES];
        /* 2 June: A (5-9:residential), C (16-17:supported), E (1-4:fostering), F; not D */
        assert_int_equal(forecast_stock_on(&st, &eps, ymd(2023, 6, 2), stock, NULL), 4);
        assert_near(stock[forecast_state_by_label(&st, "5-9:residential")], 1, 0);
        assert_near(stock[forecast_state_by_label(&st, "16-17:supported")], 1, 0);
        /* 10 May: A has moved to K2 that day */
        assert_int_equal(forecast_stock_on(&st, &eps, ymd(2023, 5, 10), stock, NULL), 4);
        assert_near(stock[forecast_state_by_label(&st, "5-9:fostering")], 0, 0);
        /* 20 Aug: A ceased that day, so is not in care */
        assert_int_equal(forecast_stock_on(&st, &eps, ymd(2023, 8, 20), stock, NULL), 3);
        /* 19 Oct B is 9, 20 Oct B is 10 */
        forecast_stock_on(&st, &eps, ymd(2023, 10, 19), stock, NULL);
        assert_near(stock[forecast_state_by_label(&st, "5-9:fostering")], 1, 0);
        forecast_stock_on(&st, &eps, ymd(2023, 10, 20), stock, NULL);
        assert_near(stock[forecast_state_by_label(&st, "5-9:fostering")], 0, 0);
        assert_near(stock[forecast_state_by_label(&st, "10-15:fostering")], 1, 0);
        /* 31 Jan C is 17 and in care; 1 Feb C ceased */
        assert_int_equal(forecast_stock_on(&st, &eps, ymd(2024, 1, 31), stock, NULL), 4);
        assert_int_equal(forecast_stock_on(&st, &eps, ymd(2024, 2, 1), stock, NULL), 3);
        forecast_episodes_release(&eps);
}

/*
 * A shorter window cuts every count at its edges: [1 Jun 2023, 30 Nov 2023].
 * A: 5-9:residential 1 Jun–19 Aug = 30+31+19 = 80, leaves 20 Aug.  B: enters
 * 1 Sep, 5-9:fostering 49 days, 10-15:fostering 20 Oct–30 Nov = 12+30 = 42.
 * C: 16-17:supported 183 days.  E: 1-4:fostering 183 days; leaving dated
 * 1 Dec is outside.  The move of A (10 May) and the entry of E (5 Apr) are too.
 */
static void test_estimate_window_edges(void **state)
{
        (void)state;
        struct forecast_states st;
        struct err e = {0};
        forecast_states_default(&st);
        assert_int_equal(forecast_states_finish(&st, &e), 0);
        struct ssda903_load *ld = load903(2024, HDR_A, EPI_A);
        struct forecast_episodes eps;
        episodes_of(&eps, &ld, 1);
        struct forecast_estimate est;
        assert_int_equal(forecast_estimate(&st, &eps, ymd(2023, 6, 1), ymd(2023, 11, 30), &est, &e),
                         0);
        size_t ns = st.n;
        assert_near(est.days, 183, 0);
        assert_near(est.exposure[forecast_state_by_label(&st, "5-9:residential")], 80, 0);
        assert_near(est.exposure[forecast_state_by_label(&st, "5-9:fostering")], 49, 0);
        assert_near(est.exposure[forecast_state_by_label(&st, "10-15:fostering")], 42, 0);
        assert_near(est.exposure[forecast_state_by_label(&st, "16-17:supported")], 183, 0);
        assert_near(est.exposure[forecast_state_by_label(&st, "1-4:fostering")], 183, 0);
        double t = 0, in = 0;
        for (size_t i = 0; i < ns * ns; i++)
                t += est.trans[i];
        for (size_t s = 0; s < ns; s++)
                in += est.entries[s];
        assert_near(t, 1, 0);  /* A leaving */
        assert_near(in, 1, 0); /* B */
        assert_near(est.entries[forecast_state_by_label(&st, "5-9:fostering")], 1, 0);
        assert_int_equal(est.aged_out, 0);
        forecast_estimate_release(&est);
        forecast_episodes_release(&eps);
}

/*
 * Two returns merged.  2023: G open from 01/01/2023 (U4); H open from
 * 01/02/2023 (U4).  2024 re-sends G's episode closed on 01/06/2023 with a move
 * to K2 (X1) that is still open, and drops H: H is censored at 1 April 2023,
 * so H has no leaving and no exposure after 31 March.  G also has an
 * overlapping episode in 2024 (P1 from 01/03/2024 while K2 is open): K2 is cut
 * at 1 March.  Born 2010 (13-14: 10-15).
 * Window [1 Apr 2023, 31 Mar 2024]: G 10-15:fostering 1 Apr–31 May = 61,
 * move to 10-15:residential on 1 Jun, residential 1 Jun–29 Feb = 274, move to
 * 10-15:other on 1 Mar, other 1–31 Mar = 31.
 */
static void test_merge_returns(void **state)
{
        (void)state;
        struct forecast_states st;
        struct err e = {0};
        forecast_states_default(&st);
        assert_int_equal(forecast_states_finish(&st, &e), 0);
        struct ssda903_load *ld[2];
        ld[0] = load903(2023, "G,1,05/05/2010,WBRI,,,\nH,1,05/05/2010,WBRI,,,\n",
                        "G,01/01/2023,S,C2,N1,U4,PR1,,,,,,\n"
                        "H,01/02/2023,S,C2,N1,U4,PR1,,,,,,\n");
        ld[1] = load903(2024, "G,1,05/05/2010,WBRI,,,\n",
                        "G,01/01/2023,S,C2,N1,U4,PR1,01/06/2023,X1,CARPL,,,\n"
                        "G,01/06/2023,P,C2,N1,K2,PR4,,,,,,\n"
                        "G,01/03/2024,P,C2,N1,P1,PR0,,,,,,\n");
        struct forecast_episodes eps;
        episodes_of(&eps, ld, 2);
        assert_int_equal(eps.nchildren, 2);
        assert_int_equal(eps.n, 4); /* G's first episode once, from the later return */
        assert_int_equal(eps.censored, 1);
        assert_int_equal(eps.data_start, ymd(2022, 4, 1));
        assert_int_equal(eps.data_end, ymd(2024, 3, 31));
        assert_int_equal(eps.ep[0].dec, ymd(2023, 6, 1));
        assert_int_equal(eps.ep[0].year, 2024);
        assert_int_equal(eps.ep[3].dec, ymd(2023, 4, 1)); /* H, censored */
        assert_true(eps.ep[3].censored);

        struct forecast_estimate est;
        assert_int_equal(forecast_estimate(&st, &eps, ymd(2023, 4, 1), ymd(2024, 3, 31), &est, &e),
                         0);
        size_t ns = st.n;
        int f = forecast_state_by_label(&st, "10-15:fostering");
        int r = forecast_state_by_label(&st, "10-15:residential");
        int o = forecast_state_by_label(&st, "10-15:other");
        assert_near(est.exposure[f], 61, 0);
        assert_near(est.exposure[r], 274, 0);
        assert_near(est.exposure[o], 31, 0);
        assert_near(est.trans[f * ns + r], 1, 0);
        assert_near(est.trans[r * ns + o], 1, 0);
        double t = 0;
        for (size_t i = 0; i < ns * ns; i++)
                t += est.trans[i];
        assert_near(t, 2, 0);
        assert_int_equal(est.overlapping, 1);
        /* H was in care on 31 March 2023 (its return says so) but not on 1 April */
        double stock[FORECAST_MAX_STATES];
        assert_int_equal(forecast_stock_on(&st, &eps, ymd(2023, 3, 31), stock, NULL), 2);
        assert_int_equal(forecast_stock_on(&st, &eps, ymd(2023, 4, 1), stock, NULL), 1);
        forecast_estimate_release(&est);
        forecast_episodes_release(&eps);
}

/*
 * Temporary placements: by default T1 is "other" (§6.1 literally), giving two
 * moves; with temporary_keeps_category the child stays in fostering.  Born
 * 2012 (10-15).  U4 to 01/05/2023, T1 to 08/05/2023, U4 again, open.
 */
static void test_temporary_placements(void **state)
{
        (void)state;
        const char *epi = "K,01/01/2023,S,C2,N1,U4,PR1,01/05/2023,X1,,,,\n"
                          "K,01/05/2023,T,C2,N1,T1,,08/05/2023,X1,,,,\n"
                          "K,08/05/2023,P,C2,N1,U4,PR1,,,,,,\n";
        for (int keep = 0; keep <= 1; keep++) {
                struct forecast_states st;
                struct err e = {0};
                forecast_states_default(&st);
                st.temporary_keeps_category = keep;
                assert_int_equal(forecast_states_finish(&st, &e), 0);
                struct ssda903_load *ld = load903(2024, "K,1,01/01/2012,WBRI,,,\n", epi);
                struct forecast_episodes eps;
                episodes_of(&eps, &ld, 1);
                struct forecast_estimate est;
                assert_int_equal(
                    forecast_estimate(&st, &eps, ymd(2023, 4, 1), ymd(2024, 3, 31), &est, &e), 0);
                int f = forecast_state_by_label(&st, "10-15:fostering");
                int o = forecast_state_by_label(&st, "10-15:other");
                size_t ns = st.n;
                assert_near(est.exposure[f], keep ? 366 : 359, 0);
                assert_near(est.exposure[o], keep ? 0 : 7, 0);
                assert_near(est.trans[f * ns + o], keep ? 0 : 1, 0);
                assert_near(est.trans[o * ns + f], keep ? 0 : 1, 0);
                forecast_estimate_release(&est);
                forecast_episodes_release(&eps);
        }
}

/* A child in care past 18 (a data error) stops counting on the 18th birthday. */
static void test_over_18(void **state)
{
        (void)state;
        struct forecast_states st;
        struct err e = {0};
        forecast_states_default(&st);
        assert_int_equal(forecast_states_finish(&st, &e), 0);
        struct ssda903_load *ld =
            load903(2024, "M,1,01/10/2005,WBRI,,,\n", "M,01/01/2021,S,C2,N1,U4,PR1,,,,,,\n");
        struct forecast_episodes eps;
        episodes_of(&eps, &ld, 1);
        struct forecast_estimate est;
        assert_int_equal(forecast_estimate(&st, &eps, ymd(2023, 4, 1), ymd(2024, 3, 31), &est, &e),
                         0);
        /* 1 Apr – 30 Sep 2023 = 183 days at 17 */
        double E = 0;
        for (size_t s = 0; s < st.n; s++)
                E += est.exposure[s];
        assert_near(E, 183, 0);
        assert_near(est.exposure[forecast_state_by_label(&st, "16-17:fostering")], 183, 0);
        double stock[FORECAST_MAX_STATES];
        size_t unplaced;
        assert_int_equal(forecast_stock_on(&st, &eps, ymd(2024, 3, 31), stock, &unplaced), 1);
        assert_int_equal(unplaced, 1);
        forecast_estimate_release(&est);
        forecast_episodes_release(&eps);
}

/*
 * 29 February birthdays move band on 29 February in a leap year and on
 * 1 March otherwise (as date_age counts).  N, born 29/02/2008, turns 16 on
 * 29 Feb 2024: window February–March 2024 gives 10-15 28 days, 16-17 1+31 = 32.
 * P, born 29/02/2012, turns 10 on 1 Mar 2022: 5-9 28 days, 10-15 31 days.
 */
static void test_leap_birthday(void **state)
{
        (void)state;
        struct forecast_states st;
        struct err e = {0};
        forecast_states_default(&st);
        assert_int_equal(forecast_states_finish(&st, &e), 0);
        struct {
                int year;
                const char *hdr, *epi;
                date_t w0, w1;
                const char *young, *old;
                double e_young, e_old;
        } cases[] = {
            {2024, "N,1,29/02/2008,WBRI,,,\n", "N,01/01/2023,S,C2,N1,U4,PR1,,,,,,\n",
             ymd(2024, 2, 1), ymd(2024, 3, 31), "10-15:fostering", "16-17:fostering", 28, 32},
            {2022, "P,1,29/02/2012,WBRI,,,\n", "P,01/01/2021,S,C2,N1,U4,PR1,,,,,,\n",
             ymd(2022, 2, 1), ymd(2022, 3, 31), "5-9:fostering", "10-15:fostering", 28, 31},
        };
        for (size_t i = 0; i < 2; i++) {
                struct ssda903_load *ld = load903(cases[i].year, cases[i].hdr, cases[i].epi);
                struct forecast_episodes eps;
                episodes_of(&eps, &ld, 1);
                struct forecast_estimate est;
                assert_int_equal(forecast_estimate(&st, &eps, cases[i].w0, cases[i].w1, &est, &e),
                                 0);
                int y = forecast_state_by_label(&st, cases[i].young);
                int o = forecast_state_by_label(&st, cases[i].old);
                assert_near(est.exposure[y], cases[i].e_young, 0);
                assert_near(est.exposure[o], cases[i].e_old, 0);
                double t = 0;
                for (size_t k = 0; k < st.n * st.n; k++)
                        t += est.trans[k];
                assert_near(t, 0, 0); /* ageing is not a counted transition */
                double stock[FORECAST_MAX_STATES];
                date_t bday = cases[i].w0 + (date_t)cases[i].e_young;
                forecast_stock_on(&st, &eps, bday - 1, stock, NULL);
                assert_near(stock[y], 1, 0);
                forecast_stock_on(&st, &eps, bday, stock, NULL);
                assert_near(stock[o], 1, 0);
                forecast_estimate_release(&est);
                forecast_episodes_release(&eps);
        }
}

/* ------------------------------------------------------------ bad inputs */

static void test_bad_inputs(void **state)
{
        (void)state;
        struct forecast_states st;
        struct err e = {0};
        forecast_states_default(&st);
        assert_int_equal(forecast_states_finish(&st, &e), 0);

        /* rows that cannot be used are dropped and counted */
        struct forecast_episodes eps;
        forecast_episodes_init(&eps);
        forecast_episodes_add(&eps, 2024, "X", ymd(2015, 1, 1), DATE_NONE, DATE_NONE, "U1", "C2");
        forecast_episodes_add(&eps, 2024, "X", ymd(2015, 1, 1), ymd(2023, 5, 1), ymd(2023, 4, 1),
                              "U1", "C2");
        forecast_episodes_add(&eps, 2024, "X", ymd(2015, 1, 1), ymd(2023, 5, 1), DATE_BAD, "U1",
                              "C2");
        forecast_episodes_add(&eps, 2024, "", ymd(2015, 1, 1), ymd(2023, 5, 1), DATE_NONE, "U1",
                              "C2");
        assert_int_equal(eps.dropped, 4);
        assert_int_equal(forecast_estimate(&st, &eps, ymd(2023, 4, 1), ymd(2024, 3, 31),
                                           &(struct forecast_estimate){0}, &e),
                         -1); /* not finished */
        assert_int_equal(forecast_episodes_finish(&eps, &e), 0);
        assert_int_equal(eps.n, 0);

        /* an empty window is an error, not a division by zero */
        struct forecast_estimate est;
        assert_int_equal(forecast_estimate(&st, &eps, ymd(2024, 3, 31), ymd(2024, 3, 30), &est, &e),
                         -1);
        assert_int_equal(e.code, EXIT_USAGE);
        assert_non_null(strstr(e.msg, "window is empty"));

        /* no episodes at all: zero exposure everywhere, a forecast of zeros, no NaN */
        assert_int_equal(forecast_estimate(&st, &eps, ymd(2023, 4, 1), ymd(2024, 3, 31), &est, &e),
                         0);
        double stock[FORECAST_MAX_STATES] = {0};
        stock[forecast_state_by_label(&st, "5-9:fostering")] = 3; /* a stock, but no history */
        struct forecast_options o;
        forecast_options_default(&o);
        o.horizon_months = 12;
        struct forecast_result r;
        assert_int_equal(forecast_run(&st, &est, stock, ymd(2024, 3, 31), &o, &r, &e), 0);
        assert_int_equal(r.zero_exposure, st.nin);
        for (size_t i = 0; i < r.months * (r.nin + 1); i++)
                assert_true(isfinite(r.mean[i]) && isfinite(r.sd[i]) && isfinite(r.lower[i]) &&
                            isfinite(r.upper[i]));
        /* only ageing acts: from 5-9 almost nobody reaches 18 within a year
         * (three band moves at 1/1826, 1/2192, 1/730.5 a day: about 0.3%) */
        size_t w = r.nin + 1;
        assert_true(r.mean[11 * w + r.nin] <= 3 && r.mean[11 * w + r.nin] > 2.95);
        assert_true(r.mean[11 * w + forecast_state_by_label(&st, "10-15:fostering")] > 0);
        forecast_result_release(&r);

        /* bad options */
        o.horizon_months = 0;
        assert_int_equal(forecast_run(&st, &est, stock, ymd(2024, 3, 31), &o, &r, &e), -1);
        assert_non_null(strstr(e.msg, "horizon"));
        forecast_options_default(&o);
        o.scenario.entrants = -1;
        assert_int_equal(forecast_run(&st, &est, stock, ymd(2024, 3, 31), &o, &r, &e), -1);
        assert_non_null(strstr(e.msg, "entrants"));
        forecast_options_default(&o);
        o.bootstrap = FORECAST_BOOT_PROCESS;
        o.replicates = 100;
        assert_int_equal(forecast_run(&st, &est, stock, ymd(2024, 3, 31), &o, &r, &e), -1);
        assert_non_null(strstr(e.msg, "2000"));
        forecast_options_default(&o);
        stock[0] = NAN;
        assert_int_equal(forecast_run(&st, &est, stock, ymd(2024, 3, 31), &o, &r, &e), -1);
        forecast_estimate_release(&est);
        forecast_episodes_release(&eps);

        /* zero exposure with transitions out: rate 0 and reported, never NaN */
        const double E[3] = {0, 100, 0};
        const double N[9] = {0, 2, 1, 0, 0, 1, 0, 0, 0};
        double rate[9], P[9];
        size_t bad = 0;
        assert_int_equal(forecast_rates(3, E, N, rate, &bad, &e), 0);
        assert_int_equal(bad, 1);
        for (int i = 0; i < 9; i++)
                assert_true(isfinite(rate[i]));
        assert_near(rate[1], 0, 0);
        assert_near(rate[5], 0.01, 1e-15);
        forecast_probabilities(3, rate, P);
        assert_near(P[0], 1, 0);
        const double En[3] = {-1, 100, 0};
        assert_int_equal(forecast_rates(3, En, N, rate, &bad, &e), -1);
        const double Nn[9] = {0, NAN, 0, 0, 0, 0, 0, 0, 0};
        assert_int_equal(forecast_rates(3, E, Nn, rate, &bad, &e), -1);

        /* days must increase */
        const double mu[3] = {0}, m0[3] = {1, 1, 0};
        double mean[4];
        const int days[2] = {5, 5};
        assert_int_equal(forecast_project(3, P, mu, m0, NULL, days, 2, mean, NULL, &e), -1);
        const int neg[1] = {-1};
        assert_int_equal(forecast_project(3, P, mu, m0, NULL, neg, 1, mean, NULL, &e), -1);
        assert_int_equal(forecast_project(1, P, mu, m0, NULL, days, 1, mean, NULL, &e), -1);
}

/* ------------------------------------------------------------ scenarios, output */

static void test_scenario_and_csv(void **state)
{
        (void)state;
        struct forecast_states st;
        struct err e = {0};
        forecast_states_default(&st);
        assert_int_equal(forecast_states_finish(&st, &e), 0);
        struct ssda903_load *ld = load903(2024, HDR_A, EPI_A);
        struct forecast_episodes eps;
        episodes_of(&eps, &ld, 1);
        struct forecast_estimate est;
        assert_int_equal(forecast_estimate(&st, &eps, ymd(2023, 4, 1), ymd(2024, 3, 31), &est, &e),
                         0);
        double stock[FORECAST_MAX_STATES];
        forecast_stock_on(&st, &eps, ymd(2024, 3, 31), stock, NULL);
        struct forecast_options o;
        forecast_options_default(&o);
        o.horizon_months = 2;
        struct forecast_result base, less;
        assert_int_equal(forecast_run(&st, &est, stock, ymd(2024, 3, 31), &o, &base, &e), 0);
        o.scenario.entrants = 0.9;
        o.scenario.leaving = 2;
        assert_int_equal(forecast_run(&st, &est, stock, ymd(2024, 3, 31), &o, &less, &e), 0);
        size_t ns = st.n, L = ns - 1;
        int f1 = forecast_state_by_label(&st, "1-4:fostering");
        int r5 = forecast_state_by_label(&st, "5-9:residential");
        assert_near(less.mu[f1], 0.9 * base.mu[f1], 1e-15);
        /* leaving doubled; the forced leaving at 18 (ageing) is never scaled */
        assert_near(less.rate[r5 * ns + L], 2 * base.rate[r5 * ns + L], 1e-15);
        int f16 = forecast_state_by_label(&st, "16-17:fostering");
        assert_near(less.rate[f16 * ns + L], base.rate[f16 * ns + L], 0);
        size_t w = base.nin + 1;
        assert_true(less.mean[w + base.nin] < base.mean[w + base.nin]);

        /* CSV: month,state,projected,lower,upper; one row per state then total */
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        assert_non_null(f);
        assert_int_equal(forecast_write_csv(f, &st, &base, 0), 0);
        assert_int_equal(forecast_write_csv(f, &st, &base, 1), -1); /* no bootstrap run */
        fclose(f);
        const char *head = "month,state,projected,lower,upper\n2024-04-30,0:fostering,";
        assert_true(strncmp(buf, head, strlen(head)) == 0);
        size_t lines = 0;
        for (char *p = buf; *p; p++)
                lines += *p == '\n';
        assert_int_equal(lines, 1 + 2 * (st.nin + 1));
        char want[128];
        snprintf(want, sizeof want, "\n2024-05-31,total,%.1f,%.0f,%.0f\n", base.mean[w + base.nin],
                 round(base.lower[w + base.nin]), round(base.upper[w + base.nin]));
        assert_non_null(strstr(buf, want));
        assert_non_null(strstr(buf, "\n2024-05-31,16-17:other,"));
        free(buf);
        forecast_result_release(&base);
        forecast_result_release(&less);
        forecast_estimate_release(&est);
        forecast_episodes_release(&eps);
}

/* ------------------------------------------------------------ back-test */

/* Every authority directory of a generated region: its SSDA903 years, merged. */
static void load_region_la(const char *dir, const char *la, int first, int last,
                           struct forecast_episodes *eps)
{
        struct err e = {0};
        forecast_episodes_init(eps);
        for (int y = first; y <= last; y++) {
                char path[600];
                snprintf(path, sizeof path, "%s/%s/%d/903", dir, la, y);
                const char *paths[1] = {path};
                struct ssda903_options o = {.collection_year = y};
                struct ssda903_load *ld = ssda903_load_paths(paths, 1, NULL, 0, &o, &e);
                if (!ld)
                        fail_msg("loading %s: %s", path, e.msg);
                assert_int_equal(forecast_episodes_add_903(eps, ld, &e), 0);
                ssda903_free(ld);
        }
        assert_int_equal(forecast_episodes_finish(eps, &e), 0);
}

static void test_backtest(void **state)
{
        (void)state;
        char *dir = test_tmpdir();
        struct synth_options so;
        synth_options_default(&so);
        so.out_dir = dir;
        so.las = 2;
        so.years = 4;
        so.last_year = 2026;
        struct err e = {0};
        if (synth_run(&so, &e) != 0)
                fail_msg("synth_run: %s", e.msg);
        struct forecast_states st;
        forecast_states_default(&st);
        assert_int_equal(forecast_states_finish(&st, &e), 0);
        const char *las[2] = {"001", "002"};
        double worst = 0, sum = 0;
        for (int i = 0; i < 2; i++) {
                struct forecast_episodes eps;
                load_region_la(dir, las[i], 2023, 2026, &eps);
                struct forecast_backtest b, none;
                /* cut-off one year before the end, window of the 3 years before it */
                assert_int_equal(
                    forecast_backtest_run(&st, &eps, ymd(2025, 3, 31), 36, 12, NULL, &b, &e), 0);
                assert_int_equal(b.w0, ymd(2022, 4, 1));
                /*
                 * The bound: the model's own 95% half-width at the last month, relative
                 * to the projection.  Half-widths grow with the horizon, so if the model
                 * is right every month's error is inside its own (smaller) half-width
                 * with probability 0.95, and the months' errors move together; the mean
                 * error exceeds the 12-month half-width only if the error around month 8
                 * is beyond about 2.4 of its sds (probability about 2%).  A biased
                 * forecast does not pass: the same back-test without entrants misses by
                 * far more (checked below).  The bound is 5-7% for these stocks.
                 */
                size_t last = b.months - 1;
                double bound = 100 * (b.upper[last] - b.projected[last]) / b.projected[last];
                print_message("back-test %s: stock %.0f on 31/03/2025; MAPE %.2f%% over 12 "
                              "months (bound %.2f%%; no-change forecast %.2f%%); actual inside "
                              "the 95%% interval %zu/12\n",
                              las[i], b.start_stock, b.mape, bound, b.naive_mape, b.inside);
                for (size_t k = 0; k < b.months; k += 3) {
                        char iso[11];
                        date_format_iso(b.month_end[k], iso);
                        print_message("  %s projected %.1f (%.0f-%.0f) actual %.0f\n", iso,
                                      b.projected[k], b.lower[k], b.upper[k], b.actual[k]);
                }
                assert_true(bound > 1 && bound < 15);
                assert_true(b.mape < bound);
                assert_true(b.inside >= 6);
                /* the same test without entrants must fail the bound: the check has teeth */
                struct forecast_scenario no_entry = {.entrants = 0, .leaving = 1, .moves = 1};
                assert_int_equal(forecast_backtest_run(&st, &eps, ymd(2025, 3, 31), 36, 12,
                                                       &no_entry, &none, &e),
                                 0);
                print_message("  without entrants: MAPE %.2f%%\n", none.mape);
                assert_true(none.mape > bound);
                sum += b.mape;
                if (b.mape > worst)
                        worst = b.mape;
                forecast_backtest_release(&b);
                forecast_backtest_release(&none);
                forecast_episodes_release(&eps);
        }
        print_message("back-test: mean MAPE %.2f%%, worst %.2f%%\n", sum / 2, worst);
        test_rmdir(dir);
}

/* Parameter bootstrap: reproducible, wider than process noise alone. */
static void test_parameter_bootstrap(void **state)
{
        (void)state;
        char *dir = test_tmpdir();
        struct synth_options so;
        synth_options_default(&so);
        so.out_dir = dir;
        so.las = 1;
        so.years = 3;
        so.last_year = 2026;
        struct err e = {0};
        if (synth_run(&so, &e) != 0)
                fail_msg("synth_run: %s", e.msg);
        struct forecast_states st;
        forecast_states_default(&st);
        assert_int_equal(forecast_states_finish(&st, &e), 0);
        struct forecast_episodes eps;
        load_region_la(dir, "001", 2024, 2026, &eps);
        date_t w0, w1;
        assert_int_equal(forecast_default_window(&eps, 36, &w0, &w1, &e), 0);
        assert_int_equal(w0, ymd(2023, 4, 1));
        assert_int_equal(w1, ymd(2026, 3, 31));
        /* a longer window is cut to the three years loaded */
        date_t l0, l1;
        assert_int_equal(forecast_default_window(&eps, 60, &l0, &l1, &e), 0);
        assert_int_equal(l0, ymd(2023, 4, 1));
        assert_int_equal(forecast_default_window(&eps, 12, &l0, &l1, &e), 0);
        assert_int_equal(l0, ymd(2025, 4, 1));
        assert_int_equal(forecast_default_window(&eps, 0, &l0, &l1, &e), -1);
        struct forecast_estimate est;
        assert_int_equal(forecast_estimate(&st, &eps, w0, w1, &est, &e), 0);
        double stock[FORECAST_MAX_STATES];
        forecast_stock_on(&st, &eps, w1, stock, NULL);
        struct forecast_options o;
        forecast_options_default(&o);
        o.horizon_months = 12;
        struct forecast_result a, p, p2;
        o.bootstrap = FORECAST_BOOT_PROCESS;
        assert_int_equal(forecast_run(&st, &est, stock, w1, &o, &a, &e), 0);
        o.bootstrap = FORECAST_BOOT_PARAMETER;
        assert_int_equal(forecast_run(&st, &est, stock, w1, &o, &p, &e), 0);
        assert_int_equal(forecast_run(&st, &est, stock, w1, &o, &p2, &e), 0);
        size_t w = a.nin + 1, last = 11 * w + a.nin;
        print_message("12 months: analytic %.1f sd %.2f; process bootstrap %.1f sd %.2f "
                      "(%.0f-%.0f); parameter bootstrap %.1f sd %.2f (%.0f-%.0f)\n",
                      a.mean[last], a.sd[last], a.boot_mean[last], a.boot_sd[last],
                      a.boot_lower[last], a.boot_upper[last], p.boot_mean[last], p.boot_sd[last],
                      p.boot_lower[last], p.boot_upper[last]);
        assert_int_equal(a.replicates, 2000);
        /* process noise alone reproduces the analytic mean and sd (2000 replicates) */
        assert_near(a.boot_mean[last], a.mean[last], 4 * a.sd[last] / sqrt(2000));
        assert_near(a.boot_sd[last], a.sd[last], 0.1 * a.sd[last]);
        /* parameter noise adds spread; same seed, same answer */
        assert_true(p.boot_sd[last] > a.boot_sd[last]);
        assert_memory_equal(p.boot_upper, p2.boot_upper, p.months * w * sizeof(double));
        assert_near(p.boot_mean[last], a.mean[last], 0.05 * a.mean[last]);
        forecast_result_release(&a);
        forecast_result_release(&p);
        forecast_result_release(&p2);
        forecast_estimate_release(&est);
        forecast_episodes_release(&eps);
        test_rmdir(dir);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_e61_probabilities),     cmocka_unit_test(test_e61_projection),
            cmocka_unit_test(test_interval_clip),         cmocka_unit_test(test_e61_bootstrap),
            cmocka_unit_test(test_summary_type7),         cmocka_unit_test(test_states_default),
            cmocka_unit_test(test_states_config),         cmocka_unit_test(test_ageing_rates),
            cmocka_unit_test(test_estimate_by_hand),      cmocka_unit_test(test_stock_on),
            cmocka_unit_test(test_estimate_window_edges), cmocka_unit_test(test_merge_returns),
            cmocka_unit_test(test_temporary_placements),  cmocka_unit_test(test_over_18),
            cmocka_unit_test(test_leap_birthday),         cmocka_unit_test(test_bad_inputs),
            cmocka_unit_test(test_scenario_and_csv),      cmocka_unit_test(test_backtest),
            cmocka_unit_test(test_parameter_bootstrap),
        };
        if (getenv("TF"))
                cmocka_set_test_filter(getenv("TF"));
        return cmocka_run_group_tests(tests, NULL, NULL);
}
