/*
 * rules.h — validation rules for the SSDA903 return and the CIN census:
 * the rule table, the context a rule runs in, findings, and the runner.
 *
 * THE CONTRACT
 *
 * A rule is one row and one function.  The row (struct rule_def) is data: the
 * DfE code, error or query, our own message (never the DfE/D2I wording), the
 * affected fields and the tables it reads ("|"-separated, as in the catalogues
 * in ../shared/data/spec/), the reference data it needs, and the rule-set
 * years it belongs to.  The function looks at the load and reports findings:
 *
 *      static int r_103(struct rule_ctx *ctx)
 *      {
 *              const struct ssda903_table *hd = &ctx->s903->t[SSDA903_HEADER];
 *              for (size_t i = 0; i < hd->n; i++) {
 *                      const struct ssda903_row *r = &hd->rows[i];
 *                      if (r->v[HD_ETHNIC] && !code_in(r->v[HD_ETHNIC], ethnic_codes))
 *                              rule_report_903(ctx, SSDA903_HEADER, r, NULL, NULL);
 *              }
 *              return 0;
 *      }
 *
 *      const struct rule_def rules_903_header[] = {
 *              {"103", RULE_ERROR, "Ethnicity is not a valid code.", "ETHNIC", "Header",
 *               0, RULES_ALL_YEARS, r_103},
 *              ...
 *              {0},
 *      };
 *
 * - Where: 903 rules go in src/rules/903/<family>.c, CIN rules in
 *   src/rules/cin/<family>.c, a family being a table or a topic (header.c,
 *   episodes.c, placements.c, reviews.c, uasc.c, oc2.c, oc3.c, adoption.c,
 *   prevperm.c, missing.c, swepisodes.c, dolo.c, lastyear.c, …; keep a file
 *   under ~800 lines).  Each family exports one table `rules_903_<family>[]`
 *   (or `rules_cin_<family>[]`) ending with a zeroed row, and is listed once in
 *   src/rules/903/families.c (or src/rules/cin/families.c) — the only line a new
 *   family adds outside its own file.  Adding a rule to a family: one row in
 *   its table and one static function.
 * - Years: `years` is a bit mask of rule-set years, RULES_Y(2024) being the
 *   2023/24 rule set.  A rule present in every set is RULES_ALL_YEARS; one added
 *   in 2023/24 is RULES_FROM(2024); one removed after 2023/24 is
 *   RULES_UNTIL(2024).  A rule whose definition changed in some year is two (or
 *   more) rows with the same code and disjoint masks, e.g. RULES_UNTIL(2024)
 *   and RULES_FROM(2025), each with its own function (or one function reading
 *   ctx->rules_year).  So a year's set is its predecessor plus that year's
 *   additions and replacements minus its removals, exactly as the catalogues
 *   are composed; a unit test checks every row against the generated
 *   catalogue (rules_catalogue_903/cin: codes, years, fields, tables, needs).
 * - Behaviour: a rule never crashes on odd data — any cell may be NULL, any
 *   date DATE_NONE or DATE_BAD, any table empty, a child may lack a Header row.
 *   It returns 0, or -1 only for an internal failure (then it sets ctx->err).
 *   It does not print, exit or keep state between runs, and it writes
 *   nothing but its findings: the runner runs rules on several threads at
 *   once (each with its own copy of the context), then puts their findings
 *   in catalogue order, so the result never depends on the threads.
 * - Reference data: set `needs`.  The runner calls a rule only when what it
 *   needs is present (postcodes, providers, last year's tables, the submitting
 *   authority's code or the authority list); otherwise the rule is reported as
 *   skipped with the reason, and the rule may rely on the pointers being set.
 *   Tables: a rule is also skipped when a current-year table it reads (from
 *   `tables`) was not supplied at all.
 * - Status for `improve rules`: every code of every catalogue appears, as
 *   implemented, needs-data (implemented, runs only with reference data) or
 *   not-implemented (listed, never hidden).
 */
#ifndef IMPROVE_RULES_H
#define IMPROVE_RULES_H

#include "core/arena.h"
#include "core/date.h"
#include "returns/ssda903.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

struct err;
struct cin_load;
struct refdata_postcodes;
struct refdata_providers;
struct refdata_authorities;
struct refdata_provider;
struct rules_shared;

enum rules_return {
        RULES_903,
        RULES_CIN,
};

enum rule_severity {
        RULE_ERROR, /* must be fixed */
        RULE_QUERY, /* check, and amend or explain */
};

/* What a rule needs beyond the return itself. */
enum rule_need {
        RULE_NEEDS_POSTCODES = 1u << 0,     /* postcode directory (derived PL_* fields) */
        RULE_NEEDS_PROVIDERS = 1u << 1,     /* Ofsted providers list ("urn" in the catalogues) */
        RULE_NEEDS_LAST_YEAR = 1u << 2,     /* previous year's tables (`_last`) */
        RULE_NEEDS_LA = 1u << 3,            /* the submitting authority's code (--la) */
        RULE_NEEDS_AUTHORITIES = 1u << 4,   /* the list of authorities and their codes */
        RULE_NEEDS_BANK_HOLIDAYS = 1u << 5, /* working days (always built in; date range only) */
};

