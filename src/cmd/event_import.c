/*
 * event_import.c — checking an event's fields, and `improve import events
 * FILE` (see event.h).
 *
 * The file is the one `improve synth` writes: la,date,kind,title,measures,note
 * with measures separated by `;`.  Columns are found by name, so a file from
 * `improve event list --format csv` (which adds an id column) reads back too.
 * Every row is checked before it is stored, and the caller's transaction
 * makes the import all or nothing.
 */
#include "cmd/event.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "measures/measure.h"
#include "store/store.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- field checks */

int event_check_la(const char *la, char *why, size_t cap)
{
        if (strlen(la) == 3 && isdigit((unsigned char)la[0]) && isdigit((unsigned char)la[1]) &&
            isdigit((unsigned char)la[2]))
                return 0;
        snprintf(why, cap, "authority '%.40s' is not a code; expected 3 digits such as 202", la);
        return -1;
}

int event_check_date(const char *date, char *why, size_t cap)
{
        date_t d;
        if (date_parse_iso(date, strlen(date), &d) == 0)
                return 0;
        snprintf(why, cap,
                 "date '%.40s' is not a real date; expected YYYY-MM-DD such as 2021-04-01", date);
        return -1;
}

int event_check_kind(const char *kind, char *why, size_t cap)
{
        if (store_event_kind_valid(kind))
                return 0;
        size_t n = (size_t)snprintf(why, cap, "kind '%.40s' is not known; expected one of", kind);
        for (size_t i = 0; store_event_kinds[i] && n < cap; i++)
                n +=
                    (size_t)snprintf(why + n, cap - n, "%s %s", i ? "," : "", store_event_kinds[i]);
        return -1;
}

int event_check_title(const char *title, char *why, size_t cap)
{
        for (const char *p = title; *p; p++)
                if (!isspace((unsigned char)*p))
                        return 0;
        snprintf(why, cap, "the title is blank; expected a few words naming the change");
        return -1;
}

int event_check_measure(const char *id, char *why, size_t cap)
{
        if (measure_find(id))
                return 0;
        snprintf(why, cap,
                 "measure '%.60s' is not in the catalogue; expected a measure id such as "
                 "rereferrals_12m_pct",
                 id);
        return -1;
}

/* ---------------------------------------------------------------- the file */

enum { C_LA, C_DATE, C_KIND, C_TITLE, C_MEASURES, C_NOTE, C_N };
static const char *const column_names[C_N] = {"la", "date", "kind", "title", "measures", "note"};

static char *field_text(const struct csv_record *rec, long col)
{
        if (col < 0 || (size_t)col >= rec->count)
                return xstrdup("");
        const char *p = rec->fields[col].ptr;
        size_t n = rec->fields[col].len;
        while (n && isspace((unsigned char)*p)) {
                p++;
                n--;
        }
        while (n && isspace((unsigned char)p[n - 1]))
                n--;
        return xstrndup(p, n);
}

static int find_columns(const struct csv_record *h, const char *path, long col[C_N], struct err *e)
{
        for (int c = 0; c < C_N; c++)
                col[c] = -1;
        for (size_t i = 0; i < h->count; i++) {
                char *name = field_text(h, (long)i);
                for (int c = 0; c < C_N; c++) {
                        if (strcasecmp(name, column_names[c]) != 0)
                                continue;
                        if (col[c] >= 0) {
                                free(name);
                                return err_at(e, path, h->line,
                                              "two '%s' columns in the header; expected one",
                                              column_names[c]);
                        }
                        col[c] = (long)i;
                }
                free(name);
        }
        for (int c = 0; c <= C_TITLE; c++)
                if (col[c] < 0)
                        return err_at(e, path, h->line,
                                      "no '%s' column in the header; expected "
                                      "la,date,kind,title,measures,note",
                                      column_names[c]);
        return 0;
}

