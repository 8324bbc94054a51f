/*
 * spc_svg.c — accessible SVG pictures of XmR and run charts (see spc_svg.h).
 *
 * Colours are the Analysis Function palette; colour never carries meaning on
 * its own: each point type has its own marker shape, every line is labelled
 * in words at its right-hand end, and the <desc> repeats the message of the
 * chart in sentences.  Layout is fixed (a viewBox of 880 × 440 that scales)
 * so that the output is deterministic and golden-testable.
 */
#include "stats/spc_svg.h"
#include "core/buf.h"
#include "core/xalloc.h"
#include "stats/runchart.h"
#include "stats/spc.h"

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

#define WIDTH        880.0
#define HEIGHT       440.0
#define PLOT_LEFT    64.0
#define PLOT_RIGHT   (WIDTH - 180.0) /* room for the direct labels */
#define PLOT_TOP     64.0
#define PLOT_BOTTOM  (HEIGHT - 100.0) /* room for period labels and the legend */
#define MAX_X_LABELS 8
#define LABEL_GAP    14.0

enum shape { CIRCLE, TRIANGLE_UP, TRIANGLE_DOWN, SQUARE, DIAMOND };

struct frame {
        size_t n;
        double lo, hi; /* data range shown */
};

struct label {
        double y;
        const char *colour;
        char text[96];
};

void spc_svg_escape(struct buf *out, const char *s)
{
        const unsigned char *p = (const unsigned char *)s;
        while (*p) {
                unsigned c = *p;
                switch (c) {
                case '&':
                        buf_puts(out, "&amp;");
                        p++;
                        continue;
                case '<':
                        buf_puts(out, "&lt;");
                        p++;
                        continue;
                case '>':
                        buf_puts(out, "&gt;");
                        p++;
                        continue;
                case '"':
                        buf_puts(out, "&quot;");
                        p++;
                        continue;
                case '\'':
                        buf_puts(out, "&apos;");
                        p++;
                        continue;
                default:
                        break;
                }
                if (c < 0x80) {
                        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                                buf_puts(out, "\xEF\xBF\xBD");
                        else
                                buf_putc(out, (char)c);
                        p++;
                        continue;
                }
                /* A multi-byte sequence is copied only when it is well-formed UTF-8
                 * (no overlongs, no surrogates, nothing above U+10FFFF). */
                size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
                int ok = len > 0 && c <= 0xF4;
                for (size_t k = 1; ok && k < len; k++)
                        ok = (p[k] & 0xC0) == 0x80;
                if (ok && len == 3)
                        ok = !(c == 0xE0 && p[1] < 0xA0) && !(c == 0xED && p[1] >= 0xA0);
                if (ok && len == 4)
                        ok = !(c == 0xF0 && p[1] < 0x90) && !(c == 0xF4 && p[1] >= 0x90);
                if (ok) {
                        buf_append(out, p, len);
                        p += len;
                } else {
                        buf_puts(out, "\xEF\xBF\xBD");
                        p++;
                }
        }
}

/* A short number for a label: 4 significant figures, whole numbers from 1000 up. */
static const char *num(char *tmp, size_t cap, double v)
{
        if (isnan(v))
                snprintf(tmp, cap, "none");
        else if (fabs(v) >= 1000)
                snprintf(tmp, cap, "%.0f", v);
        else
                snprintf(tmp, cap, "%.4g", v == 0 ? 0.0 : v); /* no "-0" */
        return tmp;
}

static void extend(double *lo, double *hi, double v)
{
        if (isnan(v))
                return;
        if (v < *lo)
                *lo = v;
        if (v > *hi)
                *hi = v;
}

static double nice_step(double range)
{
        double raw = range / 5;
        double mag = pow(10, floor(log10(raw)));
        double f = raw / mag;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
}

/* Round the range out to whole ticks, with some air when it is flat or empty. */
static void frame_fit(struct frame *f, double lo, double hi)
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

static double px(const struct frame *f, size_t i)
{
        if (f->n <= 1)
                return (PLOT_LEFT + PLOT_RIGHT) / 2;
        return PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * (double)i / (double)(f->n - 1);
}

static double py(const struct frame *f, double v)
{
        return PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * (v - f->lo) / (f->hi - f->lo);
}

