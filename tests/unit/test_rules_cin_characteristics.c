/*
 * test_rules_cin_characteristics.c — CIN rules on ChildCharacteristics and
 * Disabilities: 4220, 8540, 2887Q, 2888Q, 8790, 8794.
 */
#include "rules_cin_test.h"

#define ID(id)   "<LAchildID>" id "</LAchildID>"
#define BORN(id) ID(id) "<PersonBirthDate>2015-01-01</PersonBirthDate>"
#define NFA(v)   CIN("<CINreferralDate>2024-06-01</CINreferralDate><ReferralNFA>" v "</ReferralNFA>")

static void test_4220(void **state)
{
        (void)state;
        struct rcin t;
        rcin_begin(&t, 2025, CHILD(ID("A"), CHARS("WBRI", "")) CHILD(ID("B"), CHARS("NOBT", "")));
        rcin_check(&t, "4220");
        rcin_none(&t);
        rcin_end(&t);
        rcin_begin(&t, 2025,
                   CHILD(ID("A"), CHARS("wbri", "")) CHILD(ID("B"), CHARS("", ""))
                       CHILD(ID("C"), CHARS("WBRI", "")) CHILD(ID("D"), ""));
        rcin_check(&t, "4220");
        /* rows 1 and 2; D has no ChildCharacteristics (row 0) */
        rcin_expect(&t, "ChildCharacteristics", (long[]){1, 2, 0}, 3);
        rcin_child(&t, 2, "D");
        rcin_end(&t);
}

static void test_8540(void **state)
{
        (void)state;
        struct rcin t;
        rcin_begin(&t, 2025,
                   CHILD(BORN("A"), CHARS("WBRI", DIS("NONE")) NFA("false"))
                       CHILD(BORN("B"), CHARS("WBRI", DIS("AUT") DIS("LD")) NFA("0"))
                   /* C's referral took no further action: nothing is asked */
                   CHILD(BORN("C"), CHARS("WBRI", "") NFA("true"))
                   /* D has no date of birth (unborn): nothing is asked */
                   CHILD(ID("D"), CHARS("WBRI", "") NFA("false")));
        rcin_check(&t, "8540");
        rcin_none(&t);
        rcin_end(&t);

        rcin_begin(&t, 2025,
                   CHILD(BORN("A"), CHARS("WBRI", "") NFA("false"))
                       CHILD(BORN("B"), CHARS("WBRI", DIS("AUT") DIS("XYZ")) NFA("true") NFA("0"))
                           CHILD(BORN("C"), NFA("false")));
        rcin_check(&t, "8540");
        /* A: no disability (its ChildCharacteristics row 1); B: XYZ (Disabilities row 2);
         * C: no ChildCharacteristics at all (row 0) */
        assert_int_equal(t.res.n, 3);
        assert_string_equal(t.res.f[0].table, "ChildCharacteristics");
        assert_int_equal(t.res.f[0].row, 1);
        assert_string_equal(t.res.f[1].table, "Disabilities");
        assert_int_equal(t.res.f[1].row, 2);
        assert_string_equal(t.res.f[2].table, "ChildCharacteristics");
        assert_int_equal(t.res.f[2].row, 0);
        rcin_child(&t, 2, "C");
        rcin_end(&t);
}

static void test_2887Q(void **state)
{
        (void)state;
        struct rcin t;
        /* Eight codes other than NONE. */
        rcin_begin(&t, 2025,
                   CHILD(ID("A"), CHARS("WBRI", DIS("MOB") DIS("HAND") DIS("PC") DIS("INC")))
                       CHILD(ID("B"), CHARS("WBRI", DIS("COMM") DIS("LD") DIS("HEAR")))
                           CHILD(ID("C"), CHARS("WBRI", DIS("VIS"))));
        rcin_check(&t, "2887Q");
        rcin_none(&t);
        rcin_end(&t);
        /* Seven codes, NONE and repeats not counted. */
        rcin_begin(&t, 2025,
                   CHILD(ID("A"), CHARS("WBRI", DIS("MOB") DIS("HAND") DIS("PC") DIS("INC")))
                       CHILD(ID("B"), CHARS("WBRI", DIS("COMM") DIS("LD") DIS("MOB")))
                           CHILD(ID("C"), CHARS("WBRI", DIS("NONE") DIS("HEAR"))));
        rcin_check(&t, "2887Q");
        rcin_expect(&t, "Disabilities", (long[]){0}, 1);
        rcin_child(&t, 0, NULL);
        assert_non_null(strstr(t.res.f[0].message, "7 different codes"));
        rcin_end(&t);
}

