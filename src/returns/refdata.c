/*
 * refdata.c — reading the reference data of refdata.h: postcodes (with the
 * LTLA→UTLA lookup), Ofsted providers and authorities, each into its own
 * arena with a hash index on its key.
 */
#include "returns/refdata.h"

#include "core/arena.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/hash.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------- a string → index hash */

struct strmap {
        uint64_t *slot; /* hash << 32 | (index + 1); 0 = empty */
        size_t mask;
};

static uint32_t hash_str(const char *s)
{
        uint64_t h = fnv1a_str(FNV1A_INIT, s);
        return (uint32_t)(h ^ (h >> 32));
}

/*
 * keys(i) gives the key of entry i; n entries; duplicates keep the first.
 * Slots keep each key's hash, so a probe compares strings only when the
 * hashes agree.
 */
static void strmap_build(struct strmap *m, size_t n, const char *(*key)(const void *, size_t),
                         const void *ctx)
{
        size_t cap = 16;
        while (cap < n * 2)
                cap <<= 1;
        m->slot = xcalloc(cap, sizeof *m->slot);
        m->mask = cap - 1;
        for (size_t i = 0; i < n; i++) {
                const char *k = key(ctx, i);
                uint32_t hash = hash_str(k);
                size_t h = hash & m->mask;
                int dup = 0;
                for (uint64_t e; (e = m->slot[h]) != 0; h = (h + 1) & m->mask)
                        if ((uint32_t)(e >> 32) == hash &&
                            strcmp(key(ctx, (size_t)(uint32_t)e - 1), k) == 0) {
                                dup = 1;
                                break;
                        }
                if (!dup)
                        m->slot[h] = (uint64_t)hash << 32 | (uint64_t)(i + 1);
        }
}

static long strmap_find(const struct strmap *m, const char *k,
                        const char *(*key)(const void *, size_t), const void *ctx)
{
        if (!m->slot)
                return -1;
        uint32_t hash = hash_str(k);
        for (size_t h = hash & m->mask;; h = (h + 1) & m->mask) {
                uint64_t e = m->slot[h];
                if (!e)
                        return -1;
                size_t i = (size_t)(uint32_t)e - 1;
                if ((uint32_t)(e >> 32) == hash && strcmp(key(ctx, i), k) == 0)
                        return (long)i;
        }
}

/* ---------------------------------------------------------------- CSV helpers */

/* Column of the header whose name is one of `names` ("|"-separated), ignoring case; -1. */
static int find_col(const struct csv_record *h, const char *names)
{
        for (size_t i = 0; i < h->count; i++) {
                const char *p = h->fields[i].ptr;
                size_t n = h->fields[i].len;
                while (n && *p == ' ') {
                        p++;
                        n--;
                }
                while (n && p[n - 1] == ' ')
                        n--;
                const char *s = names;
                while (*s) {
                        const char *bar = strchr(s, '|');
                        size_t len = bar ? (size_t)(bar - s) : strlen(s);
                        if (len == n && strncasecmp(p, s, n) == 0)
                                return (int)i;
                        s = bar ? bar + 1 : s + len;
                }
        }
        return -1;
}

/* Trimmed, upper-cased copy of a field, or NULL when blank. */
static char *field_upper(struct arena *a, const struct csv_record *rec, int col, int nospace)
{
        if (col < 0 || (size_t)col >= rec->count)
                return NULL;
        const char *p = rec->fields[col].ptr;
        size_t n = rec->fields[col].len;
        char *out = arena_alloc(a, n + 1);
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
                char c = p[i];
                if (c >= 'a' && c <= 'z')
                        c = (char)(c - 32);
                if ((c == ' ' || c == '\t') && (nospace || k == 0))
                        continue;
                out[k++] = c;
        }
        while (k && (out[k - 1] == ' ' || out[k - 1] == '\t'))
                k--;
        out[k] = '\0';
        return k ? out : NULL;
}

