/*
 * oc2.c — SSDA903 rules on the OC2 table (outcomes of children looked after
 * continuously for 12 months at 31 March): valid codes and scores (180, 181,
 * 196), the SDQ items by age and cohort (157, 188, 189, 197a, 197B), the
 * substance-misuse follow-up items (158, 159, 192, 193), completeness of the
 * health items (182, 191, 544, 545, 547), conviction age (542), the cohort
 * itself (190, 191) and care-leaver data alongside OC2 data (215).
 *
 * The cohort is r9_looked_after_all_year() (util.h).  Ages are taken from
 * OC2's own DOB, or Header's when that is not a real date; "aged under N at
 * 31 March" is an N-th birthday after 31 March.
 *
 * Readings chosen where the definition leaves room:
 *  - 157: SDQ1 (no form: child under 4 or over 16) is wrong for a child in
 *    the cohort aged 4 or over on 1 April and not yet 17 on 31 March, when no
 *    score is given — the ages of the message; Data to Insight compares with
 *    the 16th birthday instead, which leaves out most 16-year-olds.
 *  - 180: a score is a whole number 0–40; "20.0" (spreadsheet output) is
 *    accepted as 20.
 *  - 181, 196: blank cells are not invalid codes (other rules say when they
 *    are required).
 *  - 197B: "4- or 17-year-olds" are children whose 4th or 17th birthday falls
 *    in the year; a 17th birthday on 1 April itself is left out, since 189
 *    then requires the SDQ items to be blank (Data to Insight asks for both).
 *  - 191: a child in the cohort without an OC2 row is reported on its first
 *    episode (by DECOM).
 *  - 544, 547: "conviction / health promotion information completed" means
 *    CONVICTED / HEALTH_CHECK is 1, as Data to Insight reads it; a 0 with
 *    blank health items is left to 182.
 *  - 215: both rows are reported, the OC3 row and the OC2 row.
 */
#include "rules/903/util.h"

/* The items that only the 12-month cohort has (everything but the SDQ). */
static const int cohort_items[] = {
    O2_CONVICTED,         O2_HEALTH_CHECK,     O2_IMMUNISATIONS,         O2_TEETH_CHECK,
    O2_HEALTH_ASSESSMENT, O2_SUBSTANCE_MISUSE, O2_INTERVENTION_RECEIVED, O2_INTERVENTION_OFFERED};
#define N_COHORT_ITEMS (sizeof cohort_items / sizeof *cohort_items)

/* The four health items every cohort child must have. */
static const int health_items[] = {O2_IMMUNISATIONS, O2_TEETH_CHECK, O2_HEALTH_ASSESSMENT,
                                   O2_SUBSTANCE_MISUSE};
#define N_HEALTH_ITEMS (sizeof health_items / sizeof *health_items)

static int any_present(const struct ssda903_row *r, const int *cols, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (r->v[cols[i]])
                        return 1;
        return 0;
}

static int any_blank(const struct ssda903_row *r, const int *cols, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (!r->v[cols[i]])
                        return 1;
        return 0;
}

static date_t oc2_dob(const struct rule_ctx *ctx, const struct ssda903_row *r)
{
        return r9_row_dob(ctx, r, O2_DOB);
}

/* The n-th birthday, or DATE_NONE when the date of birth is unknown. */
static date_t birthday(const struct rule_ctx *ctx, const struct ssda903_row *r, int n)
{
        date_t dob = oc2_dob(ctx, r);
        return r9_real(dob) ? r9_birthday(dob, n) : DATE_NONE;
}

/* Report every OC2 row for which `bad` holds. */
static int each_oc2(struct rule_ctx *ctx, int (*bad)(struct rule_ctx *, const struct ssda903_row *))
{
        const struct ssda903_table *t = r9_tab(ctx, SSDA903_OC2);
        for (size_t i = 0; i < t->n; i++)
                if (bad(ctx, &t->rows[i]))
                        rule_report_903(ctx, SSDA903_OC2, &t->rows[i], NULL, NULL);
        return 0;
}

/* ---------------------------------------------------------------- codes */

/* A whole number 0–40, allowing a ".0" tail. */
static int sdq_score_valid(const char *s)
{
        int v = 0, digits = 0;
        for (; *s >= '0' && *s <= '9'; s++) {
                v = v * 10 + (*s - '0');
                if (++digits > 3)
                        return 0;
        }
        if (!digits)
                return 0;
        if (*s == '.') {
                for (s++; *s == '0'; s++)
                        ;
        }
        return *s == '\0' && v <= 40;
}

