/*
 * test_did.c — 2 × 2 difference in differences (src/stats/did.c) against
 * statistics.md §5.
 *
 * E5.1 is literal.  A second literal panel (2 treated, 3 control units) has
 * its CR1 standard error worked out independently in exact rational
 * arithmetic: var(d) = 8075/4608, so SE = 1.3237776069936285; t(0.975, 4) =
 * 2.776445105; two-sided p = 0.05734315499 (the closed-form t CDF for 4
 * degrees of freedom).  E5.2 reads ../shared/data/stats/smoking_prop99.csv and
 * skips with a message when it is absent.
 */
#include "test.h"

#include "core/csv.h"
#include "core/err.h"
#include "stats/did.h"

#include <math.h>

#define PROP99 SHARED_DATA "/stats/smoking_prop99.csv"

static void near(double got, double want, double tol, const char *what)
{
        if (!(fabs(got - want) <= tol))
                fail_msg("%s: got %.12g, want %.12g (tolerance %g)", what, got, want, tol);
}

static int has_warning(const struct did_result *r, const char *needle)
{
        for (size_t i = 0; i < r->n_warnings; i++)
                if (strstr(r->warnings[i], needle))
                        return 1;
        return 0;
}

/* Units as (treated, pre values, post values), two of each. */
static size_t panel(const int *treated, const double (*pre)[2], const double (*post)[2],
                    size_t units, struct did_obs *obs)
{
        size_t n = 0;
        for (size_t u = 0; u < units; u++)
                for (int p = 0; p < 2; p++)
                        for (int k = 0; k < 2; k++)
                                obs[n++] =
                                    (struct did_obs){u, treated[u], p, p ? post[u][k] : pre[u][k]};
        return n;
}

static void e51(void **state)
{
        (void)state;
        const int tr[] = {1, 0};
        const double pre[][2] = {{10, 12}, {20, 22}};
        const double post[][2] = {{15, 17}, {23, 25}};
        struct did_obs obs[8];
        size_t n = panel(tr, pre, post, 2, obs);
        struct did_result r;
        struct err e = {0};
        assert_int_equal(did_estimate(obs, n, 2, 0.95, &r, &e), 0);
        near(r.did, 2.0, 1e-12, "E5.1 DiD");
        near(r.b[3], 2.0, 1e-12, "regression d");
        near(r.mean_pre_t, 11, 1e-12, "pre T");
        near(r.mean_post_t, 16, 1e-12, "post T");
        near(r.mean_pre_c, 21, 1e-12, "pre C");
        near(r.mean_post_c, 24, 1e-12, "post C");
        assert_int_equal(r.clusters, 2);
        assert_int_equal(r.treated_units, 1);
        /* One unit per group: each unit's residuals cancel, the clustered SE is 0. */
        near(r.se, 0, 1e-12, "E5.1 SE");
        assert_true(isnan(r.ci_low) && isnan(r.ci_high) && isnan(r.p_value));
        assert_true(has_warning(&r, "zero"));
        assert_true(has_warning(&r, "one treated unit"));
        did_result_release(&r);
}

static void clustered_se(void **state)
{
        (void)state;
        const int tr[] = {1, 1, 0, 0, 0};
        const double pre[][2] = {{10, 13}, {11, 12}, {20, 22}, {19, 18}, {25, 27}};
        const double post[][2] = {{16, 15}, {18, 19}, {21, 24}, {20, 22}, {26, 30}};
        struct did_obs obs[20];
        size_t n = panel(tr, pre, post, 5, obs);
        struct did_result r;
        struct err e = {0};
        assert_int_equal(did_estimate(obs, n, 5, 0.95, &r, &e), 0);
        near(r.did, 3.5, 1e-12, "DiD");
        near(r.b[0], 131.0 / 6, 1e-12, "a");
        near(r.b[1], 11.5 - 131.0 / 6, 1e-12, "b");
        near(r.b[2], 2.0, 1e-12, "c");
        near(r.b[3], 3.5, 1e-12, "d");
        near(r.se, 1.3237776069936285, 1e-12, "CR1 SE");
        assert_int_equal(r.df, 4);
        near(r.ci_low, 3.5 - 2.776445105 * 1.3237776069936285, 1e-8, "ci low");
        near(r.ci_high, 3.5 + 2.776445105 * 1.3237776069936285, 1e-8, "ci high");
        near(r.p_value, 0.05734315499, 1e-9, "p");
        assert_int_equal(r.treated_units, 2);
        assert_false(has_warning(&r, "one treated unit"));
        assert_true(has_warning(&r, "only 5 units"));

        /* The path: cf_t = 11.5 + (control mean_t - 131/6), so the post gap averages DiD. */
        double control[4] = {64.0 / 3, 67.0 / 3, 67.0 / 3, 76.0 / 3}, cf[4];
        did_counterfactual(&r, control, 4, cf);
        near(cf[0], 11.5 + 64.0 / 3 - 131.0 / 6, 1e-12, "cf");
        double gap = ((16 + 18) / 2.0 - cf[2] + (15 + 19) / 2.0 - cf[3]) / 2;
        near(gap, 3.5, 1e-12, "mean post gap");
        did_result_release(&r);

        /* Level 0.90 uses t(0.95, 4) = 2.131846786. */
        assert_int_equal(did_estimate(obs, n, 5, 0.90, &r, &e), 0);
        near(r.ci_high - r.did, 2.131846786 * 1.3237776069936285, 1e-8, "90% half width");
        did_result_release(&r);
}

