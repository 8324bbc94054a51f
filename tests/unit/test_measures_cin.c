/*
 * test_measures_cin.c — the CIN census measures (src/measures/cin_o1.c,
 * cin_o3.c) on two small hand-made censuses, and against the synthetic
 * region's ground truth (truth/measures.csv).
 *
 * THE DATA.  Two censuses of authority 999: 2024 (1 Apr 2023 – 31 Mar 2024)
 * and 2025 (1 Apr 2024 – 31 Mar 2025).  Populations: 16,000 serve 2024 and
 * 20,000 serve 2025 (§0.7).  Every expected figure below is counted by hand
 * from the documents; working days are counted on a calendar with the
 * bank holidays of measures.md §0.6 (27 May 2024, 6 May 2024, 25–26 Dec
 * 2023, 1 Jan 2024 are the ones that matter).
 *
 * Census 2024 (C24):
 *   A  A0 ref 2023-06-01 closed 2023-09-01; assessment 2023-06-01 → 2023-09-01
 *         (well over 45 working days); plan PA0 2023-07-01 → 2023-08-31, previous 0
 *   C  C1 ref 2024-02-29 closed 2024-03-15
 *   E  E1 ref 2023-02-28 closed 2023-05-01; E2 ref 2024-02-29 closed 2024-03-20
 *   F  F1 ref 2023-02-27 closed 2023-04-15; F2 ref 2024-02-29 closed 2024-03-20
 *   J  ref 2022-09-01 open; plan PJ 2022-10-15 open
 *   K  ref 2023-01-10 open; plan PK 2023-03-31 open, previous 0
 *   N  ref 2023-11-20 closed 2024-01-05; assessment 2023-11-20 → 2024-01-05
 *         (Tue 21 Nov … Fri 5 Jan: 4+5+5+5+5+3+4 = 31 working days);
 *         S47 2023-11-22, ICPC 2023-12-13 (Thu 23 Nov … Wed 13 Dec: 2+5+5+3 = 15)
 *   R  ref 2023-01-15 open; plan PR 2023-02-28 open
 *   S  ref 2023-01-15 open; plan PS 2023-02-28 open
 *
 * Census 2025 (C25):
 *   A  A1 ref 2024-05-10 closed 2024-06-20; assessment 2024-05-10 → 2024-06-20
 *         (Sat 11 May … Thu 20 Jun: 5+5+4+5+5+4 = 28 working days)
 *      A2 ref 2025-02-15 open; S47 2025-02-17, ICPC 2025-03-07 (4+5+5 = 14);
 *         plan P1 2025-03-07 open, previous 0
 *   B  B1 ref 2024-07-01 closed 2024-07-01, NFA; B2 ref 2024-07-01 open;
 *         assessment start 2024-07-05 authorised 2024-07-03 (before its start)
 *   C  C2 ref 2025-02-28 closed 2025-03-10
 *   G  ref 2024-08-05 closed 2024-08-05, NFA
 *   H  unborn (ExpectedPersonBirthDate only), ref 2024-11-01 open; assessment
 *         started 2024-11-01, not authorised
 *   I  I1 ref 2024-04-10 open; assessment 2024-04-10 → 2024-06-14
 *         (Apr 14 + May 21 + Jun 10 = 45 working days); I2 ref 2024-12-01 open
 *   J  ref 2022-09-01 closed 2025-03-31; CINdetails-only ICPC 2024-06-01
 *         (transfer-in, no S47); plan PJ 2022-10-15 → 2025-03-31
 *   K  ref 2023-01-10 open; assessment 2011-06-01 → 2024-05-01 (outside the
 *         bank-holiday table); plan PK 2023-03-31 open, previous 0
 *   L  ref 2024-06-01 open; assessment 2024-04-10 → 2024-06-17 (46);
 *         S47 L1 2024-08-20 with ICPC 2024-08-19 (before it);
 *         S47 L2 2024-08-25, ICPC 2024-09-01 but ICPCnotRequired;
 *         plan PL 2024-09-01 → 2024-12-10, previous 2; plan PL2 2024-12-10 open, previous 0
 *   M  ref 2024-10-01 open; assessment 2024-10-02 → 2024-10-02 (0);
 *         S47 M1 2024-10-02 ICPCnotRequired, no ICPC;
 *         S47 M2 2024-10-03, ICPC 2024-10-25 (Fri 4 Oct … Fri 25 Oct: 1+5+5+5 = 16);
 *         plan PM 2024-10-20 open, previous blank
 *   R  ref 2023-01-15 closed 2025-02-28; plan PR 2023-02-28 → 2025-02-28
 *   S  ref 2023-01-15 closed 2025-02-27; plan PS 2023-02-28 → 2025-02-27
 */
#include "test.h"

#include "core/csv.h"
#include "core/err.h"
#include "measures/measure.h"
#include "measures/util.h"
#include "returns/cin.h"
#include "synth/synth.h"

