/*
 * lookup.c — authority lists and populations (see lookup.h).
 *
 * Each layout is recognised by its header, columns are found by name, and
 * every code is checked before the caller sees it, so that an import either
 * stores a clean list or stops at the first bad line.
 */
#include "published/lookup.h"
#include "published/ees.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/err.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------- helpers */

static void trim(const char **s, size_t *n)
{
        while (*n && (**s == ' ' || **s == '\t')) {
                (*s)++;
                (*n)--;
        }
        while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
                (*n)--;
}

static const char *field(struct arena *a, const struct csv_record *rec, int col)
{
        if (col < 0 || (size_t)col >= rec->count)
                return "";
        const char *s = rec->fields[col].ptr;
        size_t n = rec->fields[col].len;
        trim(&s, &n);
        return arena_strndup(a, s, n);
}

/* Index of the column called `name` (ignoring case and spaces), or -1. */
static int column(const struct csv_record *hdr, const char *name)
{
        for (size_t i = 0; i < hdr->count; i++) {
                const char *s = hdr->fields[i].ptr;
                size_t n = hdr->fields[i].len;
                trim(&s, &n);
                if (strlen(name) == n && strncasecmp(s, name, n) == 0)
                        return (int)i;
        }
        return -1;
}

static int is_la_code(const char *s)
{
        return strlen(s) == 3 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
               isdigit((unsigned char)s[2]);
}

/* An ONS-style area code: a capital letter and 8 digits ("E09000007"). */
static int is_ecode(const char *s)
{
        if (strlen(s) != 9 || !isupper((unsigned char)s[0]))
                return 0;
        for (int i = 1; i < 9; i++)
                if (!isdigit((unsigned char)s[i]))
                        return 0;
        return 1;
}

/* ---------------------------------------------------------------- authorities */

struct auth_cols {
        int code, ecode, name, region_code, region_name, sn_list;
        int sn[STORE_NEIGHBOURS];
};

static int detect_authorities(const struct csv_record *h, const char *name,
                              enum lookup_layout *layout, struct auth_cols *c, struct err *e)
{
        memset(c, -1, sizeof *c);
        char col[16];
        if (column(h, "old_la_code") >= 0 && column(h, "sn_2025") >= 0) {
                *layout = LOOKUP_LA_LOOKUP;
                c->code = column(h, "old_la_code");
                c->ecode = column(h, "new_la_code");
                c->name = column(h, "la_name");
                c->region_code = column(h, "region_code");
                c->region_name = column(h, "region_name");
                c->sn_list = column(h, "sn_2025");
        } else if (column(h, "code") >= 0 && column(h, "ecode") >= 0) {
                *layout = LOOKUP_SYNTHETIC;
                c->code = column(h, "code");
                c->ecode = column(h, "ecode");
                c->name = column(h, "name");
                c->region_code = column(h, "region_code");
                c->region_name = column(h, "region_name");
                for (int k = 0; k < STORE_NEIGHBOURS; k++) {
                        snprintf(col, sizeof col, "sn_%d", k + 1);
                        c->sn[k] = column(h, col);
                }
        } else if (column(h, "old_la_code") >= 0 && column(h, "SN_1") >= 0) {
                *layout = LOOKUP_SN_MODEL;
                c->code = column(h, "old_la_code");
                c->name = column(h, "la_name");
                c->region_name = column(h, "region_name");
                for (int k = 0; k < STORE_NEIGHBOURS; k++) {
                        snprintf(col, sizeof col, "SN_%d", k + 1);
                        c->sn[k] = column(h, col);
                }
        } else {
                return err_at(e, name, h->line,
                              "not an authority list; expected the columns old_la_code, "
                              "new_la_code, la_name, region_code, region_name, sn_2025 (DfE "
                              "lookup), code, ecode, name, region_code, region_name, sn_1…sn_10 "
                              "(synthetic region) or old_la_code, la_name, SN_1…SN_10 (DfE "
                              "statistical-neighbour model)");
        }
        if (c->name < 0)
                return err_at(e, name, h->line, "no column '%s'; expected the authority's name",
                              *layout == LOOKUP_SYNTHETIC ? "name" : "la_name");
        return 0;
}

