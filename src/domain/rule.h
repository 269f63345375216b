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
 * Rules real programs run on (DESIGN.md section 3):
 *   BODY [for N months | for N conversions | for lifetime]
 *     how long one referral keeps earning, from its first qualifying
 *     conversion; without it, only conversions inside the window earn.
 *   CLAUSE; CLAUSE; ...   CLAUSE is "when COND [and COND]... BODY" or a
 *     bare BODY, the default, which must be last.  COND is FIELD=V[,V...]
 *     (event, product, plan: lower-cased; country: two letters, upper),
 *     first, repeat, amount>=A or amount<A.  Bodies are flat or percent
 *     (with cap and for); tiered stands alone.
 *
 * Keywords are case-insensitive, separated by blanks.  Amounts use the
 * program's currency (more decimals than it has is an error).  The parsed
 * structure prints back in a canonical form (rule_format) that parses to
 * the same structure.  No arithmetic here: that is commission.c.
 */
#ifndef ALLY_DOMAIN_RULE_H
#define ALLY_DOMAIN_RULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/money.h"
#include "core/status.h"
#include "core/str.h"

#define RULE_MAX_BRACKETS 16
#define RULE_MAX_CLAUSES 8
#define RULE_MAX_CONDS 4
#define RULE_VALUES_MAX 120     /* bytes of a condition's canonical value list */
#define RULE_VALUE_LEN 64       /* bytes of one value (product, plan, event) */
#define RULE_MAX_MONTHS 1200
#define RULE_MAX_CONVERSIONS 1000000

/* RULE_WHEN: a list of clauses (see struct rule_clause); flat and percent
 * rules are one clause too, mirrored in the top-level fields. */
enum rule_kind { RULE_FLAT = 1, RULE_PERCENT, RULE_TIERED, RULE_WHEN };
enum rule_dur { DUR_NONE = 0, DUR_MONTHS, DUR_CONVERSIONS, DUR_LIFETIME };
enum cond_kind {
	COND_EVENT = 1, COND_PRODUCT, COND_PLAN, COND_COUNTRY,
	COND_FIRST, COND_REPEAT, COND_AMOUNT_GE, COND_AMOUNT_LT
};

struct rule_cond {
	enum cond_kind kind;
	char values[RULE_VALUES_MAX + 1];       /* FIELD=: "de,at" as printed */
	int64_t amount;                         /* amount>= / amount<: minor units */
};

/* One clause: its conditions (none: the default) and a flat or percent
 * body with an optional cap and duration. */
struct rule_clause {
	int nconds;
	struct rule_cond conds[RULE_MAX_CONDS];
	enum rule_kind kind;    /* RULE_FLAT or RULE_PERCENT */
	int64_t flat;
	int32_t rate_bp;
	int64_t cap;
	enum rule_dur dur;
	int32_t dur_n;          /* months or conversions */
};
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
	/* every rule but tiered: its clauses, in order (a plain flat or
	 * percent rule is one clause without conditions) */
	int nclauses;
	struct rule_clause clauses[RULE_MAX_CLAUSES];
};

/* What a clause can test about one conversion. */
struct rule_facts {
	const char *event, *product, *plan, *country;   /* NULL: not given */
	int64_t amount;         /* as reported, minor units */
	int64_t at;
	int64_t ordinal;        /* 1 for the referral's first qualifying conversion */
	int64_t first_at;       /* the time of that first one */
	bool in_window;         /* inside the referral's attribution window */
};

/*
 * Parse text.  On error returns ST_DATA with a message naming the word and
 * what was expected, e.g. "rule: word 3 \"montly\": expected month, quarter,
 * year or lifetime", "rule: bracket 2 \"5:7%\": lower bounds must
 * increase", "rule: empty".
 */
enum status rule_parse(const char *text, const struct currency *cur,
    struct rule *out, struct err *e);

/*
 * The clause of a non-tiered rule that applies to a conversion: the first
 * whose conditions all hold and whose duration (or, without one, the
 * window) still runs; -1 when none.  explain (may be NULL) gets a line per
 * clause tried, and the duration of the one taken ("renewal 4 of 12,
 * until 2027-10-03").
 */
int rule_pick(const struct rule *r, const struct rule_facts *f, const struct currency *cur,
    struct sbuf *explain);
/* Clause k as a plain flat or percent rule (for the commission engine). */
void rule_clause_rule(const struct rule *r, int k, struct rule *out);
/* Does any clause have a duration (conversions after the window earn)? */
bool rule_has_duration(const struct rule *r);
/* Does the rule need to know a conversion's place among its referral's? */
bool rule_needs_order(const struct rule *r);
/* The first instant after clause c's duration of a referral whose first
 * qualifying conversion was at first_at (INT64_MAX for none in time). */
int64_t rule_duration_end(const struct rule_clause *c, int64_t first_at);

/* A product, plan or event value a condition can name: 1..64 letters,
 * digits and - _ . / : + (so it is one word of a rule). */
bool rule_value_ok(const char *s, size_t n);
/* Two letters (ISO 3166 alpha-2, either case). */
bool rule_country_ok(const char *s, size_t n);
/* Canonical text of one condition, one clause. */
void rule_format_cond(const struct rule_cond *c, const struct currency *cur, struct sbuf *out);
void rule_format_clause(const struct rule_clause *c, const struct currency *cur, struct sbuf *out);

/* Canonical text of a rule: "percent 7.5 cap 500.00",
 * "tiered revenue quarter volume 0:5% 10000.00:7% 25000.00:10%",
 * "when product=pro-annual percent 20 for 12 months; percent 10". */
void rule_format(const struct rule *r, const struct currency *cur, struct sbuf *out);

#endif
