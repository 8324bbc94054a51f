/*
 * header.c — SSDA903 rules on the Header table alone: valid codes and dates
 * (101, 102, 103, 105, 168, 171, 232), ages implied by the date of birth
 * (209, 231, 301, 351, 620), the mother fields (174, 611, 612, 621) and
 * duplicate pupil numbers (444).
 *
 * Readings chosen where the definition leaves room:
 *  - 168: DfE's text is "Unique Pupil Number (UPN) is not valid. If unknown,
 *    default codes should be UN1, UN2, UN3, UN4 or UN5."  It does not say
 *    whether "valid" includes the check letter.  The 903 field definition
 *    (data-formats.md §1.3) makes a valid UPN a matter of structure: a
 *    letter other than I, O and S, eleven digits, then a digit or (for a
 *    temporary UPN) a letter, else UN1-UN5; the check-letter arithmetic of
 *    §2.6 is a rule of the CIN census (1510), which the 903 rule set does
 *    not carry.  So 168 checks the structure only, as Data to Insight's
 *    validator does, and a well-formed UPN with a wrong check letter passes.
 *    Blank is left to the rules that require a UPN.
 *  - 209: "school age" is being aged 4 or over on 31 August before the
 *    collection year began (31/08/2023 for 2024/25), as DfE words the rule.
 *  - 351: "over 25" is a 25th birthday before 1 April of the year.
 *  - 620: the mother's age is taken on 1 April of the year.
 *  - 621: only real dates are compared; an invalid DOB or MC_DOB is left to
 *    102 and 171.
 *  - 444: every row carrying a duplicated real UPN is reported, not only the
 *    second; the UN1–UN5 codes and blanks are never duplicates.
 */
#include "rules/903/util.h"

#include "core/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const struct ssda903_table *header(struct rule_ctx *ctx)
{
        return r9_tab(ctx, SSDA903_HEADER);
}

/* Report every Header row for which `bad` holds. */
static int each_header(struct rule_ctx *ctx,
                       int (*bad)(struct rule_ctx *, const struct ssda903_row *))
{
        const struct ssda903_table *hd = header(ctx);
        for (size_t i = 0; i < hd->n; i++)
                if (bad(ctx, &hd->rows[i]))
                        rule_report_903(ctx, SSDA903_HEADER, &hd->rows[i], NULL, NULL);
        return 0;
}

/* ---------------------------------------------------------------- codes */

static int bad_101_old(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        static const char *const codes[] = {"1", "2", NULL};
        return !r9_in_list(r->v[HD_SEX], codes);
}

static int bad_101_new(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        static const char *const codes[] = {"M", "F", "U", NULL};
        return !r9_in_list(r->v[HD_SEX], codes);
}

static int r_101_old(struct rule_ctx *ctx)
{
        return each_header(ctx, bad_101_old);
}

static int r_101_new(struct rule_ctx *ctx)
{
        return each_header(ctx, bad_101_new);
}

static int bad_102(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return !r9_real(r->d[HD_DOB]);
}

static int r_102(struct rule_ctx *ctx)
{
        return each_header(ctx, bad_102);
}

static int bad_103(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        static const char *const codes[] = {"WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA",
                                            "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH", "BCRB",
                                            "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT", NULL};
        return !r9_in_list(r->v[HD_ETHNIC], codes);
}

static int r_103(struct rule_ctx *ctx)
{
        return each_header(ctx, bad_103);
}

/* The flag is derived for CSV loads; only an XML flag can hold something else. */
static int bad_105(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        static const char *const codes[] = {"0", "1", NULL};
        return r->v[HD_UASC] && !r9_in_list(r->v[HD_UASC], codes);
}

static int r_105(struct rule_ctx *ctx)
{
        return each_header(ctx, bad_105);
}

static int is_digit(char c)
{
        return c >= '0' && c <= '9';
}

static int is_letter(char c)
{
        return c >= 'A' && c <= 'Z';
}

/*
 * A well-formed UPN (data-formats.md §1.3): a letter other than I, O and S,
 * eleven digits, then a digit or, for a temporary UPN, a letter.  Cells are
 * upper-cased by the loader.  The check letter is not tested (see the top).
 */
static int upn_well_formed(const char *s)
{
        if (strlen(s) != 13 || !is_letter(s[0]) || strchr("IOS", s[0]))
                return 0;
        for (int i = 1; i < 12; i++)
                if (!is_digit(s[i]))
                        return 0;
        return is_digit(s[12]) || is_letter(s[12]);
}

static const char *const upn_unknown[] = {"UN1", "UN2", "UN3", "UN4", "UN5", NULL};

static int bad_168(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        const char *u = r->v[HD_UPN];
        return u && !r9_in_list(u, upn_unknown) && !upn_well_formed(u);
}

