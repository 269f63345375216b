/*
 * date.c - the organisation's time zone, parsing and formatting times and
 * days, calendar periods.
 *
 * UTC instants are computed here with plain calendar arithmetic; anything in
 * the organisation's zone goes through libc (localtime_r, mktime) after
 * date_set_zone() has pointed TZ at a tzdata file.  Until then the zone is
 * UTC, whatever TZ the process was started with.  A wall-clock time the zone
 * skips (DST gap) is resolved by mktime(), which moves it forward; that is
 * also why a day or period start is found with mktime() and tm_isdst = -1,
 * never by adding 86400.
 */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/date.h"
#include "core/str.h"

#define ZONEINFO "/usr/share/zoneinfo"
#define ZONE_MAX 128
/* Longest quoted input in an error message, in columns. */
#define QUOTE_COLS 40

static char zone_name[ZONE_MAX] = "UTC";
static bool zone_applied;

static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

bool
date_zone_valid(const char *name)
{
	char path[sizeof ZONEINFO + ZONE_MAX + 1];
	unsigned char magic[4];
	const char *p;
	struct stat st;
	bool ok;
	int fd;

	if (str_empty(name) || strlen(name) >= ZONE_MAX || name[0] == '/')
		return false;
	/* tzdata names use letters, digits and "_+-/"; refusing '.' also
	 * refuses "..", and "zone.tab"-style files that are not zones. */
	for (p = name; *p != '\0'; p++) {
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '+' ||
		    *p == '-' || *p == '/'))
			return false;
		if (*p == '/' && (p[1] == '/' || p[1] == '\0'))
			return false;
	}
	snprintf(path, sizeof path, "%s/%s", ZONEINFO, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    read(fd, magic, sizeof magic) == (ssize_t)sizeof magic &&
	    memcmp(magic, "TZif", 4) == 0;
	close(fd);
	return ok;
}

static void
zone_apply(void)
{
	char tz[sizeof ZONEINFO + ZONE_MAX + 2];

	/* An absolute path: the file validated is the file used, whatever
	 * TZDIR says, and a name is never read as a POSIX TZ rule. */
	snprintf(tz, sizeof tz, ":%s/%s", ZONEINFO, zone_name);
	setenv("TZ", tz, 1);
	tzset();
	zone_applied = true;
}

static void
zone_ensure(void)
{
	if (!zone_applied)
		zone_apply();
}

enum status
date_set_zone(const char *name, struct err *e)
{
	if (!date_zone_valid(name)) {
		char *q = str_visible_cut(name, QUOTE_COLS);

		err_set(e, ST_DATA, "time zone \"%s\" is not known (want a tzdata "
		    "name like Europe/Berlin or UTC)", q);
		free(q);
		return ST_DATA;
	}
	snprintf(zone_name, sizeof zone_name, "%s", name);
	zone_apply();
	return ST_OK;
}

const char *
date_zone(void)
{
	return zone_name;
}

/* --- calendar arithmetic (proleptic Gregorian, UTC) -------------------- */

static bool
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int64_t y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* Days since 1970-01-01 of y-m-d (H. Hinnant's days_from_civil). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* --- the zone's wall clock --------------------------------------------- */

/* mktime() in the zone; false when the result is out of range. */
static bool
local_mktime(struct tm *tm, int64_t *t)
{
	time_t r;

	zone_ensure();
	tm->tm_wday = -1;       /* mktime sets it only on success */
	r = mktime(tm);
	if (tm->tm_wday == -1)
		return false;
	*t = (int64_t)r;
	return true;
}

static bool
local_tm(int64_t t, struct tm *tm)
{
	time_t tt = (time_t)t;

	zone_ensure();
	if ((int64_t)tt != t)
		return false;
	return localtime_r(&tt, tm) != NULL;
}

/* Midnight of y-m-d in the zone. */
static bool
local_midnight(int y, int m, int d, int64_t *t)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	return local_mktime(&tm, t);
}

/* --- parsing ------------------------------------------------------------ */

enum ymd_result { YMD_OK, YMD_SYNTAX, YMD_MONTH, YMD_DAY };

/* Exactly n digits at s. */
static bool
take_digits(const char *s, int n, int *v)
{
	int x = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return true;
}

