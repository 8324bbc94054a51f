/*
 * test_spc_store.c — SPC and the forecast on a small hand-made store: targets
 * (set, replace, list, clear), monthly series read back (gaps become missing
 * values, rolling values never read), the variation and assurance columns of
 * `improve measures`, and the forecast's episodes, exposure, transitions,
 * entrants and stock read from a stored SSDA903 return, all worked out by hand.
 */
#include "test.h"

#include "cmd/forecast_output.h"
#include "cmd/measures_output.h"
#include "cmd/measures_spc.h"
#include "cmd/spc_series.h"
#include "core/err.h"
#include "returns/ssda903.h"
#include "stats/forecast.h"
#include "store/store.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

struct fixture {
        char *dir;
        struct store *s;
};

static int setup(void **state)
{
        struct fixture *f = calloc(1, sizeof *f);
        f->dir = test_tmpdir();
        char path[512];
        snprintf(path, sizeof path, "%s/t.db", f->dir);
        struct err e = {0};
        f->s = store_open(path, STORE_CREATE, &e);
        assert_non_null(f->s);
        struct store_authority a = {.code = "201", .name = "Testby"};
        assert_int_equal(store_authority_put(f->s, &a, &e), 0);
        struct store_authority b = {.code = "202", .name = "Otherby"};
        assert_int_equal(store_authority_put(f->s, &b, &e), 0);
        *state = f;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *f = *state;
        store_close(f->s);
        test_rmdir(f->dir);
        free(f);
        return 0;
}

/* ---------------------------------------------------------------- targets */

struct seen {
        char text[512];
        int n;
};

static int collect_target(void *ctx, const struct store_target *t)
{
        struct seen *s = ctx;
        size_t len = strlen(s->text);
        snprintf(s->text + len, sizeof s->text - len, "%s/%s=%g;", t->la, t->measure, t->value);
        s->n++;
        return 0;
}

static void test_targets(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        int replaced = -1;
        struct store_target t = {"201", "rereferrals_12m_pct", 18, "tester", NULL};
        assert_int_equal(store_target_put(f->s, &t, &replaced, &e), 0);
        assert_int_equal(replaced, 0);
        t.value = 17.5;
        assert_int_equal(store_target_put(f->s, &t, &replaced, &e), 0);
        assert_int_equal(replaced, 1);
        struct store_target u = {"202", "cla_rate_per_10k", 40, "tester", NULL};
        assert_int_equal(store_target_put(f->s, &u, NULL, &e), 0);
        double v = 0;
        assert_int_equal(store_target_get(f->s, "201", "rereferrals_12m_pct", &v, &e), 1);
        assert_true(v == 17.5);
        assert_int_equal(store_target_get(f->s, "201", "cla_rate_per_10k", &v, &e), 0);

        struct seen all = {{0}, 0};
        assert_int_equal(store_target_each(f->s, NULL, collect_target, &all, &e), 0);
        assert_string_equal(all.text, "201/rereferrals_12m_pct=17.5;202/cla_rate_per_10k=40;");
        struct seen one = {{0}, 0};
        assert_int_equal(store_target_each(f->s, "202", collect_target, &one, &e), 0);
        assert_int_equal(one.n, 1);

        /* An authority that is not in the store is refused (foreign key). */
        struct store_target bad = {"999", "cla_rate_per_10k", 1, "tester", NULL};
        assert_int_equal(store_target_put(f->s, &bad, NULL, &e), -1);

        int64_t gone = -1;
        assert_int_equal(store_target_delete(f->s, "201", "cla_rate_per_10k", &gone, &e), 0);
        assert_int_equal(gone, 0);
        assert_int_equal(store_target_delete(f->s, "201", NULL, &gone, &e), 0);
        assert_int_equal(gone, 1);
        assert_int_equal(store_target_get(f->s, "201", "rereferrals_12m_pct", &v, &e), 0);
        assert_int_equal(store_target_get(f->s, "202", "cla_rate_per_10k", &v, &e), 1);
}

/* ---------------------------------------------------------------- series */

static void put_value(struct store_measure_writer *w, const char *la, const char *measure,
                      const char *period, const char *end, int has, double value)
{
        struct err e = {0};
        struct store_measure_value v = {
            .la = la,
            .measure = measure,
            .period = period,
            .period_end = end,
            .year = 2025,
            .source = "903",
            .has_value = has,
            .value = value,
            .note = "",
        };
        assert_int_equal(store_measure_put(w, &v, &e), 0);
}

