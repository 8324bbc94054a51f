/*
 * test_rules_cin_details.c — CIN rules whose module is CINdetails.  Every
 * case is the 2024/25 census (collection year 2025): the census year runs
 * 2024-04-01 to 2025-03-31, the reference date is 2025-03-31.
 */
#include "rules_cin_test.h"

#define ID(id)       "<LAchildID>" id "</LAchildID>"
#define REF(d)       "<CINreferralDate>" d "</CINreferralDate>"
#define CLOSE(d)     "<CINclosureDate>" d "</CINclosureDate>"
#define RFC(c)       "<ReasonForClosure>" c "</ReasonForClosure>"
#define NFA(v)       "<ReferralNFA>" v "</ReferralNFA>"
#define PNC(c)       "<PrimaryNeedCode>" c "</PrimaryNeedCode>"
#define SRC(c)       "<ReferralSource>" c "</ReferralSource>"
#define S47(body)    "<Section47>" body "</Section47>"
#define S47START(d)  "<S47ActualStartDate>" d "</S47ActualStartDate>"
#define ICPC(d)      "<DateOfInitialCPC>" d "</DateOfInitialCPC>"
#define NOTREQ(v)    "<ICPCnotRequired>" v "</ICPCnotRequired>"
#define ASSESS(body) "<Assessments>" body "</Assessments>"
#define ASTART(d)    "<AssessmentActualStartDate>" d "</AssessmentActualStartDate>"
#define AAUTH(d)     "<AssessmentAuthorisationDate>" d "</AssessmentAuthorisationDate>"
#define KID(id, eps) CHILD(ID(id), eps)

/* Run `code` on a 2025 census of `children`; expect findings on these rows of `table`. */
static void expect(const char *code, const char *children, const char *table, const long *rows,
                   size_t n)
{
        struct rcin t;
        rcin_begin(&t, 2025, children);
        rcin_check(&t, code);
        rcin_expect(&t, table, rows, n);
        rcin_end(&t);
}

#define NONE(code, children) expect(code, children, "CINdetails", NULL, 0)

static void test_8555Q_8585Q(void **state)
{
        (void)state;
        const char *died = CHILD(ID("A") "<PersonDeathDate>2024-10-10</PersonDeathDate>",
                                 CIN(REF("2024-10-10")) CIN(REF("2024-10-11") RFC("RC2")));
        expect("8555Q", died, "CINdetails", (long[]){2}, 1);
        NONE("8585Q", died);
        expect("8585Q", KID("B", CIN(RFC("RC2")) CIN(RFC("RC1"))), "CINdetails", (long[]){1}, 1);
        NONE("8555Q", KID("B", CIN(REF("2024-10-11"))));
}

static void test_8568(void **state)
{
        (void)state;
        NONE("8568", KID("A", CIN(NFA("true")) CIN(NFA("0")) CIN(NFA("FALSE"))));
        expect("8568", KID("A", CIN(NFA("yes")) CIN(NFA("1")) CIN("")), "CINdetails",
               (long[]){1, 3}, 2);
}

/* The working day before 2024-04-01 is Thursday 28 March (Good Friday, then a weekend). */
static void test_8569Q(void **state)
{
        (void)state;
        NONE("8569Q",
             KID("A", CIN(REF("2024-03-28") NFA("true")) CIN(REF("2024-03-27") NFA("false"))));
        expect("8569Q", KID("A", CIN(REF("2024-03-27") NFA("1")) CIN(REF("2024-04-02") NFA("1"))),
               "CINdetails", (long[]){1}, 1);
}

static void test_8600_8620_8630(void **state)
{
        (void)state;
        NONE("8600", KID("A", CIN(REF("2025-03-31")) CIN(REF("2010-01-01"))));
        expect("8600", KID("A", CIN(REF("2025-04-01")) CIN("") CIN(REF("31/03/2025"))),
               "CINdetails", (long[]){1, 2, 3}, 3);
        NONE("8620", KID("A", CIN(CLOSE("2024-04-01")) CIN(CLOSE("2025-03-31")) CIN("")));
        expect("8620", KID("A", CIN(CLOSE("2024-03-31")) CIN(CLOSE("2025-04-01"))), "CINdetails",
               (long[]){1, 2}, 2);
        NONE("8630", KID("A", CIN(REF("2024-05-01") CLOSE("2024-05-01")) CIN(REF("2024-05-01"))));
        expect("8630", KID("A", CIN(REF("2024-05-01") CLOSE("2024-04-30"))), "CINdetails",
               (long[]){1}, 1);
}