static int bad_180(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r->v[O2_SDQ_SCORE] && !sdq_score_valid(r->v[O2_SDQ_SCORE]);
}

static int bad_181(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        for (size_t i = 0; i < N_COHORT_ITEMS; i++) {
                const char *v = r->v[cohort_items[i]];
                /* r9_in(v, "0 1"), written out: asked of every item of every row */
                if (v && !((v[0] == '0' || v[0] == '1') && v[1] == '\0'))
                        return 1;
        }
        return 0;
}

static int bad_196(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r->v[O2_SDQ_REASON] && !r9_in(r->v[O2_SDQ_REASON], "SDQ1 SDQ2 SDQ3 SDQ4 SDQ5");
}

/* ---------------------------------------------------------------- SDQ */

static int bad_157(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        if (!r9_is(r->v[O2_SDQ_REASON], "SDQ1") || r->v[O2_SDQ_SCORE])
                return 0;
        date_t b4 = birthday(ctx, r, 4), b17 = birthday(ctx, r, 17);
        return b4 != DATE_NONE && b4 <= ctx->start && b17 > ctx->end &&
               r9_looked_after_all_year(ctx, r->child);
}

static int bad_188(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        date_t b4 = birthday(ctx, r, 4);
        return (r->v[O2_SDQ_SCORE] || r->v[O2_SDQ_REASON]) && b4 != DATE_NONE && b4 > ctx->end;
}

static int bad_189(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        date_t b17 = birthday(ctx, r, 17);
        return (r->v[O2_SDQ_SCORE] || r->v[O2_SDQ_REASON]) && b17 != DATE_NONE && b17 <= ctx->start;
}

static int bad_197a(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r->v[O2_SDQ_SCORE] && r->v[O2_SDQ_REASON];
}

static int in_year(const struct rule_ctx *ctx, date_t d)
{
        return d != DATE_NONE && d >= ctx->start && d <= ctx->end;
}

static int bad_197B(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        if (r->v[O2_SDQ_SCORE] || r->v[O2_SDQ_REASON])
                return 0;
        /* A 17th birthday on 1 April itself makes the child 17 all year: 189 then wants the
         * SDQ items blank. */
        date_t b17 = birthday(ctx, r, 17);
        return (in_year(ctx, birthday(ctx, r, 4)) || (in_year(ctx, b17) && b17 > ctx->start)) &&
               r9_looked_after_all_year(ctx, r->child);
}

/* ---------------------------------------------------------------- substance misuse */

static int bad_158(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r9_is(r->v[O2_INTERVENTION_RECEIVED], "1") && r->v[O2_INTERVENTION_OFFERED];
}

static int bad_159(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r9_is(r->v[O2_SUBSTANCE_MISUSE], "1") &&
               r9_is(r->v[O2_INTERVENTION_RECEIVED], "0") && !r->v[O2_INTERVENTION_OFFERED];
}

static int bad_192(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r9_is(r->v[O2_SUBSTANCE_MISUSE], "1") && !r->v[O2_INTERVENTION_RECEIVED];
}

static int bad_193(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        const char *sm = r->v[O2_SUBSTANCE_MISUSE];
        return (!sm || r9_is(sm, "0")) &&
               (r->v[O2_INTERVENTION_RECEIVED] || r->v[O2_INTERVENTION_OFFERED]);
}

/* ---------------------------------------------------------------- completeness */

static const int convicted_etc[] = {O2_CONVICTED, O2_HEALTH_CHECK, O2_INTERVENTION_RECEIVED,
                                    O2_INTERVENTION_OFFERED};

static int bad_182(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return any_blank(r, health_items, N_HEALTH_ITEMS) &&
               any_present(r, convicted_etc, sizeof convicted_etc / sizeof *convicted_etc);
}

static int bad_190(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        return any_present(r, cohort_items, N_COHORT_ITEMS) &&
               !r9_looked_after_all_year(ctx, r->child);
}

static int bad_542(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        date_t b10 = birthday(ctx, r, 10);
        return r->v[O2_CONVICTED] && b10 != DATE_NONE && b10 > ctx->end;
}

static int bad_544(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r9_is(r->v[O2_CONVICTED], "1") && any_blank(r, health_items, N_HEALTH_ITEMS);
}

static int bad_545(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        date_t b5 = birthday(ctx, r, 5);
        return !r->v[O2_HEALTH_CHECK] && b5 != DATE_NONE && b5 > ctx->end &&
               r9_looked_after_all_year(ctx, r->child);
}

