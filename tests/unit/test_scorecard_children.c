/*
 * test_scorecard_children.c — the children a stored value counted
 * (scorecard_children, src/scorecard/scorecard_children.c), on a small
 * hand-made CIN census imported with `improve import` into a fresh store.
 *
 * THE DATA: authority 001, census 2025 (1 April 2024 – 31 March 2025), no
 * earlier census held.
 *   A  referral 2024-05-10; assessment 2024-05-10 → authorised 2024-06-20:
 *      Sat 11 May … Thu 20 Jun = 5+5+4+5+5+4 = 28 working days (27 May is a
 *      bank holiday), within 45.
 *   B  referral 2024-07-01; assessment 2024-07-01 → authorised 2024-10-01:
 *      2–31 July 22, August 21 (26 August a bank holiday), September 21,
 *      1 October 1 = 65 working days, over 45.
 *   C  referral 2024-11-01; assessment started 2024-11-01, not authorised:
 *      not counted by assessments_45wd_pct.
 *   D  referral 2024-06-03 closed 2024-06-10; referral 2024-09-02, within
 *      12 months of the first: a re-referral.
 *
 * Worked by hand (measures.md):
 *   assessments_45wd_pct 2025: numerator 1 (A), denominator 2 (A, B);
 *     children A 1/1, B 0/1.
 *   rereferrals_12m_pct 2025: denominator 5 referrals (A, B, C, D twice),
 *     numerator 1 (D's second); children A 0/1, B 0/1, C 0/1, D 1/2.
 *   referrals_rate_per_10k 2025: 5 referrals counted, the denominator is the
 *     population (not children): A 1/0, B 1/0, C 1/0, D 2/0.
 *   Monthly, September 2024: one referral (D's second), a re-referral: D 1/1.
 * The value computed alongside equals the one the import stored.
 */
#include "test.h"

#include "cmd/cli.h"
#include "core/date.h"
#include "core/err.h"
#include "measures/measure.h"
#include "scorecard/scorecard.h"
#include "store/store.h"

#include <fcntl.h>

extern const struct command command_import;

#define HEAD                                                                                       \
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message><Header><CollectionDetails>"         \
        "<Collection>CIN</Collection><Year>2025</Year><ReferenceDate>2025-03-31</ReferenceDate>"   \
        "</CollectionDetails><Source><SourceLevel>L</SourceLevel><LEA>001</LEA>"                   \
        "<SoftwareCode>T</SoftwareCode><Release>1</Release><SerialNo>1</SerialNo>"                 \
        "<DateTime>2025-04-15T09:00:00</DateTime></Source></Header><Children>\n"
#define CHILD(id, eps)                                                                             \
        "<Child><ChildIdentifiers><LAchildID>" id "</LAchildID><PersonBirthDate>2015-01-01"        \
        "</PersonBirthDate></ChildIdentifiers>" eps "</Child>\n"
#define EP(ref, rest) "<CINdetails><CINreferralDate>" ref "</CINreferralDate>" rest "</CINdetails>"
#define CLOSE(d)      "<CINclosureDate>" d "</CINclosureDate><ReasonForClosure>RC1</ReasonForClosure>"
#define ASSESS(s, a)                                                                               \
        "<Assessments><AssessmentActualStartDate>" s "</AssessmentActualStartDate>"                \
        "<AssessmentAuthorisationDate>" a "</AssessmentAuthorisationDate></Assessments>"
#define ASSESS_OPEN(s)                                                                             \
        "<Assessments><AssessmentActualStartDate>" s "</AssessmentActualStartDate></Assessments>"

/* clang-format off */
static const char census[] = HEAD
    CHILD("A", EP("2024-05-10", ASSESS("2024-05-10", "2024-06-20")))
    CHILD("B", EP("2024-07-01", ASSESS("2024-07-01", "2024-10-01")))
    CHILD("C", EP("2024-11-01", ASSESS_OPEN("2024-11-01")))
    CHILD("D", EP("2024-06-03", CLOSE("2024-06-10")) EP("2024-09-02", ""))
    "</Children></Message>\n";
/* clang-format on */

static int import(const char *db, char **argv)
{
        int argc = 0;
        while (argv[argc])
                argc++;
        cli.db = db;
        cli.verbosity = -1;
        fflush(stdout);
        int saved = dup(1), null = open("/dev/null", O_WRONLY);
        assert_true(saved >= 0 && null >= 0);
        dup2(null, 1);
        close(null);
        int rc = command_import.run(argc, argv);
        fflush(stdout);
        dup2(saved, 1);
        close(saved);
        return rc;
}

struct fixture {
        char *dir;
        char db[512];
        struct store *s;
};

