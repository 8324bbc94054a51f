/*
 * test_measures_engine.c — the measures engine (src/measures/measure.h) and
 * the §0 helpers (src/measures/util.h): windows, the history, the
 * population rule of rates, values, computing every period, and the merged
 * SSDA903 episode history with periods of care and placements walked back.
 *
 * Expected dates and counts are worked out by hand in the comments.
 */
#include "test.h"

#include "core/err.h"
#include "measures/measure.h"
#include "measures/util.h"
#include "returns/ssda903.h"

#include <math.h>

/* |a − b| <= eps, printing both on failure (this cmocka has no assert_double_equal). */
#define assert_double_equal(a, b, eps)                                                             \
        do {                                                                                       \
                double a_ = (a), b_ = (b);                                                         \
                if (!(fabs(a_ - b_) <= (eps)))                                                     \
                        fail_msg("%.12g != %.12g", a_, b_);                                        \
        } while (0)

static date_t D(int y, int m, int d)
{
        return date_from_ymd(y, m, d);
}

static void assert_date(date_t got, int y, int m, int d)
{
        char a[11], b[11];
        date_format_iso(got, a);
        date_format_iso(D(y, m, d), b);
        if (strcmp(a, b) != 0)
                fail_msg("date %s, expected %s", a, b);
}

/* ---------------------------------------------------------------- windows */

static void test_window_year(void **state)
{
        (void)state;
        struct measure_window w;
        measure_window_year(&w, 2025, 12);
        assert_int_equal(w.period, MEASURE_YEAR);
        assert_int_equal(w.months, 12);
        assert_date(w.start, 2024, 4, 1);
        assert_date(w.end, 2025, 3, 31);
        assert_int_equal(w.year, 2025);
        /* 3-year measures: years 2023, 2024 and 2025, 1 April 2022 … 31 March 2025. */
        measure_window_year(&w, 2025, 36);
        assert_int_equal(w.months, 36);
        assert_date(w.start, 2022, 4, 1);
        assert_date(w.end, 2025, 3, 31);
        assert_int_equal(w.year, 2025);
        /* 0 means 12 */
        measure_window_year(&w, 2020, 0);
        assert_date(w.start, 2019, 4, 1);
        assert_int_equal(w.months, 12);
}

static void test_window_month(void **state)
{
        (void)state;
        struct measure_window w;
        /* Any day of February 2024 (a leap year) gives the whole month. */
        measure_window_month(&w, D(2024, 2, 10));
        assert_int_equal(w.period, MEASURE_MONTH);
        assert_int_equal(w.months, 1);
        assert_date(w.start, 2024, 2, 1);
        assert_date(w.end, 2024, 2, 29);
        assert_int_equal(w.year, 2024);
        /* March belongs to the year ending that 31 March; April to the next. */
        measure_window_month(&w, D(2025, 3, 31));
        assert_int_equal(w.year, 2025);
        measure_window_month(&w, D(2025, 4, 1));
        assert_date(w.end, 2025, 4, 30);
        assert_int_equal(w.year, 2026);
        assert_true(measure_in_window(&w, D(2025, 4, 1)));
        assert_true(measure_in_window(&w, D(2025, 4, 30)));
        assert_false(measure_in_window(&w, D(2025, 5, 1)));
        assert_false(measure_in_window(&w, D(2025, 3, 31)));
        assert_false(measure_in_window(&w, DATE_NONE));
        assert_false(measure_in_window(&w, DATE_BAD));
}

static void test_window_rolling(void **state)
{
        (void)state;
        struct measure_window w, y;
        /* 28 Feb 2025: March 2024 … February 2025 (not 29 Feb 2024, which would be 366 days). */
        measure_window_rolling(&w, D(2025, 2, 28), 12);
        assert_int_equal(w.period, MEASURE_ROLLING);
        assert_date(w.start, 2024, 3, 1);
        assert_date(w.end, 2025, 2, 28);
        assert_int_equal(w.year, 2025);
        /* A window spanning two collection years: May 2024 … April 2025 is in year 2026. */
        measure_window_rolling(&w, D(2025, 4, 30), 12);
        assert_date(w.start, 2024, 5, 1);
        assert_int_equal(w.year, 2026);
        assert_int_equal(date_collection_year(w.start), 2025);
        /* At 31 March the rolling window is the collection year exactly. */
        measure_window_rolling(&w, D(2025, 3, 31), 12);
        measure_window_year(&y, 2025, 12);
        assert_int_equal(w.start, y.start);
        assert_int_equal(w.end, y.end);
        assert_int_equal(w.year, y.year);
        /* 36 months to 31 March 2025 = the 3-year annual window. */
        measure_window_rolling(&w, D(2025, 3, 31), 36);
        measure_window_year(&y, 2025, 36);
        assert_int_equal(w.start, y.start);
        assert_int_equal(w.months, 36);
}

/* ---------------------------------------------------------------- fake measures */

/*
 * A fake measure counts the days of its window: numerator = days in the
 * window, denominator = 2 × that (so 50 %), unless the window's year is in
 * `no_den_year`.  Each call is recorded.
 */
static int calls;
static int no_den_year;

static int m_days(struct measure_ctx *ctx, const struct measure_window *w,
                  struct measure_value *out)
{
        (void)ctx;
        calls++;
        out->numerator = w->end - w->start + 1;
        out->has_numerator = true;
        if (w->year != no_den_year) {
                out->denominator = 2 * out->numerator;
                out->has_denominator = true;
        }
        return 0;
}

