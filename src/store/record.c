/*
 * record.c - records and their indexes: ids from per-kind sequences, meta
 * times and actor, index entries kept in step by rec_put and rec_del, the
 * change hook chain (the audit log, the rollups), a record as JSON, and
 * store_verify.
 *
 * The layouts of index keys come from kinds.c; the bytes they are stored
 * in come from the backend, through store_int.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "store/store_int.h"

/* ---- sequences ---- */

/* The meta name of kind k's sequence, "seq.<table>" (made once: every
 * insert reads it). */
static const char *
seq_name(enum kind k)
{
	static char names[KIND__COUNT][48];

	if (names[k][0] == '\0')
		snprintf(names[k], sizeof names[k], "seq.%s", kind_defs[k].table);
	return names[k];
}

uint64_t
store_seq(struct txn *t, enum kind k)
{
	uint64_t v = 0;

	if (t->write && t->seq_state[k])
		return t->seq[k];
	if (meta_get(t, seq_name(k), &v, sizeof v) != ST_OK)
		v = 0;
	if (t->write && t->st == ST_OK) {
		t->seq[k] = v;
		t->seq_state[k] = 1;
	}
	return v;
}

static void
seq_set(struct txn *t, enum kind k, uint64_t v)
{
	t->seq[k] = v;
	t->seq_state[k] = 2;
}

enum status
seq_flush(struct txn *t)
{
	int k;

	for (k = 0; k < KIND__COUNT && t->st == ST_OK; k++)
		if (t->seq_state[k] == 2) {
			meta_put(t, seq_name((enum kind)k), &t->seq[k], sizeof t->seq[k]);
			t->seq_state[k] = 1;
		}
	return t->st;
}

/* A record written under an id of its own: the sequence must not hand
 * that id out again. */
static void
seq_raise(struct txn *t, enum kind k, uint64_t id)
{
	if (store_seq(t, k) < id)
		seq_set(t, k, id);
}

static uint64_t
next_id(struct txn *t, enum kind k)
{
	uint64_t v = store_seq(t, k) + 1;

	seq_set(t, k, v);
	return v;
}

/* ---- hooks ---- */

void
store_hook_add(struct store *s, store_change_fn fn, void *ctx)
{
	s->hooks = xrealloc(s->hooks, (s->nhooks + 1) * sizeof *s->hooks);
	s->hooks[s->nhooks++] = (struct hook){ fn, ctx };
}

void
store_hook_clear(struct store *s)
{
	free(s->hooks);
	s->hooks = NULL;
	s->nhooks = 0;
}

void
store_set_change_hook(struct store *s, store_change_fn fn, void *ctx)
{
	store_hook_clear(s);
	if (fn)
		store_hook_add(s, fn, ctx);
}

void
store_set_commit_hook(struct store *s, store_commit_fn fn, void *ctx)
{
	s->commit_hook = fn;
	s->commit_ctx = ctx;
}

void
txn_set_action(struct txn *t, const char *action, bool quiet)
{
	snprintf(t->action, sizeof t->action, "%s", action ? action : "");
	t->quiet = quiet;
}

const char *
txn_action(const struct txn *t)
{
	return t->action;
}

bool
txn_quiet(const struct txn *t)
{
	return t->quiet;
}

/* Each hook in the order added; what a hook writes is not seen by the
 * hooks (no recursion), and an error one sets stops the rest. */
static void
change_hook(struct txn *t, enum kind k, uint64_t id, const void *before, const void *after)
{
	size_t i;

	if (k == KIND_AUDIT || t->in_hook)
		return;
	t->in_hook = true;
	for (i = 0; i < t->s->nhooks && t->st == ST_OK; i++)
		t->s->hooks[i].fn(t->s->hooks[i].ctx, t, k, id, before, after);
	t->in_hook = false;
}

