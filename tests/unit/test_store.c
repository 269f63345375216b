/*
 * test_store.c - the LMDB storage layer: opening and schema checks,
 * records and their ids, meta times and actor, unique and plain indexes
 * through insert, update and delete (also in the middle of large indexes,
 * see NOTES.md on 0.9.24), prefix walks forward and backward (the 0xff
 * boundary included), key encoding, the record codec (older, newer and
 * damaged values), sticky transaction errors, map growth, store_verify and
 * backups.
 *
 * Every test gets a fresh temporary directory (under $TMPDIR or /tmp),
 * removed afterwards.  Damage that the public API cannot cause (a missing
 * index entry, an undecodable value) is made with raw LMDB calls while the
 * store is closed: one environment is never open twice in this process.
 *
 * Each case that is about records rather than files runs twice: on LMDB
 * ("lmdb/" in its name) and on the memory backend ("mem/").  There, raw
 * damage goes through the backend's own put and del, and a reopen copies
 * every table into a new memory store opened with the current initial map
 * size (growing it as a reopened LMDB file would), so data survives it as
 * it survives on disk.  What is about files (opening directories, read-only
 * files, backups, tables an older version lacked) runs on LMDB alone.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <lmdb.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/status.h"
#include "core/str.h"
#include "domain/records.h"
#include "store/codec.h"
#include "store/kinds.h"
#include "store/store.h"
#include "store/store_int.h"

/* 2026-01-01T00:00:00Z */
#define T0 1767225600
#define DEFAULT_MAP ((size_t)1 << 30)
#define SMALL_MAP ((size_t)64 * 1024 * 4)

struct fx {
	char dir[PATH_MAX];     /* the temporary directory */
	char db[PATH_MAX + 16]; /* dir/db: the database directory */
	struct store *s;
	struct err e;
	bool mem;               /* the memory backend */
};

#define assert_contains(hay, needle) do { \
	const char *h_ = (hay), *n_ = (needle); \
	if (h_ == NULL || strstr(h_, n_) == NULL) \
		fail_msg("\"%s\" does not contain \"%s\"", h_ ? h_ : "(null)", n_); \
} while (0)

#define assert_str_or_null(a, b) do { \
	const char *a_ = (a), *b_ = (b); \
	if (a_ == NULL || b_ == NULL) { \
		if (a_ != b_) \
			fail_msg("\"%s\" != \"%s\"", a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
	} else { \
		assert_string_equal(a_, b_); \
	} \
} while (0)

/* ---- fixture ---- */

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
setup_dir(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	const char *tmp = getenv("TMPDIR");

	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(f->dir, sizeof f->dir, "%s/ally-store-XXXXXX", tmp);
	if (mkdtemp(f->dir) == NULL) {
		fprintf(stderr, "mkdtemp %s: %s\n", f->dir, strerror(errno));
		free(f);
		return -1;
	}
	snprintf(f->db, sizeof f->db, "%s/db", f->dir);
	store_set_initial_mapsize(DEFAULT_MAP);
	clock_set(T0);
	err_clear(&f->e);
	*state = f;
	return 0;
}

static enum status
cb_schema(struct txn *t, void *ctx)
{
	uint32_t v = *(const uint32_t *)ctx;

	meta_put(t, "schema", &v, sizeof v);
	return txn_status(t);
}

static void
put_schema(struct fx *f, uint32_t v)
{
	struct err e;

	err_clear(&e);
	assert_int_equal(store_write(f->s, cb_schema, &v, &e), ST_OK);
}

static int
open_db(void **state, bool mem)
{
	struct fx *f;
	struct err e;

	if (setup_dir(state) != 0)
		return -1;
	f = *state;
	f->mem = mem;
	err_clear(&e);
	if ((mem ? store_open_mem(&f->s, &e) : store_open(f->db, STORE_CREATE, &f->s, &e)) != ST_OK) {
		fprintf(stderr, "store_open: %s\n", e.msg);
		return -1;
	}
	{
		uint32_t v = STORE_SCHEMA;
		if (store_write(f->s, cb_schema, &v, &e) != ST_OK)
			return -1;
	}
	if (strcmp(store_backend_name(f->s), mem ? "memory" : "lmdb") != 0)
		return -1;
	return 0;
}

static int
setup_db(void **state)
{
	return open_db(state, false);
}

static int
setup_mem(void **state)
{
	return open_db(state, true);
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	if (f == NULL)
		return 0;
	store_close(f->s);
	nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	store_set_initial_mapsize(DEFAULT_MAP);
	free(f);
	return 0;
}

/* A new memory store holding every table of f's (still open) store. */
static void
mem_reopen(struct fx *f, int flags)
{
	const struct store_backend *bk = &store_backend_mem;
	struct store *n;
	struct bk_txn *from, *to;
	struct err e;
	int table;

	err_clear(&e);
	assert_non_null(f->s);
	assert_int_equal(store_open_mem(&n, &e), ST_OK);
	assert_int_equal(bk->txn_begin(f->s->env, false, &from), 0);
	assert_int_equal(bk->txn_begin(n->env, true, &to), 0);
	for (table = 0; table < TBL__COUNT; table++) {
		struct bk_cursor *c;
		struct bk_val k = { 0, NULL }, v;
		int rc;

		assert_int_equal(bk->cursor_open(from, table, &c), 0);
		for (rc = bk->cursor_get(c, BK_FIRST, &k, &v); rc == 0;
		     rc = bk->cursor_get(c, BK_NEXT, &k, &v)) {
			while ((rc = bk->put(to, table, &k, &v, 0)) == BK_FULL)
				assert_int_equal(bk->grow(n->env), 0);
			assert_int_equal(rc, 0);
		}
		bk->cursor_close(c);
	}
	assert_int_equal(bk->txn_commit(to), 0);
	bk->txn_abort(from);
	store_close(f->s);
	n->rdonly = (flags & STORE_RDONLY) != 0;
	f->s = n;
}

/* Before raw damage: LMDB's environment must be closed first; a memory
 * store is damaged while open (closing would lose it). */
static void
close_for_raw(struct fx *f)
{
	if (f->mem)
		return;
	store_close(f->s);
	f->s = NULL;
}

static void
reopen(struct fx *f, int flags)
{
	struct err e;

	if (f->mem) {
		mem_reopen(f, flags);
		return;
	}
	store_close(f->s);
	f->s = NULL;
	err_clear(&e);
	if (store_open(f->db, flags, &f->s, &e) != ST_OK)
		fail_msg("reopen: %s", e.msg);
}

static bool
exists(const char *dir, const char *name)
{
	char p[PATH_MAX * 2];
	struct stat sb;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	return stat(p, &sb) == 0;
}

static size_t
dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* ---- raw LMDB, only while the store is closed ---- */

/* Table number of a kind or index table name. */
static int
table_no(const char *table)
{
	int i;

	for (i = 0; i < KIND__COUNT; i++)
		if (strcmp(kind_defs[i].table, table) == 0)
			return TBL_KIND(i);
	for (i = 0; i < IDX__COUNT; i++)
		if (strcmp(index_defs[i].name, table) == 0)
			return TBL_IDX(i);
	fail_msg("no table %s", table);
	return -1;
}

static void
raw_edit_mem(struct store *s, const char *table, const void *key, size_t klen,
    const void *val, size_t vlen, bool del)
{
	struct bk_val k = { klen, key }, v = { vlen, val };
	struct bk_txn *t;
	int no = table_no(table);

	assert_int_equal(s->bk->txn_begin(s->env, true, &t), 0);
	if (del)
		assert_int_equal(s->bk->del(t, no, &k), 0);
	else
		assert_int_equal(s->bk->put(t, no, &k, &v, 0), 0);
	assert_int_equal(s->bk->txn_commit(t), 0);
}

static void
raw_edit(struct fx *f, const char *table, const void *key, size_t klen,
    const void *val, size_t vlen, bool del)
{
	const char *dir = f->db;
	MDB_env *env;
	MDB_txn *t;
	MDB_dbi dbi;
	MDB_val k = { klen, (void *)key }, v = { vlen, (void *)val };

	if (f->mem) {
		raw_edit_mem(f->s, table, key, klen, val, vlen, del);
		return;
	}
	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_set_maxdbs(env, 64), 0);
	assert_int_equal(mdb_env_set_mapsize(env, DEFAULT_MAP), 0);
	assert_int_equal(mdb_env_open(env, dir, MDB_NOTLS, 0660), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, 0, &t), 0);
	assert_int_equal(mdb_dbi_open(t, table, 0, &dbi), 0);
	if (del)
		assert_int_equal(mdb_del(t, dbi, &k, NULL), 0);
	else
		assert_int_equal(mdb_put(t, dbi, &k, &v, 0), 0);
	assert_int_equal(mdb_txn_commit(t), 0);
	mdb_env_close(env);
}

static void
raw_put_record(struct fx *f, const char *table, uint64_t id, const void *val, size_t vlen)
{
	struct key k;

	key_init(&k);
	key_u64(&k, id);
	raw_edit(f, table, k.b, k.n, val, vlen, false);
}

/* ---- records ---- */

static void
program_fill(struct program *p, const char *name)
{
	memset(p, 0, sizeof *p);
	p->name = name ? xstrdup(name) : NULL;
	p->status = PROGRAM_ACTIVE;
	p->window_days = 30;
	memcpy(p->currency, "EUR", 4);
}

static void
partner_fill(struct partner *p, const char *name, uint64_t tier)
{
	memset(p, 0, sizeof *p);
	p->name = xstrdup(name);
	p->tier = tier;
}

static void
referral_fill(struct referral *r, uint64_t referrer, int64_t at, const char *email)
{
	memset(r, 0, sizeof *r);
	r->program = 1;
	r->code = 1;
	r->referrer = referrer;
	r->at = at;
	r->email = email ? xstrdup(email) : NULL;
}

struct put_ctx {
	enum kind k;
	void *rec;
};

static enum status
cb_put(struct txn *t, void *ctx)
{
	struct put_ctx *c = ctx;

	rec_put(t, c->k, c->rec);
	return txn_status(t);
}

/* Insert or update rec in its own write; the status of store_write. */
static enum status
put(struct fx *f, enum kind k, void *rec)
{
	struct put_ctx c = { k, rec };

	err_clear(&f->e);
	return store_write(f->s, cb_put, &c, &f->e);
}

static uint64_t
put_program(struct fx *f, const char *name)
{
	struct program p;
	uint64_t id;

	program_fill(&p, name);
	assert_int_equal(put(f, KIND_PROGRAM, &p), ST_OK);
	id = p.id;
	rec_free(KIND_PROGRAM, &p);
	return id;
}

static uint64_t
put_partner(struct fx *f, const char *name, uint64_t tier)
{
	struct partner p;
	uint64_t id;

	partner_fill(&p, name, tier);
	assert_int_equal(put(f, KIND_PARTNER, &p), ST_OK);
	id = p.id;
	rec_free(KIND_PARTNER, &p);
	return id;
}

struct del_ctx {
	enum kind k;
	uint64_t id;
	enum status st;
};

static enum status
cb_del(struct txn *t, void *ctx)
{
	struct del_ctx *c = ctx;

	c->st = rec_del(t, c->k, c->id);
	return txn_status(t);
}

static enum status
del(struct fx *f, enum kind k, uint64_t id)
{
	struct del_ctx c = { k, id, ST_OK };
	enum status st;

	err_clear(&f->e);
	st = store_write(f->s, cb_del, &c, &f->e);
	if (st == ST_OK)
		st = c.st;
	return st;
}

static uint64_t
count_kind(struct fx *f, enum kind k)
{
	struct txn *t = txn_begin_read(f->s);
	uint64_t n = rec_count(t, k);

	assert_int_equal(txn_status(t), ST_OK);
	txn_end(t);
	return n;
}

static uint64_t
count_idx(struct fx *f, enum index ix)
{
	struct txn *t = txn_begin_read(f->s);
	uint64_t n = idx_count(t, ix);

	assert_int_equal(txn_status(t), ST_OK);
	txn_end(t);
	return n;
}

static uint64_t
find_name(struct fx *f, enum index ix, const char *name)
{
	struct txn *t = txn_begin_read(f->s);
	struct key k;
	uint64_t id;

	key_init(&k);
	key_str(&k, name, true);
	id = idx_find(t, ix, &k);
	assert_int_equal(txn_status(t), ST_OK);
	txn_end(t);
	return id;
}

/* Walk ix (prefix may be NULL) into ids; returns the count. */
static size_t
walk(struct fx *f, enum index ix, const struct key *prefix, bool reverse, uint64_t *ids, size_t max)
{
	struct txn *t = txn_begin_read(f->s);
	struct iter *it = iter_index(t, ix, prefix, reverse);
	uint64_t id;
	size_t n = 0;

	while (iter_next(it, &id)) {
		if (n < max)
			ids[n] = id;
		n++;
	}
	iter_close(it);
	assert_int_equal(txn_status(t), ST_OK);
	txn_end(t);
	return n;
}

static void
assert_ids(const uint64_t *got, size_t ngot, const uint64_t *want, size_t nwant)
{
	size_t i;

	if (ngot != nwant)
		fail_msg("got %zu ids, want %zu", ngot, nwant);
	for (i = 0; i < nwant; i++)
		if (got[i] != want[i])
			fail_msg("id %zu: got %llu, want %llu", i,
			    (unsigned long long)got[i], (unsigned long long)want[i]);
}

static void
report_line(void *ctx, const char *line)
{
	struct sbuf *b = ctx;

	sbuf_add(b, line);
	sbuf_addc(b, '\n');
}

/* store_verify in a read transaction; its report lines into out. */
static uint64_t
verify(struct fx *f, char *out, size_t size)
{
	struct txn *t = txn_begin_read(f->s);
	struct sbuf b;
	uint64_t n;

	sbuf_init(&b);
	n = store_verify(t, report_line, &b);
	txn_end(t);
	snprintf(out, size, "%s", sbuf_str(&b));
	sbuf_free(&b);
	return n;
}

static void
assert_verify_clean(struct fx *f)
{
	char lines[4096];
	uint64_t n = verify(f, lines, sizeof lines);

	if (n != 0)
		fail_msg("store_verify found %llu problems:\n%s", (unsigned long long)n, lines);
}

/* ==== opening ==== */

