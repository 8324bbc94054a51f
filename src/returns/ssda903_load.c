/*
 * ssda903_load.c — an SSDA903 load from start to finish: which reader a file
 * goes to, directories, the per-child indexes, the derived columns and the
 * collection year.
 */
#include "returns/ssda903_int.h"

#include "core/buf.h"
#include "core/date.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "returns/refdata.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

struct ssda903_load *ssda903_new(void)
{
        struct ssda903_load *ld = xcalloc(1, sizeof *ld);
        /* Rows live here: a national return's fill huge pages (arena.h). */
        arena_init_growing(&ld->arena, 256 * 1024);
        arena_init_growing(&ld->side, 256 * 1024);
        for (int t = 0; t < SSDA903_NTABLES; t++) {
                struct ssda903_table *tab = &ld->t[t];
                int cur = t % SSDA903_NCURRENT;
                tab->def = &ssda903_tabledefs[cur];
                tab->id = t;
                tab->name = t < SSDA903_NCURRENT
                                ? tab->def->name
                                : arena_printf(&ld->arena, "%s_last", tab->def->name);
        }
        ld->start = ld->end = DATE_NONE;
        return ld;
}

void ssda903_free(struct ssda903_load *ld)
{
        if (!ld)
                return;
        for (int t = 0; t < SSDA903_NTABLES; t++) {
                free(ld->t[t].rows);
                free(ld->t[t].sorted);
                free(ld->t[t].first);
        }
        free(ld->children);
        free(ld->notes);
        free(ld->codes);
        arena_release(&ld->arena);
        arena_release(&ld->side);
        free(ld);
}

void ssda903_note(struct ssda903_load *ld, const char *file, long line, const char *table, long row,
                  const char *child, const char *fmt, ...)
{
        if (ld->nnotes == ld->notes_cap)
                ld->notes = xgrow(ld->notes, &ld->notes_cap, ld->nnotes + 1, sizeof *ld->notes);
        struct ssda903_note *n = &ld->notes[ld->nnotes++];
        va_list ap;
        va_start(ap, fmt);
        n->text = arena_vprintf(&ld->arena, fmt, ap);
        va_end(ap);
        n->file = file ? arena_strdup(&ld->arena, file) : NULL;
        n->line = line;
        n->table = table ? arena_strdup(&ld->arena, table) : "XML";
        n->row = row;
        n->child = child ? arena_strdup(&ld->arena, child) : NULL;
}

/* ---------------------------------------------------------------- reading */

int ssda903_add_mem(struct ssda903_load *ld, const char *name, const char *data, size_t len,
                    int previous, struct err *e)
{
        if (ld->finished)
                return err_set(e, EXIT_INTERNAL, "ssda903_add_mem after ssda903_finish");
        const unsigned char *u = (const unsigned char *)data;
        if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
                return err_at(e, name, 1,
                              "the file is UTF-16; expected UTF-8 (save it again as "
                              "\"CSV UTF-8\")");
        size_t i = 0;
        if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
                i = 3;
        while (i < len && (u[i] == ' ' || u[i] == '\t' || u[i] == '\r' || u[i] == '\n'))
                i++;
        if (i < len && u[i] == '<')
                return ssda903_read_xml_mem(ld, name, data, len, previous, e);
        return ssda903_read_csv_mem(ld, name, data, len, previous, e);
}

static int add_file(struct ssda903_load *ld, const char *path, int previous, struct err *e)
{
        struct buf b;
        buf_init(&b);
        int rc = buf_read_file(&b, path, e);
        if (rc == 0)
                rc = ssda903_add_mem(ld, path, b.data, b.len, previous, e);
        buf_release(&b);
        return rc;
}

static int wanted(const struct dirent *d)
{
        const char *n = d->d_name;
        if (n[0] == '.')
                return 0;
        const char *dot = strrchr(n, '.');
        return dot && (strcasecmp(dot, ".csv") == 0 || strcasecmp(dot, ".xml") == 0);
}

