/*
 * ssda903_xml.c — read the EXPSSDA903 XML form (data-formats.md §1.8) into
 * the same tables as the CSV form, with libxml2's streaming reader.
 *
 * The document is walked once.  Each CHILD is gathered into a scratch arena
 * (its HEADER leaves, and one pending row per EPISODE, AREVIEW, OC2, …) and
 * emitted when the CHILD closes, because the child-level fields that every
 * derived row repeats (CHILDID, DOB, SEX) may come after the sub-elements.
 *
 * Safety: no network (XML_PARSE_NONET), no external entities or DTD loading,
 * and a document with a DOCTYPE is refused outright, so entity expansion
 * cannot be abused.  Input is limited to S903_MAX_INPUT bytes.  Malformed XML
 * is an EXIT_INPUT error "FILE:LINE: libxml2's message"; a well-formed
 * document with elements we do not expect is read, and each such element
 * becomes a note on the load (a finding later), never a crash.
 */
#include "returns/ssda903_int.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/xalloc.h"

#include <libxml/xmlreader.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pending {
        int t;
        long line;
        struct s903_cell cells[SSDA903_MAXCOLS];
};

struct xr {
        struct ssda903_load *ld;
        xmlTextReaderPtr r;
        const char *name; /* file name as given */
        const char *data; /* the document */
        size_t len;
        int previous;
        struct arena scratch; /* one child's text; reset per child */

        /* the child being read */
        struct s903_cell hd[HD_NFILE], ad[AD_NFILE], o3[O3_NFILE], uasc, duc;
        long hd_line;
        int have_header;
        struct pending *rows;
        size_t nrows, cap;

        /* first libxml2 error */
        int failed;
        long err_line;
        char err_msg[512];
};

static void on_error(void *ctx, xmlErrorPtr err)
{
        struct xr *x = ctx;
        if (x->failed || !err || err->level < XML_ERR_ERROR)
                return;
        x->failed = 1;
        x->err_line = err->line;
        snprintf(x->err_msg, sizeof x->err_msg, "%s", err->message ? err->message : "bad XML");
        size_t n = strlen(x->err_msg);
        while (n && (x->err_msg[n - 1] == '\n' || x->err_msg[n - 1] == ' '))
                x->err_msg[--n] = '\0';
}

static long line_of(struct xr *x)
{
        xmlNodePtr n = xmlTextReaderCurrentNode(x->r);
        long l = n ? xmlGetLineNo(n) : -1;
        return l > 0 ? l : xmlTextReaderGetParserLineNumber(x->r);
}

static const char *cur_name(struct xr *x)
{
        const xmlChar *n = xmlTextReaderConstName(x->r);
        return n ? (const char *)n : "";
}

static const char *child_id(struct xr *x)
{
        return x->hd[HD_CHILD].p ? x->hd[HD_CHILD].p : NULL;
}

/* After an error from xmlTextReaderRead: the malformed-input error. */
static int xml_fail(struct xr *x, struct err *e)
{
        if (x->failed)
                return err_at(e, x->name, x->err_line > 0 ? x->err_line : 1,
                              "%s; expected well-formed EXPSSDA903 XML", x->err_msg);
        return err_at(e, x->name, xmlTextReaderGetParserLineNumber(x->r),
                      "unreadable XML; expected well-formed EXPSSDA903 XML");
}

/* Read one node; 1 ok, 0 end of document (unexpected here), -1 error set. */
static int next(struct xr *x, struct err *e)
{
        int rc = xmlTextReaderRead(x->r);
        if (rc < 0 || x->failed)
                return xml_fail(x, e);
        if (rc == 0)
                return err_at(e, x->name, xmlTextReaderGetParserLineNumber(x->r),
                              "document ends inside an element; expected its closing tag");
        return 1;
}

