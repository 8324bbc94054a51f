/*
 * prevperm.c — SSDA903 rules on the PrevPerm table (the child's permanence
 * option before this period of care): the option code (631), the authority
 * that arranged it (633) and no order details for "no previous permanence"
 * (635).
 *
 * LA_PERM holds a 3-digit DfE authority number, or WAL, SCO, NIR, NUK for an
 * order made outside England, or 999 when not known (data-formats.md §1.3).
 * The numbers below are those of la_lookup_with_codes_regions_sn2025.csv
 * (every authority with a CLA return from 2013, so Cumbria 909 and
 * Northamptonshire 928 as well as their successors 940–943) plus Dorset 835,
 * Poole 836 and Bournemouth 837, which made orders before they merged in
 * 2019 (data-formats.md §4.5).  Data to Insight's list lacks the successors
 * 838–943; an order made by them is valid.
 *
 * Readings chosen where the definition leaves room:
 *  - 631: a blank PREV_PERM is not "an invalid value" and is not reported.
 *  - 635: order details (LA_PERM or DATE_PERM) must be blank when PREV_PERM
 *    is Z1, and also when it is blank, as Data to Insight checks.
 */
#include "rules/903/util.h"

#include <string.h>

/* clang-format off */
static const char la_numbers[] =
    "201 202 203 204 205 206 207 208 209 210 211 212 213 301 302 303 304 305 306 307 308 "
    "309 310 311 312 313 314 315 316 317 318 319 320 330 331 332 333 334 335 336 340 341 "
    "342 343 344 350 351 352 353 354 355 356 357 358 359 370 371 372 373 380 381 382 383 "
    "384 390 391 392 393 394 420 800 801 802 803 805 806 807 808 810 811 812 813 815 816 "
    "821 822 823 825 826 830 831 835 836 837 838 839 840 841 845 846 850 851 852 855 856 "
    "857 860 861 865 866 867 868 869 870 871 872 873 874 876 877 878 879 880 881 882 883 "
    "884 885 886 887 888 889 890 891 892 893 894 895 896 908 909 916 919 921 925 926 928 "
    "929 931 933 935 936 937 938 940 941 942 943 ";
/* clang-format on */

static int valid_la_perm(const char *v)
{
        static const char *const outside[] = {"WAL", "SCO", "NIR", "NUK", "999", NULL};
        if (r9_in_list(v, outside))
                return 1;
        if (strlen(v) != 3)
                return 0;
        for (const char *p = la_numbers; *p; p += 4)
                if (memcmp(p, v, 3) == 0)
                        return 1;
        return 0;
}

static int r_631(struct rule_ctx *ctx)
{
        static const char *const codes[] = {"P1", "P2", "P3", "P4", "Z1", NULL};
        const struct ssda903_table *pp = r9_tab(ctx, SSDA903_PREV_PERM);
        for (size_t i = 0; i < pp->n; i++) {
                const struct ssda903_row *r = &pp->rows[i];
                if (r->v[PP_PREV_PERM] && !r9_in_list(r->v[PP_PREV_PERM], codes))
                        rule_report_903f(ctx, SSDA903_PREV_PERM, r, NULL, "%s", r->v[PP_PREV_PERM]);
        }
        return 0;
}

static int r_633(struct rule_ctx *ctx)
{
        const struct ssda903_table *pp = r9_tab(ctx, SSDA903_PREV_PERM);
        for (size_t i = 0; i < pp->n; i++) {
                const struct ssda903_row *r = &pp->rows[i];
                if (r->v[PP_LA_PERM] && !valid_la_perm(r->v[PP_LA_PERM]))
                        rule_report_903f(ctx, SSDA903_PREV_PERM, r, NULL, "%s", r->v[PP_LA_PERM]);
        }
        return 0;
}

static int r_635(struct rule_ctx *ctx)
{
        const struct ssda903_table *pp = r9_tab(ctx, SSDA903_PREV_PERM);
        for (size_t i = 0; i < pp->n; i++) {
                const struct ssda903_row *r = &pp->rows[i];
                const char *p = r->v[PP_PREV_PERM];
                if ((r->v[PP_LA_PERM] || r->v[PP_DATE_PERM]) && (!p || strcmp(p, "Z1") == 0))
                        rule_report_903(ctx, SSDA903_PREV_PERM, r, NULL, NULL);
        }
        return 0;
}

#define ALL RULES_ALL_YEARS

/* clang-format off */
const struct rule_def rules_903_prevperm[] = {
    {"631", RULE_ERROR, "Previous permanence option is not one of P1, P2, P3, P4 or Z1.",
     "PREV_PERM", "PrevPerm", 0, ALL, r_631},
    {"633", RULE_ERROR, "The authority where the previous permanence option was arranged is not "
     "a DfE authority number, WAL, SCO, NIR, NUK or 999.",
     "LA_PERM", "PrevPerm", 0, ALL, r_633},
    {"635", RULE_ERROR, "The date or authority of a previous permanence order is given, but "
     "the previous permanence option is Z1 (none) or blank.",
     "LA_PERM|DATE_PERM|PREV_PERM", "PrevPerm", 0, ALL, r_635},
    {0},
};
/* clang-format on */
