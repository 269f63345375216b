/*
 * test_date.c - time zones, RFC 3339 and day parsing, formatting, calendar
 * periods, DST-safe day arithmetic, and the pinned clock.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <cmocka.h>

#include "core/clock.h"
#include "core/date.h"

#define SENTINEL INT64_C(-777)
#define H 3600
#define DAY 86400

static void
zone(const char *name)
{
	struct err e;

	if (date_set_zone(name, &e) != ST_OK)
		fail_msg("zone %s: %s", name, e.msg);
}

static int
setup_utc(void **state)
{
	(void)state;
	zone("UTC");
	return 0;
}

static int
setup_berlin(void **state)
{
	(void)state;
	zone("Europe/Berlin");
	return 0;
}

/* Parse with date_parse_time, expecting success. */
static int64_t
at(const char *s)
{
	struct err e;
	int64_t t = SENTINEL;

	err_clear(&e);
	if (date_parse_time(s, &t, "--at", &e) != ST_OK)
		fail_msg("\"%s\": unexpected error: %s", s, e.msg);
	return t;
}

static int64_t
day(const char *s)
{
	struct err e;
	int64_t t = SENTINEL;

	if (date_parse_day(s, &t, "--day", &e) != ST_OK)
		fail_msg("\"%s\": unexpected error: %s", s, e.msg);
	return t;
}

/* Expect date_parse_time to fail with msg (if given), t untouched. */
static void
bad_at(const char *s, const char *msg)
{
	struct err e;
	int64_t t = SENTINEL;

	err_clear(&e);
	assert_int_equal(date_parse_time(s, &t, "--at", &e), ST_DATA);
	assert_int_equal(e.st, ST_DATA);
	assert_true(t == SENTINEL);
	assert_true(strncmp(e.msg, "--at: ", 6) == 0);
	assert_null(strchr(e.msg, '\n'));
	if (msg != NULL)
		assert_string_equal(e.msg, msg);
}

static void
bad_day(const char *s, const char *msg)
{
	struct err e;
	int64_t t = SENTINEL;

	err_clear(&e);
	assert_int_equal(date_parse_day(s, &t, "--day", &e), ST_DATA);
	assert_true(t == SENTINEL);
	if (msg != NULL)
		assert_string_equal(e.msg, msg);
}

static void
assert_time(int64_t got, const char *want_rfc3339)
{
	char buf[DATE_BUFSZ];

	date_format_rfc3339(got, buf);
	assert_string_equal(buf, want_rfc3339);
}

/* --- RFC 3339 --- */

static void
test_rfc3339_z(void **state)
{
	(void)state;
	assert_true(at("2026-10-01T09:00:00Z") == INT64_C(1790845200));
	assert_true(at("1970-01-01T00:00:00Z") == 0);
	assert_true(at("2024-02-29T12:34:56Z") == INT64_C(1709210096));
	assert_true(at("1969-12-31T23:59:59Z") == -1);
}

static void
test_rfc3339_lower_case(void **state)
{
	(void)state;
	assert_true(at("2026-10-01t09:00:00z") == INT64_C(1790845200));
}

static void
test_rfc3339_offsets(void **state)
{
	(void)state;
	assert_true(at("2026-10-01T11:00:00+02:00") == INT64_C(1790845200));
	assert_true(at("2026-10-01T03:30:00-05:30") == INT64_C(1790845200));
	assert_true(at("2026-10-01T09:00:00-00:00") == INT64_C(1790845200));
	assert_true(at("2026-10-01T09:00:00+00:00") == INT64_C(1790845200));
	/* The offset carries the time across midnight. */
	assert_true(at("2026-10-02T01:00:00+16:00") == INT64_C(1790845200));
}

static void
test_rfc3339_offset_ignores_zone(void **state)
{
	(void)state;
	zone("America/New_York");
	assert_true(at("2026-10-01T09:00:00Z") == INT64_C(1790845200));
	zone("Europe/Berlin");
	assert_true(at("2026-10-01T11:00:00+02:00") == INT64_C(1790845200));
}

