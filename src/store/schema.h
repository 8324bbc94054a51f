/*
 * schema.h — the SQLite schema as a list of numbered migrations.
 *
 * Migration N turns schema N-1 into schema N.  They are applied in order, each
 * in its own transaction, and recorded in schema_migrations.  Never edit a
 * migration that has shipped: append a new one.  Issues that add rooms
 * (returns, measures, workflows) append their tables here.
 */
#ifndef IMPROVE_STORE_SCHEMA_H
#define IMPROVE_STORE_SCHEMA_H

struct store_migration {
        int version;
        const char *description;
        const char *sql;
};

extern const struct store_migration store_sqlite_migrations[];
extern const int store_sqlite_migration_count;

#endif