static int set_neighbour(struct store_authority *a, int k, const char *code, const char *name,
                         long line, struct err *e)
{
        if (!*code)
                return 0;
        if (!is_la_code(code))
                return err_at(e, name, line,
                              "statistical neighbour %d of %s is '%s'; expected a 3-digit LA "
                              "number",
                              k + 1, a->code, code);
        if (strcmp(code, a->code) == 0)
                return err_at(e, name, line,
                              "authority %s is listed as its own neighbour; expected 10 other "
                              "authorities",
                              a->code);
        for (int j = 0; j < k; j++)
                if (strcmp(a->neighbours[j], code) == 0)
                        return err_at(e, name, line,
                                      "neighbour %s of %s is listed twice; expected 10 different "
                                      "authorities",
                                      code, a->code);
        memcpy(a->neighbours[k], code, 4);
        return 0;
}

static int split_neighbours(struct store_authority *a, const char *list, const char *name,
                            long line, struct err *e)
{
        int k = 0;
        const char *p = list;
        while (*p) {
                const char *end = strchr(p, ';');
                size_t n = end ? (size_t)(end - p) : strlen(p);
                const char *s = p;
                trim(&s, &n);
                if (k >= STORE_NEIGHBOURS)
                        return err_at(e, name, line,
                                      "authority %s has more than %d neighbours in '%s'; "
                                      "expected at most %d codes separated by ';'",
                                      a->code, STORE_NEIGHBOURS, list, STORE_NEIGHBOURS);
                char code[8] = "";
                if (n >= sizeof code)
                        n = sizeof code - 1;
                memcpy(code, s, n);
                code[n] = '\0';
                if (!*code)
                        return err_at(e, name, line,
                                      "empty entry in neighbour list '%s'; expected 3-digit "
                                      "codes separated by ';'",
                                      list);
                if (set_neighbour(a, k, code, name, line, e))
                        return -1;
                k++;
                if (!end)
                        break;
                p = end + 1;
        }
        return 0;
}

int lookup_read_authorities(const char *data, size_t len, const char *name,
                            enum lookup_layout *layout,
                            int (*fn)(void *ctx, const struct store_authority *a, long line),
                            void *ctx, struct err *e)
{
        struct csv_reader *r = csv_open_mem(data, len, name);
        struct arena ar;
        arena_init(&ar, 0);
        struct csv_record rec;
        struct auth_cols c;
        unsigned char seen[1000] = {0};
        int ret = -1, rc;
        rc = csv_read(r, &rec, e);
        if (rc == 0)
                err_at(e, name, 1, "the file is empty; expected a header row");
        if (rc <= 0 || detect_authorities(&rec, name, layout, &c, e))
                goto done;
        csv_set_width(r, rec.count);
        while ((rc = csv_read(r, &rec, e)) == 1) {
                arena_reset(&ar);
                struct store_authority a;
                memset(&a, 0, sizeof a);
                const char *code = field(&ar, &rec, c.code);
                if (!is_la_code(code)) {
                        err_at(e, name, rec.line,
                               "authority code '%s' is not an LA number; expected 3 digits", code);
                        goto done;
                }
                int num = atoi(code);
                if (seen[num]) {
                        err_at(e, name, rec.line,
                               "authority %s appears twice; expected each authority once", code);
                        goto done;
                }
                seen[num] = 1;
                memcpy(a.code, code, 4);
                const char *ecode = field(&ar, &rec, c.ecode);
                if (*ecode && !is_ecode(ecode)) {
                        err_at(e, name, rec.line,
                               "E-code '%s' of authority %s is not an ONS code; expected a "
                               "letter and 8 digits such as E09000007 (or blank)",
                               ecode, code);
                        goto done;
                }
                memcpy(a.ecode, ecode, strlen(ecode) + 1);
                a.name = field(&ar, &rec, c.name);
                if (!*a.name) {
                        err_at(e, name, rec.line, "authority %s has no name; expected its name",
                               code);
                        goto done;
                }
                a.region_code = field(&ar, &rec, c.region_code);
                a.region_name = field(&ar, &rec, c.region_name);
                if (*a.region_code && !is_ecode(a.region_code)) {
                        err_at(e, name, rec.line,
                               "region code '%s' of authority %s is not an ONS code; expected "
                               "a code such as E12000001 (or blank)",
                               a.region_code, code);
                        goto done;
                }
                if (c.sn_list >= 0) {
                        if (split_neighbours(&a, field(&ar, &rec, c.sn_list), name, rec.line, e))
                                goto done;
                } else {
                        int gap = 0;
                        for (int k = 0; k < STORE_NEIGHBOURS; k++) {
                                const char *sn = field(&ar, &rec, c.sn[k]);
                                if (*sn && gap) {
                                        err_at(e, name, rec.line,
                                               "neighbour %d of %s follows a blank one; expected "
                                               "neighbours in order, closest first",
                                               k + 1, code);
                                        goto done;
                                }
                                gap |= !*sn;
                                if (set_neighbour(&a, k, sn, name, rec.line, e))
                                        goto done;
                        }
                }
                int stop = fn(ctx, &a, rec.line);
                if (stop) {
                        ret = stop;
                        goto done;
                }
        }
        if (rc == 0)
                ret = 0;
done:
        csv_free(r);
        arena_release(&ar);
        return ret;
}

