/*
 * test_lookup.c — the authority lists and populations (src/published/lookup.c):
 * each layout, every malformed case at its line, and the real lookup and
 * ONS files in ../shared/data/dfe-published/ (skipped when absent).
 */
#include "test.h"

#include "core/buf.h"
#include "core/err.h"
#include "published/lookup.h"

#define DFE SHARED_DATA "/dfe-published"

#define HEAD                                                                                       \
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"      \
        "region_name,old_la_code,new_la_code,la_name,"

/* The text of a buffer, which the caller frees; the buffer is released. */
static char *take(struct buf *b)
{
        char *s = buf_detach(b, NULL);
        buf_release(b);
        return s;
}

static int collect_authority(void *ctx, const struct store_authority *a, long line)
{
        struct buf *b = ctx;
        buf_printf(b, "%ld %s %s %s %s %s", line, a->code, a->ecode, a->name, a->region_code,
                   a->region_name);
        for (int k = 0; k < STORE_NEIGHBOURS; k++)
                if (a->neighbours[k][0])
                        buf_printf(b, " %s", a->neighbours[k]);
        buf_putc(b, '\n');
        return 0;
}

static char *authorities(const char *csv, enum lookup_layout *layout)
{
        struct buf b;
        buf_init(&b);
        struct err e = {0};
        if (lookup_read_authorities(csv, strlen(csv), "a.csv", layout, collect_authority, &b, &e))
                buf_printf(&b, "ERROR %d %s\n", e.code, e.msg);
        return take(&b);
}

static void test_authority_layouts(void **state)
{
        (void)state;
        enum lookup_layout layout;
        char *got = authorities(
            "old_la_code,new_la_code,la_name,region_code,region_name,last_year_in_cla_file,"
            "sn_2025,sn_2025_closeness\r\n"
            "202,E09000007,Camden,E13000001,Inner London,2025,206;213;205;210;208;207;209;309;"
            "204;302,Close;Close\r\n"
            "909,E10000006,Cumbria,E12000002,North West,2025,,\r\n",
            &layout);
        assert_int_equal(layout, LOOKUP_LA_LOOKUP);
        assert_string_equal(got, "2 202 E09000007 Camden E13000001 Inner London 206 213 205 210 "
                                 "208 207 209 309 204 302\n"
                                 "3 909 E10000006 Cumbria E12000002 North West\n");
        free(got);

        got = authorities("code,ecode,name,region_code,region_name,sn_1,sn_2,sn_3,sn_4,sn_5,sn_"
                          "6,sn_7,sn_8,sn_9,sn_10\n"
                          "901,E99000001,Aldrwick,E99100001,North Fells,902,903,,,,,,,,\n",
                          &layout);
        assert_int_equal(layout, LOOKUP_SYNTHETIC);
        assert_string_equal(got, "2 901 E99000001 Aldrwick E99100001 North Fells 902 903\n");
        free(got);

        got = authorities("\xEF\xBB\xBFold_la_code,la_name,region_ind,region_name,SN_1,SN_1P,SN_"
                          "2,SN_2P\n"
                          "301,Barking and Dagenham,3,London,308,Close ,821,Close \n",
                          &layout);
        assert_int_equal(layout, LOOKUP_SN_MODEL);
        assert_string_equal(got, "2 301  Barking and Dagenham  London 308 821\n");
        free(got);

        /* malformed lists, each at its line */
        static const struct {
                const char *csv, *msg;
        } bad[] = {
            {"a,b\n1,2\n", "ERROR 3 a.csv:1: not an authority list"},
            {"code,ecode,name\n20,E09000007,X\n",
             "ERROR 3 a.csv:2: authority code '20' is not an LA number"},
            {"code,ecode,name\n202,E0900007,X\n",
             "ERROR 3 a.csv:2: E-code 'E0900007' of authority 202 is not an ONS code"},
            {"code,ecode,name\n202,,X\n202,,Y\n", "ERROR 3 a.csv:3: authority 202 appears twice"},
            {"code,ecode,name\n202,,\n", "ERROR 3 a.csv:2: authority 202 has no name"},
            {"code,ecode,name,sn_1,sn_2\n202,,X,202,\n",
             "ERROR 3 a.csv:2: authority 202 is listed as its own neighbour"},
            {"code,ecode,name,sn_1,sn_2\n202,,X,,203\n",
             "ERROR 3 a.csv:2: neighbour 2 of 202 follows a blank one"},
            {"code,ecode,name,sn_1,sn_2\n202,,X,203,203\n",
             "ERROR 3 a.csv:2: neighbour 203 of 202 is listed twice"},
            {"old_la_code,la_name,sn_2025\n202,X,1;2;3;4;5;6;7;8;9;10;11\n",
             "ERROR 3 a.csv:2: statistical neighbour 1 of 202 is '1'"},
            {"old_la_code,la_name,sn_2025\n202,X,201;203;204;205;206;207;208;209;210;211;212\n",
             "ERROR 3 a.csv:2: authority 202 has more than 10 neighbours"},
            {"old_la_code,la_name,sn_2025\n202,X,201;;203\n",
             "ERROR 3 a.csv:2: empty entry in neighbour list"},
            {"code,ecode,name\n202,,X\n203,,Y,Z\n", "ERROR 3 a.csv:3: record has 4 fields"},
        };
        for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
                got = authorities(bad[i].csv, &layout);
                /* rows before the bad one may have been handed out; the error ends it */
                const char *err = strstr(got, "ERROR");
                if (!err || strncmp(err, bad[i].msg, strlen(bad[i].msg)) != 0)
                        print_error("case %zu: got %s\n", i, got);
                assert_non_null(err);
                assert_true(strncmp(err, bad[i].msg, strlen(bad[i].msg)) == 0);
                free(got);
        }
}

