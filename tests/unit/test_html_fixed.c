/*
 * test_html_fixed.c — html_fmt_fixed (the charts' and tables' number writer)
 * against the C library's snprintf("%.Nf") on millions of values, html_int
 * against "%lld", and the escaping loop's plain runs against a per-byte
 * reference.
 */
#include "test.h"

#include "core/buf.h"
#include "web/html.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>

/* xorshift64*: a fixed seed, so a failure can be repeated. */
static uint64_t rnd_state = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd(void)
{
        rnd_state ^= rnd_state >> 12;
        rnd_state ^= rnd_state << 25;
        rnd_state ^= rnd_state >> 27;
        return rnd_state * 0x2545F4914F6CDD1DULL;
}

static double unit(void)
{
        return (double)(rnd() >> 11) / 9007199254740992.0;
}

static long mismatches;

static void same(double v, int d)
{
        char want[400], got[HTML_FIXED_MAX + 1];
        snprintf(want, sizeof want, "%.*f", d, v);
        size_t n = html_fmt_fixed(got, v, d);
        if (strcmp(want, got) != 0 || n != strlen(want)) {
                if (mismatches++ < 10)
                        print_error("%.17g with %d decimals: got [%s], snprintf [%s]\n", v, d, got,
                                    want);
        }
}

static void test_edges(void **state)
{
        (void)state;
        static const double v[] = {0.0,
                                   -0.0,
                                   0.05,
                                   -0.05,
                                   0.25,
                                   -0.25,
                                   0.35,
                                   0.45,
                                   1.25,
                                   2.5,
                                   -2.5,
                                   0.5,
                                   -0.5,
                                   1.5,
                                   9.95,
                                   99.95,
                                   0.04,
                                   -0.04,
                                   0.0499,
                                   -0.0001,
                                   1e-300,
                                   -1e-300,
                                   4.9e-324,
                                   -4.9e-324,
                                   DBL_MIN,
                                   1e15,
                                   -1e15,
                                   9.2e18,
                                   9.3e18,
                                   1e19,
                                   1e300,
                                   -1e300,
                                   DBL_MAX,
                                   -DBL_MAX,
                                   INFINITY,
                                   -INFINITY,
                                   NAN,
                                   -NAN,
                                   0.125,
                                   0.375,
                                   2.675,
                                   1.005,
                                   1023.95,
                                   8388608.5,
                                   4503599627370495.5,
                                   9007199254740993.0};
        for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
                for (int d = 0; d <= 9; d++)
                        same(v[i], d);
        /* Both sides of 2^63 (the integer path's limit) and of every power of two below it. */
        for (int e = -60; e <= 64; e++)
                for (int d = 0; d <= 9; d++) {
                        double p = ldexp(1.0, e);
                        same(p, d);
                        same(nextafter(p, 0), d);
                        same(nextafter(p, INFINITY), d);
                        same(-p, d);
                }
        assert_int_equal(mismatches, 0);
        char out[HTML_FIXED_MAX + 1];
        assert_int_equal(html_fmt_fixed(out, -0.0, 1), 4);
        assert_string_equal(out, "-0.0");
        assert_int_equal(html_fmt_fixed(out, 0.25, 1), 3);
        assert_string_equal(out, "0.2"); /* an exact tie: to even, as printf */
        html_fmt_fixed(out, 0.35, 1);    /* 0.34999999999999997779... */
        assert_string_equal(out, "0.3");
        html_fmt_fixed(out, 12.5, 0);
        assert_string_equal(out, "12");
}

static void test_random(void **state)
{
        (void)state;
        /* Chart coordinates and table values: uniform in a few ranges, and exact ties. */
        /* 2 x 200,000 in make check; HTML_FIXED_N=5000000 for a long run. */
        const char *env = getenv("HTML_FIXED_N");
        long count = env ? atol(env) : 200000;
        for (long i = 0; i < count; i++) {
                double v;
                switch (i % 6) {
                case 0:
                        v = unit() * 700 - 50;
                        break;
                case 1:
                        v = (unit() - 0.5) * 2e6;
                        break;
                case 2:
                        v = (double)(long long)(rnd() % 200001 - 100000) / 20.0; /* x.x5 ties */
                        break;
                case 3:
                        v = (double)(long long)(rnd() % 2000001 - 1000000) / 200.0;
                        break;
                case 4:
                        v = ldexp(unit(), (int)(rnd() % 140) - 70) * ((rnd() & 1) ? 1 : -1);
                        break;
                default: {
                        uint64_t bits = rnd(); /* any double at all */
                        memcpy(&v, &bits, sizeof v);
                }
                }
                same(v, 1);
                same(v, (int)(rnd() % 10));
        }
        assert_int_equal(mismatches, 0);
}

static void test_int(void **state)
{
        (void)state;
        static const long long v[] = {0, 1, -1, 9, 10, -10, 123456789, LLONG_MAX, LLONG_MIN};
        for (size_t i = 0; i < sizeof v / sizeof v[0] + 100000; i++) {
                long long x = i < sizeof v / sizeof v[0] ? v[i] : (long long)rnd() >> (rnd() % 64);
                char want[32];
                snprintf(want, sizeof want, "%lld", x);
                struct buf b;
                buf_init(&b);
                struct html h;
                html_init(&h, &b);
                html_int(&h, x);
                assert_string_equal(b.data, want);
                buf_release(&b);
        }
}

/* The escaping of printable ASCII, one byte at a time. */
static void reference(struct buf *b, const char *s)
{
        for (; *s; s++)
                switch (*s) {
                case '&':
                        buf_puts(b, "&amp;");
                        break;
                case '<':
                        buf_puts(b, "&lt;");
                        break;
                case '>':
                        buf_puts(b, "&gt;");
                        break;
                case '"':
                        buf_puts(b, "&quot;");
                        break;
                case '\'':
                        buf_puts(b, "&#39;");
                        break;
                default:
                        buf_putc(b, *s);
                }
}

static void test_escape_runs(void **state)
{
        (void)state;
        static const char alphabet[] = "abc XYZ 019 &<>\"' ;=/";
        for (int i = 0; i < 20000; i++) {
                char s[64];
                size_t n = rnd() % (sizeof s);
                for (size_t k = 0; k < n; k++)
                        s[k] = alphabet[rnd() % (sizeof alphabet - 1)];
                s[n] = 0;
                struct buf want, got;
                buf_init(&want);
                buf_init(&got);
                reference(&want, s);
                struct html h;
                html_init(&h, &got);
                html_text(&h, s);
                assert_string_equal(got.data, want.data);
                buf_reset(&got);
                html_attr(&h, s);
                assert_string_equal(got.data, want.data);
                buf_release(&want);
                buf_release(&got);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_edges),
            cmocka_unit_test(test_random),
            cmocka_unit_test(test_int),
            cmocka_unit_test(test_escape_runs),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