#include <math.h>
#include <time.h>

#define HEAD(y)                                                                                    \
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message><Header><CollectionDetails>"         \
        "<Collection>CIN</Collection><Year>" y "</Year><ReferenceDate>" y                          \
        "-03-31</ReferenceDate></CollectionDetails><Source><SourceLevel>L</SourceLevel>"           \
        "<LEA>999</LEA><SoftwareCode>T</SoftwareCode><Release>1</Release><SerialNo>1</SerialNo>"   \
        "<DateTime>" y "-04-15T09:00:00</DateTime></Source></Header><Children>\n"
#define TAIL "</Children></Message>\n"
#define CHILD(id, ids, eps)                                                                        \
        "<Child><ChildIdentifiers><LAchildID>" id "</LAchildID>" ids "</ChildIdentifiers>" eps     \
        "</Child>\n"
#define DOB           "<PersonBirthDate>2015-01-01</PersonBirthDate>"
#define EXPECTED(d)   "<ExpectedPersonBirthDate>" d "</ExpectedPersonBirthDate>"
#define EP(ref, rest) "<CINdetails><CINreferralDate>" ref "</CINreferralDate>" rest "</CINdetails>"
#define CLOSE(d)      "<CINclosureDate>" d "</CINclosureDate><ReasonForClosure>RC1</ReasonForClosure>"
#define NFA           "<ReferralNFA>true</ReferralNFA>"
#define ASSESS(s, a)                                                                               \
        "<Assessments><AssessmentActualStartDate>" s "</AssessmentActualStartDate>"                \
        "<AssessmentAuthorisationDate>" a "</AssessmentAuthorisationDate></Assessments>"
#define ASSESS_OPEN(s)                                                                             \
        "<Assessments><AssessmentActualStartDate>" s "</AssessmentActualStartDate></Assessments>"
#define S47(s, rest) "<Section47><S47ActualStartDate>" s "</S47ActualStartDate>" rest "</Section47>"
#define ICPC(d)      "<DateOfInitialCPC>" d "</DateOfInitialCPC>"
#define NOTREQ       "<ICPCnotRequired>true</ICPCnotRequired>"
#define CPP(s, rest)                                                                               \
        "<ChildProtectionPlans><CPPstartDate>" s "</CPPstartDate>" rest "</ChildProtectionPlans>"
#define CPPEND(d) "<CPPendDate>" d "</CPPendDate>"
#define PREV(n)   "<NumberOfPreviousCPP>" n "</NumberOfPreviousCPP>"

/* clang-format off */
static const char c24[] = HEAD("2024")
    CHILD("A", DOB, EP("2023-06-01", CLOSE("2023-09-01") ASSESS("2023-06-01", "2023-09-01")
                       CPP("2023-07-01", CPPEND("2023-08-31") PREV("0"))))
    CHILD("C", DOB, EP("2024-02-29", CLOSE("2024-03-15")))
    CHILD("E", DOB, EP("2023-02-28", CLOSE("2023-05-01")) EP("2024-02-29", CLOSE("2024-03-20")))
    CHILD("F", DOB, EP("2023-02-27", CLOSE("2023-04-15")) EP("2024-02-29", CLOSE("2024-03-20")))
    CHILD("J", DOB, EP("2022-09-01", CPP("2022-10-15", "")))
    CHILD("K", DOB, EP("2023-01-10", CPP("2023-03-31", PREV("0"))))
    CHILD("N", DOB, EP("2023-11-20", CLOSE("2024-01-05") ASSESS("2023-11-20", "2024-01-05")
                       S47("2023-11-22", ICPC("2023-12-13"))))
    CHILD("R", DOB, EP("2023-01-15", CPP("2023-02-28", "")))
    CHILD("S", DOB, EP("2023-01-15", CPP("2023-02-28", "")))
    TAIL;

