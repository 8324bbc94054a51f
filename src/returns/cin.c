/*
 * cin.c — the CIN census tables: their columns, and the load that holds them
 * (see cin.h).  The XML reader that fills a load is cin_xml.c.
 */
#include "returns/cin.h"

#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define COLS(a) (sizeof(a) / sizeof((a)[0])), (a)

static const struct cin_column header_cols[CIN_HDR_NCOLS] = {
    [CIN_HDR_Collection] = {"Collection", CIN_TEXT},
    [CIN_HDR_Year] = {"Year", CIN_INT},
    [CIN_HDR_ReferenceDate] = {"ReferenceDate", CIN_DATE},
    [CIN_HDR_SourceLevel] = {"SourceLevel", CIN_TEXT},
    [CIN_HDR_LEA] = {"LEA", CIN_TEXT},
    [CIN_HDR_SoftwareCode] = {"SoftwareCode", CIN_TEXT},
    [CIN_HDR_Release] = {"Release", CIN_TEXT},
    [CIN_HDR_SerialNo] = {"SerialNo", CIN_TEXT},
    [CIN_HDR_DateTime] = {"DateTime", CIN_DATETIME},
};

static const struct cin_column child_identifiers_cols[CIN_CI_NCOLS] = {
    [CIN_CI_LAchildID] = {"LAchildID", CIN_TEXT},
    [CIN_CI_UPN] = {"UPN", CIN_TEXT},
    [CIN_CI_FormerUPN] = {"FormerUPN", CIN_TEXT},
    [CIN_CI_UPNunknown] = {"UPNunknown", CIN_TEXT},
    [CIN_CI_PersonBirthDate] = {"PersonBirthDate", CIN_DATE},
    [CIN_CI_ExpectedPersonBirthDate] = {"ExpectedPersonBirthDate", CIN_DATE},
    [CIN_CI_GenderCurrent] = {"GenderCurrent", CIN_TEXT},
    [CIN_CI_Sex] = {"Sex", CIN_TEXT},
    [CIN_CI_PersonDeathDate] = {"PersonDeathDate", CIN_DATE},
};

static const struct cin_column child_characteristics_cols[CIN_CC_NCOLS] = {
    [CIN_CC_LAchildID] = {"LAchildID", CIN_TEXT},
    [CIN_CC_Ethnicity] = {"Ethnicity", CIN_TEXT},
};

static const struct cin_column disabilities_cols[CIN_DIS_NCOLS] = {
    [CIN_DIS_LAchildID] = {"LAchildID", CIN_TEXT},
    [CIN_DIS_Disability] = {"Disability", CIN_TEXT},
};

static const struct cin_column cin_details_cols[CIN_CD_NCOLS] = {
    [CIN_CD_LAchildID] = {"LAchildID", CIN_TEXT},
    [CIN_CD_CINdetailsID] = {"CINdetailsID", CIN_ID},
    [CIN_CD_CINreferralDate] = {"CINreferralDate", CIN_DATE},
    [CIN_CD_ReferralSource] = {"ReferralSource", CIN_TEXT},
    [CIN_CD_PrimaryNeedCode] = {"PrimaryNeedCode", CIN_TEXT},
    [CIN_CD_CINclosureDate] = {"CINclosureDate", CIN_DATE},
    [CIN_CD_ReasonForClosure] = {"ReasonForClosure", CIN_TEXT},
    [CIN_CD_DateOfInitialCPC] = {"DateOfInitialCPC", CIN_DATE},
    [CIN_CD_ReferralNFA] = {"ReferralNFA", CIN_BOOL},
};

static const struct cin_column assessments_cols[CIN_AS_NCOLS] = {
    [CIN_AS_LAchildID] = {"LAchildID", CIN_TEXT},
    [CIN_AS_CINdetailsID] = {"CINdetailsID", CIN_ID},
    [CIN_AS_AssessmentID] = {"AssessmentID", CIN_ID},
    [CIN_AS_AssessmentActualStartDate] = {"AssessmentActualStartDate", CIN_DATE},
    [CIN_AS_AssessmentInternalReviewDate] = {"AssessmentInternalReviewDate", CIN_DATE},
    [CIN_AS_AssessmentAuthorisationDate] = {"AssessmentAuthorisationDate", CIN_DATE},
    [CIN_AS_AssessmentFactors] = {"AssessmentFactors", CIN_TEXT},
};