static void open_svg(struct buf *out, const char *title)
{
        buf_printf(out,
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
                   "width=\"%.0f\" height=\"%.0f\" role=\"img\" "
                   "aria-labelledby=\"spc-title spc-desc\" "
                   "font-family=\"Arial, Helvetica, sans-serif\" font-size=\"12\">\n",
                   WIDTH, HEIGHT, WIDTH, HEIGHT);
        buf_puts(out, "<title id=\"spc-title\">");
        spc_svg_escape(out, title);
        buf_puts(out, "</title>\n");
}

static void heading(struct buf *out, const char *title, const char *subtitle)
{
        buf_printf(out, "<rect width=\"%.0f\" height=\"%.0f\" fill=\"#FFFFFF\"/>\n", WIDTH, HEIGHT);
        buf_printf(out,
                   "<text x=\"%.0f\" y=\"24\" font-size=\"16\" font-weight=\"bold\" "
                   "fill=\"" DARK_GREY "\">",
                   PLOT_LEFT);
        spc_svg_escape(out, title);
        buf_puts(out, "</text>\n");
        buf_printf(out, "<text x=\"%.0f\" y=\"44\" fill=\"" DARK_GREY "\">", PLOT_LEFT);
        spc_svg_escape(out, subtitle);
        buf_puts(out, "</text>\n");
}

static void axes(struct buf *out, const struct frame *f, const char *const *periods)
{
        char tmp[32];
        double step = nice_step(f->hi - f->lo);
        buf_puts(out, "<g aria-hidden=\"true\">\n");
        for (double v = f->lo; v <= f->hi + step / 1000; v += step) {
                double y = py(f, v);
                buf_printf(out,
                           "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                           "stroke=\"" GRID "\"/>\n",
                           PLOT_LEFT, y, PLOT_RIGHT, y);
                buf_printf(out,
                           "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
                           "fill=\"" DARK_GREY "\">%s</text>\n",
                           PLOT_LEFT - 6, y + 4,
                           num(tmp, sizeof tmp, fabs(v) < step / 1e6 ? 0 : v));
        }
        buf_printf(out,
                   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                   "stroke=\"" DARK_GREY "\"/>\n",
                   PLOT_LEFT, PLOT_BOTTOM, PLOT_RIGHT, PLOT_BOTTOM);
        size_t every = (f->n + MAX_X_LABELS - 1) / MAX_X_LABELS;
        if (every == 0)
                every = 1;
        for (size_t i = 0; i < f->n; i++) {
                /* The last label is always shown; one too close to it is dropped. */
                if (i != f->n - 1 && (i % every != 0 || f->n - 1 - i < every))
                        continue;
                double x = px(f, i);
                buf_printf(out,
                           "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                           "stroke=\"" DARK_GREY "\"/>\n",
                           x, PLOT_BOTTOM, x, PLOT_BOTTOM + 4);
                buf_printf(out,
                           "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                           "fill=\"" DARK_GREY "\">",
                           x, PLOT_BOTTOM + 18);
                spc_svg_escape(out, periods[i]);
                buf_puts(out, "</text>\n");
        }
        buf_puts(out, "</g>\n");
}

static void hline(struct buf *out, const struct frame *f, size_t from, size_t to, double v,
                  const char *colour, const char *dash)
{
        if (isnan(v))
                return;
        double x0 = px(f, from), x1 = px(f, to);
        if (from == to) { /* a one-point group still gets a visible stub */
                x0 -= 6;
                x1 += 6;
        }
        buf_printf(out,
                   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                   "stroke-width=\"1.5\"%s%s%s/>\n",
                   x0, py(f, v), x1, py(f, v), colour, dash ? " stroke-dasharray=\"" : "",
                   dash ? dash : "", dash ? "\"" : "");
}

/* The values as a line, broken where a value is missing. */
static void data_line(struct buf *out, const struct frame *f, const double *y)
{
        int open = 0;
        buf_puts(out, "<g aria-hidden=\"true\" fill=\"none\" stroke=\"" DARK_GREY
                      "\" stroke-width=\"1.5\">\n");
        for (size_t i = 0; i < f->n; i++) {
                if (isnan(y[i])) {
                        if (open)
                                buf_puts(out, "\"/>\n");
                        open = 0;
                        continue;
                }
                buf_printf(out, "%s%.1f,%.1f", open ? " " : "<polyline points=\"", px(f, i),
                           py(f, y[i]));
                open = 1;
        }
        if (open)
                buf_puts(out, "\"/>\n");
        buf_puts(out, "</g>\n");
}

