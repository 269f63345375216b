/*
 * sequence.c - a conversion's place among its referral's qualifying
 * conversions: what "first", "repeat" and "for N months | N conversions |
 * lifetime" read (DESIGN.md section 3, rules real programs run on).
 *
 * The one idea: the referral keeps its counters (how many qualifying
 * conversions, the first one's time, the latest time of any conversion
 * that could qualify), so a conversion reported in time order takes its
 * place from them in O(1).  One reported before a later conversion of the
 * same referral renumbers the referral's conversions (a walk of that
 * referral alone) and reconciles each whose place changed.
 *
 * The window bounds the first conversion; under a rule with a duration a
 * later conversion qualifies after the window too (its clause then says
 * whether the duration still runs).  Refunds change no place: a refunded
 * first purchase was still the first.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app/app_int.h"
#include "core/alloc.h"
#include "domain/referral.h"
#include "domain/rule.h"

/* Could cv qualify at all (its event, its referral, after the referral)? */
static bool
could_qualify(const struct program *pg, const struct referral *ref, const struct conversion *cv)
{
	return ref->status != REFERRAL_REJECTED && program_event_qualifies(pg, cv->event) &&
	    ref->at <= cv->at;
}

/* Does the rule that pays ref's referrer have a duration? */
static enum status
has_duration(struct txn *t, const struct program *pg, uint64_t referrer, bool *dur, struct err *e)
{
	struct rule *r = xmalloc(sizeof *r);
	char *text = NULL;
	uint64_t partner;
	enum status st = ledger_rule(t, pg, referrer, r, &text, &partner, e);

	*dur = st == ST_OK && rule_has_duration(r);
	free(text);
	free(r);
	return st;
}

enum status
sequence_place(struct txn *t, const struct program *pg, struct referral *ref, struct conversion *cv,
    bool *renumber, struct err *e)
{
	bool dur, could = could_qualify(pg, ref, cv);
	bool in_window = cv->at < referral_window_end(pg, ref->at);
	enum status st;

	*renumber = false;
	cv->ordinal = 0;
	cv->first_at = 0;
	if (!could) {
		cv->qualifying = 0;
		return ST_OK;
	}
	if ((st = has_duration(t, pg, ref->referrer, &dur, e)) != ST_OK)
		return st;
	if (cv->at < ref->conv_last ||
	    (ref->conv_last == 0 && ref->status == REFERRAL_CONVERTED)) {
		/* before a later one, or a referral converted before places were
		 * kept: its place is the walk's (the caller renumbers) */
		*renumber = true;
		cv->qualifying = in_window;
		if (ref->conv_last < cv->at)
			ref->conv_last = cv->at;
		return ST_OK;
	}
	ref->conv_last = cv->at;
	cv->qualifying = in_window || (dur && ref->conv_count > 0);
	if (!cv->qualifying)
		return ST_OK;
	if (ref->conv_count == 0)
		ref->conv_first = cv->at;
	ref->conv_count++;
	cv->ordinal = ref->conv_count;
	cv->first_at = ref->conv_first;
	return ST_OK;
}

