/*
 * region.c — the fictional region: authorities and their context, statistical
 * neighbours, populations, postcodes, Ofsted providers and the structural
 * changes planted in each authority, plus the region-level files that
 * describe them (authorities.csv, populations.csv, postcodes.csv,
 * providers.csv, events.csv).
 *
 * Authority targets are drawn around England's published 2025 values and
 * their spread across real authorities (docs/synthetic-data.md gives each
 * source figure).  Rates are drawn on the log scale with a shared
 * "deprivation" factor, so that deprived places have more children in need
 * and in care, as they do in the published data.
 */
#include "synth/internal.h"
#include "core/err.h"
#include "core/xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const name_head[] = {
    "Aldr", "Brem", "Cald",  "Dunst", "Elsm", "Fenn", "Gorst", "Harl",  "Ivel",  "Kest",
    "Lind", "Morv", "Nethr", "Orm",   "Penh", "Quen", "Rask",  "Selw",  "Thorn", "Ulv",
    "Wend", "Yarr", "Brack", "Corv",  "Drax", "Esk",  "Farr",  "Garth", "Hask",  "Lowm"};
static const char *const name_tail[] = {"wick",  "mere",  "holt",  "combe", "stow", "dale",
                                        "worth", "garth", "haven", "moor",  "fell", "marsh"};
static const char *const region_names[9] = {"North Fells", "Eastmarsh", "Westvale",
                                            "Midmoor",     "Southdown", "Northmere",
                                            "Riverlands",  "Highweald", "Coastreach"};

const char *const sy_event_kind[] = {"restructure",   "practice-model", "trust",     "outsourcing",
                                     "joint-service", "leadership",     "inspection"};
const char *const sy_target_measure[TG_N] = {"referrals_rate_per_10k", "rereferrals_12m_pct",
                                             "s47_rate_per_10k", "cla_starting_rate_per_10k"};

/* ----------------------------------------------------------- small helpers */

void sy_put_date_uk(FILE *f, date_t d)
{
        char s[11];
        date_format_uk(d, s);
        fputs(s, f);
}

void sy_put_date_iso(FILE *f, date_t d)
{
        char s[11];
        date_format_iso(d, s);
        fputs(s, f);
}

int sy_mkdirs(const char *path, struct err *e)
{
        char tmp[4096];
        size_t n = strlen(path);
        if (n >= sizeof tmp)
                return err_set(e, EXIT_USAGE, "output path too long: %s", path);
        memcpy(tmp, path, n + 1);
        for (size_t i = 1; i <= n; i++) {
                if (tmp[i] == '/' || tmp[i] == '\0') {
                        char c = tmp[i];
                        tmp[i] = '\0';
                        if (mkdir(tmp, 0777) < 0 && errno != EEXIST)
                                return err_set(e, EXIT_INPUT, "cannot create %s: %s", tmp,
                                               strerror(errno));
                        tmp[i] = c;
                }
        }
        return 0;
}

FILE *sy_fopen(const char *path, struct err *e)
{
        FILE *f = fopen(path, "w");
        if (!f)
                err_set(e, EXIT_INPUT, "cannot write %s: %s", path, strerror(errno));
        return f;
}

static int close_file(FILE *f, const char *path, struct err *e)
{
        int bad = ferror(f);
        if (fclose(f) != 0 || bad)
                return err_set(e, EXIT_INPUT, "error writing %s", path);
        return 0;
}

double la_pop(const struct sy_la *la, int year)
{
        int i = year - la->pop_year0;
        if (i < 0)
                i = 0;
        if (i >= la->npop)
                i = la->npop - 1;
        return la->pop[i];
}

const char *sy_child_id(const struct sy_la *la, uint32_t child, char out[16])
{
        (void)la;
        snprintf(out, 16, "C%07u", child + 1);
        return out;
}

void sy_upn(const struct sy_la *la, uint32_t child, char out[14])
{
        /* Characters 2–4 are a pseudo-LA code (001–005), which rule 1530 accepts
         * and no real authority issues; 5–13 are the authority and a serial. */
        char tmp[32];
        snprintf(tmp, sizeof tmp, "00%u%03u%06u", (1u + la->kids.v[child].upn_la) % 10u,
                 (unsigned)(la->idx + 1) % 1000u, (child + 1) % 1000000u);
        memcpy(out + 1, tmp, 12);
        int sum = 0;
        for (int p = 2; p <= 13; p++)
                sum += (out[p - 1] - '0') * p;
        out[0] = "ABCDEFGHJKLMNPQRTUVWXYZ"[sum % 23];
        out[13] = '\0';
}