static void
test_open_create_missing_dir(void **state)
{
	struct fx *f = *state;
	struct stat sb;

	assert_int_equal(store_open(f->db, STORE_CREATE, &f->s, &f->e), ST_OK);
	assert_non_null(f->s);
	assert_string_equal(store_path(f->s), f->db);
	assert_int_equal(stat(f->db, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	assert_true(exists(f->db, "data.mdb"));
	/* A new environment without a schema is not yet an ally database. */
	store_close(f->s);
	f->s = NULL;
	err_clear(&f->e);
	assert_int_equal(store_open(f->db, 0, &f->s, &f->e), ST_NOINPUT);
	assert_null(f->s);
	assert_contains(f->e.msg, "ally init");
	reopen(f, STORE_CREATE);
	put_schema(f, STORE_SCHEMA);
	reopen(f, 0);
	assert_int_equal(count_kind(f, KIND_PROGRAM), 0);
}

static void
test_open_missing_dir_without_create(void **state)
{
	struct fx *f = *state;
	struct stat sb;
	struct store *s = (struct store *)(uintptr_t)1;   /* must be reset to NULL */

	assert_int_equal(store_open(f->db, 0, &s, &f->e), ST_NOINPUT);
	assert_null(s);
	assert_int_equal(f->e.st, ST_NOINPUT);
	assert_contains(f->e.msg, "ally init");
	assert_contains(f->e.msg, f->db);
	assert_int_not_equal(stat(f->db, &sb), 0);
	err_clear(&f->e);
	assert_int_equal(store_open(f->db, STORE_RDONLY, &s, &f->e), ST_NOINPUT);
	assert_contains(f->e.msg, "ally init");
	assert_int_not_equal(stat(f->db, &sb), 0);
}

/* An existing directory that holds no database: refused, and left as it
 * was (no data.mdb or lock.mdb left behind). */
static void
test_open_empty_dir_not_ally(void **state)
{
	struct fx *f = *state;

	assert_int_equal(mkdir(f->db, 0700), 0);
	assert_int_equal(store_open(f->db, 0, &f->s, &f->e), ST_NOINPUT);
	assert_null(f->s);
	assert_contains(f->e.msg, "ally init");
	assert_int_equal(dir_entries(f->db), 0);
}

static void
test_open_rdonly_empty_dir(void **state)
{
	struct fx *f = *state;

	assert_int_equal(mkdir(f->db, 0700), 0);
	assert_int_equal(store_open(f->db, STORE_RDONLY, &f->s, &f->e), ST_NOINPUT);
	assert_null(f->s);
	assert_contains(f->e.msg, "ally init");
	assert_false(exists(f->db, "data.mdb"));
}

static void
test_open_garbage_data_file(void **state)
{
	struct fx *f = *state;
	char path[PATH_MAX * 2], junk[8192];
	FILE *fp;
	struct stat sb;

	assert_int_equal(mkdir(f->db, 0700), 0);
	snprintf(path, sizeof path, "%s/data.mdb", f->db);
	memset(junk, 'J', sizeof junk);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(junk, 1, sizeof junk, fp), sizeof junk);
	fclose(fp);
	assert_int_equal(store_open(f->db, 0, &f->s, &f->e), ST_DATA);
	assert_null(f->s);
	assert_int_equal(f->e.st, ST_DATA);
	assert_contains(f->e.msg, f->db);
	err_clear(&f->e);
	/* Not even STORE_CREATE overwrites a file that is not ours. */
	assert_int_not_equal(store_open(f->db, STORE_CREATE, &f->s, &f->e), ST_OK);
	assert_null(f->s);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size, (off_t)sizeof junk);
}

static void
test_open_regular_file(void **state)
{
	struct fx *f = *state;
	FILE *fp = fopen(f->db, "w");

	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(store_open(f->db, STORE_CREATE, &f->s, &f->e), ST_NOINPUT);
	assert_null(f->s);
	assert_contains(f->e.msg, "not a directory");
}

static void
test_open_rdonly_refuses_writes(void **state)
{
	struct fx *f = *state;
	struct program p;
	struct txn *t;

	put_program(f, "Alpha");
	reopen(f, STORE_RDONLY);
	t = txn_begin_read(f->s);
	assert_int_equal(rec_get(t, KIND_PROGRAM, 1, &p), ST_OK);
	assert_string_equal(p.name, "Alpha");
	rec_free(KIND_PROGRAM, &p);
	txn_end(t);
	program_fill(&p, "Beta");
	assert_int_equal(put(f, KIND_PROGRAM, &p), ST_NOPERM);
	assert_contains(f->e.msg, "read-only");
	rec_free(KIND_PROGRAM, &p);
	assert_int_equal(count_kind(f, KIND_PROGRAM), 1);
}

/* ==== schema ==== */

static void
test_schema_newer_refused(void **state)
{
	struct fx *f = *state;

	put_schema(f, STORE_SCHEMA + 1);
	store_close(f->s);
	f->s = NULL;
	assert_int_equal(store_open(f->db, 0, &f->s, &f->e), ST_CONFIG);
	assert_null(f->s);
	assert_contains(f->e.msg, "newer");
	err_clear(&f->e);
	assert_int_equal(store_open(f->db, STORE_CREATE, &f->s, &f->e), ST_CONFIG);
	assert_null(f->s);
	assert_contains(f->e.msg, "newer");
	err_clear(&f->e);
	assert_int_equal(store_open(f->db, STORE_RDONLY, &f->s, &f->e), ST_CONFIG);
	assert_null(f->s);
}

static void
test_schema_equal_ok(void **state)
{
	struct fx *f = *state;

	put_schema(f, STORE_SCHEMA);
	reopen(f, 0);
	reopen(f, STORE_RDONLY);
	reopen(f, STORE_CREATE);
	{
		struct txn *t = txn_begin_read(f->s);
		uint32_t v = 0;
		assert_int_equal(meta_get(t, "schema", &v, sizeof v), ST_OK);
		assert_int_equal(v, STORE_SCHEMA);
		txn_end(t);
	}
}

/* ==== records ==== */

struct ids_ctx {
	uint64_t pg[3], pa[2], rf[2];
};

static enum status
cb_interleaved(struct txn *t, void *ctx)
{
	struct ids_ctx *c = ctx;
	struct program p;
	struct partner pa;
	struct referral r;
	char name[32];
	int i;

	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof name, "Program %d", i);
		program_fill(&p, name);
		rec_put(t, KIND_PROGRAM, &p);
		c->pg[i] = p.id;
		rec_free(KIND_PROGRAM, &p);
		if (i < 2) {
			snprintf(name, sizeof name, "Partner %d", i);
			partner_fill(&pa, name, 0);
			rec_put(t, KIND_PARTNER, &pa);
			c->pa[i] = pa.id;
			rec_free(KIND_PARTNER, &pa);
		}
	}
	referral_fill(&r, 1, T0, "a@example.com");
	rec_put(t, KIND_REFERRAL, &r);
	c->rf[0] = r.id;
	rec_free(KIND_REFERRAL, &r);
	return txn_status(t);
}

static void
test_ids_per_kind(void **state)
{
	struct fx *f = *state;
	struct ids_ctx c;
	struct referral r;

	memset(&c, 0, sizeof c);
	assert_int_equal(store_write(f->s, cb_interleaved, &c, &f->e), ST_OK);
	assert_int_equal(c.pg[0], 1);
	assert_int_equal(c.pg[1], 2);
	assert_int_equal(c.pg[2], 3);
	assert_int_equal(c.pa[0], 1);
	assert_int_equal(c.pa[1], 2);
	assert_int_equal(c.rf[0], 1);
	/* The sequences go on in later transactions and after a reopen. */
	assert_int_equal(put_program(f, "Program 4"), 4);
	reopen(f, 0);
	assert_int_equal(put_partner(f, "Partner 3", 0), 3);
	referral_fill(&r, 1, T0, NULL);
	assert_int_equal(put(f, KIND_REFERRAL, &r), ST_OK);
	assert_int_equal(r.id, 2);
	rec_free(KIND_REFERRAL, &r);
	/* Ids are not reused after a delete. */
	assert_int_equal(del(f, KIND_PROGRAM, 4), ST_OK);
	assert_int_equal(put_program(f, "Program 5"), 5);
	assert_int_equal(count_kind(f, KIND_PROGRAM), 4);
}

static void
test_roundtrip_program(void **state)
{
	struct fx *f = *state;
	struct program p, g, cp;
	struct txn *t;

	store_set_actor(f->s, "tester");
	memset(&p, 0, sizeof p);
	p.name = xstrdup("Prögramm \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80");
	p.status = PROGRAM_PAUSED;
	p.start = -31536000;
	p.end = INT64_MAX;
	p.landing = xstrdup("https://example.com/?ref={code}");
	p.events = NULL;
	p.window_days = INT32_MAX;
	p.attribution = ATTR_LAST;
	p.eligible = ELIG_CUSTOMERS | ELIG_PARTNERS;
	p.tiers = xstrdup("");             /* empty, which is not NULL */
	p.max_refs = -7;
	p.max_period = INT32_MIN;
	p.rule = xstrdup("10% of amount, min 5.00 \"quoted\"\n2nd line");
	p.cap = INT64_MIN;
	p.hold_days = 14;
	memcpy(p.currency, "JPY", 4);
	assert_int_equal(put(f, KIND_PROGRAM, &p), ST_OK);
	assert_int_equal(p.id, 1);
	reopen(f, 0);

	t = txn_begin_read(f->s);
	assert_int_equal(rec_get(t, KIND_PROGRAM, 1, &g), ST_OK);
	txn_end(t);
	assert_int_equal(g.id, 1);
	assert_string_equal(g.name, p.name);
	assert_int_equal(g.status, PROGRAM_PAUSED);
	assert_true(g.start == -31536000);
	assert_true(g.end == INT64_MAX);
	assert_string_equal(g.landing, p.landing);
	assert_null(g.events);
	assert_int_equal(g.window_days, INT32_MAX);
	assert_int_equal(g.attribution, ATTR_LAST);
	assert_int_equal(g.eligible, ELIG_CUSTOMERS | ELIG_PARTNERS);
	assert_non_null(g.tiers);
	assert_string_equal(g.tiers, "");
	assert_int_equal(g.max_refs, -7);
	assert_int_equal(g.max_period, INT32_MIN);
	assert_string_equal(g.rule, p.rule);
	assert_true(g.cap == INT64_MIN);
	assert_int_equal(g.hold_days, 14);
	assert_string_equal(g.currency, "JPY");
	assert_true(g.m.created == T0);
	assert_true(g.m.updated == T0);
	assert_string_equal(g.m.actor, "tester");

	/* rec_copy is deep: the copy outlives the original. */
	rec_copy(KIND_PROGRAM, &cp, &g);
	assert_ptr_not_equal(cp.name, g.name);
	rec_free(KIND_PROGRAM, &g);
	assert_null(g.name);
	assert_string_equal(cp.name, p.name);
	assert_string_equal(cp.tiers, "");
	assert_null(cp.events);
	rec_free(KIND_PROGRAM, &cp);
	rec_free(KIND_PROGRAM, &p);
}

static void
test_roundtrip_partner(void **state)
{
	struct fx *f = *state;
	struct partner p, g;
	struct txn *t;

	memset(&p, 0, sizeof p);
	p.name = xstrdup("Zoë & Søn GmbH");
	p.kind = PKIND_INTEGRATION;
	p.tier = UINT64_MAX;
	p.contact = NULL;
	p.email = xstrdup("sales@zoe.example");
	p.address = xstrdup("Straße 1\n10115 Berlin");
	p.payout_email = NULL;
	p.notes = xstrdup("");
	p.status = PARTNER_SUSPENDED;
	assert_int_equal(put(f, KIND_PARTNER, &p), ST_OK);

	t = txn_begin_read(f->s);
	assert_int_equal(rec_get(t, KIND_PARTNER, p.id, &g), ST_OK);
	txn_end(t);
	assert_int_equal(g.id, p.id);
	assert_string_equal(g.name, "Zoë & Søn GmbH");
	assert_int_equal(g.kind, PKIND_INTEGRATION);
	assert_true(g.tier == UINT64_MAX);
	assert_null(g.contact);
	assert_string_equal(g.email, "sales@zoe.example");
	assert_string_equal(g.address, "Straße 1\n10115 Berlin");
	assert_null(g.payout_email);
	assert_string_equal(g.notes, "");
	assert_int_equal(g.status, PARTNER_SUSPENDED);
	assert_true(g.m.created == T0);
	/* No actor set for this store: none is written. */
	assert_null(g.m.actor);
	rec_free(KIND_PARTNER, &g);
	rec_free(KIND_PARTNER, &p);
}

static void
test_roundtrip_referral(void **state)
{
	struct fx *f = *state;
	struct referral r, g;
	struct txn *t;

	memset(&r, 0, sizeof r);
	r.program = 3;
	r.code = 9;
	r.referrer = 11;
	r.email = xstrdup("dave@example.org");
	r.name = NULL;
	r.at = -1;
	r.status = REFERRAL_REJECTED;
	r.reason = xstrdup("duplicate \xe2\x80\x94 see R1");
	assert_int_equal(put(f, KIND_REFERRAL, &r), ST_OK);

	t = txn_begin_read(f->s);
	assert_int_equal(rec_get(t, KIND_REFERRAL, r.id, &g), ST_OK);
	txn_end(t);
	assert_int_equal(g.id, 1);
	assert_int_equal(g.program, 3);
	assert_int_equal(g.code, 9);
	assert_int_equal(g.referrer, 11);
	assert_string_equal(g.email, "dave@example.org");
	assert_null(g.name);
	assert_true(g.at == -1);
	assert_int_equal(g.status, REFERRAL_REJECTED);
	assert_string_equal(g.reason, "duplicate \xe2\x80\x94 see R1");
	rec_free(KIND_REFERRAL, &g);
	rec_free(KIND_REFERRAL, &r);
}

static void
test_roundtrip_conversion(void **state)
{
	struct fx *f = *state;
	struct conversion c, g;
	struct txn *t;

	memset(&c, 0, sizeof c);
	c.program = 2;
	c.referral = 5;
	c.referrer = 6;
	c.event = xstrdup("purchase");
	c.amount = -1234567890123LL;
	memcpy(c.currency, "BHD", 4);
	c.at = T0 - 5;
	c.ext_id = xstrdup("ord-\xce\xa9-1");
	c.refunded = 500;
	c.qualifying = 1;
	assert_int_equal(put(f, KIND_CONVERSION, &c), ST_OK);

	t = txn_begin_read(f->s);
	assert_int_equal(rec_get(t, KIND_CONVERSION, c.id, &g), ST_OK);
	txn_end(t);
	assert_int_equal(g.id, 1);
	assert_int_equal(g.program, 2);
	assert_int_equal(g.referral, 5);
	assert_int_equal(g.referrer, 6);
	assert_string_equal(g.event, "purchase");
	assert_true(g.amount == -1234567890123LL);
	assert_string_equal(g.currency, "BHD");
	assert_true(g.at == T0 - 5);
	assert_string_equal(g.ext_id, "ord-\xce\xa9-1");
	assert_true(g.refunded == 500);
	assert_int_equal(g.qualifying, 1);
	rec_free(KIND_CONVERSION, &g);
	rec_free(KIND_CONVERSION, &c);
}

