/*
 * lookup.c - referrer lookup by any word, and the referrer timeline.
 *
 * The lookup reads the store's word indexes (IDX_*_WORD: one entry per
 * folded word, each naming its referrer), never the records it does not
 * return; the timeline walks the referrer's codes, referrals (with their
 * conversions and refunds) and commission lines.
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

/* ---- lookup ---- */

/*
 * The query's folded words; every one must begin a word of the referrer:
 * of its name, e-mail or codes, or of a contact it referred.  The longest
 * word (the most telling) is walked first and makes the candidates.  The
 * other words only keep score for those: when they are few, by seeking
 * each candidate under each distinct word the query word begins (keys are
 * word, referrer: "example" is in every e-mail, but "example" then
 * R123457 is one seek); else by walking.  A walk reads at most
 * LOOKUP_WALK entries, so a lookup costs the same at any size; when one
 * stops there the count is a lower bound ("more").
 */
#define LOOKUP_WALK 10000
/* A later word's walk only scores candidates (no insert, no growth): it
 * may read further, so that "anna tanaka" finds every Anna among the
 * Tanakas even when Anna is in 50,000 entries. */
#define LOOKUP_WALK_LATER 60000
#define LOOKUP_WORDS 8
#define LOOKUP_SEEK_CANDS 64    /* candidates checked by seeks, not a walk */
#define LOOKUP_SEEK_WORDS 64    /* distinct words under a prefix, the same */
#define LOOKUP_PROBE 256       /* entries counted to find the rarest word */
#define FILTER_BITS (1u << 17)
#define WHOLE 4                 /* a whole word's score, before the field's */

struct cand {
	uint64_t referrer;      /* 0: empty slot */
	uint64_t rec;           /* the rarest word's best entry: its record ... */
	uint8_t score[LOOKUP_WORDS];
	uint16_t total;         /* sum of score, once ranked */
	uint8_t matched;        /* bit i: query word i found */
	uint8_t best;           /* ... its score and field */
	char field;
};

struct cands {
	struct cand *v;
	size_t cap, n;          /* cap: a power of two, 2^bits */
	unsigned bits;
	bool more;
	/* After the first word: one bit per hash of a candidate, small enough
	 * to stay in the cache, so the later words' walks skip the many
	 * entries of non-candidates without a miss in the table. */
	uint64_t filter[FILTER_BITS / 64];
	bool filtered;
};

/* Fibonacci hashing: the product's high bits. */
static struct cand *
cand_slot(struct cand *v, unsigned bits, uint64_t referrer)
{
	size_t mask = ((size_t)1 << bits) - 1;
	size_t i = (size_t)((referrer * 0x9e3779b97f4a7c15ull) >> (64 - bits));

	while (v[i].referrer != 0 && v[i].referrer != referrer)
		i = (i + 1) & mask;
	return &v[i];
}

/*
 * The table's memory stays from one lookup to the next: the TUI looks
 * up at every key, and fresh pages (a large calloc is a new mapping)
 * cost more than the lookup.  A process has one session and one thread.
 */
static struct cand *spare;
static size_t spare_cap;

static struct cand *
cand_alloc(size_t cap)
{
	struct cand *v;

	if (spare != NULL && spare_cap >= cap) {
		v = spare;
		spare = NULL;
		memset(v, 0, cap * sizeof *v);
		return v;
	}
	return xcalloc(cap, sizeof *v);
}

static void
cand_release(struct cand *v, size_t cap)
{
	if (spare != NULL && spare_cap >= cap) {
		free(v);
		return;
	}
	free(spare);
	spare = v;
	spare_cap = cap;
}

/* Double the table once it is half full. */
static void
cand_grow(struct cands *c)
{
	size_t cap = c->cap * 2, i;
	struct cand *v = cand_alloc(cap);

	for (i = 0; i < c->cap; i++)
		if (c->v[i].referrer != 0)
			*cand_slot(v, c->bits + 1, c->v[i].referrer) = c->v[i];
	cand_release(c->v, c->cap);
	c->v = v;
	c->cap = cap;
	c->bits++;
}

static size_t
filter_bit(uint64_t referrer)
{
	return (size_t)((referrer * 0xff51afd7ed558ccdull) >> 47) & (FILTER_BITS - 1);
}

static void
filter_build(struct cands *c)
{
	size_t i, b;

	memset(c->filter, 0, sizeof c->filter);
	for (i = 0; i < c->cap; i++)
		if (c->v[i].referrer != 0) {
			b = filter_bit(c->v[i].referrer);
			c->filter[b / 64] |= (uint64_t)1 << (b % 64);
		}
	c->filtered = true;
}