/* --------------------------------------------------- planted change values */

static double change_fraction(const struct sy_change *c, date_t d)
{
        if (d < c->date)
                return 0;
        switch (c->shape) {
        case SH_SHIFT:
                return 1;
        case SH_TREND: {
                double f = (d - c->date) / (c->months * 30.44);
                return f > 1 ? 1 : f;
        }
        case SH_RELAPSE:
                return d < date_add_months(c->date, c->months) ? 1 : 0;
        default:
                return 0;
        }
}

static double rel_factor(const struct sy_la *la, int target, date_t d)
{
        double f = 1;
        for (int i = 0; i < la->nch; i++)
                if (la->ch[i].target == target)
                        f *= 1 + la->ch[i].rel * change_fraction(&la->ch[i], d);
        return f;
}

double la_ref_rate(const struct sy_la *la, date_t d)
{
        return la->p.ref_rate * rel_factor(la, TG_REFERRALS, d);
}

double la_rr_pct(const struct sy_la *la, date_t d)
{
        double v = la->p.rr_pct;
        for (int i = 0; i < la->nch; i++)
                if (la->ch[i].target == TG_REREFERRALS)
                        v += la->ch[i].pp * change_fraction(&la->ch[i], d);
        return v < 1 ? 1 : v;
}

double la_s47_share(const struct sy_la *la, date_t d)
{
        return la->p.s47_share * rel_factor(la, TG_S47, d);
}

double la_start_rate(const struct sy_la *la, date_t d)
{
        return la->p.start_rate * rel_factor(la, TG_CLA_STARTS, d);
}

/* ------------------------------------------------------------ authorities */

static double clampd(double v, double lo, double hi)
{
        return v < lo ? lo : v > hi ? hi : v;
}

static void draw_params(struct sy_la *la, struct rng *r)
{
        /* z: the authority's deprivation on a standard normal scale. */
        double z = la->dep;
        struct sy_params *p = &la->p;
        /* Quartiles across LAs, 2025 (docs/synthetic-data.md): the log-normal
         * sigma is ln(Q3/Q1)/1.349, the median the published median. */
        double zc = 0.6 * z + 0.8 * rng_normal(r);
        p->cla_rate = clampd(67 * exp(0.39 * zc), 25, 180);
        double zs = 0.7 * zc + 0.71 * rng_normal(r);
        p->start_rate = clampd(25.5 * exp(0.32 * zs), 10, 90);
        double zr = 0.4 * z + 0.92 * rng_normal(r);
        p->ref_rate = clampd(521 * exp(0.29 * zr), 200, 1400);
        /* Centred above the published median 20.0: emergency and asylum-seeker
         * referrals are never re-referrals, and planted improvements lower some
         * authorities, so the measured median lands near 20. */
        p->rr_pct = clampd(22.5 + 4.6 * rng_normal(r), 8, 40);
        p->nfa_share = clampd(rng_lognormal(r, 0.045, 0.8), 0.005, 0.25);
        p->s47_share = clampd(0.364 * exp(0.25 * rng_normal(r)), 0.15, 0.7);
        p->icpc_share = clampd(0.31 * exp(0.2 * rng_normal(r)), 0.15, 0.55);
        p->cpp_share = clampd(0.86 + 0.05 * rng_normal(r), 0.7, 0.97);
        p->sub_pct = clampd(24.3 + 5.5 * rng_normal(r), 8, 40);
        double zn = 0.5 * z + 0.87 * rng_normal(r);
        p->cin_rate = clampd(346 * exp(0.24 * zn), 170, 800);
        p->moves_rate = clampd(0.55 * exp(0.25 * rng_normal(r)), 0.2, 1.2);
        p->uasc_share = clampd(rng_lognormal(r, 0.09, 0.7), 0.01, 0.45);
        p->missing_rate = clampd(rng_lognormal(r, 0.25, 0.4), 0.05, 0.8);
        p->dur_factor = 1;
        p->plan_months = 8;
}

static int cmp_dist(const void *a, const void *b)
{
        const double *x = a, *y = b;
        return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : (x[1] < y[1] ? -1 : x[1] > y[1]);
}

