/*
 * test_spc.c — XmR charts (src/stats/spc.c) against statistics.md §1.
 *
 * The worked examples E1.1–E1.5 are written out as literal numbers so that
 * a clone without ../shared still checks real values; the reference vectors
 * in ../shared/data/stats (limits, each rule, assurance) are read with
 * jansson and skipped with a message when that directory is absent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/err.h"
#include "stats/spc.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SHARED "../shared/data/stats/"
#define N(a)   (sizeof(a) / sizeof *(a))

static const double e11[] = {52, 48, 50, 55, 47, 51, 49, 53, 50, 46,
                             54, 51, 58, 57, 59, 56, 60, 58, 57, 61};
static const double e14[] = {1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1};
static const double e15[] = {10, 10.5, 10, 9.5, 10,   10.5, 10,   9.5,
                             10, 10.5, 10, 9.5, 10.3, 11.3, 11.4, 10.4};

static void near(double got, double want, double tol)
{
        if (!(fabs(got - want) <= tol))
                fail_msg("got %.9f, want %.9f (tolerance %g)", got, want, tol);
}

static void chart(const double *y, size_t n, const struct spc_options *o, struct spc_chart *c)
{
        struct err e;
        err_clear(&e);
        if (spc_xmr(y, n, o, c, &e) != 0)
                fail_msg("spc_xmr failed: %s", e.msg);
}

/* One letter per point for the rule that labels it: c none, O outside, T trend, 2, S shift. */
static void expect_rules(const struct spc_chart *c, const char *want)
{
        assert_int_equal(strlen(want), c->n);
        for (size_t i = 0; i < c->n; i++) {
                static const char letter[] = {[SPC_RULE_NONE] = 'c',
                                              [SPC_RULE_OUTSIDE] = 'O',
                                              [SPC_RULE_TREND] = 'T',
                                              [SPC_RULE_TWO_IN_THREE] = '2',
                                              [SPC_RULE_SHIFT] = 'S'};
                if (letter[c->points[i].rule] != want[i])
                        fail_msg("point %zu: rule %c, want %c (all: %s)", i + 1,
                                 letter[c->points[i].rule], want[i], want);
        }
}

/* One letter per point for the type: c common, I improvement, C concern, H/L neutral. */
static void expect_types(const struct spc_chart *c, const char *want)
{
        assert_int_equal(strlen(want), c->n);
        for (size_t i = 0; i < c->n; i++) {
                static const char letter[] = {[SPC_COMMON_CAUSE] = 'c',
                                              [SPC_IMPROVEMENT] = 'I',
                                              [SPC_CONCERN] = 'C',
                                              [SPC_NEUTRAL_HIGH] = 'H',
                                              [SPC_NEUTRAL_LOW] = 'L'};
                if (letter[c->points[i].type] != want[i])
                        fail_msg("point %zu: type %c, want %c (all: %s)", i + 1,
                                 letter[c->points[i].type], want[i], want);
        }
}

static int has_warning(const struct spc_chart *c, const char *part)
{
        for (size_t i = 0; i < c->n_warnings; i++)
                if (strstr(c->warnings[i], part))
                        return 1;
        return 0;
}