static const struct cin_column assessment_factors_cols[CIN_AF_NCOLS] = {
    [CIN_AF_LAchildID] = {"LAchildID", CIN_TEXT},
    [CIN_AF_CINdetailsID] = {"CINdetailsID", CIN_ID},
    [CIN_AF_AssessmentID] = {"AssessmentID", CIN_ID},
    [CIN_AF_AssessmentFactor] = {"AssessmentFactor", CIN_TEXT},
};

static const struct cin_column cin_plan_dates_cols[CIN_PD_NCOLS] = {
    [CIN_PD_LAchildID] = {"LAchildID", CIN_TEXT},
    [CIN_PD_CINdetailsID] = {"CINdetailsID", CIN_ID},
    [CIN_PD_CINPlanStartDate] = {"CINPlanStartDate", CIN_DATE},
    [CIN_PD_CINPlanEndDate] = {"CINPlanEndDate", CIN_DATE},
};

static const struct cin_column section47_cols[CIN_S47_NCOLS] = {
    [CIN_S47_LAchildID] = {"LAchildID", CIN_TEXT},
    [CIN_S47_CINdetailsID] = {"CINdetailsID", CIN_ID},
    [CIN_S47_S47ActualStartDate] = {"S47ActualStartDate", CIN_DATE},
    [CIN_S47_InitialCPCtarget] = {"InitialCPCtarget", CIN_DATE},
    [CIN_S47_DateOfInitialCPC] = {"DateOfInitialCPC", CIN_DATE},
    [CIN_S47_ICPCnotRequired] = {"ICPCnotRequired", CIN_BOOL},
};

static const struct cin_column child_protection_plans_cols[CIN_CPP_NCOLS] = {
    [CIN_CPP_LAchildID] = {"LAchildID", CIN_TEXT},
    [CIN_CPP_CINdetailsID] = {"CINdetailsID", CIN_ID},
    [CIN_CPP_CPPID] = {"CPPID", CIN_ID},
    [CIN_CPP_CPPstartDate] = {"CPPstartDate", CIN_DATE},
    [CIN_CPP_CPPendDate] = {"CPPendDate", CIN_DATE},
    [CIN_CPP_InitialCategoryOfAbuse] = {"InitialCategoryOfAbuse", CIN_TEXT},
    [CIN_CPP_LatestCategoryOfAbuse] = {"LatestCategoryOfAbuse", CIN_TEXT},
    [CIN_CPP_NumberOfPreviousCPP] = {"NumberOfPreviousCPP", CIN_INT},
};

static const struct cin_column reviews_cols[CIN_REV_NCOLS] = {
    [CIN_REV_LAchildID] = {"LAchildID", CIN_TEXT},
    [CIN_REV_CINdetailsID] = {"CINdetailsID", CIN_ID},
    [CIN_REV_CPPID] = {"CPPID", CIN_ID},
    [CIN_REV_CPPreviewDate] = {"CPPreviewDate", CIN_DATE},
};

static const struct cin_column pre_proceedings_cols[CIN_PP_NCOLS] = {
    [CIN_PP_LAchildID] = {"LAchildID", CIN_TEXT},
    [CIN_PP_CINdetailsID] = {"CINdetailsID", CIN_ID},
    [CIN_PP_PPStartDate] = {"PPStartDate", CIN_DATE},
    [CIN_PP_LBPSentDate] = {"LBPSentDate", CIN_DATE},
    [CIN_PP_FGDMMeetingOffer] = {"FGDMMeetingOffer", CIN_BOOL},
    [CIN_PP_FGDMMeetingFac] = {"FGDMMeetingFac", CIN_BOOL},
    [CIN_PP_InitialPPMeetingDate] = {"InitialPPMeetingDate", CIN_DATE},
    [CIN_PP_ReviewMeetingsCount] = {"ReviewMeetingsCount", CIN_INT},
    [CIN_PP_StepDecisionDate] = {"StepDecisionDate", CIN_DATE},
    [CIN_PP_PPOutcome] = {"PPOutcome", CIN_TEXT},
    [CIN_PP_CourtAppDate] = {"CourtAppDate", CIN_DATE},
    [CIN_PP_LetterInitCPDate] = {"LetterInitCPDate", CIN_DATE},
};