static int setup(void **state)
{
        struct fixture *f = calloc(1, sizeof *f);
        f->dir = test_tmpdir();
        char xml[512];
        snprintf(xml, sizeof xml, "%s/cin.xml", f->dir);
        snprintf(f->db, sizeof f->db, "%s/c.db", f->dir);
        FILE *out = fopen(xml, "w");
        assert_non_null(out);
        fputs(census, out);
        fclose(out);
        char *av[] = {"import", "--la", "001", xml, NULL};
        int rc = import(f->db, av);
        assert_true(rc == 0 || rc == 1); /* stored either way; 1 = validation findings */
        struct err e = {0};
        f->s = store_open(f->db, 0, &e);
        assert_non_null(f->s);
        *state = f;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *f = *state;
        store_close(f->s);
        test_rmdir(f->dir);
        free(f);
        return 0;
}

struct want {
        const char *child;
        long num, den;
};

static void expect(struct store *s, const char *measure, enum measure_period p, date_t end,
                   const struct want *w, size_t n, int64_t num, int64_t den)
{
        struct err e = {0};
        struct scorecard_children c;
        assert_int_equal(scorecard_children(s, "001", measure, p, end, &c, &e), 1);
        assert_int_equal(c.n, n);
        for (size_t i = 0; i < n; i++) {
                assert_string_equal(c.child[i].child, w[i].child);
                assert_int_equal(c.child[i].in_numerator, w[i].num);
                assert_int_equal(c.child[i].in_denominator, w[i].den);
        }
        assert_true(c.value.has_numerator);
        assert_int_equal(c.value.numerator, num);
        if (den >= 0)
                assert_int_equal(c.value.denominator, den);
        scorecard_children_release(&c);
}

/* The annual value stored by the import (numerator, denominator). */
struct stored {
        const char *measure;
        int64_t num, den;
        int found;
};

static int find_stored(void *ctx, const struct store_measure_value *v)
{
        struct stored *st = ctx;
        if (strcmp(v->measure, st->measure) == 0 && strcmp(v->period, "year") == 0) {
                st->num = v->numerator;
                st->den = v->denominator;
                st->found = 1;
        }
        return 0;
}

static void test_children_of_values(void **state)
{
        struct fixture *f = *state;
        date_t march = date_from_ymd(2025, 3, 31);
        const struct want a45[] = {{"A", 1, 1}, {"B", 0, 1}};
        expect(f->s, "assessments_45wd_pct", MEASURE_YEAR, march, a45, 2, 1, 2);
        const struct want reref[] = {{"A", 0, 1}, {"B", 0, 1}, {"C", 0, 1}, {"D", 1, 2}};
        expect(f->s, "rereferrals_12m_pct", MEASURE_YEAR, march, reref, 4, 1, 5);
        const struct want refs[] = {{"A", 1, 0}, {"B", 1, 0}, {"C", 1, 0}, {"D", 2, 0}};
        expect(f->s, "referrals_rate_per_10k", MEASURE_YEAR, march, refs, 4, 5, -1);
        const struct want sep[] = {{"D", 1, 1}};
        expect(f->s, "rereferrals_12m_pct", MEASURE_MONTH, date_from_ymd(2024, 9, 30), sep, 1, 1,
               1);

        /* The list adds up to the value the import stored. */
        struct err e = {0};
        struct stored st = {.measure = "rereferrals_12m_pct"};
        assert_int_equal(store_measure_each(f->s, "001", "year", 2025, NULL, find_stored, &st, &e),
                         0);
        assert_true(st.found);
        assert_int_equal(st.num, 1);
        assert_int_equal(st.den, 5);
}

static void test_children_refused_or_absent(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        struct scorecard_children c;
        /* No census for 2024: nothing computed. */
        assert_int_equal(scorecard_children(f->s, "001", "rereferrals_12m_pct", MEASURE_YEAR,
                                            date_from_ymd(2024, 3, 31), &c, &e),
                         0);
        scorecard_children_release(&c);
        /* A workforce measure is published only; an unknown id; a day that is not a month end. */
        assert_int_equal(scorecard_children(f->s, "001", "sw_caseload_avg", MEASURE_YEAR,
                                            date_from_ymd(2025, 3, 31), &c, &e),
                         -1);
        assert_int_equal(e.code, EXIT_USAGE);
        scorecard_children_release(&c);
        assert_int_equal(scorecard_children(f->s, "001", "no_such_measure", MEASURE_YEAR,
                                            date_from_ymd(2025, 3, 31), &c, &e),
                         -1);
        scorecard_children_release(&c);
        assert_int_equal(scorecard_children(f->s, "001", "rereferrals_12m_pct", MEASURE_MONTH,
                                            date_from_ymd(2024, 9, 15), &c, &e),
                         -1);
        scorecard_children_release(&c);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_children_of_values, setup, teardown),
            cmocka_unit_test_setup_teardown(test_children_refused_or_absent, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