static void e1_1_limits_and_shift(void **state)
{
        (void)state;
        struct spc_options o;
        spc_options_init(&o);
        struct spc_chart c;
        for (int screen = 1; screen >= 0; screen--) {
                o.screen = screen;
                chart(e11, N(e11), &o, &c);
                assert_int_equal(c.n_groups, 1);
                const struct spc_group *g = &c.groups[0];
                assert_int_equal(g->n_ranges, 19);
                assert_int_equal(g->n_screened, 0);
                near(g->amr, 71.0 / 19.0, 1e-9);
                near(g->mean, 53.6, 1e-9);
                near(g->lpl, 43.66, 1e-6);
                near(g->upl, 63.54, 1e-6);
                near(g->near_lpl, 46.973333, 1e-6);
                near(g->near_upl, 60.226667, 1e-6);
                assert_false(g->trial_limits);
                expect_rules(&c, "ccccccccccccSSSSSSSS");
                expect_types(&c, "ccccccccccccIIIIIIII");
                for (size_t i = 0; i < c.n; i++) {
                        assert_int_equal(c.points[i].shift, i >= 12);
                        assert_int_equal(c.points[i].outside, 0);
                        assert_int_equal(c.points[i].trend, 0);
                        assert_int_equal(c.points[i].two_in_three, 0);
                        /* 46 < NLPL and 61 > NUPL */
                        assert_int_equal(c.points[i].close, i == 9 || i == 19);
                }
                assert_int_equal(c.variation, SPC_VARIATION_IMPROVEMENT_HIGH);
                assert_int_equal(c.assurance, SPC_ASSURANCE_NONE);
                assert_int_equal(c.n_warnings, 0);
                spc_chart_release(&c);
        }
        o.screen = 1;
        o.has_target = 1;
        o.target = 45;
        chart(e11, N(e11), &o, &c);
        assert_int_equal(c.assurance, SPC_ASSURANCE_INCONSISTENT);
        spc_chart_release(&c);
        o.target = 40;
        chart(e11, N(e11), &o, &c);
        assert_int_equal(c.assurance, SPC_ASSURANCE_PASS);
        spc_chart_release(&c);
        o.target = 70; /* above UPL, higher is better: consistently fails */
        chart(e11, N(e11), &o, &c);
        assert_int_equal(c.assurance, SPC_ASSURANCE_FAIL);
        spc_chart_release(&c);

        /* Lower is better: the same run above the mean is a concern, and the icon is high. */
        o.direction = SPC_DECREASE;
        chart(e11, N(e11), &o, &c);
        expect_types(&c, "ccccccccccccCCCCCCCC");
        assert_int_equal(c.variation, SPC_VARIATION_CONCERN_HIGH);
        assert_int_equal(c.assurance, SPC_ASSURANCE_PASS); /* 70 > UPL */
        spc_chart_release(&c);

        o.direction = SPC_NEUTRAL;
        chart(e11, N(e11), &o, &c);
        expect_types(&c, "ccccccccccccHHHHHHHH");
        assert_int_equal(c.variation, SPC_VARIATION_NEUTRAL_HIGH);
        assert_int_equal(c.assurance, SPC_ASSURANCE_NONE);
        assert_true(has_warning(&c, "neutral"));
        spc_chart_release(&c);
}

static void e1_2_fixed_baseline(void **state)
{
        (void)state;
        struct spc_options o;
        spc_options_init(&o);
        o.fix_after = 12;
        struct spc_chart c;
        chart(e11, N(e11), &o, &c);
        const struct spc_group *g = &c.groups[0];
        assert_int_equal(g->baseline, 12);
        near(g->mean, 50.5, 1e-9);
        near(g->amr, 47.0 / 11.0, 1e-9);
        near(g->lpl, 39.134545, 1e-6);
        near(g->upl, 61.865455, 1e-6);
        /* statistics.md prints NUPL = 58.077273, which is 50.5 + 1.7734 * 47/11: the
         * constant rounded to 4 places.  By its own definition (2/3 * 2.66, as in E1.1
         * and E1.5) NUPL = 50.5 + 1.773333... * 47/11 = 58.076970. */
        near(g->near_upl, 50.5 + 2.0 / 3.0 * 2.66 * 47.0 / 11.0, 1e-9);
        near(g->near_upl, 58.076970, 1e-6);
        expect_rules(&c, "ccccccccccSSSS2S2SSS");
        expect_types(&c, "ccccccccccIIIIIIIIII");
        /* Raw flags: 15 and 17 carry both two-in-three and the shift. */
        assert_int_equal(c.points[14].two_in_three, 1);
        assert_int_equal(c.points[14].shift, 1);
        assert_int_equal(c.points[19].close, 1);
        assert_int_equal(c.points[19].two_in_three, 0);
        spc_chart_release(&c);

        /* A fix after more points than the group has means "all of them". */
        o.fix_after = 30;
        chart(e11, N(e11), &o, &c);
        near(c.groups[0].mean, 53.6, 1e-9);
        assert_true(has_warning(&c, "all of them are its baseline"));
        spc_chart_release(&c);
}

