/*
 * impact_output.c — text, CSV and JSON for `improve impact`, and the
 * plain-English verdict (see impact.h).
 *
 * The verdict leans on one method: the first of interrupted time series,
 * synthetic control and difference in differences that gave an estimate with
 * a good pre-period fit; the others then agree or disagree with it.  A method
 * with too few periods or a poor fit is named with the reason in words and no
 * confident number, as issue 8 asks.  CSV and JSON carry numbers to 15
 * significant digits; text rounds to the report's `decimals`.
 */
#include "cmd/impact.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/xalloc.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_FLAGS (JSON_INDENT(2) | JSON_REAL_PRECISION(15))

int impact_format_parse(const char *s, enum impact_format *f)
{
        static const char *const names[] = {"text", "csv", "json", "svg"};
        for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
                if (strcmp(s, names[i]) == 0) {
                        *f = (enum impact_format)i;
                        return 0;
                }
        }
        return -1;
}

/* 15 significant digits, "" for NaN, no "-0". */
static const char *full(char *tmp, size_t cap, double v)
{
        if (!isfinite(v))
                tmp[0] = '\0';
        else
                snprintf(tmp, cap, "%.15g", v == 0 ? 0.0 : v);
        return tmp;
}

/* Rounded to the report's places; "-" for NaN; no "-0.0". */
static const char *fixed(char *tmp, size_t cap, double v, int decimals)
{
        if (!isfinite(v)) {
                snprintf(tmp, cap, "-");
                return tmp;
        }
        snprintf(tmp, cap, "%.*f", decimals, v);
        if (tmp[0] == '-' && strspn(tmp + 1, "0.") == strlen(tmp + 1))
                memmove(tmp, tmp + 1, strlen(tmp));
        return tmp;
}

static json_t *jnum(double v)
{
        return isfinite(v) ? json_real(v == 0 ? 0.0 : v) : json_null();
}

/*
 * A JSON string from text read from a file: jansson refuses bytes that are not
 * UTF-8, so such bytes become U+FFFD rather than losing the whole value.
 */
static json_t *jstr(const char *s)
{
        json_t *v = json_string(s);
        if (v)
                return v;
        struct buf b;
        buf_init(&b);
        const unsigned char *p = (const unsigned char *)s;
        while (*p) {
                size_t n = *p < 0x80         ? 1
                           : (*p >> 5) == 6  ? 2
                           : (*p >> 4) == 14 ? 3
                           : (*p >> 3) == 30 ? 4
                                             : 0;
                size_t ok = n;
                for (size_t i = 1; i < n && ok; i++)
                        if ((p[i] & 0xC0) != 0x80)
                                ok = 0;
                if (ok) {
                        json_t *probe = json_stringn((const char *)p, n);
                        if (!probe)
                                ok = 0;
                        json_decref(probe);
                }
                if (ok) {
                        buf_append(&b, p, n);
                        p += n;
                } else {
                        buf_puts(&b, "\xEF\xBF\xBD");
                        p++;
                }
        }
        v = json_string(b.data);
        buf_release(&b);
        return v ? v : json_string("?");
}

/* ---------------------------------------------------------------- verdict */

/* "no estimate: because" → "because"; other warnings unchanged. */
static const char *reason(const struct impact_method *m)
{
        for (size_t i = 0; i < m->n_warnings; i++)
                if (strncmp(m->warnings[i], "no estimate: ", 13) == 0)
                        return m->warnings[i] + 13;
        return m->n_warnings ? m->warnings[0] : "it could not be fitted";
}

static double json_get_num(const json_t *o, const char *key)
{
        json_t *v = json_object_get(o, key);
        return json_is_number(v) ? json_number_value(v) : NAN;
}