/* Skip the element the reader is on, with everything inside it. */
static int skip(struct xr *x, struct err *e)
{
        if (xmlTextReaderIsEmptyElement(x->r))
                return 0;
        int depth = xmlTextReaderDepth(x->r);
        for (;;) {
                if (next(x, e) < 0)
                        return -1;
                if (xmlTextReaderNodeType(x->r) == XML_READER_TYPE_END_ELEMENT &&
                    xmlTextReaderDepth(x->r) == depth)
                        return 0;
        }
}

static int unexpected(struct xr *x, const char *table, const char *parent, struct err *e)
{
        ssda903_note(x->ld, x->name, line_of(x), table, 0, child_id(x),
                     "element <%s> is not expected inside <%s>; it was ignored", cur_name(x),
                     parent);
        return skip(x, e);
}

static int is_text(int type)
{
        return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
               type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE || type == XML_READER_TYPE_WHITESPACE;
}

static int blank_text(const char *s)
{
        for (; *s; s++)
                if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
                        return 0;
        return 1;
}

/* Read a leaf element's text into *cell (copied into the scratch arena). */
static int read_leaf(struct xr *x, const char *table, struct s903_cell *cell, struct err *e)
{
        const char *leaf = arena_strdup(&x->scratch, cur_name(x));
        if (cell->p)
                ssda903_note(x->ld, x->name, line_of(x), table, 0, child_id(x),
                             "element <%s> appears twice; the last value was kept", leaf);
        cell->p = NULL;
        cell->n = 0;
        if (xmlTextReaderIsEmptyElement(x->r))
                return 0;
        int depth = xmlTextReaderDepth(x->r);
        struct buf b;
        buf_init(&b);
        for (;;) {
                if (next(x, e) < 0) {
                        buf_release(&b);
                        return -1;
                }
                int type = xmlTextReaderNodeType(x->r);
                if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(x->r) == depth)
                        break;
                if (is_text(type)) {
                        const xmlChar *v = xmlTextReaderConstValue(x->r);
                        if (v)
                                buf_puts(&b, (const char *)v);
                } else if (type == XML_READER_TYPE_ELEMENT) {
                        if (unexpected(x, table, leaf, e) < 0) {
                                buf_release(&b);
                                return -1;
                        }
                }
        }
        if (b.len) {
                cell->p = arena_strndup(&x->scratch, b.data, b.len);
                cell->n = b.len;
        }
        buf_release(&b);
        return 0;
}

static int col_of(const struct ssda903_tabledef *def, const char *name)
{
        for (int c = 0; c < def->nfile; c++)
                if (def->xml[c] && strcmp(def->xml[c], name) == 0)
                        return c;
        return -1;
}

static struct pending *new_pending(struct xr *x, int t)
{
        if (x->nrows == x->cap)
                x->rows = xgrow(x->rows, &x->cap, x->nrows + 1, sizeof *x->rows);
        struct pending *p = &x->rows[x->nrows++];
        memset(p, 0, sizeof *p);
        p->t = t;
        p->line = line_of(x);
        return p;
}

/* A container whose children are the columns of table t (EPISODE, AREVIEW, OC2, …). */
static int read_group(struct xr *x, int t, struct err *e)
{
        const struct ssda903_tabledef *def = &ssda903_tabledefs[t];
        new_pending(x, t);
        size_t idx = x->nrows - 1; /* rows[] may move while it grows; keep the index */
        if (xmlTextReaderIsEmptyElement(x->r))
                return 0;
        const char *group = arena_strdup(&x->scratch, cur_name(x));
        int depth = xmlTextReaderDepth(x->r);
        for (;;) {
                if (next(x, e) < 0)
                        return -1;
                int type = xmlTextReaderNodeType(x->r);
                if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(x->r) == depth)
                        return 0;
                if (type == XML_READER_TYPE_ELEMENT) {
                        int c = col_of(def, cur_name(x));
                        int rc = c >= 0 ? read_leaf(x, def->name, &x->rows[idx].cells[c], e)
                                        : unexpected(x, def->name, group, e);
                        if (rc < 0)
                                return -1;
                } else if (is_text(type) &&
                           !blank_text((const char *)xmlTextReaderConstValue(x->r))) {
                        ssda903_note(x->ld, x->name, line_of(x), def->name, 0, child_id(x),
                                     "text directly inside <%s> was ignored", group);
                }
        }
}

