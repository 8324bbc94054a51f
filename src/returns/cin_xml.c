/*
 * cin_xml.c — the CIN census XML reader (see cin.h).
 *
 * libxml2's xmlTextReader walks the document node by node; a small table
 * (`els` below) says, for every element the census has, where it may appear
 * and what it makes: a row of a table, a cell of the open row, or a row of a
 * one-column list table (Disability, AssessmentFactors, CPPreviewDate).  An
 * element the table does not have in that place is noted as an issue and its
 * subtree is passed over; only a document libxml2 cannot read is fatal.
 *
 * Security: no network, no DTD loading, no entity substitution, and a DOCTYPE
 * is refused outright, so neither external files nor entity expansion can be
 * reached from the input.  Size and depth are bounded (CIN_MAX_BYTES,
 * CIN_MAX_DEPTH).
 *
 * Line numbers: libxml2 keeps element line numbers in 16 bits, and the
 * reader's parser runs ahead of the node it returns, so neither gives the
 * exact line of a late element in a big census.  Instead a light lexical scan
 * (cin_lex.c) walks the same bytes in step with the reader: every start or
 * end tag the reader reports is the next tag in the text, once comments, CDATA
 * and processing instructions are stepped over.  The scan checks the tag's
 * name against the reader's and, should the two ever disagree (a document in
 * an encoding that is not ASCII-compatible), gives up and the reader's own
 * line numbers are used from then on.
 */
#include "returns/cin.h"
#include "returns/cin_lex.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/xalloc.h"

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* ---------------------------------------------------------------- the element tree */

enum el_kind {
        K_CONTAINER, /* holds other elements */
        K_ROW,       /* starts a row of `table` */
        K_FIELD,     /* text for column `col` of the open row of `table` */
        K_ITEM,      /* text that makes a row of `table` with it in column `col` */
};

struct el {
        const char *name;
        short parent; /* index into els; -1 for the root */
        unsigned char kind;
        bool repeat; /* may occur more than once in its parent */
        signed char table;
        signed char col;
};

enum {
        E_Message,
        E_Header,
        E_CollectionDetails,
        E_Source,
        E_Children,
        E_Child,
        E_ChildIdentifiers,
        E_ChildCharacteristics,
        E_Disabilities,
        E_CINdetails,
        E_Assessments,
        E_Factors,
        E_CINPlanDates,
        E_Section47,
        E_CPP,
        E_Reviews,
        E_PreProceedings,
};

#define C(n, p)                                                                                    \
        {                                                                                          \
                n, p, K_CONTAINER, false, -1, -1                                                   \
        }
#define ROW(n, p, t, r)                                                                            \
        {                                                                                          \
                n, p, K_ROW, r, t, -1                                                              \
        }
#define F(n, p, t, c)                                                                              \
        {                                                                                          \
                n, p, K_FIELD, false, t, c                                                         \
        }
#define ITEM(n, p, t, c)                                                                           \
        {                                                                                          \
                n, p, K_ITEM, true, t, c                                                           \
        }

