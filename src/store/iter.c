/*
 * iter.c - keys, walks and counters: the big-endian key encoder, prefix
 * and range walks over an index, a record table or the counter table
 * (STORE_FOREACH in store.h wraps them), and the counter table itself
 * (fixed-size int64 counters at keys the caller builds; app/rollup.c
 * keeps its rollups there).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "store/store_int.h"

/* ---- keys ---- */

void
key_prefix_str(struct key *k, const char *s, bool fold)
{
	/* Leave room for a terminator and an id. */
	size_t room = STORE_KEY_MAX - 9 > k->n ? STORE_KEY_MAX - 9 - k->n : 0;

	for (; s && *s && room > 0; s++, room--) {
		unsigned char c = (unsigned char)*s;
		if (fold && c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		k->b[k->n++] = c;
	}
}

void
key_str(struct key *k, const char *s, bool fold)
{
	key_prefix_str(k, s, fold);
	if (k->n < STORE_KEY_MAX)
		k->b[k->n++] = '\0';
}


/* ---- iteration ---- */

struct iter *
iter_table(struct txn *t, int table, const struct key *prefix, bool reverse)
{
	struct iter *it = xcalloc(1, sizeof *it);
	int rc;

	it->t = t;
	it->reverse = reverse;
	if (prefix)
		it->prefix = *prefix;
	if (t->st != ST_OK) {
		it->done = true;
		return it;
	}
	rc = t->s->bk->cursor_open(t->t, table, &it->c);
	if (rc != 0) {
		txn_fail_bk(t, rc, "open cursor");
		it->c = NULL;
		it->done = true;
	}
	return it;
}

struct iter *
iter_index(struct txn *t, enum index ix, const struct key *prefix, bool reverse)
{
	struct iter *it = iter_table(t, TBL_IDX(ix), prefix, reverse);

	it->is_index = true;
	it->unique = index_defs[ix].unique;
	return it;
}

struct iter *
iter_index_from(struct txn *t, enum index ix, const struct key *prefix, const struct key *from)
{
	struct iter *it = iter_index(t, ix, prefix, false);

	it->from = *from;
	return it;
}

struct iter *
iter_kind(struct txn *t, enum kind k, bool reverse)
{
	struct iter *it = iter_table(t, TBL_KIND(k), NULL, reverse);

	it->kind = k;
	return it;
}

/* Position on the last key that starts with the prefix. */
static int
seek_last_with_prefix(struct iter *it)
{
	struct key up = it->prefix;
	const struct store_backend *bk = it->t->s->bk;
	int rc;

	/* Find the first key greater than every key with this prefix: the
	 * prefix "incremented"; then step back one. */
	while (up.n > 0 && up.b[up.n - 1] == 0xff)
		up.n--;
	if (up.n == 0)
		return bk->cursor_get(it->c, BK_LAST, &it->k, &it->v);
	up.b[up.n - 1]++;
	it->k = (struct bk_val){ up.n, up.b };
	rc = bk->cursor_get(it->c, BK_SEEK, &it->k, &it->v);
	if (rc == BK_NOTFOUND)
		return bk->cursor_get(it->c, BK_LAST, &it->k, &it->v);
	if (rc != 0)
		return rc;
	return bk->cursor_get(it->c, BK_PREV, &it->k, &it->v);
}

bool
iter_next(struct iter *it, uint64_t *id)
{
	const struct store_backend *bk;
	int rc;

	if (it->done)
		return false;
	bk = it->t->s->bk;
	if (!it->started) {
		it->started = true;
		if (it->prefix.n == 0 && (it->reverse || it->from.n == 0)) {
			rc = bk->cursor_get(it->c, it->reverse ? BK_LAST : BK_FIRST, &it->k, &it->v);
		} else if (it->reverse) {
			rc = seek_last_with_prefix(it);
		} else {
			const struct key *start = it->from.n ? &it->from : &it->prefix;
			it->k = (struct bk_val){ start->n, start->b };
			rc = bk->cursor_get(it->c, BK_SEEK, &it->k, &it->v);
		}
	} else {
		rc = bk->cursor_get(it->c, it->reverse ? BK_PREV : BK_NEXT, &it->k, &it->v);
	}
	if (rc != 0) {
		if (rc != BK_NOTFOUND)
			txn_fail_bk(it->t, rc, "walk");
		it->done = true;
		return false;
	}
	if (it->prefix.n > 0 &&
	    (it->k.n < it->prefix.n || memcmp(it->k.p, it->prefix.b, it->prefix.n) != 0)) {
		it->done = true;
		return false;
	}
	if (it->counter) {
		*id = 0;
	} else if (!it->is_index || !it->unique) {
		if (it->k.n < 8) {
			it->done = true;
			txn_fail(it->t, ST_DATA, "index entry too short (run ally check)");
			return false;
		}
		*id = store_be64((const unsigned char *)it->k.p + it->k.n - 8);
	} else {
		if (it->v.n != 8) {
			it->done = true;
			txn_fail(it->t, ST_DATA, "index entry damaged (run ally check)");
			return false;
		}
		*id = store_be64(it->v.p);
	}
	return true;
}

enum status
iter_rec(struct iter *it, void *rec)
{
	if (it->is_index || !it->started || it->done)
		return ST_SOFTWARE;
	if (codec_decode(&kind_defs[it->kind].codec, it->v.p, it->v.n, rec) != ST_OK)
		return txn_fail(it->t, ST_DATA, "%s record cannot be decoded (run ally check)",
		    kind_name(it->kind));
	return ST_OK;
}

const unsigned char *
iter_key(struct iter *it, size_t *len)
{
	*len = it->k.n;
	return it->k.p;
}

/* A word index's key: word NUL, referrer (8), field (1), id (8). */
size_t
iter_word(struct iter *it, char *word, size_t cap, uint64_t *referrer, enum word_field *field)
{
	const unsigned char *p = it->k.p, *nul;
	size_t n, c;

	if (!it->is_index || it->done || !it->started || p == NULL)
		return 0;
	nul = memchr(p, '\0', it->k.n);
	if (nul == NULL || nul == p || (size_t)(nul - p) + 1 + 8 + 1 + 8 != it->k.n)
		return 0;
	n = (size_t)(nul - p);
	if (cap > 0) {
		c = n < cap ? n : cap - 1;
		memcpy(word, p, c);
		word[c] = '\0';
	}
	*referrer = store_be64(nul + 1);
	*field = (enum word_field)nul[9];
	return n;
}

void
iter_reseek(struct iter *it, const struct key *prefix, const struct key *from)
{
	it->prefix = *prefix;
	if (from)
		it->from = *from;
	else
		it->from.n = 0;
	it->started = false;
	it->done = it->c == NULL || it->t->st != ST_OK;
}

bool
iter_open_at(struct iter *it, int64_t *at)
{
	/* k_referral_open's layout: program u64, time i64, then the id */
	if (!it->started || it->done || it->k.n < 16)
		return false;
	*at = key_read_i64((const unsigned char *)it->k.p + 8);
	return true;
}

void
iter_close(struct iter *it)
{
	if (it == NULL)
		return;
	if (it->c)
		it->t->s->bk->cursor_close(it->c);
	free(it);
}
