/*
 * cinxml.c — the CIN census of one authority and year, as XML in the DfE
 * element order (data-formats.md §2.2): GenderCurrent until 2023/24, Sex
 * from 2024/25, and the PreProceedingsandFGDM block from 2025/26.
 *
 * A child is in the census when one of their CIN episodes is open at any
 * time in the year.  Inside an episode only the modules that touch the year
 * are written, and an end date after 31 March is left blank: end dates
 * therefore always fall inside the census year (4013, 8620, 8696, 8930) and
 * an assessment or enquiry still open started inside it (8736, 8740).
 */
#include "synth/internal.h"
#include "core/err.h"

#include <string.h>

/* The census is built in memory a child at a time and flushed in large
 * writes: printf-style formatting of every element was the generator's
 * largest cost.  Elements are written one per line without indentation. */
static void el(struct buf *f, const char *ind, const char *tag, const char *v)
{
        (void)ind;
        size_t t = strlen(tag);
        buf_putc(f, '<');
        buf_append(f, tag, t);
        buf_putc(f, '>');
        buf_puts(f, v);
        buf_append(f, "</", 2);
        buf_append(f, tag, t);
        buf_append(f, ">\n", 2);
}

static void eld(struct buf *f, const char *ind, const char *tag, date_t d)
{
        char s[11];
        date_format_iso(d, s);
        el(f, ind, tag, s);
}

static void open_tag(struct buf *f, const char *tag)
{
        buf_putc(f, '<');
        buf_puts(f, tag);
        buf_append(f, ">\n", 2);
}

static void close_tag(struct buf *f, const char *tag)
{
        buf_append(f, "</", 2);
        buf_puts(f, tag);
        buf_append(f, ">\n", 2);
}

static int in_year(date_t d, date_t ys, date_t ye)
{
        return d != DATE_NONE && d >= ys && d <= ye;
}