/* The first entries follow the enum above; fields and items follow them. */
static const struct el els[] = {
    [E_Message] = C("Message", -1),
    [E_Header] = ROW("Header", E_Message, CIN_Header, false),
    [E_CollectionDetails] = C("CollectionDetails", E_Header),
    [E_Source] = C("Source", E_Header),
    [E_Children] = C("Children", E_Message),
    [E_Child] = {"Child", E_Children, K_CONTAINER, true, -1, -1},
    [E_ChildIdentifiers] = ROW("ChildIdentifiers", E_Child, CIN_ChildIdentifiers, false),
    [E_ChildCharacteristics] =
        ROW("ChildCharacteristics", E_Child, CIN_ChildCharacteristics, false),
    [E_Disabilities] = C("Disabilities", E_ChildCharacteristics),
    [E_CINdetails] = ROW("CINdetails", E_Child, CIN_CINdetails, true),
    [E_Assessments] = ROW("Assessments", E_CINdetails, CIN_Assessments, true),
    [E_Factors] = C("FactorsIdentifiedAtAssessment", E_Assessments),
    [E_CINPlanDates] = ROW("CINPlanDates", E_CINdetails, CIN_CINplanDates, true),
    [E_Section47] = ROW("Section47", E_CINdetails, CIN_Section47, true),
    [E_CPP] = ROW("ChildProtectionPlans", E_CINdetails, CIN_ChildProtectionPlans, true),
    [E_Reviews] = C("Reviews", E_CPP),
    [E_PreProceedings] = ROW("PreProceedingsandFGDM", E_CINdetails, CIN_PreProceedings, true),

    F("Collection", E_CollectionDetails, CIN_Header, CIN_HDR_Collection),
    F("Year", E_CollectionDetails, CIN_Header, CIN_HDR_Year),
    F("ReferenceDate", E_CollectionDetails, CIN_Header, CIN_HDR_ReferenceDate),
    F("SourceLevel", E_Source, CIN_Header, CIN_HDR_SourceLevel),
    F("LEA", E_Source, CIN_Header, CIN_HDR_LEA),
    F("SoftwareCode", E_Source, CIN_Header, CIN_HDR_SoftwareCode),
    F("Release", E_Source, CIN_Header, CIN_HDR_Release),
    F("SerialNo", E_Source, CIN_Header, CIN_HDR_SerialNo),
    F("DateTime", E_Source, CIN_Header, CIN_HDR_DateTime),

    F("LAchildID", E_ChildIdentifiers, CIN_ChildIdentifiers, CIN_CI_LAchildID),
    F("UPN", E_ChildIdentifiers, CIN_ChildIdentifiers, CIN_CI_UPN),
    F("FormerUPN", E_ChildIdentifiers, CIN_ChildIdentifiers, CIN_CI_FormerUPN),
    F("UPNunknown", E_ChildIdentifiers, CIN_ChildIdentifiers, CIN_CI_UPNunknown),
    F("PersonBirthDate", E_ChildIdentifiers, CIN_ChildIdentifiers, CIN_CI_PersonBirthDate),
    F("ExpectedPersonBirthDate", E_ChildIdentifiers, CIN_ChildIdentifiers,
      CIN_CI_ExpectedPersonBirthDate),
    F("GenderCurrent", E_ChildIdentifiers, CIN_ChildIdentifiers, CIN_CI_GenderCurrent),
    F("Sex", E_ChildIdentifiers, CIN_ChildIdentifiers, CIN_CI_Sex),
    F("PersonDeathDate", E_ChildIdentifiers, CIN_ChildIdentifiers, CIN_CI_PersonDeathDate),

    F("Ethnicity", E_ChildCharacteristics, CIN_ChildCharacteristics, CIN_CC_Ethnicity),
    ITEM("Disability", E_Disabilities, CIN_Disabilities, CIN_DIS_Disability),

    F("CINreferralDate", E_CINdetails, CIN_CINdetails, CIN_CD_CINreferralDate),
    F("ReferralSource", E_CINdetails, CIN_CINdetails, CIN_CD_ReferralSource),
    F("PrimaryNeedCode", E_CINdetails, CIN_CINdetails, CIN_CD_PrimaryNeedCode),
    F("CINclosureDate", E_CINdetails, CIN_CINdetails, CIN_CD_CINclosureDate),
    F("ReasonForClosure", E_CINdetails, CIN_CINdetails, CIN_CD_ReasonForClosure),
    F("DateOfInitialCPC", E_CINdetails, CIN_CINdetails, CIN_CD_DateOfInitialCPC),
    F("ReferralNFA", E_CINdetails, CIN_CINdetails, CIN_CD_ReferralNFA),

    F("AssessmentActualStartDate", E_Assessments, CIN_Assessments,
      CIN_AS_AssessmentActualStartDate),
    F("AssessmentInternalReviewDate", E_Assessments, CIN_Assessments,
      CIN_AS_AssessmentInternalReviewDate),
    F("AssessmentAuthorisationDate", E_Assessments, CIN_Assessments,
      CIN_AS_AssessmentAuthorisationDate),
    ITEM("AssessmentFactors", E_Factors, CIN_AssessmentFactorsList, CIN_AF_AssessmentFactor),

    F("CINPlanStartDate", E_CINPlanDates, CIN_CINplanDates, CIN_PD_CINPlanStartDate),
    F("CINPlanEndDate", E_CINPlanDates, CIN_CINplanDates, CIN_PD_CINPlanEndDate),

    F("S47ActualStartDate", E_Section47, CIN_Section47, CIN_S47_S47ActualStartDate),
    F("InitialCPCtarget", E_Section47, CIN_Section47, CIN_S47_InitialCPCtarget),
    F("DateOfInitialCPC", E_Section47, CIN_Section47, CIN_S47_DateOfInitialCPC),
    F("ICPCnotRequired", E_Section47, CIN_Section47, CIN_S47_ICPCnotRequired),

    F("CPPstartDate", E_CPP, CIN_ChildProtectionPlans, CIN_CPP_CPPstartDate),
    F("CPPendDate", E_CPP, CIN_ChildProtectionPlans, CIN_CPP_CPPendDate),
    F("InitialCategoryOfAbuse", E_CPP, CIN_ChildProtectionPlans, CIN_CPP_InitialCategoryOfAbuse),
    F("LatestCategoryOfAbuse", E_CPP, CIN_ChildProtectionPlans, CIN_CPP_LatestCategoryOfAbuse),
    F("NumberOfPreviousCPP", E_CPP, CIN_ChildProtectionPlans, CIN_CPP_NumberOfPreviousCPP),
    ITEM("CPPreviewDate", E_Reviews, CIN_Reviews, CIN_REV_CPPreviewDate),

    F("PPStartDate", E_PreProceedings, CIN_PreProceedings, CIN_PP_PPStartDate),
    F("LBPSentDate", E_PreProceedings, CIN_PreProceedings, CIN_PP_LBPSentDate),
    F("FGDMMeetingOffer", E_PreProceedings, CIN_PreProceedings, CIN_PP_FGDMMeetingOffer),
    F("FGDMMeetingFac", E_PreProceedings, CIN_PreProceedings, CIN_PP_FGDMMeetingFac),
    F("InitialPPMeetingDate", E_PreProceedings, CIN_PreProceedings, CIN_PP_InitialPPMeetingDate),
    F("ReviewMeetingsCount", E_PreProceedings, CIN_PreProceedings, CIN_PP_ReviewMeetingsCount),
    F("StepDecisionDate", E_PreProceedings, CIN_PreProceedings, CIN_PP_StepDecisionDate),
    F("PPOutcome", E_PreProceedings, CIN_PreProceedings, CIN_PP_PPOutcome),
    F("CourtAppDate", E_PreProceedings, CIN_PreProceedings, CIN_PP_CourtAppDate),
    F("LetterInitCPDate", E_PreProceedings, CIN_PreProceedings, CIN_PP_LetterInitCPDate),
};

