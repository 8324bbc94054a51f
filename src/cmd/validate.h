/*
 * validate.h — what `improve validate` and `improve import` (of a return)
 * share: the options that name a return and its reference data, reading the
 * return, running its rule set, and writing the report.
 *
 * One run is one return: an SSDA903 load (CSV tables, or one EXPSSDA903 XML
 * file plus SWEpisodes/DoLo CSVs, and optional previous-year tables) or one
 * CIN census.  The steps, each returning 0 or -1 with an error whose code is
 * the exit code (2 usage, 3 malformed input):
 *
 *      validate_collect()   expand PATHs, decide which return it is
 *      validate_refdata()   postcodes, providers, authorities, the LA's E-code
 *      validate_load()      read the files (hashing them when importing),
 *                           settle the collection year and the rule set
 *      validate_check()     run the rules; findings in run->res
 *
 * Everything a run holds is released by validate_run_release().
 */
#ifndef IMPROVE_CMD_VALIDATE_H
#define IMPROVE_CMD_VALIDATE_H

#include "cmd/cli.h"
#include "core/arena.h"
#include "returns/cin.h"
#include "rules/rules.h"

#include <stdio.h>

struct err;
struct store;

/* The options validate and import share; the cli_opt rows come from validate_opt_rows(). */
struct validate_opts {
        const char *ret_text; /* --return 903|cin */
        const char *la;       /* --la: 3-digit code */
        const char *year_text;
        const char *rules_text;
        struct cli_list previous; /* --previous PATH, repeatable */
        const char *postcodes, *ltla_utla, *providers, *authorities;
        struct cli_list paths; /* positional */
        /* set by validate_opts_check() */
        int ret; /* -1: infer from the files; else enum rules_return */
        int year, rules_year;
};

/* Number of rows validate_opt_rows() writes. */
#define VALIDATE_NOPTS 9
/* Fill out[0 .. VALIDATE_NOPTS-1] with the shared options bound to o. */
void validate_opt_rows(struct validate_opts *o, struct cli_opt *out);
/* Check the values; on a bad one print the usage error and return EXIT_USAGE, else 0. */
int validate_opts_check(const struct command *cmd, struct validate_opts *o);
void validate_opts_release(struct validate_opts *o);

enum validate_file_kind {
        VFILE_CSV,     /* an SSDA903 table */
        VFILE_XML_903, /* root <EXPSSDA903> */
        VFILE_XML_CIN, /* root <Message> */
};

struct validate_file {
        const char *path;
        int previous; /* a --previous table */
        enum validate_file_kind kind;
        long long bytes;
        char sha256[65]; /* hex, when hashing was asked for */
};

struct validate_run {
        struct arena arena;
        enum rules_return ret;
        struct validate_file *files;
        size_t nfiles, files_cap;

        struct ssda903_load *s903;
        struct cin_load cin;
        int cin_loaded;

        struct refdata_postcodes *postcodes;
        struct refdata_providers *providers;
        struct refdata_authorities *authorities;
        const char *authorities_from; /* "--authorities FILE", "the store", or NULL */
        const char *la_old;           /* 3-digit code, or NULL */
        const char *la_code;          /* its ONS code, or NULL when unknown */
        const char *la_name;          /* or NULL */
        const char *la_note;          /* how the authority was decided */

        int collection_year;
        const char *year_note; /* how it was decided */
        int rules_year;
        const char *rules_note; /* why this rule set */

        size_t nchildren, nrows;

        struct rule_ctx ctx;
        struct rules_result res;
        int checked;
        double seconds_read, seconds_rules;
};

void validate_run_init(struct validate_run *r);
void validate_run_release(struct validate_run *r);

int validate_collect(struct validate_run *r, const struct validate_opts *o, struct err *e);
/* `store` may be NULL; when given and --authorities is not, its authorities are used. */
int validate_refdata(struct validate_run *r, const struct validate_opts *o, struct store *store,
                     struct err *e);
/* hash: compute each file's SHA-256 from the very bytes that are read. */
int validate_load(struct validate_run *r, const struct validate_opts *o, int hash, struct err *e);
int validate_check(struct validate_run *r, struct err *e);

/* "SSDA903" or "CIN census". */
const char *validate_return_name(enum rules_return ret);
/* "2025/26" for 2026, into buf (8 bytes). */
const char *validate_year_label(int year, char buf[8]);

/* ---------------------------------------------------------------- reports */

/* Findings per rule, in the order of the findings (catalogue order). */
struct validate_rule_count {
        const char *rule;
        enum rule_severity severity;
        size_t count;
        const char *message; /* the rule's own message, without detail */
};
struct validate_rule_count *validate_rule_counts(const struct validate_run *r, size_t *n);

enum validate_format {
        VFORMAT_TEXT,
        VFORMAT_CSV,
        VFORMAT_JSON,
        VFORMAT_XLSX,
};
/* "text", "csv", "json", "xlsx" → format; -1 for anything else. */
int validate_format_parse(const char *s);
/* Guess a format from a file name's extension; text when it has none we know. */
enum validate_format validate_format_of(const char *path);

/*
 * The text report: what was read, the year and the rule set, findings by
 * rule, the first `first` findings (all when first is 0), where the full
 * report is (`full_report`, or how to get it when NULL), skipped rules with
 * their reasons and the number not implemented.
 */
void validate_write_text(FILE *out, const struct validate_run *r, size_t first,
                         const char *full_report);
/* CSV: rule,severity,table,row,child,fields,message,file */
void validate_write_csv(FILE *out, const struct validate_run *r);
int validate_write_json(FILE *out, const struct validate_run *r, struct err *e);
/* XLSX (libxlsxwriter) to `path`: findings, summary (rule, count, message), children. */
int validate_write_xlsx(const char *path, const struct validate_run *r, struct err *e);

#endif
