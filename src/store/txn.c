/*
 * txn.c - opening a store on a backend, the schema check, sticky-error
 * transactions, store_write's retry when the map is full, and the meta
 * table.
 *
 * One idea to hold on to: a struct txn remembers its first failure; callers
 * do a run of gets and puts and check once, at commit.  Map growth is
 * handled here, by store_write() asking the backend to grow and re-running
 * its callback.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/priv.h"
#include "store/store_int.h"

/* Address space only (see NOTES.md); tests set a small one to exercise
 * growth. */
static size_t map_initial = (size_t)1 << 30;

/* ---- sticky errors ---- */

enum status
txn_fail_bk(struct txn *t, int rc, const char *what)
{
	if (t->st != ST_OK)
		return t->st;
	t->st = t->s->bk->status(rc);
	t->bk_rc = rc;
	snprintf(t->msg, sizeof t->msg, "%s: %s", what, t->s->bk->reason(rc));
	return t->st;
}

enum status
txn_fail(struct txn *t, enum status st, const char *fmt, ...)
{
	va_list ap;

	if (t->st != ST_OK)
		return t->st;
	t->st = st;
	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	return st;
}

enum status
txn_status(const struct txn *t)
{
	return t->st;
}

const char *
txn_message(const struct txn *t)
{
	return t->msg;
}

struct store *
txn_store(struct txn *t)
{
	return t->s;
}

/* ---- opening ---- */

/* Table names, numbered as TBL_* says. */
static const char *const *
table_names(void)
{
	static const char *names[TBL__COUNT];
	int i;

	if (names[0] == NULL) {
		for (i = 0; i < KIND__COUNT; i++)
			names[TBL_KIND(i)] = kind_defs[i].table;
		for (i = 0; i < IDX__COUNT; i++)
			names[TBL_IDX(i)] = index_defs[i].name;
		names[TBL_COUNTER] = "rollup";
		names[TBL_META] = "meta";
	}
	return names;
}

/* An index a newer ally added to an older database starts with the
 * entries of the records already there. */
static enum status
fill_write(struct txn *t, void *ctx)
{
	struct store *s = ctx;
	int i;

	for (i = 0; i < IDX__COUNT && t->st == ST_OK; i++)
		if (s->fresh[TBL_IDX(i)])
			index_fill(t, (enum index)i);
	return t->st;
}

static enum status
fill_fresh(struct store *s, struct err *e)
{
	enum status st;
	bool rdonly;
	int i;

	for (i = 0; i < IDX__COUNT && !s->fresh[TBL_IDX(i)]; i++)
		;
	if (i == IDX__COUNT)
		return ST_OK;
	/* in one write, which grows the map as a big database needs (also
	 * when this process opened it to read: the index is the store's own) */
	rdonly = s->rdonly;
	s->rdonly = false;
	st = store_write(s, fill_write, s, e);
	s->rdonly = rdonly;
	if (st != ST_OK) {
		err_prefix(e, "open %s: fill a new index", s->path);
		return st;
	}
	memset(s->fresh, 0, sizeof s->fresh);
	return ST_OK;
}

static enum status
check_schema(struct store *s, int flags, struct err *e)
{
	struct txn *t = txn_begin_read(s);
	uint32_t v = 0;
	enum status st;

	st = meta_get(t, "schema", &v, sizeof v);
	txn_end(t);
	if (st == ST_NOTFOUND) {
		if (!(flags & STORE_CREATE))
			return err_set(e, ST_NOINPUT, "open %s: not an ally database (run ally init)", s->path);
		return ST_OK;     /* a new database: ally init writes it */
	}
	if (st != ST_OK)
		return err_set(e, st, "open %s: cannot read the schema version", s->path);
	if (v > STORE_SCHEMA)
		return err_set(e, ST_CONFIG, "open %s: database schema %u is newer than this ally knows (%d): upgrade ally",
		    s->path, v, STORE_SCHEMA);
	/* Migrations from older schemas would run here, in order; schema 1 is
	 * the first. */
	return ST_OK;
}