/* "YYYY-MM" at s (no check of what follows). */
static enum ymd_result
parse_ym(const char *s, int *y, int *m)
{
	if (!take_digits(s, 4, y) || s[4] != '-' || !take_digits(s + 5, 2, m))
		return YMD_SYNTAX;
	if (*m < 1 || *m > 12)
		return YMD_MONTH;
	return YMD_OK;
}

/* "YYYY-MM-DD" at s (no check of what follows). */
static enum ymd_result
parse_ymd(const char *s, int *y, int *m, int *d)
{
	enum ymd_result r = parse_ym(s, y, m);

	if (r != YMD_OK)
		return r;
	if (s[7] != '-' || !take_digits(s + 8, 2, d))
		return YMD_SYNTAX;
	if (*d < 1 || *d > days_in_month(*y, *m))
		return YMD_DAY;
	return YMD_OK;
}

static enum status
bad_date(const char *s, enum ymd_result r, int y, int m, const char *want,
    const char *field, struct err *e)
{
	char *q = str_visible_cut(s, QUOTE_COLS);

	if (r == YMD_DAY)
		err_set(e, ST_DATA, "%s: \"%s\" is not a valid date (%s %d has "
		    "%d days)", field, q, month_names[m - 1], y,
		    days_in_month(y, m));
	else
		err_set(e, ST_DATA, "%s: \"%s\" is not a valid date (want %s)",
		    field, q, want);
	free(q);
	return ST_DATA;
}

static enum status
bad_time(const char *s, const char *why, const char *field, struct err *e)
{
	char *q = str_visible_cut(s, QUOTE_COLS);

	err_set(e, ST_DATA, "%s: \"%s\" is not a valid time (%s)", field, q, why);
	free(q);
	return ST_DATA;
}

static enum status
out_of_range(const char *s, const char *field, struct err *e)
{
	char *q = str_visible_cut(s, QUOTE_COLS);

	err_set(e, ST_DATA, "%s: \"%s\" is out of range", field, q);
	free(q);
	return ST_DATA;
}

#define WANT_TIME "YYYY-MM-DD or RFC 3339"
#define EXAMPLE_TIME "want RFC 3339, e.g. 2026-10-01T09:00:00Z"

/* s[10] onwards: "THH:MM:SS[.frac](Z|+hh:mm|-hh:mm)", the date being
 * already valid. */
static enum status
parse_rfc3339_rest(const char *s, int y, int m, int d, int64_t *t,
    const char *field, struct err *e)
{
	const char *p = s + 10;
	int hh, mi, ss, oh = 0, om = 0, sign = 0;

	if ((*p != 'T' && *p != 't') || !take_digits(p + 1, 2, &hh) ||
	    p[3] != ':' || !take_digits(p + 4, 2, &mi) || p[6] != ':' ||
	    !take_digits(p + 7, 2, &ss))
		return bad_date(s, YMD_SYNTAX, y, m, WANT_TIME, field, e);
	p += 9;
	if (*p == '.') {
		if (p[1] < '0' || p[1] > '9')
			return bad_time(s, EXAMPLE_TIME, field, e);
		p++;
		while (*p >= '0' && *p <= '9')
			p++;    /* fractions of a second are ignored */
	}
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		sign = 0;
	} else if ((*p == '+' || *p == '-') && take_digits(p + 1, 2, &oh) &&
	    p[3] == ':' && take_digits(p + 4, 2, &om) && p[6] == '\0') {
		sign = *p == '+' ? 1 : -1;
	} else {
		return bad_time(s, "want Z or an offset like +02:00 at the end",
		    field, e);
	}
	/* Second 60 is a leap second; it lands on the next minute. */
	if (hh > 23 || mi > 59 || ss > 60 || oh > 23 || om > 59)
		return bad_time(s, EXAMPLE_TIME, field, e);
	*t = days_from_civil(y, m, d) * 86400 + hh * 3600 + mi * 60 + ss -
	    sign * (oh * 3600 + om * 60);
	return ST_OK;
}

