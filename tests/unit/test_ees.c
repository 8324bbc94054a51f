/*
 * test_ees.c — the Explore Education Statistics reader (src/published/ees.c).
 *
 * Small hand-written files check the rules one at a time (symbols kept,
 * columns found by name in any order, BOM, periods, joint returns, every
 * malformed case with its exact line); then every real file in
 * ../shared/data/dfe-published/ is read, with spot values checked by hand
 * against the file (grep for the row) — skipped when the folder is absent.
 */
#include "test.h"

#include "core/buf.h"
#include "core/err.h"
#include "published/ees.h"

#include <math.h>

#define DFE SHARED_DATA "/dfe-published"

/* ---------------------------------------------------------------- rendering */

/* The text of a buffer, which the caller frees; the buffer is released. */
static char *take(struct buf *b)
{
        char *s = buf_detach(b, NULL);
        buf_release(b);
        return s;
}

/*
 * Read everything and render each row as one line:
 * "LINE LEVEL AREA YEAR PERIOD_END [filters] name=value …", values as
 * numbers (%g) or {symbol}.  On an error the message is the last line.
 */
static char *render(const char *csv, const char *name)
{
        struct buf out;
        buf_init(&out);
        struct err e = {0};
        struct ees_file *f = ees_open_mem(csv, strlen(csv), name, &e);
        if (!f) {
                buf_printf(&out, "ERROR %d %s\n", e.code, e.msg);
                return take(&out);
        }
        struct ees_row row;
        int rc;
        static const char *const levels[] = {"N", "R", "L", "O"};
        while ((rc = ees_read(f, &row, &e)) == 1) {
                const char *area = row.level == EES_LA         ? row.la_code
                                   : row.level == EES_REGIONAL ? row.region_code
                                                               : row.country_code;
                buf_printf(&out, "%ld %s %s %d %s [%s]", row.line, levels[row.level], area,
                           row.year, row.period_end, row.filters);
                if (row.joint)
                        buf_puts(&out, " joint");
                for (size_t i = 0; i < row.nvalues; i++) {
                        const struct ees_value *v = &row.values[i];
                        if (v->symbol == EES_NUMBER)
                                buf_printf(&out, " %s=%g", ees_value_name(f, i), v->number);
                        else
                                buf_printf(&out, " %s={%s}", ees_value_name(f, i),
                                           ees_symbol_text(v->symbol));
                }
                buf_putc(&out, '\n');
        }
        if (rc < 0)
                buf_printf(&out, "ERROR %d %s\n", e.code, e.msg);
        ees_free(f);
        return take(&out);
}

static void expect_render(const char *csv, const char *want)
{
        char *got = render(csv, "t.csv");
        if (strcmp(got, want) != 0)
                print_error("got:\n%s\nwant:\n%s\n", got, want);
        assert_string_equal(got, want);
        free(got);
}

/* The error message the reader gives for `csv` (fails if there is none). */
static void expect_error(const char *csv, const char *msg)
{
        char *got = render(csv, "t.csv");
        const char *err = strstr(got, "ERROR 3 ");
        if (!err || strncmp(err + 8, msg, strlen(msg)) != 0)
                print_error("got:\n%s\nwant error starting: %s\n", got, msg);
        assert_non_null(err);
        assert_true(strncmp(err + 8, msg, strlen(msg)) == 0);
        free(got);
}

#define HEAD                                                                                       \
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"      \
        "region_name,old_la_code,new_la_code,la_name,"

/* ---------------------------------------------------------------- values */