static void
test_meta_times_and_actor(void **state)
{
	struct fx *f = *state;
	struct program p, g;
	struct txn *t;

	store_set_actor(f->s, "alice");
	program_fill(&p, "Meta");
	p.m.created = 42;                   /* a new record gets "now" */
	assert_int_equal(put(f, KIND_PROGRAM, &p), ST_OK);
	assert_true(p.m.created == T0);     /* written back */
	assert_true(p.m.updated == T0);
	assert_string_equal(p.m.actor, "alice");
	rec_free(KIND_PROGRAM, &p);

	clock_set(T0 + 60);
	store_set_actor(f->s, "bob");
	t = txn_begin_read(f->s);
	assert_int_equal(rec_get(t, KIND_PROGRAM, 1, &p), ST_OK);
	txn_end(t);
	p.status = PROGRAM_PAUSED;
	assert_int_equal(put(f, KIND_PROGRAM, &p), ST_OK);
	rec_free(KIND_PROGRAM, &p);
	t = txn_begin_read(f->s);
	assert_int_equal(rec_get(t, KIND_PROGRAM, 1, &g), ST_OK);
	txn_end(t);
	assert_true(g.m.created == T0);
	assert_true(g.m.updated == T0 + 60);
	assert_string_equal(g.m.actor, "bob");
	assert_int_equal(g.status, PROGRAM_PAUSED);
	rec_free(KIND_PROGRAM, &g);

	/* An update built from scratch (created 0) keeps the stored created. */
	clock_set(T0 + 120);
	store_set_actor(f->s, NULL);
	program_fill(&p, "Meta");
	p.id = 1;
	assert_int_equal(put(f, KIND_PROGRAM, &p), ST_OK);
	rec_free(KIND_PROGRAM, &p);
	t = txn_begin_read(f->s);
	assert_int_equal(rec_get(t, KIND_PROGRAM, 1, &g), ST_OK);
	txn_end(t);
	assert_true(g.m.created == T0);
	assert_true(g.m.updated == T0 + 120);
	rec_free(KIND_PROGRAM, &g);
}

struct missing_ctx {
	enum status get_missing, st_after, get_present, put, del_missing;
	char *name_after;
};

static enum status
cb_missing(struct txn *t, void *ctx)
{
	struct missing_ctx *c = ctx;
	struct program p;

	memset(&p, 0xA5, sizeof p);
	c->get_missing = rec_get(t, KIND_PROGRAM, 99, &p);
	c->name_after = p.name;            /* rec_get zeroes rec */
	c->st_after = txn_status(t);
	c->del_missing = rec_del(t, KIND_PROGRAM, 98);
	c->get_present = rec_get(t, KIND_PROGRAM, 1, &p);
	rec_free(KIND_PROGRAM, &p);
	program_fill(&p, "Second");
	c->put = rec_put(t, KIND_PROGRAM, &p);
	rec_free(KIND_PROGRAM, &p);
	return txn_status(t);
}

static void
test_get_missing_not_sticky(void **state)
{
	struct fx *f = *state;
	struct missing_ctx c;
	struct program p;
	struct txn *t;

	put_program(f, "First");
	t = txn_begin_read(f->s);
	assert_int_equal(rec_get(t, KIND_PROGRAM, 2, &p), ST_NOTFOUND);
	assert_int_equal(rec_get(t, KIND_PROGRAM, 0, &p), ST_NOTFOUND);
	{
		struct partner pa;
		assert_int_equal(rec_get(t, KIND_PARTNER, 1, &pa), ST_NOTFOUND);
	}
	assert_int_equal(txn_status(t), ST_OK);
	assert_int_equal(rec_get(t, KIND_PROGRAM, 1, &p), ST_OK);
	assert_string_equal(p.name, "First");
	rec_free(KIND_PROGRAM, &p);
	txn_end(t);

	memset(&c, 0, sizeof c);
	assert_int_equal(store_write(f->s, cb_missing, &c, &f->e), ST_OK);
	assert_int_equal(c.get_missing, ST_NOTFOUND);
	assert_null(c.name_after);
	assert_int_equal(c.st_after, ST_OK);
	assert_int_equal(c.del_missing, ST_NOTFOUND);
	assert_int_equal(c.get_present, ST_OK);
	assert_int_equal(c.put, ST_OK);
	assert_int_equal(count_kind(f, KIND_PROGRAM), 2);
}

/* ==== unique indexes ==== */

static void
test_unique_clash_case(void **state)
{
	struct fx *f = *state;
	struct program p;
	uint64_t before = store_last_txnid(f->s);

	assert_int_equal(put_program(f, "Acme"), 1);
	assert_true(store_last_txnid(f->s) > before);
	before = store_last_txnid(f->s);
	program_fill(&p, "ACME");
	assert_int_equal(put(f, KIND_PROGRAM, &p), ST_EXISTS);
	rec_free(KIND_PROGRAM, &p);
	assert_int_equal(f->e.st, ST_EXISTS);
	assert_contains(f->e.msg, "already taken");
	assert_contains(f->e.msg, "program name");
	assert_contains(f->e.msg, "acme");
	/* Nothing was written: no commit, one record, the sequence unmoved. */
	assert_true(store_last_txnid(f->s) == before);
	assert_int_equal(count_kind(f, KIND_PROGRAM), 1);
	assert_int_equal(count_idx(f, IDX_PROGRAM_NAME), 1);
	assert_int_equal(find_name(f, IDX_PROGRAM_NAME, "ACME"), 1);
	assert_int_equal(put_program(f, "Beta"), 2);
	/* A rename onto a taken name fails and leaves both as they were. */
	{
		struct txn *t = txn_begin_read(f->s);
		assert_int_equal(rec_get(t, KIND_PROGRAM, 2, &p), ST_OK);
		txn_end(t);
	}
	free(p.name);
	p.name = xstrdup("aCmE");
	assert_int_equal(put(f, KIND_PROGRAM, &p), ST_EXISTS);
	rec_free(KIND_PROGRAM, &p);
	assert_int_equal(find_name(f, IDX_PROGRAM_NAME, "beta"), 2);
	assert_int_equal(find_name(f, IDX_PROGRAM_NAME, "acme"), 1);
	assert_int_equal(count_idx(f, IDX_PROGRAM_NAME), 2);
	assert_verify_clean(f);
}

struct two_ctx {
	const char *a, *b;
};

static enum status
cb_two_programs(struct txn *t, void *ctx)
{
	struct two_ctx *c = ctx;
	struct program p;

	program_fill(&p, c->a);
	rec_put(t, KIND_PROGRAM, &p);
	rec_free(KIND_PROGRAM, &p);
	program_fill(&p, c->b);
	rec_put(t, KIND_PROGRAM, &p);
	rec_free(KIND_PROGRAM, &p);
	return txn_status(t);
}

static void
test_unique_clash_within_one_write(void **state)
{
	struct fx *f = *state;
	struct two_ctx c = { "Gamma", "gAMMA" };

	assert_int_equal(store_write(f->s, cb_two_programs, &c, &f->e), ST_EXISTS);
	assert_contains(f->e.msg, "already taken");
	assert_int_equal(count_kind(f, KIND_PROGRAM), 0);
	assert_int_equal(count_idx(f, IDX_PROGRAM_NAME), 0);
	assert_int_equal(put_program(f, "Gamma"), 1);
}

static void
test_unique_other_indexes(void **state)
{
	struct fx *f = *state;
	struct user u;
	struct code k;
	struct conversion c;
	struct referrer r;

	memset(&u, 0, sizeof u);
	u.login = xstrdup("Root");
	assert_int_equal(put(f, KIND_USER, &u), ST_OK);
	rec_free(KIND_USER, &u);
	u.login = xstrdup("root");
	assert_int_equal(put(f, KIND_USER, &u), ST_EXISTS);
	assert_contains(f->e.msg, "user login");
	rec_free(KIND_USER, &u);

	/* Codes are not folded: "ABC" and "abc" are different codes. */
	memset(&k, 0, sizeof k);
	k.code = xstrdup("ABC");
	assert_int_equal(put(f, KIND_CODE, &k), ST_OK);
	rec_free(KIND_CODE, &k);
	k.code = xstrdup("abc");
	assert_int_equal(put(f, KIND_CODE, &k), ST_OK);
	rec_free(KIND_CODE, &k);
	k.code = xstrdup("ABC");
	assert_int_equal(put(f, KIND_CODE, &k), ST_EXISTS);
	assert_contains(f->e.msg, "code");
	rec_free(KIND_CODE, &k);

	/* External ids are unique per program. */
	memset(&c, 0, sizeof c);
	c.program = 1;
	c.ext_id = xstrdup("order-1");
	assert_int_equal(put(f, KIND_CONVERSION, &c), ST_OK);
	rec_free(KIND_CONVERSION, &c);
	c.program = 2;
	c.ext_id = xstrdup("order-1");
	assert_int_equal(put(f, KIND_CONVERSION, &c), ST_OK);
	rec_free(KIND_CONVERSION, &c);
	c.program = 1;
	c.ext_id = xstrdup("order-1");
	assert_int_equal(put(f, KIND_CONVERSION, &c), ST_EXISTS);
	rec_free(KIND_CONVERSION, &c);
	assert_int_equal(count_kind(f, KIND_CONVERSION), 2);

	/* One referrer per partner; customers have no entry there. */
	memset(&r, 0, sizeof r);
	r.kind = REFERRER_PARTNER;
	r.partner = 5;
	assert_int_equal(put(f, KIND_REFERRER, &r), ST_OK);
	rec_free(KIND_REFERRER, &r);
	r.kind = REFERRER_PARTNER;
	r.partner = 5;
	assert_int_equal(put(f, KIND_REFERRER, &r), ST_EXISTS);
	assert_contains(f->e.msg, "partner referrer");
	rec_free(KIND_REFERRER, &r);
	r.kind = REFERRER_CUSTOMER;
	r.partner = 5;
	assert_int_equal(put(f, KIND_REFERRER, &r), ST_OK);
	rec_free(KIND_REFERRER, &r);
	assert_int_equal(count_idx(f, IDX_REFERRER_PARTNER), 1);
	assert_verify_clean(f);
}

static void
test_rename_moves_unique_entry(void **state)
{
	struct fx *f = *state;
	struct program p;
	struct txn *t;

	put_program(f, "Old Name");
	put_program(f, "Other");
	t = txn_begin_read(f->s);
	assert_int_equal(rec_get(t, KIND_PROGRAM, 1, &p), ST_OK);
	txn_end(t);
	free(p.name);
	p.name = xstrdup("New Name");
	assert_int_equal(put(f, KIND_PROGRAM, &p), ST_OK);
	assert_int_equal(p.id, 1);
	assert_int_equal(find_name(f, IDX_PROGRAM_NAME, "old name"), 0);
	assert_int_equal(find_name(f, IDX_PROGRAM_NAME, "new name"), 1);
	assert_int_equal(count_idx(f, IDX_PROGRAM_NAME), 2);

	/* A change of case only is no clash with itself. */
	free(p.name);
	p.name = xstrdup("NEW NAME");
	assert_int_equal(put(f, KIND_PROGRAM, &p), ST_OK);
	rec_free(KIND_PROGRAM, &p);
	assert_int_equal(find_name(f, IDX_PROGRAM_NAME, "New Name"), 1);
	assert_int_equal(count_idx(f, IDX_PROGRAM_NAME), 2);

	/* The old name is free again. */
	assert_int_equal(put_program(f, "old NAME"), 3);
	assert_int_equal(find_name(f, IDX_PROGRAM_NAME, "old name"), 3);
	assert_int_equal(count_kind(f, KIND_PROGRAM), 3);
	assert_verify_clean(f);
}

/* ==== plain indexes ==== */

static void
tier_prefix(struct key *k, uint64_t tier)
{
	key_init(k);
	key_u64(k, tier);
}

static void
test_update_moves_nonunique_entry(void **state)
{
	struct fx *f = *state;
	struct partner p;
	struct key k;
	uint64_t ids[8];
	size_t n;
	struct txn *t;

	put_partner(f, "P1", 1);
	put_partner(f, "P2", 1);
	put_partner(f, "P3", 2);
	put_partner(f, "P4", 0);

	t = txn_begin_read(f->s);
	assert_int_equal(rec_get(t, KIND_PARTNER, 2, &p), ST_OK);
	txn_end(t);
	p.tier = 2;
	assert_int_equal(put(f, KIND_PARTNER, &p), ST_OK);
	rec_free(KIND_PARTNER, &p);

	tier_prefix(&k, 1);
	n = walk(f, IDX_PARTNER_TIER, &k, false, ids, 8);
	assert_ids(ids, n, (uint64_t[]){ 1 }, 1);
	tier_prefix(&k, 2);
	n = walk(f, IDX_PARTNER_TIER, &k, false, ids, 8);
	assert_ids(ids, n, (uint64_t[]){ 2, 3 }, 2);
	assert_int_equal(count_idx(f, IDX_PARTNER_TIER), 4);

	/* An unchanged update does not duplicate entries. */
	t = txn_begin_read(f->s);
	assert_int_equal(rec_get(t, KIND_PARTNER, 4, &p), ST_OK);
	txn_end(t);
	assert_int_equal(put(f, KIND_PARTNER, &p), ST_OK);
	assert_int_equal(count_idx(f, IDX_PARTNER_TIER), 4);
	p.tier = 1;
	assert_int_equal(put(f, KIND_PARTNER, &p), ST_OK);
	rec_free(KIND_PARTNER, &p);
	tier_prefix(&k, 0);
	assert_int_equal(walk(f, IDX_PARTNER_TIER, &k, false, ids, 8), 0);
	tier_prefix(&k, 1);
	n = walk(f, IDX_PARTNER_TIER, &k, false, ids, 8);
	assert_ids(ids, n, (uint64_t[]){ 1, 4 }, 2);
	assert_int_equal(count_idx(f, IDX_PARTNER_TIER), 4);
	assert_verify_clean(f);
}

static void
test_optional_index_entries(void **state)
{
	struct fx *f = *state;
	struct referrer r;
	struct txn *t;

	memset(&r, 0, sizeof r);
	r.kind = REFERRER_CUSTOMER;
	r.email = xstrdup("x@example.com");
	r.name = xstrdup("");
	assert_int_equal(put(f, KIND_REFERRER, &r), ST_OK);
	rec_free(KIND_REFERRER, &r);
	assert_int_equal(count_idx(f, IDX_REFERRER_EMAIL), 1);
	assert_int_equal(count_idx(f, IDX_REFERRER_NAME), 0);
	assert_int_equal(count_idx(f, IDX_REFERRER_PARTNER), 0);

	t = txn_begin_read(f->s);
	assert_int_equal(rec_get(t, KIND_REFERRER, 1, &r), ST_OK);
	txn_end(t);
	free(r.email);
	r.email = NULL;
	free(r.name);
	r.name = xstrdup("Xavier");
	r.kind = REFERRER_PARTNER;
	r.partner = 5;
	assert_int_equal(put(f, KIND_REFERRER, &r), ST_OK);
	assert_int_equal(count_idx(f, IDX_REFERRER_EMAIL), 0);
	assert_int_equal(count_idx(f, IDX_REFERRER_NAME), 1);
	assert_int_equal(count_idx(f, IDX_REFERRER_PARTNER), 1);

	r.kind = REFERRER_CUSTOMER;
	assert_int_equal(put(f, KIND_REFERRER, &r), ST_OK);
	rec_free(KIND_REFERRER, &r);
	assert_int_equal(count_idx(f, IDX_REFERRER_PARTNER), 0);
	assert_int_equal(del(f, KIND_REFERRER, 1), ST_OK);
	assert_int_equal(count_idx(f, IDX_REFERRER_NAME), 0);
	assert_int_equal(count_kind(f, KIND_REFERRER), 0);
	assert_verify_clean(f);
}