/* HEADER: the Header leaves, plus the leaves of UASC, AD1 and OC3, and sub-groups. */
static int read_header(struct xr *x, struct err *e)
{
        static const struct {
                const char *name;
                int t;
        } groups[] = {
            {"AREVIEW", SSDA903_REVIEWS},  {"PERMANENCE", SSDA903_PREV_PERM},
            {"OC2", SSDA903_OC2},          {"AD_PLACED", SSDA903_PLACED_ADOPTION},
            {"AMISSING", SSDA903_MISSING},
        };
        if (x->have_header)
                ssda903_note(x->ld, x->name, line_of(x), "Header", 0, child_id(x),
                             "a second <HEADER> in one <CHILD>; its fields were merged");
        x->have_header = 1;
        x->hd_line = line_of(x);
        if (xmlTextReaderIsEmptyElement(x->r))
                return 0;
        int depth = xmlTextReaderDepth(x->r);
        const struct ssda903_tabledef *hd = &ssda903_tabledefs[SSDA903_HEADER];
        const struct ssda903_tabledef *ad = &ssda903_tabledefs[SSDA903_AD1];
        const struct ssda903_tabledef *o3 = &ssda903_tabledefs[SSDA903_OC3];
        for (;;) {
                if (next(x, e) < 0)
                        return -1;
                int type = xmlTextReaderNodeType(x->r);
                if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(x->r) == depth)
                        return 0;
                if (is_text(type)) {
                        if (!blank_text((const char *)xmlTextReaderConstValue(x->r)))
                                ssda903_note(x->ld, x->name, line_of(x), "Header", 0, child_id(x),
                                             "text directly inside <HEADER> was ignored");
                        continue;
                }
                if (type != XML_READER_TYPE_ELEMENT)
                        continue;
                const char *n = cur_name(x);
                int c, rc;
                if ((c = col_of(hd, n)) >= 0) {
                        rc = read_leaf(x, "Header", &x->hd[c], e);
                } else if (strcmp(n, "UASC") == 0) {
                        rc = read_leaf(x, "Header", &x->uasc, e);
                } else if (strcmp(n, "DUC") == 0) {
                        rc = read_leaf(x, "UASC", &x->duc, e);
                } else if ((c = col_of(ad, n)) >= 0) {
                        rc = read_leaf(x, "AD1", &x->ad[c], e);
                } else if ((c = col_of(o3, n)) >= 0) {
                        rc = read_leaf(x, "OC3", &x->o3[c], e);
                } else {
                        size_t g = 0;
                        while (g < sizeof groups / sizeof *groups && strcmp(groups[g].name, n))
                                g++;
                        rc = g < sizeof groups / sizeof *groups
                                 ? read_group(x, groups[g].t, e)
                                 : unexpected(x, "Header", "HEADER", e);
                }
                if (rc < 0)
                        return -1;
        }
}

static int any(const struct s903_cell *c, int from, int to)
{
        for (int i = from; i < to; i++)
                if (c[i].p && !blank_text(c[i].p))
                        return 1;
        return 0;
}

static void add(struct xr *x, int t, struct s903_cell *cells, long line)
{
        int tid = x->previous ? SSDA903_LAST(t) : t;
        s903_add_row(x->ld, tid, cells, (long)x->ld->t[tid].n + 1, line);
}

