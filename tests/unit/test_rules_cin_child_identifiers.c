/*
 * test_rules_cin_child_identifiers.c — CIN rules on ChildIdentifiers other
 * than the UPN: 1570, 1580, 2886Q, 4008, 4009Q, 4180, 8500, 8510, 8520,
 * 8525Q, 8530Q, 8535Q, 8545Q, 8590, 8750, 8775Q.  Dates are worked from the
 * reference date of each case (31 March of the collection year).
 */
#include "rules_cin_test.h"

#define ID(id)  "<LAchildID>" id "</LAchildID>"
#define KID(id) CHILD(ID(id), "")
#define EPISODE CIN("<CINreferralDate>2024-06-01</CINreferralDate>")

static void test_1570_1580(void **state)
{
        (void)state;
        struct rcin t;
        rcin_begin(&t, 2025, KID("ABCDEFGHIJ0123456789") KID("a1"));
        rcin_check(&t, "1570");
        rcin_none(&t);
        rcin_check(&t, "1580");
        rcin_none(&t);
        rcin_end(&t);

        rcin_begin(&t, 2025, KID("ABCDEFGHIJ01234567890") KID("A-1") KID("A 1") KID("ok"));
        rcin_check(&t, "1570");
        rcin_expect(&t, "ChildIdentifiers", (long[]){1}, 1);
        rcin_check(&t, "1580");
        rcin_expect(&t, "ChildIdentifiers", (long[]){2, 3}, 2);
        rcin_end(&t);

        /* Neither is in the 2023/24 set. */
        rcin_begin(&t, 2024, KID("A-1"));
        assert_null(rules_find(RULES_CIN, 2024, "1570"));
        assert_null(rules_find(RULES_CIN, 2024, "1580"));
        assert_non_null(rules_find(RULES_CIN, 2026, "1580"));
        rcin_end(&t);
}

/* n children, the first `nosex` of them without Sex. */
static void census_sex(struct rcin *t, int year, int n, int nosex, int unborn_nosex)
{
        char *kids = calloc((size_t)n + 1, 200);
        assert_non_null(kids);
        for (int i = 0; i < n; i++) {
                char one[200];
                const char *sex = i < nosex ? "" : "<Sex>F</Sex>";
                const char *unborn =
                    i < unborn_nosex
                        ? "<ExpectedPersonBirthDate>2025-05-01</ExpectedPersonBirthDate>"
                        : "";
                snprintf(one, sizeof one,
                         "<Child><ChildIdentifiers><LAchildID>K%d</LAchildID>%s%s"
                         "</ChildIdentifiers></Child>\n",
                         i, unborn, sex);
                strcat(kids, one);
        }
        rcin_begin(t, year, kids);
        free(kids);
}

static void test_2886Q(void **state)
{
        (void)state;
        struct rcin t;
        /* 1 of 50 = 2%: not more than 2%. */
        census_sex(&t, 2025, 50, 1, 0);
        rcin_check(&t, "2886Q");
        rcin_none(&t);
        rcin_end(&t);
        /* 2 of 50 = 4%. */
        census_sex(&t, 2025, 50, 2, 0);
        rcin_check(&t, "2886Q");
        rcin_expect(&t, "ChildIdentifiers", (long[]){0}, 1);
        rcin_child(&t, 0, NULL);
        rcin_end(&t);
        /* Unborn children without sex do not count. */
        census_sex(&t, 2025, 50, 3, 2);
        rcin_check(&t, "2886Q");
        rcin_none(&t);
        rcin_end(&t);
        /* Before 2024/25 the field is GenderCurrent, and 0 means not recorded. */
        rcin_begin(&t, 2024,
                   KID("A") CHILD(ID("B") "<GenderCurrent>1</GenderCurrent>", "")
                       CHILD(ID("C") "<GenderCurrent>0</GenderCurrent>", ""));
        rcin_check(&t, "2886Q");
        rcin_expect(&t, "ChildIdentifiers", (long[]){0}, 1);
        rcin_end(&t);
        rcin_begin(&t, 2024, CHILD(ID("B") "<GenderCurrent>1</GenderCurrent><Sex>U</Sex>", ""));
        rcin_check(&t, "2886Q");
        rcin_none(&t);
        rcin_end(&t);
}

