/*
 * lookup.c - referrer lookup by prefix and the referrer timeline.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/lookup.h"
#include "app/app_int.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/str.h"
#include "domain/referral.h"

static void
cell_str(struct row *r, const char *name, const char *s)
{
	struct cell *c = &r->c[r->n++];

	memset(c, 0, sizeof *c);
	c->name = name;
	c->type = CELL_STR;
	c->s = s;
}

static void
cell_int(struct row *r, const char *name, enum cell_type type, int64_t v, const char *cur)
{
	struct cell *c = &r->c[r->n++];

	memset(c, 0, sizeof *c);
	c->name = name;
	c->type = type;
	c->i = v;
	c->cur = cur;
}

/* ---- lookup ---- */

struct seen {
	uint64_t *ids;
	size_t n, max;
};

static bool
seen_add(struct seen *s, uint64_t id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->ids[i] == id)
			return false;
	s->ids[s->n++] = id;
	return true;
}

static enum status
emit_referrer(struct app *a, struct txn *t, uint64_t id, const char *match, row_fn fn,
    void *ctx)
{
	struct referrer rf;
	struct partner p;
	struct row r;
	char *pname = NULL;
	enum status st;

	(void)a;
	if (rec_get(t, KIND_REFERRER, id, &rf) != ST_OK)
		return ST_OK;
	memset(&r, 0, sizeof r);
	if (rf.partner && rec_get(t, KIND_PARTNER, rf.partner, &p) == ST_OK) {
		pname = p.name;
		p.name = NULL;
		rec_free(KIND_PARTNER, &p);
	}
	app_id_str(KIND_REFERRER, rf.id, r.buf[0]);
	cell_str(&r, "id", r.buf[0]);
	cell_str(&r, "kind", rf.kind == REFERRER_PARTNER ? "partner" : "customer");
	cell_str(&r, "name", rf.name);
	cell_str(&r, "email", rf.email);
	cell_str(&r, "partner", pname);
	cell_str(&r, "match", match);
	st = fn(ctx, &r);
	free(pname);
	rec_free(KIND_REFERRER, &rf);
	return st;
}

/* Walk index ix by the prefix q; for codes the id is a code's. */
static enum status
walk(struct app *a, struct txn *t, enum index ix, const char *q, bool fold, struct seen *s,
    row_fn fn, void *ctx)
{
	struct key k;
	struct iter *it;
	uint64_t id;
	enum status st = ST_OK;

	key_init(&k);
	key_prefix_str(&k, q, fold);
	it = iter_index(t, ix, &k, false);
	while (st == ST_OK && s->n < s->max && iter_next(it, &id)) {
		uint64_t who = id;
		char match[48];
		if (ix == IDX_CODE) {
			struct code c;
			if (rec_get(t, KIND_CODE, id, &c) != ST_OK)
				continue;
			who = c.referrer;
			snprintf(match, sizeof match, "code %s", c.code ? c.code : "");
			rec_free(KIND_CODE, &c);
		} else {
			snprintf(match, sizeof match, "%s", ix == IDX_REFERRER_NAME ? "name" : "email");
		}
		if (seen_add(s, who))
			st = emit_referrer(a, t, who, match, fn, ctx);
	}
	iter_close(it);
	return st;
}

enum status
app_lookup(struct app *a, const char *q, size_t max, row_fn fn, void *ctx, struct err *e)
{
	struct seen s;
	struct txn *t;
	char *trimmed, *upper;
	enum status st;

	if ((st = app_require(a, PERM_EVENTS_READ, e)) != ST_OK)
		return st;
	trimmed = str_trim(q ? q : "");
	if (trimmed[0] == '\0' || max == 0) {
		free(trimmed);
		return ST_OK;
	}
	upper = str_upper(xstrdup(trimmed));
	s.ids = xcalloc(max, sizeof *s.ids);
	s.n = 0;
	s.max = max;
	t = txn_begin_read(a->store);
	st = walk(a, t, IDX_REFERRER_NAME, trimmed, true, &s, fn, ctx);
	if (st == ST_OK)
		st = walk(a, t, IDX_REFERRER_EMAIL, trimmed, true, &s, fn, ctx);
	if (st == ST_OK)
		st = walk(a, t, IDX_CODE, upper, false, &s, fn, ctx);
	if (st == ST_OK)
		st = util_txn_err(t, e);
	txn_end(t);
	free(s.ids);
	free(upper);
	free(trimmed);
	return st;
}

/* ---- timeline ---- */

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
		en->detail = xasprintf("%s%s", c.kind == LINE_ADJUSTMENT ? "adjustment " : "",
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
		cell_str(&r, "id", r.buf[0]);
		cell_int(&r, "at", CELL_TIME, en->at, NULL);
		cell_str(&r, "what", what_name(en->kind));
		cell_str(&r, "program", pname);
		cell_str(&r, "detail", en->detail);
		if (en->money)
			cell_int(&r, "amount", CELL_MONEY, en->amount, en->cur);
		else
			cell_str(&r, "amount", NULL);
		cell_str(&r, "status", en->status);
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