/* ", placebo p = 3/39 = 0.077" and ", pre-period RMSPE 1.66" as the method has them. */
static void evidence(struct buf *out, const struct impact_report *r, const struct impact_method *m)
{
        char a[64], b[64];
        if (isfinite(m->ci_low) && isfinite(m->ci_high)) {
                if (m->id == IMPACT_DID)
                        buf_printf(out,
                                   ", clustered 95%% CI %s to %s, unreliable with one "
                                   "treated unit",
                                   fixed(a, sizeof a, m->ci_low, r->decimals),
                                   fixed(b, sizeof b, m->ci_high, r->decimals));
                else
                        buf_printf(out, ", 95%% CI %s to %s",
                                   fixed(a, sizeof a, m->ci_low, r->decimals),
                                   fixed(b, sizeof b, m->ci_high, r->decimals));
        }
        if (m->id == IMPACT_SC && m->p_units)
                buf_printf(out, ", placebo p = %zu/%zu = %.3f", m->p_rank, m->p_units, m->p_value);
        if (isfinite(m->pre_rmspe))
                buf_printf(out, ", pre-period RMSPE %s",
                           fixed(a, sizeof a, m->pre_rmspe, r->decimals));
}

static const char *method_phrase(enum impact_method_id id)
{
        switch (id) {
        case IMPACT_ITS:
                return "interrupted time series, mean over";
        case IMPACT_SC:
                return "synthetic control, mean gap over";
        default:
                return "difference in differences, over";
        }
}

void impact_verdict(struct buf *out, const struct impact_report *r)
{
        char a[64];
        const struct impact_method *lead = NULL;
        for (int i = 0; i < IMPACT_NMETHODS && !lead; i++) {
                const struct impact_method *m = &r->m[i];
                if (m->requested && m->available && m->ran && !m->poor_fit)
                        lead = m;
        }
        buf_puts(out, "Verdict: ");
        if (lead) {
                double x = lead->effect;
                double tiny = 0.5 * pow(10, -r->decimals);
                if (r->treated)
                        buf_printf(out, "%s in %s ", r->outcome, r->treated);
                else
                        buf_printf(out, "The series ");
                if (fabs(x) < tiny)
                        buf_printf(out, "did not change measurably after ");
                else
                        buf_printf(out, "%s by %s after ", x > 0 ? "rose" : "fell",
                                   fixed(a, sizeof a, fabs(x), r->decimals));
                if (r->change)
                        buf_puts(out, r->change);
                else
                        buf_printf(out, "the change at %s", r->start);
                buf_printf(out, " (%s %zu period%s after it", method_phrase(lead->id), lead->n_post,
                           lead->n_post == 1 ? "" : "s");
                evidence(out, r, lead);
                buf_puts(out, ").");
                if (isfinite(lead->ci_low) && lead->ci_low <= 0 && lead->ci_high >= 0)
                        buf_puts(out, " The interval includes no change, so this could be "
                                      "chance.");
                if (lead->id == IMPACT_SC && lead->p_units && lead->p_value > 0.1)
                        buf_puts(out, " Many placebo units show gaps as large, so this could be "
                                      "chance.");
        } else {
                buf_puts(out, "no confident estimate.");
        }
        for (int i = 0; i < IMPACT_NMETHODS; i++) {
                const struct impact_method *m = &r->m[i];
                if (!m->requested || m == lead)
                        continue;
                const char *title = impact_method_title(m->id);
                if (!m->available) {
                        buf_printf(out, " %s is not available in this build.", title);
                } else if (!m->ran) {
                        buf_printf(out, " %s gives no estimate: %s.", title, reason(m));
                } else if (m->poor_fit) {
                        char b[64], c[64];
                        buf_printf(out,
                                   " %s gives no confident figure: its fit before the change is "
                                   "poor (pre-period RMSPE %s, more than 10%% of the pre-period "
                                   "mean %s), so its estimate (%s) is not to be relied on.",
                                   title, fixed(b, sizeof b, m->pre_rmspe, r->decimals),
                                   fixed(c, sizeof c, m->pre_mean, r->decimals),
                                   fixed(a, sizeof a, m->effect, r->decimals));
                } else {
                        int same = (m->effect > 0) == (lead->effect > 0);
                        buf_printf(out, " %s %s: %s", title, same ? "agrees" : "disagrees",
                                   fixed(a, sizeof a, m->effect, r->decimals));
                        evidence(out, r, m);
                        buf_puts(out, ".");
                }
        }
        if (lead && r->m[IMPACT_DID].requested && lead->id == IMPACT_DID)
                buf_puts(out, " With one treated unit, prefer the synthetic control's placebo "
                              "p-value to the clustered interval.");
}

