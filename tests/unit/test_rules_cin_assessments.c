/*
 * test_rules_cin_assessments.c — CIN rules on Assessments and Section47, on
 * 2024/25 censuses (census year 2024-04-01 to 2025-03-31, reference date
 * 2025-03-31, a Monday).  Working days worked by hand (bank holidays
 * 25 and 26 December 2024 and 1 January 2025 fall in the window): 45 working
 * days before 2025-03-31 is 2025-01-27 (2025-01-30 were the holidays
 * ignored); 15 working days before it is 2025-03-10.
 */
#include "rules_cin_test.h"

#define ID(id)      "<LAchildID>" id "</LAchildID>"
#define REF(d)      "<CINreferralDate>" d "</CINreferralDate>"
#define ICPC(d)     "<DateOfInitialCPC>" d "</DateOfInitialCPC>"
#define A(body)     "<Assessments>" body "</Assessments>"
#define START(d)    "<AssessmentActualStartDate>" d "</AssessmentActualStartDate>"
#define DONE(d)     "<AssessmentAuthorisationDate>" d "</AssessmentAuthorisationDate>"
#define F(codes)    "<FactorsIdentifiedAtAssessment>" codes "</FactorsIdentifiedAtAssessment>"
#define AF(c)       "<AssessmentFactors>" c "</AssessmentFactors>"
#define S47(body)   "<Section47>" body "</Section47>"
#define S47START(d) "<S47ActualStartDate>" d "</S47ActualStartDate>"
#define TARGET(d)   "<InitialCPCtarget>" d "</InitialCPCtarget>"
#define NOTREQ(v)   "<ICPCnotRequired>" v "</ICPCnotRequired>"
#define RFC(c)      "<ReasonForClosure>" c "</ReasonForClosure>"
#define KID(eps)    CHILD(ID("A"), eps)

static void expect(int year, const char *code, const char *children, const char *table,
                   const long *rows, size_t n)
{
        struct rcin t;
        rcin_begin(&t, year, children);
        rcin_check(&t, code);
        rcin_expect(&t, table, rows, n);
        rcin_end(&t);
}

#define NONE(code, kids) expect(2025, code, kids, "Assessments", NULL, 0)
#define FAIL(code, kids, table, ...)                                                               \
        expect(2025, code, kids, table, (long[]){__VA_ARGS__},                                     \
               sizeof((long[]){__VA_ARGS__}) / sizeof(long))

static void test_assessment_dates(void **state)
{
        (void)state;
        NONE("1103", KID(CIN(REF("2024-05-01") A(START("2024-05-01")))));
        FAIL("1103", KID(CIN(REF("2024-05-01") A(START("2024-04-30")))), "Assessments", 1);
        NONE("8608", KID(CIN(A(START("2024-05-01") DONE("2024-05-01")))));
        FAIL("8608", KID(CIN(A(START("2024-05-02") DONE("2024-05-01")))), "Assessments", 1);
        NONE("8696", KID(CIN(A(DONE("2024-04-01")) A(DONE("2025-03-31")) A(""))));
        FAIL("8696", KID(CIN(A(DONE("2024-03-31")) A(DONE("2025-04-01")))), "Assessments", 1, 2);
        NONE("8736", KID(CIN(A(START("2024-04-01")) A(START("2023-01-01") DONE("2024-05-01")))));
        FAIL("8736", KID(CIN(A(START("2024-03-31")) A(START("2025-04-01")))), "Assessments", 1, 2);
}

static void test_8670Q(void **state)
{
        (void)state;
        NONE("8670Q", KID(CIN(A(START("2025-01-27")) A(START("2024-05-01") DONE("2024-06-01")))));
        FAIL("8670Q", KID(CIN(A(START("2025-01-24")))), "Assessments", 1);
}

static void test_overlaps(void **state)
{
        (void)state;
        /* Different episodes are not compared; 2 starts the day after 1 completes. */
        NONE("8863Q", KID(CIN(A(START("2024-05-01") DONE("2024-05-31")) A(START("2024-06-01")))
                              CIN(A(START("2024-05-10")))));
        FAIL("8863Q",
             KID(CIN(A(START("2024-05-01") DONE("2024-05-31")) A(START("2024-05-31") DONE(
                 "2024-06-30")) A(START("2024-07-01")) A(START("2024-08-01") DONE("2024-08-02")))),
             "Assessments", 2, 4);
        NONE("8896", KID(CIN(A(START("2024-05-01")) A(DONE("2024-05-02"))) CIN(A(""))));
        FAIL("8896", KID(CIN(A(START("2024-05-01")) A(DONE("2024-05-02")) A(""))), "Assessments", 1,
             3);
}

static void test_factors(void **state)
{
        (void)state;
        NONE("8614", KID(CIN(A(DONE("2024-05-01") F(AF("1A"))) A(F("")))));
        FAIL("8614", KID(CIN(A(START("2024-05-01") F(AF("1A"))))), "Assessments", 1);
        NONE("8869", KID(CIN(A(F(AF("21"))) A(F(AF("1A") AF("2B"))))));
        FAIL("8869", KID(CIN(A(F(AF("21") AF("1A"))))), "Assessments", 1);
        NONE("8898", KID(CIN(A(F(AF("1A") AF("1B"))))));
        FAIL("8898", KID(CIN(A(F(AF("1A"))) A(F(AF("3B") AF("1A") AF("3B"))))), "Assessments", 2);
        NONE("8897Q", KID(CIN(A(DONE("2024-05-01") F(AF("4B"))) A(DONE("2024-03-31")) A(""))));
        FAIL("8897Q", KID(CIN(A(DONE("2024-05-01")) A(DONE("2024-05-01") F(AF("99") AF("1A"))))),
             "Assessments", 1, 2);
}