static int m_fixed(struct measure_ctx *ctx, const struct measure_window *w,
                   struct measure_value *out)
{
        (void)ctx;
        (void)w;
        calls++;
        out->numerator = 50;
        out->has_numerator = true;
        out->denominator = 8; /* ignored for rates: the engine sets the population */
        out->has_denominator = true;
        return 0;
}

static int m_zero_den(struct measure_ctx *ctx, const struct measure_window *w,
                      struct measure_value *out)
{
        (void)ctx;
        (void)w;
        out->numerator = 0;
        out->denominator = 0;
        out->has_numerator = out->has_denominator = true;
        return 0;
}

static int m_fail(struct measure_ctx *ctx, const struct measure_window *w,
                  struct measure_value *out)
{
        (void)w;
        (void)out;
        err_set(ctx->err, EXIT_INTERNAL, "boom");
        return -1;
}

static const struct measure_def def_pct = {"fake_pct",
                                           "fake",
                                           MEASURE_OUTCOME_1,
                                           MEASURE_PERCENT,
                                           BENCH_NEUTRAL,
                                           MEASURE_SRC_CIN,
                                           MEASURE_PERIODS_ALL,
                                           12,
                                           0,
                                           {0},
                                           m_days,
                                           NULL,
                                           0};
static const struct measure_def def_rate = {"fake_rate",
                                            "fake",
                                            MEASURE_OUTCOME_1,
                                            MEASURE_RATE_PER_10K,
                                            BENCH_NEUTRAL,
                                            MEASURE_SRC_903,
                                            MEASURE_PERIODS_ALL,
                                            12,
                                            0,
                                            {0},
                                            m_fixed,
                                            NULL,
                                            0};
static const struct measure_def def_count = {"fake_count",
                                             "fake",
                                             MEASURE_CONTEXT,
                                             MEASURE_COUNT,
                                             BENCH_NEUTRAL,
                                             MEASURE_SRC_903,
                                             MEASURE_PERIODS_ALL,
                                             12,
                                             0,
                                             {0},
                                             m_fixed,
                                             NULL,
                                             0};
static const struct measure_def def_annual = {"fake_annual",
                                              "fake",
                                              MEASURE_OUTCOME_4,
                                              MEASURE_PERCENT,
                                              BENCH_NEUTRAL,
                                              MEASURE_SRC_903,
                                              MEASURE_PERIODS_ANNUAL,
                                              12,
                                              0,
                                              {0},
                                              m_fixed,
                                              NULL,
                                              0};
static const struct measure_def def_no_month = {"fake_no_month",
                                                "fake",
                                                MEASURE_OUTCOME_4,
                                                MEASURE_PERCENT,
                                                BENCH_NEUTRAL,
                                                MEASURE_SRC_CIN,
                                                MEASURE_PERIODS_NO_MONTH,
                                                12,
                                                0,
                                                {0},
                                                m_days,
                                                NULL,
                                                0};
static const struct measure_def def_3yr = {"fake_3yr",
                                           "fake",
                                           MEASURE_OUTCOME_4,
                                           MEASURE_DAYS,
                                           BENCH_LOWER_BETTER,
                                           MEASURE_SRC_CIN,
                                           MEASURE_PERIODS_ANNUAL |
                                               MEASURE_PERIOD_BIT(MEASURE_ROLLING),
                                           36,
                                           0,
                                           {0},
                                           m_days,
                                           NULL,
                                           0};
static const struct measure_def def_zero = {"fake_zero",
                                            "fake",
                                            MEASURE_OUTCOME_1,
                                            MEASURE_PERCENT,
                                            BENCH_NEUTRAL,
                                            MEASURE_SRC_CIN,
                                            MEASURE_PERIODS_ALL,
                                            12,
                                            0,
                                            {0},
                                            m_zero_den,
                                            NULL,
                                            0};
static const struct measure_def def_fail = {"fake_fail",
                                            "fake",
                                            MEASURE_OUTCOME_1,
                                            MEASURE_PERCENT,
                                            BENCH_NEUTRAL,
                                            MEASURE_SRC_CIN,
                                            MEASURE_PERIODS_ALL,
                                            12,
                                            0,
                                            {0},
                                            m_fail,
                                            NULL,
                                            0};
static const struct measure_def def_months = {"fake_months",
                                              "fake",
                                              MEASURE_OUTCOME_4,
                                              MEASURE_MONTHS,
                                              BENCH_NEUTRAL,
                                              MEASURE_SRC_CIN,
                                              MEASURE_PERIODS_ALL,
                                              12,
                                              0,
                                              {0},
                                              m_days,
                                              NULL,
                                              1.0 / 30.4375};

/*
 * The engine never dereferences the loads; the measure functions above do
 * not either, so stand-ins mark a year as held.
 */
static char fake_cin, fake_903;
#define FAKE_CIN ((const struct cin_load *)&fake_cin)
#define FAKE_903 ((const struct ssda903_load *)&fake_903)

