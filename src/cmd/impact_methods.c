/*
 * impact_methods.c — running interrupted time series, synthetic control and
 * difference in differences on the treated unit of a panel, and turning each
 * result into the common shape of impact.h (headline figures, a path per
 * period, warnings in words, details for JSON).  The statistics themselves
 * are in src/stats/its.c, sc.c and did.c.
 */
#include "cmd/impact_int.h"
#include "core/date.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "stats/did.h"
#include "stats/its.h"
#include "stats/sc.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- report helpers */

const char *impact_method_name(enum impact_method_id id)
{
        static const char *const names[] = {"its", "sc", "did"};
        return (unsigned)id < IMPACT_NMETHODS ? names[id] : "?";
}

const char *impact_method_title(enum impact_method_id id)
{
        static const char *const titles[] = {"Interrupted time series", "Synthetic control",
                                             "Difference in differences"};
        return (unsigned)id < IMPACT_NMETHODS ? titles[id] : "?";
}

static void push(char ***list, size_t *n, const char *fmt, va_list ap)
{
        char *s = NULL;
        if (vasprintf(&s, fmt, ap) < 0)
                s = xstrdup("(warning could not be formatted)");
        *list = xrealloc(*list, (*n + 1) * sizeof **list);
        (*list)[(*n)++] = s;
}

void impact_method_warn(struct impact_method *m, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        push(&m->warnings, &m->n_warnings, fmt, ap);
        va_end(ap);
}

void impact_report_warn(struct impact_report *r, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        push(&r->warnings, &r->n_warnings, fmt, ap);
        va_end(ap);
}

void impact_report_release(struct impact_report *r)
{
        for (int i = 0; i < IMPACT_NMETHODS; i++) {
                struct impact_method *m = &r->m[i];
                free(m->counterfactual);
                free(m->effect_t);
                free(m->lower);
                free(m->upper);
                free(m->row);
                for (size_t k = 0; k < m->n_warnings; k++)
                        free(m->warnings[k]);
                free(m->warnings);
                json_decref(m->details);
        }
        for (size_t k = 0; k < r->n_warnings; k++)
                free(r->warnings[k]);
        free(r->warnings);
        free(r->placebo_gap);
        free(r->sc_gap);
        memset(r, 0, sizeof *r);
}

void impact_method_init(struct impact_method *m, enum impact_method_id id, size_t n)
{
        m->id = id;
        m->effect = m->ci_low = m->ci_high = m->pre_mean = NAN;
        m->pre_rmspe = m->post_rmspe = m->p_value = m->loss = NAN;
        m->counterfactual = xmalloc(n * sizeof(double));
        m->effect_t = xmalloc(n * sizeof(double));
        m->lower = xmalloc(n * sizeof(double));
        m->upper = xmalloc(n * sizeof(double));
        m->row = xcalloc(n ? n : 1, 1);
        for (size_t t = 0; t < n; t++)
                m->counterfactual[t] = m->effect_t[t] = m->lower[t] = m->upper[t] = NAN;
        m->details = json_object();
}

static json_t *num(double v)
{
        return isfinite(v) ? json_real(v == 0 ? 0.0 : v) : json_null();
}

/* ---------------------------------------------------------------- the methods */

/* Month index (year·12 + month - 1) of a date key, for spacing checks and harmonics. */
long impact_month_index(double key, int *month)
{
        int y, m, d;
        date_to_ymd((date_t)key, &y, &m, &d);
        if (month)
                *month = m;
        return (long)y * 12 + m - 1;
}

/* Periods used by a series: are they evenly spaced?  Names the first gap when not. */
/*
 * The time of each point for the model: periods counted in steps of the
 * smallest spacing, so that a period left out (a missing value, a transition)
 * keeps its width rather than pulling the later periods forward.  Returns 0
 * and leaves positions 1..n when the periods do not sit on one grid.
 */