static void test_8873Q(void **state)
{
        (void)state;
        NONE("8873Q",
             KID(CIN(RFC("RC8") A(DONE("2024-05-01") F(AF("21"))))       /* RC8: as asked */
                 CIN(RFC("RC7") A(DONE("2024-05-01") F(AF("21"))) A("")) /* two assessments */
                 CIN(A(DONE("2024-05-01") F(AF("21"))))                  /* still open */
                 CIN(RFC("RC7") A(F(AF("21"))))));                       /* not completed */
        FAIL("8873Q", KID(CIN(RFC("RC7") A(DONE("2024-05-01") F(AF("21"))))), "Assessments", 1);
}

static void test_18A_19A(void **state)
{
        (void)state;
        const char *kids = KID(CIN(A(F(AF("18A"))) A(F(AF("19A") AF("18B"))) A(F(AF("18C")))));
        expect(2025, "8945Q", kids, "Assessments", (long[]){1}, 1);
        expect(2026, "8950Q", kids, "Assessments", (long[]){2}, 1);
        expect(2025, "8945Q", KID(CIN(A(F(AF("18B"))))), "Assessments", NULL, 0);
        assert_null(rules_find(RULES_CIN, 2024, "8945Q"));
}

static void test_section47_dates(void **state)
{
        (void)state;
        NONE("1104", KID(CIN(REF("2024-05-01") ICPC("2024-05-01") S47(ICPC("2024-05-01")))));
        FAIL("1104", KID(CIN(REF("2024-05-01") S47(ICPC("2024-04-30")))), "Section47", 1);
        FAIL("1104", KID(CIN(REF("2024-05-01") ICPC("2024-04-30"))), "CINdetails", 1);
        NONE("2884", KID(CIN(ICPC("2024-05-01") S47("")) CIN(S47(ICPC("2024-05-01")))));
        FAIL("2884", KID(CIN(ICPC("2024-05-01") S47("") S47(ICPC("2024-05-02")))), "Section47", 2);
        NONE("2889", KID(CIN(REF("2024-05-01") S47(S47START("2024-05-01")))));
        FAIL("2889", KID(CIN(REF("2024-05-01") S47(S47START("2024-04-30")))), "Section47", 1);
        NONE("8615", KID(CIN(S47(S47START("2024-05-01") ICPC("2024-05-01")))));
        FAIL("8615",
             KID(CIN(S47(S47START("2024-05-02") ICPC("2024-05-01")) S47(ICPC("2024-05-01")))),
             "Section47", 1, 2);
        NONE("8715", KID(CIN(S47(ICPC("2024-04-01")) S47(ICPC("2025-03-31")))));
        FAIL("8715", KID(CIN(S47(ICPC("2024-03-31")) S47(ICPC("2025-04-01")))), "Section47", 1, 2);
        NONE("8740", KID(CIN(S47(S47START("2024-04-01")) S47(S47START("2020-01-01") NOTREQ("true"))
                                 S47(S47START("2020-01-01") ICPC("2020-01-10")))));
        FAIL("8740",
             KID(CIN(S47(S47START("2024-03-31") NOTREQ("false")) S47(S47START("2025-04-01")))),
             "Section47", 1, 2);
}

static void test_section47_open(void **state)
{
        (void)state;
        NONE("8675Q",
             KID(CIN(S47(S47START("2025-03-10")) S47(S47START("2024-05-01") NOTREQ("1")))));
        FAIL("8675Q", KID(CIN(S47(S47START("2025-03-07") NOTREQ("false")))), "Section47", 1);
        NONE("8839", KID(CIN(S47(S47START("2024-05-01")) S47(NOTREQ("true"))) CIN(S47(""))));
        FAIL("8839", KID(CIN(S47(S47START("2024-05-01")) S47(ICPC("2024-05-02")) S47(""))),
             "Section47", 1, 3);
}

/* 2024-06-01 is a Saturday, 2024-06-02 a Sunday, 2024-06-03 a Monday. */
static void test_weekends(void **state)
{
        (void)state;
        NONE("8870Q", KID(CIN(S47(TARGET("2024-06-03")))));
        FAIL("8870Q", KID(CIN(S47(TARGET("2024-06-01")) S47(TARGET("2024-06-02")))), "Section47", 1,
             2);
        NONE("8875", KID(CIN(S47(ICPC("2024-06-03")))));
        FAIL("8875", KID(CIN(S47(ICPC("2024-06-03")) S47(ICPC("2024-06-02")))), "Section47", 2);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_assessment_dates),
            cmocka_unit_test(test_8670Q),
            cmocka_unit_test(test_overlaps),
            cmocka_unit_test(test_factors),
            cmocka_unit_test(test_8873Q),
            cmocka_unit_test(test_18A_19A),
            cmocka_unit_test(test_section47_dates),
            cmocka_unit_test(test_section47_open),
            cmocka_unit_test(test_weekends),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