enum status
date_parse_time(const char *s, int64_t *t, const char *field, struct err *e)
{
	enum ymd_result r;
	int y = 0, m = 0, d = 0;

	if (str_empty(s))
		return err_set(e, ST_DATA, "%s: is empty (want %s)", field,
		    WANT_TIME);
	r = parse_ymd(s, &y, &m, &d);
	if (r == YMD_OK && s[10] == '\0') {
		if (!local_midnight(y, m, d, t))
			return out_of_range(s, field, e);
		return ST_OK;
	}
	if (r != YMD_OK)
		return bad_date(s, r, y, m, WANT_TIME, field, e);
	return parse_rfc3339_rest(s, y, m, d, t, field, e);
}

enum status
date_parse_day(const char *s, int64_t *t, const char *field, struct err *e)
{
	enum ymd_result r;
	int y = 0, m = 0, d = 0;

	if (str_empty(s))
		return err_set(e, ST_DATA, "%s: is empty (want YYYY-MM-DD)", field);
	r = parse_ymd(s, &y, &m, &d);
	if (r == YMD_OK && s[10] != '\0')
		r = YMD_SYNTAX;
	if (r != YMD_OK)
		return bad_date(s, r, y, m, "YYYY-MM-DD", field, e);
	if (!local_midnight(y, m, d, t))
		return out_of_range(s, field, e);
	return ST_OK;
}

enum status
date_parse_month(const char *s, int64_t *t, const char *field, struct err *e)
{
	int y = 0, m = 0;
	char *q;

	if (str_empty(s))
		return err_set(e, ST_DATA, "%s: is empty (want YYYY-MM)", field);
	if (parse_ym(s, &y, &m) != YMD_OK || s[7] != '\0') {
		q = str_visible_cut(s, QUOTE_COLS);
		err_set(e, ST_DATA, "%s: \"%s\" is not a valid month (want "
		    "YYYY-MM)", field, q);
		free(q);
		return ST_DATA;
	}
	if (!local_midnight(y, m, 1, t))
		return out_of_range(s, field, e);
	return ST_OK;
}

/* --- formatting --------------------------------------------------------- */

char *
date_format_rfc3339(int64_t t, char *buf)
{
	int64_t days = t / 86400, secs = t % 86400, y;
	int m, d;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	snprintf(buf, DATE_BUFSZ, "%04lld-%02d-%02dT%02d:%02d:%02dZ",
	    (long long)y, m, d, (int)(secs / 3600), (int)(secs / 60 % 60),
	    (int)(secs % 60));
	return buf;
}

