/*
 * ssda903_csv.c — read one SSDA903 table from CSV (data-formats.md §1.2).
 *
 * The table is recognised by its exact set of column names, in any order and
 * any case, never by the file name.  The first record is the header; every
 * later record must have as many fields (a ragged row is malformed input).
 * Records whose cells are all blank (Excel's trailing ",,,,") are skipped
 * but still counted, so row numbers stay those of the file.
 */
#include "returns/ssda903_int.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/xalloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int name_eq(const struct csv_field *f, const char *name)
{
        const char *p = f->ptr;
        size_t n = f->len;
        while (n && (*p == ' ' || *p == '\t')) {
                p++;
                n--;
        }
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
                n--;
        return strlen(name) == n && strncasecmp(p, name, n) == 0;
}

/*
 * Map header fields to the columns of table t: map[i] = canonical column of
 * field i.  1 if the set of names is exactly the table's file columns.
 */
static int match_table(const struct csv_record *h, int t, int *map)
{
        const struct ssda903_tabledef *def = &ssda903_tabledefs[t];
        if (h->count != (size_t)def->nfile)
                return 0;
        unsigned seen = 0;
        for (size_t i = 0; i < h->count; i++) {
                int c = 0;
                while (c < def->nfile && !name_eq(&h->fields[i], def->cols[c]))
                        c++;
                if (c == def->nfile || (seen & (1u << c)))
                        return 0;
                seen |= 1u << c;
                map[i] = c;
        }
        return 1;
}

/* The table whose columns differ least from the header, to make the error actionable. */
static void describe_nearest(const struct csv_record *h, struct buf *b)
{
        int best = -1, best_score = 0;
        for (int t = 0; t < SSDA903_NCURRENT; t++) {
                const struct ssda903_tabledef *def = &ssda903_tabledefs[t];
                int common = 0;
                for (int c = 0; c < def->nfile; c++)
                        for (size_t i = 0; i < h->count; i++)
                                if (name_eq(&h->fields[i], def->cols[c])) {
                                        common++;
                                        break;
                                }
                /* CHILD and DOB are in most tables; they alone say nothing. */
                if (common > 2 && common * 2 > def->nfile && common > best_score) {
                        best = t;
                        best_score = common;
                }
        }
        if (best < 0)
                return;
        const struct ssda903_tabledef *def = &ssda903_tabledefs[best];
        buf_printf(b, "; nearest is %s", def->name);
        const char *sep = " (missing: ";
        for (int c = 0; c < def->nfile; c++) {
                size_t i = 0;
                while (i < h->count && !name_eq(&h->fields[i], def->cols[c]))
                        i++;
                if (i == h->count) {
                        buf_printf(b, "%s%s", sep, def->cols[c]);
                        sep = ", ";
                }
        }
        const char *sep2 = *sep == ',' ? "; not expected: " : " (not expected: ";
        for (size_t i = 0; i < h->count; i++) {
                int c = 0;
                while (c < def->nfile && !name_eq(&h->fields[i], def->cols[c]))
                        c++;
                if (c == def->nfile) {
                        buf_printf(b, "%s%.*s", sep2,
                                   (int)(h->fields[i].len > 40 ? 40 : h->fields[i].len),
                                   h->fields[i].ptr);
                        sep2 = ", ";
                        sep = ", ";
                }
        }
        if (*sep == ',')
                buf_putc(b, ')');
}

static int no_table(const char *name, const struct csv_record *h, struct err *e)
{
        struct buf b;
        buf_init(&b);
        for (int t = 0; t < SSDA903_NCURRENT; t++)
                buf_printf(&b, "%s%s", t ? ", " : "", ssda903_tabledefs[t].name);
        describe_nearest(h, &b);
        err_at(e, name, h->line, "columns match no SSDA903 table; expected one of: %s", b.data);
        buf_release(&b);
        return -1;
}

/*
 * Rows are read in batches and turned into rows (s903_fill_row) by this
 * thread and a helper together: while this thread parses the next batch, the
 * helper fills rows from the last one, and this thread joins in whenever it
 * must wait for a batch buffer.  Work is handed out in chunks of a batch; a
 * row's slot and numbers are fixed when its batch is published, so rows keep
 * their file order whoever fills them.  The helper's rows come from the
 * load's side arena.  Only files of more than one batch start the helper.
 */
/* 1,024 records a batch: the fixtures' tables of 2,676 rows are filled by both threads too
 * (with 4,096 this thread filled them alone), and a batch's cells touch fewer pages. */
