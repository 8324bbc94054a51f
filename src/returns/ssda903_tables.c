/*
 * ssda903_tables.c — the SSDA903 table definitions (data-formats.md §1.2, §1.3,
 * §1.8) and the one place a row is built from cells, so that the CSV and XML
 * readers agree on trimming, case and dates.
 */
#include "returns/ssda903_int.h"

#include "core/arena.h"
#include "core/date.h"
#include "core/err.h"
#include "core/xalloc.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

enum { I = SSDA903_COL_ID, C = SSDA903_COL_CODE, D = SSDA903_COL_DATE, X = SSDA903_COL_DERIVED };

static const char *const hd_cols[] = {"CHILD", "SEX",    "DOB",    "ETHNIC",
                                      "UPN",   "MOTHER", "MC_DOB", "UASC"};
static const unsigned char hd_kind[] = {I, C, D, C, C, C, D, X};
/* UASC in the XML is the flag itself; the loader turns it into this derived column. */
static const char *const hd_xml[] = {"CHILDID", "SEX",    "DOB",    "ETHNIC",
                                     "UPN",     "MOTHER", "MC_DOB", NULL};

static const char *const ep_cols[] = {
    "CHILD",      "DECOM",          "RNE", "LS",          "CIN",
    "PLACE",      "PLACE_PROVIDER", "DEC", "REC",         "REASON_PLACE_CHANGE",
    "HOME_POST",  "PL_POST",        "URN", "PL_DISTANCE", "PL_LA",
    "PL_LOCATION"};
static const unsigned char ep_kind[] = {I, D, C, C, C, C, C, D, C, C, C, C, C, X, X, X};
static const char *const ep_xml[] = {
    NULL,        "DECOM",          "RNE", "LS",  "CIN",
    "PL",        "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE",
    "HOME_POST", "PL_POST",        "URN", NULL,  NULL,
    NULL};

static const char *const rv_cols[] = {"CHILD", "DOB", "REVIEW", "REVIEW_CODE"};
static const unsigned char rv_kind[] = {I, D, D, C};
static const char *const rv_xml[] = {NULL, NULL, "REVIEW", "REVIEW_CODE"};

static const char *const ua_cols[] = {"CHILD", "SEX", "DOB", "DUC"};
static const unsigned char ua_kind[] = {I, C, D, D};
static const char *const ua_xml[] = {NULL, NULL, NULL, "DUC"};

static const char *const o2_cols[] = {"CHILD",
                                      "DOB",
                                      "SDQ_SCORE",
                                      "SDQ_REASON",
                                      "CONVICTED",
                                      "HEALTH_CHECK",
                                      "IMMUNISATIONS",
                                      "TEETH_CHECK",
                                      "HEALTH_ASSESSMENT",
                                      "SUBSTANCE_MISUSE",
                                      "INTERVENTION_RECEIVED",
                                      "INTERVENTION_OFFERED"};
static const unsigned char o2_kind[] = {I, D, C, C, C, C, C, C, C, C, C, C};
static const char *const o2_xml[] = {NULL,
                                     NULL,
                                     "SDQ_SCORE",
                                     "SDQ_REASON",
                                     "CONVICTED",
                                     "HEALTH_CHECK",
                                     "IMMUNISATIONS",
                                     "TEETH_CHECK",
                                     "HEALTH_ASSESSMENT",
                                     "SUBSTANCE_MISUSE",
                                     "INTERVENTION_RECEIVED",
                                     "INTERVENTION_OFFERED"};

static const char *const o3_cols[] = {"CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"};
static const unsigned char o3_kind[] = {I, D, C, C, C};
static const char *const o3_xml[] = {NULL, NULL, "IN_TOUCH", "ACTIV", "ACCOM"};

static const char *const ad_cols[] = {"CHILD",       "DOB",       "DATE_INT",   "DATE_MATCH",
                                      "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"};
static const unsigned char ad_kind[] = {I, D, D, D, C, C, C, C};
static const char *const ad_xml[] = {NULL,          NULL,        "DATE_INT",   "DATE_MATCH",
                                     "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"};