void
rec_to_json(enum kind k, const void *rec, struct sbuf *out)
{
	const struct codec *c = &kind_defs[k].codec;
	const char *base = rec;
	size_t i;

	sbuf_addc(out, '{');
	for (i = 0; i < c->nfields; i++) {
		const struct field_def *f = &c->fields[i];
		const void *p = base + f->off;
		if (i)
			sbuf_addc(out, ',');
		sbuf_addf(out, "\"%s\":", f->name);
		switch (f->type) {
		case FT_U64:
			sbuf_addf(out, "%llu", (unsigned long long)*(const uint64_t *)p);
			break;
		case FT_I64:
			sbuf_addf(out, "%lld", (long long)*(const int64_t *)p);
			break;
		case FT_I32:
			sbuf_addf(out, "%d", (int)*(const int32_t *)p);
			break;
		case FT_CUR:
		case FT_STR: {
			const char *sv = f->type == FT_CUR ? (const char *)p : *(char *const *)p;
			size_t nl = strlen(f->name);
			/* Secrets' hashes (passwords, invitation codes) and
			 * secrets (a webhook's) stay out of logs: only whether
			 * one is set. */
			if (sv && ((nl > 5 && strcmp(f->name + nl - 5, "_hash") == 0) ||
			    strcmp(f->name, "secret") == 0)) {
				sbuf_add(out, "\"(set)\"");
				break;
			}
			if (sv == NULL) {
				sbuf_add(out, "null");
				break;
			}
			sbuf_addc(out, '"');
			for (; *sv; sv++) {
				unsigned char ch = (unsigned char)*sv;
				if (ch == '"' || ch == '\\')
					sbuf_addf(out, "\\%c", ch);
				else if (ch < 0x20)
					sbuf_addf(out, "\\u%04x", ch);
				else
					sbuf_addc(out, (char)ch);
			}
			sbuf_addc(out, '"');
			break;
		}
		}
	}
	sbuf_addc(out, '}');
}


/* ---- records ---- */

static uint64_t *
rec_id(enum kind k, void *rec)
{
	return (uint64_t *)((char *)rec + kind_defs[k].id_off);
}

static struct meta *
rec_meta(enum kind k, void *rec)
{
	return (struct meta *)((char *)rec + kind_defs[k].meta_off);
}

size_t
rec_size(enum kind k)
{
	return kind_defs[k].codec.size;
}

void
rec_free(enum kind k, void *rec)
{
	codec_free(&kind_defs[k].codec, rec);
}

void
rec_copy(enum kind k, void *dst, const void *src)
{
	codec_copy(&kind_defs[k].codec, dst, src);
}

enum status
rec_get(struct txn *t, enum kind k, uint64_t id, void *rec)
{
	struct key key;
	struct bk_val kv, v;
	int rc;

	memset(rec, 0, rec_size(k));
	if (t->st != ST_OK)
		return t->st;
	key_init(&key);
	key_u64(&key, id);
	kv = (struct bk_val){ key.n, key.b };
	rc = t->s->bk->get(t->t, TBL_KIND(k), &kv, &v);
	if (rc == BK_NOTFOUND)
		return ST_NOTFOUND;
	if (rc != 0)
		return txn_fail_bk(t, rc, "read");
	if (codec_decode(&kind_defs[k].codec, v.p, v.n, rec) != ST_OK)
		return txn_fail(t, ST_DATA, "%s %s%llu: record cannot be decoded (newer ally, or damage: run ally check)",
		    kind_name(k), kind_prefix(k), (unsigned long long)id);
	return ST_OK;
}

/* Key of rec in index ix, complete (with the id appended for non-unique
 * indexes).  False when rec has no entry. */
static bool
index_key(enum index ix, const void *rec, uint64_t id, struct key *k)
{
	key_init(k);
	if (!index_defs[ix].key(rec, k))
		return false;
	if (!index_defs[ix].unique)
		key_u64(k, id);
	return true;
}

/* Every key of rec in index ix (one at most but for the many-keyed
 * word indexes), complete; out holds INDEX_KEYS_MAX. */
static size_t
index_keys(enum index ix, const void *rec, uint64_t id, struct key *out)
{
	size_t n, i;

	if (index_defs[ix].keys == NULL)
		return index_key(ix, rec, id, out) ? 1 : 0;
	n = index_defs[ix].keys(rec, out, INDEX_KEYS_MAX);
	for (i = 0; i < n; i++)
		key_u64(&out[i], id);
	return n;
}

static bool
key_among(const struct key *k, const struct key *set, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (set[i].n == k->n && memcmp(set[i].b, k->b, k->n) == 0)
			return true;
	return false;
}

