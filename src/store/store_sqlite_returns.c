/*
 * store_sqlite_returns.c — SQLite storage of returns (SSDA903 loads and CIN
 * censuses) with their validation findings, and the list of imports.
 *
 * The store owns its schema: the tables below say which column of which
 * reader table fills which store column (migration 3 in schema_sqlite.c
 * creates them).  Columns are matched to the readers' tables by name when a
 * return is stored, so a reader that renames a column makes storing fail
 * loudly instead of filling the wrong column.
 *
 * Speed: one prepared INSERT per table, reused for every row, with strings
 * bound without copying (the load outlives the statement's use); the caller's
 * single transaction makes the rows one write to disk.  Replacing a return is
 * a range delete on the (la, year, row) primary key of each table.
 */
#include "store/store.h"
#include "store/store_sqlite.h"

#include "core/buf.h"
#include "core/date.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "returns/cin.h"
#include "returns/ssda903.h"
#include "rules/rules.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A store table: its name, the reader's table name and its columns, each
 * "NAME" (text), "NAME:D" (date: day number in NAME, text in NAME_raw when not
 * a real date), "NAME:I" (integer), "NAME:R" (real); "STORE=SOURCE" when the
 * store's name differs from the reader's.
 */
struct rtable {
        const char *store;
        const char *source;
        const char *cols;
};

static const struct rtable tables_903[] = {
    {"s903_header", "Header", "CHILD SEX DOB:D ETHNIC UPN MOTHER MC_DOB:D UASC"},
    {"s903_episodes", "Episodes",
     "CHILD DECOM:D RNE LS CIN PLACE PLACE_PROVIDER DEC:D REC REASON_PLACE_CHANGE HOME_POST "
     "PL_POST URN PL_DISTANCE:R PL_LA PL_LOCATION"},
    {"s903_reviews", "Reviews", "CHILD DOB:D REVIEW:D REVIEW_CODE"},
    {"s903_uasc", "UASC", "CHILD SEX DOB:D DUC:D"},
    {"s903_oc2", "OC2",
     "CHILD DOB:D SDQ_SCORE SDQ_REASON CONVICTED HEALTH_CHECK IMMUNISATIONS TEETH_CHECK "
     "HEALTH_ASSESSMENT SUBSTANCE_MISUSE INTERVENTION_RECEIVED INTERVENTION_OFFERED"},
    {"s903_oc3", "OC3", "CHILD DOB:D IN_TOUCH ACTIV ACCOM"},
    {"s903_ad1", "AD1",
     "CHILD DOB:D DATE_INT:D DATE_MATCH:D FOSTER_CARE NB_ADOPTR SEX_ADOPTR LS_ADOPTR"},
    {"s903_placed_adoption", "PlacedAdoption",
     "CHILD DOB:D DATE_PLACED:D DATE_PLACED_CEASED:D REASON_PLACED_CEASED"},
    {"s903_prev_perm", "PrevPerm", "CHILD DOB:D PREV_PERM LA_PERM DATE_PERM"},
    {"s903_missing", "Missing", "CHILD DOB:D MISSING MIS_START:D MIS_END:D"},
    {"s903_sw_episodes", "SWEpisodes", "CHILD DOB:D SW_ID SW_DECOM:D SW_DEC:D SW_REASON"},
    {"s903_dolo", "DoLo", "CHILD DOB:D DOLO_START:D DOLO_END:D"},
};

