/*
 * spc.h — XmR charts in the NHS England "Making Data Count" convention.
 *
 * The definitions are statistics.md §1: mean and average moving range from
 * each group's baseline, moving-range screening (on by default), process
 * limits at mean ± 2.66·AMR and near-limit lines at ± (2/3)·2.66·AMR, the four
 * special-cause rules as raw flags, the point type after precedence, and the
 * variation and assurance icons.  Everything here is a pure function of
 * numbers: no I/O, no store.  A missing value is NaN.
 *
 * Ownership: spc_xmr() fills a caller-owned struct spc_chart, which owns
 * everything it points to; free it with spc_chart_release().  Inputs are
 * only read.
 */
#ifndef IMPROVE_SPC_H
#define IMPROVE_SPC_H

#include <stddef.h>

struct err;

#define SPC_LIMIT_CONSTANT  2.66  /* exactly 2.66, not 3/1.128 (statistics.md §1.2) */
#define SPC_SCREEN_CONSTANT 3.267 /* moving ranges >= 3.267·AMR0 are screened out */
#define SPC_TRIAL_POINTS    13    /* a group with fewer points has trial limits */
#define SPC_MIN_FIX_AFTER   12    /* smallest allowed fix_after_n_points */
#define SPC_RUN_LENGTH      7     /* points in a trend or a shift */
#define SPC_TRIAL_NOTE      "limits based on fewer than 13 points are trial limits"

enum spc_direction {
        SPC_INCREASE, /* higher is better */
        SPC_DECREASE, /* lower is better */
        SPC_NEUTRAL,
};

enum spc_point_type {
        SPC_COMMON_CAUSE,
        SPC_IMPROVEMENT,
        SPC_CONCERN,
        SPC_NEUTRAL_HIGH,
        SPC_NEUTRAL_LOW,
};

/* Which rule gave a special-cause point its label (the highest one that fired). */
enum spc_rule {
        SPC_RULE_NONE,
        SPC_RULE_OUTSIDE,
        SPC_RULE_TREND,
        SPC_RULE_TWO_IN_THREE,
        SPC_RULE_SHIFT,
};

enum spc_variation {
        SPC_VARIATION_NONE, /* no limits for the last point: no icon */
        SPC_VARIATION_COMMON_CAUSE,
        SPC_VARIATION_IMPROVEMENT_HIGH,
        SPC_VARIATION_IMPROVEMENT_LOW,
        SPC_VARIATION_CONCERN_HIGH,
        SPC_VARIATION_CONCERN_LOW,
        SPC_VARIATION_NEUTRAL_HIGH,
        SPC_VARIATION_NEUTRAL_LOW,
};

enum spc_assurance {
        SPC_ASSURANCE_NONE, /* no target, neutral direction, or no limits */
        SPC_ASSURANCE_PASS, /* consistently passes the target */
        SPC_ASSURANCE_FAIL, /* consistently fails the target */
        SPC_ASSURANCE_INCONSISTENT,
};

struct spc_options {
        enum spc_direction direction;
        int screen;           /* screen moving ranges (default 1) */
        size_t fix_after;     /* 0: the whole group is its baseline; else >= 12 */
        const size_t *rebase; /* 0-based indices of points that start a new group */
        size_t n_rebase;
        int has_target;
        double target;
        const char *const *periods; /* optional labels, used only to word warnings */
};

/* Defaults: increase, screening on, no fixing, no rebase, no target. */
void spc_options_init(struct spc_options *o);

struct spc_point {
        double value; /* NaN when missing */
        size_t group; /* index into spc_chart.groups */
        /* The group's lines; NaN when the group has too few values for limits. */
        double centre, lpl, upl, near_lpl, near_upl;
        int side;            /* sign(value - centre); 0 on the centre, missing, or no limits */
        unsigned char close; /* between a near-limit line and its limit (strict) */
        /* Raw rule flags: several may be set at once. */
        unsigned char outside, trend, two_in_three, shift;
        int trend_direction; /* +1 / -1 for a point in a trend, else 0 */
        enum spc_rule rule;  /* the rule that labels the point after precedence */
        int v;               /* +1 above / increasing, -1 below / decreasing, 0 common cause */
        enum spc_point_type type;
};

