/*
 * cin.h — the CIN census (children in need) XML return, read into tables.
 *
 * The census is one XML document (data-formats.md §2).  The reader streams it
 * with libxml2's xmlTextReader (no DOM, no network, no DTD or external
 * entities, bounded size and depth) and flattens it into the tables the
 * validation rules work on (§2.5): Header, ChildIdentifiers, ...,
 * PreProceedings.  Every collection year 2022/23 to 2025/26 is read by the same
 * code: GenderCurrent and Sex are both columns of ChildIdentifiers, and the
 * 2025/26 PreProceedingsandFGDM block is its own table.  Which of them a year
 * expects is for the rules to say, not the reader.
 *
 * Tables and columns.  A table is a `struct cin_table` of rows, in the style
 * of the SSDA903 load (ssda903.h), so that CIN rules read like 903 rules: a
 * row is two parallel arrays indexed by the table's column enum, whose names
 * are the DfE's element names with a table prefix (CIN_CD_CINreferralDate is
 * the CINreferralDate column of CINdetails):
 *
 *      r->v[CIN_CD_ReasonForClosure]  the cell as a NUL-terminated string,
 *                                     surrounding XML white space removed,
 *                                     NULL when absent or blank; as written
 *                                     (the census's codes are case-sensitive)
 *      r->d[CIN_CD_CINclosureDate]    for a date column, the parsed ISO
 *                                     YYYY-MM-DD date: DATE_NONE when blank,
 *                                     DATE_BAD when present but not a real
 *                                     date; DATE_NONE for other columns
 *
 * In every table but Header, column 0 is LAchildID.  Booleans (yesnotype)
 * are read with cin_bool().
 *
 * Keys.  Rows know their child (index into `children`), their CIN episode
 * (index of the CINdetails row they sit under) and their parent row in the
 * element tree; cin_rows_under() lists the rows of a table under one parent
 * row, and each child lists its rows per table.  The numbered ids of §2.5
 * (CINdetailsID per child, AssessmentID and CPPID per episode) are cells too.
 *
 * Positions.  `row` is the 1-based position of the row within its table over
 * the whole document (what a report's `row` column shows for XML), and `line`
 * the source line of the element that made the row.
 *
 * Problems.  A document that is not well-formed XML, whose root is not
 * <Message>, that has a DOCTYPE, or that exceeds the size or depth limit is
 * malformed: the read fails with an EXIT_INPUT error "FILE:LINE: what was
 * wrong, what was expected" and the load is left empty.  Anything else odd —
 * an element the census does not have in that place, stray text, a repeated
 * element that may occur once — is recorded as a `struct cin_issue` on the
 * load (element, line, message) and reading carries on; the validator
 * reports these as findings.
 *
 * Ownership: everything a load hands out lives until cin_load_release().
 * Strings, cells and issue texts come from the load's arena; the row, child
 * and issue vectors grow by doubling on the heap (an arena cannot grow an
 * array in place) and are freed by the same call.  A load is one census:
 * read into a fresh cin_load_init()ed load.
 *
 * Rules over a load: src/rules/cin/cin_rules.h.
 */
#ifndef IMPROVE_CIN_H
#define IMPROVE_CIN_H

#include "core/arena.h"
#include "core/date.h"

#include <stddef.h>
#include <stdint.h>

struct err;

/*
 * A date cell that is present but is not a real date: the same sentinel as
 * ssda903.h's (identical definition, so either header may come first).
 */
#ifndef DATE_BAD
#define DATE_BAD (INT32_MIN + 1)
#endif

/* Limits beyond which a document is refused as malformed. */
#define CIN_MAX_BYTES  ((size_t)1 << 30) /* 1 GiB: ten times the largest authority's census */
#define CIN_MAX_DEPTH  32                /* the census itself nests 7 deep */
#define CIN_MAX_ISSUES 10000             /* issues kept; further ones are only counted */

/* No row (a row without a parent, a child-level row without an episode). */
#define CIN_NO_ROW SIZE_MAX

/* The tables of the flattened view, named as the DfE and the validator name them. */
enum cin_table_id {
        CIN_Header,
        CIN_ChildIdentifiers,
        CIN_ChildCharacteristics,
        CIN_Disabilities,
        CIN_CINdetails,
        CIN_Assessments,
        CIN_AssessmentFactorsList,
        CIN_CINplanDates,
        CIN_Section47,
        CIN_ChildProtectionPlans,
        CIN_Reviews,
        CIN_PreProceedings,
        CIN_NTABLES
};

