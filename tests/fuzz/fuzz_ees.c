/*
 * fuzz_ees.c — libFuzzer harness for the Explore Education Statistics reader
 * (src/published/ees.c) and the authority/population readers built on the
 * same CSV layer (src/published/lookup.c).
 *
 * Each input is read to the end and checked for invariants: an error is
 * EXIT_INPUT with an "in:" prefix and ends reading; every row has one value
 * per value column; a value is either a finite number or a known symbol;
 * years are in range and period ends are ISO dates of that year; filter
 * keys are strings.  Sanitizers catch the rest.
 */
#include "core/err.h"
#include "published/ees.h"
#include "published/lookup.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check_error(const struct err *e)
{
        assert(e->code == EXIT_INPUT);
        assert(strncmp(e->msg, "in:", 3) == 0 || strncmp(e->msg, "in ", 3) == 0);
}

static void read_ees(const char *d, size_t n)
{
        struct err e = {0};
        struct ees_file *f = ees_open_mem(d, n, "in", &e);
        if (!f) {
                check_error(&e);
                return;
        }
        size_t nv = ees_value_count(f);
        assert(nv >= 1);
        for (size_t i = 0; i < nv; i++)
                assert(ees_value_name(f, i) && *ees_value_name(f, i));
        for (size_t i = 0; i < ees_filter_count(f); i++)
                assert(ees_filter_name(f, i));
        struct ees_row row;
        long last = 0;
        int rc;
        while ((rc = ees_read(f, &row, &e)) == 1) {
                assert(row.line > last);
                last = row.line;
                assert(row.nvalues == nv);
                assert(row.year >= 1900 && row.year <= 2199);
                assert(strlen(row.period_end) == 10);
                assert(atoi(row.period_end) == row.year);
                assert(row.filters && row.time_period && row.la_code && row.region_code);
                if (row.level == EES_LA) {
                        char codes[4][4];
                        assert(ees_la_codes(row.la_code, codes, 4) >= 1);
                }
                if (row.level == EES_REGIONAL)
                        assert(*row.region_code);
                for (size_t i = 0; i < nv; i++) {
                        const struct ees_value *v = &row.values[i];
                        assert(v->text);
                        if (v->symbol == EES_NUMBER)
                                assert(isfinite(v->number));
                        else
                                assert(ees_symbol_text(v->symbol) != NULL);
                }
        }
        if (rc < 0) {
                check_error(&e);
                /* reading on after an error is refused, not undefined */
                struct err again = {0};
                assert(ees_read(f, &row, &again) == -1);
        }
        assert(ees_offset(f) <= ees_size(f));
        ees_free(f);
}

static int count_authority(void *ctx, const struct store_authority *a, long line)
{
        (void)line;
        assert(strlen(a->code) == 3 && a->name && *a->name);
        (*(long *)ctx)++;
        return 0;
}

static int count_population(void *ctx, const struct lookup_population *p)
{
        assert(p->population >= 0 && p->area && *p->area);
        (*(long *)ctx)++;
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const char *d = (const char *)data;
        read_ees(d, size);

        struct err e = {0};
        enum lookup_layout layout;
        long n = 0;
        if (lookup_read_authorities(d, size, "in", &layout, count_authority, &n, &e) < 0)
                check_error(&e);
        err_clear(&e);
        struct lookup_population_counts c;
        if (lookup_read_populations(d, size, "in", &layout, count_population, &n, &c, &e) < 0)
                check_error(&e);

        /* the value classifier on the first line */
        size_t k = 0;
        while (k < size && k < 80 && d[k] != '\n')
                k++;
        struct ees_value v;
        if (ees_parse_value(d, k, &v) == 0 && v.symbol == EES_NUMBER)
                assert(isfinite(v.number));
        return 0;
}
