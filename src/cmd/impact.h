/*
 * impact.h — what `improve impact` hands from the estimation (impact.c) to
 * the writers (impact_output.c: text, CSV, JSON; impact_svg.c: the picture).
 *
 * A report is one treated series on one axis of periods, and up to three
 * methods, each with its headline numbers, its per-period path and its
 * warnings in words.  Every per-period array has `nperiods` entries, NaN
 * where the method says nothing about that period.  The report owns all its
 * memory (impact_report_release).
 */
#ifndef IMPROVE_CMD_IMPACT_H
#define IMPROVE_CMD_IMPACT_H

#include <jansson.h>
#include <stddef.h>

struct buf;

enum impact_method_id {
        IMPACT_ITS,
        IMPACT_SC,
        IMPACT_DID,
        IMPACT_NMETHODS,
};

enum impact_format {
        IMPACT_TEXT,
        IMPACT_CSV,
        IMPACT_JSON,
        IMPACT_SVG,
};

struct impact_method {
        enum impact_method_id id;
        int requested; /* the user asked for it (directly or through `all`) */
        int available; /* this build has it (synthetic control may not) */
        int ran;       /* an estimate exists (otherwise the warnings say why) */
        int poor_fit;  /* the pre-period fit is poor: the verdict will not lean on it */
        double effect, ci_low, ci_high; /* NaN when none */
        double pre_rmspe, post_rmspe, p_value, loss;
        double pre_mean; /* of the treated unit's pre-period values the method used */
        size_t n_pre, n_post;
        size_t p_rank, p_units; /* synthetic control's placebo p = rank/units */
        double *counterfactual, *effect_t, *lower, *upper;
        unsigned char *row; /* period appears in this method's CSV rows */
        char **warnings;
        size_t n_warnings;
        json_t *details; /* method-specific figures for JSON (owned) */
};

struct impact_report {
        const char *source;  /* the input file */
        const char *treated; /* the treated unit's name; NULL for --series */
        const char *outcome; /* the outcome column, or "value" */
        const char *start;   /* --start as given, or the change date */
        /* Names the change, "Front door restructure on 2021-04-01"; NULL: "the change at START". */
        const char *change;
        size_t nperiods;
        char **labels; /* period labels */
        size_t first_post;
        double *observed; /* the treated series (NaN missing) */
        size_t nunits;    /* units in the panel (1 for --series) */
        int decimals;     /* places for numbers in text and the verdict */
        struct impact_method m[IMPACT_NMETHODS];
        /* Synthetic control's placebo gaps, for the picture: nplacebo × nperiods. */
        size_t nplacebo;
        double *placebo_gap;
        double *sc_gap;  /* the treated unit's gap (nperiods) or NULL */
        char **warnings; /* about the input as a whole */
        size_t n_warnings;
};

const char *impact_method_name(enum impact_method_id id);  /* "its", "sc", "did" */
const char *impact_method_title(enum impact_method_id id); /* "Interrupted time series" */

void impact_method_warn(struct impact_method *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void impact_report_warn(struct impact_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void impact_report_release(struct impact_report *r);

/* "text", "csv", "json", "svg"; -1 for anything else. */
int impact_format_parse(const char *s, enum impact_format *f);

/* Write the report in one format. */
void impact_output(struct buf *out, enum impact_format f, const struct impact_report *r);
/* The plain-English verdict (a paragraph, no trailing newline). */
void impact_verdict(struct buf *out, const struct impact_report *r);
/* The accessible SVG picture. */
void impact_svg(struct buf *out, const struct impact_report *r);

#endif