static void neighbours(struct sy_region *rg)
{
        int n = rg->nlas;
        double(*d)[2] = xmalloc(sizeof(*d) * (size_t)(n > 1 ? n : 1));
        for (int i = 0; i < n; i++) {
                struct sy_la *a = &rg->las[i];
                int m = 0;
                for (int j = 0; j < n; j++) {
                        if (j == i)
                                continue;
                        struct sy_la *b = &rg->las[j];
                        double lp = log(la_pop(a, rg->last_year)) - log(la_pop(b, rg->last_year));
                        double dd = a->dep - b->dep, du = a->urban - b->urban;
                        /* Weights as a stand-in for the DfE model's standardised
                         * context variables: deprivation counts most. */
                        d[m][0] = 1.5 * dd * dd + 0.8 * lp * lp + 0.6 * du * du;
                        d[m][1] = j;
                        m++;
                }
                qsort(d, (size_t)m, sizeof(*d), cmp_dist);
                for (int k = 0; k < 10; k++)
                        a->sn[k] = k < m ? (int)d[k][1] : -1;
                m = 0;
                for (int j = 0; j < n; j++) {
                        if (j == i)
                                continue;
                        double de = a->east - rg->las[j].east, dn = a->north - rg->las[j].north;
                        d[m][0] = de * de + dn * dn;
                        d[m][1] = j;
                        m++;
                }
                qsort(d, (size_t)m, sizeof(*d), cmp_dist);
                for (int k = 0; k < 3; k++)
                        a->near[k] = k < m ? (int)d[k][1] : i;
        }
        free(d);
}

/* -------------------------------------------------------------- postcodes */

static void make_postcodes(struct sy_region *rg, struct rng *r)
{
        static const char letters[] = "ABDEFGHJLNPQRSTUWXYZ";
        int total = 0;
        for (int i = 0; i < rg->nlas; i++) {
                struct sy_la *la = &rg->las[i];
                la->pc_n = 150 + (int)(la_pop(la, rg->last_year) / 400);
                if (la->pc_n > 3900)
                        la->pc_n = 3900;
                total += la->pc_n;
        }
        rg->pc = xcalloc((size_t)total, sizeof(*rg->pc));
        rg->npc = 0;
        for (int i = 0; i < rg->nlas; i++) {
                struct sy_la *la = &rg->las[i];
                la->pc_first = rg->npc;
                double radius = la->urban > 0.5 ? 6000 : 16000;
                for (int k = 0; k < la->pc_n; k++) {
                        struct sy_postcode *pc = &rg->pc[rg->npc++];
                        int district = (i / 26) * 10 + k % 10, inward = k / 10;
                        snprintf(pc->pcd, sizeof pc->pcd, "Q%c%d %d%c%c", 'A' + i % 26, district,
                                 inward % 10, letters[(inward / 10) % 20],
                                 letters[(inward / 200) % 20]);
                        double ang = rng_unif(r) * 2 * M_PI, rad = radius * sqrt(rng_unif(r));
                        pc->east = la->east + (int32_t)(rad * cos(ang));
                        pc->north = la->north + (int32_t)(rad * sin(ang));
                        pc->la = (int16_t)i;
                }
        }
}

/* -------------------------------------------------------------- providers */

static int add_provider(struct sy_region *rg, struct sy_la *la, struct rng *r, int kind,
                        const char *codes, int provider, date_t registered)
{
        struct sy_providerrec *p = &rg->prov[rg->nprov];
        /* URNs must be unique: the serial is the provider's position overall. */
        snprintf(p->urn, sizeof p->urn, "SC%06d", 100000 + rg->nprov);
        p->registered = registered;
        p->deregistered = DATE_NONE;
        snprintf(p->place_codes, sizeof p->place_codes, "%s", codes);
        p->provider = (uint8_t)provider;
        p->postcode = la->pc_first + rng_int(r, la->pc_n);
        p->la = (int16_t)la->idx;
        p->kind = (uint8_t)kind;
        return rg->nprov++;
}

