/*
 * catalogue.c — the measure catalogue: every file's table, listed once.
 *
 * A measure file (src/measures/<file>.c) exports
 * `const struct measure_def measures_<file>[]` ending with a zeroed row; add
 * its extern and one line in measure_tables[] below.  The order here is the
 * catalogue order `improve measures` prints: by outcome, CIN before SSDA903,
 * then the enablers and context.  See src/measures/measure.h for the contract.
 */
#include "measures/measure.h"

#include "core/xalloc.h"

#include <pthread.h>
#include <stddef.h>
#include <string.h>

extern const struct measure_def measures_cin_o1[];
extern const struct measure_def measures_cin_o3[];
extern const struct measure_def measures_cla_o1[];
extern const struct measure_def measures_cla_o2[];
extern const struct measure_def measures_cla_o3[];
extern const struct measure_def measures_cla_o4_stability[];
extern const struct measure_def measures_cla_o4_places[];
extern const struct measure_def measures_cla_o4_adoption[];
extern const struct measure_def measures_cla_o4_oc2[];
extern const struct measure_def measures_cla_o4_oc3[];
extern const struct measure_def measures_workforce[];
extern const struct measure_def measures_context[];

const struct measure_def *const measure_tables[] = {
    measures_cin_o1,
    measures_cla_o1,
    measures_cla_o2,
    measures_cin_o3,
    measures_cla_o3,
    measures_cla_o4_stability,
    measures_cla_o4_places,
    measures_cla_o4_adoption,
    measures_cla_o4_oc2,
    measures_cla_o4_oc3,
    measures_workforce,
    measures_context,
    NULL,
};

size_t measure_count(void)
{
        size_t n = 0;
        for (size_t t = 0; measure_tables[t]; t++)
                for (const struct measure_def *m = measure_tables[t]; m->id; m++)
                        n++;
        return n;
}

/* Every row in catalogue order, listed once: measure_at() is asked for each row per authority. */
static const struct measure_def **flat;
static size_t nflat;
static pthread_once_t flat_once = PTHREAD_ONCE_INIT;

static void flat_build(void)
{
        size_t n = measure_count();
        flat = xmalloc((n ? n : 1) * sizeof *flat);
        for (size_t t = 0; measure_tables[t]; t++)
                for (const struct measure_def *m = measure_tables[t]; m->id; m++)
                        flat[nflat++] = m;
}

const struct measure_def *measure_at(size_t i)
{
        pthread_once(&flat_once, flat_build);
        return i < nflat ? flat[i] : NULL;
}

const struct measure_def *measure_find(const char *id)
{
        if (!id)
                return NULL;
        for (size_t t = 0; measure_tables[t]; t++)
                for (const struct measure_def *m = measure_tables[t]; m->id; m++)
                        if (strcmp(m->id, id) == 0)
                                return m;
        return NULL;
}
