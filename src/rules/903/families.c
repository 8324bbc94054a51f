/*
 * families.c — the SSDA903 rule families.  A family is one file in this
 * directory exporting `const struct rule_def rules_903_<family>[]` (ending with
 * a zeroed row); list it here once.  See src/rules/rules.h for the contract.
 */
#include "rules/rules.h"

#include <stddef.h>

extern const struct rule_def rules_903_integrity[];
extern const struct rule_def rules_903_episodes_codes[];
extern const struct rule_def rules_903_episodes_dates[];
extern const struct rule_def rules_903_episodes_links[];
extern const struct rule_def rules_903_placements[];
extern const struct rule_def rules_903_episodes_b[];
extern const struct rule_def rules_903_episodes_b2[];
extern const struct rule_def rules_903_episodes_b3[];
extern const struct rule_def rules_903_lastyear[];
extern const struct rule_def rules_903_header[];
extern const struct rule_def rules_903_header_episodes[];
extern const struct rule_def rules_903_header_lastyear[];
extern const struct rule_def rules_903_uasc[];
extern const struct rule_def rules_903_reviews[];
extern const struct rule_def rules_903_prevperm[];
extern const struct rule_def rules_903_missing[];
extern const struct rule_def rules_903_oc2[];
extern const struct rule_def rules_903_oc3[];
extern const struct rule_def rules_903_adoption[];
extern const struct rule_def rules_903_swepisodes[];
extern const struct rule_def rules_903_dolo[];

const struct rule_def *const rules_903_families[] = {
    rules_903_integrity,
    rules_903_episodes_codes,
    rules_903_episodes_dates,
    rules_903_episodes_links,
    rules_903_placements,
    rules_903_episodes_b,
    rules_903_episodes_b2,
    rules_903_episodes_b3,
    rules_903_lastyear,
    rules_903_header,
    rules_903_header_episodes,
    rules_903_header_lastyear,
    rules_903_uasc,
    rules_903_reviews,
    rules_903_prevperm,
    rules_903_missing,
    rules_903_oc2,
    rules_903_oc3,
    rules_903_adoption,
    rules_903_swepisodes,
    rules_903_dolo,
    NULL,
};