static void e1_3_rebase(void **state)
{
        (void)state;
        struct spc_options o;
        spc_options_init(&o);
        size_t at[] = {12};
        o.rebase = at;
        o.n_rebase = 1;
        struct spc_chart c;
        chart(e11, N(e11), &o, &c);
        assert_int_equal(c.n_groups, 2);
        assert_int_equal(c.groups[0].count, 12);
        assert_int_equal(c.groups[1].start, 12);
        near(c.groups[0].mean, 50.5, 1e-9);
        near(c.groups[0].lpl, 39.134545, 1e-6);
        near(c.groups[0].upl, 61.865455, 1e-6);
        near(c.groups[1].mean, 58.25, 1e-9);
        near(c.groups[1].amr, 17.0 / 7.0, 1e-9);
        near(c.groups[1].lpl, 51.79, 1e-6);
        near(c.groups[1].upl, 64.71, 1e-6);
        assert_true(c.groups[0].trial_limits);
        assert_true(c.groups[1].trial_limits);
        assert_true(has_warning(&c, "group 1 (points 1 to 12): " SPC_TRIAL_NOTE));
        assert_true(has_warning(&c, "group 2 (points 13 to 20): " SPC_TRIAL_NOTE));
        assert_int_equal(c.points[12].group, 1);
        near(c.points[12].upl, 64.71, 1e-6);
        near(c.points[11].upl, 61.865455, 1e-6);
        spc_chart_release(&c);

        /* A rebase at the first point, or twice at one point, changes nothing. */
        size_t twice[] = {0, 12, 12};
        o.rebase = twice;
        o.n_rebase = 3;
        chart(e11, N(e11), &o, &c);
        assert_int_equal(c.n_groups, 2);
        spc_chart_release(&c);

        /* Period labels word the warnings. */
        const char *labels[20];
        char text[20][16];
        for (int i = 0; i < 20; i++) {
                snprintf(text[i], sizeof text[i], "m%02d", i + 1);
                labels[i] = text[i];
        }
        o.periods = labels;
        chart(e11, N(e11), &o, &c);
        assert_true(has_warning(&c, "group 2 (m13 to m20)"));
        assert_int_equal(spc_find_period(labels, 20, "m13"), 12);
        assert_int_equal(spc_find_period(labels, 20, "m21"), -1);
        spc_chart_release(&c);
}

static void e1_4_screening(void **state)
{
        (void)state;
        struct spc_options o;
        spc_options_init(&o);
        struct spc_chart c;
        chart(e14, N(e14), &o, &c);
        const struct spc_group *g = &c.groups[0];
        near(g->amr0, 32.0 / 17.0, 1e-9);
        assert_int_equal(g->n_screened, 2);
        near(g->amr, 1.0, 1e-12);
        near(g->mean, 1.944444, 1e-6);
        near(g->lpl, -0.715556, 1e-6);
        near(g->upl, 4.604444, 1e-6);
        expect_rules(&c, "ccccOccccccccccccc");
        expect_types(&c, "ccccIccccccccccccc");
        assert_int_equal(c.variation, SPC_VARIATION_COMMON_CAUSE);
        spc_chart_release(&c);

        o.screen = 0;
        chart(e14, N(e14), &o, &c);
        assert_int_equal(c.groups[0].n_screened, 0);
        near(c.groups[0].lpl, -3.062614, 1e-6);
        near(c.groups[0].upl, 6.951503, 1e-6);
        expect_rules(&c, "ccccOccccccccccccc");
        spc_chart_release(&c);
}

static void exactly_on_a_line(void **state)
{
        (void)state;
        /* Limits fixed on E1.1's first 12 points, then later points placed exactly on the
         * upper limit and exactly on the upper near-limit line: neither is outside, and
         * neither is close (§1.2: "a point exactly on a limit is neither outside nor close";
         * close is strictly beyond the near-limit line). */
        struct spc_options o;
        spc_options_init(&o);
        o.fix_after = 12;
        struct spc_chart c;
        chart(e11, N(e11), &o, &c);
        double upl = c.groups[0].upl, nupl = c.groups[0].near_upl, lpl = c.groups[0].lpl;
        spc_chart_release(&c);
        double y[N(e11)];
        memcpy(y, e11, sizeof y);
        y[13] = upl;
        y[15] = nupl;
        y[17] = lpl;
        chart(y, N(y), &o, &c);
        assert_true(c.groups[0].upl == upl);
        assert_int_equal(c.points[13].outside, 0);
        assert_int_equal(c.points[13].close, 0);
        assert_int_equal(c.points[15].outside, 0);
        assert_int_equal(c.points[15].close, 0);
        assert_int_equal(c.points[17].outside, 0);
        assert_int_equal(c.points[17].close, 0);
        spc_chart_release(&c);
        /* Just beyond each line flips the flag. */
        y[13] = nextafter(upl, INFINITY);
        y[15] = nextafter(nupl, INFINITY);
        y[17] = nextafter(lpl, -INFINITY);
        chart(y, N(y), &o, &c);
        assert_int_equal(c.points[13].outside, 1);
        assert_int_equal(c.points[15].close, 1);
        assert_int_equal(c.points[17].outside, 1);
        spc_chart_release(&c);
        /* A point exactly on the mean (1, from the first 12) has no side and breaks a run. */
        double run[] = {0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 2, 2, 2, 1, 2, 2, 2, 2};
        chart(run, N(run), &o, &c);
        assert_true(c.groups[0].mean == 1);
        assert_int_equal(c.points[15].side, 0);
        for (size_t i = 0; i < N(run); i++)
                assert_int_equal(c.points[i].shift, 0);
        spc_chart_release(&c);
        run[15] = 2; /* now points 12-20 are 9 in a row above */
        chart(run, N(run), &o, &c);
        for (size_t i = 0; i < N(run); i++)
                assert_int_equal(c.points[i].shift, i >= 11);
        spc_chart_release(&c);
}