#define PLAN(s, e)  "<CINPlanDates><CINPlanStartDate>" s "</CINPlanStartDate>" e "</CINPlanDates>"
#define END(e)      "<CINPlanEndDate>" e "</CINPlanEndDate>"
#define DIED(id, d) ID(id) "<PersonDeathDate>" d "</PersonDeathDate>"

static void test_4008_4009Q(void **state)
{
        (void)state;
        struct rcin t;
        rcin_begin(&t, 2025,
                   CHILD(DIED("A", "2024-10-10"), CIN(PLAN("2024-10-10", END("2024-10-10"))
                                                          PLAN("2024-06-01", END("2024-07-01"))))
                   /* B is alive: an open plan is fine */
                   CHILD(ID("B"), CIN(PLAN("2025-01-01", ""))));
        rcin_check(&t, "4008");
        rcin_none(&t);
        rcin_check(&t, "4009Q");
        rcin_none(&t);
        rcin_end(&t);

        rcin_begin(&t, 2025,
                   CHILD(DIED("A", "2024-10-10"), CIN(PLAN("2024-06-01", END("2024-10-11")))
                                                      CIN(PLAN("2024-10-11", END("2024-12-01")))
                                                          CIN(PLAN("2024-09-01", ""))));
        rcin_check(&t, "4008");
        rcin_expect(&t, "CINplanDates", (long[]){2}, 1);
        rcin_child(&t, 0, "A");
        /* 3 is still open at the death */
        rcin_check(&t, "4009Q");
        rcin_expect(&t, "CINplanDates", (long[]){1, 2, 3}, 3);
        rcin_end(&t);
}

static void test_4180(void **state)
{
        (void)state;
        struct rcin t;
        rcin_begin(&t, 2024,
                   CHILD(ID("A") "<GenderCurrent>1</GenderCurrent>", "")
                       CHILD(ID("B") "<GenderCurrent>9</GenderCurrent>", "")
                           CHILD(ID("C") "<GenderCurrent>0</GenderCurrent>", ""));
        rcin_check(&t, "4180");
        rcin_none(&t);
        rcin_end(&t);
        rcin_begin(&t, 2024,
                   CHILD(ID("A") "<GenderCurrent>M</GenderCurrent>", "")
                       CHILD(ID("B") "<Sex>F</Sex>", ""));
        rcin_check(&t, "4180");
        rcin_expect(&t, "ChildIdentifiers", (long[]){1, 2}, 2);
        assert_string_equal(t.res.f[0].fields, "GenderCurrent");
        rcin_end(&t);

        rcin_begin(&t, 2025, CHILD(ID("A") "<Sex>M</Sex>", "") CHILD(ID("B") "<Sex>U</Sex>", ""));
        rcin_check(&t, "4180");
        rcin_none(&t);
        rcin_end(&t);
        rcin_begin(&t, 2026,
                   CHILD(ID("A") "<Sex>1</Sex>", "") CHILD(ID("B") "<Sex>m</Sex>", "")
                       CHILD(ID("C") "<GenderCurrent>1</GenderCurrent>", ""));
        rcin_check(&t, "4180");
        rcin_expect(&t, "ChildIdentifiers", (long[]){1, 2, 3}, 3);
        assert_string_equal(t.res.f[0].fields, "Sex");
        rcin_end(&t);
}