const struct cin_table_def cin_tables[CIN_NTABLES] = {
    [CIN_Header] = {"Header", CIN_NTABLES, COLS(header_cols)},
    [CIN_ChildIdentifiers] = {"ChildIdentifiers", CIN_NTABLES, COLS(child_identifiers_cols)},
    [CIN_ChildCharacteristics] = {"ChildCharacteristics", CIN_NTABLES,
                                  COLS(child_characteristics_cols)},
    [CIN_Disabilities] = {"Disabilities", CIN_ChildCharacteristics, COLS(disabilities_cols)},
    [CIN_CINdetails] = {"CINdetails", CIN_NTABLES, COLS(cin_details_cols)},
    [CIN_Assessments] = {"Assessments", CIN_CINdetails, COLS(assessments_cols)},
    [CIN_AssessmentFactorsList] = {"AssessmentFactorsList", CIN_Assessments,
                                   COLS(assessment_factors_cols)},
    [CIN_CINplanDates] = {"CINplanDates", CIN_CINdetails, COLS(cin_plan_dates_cols)},
    [CIN_Section47] = {"Section47", CIN_CINdetails, COLS(section47_cols)},
    [CIN_ChildProtectionPlans] = {"ChildProtectionPlans", CIN_CINdetails,
                                  COLS(child_protection_plans_cols)},
    [CIN_Reviews] = {"Reviews", CIN_ChildProtectionPlans, COLS(reviews_cols)},
    [CIN_PreProceedings] = {"PreProceedings", CIN_CINdetails, COLS(pre_proceedings_cols)},
};

void cin_load_init(struct cin_load *l)
{
        memset(l, 0, sizeof *l);
        arena_init(&l->arena, 0);
        for (int t = 0; t < CIN_NTABLES; t++)
                l->table[t].id = (enum cin_table_id)t;
}

void cin_load_release(struct cin_load *l)
{
        for (int t = 0; t < CIN_NTABLES; t++) {
                free(l->table[t].rows);
                free(l->table[t].under);
        }
        free(l->children);
        free(l->issues);
        arena_release(&l->arena);
        cin_load_init(l);
}

size_t cin_rows_under(const struct cin_load *l, enum cin_table_id t, size_t parent, size_t *first)
{
        const struct cin_table *tab = &l->table[t];
        enum cin_table_id pt = cin_tables[t].parent;
        *first = 0;
        if (pt == CIN_NTABLES || !tab->under || parent >= l->table[pt].n)
                return 0;
        *first = tab->under[parent];
        return tab->under[parent + 1] - tab->under[parent];
}

int cin_bool(const char *cell)
{
        if (!cell)
                return -1;
        if (!strcmp(cell, "true") || !strcmp(cell, "TRUE") || !strcmp(cell, "1"))
                return 1;
        if (!strcmp(cell, "false") || !strcmp(cell, "FALSE") || !strcmp(cell, "0"))
                return 0;
        return -2;
}

int cin_load_year(const struct cin_load *l)
{
        const struct cin_table *h = &l->table[CIN_Header];
        if (h->n == 0)
                return 0;
        const struct cin_row *r = &h->rows[0];
        date_t ref = r->d[CIN_HDR_ReferenceDate];
        if (ref != DATE_NONE && ref != DATE_BAD)
                return date_collection_year(ref);
        const char *y = r->v[CIN_HDR_Year];
        if (y && strlen(y) == 4 && strspn(y, "0123456789") == 4)
                return atoi(y);
        return 0;
}

enum cin_table_id cin_table_by_name(const char *name)
{
        for (int t = 0; t < CIN_NTABLES; t++)
                if (!strcmp(cin_tables[t].name, name))
                        return (enum cin_table_id)t;
        return CIN_NTABLES;
}
