/*
 * test_rules_cin_upn.c — CIN rules on the UPN, former UPN and UPNunknown:
 * 1510, 1520, 1530, 1540, 1550, 1560Q, 8770Q, 8772.
 *
 * Check letters worked by hand (data-formats.md §2.6): U938012345670 gives
 * 2·9+3·3+4·8+6·1+7·2+8·3+9·4+10·5+11·6+12·7 = 339, 339 mod 23 = 17 = U.
 * With a temporary last character A (value 0) the sum is the same, so
 * U93801234567A is valid; with B (value 1) it is 339 + 13 = 352,
 * 352 mod 23 = 7 = H, so H93801234567B is valid and U93801234567B is not.
 */
#include "rules_cin_test.h"

#define UPN_KID(id, upn) CHILD("<LAchildID>" id "</LAchildID><UPN>" upn "</UPN>", "")

static void test_1510(void **state)
{
        (void)state;
        struct rcin t;
        rcin_begin(&t, 2025,
                   UPN_KID("A", "U938012345670") UPN_KID("B", "U93801234567A")
                       UPN_KID("C", "H93801234567B") UPN_KID("D", "u938012345670")
                           UPN_KID("E", "U93801234567")); /* too short: 1550's */
        rcin_check(&t, "1510");
        rcin_none(&t);
        rcin_end(&t);

        rcin_begin(&t, 2025,
                   UPN_KID("A", "A938012345670") UPN_KID("B", "U93801234567B")
                       UPN_KID("C", "U938012345671"));
        rcin_check(&t, "1510");
        rcin_expect(&t, "ChildIdentifiers", (long[]){1, 2, 3}, 3);
        rcin_child(&t, 0, "A");
        assert_non_null(strstr(t.res.f[1].message, "should start with H"));
        rcin_end(&t);
}

static void test_1520(void **state)
{
        (void)state;
        struct rcin t;
        rcin_begin(&t, 2025,
                   UPN_KID("A", "U938012345670") UPN_KID("B", "H93801234567B")
                       CHILD("<LAchildID>C</LAchildID>", "") CHILD("<LAchildID>D</LAchildID>", ""));
        rcin_check(&t, "1520");
        rcin_none(&t); /* two blank UPNs are not the same UPN */
        rcin_end(&t);

        rcin_begin(&t, 2025,
                   UPN_KID("A", "U938012345670") UPN_KID("B", "H93801234567B")
                       UPN_KID("C", "U938012345670"));
        rcin_check(&t, "1520");
        rcin_expect(&t, "ChildIdentifiers", (long[]){1, 3}, 2);
        rcin_end(&t);
}

static void test_1530(void **state)
{
        (void)state;
        struct rcin t;
        rcin_begin(&t, 2024,
                   UPN_KID("A", "U938012345670") UPN_KID("B", "X001012345678")
                       UPN_KID("C", "X942012345678") UPN_KID("D", "X94201234567"));
        rcin_check(&t, "1530");
        rcin_none(&t); /* 942 is known from 2023/24; a 12-character UPN is not looked at */
        rcin_end(&t);

        rcin_begin(&t, 2023, UPN_KID("A", "X942012345678") UPN_KID("B", "X999012345678"));
        rcin_check(&t, "1530");
        rcin_expect(&t, "ChildIdentifiers", (long[]){1, 2}, 2);
        rcin_end(&t);

        rcin_begin(&t, 2026,
                   UPN_KID("A", "X000012345678") UPN_KID("B", "X814012345678")
                       UPN_KID("C", "XA38012345678"));
        rcin_check(&t, "1530");
        rcin_expect(&t, "ChildIdentifiers", (long[]){1, 2, 3}, 3);
        rcin_end(&t);
}

static void test_1540_1550(void **state)
{
        (void)state;
        struct rcin t;
        rcin_begin(&t, 2025, UPN_KID("A", "U938012345670") UPN_KID("B", "H93801234567Z"));
        rcin_check(&t, "1540");
        rcin_none(&t);
        rcin_check(&t, "1550");
        rcin_none(&t);
        rcin_end(&t);

        rcin_begin(&t, 2025,
                   UPN_KID("A", "A9380123X5670")    /* 1540: character 9 */
                   UPN_KID("B", "A938")             /* 1540 and 1550: too short */
                   UPN_KID("C", "A93801234567I")    /* 1550: I */
                   UPN_KID("D", "A93801234567s")    /* 1550: lower case */
                   UPN_KID("E", "A9380123456701")); /* 1550: 14 characters */
        rcin_check(&t, "1540");
        rcin_expect(&t, "ChildIdentifiers", (long[]){1, 2}, 2);
        rcin_check(&t, "1550");
        rcin_expect(&t, "ChildIdentifiers", (long[]){2, 3, 4, 5}, 4);
        rcin_end(&t);
}

