/*
 * characteristics.c — CIN census rules on ChildCharacteristics and the
 * Disabilities list: ethnicity (4220), disability codes (8540, 8790, 8794)
 * and the authority-level disability queries (2887Q, 2888Q).
 *
 * Readings chosen where the definition leaves room:
 *  - 4220: a child with no ChildCharacteristics at all has no ethnicity and
 *    is reported (row 0).
 *  - 8540: "present" for the date of birth means the element has text; a
 *    child it applies to with no disability at all is reported on its
 *    ChildCharacteristics row (row 0 when there is none), and every blank or
 *    unknown code on its Disabilities row.
 *  - 2887Q: fewer than 8 different codes other than NONE over the whole
 *    return (blank and unknown codes count as codes used if not blank).
 *  - 2888Q: fires when some child has a disability and no child has two
 *    different ones; a return in which no child has a disability is left to
 *    2887Q.  The D2I validator's code keeps only the NONE rows here, the
 *    opposite of its own comment; the DfE wording is followed.
 *  - 8790 reports the child's codes other than NONE; NONE is matched
 *    ignoring case, as D2I does.
 */
#include "rules/cin/cin_rules.h"

#include <string.h>
#include <strings.h>

static const char *const ethnicities[] = {
    "WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN",
    "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT", NULL,
};

static const char *const disabilities[] = {
    "NONE", "MOB", "HAND", "PC",  "INC", "COMM", "LD",
    "HEAR", "VIS", "BEH",  "CON", "AUT", "DDA",  NULL,
};

static int r_4220(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        const struct cin_table *cc = &l->table[CIN_ChildCharacteristics];
        for (size_t i = 0; i < cc->n; i++) {
                const char *e = cc->rows[i].v[CIN_CC_Ethnicity];
                if (!e)
                        cin_report(ctx, CIN_ChildCharacteristics, &cc->rows[i], NULL, "missing");
                else if (!cin_in(e, ethnicities))
                        cin_reportf(ctx, CIN_ChildCharacteristics, &cc->rows[i], NULL,
                                    "'%s' is not a code", e);
        }
        for (size_t k = 0; k < l->nchildren; k++)
                if (l->children[k].n[CIN_ChildCharacteristics] == 0)
                        cin_report_child(ctx, CIN_ChildCharacteristics, k, NULL,
                                         "the child has no ChildCharacteristics");
        return 0;
}

static bool is_none(const char *v)
{
        return v && !strcasecmp(v, "NONE");
}

static int r_8540(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        const struct cin_table *dis = &l->table[CIN_Disabilities];
        for (size_t k = 0; k < l->nchildren; k++) {
                const struct cin_row *ci = cin_child_ids(l, k);
                if (!ci || !ci->v[CIN_CI_PersonBirthDate] || !cin_further_action(l, k))
                        continue;
                size_t first, n = cin_child_rows(l, k, CIN_Disabilities, &first), given = 0;
                for (size_t i = first; i < first + n; i++) {
                        const char *v = dis->rows[i].v[CIN_DIS_Disability];
                        given += v != NULL;
                        if (!cin_in(v, disabilities))
                                cin_reportf(ctx, CIN_Disabilities, &dis->rows[i], NULL,
                                            "'%s' is not a code", v ? v : "");
                }
                if (given > 0)
                        continue;
                size_t cfirst, cn = cin_child_rows(l, k, CIN_ChildCharacteristics, &cfirst);
                if (cn)
                        cin_report(ctx, CIN_ChildCharacteristics,
                                   &l->table[CIN_ChildCharacteristics].rows[cfirst], NULL,
                                   "no disability is recorded (NONE if there is none)");
                else
                        cin_report_child(ctx, CIN_ChildCharacteristics, k, NULL,
                                         "no disability is recorded (NONE if there is none)");
        }
        return 0;
}

static int r_2887Q(struct rule_ctx *ctx)
{
        const struct cin_table *dis = &ctx->cin->table[CIN_Disabilities];
        const char *seen[8];
        size_t nseen = 0;
        for (size_t i = 0; i < dis->n && nseen < 8; i++) {
                const char *v = dis->rows[i].v[CIN_DIS_Disability];
                if (!v || is_none(v))
                        continue;
                bool dup = false;
                for (size_t j = 0; j < nseen && !dup; j++)
                        dup = !strcmp(seen[j], v);
                if (!dup)
                        seen[nseen++] = v;
        }
        if (nseen < 8)
                cin_reportf(ctx, CIN_Disabilities, NULL, NULL, "%zu different codes", nseen);
        return 0;
}