static int bad_547(struct rule_ctx *ctx, const struct ssda903_row *r)
{
        (void)ctx;
        return r9_is(r->v[O2_HEALTH_CHECK], "1") && any_blank(r, health_items, N_HEALTH_ITEMS);
}

#define RULE_FN(code)                                                                              \
        static int r_##code(struct rule_ctx *ctx)                                                  \
        {                                                                                          \
                return each_oc2(ctx, bad_##code);                                                  \
        }
RULE_FN(157)
RULE_FN(158)
RULE_FN(159)
RULE_FN(180)
RULE_FN(181)
RULE_FN(182)
RULE_FN(188)
RULE_FN(189)
RULE_FN(190)
RULE_FN(192)
RULE_FN(193)
RULE_FN(196)
RULE_FN(197a)
RULE_FN(197B)
RULE_FN(542)
RULE_FN(544)
RULE_FN(545)
RULE_FN(547)

/* 191: the cohort's OC2 rows must have the health items; a cohort child needs an OC2 row. */
static int r_191(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t ne, no;
                struct ssda903_row *const *e = r9_rows(ctx, SSDA903_EPISODES, k, &ne);
                if (ne == 0 || !r9_looked_after_all_year(ctx, k))
                        continue;
                struct ssda903_row *const *o = r9_rows(ctx, SSDA903_OC2, k, &no);
                if (no == 0) {
                        rule_report_903(ctx, SSDA903_EPISODES, e[0], "CHILD",
                                        "looked after all year but has no OC2 row");
                        continue;
                }
                for (size_t i = 0; i < no; i++)
                        if (any_blank(o[i], health_items, N_HEALTH_ITEMS))
                                rule_report_903(ctx, SSDA903_OC2, o[i], NULL, NULL);
        }
        return 0;
}

/* 215: a care leaver (OC3 data) must not have the 12-month cohort items. */
static int r_215(struct rule_ctx *ctx)
{
        for (uint32_t k = 0; k < ctx->s903->nchildren; k++) {
                size_t n3, n2;
                struct ssda903_row *const *o3 = r9_rows(ctx, SSDA903_OC3, k, &n3);
                if (n3 == 0)
                        continue;
                struct ssda903_row *const *o2 = r9_rows(ctx, SSDA903_OC2, k, &n2);
                int oc2_items = 0;
                for (size_t j = 0; j < n2; j++)
                        if (any_present(o2[j], cohort_items, N_COHORT_ITEMS)) {
                                oc2_items = 1;
                                rule_report_903(ctx, SSDA903_OC2, o2[j], NULL, NULL);
                        }
                if (!oc2_items)
                        continue;
                for (size_t i = 0; i < n3; i++)
                        rule_report_903(ctx, SSDA903_OC3, o3[i], NULL, NULL);
        }
        return 0;
}

#define ALL RULES_ALL_YEARS