static const char c25[] = HEAD("2025")
    CHILD("A", DOB, EP("2024-05-10", CLOSE("2024-06-20") ASSESS("2024-05-10", "2024-06-20"))
                    EP("2025-02-15", S47("2025-02-17", ICPC("2025-03-07"))
                                     CPP("2025-03-07", PREV("0"))))
    CHILD("B", DOB, EP("2024-07-01", CLOSE("2024-07-01") NFA)
                    EP("2024-07-01", ASSESS("2024-07-05", "2024-07-03")))
    CHILD("C", DOB, EP("2025-02-28", CLOSE("2025-03-10")))
    CHILD("G", DOB, EP("2024-08-05", CLOSE("2024-08-05") NFA))
    CHILD("H", EXPECTED("2025-01-20"), EP("2024-11-01", ASSESS_OPEN("2024-11-01")))
    CHILD("I", DOB, EP("2024-04-10", ASSESS("2024-04-10", "2024-06-14")) EP("2024-12-01", ""))
    CHILD("J", DOB, EP("2022-09-01", CLOSE("2025-03-31") ICPC("2024-06-01")
                       CPP("2022-10-15", CPPEND("2025-03-31"))))
    CHILD("K", DOB, EP("2023-01-10", ASSESS("2011-06-01", "2024-05-01")
                       CPP("2023-03-31", PREV("0"))))
    CHILD("L", DOB, EP("2024-06-01", ASSESS("2024-04-10", "2024-06-17")
                       S47("2024-08-20", ICPC("2024-08-19"))
                       S47("2024-08-25", ICPC("2024-09-01") NOTREQ)
                       CPP("2024-09-01", CPPEND("2024-12-10") PREV("2"))
                       CPP("2024-12-10", PREV("0"))))
    CHILD("M", DOB, EP("2024-10-01", ASSESS("2024-10-02", "2024-10-02")
                       S47("2024-10-02", NOTREQ)
                       S47("2024-10-03", ICPC("2024-10-25"))
                       CPP("2024-10-20", "")))
    CHILD("R", DOB, EP("2023-01-15", CLOSE("2025-02-28") CPP("2023-02-28", CPPEND("2025-02-28"))))
    CHILD("S", DOB, EP("2023-01-15", CLOSE("2025-02-27") CPP("2023-02-28", CPPEND("2025-02-27"))))
    TAIL;
/* clang-format on */

/* |a − b| <= eps, printing both on failure. */
#define assert_near(a, b, eps)                                                                     \
        do {                                                                                       \
                double a_ = (a), b_ = (b);                                                         \
                if (!(fabs(a_ - b_) <= (eps)))                                                     \
                        fail_msg("%.12g != %.12g", a_, b_);                                        \
        } while (0)

static date_t D(int y, int m, int d)
{
        return date_from_ymd(y, m, d);
}

struct fixture {
        struct cin_load l24, l25;
        struct measure_history h;
        struct measure_ctx ctx;
        int dq;
        char children[256];
};

static void on_dq(void *arg, const struct measure_def *m, const struct measure_window *w,
                  const char *child, const char *text)
{
        (void)m;
        (void)w;
        (void)child;
        (void)text;
        ((struct fixture *)arg)->dq++;
}

static void on_child(void *arg, const struct measure_def *m, const struct measure_window *w,
                     const char *child, bool in_numerator)
{
        (void)m;
        (void)w;
        struct fixture *f = arg;
        size_t n = strlen(f->children);
        snprintf(f->children + n, sizeof f->children - n, "%s%s%s", n ? "," : "",
                 child ? child : "?", in_numerator ? "+" : "");
}

static void read_census(struct cin_load *l, const char *doc, const char *name)
{
        struct err e = {0};
        cin_load_init(l);
        if (cin_read_buffer(l, doc, strlen(doc), name, "999", &e) != 0)
                fail_msg("%s", e.msg);
}

static int setup(void **state)
{
        struct fixture *f = calloc(1, sizeof *f);
        read_census(&f->l24, c24, "c24.xml");
        read_census(&f->l25, c25, "c25.xml");
        measure_history_init(&f->h, "999");
        measure_history_set_cin(&f->h, 2024, &f->l24);
        measure_history_set_cin(&f->h, 2025, &f->l25);
        measure_history_set_population(&f->h, 2024, 16000);
        measure_history_set_population(&f->h, 2025, 20000);
        measure_ctx_init(&f->ctx, &f->h);
        f->ctx.on_dq = on_dq;
        f->ctx.hook_arg = f;
        *state = f;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *f = *state;
        measure_ctx_release(&f->ctx);
        measure_history_release(&f->h);
        cin_load_release(&f->l24);
        cin_load_release(&f->l25);
        free(f);
        return 0;
}

/* The value of measure `id` for the window; dq warnings seen by the hook in f->dq. */
static struct measure_value value(struct fixture *f, const char *id, const struct measure_window *w)
{
        const struct measure_def *m = measure_find(id);
        assert_non_null(m);
        struct measure_value v;
        struct err e = {0};
        f->dq = 0;
        assert_int_equal(measure_compute(&f->ctx, m, w, &v, &e), 0);
        assert_int_equal(v.dq_warnings, f->dq);
        return v;
}

static struct measure_value year(struct fixture *f, const char *id, int y)
{
        struct measure_window w;
        measure_window_year(&w, y, 12);
        return value(f, id, &w);
}

static struct measure_value month(struct fixture *f, const char *id, int y, int m)
{
        struct measure_window w;
        measure_window_month(&w, D(y, m, 1));
        return value(f, id, &w);
}

static struct measure_value rolling(struct fixture *f, const char *id, int y, int m)
{
        struct measure_window w;
        measure_window_rolling(&w, D(y, m, 1), 12);
        return value(f, id, &w);
}