char *
date_format_day(int64_t t, char *buf)
{
	struct tm tm;

	if (!local_tm(t, &tm))
		snprintf(buf, DATE_BUFSZ, "(out of range)");
	else
		snprintf(buf, DATE_BUFSZ, "%04lld-%02d-%02d",
		    (long long)tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	return buf;
}

char *
date_format_minute(int64_t t, char *buf)
{
	struct tm tm;

	if (!local_tm(t, &tm))
		snprintf(buf, DATE_BUFSZ, "(out of range)");
	else
		snprintf(buf, DATE_BUFSZ, "%04lld-%02d-%02d %02d:%02d",
		    (long long)tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		    tm.tm_hour, tm.tm_min);
	return buf;
}

/* --- periods and days --------------------------------------------------- */

/* First instant of the period containing t, plus skip periods. */
static int64_t
period_bound(enum period p, int64_t t, int skip)
{
	struct tm tm;
	int64_t r;

	if (!local_tm(t, &tm))
		return t;
	tm.tm_mday = 1;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	switch (p) {
	case PERIOD_MONTH:
		tm.tm_mon += skip;
		break;
	case PERIOD_QUARTER:
		tm.tm_mon = tm.tm_mon - tm.tm_mon % 3 + 3 * skip;
		break;
	case PERIOD_YEAR:
		tm.tm_mon = 0;
		tm.tm_year += skip;
		break;
	case PERIOD_LIFETIME:
		return skip ? INT64_MAX : 0;
	}
	if (!local_mktime(&tm, &r))
		return skip ? INT64_MAX : t;
	return r;
}

int64_t
date_period_start(enum period p, int64_t t)
{
	return period_bound(p, t, 0);
}

int64_t
date_period_next(enum period p, int64_t t)
{
	return period_bound(p, t, 1);
}

int64_t
date_add_months(int64_t t, int n)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	struct tm tm;
	int64_t r, m;
	int y, last;

	if (!local_tm(t, &tm))
		return t;
	m = (int64_t)tm.tm_mon + n;
	if (m > 12 * 100000 || m < -12 * 100000)
		return n > 0 ? INT64_MAX : INT64_MIN;
	y = tm.tm_year + (int)(m >= 0 ? m / 12 : -((11 - m) / 12));
	tm.tm_mon = (int)(m - (int64_t)(y - tm.tm_year) * 12);
	tm.tm_year = y;
	y += 1900;
	last = mdays[tm.tm_mon] + (tm.tm_mon == 1 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	if (tm.tm_mday > last)
		tm.tm_mday = last;
	tm.tm_isdst = -1;
	if (!local_mktime(&tm, &r))
		return n > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

int64_t
date_add_days(int64_t t, int n)
{
	struct tm tm, want, chk;
	int64_t r;

	if (!local_tm(t, &tm))
		return t;
	if ((n > 0 && tm.tm_mday > INT_MAX - n) ||
	    (n < 0 && tm.tm_mday < INT_MIN - n))
		return n > 0 ? INT64_MAX : INT64_MIN;
	tm.tm_mday += n;
	want = tm;
	/* Keep the original UTC offset when the wall-clock time exists with
	 * it (an hour that repeats when DST ends), else let mktime choose. */
	if (local_mktime(&tm, &r) && local_tm(r, &chk) &&
	    chk.tm_hour == want.tm_hour && chk.tm_min == want.tm_min &&
	    chk.tm_isdst == want.tm_isdst)
		return r;
	tm = want;
	tm.tm_isdst = -1;
	if (!local_mktime(&tm, &r))
		return n > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

int64_t
date_day_start(int64_t t)
{
	struct tm tm;
	int64_t r;

	if (!local_tm(t, &tm))
		return t;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	if (!local_mktime(&tm, &r))
		return t;
	return r;
}

static const char *const period_names[] = {
	[PERIOD_MONTH] = "month",
	[PERIOD_QUARTER] = "quarter",
	[PERIOD_YEAR] = "year",
	[PERIOD_LIFETIME] = "lifetime",
};

const char *
period_name(enum period p)
{
	if ((unsigned)p >= sizeof period_names / sizeof period_names[0])
		return "?";
	return period_names[p];
}

bool
period_parse(const char *s, enum period *p)
{
	size_t i;

	if (s == NULL)
		return false;
	for (i = 0; i < sizeof period_names / sizeof period_names[0]; i++) {
		if (str_eq_nocase(s, period_names[i])) {
			*p = (enum period)i;
			return true;
		}
	}
	return false;
}

int32_t
date_daynum(int64_t t)
{
	struct tm tm;

	if (!local_tm(t, &tm))
		return (int32_t)(t / 86400);
	return (int32_t)days_from_civil((int64_t)tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int64_t
date_daynum_start(int32_t dn)
{
	struct tm tm;
	int64_t y, r;
	int m, d;

	civil_from_days(dn, &y, &m, &d);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = (int)(y - 1900);
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	if (!local_mktime(&tm, &r))
		return (int64_t)dn * 86400;
	return r;
}

int32_t
date_daynum_bucket(int32_t dn, int bucket)
{
	int64_t y;
	int m, d;

	if (bucket == 1)        /* week: back to Monday (1970-01-01 was a Thursday) */
		return dn - (int32_t)(((dn + 3) % 7 + 7) % 7);
	if (bucket == 2) {      /* month */
		civil_from_days(dn, &y, &m, &d);
		return (int32_t)days_from_civil(y, m, 1);
	}
	return dn;
}

int32_t
date_daynum_next(int32_t dn, int bucket)
{
	int64_t y;
	int m, d;

	if (bucket == 1)
		return dn + 7;
	if (bucket == 2) {
		civil_from_days(dn, &y, &m, &d);
		if (++m > 12) {
			m = 1;
			y++;
		}
		return (int32_t)days_from_civil(y, m, 1);
	}
	return dn + 1;
}
