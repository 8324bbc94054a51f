/*
 * impact_svg.c — the picture of `improve impact --format svg` (see impact.h).
 *
 * Top panel: the observed series and each method's counterfactual (the
 * time-series line, the synthetic control, the difference-in-differences
 * path), with a vertical line at the change.  Lines differ by dash pattern as
 * well as colour and are labelled in words at their right-hand ends, so
 * colour never carries meaning alone.  Bottom panel, when synthetic control
 * ran with placebos: the treated unit's gap against the placebo units' gaps
 * in grey — the picture behind the placebo p-value.  The <desc> is the
 * verdict, so a screen reader gets the message.  Layout is fixed (a viewBox
 * that scales) and the output deterministic, for golden tests.
 */
#include "cmd/impact.h"
#include "core/buf.h"
#include "stats/spc_svg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DARK_BLUE "#12436D"
#define TURQUOISE "#28A197"
#define DARK_PINK "#801650"
#define ORANGE    "#F46A25"
#define DARK_GREY "#3D3D3D"
#define GRID      "#D9D9D9"
#define PLACEBO   "#BFBFBF"

#define WIDTH      880.0
#define LEFT       64.0
#define RIGHT      (WIDTH - 190.0) /* room for the direct labels */
#define TOP1       70.0
#define BOTTOM1    330.0
#define TOP2       420.0
#define BOTTOM2    620.0
#define LABEL_GAP  14.0
#define MAX_LABELS 8

struct panel_frame {
        size_t n;
        double lo, hi;
        double top, bottom;
};

static double nice_step(double range)
{
        double raw = range / 5;
        double mag = pow(10, floor(log10(raw)));
        double f = raw / mag;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
}

static void fit(struct panel_frame *f, double lo, double hi)
{
        if (!(lo <= hi)) {
                lo = 0;
                hi = 1;
        }
        if (hi - lo < 1e-12) {
                double pad = fabs(lo) > 0 ? fabs(lo) * 0.1 : 1;
                lo -= pad;
                hi += pad;
        }
        double step = nice_step(hi - lo);
        f->lo = floor(lo / step) * step;
        f->hi = ceil(hi / step) * step;
        if (f->hi - f->lo < 1e-12)
                f->hi = f->lo + step;
}

static void extend(double *lo, double *hi, const double *v, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                if (!isfinite(v[i]))
                        continue;
                *lo = fmin(*lo, v[i]);
                *hi = fmax(*hi, v[i]);
        }
}

static double px(const struct panel_frame *f, double i)
{
        if (f->n <= 1)
                return (LEFT + RIGHT) / 2;
        return LEFT + (RIGHT - LEFT) * i / (double)(f->n - 1);
}

static double py(const struct panel_frame *f, double v)
{
        return f->bottom - (f->bottom - f->top) * (v - f->lo) / (f->hi - f->lo);
}

static const char *short_num(char *tmp, size_t cap, double v)
{
        if (fabs(v) >= 1000)
                snprintf(tmp, cap, "%.0f", v);
        else
                snprintf(tmp, cap, "%.4g", v == 0 ? 0.0 : v);
        return tmp;
}

static void axes(struct buf *out, const struct panel_frame *f, char *const *labels)
{
        char tmp[32];
        double step = nice_step(f->hi - f->lo);
        buf_puts(out, "<g aria-hidden=\"true\">\n");
        for (double v = f->lo; v <= f->hi + step / 1000; v += step) {
                double y = py(f, v);
                buf_printf(out,
                           "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" GRID
                           "\"/>\n",
                           LEFT, y, RIGHT, y);
                buf_printf(out,
                           "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"" DARK_GREY
                           "\">%s</text>\n",
                           LEFT - 6, y + 4,
                           short_num(tmp, sizeof tmp, fabs(v) < step / 1e6 ? 0 : v));
        }
        buf_printf(out,
                   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" DARK_GREY
                   "\"/>\n",
                   LEFT, f->bottom, RIGHT, f->bottom);
        size_t every = (f->n + MAX_LABELS - 1) / MAX_LABELS;
        every = every ? every : 1;
        for (size_t i = 0; i < f->n; i++) {
                if (i != f->n - 1 && (i % every != 0 || f->n - 1 - i < every))
                        continue;
                buf_printf(out,
                           "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"" DARK_GREY
                           "\">",
                           px(f, (double)i), f->bottom + 18);
                spc_svg_escape(out, labels[i]);
                buf_puts(out, "</text>\n");
        }
        buf_puts(out, "</g>\n");
}