static void
index_del(struct txn *t, enum index ix, const struct key *k)
{
	struct bk_val kv = { k->n, k->b };
	int rc = t->s->bk->del(t->t, TBL_IDX(ix), &kv);

	if (rc != 0 && rc != BK_NOTFOUND)
		txn_fail_bk(t, rc, "update index");
}

static void
index_add(struct txn *t, enum index ix, const struct key *k, uint64_t id)
{
	unsigned char idb[8];
	struct bk_val kv = { k->n, k->b }, v = { 0, idb };
	int rc, i;

	if (index_defs[ix].unique) {
		for (i = 0; i < 8; i++)
			idb[i] = (unsigned char)(id >> ((7 - i) * 8));
		v.n = 8;
		rc = t->s->bk->put(t->t, TBL_IDX(ix), &kv, &v, BK_NOOVERWRITE);
		if (rc == BK_EXISTS) {
			/* A clash: name what clashed, readably. */
			char shown[80];
			size_t n = 0, j;
			for (j = 0; j < k->n && n < sizeof shown - 1; j++) {
				unsigned char c = k->b[j];
				if (c >= 0x20 && c < 0x7f)
					shown[n++] = (char)c;
			}
			shown[n] = '\0';
			txn_fail(t, ST_EXISTS, "%s \"%s\" is already taken", index_defs[ix].what, shown);
			return;
		}
	} else {
		rc = t->s->bk->put(t->t, TBL_IDX(ix), &kv, &v, 0);
	}
	if (rc != 0)
		txn_fail_bk(t, rc, "write index");
}

void
index_fill(struct txn *t, enum index ix)
{
	enum kind k = index_defs[ix].kind;
	_Alignas(max_align_t) unsigned char buf[1024];
	struct key keys[INDEX_KEYS_MAX];
	uint64_t id;
	size_t n, i;

	if (t->st != ST_OK || rec_size(k) > sizeof buf)
		return;
	STORE_FOREACH(it, id, iter_kind(t, k, false)) {
		if (t->st != ST_OK)
			break;
		if (iter_rec(it, buf) != ST_OK)
			continue;
		n = index_keys(ix, buf, id, keys);
		for (i = 0; i < n; i++)
			index_add(t, ix, &keys[i], id);
		rec_free(k, buf);
	}
}

enum status
rec_put(struct txn *t, enum kind k, void *rec)
{
	const struct kind_def *kd = &kind_defs[k];
	uint64_t *idp = rec_id(k, rec);
	struct meta *m = rec_meta(k, rec);
	_Alignas(max_align_t) unsigned char oldbuf[1024];
	void *old = NULL;
	bool have_old = false, fresh = false;
	struct key key, nkeys[INDEX_KEYS_MAX], okeys[INDEX_KEYS_MAX];
	struct bk_val kv, v;
	int rc, ix;

	if (t->st != ST_OK)
		return t->st;
	if (!t->write)
		return txn_fail(t, ST_SOFTWARE, "write in a read transaction");
	if (*idp == 0) {
		*idp = next_id(t, k);
		m->created = clock_now();
		fresh = true;
	} else if (kd->codec.size <= sizeof oldbuf) {
		old = oldbuf;
		if (rec_get(t, k, *idp, old) == ST_OK)
			have_old = true;
		else if (t->st != ST_OK)
			return t->st;
		else
			seq_raise(t, k, *idp);
		if (m->created == 0)
			m->created = have_old ? rec_meta(k, old)->created : clock_now();
	}
	m->updated = clock_now();
	if (t->s->actor && (m->actor == NULL || strcmp(m->actor, t->s->actor) != 0)) {
		free(m->actor);
		m->actor = xstrdup(t->s->actor);
	}

	/* Entries that stay are not touched; the old ones go before the new
	 * ones come (a unique key may move from one to the other). */
	for (ix = 0; ix < IDX__COUNT; ix++) {
		size_t nn, no = 0, i;

		if (index_defs[ix].kind != k)
			continue;
		nn = index_keys((enum index)ix, rec, *idp, nkeys);
		if (have_old)
			no = index_keys((enum index)ix, old, *idp, okeys);
		for (i = 0; i < no; i++)
			if (!key_among(&okeys[i], nkeys, nn))
				index_del(t, (enum index)ix, &okeys[i]);
		for (i = 0; i < nn; i++)
			if (!key_among(&nkeys[i], okeys, no))
				index_add(t, (enum index)ix, &nkeys[i], *idp);
	}
	if (t->st != ST_OK) {
		if (have_old)
			rec_free(k, old);
		return t->st;
	}

	codec_encode(&kd->codec, rec, &t->scratch);
	key_init(&key);
	key_u64(&key, *idp);
	kv = (struct bk_val){ key.n, key.b };
	v = (struct bk_val){ t->scratch.len, t->scratch.s };
	/* a new id is above every id of the kind: appended, no search */
	rc = t->s->bk->put(t->t, TBL_KIND(k), &kv, &v, fresh ? BK_APPEND : 0);
	if (rc == BK_EXISTS && fresh)
		rc = t->s->bk->put(t->t, TBL_KIND(k), &kv, &v, 0);
	if (rc != 0) {
		if (have_old)
			rec_free(k, old);
		return txn_fail_bk(t, rc, "write");
	}
	change_hook(t, k, *idp, have_old ? old : NULL, rec);
	if (have_old)
		rec_free(k, old);
	return t->st;
}