/*
 * 201 cla_missing_children_pct (lower_better): 14 stored months 2024-01 ..
 * 2025-03 without 2024-06 (a gap), the last month without a value; rolling
 * values that must never be read; an annual-only measure; and 202 with no
 * monthly values at all.
 */
static const double missing_pct[15] = {5, 6, 5, 7, 6, NAN, 5, 6, 7, 5, 6, 5, 6, 7, NAN};

static void store_series(struct fixture *f)
{
        struct err e = {0};
        struct store_measure_writer *w;
        assert_int_equal(store_begin(f->s, &e), 0);
        assert_int_equal(store_measure_writer_open(f->s, &w, &e), 0);
        for (int k = 0; k < 15; k++) {
                if (k == 5)
                        continue; /* 2024-06 not stored */
                date_t d = date_month_end(date_add_months(date_from_ymd(2024, 1, 1), k));
                char iso[11];
                date_format_iso(d, iso);
                put_value(w, "201", "cla_missing_children_pct", "month", iso, k != 14,
                          k != 14 ? missing_pct[k] : 0);
                put_value(w, "201", "cla_missing_children_pct", "rolling", iso, 1, 1000 + k);
        }
        put_value(w, "201", "cla_missing_children_pct", "year", "2025-03-31", 1, 6);
        put_value(w, "201", "cla_placements_3plus_pct", "month", "2025-03-31", 1, 9);
        put_value(w, "202", "cla_rate_per_10k", "year", "2025-03-31", 1, 50);
        store_measure_writer_close(w);
        assert_int_equal(store_commit(f->s, &e), 0);
}

static void test_series(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        store_series(f);
        struct spc_series_set set;
        assert_int_equal(spc_series_read(f->s, "201", NULL, &set, &e), 0);
        /* cla_placements_3plus_pct has no monthly period: not an SPC series. */
        assert_int_equal(set.n, 1);
        const struct spc_series *sr = &set.v[0];
        assert_string_equal(sr->m->id, "cla_missing_children_pct");
        assert_int_equal(sr->n, 15);
        assert_int_equal(sr->n_values, 13);
        assert_string_equal(sr->periods[0], "2024-01-31");
        assert_string_equal(sr->periods[5], "2024-06-30");
        assert_string_equal(sr->periods[14], "2025-03-31");
        for (int k = 0; k < 15; k++) {
                if (isnan(missing_pct[k]))
                        assert_true(isnan(sr->y[k]));
                else
                        assert_true(sr->y[k] == missing_pct[k]);
        }
        assert_int_equal(spc_series_direction(sr->m), SPC_DECREASE);
        spc_series_set_release(&set);

        assert_int_equal(spc_series_read(f->s, "202", NULL, &set, &e), 0);
        assert_int_equal(set.n, 0);
        spc_series_set_release(&set);
}

/*
 * The icons by hand.  Values 5,6,5,7,6,_,5,6,7,5,6,5,6,7 (13 present): mean
 * 76/13 = 5.846; moving ranges (none across the gap) 1,1,2,1, 1,1,2,1,1,1,1 sum
 * 13 over 11, AMR0 1.1818, cut 3.861 keeps all: UPL = 5.846 + 2.66 × 1.1818 =
 * 8.990, LPL = 2.703.  No point outside, no 7-run on one side or trend:
 * common cause.  Target 10 is above UPL and the measure is lower_better:
 * "pass"; target 2 is below LPL: "fail"; target 6: "hit_and_miss".
 */
static void check_icons(struct fixture *f, double target, const char *want)
{
        struct err e = {0};
        struct store_target t = {"201", "cla_missing_children_pct", target, "tester", NULL};
        assert_int_equal(store_target_put(f->s, &t, NULL, &e), 0);
        struct measures_row rows[3] = {{0}};
        rows[0].m = measure_find("cla_missing_children_pct");
        rows[1].m = measure_find("cla_placements_3plus_pct");
        rows[2].m = measure_find("cla_rate_per_10k");
        snprintf(rows[0].la, 4, "201");
        snprintf(rows[1].la, 4, "201");
        snprintf(rows[2].la, 4, "202");
        for (int i = 0; i < 3; i++)
                snprintf(rows[i].period_end, 11, "2025-03-31");
        assert_int_equal(measures_spc_apply(f->s, rows, 3, &e), 0);
        assert_non_null(rows[0].variation);
        assert_string_equal(rows[0].variation, "common_cause");
        assert_non_null(rows[0].assurance);
        assert_string_equal(rows[0].assurance, want);
        assert_null(rows[1].variation);
        assert_null(rows[2].variation);
        assert_null(rows[2].assurance);
}