/*
 * A directory holds one return: its .csv and .xml files, in name order so that
 * messages are reproducible.  Other files (READMEs, spreadsheets) are ignored.
 */
static int add_dir(struct ssda903_load *ld, const char *path, int previous, struct err *e)
{
        struct dirent **list;
        int n = scandir(path, &list, wanted, alphasort);
        if (n < 0)
                return err_at(e, path, 0, "cannot read directory: %s", strerror(errno));
        int rc = 0, files = 0;
        for (int i = 0; i < n; i++) {
                if (rc == 0) {
                        char *p =
                            arena_printf(&ld->arena, "%s%s%s", path,
                                         path[strlen(path) - 1] == '/' ? "" : "/", list[i]->d_name);
                        struct stat st;
                        if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
                                rc = add_file(ld, p, previous, e);
                                files++;
                        }
                }
                free(list[i]);
        }
        free(list);
        if (rc == 0 && files == 0)
                return err_at(e, path, 0, "no .csv or .xml files; expected SSDA903 tables");
        return rc;
}

int ssda903_add_path(struct ssda903_load *ld, const char *path, int previous, struct err *e)
{
        struct stat st;
        if (stat(path, &st) != 0)
                return err_at(e, path, 0, "cannot open: %s", strerror(errno));
        if (S_ISDIR(st.st_mode))
                return add_dir(ld, path, previous, e);
        return add_file(ld, path, previous, e);
}

/* ---------------------------------------------------------------- indexes */

static uint32_t hash_id(const char *s)
{
        size_t n = strlen(s);
        uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
        for (; n >= 8; s += 8, n -= 8) {
                uint64_t w;
                memcpy(&w, s, 8);
                h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
                h ^= h >> 31;
        }
        uint64_t w = 0;
        memcpy(&w, s, n);
        h = (h ^ w) * 0x94D049BB133111EBull;
        h ^= h >> 29;
        return (uint32_t)(h ^ (h >> 32));
}

/* The distinct ids seen so far: open addressing on (hash, id number + 1). */
struct id_set {
        uint64_t *slot; /* hash << 32 | (id + 1); 0 = empty */
        size_t mask;
        const char **ids;
        size_t n, cap;
};

static void id_set_grow(struct id_set *m)
{
        size_t cap = m->slot ? (m->mask + 1) * 2 : 1024;
        uint64_t *old = m->slot;
        size_t oldcap = m->slot ? m->mask + 1 : 0;
        m->slot = xcalloc(cap, sizeof *m->slot);
        m->mask = cap - 1;
        for (size_t i = 0; i < oldcap; i++) {
                if (!old[i])
                        continue;
                size_t h = (size_t)(old[i] >> 32) & m->mask;
                while (m->slot[h])
                        h = (h + 1) & m->mask;
                m->slot[h] = old[i];
        }
        free(old);
}

/* id's number in the set, adding it if new; hash is hash_id(id). */
static uint32_t id_set_add(struct id_set *m, const char *id, uint32_t hash)
{
        if ((m->n + 1) * 2 > m->mask + 1 || !m->slot)
                id_set_grow(m);
        size_t h = hash & m->mask;
        for (uint64_t e; (e = m->slot[h]) != 0; h = (h + 1) & m->mask) {
                uint32_t k = (uint32_t)e - 1;
                if ((uint32_t)(e >> 32) == hash && strcmp(m->ids[k], id) == 0)
                        return k;
        }
        if (m->n == m->cap)
                m->ids = xgrow(m->ids, &m->cap, m->n + 1, sizeof *m->ids);
        m->ids[m->n] = id;
        m->slot[h] = (uint64_t)hash << 32 | (uint64_t)(m->n + 1);
        return (uint32_t)m->n++;
}

/* An id's first 16 bytes, big-endian and zero-padded: integer order is strcmp order. */
struct id_key {
        uint64_t hi, lo;
        const char *s;
        uint32_t id;
};

