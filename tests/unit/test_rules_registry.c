/*
 * test_rules_registry.c — the rule framework: rule sets per year against the
 * catalogues, rule status, every implemented row consistent with the
 * generated catalogue, year picking, skipping, and the runner's findings.
 */
#include "test.h"

#include "core/err.h"
#include "returns/ssda903.h"
#include "rules/rules.h"

/* Rules per set, from ../shared/data/spec/README.md ("Counts"). */
static void test_set_sizes(void **state)
{
        (void)state;
        static const struct {
                enum rules_return ret;
                int year;
                size_t n;
        } sets[] = {
            {RULES_903, 2023, 293}, {RULES_903, 2024, 312}, {RULES_903, 2025, 305},
            {RULES_903, 2026, 311}, {RULES_903, 2027, 322}, {RULES_CIN, 2023, 105},
            {RULES_CIN, 2024, 105}, {RULES_CIN, 2025, 109}, {RULES_CIN, 2026, 109},
        };
        struct err e;
        for (size_t i = 0; i < sizeof sets / sizeof *sets; i++) {
                size_t n;
                err_clear(&e);
                struct rule_info *v = rules_list(sets[i].ret, sets[i].year, &n, &e);
                assert_non_null(v);
                assert_int_equal(n, sets[i].n);
                /* no code twice in a set */
                for (size_t a = 0; a < n; a++)
                        for (size_t b = a + 1; b < n; b++)
                                assert_true(strcmp(v[a].code, v[b].code) != 0);
                free(v);
        }
        size_t n;
        err_clear(&e);
        assert_null(rules_list(RULES_CIN, 2027, &n, &e));
        assert_int_equal(e.code, EXIT_USAGE);
        assert_string_equal(e.msg, "no CIN rule set for 2027; expected a year from 2023 to 2026");
        assert_null(rules_list(RULES_903, 2022, &n, &e));
}

/* Additions and removals between sets, as data-formats.md §3.2 lists them. */
static int in_set(enum rules_return ret, int year, const char *code)
{
        size_t n;
        struct err e;
        struct rule_info *v = rules_list(ret, year, &n, &e);
        int found = 0;
        for (size_t i = 0; i < n; i++)
                found |= strcmp(v[i].code, code) == 0;
        free(v);
        return found;
}

static void test_set_composition(void **state)
{
        (void)state;
        assert_false(in_set(RULES_903, 2023, "1016"));
        assert_true(in_set(RULES_903, 2024, "1016"));
        assert_true(in_set(RULES_903, 2024, "217t"));
        assert_false(in_set(RULES_903, 2025, "217t")); /* removed in 2024/25 */
        assert_true(in_set(RULES_903, 2024, "370"));
        assert_false(in_set(RULES_903, 2025, "370"));
        assert_false(in_set(RULES_903, 2026, "700"));
        assert_true(in_set(RULES_903, 2027, "700"));
        assert_true(in_set(RULES_903, 2027, "710"));
        assert_false(in_set(RULES_CIN, 2024, "8945Q"));
        assert_true(in_set(RULES_CIN, 2025, "8945Q"));
        assert_true(in_set(RULES_903, 2023, "INT36"));
        assert_true(in_set(RULES_903, 2027, "NoE"));
}

static const struct rule_catalogue_entry *cat_entry(enum rules_return ret, int year,
                                                    const char *code)
{
        const struct rule_catalogue_entry *c =
            ret == RULES_CIN ? rules_catalogue_cin : rules_catalogue_903;
        size_t n = ret == RULES_CIN ? rules_catalogue_cin_n : rules_catalogue_903_n;
        for (size_t i = 0; i < n; i++)
                if ((c[i].years & RULES_Y(year)) && strcmp(c[i].code, code) == 0)
                        return &c[i];
        return NULL;
}

/*
 * Every implemented row: its years are years whose set lists the code, its
 * fields, tables and type are the catalogue's for each of those years, it needs
 * at least what the catalogue says, it has a message and a function, and no
 * code is implemented twice for one year.
 */
static void test_rows_match_catalogue(void **state)
{
        (void)state;
        for (int ret = RULES_903; ret <= RULES_CIN; ret++) {
                size_t rows = 0;
                for (const struct rule_def *const *fam = rules_families(ret); *fam; fam++)
                        for (const struct rule_def *d = *fam; d->code; d++) {
                                rows++;
                                assert_non_null(d->check);
                                assert_non_null(d->message);
                                assert_true(strlen(d->message) > 10);
                                assert_true(d->years != 0);
                                assert_true((d->years & ~RULES_ALL_YEARS) == 0);
                                for (int y = RULES_FIRST_YEAR; y <= RULES_LAST_YEAR; y++) {
                                        if (!(d->years & RULES_Y(y)))
                                                continue;
                                        const struct rule_catalogue_entry *c =
                                            cat_entry(ret, y, d->code);
                                        if (!c)
                                                fail_msg("%s is not in the %d set", d->code, y);
                                        assert_string_equal(d->fields, c->fields);
                                        assert_string_equal(d->tables, c->tables);
                                        assert_int_equal(d->severity, c->severity);
                                        assert_int_equal(d->needs & c->needs, c->needs);
                                        assert_ptr_equal(rules_find(ret, y, d->code), d);
                                }
                        }
                if (ret == RULES_903)
                        assert_true(rows >= 26); /* at least the integrity checks */
        }
}

