/*
 * test_its.c — interrupted time series (src/stats/its.c) against statistics.md §3.
 *
 * E3.1 is written out as literal numbers so a clone without ../shared checks
 * real values; E3.2 reads ../shared/data/stats/sicily.csv and skips with a
 * message when it is absent.  The Newey–West standard error of the mean
 * effect is checked against an oracle written here from §3.2's double sum
 * with plain loops and Gauss–Jordan inversion, independent of the QR and
 * matrix-product route the module takes.
 */
#include "test.h"

#include "core/csv.h"
#include "core/err.h"
#include "stats/its.h"

#include <math.h>

#define SICILY SHARED_DATA "/stats/sicily.csv"

static const double e31[] = {10, 11, 13, 12, 14, 15, 12, 13, 12, 14, 13, 15};

static void near(double got, double want, double tol, const char *what)
{
        if (!(fabs(got - want) <= tol))
                fail_msg("%s: got %.10g, want %.10g (tolerance %g)", what, got, want, tol);
}

/*
 * 1e-6 relative as §3.3 states, but never tighter than half a unit in the last
 * printed place (b3 = 0.127220 is printed to 6 decimals, so ±5e-7).
 */
static void near_rel(double got, double want, double rel, const char *what)
{
        near(got, want, fmax(rel * fabs(want), 5e-7), what);
}

static void fit_ok(const double *y, size_t n, size_t n_pre, const struct its_options *o,
                   struct its_fit *f)
{
        struct err e = {0};
        if (its_fit(y, n, n_pre, o, f, &e) != 0)
                fail_msg("its_fit failed: %s", e.msg);
}

/* ---------------------------------------------------------------- E3.1 */

static void e31_coefficients(void **state)
{
        (void)state;
        struct its_options o;
        its_options_init(&o);
        o.lag = 1;
        o.small_sample = 0;
        struct its_fit f;
        fit_ok(e31, 12, 6, &o, &f);
        const double b[] = {9.2, 0.942857143, -3.390476190, -0.457142857};
        const double ols[] = {0.709572, 0.182201, 0.898777, 0.257671};
        const double nw[] = {0.249647, 0.056072, 0.379493, 0.108445};
        assert_int_equal(f.k, 4);
        assert_int_equal(f.df, 8);
        assert_int_equal(f.lag, 1);
        for (int i = 0; i < 4; i++) {
                near(f.b[i], b[i], 1e-6, "b");
                near(f.se_ols[i], ols[i], 1e-6, "OLS SE");
                near(f.se_nw[i], nw[i], 1e-6, "NW SE without factor");
        }
        its_fit_release(&f);

        o.small_sample = 1;
        fit_ok(e31, 12, 6, &o, &f);
        const double nwf[] = {0.305754, 0.068673, 0.464782, 0.132817};
        for (int i = 0; i < 4; i++)
                near(f.se_nw[i], nwf[i], 1e-6, "NW SE with factor");
        /* t(0.975, 8) = 2.306004135 (tables); the interval is b ± t·SE_NW. */
        near(f.tcrit, 2.306004135, 1e-8, "t quantile");
        near(f.ci_low[2], -3.390476190 - 2.306004135 * 0.464782, 2e-6, "ci low b2");
        near(f.ci_high[2], -3.390476190 + 2.306004135 * 0.464782, 2e-6, "ci high b2");
        /* Mean post-period effect b2 + b3·(6+1)/2 = -3.390476190 - 1.6. */
        near(f.effect, -4.990476190, 1e-8, "mean effect");
        /* Counterfactual b0 + b1·t; effect at t is b2 + b3·(t - 6). */
        near(f.counterfactual[0], 9.2 + 0.942857143, 1e-8, "counterfactual t=1");
        near(f.counterfactual[11], 9.2 + 12 * 0.942857143, 1e-7, "counterfactual t=12");
        assert_true(isnan(f.effect_t[5]));
        near(f.effect_t[6], -3.390476190 - 0.457142857, 1e-8, "effect t=7");
        near(f.effect_t[11], -3.390476190 - 6 * 0.457142857, 1e-7, "effect t=12");
        double mean = 0;
        for (int t = 6; t < 12; t++) {
                near(f.fitted[t] - f.counterfactual[t], f.effect_t[t], 1e-12, "fitted - cf");
                mean += f.effect_t[t] / 6;
        }
        near(mean, f.effect, 1e-12, "mean of per-period effects");
        assert_int_equal(f.poor_fit, 0);
        its_fit_release(&f);
}