static void
test_rfc3339_fraction(void **state)
{
	(void)state;
	assert_true(at("2026-10-01T09:00:00.5Z") == INT64_C(1790845200));
	assert_true(at("2026-10-01T09:00:00.999999999+00:00") ==
	    INT64_C(1790845200));
	bad_at("2026-10-01T09:00:00.Z", NULL);
	bad_at("2026-10-01T09:00:00,5Z", NULL);
}

static void
test_rfc3339_leap_second(void **state)
{
	(void)state;
	assert_true(at("2016-12-31T23:59:60Z") == at("2017-01-01T00:00:00Z"));
}

static void
test_rfc3339_missing_offset(void **state)
{
	(void)state;
	bad_at("2026-10-01T09:00:00", "--at: \"2026-10-01T09:00:00\" is not a "
	    "valid time (want Z or an offset like +02:00 at the end)");
	bad_at("2026-10-01T09:00:00+0200", NULL);
	bad_at("2026-10-01T09:00:00+02", NULL);
	bad_at("2026-10-01T09:00:00Z ", NULL);
	bad_at("2026-10-01T09:00:00ZZ", NULL);
}

static void
test_rfc3339_bad_fields(void **state)
{
	(void)state;
	bad_at("2026-10-01T24:00:00Z", "--at: \"2026-10-01T24:00:00Z\" is not "
	    "a valid time (want RFC 3339, e.g. 2026-10-01T09:00:00Z)");
	bad_at("2026-10-01T09:60:00Z", NULL);
	bad_at("2026-10-01T09:00:61Z", NULL);
	bad_at("2026-10-01T09:00:00+24:00", NULL);
	bad_at("2026-10-01T09:00:00+02:60", NULL);
}

static void
test_rfc3339_bad_shape(void **state)
{
	(void)state;
	bad_at("2026-10-01T09:00Z", NULL);
	bad_at("2026-10-01 09:00:00Z", NULL);
	bad_at("2026-10-01T9:00:00Z", NULL);
	bad_at("2026-10-01X09:00:00Z", NULL);
	bad_at("2026-10-01T", NULL);
}

/* --- days --- */

static void
test_day_is_local_midnight(void **state)
{
	(void)state;
	assert_time(day("2026-10-01"), "2026-09-30T22:00:00Z");
	assert_time(day("2026-01-15"), "2026-01-14T23:00:00Z");
	assert_true(at("2026-10-01") == day("2026-10-01"));
}

static void
test_day_in_utc(void **state)
{
	(void)state;
	zone("UTC");
	assert_time(day("2026-10-01"), "2026-10-01T00:00:00Z");
	zone("Europe/Berlin");
}

static void
test_day_berlin_spring_forward(void **state)
{
	(void)state;
	/* 2026-03-29 has 23 hours in Berlin. */
	assert_time(day("2026-03-29"), "2026-03-28T23:00:00Z");
	assert_time(day("2026-03-30"), "2026-03-29T22:00:00Z");
	assert_true(day("2026-03-30") - day("2026-03-29") == 23 * H);
}

static void
test_day_berlin_fall_back(void **state)
{
	(void)state;
	/* 2026-10-25 has 25 hours in Berlin. */
	assert_time(day("2026-10-25"), "2026-10-24T22:00:00Z");
	assert_time(day("2026-10-26"), "2026-10-25T23:00:00Z");
	assert_true(day("2026-10-26") - day("2026-10-25") == 25 * H);
}

static void
test_day_midnight_gap(void **state)
{
	(void)state;
	/* In Santiago 2024-09-08 starts at 01:00: midnight does not exist. */
	zone("America/Santiago");
	assert_time(day("2024-09-08"), "2024-09-08T04:00:00Z");
	assert_time(date_day_start(at("2024-09-08T12:00:00Z")),
	    "2024-09-08T04:00:00Z");
	zone("Europe/Berlin");
}

static void
test_day_impossible(void **state)
{
	(void)state;
	bad_at("2026-02-30", "--at: \"2026-02-30\" is not a valid date "
	    "(February 2026 has 28 days)");
	bad_at("2026-04-31", "--at: \"2026-04-31\" is not a valid date "
	    "(April 2026 has 30 days)");
	bad_at("2100-02-29", "--at: \"2100-02-29\" is not a valid date "
	    "(February 2100 has 28 days)");
	bad_at("2026-01-00", NULL);
	bad_at("2026-01-32", NULL);
	bad_at("2026-02-30T10:00:00Z", NULL);
}

