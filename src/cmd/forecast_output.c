/*
 * forecast_output.c — writing a demand forecast (see forecast_output.h).
 *
 * Every format shows the same numbers: the projected mean to one decimal
 * place and the interval rounded to whole children (statistics.md §6.4), from
 * the bootstrap when one was run, else the analytic interval, which covers
 * process noise only and says so.  The SVG is a fixed-size picture (deterministic,
 * golden-testable) in the Analysis Function palette: the projected total as a
 * line with circular markers, the interval as a shaded band with dashed
 * edges, each labelled in words at its right-hand end, and a <desc> that
 * states the message in sentences.
 */
#include "cmd/forecast_output.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "stats/spc_svg.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DARK_BLUE  "#12436D"
#define LIGHT_BLUE "#A6C8E6"
#define DARK_GREY  "#3D3D3D"
#define GRID       "#D9D9D9"

int forecast_format_parse(const char *s, enum forecast_format *f)
{
        static const char *const names[] = {"text", "csv", "json", "svg"};
        for (int i = 0; i < 4; i++)
                if (strcmp(s, names[i]) == 0) {
                        *f = (enum forecast_format)i;
                        return 0;
                }
        return -1;
}

/* The numbers shown: the bootstrap's when one was run. */
struct shown {
        const double *mean, *lower, *upper;
};

static struct shown shown_of(const struct forecast_report *r)
{
        const struct forecast_result *x = r->res;
        if (r->boot != FORECAST_BOOT_NONE && x->boot_mean)
                return (struct shown){x->boot_mean, x->boot_lower, x->boot_upper};
        return (struct shown){x->mean, x->lower, x->upper};
}

static const char *interval_words(const struct forecast_report *r)
{
        switch (r->boot) {
        case FORECAST_BOOT_PROCESS:
                return "95% bootstrap interval (process noise: simulated children)";
        case FORECAST_BOOT_PARAMETER:
                return "95% bootstrap interval (children resampled, rates re-estimated, then "
                       "simulated)";
        case FORECAST_BOOT_NONE:
                break;
        }
        return "95% analytic interval";
}

/* Sentences about what the data could not give, for text and JSON. */
static void warnings(const struct forecast_report *r, void (*add)(void *ctx, const char *s),
                     void *ctx)
{
        char s[256];
        const struct forecast_estimate *est = r->est;
        if (r->unplaced) {
                snprintf(s, sizeof s,
                         "%zu of the %zu children in care on the start day have no date of birth "
                         "or are 18 or over, so they are not projected",
                         r->unplaced, r->in_care);
                add(ctx, s);
        }
        if (est->no_dob) {
                snprintf(s, sizeof s,
                         "%zu children in the reference window have no date of birth and are "
                         "left out of the rates",
                         est->no_dob);
                add(ctx, s);
        }
        if (r->res->zero_exposure) {
                snprintf(s, sizeof s,
                         "%zu states had no children in the reference window; their rates are "
                         "zero",
                         r->res->zero_exposure);
                add(ctx, s);
        }
        if (est->overlapping) {
                snprintf(s, sizeof s,
                         "%zu episodes overlapped a later one and were cut short at its start",
                         est->overlapping);
                add(ctx, s);
        }
}

/* ---------------------------------------------------------------- text */

static const char *children(size_t n)
{
        return n == 1 ? "child" : "children";
}

static void text_warning(void *ctx, const char *s)
{
        buf_printf(ctx, "  - %s\n", s);
}