static void test_status(void **state)
{
        (void)state;
        size_t n;
        struct err e;
        struct rule_info *v = rules_list(RULES_903, 2026, &n, &e);
        int seen = 0;
        for (size_t i = 0; i < n; i++) {
                assert_non_null(v[i].cat);
                if (strcmp(v[i].code, "INT01") == 0) {
                        assert_int_equal(v[i].status, RULE_STATUS_IMPLEMENTED);
                        assert_non_null(v[i].def);
                        seen++;
                } else if (strcmp(v[i].code, "NoE") == 0) {
                        assert_int_equal(v[i].status, RULE_STATUS_NEEDS_DATA);
                        seen++;
                } else if (v[i].def == NULL) {
                        assert_int_equal(v[i].status, RULE_STATUS_NOT_IMPLEMENTED);
                }
        }
        assert_int_equal(seen, 2);
        free(v);
        assert_string_equal(rule_status_name(RULE_STATUS_NEEDS_DATA), "needs-data");
        assert_string_equal(rule_status_name(RULE_STATUS_NOT_IMPLEMENTED), "not-implemented");
        char buf[64];
        assert_string_equal(rule_needs_str(0, buf, sizeof buf), "none");
        assert_string_equal(
            rule_needs_str(RULE_NEEDS_POSTCODES | RULE_NEEDS_LAST_YEAR, buf, sizeof buf),
            "postcodes|last_year");
        assert_string_equal(rule_needs_str(RULE_NEEDS_PROVIDERS | RULE_NEEDS_LA, buf, sizeof buf),
                            "providers|la");
}

static void test_years(void **state)
{
        (void)state;
        assert_int_equal(RULES_ALL_YEARS, 0x1f);
        assert_int_equal(RULES_FROM(2024), 0x1e);
        assert_int_equal(RULES_UNTIL(2024), 0x03);
        assert_int_equal(RULES_FROM(2025) & RULES_UNTIL(2024), 0);
        const char *note;
        assert_int_equal(rules_pick_year(RULES_903, 2018, &note), 2023);
        assert_non_null(note);
        assert_int_equal(rules_pick_year(RULES_903, 2025, &note), 2025);
        assert_null(note);
        assert_int_equal(rules_pick_year(RULES_CIN, 2027, &note), 2026);
        assert_non_null(note);
        assert_true(rules_year_valid(RULES_903, 2027));
        assert_false(rules_year_valid(RULES_CIN, 2027));
}

/* ---------------------------------------------------------------- the runner */

static const char *HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
                            "B,M,01/01/2010,WBRI,UN1,,\n"
                            "A,M,01/01/2010,WBRI,UN1,,\n"
                            "B,M,01/01/2010,WBRI,UN1,,\n";

static struct ssda903_load *load_header(const char *xml)
{
        struct err e;
        err_clear(&e);
        struct ssda903_load *ld = ssda903_new();
        const char *text = xml ? xml : HEADER;
        assert_int_equal(ssda903_add_mem(ld, xml ? "r.xml" : "h.csv", text, strlen(text), 0, &e),
                         0);
        struct ssda903_options o = {.collection_year = 2024};
        assert_int_equal(ssda903_finish(ld, &o, &e), 0);
        return ld;
}

