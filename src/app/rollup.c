/*
 * rollup.c - analytics counters kept beside the records (described in app_int.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app_int.h"
#include "core/alloc.h"

#include "core/date.h"
#include "core/money.h"
#include "domain/commission.h"

struct delta {
	struct key k;
	int64_t v[3];
	size_t n;
};

static uint64_t
partner_of(struct txn *t, uint64_t referrer)
{
	struct referrer r;
	uint64_t p = 0;

	if (rec_get(t, KIND_REFERRER, referrer, &r) == ST_OK) {
		if (r.kind == REFERRER_PARTNER)
			p = r.partner;
		rec_free(KIND_REFERRER, &r);
	}
	return p;
}

/* 'S' referrer day program: a referrer's days, for the top referrers of
 * a bounded range. */
static void
skey(struct key *k, uint64_t referrer, int32_t day, uint64_t program)
{
	key_init(k);
	k->b[k->n++] = 'S';
	key_u64(k, referrer);
	key_i64(k, day);
	key_u64(k, program);
}

static void
rkey(struct key *k, char fam, int32_t day, uint64_t program, uint64_t x)
{
	key_init(k);
	k->b[k->n++] = (unsigned char)fam;
	key_i64(k, day);
	key_u64(k, program);
	key_u64(k, x);
}

/* The counters one record contributes, times sign. */
static size_t
contributions(struct txn *t, enum kind k, const void *rec, int sign, struct delta *out)
{
	switch (k) {
	case KIND_REFERRAL: {
		const struct referral *r = rec;
		int32_t day = date_daynum(r->at);
		int64_t conv = r->status == REFERRAL_CONVERTED;
		rkey(&out[0].k, 'D', day, r->program, partner_of(t, r->referrer));
		rkey(&out[1].k, 'R', day, r->program, r->referrer);
		rkey(&out[2].k, 'L', 0, r->program, r->referrer);
		skey(&out[3].k, r->referrer, day, r->program);
		out[0].n = out[1].n = out[2].n = out[3].n = 3;
		out[0].v[0] = out[1].v[0] = out[2].v[0] = out[3].v[0] = sign;
		out[0].v[1] = out[1].v[1] = out[2].v[1] = out[3].v[1] = sign * conv;
		out[0].v[2] = out[1].v[2] = out[2].v[2] = out[3].v[2] = 0;
		return 4;
	}
	case KIND_CONVERSION: {
		const struct conversion *c = rec;
		struct referral r;
		int64_t v = c->amount - c->refunded;
		int32_t day;
		if (!c->qualifying || v == 0 || rec_get(t, KIND_REFERRAL, c->referral, &r) != ST_OK)
			return 0;
		day = date_daynum(r.at);
		rkey(&out[0].k, 'D', day, r.program, partner_of(t, r.referrer));
		rkey(&out[1].k, 'R', day, r.program, r.referrer);
		rkey(&out[2].k, 'L', 0, r.program, r.referrer);
		skey(&out[3].k, r.referrer, day, r.program);
		rec_free(KIND_REFERRAL, &r);
		out[0].n = out[1].n = out[2].n = out[3].n = 3;
		out[0].v[0] = out[1].v[0] = out[2].v[0] = out[3].v[0] = 0;
		out[0].v[1] = out[1].v[1] = out[2].v[1] = out[3].v[1] = 0;
		out[0].v[2] = out[1].v[2] = out[2].v[2] = out[3].v[2] = sign * v;
		return 4;
	}
	case KIND_COMMISSION: {
		const struct commission *c = rec;
		rkey(&out[0].k, 'C', date_daynum(c->earned_at), c->program, c->partner);
		/* bonus lines apart: the status with a bit above it (older
		 * databases have none, so their keys read the same) */
		key_u64(&out[0].k, (uint64_t)c->status | (c->kind == LINE_BONUS ? ROLLUP_BONUS_BIT : 0) |
		    (c->kind == LINE_OVERRIDE ? ROLLUP_OVERRIDE_BIT : 0));
		memcpy(out[0].k.b + out[0].k.n, c->currency, 3);
		out[0].k.n += 3;
		out[0].n = 2;
		out[0].v[0] = sign * c->amount;
		out[0].v[1] = sign;
		out[0].v[2] = 0;
		return 1;
	}
	default:
		return 0;
	}
}