static void test_history(void **state)
{
        (void)state;
        struct measure_history h;
        measure_history_init(&h, "999");
        /* Added out of order: kept ascending, one entry per year. */
        measure_history_set_cin(&h, 2025, FAKE_CIN);
        measure_history_set_903(&h, 2023, FAKE_903);
        measure_history_set_cin(&h, 2024, FAKE_CIN);
        measure_history_set_population(&h, 2025, 20000);
        measure_history_set_903(&h, 2025, FAKE_903);
        assert_int_equal(h.n, 3);
        assert_int_equal(h.years[0].year, 2023);
        assert_int_equal(h.years[1].year, 2024);
        assert_int_equal(h.years[2].year, 2025);
        assert_ptr_equal(measure_history_cin(&h, 2025), FAKE_CIN);
        assert_ptr_equal(measure_history_903(&h, 2025), FAKE_903);
        assert_null(measure_history_cin(&h, 2023));
        assert_null(measure_history_903(&h, 2024));
        assert_null(measure_history_year(&h, 2022));
        int64_t p = 0;
        assert_int_equal(measure_history_population(&h, 2025, &p), 1);
        assert_int_equal(p, 20000);
        assert_int_equal(measure_history_population(&h, 2024, &p), 0);
        assert_true(measure_history_holds(&h, MEASURE_SRC_CIN, 2024));
        assert_false(measure_history_holds(&h, MEASURE_SRC_903, 2024));
        assert_false(measure_history_holds(&h, MEASURE_SRC_PUBLISHED, 2025));

        /* Rolling to April 2025 (year 2026) touches 2025 and 2026: 2026 is not held. */
        struct measure_window w;
        measure_window_rolling(&w, D(2025, 4, 30), 12);
        assert_false(measure_window_held(&h, MEASURE_SRC_CIN, &w));
        /* Rolling to Feb 2025 touches 2024 and 2025: both CIN censuses held, 903 not. */
        measure_window_rolling(&w, D(2025, 2, 28), 12);
        assert_true(measure_window_held(&h, MEASURE_SRC_CIN, &w));
        assert_false(measure_window_held(&h, MEASURE_SRC_903, &w));
        measure_history_release(&h);
}

/* ---------------------------------------------------------------- values and the population rule
 */

static void test_rate_population_rule(void **state)
{
        (void)state;
        struct measure_history h;
        measure_history_init(&h, "999");
        for (int y = 2023; y <= 2025; y++)
                measure_history_set_903(&h, y, FAKE_903);
        /* Populations for 2023 and 2025 only: 2024 has none and must not borrow one. */
        measure_history_set_population(&h, 2023, 19000);
        measure_history_set_population(&h, 2025, 20000);
        struct measure_ctx ctx;
        measure_ctx_init(&ctx, &h);
        struct err e = {0};
        struct measure_window w;
        struct measure_value v;

        /* 50 / 20,000 × 10,000 = 25.0; the function's denominator (8) is replaced. */
        measure_window_year(&w, 2025, 12);
        assert_int_equal(measure_compute(&ctx, &def_rate, &w, &v, &e), 0);
        assert_true(v.has_value);
        assert_int_equal(v.numerator, 50);
        assert_int_equal(v.denominator, 20000);
        assert_double_equal(v.value, 25.0, 1e-12);
        assert_false(v.small_base);

        /* 2024: numerator kept, no denominator, no value, the note names mid-2023. */
        measure_window_year(&w, 2024, 12);
        assert_int_equal(measure_compute(&ctx, &def_rate, &w, &v, &e), 0);
        assert_true(v.has_numerator);
        assert_int_equal(v.numerator, 50);
        assert_false(v.has_denominator);
        assert_false(v.has_value);
        assert_non_null(v.note);
        assert_string_equal(v.note, "no population for mid-2023");

        /* A month of 2024 (May 2023) also uses 2024's population: none. */
        measure_window_month(&w, D(2023, 5, 31));
        assert_int_equal(w.year, 2024);
        assert_int_equal(measure_compute(&ctx, &def_rate, &w, &v, &e), 0);
        assert_false(v.has_value);
        /* March 2023 is in year 2023: 50 / 19,000 × 10,000. */
        measure_window_month(&w, D(2023, 3, 1));
        assert_int_equal(measure_compute(&ctx, &def_rate, &w, &v, &e), 0);
        assert_true(v.has_value);
        assert_double_equal(v.value, 500000.0 / 19000.0, 1e-9);

        /* Counts: the value is the numerator, whatever the population. */
        measure_window_year(&w, 2024, 12);
        assert_int_equal(measure_compute(&ctx, &def_count, &w, &v, &e), 0);
        assert_true(v.has_value);
        assert_double_equal(v.value, 50.0, 0);

        /* Percent with a denominator below 10: value 625 % (50/8) and flagged small base. */
        measure_window_year(&w, 2024, 12);
        assert_int_equal(measure_compute(&ctx, &def_annual, &w, &v, &e), 0);
        assert_double_equal(v.value, 625.0, 1e-12);
        assert_true(v.small_base);
        measure_ctx_release(&ctx);
        measure_history_release(&h);
}