/* Trimmed copy of a cell's text in the scratch arena, or NULL when blank. */
static const char *trimmed(struct xr *x, const struct s903_cell *c)
{
        if (!c->p)
                return NULL;
        const char *p = c->p;
        size_t n = c->n;
        while (n && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) {
                p++;
                n--;
        }
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' || p[n - 1] == '\n'))
                n--;
        return n ? arena_strndup(&x->scratch, p, n) : NULL;
}

/* The child is complete: emit its rows, child-level fields copied into each. */
static void emit_child(struct xr *x)
{
        struct s903_cell child = x->hd[HD_CHILD], dob = x->hd[HD_DOB], sex = x->hd[HD_SEX];
        if (!x->have_header)
                ssda903_note(x->ld, x->name, x->hd_line, "Header", 0, NULL,
                             "a <CHILD> without <HEADER>; its rows have no CHILD id");
        const char *flag = trimmed(x, &x->uasc);
        if (x->have_header) {
                add(x, SSDA903_HEADER, x->hd, x->hd_line);
                /* The derived UASC flag as the XML states it; blank means not UASC. */
                struct ssda903_table *ht =
                    &x->ld->t[x->previous ? SSDA903_HEADER_LAST : SSDA903_HEADER];
                ht->rows[ht->n - 1].v[HD_UASC] = flag ? arena_strdup(&x->ld->arena, flag) : "0";
        }
        /* A UASC row when the flag is set, or when a DUC is given (so its rules can see it). */
        if ((flag && strcmp(flag, "0") != 0) || trimmed(x, &x->duc)) {
                struct s903_cell c[UA_NFILE] = {0};
                c[UA_CHILD] = child;
                c[UA_SEX] = sex;
                c[UA_DOB] = dob;
                c[UA_DUC] = x->duc;
                add(x, SSDA903_UASC, c, x->hd_line);
        }
        if (any(x->ad, AD_DATE_INT, AD_NFILE)) {
                x->ad[AD_CHILD] = child;
                x->ad[AD_DOB] = dob;
                add(x, SSDA903_AD1, x->ad, x->hd_line);
        }
        /* Sub-rows in table order, then document order, so row numbers count per table. */
        for (int t = 0; t < SSDA903_NCURRENT; t++) {
                if (t == SSDA903_OC3 && any(x->o3, O3_IN_TOUCH, O3_NFILE)) {
                        x->o3[O3_CHILD] = child;
                        x->o3[O3_DOB] = dob;
                        add(x, SSDA903_OC3, x->o3, x->hd_line);
                }
                for (size_t i = 0; i < x->nrows; i++) {
                        struct pending *p = &x->rows[i];
                        if (p->t != t)
                                continue;
                        p->cells[0] = child;
                        if (t != SSDA903_EPISODES)
                                p->cells[1] = dob; /* column 1 is DOB in every other table */
                        add(x, t, p->cells, p->line);
                }
        }
}

static void reset_child(struct xr *x)
{
        arena_reset(&x->scratch);
        memset(x->hd, 0, sizeof x->hd);
        memset(x->ad, 0, sizeof x->ad);
        memset(x->o3, 0, sizeof x->o3);
        memset(&x->uasc, 0, sizeof x->uasc);
        memset(&x->duc, 0, sizeof x->duc);
        x->have_header = 0;
        x->nrows = 0;
        x->hd_line = line_of(x);
}

static int read_child(struct xr *x, struct err *e)
{
        reset_child(x);
        if (!xmlTextReaderIsEmptyElement(x->r)) {
                int depth = xmlTextReaderDepth(x->r);
                for (;;) {
                        if (next(x, e) < 0)
                                return -1;
                        int type = xmlTextReaderNodeType(x->r);
                        if (type == XML_READER_TYPE_END_ELEMENT &&
                            xmlTextReaderDepth(x->r) == depth)
                                break;
                        if (is_text(type)) {
                                if (!blank_text((const char *)xmlTextReaderConstValue(x->r)))
                                        ssda903_note(x->ld, x->name, line_of(x), "XML", 0,
                                                     child_id(x),
                                                     "text directly inside <CHILD> was ignored");
                                continue;
                        }
                        if (type != XML_READER_TYPE_ELEMENT)
                                continue;
                        const char *n = cur_name(x);
                        int rc;
                        if (strcmp(n, "HEADER") == 0)
                                rc = read_header(x, e);
                        else if (strcmp(n, "EPISODE") == 0)
                                rc = read_group(x, SSDA903_EPISODES, e);
                        else
                                rc = unexpected(x, "XML", "CHILD", e);
                        if (rc < 0)
                                return -1;
                }
        }
        emit_child(x);
        return 0;
}

