/*
 * timeline.c - a referrer's whole history, newest first (app_referrer_
 * timeline, declared in lookup.h): its codes, referrals with their
 * conversions, refunds and referee rewards, and its commission lines.
 * The support desk reads it after a lookup (lookup.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/lookup.h"
#include "app/app_int.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/fold.h"
#include "core/str.h"
#include "domain/referral.h"

struct entry {
	int64_t at;
	enum kind kind;
	uint64_t id;
	uint64_t program;
	char *detail;
	bool money;
	int64_t amount;
	char cur[4];
	const char *status;
};

struct timeline {
	struct entry *v;
	size_t n, cap;
};

static struct entry *
entry_new(struct timeline *tl, enum kind k, uint64_t id, int64_t at, uint64_t program)
{
	struct entry *en;

	tl->v = xgrow(tl->v, &tl->cap, tl->n + 1, sizeof *tl->v);
	en = &tl->v[tl->n++];
	memset(en, 0, sizeof *en);
	en->kind = k;
	en->id = id;
	en->at = at;
	en->program = program;
	return en;
}

static struct iter *
iter_u64(struct txn *t, enum index ix, uint64_t v)
{
	struct key k;

	key_init(&k);
	key_u64(&k, v);
	return iter_index(t, ix, &k, false);
}

static void
add_refunds(struct txn *t, struct timeline *tl, const struct conversion *cv)
{
	struct iter *it = iter_u64(t, IDX_REFUND_CONVERSION, cv->id);
	struct refund rf;
	uint64_t id;

	while (iter_next(it, &id)) {
		struct entry *en;
		if (rec_get(t, KIND_REFUND, id, &rf) != ST_OK)
			continue;
		en = entry_new(tl, KIND_REFUND, id, rf.at, rf.program);
		en->detail = xasprintf("refund of %s", cv->ext_id ? cv->ext_id : "");
		en->money = true;
		en->amount = -rf.amount;
		memcpy(en->cur, cv->currency, 4);
		rec_free(KIND_REFUND, &rf);
	}
	iter_close(it);
}

/* The referee rewards a conversion gave the referred contact (issue 18). */
static void
add_rewards(struct txn *t, struct timeline *tl, const struct conversion *cv)
{
	struct iter *it = iter_u64(t, IDX_REWARD_CONVERSION, cv->id);
	struct reward w;
	uint64_t id;

	while (iter_next(it, &id)) {
		struct entry *en;
		if (rec_get(t, KIND_REWARD, id, &w) != ST_OK)
			continue;
		en = entry_new(tl, KIND_REWARD, id, w.earned_at, w.program);
		en->detail = xasprintf("%s to %s", w.kind == LINE_ADJUSTMENT ? "adjustment of referee reward" :
		    "referee reward", w.email ? w.email : "");
		en->money = true;
		en->amount = w.amount;
		memcpy(en->cur, w.currency, 4);
		en->status = reward_status_name(w.status);
		rec_free(KIND_REWARD, &w);
	}
	iter_close(it);
}

static void
add_conversions(struct txn *t, struct timeline *tl, uint64_t referral, size_t max)
{
	struct iter *it = iter_u64(t, IDX_CONVERSION_REFERRAL, referral);
	struct conversion cv;
	uint64_t id;
	size_t n = 0;

	while (n++ < max && iter_next(it, &id)) {
		struct entry *en;
		if (rec_get(t, KIND_CONVERSION, id, &cv) != ST_OK)
			continue;
		en = entry_new(tl, KIND_CONVERSION, id, cv.at, cv.program);
		en->detail = xasprintf("%s %s", cv.event ? cv.event : "", cv.ext_id ? cv.ext_id : "");
		en->money = true;
		en->amount = cv.amount;
		memcpy(en->cur, cv.currency, 4);
		en->status = cv.qualifying ? "qualifying" : "not qualifying";
		if (cv.refunded)
			add_refunds(t, tl, &cv);
		add_rewards(t, tl, &cv);
		rec_free(KIND_CONVERSION, &cv);
	}
	iter_close(it);
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->at != y->at)
		return x->at > y->at ? -1 : 1;
	return x->id > y->id ? -1 : x->id < y->id;
}

static const char *
what_name(enum kind k)
{
	return kind_name(k);
}

enum status
app_referrer_timeline(struct app *a, const char *ref, size_t max, row_fn fn, void *ctx,
    struct err *e)
{
	struct timeline tl = { NULL, 0, 0 };
	struct txn *t;
	struct iter *it;
	uint64_t rid, id;
	size_t n, i;
	enum status st;