enum { BATCH = 1024, CHUNK = 256 };

struct batch {
        size_t n, base;    /* records; table row of the first */
        size_t next, done; /* records handed out; records filled */
        int queued;
        long row[BATCH], line[BATCH];
        size_t bytes[BATCH]; /* s903_fill_row's text_bytes of each record */
        /* Record i's cells are cells[i * width ..], width the table's file columns: packed,
         * a narrow table's batch touches a fraction of the pages (each a page fault when
         * first touched; Reviews has 4 columns of SSDA903_MAXCOLS). */
        struct s903_cell cells[BATCH * SSDA903_MAXCOLS];
        struct arena copies;
};

struct pipe {
        struct ssda903_load *ld;
        struct ssda903_table *tab;
        struct arena *arena;      /* this thread's rows */
        struct s903_codes *codes; /* this thread's short codes */
        size_t assigned;          /* table rows given to published batches */
        size_t hint;              /* rows the whole file probably holds, or 0 */
        int started, failed, quit;
        pthread_t tid;
        pthread_mutex_t mu;
        pthread_cond_t cv;
        struct batch *queue[2]; /* published and not yet filled, oldest first */
        int nq;
};

/* Take a chunk of the oldest batch with records left (mu held); NULL when none. */
static struct batch *take(struct pipe *p, size_t *from, size_t *to)
{
        for (int i = 0; i < p->nq; i++) {
                struct batch *b = p->queue[i];
                if (b->next < b->n) {
                        *from = b->next;
                        *to = b->next + CHUNK < b->n ? b->next + CHUNK : b->n;
                        b->next = *to;
                        return b;
                }
        }
        return NULL;
}

/* Record a filled chunk (mu held): a batch all filled leaves the queue. */
static void filled(struct pipe *p, struct batch *b, size_t nrows)
{
        b->done += nrows;
        if (b->done < b->n)
                return;
        int kept = 0;
        for (int i = 0; i < p->nq; i++) /* keeps the oldest first */
                if (p->queue[i] != b)
                        p->queue[kept++] = p->queue[i];
        p->nq = kept;
        b->queued = 0;
        pthread_cond_broadcast(&p->cv);
}

static void fill_chunk(struct pipe *p, struct arena *a, struct s903_codes *codes, struct batch *b,
                       size_t from, size_t to)
{
        for (size_t i = from; i < to; i++)
                s903_fill_row(a, codes, p->tab->def, &p->tab->rows[b->base + i],
                              b->cells + i * (size_t)p->tab->def->nfile, b->row[i], b->line[i],
                              (uint32_t)(b->base + i), b->bytes[i]);
}

static void *helper_main(void *arg)
{
        struct pipe *p = arg;
        struct s903_codes *codes = xcalloc(1, sizeof *codes);
        pthread_mutex_lock(&p->mu);
        for (;;) {
                size_t from, to;
                struct batch *b = take(p, &from, &to);
                if (!b) {
                        if (p->quit)
                                break;
                        pthread_cond_wait(&p->cv, &p->mu);
                        continue;
                }
                pthread_mutex_unlock(&p->mu);
                fill_chunk(p, &p->ld->side, codes, b, from, to);
                pthread_mutex_lock(&p->mu);
                filled(p, b, to - from);
        }
        pthread_mutex_unlock(&p->mu);
        free(codes);
        return NULL;
}

/* This thread fills chunks until `until` is filled (NULL: every published batch). */
static void help(struct pipe *p, struct batch *until)
{
        if (!p->started) { /* alone: fill it all here */
                for (int i = 0; i < p->nq; i++) {
                        struct batch *b = p->queue[i];
                        fill_chunk(p, p->arena, p->codes, b, b->next, b->n);
                        b->next = b->done = b->n;
                        b->queued = 0;
                }
                p->nq = 0;
                return;
        }
        pthread_mutex_lock(&p->mu);
        while (until ? until->queued : p->nq > 0) {
                size_t from, to;
                struct batch *b = take(p, &from, &to);
                if (!b) { /* the helper is on the last chunks */
                        pthread_cond_wait(&p->cv, &p->mu);
                        continue;
                }
                pthread_mutex_unlock(&p->mu);
                fill_chunk(p, p->arena, p->codes, b, from, to);
                pthread_mutex_lock(&p->mu);
                filled(p, b, to - from);
        }
        pthread_mutex_unlock(&p->mu);
}