static const struct rtable tables_cin[] = {
    {"cin_header", "Header",
     "Collection CollectionYear=Year ReferenceDate:D SourceLevel LEA SoftwareCode Release "
     "SerialNo DateTime"},
    {"cin_child_identifiers", "ChildIdentifiers",
     "LAchildID UPN FormerUPN UPNunknown PersonBirthDate:D ExpectedPersonBirthDate:D "
     "GenderCurrent Sex PersonDeathDate:D"},
    {"cin_child_characteristics", "ChildCharacteristics", "LAchildID Ethnicity"},
    {"cin_disabilities", "Disabilities", "LAchildID Disability"},
    {"cin_details", "CINdetails",
     "LAchildID CINdetailsID:I CINreferralDate:D ReferralSource PrimaryNeedCode "
     "CINclosureDate:D ReasonForClosure DateOfInitialCPC:D ReferralNFA"},
    {"cin_assessments", "Assessments",
     "LAchildID CINdetailsID:I AssessmentID:I AssessmentActualStartDate:D "
     "AssessmentInternalReviewDate:D AssessmentAuthorisationDate:D AssessmentFactors"},
    {"cin_assessment_factors", "AssessmentFactorsList",
     "LAchildID CINdetailsID:I AssessmentID:I AssessmentFactor"},
    {"cin_plan_dates", "CINplanDates",
     "LAchildID CINdetailsID:I CINPlanStartDate:D CINPlanEndDate:D"},
    {"cin_section47", "Section47",
     "LAchildID CINdetailsID:I S47ActualStartDate:D InitialCPCtarget:D DateOfInitialCPC:D "
     "ICPCnotRequired"},
    {"cin_child_protection_plans", "ChildProtectionPlans",
     "LAchildID CINdetailsID:I CPPID:I CPPstartDate:D CPPendDate:D InitialCategoryOfAbuse "
     "LatestCategoryOfAbuse NumberOfPreviousCPP"},
    {"cin_reviews", "Reviews", "LAchildID CINdetailsID:I CPPID:I CPPreviewDate:D"},
    {"cin_pre_proceedings", "PreProceedings",
     "LAchildID CINdetailsID:I PPStartDate:D LBPSentDate:D FGDMMeetingOffer FGDMMeetingFac "
     "InitialPPMeetingDate:D ReviewMeetingsCount StepDecisionDate:D PPOutcome CourtAppDate:D "
     "LetterInitCPDate:D"},
};

#define NT903   (sizeof tables_903 / sizeof *tables_903)
#define NTCIN   (sizeof tables_cin / sizeof *tables_cin)
#define MAXCOLS 24

const char *store_return_kind_name(enum store_return_kind k)
{
        return k == STORE_RETURN_CIN ? "cin" : "ssda903";
}

static const struct rtable *kind_tables(enum store_return_kind k, size_t *n)
{
        *n = k == STORE_RETURN_CIN ? NTCIN : NT903;
        return k == STORE_RETURN_CIN ? tables_cin : tables_903;
}

/* One store table made ready for inserting: statement and where each column comes from. */
struct rwriter {
        sqlite3_stmt *ins;
        int ncols;
        int src[MAXCOLS];   /* reader column index */
        char type[MAXCOLS]; /* 'T', 'D', 'I', 'R' */
};

typedef int (*source_col_fn)(const void *def, const char *name, char type, struct err *e);

static int col_903(const void *vdef, const char *name, char type, struct err *e)
{
        const struct ssda903_tabledef *def = vdef;
        for (int c = 0; c < def->ncols; c++) {
                if (strcmp(def->cols[c], name) != 0)
                        continue;
                if ((type == 'D') != (def->kind[c] == SSDA903_COL_DATE))
                        return err_set(e, EXIT_INTERNAL,
                                       "store: SSDA903 %s.%s: the reader and the store disagree "
                                       "on whether it is a date",
                                       def->name, name);
                return c;
        }
        return err_set(e, EXIT_INTERNAL, "store: SSDA903 table %s has no column %s", def->name,
                       name);
}

static int col_cin(const void *vdef, const char *name, char type, struct err *e)
{
        const struct cin_table_def *def = vdef;
        for (size_t c = 0; c < def->ncols; c++) {
                if (strcmp(def->cols[c].name, name) != 0)
                        continue;
                if ((type == 'D') != (def->cols[c].type == CIN_DATE))
                        return err_set(e, EXIT_INTERNAL,
                                       "store: CIN %s.%s: the reader and the store disagree on "
                                       "whether it is a date",
                                       def->name, name);
                return (int)c;
        }
        return err_set(e, EXIT_INTERNAL, "store: CIN table %s has no column %s", def->name, name);
}