static int collect_population(void *ctx, const struct lookup_population *p)
{
        buf_printf(ctx, "%ld %d %s %d %lld\n", p->line, p->level, p->area, p->year,
                   (long long)p->population);
        return 0;
}

static char *populations(const char *csv, struct lookup_population_counts *c)
{
        struct buf b;
        buf_init(&b);
        struct err e = {0};
        enum lookup_layout layout;
        if (lookup_read_populations(csv, strlen(csv), "p.csv", &layout, collect_population, &b, c,
                                    &e))
                buf_printf(&b, "ERROR %d %s\n", e.code, e.msg);
        return take(&b);
}

static void test_population_layouts(void **state)
{
        (void)state;
        struct lookup_population_counts c;
        /* ONS: mid-2024 serves reporting year 2025; x is not available and not stored */
        char *got = populations(
            HEAD "age_group,population_estimate\n"
                 "2024,Reporting year,National,E92000001,England,,,,,,Children aged 0 to 17 "
                 "years,12183016\n"
                 "2024,Reporting year,Regional,E92000001,England,E12000001,North East,,,,"
                 "Children aged 0 to 17 years,542710\n"
                 "2024,Reporting year,Local authority,E92000001,England,E13000001,Inner London,"
                 "202,E09000007,Camden,Children aged 0 to 17 years,35276\n"
                 "2018,Reporting year,Local authority,E92000001,England,E12000009,South West,"
                 "837,E06000028,Bournemouth,Children aged 0 to 17 years,x\n"
                 "2024,Reporting year,National,E92000001,England,,,,,,Adults,1\n",
            &c);
        assert_string_equal(got, "2 0 E92000001 2025 12183016\n"
                                 "3 1 E12000001 2025 542710\n"
                                 "4 2 202 2025 35276\n");
        assert_int_equal(c.rows, 5);
        assert_int_equal(c.not_available, 1);
        assert_int_equal(c.other_ages, 1);
        free(got);

        /* synthetic: already keyed by reporting year */
        got = populations("code,year,population_0_17\n901,2024,51234\n901,2025,51500\n", &c);
        assert_string_equal(got, "2 2 901 2024 51234\n3 2 901 2025 51500\n");
        free(got);

        static const struct {
                const char *csv, *msg;
        } bad[] = {
            {"a,b\n", "ERROR 3 p.csv:1: not a population file"},
            {"code,year,population_0_17\n90,2024,5\n", "ERROR 3 p.csv:2: code '90' is not an area"},
            {"code,year,population_0_17\n901,24,5\n",
             "ERROR 3 p.csv:2: year '24' is not a reporting year"},
            {"code,year,population_0_17\n901,2024,5.5\n",
             "ERROR 3 p.csv:2: population_0_17 '5.5' is not a whole number"},
            {"code,year,population_0_17\n901,2024,-5\n",
             "ERROR 3 p.csv:2: population_0_17 '-5' is not a whole number"},
            {"code,year,population_0_17\n901,2024,many\n",
             "ERROR 3 p.csv:2: population_0_17 'many' is not a whole number"},
            {"time_period,time_identifier,geographic_level,age_group,population_estimate\n"
             "2024,Reporting year,National,Adults,5\n",
             "ERROR 3 p.csv: no rows with age_group 'Children aged 0 to 17 years'"},
            {"time_period,time_identifier,geographic_level,age_group,population_estimate\n"
             "2024,Reporting year,National,Children aged 0 to 17 years,5.25\n",
             "ERROR 3 p.csv:2: population_estimate '5.25' is not a whole number"},
        };
        for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
                got = populations(bad[i].csv, &c);
                if (strncmp(got, bad[i].msg, strlen(bad[i].msg)) != 0)
                        print_error("case %zu: got %s\n", i, got);
                assert_true(strncmp(got, bad[i].msg, strlen(bad[i].msg)) == 0);
                free(got);
        }
}

