/*
 * mem.c - the in-memory backend of store/, for tests: each table a sorted
 * array of (key, value) byte strings, compared as LMDB compares them
 * (bytes, then length).
 *
 * One writer at a time.  A write transaction changes the arrays in place
 * and keeps an undo log of what each put and del replaced; abort replays
 * it backwards, so an aborted transaction leaves nothing.  Values handed
 * out stay valid until the transaction ends (a replaced value moves into
 * the log).  A read transaction opened while a write is under way sees
 * that write's changes: nothing in ally does that in one process.
 *
 * A "map size" is kept too: puts fail with BK_FULL once the live keys and
 * values would pass it, and grow doubles it, so the record layer's retry
 * on a full map is tested on this backend as well.  Cursors remember the
 * key they stand on, not a position, so writes under a walk are safe.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "store/store_int.h"

#define ENTRY_OVERHEAD 16       /* counted per entry against the map size */

struct ent {
	unsigned char *k, *v;
	size_t kn, vn;
};

struct tbl {
	struct ent *e;
	size_t n, cap;
};

struct bk_env {
	struct tbl t[TBL__COUNT];
	size_t mapsize, used;
	uint64_t txnid;
	bool writing;
};

/* The state of one key before a change: had false, it was absent. */
struct undo {
	int table;
	struct ent old;
	bool had;
};

struct bk_txn {
	struct bk_env *env;
	bool write;
	struct undo *u;
	size_t nu, cap;
};

struct bk_cursor {
	struct bk_txn *t;
	int table;
	unsigned char *k;       /* the key it stands on (a copy) */
	size_t kn;
	bool pos;
};

static int
cmp(const void *a, size_t an, const void *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	if (c != 0)
		return c;
	return an < bn ? -1 : an > bn;
}

/* Index of the first entry >= key (strictly > with after). */
static size_t
bound(const struct tbl *t, const void *k, size_t kn, bool after)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp(t->e[mid].k, t->e[mid].kn, k, kn);
		if (c < 0 || (after && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool
find(const struct tbl *t, const struct bk_val *k, size_t *at)
{
	*at = bound(t, k->p, k->n, false);
	return *at < t->n && cmp(t->e[*at].k, t->e[*at].kn, k->p, k->n) == 0;
}

static unsigned char *
dup(const void *p, size_t n)
{
	unsigned char *d = xmalloc(n ? n : 1);

	if (n)
		memcpy(d, p, n);
	return d;
}

static void
ent_free(struct ent *e)
{
	free(e->k);
	free(e->v);
}

static size_t
ent_size(const struct ent *e)
{
	return e->kn + e->vn + ENTRY_OVERHEAD;
}

/* Raw edits, no log: insert e at position at, or remove the entry there
 * (its buffers are the caller's). */
static void
tbl_insert(struct bk_env *env, struct tbl *t, size_t at, struct ent e)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->e = xrealloc(t->e, t->cap * sizeof *t->e);
	}
	memmove(t->e + at + 1, t->e + at, (t->n - at) * sizeof *t->e);
	t->e[at] = e;
	t->n++;
	env->used += ent_size(&e);
}

static struct ent
tbl_remove(struct bk_env *env, struct tbl *t, size_t at)
{
	struct ent e = t->e[at];

	memmove(t->e + at, t->e + at + 1, (t->n - at - 1) * sizeof *t->e);
	t->n--;
	env->used -= ent_size(&e);
	return e;
}

static void
log_push(struct bk_txn *t, int table, struct ent old, bool had)
{
	if (t->nu == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->u = xrealloc(t->u, t->cap * sizeof *t->u);
	}
	t->u[t->nu++] = (struct undo){ .table = table, .old = old, .had = had };
}

/* ---- environment and transactions ---- */

static enum status
mem_open(const struct bk_open *o, struct bk_env **out, struct err *e)
{
	struct bk_env *env = xcalloc(1, sizeof *env);

	(void)e;
	env->mapsize = o->mapsize;
	*out = env;
	return ST_OK;
}