/* Parse a table's column list, match it to the reader and prepare its INSERT. */
static int rwriter_open(struct store *s, const struct rtable *t, const void *def,
                        source_col_fn find, struct rwriter *w, struct err *e)
{
        struct buf names, marks;
        buf_init(&names);
        buf_init(&marks);
        buf_printf(&names, "INSERT INTO %s (la, year, row", t->store);
        buf_puts(&marks, "?, ?, ?");
        w->ncols = 0;
        int rc = -1;
        const char *p = t->cols;
        while (*p) {
                while (*p == ' ')
                        p++;
                size_t len = strcspn(p, " ");
                if (!len)
                        break;
                char item[64], store_name[64], src_name[64];
                if (len >= sizeof item || w->ncols >= MAXCOLS) {
                        err_set(e, EXIT_INTERNAL, "store: bad column list of %s", t->store);
                        goto out;
                }
                memcpy(item, p, len);
                item[len] = '\0';
                p += len;
                char type = 'T';
                char *colon = strchr(item, ':');
                if (colon) {
                        type = colon[1];
                        *colon = '\0';
                }
                char *eq = strchr(item, '=');
                snprintf(store_name, sizeof store_name, "%s", item);
                if (eq) {
                        store_name[eq - item] = '\0';
                        snprintf(src_name, sizeof src_name, "%s", eq + 1);
                } else {
                        snprintf(src_name, sizeof src_name, "%s", item);
                }
                int c = find(def, src_name, type, e);
                if (c < 0)
                        goto out;
                w->src[w->ncols] = c;
                w->type[w->ncols] = type;
                w->ncols++;
                buf_printf(&names, ", %s", store_name);
                buf_puts(&marks, ", ?");
                if (type == 'D') {
                        buf_printf(&names, ", %s_raw", store_name);
                        buf_puts(&marks, ", ?");
                }
        }
        buf_printf(&names, ") VALUES (%s)", marks.data);
        rc = sq_prepare(s, &w->ins, names.data, e);
out:
        buf_release(&names);
        buf_release(&marks);
        return rc;
}

static int bind_static(sqlite3_stmt *st, int i, const char *v)
{
        if (!v)
                return sqlite3_bind_null(st, i);
        return sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

/* A whole number written in decimal digits, else NULL: the schema keeps integers strict. */
static int parse_int(const char *v, sqlite3_int64 *out)
{
        if (!v || !*v)
                return -1;
        char *end;
        errno = 0;
        long long x = strtoll(v, &end, 10);
        if (errno || *end || !isdigit((unsigned char)v[0]))
                return -1;
        *out = x;
        return 0;
}

/* Bind the cells of one row after la, year, row; dates from `d`, text from `v`. */
static int bind_row(struct rwriter *w, const char *const *v, const date_t *d)
{
        sqlite3_stmt *st = w->ins;
        int k = 4;
        for (int i = 0; i < w->ncols; i++) {
                int c = w->src[i];
                const char *cell = v[c];
                switch (w->type[i]) {
                case 'D': {
                        date_t x = d[c];
                        if (x == DATE_NONE || x == DATE_BAD)
                                sqlite3_bind_null(st, k++);
                        else
                                sqlite3_bind_int(st, k++, x);
                        /* The text is kept only where it was not a real date. */
                        bind_static(st, k++, x == DATE_BAD ? cell : NULL);
                        break;
                }
                case 'I': {
                        sqlite3_int64 n;
                        if (parse_int(cell, &n) == 0)
                                sqlite3_bind_int64(st, k++, n);
                        else
                                sqlite3_bind_null(st, k++);
                        break;
                }
                case 'R': {
                        char *end = NULL;
                        double x = cell ? strtod(cell, &end) : 0;
                        if (cell && *cell && !*end)
                                sqlite3_bind_double(st, k++, x);
                        else
                                sqlite3_bind_null(st, k++);
                        break;
                }
                default:
                        bind_static(st, k++, cell);
                }
        }
        return 0;
}

static int step_row(struct store *s, struct rwriter *w, const char *table, long row, struct err *e)
{
        int rc = sqlite3_step(w->ins);
        sqlite3_reset(w->ins);
        if (rc != SQLITE_DONE) {
                char what[160];
                snprintf(what, sizeof what, "storing %s row %ld", table, row);
                return sq_error(s, e, what);
        }
        return 0;
}

/*
 * A return is stored inside the caller's transaction.  The page cache is made
 * large enough to hold a big authority's return: with SQLite's default (2 MB)
 * the index pages of a 25,000-row return spill to the WAL and are read back
 * many times over, which made storing several times slower than validating.
 */
static int require_tx(struct store *s, struct err *e)
{
        if (!s->in_tx)
                return err_set(e, EXIT_INTERNAL,
                               "store: a return is stored inside a transaction (store_begin)");
        return sq_exec(s, "PRAGMA cache_size = -65536", e);
}

static int exec_bound(struct store *s, const char *sql, const char *kind, const char *la, int year,
                      int *changes, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st, sql, e))
                return -1;
        int k = 1;
        if (kind)
                sq_bind_text(st, k++, kind);
        sq_bind_text(st, k++, la);
        sqlite3_bind_int(st, k, year);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "deleting the previous return");
        if (changes)
                *changes = sqlite3_changes(s->db);
        return 0;
}

