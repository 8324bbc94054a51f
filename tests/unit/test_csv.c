/*
 * test_csv.c — unit tests for the CSV reader and writer (src/core/csv.c).
 *
 * Most cases are written as input and the expected rendering (see
 * tests/fuzz/csv_ref.h): "LINE:" then [field] or {quoted field} per record,
 * "W<line>" for a ragged record and "E<line>:<KIND>" for a syntax error.
 * Every case is run with every scanner this CPU has (scalar, SSE2, AVX2) and
 * through the byte-by-byte reference reader too, so the expectations written
 * here by hand check both.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/csv.h"
#include "core/err.h"
#include "../fuzz/csv_ref.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const scanners[] = {"scalar", "sse2", "avx2"};

/* Parse with every scanner and with the reference; all must render as `want`. */
static void expect_width(const char *in, size_t n, size_t width, const char *want)
{
        int tried = 0;
        for (size_t k = 0; k < sizeof scanners / sizeof *scanners; k++) {
                if (csv_use_scanner(scanners[k]) < 0)
                        continue;
                tried++;
                char *got = ref_render_real(in, n, width);
                if (strcmp(got, want) != 0)
                        print_error("scanner %s\n", scanners[k]);
                assert_string_equal(got, want);
                free(got);
        }
        csv_use_scanner(NULL);
        assert_true(tried >= 1);
        char *ref = ref_parse(in, n, width);
        assert_string_equal(ref, want);
        free(ref);
}

#define EXPECT(in, want)      expect_width(in, sizeof in - 1, 0, want)
#define EXPECT_W(in, w, want) expect_width(in, sizeof in - 1, w, want)

/* The message of the first error csv_read() gives on `in`. */
static void expect_message(const char *in, size_t n, size_t width, const char *msg)
{
        struct csv_reader *r = csv_open_mem(in, n, "t");
        csv_set_width(r, width);
        struct csv_record rec;
        struct err e = {0};
        int rc;
        while ((rc = csv_read(r, &rec, &e)) == 1)
                ;
        assert_int_equal(rc, -1);
        assert_int_equal(e.code, EXIT_INPUT);
        assert_string_equal(e.msg, msg);
        csv_free(r);
}

#define EXPECT_MSG(in, w, msg) expect_message(in, sizeof in - 1, w, msg)

static void test_simple(void **state)
{
        (void)state;
        EXPECT("a,b,c\nd,e,f\n", "1:[a][b][c]\n2:[d][e][f]\n");
        EXPECT("one\n", "1:[one]\n");
        EXPECT("", "");
        EXPECT(" \n", "1:[ ]\n"); /* spaces are data, not a blank line */
        EXPECT("a b , c\n", "1:[a b ][ c]\n");
}

static void test_quoted(void **state)
{
        (void)state;
        EXPECT("\"a,b\",\"say \"\"hi\"\"\",c\n", "1:{a,b}{say \"hi\"}[c]\n");
        EXPECT("\"\"\"\"\n", "1:{\"}\n");
        EXPECT("\"\"\"\"\"\"\n", "1:{\"\"}\n");
        EXPECT("x,\"a\"\"\",\"\"\"b\"\n", "1:[x]{a\"}{\"b}\n");

        /* Plain and quoted-without-doubling fields point into the input; "" goes to scratch. */
        static const char in[] = "plain,\"q,x\",\"d\"\"q\"\n";
        struct csv_reader *r = csv_open_mem(in, sizeof in - 1, "t");
        struct csv_record rec;
        struct err e = {0};
        assert_int_equal(csv_read(r, &rec, &e), 1);
        assert_int_equal(rec.count, 3);
        assert_ptr_equal(rec.fields[0].ptr, in);
        assert_int_equal(rec.fields[0].quoted, 0);
        assert_ptr_equal(rec.fields[1].ptr, in + 7);
        assert_int_equal(rec.fields[1].len, 3);
        assert_int_equal(rec.fields[1].quoted, 1);
        const char *p = rec.fields[2].ptr;
        assert_true(p < in || p >= in + sizeof in);
        assert_int_equal(rec.fields[2].len, 3);
        assert_memory_equal(p, "d\"q", 3);
        assert_int_equal(csv_read(r, &rec, &e), 0);
        csv_free(r);
}