static void
test_day_leap_years(void **state)
{
	(void)state;
	assert_time(day("2024-02-29"), "2024-02-28T23:00:00Z");
	assert_time(day("2000-02-29"), "2000-02-28T23:00:00Z");
}

static void
test_day_bad_month(void **state)
{
	(void)state;
	bad_at("2026-13-01", "--at: \"2026-13-01\" is not a valid date "
	    "(want YYYY-MM-DD or RFC 3339)");
	bad_at("2026-00-10", NULL);
}

static void
test_day_bad_shape(void **state)
{
	(void)state;
	bad_at("2026-1-5", NULL);
	bad_at("26-01-05", NULL);
	bad_at("2026/01/05", NULL);
	bad_at("2026-01-05x", NULL);
	bad_at(" 2026-01-05", NULL);
	bad_at("yesterday", NULL);
	bad_at("", "--at: is empty (want YYYY-MM-DD or RFC 3339)");
	bad_at(NULL, NULL);
}

static void
test_day_error_escapes_input(void **state)
{
	struct err e;
	int64_t t;

	(void)state;
	date_parse_time("2026\x1b[31m", &t, "--at", &e);
	assert_null(strchr(e.msg, '\x1b'));
	assert_non_null(strstr(e.msg, "\"2026\\e[31m\""));
}

static void
test_parse_day_only(void **state)
{
	(void)state;
	bad_day("2026-10-01T09:00:00Z", "--day: \"2026-10-01T09:00:00Z\" is "
	    "not a valid date (want YYYY-MM-DD)");
	bad_day("2026-02-29", "--day: \"2026-02-29\" is not a valid date "
	    "(February 2026 has 28 days)");
	bad_day("", "--day: is empty (want YYYY-MM-DD)");
}

static void
test_parse_month(void **state)
{
	struct err e;
	int64_t t = SENTINEL;

	(void)state;
	assert_int_equal(date_parse_month("2026-03", &t, "--month", &e), ST_OK);
	assert_time(t, "2026-02-28T23:00:00Z");
	assert_int_equal(date_parse_month("2026-07", &t, "--month", &e), ST_OK);
	assert_time(t, "2026-06-30T22:00:00Z");
}

static void
test_parse_month_bad(void **state)
{
	struct err e;
	int64_t t = SENTINEL;

	(void)state;
	assert_int_equal(date_parse_month("2026-13", &t, "--month", &e),
	    ST_DATA);
	assert_string_equal(e.msg, "--month: \"2026-13\" is not a valid month "
	    "(want YYYY-MM)");
	assert_int_equal(date_parse_month("2026-3", &t, "--month", &e), ST_DATA);
	assert_int_equal(date_parse_month("2026-03-01", &t, "--month", &e),
	    ST_DATA);
	assert_int_equal(date_parse_month("", &t, "--month", &e), ST_DATA);
	assert_true(t == SENTINEL);
}

/* --- periods --- */

static void
test_period_month(void **state)
{
	int64_t t;

	(void)state;
	t = at("2026-05-17T12:00:00Z");
	assert_time(date_period_start(PERIOD_MONTH, t), "2026-04-30T22:00:00Z");
	assert_time(date_period_next(PERIOD_MONTH, t), "2026-05-31T22:00:00Z");
}

static void
test_period_month_edges(void **state)
{
	int64_t start = at("2026-04-30T22:00:00Z");

	(void)state;
	/* The first instant belongs to its month; the one before does not. */
	assert_true(date_period_start(PERIOD_MONTH, start) == start);
	assert_time(date_period_start(PERIOD_MONTH, start - 1),
	    "2026-03-31T22:00:00Z");
	/* December rolls into the next year. */
	assert_time(date_period_next(PERIOD_MONTH, at("2026-12-10T00:00:00Z")),
	    "2026-12-31T23:00:00Z");
}