static void test_values_and_symbols(void **state)
{
        (void)state;
        struct ees_value v;
        static const struct {
                const char *in;
                enum ees_symbol sym;
        } syms[] = {
            {"c", EES_C},   {"z", EES_Z},     {"k", EES_K},     {"x", EES_X},
            {"u", EES_U},   {"low", EES_LOW}, {":", EES_COLON}, {"", EES_BLANK},
            {" c ", EES_C}, {"LOW", EES_LOW}, {"X", EES_X},     {"  ", EES_BLANK},
        };
        for (size_t i = 0; i < sizeof syms / sizeof *syms; i++) {
                assert_int_equal(ees_parse_value(syms[i].in, strlen(syms[i].in), &v), 0);
                assert_int_equal(v.symbol, syms[i].sym);
                /* a symbol is never a number: the number field stays 0, never a guess */
                assert_true(v.number == 0.0);
        }
        assert_string_equal(ees_symbol_text(EES_LOW), "low");
        assert_string_equal(ees_symbol_text(EES_BLANK), "");
        assert_null(ees_symbol_text(EES_NUMBER));

        static const struct {
                const char *in;
                double want;
        } nums[] = {
            {"18.3", 18.3}, {"12183016", 12183016}, {"-0.5", -0.5},   {"+2", 2},  {".5", 0.5},
            {"5.", 5},      {"1e3", 1000},          {"2.5E-1", 0.25}, {" 7 ", 7}, {"0", 0},
        };
        for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
                assert_int_equal(ees_parse_value(nums[i].in, strlen(nums[i].in), &v), 0);
                assert_int_equal(v.symbol, EES_NUMBER);
                assert_false(v.duration);
                assert_true(fabs(v.number - nums[i].want) < 1e-12);
        }
        /* YY:MM durations (adoption timeliness): months = 12·YY + MM */
        assert_int_equal(ees_parse_value("00:10", 5, &v), 0);
        assert_true(v.duration && v.number == 10);
        assert_int_equal(ees_parse_value("02:03", 5, &v), 0);
        assert_true(v.duration && v.number == 27);
        /* not values: words, thousands separators, inf/nan/hex, bad durations */
        static const char *const text[] = {"abc", "1,234", "inf",  "nan", "0x10", "1e",
                                           "--1", "1 2",   "1:12", "1:5", "cc",   "lower",
                                           "e5",  ".",     "-",    "12:3"};
        for (size_t i = 0; i < sizeof text / sizeof *text; i++)
                assert_int_equal(ees_parse_value(text[i], strlen(text[i]), &v), -1);
}

static void test_filter_key_and_codes(void **state)
{
        (void)state;
        struct buf b;
        buf_init(&b);
        const char *names[] = {"breakdown", "care_leaver_age"};
        const char *values[] = {"Total", "17 to 18 years"};
        ees_filter_key(names, values, 2, &b);
        assert_string_equal(b.data, "breakdown=Total|care_leaver_age=17 to 18 years");
        /* order of the pairs does not matter */
        const char *names2[] = {"care_leaver_age", "breakdown"};
        const char *values2[] = {"17 to 18 years", "Total"};
        buf_reset(&b);
        ees_filter_key(names2, values2, 2, &b);
        assert_string_equal(b.data, "breakdown=Total|care_leaver_age=17 to 18 years");
        /* separators inside names and values are escaped */
        const char *n3[] = {"b", "a"};
        const char *v3[] = {"x|y", "1=2\\"};
        buf_reset(&b);
        ees_filter_key(n3, v3, 2, &b);
        assert_string_equal(b.data, "a=1\\=2\\\\|b=x\\|y");
        buf_reset(&b);
        ees_filter_key(NULL, NULL, 0, &b);
        assert_string_equal(b.data, "");
        buf_release(&b);

        char codes[4][4];
        assert_int_equal(ees_la_codes("202", codes, 4), 1);
        assert_string_equal(codes[0], "202");
        assert_int_equal(ees_la_codes("314 / 318", codes, 4), 2);
        assert_string_equal(codes[0], "314");
        assert_string_equal(codes[1], "318");
        assert_int_equal(ees_la_codes("940/941", codes, 4), 2);
        assert_string_equal(codes[1], "941");
        assert_int_equal(ees_la_codes("31", codes, 4), -1);
        assert_int_equal(ees_la_codes("2021", codes, 4), -1);
        assert_int_equal(ees_la_codes("314 / ", codes, 4), -1);
        assert_int_equal(ees_la_codes("", codes, 4), -1);
        assert_int_equal(ees_la_codes("E09000007", codes, 4), -1);

        char src[256];
        ees_source_of("../shared/data/dfe-published/"
                      "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
                      src, sizeof src);
        assert_string_equal(src, "c1_children_in_need_referrals_and_rereferrals");
        ees_source_of("cla_number_and_rate_per_10k_children.csv", src, sizeof src);
        assert_string_equal(src, "cla_number_and_rate_per_10k_children");
        ees_source_of("/x/csww_indicators_2017_to_2025.CSV", src, sizeof src);
        assert_string_equal(src, "csww_indicators");
        ees_source_of("t.csv", src, sizeof src);
        assert_string_equal(src, "t");
        ees_source_of("la_hospital_admissions_2324.csv", src, 8);
        assert_string_equal(src, "la_hosp");
}

