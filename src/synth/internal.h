/*
 * internal.h — the generator's shared state, for the files of src/synth only.
 *
 * Map of the rooms:
 *   rng.c        deterministic PRNG (xoshiro256**) and the draws built on it
 *   codes.c      code lists and their spellings per collection year
 *   region.c     authorities, context, neighbours, populations, postcodes,
 *                providers, planted changes; the region-level CSV files
 *   sim.c        the day-by-day engine of one authority: referrals arrive,
 *                re-referrals, entries to care; the run over all authorities
 *   cin.c        one CIN episode's journey (assessment, S47, ICPC, CP plan,
 *                CIN plan, closure)
 *   cinxml.c     the CIN census XML writer
 *   care.c       one period of care: legal status, placements, missing,
 *                social workers, exits
 *   permanence.c adoption (decision, match, placement, order) and SGO exits
 *   leaving.c    OC2 and OC3 (care-leaver follow-up) values
 *   write903.c   the SSDA903 CSV tables of one authority and year
 *   errors.c     error injection and truth/errors.csv rows
 *   truth.c      truth/measures.csv from the simulation's own state
 *
 * Ownership: an authority's simulation state (struct sy_la and its vectors)
 * belongs to the thread that runs it; the region (postcodes, providers) is
 * built before the threads start and only read afterwards.
 */
#ifndef IMPROVE_SYNTH_INTERNAL_H
#define IMPROVE_SYNTH_INTERNAL_H

#include "core/buf.h"
#include "core/err.h"
#include "core/date.h"
#include "synth/synth.h"

#include <stdint.h>
#include <stdio.h>

/* ------------------------------------------------------------------ rng.c */
struct rng {
        uint64_t s[4];
};
void rng_seed(struct rng *r, uint64_t seed, uint64_t stream);
uint64_t rng_u64(struct rng *r);
double rng_unif(struct rng *r);               /* [0, 1) */
int rng_int(struct rng *r, int n);            /* 0..n-1 */
int rng_range(struct rng *r, int lo, int hi); /* lo..hi inclusive */
int rng_chance(struct rng *r, double p);
double rng_normal(struct rng *r);
double rng_lognormal(struct rng *r, double median, double sigma);
double rng_exp(struct rng *r, double mean);
int rng_poisson(struct rng *r, double lambda);
/* Index drawn from weights w[0..n-1] (need not sum to 1). */
int rng_pick(struct rng *r, const double *w, int n);

/* ---------------------------------------------------------------- codes.c */
/* Placement types the generator uses (index into sy_place_code). */
enum sy_place { PL_U1, PL_U3, PL_U4, PL_U5, PL_U6, PL_K2, PL_K3, PL_P1, PL_A5, PL_A6, PL_R3, PL_N };
extern const char *const sy_place_code[PL_N];
enum sy_ls { LS_C1, LS_C2, LS_E1, LS_V2, LS_L1, LS_L2, LS_J1, LS_N };
extern const char *const sy_ls_code[LS_N];
enum sy_provider { PR0, PR1, PR2, PR3, PR4, PR5 };
extern const char *const sy_provider_code[6];
extern const char *const sy_rec_code[];
enum sy_rec {
        REC_X1,
        REC_E11,
        REC_E12,
        REC_E13,
        REC_E14,
        REC_E17,
        REC_E3,
        REC_E4A,
        REC_E4B,
        REC_E41,
        REC_E45,
        REC_E46,
        REC_E47,
        REC_E48,
        REC_E5,
        REC_E6,
        REC_E7,
        REC_E8,
        REC_E9,
        REC_N
};
extern const char *const sy_rpc_code[];
#define SY_RPC_N 9
extern const char *const sy_ethnic_code[];
#define SY_ETHNIC_N 20
extern const double sy_ethnic_weight[SY_ETHNIC_N];
extern const char *const sy_need_code[]; /* N1..N8 (903 CIN and CIN PrimaryNeedCode) */
extern const char *const sy_source_code[];
#define SY_SOURCE_N 26
extern const double sy_source_weight[SY_SOURCE_N];
extern const char *const sy_disability_code[]; /* index 0 = NONE */
#define SY_DISABILITY_N 13
extern const char *const sy_factor_code[];
#define SY_FACTOR_N 40
extern const char *const sy_abuse_code[];
extern const char *const sy_closure_code[]; /* RC1..RC9 */
extern const char *const sy_sw_reason_code[];
#define SY_SW_REASON_N 9
extern const char *const sy_in_touch_code[];
extern const char *const sy_activ_code[];
#define SY_ACTIV_N 11
extern const char *const sy_accom_code[];
#define SY_ACCOM_N 18