static int return_delete_rows(struct store *s, enum store_return_kind kind, const char *la,
                              int year, struct err *e)
{
        size_t n;
        const struct rtable *t = kind_tables(kind, &n);
        const char *kn = store_return_kind_name(kind);
        char sql[160];
        for (size_t i = 0; i < n; i++) {
                snprintf(sql, sizeof sql, "DELETE FROM %s WHERE la = ? AND year = ?", t[i].store);
                if (exec_bound(s, sql, NULL, la, year, NULL, e))
                        return -1;
        }
        int had = 0;
        if (exec_bound(s, "DELETE FROM return_findings WHERE kind = ? AND la = ? AND year = ?", kn,
                       la, year, NULL, e) ||
            exec_bound(s, "DELETE FROM return_snapshots WHERE kind = ? AND la = ? AND year = ?", kn,
                       la, year, NULL, e) ||
            exec_bound(s, "DELETE FROM returns WHERE kind = ? AND la = ? AND year = ?", kn, la,
                       year, &had, e))
                return -1;
        return had > 0;
}

int store_return_delete(struct store *s, enum store_return_kind kind, const char *la, int year,
                        struct err *e)
{
        int own;
        if (sq_own_begin(s, &own, e))
                return -1;
        return sq_own_end(s, own, return_delete_rows(s, kind, la, year, e), e);
}

static int put_findings(struct store *s, const struct store_return *r, const struct finding *f,
                        size_t nf, int64_t *errors, int64_t *queries, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st,
                       "INSERT INTO return_findings (kind, la, year, seq, import_id, rule, "
                       "severity, table_name, row, child, fields, message, file) VALUES (?, ?, "
                       "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       e))
                return -1;
        *errors = *queries = 0;
        bind_static(st, 1, store_return_kind_name(r->kind));
        bind_static(st, 2, r->la);
        sqlite3_bind_int(st, 3, r->year);
        sqlite3_bind_int64(st, 5, r->import_id);
        for (size_t i = 0; i < nf; i++) {
                const struct finding *x = &f[i];
                sqlite3_bind_int64(st, 4, (sqlite3_int64)i + 1);
                bind_static(st, 6, x->rule);
                bind_static(st, 7, x->severity == RULE_QUERY ? "query" : "error");
                bind_static(st, 8, x->table);
                if (x->row > 0)
                        sqlite3_bind_int64(st, 9, x->row);
                else
                        sqlite3_bind_null(st, 9);
                bind_static(st, 10, x->child);
                bind_static(st, 11, x->fields ? x->fields : "");
                bind_static(st, 12, x->message);
                bind_static(st, 13, x->file);
                int rc = sqlite3_step(st);
                sqlite3_reset(st);
                if (rc != SQLITE_DONE) {
                        sq_error(s, e, "storing findings");
                        sqlite3_finalize(st);
                        return -1;
                }
                if (x->severity == RULE_QUERY)
                        (*queries)++;
                else
                        (*errors)++;
        }
        sqlite3_finalize(st);
        return 0;
}

