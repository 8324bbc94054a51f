/*
 * spc.c — XmR charts in the "Making Data Count" convention (statistics.md §1).
 *
 * A chart is a sequence of groups (split at rebase points).  Each group gets
 * its limits from its baseline only, and the rules of spc_rules.c are run over
 * all of its points; then precedence turns the raw flags into one label per
 * point, and the last point and last group give the icons.  Anything a reader
 * should know about the chart (trial limits, groups without limits, ignored
 * options) becomes a warning sentence rather than an error, so a chart is
 * always produced for valid options.
 */
#include "stats/spc.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/xalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void spc_options_init(struct spc_options *o)
{
        memset(o, 0, sizeof *o);
        o->direction = SPC_INCREASE;
        o->screen = 1;
}

static void warn(struct spc_chart *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warn(struct spc_chart *c, const char *fmt, ...)
{
        struct buf b;
        buf_init(&b);
        va_list ap;
        va_start(ap, fmt);
        buf_vprintf(&b, fmt, ap);
        va_end(ap);
        c->warnings = xrealloc(c->warnings, (c->n_warnings + 1) * sizeof *c->warnings);
        c->warnings[c->n_warnings++] = buf_detach(&b, NULL);
        buf_release(&b);
}

static int sign(double v)
{
        return (v > 0) - (v < 0);
}

/* "group 2 (2021-01 to 2021-08)", or with points numbered from 1 when there are no labels. */
static void describe_group(struct buf *b, const struct spc_group *g, size_t index,
                           const char *const *periods)
{
        size_t last = g->start + g->count - 1;
        buf_printf(b, "group %zu (", index + 1);
        if (periods)
                buf_printf(b, "%s to %s", periods[g->start], periods[last]);
        else
                buf_printf(b, "points %zu to %zu", g->start + 1, last + 1);
        buf_putc(b, ')');
}

/* Mean, average moving range (screened once) and the four lines, from the baseline. */
static void group_limits(const double *y, struct spc_group *g, int screen)
{
        const double *b = y + g->start;
        double sum = 0;
        size_t m = 0;
        for (size_t i = 0; i < g->baseline; i++) {
                if (!isnan(b[i])) {
                        sum += b[i];
                        m++;
                }
        }
        g->n_baseline_values = m;
        double mr_sum = 0;
        size_t k = 0;
        for (size_t i = 1; i < g->baseline; i++) {
                if (!isnan(b[i]) && !isnan(b[i - 1])) {
                        mr_sum += fabs(b[i] - b[i - 1]);
                        k++;
                }
        }
        g->n_ranges = k;
        if (m < 2 || k == 0)
                return;
        g->has_limits = 1;
        g->mean = sum / (double)m;
        g->amr0 = mr_sum / (double)k;
        g->amr = g->amr0;
        /* With every moving range 0 the cut is 0 and would drop them all, leaving
         * no average; the limits then collapse onto the mean, which is what a
         * flat baseline says. */
        if (screen && g->amr0 > 0) {
                double cut = SPC_SCREEN_CONSTANT * g->amr0;
                double kept_sum = 0;
                size_t kept = 0;
                for (size_t i = 1; i < g->baseline; i++) {
                        if (isnan(b[i]) || isnan(b[i - 1]))
                                continue;
                        double mr = fabs(b[i] - b[i - 1]);
                        if (mr < cut) {
                                kept_sum += mr;
                                kept++;
                        }
                }
                g->n_screened = k - kept;
                g->amr = kept_sum / (double)kept;
        }
        double width = SPC_LIMIT_CONSTANT * g->amr;
        double near = 2.0 / 3.0 * SPC_LIMIT_CONSTANT * g->amr;
        g->lpl = g->mean - width;
        g->upl = g->mean + width;
        g->near_lpl = g->mean - near;
        g->near_upl = g->mean + near;
}

/* The rules over one group, then precedence.  `scratch` holds 6·count ints. */
static void group_rules(const double *y, const struct spc_group *g, struct spc_point *pts,
                        enum spc_direction dir, int *scratch)
{
        size_t m = g->count;
        const double *v = y + g->start;
        struct spc_point *p = pts + g->start;
        int *side = scratch, *close = scratch + m, *ends = scratch + 2 * m;
        int *trend = scratch + 3 * m, *two = scratch + 4 * m, *shift = scratch + 5 * m;

        for (size_t t = 0; t < m; t++) {
                int out = v[t] > g->upl || v[t] < g->lpl;
                p[t].side = isnan(v[t]) ? 0 : sign(v[t] - g->mean);
                p[t].outside = (unsigned char)out;
                /* §1.2 says a point exactly on a limit is neither outside nor close, so
                 * "close" is strictly between a near-limit line and its limit. */
                int near =
                    (v[t] > g->near_upl && v[t] < g->upl) || (v[t] < g->near_lpl && v[t] > g->lpl);
                p[t].close = (unsigned char)(!out && near);
                side[t] = p[t].side;
                close[t] = p[t].close;
        }
        spc_rule_trend_ends(v, m, ends);
        spc_rule_part_of_seven(ends, m, trend);
        spc_rule_two_in_three(close, side, m, two);
        spc_rule_shift_ends(side, m, ends);
        spc_rule_part_of_seven(ends, m, shift);

        for (size_t t = 0; t < m; t++) {
                p[t].trend = (unsigned char)trend[t];
                p[t].two_in_three = (unsigned char)two[t];
                p[t].shift = (unsigned char)shift[t];
                if (trend[t]) {
                        /* The step into the point, unless the trend goes on past it: then
                         * the step out, so that a trend's first point takes its direction. */
                        if (t + 1 < m && trend[t + 1])
                                p[t].trend_direction = sign(v[t + 1] - v[t]);
                        else
                                p[t].trend_direction = t > 0 ? sign(v[t] - v[t - 1]) : 0;
                }
                int s = p[t].side > 0 ? 1 : -1;
                if (p[t].outside) {
                        p[t].rule = SPC_RULE_OUTSIDE;
                        p[t].v = s;
                } else if (p[t].trend) {
                        p[t].rule = SPC_RULE_TREND;
                        p[t].v = p[t].trend_direction;
                } else if (p[t].two_in_three) {
                        p[t].rule = SPC_RULE_TWO_IN_THREE;
                        p[t].v = s;
                } else if (p[t].shift) {
                        p[t].rule = SPC_RULE_SHIFT;
                        p[t].v = s;
                }
                p[t].type = spc_point_type_of(p[t].v, dir);
        }
}

static void group_warnings(struct spc_chart *c, size_t gi, const struct spc_options *o)
{
        const struct spc_group *g = &c->groups[gi];
        struct buf name;
        buf_init(&name);
        describe_group(&name, g, gi, o->periods);
        if (!g->has_limits) {
                if (g->n_baseline_values < 2)
                        warn(c, "%s: fewer than 2 baseline values, so no limits, rules or icons",
                             name.data);
                else
                        warn(c,
                             "%s: no two consecutive baseline values (no moving range), so no "
                             "limits, rules or icons",
                             name.data);
        } else {
                if (g->trial_limits)
                        warn(c, "%s: %s", name.data, SPC_TRIAL_NOTE);
                if (g->amr0 == 0)
                        warn(c,
                             "%s: every moving range in the baseline is 0, so the limits "
                             "equal the mean",
                             name.data);
        }
        if (o->fix_after > g->count)
                warn(c,
                     "%s: has only %zu points, fewer than the %zu to fix the baseline after; "
                     "all of them are its baseline",
                     name.data, g->count, o->fix_after);
        buf_release(&name);
}

int spc_xmr(const double *y, size_t n, const struct spc_options *o, struct spc_chart *c,
            struct err *e)
{
        memset(c, 0, sizeof *c);
        if (o->fix_after > 0 && o->fix_after < SPC_MIN_FIX_AFTER)
                return err_set(e, EXIT_USAGE,
                               "the baseline can be fixed after %d or more points, not %zu",
                               SPC_MIN_FIX_AFTER, o->fix_after);
        for (size_t i = 0; i < o->n_rebase; i++)
                if (o->rebase[i] >= n)
                        return err_set(e, EXIT_USAGE,
                                       "rebase at point %zu, but the series has %zu points",
                                       o->rebase[i] + 1, n);
        for (size_t i = 0; i < n; i++)
                if (isinf(y[i]))
                        return err_set(e, EXIT_INPUT, "value %zu is infinite", i + 1);

        c->n = n;
        c->direction = o->direction;
        c->screen = o->screen;
        c->fix_after = o->fix_after;
        c->has_target = o->has_target;
        c->target = o->target;
        if (n == 0)
                return 0;

        unsigned char *starts = xcalloc(n, 1);
        starts[0] = 1;
        for (size_t i = 0; i < o->n_rebase; i++)
                starts[o->rebase[i]] = 1;
        for (size_t i = 0; i < n; i++)
                c->n_groups += starts[i];
        c->groups = xcalloc(c->n_groups, sizeof *c->groups);
        c->points = xcalloc(n, sizeof *c->points);
        size_t gi = 0;
        for (size_t i = 0; i < n; i++) {
                if (i > 0 && starts[i])
                        gi++;
                if (starts[i])
                        c->groups[gi].start = i;
                c->groups[gi].count++;
        }
        free(starts);

        int *scratch = xmalloc(6 * n * sizeof *scratch);
        size_t missing = 0;
        for (gi = 0; gi < c->n_groups; gi++) {
                struct spc_group *g = &c->groups[gi];
                g->baseline = o->fix_after > 0 && o->fix_after < g->count ? o->fix_after : g->count;
                for (size_t i = g->start; i < g->start + g->count; i++) {
                        struct spc_point *p = &c->points[i];
                        p->value = y[i];
                        p->group = gi;
                        p->centre = p->lpl = p->upl = p->near_lpl = p->near_upl = NAN;
                        if (isnan(y[i]))
                                missing++;
                        else
                                g->n_values++;
                }
                group_limits(y, g, o->screen);
                if (g->has_limits) {
                        g->trial_limits = g->n_values < SPC_TRIAL_POINTS;
                        for (size_t i = g->start; i < g->start + g->count; i++) {
                                struct spc_point *p = &c->points[i];
                                p->centre = g->mean;
                                p->lpl = g->lpl;
                                p->upl = g->upl;
                                p->near_lpl = g->near_lpl;
                                p->near_upl = g->near_upl;
                        }
                        group_rules(y, g, c->points, o->direction, scratch);
                } else {
                        g->mean = g->amr0 = g->amr = NAN;
                        g->lpl = g->upl = g->near_lpl = g->near_upl = NAN;
                }
                group_warnings(c, gi, o);
        }
        free(scratch);
        if (missing > 0)
                warn(c,
                     "%zu missing value%s left out of the limits; runs, trends and windows are "
                     "not joined across them",
                     missing, missing == 1 ? " is" : "s are");

        const struct spc_group *lastg = &c->groups[c->n_groups - 1];
        const struct spc_point *lastp = &c->points[n - 1];
        if (lastg->has_limits) {
                switch (lastp->type) {
                case SPC_COMMON_CAUSE:
                        c->variation = SPC_VARIATION_COMMON_CAUSE;
                        break;
                case SPC_IMPROVEMENT:
                        c->variation = o->direction == SPC_INCREASE ? SPC_VARIATION_IMPROVEMENT_HIGH
                                                                    : SPC_VARIATION_IMPROVEMENT_LOW;
                        break;
                case SPC_CONCERN:
                        c->variation = o->direction == SPC_INCREASE ? SPC_VARIATION_CONCERN_LOW
                                                                    : SPC_VARIATION_CONCERN_HIGH;
                        break;
                case SPC_NEUTRAL_HIGH:
                        c->variation = SPC_VARIATION_NEUTRAL_HIGH;
                        break;
                case SPC_NEUTRAL_LOW:
                        c->variation = SPC_VARIATION_NEUTRAL_LOW;
                        break;
                }
        }
        if (o->has_target && o->direction == SPC_NEUTRAL)
                warn(c, "a target gives no assurance icon when the improvement direction is "
                        "neutral");
        else if (o->has_target && lastg->has_limits)
                c->assurance = spc_assurance_of(o->target, lastg->lpl, lastg->upl, o->direction);
        return 0;
}

/*
 * Only the last point can decide the icons, and with one group whose
 * baseline is every point only these rules can reach it: outside the limits;
 * a trend ending on it (no point after it can end one); the one window of
 * three that ends on it; a run on one side ending on it.  The limits are
 * group_limits()'s, so the numbers are the same as spc_xmr()'s.
 */
void spc_icons(const double *y, size_t n, enum spc_direction d, int has_target, double target,
               enum spc_variation *variation, enum spc_assurance *assurance)
{
        *variation = SPC_VARIATION_NONE;
        *assurance = SPC_ASSURANCE_NONE;
        for (size_t i = 0; i < n; i++)
                if (isinf(y[i]))
                        return; /* spc_xmr refuses the series */
        if (n == 0)
                return;
        struct spc_group g = {.start = 0, .count = n, .baseline = n};
        group_limits(y, &g, 1);
        if (!g.has_limits)
                return;
        if (has_target && d != SPC_NEUTRAL)
                *assurance = spc_assurance_of(target, g.lpl, g.upl, d);
        size_t t = n - 1;
        double v = y[t];
        int side = isnan(v) ? 0 : sign(v - g.mean);
        int s = side > 0 ? 1 : -1;
        int dir = 0;
        if (v > g.upl || v < g.lpl) {
                dir = s;
        } else {
                size_t up = 0, down = 0;
                for (size_t k = t; k > 0 && y[k] > y[k - 1]; k--)
                        up++;
                for (size_t k = t; k > 0 && y[k] < y[k - 1]; k--)
                        down++;
                int close_t = (v > g.near_upl && v < g.upl) || (v < g.near_lpl && v > g.lpl);
                int two = 0;
                if (close_t && n >= 3) {
                        int near = 0, sum = 0;
                        for (size_t k = t - 2; k <= t; k++) {
                                double x = y[k];
                                int sd = isnan(x) ? 0 : sign(x - g.mean);
                                int out = x > g.upl || x < g.lpl;
                                near += !out && ((x > g.near_upl && x < g.upl) ||
                                                 (x < g.near_lpl && x > g.lpl));
                                sum += sd;
                        }
                        two = near >= 2 && (sum == 3 || sum == -3);
                }
                size_t run = 0;
                for (size_t k = t + 1; k-- > 0;) {
                        int sd = isnan(y[k]) ? 0 : sign(y[k] - g.mean);
                        if (sd == 0 || sd != side)
                                break;
                        run++;
                }
                if (up >= SPC_RUN_LENGTH - 1 || down >= SPC_RUN_LENGTH - 1)
                        dir = sign(v - y[t - 1]);
                else if (two || run >= SPC_RUN_LENGTH)
                        dir = s;
        }
        switch (spc_point_type_of(dir, d)) {
        case SPC_COMMON_CAUSE:
                *variation = SPC_VARIATION_COMMON_CAUSE;
                break;
        case SPC_IMPROVEMENT:
                *variation = d == SPC_INCREASE ? SPC_VARIATION_IMPROVEMENT_HIGH
                                               : SPC_VARIATION_IMPROVEMENT_LOW;
                break;
        case SPC_CONCERN:
                *variation =
                    d == SPC_INCREASE ? SPC_VARIATION_CONCERN_LOW : SPC_VARIATION_CONCERN_HIGH;
                break;
        case SPC_NEUTRAL_HIGH:
                *variation = SPC_VARIATION_NEUTRAL_HIGH;
                break;
        case SPC_NEUTRAL_LOW:
                *variation = SPC_VARIATION_NEUTRAL_LOW;
                break;
        }
}

void spc_chart_release(struct spc_chart *c)
{
        for (size_t i = 0; i < c->n_warnings; i++)
                free(c->warnings[i]);
        free(c->warnings);
        free(c->points);
        free(c->groups);
        memset(c, 0, sizeof *c);
}

long spc_find_period(const char *const *periods, size_t n, const char *label)
{
        for (size_t i = 0; i < n; i++)
                if (strcmp(periods[i], label) == 0)
                        return (long)i;
        return -1;
}

enum spc_point_type spc_point_type_of(int v, enum spc_direction d)
{
        if (v == 0)
                return SPC_COMMON_CAUSE;
        if (d == SPC_NEUTRAL)
                return v > 0 ? SPC_NEUTRAL_HIGH : SPC_NEUTRAL_LOW;
        int good = d == SPC_INCREASE ? v : -v;
        return good > 0 ? SPC_IMPROVEMENT : SPC_CONCERN;
}

enum spc_assurance spc_assurance_of(double target, double lpl, double upl, enum spc_direction d)
{
        if (d == SPC_NEUTRAL || isnan(target) || isnan(lpl) || isnan(upl))
                return SPC_ASSURANCE_NONE;
        if (target > upl)
                return d == SPC_INCREASE ? SPC_ASSURANCE_FAIL : SPC_ASSURANCE_PASS;
        if (target < lpl)
                return d == SPC_INCREASE ? SPC_ASSURANCE_PASS : SPC_ASSURANCE_FAIL;
        return SPC_ASSURANCE_INCONSISTENT;
}

const char *spc_point_type_name(enum spc_point_type t)
{
        switch (t) {
        case SPC_COMMON_CAUSE:
                return "common_cause";
        case SPC_IMPROVEMENT:
                return "special_cause_improvement";
        case SPC_CONCERN:
                return "special_cause_concern";
        case SPC_NEUTRAL_HIGH:
                return "special_cause_neutral_high";
        case SPC_NEUTRAL_LOW:
                return "special_cause_neutral_low";
        }
        return "common_cause";
}

const char *spc_rule_name(enum spc_rule r)
{
        switch (r) {
        case SPC_RULE_NONE:
                return "";
        case SPC_RULE_OUTSIDE:
                return "outside";
        case SPC_RULE_TREND:
                return "trend";
        case SPC_RULE_TWO_IN_THREE:
                return "two_in_three";
        case SPC_RULE_SHIFT:
                return "shift";
        }
        return "";
}

const char *spc_variation_name(enum spc_variation v)
{
        static const char *const names[] = {
            [SPC_VARIATION_NONE] = NULL,
            [SPC_VARIATION_COMMON_CAUSE] = "common_cause",
            [SPC_VARIATION_IMPROVEMENT_HIGH] = "improvement_high",
            [SPC_VARIATION_IMPROVEMENT_LOW] = "improvement_low",
            [SPC_VARIATION_CONCERN_HIGH] = "concern_high",
            [SPC_VARIATION_CONCERN_LOW] = "concern_low",
            [SPC_VARIATION_NEUTRAL_HIGH] = "neutral_high",
            [SPC_VARIATION_NEUTRAL_LOW] = "neutral_low",
        };
        return (size_t)v < sizeof names / sizeof *names ? names[v] : NULL;
}

const char *spc_variation_words(enum spc_variation v)
{
        static const char *const words[] = {
            [SPC_VARIATION_NONE] = "none (too few points for limits)",
            [SPC_VARIATION_COMMON_CAUSE] = "common cause variation",
            [SPC_VARIATION_IMPROVEMENT_HIGH] = "special cause improvement (high)",
            [SPC_VARIATION_IMPROVEMENT_LOW] = "special cause improvement (low)",
            [SPC_VARIATION_CONCERN_HIGH] = "special cause concern (high)",
            [SPC_VARIATION_CONCERN_LOW] = "special cause concern (low)",
            [SPC_VARIATION_NEUTRAL_HIGH] = "special cause, neither improvement nor concern "
                                           "(high)",
            [SPC_VARIATION_NEUTRAL_LOW] = "special cause, neither improvement nor concern "
                                          "(low)",
        };
        return (size_t)v < sizeof words / sizeof *words ? words[v] : "";
}

const char *spc_assurance_name(enum spc_assurance a)
{
        switch (a) {
        case SPC_ASSURANCE_NONE:
                return NULL;
        case SPC_ASSURANCE_PASS:
                return "consistent_pass";
        case SPC_ASSURANCE_FAIL:
                return "consistent_fail";
        case SPC_ASSURANCE_INCONSISTENT:
                return "inconsistent";
        }
        return NULL;
}

const char *spc_assurance_words(enum spc_assurance a)
{
        switch (a) {
        case SPC_ASSURANCE_NONE:
                return "none";
        case SPC_ASSURANCE_PASS:
                return "consistently passes the target";
        case SPC_ASSURANCE_FAIL:
                return "consistently fails the target";
        case SPC_ASSURANCE_INCONSISTENT:
                return "inconsistent: hits and misses the target";
        }
        return "none";
}

const char *spc_direction_name(enum spc_direction d)
{
        switch (d) {
        case SPC_INCREASE:
                return "increase";
        case SPC_DECREASE:
                return "decrease";
        case SPC_NEUTRAL:
                return "neutral";
        }
        return "increase";
}

int spc_direction_parse(const char *s, enum spc_direction *d)
{
        static const enum spc_direction all[] = {SPC_INCREASE, SPC_DECREASE, SPC_NEUTRAL};
        for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
                if (strcmp(s, spc_direction_name(all[i])) == 0) {
                        *d = all[i];
                        return 0;
                }
        }
        return -1;
}
