/*
 * commission.c - the commission engine (see commission.h for the model).
 */
#include "config.h"

#include <string.h>

#include "domain/commission.h"

int64_t
commission_round(__int128 micro)
{
	return money_div_round(micro, MICRO);
}

/* The rate of a bracket applied to `value` minor units, in micro units:
 * a percentage scales the value, a flat amount is paid once. */
static __int128
bracket_pay(const struct bracket *b, int64_t value)
{
	if (b->is_percent)
		return (__int128)value * b->rate_bp;
	return (__int128)b->amount * MICRO;
}

/* Highest bracket whose lower bound is below x (x > 0), else the first. */
static int
bracket_below(const struct rule *r, __int128 x)
{
	int k = 0, i;

	for (i = 0; i < r->nbrackets; i++)
		if ((__int128)r->brackets[i].lower < x)
			k = i;
	return k;
}

static char *
fmt_money(int64_t minor, const struct currency *cur, char *buf)
{
	return money_format_human(minor, cur, buf);
}

/* micro units shown with the currency's digits plus four more. */
static void
add_micro(struct sbuf *b, __int128 micro, const struct currency *cur)
{
	int digits = cur ? cur->digits : 2, i;
	__int128 a = micro < 0 ? -micro : micro, scale = MICRO;
	char frac[16];
	unsigned long long whole;

	for (i = 0; i < digits; i++)
		scale *= 10;
	whole = (unsigned long long)(a / scale);
	a %= scale;
	for (i = digits + 4 - 1; i >= 0; i--) {
		frac[i] = (char)('0' + (int)(a % 10));
		a /= 10;
	}
	frac[digits + 4] = '\0';
	sbuf_addf(b, "%s%llu.%s", micro < 0 ? "-" : "", whole, frac);
}

static void
add_rate(struct sbuf *b, const struct bracket *br, const struct currency *cur)
{
	char buf[MONEY_BUFSZ];

	if (br->is_percent)
		sbuf_addf(b, "%s%%", rate_format_bp(br->rate_bp, buf));
	else
		sbuf_addf(b, "%s flat", fmt_money(br->amount, cur, buf));
}

static void
add_lower(struct sbuf *b, const struct rule *r, int k, const struct currency *cur)
{
	char buf[MONEY_BUFSZ];

	if (r->basis == BASIS_COUNT)
		sbuf_addf(b, "%lld", (long long)r->brackets[k].lower);
	else
		sbuf_add(b, fmt_money(r->brackets[k].lower, cur, buf));
}

/* Graduated revenue: the integral of the brackets over [0, s]. */
static __int128
graduated_revenue(const struct rule *r, __int128 s)
{
	__int128 total = 0;
	int k;

	for (k = 0; k < r->nbrackets; k++) {
		__int128 lo = r->brackets[k].lower;
		__int128 hi = k + 1 < r->nbrackets ? r->brackets[k + 1].lower : s;
		if (hi > s)
			hi = s;
		if (hi <= lo)
			continue;
		if (r->brackets[k].is_percent)
			total += (hi - lo) * r->brackets[k].rate_bp;
	}
	return total;
}

/* Explain how [s0, s1] splits across graduated revenue brackets. */
static void
explain_split(struct sbuf *b, const struct rule *r, __int128 s0, __int128 s1,
    const struct currency *cur)
{
	char buf[MONEY_BUFSZ];
	int k;

	for (k = 0; k < r->nbrackets; k++) {
		__int128 lo = r->brackets[k].lower;
		__int128 hi = k + 1 < r->nbrackets ? r->brackets[k + 1].lower : s1;
		__int128 a = s0 > lo ? s0 : lo, z = s1 < hi ? s1 : hi;
		if (z <= a || !r->brackets[k].is_percent)
			continue;
		sbuf_add(b, "  bracket ");
		add_lower(b, r, k, cur);
		sbuf_add(b, "+ at ");
		add_rate(b, &r->brackets[k], cur);
		sbuf_addf(b, ": %s x ", fmt_money((int64_t)(z - a), cur, buf));
		add_rate(b, &r->brackets[k], cur);
		sbuf_add(b, " = ");
		add_micro(b, (z - a) * r->brackets[k].rate_bp, cur);
		sbuf_add(b, "\n");
	}
}

void
commission_step(const struct rule *r, struct period_state *st, int64_t value)
{
	int k;

	if (r->basis == BASIS_REVENUE) {
		__int128 before = graduated_revenue(r, st->revenue);
		st->revenue += value;
		st->micro += graduated_revenue(r, st->revenue) - before;
		k = bracket_below(r, st->revenue);
		if (!r->brackets[k].is_percent)
			st->micro += (__int128)r->brackets[k].amount * MICRO;
	} else {
		k = bracket_below(r, (__int128)st->count + 1);
		st->micro += bracket_pay(&r->brackets[k], value);
		st->revenue += value;
	}
	st->count++;
}