static void write_text(struct buf *b, const struct forecast_report *r)
{
        const struct forecast_result *x = r->res;
        const struct forecast_estimate *est = r->est;
        struct shown sh = shown_of(r);
        size_t w = x->nin + 1;
        char a[11], c[11], d[11];
        buf_printf(b, "Demand forecast: %s %s, children looked after\n", r->la, r->la_name);
        date_format_iso(r->eps->data_start, a);
        date_format_iso(r->eps->data_end, c);
        buf_printf(b, "SSDA903 returns: %zu (%s to %s), %zu %s\n", r->years, a, c,
                   r->eps->nchildren, children(r->eps->nchildren));
        date_format_iso(est->w0, a);
        date_format_iso(est->w1, c);
        buf_printf(b, "Reference window: %s to %s (%.0f days), %zu %s\n", a, c, est->days,
                   est->children, children(est->children));
        date_format_iso(x->start, d);
        double start_total = 0;
        for (size_t i = 0; i < x->nin; i++)
                start_total += x->start_stock[i];
        buf_printf(b, "Start: %s, %.0f %s in care\n", d, start_total,
                   children(start_total == 1 ? 1 : 2));
        buf_printf(b, "Interval: %s\n\n", interval_words(r));

        buf_printf(b, "%-12s %10s %16s\n", "month end", "projected", "95% interval");
        for (size_t k = 0; k < x->months; k++) {
                size_t t = k * w + x->nin;
                date_format_iso(x->month_end[k], a);
                char iv[40];
                snprintf(iv, sizeof iv, "%.0f to %.0f", round(sh.lower[t]), round(sh.upper[t]));
                buf_printf(b, "%-12s %10.1f %16s\n", a, sh.mean[t], iv);
        }

        size_t last = x->months - 1;
        date_format_iso(x->month_end[last], a);
        buf_printf(b, "\nBy age band and placement type, now and at %s:\n", a);
        buf_printf(b, "%-20s %6s %10s %16s\n", "state", "now", "projected", "95% interval");
        for (size_t i = 0; i <= x->nin; i++) {
                size_t t = last * w + i;
                double now = 0;
                if (i < x->nin)
                        now = x->start_stock[i];
                else
                        now = start_total;
                char iv[40];
                snprintf(iv, sizeof iv, "%.0f to %.0f", round(sh.lower[t]), round(sh.upper[t]));
                buf_printf(b, "%-20s %6.0f %10.1f %16s\n", i < x->nin ? r->st.label[i] : "total",
                           now, sh.mean[t], iv);
        }
        buf_printf(b, "\n");
        if (r->boot == FORECAST_BOOT_NONE)
                buf_printf(b, "%s\n", FORECAST_ANALYTIC_NOTE);
        struct buf tmp;
        buf_init(&tmp);
        warnings(r, text_warning, &tmp);
        if (tmp.len)
                buf_printf(b, "Warnings:\n%s", tmp.data);
        buf_release(&tmp);
}

/* ---------------------------------------------------------------- CSV */

static void write_csv(struct buf *b, const struct forecast_report *r)
{
        const struct forecast_result *x = r->res;
        struct shown sh = shown_of(r);
        size_t w = x->nin + 1;
        buf_puts(b, "month,state,projected,lower,upper\n");
        for (size_t k = 0; k < x->months; k++) {
                char iso[11];
                date_format_iso(x->month_end[k], iso);
                for (size_t i = 0; i < w; i++) {
                        size_t c = k * w + i;
                        buf_printf(b, "%s,%s,%.1f,%.0f,%.0f\n", iso,
                                   i < x->nin ? r->st.label[i] : "total", sh.mean[c],
                                   round(sh.lower[c]), round(sh.upper[c]));
                }
        }
}

/* ---------------------------------------------------------------- JSON */

static void json_warning(void *ctx, const char *s)
{
        json_array_append_new(ctx, json_string(s));
}

static json_t *rounded(double v, double scale)
{
        return json_real(round(v * scale) / scale);
}