static void test_embedded_newlines(void **state)
{
        (void)state;
        EXPECT("id,note\n1,\"line one\nline two\"\n2,x\n",
               "1:[id][note]\n2:[1]{line one\nline two}\n4:[2][x]\n");
        EXPECT("\"a\r\nb\"\r\nc\r\n", "1:{a\r\nb}\n3:[c]\n");
        EXPECT("\"a\rb\"\nc\n", "1:{a\rb}\n3:[c]\n");
        EXPECT("\"\n\n\n\",x\ny\n", "1:{\n\n\n}[x]\n5:[y]\n");
        /* blank lines inside quotes are data, not skipped */
        EXPECT("\"a\n\nb\"\n", "1:{a\n\nb}\n");
}

static void test_line_ends(void **state)
{
        (void)state;
        EXPECT("a,b\r\nc,d\ne,f\r\n", "1:[a][b]\n2:[c][d]\n3:[e][f]\n");
        EXPECT("a\rb\r\nc", "1:[a]\n2:[b]\n3:[c]\n"); /* a lone CR ends a line too */
        EXPECT("\"a\"\r\n\"b\"\r", "1:{a}\n2:{b}\n");
        EXPECT("a,\r\n", "1:[a][]\n");
}

static void test_bom(void **state)
{
        (void)state;
        EXPECT("\xEF\xBB\xBF"
               "CHILD,DOB\n1,2\n",
               "1:[CHILD][DOB]\n2:[1][2]\n");
        EXPECT("\xEF\xBB\xBF", "");
        EXPECT("\xEF\xBB\xBF\r\n\r\nx", "3:[x]\n");
        /* only at the very start */
        EXPECT("a,\xEF\xBB\xBF\n", "1:[a][\xEF\xBB\xBF]\n");
        EXPECT("\xEF\xBB", "1:[\xEF\xBB]\n");

        static const char in[] = "\xEF\xBB\xBF"
                                 "CHILD\n";
        struct csv_reader *r = csv_open_mem(in, sizeof in - 1, NULL);
        struct csv_record rec;
        assert_int_equal(csv_read(r, &rec, NULL), 1);
        assert_true(csv_field_eq(&rec.fields[0], "CHILD"));
        assert_string_equal(csv_name(r), "<memory>");
        csv_free(r);
}

static void test_final_newline(void **state)
{
        (void)state;
        EXPECT("a,b\nc,d", "1:[a][b]\n2:[c][d]\n");
        EXPECT("\"q\"", "1:{q}\n");
        EXPECT("a,\"q\"", "1:[a]{q}\n");
        EXPECT("x", "1:[x]\n");
}

static void test_blank_lines(void **state)
{
        (void)state;
        EXPECT("\n\na,b\n\n\r\n\nc,d\n\n", "3:[a][b]\n7:[c][d]\n");
        EXPECT("\r\n\r\n\r\n", "");
        EXPECT("\r\r\n\rx\n", "4:[x]\n");
}

static void test_empty_fields(void **state)
{
        (void)state;
        EXPECT(",,\n", "1:[][][]\n");
        EXPECT("a,\n", "1:[a][]\n");
        EXPECT("a,", "1:[a][]\n");
        EXPECT(",", "1:[][]\n");
        EXPECT("\"\",\"\"\n", "1:{}{}\n");
        EXPECT("a,\"\"", "1:[a]{}\n");
        EXPECT("\"\",", "1:{}[]\n");
        EXPECT("\"\"\n", "1:{}\n");
        EXPECT("1,,3,,\n", "1:[1][][3][][]\n");
}

static void test_ragged(void **state)
{
        (void)state;
        EXPECT_W("a,b,c\nd,e\nf,g,h,i\nj,k,l\n", 3,
                 "1:[a][b][c]\n2:[d][e]\nW2\n3:[f][g][h][i]\nW3\n4:[j][k][l]\n");
        /* the record's own line, after embedded newlines */
        EXPECT_W("a,b\n\"x\ny\"\nc,d\n", 2, "1:[a][b]\n2:{x\ny}\nW2\n4:[c][d]\n");
        EXPECT_W("a,b\n\nc,d,\n", 2, "1:[a][b]\n3:[c][d][]\nW3\n");
        EXPECT_MSG("a,b,c\nd,e\n", 3, "t:2: record has 2 fields, expected 3");
        EXPECT_MSG("a\n\n\n\"1\n2\",3,4\n", 1, "t:4: record has 3 fields, expected 1");

        /* The width can be turned off again; a ragged record is still handed back. */
        static const char in[] = "a,b\nc\nd\n";
        struct csv_reader *r = csv_open_mem(in, sizeof in - 1, "t");
        struct csv_record rec;
        struct err e = {0};
        csv_set_width(r, 2);
        assert_int_equal(csv_read(r, &rec, &e), 1);
        assert_int_equal(csv_read(r, &rec, &e), -1);
        assert_int_equal(e.code, EXIT_INPUT);
        assert_int_equal(rec.count, 1);
        assert_true(csv_field_eq(&rec.fields[0], "c"));
        csv_set_width(r, 0);
        assert_int_equal(csv_read(r, &rec, &e), 1);
        assert_true(csv_field_eq(&rec.fields[0], "d"));
        assert_int_equal(rec.line, 3);
        assert_int_equal(csv_read(r, &rec, &e), 0);
        csv_free(r);
}