/* Rule-set years: the set named by the year its collection ends (2024 = 2023/24). */
#define RULES_FIRST_YEAR 2023
#define RULES_LAST_YEAR  2027
#define RULES_903_FIRST  2023
#define RULES_903_LAST   2027
#define RULES_CIN_FIRST  2023
#define RULES_CIN_LAST   2026
#define RULES_Y(y)       (1u << ((y)-RULES_FIRST_YEAR))
#define RULES_ALL_YEARS  (RULES_Y(RULES_LAST_YEAR + 1) - 1u)
#define RULES_FROM(y)    (RULES_ALL_YEARS & ~(RULES_Y(y) - 1u))
#define RULES_UNTIL(y)   (RULES_Y((y) + 1) - 1u)

struct rule_ctx;

struct rule_def {
        const char *code; /* DfE code: "101", "503D", "SW01aSTG1", "2886Q", "INT01" */
        enum rule_severity severity;
        const char *message; /* our own wording */
        const char *fields;  /* affected fields, "|"-separated */
        const char *tables;  /* tables read, "|"-separated ("Episodes|Episodes_last") */
        unsigned needs;      /* enum rule_need bits */
        unsigned years;      /* RULES_Y() bits */
        int (*check)(struct rule_ctx *ctx);
};

/* One finding: a row (or a child, or the return) that breaks a rule. */
struct finding {
        const char *rule; /* code */
        enum rule_severity severity;
        const char *table;   /* DfE table name (Header, Episodes, … or the CIN module) */
        long row;            /* 1-based data row in the table's input; 0 = not a row */
        const char *child;   /* CHILD / LAchildID, or NULL */
        const char *fields;  /* "|"-separated */
        const char *message; /* the rule's message, plus any detail */
        const char *file;    /* input file, or NULL */
};

/* What happened to one rule in a run. */
enum rule_outcome_kind {
        RULE_RAN,             /* called; nfindings findings */
        RULE_SKIPPED,         /* not called: reason says what is missing */
        RULE_FAILED,          /* returned -1: reason holds the error */
        RULE_NOT_IMPLEMENTED, /* in the catalogue for this year, no function yet */
};

struct rule_outcome {
        const char *code;
        enum rule_outcome_kind kind;
        const char *reason; /* for SKIPPED / FAILED / NOT_IMPLEMENTED */
        size_t nfindings;
};

/* The findings of a run.  Caller-owned: rules_result_init() / rules_result_release(). */
struct rules_result {
        struct arena arena; /* strings of findings and outcomes */
        struct finding *f;
        size_t n, cap;
        struct rule_outcome *o;
        size_t no, ocap;
        size_t nerrors, nqueries;                 /* findings by severity */
        size_t nran, nskipped, nfailed, nmissing; /* outcomes by kind */
        int rules_year;
        /* private: arenas of the runner's worker threads, holding strings of findings */
        struct arena *more;
        size_t nmore;
        /* private: the last table, file, child and fields copied, which findings often repeat */
        const char *last_table, *last_file, *last_child, *last_fields;
        /* private: copies of a 903 load's strings, made once each (by child and table); only
         * in the runner's own results (memo set), which live for one run over one load */
        int memo;
        const char **child_copy; /* [nchild_copy] */
        size_t nchild_copy;
        const char *table_copy[SSDA903_NTABLES], *file_copy[SSDA903_NTABLES];
        /* private: scratch memory for ordering one rule's findings, kept between rules */
        void *scratch;
        size_t scratch_cap;
};
void rules_result_init(struct rules_result *res);
void rules_result_release(struct rules_result *res);

/* What a rule sees.  Set up with rules_ctx_init_903() (or the CIN equivalent), then add
 * whatever reference data and codes you have. */
struct rule_ctx {
        enum rules_return ret;
        const struct ssda903_load *s903; /* the 903 load (NULL for CIN) */
        const struct cin_load *cin;      /* the CIN census (NULL for 903) */

        int collection_year;   /* of the data: 2026 = 1 Apr 2025 – 31 Mar 2026 */
        date_t start, end;     /* 1 April collection_year-1, 31 March collection_year */
        date_t reference_date; /* 903: end; CIN: the header's ReferenceDate */
        int rules_year;        /* the rule set being run (may differ from collection_year) */

        const char *la_code; /* submitting authority's ONS code ("E06000001"), or NULL */
        const char *la_old;  /* its 3-digit DfE code ("805"), or NULL */
        const struct refdata_postcodes *postcodes;     /* or NULL */
        const struct refdata_providers *providers;     /* or NULL */
        const struct refdata_authorities *authorities; /* or NULL */

        /*
         * Threads the runner may use: 0 picks as many as the machine has (up to
         * RULES_MAX_THREADS; one for a return of under 2,000 rows), 1 runs every
         * rule in the calling thread.  Rules are independent, and the findings
         * come out the same either way.
         */
        int threads;