static void expect(struct measure_value v, int64_t num, int64_t den, double val)
{
        assert_true(v.has_numerator);
        assert_true(v.has_denominator);
        assert_true(v.has_value);
        assert_int_equal(v.numerator, num);
        assert_int_equal(v.denominator, den);
        assert_near(v.value, val, 1e-9);
}

/* ---------------------------------------------------------------- Outcome 1 */

static void test_cin_rate(void **state)
{
        struct fixture *f = *state;
        /* Open at 31 Mar 2025: A (A2), B (B2; B1 closed the day it opened), H (unborn),
         * I (two open: once, one DQ), K, L, M.  J closed on 31 March: not open.  R and S
         * closed in February.  7 / 20,000 × 10,000 = 3.5. */
        struct measure_value v = year(f, "cin_rate_per_10k", 2025);
        expect(v, 7, 20000, 3.5);
        assert_int_equal(v.dq_warnings, 1);
        /* The monthly value for March 2025 and the rolling value at 31 March: the same. */
        expect(month(f, "cin_rate_per_10k", 2025, 3), 7, 20000, 3.5);
        expect(rolling(f, "cin_rate_per_10k", 2025, 3), 7, 20000, 3.5);
        /* At 30 Sep 2024: B2, I1 (I2 not yet), J, K, L, R, S.  7 → 3.5; no DQ (one each). */
        v = month(f, "cin_rate_per_10k", 2024, 9);
        expect(v, 7, 20000, 3.5);
        assert_int_equal(v.dq_warnings, 0);
        /* At 31 Mar 2024 (C24): J, K, R, S open.  4 / 16,000 × 10,000 = 2.5. */
        expect(year(f, "cin_rate_per_10k", 2024), 4, 16000, 2.5);
        /* At 31 Oct 2024: B, I, J, K, L, M (1 Oct), R, S = 8 → 4.0. */
        expect(rolling(f, "cin_rate_per_10k", 2024, 10), 8, 20000, 4.0);
}

static void test_referrals_rate(void **state)
{
        struct fixture *f = *state;
        /* C25 referrals dated in 2025: A1, A2, B1, B2 (same day, both count; B1 NFA), C2,
         * G (NFA), H (unborn), I1, I2, L, M = 11; J and K were referred before the year.
         * 11 / 20,000 × 10,000 = 5.5. */
        expect(year(f, "referrals_rate_per_10k", 2025), 11, 20000, 5.5);
        /* C24: A0, C1, E2, F2, N = 5 → 5 / 16,000 × 10,000 = 3.125. */
        expect(year(f, "referrals_rate_per_10k", 2024), 5, 16000, 3.125);
        /* February 2024: C1, E2, F2 (all on the 29th) = 3 → 1.875. */
        expect(month(f, "referrals_rate_per_10k", 2024, 2), 3, 16000, 1.875);
        /* July 2024: B1, B2 = 2 → 1.0. */
        expect(month(f, "referrals_rate_per_10k", 2024, 7), 2, 20000, 1.0);
        /* Rolling Oct 2023 – Sep 2024: from C24 C1, E2, F2, N (4); from C25 I1, A1, L, B1,
         * B2, G (6) = 10; population of year 2025 (end in 2025) → 5.0.  C25's J and K
         * (referred 2022, 2023 but before October 2023) are not in it. */
        expect(rolling(f, "referrals_rate_per_10k", 2024, 9), 10, 20000, 5.0);
        expect(rolling(f, "referrals_rate_per_10k", 2025, 3), 11, 20000, 5.5);
}

static void test_rereferrals(void **state)
{
        struct fixture *f = *state;
        /*
         * 2025, 11 referrals.  Re-referrals:
         *   A1 2024-05-10: A0 2023-06-01 is in [2023-05-10, 2024-05-10) — from C24   yes
         *   A2 2025-02-15: A1 2024-05-10 in [2024-02-15, …)                           yes
         *   B1, B2 2024-07-01: only each other, on the same date                      no
         *   C2 2025-02-28: C1 2024-02-29 in [2024-02-28, 2025-02-28)                  yes
         *   I2 2024-12-01: I1 2024-04-10                                              yes
         *   G, H, I1, L, M: no earlier referral                                       no
         * 4 / 11.  C24 is held, so the look-back is complete.
         */
        struct measure_value v = year(f, "rereferrals_12m_pct", 2025);
        expect(v, 4, 11, 400.0 / 11.0);
        assert_false(v.lookback_incomplete);
        assert_null(v.note);
        /*
         * 2024, 5 referrals: E2 2024-02-29 looks back to 2023-02-28 (29 Feb → 28 Feb) and E1
         * is on 2023-02-28: yes.  F2: F1 on 2023-02-27 is a day too early: no.  A0, C1, N:
         * no.  1 / 5 = 20 %, flagged: there is no 2023 census to look back into.
         */
        v = year(f, "rereferrals_12m_pct", 2024);
        expect(v, 1, 5, 20.0);
        assert_true(v.lookback_incomplete);
        assert_string_equal(v.note, "incomplete look-back: no CIN census for 2023");
        /* February 2025: A2 and C2, both re-referrals: 2 / 2, a small base. */
        v = month(f, "rereferrals_12m_pct", 2025, 2);
        expect(v, 2, 2, 100.0);
        assert_true(v.small_base);
        /* July 2024: B1 and B2 on the same day: 0 / 2 = 0 %, a value (not blank). */
        expect(month(f, "rereferrals_12m_pct", 2024, 7), 0, 2, 0.0);
        /* Rolling to Sep 2024: the 10 referrals above; E2 and A1 are re-referrals.  2 / 10.
         * Its first months look back into 2023: incomplete. */
        v = rolling(f, "rereferrals_12m_pct", 2024, 9);
        expect(v, 2, 10, 20.0);
        assert_true(v.lookback_incomplete);
        /* A month with no referrals (March 2025): no value, never 0. */
        v = month(f, "rereferrals_12m_pct", 2025, 3);
        assert_false(v.has_value);
        assert_int_equal(v.denominator, 0);
        expect(rolling(f, "rereferrals_12m_pct", 2025, 3), 4, 11, 400.0 / 11.0);
}

