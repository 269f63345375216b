/*
 * money.c - the ISO 4217 table, parsing and formatting amounts and rates,
 * and the one rounding rule.
 *
 * Amounts are exact integers of the currency's minor unit, so parsing must
 * never round: "12.345" in EUR is an error, not 12.35.  Numbers are read by
 * hand rather than with strtod/strtoll so that no locale, exponent, hex,
 * blank or sign convention slips through.  The only rounding in ally is
 * money_div_round(), used once per commission line.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/money.h"
#include "core/str.h"

/* Active ISO 4217 codes with their minor unit digits.  Fund and metal codes
 * with no minor unit (XAU, XDR, ...) and the 4-digit CLF/UYW are left out:
 * nobody is paid in them. */
static const struct currency currencies[] = {
	{ "AED", 2 }, { "AFN", 2 }, { "ALL", 2 }, { "AMD", 2 }, { "ANG", 2 },
	{ "AOA", 2 }, { "ARS", 2 }, { "AUD", 2 }, { "AWG", 2 }, { "AZN", 2 },
	{ "BAM", 2 }, { "BBD", 2 }, { "BDT", 2 }, { "BGN", 2 }, { "BHD", 3 },
	{ "BIF", 0 }, { "BMD", 2 }, { "BND", 2 }, { "BOB", 2 }, { "BOV", 2 },
	{ "BRL", 2 }, { "BSD", 2 }, { "BTN", 2 }, { "BWP", 2 }, { "BYN", 2 },
	{ "BZD", 2 }, { "CAD", 2 }, { "CDF", 2 }, { "CHE", 2 }, { "CHF", 2 },
	{ "CHW", 2 }, { "CLP", 0 }, { "CNY", 2 }, { "COP", 2 }, { "COU", 2 },
	{ "CRC", 2 }, { "CUC", 2 }, { "CUP", 2 }, { "CVE", 2 }, { "CZK", 2 },
	{ "DJF", 0 }, { "DKK", 2 }, { "DOP", 2 }, { "DZD", 2 }, { "EGP", 2 },
	{ "ERN", 2 }, { "ETB", 2 }, { "EUR", 2 }, { "FJD", 2 }, { "FKP", 2 },
	{ "GBP", 2 }, { "GEL", 2 }, { "GHS", 2 }, { "GIP", 2 }, { "GMD", 2 },
	{ "GNF", 0 }, { "GTQ", 2 }, { "GYD", 2 }, { "HKD", 2 }, { "HNL", 2 },
	{ "HTG", 2 }, { "HUF", 2 }, { "IDR", 2 }, { "ILS", 2 }, { "INR", 2 },
	{ "IQD", 3 }, { "IRR", 2 }, { "ISK", 0 }, { "JMD", 2 }, { "JOD", 3 },
	{ "JPY", 0 }, { "KES", 2 }, { "KGS", 2 }, { "KHR", 2 }, { "KMF", 0 },
	{ "KPW", 2 }, { "KRW", 0 }, { "KWD", 3 }, { "KYD", 2 }, { "KZT", 2 },
	{ "LAK", 2 }, { "LBP", 2 }, { "LKR", 2 }, { "LRD", 2 }, { "LSL", 2 },
	{ "LYD", 3 }, { "MAD", 2 }, { "MDL", 2 }, { "MGA", 2 }, { "MKD", 2 },
	{ "MMK", 2 }, { "MNT", 2 }, { "MOP", 2 }, { "MRU", 2 }, { "MUR", 2 },
	{ "MVR", 2 }, { "MWK", 2 }, { "MXN", 2 }, { "MXV", 2 }, { "MYR", 2 },
	{ "MZN", 2 }, { "NAD", 2 }, { "NGN", 2 }, { "NIO", 2 }, { "NOK", 2 },
	{ "NPR", 2 }, { "NZD", 2 }, { "OMR", 3 }, { "PAB", 2 }, { "PEN", 2 },
	{ "PGK", 2 }, { "PHP", 2 }, { "PKR", 2 }, { "PLN", 2 }, { "PYG", 0 },
	{ "QAR", 2 }, { "RON", 2 }, { "RSD", 2 }, { "RUB", 2 }, { "RWF", 0 },
	{ "SAR", 2 }, { "SBD", 2 }, { "SCR", 2 }, { "SDG", 2 }, { "SEK", 2 },
	{ "SGD", 2 }, { "SHP", 2 }, { "SLE", 2 }, { "SLL", 2 }, { "SOS", 2 },
	{ "SRD", 2 }, { "SSP", 2 }, { "STN", 2 }, { "SVC", 2 }, { "SYP", 2 },
	{ "SZL", 2 }, { "THB", 2 }, { "TJS", 2 }, { "TMT", 2 }, { "TND", 3 },
	{ "TOP", 2 }, { "TRY", 2 }, { "TTD", 2 }, { "TWD", 2 }, { "TZS", 2 },
	{ "UAH", 2 }, { "UGX", 0 }, { "USD", 2 }, { "USN", 2 }, { "UYI", 0 },
	{ "UYU", 2 }, { "UZS", 2 }, { "VED", 2 }, { "VES", 2 }, { "VND", 0 },
	{ "VUV", 0 }, { "WST", 2 }, { "XAF", 0 }, { "XCD", 2 }, { "XCG", 2 },
	{ "XOF", 0 }, { "XPF", 0 }, { "YER", 2 }, { "ZAR", 2 }, { "ZMW", 2 },
	{ "ZWG", 2 }, { "ZWL", 2 },
};