static void start(struct pipe *p)
{
        if (p->started || p->failed)
                return;
        pthread_mutex_init(&p->mu, NULL);
        pthread_cond_init(&p->cv, NULL);
        if (pthread_create(&p->tid, NULL, helper_main, p) != 0) {
                pthread_mutex_destroy(&p->mu);
                pthread_cond_destroy(&p->cv);
                p->failed = 1;
                return;
        }
        p->started = 1;
}

/* Give the batch its table rows and queue it for filling. */
static void publish(struct pipe *p, struct batch *b)
{
        struct ssda903_table *tab = p->tab;
        if (tab->cap < p->assigned + b->n) {
                help(p, NULL); /* nobody may be filling rows while they move */
                size_t want = p->assigned + b->n;
                tab->rows =
                    xgrow(tab->rows, &tab->cap, p->hint > want ? p->hint : want, sizeof *tab->rows);
        }
        if (b->n == BATCH)
                start(p);
        b->base = p->assigned;
        b->next = b->done = 0;
        p->assigned += b->n;
        if (b->n == 0)
                return;
        if (p->started)
                pthread_mutex_lock(&p->mu);
        b->queued = 1;
        p->queue[p->nq++] = b;
        if (p->started) {
                pthread_cond_broadcast(&p->cv);
                pthread_mutex_unlock(&p->mu);
        }
}

/* Fill what is left, stop the helper and count the rows in. */
static void finish_pipe(struct pipe *p)
{
        help(p, NULL);
        if (p->started) {
                pthread_mutex_lock(&p->mu);
                p->quit = 1;
                pthread_cond_broadcast(&p->cv);
                pthread_mutex_unlock(&p->mu);
                pthread_join(p->tid, NULL);
                pthread_mutex_destroy(&p->mu);
                pthread_cond_destroy(&p->cv);
        }
        p->tab->n = p->assigned;
}

/* The header record: which table (t, a current table's id) and where each field goes. */
static int read_header(struct csv_reader *r, int *t_out, int *map, long *line, struct err *e)
{
        const char *name = csv_name(r);
        struct csv_record rec;
        int rc = csv_read(r, &rec, e);
        if (rc < 0)
                return -1;
        if (rc == 0)
                return err_at(e, name, 1,
                              "no header row; expected the column names of an SSDA903 table");
        int t = -1;
        for (int k = 0; k < SSDA903_NCURRENT && t < 0; k++)
                if (match_table(&rec, k, map))
                        t = k;
        if (t < 0)
                return no_table(name, &rec, e);
        *t_out = t;
        *line = rec.line;
        return 0;
}

/* The records after the header into p->tab's rows (table t's columns, fields by map). */
static int read_body(struct pipe *p, struct csv_reader *r, int t, const int *map, struct err *e)
{
        const char *name = csv_name(r);
        struct csv_record rec;
        int rc;
        size_t width = (size_t)ssda903_tabledefs[t].nfile;
        struct batch *buf = xmalloc(2 * sizeof *buf), *b = &buf[0];
        for (int i = 0; i < 2; i++) {
                buf[i].n = 0;
                buf[i].queued = 0;
                arena_init(&buf[i].copies, 0);
        }
        long row = 0;
        while ((rc = csv_read(r, &rec, e)) == 1) {
                row++;
                if (rec.count != width) {
                        err_at(e, name, rec.line,
                               "row has %zu fields, expected %zu (the %s columns)", rec.count,
                               width, ssda903_tabledefs[t].name);
                        rc = -1;
                        break;
                }
                struct s903_cell *cells = b->cells + b->n * width;
                const struct csv_field *fs = rec.fields;
                /* Blank when every byte is a space or tab: the first field's first byte
                 * mostly settles it. */
                int blank = 1;
                for (size_t i = 0; blank && i < width; i++)
                        for (size_t j = 0; j < fs[i].len; j++)
                                if (fs[i].ptr[j] != ' ' && fs[i].ptr[j] != '\t') {
                                        blank = 0;
                                        break;
                                }
                if (blank)
                        continue;
                size_t bytes = 8 + width;
                int quoted = 0;
                for (size_t i = 0; i < width; i++) {
                        cells[map[i]] = (struct s903_cell){fs[i].ptr, fs[i].len};
                        bytes += fs[i].len;
                        quoted |= fs[i].quoted;
                }
                /* A quoted field may live in the reader's scratch, which the next record
                 * reuses: the batch keeps its own copy. */
                for (size_t i = 0; quoted && i < width; i++)
                        if (fs[i].quoted && fs[i].len)
                                cells[map[i]].p = arena_strndup(&b->copies, fs[i].ptr, fs[i].len);
                b->bytes[b->n] = bytes;
                b->row[b->n] = row;
                b->line[b->n] = rec.line;
                if (++b->n < BATCH)
                        continue;
                /* Size the table once for the whole file, from how far this is in. */
                size_t at = csv_offset(r), size = csv_size(r);
                if (p->assigned == p->tab->n && at > 0 && size > at)
                        p->hint = p->assigned + (size_t)((double)size / (double)at * BATCH * 1.05);
                publish(p, b);
                /* Parse on into the other buffer once its rows are filled. */
                struct batch *other = b == &buf[0] ? &buf[1] : &buf[0];
                help(p, other);
                b = other;
                b->n = 0;
                arena_reset(&b->copies);
        }
        if (rc == 0)
                publish(p, b);
        finish_pipe(p);
        for (int i = 0; i < 2; i++)
                arena_release(&buf[i].copies);
        free(buf);
        return rc < 0 ? -1 : 0;
}

