/*
 * store.c - the LMDB environment, sticky-error transactions, records and
 * their indexes.  The only file that includes lmdb.h.
 *
 * One idea to hold on to: a struct txn remembers its first failure; callers
 * do a run of gets and puts and check once, at commit.  Map growth is
 * handled here, by store_write() re-running its callback.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <lmdb.h>

#include "core/alloc.h"
#include "core/priv.h"
#include "core/clock.h"
#include "store/kinds.h"
#include "store/store.h"

/* Address space only (see NOTES.md); tests set a small one to exercise
 * growth. */
static size_t map_initial = (size_t)1 << 30;
#define MAX_DBS 64

struct store {
	MDB_env *env;
	char *path;
	char *actor;
	bool rdonly;            /* no store_write */
	bool env_rdonly;        /* the files themselves could only be opened read-only */
	bool nosync;
	MDB_dbi meta;
	MDB_dbi kinds[KIND__COUNT];
	MDB_dbi idx[IDX__COUNT];
	MDB_dbi rollup;
	store_change_fn hook;
	void *hook_ctx;
	store_commit_fn commit_hook;
	void *commit_ctx;
	bool fresh[IDX__COUNT];  /* index tables this open created in an older database */
};

struct txn {
	struct store *s;
	MDB_txn *t;
	bool write;
	enum status st;
	int mdb_rc;             /* the MDB code behind st, if any */
	char msg[512];
	struct sbuf scratch;
	char action[64];
	bool quiet;
	bool in_hook;
};

struct iter {
	struct txn *t;
	MDB_cursor *c;
	enum kind kind;         /* for record iterators */
	bool is_index;
	bool unique;
	bool reverse;
	bool started;
	bool done;
	struct key prefix;
	struct key from;        /* forward walks: start here (n == 0: at the prefix) */
	bool rollup;            /* values are counters: iter_next yields no id */
	MDB_val k, v;
};

/* ---- status mapping ---- */

static enum status
mdb_status(int rc)
{
	switch (rc) {
	case MDB_SUCCESS:
		return ST_OK;
	case MDB_NOTFOUND:
		return ST_NOTFOUND;
	case MDB_KEYEXIST:
		return ST_EXISTS;
	case MDB_MAP_FULL:
	case MDB_READERS_FULL:
	case MDB_MAP_RESIZED:
	case MDB_TXN_FULL:
	case MDB_DBS_FULL:
		return ST_TEMPFAIL;
	case MDB_CORRUPTED:
	case MDB_PAGE_NOTFOUND:
	case MDB_INVALID:
	case MDB_VERSION_MISMATCH:
	case MDB_BAD_TXN:
		return ST_DATA;
	case EACCES:
	case EROFS:
		return ST_NOPERM;
	case ENOSPC:
	case EIO:
		return ST_IOERR;
	case ENOENT:
		return ST_NOINPUT;
	default:
		return ST_SOFTWARE;
	}
}

static const char *
mdb_reason(int rc)
{
	switch (rc) {
	case ENOSPC:
		return "disk full (nothing of this action was saved)";
	case MDB_MAP_FULL:
		return "database map full";
	case EACCES:
		return "permission denied";
	case EROFS:
		return "read-only file system";
	default:
		return mdb_strerror(rc);
	}
}