static void test_values(void **state)
{
        (void)state;
        struct measure_history h;
        measure_history_init(&h, "999");
        measure_history_set_cin(&h, 2024, FAKE_CIN);
        measure_history_set_cin(&h, 2025, FAKE_CIN);
        measure_history_set_903(&h, 2025, FAKE_903);
        struct measure_ctx ctx;
        measure_ctx_init(&ctx, &h);
        struct err e = {0};
        struct measure_window w;
        struct measure_value v;

        /* Year 2025 has 365 days: 365 / 730 = 50 %. */
        measure_window_year(&w, 2025, 12);
        assert_int_equal(measure_compute(&ctx, &def_pct, &w, &v, &e), 0);
        assert_int_equal(v.numerator, 365);
        assert_int_equal(v.denominator, 730);
        assert_double_equal(v.value, 50.0, 1e-12);
        assert_null(v.note);

        /* No denominator from the function: no value, and no note invented. */
        no_den_year = 2025;
        assert_int_equal(measure_compute(&ctx, &def_pct, &w, &v, &e), 0);
        assert_false(v.has_value);
        no_den_year = 0;

        /* A zero denominator is "no value", never 0. */
        assert_int_equal(measure_compute(&ctx, &def_zero, &w, &v, &e), 0);
        assert_false(v.has_value);
        assert_non_null(v.note);

        /* Months: 365 days / 730 × (1/30.4375). */
        assert_int_equal(measure_compute(&ctx, &def_months, &w, &v, &e), 0);
        assert_double_equal(v.value, 0.5 / 30.4375, 1e-12);

        /* A period the measure does not have: empty with a note, function not called. */
        calls = 0;
        measure_window_month(&w, D(2025, 1, 31));
        assert_int_equal(measure_compute(&ctx, &def_no_month, &w, &v, &e), 0);
        assert_int_equal(calls, 0);
        assert_false(v.has_value);
        assert_string_equal(v.note, "no month value for this measure");

        /* A year whose return is not held: empty with a note naming it. */
        measure_window_year(&w, 2023, 12);
        assert_int_equal(measure_compute(&ctx, &def_pct, &w, &v, &e), 0);
        assert_int_equal(calls, 0);
        assert_false(v.has_value);
        assert_string_equal(v.note, "not available: no CIN census held for 2023");

        /* 3-year measure with 2024 and 2025 held: 2023 is missing. */
        measure_window_year(&w, 2025, 36);
        assert_int_equal(measure_compute(&ctx, &def_3yr, &w, &v, &e), 0);
        assert_false(v.has_value);
        assert_string_equal(v.note, "not available: no CIN census held for 2023");

        /* A failing function: -1 and its error. */
        measure_window_year(&w, 2025, 12);
        assert_int_equal(measure_compute(&ctx, &def_fail, &w, &v, &e), -1);
        assert_int_equal(e.code, EXIT_INTERNAL);
        assert_string_equal(e.msg, "boom");

        /* Published-only catalogue rows have no function. */
        const struct measure_def *wf = measure_find("sw_turnover_rate_pct");
        assert_non_null(wf);
        assert_null(wf->compute);
        assert_int_equal(measure_compute(&ctx, wf, &w, &v, &e), 0);
        assert_false(v.has_value);
        assert_string_equal(v.note, "published figures only");

        measure_ctx_release(&ctx);
        measure_history_release(&h);
}

/* ---------------------------------------------------------------- every period */

struct seen {
        int year, month, rolling;
        double annual_value[2100 - 2000];
        int rolling_march_checked;
        int other;
};

static int record(void *arg, const struct measure_def *m, const struct measure_window *w,
                  const struct measure_value *v)
{
        struct seen *s = arg;
        if (strcmp(m->id, def_pct.id) != 0) {
                s->other++;
                return 0;
        }
        switch (w->period) {
        case MEASURE_YEAR:
                s->year++;
                s->annual_value[w->year - 2000] = v->value;
                break;
        case MEASURE_MONTH:
                s->month++;
                break;
        case MEASURE_ROLLING: {
                s->rolling++;
                int y, mo, d;
                date_to_ymd(w->end, &y, &mo, &d);
                if (mo == 3) {
                        /* emitted after the year's annual value: exactly equal */
                        assert_true(v->value == s->annual_value[w->year - 2000]);
                        s->rolling_march_checked++;
                }
                break;
        }
        }
        return 0;
}

static int stop_at_three(void *arg, const struct measure_def *m, const struct measure_window *w,
                         const struct measure_value *v)
{
        (void)m;
        (void)w;
        (void)v;
        int *n = arg;
        return ++*n == 3 ? 7 : 0;
}

static void test_compute_all(void **state)
{
        (void)state;
        struct measure_history h;
        measure_history_init(&h, "999");
        measure_history_set_cin(&h, 2024, FAKE_CIN);
        measure_history_set_cin(&h, 2025, FAKE_CIN);
        measure_history_set_903(&h, 2025, FAKE_903); /* no CIN-measure periods from this */
        struct measure_ctx ctx;
        measure_ctx_init(&ctx, &h);
        struct err e = {0};

        /*
         * Two CIN years: 2 annual values, 24 months; rolling points need their
         * whole window: in 2024 only 31 March 2024 (April 2023 … March 2024),
         * the eleven before it reach into 2023; in 2025 all twelve.  13.
         */
        const struct measure_def *only[] = {&def_pct, NULL};
        struct seen s;
        memset(&s, 0, sizeof s);
        assert_int_equal(measure_compute_all(&ctx, only, MEASURE_PERIODS_ALL, record, &s, &e), 0);
        assert_int_equal(s.year, 2);
        assert_int_equal(s.month, 24);
        assert_int_equal(s.rolling, 13);
        assert_int_equal(s.rolling_march_checked, 2);
        assert_int_equal(s.other, 0);

        /* Only the monthly series. */
        memset(&s, 0, sizeof s);
        assert_int_equal(
            measure_compute_all(&ctx, only, MEASURE_PERIOD_BIT(MEASURE_MONTH), record, &s, &e), 0);
        assert_int_equal(s.year + s.rolling, 0);
        assert_int_equal(s.month, 24);

        /* A measure with no monthly value gets none even when asked for. */
        const struct measure_def *nm[] = {&def_no_month, NULL};
        int n = 0;
        calls = 0;
        assert_int_equal(
            measure_compute_all(&ctx, nm, MEASURE_PERIOD_BIT(MEASURE_MONTH), stop_at_three, &n, &e),
            0);
        assert_int_equal(n, 0);
        assert_int_equal(calls, 0);

        /* The emitter's non-zero return stops the walk and is returned. */
        n = 0;
        assert_int_equal(
            measure_compute_all(&ctx, only, MEASURE_PERIODS_ALL, stop_at_three, &n, &e), 7);
        assert_int_equal(n, 3);
        measure_ctx_release(&ctx);
        measure_history_release(&h);
}