/* Collection-year formats: years before 2023 use the 2022/23 format. */
static inline int sy_fmt(int year)
{
        return year < 2023 ? 2023 : year;
}
/* SEX / GenderCurrent / Sex spelling of a child's sex (0 male, 1 female). */
const char *sy_sex_903(int year, int sex);

/* --------------------------------------------------------------- region.c */
struct sy_postcode {
        char pcd[24]; /* "QA12 3BC" */
        int32_t east, north;
        int16_t la;
};

struct sy_providerrec {
        char urn[16];
        date_t registered, deregistered;
        char place_codes[24];
        uint8_t provider; /* PR code of the provider */
        int32_t postcode; /* setting postcode (index) */
        int16_t la;
        uint8_t kind; /* enum sy_provkind */
};
enum sy_provkind {
        PK_LA_FOSTER,
        PK_IFA,
        PK_LA_HOME,
        PK_PRIVATE_HOME,
        PK_SUPPORTED,
        PK_ADOPTION,
        PK_MBU,
        PK_CLOSED
};

/* Planted changes: what moves, how, and the ground truth it leaves. */
enum sy_target { TG_REFERRALS, TG_REREFERRALS, TG_S47, TG_CLA_STARTS, TG_N };
enum sy_shape { SH_SHIFT, SH_TREND, SH_RELAPSE, SH_NONE };
struct sy_change {
        date_t date; /* event date (first day of a month) */
        int kind;    /* index into sy_event_kind */
        int target;  /* enum sy_target */
        int shape;   /* enum sy_shape */
        double rel;  /* relative change (referrals, S47 share, starts) */
        double pp;   /* percentage-point change (re-referrals) */
        int months;  /* trend length, or months until a relapse */
        char title[64];
};
extern const char *const sy_event_kind[];
extern const char *const sy_target_measure[TG_N];

#define SY_MAX_CHANGES 3

struct sy_la;

struct sy_region {
        const struct synth_options *o;
        int first_year, last_year;
        date_t sim_start; /* CIN simulation starts here (burn-in) */
        date_t out_start; /* 1 April of the first collection year */
        date_t out_end;   /* 31 March of the last collection year */
        struct sy_postcode *pc;
        int npc;
        struct sy_providerrec *prov;
        int nprov;
        struct sy_la *las;
        int nlas;
        const char *region_names[9];
};

/* Targets and parameters of one authority (drawn in region.c). */
struct sy_params {
        double cla_rate, start_rate, ref_rate, rr_pct, nfa_share, s47_share, icpc_share, cpp_share,
            sub_pct, cin_rate, moves_rate, uasc_share, missing_rate;
        double dur_factor;  /* multiplies the care durations to meet cla_rate */
        double plan_months; /* mean CIN plan length, to meet cin_rate */
};

/* ------------------------------------------------------- simulation state */
struct sy_child {
        date_t dob;
        date_t last_ref;   /* latest referral date, DATE_NONE if none */
        date_t care_exit;  /* end of the latest period of care (DATE_NONE: open) */
        date_t care_start; /* start of the latest period of care */
        date_t period16;   /* first day looked after aged 14+ in latest period */
        date_t sw_end;     /* end of the child's social worker chain so far, DATE_NONE */
        date_t perm_date;  /* the previous permanence order (prev_perm P1-P4) */
        int32_t cur_cin;   /* latest CIN episode, -1 */
        int32_t home_pc;
        int32_t bucket_next;
        int32_t adopt;  /* index into la->adopts, -1 */
        int16_t nplans; /* CP plans started in the simulation */
        uint8_t sex, ethnic, uasc, prev_perm, upn_la, ndisab, in_care, gone;
        uint8_t disab[2];
        uint8_t exit_rec; /* REC of the latest period's end */
        uint8_t historic; /* entered care before the CIN simulation began */
        uint8_t perm_la;  /* LA_PERM: index into sy_la_perm_code */
        uint8_t perm_fmt; /* DATE_PERM: 0 dd/mm/YYYY, 1 ZZ/mm/YYYY, 2 ZZ/ZZ/YYYY */
        uint32_t swseq;
};

struct sy_cin {
        uint32_t child;
        date_t ref, close;
        date_t a_start, a_auth;
        date_t s47_start, s47_target, icpc;
        date_t cpp_start, cpp_end;
        date_t plan_start, plan_end;
        date_t pp_start;
        uint8_t source, need, reason, nfa, has_s47, icpc_held;
        uint8_t cat_init, cat_latest, prev_cpp, nfactors;
        uint8_t factors[3];
};

