/*
 * registry.c — rule sets per year, rule status, findings and the runner.
 *
 * A year's rule set is the catalogue's list of codes for that year (the
 * generated catalogue.c), each matched to the implemented row whose `years`
 * include the year.  Because the catalogue is composed as "predecessor plus
 * additions and replacements minus removals", and each implemented row
 * carries the years it is valid for, no year-by-year table is kept here.
 *
 * The runner decides in catalogue order which rules can run, then runs them
 * on a few threads (rules only read the load, and each worker writes its own
 * findings), then lays the findings and outcomes out in catalogue order, so
 * the result is the same on one thread or many.  Look-ups several rules would
 * each repeat for every episode (the URN's provider) are made once, before.
 */
#include "rules/rules.h"

#include "core/err.h"
#include "core/xalloc.h"
#include "returns/cin.h"
#include "returns/refdata.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

extern const struct rule_def *const rules_903_families[];
extern const struct rule_def *const rules_cin_families[];

const struct rule_def *const *rules_families(enum rules_return ret)
{
        return ret == RULES_CIN ? rules_cin_families : rules_903_families;
}

static const struct rule_catalogue_entry *catalogue(enum rules_return ret, size_t *n)
{
        if (ret == RULES_CIN) {
                *n = rules_catalogue_cin_n;
                return rules_catalogue_cin;
        }
        *n = rules_catalogue_903_n;
        return rules_catalogue_903;
}

static void year_range(enum rules_return ret, int *first, int *last)
{
        *first = ret == RULES_CIN ? RULES_CIN_FIRST : RULES_903_FIRST;
        *last = ret == RULES_CIN ? RULES_CIN_LAST : RULES_903_LAST;
}

int rules_year_valid(enum rules_return ret, int year)
{
        int first, last;
        year_range(ret, &first, &last);
        return year >= first && year <= last;
}

int rules_pick_year(enum rules_return ret, int data_year, const char **notice)
{
        int first, last;
        year_range(ret, &first, &last);
        if (notice)
                *notice = NULL;
        if (data_year < first) {
                if (notice)
                        *notice = "the data is older than every rule set; checked against the "
                                  "oldest one";
                return first;
        }
        if (data_year > last) {
                if (notice)
                        *notice = "the data is newer than every rule set; checked against the "
                                  "newest one";
                return last;
        }
        return data_year;
}

const char *rule_status_name(enum rule_status s)
{
        switch (s) {
        case RULE_STATUS_IMPLEMENTED:
                return "implemented";
        case RULE_STATUS_NEEDS_DATA:
                return "needs-data";
        case RULE_STATUS_NOT_IMPLEMENTED:
                return "not-implemented";
        }
        return "?";
}

const char *rule_needs_str(unsigned needs, char *buf, size_t n)
{
        static const char *const names[] = {"postcodes", "providers",   "last_year",
                                            "la",        "authorities", "bank_holidays"};
        size_t len = 0;
        if (n == 0)
                return buf;
        buf[0] = '\0';
        for (unsigned i = 0; i < sizeof names / sizeof *names; i++) {
                if (!(needs & (1u << i)))
                        continue;
                int k = snprintf(buf + len, n - len, "%s%s", len ? "|" : "", names[i]);
                if (k < 0 || (size_t)k >= n - len)
                        break;
                len += (size_t)k;
        }
        if (len == 0)
                snprintf(buf, n, "none");
        return buf;
}

const struct rule_def *rules_find(enum rules_return ret, int year, const char *code)
{
        if (!rules_year_valid(ret, year))
                return NULL;
        unsigned bit = RULES_Y(year);
        for (const struct rule_def *const *fam = rules_families(ret); *fam; fam++)
                for (const struct rule_def *d = *fam; d->code; d++)
                        /* Codes mostly differ at their first byte: test it before strcmp. */
                        if ((d->years & bit) && d->code[0] == code[0] && strcmp(d->code, code) == 0)
                                return d;
        return NULL;
}

/* Data a rule can always have: the bank-holiday table is built in. */
#define NEEDS_EXTERNAL (~(unsigned)RULE_NEEDS_BANK_HOLIDAYS)

struct def_ref {
        const struct rule_def *def;
        size_t seq; /* place in family order */
};

static int cmp_def_ref(const void *a, const void *b)
{
        const struct def_ref *x = a, *y = b;
        int c = strcmp(x->def->code, y->def->code);
        if (c)
                return c;
        return (x->seq > y->seq) - (x->seq < y->seq);
}

