/*
 * override.c - partner hierarchies: a parent partner's override on each
 * line its sub-partners earn, kept right as those lines change.
 *
 * One idea: the override lines that follow a sub-partner's line (kind
 * LINE_OVERRIDE, `original` that line) always add up to the parent's rate
 * of what the line counts for now (its amount, or nothing once it is
 * rejected or reversed), rounded once, half away from zero.  The rate and
 * the parent are those in force when the first override line was made
 * (they are written on it), so a later change of tier, rate or parent
 * does not rewrite history; a line made while the partner had no parent
 * has no override.  A change edits the newest override line while it is
 * unpaid and its month open; anything else (a paid line, a closed month)
 * gets a new override line for the difference, approved when it takes
 * back money approved or paid, like every clawback.
 *
 * When: a store change hook notes every sub-partner line a transaction
 * writes (override_watch), and the commit hook brings their overrides in
 * step (override_sweep) just before the commit, so every path that writes
 * a line (conversions, refunds, rejections, adjustments, bonuses, deals)
 * is followed without knowing about hierarchies.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app_int.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/date.h"

#define OVERRIDE_RULE "override "

/* A line that counts toward what it pays. */
static bool
counts(const struct commission *c)
{
	return c->status != COMMISSION_REJECTED && c->status != COMMISSION_REVERSED;
}

/* The parent of a partner, 0 for none (cached for the transaction: a
 * batch writes many lines of the same partner). */
static uint64_t
parent_of(struct app *a, struct txn *t, uint64_t partner)
{
	struct partner p;

	if (a->ov.cached && a->ov.partner == partner)
		return a->ov.parent;
	a->ov.cached = true;
	a->ov.partner = partner;
	a->ov.parent = 0;
	a->ov.since = 0;
	if (rec_get(t, KIND_PARTNER, partner, &p) == ST_OK) {
		a->ov.parent = p.parent;
		a->ov.since = p.parent_since;
		rec_free(KIND_PARTNER, &p);
	}
	return a->ov.parent;
}

/* Is there any override line at all?  New ones are made only by the
 * sweep at commit, so the answer holds for the rest of the transaction. */
static bool
overrides_exist(struct app *a, struct txn *t)
{
	if (a->ov.any == 0) {
		struct key k;
		struct iter *it;
		uint64_t id;
		key_init(&k);
		it = iter_index(t, IDX_COMMISSION_OVERRIDE, &k, false);
		a->ov.any = iter_next(it, &id) ? 2 : 1;
		iter_close(it);
	}
	return a->ov.any == 2;
}

void
override_watch(void *ctx, struct txn *t, enum kind k, uint64_t id, const void *before, const void *after)
{
	struct app *a = ctx;
	const struct commission *c = after;

	(void)before;
	if (k != KIND_COMMISSION || c == NULL || c->kind == LINE_OVERRIDE || c->partner == 0)
		return;
	/* no parent now: overrides made under an earlier one follow still
	 * (looked for only where any override line exists: known once a
	 * transaction, so a database without hierarchies pays no seek a line) */
	if (parent_of(a, t, c->partner) == 0 && (!overrides_exist(a, t) ||
	    !util_index_has(t, IDX_COMMISSION_OVERRIDE, id)))
		return;
	if (a->ov.n > 0 && a->ov.v[a->ov.n - 1] == id)
		return;
	a->ov.v = xgrow(a->ov.v, &a->ov.cap, a->ov.n + 1, sizeof *a->ov.v);
	a->ov.v[a->ov.n++] = id;
}

/* The share a parent takes in a program: its tier's, else the program's. */
static int32_t
rate_of(struct txn *t, uint64_t parent, uint64_t program)
{
	struct partner p;
	struct tier tr;
	struct program pg;
	int32_t bp = 0;

	if (rec_get(t, KIND_PARTNER, parent, &p) != ST_OK)
		return 0;
	if (p.tier && rec_get(t, KIND_TIER, p.tier, &tr) == ST_OK) {
		bp = tr.override_bp;
		rec_free(KIND_TIER, &tr);
	}
	rec_free(KIND_PARTNER, &p);
	if (bp == 0 && program && rec_get(t, KIND_PROGRAM, program, &pg) == ST_OK) {
		bp = pg.override_bp;
		rec_free(KIND_PROGRAM, &pg);
	}
	return bp;
}

/* The rate an override line was made at, from its rule "override 5%". */
static int32_t
rate_written(const struct commission *o)
{
	char buf[24];
	size_t n;
	int32_t bp;

	if (o->rule == NULL || strncmp(o->rule, OVERRIDE_RULE, strlen(OVERRIDE_RULE)) != 0)
		return 0;
	snprintf(buf, sizeof buf, "%s", o->rule + strlen(OVERRIDE_RULE));
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == '%')
		buf[n - 1] = '\0';
	return rate_parse_bp(buf, &bp, "override", NULL) == ST_OK ? bp : 0;
}