static const char *const pa_cols[] = {"CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED",
                                      "REASON_PLACED_CEASED"};
static const unsigned char pa_kind[] = {I, D, D, D, C};
static const char *const pa_xml[] = {NULL, NULL, "DATE_PLACED", "DATE_PLACED_CEASED",
                                     "REASON_PLACED_CEASED"};

static const char *const pp_cols[] = {"CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"};
static const unsigned char pp_kind[] = {I, D, C, C, C};
static const char *const pp_xml[] = {NULL, NULL, "PREV_PERM", "LA_PERM", "DATE_PERM"};

static const char *const mi_cols[] = {"CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"};
static const unsigned char mi_kind[] = {I, D, C, D, D};
static const char *const mi_xml[] = {NULL, NULL, "MISSING", "MIS_START", "MIS_END"};

static const char *const sw_cols[] = {"CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"};
static const unsigned char sw_kind[] = {I, D, C, D, D, C};
static const char *const sw_xml[] = {NULL, NULL, NULL, NULL, NULL, NULL};

static const char *const dl_cols[] = {"CHILD", "DOB", "DOLO_START", "DOLO_END"};
static const unsigned char dl_kind[] = {I, D, D, D};
static const char *const dl_xml[] = {NULL, NULL, NULL, NULL};

#define DEF(name, pfx, nfile, ncols, s0, s1)                                                       \
        {                                                                                          \
                name, nfile, ncols, pfx##_cols, pfx##_kind, pfx##_xml,                             \
                {                                                                                  \
                        s0, s1                                                                     \
                }                                                                                  \
        }

const struct ssda903_tabledef ssda903_tabledefs[SSDA903_NCURRENT] = {
    [SSDA903_HEADER] = DEF("Header", hd, HD_NFILE, HD_NCOLS, -1, -1),
    [SSDA903_EPISODES] = DEF("Episodes", ep, EP_NFILE, EP_NCOLS, EP_DECOM, EP_DEC),
    [SSDA903_REVIEWS] = DEF("Reviews", rv, RV_NFILE, RV_NCOLS, RV_REVIEW, -1),
    [SSDA903_UASC] = DEF("UASC", ua, UA_NFILE, UA_NCOLS, -1, -1),
    [SSDA903_OC2] = DEF("OC2", o2, O2_NFILE, O2_NCOLS, -1, -1),
    [SSDA903_OC3] = DEF("OC3", o3, O3_NFILE, O3_NCOLS, -1, -1),
    [SSDA903_AD1] = DEF("AD1", ad, AD_NFILE, AD_NCOLS, -1, -1),
    [SSDA903_PLACED_ADOPTION] = DEF("PlacedAdoption", pa, PA_NFILE, PA_NCOLS, PA_DATE_PLACED, -1),
    [SSDA903_PREV_PERM] = DEF("PrevPerm", pp, PP_NFILE, PP_NCOLS, -1, -1),
    [SSDA903_MISSING] = DEF("Missing", mi, MI_NFILE, MI_NCOLS, MI_MIS_START, -1),
    [SSDA903_SW_EPISODES] = DEF("SWEpisodes", sw, SW_NFILE, SW_NCOLS, SW_SW_DECOM, SW_SW_DEC),
    [SSDA903_DOLO] = DEF("DoLo", dl, DL_NFILE, DL_NCOLS, DL_DOLO_START, -1),
};

_Static_assert(S903_DATES == 1 << 12, "s903_fill_row hashes a date into 12 bits");
_Static_assert(sizeof hd_cols / sizeof *hd_cols == HD_NCOLS, "Header columns");
_Static_assert(sizeof ep_cols / sizeof *ep_cols == EP_NCOLS, "Episodes columns");
_Static_assert(sizeof ep_kind == EP_NCOLS, "Episodes kinds");
_Static_assert(sizeof o2_cols / sizeof *o2_cols == O2_NCOLS, "OC2 columns");
_Static_assert(sizeof o2_kind == O2_NCOLS, "OC2 kinds");
_Static_assert(sizeof sw_cols / sizeof *sw_cols == SW_NCOLS, "SWEpisodes columns");
_Static_assert(EP_NCOLS <= SSDA903_MAXCOLS, "SSDA903_MAXCOLS");