/* ---------------------------------------------------------------- layout */

static void test_levels_filters_symbols(void **state)
{
        (void)state;
        /* category holds text, so it is a filter; the numeric columns are values */
        expect_render(HEAD "category,referral_count,rereferral_percent\n"
                           "2025,Reporting year,National,E92000001,England,,,,,,Referrals,632830,"
                           "22.6\n"
                           "2025,Reporting year,Regional,E92000001,England,E13000001,Inner "
                           "London,,,,Referrals,c,z\n"
                           "2025,Reporting year,Local authority,E92000001,England,E13000001,"
                           "Inner London,202,E09000007,Camden,Referrals,2086,18.3\n"
                           "2024,Reporting year,Local authority,E92000001,England,E13000001,"
                           "Inner London,201,E09000001,City of London,Referrals,x,\n",
                      "2 N E92000001 2025 2025-03-31 [category=Referrals] referral_count=632830 "
                      "rereferral_percent=22.6\n"
                      "3 R E13000001 2025 2025-03-31 [category=Referrals] referral_count={c} "
                      "rereferral_percent={z}\n"
                      "4 L 202 2025 2025-03-31 [category=Referrals] referral_count=2086 "
                      "rereferral_percent=18.3\n"
                      "5 L 201 2024 2024-03-31 [category=Referrals] referral_count={x} "
                      "rereferral_percent={}\n");
        /* other geographic levels are read and marked, for the caller to skip */
        expect_render("time_period,time_identifier,geographic_level,lad_code,n\n"
                      "2025,Reporting year,Local authority district,E07000001,5\n",
                      "2 O  2025 2025-03-31 [] n=5\n");
}

static void test_columns_by_name_any_order(void **state)
{
        (void)state;
        const char *a = "time_period,time_identifier,geographic_level,country_code,region_code,"
                        "old_la_code,la_name,new_la_code,cla_group,breakdown,children_count,"
                        "children_percent\n"
                        "2025,Reporting year,Local authority,E92000001,E12000001,841,Darlington,"
                        "E06000005,All,Total,250,100\n"
                        "2025,Reporting year,Local authority,E92000001,E12000001,841,Darlington,"
                        "E06000005,All,\"Three, or more\",c,k\n";
        /* the same table with every column in another place */
        const char *b = "children_percent,breakdown,new_la_code,old_la_code,geographic_level,"
                        "cla_group,time_identifier,children_count,region_code,time_period,"
                        "la_name,country_code\n"
                        "100,Total,E06000005,841,Local authority,All,Reporting year,250,"
                        "E12000001,2025,Darlington,E92000001\n"
                        "k,\"Three, or more\",E06000005,841,Local authority,All,Reporting "
                        "year,c,E12000001,2025,Darlington,E92000001\n";
        char *ra = render(a, "a.csv"), *rb = render(b, "b.csv");
        assert_string_equal(ra, "2 L 841 2025 2025-03-31 [breakdown=Total|cla_group=All] "
                                "children_count=250 children_percent=100\n"
                                "3 L 841 2025 2025-03-31 [breakdown=Three, or more|cla_group=All] "
                                "children_count={c} children_percent={k}\n");
        /* values come in column order, so compare them by name: swap b's two values */
        assert_non_null(strstr(rb, "[breakdown=Total|cla_group=All] children_percent=100 "
                                   "children_count=250\n"));
        assert_non_null(strstr(rb, "[breakdown=Three, or more|cla_group=All] "
                                   "children_percent={k} children_count={c}\n"));
        free(ra);
        free(rb);
}