/* A polyline broken at missing values; `dash` NULL for solid. */
static void series(struct buf *out, const struct panel_frame *f, const double *y,
                   const char *colour, double width, const char *dash)
{
        int open = 0;
        buf_printf(out, "<g aria-hidden=\"true\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"",
                   colour, width);
        if (dash)
                buf_printf(out, " stroke-dasharray=\"%s\"", dash);
        buf_puts(out, ">\n");
        for (size_t i = 0; i < f->n; i++) {
                if (!isfinite(y[i])) {
                        if (open)
                                buf_puts(out, "\"/>\n");
                        open = 0;
                        continue;
                }
                buf_printf(out, "%s%.1f,%.1f", open ? " " : "<polyline points=\"", px(f, (double)i),
                           py(f, y[i]));
                open = 1;
        }
        if (open)
                buf_puts(out, "\"/>\n");
        buf_puts(out, "</g>\n");
}

static void change_line(struct buf *out, const struct panel_frame *f, const struct impact_report *r)
{
        if (r->first_post == 0 || r->first_post >= r->nperiods)
                return;
        double x = px(f, (double)r->first_post - 0.5);
        buf_printf(out,
                   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" DARK_BLUE
                   "\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\" aria-hidden=\"true\"/>\n",
                   x, f->top - 8, x, f->bottom);
        buf_printf(
            out,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"" DARK_BLUE "\">change: ", x,
            f->top - 12);
        spc_svg_escape(out, r->start);
        buf_puts(out, "</text>\n");
}

struct label {
        double y;
        const char *colour;
        const char *text;
};

static int by_y(const void *a, const void *b)
{
        double x = ((const struct label *)a)->y, y = ((const struct label *)b)->y;
        return (x > y) - (x < y);
}

/* Labels at the right-hand end, pushed apart so that they never overlap. */
static void direct_labels(struct buf *out, struct label *l, size_t n)
{
        qsort(l, n, sizeof *l, by_y);
        for (size_t i = 1; i < n; i++)
                if (l[i].y - l[i - 1].y < LABEL_GAP)
                        l[i].y = l[i - 1].y + LABEL_GAP;
        for (size_t i = 0; i < n; i++) {
                buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">", RIGHT + 8, l[i].y + 4,
                           l[i].colour);
                spc_svg_escape(out, l[i].text);
                buf_puts(out, "</text>\n");
        }
}

static double last_value(const double *y, size_t n)
{
        for (size_t i = n; i-- > 0;)
                if (isfinite(y[i]))
                        return y[i];
        return NAN;
}