static void refusals(void **state)
{
        (void)state;
        struct did_result r;
        struct err e = {0};
        /* No control rows after the change. */
        struct did_obs a[] = {{0, 1, 0, 1}, {0, 1, 1, 2}, {1, 0, 0, 3}};
        assert_int_equal(did_estimate(a, 3, 2, 0.95, &r, &e), -1);
        assert_int_equal(e.code, EXIT_INPUT);
        assert_non_null(strstr(e.msg, "controls after"));
        /* A unit treated on some rows only. */
        struct did_obs b[] = {{0, 1, 0, 1}, {0, 0, 1, 2}, {1, 0, 0, 3}, {1, 0, 1, 4}};
        assert_int_equal(did_estimate(b, 4, 2, 0.95, &r, &e), -1);
        assert_non_null(strstr(e.msg, "some rows"));
        /* Not a number. */
        struct did_obs c[] = {{0, 1, 0, 1}, {0, 1, 1, NAN}, {1, 0, 0, 3}, {1, 0, 1, 4}};
        assert_int_equal(did_estimate(c, 4, 2, 0.95, &r, &e), -1);
        assert_non_null(strstr(e.msg, "row 2"));
        /* A unit number out of range. */
        struct did_obs d[] = {{0, 1, 0, 1}, {0, 1, 1, 2}, {7, 0, 0, 3}, {1, 0, 1, 4}};
        assert_int_equal(did_estimate(d, 4, 2, 0.95, &r, &e), -1);
        /* A bad level. */
        struct did_obs ok[] = {{0, 1, 0, 1}, {0, 1, 1, 2}, {1, 0, 0, 3}, {1, 0, 1, 4}};
        assert_int_equal(did_estimate(ok, 4, 2, 1.5, &r, &e), -1);
        assert_int_equal(did_estimate(ok, 4, 2, 0.95, &r, &e), 0);
        near(r.did, 0, 1e-12, "flat");
        did_result_release(&r);
}

/* ---------------------------------------------------------------- E5.2 Prop 99 */

static void e52_prop99(void **state)
{
        (void)state;
        SKIP_WITHOUT_SHARED(PROP99);
        struct err e = {0};
        struct csv_reader *rd = csv_open_file(PROP99, &e);
        assert_non_null(rd);
        struct csv_record rec;
        assert_int_equal(csv_read(rd, &rec, &e), 1);
        assert_true(csv_field_eq(&rec.fields[0], "state"));
        assert_true(csv_field_eq(&rec.fields[1], "year"));
        assert_true(csv_field_eq(&rec.fields[2], "cigsale"));
        char names[64][40];
        size_t nunits = 0, n = 0;
        struct did_obs *obs = calloc(4000, sizeof *obs);
        assert_non_null(obs);
        while (csv_read(rd, &rec, &e) == 1) {
                char name[40], num[40];
                snprintf(name, sizeof name, "%.*s", (int)rec.fields[0].len, rec.fields[0].ptr);
                size_t u = 0;
                while (u < nunits && strcmp(names[u], name) != 0)
                        u++;
                if (u == nunits) {
                        assert_true(nunits < 64);
                        strcpy(names[nunits++], name);
                }
                snprintf(num, sizeof num, "%.*s", (int)rec.fields[1].len, rec.fields[1].ptr);
                double year = strtod(num, NULL);
                snprintf(num, sizeof num, "%.*s", (int)rec.fields[2].len, rec.fields[2].ptr);
                assert_true(n < 4000);
                obs[n++] = (struct did_obs){u, strcmp(name, "California") == 0, year >= 1989,
                                            strtod(num, NULL)};
        }
        csv_free(rd);
        assert_int_equal(nunits, 39);
        assert_int_equal(n, 39 * 31);
        struct did_result r;
        assert_int_equal(did_estimate(obs, n, nunits, 0.95, &r, &e), 0);
        near(r.did, -27.349111, 1e-6, "E5.2 DiD");
        near(r.b[3], r.did, 1e-9, "regression d equals DiD");
        assert_int_equal(r.clusters, 39);
        assert_int_equal(r.treated_units, 1);
        assert_true(has_warning(&r, "one treated unit"));
        assert_true(r.se > 0);
        did_result_release(&r);
        free(obs);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(e51),
            cmocka_unit_test(clustered_se),
            cmocka_unit_test(refusals),
            cmocka_unit_test(e52_prop99),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