static void test_bom_crlf_periods_joint(void **state)
{
        (void)state;
        /* BOM and CRLF; a workforce file (by name) is a 30 September snapshot */
        const char csww[] = "\xEF\xBB\xBF" HEAD "turnover_rate_fte,agency_fte\r\n"
                            "2025,Reporting year,Local authority,E92000001,England,E13000002,"
                            "Outer London,314 / 318,E09000021 / E09000027,Kingston / Richmond,"
                            "13.9,low\r\n";
        char *got = render(csww, "/data/csww_indicators_2017_to_2025.csv");
        assert_string_equal(got, "2 L 314 / 318 2025 2025-09-30 [] joint turnover_rate_fte=13.9 "
                                 "agency_fte={low}\n");
        free(got);
        /* ONS population: mid-year */
        expect_render(HEAD "age_group,population_estimate\n"
                           "2024,Reporting year,National,E92000001,England,,,,,,Children aged 0 "
                           "to 17 years,12183016\n",
                      "2 N E92000001 2024 2024-06-30 [age_group=Children aged 0 to 17 years] "
                      "population_estimate=1.2183e+07\n");
        /* academic and financial years end in the second year */
        expect_render("time_period,time_identifier,geographic_level,t_pupils\n"
                      "202425,Academic year,National,120250\n"
                      "202324,Financial year,National,5\n"
                      "2024,Calendar year,National,6\n",
                      "2 N  2025 2025-08-31 [] t_pupils=120250\n"
                      "3 N  2024 2024-03-31 [] t_pupils=5\n"
                      "4 N  2024 2024-12-31 [] t_pupils=6\n");
        /* YY:MM durations beside counts in one column */
        expect_render("time_period,time_identifier,geographic_level,stage,number\n"
                      "2025,Reporting year,National,1. Entry to decision,00:09\n"
                      "2025,Reporting year,National,Placed within 12 months,2150\n"
                      "2025,Reporting year,National,2. Decision to match,k\n",
                      "2 N  2025 2025-03-31 [stage=1. Entry to decision] number=9\n"
                      "3 N  2025 2025-03-31 [stage=Placed within 12 months] number=2150\n"
                      "4 N  2025 2025-03-31 [stage=2. Decision to match] number={k}\n");
}

