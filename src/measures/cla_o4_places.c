/*
 * cla_o4_places.c — where children looked after live and their legal
 * status (measures.md §4.2): shares of the children looked after at 31
 * March whose open episode has a given PLACE or LS.  All neutral.
 *
 * Supported accommodation changed codes: H5 and P2 count while valid (to
 * 2024-25) and K3 from 2024-25 (data-formats.md §1.6).  A code outside its
 * years is not counted and is raised as a data-quality warning, since the
 * validator rejects it and the share must not depend on which invalid code
 * an authority sent.
 */
#include "measures/cla_util.h"

#include <string.h>

/* A code of the share, valid in collection years from..to (0: open-ended). */
struct place_code {
        const char *code;
        int from, to;
};

struct share {
        bool place;                     /* PLACE, else LS */
        const struct place_code *codes; /* ends with {NULL} */
};

static const struct place_code foster[] = {{"U1", 0, 0}, {"U2", 0, 0}, {"U3", 0, 0}, {"U4", 0, 0},
                                           {"U5", 0, 0}, {"U6", 0, 0}, {NULL, 0, 0}};
static const struct place_code homes[] = {{"K1", 0, 0}, {"K2", 0, 0}, {NULL, 0, 0}};
static const struct place_code supported[] = {
    {"H5", 0, 2025}, {"P2", 0, 2025}, {"K3", 2025, 0}, {NULL, 0, 0}};
static const struct place_code care_order[] = {{"C1", 0, 0}, {"C2", 0, 0}, {NULL, 0, 0}};
static const struct place_code placement_order[] = {{"E1", 0, 0}, {"D1", 0, 0}, {NULL, 0, 0}};
static const struct place_code s20[] = {{"V2", 0, 0}, {NULL, 0, 0}};

static const struct share sh_foster = {true, foster};
static const struct share sh_homes = {true, homes};
static const struct share sh_supported = {true, supported};
static const struct share sh_care_order = {false, care_order};
static const struct share sh_placement_order = {false, placement_order};
static const struct share sh_s20 = {false, s20};

/* 1: counted; 0: not one of the codes; -1: one of them, outside its years. */
static int code_counts(const struct place_code *codes, const char *v, int year)
{
        if (!v)
                return 0;
        for (const struct place_code *c = codes; c->code; c++) {
                /* every code is two characters */
                if (v[0] != c->code[0] || v[1] != c->code[1] || v[1] == '\0' || v[2] != '\0')
                        continue;
                if ((c->from && year < c->from) || (c->to && year > c->to))
                        return -1;
                return 1;
        }
        return 0;
}

/*
 * How many children of a snapshot have each PLACE and each LS code, counted
 * once and shared by the six shares (codes packed into an integer).
 */
#define MAX_CODES 64
struct code_counts {
        uint32_t code[MAX_CODES];
        int64_t n[MAX_CODES];
        int ncodes;
        bool overflow; /* more distinct codes than kept: count child by child */
};

struct snap_codes {
        struct code_counts place, ls;
};

static uint32_t pack(const char *v)
{
        return (uint32_t)(unsigned char)v[0] | (uint32_t)(unsigned char)v[1] << 8 |
               (uint32_t)(unsigned char)(v[1] ? v[2] : 0) << 16;
}

static void code_add(struct code_counts *c, const char *v)
{
        uint32_t p = pack(v);
        for (int i = 0; i < c->ncodes; i++)
                if (c->code[i] == p) {
                        c->n[i]++;
                        return;
                }
        if (c->ncodes == MAX_CODES) {
                c->overflow = true;
                return;
        }
        c->code[c->ncodes] = p;
        c->n[c->ncodes++] = 1;
}

static const char key_codes;

static const struct snap_codes *codes_of(struct measure_ctx *ctx, const struct mcla_snap *s)
{
        const struct measure_year *my = measure_history_year(ctx->h, s->y->year);
        struct snap_codes **per = measure_cache_get(ctx, &key_codes);
        if (!per) {
                per = arena_zalloc(&ctx->arena, (ctx->h->n ? ctx->h->n : 1) * 12 * sizeof *per);
                measure_cache_put(ctx, &key_codes, per, NULL);
        }
        size_t i = (size_t)(my - ctx->h->years) * 12 + (size_t)mcla_month_of(s->at);
        if (!per[i]) {
                struct snap_codes *sc = arena_zalloc(&ctx->arena, sizeof *sc);
                for (size_t j = 0; j < s->n; j++) {
                        code_add(&sc->place, s->v[j].place);
                        code_add(&sc->ls, s->v[j].ls);
                }
                per[i] = sc;
        }
        return per[i];
}

