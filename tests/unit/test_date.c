/* test_date.c — dates, collection years, ages and working days (measures.md §0.1, §0.6). */
#include "test.h"

#include "core/date.h"
#include "core/err.h"

static date_t D(int y, int m, int d)
{
        return date_from_ymd(y, m, d);
}

static void test_epoch_and_round_trip(void **state)
{
        (void)state;
        assert_int_equal(D(1970, 1, 1), 0);
        assert_int_equal(D(1970, 1, 2), 1);
        assert_int_equal(D(1969, 12, 31), -1);
        assert_int_equal(D(2000, 3, 1) - D(2000, 2, 28), 2); /* 2000 is a leap year */
        assert_int_equal(D(1900, 3, 1) - D(1900, 2, 28), 1); /* 1900 is not */
        /* 2024-03-31 is day 19813 (worked out: 54 years of days + leap days). */
        assert_int_equal(D(2024, 3, 31), 19813);
        for (date_t t = D(1890, 1, 1); t < D(2110, 1, 1); t += 13) {
                int y, m, d;
                date_to_ymd(t, &y, &m, &d);
                assert_true(date_ymd_valid(y, m, d));
                assert_int_equal(date_from_ymd(y, m, d), t);
        }
}

/* The era-based conversion date.c used before its fast one, kept here as the reference. */
static void ymd_by_eras(date_t t, int *y, int *m, int *d)
{
        int z = t + 719468;
        int era = (z >= 0 ? z : z - 146096) / 146097;
        int doe = z - era * 146097;
        int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        int mp = (5 * doy + 2) / 153;
        int dd = doy - (153 * mp + 2) / 5 + 1;
        int mm = mp < 10 ? mp + 3 : mp - 9;
        *y = yoe + era * 400 + (mm <= 2);
        *m = mm;
        *d = dd;
}

static void assert_same_ymd(date_t t)
{
        int y, m, d, ry, rm, rd;
        date_to_ymd(t, &y, &m, &d);
        ymd_by_eras(t, &ry, &rm, &rd);
        if (y != ry || m != rm || d != rd)
                fail_msg("day %ld: %d-%d-%d, expected %d-%d-%d", (long)t, y, m, d, ry, rm, rd);
}

/* date_to_ymd (fast) and date_add_months agree with the era-based conversion. */
static void test_to_ymd_matches_eras(void **state)
{
        (void)state;
        for (date_t t = D(1900, 1, 1); t <= D(2100, 12, 31); t++)
                assert_same_ymd(t);
        /* Around the ends of the fast range (-12,699,422 .. 1,061,042,401) and far outside. */
        static const long ends[] = {-12699422, 1061042401, 2000000000, INT32_MIN + 2000000};
        for (size_t i = 0; i < sizeof ends / sizeof *ends; i++)
                for (long t = ends[i] - 800; t <= ends[i] + 800; t++)
                        assert_same_ymd((date_t)t);
        assert_same_ymd(DATE_NONE);
        assert_same_ymd(DATE_NONE + 1);
        /* Adding months as before: by the era conversion, clamping the day. */
        for (date_t t = D(1990, 1, 1); t <= D(2040, 12, 31); t++)
                for (int k = -36; k <= 36; k += (k >= -13 && k <= 13) ? 1 : 11) {
                        int y, m, d;
                        ymd_by_eras(t, &y, &m, &d);
                        int idx = y * 12 + (m - 1) + k;
                        int ny = idx / 12, nm = idx % 12 + 1;
                        int last = date_days_in_month(ny, nm);
                        date_t want = date_from_ymd(ny, nm, d > last ? last : d);
                        if (date_add_months(t, k) != want)
                                fail_msg("day %ld + %d months", (long)t, k);
                }
}

static void test_weekday(void **state)
{
        (void)state;
        assert_int_equal(date_weekday(D(1970, 1, 1)), 3);   /* Thursday */
        assert_int_equal(date_weekday(D(2026, 11, 26)), 3); /* Thursday */
        assert_int_equal(date_weekday(D(2025, 3, 31)), 0);  /* Monday */
        assert_int_equal(date_weekday(D(1969, 12, 28)), 6); /* Sunday */
}

static void test_parse_uk(void **state)
{
        (void)state;
        date_t t;
        assert_int_equal(date_parse_uk("31/03/2025", 10, &t), 0);
        assert_int_equal(t, D(2025, 3, 31));
        assert_int_equal(date_parse_uk("29/02/2024", 10, &t), 0);
        assert_int_equal(date_parse_uk("29/02/2023", 10, &t), -1);
        assert_int_equal(date_parse_uk("31/04/2025", 10, &t), -1);
        assert_int_equal(date_parse_uk("00/01/2025", 10, &t), -1);
        assert_int_equal(date_parse_uk("01/13/2025", 10, &t), -1);
        assert_int_equal(date_parse_uk("1/3/2025", 8, &t), -1);
        assert_int_equal(date_parse_uk("2025-03-31", 10, &t), -1);
        assert_int_equal(date_parse_uk("31/03/2025 ", 11, &t), -1);
        assert_int_equal(date_parse_uk("3a/03/2025", 10, &t), -1);
        assert_int_equal(date_parse_uk("", 0, &t), -1);
}

