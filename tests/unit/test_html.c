/* test_html.c — the escaping HTML writer: text, attributes, URLs, repair of bad UTF-8. */
#include "test.h"

#include "core/buf.h"
#include "web/html.h"

/* Run one writer function over `in` (length n) and compare with `want`. */
enum which { TEXT, ATTR, URL, PARAM };

static void check_n(enum which w, const char *in, size_t n, const char *want)
{
        struct buf b;
        buf_init(&b);
        struct html h;
        html_init(&h, &b);
        switch (w) {
        case TEXT:
                html_textn(&h, in, n);
                break;
        case ATTR:
                html_attr(&h, in);
                break;
        case URL:
                html_url(&h, in);
                break;
        case PARAM:
                html_url_param(&h, in);
                break;
        }
        if (strcmp(b.data, want) != 0)
                fail_msg("escaping [%s]: got [%s], want [%s]", in, b.data, want);
        buf_release(&b);
}

static void check(enum which w, const char *in, const char *want)
{
        check_n(w, in, strlen(in), want);
}

static void test_text_specials(void **state)
{
        (void)state;
        check(TEXT, "plain text 123", "plain text 123");
        check(TEXT, "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;");
        check(TEXT, "Tom & Jerry's \"show\"", "Tom &amp; Jerry&#39;s &quot;show&quot;");
        check(TEXT, "&amp;", "&amp;amp;");       /* already-escaped text is escaped again */
        check(TEXT, "a\nb\tc\rd", "a\nb\tc\rd"); /* whitespace kept in text */
        check(TEXT, "", "");
        /* A NUL inside a counted string becomes U+FFFD, as do other controls. */
        check_n(TEXT, "a\0b", 3,
                "a\xEF\xBF\xBD"
                "b");
        check(TEXT, "bell\x07", "bell\xEF\xBF\xBD");
        check(TEXT, "del\x7F", "del\xEF\xBF\xBD");
        /* C1 control U+0085 (C2 85) is replaced too. */
        check(TEXT, "c1\xC2\x85", "c1\xEF\xBF\xBD");
}