static uint64_t be8(const char *s, size_t *used)
{
        uint64_t v = 0;
        size_t i = 0;
        for (; i < 8 && s[i]; i++)
                v = v << 8 | (unsigned char)s[i];
        *used = i;
        return i ? v << (8 * (8 - i)) : 0;
}

static int id_less(const struct id_key *a, const struct id_key *b)
{
        if (a->hi != b->hi)
                return a->hi < b->hi;
        if (a->lo != b->lo)
                return a->lo < b->lo;
        return strcmp(a->s, b->s) < 0;
}

/* A merge sort of the keys (distinct ids, so any sort gives one order), without qsort's
 * call per comparison. */
static void sort_ids(struct id_key *v, size_t n)
{
        struct id_key *tmp = xmalloc((n ? n : 1) * sizeof *tmp), *src = v, *dst = tmp;
        for (size_t i = 1; i < n; i += 2)
                if (id_less(&v[i], &v[i - 1])) {
                        struct id_key x = v[i];
                        v[i] = v[i - 1];
                        v[i - 1] = x;
                }
        for (size_t w = 2; w < n; w *= 2) {
                for (size_t lo = 0; lo < n; lo += 2 * w) {
                        size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
                        size_t a = lo, b = mid, k = lo;
                        while (a < mid && b < hi)
                                dst[k++] = id_less(&src[b], &src[a]) ? src[b++] : src[a++];
                        while (a < mid)
                                dst[k++] = src[a++];
                        while (b < hi)
                                dst[k++] = src[b++];
                }
                struct id_key *t = src;
                src = dst;
                dst = t;
        }
        if (src != v)
                memcpy(v, src, n * sizeof *v);
        free(tmp);
}

/*
 * Give every distinct CHILD (blank counts as "") a number, in strcmp order of
 * the id.  Rows are far more numerous than children, and a table's rows come
 * grouped by child, so a row with its predecessor's id takes its number;
 * other ids go through a hash set, and only the distinct ones are sorted.
 */
struct id_runs {
        uint32_t *start; /* a run's first row */
        uint32_t *hash;  /* hash_id() of its CHILD; once numbered, its number in the set */
        size_t n;
};

static const char *child_id(const struct ssda903_row *r)
{
        return r->v[SSDA903_COL_CHILD] ? r->v[SSDA903_COL_CHILD] : "";
}

/* The runs of consecutive rows of tab with one CHILD. */
static void find_runs(const struct ssda903_table *tab, struct id_runs *out)
{
        out->start = xmalloc((tab->n ? tab->n : 1) * sizeof *out->start);
        out->hash = xmalloc((tab->n ? tab->n : 1) * sizeof *out->hash);
        out->n = 0;
        const char *prev = NULL;
        for (size_t i = 0; i < tab->n; i++) {
                const char *id = child_id(&tab->rows[i]);
                if (!prev || strcmp(prev, id) != 0) {
                        prev = id;
                        out->start[out->n] = (uint32_t)i;
                        out->hash[out->n++] = hash_id(id);
                }
        }
}

/* Every table's runs, the tables taken in turn by one or two threads. */
struct runs_jobs {
        const struct ssda903_load *ld;
        struct id_runs *runs; /* [SSDA903_NTABLES] */
        atomic_int next;
};

static void *runs_jobs(void *arg)
{
        struct runs_jobs *rj = arg;
        for (int k; (k = atomic_fetch_add(&rj->next, 1)) < SSDA903_NTABLES;)
                find_runs(&rj->ld->t[k], &rj->runs[k]);
        return NULL;
}

/*
 * `two`: the runs may be found on a second thread.  The rows themselves are not
 * written here: runs[t].hash[j] becomes run j's number in the set, and the
 * result maps that number to the child's final one; index_table() gives each
 * row its number (on the indexing threads).  Free the runs and the result.
 */
