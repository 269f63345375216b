/*
 * lmdb.c - the LMDB backend of store/: the environment directory, its
 * named tables, transactions and cursors.  The only file of ally that
 * includes lmdb.h; everything above it sees a struct store_backend.
 *
 * What is LMDB's own stays here: the map size and its growth, another
 * process having grown the map, stale reader slots, the umask of a shared
 * database, and LMDB 0.9 reporting a full disk as EIO.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <lmdb.h>

#include "core/alloc.h"
#include "core/priv.h"
#include "store/store_int.h"

/* named databases an environment may open: every table, with room for
 * the indexes to come (LMDB searches this list linearly: keep it small) */
#define MAX_DBS 96
_Static_assert(TBL__COUNT <= MAX_DBS, "more tables than MAX_DBS: raise it");

struct bk_env {
	MDB_env *env;
	char *path;
	bool env_rdonly;        /* the files themselves could only be opened read-only */
	MDB_dbi dbi[TBL__COUNT];
};

/* LMDB's codes as the backend-neutral ones the record layer tests for. */
static int
xl(int rc)
{
	switch (rc) {
	case MDB_NOTFOUND:
		return BK_NOTFOUND;
	case MDB_KEYEXIST:
		return BK_EXISTS;
	case MDB_MAP_FULL:
		return BK_FULL;
	default:
		return rc;
	}
}