static int series_times(const struct impact_report *r, struct impact_method *m,
                        const struct impact_panel *p, const size_t *idx, size_t n, double *times)
{
        for (size_t i = 0; i < n; i++)
                times[i] = (double)(i + 1);
        if (n < 2)
                return 0;
        double *pos = xmalloc(n * sizeof *pos);
        for (size_t i = 0; i < n; i++)
                pos[i] = p->kind == IMPACT_TIME_DATE
                             ? (double)impact_month_index(p->keys[idx[i]], NULL)
                             : p->keys[idx[i]];
        double step = HUGE_VAL;
        for (size_t i = 1; i < n; i++)
                step = fmin(step, pos[i] - pos[i - 1]);
        int grid = step > 0;
        for (size_t i = 0; grid && i < n; i++) {
                double k = (pos[i] - pos[0]) / step;
                grid = fabs(k - round(k)) <= 1e-9 * fmax(1, fabs(k));
        }
        size_t gap = 0;
        for (size_t i = 1; i < n && !gap; i++)
                if (pos[i] - pos[i - 1] > step * (1 + 1e-9))
                        gap = i;
        if (grid) {
                for (size_t i = 0; i < n; i++)
                        times[i] = round((pos[i] - pos[0]) / step) + 1;
                if (gap)
                        impact_method_warn(m,
                                           "the series has a gap between %s and %s; each period "
                                           "keeps its own time in the model, but the Newey-West "
                                           "errors assume none is missing",
                                           r->labels[idx[gap - 1]], r->labels[idx[gap]]);
        } else {
                impact_method_warn(m, "the periods are not evenly spaced; the time series model "
                                      "treats them as consecutive");
        }
        free(pos);
        return grid;
}

void impact_run_its(struct impact_report *r, const struct impact_panel *p, size_t treated,
                    const struct impact_its_request *q)
{
        struct impact_method *m = &r->m[IMPACT_ITS];
        size_t *idx = xmalloc((p->nperiods ? p->nperiods : 1) * sizeof *idx);
        double *y = xmalloc((p->nperiods ? p->nperiods : 1) * sizeof *y);
        int *month = xmalloc((p->nperiods ? p->nperiods : 1) * sizeof *month);
        size_t n = 0, n_pre = 0, missing = 0;
        for (size_t t = 0; t < p->nperiods; t++) {
                double v = p->y[treated * p->nperiods + t];
                if (isnan(v)) {
                        missing++;
                        continue;
                }
                idx[n] = t;
                month[n] = q->seasonal ? q->month[t] : 0;
                y[n++] = v;
                n_pre += t < r->first_post;
        }
        m->n_pre = n_pre;
        m->n_post = n - n_pre;
        if (missing)
                impact_method_warn(m, "%zu period%s without a value left out", missing,
                                   missing == 1 ? "" : "s");
        double *times = xmalloc((n + 1) * sizeof *times);
        series_times(r, m, p, idx, n, times);
        struct its_options o;
        its_options_init(&o);
        o.lag = (int)q->lag;
        o.small_sample = q->small_sample;
        o.time = times;
        if (q->seasonal) {
                o.harmonics = 2;
                o.month = month;
        }
        struct its_fit f;
        struct err e = {0};
        if (its_fit(y, n, n_pre, &o, &f, &e) != 0) {
                impact_method_warn(m, "no estimate: %s", e.msg);
                goto out;
        }
        m->ran = 1;
        m->effect = f.effect;
        m->ci_low = f.effect_low;
        m->ci_high = f.effect_high;
        m->p_value = f.effect_p;
        m->pre_rmspe = f.pre_rmspe;
        m->post_rmspe = f.post_rmspe;
        m->loss = f.ssr / (double)f.n;
        m->poor_fit = f.poor_fit;
        m->pre_mean = f.pre_mean;
        for (size_t i = 0; i < n; i++) {
                size_t t = idx[i];
                m->row[t] = 1;
                m->counterfactual[t] = f.counterfactual[i];
                m->effect_t[t] = f.effect_t[i];
                m->lower[t] = f.effect_low_t[i];
                m->upper[t] = f.effect_high_t[i];
        }
        for (size_t i = 0; i < f.n_warnings; i++)
                impact_method_warn(m, "%s", f.warnings[i]);
        static const char *const names[] = {
            "b0_intercept", "b1_trend", "b2_level_change", "b3_slope_change", "sin1", "cos1",
            "sin2",         "cos2"};
        json_t *b = json_object(), *se_ols = json_object(), *se_nw = json_object();
        for (size_t j = 0; j < f.k; j++) {
                json_object_set_new(b, names[j], num(f.b[j]));
                json_object_set_new(se_ols, names[j], num(f.se_ols[j]));
                json_object_set_new(se_nw, names[j], num(f.se_nw[j]));
        }
        json_object_update_new(
            m->details,
            json_pack("{s:o, s:o, s:o, s:i, s:b, s:i, s:o, s:o, s:o, s:o, s:i}", "coefficients", b,
                      "se_ols", se_ols, "se_newey_west", se_nw, "lag", f.lag, "small_sample_factor",
                      q->small_sample, "df", f.df, "durbin_watson", num(f.dw), "effect_se",
                      num(f.effect_se), "effect_se_ols", num(f.effect_se_ols), "pre_mean",
                      num(f.pre_mean), "harmonics", o.harmonics));
        its_fit_release(&f);
out:
        free(idx);
        free(y);
        free(month);
        free(times);
}