static int
by_time(const void *va, const void *vb)
{
	const struct conversion *a = va, *b = vb;

	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* Every conversion of a referral, in time order (caller frees each). */
static size_t
referral_conversions(struct txn *t, uint64_t referral, struct conversion **out)
{
	struct conversion *v = NULL;
	size_t n = 0, cap = 0;
	struct key k;
	struct iter *it;
	uint64_t id;

	key_init(&k);
	key_u64(&k, referral);
	it = iter_index(t, IDX_CONVERSION_REFERRAL, &k, false);
	while (iter_next(it, &id)) {
		v = xgrow(v, &cap, n + 1, sizeof *v);
		if (rec_get(t, KIND_CONVERSION, id, &v[n]) == ST_OK)
			n++;
	}
	iter_close(it);
	if (n > 1)
		qsort(v, n, sizeof *v, by_time);
	*out = v;
	return n;
}

/* The places a walk of the referral's conversions gives: into v (ordinal,
 * first_at, qualifying) and the referral's counters. */
static void
places(const struct program *pg, struct referral *ref, bool dur, struct conversion *v, size_t n)
{
	int64_t end = referral_window_end(pg, ref->at);
	size_t i;

	ref->conv_count = ref->conv_first = ref->conv_last = 0;
	for (i = 0; i < n; i++) {
		struct conversion *c = &v[i];
		bool could = could_qualify(pg, ref, c);
		c->qualifying = could && (c->at < end || (dur && ref->conv_count > 0));
		c->ordinal = c->first_at = 0;
		if (could && ref->conv_last < c->at)
			ref->conv_last = c->at;
		if (!c->qualifying)
			continue;
		if (ref->conv_count == 0)
			ref->conv_first = c->at;
		c->ordinal = ++ref->conv_count;
		c->first_at = ref->conv_first;
	}
}

enum status
sequence_renumber(struct app *a, struct txn *t, const struct program *pg, uint64_t referral,
    uint64_t except, struct err *e)
{
	struct referral ref;
	struct conversion *v = NULL, *was = NULL;
	struct rule *r = xmalloc(sizeof *r);
	char *text = NULL;
	uint64_t partner;
	bool dur, order;
	size_t n, i;
	enum status st;

	if (rec_get(t, KIND_REFERRAL, referral, &ref) != ST_OK) {
		free(r);
		return util_txn_err(t, e);
	}
	if ((st = ledger_rule(t, pg, ref.referrer, r, &text, &partner, e)) != ST_OK)
		goto out;
	dur = rule_has_duration(r);
	order = rule_needs_order(r);
	n = referral_conversions(t, referral, &v);
	was = xcalloc(n + 1, sizeof *was);
	for (i = 0; i < n; i++) {
		was[i].qualifying = v[i].qualifying;
		was[i].ordinal = v[i].ordinal;
		was[i].first_at = v[i].first_at;
	}
	places(pg, &ref, dur, v, n);
	rec_put(t, KIND_REFERRAL, &ref);
	for (i = 0; i < n; i++) {
		if (v[i].qualifying == was[i].qualifying && v[i].ordinal == was[i].ordinal &&
		    v[i].first_at == was[i].first_at)
			continue;
		rec_put(t, KIND_CONVERSION, &v[i]);
	}
	/* then their lines, now that every place is written: those that
	 * qualify now, or whose clause can read the place that changed */
	for (i = 0; i < n && st == ST_OK; i++) {
		if (v[i].id == except || (v[i].qualifying == was[i].qualifying &&
		    (!order || (v[i].ordinal == was[i].ordinal && v[i].first_at == was[i].first_at))))
			continue;
		if (v[i].qualifying || was[i].qualifying)
			st = ledger_reconcile(a, t, v[i].referrer, v[i].program, v[i].id, v[i].at, false, e);
	}
	/* a referee reward reads the place whatever the referrer's rule is */
	for (i = 0; i < n && st == ST_OK && pg->referee_rule; i++)
		if (v[i].id != except && (v[i].qualifying != was[i].qualifying || v[i].ordinal != was[i].ordinal))
			st = reward_reconcile(t, pg, v[i].id, e);
	for (i = 0; i < n; i++)
		rec_free(KIND_CONVERSION, &v[i]);
	free(v);
	free(was);
out:
	free(text);
	free(r);
	rec_free(KIND_REFERRAL, &ref);
	return st != ST_OK ? st : util_txn_err(t, e);
}

/* ---- ally check: the kept places against a walk ---- */

struct seq_verify {
	void (*report)(void *ctx, const char *line);
	void *ctx;
	uint64_t problems;
};

static void
verify_referral(struct txn *t, const struct referral *ref, struct seq_verify *sv)
{
	struct conversion *v = NULL;
	struct program pg;
	int64_t count = 0, first = 0, last = 0;
	char line[200];
	size_t n, i;

	if (rec_get(t, KIND_PROGRAM, ref->program, &pg) != ST_OK)
		return;
	n = referral_conversions(t, ref->id, &v);
	for (i = 0; i < n; i++) {
		/* the qualifying flags are as they were decided; the places follow */
		int64_t want = v[i].qualifying ? count + 1 : 0;
		if (could_qualify(&pg, ref, &v[i]) && last < v[i].at)
			last = v[i].at;
		if (v[i].qualifying) {
			count++;
			if (first == 0)
				first = v[i].at;
		}
		if (v[i].ordinal != 0 && (v[i].ordinal != want || (want && v[i].first_at != first))) {
			snprintf(line, sizeof line, "conversion CV%llu: kept as conversion %lld of referral RF%llu, "
			    "but it is conversion %lld", (unsigned long long)v[i].id, (long long)v[i].ordinal,
			    (unsigned long long)ref->id, (long long)want);
			sv->report(sv->ctx, line);
			sv->problems++;
		}
	}
	/* counters are kept from the first conversion recorded with them */
	if ((ref->conv_count != 0 || ref->conv_last != 0) &&
	    (ref->conv_count != count || ref->conv_first != first || ref->conv_last != last)) {
		snprintf(line, sizeof line, "referral RF%llu: keeps %lld qualifying conversions, but has %lld",
		    (unsigned long long)ref->id, (long long)ref->conv_count, (long long)count);
		sv->report(sv->ctx, line);
		sv->problems++;
	}
	for (i = 0; i < n; i++)
		rec_free(KIND_CONVERSION, &v[i]);
	free(v);
	rec_free(KIND_PROGRAM, &pg);
}

uint64_t
sequence_verify(struct txn *t, void (*report)(void *ctx, const char *line), void *ctx)
{
	struct seq_verify sv = { report, ctx, 0 };
	struct iter *it = iter_kind(t, KIND_REFERRAL, false);
	struct referral ref;
	uint64_t id;

	while (iter_next(it, &id)) {
		if (iter_rec(it, &ref) != ST_OK)
			continue;
		verify_referral(t, &ref, &sv);
		rec_free(KIND_REFERRAL, &ref);
	}
	iter_close(it);
	return sv.problems;
}
