/*
 * test_cin_read.c — the CIN census XML reader (src/returns/cin.h).
 *
 * Expected values were worked out by reading the documents by hand (line
 * numbers counted in the inline documents below) and, for the shared
 * fixtures, by counting elements with grep, e.g.
 *      grep -o '<Disability[ >/]' fake_CIN_data.xml | wc -l      → 117
 */
#include "test.h"

#include "core/err.h"
#include "returns/cin.h"

#define CIN_FIXTURES SHARED_DATA "/external/validator-fixtures/cin"

/* data-formats.md §2.7, byte for byte; line numbers in the comments of the tests. */
static const char minimal[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Message>\n"
    "  <Header>\n"
    "    <CollectionDetails>\n"
    "      <Collection>CIN</Collection><Year>2024</Year><ReferenceDate>2024-03-31</ReferenceDate>\n"
    "    </CollectionDetails>\n"
    "    <Source>\n"
    "      <SourceLevel>L</SourceLevel><LEA>938</LEA><SoftwareCode>ExampleCMS</SoftwareCode>\n"
    "      <Release>1.0</Release><SerialNo>001</SerialNo><DateTime>2024-04-15T09:30:00</DateTime>\n"
    "    </Source>\n"
    "  </Header>\n"
    "  <Children>\n"
    "    <Child>\n"
    "      <ChildIdentifiers>\n"
    "        <LAchildID>C0001</LAchildID>\n"
    "        <UPN>U938012345670</UPN>\n"
    "        <PersonBirthDate>2015-06-01</PersonBirthDate>\n"
    "        <GenderCurrent>2</GenderCurrent>\n"
    "      </ChildIdentifiers>\n"
    "      <ChildCharacteristics>\n"
    "        <Ethnicity>WBRI</Ethnicity>\n"
    "        <Disabilities><Disability>NONE</Disability></Disabilities>\n"
    "      </ChildCharacteristics>\n"
    "      <CINdetails>\n"
    "        <CINreferralDate>2023-09-04</CINreferralDate>\n"
    "        <ReferralSource>2A</ReferralSource>\n"
    "        <PrimaryNeedCode>N1</PrimaryNeedCode>\n"
    "        <Assessments>\n"
    "          <AssessmentActualStartDate>2023-09-05</AssessmentActualStartDate>\n"
    "          <AssessmentAuthorisationDate>2023-10-20</AssessmentAuthorisationDate>\n"
    "          "
    "<FactorsIdentifiedAtAssessment><AssessmentFactors>4B</AssessmentFactors></"
    "FactorsIdentifiedAtAssessment>\n"
    "        </Assessments>\n"
    "        <CINPlanDates><CINPlanStartDate>2023-10-23</CINPlanStartDate></CINPlanDates>\n"
    "        <ReferralNFA>false</ReferralNFA>\n"
    "      </CINdetails>\n"
    "    </Child>\n"
    "  </Children>\n"
    "</Message>\n";

/* A copy of `s` with the first occurrence of `from` replaced by `to` (caller frees). */
static char *replace(const char *s, const char *from, const char *to)
{
        const char *at = strstr(s, from);
        assert_non_null(at);
        size_t n = strlen(s) - strlen(from) + strlen(to);
        char *out = malloc(n + 1);
        assert_non_null(out);
        size_t pre = (size_t)(at - s);
        memcpy(out, s, pre);
        strcpy(out + pre, to);
        strcat(out, at + strlen(from));
        return out;
}

static date_t D(int y, int m, int d)
{
        return date_from_ymd(y, m, d);
}

/* Read a NUL-terminated document that must be accepted. */
static void read_ok(struct cin_load *l, const char *doc, const char *la)
{
        struct err e;
        err_clear(&e);
        cin_load_init(l);
        int rc = cin_read_buffer(l, doc, strlen(doc), "t.xml", la, &e);
        if (rc != 0)
                print_message("unexpected error: %s\n", e.msg);
        assert_int_equal(rc, 0);
        assert_int_equal(e.code, 0);
}

/* Read a document that must be refused; returns the message (static). */
static const char *read_bad(const char *doc, size_t len)
{
        static struct err e;
        struct cin_load l;
        err_clear(&e);
        cin_load_init(&l);
        assert_int_equal(cin_read_buffer(&l, doc, len, "m.xml", NULL, &e), -1);
        assert_int_equal(e.code, EXIT_INPUT);
        /* Nothing of a malformed document is handed back. */
        for (int t = 0; t < CIN_NTABLES; t++)
                assert_int_equal(l.table[t].n, 0);
        assert_int_equal(l.nchildren, 0);
        assert_int_equal(l.nissues, 0);
        assert_null(l.la);
        cin_load_release(&l);
        return e.msg;
}

static void assert_prefix(const char *s, const char *prefix)
{
        if (strncmp(s, prefix, strlen(prefix)) != 0)
                print_message("got: %s\nwanted it to start with: %s\n", s, prefix);
        assert_int_equal(strncmp(s, prefix, strlen(prefix)), 0);
}

/* ---------------------------------------------------------------- the minimal document */

static void test_minimal_document(void **state)
{
        (void)state;
        struct cin_load l;
        read_ok(&l, minimal, NULL);
        size_t want[CIN_NTABLES] = {
            [CIN_Header] = 1,
            [CIN_ChildIdentifiers] = 1,
            [CIN_ChildCharacteristics] = 1,
            [CIN_Disabilities] = 1,
            [CIN_CINdetails] = 1,
            [CIN_Assessments] = 1,
            [CIN_AssessmentFactorsList] = 1,
            [CIN_CINplanDates] = 1,
        };
        for (int t = 0; t < CIN_NTABLES; t++)
                assert_int_equal(l.table[t].n, want[t]);
        assert_int_equal(l.nchildren, 1);
        assert_int_equal(l.nissues, 0);
        assert_string_equal(l.la, "938");
        assert_int_equal(cin_load_year(&l), 2024);

        const struct cin_row *h = &l.table[CIN_Header].rows[0];
        assert_string_equal(h->v[CIN_HDR_Collection], "CIN");
        assert_string_equal(h->v[CIN_HDR_Year], "2024");
        assert_int_equal(h->d[CIN_HDR_ReferenceDate], D(2024, 3, 31));
        assert_string_equal(h->v[CIN_HDR_SourceLevel], "L");
        assert_string_equal(h->v[CIN_HDR_SoftwareCode], "ExampleCMS");
        assert_string_equal(h->v[CIN_HDR_Release], "1.0");
        assert_string_equal(h->v[CIN_HDR_SerialNo], "001");
        assert_string_equal(h->v[CIN_HDR_DateTime], "2024-04-15T09:30:00");
        assert_int_equal(h->d[CIN_HDR_DateTime], DATE_NONE); /* not a date column */
        assert_int_equal(h->line, 3);
        assert_int_equal(h->row, 1);
        assert_true(h->child == CIN_NO_ROW);

        const struct cin_row *ci = &l.table[CIN_ChildIdentifiers].rows[0];
        assert_string_equal(ci->v[CIN_CI_LAchildID], "C0001");
        assert_string_equal(ci->v[CIN_CI_UPN], "U938012345670");
        assert_int_equal(ci->d[CIN_CI_PersonBirthDate], D(2015, 6, 1));
        assert_string_equal(ci->v[CIN_CI_PersonBirthDate], "2015-06-01");
        assert_string_equal(ci->v[CIN_CI_GenderCurrent], "2");
        assert_null(ci->v[CIN_CI_Sex]);
        assert_null(ci->v[CIN_CI_FormerUPN]);
        assert_null(ci->v[CIN_CI_ExpectedPersonBirthDate]);
        assert_int_equal(ci->d[CIN_CI_ExpectedPersonBirthDate], DATE_NONE);
        assert_int_equal(ci->line, 14);
        assert_string_equal(ci->la, "938");

        const struct cin_row *cc = &l.table[CIN_ChildCharacteristics].rows[0];
        assert_string_equal(cc->v[CIN_CC_LAchildID], "C0001");
        assert_string_equal(cc->v[CIN_CC_Ethnicity], "WBRI");
        assert_int_equal(cc->line, 20);
        const struct cin_row *dis = &l.table[CIN_Disabilities].rows[0];
        assert_string_equal(dis->v[CIN_DIS_Disability], "NONE");
        assert_string_equal(dis->v[CIN_DIS_LAchildID], "C0001");
        assert_int_equal(dis->line, 22);

        const struct cin_row *cd = &l.table[CIN_CINdetails].rows[0];
        assert_string_equal(cd->v[CIN_CD_LAchildID], "C0001");
        assert_string_equal(cd->v[CIN_CD_CINdetailsID], "1");
        assert_int_equal(cd->d[CIN_CD_CINreferralDate], D(2023, 9, 4));
        assert_string_equal(cd->v[CIN_CD_ReferralSource], "2A");
        assert_string_equal(cd->v[CIN_CD_PrimaryNeedCode], "N1");
        assert_null(cd->v[CIN_CD_CINclosureDate]);
        assert_int_equal(cd->d[CIN_CD_CINclosureDate], DATE_NONE);
        assert_int_equal(cin_bool(cd->v[CIN_CD_ReferralNFA]), 0);
        assert_int_equal(cd->line, 24);
        assert_int_equal(cd->episode, 0);

        const struct cin_row *as = &l.table[CIN_Assessments].rows[0];
        assert_int_equal(as->d[CIN_AS_AssessmentActualStartDate], D(2023, 9, 5));
        assert_int_equal(as->d[CIN_AS_AssessmentAuthorisationDate], D(2023, 10, 20));
        assert_int_equal(as->d[CIN_AS_AssessmentInternalReviewDate], DATE_NONE);
        assert_string_equal(as->v[CIN_AS_AssessmentFactors], "4B");
        assert_string_equal(as->v[CIN_AS_AssessmentID], "1");
        assert_string_equal(as->v[CIN_AS_CINdetailsID], "1");
        assert_int_equal(as->line, 28);
        const struct cin_row *af = &l.table[CIN_AssessmentFactorsList].rows[0];
        assert_string_equal(af->v[CIN_AF_AssessmentFactor], "4B");
        assert_string_equal(af->v[CIN_AF_LAchildID], "C0001");
        assert_int_equal(af->line, 31);
        const struct cin_row *pd = &l.table[CIN_CINplanDates].rows[0];
        assert_int_equal(pd->d[CIN_PD_CINPlanStartDate], D(2023, 10, 23));
        assert_int_equal(pd->d[CIN_PD_CINPlanEndDate], DATE_NONE);
        assert_int_equal(pd->line, 33);

        const struct cin_child *c = &l.children[0];
        assert_string_equal(c->LAchildID, "C0001");
        assert_int_equal(c->line, 13);
        assert_int_equal(c->n[CIN_CINdetails], 1);
        assert_int_equal(c->first[CIN_CINdetails], 0);
        assert_int_equal(c->n[CIN_Section47], 0);
        cin_load_release(&l);
}

/* 2024/25 onwards: Sex replaces GenderCurrent. */
static void test_sex_replaces_gender_current(void **state)
{
        (void)state;
        char *a = replace(minimal, "<GenderCurrent>2</GenderCurrent>", "<Sex>F</Sex>");
        char *b = replace(a, "<Year>2024</Year><ReferenceDate>2024-03-31",
                          "<Year>2025</Year><ReferenceDate>2025-03-31");
        struct cin_load l;
        read_ok(&l, b, NULL);
        const struct cin_row *ci = &l.table[CIN_ChildIdentifiers].rows[0];
        assert_string_equal(ci->v[CIN_CI_Sex], "F");
        assert_null(ci->v[CIN_CI_GenderCurrent]);
        assert_int_equal(l.nissues, 0);
        assert_int_equal(cin_load_year(&l), 2025);
        cin_load_release(&l);

        /* Both present (a transitional extract): both kept, neither is an issue. */
        char *c = replace(minimal, "<GenderCurrent>2</GenderCurrent>",
                          "<GenderCurrent>2</GenderCurrent><Sex>F</Sex>");
        read_ok(&l, c, NULL);
        ci = &l.table[CIN_ChildIdentifiers].rows[0];
        assert_string_equal(ci->v[CIN_CI_Sex], "F");
        assert_string_equal(ci->v[CIN_CI_GenderCurrent], "2");
        assert_int_equal(l.nissues, 0);
        cin_load_release(&l);
        free(a);
        free(b);
        free(c);
}

/* ---------------------------------------------------------------- 2025/26 block, keys, ids */

static const char two_episodes[] =
    "<Message>\n"                                  /* 1 */
    "<Header><CollectionDetails><Year>2026</Year>" /* 2 */
    "<ReferenceDate>2026-03-31</ReferenceDate></CollectionDetails>"
    "<Source><LEA>201</LEA></Source></Header>\n"
    "<Children>\n"                                                                     /* 3 */
    "<Child>\n"                                                                        /* 4 */
    "<ChildIdentifiers><LAchildID>A1</LAchildID><Sex>M</Sex></ChildIdentifiers>\n"     /* 5 */
    "<CINdetails>\n"                                                                   /* 6 */
    "<CINreferralDate>2025-04-02</CINreferralDate>\n"                                  /* 7 */
    "<Assessments><AssessmentActualStartDate>2025-04-03</AssessmentActualStartDate>\n" /* 8 */
    "<FactorsIdentifiedAtAssessment/></Assessments>\n"                                 /* 9 */
    "<Assessments><AssessmentActualStartDate>2025-05-01</AssessmentActualStartDate>\n" /* 10 */
    "<FactorsIdentifiedAtAssessment><AssessmentFactors>3B</AssessmentFactors>"
    "<AssessmentFactors>16A</AssessmentFactors></FactorsIdentifiedAtAssessment>"
    "</Assessments>\n"                                /* 11: AF on 11 */
    "<ReferralNFA>0</ReferralNFA>\n"                  /* 12 */
    "</CINdetails>\n"                                 /* 13 */
    "<CINdetails>\n"                                  /* 14 */
    "<CINreferralDate>2025-09-10</CINreferralDate>\n" /* 15 */
    "<Section47><S47ActualStartDate>2025-09-11</S47ActualStartDate>"
    "<ICPCnotRequired>TRUE</ICPCnotRequired></Section47>\n"           /* 16 */
    "<ReferralNFA>false</ReferralNFA>\n"                              /* 17 */
    "<ChildProtectionPlans><CPPstartDate>2025-10-01</CPPstartDate>\n" /* 18 */
    "<NumberOfPreviousCPP>0</NumberOfPreviousCPP>\n"                  /* 19 */
    "<Reviews><CPPreviewDate>2025-12-01</CPPreviewDate>\n"            /* 20 */
    "<CPPreviewDate>2026-03-01</CPPreviewDate></Reviews>\n"           /* 21 */
    "</ChildProtectionPlans>\n"                                       /* 22 */
    "<ChildProtectionPlans><CPPstartDate>2026-01-05</CPPstartDate>"   /* 23 */
    "</ChildProtectionPlans>\n"
    "<PreProceedingsandFGDM>\n"                                                    /* 24 */
    "<PPStartDate>2025-11-03</PPStartDate><LBPSentDate>2025-11-10</LBPSentDate>\n" /* 25 */
    "<FGDMMeetingOffer>1</FGDMMeetingOffer><FGDMMeetingFac>0</FGDMMeetingFac>\n"   /* 26 */
    "<InitialPPMeetingDate>2025-11-20</InitialPPMeetingDate>"
    "<ReviewMeetingsCount>2</ReviewMeetingsCount>\n"                            /* 27 */
    "<StepDecisionDate>2026-02-02</StepDecisionDate><PPOutcome>A</PPOutcome>\n" /* 28 */
    "<CourtAppDate>2026-02-20</CourtAppDate><LetterInitCPDate>2026-03-01</LetterInitCPDate>\n"
    "</PreProceedingsandFGDM>\n" /* 30 */
    "<PreProceedingsandFGDM><PPStartDate>2026-03-02</PPStartDate></PreProceedingsandFGDM>\n"
    "</CINdetails>\n" /* 32 */
    "</Child>\n"      /* 33 */
    "<Child>\n"       /* 34 */
    "<ChildIdentifiers><LAchildID>B2</LAchildID></ChildIdentifiers>\n"
    "<CINdetails><CINreferralDate>2026-01-01</CINreferralDate>" /* 36 */
    "<ChildProtectionPlans><CPPstartDate>2026-01-02</CPPstartDate></ChildProtectionPlans>"
    "</CINdetails>\n"
    "</Child>\n"
    "</Children>\n"
    "</Message>\n";

static void test_pre_proceedings_and_keys(void **state)
{
        (void)state;
        struct cin_load l;
        read_ok(&l, two_episodes, "E08000025");
        assert_int_equal(l.nissues, 0);
        assert_string_equal(l.la, "E08000025"); /* the caller's code wins over LEA 201 */
        assert_int_equal(cin_load_year(&l), 2026);
        assert_int_equal(l.nchildren, 2);
        assert_int_equal(l.table[CIN_CINdetails].n, 3);
        assert_int_equal(l.table[CIN_Assessments].n, 2);
        assert_int_equal(l.table[CIN_AssessmentFactorsList].n, 2);
        assert_int_equal(l.table[CIN_Section47].n, 1);
        assert_int_equal(l.table[CIN_ChildProtectionPlans].n, 3);
        assert_int_equal(l.table[CIN_Reviews].n, 2);
        assert_int_equal(l.table[CIN_PreProceedings].n, 2);
        assert_int_equal(l.table[CIN_ChildCharacteristics].n, 0);

        /* The pre-proceedings block: every element in its column. */
        const struct cin_row *pp = &l.table[CIN_PreProceedings].rows[0];
        assert_int_equal(pp->line, 24);
        assert_string_equal(pp->v[CIN_PP_LAchildID], "A1");
        assert_string_equal(pp->v[CIN_PP_CINdetailsID], "2");
        assert_int_equal(pp->d[CIN_PP_PPStartDate], D(2025, 11, 3));
        assert_int_equal(pp->d[CIN_PP_LBPSentDate], D(2025, 11, 10));
        assert_int_equal(cin_bool(pp->v[CIN_PP_FGDMMeetingOffer]), 1);
        assert_int_equal(cin_bool(pp->v[CIN_PP_FGDMMeetingFac]), 0);
        assert_int_equal(pp->d[CIN_PP_InitialPPMeetingDate], D(2025, 11, 20));
        assert_string_equal(pp->v[CIN_PP_ReviewMeetingsCount], "2");
        assert_int_equal(pp->d[CIN_PP_StepDecisionDate], D(2026, 2, 2));
        assert_string_equal(pp->v[CIN_PP_PPOutcome], "A");
        assert_int_equal(pp->d[CIN_PP_CourtAppDate], D(2026, 2, 20));
        assert_int_equal(pp->d[CIN_PP_LetterInitCPDate], D(2026, 3, 1));
        assert_int_equal(pp->episode, 1);
        assert_int_equal(pp->parent, 1);
        const struct cin_row *pp2 = &l.table[CIN_PreProceedings].rows[1];
        assert_int_equal(pp2->row, 2);
        assert_int_equal(pp2->line, 31);
        assert_null(pp2->v[CIN_PP_PPOutcome]);

        /* Ids: CINdetailsID per child, AssessmentID and CPPID per episode. */
        const struct cin_table *cd = &l.table[CIN_CINdetails];
        assert_string_equal(cd->rows[0].v[CIN_CD_CINdetailsID], "1");
        assert_string_equal(cd->rows[1].v[CIN_CD_CINdetailsID], "2");
        assert_string_equal(cd->rows[2].v[CIN_CD_CINdetailsID], "1"); /* child B2 */
        assert_string_equal(cd->rows[2].v[CIN_CD_LAchildID], "B2");
        assert_int_equal(cd->rows[2].child, 1);
        const struct cin_table *as = &l.table[CIN_Assessments];
        assert_string_equal(as->rows[0].v[CIN_AS_AssessmentID], "1");
        assert_string_equal(as->rows[1].v[CIN_AS_AssessmentID], "2");
        assert_null(as->rows[0].v[CIN_AS_AssessmentFactors]); /* <FactorsIdentifiedAtAssessment/> */
        assert_string_equal(as->rows[1].v[CIN_AS_AssessmentFactors], "3B,16A");
        assert_int_equal(as->rows[1].line, 10);
        const struct cin_table *af = &l.table[CIN_AssessmentFactorsList];
        assert_string_equal(af->rows[1].v[CIN_AF_AssessmentFactor], "16A");
        assert_string_equal(af->rows[1].v[CIN_AF_AssessmentID], "2");
        assert_int_equal(af->rows[1].parent, 1);
        assert_int_equal(af->rows[1].line, 11);
        const struct cin_table *cpp = &l.table[CIN_ChildProtectionPlans];
        assert_string_equal(cpp->rows[0].v[CIN_CPP_CPPID], "1");
        assert_string_equal(cpp->rows[1].v[CIN_CPP_CPPID], "2");
        assert_string_equal(cpp->rows[2].v[CIN_CPP_CPPID], "1"); /* a new episode restarts */
        assert_string_equal(cpp->rows[0].v[CIN_CPP_NumberOfPreviousCPP], "0");
        const struct cin_table *rv = &l.table[CIN_Reviews];
        assert_string_equal(rv->rows[1].v[CIN_REV_CPPID], "1");
        assert_string_equal(rv->rows[1].v[CIN_REV_CINdetailsID], "2");
        assert_int_equal(rv->rows[1].d[CIN_REV_CPPreviewDate], D(2026, 3, 1));
        assert_int_equal(rv->rows[1].line, 21);
        assert_int_equal(rv->rows[1].episode, 1);
        const struct cin_row *s47 = &l.table[CIN_Section47].rows[0];
        assert_int_equal(cin_bool(s47->v[CIN_S47_ICPCnotRequired]), 1);
        assert_int_equal(s47->line, 16);

        /* Rows under a parent row. */
        size_t first, n;
        n = cin_rows_under(&l, CIN_Assessments, 0, &first);
        assert_int_equal(n, 2);
        assert_int_equal(first, 0);
        assert_int_equal(cin_rows_under(&l, CIN_Assessments, 1, &first), 0);
        n = cin_rows_under(&l, CIN_ChildProtectionPlans, 1, &first);
        assert_int_equal(n, 2);
        assert_int_equal(first, 0);
        n = cin_rows_under(&l, CIN_ChildProtectionPlans, 2, &first);
        assert_int_equal(n, 1);
        assert_int_equal(first, 2);
        n = cin_rows_under(&l, CIN_Reviews, 0, &first);
        assert_int_equal(n, 2);
        assert_int_equal(cin_rows_under(&l, CIN_Reviews, 1, &first), 0);
        assert_int_equal(cin_rows_under(&l, CIN_AssessmentFactorsList, 0, &first), 0);
        n = cin_rows_under(&l, CIN_AssessmentFactorsList, 1, &first);
        assert_int_equal(n, 2);
        assert_int_equal(first, 0);
        n = cin_rows_under(&l, CIN_PreProceedings, 1, &first);
        assert_int_equal(n, 2);
        assert_int_equal(cin_rows_under(&l, CIN_PreProceedings, 99, &first), 0);
        assert_int_equal(cin_rows_under(&l, CIN_CINdetails, 0, &first), 0); /* no parent table */

        /* Rows of a child. */
        assert_int_equal(l.children[0].n[CIN_CINdetails], 2);
        assert_int_equal(l.children[1].first[CIN_CINdetails], 2);
        assert_int_equal(l.children[1].n[CIN_ChildProtectionPlans], 1);
        assert_int_equal(l.children[1].first[CIN_ChildProtectionPlans], 2);
        assert_int_equal(l.children[1].line, 34);

        /* Every row carries the authority. */
        for (int t = 0; t < CIN_NTABLES; t++)
                for (size_t i = 0; i < l.table[t].n; i++)
                        assert_string_equal(l.table[t].rows[i].la, "E08000025");
        cin_load_release(&l);
}

/* ---------------------------------------------------------------- cells */

static void test_cells_dates_and_text(void **state)
{
        (void)state;
        const char *doc = "<Message><Children><Child>\n"
                          "<ChildIdentifiers>\n"
                          "<LAchildID>  K 1\t</LAchildID>\n"
                          "<UPN><![CDATA[A12]]><!-- note -->3&amp;</UPN>\n"
                          "<PersonBirthDate>2024-02-30</PersonBirthDate>\n"
                          "<ExpectedPersonBirthDate> 2024-02-29 </ExpectedPersonBirthDate>\n"
                          "<PersonDeathDate>   </PersonDeathDate>\n"
                          "<GenderCurrent/>\n"
                          "<UPNunknown>un1</UPNunknown>\n"
                          "</ChildIdentifiers>\n"
                          "<CINdetails><CINreferralDate>01/04/2024</CINreferralDate>"
                          "<ReferralNFA>yes</ReferralNFA></CINdetails>\n"
                          "</Child></Children></Message>";
        struct cin_load l;
        read_ok(&l, doc, NULL);
        const struct cin_row *ci = &l.table[CIN_ChildIdentifiers].rows[0];
        assert_string_equal(ci->v[CIN_CI_LAchildID], "K 1"); /* trimmed, inside kept */
        assert_string_equal(ci->v[CIN_CI_UPN], "A123&");
        assert_string_equal(ci->v[CIN_CI_PersonBirthDate], "2024-02-30");
        assert_int_equal(ci->d[CIN_CI_PersonBirthDate], DATE_BAD);
        assert_int_equal(ci->d[CIN_CI_ExpectedPersonBirthDate], D(2024, 2, 29));
        assert_null(ci->v[CIN_CI_PersonDeathDate]);
        assert_int_equal(ci->d[CIN_CI_PersonDeathDate], DATE_NONE);
        assert_null(ci->v[CIN_CI_GenderCurrent]);
        assert_string_equal(ci->v[CIN_CI_UPNunknown], "un1"); /* kept as written */
        const struct cin_row *cd = &l.table[CIN_CINdetails].rows[0];
        assert_int_equal(cd->d[CIN_CD_CINreferralDate], DATE_BAD); /* UK form is not ISO */
        assert_int_equal(cin_bool(cd->v[CIN_CD_ReferralNFA]), -2);
        assert_int_equal(l.nissues, 0);
        /* No header and no authority given: none on the rows. */
        assert_null(l.la);
        assert_null(ci->la);
        assert_int_equal(cin_load_year(&l), 0);
        cin_load_release(&l);
}

static void test_bool_and_year(void **state)
{
        (void)state;
        const char *t[] = {"true", "TRUE", "1"};
        const char *f[] = {"false", "FALSE", "0"};
        for (int i = 0; i < 3; i++) {
                assert_int_equal(cin_bool(t[i]), 1);
                assert_int_equal(cin_bool(f[i]), 0);
        }
        assert_int_equal(cin_bool(NULL), -1);
        assert_int_equal(cin_bool("True"), -2);
        assert_int_equal(cin_bool("Y"), -2);
        assert_int_equal(cin_bool("01"), -2);

        /* A bad ReferenceDate falls back on Year; neither gives 0. */
        char *a = replace(minimal, "<ReferenceDate>2024-03-31", "<ReferenceDate>2024-13-31");
        char *b = replace(a, "<Year>2024</Year>", "<Year>2023</Year>");
        struct cin_load l;
        read_ok(&l, b, NULL);
        assert_int_equal(l.table[CIN_Header].rows[0].d[CIN_HDR_ReferenceDate], DATE_BAD);
        assert_int_equal(cin_load_year(&l), 2023);
        cin_load_release(&l);
        char *c = replace(b, "<Year>2023</Year>", "<Year>23</Year>");
        read_ok(&l, c, NULL);
        assert_int_equal(cin_load_year(&l), 0);
        cin_load_release(&l);
        free(a);
        free(b);
        free(c);

        assert_int_equal(cin_table_by_name("CINdetails"), CIN_CINdetails);
        assert_int_equal(cin_table_by_name("PreProceedings"), CIN_PreProceedings);
        assert_int_equal(cin_table_by_name("Episodes"), CIN_NTABLES);
}

/* ---------------------------------------------------------------- issues */

static const char odd[] =
    "<Message>\n"                                                                       /* 1 */
    "<Header><Source><LEA>938</LEA></Source><Source><LEA>999</LEA></Source></Header>\n" /* 2 */
    "<Children>\n"                                                                      /* 3 */
    "<Child>\n"                                                                         /* 4 */
    "<Mystery><Deep><Deeper>x</Deeper></Deep></Mystery>\n"                              /* 5 */
    "<ChildIdentifiers><LAchildID>K1</LAchildID><UPN>A<b>x</b>1</UPN><UPN>B2</UPN>stray\n"
    "</ChildIdentifiers>\n"                                            /* 7 */
    "<ChildIdentifiers><LAchildID>K2</LAchildID></ChildIdentifiers>\n" /* 8 */
    "<CINdetails><CINreferralDate>2024-02-28</CINreferralDate>\n"      /* 9 */
    "<ReferralNFA> true </ReferralNFA></CINdetails>\n"                 /* 10 */
    "</Child>\n"                                                       /* 11 */
    "<Unknown/>\n"                                                     /* 12 */
    "<Child><ChildIdentifiers><LAchildID>K3</LAchildID></ChildIdentifiers></Child>\n"
    "</Children>\n"
    "<Trailer>stuff</Trailer>\n" /* 15 */
    "</Message>\n";

static void test_unexpected_elements_are_issues(void **state)
{
        (void)state;
        struct cin_load l;
        read_ok(&l, odd, NULL);
        struct {
                long line;
                const char *element, *parent, *table;
                long row;
                const char *child;
                const char *text_start;
        } want[] = {
            {2, "Source", "Header", "Header", 1, NULL, "repeated <Source> in <Header>"},
            {5, "Mystery", "Child", "XML", 0, "K1",
             "unexpected element <Mystery> in <Child>, expected ChildIdentifiers, "
             "ChildCharacteristics or CINdetails"},
            {6, "b", "UPN", "ChildIdentifiers", 1, "K1",
             "unexpected element <b> inside <UPN>, expected text only"},
            {6, "UPN", "ChildIdentifiers", "ChildIdentifiers", 1, "K1",
             "repeated <UPN> in <ChildIdentifiers>, expected at most one"},
            {6, "#text", "ChildIdentifiers", "ChildIdentifiers", 1, "K1",
             "unexpected text \"stray\" in <ChildIdentifiers>"},
            {8, "ChildIdentifiers", "Child", "XML", 0, "K1",
             "repeated <ChildIdentifiers> in <Child>"},
            {12, "Unknown", "Children", "XML", 0, NULL,
             "unexpected element <Unknown> in <Children>, expected Child"},
            {15, "Trailer", "Message", "XML", 0, NULL,
             "unexpected element <Trailer> in <Message>, expected Header or Children"},
        };
        size_t nwant = sizeof want / sizeof want[0];
        assert_int_equal(l.nissues, nwant);
        for (size_t i = 0; i < nwant; i++) {
                const struct cin_issue *is = &l.issues[i];
                assert_int_equal(is->line, want[i].line);
                assert_string_equal(is->element, want[i].element);
                assert_string_equal(is->parent, want[i].parent);
                assert_string_equal(is->table, want[i].table);
                assert_int_equal(is->row, want[i].row);
                if (want[i].child)
                        assert_string_equal(is->child, want[i].child);
                else
                        assert_null(is->child);
                assert_string_equal(is->file, "t.xml");
                assert_prefix(is->text, want[i].text_start);
        }
        /* Reading carried on around them. */
        assert_int_equal(l.nchildren, 2);
        assert_int_equal(l.table[CIN_ChildIdentifiers].n, 2);
        const struct cin_row *ci = &l.table[CIN_ChildIdentifiers].rows[0];
        assert_string_equal(ci->v[CIN_CI_LAchildID], "K1");
        assert_string_equal(ci->v[CIN_CI_UPN], "A1"); /* the first UPN, its text without <b> */
        assert_string_equal(l.table[CIN_ChildIdentifiers].rows[1].v[CIN_CI_LAchildID], "K3");
        assert_string_equal(l.la, "938"); /* from the first Source */
        const struct cin_row *cd = &l.table[CIN_CINdetails].rows[0];
        assert_int_equal(cin_bool(cd->v[CIN_CD_ReferralNFA]), 1);
        assert_string_equal(cd->v[CIN_CD_LAchildID], "K1");
        cin_load_release(&l);
}

static void test_issue_cap(void **state)
{
        (void)state;
        size_t n = CIN_MAX_ISSUES + 5;
        size_t cap = 64 + n * 4;
        char *doc = malloc(cap);
        assert_non_null(doc);
        strcpy(doc, "<Message>");
        size_t len = strlen(doc);
        for (size_t i = 0; i < n; i++) {
                memcpy(doc + len, "<x/>", 4);
                len += 4;
        }
        strcpy(doc + len, "</Message>");
        struct cin_load l;
        read_ok(&l, doc, NULL);
        assert_int_equal(l.nissues, CIN_MAX_ISSUES);
        assert_int_equal(l.issues_dropped, 5);
        cin_load_release(&l);
        free(doc);
}

/* ---------------------------------------------------------------- malformed input */

static void test_malformed_xml(void **state)
{
        (void)state;
        const char *m;
        const char *mismatch = "<Message>\n<Children>\n<Child>\n</Children>\n</Message>\n";
        m = read_bad(mismatch, strlen(mismatch));
        assert_prefix(m, "m.xml:4: not well-formed XML (Opening and ending tag mismatch");
        assert_non_null(strstr(m, "expected a CIN census XML document"));

        const char *amp =
            "<Message>\n<Children>\n<Child>\n<X>a & b</X>\n</Child></Children></Message>";
        m = read_bad(amp, strlen(amp));
        assert_prefix(m, "m.xml:4: not well-formed XML");

        const char *root = "<?xml version=\"1.0\"?>\n<!-- a 903 file? -->\n<Header/>\n";
        m = read_bad(root, strlen(root));
        assert_string_equal(m, "m.xml:3: the root element is <Header>, expected <Message> (a CIN "
                               "census)");

        const char *dtd = "<?xml version=\"1.0\"?>\n<!DOCTYPE Message [\n<!ENTITY e SYSTEM "
                          "\"file:///etc/passwd\">]>\n<Message>&e;</Message>\n";
        m = read_bad(dtd, strlen(dtd));
        assert_prefix(m, "m.xml:2: a DOCTYPE declaration");

        const char *utf = "<Message>\n<Children>\n<Child>\xff</Child></Children></Message>";
        m = read_bad(utf, strlen(utf));
        assert_prefix(m, "m.xml:3: not well-formed XML");

        const char *cut = "<Message>\n<Children>\n<Child><ChildIdentifiers>\n"
                          "<LAchildID>x</LAchildID>\n";
        m = read_bad(cut, strlen(cut));
        assert_string_equal(m, "m.xml:5: the document ends with <ChildIdentifiers> (line 3) "
                               "still open, expected the rest of the census up to </Message>");

        const char *two = "<Message/>\n<Message/>\n";
        m = read_bad(two, strlen(two));
        assert_prefix(m, "m.xml:2: not well-formed XML (Extra content");

        m = read_bad("", 0);
        assert_string_equal(m, "m.xml: empty file, expected a CIN census XML document");
        m = read_bad("   \n  ", 6);
        assert_prefix(m, "m.xml:");

        /* Deeper than CIN_MAX_DEPTH, though well-formed. */
        char deep[1024] = "<Message>\n";
        for (int i = 0; i < CIN_MAX_DEPTH + 2; i++)
                strcat(deep, "<a>");
        for (int i = 0; i < CIN_MAX_DEPTH + 2; i++)
                strcat(deep, "</a>");
        strcat(deep, "</Message>");
        m = read_bad(deep, strlen(deep));
        assert_prefix(m, "m.xml:2: elements nested more than 32 deep");

        /* Text where the document should start. */
        m = read_bad("CHILD,SEX,DOB\n1,1,01/01/2010\n", 28);
        assert_prefix(m, "m.xml:1: not well-formed XML");
}

/* Errors libxml2 raises outside the reader (encodings) are ours to report, never printed. */
static void test_nothing_printed(void **state)
{
        (void)state;
        char *dir = test_tmpdir();
        char path[600];
        snprintf(path, sizeof path, "%s/stderr.txt", dir);
        fflush(stderr);
        int saved = dup(2);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        assert_true(dup2(fileno(f), 2) >= 0);
        const char *enc =
            "<?xml version=\"1.0\" encoding=\"ISO-2022-JP\"?>\n<Message>\xe1ge</Message>";
        const char *ucs4 = "\x00\x00\x00<\x00\x00\x00M";
        const char *nope = "<?xml version=\"1.0\" encoding=\"NOPE\"?>\n<Message/>";
        char m1[ERR_MSG_MAX], m3[ERR_MSG_MAX];
        snprintf(m1, sizeof m1, "%s", read_bad(enc, strlen(enc)));
        read_bad(ucs4, 8);
        snprintf(m3, sizeof m3, "%s", read_bad(nope, strlen(nope)));
        fflush(stderr);
        assert_true(dup2(saved, 2) >= 0);
        close(saved);
        long size = ftell(f);
        fclose(f);
        assert_int_equal(size, 0);
        assert_prefix(m1, "m.xml:2: not well-formed XML (input conversion failed");
        assert_string_equal(m3,
                            "m.xml:1: not well-formed XML (Unsupported encoding NOPE), expected "
                            "a CIN census XML document");
        test_rmdir(dir);
}

static void test_read_file(void **state)
{
        (void)state;
        struct cin_load l;
        struct err e;
        cin_load_init(&l);
        err_clear(&e);
        assert_int_equal(cin_read_file(&l, "/nonexistent/cin.xml", NULL, &e), -1);
        assert_int_equal(e.code, EXIT_INPUT);
        assert_prefix(e.msg, "/nonexistent/cin.xml: cannot open");

        char *dir = test_tmpdir();
        char path[600];
        snprintf(path, sizeof path, "%s/census.xml", dir);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(minimal, f);
        fclose(f);
        err_clear(&e);
        assert_int_equal(cin_read_file(&l, path, "938", &e), 0);
        assert_int_equal(l.table[CIN_CINdetails].n, 1);
        assert_string_equal(l.file, path);
        cin_load_release(&l);

        f = fopen(path, "w");
        assert_non_null(f);
        fputs("<Message>\n<Children>\n</Child>\n", f);
        fclose(f);
        assert_int_equal(cin_read_file(&l, path, NULL, &e), -1);
        char want[700];
        snprintf(want, sizeof want, "%s:3: not well-formed XML", path);
        assert_prefix(e.msg, want);
        cin_load_release(&l);
        test_rmdir(dir);
}

/* Namespaced documents are read by local name; lines still come from the text. */
static void test_namespace_prefix(void **state)
{
        (void)state;
        const char *doc = "<c:Message xmlns:c=\"urn:cin\">\n"
                          "<c:Children>\n"
                          "<c:Child>\n"
                          "<c:ChildIdentifiers\n  attr='a>b'>\n"
                          "<c:LAchildID>N1</c:LAchildID></c:ChildIdentifiers>\n"
                          "<c:CINdetails><c:CINreferralDate>2024-05-05</c:CINreferralDate>"
                          "</c:CINdetails>\n"
                          "</c:Child></c:Children></c:Message>\n";
        struct cin_load l;
        read_ok(&l, doc, NULL);
        assert_int_equal(l.nissues, 0);
        assert_string_equal(l.table[CIN_ChildIdentifiers].rows[0].v[CIN_CI_LAchildID], "N1");
        assert_int_equal(l.table[CIN_ChildIdentifiers].rows[0].line, 4);
        assert_int_equal(l.table[CIN_CINdetails].rows[0].line, 7);
        cin_load_release(&l);
}

/* Line numbers stay exact past libxml2's 16-bit element line numbers. */
static void test_line_numbers_past_65535(void **state)
{
        (void)state;
        const int nchild = 5500; /* 13 lines each: 71,500 lines of children */
        struct {
                char *p;
                size_t len, cap;
        } b = {NULL, 0, 0};
        FILE *f = open_memstream(&b.p, &b.len);
        assert_non_null(f);
        fputs("<Message>\n<Children>\n", f); /* lines 1-2 */
        for (int i = 0; i < nchild; i++) {
                /* Child i starts on line 3 + 13 i. */
                fprintf(f,
                        "<Child>\n<ChildIdentifiers>\n<LAchildID>C%d</LAchildID>\n"
                        "<PersonBirthDate>2015-06-01</PersonBirthDate>\n<Sex>F</Sex>\n"
                        "</ChildIdentifiers>\n<CINdetails>\n"
                        "<CINreferralDate>2024-09-04</CINreferralDate>\n"
                        "<!-- <CINdetails> in a comment -->\n"
                        "%s\n<ReferralNFA>false</ReferralNFA>\n</CINdetails>\n</Child>\n",
                        i, i == nchild - 1 ? "<Bogus>x</Bogus>" : "<![CDATA[ <Child> ]]>");
        }
        fputs("</Children>\n</Message>\n", f);
        fclose(f);
        struct cin_load l;
        read_ok(&l, b.p, NULL);
        long last = 3 + 13L * (nchild - 1);
        assert_int_equal(l.nchildren, nchild);
        assert_int_equal(l.children[nchild - 1].line, last);
        assert_int_equal(l.table[CIN_ChildIdentifiers].rows[nchild - 1].line, last + 1);
        assert_int_equal(l.table[CIN_CINdetails].rows[nchild - 1].line, last + 6);
        assert_int_equal(l.table[CIN_CINdetails].rows[nchild - 1].row, nchild);
        /* CDATA text inside CINdetails is stray text, one issue per child but the last. */
        assert_int_equal(l.nissues, nchild);
        assert_string_equal(l.issues[nchild - 1].element, "Bogus");
        assert_int_equal(l.issues[nchild - 1].line, last + 9);
        assert_string_equal(l.issues[nchild - 1].child, "C5499");
        cin_load_release(&l);
        free(b.p);
}

/* ---------------------------------------------------------------- the shared fixtures */

struct fixture {
        const char *file;
        size_t children;
        size_t rows[CIN_NTABLES];
        size_t issues;
};

/* Counted with grep -o '<Element[ >/]' FILE | wc -l (Header rows by hand). */
static const struct fixture fixtures[] = {
    {"CIN2rows.xml", 1, {1, 1, 1, 2, 1, 1, 0, 1, 1, 2, 2, 0}, 1},
    {"CIN_Census_2021.xml", 1, {1, 1, 1, 2, 1, 1, 2, 1, 1, 1, 1, 0}, 1},
    {"CIN_Census_2021_copy.xml", 1, {1, 1, 1, 2, 1, 1, 0, 1, 1, 1, 1, 0}, 1},
    {"CIN_Census_2021_no_assessment_factors.xml", 1, {1, 1, 1, 2, 1, 1, 0, 1, 1, 1, 1, 0}, 1},
    {"CIN_Census_2024.xml", 2, {1, 2, 2, 3, 2, 2, 3, 1, 1, 1, 1, 0}, 1},
    {"CIN_Census_2026.xml", 2, {1, 2, 2, 3, 2, 2, 3, 1, 1, 1, 1, 1}, 1},
    {"CIN_header_issues_100.xml", 1, {1, 1, 1, 2, 1, 1, 2, 1, 1, 1, 1, 0}, 1},
    {"CIN_la_issues_2887Q.xml", 1, {1, 1, 1, 2, 1, 1, 2, 1, 1, 1, 1, 0}, 1},
    {"fake_CIN_data.xml", 332, {1, 332, 332, 117, 402, 0, 0, 0, 0, 0, 0, 0}, 0},
};

static void test_fixtures_row_counts(void **state)
{
        (void)state;
        SKIP_WITHOUT_SHARED(CIN_FIXTURES "/fake_CIN_data.xml");
        for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
                const struct fixture *fx = &fixtures[i];
                char path[512];
                snprintf(path, sizeof path, "%s/%s", CIN_FIXTURES, fx->file);
                struct cin_load l;
                struct err e;
                cin_load_init(&l);
                err_clear(&e);
                int rc = cin_read_file(&l, path, NULL, &e);
                if (rc)
                        print_message("%s: %s\n", fx->file, e.msg);
                assert_int_equal(rc, 0);
                assert_int_equal(l.nchildren, fx->children);
                for (int t = 0; t < CIN_NTABLES; t++) {
                        if (l.table[t].n != fx->rows[t])
                                print_message("%s: table %s\n", fx->file, cin_tables[t].name);
                        assert_int_equal(l.table[t].n, fx->rows[t]);
                }
                assert_int_equal(l.nissues, fx->issues);
                if (fx->issues) {
                        /* "<UPNunknown>UN3</UPNunknown>PersonBirthDate" on line 23 */
                        assert_int_equal(l.issues[0].line, 23);
                        assert_string_equal(l.issues[0].element, "#text");
                        assert_string_equal(l.issues[0].child, "DfEX0000001");
                        assert_string_equal(l.issues[0].table, "ChildIdentifiers");
                }
                cin_load_release(&l);
        }
}

