/*
 * families.c — the CIN census rule families.  A family is one file in this
 * directory exporting `const struct rule_def rules_cin_<family>[]` (ending with
 * a zeroed row); list it here once.  See src/rules/rules.h for the contract.
 */
#include "rules/rules.h"

#include <stddef.h>

extern const struct rule_def rules_cin_header[];
extern const struct rule_def rules_cin_upn[];
extern const struct rule_def rules_cin_child_identifiers[];
extern const struct rule_def rules_cin_characteristics[];
extern const struct rule_def rules_cin_cin_details[];
extern const struct rule_def rules_cin_assessments[];
extern const struct rule_def rules_cin_section47[];
extern const struct rule_def rules_cin_plans[];
extern const struct rule_def rules_cin_cp_plans[];

const struct rule_def *const rules_cin_families[] = {
    rules_cin_header,
    rules_cin_upn,
    rules_cin_child_identifiers,
    rules_cin_characteristics,
    rules_cin_cin_details,
    rules_cin_assessments,
    rules_cin_section47,
    rules_cin_plans,
    rules_cin_cp_plans,
    NULL,
};