/* ---- ranks: referrers ordered by lifetime referrals, then conversions ----
 *
 * 'T' program inv(referrals) inv(conversions) referrer -> 1, for each
 * program and for all programs (program 0), so the top referrers of all
 * time are the first entries of a walk; 'A' referrer -> referrals,
 * conversions over all programs, which the all-programs rank is kept from.
 * Both follow the 'L' entries, in the same transaction. */

static void
tkey(struct key *k, uint64_t program, const int64_t c[2], uint64_t referrer)
{
	key_init(k);
	k->b[k->n++] = 'T';
	key_u64(k, program);
	key_u64(k, UINT64_MAX - (uint64_t)c[0]);
	key_u64(k, UINT64_MAX - (uint64_t)c[1]);
	key_u64(k, referrer);
}

static void
akey(struct key *k, uint64_t referrer)
{
	key_init(k);
	k->b[k->n++] = 'A';
	key_u64(k, referrer);
}

static void
rank_move(struct txn *t, uint64_t program, uint64_t referrer, const int64_t was[2],
    const int64_t now[2])
{
	static const int64_t in = 1, out = -1;
	struct key k;

	if (was[0] == now[0] && was[1] == now[1])
		return;
	if (was[0] || was[1]) {
		tkey(&k, program, was, referrer);
		counter_add(t, &k, &out, 1);
	}
	if (now[0] || now[1]) {
		tkey(&k, program, now, referrer);
		counter_add(t, &k, &in, 1);
	}
}

/* Before an 'L' delta is added: move the referrer in its program's rank
 * and in the all-programs one. */
static void
rank_update(struct txn *t, const struct delta *d)
{
	uint64_t program, referrer;
	int64_t cur[3], was[2], now[2];
	struct key k;

	if (d->v[0] == 0 && d->v[1] == 0)
		return;
	program = key_read_u64(d->k.b + 9);
	referrer = key_read_u64(d->k.b + 17);
	counter_get(t, &d->k, cur, 3);
	was[0] = cur[0];
	was[1] = cur[1];
	if (__builtin_add_overflow(was[0], d->v[0], &now[0]) ||
	    __builtin_add_overflow(was[1], d->v[1], &now[1]))
		return;         /* counter_add fails the transaction on it */
	rank_move(t, program, referrer, was, now);
	akey(&k, referrer);
	counter_get(t, &k, cur, 2);
	was[0] = cur[0];
	was[1] = cur[1];
	if (__builtin_add_overflow(was[0], d->v[0], &now[0]) ||
	    __builtin_add_overflow(was[1], d->v[1], &now[1]))
		return;
	counter_add(t, &k, d->v, 2);
	rank_move(t, 0, referrer, was, now);
}

struct rollup_rank {
	struct iter *it;
	int32_t d1;
};

static void
days_keys(uint64_t referrer, int32_t d0, struct key *prefix, struct key *from)
{
	key_init(prefix);
	prefix->b[prefix->n++] = 'S';
	key_u64(prefix, referrer);
	*from = *prefix;
	key_i64(from, d0);
}

struct rollup_rank *
rollup_days_begin(struct txn *t, uint64_t referrer, int32_t d0, int32_t d1)
{
	struct rollup_rank *r = xcalloc(1, sizeof *r);
	struct key prefix, from;

	days_keys(referrer, d0, &prefix, &from);
	r->it = iter_counter(t, &prefix, &from);
	r->d1 = d1;
	return r;
}

void
rollup_days_again(struct rollup_rank *r, uint64_t referrer, int32_t d0, int32_t d1)
{
	struct key prefix, from;

	days_keys(referrer, d0, &prefix, &from);
	iter_reseek(r->it, &prefix, &from);
	r->d1 = d1;
}