/* ---------------------------------------------------------------- the catalogue */

static void test_catalogue(void **state)
{
        (void)state;
        size_t n = measure_count();
        assert_true(n >= 15);
        for (size_t i = 0; i < n; i++) {
                const struct measure_def *m = measure_at(i);
                assert_non_null(m);
                assert_non_null(m->title);
                /* ids are unique and found */
                assert_ptr_equal(measure_find(m->id), m);
                assert_true(m->periods & MEASURE_PERIOD_BIT(MEASURE_YEAR));
                if (m->source == MEASURE_SRC_PUBLISHED)
                        assert_int_equal(m->periods, MEASURE_PERIODS_ANNUAL);
        }
        assert_null(measure_at(n));
        assert_null(measure_find("no_such_measure"));
        assert_null(measure_find(NULL));
        const struct measure_def *m = measure_find("rereferrals_12m_pct");
        assert_non_null(m);
        assert_string_equal(measure_unit_name(m->unit), "percent");
        assert_string_equal(measure_polarity_name(m->polarity), "lower_better");
        assert_string_equal(measure_source_name(m->source), "cin");
        assert_string_equal(m->bench.column, "rereferral_percent");
        m = measure_find("cin_rate_per_10k");
        assert_int_equal(m->bench.kind, MEASURE_BENCH_DERIVE_RATE);
        assert_string_equal(measure_unit_name(m->unit), "rate_per_10k");
        assert_double_equal(measure_scale(m), 10000.0, 0);
        assert_string_equal(measure_polarity_name(m->polarity), "neutral");
        m = measure_find("population_0_17");
        assert_string_equal(measure_unit_name(m->unit), "count");
        assert_string_equal(measure_unit_name(MEASURE_DAYS), "days");
        assert_string_equal(measure_unit_name(MEASURE_MONTHS), "months");
        assert_string_equal(measure_unit_name(MEASURE_AVERAGE), "average");
        assert_string_equal(measure_polarity_name(BENCH_HIGHER_BETTER), "higher_better");
        assert_string_equal(measure_period_name(MEASURE_ROLLING), "rolling");
}

/* ---------------------------------------------------------------- §0 helpers */

static void test_intervals_and_codes(void **state)
{
        (void)state;
        date_t a = D(2024, 5, 1), b = D(2024, 6, 1);
        assert_true(measure_open_on(a, b, a)); /* starts that day */
        assert_true(measure_open_on(a, b, b - 1));
        assert_false(measure_open_on(a, b, b)); /* ends that day: not open */
        assert_false(measure_open_on(a, b, a - 1));
        assert_true(measure_open_on(a, DATE_NONE, D(2030, 1, 1)));
        assert_false(measure_open_on(DATE_NONE, DATE_NONE, a));
        assert_false(measure_open_on(DATE_BAD, DATE_NONE, a));
        assert_true(measure_overlaps(a, b, b, D(2025, 1, 1))); /* ends on the first day */
        assert_false(measure_overlaps(a, b, b + 1, D(2025, 1, 1)));
        assert_true(measure_overlaps(a, DATE_NONE, D(2023, 1, 1), a)); /* starts on the last */
        assert_false(measure_overlaps(a, DATE_NONE, D(2023, 1, 1), a - 1));

        assert_true(measure_ls_short_break("V3"));
        assert_true(measure_ls_short_break("V4"));
        assert_false(measure_ls_short_break("V2"));
        assert_false(measure_ls_short_break("V34"));
        assert_false(measure_ls_short_break(NULL));
        assert_true(measure_place_temporary("T0"));
        assert_true(measure_place_temporary("T4"));
        assert_false(measure_place_temporary("T5"));
        assert_false(measure_place_temporary("U1"));
        assert_true(measure_rne_new_placement("S"));
        assert_true(measure_rne_new_placement("P"));
        assert_true(measure_rne_new_placement("B"));
        assert_false(measure_rne_new_placement("T"));
        assert_false(measure_rne_new_placement("SP"));
        assert_false(measure_rne_new_placement(NULL));

        /* 29 February less 12 months is 28 February; 31 March less 24 months is 31 March. */
        assert_date(measure_months_before(D(2024, 2, 29), 12), 2023, 2, 28);
        assert_date(measure_months_before(D(2025, 3, 31), 24), 2023, 3, 31);
        assert_date(measure_months_before(D(2022, 2, 28), -24), 2024, 2, 28);

        /* Ages: completed years, and the OC3 age reached in the year. */
        assert_int_equal(measure_age_on(D(2010, 3, 31), D(2025, 3, 31)), 15);
        assert_int_equal(measure_age_on(D(2010, 4, 1), D(2025, 3, 31)), 14);
        assert_int_equal(measure_age_on(DATE_NONE, D(2025, 3, 31)), -1);
        assert_int_equal(measure_age_on(D(2026, 1, 1), D(2025, 3, 31)), -1);
        /* Born 10 Feb 2008: 17 on 10 Feb 2025 (in year 2025).  Born 10 June 2008: the
         * birthday in year 2025 is 10 June 2024, age 16. */
        assert_int_equal(measure_age_oc3(D(2008, 2, 10), 2025), 17);
        assert_int_equal(measure_age_oc3(D(2008, 6, 10), 2025), 16);
        assert_int_equal(measure_age_oc3(D(2008, 3, 31), 2025), 17);
        assert_int_equal(measure_age_oc3(D(2008, 4, 1), 2025), 16);
        assert_int_equal(measure_age_oc3(DATE_BAD, 2025), -1);
}