static void test_measures_icons(void **state)
{
        struct fixture *f = *state;
        store_series(f);
        check_icons(f, 10, "pass");
        check_icons(f, 2, "fail");
        check_icons(f, 6, "hit_and_miss");

        /* A row ending before the second month has one value: no limits, no icon.  A row
         * ending 2024-05-31 sees 5,6,5,7,6: mean 5.8, AMR 1.25, all common cause. */
        struct err e = {0};
        struct measures_row rows[2] = {{0}};
        for (int i = 0; i < 2; i++) {
                rows[i].m = measure_find("cla_missing_children_pct");
                snprintf(rows[i].la, 4, "201");
        }
        snprintf(rows[0].period_end, 11, "2024-01-31");
        snprintf(rows[1].period_end, 11, "2024-05-31");
        assert_int_equal(measures_spc_apply(f->s, rows, 2, &e), 0);
        assert_null(rows[0].variation);
        assert_string_equal(rows[1].variation, "common_cause");

        /* A suppressed value gets no icon. */
        rows[1].c_value = 1;
        assert_int_equal(measures_spc_apply(f->s, rows, 2, &e), 0);
        assert_null(rows[1].variation);
}

/* Eight points that end on a rise of 7: the last point ends a trend, an improvement for
 * higher_better and a concern for lower_better; neutral is neutral_high. */
static void test_icons_direction(void **state)
{
        (void)state;
        const double y[9] = {10, 9, 10, 11, 12, 13, 14, 15, 16};
        enum spc_variation v;
        enum spc_assurance a;
        spc_series_icons(y, 9, SPC_INCREASE, 0, 0, &v, &a);
        assert_string_equal(spc_series_variation_name(v), "improvement_high");
        assert_null(spc_series_assurance_name(a));
        spc_series_icons(y, 9, SPC_DECREASE, 1, 100, &v, &a);
        assert_string_equal(spc_series_variation_name(v), "concern_high");
        assert_string_equal(spc_series_assurance_name(a), "pass");
        spc_series_icons(y, 9, SPC_NEUTRAL, 1, 100, &v, &a);
        assert_string_equal(spc_series_variation_name(v), "neutral_high");
        assert_null(spc_series_assurance_name(a)); /* neutral: never an assurance icon */
}

/* spc_icons() must give spc_xmr()'s icons: random series with levels, shifts, trends, ties,
 * missing values and flat stretches, every length from 0 to 40, every direction. */
static uint64_t rng = 88172645463325252u;
static double uniform(void)
{
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        return (double)(rng >> 11) / 9007199254740992.0;
}

static void test_icons_match_chart(void **state)
{
        (void)state;
        double y[40];
        size_t checked = 0, special = 0;
        for (int rep = 0; rep < 3000; rep++) {
                size_t n = (size_t)rep % 41;
                int kind = rep % 5;
                for (size_t i = 0; i < n; i++) {
                        double v = floor(uniform() * 6); /* small integers: ties, exact means */
                        if (kind == 1 && i > n / 2)
                                v += 4;
                        if (kind == 2)
                                v = (double)i + (uniform() < 0.2 ? 3 : 0);
                        if (kind == 3 && uniform() < 0.15)
                                v = NAN;
                        if (kind == 4)
                                v = i < n - 3 ? 2 : 2 + uniform() * 12;
                        y[i] = v;
                }
                for (int d = 0; d < 3; d++) {
                        struct spc_options o;
                        spc_options_init(&o);
                        o.direction = (enum spc_direction)d;
                        o.has_target = rep % 2;
                        o.target = uniform() * 8;
                        struct spc_chart c;
                        struct err e = {0};
                        assert_int_equal(spc_xmr(y, n, &o, &c, &e), 0);
                        enum spc_variation v;
                        enum spc_assurance a;
                        spc_icons(y, n, o.direction, o.has_target, o.target, &v, &a);
                        assert_int_equal(v, c.variation);
                        assert_int_equal(a, c.assurance);
                        special += v != SPC_VARIATION_COMMON_CAUSE && v != SPC_VARIATION_NONE;
                        checked++;
                        spc_chart_release(&c);
                }
        }
        assert_int_equal(checked, 9000);
        assert_true(special > 1000); /* the comparison covered many special-cause endings */
}

/* ---------------------------------------------------------------- forecast */

static const char header[] = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
                             "A1,1,01/06/2012,WBRI,UN1,,\n"
                             "B2,2,01/01/2010,WBRI,UN2,,\n";