/* The episode's CINdetails element is number `row` of the census (truth/errors.csv). */
static void episode(struct buf *f, const struct sy_la *la, const struct sy_cin *c, int year,
                    struct sy_errs *er, const char *id, const char *rel, long row)
{
        date_t ys = date_year_start(year), ye = date_year_end(year);
        const char *I = "      ", *J = "        ", *K = "          ";
        open_tag(f, "CINdetails");
        eld(f, I, "CINreferralDate", c->ref);
        const char *source = sy_source_code[c->source];
        const char *need = c->nfa ? NULL : sy_need_code[c->need];
        const char *reason =
            c->close != DATE_NONE && c->close <= ye ? sy_closure_code[c->reason] : NULL;
        if (errs_roll(er)) {
                /* 8866 checks only referrals from 1 April 2013, when the code list began. */
                int src_ok = c->ref >= date_from_ymd(2013, 4, 1);
                const char *rule = NULL;
                for (int tries = 0; !rule && tries < 16; tries++) {
                        switch (rng_int(&er->rng, 4)) {
                        case 0: /* the code of the old list, or none at all */
                                if (src_ok) {
                                        source = rng_chance(&er->rng, 0.5) ? "11" : "";
                                        rule = "8866";
                                }
                                break;
                        case 1:
                                if (need) {
                                        need = "N99";
                                        rule = "8650";
                                }
                                break;
                        case 2: /* a need code past the end of the list */
                                if (need) {
                                        need = "N10";
                                        rule = "8650";
                                }
                                break;
                        default: /* a closure reason that is not RC1-RC9 */
                                if (reason) {
                                        reason = "RC10";
                                        rule = "8640";
                                }
                                break;
                        }
                }
                if (rule)
                        errs_record(er, rule, "CINdetails", row, id, rel);
        }
        el(f, I, "ReferralSource", source);
        if (need)
                el(f, I, "PrimaryNeedCode", need);
        if (reason) {
                eld(f, I, "CINclosureDate", c->close);
                el(f, I, "ReasonForClosure", reason);
        }
        int s47_in = c->has_s47 && c->s47_start <= ye &&
                     (c->s47_start >= ys || (c->icpc_held && c->icpc >= ys));
        if (c->a_start != DATE_NONE && c->a_start <= ye && c->a_auth >= ys) {
                open_tag(f, "Assessments");
                eld(f, J, "AssessmentActualStartDate", c->a_start);
                if (c->a_auth <= ye) {
                        eld(f, J, "AssessmentAuthorisationDate", c->a_auth);
                        open_tag(f, "FactorsIdentifiedAtAssessment");
                        for (int i = 0; i < c->nfactors; i++)
                                el(f, K, "AssessmentFactors", sy_factor_code[c->factors[i]]);
                        close_tag(f, "FactorsIdentifiedAtAssessment");
                }
                close_tag(f, "Assessments");
        }
        if (c->plan_start != DATE_NONE && c->plan_start <= ye && c->plan_end >= ys) {
                open_tag(f, "CINPlanDates");
                eld(f, J, "CINPlanStartDate", c->plan_start);
                if (c->plan_end <= ye)
                        eld(f, J, "CINPlanEndDate", c->plan_end);
                close_tag(f, "CINPlanDates");
        }
        if (s47_in) {
                open_tag(f, "Section47");
                eld(f, J, "S47ActualStartDate", c->s47_start);
                eld(f, J, "InitialCPCtarget", c->s47_target);
                if (c->icpc_held && c->icpc <= ye)
                        eld(f, J, "DateOfInitialCPC", c->icpc);
                el(f, J, "ICPCnotRequired", c->icpc_held ? "false" : "true");
                close_tag(f, "Section47");
        }
        el(f, I, "ReferralNFA", c->nfa ? "true" : "false");
        if (c->cpp_start != DATE_NONE && c->cpp_start <= ye && c->cpp_end >= ys) {
                open_tag(f, "ChildProtectionPlans");
                eld(f, J, "CPPstartDate", c->cpp_start);
                if (c->cpp_end <= ye)
                        eld(f, J, "CPPendDate", c->cpp_end);
                el(f, J, "InitialCategoryOfAbuse", sy_abuse_code[c->cat_init]);
                el(f, J, "LatestCategoryOfAbuse", sy_abuse_code[c->cat_latest]);
                char n[4];
                snprintf(n, sizeof n, "%d", c->prev_cpp);
                el(f, J, "NumberOfPreviousCPP", n);
                int open = 0;
                for (date_t rv = date_add_months(c->cpp_start, 3); rv < c->cpp_end && rv <= ye;
                     rv = date_add_months(rv, 6)) {
                        if (rv < ys)
                                continue;
                        if (!open++)
                                open_tag(f, "Reviews");
                        eld(f, K, "CPPreviewDate", rv);
                }
                if (open)
                        close_tag(f, "Reviews");
                close_tag(f, "ChildProtectionPlans");
        }
        if (sy_fmt(year) >= 2026 && in_year(c->pp_start, ys, ye)) {
                open_tag(f, "PreProceedingsandFGDM");
                eld(f, J, "PPStartDate", c->pp_start);
                eld(f, J, "LBPSentDate", c->pp_start);
                el(f, J, "FGDMMeetingOffer", "1");
                el(f, J, "FGDMMeetingFac", (c->child & 1) ? "1" : "0");
                if (c->pp_start + 14 <= ye)
                        eld(f, J, "InitialPPMeetingDate", c->pp_start + 14);
                el(f, J, "ReviewMeetingsCount", "0");
                close_tag(f, "PreProceedingsandFGDM");
        }
        close_tag(f, "CINdetails");
        (void)la;
}

