/*
 * write903.c — the SSDA903 return of one authority and collection year, as
 * the CSV tables authorities produce: DfE column names, dd/mm/YYYY dates and
 * that year's codes (SEX 1/2 until 2023/24, M/F after; sw_episodes.csv from
 * 2023/24; dolo.csv from 2026/27).
 *
 * Who appears follows the cohorts of data-formats.md §1.1.  An episode, a
 * missing period or a social-worker episode that is still running on 31
 * March is written open (blank end, reason and reason for placement change),
 * and is re-sent with its original start the next year, as real returns do.
 */
#include "synth/internal.h"
#include "core/err.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct table {
        FILE *f;
        const char *name; /* DfE table name, e.g. "Episodes" */
        char path[4096];
        char rel[64]; /* path relative to the output directory */
        long row;
};

static int open_table(struct table *t, const char *dir, const struct sy_la *la, int year,
                      const char *file, const char *table, const char *header, struct err *e)
{
        t->name = table;
        t->row = 0;
        snprintf(t->path, sizeof t->path, "%s/%s/%d/903/%s", dir, la->code, year, file);
        snprintf(t->rel, sizeof t->rel, "%s/%d/903/%s", la->code, year, file);
        t->f = sy_fopen(t->path, e);
        if (!t->f)
                return -1;
        fputs(header, t->f);
        fputc('\n', t->f);
        return 0;
}

/* Fields of one row before it is written, so an injected error can replace one. */
#define MAXF 14
struct row {
        char f[MAXF][24];
        int n;
};

static void set(struct row *r, int i, const char *s)
{
        snprintf(r->f[i], sizeof r->f[i], "%s", s ? s : "");
        if (i >= r->n)
                r->n = i + 1;
}

static void set_date(struct row *r, int i, date_t d)
{
        date_format_uk(d, r->f[i]);
        if (i >= r->n)
                r->n = i + 1;
}

static void emit(struct table *t, const struct row *r)
{
        for (int i = 0; i < r->n; i++) {
                if (i)
                        fputc(',', t->f);
                fputs(r->f[i], t->f);
        }
        fputc('\n', t->f);
        t->row++;
}

/* Which mistakes a row can take, and what they need to know about it. */
enum mistake_kind { MK_HEADER, MK_EPISODE, MK_REVIEW, MK_MISSING, MK_OC3, MK_PLACED, MK_UASC };
struct mistake {
        int kind;
        const struct sy_episode *prev; /* Episodes: the child's episode before, in this return */
        int closed;                    /* Episodes: DEC and REC are given */
};

/* A date that does not exist, in the collection year before `year`'s end. */
static void impossible_date(struct row *r, int i, int year)
{
        char bad[24];
        snprintf(bad, sizeof bad, "31/02/%d", year - 1);
        set(r, i, bad);
}

/* Episodes: one of nine mistakes, each the one a named rule finds. */
static const char *episode_mistake(struct row *r, struct rng *g, const struct mistake *m, int year)
{
        for (;;) {
                switch (rng_int(g, 9)) {
                case 0:
                        set(r, 5, "Z9");
                        return "146";
                case 1:
                        set(r, 3, "C9");
                        return "144";
                case 2:
                        set(r, 2, "Q");
                        return "143";
                case 3:
                        impossible_date(r, 1, year);
                        return "141";
                case 4: /* a category of need typed as the CIN census's N0/N9 */
                        set(r, 4, rng_chance(g, 0.5) ? "N0" : "N9");
                        return "145";
                case 5: /* a mistyped reason for ceasing */
                        if (!m->closed)
                                break;
                        set(r, 8, "E1");
                        return "149";
                case 6: { /* overlapping episodes: this one starts before the last ended */
                        const struct sy_episode *p = m->prev;
                        if (!p || p->dec == DATE_NONE || p->dec - p->decom < 2)
                                break;
                        int room = (int)(p->dec - p->decom) - 1;
                        set_date(r, 1, p->dec - 1 - rng_int(g, room < 10 ? room : 10));
                        return "501";
                }
                case 7: { /* a postcode typed wrongly: no such postcode (the region's never
                           * end in V) */
                        size_t n = strlen(r->f[10]);
                        if (n == 0)
                                break;
                        r->f[10][n - 1] = 'V';
                        return "392c";
                }
                default: /* a URN typed wrongly: no such provider */
                        if (!r->f[12][0])
                                break;
                        set(r, 12, rng_chance(g, 0.5) ? "SC012345" : "SC054321");
                        return "1008";
                }
        }
}

