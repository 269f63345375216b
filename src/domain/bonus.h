/*
 * bonus.h - milestone bonuses: "500.00 at 50 conversions month" or
 * "1000.00 at 100000.00 revenue quarter".
 *
 * A bonus pays AMOUNT once in a period (month, quarter, year, lifetime)
 * when a referrer's qualifying conversions in that period first reach the
 * threshold: N conversions, or REVENUE of value net of refunds.  Pure: the
 * text, its canonical form and the test "is it reached"; the ledger
 * (app/bonus.c) keeps the lines.
 */
#ifndef ALLY_DOMAIN_BONUS_H
#define ALLY_DOMAIN_BONUS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/date.h"
#include "core/money.h"
#include "core/status.h"
#include "core/str.h"

/* Conversions a count threshold may ask for. */
#define BONUS_MAX_COUNT 1000000000

enum bonus_basis { BONUS_COUNT = 1, BONUS_REVENUE };

struct bonus {
	int64_t amount;         /* minor units, > 0 */
	enum bonus_basis basis;
	int64_t threshold;      /* conversions, or minor units of revenue; > 0 */
	enum period period;
};

/* Parse; errors (ST_DATA) start "bonus: " and name the word at fault. */
enum status bonus_parse(const char *text, const struct currency *cur, struct bonus *out,
    struct err *e);
/* Canonical text: "500.00 at 50 conversions month". */
void bonus_format(const struct bonus *b, const struct currency *cur, struct sbuf *out);
/* Does a period of `count` conversions worth `revenue` reach it? */
bool bonus_reached(const struct bonus *b, int64_t count, int64_t revenue);

#endif
