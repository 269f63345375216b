/*
 * store.h - ally's records, in LMDB or (for tests) in memory.
 *
 * Files: txn.c (opening, transactions, store_write, meta), record.c
 * (records, indexes, the hook chain, sequences, verify), iter.c (keys,
 * walks, counters), kinds.c/codec.c (what each kind stores), and behind a
 * function table (store_int.h) lmdb.c, the only includer of lmdb.h, and
 * mem.c.
 *
 * One environment (a directory with data.mdb and lock.mdb) holds a table per
 * record kind (key: id, big-endian) and one table per secondary index.
 * Unique indexes map key -> id; the others hold key+id -> "" so a prefix
 * walk yields ids in key order.  Index entries are written in the same
 * transaction as the record, by rec_put/rec_del, never by hand.
 *
 * A transaction carries its first error: after one, every later call is a
 * no-op returning that status, and txn_commit aborts and returns it.  All
 * writes go through store_write(), which runs a callback in a write
 * transaction and, when the map is full, grows it and runs the callback
 * again: callbacks must not have effects outside the transaction.
 */
#ifndef ALLY_STORE_STORE_H
#define ALLY_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/status.h"
#include "core/str.h"
#include "domain/records.h"

#define STORE_SCHEMA 1

struct store;
struct txn;
struct iter;

enum store_flags {
	STORE_CREATE = 1,       /* create the directory and database if missing */
	STORE_RDONLY = 2
};

enum status store_open(const char *dir, int flags, struct store **out, struct err *e);
/* An empty store held in memory (sorted arrays, one writer; abort leaves
 * nothing), for tests: everything below works on it but store_backup. It
 * has no schema yet, like a new directory: write "schema" as ally init does.
 * Its map size (store_set_initial_mapsize) is honoured and grows too. */
enum status store_open_mem(struct store **out, struct err *e);
/* "lmdb" or "memory". */
const char *store_backend_name(const struct store *s);
/* Map size for environments opened from now on (default 1 GiB); it grows
 * by doubling whenever full.  Tests make it small. */
void store_set_initial_mapsize(size_t bytes);
void store_close(struct store *s);
const char *store_path(const struct store *s);
/* Id of the last committed transaction (to notice other processes' writes). */
uint64_t store_last_txnid(struct store *s);
/* The commit a transaction sees: a reader that compares this, not
 * store_last_txnid taken before it began, with later store_last_txnid
 * values misses no commit (LMDB writes the meta page a moment before new
 * readers get that snapshot). */
uint64_t txn_snapshot(struct txn *t);
/* Bytes used by the data file, and the current map size. */
void store_sizes(struct store *s, uint64_t *file_bytes, uint64_t *map_bytes);
/* Compact copy into a new file (not a directory) at path. */
enum status store_backup(struct store *s, const char *path, struct err *e);
/* Batch mode: no fsync per commit (ingest of many batches); a final
 * store_sync makes everything durable. */
void store_set_nosync(struct store *s, bool nosync);
enum status store_sync(struct store *s, struct err *e);

