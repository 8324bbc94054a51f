/*
 * schema_sqlite.c — the SQLite schema migrations (see schema.h).
 *
 * Every table is STRICT (SQLite checks column types) and child-level tables
 * will carry the authority code so that several authorities can share one
 * store.  The audit log refuses UPDATE and DELETE through triggers, so even a
 * bug in the program cannot rewrite history.
 */
#include "store/schema.h"

const struct store_migration store_sqlite_migrations[] = {
    {1, "core tables: authorities, neighbours, imports, audit log",
     "CREATE TABLE authorities (\n"
     "  code TEXT PRIMARY KEY CHECK (length(code) = 3 AND code GLOB '[0-9][0-9][0-9]'),\n"
     "  ecode TEXT NOT NULL DEFAULT '' CHECK (ecode = '' OR length(ecode) = 9),\n"
     "  name TEXT NOT NULL,\n"
     "  region_code TEXT NOT NULL DEFAULT '',\n"
     "  region_name TEXT NOT NULL DEFAULT ''\n"
     ") STRICT;\n"
     "CREATE TABLE authority_neighbours (\n"
     "  code TEXT NOT NULL REFERENCES authorities(code) ON DELETE CASCADE,\n"
     "  rank INTEGER NOT NULL CHECK (rank BETWEEN 1 AND 10),\n"
     "  neighbour TEXT NOT NULL CHECK (length(neighbour) = 3),\n"
     "  PRIMARY KEY (code, rank)\n"
     ") STRICT;\n"
     "CREATE TABLE imports (\n"
     "  id INTEGER PRIMARY KEY,\n"
     "  kind TEXT NOT NULL,\n"
     "  la TEXT,\n"
     "  year INTEGER,\n"
     "  user TEXT NOT NULL,\n"
     "  started_at TEXT NOT NULL,\n"
     "  finished_at TEXT,\n"
     "  status TEXT NOT NULL DEFAULT 'running'\n"
     "    CHECK (status IN ('running', 'ok', 'rejected', 'failed')),\n"
     "  counts TEXT NOT NULL DEFAULT '{}'\n"
     ") STRICT;\n"
     "CREATE TABLE import_files (\n"
     "  import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,\n"
     "  name TEXT NOT NULL,\n"
     "  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),\n"
     "  bytes INTEGER NOT NULL,\n"
     "  PRIMARY KEY (import_id, name)\n"
     ") STRICT;\n"
     "CREATE TABLE audit_log (\n"
     "  id INTEGER PRIMARY KEY,\n"
     "  at TEXT NOT NULL,\n"
     "  user TEXT NOT NULL,\n"
     "  action TEXT NOT NULL,\n"
     "  la TEXT,\n"
     "  detail TEXT NOT NULL DEFAULT '',\n"
     "  children TEXT\n"
     ") STRICT;\n"
     "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log\n"
     "  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;\n"
     "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log\n"
     "  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;\n"},
    /* CHECKs spell out OR chains: an IN list of 3+ constants builds a temporary b-tree on
     * every INSERT, which made bulk imports of published values several times slower. */
    {2, "published statistics and populations",
     "CREATE TABLE published_series (\n"
     "  id INTEGER PRIMARY KEY,\n"
     "  source TEXT NOT NULL,\n"
     "  indicator TEXT NOT NULL,\n"
     "  filters TEXT NOT NULL DEFAULT '',\n"
     "  UNIQUE (source, indicator, filters)\n"
     ") STRICT;\n"
     "CREATE TABLE published_values (\n"
     "  series INTEGER NOT NULL REFERENCES published_series(id) ON DELETE CASCADE,\n"
     "  year INTEGER NOT NULL,\n"
     "  level TEXT NOT NULL CHECK (level = 'national' OR level = 'regional' OR level = 'la'),\n"
     "  area TEXT NOT NULL,\n"
     "  time_period TEXT NOT NULL,\n"
     "  period_end TEXT NOT NULL,\n"
     "  new_la_code TEXT,\n"
     "  region_code TEXT,\n"
     "  joint TEXT,\n"
     "  value_text TEXT NOT NULL,\n"
     "  value REAL,\n"
     "  symbol TEXT CHECK (symbol = 'c' OR symbol = 'z' OR symbol = 'k' OR symbol = 'x' OR\n"
     "    symbol = 'u' OR symbol = 'low' OR symbol = ':' OR symbol = ''),\n"
     "  import_id INTEGER REFERENCES imports(id),\n"
     "  CHECK ((value IS NULL) <> (symbol IS NULL)),\n"
     "  PRIMARY KEY (series, year, level, area)\n"
     ") STRICT, WITHOUT ROWID;\n"
     "CREATE TABLE populations (\n"
     "  area TEXT NOT NULL,\n"
     "  year INTEGER NOT NULL,\n"
     "  mid_year INTEGER NOT NULL,\n"
     "  population INTEGER NOT NULL CHECK (population >= 0),\n"
     "  source TEXT NOT NULL,\n"
     "  import_id INTEGER REFERENCES imports(id),\n"
     "  PRIMARY KEY (area, year)\n"
     ") STRICT;\n"},
};

const int store_sqlite_migration_count =
    (int)(sizeof store_sqlite_migrations / sizeof store_sqlite_migrations[0]);