#define NELS       ((int)(sizeof els / sizeof els[0]))
#define SEEN_WORDS ((NELS + 63) / 64)

static bool is_leaf(const struct el *d)
{
        return d->kind == K_FIELD || d->kind == K_ITEM;
}

/* ---------------------------------------------------------------- reader state */

struct frame {
        int el;
        uint64_t seen[SEEN_WORDS]; /* child elements met so far, by index into els */
};

struct rd {
        struct cin_load *l;
        xmlTextReaderPtr r;
        struct cin_lex lex;
        struct frame stack[CIN_MAX_DEPTH + 2];
        int nframes;
        int skip_depth;           /* >= 0: inside an ignored subtree that started at this depth */
        size_t open[CIN_NTABLES]; /* open row per table, CIN_NO_ROW when none */
        size_t child;             /* open child (index into l->children) or CIN_NO_ROW */
        int n_cin, n_assess, n_cpp;
        size_t issue_first; /* first issue raised inside the open child */
        size_t af_first;    /* first AssessmentFactorsList row of the open assessment */
        struct buf text;    /* text of the open leaf element */
        /* Every open element, known or not, for saying where a cut-off document stopped. */
        struct {
                char name[48];
                long line;
        } open_el[CIN_MAX_DEPTH + 2];
        int nopen;
        /* First error libxml2 reported. */
        bool xml_failed;
        int xml_code;
        long xml_line;
        char xml_msg[400];
};

static void on_xml_error(void *arg, xmlErrorPtr err)
{
        struct rd *s = arg;
        if (!err || err->level < XML_ERR_ERROR || s->xml_failed)
                return;
        s->xml_failed = true;
        s->xml_code = err->code;
        s->xml_line = err->line;
        snprintf(s->xml_msg, sizeof s->xml_msg, "%s", err->message ? err->message : "error");
        /* libxml2's messages may span lines; ours are one line. */
        for (char *c = s->xml_msg; *c; c++)
                if (*c == '\n' || *c == '\r')
                        *c = ' ';
        size_t n = strlen(s->xml_msg);
        while (n > 0 && (s->xml_msg[n - 1] == '\n' || s->xml_msg[n - 1] == ' '))
                s->xml_msg[--n] = '\0';
}