static enum status
txn_fail_mdb(struct txn *t, int rc, const char *what)
{
	if (t->st != ST_OK)
		return t->st;
	t->st = mdb_status(rc);
	t->mdb_rc = rc;
	snprintf(t->msg, sizeof t->msg, "%s: %s", what, mdb_reason(rc));
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

/* ---- keys ---- */

void
key_init(struct key *k)
{
	k->n = 0;
}

void
key_u64(struct key *k, uint64_t v)
{
	int i;

	if (k->n + 8 > STORE_KEY_MAX)
		return;
	for (i = 7; i >= 0; i--)
		k->b[k->n++] = (unsigned char)(v >> (i * 8));
}

void
key_i64(struct key *k, int64_t v)
{
	key_u64(k, (uint64_t)v ^ ((uint64_t)1 << 63));
}

static uint64_t
be64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

uint64_t
key_read_u64(const unsigned char *p)
{
	return be64(p);
}

int64_t
key_read_i64(const unsigned char *p)
{
	return (int64_t)(be64(p) ^ ((uint64_t)1 << 63));
}

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


/* ---- environment ---- */

static enum status
open_dbis(struct store *s, bool create, struct err *e)
{
	MDB_txn *t;
	/* Tables a newer ally added are created when an older database is
	 * opened with write access (a schema-1 database only ever gains
	 * tables); "meta" is only made by ally init. */
	bool upgrade = false;
	unsigned tflags;
	int rc, i;

again:
	/* A read transaction unless there is something to create: opening
	 * must not wait behind another process's write. */
	tflags = (create || upgrade) && !s->env_rdonly ? MDB_CREATE : 0;
	rc = mdb_txn_begin(s->env, NULL, tflags ? 0 : MDB_RDONLY, &t);
	if (rc != 0)
		return err_set(e, mdb_status(rc), "open %s: %s", s->path, mdb_reason(rc));
	rc = mdb_dbi_open(t, "meta", create ? tflags : 0, &s->meta);
	if (rc == MDB_NOTFOUND) {
		mdb_txn_abort(t);
		return err_set(e, ST_NOINPUT, "open %s: not an ally database (run ally init)", s->path);
	}
	for (i = 0; rc == 0 && i < KIND__COUNT; i++)
		rc = mdb_dbi_open(t, kind_defs[i].table, tflags, &s->kinds[i]);
	for (i = 0; rc == 0 && i < IDX__COUNT; i++) {
		rc = mdb_dbi_open(t, index_defs[i].name, upgrade ? 0 : tflags, &s->idx[i]);
		if (rc == MDB_NOTFOUND && upgrade && tflags) {
			s->fresh[i] = true;
			rc = mdb_dbi_open(t, index_defs[i].name, tflags, &s->idx[i]);
		}
	}
	if (rc == 0)
		rc = mdb_dbi_open(t, "rollup", tflags, &s->rollup);
	if (rc == MDB_NOTFOUND) {
		mdb_txn_abort(t);
		if (!upgrade && !s->env_rdonly) {
			upgrade = true;
			goto again;
		}
		return err_set(e, ST_NOPERM, "open %s: the database needs tables of this ally version: "
		    "open it once with write access", s->path);
	}
	if (rc != 0) {
		mdb_txn_abort(t);
		return err_set(e, mdb_status(rc), "open %s: %s", s->path, mdb_reason(rc));
	}
	rc = mdb_txn_commit(t);
	if (rc != 0)
		return err_set(e, mdb_status(rc), "open %s: %s", s->path, mdb_reason(rc));
	return ST_OK;
}

static struct txn *txn_new(struct store *s, bool write);
static void index_fill(struct txn *t, enum index ix);

/* An index a newer ally added to an older database starts with the
 * entries of the records already there. */
static enum status
fill_fresh(struct store *s, struct err *e)
{
	struct txn *t = NULL;
	int i, rc;

	for (i = 0; i < IDX__COUNT; i++) {
		if (!s->fresh[i])
			continue;
		if (t == NULL && (t = txn_new(s, true))->st != ST_OK)
			break;
		index_fill(t, (enum index)i);
	}
	if (t == NULL)
		return ST_OK;
	if (t->st != ST_OK) {
		err_set(e, t->st, "open %s: fill a new index: %s", s->path, t->msg);
		txn_end(t);
		return e ? e->st : ST_IOERR;
	}
	rc = mdb_txn_commit(t->t);
	t->t = NULL;
	txn_end(t);
	if (rc != 0)
		return err_set(e, mdb_status(rc), "open %s: fill a new index: %s", s->path, mdb_reason(rc));
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

enum status
store_open(const char *dir, int flags, struct store **out, struct err *e)
{
	struct store *s;
	struct stat sb;
	int rc, dead = 0;
	unsigned envflags = MDB_NOTLS;
	bool shared;
	mode_t old_mask = 0;

	*out = NULL;
	if (stat(dir, &sb) != 0) {
		if (errno != ENOENT || !(flags & STORE_CREATE))
			return err_set(e, ST_NOINPUT, "open %s: %s%s", dir, strerror(errno),
			    errno == ENOENT ? " (run ally init)" : "");
		if (mkdir(dir, 0770) != 0 && errno != EEXIST)
			return err_set(e, ST_CANTCREAT, "create %s: %s", dir, strerror(errno));
		if (stat(dir, &sb) != 0)
			return err_set(e, ST_CANTCREAT, "create %s: %s", dir, strerror(errno));
	}
	if (!S_ISDIR(sb.st_mode))
		return err_set(e, ST_NOINPUT, "open %s: not a directory", dir);
	if (!(flags & STORE_CREATE)) {
		/* Opening must never create a database as a side effect. */
		/* stat, not access: access(2) asks with the real ids, and a
		 * setgid ally reaches the directory only through its group */
		char *data = xasprintf("%s/data.mdb", dir);
		struct stat db_sb;
		int missing = stat(data, &db_sb) != 0;
		free(data);
		if (missing)
			return err_set(e, ST_NOINPUT, "open %s: not an ally database (run ally init)", dir);
	}
	/* A shared database lives in a setgid group directory (or we run
	 * setgid): files we create there (lock.mdb included) must be 0660,
	 * whatever the person's umask; their own files keep their umask. */
	shared = (sb.st_mode & S_ISGID) != 0 || priv_setgid();
	if (shared)
		old_mask = umask(007);

	s = xcalloc(1, sizeof *s);
	s->path = xstrdup(dir);
	s->rdonly = (flags & STORE_RDONLY) != 0;
	rc = mdb_env_create(&s->env);
	if (rc == 0)
		rc = mdb_env_set_maxdbs(s->env, MAX_DBS);
	if (rc == 0)
		rc = mdb_env_set_mapsize(s->env, map_initial);
	if (rc == 0)
		rc = mdb_env_set_maxreaders(s->env, 256);
	if (rc == 0)
		rc = mdb_env_open(s->env, dir, envflags, 0660);
	if ((rc == EACCES || rc == EROFS) && s->rdonly) {
		/* A reader without write access to the data file. */
		mdb_env_close(s->env);
		s->env = NULL;
		s->env_rdonly = true;
		rc = mdb_env_create(&s->env);
		if (rc == 0)
			rc = mdb_env_set_maxdbs(s->env, MAX_DBS);
		if (rc == 0)
			rc = mdb_env_set_mapsize(s->env, map_initial);
		if (rc == 0)
			rc = mdb_env_open(s->env, dir, envflags | MDB_RDONLY, 0660);
	}
	if (rc != 0) {
		enum status st = mdb_status(rc);
		if (shared)
			umask(old_mask);
		if (rc == ENOENT && !(flags & STORE_CREATE))
			err_set(e, ST_NOINPUT, "open %s: not an ally database (run ally init)", dir);
		else
			err_set(e, st, "open %s: %s", dir, mdb_reason(rc));
		store_close(s);
		return e ? e->st : st;
	}
	if (shared)
		umask(old_mask);
	mdb_reader_check(s->env, &dead);
	if (open_dbis(s, (flags & STORE_CREATE) != 0, e) != ST_OK || check_schema(s, flags, e) != ST_OK ||
	    fill_fresh(s, e) != ST_OK) {
		store_close(s);
		return e ? e->st : ST_SOFTWARE;
	}
	*out = s;
	return ST_OK;
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
		mdb_env_close(s->env);
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
	MDB_envinfo info;

	if (mdb_env_info(s->env, &info) != 0)
		return 0;
	return (uint64_t)info.me_last_txnid;
}

void
store_sizes(struct store *s, uint64_t *file_bytes, uint64_t *map_bytes)
{
	MDB_envinfo info;
	MDB_stat st;

	*file_bytes = *map_bytes = 0;
	if (mdb_env_info(s->env, &info) != 0 || mdb_env_stat(s->env, &st) != 0)
		return;
	*file_bytes = (uint64_t)(info.me_last_pgno + 1) * st.ms_psize;
	*map_bytes = info.me_mapsize;
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
	rc = mdb_env_copyfd2(s->env, fileno(o.f), MDB_CP_COMPACT);
	if (rc != 0) {
		outfile_abort(&o);
		return err_set(e, rc == ENOSPC ? ST_IOERR : ST_CANTCREAT, "backup %s: %s", path, mdb_reason(rc));
	}
	return outfile_commit(&o, "backup ", e);
}

/* LMDB 0.9 reports a short write, which is what a full disk gives, as
 * EIO: when the file system has (next to) no room left, say so. */
static int
write_errno(struct store *s, int rc)
{
	struct statvfs v;

	if (rc == EIO && statvfs(s->path, &v) == 0 &&
	    (uint64_t)v.f_bavail * v.f_frsize < ((uint64_t)1 << 20))
		return ENOSPC;
	return rc;
}

void
store_set_nosync(struct store *s, bool nosync)
{
	s->nosync = nosync;
	mdb_env_set_flags(s->env, MDB_NOSYNC, nosync ? 1 : 0);
}

enum status
store_sync(struct store *s, struct err *e)
{
	int rc = mdb_env_sync(s->env, 1);

	if (rc != 0)
		rc = write_errno(s, rc);
	if (rc != 0)
		return err_set(e, mdb_status(rc), "sync %s: %s", s->path, mdb_reason(rc));
	return ST_OK;
}

/* ---- transactions ---- */

static int
begin_raw(struct store *s, bool write, MDB_txn **out)
{
	int rc, tries;

	for (tries = 0; tries < 5; tries++) {
		rc = mdb_txn_begin(s->env, NULL, write ? 0 : MDB_RDONLY, out);
		if (rc == MDB_MAP_RESIZED) {
			/* Another process grew the map: adopt its size. */
			mdb_env_set_mapsize(s->env, 0);
			continue;
		}
		if (rc == MDB_READERS_FULL) {
			int dead = 0;
			mdb_reader_check(s->env, &dead);
			continue;
		}
		break;
	}
	return rc;
}

static struct txn *
txn_new(struct store *s, bool write)
{
	struct txn *t = xcalloc(1, sizeof *t);
	int rc;

	t->s = s;
	t->write = write;
	sbuf_init(&t->scratch);
	rc = begin_raw(s, write, &t->t);
	if (rc != 0) {
		t->t = NULL;
		txn_fail_mdb(t, rc, write ? "begin write" : "begin read");
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
		mdb_txn_abort(t->t);
	sbuf_free(&t->scratch);
	free(t);
}

static enum status
grow_map(struct store *s)
{
	MDB_envinfo info;

	if (mdb_env_info(s->env, &info) != 0)
		return ST_SOFTWARE;
	if (mdb_env_set_mapsize(s->env, info.me_mapsize * 2) != 0)
		return ST_IOERR;
	return ST_OK;
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
		if (st == ST_OK)
			st = t->st;
		if (st != ST_OK) {
			bool full = t->mdb_rc == MDB_MAP_FULL;
			if (!full) {
				if (t->st != ST_OK)
					err_set(e, t->st, "%s", t->msg);
				else if (e && e->st == ST_OK)
					err_set(e, st, "%s", status_str(st));
				else if (e)
					e->st = st;
			}
			txn_end(t);
			if (full && grow_map(s) == ST_OK)
				continue;
			if (full)
				return err_set(e, ST_IOERR, "write %s: the database map cannot grow", s->path);
			return st;
		}
		rc = mdb_txn_commit(t->t);
		t->t = NULL;
		txn_end(t);
		if (rc == MDB_MAP_FULL && grow_map(s) == ST_OK)
			continue;
		if (rc != 0) {
			rc = write_errno(s, rc);
			return err_set(e, mdb_status(rc), "commit to %s: %s", s->path, mdb_reason(rc));
		}
		return ST_OK;
	}
	return err_set(e, ST_TEMPFAIL, "write %s: gave up after growing the map repeatedly", s->path);
}

/* ---- meta ---- */

enum status
meta_get(struct txn *t, const char *name, void *val, size_t len)
{
	MDB_val k = { strlen(name), (void *)name }, v;
	int rc;

	if (t->st != ST_OK)
		return t->st;
	rc = mdb_get(t->t, t->s->meta, &k, &v);
	if (rc == MDB_NOTFOUND)
		return ST_NOTFOUND;
	if (rc != 0)
		return txn_fail_mdb(t, rc, "read meta");
	if (v.mv_size != len)
		return txn_fail(t, ST_DATA, "meta %s: unexpected size %zu", name, v.mv_size);
	memcpy(val, v.mv_data, len);
	return ST_OK;
}

enum status
meta_put(struct txn *t, const char *name, const void *val, size_t len)
{
	MDB_val k = { strlen(name), (void *)name }, v = { len, (void *)val };
	int rc;

	if (t->st != ST_OK)
		return t->st;
	rc = mdb_put(t->t, t->s->meta, &k, &v, 0);
	if (rc != 0)
		return txn_fail_mdb(t, rc, "write meta");
	return ST_OK;
}

/* A record written under an id of its own: the sequence must not hand
 * that id out again. */
static void
seq_raise(struct txn *t, enum kind k, uint64_t id)
{
	char name[64];
	uint64_t v = 0;

	snprintf(name, sizeof name, "seq.%s", kind_defs[k].table);
	if (meta_get(t, name, &v, sizeof v) != ST_OK)
		v = 0;
	if (v < id)
		meta_put(t, name, &id, sizeof id);
}

static uint64_t
next_id(struct txn *t, enum kind k)
{
	char name[64];
	uint64_t v = 0;

	snprintf(name, sizeof name, "seq.%s", kind_defs[k].table);
	if (meta_get(t, name, &v, sizeof v) != ST_OK)
		v = 0;
	v++;
	meta_put(t, name, &v, sizeof v);
	return v;
}

/* ---- change hook ---- */

void
store_set_change_hook(struct store *s, store_change_fn fn, void *ctx)
{
	s->hook = fn;
	s->hook_ctx = ctx;
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

static void
change_hook(struct txn *t, enum kind k, uint64_t id, const void *before, const void *after)
{
	if (t->s->hook == NULL || k == KIND_AUDIT || t->in_hook || t->st != ST_OK)
		return;
	t->in_hook = true;
	t->s->hook(t->s->hook_ctx, t, k, id, before, after);
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
			/* Secrets' hashes (passwords, invitation codes) stay out of
			 * logs: only whether one is set. */
			if (sv && nl > 5 && strcmp(f->name + nl - 5, "_hash") == 0) {
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
	MDB_val kv, v;
	int rc;

	memset(rec, 0, rec_size(k));
	if (t->st != ST_OK)
		return t->st;
	key_init(&key);
	key_u64(&key, id);
	kv.mv_size = key.n;
	kv.mv_data = key.b;
	rc = mdb_get(t->t, t->s->kinds[k], &kv, &v);
	if (rc == MDB_NOTFOUND)
		return ST_NOTFOUND;
	if (rc != 0)
		return txn_fail_mdb(t, rc, "read");
	if (codec_decode(&kind_defs[k].codec, v.mv_data, v.mv_size, rec) != ST_OK)
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

static void
index_del(struct txn *t, enum index ix, const struct key *k)
{
	MDB_val kv = { k->n, (void *)k->b };
	int rc = mdb_del(t->t, t->s->idx[ix], &kv, NULL);

	if (rc != 0 && rc != MDB_NOTFOUND)
		txn_fail_mdb(t, rc, "update index");
}

static void
index_add(struct txn *t, enum index ix, const struct key *k, uint64_t id)
{
	unsigned char idb[8];
	MDB_val kv = { k->n, (void *)k->b }, v;
	int rc, i;

	if (index_defs[ix].unique) {
		for (i = 0; i < 8; i++)
			idb[i] = (unsigned char)(id >> ((7 - i) * 8));
		v.mv_size = 8;
		v.mv_data = idb;
		rc = mdb_put(t->t, t->s->idx[ix], &kv, &v, MDB_NOOVERWRITE);
		if (rc == MDB_KEYEXIST) {
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
		v.mv_size = 0;
		v.mv_data = idb;
		rc = mdb_put(t->t, t->s->idx[ix], &kv, &v, 0);
	}
	if (rc != 0)
		txn_fail_mdb(t, rc, "write index");
}

static void
index_fill(struct txn *t, enum index ix)
{
	enum kind k = index_defs[ix].kind;
	_Alignas(max_align_t) unsigned char buf[1024];
	struct iter *it;
	struct key key;
	uint64_t id;

	if (t->st != ST_OK || rec_size(k) > sizeof buf)
		return;
	it = iter_kind(t, k, false);
	while (t->st == ST_OK && iter_next(it, &id)) {
		if (iter_rec(it, buf) != ST_OK)
			continue;
		if (index_key(ix, buf, id, &key))
			index_add(t, ix, &key, id);
		rec_free(k, buf);
	}
	iter_close(it);
}

enum status
rec_put(struct txn *t, enum kind k, void *rec)
{
	const struct kind_def *kd = &kind_defs[k];
	uint64_t *idp = rec_id(k, rec);
	struct meta *m = rec_meta(k, rec);
	_Alignas(max_align_t) unsigned char oldbuf[1024];
	void *old = NULL;
	bool have_old = false;
	struct key key, okey;
	MDB_val kv, v;
	int rc, ix;

	if (t->st != ST_OK)
		return t->st;
	if (!t->write)
		return txn_fail(t, ST_SOFTWARE, "write in a read transaction");
	if (*idp == 0) {
		*idp = next_id(t, k);
		m->created = clock_now();
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

	for (ix = 0; ix < IDX__COUNT; ix++) {
		bool has_new, has_old = false;

		if (index_defs[ix].kind != k)
			continue;
		has_new = index_key((enum index)ix, rec, *idp, &key);
		if (have_old)
			has_old = index_key((enum index)ix, old, *idp, &okey);
		if (has_old && has_new && okey.n == key.n && memcmp(okey.b, key.b, key.n) == 0)
			continue;
		if (has_old)
			index_del(t, (enum index)ix, &okey);
		if (has_new)
			index_add(t, (enum index)ix, &key, *idp);
	}
	if (t->st != ST_OK) {
		if (have_old)
			rec_free(k, old);
		return t->st;
	}

	codec_encode(&kd->codec, rec, &t->scratch);
	key_init(&key);
	key_u64(&key, *idp);
	kv.mv_size = key.n;
	kv.mv_data = key.b;
	v.mv_size = t->scratch.len;
	v.mv_data = t->scratch.s;
	rc = mdb_put(t->t, t->s->kinds[k], &kv, &v, 0);
	if (rc != 0) {
		if (have_old)
			rec_free(k, old);
		return txn_fail_mdb(t, rc, "write");
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
	struct key key;
	MDB_val kv;
	enum status st;
	int ix, rc;

	if (t->st != ST_OK)
		return t->st;
	if (rec_size(k) > sizeof oldbuf)
		return txn_fail(t, ST_SOFTWARE, "record too large");
	st = rec_get(t, k, id, oldbuf);
	if (st != ST_OK)
		return st;
	for (ix = 0; ix < IDX__COUNT; ix++) {
		if (index_defs[ix].kind == k && index_key((enum index)ix, oldbuf, id, &key))
			index_del(t, (enum index)ix, &key);
	}
	change_hook(t, k, id, oldbuf, NULL);
	rec_free(k, oldbuf);
	key_init(&key);
	key_u64(&key, id);
	kv.mv_size = key.n;
	kv.mv_data = key.b;
	rc = mdb_del(t->t, t->s->kinds[k], &kv, NULL);
	if (rc != 0)
		return txn_fail_mdb(t, rc, "delete");
	return t->st;
}

uint64_t
rec_count(struct txn *t, enum kind k)
{
	MDB_stat st;

	if (t->st != ST_OK || mdb_stat(t->t, t->s->kinds[k], &st) != 0)
		return 0;
	return st.ms_entries;
}

uint64_t
idx_count(struct txn *t, enum index ix)
{
	MDB_stat st;

	if (t->st != ST_OK || mdb_stat(t->t, t->s->idx[ix], &st) != 0)
		return 0;
	return st.ms_entries;
}

const char *
idx_name(enum index ix)
{
	return index_defs[ix].name;
}

uint64_t
idx_find(struct txn *t, enum index ix, const struct key *k)
{
	MDB_val kv = { k->n, (void *)k->b }, v;
	int rc;

	if (t->st != ST_OK || !index_defs[ix].unique)
		return 0;
	rc = mdb_get(t->t, t->s->idx[ix], &kv, &v);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0) {
		txn_fail_mdb(t, rc, "read index");
		return 0;
	}
	if (v.mv_size != 8)
		return 0;
	return be64(v.mv_data);
}

/* ---- iteration ---- */

static struct iter *
iter_new(struct txn *t, MDB_dbi dbi, const struct key *prefix, bool reverse)
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
	rc = mdb_cursor_open(t->t, dbi, &it->c);
	if (rc != 0) {
		txn_fail_mdb(t, rc, "open cursor");
		it->c = NULL;
		it->done = true;
	}
	return it;
}

struct iter *
iter_index(struct txn *t, enum index ix, const struct key *prefix, bool reverse)
{
	struct iter *it = iter_new(t, t->s->idx[ix], prefix, reverse);

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
	struct iter *it = iter_new(t, t->s->kinds[k], NULL, reverse);

	it->kind = k;
	return it;
}

/* Position on the last key that starts with the prefix. */
static int
seek_last_with_prefix(struct iter *it)
{
	struct key up = it->prefix;
	int rc;

	/* Find the first key greater than every key with this prefix: the
	 * prefix "incremented"; then step back one. */
	while (up.n > 0 && up.b[up.n - 1] == 0xff)
		up.n--;
	if (up.n == 0)
		return mdb_cursor_get(it->c, &it->k, &it->v, MDB_LAST);
	up.b[up.n - 1]++;
	it->k.mv_size = up.n;
	it->k.mv_data = up.b;
	rc = mdb_cursor_get(it->c, &it->k, &it->v, MDB_SET_RANGE);
	if (rc == MDB_NOTFOUND)
		return mdb_cursor_get(it->c, &it->k, &it->v, MDB_LAST);
	if (rc != 0)
		return rc;
	return mdb_cursor_get(it->c, &it->k, &it->v, MDB_PREV);
}

bool
iter_next(struct iter *it, uint64_t *id)
{
	int rc;

	if (it->done)
		return false;
	if (!it->started) {
		it->started = true;
		if (it->prefix.n == 0) {
			rc = mdb_cursor_get(it->c, &it->k, &it->v, it->reverse ? MDB_LAST : MDB_FIRST);
		} else if (it->reverse) {
			rc = seek_last_with_prefix(it);
		} else {
			const struct key *start = it->from.n ? &it->from : &it->prefix;
			it->k.mv_size = start->n;
			it->k.mv_data = (void *)start->b;
			rc = mdb_cursor_get(it->c, &it->k, &it->v, MDB_SET_RANGE);
		}
	} else {
		rc = mdb_cursor_get(it->c, &it->k, &it->v, it->reverse ? MDB_PREV : MDB_NEXT);
	}
	if (rc != 0) {
		if (rc != MDB_NOTFOUND)
			txn_fail_mdb(it->t, rc, "walk");
		it->done = true;
		return false;
	}
	if (it->prefix.n > 0 &&
	    (it->k.mv_size < it->prefix.n || memcmp(it->k.mv_data, it->prefix.b, it->prefix.n) != 0)) {
		it->done = true;
		return false;
	}
	if (it->rollup) {
		*id = 0;
	} else if (!it->is_index || !it->unique) {
		if (it->k.mv_size < 8) {
			it->done = true;
			txn_fail(it->t, ST_DATA, "index entry too short (run ally check)");
			return false;
		}
		*id = be64((const unsigned char *)it->k.mv_data + it->k.mv_size - 8);
	} else {
		if (it->v.mv_size != 8) {
			it->done = true;
			txn_fail(it->t, ST_DATA, "index entry damaged (run ally check)");
			return false;
		}
		*id = be64(it->v.mv_data);
	}
	return true;
}

enum status
iter_rec(struct iter *it, void *rec)
{
	if (it->is_index || !it->started || it->done)
		return ST_SOFTWARE;
	if (codec_decode(&kind_defs[it->kind].codec, it->v.mv_data, it->v.mv_size, rec) != ST_OK)
		return txn_fail(it->t, ST_DATA, "%s record cannot be decoded (run ally check)",
		    kind_name(it->kind));
	return ST_OK;
}

const unsigned char *
iter_key(struct iter *it, size_t *len)
{
	*len = it->k.mv_size;
	return it->k.mv_data;
}

void
iter_close(struct iter *it)
{
	if (it == NULL)
		return;
	if (it->c)
		mdb_cursor_close(it->c);
	free(it);
}

/* ---- verification ---- */

/* rec_get that leaves the transaction usable when a record is damaged:
 * verification goes on to report everything. */
static enum status
get_quiet(struct txn *t, enum kind k, uint64_t id, void *rec)
{
	struct key key;
	MDB_val kv, v;

	key_init(&key);
	key_u64(&key, id);
	kv.mv_size = key.n;
	kv.mv_data = key.b;
	if (mdb_get(t->t, t->s->kinds[k], &kv, &v) != 0)
		return ST_NOTFOUND;
	return codec_decode(&kind_defs[k].codec, v.mv_data, v.mv_size, rec);
}

uint64_t
store_verify(struct txn *t, void (*report)(void *ctx, const char *line), void *ctx)
{
	_Alignas(max_align_t) unsigned char rec[1024];
	char line[600];
	uint64_t problems = 0, id;
	int k, ix;

	for (k = 0; k < KIND__COUNT; k++) {
		MDB_cursor *c;
		MDB_val kv, v;
		int rc;

		if (mdb_cursor_open(t->t, t->s->kinds[k], &c) != 0)
			continue;
		for (rc = mdb_cursor_get(c, &kv, &v, MDB_FIRST); rc == 0;
		     rc = mdb_cursor_get(c, &kv, &v, MDB_NEXT)) {
			struct key key;
			if (kv.mv_size != 8) {
				snprintf(line, sizeof line, "%s: key of %zu bytes", kind_defs[k].table, kv.mv_size);
				report(ctx, line);
				problems++;
				continue;
			}
			id = be64(kv.mv_data);
			if (codec_decode(&kind_defs[k].codec, v.mv_data, v.mv_size, rec) != ST_OK) {
				snprintf(line, sizeof line, "%s %s%llu: record cannot be decoded",
				    kind_name((enum kind)k), kind_prefix((enum kind)k), (unsigned long long)id);
				report(ctx, line);
				problems++;
				continue;
			}
			if (*rec_id((enum kind)k, rec) != id) {
				snprintf(line, sizeof line, "%s %s%llu: stored under another id",
				    kind_name((enum kind)k), kind_prefix((enum kind)k), (unsigned long long)id);
				report(ctx, line);
				problems++;
			}
			for (ix = 0; ix < IDX__COUNT; ix++) {
				MDB_val ik, iv;
				if (index_defs[ix].kind != (enum kind)k || !index_key((enum index)ix, rec, id, &key))
					continue;
				ik.mv_size = key.n;
				ik.mv_data = key.b;
				if (mdb_get(t->t, t->s->idx[ix], &ik, &iv) != 0 ||
				    (index_defs[ix].unique && (iv.mv_size != 8 || be64(iv.mv_data) != id))) {
					snprintf(line, sizeof line, "%s %s%llu: missing from index %s",
					    kind_name((enum kind)k), kind_prefix((enum kind)k),
					    (unsigned long long)id, index_defs[ix].name);
					report(ctx, line);
					problems++;
				}
			}
			rec_free((enum kind)k, rec);
		}
		mdb_cursor_close(c);
	}
	/* Every index entry must point at a record that produces it. */
	for (ix = 0; ix < IDX__COUNT; ix++) {
		struct iter *it = iter_index(t, (enum index)ix, NULL, false);
		enum kind k2 = index_defs[ix].kind;
		while (iter_next(it, &id)) {
			struct key key;
			size_t kl;
			const unsigned char *kb = iter_key(it, &kl);
			bool ok = false;
			if (get_quiet(t, k2, id, rec) == ST_OK) {
				ok = index_key((enum index)ix, rec, id, &key) && key.n == kl &&
				    memcmp(key.b, kb, kl) == 0;
				rec_free(k2, rec);
			}
			if (!ok) {
				snprintf(line, sizeof line, "index %s: stale entry for %s%llu",
				    index_defs[ix].name, kind_prefix(k2), (unsigned long long)id);
				report(ctx, line);
				problems++;
			}
		}
		iter_close(it);
	}
	return problems;
}

/* ---- rollups ---- */

enum status
rollup_add(struct txn *t, const struct key *k, const int64_t *delta, size_t n)
{
	MDB_val kv = { k->n, (void *)k->b }, v;
	int64_t cur[8];
	size_t i, have = 0;
	bool zero = true;
	int rc;

	if (t->st != ST_OK)
		return t->st;
	if (n > 8)
		return txn_fail(t, ST_SOFTWARE, "rollup of %zu counters", n);
	memset(cur, 0, sizeof cur);
	rc = mdb_get(t->t, t->s->rollup, &kv, &v);
	if (rc == 0) {
		have = v.mv_size / 8 < n ? v.mv_size / 8 : n;
		memcpy(cur, v.mv_data, have * 8);
	} else if (rc != MDB_NOTFOUND) {
		return txn_fail_mdb(t, rc, "read rollup");
	}
	for (i = 0; i < n; i++) {
		/* analytics totals are money too: never wrapped */
		if (__builtin_add_overflow(cur[i], delta[i], &cur[i]))
			return txn_fail(t, ST_DATA, "amount: an analytics total would exceed the largest "
			    "amount ally can hold");
		zero &= cur[i] == 0;
	}
	if (zero) {
		rc = rc == 0 ? mdb_del(t->t, t->s->rollup, &kv, NULL) : 0;
	} else {
		v.mv_size = n * 8;
		v.mv_data = cur;
		rc = mdb_put(t->t, t->s->rollup, &kv, &v, 0);
	}
	if (rc != 0 && rc != MDB_NOTFOUND)
		return txn_fail_mdb(t, rc, "write rollup");
	return ST_OK;
}

struct iter *
iter_rollup(struct txn *t, const struct key *prefix, const struct key *from)
{
	struct iter *it = iter_new(t, t->s->rollup, prefix, false);

	it->is_index = true;
	it->unique = true;      /* values are counters, not ids */
	it->rollup = true;
	if (from)
		it->from = *from;
	return it;
}

void
rollup_values(struct iter *it, int64_t *v, size_t n)
{
	size_t have = it->v.mv_size / 8 < n ? it->v.mv_size / 8 : n;

	memset(v, 0, n * sizeof *v);
	memcpy(v, it->v.mv_data, have * 8);
}

enum status
rollup_clear(struct txn *t)
{
	int rc;

	if (t->st != ST_OK)
		return t->st;
	rc = mdb_drop(t->t, t->s->rollup, 0);
	if (rc != 0)
		return txn_fail_mdb(t, rc, "clear rollups");
	return ST_OK;
}