/* Read transaction.  Never NULL: an error is carried inside. */
struct txn *txn_begin_read(struct store *s);
void txn_end(struct txn *t);           /* abort / finish a read */
enum status txn_status(const struct txn *t);
const char *txn_message(const struct txn *t);
/* Record an application error in the transaction (sticky; first wins). */
enum status txn_fail(struct txn *t, enum status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
struct store *txn_store(struct txn *t);

/*
 * Run fn in a write transaction and commit.  fn returns a status; anything
 * but ST_OK (or an error carried by the transaction) aborts, and its
 * message comes back in e.  On a full map the map grows and fn runs again.
 */
enum status store_write(struct store *s, enum status (*fn)(struct txn *t, void *ctx),
    void *ctx, struct err *e);

/* ---- records ---- */

/* Decode record `id` of kind k into rec (a struct of that kind).
 * ST_NOTFOUND when absent: not sticky, the transaction goes on. */
enum status rec_get(struct txn *t, enum kind k, uint64_t id, void *rec);
/*
 * Insert (id 0: a new id is assigned and written back) or update a record,
 * setting its meta times and actor, and maintaining every index.  A unique
 * index clash fails the transaction with ST_EXISTS ("program name \"X\" is
 * already taken").
 */
enum status rec_put(struct txn *t, enum kind k, void *rec);
enum status rec_del(struct txn *t, enum kind k, uint64_t id);
/* Free the strings inside rec (not rec itself) and zero it. */
void rec_free(enum kind k, void *rec);
/* Size of the struct for kind k. */
size_t rec_size(enum kind k);
/* Deep copy src into dst (both of kind k). */
void rec_copy(enum kind k, void *dst, const void *src);
/* Count of records of a kind (from LMDB's statistics). */
uint64_t rec_count(struct txn *t, enum kind k);
/* The actor written into meta by rec_put (login); set once per process. */
void store_set_actor(struct store *s, const char *login);

/* ---- indexes ---- */
enum index {
	IDX_USER_LOGIN,
	IDX_PROGRAM_NAME,
	IDX_TIER_NAME,
	IDX_PARTNER_NAME,
	IDX_PARTNER_TIER,
	IDX_AGREEMENT_PARTNER,
	IDX_REFERRER_EMAIL,
	IDX_REFERRER_NAME,
	IDX_REFERRER_PARTNER,
	IDX_CODE,
	IDX_CODE_REFERRER,
	IDX_REFERRAL_CONTACT,
	IDX_REFERRAL_REFERRER,
	IDX_REFERRAL_TIME,
	IDX_CONVERSION_EXT,
	IDX_CONVERSION_REFERRAL,
	IDX_CONVERSION_TIME,
	IDX_REFUND_CONVERSION,
	IDX_CONVERSION_GROUP,       /* referrer, program, time: a tier period's conversions */
	IDX_COMMISSION_CONVERSION,  /* conversion -> its lines and adjustments */
	IDX_COMMISSION_STATUS,      /* status, earned time */
	IDX_COMMISSION_REFERRER,    /* referrer, earned time */
	IDX_COMMISSION_PAYOUT,      /* payout batch -> its lines */
	IDX_COMMISSION_DEAL,        /* deal -> its lines */
	IDX_MAIL_STATE,             /* state, due time */
	IDX_INVITATION_PARTNER,     /* partner -> invitations */
	IDX_INVITATION_CODE,        /* code hash -> invitation (unique) */
	IDX_DEAL_DOMAIN,            /* normalised domain -> deals */
	IDX_DEAL_COMPANY,           /* normalised company -> deals */
	IDX_DEAL_PARTNER,           /* partner -> deals */
	IDX_REFERRAL_OPEN,          /* pending referrals: program, time (the expiry sweep) */
	IDX_KEY_FINGERPRINT,        /* SSH key fingerprint -> key (unique) */
	IDX_KEY_PARTNER,            /* partner -> SSH keys */
	IDX_REFERRER_WORD,          /* each word of a referrer's name and e-mail */
	IDX_CODE_WORD,              /* each word of a code */
	IDX_REFERRAL_WORD,          /* each word of a referred contact's name and e-mail */
	IDX_REWARD_CONVERSION,      /* conversion -> its referee rewards and adjustments */
	IDX_DELIVERY_PENDING,       /* undelivered webhook deliveries: webhook, then id */
	IDX_COMMISSION_BONUS,       /* bonus lines: referrer, program, bonus period start */
	IDX_COMMISSION_OVERRIDE,    /* override lines: the sub-partner's line they follow */
	IDX_PARTNER_PARENT,         /* parent partner -> its sub-partners */
	IDX__COUNT
};

/* Keys: built big-endian by one encoder so they compare as bytes. */
#define STORE_KEY_MAX 480
struct key {
	unsigned char b[STORE_KEY_MAX];
	size_t n;
};

static inline void
key_init(struct key *k)
{
	k->n = 0;
}

static inline void
key_u64(struct key *k, uint64_t v)
{
	if (k->n + 8 > STORE_KEY_MAX)
		return;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	memcpy(k->b + k->n, &v, 8);     /* big-endian: keys sort as numbers */
	k->n += 8;
}

/* Sign-flipped so that order holds. */
static inline void
key_i64(struct key *k, int64_t v)
{
	key_u64(k, (uint64_t)v ^ ((uint64_t)1 << 63));
}

/* Read back what key_u64 / key_i64 wrote at p (8 bytes). */
static inline uint64_t
key_read_u64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);       /* keys are big-endian, so they sort as numbers */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static inline int64_t
key_read_i64(const unsigned char *p)
{
	return (int64_t)(key_read_u64(p) ^ ((uint64_t)1 << 63));
}
/* Append s (lower-cased when fold) and a NUL terminator; long strings are
 * cut so the key fits. */