static void default_lag(void **state)
{
        (void)state;
        assert_int_equal(its_default_lag(59), 3);
        assert_int_equal(its_default_lag(24), 2);
        assert_int_equal(its_default_lag(120), 4);
        assert_int_equal(its_default_lag(12), 2);
        assert_int_equal(its_default_lag(100), 4);
        assert_int_equal(its_default_lag(6), 2);
        struct its_options o;
        its_options_init(&o);
        struct its_fit f;
        fit_ok(e31, 12, 6, &o, &f);
        assert_int_equal(f.lag, 2);
        its_fit_release(&f);
}

/* ---------------------------------------------------------------- NW oracle */

static void invert4(double a[4][4], double inv[4][4])
{
        double m[4][8];
        for (int i = 0; i < 4; i++)
                for (int j = 0; j < 8; j++)
                        m[i][j] = j < 4 ? a[i][j] : (j - 4 == i);
        for (int c = 0; c < 4; c++) {
                int p = c;
                for (int r = c + 1; r < 4; r++)
                        if (fabs(m[r][c]) > fabs(m[p][c]))
                                p = r;
                for (int j = 0; j < 8; j++) {
                        double t = m[c][j];
                        m[c][j] = m[p][j];
                        m[p][j] = t;
                }
                double pv = m[c][c];
                for (int j = 0; j < 8; j++)
                        m[c][j] /= pv;
                for (int r = 0; r < 4; r++) {
                        if (r == c)
                                continue;
                        double k = m[r][c];
                        for (int j = 0; j < 8; j++)
                                m[r][j] -= k * m[c][j];
                }
        }
        for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++)
                        inv[i][j] = m[i][j + 4];
}

/* §3.2 literally: SE of c'b under V_NW (with factor), given the fitted b. */
static double oracle_nw_se(const double *y, int n, int n_pre, int lag, const double *b,
                           const double *c)
{
        double x[200][4] = {{0}}, e[200] = {0}, xtx[4][4] = {{0}}, s[4][4] = {{0}}, xi[4][4];
        for (int t = 0; t < n; t++) {
                int post = t >= n_pre;
                x[t][0] = 1;
                x[t][1] = t + 1;
                x[t][2] = post;
                x[t][3] = post ? t + 1 - n_pre : 0;
                e[t] = y[t];
                for (int j = 0; j < 4; j++)
                        e[t] -= b[j] * x[t][j];
                for (int i = 0; i < 4; i++)
                        for (int j = 0; j < 4; j++) {
                                xtx[i][j] += x[t][i] * x[t][j];
                                s[i][j] += e[t] * e[t] * x[t][i] * x[t][j];
                        }
        }
        for (int l = 1; l <= lag; l++) {
                double w = 1.0 - (double)l / (lag + 1);
                for (int t = l; t < n; t++)
                        for (int i = 0; i < 4; i++)
                                for (int j = 0; j < 4; j++)
                                        s[i][j] += w * e[t] * e[t - l] *
                                                   (x[t][i] * x[t - l][j] + x[t - l][i] * x[t][j]);
        }
        invert4(xtx, xi);
        double v = 0;
        for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++) {
                        double vij = 0;
                        for (int p = 0; p < 4; p++)
                                for (int q = 0; q < 4; q++)
                                        vij += xi[i][p] * s[p][q] * xi[q][j];
                        v += c[i] * vij * c[j];
                }
        return sqrt(v * n / (n - 4));
}