/* libxml2 places a DTD node after its internal subset; report where it starts. */
static long doctype_line(const struct xr *x)
{
        const char *p = memmem(x->data, x->len, "<!DOCTYPE", 9);
        long line = 1;
        for (const char *q = x->data; p && q < p; q++)
                line += *q == '\n';
        return line;
}

static int read_document(struct xr *x, struct err *e)
{
        int rc, seen_root = 0;
        while ((rc = xmlTextReaderRead(x->r)) == 1 && !x->failed) {
                int type = xmlTextReaderNodeType(x->r);
                if (type == XML_READER_TYPE_DOCUMENT_TYPE)
                        return err_at(e, x->name, doctype_line(x),
                                      "a DOCTYPE is not accepted; expected plain EXPSSDA903 XML");
                if (type != XML_READER_TYPE_ELEMENT)
                        continue;
                if (xmlTextReaderDepth(x->r) == 0) {
                        if (strcmp(cur_name(x), "EXPSSDA903") != 0)
                                return err_at(e, x->name, line_of(x),
                                              "root element is <%s>; expected <EXPSSDA903>",
                                              cur_name(x));
                        seen_root = 1;
                        int first = x->previous ? SSDA903_NCURRENT : 0;
                        for (int t = 0; t < SSDA903_NCURRENT; t++)
                                if (t != SSDA903_SW_EPISODES && t != SSDA903_DOLO &&
                                    s903_claim(x->ld, first + t, x->name, line_of(x), e) < 0)
                                        return -1;
                        continue;
                }
                if (xmlTextReaderDepth(x->r) != 1)
                        continue; /* unreachable: deeper levels are consumed below */
                rc = strcmp(cur_name(x), "CHILD") == 0 ? read_child(x, e)
                                                       : unexpected(x, "XML", "EXPSSDA903", e);
                if (rc < 0)
                        return -1;
        }
        if (rc < 0 || x->failed)
                return xml_fail(x, e);
        if (!seen_root)
                return err_at(e, x->name, 1, "no root element; expected <EXPSSDA903>");
        return 0;
}

int ssda903_read_xml_mem(struct ssda903_load *ld, const char *name, const char *data, size_t len,
                         int previous, struct err *e)
{
        if (len > S903_MAX_INPUT || len > INT_MAX)
                return err_at(e, name, 0, "file too large (%zu bytes); expected at most %zu", len,
                              S903_MAX_INPUT);
        struct xr x = {.ld = ld, .name = name, .data = data, .len = len, .previous = previous};
        arena_init(&x.scratch, 16 * 1024);
        int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES;
        x.r = xmlReaderForMemory(data, (int)len, NULL, NULL, opts);
        int rc;
        if (!x.r) {
                rc = err_at(e, name, 1, "cannot start the XML reader; expected EXPSSDA903 XML");
        } else {
                xmlTextReaderSetStructuredErrorHandler(x.r, on_error, &x);
                rc = read_document(&x, e);
                xmlFreeTextReader(x.r);
        }
        if (rc == 0 && !previous) {
                ld->from_xml = 1;
                ld->xml_file = ld->t[SSDA903_HEADER].file;
        }
        free(x.rows);
        arena_release(&x.scratch);
        return rc;
}