/* 2024-06-01 minus 280 days is 2023-08-26. */
static void test_8606(void **state)
{
        (void)state;
        NONE("8606", CHILD(ID("A") "<PersonBirthDate>2024-06-01</PersonBirthDate>",
                           CIN(REF("2023-08-26"))));
        expect(
            "8606",
            CHILD(ID("A") "<PersonBirthDate>2024-06-01</PersonBirthDate>", CIN(REF("2023-08-25")))
                CHILD(ID("B") "<ExpectedPersonBirthDate>2024-06-01</ExpectedPersonBirthDate>",
                      CIN(REF("2023-01-01"))),
            "CINdetails", (long[]){1, 2}, 2);
}

static void test_codes(void **state)
{
        (void)state;
        NONE("8610",
             KID("A", CIN(NFA("false") PNC("N1")) CIN(NFA("true")) CIN(NFA("0") PNC("N0"))));
        expect("8610", KID("A", CIN(NFA("false")) CIN(NFA("0"))), "CINdetails", (long[]){1, 2}, 2);
        NONE("8640", KID("A", CIN(RFC("RC1")) CIN(RFC("RC9")) CIN("")));
        expect("8640", KID("A", CIN(RFC("RC10")) CIN(RFC("rc1"))), "CINdetails", (long[]){1, 2}, 2);
        NONE("8650", KID("A", CIN(PNC("N0")) CIN(PNC("N9"))));
        expect("8650", KID("A", CIN(PNC("N10"))), "CINdetails", (long[]){1}, 1);
        NONE("8866", KID("A", CIN(REF("2024-05-01") SRC("2A")) CIN(REF("2024-05-01") SRC("10"))
                                  CIN(REF("2013-03-31"))));
        expect("8866", KID("A", CIN(REF("2024-05-01") SRC("11")) CIN(REF("2013-04-01"))),
               "CINdetails", (long[]){1, 2}, 2);
}

static void test_8805_8810(void **state)
{
        (void)state;
        NONE("8805", KID("A", CIN(CLOSE("2024-05-01") RFC("RC7")) CIN("")));
        NONE("8810", KID("A", CIN(CLOSE("2024-05-01") RFC("RC7")) CIN("")));
        const char *kids = KID("A", CIN(CLOSE("2024-05-01")) CIN(RFC("RC7")));
        expect("8805", kids, "CINdetails", (long[]){1}, 1);
        expect("8810", kids, "CINdetails", (long[]){2}, 1);
}

static void test_8815_8816(void **state)
{
        (void)state;
        NONE("8815", KID("B", CIN(REF("2024-05-01") NFA("false")) CIN(CLOSE("2024-06-01") NFA("0")))
                         KID("C", CIN(NFA("true")) CIN(NFA("true"))));
        expect("8815", KID("A", CIN(NFA("false")) CIN(NFA("0")) CIN(NFA("true"))), "CINdetails",
               (long[]){1, 2}, 2);
        NONE("8816", KID("A", CIN(REF("2024-05-01") CLOSE("2024-05-20") NFA("false"))
                                  CIN(REF("2024-06-01") NFA("false"))));
        expect("8816",
               KID("A", CIN(REF("2024-05-01") NFA("false"))
                            CIN(REF("2024-06-01") CLOSE("2024-06-20") NFA("false"))),
               "CINdetails", (long[]){1}, 1);
}

static void test_8820(void **state)
{
        (void)state;
        /* A: the second starts the day the first closes; D: the open one is an NFA referral. */
        NONE("8820", KID("A", CIN(REF("2024-04-10") CLOSE("2024-06-01")) CIN(REF("2024-06-01")))
                         KID("D", CIN(REF("2024-04-10") NFA("true")) CIN(REF("2024-06-01"))));
        expect("8820",
               KID("B", CIN(REF("2024-04-10") CLOSE("2024-07-01")) CIN(REF("2024-06-01")))
                   KID("C", CIN(REF("2024-04-10") NFA("false"))
                                CIN(REF("2024-06-01") CLOSE("2024-06-10") NFA("true"))),
               "CINdetails", (long[]){2, 4}, 2);
}