static int share(struct measure_ctx *ctx, const struct measure_window *w, struct measure_value *out)
{
        const struct share *sh = ctx->def->arg;
        const struct mcla_snap *s = mcla_snapshot(ctx, w);
        if (!s)
                return 0;
        int64_t num = 0;
        const struct snap_codes *sc = NULL;
        if (!ctx->on_child && !ctx->on_dq && s->at == date_month_end(s->at))
                sc = codes_of(ctx, s);
        const struct code_counts *cc = sc ? (sh->place ? &sc->place : &sc->ls) : NULL;
        if (cc && !cc->overflow) {
                /* Counts only: DQ warnings are counted, their texts need the hook. */
                for (int i = 0; i < cc->ncodes; i++) {
                        char v[4] = {(char)(cc->code[i] & 0xff), (char)(cc->code[i] >> 8 & 0xff),
                                     (char)(cc->code[i] >> 16 & 0xff), 0};
                        int c = code_counts(sh->codes, v, s->y->year);
                        if (c > 0)
                                num += cc->n[i];
                        else if (c < 0)
                                out->dq_warnings += (int)cc->n[i];
                }
        } else {
                for (size_t i = 0; i < s->n; i++) {
                        const char *v = sh->place ? s->v[i].place : s->v[i].ls;
                        int c = code_counts(sh->codes, v, s->y->year);
                        const char *child = c ? mcla_child(s->y, s->v[i].k) : NULL;
                        if (c < 0)
                                measure_dq(ctx, out, child,
                                           "%s %s is not valid in the %d return: not counted",
                                           sh->place ? "PLACE" : "LS", v, s->y->year);
                        num += c > 0;
                        if (ctx->on_child)
                                measure_counted(ctx, mcla_child(s->y, s->v[i].k), c > 0);
                }
        }
        out->numerator = num;
        out->denominator = (int64_t)s->n;
        out->has_numerator = out->has_denominator = true;
        mcla_snap_dq(ctx, s, out);
        return 0;
}

static int m_share(struct measure_ctx *ctx, const struct measure_window *w,
                   struct measure_value *out)
{
        return mcla_at_month_end(ctx, w, out, share);
}

#define AT31_FILE "la_cla_on_31_march_by_characteristics"
#define NOT_LOCAL "file not in the local set"

/* clang-format off */
const struct measure_def measures_cla_o4_places[] = {
    {"cla_placed_foster_pct", "Children looked after at 31 March in foster placements (%)",
     MEASURE_OUTCOME_4, MEASURE_PERCENT, BENCH_NEUTRAL, MEASURE_SRC_903,
     MEASURE_PERIODS_ALL, 12, 0,
     {MEASURE_BENCH_VALUE, AT31_FILE, "characteristic=Foster placements", "percentage", NULL,
      0, 0, NOT_LOCAL},
     m_share, &sh_foster, 0},
    {"cla_placed_childrens_homes_pct",
     "Children looked after at 31 March in secure homes and children's homes (%)",
     MEASURE_OUTCOME_4, MEASURE_PERCENT, BENCH_NEUTRAL, MEASURE_SRC_903,
     MEASURE_PERIODS_ALL, 12, 0,
     {MEASURE_BENCH_VALUE, AT31_FILE, "characteristic=Secure homes and children's homes",
      "percentage", NULL, 0, 0, NOT_LOCAL},
     m_share, &sh_homes, 0},
    {"cla_placed_supported_pct",
     "Children looked after at 31 March in independent or semi-independent living or supported "
     "accommodation (%)",
     MEASURE_OUTCOME_4, MEASURE_PERCENT, BENCH_NEUTRAL, MEASURE_SRC_903,
     MEASURE_PERIODS_ALL, 12, 0,
     {MEASURE_BENCH_VALUE, AT31_FILE,
      "characteristic=Independent and semi-independent living arrangements/supported "
      "accommodation", "percentage", NULL, 0, 0, NOT_LOCAL},
     m_share, &sh_supported, 0},
    {"cla_legal_status_care_order_pct",
     "Children looked after at 31 March on an interim or full care order (%)",
     MEASURE_OUTCOME_4, MEASURE_PERCENT, BENCH_NEUTRAL, MEASURE_SRC_903,
     MEASURE_PERIODS_ALL, 12, 0,
     {MEASURE_BENCH_NONE, NULL, NULL, NULL, NULL, 0, 0, "no published benchmark named"},
     m_share, &sh_care_order, 0},
    {"cla_legal_status_placement_order_pct",
     "Children looked after at 31 March on a placement or freeing order (%)",
     MEASURE_OUTCOME_4, MEASURE_PERCENT, BENCH_NEUTRAL, MEASURE_SRC_903,
     MEASURE_PERIODS_ALL, 12, 0,
     {MEASURE_BENCH_NONE, NULL, NULL, NULL, NULL, 0, 0, "no published benchmark named"},
     m_share, &sh_placement_order, 0},
    {"cla_legal_status_s20_pct",
     "Children looked after at 31 March accommodated under section 20 (%)",
     MEASURE_OUTCOME_4, MEASURE_PERCENT, BENCH_NEUTRAL, MEASURE_SRC_903,
     MEASURE_PERIODS_ALL, 12, 0,
     {MEASURE_BENCH_NONE, NULL, NULL, NULL, NULL, 0, 0, "no published benchmark named"},
     m_share, &sh_s20, 0},
    {0},
};
/* clang-format on */