struct spc_group {
        size_t start, count; /* points [start, start + count) */
        size_t baseline;     /* the first `baseline` points of the group are its baseline */
        size_t n_values;     /* non-missing points in the group */
        size_t n_baseline_values;
        size_t n_ranges;   /* moving ranges in the baseline (both ends present) */
        size_t n_screened; /* of those, how many screening dropped */
        int has_limits;
        int trial_limits; /* fewer than 13 non-missing points */
        double mean, amr0, amr;
        double lpl, upl, near_lpl, near_upl;
};

struct spc_chart {
        size_t n;
        struct spc_point *points;
        size_t n_groups;
        struct spc_group *groups;
        enum spc_direction direction;
        int screen;
        size_t fix_after;
        int has_target;
        double target;
        enum spc_variation variation;
        enum spc_assurance assurance;
        char **warnings; /* sentences for the reader, in the order found */
        size_t n_warnings;
};

/*
 * Compute an XmR chart of y[0..n).  Returns 0, or -1 with an EXIT_USAGE error
 * for options outside their range (fix_after 1..11, a rebase index beyond the
 * series) and EXIT_INPUT for an infinite value.  n may be 0.
 */
int spc_xmr(const double *y, size_t n, const struct spc_options *o, struct spc_chart *c,
            struct err *e);
void spc_chart_release(struct spc_chart *c);

/*
 * The icons alone of the chart spc_xmr() draws with the default options
 * (one group, every point in the baseline, screening on) and the given
 * direction and target: the same variation and assurance, found from the
 * limits and the rules at the last point only, without allocating.  For
 * `improve measures`, which needs the icons of every prefix of every series.
 */
void spc_icons(const double *y, size_t n, enum spc_direction d, int has_target, double target,
               enum spc_variation *variation, enum spc_assurance *assurance);

/* The index of the period labelled `label`, or -1 when no period has that label. */
long spc_find_period(const char *const *periods, size_t n, const char *label);

/* Names as written in CSV and JSON (e.g. "special_cause_improvement"). */
const char *spc_point_type_name(enum spc_point_type t);
const char *spc_rule_name(enum spc_rule r);           /* "outside", "trend", ...; "" for none */
const char *spc_variation_name(enum spc_variation v); /* "improvement_high"; NULL for none */
const char *spc_assurance_name(enum spc_assurance a); /* "consistent_pass"; NULL for none */
const char *spc_direction_name(enum spc_direction d);
/* Words for a person: "special cause improvement (high)", "consistently passes the target". */
const char *spc_variation_words(enum spc_variation v);
const char *spc_assurance_words(enum spc_assurance a);
/* Parse "increase" / "decrease" / "neutral"; -1 if none of those. */
int spc_direction_parse(const char *s, enum spc_direction *d);

/* The assurance icon for a target against a group's limits (statistics.md §1.4). */
enum spc_assurance spc_assurance_of(double target, double lpl, double upl, enum spc_direction d);
/* The point type for a direction value v (+1, -1, 0) under an improvement direction. */
enum spc_point_type spc_point_type_of(int v, enum spc_direction d);

/*
 * The rule helpers on one group, exposed for unit tests against the reference
 * vectors (rule_unit_cases.json).  Each writes n outputs.
 */
/* 1 at every point that ends a run of 7 with the same non-zero side. */
void spc_rule_shift_ends(const int *side, size_t n, int *out);
/* +1 / -1 at every point that ends 7 strictly increasing / decreasing values (NaN breaks). */
void spc_rule_trend_ends(const double *y, size_t n, int *out);
/* 1 at every non-zero flag and at the 6 points before it. */
void spc_rule_part_of_seven(const int *ends, size_t n, int *out);
/* 1 at every point of a window of 3 with >= 2 close points and all three on one side. */
void spc_rule_two_in_three_windows(const int *close, const int *side, size_t n, int *out);
/* The two-of-three rule proper: in a qualifying window and close. */
void spc_rule_two_in_three(const int *close, const int *side, size_t n, int *out);

#endif