static void e1_5_two_in_three(void **state)
{
        (void)state;
        struct spc_options o;
        spc_options_init(&o);
        struct spc_chart c;
        chart(e15, N(e15), &o, &c);
        const struct spc_group *g = &c.groups[0];
        near(g->mean, 10.2125, 1e-9);
        near(g->amr, 0.56, 1e-9);
        near(g->upl, 11.7021, 1e-6);
        near(g->near_upl, 11.205567, 1e-6);
        expect_rules(&c, "ccccccccccccc22c");
        assert_int_equal(c.points[12].side, 1);
        assert_int_equal(c.points[12].close, 0);
        assert_int_equal(c.points[12].two_in_three, 0);
        assert_int_equal(c.variation, SPC_VARIATION_COMMON_CAUSE);
        spc_chart_release(&c);
}

static void screening_cut_is_inclusive(void **state)
{
        (void)state;
        /* Nine ranges of 1 then r: AMR0 = (9 + r) / 10 and the cut 3.267 * AMR0 equals r
         * exactly in doubles for this r (found by solving r = 3.267 (9 + r) / 10 and
         * checking neighbouring doubles).  A range equal to the cut is dropped. */
        double y[] = {1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 4.3669983662557543};
        assert_true(3.267 * ((9.0 + y[10]) / 10.0) == y[10]);
        struct spc_options o;
        spc_options_init(&o);
        struct spc_chart c;
        chart(y, N(y), &o, &c);
        assert_int_equal(c.groups[0].n_screened, 1);
        near(c.groups[0].amr, 1.0, 0);
        spc_chart_release(&c);
        /* Clearly below the cut (4.3670 - 0.001 < 3.267 * 1.33660 = 4.36667): kept. */
        y[10] -= 0.001;
        chart(y, N(y), &o, &c);
        assert_int_equal(c.groups[0].n_screened, 0);
        near(c.groups[0].amr, (9.0 + y[10]) / 10.0, 1e-12);
        spc_chart_release(&c);

        /* A flat baseline: every range is 0, so is the cut, and each range "equals" it;
         * rather than drop them all and have no average, AMR stays 0. */
        double flat[15];
        for (size_t i = 0; i < N(flat); i++)
                flat[i] = 7;
        chart(flat, N(flat), &o, &c);
        assert_true(c.groups[0].has_limits);
        near(c.groups[0].amr, 0, 0);
        near(c.groups[0].lpl, 7, 0);
        near(c.groups[0].upl, 7, 0);
        expect_rules(&c, "ccccccccccccccc");
        assert_true(has_warning(&c, "every moving range in the baseline is 0"));
        spc_chart_release(&c);
}

