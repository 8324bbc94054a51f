/*
 * test_rules_cin_plans.c — CIN rules on CIN plans, child protection plans
 * and reviews, on 2024/25 censuses (census year 2024-04-01 to 2025-03-31).
 */
#include "rules_cin_test.h"

#define ID(id)     "<LAchildID>" id "</LAchildID>"
#define REF(d)     "<CINreferralDate>" d "</CINreferralDate>"
#define NFA(v)     "<ReferralNFA>" v "</ReferralNFA>"
#define CLOSE(d)   "<CINclosureDate>" d "</CINclosureDate>"
#define ICPC(d)    "<DateOfInitialCPC>" d "</DateOfInitialCPC>"
#define PLAN(s, e) "<CINPlanDates>" s e "</CINPlanDates>"
#define PS(d)      "<CINPlanStartDate>" d "</CINPlanStartDate>"
#define PE(d)      "<CINPlanEndDate>" d "</CINPlanEndDate>"
#define CPP(body)  "<ChildProtectionPlans>" body "</ChildProtectionPlans>"
#define CS(d)      "<CPPstartDate>" d "</CPPstartDate>"
#define CE(d)      "<CPPendDate>" d "</CPPendDate>"
#define REVIEWS(r) "<Reviews>" r "</Reviews>"
#define REV(d)     "<CPPreviewDate>" d "</CPPreviewDate>"
#define S47(body)  "<Section47>" body "</Section47>"
#define ASTART(d)                                                                                  \
        "<Assessments><AssessmentActualStartDate>" d "</AssessmentActualStartDate></Assessments>"
#define KID(eps) CHILD(ID("A"), eps)

static void expect(const char *code, const char *kids, const char *table, const long *rows,
                   size_t n)
{
        struct rcin t;
        rcin_begin(&t, 2025, kids);
        rcin_check(&t, code);
        rcin_expect(&t, table, rows, n);
        rcin_end(&t);
}

#define NONE(code, kids) expect(code, kids, "CINplanDates", NULL, 0)
#define FAIL(code, kids, table, ...)                                                               \
        expect(code, kids, table, (long[]){__VA_ARGS__},                                           \
               sizeof((long[]){__VA_ARGS__}) / sizeof(long))

static void test_plan_fields(void **state)
{
        (void)state;
        NONE("4000", KID(CIN(NFA("false") PLAN(PS("2024-05-01"), ""))));
        FAIL("4000", KID(CIN(NFA("true") PLAN(PS("2024-05-01"), ""))), "CINplanDates", 1);
        NONE("4010", KID(CIN(PLAN(PS("2023-01-01"), "") PLAN(PS("2025-03-31"), ""))));
        FAIL("4010", KID(CIN(PLAN("", PE("2024-05-01")) PLAN(PS("2025-04-01"), ""))),
             "CINplanDates", 1, 2);
        const char *ends = KID(CIN(PLAN(PS("2024-05-02"), PE("2024-05-01")) PLAN(
            PS("2024-05-01"), PE("2024-05-01")) PLAN(PS("2024-05-01"), PE("2024-05-02"))));
        FAIL("4011", ends, "CINplanDates", 1);
        FAIL("4012Q", ends, "CINplanDates", 2);
        NONE("4013", KID(CIN(PLAN(PS("2024-04-01"), PE("2024-04-01")) PLAN(PS("2024-04-01"), ""))));
        FAIL("4013",
             KID(CIN(PLAN(PS("2024-01-01"), PE("2024-03-31"))
                         PLAN(PS("2024-04-01"), PE("2025-04-01")))),
             "CINplanDates", 1, 2);
        NONE("4015", KID(CIN(REF("2024-05-01") PLAN(PS("2024-05-01"), ""))));
        FAIL("4015", KID(CIN(REF("2024-05-01") PLAN(PS("2024-04-30"), ""))), "CINplanDates", 1);
}

static void test_open_plans(void **state)
{
        (void)state;
        NONE("4001", KID(CIN(PLAN(PS("2024-05-01"), PE("2024-06-01")) CPP(CS("2024-06-01")))
                             CIN(PLAN(PS("2024-05-01"), ""))));
        FAIL("4001", KID(CIN(PLAN(PS("2024-05-01"), "") CPP(CS("2024-06-01")))), "CINplanDates", 1);
        NONE("4004", KID(CIN(PLAN(PS("2024-05-01"), "") PLAN(PS("2024-04-01"), PE("2024-04-30")))
                             CIN(PLAN(PS("2024-05-01"), ""))));
        FAIL("4004", KID(CIN(PLAN(PS("2024-05-01"), "") PLAN(PS("2024-06-01"), ""))),
             "CINplanDates", 1, 2);
}