static void test_assessments(void **state)
{
        struct fixture *f = *state;
        /*
         * 2025, authorised in the year: A1 (28 wd, yes), I1 (45, yes), L (46, no), M (0,
         * same day, yes); B2 authorised before its start and K starting in 2011 (outside the
         * bank-holiday table) are left out with a DQ warning each; H is not authorised.
         * 3 / 4 = 75 %.
         */
        struct measure_value v = year(f, "assessments_45wd_pct", 2025);
        expect(v, 3, 4, 75.0);
        assert_int_equal(v.dq_warnings, 2);
        /* June 2024: A1 (20th), I1 (14th), L (17th): 2 / 3. */
        expect(month(f, "assessments_45wd_pct", 2024, 6), 2, 3, 200.0 / 3.0);
        /* July 2024: only B2's, left out: no value, one DQ warning. */
        v = month(f, "assessments_45wd_pct", 2024, 7);
        assert_false(v.has_value);
        assert_int_equal(v.denominator, 0);
        assert_int_equal(v.dq_warnings, 1);
        /* 2024: A0 (over 45, no), N (31, yes): 1 / 2. */
        expect(year(f, "assessments_45wd_pct", 2024), 1, 2, 50.0);
        /* Rolling to Sep 2024: N (Jan 2024, C24), A1, I1, L (C25) = 3 / 4; K (May) and B2
         * (July) left out: 2 DQ warnings.  A0 (Sep 2023) is before the window. */
        v = rolling(f, "assessments_45wd_pct", 2024, 9);
        expect(v, 3, 4, 75.0);
        assert_int_equal(v.dq_warnings, 2);
        expect(rolling(f, "assessments_45wd_pct", 2025, 3), 3, 4, 75.0);
}

/* ---------------------------------------------------------------- Outcome 3 */

static void test_s47_rate(void **state)
{
        struct fixture *f = *state;
        /* 2025 S47 starts: A2, L1, L2, M1, M2 = 5 (enquiries: L and M count twice; M1
         * without a conference still counts).  J's CINdetails-only ICPC is no S47.
         * 5 / 20,000 × 10,000 = 2.5. */
        expect(year(f, "s47_rate_per_10k", 2025), 5, 20000, 2.5);
        /* October 2024: M1, M2 → 1.0.  March 2025: none → 0, a real value. */
        expect(month(f, "s47_rate_per_10k", 2024, 10), 2, 20000, 1.0);
        expect(month(f, "s47_rate_per_10k", 2025, 3), 0, 20000, 0.0);
        /* 2024: N → 1 / 16,000 × 10,000 = 0.625. */
        expect(year(f, "s47_rate_per_10k", 2024), 1, 16000, 0.625);
        /* Rolling to Sep 2024: N (Nov 2023), L1, L2 (Aug 2024) = 3 → 1.5. */
        expect(rolling(f, "s47_rate_per_10k", 2024, 9), 3, 20000, 1.5);
}

static void test_icpc(void **state)
{
        struct fixture *f = *state;
        /*
         * 2025 conferences on S47 modules: A2 (14 wd, yes), M2 (16, no); L1's conference is
         * before its S47 (left out, DQ); L2 and M1 have ICPCnotRequired (left out); J's is
         * recorded only on CINdetails (transfer-in: not in timeliness).  1 / 2.
         */
        struct measure_value v = year(f, "icpc_15wd_pct", 2025);
        expect(v, 1, 2, 50.0);
        assert_int_equal(v.dq_warnings, 1);
        /* October 2024: M2 → 0 / 1.  March 2025: A2 → 1 / 1. */
        expect(month(f, "icpc_15wd_pct", 2024, 10), 0, 1, 0.0);
        expect(month(f, "icpc_15wd_pct", 2025, 3), 1, 1, 100.0);
        /* 2024: N, exactly 15 working days → 1 / 1. */
        expect(year(f, "icpc_15wd_pct", 2024), 1, 1, 100.0);
        /* Rolling to Sep 2024: N (yes); L1 (Aug, DQ) and L2 (Sep 1, not required) out. */
        v = rolling(f, "icpc_15wd_pct", 2024, 9);
        expect(v, 1, 1, 100.0);
        assert_int_equal(v.dq_warnings, 1);
}

