/*
 * impact_int.h — what the files of `improve impact` share inside the
 * command: the panel read from a file (impact_panel.c) and the three methods
 * run on it (impact_methods.c); impact.c holds the options and the flow.
 */
#ifndef IMPROVE_CMD_IMPACT_INT_H
#define IMPROVE_CMD_IMPACT_INT_H

#include "cmd/impact.h"

#include <stddef.h>

struct err;
struct sc_predictor;

/* Time values are numbers (1989, 1989.0) or ISO dates, one kind per file. */
enum impact_time_kind { IMPACT_TIME_NONE, IMPACT_TIME_NUMBER, IMPACT_TIME_DATE };

/* A long panel as a matrix: units in order of first appearance, periods ascending. */
struct impact_panel {
        const char *path;
        enum impact_time_kind kind;
        size_t nunits, nperiods, nseries;
        char **units;
        double *keys; /* period keys, ascending */
        char **labels;
        double *y;          /* nunits × nperiods, NaN missing */
        double **series;    /* nseries × (nunits × nperiods) */
        char **series_cols; /* column names of the series */
};

/* What to read: column names (unit_col NULL: a single series), and other columns to keep. */
struct impact_reader {
        const char *path;
        const char *unit_col, *time_col, *outcome_col; /* unit_col NULL: one unit */
        const char *const *series_cols;                /* other columns to keep */
        size_t nseries;
};

/* An ISO date (key = day number) or a plain decimal number: 0, or -1 if neither. */
int impact_parse_time(const char *p, size_t n, enum impact_time_kind *kind, double *key);
/* Read and check a panel; FILE:LINE errors (EXIT_INPUT) for anything malformed. */
int impact_panel_read(const struct impact_reader *rd, struct impact_panel *p, struct err *e);
void impact_panel_release(struct impact_panel *p);
/* Index of the first period whose key is >= key (nperiods if none). */
size_t impact_find_period(const struct impact_panel *p, double key);
/* Index of a unit by name, nunits if absent. */
size_t impact_find_unit(const struct impact_panel *p, const char *name);
/* year·12 + month - 1 of a date key; *month (may be NULL) gets the calendar month. */
long impact_month_index(double key, int *month);

struct impact_its_request {
        int seasonal;
        const int *month; /* per period of the axis when seasonal */
        long lag;         /* -1 default */
        int small_sample;
};

struct impact_sc_request {
        const unsigned char *exclude;
        size_t fit_from;
        const struct sc_predictor *predictors;
        size_t npredictors;
        const char *const *predictor_text; /* as given, for JSON */
};

/* Set up a method's per-period arrays (NaN) for n periods. */
void impact_method_init(struct impact_method *m, enum impact_method_id id, size_t n);
/* Run one method for unit `treated` of the panel and fill r->m[...] (warnings in words). */
void impact_run_its(struct impact_report *r, const struct impact_panel *p, size_t treated,
                    const struct impact_its_request *q);
void impact_run_sc(struct impact_report *r, const struct impact_panel *p, size_t treated,
                   const struct impact_sc_request *q);
void impact_run_did(struct impact_report *r, const struct impact_panel *p, size_t treated,
                    const unsigned char *exclude);

/* ---------------------------------------------------------------- the store form */

struct store;

struct impact_store_request {
        const char *la;
        long long event_id; /* > 0: the change is this registered event */
        const char *date;   /* otherwise the change date, ISO */
        const char *measure;
        const char *period; /* "month", "year" or NULL (monthly when the measure has it) */
        const char *donors; /* "all" (NULL), "neighbours" or "region" */
        int keep_transition;
};

/* The treated authority's series and every authority with values, ready for the methods. */
struct impact_store_input {
        struct impact_panel p; /* units: authority codes; labels: period ends */
        size_t treated, first_post;
        unsigned char *exclude; /* not comparison units */
        char *treated_name;     /* "901 Aldrwick" */
        char *start;            /* the change date, "2021-04-01" */
        char *change;           /* "Front door restructure on 2021-04-01" or NULL */
        const char *outcome;    /* the measure id */
        char **warnings;
        size_t n_warnings;
};

/*
 * Load from the store (impact_store.c).  EXIT_USAGE errors for an event that is
 * not there or not the authority's, a measure without the period asked for, or
 * an authority with no values; store failures as they come.
 */
int impact_store_load(struct store *s, const struct impact_store_request *q,
                      struct impact_store_input *in, struct err *e);
void impact_store_input_release(struct impact_store_input *in);

#endif