static void test_8500_8510_8590(void **state)
{
        (void)state;
        struct rcin t;
        rcin_begin(&t, 2025, CHILD(ID("A"), EPISODE) CHILD(ID("B"), EPISODE EPISODE));
        rcin_check(&t, "8500");
        rcin_none(&t);
        rcin_check(&t, "8510");
        rcin_none(&t);
        rcin_check(&t, "8590");
        rcin_none(&t);
        rcin_end(&t);

        rcin_begin(&t, 2025,
                   CHILD(ID("A"), EPISODE) CHILD("<UPN>U938012345670</UPN>", EPISODE)
                       CHILD(ID("A"), "") "<Child>" EPISODE "</Child>" CHILD(ID("C"), ""));
        rcin_check(&t, "8500");
        /* row 2 has no LAchildID; the fourth child has no ChildIdentifiers at all */
        rcin_expect(&t, "ChildIdentifiers", (long[]){2, 0}, 2);
        rcin_check(&t, "8510");
        rcin_expect(&t, "ChildIdentifiers", (long[]){1, 3}, 2);
        rcin_check(&t, "8590");
        rcin_expect(&t, "ChildIdentifiers", (long[]){3, 4}, 2);
        rcin_child(&t, 1, "C");
        rcin_end(&t);
}

#define BORN(id, d) ID(id) "<PersonBirthDate>" d "</PersonBirthDate>"
#define EXPECTED(d) "<ExpectedPersonBirthDate>" d "</ExpectedPersonBirthDate>"

static void test_8520_8525Q(void **state)
{
        (void)state;
        struct rcin t;
        rcin_begin(&t, 2025,
                   CHILD(BORN("A", "2025-03-31"), "") CHILD(ID("B") EXPECTED("2025-05-01"), ""));
        rcin_check(&t, "8520");
        rcin_none(&t);
        rcin_check(&t, "8525Q");
        rcin_none(&t);
        rcin_end(&t);

        rcin_begin(&t, 2025,
                   CHILD(BORN("A", "2025-04-01"), "")
                       CHILD(BORN("B", "2020-01-01") EXPECTED("2020-01-01"), "") KID("C")
                           CHILD(BORN("D", "not a date"), ""));
        rcin_check(&t, "8520");
        rcin_expect(&t, "ChildIdentifiers", (long[]){1}, 1);
        rcin_check(&t, "8525Q");
        rcin_expect(&t, "ChildIdentifiers", (long[]){2, 3}, 2);
        rcin_end(&t);
}

static void test_8530Q(void **state)
{
        (void)state;
        struct rcin t;
        /* reference date 2025-03-31: from 2025-03-01 to 2025-12-31 */
        rcin_begin(&t, 2025,
                   CHILD(ID("A") EXPECTED("2025-03-01"), "")
                       CHILD(ID("B") EXPECTED("2025-12-31"), "") KID("C"));
        rcin_check(&t, "8530Q");
        rcin_none(&t);
        rcin_end(&t);
        rcin_begin(&t, 2025,
                   CHILD(ID("A") EXPECTED("2025-02-28"), "")
                       CHILD(ID("B") EXPECTED("2026-01-01"), ""));
        rcin_check(&t, "8530Q");
        rcin_expect(&t, "ChildIdentifiers", (long[]){1, 2}, 2);
        rcin_end(&t);
}

static void test_8535Q_8545Q(void **state)
{
        (void)state;
        struct rcin t;
        /* census year 2025: 2024-04-01 to 2025-03-31 */
        rcin_begin(&t, 2025,
                   CHILD(BORN("A", "2024-05-01") "<PersonDeathDate>2024-05-01</PersonDeathDate>",
                         "") CHILD(DIED("B", "2025-03-31"), "") CHILD(DIED("C", "2024-04-01"), ""));
        rcin_check(&t, "8535Q");
        rcin_none(&t);
        rcin_check(&t, "8545Q");
        rcin_none(&t);
        rcin_end(&t);

        rcin_begin(&t, 2025,
                   CHILD(BORN("A", "2024-05-02") "<PersonDeathDate>2024-05-01</PersonDeathDate>",
                         "") CHILD(DIED("B", "2025-04-01"), "") CHILD(DIED("C", "2024-03-31"), ""));
        rcin_check(&t, "8535Q");
        rcin_expect(&t, "ChildIdentifiers", (long[]){1}, 1);
        rcin_check(&t, "8545Q");
        rcin_expect(&t, "ChildIdentifiers", (long[]){2, 3}, 2);
        rcin_end(&t);
}

