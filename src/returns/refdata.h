/*
 * refdata.h — reference data some validation rules need: the ONS postcode
 * directory (with an optional LTLA→UTLA lookup), Ofsted's providers list and
 * the list of authorities.  Each is read from CSV once, held in its own arena
 * and looked up by key; a rule that needs one that was not given is skipped by
 * the runner (rules.h), never called with NULL.
 *
 * Columns are matched by name, ignoring ASCII case and order; other columns
 * are ignored.  Keys are normalised the way the rules compare them: postcodes
 * upper-cased with spaces removed, URNs and codes trimmed and upper-cased.
 */
#ifndef IMPROVE_REFDATA_H
#define IMPROVE_REFDATA_H

#include "core/date.h"

#include <stddef.h>
#include <stdint.h>

struct err;

/* ---------------------------------------------------------------- postcodes */

struct refdata_postcode {
        const char *pcd;  /* normalised: "AB12CD" */
        const char *ltla; /* `oslaua`/`laua`: district code as in the file, NULL if blank */
        const char *la;   /* upper-tier code (ltla mapped by the LTLA→UTLA lookup), or NULL */
        int32_t east, north;
        int has_grid; /* east/north present */
};

struct refdata_postcodes;

/*
 * Read an ONS Postcode Directory CSV (columns pcd, oslaua or laua, oseast1m,
 * osnrth1m) and, when `ltla_utla_path` is not NULL, an LTLA→UTLA lookup
 * (columns LTLAxxCD, UTLAxxCD; codes not listed map to themselves).
 */
struct refdata_postcodes *refdata_postcodes_load(const char *path, const char *ltla_utla_path,
                                                 struct err *e);
/* The same from buffers (tests, fuzzing); lookup may be NULL. */
struct refdata_postcodes *refdata_postcodes_mem(const char *name, const char *data, size_t len,
                                                const char *lk_name, const char *lookup,
                                                size_t lookup_len, struct err *e);
void refdata_postcodes_free(struct refdata_postcodes *p);
/* Look a postcode up in any spacing or case; NULL if unknown or blank. */
const struct refdata_postcode *refdata_postcode_find(const struct refdata_postcodes *p,
                                                     const char *postcode);
/* Normalise a postcode into out (upper-case, no spaces); returns its length. */
size_t refdata_postcode_norm(const char *postcode, char *out, size_t outsz);

/* ---------------------------------------------------------------- providers (Ofsted) */

struct refdata_provider {
        const char *urn;             /* upper-cased */
        date_t registered;           /* Registration Date, DATE_NONE if blank */
        date_t deregistered;         /* Deregistration Date, DATE_NONE if still open */
        const char *placement_codes; /* Placement Code, "/"-separated, upper-cased, or NULL */
        const char *provider_codes;  /* Placement Provider Code, "/"-separated, or NULL */
        const char *postcode;        /* Setting Address Postcode, normalised, or NULL */
};

struct refdata_providers;

/* Columns URN, Registration Date, Deregistration Date, Placement Code, Placement Provider
 * Code, Setting Address Postcode (dates dd/mm/YYYY or YYYY-MM-DD). */
struct refdata_providers *refdata_providers_load(const char *path, struct err *e);
struct refdata_providers *refdata_providers_mem(const char *name, const char *data, size_t len,
                                                struct err *e);
void refdata_providers_free(struct refdata_providers *p);
const struct refdata_provider *refdata_provider_find(const struct refdata_providers *p,
                                                     const char *urn);
/* 1 if `code` is one of the "/"-separated codes in `list` (case-insensitive). */
int refdata_code_in_list(const char *list, const char *code);

/* ---------------------------------------------------------------- authorities */

struct refdata_authority {
        const char *old_code; /* 3-digit DfE number: "201" */
        const char *new_code; /* ONS code: "E09000001" */
        const char *name;
};

struct refdata_authorities {
        size_t n;
        struct refdata_authority *v;
        void *priv;
};

/*
 * Read authorities.csv from `improve synth` or la_lookup_with_codes_regions_sn2025.csv:
 * columns old_la_code (or la_code), new_la_code (or code), la_name (or name).
 */
struct refdata_authorities *refdata_authorities_load(const char *path, struct err *e);
struct refdata_authorities *refdata_authorities_mem(const char *name, const char *data, size_t len,
                                                    struct err *e);
/* Build from a caller's list (e.g. the store's authorities); strings are copied. */
struct refdata_authorities *refdata_authorities_from(const struct refdata_authority *v, size_t n);
void refdata_authorities_free(struct refdata_authorities *a);
/* By either code (3-digit or E-code), case-insensitive; NULL if unknown. */
const struct refdata_authority *refdata_authority_find(const struct refdata_authorities *a,
                                                       const char *code);

#endif