enum status
rec_del(struct txn *t, enum kind k, uint64_t id)
{
	_Alignas(max_align_t) unsigned char oldbuf[1024];
	struct key key, keys[INDEX_KEYS_MAX];
	struct bk_val kv;
	enum status st;
	int ix, rc;
	size_t n, i;

	if (t->st != ST_OK)
		return t->st;
	if (rec_size(k) > sizeof oldbuf)
		return txn_fail(t, ST_SOFTWARE, "record too large");
	st = rec_get(t, k, id, oldbuf);
	if (st != ST_OK)
		return st;
	for (ix = 0; ix < IDX__COUNT; ix++) {
		if (index_defs[ix].kind != k)
			continue;
		n = index_keys((enum index)ix, oldbuf, id, keys);
		for (i = 0; i < n; i++)
			index_del(t, (enum index)ix, &keys[i]);
	}
	change_hook(t, k, id, oldbuf, NULL);
	rec_free(k, oldbuf);
	key_init(&key);
	key_u64(&key, id);
	kv = (struct bk_val){ key.n, key.b };
	rc = t->s->bk->del(t->t, TBL_KIND(k), &kv);
	if (rc != 0)
		return txn_fail_bk(t, rc, "delete");
	return t->st;
}

uint64_t
rec_count(struct txn *t, enum kind k)
{
	uint64_t n;

	if (t->st != ST_OK || t->s->bk->count(t->t, TBL_KIND(k), &n) != 0)
		return 0;
	return n;
}

uint64_t
idx_count(struct txn *t, enum index ix)
{
	uint64_t n;

	if (t->st != ST_OK || t->s->bk->count(t->t, TBL_IDX(ix), &n) != 0)
		return 0;
	return n;
}

const char *
idx_name(enum index ix)
{
	return index_defs[ix].name;
}

uint64_t
idx_find(struct txn *t, enum index ix, const struct key *k)
{
	struct bk_val kv = { k->n, k->b }, v;
	int rc;

	if (t->st != ST_OK || !index_defs[ix].unique)
		return 0;
	rc = t->s->bk->get(t->t, TBL_IDX(ix), &kv, &v);
	if (rc == BK_NOTFOUND)
		return 0;
	if (rc != 0) {
		txn_fail_bk(t, rc, "read index");
		return 0;
	}
	if (v.n != 8)
		return 0;
	return store_be64(v.p);
}


/* ---- verification ---- */

/* rec_get that leaves the transaction usable when a record is damaged:
 * verification goes on to report everything. */
static enum status
get_quiet(struct txn *t, enum kind k, uint64_t id, void *rec)
{
	struct key key;
	struct bk_val kv, v;

	key_init(&key);
	key_u64(&key, id);
	kv = (struct bk_val){ key.n, key.b };
	if (t->s->bk->get(t->t, TBL_KIND(k), &kv, &v) != 0)
		return ST_NOTFOUND;
	return codec_decode(&kind_defs[k].codec, v.p, v.n, rec);
}

