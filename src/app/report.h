/*
 * report.h - analytics: the figures of DESIGN.md section 4, filtered by a
 * date range, program, partner tier and partner, computed from rollups
 * kept in the same write transactions as the events, so a report reads a
 * few thousand rollup entries, never a million records.
 *
 * Definitions:
 *  - total referrals: referrals created in the range;
 *  - conversions: of those, the ones that reached a qualifying conversion
 *    (at any time); conversion rate = conversions / total referrals;
 *  - converted value: the qualifying conversions' amounts (net of refunds)
 *    of those referrals;
 *  - top referrers: ranked by referrals in the range, with conversions
 *    and converted value;
 *  - partner contribution: converted partner referrals (count, value) and
 *    won partner deals (count, final value) beside won direct deals;
 *  - commission accrued: lines earned in the range, summed by status;
 *  - series: referrals and conversions per day, week or month (by the
 *    referral's day, in the organisation's zone).
 *
 * Money is never added across currencies.  Every money figure is kept per
 * currency (the *_by sums, a program's figures in its currency, a deal's
 * in its own); the plain int64 fields hold the figure in `currency` (the
 * filter's, else the organisation's) so that one-currency callers read
 * what they always read.  With filter.currency only programs and deals in
 * that currency count at all.  A sum that would not fit in int64 is an
 * error (ST_DATA), never a wrap.
 */
#ifndef ALLY_APP_REPORT_H
#define ALLY_APP_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "core/money.h"

struct report_filter {
	const char *from;       /* YYYY-MM-DD, inclusive; NULL = the beginning */
	const char *to;         /* YYYY-MM-DD, inclusive; NULL = today */
	const char *program;    /* name or id */
	const char *tier;
	const char *partner;
	const char *currency;   /* ISO 4217; NULL = every currency */
	const char *bucket;     /* "day", "week" or "month" for the series; NULL = chosen by range */
	int top;                /* how many top referrers (default 10; -1: none) */
};

struct report_referrer {
	uint64_t referrer;
	uint64_t partner;       /* 0 for customers */
	char name[96];
	int64_t referrals, conversions, value;   /* value: in the report's currency */
	struct money_sums value_by;             /* per currency */
};

struct report_point {
	int64_t start;          /* first instant of the bucket */
	int64_t referrals, conversions;
};

struct report {
	char currency[4];
	int64_t from, to;       /* the range as instants: [from, to) */
	int64_t total_referrals, conversions, converted_value;
	double conversion_rate; /* 0..1 */
	struct report_referrer *top;
	size_t ntop;
	/* partner contribution */
	int64_t partner_referrals_converted, partner_referral_value;
	int64_t partner_deals_won, partner_deal_value;
	int64_t direct_deals_won, direct_deal_value;
	/* commission accrued by status (enum commission_status), minor units */
	int64_t commission[5];
	int64_t commission_lines[5];
	/* the same money figures, per currency (amount and lines) */
	struct money_sums converted_by, partner_referral_by, partner_deal_by, direct_deal_by;
	struct money_sums commission_by[5];
	/* bonus lines and their adjustments, apart from commission: the same
	 * by status; bonuses when there is any in the range */
	int64_t bonus[5], bonus_lines[5];
	struct money_sums bonus_by[5];
	bool bonuses;
	/* override lines (a parent's share of its sub-partners'), the same */
	int64_t override[5], override_lines[5];
	struct money_sums override_by[5];
	bool overrides;
	/* series */
	const char *bucket;     /* "day", "week" or "month" */
	struct report_point *series;
	size_t nseries;
	double seconds;         /* time taken */
};

enum status app_report(struct app *a, const struct report_filter *f, struct report *out,
    struct err *e);
void report_free(struct report *r);
/* For people: "12,345 JPY  1.500 KWD", the sums of s other than `skip`
 * (NULL: all), each with its code; "" when there are none.  Returns buf. */
char *report_money_others(const struct money_sums *s, const char *skip, char *buf, size_t size);
/* Pending + approved + paid per currency (checked; false on overflow). */
bool report_accrued(const struct report *r, struct money_sums *out);

#endif