static void test_cpp_rate(void **state)
{
        struct fixture *f = *state;
        /* At 31 Mar 2025: A (P1), K (PK), L (PL2), M (PM) = 4; PJ ended that day, PR and PS
         * in February.  4 → 2.0. */
        expect(year(f, "cpp_rate_per_10k", 2025), 4, 20000, 2.0);
        expect(rolling(f, "cpp_rate_per_10k", 2025, 3), 4, 20000, 2.0);
        /* At 30 Sep 2024: J, K, L (PL from 1 Sep), R, S = 5 → 2.5. */
        expect(month(f, "cpp_rate_per_10k", 2024, 9), 5, 20000, 2.5);
        /* At 31 Mar 2024 (C24): J, K, R, S = 4 / 16,000 → 2.5. */
        expect(year(f, "cpp_rate_per_10k", 2024), 4, 16000, 2.5);
}

static void test_cpp_second(void **state)
{
        struct fixture *f = *state;
        /*
         * 2025 plan starts: P1 (A; previous 0 but PA0 of 2023 is in C24: yes), PL (previous 2:
         * yes), PL2 (PL started before it: yes), PM (previous blank, no earlier plan: no).
         * 3 / 4.
         */
        expect(year(f, "cpp_second_subsequent_pct", 2025), 3, 4, 75.0);
        /* 2024: PA0 only, previous 0, no earlier plan of A anywhere (P1 is later): 0 / 1. */
        expect(year(f, "cpp_second_subsequent_pct", 2024), 0, 1, 0.0);
        /* December 2024: PL2 → 1 / 1; October 2024: PM → 0 / 1. */
        expect(month(f, "cpp_second_subsequent_pct", 2024, 12), 1, 1, 100.0);
        expect(month(f, "cpp_second_subsequent_pct", 2024, 10), 0, 1, 0.0);
        /* Rolling to Sep 2024: PL (1 Sep) only → 1 / 1. */
        expect(rolling(f, "cpp_second_subsequent_pct", 2024, 9), 1, 1, 100.0);
}

static void test_cpp_2yrs_at31(void **state)
{
        struct fixture *f = *state;
        /* Plans open at 31 Mar 2025: P1, PK, PL2, PM; PK started 31 Mar 2023 = the cut-off
         * (31 March Y−2): yes.  1 / 4. */
        expect(year(f, "cpp_2yrs_plus_at31_pct", 2025), 1, 4, 25.0);
        /* At 28 Feb 2025 (cut 28 Feb 2023): PJ (Oct 2022, yes), PK (no), PL2, PM; PR ends that
         * day, PS ended: 1 / 4. */
        expect(month(f, "cpp_2yrs_plus_at31_pct", 2025, 2), 1, 4, 25.0);
        /* At 30 Sep 2024 (cut 30 Sep 2022): PJ (15 Oct 2022, no), PK, PL, PR, PS: 0 / 5. */
        expect(month(f, "cpp_2yrs_plus_at31_pct", 2024, 9), 0, 5, 0.0);
        /* At 31 Mar 2024 (cut 31 Mar 2022): PJ, PK, PR, PS all later: 0 / 4. */
        expect(year(f, "cpp_2yrs_plus_at31_pct", 2024), 0, 4, 0.0);
        expect(rolling(f, "cpp_2yrs_plus_at31_pct", 2025, 3), 1, 4, 25.0);
}

static void test_cpp_ended(void **state)
{
        struct fixture *f = *state;
        /* Ended in 2025: PJ (Oct 2022 → Mar 2025, yes), PL (no), PR (28 Feb 2023 → 28 Feb 2025,
         * exactly two calendar years: yes), PS (a day short: no).  2 / 4. */
        expect(year(f, "cpp_ended_2yrs_plus_pct", 2025), 2, 4, 50.0);
        /* February 2025: PR, PS → 1 / 2. */
        expect(month(f, "cpp_ended_2yrs_plus_pct", 2025, 2), 1, 2, 50.0);
        /* 2024: PA0 (two months) → 0 / 1. */
        expect(year(f, "cpp_ended_2yrs_plus_pct", 2024), 0, 1, 0.0);
        /* Rolling to Sep 2024: no plan ended then: no value. */
        struct measure_value v = rolling(f, "cpp_ended_2yrs_plus_pct", 2024, 9);
        assert_false(v.has_value);
        assert_int_equal(v.denominator, 0);
}