static void shape_at(struct buf *out, enum shape s, double x, double y, const char *colour)
{
        const char *style = "stroke=\"#FFFFFF\" stroke-width=\"1\"";
        switch (s) {
        case CIRCLE:
                buf_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\" %s>", x, y,
                           colour, style);
                break;
        case TRIANGLE_UP:
                buf_printf(out, "<path d=\"M%.1f,%.1fL%.1f,%.1fL%.1f,%.1fZ\" fill=\"%s\" %s>", x,
                           y - 7, x + 6.5, y + 5, x - 6.5, y + 5, colour, style);
                break;
        case TRIANGLE_DOWN:
                buf_printf(out, "<path d=\"M%.1f,%.1fL%.1f,%.1fL%.1f,%.1fZ\" fill=\"%s\" %s>", x,
                           y + 7, x + 6.5, y - 5, x - 6.5, y - 5, colour, style);
                break;
        case SQUARE:
                buf_printf(out,
                           "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"%s\" "
                           "%s>",
                           x - 5, y - 5, colour, style);
                break;
        case DIAMOND:
                buf_printf(out,
                           "<path d=\"M%.1f,%.1fL%.1f,%.1fL%.1f,%.1fL%.1f,%.1fZ\" fill=\"%s\" "
                           "%s>",
                           x, y - 7, x + 7, y, x, y + 7, x - 7, y, colour, style);
                break;
        }
}

static const char *shape_end(enum shape s)
{
        switch (s) {
        case CIRCLE:
                return "</circle>\n";
        case SQUARE:
                return "</rect>\n";
        default:
                return "</path>\n";
        }
}

/* A marker with a tooltip title: "PERIOD: VALUE, what it is". */
static void marker(struct buf *out, enum shape s, double x, double y, const char *colour,
                   const char *period, double value, const char *what)
{
        char tmp[32];
        shape_at(out, s, x, y, colour);
        buf_puts(out, "<title>");
        spc_svg_escape(out, period);
        buf_printf(out, ": %s, ", num(tmp, sizeof tmp, value));
        spc_svg_escape(out, what);
        buf_puts(out, "</title>");
        buf_puts(out, shape_end(s));
}

static int by_y(const void *a, const void *b)
{
        double d = ((const struct label *)a)->y - ((const struct label *)b)->y;
        return (d > 0) - (d < 0);
}

/* Direct labels at the right of the plot, nudged apart so that none overlap. */
static void direct_labels(struct buf *out, struct label *l, size_t n)
{
        qsort(l, n, sizeof *l, by_y);
        for (size_t i = 1; i < n; i++)
                if (l[i].y - l[i - 1].y < LABEL_GAP)
                        l[i].y = l[i - 1].y + LABEL_GAP;
        /* Pulled back up if the stack ran off the bottom. */
        if (n > 0 && l[n - 1].y > HEIGHT - 60) {
                l[n - 1].y = HEIGHT - 60;
                for (size_t i = n - 1; i-- > 0;)
                        if (l[i + 1].y - l[i].y < LABEL_GAP)
                                l[i].y = l[i + 1].y - LABEL_GAP;
        }
        for (size_t i = 0; i < n; i++) {
                buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">", PLOT_RIGHT + 10,
                           l[i].y + 4, l[i].colour);
                spc_svg_escape(out, l[i].text);
                buf_puts(out, "</text>\n");
        }
}

struct legend_item {
        enum shape shape;
        const char *colour;
        const char *text;
};

static void legend(struct buf *out, const struct legend_item *items, size_t n)
{
        double x = PLOT_LEFT, y = HEIGHT - 30;
        buf_puts(out, "<g aria-hidden=\"true\">\n");
        for (size_t i = 0; i < n; i++) {
                shape_at(out, items[i].shape, x + 6, y - 4, items[i].colour);
                buf_puts(out, shape_end(items[i].shape));
                buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" fill=\"" DARK_GREY "\">", x + 16, y);
                spc_svg_escape(out, items[i].text);
                buf_puts(out, "</text>\n");
                x += 40 + 7.2 * (double)strlen(items[i].text);
        }
        buf_puts(out, "</g>\n");
}