struct sy_episode {
        uint32_t child;
        date_t decom, dec;
        int32_t home_pc, pl_pc, urn; /* urn = provider index or -1 */
        uint8_t rne, ls, place, provider, rec, rpc, need;
};

struct sy_missing {
        uint32_t child;
        date_t start, end;
        uint8_t kind; /* 0 = M, 1 = A */
};

struct sy_sw {
        uint32_t child;
        date_t start, end;
        uint32_t worker;
        uint8_t reason;
};

struct sy_adopt {
        uint32_t child;
        date_t decision, ceased, match;
        uint8_t reason_ceased; /* 1..4, 0 = not reversed */
        uint8_t foster_care, nb, sex_adoptr, ls_adoptr;
};

struct sy_dolo {
        uint32_t child;
        date_t start, end;
};

#define VEC(T)                                                                                     \
        struct {                                                                                   \
                T *v;                                                                              \
                size_t n, cap;                                                                     \
        }

struct sy_la {
        int idx;
        char code[8];
        char ecode[16];
        char name[48];
        int region;
        double dep, urban;
        int sn[10];
        int near[3]; /* geographically nearest authorities */
        int32_t east, north;
        double *pop; /* by collection year, index year - pop_year0 */
        int pop_year0, npop;
        struct sy_params p;
        int pc_first, pc_n;
        int prov_foster, prov_adopt;
        int prov_homes[4], nhomes;
        int prov_ifa[3], nifa;
        int prov_supported;
        int prov_mbu;
        struct sy_change ch[SY_MAX_CHANGES];
        int nch;

        /* simulation state (owned by the thread that runs the authority) */
        struct rng rng;
        VEC(struct sy_child) kids;
        VEC(struct sy_cin) cins;
        VEC(struct sy_episode) eps;
        VEC(struct sy_missing) miss;
        VEC(struct sy_sw) sws;
        VEC(struct sy_adopt) adopts;
        VEC(struct sy_dolo) dolos;
        /* per-child ranges in the sorted vectors (filled before writing) */
        int32_t *ep_first, *ep_n, *cin_first, *cin_n, *miss_first, *miss_n, *sw_first, *sw_n,
            *dolo_first, *dolo_n;
        uint64_t cpp_started, cpp_sub; /* running counts for NumberOfPreviousCPP */
        uint32_t sw_workers;

        /* text produced for the region-level truth files */
        struct buf truth_measures;
        struct buf truth_errors;
        int failed;
        char errmsg[ERR_MSG_MAX];
};

#define VEC_PUSH(vec, item)                                                                        \
        do {                                                                                       \
                if ((vec).n == (vec).cap)                                                          \
                        (vec).v = xgrow((vec).v, &(vec).cap, (vec).n + 1, sizeof(*(vec).v));       \
                (vec).v[(vec).n++] = (item);                                                       \
        } while (0)
#define VEC_FREE(vec)                                                                              \
        do {                                                                                       \
                free((vec).v);                                                                     \
                (vec).v = NULL;                                                                    \
                (vec).n = (vec).cap = 0;                                                           \
        } while (0)

/* region.c */
int region_build(struct sy_region *rg, struct err *e);
void region_release(struct sy_region *rg);
int region_write(const struct sy_region *rg, struct err *e);
double la_pop(const struct sy_la *la, int year);
/* Parameter value at date d after the planted changes. */
double la_ref_rate(const struct sy_la *la, date_t d);
double la_rr_pct(const struct sy_la *la, date_t d);
double la_s47_share(const struct sy_la *la, date_t d);
double la_start_rate(const struct sy_la *la, date_t d);
const char *sy_child_id(const struct sy_la *la, uint32_t child, char out[16]);
void sy_upn(const struct sy_la *la, uint32_t child, char out[14]);

/* dates (rng.c); sy_dates_init() before threads start */
void sy_dates_init(void);
date_t sy_weekday_on_or_after(date_t d);
date_t sy_working_day_on_or_before(date_t d);
date_t sy_add_working_days(date_t d, int n);
int sy_working_days(date_t s, date_t e);

/* sim.c */
int sim_run_la(const struct sy_region *rg, struct sy_la *la);
uint32_t sim_new_child(const struct sy_region *rg, struct sy_la *la, date_t dob, int uasc);
date_t sim_dob_for_age(struct rng *r, date_t on, double age_years);