static void test_fixture_details(void **state)
{
        (void)state;
        SKIP_WITHOUT_SHARED(CIN_FIXTURES "/CIN_Census_2026.xml");
        struct cin_load l;
        struct err e;
        cin_load_init(&l);
        assert_int_equal(cin_read_file(&l, CIN_FIXTURES "/CIN_Census_2026.xml", NULL, &e), 0);
        assert_string_equal(l.la, "201");
        const struct cin_row *ci = &l.table[CIN_ChildIdentifiers].rows[1];
        assert_string_equal(ci->v[CIN_CI_LAchildID], "child_fails_assessments");
        assert_string_equal(ci->v[CIN_CI_Sex], "M");
        assert_int_equal(ci->line, 86);
        assert_string_equal(l.table[CIN_ChildIdentifiers].rows[0].v[CIN_CI_Sex], "1");
        const struct cin_row *pp = &l.table[CIN_PreProceedings].rows[0];
        assert_int_equal(pp->line, 71);
        assert_int_equal(pp->d[CIN_PP_LetterInitCPDate], D(2027, 2, 5));
        assert_string_equal(pp->v[CIN_PP_ReviewMeetingsCount], "3");
        assert_string_equal(l.table[CIN_Assessments].rows[0].v[CIN_AS_AssessmentFactors],
                            "1C,RB,6B");
        assert_null(l.table[CIN_Assessments].rows[1].v[CIN_AS_AssessmentFactors]);
        assert_int_equal(l.table[CIN_CINdetails].rows[1].line, 98);
        cin_load_release(&l);

        SKIP_WITHOUT_SHARED(CIN_FIXTURES "/fake_CIN_data.xml");
        cin_load_init(&l);
        assert_int_equal(cin_read_file(&l, CIN_FIXTURES "/fake_CIN_data.xml", NULL, &e), 0);
        assert_string_equal(l.la, "975");
        /* grep: the last <CINdetails> is on line 7214, the last child is RND000589802835. */
        const struct cin_table *cd = &l.table[CIN_CINdetails];
        assert_int_equal(cd->rows[cd->n - 1].line, 7214);
        assert_string_equal(cd->rows[cd->n - 1].v[CIN_CD_LAchildID], "RND000589802835");
        assert_string_equal(l.children[l.nchildren - 1].LAchildID, "RND000589802835");
        /* grep: the last <Disability> (DDA) is on line 7102, child RND000112711501. */
        const struct cin_table *dis = &l.table[CIN_Disabilities];
        assert_int_equal(dis->rows[dis->n - 1].line, 7102);
        assert_string_equal(dis->rows[dis->n - 1].v[CIN_DIS_Disability], "DDA");
        assert_string_equal(dis->rows[dis->n - 1].v[CIN_DIS_LAchildID], "RND000112711501");
        /* grep: all 402 ReferralNFA are "true"; 252 closure dates; 21 death dates. */
        size_t nfa = 0, closed = 0, died = 0;
        for (size_t i = 0; i < cd->n; i++) {
                nfa += cin_bool(cd->rows[i].v[CIN_CD_ReferralNFA]) == 1;
                closed += cd->rows[i].d[CIN_CD_CINclosureDate] != DATE_NONE;
        }
        for (size_t i = 0; i < l.table[CIN_ChildIdentifiers].n; i++)
                died += l.table[CIN_ChildIdentifiers].rows[i].v[CIN_CI_PersonDeathDate] != NULL;
        assert_int_equal(nfa, 402);
        assert_int_equal(closed, 252);
        assert_int_equal(died, 21);
        cin_load_release(&l);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_minimal_document),
            cmocka_unit_test(test_sex_replaces_gender_current),
            cmocka_unit_test(test_pre_proceedings_and_keys),
            cmocka_unit_test(test_cells_dates_and_text),
            cmocka_unit_test(test_bool_and_year),
            cmocka_unit_test(test_unexpected_elements_are_issues),
            cmocka_unit_test(test_issue_cap),
            cmocka_unit_test(test_malformed_xml),
            cmocka_unit_test(test_nothing_printed),
            cmocka_unit_test(test_read_file),
            cmocka_unit_test(test_namespace_prefix),
            cmocka_unit_test(test_line_numbers_past_65535),
            cmocka_unit_test(test_fixtures_row_counts),
            cmocka_unit_test(test_fixture_details),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