/* ---------------------------------------------------------------- XmR */

static const char *rule_words(enum spc_rule r, int v)
{
        switch (r) {
        case SPC_RULE_OUTSIDE:
                return v > 0 ? "above the upper process limit" : "below the lower process limit";
        case SPC_RULE_TREND:
                return v > 0 ? "part of a run of 7 or more rising points"
                             : "part of a run of 7 or more falling points";
        case SPC_RULE_TWO_IN_THREE:
                return v > 0 ? "2 of 3 points near the upper limit"
                             : "2 of 3 points near the lower limit";
        case SPC_RULE_SHIFT:
                return v > 0 ? "part of 7 or more points above the mean"
                             : "part of 7 or more points below the mean";
        case SPC_RULE_NONE:
                break;
        }
        return "common cause variation";
}

static const char *type_words(enum spc_point_type t)
{
        switch (t) {
        case SPC_COMMON_CAUSE:
                return "common cause";
        case SPC_IMPROVEMENT:
                return "special cause improvement";
        case SPC_CONCERN:
                return "special cause concern";
        case SPC_NEUTRAL_HIGH:
        case SPC_NEUTRAL_LOW:
                return "special cause, neither improvement nor concern";
        }
        return "";
}

static void type_style(const struct spc_point *p, enum shape *s, const char **colour)
{
        switch (p->type) {
        case SPC_COMMON_CAUSE:
                *s = CIRCLE;
                *colour = DARK_GREY;
                return;
        case SPC_IMPROVEMENT:
                *s = p->v > 0 ? TRIANGLE_UP : TRIANGLE_DOWN;
                *colour = DARK_BLUE;
                return;
        case SPC_CONCERN:
                *s = SQUARE;
                *colour = ORANGE;
                return;
        case SPC_NEUTRAL_HIGH:
        case SPC_NEUTRAL_LOW:
                *s = DIAMOND;
                *colour = DARK_PINK;
                return;
        }
}

static void xmr_desc(struct buf *out, const struct spc_chart *c, const char *const *periods)
{
        char a[32], b[32], u[32];
        size_t counts[5] = {0};
        for (size_t i = 0; i < c->n; i++)
                counts[c->points[i].type]++;
        buf_puts(out, "<desc id=\"spc-desc\">");
        struct buf d;
        buf_init(&d);
        if (c->n == 0) {
                buf_puts(&d, "XmR chart with no points.");
        } else {
                buf_printf(&d, "XmR chart of %zu point%s from %s to %s", c->n, c->n == 1 ? "" : "s",
                           periods[0], periods[c->n - 1]);
                if (c->n_groups > 1)
                        buf_printf(&d, " in %zu groups", c->n_groups);
                buf_printf(&d, "; improvement is %s. ",
                           c->direction == SPC_INCREASE   ? "an increase"
                           : c->direction == SPC_DECREASE ? "a decrease"
                                                          : "neither direction (neutral)");
                for (size_t g = 0; g < c->n_groups; g++) {
                        const struct spc_group *gr = &c->groups[g];
                        if (c->n_groups > 1)
                                buf_printf(&d, "From %s: ", periods[gr->start]);
                        if (gr->has_limits)
                                buf_printf(&d, "mean %s, process limits %s to %s%s. ",
                                           num(a, sizeof a, gr->mean), num(b, sizeof b, gr->lpl),
                                           num(u, sizeof u, gr->upl),
                                           gr->trial_limits ? " (trial limits)" : "");
                        else
                                buf_puts(&d, "too few points for limits. ");
                }
                size_t special = c->n - counts[SPC_COMMON_CAUSE];
                if (special == 0)
                        buf_puts(&d, "No point shows special cause variation. ");
                else
                        buf_printf(&d,
                                   "%zu point%s show%s special cause variation: %zu improvement, "
                                   "%zu concern, %zu neutral. ",
                                   special, special == 1 ? "" : "s", special == 1 ? "s" : "",
                                   counts[SPC_IMPROVEMENT], counts[SPC_CONCERN],
                                   counts[SPC_NEUTRAL_HIGH] + counts[SPC_NEUTRAL_LOW]);
                const struct spc_point *last = &c->points[c->n - 1];
                buf_printf(&d, "Latest point %s: %s, %s. ", periods[c->n - 1],
                           num(a, sizeof a, last->value),
                           last->rule ? rule_words(last->rule, last->v) : "common cause");
                buf_printf(&d, "Variation: %s. ", spc_variation_words(c->variation));
                if (c->has_target)
                        buf_printf(&d, "Assurance against the target of %s: %s.",
                                   num(a, sizeof a, c->target), spc_assurance_words(c->assurance));
                else
                        buf_puts(&d, "No target is set.");
        }
        for (size_t i = 0; i < c->n_warnings; i++)
                buf_printf(&d, " Note: %s.", c->warnings[i]);
        spc_svg_escape(out, d.data);
        buf_release(&d);
        buf_puts(out, "</desc>\n");
}