static bool
filter_may(const struct cands *c, uint64_t referrer)
{
	size_t b = filter_bit(referrer);

	return !c->filtered || (c->filter[b / 64] >> (b % 64) & 1);
}

static struct cand *
cand_find(struct cands *c, uint64_t referrer, bool add)
{
	struct cand *cd = cand_slot(c->v, c->bits, referrer);

	if (cd->referrer != 0 || !add)
		return cd->referrer != 0 ? cd : NULL;
	if (2 * (c->n + 1) > c->cap) {
		cand_grow(c);
		cd = cand_slot(c->v, c->bits, referrer);
	}
	cd->referrer = referrer;
	c->n++;
	return cd;
}

/* How much an entry says: a whole word over a word's start, then the
 * field. */
static uint8_t
entry_score(enum word_field f, bool whole)
{
	uint8_t s = f == WORD_NAME || f == WORD_CODE ? 3 : f == WORD_EMAIL ? 2 : 1;

	return (uint8_t)(s + (whole ? WHOLE : 0));
}

/* Entry (field f, record id) found for query word i in candidate cd. */
static void
cand_score(struct cand *cd, size_t i, enum word_field f, bool whole, uint64_t id)
{
	uint8_t sc = entry_score(f, whole);

	cd->matched |= (uint8_t)(1u << i);
	if (sc > cd->score[i])
		cd->score[i] = sc;
	if (i == 0 && sc > cd->best) {      /* what the rarest word found */
		cd->best = sc;
		cd->field = (char)f;
		cd->rec = id;
	}
}

/* Walk one word index by the prefix w for query word i: the first word
 * adds candidates; a later one scores those that matched every word
 * before it, and stops once past the whole-word entries when each of
 * them has a whole-word match (a word's start scores less). */
static void
walk_words(struct txn *t, enum index ix, const char *w, size_t i, struct cands *c,
    size_t nset)
{
	uint32_t before = (1u << i) - 1;
	struct key k;
	uint64_t id, who;
	size_t n = 0, wl = strlen(w), whole_seen = 0;
	enum word_field f;

	key_init(&k);
	key_prefix_str(&k, w, false);
	STORE_FOREACH(it, id, iter_index(t, ix, &k, false)) {
		struct cand *cd;
		size_t len;
		bool whole;
		if (n++ == (i == 0 ? LOOKUP_WALK : LOOKUP_WALK_LATER)) {
			c->more = true;
			break;
		}
		if ((len = iter_word(it, NULL, 0, &who, &f)) == 0)
			continue;
		whole = len == wl;
		if (i > 0 && !whole && whole_seen == nset)
			break;
		if (i > 0 && !filter_may(c, who))
			continue;
		cd = cand_find(c, who, i == 0);
		if (cd == NULL || (cd->matched & before) != before)
			continue;
		if (i > 0 && whole && cd->score[i] < WHOLE)
			whole_seen++;
		cand_score(cd, i, f, whole, id);
	}
}

/* The entries of word (whole or not) for each candidate of set: a seek
 * each. */
static void
seek_word(struct txn *t, enum index ix, const char *word, bool whole, size_t i,
    struct cand **set, size_t nset)
{
	char got[FOLD_WORD_MAX + 2];
	enum word_field f;
	uint64_t id, who;
	size_t j;

	for (j = 0; j < nset; j++) {
		struct key k;
		if (set[j]->score[i] >= WHOLE + 3)
			continue;       /* nothing scores more */
		key_init(&k);
		key_str(&k, word, false);
		key_u64(&k, set[j]->referrer);
		STORE_FOREACH(it, id, iter_index(t, ix, &k, false)) {
			if (iter_word(it, got, sizeof got, &who, &f))
				cand_score(set[j], i, f, whole, id);
		}
	}
}

/* Query word i against the few candidates of set, by seeks under each
 * distinct word that w begins; false (nothing lost: walk then) when
 * there are too many such words. */
static bool
seek_words(struct txn *t, enum index ix, const char *w, size_t i, struct cand **set,
    size_t nset)
{
	char word[FOLD_WORD_MAX + 2];
	struct key prefix, from;
	enum word_field f;
	uint64_t id, who;
	size_t nwords = 0, wl = strlen(w);
	bool more = true;

	key_init(&prefix);
	key_prefix_str(&prefix, w, false);
	from = prefix;
	while (more) {
		more = false;
		if (nwords++ == LOOKUP_SEEK_WORDS)
			return false;
		/* the next distinct word: its entries start "word\0" */
		STORE_FOREACH(it, id, iter_index_from(t, ix, &prefix, &from)) {
			if (!iter_word(it, word, sizeof word, &who, &f))
				continue;
			more = true;
			break;
		}
		if (!more)
			break;
		seek_word(t, ix, word, strlen(word) == wl, i, set, nset);
		key_init(&from);
		key_prefix_str(&from, word, false);
		from.b[from.n++] = 0x01;        /* past every "word\0..." */
	}
	return true;
}

