/*
 * date.c — calendar dates, collection years and working days (see date.h).
 *
 * Day numbers use the usual era-based conversion between the proleptic
 * Gregorian calendar and a count of days from 1970-01-01, which needs no
 * tables and is exact for every year we handle.  The bank holidays are data:
 * the table in measures.md §0.6, which the project must extend each year.
 */
#include "date.h"
#include "err.h"

#include <stdio.h>
#include <string.h>

bool date_ymd_valid(int y, int m, int d)
{
        return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= date_days_in_month(y, m);
}

static bool is_leap(int y)
{
        return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
        static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        if (m < 1 || m > 12)
                return 0;
        return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

date_t date_from_ymd(int y, int m, int d)
{
        /* Count years from March so that the leap day is the last day of the year. */
        y -= m <= 2;
        int era = (y >= 0 ? y : y - 399) / 400;
        int yoe = y - era * 400;                                  /* 0..399 */
        int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* 0..365 */
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* 0..146096 */
        return (date_t)(era * 146097 + doe - 719468);
}

/* The era-based conversion for any day number (the fast one below covers real dates only). */
static void to_ymd_era(date_t t, int *y, int *m, int *d)
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

/*
 * The same conversion without branches on eras or signed division (after
 * Neri and Schneider, "Euclidean affine functions and their application to
 * calendar algorithms", 2022).  The day is counted from 1 March of year
 * -400 * FAST_ERAS, so that it is unsigned; a year of March-to-February is
 * then 4 * days + 3 over 146097 (centuries) and over 1461 (years of the
 * century), and the month and day come from one 16-bit fixed-point product
 * on the day of that year.  Every step is a multiplication, a shift or a
 * division by a constant.  4 * days + 3 must fit 32 bits, which bounds the
 * range to FAST_FIRST..FAST_LAST (about 32,800 BC to AD 2,900,000); the
 * measures convert dates millions of times per authority, and this is
 * about a third of the era loop's instructions.  test_date compares the two
 * on every day from 1900 to 2100 and at the range's ends.
 */
#define FAST_ERAS  82
#define FAST_SHIFT (719468 + 146097 * FAST_ERAS) /* days from 1 March -32800 to 1 January 1970 */
#define FAST_FIRST (-FAST_SHIFT)
#define FAST_LAST  (1073741823 - FAST_SHIFT)

void date_to_ymd(date_t t, int *y, int *m, int *d)
{
        if (t < FAST_FIRST || t > FAST_LAST) {
                to_ymd_era(t, y, m, d);
                return;
        }
        uint32_t n = (uint32_t)(t + FAST_SHIFT);
        uint32_t n1 = 4 * n + 3;
        uint32_t century = n1 / 146097;
        uint32_t n2 = (n1 % 146097) | 3;     /* 4 * (day of the century) + 3 */
        uint64_t p = (uint64_t)2939745 * n2; /* 2^32 / 1461, rounded up */
        uint32_t year_of_century = (uint32_t)(p >> 32);
        uint32_t day_of_year = (uint32_t)p / 2939745 / 4; /* from 1 March */
        uint32_t n3 = 2141 * day_of_year + 197913;        /* month in the high half, 3..14 */
        uint32_t month = n3 >> 16;
        uint32_t day = (n3 & 0xFFFF) / 2141;
        bool jan_feb = day_of_year >= 306;
        *y = (int)(100 * century + year_of_century) - 400 * FAST_ERAS + jan_feb;
        *m = (int)(jan_feb ? month - 12 : month);
        *d = (int)day + 1;
}

int date_weekday(date_t t)
{
        /* 1970-01-01 was a Thursday (3 when Monday is 0). */
        int w = (int)((t + 3) % 7);
        return w < 0 ? w + 7 : w;
}

static int digits(const char *s, size_t n, int *out)
{
        int v = 0;
        for (size_t i = 0; i < n; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return -1;
                v = v * 10 + (s[i] - '0');
        }
        *out = v;
        return 0;
}

int date_parse_uk(const char *s, size_t n, date_t *out)
{
        int d, m, y;
        if (n != 10 || s[2] != '/' || s[5] != '/' || digits(s, 2, &d) || digits(s + 3, 2, &m) ||
            digits(s + 6, 4, &y) || !date_ymd_valid(y, m, d))
                return -1;
        *out = date_from_ymd(y, m, d);
        return 0;
}

int date_parse_iso(const char *s, size_t n, date_t *out)
{
        int d, m, y;
        if (n != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) || digits(s + 5, 2, &m) ||
            digits(s + 8, 2, &d) || !date_ymd_valid(y, m, d))
                return -1;
        *out = date_from_ymd(y, m, d);
        return 0;
}

/* Write v as exactly n decimal digits (years outside 0..9999 wrap; they never occur). */
static void put_digits(char *out, int v, int n)
{
        if (v < 0)
                v = -v;
        for (int i = n - 1; i >= 0; i--) {
                out[i] = (char)('0' + v % 10);
                v /= 10;
        }
}

void date_format_iso(date_t t, char out[11])
{
        if (t == DATE_NONE) {
                out[0] = '\0';
                return;
        }
        int y, m, d;
        date_to_ymd(t, &y, &m, &d);
        put_digits(out, y, 4);
        out[4] = '-';
        put_digits(out + 5, m, 2);
        out[7] = '-';
        put_digits(out + 8, d, 2);
        out[10] = '\0';
}

void date_format_uk(date_t t, char out[11])
{
        if (t == DATE_NONE) {
                out[0] = '\0';
                return;
        }
        int y, m, d;
        date_to_ymd(t, &y, &m, &d);
        put_digits(out, d, 2);
        out[2] = '/';
        put_digits(out + 3, m, 2);
        out[5] = '/';
        put_digits(out + 6, y, 4);
        out[10] = '\0';
}

