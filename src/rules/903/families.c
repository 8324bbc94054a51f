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

const struct rule_def *const rules_903_families[] = {
    rules_903_integrity,
    rules_903_episodes_codes,
    rules_903_episodes_dates,
    rules_903_episodes_links,
    rules_903_placements,
    rules_903_episodes_b,
    rules_903_episodes_b2,
    NULL,
};