/*
 * Synthetic control and DiD judge their fit on the periods before the change;
 * with one or two of them a perfect fit proves nothing, so, like the time
 * series (§3.1), they need at least ITS_MIN_SIDE.
 */
static int too_few(struct impact_method *m, const char *what, size_t n_pre, size_t n_post)
{
        m->n_pre = n_pre;
        m->n_post = n_post;
        if (n_pre >= ITS_MIN_SIDE && n_post >= 1)
                return 0;
        impact_method_warn(m,
                           "no estimate: %s needs at least %d periods before the change and 1 "
                           "after; there %s %zu before and %zu after",
                           what, ITS_MIN_SIDE, n_pre == 1 ? "is" : "are", n_pre, n_post);
        return 1;
}

void impact_run_sc(struct impact_report *r, const struct impact_panel *p, size_t treated,
                   const struct impact_sc_request *q)
{
        struct impact_method *m = &r->m[IMPACT_SC];
        struct sc_panel sp = {p->nunits, p->nperiods, p->y, p->nseries,
                              (const double *const *)p->series};
        struct sc_options o;
        sc_options_init(&o);
        o.fit_from = q->fit_from;
        o.exclude = q->exclude;
        o.drop_incomplete = 1;
        /* A period without the treated unit's value can be neither fitted nor judged. */
        unsigned char *skip = xcalloc(p->nperiods + 1, 1);
        size_t skipped = 0;
        for (size_t t = 0; t < p->nperiods; t++)
                if (isnan(p->y[treated * p->nperiods + t])) {
                        skip[t] = 1;
                        skipped++;
                }
        o.skip = skip;
        o.predictors = q->predictors;
        o.npredictors = q->npredictors;
        struct sc_result res;
        sc_result_init(&res);
        struct err e = {0};
        size_t pre_missing = 0;
        for (size_t t = 0; t < r->first_post && t < p->nperiods; t++)
                pre_missing += skip[t];
        if (skipped)
                impact_method_warn(m, "%zu period%s without a value for the treated unit left out",
                                   skipped, skipped == 1 ? "" : "s");
        if (too_few(m, "synthetic control", r->first_post - pre_missing,
                    p->nperiods - r->first_post - (skipped - pre_missing)) ||
            sc_fit(&sp, treated, r->first_post, &o, &res, &e) != 0) {
                if (e.code)
                        impact_method_warn(m, "no estimate: %s", e.msg);
                sc_result_release(&res);
                free(skip);
                return;
        }
        free(skip);
        m->ran = 1;
        m->effect = res.att;
        m->pre_rmspe = res.pre_rmspe;
        m->post_rmspe = res.post_rmspe;
        m->loss = res.loss;
        m->poor_fit = res.poor_fit;
        m->pre_mean = res.pre_mean;
        if (res.placebos_run) {
                m->p_value = res.p_value;
                m->p_rank = res.p_rank;
                m->p_units = res.p_units;
        }
        if (res.ndropped)
                impact_method_warn(m,
                                   "%zu comparison unit%s left out for missing values in the "
                                   "periods the fit needs",
                                   res.ndropped, res.ndropped == 1 ? "" : "s");
        if (res.warning[0])
                impact_method_warn(m, "%s", res.warning);
        r->sc_gap = xmalloc(p->nperiods * sizeof *r->sc_gap);
        for (size_t t = 0; t < p->nperiods; t++) {
                double obs = p->y[treated * p->nperiods + t];
                r->sc_gap[t] = res.gap[t];
                if (isnan(res.synthetic[t]) || isnan(obs))
                        continue;
                m->row[t] = 1;
                m->counterfactual[t] = res.synthetic[t];
                if (t >= r->first_post)
                        m->effect_t[t] = res.gap[t];
        }
        if (res.placebos_run && res.ndonors) {
                r->placebo_gap = xmalloc(res.ndonors * p->nperiods * sizeof *r->placebo_gap);
                for (size_t i = 0; i < res.ndonors; i++) {
                        if (res.placebo_kept && !res.placebo_kept[i])
                                continue;
                        memcpy(r->placebo_gap + r->nplacebo * p->nperiods,
                               res.placebo_gap + i * p->nperiods,
                               p->nperiods * sizeof *r->placebo_gap);
                        r->nplacebo++;
                }
        }
        json_t *weights = json_object();
        for (size_t i = 0; i < res.ndonors; i++)
                if (res.weight[i] >= 0.0005)
                        json_object_set_new(weights, p->units[res.donor[i]], num(res.weight[i]));
        json_t *preds = json_array();
        for (size_t k = 0; k < res.npredictors; k++)
                json_array_append_new(preds, json_pack("{s:s, s:o, s:o, s:o}", "predictor",
                                                       q->predictor_text[k], "v", num(res.v[k]),
                                                       "treated", num(res.x_treated[k]),
                                                       "synthetic", num(res.x_synth[k])));
        json_object_update_new(
            m->details,
            json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:i, s:i, s:b}", "donors",
                      (json_int_t)res.ndonors, "dropped_for_missing", (json_int_t)res.ndropped,
                      "weights_informative", weights, "predictors", preds, "ratio", num(res.ratio),
                      "pre_ssr", num(res.pre_ssr), "inner_loss", num(res.inner_loss), "placebos",
                      (json_int_t)r->nplacebo, "p_rank", (json_int_t)res.p_rank, "p_units",
                      (json_int_t)res.p_units, "iterations", res.iterations, "evaluations",
                      res.evaluations, "converged", res.converged));
        sc_result_release(&res);
}