static uint32_t *index_children(struct ssda903_load *ld, int two,
                                struct id_runs runs[SSDA903_NTABLES])
{
        struct id_set m = {0};
        struct runs_jobs rj = {.ld = ld, .runs = runs};
        atomic_init(&rj.next, 0);
        pthread_t finder;
        two = two && pthread_create(&finder, NULL, runs_jobs, &rj) == 0;
        runs_jobs(&rj);
        if (two)
                pthread_join(finder, NULL);
        /* The set holds at least as many ids as a table has runs (all of them when the
         * table's rows come grouped by child): made that size at once, not grown to it. */
        size_t most = 0, cap = 1024;
        for (int t = 0; t < SSDA903_NTABLES; t++)
                if (runs[t].n > most)
                        most = runs[t].n;
        while ((most + 1) * 2 > cap)
                cap *= 2;
        m.slot = xcalloc(cap, sizeof *m.slot);
        m.mask = cap - 1;
        for (int t = 0; t < SSDA903_NTABLES; t++) {
                const struct ssda903_table *tab = &ld->t[t];
                struct id_runs *ru = &runs[t];
                for (size_t j = 0; j < ru->n; j++)
                        ru->hash[j] =
                            id_set_add(&m, child_id(&tab->rows[ru->start[j]]), ru->hash[j]);
        }
        size_t nch = m.n;
        struct id_key *keys = xmalloc((nch ? nch : 1) * sizeof *keys);
        for (size_t k = 0; k < nch; k++) {
                size_t used;
                const char *s = m.ids[k];
                keys[k].hi = be8(s, &used);
                keys[k].lo = used == 8 ? be8(s + 8, &used) : 0;
                keys[k].s = s;
                keys[k].id = (uint32_t)k;
        }
        sort_ids(keys, nch);
        uint32_t *final = xmalloc((nch ? nch : 1) * sizeof *final);
        ld->children = xcalloc(nch ? nch : 1, sizeof *ld->children);
        for (size_t k = 0; k < nch; k++) {
                final[keys[k].id] = (uint32_t)k;
                ld->children[k].id = keys[k].s;
        }
        ld->nchildren = nch;
        free(keys);
        free(m.slot);
        free(m.ids);
        return final;
}

static int64_t sort_key(date_t d)
{
        /* Blank and bad dates last: they are open ends or errors. */
        return (d == DATE_NONE || d == DATE_BAD) ? INT64_MAX : (int64_t)d;
}

static int cmp_rows(const struct ssda903_row *a, const struct ssda903_row *b, const int sort[2])
{
        for (int s = 0; s < 2; s++) {
                if (sort[s] < 0)
                        break;
                int64_t x = sort_key(a->d[sort[s]]), y = sort_key(b->d[sort[s]]);
                if (x != y)
                        return x < y ? -1 : 1;
        }
        return a->index < b->index ? -1 : a->index > b->index;
}

static int cmp_rowp(const void *a, const void *b, void *sort)
{
        return cmp_rows(*(struct ssda903_row *const *)a, *(struct ssda903_row *const *)b, sort);
}

/* Rows of one child are usually few: an insertion sort then (the order is total, so any
 * sort gives the same result). */
static void sort_rows(struct ssda903_row **v, size_t n, const int sort[2])
{
        if (n > 16) {
                qsort_r(v, n, sizeof *v, cmp_rowp, (void *)sort);
                return;
        }
        for (size_t i = 1; i < n; i++) {
                struct ssda903_row *x = v[i];
                size_t j = i;
                while (j > 0 && cmp_rows(x, v[j - 1], sort) < 0) {
                        v[j] = v[j - 1];
                        j--;
                }
                v[j] = x;
        }
}