static void trends_and_precedence(void **state)
{
        (void)state;
        struct spc_options o;
        spc_options_init(&o);
        struct spc_chart c;
        /* 10 strictly increasing points (4.9 .. 5.4) after a wobble: all 10 are in it. */
        double y[] = {5, 5.2,  4.9, 5.1,  5,   4.8,  5.2, 5,    5.1, 4.9,
                      5, 5.05, 5.1, 5.15, 5.2, 5.25, 5.3, 5.35, 5.4};
        chart(y, N(y), &o, &c);
        for (size_t i = 0; i < N(y); i++) {
                assert_int_equal(c.points[i].trend, i >= 9);
                if (i >= 9)
                        assert_int_equal(c.points[i].trend_direction, 1);
        }
        spc_chart_release(&c);

        /* A tie breaks a trend: 1..4 then 4..10 is one trend of 7 (4 to 10), not 11. */
        double tie[] = {1, 2, 3, 4, 4, 5, 6, 7, 8, 9, 10, 3, 3, 3};
        chart(tie, N(tie), &o, &c);
        for (size_t i = 0; i < N(tie); i++)
                assert_int_equal(c.points[i].trend, i >= 4 && i <= 10);
        spc_chart_release(&c);
        tie[10] = 9; /* now 4..9 is only 6 points: no trend anywhere */
        chart(tie, N(tie), &o, &c);
        for (size_t i = 0; i < N(tie); i++)
                assert_int_equal(c.points[i].trend, 0);
        spc_chart_release(&c);

        /* Decreasing trend under "increase" is a concern, and its first point takes the
         * trend's direction although the step into it is upward. */
        double down[] = {8, 12, 8, 11.5, 11, 10, 9, 8, 7, 6.5, 12, 8, 12, 8};
        chart(down, N(down), &o, &c);
        assert_int_equal(c.points[3].trend, 1);
        assert_int_equal(c.points[3].trend_direction, -1);
        assert_int_equal(c.points[3].type, SPC_CONCERN);
        assert_int_equal(c.points[9].trend_direction, -1);
        assert_int_equal(c.points[10].trend, 0);
        spc_chart_release(&c);

        /* Outside beats trend: the last point of a rise that leaves the limits. */
        double out[] = {10, 11, 10, 11, 10,   11,   10,   11,   10,   11, 10,
                        11, 10, 11, 10, 10.1, 10.2, 10.3, 10.4, 10.5, 30};
        chart(out, N(out), &o, &c);
        size_t last = N(out) - 1;
        assert_int_equal(c.points[last].outside, 1);
        assert_int_equal(c.points[last].trend, 1);
        assert_int_equal(c.points[last].rule, SPC_RULE_OUTSIDE);
        assert_int_equal(c.points[last - 1].rule, SPC_RULE_TREND);
        assert_int_equal(c.variation, SPC_VARIATION_IMPROVEMENT_HIGH);
        spc_chart_release(&c);

        /* Seven below the mean under "decrease": improvement, icon low. */
        o.direction = SPC_DECREASE;
        double low[] = {10, 12, 10,   12,   10,   12,   10,   12,   10,  12,
                        10, 12, 10.5, 10.6, 10.4, 10.7, 10.5, 10.6, 10.5};
        chart(low, N(low), &o, &c);
        expect_rules(&c, "ccccccccccccSSSSSSS");
        expect_types(&c, "ccccccccccccIIIIIII");
        assert_int_equal(c.variation, SPC_VARIATION_IMPROVEMENT_LOW);
        spc_chart_release(&c);
        o.direction = SPC_NEUTRAL;
        chart(low, N(low), &o, &c);
        expect_types(&c, "ccccccccccccLLLLLLL");
        assert_int_equal(c.variation, SPC_VARIATION_NEUTRAL_LOW);
        spc_chart_release(&c);
        /* Six below is not enough. */
        o.direction = SPC_INCREASE;
        chart(low, N(low) - 1, &o, &c);
        expect_rules(&c, "cccccccccccccccccc");
        spc_chart_release(&c);
}

static void missing_values(void **state)
{
        (void)state;
        struct spc_options o;
        spc_options_init(&o);
        struct spc_chart c;
        /* The missing point splits the moving ranges: |2-1|, |6-5| only (not 5-2). */
        double y[] = {1, 2, NAN, 5, 6};
        chart(y, N(y), &o, &c);
        assert_int_equal(c.groups[0].n_values, 4);
        assert_int_equal(c.groups[0].n_ranges, 2);
        near(c.groups[0].mean, 3.5, 1e-12);
        near(c.groups[0].amr, 1, 1e-12);
        assert_true(isnan(c.points[2].value));
        assert_int_equal(c.points[2].side, 0);
        assert_int_equal(c.points[2].type, SPC_COMMON_CAUSE);
        assert_true(has_warning(&c, "1 missing value is left out"));
        spc_chart_release(&c);

        /* A run of 8 above the mean with a gap in the middle does not signal. */
        double gap[] = {-1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, 1, 1, 1, 1, NAN, 1, 1, 1, 1, 0};
        chart(gap, N(gap), &o, &c);
        for (size_t i = 0; i < N(gap); i++)
                assert_int_equal(c.points[i].shift, 0);
        spc_chart_release(&c);
        gap[16] = 1;
        chart(gap, N(gap), &o, &c);
        assert_int_equal(c.points[16].shift, 1);
        spc_chart_release(&c);

        /* Two values that are not next to each other give no moving range: no limits. */
        double apart[] = {1, NAN, 3};
        chart(apart, N(apart), &o, &c);
        assert_false(c.groups[0].has_limits);
        assert_true(isnan(c.points[0].upl));
        assert_int_equal(c.variation, SPC_VARIATION_NONE);
        assert_true(has_warning(&c, "no moving range"));
        spc_chart_release(&c);
}