int
commission_volume_bracket(const struct rule *r, int64_t count, int64_t revenue)
{
	return bracket_below(r, r->basis == BASIS_COUNT ? (__int128)count : (__int128)revenue);
}

__int128
commission_volume_micro(const struct rule *r, int k, int64_t count, int64_t revenue)
{
	const struct bracket *br = &r->brackets[k];

	if (br->is_percent)
		return (__int128)revenue * br->rate_bp;
	return (__int128)br->amount * MICRO * (__int128)count;
}

__int128
commission_period_micro(const struct rule *r, const int64_t *values, size_t n)
{
	__int128 total = 0, s = 0;
	size_t i;
	int k;

	for (i = 0; i < n; i++)
		s += values[i];
	switch (r->kind) {
	case RULE_FLAT:
		return (__int128)r->flat * MICRO * (__int128)n;
	case RULE_PERCENT:
		return s * r->rate_bp;
	case RULE_WHEN:         /* callers pass each conversion's clause (rule_pick) */
		return 0;
	case RULE_TIERED:
		break;
	}
	if (r->mode == MODE_VOLUME) {
		__int128 basis = r->basis == BASIS_COUNT ? (__int128)n : s;
		k = bracket_below(r, basis);
		if (r->brackets[k].is_percent)
			return s * r->brackets[k].rate_bp;
		return (__int128)r->brackets[k].amount * MICRO * (__int128)n;
	}
	if (r->basis == BASIS_REVENUE) {
		/* flat brackets in revenue mode pay per conversion at the
		 * bracket its cumulative value ends in */
		__int128 cum = 0;
		total = graduated_revenue(r, s);
		for (i = 0; i < n; i++) {
			cum += values[i];
			k = bracket_below(r, cum);
			if (!r->brackets[k].is_percent)
				total += (__int128)r->brackets[k].amount * MICRO;
		}
		return total;
	}
	for (i = 0; i < n; i++) {
		k = bracket_below(r, (__int128)i + 1);
		total += bracket_pay(&r->brackets[k], values[i]);
	}
	return total;
}

void
commission_compute(const struct rule *r, const struct currency *cur, const int64_t *values,
    size_t n, int64_t *amounts, struct sbuf *explain)
{
	commission_compute_from(r, cur, values, n, amounts, explain, 0);
}

/* Where the engine stands in a period while it makes its lines. */
struct walk {
	struct period_state ps;
	__int128 prev_micro, cum, total_basis;
	int64_t prev_round;
	int reached;            /* volume: the bracket the whole period reaches */
};