static enum status
lm_status(int rc)
{
	switch (rc) {
	case MDB_SUCCESS:
		return ST_OK;
	case BK_NOTFOUND:
		return ST_NOTFOUND;
	case BK_EXISTS:
		return ST_EXISTS;
	case BK_FULL:
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
lm_reason(int rc)
{
	switch (rc) {
	case ENOSPC:
		return "disk full (nothing of this action was saved)";
	case BK_FULL:
		return "database map full";
	case BK_NOTFOUND:
		return mdb_strerror(MDB_NOTFOUND);
	case BK_EXISTS:
		return mdb_strerror(MDB_KEYEXIST);
	case EACCES:
		return "permission denied";
	case EROFS:
		return "read-only file system";
	default:
		return mdb_strerror(rc);
	}
}

static struct bk_env *
env_of(MDB_txn *t)
{
	return mdb_env_get_userctx(mdb_txn_env(t));
}

/* LMDB 0.9 reports a short write, which is what a full disk gives, as
 * EIO: when the file system has (next to) no room left, say so. */
static int
write_errno(struct bk_env *b, int rc)
{
	struct statvfs v;

	if (rc == EIO && statvfs(b->path, &v) == 0 &&
	    (uint64_t)v.f_bavail * v.f_frsize < ((uint64_t)1 << 20))
		return ENOSPC;
	return rc;
}

/* ---- opening ---- */

static enum status
open_dbis(struct bk_env *b, const struct bk_open *o, struct err *e)
{
	bool create = (o->flags & STORE_CREATE) != 0;
	/* Tables a newer ally added are created when an older database is
	 * opened with write access (a schema-1 database only ever gains
	 * tables); "meta" is only made by ally init. */
	bool upgrade = false;
	unsigned tflags;
	MDB_txn *t;
	int rc, i;

again:
	/* A read transaction unless there is something to create: opening
	 * must not wait behind another process's write. */
	tflags = (create || upgrade) && !b->env_rdonly ? MDB_CREATE : 0;
	rc = mdb_txn_begin(b->env, NULL, tflags ? 0 : MDB_RDONLY, &t);
	if (rc != 0)
		return err_set(e, lm_status(rc), "open %s: %s", b->path, lm_reason(rc));
	rc = mdb_dbi_open(t, o->tables[TBL_META], create ? tflags : 0, &b->dbi[TBL_META]);
	if (rc == MDB_NOTFOUND) {
		mdb_txn_abort(t);
		return err_set(e, ST_NOINPUT, "open %s: not an ally database (run ally init)", b->path);
	}
	for (i = 1; rc == 0 && i < o->ntables; i++) {
		rc = mdb_dbi_open(t, o->tables[i], upgrade ? 0 : tflags, &b->dbi[i]);
		if (rc == MDB_NOTFOUND && upgrade && tflags) {
			o->fresh[i] = true;
			rc = mdb_dbi_open(t, o->tables[i], tflags, &b->dbi[i]);
		}
	}
	if (rc == MDB_NOTFOUND) {
		mdb_txn_abort(t);
		if (!upgrade && !b->env_rdonly) {
			upgrade = true;
			goto again;
		}
		return err_set(e, ST_NOPERM, "open %s: the database needs tables of this ally version: "
		    "open it once with write access", b->path);
	}
	if (rc != 0) {
		mdb_txn_abort(t);
		return err_set(e, lm_status(rc), "open %s: %s", b->path, lm_reason(rc));
	}
	rc = mdb_txn_commit(t);
	if (rc != 0)
		return err_set(e, lm_status(rc), "open %s: %s", b->path, lm_reason(rc));
	return ST_OK;
}

/* The directory exists (made when creating); without STORE_CREATE its
 * data file must too: opening never creates a database by the way. */
static enum status
check_dir(const char *dir, int flags, struct stat *sb, struct err *e)
{
	if (stat(dir, sb) != 0) {
		if (errno != ENOENT || !(flags & STORE_CREATE))
			return err_set(e, ST_NOINPUT, "open %s: %s%s", dir, strerror(errno),
			    errno == ENOENT ? " (run ally init)" : "");
		if (mkdir(dir, 0770) != 0 && errno != EEXIST)
			return err_set(e, ST_CANTCREAT, "create %s: %s", dir, strerror(errno));
		if (stat(dir, sb) != 0)
			return err_set(e, ST_CANTCREAT, "create %s: %s", dir, strerror(errno));
	}
	if (!S_ISDIR(sb->st_mode))
		return err_set(e, ST_NOINPUT, "open %s: not a directory", dir);
	if (!(flags & STORE_CREATE)) {
		/* stat, not access: access(2) asks with the real ids, and a
		 * setgid ally reaches the directory only through its group */
		char *data = xasprintf("%s/data.mdb", dir);
		struct stat db_sb;
		int missing = stat(data, &db_sb) != 0;
		free(data);
		if (missing)
			return err_set(e, ST_NOINPUT, "open %s: not an ally database (run ally init)", dir);
	}
	return ST_OK;
}

static int
env_open(struct bk_env *b, size_t mapsize, unsigned flags)
{
	int rc = mdb_env_create(&b->env);

	if (rc == 0)
		rc = mdb_env_set_maxdbs(b->env, MAX_DBS);
	if (rc == 0)
		rc = mdb_env_set_mapsize(b->env, mapsize);
	if (rc == 0)
		rc = mdb_env_set_maxreaders(b->env, 256);
	if (rc == 0)
		rc = mdb_env_open(b->env, b->path, MDB_NOTLS | flags, 0660);
	if (rc == 0)
		rc = mdb_env_set_userctx(b->env, b);
	return rc;
}

static void
lm_close(struct bk_env *b)
{
	if (b == NULL)
		return;
	if (b->env)
		mdb_env_close(b->env);
	free(b->path);
	free(b);
}

static enum status
lm_open(const struct bk_open *o, struct bk_env **out, struct err *e)
{
	struct bk_env *b;
	struct stat sb;
	int rc, dead = 0;
	bool shared;
	mode_t old_mask = 0;

	*out = NULL;
	if (check_dir(o->dir, o->flags, &sb, e) != ST_OK)
		return e ? e->st : ST_NOINPUT;
	/* A shared database lives in a setgid group directory (or we run
	 * setgid): files we create there (lock.mdb included) must be 0660,
	 * whatever the person's umask; their own files keep their umask. */
	shared = (sb.st_mode & S_ISGID) != 0 || priv_setgid();
	if (shared)
		old_mask = umask(007);
	b = xcalloc(1, sizeof *b);
	b->path = xstrdup(o->dir);
	rc = env_open(b, o->mapsize, 0);
	if ((rc == EACCES || rc == EROFS) && (o->flags & STORE_RDONLY)) {
		/* A reader without write access to the data file. */
		mdb_env_close(b->env);
		b->env = NULL;
		b->env_rdonly = true;
		rc = env_open(b, o->mapsize, MDB_RDONLY);
	}
	if (shared)
		umask(old_mask);
	if (rc != 0) {
		if (rc == ENOENT && !(o->flags & STORE_CREATE))
			err_set(e, ST_NOINPUT, "open %s: not an ally database (run ally init)", o->dir);
		else
			err_set(e, lm_status(rc), "open %s: %s", o->dir, lm_reason(rc));
		lm_close(b);
		return e ? e->st : lm_status(rc);
	}
	mdb_reader_check(b->env, &dead);
	if (open_dbis(b, o, e) != ST_OK) {
		lm_close(b);
		return e ? e->st : ST_SOFTWARE;
	}
	*out = b;
	return ST_OK;
}

/* ---- transactions ---- */

static int
lm_txn_begin(struct bk_env *b, bool write, struct bk_txn **out)
{
	MDB_txn *t = NULL;
	int rc = 0, tries;

	for (tries = 0; tries < 5; tries++) {
		rc = mdb_txn_begin(b->env, NULL, write ? 0 : MDB_RDONLY, &t);
		if (rc == MDB_MAP_RESIZED) {
			/* Another process grew the map: adopt its size. */
			mdb_env_set_mapsize(b->env, 0);
			continue;
		}
		if (rc == MDB_READERS_FULL) {
			int dead = 0;
			mdb_reader_check(b->env, &dead);
			continue;
		}
		break;
	}
	*out = rc == 0 ? (struct bk_txn *)t : NULL;
	return xl(rc);
}

static int
lm_txn_commit(struct bk_txn *bt)
{
	MDB_txn *t = (MDB_txn *)bt;
	struct bk_env *b = env_of(t);
	int rc = mdb_txn_commit(t);

	return rc == 0 ? 0 : xl(write_errno(b, rc));
}

static void
lm_txn_abort(struct bk_txn *t)
{
	mdb_txn_abort((MDB_txn *)t);
}

/* ---- tables ---- */

static int
lm_get(struct bk_txn *bt, int table, const struct bk_val *k, struct bk_val *v)
{
	MDB_txn *t = (MDB_txn *)bt;
	MDB_val kv = { k->n, (void *)k->p }, vv;
	int rc = mdb_get(t, env_of(t)->dbi[table], &kv, &vv);

	if (rc == 0) {
		v->n = vv.mv_size;
		v->p = vv.mv_data;
	}
	return xl(rc);
}

static int
lm_put(struct bk_txn *bt, int table, const struct bk_val *k, const struct bk_val *v, unsigned flags)
{
	MDB_txn *t = (MDB_txn *)bt;
	MDB_val kv = { k->n, (void *)k->p }, vv = { v->n, (void *)v->p };

	return xl(mdb_put(t, env_of(t)->dbi[table], &kv, &vv,
	    ((flags & BK_NOOVERWRITE) ? MDB_NOOVERWRITE : 0) | ((flags & BK_APPEND) ? MDB_APPEND : 0)));
}

static int
lm_del(struct bk_txn *bt, int table, const struct bk_val *k)
{
	MDB_txn *t = (MDB_txn *)bt;
	MDB_val kv = { k->n, (void *)k->p };

	return xl(mdb_del(t, env_of(t)->dbi[table], &kv, NULL));
}

static int
lm_drop(struct bk_txn *bt, int table)
{
	MDB_txn *t = (MDB_txn *)bt;

	return xl(mdb_drop(t, env_of(t)->dbi[table], 0));
}

static int
lm_count(struct bk_txn *bt, int table, uint64_t *n)
{
	MDB_txn *t = (MDB_txn *)bt;
	MDB_stat st;
	int rc = mdb_stat(t, env_of(t)->dbi[table], &st);

	*n = rc == 0 ? st.ms_entries : 0;
	return xl(rc);
}

/* ---- cursors ---- */

static int
lm_cursor_open(struct bk_txn *bt, int table, struct bk_cursor **out)
{
	MDB_txn *t = (MDB_txn *)bt;
	MDB_cursor *c = NULL;
	int rc = mdb_cursor_open(t, env_of(t)->dbi[table], &c);

	*out = rc == 0 ? (struct bk_cursor *)c : NULL;
	return xl(rc);
}

static void
lm_cursor_close(struct bk_cursor *c)
{
	mdb_cursor_close((MDB_cursor *)c);
}

static int
lm_cursor_get(struct bk_cursor *c, enum bk_op op, struct bk_val *k, struct bk_val *v)
{
	static const MDB_cursor_op ops[] = {
		[BK_FIRST] = MDB_FIRST, [BK_LAST] = MDB_LAST, [BK_SEEK] = MDB_SET_RANGE,
		[BK_NEXT] = MDB_NEXT, [BK_PREV] = MDB_PREV,
	};
	MDB_val kv = { k->n, (void *)k->p }, vv = { 0, NULL };
	int rc = mdb_cursor_get((MDB_cursor *)c, &kv, &vv, ops[op]);

	if (rc == 0) {
		k->n = kv.mv_size;
		k->p = kv.mv_data;
		v->n = vv.mv_size;
		v->p = vv.mv_data;
	}
	return xl(rc);
}

/* ---- the environment ---- */

static uint64_t
lm_last_txnid(struct bk_env *b)
{
	MDB_envinfo info;

	if (mdb_env_info(b->env, &info) != 0)
		return 0;
	return (uint64_t)info.me_last_txnid;
}

static uint64_t
lm_txn_id(struct bk_txn *t)
{
	return (uint64_t)mdb_txn_id((MDB_txn *)t);
}

static void
lm_sizes(struct bk_env *b, uint64_t *used, uint64_t *map)
{
	MDB_envinfo info;
	MDB_stat st;

	*used = *map = 0;
	if (mdb_env_info(b->env, &info) != 0 || mdb_env_stat(b->env, &st) != 0)
		return;
	*used = (uint64_t)(info.me_last_pgno + 1) * st.ms_psize;
	*map = info.me_mapsize;
}

static int
lm_sync(struct bk_env *b)
{
	int rc = mdb_env_sync(b->env, 1);

	return rc == 0 ? 0 : xl(write_errno(b, rc));
}

static void
lm_set_nosync(struct bk_env *b, bool nosync)
{
	mdb_env_set_flags(b->env, MDB_NOSYNC, nosync ? 1 : 0);
}

static int
lm_backup(struct bk_env *b, int fd)
{
	return xl(mdb_env_copyfd2(b->env, fd, MDB_CP_COMPACT));
}

static int
lm_grow(struct bk_env *b)
{
	MDB_envinfo info;
	int rc = mdb_env_info(b->env, &info);

	if (rc == 0)
		rc = mdb_env_set_mapsize(b->env, info.me_mapsize * 2);
	return xl(rc);
}

const struct store_backend store_backend_lmdb = {
	.name = "lmdb",
	.open = lm_open,
	.close = lm_close,
	.txn_begin = lm_txn_begin,
	.txn_commit = lm_txn_commit,
	.txn_abort = lm_txn_abort,
	.get = lm_get,
	.put = lm_put,
	.del = lm_del,
	.drop = lm_drop,
	.count = lm_count,
	.cursor_open = lm_cursor_open,
	.cursor_close = lm_cursor_close,
	.cursor_get = lm_cursor_get,
	.last_txnid = lm_last_txnid,
	.txn_id = lm_txn_id,
	.sizes = lm_sizes,
	.sync = lm_sync,
	.set_nosync = lm_set_nosync,
	.backup = lm_backup,
	.grow = lm_grow,
	.status = lm_status,
	.reason = lm_reason,
};