static void
test_period_month_across_dst(void **state)
{
	(void)state;
	/* March starts in CET, April in CEST. */
	assert_time(date_period_start(PERIOD_MONTH, at("2026-03-30T00:00:00Z")),
	    "2026-02-28T23:00:00Z");
	assert_time(date_period_next(PERIOD_MONTH, at("2026-03-30T00:00:00Z")),
	    "2026-03-31T22:00:00Z");
}

static void
test_period_quarter(void **state)
{
	int64_t t;

	(void)state;
	t = at("2026-05-17T12:00:00Z");
	assert_time(date_period_start(PERIOD_QUARTER, t), "2026-03-31T22:00:00Z");
	assert_time(date_period_next(PERIOD_QUARTER, t), "2026-06-30T22:00:00Z");
	t = at("2026-11-03T12:00:00Z");
	assert_time(date_period_start(PERIOD_QUARTER, t), "2026-09-30T22:00:00Z");
	assert_time(date_period_next(PERIOD_QUARTER, t), "2026-12-31T23:00:00Z");
	t = at("2026-01-01T00:00:00Z");        /* 01:00 in Berlin: Q1 */
	assert_time(date_period_start(PERIOD_QUARTER, t), "2025-12-31T23:00:00Z");
	assert_time(date_period_next(PERIOD_QUARTER, t), "2026-03-31T22:00:00Z");
}

static void
test_period_year(void **state)
{
	int64_t t;

	(void)state;
	t = at("2026-05-17T12:00:00Z");
	assert_time(date_period_start(PERIOD_YEAR, t), "2025-12-31T23:00:00Z");
	assert_time(date_period_next(PERIOD_YEAR, t), "2026-12-31T23:00:00Z");
}

static void
test_period_year_depends_on_zone(void **state)
{
	int64_t t;

	(void)state;
	/* 23:30 UTC on New Year's Eve is already next year in Berlin. */
	t = at("2026-12-31T23:30:00Z");
	assert_time(date_period_start(PERIOD_YEAR, t), "2026-12-31T23:00:00Z");
	zone("UTC");
	assert_time(date_period_start(PERIOD_YEAR, t), "2026-01-01T00:00:00Z");
	zone("America/Los_Angeles");
	assert_time(date_period_start(PERIOD_MONTH, t), "2026-12-01T08:00:00Z");
	zone("Europe/Berlin");
}

static void
test_period_lifetime(void **state)
{
	int64_t t = at("2026-05-17T12:00:00Z");

	(void)state;
	assert_true(date_period_start(PERIOD_LIFETIME, t) == 0);
	assert_true(date_period_next(PERIOD_LIFETIME, t) == INT64_MAX);
}

static void
test_period_names(void **state)
{
	enum period p = PERIOD_LIFETIME;

	(void)state;
	assert_string_equal(period_name(PERIOD_MONTH), "month");
	assert_string_equal(period_name(PERIOD_QUARTER), "quarter");
	assert_string_equal(period_name(PERIOD_YEAR), "year");
	assert_string_equal(period_name(PERIOD_LIFETIME), "lifetime");
	assert_true(period_parse("quarter", &p));
	assert_int_equal(p, PERIOD_QUARTER);
	assert_true(period_parse("Month", &p));
	assert_int_equal(p, PERIOD_MONTH);
	assert_false(period_parse("week", &p));
	assert_false(period_parse("", &p));
	assert_false(period_parse("months", &p));
	assert_int_equal(p, PERIOD_MONTH);
}

/* --- days arithmetic --- */

static void
test_add_days_spring_forward(void **state)
{
	int64_t t = at("2026-03-28T12:00:00+01:00");

	(void)state;
	/* Same wall-clock time, 23 hours later. */
	assert_time(date_add_days(t, 1), "2026-03-29T10:00:00Z");
	assert_true(date_add_days(t, 1) - t == 23 * H);
	assert_true(date_add_days(date_add_days(t, 1), -1) == t);
}

