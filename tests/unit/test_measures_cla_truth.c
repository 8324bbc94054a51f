/*
 * test_measures_cla_truth.c — the SSDA903 measures against the generator's
 * ground truth: a small synthetic region (2 authorities x 3 years) is
 * generated into a temporary directory, each authority's returns and
 * populations are loaded, and cla_rate_per_10k, cla_starting_rate_per_10k,
 * cla_ceasing_rate_per_10k and cla_placements_3plus_pct must equal
 * truth/measures.csv exactly (numerator and denominator).  truth.c counts
 * from the simulation's own state and shares no code with the engine.
 *
 * Also on that region: every 903 measure computes for every period without
 * error, each rolling value at 31 March equals its annual value, and the
 * monthly starts add up to the annual count of starts where no child
 * started twice.
 */
#include "test.h"

#include "core/err.h"
#include "measures/cla_util.h"
#include "measures/measure.h"
#include "measures/util.h"
#include "returns/ssda903.h"
#include "synth/synth.h"

#define NLAS   2
#define NYEARS 3
#define LAST   2026

struct region {
        char *dir;
        char codes[NLAS][4];
        struct ssda903_load *ld[NLAS][NYEARS];
        struct measure_history h[NLAS];
};

static struct region R;

static void load_region(void)
{
        R.dir = test_tmpdir();
        struct synth_options o;
        synth_options_default(&o);
        o.out_dir = R.dir;
        o.las = NLAS;
        o.years = NYEARS;
        o.last_year = LAST;
        o.seed = 7;
        struct err e = {0};
        if (synth_run(&o, &e) != 0)
                fail_msg("synth_run: %s", e.msg);

        /* authorities.csv: code is the first column. */
        char path[4096];
        snprintf(path, sizeof path, "%s/authorities.csv", R.dir);
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        char line[4096];
        int n = 0;
        assert_non_null(fgets(line, sizeof line, f)); /* header */
        while (n < NLAS && fgets(line, sizeof line, f)) {
                memcpy(R.codes[n], line, 3);
                R.codes[n][3] = '\0';
                n++;
        }
        fclose(f);
        assert_int_equal(n, NLAS);

        for (int i = 0; i < NLAS; i++) {
                measure_history_init(&R.h[i], R.codes[i]);
                for (int j = 0; j < NYEARS; j++) {
                        int year = LAST - NYEARS + 1 + j;
                        snprintf(path, sizeof path, "%s/%s/%d/903", R.dir, R.codes[i], year);
                        const char *paths[] = {path};
                        struct ssda903_options opt = {.collection_year = year};
                        R.ld[i][j] = ssda903_load_paths(paths, 1, NULL, 0, &opt, &e);
                        if (!R.ld[i][j])
                                fail_msg("loading %s: %s", path, e.msg);
                        measure_history_set_903(&R.h[i], year, R.ld[i][j]);
                }
        }

        /* populations.csv: code,year,population_0_17 */
        snprintf(path, sizeof path, "%s/populations.csv", R.dir);
        f = fopen(path, "r");
        assert_non_null(f);
        assert_non_null(fgets(line, sizeof line, f));
        int found = 0;
        while (fgets(line, sizeof line, f)) {
                char code[8];
                int year;
                long long pop;
                if (sscanf(line, "%7[^,],%d,%lld", code, &year, &pop) != 3)
                        fail_msg("populations.csv: bad line %s", line);
                for (int i = 0; i < NLAS; i++)
                        if (strcmp(code, R.codes[i]) == 0) {
                                measure_history_set_population(&R.h[i], year, pop);
                                found++;
                        }
        }
        fclose(f);
        assert_true(found >= NLAS * NYEARS);
}

static int setup(void **state)
{
        (void)state;
        memset(&R, 0, sizeof R);
        load_region();
        return 0;
}

static int teardown(void **state)
{
        (void)state;
        for (int i = 0; i < NLAS; i++) {
                measure_history_release(&R.h[i]);
                for (int j = 0; j < NYEARS; j++)
                        ssda903_free(R.ld[i][j]);
        }
        if (R.dir)
                test_rmdir(R.dir);
        return 0;
}

static int la_index(const char *code)
{
        for (int i = 0; i < NLAS; i++)
                if (strcmp(code, R.codes[i]) == 0)
                        return i;
        return -1;
}

/* Every truth row of the four 903 measures equals the engine's numerator and denominator. */
static void test_truth_exact(void **state)
{
        (void)state;
        static const char *const ids[] = {"cla_rate_per_10k", "cla_starting_rate_per_10k",
                                          "cla_ceasing_rate_per_10k", "cla_placements_3plus_pct"};
        char path[4096];
        snprintf(path, sizeof path, "%s/truth/measures.csv", R.dir);
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        char line[4096];
        assert_non_null(fgets(line, sizeof line, f));
        int checked = 0, mismatches = 0;
        while (fgets(line, sizeof line, f)) {
                char la[8], id[80];
                int year;
                long long num, den;
                if (sscanf(line, "%7[^,],%d,%79[^,],%lld,%lld", la, &year, id, &num, &den) != 5)
                        fail_msg("truth/measures.csv: bad line %s", line);
                int which = -1;
                for (int k = 0; k < 4; k++)
                        if (strcmp(id, ids[k]) == 0)
                                which = k;
                if (which < 0)
                        continue;
                int i = la_index(la);
                assert_true(i >= 0);
                const struct measure_def *m = measure_find(id);
                assert_non_null(m);
                struct measure_ctx ctx;
                measure_ctx_init(&ctx, &R.h[i]);
                struct measure_window w;
                measure_window_year(&w, year, 12);
                struct measure_value v;
                struct err e = {0};
                assert_int_equal(measure_compute(&ctx, m, &w, &v, &e), 0);
                assert_true(v.has_value);
                if (v.numerator != num || v.denominator != den) {
                        print_error("%s %d %s: engine %lld / %lld, truth %lld / %lld\n", la, year,
                                    id, (long long)v.numerator, (long long)v.denominator, num, den);
                        mismatches++;
                }
                measure_ctx_release(&ctx);
                checked++;
        }
        fclose(f);
        assert_int_equal(checked, NLAS * NYEARS * 4);
        assert_int_equal(mismatches, 0);
}

