/*
 * rule_pick.c - which clause of a rule pays a conversion (see rule.h).
 *
 * Pure: the conversion's facts in (its fields, amount, time, and its place
 * among its referral's qualifying conversions), a clause index and the
 * reasons out.  The one idea: a clause holds when all its conditions do
 * and the referral is still inside the clause's duration (or, without one,
 * inside the attribution window); the first that holds pays, so the text
 * reads top to bottom as people write "20% on annual plans, 10% otherwise".
 */
#include "config.h"

#include <string.h>

#include "core/date.h"
#include "domain/rule.h"

int64_t
rule_duration_end(const struct rule_clause *c, int64_t first_at)
{
	switch (c->dur) {
	case DUR_MONTHS:
		return date_add_months(first_at, c->dur_n);
	case DUR_LIFETIME:
	case DUR_CONVERSIONS:
	case DUR_NONE:
		break;
	}
	return INT64_MAX;
}

bool
rule_has_duration(const struct rule *r)
{
	int i;

	for (i = 0; r->kind != RULE_TIERED && i < r->nclauses; i++)
		if (r->clauses[i].dur != DUR_NONE)
			return true;
	return false;
}

bool
rule_needs_order(const struct rule *r)
{
	int i, j;

	if (rule_has_duration(r))
		return true;
	for (i = 0; r->kind != RULE_TIERED && i < r->nclauses; i++)
		for (j = 0; j < r->clauses[i].nconds; j++)
			if (r->clauses[i].conds[j].kind == COND_FIRST ||
			    r->clauses[i].conds[j].kind == COND_REPEAT)
				return true;
	return false;
}

void
rule_clause_rule(const struct rule *r, int k, struct rule *out)
{
	const struct rule_clause *c = &r->clauses[k];

	memset(out, 0, sizeof *out);
	out->kind = c->kind;
	out->flat = c->flat;
	out->rate_bp = c->rate_bp;
	out->cap = c->cap;
	out->nclauses = 1;
	out->clauses[0] = *c;
	out->clauses[0].nconds = 0;
}

/* Is v one of the comma-separated values in list (same case)? */
static bool
in_list(const char *list, const char *v)
{
	size_t n = strlen(v);
	const char *p = list;

	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == n && strncmp(p, v, n) == 0)
			return true;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return false;
}

/* Does condition c hold for f?  When not, why goes to x. */
static bool
cond_holds(const struct rule_cond *c, const struct rule_facts *f, const struct currency *cur,
    struct sbuf *x)
{
	static const char *const field[] = {
		[COND_EVENT] = "event", [COND_PRODUCT] = "product",
		[COND_PLAN] = "plan", [COND_COUNTRY] = "country",
	};
	char buf[MONEY_BUFSZ];
	const char *v = NULL;

	switch (c->kind) {
	case COND_EVENT:
		v = f->event;
		break;
	case COND_PRODUCT:
		v = f->product;
		break;
	case COND_PLAN:
		v = f->plan;
		break;
	case COND_COUNTRY:
		v = f->country;
		break;
	case COND_FIRST:
		if (f->ordinal == 1)
			return true;
		if (x)
			sbuf_addf(x, "not the first conversion (it is conversion %lld)", (long long)f->ordinal);
		return false;
	case COND_REPEAT:
		if (f->ordinal > 1)
			return true;
		if (x)
			sbuf_add(x, "not a repeat (it is the first conversion)");
		return false;
	case COND_AMOUNT_GE:
	case COND_AMOUNT_LT:
		if ((c->kind == COND_AMOUNT_GE) == (f->amount >= c->amount))
			return true;
		if (x)
			sbuf_addf(x, "amount %s is %s %s", money_format_human(f->amount, cur, buf),
			    c->kind == COND_AMOUNT_GE ? "below" : "at least",
			    money_format_human(c->amount, cur, (char[MONEY_BUFSZ]){ 0 }));
		return false;
	}
	if (v != NULL && *v && in_list(c->values, v))
		return true;
	if (x) {
		if (v == NULL || *v == '\0')
			sbuf_addf(x, "the conversion has no %s", field[c->kind]);
		else
			sbuf_addf(x, "%s is %s", field[c->kind], v);
	}
	return false;
}

/* Months from first_at to at, counted as the duration counts them: the
 * m-th month runs from first + (m-1) months to first + m months. */
static int64_t
month_of_duration(int64_t first_at, int64_t at)
{
	int64_t m = (at - first_at) / (31 * 86400);

	if (m < 0)
		m = 0;
	while (m < RULE_MAX_MONTHS + 1 && date_add_months(first_at, (int)m + 1) <= at)
		m++;
	return m + 1;
}

/* Is the referral still inside clause c's duration (or, without one, the
 * window)?  x gets the duration's place either way. */
static bool
duration_holds(const struct rule_clause *c, const struct rule_facts *f, struct sbuf *x)
{
	char day[DATE_BUFSZ];
	int64_t end;

	switch (c->dur) {
	case DUR_NONE:
		if (f->in_window)
			return true;
		if (x)
			sbuf_add(x, "outside the attribution window, and the clause has no duration");
		return false;
	case DUR_LIFETIME:
		if (x)
			sbuf_addf(x, "renewal %lld, for the referral's lifetime", (long long)f->ordinal);
		return true;
	case DUR_CONVERSIONS:
		if (x)
			sbuf_addf(x, "renewal %lld of %d", (long long)f->ordinal, (int)c->dur_n);
		if (x && f->ordinal > c->dur_n)
			sbuf_add(x, ": past the duration");
		return f->ordinal <= c->dur_n;
	case DUR_MONTHS:
		break;
	}
	end = rule_duration_end(c, f->first_at);
	if (x) {
		int64_t m = month_of_duration(f->first_at, f->at);
		date_format_day(end, day);
		if (f->at < end)
			sbuf_addf(x, "renewal %lld of %d, until %s", (long long)m, (int)c->dur_n, day);
		else
			sbuf_addf(x, "past the %d-month duration, which ended %s", (int)c->dur_n, day);
	}
	return f->at < end;
}

int
rule_pick(const struct rule *r, const struct rule_facts *f, const struct currency *cur,
    struct sbuf *explain)
{
	struct sbuf why;
	int k, i;

	if (r->kind == RULE_TIERED)
		return -1;
	sbuf_init(&why);
	for (k = 0; k < r->nclauses; k++) {
		const struct rule_clause *c = &r->clauses[k];
		bool holds = true;

		sbuf_reset(&why);
		for (i = 0; i < c->nconds && holds; i++)
			holds = cond_holds(&c->conds[i], f, cur, &why);
		if (holds)
			holds = duration_holds(c, f, &why);
		if (explain && r->kind == RULE_WHEN) {
			sbuf_addf(explain, "clause %d \"", k + 1);
			rule_format_clause(c, cur, explain);
			sbuf_addf(explain, "\": %s%s%s\n", holds ? "applies" : "does not hold: ",
			    holds && why.len ? ", " : "", sbuf_str(&why));
		} else if (explain && why.len > 0) {
			sbuf_addf(explain, "%s\n", sbuf_str(&why));
		}
		if (holds) {
			sbuf_free(&why);
			return k;
		}
	}
	sbuf_free(&why);
	if (explain)
		sbuf_add(explain, r->clauses[r->nclauses - 1].nconds > 0 ?
		    "no clause holds and the rule has no default: earns nothing\n" :
		    "no clause holds: earns nothing\n");
	return -1;
}
