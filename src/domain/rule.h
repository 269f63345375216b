/*
 * rule.h - the commission rule grammar: parse and print.
 *
 *   flat AMOUNT
 *   percent RATE [cap AMOUNT]
 *   flat AMOUNT cap AMOUNT              (cap accepted, though pointless)
 *   tiered BASIS PERIOD MODE BRACKET...
 *     BASIS   count | revenue
 *     PERIOD  month | quarter | year | lifetime
 *     MODE    graduated | volume
 *     BRACKET LOWER:RATE   RATE is "5%" (percent, <= 2 decimals) or an
 *             amount "20.00" (flat per unit for count, per conversion for
 *             revenue); LOWER is a whole count for count, an amount for
 *             revenue; lower bounds start at 0 and strictly increase.
 *   optional trailing "cap AMOUNT" on tiered too.
 *
 * Keywords are case-insensitive, separated by blanks.  Amounts use the
 * program's currency (more decimals than it has is an error).  The parsed
 * structure prints back in a canonical form (rule_format) that parses to
 * the same structure.  No arithmetic here: that is commission.c.
 */
#ifndef ALLY_DOMAIN_RULE_H
#define ALLY_DOMAIN_RULE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/date.h"
#include "core/money.h"
#include "core/status.h"
#include "core/str.h"

#define RULE_MAX_BRACKETS 16

enum rule_kind { RULE_FLAT = 1, RULE_PERCENT, RULE_TIERED };
enum rule_basis { BASIS_COUNT = 1, BASIS_REVENUE };
enum rule_mode { MODE_GRADUATED = 1, MODE_VOLUME };

struct bracket {
	int64_t lower;          /* count, or minor units for revenue */
	bool is_percent;
	int32_t rate_bp;        /* when is_percent */
	int64_t amount;         /* minor units, when !is_percent */
};

struct rule {
	enum rule_kind kind;
	int64_t flat;           /* RULE_FLAT: minor units */
	int32_t rate_bp;        /* RULE_PERCENT */
	int64_t cap;            /* minor units per commission, 0 = none */
	enum rule_basis basis;  /* RULE_TIERED ... */
	enum period period;
	enum rule_mode mode;
	int nbrackets;
	struct bracket brackets[RULE_MAX_BRACKETS];
};

/*
 * Parse text.  On error returns ST_DATA with a message naming the word and
 * what was expected, e.g. "rule: word 3 \"montly\": expected month, quarter,
 * year or lifetime", "rule: bracket 2 \"5:7%\": lower bounds must
 * increase", "rule: empty".
 */
enum status rule_parse(const char *text, const struct currency *cur,
    struct rule *out, struct err *e);

/* Canonical text of a rule: "percent 7.5 cap 500.00",
 * "tiered revenue quarter volume 0:5% 10000.00:7% 25000.00:10%". */
void rule_format(const struct rule *r, const struct currency *cur, struct sbuf *out);

#endif
