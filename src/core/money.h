/*
 * money.h - currencies (ISO 4217 minor units), amounts in minor units,
 * rates in basis points.
 *
 * Amounts are int64 counts of the currency's minor unit.  Parsing never
 * rounds: more decimals than the currency has is an error.
 */
#ifndef ALLY_CORE_MONEY_H
#define ALLY_CORE_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

struct currency {
	char code[4];   /* "EUR" */
	int digits;     /* minor unit digits: 0, 2 or 3 */
};

/* Look up an ISO 4217 code (case-insensitive); NULL if unknown. */
const struct currency *currency_find(const char *code);
/* Minor digits of a known code, 2 if unknown. */
int currency_digits(const char *code);

/*
 * Parse a decimal in major units ("1200", "1200.5", "-3.25", "1,200.50" is
 * NOT accepted) into minor units.  field names the input in errors.
 * Errors (ST_DATA): empty, not a number, more decimals than the currency
 * has, out of range (|amount| must fit in int64 minor units with room:
 * at most 10^15 major units), negative when allow_negative is false.
 */
enum status money_parse(const char *s, const struct currency *cur,
    bool allow_negative, int64_t *out, const char *field, struct err *e);

/* Format minor units as major units with the currency's digits:
 * 205000 EUR -> "2050.00"; -5 EUR -> "-0.05"; 1200 JPY -> "1200".
 * buf must hold at least MONEY_BUFSZ bytes.  Returns buf. */
#define MONEY_BUFSZ 32
char *money_format(int64_t minor, const struct currency *cur, char *buf);
/* Same with thousands separators for people: "2,050.00". */
char *money_format_human(int64_t minor, const struct currency *cur, char *buf);

/*
 * Parse a percentage with at most two decimals ("10", "7.5", "7.50") into
 * basis points (750).  Range 0..100000 (0% .. 1000%).  ST_DATA otherwise.
 */
enum status rate_parse_bp(const char *s, int32_t *bp, const char *field, struct err *e);
/* "7.5" for 750, "10" for 1000, "0.25" for 25.  buf >= 16 bytes. */
char *rate_format_bp(int32_t bp, char *buf);

/*
 * Round num/den half away from zero (den > 0).  Used for every commission:
 * one rounding per line.
 */
int64_t money_div_round(__int128 num, __int128 den);

/*
 * Checked arithmetic: every sum of money goes through these.  Each stores
 * the exact result and returns true, or returns false (and leaves *out
 * alone) when the result does not fit in int64 minor units.  A caller that
 * gets false refuses the whole action: nothing is ever wrapped.
 */
bool money_add(int64_t a, int64_t b, int64_t *out);
bool money_sub(int64_t a, int64_t b, int64_t *out);
/* Sum of n amounts, in 128 bits: true when the total fits. */
bool money_sum(const int64_t *v, size_t n, int64_t *out);
/* Does a 128-bit intermediate fit? */
bool money_fits(__int128 v);

/*
 * Sums kept apart by currency: a statement, a report or a queue adds each
 * line to the sum of its own currency and never across.  Currencies are
 * kept sorted by code.  After an addition that does not fit, `overflow`
 * names the currency and that sum keeps its last good value.
 */
struct money_by {
	char currency[4];
	int64_t amount;
	int64_t lines;
};

struct money_sums {
	struct money_by *v;
	size_t n, cap;
	char overflow[4];       /* "" while every sum fits */
};

void money_sums_init(struct money_sums *s);
void money_sums_free(struct money_sums *s);
/* Add amount to currency's sum (made at zero if new) and count one line;
 * false on overflow. */
bool money_sums_add(struct money_sums *s, const char *currency, int64_t amount);
/* The same, counting `lines` lines (a rollup entry stands for many). */
bool money_sums_add_lines(struct money_sums *s, const char *currency, int64_t amount, int64_t lines);
/* The entry of currency, NULL if none was added. */
const struct money_by *money_sums_find(const struct money_sums *s, const char *currency);
/* currency's sum, 0 if none. */
int64_t money_sums_get(const struct money_sums *s, const char *currency);

#endif
