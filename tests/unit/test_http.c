/* test_http.c — request parsers (query strings, forms, cookies, multipart) and response helpers. */
#include "test.h"

#include "core/arena.h"
#include "core/err.h"
#include "web/http.h"

static struct arena A;

static int setup(void **state)
{
        (void)state;
        arena_init(&A, 0);
        return 0;
}

static int teardown(void **state)
{
        (void)state;
        arena_release(&A);
        return 0;
}

static int parse(const char *s, struct http_params *p)
{
        struct err e = {0};
        int rc = http_parse_urlencoded(&A, s, strlen(s), p, &e);
        if (rc)
                assert_int_equal(e.code, EXIT_INPUT);
        return rc;
}

static void test_urlencoded(void **state)
{
        (void)state;
        struct http_params p;
        assert_int_equal(parse("email=a%40b.org&password=p+w%2Bx&next=%2F", &p), 0);
        assert_int_equal(p.n, 3);
        assert_string_equal(http_param_get(&p, "email"), "a@b.org");
        assert_string_equal(http_param_get(&p, "password"), "p w+x");
        assert_string_equal(http_param_get(&p, "next"), "/");
        assert_null(http_param_get(&p, "missing"));

        /* Empty pairs skipped, a name without '=' has an empty value, the first value wins. */
        assert_int_equal(parse("&&a&b=&a=2&=x&", &p), 0);
        assert_int_equal(p.n, 3);
        assert_string_equal(http_param_get(&p, "a"), "");
        assert_string_equal(http_param_get(&p, "b"), "");
        assert_int_equal(p.v[2].value[0], '2');

        /* UTF-8 values decode; lower-case hex too. */
        assert_int_equal(parse("n=caf%c3%a9", &p), 0);
        assert_string_equal(http_param_get(&p, "n"), "caf\xC3\xA9");
        assert_int_equal(p.v[0].value_len, 5);

        assert_int_equal(parse("", &p), 0);
        assert_int_equal(p.n, 0);
}

static void test_urlencoded_refused(void **state)
{
        (void)state;
        struct http_params p;
        assert_int_equal(parse("a=%", &p), -1);      /* truncated escape */
        assert_int_equal(parse("a=%4", &p), -1);     /* truncated escape */
        assert_int_equal(parse("a=%zz", &p), -1);    /* not hex */
        assert_int_equal(parse("a=x%00y", &p), -1);  /* decoded NUL */
        assert_int_equal(parse("a=%FF", &p), -1);    /* invalid UTF-8 */
        assert_int_equal(parse("a=%C0%BC", &p), -1); /* overlong '<' */
        assert_int_equal(parse("%ZZ=1", &p), -1);    /* bad name */
        /* More pairs than the limit. */
        char big[4 * 300 + 1];
        size_t k = 0;
        for (int i = 0; i < 300; i++) {
                memcpy(big + k, "a=1&", 4);
                k += 4;
        }
        big[k] = '\0';
        assert_int_equal(parse(big, &p), -1);
        /* Exactly at the limit is fine (255 separators: 256 pairs). */
        big[4 * 256 - 1] = '\0';
        assert_int_equal(parse(big, &p), 0);
        assert_int_equal(p.n, 256);
}

static void test_cookies(void **state)
{
        (void)state;
        struct http_params p;
        http_parse_cookies(&A, "improve_session=abc; other=1;  spaced = yes ; quoted=\"q v\"", &p);
        assert_int_equal(p.n, 4);
        assert_string_equal(http_param_get(&p, "improve_session"), "abc");
        assert_string_equal(http_param_get(&p, "other"), "1");
        assert_string_equal(http_param_get(&p, "spaced"), "yes");
        assert_string_equal(http_param_get(&p, "quoted"), "q v");
        /* Junk is skipped, never an error. */
        http_parse_cookies(&A, ";;=novalue; noequals; ok=1;", &p);
        assert_int_equal(p.n, 1);
        assert_string_equal(http_param_get(&p, "ok"), "1");
        http_parse_cookies(&A, NULL, &p);
        assert_int_equal(p.n, 0);
        http_parse_cookies(&A, "", &p);
        assert_int_equal(p.n, 0);
        /* An empty value is kept; a lone quote is not stripped. */
        http_parse_cookies(&A, "a=; b=\"", &p);
        assert_int_equal(p.n, 2);
        assert_string_equal(http_param_get(&p, "a"), "");
        assert_string_equal(http_param_get(&p, "b"), "\"");
}

#define CT "multipart/form-data; boundary=XyZ"

