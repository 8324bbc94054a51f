/*
 * test_spc_svg.c — the SVG chart writer (src/stats/spc_svg.c): escaping of
 * every piece of caller text, well-formed XML (parsed with libxml2) whatever
 * the labels contain, and the accessibility parts the chart promises: role,
 * title, desc, direct labels, one marker shape per point type.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/err.h"
#include "stats/runchart.h"
#include "stats/spc.h"
#include "stats/spc_svg.h"

#include <libxml/parser.h>
#include <math.h>
#include <string.h>

static const double e11[] = {52, 48, 50, 55, 47, 51, 49, 53, 50, 46,
                             54, 51, 58, 57, 59, 56, 60, 58, 57, 61};

static void escaped(const char *in, const char *want)
{
        struct buf b;
        buf_init(&b);
        spc_svg_escape(&b, in);
        assert_string_equal(b.data, want);
        buf_release(&b);
}

static void escape_text(void **state)
{
        (void)state;
        escaped("plain 2024-03", "plain 2024-03");
        escaped("<script>&\"'", "&lt;script&gt;&amp;&quot;&apos;");
        escaped("&amp;", "&amp;amp;");
        escaped("Anh\xC3\xB8j", "Anh\xC3\xB8j");                         /* valid UTF-8 kept */
        escaped("a\x01z", "a\xEF\xBF\xBDz");                             /* control character */
        escaped("tab\tnl\n", "tab\tnl\n");                               /* allowed in XML */
        escaped("bad\xFFx", "bad\xEF\xBF\xBDx");                         /* not UTF-8 */
        escaped("\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD");                 /* overlong '/' */
        escaped("\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); /* surrogate */
        escaped("cut\xE2\x82", "cut\xEF\xBF\xBD\xEF\xBF\xBD");           /* truncated sequence */
}