/* Line of the node the reader is on, when the lexical scan cannot say. */
static long reader_line(struct rd *s)
{
        xmlNodePtr n = xmlTextReaderCurrentNode(s->r);
        long line = n ? xmlGetLineNo(n) : -1;
        if (line <= 0 || line >= 65535)
                line = xmlTextReaderGetParserLineNumber(s->r);
        return line;
}

static void add_issue(struct rd *s, const char *element, const char *parent, long line,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void add_issue(struct rd *s, const char *element, const char *parent, long line,
                      const char *fmt, ...)
{
        struct cin_load *l = s->l;
        if (l->nissues >= CIN_MAX_ISSUES) {
                l->issues_dropped++;
                return;
        }
        l->issues = xgrow(l->issues, &l->cap_issues, l->nissues + 1, sizeof *l->issues);
        struct cin_issue *is = &l->issues[l->nissues++];
        is->file = l->file;
        is->line = line;
        is->table = "XML";
        is->row = 0;
        /* The child's LAchildID may not be read yet; close_child() fills it in. */
        is->child = NULL;
        for (int i = s->nframes - 1; i >= 0; i--) {
                const struct el *d = &els[s->stack[i].el];
                if ((d->kind == K_ROW || d->kind == K_ITEM) && s->open[d->table] != CIN_NO_ROW) {
                        is->table = cin_tables[d->table].name;
                        is->row = (long)s->open[d->table] + 1;
                        break;
                }
        }
        is->element = arena_strdup(&l->arena, element);
        is->parent = arena_strdup(&l->arena, parent);
        va_list ap;
        va_start(ap, fmt);
        is->text = arena_vprintf(&l->arena, fmt, ap);
        va_end(ap);
}

/* "A, B or C": the elements allowed inside els[p], for messages. */
static const char *allowed_children(struct rd *s, int p)
{
        struct buf b;
        buf_init(&b);
        int n = 0, total = 0;
        for (int i = 0; i < NELS; i++)
                total += els[i].parent == p;
        for (int i = 0; i < NELS; i++) {
                if (els[i].parent != p)
                        continue;
                n++;
                if (n > 1)
                        buf_puts(&b, n == total ? " or " : ", ");
                buf_puts(&b, els[i].name);
        }
        const char *out = arena_strdup(&s->l->arena, b.data);
        buf_release(&b);
        return out;
}

static size_t new_row(struct rd *s, enum cin_table_id t, long line)
{
        struct cin_load *l = s->l;
        struct cin_table *tab = &l->table[t];
        tab->rows = xgrow(tab->rows, &tab->cap, tab->n + 1, sizeof *tab->rows);
        size_t i = tab->n++;
        struct cin_row *r = &tab->rows[i];
        size_t nc = cin_tables[t].ncols;
        r->v = arena_zalloc(&l->arena, nc * sizeof *r->v);
        r->d = arena_alloc(&l->arena, nc * sizeof *r->d);
        for (size_t c = 0; c < nc; c++)
                r->d[c] = DATE_NONE;
        r->la = NULL;
        r->line = line;
        r->row = (long)i + 1;
        r->child = s->child;
        enum cin_table_id pt = cin_tables[t].parent;
        r->parent = pt == CIN_NTABLES ? CIN_NO_ROW : s->open[pt];
        r->episode = t == CIN_CINdetails ? i : s->open[CIN_CINdetails];
        return i;
}

static struct cin_row *row_at(struct rd *s, enum cin_table_id t, size_t i)
{
        return &s->l->table[t].rows[i];
}

static const char *num(struct rd *s, int n)
{
        return arena_printf(&s->l->arena, "%d", n);
}

/* Start a row for a row element or a list item, filling in its ids. */
static size_t open_row(struct rd *s, enum cin_table_id t, long line)
{
        size_t i = new_row(s, t, line);
        struct cin_row *r = row_at(s, t, i);
        const struct cin_row *cd = s->open[CIN_CINdetails] == CIN_NO_ROW
                                       ? NULL
                                       : row_at(s, CIN_CINdetails, s->open[CIN_CINdetails]);
        const char *cdid = cd ? cd->v[CIN_CD_CINdetailsID] : NULL;
        switch (t) {
        case CIN_CINdetails:
                r->v[CIN_CD_CINdetailsID] = num(s, ++s->n_cin);
                s->n_assess = s->n_cpp = 0;
                break;
        case CIN_Assessments:
                r->v[CIN_AS_CINdetailsID] = cdid;
                r->v[CIN_AS_AssessmentID] = num(s, ++s->n_assess);
                s->af_first = s->l->table[CIN_AssessmentFactorsList].n;
                break;
        case CIN_AssessmentFactorsList: {
                const struct cin_row *a = row_at(s, CIN_Assessments, s->open[CIN_Assessments]);
                r->v[CIN_AF_CINdetailsID] = cdid;
                r->v[CIN_AF_AssessmentID] = a->v[CIN_AS_AssessmentID];
                break;
        }
        case CIN_CINplanDates:
                r->v[CIN_PD_CINdetailsID] = cdid;
                break;
        case CIN_Section47:
                r->v[CIN_S47_CINdetailsID] = cdid;
                break;
        case CIN_ChildProtectionPlans:
                r->v[CIN_CPP_CINdetailsID] = cdid;
                r->v[CIN_CPP_CPPID] = num(s, ++s->n_cpp);
                break;
        case CIN_Reviews: {
                const struct cin_row *p =
                    row_at(s, CIN_ChildProtectionPlans, s->open[CIN_ChildProtectionPlans]);
                r->v[CIN_REV_CINdetailsID] = cdid;
                r->v[CIN_REV_CPPID] = p->v[CIN_CPP_CPPID];
                break;
        }
        case CIN_PreProceedings:
                r->v[CIN_PP_CINdetailsID] = cdid;
                break;
        default:
                break;
        }
        return i;
}

static bool xml_space(char c)
{
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Put the collected text of a leaf into column `col` of row i of table t. */
static void set_cell(struct rd *s, enum cin_table_id t, size_t i, int col)
{
        const char *p = s->text.data, *q = p + s->text.len;
        while (p < q && xml_space(*p))
                p++;
        while (q > p && xml_space(q[-1]))
                q--;
        struct cin_row *r = row_at(s, t, i);
        if (p == q)
                return;
        r->v[col] = arena_strndup(&s->l->arena, p, (size_t)(q - p));
        if (cin_tables[t].cols[col].type == CIN_DATE) {
                date_t d;
                r->d[col] = date_parse_iso(p, (size_t)(q - p), &d) == 0 ? d : DATE_BAD;
        }
}

static void open_child(struct rd *s, long line)
{
        struct cin_load *l = s->l;
        l->children = xgrow(l->children, &l->cap_children, l->nchildren + 1, sizeof *l->children);
        s->child = l->nchildren++;
        struct cin_child *c = &l->children[s->child];
        memset(c, 0, sizeof *c);
        c->line = line;
        for (int t = 0; t < CIN_NTABLES; t++)
                c->first[t] = l->table[t].n;
        s->n_cin = 0;
        s->issue_first = l->nissues;
}

/* The child's LAchildID is known only once its ChildIdentifiers are read: copy it to its rows. */
static void close_child(struct rd *s)
{
        struct cin_load *l = s->l;
        struct cin_child *c = &l->children[s->child];
        for (int t = 0; t < CIN_NTABLES; t++)
                c->n[t] = l->table[t].n - c->first[t];
        if (c->n[CIN_ChildIdentifiers] > 0)
                c->LAchildID = row_at(s, CIN_ChildIdentifiers, c->first[CIN_ChildIdentifiers])
                                   ->v[CIN_CI_LAchildID];
        for (int t = CIN_ChildCharacteristics; t < CIN_NTABLES; t++)
                for (size_t i = c->first[t]; i < c->first[t] + c->n[t]; i++)
                        l->table[t].rows[i].v[0] = c->LAchildID;
        for (size_t i = s->issue_first; i < l->nissues; i++)
                l->issues[i].child = c->LAchildID;
        s->child = CIN_NO_ROW;
}

/* The assessment's factor codes, joined, as its AssessmentFactors cell. */
static void close_assessment(struct rd *s)
{
        struct cin_table *af = &s->l->table[CIN_AssessmentFactorsList];
        struct buf b;
        buf_init(&b);
        for (size_t i = s->af_first; i < af->n; i++) {
                const char *code = af->rows[i].v[CIN_AF_AssessmentFactor];
                if (!code)
                        continue;
                if (b.len)
                        buf_putc(&b, ',');
                buf_puts(&b, code);
        }
        if (b.len)
                row_at(s, CIN_Assessments, s->open[CIN_Assessments])->v[CIN_AS_AssessmentFactors] =
                    arena_strdup(&s->l->arena, b.data);
        buf_release(&b);
}

/* ---------------------------------------------------------------- node handlers */

static int find_el(int parent, const char *name)
{
        for (int i = 0; i < NELS; i++)
                if (els[i].parent == parent && !strcmp(els[i].name, name))
                        return i;
        return -1;
}

static void push(struct rd *s, int el)
{
        struct frame *f = &s->stack[s->nframes++];
        f->el = el;
        memset(f->seen, 0, sizeof f->seen);
}

static void start_element(struct rd *s, const char *name, long line, int depth)
{
        struct frame *top = &s->stack[s->nframes - 1];
        const struct el *pd = &els[top->el];
        int el = is_leaf(pd) ? -1 : find_el(top->el, name);
        if (el < 0) {
                if (is_leaf(pd))
                        add_issue(s, name, pd->name, line,
                                  "unexpected element <%s> inside <%s>, expected text only", name,
                                  pd->name);
                else
                        add_issue(s, name, pd->name, line,
                                  "unexpected element <%s> in <%s>, expected %s", name, pd->name,
                                  allowed_children(s, top->el));
                s->skip_depth = depth;
                return;
        }
        const struct el *d = &els[el];
        uint64_t bit = (uint64_t)1 << (el % 64);
        if (!d->repeat && (top->seen[el / 64] & bit)) {
                add_issue(s, name, pd->name, line,
                          "repeated <%s> in <%s>, expected at most one; the first is used", name,
                          pd->name);
                s->skip_depth = depth;
                return;
        }
        top->seen[el / 64] |= bit;
        push(s, el);
        switch (d->kind) {
        case K_CONTAINER:
                if (el == E_Child)
                        open_child(s, line);
                break;
        case K_ROW:
                s->open[d->table] = open_row(s, (enum cin_table_id)d->table, line);
                break;
        case K_ITEM:
                s->open[d->table] = open_row(s, (enum cin_table_id)d->table, line);
                buf_reset(&s->text);
                break;
        case K_FIELD:
                buf_reset(&s->text);
                break;
        }
}

static void end_element(struct rd *s)
{
        const struct el *d = &els[s->stack[s->nframes - 1].el];
        int el = s->stack[s->nframes - 1].el;
        s->nframes--;
        switch (d->kind) {
        case K_CONTAINER:
                if (el == E_Child)
                        close_child(s);
                break;
        case K_ROW:
                if (d->table == CIN_Assessments)
                        close_assessment(s);
                s->open[d->table] = CIN_NO_ROW;
                break;
        case K_ITEM:
                set_cell(s, (enum cin_table_id)d->table, s->open[d->table], d->col);
                s->open[d->table] = CIN_NO_ROW;
                break;
        case K_FIELD:
                set_cell(s, (enum cin_table_id)d->table, s->open[d->table], d->col);
                break;
        }
}

static void text(struct rd *s, const char *v)
{
        const struct el *d = &els[s->stack[s->nframes - 1].el];
        if (is_leaf(d)) {
                buf_puts(&s->text, v);
                return;
        }
        const char *p = v;
        while (*p && xml_space(*p))
                p++;
        if (!*p)
                return;
        long line = s->lex.ok ? cin_lex_text_line(&s->lex) : reader_line(s);
        size_t n = strlen(p);
        while (n > 0 && xml_space(p[n - 1]))
                n--;
        add_issue(s, "#text", d->name, line,
                  "unexpected text \"%.*s%s\" in <%s>, expected elements only",
                  n > 40 ? 40 : (int)n, p, n > 40 ? "…" : "", d->name);
}

/* After the last node: authority on every row, and the row offsets per parent. */
static void finish(struct cin_load *l, const char *la)
{
        if (la)
                l->la = arena_strdup(&l->arena, la);
        else if (l->table[CIN_Header].n > 0)
                l->la = l->table[CIN_Header].rows[0].v[CIN_HDR_LEA];
        for (int t = 0; t < CIN_NTABLES; t++) {
                struct cin_table *tab = &l->table[t];
                for (size_t i = 0; i < tab->n; i++)
                        tab->rows[i].la = l->la;
                enum cin_table_id pt = cin_tables[t].parent;
                if (pt == CIN_NTABLES)
                        continue;
                size_t np = l->table[pt].n;
                tab->under = xcalloc(np + 2, sizeof *tab->under);
                /* Rows are appended under the latest open parent, so parents never go back. */
                for (size_t i = 0; i < tab->n; i++)
                        if (tab->rows[i].parent < np)
                                tab->under[tab->rows[i].parent + 1]++;
                for (size_t p = 0; p < np; p++)
                        tab->under[p + 1] += tab->under[p];
        }
}

/*
 * The reader stops short of the end of a cut-off document; finish the list of
 * open elements from the text itself so that the message names the right one.
 */
static void truncated(struct rd *s)
{
        struct cin_tag t;
        if (!s->lex.ok)
                return;
        while (cin_lex_next(&s->lex, &t)) {
                if (t.self_closing)
                        continue;
                if (t.is_end) {
                        if (s->nopen > 0)
                                s->nopen--;
                } else if (s->nopen < CIN_MAX_DEPTH + 2) {
                        snprintf(s->open_el[s->nopen].name, sizeof s->open_el[0].name, "%.*s",
                                 (int)(t.len < 47 ? t.len : 47), t.name);
                        s->open_el[s->nopen++].line = t.line;
                }
        }
}

static int parse(struct rd *s, const char *data, size_t len, const char *la, struct err *e)
{
        struct cin_load *l = s->l;
        if (len == 0)
                return err_at(e, l->file, 0, "empty file, expected a CIN census XML document");
        if (len > CIN_MAX_BYTES || len > (size_t)INT32_MAX)
                return err_at(e, l->file, 0,
                              "file is %zu bytes, more than the %zu a CIN census may have", len,
                              CIN_MAX_BYTES);
        if (cin_check_prolog(l->file, data, len, e) < 0)
                return -1;
        s->r =
            xmlReaderForMemory(data, (int)len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
        if (!s->r && s->xml_failed)
                return err_at(e, l->file, s->xml_line,
                              "not well-formed XML (%s), expected a CIN census XML document",
                              s->xml_msg);
        if (!s->r)
                return err_set(e, EXIT_INTERNAL, "%s: cannot start the XML reader", l->file);
        xmlTextReaderSetStructuredErrorHandler(s->r, on_xml_error, s);
        s->lex = (struct cin_lex){data, data + len, 1, true};
        bool root_seen = false;
        int ret;
        while ((ret = xmlTextReaderRead(s->r)) == 1) {
                if (s->xml_failed)
                        break;
                int type = xmlTextReaderNodeType(s->r);
                int depth = xmlTextReaderDepth(s->r);
                if (depth > CIN_MAX_DEPTH) {
                        long line = s->lex.ok ? s->lex.line : reader_line(s);
                        return err_at(e, l->file, line,
                                      "elements nested more than %d deep, expected a CIN census "
                                      "(which nests 7 deep)",
                                      CIN_MAX_DEPTH);
                }
                switch (type) {
                case XML_READER_TYPE_ELEMENT: {
                        const char *qname = (const char *)xmlTextReaderConstName(s->r);
                        const char *name = (const char *)xmlTextReaderConstLocalName(s->r);
                        bool empty = xmlTextReaderIsEmptyElement(s->r) == 1;
                        long line = cin_lex_tag(&s->lex, false, qname ? qname : "");
                        if (!line)
                                line = reader_line(s);
                        if (!name)
                                name = "";
                        if (!empty && s->nopen < CIN_MAX_DEPTH + 2) {
                                snprintf(s->open_el[s->nopen].name, sizeof s->open_el[0].name, "%s",
                                         qname ? qname : "");
                                s->open_el[s->nopen++].line = line;
                        }
                        if (!root_seen) {
                                root_seen = true;
                                if (strcmp(name, "Message"))
                                        return err_at(e, l->file, line,
                                                      "the root element is <%s>, expected "
                                                      "<Message> (a CIN census)",
                                                      name);
                                push(s, E_Message);
                                break;
                        }
                        if (s->skip_depth >= 0)
                                break;
                        start_element(s, name, line, depth);
                        if (empty) {
                                if (s->skip_depth == depth)
                                        s->skip_depth = -1;
                                else
                                        end_element(s);
                        }
                        break;
                }
                case XML_READER_TYPE_END_ELEMENT: {
                        const char *qname = (const char *)xmlTextReaderConstName(s->r);
                        cin_lex_tag(&s->lex, true, qname ? qname : "");
                        if (s->nopen > 0)
                                s->nopen--;
                        if (s->skip_depth >= 0) {
                                if (depth == s->skip_depth)
                                        s->skip_depth = -1;
                                break;
                        }
                        if (depth > 0)
                                end_element(s);
                        break;
                }
                case XML_READER_TYPE_TEXT:
                case XML_READER_TYPE_CDATA:
                case XML_READER_TYPE_WHITESPACE:
                case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
                        if (s->skip_depth < 0 && s->nframes > 0) {
                                const char *v = (const char *)xmlTextReaderConstValue(s->r);
                                if (v)
                                        text(s, v);
                        }
                        break;
                case XML_READER_TYPE_DOCUMENT_TYPE:
                        return err_at(e, l->file, reader_line(s),
                                      "a DOCTYPE declaration, which a CIN census does not have; "
                                      "expected the document to start with <Message>");
                default:
                        break;
                }
        }
        if (s->nopen > 0 && (!s->xml_failed || s->xml_code == XML_ERR_DOCUMENT_END)) {
                /* libxml2's reader calls a cut-off document "extra content"; say what it is. */
                truncated(s);
                if (s->nopen > 0)
                        return err_at(e, l->file, 1 + cin_count_lines(data, data + len, data + len),
                                      "the document ends with <%s> (line %ld) still open, "
                                      "expected the rest of the census up to </%s>",
                                      s->open_el[s->nopen - 1].name, s->open_el[s->nopen - 1].line,
                                      s->open_el[0].name);
        }
        if (s->xml_failed || ret < 0)
                return err_at(e, l->file,
                              s->xml_failed && s->xml_line > 0 ? s->xml_line : reader_line(s),
                              "not well-formed XML (%s), expected a CIN census XML document",
                              s->xml_failed ? s->xml_msg : "read error");
        if (!root_seen)
                return err_at(e, l->file, 0, "no root element, expected <Message> (a CIN census)");
        finish(l, la);
        return 0;
}

/* libxml2 reports some errors (encodings, while the reader is being set up) through its
 * global handlers, which print to stderr; library code never prints. */
static void quiet(void *ctx, const char *msg, ...)
{
        (void)ctx;
        (void)msg;
}

int cin_read_buffer(struct cin_load *l, const char *data, size_t len, const char *name,
                    const char *la, struct err *e)
{
        struct rd s;
        memset(&s, 0, sizeof s);
        s.l = l;
        s.skip_depth = -1;
        s.child = CIN_NO_ROW;
        for (int t = 0; t < CIN_NTABLES; t++)
                s.open[t] = CIN_NO_ROW;
        buf_init(&s.text);
        l->file = arena_strdup(&l->arena, name ? name : "(buffer)");
        xmlInitParser();
        xmlGenericErrorFunc old_generic = xmlGenericError;
        void *old_generic_ctx = xmlGenericErrorContext;
        xmlStructuredErrorFunc old_structured = xmlStructuredError;
        void *old_structured_ctx = xmlStructuredErrorContext;
        xmlSetGenericErrorFunc(NULL, quiet);
        xmlSetStructuredErrorFunc(&s, on_xml_error);
        int rc = parse(&s, data, len, la, e);
        if (s.r)
                xmlFreeTextReader(s.r);
        xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
        xmlSetStructuredErrorFunc(old_structured_ctx, old_structured);
        buf_release(&s.text);
        if (rc < 0) {
                /* Nothing of a malformed document is handed back. */
                cin_load_release(l);
                return -1;
        }
        return 0;
}

int cin_read_file(struct cin_load *l, const char *path, const char *la, struct err *e)
{
        struct stat st;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size > CIN_MAX_BYTES)
                return err_at(e, path, 0,
                              "file is %lld bytes, more than the %zu a CIN census may have",
                              (long long)st.st_size, CIN_MAX_BYTES);
        struct buf b;
        buf_init(&b);
        if (buf_read_file(&b, path, e) < 0) {
                buf_release(&b);
                return -1;
        }
        int rc = cin_read_buffer(l, b.data, b.len, path, la, e);
        buf_release(&b);
        return rc;
}