/* The candidates that matched every word before word i (at most max). */
static size_t
cand_set(struct cands *c, size_t i, struct cand **set, size_t max)
{
	uint32_t before = (1u << i) - 1;
	size_t j, n = 0;

	for (j = 0; j < c->cap; j++)
		if (c->v[j].referrer != 0 && (c->v[j].matched & before) == before) {
			if (n == max)
				return max + 1;
			set[n++] = &c->v[j];
		}
	return n;
}

/* Better first: the higher total, then the older referrer. */
static int
cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return x->referrer < y->referrer ? -1 : x->referrer > y->referrer;
}

static void
heap_down(struct cand *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct cand tmp;
		/* a max-heap of "worse": the root is the worst kept */
		if (l < n && cmp_cand(&h[l], &h[m]) > 0)
			m = l;
		if (r < n && cmp_cand(&h[r], &h[m]) > 0)
			m = r;
		if (m == i)
			return;
		tmp = h[i];
		h[i] = h[m];
		h[m] = tmp;
		i = m;
	}
}

/* Count the candidates that matched every word and move the best keep
 * of them, in order, to the front of c->v. */
static size_t
rank(struct cands *c, size_t nw, size_t keep, uint64_t *total)
{
	uint32_t all = (1u << nw) - 1;
	size_t i, j, n = 0;

	*total = 0;
	for (i = 0; i < c->cap; i++) {
		struct cand cd = c->v[i];
		if (cd.referrer == 0 || cd.matched != all)
			continue;
		++*total;
		for (cd.total = 0, j = 0; j < nw; j++)
			cd.total = (uint16_t)(cd.total + cd.score[j]);
		if (n < keep) {
			/* the heap lives in the slots already read */
			c->v[n++] = cd;
			if (n == keep)
				for (j = n / 2 + 1; j-- > 0;)
					heap_down(c->v, n, j);
		} else if (keep > 0 && cmp_cand(&cd, &c->v[0]) < 0) {
			c->v[0] = cd;
			heap_down(c->v, n, 0);
		}
	}
	if (n > 1)
		qsort(c->v, n, sizeof *c->v, cmp_cand);
	return n;
}

/* Entries (at most LOOKUP_PROBE + 1 counted) whose word begins with w. */
static size_t
probe(struct txn *t, const char *w)
{
	static const enum index ixs[] = { IDX_REFERRER_WORD, IDX_CODE_WORD, IDX_REFERRAL_WORD };
	struct key k;
	uint64_t id;
	size_t n = 0, j;

	key_init(&k);
	key_prefix_str(&k, w, false);
	for (j = 0; j < sizeof ixs / sizeof ixs[0] && n <= LOOKUP_PROBE; j++)
		STORE_FOREACH(it, id, iter_index(t, ixs[j], &k, false)) {
			if (++n > LOOKUP_PROBE)
				break;
		}
	return n;
}

/* The query's words, the rarest first (counted up to LOOKUP_PROBE
 * entries; then the longest): "ann@example.com" walks ann, not the
 * example every e-mail has.  An e-mail's top-level domain is left out
 * as the index leaves it out. */
static void
query_words(struct txn *t, const char *q, struct fold_words *w)
{
	const char *at = strchr(q, '@'), *dot = at ? strrchr(at, '.') : NULL;
	char *cut = xstrndup(q, dot ? (size_t)(dot - q) : strlen(q));
	size_t i, j, n[LOOKUP_WORDS];

	fold_words(cut, w);
	free(cut);
	if (w->n > LOOKUP_WORDS)
		w->n = LOOKUP_WORDS;
	for (i = 0; i < w->n; i++)
		n[i] = w->n > 1 ? probe(t, w->w[i]) : 0;
	for (i = 1; i < w->n; i++)
		for (j = i; j > 0 && (n[j] < n[j - 1] ||
		    (n[j] == n[j - 1] && strlen(w->w[j]) > strlen(w->w[j - 1]))); j--) {
			char tmp[sizeof w->w[0]];
			size_t tn = n[j];
			memcpy(tmp, w->w[j], sizeof tmp);
			memcpy(w->w[j], w->w[j - 1], sizeof tmp);
			memcpy(w->w[j - 1], tmp, sizeof tmp);
			n[j] = n[j - 1];
			n[j - 1] = tn;
		}
}