void impact_svg(struct buf *out, const struct impact_report *r)
{
        static const char *const colour[] = {ORANGE, TURQUOISE, DARK_PINK};
        static const char *const dash[] = {"8 4", "3 3", "10 3 2 3"};
        static const char *const name[] = {"time series line", "synthetic control",
                                           "DiD counterfactual"};
        size_t n = r->nperiods;
        int gaps = r->nplacebo > 0 && r->sc_gap;
        double height = gaps ? BOTTOM2 + 60 : BOTTOM1 + 60;
        char title[512];
        char change[300];
        if (r->change)
                snprintf(change, sizeof change, "%s", r->change);
        else
                snprintf(change, sizeof change, "the change at %s", r->start);
        if (r->treated)
                snprintf(title, sizeof title, "Impact of %s: %s in %s", change, r->outcome,
                         r->treated);
        else
                snprintf(title, sizeof title, "Impact of %s: %s", change, r->outcome);
        buf_printf(out,
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
                   "width=\"%.0f\" height=\"%.0f\" role=\"img\" "
                   "aria-labelledby=\"impact-title impact-desc\" "
                   "font-family=\"Arial, Helvetica, sans-serif\" font-size=\"12\">\n",
                   WIDTH, height, WIDTH, height);
        buf_puts(out, "<title id=\"impact-title\">");
        spc_svg_escape(out, title);
        buf_puts(out, "</title>\n<desc id=\"impact-desc\">");
        struct buf v;
        buf_init(&v);
        impact_verdict(&v, r);
        if (gaps) {
                /* Built first and escaped whole: the unit's name comes from the input. */
                buf_printf(&v,
                           " The lower panel shows the gap between %s and its synthetic "
                           "control, with the gaps of %zu placebo units in grey.",
                           r->treated ? r->treated : "the series", r->nplacebo);
        }
        spc_svg_escape(out, v.data);
        buf_release(&v);
        buf_puts(out, "</desc>\n");
        buf_printf(out, "<rect width=\"%.0f\" height=\"%.0f\" fill=\"#FFFFFF\"/>\n", WIDTH, height);
        buf_printf(
            out,
            "<text x=\"%.0f\" y=\"24\" font-size=\"16\" font-weight=\"bold\" fill=\"" DARK_GREY
            "\">",
            LEFT);
        spc_svg_escape(out, title);
        buf_puts(out, "</text>\n");

        struct panel_frame f = {n, 0, 0, TOP1, BOTTOM1};
        double lo = HUGE_VAL, hi = -HUGE_VAL;
        extend(&lo, &hi, r->observed, n);
        for (int i = 0; i < IMPACT_NMETHODS; i++)
                if (r->m[i].requested && r->m[i].ran)
                        extend(&lo, &hi, r->m[i].counterfactual, n);
        fit(&f, lo, hi);
        axes(out, &f, r->labels);
        change_line(out, &f, r);
        struct label labels[IMPACT_NMETHODS + 1];
        size_t nl = 0;
        for (int i = 0; i < IMPACT_NMETHODS; i++) {
                const struct impact_method *m = &r->m[i];
                if (!m->requested || !m->ran)
                        continue;
                series(out, &f, m->counterfactual, colour[i], 2, dash[i]);
                double last = last_value(m->counterfactual, n);
                if (isfinite(last))
                        labels[nl++] = (struct label){py(&f, last), colour[i], name[i]};
        }
        series(out, &f, r->observed, DARK_GREY, 2.5, NULL);
        double last = last_value(r->observed, n);
        if (isfinite(last))
                labels[nl++] = (struct label){py(&f, last), DARK_GREY, "observed"};
        direct_labels(out, labels, nl);

        if (gaps) {
                struct panel_frame g = {n, 0, 0, TOP2, BOTTOM2};
                lo = 0;
                hi = 0;
                extend(&lo, &hi, r->sc_gap, n);
                extend(&lo, &hi, r->placebo_gap, r->nplacebo * n);
                fit(&g, lo, hi);
                buf_printf(out,
                           "<text x=\"%.0f\" y=\"%.0f\" font-weight=\"bold\" fill=\"" DARK_GREY
                           "\">Gap between observed and synthetic control; placebo units in "
                           "grey</text>\n",
                           LEFT, TOP2 - 30);
                axes(out, &g, r->labels);
                for (size_t k = 0; k < r->nplacebo; k++)
                        series(out, &g, r->placebo_gap + k * n, PLACEBO, 1, NULL);
                buf_printf(
                    out,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" DARK_GREY
                    "\" aria-hidden=\"true\"/>\n",
                    LEFT, py(&g, 0), RIGHT, py(&g, 0));
                change_line(out, &g, r);
                series(out, &g, r->sc_gap, DARK_BLUE, 2.5, NULL);
                struct label gl[2];
                size_t ng = 0;
                double lg = last_value(r->sc_gap, n);
                if (isfinite(lg))
                        gl[ng++] = (struct label){py(&g, lg), DARK_BLUE,
                                                  r->treated ? r->treated : "treated"};
                gl[ng++] = (struct label){py(&g, 0) + LABEL_GAP, "#6F6F6F", "placebos (grey)"};
                direct_labels(out, gl, ng);
        }
        buf_puts(out, "</svg>\n");
}