/* cin.c */
int32_t cin_new_episode(const struct sy_region *rg, struct sy_la *la, uint32_t child, date_t ref,
                        int emergency);
/* Called when a child with this episode becomes looked after on date d. */
void cin_enter_care(struct sy_la *la, struct sy_cin *c, date_t d);
void cin_leave_care(struct sy_la *la, struct sy_cin *c, date_t d, int rec);
int cin_eligible_for_care(const struct sy_cin *c, date_t d);

/* care.c */
/* Simulate one whole period of care starting on `start`; returns the exit date. */
struct care_plan;
date_t care_period(const struct sy_region *rg, struct sy_la *la, uint32_t child, date_t start,
                   const struct care_plan *pre);
/* Expected length of a period of care (years) for calibration. */
double care_expected_years(const struct sy_region *rg, struct sy_la *la, double factor);

/* care.c / permanence.c: the plan of one period of care and its running state */
enum sy_route { RT_HOME, RT_ADOPT, RT_SGO, RT_CAO, RT_18, RT_INDEP, RT_REMAND, RT_OTHER };
struct care_plan {
        int route;
        date_t start, exit;
        int rec;
        int ls_entry;
        date_t t_dec, t_rev, t_po, t_match, t_placed; /* adoption timeline */
        int by_foster_carers;                         /* adopted by current carers (A5) */
};
struct care_ctx {
        const struct sy_region *rg;
        struct sy_la *la;
        uint32_t child;
        date_t dob;
        int32_t ep; /* open episode, index in la->eps */
        int ls, place, provider, need;
        int32_t urn, pl_pc, home_pc;
        struct care_plan plan;
};
void care_change(struct care_ctx *cx, date_t d, int new_ls, int new_place, int same_carer);
void care_set_placement(struct care_ctx *cx, int place, int same_carer);
int care_plan_route(struct rng *r, const struct sy_la *la, date_t dob, date_t start, int uasc,
                    struct care_plan *pl);

/* permanence.c */
void perm_adoption_plan(struct rng *r, struct care_plan *pl);
/* Carry out the adoption timeline; returns the REC of the final episode. */
int perm_adoption(struct care_ctx *cx);
/* The child's permanence option before its first period of care, which starts on `start`. */
void perm_prev_perm(struct sy_la *la, struct sy_child *k, date_t start);
extern const char *const sy_prev_perm_code[5]; /* Z1, P4, P2, P3, P1 */
extern const char *const sy_la_perm_code[5];   /* 999, WAL, SCO, NIR, NUK */
/* DATE_PERM as written (dd/mm/YYYY with ZZ for the parts not known). */
void perm_date_text(const struct sy_child *k, char out[16]);

/* leaving.c */
struct sy_oc2 {
        int sdq; /* -1 blank */
        int convicted, health_check, immunisations, teeth, health_assessment, substance, received,
            offered; /* -1 blank */
};
void leaving_oc2(const struct sy_la *la, uint32_t child, int year, struct sy_oc2 *out);
/* OC3 for a year: 0 none; else fills the three codes. */
int leaving_oc3(const struct sy_la *la, uint32_t child, int year, const char **in_touch,
                const char **activ, const char **accom);
int leaving_in_oc2_cohort(const struct sy_la *la, uint32_t child, int year);
uint64_t sy_hash(uint64_t a, uint64_t b, uint64_t c);

/* write903.c and cinxml.c */
struct sy_errs;
int write903_year(const struct sy_region *rg, struct sy_la *la, int year, struct sy_errs *er);
int cinxml_year(const struct sy_region *rg, struct sy_la *la, int year, struct sy_errs *er);

/* errors.c: an error injector per authority, year and table */
struct sy_errs {
        const struct sy_region *rg;
        struct sy_la *la;
        int year;
        double rate;
        struct rng rng;
};
void errs_init(struct sy_errs *er, const struct sy_region *rg, struct sy_la *la, int year);
/* Should this record get a mistake?  Draws only when the rate is above zero. */
int errs_roll(struct sy_errs *er);
void errs_record(struct sy_errs *er, const char *rule, const char *table, long row,
                 const char *child, const char *file);

/* truth.c */
void truth_la(const struct sy_region *rg, struct sy_la *la);
int truth_write(const struct sy_region *rg, struct err *e);

/* small helpers for writers */
void sy_put_date_uk(FILE *f, date_t d);
void sy_put_date_iso(FILE *f, date_t d);
int sy_mkdirs(const char *path, struct err *e);
FILE *sy_fopen(const char *path, struct err *e);

#endif