int ssda903_table_by_name(const char *name)
{
        if (!name)
                return -1;
        for (int t = 0; t < SSDA903_NCURRENT; t++) {
                const char *n = ssda903_tabledefs[t].name;
                size_t len = strlen(n);
                if (strcasecmp(name, n) == 0)
                        return t;
                if (strncasecmp(name, n, len) == 0 && strcasecmp(name + len, "_last") == 0)
                        return SSDA903_LAST(t);
        }
        return -1;
}

static int digits(const char *s, size_t n, int *out)
{
        int v = 0;
        if (n == 0)
                return -1;
        for (size_t i = 0; i < n; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return -1;
                v = v * 10 + (s[i] - '0');
        }
        *out = v;
        return 0;
}

/*
 * dd/mm/YYYY, also d/m/YYYY: the DfE tools read dates with strptime-like
 * parsing that accepts one-digit days and months, so we do too.
 */
/*
 * The dates a thread parsed last, by their digits (dd/mm/YYYY as 8 nibbles):
 * a return repeats the same few thousand dates, and this is cheaper than
 * parsing them again.  Any load may use it: a date's text alone decides it.
 */
static _Thread_local struct {
        uint32_t key; /* digits + 1; 0 = empty */
        date_t date;
} date_cache[4096];

/* The digits of ten bytes dd/mm/YYYY as 8 nibbles, + 1; 0 when they are not that. */
static inline uint32_t ddmmyyyy_key(const char *s)
{
        uint32_t d0 = (unsigned char)s[0] - '0', d1 = (unsigned char)s[1] - '0';
        uint32_t m0 = (unsigned char)s[3] - '0', m1 = (unsigned char)s[4] - '0';
        uint32_t y0 = (unsigned char)s[6] - '0', y1 = (unsigned char)s[7] - '0';
        uint32_t y2 = (unsigned char)s[8] - '0', y3 = (unsigned char)s[9] - '0';
        if (s[2] != '/' || s[5] != '/' || d0 > 9 || d1 > 9 || m0 > 9 || m1 > 9 || y0 > 9 ||
            y1 > 9 || y2 > 9 || y3 > 9)
                return 0;
        return (d0 << 28 | d1 << 24 | m0 << 20 | m1 << 16 | y0 << 12 | y1 << 8 | y2 << 4 | y3) + 1;
}

/* The day of ten bytes dd/mm/YYYY that ddmmyyyy_key() accepted (DATE_BAD if no such day). */
static date_t ddmmyyyy_day(const char *s)
{
        int d = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
        int y = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 + (s[9] - '0');
        return date_ymd_valid(y, m, d) ? date_from_ymd(y, m, d) : DATE_BAD;
}

static date_t parse_ddmmyyyy(const char *s)
{
        uint32_t d0 = (unsigned char)s[0] - '0', d1 = (unsigned char)s[1] - '0';
        uint32_t m0 = (unsigned char)s[3] - '0', m1 = (unsigned char)s[4] - '0';
        uint32_t y0 = (unsigned char)s[6] - '0', y1 = (unsigned char)s[7] - '0';
        uint32_t y2 = (unsigned char)s[8] - '0', y3 = (unsigned char)s[9] - '0';
        if (d0 > 9 || d1 > 9 || m0 > 9 || m1 > 9 || y0 > 9 || y1 > 9 || y2 > 9 || y3 > 9)
                return DATE_BAD;
        uint32_t digits =
            d0 << 28 | d1 << 24 | m0 << 20 | m1 << 16 | y0 << 12 | y1 << 8 | y2 << 4 | y3;
        size_t slot = (digits * 2654435761u) >> 20;
        if (date_cache[slot].key == digits + 1)
                return date_cache[slot].date;
        int d = (int)(d0 * 10 + d1), m = (int)(m0 * 10 + m1);
        int y = (int)(y0 * 1000 + y1 * 100 + y2 * 10 + y3);
        date_t r = date_ymd_valid(y, m, d) ? date_from_ymd(y, m, d) : DATE_BAD;
        date_cache[slot].key = digits + 1;
        date_cache[slot].date = r;
        return r;
}