void key_str(struct key *k, const char *s, bool fold);
/* Append s without terminator (for prefix searches). */
void key_prefix_str(struct key *k, const char *s, bool fold);

/* Unique index lookup: the id, or 0. */
uint64_t idx_find(struct txn *t, enum index ix, const struct key *k);

/*
 * Walk an index (or, with iter_kind, a record table) over every entry whose
 * key starts with prefix (NULL: all), ascending or descending.
 *   struct iter *it = iter_index(t, IDX_REFERRAL_TIME, NULL, true);
 *   while (iter_next(it, &id)) ...
 *   iter_close(it);
 */
struct iter *iter_index(struct txn *t, enum index ix, const struct key *prefix, bool reverse);
struct iter *iter_kind(struct txn *t, enum kind k, bool reverse);
/* Forward walk of the entries that start with prefix, beginning at the
 * first key >= from (from itself starts with prefix): a range scan. */
struct iter *iter_index_from(struct txn *t, enum index ix, const struct key *prefix,
    const struct key *from);
bool iter_next(struct iter *it, uint64_t *id);
/* With iter_kind: decode the record at the cursor (after iter_next). */
enum status iter_rec(struct iter *it, void *rec);
/* The key of the current entry (index iterators). */
const unsigned char *iter_key(struct iter *it, size_t *len);
/* Start a forward walk of the same table again, under another prefix
 * (from: NULL or where to start), reusing the iterator's cursor. */
void iter_reseek(struct iter *it, const struct key *prefix, const struct key *from);
/* At an IDX_REFERRAL_OPEN entry (program, time, id): the referral's time;
 * false when the iterator is not at such an entry. */
bool iter_open_at(struct iter *it, int64_t *at);
void iter_close(struct iter *it);

/*
 * A walk as a statement: it is declared by the macro and closed when the
 * loop ends or breaks; never return or goto out of the body.
 *   uint64_t id;
 *   STORE_FOREACH(it, id, iter_index(t, IDX_REFERRAL_TIME, &prefix, false)) {
 *           ... iter_key(it, &len) ...
 *   }
 */
#define STORE_FOREACH(it, id, start) \
	for (struct iter *it = (start); it != NULL; iter_close(it), it = NULL) \
		while (iter_next(it, &(id)))

/*
 * The word indexes (the referrer lookup's) hold one entry per folded word
 * (core/fold.h) of a field: a referrer's name and e-mail (its top-level
 * domain left out: "com" tells nobody apart), a code, a referral's contact
 * name and e-mail.  Every entry leads to a referrer and says which field
 * its word came from, so a prefix walk by a folded word (key_prefix_str,
 * fold false) finds referrers without reading a record.
 */
enum word_field {
	WORD_NAME = 'n', WORD_EMAIL = 'e', WORD_CODE = 'c',
	WORD_CONTACT_NAME = 'm', WORD_CONTACT_EMAIL = 'r'
};
/* The entry at the iterator of a word index (after iter_next): the
 * length of its word, which is copied into word when cap > 0 (cut to cap
 * - 1 bytes), the referrer and the field.  0 for an entry of another
 * index or a damaged one. */