static void short_and_empty(void **state)
{
        (void)state;
        struct spc_options o;
        spc_options_init(&o);
        o.has_target = 1;
        o.target = 3;
        struct spc_chart c;
        chart(NULL, 0, &o, &c);
        assert_int_equal(c.n_groups, 0);
        assert_int_equal(c.variation, SPC_VARIATION_NONE);
        assert_int_equal(c.assurance, SPC_ASSURANCE_NONE);
        spc_chart_release(&c);

        double one[] = {4};
        chart(one, 1, &o, &c);
        assert_false(c.groups[0].has_limits);
        assert_int_equal(c.variation, SPC_VARIATION_NONE);
        assert_int_equal(c.assurance, SPC_ASSURANCE_NONE);
        assert_true(has_warning(&c, "fewer than 2 baseline values"));
        spc_chart_release(&c);

        /* Two points: limits, but trial ones. */
        double two[] = {4, 6};
        chart(two, 2, &o, &c);
        assert_true(c.groups[0].has_limits);
        assert_true(c.groups[0].trial_limits);
        near(c.groups[0].upl, 5 + 2.66 * 2, 1e-12);
        assert_int_equal(c.assurance, SPC_ASSURANCE_INCONSISTENT);
        spc_chart_release(&c);

        /* Rebased so that the last group has one point: no icons. */
        size_t at[] = {19};
        o.rebase = at;
        o.n_rebase = 1;
        chart(e11, N(e11), &o, &c);
        assert_int_equal(c.n_groups, 2);
        assert_false(c.groups[1].has_limits);
        assert_int_equal(c.variation, SPC_VARIATION_NONE);
        assert_int_equal(c.assurance, SPC_ASSURANCE_NONE);
        spc_chart_release(&c);

        /* 13 points: not trial; 12: trial. */
        o.n_rebase = 0;
        chart(e11, 13, &o, &c);
        assert_false(c.groups[0].trial_limits);
        spc_chart_release(&c);
        chart(e11, 12, &o, &c);
        assert_true(c.groups[0].trial_limits);
        spc_chart_release(&c);
}

static void bad_options(void **state)
{
        (void)state;
        struct spc_options o;
        spc_options_init(&o);
        struct spc_chart c;
        struct err e;
        err_clear(&e);
        o.fix_after = 11;
        assert_int_equal(spc_xmr(e11, N(e11), &o, &c, &e), -1);
        assert_int_equal(e.code, EXIT_USAGE);
        assert_non_null(strstr(e.msg, "12"));
        spc_chart_release(&c);
        o.fix_after = 0;
        size_t at[] = {20};
        o.rebase = at;
        o.n_rebase = 1;
        err_clear(&e);
        assert_int_equal(spc_xmr(e11, N(e11), &o, &c, &e), -1);
        assert_int_equal(e.code, EXIT_USAGE);
        spc_chart_release(&c);
        o.n_rebase = 0;
        double inf[] = {1, 2, INFINITY};
        err_clear(&e);
        assert_int_equal(spc_xmr(inf, 3, &o, &c, &e), -1);
        assert_int_equal(e.code, EXIT_INPUT);
        spc_chart_release(&c);

        enum spc_direction d;
        assert_int_equal(spc_direction_parse("decrease", &d), 0);
        assert_int_equal(d, SPC_DECREASE);
        assert_int_equal(spc_direction_parse("up", &d), -1);
}

static void names_and_tables(void **state)
{
        (void)state;
        assert_string_equal(spc_point_type_name(SPC_IMPROVEMENT), "special_cause_improvement");
        assert_string_equal(spc_point_type_name(SPC_NEUTRAL_LOW), "special_cause_neutral_low");
        assert_string_equal(spc_variation_name(SPC_VARIATION_CONCERN_LOW), "concern_low");
        assert_null(spc_variation_name(SPC_VARIATION_NONE));
        assert_string_equal(spc_assurance_name(SPC_ASSURANCE_FAIL), "consistent_fail");
        assert_int_equal(spc_point_type_of(1, SPC_DECREASE), SPC_CONCERN);
        assert_int_equal(spc_point_type_of(-1, SPC_DECREASE), SPC_IMPROVEMENT);
        assert_int_equal(spc_point_type_of(0, SPC_NEUTRAL), SPC_COMMON_CAUSE);
        /* A target exactly on a limit is inside: inconsistent (comparisons are strict). */
        assert_int_equal(spc_assurance_of(3, 1, 3, SPC_INCREASE), SPC_ASSURANCE_INCONSISTENT);
        assert_int_equal(spc_assurance_of(1, 1, 3, SPC_DECREASE), SPC_ASSURANCE_INCONSISTENT);
        assert_int_equal(spc_assurance_of(0.5, 1, 3, SPC_DECREASE), SPC_ASSURANCE_FAIL);
        assert_int_equal(spc_assurance_of(5, 1, 3, SPC_NEUTRAL), SPC_ASSURANCE_NONE);
}