static void test_malformed(void **state)
{
        (void)state;
        /* a quote never closed: reported at the line it opened */
        EXPECT("a,b\nc,\"open\nmore\nmore\n", "1:[a][b]\nE2:OPEN\n");
        EXPECT_MSG("a,b\nc,\"open\nmore\nmore\n", 0,
                   "t:2: quoted field 2 is never closed, expected a closing quote before the end "
                   "of the file");
        EXPECT("\"", "E1:OPEN\n");
        EXPECT("\"abc\"\"", "E1:OPEN\n");
        EXPECT("x\n\n\"a\"\"\nb", "1:[x]\nE3:OPEN\n");

        /* text after the closing quote: on the line of the text */
        EXPECT("a\n\"x\ny\"z,b\n", "1:[a]\nE3:AFTER\n");
        EXPECT_MSG("a\n\"x\ny\"z,b\n", 0,
                   "t:3: text after the closing quote of field 1, expected a comma or the end of "
                   "the line");
        EXPECT("\"a\" ,b\n", "E1:AFTER\n");
        EXPECT("x,\"a\"\"b\"c\n", "E1:AFTER\n");

        /* a bare quote inside an unquoted field */
        EXPECT("a,b\nc,d\"e\n", "1:[a][b]\nE2:BARE\n");
        EXPECT_MSG("a,b\nc,d\"e\n", 0,
                   "t:2: quote inside unquoted field 2, expected the whole field in quotes with "
                   "\"\" for each quote");
        EXPECT(" \"a\"\n", "E1:BARE\n");
        EXPECT("ab\"\n", "E1:BARE\n");

        /* NUL bytes, anywhere */
        EXPECT("a,b\nc\0d\n", "1:[a][b]\nE2:NUL\n");
        EXPECT_MSG("a,b\nc\0d\n", 0,
                   "t:2: NUL byte in field 1, expected text (a UTF-16 file? save it as UTF-8)");
        EXPECT("\"a\nb\0\"", "E2:NUL\n");
        EXPECT("\"a\"\0", "E1:NUL\n");
        EXPECT("\0", "E1:NUL\n");
        EXPECT("\xFF\xFE"
               "C\0H\0,\0",
               "E1:NUL\n"); /* UTF-16LE */
        EXPECT("a\0\"", "E1:NUL\n");

        /* A syntax error is final: reading again repeats it. */
        static const char in[] = "ok\nbad\"\nok\n";
        struct csv_reader *r = csv_open_mem(in, sizeof in - 1, "f.csv");
        struct csv_record rec;
        struct err e = {0};
        assert_int_equal(csv_read(r, &rec, &e), 1);
        assert_int_equal(csv_read(r, &rec, &e), -1);
        assert_int_equal(e.code, EXIT_INPUT);
        assert_non_null(strstr(e.msg, "f.csv:2: "));
        struct err e2 = {0};
        assert_int_equal(csv_read(r, &rec, &e2), -1);
        assert_string_equal(e2.msg, e.msg);
        assert_int_equal(csv_read(r, &rec, NULL), -1);
        csv_free(r);
}

