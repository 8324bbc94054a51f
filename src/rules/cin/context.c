/*
 * context.c — the CIN side of the rule framework (see cin_rules.h): the rule
 * context for a census, findings on CIN rows, and shared helpers.
 */
#include "rules/cin/cin_rules.h"

#include "core/err.h"
#include "core/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void cin_rules_ctx_init(struct rule_ctx *ctx, const struct cin_load *l, int collection_year,
                        int rules_year)
{
        memset(ctx, 0, sizeof *ctx);
        ctx->ret = RULES_CIN;
        ctx->cin = l;
        int y = collection_year ? collection_year : cin_load_year(l);
        ctx->rules_year =
            rules_year ? rules_year : rules_pick_year(RULES_CIN, y ? y : RULES_CIN_LAST, NULL);
        if (!y)
                y = ctx->rules_year;
        ctx->collection_year = y;
        ctx->start = date_year_start(y);
        ctx->end = date_year_end(y);
        const struct cin_row *h = cin_header(l);
        ctx->reference_date =
            h && cin_real(h->d[CIN_HDR_ReferenceDate]) ? h->d[CIN_HDR_ReferenceDate] : ctx->end;
        if (l->la && strlen(l->la) == 3 && strspn(l->la, "0123456789") == 3)
                ctx->la_old = l->la;
}

void cin_report(struct rule_ctx *ctx, enum cin_table_id t, const struct cin_row *r,
                const char *fields, const char *detail)
{
        const char *child = r && t != CIN_Header ? r->v[0] : NULL;
        rule_report(ctx, cin_tables[t].name, r ? r->row : 0, child, ctx->cin->file, fields, detail);
}

void cin_reportf(struct rule_ctx *ctx, enum cin_table_id t, const struct cin_row *r,
                 const char *fields, const char *fmt, ...)
{
        char detail[512];
        va_list ap;
        va_start(ap, fmt);
        rules_vformat(detail, sizeof detail, fmt, ap);
        va_end(ap);
        cin_report(ctx, t, r, fields, detail);
}

void cin_report_child(struct rule_ctx *ctx, enum cin_table_id t, size_t k, const char *fields,
                      const char *detail)
{
        const struct cin_child *c = &ctx->cin->children[k];
        rule_report(ctx, cin_tables[t].name, 0, c->LAchildID, ctx->cin->file, fields, detail);
}

/* Codes are a few bytes and most list entries differ at the first: the bytes are compared
 * here rather than through a strcmp call per entry (same result as strcmp == 0). */
bool cin_in(const char *v, const char *const *list)
{
        if (!v)
                return false;
        for (; *list; list++) {
                const char *a = v, *b = *list;
                while (*a && *a == *b) {
                        a++;
                        b++;
                }
                if (*a == *b)
                        return true;
        }
        return false;
}

bool cin_in_nocase(const char *v, const char *const *list)
{
        if (!v)
                return false;
        for (; *list; list++)
                if (!strcasecmp(v, *list))
                        return true;
        return false;
}

const struct cin_row *cin_child_ids(const struct cin_load *l, size_t k)
{
        const struct cin_child *c = &l->children[k];
        return c->n[CIN_ChildIdentifiers]
                   ? &l->table[CIN_ChildIdentifiers].rows[c->first[CIN_ChildIdentifiers]]
                   : NULL;
}

static int cmp_cell_ptr(const void *a, const void *b)
{
        return strcmp(**(const char *const *const *)a, **(const char *const *const *)b);
}

int cin_report_duplicates(struct rule_ctx *ctx, enum cin_table_id t, int col)
{
        const struct cin_table *tab = &ctx->cin->table[t];
        size_t cap = tab->n ? tab->n : 1;
        const char **cells = xcalloc(cap, sizeof *cells);
        const char ***idx = xmalloc(cap * sizeof *idx);
        bool *dup = xcalloc(cap, sizeof *dup);
        size_t n = 0;
        for (size_t i = 0; i < tab->n; i++)
                if (tab->rows[i].v[col]) {
                        cells[i] = tab->rows[i].v[col];
                        idx[n++] = &cells[i];
                }
        /* Sorting pointers to the cells keeps this O(n log n) for a national census. */
        qsort(idx, n, sizeof *idx, cmp_cell_ptr);
        for (size_t a = 0; a < n;) {
                size_t b = a + 1;
                while (b < n && !strcmp(*idx[a], *idx[b]))
                        b++;
                if (b - a > 1)
                        for (size_t k = a; k < b; k++)
                                dup[idx[k] - cells] = true;
                a = b;
        }
        for (size_t i = 0; i < tab->n; i++)
                if (dup[i])
                        cin_reportf(ctx, t, &tab->rows[i], NULL, "%s %s is on more than one row",
                                    cin_tables[t].cols[col].name, tab->rows[i].v[col]);
        free(dup);
        free(idx);
        free(cells);
        return 0;
}

bool cin_further_action(const struct cin_load *l, size_t k)
{
        size_t first, n = cin_child_rows(l, k, CIN_CINdetails, &first);
        for (size_t i = first; i < first + n; i++)
                if (cin_false(l->table[CIN_CINdetails].rows[i].v[CIN_CD_ReferralNFA]))
                        return true;
        return false;
}

/* Issues are reported as findings of their own pseudo-rule, as the 903 loader's notes are. */
static int no_check(struct rule_ctx *ctx)
{
        (void)ctx;
        return 0;
}

static const struct rule_def format_rule = {
    "FORMAT",
    RULE_ERROR,
    "The census has XML that the CIN census format does not have",
    "",
    "",
    0,
    CIN_ALL_YEARS,
    no_check,
};

void cin_report_issues(struct rule_ctx *ctx, struct rules_result *res)
{
        const struct cin_load *l = ctx->cin;
        const struct rule_def *saved_rule = ctx->rule;
        struct rules_result *saved_out = ctx->out;
        size_t saved_found = ctx->nfound;
        ctx->rule = &format_rule;
        ctx->out = res;
        char detail[ERR_MSG_MAX];
        for (size_t i = 0; i < l->nissues; i++) {
                const struct cin_issue *is = &l->issues[i];
                snprintf(detail, sizeof detail, "line %ld: %s", is->line, is->text);
                rule_report(ctx, is->table, is->row, is->child, is->file, "", detail);
        }
        if (l->issues_dropped) {
                snprintf(detail, sizeof detail, "%zu more problems of this kind were not listed",
                         l->issues_dropped);
                rule_report(ctx, "XML", 0, NULL, l->file, "", detail);
        }
        ctx->rule = saved_rule;
        ctx->out = saved_out;
        ctx->nfound = saved_found;
}

int cin_working_days_before(struct rule_ctx *ctx, date_t from, int n, date_t *out)
{
        date_t d = from;
        while (n > 0) {
                bool holiday;
                d--;
                if (date_is_bank_holiday(d, &holiday, ctx->err) < 0)
                        return -1;
                if (date_weekday(d) < 5 && !holiday)
                        n--;
        }
        *out = d;
        return 0;
}