static int dq_seen;
static char dq_text[512];

static void on_dq(void *arg, const struct measure_def *m, const struct measure_window *w,
                  const char *child, const char *text)
{
        (void)arg;
        (void)m;
        (void)w;
        (void)child;
        dq_seen++;
        snprintf(dq_text, sizeof dq_text, "%s", text);
}

static void test_working_days(void **state)
{
        (void)state;
        struct measure_history h;
        measure_history_init(&h, NULL);
        struct measure_ctx ctx;
        measure_ctx_init(&ctx, &h);
        ctx.on_dq = on_dq;
        struct measure_value v;
        memset(&v, 0, sizeof v);
        int days = -1;
        dq_seen = 0;
        /* Thu 17 Apr 2025 → Tue 22 Apr 2025: Fri 18 (Good Friday) and Mon 21 (Easter Monday)
         * are bank holidays, Sat/Sun are not working days: only Tue 22.  1. */
        assert_int_equal(measure_working_days(&ctx, &v, "A", D(2025, 4, 17), D(2025, 4, 22), &days),
                         MEASURE_WD_OK);
        assert_int_equal(days, 1);
        /* Same day: 0. */
        assert_int_equal(measure_working_days(&ctx, &v, "A", D(2025, 4, 17), D(2025, 4, 17), &days),
                         MEASURE_WD_OK);
        assert_int_equal(days, 0);
        assert_int_equal(dq_seen, 0);
        /* e < s: excluded, DQ. */
        assert_int_equal(measure_working_days(&ctx, &v, "A", D(2025, 4, 17), D(2025, 4, 16), &days),
                         MEASURE_WD_NEGATIVE);
        assert_int_equal(dq_seen, 1);
        assert_int_equal(v.dq_warnings, 1);
        /* Outside the table (2028), even on the same day: excluded, DQ, never a guess. */
        assert_int_equal(
            measure_working_days(&ctx, &v, "A", D(2027, 12, 20), D(2028, 1, 10), &days),
            MEASURE_WD_OUT_OF_TABLE);
        assert_int_equal(dq_seen, 2);
        assert_non_null(strstr(dq_text, "bank-holiday table out of range"));
        assert_int_equal(measure_working_days(&ctx, &v, "A", D(2011, 5, 3), D(2011, 5, 3), &days),
                         MEASURE_WD_OUT_OF_TABLE);
        assert_int_equal(v.dq_warnings, 3);
        /* A blank date: excluded without a DQ here (the caller says why). */
        assert_int_equal(measure_working_days(&ctx, &v, "A", DATE_NONE, D(2025, 1, 6), &days),
                         MEASURE_WD_UNKNOWN);
        assert_int_equal(v.dq_warnings, 3);
        /* v NULL: nothing counted, nothing reported. */
        assert_int_equal(
            measure_working_days(&ctx, NULL, "A", D(2025, 4, 17), D(2025, 4, 16), &days),
            MEASURE_WD_NEGATIVE);
        assert_int_equal(dq_seen, 3);
        /* 31 Dec 2011 → 3 Jan 2012: only days in 2012 are looked at (2 Jan is a bank
         * holiday, 3 Jan a Tuesday): 1, as date_working_days says. */
        assert_int_equal(measure_working_days(&ctx, &v, "A", D(2011, 12, 31), D(2012, 1, 3), &days),
                         MEASURE_WD_OK);
        assert_int_equal(days, 1);

        /* The look-up table agrees with date_working_days everywhere in the table: every
         * start in 2012–2027 (step 3 days) with spans 0–400 days (step 7). */
        int checked = 0;
        for (date_t s = D(2012, 1, 1); s <= D(2027, 12, 31); s += 3) {
                for (int span = 0; span <= 400; span += 7) {
                        date_t e = s + span;
                        if (e > D(2027, 12, 31))
                                break;
                        int want = -1;
                        struct err err = {0};
                        assert_int_equal(date_working_days(s, e, &want, &err), 0);
                        assert_int_equal(measure_working_days(&ctx, NULL, "A", s, e, &days),
                                         MEASURE_WD_OK);
                        if (days != want)
                                fail_msg("working days %d, date_working_days %d", days, want);
                        checked++;
                }
        }
        assert_true(checked > 100000);
        measure_ctx_release(&ctx);
        measure_history_release(&h);
}