static void test_parse_iso_and_format(void **state)
{
        (void)state;
        date_t t;
        char buf[11];
        assert_int_equal(date_parse_iso("2025-11-30", 10, &t), 0);
        date_format_iso(t, buf);
        assert_string_equal(buf, "2025-11-30");
        date_format_uk(t, buf);
        assert_string_equal(buf, "30/11/2025");
        assert_int_equal(date_parse_iso("2025-02-29", 10, &t), -1);
        assert_int_equal(date_parse_iso("2025/02/28", 10, &t), -1);
        assert_int_equal(date_parse_iso("25-02-28", 8, &t), -1);
        date_format_iso(DATE_NONE, buf);
        assert_string_equal(buf, "");
}

static void test_collection_year(void **state)
{
        (void)state;
        assert_int_equal(date_collection_year(D(2025, 4, 1)), 2026);
        assert_int_equal(date_collection_year(D(2026, 3, 31)), 2026);
        assert_int_equal(date_collection_year(D(2025, 3, 31)), 2025);
        assert_int_equal(date_year_start(2026), D(2025, 4, 1));
        assert_int_equal(date_year_end(2026), D(2026, 3, 31));
        assert_int_equal(date_month_end(D(2024, 2, 10)), D(2024, 2, 29));
        assert_int_equal(date_month_end(D(2025, 12, 31)), D(2025, 12, 31));
        assert_int_equal(date_add_months(D(2025, 1, 31), 1), D(2025, 2, 28));
        assert_int_equal(date_add_months(D(2025, 3, 31), -12), D(2024, 3, 31));
        assert_int_equal(date_add_months(D(2025, 11, 15), 3), D(2026, 2, 15));
}

static void test_age(void **state)
{
        (void)state;
        assert_int_equal(date_age(D(2010, 3, 31), D(2025, 3, 31)), 15);
        assert_int_equal(date_age(D(2010, 4, 1), D(2025, 3, 31)), 14);
        assert_int_equal(date_age(D(2008, 2, 29), D(2025, 2, 28)), 16);
        assert_int_equal(date_age(D(2008, 2, 29), D(2025, 3, 1)), 17);
        assert_int_equal(date_age(D(2025, 3, 31), D(2025, 3, 30)), -1);
}

static void test_bank_holidays(void **state)
{
        (void)state;
        struct err e = {0};
        bool bh;
        assert_int_equal(date_is_bank_holiday(D(2023, 5, 8), &bh, &e), 0); /* coronation */
        assert_true(bh);
        assert_int_equal(date_is_bank_holiday(D(2022, 9, 19), &bh, &e), 0); /* state funeral */
        assert_true(bh);
        assert_int_equal(date_is_bank_holiday(D(2020, 5, 8), &bh, &e), 0); /* VE day move */
        assert_true(bh);
        assert_int_equal(date_is_bank_holiday(D(2020, 5, 4), &bh, &e), 0); /* not in 2020 */
        assert_false(bh);
        assert_int_equal(date_is_bank_holiday(D(2027, 3, 26), &bh, &e), 0);
        assert_true(bh);
        assert_int_equal(date_is_bank_holiday(D(2011, 12, 26), &bh, &e), -1);
        assert_int_equal(e.code, EXIT_INPUT);
        assert_non_null(strstr(e.msg, "bank-holiday table out of range"));
        assert_int_equal(date_is_bank_holiday(D(2028, 1, 3), &bh, &e), -1);
}