	if ((st = app_require(a, PERM_EVENTS_READ, e)) != ST_OK)
		return st;
	t = txn_begin_read(a->store);
	if ((st = app_resolve(t, KIND_REFERRER, ref, &rid, e)) != ST_OK) {
		txn_end(t);
		return st;
	}
	/* codes */
	it = iter_u64(t, IDX_CODE_REFERRER, rid);
	for (n = 0; n < max && iter_next(it, &id); n++) {
		struct code c;
		struct entry *en;
		if (rec_get(t, KIND_CODE, id, &c) != ST_OK)
			continue;
		en = entry_new(&tl, KIND_CODE, id, c.m.created, c.program);
		en->detail = xasprintf("code %s%s", c.code ? c.code : "", c.vanity ? " (vanity)" : "");
		en->status = c.disabled ? "disabled" : "active";
		rec_free(KIND_CODE, &c);
	}
	iter_close(it);
	/* referrals, newest first, with their conversions and refunds */
	{
		struct key k;
		key_init(&k);
		key_u64(&k, rid);
		it = iter_index(t, IDX_REFERRAL_REFERRER, &k, true);
	}
	for (n = 0; n < max && iter_next(it, &id); n++) {
		struct referral r;
		struct entry *en;
		if (rec_get(t, KIND_REFERRAL, id, &r) != ST_OK)
			continue;
		en = entry_new(&tl, KIND_REFERRAL, id, r.at, r.program);
		en->detail = xasprintf("%s%s%s%s%s", r.name ? r.name : "", r.name ? " " : "",
		    r.email ? r.email : "", r.reason ? ": " : "", r.reason ? r.reason : "");
		{
			/* as everywhere: expired once the window has passed */
			struct program pg;
			if (rec_get(t, KIND_PROGRAM, r.program, &pg) == ST_OK) {
				r.status = referral_effective_status(&r, &pg, clock_now());
				rec_free(KIND_PROGRAM, &pg);
			}
		}
		en->status = referral_status_name(r.status);
		if (r.status == REFERRAL_CONVERTED || r.status == REFERRAL_EXPIRED ||
		    r.status == REFERRAL_PENDING)
			add_conversions(t, &tl, id, max);
		rec_free(KIND_REFERRAL, &r);
	}
	iter_close(it);
	/* commissions (once the ledger has them) */
	{
		struct key k;
		key_init(&k);
		key_u64(&k, rid);
		it = iter_index(t, IDX_COMMISSION_REFERRER, &k, true);
	}
	for (n = 0; n < max && iter_next(it, &id); n++) {
		struct commission c;
		struct entry *en;
		if (rec_get(t, KIND_COMMISSION, id, &c) != ST_OK)
			continue;
		en = entry_new(&tl, KIND_COMMISSION, id, c.earned_at, c.program);
		en->detail = xasprintf("%s%s", c.kind == LINE_ADJUSTMENT || (c.kind == LINE_BONUS && c.original) ?
		    "adjustment " : "",
		    c.rule ? c.rule : "");
		en->money = true;
		en->amount = c.amount;
		memcpy(en->cur, c.currency, 4);
		en->status = commission_status_name(c.status);
		rec_free(KIND_COMMISSION, &c);
	}
	iter_close(it);
	if (tl.n > 1)    /* tl.v is NULL when nothing was found */
		qsort(tl.v, tl.n, sizeof *tl.v, cmp_entry);
	for (i = 0; i < tl.n && st == ST_OK; i++) {
		struct entry *en = &tl.v[i];
		struct program pg;
		struct row r;
		char *pname = NULL;
		if (en->program && rec_get(t, KIND_PROGRAM, en->program, &pg) == ST_OK) {
			pname = pg.name;
			pg.name = NULL;
			rec_free(KIND_PROGRAM, &pg);
		}
		memset(&r, 0, sizeof r);
		app_id_str(en->kind, en->id, r.buf[0]);
		util_cell_str(&r, "id", r.buf[0]);
		util_cell_int(&r, "at", CELL_TIME, en->at, NULL);
		util_cell_str(&r, "what", what_name(en->kind));
		util_cell_str(&r, "program", pname);
		util_cell_str(&r, "detail", en->detail);
		if (en->money)
			util_cell_int(&r, "amount", CELL_MONEY, en->amount, en->cur);
		else
			util_cell_str(&r, "amount", NULL);
		util_cell_str(&r, "status", en->status);
		st = fn(ctx, &r);
		free(pname);
	}
	if (st == ST_OK)
		st = util_txn_err(t, e);
	txn_end(t);
	for (i = 0; i < tl.n; i++)
		free(tl.v[i].detail);
	free(tl.v);
	return st;
}