static void test_text_utf8(void **state)
{
        (void)state;
        /* Valid multibyte text passes unchanged: é, €, 😀. */
        check(TEXT, "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80",
              "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
        /* A lone continuation byte. */
        check(TEXT, "a\x80z", "a\xEF\xBF\xBDz");
        /* Overlong encodings of '<' (C0 BC) and '/' (E0 80 AF) must not turn into markup. */
        check(TEXT, "\xC0\xBC", "\xEF\xBF\xBD\xEF\xBF\xBD");
        check(TEXT, "\xE0\x80\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
        /* A surrogate (ED A0 80) is invalid: one U+FFFD for ED, then one per stray byte. */
        check(TEXT, "\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
        /* A truncated 3-byte sequence followed by ASCII: one U+FFFD, then the ASCII. */
        check(TEXT, "\xE2\x82<", "\xEF\xBF\xBD&lt;");
        /* Above U+10FFFF (F4 90 80 80) and bytes that never appear (F5, FF). */
        check(TEXT, "\xF4\x90\x80\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
        check(TEXT, "\xF5\xFF", "\xEF\xBF\xBD\xEF\xBF\xBD");
        /* Truncated at the very end. */
        check(TEXT, "x\xF0\x9F\x98", "x\xEF\xBF\xBD");
}

static void test_attr_edges(void **state)
{
        (void)state;
        check(ATTR, "a\" onmouseover=\"x", "a&quot; onmouseover=&quot;x");
        check(ATTR, "it's", "it&#39;s");
        check(ATTR, "<>&", "&lt;&gt;&amp;");
        check(ATTR, "line1\nline2", "line1&#10;line2");
        check(ATTR, "cr\r\ntab\t", "cr&#13;&#10;tab&#9;");
        check(ATTR, "`backtick` = fine", "`backtick` = fine");
        check(ATTR, "bad\xFFutf8", "bad\xEF\xBF\xBDutf8");
        check(ATTR, "", "");
}

static void test_url(void **state)
{
        (void)state;
        check(URL, "/admin/users", "/admin/users");
        check(URL, "/a?x=1&y=2", "/a?x=1&amp;y=2");
        check(URL, "https://example.org/p", "https://example.org/p");
        check(URL, "HTTP://example.org", "HTTP://example.org");
        check(URL, "mailto:a@b.c", "mailto:a@b.c");
        check(URL, "#main", "#main");
        check(URL, "page?q=1", "page?q=1");
        /* Dangerous schemes and other-host forms become "#". */
        check(URL, "javascript:alert(1)", "#");
        check(URL, "JaVaScRiPt:alert(1)", "#");
        check(URL, " javascript:alert(1)", "#");
        check(URL, "java\tscript:alert(1)", "#");
        check(URL, "data:text/html,<script>", "#");
        check(URL, "vbscript:x", "#");
        check(URL, "//evil.example/", "#");
        check(URL, "/\\evil.example/", "#");
        check(URL, "\\\\evil", "#");
        check(URL, "", "#");
        /* A colon after the first slash is not a scheme. */
        check(URL, "/a:b", "/a:b");
        /* Quotes, brackets, spaces and non-ASCII are percent-encoded. */
        check(URL, "/x?a=\"<b> c'", "/x?a=%22%3Cb%3E%20c%27");
        check(URL, "/caf\xC3\xA9", "/caf%C3%A9");
        check(URL, "/bad\xFF", "/bad%EF%BF%BD");
        check(URL, "/new\nline", "/newline");
}

static void test_url_param(void **state)
{
        (void)state;
        check(PARAM, "/admin/users", "%2Fadmin%2Fusers");
        check(PARAM, "a b&c=d", "a%20b%26c%3Dd");
        check(PARAM, "Az09-._~", "Az09-._~");
        check(PARAM, "\xC3\xA9", "%C3%A9");
}

static void test_lit_and_format(void **state)
{
        (void)state;
        struct buf b;
        buf_init(&b);
        struct html h;
        html_init(&h, &b);
        html_lit(&h, "<p class=\"x\">");
        html_textf(&h, "%s & %d", "<b>", 42);
        html_lit(&h, "</p><a title=\"");
        html_attrf(&h, "%s", "say \"hi\"\n");
        html_lit(&h, "\">");
        html_int(&h, -7);
        html_text(&h, NULL); /* NULL writes nothing */
        assert_string_equal(b.data, "<p class=\"x\">&lt;b&gt; &amp; 42</p><a title=\"say "
                                    "&quot;hi&quot;&#10;\">-7");
        /* A formatted string longer than the writer's stack buffer. */
        buf_reset(&b);
        char big[600];
        memset(big, '<', sizeof big - 1);
        big[sizeof big - 1] = '\0';
        html_textf(&h, "%s", big);
        assert_int_equal(b.len, 4 * (sizeof big - 1));
        assert_memory_equal(b.data, "&lt;&lt;", 8);
        buf_release(&b);
}

static void test_utf8_valid(void **state)
{
        (void)state;
        assert_true(html_utf8_valid("abc", 3));
        assert_true(html_utf8_valid("\xE2\x82\xAC", 3));
        assert_true(html_utf8_valid("\xEF\xBF\xBD", 3)); /* a real U+FFFD is valid */
        assert_false(html_utf8_valid("a\0b", 3));
        assert_false(html_utf8_valid("\xC0\xAF", 2));
        assert_false(html_utf8_valid("\xE2\x82", 2));
        assert_false(html_utf8_valid("\xED\xB0\x80", 3));
        uint32_t cp;
        assert_int_equal(html_utf8_next((const unsigned char *)"\xF0\x9F\x98\x80", 4, &cp), 4);
        assert_int_equal(cp, 0x1F600);
        assert_int_equal(html_utf8_next((const unsigned char *)"\xC3\xA9", 2, &cp), 2);
        assert_int_equal(cp, 0xE9);
        /* A valid lead then a bad second byte: only the lead is consumed. */
        assert_int_equal(html_utf8_next((const unsigned char *)"\xE2(", 2, &cp), 1);
        assert_int_equal(cp, 0xFFFD);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_text_specials), cmocka_unit_test(test_text_utf8),
            cmocka_unit_test(test_attr_edges),    cmocka_unit_test(test_url),
            cmocka_unit_test(test_url_param),     cmocka_unit_test(test_lit_and_format),
            cmocka_unit_test(test_utf8_valid),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