/* ---------------------------------------------------------------- text */

static void text_method(struct buf *out, const struct impact_report *r,
                        const struct impact_method *m)
{
        char a[64], b[64], c[64], e[64];
        int d = r->decimals;
        buf_printf(out, "\n%s", impact_method_title(m->id));
        switch (m->id) {
        case IMPACT_ITS:
                if (m->ran)
                        buf_printf(out, " (segmented regression, Newey-West lag %d)\n",
                                   (int)json_integer_value(json_object_get(m->details, "lag")));
                else
                        buf_puts(out, " (segmented regression)\n");
                break;
        case IMPACT_SC: {
                json_t *preds = json_object_get(m->details, "predictors");
                long long donors = json_integer_value(json_object_get(m->details, "donors"));
                if (m->ran)
                        buf_printf(out, " (%s, %lld comparison units)\n",
                                   json_array_size(preds) ? "with predictors" : "outcome-only",
                                   donors);
                else
                        buf_puts(out, "\n");
                break;
        }
        default:
                buf_puts(out, m->ran ? " (2 x 2, standard error clustered by unit)\n" : "\n");
                break;
        }
        if (!m->available) {
                buf_puts(out, "  not available in this build\n");
                return;
        }
        if (m->ran) {
                buf_printf(out, "  effect (mean over %zu period%s after the change): %s\n",
                           m->n_post, m->n_post == 1 ? "" : "s", fixed(a, sizeof a, m->effect, d));
                if (isfinite(m->ci_low))
                        buf_printf(out, "  95%% confidence interval: %s to %s\n",
                                   fixed(a, sizeof a, m->ci_low, d),
                                   fixed(b, sizeof b, m->ci_high, d));
                if (m->id == IMPACT_SC && m->p_units)
                        buf_printf(out, "  placebo p-value: %zu/%zu = %.3f\n", m->p_rank,
                                   m->p_units, m->p_value);
                else if (isfinite(m->p_value))
                        buf_printf(out, "  p-value: %.3g\n", m->p_value);
                if (m->id == IMPACT_ITS) {
                        json_t *co = json_object_get(m->details, "coefficients");
                        json_t *se = json_object_get(m->details, "se_newey_west");
                        buf_printf(out, "  level change %s (SE %s), slope change %s (SE %s)\n",
                                   fixed(a, sizeof a, json_get_num(co, "b2_level_change"), d),
                                   fixed(b, sizeof b, json_get_num(se, "b2_level_change"), d),
                                   fixed(c, sizeof c, json_get_num(co, "b3_slope_change"), d + 1),
                                   fixed(e, sizeof e, json_get_num(se, "b3_slope_change"), d + 1));
                        buf_printf(out, "  Durbin-Watson %.3f\n",
                                   json_get_num(m->details, "durbin_watson"));
                }
                buf_printf(out, "  pre-period RMSPE %s, post-period RMSPE %s, loss %.6g\n",
                           fixed(a, sizeof a, m->pre_rmspe, d),
                           fixed(b, sizeof b, m->post_rmspe, d), m->loss);
        }
        if (m->n_warnings == 0) {
                buf_puts(out, "  warnings: none\n");
                return;
        }
        buf_puts(out, "  warnings:\n");
        for (size_t i = 0; i < m->n_warnings; i++)
                buf_printf(out, "    - %s\n", m->warnings[i]);
}

