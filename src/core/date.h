/*
 * date.h — calendar dates as the returns and the measures use them.
 *
 * A date is a day number: days since 1970-01-01 (proleptic Gregorian), so that
 * differences are plain subtraction and comparisons are integer comparisons.
 * DATE_NONE stands for a blank date (a blank DEC, an open episode).
 *
 * Conventions (measures.md §0.1, §0.6; DEVELOPERS.md "Years"):
 *  - a collection year Y runs from 1 April Y-1 to 31 March Y;
 *  - working days count the days d with s < d <= e that are Monday–Friday and
 *    not an England & Wales bank holiday; the bank holiday table covers
 *    2012–2027 and a date outside it is an error, never a guess.
 */
#ifndef IMPROVE_DATE_H
#define IMPROVE_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct err;

typedef int32_t date_t;
#define DATE_NONE INT32_MIN

/* First and last calendar years of the bank holiday table. */
#define DATE_BH_FIRST_YEAR 2012
#define DATE_BH_LAST_YEAR  2027

bool date_ymd_valid(int y, int m, int d);
int date_days_in_month(int y, int m);
/* Day number of a valid y-m-d (check with date_ymd_valid first). */
date_t date_from_ymd(int y, int m, int d);
void date_to_ymd(date_t t, int *y, int *m, int *d);
/* 0 = Monday … 6 = Sunday */
int date_weekday(date_t t);

/*
 * Parsers take a pointer and length (fields from the CSV reader are not
 * NUL-terminated).  They return 0 and set *out, or -1 if the text is not a
 * real date in that form (31/02/2024 is rejected).  Surrounding spaces are
 * not accepted: the caller trims if the format allows it.
 */
int date_parse_uk(const char *s, size_t n, date_t *out);  /* dd/mm/YYYY */
int date_parse_iso(const char *s, size_t n, date_t *out); /* YYYY-MM-DD */

/* Write into `out` (at least 11 bytes).  DATE_NONE writes "". */
void date_format_iso(date_t t, char out[11]);
void date_format_uk(date_t t, char out[11]);

/* Collection year containing t: the year in which its 31 March falls. */
int date_collection_year(date_t t);
/* 1 April Y-1 and 31 March Y. */
date_t date_year_start(int collection_year);
date_t date_year_end(int collection_year);
/* Last day of the month containing t. */
date_t date_month_end(date_t t);
/* Add whole months, clamping the day to the end of the month (31 Jan + 1 = 28/29 Feb). */
date_t date_add_months(date_t t, int months);
/* Age in completed years on `on` for someone born on `dob`; -1 if on < dob. */
int date_age(date_t dob, date_t on);

/*
 * Bank holidays and working days.  These fail (-1, EXIT_INPUT error saying
 * "bank-holiday table out of range") when a date they must look at lies
 * outside DATE_BH_FIRST_YEAR..DATE_BH_LAST_YEAR.
 */
int date_is_bank_holiday(date_t t, bool *out, struct err *e);
/* Working days d with s < d <= e; 0 if e <= s.  Caller handles e < s as DQ. */
int date_working_days(date_t s, date_t e, int *out, struct err *err);

#endif