static void
test_add_days_fall_back(void **state)
{
	int64_t t = at("2026-10-24T12:00:00+02:00");

	(void)state;
	assert_time(date_add_days(t, 1), "2026-10-25T11:00:00Z");
	assert_true(date_add_days(t, 1) - t == 25 * H);
	assert_true(date_add_days(t, 2) - t == 49 * H);
}

static void
test_add_days_into_gap(void **state)
{
	int64_t t = at("2026-03-28T02:30:00+01:00");

	(void)state;
	/* 02:30 does not exist on the 29th: it becomes 03:30 CEST. */
	assert_time(date_add_days(t, 1), "2026-03-29T01:30:00Z");
}

static void
test_add_days_repeated_hour(void **state)
{
	(void)state;
	/* 02:30 happens twice on the 25th; keep the offset we came from. */
	assert_time(date_add_days(at("2026-10-24T02:30:00+02:00"), 1),
	    "2026-10-25T00:30:00Z");
	assert_time(date_add_days(at("2026-10-26T02:30:00+01:00"), -1),
	    "2026-10-25T01:30:00Z");
}

static void
test_add_days_calendar(void **state)
{
	(void)state;
	assert_time(date_add_days(at("2026-01-31T10:00:00Z"), 1),
	    "2026-02-01T10:00:00Z");
	assert_time(date_add_days(at("2026-01-15T10:00:00Z"), 365),
	    "2027-01-15T10:00:00Z");
	assert_time(date_add_days(at("2024-03-01T10:00:00Z"), -1),
	    "2024-02-29T10:00:00Z");
	assert_true(date_add_days(at("2026-06-01T10:00:00Z"), 0) ==
	    at("2026-06-01T10:00:00Z"));
	assert_true(date_add_days(at("2026-06-01T10:00:00Z"), 30) -
	    at("2026-06-01T10:00:00Z") == 30 * DAY);
}

static void
test_day_start(void **state)
{
	(void)state;
	assert_time(date_day_start(at("2026-03-29T12:00:00Z")),
	    "2026-03-28T23:00:00Z");
	assert_time(date_day_start(at("2026-10-25T23:30:00Z")),
	    "2026-10-25T23:00:00Z");
	assert_time(date_day_start(at("2026-10-25T22:59:59Z")),
	    "2026-10-24T22:00:00Z");
}

/* --- formatting --- */

static void
test_format_rfc3339(void **state)
{
	(void)state;
	assert_time(0, "1970-01-01T00:00:00Z");
	assert_time(-1, "1969-12-31T23:59:59Z");
	assert_time(INT64_C(1790845200), "2026-10-01T09:00:00Z");
	assert_time(INT64_C(253402300799), "9999-12-31T23:59:59Z");
	assert_time(INT64_C(951782400), "2000-02-29T00:00:00Z");
}

static void
test_format_rfc3339_round_trip(void **state)
{
	static const int64_t ts[] = {
		0, -1, 1, 86399, 86400, INT64_C(951782400), INT64_C(1709210096),
		INT64_C(1790845200), INT64_C(253402300799), -INT64_C(2208988800),
	};
	char buf[DATE_BUFSZ];
	size_t i;
	int64_t t;

	(void)state;
	for (i = 0; i < sizeof ts / sizeof ts[0]; i++)
		assert_true(at(date_format_rfc3339(ts[i], buf)) == ts[i]);
	/* Every day for eight years, at an odd second. */
	for (t = at("2023-12-30T17:43:21Z"); t < at("2032-01-02T00:00:00Z");
	    t += DAY + 1)
		if (at(date_format_rfc3339(t, buf)) != t)
			fail_msg("%s", buf);
}

static void
test_format_day_and_minute(void **state)
{
	char buf[DATE_BUFSZ];
	int64_t t = at("2026-03-28T23:30:00Z");

	(void)state;
	assert_string_equal(date_format_day(t, buf), "2026-03-29");
	assert_string_equal(date_format_minute(t, buf), "2026-03-29 00:30");
	t = at("2026-10-01T09:00:00Z");
	assert_string_equal(date_format_minute(t, buf), "2026-10-01 11:00");
	zone("UTC");
	assert_string_equal(date_format_minute(t, buf), "2026-10-01 09:00");
	zone("Europe/Berlin");
}