static int put_returns_row(struct store *s, const struct store_return *r, int64_t rows,
                           int64_t errors, int64_t queries, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st,
                       "INSERT INTO returns (kind, la, year, import_id, rules_year, children, "
                       "rows, errors, queries) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       e))
                return -1;
        sq_bind_text(st, 1, store_return_kind_name(r->kind));
        sq_bind_text(st, 2, r->la);
        sqlite3_bind_int(st, 3, r->year);
        sqlite3_bind_int64(st, 4, r->import_id);
        sqlite3_bind_int(st, 5, r->rules_year);
        sqlite3_bind_int64(st, 6, r->children);
        sqlite3_bind_int64(st, 7, rows);
        sqlite3_bind_int64(st, 8, errors);
        sqlite3_bind_int64(st, 9, queries);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "recording the return");
        return 0;
}

static int check_return(const struct store_return *r, struct err *e)
{
        if (!r->la || strlen(r->la) != 3 || strspn(r->la, "0123456789") != 3)
                return err_set(e, EXIT_INTERNAL, "store: a return needs a 3-digit authority code");
        if (r->year < 1990 || r->year > 2100)
                return err_set(e, EXIT_INTERNAL, "store: collection year %d out of range", r->year);
        return 0;
}

int store_return_put_903(struct store *s, const struct store_return *r,
                         const struct ssda903_load *ld, const struct finding *f, size_t nf,
                         struct err *e)
{
        if (require_tx(s, e) || check_return(r, e))
                return -1;
        if (store_return_delete(s, STORE_RETURN_SSDA903, r->la, r->year, e) < 0)
                return -1;
        int64_t rows = 0;
        for (size_t i = 0; i < NT903; i++) {
                const struct rtable *t = &tables_903[i];
                int id = ssda903_table_by_name(t->source);
                if (id < 0 || id >= SSDA903_NCURRENT)
                        return err_set(e, EXIT_INTERNAL, "store: no SSDA903 table %s", t->source);
                const struct ssda903_table *tab = &ld->t[id];
                /* Prepared even for an empty table, so a renamed column fails every time. */
                struct rwriter w = {0};
                if (rwriter_open(s, t, &ssda903_tabledefs[id], col_903, &w, e))
                        return -1;
                bind_static(w.ins, 1, r->la);
                sqlite3_bind_int(w.ins, 2, r->year);
                for (size_t k = 0; k < tab->n; k++) {
                        const struct ssda903_row *row = &tab->rows[k];
                        sqlite3_bind_int64(w.ins, 3, row->row);
                        bind_row(&w, row->v, row->d);
                        if (step_row(s, &w, t->source, row->row, e)) {
                                sqlite3_finalize(w.ins);
                                return -1;
                        }
                }
                rows += (int64_t)tab->n;
                sqlite3_finalize(w.ins);
        }
        int64_t errors, queries;
        if (put_findings(s, r, f, nf, &errors, &queries, e))
                return -1;
        return put_returns_row(s, r, rows, errors, queries, e);
}

int store_return_put_cin(struct store *s, const struct store_return *r, const struct cin_load *l,
                         const struct finding *f, size_t nf, struct err *e)
{
        if (require_tx(s, e) || check_return(r, e))
                return -1;
        if (store_return_delete(s, STORE_RETURN_CIN, r->la, r->year, e) < 0)
                return -1;
        int64_t rows = 0;
        for (size_t i = 0; i < NTCIN; i++) {
                const struct rtable *t = &tables_cin[i];
                enum cin_table_id id = cin_table_by_name(t->source);
                if (id == CIN_NTABLES)
                        return err_set(e, EXIT_INTERNAL, "store: no CIN table %s", t->source);
                const struct cin_table *tab = &l->table[id];
                /* Prepared even for an empty table, so a renamed column fails every time. */
                struct rwriter w = {0};
                if (rwriter_open(s, t, &cin_tables[id], col_cin, &w, e))
                        return -1;
                bind_static(w.ins, 1, r->la);
                sqlite3_bind_int(w.ins, 2, r->year);
                for (size_t k = 0; k < tab->n; k++) {
                        const struct cin_row *row = &tab->rows[k];
                        sqlite3_bind_int64(w.ins, 3, row->row);
                        bind_row(&w, row->v, row->d);
                        if (step_row(s, &w, t->source, row->row, e)) {
                                sqlite3_finalize(w.ins);
                                return -1;
                        }
                }
                rows += (int64_t)tab->n;
                sqlite3_finalize(w.ins);
        }
        int64_t errors, queries;
        if (put_findings(s, r, f, nf, &errors, &queries, e))
                return -1;
        return put_returns_row(s, r, rows, errors, queries, e);
}