static void test_notes_and_caches(void **state)
{
        (void)state;
        struct measure_history h;
        measure_history_init(&h, NULL);
        struct measure_ctx ctx;
        measure_ctx_init(&ctx, &h);
        struct measure_value v;
        memset(&v, 0, sizeof v);
        measure_note(&ctx, &v, "first %d", 1);
        measure_note(&ctx, &v, "second");
        measure_note(&ctx, &v, "first 1"); /* the same caveat once */
        assert_string_equal(v.note, "first 1; second");
        static const char k1, k2;
        assert_null(measure_cache_get(&ctx, &k1));
        int a = 1, b = 2;
        measure_cache_put(&ctx, &k1, &a, NULL);
        measure_cache_put(&ctx, &k2, &b, NULL);
        assert_ptr_equal(measure_cache_get(&ctx, &k1), &a);
        assert_ptr_equal(measure_cache_get(&ctx, &k2), &b);
        measure_cache_put(&ctx, &k1, &b, NULL);
        assert_ptr_equal(measure_cache_get(&ctx, &k1), &b);
        /* A heap cache is freed by its release callback (ASan would report a leak). */
        static const char k3;
        measure_cache_put(&ctx, &k3, malloc(100), free);
        measure_ctx_release(&ctx);
        measure_history_release(&h);
}

/* ---------------------------------------------------------------- SSDA903 history */

#define EP_HEAD                                                                                    \
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"       \
        "PL_POST,URN\n"

static struct ssda903_load *load903(int year, const char *episodes, const char *header,
                                    const char *uasc)
{
        struct err e = {0};
        struct ssda903_load *ld = ssda903_new();
        assert_int_equal(ssda903_add_mem(ld, "episodes.csv", episodes, strlen(episodes), 0, &e), 0);
        if (header)
                assert_int_equal(ssda903_add_mem(ld, "header.csv", header, strlen(header), 0, &e),
                                 0);
        if (uasc)
                assert_int_equal(ssda903_add_mem(ld, "uasc.csv", uasc, strlen(uasc), 0, &e), 0);
        struct ssda903_options o = {.collection_year = year};
        assert_int_equal(ssda903_finish(ld, &o, &e), 0);
        return ld;
}

/*
 * Child A across three returns:
 *   2023 return: E1 01/05/2021–01/01/2022 X1 (RNE S, U1)
 *                E2 01/01/2022–15/03/2023 X1 (an old version the later return replaces)
 *   2024 return: E2 01/01/2022–01/06/2023 X1 (RNE P, U4) — wins over the 2023 version
 *                E3 01/06/2023, open in this return (DEC blank)
 *   2025 return: E3 01/06/2023–01/05/2024 X1 (re-sent, now closed; RNE L, same carer)
 *                E4 01/05/2024 open, RNE T (placement change, same carer)
 * As of 2025: the earliest 2025 episode is E3 (01/06/2023), so only E1 and E2 are
 * prepended, E2 from 2024 (later return wins on CHILD+DECOM), and 2024's open E3 is not
 * carried forward (2025's own E3 is used).  History: E1(2023) E2(2024) E3(2025) E4(2025).
 * Period of care: E1→E2→E3→E4 are contiguous (X1 and DEC = next DECOM): starts at E1.
 * Placement of E4: E4 is T (same carer), E3 is L (same carer), E2 is P (new carer): E2.
 */
static const char eps2023[] = EP_HEAD "A,01/05/2021,S,C2,N1,U1,PR1,01/01/2022,X1,,,,\n"
                                      "A,01/01/2022,P,C2,N1,U4,PR1,15/03/2023,X1,,,,\n";
static const char eps2024[] = EP_HEAD "A,01/01/2022,P,C2,N1,U4,PR1,01/06/2023,X1,,,,\n"
                                      "A,01/06/2023,L,C2,N1,U4,PR1,,,,,,\n";
static const char eps2025[] = EP_HEAD "A,01/06/2023,L,C2,N1,U4,PR1,01/05/2024,X1,,,,\n"
                                      "A,01/05/2024,T,E1,N1,A4,PR1,,,,,,\n"
                                      "B,10/10/2024,S,V3,N1,U1,PR1,,,,,,\n"
                                      "B,10/11/2024,S,C2,N1,U1,PR1,,,,,,\n";