static void test_2888Q(void **state)
{
        (void)state;
        struct rcin t;
        rcin_begin(&t, 2025,
                   CHILD(ID("A"), CHARS("WBRI", DIS("MOB")))
                       CHILD(ID("B"), CHARS("WBRI", DIS("AUT") DIS("LD"))));
        rcin_check(&t, "2888Q");
        rcin_none(&t);
        rcin_end(&t);
        /* Nobody has a disability: left to 2887Q. */
        rcin_begin(&t, 2025, CHILD(ID("A"), CHARS("WBRI", DIS("NONE"))));
        rcin_check(&t, "2888Q");
        rcin_none(&t);
        rcin_end(&t);
        /* Everyone with a disability has one (a repeated code is still one). */
        rcin_begin(&t, 2025,
                   CHILD(ID("A"), CHARS("WBRI", DIS("MOB")))
                       CHILD(ID("B"), CHARS("WBRI", DIS("AUT") DIS("AUT")))
                           CHILD(ID("C"), CHARS("WBRI", DIS("NONE") DIS("NONE"))));
        rcin_check(&t, "2888Q");
        rcin_expect(&t, "Disabilities", (long[]){0}, 1);
        rcin_end(&t);
}

static void test_8790_8794(void **state)
{
        (void)state;
        struct rcin t;
        rcin_begin(&t, 2025,
                   CHILD(ID("A"), CHARS("WBRI", DIS("NONE")))
                       CHILD(ID("B"), CHARS("WBRI", DIS("AUT") DIS("LD"))));
        rcin_check(&t, "8790");
        rcin_none(&t);
        rcin_check(&t, "8794");
        rcin_none(&t);
        rcin_end(&t);

        rcin_begin(&t, 2025,
                   CHILD(ID("A"), CHARS("WBRI", DIS("NONE") DIS("AUT")))
                       CHILD(ID("B"), CHARS("WBRI", DIS("LD") DIS("MOB") DIS("LD")))
                           CHILD(ID("C"), CHARS("WBRI", DIS("LD"))));
        rcin_check(&t, "8790");
        rcin_expect(&t, "Disabilities", (long[]){2}, 1);
        rcin_child(&t, 0, "A");
        rcin_check(&t, "8794");
        rcin_expect(&t, "Disabilities", (long[]){3, 5}, 2);
        rcin_end(&t);
}

/* The D2I fixture for 2887Q uses only two codes (HAND, HEAR). */
static void test_2887Q_fixture(void **state)
{
        (void)state;
        const char *path = SHARED_DATA "/external/validator-fixtures/cin/CIN_la_issues_2887Q.xml";
        SKIP_WITHOUT_SHARED(path);
        struct buf b;
        buf_init(&b);
        struct err e;
        assert_int_equal(buf_read_file(&b, path, &e), 0);
        struct rcin t;
        rcin_begin_doc(&t, 2023, b.data);
        buf_release(&b);
        rcin_check(&t, "2887Q");
        rcin_expect(&t, "Disabilities", (long[]){0}, 1);
        assert_non_null(strstr(t.res.f[0].message, "2 different codes"));
        rcin_check(&t, "8790");
        rcin_none(&t);
        rcin_end(&t);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_4220),      cmocka_unit_test(test_8540),
            cmocka_unit_test(test_2887Q),     cmocka_unit_test(test_2888Q),
            cmocka_unit_test(test_8790_8794), cmocka_unit_test(test_2887Q_fixture),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