/* Line i of n (value minor units) and its arithmetic in x (may be NULL). */
static int64_t
line_at(const struct rule *r, const struct currency *cur, struct walk *w, size_t i, size_t n,
    int64_t value, struct sbuf *x)
{
	char b1[MONEY_BUFSZ], b2[MONEY_BUFSZ];
	__int128 line_micro, cum_micro;
	int64_t line, cum_round;
	int k;

	if (r->kind == RULE_FLAT || r->kind == RULE_PERCENT) {
		line_micro = r->kind == RULE_FLAT ? (__int128)r->flat * MICRO : (__int128)value * r->rate_bp;
		line = commission_round(line_micro);
		if (x) {
			if (r->kind == RULE_FLAT) {
				sbuf_addf(x, "flat amount per conversion: %s\n", fmt_money(r->flat, cur, b1));
			} else {
				sbuf_addf(x, "%s x %s%% = ", fmt_money(value, cur, b1), rate_format_bp(r->rate_bp, b2));
				add_micro(x, line_micro, cur);
				sbuf_addf(x, "\nrounded half away from zero: %s\n", fmt_money(line, cur, b1));
			}
		}
	} else {
		__int128 s0 = w->cum;
		w->cum += value;
		if (x)
			sbuf_addf(x, "conversion %zu of %zu in the period, value %s\n", i + 1, n,
			    fmt_money(value, cur, b1));
		if (r->mode == MODE_VOLUME) {
			const struct bracket *br = &r->brackets[w->reached];
			cum_micro = commission_volume_micro(r, w->reached, (int64_t)i + 1, (int64_t)w->cum);
			if (x) {
				sbuf_add(x, "volume: the period total ");
				if (r->basis == BASIS_COUNT)
					sbuf_addf(x, "%zu conversions", n);
				else
					sbuf_add(x, fmt_money((int64_t)w->total_basis, cur, b1));
				sbuf_add(x, " reaches bracket ");
				add_lower(x, r, w->reached, cur);
				sbuf_add(x, "+ at ");
				add_rate(x, br, cur);
				sbuf_add(x, "\n");
			}
		} else if (r->basis == BASIS_REVENUE) {
			commission_step(r, &w->ps, value);
			cum_micro = w->ps.micro;
			if (x) {
				sbuf_addf(x, "graduated: period revenue %s before, %s after; this conversion splits:\n",
				    fmt_money((int64_t)s0, cur, b1), fmt_money((int64_t)w->cum, cur, b2));
				explain_split(x, r, s0, w->cum, cur);
				k = bracket_below(r, w->cum);
				if (!r->brackets[k].is_percent)
					sbuf_addf(x, "  flat amount of the bracket it ends in: %s\n",
					    fmt_money(r->brackets[k].amount, cur, b1));
			}
		} else {
			k = bracket_below(r, (__int128)i + 1);
			commission_step(r, &w->ps, value);
			cum_micro = w->ps.micro;
			if (x) {
				sbuf_addf(x, "graduated: conversion %zu of the period falls in bracket ", i + 1);
				add_lower(x, r, k, cur);
				sbuf_add(x, "+ at ");
				add_rate(x, &r->brackets[k], cur);
				sbuf_add(x, "\n");
			}
		}
		cum_round = commission_round(cum_micro);
		line = cum_round - w->prev_round;
		if (x) {
			sbuf_add(x, "period commission after this conversion: ");
			add_micro(x, cum_micro, cur);
			sbuf_addf(x, " -> %s; before it: ", fmt_money(cum_round, cur, b1));
			add_micro(x, w->prev_micro, cur);
			sbuf_addf(x, " -> %s\n", fmt_money(w->prev_round, cur, b1));
			sbuf_addf(x, "this line: %s - %s = ", fmt_money(cum_round, cur, b1),
			    fmt_money(w->prev_round, cur, b2));
			sbuf_addf(x, "%s\n", fmt_money(line, cur, b1));
		}
		w->prev_micro = cum_micro;
		w->prev_round = cum_round;
	}
	if (r->cap > 0 && line > r->cap) {
		if (x)
			sbuf_addf(x, "cap %s per commission: %s -> %s\n", fmt_money(r->cap, cur, b1),
			    fmt_money(line, cur, b2), fmt_money(r->cap, cur, b1));
		line = r->cap;
	}
	return line;
}

void
commission_compute_from(const struct rule *r, const struct currency *cur, const int64_t *values,
    size_t n, int64_t *amounts, struct sbuf *explain, size_t explain_from)
{
	struct walk w;
	size_t i;

	memset(&w, 0, sizeof w);
	for (i = 0; i < n; i++)
		w.total_basis += values[i];
	if (r->kind == RULE_TIERED && r->mode == MODE_VOLUME) {
		__int128 basis = r->basis == BASIS_COUNT ? (__int128)n : w.total_basis;
		w.reached = bracket_below(r, basis);
	}
	for (i = 0; i < n; i++)
		amounts[i] = line_at(r, cur, &w, i, n, values[i],
		    explain && i >= explain_from ? &explain[i] : NULL);
}

int64_t
commission_next(const struct rule *r, const struct currency *cur, struct period_state *st,
    int64_t value, struct sbuf *explain)
{
	struct walk w;
	int64_t line;

	memset(&w, 0, sizeof w);
	w.ps = *st;
	w.cum = st->revenue;
	w.total_basis = (__int128)st->revenue + value;
	if (r->kind == RULE_TIERED && r->mode == MODE_VOLUME) {
		w.reached = commission_volume_bracket(r, st->count + 1, st->revenue + value);
		w.prev_micro = commission_volume_micro(r, w.reached, st->count, st->revenue);
	} else {
		w.prev_micro = st->micro;
	}
	w.prev_round = commission_round(w.prev_micro);
	line = line_at(r, cur, &w, (size_t)st->count, (size_t)st->count + 1, value, explain);
	if (r->kind == RULE_TIERED && r->mode == MODE_VOLUME)
		w.ps.micro = w.prev_micro;
	else if (r->kind != RULE_TIERED)
		w.ps.micro += r->kind == RULE_FLAT ? (__int128)r->flat * MICRO : (__int128)value * r->rate_bp;
	w.ps.count = st->count + 1;
	w.ps.revenue = st->revenue + value;
	*st = w.ps;
	return line;
}