/* ---------------------------------------------------------------- populations */

/* A whole, non-negative number of children. */
static int whole_count(double v, int64_t *out)
{
        if (!(v >= 0) || v != floor(v) || v > 1e12)
                return -1;
        *out = (int64_t)v;
        return 0;
}

static int read_ons(const char *data, size_t len, const char *name,
                    int (*fn)(void *ctx, const struct lookup_population *p), void *ctx,
                    struct lookup_population_counts *counts, struct err *e)
{
        struct ees_file *f = ees_open_mem(data, len, name, e);
        if (!f)
                return -1;
        int ret = -1;
        size_t col = (size_t)-1;
        for (size_t i = 0; i < ees_value_count(f); i++)
                if (strcasecmp(ees_value_name(f, i), "population_estimate") == 0)
                        col = i;
        struct buf want;
        buf_init(&want);
        const char *fname = "age_group", *fvalue = LOOKUP_AGE_GROUP;
        ees_filter_key(&fname, &fvalue, 1, &want);
        if (col == (size_t)-1) {
                err_at(e, name, 1,
                       "no numeric column 'population_estimate'; expected the ONS mid-year "
                       "estimates in EES layout");
                goto done;
        }
        long matched = 0;
        struct ees_row row;
        int rc;
        while ((rc = ees_read(f, &row, e)) == 1) {
                counts->rows++;
                if (row.level == EES_OTHER || strcmp(row.filters, want.data) != 0) {
                        counts->other_ages++;
                        continue;
                }
                matched++;
                const struct ees_value *v = &row.values[col];
                if (v->symbol != EES_NUMBER) {
                        counts->not_available++;
                        continue;
                }
                struct lookup_population p = {.line = row.line, .year = row.year + 1};
                if (whole_count(v->number, &p.population)) {
                        err_at(e, name, row.line,
                               "population_estimate '%s' is not a whole number of children; "
                               "expected a count such as 12183016",
                               v->text);
                        goto done;
                }
                switch (row.level) {
                case EES_NATIONAL:
                        p.level = STORE_GEO_NATIONAL;
                        p.area = *row.country_code ? row.country_code : LOOKUP_ENGLAND;
                        break;
                case EES_REGIONAL:
                        p.level = STORE_GEO_REGIONAL;
                        p.area = row.region_code;
                        break;
                default:
                        p.level = STORE_GEO_LA;
                        p.area = row.la_code;
                        if (row.joint) {
                                err_at(e, name, row.line,
                                       "population for a joint return '%s'; expected one "
                                       "authority per row",
                                       row.la_code);
                                goto done;
                        }
                        break;
                }
                int stop = fn(ctx, &p);
                if (stop) {
                        ret = stop;
                        goto done;
                }
        }
        if (rc < 0)
                goto done;
        if (matched == 0) {
                err_at(e, name, 0,
                       "no rows with age_group '%s'; expected the ONS mid-year estimates of "
                       "children aged 0 to 17",
                       LOOKUP_AGE_GROUP);
                goto done;
        }
        ret = 0;
done:
        buf_release(&want);
        ees_free(f);
        return ret;
}