static int parse_int(const struct csv_record *rec, int col, int32_t *out)
{
        if (col < 0 || (size_t)col >= rec->count || rec->fields[col].len == 0 ||
            rec->fields[col].len > 15)
                return -1;
        /* Grid references are plain digits: read those directly, anything else by strtol. */
        const char *f = rec->fields[col].ptr;
        size_t len = rec->fields[col].len, i = 0;
        int32_t v0 = 0;
        while (i < len && i < 9 && f[i] >= '0' && f[i] <= '9')
                v0 = v0 * 10 + (f[i++] - '0');
        if (i == len) {
                *out = v0;
                return 0;
        }
        char tmp[16];
        memcpy(tmp, rec->fields[col].ptr, rec->fields[col].len);
        tmp[rec->fields[col].len] = '\0';
        char *end;
        long v = strtol(tmp, &end, 10);
        while (*end == ' ')
                end++;
        if (*end || end == tmp || v < INT32_MIN || v > INT32_MAX)
                return -1;
        *out = (int32_t)v;
        return 0;
}

static date_t parse_date_any(const struct csv_record *rec, int col)
{
        if (col < 0 || (size_t)col >= rec->count)
                return DATE_NONE;
        const char *p = rec->fields[col].ptr;
        size_t n = rec->fields[col].len;
        while (n && *p == ' ') {
                p++;
                n--;
        }
        while (n && p[n - 1] == ' ')
                n--;
        date_t d;
        if (n == 0)
                return DATE_NONE;
        if (date_parse_uk(p, n, &d) == 0 || date_parse_iso(p, n, &d) == 0)
                return d;
        /* Spreadsheet exports sometimes add a time: keep the date part. */
        if (n > 10 && (date_parse_uk(p, 10, &d) == 0 || date_parse_iso(p, 10, &d) == 0))
                return d;
        return DATE_NONE;
}

typedef int (*row_fn)(void *ctx, const struct csv_record *rec, struct err *e);

/* Read a CSV: header → hdr_fn, each record → row_fn. */
static int read_csv(struct csv_reader *r,
                    int (*hdr_fn)(void *, const struct csv_record *, struct err *), row_fn fn,
                    void *ctx, struct err *e)
{
        struct csv_record rec;
        int rc = csv_read(r, &rec, e);
        if (rc < 0)
                return -1;
        if (rc == 0)
                return err_at(e, csv_name(r), 1, "empty file; expected a header row");
        if (hdr_fn(ctx, &rec, e) < 0)
                return -1;
        while ((rc = csv_read(r, &rec, e)) == 1)
                if (fn(ctx, &rec, e) < 0)
                        return -1;
        return rc;
}

/* ---------------------------------------------------------------- postcodes */

struct refdata_postcodes {
        struct arena arena;
        struct refdata_postcode *v;
        size_t n, cap;
        struct strmap map;
        /* lookup while loading */
        char **lt, **ut;
        size_t nlk, caplk;
        struct strmap lkmap;
        int c_pcd, c_la, c_e, c_n, c_lt, c_ut;
        const char *name;
};

static const char *pc_key(const void *ctx, size_t i)
{
        return ((const struct refdata_postcodes *)ctx)->v[i].pcd;
}

static const char *lk_key(const void *ctx, size_t i)
{
        return ((const struct refdata_postcodes *)ctx)->lt[i];
}

size_t refdata_postcode_norm(const char *postcode, char *out, size_t outsz)
{
        size_t k = 0;
        if (!postcode || outsz == 0)
                return 0;
        for (const char *p = postcode; *p && k + 1 < outsz; p++) {
                char c = *p;
                if (c == ' ' || c == '\t')
                        continue;
                if (c >= 'a' && c <= 'z')
                        c = (char)(c - 32);
                out[k++] = c;
        }
        out[k] = '\0';
        return k;
}