static void effect_interval_matches_oracle(void **state)
{
        (void)state;
        struct its_options o;
        its_options_init(&o);
        struct its_fit f;
        fit_ok(e31, 12, 6, &o, &f);
        double c[4] = {0, 0, 1, 3.5};
        double want = oracle_nw_se(e31, 12, 6, f.lag, f.b, c);
        near(f.effect_se, want, 1e-9 * want, "NW SE of mean effect");
        near(f.effect_low, f.effect - f.tcrit * want, 1e-9, "effect low");
        near(f.effect_high, f.effect + f.tcrit * want, 1e-9, "effect high");
        /* Per-period interval at t = 9 (third post period): c = (0, 0, 1, 3). */
        double c9[4] = {0, 0, 1, 3};
        double se9 = oracle_nw_se(e31, 12, 6, f.lag, f.b, c9);
        near(f.effect_high_t[8] - f.effect_t[8], f.tcrit * se9, 1e-9, "per-period half width");
        assert_true(f.effect_p > 0 && f.effect_p < 1);
        its_fit_release(&f);
}

/* ---------------------------------------------------------------- E3.2 Sicily */

static size_t read_sicily(double *y, size_t cap)
{
        struct err e = {0};
        struct csv_reader *r = csv_open_file(SICILY, &e);
        assert_non_null(r);
        struct csv_record rec;
        assert_int_equal(csv_read(r, &rec, &e), 1);
        long aces = -1, stdpop = -1, tcol = -1, ban = -1;
        for (size_t i = 0; i < rec.count; i++) {
                if (csv_field_eq(&rec.fields[i], "aces"))
                        aces = (long)i;
                if (csv_field_eq(&rec.fields[i], "stdpop"))
                        stdpop = (long)i;
                if (csv_field_eq(&rec.fields[i], "time"))
                        tcol = (long)i;
                if (csv_field_eq(&rec.fields[i], "smokban"))
                        ban = (long)i;
        }
        assert_true(aces >= 0 && stdpop >= 0 && tcol >= 0 && ban >= 0);
        size_t n = 0;
        while (csv_read(r, &rec, &e) == 1) {
                assert_true(n < cap);
                char a[64], s[64], t[64], b[64];
                snprintf(a, sizeof a, "%.*s", (int)rec.fields[aces].len, rec.fields[aces].ptr);
                snprintf(s, sizeof s, "%.*s", (int)rec.fields[stdpop].len, rec.fields[stdpop].ptr);
                snprintf(t, sizeof t, "%.*s", (int)rec.fields[tcol].len, rec.fields[tcol].ptr);
                snprintf(b, sizeof b, "%.*s", (int)rec.fields[ban].len, rec.fields[ban].ptr);
                /* The file is in time order 1..59 and the ban starts at time 37. */
                assert_int_equal(atol(t), (long)n + 1);
                assert_int_equal(atoi(b), n + 1 >= 37);
                y[n++] = strtod(a, NULL) / strtod(s, NULL) * 1e5;
        }
        csv_free(r);
        return n;
}

static void e32_sicily(void **state)
{
        (void)state;
        SKIP_WITHOUT_SHARED(SICILY);
        double y[80];
        size_t n = read_sicily(y, 80);
        assert_int_equal(n, 59);
        struct its_options o;
        its_options_init(&o);
        struct its_fit f;
        fit_ok(y, n, 36, &o, &f);
        assert_int_equal(f.lag, 3);
        const double b[] = {194.108740, 1.035849, -24.844364, 0.127220};
        for (int i = 0; i < 4; i++)
                near_rel(f.b[i], b[i], 1e-6, "Sicily b");
        near_rel(f.se_ols[2], 7.704619, 1e-6, "Sicily OLS SE b2");
        near_rel(f.se_nw[2], 7.608880, 1e-6, "Sicily NW SE b2");
        near_rel(f.se_nw[3], 0.440816, 1e-6, "Sicily NW SE b3");
        near_rel(f.dw, 1.593964, 1e-6, "Sicily Durbin-Watson");
        /* Mean effect over 23 post months: b2 + 12·b3. */
        near_rel(f.effect, -24.844364 + 12 * 0.127220, 1e-6, "Sicily mean effect");
        double c[4] = {0, 0, 1, 12};
        double se = oracle_nw_se(y, 59, 36, 3, f.b, c);
        near(f.effect_se, se, 1e-9 * se, "Sicily effect SE");
        /* The middle post month (t = 48) has the same effect and interval as the mean. */
        near(f.effect_t[47], f.effect, 1e-9, "middle month");
        near(f.effect_low_t[47], f.effect_low, 1e-9, "middle month low");
        assert_int_equal(f.poor_fit, 0);
        its_fit_release(&f);

        o.small_sample = 0;
        fit_ok(y, n, 36, &o, &f);
        near_rel(f.se_nw[2], 7.346425, 1e-6, "Sicily NW SE b2 without factor");
        near_rel(f.se_nw[3], 0.425611, 1e-6, "Sicily NW SE b3 without factor");
        its_fit_release(&f);
}