static void test_real_lookups(void **state)
{
        (void)state;
        const char *path = DFE "/la_lookup_with_codes_regions_sn2025.csv";
        SKIP_WITHOUT_SHARED(path);
        struct buf data, out;
        buf_init(&data);
        buf_init(&out);
        struct err e = {0};
        assert_int_equal(buf_read_file(&data, path, &e), 0);
        enum lookup_layout layout;
        assert_int_equal(lookup_read_authorities(data.data, data.len, path, &layout,
                                                 collect_authority, &out, &e),
                         0);
        assert_int_equal(layout, LOOKUP_LA_LOOKUP);
        /* 155 rows; Camden's line as in the file (neighbours nearest first) */
        size_t lines = 0;
        for (size_t i = 0; i < out.len; i++)
                lines += out.data[i] == '\n';
        assert_int_equal(lines, 155);
        assert_non_null(strstr(out.data, "\n3 202 E09000007 Camden E13000001 Inner London 206 "
                                         "213 205 210 208 207 209 309 204 302\n"));
        buf_release(&data);
        buf_release(&out);

        path = DFE "/ons_mid-year_population_estimates_2012_to_2024.csv";
        buf_init(&data);
        buf_init(&out);
        assert_int_equal(buf_read_file(&data, path, &e), 0);
        struct lookup_population_counts c;
        assert_int_equal(lookup_read_populations(data.data, data.len, path, &layout,
                                                 collect_population, &out, &c, &e),
                         0);
        assert_int_equal(layout, LOOKUP_ONS);
        assert_int_equal(c.rows, 2132);
        assert_int_equal(c.not_available, 21);
        /* England mid-2024 = 12,183,016 serves 2025 (measures.md §0.7) */
        assert_non_null(strstr(out.data, " 0 E92000001 2025 12183016\n"));
        buf_release(&data);
        buf_release(&out);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_authority_layouts),
            cmocka_unit_test(test_population_layouts),
            cmocka_unit_test(test_real_lookups),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
