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

static char *put_date(char *o)
{
        return o + sprintf(o, "%02u/%02u/%04u", 1 + rnd(28), 1 + rnd(12), 2015 + rnd(10));
}

static char *put_str(char *o, const char *s)
{
        size_t n = strlen(s);
        memcpy(o, s, n);
        return o + n;
}

static char *put_postcode(char *o)
{
        int quoted = rnd(10) == 0;
        if (quoted)
                *o++ = '"';
        o += sprintf(o, "%s%u %u%c%c", area[rnd(11)], 1 + rnd(20), rnd(10), 'A' + rnd(26),
                     'A' + rnd(26));
        if (quoted)
                *o++ = '"';
        return o;
}

static char *put_row(char *o)
{
        int closed = rnd(3) != 0;
        o += sprintf(o, "%u,", 100000 + rnd(9000000));
        o = put_date(o);
        *o++ = ',';
        o += sprintf(o, "%s,%s,%s,%s,%s,", PICK(rne), PICK(ls), PICK(cin), PICK(place),
                     PICK(provider));
        if (closed) {
                o = put_date(o);
                o += sprintf(o, ",%s,%s,", PICK(rec), PICK(rpc));
        } else {
                o = put_str(o, ",,,");
        }
        o = put_postcode(o);
        *o++ = ',';
        o = put_postcode(o);
        *o++ = ',';
        uint32_t u = rnd(200);
        if (u == 0)
                o += sprintf(o, "\"SC%u,%u\"", rnd(1000), rnd(1000));
        else if (u == 1)
                o += sprintf(o, "\"SC\"\"%u\"\"\"", rnd(1000000));
        else if (u < 40)
                o = put_str(o, "XXXXXXX");
        else
                o += sprintf(o, "SC%06u", rnd(1000000));
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
