/*
 * errors.c — realistic mistakes injected into the returns, and their record.
 *
 * With --errors RATE each record (a CSV row, a CIN child or episode) gets a
 * mistake with probability RATE: a bad code, an impossible date, a missing
 * field, overlapping episodes, a mistyped postcode, URN or UPN.  Each
 * mistake is chosen so that one named DfE rule must fire on it (the writers
 * pick the field; see write903.c and cinxml.c), and is written to
 * truth/errors.csv as `la,year,rule,table,row,child,file`: `table` is the DfE
 * table name and `row` the 1-based row within it as `improve validate`
 * reports it (the data row of a CSV table; for the census, the position of
 * the element among all of its kind in the file).
 *
 * The injector has its own random stream per (authority, year), so clean
 * output does not depend on whether errors were asked for.
 */
#include "synth/internal.h"

void errs_init(struct sy_errs *er, const struct sy_region *rg, struct sy_la *la, int year)
{
        er->rg = rg;
        er->la = la;
        er->year = year;
        er->rate = rg->o->error_rate;
        rng_seed(&er->rng, rg->o->seed ^ 0xe77e77ULL, (uint64_t)la->idx * 10000 + (uint64_t)year);
}

int errs_roll(struct sy_errs *er)
{
        if (!er || er->rate <= 0)
                return 0;
        return rng_chance(&er->rng, er->rate);
}

void errs_record(struct sy_errs *er, const char *rule, const char *table, long row,
                 const char *child, const char *file)
{
        buf_printf(&er->la->truth_errors, "%s,%d,%s,%s,%ld,%s,%s\n", er->la->code, er->year, rule,
                   table, row, child, file);
}