void spc_svg_xmr(struct buf *out, const struct spc_chart *c, const char *const *periods,
                 const char *title)
{
        struct frame f = {.n = c->n};
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < c->n; i++) {
                extend(&lo, &hi, c->points[i].value);
                extend(&lo, &hi, c->points[i].lpl);
                extend(&lo, &hi, c->points[i].upl);
        }
        if (c->has_target)
                extend(&lo, &hi, c->target);
        frame_fit(&f, lo, hi);

        open_svg(out, title);
        xmr_desc(out, c, periods);
        struct buf sub;
        buf_init(&sub);
        buf_printf(&sub, "Variation: %s", spc_variation_words(c->variation));
        if (c->has_target)
                buf_printf(&sub, "  |  Assurance: %s", spc_assurance_words(c->assurance));
        heading(out, title, sub.data);
        buf_release(&sub);
        axes(out, &f, periods);

        /* Limits and mean per group; a rebase is a labelled vertical rule. */
        buf_puts(out, "<g aria-hidden=\"true\">\n");
        for (size_t g = 0; g < c->n_groups; g++) {
                const struct spc_group *gr = &c->groups[g];
                size_t last = gr->start + gr->count - 1;
                if (g > 0) {
                        double x = (px(&f, gr->start - 1) + px(&f, gr->start)) / 2;
                        buf_printf(out,
                                   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                                   "stroke=\"" DARK_GREY "\" stroke-dasharray=\"2 3\"/>\n",
                                   x, PLOT_TOP, x, PLOT_BOTTOM);
                        buf_printf(out,
                                   "<text x=\"%.1f\" y=\"%.1f\" fill=\"" DARK_GREY "\">"
                                   "Rebased</text>\n",
                                   x + 3, PLOT_TOP + 10);
                }
                hline(out, &f, gr->start, last, gr->upl, DARK_GREY, "6 4");
                hline(out, &f, gr->start, last, gr->lpl, DARK_GREY, "6 4");
                hline(out, &f, gr->start, last, gr->mean, DARK_GREY, NULL);
        }
        if (c->has_target && c->n > 0)
                hline(out, &f, 0, c->n - 1, c->target, TURQUOISE, "2 2");
        buf_puts(out, "</g>\n");

        double *y = xmalloc((c->n ? c->n : 1) * sizeof *y);
        for (size_t i = 0; i < c->n; i++)
                y[i] = c->points[i].value;
        data_line(out, &f, y);
        free(y);

        int seen[5] = {0};
        buf_puts(out, "<g>\n");
        for (size_t i = 0; i < c->n; i++) {
                const struct spc_point *p = &c->points[i];
                if (isnan(p->value))
                        continue;
                enum shape s = CIRCLE;
                const char *colour = DARK_GREY;
                type_style(p, &s, &colour);
                seen[p->type] = 1;
                char what[160];
                snprintf(what, sizeof what, "%s%s%s%s", type_words(p->type), p->rule ? " (" : "",
                         p->rule ? rule_words(p->rule, p->v) : "", p->rule ? ")" : "");
                marker(out, s, px(&f, i), py(&f, p->value), colour, periods[i], p->value, what);
        }
        buf_puts(out, "</g>\n");

        struct label labels[4] = {{0}};
        size_t nl = 0;
        if (c->n_groups > 0) {
                const struct spc_group *gr = &c->groups[c->n_groups - 1];
                char tmp[32];
                if (gr->has_limits) {
                        labels[nl].y = py(&f, gr->upl);
                        labels[nl].colour = DARK_GREY;
                        snprintf(labels[nl++].text, sizeof labels[0].text, "Upper limit %s",
                                 num(tmp, sizeof tmp, gr->upl));
                        labels[nl].y = py(&f, gr->mean);
                        labels[nl].colour = DARK_GREY;
                        snprintf(labels[nl++].text, sizeof labels[0].text, "Mean %s",
                                 num(tmp, sizeof tmp, gr->mean));
                        labels[nl].y = py(&f, gr->lpl);
                        labels[nl].colour = DARK_GREY;
                        snprintf(labels[nl++].text, sizeof labels[0].text, "Lower limit %s",
                                 num(tmp, sizeof tmp, gr->lpl));
                }
                if (c->has_target) {
                        labels[nl].y = py(&f, c->target);
                        labels[nl].colour = "#1A7A73"; /* darker turquoise: text contrast */
                        snprintf(labels[nl++].text, sizeof labels[0].text, "Target %s",
                                 num(tmp, sizeof tmp, c->target));
                }
        }
        direct_labels(out, labels, nl);

        struct legend_item items[6];
        size_t ni = 0;
        items[ni++] = (struct legend_item){CIRCLE, DARK_GREY, "Common cause"};
        if (seen[SPC_IMPROVEMENT])
                items[ni++] =
                    (struct legend_item){TRIANGLE_UP, DARK_BLUE, "Improvement (triangle)"};
        if (seen[SPC_CONCERN])
                items[ni++] = (struct legend_item){SQUARE, ORANGE, "Concern (square)"};
        if (seen[SPC_NEUTRAL_HIGH] || seen[SPC_NEUTRAL_LOW])
                items[ni++] =
                    (struct legend_item){DIAMOND, DARK_PINK, "Special cause, neutral (diamond)"};
        legend(out, items, ni);
        buf_puts(out, "</svg>\n");
}