static void test_long_fields(void **state)
{
        (void)state;
        size_t big = 100000;
        char *in = malloc(big + 16);
        memset(in, 'x', big);
        memcpy(in + big, ",y\n", 3);
        struct csv_reader *r = csv_open_mem(in, big + 3, "t");
        struct csv_record rec;
        struct err e = {0};
        assert_int_equal(csv_read(r, &rec, &e), 1);
        assert_int_equal(rec.count, 2);
        assert_ptr_equal(rec.fields[0].ptr, in);
        assert_int_equal(rec.fields[0].len, big);
        assert_true(csv_field_eq(&rec.fields[1], "y"));
        assert_int_equal(csv_read(r, &rec, &e), 0);
        csv_free(r);
        free(in);

        /*
         * Five quoted fields of ~70 KiB, each with doubled quotes, in one record:
         * the scratch buffer grows while earlier fields already live in it.
         */
        const size_t per = 70000, nf = 5;
        char *src = malloc(nf * (2 * per + 4) + 8);
        char **want = calloc(nf, sizeof *want);
        size_t o = 0;
        for (size_t f = 0; f < nf; f++) {
                want[f] = malloc(per);
                src[o++] = '"';
                for (size_t i = 0; i < per; i++) {
                        char c = (i % 97 == 0) ? '"' : (char)('a' + (i + f) % 26);
                        if (i % 1001 == 500)
                                c = '\n';
                        want[f][i] = c;
                        src[o++] = c;
                        if (c == '"')
                                src[o++] = '"';
                }
                src[o++] = '"';
                src[o++] = f + 1 < nf ? ',' : '\n';
        }
        memcpy(src + o, "z\n", 2);
        o += 2;
        for (size_t k = 0; k < sizeof scanners / sizeof *scanners; k++) {
                if (csv_use_scanner(scanners[k]) < 0)
                        continue;
                r = csv_open_mem(src, o, "t");
                assert_int_equal(csv_read(r, &rec, &e), 1);
                assert_int_equal(rec.count, nf);
                for (size_t f = 0; f < nf; f++) {
                        assert_int_equal(rec.fields[f].len, per);
                        assert_int_equal(rec.fields[f].quoted, 1);
                        assert_memory_equal(rec.fields[f].ptr, want[f], per);
                }
                long newlines = 0;
                for (size_t i = 0; i < per; i++)
                        newlines += i % 1001 == 500;
                assert_int_equal(csv_read(r, &rec, &e), 1);
                assert_int_equal(rec.line, 2 + (long)nf * newlines);
                assert_true(csv_field_eq(&rec.fields[0], "z"));
                assert_int_equal(csv_read(r, &rec, &e), 0);
                csv_free(r);
        }
        csv_use_scanner(NULL);
        for (size_t f = 0; f < nf; f++)
                free(want[f]);
        free(want);
        free(src);
}

static void test_many_fields(void **state)
{
        (void)state;
        const size_t nf = 10000;
        char *in = malloc(2 * (nf * 8 + 16));
        size_t o = 0;
        for (size_t i = 0; i < nf; i++)
                o += (size_t)sprintf(in + o, "%zu%s", i, i + 1 < nf ? "," : "\n");
        /* twice, so the second record reuses the grown field array */
        memcpy(in + o, in, o);
        struct csv_reader *r = csv_open_mem(in, 2 * o, "t");
        csv_set_width(r, nf);
        struct csv_record rec;
        struct err e = {0};
        for (int pass = 0; pass < 2; pass++) {
                assert_int_equal(csv_read(r, &rec, &e), 1);
                assert_int_equal(rec.count, nf);
                assert_int_equal(rec.line, pass + 1);
                char tmp[16];
                for (size_t i = 0; i < nf; i += 997) {
                        snprintf(tmp, sizeof tmp, "%zu", i);
                        assert_true(csv_field_eq(&rec.fields[i], tmp));
                }
                assert_true(csv_field_eq(&rec.fields[nf - 1], "9999"));
        }
        assert_int_equal(csv_read(r, &rec, &e), 0);
        csv_free(r);
        free(in);

        /* Blocks that are all commas (64 fields per block), then a quoted field among them. */
        char commas[1100];
        memset(commas, ',', sizeof commas);
        memcpy(commas + 700, "\"q\"", 3);
        for (size_t k = 0; k < sizeof scanners / sizeof *scanners; k++) {
                if (csv_use_scanner(scanners[k]) < 0)
                        continue;
                r = csv_open_mem(commas, sizeof commas, "t");
                assert_int_equal(csv_read(r, &rec, &e), 1);
                assert_int_equal(rec.count, sizeof commas - 3 + 1);
                assert_int_equal(rec.fields[700].quoted, 1);
                assert_true(csv_field_eq(&rec.fields[700], "q"));
                for (size_t i = 0; i < rec.count; i++)
                        assert_int_equal(rec.fields[i].len, i == 700);
                assert_int_equal(csv_read(r, &rec, &e), 0);
                csv_free(r);
        }
        csv_use_scanner(NULL);

        /*
         * j one-letter fields, k empty ones, maybe a quoted field that crosses
         * into the next block, then a run of commas: the field array fills up
         * at every offset, also while a quoted field is being read.
         */
        char *dense = malloc(2 * 48 + 64 + 20 + 200 + 1);
        for (int quoted = 0; quoted < 2; quoted++) {
                for (size_t j = 0; j < 48; j++) {
                        for (size_t k = 0; k < 64; k++) {
                                size_t m = 0;
                                for (size_t i = 0; i < j; i++) {
                                        dense[m++] = 'a';
                                        dense[m++] = ',';
                                }
                                memset(dense + m, ',', k);
                                m += k;
                                if (quoted) {
                                        memcpy(dense + m, "\"qqqqqqqqqq\",", 13);
                                        m += 13;
                                }
                                memset(dense + m, ',', 200);
                                m += 200;
                                dense[m++] = '\n';
                                r = csv_open_mem(dense, m, "t");
                                assert_int_equal(csv_read(r, &rec, &e), 1);
                                assert_int_equal(rec.count, j + k + (size_t)quoted + 201);
                                assert_int_equal(rec.fields[rec.count - 1].len, 0);
                                assert_int_equal(rec.fields[j + k].len, quoted ? 10 : 0);
                                assert_int_equal(csv_read(r, &rec, &e), 0);
                                csv_free(r);
                        }
                }
        }
        free(dense);
}

