/*
 * chart.h — small SVG charts written into a page by the escaping HTML
 * writer: a sparkline for the scorecard, a line chart of yearly values
 * against benchmarks, and a strip of every authority's value.
 *
 * Each chart is an <svg role="img"> with <title> and <desc> (aria-labelledby
 * both), lines told apart by dash pattern and direct labels as well as
 * colour, so that nothing depends on colour alone.  The caller puts the data
 * table (in a <details>) and the CSV link under it.
 */
#ifndef IMPROVE_WEB_CHART_H
#define IMPROVE_WEB_CHART_H

#include <stddef.h>

struct html;

/* A tiny trend line of n values (has[i] 0: a gap), with `label` as its accessible name. */
void chart_sparkline(struct html *h, const double *y, const int *has, size_t n, const char *label);

struct chart_series {
        const char *name; /* direct label at the line's last point */
        const double *y;
        const int *has;
};

/*
 * Lines over the same n x labels (years); series[0] is drawn solid and
 * heavier (the authority), the others dashed.  `id` makes the title and
 * description ids unique on the page.
 */
void chart_lines(struct html *h, const char *id, const char *title, const char *desc,
                 const struct chart_series *series, size_t nseries, const char *const *x, size_t n);

/*
 * Every authority's value as a tick on one axis, the authority's own as a
 * labelled diamond (`mine` index into values, or (size_t)-1 when it has none).
 */
void chart_strip(struct html *h, const char *id, const char *title, const char *desc,
                 const double *values, size_t n, size_t mine, const char *mine_label);

#endif