static void make_providers(struct sy_region *rg, struct rng *r)
{
        rg->prov = xcalloc((size_t)rg->nlas * 16, sizeof(*rg->prov));
        for (int i = 0; i < rg->nlas; i++) {
                struct sy_la *la = &rg->las[i];
                date_t old = date_from_ymd(2003 + rng_int(r, 10), 1 + rng_int(r, 12), 1);
                la->prov_foster =
                    add_provider(rg, la, r, PK_LA_FOSTER, "U1/U2/U3/U4/U5/U6", PR1, old);
                la->prov_adopt = add_provider(rg, la, r, PK_ADOPTION, "A3/A4/A5/A6", PR1, old);
                la->nhomes = 2 + (la_pop(la, rg->last_year) > 80000);
                for (int k = 0; k < la->nhomes; k++)
                        la->prov_homes[k] =
                            add_provider(rg, la, r, k == 0 ? PK_LA_HOME : PK_PRIVATE_HOME, "K2",
                                         k == 0 ? PR1 : PR4, old + 200 * k);
                la->nifa = 2;
                for (int k = 0; k < la->nifa; k++)
                        la->prov_ifa[k] = add_provider(rg, la, r, PK_IFA, "U1/U2/U3/U4/U5/U6",
                                                       k == 0 ? PR4 : PR5, old + 100 + 50 * k);
                la->prov_supported = add_provider(rg, la, r, PK_SUPPORTED, "K3", PR4,
                                                  date_from_ymd(2023, 11, 1 + rng_int(r, 28)));
                la->prov_mbu = add_provider(rg, la, r, PK_MBU, "R3", PR4, old);
                int closed = add_provider(rg, la, r, PK_CLOSED, "K2", PR4, old - 2000);
                rg->prov[closed].deregistered = date_from_ymd(2019 + rng_int(r, 3), 6, 30);
        }
}

/* ------------------------------------------------------- planted changes */

/*
 * Each planted change must be a signal on the discrete monthly series it is
 * planted in, not a wobble inside its noise.  The noise of a month is worked
 * out from how the simulation draws it: referrals, S47 enquiries and starts
 * are Poisson counts (relative sd sqrt(1/lambda)) in months of 28-31 days
 * (a further relative sd of 0.026 = sd of the month length / 30.44); the
 * re-referral share is binomial among the month's referrals.  A step is at
 * least SHIFT_K sds; a drift climbs at least TREND_K sds a month, so that it
 * stands about 3 sds off its old level within 3 months and keeps going for its
 * 7-8 months.  A change that would need more than its kind's cap (a
 * restructure doubling referrals, say) is not planted in that authority.
 * XmR draws its centre line at the mean of the whole series, which a change
 * early in the series drags towards the new level; so changes are planted in
 * the second half of the window, where the new level stands clear of it.
 * docs/synthetic-data.md gives the detection rates these sizes were chosen
 * from.
 */
#define SHIFT_K      4.0
#define TREND_K      1.3
#define MONTH_LEN_SD 0.026

/* Relative sd of a monthly Poisson count with this expected value. */
static double count_sd_rel(double per_month)
{
        return sqrt(1 / (per_month > 1 ? per_month : 1) + MONTH_LEN_SD * MONTH_LEN_SD);
}

/* The size a change must have: its drawn size or k noise sds, whichever is
 * larger in magnitude, with the drawn sign; 0 when that exceeds cap. */
static double noise_sized(double drawn, double k_sd, double cap)
{
        double v = fabs(drawn) > k_sd ? fabs(drawn) : k_sd;
        if (v > cap)
                return 0;
        return drawn < 0 ? -v : v;
}

/* Sizes change c against the noise of its series just before it, given the
 * changes already planned (a referrals change moves the counts behind the S47
 * rate and the re-referral share).  Returns 0 when it cannot be a plausible
 * signal in this authority. */
static int size_change(const struct sy_la *la, struct sy_change *c)
{
        date_t before = c->date - 1;
        double pop = la_pop(la, date_collection_year(c->date)) / 1e4 / 12;
        double refs = la_ref_rate(la, before) * pop;
        double rr = la_rr_pct(la, before) / 100;
        double rr_sd = 100 * sqrt(rr * (1 - rr) / (refs > 1 ? refs : 1));
        switch (c->shape == SH_NONE ? -1 : c->target) {
        case TG_REFERRALS:
                c->rel = c->shape == SH_TREND
                             ? noise_sized(c->rel, TREND_K * c->months * count_sd_rel(refs), 0.6)
                             : noise_sized(c->rel, SHIFT_K * count_sd_rel(refs), 0.45);
                return c->rel != 0;
        case TG_REREFERRALS:
                c->pp = noise_sized(c->pp, SHIFT_K * rr_sd, fmin(12, la_rr_pct(la, before) - 4));
                return c->pp != 0;
        case TG_S47: {
                double share = la_s47_share(la, before);
                /* A rise may not push the enquiry share of assessed referrals past 95%. */
                double cap = c->rel > 0 ? fmin(0.6, 0.95 * (1 - la->p.nfa_share) / share - 1) : 0.6;
                c->rel = noise_sized(c->rel, SHIFT_K * count_sd_rel(refs * share), cap);
                return c->rel != 0;
        }
        case TG_CLA_STARTS:
                c->rel = noise_sized(
                    c->rel, TREND_K * c->months * count_sd_rel(la_start_rate(la, before) * pop),
                    1.5);
                return c->rel != 0;
        default:
                return 1;
        }
}