/* Every interesting byte at every offset across the 64-byte block edges. */
static void test_block_edges(void **state)
{
        (void)state;
        static const char tail[] = ",\"b\"\"c\",\"d\ne\",f\r\ng\rh";
        char in[512], want[512];
        for (size_t k = 0; k < 200; k++) {
                memset(in, 'a', k);
                memcpy(in + k, tail, sizeof tail - 1);
                size_t n = k + sizeof tail - 1;
                int w = snprintf(want, sizeof want, "1:[%.*s]{b\"c}{d\ne}[f]\n3:[g]\n4:[h]\n",
                                 (int)k, in);
                assert_true(w > 0 && (size_t)w < sizeof want);
                expect_width(in, n, 0, want);
        }
        /* an unterminated quote whose last byte is at each edge */
        for (size_t k = 0; k < 140; k++) {
                memset(in, 'a', k);
                in[k] = '\n';
                in[k + 1] = '"';
                memset(in + k + 2, 'q', k);
                if (k)
                        snprintf(want, sizeof want, "1:[%.*s]\nE2:OPEN\n", (int)k, in);
                else
                        snprintf(want, sizeof want, "E2:OPEN\n");
                expect_width(in, 2 * k + 2, 0, want);
        }
}

/* Random inputs over a small alphabet; every scanner must agree with the reference. */
static void test_random_against_reference(void **state)
{
        (void)state;
        static const char alphabet[] = "aa,,\"\"\n\r\r\nb";
        uint64_t x = 0x1234567890abcdefULL;
        char buf[400] = {0};
        for (int iter = 0; iter < 4000; iter++) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                size_t n = x % sizeof buf;
                for (size_t i = 0; i < n; i++) {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        buf[i] = alphabet[x % (sizeof alphabet - 1)];
                        if (x % 5003 == 0)
                                buf[i] = '\0';
                }
                for (size_t width = 0; width < 3; width += 2) {
                        char *want = ref_parse(buf, n, width);
                        expect_width(buf, n, width, want);
                        free(want);
                }
        }
}

static char *temp_file(const char *content, size_t n)
{
        char *path = strdup("/tmp/test_csv_XXXXXX");
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, content, n), (ssize_t)n);
        close(fd);
        return path;
}

