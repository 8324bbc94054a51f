/*
 * header_lastyear.c — SSDA903 rules comparing a child's Header row with the
 * one in last year's return (Header_last): sex, date of birth, ethnicity,
 * UPN and the mother fields must not change without reason (202, 203, 204,
 * 208, 624, 626).  A child not in last year's Header is not compared.
 *
 * Readings chosen where the definition leaves room:
 *  - 202: the sex codes changed in 2024/25 (1/2 became M/F/U), so 1 and M,
 *    and 2 and F, are the same sex; otherwise the codes must be equal, and
 *    a code given one year and blank the other is a change.
 *  - 203: dates are compared as dates (1/3/2010 = 01/03/2010); a real date
 *    against a blank or invalid one is a change, two unusable ones are not.
 *  - 208: a UPN may change from blank or UN1 to UN2–UN5, and from blank or
 *    any UN code to a real UPN (the child's UPN became known); every other
 *    change is reported, but blank in both years is not a change.
 *  - 624: only a date of the mother's child recorded last year binds this
 *    year's; a blank one this year then counts as a contradiction.
 */
#include "rules/903/util.h"

#include <string.h>

/* The child's Header row last year, or NULL. */
static const struct ssda903_row *last_header(struct rule_ctx *ctx, uint32_t k)
{
        return r9_first(ctx, SSDA903_HEADER_LAST, k);
}

/* Report every Header row whose child is in Header_last and `changed` holds. */
static int each_pair(struct rule_ctx *ctx,
                     int (*changed)(struct rule_ctx *, const struct ssda903_row *now,
                                    const struct ssda903_row *last))
{
        const struct ssda903_table *hd = r9_tab(ctx, SSDA903_HEADER);
        for (size_t i = 0; i < hd->n; i++) {
                const struct ssda903_row *r = &hd->rows[i];
                const struct ssda903_row *l = last_header(ctx, r->child);
                if (l && changed(ctx, r, l))
                        rule_report_903(ctx, SSDA903_HEADER, r, NULL, NULL);
        }
        return 0;
}

/* 1/M and 2/F name the same sex across the 2024/25 change of codes. */
static const char *sex_norm(const char *s)
{
        if (r9_is(s, "1"))
                return "M";
        if (r9_is(s, "2"))
                return "F";
        return s;
}

static int changed_202(struct rule_ctx *ctx, const struct ssda903_row *now,
                       const struct ssda903_row *last)
{
        (void)ctx;
        return !r9_same(sex_norm(now->v[HD_SEX]), sex_norm(last->v[HD_SEX]));
}

static int r_202(struct rule_ctx *ctx)
{
        return each_pair(ctx, changed_202);
}

static int dates_differ(date_t a, date_t b)
{
        if (r9_real(a) && r9_real(b))
                return a != b;
        return r9_real(a) != r9_real(b);
}

static int changed_203(struct rule_ctx *ctx, const struct ssda903_row *now,
                       const struct ssda903_row *last)
{
        (void)ctx;
        return dates_differ(now->d[HD_DOB], last->d[HD_DOB]);
}

static int r_203(struct rule_ctx *ctx)
{
        return each_pair(ctx, changed_203);
}

static int changed_204(struct rule_ctx *ctx, const struct ssda903_row *now,
                       const struct ssda903_row *last)
{
        (void)ctx;
        return !r9_same(now->v[HD_ETHNIC], last->v[HD_ETHNIC]);
}

static int r_204(struct rule_ctx *ctx)
{
        return each_pair(ctx, changed_204);
}

static int changed_208(struct rule_ctx *ctx, const struct ssda903_row *now,
                       const struct ssda903_row *last)
{
        (void)ctx;
        static const char *const un_all[] = {"UN1", "UN2", "UN3", "UN4", "UN5", NULL};
        static const char *const un_2to5[] = {"UN2", "UN3", "UN4", "UN5", NULL};
        const char *u = now->v[HD_UPN], *l = last->v[HD_UPN];
        if (r9_same(u, l))
                return 0;
        /* UN1 (not yet of school age) may give way to a more specific unknown code. */
        if ((!l || r9_is(l, "UN1")) && r9_in_list(u, un_2to5))
                return 0;
        /* An unknown UPN may become known. */
        if ((!l || r9_in_list(l, un_all)) && u && !r9_in_list(u, un_all))
                return 0;
        return 1;
}

static int r_208(struct rule_ctx *ctx)
{
        return each_pair(ctx, changed_208);
}

static int changed_624(struct rule_ctx *ctx, const struct ssda903_row *now,
                       const struct ssda903_row *last)
{
        (void)ctx;
        const char *l = last->v[HD_MC_DOB], *u = now->v[HD_MC_DOB];
        if (!l)
                return 0;
        if (!u)
                return 1;
        if (r9_real(now->d[HD_MC_DOB]) && r9_real(last->d[HD_MC_DOB]))
                return now->d[HD_MC_DOB] != last->d[HD_MC_DOB];
        return strcmp(u, l) != 0;
}

static int r_624(struct rule_ctx *ctx)
{
        return each_pair(ctx, changed_624);
}

/* A mother now, not one last year, yet her child was born before this year began. */
static int changed_626(struct rule_ctx *ctx, const struct ssda903_row *now,
                       const struct ssda903_row *last)
{
        return r9_is(now->v[HD_MOTHER], "1") && r9_is(last->v[HD_MOTHER], "0") &&
               r9_real(now->d[HD_MC_DOB]) && now->d[HD_MC_DOB] < ctx->start;
}

static int r_626(struct rule_ctx *ctx)
{
        return each_pair(ctx, changed_626);
}

#define ALL  RULES_ALL_YEARS
#define LAST RULE_NEEDS_LAST_YEAR

/* clang-format off */
const struct rule_def rules_903_header_lastyear[] = {
    {"202", RULE_ERROR, "Sex differs from the sex recorded for this child last year.",
     "SEX", "Header|Header_last", LAST, ALL, r_202},
    {"203", RULE_ERROR, "Date of birth differs from the one recorded for this child last year.",
     "DOB", "Header|Header_last", LAST, ALL, r_203},
    {"204", RULE_ERROR, "Ethnicity differs from the one recorded for this child last year.",
     "ETHNIC", "Header|Header_last", LAST, ALL, r_204},
    {"208", RULE_ERROR, "UPN differs from the one recorded for this child last year, and the "
     "change is not from an unknown code to a more specific one or to a real UPN.",
     "UPN", "Header|Header_last", LAST, ALL, r_208},
    {"624", RULE_ERROR, "Date of birth of the mother's child differs from the one recorded "
     "last year.",
     "MC_DOB", "Header|Header_last", LAST, ALL, r_624},
    {"626", RULE_ERROR, "The child is recorded as a mother this year but not last year, yet her "
     "child was born before this collection year began.",
     "MOTHER|MC_DOB", "Header|Header_last", LAST, ALL, r_626},
    {0},
};
/* clang-format on */