static enum status
open_on(const struct store_backend *bk, const char *dir, int flags, struct store **out,
    struct err *e)
{
	struct store *s = xcalloc(1, sizeof *s);
	struct bk_open o = {
		.dir = dir, .flags = flags, .mapsize = map_initial,
		.tables = table_names(), .ntables = TBL__COUNT, .fresh = s->fresh,
	};

	*out = NULL;
	s->bk = bk;
	s->path = xstrdup(dir ? dir : "(memory)");
	s->rdonly = (flags & STORE_RDONLY) != 0;
	if (bk->open(&o, &s->env, e) != ST_OK || check_schema(s, flags, e) != ST_OK ||
	    fill_fresh(s, e) != ST_OK) {
		store_close(s);
		return e ? e->st : ST_SOFTWARE;
	}
	*out = s;
	return ST_OK;
}

enum status
store_open(const char *dir, int flags, struct store **out, struct err *e)
{
	return open_on(&store_backend_lmdb, dir, flags, out, e);
}

enum status
store_open_mem(struct store **out, struct err *e)
{
	return open_on(&store_backend_mem, NULL, STORE_CREATE, out, e);
}

const char *
store_backend_name(const struct store *s)
{
	return s->bk->name;
}

void
store_set_initial_mapsize(size_t bytes)
{
	map_initial = bytes;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	if (s->env)
		s->bk->close(s->env);
	free(s->hooks);
	free(s->path);
	free(s->actor);
	free(s);
}

const char *
store_path(const struct store *s)
{
	return s->path;
}

void
store_set_actor(struct store *s, const char *login)
{
	free(s->actor);
	s->actor = login ? xstrdup(login) : NULL;
}

uint64_t
store_last_txnid(struct store *s)
{
	return s->bk->last_txnid(s->env);
}

uint64_t
txn_snapshot(struct txn *t)
{
	return t->t != NULL ? t->s->bk->txn_id(t->t) : store_last_txnid(t->s);
}

void
store_sizes(struct store *s, uint64_t *file_bytes, uint64_t *map_bytes)
{
	s->bk->sizes(s->env, file_bytes, map_bytes);
}

/* A path the person named: created with their rights, beside the target,
 * never through a link, and renamed into place only when complete. */
enum status
store_backup(struct store *s, const char *path, struct err *e)
{
	struct outfile o;
	int rc;

	if (outfile_open(&o, path, true, 0640, "backup ", e) != ST_OK)
		return e ? e->st : ST_CANTCREAT;
	rc = s->bk->backup(s->env, fileno(o.f));
	if (rc != 0) {
		enum status st = s->bk->status(rc) == ST_IOERR ? ST_IOERR : ST_CANTCREAT;
		outfile_abort(&o);
		return err_set(e, st, "backup %s: %s", path, s->bk->reason(rc));
	}
	return outfile_commit(&o, "backup ", e);
}

void
store_set_nosync(struct store *s, bool nosync)
{
	s->bk->set_nosync(s->env, nosync);
}

enum status
store_sync(struct store *s, struct err *e)
{
	int rc = s->bk->sync(s->env);

	if (rc != 0)
		return err_set(e, s->bk->status(rc), "sync %s: %s", s->path, s->bk->reason(rc));
	return ST_OK;
}

/* ---- transactions ---- */

struct txn *
txn_new(struct store *s, bool write)
{
	struct txn *t = xcalloc(1, sizeof *t);
	int rc;

	t->s = s;
	t->write = write;
	sbuf_init(&t->scratch);
	rc = s->bk->txn_begin(s->env, write, &t->t);
	if (rc != 0) {
		t->t = NULL;
		txn_fail_bk(t, rc, write ? "begin write" : "begin read");
	}
	return t;
}

struct txn *
txn_begin_read(struct store *s)
{
	return txn_new(s, false);
}

void
txn_end(struct txn *t)
{
	if (t == NULL)
		return;
	if (t->t)
		t->s->bk->txn_abort(t->t);
	counter_cache_free(t);
	sbuf_free(&t->scratch);
	free(t);
}

/* The callback's outcome, put into e; true when the map was full and a
 * grown map may let it through. */
