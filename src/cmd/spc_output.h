/*
 * spc_output.h — the four ways `improve spc` writes a chart: a text table
 * with a summary, CSV (one row per point, nothing else), JSON (points,
 * groups or parts, summary) and SVG.  Shared by the command and, later, by
 * the store-backed callers that draw a measure's chart.
 */
#ifndef IMPROVE_SPC_OUTPUT_H
#define IMPROVE_SPC_OUTPUT_H

#include <stddef.h>

struct buf;
struct spc_chart;
struct runchart;

enum spc_format {
        SPC_FORMAT_TEXT,
        SPC_FORMAT_CSV,
        SPC_FORMAT_JSON,
        SPC_FORMAT_SVG,
};

/* What was charted: a name for titles, and the series itself. */
struct spc_source {
        const char *name;
        const char *const *periods;
        const double *y;
        size_t n;
};

/* "text", "csv", "json", "svg"; -1 for anything else. */
int spc_format_parse(const char *s, enum spc_format *f);

void spc_output_xmr(struct buf *out, enum spc_format f, const struct spc_source *src,
                    const struct spc_chart *c);
void spc_output_run(struct buf *out, enum spc_format f, const struct spc_source *src,
                    const struct runchart *rc);

/* A number as written in CSV and text: up to 15 significant digits, "" for NaN, no "-0". */
const char *spc_number(char *tmp, size_t cap, double v);

#endif