/* Largest amount in major units; 10^15 * 10^3 minor units still leaves
 * room in int64 for sums of many lines. */
#define MONEY_MAX_MAJOR 1000000000000000LL
/* Longest quoted input in an error message, in columns. */
#define QUOTE_COLS 40

static const int64_t pow10_tab[] = { 1, 10, 100, 1000 };

static char
up(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

const struct currency *
currency_find(const char *code)
{
	size_t i;

	if (code == NULL || strlen(code) != 3)
		return NULL;
	for (i = 0; i < sizeof currencies / sizeof currencies[0]; i++) {
		const char *c = currencies[i].code;

		if (up(code[0]) == c[0] && up(code[1]) == c[1] &&
		    up(code[2]) == c[2])
			return &currencies[i];
	}
	return NULL;
}

int
currency_digits(const char *code)
{
	const struct currency *c = currency_find(code);

	return c != NULL ? c->digits : 2;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Split "[-]DIGITS[.DIGITS]" into its parts.  ip, il and fp, fl give
 * the integer and fraction digits (fl is 0 without a point).  False on
 * anything else, including ".5", "5." and blanks.
 */
static bool
split_decimal(const char *s, bool *neg, const char **ip, size_t *il,
    const char **fp, size_t *fl)
{
	*neg = false;
	if (*s == '-') {
		*neg = true;
		s++;
	}
	*ip = s;
	while (is_digit(*s))
		s++;
	*il = (size_t)(s - *ip);
	*fp = s;
	*fl = 0;
	if (*il == 0)
		return false;
	if (*s == '.') {
		*fp = ++s;
		while (is_digit(*s))
			s++;
		*fl = (size_t)(s - *fp);
		if (*fl == 0)
			return false;
	}
	return *s == '\0';
}

/* Value of n decimal digits at p, which must be at most max; false if more. */
static bool
digits_value(const char *p, size_t n, int64_t max, int64_t *v)
{
	int64_t x = 0;

	while (n > 0 && *p == '0') {
		p++;
		n--;
	}
	if (n > 18)
		return false;
	while (n-- > 0)
		x = x * 10 + (*p++ - '0');
	if (x > max)
		return false;
	*v = x;
	return true;
}

static const char *
example_amount(int digits)
{
	switch (digits) {
	case 0:
		return "1200";
	case 3:
		return "12.500";
	default:
		return "12.50";
	}
}

enum status
money_parse(const char *s, const struct currency *cur, bool allow_negative,
    int64_t *out, const char *field, struct err *e)
{
	static const struct currency unnamed = { "", 2 };
	const char *ip, *fp;
	size_t il, fl, i;
	int64_t major, frac = 0, minor;
	enum status st;
	bool neg;
	char *q = NULL;

	if (cur == NULL)
		cur = &unnamed;
	if (cur->digits < 0 || cur->digits > 3)
		return err_set(e, ST_SOFTWARE, "%s: currency %s has %d minor "
		    "digits, which ally does not support", field, cur->code,
		    cur->digits);
	if (str_empty(s))
		return err_set(e, ST_DATA, "%s: is empty (want an amount like %s)",
		    field, example_amount(cur->digits));
	if (!split_decimal(s, &neg, &ip, &il, &fp, &fl)) {
		q = str_visible_cut(s, QUOTE_COLS);
		st = err_set(e, ST_DATA, "%s: \"%s\" is not an amount (want digits "
		    "with '.' for decimals and no thousands separators, e.g. %s)",
		    field, q, example_amount(cur->digits));
		goto out;
	}
	if (fl > (size_t)cur->digits) {
		q = str_visible_cut(s, QUOTE_COLS);
		st = err_set(e, ST_DATA, "%s: \"%s\" has more decimals than %s "
		    "allows (%d)", field, q, cur->code[0] ? cur->code :
		    "the currency", cur->digits);
		goto out;
	}
	if (!digits_value(ip, il, MONEY_MAX_MAJOR, &major)) {
		q = str_visible_cut(s, QUOTE_COLS);
		st = err_set(e, ST_DATA, "%s: \"%s\" is too large (at most %lld)",
		    field, q, (long long)MONEY_MAX_MAJOR);
		goto out;
	}
	for (i = 0; i < fl; i++)
		frac = frac * 10 + (fp[i] - '0');
	for (; i < (size_t)cur->digits; i++)
		frac *= 10;
	minor = major * pow10_tab[cur->digits] + frac;
	if (minor > MONEY_MAX_MAJOR * pow10_tab[cur->digits]) {
		q = str_visible_cut(s, QUOTE_COLS);
		st = err_set(e, ST_DATA, "%s: \"%s\" is too large (at most %lld)",
		    field, q, (long long)MONEY_MAX_MAJOR);
		goto out;
	}
	if (neg && minor != 0 && !allow_negative) {
		q = str_visible_cut(s, QUOTE_COLS);
		st = err_set(e, ST_DATA, "%s: \"%s\" must not be negative", field, q);
		goto out;
	}
	*out = neg ? -minor : minor;
	st = ST_OK;
out:
	free(q);
	return st;
}

/* Write minor units as major units with digits decimals into buf, with
 * thousands separators when sep.  Returns buf. */
static char *
format_minor(int64_t minor, int digits, bool sep, char *buf)
{
	char tmp[MONEY_BUFSZ];
	uint64_t u, major, frac, div = 1;
	size_t n = 0, len, i, lead;
	char *p = buf;
	int d;

	if (digits < 0 || digits > 3)
		digits = 2;
	for (d = 0; d < digits; d++)
		div *= 10;
	u = minor < 0 ? -(uint64_t)minor : (uint64_t)minor;
	major = u / div;
	frac = u % div;
	do {
		tmp[n++] = (char)('0' + major % 10);
		major /= 10;
	} while (major > 0);
	if (minor < 0)
		*p++ = '-';
	len = n;
	lead = len % 3 ? len % 3 : 3;
	for (i = 0; i < len; i++) {
		if (sep && i >= lead && (i - lead) % 3 == 0)
			*p++ = ',';
		*p++ = tmp[n - 1 - i];
	}
	if (digits > 0)
		p += snprintf(p, 8, ".%0*llu", digits, (unsigned long long)frac);
	*p = '\0';
	return buf;
}

char *
money_format(int64_t minor, const struct currency *cur, char *buf)
{
	return format_minor(minor, cur != NULL ? cur->digits : 2, false, buf);
}

char *
money_format_human(int64_t minor, const struct currency *cur, char *buf)
{
	return format_minor(minor, cur != NULL ? cur->digits : 2, true, buf);
}

enum status
rate_parse_bp(const char *s, int32_t *bp, const char *field, struct err *e)
{
	const char *ip, *fp;
	size_t il, fl, n;
	int64_t whole, frac = 0;
	enum status st;
	char *q, *num;
	bool neg;

	if (str_empty(s))
		return err_set(e, ST_DATA, "%s: is empty (want a percentage "
		    "like 7.5)", field);
	q = str_visible_cut(s, QUOTE_COLS);
	/* A trailing '%' is what people write; accept it. */
	n = strlen(s);
	num = xstrndup(s, n > 0 && s[n - 1] == '%' ? n - 1 : n);
	if (!split_decimal(num, &neg, &ip, &il, &fp, &fl)) {
		st = err_set(e, ST_DATA, "%s: \"%s\" is not a percentage (want "
		    "e.g. 7.5 for 7.5%%)", field, q);
		goto out;
	}
	if (neg) {
		st = err_set(e, ST_DATA, "%s: \"%s\" must not be negative",
		    field, q);
		goto out;
	}
	if (fl > 2) {
		st = err_set(e, ST_DATA, "%s: \"%s\" has more than two decimals "
		    "(rates are in hundredths of a percent)", field, q);
		goto out;
	}
	if (fl > 0)
		frac = (fp[0] - '0') * 10 + (fl > 1 ? fp[1] - '0' : 0);
	if (!digits_value(ip, il, 1000, &whole) || whole * 100 + frac > 100000) {
		st = err_set(e, ST_DATA, "%s: \"%s\" is out of range (0 to 1000%%)",
		    field, q);
		goto out;
	}
	*bp = (int32_t)(whole * 100 + frac);
	st = ST_OK;
out:
	free(num);
	free(q);
	return st;
}

char *
rate_format_bp(int32_t bp, char *buf)
{
	int64_t v = bp;
	const char *sign = v < 0 ? "-" : "";
	int64_t whole, frac;

	if (v < 0)
		v = -v;
	whole = v / 100;
	frac = v % 100;
	if (frac == 0)
		snprintf(buf, 16, "%s%lld", sign, (long long)whole);
	else if (frac % 10 == 0)
		snprintf(buf, 16, "%s%lld.%lld", sign, (long long)whole,
		    (long long)(frac / 10));
	else
		snprintf(buf, 16, "%s%lld.%02lld", sign, (long long)whole,
		    (long long)frac);
	return buf;
}

int64_t
money_div_round(__int128 num, __int128 den)
{
	__int128 q, r;

	if (den == 0)
		return 0;
	if (den < 0) {
		num = -num;
		den = -den;
	}
	q = num / den;          /* truncates toward zero */
	r = num % den;          /* same sign as num */
	if (r < 0)
		r = -r;
	if (r >= den - r)       /* |r| >= den/2 without overflow */
		q += num < 0 ? -1 : 1;
	return (int64_t)q;
}

bool
money_add(int64_t a, int64_t b, int64_t *out)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return false;
	*out = r;
	return true;
}

bool
money_sub(int64_t a, int64_t b, int64_t *out)
{
	int64_t r;

	if (__builtin_sub_overflow(a, b, &r))
		return false;
	*out = r;
	return true;
}

bool
money_fits(__int128 v)
{
	return v >= INT64_MIN && v <= INT64_MAX;
}

bool
money_sum(const int64_t *v, size_t n, int64_t *out)
{
	__int128 s = 0;
	size_t i;

	/* 2^64 terms of 2^63 stay inside 2^127: no check per step */
	for (i = 0; i < n; i++)
		s += v[i];
	if (!money_fits(s))
		return false;
	*out = (int64_t)s;
	return true;
}

void
money_sums_init(struct money_sums *s)
{
	memset(s, 0, sizeof *s);
}

void
money_sums_free(struct money_sums *s)
{
	free(s->v);
	memset(s, 0, sizeof *s);
}

static size_t
sums_slot(const struct money_sums *s, const char *currency, bool *found)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(s->v[mid].currency, currency, 3);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

bool
money_sums_add(struct money_sums *s, const char *currency, int64_t amount)
{
	return money_sums_add_lines(s, currency, amount, 1);
}

bool
money_sums_add_lines(struct money_sums *s, const char *currency, int64_t amount, int64_t lines)
{
	bool found;
	size_t i = sums_slot(s, currency, &found);

	if (!found) {
		s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof *s->v);
		memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof *s->v);
		memset(&s->v[i], 0, sizeof *s->v);
		memcpy(s->v[i].currency, currency, 3);
		s->n++;
	}
	s->v[i].lines += lines;
	if (!money_add(s->v[i].amount, amount, &s->v[i].amount)) {
		if (s->overflow[0] == '\0')
			memcpy(s->overflow, s->v[i].currency, 4);
		return false;
	}
	return true;
}

const struct money_by *
money_sums_find(const struct money_sums *s, const char *currency)
{
	bool found;
	size_t i = sums_slot(s, currency, &found);

	return found ? &s->v[i] : NULL;
}

int64_t
money_sums_get(const struct money_sums *s, const char *currency)
{
	const struct money_by *b = money_sums_find(s, currency);

	return b ? b->amount : 0;
}