/* ---------------------------------------------------------------- run chart */

static void run_desc(struct buf *out, const struct runchart *rc, const char *const *periods)
{
        char a[32];
        struct buf d;
        buf_init(&d);
        if (rc->n == 0) {
                buf_puts(&d, "Run chart with no points.");
        } else {
                buf_printf(&d, "Run chart of %zu point%s from %s to %s", rc->n,
                           rc->n == 1 ? "" : "s", periods[0], periods[rc->n - 1]);
                if (rc->n_parts > 1)
                        buf_printf(&d, " in %zu parts", rc->n_parts);
                buf_puts(&d, ". ");
        }
        for (size_t k = 0; k < rc->n_parts; k++) {
                const struct runchart_part *p = &rc->parts[k];
                if (rc->n_parts > 1)
                        buf_printf(&d, "From %s: ", periods[p->start]);
                if (!p->has_thresholds) {
                        buf_printf(&d, "median %s, no useful observations, no signal. ",
                                   num(a, sizeof a, p->centre));
                        continue;
                }
                buf_printf(&d,
                           "median %s; %zu useful observations; longest run %zu (more than %d "
                           "signals); %zu crossings (fewer than %d signals). ",
                           num(a, sizeof a, p->centre), p->n_useful, p->longest_run,
                           p->longest_run_max, p->crossings, p->crossings_min);
                if (p->signal)
                        buf_printf(&d, "Signal of non-random variation: %s%s%s. ",
                                   p->runs_signal ? "a run longer than expected" : "",
                                   p->runs_signal && p->crossings_signal ? " and " : "",
                                   p->crossings_signal ? "fewer crossings than expected" : "");
                else
                        buf_puts(&d, "No signal: the variation looks random. ");
        }
        buf_puts(out, "<desc id=\"spc-desc\">");
        spc_svg_escape(out, d.data);
        buf_puts(out, "</desc>\n");
        buf_release(&d);
}