static void
test_del_removes_record_and_entries(void **state)
{
	struct fx *f = *state;
	struct referral r;
	struct conversion c;
	struct program p;
	uint64_t ids[8];
	size_t n;
	int i;
	struct txn *t;

	for (i = 0; i < 3; i++) {
		char email[32];
		snprintf(email, sizeof email, "c%d@example.com", i);
		referral_fill(&r, 7, T0 + i, email);
		assert_int_equal(put(f, KIND_REFERRAL, &r), ST_OK);
		rec_free(KIND_REFERRAL, &r);
	}
	memset(&c, 0, sizeof c);
	c.program = 1;
	c.referral = 2;
	c.ext_id = xstrdup("x-1");
	assert_int_equal(put(f, KIND_CONVERSION, &c), ST_OK);
	rec_free(KIND_CONVERSION, &c);
	put_program(f, "Doomed");

	assert_int_equal(del(f, KIND_REFERRAL, 2), ST_OK);
	t = txn_begin_read(f->s);
	assert_int_equal(rec_get(t, KIND_REFERRAL, 2, &r), ST_NOTFOUND);
	txn_end(t);
	assert_int_equal(count_kind(f, KIND_REFERRAL), 2);
	assert_int_equal(count_idx(f, IDX_REFERRAL_CONTACT), 2);
	assert_int_equal(count_idx(f, IDX_REFERRAL_REFERRER), 2);
	assert_int_equal(count_idx(f, IDX_REFERRAL_TIME), 2);
	n = walk(f, IDX_REFERRAL_TIME, NULL, false, ids, 8);
	assert_ids(ids, n, (uint64_t[]){ 1, 3 }, 2);
	n = walk(f, IDX_REFERRAL_CONTACT, NULL, false, ids, 8);
	assert_ids(ids, n, (uint64_t[]){ 1, 3 }, 2);

	/* Deleting again: ST_NOTFOUND, the write itself succeeds. */
	assert_int_equal(del(f, KIND_REFERRAL, 2), ST_NOTFOUND);

	assert_int_equal(del(f, KIND_CONVERSION, 1), ST_OK);
	assert_int_equal(count_kind(f, KIND_CONVERSION), 0);
	assert_int_equal(count_idx(f, IDX_CONVERSION_EXT), 0);
	assert_int_equal(count_idx(f, IDX_CONVERSION_REFERRAL), 0);
	assert_int_equal(count_idx(f, IDX_CONVERSION_TIME), 0);

	assert_int_equal(del(f, KIND_PROGRAM, 1), ST_OK);
	assert_int_equal(find_name(f, IDX_PROGRAM_NAME, "doomed"), 0);
	program_fill(&p, "Doomed");
	assert_int_equal(put(f, KIND_PROGRAM, &p), ST_OK);
	assert_int_equal(p.id, 2);
	rec_free(KIND_PROGRAM, &p);
	assert_verify_clean(f);
}

/* Large indexes: deletes scattered over, and in a block in the middle of,
 * several pages of every referral index. */
#define BIG_N 3000
#define BIG_REFERRERS 10

struct big_ctx {
	int phase;
	bool alive[BIG_N + 1];
	uint64_t deleted;
};

static int64_t
big_at(uint64_t id)
{
	/* a permutation of the ids, half of them before the epoch */
	return (int64_t)((id * 7919) % BIG_N) * 1000 - BIG_N * 500;
}

static enum status
cb_big(struct txn *t, void *ctx)
{
	struct big_ctx *c = ctx;
	uint64_t id;

	if (c->phase == 0) {
		for (id = 1; id <= BIG_N; id++) {
			struct referral r;
			char email[48];
			snprintf(email, sizeof email, "contact%llu@example.com", (unsigned long long)id);
			referral_fill(&r, id % BIG_REFERRERS + 1, big_at(id), email);
			rec_put(t, KIND_REFERRAL, &r);
			if (r.id != id)
				txn_fail(t, ST_SOFTWARE, "id %llu, want %llu",
				    (unsigned long long)r.id, (unsigned long long)id);
			rec_free(KIND_REFERRAL, &r);
			c->alive[id] = true;
		}
	} else if (c->phase == 1) {
		for (id = 3; id <= BIG_N; id += 3) {
			if (rec_del(t, KIND_REFERRAL, id) == ST_OK)
				c->deleted++;
			c->alive[id] = false;
		}
	} else {
		for (id = BIG_N / 3; id < 2 * BIG_N / 3; id++) {
			enum status st = rec_del(t, KIND_REFERRAL, id);
			if (st == ST_OK)
				c->deleted++;
			if (st != ST_OK && c->alive[id])
				txn_fail(t, ST_SOFTWARE, "delete of R%llu failed", (unsigned long long)id);
			c->alive[id] = false;
		}
	}
	return txn_status(t);
}

static void
check_big_index(struct fx *f, const struct big_ctx *c, enum index ix, uint64_t want)
{
	struct txn *t = txn_begin_read(f->s);
	struct iter *it = iter_index(t, ix, NULL, false);
	unsigned char prev[STORE_KEY_MAX];
	size_t prevn = 0, kl;
	bool *seen = xcalloc(BIG_N + 1, sizeof *seen);
	uint64_t id, n = 0;

	assert_int_equal(idx_count(t, ix), want);
	while (iter_next(it, &id)) {
		const unsigned char *kb = iter_key(it, &kl);
		if (id == 0 || id > BIG_N || !c->alive[id])
			fail_msg("%s: entry for deleted or unknown R%llu", idx_name(ix), (unsigned long long)id);
		if (seen[id])
			fail_msg("%s: R%llu twice", idx_name(ix), (unsigned long long)id);
		seen[id] = true;
		if (n > 0) {
			int cmp = memcmp(prev, kb, prevn < kl ? prevn : kl);
			if (cmp > 0 || (cmp == 0 && prevn >= kl))
				fail_msg("%s: keys out of order at R%llu", idx_name(ix), (unsigned long long)id);
		}
		memcpy(prev, kb, kl);
		prevn = kl;
		n++;
	}
	iter_close(it);
	assert_int_equal(txn_status(t), ST_OK);
	txn_end(t);
	free(seen);
	assert_int_equal(n, want);
}

static void
check_big_referrer(struct fx *f, const struct big_ctx *c, uint64_t referrer, bool reverse)
{
	struct txn *t = txn_begin_read(f->s);
	struct key k;
	struct iter *it;
	struct referral r;
	uint64_t id, n = 0, want = 0, i;
	int64_t last = 0;

	for (i = 1; i <= BIG_N; i++)
		if (c->alive[i] && i % BIG_REFERRERS + 1 == referrer)
			want++;
	key_init(&k);
	key_u64(&k, referrer);
	it = iter_index(t, IDX_REFERRAL_REFERRER, &k, reverse);
	while (iter_next(it, &id)) {
		assert_true(id <= BIG_N && c->alive[id]);
		assert_int_equal(rec_get(t, KIND_REFERRAL, id, &r), ST_OK);
		assert_int_equal(r.referrer, referrer);
		if (n > 0 && (reverse ? r.at > last : r.at < last))
			fail_msg("referrer %llu: R%llu out of time order", (unsigned long long)referrer,
			    (unsigned long long)id);
		last = r.at;
		rec_free(KIND_REFERRAL, &r);
		n++;
	}
	iter_close(it);
	assert_int_equal(txn_status(t), ST_OK);
	txn_end(t);
	assert_int_equal(n, want);
}

static void
check_big(struct fx *f, const struct big_ctx *c)
{
	uint64_t alive = 0, i;

	for (i = 1; i <= BIG_N; i++)
		alive += c->alive[i];
	assert_int_equal(count_kind(f, KIND_REFERRAL), alive);
	check_big_index(f, c, IDX_REFERRAL_CONTACT, alive);
	check_big_index(f, c, IDX_REFERRAL_REFERRER, alive);
	check_big_index(f, c, IDX_REFERRAL_TIME, alive);
	for (i = 1; i <= BIG_REFERRERS; i++) {
		check_big_referrer(f, c, i, false);
		check_big_referrer(f, c, i, true);
	}
	assert_verify_clean(f);
}

static void
test_del_middle_of_large_index(void **state)
{
	struct fx *f = *state;
	struct big_ctx *c = xcalloc(1, sizeof *c);

	assert_int_equal(store_write(f->s, cb_big, c, &f->e), ST_OK);
	check_big(f, c);
	c->phase = 1;
	assert_int_equal(store_write(f->s, cb_big, c, &f->e), ST_OK);
	assert_int_equal(c->deleted, BIG_N / 3);
	check_big(f, c);
	c->phase = 2;
	c->deleted = 0;
	assert_int_equal(store_write(f->s, cb_big, c, &f->e), ST_OK);
	assert_true(c->deleted > 600);
	check_big(f, c);
	/* And all the rest, one write per record, from the middle outwards. */
	{
		uint64_t lo = BIG_N / 2, hi = BIG_N / 2 + 1;
		while (lo >= 1 || hi <= BIG_N) {
			if (lo >= 1) {
				if (c->alive[lo]) {
					assert_int_equal(del(f, KIND_REFERRAL, lo), ST_OK);
					c->alive[lo] = false;
				}
				lo--;
			}
			if (hi <= BIG_N) {
				if (c->alive[hi] && hi % 7 == 0) {
					assert_int_equal(del(f, KIND_REFERRAL, hi), ST_OK);
					c->alive[hi] = false;
				}
				hi++;
			}
		}
	}
	check_big(f, c);
	free(c);
}

/* ==== iteration ==== */

static void
test_iter_prefix_forward_reverse(void **state)
{
	struct fx *f = *state;
	static const struct { uint64_t referrer; int64_t at; } rows[] = {
		{ 7, T0 + 30 },   /* R1 */
		{ 6, T0 },        /* R2 */
		{ 7, -100 },      /* R3 */
		{ 8, -200 },      /* R4 */
		{ 7, T0 + 5 },    /* R5 */
		{ 7, T0 + 30 },   /* R6: same time as R1 */
		{ 8, T0 + 1 },    /* R7 */
		{ 7, INT64_MIN }, /* R8 */
		{ 7, INT64_MAX }, /* R9 */
	};
	struct referral r;
	struct key k;
	uint64_t ids[16];
	size_t i, n;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		referral_fill(&r, rows[i].referrer, rows[i].at, NULL);
		assert_int_equal(put(f, KIND_REFERRAL, &r), ST_OK);
		rec_free(KIND_REFERRAL, &r);
	}
	key_init(&k);
	key_u64(&k, 7);
	n = walk(f, IDX_REFERRAL_REFERRER, &k, false, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 8, 3, 5, 1, 6, 9 }, 6);
	n = walk(f, IDX_REFERRAL_REFERRER, &k, true, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 9, 6, 1, 5, 3, 8 }, 6);

	/* A longer prefix: referrer 7 at exactly T0+30. */
	key_i64(&k, T0 + 30);
	n = walk(f, IDX_REFERRAL_REFERRER, &k, false, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 1, 6 }, 2);
	n = walk(f, IDX_REFERRAL_REFERRER, &k, true, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 6, 1 }, 2);

	/* The first and last referrers. */
	key_init(&k);
	key_u64(&k, 6);
	n = walk(f, IDX_REFERRAL_REFERRER, &k, true, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 2 }, 1);
	key_init(&k);
	key_u64(&k, 8);
	n = walk(f, IDX_REFERRAL_REFERRER, &k, false, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 4, 7 }, 2);
	n = walk(f, IDX_REFERRAL_REFERRER, &k, true, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 7, 4 }, 2);

	/* Prefixes with no entries: before, between and after. */
	key_init(&k);
	key_u64(&k, 5);
	assert_int_equal(walk(f, IDX_REFERRAL_REFERRER, &k, false, ids, 16), 0);
	assert_int_equal(walk(f, IDX_REFERRAL_REFERRER, &k, true, ids, 16), 0);
	key_init(&k);
	key_u64(&k, 9);
	assert_int_equal(walk(f, IDX_REFERRAL_REFERRER, &k, false, ids, 16), 0);
	assert_int_equal(walk(f, IDX_REFERRAL_REFERRER, &k, true, ids, 16), 0);
	key_init(&k);
	key_u64(&k, 7);
	key_i64(&k, 0);
	assert_int_equal(walk(f, IDX_REFERRAL_REFERRER, &k, false, ids, 16), 0);
	assert_int_equal(walk(f, IDX_REFERRAL_REFERRER, &k, true, ids, 16), 0);

	/* The time index, whole: time order, negative times first. */
	n = walk(f, IDX_REFERRAL_TIME, NULL, false, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 8, 4, 3, 2, 7, 5, 1, 6, 9 }, 9);
	n = walk(f, IDX_REFERRAL_TIME, NULL, true, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 9, 6, 1, 5, 7, 2, 3, 4, 8 }, 9);
}

static void
test_iter_prefix_ff_boundary(void **state)
{
	struct fx *f = *state;
	struct key k;
	uint64_t ids[16];
	size_t n;

	put_partner(f, "A", UINT64_MAX);           /* P1 */
	put_partner(f, "B", 0xff);                 /* P2 */
	put_partner(f, "C", UINT64_MAX - 1);       /* P3 */
	put_partner(f, "D", 0x100);                /* P4 */
	put_partner(f, "E", 0xfe);                 /* P5 */
	put_partner(f, "F", UINT64_MAX);           /* P6 */
	put_partner(f, "G", 0);                    /* P7 */
	put_partner(f, "H", 0xffffffffULL);        /* P8 */
	put_partner(f, "I", 0x100000000ULL);       /* P9 */
	put_partner(f, "J", 0xff);                 /* P10 */

	tier_prefix(&k, UINT64_MAX);
	n = walk(f, IDX_PARTNER_TIER, &k, false, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 1, 6 }, 2);
	n = walk(f, IDX_PARTNER_TIER, &k, true, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 6, 1 }, 2);

	tier_prefix(&k, UINT64_MAX - 1);
	n = walk(f, IDX_PARTNER_TIER, &k, true, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 3 }, 1);

	tier_prefix(&k, 0xff);
	n = walk(f, IDX_PARTNER_TIER, &k, false, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 2, 10 }, 2);
	n = walk(f, IDX_PARTNER_TIER, &k, true, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 10, 2 }, 2);

	tier_prefix(&k, 0xffffffffULL);
	n = walk(f, IDX_PARTNER_TIER, &k, true, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 8 }, 1);
	n = walk(f, IDX_PARTNER_TIER, &k, false, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 8 }, 1);

	/* A one-byte prefix 0xff: every tier from 0xff00000000000000. */
	key_init(&k);
	k.b[k.n++] = 0xff;
	n = walk(f, IDX_PARTNER_TIER, &k, false, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 3, 1, 6 }, 3);
	n = walk(f, IDX_PARTNER_TIER, &k, true, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 6, 1, 3 }, 3);

	/* Seven 0xff bytes then 0xff exactly: tier UINT64_MAX and the id. */
	key_init(&k);
	key_u64(&k, UINT64_MAX);
	key_u64(&k, 6);
	n = walk(f, IDX_PARTNER_TIER, &k, true, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 6 }, 1);

	/* Tier 0 at the low end. */
	tier_prefix(&k, 0);
	n = walk(f, IDX_PARTNER_TIER, &k, true, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 7 }, 1);
	n = walk(f, IDX_PARTNER_TIER, &k, false, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 7 }, 1);

	/* Nothing in 0xfe.. (but 0xff.. follows), and nothing after all. */
	key_init(&k);
	k.b[k.n++] = 0xfe;
	assert_int_equal(walk(f, IDX_PARTNER_TIER, &k, true, ids, 16), 0);
	assert_int_equal(walk(f, IDX_PARTNER_TIER, &k, false, ids, 16), 0);
}

