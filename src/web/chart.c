/*
 * chart.c — the SVG charts of the pages (see chart.h).
 *
 * Coordinates are computed here and written with html_fixed (the bytes of
 * "%.1f", without printf); every piece of
 * text goes through html_text/html_attr, so a measure title or a name with
 * markup in it stays text.  Scales start at zero when every value is
 * non-negative (a line chart of rates that starts elsewhere exaggerates
 * change); otherwise they span the data with a margin.
 */
#include "web/chart.h"

#include "web/html.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

/* The Analysis Function palette's dark blue, orange, and a mid grey. */
static const char *const colours[] = {"#12436D", "#F46A25", "#28A197", "#801650", "#3D3D3D"};
static const char *const dashes[] = {"", "6 3", "2 3", "8 3 2 3", "1 2"};

/* One attribute name="value" with a formatted value (names are our own literals). */
static void attr(struct html *h, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void attr(struct html *h, const char *name, const char *fmt, ...)
{
        char v[96];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(v, sizeof v, fmt, ap);
        va_end(ap);
        html_lit(h, " ");
        html_attr(h, name);
        html_lit(h, "=\"");
        html_attr(h, v);
        html_lit(h, "\"");
}

/* A coordinate attribute name="x.y" (the name a literal; digits need no escaping). */
#define attr1(h, name, v)                                                                          \
        do {                                                                                       \
                html_lit((h), " " name "=\"");                                                     \
                html_fixed((h), (v), 1);                                                           \
                html_lit((h), "\"");                                                               \
        } while (0)

/* One point "x,y" of a polyline's points. */
static void point(struct html *h, double x, double y)
{
        html_fixed(h, x, 1);
        html_lit(h, ",");
        html_fixed(h, y, 1);
}

static void range(const double *y, const int *has, size_t n, double *lo, double *hi)
{
        *lo = INFINITY;
        *hi = -INFINITY;
        for (size_t i = 0; i < n; i++)
                if (has[i] && isfinite(y[i])) {
                        if (y[i] < *lo)
                                *lo = y[i];
                        if (y[i] > *hi)
                                *hi = y[i];
                }
}

void chart_sparkline(struct html *h, const double *y, const int *has, size_t n, const char *label)
{
        const double w = 96, ht = 24, pad = 3;
        double lo, hi;
        range(y, has, n, &lo, &hi);
        html_lit(h, "<svg class=\"app-sparkline\" width=\"96\" height=\"24\" viewBox=\"0 0 96 24\" "
                    "role=\"img\" aria-label=\"");
        html_attr(h, label);
        html_lit(h, "\">");
        if (!isfinite(lo) || n == 0) {
                html_lit(h, "</svg>");
                return;
        }
        if (lo > 0 && lo < hi)
                lo = lo - (hi - lo) * 0.25; /* small multiples: show the shape, not the zero */
        if (hi <= lo)
                hi = lo + 1;
        double dx = n > 1 ? (w - 2 * pad) / (double)(n - 1) : 0;
        int open = 0;
        double lx = 0, ly = 0;
        for (size_t i = 0; i < n; i++) {
                if (!has[i] || !isfinite(y[i])) {
                        if (open)
                                html_lit(h, "\"/>");
                        open = 0;
                        continue;
                }
                double px = pad + dx * (double)i;
                double py = ht - pad - (y[i] - lo) / (hi - lo) * (ht - 2 * pad);
                if (!open) {
                        html_lit(h,
                                 "<polyline fill=\"none\" stroke=\"#12436D\" stroke-width=\"1.5\" "
                                 "points=\"");
                        open = 1;
                } else {
                        html_lit(h, " ");
                }
                point(h, px, py);
                lx = px;
                ly = py;
        }
        if (open)
                html_lit(h, "\"/>");
        html_lit(h, "<circle r=\"2.5\" fill=\"#12436D\" ");
        attr1(h, "cx", lx);
        attr1(h, "cy", ly);
        html_lit(h, "/></svg>");
}

static void svg_open(struct html *h, const char *id, const char *title, const char *desc, int w,
                     int ht)
{
        html_lit(h, "<svg class=\"app-chart\" role=\"img\" ");
        attr(h, "width", "%d", w);
        attr(h, "height", "%d", ht);
        attr(h, "viewBox", "0 0 %d %d", w, ht);
        html_lit(h, " aria-labelledby=\"");
        html_attr(h, id);
        html_lit(h, "-title ");
        html_attr(h, id);
        html_lit(h, "-desc\"><title id=\"");
        html_attr(h, id);
        html_lit(h, "-title\">");
        html_text(h, title);
        html_lit(h, "</title><desc id=\"");
        html_attr(h, id);
        html_lit(h, "-desc\">");
        html_text(h, desc);
        html_lit(h, "</desc>\n");
}

static void nice_axis(double *lo, double *hi)
{
        if (*lo >= 0)
                *lo = 0;
        if (*hi <= *lo)
                *hi = *lo + 1;
        double span = *hi - *lo;
        double step = pow(10, floor(log10(span)));
        *hi = ceil(*hi / step) * step;
        if (*lo < 0)
                *lo = floor(*lo / step) * step;
}

static void y_ticks(struct html *h, double lo, double hi, double top, double bottom, double left,
                    double right)
{
        for (int t = 0; t <= 4; t++) {
                double v = lo + (hi - lo) * t / 4.0;
                double py = bottom - (bottom - top) * t / 4.0;
                html_lit(h, "<line stroke=\"#b1b4b6\" stroke-width=\"1\" ");
                attr1(h, "x1", left);
                attr1(h, "x2", right);
                attr1(h, "y1", py);
                attr1(h, "y2", py);
                html_lit(h, "/><text font-size=\"12\" text-anchor=\"end\" fill=\"#0b0c0c\" ");
                attr1(h, "x", left - 6);
                attr1(h, "y", py + 4);
                html_lit(h, ">");
                html_textf(h, "%g", fabs(v) < 1e-9 ? 0.0 : v);
                html_lit(h, "</text>\n");
        }
}

void chart_lines(struct html *h, const char *id, const char *title, const char *desc,
                 const struct chart_series *series, size_t nseries, const char *const *x, size_t n)
{
        const int w = 640, ht = 300;
        const double left = 56, right = 500, top = 16, bottom = 260;
        double lo = INFINITY, hi = -INFINITY;
        for (size_t s = 0; s < nseries; s++) {
                double a, b;
                range(series[s].y, series[s].has, n, &a, &b);
                lo = fmin(lo, a);
                hi = fmax(hi, b);
        }
        svg_open(h, id, title, desc, w, ht);
        if (!isfinite(lo)) {
                html_lit(h, "<text x=\"20\" y=\"40\" font-size=\"14\">No values to draw</text>"
                            "</svg>\n");
                return;
        }
        nice_axis(&lo, &hi);
        y_ticks(h, lo, hi, top, bottom, left, right);
        double dx = n > 1 ? (right - left - 20) / (double)(n - 1) : 0;
        for (size_t i = 0; i < n; i++) {
                html_lit(h, "<text font-size=\"12\" text-anchor=\"middle\" fill=\"#0b0c0c\" ");
                attr1(h, "x", left + 10 + dx * (double)i);
                attr1(h, "y", bottom + 18);
                html_lit(h, ">");
                html_text(h, x[i]);
                html_lit(h, "</text>\n");
        }
        double last_label_y[8] = {0};
        for (size_t s = 0; s < nseries && s < 5; s++) {
                const char *colour = colours[s];
                int open = 0;
                double lx = NAN, ly = NAN;
                for (size_t i = 0; i < n; i++) {
                        if (!series[s].has[i] || !isfinite(series[s].y[i])) {
                                if (open)
                                        html_lit(h, "\"/>\n");
                                open = 0;
                                continue;
                        }
                        double px = left + 10 + dx * (double)i;
                        double py = bottom - (series[s].y[i] - lo) / (hi - lo) * (bottom - top);
                        if (!open) {
                                html_lit(h, "<polyline fill=\"none\" ");
                                attr(h, "stroke", "%s", colour);
                                attr(h, "stroke-width", "%s", s == 0 ? "3" : "2");
                                if (*dashes[s]) {
                                        html_lit(h, " stroke-dasharray=\"");
                                        html_attr(h, dashes[s]);
                                        html_lit(h, "\"");
                                }
                                html_lit(h, " points=\"");
                                open = 1;
                        } else {
                                html_lit(h, " ");
                        }
                        point(h, px, py);
                        lx = px;
                        ly = py;
                }
                if (open)
                        html_lit(h, "\"/>\n");
                if (isfinite(lx)) {
                        html_lit(h, "<circle r=\"3\" ");
                        attr1(h, "cx", lx);
                        attr1(h, "cy", ly);
                        attr(h, "fill", "%s", colour);
                        html_lit(h, "/>");
                        /* Direct label, nudged so that labels of close lines do not overlap. */
                        double y = ly + 4;
                        for (size_t k = 0; k < s; k++)
                                if (fabs(last_label_y[k] - y) < 14)
                                        y = last_label_y[k] + 14;
                        last_label_y[s] = y;
                        html_lit(h, "<text font-size=\"13\" ");
                        attr1(h, "x", right + 8);
                        attr1(h, "y", y);
                        attr(h, "fill", "%s", colour);
                        html_lit(h, ">");
                        html_text(h, series[s].name);
                        html_lit(h, "</text>\n");
                }
        }
        html_lit(h, "</svg>\n");
}

void chart_strip(struct html *h, const char *id, const char *title, const char *desc,
                 const double *values, size_t n, size_t mine, const char *mine_label)
{
        const int w = 640, ht = 110;
        const double left = 20, right = 620, axis = 60;
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < n; i++)
                if (isfinite(values[i])) {
                        lo = fmin(lo, values[i]);
                        hi = fmax(hi, values[i]);
                }
        svg_open(h, id, title, desc, w, ht);
        if (!isfinite(lo)) {
                html_lit(h, "<text x=\"20\" y=\"40\" font-size=\"14\">No values to draw</text>"
                            "</svg>\n");
                return;
        }
        if (hi <= lo)
                hi = lo + 1;
        html_lit(h, "<line stroke=\"#0b0c0c\" ");
        attr1(h, "x1", left);
        attr1(h, "x2", right);
        attr1(h, "y1", axis);
        attr1(h, "y2", axis);
        html_lit(h, "/>\n");
        for (size_t i = 0; i < n; i++) {
                if (!isfinite(values[i]) || i == mine)
                        continue;
                double px = left + (values[i] - lo) / (hi - lo) * (right - left);
                html_lit(h, "<line stroke=\"#505a5f\" stroke-width=\"1.5\" ");
                attr1(h, "x1", px);
                attr1(h, "x2", px);
                attr1(h, "y1", axis - 10);
                attr1(h, "y2", axis + 10);
                html_lit(h, "/>");
        }
        html_lit(h, "\n");
        const double ends[2] = {lo, hi};
        for (int k = 0; k < 2; k++) {
                html_lit(h, "<text font-size=\"12\" fill=\"#0b0c0c\" ");
                attr1(h, "x", k ? right : left);
                attr1(h, "y", axis + 28);
                attr(h, "text-anchor", "%s", k ? "end" : "start");
                html_lit(h, ">");
                html_textf(h, "%s %g", k ? "highest" : "lowest", ends[k]);
                html_lit(h, "</text>\n");
        }
        if (mine < n && isfinite(values[mine])) {
                double px = left + (values[mine] - lo) / (hi - lo) * (right - left);
                html_lit(h, "<path fill=\"#F46A25\" stroke=\"#0b0c0c\" ");
                html_lit(h, " d=\"M");
                html_fixed(h, px, 1);
                html_lit(h, " ");
                html_fixed(h, axis - 8, 1);
                html_lit(h, "l8 8 -8 8 -8 -8z\"");
                html_lit(h, "/><text font-size=\"13\" font-weight=\"bold\" fill=\"#0b0c0c\" ");
                attr1(h, "x", px);
                attr1(h, "y", axis - 16);
                attr(h, "text-anchor", "%s",
                     px < left + 80    ? "start"
                     : px > right - 80 ? "end"
                                       : "middle");
                html_lit(h, ">");
                html_text(h, mine_label);
                html_lit(h, "</text>\n");
        }
        html_lit(h, "</svg>\n");
}