/* ---------------------------------------------------------------- harmonics */

static void harmonics_recover_exact_model(void **state)
{
        (void)state;
        double y[36];
        int month[36];
        for (int t = 0; t < 36; t++) {
                int m = (t + 3) % 12 + 1; /* starts in April */
                int post = t >= 20;
                month[t] = m;
                y[t] = 5 + 0.3 * (t + 1) + (post ? 2 + 0.1 * (t + 1 - 20) : 0) +
                       1.5 * sin(2 * M_PI * m / 12.0) - 0.7 * cos(4 * M_PI * m / 12.0);
        }
        struct its_options o;
        its_options_init(&o);
        o.harmonics = 2;
        o.month = month;
        struct its_fit f;
        fit_ok(y, 36, 20, &o, &f);
        assert_int_equal(f.k, 8);
        const double want[] = {5, 0.3, 2, 0.1, 1.5, 0, 0, -0.7};
        for (int i = 0; i < 8; i++)
                near(f.b[i], want[i], 1e-9, "harmonic model b");
        assert_true(f.ssr < 1e-18);
        /* The counterfactual keeps the season and drops only the change. */
        near(f.counterfactual[30],
             5 + 0.3 * 31 + 1.5 * sin(2 * M_PI * month[30] / 12.0) -
                 0.7 * cos(4 * M_PI * month[30] / 12.0),
             1e-9, "seasonal counterfactual");
        near(f.effect, 2 + 0.1 * 8.5, 1e-9, "effect with harmonics");
        its_fit_release(&f);

        /* Without the harmonics the same data fit worse. */
        its_options_init(&o);
        fit_ok(y, 36, 20, &o, &f);
        assert_true(f.ssr > 1);
        its_fit_release(&f);
}

/* ---------------------------------------------------------------- refusals */

static void refuses_bad_input(void **state)
{
        (void)state;
        struct its_options o;
        its_options_init(&o);
        struct its_fit f;
        struct err e = {0};
        assert_int_equal(its_fit(e31, 12, 2, &o, &f, &e), -1);
        assert_int_equal(e.code, EXIT_INPUT);
        assert_non_null(strstr(e.msg, "at least 3 periods before"));
        assert_non_null(strstr(e.msg, "2 before and 10 after"));
        assert_int_equal(its_fit(e31, 12, 10, &o, &f, &e), -1);
        assert_non_null(strstr(e.msg, "10 before and 2 after"));
        /* Exactly three a side is enough. */
        fit_ok(e31, 6, 3, &o, &f);
        its_fit_release(&f);

        double bad[12];
        memcpy(bad, e31, sizeof bad);
        bad[4] = NAN;
        assert_int_equal(its_fit(bad, 12, 6, &o, &f, &e), -1);
        assert_non_null(strstr(e.msg, "value 5"));

        o.lag = 12;
        assert_int_equal(its_fit(e31, 12, 6, &o, &f, &e), -1);
        assert_non_null(strstr(e.msg, "lag"));
        its_options_init(&o);

        o.harmonics = 1;
        assert_int_equal(its_fit(e31, 12, 6, &o, &f, &e), -1);
        assert_non_null(strstr(e.msg, "month"));
        int same[12];
        for (int i = 0; i < 12; i++)
                same[i] = 4;
        o.month = same;
        assert_int_equal(its_fit(e31, 12, 6, &o, &f, &e), -1);
        assert_non_null(strstr(e.msg, "not independent"));
        o.harmonics = 3;
        assert_int_equal(its_fit(e31, 12, 6, &o, &f, &e), -1);
        /* Seven points cannot carry eight coefficients. */
        int months[7] = {1, 2, 3, 4, 5, 6, 7};
        o.harmonics = 2;
        o.month = months;
        assert_int_equal(its_fit(e31, 7, 3, &o, &f, &e), -1);
        assert_non_null(strstr(e.msg, "too few"));
}