/* Different codes other than NONE among rows first … first+n-1, counting up to 2. */
static int distinct_disabilities(const struct cin_table *dis, size_t first, size_t n)
{
        const char *one = NULL;
        for (size_t i = first; i < first + n; i++) {
                const char *v = dis->rows[i].v[CIN_DIS_Disability];
                if (!v || is_none(v))
                        continue;
                if (!one)
                        one = v;
                else if (strcmp(one, v))
                        return 2;
        }
        return one ? 1 : 0;
}

static int r_2888Q(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        size_t with_one = 0;
        for (size_t k = 0; k < l->nchildren; k++) {
                size_t first, n = cin_child_rows(l, k, CIN_Disabilities, &first);
                int d = distinct_disabilities(&l->table[CIN_Disabilities], first, n);
                if (d == 2)
                        return 0;
                with_one += d == 1;
        }
        if (with_one)
                cin_reportf(ctx, CIN_Disabilities, NULL, NULL,
                            "all %zu children with a disability have exactly one", with_one);
        return 0;
}

static int r_8790(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        const struct cin_table *dis = &l->table[CIN_Disabilities];
        for (size_t k = 0; k < l->nchildren; k++) {
                size_t first, n = cin_child_rows(l, k, CIN_Disabilities, &first);
                bool none = false;
                for (size_t i = first; i < first + n; i++)
                        none |= is_none(dis->rows[i].v[CIN_DIS_Disability]);
                if (!none)
                        continue;
                for (size_t i = first; i < first + n; i++) {
                        const char *v = dis->rows[i].v[CIN_DIS_Disability];
                        if (v && !is_none(v))
                                cin_reportf(ctx, CIN_Disabilities, &dis->rows[i], NULL,
                                            "%s alongside NONE", v);
                }
        }
        return 0;
}

static int r_8794(struct rule_ctx *ctx)
{
        const struct cin_load *l = ctx->cin;
        const struct cin_table *dis = &l->table[CIN_Disabilities];
        for (size_t k = 0; k < l->nchildren; k++) {
                size_t first, n = cin_child_rows(l, k, CIN_Disabilities, &first);
                for (size_t i = first; i < first + n; i++) {
                        const char *v = dis->rows[i].v[CIN_DIS_Disability];
                        bool twice = false;
                        for (size_t j = first; j < first + n && v && !twice; j++)
                                twice = j != i && dis->rows[j].v[CIN_DIS_Disability] &&
                                        !strcmp(v, dis->rows[j].v[CIN_DIS_Disability]);
                        if (twice)
                                cin_reportf(ctx, CIN_Disabilities, &dis->rows[i], NULL,
                                            "%s is recorded more than once", v);
                }
        }
        return 0;
}

const struct rule_def rules_cin_characteristics[] = {
    {"2887Q", RULE_QUERY,
     "Check: fewer than 8 different disability codes are used in the whole return.", "Disability",
     "Disabilities", 0, CIN_ALL_YEARS, r_2887Q},
    {"2888Q", RULE_QUERY,
     "Check: no child has more than one disability; record every disability a child has.",
     "Disability", "Disabilities", 0, CIN_ALL_YEARS, r_2888Q},
    {"4220", RULE_ERROR, "Ethnicity is missing or not a valid code.", "Ethnicity",
     "ChildCharacteristics", 0, CIN_ALL_YEARS, r_4220},
    {"8540", RULE_ERROR,
     "A child referred for further action needs valid disability codes (NONE if none).",
     "Disability|PersonBirthDate|ReferralNFA",
     "ChildCharacteristics|ChildIdentifiers|CINdetails|Disabilities", 0, CIN_ALL_YEARS, r_8540},
    {"8790", RULE_ERROR, "Disability NONE is recorded together with other disabilities.",
     "Disability", "Disabilities", 0, CIN_ALL_YEARS, r_8790},
    {"8794", RULE_ERROR, "The same disability code is recorded twice for the child.", "Disability",
     "Disabilities", 0, CIN_ALL_YEARS, r_8794},
    {0},
};