static void
test_iter_empty_prefix(void **state)
{
	struct fx *f = *state;
	struct key k;
	uint64_t ids[16];
	size_t n;

	/* Empty index: nothing, either way. */
	assert_int_equal(walk(f, IDX_REFUND_CONVERSION, NULL, false, ids, 16), 0);
	assert_int_equal(walk(f, IDX_REFUND_CONVERSION, NULL, true, ids, 16), 0);
	assert_int_equal(walk(f, IDX_PROGRAM_NAME, NULL, true, ids, 16), 0);

	put_partner(f, "A", 3);
	put_partner(f, "B", 1);
	put_partner(f, "C", 2);
	put_partner(f, "D", 1);
	n = walk(f, IDX_PARTNER_TIER, NULL, false, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 2, 4, 3, 1 }, 4);
	n = walk(f, IDX_PARTNER_TIER, NULL, true, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 1, 3, 4, 2 }, 4);
	key_init(&k);
	n = walk(f, IDX_PARTNER_TIER, &k, false, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 2, 4, 3, 1 }, 4);
	n = walk(f, IDX_PARTNER_TIER, &k, true, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 1, 3, 4, 2 }, 4);
	/* A unique index: name order. */
	n = walk(f, IDX_PARTNER_NAME, NULL, true, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 4, 3, 2, 1 }, 4);
}

static void
test_iter_unique_prefix(void **state)
{
	struct fx *f = *state;
	struct key k;
	struct txn *t;
	struct iter *it;
	uint64_t ids[16], id;
	const unsigned char *kb;
	size_t n, kl;

	put_program(f, "Acme");     /* 1 */
	put_program(f, "Beta");     /* 2 */
	put_program(f, "acorn");    /* 3 */
	put_program(f, "Ac");       /* 4 */
	put_program(f, "Ab");       /* 5 */

	key_init(&k);
	key_prefix_str(&k, "AC", true);
	assert_int_equal(k.n, 2);
	n = walk(f, IDX_PROGRAM_NAME, &k, false, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 4, 1, 3 }, 3);
	n = walk(f, IDX_PROGRAM_NAME, &k, true, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 3, 1, 4 }, 3);
	/* With the terminator: the exact name only. */
	key_init(&k);
	key_str(&k, "ac", true);
	n = walk(f, IDX_PROGRAM_NAME, &k, false, ids, 16);
	assert_ids(ids, n, (uint64_t[]){ 4 }, 1);

	t = txn_begin_read(f->s);
	it = iter_index(t, IDX_PROGRAM_NAME, NULL, false);
	assert_true(iter_next(it, &id));
	assert_int_equal(id, 5);
	kb = iter_key(it, &kl);
	assert_int_equal(kl, 3);
	assert_memory_equal(kb, "ab", 3);
	/* iter_rec is for record iterators only. */
	{
		struct program p;
		assert_int_equal(iter_rec(it, &p), ST_SOFTWARE);
	}
	iter_close(it);
	assert_int_equal(txn_status(t), ST_OK);
	txn_end(t);
}

static void
test_iter_kind_and_rec(void **state)
{
	struct fx *f = *state;
	static const char *const names[] = { "One", "Two", "Three", "Four", "Five" };
	static const uint64_t fwd[] = { 1, 2, 4, 5 };
	struct program p;
	struct txn *t;
	struct iter *it;
	uint64_t id;
	size_t i;
	int dir;

	for (i = 0; i < 5; i++)
		put_program(f, names[i]);
	assert_int_equal(del(f, KIND_PROGRAM, 3), ST_OK);

	for (dir = 0; dir < 2; dir++) {
		t = txn_begin_read(f->s);
		it = iter_kind(t, KIND_PROGRAM, dir == 1);
		assert_int_equal(iter_rec(it, &p), ST_SOFTWARE);   /* not started */
		for (i = 0; iter_next(it, &id); i++) {
			uint64_t want;
			assert_true(i < 4);
			want = dir ? fwd[3 - i] : fwd[i];
			assert_int_equal(id, want);
			assert_int_equal(iter_rec(it, &p), ST_OK);
			assert_int_equal(p.id, want);
			assert_string_equal(p.name, names[want - 1]);
			rec_free(KIND_PROGRAM, &p);
		}
		assert_int_equal(i, 4);
		assert_int_equal(iter_rec(it, &p), ST_SOFTWARE);   /* done */
		assert_false(iter_next(it, &id));
		iter_close(it);
		assert_int_equal(txn_status(t), ST_OK);
		txn_end(t);
	}
	t = txn_begin_read(f->s);
	it = iter_kind(t, KIND_REFUND, false);
	assert_false(iter_next(it, &id));
	iter_close(it);
	txn_end(t);
}

/* ==== keys ==== */

static void
test_key_u64_big_endian(void **state)
{
	struct key k;
	static const unsigned char want[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08 };

	(void)state;
	key_init(&k);
	assert_int_equal(k.n, 0);
	key_u64(&k, 0x0102030405060708ULL);
	assert_int_equal(k.n, 8);
	assert_memory_equal(k.b, want, 8);
}

static void
test_key_i64_order(void **state)
{
	static const int64_t v[] = { INT64_MIN, INT64_MIN + 1, -T0, -256, -1, 0, 1, 255, 256, T0, INT64_MAX - 1, INT64_MAX };
	struct key a, b;
	size_t i;

	(void)state;
	for (i = 0; i + 1 < sizeof v / sizeof v[0]; i++) {
		key_init(&a);
		key_i64(&a, v[i]);
		key_init(&b);
		key_i64(&b, v[i + 1]);
		assert_int_equal(a.n, 8);
		if (memcmp(a.b, b.b, 8) >= 0)
			fail_msg("key_i64(%lld) does not sort before key_i64(%lld)",
			    (long long)v[i], (long long)v[i + 1]);
	}
	key_init(&a);
	key_i64(&a, 0);
	assert_int_equal(a.b[0], 0x80);
	key_init(&a);
	key_i64(&a, -1);
	assert_int_equal(a.b[0], 0x7f);
	assert_int_equal(a.b[7], 0xff);
}

static void
test_key_str_fold_and_terminator(void **state)
{
	struct key k;

	(void)state;
	key_init(&k);
	key_str(&k, "AbC-Z", true);
	assert_int_equal(k.n, 6);
	assert_memory_equal(k.b, "abc-z", 6);
	key_init(&k);
	key_str(&k, "AbC", false);
	assert_int_equal(k.n, 4);
	assert_memory_equal(k.b, "AbC", 4);
	/* UTF-8 bytes pass unchanged (only ASCII folds). */
	key_init(&k);
	key_str(&k, "\xc3\x89T\xc3\xa9", true);
	assert_int_equal(k.n, 6);
	assert_memory_equal(k.b, "\xc3\x89t\xc3\xa9", 6);
	key_init(&k);
	key_str(&k, NULL, true);
	assert_int_equal(k.n, 1);
	assert_int_equal(k.b[0], 0);
	key_init(&k);
	key_str(&k, "", true);
	assert_int_equal(k.n, 1);
	/* Prefix: no terminator. */
	key_init(&k);
	key_prefix_str(&k, "Ab", true);
	assert_int_equal(k.n, 2);
	assert_memory_equal(k.b, "ab", 2);
	/* After an integer, and followed by one. */
	key_init(&k);
	key_u64(&k, 1);
	key_str(&k, "X", true);
	key_u64(&k, 2);
	assert_int_equal(k.n, 18);
	assert_int_equal(k.b[8], 'x');
	assert_int_equal(k.b[9], 0);
	assert_int_equal(k.b[17], 2);
	/* The terminator keeps "ab" before "ab..." and apart from it. */
	{
		struct key a, b;
		key_init(&a);
		key_str(&a, "ab", true);
		key_u64(&a, UINT64_MAX);
		key_init(&b);
		key_str(&b, "ab ", true);
		key_u64(&b, 0);
		assert_true(memcmp(a.b, b.b, a.n < b.n ? a.n : b.n) < 0);
	}
}

static void
test_key_str_long_truncated(void **state)
{
	struct fx *f = *state;
	char *s = xmalloc(2001), *s2;
	struct key k;
	struct program p;
	struct txn *t;

	memset(s, 'Q', 2000);
	s[2000] = '\0';
	key_init(&k);
	key_str(&k, s, true);
	assert_int_equal(k.n, STORE_KEY_MAX - 8);     /* room left for an id */
	assert_int_equal(k.b[k.n - 1], 0);
	assert_int_equal(k.b[0], 'q');
	key_u64(&k, 9);
	assert_int_equal(k.n, STORE_KEY_MAX);
	assert_int_equal(k.b[STORE_KEY_MAX - 1], 9);
	/* A full key takes nothing more. */
	key_u64(&k, 10);
	key_str(&k, "more", false);
	assert_int_equal(k.n, STORE_KEY_MAX);
	key_init(&k);
	key_u64(&k, 1);
	key_str(&k, s, true);
	assert_int_equal(k.n, STORE_KEY_MAX - 8);
	key_init(&k);
	key_prefix_str(&k, s, false);
	assert_int_equal(k.n, STORE_KEY_MAX - 9);

	/* Stored: the record keeps the whole name, the index finds it. */
	program_fill(&p, s);
	assert_int_equal(put(f, KIND_PROGRAM, &p), ST_OK);
	rec_free(KIND_PROGRAM, &p);
	assert_int_equal(find_name(f, IDX_PROGRAM_NAME, s), 1);
	t = txn_begin_read(f->s);
	assert_int_equal(rec_get(t, KIND_PROGRAM, 1, &p), ST_OK);
	txn_end(t);
	assert_int_equal(strlen(p.name), 2000);
	rec_free(KIND_PROGRAM, &p);
	/* In a plain index too (key + id at the limit). */
	s2 = xstrdup(s);
	{
		struct referrer r;
		memset(&r, 0, sizeof r);
		r.name = s2;
		r.email = xstrdup(s);
		assert_int_equal(put(f, KIND_REFERRER, &r), ST_OK);
		rec_free(KIND_REFERRER, &r);
	}
	assert_int_equal(count_idx(f, IDX_REFERRER_NAME), 1);
	assert_verify_clean(f);
	free(s);
}

/* ==== codec ==== */

static const struct codec *
program_codec(void)
{
	return &kind_defs[KIND_PROGRAM].codec;
}

static void
full_program(struct program *p)
{
	program_fill(p, "Codec \xc3\xa9");
	p->id = 300;
	p->m.created = -5;
	p->m.updated = T0;
	p->m.actor = xstrdup("carol");
	p->start = INT64_MIN;
	p->end = INT64_MAX;
	p->landing = xstrdup("https://l.example/{code}");
	p->events = xstrdup("signup,purchase");
	p->tiers = xstrdup("1,2");
	p->rule = xstrdup("5%");
	p->cap = 99999;
	p->hold_days = -3;
}

static void
test_codec_roundtrip_extremes(void **state)
{
	struct sbuf b;
	struct program p, g;

	(void)state;
	sbuf_init(&b);
	full_program(&p);
	codec_encode(program_codec(), &p, &b);
	assert_int_equal(b.s[0], CODEC_VERSION);
	assert_int_equal((unsigned char)b.s[1], program_codec()->nfields);
	assert_int_equal(codec_decode(program_codec(), b.s, b.len, &g), ST_OK);
	assert_int_equal(g.id, 300);
	assert_true(g.m.created == -5);
	assert_string_equal(g.m.actor, "carol");
	assert_string_equal(g.name, "Codec \xc3\xa9");
	assert_true(g.start == INT64_MIN);
	assert_true(g.end == INT64_MAX);
	assert_string_equal(g.events, "signup,purchase");
	assert_int_equal(g.hold_days, -3);
	assert_string_equal(g.currency, "EUR");
	/* Encoding is deterministic. */
	{
		struct sbuf b2;
		sbuf_init(&b2);
		codec_encode(program_codec(), &g, &b2);
		assert_int_equal(b2.len, b.len);
		assert_memory_equal(b2.s, b.s, b.len);
		sbuf_free(&b2);
	}
	rec_free(KIND_PROGRAM, &g);
	rec_free(KIND_PROGRAM, &p);
	sbuf_free(&b);
}

static void
test_codec_older_record_zero_fills(void **state)
{
	const struct codec *c = program_codec();
	struct codec older = *c;
	struct sbuf full, old;
	struct program p, g;
	char *patched;

	(void)state;
	/* Fields 0..7: id, created, updated, actor, name, status, start, end. */
	older.nfields = 8;
	assert_int_equal(c->fields[7].off, offsetof(struct program, end));
	sbuf_init(&full);
	sbuf_init(&old);
	full_program(&p);
	codec_encode(c, &p, &full);
	codec_encode(&older, &p, &old);
	/* An older ally's value is this one's with the count patched and the
	 * tail cut. */
	assert_true(old.len < full.len);
	patched = xmalloc(old.len);
	memcpy(patched, full.s, old.len);
	patched[1] = 8;
	assert_memory_equal(patched, old.s, old.len);

	memset(&g, 0x5a, sizeof g);         /* decode must zero what it lacks */
	assert_int_equal(codec_decode(c, patched, old.len, &g), ST_OK);
	assert_int_equal(g.id, 300);
	assert_true(g.m.created == -5);
	assert_string_equal(g.m.actor, "carol");
	assert_string_equal(g.name, "Codec \xc3\xa9");
	assert_int_equal(g.status, PROGRAM_ACTIVE);
	assert_true(g.start == INT64_MIN);
	assert_true(g.end == INT64_MAX);
	assert_null(g.landing);
	assert_null(g.events);
	assert_null(g.tiers);
	assert_null(g.rule);
	assert_int_equal(g.window_days, 0);
	assert_int_equal(g.eligible, 0);
	assert_true(g.cap == 0);
	assert_int_equal(g.hold_days, 0);
	assert_memory_equal(g.currency, "\0\0\0\0", 4);
	rec_free(KIND_PROGRAM, &g);

	/* No fields at all. */
	memset(&g, 0x5a, sizeof g);
	assert_int_equal(codec_decode(c, "\x01\x00", 2, &g), ST_OK);
	assert_null(g.name);
	assert_int_equal(g.id, 0);
	free(patched);
	rec_free(KIND_PROGRAM, &p);
	sbuf_free(&full);
	sbuf_free(&old);
}