#define FORMER(id, f) CHILD("<LAchildID>" id "</LAchildID><FormerUPN>" f "</FormerUPN>", "")

static void test_1560Q(void **state)
{
        (void)state;
        struct rcin t;
        rcin_begin(&t, 2025,
                   FORMER("A", "X98765432123B") FORMER("B", "X987654321231")
                       CHILD("<LAchildID>C</LAchildID>", ""));
        rcin_check(&t, "1560Q");
        rcin_none(&t);
        rcin_end(&t);

        rcin_begin(&t, 2025,
                   FORMER("A", "X98721238") FORMER("B", "198765432123B")
                       FORMER("C", "X0000y0000007"));
        rcin_check(&t, "1560Q");
        rcin_expect(&t, "ChildIdentifiers", (long[]){1, 2, 3}, 3);
        assert_int_equal(t.res.f[0].severity, RULE_QUERY);
        rcin_end(&t);
}

#define NFA(v) CIN("<CINreferralDate>2024-06-01</CINreferralDate><ReferralNFA>" v "</ReferralNFA>")
#define SCHOOL(id, dob, extra, cin)                                                                \
        CHILD("<LAchildID>" id "</LAchildID>" extra "<PersonBirthDate>" dob "</PersonBirthDate>",  \
              cin)

static void test_8770Q_until_2024(void **state)
{
        (void)state;
        struct rcin t;
        /* 2023/24: reference date 2024-03-31, so born on or before 2018-03-31. */
        rcin_begin(&t, 2024,
                   SCHOOL("A", "2015-01-01", "<UPNunknown>UN3</UPNunknown>", NFA("false"))
                       SCHOOL("B", "2015-01-01", "<UPN>U938012345670</UPN>", NFA("0"))
                           SCHOOL("C", "2018-04-01", "", NFA("false")) SCHOOL("D", "2015-01-01", "",
                                                                              NFA("true"))
                               SCHOOL("E", "2015-01-01", "<UPNunknown>un5</UPNunknown>", NFA("0")));
        rcin_check(&t, "8770Q");
        rcin_none(&t);
        rcin_end(&t);

        rcin_begin(&t, 2024,
                   SCHOOL("A", "2018-03-31", "", NFA("false")) SCHOOL(
                       "B", "2010-05-05", "<UPNunknown>UN1</UPNunknown>", NFA("true") NFA("0")));
        rcin_check(&t, "8770Q");
        rcin_expect(&t, "ChildIdentifiers", (long[]){1, 2}, 2);
        rcin_end(&t);
}

static void test_8770Q_from_2025(void **state)
{
        (void)state;
        struct rcin t;
        /* 2024/25: reference date 2025-03-31, school age = born on or before 2021-08-31. */
        rcin_begin(&t, 2025, SCHOOL("A", "2021-09-01", "", NFA("false")));
        rcin_check(&t, "8770Q");
        rcin_none(&t);
        rcin_end(&t);
        rcin_begin(&t, 2025, SCHOOL("A", "2021-08-31", "", NFA("false")));
        rcin_check(&t, "8770Q");
        rcin_expect(&t, "ChildIdentifiers", (long[]){1}, 1);
        rcin_end(&t);
        /* The same child under the 2023/24 reading (six years) is too young. */
        rcin_begin(&t, 2024, SCHOOL("A", "2020-08-31", "", NFA("false")));
        rcin_check(&t, "8770Q");
        rcin_none(&t);
        rcin_end(&t);
}

#define UN7(id, cins) CHILD("<LAchildID>" id "</LAchildID><UPNunknown>UN7</UPNunknown>", cins)

static void test_8772(void **state)
{
        (void)state;
        struct rcin t;
        rcin_begin(&t, 2025,
                   UN7("A", NFA("true") NFA("1"))
                       CHILD("<LAchildID>B</LAchildID><UPNunknown>UN4</UPNunknown>", NFA("false")));
        rcin_check(&t, "8772");
        rcin_none(&t);
        rcin_end(&t);

        rcin_begin(&t, 2025, UN7("A", NFA("true") NFA("false")) UN7("B", CIN("<ReferralNFA/>")));
        rcin_check(&t, "8772");
        rcin_expect(&t, "ChildIdentifiers", (long[]){1, 2}, 2);
        assert_non_null(strstr(t.res.f[0].message, "CINdetails 2"));
        rcin_child(&t, 1, "B");
        rcin_end(&t);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_1510),
            cmocka_unit_test(test_1520),
            cmocka_unit_test(test_1530),
            cmocka_unit_test(test_1540_1550),
            cmocka_unit_test(test_1560Q),
            cmocka_unit_test(test_8770Q_until_2024),
            cmocka_unit_test(test_8770Q_from_2025),
            cmocka_unit_test(test_8772),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