static int write_json(struct buf *b, const struct forecast_report *r, struct err *e)
{
        const struct forecast_result *x = r->res;
        const struct forecast_estimate *est = r->est;
        struct shown sh = shown_of(r);
        size_t w = x->nin + 1;
        char a[11], c[11];
        json_t *root = json_object();
        json_object_set_new(root, "la", json_string(r->la));
        json_object_set_new(root, "name", json_string(r->la_name));
        json_object_set_new(root, "returns", json_integer((json_int_t)r->years));
        date_format_iso(est->w0, a);
        date_format_iso(est->w1, c);
        json_object_set_new(root, "reference_window", json_pack("{s:s,s:s}", "from", a, "to", c));
        date_format_iso(x->start, a);
        json_object_set_new(root, "start", json_string(a));
        json_t *stock = json_object();
        for (size_t i = 0; i < x->nin; i++)
                json_object_set_new(stock, r->st.label[i], json_real(x->start_stock[i]));
        json_object_set_new(root, "start_stock", stock);
        json_object_set_new(root, "interval", json_string(interval_words(r)));
        json_t *rows = json_array();
        for (size_t k = 0; k < x->months; k++) {
                date_format_iso(x->month_end[k], a);
                for (size_t i = 0; i < w; i++) {
                        size_t t = k * w + i;
                        json_t *o = json_object();
                        json_object_set_new(o, "month", json_string(a));
                        json_object_set_new(o, "state",
                                            json_string(i < x->nin ? r->st.label[i] : "total"));
                        json_object_set_new(o, "projected", rounded(sh.mean[t], 10));
                        json_object_set_new(o, "lower", rounded(sh.lower[t], 1));
                        json_object_set_new(o, "upper", rounded(sh.upper[t], 1));
                        json_array_append_new(rows, o);
                }
        }
        json_object_set_new(root, "rows", rows);
        json_t *warn = json_array();
        if (r->boot == FORECAST_BOOT_NONE)
                json_array_append_new(warn, json_string(FORECAST_ANALYTIC_NOTE));
        warnings(r, json_warning, warn);
        json_object_set_new(root, "notes", warn);
        char *text =
            json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
        json_decref(root);
        if (!text)
                return err_set(e, EXIT_INTERNAL, "forecast: cannot write JSON");
        buf_puts(b, text);
        buf_putc(b, '\n');
        free(text);
        return 0;
}

/* ---------------------------------------------------------------- SVG */

#define WIDTH  880.0
#define HEIGHT 440.0
#define LEFT   64.0
#define RIGHT  (WIDTH - 200.0)
#define TOP    64.0
#define BOTTOM (HEIGHT - 80.0)

