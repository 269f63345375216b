/*
 * ledger_clause.c - the line of one conversion under a flat, percent or
 * clause rule (DESIGN.md section 3, rules real programs run on).
 *
 * Such lines depend on nothing but their own conversion (the program's
 * cap aside, which ledger.c applies after): the clause that applies
 * (rule_pick, from the conversion's fields and its place among its
 * referral's conversions, sequence.c) is computed as a plain flat or
 * percent rule by the commission engine.  So a clause rule keeps the O(1)
 * line of a conversion reported in time order.
 */
#include "config.h"

#include <string.h>

#include "app/app_int.h"
#include "domain/commission.h"
#include "domain/referral.h"
#include "domain/rule.h"

void
ledger_facts(struct txn *t, const struct program *pg, const struct rule *r, const struct conversion *cv,
    struct rule_facts *f)
{
	memset(f, 0, sizeof *f);
	f->event = cv->event;
	f->product = cv->product;
	f->plan = cv->plan;
	f->country = cv->country;
	f->amount = cv->amount;
	f->at = cv->at;
	/* conversions from before places were kept count as first */
	f->ordinal = cv->ordinal > 0 ? cv->ordinal : 1;
	f->first_at = cv->first_at != 0 ? cv->first_at : cv->at;
	f->in_window = true;
	if (rule_has_duration(r)) {
		/* only then can a qualifying conversion lie after the window */
		struct referral ref;
		if (rec_get(t, KIND_REFERRAL, cv->referral, &ref) == ST_OK) {
			f->in_window = cv->at < referral_window_end(pg, ref.at);
			rec_free(KIND_REFERRAL, &ref);
		}
	}
}

int64_t
ledger_clause_line(const struct rule *r, const struct rule_facts *f, const struct currency *cur,
    int64_t value, struct sbuf *x, __int128 *micro)
{
	struct rule cr;
	int64_t amount = 0;
	int k = rule_pick(r, f, cur, x);

	*micro = 0;
	if (k < 0)
		return 0;
	rule_clause_rule(r, k, &cr);
	commission_compute(&cr, cur, &value, 1, &amount, x);
	*micro = commission_period_micro(&cr, &value, 1);
	return amount;
}
