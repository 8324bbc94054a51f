/*
 * forecast_output.h — the four ways `improve forecast` writes a forecast:
 * a text report, CSV (`month,state,projected,lower,upper`), JSON and an
 * accessible SVG chart of the total with its interval.
 */
#ifndef IMPROVE_CMD_FORECAST_OUTPUT_H
#define IMPROVE_CMD_FORECAST_OUTPUT_H

#include "stats/forecast.h"

#include <stddef.h>

struct buf;
struct err;
struct store;

/*
 * An authority's stored SSDA903 returns (Header and Episodes of every year,
 * oldest first) into eps, finished; *nyears gets the number of returns
 * (0: none, and eps is left unfinished).  In forecast.c.
 */
int forecast_store_episodes(struct store *s, const char *la, struct forecast_episodes *eps,
                            size_t *nyears, struct err *e);

enum forecast_format {
        FORECAST_FORMAT_TEXT,
        FORECAST_FORMAT_CSV,
        FORECAST_FORMAT_JSON,
        FORECAST_FORMAT_SVG,
};

/* "text", "csv", "json", "svg"; -1 for anything else. */
int forecast_format_parse(const char *s, enum forecast_format *f);

/* Everything the writers need; nothing here is owned. */
struct forecast_report {
        const char *la, *la_name;
        struct forecast_states st;
        const struct forecast_episodes *eps;
        const struct forecast_estimate *est;
        const struct forecast_result *res;
        enum forecast_bootstrap boot;
        size_t years;    /* SSDA903 returns read */
        size_t in_care;  /* children in care on the start day, in a state or not */
        size_t unplaced; /* of those, in no state (no date of birth, 18 or over) */
};

int forecast_output(struct buf *out, enum forecast_format f, const struct forecast_report *r,
                    struct err *e);

#endif