date_t s903_parse_date(const char *s, size_t n)
{
        /* Nearly every date is dd/mm/YYYY: read it without searching. */
        if (n == 10 && s[2] == '/' && s[5] == '/')
                return parse_ddmmyyyy(s);
        const char *a = memchr(s, '/', n);
        if (!a)
                return DATE_BAD;
        const char *b = memchr(a + 1, '/', n - (size_t)(a + 1 - s));
        if (!b)
                return DATE_BAD;
        int d, m, y;
        size_t nd = (size_t)(a - s), nm = (size_t)(b - a - 1), ny = n - (size_t)(b + 1 - s);
        if (nd > 2 || nm > 2 || ny != 4 || digits(s, nd, &d) || digits(a + 1, nm, &m) ||
            digits(b + 1, ny, &y))
                return DATE_BAD;
        if (!date_ymd_valid(y, m, d))
                return DATE_BAD;
        return date_from_ymd(y, m, d);
}

static int is_space(char c)
{
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

int s903_claim(struct ssda903_load *ld, int t, const char *file, long line, struct err *e)
{
        struct ssda903_table *tab = &ld->t[t];
        if (tab->file)
                return err_at(e, file, line,
                              "a second %s table; %s already supplied it (one load is CSV "
                              "tables, or one EXPSSDA903 XML file plus SWEpisodes/DoLo CSVs)",
                              tab->name, tab->file);
        tab->file = arena_strdup(&ld->arena, file);
        return 0;
}

/* ASCII a-z to A-Z in 8 bytes at once; other bytes (UTF-8 included) unchanged. */
static inline uint64_t upcase_word(uint64_t x)
{
        const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
        uint64_t low7 = x & ~high;
        uint64_t ge_a = low7 + (0x80 - 'a') * ones; /* high bit set where low7 >= 'a' */
        uint64_t gt_z = low7 + (0x80 - 'z' - 1) * ones;
        uint64_t lower = ge_a & ~gt_z & ~x & high;
        return x ^ (lower >> 2); /* 0x80 >> 2 = 0x20, the case bit */
}

/*
 * Code columns whose values are mostly distinct (pupil numbers, postcodes,
 * social workers): each row keeps its own copy, as sharing would gain nothing.
 */
static const unsigned own_text[SSDA903_NCURRENT] = {
    [SSDA903_HEADER] = 1u << HD_UPN,
    [SSDA903_EPISODES] = 1u << EP_HOME_POST | 1u << EP_PL_POST,
    [SSDA903_SW_EPISODES] = 1u << SW_SW_ID,
};

/* n (1..7) bytes as a zero-padded word, from loads within them: two overlapping 4-byte loads
 * from 4 bytes on, else the first, middle and last bytes. */
static inline uint64_t load_short(const char *p, size_t n)
{
        if (n >= 4) {
                uint32_t lo, hi;
                memcpy(&lo, p, 4);
                memcpy(&hi, p + n - 4, 4);
                return (uint64_t)lo | (uint64_t)hi << (8 * (n - 4));
        }
        return (uint64_t)(unsigned char)p[0] | (uint64_t)(unsigned char)p[n / 2] << (8 * (n / 2)) |
               (uint64_t)(unsigned char)p[n - 1] << (8 * (n - 1));
}

/* The shared copy of a short code (n < 8 bytes), upper-cased. */
static const char *shared_code(struct arena *arena, struct s903_codes *codes, const char *p,
                               size_t n)
{
        uint64_t w = load_short(p, n);
        w = upcase_word(w);
        size_t slot = (size_t)((w * 0x9E3779B97F4A7C15ull) >> 54);
        if (codes->key[slot] != w) {
                char *t = arena_alloc(arena, 8);
                memcpy(t, &w, 8);
                codes->key[slot] = w;
                codes->text[slot] = t;
        }
        return codes->text[slot];
}

void s903_fill_row(struct arena *arena, struct s903_codes *codes,
                   const struct ssda903_tabledef *def, struct ssda903_row *r,
                   const struct s903_cell *cells, long row, long line, uint32_t index,
                   size_t text_bytes)
{
        int nc = def->ncols, nf = def->nfile;
        unsigned own = own_text[def - ssda903_tabledefs];

        /* One allocation holds the pointers, dates and text of the row; the text part is
         * sized before trimming, which rarely removes anything, with a word to spare for
         * upper-casing a word at a time. */
        size_t bytes = text_bytes;
        if (!bytes) {
                bytes = 8;
                for (int c = 0; c < nf; c++)
                        bytes += cells[c].p ? cells[c].n + 1 : 0;
        }
        size_t head = (size_t)nc * (sizeof(char *) + sizeof(date_t));
        char *block = arena_alloc(arena, head + bytes);
        const char **v = (const char **)block;
        date_t *d = (date_t *)(block + (size_t)nc * sizeof(char *));
        char *text = block + head;

        const unsigned char *kinds = def->kind;
        for (int c = 0; c < nc; c++) {
                d[c] = DATE_NONE;
                v[c] = NULL;
                if (c >= nf || !cells[c].p)
                        continue;
                /* Read once: the text stores below may alias anything. */
                const unsigned char kind = kinds[c];
                const char *p = cells[c].p;
                size_t n = cells[c].n, s = 0;
                /* Every space character is at most ' ': most cells need no trimming. */
                if (n && ((unsigned char)p[0] <= ' ' || (unsigned char)p[n - 1] <= ' ')) {
                        while (s < n && is_space(p[s]))
                                s++;
                        while (n > s && is_space(p[n - 1]))
                                n--;
                }
                n -= s;
                if (n == 0)
                        continue;
                if (codes && n < 8 && p[s] && kind == SSDA903_COL_CODE && !(own & (1u << c))) {
                        v[c] = shared_code(arena, codes, p + s, n);
                        continue;
                }
                uint32_t key;
                if (codes && n == 10 && kind == SSDA903_COL_DATE &&
                    (key = ddmmyyyy_key(p + s)) != 0) {
                        /* Digits and '/' only: nothing to upper-case. */
                        size_t slot = (key * 2654435761u) >> (32 - 12);
                        if (codes->date_key[slot] != key) {
                                memcpy(text, p + s, 10);
                                text[10] = '\0';
                                codes->date_key[slot] = key;
                                codes->date_day[slot] = ddmmyyyy_day(text);
                                codes->date_text[slot] = text;
                                text += 11;
                        }
                        v[c] = codes->date_text[slot];
                        d[c] = codes->date_day[slot];
                        continue;
                }
                memcpy(text, p + s, n);
                text[n] = '\0';
                /* Upper-case in place a word at a time: bytes past the NUL are this block's
                 * own (the next cell's, not yet written, or the spare word). */
                if (kind != SSDA903_COL_ID)
                        for (size_t i = 0; i < n; i += 8) {
                                uint64_t w;
                                memcpy(&w, text + i, 8);
                                w = upcase_word(w);
                                memcpy(text + i, &w, 8);
                        }
                v[c] = text;
                if (kind == SSDA903_COL_DATE)
                        d[c] = s903_parse_date(text, n);
                text += n + 1;
        }
        r->v = v;
        r->d = d;
        r->row = row;
        r->line = line;
        r->child = 0;
        r->index = index;
}

struct ssda903_row *s903_add_row(struct ssda903_load *ld, int t, const struct s903_cell *cells,
                                 long row, long line)
{
        struct ssda903_table *tab = &ld->t[t];
        if (tab->n == tab->cap)
                tab->rows = xgrow(tab->rows, &tab->cap, tab->n + 1, sizeof *tab->rows);
        struct ssda903_row *r = &tab->rows[tab->n];
        if (!ld->codes)
                ld->codes = xcalloc(1, sizeof *ld->codes);
        s903_fill_row(&ld->arena, ld->codes, tab->def, r, cells, row, line, (uint32_t)tab->n, 0);
        tab->n++;
        return r;
}
