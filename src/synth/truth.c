/*
 * truth.c — truth/measures.csv: the count-based measures the simulation
 * knows from its own state, by the definitions of measures.md (§0, §1, §3,
 * §4.1 with its simplification).  Nothing here reads the files the generator
 * wrote, and nothing is shared with the measures engine: this is the
 * independent answer the engine is checked against.
 *
 * Look-back measures (re-referrals within 12 months, second or subsequent
 * plans) are left out for the first generated year, as the engine cannot
 * see behind it.
 */
#include "synth/internal.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>

static void row(struct sy_la *la, int year, const char *m, double num, double den, int pct)
{
        if (den <= 0)
                return;
        double v = (pct ? 100.0 : 1e4) * num / den;
        buf_printf(&la->truth_measures, "%s,%d,%s,%.0f,%.0f,%.6f\n", la->code, year, m, num, den,
                   v);
}

void truth_la(const struct sy_region *rg, struct sy_la *la)
{
        for (int y = rg->first_year; y <= rg->last_year; y++) {
                date_t ys = date_year_start(y), ye = date_year_end(y);
                double pop = la_pop(la, y);
                long refs = 0, rerefs = 0, cin31 = 0, s47 = 0, cpp = 0, cpp_sub = 0;
                long cla31 = 0, starts = 0, ceases = 0, moves3 = 0;
                for (uint32_t c = 0; c < la->kids.n; c++) {
                        int f = la->cin_first[c], n = la->cin_n[c], open31 = 0, earlier_plan = 0;
                        for (int i = f; i < f + n; i++) {
                                const struct sy_cin *e = &la->cins.v[i];
                                if (e->ref >= ys && e->ref <= ye) {
                                        refs++;
                                        if (i > f) {
                                                date_t r0 = la->cins.v[i - 1].ref;
                                                if (r0 < e->ref &&
                                                    r0 >= date_add_months(e->ref, -12))
                                                        rerefs++;
                                        }
                                }
                                if (e->ref <= ye && (e->close == DATE_NONE || e->close > ye))
                                        open31 = 1;
                                if (e->has_s47 && e->s47_start >= ys && e->s47_start <= ye)
                                        s47++;
                                if (e->cpp_start != DATE_NONE) {
                                        if (e->cpp_start >= ys && e->cpp_start <= ye) {
                                                cpp++;
                                                cpp_sub += e->prev_cpp >= 1 || earlier_plan;
                                        }
                                        earlier_plan = 1;
                                }
                        }
                        cin31 += open31;

                        f = la->ep_first[c];
                        n = la->ep_n[c];
                        int started = 0, ceased = 0, at31 = 0, places = 0;
                        for (int i = f; i < f + n; i++) {
                                const struct sy_episode *e = &la->eps.v[i];
                                if (e->rne == 'S' && e->decom >= ys && e->decom <= ye)
                                        started = 1;
                                if (e->rec != REC_X1 && e->dec != DATE_NONE && e->dec >= ys &&
                                    e->dec <= ye)
                                        ceased = 1;
                                if (e->decom <= ye && (e->dec == DATE_NONE || e->dec > ye))
                                        at31 = 1;
                                if (e->decom <= ye && (e->dec == DATE_NONE || e->dec >= ys)) {
                                        if (places == 0 || e->rne == 'S' || e->rne == 'P' ||
                                            e->rne == 'B')
                                                places++;
                                }
                        }
                        starts += started;
                        ceases += ceased;
                        cla31 += at31;
                        moves3 += at31 && places >= 3;
                }
                row(la, y, "referrals_rate_per_10k", refs, pop, 0);
                if (y > rg->first_year)
                        row(la, y, "rereferrals_12m_pct", rerefs, refs, 1);
                row(la, y, "cin_rate_per_10k", cin31, pop, 0);
                row(la, y, "s47_rate_per_10k", s47, pop, 0);
                if (y > rg->first_year)
                        row(la, y, "cpp_second_subsequent_pct", cpp_sub, cpp, 1);
                row(la, y, "cla_rate_per_10k", cla31, pop, 0);
                row(la, y, "cla_starting_rate_per_10k", starts, pop, 0);
                row(la, y, "cla_ceasing_rate_per_10k", ceases, pop, 0);
                row(la, y, "cla_placements_3plus_pct", moves3, cla31, 1);
        }
}

int truth_write(const struct sy_region *rg, struct err *e)
{
        const char *names[2] = {"measures.csv", "errors.csv"};
        const char *heads[2] = {"la,year,measure,numerator,denominator,value",
                                "la,year,rule,table,row,child,file"};
        for (int w = 0; w < 2; w++) {
                char path[4096];
                snprintf(path, sizeof path, "%s/truth/%s", rg->o->out_dir, names[w]);
                FILE *f = sy_fopen(path, e);
                if (!f)
                        return -1;
                fprintf(f, "%s\n", heads[w]);
                for (int i = 0; i < rg->nlas; i++) {
                        const struct buf *b =
                            w ? &rg->las[i].truth_errors : &rg->las[i].truth_measures;
                        fwrite(b->data, 1, b->len, f);
                }
                int bad = ferror(f);
                if (fclose(f) != 0 || bad)
                        return err_set(e, EXIT_INPUT, "error writing %s", path);
        }
        return 0;
}