/* Number tab's rows (its runs ru and index_children()'s map `final`), then index them. */
static void index_table(struct ssda903_load *ld, struct ssda903_table *tab,
                        const struct id_runs *ru, const uint32_t *final)
{
        size_t nch = ld->nchildren;
        if (tab->n == 0) /* ssda903_child_rows() reads no index as no rows */
                return;
        tab->first = xcalloc(nch + 1, sizeof *tab->first);
        tab->sorted = xmalloc((tab->n ? tab->n : 1) * sizeof *tab->sorted);
        /* Counting sort by child keeps input order within a child... */
        for (size_t j = 0; j < ru->n; j++) {
                size_t from = ru->start[j], to = j + 1 < ru->n ? ru->start[j + 1] : tab->n;
                uint32_t c = final[ru->hash[j]];
                for (size_t i = from; i < to; i++)
                        tab->rows[i].child = c;
                tab->first[c + 1] += (uint32_t)(to - from);
        }
        for (size_t c = 0; c < nch; c++)
                tab->first[c + 1] += tab->first[c];
        uint32_t *fill = xmalloc((nch ? nch : 1) * sizeof *fill);
        memcpy(fill, tab->first, nch * sizeof *fill);
        for (size_t i = 0; i < tab->n; i++)
                tab->sorted[fill[tab->rows[i].child]++] = &tab->rows[i];
        free(fill);
        /* ...then each child's rows are ordered by the table's dates. */
        if (tab->def->sort[0] < 0)
                return;
        for (size_t c = 0; c < nch; c++) {
                size_t a = tab->first[c], b = tab->first[c + 1];
                if (b - a > 1)
                        sort_rows(tab->sorted + a, b - a, tab->def->sort);
        }
}

/* ---------------------------------------------------------------- derived columns */

/* Header's UASC flag from the UASC table (CSV loads; the XML states it itself). */
static void derive_uasc(struct ssda903_load *ld, int hd, int ua)
{
        struct ssda903_table *h = &ld->t[hd], *u = &ld->t[ua];
        for (size_t i = 0; i < h->n; i++) {
                struct ssda903_row *r = &h->rows[i];
                size_t n = 0;
                ssda903_child_rows(u, r->child, &n);
                r->v[HD_UASC] = n ? "1" : "0";
        }
}

/* Country codes DfE uses for placements outside England, from the ONS code's first letter. */
static const char *la_for(const struct refdata_postcode *p)
{
        if (!p->la)
                return NULL;
        switch (p->la[0]) {
        case 'S':
                return "SCO";
        case 'N':
                return "NIR";
        case 'W':
                return "WAL";
        case 'L':
        case 'M':
                return "NUK"; /* Channel Islands, Isle of Man */
        default:
                return p->la;
        }
}

/*
 * "%.1f" of a non-negative finite x, as printf writes it (round to nearest,
 * ties to even, on x's exact binary value) without printf's cost.  fma gives
 * the exact sign of x*10 - q and of x*20 - (2q+1), so the tenths are decided
 * on the exact value, not on a rounded product.
 */
static int format_tenths(double x, char *out, size_t cap)
{
        if (!(x >= 0 && x < 1e15))
                return snprintf(out, cap, "%.1f", x);
        double q = floor(x * 10);
        while (q > 0 && fma(x, 10, -q) < 0)
                q--;
        while (fma(x, 10, -(q + 1)) >= 0)
                q++;
        double r = fma(x, 20, -(2 * q + 1)); /* x*10 - q - 1/2, doubled */
        unsigned long long t = (unsigned long long)q;
        if (r > 0 || (r == 0 && (t & 1)))
                t++;
        char rev[24];
        size_t n = 0;
        rev[n++] = (char)('0' + t % 10);
        rev[n++] = '.';
        t /= 10;
        do {
                rev[n++] = (char)('0' + t % 10);
                t /= 10;
        } while (t);
        for (size_t i = 0; i < n; i++)
                out[i] = rev[n - 1 - i];
        out[n] = '\0';
        return (int)n;
}

/* A look-up that remembers its last question: a child's episodes repeat their postcodes. */
struct pc_last {
        const char *cell;
        const struct refdata_postcode *found;
};