/* ---------------------------------------------------------------- across measures */

static void test_children_listed(void **state)
{
        struct fixture *f = *state;
        f->ctx.on_child = on_child;
        f->children[0] = '\0';
        /* Counted children are listed in census order, "+" for the numerator. */
        expect(year(f, "cin_rate_per_10k", 2025), 7, 20000, 3.5);
        assert_string_equal(f->children, "A+,B+,H+,I+,K+,L+,M+");
        f->children[0] = '\0';
        expect(year(f, "icpc_15wd_pct", 2025), 1, 2, 50.0);
        /* By conference date: M2 (25 Oct 2024) then A2 (7 Mar 2025). */
        assert_string_equal(f->children, "M,A+");
        f->ctx.on_child = NULL;
}

static void test_missing_year_and_population(void **state)
{
        struct fixture *f = *state;
        /* 2026 is not held: no value, a note naming it. */
        struct measure_value v = year(f, "referrals_rate_per_10k", 2026);
        assert_false(v.has_value);
        assert_false(v.has_numerator);
        assert_string_equal(v.note, "not available: no CIN census held for 2026");
        /* Rolling to May 2025 reaches into 2026: not held either. */
        v = rolling(f, "referrals_rate_per_10k", 2025, 5);
        assert_false(v.has_value);
        /* Rolling to Apr 2024 reaches back into 2023: not held. */
        v = rolling(f, "cin_rate_per_10k", 2023, 4);
        assert_false(v.has_value);
}

struct all {
        int n[3];
        double annual[2][256];
        int checked;
};

static int collect(void *arg, const struct measure_def *m, const struct measure_window *w,
                   const struct measure_value *v)
{
        struct all *a = arg;
        a->n[w->period]++;
        size_t i;
        for (i = 0; i < measure_count() && measure_at(i) != m; i++)
                ;
        assert_true(i < 256);
        if (w->period == MEASURE_YEAR)
                a->annual[w->year - 2024][i] = v->has_value ? v->value : -1;
        int y, mo, d;
        date_to_ymd(w->end, &y, &mo, &d);
        if (w->period == MEASURE_ROLLING && mo == 3) {
                /* the rolling value at 31 March is the annual value, exactly */
                assert_true((v->has_value ? v->value : -1) == a->annual[w->year - 2024][i]);
                a->checked++;
        }
        return 0;
}

static void test_compute_all_cin(void **state)
{
        struct fixture *f = *state;
        struct all a;
        memset(&a, 0, sizeof a);
        struct err e = {0};
        assert_int_equal(measure_compute_all(&f->ctx, NULL, MEASURE_PERIODS_ALL, collect, &a, &e),
                         0);
        /* 10 CIN measures with a function; 2 years: 20 annual, 240 monthly; rolling points:
         * 31 Mar 2024 and the 12 of 2025 = 13 each, 130. */
        assert_int_equal(a.n[MEASURE_YEAR], 20);
        assert_int_equal(a.n[MEASURE_MONTH], 240);
        assert_int_equal(a.n[MEASURE_ROLLING], 130);
        assert_int_equal(a.checked, 20);
}

/* ---------------------------------------------------------------- ground truth */

struct truth_row {
        char la[8];
        int year;
        char measure[48];
        long num, den;
        double value;
};

static int read_truth(const char *path, struct truth_row **out)
{
        FILE *fp = fopen(path, "r");
        assert_non_null(fp);
        char line[256];
        size_t n = 0, cap = 0;
        struct truth_row *v = NULL;
        assert_non_null(fgets(line, sizeof line, fp));
        assert_string_equal(line, "la,year,measure,numerator,denominator,value\n");
        while (fgets(line, sizeof line, fp)) {
                if (n == cap) {
                        cap = cap ? cap * 2 : 256;
                        struct truth_row *nv = realloc(v, cap * sizeof *v);
                        assert_non_null(nv);
                        v = nv;
                }
                struct truth_row *r = &v[n];
                assert_int_equal(sscanf(line, "%7[^,],%d,%47[^,],%ld,%ld,%lf", r->la, &r->year,
                                        r->measure, &r->num, &r->den, &r->value),
                                 6);
                n++;
        }
        fclose(fp);
        *out = v;
        return (int)n;
}