static const char episodes[] =
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,"
    "URN\n"
    "A1,01/04/2024,S,C2,N1,U1,PR1,01/10/2024,X1,CARPL,,,\n"
    "A1,01/10/2024,P,C2,N1,K2,PR1,01/01/2025,E11,,,,\n"
    "B2,01/07/2024,S,C2,N1,U3,PR1,,,,,,\n";

static void put_return(struct fixture *f)
{
        struct err e = {0};
        struct ssda903_load *ld = ssda903_new();
        assert_int_equal(ssda903_add_mem(ld, "header.csv", header, strlen(header), 0, &e), 0);
        assert_int_equal(ssda903_add_mem(ld, "episodes.csv", episodes, strlen(episodes), 0, &e), 0);
        struct ssda903_options opt = {.collection_year = 2025};
        assert_int_equal(ssda903_finish(ld, &opt, &e), 0);
        struct store_import imp = {.kind = "ssda903", .la = "201", .year = 2025, .user = "test"};
        int64_t id;
        assert_int_equal(store_begin(f->s, &e), 0);
        assert_int_equal(store_import_begin(f->s, &imp, &id, &e), 0);
        struct store_return r = {STORE_RETURN_SSDA903, "201", 2025, 2025, id, 2};
        assert_int_equal(store_return_put_903(f->s, &r, ld, NULL, 0, &e), 0);
        assert_int_equal(store_import_finish(f->s, id, "ok", "{}", &e), 0);
        assert_int_equal(store_commit(f->s, &e), 0);
        ssda903_free(ld);
}

/*
 * By hand, over 2024-04-01 .. 2025-03-31 (365 days), both children aged 10-15
 * throughout: A1 fostered 01/04 to 30/09 (183 days), then residential 01/10 to
 * 31/12 (92 days), leaving on 01/01; B2 fostered from 01/07 (274 days).
 * Fostering → residential once, residential → left care once; two entries
 * into 10-15:fostering; on 31/03/2025 one child in care (B2, fostering).
 */
static void test_forecast_from_store(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        put_return(f);
        struct forecast_states st;
        forecast_states_default(&st);
        assert_int_equal(forecast_states_finish(&st, &e), 0);
        struct forecast_episodes eps;
        forecast_episodes_init(&eps);
        size_t years = 0;
        assert_int_equal(forecast_store_episodes(f->s, "201", &eps, &years, &e), 0);
        assert_int_equal(years, 1);
        assert_int_equal(eps.nchildren, 2);
        assert_int_equal(eps.n, 3);
        date_t w0, w1;
        assert_int_equal(forecast_default_window(&eps, 36, &w0, &w1, &e), 0);
        assert_int_equal(w0, date_from_ymd(2024, 4, 1));
        assert_int_equal(w1, date_from_ymd(2025, 3, 31));
        struct forecast_estimate est;
        assert_int_equal(forecast_estimate(&st, &eps, w0, w1, &est, &e), 0);
        int fo = forecast_state_by_label(&st, "10-15:fostering");
        int re = forecast_state_by_label(&st, "10-15:residential");
        int left = (int)st.n - 1;
        assert_true(fo >= 0 && re >= 0);
        assert_true(est.days == 365);
        assert_true(est.exposure[fo] == 183 + 274);
        assert_true(est.exposure[re] == 92);
        assert_true(est.trans[(size_t)fo * st.n + (size_t)re] == 1);
        assert_true(est.trans[(size_t)re * st.n + (size_t)left] == 1);
        assert_true(est.trans[(size_t)fo * st.n + (size_t)left] == 0);
        assert_true(est.entries[fo] == 2);
        double total = 0;
        for (size_t s = 0; s + 1 < st.n; s++)
                total += est.exposure[s];
        assert_true(total == 183 + 92 + 274);
        double stock[FORECAST_MAX_STATES] = {0};
        size_t unplaced = 9;
        assert_int_equal(forecast_stock_on(&st, &eps, w1, stock, &unplaced), 1);
        assert_int_equal(unplaced, 0);
        assert_true(stock[fo] == 1);
        forecast_estimate_release(&est);
        forecast_episodes_release(&eps);

        /* An authority without returns: none read, nothing finished. */
        forecast_episodes_init(&eps);
        assert_int_equal(forecast_store_episodes(f->s, "202", &eps, &years, &e), 0);
        assert_int_equal(years, 0);
        forecast_episodes_release(&eps);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_targets, setup, teardown),
            cmocka_unit_test_setup_teardown(test_series, setup, teardown),
            cmocka_unit_test_setup_teardown(test_measures_icons, setup, teardown),
            cmocka_unit_test(test_icons_direction),
            cmocka_unit_test(test_icons_match_chart),
            cmocka_unit_test_setup_teardown(test_forecast_from_store, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