static const struct refdata_postcode *find_pc(struct pc_last *m,
                                              const struct refdata_postcodes *pcs, const char *cell)
{
        if (!cell)
                return NULL;
        if (m->cell && strcmp(m->cell, cell) == 0)
                return m->found;
        m->cell = cell;
        m->found = refdata_postcode_find(pcs, cell);
        return m->found;
}

static void derive_postcodes(struct ssda903_load *ld, int t, const struct ssda903_options *opt,
                             struct arena *arena)
{
        struct ssda903_table *tab = &ld->t[t];
        struct pc_last lh = {0}, lp = {0};
        const struct refdata_postcode *last_home = NULL, *last_pl = NULL;
        const char *last_miles = NULL;
        for (size_t i = 0; i < tab->n; i++) {
                struct ssda903_row *r = &tab->rows[i];
                const struct refdata_postcode *home =
                    find_pc(&lh, opt->postcodes, r->v[EP_HOME_POST]);
                const struct refdata_postcode *pl = find_pc(&lp, opt->postcodes, r->v[EP_PL_POST]);
                if (home && pl && home->has_grid && pl->has_grid) {
                        if (home != last_home || pl != last_pl) {
                                double de = (double)home->east - pl->east;
                                double dn = (double)home->north - pl->north;
                                /* Metres to miles, as DfE does: /1000 km, /1.6093 miles. */
                                double miles = sqrt(de * de + dn * dn) / 1000.0 / 1.6093;
                                char buf[400];
                                format_tenths(miles, buf, sizeof buf);
                                last_miles = arena_strdup(arena, buf);
                                last_home = home;
                                last_pl = pl;
                        }
                        r->v[EP_PL_DISTANCE] = last_miles;
                }
                if (pl) {
                        const char *la = la_for(pl);
                        r->v[EP_PL_LA] = la;
                        if (la && opt->la_code)
                                r->v[EP_PL_LOCATION] =
                                    strcasecmp(la, opt->la_code) == 0 ? "IN" : "OUT";
                }
        }
}

/* Both years' Episodes; on its own thread this writes only their derived cells. */
struct derive_job {
        struct ssda903_load *ld;
        const struct ssda903_options *opt;
        struct arena *arena;
};

static void *derive_all(void *arg)
{
        struct derive_job *j = arg;
        derive_postcodes(j->ld, SSDA903_EPISODES, j->opt, j->arena);
        derive_postcodes(j->ld, SSDA903_EPISODES_LAST, j->opt, j->arena);
        return NULL;
}

/* ---------------------------------------------------------------- collection year */

/*
 * Inferring the collection year.  An Episodes table holds every episode open
 * at any time in the year: the ones that started in the year (DECOM in it)
 * and the ones that ended in it (DEC in it), plus long-running episodes whose
 * DECOM lies in earlier years, spread thinly over them.  So the collection
 * year (1 April–31 March) holding the most DECOM and DEC dates is the year of
 * the return; a few mistyped dates cannot outvote it.  Ties go to the later
 * year (a return cannot hold dates after its own year, while old DECOMs are
 * normal).  Without episodes, the other in-year dates (reviews, missing
 * episodes, social-worker episodes, DoLOs) vote the same way.
 */
static int vote_year(const struct ssda903_load *ld, const int *tables, const int (*cols)[2],
                     size_t ntables, int *votes_out)
{
        enum { LO = 1990, HI = 2100 };
        int votes[HI - LO + 1] = {0};
        /* Dates cluster: the year of the last one answers most without a calculation. */
        date_t from = 1, to = 0;
        int last = 0;
        for (size_t k = 0; k < ntables; k++) {
                const struct ssda903_table *tab = &ld->t[tables[k]];
                for (size_t i = 0; i < tab->n; i++)
                        for (int c = 0; c < 2; c++) {
                                if (cols[k][c] < 0)
                                        continue;
                                date_t d = tab->rows[i].d[cols[k][c]];
                                if (d == DATE_NONE || d == DATE_BAD)
                                        continue;
                                if (d < from || d > to) {
                                        last = date_collection_year(d);
                                        from = date_year_start(last);
                                        to = date_year_end(last);
                                }
                                int y = last;
                                if (y >= LO && y <= HI)
                                        votes[y - LO]++;
                        }
        }
        int best = 0, bestv = 0;
        for (int y = LO; y <= HI; y++)
                if (votes[y - LO] > 0 && votes[y - LO] >= bestv) {
                        best = y;
                        bestv = votes[y - LO];
                }
        *votes_out = bestv;
        return best;
}