static int pc_header(void *ctx, const struct csv_record *h, struct err *e)
{
        struct refdata_postcodes *p = ctx;
        p->c_pcd = find_col(h, "pcd|pcds|postcode");
        p->c_la = find_col(h, "oslaua|laua");
        p->c_e = find_col(h, "oseast1m");
        p->c_n = find_col(h, "osnrth1m");
        if (p->c_pcd < 0 || p->c_la < 0)
                return err_at(e, p->name, h->line,
                              "missing column %s; expected pcd, oslaua (or laua), oseast1m, "
                              "osnrth1m",
                              p->c_pcd < 0 ? "pcd" : "oslaua");
        return 0;
}

static int pc_row(void *ctx, const struct csv_record *rec, struct err *e)
{
        (void)e;
        struct refdata_postcodes *p = ctx;
        char *pcd = field_upper(&p->arena, rec, p->c_pcd, 1);
        if (!pcd)
                return 0;
        if (p->n == p->cap)
                p->v = xgrow(p->v, &p->cap, p->n + 1, sizeof *p->v);
        struct refdata_postcode *pc = &p->v[p->n++];
        pc->pcd = pcd;
        pc->ltla = field_upper(&p->arena, rec, p->c_la, 1);
        pc->la = pc->ltla;
        pc->has_grid =
            parse_int(rec, p->c_e, &pc->east) == 0 && parse_int(rec, p->c_n, &pc->north) == 0;
        if (!pc->has_grid)
                pc->east = pc->north = 0;
        return 0;
}

static int lk_header(void *ctx, const struct csv_record *h, struct err *e)
{
        struct refdata_postcodes *p = ctx;
        p->c_lt = p->c_ut = -1;
        for (size_t i = 0; i < h->count; i++) {
                const struct csv_field *f = &h->fields[i];
                if (f->len >= 6 && strncasecmp(f->ptr + f->len - 2, "CD", 2) == 0) {
                        if (strncasecmp(f->ptr, "LTLA", 4) == 0 && p->c_lt < 0)
                                p->c_lt = (int)i;
                        else if (strncasecmp(f->ptr, "UTLA", 4) == 0 && p->c_ut < 0)
                                p->c_ut = (int)i;
                }
        }
        if (p->c_lt < 0 || p->c_ut < 0)
                return err_at(e, p->name, h->line,
                              "missing column %s; expected LTLAyyCD and UTLAyyCD codes",
                              p->c_lt < 0 ? "LTLAyyCD" : "UTLAyyCD");
        return 0;
}

static int lk_row(void *ctx, const struct csv_record *rec, struct err *e)
{
        (void)e;
        struct refdata_postcodes *p = ctx;
        char *lt = field_upper(&p->arena, rec, p->c_lt, 1);
        char *ut = field_upper(&p->arena, rec, p->c_ut, 1);
        if (!lt || !ut)
                return 0;
        if (p->nlk == p->caplk) {
                size_t c = p->caplk;
                p->lt = xgrow(p->lt, &c, p->nlk + 1, sizeof *p->lt);
                p->ut = xgrow(p->ut, &p->caplk, p->nlk + 1, sizeof *p->ut);
        }
        p->lt[p->nlk] = lt;
        p->ut[p->nlk] = ut;
        p->nlk++;
        return 0;
}

static struct refdata_postcodes *pc_finish(struct refdata_postcodes *p)
{
        if (p->nlk) {
                strmap_build(&p->lkmap, p->nlk, lk_key, p);
                for (size_t i = 0; i < p->n; i++) {
                        if (!p->v[i].ltla)
                                continue;
                        long k = strmap_find(&p->lkmap, p->v[i].ltla, lk_key, p);
                        if (k >= 0)
                                p->v[i].la = p->ut[k];
                }
        }
        free(p->lt);
        free(p->ut);
        free(p->lkmap.slot);
        p->lt = p->ut = NULL;
        p->lkmap.slot = NULL;
        strmap_build(&p->map, p->n, pc_key, p);
        return p;
}