/* ---------------------------------------------------------------- shared reference data */

static json_t *load_shared(const char *name)
{
        char path[256];
        snprintf(path, sizeof path, SHARED "%s", name);
        if (access(path, R_OK) != 0) {
                print_message("SKIP: %s is absent (the shared reference data is not checked out "
                              "next to the repository)\n",
                              path);
                return NULL;
        }
        json_error_t je;
        json_t *root = json_load_file(path, 0, &je);
        if (!root)
                fail_msg("%s:%d: %s", path, je.line, je.text);
        return root;
}

static size_t doubles(json_t *arr, double *out, size_t cap)
{
        assert_true(json_is_array(arr));
        size_t n = json_array_size(arr);
        assert_true(n <= cap);
        for (size_t i = 0; i < n; i++)
                out[i] = json_number_value(json_array_get(arr, i));
        return n;
}

static size_t ints(json_t *arr, int *out, size_t cap)
{
        assert_true(json_is_array(arr));
        size_t n = json_array_size(arr);
        assert_true(n <= cap);
        for (size_t i = 0; i < n; i++)
                out[i] = (int)json_integer_value(json_array_get(arr, i));
        return n;
}

static void shared_xmr_limits(void **state)
{
        (void)state;
        json_t *root = load_shared("xmr_limit_cases.json");
        if (!root) {
                skip();
                return;
        }
        json_t *cases = json_object_get(root, "cases");
        size_t i, checked = 0;
        json_t *k;
        json_array_foreach(cases, i, k)
        {
                const char *id = json_string_value(json_object_get(k, "id"));
                double y[64];
                size_t n = doubles(json_object_get(k, "values"), y, 64);
                struct spc_options o;
                spc_options_init(&o);
                o.screen = json_is_true(json_object_get(k, "screen_outliers"));
                struct spc_chart c;
                chart(y, n, &o, &c);
                print_message("  %s: mean %.7g lpl %.7g upl %.7g\n", id, c.groups[0].mean,
                              c.groups[0].lpl, c.groups[0].upl);
                json_t *want = json_object_get(k, "expected");
                if (want) {
                        double tol = json_number_value(json_object_get(k, "tolerance"));
                        assert_true(tol > 0);
                        near(c.groups[0].mean, json_number_value(json_object_get(want, "mean")),
                             tol);
                        near(c.groups[0].lpl, json_number_value(json_object_get(want, "lpl")), tol);
                        near(c.groups[0].upl, json_number_value(json_object_get(want, "upl")), tol);
                        checked++;
                }
                json_t *outside = json_object_get(k, "expected_outside_limits_index1");
                if (outside) {
                        size_t j;
                        json_t *v;
                        size_t count = 0;
                        for (size_t p = 0; p < n; p++)
                                count += c.points[p].outside;
                        assert_int_equal(count, json_array_size(outside));
                        json_array_foreach(outside, j, v)
                        {
                                assert_int_equal(c.points[json_integer_value(v) - 1].outside, 1);
                        }
                        checked++;
                }
                json_t *last2 = json_object_get(k, "expected_point_type_last2");
                if (last2) {
                        assert_string_equal(spc_point_type_name(c.points[n - 2].type),
                                            json_string_value(json_array_get(last2, 0)));
                        assert_string_equal(spc_point_type_name(c.points[n - 1].type),
                                            json_string_value(json_array_get(last2, 1)));
                        checked++;
                }
                /* The one prose expectation: "point 5 special_cause_improvement (above UPL);
                 * others common_cause". */
                json_t *prose = json_object_get(k, "expected_point_types");
                if (prose) {
                        assert_non_null(strstr(json_string_value(prose), "point 5 "));
                        for (size_t p = 0; p < n; p++)
                                assert_int_equal(c.points[p].type,
                                                 p == 4 ? SPC_IMPROVEMENT : SPC_COMMON_CAUSE);
                        assert_int_equal(c.points[4].rule, SPC_RULE_OUTSIDE);
                        checked++;
                }
                spc_chart_release(&c);
        }
        assert_true(checked >= 8);
        json_decref(root);
}