static int read_synthetic_populations(const char *data, size_t len, const char *name,
                                      int (*fn)(void *ctx, const struct lookup_population *p),
                                      void *ctx, struct lookup_population_counts *counts,
                                      struct err *e)
{
        struct csv_reader *r = csv_open_mem(data, len, name);
        struct arena ar;
        arena_init(&ar, 0);
        struct csv_record rec;
        int ret = -1, rc;
        if (csv_read(r, &rec, e) != 1)
                goto done;
        int c_code = column(&rec, "code"), c_year = column(&rec, "year"),
            c_pop = column(&rec, "population_0_17");
        csv_set_width(r, rec.count);
        while ((rc = csv_read(r, &rec, e)) == 1) {
                arena_reset(&ar);
                counts->rows++;
                struct lookup_population p = {.line = rec.line};
                p.area = field(&ar, &rec, c_code);
                if (is_la_code(p.area))
                        p.level = STORE_GEO_LA;
                else if (strcmp(p.area, LOOKUP_ENGLAND) == 0)
                        p.level = STORE_GEO_NATIONAL;
                else if (is_ecode(p.area))
                        p.level = STORE_GEO_REGIONAL;
                else {
                        err_at(e, name, rec.line,
                               "code '%s' is not an area; expected a 3-digit LA number or an "
                               "ONS code such as E12000001",
                               p.area);
                        goto done;
                }
                const char *year = field(&ar, &rec, c_year);
                char *end;
                long y = strtol(year, &end, 10);
                if (!*year || *end || y < 1900 || y > 2199) {
                        err_at(e, name, rec.line,
                               "year '%s' is not a reporting year; expected YYYY such as 2025",
                               year);
                        goto done;
                }
                p.year = (int)y;
                const char *pop = field(&ar, &rec, c_pop);
                struct ees_value v;
                if (ees_parse_value(pop, strlen(pop), &v) < 0 ||
                    (v.symbol == EES_NUMBER && whole_count(v.number, &p.population))) {
                        err_at(e, name, rec.line,
                               "population_0_17 '%s' is not a whole number of children; "
                               "expected a count such as 51234",
                               pop);
                        goto done;
                }
                if (v.symbol != EES_NUMBER) {
                        counts->not_available++;
                        continue;
                }
                int stop = fn(ctx, &p);
                if (stop) {
                        ret = stop;
                        goto done;
                }
        }
        if (rc == 0)
                ret = 0;
done:
        csv_free(r);
        arena_release(&ar);
        return ret;
}

int lookup_read_populations(const char *data, size_t len, const char *name,
                            enum lookup_layout *layout,
                            int (*fn)(void *ctx, const struct lookup_population *p), void *ctx,
                            struct lookup_population_counts *counts, struct err *e)
{
        memset(counts, 0, sizeof *counts);
        struct csv_reader *r = csv_open_mem(data, len, name);
        struct csv_record rec;
        int rc = csv_read(r, &rec, e);
        int synthetic = 0, ons = 0;
        if (rc == 1) {
                synthetic = column(&rec, "code") >= 0 && column(&rec, "year") >= 0 &&
                            column(&rec, "population_0_17") >= 0;
                ons = column(&rec, "time_period") >= 0 && column(&rec, "age_group") >= 0;
        }
        long line = rc == 1 ? rec.line : 1;
        csv_free(r);
        if (rc < 0)
                return -1;
        if (rc == 0)
                return err_at(e, name, 1, "the file is empty; expected a header row");
        if (synthetic) {
                *layout = LOOKUP_SYNTHETIC;
                return read_synthetic_populations(data, len, name, fn, ctx, counts, e);
        }
        if (ons) {
                *layout = LOOKUP_ONS;
                return read_ons(data, len, name, fn, ctx, counts, e);
        }
        return err_at(e, name, line,
                      "not a population file; expected the ONS mid-year estimates in EES "
                      "layout (time_period, geographic_level, age_group, population_estimate, …) "
                      "or code,year,population_0_17");
}