static void
test_format_day_round_trip(void **state)
{
	char buf[DATE_BUFSZ];
	int64_t t;

	(void)state;
	/* Every 7 hours through two DST changes. */
	for (t = at("2026-03-01T00:00:00Z"); t < at("2026-11-30T00:00:00Z");
	    t += 7 * H)
		if (day(date_format_day(t, buf)) != date_day_start(t))
			fail_msg("%s", buf);
}

/* --- zones --- */

static void
test_zone_valid_names(void **state)
{
	(void)state;
	assert_true(date_zone_valid("Europe/Berlin"));
	assert_true(date_zone_valid("UTC"));
	assert_true(date_zone_valid("America/Argentina/Buenos_Aires"));
	assert_true(date_zone_valid("Etc/GMT+5"));
	assert_true(date_zone_valid("America/Port-au-Prince"));
}

static void
test_zone_unknown(void **state)
{
	(void)state;
	assert_false(date_zone_valid("Mars/Olympus_Mons"));
	assert_false(date_zone_valid("Europe/berlin_"));
	assert_false(date_zone_valid(""));
	assert_false(date_zone_valid(NULL));
	assert_false(date_zone_valid("Europe"));        /* a directory */
	assert_false(date_zone_valid("zone.tab"));      /* not a zone */
	assert_false(date_zone_valid("CET-1CEST"));     /* a POSIX rule */
}

static void
test_zone_paths_rejected(void **state)
{
	(void)state;
	assert_false(date_zone_valid("../zoneinfo/UTC"));
	assert_false(date_zone_valid("Europe/../UTC"));
	assert_false(date_zone_valid("/usr/share/zoneinfo/UTC"));
	assert_false(date_zone_valid("/etc/passwd"));
	assert_false(date_zone_valid("Europe//Berlin"));
	assert_false(date_zone_valid("Europe/Berlin/"));
	assert_false(date_zone_valid("Europe/Berlin\n"));
	assert_false(date_zone_valid(":Europe/Berlin"));
}

static void
test_zone_set_bad_keeps_old(void **state)
{
	struct err e;
	char buf[DATE_BUFSZ];

	(void)state;
	assert_string_equal(date_zone(), "Europe/Berlin");
	err_clear(&e);
	assert_int_equal(date_set_zone("../../etc/passwd", &e), ST_DATA);
	assert_string_equal(e.msg, "time zone \"../../etc/passwd\" is not "
	    "known (want a tzdata name like Europe/Berlin or UTC)");
	assert_string_equal(date_zone(), "Europe/Berlin");
	assert_string_equal(date_format_minute(at("2026-10-01T09:00:00Z"), buf),
	    "2026-10-01 11:00");
}

static void
test_zone_set_changes_conversions(void **state)
{
	char buf[DATE_BUFSZ];

	(void)state;
	zone("Asia/Tokyo");
	assert_string_equal(date_zone(), "Asia/Tokyo");
	assert_string_equal(date_format_minute(at("2026-10-01T09:00:00Z"), buf),
	    "2026-10-01 18:00");
	assert_time(day("2026-10-01"), "2026-09-30T15:00:00Z");
	zone("Europe/Berlin");
}

static void
test_zone_ignores_tz_env_rules(void **state)
{
	char buf[DATE_BUFSZ];

	(void)state;
	/* Even with TZDIR pointing elsewhere, the validated file is used. */
	setenv("TZDIR", "/nonexistent", 1);
	zone("Asia/Kolkata");
	assert_string_equal(date_format_minute(at("2026-10-01T09:00:00Z"), buf),
	    "2026-10-01 14:30");
	unsetenv("TZDIR");
	zone("Europe/Berlin");
}

/* --- clock (kept last: clock_ignore_env is for good) --- */

static void
test_clock_set(void **state)
{
	(void)state;
	clock_set(INT64_C(1790845200));
	assert_true(clock_now() == INT64_C(1790845200));
	clock_set(0);
	assert_true(clock_now() == 0);
}

