/*
 * cin_rules.h — what the CIN census rule families share: setting up a rule
 * context for a CIN load, reporting a finding on a CIN row, and small
 * helpers for codes and dates.  The rule contract itself is rules/rules.h.
 *
 * Findings name the table and the 1-based row of the element within it (the
 * reader's `row`), the child's LAchildID and the census file.  A finding
 * about the return as a whole (an authority-level query such as 2887Q) has
 * row 0 and no child.
 */
#ifndef IMPROVE_CIN_RULES_H
#define IMPROVE_CIN_RULES_H

#include "returns/cin.h"
#include "rules/rules.h"

#include <stdbool.h>

/* Rule-set years of the CIN census: every set (2022/23 … 2025/26), or from one on. */
#define CIN_ALL_YEARS RULES_UNTIL(RULES_CIN_LAST)
#define CIN_FROM(y)   (RULES_FROM(y) & CIN_ALL_YEARS)
#define CIN_UNTIL(y)  RULES_UNTIL(y)

/*
 * A rule context for census `l`: collection_year 0 takes the document's own
 * (cin_load_year), rules_year 0 picks the set for that year
 * (rules_pick_year).  reference_date is the header's ReferenceDate when it is
 * a date, else 31 March of the collection year; la_old is the authority when
 * it is a 3-digit code.
 */
void cin_rules_ctx_init(struct rule_ctx *ctx, const struct cin_load *l, int collection_year,
                        int rules_year);

/*
 * The reader's issues (unexpected elements, stray text; cin.h) as findings of
 * code "FORMAT", severity error, into res: what the 903 runner does with the
 * 903 loader's notes.  The runner does not call this for CIN yet; a command
 * running the CIN rules calls it next to rules_run().
 */
void cin_report_issues(struct rule_ctx *ctx, struct rules_result *res);

/* A finding on row r of table t (r NULL: the return as a whole). */
void cin_report(struct rule_ctx *ctx, enum cin_table_id t, const struct cin_row *r,
                const char *fields, const char *detail);
void cin_reportf(struct rule_ctx *ctx, enum cin_table_id t, const struct cin_row *r,
                 const char *fields, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A finding about child k that has no row of table t to point at (row 0). */
void cin_report_child(struct rule_ctx *ctx, enum cin_table_id t, size_t k, const char *fields,
                      const char *detail);

/* Report every row of table t whose column col (not blank) another row shares. */
int cin_report_duplicates(struct rule_ctx *ctx, enum cin_table_id t, int col);

/* v is one of the NULL-terminated list (exactly; NULL v never is). */
bool cin_in(const char *v, const char *const *list);
/* The same ignoring ASCII case. */
bool cin_in_nocase(const char *v, const char *const *list);
/* A date that is present and real (not DATE_NONE, not DATE_BAD). */
static inline bool cin_real(date_t d)
{
        return d != DATE_NONE && d != DATE_BAD;
}
/* ReferralNFA (or any yesnotype) is false: "false", "FALSE" or "0". */
static inline bool cin_false(const char *v)
{
        return cin_bool(v) == 0;
}

/* Rows of table t belonging to child k: rows first … first+n-1. */
static inline size_t cin_child_rows(const struct cin_load *l, size_t k, enum cin_table_id t,
                                    size_t *first)
{
        *first = l->children[k].first[t];
        return l->children[k].n[t];
}

/* The child's ChildIdentifiers row (its first, should there be more), or NULL. */
const struct cin_row *cin_child_ids(const struct cin_load *l, size_t k);

/* Child k has a referral that went on to further action (a ReferralNFA false or 0). */
bool cin_further_action(const struct cin_load *l, size_t k);

/*
 * The date n England and Wales working days before `from` (n = 1: the last
 * working day before it).  -1 with ctx->err set when the bank-holiday table
 * does not cover the dates (the rule then fails rather than guess).
 */
int cin_working_days_before(struct rule_ctx *ctx, date_t from, int n, date_t *out);

/* The header row, or NULL when the census has none. */
static inline const struct cin_row *cin_header(const struct cin_load *l)
{
        return l->table[CIN_Header].n ? &l->table[CIN_Header].rows[0] : NULL;
}

#endif