static int read_records(struct ssda903_load *ld, struct csv_reader *r, int previous, struct err *e)
{
        int map[SSDA903_MAXCOLS], t = -1;
        long line = 0;
        if (read_header(r, &t, map, &line, e) < 0)
                return -1;
        int tid = previous ? SSDA903_LAST(t) : t;
        if (s903_claim(ld, tid, csv_name(r), line, e) < 0)
                return -1;
        if (!ld->codes)
                ld->codes = xcalloc(1, sizeof *ld->codes);
        struct pipe p = {.ld = ld,
                         .tab = &ld->t[tid],
                         .arena = &ld->arena,
                         .codes = ld->codes,
                         .assigned = ld->t[tid].n};
        return read_body(&p, r, t, map, e);
}

int ssda903_read_csv_mem(struct ssda903_load *ld, const char *name, const char *data, size_t len,
                         int previous, struct err *e)
{
        if (len > S903_MAX_INPUT)
                return err_at(e, name, 0, "file too large (%zu bytes); expected at most %zu", len,
                              S903_MAX_INPUT);
        struct csv_reader *r = csv_open_mem(data, len, name);
        int rc = read_records(ld, r, previous, e);
        csv_free(r);
        return rc;
}

int s903_read_csv_file(struct ssda903_load *ld, const char *path, int previous, struct err *e)
{
        struct csv_reader *r = csv_open_file(path, e);
        if (!r)
                return -1;
        if (csv_size(r) > S903_MAX_INPUT) {
                csv_free(r);
                return err_at(e, path, 0, "file too large; expected at most %zu bytes",
                              S903_MAX_INPUT);
        }
        int rc = read_records(ld, r, previous, e);
        csv_free(r);
        return rc;
}

/* ---------------------------------------------------------------- several tables at once */

/*
 * One input of ssda903_add_csv_tables() as its thread left it: the table read
 * into a private table (not yet claimed), or the error that stopped it, or
 * the bytes of a file that turned out to be XML (read in turn afterwards).
 */
struct table_job {
        const struct ssda903_csv_input *in;
        enum { JOB_TODO, JOB_READ, JOB_XML, JOB_FAILED_EARLY, JOB_FAILED_LATE } state;
        int tid;
        long line; /* of the header */
        struct ssda903_table tab;
        struct buf xml;
        struct err err;
};

struct table_jobs {
        struct ssda903_load *ld;
        struct table_job *jobs;
        const size_t *order; /* largest first */
        size_t n;
        atomic_size_t next;
};

