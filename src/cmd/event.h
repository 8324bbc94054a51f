/*
 * event.h — the change register's shared pieces for the commands: checking
 * an event's fields the same way for `improve event add` and for a file, and
 * reading the file `improve synth` writes (events.csv) for `improve import
 * events`.  import.c calls event_import_csv from its table of kinds.
 */
#ifndef IMPROVE_CMD_EVENT_H
#define IMPROVE_CMD_EVENT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct err;
struct store;
struct store_event;

/*
 * Check one field of an event; 0 if good, else -1 with `why` holding "what
 * was wrong, what was expected" (no file or flag name: the caller adds it).
 */
int event_check_la(const char *la, char *why, size_t cap);
int event_check_date(const char *date, char *why, size_t cap);
int event_check_kind(const char *kind, char *why, size_t cap);
int event_check_title(const char *title, char *why, size_t cap);
int event_check_measure(const char *id, char *why, size_t cap);

/*
 * Read events from a CSV file held in memory (header naming la, date, kind,
 * title and optionally measures, note; `measures` is `;`-separated) and put
 * each into the store inside the caller's transaction.  Malformed rows,
 * unknown authorities or measures and an event given twice are EXIT_INPUT
 * errors "FILE:LINE: what, expected".  `counts` (a jansson object, may be
 * NULL) receives rows, added, updated; `summary` (may be NULL) one line.
 */
int event_import_csv(struct store *s, int64_t import_id, const char *user, const char *path,
                     const char *data, size_t len, json_t *counts, struct buf *summary,
                     struct err *e);

#endif