int store_return_get(struct store *s, enum store_return_kind kind, const char *la, int year,
                     struct store_return_info *out, struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare_kept(s, &st,
                            "SELECT import_id, rules_year, children, rows, errors, queries FROM "
                            "returns WHERE kind = ? AND la = ? AND year = ?",
                            e))
                return -1;
        sq_bind_text(st, 1, store_return_kind_name(kind));
        sq_bind_text(st, 2, la);
        sqlite3_bind_int(st, 3, year);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
                memset(out, 0, sizeof *out);
                out->kind = kind;
                snprintf(out->la, sizeof out->la, "%s", la);
                out->year = year;
                out->import_id = sqlite3_column_int64(st, 0);
                out->rules_year = sqlite3_column_int(st, 1);
                out->children = sqlite3_column_int64(st, 2);
                out->rows = sqlite3_column_int64(st, 3);
                out->errors = sqlite3_column_int64(st, 4);
                out->queries = sqlite3_column_int64(st, 5);
        }
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
                sq_error(s, e, "reading a return");
                sq_kept_done(s, st);
                return -1;
        }
        sq_kept_done(s, st);
        return rc == SQLITE_ROW;
}

int store_return_count(struct store *s, const char *table, const char *la, int year, int64_t *out,
                       struct err *e)
{
        /* The table name goes into SQL text, so it must be one of ours. */
        int known = strcmp(table, "return_findings") == 0;
        for (size_t i = 0; !known && i < NT903; i++)
                known = strcmp(table, tables_903[i].store) == 0;
        for (size_t i = 0; !known && i < NTCIN; i++)
                known = strcmp(table, tables_cin[i].store) == 0;
        if (!known)
                return err_set(e, EXIT_INTERNAL, "store: no return table %s", table);
        char sql[160];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE la = ? AND year = ?", table);
        sqlite3_stmt *st;
        if (sq_prepare(s, &st, sql, e))
                return -1;
        sq_bind_text(st, 1, la);
        sqlite3_bind_int(st, 2, year);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                *out = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW)
                return sq_error(s, e, "counting rows");
        return 0;
}

/* ---------------------------------------------------------------- imports */

static const char *col_text(sqlite3_stmt *st, int i)
{
        return (const char *)sqlite3_column_text(st, i);
}

int store_import_each(struct store *s, const char *la,
                      int (*fn)(void *ctx, const struct store_import_row *r), void *ctx,
                      struct err *e)
{
        sqlite3_stmt *st;
        if (sq_prepare(s, &st,
                       "SELECT i.id, i.kind, i.la, i.year, i.user, i.started_at, i.finished_at, "
                       "i.status, i.counts, (SELECT count(*) FROM import_files f WHERE "
                       "f.import_id = i.id), (SELECT coalesce(sum(bytes), 0) FROM import_files f "
                       "WHERE f.import_id = i.id), EXISTS (SELECT 1 FROM returns r WHERE "
                       "r.import_id = i.id) FROM imports i WHERE ?1 IS NULL OR i.la = ?1 ORDER "
                       "BY i.id DESC",
                       e))
                return -1;
        sq_bind_text(st, 1, la);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct store_import_row r = {
                    .id = sqlite3_column_int64(st, 0),
                    .kind = col_text(st, 1),
                    .la = col_text(st, 2),
                    .year = sqlite3_column_int(st, 3),
                    .user = col_text(st, 4),
                    .started_at = col_text(st, 5),
                    .finished_at = col_text(st, 6),
                    .status = col_text(st, 7),
                    .counts = col_text(st, 8),
                    .files = sqlite3_column_int64(st, 9),
                    .bytes = sqlite3_column_int64(st, 10),
                    .current = sqlite3_column_int(st, 11),
                };
                if (fn(ctx, &r)) {
                        rc = SQLITE_DONE;
                        break;
                }
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
                return sq_error(s, e, "listing imports");
        return 0;
}