/* The vote of infer_year(): the year (0: none), its votes and which dates voted. */
struct year_vote {
        int year, votes, from_episodes;
};

static void vote(const struct ssda903_load *ld, struct year_vote *v)
{
        static const int ep_t[] = {SSDA903_EPISODES};
        static const int ep_c[][2] = {{EP_DECOM, EP_DEC}};
        static const int other_t[] = {SSDA903_REVIEWS, SSDA903_MISSING, SSDA903_SW_EPISODES,
                                      SSDA903_DOLO};
        static const int other_c[][2] = {{RV_REVIEW, -1},
                                         {MI_MIS_START, MI_MIS_END},
                                         {SW_SW_DECOM, SW_SW_DEC},
                                         {DL_DOLO_START, DL_DOLO_END}};
        v->year = vote_year(ld, ep_t, ep_c, 1, &v->votes);
        v->from_episodes = v->year != 0;
        if (!v->year)
                v->year = vote_year(ld, other_t, other_c, 4, &v->votes);
}

static int infer_year(struct ssda903_load *ld, const struct year_vote *v, struct err *e)
{
        int y = v->year, votes = v->votes;
        const char *from = v->from_episodes ? "episode start and end dates (DECOM, DEC)"
                                            : "review, missing, social worker and DoLO dates";
        if (!y)
                return err_set(e, EXIT_USAGE,
                               "cannot infer the collection year: the return has no episode, "
                               "review or other in-year dates; give the year (--year)");
        ld->collection_year = y;
        ld->year_inferred = 1;
        ld->year_note = arena_printf(&ld->arena,
                                     "collection year %d/%02d (1 April %d to 31 March %d) inferred "
                                     "from the data: %d of its %s fall in it, more than in any "
                                     "other year",
                                     y - 1, y % 100, y - 1, y, votes, from);
        return 0;
}

/*
 * After the children are numbered: each table's index, and the year's vote
 * (it reads only dates), as jobs taken in turn by this thread and, for a
 * large load, one more, so the tables are indexed two at a time.
 */
struct index_jobs {
        struct ssda903_load *ld;
        const struct id_runs *runs; /* [SSDA903_NTABLES], from index_children() */
        const uint32_t *final;
        int want_vote;
        struct year_vote vote;
        atomic_int next; /* tables 0..SSDA903_NTABLES-1, then the vote */
};

static void *index_jobs(void *arg)
{
        struct index_jobs *ij = arg;
        for (;;) {
                int k = atomic_fetch_add(&ij->next, 1);
                if (k < SSDA903_NTABLES)
                        index_table(ij->ld, &ij->ld->t[k], &ij->runs[k], ij->final);
                else if (k == SSDA903_NTABLES && ij->want_vote)
                        vote(ij->ld, &ij->vote);
                else
                        break;
        }
        return NULL;
}