void impact_run_did(struct impact_report *r, const struct impact_panel *p, size_t treated,
                    const unsigned char *exclude)
{
        struct impact_method *m = &r->m[IMPACT_DID];
        size_t P = p->nperiods;
        size_t have_pre = 0, have_post = 0;
        for (size_t t = 0; t < P; t++)
                if (!isnan(p->y[treated * P + t]))
                        *(t < r->first_post ? &have_pre : &have_post) += 1;
        if (too_few(m, "difference in differences", have_pre, have_post))
                return;
        struct did_obs *obs = xmalloc((p->nunits * P + 1) * sizeof *obs);
        double *control = xmalloc(P * sizeof *control);
        size_t n = 0;
        for (size_t t = 0; t < P; t++) {
                double sum = 0;
                size_t k = 0;
                for (size_t u = 0; u < p->nunits; u++) {
                        double v = p->y[u * P + t];
                        if ((exclude && exclude[u]) || isnan(v))
                                continue;
                        obs[n++] = (struct did_obs){u, u == treated, t >= r->first_post, v};
                        if (u != treated) {
                                sum += v;
                                k++;
                        }
                }
                control[t] = k ? sum / (double)k : NAN;
        }
        struct did_result d;
        struct err e = {0};
        if (did_estimate(obs, n, p->nunits, 0.95, &d, &e) != 0) {
                impact_method_warn(m, "no estimate: %s", e.msg);
                goto out;
        }
        m->ran = 1;
        m->effect = d.did;
        m->ci_low = d.ci_low;
        m->ci_high = d.ci_high;
        m->p_value = d.p_value;
        did_counterfactual(&d, control, P, m->counterfactual);
        double pre_sq = 0, post_sq = 0;
        size_t npre = 0, npost = 0;
        for (size_t t = 0; t < P; t++) {
                double y = p->y[treated * P + t];
                if (isnan(y) || isnan(m->counterfactual[t])) {
                        m->counterfactual[t] = NAN;
                        continue;
                }
                m->row[t] = 1;
                double g = y - m->counterfactual[t];
                if (t >= r->first_post) {
                        m->effect_t[t] = g;
                        post_sq += g * g;
                        npost++;
                } else {
                        pre_sq += g * g;
                        npre++;
                }
        }
        m->n_pre = npre;
        m->n_post = npost;
        m->pre_rmspe = npre ? sqrt(pre_sq / (double)npre) : NAN;
        m->post_rmspe = npost ? sqrt(post_sq / (double)npost) : NAN;
        m->loss = npre ? pre_sq / (double)npre : NAN;
        m->pre_mean = d.mean_pre_t;
        m->poor_fit = m->pre_rmspe > 0.10 * fabs(d.mean_pre_t);
        if (m->poor_fit)
                impact_method_warn(m,
                                   "the treated unit and the comparison units did not move in "
                                   "parallel before the change (pre-period RMSPE %.3g is more "
                                   "than 10%% of the pre-period mean %.3g)",
                                   m->pre_rmspe, d.mean_pre_t);
        for (size_t i = 0; i < d.n_warnings; i++)
                impact_method_warn(m, "%s", d.warnings[i]);
        json_object_update_new(m->details,
                               json_pack("{s:o, s:o, s:o, s:o, s:o, s:i, s:I, s:I, s:I}",
                                         "mean_pre_treated", num(d.mean_pre_t), "mean_post_treated",
                                         num(d.mean_post_t), "mean_pre_controls", num(d.mean_pre_c),
                                         "mean_post_controls", num(d.mean_post_c), "se_clustered",
                                         num(d.se), "df", d.df, "clusters", (json_int_t)d.clusters,
                                         "treated_units", (json_int_t)d.treated_units, "rows",
                                         (json_int_t)d.n));
        did_result_release(&d);
out:
        free(obs);
        free(control);
}