static int well_formed(const struct buf *b)
{
        xmlDocPtr doc = xmlReadMemory(b->data, (int)b->len, "chart.svg", NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        if (!doc)
                return 0;
        xmlNodePtr root = xmlDocGetRootElement(doc);
        int ok = root && strcmp((const char *)root->name, "svg") == 0;
        xmlFreeDoc(doc);
        return ok;
}

static size_t count(const char *hay, const char *needle)
{
        size_t n = 0;
        for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
                n++;
        return n;
}

static void xmr_chart_parts(void **state)
{
        (void)state;
        const char *periods[20];
        char text[20][24];
        for (int i = 0; i < 20; i++) {
                snprintf(text[i], sizeof text[i], "<m%d>&\"", i + 1);
                periods[i] = text[i];
        }
        struct spc_options o;
        spc_options_init(&o);
        o.has_target = 1;
        o.target = 45;
        struct spc_chart c;
        struct err e;
        err_clear(&e);
        assert_int_equal(spc_xmr(e11, 20, &o, &c, &e), 0);
        struct buf b;
        buf_init(&b);
        spc_svg_xmr(&b, &c, periods, "Referrals <per 10,000> & \"re-referrals\"");
        assert_true(well_formed(&b));
        assert_non_null(strstr(b.data, "role=\"img\""));
        assert_non_null(strstr(b.data, "aria-labelledby=\"spc-title spc-desc\""));
        assert_non_null(strstr(b.data, "<title id=\"spc-title\">Referrals &lt;per 10,000&gt; "
                                       "&amp; &quot;re-referrals&quot;</title>"));
        assert_null(strstr(b.data, "<m1>"));
        assert_non_null(strstr(b.data, "&lt;m13&gt;&amp;&quot;: 58, special cause improvement "
                                       "(part of 7 or more points above the mean)"));
        /* The description says the message in words. */
        assert_non_null(strstr(b.data, "<desc id=\"spc-desc\">XmR chart of 20 points"));
        assert_non_null(strstr(b.data, "mean 53.6, process limits 43.66 to 63.54"));
        assert_non_null(strstr(b.data, "8 points show special cause variation: 8 improvement"));
        assert_non_null(strstr(b.data, "Variation: special cause improvement (high)"));
        assert_non_null(strstr(b.data, "Assurance against the target of 45: inconsistent"));
        /* Direct labels on the lines. */
        assert_non_null(strstr(b.data, ">Upper limit 63.54</text>"));
        assert_non_null(strstr(b.data, ">Mean 53.6</text>"));
        assert_non_null(strstr(b.data, ">Lower limit 43.66</text>"));
        assert_non_null(strstr(b.data, ">Target 45</text>"));
        /* 12 common-cause circles (+1 in the legend), 8 improvement triangles (+1). */
        assert_int_equal(count(b.data, "<circle"), 13);
        assert_int_equal(count(b.data, "fill=\"#12436D\""), 9);
        assert_int_equal(count(b.data, "fill=\"#F46A25\""), 0);
        buf_release(&b);
        spc_chart_release(&c);

        /* Lower is better: the same points are concerns, drawn as orange squares. */
        o.direction = SPC_DECREASE;
        err_clear(&e);
        assert_int_equal(spc_xmr(e11, 20, &o, &c, &e), 0);
        buf_init(&b);
        spc_svg_xmr(&b, &c, periods, "t");
        assert_true(well_formed(&b));
        assert_int_equal(count(b.data, "<rect x="), 9);
        assert_int_equal(count(b.data, "fill=\"#F46A25\""), 9);
        assert_non_null(strstr(b.data, "Concern (square)"));
        buf_release(&b);
        spc_chart_release(&c);
}

static void odd_charts_stay_well_formed(void **state)
{
        (void)state;
        /* No points, one point, a flat series, missing values, garbage labels. */
        const char *labels[] = {"\xFF\xFE", "a\x02", "]]>", "<!--", "&#0;"};
        double flat[] = {3, 3, 3, 3, 3};
        double gaps[] = {1, NAN, 2, NAN, 3};
        const double *series[] = {NULL, flat, flat, gaps};
        size_t sizes[] = {0, 1, 5, 5};
        for (size_t k = 0; k < 4; k++) {
                struct spc_options o;
                spc_options_init(&o);
                struct spc_chart c;
                struct err e;
                err_clear(&e);
                assert_int_equal(spc_xmr(series[k], sizes[k], &o, &c, &e), 0);
                struct buf b;
                buf_init(&b);
                spc_svg_xmr(&b, &c, labels, "\x01title");
                if (!well_formed(&b))
                        fail_msg("xmr case %zu is not well-formed XML:\n%s", k, b.data);
                buf_release(&b);
                spc_chart_release(&c);

                struct runchart_options ro;
                runchart_options_init(&ro);
                struct runchart rc;
                assert_int_equal(runchart_compute(series[k], sizes[k], &ro, &rc, &e), 0);
                buf_init(&b);
                spc_svg_run(&b, &rc, series[k], labels, "run");
                if (!well_formed(&b))
                        fail_msg("run case %zu is not well-formed XML:\n%s", k, b.data);
                buf_release(&b);
                runchart_release(&rc);
        }
}

static void run_chart_parts(void **state)
{
        (void)state;
        const double y[] = {5, 7, 6, 8, 9, 9, 4, 10, 11, 12, 12, 13, 12, 14, 15, 14};
        const char *periods[16];
        char text[16][16];
        for (int i = 0; i < 16; i++) {
                snprintf(text[i], sizeof text[i], "p%d", i + 1);
                periods[i] = text[i];
        }
        struct runchart_options o;
        runchart_options_init(&o);
        struct runchart rc;
        struct err e;
        err_clear(&e);
        assert_int_equal(runchart_compute(y, 16, &o, &rc, &e), 0);
        struct buf b;
        buf_init(&b);
        spc_svg_run(&b, &rc, y, periods, "E2.1");
        assert_true(well_formed(&b));
        assert_non_null(strstr(b.data, "median 10.5; 16 useful observations; longest run 8"));
        assert_non_null(strstr(b.data, "Signal of non-random variation: a run longer than "
                                       "expected and fewer crossings than expected"));
        assert_non_null(strstr(b.data, ">Median 10.5</text>"));
        /* Every point is in a run of 8 > 7: 16 diamonds, plus one in the legend. */
        assert_int_equal(count(b.data, "fill=\"#801650\""), 17);
        buf_release(&b);
        runchart_release(&rc);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(escape_text),
            cmocka_unit_test(xmr_chart_parts),
            cmocka_unit_test(odd_charts_stay_well_formed),
            cmocka_unit_test(run_chart_parts),
        };
        int rc = cmocka_run_group_tests(tests, NULL, NULL);
        xmlCleanupParser();
        return rc;
}