static void test_malformed(void **state)
{
        (void)state;
        expect_error("", "t.csv:1: the file is empty");
        expect_error("time_identifier,geographic_level,n\nReporting year,National,1\n",
                     "t.csv:1: no column 'time_period'");
        expect_error("time_period,geographic_level,n\n2025,National,1\n",
                     "t.csv:1: no column 'time_identifier'");
        expect_error("time_period,time_identifier,n\n2025,Reporting year,1\n",
                     "t.csv:1: no column 'geographic_level'");
        expect_error("time_period,time_identifier,geographic_level,n,n\n",
                     "t.csv:1: column 'n' appears twice");
        expect_error("time_period,time_identifier,geographic_level,,n\n",
                     "t.csv:1: column 4 has no name");
        expect_error("time_period,time_identifier,geographic_level,category\n"
                     "2025,Reporting year,National,All\n",
                     "t.csv:1: no value columns");
        /* a ragged row, found before any row is handed out, at its own line */
        expect_error("time_period,time_identifier,geographic_level,n\n"
                     "2025,Reporting year,National,1\n"
                     "2024,Reporting year,National,2\n"
                     "2023,Reporting year,National\n",
                     "t.csv:4: record has 3 fields, expected 4");
        expect_error("time_period,time_identifier,geographic_level,n\n"
                     "2025,Reporting year,National,1\n"
                     "2025,Reporting year,National,1,2\n",
                     "t.csv:3: record has 5 fields, expected 4");
        expect_error("time_period,time_identifier,geographic_level,n\n"
                     "2025,Reporting year,National,\"1\n",
                     "t.csv:2:");
        /* row-level errors come with the row's line */
        expect_error(HEAD "n\n"
                          "2025,Reporting year,National,E92000001,England,,,,,,1\n"
                          "2025,Reporting year,Local authority,E92000001,England,E12000001,NE,,"
                          "E06000001,Hartlepool,1\n",
                     "t.csv:3: Local authority row without old_la_code; expected the 3-digit");
        expect_error(HEAD "n\n"
                          "2025,Reporting year,Local authority,E92000001,England,E12000001,NE,"
                          "E06000001,E06000001,Hartlepool,1\n",
                     "t.csv:2: old_la_code 'E06000001' is not an LA number");
        expect_error("time_period,time_identifier,geographic_level,n\n"
                     "2025,Reporting year,Local authority,1\n",
                     "t.csv:2: Local authority row without old_la_code");
        expect_error(HEAD "n\n2025,Reporting year,Regional,E92000001,England,,,,,,1\n",
                     "t.csv:2: Regional row without a region_code");
        expect_error("time_period,time_identifier,geographic_level,n\n"
                     "2025,Reporting year,National,1\n"
                     "20x5,Reporting year,National,1\n",
                     "t.csv:3: time_period '20x5' is not a year; expected YYYY");
        expect_error("time_period,time_identifier,geographic_level,n\n"
                     "202426,Academic year,National,1\n",
                     "t.csv:2: time_period '202426' is not a two-part year; expected YYYYyy");
        expect_error("time_period,time_identifier,geographic_level,n\n"
                     "2025,Week 5,National,1\n",
                     "t.csv:2: time_identifier 'Week 5' is not one this reader knows");
        expect_error("time_period,time_identifier,geographic_level,n\n"
                     "2025,Reporting year,,1\n",
                     "t.csv:2: geographic_level is blank; expected National");
        expect_error("time_period,time_identifier,geographic_level,n\n"
                     "1850,Reporting year,National,1\n",
                     "t.csv:2: time_period '1850' is out of range");
}

/* ---------------------------------------------------------------- the real files */

/* Find the first value of column `col` on a row matching level/area/year/filters. */
struct probe {
        enum ees_level level;
        const char *area;
        int year;
        const char *filters; /* NULL: any */
        const char *column;
        struct ees_value got;
        char text[32];
        int found;
};

#define P(l, a, y, f, c)                                                                           \
        {                                                                                          \
                .level = l, .area = a, .year = y, .filters = f, .column = c                        \
        }

static long read_probe(const char *path, struct probe *p, size_t n, size_t *nvalues,
                       enum ees_period_kind *period)
{
        struct err e = {0};
        struct ees_file *f = ees_open_file(path, &e);
        if (!f)
                print_error("%s\n", e.msg);
        assert_non_null(f);
        if (nvalues)
                *nvalues = ees_value_count(f);
        if (period)
                *period = ees_period(f);
        struct ees_row row;
        long rows = 0;
        int rc;
        while ((rc = ees_read(f, &row, &e)) == 1) {
                rows++;
                for (size_t k = 0; k < n; k++) {
                        const char *area = row.level == EES_LA         ? row.la_code
                                           : row.level == EES_REGIONAL ? row.region_code
                                                                       : "";
                        if (p[k].found || row.level != p[k].level || row.year != p[k].year ||
                            strcmp(area, p[k].area) != 0 ||
                            (p[k].filters && strcmp(row.filters, p[k].filters) != 0))
                                continue;
                        for (size_t i = 0; i < row.nvalues; i++)
                                if (strcmp(ees_value_name(f, i), p[k].column) == 0) {
                                        p[k].got = row.values[i];
                                        snprintf(p[k].text, sizeof p[k].text, "%s",
                                                 row.values[i].text);
                                        p[k].found = 1;
                                }
                }
        }
        if (rc < 0)
                print_error("%s\n", e.msg);
        assert_int_equal(rc, 0);
        ees_free(f);
        return rows;
}