int date_collection_year(date_t t)
{
        int y, m, d;
        date_to_ymd(t, &y, &m, &d);
        return m >= 4 ? y + 1 : y;
}

date_t date_year_start(int collection_year)
{
        return date_from_ymd(collection_year - 1, 4, 1);
}

date_t date_year_end(int collection_year)
{
        return date_from_ymd(collection_year, 3, 31);
}

date_t date_month_end(date_t t)
{
        int y, m, d;
        date_to_ymd(t, &y, &m, &d);
        return date_from_ymd(y, m, date_days_in_month(y, m));
}

date_t date_add_months(date_t t, int months)
{
        int y, m, d;
        date_to_ymd(t, &y, &m, &d);
        int idx = y * 12 + (m - 1) + months;
        y = idx / 12;
        m = idx % 12 + 1;
        int last = date_days_in_month(y, m);
        return date_from_ymd(y, m, d > last ? last : d);
}

int date_age(date_t dob, date_t on)
{
        if (on < dob)
                return -1;
        int by, bm, bd, y, m, d;
        date_to_ymd(dob, &by, &bm, &bd);
        date_to_ymd(on, &y, &m, &d);
        int age = y - by;
        /* A 29 February birthday is reached on 1 March in non-leap years. */
        if (m < bm || (m == bm && d < bd))
                age--;
        return age;
}

/*
 * England & Wales bank holidays 2012–2027 (measures.md §0.6), as month*100+day
 * per year.  Includes the one-off days: 2012 and 2022 jubilees, the 2020
 * VE-day move, the 2022 state funeral and the 2023 coronation.
 */
static const short bank_holidays[DATE_BH_LAST_YEAR - DATE_BH_FIRST_YEAR + 1][11] = {
    /* 2012 */ {102, 406, 409, 507, 604, 605, 827, 1225, 1226},
    /* 2013 */ {101, 329, 401, 506, 527, 826, 1225, 1226},
    /* 2014 */ {101, 418, 421, 505, 526, 825, 1225, 1226},
    /* 2015 */ {101, 403, 406, 504, 525, 831, 1225, 1228},
    /* 2016 */ {101, 325, 328, 502, 530, 829, 1226, 1227},
    /* 2017 */ {102, 414, 417, 501, 529, 828, 1225, 1226},
    /* 2018 */ {101, 330, 402, 507, 528, 827, 1225, 1226},
    /* 2019 */ {101, 419, 422, 506, 527, 826, 1225, 1226},
    /* 2020 */ {101, 410, 413, 508, 525, 831, 1225, 1228},
    /* 2021 */ {101, 402, 405, 503, 531, 830, 1227, 1228},
    /* 2022 */ {103, 415, 418, 502, 602, 603, 829, 919, 1226, 1227},
    /* 2023 */ {102, 407, 410, 501, 508, 529, 828, 1225, 1226},
    /* 2024 */ {101, 329, 401, 506, 527, 826, 1225, 1226},
    /* 2025 */ {101, 418, 421, 505, 526, 825, 1225, 1226},
    /* 2026 */ {101, 403, 406, 504, 525, 831, 1225, 1228},
    /* 2027 */ {101, 326, 329, 503, 531, 830, 1227, 1228},
};

static int range_error(date_t t, struct err *e)
{
        char iso[11];
        date_format_iso(t, iso);
        return err_set(e, EXIT_INPUT,
                       "bank-holiday table out of range: %s is outside %d–%d, so working days "
                       "cannot be counted",
                       iso, DATE_BH_FIRST_YEAR, DATE_BH_LAST_YEAR);
}

int date_is_bank_holiday(date_t t, bool *out, struct err *e)
{
        int y, m, d;
        date_to_ymd(t, &y, &m, &d);
        if (y < DATE_BH_FIRST_YEAR || y > DATE_BH_LAST_YEAR)
                return range_error(t, e);
        const short *row = bank_holidays[y - DATE_BH_FIRST_YEAR];
        int key = m * 100 + d;
        *out = false;
        for (int i = 0; i < 11 && row[i]; i++)
                if (row[i] == key) {
                        *out = true;
                        break;
                }
        return 0;
}

int date_working_days(date_t s, date_t e, int *out, struct err *err)
{
        *out = 0;
        if (e <= s)
                return 0;
        int ys, ms, ds, ye, me, de;
        date_to_ymd(s + 1, &ys, &ms, &ds);
        date_to_ymd(e, &ye, &me, &de);
        if (ys < DATE_BH_FIRST_YEAR || ys > DATE_BH_LAST_YEAR)
                return range_error(s + 1, err);
        if (ye < DATE_BH_FIRST_YEAR || ye > DATE_BH_LAST_YEAR)
                return range_error(e, err);
        /* Whole weeks have five weekdays each; walk only the remainder. */
        long span = (long)e - (long)s;
        long weeks = span / 7;
        int count = (int)(weeks * 5);
        for (date_t d = s + 1 + (date_t)(weeks * 7); d <= e; d++)
                if (date_weekday(d) < 5)
                        count++;
        /* Subtract bank holidays in (s, e] that fall on weekdays. */
        for (int y = ys; y <= ye; y++) {
                const short *row = bank_holidays[y - DATE_BH_FIRST_YEAR];
                for (int i = 0; i < 11 && row[i]; i++) {
                        date_t h = date_from_ymd(y, row[i] / 100, row[i] % 100);
                        if (h > s && h <= e && date_weekday(h) < 5)
                                count--;
                }
        }
        *out = count;
        return 0;
}