/*
 * The monthly series a change moves, as bits of 1 << enum sy_target.  Each
 * planted event is judged on the whole of its measure's series (the methods of
 * improve impact fit every month before it and every month after), so no other
 * change may move that series anywhere in the window, or the truth in
 * effects.csv would not be the change the series shows.  A referrals change
 * moves S47 enquiries too (an enquiry is drawn per referral); a change in
 * starts moves referrals a little (asylum-seeking children and emergencies
 * arrive as new referrals); an inspection moves nothing but is judged on
 * referrals, so it claims that series.  Re-referrals are a share of the
 * month's referrals, drawn per referral, so a referrals change leaves their
 * level alone.
 */
static unsigned series_moved(const struct sy_change *c)
{
        if (c->shape == SH_NONE)
                return 1u << TG_REFERRALS;
        switch (c->target) {
        case TG_REFERRALS:
                return 1u << TG_REFERRALS | 1u << TG_S47;
        case TG_CLA_STARTS:
                return 1u << TG_CLA_STARTS | 1u << TG_REFERRALS;
        default:
                return 1u << c->target;
        }
}

/*
 * The first month (0-based, from the start of the window) at which a change
 * on this target may be dated: at least half of the months its measure has
 * before the change, and at least `margin` months.  Re-referrals look back 12
 * months, so their series starts a year into the window (truth.c and the
 * measures engine both leave the first year out); counted from there, a
 * re-referral change in a 5-year window has 24 months before it, not 18.
 */
static int first_month_for(int target, int months, int margin)
{
        int from = target == TG_REREFERRALS && months > 12 ? 12 : 0;
        int lo = from + (months - from) / 2;
        return lo > margin ? lo : margin;
}