/* A record's problems: its key, its decoding, its id, its index entries. */
static uint64_t
verify_record(struct txn *t, enum kind k, const struct bk_val *kv, const struct bk_val *v,
    void (*report)(void *ctx, const char *line), void *ctx)
{
	_Alignas(max_align_t) unsigned char rec[1024];
	char line[600];
	uint64_t problems = 0, id;
	struct key keys[INDEX_KEYS_MAX];
	int ix;
	size_t n, i;

	if (kv->n != 8) {
		snprintf(line, sizeof line, "%s: key of %zu bytes", kind_defs[k].table, kv->n);
		report(ctx, line);
		return 1;
	}
	id = store_be64(kv->p);
	if (codec_decode(&kind_defs[k].codec, v->p, v->n, rec) != ST_OK) {
		snprintf(line, sizeof line, "%s %s%llu: record cannot be decoded",
		    kind_name(k), kind_prefix(k), (unsigned long long)id);
		report(ctx, line);
		return 1;
	}
	if (*rec_id(k, rec) != id) {
		snprintf(line, sizeof line, "%s %s%llu: stored under another id",
		    kind_name(k), kind_prefix(k), (unsigned long long)id);
		report(ctx, line);
		problems++;
	}
	for (ix = 0; ix < IDX__COUNT; ix++) {
		if (index_defs[ix].kind != k)
			continue;
		n = index_keys((enum index)ix, rec, id, keys);
		for (i = 0; i < n; i++) {
			struct bk_val ik = { keys[i].n, keys[i].b }, iv;
			if (t->s->bk->get(t->t, TBL_IDX(ix), &ik, &iv) == 0 &&
			    (!index_defs[ix].unique || (iv.n == 8 && store_be64(iv.p) == id)))
				continue;
			snprintf(line, sizeof line, "%s %s%llu: missing from index %s",
			    kind_name(k), kind_prefix(k), (unsigned long long)id, index_defs[ix].name);
			report(ctx, line);
			problems++;
			break;
		}
	}
	rec_free(k, rec);
	return problems;
}

/* Every index entry must point at a record that produces it. */
static uint64_t
verify_index(struct txn *t, enum index ix, void (*report)(void *ctx, const char *line), void *ctx)
{
	_Alignas(max_align_t) unsigned char rec[1024];
	enum kind k = index_defs[ix].kind;
	char line[600];
	uint64_t problems = 0, id;

	STORE_FOREACH(it, id, iter_index(t, ix, NULL, false)) {
		struct key keys[INDEX_KEYS_MAX], found;
		size_t kl;
		const unsigned char *kb = iter_key(it, &kl);
		bool ok = false;
		if (kl <= sizeof found.b && get_quiet(t, k, id, rec) == ST_OK) {
			memcpy(found.b, kb, kl);
			found.n = kl;
			ok = key_among(&found, keys, index_keys(ix, rec, id, keys));
			rec_free(k, rec);
		}
		if (!ok) {
			snprintf(line, sizeof line, "index %s: stale entry for %s%llu",
			    index_defs[ix].name, kind_prefix(k), (unsigned long long)id);
			report(ctx, line);
			problems++;
		}
	}
	return problems;
}

uint64_t
store_verify(struct txn *t, void (*report)(void *ctx, const char *line), void *ctx)
{
	uint64_t problems = 0;
	int k, ix;

	for (k = 0; k < KIND__COUNT; k++) {
		struct bk_cursor *c;
		struct bk_val kv = { 0, NULL }, v;
		int rc;

		if (t->s->bk->cursor_open(t->t, TBL_KIND(k), &c) != 0)
			continue;
		for (rc = t->s->bk->cursor_get(c, BK_FIRST, &kv, &v); rc == 0;
		     rc = t->s->bk->cursor_get(c, BK_NEXT, &kv, &v))
			problems += verify_record(t, (enum kind)k, &kv, &v, report, ctx);
		t->s->bk->cursor_close(c);
	}
	for (ix = 0; ix < IDX__COUNT; ix++)
		problems += verify_index(t, (enum index)ix, report, ctx);
	return problems;
}
