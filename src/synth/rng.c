/*
 * rng.c — the generator's only source of chance, and its date helpers.
 *
 * xoshiro256** seeded through splitmix64: small, fast and exactly the same on
 * every machine (integer arithmetic only; the double draws are derived from
 * the top 53 bits).  Every authority gets its own stream seeded from (seed,
 * authority index), so authorities can be simulated in any order or on any
 * thread and still write the same bytes.  rand() and the clock are never used.
 */
#include "synth/internal.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
        uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
}

void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
        uint64_t x = seed ^ (stream * 0xd1342543de82ef95ULL + 0x2545f4914f6cdd1dULL);
        for (int i = 0; i < 4; i++)
                r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
        return (x << k) | (x >> (64 - k));
}

uint64_t rng_u64(struct rng *r)
{
        uint64_t *s = r->s;
        uint64_t out = rotl(s[1] * 5, 7) * 9;
        uint64_t t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = rotl(s[3], 45);
        return out;
}

double rng_unif(struct rng *r)
{
        return (double)(rng_u64(r) >> 11) * 0x1.0p-53;
}

int rng_int(struct rng *r, int n)
{
        if (n <= 1)
                return 0;
        return (int)((rng_u64(r) >> 33) % (uint64_t)n);
}

int rng_range(struct rng *r, int lo, int hi)
{
        return hi <= lo ? lo : lo + rng_int(r, hi - lo + 1);
}

int rng_chance(struct rng *r, double p)
{
        return rng_unif(r) < p;
}

double rng_normal(struct rng *r)
{
        /* Box–Muller without a cached second value, so each call costs two draws. */
        double u = rng_unif(r), v = rng_unif(r);
        if (u < 1e-300)
                u = 1e-300;
        return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

double rng_lognormal(struct rng *r, double median, double sigma)
{
        return median * exp(sigma * rng_normal(r));
}

double rng_exp(struct rng *r, double mean)
{
        return -mean * log(1.0 - rng_unif(r));
}

int rng_poisson(struct rng *r, double lambda)
{
        if (lambda <= 0)
                return 0;
        if (lambda > 60) {
                int k = (int)floor(lambda + sqrt(lambda) * rng_normal(r) + 0.5);
                return k < 0 ? 0 : k;
        }
        double l = exp(-lambda), p = 1.0;
        int k = 0;
        do {
                k++;
                p *= rng_unif(r);
        } while (p > l);
        return k - 1;
}

int rng_pick(struct rng *r, const double *w, int n)
{
        double sum = 0;
        for (int i = 0; i < n; i++)
                sum += w[i];
        double x = rng_unif(r) * sum;
        for (int i = 0; i < n; i++) {
                if (x < w[i])
                        return i;
                x -= w[i];
        }
        return n - 1;
}

/* ------------------------------------------------------------------ dates */

/* Outside the bank holiday table a weekday is treated as a working day: the
 * generator only needs plausible dates there, never a measure. */
static int is_working_slow(date_t d)
{
        if (date_weekday(d) >= 5)
                return 0;
        bool bh = false;
        if (date_is_bank_holiday(d, &bh, NULL) < 0)
                return 1;
        return !bh;
}

/* A table of working days, filled once before any thread starts. */
#define WD_FIRST 7305 /* 1990-01-01 */
#define WD_DAYS  (366 * 50)
static uint8_t wd_table[WD_DAYS];
static int wd_ready;

void sy_dates_init(void)
{
        if (wd_ready)
                return;
        for (int i = 0; i < WD_DAYS; i++)
                wd_table[i] = (uint8_t)is_working_slow(WD_FIRST + i);
        wd_ready = 1;
}

static int is_working(date_t d)
{
        if (wd_ready && d >= WD_FIRST && d < WD_FIRST + WD_DAYS)
                return wd_table[d - WD_FIRST];
        return is_working_slow(d);
}

date_t sy_weekday_on_or_after(date_t d)
{
        while (!is_working(d))
                d++;
        return d;
}

date_t sy_working_day_on_or_before(date_t d)
{
        while (!is_working(d))
                d--;
        return d;
}

date_t sy_add_working_days(date_t d, int n)
{
        while (n > 0) {
                d++;
                if (is_working(d))
                        n--;
        }
        return d;
}

int sy_working_days(date_t s, date_t e)
{
        int n = 0;
        for (date_t d = s + 1; d <= e; d++)
                n += is_working(d);
        return n;
}