static void run_job(struct ssda903_load *ld, struct table_job *j, struct buf *b,
                    struct arena *arena, struct s903_codes *codes)
{
        const struct ssda903_csv_input *in = j->in;
        struct err *e = &j->err;
        j->state = JOB_FAILED_EARLY;
        buf_reset(b);
        if (in->read(in->ctx, b, e) < 0)
                return;
        const unsigned char *u = (const unsigned char *)b->data;
        size_t len = b->len, i = 0;
        if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
                err_at(e, in->name, 1,
                       "the file is UTF-16; expected UTF-8 (save it again as \"CSV UTF-8\")");
                return;
        }
        if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
                i = 3;
        while (i < len && (u[i] == ' ' || u[i] == '\t' || u[i] == '\r' || u[i] == '\n'))
                i++;
        if (i < len && u[i] == '<') { /* XML after all: read in its turn, on one thread */
                buf_init(&j->xml);
                buf_append(&j->xml, b->data, b->len);
                j->state = JOB_XML;
                return;
        }
        if (len > S903_MAX_INPUT) {
                err_at(e, in->name, 0, "file too large (%zu bytes); expected at most %zu", len,
                       S903_MAX_INPUT);
                return;
        }
        struct csv_reader *r = csv_open_mem(b->data, len, in->name);
        int map[SSDA903_MAXCOLS], t = -1;
        if (read_header(r, &t, map, &j->line, e) == 0) {
                j->tid = in->previous ? SSDA903_LAST(t) : t;
                j->tab.def = &ssda903_tabledefs[t];
                j->tab.id = j->tid;
                /* Alone on this table (failed: the pipe starts no helper thread). */
                struct pipe p = {
                    .ld = ld, .tab = &j->tab, .arena = arena, .codes = codes, .failed = 1};
                j->state = read_body(&p, r, t, map, e) == 0 ? JOB_READ : JOB_FAILED_LATE;
        }
        csv_free(r);
}

static void run_jobs(struct table_jobs *js, struct arena *arena, struct s903_codes *codes)
{
        struct buf b;
        buf_init(&b);
        for (;;) {
                size_t k = atomic_fetch_add(&js->next, 1);
                if (k >= js->n)
                        break;
                run_job(js->ld, &js->jobs[js->order[k]], &b, arena, codes);
        }
        buf_release(&b);
}

static void *jobs_helper(void *arg)
{
        struct table_jobs *js = arg;
        struct s903_codes *codes = xcalloc(1, sizeof *codes);
        run_jobs(js, &js->ld->side, codes);
        free(codes);
        return NULL;
}

int ssda903_add_csv_tables(struct ssda903_load *ld, const struct ssda903_csv_input *in, size_t n,
                           struct err *e)
{
        if (ld->finished)
                return err_set(e, EXIT_INTERNAL, "ssda903_add_csv_tables after ssda903_finish");
        struct table_job *jobs = xcalloc(n ? n : 1, sizeof *jobs);
        size_t *order = xmalloc((n ? n : 1) * sizeof *order);
        for (size_t i = 0; i < n; i++) {
                jobs[i].in = &in[i];
                order[i] = i;
        }
        for (size_t i = 1; i < n; i++) { /* largest first: few inputs, an insertion sort */
                size_t x = order[i], k = i;
                while (k > 0 && in[order[k - 1]].size < in[x].size) {
                        order[k] = order[k - 1];
                        k--;
                }
                order[k] = x;
        }
        struct table_jobs js = {.ld = ld, .jobs = jobs, .order = order, .n = n};
        atomic_init(&js.next, 0);
        if (!ld->codes)
                ld->codes = xcalloc(1, sizeof *ld->codes);
        pthread_t tid;
        int helper = n > 1 && pthread_create(&tid, NULL, jobs_helper, &js) == 0;
        run_jobs(&js, &ld->arena, ld->codes);
        if (helper)
                pthread_join(tid, NULL);

        /* In input order, as one file after another would have: claims, errors, rows. */
        int rc = 0;
        for (size_t i = 0; i < n; i++) {
                struct table_job *j = &jobs[i];
                if (rc == 0) {
                        if (j->state == JOB_FAILED_EARLY) {
                                *e = j->err;
                                rc = -1;
                        } else if (j->state == JOB_XML) {
                                rc = ssda903_add_mem(ld, in[i].name, j->xml.data, j->xml.len,
                                                     in[i].previous, e);
                        } else if (s903_claim(ld, j->tid, in[i].name, j->line, e) < 0) {
                                rc = -1;
                        } else if (j->state == JOB_FAILED_LATE) {
                                *e = j->err;
                                rc = -1;
                        } else { /* a claimed table is empty: its rows are these */
                                struct ssda903_table *tab = &ld->t[j->tid];
                                tab->rows = j->tab.rows;
                                tab->n = j->tab.n;
                                tab->cap = j->tab.cap;
                                j->tab.rows = NULL;
                        }
                }
                free(j->tab.rows);
                if (j->state == JOB_XML)
                        buf_release(&j->xml);
        }
        free(order);
        free(jobs);
        return rc;
}
