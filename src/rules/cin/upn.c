/*
 * upn.c — CIN census rules on the child's UPN, former UPN and the reason a
 * UPN is unknown: 1510, 1520, 1530, 1540, 1550, 1560Q, 8770Q, 8772.
 *
 * A UPN is 13 characters (data-formats.md §2.6): a check letter, the 3-digit
 * number of the issuing authority, eight digits, and a digit or (temporary
 * UPN) a letter.  Each rule looks at its own part, so one bad UPN can break
 * several; a blank UPN breaks none of them.
 *
 * Readings chosen where the definition leaves room:
 *  - 1510: the check letter is computed when characters 2–12 are digits and
 *    character 13 is a digit or a check-table letter (whose table value is
 *    then its digit), over the full 23-letter table A…Z without I, O, S.  The
 *    Data to Insight validator skips temporary UPNs and stops its table at X.
 *  - 1520: every row whose UPN another child also has is reported (DfE asks
 *    for an authority-level check; rows say which children to look at).
 *  - 1540 / 1550: a UPN too short to have characters 5–12 (1540) or not 13
 *    characters long (1550) breaks the rule.  1550 accepts upper-case letters
 *    only, as the DfE list does.
 *  - 1560Q: the former UPN is held to the UPN's pattern (§2.2): a letter,
 *    eleven digits, and a digit or letter; D2I requires twelve digits.
 *  - 8770Q: from 2024/25 "of school age" is read as born on or before 31
 *    August four years before the reference date's year, as the D2I
 *    validator does; until then, born six years or more before the
 *    reference date.  UNx codes are compared ignoring case.
 *  - 8772: a blank ReferralNFA is not "true", so it breaks the rule.
 */
#include "rules/cin/cin_rules.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

/* The check-letter table: index = value. */
static const char check_letters[] = "ABCDEFGHJKLMNPQRTUVWXYZ";

static bool digits(const char *s, size_t from, size_t to)
{
        for (size_t i = from; i < to; i++)
                if (s[i] < '0' || s[i] > '9')
                        return false;
        return true;
}

/* The check letter a UPN's characters 2–13 give, or 0 when they cannot give one. */
static char expected_check_letter(const char *upn)
{
        if (strlen(upn) != 13 || !digits(upn, 1, 12))
                return 0;
        int last;
        if (upn[12] >= '0' && upn[12] <= '9') {
                last = upn[12] - '0';
        } else {
                const char *p = strchr(check_letters, upn[12]);
                if (!p || !upn[12])
                        return 0;
                last = (int)(p - check_letters);
        }
        int sum = 13 * last;
        for (int pos = 2; pos <= 12; pos++)
                sum += pos * (upn[pos - 1] - '0');
        return check_letters[sum % 23];
}

static int r_1510(struct rule_ctx *ctx)
{
        const struct cin_table *ci = &ctx->cin->table[CIN_ChildIdentifiers];
        for (size_t i = 0; i < ci->n; i++) {
                const char *upn = ci->rows[i].v[CIN_CI_UPN];
                if (!upn)
                        continue;
                char want = expected_check_letter(upn);
                char got = upn[0] >= 'a' && upn[0] <= 'z' ? (char)(upn[0] - 32) : upn[0];
                if (want && got != want)
                        cin_reportf(ctx, CIN_ChildIdentifiers, &ci->rows[i], NULL,
                                    "UPN %s should start with %c", upn, want);
        }
        return 0;
}

static int r_1520(struct rule_ctx *ctx)
{
        return cin_report_duplicates(ctx, CIN_ChildIdentifiers, CIN_CI_UPN);
}