bool
rollup_days_next(struct rollup_rank *r, struct rollup_entry *en)
{
	uint64_t id;

	while (iter_next(r->it, &id)) {
		size_t kl;
		const unsigned char *kb = iter_key(r->it, &kl);
		if (kl != 1 + 8 * 3)
			continue;
		memset(en, 0, sizeof *en);
		en->family = ROLLUP_REFERRER;
		en->who = key_read_u64(kb + 1);
		en->day = (int32_t)key_read_i64(kb + 9);
		en->program = key_read_u64(kb + 17);
		if (en->day > r->d1)
			return false;
		counter_values(r->it, en->v, 3);
		return true;
	}
	return false;
}

struct rollup_rank *
rollup_rank_begin(struct txn *t, uint64_t program)
{
	struct rollup_rank *r = xcalloc(1, sizeof *r);
	struct key prefix;

	key_init(&prefix);
	prefix.b[prefix.n++] = 'T';
	key_u64(&prefix, program);
	r->it = iter_counter(t, &prefix, NULL);
	return r;
}

bool
rollup_rank_next(struct rollup_rank *r, uint64_t *referrer, int64_t *referrals,
    int64_t *conversions)
{
	uint64_t id;

	while (iter_next(r->it, &id)) {
		size_t kl;
		const unsigned char *kb = iter_key(r->it, &kl);
		if (kl != 1 + 8 * 4)
			continue;
		*referrals = (int64_t)(UINT64_MAX - key_read_u64(kb + 9));
		*conversions = (int64_t)(UINT64_MAX - key_read_u64(kb + 17));
		*referrer = key_read_u64(kb + 25);
		return true;
	}
	return false;
}

void
rollup_rank_end(struct rollup_rank *r)
{
	if (r == NULL)
		return;
	iter_close(r->it);
	free(r);
}

/* True when a change leaves every counter the record feeds as it was (most
 * updates: a conversion linked to its line, a referral's last activity),
 * so no lookups are made for it. */
static bool
same_contribution(enum kind k, const void *before, const void *after)
{
	switch (k) {
	case KIND_REFERRAL: {
		const struct referral *a = before, *b = after;
		return a->at == b->at && a->program == b->program && a->referrer == b->referrer &&
		    (a->status == REFERRAL_CONVERTED) == (b->status == REFERRAL_CONVERTED);
	}
	case KIND_CONVERSION: {
		const struct conversion *a = before, *b = after;
		bool ca = a->qualifying && a->amount - a->refunded != 0;
		bool cb = b->qualifying && b->amount - b->refunded != 0;
		return ca == cb && (!ca || (a->referral == b->referral &&
		    a->amount - a->refunded == b->amount - b->refunded));
	}
	case KIND_COMMISSION: {
		const struct commission *a = before, *b = after;
		return a->earned_at == b->earned_at && a->program == b->program &&
		    a->partner == b->partner && a->status == b->status && a->amount == b->amount &&
		    memcmp(a->currency, b->currency, 3) == 0;
	}
	default:
		return false;
	}
}

void
rollup_hook(struct txn *t, enum kind k, const void *before, const void *after)
{
	struct delta d[8];
	size_t n = 0, i, j;

	if (k != KIND_REFERRAL && k != KIND_CONVERSION && k != KIND_COMMISSION)
		return;
	if (before && after && same_contribution(k, before, after))
		return;
	if (before)
		n += contributions(t, k, before, -1, d);
	if (after) {
		size_t m = contributions(t, k, after, 1, d + n);
		/* fold an unchanged key into one difference */
		for (i = n; i < n + m; i++) {
			for (j = 0; j < n; j++) {
				if (d[j].n && d[j].k.n == d[i].k.n && memcmp(d[j].k.b, d[i].k.b, d[i].k.n) == 0) {
					size_t x;
					for (x = 0; x < d[i].n; x++)
						d[j].v[x] += d[i].v[x];
					d[i].n = 0;
				}
			}
		}
		n += m;
	}
	for (i = 0; i < n; i++) {
		bool zero = true;
		size_t x;
		for (x = 0; x < d[i].n; x++)
			zero &= d[i].v[x] == 0;
		if (!d[i].n || zero)
			continue;
		if (d[i].k.b[0] == 'L')
			rank_update(t, &d[i]);
		counter_add(t, &d[i].k, d[i].v, d[i].n);
	}
}