static struct refdata_postcodes *pc_new(void)
{
        struct refdata_postcodes *p = xcalloc(1, sizeof *p);
        arena_init(&p->arena, 1 << 20);
        return p;
}

static int pc_read(struct refdata_postcodes *p, struct csv_reader *r, int lookup, struct err *e)
{
        p->name = csv_name(r);
        int rc =
            lookup ? read_csv(r, lk_header, lk_row, p, e) : read_csv(r, pc_header, pc_row, p, e);
        csv_free(r);
        return rc;
}

struct refdata_postcodes *refdata_postcodes_load(const char *path, const char *ltla_utla_path,
                                                 struct err *e)
{
        struct refdata_postcodes *p = pc_new();
        struct csv_reader *r = csv_open_file(path, e);
        if (!r || pc_read(p, r, 0, e) < 0)
                goto fail;
        if (ltla_utla_path) {
                r = csv_open_file(ltla_utla_path, e);
                if (!r || pc_read(p, r, 1, e) < 0)
                        goto fail;
        }
        return pc_finish(p);
fail:
        refdata_postcodes_free(p);
        return NULL;
}

struct refdata_postcodes *refdata_postcodes_mem(const char *name, const char *data, size_t len,
                                                const char *lk_name, const char *lookup,
                                                size_t lookup_len, struct err *e)
{
        struct refdata_postcodes *p = pc_new();
        if (pc_read(p, csv_open_mem(data, len, name), 0, e) < 0)
                goto fail;
        if (lookup &&
            pc_read(p, csv_open_mem(lookup, lookup_len, lk_name ? lk_name : "lookup"), 1, e) < 0)
                goto fail;
        return pc_finish(p);
fail:
        refdata_postcodes_free(p);
        return NULL;
}

void refdata_postcodes_free(struct refdata_postcodes *p)
{
        if (!p)
                return;
        free(p->v);
        free(p->map.slot);
        free(p->lt);
        free(p->ut);
        free(p->lkmap.slot);
        arena_release(&p->arena);
        free(p);
}

const struct refdata_postcode *refdata_postcode_find(const struct refdata_postcodes *p,
                                                     const char *postcode)
{
        char key[32];
        if (!p || !postcode || refdata_postcode_norm(postcode, key, sizeof key) == 0)
                return NULL;
        long i = strmap_find(&p->map, key, pc_key, p);
        return i < 0 ? NULL : &p->v[i];
}

/* ---------------------------------------------------------------- providers */

struct refdata_providers {
        struct arena arena;
        struct refdata_provider *v;
        size_t n, cap;
        struct strmap map;
        int c_urn, c_reg, c_dereg, c_place, c_prov, c_post;
        const char *name;
};

static const char *pv_key(const void *ctx, size_t i)
{
        return ((const struct refdata_providers *)ctx)->v[i].urn;
}

static int pv_header(void *ctx, const struct csv_record *h, struct err *e)
{
        struct refdata_providers *p = ctx;
        p->c_urn = find_col(h, "URN");
        p->c_reg = find_col(h, "Registration Date|Registration date");
        p->c_dereg = find_col(h, "Deregistration Date|Closed Date");
        p->c_place = find_col(h, "Placement Code|Provider Placement Code");
        p->c_prov = find_col(h, "Placement Provider Code|Provider Code");
        p->c_post = find_col(h, "Setting Address Postcode|Setting Postcode");
        if (p->c_urn < 0)
                return err_at(e, p->name, h->line,
                              "missing column URN; expected URN, Registration Date, "
                              "Deregistration Date, Placement Code, Placement Provider Code, "
                              "Setting Address Postcode");
        return 0;
}