static void test_open_file(void **state)
{
        (void)state;
        static const char content[] = "\xEF\xBB\xBF"
                                      "CHILD,DECOM\r\n\"A1\",01/04/2024\r\nA2,\"02/04/2024\"";
        char *path = temp_file(content, sizeof content - 1);
        struct err e = {0};
        struct csv_reader *r = csv_open_file(path, &e);
        assert_non_null(r);
        assert_string_equal(csv_name(r), path);
        assert_int_equal(csv_size(r), sizeof content - 1);
        struct csv_record rec;
        assert_int_equal(csv_read(r, &rec, &e), 1);
        assert_true(csv_field_eq(&rec.fields[0], "CHILD"));
        assert_int_equal(csv_offset(r), 3 + 13);
        csv_set_width(r, rec.count);
        assert_int_equal(csv_read(r, &rec, &e), 1);
        assert_true(csv_field_eq(&rec.fields[0], "A1"));
        assert_true(csv_field_eq(&rec.fields[1], "01/04/2024"));
        assert_int_equal(rec.line, 2);
        assert_int_equal(csv_read(r, &rec, &e), 1);
        assert_true(csv_field_eq(&rec.fields[1], "02/04/2024"));
        assert_int_equal(rec.line, 3);
        assert_int_equal(csv_read(r, &rec, &e), 0);
        assert_int_equal(csv_offset(r), csv_size(r));
        csv_free(r);
        unlink(path);
        free(path);

        /* an empty file has no records */
        path = temp_file("", 0);
        r = csv_open_file(path, &e);
        assert_non_null(r);
        assert_int_equal(csv_size(r), 0);
        assert_int_equal(csv_read(r, &rec, &e), 0);
        csv_free(r);
        unlink(path);
        free(path);

        /* a malformed file names itself and the line */
        path = temp_file("a\nb\n\"c\n", 7);
        r = csv_open_file(path, &e);
        assert_non_null(r);
        assert_int_equal(csv_read(r, &rec, &e), 1);
        assert_int_equal(csv_read(r, &rec, &e), 1);
        assert_int_equal(csv_read(r, &rec, &e), -1);
        char want[256];
        snprintf(want, sizeof want,
                 "%s:3: quoted field 1 is never closed, expected a closing quote before the end "
                 "of the file",
                 path);
        assert_string_equal(e.msg, want);
        csv_free(r);
        unlink(path);
        free(path);
}

static void test_open_file_errors(void **state)
{
        (void)state;
        struct err e = {0};
        assert_null(csv_open_file("/nonexistent/dir/x.csv", &e));
        assert_int_equal(e.code, EXIT_INPUT);
        assert_string_equal(e.msg,
                            "/nonexistent/dir/x.csv: cannot open: No such file or directory");

        err_clear(&e);
        assert_null(csv_open_file("/tmp", &e));
        assert_int_equal(e.code, EXIT_INPUT);
        assert_string_equal(e.msg, "/tmp: cannot read: Is a directory");

        /* a NULL err is allowed */
        assert_null(csv_open_file("/nonexistent/dir/x.csv", NULL));
}

/* A pipe cannot be mapped: it is read into memory (more than one 64 KiB read). */
static void test_open_pipe(void **state)
{
        (void)state;
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        const int rows = 30000;
        if (pid == 0) {
                close(fds[0]);
                FILE *w = fdopen(fds[1], "w");
                for (int i = 0; i < rows; i++)
                        fprintf(w, "%d,\"r%d\"\n", i, i);
                fclose(w);
                _exit(0);
        }
        close(fds[1]);
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fds[0]);
        struct err e = {0};
        struct csv_reader *r = csv_open_file(path, &e);
        assert_non_null(r);
        close(fds[0]);
        int status = 0;
        waitpid(pid, &status, 0);
        assert_true(csv_size(r) > 65536);
        struct csv_record rec;
        int n = 0, rc;
        char tmp[32];
        while ((rc = csv_read(r, &rec, &e)) == 1) {
                snprintf(tmp, sizeof tmp, "r%d", n);
                assert_true(csv_field_eq(&rec.fields[1], tmp));
                n++;
        }
        assert_int_equal(rc, 0);
        assert_int_equal(n, rows);
        csv_free(r);
}

static void test_field_eq(void **state)
{
        (void)state;
        struct csv_field f = {"abc", 3, 0};
        assert_true(csv_field_eq(&f, "abc"));
        assert_false(csv_field_eq(&f, "ab"));
        assert_false(csv_field_eq(&f, "abcd"));
        assert_false(csv_field_eq(&f, "ABC"));
        assert_false(csv_field_eq(&f, ""));
        assert_true(csv_field_eq_nocase(&f, "ABC"));
        assert_true(csv_field_eq_nocase(&f, "aBc"));
        assert_false(csv_field_eq_nocase(&f, "abd"));
        assert_false(csv_field_eq_nocase(&f, "ab"));
        assert_false(csv_field_eq_nocase(&f, "abcd"));

        /* a field is not NUL-terminated: only its length counts */
        struct csv_field g = {"E11,E12", 3, 0};
        assert_true(csv_field_eq(&g, "E11"));
        assert_false(csv_field_eq(&g, "E11,"));
        assert_true(csv_field_eq_nocase(&g, "e11"));

        struct csv_field empty = {"", 0, 1};
        assert_true(csv_field_eq(&empty, ""));
        assert_true(csv_field_eq_nocase(&empty, ""));

        /* only ASCII letters fold: '[' and '{' differ by the case bit but are not letters */
        struct csv_field br = {"[@", 2, 0};
        assert_false(csv_field_eq_nocase(&br, "{`"));
        struct csv_field acc = {"\xC3\x89", 2, 0}; /* É stays É */
        assert_false(csv_field_eq_nocase(&acc, "\xC3\xA9"));
}