void
rollup_change(void *ctx, struct txn *t, enum kind k, uint64_t id, const void *before,
    const void *after)
{
	(void)ctx;
	(void)id;
	rollup_hook(t, k, before, after);
}

/* ---- the typed walk: the only reader of the key layout ---- */

struct rollup_walk {
	struct iter *it;
	enum rollup_family fam;
	int32_t d1;
};

struct rollup_walk *
rollup_walk_begin(struct txn *t, enum rollup_family fam, int32_t d0, int32_t d1)
{
	struct rollup_walk *w = xcalloc(1, sizeof *w);
	struct key prefix, from;

	key_init(&prefix);
	prefix.b[prefix.n++] = (unsigned char)fam;
	from = prefix;
	key_i64(&from, fam == ROLLUP_LIFETIME ? 0 : d0);
	w->it = iter_counter(t, &prefix, &from);
	w->fam = fam;
	w->d1 = fam == ROLLUP_LIFETIME ? INT32_MAX : d1;
	return w;
}

/* Decode a key rkey wrote (and, for 'C', the status and currency after
 * it); false for a key of another shape. */
static bool
decode(const unsigned char *kb, size_t kl, struct rollup_entry *en)
{
	size_t want = kb[0] == ROLLUP_COMMISSION ? 1 + 8 * 4 + 3 : 1 + 8 * 3;

	if (kl != want)
		return false;
	memset(en, 0, sizeof *en);
	en->family = (enum rollup_family)kb[0];
	en->day = (int32_t)key_read_i64(kb + 1);
	en->program = key_read_u64(kb + 9);
	en->who = key_read_u64(kb + 17);
	if (en->family == ROLLUP_COMMISSION) {
		en->status = key_read_u64(kb + 25);
		en->bonus = (en->status & ROLLUP_BONUS_BIT) != 0;
		en->override = (en->status & ROLLUP_OVERRIDE_BIT) != 0;
		en->status &= ~(uint64_t)(ROLLUP_BONUS_BIT | ROLLUP_OVERRIDE_BIT);
		memcpy(en->currency, kb + 33, 3);
	}
	return true;
}

bool
rollup_walk_next(struct rollup_walk *w, struct rollup_entry *en)
{
	uint64_t id;

	while (iter_next(w->it, &id)) {
		size_t kl;
		const unsigned char *kb = iter_key(w->it, &kl);
		if (kl == 0 || !decode(kb, kl, en))
			continue;
		if (en->day > w->d1)
			return false;
		counter_values(w->it, en->v, en->family == ROLLUP_COMMISSION ? 2 : 3);
		return true;
	}
	return false;
}

void
rollup_walk_end(struct rollup_walk *w)
{
	if (w == NULL)
		return;
	iter_close(w->it);
	free(w);
}

/* Every counter of a period family ('P', 'M'): referrer, program, start
 * and its n values, in key order; fn returns false to stop. */
void
rollup_periods_each(struct txn *t, unsigned char tag, size_t n,
    bool (*fn)(void *ctx, uint64_t referrer, uint64_t program, int64_t start, const int64_t *v), void *ctx)
{
	struct key prefix;
	struct iter *it;
	uint64_t id;
	int64_t v[8];

	key_init(&prefix);
	prefix.b[prefix.n++] = tag;
	it = iter_counter(t, &prefix, NULL);
	while (iter_next(it, &id)) {
		size_t kl;
		const unsigned char *kb = iter_key(it, &kl);
		if (kl != 1 + 8 * 3)
			continue;
		counter_values(it, v, n);
		if (!fn(ctx, key_read_u64(kb + 1), key_read_u64(kb + 9), key_read_i64(kb + 17), v))
			break;
	}
	iter_close(it);
}

int64_t
rollup_converted_value(struct txn *t, uint64_t program, uint64_t referrer)
{
	struct key k;
	int64_t v[3];

	rkey(&k, 'L', 0, program, referrer);
	counter_get(t, &k, v, 3);
	return v[2];
}