static void test_real_c1_camden(void **state)
{
        (void)state;
        const char *path = DFE "/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv";
        SKIP_WITHOUT_SHARED(path);
        /*
         * From the file: the 2025 Camden row is "…,202,E09000007,Camden,Referrals and
         * Re-referrals,2086,381,18.3,77,3.7,601,28.8,1909,333,17.4"; England 2025 has
         * referral_count 632830 and rereferral_percent 22.6.
         */
        struct probe p[] = {
            P(EES_LA, "202", 2025, "category=Referrals and Re-referrals", "rereferral_percent"),
            P(EES_LA, "202", 2025, NULL, "referral_count"),
            P(EES_LA, "202", 2025, NULL, "rereferral_child_percent"),
            P(EES_NATIONAL, "", 2025, NULL, "referral_count"),
            P(EES_NATIONAL, "", 2025, NULL, "rereferral_percent"),
        };
        size_t nvalues;
        long rows = read_probe(path, p, 5, &nvalues, NULL);
        assert_int_equal(rows, 2132); /* 2133 lines less the header */
        assert_int_equal(nvalues, 10);
        for (int k = 0; k < 5; k++) {
                assert_true(p[k].found);
                assert_int_equal(p[k].got.symbol, EES_NUMBER);
        }
        assert_true(p[0].got.number == 18.3);
        assert_string_equal(p[0].text, "18.3");
        assert_true(p[1].got.number == 2086);
        assert_true(p[2].got.number == 17.4);
        assert_true(p[3].got.number == 632830);
        assert_true(p[4].got.number == 22.6);
}

static void test_real_cla_population(void **state)
{
        (void)state;
        const char *path = DFE "/cla_number_and_rate_per_10k_children.csv"; /* starts with a BOM */
        SKIP_WITHOUT_SHARED(path);
        /* "2025,Reporting year,National,…,Children looked after on 31 March each
         * year,12183016,81770,67" */
        struct probe p[] = {
            P(EES_NATIONAL, "", 2025, "population_type=Children looked after on 31 March each year",
              "population_estimate"),
            P(EES_NATIONAL, "", 2025, "population_type=Children looked after on 31 March each year",
              "children_count"),
            P(EES_NATIONAL, "", 2025, "population_type=Children looked after on 31 March each year",
              "rate_per_10000"),
            P(EES_NATIONAL, "", 2025,
              "population_type=Children starting to be looked after each year", "children_count"),
        };
        long rows = read_probe(path, p, 4, NULL, NULL);
        assert_int_equal(rows, 2505);
        for (int k = 0; k < 4; k++)
                assert_true(p[k].found);
        assert_true(p[0].got.number == 12183016);
        assert_true(p[1].got.number == 81770);
        assert_true(p[2].got.number == 67);
        assert_true(p[3].got.number == 32270);
}

static void test_real_workforce_joint_and_symbols(void **state)
{
        (void)state;
        const char *path = DFE "/csww_indicators_2017_to_2025.csv";
        SKIP_WITHOUT_SHARED(path);
        /*
         * "2025,…,Local authority,…,314 / 318,E09000021 / E09000027,Kingston upon Thames /
         * Richmond upon Thames,137.4,140,…" (inpost_fte first); England 2025 turnover_rate_fte
         * 11.8, caseload_fte 15.2.
         */
        struct probe p[] = {
            P(EES_LA, "314 / 318", 2025, "", "inpost_fte"),
            P(EES_NATIONAL, "", 2025, "", "turnover_rate_fte"),
            P(EES_NATIONAL, "", 2025, "", "caseload_fte"),
        };
        enum ees_period_kind period;
        long rows = read_probe(path, p, 3, NULL, &period);
        assert_int_equal(rows, 1463);
        assert_int_equal(period, EES_PERIOD_WORKFORCE);
        assert_true(p[0].found && p[0].got.number == 137.4);
        assert_true(p[1].found && p[1].got.number == 11.8);
        assert_true(p[2].found && p[2].got.number == 15.2);
}