size_t iter_word(struct iter *it, char *word, size_t cap, uint64_t *referrer,
    enum word_field *field);

/* Number of entries of an index. */
uint64_t idx_count(struct txn *t, enum index ix);
const char *idx_name(enum index ix);

/* ---- change hooks (the audit log, the rollups) ---- */

/* Called by rec_put/rec_del after each change of a record other than an
 * audit entry: before is NULL for an insert, after NULL for a delete.
 * Hooks run in the order added; records they write call no hook, and once
 * the transaction carries an error the rest are skipped. */
typedef void (*store_change_fn)(void *ctx, struct txn *t, enum kind k, uint64_t id,
    const void *before, const void *after);
void store_hook_add(struct store *s, store_change_fn fn, void *ctx);
void store_hook_clear(struct store *s);
/* The chain made of fn alone (fn NULL: no hook). */
void store_set_change_hook(struct store *s, store_change_fn fn, void *ctx);
/* Name the user action a write transaction carries out ("commission
 * approve"), for the hook.  quiet: the hook is not called for the records
 * it writes (bulk events, which log one summary entry instead); the hook
 * is still called and asks txn_quiet(). */
void txn_set_action(struct txn *t, const char *action, bool quiet);
const char *txn_action(const struct txn *t);
bool txn_quiet(const struct txn *t);
/* The fields of a record as one JSON object (names from the field table);
 * fields named *_hash show only "(set)". */
void rec_to_json(enum kind k, const void *rec, struct sbuf *out);

/* Called in every write transaction of store_write once its work has
 * succeeded, just before the commit (the referral expiry sweep); what it
 * writes commits with the rest, and an error it sets aborts it all. */
typedef void (*store_commit_fn)(void *ctx, struct txn *t);
void store_set_commit_hook(struct store *s, store_commit_fn fn, void *ctx);

/* ---- counters: a table of fixed-size int64 counters keyed by the caller
 * (app/rollup.c keeps the rollups there) ---- */

/* Add the n (at most 8) int64 deltas to the counters at key (missing
 * counters are zero; counters that all reach zero are removed; a sum
 * that would overflow fails the transaction). */
enum status counter_add(struct txn *t, const struct key *k, const int64_t *delta, size_t n);
/* The n counters at exactly key k into v (zeros when there are none);
 * false when there are none.  A write transaction folds its adds in
 * memory and writes each key once at commit: this reads through that. */
bool counter_get(struct txn *t, const struct key *k, int64_t *v, size_t n);
/* Walk the counters whose key starts with prefix, from `from` (NULL: the
 * prefix) forward; the iterator's key is read with iter_key and the
 * counters with counter_values. */
struct iter *iter_counter(struct txn *t, const struct key *prefix, const struct key *from);
/* The counters at the iterator (n of them; missing ones are zero). */
void counter_values(struct iter *it, int64_t *v, size_t n);
/* Remove every counter (for a rebuild). */
enum status counter_clear(struct txn *t);

/* ---- raw meta values ---- */
/* The last id handed out for kind k (0: none yet). */
uint64_t store_seq(struct txn *t, enum kind k);
enum status meta_get(struct txn *t, const char *name, void *val, size_t len);
enum status meta_put(struct txn *t, const char *name, const void *val, size_t len);
/* The first entry named at or after `from` (in byte order) whose name
 * starts with prefix: its name into name (namelen with the NUL) and its
 * value, which must be len bytes.  ST_NOTFOUND when there is none. */
enum status meta_seek(struct txn *t, const char *prefix, const char *from, char *name,
    size_t namelen, void *val, size_t len);

/* ---- consistency ---- */
/*
 * Walk every record and index: each record decodes, each index entry points
 * at a record whose keys produce it, each record's keys are present.
 * report(ctx, line) is called per problem; returns the number found.
 */
uint64_t store_verify(struct txn *t, void (*report)(void *ctx, const char *line), void *ctx);

#endif