bool
rollup_current(struct txn *t)
{
	uint32_t v = 0;

	return meta_get(t, "rollup.version", &v, sizeof v) == ST_OK && v == ROLLUP_VERSION;
}

enum status
rollup_rebuild(struct txn *t)
{
	static const enum kind kinds[] = { KIND_REFERRAL, KIND_CONVERSION, KIND_COMMISSION };
	_Alignas(max_align_t) unsigned char rec[512];
	uint32_t v = ROLLUP_VERSION;
	size_t i;

	counter_clear(t);
	for (i = 0; i < 3; i++) {
		struct iter *it = iter_kind(t, kinds[i], false);
		uint64_t id;
		while (iter_next(it, &id)) {
			if (iter_rec(it, rec) != ST_OK)
				continue;
			rollup_hook(t, kinds[i], NULL, rec);
			rec_free(kinds[i], rec);
		}
		iter_close(it);
	}
	meta_put(t, "rollup.version", &v, sizeof v);
	return txn_status(t);
}

/* ---- verification: recompute in memory, compare with what is stored ---- */

struct expect {
	struct key k;
	int64_t v[3];
	size_t n;
	bool seen;
};

struct expect_set {
	struct expect *v;
	size_t n, cap;
};

static int
cmp_expect(const void *x, const void *y)
{
	const struct expect *a = x, *b = y;
	size_t n = a->k.n < b->k.n ? a->k.n : b->k.n;
	int c = memcmp(a->k.b, b->k.b, n);

	return c ? c : (a->k.n > b->k.n) - (a->k.n < b->k.n);
}

/* The rank entries ('T', 'A') the lifetime entries among exp[0..n) imply,
 * appended to es (which may be exp's own set: indexes, not pointers). */
static void
derive_ranks(struct expect_set *es, size_t n)
{
	struct expect_set a = { NULL, 0, 0 };
	size_t i, j;

	for (i = 0; i < n; i++) {
		const struct expect *l = &es->v[i];
		int64_t c[2] = { l->v[0], l->v[1] };
		uint64_t program, referrer;
		if (l->k.b[0] != 'L' || (c[0] == 0 && c[1] == 0))
			continue;
		program = key_read_u64(l->k.b + 9);
		referrer = key_read_u64(l->k.b + 17);
		a.v = xgrow(a.v, &a.cap, a.n + 1, sizeof *a.v);
		memset(&a.v[a.n], 0, sizeof *a.v);
		akey(&a.v[a.n].k, referrer);
		a.v[a.n].v[0] = c[0];
		a.v[a.n].v[1] = c[1];
		a.v[a.n].n = 2;
		a.n++;
		es->v = xgrow(es->v, &es->cap, es->n + 1, sizeof *es->v);
		memset(&es->v[es->n], 0, sizeof *es->v);
		tkey(&es->v[es->n].k, program, c, referrer);
		es->v[es->n].v[0] = 1;
		es->v[es->n].n = 1;
		es->n++;
	}
	if (a.n > 1)
		qsort(a.v, a.n, sizeof *a.v, cmp_expect);
	for (i = 0; i < a.n; i = j) {
		struct expect acc = a.v[i];
		int64_t c[2];
		for (j = i + 1; j < a.n && cmp_expect(&a.v[i], &a.v[j]) == 0; j++) {
			acc.v[0] += a.v[j].v[0];
			acc.v[1] += a.v[j].v[1];
		}
		c[0] = acc.v[0];
		c[1] = acc.v[1];
		es->v = xgrow(es->v, &es->cap, es->n + 2, sizeof *es->v);
		es->v[es->n++] = acc;
		memset(&es->v[es->n], 0, sizeof *es->v);
		tkey(&es->v[es->n].k, 0, c, key_read_u64(acc.k.b + 1));
		es->v[es->n].v[0] = 1;
		es->v[es->n].n = 1;
		es->n++;
	}
	free(a.v);
}