static int r_168(struct rule_ctx *ctx)
{
        return each_header(ctx, bad_168);
}

static int bad_171(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r->d[HD_MC_DOB] == DATE_BAD;
}

static int r_171(struct rule_ctx *ctx)
{
        return each_header(ctx, bad_171);
}

static int bad_232(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r9_is(r->v[HD_SEX], "U");
}

static int r_232(struct rule_ctx *ctx)
{
        return each_header(ctx, bad_232);
}

/* ---------------------------------------------------------------- ages */

static int bad_209(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        if (!r9_is(r->v[HD_UPN], "UN1") || !r9_real(r->d[HD_DOB]))
                return 0;
        int y, m, d;
        date_to_ymd(ctx->start, &y, &m, &d);
        return r9_age_at_least(r->d[HD_DOB], date_from_ymd(y - 1, 8, 31), 4);
}

static int r_209(struct rule_ctx *ctx)
{
        return each_header(ctx, bad_209);
}

static int bad_231(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        return r9_is(r->v[HD_UASC], "1") && r9_real(r->d[HD_DOB]) &&
               !r9_age_at_least(r->d[HD_DOB], ctx->end, 11);
}

static int r_231(struct rule_ctx *ctx)
{
        return each_header(ctx, bad_231);
}

static int bad_301(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        return r9_real(r->d[HD_DOB]) && r->d[HD_DOB] > ctx->end;
}

static int r_301(struct rule_ctx *ctx)
{
        return each_header(ctx, bad_301);
}

static int bad_351(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        /* A 25th birthday before 1 April: 25 on 31 March. */
        return r9_real(r->d[HD_DOB]) && r9_age_at_least(r->d[HD_DOB], ctx->start - 1, 25);
}

static int r_351(struct rule_ctx *ctx)
{
        return each_header(ctx, bad_351);
}

static int bad_620(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        return r9_is(r->v[HD_MOTHER], "1") && r9_real(r->d[HD_DOB]) &&
               !r9_age_at_least(r->d[HD_DOB], ctx->start, 11);
}

static int r_620(struct rule_ctx *ctx)
{
        return each_header(ctx, bad_620);
}

/* ---------------------------------------------------------------- mother */

static int bad_174(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        return r->v[HD_MC_DOB] && r9_male(r->v[HD_SEX], ctx->rules_year);
}

static int r_174(struct rule_ctx *ctx)
{
        return each_header(ctx, bad_174);
}

static int bad_611(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r9_is(r->v[HD_MOTHER], "1") && !r->v[HD_MC_DOB];
}

static int r_611(struct rule_ctx *ctx)
{
        return each_header(ctx, bad_611);
}

static int bad_612(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        const char *m = r->v[HD_MOTHER];
        return (!m || strcmp(m, "0") == 0) && r9_female(r->v[HD_SEX], ctx->rules_year) &&
               r->v[HD_MC_DOB];
}

static int r_612(struct rule_ctx *ctx)
{
        return each_header(ctx, bad_612);
}

static int bad_621(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r9_real(r->d[HD_MC_DOB]) && r9_real(r->d[HD_DOB]) && r->d[HD_MC_DOB] <= r->d[HD_DOB];
}

static int r_621(struct rule_ctx *ctx)
{
        return each_header(ctx, bad_621);
}

/* ---------------------------------------------------------------- duplicates */

static uint32_t upn_hash(const char *s)
{
        uint32_t h = 2166136261u;
        for (; *s; s++)
                h = (h ^ (unsigned char)*s) * 16777619u;
        return h;
}

static int real_upn(const char *u)
{
        return u && !r9_in_list(u, upn_unknown);
}

/*
 * Open addressing over the Header rows: slot[] holds a UPN's hash and the
 * index + 1 of its first row (0 = empty), count[] how many rows carry that
 * slot's UPN, at[] each row's slot (the second pass needs no probing).  One
 * allocation per run, none per row.
 */
