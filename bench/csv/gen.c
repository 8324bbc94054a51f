/*
 * gen.c — write a deterministic SSDA903-Episodes-like CSV of at least N bytes,
 * for the CSV reader benchmark (bench/csv/run).
 *
 * Usage: gen OUT.csv BYTES
 *
 * Rows look like a real Episodes table: a child id, dd/mm/YYYY dates, short
 * codes, postcodes and an Ofsted URN, CRLF line ends (the usual Excel export).
 * Some fields are quoted the way spreadsheet exports do it (postcodes about
 * one row in ten, a URN with a comma or a doubled quote now and then) so the
 * reader's slow path is exercised at a realistic rate.  The same seed always
 * gives the same file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 0x903903903903ULL;

/* xorshift64*: fast, and good enough to pick codes. */
static uint32_t rnd(uint32_t n)
{
        rng_state ^= rng_state >> 12;
        rng_state ^= rng_state << 25;
        rng_state ^= rng_state >> 27;
        return (uint32_t)(((rng_state * 0x2545F4914F6CDD1DULL) >> 32) % n);
}

static const char *pick(const char *const *list, size_t n)
{
        return list[rnd((uint32_t)n)];
}

#define PICK(a) pick(a, sizeof a / sizeof *a)

static const char *const rne[] = {"S", "P", "L", "T", "B", "U"};
static const char *const ls[] = {"C2", "C2", "C2", "J2", "V2", "E1", "L1", "D1", "V3", "J1"};
static const char *const cin[] = {"N1", "N1", "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"};
static const char *const place[] = {"U1", "U2", "U3", "U4", "U5", "U6", "K2",
                                    "P1", "R1", "R2", "T0", "Z1", "H5", "S1"};
static const char *const provider[] = {"PR1", "PR1", "PR2", "PR3", "PR4", "PR0", ""};
static const char *const rec[] = {"E11", "E12", "E13", "E2", "E3", "E4A", "E41",
                                  "E45", "E46", "E48", "E5", "E6", "E7",  "X1"};
static const char *const rpc[] = {"CARPL", "CLOSE", "ALLEG", "STAND", "APPRR",
                                  "CREQB", "CREQO", "CHILD", "LAREQ", "PLACE"};
static const char *const area[] = {"AB", "B", "BS", "CB", "DE", "E", "LS", "M", "N", "NE", "SW"};

/* Hand-rolled formatting: sprintf would make writing a gigabyte take many seconds. */
static char *put_uint(char *o, uint32_t v, int width)
{
        char tmp[12];
        int n = 0;
        do {
                tmp[n++] = (char)('0' + v % 10);
                v /= 10;
        } while (v);
        while (n < width)
                tmp[n++] = '0';
        while (n)
                *o++ = tmp[--n];
        return o;
}

static char *put_str(char *o, const char *s)
{
        while (*s)
                *o++ = *s++;
        return o;
}

static char *put_date(char *o)
{
        o = put_uint(o, 1 + rnd(28), 2);
        *o++ = '/';
        o = put_uint(o, 1 + rnd(12), 2);
        *o++ = '/';
        return put_uint(o, 2015 + rnd(10), 4);
}

static char *put_postcode(char *o)
{
        int quoted = rnd(10) == 0;
        if (quoted)
                *o++ = '"';
        o = put_str(o, area[rnd(11)]);
        o = put_uint(o, 1 + rnd(20), 1);
        *o++ = ' ';
        o = put_uint(o, rnd(10), 1);
        *o++ = (char)('A' + rnd(26));
        *o++ = (char)('A' + rnd(26));
        if (quoted)
                *o++ = '"';
        return o;
}

static char *put_code(char *o, const char *s)
{
        o = put_str(o, s);
        *o++ = ',';
        return o;
}

static char *put_row(char *o)
{
        int closed = rnd(3) != 0;
        o = put_uint(o, 100000 + rnd(9000000), 1);
        *o++ = ',';
        o = put_date(o);
        *o++ = ',';
        o = put_code(o, PICK(rne));
        o = put_code(o, PICK(ls));
        o = put_code(o, PICK(cin));
        o = put_code(o, PICK(place));
        o = put_code(o, PICK(provider));
        if (closed) {
                o = put_date(o);
                *o++ = ',';
                o = put_code(o, PICK(rec));
                o = put_code(o, PICK(rpc));
        } else {
                o = put_str(o, ",,,");
        }
        o = put_postcode(o);
        *o++ = ',';
        o = put_postcode(o);
        *o++ = ',';
        uint32_t u = rnd(200);
        if (u == 0) { /* a URN with a comma, quoted */
                o = put_str(o, "\"SC");
                o = put_uint(o, rnd(1000), 1);
                *o++ = ',';
                o = put_uint(o, rnd(1000), 1);
                *o++ = '"';
        } else if (u == 1) { /* a URN with quotes, doubled */
                o = put_str(o, "\"SC\"\"");
                o = put_uint(o, rnd(1000000), 1);
                o = put_str(o, "\"\"\"");
        } else if (u < 40) {
                o = put_str(o, "XXXXXXX");
        } else {
                o = put_str(o, "SC");
                o = put_uint(o, rnd(1000000), 6);
        }
        return put_str(o, "\r\n");
}

int main(int argc, char **argv)
{
        if (argc != 3) {
                fprintf(stderr, "usage: gen OUT.csv BYTES\n");
                return 2;
        }
        unsigned long long want = strtoull(argv[2], NULL, 10);
        FILE *out = fopen(argv[1], "wb");
        if (!out) {
                perror(argv[1]);
                return 3;
        }
        static char buf[1 << 20];
        const char *header = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,"
                             "REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\r\n";
        unsigned long long written = fwrite(header, 1, strlen(header), out);
        while (written < want) {
                char *o = buf;
                while (o < buf + sizeof buf - 512)
                        o = put_row(o);
                size_t n = (size_t)(o - buf);
                if (fwrite(buf, 1, n, out) != n) {
                        perror(argv[1]);
                        return 3;
                }
                written += n;
        }
        if (fclose(out) != 0) {
                perror(argv[1]);
                return 3;
        }
        return 0;
}