uint64_t
rollup_verify(struct txn *t, void (*report)(void *ctx, const char *line), void *ctx)
{
	static const enum kind kinds[] = { KIND_REFERRAL, KIND_CONVERSION, KIND_COMMISSION };
	_Alignas(max_align_t) unsigned char rec[512];
	struct expect_set es = { NULL, 0, 0 };
	struct expect *merged;
	struct key prefix;
	struct iter *it;
	uint64_t id, problems = 0;
	size_t i, j, m = 0;
	char line[160];

	if (!rollup_current(t))
		return 0;       /* an older database: the first report builds them */
	for (i = 0; i < 3; i++) {
		it = iter_kind(t, kinds[i], false);
		while (iter_next(it, &id)) {
			struct delta d[4];
			size_t n, x;
			if (iter_rec(it, rec) != ST_OK)
				continue;
			n = contributions(t, kinds[i], rec, 1, d);
			for (x = 0; x < n; x++) {
				es.v = xgrow(es.v, &es.cap, es.n + 1, sizeof *es.v);
				memset(&es.v[es.n], 0, sizeof *es.v);
				es.v[es.n].k = d[x].k;
				memcpy(es.v[es.n].v, d[x].v, sizeof d[x].v);
				es.v[es.n].n = d[x].n;
				es.n++;
			}
			rec_free(kinds[i], rec);
		}
		iter_close(it);
	}
	if (es.n > 1)   /* es.v is NULL on an empty database: qsort must not see it */
		qsort(es.v, es.n, sizeof *es.v, cmp_expect);
	/* merge equal keys; drop all-zero sums (the store removes those) */
	merged = es.v;
	for (i = 0; i < es.n; i = j) {
		struct expect acc = es.v[i];
		bool zero = true;
		size_t x;
		bool fits = true;
		for (j = i + 1; j < es.n && cmp_expect(&es.v[i], &es.v[j]) == 0; j++)
			for (x = 0; x < acc.n; x++)
				fits &= money_add(acc.v[x], es.v[j].v[x], &acc.v[x]);
		if (!fits) {
			/* ally adds these with checks: records that cannot add up
			 * were not written by it */
			snprintf(line, sizeof line, "rollup %c: the records' counter would exceed the largest "
			    "amount ally can hold", acc.k.b[0]);
			report(ctx, line);
			problems++;
		}
		for (x = 0; x < acc.n; x++)
			zero &= acc.v[x] == 0;
		if (!zero)
			merged[m++] = acc;
	}
	/* the ranks follow from the lifetime entries */
	es.n = m;
	derive_ranks(&es, m);
	merged = es.v;
	m = es.n;
	if (m > 1)
		qsort(merged, m, sizeof *merged, cmp_expect);
	key_init(&prefix);
	it = iter_counter(t, &prefix, NULL);
	while (iter_next(it, &id)) {
		size_t kl;
		const unsigned char *kb = iter_key(it, &kl);
		struct expect probe, *hit;
		int64_t v[3];
		if (kl > sizeof probe.k.b || kb[0] == 'P' || kb[0] == 'M')
			continue;       /* 'P', 'M': the ledger verifies its own */
		memcpy(probe.k.b, kb, kl);
		probe.k.n = kl;
		hit = bsearch(&probe, merged, m, sizeof *merged, cmp_expect);
		counter_values(it, v, 3);
		if (hit == NULL || memcmp(v, hit->v, hit->n * sizeof *v) != 0) {
			snprintf(line, sizeof line, "rollup %c: a stored counter differs from the records (%lld/%lld/%lld)",
			    kb[0], (long long)v[0], (long long)v[1], (long long)v[2]);
			report(ctx, line);
			problems++;
		}
		if (hit)
			hit->seen = true;
	}
	iter_close(it);
	for (i = 0; i < m; i++) {
		if (!merged[i].seen) {
			snprintf(line, sizeof line, "rollup %c: a counter the records need is missing",
			    merged[i].k.b[0]);
			report(ctx, line);
			problems++;
		}
	}
	free(es.v);
	return problems + ledger_verify_periods(t, report, ctx) + ledger_verify_bonuses(t, report, ctx) +
	    ledger_verify_overrides(t, report, ctx);
}
