/*
 * date.h - times and dates in the organisation's time zone.
 *
 * Times are int64 UTC seconds.  The organisation's zone is set once per
 * process with date_set_zone() (from the database settings); dates typed and
 * shown, and calendar periods, are in that zone.  Until then it is UTC,
 * whatever TZ the process started with.
 */
#ifndef ALLY_CORE_DATE_H
#define ALLY_CORE_DATE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/status.h"

enum period {
	PERIOD_MONTH,
	PERIOD_QUARTER,
	PERIOD_YEAR,
	PERIOD_LIFETIME
};

/* True when name is a zone the system knows (tzdata), e.g. "Europe/Berlin",
 * "UTC". */
bool date_zone_valid(const char *name);
/* Use this zone for every later conversion (sets TZ and calls tzset). */
enum status date_set_zone(const char *name, struct err *e);
const char *date_zone(void);

/*
 * Parse RFC 3339 ("2026-10-01T09:00:00Z", "...+02:00", fractional seconds
 * ignored) or YYYY-MM-DD (midnight in the organisation's zone).
 * ST_DATA with "FIELD: ..." on anything else or an impossible date.
 */
enum status date_parse_time(const char *s, int64_t *t, const char *field, struct err *e);
/* Parse YYYY-MM-DD only: midnight of that day in the zone. */
enum status date_parse_day(const char *s, int64_t *t, const char *field, struct err *e);
/* Parse YYYY-MM into the first instant of that month in the zone. */
enum status date_parse_month(const char *s, int64_t *t, const char *field, struct err *e);

#define DATE_BUFSZ 40
/* "2026-10-01T09:00:00Z" (always UTC, for JSON and CSV). */
char *date_format_rfc3339(int64_t t, char *buf);
/* "2026-10-01" in the zone. */
char *date_format_day(int64_t t, char *buf);
/* "2026-10-01 11:00" in the zone. */
char *date_format_minute(int64_t t, char *buf);

/* Start of the period containing t, in the zone (0 for lifetime). */
int64_t date_period_start(enum period p, int64_t t);
/* Start of the next period after the one containing t (INT64_MAX for lifetime). */
int64_t date_period_next(enum period p, int64_t t);
/* Add n calendar days in the zone (DST-safe: same wall-clock time). */
int64_t date_add_days(int64_t t, int n);
/* Add n calendar months in the zone: the same day and wall-clock time,
 * the day clipped to the month's last (Jan 31 + 1 month = Feb 28 or 29). */
int64_t date_add_months(int64_t t, int n);
/* Start of the day containing t, in the zone. */
int64_t date_day_start(int64_t t);

/* The local date of t as days since 1970-01-01, and back to the first
 * instant of that local day. */
int32_t date_daynum(int64_t t);
int64_t date_daynum_start(int32_t dn);
/* The day number that starts the day (0), week from Monday (1) or month
 * (2) containing dn, and the one that starts the next. */
int32_t date_daynum_bucket(int32_t dn, int bucket);
int32_t date_daynum_next(int32_t dn, int bucket);

const char *period_name(enum period p);
/* "month", "quarter", "year", "lifetime"; false if none. */
bool period_parse(const char *s, enum period *p);

#endif