static void plan_changes(struct sy_region *rg, struct sy_la *la, struct rng *r)
{
        int months = (rg->last_year - rg->first_year + 1) * 12;
        int margin = months >= 36 ? 9 : months >= 24 ? 6 : 3;
        if (months - margin - first_month_for(TG_REFERRALS, months, margin) < 1) {
                la->nch = 0;
                return;
        }
        static const double nweights[] = {0.25, 0.5, 0.25};
        int want = 1 + rng_pick(r, nweights, 3) - (rng_chance(r, 0.2) ? 1 : 0);
        if (want < 0)
                want = 0;
        unsigned used = 0;
        la->nch = 0;
        for (int tries = 0; la->nch < want && tries < 20; tries++) {
                int kind = rng_int(r, 7);
                struct sy_change c = {0};
                c.kind = kind;
                c.months = 0;
                switch (kind) {
                case 0:
                        c.target = TG_REFERRALS;
                        c.shape = SH_SHIFT;
                        c.rel = (rng_chance(r, 0.5) ? 1 : -1) * (0.10 + 0.10 * rng_unif(r));
                        snprintf(c.title, sizeof c.title, "Front door restructure");
                        break;
                case 1:
                        c.target = TG_REREFERRALS;
                        c.shape = SH_SHIFT;
                        c.pp = -(3 + 3 * rng_unif(r));
                        snprintf(c.title, sizeof c.title, "New practice model");
                        break;
                case 2:
                        /* Thresholds for an enquiry may tighten or loosen. */
                        c.target = TG_S47;
                        c.shape = SH_SHIFT;
                        c.rel = (rng_chance(r, 0.5) ? 1 : -1) * (0.12 + 0.13 * rng_unif(r));
                        snprintf(c.title, sizeof c.title, "Children's services trust formed");
                        break;
                case 3:
                        c.target = TG_CLA_STARTS;
                        c.shape = SH_TREND;
                        c.months = 7 + rng_int(r, 2);
                        c.rel = 0.15 + 0.15 * rng_unif(r);
                        snprintf(c.title, sizeof c.title, "Edge-of-care service outsourced");
                        break;
                case 4:
                        c.target = TG_REFERRALS;
                        c.shape = SH_TREND;
                        c.months = 7 + rng_int(r, 2);
                        c.rel = -(0.10 + 0.10 * rng_unif(r));
                        snprintf(c.title, sizeof c.title, "Joint early help service");
                        break;
                case 5:
                        c.target = TG_REREFERRALS;
                        c.shape = SH_RELAPSE;
                        c.months = 12 + rng_int(r, 7);
                        c.pp = -(4 + 3 * rng_unif(r));
                        snprintf(c.title, sizeof c.title, "New director of children's services");
                        break;
                default:
                        c.target = TG_REFERRALS;
                        c.shape = SH_NONE;
                        snprintf(c.title, sizeof c.title, "Ofsted inspection");
                        break;
                }
                if (series_moved(&c) & used)
                        continue;
                int lo =
                    first_month_for(c.shape == SH_NONE ? TG_REFERRALS : c.target, months, margin);
                if (months - margin - lo < 1)
                        continue;
                int m = lo + rng_int(r, months - margin - lo);
                int y, mo, dd;
                date_to_ymd(rg->out_start, &y, &mo, &dd);
                c.date = date_add_months(date_from_ymd(y, mo, 1), m);
                /* A relapse or trend must finish inside the window to be seen. */
                date_t fin = date_add_months(c.date, c.months + 1);
                if (fin > rg->out_end)
                        continue;
                /* Too small an authority for this change to be a plausible signal. */
                if (!size_change(la, &c))
                        continue;
                used |= series_moved(&c);
                la->ch[la->nch++] = c;
        }
        /* Keep them in date order (events.csv is read as a timeline). */
        for (int i = 1; i < la->nch; i++)
                for (int j = i; j > 0 && la->ch[j].date < la->ch[j - 1].date; j--) {
                        struct sy_change t = la->ch[j];
                        la->ch[j] = la->ch[j - 1];
                        la->ch[j - 1] = t;
                }
        /* A referrals change planned after a re-referral change but dated
         * before it changes the count of referrals the share's noise depends
         * on: size those again on the final plan, and drop one that can no
         * longer be a plausible signal.  (An S47 change never shares an
         * authority with a referrals change: series_moved.) */
        int kept = 0;
        for (int i = 0; i < la->nch; i++) {
                struct sy_change c = la->ch[i];
                la->ch[i].rel = la->ch[i].pp = 0; /* not part of its own "before" */
                if (c.target != TG_REFERRALS && !size_change(la, &c))
                        continue;
                la->ch[kept++] = c;
        }
        la->nch = kept;
}

int region_build(struct sy_region *rg, struct err *e)
{
        const struct synth_options *o = rg->o;
        rg->last_year = o->last_year;
        rg->first_year = o->last_year - o->years + 1;
        rg->out_start = date_year_start(rg->first_year);
        rg->out_end = date_year_end(rg->last_year);
        rg->sim_start = date_year_start(rg->first_year - 2);
        rg->nlas = o->las;
        rg->las = xcalloc((size_t)rg->nlas, sizeof(*rg->las));
        for (int i = 0; i < 9; i++)
                rg->region_names[i] = region_names[i];

        struct rng r;
        rng_seed(&r, o->seed, 0xfeedULL);
        /* Names: a shuffled product of invented syllables, so none is a real place. */
        int nh = (int)(sizeof name_head / sizeof *name_head);
        int nt = (int)(sizeof name_tail / sizeof *name_tail);
        int *perm = xmalloc(sizeof(int) * (size_t)(nh * nt));
        for (int i = 0; i < nh * nt; i++)
                perm[i] = i;
        for (int i = nh * nt - 1; i > 0; i--) {
                int j = rng_int(&r, i + 1), t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
        }
        for (int i = 0; i < rg->nlas; i++) {
                struct sy_la *la = &rg->las[i];
                la->idx = i;
                buf_init(&la->truth_measures);
                buf_init(&la->truth_errors);
                snprintf(la->code, sizeof la->code, "%03u", (unsigned)(i + 1) % 1000u);
                snprintf(la->ecode, sizeof la->ecode, "E99000%03u", (unsigned)(i + 1) % 1000u);
                snprintf(la->name, sizeof la->name, "%s%s", name_head[perm[i] / nt],
                         name_tail[perm[i] % nt]);
                la->east = 150000 + rng_int(&r, 500000);
                la->north = 60000 + rng_int(&r, 580000);
                la->region =
                    (la->east - 150000) * 3 / 500000 + 3 * ((la->north - 60000) * 3 / 580000);
                if (la->region > 8)
                        la->region = 8;
                la->dep = rng_normal(&r);
                la->urban = clampd(0.5 + 0.25 * la->dep + 0.3 * rng_normal(&r), 0, 1);
                la->pop_year0 = rg->first_year - 22;
                la->npop = rg->last_year - la->pop_year0 + 1;
                la->pop = xmalloc(sizeof(double) * (size_t)la->npop);
                double base = clampd(rng_lognormal(&r, 62500, 0.5), 6000, 360000);
                double g = 0.004 + 0.006 * rng_normal(&r);
                for (int k = 0; k < la->npop; k++)
                        la->pop[k] = floor(base * pow(1 + g, k - (la->npop - 1)) + 0.5);
                draw_params(la, &r);
        }
        free(perm);
        neighbours(rg);
        make_postcodes(rg, &r);
        make_providers(rg, &r);
        for (int i = 0; i < rg->nlas; i++) {
                struct rng rc;
                rng_seed(&rc, o->seed, 0xc0ffee00ULL + (uint64_t)i);
                plan_changes(rg, &rg->las[i], &rc);
        }
        (void)e;
        return 0;
}