/* An older record stored in the database reads with the new fields zero. */
static void
test_store_reads_older_record(void **state)
{
	struct fx *f = *state;
	struct codec older = *program_codec();
	struct program p, g;
	struct sbuf b;
	struct txn *t;

	put_program(f, "Legacy");
	t = txn_begin_read(f->s);
	assert_int_equal(rec_get(t, KIND_PROGRAM, 1, &p), ST_OK);
	txn_end(t);
	older.nfields = 5;          /* up to the name */
	sbuf_init(&b);
	codec_encode(&older, &p, &b);
	close_for_raw(f);
	raw_put_record(f, "programs", 1, b.s, b.len);
	sbuf_free(&b);
	reopen(f, 0);
	t = txn_begin_read(f->s);
	assert_int_equal(rec_get(t, KIND_PROGRAM, 1, &g), ST_OK);
	txn_end(t);
	assert_string_equal(g.name, "Legacy");
	assert_int_equal(g.window_days, 0);
	assert_string_equal(g.currency, "");
	rec_free(KIND_PROGRAM, &g);
	/* Rewritten by this ally: complete again. */
	assert_int_equal(put(f, KIND_PROGRAM, &p), ST_OK);
	rec_free(KIND_PROGRAM, &p);
	t = txn_begin_read(f->s);
	assert_int_equal(rec_get(t, KIND_PROGRAM, 1, &g), ST_OK);
	txn_end(t);
	assert_int_equal(g.window_days, 30);
	assert_string_equal(g.currency, "EUR");
	rec_free(KIND_PROGRAM, &g);
	assert_verify_clean(f);
}

static void
test_codec_newer_record_refused(void **state)
{
	const struct codec *c = program_codec();
	struct sbuf b;
	struct program p, g;

	(void)state;
	sbuf_init(&b);
	full_program(&p);
	codec_encode(c, &p, &b);
	rec_free(KIND_PROGRAM, &p);
	b.s[1] = (char)(c->nfields + 1);
	sbuf_addc(&b, 5);                     /* the unknown field: a varint */
	memset(&g, 0x5a, sizeof g);
	assert_int_equal(codec_decode(c, b.s, b.len, &g), ST_DATA);
	assert_null(g.name);                  /* left zeroed, nothing to free */
	/* Same count without the extra byte. */
	assert_int_equal(codec_decode(c, b.s, b.len - 1, &g), ST_DATA);
	/* A newer codec version. */
	b.s[1] = (char)c->nfields;
	b.s[0] = CODEC_VERSION + 1;
	assert_int_equal(codec_decode(c, b.s, b.len - 1, &g), ST_DATA);
	/* A huge field count. */
	assert_int_equal(codec_decode(c, "\x01\xff\xff\xff\xff\x0f", 6, &g), ST_DATA);
	sbuf_free(&b);
}

static void
test_codec_truncated_and_garbage(void **state)
{
	const struct codec *c = program_codec();
	struct sbuf b;
	struct program p, g;
	size_t len, i;
	unsigned seed = 12345;
	unsigned char junk[96];
	int ok = 0;

	(void)state;
	sbuf_init(&b);
	full_program(&p);
	codec_encode(c, &p, &b);
	rec_free(KIND_PROGRAM, &p);
	/* Every strict prefix is refused, with nothing left allocated. */
	for (len = 0; len < b.len; len++) {
		if (codec_decode(c, b.s, len, &g) != ST_DATA)
			fail_msg("prefix of %zu bytes of %zu decoded", len, b.len);
		assert_null(g.name);
		assert_null(g.m.actor);
	}
	/* Trailing garbage. */
	sbuf_addc(&b, 0);
	assert_int_equal(codec_decode(c, b.s, b.len, &g), ST_DATA);
	assert_null(g.name);
	/* Handmade damage. */
	assert_int_equal(codec_decode(c, "", 0, &g), ST_DATA);
	assert_int_equal(codec_decode(c, "\x01", 1, &g), ST_DATA);
	assert_int_equal(codec_decode(c, "\x00\x00", 2, &g), ST_DATA);
	/* id, created, updated, then a string of 100 bytes with 3 present */
	assert_int_equal(codec_decode(c, "\x01\x05\x01\x00\x00\x65" "abc", 9, &g), ST_DATA);
	/* a varint that never ends */
	assert_int_equal(codec_decode(c, "\x01\x05\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80", 14, &g), ST_DATA);
	/* a string after a string, the second one short */
	assert_int_equal(codec_decode(c, "\x01\x05\x01\x00\x00\x02" "a" "\x09" "xy", 10, &g), ST_DATA);
	assert_null(g.m.actor);
	/* Random values with a plausible head: refused or decoded, never a
	 * crash or a leak (see valgrind). */
	for (i = 0; i < 5000; i++) {
		size_t n = (size_t)(rand_r(&seed) % sizeof junk), j;
		for (j = 0; j < n; j++)
			junk[j] = (unsigned char)rand_r(&seed);
		if (n > 0)
			junk[0] = CODEC_VERSION;
		if (n > 1)
			junk[1] = (unsigned char)(rand_r(&seed) % (c->nfields + 2));
		if (codec_decode(c, junk, n, &g) == ST_OK) {
			ok++;
			codec_free(c, &g);
		} else {
			assert_null(g.name);
		}
	}
	assert_true(ok < 5000);
	sbuf_free(&b);
}

static void
test_rec_get_undecodable_is_sticky(void **state)
{
	struct fx *f = *state;
	struct program p;
	struct txn *t;

	put_program(f, "Good");
	put_program(f, "Broken");
	close_for_raw(f);
	raw_put_record(f, "programs", 2, "\x01\x30garbage", 9);
	reopen(f, 0);

	t = txn_begin_read(f->s);
	assert_int_equal(rec_get(t, KIND_PROGRAM, 2, &p), ST_DATA);
	assert_null(p.name);
	assert_int_equal(txn_status(t), ST_DATA);
	assert_contains(txn_message(t), "PG2");
	assert_contains(txn_message(t), "cannot be decoded");
	assert_int_equal(rec_get(t, KIND_PROGRAM, 1, &p), ST_DATA);
	txn_end(t);

	/* Updating or deleting it fails the write, with the message. */
	program_fill(&p, "Fixed");
	p.id = 2;
	assert_int_equal(put(f, KIND_PROGRAM, &p), ST_DATA);
	assert_contains(f->e.msg, "cannot be decoded");
	rec_free(KIND_PROGRAM, &p);
	assert_int_equal(del(f, KIND_PROGRAM, 2), ST_DATA);
	assert_contains(f->e.msg, "PG2");

	t = txn_begin_read(f->s);
	{
		struct iter *it = iter_kind(t, KIND_PROGRAM, false);
		uint64_t id;
		assert_true(iter_next(it, &id));
		assert_int_equal(iter_rec(it, &p), ST_OK);
		rec_free(KIND_PROGRAM, &p);
		assert_true(iter_next(it, &id));
		assert_int_equal(id, 2);
		assert_int_equal(iter_rec(it, &p), ST_DATA);
		assert_false(iter_next(it, &id));
		iter_close(it);
	}
	assert_int_equal(txn_status(t), ST_DATA);
	txn_end(t);
}

/* ==== sticky errors ==== */

struct sticky_ctx {
	enum status put_before, fail1, fail2, put_after, get, del, meta_put, meta_get;
	uint64_t find, count, assigned;
	bool iter_any;
	char msg[512];
	char *name;
};

static enum status
cb_sticky(struct txn *t, void *ctx)
{
	struct sticky_ctx *c = ctx;
	struct program p;
	struct key k;
	struct iter *it;
	uint64_t id, v = 1;

	program_fill(&p, "Before");
	c->put_before = rec_put(t, KIND_PROGRAM, &p);
	rec_free(KIND_PROGRAM, &p);
	c->fail1 = txn_fail(t, ST_CONFLICT, "stopped at step %d", 42);
	c->fail2 = txn_fail(t, ST_DATA, "second failure");
	program_fill(&p, "After");
	c->put_after = rec_put(t, KIND_PROGRAM, &p);
	c->assigned = p.id;
	rec_free(KIND_PROGRAM, &p);
	memset(&p, 0x5a, sizeof p);
	c->get = rec_get(t, KIND_PROGRAM, 1, &p);
	c->name = p.name;
	c->del = rec_del(t, KIND_PROGRAM, 1);
	c->meta_put = meta_put(t, "x", &v, sizeof v);
	c->meta_get = meta_get(t, "schema", &v, 4);
	key_init(&k);
	key_str(&k, "before", true);
	c->find = idx_find(t, IDX_PROGRAM_NAME, &k);
	c->count = rec_count(t, KIND_PROGRAM);
	it = iter_index(t, IDX_PROGRAM_NAME, NULL, false);
	c->iter_any = iter_next(it, &id);
	iter_close(it);
	snprintf(c->msg, sizeof c->msg, "%s", txn_message(t));
	return ST_OK;               /* the transaction carries the error */
}

static void
test_sticky_after_txn_fail(void **state)
{
	struct fx *f = *state;
	struct sticky_ctx c;

	memset(&c, 0, sizeof c);
	assert_int_equal(store_write(f->s, cb_sticky, &c, &f->e), ST_CONFLICT);
	assert_int_equal(f->e.st, ST_CONFLICT);
	assert_string_equal(f->e.msg, "stopped at step 42");
	assert_int_equal(c.put_before, ST_OK);
	assert_int_equal(c.fail1, ST_CONFLICT);
	assert_int_equal(c.fail2, ST_CONFLICT);   /* first wins */
	assert_string_equal(c.msg, "stopped at step 42");
	assert_int_equal(c.put_after, ST_CONFLICT);
	assert_int_equal(c.assigned, 0);           /* nothing assigned */
	assert_int_equal(c.get, ST_CONFLICT);
	assert_null(c.name);
	assert_int_equal(c.del, ST_CONFLICT);
	assert_int_equal(c.meta_put, ST_CONFLICT);
	assert_int_equal(c.meta_get, ST_CONFLICT);
	assert_int_equal(c.find, 0);
	assert_int_equal(c.count, 0);
	assert_false(c.iter_any);
	/* Nothing of the callback was committed. */
	assert_int_equal(count_kind(f, KIND_PROGRAM), 0);
	assert_int_equal(count_idx(f, IDX_PROGRAM_NAME), 0);
	{
		struct txn *t = txn_begin_read(f->s);
		uint64_t v;
		assert_int_equal(meta_get(t, "x", &v, sizeof v), ST_NOTFOUND);
		txn_end(t);
	}
	assert_int_equal(put_program(f, "Before"), 1);
}

struct fnerr_ctx {
	struct err *e;
	bool with_message;
};

static enum status
cb_fn_error(struct txn *t, void *ctx)
{
	struct fnerr_ctx *c = ctx;
	struct program p;

	program_fill(&p, "Written then dropped");
	rec_put(t, KIND_PROGRAM, &p);
	rec_free(KIND_PROGRAM, &p);
	if (c->with_message)
		return err_set(c->e, ST_USAGE, "name: %s", "bad on purpose");
	return ST_USAGE;
}

static void
test_fn_error_aborts(void **state)
{
	struct fx *f = *state;
	struct fnerr_ctx c = { &f->e, false };

	err_clear(&f->e);
	assert_int_equal(store_write(f->s, cb_fn_error, &c, &f->e), ST_USAGE);
	assert_int_equal(f->e.st, ST_USAGE);
	assert_string_equal(f->e.msg, status_str(ST_USAGE));
	assert_int_equal(count_kind(f, KIND_PROGRAM), 0);
	/* The callback's own message is kept. */
	c.with_message = true;
	err_clear(&f->e);
	assert_int_equal(store_write(f->s, cb_fn_error, &c, &f->e), ST_USAGE);
	assert_string_equal(f->e.msg, "name: bad on purpose");
	assert_int_equal(count_kind(f, KIND_PROGRAM), 0);
	assert_int_equal(count_idx(f, IDX_PROGRAM_NAME), 0);
	/* A NULL err is allowed. */
	assert_int_equal(store_write(f->s, cb_fn_error, &(struct fnerr_ctx){ NULL, false }, NULL), ST_USAGE);
}

static void
test_sticky_read_txn(void **state)
{
	struct fx *f = *state;
	struct program p;
	struct txn *t;

	put_program(f, "Existing");
	t = txn_begin_read(f->s);
	assert_ptr_equal(txn_store(t), f->s);
	program_fill(&p, "Nope");
	assert_int_equal(rec_put(t, KIND_PROGRAM, &p), ST_SOFTWARE);
	rec_free(KIND_PROGRAM, &p);
	assert_int_equal(txn_status(t), ST_SOFTWARE);
	assert_contains(txn_message(t), "read transaction");
	assert_int_equal(rec_get(t, KIND_PROGRAM, 1, &p), ST_SOFTWARE);
	assert_int_equal(rec_count(t, KIND_PROGRAM), 0);
	txn_end(t);
	assert_int_equal(count_kind(f, KIND_PROGRAM), 1);
}

/* ==== meta ==== */

static enum status
cb_meta(struct txn *t, void *ctx)
{
	uint64_t v = *(uint64_t *)ctx;

	meta_put(t, "rollup.test", &v, sizeof v);
	return txn_status(t);
}

static void
test_meta_get_put(void **state)
{
	struct fx *f = *state;
	uint64_t v = 0x1122334455667788ULL, got = 0;
	uint32_t small;
	struct txn *t;

	assert_int_equal(store_write(f->s, cb_meta, &v, &f->e), ST_OK);
	t = txn_begin_read(f->s);
	assert_int_equal(meta_get(t, "missing", &got, sizeof got), ST_NOTFOUND);
	assert_int_equal(txn_status(t), ST_OK);
	assert_int_equal(meta_get(t, "rollup.test", &got, sizeof got), ST_OK);
	assert_true(got == v);
	/* The wrong size is damage: sticky. */
	assert_int_equal(meta_get(t, "rollup.test", &small, sizeof small), ST_DATA);
	assert_int_equal(txn_status(t), ST_DATA);
	assert_contains(txn_message(t), "rollup.test");
	assert_int_equal(meta_get(t, "schema", &small, sizeof small), ST_DATA);
	txn_end(t);
}

/* ==== map growth ==== */

#define GROW_N 20000

struct grow_ctx {
	int first, n;
	int attempts;
};

static void
grow_name(char *buf, size_t size, int i)
{
	char pad[201];

	memset(pad, 'n', 200);
	pad[200] = '\0';
	snprintf(buf, size, "%06d-%.193s", i, pad);
}