void spc_svg_run(struct buf *out, const struct runchart *rc, const double *y,
                 const char *const *periods, const char *title)
{
        struct frame f = {.n = rc->n};
        double lo = INFINITY, hi = -INFINITY;
        int any_signal = 0;
        for (size_t i = 0; i < rc->n; i++)
                extend(&lo, &hi, y[i]);
        for (size_t k = 0; k < rc->n_parts; k++) {
                extend(&lo, &hi, rc->parts[k].centre);
                any_signal |= rc->parts[k].signal;
        }
        frame_fit(&f, lo, hi);

        open_svg(out, title);
        run_desc(out, rc, periods);
        /* The subtitle gives the figures behind the verdict for the latest part, since a
         * crossings signal belongs to no single point and so has no marker. */
        struct buf sub;
        buf_init(&sub);
        if (rc->n_parts > 0 && rc->parts[rc->n_parts - 1].has_thresholds) {
                const struct runchart_part *p = &rc->parts[rc->n_parts - 1];
                buf_printf(&sub,
                           "%s (Anhøj rules): longest run %zu, signal above %d; crossings %zu, "
                           "signal below %d",
                           p->signal ? "Signal" : "No signal", p->longest_run, p->longest_run_max,
                           p->crossings, p->crossings_min);
                if (rc->n_parts > 1)
                        buf_printf(&sub, " (latest part)%s",
                                   any_signal && !p->signal ? "; an earlier part signals" : "");
        } else {
                buf_puts(&sub, "No signal: too few useful observations");
        }
        heading(out, title, sub.data);
        buf_release(&sub);
        axes(out, &f, periods);
        buf_puts(out, "<g aria-hidden=\"true\">\n");
        for (size_t k = 0; k < rc->n_parts; k++) {
                const struct runchart_part *p = &rc->parts[k];
                if (k > 0) {
                        double x = (px(&f, p->start - 1) + px(&f, p->start)) / 2;
                        buf_printf(out,
                                   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                                   "stroke=\"" DARK_GREY "\" stroke-dasharray=\"2 3\"/>\n",
                                   x, PLOT_TOP, x, PLOT_BOTTOM);
                        buf_printf(out,
                                   "<text x=\"%.1f\" y=\"%.1f\" fill=\"" DARK_GREY "\">"
                                   "New part</text>\n",
                                   x + 3, PLOT_TOP + 10);
                }
                hline(out, &f, p->start, p->start + p->count - 1, p->centre, DARK_BLUE, NULL);
        }
        buf_puts(out, "</g>\n");
        data_line(out, &f, y);

        int seen_long = 0;
        buf_puts(out, "<g>\n");
        for (size_t i = 0; i < rc->n; i++) {
                if (isnan(y[i]))
                        continue;
                const struct runchart_part *p = &rc->parts[rc->part[i]];
                char what[96];
                if (rc->long_run[i]) {
                        seen_long = 1;
                        snprintf(what, sizeof what, "part of a run longer than %d (signal)",
                                 p->longest_run_max);
                        marker(out, DIAMOND, px(&f, i), py(&f, y[i]), DARK_PINK, periods[i], y[i],
                               what);
                } else {
                        snprintf(what, sizeof what, "%s the median",
                                 rc->side[i] > 0   ? "above"
                                 : rc->side[i] < 0 ? "below"
                                                   : "on (or left out of)");
                        marker(out, CIRCLE, px(&f, i), py(&f, y[i]), DARK_GREY, periods[i], y[i],
                               what);
                }
        }
        buf_puts(out, "</g>\n");

        struct label l[1] = {{0}};
        size_t nl = 0;
        if (rc->n_parts > 0 && !isnan(rc->parts[rc->n_parts - 1].centre)) {
                char tmp[32];
                l[0].y = py(&f, rc->parts[rc->n_parts - 1].centre);
                l[0].colour = DARK_BLUE;
                snprintf(l[0].text, sizeof l[0].text, "Median %s",
                         num(tmp, sizeof tmp, rc->parts[rc->n_parts - 1].centre));
                nl = 1;
        }
        direct_labels(out, l, nl);
        struct legend_item items[2] = {{CIRCLE, DARK_GREY, "Point"},
                                       {DIAMOND, DARK_PINK, "In a run that is too long (diamond)"}};
        legend(out, items, seen_long ? 2 : 1);
        buf_puts(out, "</svg>\n");
}
