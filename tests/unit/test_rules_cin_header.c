/*
 * test_rules_cin_header.c — CIN rule 100 (the reference date), on inline
 * censuses and on the shared fixtures built to make it fire.
 */
#include "rules_cin_test.h"

#define KID CHILD("<LAchildID>A1</LAchildID>", "")

static const char *with_header(const char *collection_details)
{
        static char doc[1024];
        snprintf(doc, sizeof doc,
                 "<Message><Header><CollectionDetails>%s</CollectionDetails>"
                 "<Source><LEA>938</LEA></Source></Header><Children>" KID "</Children></Message>",
                 collection_details);
        return doc;
}

static void test_100(void **state)
{
        (void)state;
        struct rcin t;
        rcin_begin(&t, 2025, KID); /* Year 2025, ReferenceDate 2025-03-31 */
        rcin_check(&t, "100");
        rcin_none(&t);
        rcin_end(&t);

        /* 30 March is not the reference date. */
        rcin_begin_doc(&t, 2025,
                       with_header("<Year>2025</Year><ReferenceDate>2025-03-30</ReferenceDate>"));
        rcin_check(&t, "100");
        rcin_expect(&t, "Header", (long[]){1}, 1);
        rcin_child(&t, 0, NULL);
        rcin_end(&t);

        /* 31 March of another year than Year. */
        rcin_begin_doc(&t, 2024,
                       with_header("<Year>2023</Year><ReferenceDate>2024-03-31</ReferenceDate>"));
        rcin_check(&t, "100");
        rcin_expect(&t, "Header", (long[]){1}, 1);
        rcin_end(&t);

        /* Missing, and not a date. */
        rcin_begin_doc(&t, 2024, with_header("<Year>2024</Year>"));
        rcin_check(&t, "100");
        rcin_expect(&t, "Header", (long[]){1}, 1);
        rcin_end(&t);
        rcin_begin_doc(&t, 2024,
                       with_header("<Year>2024</Year><ReferenceDate>31/03/2024</ReferenceDate>"));
        rcin_check(&t, "100");
        rcin_expect(&t, "Header", (long[]){1}, 1);
        rcin_end(&t);

        /* No usable Year: held to the collection year being validated. */
        rcin_begin_doc(&t, 2024, with_header("<ReferenceDate>2024-03-31</ReferenceDate>"));
        rcin_check(&t, "100");
        rcin_none(&t);
        rcin_end(&t);

        /* No Header at all. */
        rcin_begin_doc(&t, 2024, "<Message><Children>" KID "</Children></Message>");
        rcin_check(&t, "100");
        rcin_expect(&t, "Header", (long[]){0}, 1);
        rcin_end(&t);
}

/* The D2I fixtures: CIN_header_issues_100.xml is CIN_Census_2021.xml with a bad date. */
static void test_100_fixtures(void **state)
{
        (void)state;
        const char *dir = SHARED_DATA "/external/validator-fixtures/cin";
        char path[512];
        snprintf(path, sizeof path, "%s/CIN_header_issues_100.xml", dir);
        SKIP_WITHOUT_SHARED(path);
        const struct {
                const char *file;
                size_t findings;
        } cases[] = {
            {"CIN_header_issues_100.xml", 1}, /* Year 2023, ReferenceDate 2023-03-28 */
            {"CIN_Census_2021.xml", 0},       /* Year 2023, ReferenceDate 2023-03-31 */
            {"CIN_Census_2024.xml", 1},       /* Year 2023, ReferenceDate 2024-03-31 */
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                snprintf(path, sizeof path, "%s/%s", dir, cases[i].file);
                struct buf b;
                buf_init(&b);
                struct err e;
                assert_int_equal(buf_read_file(&b, path, &e), 0);
                struct rcin t;
                rcin_begin_doc(&t, 2024, b.data);
                buf_release(&b);
                assert_int_equal(rcin_check(&t, "100"), cases[i].findings);
                rcin_end(&t);
        }
}

/* The reader's issues become FORMAT findings with their table, row, child and line. */
static void test_issues_as_findings(void **state)
{
        (void)state;
        struct rcin t;
        rcin_begin(&t, 2025, KID CHILD("<LAchildID>B2</LAchildID><Colour>red</Colour>", ""));
        /* the header is line 1, <Children> line 2, the first child line 3 */
        assert_int_equal(t.l.nissues, 1);
        cin_report_issues(&t.ctx, &t.res);
        assert_int_equal(t.res.n, 1);
        const struct finding *f = &t.res.f[0];
        assert_string_equal(f->rule, "FORMAT");
        assert_int_equal(f->severity, RULE_ERROR);
        assert_string_equal(f->table, "ChildIdentifiers");
        assert_int_equal(f->row, 2);
        assert_string_equal(f->child, "B2");
        assert_string_equal(f->file, "census.xml");
        assert_non_null(
            strstr(f->message, "line 4: unexpected element <Colour> in <ChildIdentifiers>"));
        assert_int_equal(t.res.nerrors, 1);
        rcin_end(&t);

        rcin_begin(&t, 2025, KID);
        cin_report_issues(&t.ctx, &t.res);
        assert_int_equal(t.res.n, 0);
        rcin_end(&t);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_100),
            cmocka_unit_test(test_100_fixtures),
            cmocka_unit_test(test_issues_as_findings),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