static enum status
cb_grow(struct txn *t, void *ctx)
{
	struct grow_ctx *c = ctx;
	char name[256];
	int i;

	c->attempts++;
	for (i = c->first; i < c->first + c->n && txn_status(t) == ST_OK; i++) {
		struct program p;
		grow_name(name, sizeof name, i);
		program_fill(&p, name);
		p.rule = xstrdup("10% of amount");
		rec_put(t, KIND_PROGRAM, &p);
		rec_free(KIND_PROGRAM, &p);
	}
	return txn_status(t);
}

static void
check_grown(struct fx *f, int n)
{
	struct txn *t = txn_begin_read(f->s);
	struct iter *it = iter_kind(t, KIND_PROGRAM, false);
	char name[256];
	struct program p;
	uint64_t id;
	int i = 0;

	assert_int_equal(rec_count(t, KIND_PROGRAM), n);
	while (iter_next(it, &id)) {
		assert_int_equal(id, (uint64_t)i + 1);
		assert_int_equal(iter_rec(it, &p), ST_OK);
		grow_name(name, sizeof name, i);
		assert_string_equal(p.name, name);
		assert_int_equal(strlen(p.name), 200);
		rec_free(KIND_PROGRAM, &p);
		i++;
	}
	iter_close(it);
	assert_int_equal(i, n);
	grow_name(name, sizeof name, n - 1);
	{
		struct key k;
		key_init(&k);
		key_str(&k, name, true);
		assert_int_equal(idx_find(t, IDX_PROGRAM_NAME, &k), n);
	}
	assert_int_equal(idx_count(t, IDX_PROGRAM_NAME), n);
	assert_int_equal(txn_status(t), ST_OK);
	txn_end(t);
}

static void
test_map_growth_one_big_write(void **state)
{
	struct fx *f = *state;
	struct grow_ctx c = { 0, GROW_N, 0 };
	uint64_t file, map0, map1;

	store_set_initial_mapsize(SMALL_MAP);
	reopen(f, 0);
	store_sizes(f->s, &file, &map0);
	assert_true(map0 < 1024 * 1024);
	assert_int_equal(store_write(f->s, cb_grow, &c, &f->e), ST_OK);
	assert_true(c.attempts > 1);
	store_sizes(f->s, &file, &map1);
	assert_true(map1 > map0);
	assert_true(file <= map1);
	assert_true(file > (uint64_t)GROW_N * 200);
	check_grown(f, GROW_N);
	/* Reopened with the same small initial size: the file's size wins. */
	reopen(f, 0);
	check_grown(f, GROW_N);
	assert_verify_clean(f);
}

static void
test_map_growth_many_writes(void **state)
{
	struct fx *f = *state;
	struct grow_ctx c = { 0, 400, 0 };
	int w, grew = 0;
	uint64_t file, map0, map1;

	store_set_initial_mapsize(SMALL_MAP);
	reopen(f, 0);
	store_sizes(f->s, &file, &map0);
	for (w = 0; w < 20; w++) {
		c.first = w * 400;
		c.attempts = 0;
		if (store_write(f->s, cb_grow, &c, &f->e) != ST_OK)
			fail_msg("write %d: %s", w, f->e.msg);
		grew += c.attempts > 1;
	}
	assert_true(grew >= 2);
	store_sizes(f->s, &file, &map1);
	assert_true(map1 >= 8 * map0);
	check_grown(f, 20 * 400);
	assert_verify_clean(f);
}

/*
 * A callback run again after the map grew, whose record already got an id
 * in the aborted attempt (rec_put writes the id back), must not lose a
 * record or leave stale index entries.
 */
struct retry_ctx {
	struct program keeper;
	int attempts;
};

static enum status
cb_retry(struct txn *t, void *ctx)
{
	struct retry_ctx *c = ctx;
	struct grow_ctx g = { 0, 3000, 0 };

	c->attempts++;
	rec_put(t, KIND_PROGRAM, &c->keeper);
	return cb_grow(t, &g);
}

static void
test_map_growth_retry_with_caller_record(void **state)
{
	struct fx *f = *state;
	struct retry_ctx c;
	struct program p;
	struct txn *t;
	uint64_t id;

	store_set_initial_mapsize(SMALL_MAP);
	reopen(f, 0);
	memset(&c, 0, sizeof c);
	program_fill(&c.keeper, "Keeper");
	assert_int_equal(store_write(f->s, cb_retry, &c, &f->e), ST_OK);
	rec_free(KIND_PROGRAM, &c.keeper);
	assert_true(c.attempts > 1);
	assert_int_equal(count_kind(f, KIND_PROGRAM), 3001);
	id = find_name(f, IDX_PROGRAM_NAME, "keeper");
	assert_int_not_equal(id, 0);
	t = txn_begin_read(f->s);
	assert_int_equal(rec_get(t, KIND_PROGRAM, id, &p), ST_OK);
	txn_end(t);
	assert_string_equal(p.name, "Keeper");
	rec_free(KIND_PROGRAM, &p);
	assert_verify_clean(f);
}

/*
 * The same root cause without a retry: a record put under an id the
 * sequence has not reached yet is overwritten by a later insert.
 */
static void
test_explicit_id_not_overwritten(void **state)
{
	struct fx *f = *state;
	struct program p;
	struct txn *t;
	uint64_t ok = 0;
	int i;

	program_fill(&p, "Explicit");
	p.id = 2;
	if (put(f, KIND_PROGRAM, &p) == ST_OK)
		ok++;
	rec_free(KIND_PROGRAM, &p);
	for (i = 0; i < 3; i++) {
		char name[16];
		snprintf(name, sizeof name, "Auto %d", i);
		program_fill(&p, name);
		if (put(f, KIND_PROGRAM, &p) == ST_OK)
			ok++;
		rec_free(KIND_PROGRAM, &p);
	}
	/* Every write that succeeded left its record. */
	assert_int_equal(count_kind(f, KIND_PROGRAM), ok);
	{
		uint64_t id = find_name(f, IDX_PROGRAM_NAME, "explicit");
		if (id != 0) {
			t = txn_begin_read(f->s);
			assert_int_equal(rec_get(t, KIND_PROGRAM, id, &p), ST_OK);
			txn_end(t);
			assert_string_equal(p.name, "Explicit");
			rec_free(KIND_PROGRAM, &p);
		}
	}
	assert_verify_clean(f);
}

/* ==== verify ==== */

static enum status
cb_populate(struct txn *t, void *ctx)
{
	struct settings s;
	struct user u;
	struct program p;
	struct tier ti;
	struct partner pa;
	struct agreement ag;
	struct referrer rr;
	struct code k;
	struct referral rf;
	struct conversion cv;
	struct refund rd;

	(void)ctx;
	memset(&s, 0, sizeof s);
	s.id = 1;
	s.org = xstrdup("Org");
	memcpy(s.currency, "EUR", 4);
	rec_put(t, KIND_SETTINGS, &s);
	rec_free(KIND_SETTINGS, &s);
	memset(&u, 0, sizeof u);
	u.login = xstrdup("admin");
	u.role = ROLE_ADMIN;
	rec_put(t, KIND_USER, &u);
	rec_free(KIND_USER, &u);
	program_fill(&p, "Alpha");
	rec_put(t, KIND_PROGRAM, &p);
	rec_free(KIND_PROGRAM, &p);
	program_fill(&p, "Beta");
	rec_put(t, KIND_PROGRAM, &p);
	rec_free(KIND_PROGRAM, &p);
	memset(&ti, 0, sizeof ti);
	ti.name = xstrdup("Gold");
	rec_put(t, KIND_TIER, &ti);
	rec_free(KIND_TIER, &ti);
	partner_fill(&pa, "Agency", 1);
	rec_put(t, KIND_PARTNER, &pa);
	rec_free(KIND_PARTNER, &pa);
	partner_fill(&pa, "Reseller", 1);
	rec_put(t, KIND_PARTNER, &pa);
	rec_free(KIND_PARTNER, &pa);
	memset(&ag, 0, sizeof ag);
	ag.partner = 1;
	ag.title = xstrdup("MSA");
	rec_put(t, KIND_AGREEMENT, &ag);
	rec_free(KIND_AGREEMENT, &ag);
	memset(&rr, 0, sizeof rr);
	rr.kind = REFERRER_PARTNER;
	rr.partner = 1;
	rr.name = xstrdup("Agency");
	rec_put(t, KIND_REFERRER, &rr);
	rec_free(KIND_REFERRER, &rr);
	memset(&rr, 0, sizeof rr);
	rr.email = xstrdup("carol@example.com");
	rec_put(t, KIND_REFERRER, &rr);
	rec_free(KIND_REFERRER, &rr);
	memset(&k, 0, sizeof k);
	k.code = xstrdup("CAROL1");
	k.program = 1;
	k.referrer = 2;
	rec_put(t, KIND_CODE, &k);
	rec_free(KIND_CODE, &k);
	referral_fill(&rf, 2, T0, "dave@example.org");
	rec_put(t, KIND_REFERRAL, &rf);
	rec_free(KIND_REFERRAL, &rf);
	referral_fill(&rf, 2, T0 + 1, "erin@example.org");
	rec_put(t, KIND_REFERRAL, &rf);
	rec_free(KIND_REFERRAL, &rf);
	memset(&cv, 0, sizeof cv);
	cv.program = 1;
	cv.referral = 1;
	cv.ext_id = xstrdup("o-1");
	cv.amount = 1000;
	rec_put(t, KIND_CONVERSION, &cv);
	rec_free(KIND_CONVERSION, &cv);
	memset(&rd, 0, sizeof rd);
	rd.conversion = 1;
	rd.amount = 100;
	rec_put(t, KIND_REFUND, &rd);
	rec_free(KIND_REFUND, &rd);
	return txn_status(t);
}

static void
populate(struct fx *f)
{
	assert_int_equal(store_write(f->s, cb_populate, NULL, &f->e), ST_OK);
}

static int report_calls;

static void
count_report(void *ctx, const char *line)
{
	(void)ctx;
	(void)line;
	report_calls++;
}

static void
test_verify_healthy(void **state)
{
	struct fx *f = *state;
	struct txn *t;
	int ix;

	populate(f);
	/* populate() makes the catalog and the events; the ledger, mail and
	 * invitation indexes are exercised by their own modules' tests. */
	for (ix = 0; ix < IDX_COMMISSION_CONVERSION; ix++)
		if (count_idx(f, (enum index)ix) == 0)
			fail_msg("index %s left empty by populate()", idx_name((enum index)ix));
	report_calls = 0;
	t = txn_begin_read(f->s);
	assert_int_equal(store_verify(t, count_report, NULL), 0);
	assert_int_equal(txn_status(t), ST_OK);
	txn_end(t);
	assert_int_equal(report_calls, 0);
}

static void
test_verify_missing_index_entry(void **state)
{
	struct fx *f = *state;
	char lines[4096];
	struct key k;

	populate(f);
	close_for_raw(f);
	key_init(&k);
	key_str(&k, "beta", true);
	raw_edit(f, "ix.program.name", k.b, k.n, NULL, 0, true);
	reopen(f, 0);
	assert_int_equal(verify(f, lines, sizeof lines), 1);
	assert_contains(lines, "PG2");
	assert_contains(lines, "missing from index ix.program.name");
}

static void
test_verify_stale_index_entry(void **state)
{
	struct fx *f = *state;
	char lines[4096];
	struct key k;

	populate(f);
	close_for_raw(f);
	/* Partner 42 does not exist; partner 2 is in tier 1, not 5. */
	key_init(&k);
	key_u64(&k, 5);
	key_u64(&k, 42);
	raw_edit(f, "ix.partner.tier", k.b, k.n, "", 0, false);
	key_init(&k);
	key_u64(&k, 5);
	key_u64(&k, 2);
	raw_edit(f, "ix.partner.tier", k.b, k.n, "", 0, false);
	reopen(f, 0);
	assert_int_equal(verify(f, lines, sizeof lines), 2);
	assert_contains(lines, "index ix.partner.tier: stale entry for P42");
	assert_contains(lines, "index ix.partner.tier: stale entry for P2");
}

/* An undecodable record is one problem, its index entries are stale, and
 * damage found after it in other indexes is still reported. */
static void
test_verify_undecodable_record(void **state)
{
	struct fx *f = *state;
	char lines[4096];
	struct key k;

	populate(f);
	close_for_raw(f);
	raw_put_record(f, "partners", 2, "\x01\x02\x05", 3);
	key_init(&k);
	key_i64(&k, T0 + 99);
	key_u64(&k, 77);
	raw_edit(f, "ix.referral.time", k.b, k.n, "", 0, false);
	reopen(f, 0);
	verify(f, lines, sizeof lines);
	assert_contains(lines, "partner P2: record cannot be decoded");
	assert_contains(lines, "index ix.partner.name: stale entry for P2");
	assert_contains(lines, "index ix.partner.tier: stale entry for P2");
	assert_contains(lines, "index ix.referral.time: stale entry for RF77");
	{
		uint64_t n = verify(f, lines, sizeof lines);
		if (n != 4)
			fail_msg("want 4 problems, got %llu:\n%s", (unsigned long long)n, lines);
	}
}


/* A database made before a table existed gains it on the next open. */
static void
test_open_adds_missing_tables(void **state)
{
	struct fx *f = *state;
	MDB_env *env;
	MDB_txn *t;
	MDB_dbi dbi;
	struct deal d;
	struct txn *tx;

	store_close(f->s);
	f->s = NULL;
	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_set_maxdbs(env, 64), 0);
	assert_int_equal(mdb_env_set_mapsize(env, DEFAULT_MAP), 0);
	assert_int_equal(mdb_env_open(env, f->db, MDB_NOTLS, 0660), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, 0, &t), 0);
	assert_int_equal(mdb_dbi_open(t, "deals", 0, &dbi), 0);
	assert_int_equal(mdb_drop(t, dbi, 1), 0);
	assert_int_equal(mdb_dbi_open(t, "ix.deal.domain", 0, &dbi), 0);
	assert_int_equal(mdb_drop(t, dbi, 1), 0);
	assert_int_equal(mdb_txn_commit(t), 0);
	mdb_env_close(env);

	reopen(f, 0);
	tx = txn_begin_read(f->s);
	assert_int_equal(rec_count(tx, KIND_DEAL), 0);
	assert_int_equal(rec_get(tx, KIND_DEAL, 1, &d), ST_NOTFOUND);
	assert_int_equal(txn_status(tx), ST_OK);
	txn_end(tx);
}

/* ==== backup ==== */