static void test_4003(void **state)
{
        (void)state;
        /* Reviews on the plan's first and last day are not during it. */
        NONE("4003", KID(CIN(PLAN(PS("2024-05-01"), PE("2024-08-01")) CPP(
                         CS("2024-04-02") REVIEWS(REV("2024-05-01") REV("2024-08-01"))))));
        FAIL("4003",
             KID(CIN(PLAN(PS("2024-05-01"), PE("2024-08-01")) CPP(CS("2024-04-02") REVIEWS(
                 REV("2024-06-01")))) CIN(PLAN(PS("2024-05-01"), "")
                                              CPP(CS("2024-04-02") REVIEWS(REV("2024-09-01"))))),
             "Reviews", 1, 2);
}

static void test_overlaps(void **state)
{
        (void)state;
        NONE("4014", KID(CIN(PLAN(PS("2024-05-01"), PE("2024-06-01")) PLAN(PS("2024-06-01"), ""))));
        FAIL("4014", KID(CIN(PLAN(PS("2024-05-01"), PE("2024-06-01")) PLAN(PS("2024-05-15"), ""))),
             "CINplanDates", 2);
        NONE("4016", KID(CIN(CPP(CS("2024-05-01") CE("2024-07-01")) PLAN(PS("2024-07-01"), ""))));
        FAIL("4016", KID(CIN(CPP(CS("2024-05-01") CE("2024-07-01")) PLAN(PS("2024-06-01"), ""))),
             "CINplanDates", 1);
        NONE("4017", KID(CIN(PLAN(PS("2024-05-01"), PE("2024-07-01")) CPP(CS("2024-07-01")))));
        FAIL("4017", KID(CIN(PLAN(PS("2024-05-01"), PE("2024-07-01")) CPP(CS("2024-06-01")))),
             "CINplanDates", 1);
        NONE("8940", KID(CIN(CPP(CS("2024-05-01") CE("2024-06-01")) CPP(CS("2024-06-02")))));
        FAIL("8940",
             KID(CIN(CPP(CS("2024-05-01") CE("2024-06-01")) CPP(CS("2024-06-01"))
                         CPP(CS("2024-12-01")))),
             "ChildProtectionPlans", 2, 3);
}

static void test_cpp_fields(void **state)
{
        (void)state;
        const char *cats =
            KID(CIN(CPP("<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>"
                        "<LatestCategoryOfAbuse>MUL</LatestCategoryOfAbuse>"
                        "<NumberOfPreviousCPP>0</NumberOfPreviousCPP>")
                        CPP("<InitialCategoryOfAbuse>neg</InitialCategoryOfAbuse>")));
        FAIL("8905", cats, "ChildProtectionPlans", 2);
        FAIL("8910", cats, "ChildProtectionPlans", 2);
        FAIL("8730", cats, "ChildProtectionPlans", 2);
        NONE("1105", KID(CIN(REF("2024-05-01") CPP(CS("2024-05-01")))));
        FAIL("1105", KID(CIN(REF("2024-05-01") CPP(CS("2024-04-30")))), "ChildProtectionPlans", 1);
        NONE("8720", KID(CIN(CPP(CS("2023-01-01")) CPP(CS("2025-03-31")))));
        FAIL("8720", KID(CIN(CPP("") CPP(CS("2025-04-01")))), "ChildProtectionPlans", 1, 2);
        const char *ends = KID(CIN(CPP(CS("2024-05-02") CE("2024-05-01")) CPP(
            CS("2024-05-01") CE("2024-05-01")) CPP(CS("2024-05-01") CE("2024-05-02"))));
        FAIL("8925", ends, "ChildProtectionPlans", 1);
        FAIL("8840", ends, "ChildProtectionPlans", 2);
        NONE("8930", KID(CIN(CPP(CE("2024-04-01")) CPP(CE("2025-03-31")) CPP(""))));
        FAIL("8930", KID(CIN(CPP(CE("2024-03-31")) CPP(CE("2025-04-01")))), "ChildProtectionPlans",
             1, 2);
        NONE("8832", KID(CIN(NFA("false") CPP(""))));
        FAIL("8832", KID(CIN(NFA("1") CPP(""))), "ChildProtectionPlans", 1);
        NONE("8935", KID(CIN(CPP("") CPP(CE("2024-05-01"))) CIN(CPP(""))));
        FAIL("8935", KID(CIN(CPP("") CPP(CE("2024-05-01")) CPP(""))), "ChildProtectionPlans", 1, 3);
}