enum cin_header_col {
        CIN_HDR_Collection,
        CIN_HDR_Year,
        CIN_HDR_ReferenceDate,
        CIN_HDR_SourceLevel,
        CIN_HDR_LEA,
        CIN_HDR_SoftwareCode,
        CIN_HDR_Release,
        CIN_HDR_SerialNo,
        CIN_HDR_DateTime,
        CIN_HDR_NCOLS
};

enum cin_child_identifiers_col {
        CIN_CI_LAchildID,
        CIN_CI_UPN,
        CIN_CI_FormerUPN,
        CIN_CI_UPNunknown,
        CIN_CI_PersonBirthDate,
        CIN_CI_ExpectedPersonBirthDate,
        CIN_CI_GenderCurrent, /* until 2023/24 */
        CIN_CI_Sex,           /* from 2024/25 */
        CIN_CI_PersonDeathDate,
        CIN_CI_NCOLS
};

enum cin_child_characteristics_col { CIN_CC_LAchildID, CIN_CC_Ethnicity, CIN_CC_NCOLS };

enum cin_disabilities_col { CIN_DIS_LAchildID, CIN_DIS_Disability, CIN_DIS_NCOLS };

enum cin_cin_details_col {
        CIN_CD_LAchildID,
        CIN_CD_CINdetailsID, /* 1, 2, … per child in document order */
        CIN_CD_CINreferralDate,
        CIN_CD_ReferralSource,
        CIN_CD_PrimaryNeedCode,
        CIN_CD_CINclosureDate,
        CIN_CD_ReasonForClosure,
        CIN_CD_DateOfInitialCPC,
        CIN_CD_ReferralNFA,
        CIN_CD_NCOLS
};

enum cin_assessments_col {
        CIN_AS_LAchildID,
        CIN_AS_CINdetailsID,
        CIN_AS_AssessmentID, /* 1, 2, … per CINdetails */
        CIN_AS_AssessmentActualStartDate,
        CIN_AS_AssessmentInternalReviewDate,
        CIN_AS_AssessmentAuthorisationDate,
        CIN_AS_AssessmentFactors, /* the factor codes joined by ",", NULL when none */
        CIN_AS_NCOLS
};

enum cin_assessment_factors_col {
        CIN_AF_LAchildID,
        CIN_AF_CINdetailsID,
        CIN_AF_AssessmentID,
        CIN_AF_AssessmentFactor, /* one <AssessmentFactors> element */
        CIN_AF_NCOLS
};

enum cin_cin_plan_dates_col {
        CIN_PD_LAchildID,
        CIN_PD_CINdetailsID,
        CIN_PD_CINPlanStartDate,
        CIN_PD_CINPlanEndDate,
        CIN_PD_NCOLS
};

enum cin_section47_col {
        CIN_S47_LAchildID,
        CIN_S47_CINdetailsID,
        CIN_S47_S47ActualStartDate,
        CIN_S47_InitialCPCtarget,
        CIN_S47_DateOfInitialCPC,
        CIN_S47_ICPCnotRequired,
        CIN_S47_NCOLS
};

enum cin_child_protection_plans_col {
        CIN_CPP_LAchildID,
        CIN_CPP_CINdetailsID,
        CIN_CPP_CPPID, /* 1, 2, … per CINdetails */
        CIN_CPP_CPPstartDate,
        CIN_CPP_CPPendDate,
        CIN_CPP_InitialCategoryOfAbuse,
        CIN_CPP_LatestCategoryOfAbuse,
        CIN_CPP_NumberOfPreviousCPP,
        CIN_CPP_NCOLS
};

enum cin_reviews_col {
        CIN_REV_LAchildID,
        CIN_REV_CINdetailsID,
        CIN_REV_CPPID,
        CIN_REV_CPPreviewDate,
        CIN_REV_NCOLS
};

/* The 2025/26 PreProceedingsandFGDM block; meanings beyond the names are unconfirmed (§2.4). */
enum cin_pre_proceedings_col {
        CIN_PP_LAchildID,
        CIN_PP_CINdetailsID,
        CIN_PP_PPStartDate,
        CIN_PP_LBPSentDate,
        CIN_PP_FGDMMeetingOffer,
        CIN_PP_FGDMMeetingFac,
        CIN_PP_InitialPPMeetingDate,
        CIN_PP_ReviewMeetingsCount,
        CIN_PP_StepDecisionDate,
        CIN_PP_PPOutcome,
        CIN_PP_CourtAppDate,
        CIN_PP_LetterInitCPDate,
        CIN_PP_NCOLS
};

