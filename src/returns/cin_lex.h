/*
 * cin_lex.h — private to the CIN reader: a lexical scan of the census text
 * that keeps exact line numbers in step with libxml2's reader (see the top of
 * cin_xml.c for why), and the prolog check that refuses a DOCTYPE.
 */
#ifndef IMPROVE_CIN_LEX_H
#define IMPROVE_CIN_LEX_H

#include <stdbool.h>
#include <stddef.h>

struct err;

struct cin_lex {
        const char *p, *end; /* p: just after the last tag matched */
        long line;           /* line at p */
        bool ok;
};

/* One start, end or empty-element tag found by cin_lex_next(). */
struct cin_tag {
        bool is_end, self_closing;
        const char *name; /* not NUL-terminated */
        size_t len;
        long line; /* of its '<' */
};

/* Count line ends in [p, q) of a text ending at `end`: LF, and CR not followed by LF. */
long cin_count_lines(const char *p, const char *q, const char *end);
/* Step to the next tag, passing over comments, CDATA, PIs and declarations; false at the end. */
bool cin_lex_next(struct cin_lex *x, struct cin_tag *t);
/*
 * Advance to the next start tag (want_end false) or end tag (true) and check
 * that its name is `name`.  Returns the line of its '<', or 0 (and stops
 * scanning for good) when the text and the reader disagree.
 */
long cin_lex_tag(struct cin_lex *x, bool want_end, const char *name);
/* Line of the first non-blank byte after the last tag (where stray text starts); 0 if lost. */
long cin_lex_text_line(const struct cin_lex *x);
/* -1 with an EXIT_INPUT error "FILE:LINE: …" if the prolog has a DOCTYPE, else 0. */
int cin_check_prolog(const char *file, const char *data, size_t len, struct err *e);

#endif