static void
mem_close(struct bk_env *env)
{
	size_t i, j;

	if (env == NULL)
		return;
	for (i = 0; i < TBL__COUNT; i++) {
		for (j = 0; j < env->t[i].n; j++)
			ent_free(&env->t[i].e[j]);
		free(env->t[i].e);
	}
	free(env);
}

static int
mem_txn_begin(struct bk_env *env, bool write, struct bk_txn **out)
{
	struct bk_txn *t;

	*out = NULL;
	if (write && env->writing)
		return EBUSY;
	t = xcalloc(1, sizeof *t);
	t->env = env;
	t->write = write;
	env->writing |= write;
	*out = t;
	return 0;
}

static void
txn_free(struct bk_txn *t)
{
	if (t->write)
		t->env->writing = false;
	free(t->u);
	free(t);
}

static int
mem_txn_commit(struct bk_txn *t)
{
	size_t i;

	for (i = 0; i < t->nu; i++)
		if (t->u[i].had)
			ent_free(&t->u[i].old);
		else
			free(t->u[i].old.k);
	if (t->nu > 0)
		t->env->txnid++;
	txn_free(t);
	return 0;
}

static void
mem_txn_abort(struct bk_txn *t)
{
	size_t i = t->nu, at;

	while (i-- > 0) {
		struct undo *u = &t->u[i];
		struct tbl *tb = &t->env->t[u->table];
		struct bk_val k = { u->old.kn, u->old.k };
		if (find(tb, &k, &at)) {
			struct ent now = tbl_remove(t->env, tb, at);
			ent_free(&now);
		}
		if (u->had)
			tbl_insert(t->env, tb, at, u->old);
		else
			free(u->old.k);
	}
	txn_free(t);
}

/* ---- tables ---- */

static int
mem_get(struct bk_txn *t, int table, const struct bk_val *k, struct bk_val *v)
{
	const struct tbl *tb = &t->env->t[table];
	size_t at;

	if (!find(tb, k, &at))
		return BK_NOTFOUND;
	v->n = tb->e[at].vn;
	v->p = tb->e[at].v;
	return 0;
}

static int
mem_put(struct bk_txn *t, int table, const struct bk_val *k, const struct bk_val *v, unsigned flags)
{
	struct tbl *tb = &t->env->t[table];
	struct ent e = { NULL, NULL, k->n, v->n };
	size_t at, freed = 0;
	bool had;

	if (!t->write)
		return EACCES;
	had = find(tb, k, &at);
	if (had && (flags & BK_NOOVERWRITE))
		return BK_EXISTS;
	if (had)
		freed = ent_size(&tb->e[at]);
	if (t->env->used - freed + ent_size(&e) > t->env->mapsize)
		return BK_FULL;
	e.k = dup(k->p, k->n);
	e.v = dup(v->p, v->n);
	if (had) {
		log_push(t, table, tbl_remove(t->env, tb, at), true);
	} else {
		struct ent key = { dup(k->p, k->n), NULL, k->n, 0 };
		log_push(t, table, key, false);
	}
	tbl_insert(t->env, tb, at, e);
	return 0;
}

static int
mem_del(struct bk_txn *t, int table, const struct bk_val *k)
{
	struct tbl *tb = &t->env->t[table];
	size_t at;

	if (!t->write)
		return EACCES;
	if (!find(tb, k, &at))
		return BK_NOTFOUND;
	log_push(t, table, tbl_remove(t->env, tb, at), true);
	return 0;
}

static int
mem_drop(struct bk_txn *t, int table)
{
	struct tbl *tb = &t->env->t[table];

	if (!t->write)
		return EACCES;
	while (tb->n > 0)
		log_push(t, table, tbl_remove(t->env, tb, tb->n - 1), true);
	return 0;
}

static int
mem_count(struct bk_txn *t, int table, uint64_t *n)
{
	*n = t->env->t[table].n;
	return 0;
}

/* ---- cursors ---- */

static int
mem_cursor_open(struct bk_txn *t, int table, struct bk_cursor **out)
{
	struct bk_cursor *c = xcalloc(1, sizeof *c);

	c->t = t;
	c->table = table;
	*out = c;
	return 0;
}