static void
test_clock_env(void **state)
{
	struct err e;

	(void)state;
	setenv("ALLY_NOW", "2026-10-01T11:00:00+02:00", 1);
	assert_int_equal(clock_init(&e), ST_OK);
	assert_true(clock_now() == INT64_C(1790845200));
	unsetenv("ALLY_NOW");
}

static void
test_clock_env_malformed(void **state)
{
	struct err e;

	(void)state;
	clock_set(5);
	setenv("ALLY_NOW", "2026-10-01T25:00:00Z", 1);
	assert_int_equal(clock_init(&e), ST_CONFIG);
	assert_int_equal(e.st, ST_CONFIG);
	assert_non_null(strstr(e.msg, "ALLY_NOW: \"2026-10-01T25:00:00Z\""));
	setenv("ALLY_NOW", "2026-10-01", 1);
	assert_int_equal(clock_init(&e), ST_CONFIG);
	assert_string_equal(e.msg, "ALLY_NOW: \"2026-10-01\" is not an RFC 3339 "
	    "time (want e.g. 2026-10-01T09:00:00Z)");
	assert_true(clock_now() == 5);
	unsetenv("ALLY_NOW");
}

static void
test_clock_ignore_env(void **state)
{
	struct err e;

	(void)state;
	setenv("ALLY_NOW", "2000-01-01T00:00:00Z", 1);
	assert_int_equal(clock_init(&e), ST_OK);
	assert_true(clock_now() == INT64_C(946684800));
	clock_ignore_env();
	/* Real time again: certainly after 2020. */
	assert_true(clock_now() > INT64_C(1577836800));
	assert_int_equal(clock_init(&e), ST_OK);
	assert_true(clock_now() > INT64_C(1577836800));
	unsetenv("ALLY_NOW");
}

#define T_UTC(f) cmocka_unit_test_setup(f, setup_utc)
#define T_BER(f) cmocka_unit_test_setup(f, setup_berlin)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T_UTC(test_rfc3339_z),
		T_UTC(test_rfc3339_lower_case),
		T_UTC(test_rfc3339_offsets),
		T_UTC(test_rfc3339_offset_ignores_zone),
		T_UTC(test_rfc3339_fraction),
		T_UTC(test_rfc3339_leap_second),
		T_UTC(test_rfc3339_missing_offset),
		T_UTC(test_rfc3339_bad_fields),
		T_UTC(test_rfc3339_bad_shape),
		T_BER(test_day_is_local_midnight),
		T_BER(test_day_in_utc),
		T_BER(test_day_berlin_spring_forward),
		T_BER(test_day_berlin_fall_back),
		T_BER(test_day_midnight_gap),
		T_BER(test_day_impossible),
		T_BER(test_day_leap_years),
		T_BER(test_day_bad_month),
		T_BER(test_day_bad_shape),
		T_BER(test_day_error_escapes_input),
		T_BER(test_parse_day_only),
		T_BER(test_parse_month),
		T_BER(test_parse_month_bad),
		T_BER(test_period_month),
		T_BER(test_period_month_edges),
		T_BER(test_period_month_across_dst),
		T_BER(test_period_quarter),
		T_BER(test_period_year),
		T_BER(test_period_year_depends_on_zone),
		T_BER(test_period_lifetime),
		T_BER(test_period_names),
		T_BER(test_add_days_spring_forward),
		T_BER(test_add_days_fall_back),
		T_BER(test_add_days_into_gap),
		T_BER(test_add_days_repeated_hour),
		T_UTC(test_add_days_calendar),
		T_BER(test_day_start),
		T_UTC(test_format_rfc3339),
		T_UTC(test_format_rfc3339_round_trip),
		T_BER(test_format_day_and_minute),
		T_BER(test_format_day_round_trip),
		T_BER(test_zone_valid_names),
		T_BER(test_zone_unknown),
		T_BER(test_zone_paths_rejected),
		T_BER(test_zone_set_bad_keeps_old),
		T_BER(test_zone_set_changes_conversions),
		T_BER(test_zone_ignores_tz_env_rules),
		T_UTC(test_clock_set),
		T_UTC(test_clock_env),
		T_UTC(test_clock_env_malformed),
		T_UTC(test_clock_ignore_env),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