static void text_table(struct buf *out, const struct impact_report *r)
{
        char a[64];
        int w = 8;
        for (size_t t = 0; t < r->nperiods; t++)
                if ((int)strlen(r->labels[t]) > w)
                        w = (int)strlen(r->labels[t]);
        w = w > 40 ? 40 : w;
        buf_printf(out, "\n%-*s  %12s", w, "period", "observed");
        int shown[IMPACT_NMETHODS] = {0};
        for (int i = 0; i < IMPACT_NMETHODS; i++) {
                shown[i] = r->m[i].requested && r->m[i].ran;
                if (shown[i])
                        buf_printf(out, "  %12s", impact_method_name(r->m[i].id));
        }
        buf_puts(out, "\n");
        for (size_t t = 0; t < r->nperiods; t++) {
                if (t == r->first_post && t > 0)
                        buf_printf(out, "%-*s  (change)\n", w, "");
                buf_printf(out, "%-*.*s  %12s", w, w, r->labels[t],
                           fixed(a, sizeof a, r->observed[t], r->decimals));
                for (int i = 0; i < IMPACT_NMETHODS; i++)
                        if (shown[i])
                                buf_printf(
                                    out, "  %12s",
                                    fixed(a, sizeof a, r->m[i].counterfactual[t], r->decimals));
                buf_puts(out, "\n");
        }
}

static void text(struct buf *out, const struct impact_report *r)
{
        if (r->change)
                buf_printf(out, "Impact of %s: %s", r->change, r->outcome);
        else
                buf_printf(out, "Impact of the change starting at %s: %s", r->start, r->outcome);
        if (r->treated)
                buf_printf(out, " in %s", r->treated);
        buf_printf(out, "\nInput: %s (%zu unit%s, %zu periods: %zu before the change, %zu after)\n",
                   r->source, r->nunits, r->nunits == 1 ? "" : "s", r->nperiods, r->first_post,
                   r->nperiods - r->first_post);
        for (size_t i = 0; i < r->n_warnings; i++)
                buf_printf(out, "Warning: %s\n", r->warnings[i]);
        for (int i = 0; i < IMPACT_NMETHODS; i++)
                if (r->m[i].requested)
                        text_method(out, r, &r->m[i]);
        int any = 0;
        for (int i = 0; i < IMPACT_NMETHODS; i++)
                any |= r->m[i].requested && r->m[i].ran;
        if (any) {
                buf_puts(out, "\nCounterfactual by method (what the outcome would have been "
                              "without the change):");
                text_table(out, r);
        }
        buf_puts(out, "\n");
        impact_verdict(out, r);
        buf_puts(out, "\n");
}

/* ---------------------------------------------------------------- CSV */

static FILE *memstream(char **data, size_t *len)
{
        FILE *f = open_memstream(data, len);
        if (!f) {
                fprintf(stderr, "improve: out of memory\n");
                exit(4);
        }
        return f;
}

static void csv(struct buf *out, const struct impact_report *r)
{
        char *data = NULL;
        size_t len = 0;
        FILE *f = memstream(&data, &len);
        char t1[40], t2[40], t3[40], t4[40], t5[40];
        fputs("method,period,observed,counterfactual,effect,lower,upper\n", f);
        for (int i = 0; i < IMPACT_NMETHODS; i++) {
                const struct impact_method *m = &r->m[i];
                if (!m->requested || !m->ran)
                        continue;
                for (size_t t = 0; t < r->nperiods; t++) {
                        if (!m->row[t])
                                continue;
                        fprintf(f, "%s,", impact_method_name(m->id));
                        csv_write_str(f, r->labels[t]);
                        fprintf(f, ",%s,%s,%s,%s,%s\n", full(t1, sizeof t1, r->observed[t]),
                                full(t2, sizeof t2, m->counterfactual[t]),
                                full(t3, sizeof t3, m->effect_t[t]),
                                full(t4, sizeof t4, m->lower[t]), full(t5, sizeof t5, m->upper[t]));
                }
        }
        fclose(f);
        buf_append(out, data, len);
        free(data);
}

/* ---------------------------------------------------------------- JSON */

static json_t *strings(char *const *v, size_t n)
{
        json_t *a = json_array();
        for (size_t i = 0; i < n; i++)
                json_array_append_new(a, jstr(v[i]));
        return a;
}

