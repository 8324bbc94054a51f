/*
 * header.c — CIN census rules on the Header: rule 100, the reference date.
 *
 * Reading chosen: ReferenceDate must be present and be 31 March of the
 * header's own Year (data-formats.md §2.1: Year is the year the census
 * ends).  When Year is not a four-digit year the date is held to 31 March of
 * the collection year being validated instead.  A census without a Header
 * breaks the rule too (there is no reference date at all).
 */
#include "rules/cin/cin_rules.h"

#include <stdlib.h>
#include <string.h>

static int r_100(struct rule_ctx *ctx)
{
        const struct cin_row *h = cin_header(ctx->cin);
        if (!h) {
                cin_report(ctx, CIN_Header, NULL, NULL, "the census has no Header");
                return 0;
        }
        const char *y = h->v[CIN_HDR_Year];
        int year = ctx->collection_year;
        if (y && strlen(y) == 4 && strspn(y, "0123456789") == 4)
                year = atoi(y);
        date_t want = date_from_ymd(year, 3, 31);
        date_t ref = h->d[CIN_HDR_ReferenceDate];
        if (!h->v[CIN_HDR_ReferenceDate])
                cin_reportf(ctx, CIN_Header, h, NULL, "ReferenceDate is missing; expected %d-03-31",
                            year);
        else if (ref != want)
                cin_reportf(ctx, CIN_Header, h, NULL, "ReferenceDate is %s; expected %d-03-31",
                            h->v[CIN_HDR_ReferenceDate], year);
        return 0;
}

const struct rule_def rules_cin_header[] = {
    {"100", RULE_ERROR, "The census reference date must be 31 March of the census year.",
     "ReferenceDate", "Header", 0, CIN_ALL_YEARS, r_100},
    {0},
};