/* ---------------------------------------------------------------- every period */

struct walk {
        int values, with_value, failures;
        double annual[40][2100 - 2000];
        bool has_annual[40][2100 - 2000];
        int march_checked;
        int64_t month_starts[2100 - 2000];
        int64_t year_starts[2100 - 2000];
};

static int on_value(void *arg, const struct measure_def *m, const struct measure_window *w,
                    const struct measure_value *v)
{
        struct walk *s = arg;
        s->values++;
        s->with_value += v->has_value;
        size_t idx = 0;
        while (idx < measure_count() && measure_at(idx) != m)
                idx++;
        idx %= 40;
        if (w->period == MEASURE_YEAR) {
                s->annual[idx][w->year - 2000] = v->value;
                s->has_annual[idx][w->year - 2000] = v->has_value;
                if (strcmp(m->id, "cla_starting_rate_per_10k") == 0)
                        s->year_starts[w->year - 2000] = v->numerator;
        }
        if (w->period == MEASURE_MONTH && strcmp(m->id, "cla_starting_rate_per_10k") == 0)
                s->month_starts[w->year - 2000] += v->numerator;
        if (w->period == MEASURE_ROLLING && w->end == date_year_end(w->year) &&
            s->has_annual[idx][w->year - 2000]) {
                if (!(v->has_value && v->value == s->annual[idx][w->year - 2000])) {
                        print_error("%s rolling to 31 March %d differs from the year\n", m->id,
                                    w->year);
                        s->failures++;
                }
                s->march_checked++;
        }
        return 0;
}

static void test_every_period(void **state)
{
        (void)state;
        size_t n903 = 0;
        for (size_t i = 0; i < measure_count(); i++)
                n903 += measure_at(i)->source == MEASURE_SRC_903 && measure_at(i)->compute;
        assert_true(n903 >= 45);
        for (int i = 0; i < NLAS; i++) {
                struct measure_ctx ctx;
                measure_ctx_init(&ctx, &R.h[i]);
                struct walk *s = calloc(1, sizeof *s);
                assert_non_null(s);
                struct err e = {0};
                assert_int_equal(
                    measure_compute_all(&ctx, NULL, MEASURE_PERIODS_ALL, on_value, s, &e), 0);
                assert_int_equal(s->failures, 0);
                assert_true(s->march_checked > 30);
                assert_true(s->with_value > s->values / 2);
                /* Monthly starts sum to at least the year's children (a child may start twice). */
                for (int y = LAST - NYEARS + 1; y <= LAST; y++) {
                        assert_true(s->year_starts[y - 2000] > 0);
                        assert_true(s->month_starts[y - 2000] >= s->year_starts[y - 2000]);
                        assert_true(s->month_starts[y - 2000] <= s->year_starts[y - 2000] + 5);
                }
                free(s);
                measure_ctx_release(&ctx);
        }
}

/*
 * The measures' fast merged history (child numbers across returns) is exactly the §0.4
 * helper's (a search by CHILD id in every return), for every child of every return.
 */
static void test_history_matches_util(void **state)
{
        (void)state;
        struct measure_eps a, b;
        measure_eps_init(&a);
        measure_eps_init(&b);
        size_t children = 0, with_lookback = 0;
        for (int i = 0; i < NLAS; i++) {
                struct measure_ctx ctx;
                measure_ctx_init(&ctx, &R.h[i]);
                for (int j = 0; j < NYEARS; j++) {
                        int year = LAST - NYEARS + 1 + j;
                        const struct mcla_year *y = mcla_year(&ctx, year);
                        assert_non_null(y);
                        for (uint32_t k = 0; k < y->ld->nchildren; k++) {
                                size_t n1 = mcla_history(y, k, &a);
                                size_t n2 =
                                    measure_903_episodes(&R.h[i], year, y->ld->children[k].id, &b);
                                assert_int_equal(n1, n2);
                                assert_int_equal(a.first_current, b.first_current);
                                for (size_t e = 0; e < n1; e++) {
                                        assert_ptr_equal(a.ep[e], b.ep[e]);
                                        assert_int_equal(a.year[e], b.year[e]);
                                }
                                children += n1 > 0;
                                with_lookback += a.first_current > 0;
                        }
                }
                measure_ctx_release(&ctx);
        }
        measure_eps_release(&a);
        measure_eps_release(&b);
        /* The region has children with episodes, and some whose history reaches back. */
        assert_true(children > 100);
        assert_true(with_lookback > 10);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_truth_exact),
            cmocka_unit_test(test_history_matches_util),
            cmocka_unit_test(test_every_period),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