static void test_reviews(void **state)
{
        (void)state;
        NONE("8841", KID(CIN(CPP(CS("2024-05-01") REVIEWS(REV("2024-05-02"))))));
        FAIL("8841",
             KID(CIN(CPP(CS("2024-05-01")
                             REVIEWS(REV("2024-05-01") REV("2024-04-30") REV("2024-06-01"))))),
             "Reviews", 1, 2);
        NONE("8842Q", KID(CIN(CPP(REVIEWS(REV("2024-05-02"))))));
        FAIL("8842Q", KID(CIN(CPP(REVIEWS(REV("2024-05-02") "<CPPreviewDate/>")))), "Reviews", 2);
}

static void test_death(void **state)
{
        (void)state;
        NONE("8915", CHILD(ID("A") "<PersonDeathDate>2024-10-10</PersonDeathDate>",
                           CIN(CPP(CS("2024-10-10") CE("2024-10-10")))));
        NONE("8920",
             CHILD(ID("A") "<PersonDeathDate>2024-10-10</PersonDeathDate>",
                   CIN(CPP(CS("2024-10-10") CE("2024-10-10")))) CHILD(ID("B"), CIN(CPP(""))));
        const char *kids = CHILD(ID("A") "<PersonDeathDate>2024-10-10</PersonDeathDate>",
                                 CIN(CPP(CS("2024-10-11") CE("2024-10-12")) CPP(
                                     CS("2024-01-01") CE("2024-10-11")) CPP(CS("2024-01-01"))));
        FAIL("8915", kids, "ChildProtectionPlans", 1);
        FAIL("8920", kids, "ChildProtectionPlans", 1, 2, 3);
}

static void test_conferences(void **state)
{
        (void)state;
        /* 2885: each plan starting in the year starts on an initial conference of its episode. */
        NONE("2885", KID(CIN(S47(ICPC("2024-05-01")) CPP(CS("2024-05-01")))
                             CIN(ICPC("2024-06-03") CPP(CS("2024-06-03")) CPP(CS("2023-07-01")))));
        FAIL("2885",
             KID(CIN(S47(ICPC("2024-05-01")) CPP(CS("2024-05-02"))) CIN(CPP(CS("2024-07-01")))),
             "ChildProtectionPlans", 1, 2);
        /* 2883: plans started in the year against conferences held in it. */
        NONE("2883", KID(CIN(S47(ICPC("2024-05-01")) CPP(CS("2024-05-01")))
                             CIN(ICPC("2024-06-03") CPP(CS("2024-06-03")) CPP(CS("2023-07-01")))));
        FAIL("2883",
             KID(CIN(S47(ICPC("2024-05-01")) CPP(CS("2024-05-01")) CPP(CS("2024-08-01")))
                     CIN(ICPC("2023-06-03"))),
             "ChildProtectionPlans", 0);
}

static void test_8565(void **state)
{
        (void)state;
        NONE("8565", KID(CIN(CLOSE("2024-06-01") ASTART("2024-05-01") CPP(CE("2024-06-01"))
                                 PLAN(PS("2024-05-01"), PE("2024-06-01")))));
        FAIL("8565",
             KID(CIN(CLOSE("2024-06-01") ASTART("2024-06-02"))
                     CIN(CLOSE("2024-06-01") CPP(CE("2024-06-05")))
                         CIN(CLOSE("2024-06-01") ICPC("2024-07-01")) CIN(ASTART("2024-06-02"))),
             "CINdetails", 1, 2, 3);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_plan_fields), cmocka_unit_test(test_open_plans),
            cmocka_unit_test(test_4003),        cmocka_unit_test(test_overlaps),
            cmocka_unit_test(test_cpp_fields),  cmocka_unit_test(test_reviews),
            cmocka_unit_test(test_death),       cmocka_unit_test(test_conferences),
            cmocka_unit_test(test_8565),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