/* Possibly give this row a realistic mistake, then write it.  1 if it has one. */
static int emit_checked(struct table *t, struct row *r, struct sy_errs *er, const char *child,
                        const struct mistake *m)
{
        const char *rule = NULL;
        if (errs_roll(er)) {
                struct rng *g = &er->rng;
                switch (m->kind) {
                case MK_HEADER:
                        if (rng_chance(g, 0.5)) {
                                set(r, 1, "X");
                                rule = "101";
                        } else {
                                set(r, 3, rng_chance(g, 0.5) ? "" : "WBRX");
                                rule = "103";
                        }
                        break;
                case MK_EPISODE:
                        rule = episode_mistake(r, g, m, er->year);
                        break;
                case MK_REVIEW:
                        set(r, 3, "PN9");
                        rule = "167";
                        break;
                case MK_MISSING:
                        set(r, 2, "X");
                        rule = "1006";
                        break;
                case MK_OC3:
                        set(r, 2, "MAYBE");
                        rule = "131";
                        break;
                case MK_PLACED: /* the reason for reversal needs a reversal */
                        if (r->f[4][0]) {
                                set(r, 4, "RD5");
                                rule = "120";
                        }
                        break;
                case MK_UASC: /* the date UASC status ceased needs a date */
                        if (r->f[3][0]) {
                                impossible_date(r, 3, er->year);
                                rule = "104";
                        }
                        break;
                default:
                        break;
                }
                if (rule)
                        errs_record(er, rule, t->name, t->row + 1, child, t->rel);
        }
        emit(t, r);
        return rule != NULL;
}

static int close_table(struct table *t, struct err *e)
{
        if (!t->f)
                return 0;
        int bad = ferror(t->f);
        if (fclose(t->f) != 0 || bad)
                return err_set(e, EXIT_INPUT, "error writing %s", t->path);
        t->f = NULL;
        return 0;
}

static date_t bday(date_t dob, int n)
{
        int y, m, d;
        date_to_ymd(dob, &y, &m, &d);
        if (m == 2 && d == 29)
                d = 28;
        return date_from_ymd(y + n, m, d);
}

static int requires_urn(int place)
{
        return place != PL_P1;
}

enum {
        T_HEADER,
        T_EPISODES,
        T_REVIEWS,
        T_UASC,
        T_OC2,
        T_OC3,
        T_AD1,
        T_PLACED,
        T_PREVPERM,
        T_MISSING,
        T_SW,
        T_DOLO,
        T_N
};