static void test_run_outcomes_and_order(void **state)
{
        (void)state;
        struct ssda903_load *ld = load_header(NULL);
        struct rule_ctx ctx;
        rules_ctx_init_903(&ctx, ld, 0);
        assert_int_equal(ctx.rules_year, 2024); /* the data's own year */
        assert_int_equal(ctx.start, ld->start);
        struct rules_result res;
        rules_result_init(&res);
        struct err e;
        assert_int_equal(rules_run(&ctx, &res, &e), 0);
        assert_int_equal(res.rules_year, 2024);
        /* every code of the 2024 set has exactly one outcome, in catalogue order */
        assert_int_equal(res.no, 312);
        assert_int_equal(res.nran + res.nskipped + res.nfailed + res.nmissing, 312);
        assert_int_equal(res.nfailed, 0);
        /* EPI: A and both B rows (no Episodes, no OC3), then INT32: both B rows */
        const char *codes[] = {"EPI", "EPI", "EPI", "INT32", "INT32"};
        long rows[] = {1, 2, 3, 1, 3};
        size_t k = 0;
        for (size_t i = 0; i < res.n; i++) {
                if (strcmp(res.f[i].rule, "EPI") && strncmp(res.f[i].rule, "INT", 3))
                        continue;
                assert_true(k < 5);
                assert_string_equal(res.f[i].rule, codes[k]);
                assert_int_equal(res.f[i].row, rows[k]);
                assert_string_equal(res.f[i].file, "h.csv");
                assert_string_equal(res.f[i].table, "Header");
                assert_int_equal(res.f[i].severity, RULE_ERROR);
                k++;
        }
        assert_int_equal(k, 5);
        assert_int_equal(res.nerrors, res.n);
        /* tables not supplied: INT03 skipped with the reason */
        for (size_t i = 0; i < res.no; i++)
                if (strcmp(res.o[i].code, "INT03") == 0) {
                        assert_int_equal(res.o[i].kind, RULE_SKIPPED);
                        assert_string_equal(res.o[i].reason,
                                            "needs the Episodes table, which was not supplied");
                } else if (strcmp(res.o[i].code, "101") == 0 &&
                           !rules_find(RULES_903, 2024, "101")) {
                        assert_int_equal(res.o[i].kind, RULE_NOT_IMPLEMENTED);
                }
        rules_result_release(&res);

        /* an explicit older rule set is used as asked */
        rules_ctx_init_903(&ctx, ld, 2023);
        rules_result_init(&res);
        assert_int_equal(rules_run(&ctx, &res, &e), 0);
        assert_int_equal(res.no, 293);
        rules_result_release(&res);

        /* a set that does not exist is a usage error */
        ctx.rules_year = 2030;
        rules_result_init(&res);
        assert_int_equal(rules_run(&ctx, &res, &e), -1);
        assert_int_equal(e.code, EXIT_USAGE);
        rules_result_release(&res);
        ssda903_free(ld);
}

/* Unexpected XML becomes FORMAT findings, first, with the element's line. */
static void test_notes_become_findings(void **state)
{
        (void)state;
        const char *xml = "<EXPSSDA903>\n"
                          "<CHILD><HEADER><CHILDID>A</CHILDID><DOB>01/01/2010</DOB>\n"
                          "<ODD>1</ODD></HEADER>\n"
                          "<EPISODE><DECOM>01/05/2023</DECOM></EPISODE></CHILD>\n"
                          "</EXPSSDA903>\n";
        struct ssda903_load *ld = load_header(xml);
        struct rule_ctx ctx;
        rules_ctx_init_903(&ctx, ld, 0);
        struct rules_result res;
        rules_result_init(&res);
        struct err e;
        assert_int_equal(rules_run(&ctx, &res, &e), 0);
        assert_true(res.n >= 1);
        assert_string_equal(res.f[0].rule, "FORMAT");
        assert_string_equal(res.f[0].child, "A");
        assert_string_equal(res.f[0].file, "r.xml");
        assert_string_equal(
            res.f[0].message,
            "line 3: element <ODD> is not expected inside <HEADER>; it was ignored");
        rules_result_release(&res);
        ssda903_free(ld);
}

/* A rule's report: detail appended, fields overridden, strings copied. */
static int probe(struct rule_ctx *ctx)
{
        const struct ssda903_table *h = &ctx->s903->t[SSDA903_HEADER];
        char fields[] = "SEX|DOB";
        rule_report_903f(ctx, SSDA903_HEADER, &h->rows[1], fields, "seen %d", 7);
        fields[0] = 'X'; /* the finding must not see this */
        rule_report(ctx, "Header", 0, NULL, NULL, NULL, NULL);
        return ctx->nfound == 2 ? 0 : -1;
}

static void test_report(void **state)
{
        (void)state;
        struct ssda903_load *ld = load_header(NULL);
        static const struct rule_def def = {"T1",     RULE_QUERY, "A probe rule.", "CHILD",
                                            "Header", 0,          RULES_ALL_YEARS, probe};
        struct rule_ctx ctx;
        rules_ctx_init_903(&ctx, ld, 2024);
        struct rules_result res;
        rules_result_init(&res);
        ctx.out = &res;
        ctx.rule = &def;
        assert_int_equal(def.check(&ctx), 0);
        assert_int_equal(res.n, 2);
        assert_int_equal(res.nqueries, 2);
        assert_string_equal(res.f[0].message, "A probe rule.: seen 7");
        assert_string_equal(res.f[0].fields, "SEX|DOB");
        assert_string_equal(res.f[0].child, "A");
        assert_int_equal(res.f[0].row, 2);
        assert_int_equal(res.f[0].severity, RULE_QUERY);
        assert_string_equal(res.f[1].message, "A probe rule.");
        assert_string_equal(res.f[1].fields, "CHILD");
        assert_null(res.f[1].child);
        rules_result_release(&res);
        ssda903_free(ld);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_set_sizes),
            cmocka_unit_test(test_set_composition),
            cmocka_unit_test(test_rows_match_catalogue),
            cmocka_unit_test(test_status),
            cmocka_unit_test(test_years),
            cmocka_unit_test(test_run_outcomes_and_order),
            cmocka_unit_test(test_notes_become_findings),
            cmocka_unit_test(test_report),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