/* The parent's referrer: the one its lines are earned by. */
static uint64_t
referrer_of(struct txn *t, uint64_t partner)
{
	struct partner p;
	uint64_t id;

	if (rec_get(t, KIND_PARTNER, partner, &p) != ST_OK)
		return 0;
	id = util_partner_referrer(t, &p);
	rec_free(KIND_PARTNER, &p);
	return id;
}

/* The partner's name for an explanation, safe for a terminal. */
static char *
partner_label(struct txn *t, uint64_t partner)
{
	struct partner p;
	char *s;

	if (rec_get(t, KIND_PARTNER, partner, &p) != ST_OK)
		return xasprintf("P%llu", (unsigned long long)partner);
	s = str_visible_cut(p.name ? p.name : "", 40);
	rec_free(KIND_PARTNER, &p);
	return s;
}

void
override_child_name(struct txn *t, const struct commission *o, char *buf, size_t size)
{
	struct commission c;
	struct partner sp;

	*buf = '\0';
	if (rec_get(t, KIND_COMMISSION, o->original, &c) != ST_OK)
		return;
	if (rec_get(t, KIND_PARTNER, c.partner, &sp) == ST_OK) {
		snprintf(buf, size, "%s", sp.name ? sp.name : "");
		rec_free(KIND_PARTNER, &sp);
	}
	rec_free(KIND_COMMISSION, &c);
}

void
override_lines_load(struct txn *t, uint64_t line, struct lines *l)
{
	util_lines_load(t, IDX_COMMISSION_OVERRIDE, line, l);
}

/* What the override lines of child line c should add up to at rate bp. */
static bool
share_of(const struct commission *c, int32_t bp, int64_t *out)
{
	int64_t v = money_div_round((__int128)(counts(c) ? c->amount : 0) * bp, 10000);

	*out = v;
	return true;
}

static enum status
reconcile(struct app *a, struct txn *t, uint64_t id)
{
	const struct currency *cur;
	struct commission c, o, *last = NULL;
	struct lines l;
	char m1[MONEY_BUFSZ], m2[MONEY_BUFSZ], m3[MONEY_BUFSZ], m4[MONEY_BUFSZ], rate[16];
	int64_t desired, current = 0, diff, now = clock_now();
	uint64_t parent;
	int32_t bp;
	char *child = NULL;
	enum status st = ST_OK;
	size_t i;

	if (rec_get(t, KIND_COMMISSION, id, &c) != ST_OK)
		return ST_OK;   /* gone with an aborted event of the batch */
	override_lines_load(t, id, &l);
	if (l.n > 0) {
		parent = l.v[0].partner;
		bp = rate_written(&l.v[0]);
	} else {
		parent = c.partner ? parent_of(a, t, c.partner) : 0;
		/* a line made before the partner had its parent has none */
		if (parent && c.m.created < a->ov.since)
			parent = 0;
		bp = parent ? rate_of(t, parent, c.program) : 0;
	}
	if (parent == 0 || bp == 0 || c.kind == LINE_OVERRIDE)
		goto out;
	cur = currency_find(c.currency);
	for (i = 0; i < l.n; i++) {
		if (counts(&l.v[i]) && !money_add(current, l.v[i].amount, &current)) {
			st = txn_fail(t, ST_DATA, "amount: the override lines of C%llu would exceed the largest "
			    "amount ally can hold", (unsigned long long)c.id);
			goto out;
		}
		last = &l.v[i];
	}
	share_of(&c, bp, &desired);
	if (!money_sub(desired, current, &diff)) {
		st = txn_fail(t, ST_DATA, "amount: the override of C%llu would exceed the largest amount ally "
		    "can hold", (unsigned long long)c.id);
		goto out;
	}
	if (diff == 0)
		goto out;
	rate_format_bp(bp, rate);
	child = partner_label(t, c.partner);
	/* the newest override line takes the change while it is unpaid, its
	 * month open, and the change does not raise an approved line */
	if (last && counts(last) && !ledger_month_closed(t, last->earned_at) &&
	    (last->status == COMMISSION_PENDING ||
	     (last->status == COMMISSION_APPROVED && ((last->amount > 0 && diff < 0 && last->amount + diff >= 0) ||
	      (last->amount < 0 && diff > 0 && last->amount + diff <= 0))))) {
		char *x = xasprintf("%sC%llu of %s now counts for %s: the override is %s; its lines so far total %s; "
		    "this line changes by %s\n", last->explain ? last->explain : "", (unsigned long long)c.id,
		    child, money_format_human(counts(&c) ? c.amount : 0, cur, m1),
		    money_format_human(desired, cur, m2), money_format_human(current, cur, m3),
		    money_format_human(diff, cur, m4));
		last->amount += diff;
		last->basis = counts(&c) ? c.amount : 0;
		if (last->amount == 0 && desired == 0)
			last->status = COMMISSION_REVERSED;
		util_replace(&last->explain, x);
		rec_put(t, KIND_COMMISSION, last);
		goto out;
	}
	memset(&o, 0, sizeof o);
	o.kind = LINE_OVERRIDE;
	o.status = COMMISSION_PENDING;
	o.program = c.program;
	o.referrer = referrer_of(t, parent);
	o.partner = parent;
	o.original = c.id;
	o.basis = counts(&c) ? c.amount : 0;
	o.amount = diff;
	memcpy(o.currency, c.currency, 4);
	o.rule = xasprintf(OVERRIDE_RULE "%s%%", rate);
	if (last == NULL) {
		o.earned_at = ledger_line_date(t, c.earned_at);
		o.hold_until = c.hold_until;
		o.explain = xasprintf("override %s%% of C%llu, a %s line of sub-partner %s: %s x %s%% = %s\n",
		    rate, (unsigned long long)c.id, commission_kind_name(c.kind, c.original), child,
		    money_format_human(c.amount, cur, m1), rate, money_format_human(diff, cur, m2));
		if (diff < 0 && c.amount < 0 && c.status == COMMISSION_APPROVED && c.original) {
			/* the share of a clawback is one too */
			o.status = COMMISSION_APPROVED;
			o.decided_at = now;
			o.decided_by = xstrdup(a->login ? a->login : "ally");
			o.reason = xstrdup("follows a clawback of the sub-partner's line");
			o.hold_until = now;
		}
	} else {
		o.earned_at = ledger_line_date(t, now);
		o.hold_until = c.hold_until > now ? c.hold_until : now;
		o.explain = xasprintf("adjustment of the override on C%llu of sub-partner %s: it now counts for %s, "
		    "%s%% of it is %s; the override lines so far total %s; difference %s\n",
		    (unsigned long long)c.id, child, money_format_human(counts(&c) ? c.amount : 0, cur, m1), rate,
		    money_format_human(desired, cur, m2), money_format_human(current, cur, m3),
		    money_format_human(diff, cur, m4));
		if ((diff < 0) == (last->amount > 0) && (last->status == COMMISSION_PAID ||
		    last->status == COMMISSION_APPROVED)) {
			/* takes back money approved or paid: a clawback */
			o.status = COMMISSION_APPROVED;
			o.decided_at = now;
			o.decided_by = xstrdup(a->login ? a->login : "ally");
			o.reason = xstrdup("sub-partner's line changed after its override was approved");
			o.hold_until = now;
		}
	}
	rec_put(t, KIND_COMMISSION, &o);
	rec_free(KIND_COMMISSION, &o);
out:
	free(child);
	util_lines_free(&l);
	rec_free(KIND_COMMISSION, &c);
	return st;
}