static void
test_backup_and_open_copy(void **state)
{
	struct fx *f = *state;
	char bak[PATH_MAX + 32], copy[PATH_MAX + 32], data[PATH_MAX + 64], bad[PATH_MAX + 64];
	struct program p;
	struct txn *t;
	uint64_t n_idx;

	populate(f);
	store_set_actor(f->s, "backup-test");
	put_program(f, "After populate");
	n_idx = count_idx(f, IDX_PROGRAM_NAME);
	snprintf(bak, sizeof bak, "%s/backup.mdb", f->dir);
	assert_int_equal(store_backup(f->s, bak, &f->e), ST_OK);
	/* Again over the existing file: replaced. */
	assert_int_equal(store_backup(f->s, bak, &f->e), ST_OK);
	/* Into a missing directory: refused, with the path. */
	snprintf(bad, sizeof bad, "%s/no/such/dir/b.mdb", f->dir);
	err_clear(&f->e);
	assert_int_equal(store_backup(f->s, bad, &f->e), ST_CANTCREAT);
	assert_contains(f->e.msg, bad);
	store_close(f->s);
	f->s = NULL;

	snprintf(copy, sizeof copy, "%s/copy", f->dir);
	assert_int_equal(mkdir(copy, 0700), 0);
	snprintf(data, sizeof data, "%s/data.mdb", copy);
	assert_int_equal(rename(bak, data), 0);
	assert_int_equal(store_open(copy, 0, &f->s, &f->e), ST_OK);
	assert_int_equal(count_kind(f, KIND_PROGRAM), 3);
	assert_int_equal(count_kind(f, KIND_REFUND), 1);
	assert_int_equal(count_idx(f, IDX_PROGRAM_NAME), n_idx);
	assert_int_equal(find_name(f, IDX_PROGRAM_NAME, "after populate"), 3);
	t = txn_begin_read(f->s);
	assert_int_equal(rec_get(t, KIND_PROGRAM, 3, &p), ST_OK);
	txn_end(t);
	assert_string_equal(p.name, "After populate");
	assert_string_equal(p.m.actor, "backup-test");
	rec_free(KIND_PROGRAM, &p);
	assert_verify_clean(f);
	/* The copy is a working database: the sequences came along. */
	assert_int_equal(put_program(f, "In the copy"), 4);
}

/* ==== counts ==== */

static void
test_counts(void **state)
{
	struct fx *f = *state;
	int k;

	for (k = 0; k < KIND__COUNT; k++)
		assert_int_equal(count_kind(f, (enum kind)k), 0);
	populate(f);
	assert_int_equal(count_kind(f, KIND_SETTINGS), 1);
	assert_int_equal(count_kind(f, KIND_PROGRAM), 2);
	assert_int_equal(count_kind(f, KIND_PARTNER), 2);
	assert_int_equal(count_kind(f, KIND_REFERRER), 2);
	assert_int_equal(count_kind(f, KIND_REFERRAL), 2);
	assert_int_equal(count_idx(f, IDX_PARTNER_TIER), 2);
	assert_int_equal(count_idx(f, IDX_REFERRER_EMAIL), 1);    /* partner referrer has none */
	assert_int_equal(count_idx(f, IDX_REFERRER_NAME), 1);     /* customer has no name */
	assert_int_equal(count_idx(f, IDX_REFERRER_PARTNER), 1);
	assert_int_equal(count_idx(f, IDX_REFERRAL_TIME), 2);
	assert_int_equal(count_idx(f, IDX_CODE_REFERRER), 1);
	assert_string_equal(idx_name(IDX_PROGRAM_NAME), "ix.program.name");
	assert_int_equal(del(f, KIND_REFERRAL, 1), ST_OK);
	assert_int_equal(count_kind(f, KIND_REFERRAL), 1);
	assert_int_equal(count_idx(f, IDX_REFERRAL_TIME), 1);
	assert_int_equal(count_idx(f, IDX_REFERRAL_CONTACT), 1);
	assert_int_equal(rec_size(KIND_PROGRAM), sizeof(struct program));
	assert_int_equal(rec_size(KIND_REFUND), sizeof(struct refund));
}

/* ---- hook chain, sequences, counters, STORE_FOREACH ---- */

struct hook_log {
	char calls[64];
	size_t n;
	bool fail;
};

static void
hook_a(void *ctx, struct txn *t, enum kind k, uint64_t id, const void *before, const void *after)
{
	struct hook_log *l = ctx;

	(void)k;
	(void)id;
	(void)before;
	(void)after;
	if (l->n < sizeof l->calls - 1)
		l->calls[l->n++] = 'a';
	if (l->fail)
		txn_fail(t, ST_DATA, "hook a refused");
}

static void
hook_b(void *ctx, struct txn *t, enum kind k, uint64_t id, const void *before, const void *after)
{
	struct hook_log *l = ctx;

	(void)t;
	(void)k;
	(void)id;
	(void)after;
	if (l->n < sizeof l->calls - 1)
		l->calls[l->n++] = before ? 'u' : 'b';
}

/* Hooks run in the order added, per change; one that fails the
 * transaction stops the rest and aborts it all; set_change_hook leaves
 * one hook. */
static void
test_hook_chain(void **state)
{
	struct fx *f = *state;
	struct hook_log l;
	struct program p;

	memset(&l, 0, sizeof l);
	store_hook_add(f->s, hook_a, &l);
	store_hook_add(f->s, hook_b, &l);
	put_program(f, "Alpha");
	assert_string_equal(l.calls, "ab");
	program_fill(&p, "Alpha2");
	p.id = 1;
	assert_int_equal(put(f, KIND_PROGRAM, &p), ST_OK);
	rec_free(KIND_PROGRAM, &p);
	assert_string_equal(l.calls, "abau");

	memset(&l, 0, sizeof l);
	l.fail = true;
	program_fill(&p, "Beta");
	assert_int_equal(put(f, KIND_PROGRAM, &p), ST_DATA);
	rec_free(KIND_PROGRAM, &p);
	assert_string_equal(l.calls, "a");
	assert_contains(f->e.msg, "hook a refused");
	assert_int_equal(count_kind(f, KIND_PROGRAM), 1);

	memset(&l, 0, sizeof l);
	err_clear(&f->e);
	store_set_change_hook(f->s, hook_b, &l);
	put_program(f, "Gamma");
	assert_string_equal(l.calls, "b");
	store_set_change_hook(f->s, NULL, NULL);
	put_program(f, "Delta");
	assert_string_equal(l.calls, "b");
}

static void
test_store_seq(void **state)
{
	struct fx *f = *state;
	struct txn *t;

	t = txn_begin_read(f->s);
	assert_int_equal(store_seq(t, KIND_PROGRAM), 0);
	txn_end(t);
	put_program(f, "Alpha");
	put_program(f, "Beta");
	t = txn_begin_read(f->s);
	assert_int_equal(store_seq(t, KIND_PROGRAM), 2);
	assert_int_equal(store_seq(t, KIND_PARTNER), 0);
	txn_end(t);
}

struct counter_ctx {
	const char *key;
	int64_t d[3];
	size_t n;
	bool clear;
};

static enum status
cb_counter(struct txn *t, void *ctx)
{
	struct counter_ctx *c = ctx;
	struct key k;

	if (c->clear)
		return counter_clear(t);
	key_init(&k);
	key_str(&k, c->key, false);
	return counter_add(t, &k, c->d, c->n);
}

static enum status
counter_write(struct fx *f, const char *key, int64_t a, int64_t b, int64_t c)
{
	struct counter_ctx x = { key, { a, b, c }, 3, false };

	err_clear(&f->e);
	return store_write(f->s, cb_counter, &x, &f->e);
}

/* Counters at key prefix "p", as "key=v0,v1,v2;" from `from` on. */
static void
counter_dump(struct fx *f, const char *from, char *out, size_t len)
{
	struct txn *t = txn_begin_read(f->s);
	struct key prefix, start;
	size_t used = 0;
	uint64_t id;

	key_init(&prefix);
	key_prefix_str(&prefix, "p", false);
	key_init(&start);
	key_prefix_str(&start, from ? from : "p", false);
	out[0] = '\0';
	STORE_FOREACH(it, id, iter_counter(t, &prefix, from ? &start : NULL)) {
		int64_t v[3];
		size_t kl;
		const unsigned char *kb = iter_key(it, &kl);
		assert_int_equal(id, 0);
		counter_values(it, v, 3);
		used += (size_t)snprintf(out + used, len - used, "%.*s=%lld,%lld,%lld;", (int)(kl - 1),
		    (const char *)kb, (long long)v[0], (long long)v[1], (long long)v[2]);
		assert_true(used < len);
	}
	assert_int_equal(txn_status(t), ST_OK);
	txn_end(t);
}

static void
test_counters(void **state)
{
	struct fx *f = *state;
	char got[256];

	assert_int_equal(counter_write(f, "p1", 5, -2, 0), ST_OK);
	assert_int_equal(counter_write(f, "p1", 1, 2, 3), ST_OK);
	assert_int_equal(counter_write(f, "p2", 7, 0, 0), ST_OK);
	assert_int_equal(counter_write(f, "q1", 9, 9, 9), ST_OK);
	counter_dump(f, NULL, got, sizeof got);
	assert_string_equal(got, "p1=6,0,3;p2=7,0,0;");
	counter_dump(f, "p2", got, sizeof got);
	assert_string_equal(got, "p2=7,0,0;");
	/* All zero: the entry goes. */
	assert_int_equal(counter_write(f, "p2", -7, 0, 0), ST_OK);
	counter_dump(f, NULL, got, sizeof got);
	assert_string_equal(got, "p1=6,0,3;");
	/* An overflow fails the write, which leaves the counters as they were. */
	assert_int_equal(counter_write(f, "p1", INT64_MAX, 0, 0), ST_DATA);
	assert_contains(f->e.msg, "amount: an analytics total would exceed");
	counter_dump(f, NULL, got, sizeof got);
	assert_string_equal(got, "p1=6,0,3;");
	{
		struct counter_ctx x = { "p1", { 0 }, 9, false };
		assert_int_equal(store_write(f->s, cb_counter, &x, &f->e), ST_SOFTWARE);
	}
	{
		struct counter_ctx x = { NULL, { 0 }, 0, true };
		err_clear(&f->e);
		assert_int_equal(store_write(f->s, cb_counter, &x, &f->e), ST_OK);
	}
	counter_dump(f, NULL, got, sizeof got);
	assert_string_equal(got, "");
}

/* A walk left by break is closed (valgrind sees no leak), and the ids
 * come in key order. */
static void
test_foreach_break(void **state)
{
	struct fx *f = *state;
	struct txn *t;
	uint64_t id, seen[4];
	size_t n = 0;

	put_program(f, "Beta");
	put_program(f, "Alpha");
	put_program(f, "Gamma");
	t = txn_begin_read(f->s);
	STORE_FOREACH(it, id, iter_index(t, IDX_PROGRAM_NAME, NULL, false)) {
		seen[n++] = id;
		if (n == 2)
			break;
	}
	assert_int_equal(n, 2);
	assert_int_equal(seen[0], 2);
	assert_int_equal(seen[1], 1);
	n = 0;
	STORE_FOREACH(it, id, iter_index(t, IDX_PROGRAM_NAME, NULL, true))
		seen[n++] = id;
	assert_int_equal(n, 3);
	assert_int_equal(seen[0], 3);
	txn_end(t);
}

/* A memory store has no file to copy: a clear error, and no file left. */
static void
test_backup_mem_refused(void **state)
{
	struct fx *f = *state;
	char bak[PATH_MAX + 32];

	put_program(f, "Alpha");
	snprintf(bak, sizeof bak, "%s/backup.mdb", f->dir);
	assert_int_not_equal(store_backup(f->s, bak, &f->e), ST_OK);
	assert_contains(f->e.msg, "backup ");
	assert_contains(f->e.msg, "no file to copy");
	assert_int_equal(dir_entries(f->dir), 0);
	assert_int_equal(count_kind(f, KIND_PROGRAM), 1);
}

int
main(void)
{
	/* ONCE: no store, or files only; LMDB: about LMDB's files; BOTH: once
	 * on each backend. */
#define CASE(label, fn, su) { .name = label, .test_func = fn, .setup_func = su, .teardown_func = teardown }
#define ONCE(fn) CASE(#fn, fn, setup_dir)
#define LMDB(fn) CASE("lmdb/" #fn, fn, setup_db)
#define MEM(fn) CASE("mem/" #fn, fn, setup_mem)
#define BOTH(fn) LMDB(fn), MEM(fn)
	const struct CMUnitTest tests[] = {
		ONCE(test_open_create_missing_dir),
		ONCE(test_open_missing_dir_without_create),
		ONCE(test_open_empty_dir_not_ally),
		ONCE(test_open_rdonly_empty_dir),
		ONCE(test_open_garbage_data_file),
		ONCE(test_open_regular_file),
		BOTH(test_open_rdonly_refuses_writes),
		LMDB(test_schema_newer_refused),
		LMDB(test_schema_equal_ok),
		BOTH(test_ids_per_kind),
		BOTH(test_roundtrip_program),
		BOTH(test_roundtrip_partner),
		BOTH(test_roundtrip_referral),
		BOTH(test_roundtrip_conversion),
		BOTH(test_meta_times_and_actor),
		BOTH(test_get_missing_not_sticky),
		BOTH(test_unique_clash_case),
		BOTH(test_unique_clash_within_one_write),
		BOTH(test_unique_other_indexes),
		BOTH(test_rename_moves_unique_entry),
		BOTH(test_update_moves_nonunique_entry),
		BOTH(test_optional_index_entries),
		BOTH(test_del_removes_record_and_entries),
		BOTH(test_del_middle_of_large_index),
		BOTH(test_iter_prefix_forward_reverse),
		BOTH(test_iter_prefix_ff_boundary),
		BOTH(test_iter_empty_prefix),
		BOTH(test_iter_unique_prefix),
		BOTH(test_iter_kind_and_rec),
		ONCE(test_key_u64_big_endian),
		ONCE(test_key_i64_order),
		ONCE(test_key_str_fold_and_terminator),
		BOTH(test_key_str_long_truncated),
		ONCE(test_codec_roundtrip_extremes),
		ONCE(test_codec_older_record_zero_fills),
		BOTH(test_store_reads_older_record),
		ONCE(test_codec_newer_record_refused),
		ONCE(test_codec_truncated_and_garbage),
		BOTH(test_rec_get_undecodable_is_sticky),
		BOTH(test_sticky_after_txn_fail),
		BOTH(test_fn_error_aborts),
		BOTH(test_sticky_read_txn),
		BOTH(test_meta_get_put),
		BOTH(test_map_growth_one_big_write),
		BOTH(test_map_growth_many_writes),
		BOTH(test_map_growth_retry_with_caller_record),
		BOTH(test_explicit_id_not_overwritten),
		BOTH(test_verify_healthy),
		BOTH(test_verify_missing_index_entry),
		BOTH(test_verify_stale_index_entry),
		BOTH(test_verify_undecodable_record),
		LMDB(test_open_adds_missing_tables),
		LMDB(test_backup_and_open_copy),
		BOTH(test_counts),
		BOTH(test_hook_chain),
		BOTH(test_store_seq),
		BOTH(test_counters),
		BOTH(test_foreach_break),
		MEM(test_backup_mem_refused),
	};
#undef BOTH
#undef MEM
#undef LMDB
#undef ONCE
#undef CASE

	return cmocka_run_group_tests(tests, NULL, NULL);
}
