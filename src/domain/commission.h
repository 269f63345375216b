/*
 * commission.h - the commission engine: what a rule pays on the qualifying
 * conversions of one tier period, to the cent, with its arithmetic.
 *
 * Pure: values in, amounts and explanations out.  Arithmetic is exact in
 * "micro" units (minor units x 10,000, so a basis-point rate multiplies
 * without loss) in 128 bits; each line is rounded once, half away from
 * zero.
 *
 * flat/percent: each line is its own value x rate, rounded, capped.
 * tiered: the period's events, in time order, build a cumulative
 * commission F(i) (graduated: each unit at its bracket's rate, like tax
 * brackets; volume: the whole basis at the rate of the highest bracket
 * whose lower bound the period total exceeds).  Line i is
 * round(F(i)) - round(F(i-1)), so the lines of a period always add up to
 * the rule's answer for the period, rounded once; a cap clips a line.
 */
#ifndef ALLY_DOMAIN_COMMISSION_H
#define ALLY_DOMAIN_COMMISSION_H

#include <stddef.h>
#include <stdint.h>

#include "core/money.h"
#include "core/str.h"
#include "domain/rule.h"

#define MICRO 10000             /* micro units per minor unit */

/*
 * Amounts for the n events of one period (values in minor units, net of
 * refunds, in time order).  amounts[i] is line i.  When explain is not
 * NULL, explain[i] receives line i's arithmetic (appended, one step a
 * line, amounts in the currency).
 */
void commission_compute(const struct rule *r, const struct currency *cur,
    const int64_t *values, size_t n, int64_t *amounts, struct sbuf *explain);

/* The same, explaining only lines explain_from.. (the others' text is
 * costly and often not needed: a conversion appended to its period changes
 * no earlier line). */
void commission_compute_from(const struct rule *r, const struct currency *cur,
    const int64_t *values, size_t n, int64_t *amounts, struct sbuf *explain, size_t explain_from);

/* The period's total by the rule, unrounded (micro units): the integral
 * for graduated, basis x reached rate for volume, sum of lines otherwise
 * (before caps).  For tests and explanations. */
__int128 commission_period_micro(const struct rule *r, const int64_t *values, size_t n);

/*
 * The running state of a tier period, so that a conversion appended at
 * the end of its period costs O(1): how many conversions, their net
 * value, and the cumulative commission in micro units.
 */
struct period_state {
	int64_t count;
	int64_t revenue;
	__int128 micro;
};

/* Graduated: the state after one more conversion of `value`. */
void commission_step(const struct rule *r, struct period_state *st, int64_t value);
/* The line of one more conversion of `value` appended at the end of the
 * period st describes, with the same arithmetic in explain (may be NULL)
 * as commission_compute_from gives the last line; st moves past it.  For
 * volume, the caller checks that the bracket stays the same (else every
 * line of the period changes).  The caller checks the sums fit. */
int64_t commission_next(const struct rule *r, const struct currency *cur, struct period_state *st,
    int64_t value, struct sbuf *explain);
/* Volume: the bracket a period of this count and revenue reaches. */
int commission_volume_bracket(const struct rule *r, int64_t count, int64_t revenue);
/* Volume: the cumulative commission of `count` conversions worth
 * `revenue` at bracket k. */
__int128 commission_volume_micro(const struct rule *r, int k, int64_t count, int64_t revenue);

/* Round micro units to minor units, half away from zero. */
int64_t commission_round(__int128 micro);

#endif