static char *written(void (*fn)(FILE *, const char *, size_t), const char *s, size_t n)
{
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);
        fn(f, s, n);
        fclose(f);
        return out;
}

static void test_write_field(void **state)
{
        (void)state;
        static const struct {
                const char *in, *out;
        } cases[] = {
            {"plain", "plain"},           {"", ""},
            {"a,b", "\"a,b\""},           {"say \"hi\"", "\"say \"\"hi\"\"\""},
            {"\"", "\"\"\"\""},           {"line\nbreak", "\"line\nbreak\""},
            {"cr\r", "\"cr\r\""},         {" spaced ", " spaced "},
            {"01/04/2024", "01/04/2024"},
        };
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
                char *got = written(csv_write_field, cases[i].in, strlen(cases[i].in));
                assert_string_equal(got, cases[i].out);
                free(got);
        }
        /* only the first n bytes are written */
        char *got = written(csv_write_field, "ab,cd", 2);
        assert_string_equal(got, "ab");
        free(got);

        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);
        csv_write_str(f, "x,y");
        fputc(',', f);
        csv_write_str(f, NULL);
        fputc(',', f);
        csv_write_str(f, "z");
        fclose(f);
        assert_string_equal(out, "\"x,y\",,z");
        free(out);
}

/* Whatever is written reads back the same. */
static void test_write_round_trip(void **state)
{
        (void)state;
        static const char *const values[] = {
            "plain",      "",
            "a,b",        "\"",
            "\"\"",       "say \"hi\", then \"bye\"",
            "two\nlines", "crlf\r\nend",
            "lone\rcr",   ",",
            "\n",         " ",
            "trailing,",
        };
        const size_t nv = sizeof values / sizeof *values;
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);
        for (int row = 0; row < 3; row++) {
                for (size_t i = 0; i < nv; i++) {
                        if (i)
                                fputc(',', f);
                        csv_write_str(f, values[(i + (size_t)row) % nv]);
                }
                fputs("\r\n", f);
        }
        fclose(f);
        struct csv_reader *r = csv_open_mem(out, len, "t");
        csv_set_width(r, nv);
        struct csv_record rec;
        struct err e = {0};
        for (int row = 0; row < 3; row++) {
                assert_int_equal(csv_read(r, &rec, &e), 1);
                for (size_t i = 0; i < nv; i++) {
                        const char *v = values[(i + (size_t)row) % nv];
                        assert_int_equal(rec.fields[i].len, strlen(v));
                        assert_memory_equal(rec.fields[i].ptr, v, strlen(v));
                }
        }
        assert_int_equal(csv_read(r, &rec, &e), 0);
        csv_free(r);
        free(out);
}

static void test_offsets(void **state)
{
        (void)state;
        static const char in[] = "ab,c\r\n\n\"d\ne\"\n";
        struct csv_reader *r = csv_open_mem(in, sizeof in - 1, "t");
        struct csv_record rec;
        assert_int_equal(csv_size(r), sizeof in - 1);
        assert_int_equal(csv_offset(r), 0);
        assert_int_equal(csv_read(r, &rec, NULL), 1);
        assert_int_equal(csv_offset(r), 6);
        assert_int_equal(csv_read(r, &rec, NULL), 1);
        assert_int_equal(rec.line, 3);
        assert_int_equal(csv_offset(r), sizeof in - 1);
        assert_int_equal(csv_read(r, &rec, NULL), 0);
        assert_int_equal(csv_read(r, &rec, NULL), 0); /* the end stays the end */
        csv_free(r);
        csv_free(NULL);
}