static int
cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

void
override_sweep(struct app *a, struct txn *t)
{
	size_t i, n = a->ov.n;

	a->ov.cached = false;
	a->ov.any = 0;
	if (n == 0)
		return;
	qsort(a->ov.v, n, sizeof *a->ov.v, cmp_u64);
	/* override lines call the hook too but are never noted: the list
	 * does not grow while it is walked */
	for (i = 0; i < n && txn_status(t) == ST_OK; i++)
		if (i == 0 || a->ov.v[i] != a->ov.v[i - 1])
			reconcile(a, t, a->ov.v[i]);
	a->ov.n = 0;
	a->ov.cached = false;
	a->ov.any = 0;
}

void
override_forget(struct app *a)
{
	free(a->ov.v);
	memset(&a->ov, 0, sizeof a->ov);
}

/* ---- `ally check`: every line's overrides add up to their share ---- */

uint64_t
ledger_verify_overrides(struct txn *t, void (*report)(void *ctx, const char *line), void *ctx)
{
	struct key k;
	struct iter *it;
	uint64_t id, last = 0, problems = 0;
	char line[200];

	key_init(&k);
	it = iter_index(t, IDX_COMMISSION_OVERRIDE, &k, false);
	while (iter_next(it, &id)) {
		struct commission o, c;
		struct lines l;
		int64_t want, sum = 0;
		size_t i;
		if (rec_get(t, KIND_COMMISSION, id, &o) != ST_OK)
			continue;
		if (o.original == last) {
			rec_free(KIND_COMMISSION, &o);
			continue;
		}
		last = o.original;
		if (rec_get(t, KIND_COMMISSION, o.original, &c) == ST_OK) {
			override_lines_load(t, o.original, &l);
			for (i = 0; i < l.n; i++)
				if (counts(&l.v[i]) && !money_add(sum, l.v[i].amount, &sum))
					sum = INT64_MIN;
			share_of(&c, rate_written(&l.v[0]), &want);
			if (sum != want) {
				snprintf(line, sizeof line, "override lines of C%llu total %lld, but %lld is its share",
				    (unsigned long long)c.id, (long long)sum, (long long)want);
				report(ctx, line);
				problems++;
			}
			util_lines_free(&l);
			rec_free(KIND_COMMISSION, &c);
		}
		rec_free(KIND_COMMISSION, &o);
	}
	iter_close(it);
	return problems;
}