static json_t *json_method(const struct impact_report *r, const struct impact_method *m)
{
        json_t *o = json_pack("{s:b, s:b}", "available", m->available, "ran", m->ran);
        json_object_set_new(o, "effect", jnum(m->effect));
        json_object_set_new(o, "ci_low", jnum(m->ci_low));
        json_object_set_new(o, "ci_high", jnum(m->ci_high));
        json_object_set_new(o, "pre_rmspe", jnum(m->pre_rmspe));
        json_object_set_new(o, "post_rmspe", jnum(m->post_rmspe));
        json_object_set_new(o, "p_value", jnum(m->p_value));
        json_object_set_new(o, "loss", jnum(m->loss));
        json_object_set_new(o, "n_pre", json_integer((json_int_t)m->n_pre));
        json_object_set_new(o, "n_post", json_integer((json_int_t)m->n_post));
        json_object_set_new(o, "poor_fit", json_boolean(m->poor_fit));
        json_object_set_new(o, "warnings", strings(m->warnings, m->n_warnings));
        json_object_set_new(o, "details", json_deep_copy(m->details));
        json_t *rows = json_array();
        for (size_t t = 0; m->ran && t < r->nperiods; t++) {
                if (!m->row[t])
                        continue;
                json_t *row = json_pack("{s:s}", "period", r->labels[t]);
                json_object_set_new(row, "observed", jnum(r->observed[t]));
                json_object_set_new(row, "counterfactual", jnum(m->counterfactual[t]));
                json_object_set_new(row, "effect", jnum(m->effect_t[t]));
                json_object_set_new(row, "lower", jnum(m->lower[t]));
                json_object_set_new(row, "upper", jnum(m->upper[t]));
                json_array_append_new(rows, row);
        }
        json_object_set_new(o, "periods", rows);
        return o;
}

static void json(struct buf *out, const struct impact_report *r)
{
        json_t *root = json_object();
        json_object_set_new(root, "source", jstr(r->source));
        json_object_set_new(root, "outcome", jstr(r->outcome));
        json_object_set_new(root, "start", jstr(r->start));
        json_object_set_new(root, "change", r->change ? jstr(r->change) : json_null());
        json_object_set_new(root, "treated", r->treated ? jstr(r->treated) : json_null());
        json_object_set_new(root, "first_post_period",
                            r->first_post < r->nperiods ? json_string(r->labels[r->first_post])
                                                        : json_null());
        json_object_set_new(root, "periods", json_integer((json_int_t)r->nperiods));
        json_object_set_new(root, "periods_before", json_integer((json_int_t)r->first_post));
        json_object_set_new(root, "units", json_integer((json_int_t)r->nunits));
        json_object_set_new(root, "warnings", strings(r->warnings, r->n_warnings));
        json_t *methods = json_object();
        for (int i = 0; i < IMPACT_NMETHODS; i++)
                if (r->m[i].requested)
                        json_object_set_new(methods, impact_method_name(r->m[i].id),
                                            json_method(r, &r->m[i]));
        json_object_set_new(root, "methods", methods);
        struct buf v;
        buf_init(&v);
        impact_verdict(&v, r);
        json_object_set_new(root, "verdict", jstr(v.data + strlen("Verdict: ")));
        buf_release(&v);
        char *text = json_dumps(root, JSON_FLAGS);
        if (!text) {
                fprintf(stderr, "improve: out of memory\n");
                exit(4);
        }
        buf_puts(out, text);
        buf_putc(out, '\n');
        free(text);
        json_decref(root);
}

void impact_output(struct buf *out, enum impact_format f, const struct impact_report *r)
{
        switch (f) {
        case IMPACT_TEXT:
                text(out, r);
                break;
        case IMPACT_CSV:
                csv(out, r);
                break;
        case IMPACT_JSON:
                json(out, r);
                break;
        case IMPACT_SVG:
                impact_svg(out, r);
                break;
        }
}