/* rules_find() over the year's rows sorted by code: the first row, in family order, of code. */
static const struct rule_def *find_def(const struct def_ref *defs, size_t n, const char *code)
{
        size_t lo = 0, hi = n;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (strcmp(defs[mid].def->code, code) < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo < n && strcmp(defs[lo].def->code, code) == 0 ? defs[lo].def : NULL;
}

struct rule_info *rules_list(enum rules_return ret, int year, size_t *n, struct err *e)
{
        *n = 0;
        if (!rules_year_valid(ret, year)) {
                int first, last;
                year_range(ret, &first, &last);
                err_set(e, EXIT_USAGE, "no %s rule set for %d; expected a year from %d to %d",
                        ret == RULES_CIN ? "CIN" : "SSDA903", year, first, last);
                return NULL;
        }
        size_t ncat;
        const struct rule_catalogue_entry *cat = catalogue(ret, &ncat);
        struct rule_info *v = xcalloc(ncat ? ncat : 1, sizeof *v);
        unsigned bit = RULES_Y(year);
        /* The year's rows by code (first in family order for a code), to look each up once. */
        size_t ndefs = 0, capdefs = 0;
        struct def_ref *defs = NULL;
        for (const struct rule_def *const *fam = rules_families(ret); *fam; fam++)
                for (const struct rule_def *d = *fam; d->code; d++)
                        if (d->years & bit) {
                                if (ndefs == capdefs)
                                        defs = xgrow(defs, &capdefs, ndefs + 1, sizeof *defs);
                                defs[ndefs] = (struct def_ref){d, ndefs};
                                ndefs++;
                        }
        if (ndefs)
                qsort(defs, ndefs, sizeof *defs, cmp_def_ref);
        for (size_t i = 0; i < ncat; i++) {
                if (!(cat[i].years & bit))
                        continue;
                struct rule_info *r = &v[(*n)++];
                r->code = cat[i].code;
                r->cat = &cat[i];
                r->def = find_def(defs, ndefs, cat[i].code);
                if (!r->def)
                        r->status = RULE_STATUS_NOT_IMPLEMENTED;
                else if (r->def->needs & NEEDS_EXTERNAL)
                        r->status = RULE_STATUS_NEEDS_DATA;
                else
                        r->status = RULE_STATUS_IMPLEMENTED;
        }
        free(defs);
        return v;
}

/* ---------------------------------------------------------------- results */

void rules_result_init(struct rules_result *res)
{
        memset(res, 0, sizeof *res);
        arena_init(&res->arena, 0);
}

void rules_result_release(struct rules_result *res)
{
        free(res->f);
        free(res->o);
        for (size_t i = 0; i < res->nmore; i++)
                arena_release(&res->more[i]);
        free(res->more);
        free(res->child_copy);
        free(res->scratch);
        arena_release(&res->arena);
        memset(res, 0, sizeof *res);
}

static const char *keep(struct rules_result *res, const char *s)
{
        return s ? arena_strdup(&res->arena, s) : NULL;
}

/* A copy of s, shared with the previous finding when that had the same text. */
static const char *keep_again(struct rules_result *res, const char **last, const char *s)
{
        if (!s)
                return NULL;
        if (!*last || strcmp(*last, s) != 0)
                *last = arena_strdup(&res->arena, s);
        return *last;
}

/* Append a finding whose strings are already the result's own (or static). */
static void push_owned(struct rules_result *res, const char *rule, enum rule_severity sev,
                       const char *table, long row, const char *child, const char *fields,
                       const char *message, const char *file)
{
        if (res->n == res->cap)
                res->f = xgrow(res->f, &res->cap, res->n + 1, sizeof *res->f);
        res->f[res->n++] = (struct finding){rule, sev, table, row, child, fields, message, file};
        if (sev == RULE_QUERY)
                res->nqueries++;
        else
                res->nerrors++;
}

static void push_finding(struct rules_result *res, const char *rule, enum rule_severity sev,
                         const char *table, long row, const char *child, const char *fields,
                         const char *message, const char *file)
{
        push_owned(res, rule, sev, keep_again(res, &res->last_table, table), row,
                   keep_again(res, &res->last_child, child), fields, message,
                   keep_again(res, &res->last_file, file));
}

/* The running rule's message, with ": detail" when there is one. */
static const char *message_of(struct rules_result *res, const struct rule_def *d,
                              const char *detail)
{
        if (!detail || !*detail)
                return d->message;
        size_t a = strlen(d->message), b = strlen(detail);
        char *m = arena_alloc(&res->arena, a + b + 3);
        memcpy(m, d->message, a);
        memcpy(m + a, ": ", 2);
        memcpy(m + a + 2, detail, b + 1);
        return m;
}

/* The rule's own fields (static), or a copy of the caller's. */
static const char *fields_of(struct rules_result *res, const struct rule_def *d, const char *fields)
{
        return fields ? keep_again(res, &res->last_fields, fields) : d->fields;
}

void rule_report(struct rule_ctx *ctx, const char *table, long row, const char *child,
                 const char *file, const char *fields, const char *detail)
{
        const struct rule_def *d = ctx->rule;
        struct rules_result *res = ctx->out;
        push_finding(res, d->code, d->severity, table, row, child, fields_of(res, d, fields),
                     message_of(res, d, detail), file);
        ctx->nfound++;
}

/*
 * The result's copy of the CHILD of row r of table t: one copy per child, kept
 * by child number, when r is a row of t (every row of a child shares its
 * number and its id); else via keep_again().  Findings name a few thousand
 * children tens of thousands of times.
 */
static const char *child_of(struct rules_result *res, const struct ssda903_load *ld,
                            const struct ssda903_table *t, const struct ssda903_row *r)
{
        const char *id = r->v[SSDA903_COL_CHILD];
        if (!id || r->index >= t->n || &t->rows[r->index] != r || r->child >= ld->nchildren)
                return keep_again(res, &res->last_child, id);
        if (!res->child_copy) {
                res->child_copy = xcalloc(ld->nchildren, sizeof *res->child_copy);
                res->nchild_copy = ld->nchildren;
        }
        if (!res->child_copy[r->child])
                res->child_copy[r->child] = keep_again(res, &res->last_child, id);
        return res->child_copy[r->child];
}

void rule_report_903(struct rule_ctx *ctx, int table, const struct ssda903_row *r,
                     const char *fields, const char *detail)
{
        const struct rule_def *d = ctx->rule;
        struct rules_result *res = ctx->out;
        const struct ssda903_load *ld = ctx->s903;
        const struct ssda903_table *t = &ld->t[table];
        if (!res->memo) {
                rule_report(ctx, t->name, r ? r->row : 0, r ? r->v[SSDA903_COL_CHILD] : NULL,
                            t->file, fields, detail);
                return;
        }
        /* The load's table name and file are copied once per table. */
        if (!res->table_copy[table])
                res->table_copy[table] = keep(res, t->name);
        if (!res->file_copy[table])
                res->file_copy[table] = keep(res, t->file);
        /* push_owned(), written out: this is the way of nearly every 903 finding. */
        if (res->n == res->cap)
                res->f = xgrow(res->f, &res->cap, res->n + 1, sizeof *res->f);
        res->f[res->n++] = (struct finding){d->code,
                                            d->severity,
                                            res->table_copy[table],
                                            r ? r->row : 0,
                                            r ? child_of(res, ld, t, r) : NULL,
                                            fields_of(res, d, fields),
                                            message_of(res, d, detail),
                                            res->file_copy[table]};
        if (d->severity == RULE_QUERY)
                res->nqueries++;
        else
                res->nerrors++;
        ctx->nfound++;
}

/* Append n digits of v (most significant first) through put. */
static size_t put_digits(char *buf, size_t cap, size_t k, unsigned long long v, int neg)
{
        char tmp[24];
        size_t n = 0;
        do {
                tmp[n++] = (char)('0' + v % 10);
                v /= 10;
        } while (v);
        if (neg)
                tmp[n++] = '-';
        while (n) {
                if (k + 1 < cap)
                        buf[k] = tmp[n - 1];
                k++;
                n--;
        }
        return k;
}

void rules_vformat(char *buf, size_t cap, const char *fmt, va_list ap)
{
        if (cap == 0)
                return;
        va_list own;
        va_copy(own, ap);
        size_t k = 0;
        for (const char *p = fmt; *p; p++) {
                if (*p != '%') {
                        if (k + 1 < cap)
                                buf[k] = *p;
                        k++;
                        continue;
                }
                int size = 0; /* 0 int, 1 long, 2 size_t */
                p++;
                if (*p == 'l' || *p == 'z') {
                        size = *p == 'l' ? 1 : 2;
                        p++;
                }
                if (*p == 's' && !size) {
                        const char *str = va_arg(own, const char *);
                        for (str = str ? str : "(null)"; *str; str++, k++)
                                if (k + 1 < cap)
                                        buf[k] = *str;
                } else if ((*p == '%' || *p == 'c') && !size) {
                        char ch = *p == '%' ? '%' : (char)va_arg(own, int);
                        if (k + 1 < cap)
                                buf[k] = ch;
                        k++;
                } else if ((*p == 'd' || *p == 'i') && size < 2) {
                        long long v = size ? va_arg(own, long) : va_arg(own, int);
                        unsigned long long u =
                            v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
                        k = put_digits(buf, cap, k, u, v < 0);
                } else if (*p == 'u') {
                        unsigned long long u = size == 2   ? va_arg(own, size_t)
                                               : size == 1 ? va_arg(own, unsigned long)
                                                           : va_arg(own, unsigned);
                        k = put_digits(buf, cap, k, u, 0);
                } else {
                        /* Flags, widths, precisions, other conversions: printf's own. */
                        va_end(own);
                        vsnprintf(buf, cap, fmt, ap);
                        return;
                }
        }
        va_end(own);
        buf[k < cap ? k : cap - 1] = '\0';
}

void rules_format(char *buf, size_t cap, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        rules_vformat(buf, cap, fmt, ap);
        va_end(ap);
}

void rule_report_903f(struct rule_ctx *ctx, int table, const struct ssda903_row *r,
                      const char *fields, const char *fmt, ...)
{
        char detail[512];
        va_list ap;
        va_start(ap, fmt);
        rules_vformat(detail, sizeof detail, fmt, ap);
        va_end(ap);
        rule_report_903(ctx, table, r, fields, detail);
}

void rules_ctx_init_903(struct rule_ctx *ctx, const struct ssda903_load *ld, int rules_year)
{
        memset(ctx, 0, sizeof *ctx);
        ctx->ret = RULES_903;
        ctx->s903 = ld;
        ctx->collection_year = ld->collection_year;
        ctx->start = ld->start;
        ctx->end = ld->end;
        ctx->reference_date = ld->end;
        ctx->rules_year =
            rules_year ? rules_year : rules_pick_year(RULES_903, ld->collection_year, NULL);
}

/* ---------------------------------------------------------------- the runner */

/* Why a rule cannot run here, or NULL when it can. */
static const char *cannot_run(struct rule_ctx *ctx, const struct rule_def *d, char *buf, size_t n)
{
        const struct ssda903_load *ld = ctx->s903;
        if ((d->needs & RULE_NEEDS_POSTCODES) &&
            (!ctx->postcodes || (ld && !ld->postcodes_applied)))
                return "needs the postcode directory (--postcodes)";
        if ((d->needs & RULE_NEEDS_PROVIDERS) && !ctx->providers)
                return "needs Ofsted's providers list (--providers)";
        if ((d->needs & RULE_NEEDS_LA) && !ctx->la_code)
                return "needs the submitting authority's code (--la)";
        if ((d->needs & RULE_NEEDS_AUTHORITIES) && !ctx->authorities)
                return "needs the list of authorities (--authorities, or the store's)";
        if ((d->needs & RULE_NEEDS_LAST_YEAR) && ld && !ld->has_last)
                return "needs last year's tables (--previous)";
        if (!ld || !d->tables)
                return NULL;
        /* Every table the rule reads must have been supplied, even if empty. */
        const char *s = d->tables;
        while (*s) {
                const char *bar = strchr(s, '|');
                size_t len = bar ? (size_t)(bar - s) : strlen(s);
                char name[64];
                if (len < sizeof name) {
                        memcpy(name, s, len);
                        name[len] = '\0';
                        int t = ssda903_table_by_name(name);
                        if (t >= 0 && !ssda903_has(ld, t)) {
                                if (t >= SSDA903_NCURRENT)
                                        snprintf(buf, n,
                                                 "needs last year's %s table (--previous), "
                                                 "which was not supplied",
                                                 ssda903_tabledefs[t - SSDA903_NCURRENT].name);
                                else
                                        snprintf(buf, n,
                                                 "needs the %s table, which was not supplied",
                                                 name);
                                return buf;
                        }
                }
                s = bar ? bar + 1 : s + len;
        }
        return NULL;
}

static void push_outcome(struct rules_result *res, const char *code, enum rule_outcome_kind k,
                         const char *reason, size_t nfound)
{
        if (res->no == res->ocap)
                res->o = xgrow(res->o, &res->ocap, res->no + 1, sizeof *res->o);
        struct rule_outcome *o = &res->o[res->no++];
        o->code = code;
        o->kind = k;
        o->reason = reason ? arena_strdup(&res->arena, reason) : NULL;
        o->nfindings = nfound;
        switch (k) {
        case RULE_RAN:
                res->nran++;
                break;
        case RULE_SKIPPED:
                res->nskipped++;
                break;
        case RULE_FAILED:
                res->nfailed++;
                break;
        case RULE_NOT_IMPLEMENTED:
                res->nmissing++;
                break;
        }
}

static int cmp_place(const struct finding *x, const struct finding *y)
{
        if (x->table != y->table) {
                int c = strcmp(x->table ? x->table : "", y->table ? y->table : "");
                if (c)
                        return c;
        }
        return (x->row > y->row) - (x->row < y->row);
}

/* A finding's place in its segment: sorted by table, row, then report order. */
struct place {
        const char *table;
        long row;
        size_t seq;
};

static int cmp_placeref(const void *a, const void *b)
{
        const struct place *x = a, *y = b;
        if (x->table != y->table) {
                int c = strcmp(x->table ? x->table : "", y->table ? y->table : "");
                if (c)
                        return c;
        }
        if (x->row != y->row)
                return x->row < y->row ? -1 : 1;
        return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* At least `bytes` of scratch memory, reused from rule to rule (its pages touched once). */
static void *scratch(struct rules_result *res, size_t bytes)
{
        if (bytes > res->scratch_cap) {
                free(res->scratch);
                res->scratch_cap = bytes + bytes / 2;
                res->scratch = xmalloc(res->scratch_cap);
        }
        return res->scratch;
}

/* A few tables' names, each findings' table ranked by name: NULL names sort as "". */
enum { SORT_TABLES = 16 };
struct table_rank {
        const char *name[SORT_TABLES];
        unsigned rank[SORT_TABLES];
        size_t n;
};

/* The slot of name t (added when new), or -1 when there are already SORT_TABLES. */
static int table_slot(struct table_rank *tr, const char *t)
{
        for (size_t i = 0; i < tr->n; i++)
                if (tr->name[i] == t)
                        return (int)i;
        if (tr->n == SORT_TABLES)
                return -1;
        tr->name[tr->n] = t;
        return (int)tr->n++;
}

/* rank[i]: how many distinct names sort before name[i] (equal texts share a rank). */
static void rank_tables(struct table_rank *tr)
{
        for (size_t i = 0; i < tr->n; i++) {
                const char *a = tr->name[i] ? tr->name[i] : "";
                unsigned r = 0;
                for (size_t j = 0; j < tr->n; j++) {
                        const char *b = tr->name[j] ? tr->name[j] : "";
                        int below = strcmp(b, a) < 0;
                        /* count each distinct text once: only its first slot */
                        for (size_t k = 0; below && k < j; k++)
                                if (strcmp(tr->name[k] ? tr->name[k] : "", b) == 0)
                                        below = 0;
                        r += (unsigned)below;
                }
                tr->rank[i] = r;
        }
}

/* Order one rule's findings by table, then row, keeping report order among equals. */
static void sort_segment(struct rules_result *res, size_t from)
{
        size_t n = res->n - from;
        if (n < 2)
                return;
        /* Most rules report in table order already (and equal tables share one copy). */
        size_t k = from + 1;
        while (k < res->n && cmp_place(&res->f[k - 1], &res->f[k]) <= 0)
                k++;
        if (k == res->n)
                return;
        /* A few tables (the usual case) and rows not far beyond the findings' count (a
         * count a row costs a few instructions, qsort some 40 a comparison): two stable
         * counting sorts, by row and then by the table's rank, so report order stays among
         * equal places. */
        long maxrow = 0;
        int counting = 1;
        struct table_rank tr = {.n = 0};
        size_t count[SORT_TABLES] = {0};
        const char *last = NULL;
        int slot = -1;
        for (size_t i = from; i < res->n && counting; i++) {
                const struct finding *f = &res->f[i];
                if (slot < 0 || f->table != last) {
                        slot = table_slot(&tr, f->table);
                        last = f->table;
                }
                counting = slot >= 0 && f->row >= 0;
                if (counting)
                        count[slot]++;
                if (f->row > maxrow)
                        maxrow = f->row;
        }
        if (counting && (size_t)maxrow <= 32 * n + 4096 && n < UINT32_MAX) {
                /* 32-bit counts (n is below 2^32 here): half the memory to clear. */
                size_t nstart = ((size_t)maxrow + 2 + 1) & ~(size_t)1; /* tmp 8-aligned */
                uint32_t *start = scratch(res, nstart * sizeof *start + n * sizeof(struct finding));
                struct finding *tmp = (struct finding *)(start + nstart);
                memset(start, 0, nstart * sizeof *start);
                for (size_t i = from; i < res->n; i++)
                        start[res->f[i].row + 1]++;
                for (long r = 0; r <= maxrow; r++)
                        start[r + 1] += start[r];
                if (tr.n == 1) {
                        for (size_t i = from; i < res->n; i++)
                                tmp[start[res->f[i].row]++] = res->f[i];
                        memcpy(res->f + from, tmp, n * sizeof *tmp);
                        return;
                }
                /* By row into tmp, then by table rank back into place. */
                for (size_t i = from; i < res->n; i++)
                        tmp[start[res->f[i].row]++] = res->f[i];
                rank_tables(&tr);
                size_t at[SORT_TABLES + 1] = {0};
                for (size_t i = 0; i < tr.n; i++) /* findings per rank, from the first pass */
                        at[tr.rank[i] + 1] += count[i];
                for (size_t r = 0; r < tr.n; r++)
                        at[r + 1] += at[r];
                last = NULL;
                slot = -1;
                for (size_t i = 0; i < n; i++) {
                        if (slot < 0 || tmp[i].table != last) {
                                slot = table_slot(&tr, tmp[i].table);
                                last = tmp[i].table;
                        }
                        res->f[from + at[tr.rank[slot]]++] = tmp[i];
                }
                return;
        }
        /* Otherwise sort small keys, then move each finding once. */
        struct place *key = scratch(res, n * (sizeof *key + sizeof(struct finding)));
        struct finding *tmp = (struct finding *)(key + n);
        for (size_t i = 0; i < n; i++)
                key[i] = (struct place){res->f[from + i].table, res->f[from + i].row, i};
        qsort(key, n, sizeof *key, cmp_placeref);
        memcpy(tmp, res->f + from, n * sizeof *tmp);
        for (size_t i = 0; i < n; i++)
                res->f[from + i] = tmp[key[i].seq];
}

static void report_notes(struct rule_ctx *ctx, struct rules_result *res)
{
        const struct ssda903_load *ld = ctx->s903;
        size_t from = res->n;
        for (size_t i = 0; ld && i < ld->nnotes; i++) {
                const struct ssda903_note *nt = &ld->notes[i];
                const char *msg =
                    nt->line > 0 ? arena_printf(&res->arena, "line %ld: %s", nt->line, nt->text)
                                 : keep(res, nt->text);
                push_finding(res, "FORMAT", RULE_ERROR, nt->table, nt->row, nt->child, "", msg,
                             nt->file);
        }
        sort_segment(res, from);
}

/* ---------------------------------------------------------------- shared look-ups */

/* What running one rule of the list gave: its findings are f[from..to) of its worker's result. */
struct rule_run {
        const struct rule_def *def;
        int worker;
        size_t from, to, nfound;
        int rc;
        /* when rc < 0, the rule's error (malloc'd; freed by rules_run): not a buffer in every
         * run, which made the list ~1 KiB a rule to clear before any rule ran */
        char *reason;
};

struct rules_shared {
        const struct refdata_provider **ep_provider; /* by Episodes row, when providers given */
        atomic_uchar *looked_after;                  /* by 903 child: rules_memo_looked_after */
        uint32_t nchildren;
};

atomic_uchar *rules_memo_looked_after(const struct rule_ctx *ctx, uint32_t child)
{
        const struct rules_shared *sh = ctx->shared;
        return sh && sh->looked_after && child < sh->nchildren ? &sh->looked_after[child] : NULL;
}

static const struct refdata_provider *find_provider(const struct rule_ctx *ctx,
                                                    const struct ssda903_row *r)
{
        const char *u = r->v[EP_URN];
        return u && strcmp(u, "XXXXXXX") != 0 ? refdata_provider_find(ctx->providers, u) : NULL;
}

const struct refdata_provider *rule_ep_provider(const struct rule_ctx *ctx,
                                                const struct ssda903_row *r)
{
        const struct ssda903_table *ep = &ctx->s903->t[SSDA903_EPISODES];
        if (ctx->shared && ctx->shared->ep_provider && r->index < ep->n && &ep->rows[r->index] == r)
                return ctx->shared->ep_provider[r->index];
        return find_provider(ctx, r);
}

/* The look-ups the rules about to run will share. */
static void share(const struct rule_ctx *ctx, const struct rule_run *runs, size_t nruns,
                  struct rules_shared *sh)
{
        memset(sh, 0, sizeof *sh);
        if (ctx->ret != RULES_903 || !ctx->s903)
                return;
        if (ctx->s903->nchildren) {
                sh->nchildren = (uint32_t)ctx->s903->nchildren;
                sh->looked_after = xcalloc(sh->nchildren, sizeof *sh->looked_after);
        }
        if (!ctx->providers)
                return;
        size_t users = 0;
        for (size_t i = 0; i < nruns; i++)
                users += (runs[i].def->needs & RULE_NEEDS_PROVIDERS) != 0;
        if (users < 2)
                return;
        const struct ssda903_table *ep = &ctx->s903->t[SSDA903_EPISODES];
        sh->ep_provider = xmalloc((ep->n ? ep->n : 1) * sizeof *sh->ep_provider);
        for (size_t i = 0; i < ep->n; i++)
                sh->ep_provider[i] = find_provider(ctx, &ep->rows[i]);
}

static void shared_release(struct rules_shared *sh)
{
        free(sh->ep_provider);
        free(sh->looked_after);
}

/* ---------------------------------------------------------------- running on threads */

struct runner {
        const struct rule_ctx *ctx;
        struct rule_run *runs;
        size_t nruns;
        atomic_size_t next;       /* the next rule to take */
        struct rules_result *out; /* one per worker */
        /* Gathering by the workers themselves (share_out): once all have run out of rules,
         * each copies its own findings to their final place in `dest`, after the result's
         * own `base` findings; `at` (made by the last to finish) holds each run's place. */
        int share_out, fits;
        pthread_mutex_t mu;
        pthread_cond_t cv;
        int running; /* workers not done with their rules */
        struct finding *dest;
        size_t dest_cap, base, total;
        size_t *at;
};

struct worker {
        struct runner *rn;
        int id;
};

/*
 * A worker done with its rules: wait for the others, then copy its own
 * findings to their places in rn->dest, while the others copy theirs.  The
 * last worker to finish works out the places (every rule has run by then).
 */
static void share_out(struct runner *rn, int id)
{
        pthread_mutex_lock(&rn->mu);
        if (--rn->running == 0) {
                size_t pos = rn->base;
                for (size_t i = 0; i < rn->nruns; i++) {
                        rn->at[i] = pos;
                        pos += rn->runs[i].to - rn->runs[i].from;
                }
                rn->total = pos;
                rn->fits = pos <= rn->dest_cap;
                pthread_cond_broadcast(&rn->cv);
        } else {
                while (rn->running > 0)
                        pthread_cond_wait(&rn->cv, &rn->mu);
        }
        int fits = rn->fits;
        pthread_mutex_unlock(&rn->mu);
        const struct finding *f = rn->out[id].f;
        for (size_t i = 0; fits && i < rn->nruns; i++)
                if (rn->runs[i].worker == id && rn->runs[i].to > rn->runs[i].from)
                        memcpy(rn->dest + rn->at[i], f + rn->runs[i].from,
                               (rn->runs[i].to - rn->runs[i].from) * sizeof *f);
}

/* Run one rule in a worker's context, whose err (the worker's own) it may fill. */
static void run_one(struct rule_ctx *ctx, struct rule_run *run, int worker)
{
        struct err *rerr = ctx->err;
        err_clear(rerr);
        ctx->rule = run->def;
        ctx->nfound = 0;
        run->worker = worker;
        run->from = ctx->out->n;
        run->rc = run->def->check(ctx);
        sort_segment(ctx->out, run->from);
        run->to = ctx->out->n;
        run->nfound = ctx->nfound;
        if (run->rc < 0)
                run->reason = xstrdup(rerr->msg[0] ? rerr->msg : "internal error");
}

static void *work(void *arg)
{
        struct worker *w = arg;
        struct runner *rn = w->rn;
        struct rule_ctx ctx = *rn->ctx;
        struct err rerr; /* the running rule's error: lives as long as ctx */
        ctx.out = &rn->out[w->id];
        ctx.err = &rerr;
        for (;;) {
                size_t i = atomic_fetch_add(&rn->next, 1);
                if (i >= rn->nruns)
                        break;
                run_one(&ctx, &rn->runs[i], w->id);
        }
        if (rn->share_out)
                share_out(rn, w->id);
        return NULL;
}

/* Rows in the return: a small one is checked faster than threads start. */
static size_t load_rows(const struct rule_ctx *ctx)
{
        size_t rows = 0;
        if (ctx->s903)
                for (int t = 0; t < SSDA903_NTABLES; t++)
                        rows += ctx->s903->t[t].n;
        if (ctx->cin)
                for (int t = 0; t < CIN_NTABLES; t++)
                        rows += ctx->cin->table[t].n;
        return rows;
}

static int thread_count(const struct rule_ctx *ctx, size_t nruns)
{
        long n = ctx->threads;
        if (n <= 0 && load_rows(ctx) < 2000)
                n = 1;
        if (n <= 0) {
                n = sysconf(_SC_NPROCESSORS_ONLN);
                if (n > RULES_MAX_THREADS)
                        n = RULES_MAX_THREADS;
        }
        if (n > 64)
                n = 64;
        if ((size_t)n > nruns)
                n = (long)nruns;
        return n < 1 ? 1 : (int)n;
}

/*
 * A worker's findings array for a load of `rows` rows, made before it finds
 * anything: room for several findings a row, aligned to and offered as huge
 * pages (only the pages findings reach are touched).  Growing by doubling
 * copied each array into fresh pages several times, and gathering the
 * workers' findings copied the largest share once more: on the 903 fixtures
 * (38,794 findings, 2.4 MiB) about 1,000 of the process's 2,650 page faults.
 * Reserved like this, the gathering worker's array usually holds every
 * finding where it already is; a larger result still grows by realloc.
 */
enum { FINDINGS_HUGE = 2 << 20 };
static struct finding *findings_array(size_t rows, size_t *cap)
{
        size_t n = rows * 8;
        if (n > ((size_t)256 << 20) / sizeof(struct finding))
                n = ((size_t)256 << 20) / sizeof(struct finding);
        size_t bytes =
            (n * sizeof(struct finding) + FINDINGS_HUGE - 1) / FINDINGS_HUGE * FINDINGS_HUGE;
        struct finding *f = xaligned_alloc(FINDINGS_HUGE, bytes);
#ifdef MADV_HUGEPAGE
        madvise(f, bytes, MADV_HUGEPAGE); /* a hint: refused, ordinary pages serve */
#endif
        *cap = bytes / sizeof *f;
        return f;
}

static void reserve_findings(struct rules_result *res, size_t rows)
{
        res->f = findings_array(rows, &res->cap);
}

/*
 * Append every rule's findings to res in list order.  The array of the worker
 * that found most is grown to hold them all and becomes res->f, so the largest
 * share is not copied into fresh memory: a worker ran its rules in list order,
 * so each of its segments only moves towards the end, and moving them last
 * first overwrites none before it has moved.  The other workers' findings and
 * res's own are then copied into the gaps.
 */
static void gather(struct rules_result *res, struct rules_result *out, int nw,
                   const struct rule_run *runs, size_t nruns)
{
        size_t total = res->n;
        for (size_t i = 0; i < nruns; i++)
                total += runs[i].to - runs[i].from;
        if (total == res->n)
                return;
        int big = 0;
        for (int i = 1; i < nw; i++)
                if (out[i].n > out[big].n)
                        big = i;
        struct rules_result *b = &out[big];
        b->f = xgrow(b->f, &b->cap, total, sizeof *b->f);
        size_t *at = xmalloc(nruns * sizeof *at);
        for (size_t i = 0, pos = res->n; i < nruns; i++) {
                at[i] = pos;
                pos += runs[i].to - runs[i].from;
        }
        for (size_t i = nruns; i-- > 0;)
                if (runs[i].worker == big && at[i] != runs[i].from)
                        memmove(b->f + at[i], b->f + runs[i].from,
                                (runs[i].to - runs[i].from) * sizeof *b->f);
        for (size_t i = 0; i < nruns; i++)
                if (runs[i].worker != big && runs[i].to > runs[i].from)
                        memcpy(b->f + at[i], out[runs[i].worker].f + runs[i].from,
                               (runs[i].to - runs[i].from) * sizeof *b->f);
        free(at);
        if (res->n)
                memcpy(b->f, res->f, res->n * sizeof *res->f);
        for (size_t j = res->n; j < total; j++) {
                if (b->f[j].severity == RULE_QUERY)
                        res->nqueries++;
                else
                        res->nerrors++;
        }
        free(res->f);
        res->f = b->f;
        res->n = total;
        res->cap = b->cap;
        b->f = NULL;
        b->n = b->cap = 0;
}

/*
 * Run the rules in runs[] on up to ctx->threads threads, each worker into its
 * own result, then append every rule's findings to res in list order.  A
 * thread that cannot be started leaves its share to the others.
 */
static void run_rules(struct rule_ctx *ctx, struct rules_result *res, struct rule_run *runs,
                      size_t nruns)
{
        int nw = thread_count(ctx, nruns);
        struct runner rn = {.ctx = ctx, .runs = runs, .nruns = nruns};
        atomic_init(&rn.next, 0);
        rn.out = xcalloc((size_t)nw, sizeof *rn.out);
        struct worker *ws = xcalloc((size_t)nw, sizeof *ws);
        pthread_t *tids = xcalloc((size_t)nw, sizeof *tids);
        int *started = xcalloc((size_t)nw, sizeof *started);
        size_t rows = load_rows(ctx);
        for (int i = 0; i < nw; i++) {
                rules_result_init(&rn.out[i]);
                rn.out[i].memo = 1;
                if (rows >= 2000) {
                        reserve_findings(&rn.out[i], rows);
                        /* The findings' messages and names: in huge pages once past 64 KiB. */
                        arena_release(&rn.out[i].arena);
                        arena_init_growing(&rn.out[i].arena, 64 * 1024);
                }
                ws[i].rn = &rn;
                ws[i].id = i;
        }
        /* Several workers on a large load copy their findings into place themselves, at once,
         * instead of this thread moving them all after they are done. */
        if (nw > 1 && rows >= 2000) {
                rn.share_out = 1;
                rn.dest = findings_array(rows, &rn.dest_cap);
                rn.base = res->n;
                rn.at = xmalloc(nruns * sizeof *rn.at);
                rn.running = nw;
                pthread_mutex_init(&rn.mu, NULL);
                pthread_cond_init(&rn.cv, NULL);
        }
        for (int i = 1; i < nw; i++) {
                started[i] = pthread_create(&tids[i], NULL, work, &ws[i]) == 0;
                if (!started[i] && rn.share_out) { /* its share falls to the others */
                        pthread_mutex_lock(&rn.mu);
                        rn.running--;
                        pthread_mutex_unlock(&rn.mu);
                }
        }
        work(&ws[0]);
        for (int i = 1; i < nw; i++)
                if (started[i])
                        pthread_join(tids[i], NULL);

        if (rn.share_out) {
                pthread_mutex_destroy(&rn.mu);
                pthread_cond_destroy(&rn.cv);
                free(rn.at);
        }
        if (rn.share_out && rn.fits) {
                if (res->n)
                        memcpy(rn.dest, res->f, res->n * sizeof *res->f);
                for (int i = 0; i < nw; i++) {
                        res->nerrors += rn.out[i].nerrors;
                        res->nqueries += rn.out[i].nqueries;
                }
                free(res->f);
                res->f = rn.dest;
                res->n = rn.total;
                res->cap = rn.dest_cap;
        } else {
                free(rn.dest);
                gather(res, rn.out, nw, runs, nruns);
        }
        /* The workers' strings stay with res. */
        res->more = xrealloc(res->more, (res->nmore + (size_t)nw) * sizeof *res->more);
        for (int i = 0; i < nw; i++) {
                res->more[res->nmore++] = rn.out[i].arena;
                free(rn.out[i].f);
                free(rn.out[i].o);
                free(rn.out[i].child_copy);
                free(rn.out[i].scratch);
        }
        free(rn.out);
        free(ws);
        free(tids);
        free(started);
}

int rules_run(struct rule_ctx *ctx, struct rules_result *res, struct err *e)
{
        size_t n;
        struct rule_info *list = rules_list(ctx->ret, ctx->rules_year, &n, e);
        if (!list)
                return -1;
        res->rules_year = ctx->rules_year;
        ctx->out = res;
        if (ctx->ret == RULES_903)
                report_notes(ctx, res);

        /* Which rules run is decided first, in the calling thread... */
        char buf[256];
        struct rule_run *runs = xcalloc(n ? n : 1, sizeof *runs);
        const char **why = xcalloc(n ? n : 1, sizeof *why);
        size_t nruns = 0;
        for (size_t i = 0; i < n; i++) {
                const struct rule_def *d = list[i].def;
                if (!d)
                        continue;
                const char *w = cannot_run(ctx, d, buf, sizeof buf);
                if (w)
                        why[i] = arena_strdup(&res->arena, w);
                else
                        runs[nruns++].def = d;
        }
        /* ...then the rules run, and the outcomes are reported in catalogue order. */
        struct rules_shared sh;
        share(ctx, runs, nruns, &sh);
        ctx->shared = &sh;
        if (nruns)
                run_rules(ctx, res, runs, nruns);
        ctx->shared = NULL;
        shared_release(&sh);
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
                const struct rule_def *d = list[i].def;
                if (!d) {
                        push_outcome(res, list[i].code, RULE_NOT_IMPLEMENTED, "not implemented yet",
                                     0);
                } else if (why[i]) {
                        push_outcome(res, d->code, RULE_SKIPPED, why[i], 0);
                } else {
                        const struct rule_run *r = &runs[k++];
                        if (r->rc < 0)
                                push_outcome(res, d->code, RULE_FAILED, r->reason, r->nfound);
                        else
                                push_outcome(res, d->code, RULE_RAN, NULL, r->nfound);
                }
        }
        ctx->rule = NULL;
        ctx->err = NULL;
        for (size_t i = 0; i < nruns; i++)
                free(runs[i].reason);
        free(runs);
        free(why);
        free(list);
        return 0;
}