        /* Set by the runner: look-ups several rules share (rule_ep_provider()), or NULL. */
        const struct rules_shared *shared;

        /* Set by the runner while a rule runs. */
        const struct rule_def *rule;
        struct rules_result *out;
        struct err *err;
        size_t nfound; /* findings reported by the current rule */
};

#define RULES_MAX_THREADS 4

/* ctx for a 903 load: data year from the load; rules_year 0 picks rules_pick_year(). */
void rules_ctx_init_903(struct rule_ctx *ctx, const struct ssda903_load *ld, int rules_year);

/*
 * Report a finding of the running rule.  `fields` NULL means the rule's own
 * fields; `detail` (may be NULL) is appended to the rule's message after ": ".
 * Strings are copied.
 */
void rule_report(struct rule_ctx *ctx, const char *table, long row, const char *child,
                 const char *file, const char *fields, const char *detail);
/* A 903 row: table name, row number, child and file come from the load. */
void rule_report_903(struct rule_ctx *ctx, int table, const struct ssda903_row *r,
                     const char *fields, const char *detail);
/* The same with a printf-style detail. */
void rule_report_903f(struct rule_ctx *ctx, int table, const struct ssda903_row *r,
                      const char *fields, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/*
 * vsnprintf(buf, cap, fmt, ap), the same text, made without printf's cost per
 * call for the conversions details use (%s %c %d %i %u %ld %lu %zu %%, no
 * flags, width or precision); any other format goes to vsnprintf itself.
 */
void rules_vformat(char *buf, size_t cap, const char *fmt, va_list ap);
void rules_format(char *buf, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * The provider in Ofsted's list (ctx->providers) of a 903 Episodes row's URN:
 * NULL when the URN is blank, the placeholder XXXXXXX or not in the list.
 * Several rules ask this of every episode; the runner looks each URN up once
 * for all of them.
 */
const struct refdata_provider *rule_ep_provider(const struct rule_ctx *ctx,
                                                const struct ssda903_row *r);

/*
 * The runner's memo of one 903 child's answer to r9_looked_after_all_year
 * (0 not yet known, else 1 + the answer), which workers may fill at once:
 * every one writes the same answer.  NULL outside the runner.
 */
atomic_uchar *rules_memo_looked_after(const struct rule_ctx *ctx, uint32_t child);

/*
 * Run the rule set ctx->rules_year of ctx->ret over the load: every rule of
 * that set in catalogue order; rules lacking data are SKIPPED with the reason,
 * catalogue codes without a function are NOT_IMPLEMENTED.  For 903, the load's
 * notes (unexpected XML elements) become findings of code "FORMAT".  Findings
 * are sorted by rule (catalogue order), then table, then row.  -1 + error only
 * for a bad rule-set year or an internal failure.
 */
int rules_run(struct rule_ctx *ctx, struct rules_result *res, struct err *e);

/*
 * The rule set to use for data of `data_year` when none was asked for: the
 * data's own year; for data older than every set, the oldest (and *notice set
 * to say so); newer than every set, the newest (with a notice).
 */
int rules_pick_year(enum rules_return ret, int data_year, const char **notice);
/* 1 if the return has a rule set for `year`. */
int rules_year_valid(enum rules_return ret, int year);

/* ---------------------------------------------------------------- the catalogue */

/* One code of the generated catalogue (scripts/gen-rule-catalogue from ../shared/data/spec). */
struct rule_catalogue_entry {
        const char *code;
        enum rule_severity severity;
        const char *fields;
        const char *tables;
        unsigned needs; /* RULE_NEEDS_* as the catalogue states them */
        unsigned years; /* the sets listing the code */
};
extern const struct rule_catalogue_entry rules_catalogue_903[];
extern const size_t rules_catalogue_903_n;
extern const struct rule_catalogue_entry rules_catalogue_cin[];
extern const size_t rules_catalogue_cin_n;

/* The family tables of a return (src/rules/<return>/families.c), NULL-terminated; each
 * table ends with a zeroed row. */
const struct rule_def *const *rules_families(enum rules_return ret);

enum rule_status {
        RULE_STATUS_IMPLEMENTED,     /* runs on the return alone */
        RULE_STATUS_NEEDS_DATA,      /* implemented; runs when its reference data is given */
        RULE_STATUS_NOT_IMPLEMENTED, /* in the catalogue, no function yet */
};
const char *rule_status_name(enum rule_status s); /* "implemented", "needs-data", … */
/* Names of a needs mask ("postcodes|last_year"), written into buf. */
const char *rule_needs_str(unsigned needs, char *buf, size_t n);

struct rule_info {
        const char *code;
        enum rule_status status;
        const struct rule_def *def;             /* NULL when not implemented */
        const struct rule_catalogue_entry *cat; /* never NULL */
};
/* The rule set of a year in catalogue order.  *n set; caller frees the array.  NULL + error
 * for a year without a set. */
struct rule_info *rules_list(enum rules_return ret, int year, size_t *n, struct err *e);
/* The implemented row of `code` in a year's set, or NULL. */
const struct rule_def *rules_find(enum rules_return ret, int year, const char *code);

#endif