static void test_episode_history(void **state)
{
        (void)state;
        struct ssda903_load *l23 = load903(2023, eps2023, NULL, NULL);
        struct ssda903_load *l24 = load903(2024, eps2024, NULL, NULL);
        struct ssda903_load *l25 = load903(2025, eps2025, NULL, NULL);
        struct measure_history h;
        measure_history_init(&h, "999");
        measure_history_set_903(&h, 2025, l25);
        measure_history_set_903(&h, 2023, l23);
        measure_history_set_903(&h, 2024, l24);
        struct measure_eps e;
        measure_eps_init(&e);

        assert_int_equal(measure_903_episodes(&h, 2025, "A", &e), 4);
        assert_int_equal(e.first_current, 2);
        assert_date(e.ep[0]->d[EP_DECOM], 2021, 5, 1);
        assert_int_equal(e.year[0], 2023);
        assert_date(e.ep[1]->d[EP_DECOM], 2022, 1, 1);
        assert_int_equal(e.year[1], 2024);
        assert_date(e.ep[1]->d[EP_DEC], 2023, 6, 1); /* the 2024 version, not 15/03/2023 */
        assert_date(e.ep[2]->d[EP_DECOM], 2023, 6, 1);
        assert_int_equal(e.year[2], 2025);
        assert_date(e.ep[2]->d[EP_DEC], 2024, 5, 1); /* closed: 2025's own copy */
        assert_int_equal(e.year[3], 2025);

        assert_int_equal(measure_poc_start(&e, 3), 0);
        assert_int_equal(measure_placement_start(&e, 3), 1);
        assert_int_equal(measure_placement_start(&e, 1), 1);
        assert_int_equal(measure_placement_start(&e, 0), 0);

        /* Open on 31 March 2025: E4 only.  On 1 May 2024 E3 has ended (DEC that day): E4. */
        bool several = true;
        assert_int_equal(measure_eps_open_on(&e, e.first_current, e.n, D(2025, 3, 31), &several),
                         3);
        assert_false(several);
        assert_int_equal(measure_eps_open_on(&e, 0, e.n, D(2024, 5, 1), NULL), 3);
        assert_int_equal(measure_eps_open_on(&e, 0, e.n, D(2024, 4, 30), NULL), 2);
        assert_int_equal(measure_eps_open_on(&e, 0, e.n, D(2021, 4, 30), NULL), -1);

        /* As of 2024: E1 from 2023 prepended (before 2024's earliest, 01/01/2022); the 2023
         * version of E2 is not (same DECOM as 2024's). */
        assert_int_equal(measure_903_episodes(&h, 2024, "A", &e), 3);
        assert_int_equal(e.first_current, 1);
        assert_int_equal(e.year[0], 2023);
        assert_date(e.ep[1]->d[EP_DEC], 2023, 6, 1);

        /* B: two episodes open on 31 March 2025 (a data error): the later DECOM, flagged. */
        assert_int_equal(measure_903_episodes(&h, 2025, "B", &e), 2);
        assert_int_equal(e.first_current, 0);
        assert_int_equal(measure_eps_open_on(&e, 0, e.n, D(2025, 3, 31), &several), 1);
        assert_true(several);
        assert_true(measure_ep_short_break(e.ep[0]));
        assert_false(measure_ep_short_break(e.ep[1]));
        assert_false(measure_ep_contiguous(e.ep[0], e.ep[1]));

        /* A child absent from the year's return has no history, even if earlier returns
         * hold it; a year not held gives none. */
        assert_int_equal(measure_903_episodes(&h, 2025, "Z", &e), 0);
        assert_int_equal(measure_903_episodes(&h, 2026, "A", &e), 0);
        assert_int_equal(measure_903_episodes(&h, 2025, NULL, &e), 0);

        measure_eps_release(&e);
        measure_history_release(&h);
        ssda903_free(l23);
        ssda903_free(l24);
        ssda903_free(l25);
}

static void test_uasc_and_dob(void **state)
{
        (void)state;
        static const char eps[] = EP_HEAD "U1,01/05/2024,S,V2,N1,U1,PR1,,,,,,\n"
                                          "U2,01/05/2024,S,V2,N1,U1,PR1,,,,,,\n"
                                          "U3,01/05/2024,S,V2,N1,U1,PR1,,,,,,\n";
        static const char hd[] = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
                                 "U1,1,15/07/2008,WBRI,UN1,,\n"
                                 "U2,1,29/02/2008,WBRI,UN1,,\n";
        /* U1: UASC status ceased 01/01/2025.  U2: still UASC (blank DUC). */
        static const char ua[] = "CHILD,SEX,DOB,DUC\n"
                                 "U1,1,15/07/2008,01/01/2025\n"
                                 "U2,1,29/02/2008,\n";
        struct ssda903_load *ld = load903(2025, eps, hd, ua);
        long k1 = ssda903_child_find(ld, "U1"), k2 = ssda903_child_find(ld, "U2"),
             k3 = ssda903_child_find(ld, "U3");
        assert_true(k1 >= 0 && k2 >= 0 && k3 >= 0);
        assert_true(measure_903_uasc_on(ld, (uint32_t)k1, D(2024, 12, 31)));
        assert_false(measure_903_uasc_on(ld, (uint32_t)k1, D(2025, 1, 1))); /* DUC not later */
        assert_true(measure_903_uasc_on(ld, (uint32_t)k2, D(2025, 3, 31)));
        assert_false(measure_903_uasc_on(ld, (uint32_t)k3, D(2025, 3, 31)));
        assert_false(measure_903_uasc_on(ld, 999, D(2025, 3, 31)));
        assert_date(measure_903_dob(ld, (uint32_t)k1, NULL, -1), 2008, 7, 15);
        /* No Header row: none, unless the OC2/OC3 row gives one. */
        assert_int_equal(measure_903_dob(ld, (uint32_t)k3, NULL, -1), DATE_NONE);
        /* Born 29 Feb 2008: in 2025 (no 29 February) the birthday is reached on 1 March,
         * so 16 on 28 Feb 2025 and 17 on 1 March 2025. */
        date_t dob = measure_903_dob(ld, (uint32_t)k2, NULL, -1);
        assert_int_equal(measure_age_on(dob, D(2025, 2, 28)), 16);
        assert_int_equal(measure_age_on(dob, D(2025, 3, 1)), 17);
        ssda903_free(ld);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_window_year),          cmocka_unit_test(test_window_month),
            cmocka_unit_test(test_window_rolling),       cmocka_unit_test(test_history),
            cmocka_unit_test(test_rate_population_rule), cmocka_unit_test(test_values),
            cmocka_unit_test(test_compute_all),          cmocka_unit_test(test_catalogue),
            cmocka_unit_test(test_intervals_and_codes),  cmocka_unit_test(test_working_days),
            cmocka_unit_test(test_notes_and_caches),     cmocka_unit_test(test_episode_history),
            cmocka_unit_test(test_uasc_and_dob),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