static void check_rule_vector(const char *name, json_t *k)
{
        int a[64], b[64], want[64], got[64];
        double y[64];
        size_t n = ints(json_object_get(k, "out"), want, 64);
        if (strncmp(name, "seven_point_one_side", 20) == 0) {
                assert_int_equal(ints(json_object_get(k, "in"), a, 64), n);
                spc_rule_shift_ends(a, n, got);
        } else if (strncmp(name, "part_of_seven_trend", 19) == 0) {
                assert_int_equal(ints(json_object_get(k, "in"), a, 64), n);
                spc_rule_part_of_seven(a, n, got);
        } else if (strncmp(name, "seven_point_trend", 17) == 0) {
                assert_int_equal(doubles(json_object_get(k, "in"), y, 64), n);
                spc_rule_trend_ends(y, n, got);
        } else if (strncmp(name, "two_in_three", 12) == 0) {
                assert_int_equal(ints(json_object_get(k, "close"), a, 64), n);
                assert_int_equal(ints(json_object_get(k, "rtm"), b, 64), n);
                spc_rule_two_in_three_windows(a, b, n, got);
        } else if (strncmp(name, "part_of_two_in_three", 20) == 0) {
                assert_int_equal(ints(json_object_get(k, "close"), a, 64), n);
                assert_int_equal(ints(json_object_get(k, "rtm"), b, 64), n);
                spc_rule_two_in_three(a, b, n, got);
        } else {
                fail_msg("rule_unit_cases.json: no helper for '%s'", name);
        }
        for (size_t i = 0; i < n; i++)
                if (got[i] != want[i])
                        fail_msg("%s: output %zu is %d, want %d", name, i + 1, got[i], want[i]);
}

static void shared_rule_units(void **state)
{
        (void)state;
        json_t *root = load_shared("rule_unit_cases.json");
        if (!root) {
                skip();
                return;
        }
        json_t *cases = json_object_get(root, "cases");
        const char *name;
        json_t *list;
        size_t vectors = 0;
        json_object_foreach(cases, name, list)
        {
                if (!json_is_array(list))
                        continue; /* "priority" is prose, checked by the precedence tests */
                size_t i;
                json_t *k;
                json_array_foreach(list, i, k)
                {
                        check_rule_vector(name, k);
                        vectors++;
                }
        }
        print_message("  %zu rule vectors checked\n", vectors);
        assert_int_equal(vectors, 24);
        json_decref(root);
}

static void shared_assurance(void **state)
{
        (void)state;
        json_t *root = load_shared("assurance_cases.json");
        if (!root) {
                skip();
                return;
        }
        size_t i;
        json_t *k;
        json_array_foreach(json_object_get(root, "cases"), i, k)
        {
                double lpl = json_number_value(json_object_get(k, "lpl"));
                double upl = json_number_value(json_object_get(k, "upl"));
                double target = json_number_value(json_object_get(k, "target"));
                assert_string_equal(
                    spc_assurance_name(spc_assurance_of(target, lpl, upl, SPC_INCREASE)),
                    json_string_value(json_object_get(k, "increase")));
                assert_string_equal(
                    spc_assurance_name(spc_assurance_of(target, lpl, upl, SPC_DECREASE)),
                    json_string_value(json_object_get(k, "decrease")));
                assert_int_equal(spc_assurance_of(target, lpl, upl, SPC_NEUTRAL),
                                 SPC_ASSURANCE_NONE);
        }
        assert_int_equal(i, 3);
        json_decref(root);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(e1_1_limits_and_shift),
            cmocka_unit_test(e1_2_fixed_baseline),
            cmocka_unit_test(e1_3_rebase),
            cmocka_unit_test(e1_4_screening),
            cmocka_unit_test(exactly_on_a_line),
            cmocka_unit_test(e1_5_two_in_three),
            cmocka_unit_test(screening_cut_is_inclusive),
            cmocka_unit_test(trends_and_precedence),
            cmocka_unit_test(missing_values),
            cmocka_unit_test(short_and_empty),
            cmocka_unit_test(bad_options),
            cmocka_unit_test(names_and_tables),
            cmocka_unit_test(shared_xmr_limits),
            cmocka_unit_test(shared_rule_units),
            cmocka_unit_test(shared_assurance),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