static bool
failed(struct txn *t, enum status st, struct err *e)
{
	if (t->bk_rc == BK_FULL)
		return true;
	if (t->st != ST_OK)
		err_set(e, t->st, "%s", t->msg);
	else if (e && e->st == ST_OK)
		err_set(e, st, "%s", status_str(st));
	else if (e)
		e->st = st;
	return false;
}

enum status
store_write(struct store *s, enum status (*fn)(struct txn *t, void *ctx), void *ctx,
    struct err *e)
{
	int attempt;

	if (s->rdonly)
		return err_set(e, ST_NOPERM, "write %s: database opened read-only", s->path);
	for (attempt = 0; attempt < 8; attempt++) {
		struct txn *t = txn_new(s, true);
		enum status st = t->st;
		int rc;

		if (st == ST_OK)
			st = fn(t, ctx);
		if (st == ST_OK && t->st == ST_OK && s->commit_hook)
			s->commit_hook(s->commit_ctx, t);
		if (st == ST_OK && counter_flush(t) == ST_OK)
			seq_flush(t);
		if (st == ST_OK)
			st = t->st;
		if (st != ST_OK) {
			bool full = failed(t, st, e);
			txn_end(t);
			if (full && s->bk->grow(s->env) == 0)
				continue;
			if (full)
				return err_set(e, ST_IOERR, "write %s: the database map cannot grow", s->path);
			return st;
		}
		rc = s->bk->txn_commit(t->t);
		t->t = NULL;
		txn_end(t);
		if (rc == BK_FULL && s->bk->grow(s->env) == 0)
			continue;
		if (rc != 0)
			return err_set(e, s->bk->status(rc), "commit to %s: %s", s->path, s->bk->reason(rc));
		return ST_OK;
	}
	return err_set(e, ST_TEMPFAIL, "write %s: gave up after growing the map repeatedly", s->path);
}

/* ---- meta ---- */

enum status
meta_get(struct txn *t, const char *name, void *val, size_t len)
{
	struct bk_val k = { strlen(name), name }, v;
	int rc;

	if (t->st != ST_OK)
		return t->st;
	rc = t->s->bk->get(t->t, TBL_META, &k, &v);
	if (rc == BK_NOTFOUND)
		return ST_NOTFOUND;
	if (rc != 0)
		return txn_fail_bk(t, rc, "read meta");
	if (v.n != len)
		return txn_fail(t, ST_DATA, "meta %s: unexpected size %zu", name, v.n);
	memcpy(val, v.p, len);
	return ST_OK;
}

enum status
meta_seek(struct txn *t, const char *prefix, const char *from, char *name, size_t namelen,
    void *val, size_t len)
{
	struct bk_cursor *c;
	struct bk_val k = { strlen(from), from }, v;
	size_t plen = strlen(prefix);
	int rc;

	if (t->st != ST_OK)
		return t->st;
	if ((rc = t->s->bk->cursor_open(t->t, TBL_META, &c)) != 0)
		return txn_fail_bk(t, rc, "open meta cursor");
	rc = t->s->bk->cursor_get(c, BK_SEEK, &k, &v);
	t->s->bk->cursor_close(c);
	if (rc == BK_NOTFOUND || (rc == 0 && (k.n < plen || memcmp(k.p, prefix, plen) != 0)))
		return ST_NOTFOUND;
	if (rc != 0)
		return txn_fail_bk(t, rc, "read meta");
	if (v.n != len || k.n >= namelen)
		return txn_fail(t, ST_DATA, "meta %.*s: unexpected size %zu", (int)(k.n < 64 ? k.n : 64),
		    (const char *)k.p, v.n);
	memcpy(name, k.p, k.n);
	name[k.n] = '\0';
	memcpy(val, v.p, len);
	return ST_OK;
}

enum status
meta_put(struct txn *t, const char *name, const void *val, size_t len)
{
	struct bk_val k = { strlen(name), name }, v = { len, val };
	int rc;

	if (t->st != ST_OK)
		return t->st;
	rc = t->s->bk->put(t->t, TBL_META, &k, &v, 0);
	if (rc != 0)
		return txn_fail_bk(t, rc, "write meta");
	return ST_OK;
}