static void
mem_cursor_close(struct bk_cursor *c)
{
	if (c == NULL)
		return;
	free(c->k);
	free(c);
}

static int
mem_cursor_get(struct bk_cursor *c, enum bk_op op, struct bk_val *k, struct bk_val *v)
{
	const struct tbl *tb = &c->t->env->t[c->table];
	size_t at;

	if (!c->pos && (op == BK_NEXT || op == BK_PREV))
		op = op == BK_NEXT ? BK_FIRST : BK_LAST;
	switch (op) {
	case BK_FIRST:
		at = 0;
		break;
	case BK_LAST:
		at = tb->n ? tb->n - 1 : tb->n;
		break;
	case BK_SEEK:
		at = bound(tb, k->p, k->n, false);
		break;
	case BK_NEXT:
		at = bound(tb, c->k, c->kn, true);
		break;
	default:        /* BK_PREV */
		at = bound(tb, c->k, c->kn, false);
		at = at ? at - 1 : tb->n;
		break;
	}
	if (at >= tb->n)
		return BK_NOTFOUND;
	free(c->k);
	c->k = dup(tb->e[at].k, tb->e[at].kn);
	c->kn = tb->e[at].kn;
	c->pos = true;
	k->n = tb->e[at].kn;
	k->p = tb->e[at].k;
	v->n = tb->e[at].vn;
	v->p = tb->e[at].v;
	return 0;
}

/* ---- the environment ---- */

static uint64_t
mem_last_txnid(struct bk_env *env)
{
	return env->txnid;
}

static uint64_t
mem_txn_id(struct bk_txn *t)
{
	return t->env->txnid;
}

static void
mem_sizes(struct bk_env *env, uint64_t *used, uint64_t *map)
{
	*used = env->used;
	*map = env->mapsize;
}

static int
mem_sync(struct bk_env *env)
{
	(void)env;
	return 0;
}

static void
mem_set_nosync(struct bk_env *env, bool nosync)
{
	(void)env;
	(void)nosync;
}

static int
mem_backup(struct bk_env *env, int fd)
{
	(void)env;
	(void)fd;
	return ENOTSUP;
}

static int
mem_grow(struct bk_env *env)
{
	env->mapsize *= 2;
	return 0;
}

static enum status
mem_status(int rc)
{
	switch (rc) {
	case 0:
		return ST_OK;
	case BK_NOTFOUND:
		return ST_NOTFOUND;
	case BK_EXISTS:
		return ST_EXISTS;
	case BK_FULL:
	case EBUSY:
		return ST_TEMPFAIL;
	case EACCES:
		return ST_NOPERM;
	default:
		return ST_SOFTWARE;
	}
}

static const char *
mem_reason(int rc)
{
	switch (rc) {
	case BK_NOTFOUND:
		return "not found";
	case BK_EXISTS:
		return "key exists";
	case BK_FULL:
		return "database map full";
	case EBUSY:
		return "another write transaction is open";
	case EACCES:
		return "write in a read transaction";
	case ENOTSUP:
		return "a memory database has no file to copy";
	default:
		return "memory backend error";
	}
}

const struct store_backend store_backend_mem = {
	.name = "memory",
	.open = mem_open,
	.close = mem_close,
	.txn_begin = mem_txn_begin,
	.txn_commit = mem_txn_commit,
	.txn_abort = mem_txn_abort,
	.get = mem_get,
	.put = mem_put,
	.del = mem_del,
	.drop = mem_drop,
	.count = mem_count,
	.cursor_open = mem_cursor_open,
	.cursor_close = mem_cursor_close,
	.cursor_get = mem_cursor_get,
	.last_txnid = mem_last_txnid,
	.txn_id = mem_txn_id,
	.sizes = mem_sizes,
	.sync = mem_sync,
	.set_nosync = mem_set_nosync,
	.backup = mem_backup,
	.grow = mem_grow,
	.status = mem_status,
	.reason = mem_reason,
};