static void test_ground_truth(void **state)
{
        (void)state;
        char *dir = test_tmpdir();
        struct synth_options o;
        synth_options_default(&o);
        o.out_dir = dir;
        o.las = 2;
        o.years = 3;
        struct err e = {0};
        if (synth_run(&o, &e) != 0)
                fail_msg("synth: %s", e.msg);

        struct truth_row *truth;
        char path[1024];
        snprintf(path, sizeof path, "%s/truth/measures.csv", dir);
        int nt = read_truth(path, &truth);
        assert_true(nt > 0);

        /* populations.csv: code,year,population_0_17 */
        snprintf(path, sizeof path, "%s/populations.csv", dir);
        FILE *pf = fopen(path, "r");
        assert_non_null(pf);
        char pline[128];
        int pyear[64], npop = 0;
        long ppop[64];
        char pla[64][8];
        assert_non_null(fgets(pline, sizeof pline, pf));
        while (fgets(pline, sizeof pline, pf) && npop < 64) {
                assert_int_equal(
                    sscanf(pline, "%7[^,],%d,%ld", pla[npop], &pyear[npop], &ppop[npop]), 3);
                npop++;
        }
        fclose(pf);

        static const char *const ids[] = {"referrals_rate_per_10k", "rereferrals_12m_pct",
                                          "cin_rate_per_10k", "s47_rate_per_10k",
                                          "cpp_second_subsequent_pct"};
        int last = o.last_year, first = o.last_year - o.years + 1;
        int compared = 0, lookback_first_year = 0;
        for (int la = 1; la <= o.las; la++) {
                char code[16];
                snprintf(code, sizeof code, "%03d", la);
                struct cin_load loads[8];
                struct measure_history h;
                measure_history_init(&h, code);
                for (int y = first; y <= last; y++) {
                        struct cin_load *l = &loads[y - first];
                        cin_load_init(l);
                        snprintf(path, sizeof path, "%s/%s/%d/cin.xml", dir, code, y);
                        if (cin_read_file(l, path, code, &e) != 0)
                                fail_msg("%s", e.msg);
                        measure_history_set_cin(&h, y, l);
                }
                for (int i = 0; i < npop; i++)
                        if (strcmp(pla[i], code) == 0)
                                measure_history_set_population(&h, pyear[i], ppop[i]);
                struct measure_ctx ctx;
                measure_ctx_init(&ctx, &h);
                for (int y = first; y <= last; y++) {
                        for (size_t k = 0; k < sizeof ids / sizeof *ids; k++) {
                                struct measure_window w;
                                measure_window_year(&w, y, 12);
                                struct measure_value v;
                                assert_int_equal(
                                    measure_compute(&ctx, measure_find(ids[k]), &w, &v, &e), 0);
                                const struct truth_row *t = NULL;
                                for (int i = 0; i < nt; i++)
                                        if (strcmp(truth[i].la, code) == 0 && truth[i].year == y &&
                                            strcmp(truth[i].measure, ids[k]) == 0)
                                                t = &truth[i];
                                if (!t) {
                                        /* Only the look-back measures of the first year. */
                                        assert_int_equal(y, first);
                                        assert_true(k == 1 || k == 4);
                                        lookback_first_year++;
                                        continue;
                                }
                                if (v.numerator != t->num || v.denominator != t->den ||
                                    fabs(v.value - t->value) > 1e-6)
                                        fail_msg("%s %d %s: engine %lld/%lld = %.9f, truth "
                                                 "%ld/%ld = %.6f",
                                                 code, y, ids[k], (long long)v.numerator,
                                                 (long long)v.denominator, v.value, t->num, t->den,
                                                 t->value);
                                /* truth writes 6 decimals: recompute its value unrounded */
                                double tv = (k == 1 || k == 4 ? 100.0 : 1e4) * (double)t->num /
                                            (double)t->den;
                                assert_near(v.value, tv, 1e-9);
                                compared++;
                        }
                }
                measure_ctx_release(&ctx);
                measure_history_release(&h);
                for (int y = first; y <= last; y++)
                        cin_load_release(&loads[y - first]);
        }
        /* 2 authorities × 3 years × 5 measures, less the 2 × 2 first-year look-backs. */
        assert_int_equal(compared, 2 * 3 * 5 - 4);
        assert_int_equal(lookback_first_year, 4);
        free(truth);
        test_rmdir(dir);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_cin_rate, setup, teardown),
            cmocka_unit_test_setup_teardown(test_referrals_rate, setup, teardown),
            cmocka_unit_test_setup_teardown(test_rereferrals, setup, teardown),
            cmocka_unit_test_setup_teardown(test_assessments, setup, teardown),
            cmocka_unit_test_setup_teardown(test_s47_rate, setup, teardown),
            cmocka_unit_test_setup_teardown(test_icpc, setup, teardown),
            cmocka_unit_test_setup_teardown(test_cpp_rate, setup, teardown),
            cmocka_unit_test_setup_teardown(test_cpp_second, setup, teardown),
            cmocka_unit_test_setup_teardown(test_cpp_2yrs_at31, setup, teardown),
            cmocka_unit_test_setup_teardown(test_cpp_ended, setup, teardown),
            cmocka_unit_test_setup_teardown(test_children_listed, setup, teardown),
            cmocka_unit_test_setup_teardown(test_missing_year_and_population, setup, teardown),
            cmocka_unit_test_setup_teardown(test_compute_all_cin, setup, teardown),
            cmocka_unit_test(test_ground_truth),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