/* Post-1998 authority numbers and pseudo-authority codes a UPN may carry (inclusive ranges). */
static const struct {
        short lo, hi;
        short from; /* first rule-set year that accepts them */
} upn_la_codes[] = {
    {1, 5, 0},        {201, 213, 0}, {301, 320, 0}, {330, 336, 0}, {340, 344, 0},
    {350, 359, 0},    {370, 373, 0}, {380, 384, 0}, {390, 394, 0}, {420, 420, 0},
    {660, 681, 0},    {701, 708, 0}, {800, 803, 0}, {805, 808, 0}, {810, 813, 0},
    {815, 816, 0},    {820, 823, 0}, {825, 826, 0}, {830, 831, 0}, {835, 841, 0},
    {845, 846, 0},    {850, 852, 0}, {855, 857, 0}, {860, 861, 0}, {865, 896, 0},
    {908, 909, 0},    {916, 916, 0}, {919, 919, 0}, {921, 921, 0}, {925, 926, 0},
    {928, 929, 0},    {931, 931, 0}, {933, 933, 0}, {935, 938, 0}, {940, 941, 0},
    {942, 943, 2024}, /* added in 2023/24 */
};

static bool upn_la_known(const char *three, int rules_year)
{
        if (!digits(three, 0, 3))
                return false;
        int code = (three[0] - '0') * 100 + (three[1] - '0') * 10 + (three[2] - '0');
        for (size_t i = 0; i < sizeof upn_la_codes / sizeof upn_la_codes[0]; i++)
                if (code >= upn_la_codes[i].lo && code <= upn_la_codes[i].hi &&
                    rules_year >= upn_la_codes[i].from)
                        return true;
        return false;
}

static int r_1530(struct rule_ctx *ctx)
{
        const struct cin_table *ci = &ctx->cin->table[CIN_ChildIdentifiers];
        for (size_t i = 0; i < ci->n; i++) {
                const char *upn = ci->rows[i].v[CIN_CI_UPN];
                if (upn && strlen(upn) == 13 && !upn_la_known(upn + 1, ctx->rules_year))
                        cin_reportf(ctx, CIN_ChildIdentifiers, &ci->rows[i], NULL,
                                    "%.3s is not an authority number", upn + 1);
        }
        return 0;
}

static int r_1540(struct rule_ctx *ctx)
{
        const struct cin_table *ci = &ctx->cin->table[CIN_ChildIdentifiers];
        for (size_t i = 0; i < ci->n; i++) {
                const char *upn = ci->rows[i].v[CIN_CI_UPN];
                if (upn && (strlen(upn) < 12 || !digits(upn, 4, 12)))
                        cin_reportf(ctx, CIN_ChildIdentifiers, &ci->rows[i], NULL, "UPN %s", upn);
        }
        return 0;
}

static int r_1550(struct rule_ctx *ctx)
{
        const struct cin_table *ci = &ctx->cin->table[CIN_ChildIdentifiers];
        for (size_t i = 0; i < ci->n; i++) {
                const char *upn = ci->rows[i].v[CIN_CI_UPN];
                if (!upn)
                        continue;
                bool ok = strlen(upn) == 13 &&
                          ((upn[12] >= '0' && upn[12] <= '9') || strchr(check_letters, upn[12]));
                if (!ok)
                        cin_reportf(ctx, CIN_ChildIdentifiers, &ci->rows[i], NULL,
                                    "UPN %s (%zu characters)", upn, strlen(upn));
        }
        return 0;
}