static void test_activity(void **state)
{
        (void)state;
        NONE("2990", KID("A", CIN(RFC("RC8")) CIN(RFC("RC7") S47(S47START("2024-05-01")))));
        expect("2990",
               KID("A",
                   CIN(RFC("RC8") S47(S47START("2024-05-01"))) CIN(RFC("RC8") ICPC("2024-05-01"))
                       CIN(RFC("RC9") "<CINPlanDates><CINPlanStartDate>2024-05-01"
                                      "</CINPlanStartDate></CINPlanDates>")
                           CIN(RFC("RC9") "<ChildProtectionPlans/>")),
               "CINdetails", (long[]){1, 2, 3, 4}, 4);
        NONE("2991Q", KID("A", CIN(S47("") ASSESS("")) CIN("")));
        expect("2991Q", KID("A", CIN(S47("")) CIN(ASSESS(""))), "CINdetails", (long[]){1}, 1);
        NONE("8825Q", KID("A", CIN(RFC("RC8") ASSESS("")) CIN(RFC("RC7"))));
        expect("8825Q", KID("A", CIN(RFC("RC9")) CIN(RFC("RC8") S47(""))), "CINdetails",
               (long[]){1, 2}, 2);
        NONE("8831", KID("A", CIN(NFA("true") ASSESS("") S47(NOTREQ("true")))
                                  CIN(NFA("false") ASSESS(ASTART("2024-05-01")))));
        expect("8831",
               KID("A", CIN(NFA("true") ASSESS(ASTART("2024-05-01"))) CIN(
                            NFA("1") ICPC("2024-05-01")) CIN(NFA("true") S47(ICPC("2024-05-01")))
                            CIN(NFA("true") ASSESS(AAUTH("2024-05-01")))),
               "CINdetails", (long[]){1, 2, 3, 4}, 4);
}

static void test_closed_episode(void **state)
{
        (void)state;
        NONE("8867", KID("A", CIN(CLOSE("2024-06-01") ASSESS(AAUTH("2024-05-01")))
                                  CIN(ASSESS(ASTART("2024-05-01")))));
        expect("8867",
               KID("A", CIN(CLOSE("2024-06-01") ASSESS(AAUTH("2024-05-01"))
                                ASSESS(ASTART("2024-05-02")))),
               "Assessments", (long[]){2}, 1);
        NONE("8868", KID("A", CIN(CLOSE("2024-06-01") S47(ICPC("2024-05-01")) S47(NOTREQ("1")))
                                  CIN(S47(NOTREQ("false")))));
        expect("8868", KID("A", CIN(CLOSE("2024-06-01") S47(NOTREQ("false")) S47(""))), "Section47",
               (long[]){1, 2}, 2);
}

static void test_8890(void **state)
{
        (void)state;
        /* Enquiries in different episodes are not compared; the not-required one is not open. */
        NONE("8890",
             KID("A", CIN(S47(S47START("2024-05-01") NOTREQ("true")) S47(S47START("2024-06-01")))
                          CIN(S47(S47START("2024-06-01")))));
        /* 2 and 3 start inside 1 (3 on its conference day); 4 starts after all have ended. */
        expect("8890",
               KID("A", CIN(S47(S47START("2024-05-01") ICPC("2024-05-20"))
                                S47(S47START("2024-05-10") ICPC("2024-05-15")) S47(S47START(
                                    "2024-05-20") NOTREQ("true")) S47(S47START("2024-05-21")))),
               "Section47", (long[]){2, 3}, 2);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_8555Q_8585Q),    cmocka_unit_test(test_8568),
            cmocka_unit_test(test_8569Q),          cmocka_unit_test(test_8600_8620_8630),
            cmocka_unit_test(test_8606),           cmocka_unit_test(test_codes),
            cmocka_unit_test(test_8805_8810),      cmocka_unit_test(test_8815_8816),
            cmocka_unit_test(test_8820),           cmocka_unit_test(test_activity),
            cmocka_unit_test(test_closed_episode), cmocka_unit_test(test_8890),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