static void test_real_adoption_durations(void **state)
{
        (void)state;
        const char *path =
            DFE "/national_cla_adopted_average_time_between_adoption_process_stages.csv";
        SKIP_WITHOUT_SHARED(path);
        /* 2025 Total: stage 2 "00:10" (10 months), stage 6 "02:03" (27 months; measures.md §4.3) */
        struct probe p[] = {
            P(EES_NATIONAL, "", 2025,
              "age_start_poc=Total|cla_group=Age on starting final period of "
              "care|stage_of_adoption_process=2. Average time between decision that child should "
              "be placed for adoption and matching of child and adopters",
              "number"),
            P(EES_NATIONAL, "", 2025,
              "age_start_poc=Total|cla_group=Age on starting final period of "
              "care|stage_of_adoption_process=6. Total average time between entry into care and "
              "adoption",
              "number"),
        };
        read_probe(path, p, 2, NULL, NULL);
        assert_true(p[0].found && p[0].got.duration && p[0].got.number == 10);
        assert_string_equal(p[0].text, "00:10");
        assert_true(p[1].found && p[1].got.number == 27);
}

/* Every EES file in the folder reads to the end; its row count is its line count less one. */
static void test_real_every_file(void **state)
{
        (void)state;
        SKIP_WITHOUT_SHARED(DFE "/b1_children_in_need_2013_to_2025.csv");
        static const struct {
                const char *file;
                long rows; /* wc -l less the header */
        } files[] = {
            {"absence_la.csv", 17220},
            {"b1_children_in_need_2013_to_2025.csv", 2132},
            {"c3_factors_identified_at_end_of_assessment_2018_to_2025.csv", 1312},
            {"csww_headline_measures_2017_to_2022.csv", 978},
            {"d3_cpps_subsequent_plan_2013_to_2025.csv", 2132},
            {"d5_cpps_at31march_by_duration_2013_to_2025.csv", 2132},
            {"ks2_la.csv", 3444},
            {"ks4_la.csv", 3444},
            {"la_care_leavers_accommodation_suitability.csv", 6680},
            {"la_care_leavers_activity.csv", 20040},
            {"la_cla_during_year_new_placements.csv", 15865},
            {"la_cla_placement_stability.csv", 5010},
            {"la_cla_school_moves.csv", 6680},
            {"la_cla_swcount.csv", 330},
            {"la_conviction_health_outcome_cla.csv", 15030},
            {"ons_mid-year_population_estimates_2012_to_2024.csv", 2132},
        };
        for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
                char path[512];
                snprintf(path, sizeof path, "%s/%s", DFE, files[i].file);
                long rows = read_probe(path, NULL, 0, NULL, NULL);
                if (rows != files[i].rows)
                        print_error("%s: %ld rows\n", files[i].file, rows);
                assert_int_equal(rows, files[i].rows);
        }
        /* Files that are not EES are refused with the reason, not half-read. */
        static const char *const not_ees[] = {"sn_model_2025_wide.csv",
                                              "la_hospital_admissions_2324.csv",
                                              "LTLA-UTLA_Apr23_Lookup_England-Wales.csv"};
        for (size_t i = 0; i < 3; i++) {
                char path[512];
                snprintf(path, sizeof path, "%s/%s", DFE, not_ees[i]);
                struct err e = {0};
                struct ees_file *f = ees_open_file(path, &e);
                assert_null(f);
                assert_int_equal(e.code, EXIT_INPUT);
                assert_non_null(strstr(e.msg, ":1: no column 'time_period'"));
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_values_and_symbols),
            cmocka_unit_test(test_filter_key_and_codes),
            cmocka_unit_test(test_levels_filters_symbols),
            cmocka_unit_test(test_columns_by_name_any_order),
            cmocka_unit_test(test_bom_crlf_periods_joint),
            cmocka_unit_test(test_malformed),
            cmocka_unit_test(test_real_c1_camden),
            cmocka_unit_test(test_real_cla_population),
            cmocka_unit_test(test_real_workforce_joint_and_symbols),
            cmocka_unit_test(test_real_adoption_durations),
            cmocka_unit_test(test_real_every_file),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