/* What a column holds, which says how it is parsed and checked. */
enum cin_type {
        CIN_TEXT,     /* a string or a code */
        CIN_DATE,     /* xs:date, parsed into row->d[col] */
        CIN_BOOL,     /* yesnotype: true false TRUE FALSE 1 0, see cin_bool() */
        CIN_INT,      /* an integer */
        CIN_DATETIME, /* xs:dateTime, kept as text */
        CIN_ID,       /* a number the reader assigns (CINdetailsID …), not in the XML */
};

struct cin_column {
        const char *name; /* DfE element name */
        enum cin_type type;
};

struct cin_table_def {
        const char *name;         /* "CINdetails" */
        enum cin_table_id parent; /* table of row->parent; CIN_NTABLES for none */
        size_t ncols;
        const struct cin_column *cols; /* indexed by the table's column enum */
};

/* Descriptions of the tables, indexed by enum cin_table_id. */
extern const struct cin_table_def cin_tables[CIN_NTABLES];

struct cin_row {
        const char **v; /* [ncols] cell strings, NULL = blank */
        date_t *d;      /* [ncols] parsed dates (DATE_NONE for blank and non-date columns) */
        const char *la; /* the authority: given by the caller, else the header's LEA */
        long row;       /* 1-based position of the element within its table */
        long line;      /* source line of the element that made the row */
        size_t child;   /* index into cin_load.children; CIN_NO_ROW for Header */
        size_t episode; /* CINdetails row index it sits under (itself for CINdetails) */
        size_t parent;  /* row index in cin_tables[t].parent's table; CIN_NO_ROW for none */
};

struct cin_table {
        enum cin_table_id id;
        size_t n;             /* rows */
        struct cin_row *rows; /* in document order */
        size_t cap;           /* private: allocated rows */
        size_t *under;        /* private: offsets by parent row, see cin_rows_under() */
};

/*
 * 32-bit row numbers: a census holds far fewer than 2^32 rows, and a child
 * of 112 bytes rather than 208 halves what is cleared and walked for every
 * child when a census is read back from the store.
 */
struct cin_child {
        const char *LAchildID;       /* NULL when the child has none */
        long line;                   /* line of <Child> */
        uint32_t first[CIN_NTABLES]; /* the child's rows in table t: first[t] … first[t]+n[t]-1 */
        uint32_t n[CIN_NTABLES];
};

/* Something odd that did not stop reading; the validator reports it as a finding. */
struct cin_issue {
        const char *file;
        long line;
        const char *table;   /* table of the innermost open row ("ChildIdentifiers"), or "XML" */
        long row;            /* that row's position in its table, 0 if none */
        const char *child;   /* LAchildID of the child it is in, or NULL */
        const char *element; /* the element that was unexpected, "#text" for stray text */
        const char *parent;  /* the element it appeared in */
        const char *text;    /* what was wrong, what was expected */
};

struct cin_load {
        struct arena arena;
        const char *file; /* name used in messages */
        const char *la;   /* authority of every row, NULL if neither given nor in the header */
        struct cin_table table[CIN_NTABLES];
        struct cin_child *children;
        size_t nchildren;
        struct cin_issue *issues;
        size_t nissues;
        size_t issues_dropped; /* issues beyond CIN_MAX_ISSUES, counted only */
        size_t cap_children, cap_issues;
};

void cin_load_init(struct cin_load *l);
void cin_load_release(struct cin_load *l);

/*
 * Read a census from a file or a buffer into an initialised, empty load.
 * `la` is the submitting authority (NULL: take it from Header/Source/LEA).
 * `name` names the buffer in messages.  Returns 0, or -1 with an EXIT_INPUT
 * error for malformed input (the load is then left empty).
 */
int cin_read_file(struct cin_load *l, const char *path, const char *la, struct err *e);
int cin_read_buffer(struct cin_load *l, const char *data, size_t len, const char *name,
                    const char *la, struct err *e);

/* Rows of table t under row `parent` of its parent table: they are *first … *first+count-1. */
size_t cin_rows_under(const struct cin_load *l, enum cin_table_id t, size_t parent, size_t *first);

/* A yesnotype cell: 1 true, 0 false, -1 blank (NULL), -2 anything else. */
int cin_bool(const char *cell);

/*
 * The collection year the document says it is for: the year of the header's
 * ReferenceDate (31 March Y gives Y) when that is a date, else Year when it is
 * a four-digit number, else 0.
 */
int cin_load_year(const struct cin_load *l);

/* Table id by name ("CINdetails"), or CIN_NTABLES if there is none. */
enum cin_table_id cin_table_by_name(const char *name);

#endif
