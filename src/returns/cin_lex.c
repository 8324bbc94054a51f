/*
 * cin_lex.c — the lexical scan behind the CIN reader's line numbers (see
 * cin_lex.h).  The text is well-formed by the time it is scanned (libxml2
 * reads it first), so a '<' starts a tag, a comment, CDATA, a processing
 * instruction or a declaration, and nothing else.
 */
#include "returns/cin_lex.h"

#include "core/err.h"

#include <string.h>

/* Count line ends in [p, q): LF, and CR not followed by LF (libxml2 counts the same). */
long cin_count_lines(const char *p, const char *q, const char *end)
{
        long n = 0;
        for (; p < q; p++) {
                if (*p == '\n')
                        n++;
                else if (*p == '\r' && (p + 1 >= end || p[1] != '\n'))
                        n++;
        }
        return n;
}

/* Move past the next occurrence of `tail` at or after p; false if there is none. */
static bool skip_past(struct cin_lex *x, const char *p, const char *tail)
{
        size_t tl = strlen(tail);
        const char *q = memmem(p, (size_t)(x->end - p), tail, tl);
        if (!q)
                return false;
        x->line += cin_count_lines(x->p, q + tl, x->end);
        x->p = q + tl;
        return true;
}

static bool has_prefix(const char *p, const char *end, const char *s)
{
        size_t n = strlen(s);
        return (size_t)(end - p) >= n && memcmp(p, s, n) == 0;
}

/*
 * Step to the next tag, passing over comments, CDATA, processing instructions
 * and declarations.  False at the end of the text or in an unfinished tag.
 */
bool cin_lex_next(struct cin_lex *x, struct cin_tag *t)
{
        for (;;) {
                const char *lt = memchr(x->p, '<', (size_t)(x->end - x->p));
                if (!lt)
                        return false;
                x->line += cin_count_lines(x->p, lt, x->end);
                x->p = lt;
                const char *skip_from = NULL, *skip_to = NULL;
                if (has_prefix(lt, x->end, "<!--"))
                        skip_from = lt + 4, skip_to = "-->";
                else if (has_prefix(lt, x->end, "<![CDATA["))
                        skip_from = lt + 9, skip_to = "]]>";
                else if (has_prefix(lt, x->end, "<?"))
                        skip_from = lt + 2, skip_to = "?>";
                else if (has_prefix(lt, x->end, "<!"))
                        skip_from = lt + 2, skip_to = ">";
                if (skip_from) {
                        if (!skip_past(x, skip_from, skip_to))
                                return false;
                        continue;
                }
                t->is_end = lt + 1 < x->end && lt[1] == '/';
                t->name = lt + 1 + t->is_end;
                const char *q = t->name;
                while (q < x->end && !strchr(" \t\r\n/>", *q))
                        q++;
                t->len = (size_t)(q - t->name);
                /* The tag ends at the first '>' outside a quoted attribute value. */
                char quote = 0;
                for (; q < x->end; q++) {
                        if (quote) {
                                if (*q == quote)
                                        quote = 0;
                        } else if (*q == '"' || *q == '\'') {
                                quote = *q;
                        } else if (*q == '>') {
                                break;
                        }
                }
                if (q >= x->end)
                        return false;
                t->self_closing = q[-1] == '/';
                t->line = x->line;
                x->line += cin_count_lines(x->p, q + 1, x->end);
                x->p = q + 1;
                return true;
        }
}

/*
 * Advance to the next start tag (want_end false) or end tag (true) and check
 * that its name is `name`.  Returns the line of its '<', or 0 (and stops
 * scanning for good) when the text and the reader disagree.
 */
long cin_lex_tag(struct cin_lex *x, bool want_end, const char *name)
{
        struct cin_tag t;
        if (!x->ok)
                return 0;
        if (!cin_lex_next(x, &t) || t.is_end != want_end || t.len != strlen(name) ||
            memcmp(t.name, name, t.len)) {
                x->ok = false;
                return 0;
        }
        return t.line;
}

/* Line of the first non-blank byte after the last tag (where stray text starts). */
long cin_lex_text_line(const struct cin_lex *x)
{
        if (!x->ok)
                return 0;
        const char *p = x->p;
        while (p < x->end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
                p++;
        return x->line + cin_count_lines(x->p, p, x->end);
}

/* Refuse a DOCTYPE before libxml2 sees it: a census never has one, and attacks start there. */
int cin_check_prolog(const char *file, const char *data, size_t len, struct err *e)
{
        struct cin_lex x = {data, data + len, 1, true};
        for (;;) {
                const char *lt = memchr(x.p, '<', (size_t)(x.end - x.p));
                if (!lt)
                        return 0;
                x.line += cin_count_lines(x.p, lt, x.end);
                x.p = lt;
                if (has_prefix(lt, x.end, "<!--")) {
                        if (!skip_past(&x, lt + 4, "-->"))
                                return 0;
                } else if (has_prefix(lt, x.end, "<?")) {
                        if (!skip_past(&x, lt + 2, "?>"))
                                return 0;
                } else if (has_prefix(lt, x.end, "<!DOCTYPE")) {
                        return err_at(e, file, x.line,
                                      "a DOCTYPE declaration, which a CIN census does not have; "
                                      "expected the document to start with <Message>");
                } else {
                        return 0;
                }
        }
}