int write903_year(const struct sy_region *rg, struct sy_la *la, int year, struct sy_errs *er)
{
        struct err e;
        err_clear(&e);
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/%s/%d/903", rg->o->out_dir, la->code, year);
        if (sy_mkdirs(dir, &e) < 0)
                goto fail;
        date_t ys = date_year_start(year), ye = date_year_end(year);
        int fmt = sy_fmt(year);
        struct table t[T_N] = {0};
        static const char *const names[T_N] = {
            "header.csv",    "episodes.csv", "reviews.csv",     "uasc.csv",
            "oc2.csv",       "oc3.csv",      "ad1.csv",         "placed_adoption.csv",
            "prev_perm.csv", "missing.csv",  "sw_episodes.csv", "dolo.csv"};
        static const char *const tables[T_N] = {
            "Header", "Episodes",       "Reviews",  "UASC",    "OC2",        "OC3",
            "AD1",    "PlacedAdoption", "PrevPerm", "Missing", "SWEpisodes", "DoLo"};
        static const char *const heads[T_N] = {
            "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB",
            "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
            "PL_POST,URN",
            "CHILD,DOB,REVIEW,REVIEW_CODE",
            "CHILD,SEX,DOB,DUC",
            "CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,"
            "HEALTH_ASSESSMENT,SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED",
            "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM",
            "CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR",
            "CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED",
            "CHILD,DOB,PREV_PERM,LA_PERM,DATE_PERM",
            "CHILD,DOB,MISSING,MIS_START,MIS_END",
            "CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON",
            "CHILD,DOB,DOLO_START,DOLO_END"};
        for (int i = 0; i < T_N; i++) {
                if (i == T_SW && fmt < 2024)
                        continue;
                if (i == T_DOLO && fmt < 2027)
                        continue;
                if (open_table(&t[i], rg->o->out_dir, la, year, names[i], tables[i], heads[i], &e) <
                    0)
                        goto fail_tables;
        }

        for (uint32_t c = 0; c < la->kids.n; c++) {
                const struct sy_child *k = &la->kids.v[c];
                int f = la->ep_first[c], n = la->ep_n[c];
                int first = -1, last = -1;
                for (int i = f; i < f + n; i++) {
                        const struct sy_episode *ep = &la->eps.v[i];
                        if (ep->decom <= ye && (ep->dec == DATE_NONE || ep->dec >= ys)) {
                                if (first < 0)
                                        first = i;
                                last = i;
                        }
                }
                const char *in_touch = NULL, *activ = NULL, *accom = NULL;
                int oc3 = leaving_oc3(la, c, year, &in_touch, &activ, &accom);
                if (first < 0 && !oc3)
                        continue;
                char id[16], dob[11];
                sy_child_id(la, c, id);
                date_format_uk(k->dob, dob);
                struct row r = {0};

                /* Header */
                char upn[14];
                sy_upn(la, c, upn);
                set(&r, 0, id);
                set(&r, 1, sy_sex_903(year, k->sex));
                set(&r, 2, dob);
                set(&r, 3, sy_ethnic_code[k->ethnic]);
                set(&r, 4, upn);
                set(&r, 5, first >= 0 && k->sex ? "0" : "");
                set(&r, 6, "");
                emit_checked(&t[T_HEADER], &r, er, id, &(struct mistake){.kind = MK_HEADER});

                if (oc3) {
                        memset(&r, 0, sizeof r);
                        set(&r, 0, id);
                        set(&r, 1, dob);
                        set(&r, 2, in_touch);
                        set(&r, 3, activ);
                        set(&r, 4, accom);
                        emit_checked(&t[T_OC3], &r, er, id, &(struct mistake){.kind = MK_OC3});
                }
                if (first < 0)
                        continue;

                /* Episodes, and the periods of care they make for reviews. */
                date_t pstart = DATE_NONE;
                int prev_bad = 0;
                for (int i = f; i <= last; i++) {
                        const struct sy_episode *ep = &la->eps.v[i];
                        if (ep->rne == 'S')
                                pstart = ep->decom;
                        if (i < first)
                                continue;
                        int closed = ep->dec != DATE_NONE && ep->dec <= ye;
                        memset(&r, 0, sizeof r);
                        set(&r, 0, id);
                        set_date(&r, 1, ep->decom);
                        char rne[2] = {(char)ep->rne, 0};
                        set(&r, 2, rne);
                        set(&r, 3, sy_ls_code[ep->ls]);
                        set(&r, 4, sy_need_code[ep->need]);
                        set(&r, 5, sy_place_code[ep->place]);
                        set(&r, 6, sy_provider_code[ep->provider]);
                        if (closed) {
                                set_date(&r, 7, ep->dec);
                                set(&r, 8, sy_rec_code[ep->rec]);
                                set(&r, 9, ep->rpc < SY_RPC_N ? sy_rpc_code[ep->rpc] : "");
                        } else {
                                set(&r, 7, "");
                                set(&r, 8, "");
                                set(&r, 9, "");
                        }
                        set(&r, 10, ep->home_pc >= 0 ? rg->pc[ep->home_pc].pcd : "");
                        set(&r, 11, ep->pl_pc >= 0 ? rg->pc[ep->pl_pc].pcd : "");
                        set(&r, 12,
                            requires_urn(ep->place) && ep->urn >= 0 ? rg->prov[ep->urn].urn : "");
                        /* Episodes overlap only against a row written as it is: a mistake
                         * in the row before (a date that is no date) would hide the overlap. */
                        struct mistake mk = {
                            MK_EPISODE, i > first && !prev_bad ? &la->eps.v[i - 1] : NULL, closed};
                        prev_bad = emit_checked(&t[T_EPISODES], &r, er, id, &mk);
                }

                /* Reviews: 20 working days in, three months later, then six-monthly. */
                {
                        date_t ps = DATE_NONE;
                        for (int i = f; i <= last; i++) {
                                const struct sy_episode *ep = &la->eps.v[i];
                                if (ep->rne == 'S')
                                        ps = ep->decom;
                                int ends = ep->dec != DATE_NONE && ep->rec != REC_X1;
                                if (!(ends || i == last) || ps == DATE_NONE)
                                        continue;
                                date_t pend = ep->dec == DATE_NONE ? ye + 1 : ep->dec;
                                date_t rv = sy_add_working_days(ps, 20);
                                for (int m = 0; rv < pend; m++) {
                                        if (rv >= ys && rv <= ye) {
                                                memset(&r, 0, sizeof r);
                                                set(&r, 0, id);
                                                set(&r, 1, dob);
                                                set_date(&r, 2, rv);
                                                int a = date_age(k->dob, rv);
                                                const char *pn = "PN0";
                                                if (a >= 4) {
                                                        static const char *const pns[] = {
                                                            "PN1", "PN2", "PN3", "PN4",
                                                            "PN5", "PN6", "PN7"};
                                                        static const double w[] = {50, 10, 3, 5,
                                                                                   12, 15, 5};
                                                        struct rng rr;
                                                        rng_seed(&rr,
                                                                 sy_hash(la->idx, c, (uint64_t)rv),
                                                                 5);
                                                        pn = pns[rng_pick(&rr, w, 7)];
                                                }
                                                set(&r, 3, pn);
                                                emit_checked(&t[T_REVIEWS], &r, er, id,
                                                             &(struct mistake){.kind = MK_REVIEW});
                                        }
                                        rv = date_add_months(rv, m == 0 ? 3 : 6);
                                }
                                ps = DATE_NONE;
                        }
                }

                /* UASC */
                if (k->uasc) {
                        date_t duc = bday(k->dob, 18);
                        memset(&r, 0, sizeof r);
                        set(&r, 0, id);
                        set(&r, 1, sy_sex_903(year, k->sex));
                        set(&r, 2, dob);
                        if (duc <= ye)
                                set_date(&r, 3, duc);
                        else
                                set(&r, 3, "");
                        emit_checked(&t[T_UASC], &r, er, id, &(struct mistake){.kind = MK_UASC});
                }

                /* OC2 */
                if (leaving_in_oc2_cohort(la, c, year)) {
                        struct sy_oc2 o;
                        leaving_oc2(la, c, year, &o);
                        memset(&r, 0, sizeof r);
                        set(&r, 0, id);
                        set(&r, 1, dob);
                        char b[12];
                        int vals[10] = {
                            o.sdq,           -1,       o.convicted,         o.health_check,
                            o.immunisations, o.teeth,  o.health_assessment, o.substance,
                            o.received,      o.offered};
                        for (int i = 0; i < 10; i++) {
                                if (vals[i] < 0)
                                        b[0] = 0;
                                else
                                        snprintf(b, sizeof b, "%d", vals[i]);
                                set(&r, 2 + i, b);
                        }
                        emit(&t[T_OC2], &r);
                }

                /* AD1 and PlacedAdoption */
                const struct sy_episode *lastep = &la->eps.v[last];
                if (k->adopt >= 0) {
                        const struct sy_adopt *a = &la->adopts.v[k->adopt];
                        int adopted = lastep->dec != DATE_NONE && lastep->dec >= ys &&
                                      lastep->dec <= ye &&
                                      (lastep->rec == REC_E11 || lastep->rec == REC_E12);
                        if (adopted) {
                                static const char *const sx[] = {"M1", "F1", "MM", "FF", "MF"};
                                static const char *const lsx[] = {"L0", "L11", "L12",
                                                                  "L2", "L3",  "L4"};
                                memset(&r, 0, sizeof r);
                                set(&r, 0, id);
                                set(&r, 1, dob);
                                set_date(&r, 2, a->decision);
                                set_date(&r, 3, a->match);
                                set(&r, 4, a->foster_care ? "1" : "0");
                                set(&r, 5, a->nb == 1 ? "1" : "2");
                                set(&r, 6, sx[a->sex_adoptr]);
                                set(&r, 7, lsx[a->ls_adoptr]);
                                emit(&t[T_AD1], &r);
                        }
                        /* A decision reversed before this year was reported in the year it
                         * was reversed and is not sent again (118, 561, 584). */
                        int reversed_before = a->ceased != DATE_NONE && a->ceased < ys;
                        if (a->decision <= ye && !reversed_before) {
                                memset(&r, 0, sizeof r);
                                set(&r, 0, id);
                                set(&r, 1, dob);
                                set_date(&r, 2, a->decision);
                                if (a->ceased != DATE_NONE && a->ceased <= ye) {
                                        set_date(&r, 3, a->ceased);
                                        char rd[4] = {'R', 'D', (char)('0' + a->reason_ceased), 0};
                                        set(&r, 4, rd);
                                } else {
                                        set(&r, 3, "");
                                        set(&r, 4, "");
                                }
                                emit_checked(&t[T_PLACED], &r, er, id,
                                             &(struct mistake){.kind = MK_PLACED});
                        }
                }

                /* PrevPerm: periods of care that began on or after 1 April 2016.  Every
                 * option but Z1 has its authority and date (630). */
                if (pstart != DATE_NONE && pstart >= date_from_ymd(2016, 4, 1)) {
                        memset(&r, 0, sizeof r);
                        set(&r, 0, id);
                        set(&r, 1, dob);
                        set(&r, 2, sy_prev_perm_code[k->prev_perm]);
                        if (k->prev_perm) {
                                char dp[16];
                                perm_date_text(k, dp);
                                set(&r, 3, sy_la_perm_code[k->perm_la]);
                                set(&r, 4, dp);
                        } else {
                                set(&r, 3, "");
                                set(&r, 4, "");
                        }
                        emit(&t[T_PREVPERM], &r);
                }

                /* Missing */
                for (int i = la->miss_first[c]; i < la->miss_first[c] + la->miss_n[c]; i++) {
                        const struct sy_missing *m = &la->miss.v[i];
                        if (m->start > ye || m->end < ys)
                                continue;
                        memset(&r, 0, sizeof r);
                        set(&r, 0, id);
                        set(&r, 1, dob);
                        set(&r, 2, m->kind ? "A" : "M");
                        set_date(&r, 3, m->start);
                        if (m->end <= ye)
                                set_date(&r, 4, m->end);
                        else
                                set(&r, 4, "");
                        emit_checked(&t[T_MISSING], &r, er, id,
                                     &(struct mistake){.kind = MK_MISSING});
                }

                /* Social worker episodes, for children looked after on 31 March. */
                int cla31 = lastep->decom <= ye && (lastep->dec == DATE_NONE || lastep->dec > ye);
                if (t[T_SW].f && cla31) {
                        for (int i = la->sw_first[c]; i < la->sw_first[c] + la->sw_n[c]; i++) {
                                const struct sy_sw *s = &la->sws.v[i];
                                if (s->start > ye || s->end < ys)
                                        continue;
                                memset(&r, 0, sizeof r);
                                set(&r, 0, id);
                                set(&r, 1, dob);
                                char sw[16];
                                snprintf(sw, sizeof sw, "SW%s%05u", la->code, s->worker);
                                set(&r, 2, sw);
                                set_date(&r, 3, s->start);
                                if (s->end <= ye)
                                        set_date(&r, 4, s->end);
                                else
                                        set(&r, 4, "");
                                set(&r, 5, sy_sw_reason_code[s->reason]);
                                emit(&t[T_SW], &r);
                        }
                }

                /* Deprivation of liberty orders */
                if (t[T_DOLO].f) {
                        for (int i = la->dolo_first[c]; i < la->dolo_first[c] + la->dolo_n[c];
                             i++) {
                                const struct sy_dolo *dl = &la->dolos.v[i];
                                if (dl->start > ye || dl->end < ys)
                                        continue;
                                memset(&r, 0, sizeof r);
                                set(&r, 0, id);
                                set(&r, 1, dob);
                                set_date(&r, 2, dl->start);
                                if (dl->end <= ye)
                                        set_date(&r, 3, dl->end);
                                else
                                        set(&r, 3, "");
                                emit(&t[T_DOLO], &r);
                        }
                }
        }
        for (int i = 0; i < T_N; i++)
                if (close_table(&t[i], &e) < 0)
                        goto fail_tables;
        return 0;

fail_tables:
        for (int i = 0; i < T_N; i++)
                if (t[i].f)
                        fclose(t[i].f);
fail:
        la->failed = 1;
        snprintf(la->errmsg, sizeof la->errmsg, "%s", e.msg);
        return -1;
}
