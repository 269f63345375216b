/*
 * rule_format.c - a parsed rule back to its canonical text (see rule.h):
 * keywords lower-case, amounts with the currency's decimals, rates
 * without '%', clause values in their canonical case, "cap" before "for".
 * rule_parse reads every text printed here back to the same structure
 * (tests/unit/test_rule*.c hold that over random rules).
 */
#include "config.h"

#include <inttypes.h>

#include "domain/rule.h"

static const struct currency rule_default_currency = { "", 2 };

static void
format_amount(struct sbuf *out, int64_t v, const struct currency *cur)
{
	char buf[MONEY_BUFSZ];

	sbuf_add(out, money_format(v, cur, buf));
}

static void
format_rate(struct sbuf *out, int32_t bp)
{
	char buf[16];

	sbuf_add(out, rate_format_bp(bp, buf));
}

void
rule_format_cond(const struct rule_cond *c, const struct currency *cur, struct sbuf *out)
{
	static const char *const field[] = {
		[COND_EVENT] = "event", [COND_PRODUCT] = "product",
		[COND_PLAN] = "plan", [COND_COUNTRY] = "country",
	};

	if (cur == NULL)
		cur = &rule_default_currency;
	switch (c->kind) {
	case COND_EVENT:
	case COND_PRODUCT:
	case COND_PLAN:
	case COND_COUNTRY:
		sbuf_addf(out, "%s=%s", field[c->kind], c->values);
		break;
	case COND_FIRST:
		sbuf_add(out, "first");
		break;
	case COND_REPEAT:
		sbuf_add(out, "repeat");
		break;
	case COND_AMOUNT_GE:
	case COND_AMOUNT_LT:
		sbuf_add(out, c->kind == COND_AMOUNT_GE ? "amount>=" : "amount<");
		format_amount(out, c->amount, cur);
		break;
	}
}

void
rule_format_clause(const struct rule_clause *c, const struct currency *cur, struct sbuf *out)
{
	int i;

	if (cur == NULL)
		cur = &rule_default_currency;
	for (i = 0; i < c->nconds; i++) {
		sbuf_add(out, i == 0 ? "when " : " and ");
		rule_format_cond(&c->conds[i], cur, out);
	}
	if (c->nconds > 0)
		sbuf_addc(out, ' ');
	if (c->kind == RULE_FLAT) {
		sbuf_add(out, "flat ");
		format_amount(out, c->flat, cur);
	} else {
		sbuf_add(out, "percent ");
		format_rate(out, c->rate_bp);
	}
	if (c->cap > 0) {
		sbuf_add(out, " cap ");
		format_amount(out, c->cap, cur);
	}
	if (c->dur == DUR_LIFETIME)
		sbuf_add(out, " for lifetime");
	else if (c->dur != DUR_NONE)
		sbuf_addf(out, " for %d %s", (int)c->dur_n, c->dur == DUR_MONTHS ? "months" : "conversions");
}

void
rule_format(const struct rule *r, const struct currency *cur, struct sbuf *out)
{
	int i;

	if (cur == NULL)
		cur = &rule_default_currency;
	if (r->kind != RULE_TIERED) {
		for (i = 0; i < r->nclauses; i++) {
			if (i > 0)
				sbuf_add(out, "; ");
			rule_format_clause(&r->clauses[i], cur, out);
		}
		return;
	}
	sbuf_addf(out, "tiered %s %s %s",
	    r->basis == BASIS_COUNT ? "count" : "revenue",
	    period_name(r->period),
	    r->mode == MODE_GRADUATED ? "graduated" : "volume");
	for (i = 0; i < r->nbrackets; i++) {
		const struct bracket *b = &r->brackets[i];

		sbuf_addc(out, ' ');
		/* The first bound is always 0, written "0" as people do. */
		if (r->basis == BASIS_COUNT || b->lower == 0)
			sbuf_addf(out, "%" PRId64, b->lower);
		else
			format_amount(out, b->lower, cur);
		sbuf_addc(out, ':');
		if (b->is_percent) {
			format_rate(out, b->rate_bp);
			sbuf_addc(out, '%');
		} else {
			format_amount(out, b->amount, cur);
		}
	}
	if (r->cap > 0) {
		sbuf_add(out, " cap ");
		format_amount(out, r->cap, cur);
	}
}