/* Split `list` on ';' into ev->measures (pointers into `list`, which is modified). */
static int split_measures(char *list, struct store_event *ev, char *why, size_t cap)
{
        ev->n_measures = 0;
        for (char *save = NULL, *tok = strtok_r(list, ";", &save); tok;
             tok = strtok_r(NULL, ";", &save)) {
                while (isspace((unsigned char)*tok))
                        tok++;
                size_t n = strlen(tok);
                while (n && isspace((unsigned char)tok[n - 1]))
                        tok[--n] = '\0';
                if (n == 0)
                        continue;
                if (event_check_measure(tok, why, cap))
                        return -1;
                for (size_t i = 0; i < ev->n_measures; i++)
                        if (strcmp(ev->measures[i], tok) == 0) {
                                snprintf(why, cap,
                                         "measure '%s' is listed twice; expected each "
                                         "once",
                                         tok);
                                return -1;
                        }
                if (ev->n_measures == STORE_EVENT_MEASURES_MAX) {
                        snprintf(why, cap, "more than %d measures; expected at most %d",
                                 STORE_EVENT_MEASURES_MAX, STORE_EVENT_MEASURES_MAX);
                        return -1;
                }
                ev->measures[ev->n_measures++] = tok;
        }
        return 0;
}

struct row_text {
        char *f[C_N];
};

static void row_free(struct row_text *r)
{
        for (int c = 0; c < C_N; c++)
                free(r->f[c]);
}

static int check_row(struct row_text *r, struct store_event *ev, char *why, size_t cap)
{
        ev->la = r->f[C_LA];
        ev->date = r->f[C_DATE];
        ev->kind = r->f[C_KIND];
        ev->title = r->f[C_TITLE];
        ev->note = r->f[C_NOTE];
        if (event_check_la(ev->la, why, cap) || event_check_date(ev->date, why, cap) ||
            event_check_kind(ev->kind, why, cap) || event_check_title(ev->title, why, cap))
                return -1;
        return split_measures(r->f[C_MEASURES], ev, why, cap);
}

int event_import_csv(struct store *s, int64_t import_id, const char *user, const char *path,
                     const char *data, size_t len, json_t *counts, struct buf *summary,
                     struct err *e)
{
        struct csv_reader *rd = csv_open_mem(data, len, path);
        struct csv_record rec;
        long col[C_N];
        long rows = 0, added = 0, updated = 0;
        json_t *seen = json_object(); /* "la|date|kind|title" -> line */
        int rc = csv_read(rd, &rec, e);
        if (rc == 0)
                rc =
                    err_at(e, path, 0,
                           "the file is empty; expected a header la,date,kind,title,measures,note");
        if (rc > 0 && find_columns(&rec, path, col, e))
                rc = -1;
        if (rc > 0)
                csv_set_width(rd, rec.count);
        while (rc > 0 && (rc = csv_read(rd, &rec, e)) > 0) {
                rows++;
                struct row_text r;
                for (int c = 0; c < C_N; c++)
                        r.f[c] = field_text(&rec, col[c]);
                struct store_event ev = {0};
                ev.import_id = import_id;
                ev.user = user;
                char why[512];
                if (check_row(&r, &ev, why, sizeof why)) {
                        rc = err_at(e, path, rec.line, "%s", why);
                        row_free(&r);
                        break;
                }
                char *key = NULL;
                if (asprintf(&key, "%s|%s|%s|%s", ev.la, ev.date, ev.kind, ev.title) < 0)
                        key = xstrdup("?");
                json_t *first = json_object_get(seen, key);
                if (first) {
                        rc = err_at(e, path, rec.line,
                                    "the same event as line %lld (authority, date, kind and "
                                    "title); expected each event once",
                                    (long long)json_integer_value(first));
                        free(key);
                        row_free(&r);
                        break;
                }
                json_object_set_new(seen, key, json_integer(rec.line));
                free(key);
                int created = 0;
                if (store_event_put(s, &ev, NULL, &created, e)) {
                        if (e->code == EXIT_INPUT)
                                err_prefix(e, "%s:%ld", path, rec.line);
                        rc = -1;
                        row_free(&r);
                        break;
                }
                added += created;
                updated += !created;
                row_free(&r);
        }
        csv_free(rd);
        json_decref(seen);
        if (rc < 0)
                return -1;
        if (counts)
                json_object_update_new(
                    counts, json_pack("{s:I, s:I, s:I}", "rows", (json_int_t)rows, "added",
                                      (json_int_t)added, "updated", (json_int_t)updated));
        if (summary)
                buf_printf(summary,
                           "events: %ld rows read; %ld added, %ld already registered "
                           "(note and measures updated)",
                           rows, added, updated);
        return 0;
}