/* Every listed date of the table is a bank holiday and the Easter rule holds. */
static void test_bank_holiday_table_rules(void **state)
{
        (void)state;
        struct err e = {0};
        for (int y = DATE_BH_FIRST_YEAR; y <= DATE_BH_LAST_YEAR; y++) {
                /* Easter by the anonymous Gregorian algorithm, worked out independently here. */
                int a = y % 19, b = y / 100, c = y % 100, d = b / 4, ee = b % 4;
                int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
                int i = c / 4, k = c % 4, l = (32 + 2 * ee + 2 * i - h - k) % 7;
                int m = (a + 11 * h + 22 * l) / 451;
                int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
                date_t easter = D(y, month, day);
                bool bh;
                assert_int_equal(date_is_bank_holiday(easter - 2, &bh, &e), 0);
                assert_true(bh);
                assert_int_equal(date_is_bank_holiday(easter + 1, &bh, &e), 0);
                assert_true(bh);
                /* Late summer: last Monday in August. */
                date_t aug = D(y, 8, 31);
                while (date_weekday(aug) != 0)
                        aug--;
                assert_int_equal(date_is_bank_holiday(aug, &bh, &e), 0);
                assert_true(bh);
                /* Count: 8 every year, plus the one-off days. */
                int n = 0;
                for (date_t t = D(y, 1, 1); t <= D(y, 12, 31); t++) {
                        assert_int_equal(date_is_bank_holiday(t, &bh, &e), 0);
                        n += bh;
                        if (bh)
                                assert_true(date_weekday(t) < 5);
                }
                int expected = (y == 2012 || y == 2022) ? 9 + (y == 2022) : y == 2023 ? 9 : 8;
                assert_int_equal(n, expected);
        }
}

static void test_working_days(void **state)
{
        (void)state;
        struct err e = {0};
        int n;
        /* Same day: 0.  Friday to Monday: 1. */
        assert_int_equal(date_working_days(D(2025, 6, 2), D(2025, 6, 2), &n, &e), 0);
        assert_int_equal(n, 0);
        assert_int_equal(date_working_days(D(2025, 6, 6), D(2025, 6, 9), &n, &e), 0);
        assert_int_equal(n, 1);
        /* Friday to Saturday (the next non-working day): 0. */
        assert_int_equal(date_working_days(D(2025, 6, 6), D(2025, 6, 7), &n, &e), 0);
        assert_int_equal(n, 0);
        /* Thu 17 Apr 2025 to Tue 22 Apr 2025: Good Friday and Easter Monday excluded -> 1. */
        assert_int_equal(date_working_days(D(2025, 4, 17), D(2025, 4, 22), &n, &e), 0);
        assert_int_equal(n, 1);
        /* Whole of collection year 2025 (1 Apr 2024 - 31 Mar 2025): 261 weekdays in
           (31 Mar 2024, 31 Mar 2025] minus 8 weekday bank holidays (1 Apr, 6 May, 27 May,
           26 Aug, 25 Dec, 26 Dec 2024; 1 Jan 2025 ... ) worked out by a brute-force walk. */
        int brute = 0;
        for (date_t t = D(2024, 3, 31) + 1; t <= D(2025, 3, 31); t++) {
                bool bh;
                assert_int_equal(date_is_bank_holiday(t, &bh, &e), 0);
                brute += date_weekday(t) < 5 && !bh;
        }
        assert_int_equal(date_working_days(D(2024, 3, 31), D(2025, 3, 31), &n, &e), 0);
        assert_int_equal(n, brute);
        assert_int_equal(n, 254);
        /* e < s gives 0 (the caller records a DQ warning). */
        assert_int_equal(date_working_days(D(2025, 6, 9), D(2025, 6, 2), &n, &e), 0);
        assert_int_equal(n, 0);
        /* Out of range is an error, never a guess. */
        assert_int_equal(date_working_days(D(2027, 12, 1), D(2028, 1, 10), &n, &e), -1);
        assert_int_equal(e.code, EXIT_INPUT);
        assert_int_equal(date_working_days(D(2011, 12, 20), D(2012, 1, 10), &n, &e), -1);
}

/* Fast path agrees with a day-by-day walk over many spans. */
static void test_working_days_matches_walk(void **state)
{
        (void)state;
        struct err e = {0};
        for (date_t s = D(2012, 1, 1); s < D(2027, 6, 1); s += 37) {
                for (int len = 0; len < 400; len += 29) {
                        date_t end = s + len;
                        if (end > D(2027, 12, 31))
                                break;
                        int walk = 0;
                        for (date_t t = s + 1; t <= end; t++) {
                                bool bh;
                                assert_int_equal(date_is_bank_holiday(t, &bh, &e), 0);
                                walk += date_weekday(t) < 5 && !bh;
                        }
                        int n;
                        assert_int_equal(date_working_days(s, end, &n, &e), 0);
                        assert_int_equal(n, walk);
                }
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_epoch_and_round_trip),
            cmocka_unit_test(test_to_ymd_matches_eras),
            cmocka_unit_test(test_weekday),
            cmocka_unit_test(test_parse_uk),
            cmocka_unit_test(test_parse_iso_and_format),
            cmocka_unit_test(test_collection_year),
            cmocka_unit_test(test_age),
            cmocka_unit_test(test_bank_holidays),
            cmocka_unit_test(test_bank_holiday_table_rules),
            cmocka_unit_test(test_working_days),
            cmocka_unit_test(test_working_days_matches_walk),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