static double nice_step(double range)
{
        double raw = range / 5, p = pow(10, floor(log10(raw > 0 ? raw : 1)));
        double m = raw / p;
        return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

static void write_svg(struct buf *b, const struct forecast_report *r)
{
        const struct forecast_result *x = r->res;
        struct shown sh = shown_of(r);
        size_t w = x->nin + 1, n = x->months + 1; /* the start, then each month end */
        double *mean = xmalloc(n * sizeof *mean), *lo = xmalloc(n * sizeof *lo),
               *hi = xmalloc(n * sizeof *hi);
        mean[0] = lo[0] = hi[0] = 0;
        for (size_t i = 0; i < x->nin; i++)
                mean[0] += x->start_stock[i];
        lo[0] = hi[0] = mean[0];
        double ymax = mean[0];
        for (size_t k = 0; k < x->months; k++) {
                size_t t = k * w + x->nin;
                mean[k + 1] = sh.mean[t];
                lo[k + 1] = round(sh.lower[t]);
                hi[k + 1] = round(sh.upper[t]);
                if (hi[k + 1] > ymax)
                        ymax = hi[k + 1];
        }
        double step = nice_step(ymax), top = ceil(ymax / step) * step;
        if (top <= 0)
                top = step;
#define PX(i) (LEFT + (RIGHT - LEFT) * (double)(i) / (double)(n - 1))
#define PY(v) (BOTTOM - (BOTTOM - TOP) * (v) / top)
        char start[11], end[11];
        date_format_iso(x->start, start);
        date_format_iso(x->month_end[x->months - 1], end);
        struct buf title, desc;
        buf_init(&title);
        buf_init(&desc);
        buf_printf(&title, "Children looked after in %s %s: forecast to %s", r->la, r->la_name,
                   end);
        buf_printf(&desc,
                   "%.0f children were in care on %s. The forecast for %s is %.1f, with a %s "
                   "of %.0f to %.0f.",
                   mean[0], start, end, mean[n - 1], interval_words(r), lo[n - 1], hi[n - 1]);
        if (r->boot == FORECAST_BOOT_NONE)
                buf_printf(&desc, " %s", FORECAST_ANALYTIC_NOTE);
        buf_printf(b,
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
                   "role=\"img\" aria-labelledby=\"title desc\" font-family=\"Arial, "
                   "sans-serif\">\n<title id=\"title\">",
                   WIDTH, HEIGHT);
        spc_svg_escape(b, title.data);
        buf_puts(b, "</title>\n<desc id=\"desc\">");
        spc_svg_escape(b, desc.data);
        buf_puts(b, "</desc>\n<rect width=\"100%\" height=\"100%\" fill=\"#FFFFFF\"/>\n");
        buf_printf(b, "<text x=\"%.0f\" y=\"32\" font-size=\"18\" fill=\"%s\">", LEFT, DARK_GREY);
        spc_svg_escape(b, title.data);
        buf_puts(b, "</text>\n");
        for (double v = 0; v <= top + step / 2; v += step) {
                buf_printf(b,
                           "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
                           "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"end\" "
                           "fill=\"%s\">%.0f</text>\n",
                           LEFT, RIGHT, PY(v), PY(v), GRID, LEFT - 6, PY(v) + 4, DARK_GREY, v);
        }
        /* Month labels: about six, always the first and the last. */
        size_t every = n > 7 ? (n - 1 + 5) / 6 : 1;
        for (size_t i = 0; i < n; i++) {
                if (i % every != 0 && i != n - 1)
                        continue;
                char iso[11];
                date_format_iso(i == 0 ? x->start : x->month_end[i - 1], iso);
                buf_printf(b,
                           "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\" "
                           "fill=\"%s\">%s</text>\n",
                           PX(i), BOTTOM + 18, DARK_GREY, iso);
        }
        buf_puts(b, "<path d=\"");
        for (size_t i = 0; i < n; i++)
                buf_printf(b, "%s%.1f %.1f", i ? " L" : "M", PX(i), PY(hi[i]));
        for (size_t i = n; i-- > 0;)
                buf_printf(b, " L%.1f %.1f", PX(i), PY(lo[i]));
        buf_printf(b,
                   " Z\" fill=\"%s\" fill-opacity=\"0.5\" stroke=\"%s\" "
                   "stroke-dasharray=\"4 3\"/>\n",
                   LIGHT_BLUE, DARK_BLUE);
        buf_puts(b,
                 "<polyline fill=\"none\" stroke-width=\"2.5\" stroke=\"" DARK_BLUE "\" points=\"");
        for (size_t i = 0; i < n; i++)
                buf_printf(b, "%s%.1f,%.1f", i ? " " : "", PX(i), PY(mean[i]));
        buf_puts(b, "\"/>\n");
        for (size_t i = 0; i < n; i++)
                buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>\n", PX(i),
                           PY(mean[i]), DARK_BLUE);
        buf_printf(
            b,
            "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" fill=\"%s\">projected: %.1f</text>\n"
            "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"%s\">95%% upper: %.0f</text>\n"
            "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"%s\">95%% lower: %.0f</text>\n",
            RIGHT + 8, PY(mean[n - 1]) + 4, DARK_BLUE, mean[n - 1], RIGHT + 8, PY(hi[n - 1]) - 8,
            DARK_GREY, hi[n - 1], RIGHT + 8, PY(lo[n - 1]) + 16, DARK_GREY, lo[n - 1]);
        buf_printf(b,
                   "<text x=\"%.0f\" y=\"%.0f\" font-size=\"12\" fill=\"%s\">Children in care at "
                   "each month end. Line: projected; shaded band with dashed edges: ",
                   LEFT, HEIGHT - 24, DARK_GREY);
        spc_svg_escape(b, interval_words(r));
        buf_puts(b, ".</text>\n</svg>\n");
#undef PX
#undef PY
        buf_release(&title);
        buf_release(&desc);
        free(mean);
        free(lo);
        free(hi);
}

int forecast_output(struct buf *out, enum forecast_format f, const struct forecast_report *r,
                    struct err *e)
{
        if (!r->res || r->res->months == 0)
                return err_set(e, EXIT_INTERNAL, "forecast: nothing to write");
        switch (f) {
        case FORECAST_FORMAT_TEXT:
                write_text(out, r);
                return 0;
        case FORECAST_FORMAT_CSV:
                write_csv(out, r);
                return 0;
        case FORECAST_FORMAT_JSON:
                return write_json(out, r, e);
        case FORECAST_FORMAT_SVG:
                write_svg(out, r);
                return 0;
        }
        return err_set(e, EXIT_INTERNAL, "forecast: unknown format");
}