/* clang-format off */
const struct rule_def rules_903_oc2[] = {
    {"157", RULE_ERROR, "SDQ reason SDQ1 (child under 4 or over 16) is given, with no score, for "
     "a child aged 4 or over on 1 April and 16 or under on 31 March.",
     "SDQ_REASON|DOB", "OC2|Episodes", 0, ALL, r_157},
    {"158", RULE_ERROR, "The child received an intervention for substance misuse, so whether one "
     "was offered must be left blank.",
     "INTERVENTION_RECEIVED|INTERVENTION_OFFERED", "OC2", 0, ALL, r_158},
    {"159", RULE_ERROR, "The child has a substance misuse problem and received no intervention, "
     "so whether one was offered must be given.",
     "SUBSTANCE_MISUSE|INTERVENTION_RECEIVED|INTERVENTION_OFFERED", "OC2", 0, ALL, r_159},
    {"180", RULE_ERROR, "The SDQ score is not a whole number from 0 to 40.",
     "SDQ_SCORE", "OC2", 0, ALL, r_180},
    {"181", RULE_ERROR, "An OC2 health, conviction or substance misuse item is not 0 or 1.",
     "CONVICTED|HEALTH_CHECK|IMMUNISATIONS|TEETH_CHECK|HEALTH_ASSESSMENT|SUBSTANCE_MISUSE|"
     "INTERVENTION_RECEIVED|INTERVENTION_OFFERED", "OC2", 0, ALL, r_181},
    {"182", RULE_ERROR, "Some OC2 items are given, but immunisations, teeth check, health "
     "assessment or substance misuse is blank; give all four or leave every item blank.",
     "IMMUNISATIONS|TEETH_CHECK|HEALTH_ASSESSMENT|SUBSTANCE_MISUSE|CONVICTED|HEALTH_CHECK|"
     "INTERVENTION_RECEIVED|INTERVENTION_OFFERED", "OC2", 0, ALL, r_182},
    {"188", RULE_ERROR, "The child is under 4 on 31 March, so neither an SDQ score nor a reason "
     "for no score should be given.",
     "SDQ_SCORE|SDQ_REASON", "OC2", 0, ALL, r_188},
    {"189", RULE_ERROR, "The child is 17 or over on 1 April, so neither an SDQ score nor a reason "
     "for no score should be given.",
     "DOB|SDQ_SCORE|SDQ_REASON", "OC2", 0, ALL, r_189},
    {"190", RULE_ERROR, "OC2 health, conviction or substance misuse items are given for a child "
     "not looked after continuously for the 12 months to 31 March.",
     "CONVICTED|HEALTH_CHECK|IMMUNISATIONS|TEETH_CHECK|HEALTH_ASSESSMENT|SUBSTANCE_MISUSE|"
     "INTERVENTION_RECEIVED|INTERVENTION_OFFERED", "OC2|Episodes", 0, ALL, r_190},
    {"191", RULE_ERROR, "The child was looked after continuously for the 12 months to 31 March, "
     "but immunisations, teeth check, health assessment or substance misuse is blank or missing.",
     "IMMUNISATIONS|TEETH_CHECK|HEALTH_ASSESSMENT|SUBSTANCE_MISUSE|CHILD", "OC2|Episodes", 0, ALL,
     r_191},
    {"192", RULE_ERROR, "The child has a substance misuse problem, but whether an intervention "
     "was received is blank.",
     "SUBSTANCE_MISUSE|INTERVENTION_RECEIVED", "OC2", 0, ALL, r_192},
    {"193", RULE_ERROR, "No substance misuse problem is recorded, but whether an intervention was "
     "received or offered is given.",
     "SUBSTANCE_MISUSE|INTERVENTION_RECEIVED|INTERVENTION_OFFERED", "OC2", 0, ALL, r_193},
    {"196", RULE_ERROR, "The reason for no SDQ score is not one of SDQ1 to SDQ5.",
     "SDQ_REASON", "OC2", 0, ALL, r_196},
    {"197B", RULE_ERROR, "The child turns 4 or 17 this year and was looked after all year, but "
     "neither an SDQ score nor a reason for no score is given.",
     "SDQ_REASON|DOB", "OC2|Episodes", 0, ALL, r_197B},
    {"197a", RULE_ERROR, "An SDQ score is given, so the reason for no score must be blank.",
     "SDQ_SCORE|SDQ_REASON", "OC2", 0, ALL, r_197a},
    {"215", RULE_ERROR, "The young person has care leaver (OC3) information, but OC2 items for "
     "children looked after for 12 months are also given.",
     "IN_TOUCH|ACTIV|ACCOM|CONVICTED|HEALTH_CHECK|IMMUNISATIONS|TEETH_CHECK|HEALTH_ASSESSMENT|"
     "SUBSTANCE_MISUSE|INTERVENTION_RECEIVED|INTERVENTION_OFFERED", "OC2|OC3", 0, ALL, r_215},
    {"542", RULE_ERROR, "The child is under 10 on 31 March, so conviction information should be "
     "blank.",
     "CONVICTED", "OC2", 0, ALL, r_542},
    {"544", RULE_ERROR, "The child has a conviction, but immunisations, teeth check, health "
     "assessment or substance misuse is blank.",
     "CONVICTED|IMMUNISATIONS|TEETH_CHECK|HEALTH_ASSESSMENT|SUBSTANCE_MISUSE", "OC2", 0, ALL,
     r_544},
    {"545", RULE_ERROR, "The child is under 5 on 31 March and was looked after all year, but the "
     "health surveillance check item is blank.",
     "DOB|HEALTH_CHECK", "OC2", 0, ALL, r_545},
    {"547", RULE_ERROR, "Health surveillance checks are recorded as up to date, but "
     "immunisations, teeth check, health assessment or substance misuse is blank.",
     "HEALTH_CHECK|IMMUNISATIONS|TEETH_CHECK|HEALTH_ASSESSMENT|SUBSTANCE_MISUSE", "OC2", 0, ALL,
     r_547},
    {0},
};
/* clang-format on */