static void test_8750(void **state)
{
        (void)state;
        struct rcin t;
        rcin_begin(&t, 2024,
                   CHILD(ID("A") EXPECTED("2024-05-01") "<GenderCurrent>0</GenderCurrent>", "")
                       CHILD(BORN("B", "2020-01-01") "<GenderCurrent>1</GenderCurrent>", ""));
        rcin_check(&t, "8750");
        rcin_none(&t);
        rcin_end(&t);
        rcin_begin(&t, 2024,
                   CHILD(ID("A") EXPECTED("2024-05-01") "<GenderCurrent>2</GenderCurrent>", "")
                       CHILD(ID("B") EXPECTED("2024-05-01"), ""));
        rcin_check(&t, "8750");
        rcin_expect(&t, "ChildIdentifiers", (long[]){1, 2}, 2);
        rcin_end(&t);

        rcin_begin(&t, 2025,
                   CHILD(ID("A") EXPECTED("2025-05-01") "<Sex>U</Sex>", "")
                       CHILD(BORN("B", "2020-01-01") EXPECTED("2020-01-01") "<Sex>M</Sex>", ""));
        rcin_check(&t, "8750");
        rcin_none(&t); /* B is born: the rule is about unborn children only */
        rcin_end(&t);
        rcin_begin(&t, 2025,
                   CHILD(ID("A") EXPECTED("2025-05-01") "<Sex>F</Sex>", "") CHILD(
                       ID("B") EXPECTED("2025-05-01") "<GenderCurrent>0</GenderCurrent>", ""));
        rcin_check(&t, "8750");
        rcin_expect(&t, "ChildIdentifiers", (long[]){1, 2}, 2);
        rcin_end(&t);
}

#define CLOSED(d)                                                                                  \
        CIN("<CINreferralDate>2024-06-01</CINreferralDate><CINclosureDate>" d "</CINclosureDate>")

static void test_8775Q(void **state)
{
        (void)state;
        struct rcin t;
        /* reference 2025-03-31: over 25 if born before 2000-03-31 */
        rcin_begin(&t, 2025,
                   CHILD(BORN("A", "2000-03-31"), EPISODE)
                       CHILD(BORN("B", "1990-01-01"), CLOSED("2014-12-31"))
                           CHILD(BORN("C", "1999-06-01"), CLOSED("2024-06-01")));
        rcin_check(&t, "8775Q");
        rcin_none(&t); /* A is exactly 25; B and C's episodes closed by their 25th birthday */
        rcin_end(&t);
        rcin_begin(&t, 2025,
                   CHILD(BORN("A", "2000-03-30"), EPISODE)
                       CHILD(BORN("B", "1999-06-01"), CLOSED("2024-06-01") CLOSED("2024-06-02")));
        rcin_check(&t, "8775Q");
        rcin_expect(&t, "ChildIdentifiers", (long[]){1, 2}, 2);
        rcin_end(&t);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_1570_1580),      cmocka_unit_test(test_2886Q),
            cmocka_unit_test(test_4008_4009Q),     cmocka_unit_test(test_4180),
            cmocka_unit_test(test_8500_8510_8590), cmocka_unit_test(test_8520_8525Q),
            cmocka_unit_test(test_8530Q),          cmocka_unit_test(test_8535Q_8545Q),
            cmocka_unit_test(test_8750),           cmocka_unit_test(test_8775Q),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