static bool ascii_letter(char c)
{
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int r_1560Q(struct rule_ctx *ctx)
{
        const struct cin_table *ci = &ctx->cin->table[CIN_ChildIdentifiers];
        for (size_t i = 0; i < ci->n; i++) {
                const char *f = ci->rows[i].v[CIN_CI_FormerUPN];
                if (!f)
                        continue;
                bool ok = strlen(f) == 13 && ascii_letter(f[0]) && digits(f, 1, 12) &&
                          ((f[12] >= '0' && f[12] <= '9') || ascii_letter(f[12]));
                if (!ok)
                        cin_reportf(ctx, CIN_ChildIdentifiers, &ci->rows[i], NULL, "FormerUPN %s",
                                    f);
        }
        return 0;
}

static int r_8770Q(struct rule_ctx *ctx)
{
        static const char *const reasons[] = {"UN2", "UN3", "UN4", "UN5", "UN6", "UN7", NULL};
        const struct cin_load *l = ctx->cin;
        date_t cutoff;
        if (ctx->rules_year >= 2025) {
                int y, m, d;
                date_to_ymd(ctx->reference_date, &y, &m, &d);
                cutoff = date_from_ymd(y - 4, 8, 31);
        } else {
                cutoff = date_add_months(ctx->reference_date, -72);
        }
        for (size_t k = 0; k < l->nchildren; k++) {
                const struct cin_row *r = cin_child_ids(l, k);
                if (!r || r->v[CIN_CI_UPN] || cin_in_nocase(r->v[CIN_CI_UPNunknown], reasons))
                        continue;
                date_t dob = r->d[CIN_CI_PersonBirthDate];
                if (!cin_real(dob) || dob > cutoff || !cin_further_action(l, k))
                        continue;
                cin_reportf(ctx, CIN_ChildIdentifiers, r, NULL, "no UPN, UPNunknown is %s",
                            r->v[CIN_CI_UPNunknown] ? r->v[CIN_CI_UPNunknown] : "blank");
        }
        return 0;
}

static int r_8772(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        for (size_t k = 0; k < l->nchildren; k++) {
                const struct cin_row *r = cin_child_ids(l, k);
                if (!r || !r->v[CIN_CI_UPNunknown] || strcasecmp(r->v[CIN_CI_UPNunknown], "UN7"))
                        continue;
                size_t first, n = cin_child_rows(l, k, CIN_CINdetails, &first);
                for (size_t i = first; i < first + n; i++) {
                        const struct cin_row *cd = &l->table[CIN_CINdetails].rows[i];
                        if (cin_bool(cd->v[CIN_CD_ReferralNFA]) != 1)
                                cin_reportf(ctx, CIN_ChildIdentifiers, r, NULL,
                                            "CINdetails %s has ReferralNFA %s",
                                            cd->v[CIN_CD_CINdetailsID],
                                            cd->v[CIN_CD_ReferralNFA] ? cd->v[CIN_CD_ReferralNFA]
                                                                      : "blank");
                }
        }
        return 0;
}

const struct rule_def rules_cin_upn[] = {
    {"1510", RULE_ERROR, "The UPN's first character is not the check letter its digits give.",
     "UPN", "ChildIdentifiers", 0, CIN_ALL_YEARS, r_1510},
    {"1520", RULE_ERROR, "Two or more children have the same UPN.", "UPN", "ChildIdentifiers", 0,
     CIN_ALL_YEARS, r_1520},
    {"1530", RULE_ERROR,
     "The UPN's characters 2 to 4 are not the number of an authority that issues UPNs.", "UPN",
     "ChildIdentifiers", 0, CIN_ALL_YEARS, r_1530},
    {"1540", RULE_ERROR, "The UPN's characters 5 to 12 must all be digits.", "UPN",
     "ChildIdentifiers", 0, CIN_ALL_YEARS, r_1540},
    {"1550", RULE_ERROR,
     "The UPN must have 13 characters, the last a digit or a letter other than I, O or S.", "UPN",
     "ChildIdentifiers", 0, CIN_ALL_YEARS, r_1550},
    {"1560Q", RULE_QUERY,
     "Check the former UPN: it should be a letter, eleven digits and a digit or letter.",
     "FormerUPN", "ChildIdentifiers", 0, CIN_ALL_YEARS, r_1560Q},
    {"8770Q", RULE_QUERY,
     "Check: a school-age child referred for further action has no UPN and no reason "
     "(UN2-UN7) for it.",
     "UPNunknown", "ChildIdentifiers|CINdetails|Header", 0, CIN_ALL_YEARS, r_8770Q},
    {"8772", RULE_ERROR,
     "UPNunknown is UN7 (referral with no further action) but a referral went on to "
     "further action.",
     "UPNunknown|ReferralNFA", "ChildIdentifiers|CINdetails", 0, CIN_ALL_YEARS, r_8772},
    {0},
};
