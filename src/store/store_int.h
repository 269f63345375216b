/*
 * store_int.h - what only the files of store/ share: the backend function
 * table, and the layouts of struct store, struct txn and struct iter.
 *
 * The record layer (txn.c, record.c, iter.c) speaks to storage only
 * through a `struct store_backend`: numbered tables of byte keys in byte
 * order, transactions (one writer), cursors.  lmdb.c fills it with LMDB
 * (the only file that includes lmdb.h); mem.c with sorted arrays, for
 * tests.  Backend calls return 0, one of the BK_ codes below, or a code of
 * their own that only their status/reason functions interpret.
 */
#ifndef ALLY_STORE_STORE_INT_H
#define ALLY_STORE_STORE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "core/str.h"
#include "store/kinds.h"
#include "store/store.h"

/* Backend-neutral return codes (negative, apart from errno values and
 * from LMDB's own, which lie near -30800). */
#define BK_NOTFOUND (-1)
#define BK_EXISTS   (-2)        /* put with BK_NOOVERWRITE on a present key */
#define BK_FULL     (-3)        /* the map is full: grow and run again */

#define BK_NOOVERWRITE 1u
#define BK_APPEND      2u       /* the key sorts after every key of the table */

/* Table numbers: meta, one per kind, one per index, the counters. */
#define TBL_META 0
#define TBL_KIND(k) (1 + (int)(k))
#define TBL_IDX(ix) (1 + KIND__COUNT + (int)(ix))
#define TBL_COUNTER (1 + KIND__COUNT + IDX__COUNT)
#define TBL__COUNT (2 + KIND__COUNT + IDX__COUNT)

struct bk_val {
	size_t n;
	const void *p;
};

enum bk_op {
	BK_FIRST,
	BK_LAST,
	BK_SEEK,        /* first key >= the given one */
	BK_NEXT,
	BK_PREV
};

struct bk_env;
struct bk_txn;
struct bk_cursor;

/* What a backend is told at open: the table names (index TBL_*), which
 * of them it may create, and the first map size. */
struct bk_open {
	const char *dir;        /* NULL for the memory backend */
	int flags;              /* STORE_CREATE, STORE_RDONLY */
	size_t mapsize;
	const char *const *tables;
	int ntables;
	bool *fresh;            /* out: tables this open created in an older database */
};

struct store_backend {
	const char *name;
	enum status (*open)(const struct bk_open *o, struct bk_env **out, struct err *e);
	void (*close)(struct bk_env *env);
	int (*txn_begin)(struct bk_env *env, bool write, struct bk_txn **out);
	int (*txn_commit)(struct bk_txn *t);      /* frees t, also on failure */
	void (*txn_abort)(struct bk_txn *t);      /* frees t */
	int (*get)(struct bk_txn *t, int table, const struct bk_val *k, struct bk_val *v);
	int (*put)(struct bk_txn *t, int table, const struct bk_val *k, const struct bk_val *v,
	    unsigned flags);
	int (*del)(struct bk_txn *t, int table, const struct bk_val *k);
	int (*drop)(struct bk_txn *t, int table);           /* empty the table */
	int (*count)(struct bk_txn *t, int table, uint64_t *n);
	int (*cursor_open)(struct bk_txn *t, int table, struct bk_cursor **out);
	void (*cursor_close)(struct bk_cursor *c);
	/* Position the cursor (BK_SEEK reads k) and return its entry. */
	int (*cursor_get)(struct bk_cursor *c, enum bk_op op, struct bk_val *k, struct bk_val *v);
	uint64_t (*last_txnid)(struct bk_env *env);
	uint64_t (*txn_id)(struct bk_txn *t);               /* the commit a reader sees */
	void (*sizes)(struct bk_env *env, uint64_t *used, uint64_t *map);
	int (*sync)(struct bk_env *env);
	void (*set_nosync)(struct bk_env *env, bool nosync);
	int (*backup)(struct bk_env *env, int fd);
	int (*grow)(struct bk_env *env);                    /* double the map */
	enum status (*status)(int rc);
	const char *(*reason)(int rc);
};

extern const struct store_backend store_backend_lmdb;
extern const struct store_backend store_backend_mem;

struct hook {
	store_change_fn fn;
	void *ctx;
};

struct store {
	const struct store_backend *bk;
	struct bk_env *env;
	char *path;
	char *actor;
	bool rdonly;            /* no store_write */
	struct hook *hooks;     /* the change hook chain, called in order */
	size_t nhooks;
	store_commit_fn commit_hook;
	void *commit_ctx;
	bool fresh[TBL__COUNT];  /* tables this open created in an older database */
};

struct txn {
	struct store *s;
	struct bk_txn *t;
	bool write;
	enum status st;
	int bk_rc;              /* the backend code behind st, if any */
	char msg[512];
	struct sbuf scratch;
	char action[64];
	bool quiet;
	bool in_hook;
	struct ccache *cc;      /* counter.c: counters folded until commit */
	/* record.c: each kind's id sequence, read once and written at commit */
	uint64_t seq[KIND__COUNT];
	unsigned char seq_state[KIND__COUNT];  /* 0: not read, 1: read, 2: changed */
};

struct iter {
	struct txn *t;
	struct bk_cursor *c;
	enum kind kind;         /* for record iterators */
	bool is_index;
	bool unique;
	bool reverse;
	bool started;
	bool done;
	struct key prefix;
	struct key from;        /* forward walks: start here (n == 0: at the prefix) */
	bool counter;           /* values are counters: iter_next yields no id */
	struct bk_val k, v;
};

/* txn.c */
struct txn *txn_new(struct store *s, bool write);
enum status txn_fail_bk(struct txn *t, int rc, const char *what);
#define store_be64 key_read_u64

/* record.c */
void index_fill(struct txn *t, enum index ix);
/* Write the sequences a write transaction changed (before a commit). */
enum status seq_flush(struct txn *t);
/* iter.c */
struct iter *iter_table(struct txn *t, int table, const struct key *prefix, bool reverse);
/* counter.c: write the folded counters (before a commit); drop them. */
enum status counter_flush(struct txn *t);
void counter_cache_free(struct txn *t);

#endif