void region_release(struct sy_region *rg)
{
        for (int i = 0; i < rg->nlas; i++) {
                free(rg->las[i].pop);
                buf_release(&rg->las[i].truth_measures);
                buf_release(&rg->las[i].truth_errors);
        }
        free(rg->las);
        free(rg->pc);
        free(rg->prov);
        memset(rg, 0, sizeof *rg);
}

/* ------------------------------------------------------- region-level CSV */

static double change_effect(const struct sy_la *la, const struct sy_change *c)
{
        date_t before = c->date - 1;
        date_t after = c->shape == SH_TREND ? date_add_months(c->date, c->months + 1) : c->date;
        switch (c->shape == SH_NONE ? -1 : c->target) {
        case TG_REFERRALS:
                return la_ref_rate(la, after) - la_ref_rate(la, before);
        case TG_REREFERRALS:
                return c->pp;
        case TG_S47:
                return la_ref_rate(la, c->date) *
                       (la_s47_share(la, after) - la_s47_share(la, before));
        case TG_CLA_STARTS:
                return la_start_rate(la, after) - la_start_rate(la, before);
        default:
                return 0;
        }
}

static const char *unit_of(int target)
{
        return target == TG_REREFERRALS ? "percent" : "rate_per_10k";
}

int region_write(const struct sy_region *rg, struct err *e)
{
        const char *dir = rg->o->out_dir;
        char path[4096];
        FILE *f;

        snprintf(path, sizeof path, "%s/authorities.csv", dir);
        if (!(f = sy_fopen(path, e)))
                return -1;
        fputs("code,ecode,name,region_code,region_name", f);
        for (int k = 1; k <= 10; k++)
                fprintf(f, ",sn_%d", k);
        fputc('\n', f);
        for (int i = 0; i < rg->nlas; i++) {
                const struct sy_la *la = &rg->las[i];
                fprintf(f, "%s,%s,%s,E99100%03d,%s", la->code, la->ecode, la->name, la->region + 1,
                        rg->region_names[la->region]);
                for (int k = 0; k < 10; k++)
                        fprintf(f, ",%s", la->sn[k] >= 0 ? rg->las[la->sn[k]].code : "");
                fputc('\n', f);
        }
        if (close_file(f, path, e) < 0)
                return -1;

        snprintf(path, sizeof path, "%s/populations.csv", dir);
        if (!(f = sy_fopen(path, e)))
                return -1;
        fputs("code,year,population_0_17\n", f);
        for (int i = 0; i < rg->nlas; i++)
                for (int y = rg->first_year; y <= rg->last_year; y++)
                        fprintf(f, "%s,%d,%.0f\n", rg->las[i].code, y, la_pop(&rg->las[i], y));
        if (close_file(f, path, e) < 0)
                return -1;

        snprintf(path, sizeof path, "%s/postcodes.csv", dir);
        if (!(f = sy_fopen(path, e)))
                return -1;
        fputs("pcd,oslaua,oseast1m,osnrth1m\n", f);
        for (int i = 0; i < rg->npc; i++)
                fprintf(f, "%s,%s,%d,%d\n", rg->pc[i].pcd, rg->las[rg->pc[i].la].ecode,
                        rg->pc[i].east, rg->pc[i].north);
        if (close_file(f, path, e) < 0)
                return -1;

        snprintf(path, sizeof path, "%s/providers.csv", dir);
        if (!(f = sy_fopen(path, e)))
                return -1;
        fputs("URN,Registration Date,Deregistration Date,Placement Code,Placement Provider Code,"
              "Setting Address Postcode\n",
              f);
        for (int i = 0; i < rg->nprov; i++) {
                const struct sy_providerrec *p = &rg->prov[i];
                fprintf(f, "%s,", p->urn);
                sy_put_date_uk(f, p->registered);
                fputc(',', f);
                sy_put_date_uk(f, p->deregistered);
                fprintf(f, ",%s,%s,%s\n", p->place_codes, sy_provider_code[p->provider],
                        rg->pc[p->postcode].pcd);
        }
        if (close_file(f, path, e) < 0)
                return -1;

        snprintf(path, sizeof path, "%s/events.csv", dir);
        if (!(f = sy_fopen(path, e)))
                return -1;
        fputs("la,date,kind,title,measures,note\n", f);
        for (int i = 0; i < rg->nlas; i++)
                for (int k = 0; k < rg->las[i].nch; k++) {
                        const struct sy_change *c = &rg->las[i].ch[k];
                        fprintf(f, "%s,", rg->las[i].code);
                        sy_put_date_iso(f, c->date);
                        fprintf(f, ",%s,%s,%s,%s\n", sy_event_kind[c->kind], c->title,
                                sy_target_measure[c->target],
                                c->shape == SH_NONE      ? "planted: no effect"
                                : c->shape == SH_TREND   ? "planted: gradual change"
                                : c->shape == SH_RELAPSE ? "planted: improvement later lost"
                                                         : "planted: step change");
                }
        if (close_file(f, path, e) < 0)
                return -1;

        snprintf(path, sizeof path, "%s/truth", dir);
        if (sy_mkdirs(path, e) < 0)
                return -1;
        snprintf(path, sizeof path, "%s/truth/effects.csv", dir);
        if (!(f = sy_fopen(path, e)))
                return -1;
        fputs("la,date,kind,measure,effect,unit\n", f);
        for (int i = 0; i < rg->nlas; i++)
                for (int k = 0; k < rg->las[i].nch; k++) {
                        const struct sy_change *c = &rg->las[i].ch[k];
                        fprintf(f, "%s,", rg->las[i].code);
                        sy_put_date_iso(f, c->date);
                        fprintf(f, ",%s,%s,%.3f,%s\n", sy_event_kind[c->kind],
                                sy_target_measure[c->target], change_effect(&rg->las[i], c),
                                unit_of(c->target));
                }
        if (close_file(f, path, e) < 0)
                return -1;

        snprintf(path, sizeof path, "%s/truth/signals.csv", dir);
        if (!(f = sy_fopen(path, e)))
                return -1;
        fputs("la,measure,month,signal,size\n", f);
        for (int i = 0; i < rg->nlas; i++)
                for (int k = 0; k < rg->las[i].nch; k++) {
                        const struct sy_la *la = &rg->las[i];
                        const struct sy_change *c = &la->ch[k];
                        if (c->shape == SH_NONE)
                                continue;
                        /* Sizes are in the units of the discrete monthly series:
                         * a flow rate per 10k per month is the annual rate / 12. */
                        double size = change_effect(la, c);
                        if (c->target != TG_REREFERRALS)
                                size /= 12;
                        const char *m = sy_target_measure[c->target];
                        fprintf(f, "%s,%s,", la->code, m);
                        sy_put_date_iso(f, date_month_end(c->date));
                        fprintf(f, ",%s,%.3f\n", c->shape == SH_TREND ? "trend" : "shift", size);
                        if (c->shape == SH_RELAPSE) {
                                fprintf(f, "%s,%s,", la->code, m);
                                sy_put_date_iso(
                                    f, date_month_end(date_add_months(c->date, c->months)));
                                fprintf(f, ",relapse,%.3f\n", -size);
                        }
                }
        return close_file(f, path, e);
}