static void test_scanner_choice(void **state)
{
        (void)state;
        const char *dflt = csv_scanner();
        assert_int_equal(csv_use_scanner("bogus"), -1);
        assert_string_equal(csv_scanner(), dflt);
        assert_int_equal(csv_use_scanner("scalar"), 0);
        assert_string_equal(csv_scanner(), "scalar");
        assert_int_equal(csv_use_scanner(NULL), 0);
        assert_string_equal(csv_scanner(), dflt);
#if defined(__x86_64__)
        assert_int_equal(csv_use_scanner("sse2"), 0);
        assert_string_equal(csv_scanner(), "sse2");
        csv_use_scanner(NULL);
        assert_true(strcmp(dflt, "scalar") != 0);
#endif
}

/*
 * Published files that break RFC 4180, with the error the reader must give.
 * summary_page_metadata.csv has R code in an unquoted cell:
 *   list('characteristic' = "Secure homes and children's homes")
 */
static const struct {
        const char *file, *error;
} known_bad[] = {
    {"summary_page_metadata.csv",
     ":50: quote inside unquoted field 9, expected the whole field in quotes with \"\" for "
     "each quote"},
};

static const char *known_error(const char *name)
{
        for (size_t i = 0; i < sizeof known_bad / sizeof *known_bad; i++)
                if (strcmp(name, known_bad[i].file) == 0)
                        return known_bad[i].error;
        return NULL;
}

/* Every CSV in a shared data folder parses with the header's width throughout. */
static int check_dir(const char *dir)
{
        DIR *d = opendir(dir);
        if (!d)
                return -1;
        int files = 0;
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
                size_t n = strlen(de->d_name);
                if (n < 5 || strcmp(de->d_name + n - 4, ".csv") != 0)
                        continue;
                char path[1024];
                snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
                struct err e = {0};
                struct csv_reader *r = csv_open_file(path, &e);
                if (!r)
                        fail_msg("%s", e.msg);
                struct csv_record rec;
                int rc = csv_read(r, &rec, &e);
                if (rc != 1)
                        fail_msg("%s: no header (%s)", path, e.msg);
                assert_true(rec.count >= 1);
                /* a BOM never leaks into the first column name */
                assert_true((unsigned char)rec.fields[0].ptr[0] != 0xEF);
                csv_set_width(r, rec.count);
                long records = 0;
                while ((rc = csv_read(r, &rec, &e)) == 1)
                        records++;
                const char *bad = known_error(de->d_name);
                if (bad) {
                        assert_int_equal(rc, -1);
                        size_t ml = strlen(e.msg), bl = strlen(bad);
                        assert_true(ml > bl);
                        assert_string_equal(e.msg + ml - bl, bad);
                        assert_memory_equal(e.msg, path, strlen(path));
                        csv_free(r);
                        files++;
                        continue;
                }
                if (rc != 0)
                        fail_msg("%s", e.msg);
                assert_true(records > 0);
                assert_int_equal(csv_offset(r), csv_size(r));
                csv_free(r);
                files++;
        }
        closedir(d);
        return files;
}

static void test_shared_data(void **state)
{
        (void)state;
        static const char *const dirs[] = {"../shared/data/spec", "../shared/data/dfe-published"};
        int found = 0;
        for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
                int n = check_dir(dirs[i]);
                if (n < 0)
                        continue;
                found++;
                assert_true(n > 0);
        }
        if (!found) {
                print_message("skipping: ../shared/data/spec and ../shared/data/dfe-published "
                              "are absent (run from the repository root with shared data)\n");
                skip();
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_simple),
            cmocka_unit_test(test_quoted),
            cmocka_unit_test(test_embedded_newlines),
            cmocka_unit_test(test_line_ends),
            cmocka_unit_test(test_bom),
            cmocka_unit_test(test_final_newline),
            cmocka_unit_test(test_blank_lines),
            cmocka_unit_test(test_empty_fields),
            cmocka_unit_test(test_ragged),
            cmocka_unit_test(test_malformed),
            cmocka_unit_test(test_long_fields),
            cmocka_unit_test(test_many_fields),
            cmocka_unit_test(test_block_edges),
            cmocka_unit_test(test_random_against_reference),
            cmocka_unit_test(test_open_file),
            cmocka_unit_test(test_open_file_errors),
            cmocka_unit_test(test_open_pipe),
            cmocka_unit_test(test_field_eq),
            cmocka_unit_test(test_write_field),
            cmocka_unit_test(test_write_round_trip),
            cmocka_unit_test(test_offsets),
            cmocka_unit_test(test_scanner_choice),
            cmocka_unit_test(test_shared_data),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