int ssda903_finish(struct ssda903_load *ld, const struct ssda903_options *opt, struct err *e)
{
        static const struct ssda903_options none = {0};
        if (!opt)
                opt = &none;
        if (ld->finished)
                return err_set(e, EXIT_INTERNAL, "ssda903_finish called twice");
        ld->finished = 1;
        for (int t = SSDA903_NCURRENT; t < SSDA903_NTABLES; t++)
                if (ld->t[t].file)
                        ld->has_last = 1;

        /*
         * The postcode-derived cells need no index, and the index reads no derived
         * cell: a large load derives them on a second thread meanwhile, into the side
         * arena (the CSV readers' helpers are done with it).
         */
        struct derive_job job = {ld, opt, &ld->side};
        pthread_t deriver;
        int threaded = 0;
        if (opt->postcodes) {
                size_t n = ld->t[SSDA903_EPISODES].n + ld->t[SSDA903_EPISODES_LAST].n;
                threaded = n >= 8192 && pthread_create(&deriver, NULL, derive_all, &job) == 0;
                if (!threaded)
                        derive_all(&job);
                ld->postcodes_applied = 1;
        }
        size_t rows = 0;
        for (int t = 0; t < SSDA903_NTABLES; t++)
                rows += ld->t[t].n;
        struct id_runs runs[SSDA903_NTABLES];
        uint32_t *final = index_children(ld, !threaded && rows >= 8192, runs);
        struct index_jobs ij = {
            .ld = ld, .runs = runs, .final = final, .want_vote = !opt->collection_year};
        atomic_init(&ij.next, 0);
        pthread_t indexer;
        int two = !threaded && rows >= 8192 && pthread_create(&indexer, NULL, index_jobs, &ij) == 0;
        index_jobs(&ij);
        if (two)
                pthread_join(indexer, NULL);
        free(final);
        for (int t = 0; t < SSDA903_NTABLES; t++) {
                free(runs[t].start);
                free(runs[t].hash);
        }
        if (threaded)
                pthread_join(deriver, NULL);
        for (size_t i = 0; i < ld->t[SSDA903_HEADER].n; i++) {
                struct ssda903_row *r = ld->t[SSDA903_HEADER].sorted[i];
                if (!ld->children[r->child].header)
                        ld->children[r->child].header = r;
        }

        if (!ld->from_xml)
                derive_uasc(ld, SSDA903_HEADER, SSDA903_UASC);
        /* The previous year came from CSV unless its Header came with an XML flag already set. */
        for (size_t i = 0; i < ld->t[SSDA903_HEADER_LAST].n; i++)
                if (!ld->t[SSDA903_HEADER_LAST].rows[i].v[HD_UASC]) {
                        derive_uasc(ld, SSDA903_HEADER_LAST, SSDA903_UASC_LAST);
                        break;
                }

        if (opt->collection_year) {
                if (opt->collection_year < 1990 || opt->collection_year > 2100)
                        return err_set(e, EXIT_USAGE,
                                       "collection year %d is out of range; expected e.g. 2026 "
                                       "for 2025/26",
                                       opt->collection_year);
                ld->collection_year = opt->collection_year;
                ld->year_note = arena_printf(&ld->arena, "collection year %d/%02d (given)",
                                             ld->collection_year - 1, ld->collection_year % 100);
        } else if (infer_year(ld, &ij.vote, e) < 0) {
                return -1;
        }
        ld->start = date_year_start(ld->collection_year);
        ld->end = date_year_end(ld->collection_year);
        return 0;
}

struct ssda903_load *ssda903_load_paths(const char *const *paths, size_t npaths,
                                        const char *const *prev, size_t nprev,
                                        const struct ssda903_options *opt, struct err *e)
{
        struct ssda903_load *ld = ssda903_new();
        for (size_t i = 0; i < npaths; i++)
                if (ssda903_add_path(ld, paths[i], 0, e) < 0)
                        goto fail;
        for (size_t i = 0; i < nprev; i++)
                if (ssda903_add_path(ld, prev[i], 1, e) < 0)
                        goto fail;
        if (ssda903_finish(ld, opt, e) < 0)
                goto fail;
        return ld;
fail:
        ssda903_free(ld);
        return NULL;
}

long ssda903_child_find(const struct ssda903_load *ld, const char *id)
{
        size_t lo = 0, hi = ld->nchildren;
        if (!id)
                id = "";
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                int c = strcmp(ld->children[mid].id, id);
                if (c == 0)
                        return (long)mid;
                if (c < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return -1;
}