/* What the rarest word matched, for the match column: "name", "e-mail",
 * "code ACME7K2Q", "contact Ann Lee" or "contact ann@example.com". */
static void
match_text(struct txn *t, const struct cand *cd, char *buf, size_t cap)
{
	if (cd->field == WORD_CODE) {
		struct code c;
		if (rec_get(t, KIND_CODE, cd->rec, &c) == ST_OK) {
			snprintf(buf, cap, "code %s", c.code ? c.code : "");
			rec_free(KIND_CODE, &c);
			return;
		}
	} else if (cd->field == WORD_CONTACT_NAME || cd->field == WORD_CONTACT_EMAIL) {
		struct referral r;
		if (rec_get(t, KIND_REFERRAL, cd->rec, &r) == ST_OK) {
			const char *v = cd->field == WORD_CONTACT_NAME ? r.name : r.email;
			snprintf(buf, cap, "contact %s", v ? v : "");
			rec_free(KIND_REFERRAL, &r);
			return;
		}
	}
	snprintf(buf, cap, "%s", cd->field == WORD_NAME ? "name" : "e-mail");
}

static enum status
emit_referrer(struct txn *t, const struct cand *cd, row_fn fn, void *ctx)
{
	struct referrer rf;
	struct partner p;
	struct row r;
	char *pname = NULL;
	char match[160];
	enum status st;

	if (rec_get(t, KIND_REFERRER, cd->referrer, &rf) != ST_OK)
		return ST_OK;
	memset(&r, 0, sizeof r);
	if (rf.partner && rec_get(t, KIND_PARTNER, rf.partner, &p) == ST_OK) {
		pname = p.name;
		p.name = NULL;
		rec_free(KIND_PARTNER, &p);
	}
	match_text(t, cd, match, sizeof match);
	app_id_str(KIND_REFERRER, rf.id, r.buf[0]);
	util_cell_str(&r, "id", r.buf[0]);
	util_cell_str(&r, "kind", rf.kind == REFERRER_PARTNER ? "partner" : "customer");
	util_cell_str(&r, "name", rf.name);
	util_cell_str(&r, "email", rf.email);
	util_cell_str(&r, "partner", pname);
	util_cell_str(&r, "match", match);
	st = fn(ctx, &r);
	free(pname);
	rec_free(KIND_REFERRER, &rf);
	return st;
}

/* Every query word against the three word indexes. */
static void
match_words(struct txn *t, const struct fold_words *w, struct cands *c)
{
	static const enum index ixs[] = { IDX_REFERRER_WORD, IDX_CODE_WORD, IDX_REFERRAL_WORD };
	struct cand *set[LOOKUP_SEEK_CANDS];
	size_t i, j, nset = 0;

	for (i = 0; i < w->n; i++) {
		if (i == 1)
			filter_build(c);        /* the candidates are all in now */
		if (i > 0 && (nset = cand_set(c, i, set, LOOKUP_SEEK_CANDS)) == 0)
			return;
		for (j = 0; j < sizeof ixs / sizeof ixs[0]; j++) {
			if (i > 0 && nset <= LOOKUP_SEEK_CANDS &&
			    seek_words(t, ixs[j], w->w[i], i, set, nset))
				continue;
			walk_words(t, ixs[j], w->w[i], i, c, nset);
		}
	}
}

enum status
app_lookup(struct app *a, const char *q, size_t max, row_fn fn, void *ctx,
    struct lookup_count *count, struct err *e)
{
	struct fold_words w;
	struct cands c;
	struct txn *t;
	enum status st = ST_OK;
	uint64_t total;
	size_t i, n;

	if (count)
		*count = (struct lookup_count){ 0, false };
	if ((st = app_require(a, PERM_EVENTS_READ, e)) != ST_OK)
		return st;
	t = txn_begin_read(a->store);
	query_words(t, q ? q : "", &w);
	if (w.n == 0) {
		txn_end(t);
		return ST_OK;
	}
	c.bits = 10;
	c.cap = (size_t)1 << c.bits;
	c.v = cand_alloc(c.cap);
	c.n = 0;
	c.more = false;
	c.filtered = false;
	match_words(t, &w, &c);
	n = rank(&c, w.n, max, &total);
	if (count)
		*count = (struct lookup_count){ total, c.more };
	for (i = 0; i < n && st == ST_OK; i++)
		st = emit_referrer(t, &c.v[i], fn, ctx);
	if (st == ST_OK)
		st = util_txn_err(t, e);
	txn_end(t);
	cand_release(c.v, c.cap);
	return st;
}
