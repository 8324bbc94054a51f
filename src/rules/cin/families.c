/*
 * families.c — the CIN census rule families.  A family is one file in this
 * directory exporting `const struct rule_def rules_cin_<family>[]` (ending with
 * a zeroed row); list it here once.  See src/rules/rules.h for the contract.
 */
#include "rules/rules.h"

#include <stddef.h>

const struct rule_def *const rules_cin_families[] = {
    NULL,
};