static int r_444(struct rule_ctx *ctx)
{
        const struct ssda903_table *hd = header(ctx);
        if (hd->n < 2)
                return 0;
        size_t cap = 16;
        while (cap < 2 * hd->n)
                cap *= 2;
        uint64_t *slot = xcalloc(cap, sizeof *slot);
        uint32_t *count = xcalloc(cap + hd->n, sizeof *count), *at = count + cap;
        for (size_t i = 0; i < hd->n; i++) {
                const char *u = hd->rows[i].v[HD_UPN];
                at[i] = UINT32_MAX;
                if (!real_upn(u))
                        continue;
                uint32_t hash = upn_hash(u);
                size_t h = hash & (cap - 1);
                for (uint64_t e; (e = slot[h]) != 0; h = (h + 1) & (cap - 1))
                        if ((uint32_t)(e >> 32) == hash &&
                            strcmp(hd->rows[(uint32_t)e - 1].v[HD_UPN], u) == 0)
                                break;
                if (!slot[h])
                        slot[h] = (uint64_t)hash << 32 | (uint32_t)(i + 1);
                count[h]++;
                at[i] = (uint32_t)h;
        }
        for (size_t i = 0; i < hd->n; i++)
                if (at[i] != UINT32_MAX && count[at[i]] > 1)
                        rule_report_903f(ctx, SSDA903_HEADER, &hd->rows[i], NULL,
                                         "%s is on %u rows", hd->rows[i].v[HD_UPN],
                                         (unsigned)count[at[i]]);
        free(slot);
        free(count);
        return 0;
}

#define ALL   RULES_ALL_YEARS
#define UNTIL RULES_UNTIL
#define FROM  RULES_FROM

/* clang-format off */
const struct rule_def rules_903_header[] = {
    {"101", RULE_ERROR, "Sex is blank or not a valid code (1 male, 2 female).",
     "SEX", "Header", 0, UNTIL(2024), r_101_old},
    {"101", RULE_ERROR, "Sex is blank or not a valid code (M, F or U).",
     "SEX", "Header", 0, FROM(2025), r_101_new},
    {"102", RULE_ERROR, "Date of birth is blank or not a real dd/mm/YYYY date.",
     "DOB", "Header", 0, ALL, r_102},
    {"103", RULE_ERROR, "Ethnicity is blank or not one of the DfE ethnicity codes.",
     "ETHNIC", "Header", 0, ALL, r_103},
    {"105", RULE_ERROR, "The UASC flag must be 1 (UASC) or 0 (not UASC).",
     "UASC", "Header", 0, ALL, r_105},
    {"168", RULE_ERROR, "UPN is not valid: it must be a letter (not I, O or S), 11 digits and "
     "a final digit or letter, or one of the unknown codes UN1-UN5.",
     "UPN", "Header", 0, ALL, r_168},
    {"171", RULE_ERROR, "Date of birth of the mother's child is not a real dd/mm/YYYY date.",
     "MC_DOB", "Header", 0, ALL, r_171},
    {"174", RULE_ERROR, "A date of birth of the mother's child is given for a child recorded as "
     "male (sex 1).",
     "SEX|MC_DOB", "Header", 0, UNTIL(2024), r_174},
    {"174", RULE_ERROR, "A date of birth of the mother's child is given for a child recorded as "
     "male (sex M).",
     "SEX|MC_DOB", "Header", 0, FROM(2025), r_174},
    {"209", RULE_ERROR, "UPN is UN1 (not yet of school age) but the child was 4 or over on the "
     "31 August before the year began.",
     "UPN|DOB", "Header", 0, ALL, r_209},
    {"231", RULE_ERROR, "The child is recorded as UASC but is under 11 on 31 March; check the "
     "date of birth, and if it is right explain it in a bypass request.",
     "DOB|UASC", "Header", 0, FROM(2025), r_231},
    {"232", RULE_ERROR, "Sex is recorded as not known (U).",
     "SEX", "Header", 0, FROM(2025), r_232},
    {"301", RULE_ERROR, "Date of birth is after the end of the collection year.",
     "DOB", "Header", 0, ALL, r_301},
    {"351", RULE_ERROR, "The child had passed their 25th birthday before the collection year "
     "began.",
     "DOB", "Header", 0, ALL, r_351},
    {"444", RULE_ERROR, "The same UPN is recorded for more than one child.",
     "UPN", "Header", 0, FROM(2026), r_444},
    {"611", RULE_ERROR, "The child is recorded as a mother but the date of birth of her child "
     "is blank.",
     "MOTHER|MC_DOB", "Header", 0, ALL, r_611},
    {"612", RULE_ERROR, "A date of birth of the mother's child is given for a girl (sex 2) "
     "whom MOTHER does not record as a mother.",
     "SEX|MOTHER|MC_DOB", "Header", 0, UNTIL(2024), r_612},
    {"612", RULE_ERROR, "A date of birth of the mother's child is given for a girl (sex F) "
     "whom MOTHER does not record as a mother.",
     "SEX|MOTHER|MC_DOB", "Header", 0, FROM(2025), r_612},
    {"620", RULE_ERROR, "The child is recorded as a mother but was under 11 at the start of the "
     "collection year.",
     "DOB|MOTHER", "Header", 0, ALL, r_620},
    {"621", RULE_ERROR, "The date of birth of the mother's child is not after the mother's own "
     "date of birth.",
     "DOB|MC_DOB", "Header", 0, ALL, r_621},
    {0},
};
/* clang-format on */