static int pv_row(void *ctx, const struct csv_record *rec, struct err *e)
{
        (void)e;
        struct refdata_providers *p = ctx;
        char *urn = field_upper(&p->arena, rec, p->c_urn, 1);
        if (!urn)
                return 0;
        if (p->n == p->cap)
                p->v = xgrow(p->v, &p->cap, p->n + 1, sizeof *p->v);
        struct refdata_provider *v = &p->v[p->n++];
        v->urn = urn;
        v->registered = parse_date_any(rec, p->c_reg);
        v->deregistered = parse_date_any(rec, p->c_dereg);
        v->placement_codes = field_upper(&p->arena, rec, p->c_place, 1);
        v->provider_codes = field_upper(&p->arena, rec, p->c_prov, 1);
        v->postcode = field_upper(&p->arena, rec, p->c_post, 1);
        return 0;
}

static struct refdata_providers *pv_load(struct csv_reader *r, struct err *e)
{
        struct refdata_providers *p = xcalloc(1, sizeof *p);
        arena_init(&p->arena, 0);
        if (!r)
                goto fail;
        p->name = csv_name(r);
        int rc = read_csv(r, pv_header, pv_row, p, e);
        csv_free(r);
        if (rc < 0)
                goto fail;
        strmap_build(&p->map, p->n, pv_key, p);
        return p;
fail:
        refdata_providers_free(p);
        return NULL;
}

struct refdata_providers *refdata_providers_load(const char *path, struct err *e)
{
        return pv_load(csv_open_file(path, e), e);
}

struct refdata_providers *refdata_providers_mem(const char *name, const char *data, size_t len,
                                                struct err *e)
{
        return pv_load(csv_open_mem(data, len, name), e);
}

void refdata_providers_free(struct refdata_providers *p)
{
        if (!p)
                return;
        free(p->v);
        free(p->map.slot);
        arena_release(&p->arena);
        free(p);
}

const struct refdata_provider *refdata_provider_find(const struct refdata_providers *p,
                                                     const char *urn)
{
        char key[64];
        if (!p || !urn || refdata_postcode_norm(urn, key, sizeof key) == 0)
                return NULL;
        long i = strmap_find(&p->map, key, pv_key, p);
        return i < 0 ? NULL : &p->v[i];
}

int refdata_code_in_list(const char *list, const char *code)
{
        if (!list || !code || !*code)
                return 0;
        size_t n = strlen(code);
        const char *s = list;
        for (;;) {
                while (*s == ' ')
                        s++;
                const char *slash = strchr(s, '/');
                size_t len = slash ? (size_t)(slash - s) : strlen(s);
                while (len && s[len - 1] == ' ')
                        len--;
                if (len == n && strncasecmp(s, code, n) == 0)
                        return 1;
                if (!slash)
                        return 0;
                s = slash + 1;
        }
}

/* ---------------------------------------------------------------- authorities */

struct auth_priv {
        struct arena arena;
        size_t cap;
        struct strmap by_old, by_new;
        int c_old, c_new, c_name;
        const char *name;
};

static const char *au_old(const void *ctx, size_t i)
{
        return ((const struct refdata_authorities *)ctx)->v[i].old_code;
}

static const char *au_new(const void *ctx, size_t i)
{
        return ((const struct refdata_authorities *)ctx)->v[i].new_code;
}

static struct refdata_authorities *au_new_empty(void)
{
        struct refdata_authorities *a = xcalloc(1, sizeof *a);
        struct auth_priv *pr = xcalloc(1, sizeof *pr);
        arena_init(&pr->arena, 0);
        a->priv = pr;
        return a;
}

static void au_push(struct refdata_authorities *a, const char *old, const char *new_code,
                    const char *name)
{
        struct auth_priv *pr = a->priv;
        if (a->n == pr->cap)
                a->v = xgrow(a->v, &pr->cap, a->n + 1, sizeof *a->v);
        struct refdata_authority *v = &a->v[a->n++];
        v->old_code = old;
        v->new_code = new_code;
        v->name = name;
}

static void au_index(struct refdata_authorities *a)
{
        struct auth_priv *pr = a->priv;
        strmap_build(&pr->by_old, a->n, au_old, a);
        strmap_build(&pr->by_new, a->n, au_new, a);
}

