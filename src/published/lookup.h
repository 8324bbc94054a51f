/*
 * lookup.h — reading the reference files that say who the authorities are
 * and how many children live in each: the authority list with E-codes,
 * regions and statistical neighbours, and populations aged 0–17.
 *
 * Authority lists come in three layouts, told apart by their header:
 *  - la_lookup_with_codes_regions_sn2025.csv (data-formats.md §4.4):
 *    old_la_code, new_la_code, la_name, region_code, region_name, sn_2025
 *    (ten codes separated by ";", nearest first), …;
 *  - a synthetic region's authorities.csv: code, ecode, name, region_code,
 *    region_name, sn_1 … sn_10;
 *  - sn_model_2025_wide.csv: old_la_code, la_name, region_name, SN_1 … SN_10
 *    (no E-codes or region codes: it only brings neighbours).
 *
 * Populations come in two layouts:
 *  - the ONS file in EES layout (ons_mid-year_population_estimates_…csv):
 *    rows with age_group "Children aged 0 to 17 years"; the mid-year Y
 *    estimate serves reporting year Y+1 (measures.md §0.7);
 *  - a synthetic populations.csv: code, year, population_0_17, already keyed
 *    by the reporting year it serves.
 *
 * Malformed input is an EXIT_INPUT error "FILE:LINE: what, what was expected".
 */
#ifndef IMPROVE_LOOKUP_H
#define IMPROVE_LOOKUP_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

struct err;

enum lookup_layout {
        LOOKUP_LA_LOOKUP, /* la_lookup_with_codes_regions_sn2025.csv */
        LOOKUP_SYNTHETIC, /* authorities.csv / populations.csv of a synthetic region */
        LOOKUP_SN_MODEL,  /* sn_model_2025_wide.csv: neighbours only */
        LOOKUP_ONS,       /* ONS mid-year estimates in EES layout */
};

/*
 * Call fn for each authority of the list (strings valid during the call);
 * fn returning non-zero stops with that value.  *layout gets the layout.
 * Codes are checked: 3 digits; E-codes 9 characters or blank; at most 10
 * neighbours, each 3 digits, none the authority itself.
 */
int lookup_read_authorities(const char *data, size_t len, const char *name,
                            enum lookup_layout *layout,
                            int (*fn)(void *ctx, const struct store_authority *a, long line),
                            void *ctx, struct err *e);

struct lookup_population {
        enum store_geo level;
        const char *area;   /* 3-digit LA code, region code, or E92000001 */
        int year;           /* the reporting year it serves */
        int64_t population; /* children aged 0–17 */
        long line;
};

struct lookup_population_counts {
        long rows;          /* data rows read */
        long not_available; /* rows whose estimate is a symbol (x, …): not stored */
        long other_ages;    /* ONS rows for another age group, or another geographic level */
};

int lookup_read_populations(const char *data, size_t len, const char *name,
                            enum lookup_layout *layout,
                            int (*fn)(void *ctx, const struct lookup_population *p), void *ctx,
                            struct lookup_population_counts *counts, struct err *e);

#define LOOKUP_ENGLAND   "E92000001"
#define LOOKUP_AGE_GROUP "Children aged 0 to 17 years"

#endif