int cinxml_year(const struct sy_region *rg, struct sy_la *la, int year, struct sy_errs *er)
{
        struct err e;
        err_clear(&e);
        char path[4096], rel[64];
        snprintf(path, sizeof path, "%s/%s/%d", rg->o->out_dir, la->code, year);
        if (sy_mkdirs(path, &e) < 0)
                goto fail;
        snprintf(path, sizeof path, "%s/%s/%d/cin.xml", rg->o->out_dir, la->code, year);
        snprintf(rel, sizeof rel, "%s/%d/cin.xml", la->code, year);
        FILE *f = sy_fopen(path, &e);
        if (!f)
                goto fail;
        date_t ys = date_year_start(year), ye = date_year_end(year);
        struct buf b;
        buf_init(&b);
        fprintf(f,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>\n  <Header>\n"
                "    <CollectionDetails>\n      <Collection>CIN</Collection>\n"
                "      <Year>%d</Year>\n      <ReferenceDate>%d-03-31</ReferenceDate>\n"
                "    </CollectionDetails>\n    <Source>\n      <SourceLevel>L</SourceLevel>\n"
                "      <LEA>%s</LEA>\n      <SoftwareCode>improve-synth</SoftwareCode>\n"
                "      <Release>1</Release>\n      <SerialNo>001</SerialNo>\n"
                "      <DateTime>%d-04-15T09:00:00</DateTime>\n    </Source>\n  </Header>\n"
                "  <Children>\n",
                year, year, la->code, year);
        long nchild = 0, nepisode = 0; /* elements written: the rows of their tables */
        for (uint32_t ci = 0; ci < la->kids.n; ci++) {
                int first = la->cin_first[ci], n = la->cin_n[ci], any = 0;
                for (int i = first; i < first + n; i++) {
                        const struct sy_cin *c = &la->cins.v[i];
                        if (c->ref <= ye && (c->close == DATE_NONE || c->close >= ys))
                                any = 1;
                }
                if (!any)
                        continue;
                const struct sy_child *k = &la->kids.v[ci];
                char id[16], upn[14];
                sy_child_id(la, ci, id);
                sy_upn(la, ci, upn);
                nchild++;
                if (errs_roll(er)) {
                        /* A UPN with a letter typed among its digits (characters 5-12). */
                        upn[6 + rng_int(&er->rng, 6)] = 'O';
                        errs_record(er, "1540", "ChildIdentifiers", nchild, id, rel);
                }
                open_tag(&b, "Child");
                open_tag(&b, "ChildIdentifiers");
                el(&b, "      ", "LAchildID", id);
                el(&b, "      ", "UPN", upn);
                eld(&b, "      ", "PersonBirthDate", k->dob);
                if (sy_fmt(year) >= 2025)
                        el(&b, "      ", "Sex", k->sex ? "F" : "M");
                else
                        el(&b, "      ", "GenderCurrent", k->sex ? "2" : "1");
                close_tag(&b, "ChildIdentifiers");
                open_tag(&b, "ChildCharacteristics");
                const char *eth = sy_ethnic_code[k->ethnic];
                if (errs_roll(er)) {
                        eth = "WBRX";
                        errs_record(er, "4220", "ChildCharacteristics", nchild, id, rel);
                }
                el(&b, "      ", "Ethnicity", eth);
                open_tag(&b, "Disabilities");
                if (k->ndisab == 0)
                        el(&b, "        ", "Disability", "NONE");
                for (int i = 0; i < k->ndisab; i++)
                        el(&b, "        ", "Disability", sy_disability_code[k->disab[i]]);
                close_tag(&b, "Disabilities");
                close_tag(&b, "ChildCharacteristics");
                for (int i = first; i < first + n; i++) {
                        const struct sy_cin *c = &la->cins.v[i];
                        if (c->ref <= ye && (c->close == DATE_NONE || c->close >= ys))
                                episode(&b, la, c, year, er, id, rel, ++nepisode);
                }
                close_tag(&b, "Child");
                if (b.len > (1u << 20)) {
                        fwrite(b.data, 1, b.len, f);
                        buf_reset(&b);
                }
        }
        fwrite(b.data, 1, b.len, f);
        buf_release(&b);
        fprintf(f, "</Children>\n</Message>\n");
        int bad = ferror(f);
        if (fclose(f) != 0 || bad) {
                err_set(&e, EXIT_INPUT, "error writing %s", path);
                goto fail;
        }
        return 0;
fail:
        la->failed = 1;
        snprintf(la->errmsg, sizeof la->errmsg, "%s", e.msg);
        return -1;
}
