/*
 * counter.c - the counters table (app/rollup.c keeps its rollups there)
 * with a write-back cache per write transaction.
 *
 * An event touches a handful of counter keys (its day, referrer, partner
 * and period totals) and a batch of events touches the same hot keys again
 * and again, so a write transaction folds every counter_add into memory
 * and writes each key once, in key order, when it commits
 * (counter_flush, called by store_write).  counter_get reads through the
 * cache; a walk over the counters (iter_counter) and counter_clear flush
 * or drop it first, so nothing ever reads a stale value.  A read
 * transaction has no cache: it reads the table.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "store/store_int.h"

#define CC_VALS 8

struct ccent {
	uint32_t off;           /* key bytes in keys */
	uint16_t kn;
	uint8_t n;              /* values kept */
	bool dirty;
	bool stored;            /* the key is in the table */
	int64_t v[CC_VALS];
};

struct ccache {
	struct ccent *e;
	size_t n, cap;
	uint32_t *slot;         /* open addressing: entry index + 1, 0 = empty */
	size_t nslot;
	unsigned char *keys;
	size_t keys_len, keys_cap;
};

static uint64_t
hash(const unsigned char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w;

	/* eight bytes at a time, mixed by multiply and shift */
	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	for (; n > 0; n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	h ^= h >> 29;
	return h * 0xc4ceb9fe1a85ec53ull;
}

static void
rehash(struct ccache *c)
{
	size_t i;

	free(c->slot);
	c->nslot = c->nslot ? c->nslot * 2 : 1024;
	c->slot = xcalloc(c->nslot, sizeof *c->slot);
	for (i = 0; i < c->n; i++) {
		size_t s = hash(c->keys + c->e[i].off, c->e[i].kn) & (c->nslot - 1);
		while (c->slot[s])
			s = (s + 1) & (c->nslot - 1);
		c->slot[s] = (uint32_t)i + 1;
	}
}

void
counter_cache_free(struct txn *t)
{
	struct ccache *c = t->cc;

	if (c == NULL)
		return;
	free(c->e);
	free(c->slot);
	free(c->keys);
	free(c);
	t->cc = NULL;
}

/* The cached entry of key k, read from the table on first use; NULL when
 * the read failed (t's error is set). */
static struct ccent *
entry(struct txn *t, const struct key *k)
{
	struct ccache *c = t->cc;
	struct ccent *x;
	struct bk_val kv = { k->n, k->b }, v;
	size_t s;
	int rc;

	if (c == NULL)
		c = t->cc = xcalloc(1, sizeof *c);
	if (c->nslot == 0 || (c->n + 1) * 2 > c->nslot)
		rehash(c);
	s = hash(k->b, k->n) & (c->nslot - 1);
	for (; c->slot[s]; s = (s + 1) & (c->nslot - 1)) {
		x = &c->e[c->slot[s] - 1];
		if (x->kn == k->n && memcmp(c->keys + x->off, k->b, k->n) == 0)
			return x;
	}
	rc = t->s->bk->get(t->t, TBL_COUNTER, &kv, &v);
	if (rc != 0 && rc != BK_NOTFOUND) {
		txn_fail_bk(t, rc, "read counters");
		return NULL;
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 512;
		c->e = xrealloc(c->e, c->cap * sizeof *c->e);
	}
	if (c->keys_len + k->n > c->keys_cap) {
		c->keys_cap = c->keys_cap ? c->keys_cap * 2 : 16384;
		while (c->keys_len + k->n > c->keys_cap)
			c->keys_cap *= 2;
		c->keys = xrealloc(c->keys, c->keys_cap);
	}
	x = &c->e[c->n];
	memset(x, 0, sizeof *x);
	x->off = (uint32_t)c->keys_len;
	x->kn = (uint16_t)k->n;
	memcpy(c->keys + c->keys_len, k->b, k->n);
	c->keys_len += k->n;
	if (rc == 0) {
		x->stored = true;
		x->n = (uint8_t)(v.n / 8 < CC_VALS ? v.n / 8 : CC_VALS);
		memcpy(x->v, v.p, x->n * 8);
	}
	c->slot[s] = (uint32_t)++c->n;
	return x;
}

enum status
counter_add(struct txn *t, const struct key *k, const int64_t *delta, size_t n)
{
	struct ccent *x;
	int64_t sum[CC_VALS];
	size_t i;

	if (t->st != ST_OK)
		return t->st;
	if (n > CC_VALS)
		return txn_fail(t, ST_SOFTWARE, "%zu counters at one key", n);
	if (!t->write)
		return txn_fail(t, ST_SOFTWARE, "counters added in a read transaction");
	if ((x = entry(t, k)) == NULL)
		return t->st;
	memcpy(sum, x->v, sizeof sum);
	for (i = 0; i < n; i++)
		/* analytics totals are money too: never wrapped */
		if (__builtin_add_overflow(sum[i], delta[i], &sum[i]))
			return txn_fail(t, ST_DATA, "amount: an analytics total would exceed the largest "
			    "amount ally can hold");
	memcpy(x->v, sum, sizeof sum);
	if (n > x->n)
		x->n = (uint8_t)n;
	x->dirty = true;
	return ST_OK;
}

bool
counter_get(struct txn *t, const struct key *k, int64_t *v, size_t n)
{
	struct bk_val kv = { k->n, k->b }, bv;
	size_t have;
	int rc;

	memset(v, 0, n * sizeof *v);
	if (t->st != ST_OK || n > CC_VALS)
		return false;
	if (t->write) {
		struct ccent *x = entry(t, k);
		bool zero = true;
		if (x == NULL)
			return false;
		memcpy(v, x->v, n * sizeof *v);
		for (have = 0; have < x->n; have++)
			zero &= x->v[have] == 0;
		return !zero || (x->stored && !x->dirty);
	}
	rc = t->s->bk->get(t->t, TBL_COUNTER, &kv, &bv);
	if (rc == BK_NOTFOUND)
		return false;
	if (rc != 0) {
		txn_fail_bk(t, rc, "read counters");
		return false;
	}
	have = bv.n / 8 < n ? bv.n / 8 : n;
	memcpy(v, bv.p, have * 8);
	return true;
}

static struct ccache *sort_cc;  /* qsort has no context argument */

static int
by_key(const void *a, const void *b)
{
	const struct ccent *x = &sort_cc->e[*(const uint32_t *)a];
	const struct ccent *y = &sort_cc->e[*(const uint32_t *)b];
	size_t n = x->kn < y->kn ? x->kn : y->kn;
	int d = memcmp(sort_cc->keys + x->off, sort_cc->keys + y->off, n);

	return d ? d : (int)x->kn - (int)y->kn;
}

enum status
counter_flush(struct txn *t)
{
	struct ccache *c = t->cc;
	uint32_t *order;
	size_t i, m = 0;

	if (c == NULL || t->st != ST_OK)
		return t->st;
	order = xmalloc((c->n ? c->n : 1) * sizeof *order);
	for (i = 0; i < c->n; i++)
		if (c->e[i].dirty)
			order[m++] = (uint32_t)i;
	sort_cc = c;
	qsort(order, m, sizeof *order, by_key);
	for (i = 0; i < m && t->st == ST_OK; i++) {
		struct ccent *x = &c->e[order[i]];
		struct bk_val kv = { x->kn, c->keys + x->off }, v = { (size_t)x->n * 8, x->v };
		bool zero = true;
		size_t j;
		int rc = 0;
		for (j = 0; j < x->n; j++)
			zero &= x->v[j] == 0;
		/* a key whose counters all came back to zero goes */
		if (zero && x->stored)
			rc = t->s->bk->del(t->t, TBL_COUNTER, &kv);
		else if (!zero)
			rc = t->s->bk->put(t->t, TBL_COUNTER, &kv, &v, 0);
		if (rc != 0 && rc != BK_NOTFOUND)
			txn_fail_bk(t, rc, "write counters");
		x->stored = !zero;
		x->dirty = false;
	}
	free(order);
	return t->st;
}

struct iter *
iter_counter(struct txn *t, const struct key *prefix, const struct key *from)
{
	struct iter *it;

	counter_flush(t);
	it = iter_table(t, TBL_COUNTER, prefix, false);
	it->is_index = true;
	it->unique = true;      /* values are counters, not ids */
	it->counter = true;
	if (from)
		it->from = *from;
	return it;
}

void
counter_values(struct iter *it, int64_t *v, size_t n)
{
	size_t have = it->v.n / 8 < n ? it->v.n / 8 : n;

	memset(v, 0, n * sizeof *v);
	if (have)
		memcpy(v, it->v.p, have * 8);
}

enum status
counter_clear(struct txn *t)
{
	int rc;

	if (t->st != ST_OK)
		return t->st;
	counter_cache_free(t);
	rc = t->s->bk->drop(t->t, TBL_COUNTER);
	if (rc != 0)
		return txn_fail_bk(t, rc, "clear counters");
	return ST_OK;
}