static void poor_fit_warns(void **state)
{
        (void)state;
        /* A zig-zag around 10 with amplitude 5: pre RMSPE about 5, half the mean. */
        const double y[] = {5, 15, 5, 15, 5, 15, 5, 15, 5, 15, 5, 15};
        struct its_options o;
        its_options_init(&o);
        struct its_fit f;
        fit_ok(y, 12, 6, &o, &f);
        assert_int_equal(f.poor_fit, 1);
        assert_true(f.pre_rmspe > 4);
        int found = 0;
        for (size_t i = 0; i < f.n_warnings; i++)
                found |= strstr(f.warnings[i], "poorly") != NULL;
        assert_true(found);
        /* Alternating residuals: Durbin-Watson near 4, which is also said. */
        assert_true(f.dw > 3);
        found = 0;
        for (size_t i = 0; i < f.n_warnings; i++)
                found |= strstr(f.warnings[i], "Durbin-Watson") != NULL;
        assert_true(found);
        its_fit_release(&f);
}

/* ---------------------------------------------------------------- explicit times */

static void explicit_times(void **state)
{
        (void)state;
        /* Positions given as times change nothing. */
        double pos[12];
        for (int i = 0; i < 12; i++)
                pos[i] = i + 1;
        struct its_options o;
        its_options_init(&o);
        struct its_fit a, b;
        fit_ok(e31, 12, 6, &o, &a);
        o.time = pos;
        fit_ok(e31, 12, 6, &o, &b);
        for (int i = 0; i < 4; i++) {
                near(b.b[i], a.b[i], 1e-12, "same b");
                near(b.se_nw[i], a.se_nw[i], 1e-12, "same SE");
        }
        near(b.effect, a.effect, 1e-12, "same effect");
        its_fit_release(&a);
        its_fit_release(&b);

        /* Time 7 left out (a transition): an exact model on times 1-6, 8-13 is recovered,
         * and the slope term counts from the first point after (time 8) as 1. */
        double t[12], y[12];
        for (int i = 0; i < 12; i++) {
                t[i] = i < 6 ? i + 1 : i + 2;
                y[i] = 3 + 0.5 * t[i] + (i >= 6 ? -2 + 0.25 * (t[i] - 7) : 0);
        }
        o.time = t;
        fit_ok(y, 12, 6, &o, &b);
        const double want[] = {3, 0.5, -2, 0.25};
        for (int i = 0; i < 4; i++)
                near(b.b[i], want[i], 1e-9, "b with a gap");
        /* Post slope terms 1..6: mean 3.5. */
        near(b.effect, -2 + 0.25 * 3.5, 1e-9, "effect with a gap");
        near(b.counterfactual[6], 3 + 0.5 * 8, 1e-9, "counterfactual at time 8");
        its_fit_release(&b);

        t[3] = t[2];
        struct err e = {0};
        assert_int_equal(its_fit(y, 12, 6, &o, &b, &e), -1);
        assert_non_null(strstr(e.msg, "must increase"));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(e31_coefficients),
            cmocka_unit_test(default_lag),
            cmocka_unit_test(effect_interval_matches_oracle),
            cmocka_unit_test(e32_sicily),
            cmocka_unit_test(harmonics_recover_exact_model),
            cmocka_unit_test(refuses_bad_input),
            cmocka_unit_test(poor_fit_warns),
            cmocka_unit_test(explicit_times),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