static int au_header(void *ctx, const struct csv_record *h, struct err *e)
{
        struct refdata_authorities *a = ctx;
        struct auth_priv *pr = a->priv;
        pr->c_old = find_col(h, "old_la_code|la_code|code");
        pr->c_new = find_col(h, "new_la_code|ecode|new_code");
        pr->c_name = find_col(h, "la_name|name");
        if (pr->c_old < 0 || pr->c_new < 0)
                return err_at(e, pr->name, h->line,
                              "missing column %s; expected old_la_code, new_la_code, la_name "
                              "(or code, ecode, name)",
                              pr->c_old < 0 ? "old_la_code" : "new_la_code");
        return 0;
}

static int au_row(void *ctx, const struct csv_record *rec, struct err *e)
{
        (void)e;
        struct refdata_authorities *a = ctx;
        struct auth_priv *pr = a->priv;
        char *old = field_upper(&pr->arena, rec, pr->c_old, 1);
        char *nc = field_upper(&pr->arena, rec, pr->c_new, 1);
        if (!old || !nc)
                return 0;
        const char *name = NULL;
        if (pr->c_name >= 0 && (size_t)pr->c_name < rec->count)
                name = arena_strndup(&pr->arena, rec->fields[pr->c_name].ptr,
                                     rec->fields[pr->c_name].len);
        au_push(a, old, nc, name);
        return 0;
}

static struct refdata_authorities *au_load(struct csv_reader *r, struct err *e)
{
        struct refdata_authorities *a = au_new_empty();
        if (!r)
                goto fail;
        ((struct auth_priv *)a->priv)->name = csv_name(r);
        int rc = read_csv(r, au_header, au_row, a, e);
        csv_free(r);
        if (rc < 0)
                goto fail;
        au_index(a);
        return a;
fail:
        refdata_authorities_free(a);
        return NULL;
}

struct refdata_authorities *refdata_authorities_load(const char *path, struct err *e)
{
        return au_load(csv_open_file(path, e), e);
}

struct refdata_authorities *refdata_authorities_mem(const char *name, const char *data, size_t len,
                                                    struct err *e)
{
        return au_load(csv_open_mem(data, len, name), e);
}

static char *upper_dup(struct arena *ar, const char *s)
{
        if (!s)
                return NULL;
        char *d = arena_strdup(ar, s);
        for (char *p = d; *p; p++)
                if (*p >= 'a' && *p <= 'z')
                        *p = (char)(*p - 32);
        return d;
}

struct refdata_authorities *refdata_authorities_from(const struct refdata_authority *v, size_t n)
{
        struct refdata_authorities *a = au_new_empty();
        struct arena *ar = &((struct auth_priv *)a->priv)->arena;
        for (size_t i = 0; i < n; i++)
                au_push(a, upper_dup(ar, v[i].old_code ? v[i].old_code : ""),
                        upper_dup(ar, v[i].new_code ? v[i].new_code : ""),
                        v[i].name ? arena_strdup(ar, v[i].name) : NULL);
        au_index(a);
        return a;
}

void refdata_authorities_free(struct refdata_authorities *a)
{
        if (!a)
                return;
        struct auth_priv *pr = a->priv;
        free(pr->by_old.slot);
        free(pr->by_new.slot);
        arena_release(&pr->arena);
        free(pr);
        free(a->v);
        free(a);
}

const struct refdata_authority *refdata_authority_find(const struct refdata_authorities *a,
                                                       const char *code)
{
        char key[32];
        if (!a || !code || refdata_postcode_norm(code, key, sizeof key) == 0)
                return NULL;
        const struct auth_priv *pr = a->priv;
        long i = strmap_find(&pr->by_new, key, au_new, a);
        if (i < 0)
                i = strmap_find(&pr->by_old, key, au_old, a);
        return i < 0 ? NULL : &a->v[i];
}