static void test_multipart(void **state)
{
        (void)state;
        const char body[] = "--XyZ\r\n"
                            "Content-Disposition: form-data; name=\"csrf\"\r\n"
                            "\r\n"
                            "tok\r\n"
                            "--XyZ\r\n"
                            "Content-Disposition: form-data; name=\"file\"; "
                            "filename=\"../../etc/passwd\"\r\n"
                            "Content-Type: text/csv\r\n"
                            "\r\n"
                            "a,b\r\n1,2\r\n"
                            "\r\n"
                            "--XyZ--\r\n";
        struct http_parts p;
        struct err e = {0};
        assert_int_equal(http_parse_multipart(&A, CT, body, sizeof body - 1, &p, &e), 0);
        assert_int_equal(p.n, 2);
        assert_string_equal(p.v[0].name, "csrf");
        assert_null(p.v[0].filename);
        assert_int_equal(p.v[0].len, 3);
        assert_memory_equal(p.v[0].data, "tok", 3);
        const struct http_part *f = http_part_get(&p, "file");
        assert_non_null(f);
        /* The file name is kept as sent; nothing uses it as a path. */
        assert_string_equal(f->filename, "../../etc/passwd");
        assert_string_equal(f->content_type, "text/csv");
        assert_int_equal(f->len,
                         10); /* "a,b\r\n1,2\r\n": the CRLF before the delimiter is not data */
        assert_memory_equal(f->data, "a,b\r\n1,2\r\n", 10);
        assert_null(http_part_get(&p, "nope"));

        /* Quoted boundary, preamble before the first delimiter. */
        const char body2[] = "preamble\r\n--b 1\r\n"
                             "Content-Disposition: form-data; name=\"x\"\r\n\r\n"
                             "v\r\n--b 1--";
        assert_int_equal(http_parse_multipart(&A, "multipart/form-data; boundary=\"b 1\"", body2,
                                              sizeof body2 - 1, &p, &e),
                         0);
        assert_int_equal(p.n, 1);
        assert_memory_equal(p.v[0].data, "v", 1);
}

static void test_multipart_refused(void **state)
{
        (void)state;
        struct http_parts p;
        struct err e = {0};
        const char ok_part[] = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n";
        char buf[512];
        /* No closing delimiter. */
        assert_int_equal(http_parse_multipart(&A, CT, ok_part, sizeof ok_part - 1, &p, &e), -1);
        assert_int_equal(e.code, EXIT_INPUT);
        /* No boundary parameter, or not multipart at all. */
        snprintf(buf, sizeof buf, "%s--XyZ--", ok_part);
        assert_int_equal(http_parse_multipart(&A, "multipart/form-data", buf, strlen(buf), &p, &e),
                         -1);
        assert_int_equal(http_parse_multipart(&A, "text/plain", buf, strlen(buf), &p, &e), -1);
        assert_int_equal(http_parse_multipart(&A, CT, buf, strlen(buf), &p, &e), 0);
        /* A part without a name. */
        const char noname[] = "--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XyZ--";
        assert_int_equal(http_parse_multipart(&A, CT, noname, sizeof noname - 1, &p, &e), -1);
        /* Headers that never end. */
        const char nohdrend[] = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"";
        assert_int_equal(http_parse_multipart(&A, CT, nohdrend, sizeof nohdrend - 1, &p, &e), -1);
        /* Boundary not found at all. */
        assert_int_equal(http_parse_multipart(&A, CT, "nothing", 7, &p, &e), -1);
        /* An unterminated quoted name. */
        const char badq[] = "--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--XyZ--";
        assert_int_equal(http_parse_multipart(&A, CT, badq, sizeof badq - 1, &p, &e), -1);
}

static void test_response_helpers(void **state)
{
        (void)state;
        struct http_request req = {.arena = &A, .method = "GET", .path = "/"};
        struct http_response r;
        http_response_init(&r);
        http_set_cookie(&req, &r, "s", "v", 60, 0);
        assert_string_equal(http_response_header_get(&r, "set-cookie"),
                            "s=v; Path=/; HttpOnly; SameSite=Strict; Max-Age=60");
        http_response_release(&r);

        http_response_init(&r);
        req.tls = 1;
        http_set_cookie(&req, &r, "s", "v", 0, HTTP_COOKIE_SESSION);
        assert_string_equal(http_response_header_get(&r, "Set-Cookie"),
                            "s=v; Path=/; HttpOnly; SameSite=Strict; Secure");
        http_security_headers(&req, &r);
        const char *csp = http_response_header_get(&r, "Content-Security-Policy");
        assert_non_null(csp);
        assert_non_null(strstr(csp, "script-src 'self'"));
        assert_non_null(strstr(csp, "frame-ancestors 'none'"));
        assert_null(strstr(csp, "unsafe-inline"));
        assert_string_equal(http_response_header_get(&r, "X-Content-Type-Options"), "nosniff");
        assert_string_equal(http_response_header_get(&r, "Cache-Control"), "no-store");
        assert_non_null(http_response_header_get(&r, "Referrer-Policy"));
        assert_non_null(http_response_header_get(&r, "Strict-Transport-Security"));
        http_response_release(&r);

        http_response_init(&r);
        req.tls = 0;
        http_set_cookie(&req, &r, "s", "ignored", 0, HTTP_COOKIE_DELETE);
        assert_string_equal(http_response_header_get(&r, "Set-Cookie"),
                            "s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
        r.cacheable = 1;
        http_security_headers(&req, &r);
        assert_string_equal(http_response_header_get(&r, "Cache-Control"),
                            "public, max-age=31536000, immutable");
        assert_null(http_response_header_get(&r, "Strict-Transport-Security"));
        http_response_release(&r);

        /* Redirects only go to local paths. */
        const char *targets[][2] = {
            {"/admin/users", "/admin/users"},
            {"//evil.example", "/"},
            {"https://evil", "/"},
            {"/\\evil", "/"},
            {"/a\r\nSet-Cookie: x", "/"},
            {NULL, "/"},
        };
        for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
                http_response_init(&r);
                http_redirect(&req, &r, targets[i][0]);
                assert_int_equal(r.status, 303);
                assert_string_equal(http_response_header_get(&r, "Location"), targets[i][1]);
                http_response_release(&r);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_urlencoded),        cmocka_unit_test(test_urlencoded_refused),
            cmocka_unit_test(test_cookies),           cmocka_unit_test(test_multipart),
            cmocka_unit_test(test_multipart_refused), cmocka_unit_test(test_response_helpers),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
