/*
 * spc_svg.h — accessible SVG pictures of XmR and run charts.
 *
 * The picture is a standalone <svg role="img"> with a <title> and a <desc>
 * that says in words what the chart shows (so a screen reader gets the
 * message, not just "image"), direct labels on the lines instead of a
 * colour key, and special-cause points told apart by marker shape as well
 * as colour (Analysis Function palette).  Every piece of caller text (title,
 * period labels, warnings) goes through spc_svg_escape().
 */
#ifndef IMPROVE_SPC_SVG_H
#define IMPROVE_SPC_SVG_H

#include <stddef.h>

struct buf;
struct spc_chart;
struct runchart;

/* Append an XmR chart; `periods` (n labels) names the points on the x axis. */
void spc_svg_xmr(struct buf *out, const struct spc_chart *c, const char *const *periods,
                 const char *title);

/* Append a run chart of y[0..rc->n). */
void spc_svg_run(struct buf *out, const struct runchart *rc, const double *y,
                 const char *const *periods, const char *title);

/*
 * Append `s` escaped for XML text and attribute values: & < > " ' become
 * entities, control characters XML 1.0 forbids and bytes that are not valid
 * UTF-8 become U+FFFD, so the output is always well-formed.
 */
void spc_svg_escape(struct buf *out, const char *s);

#endif
