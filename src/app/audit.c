/*
 * audit.c - the audit log: one entry per change (time, actor, action,
 * record, before and after), each carrying the MAC of the one before, so
 * `ally audit verify` can name the first entry that was changed or removed.
 *
 * The chain is keyed: HMAC-SHA-256 with the key of audit_key.c, which only
 * the database's group can read, so a raw copy of the file cannot be
 * re-chained after an edit.  meta "audit.keyed_from" holds the id of the
 * first keyed entry (1 for a database made keyed).  A database from before
 * the key kept a plain SHA-256 chain: the first writer to open it creates
 * the key and appends an "audit.rekey" entry, keyed, that follows the last
 * unkeyed one; verify checks the part before it the old way.
 *
 * Entries come from the store's change hook.  Bulk events (referrals,
 * conversions, refunds and the lines they earn) are logged as one summary
 * entry per transaction instead of one per record; outbox bookkeeping is
 * not logged.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/audit.h"
#include "app/ledger.h"
#include "app/app_int.h"
#include "core/alloc.h"
#include "core/clock.h"

#define HASH_HEX (crypto_hash_sha256_BYTES * 2 + 1)
static const char genesis[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/* The key, loaded once per database (a process may open more than one). */
static struct {
	char *db;               /* the database it was looked up for */
	char *path;
	bool ok;
	unsigned char k[AUDIT_KEY_BYTES];
	struct err why;         /* when !ok */
} key;

/* An in-memory store's key: as short-lived as its data, made once per
 * process so sessions after the first on the same store agree. */
static struct {
	bool made;
	unsigned char k[AUDIT_KEY_BYTES];
} memkey;

static bool
key_load(struct store *s)
{
	const char *db = store_path(s);
	struct err e;

	if (strcmp(store_backend_name(s), "memory") == 0) {
		if (!memkey.made) {
			randombytes_buf(memkey.k, sizeof memkey.k);
			memkey.made = true;
		}
		free(key.db);
		free(key.path);
		memset(&key, 0, sizeof key);
		memcpy(key.k, memkey.k, sizeof key.k);
		key.ok = true;
		return true;
	}
	if (key.db != NULL && strcmp(key.db, db) == 0)
		return key.ok;
	free(key.db);
	free(key.path);
	key.db = xstrdup(db);
	key.ok = false;
	err_clear(&key.why);
	err_clear(&e);
	key.path = audit_key_path(db, &e);
	if (key.path == NULL)
		key.why = e;
	else if (audit_key_read(key.path, key.k, &key.why) == ST_OK)
		key.ok = true;
	return key.ok;
}

void
audit_key_forget(void)
{
	free(key.db);
	free(key.path);
	sodium_memzero(&key, sizeof key);
}

static uint64_t
keyed_from(struct txn *t)
{
	uint64_t v = 0;

	if (meta_get(t, "audit.keyed_from", &v, sizeof v) != ST_OK)
		v = 0;
	return v;
}

/* The MAC of an entry over the previous one and every field: HMAC-SHA-256
 * with the key when keyed, else (the old chain) plain SHA-256. */
static void
entry_hash(const struct audit *a, const unsigned char *k, char out[HASH_HEX])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	struct sbuf b;

	_Static_assert(crypto_auth_hmacsha256_BYTES == crypto_hash_sha256_BYTES, "one length");
	sbuf_init(&b);
	sbuf_addf(&b, "%s\n%llu\n%lld\n%s\n%s\n%d\n%llu\n%s\n%s", a->prev_hash ? a->prev_hash : "",
	    (unsigned long long)a->id, (long long)a->at, a->actor ? a->actor : "",
	    a->action ? a->action : "", (int)a->kind, (unsigned long long)a->record,
	    a->before ? a->before : "", a->after ? a->after : "");
	if (k != NULL)
		crypto_auth_hmacsha256(d, (const unsigned char *)sbuf_str(&b), b.len, k);
	else
		crypto_hash_sha256(d, (const unsigned char *)sbuf_str(&b), b.len);
	sodium_bin2hex(out, HASH_HEX, d, sizeof d);
	sbuf_free(&b);
}

void
audit_append(struct txn *t, const char *actor, const char *action, enum kind k, uint64_t record,
    const char *before, const char *after)
{
	struct audit a;
	char prev[HASH_HEX], hash[HASH_HEX];
	uint64_t next = 0, from = keyed_from(t);

	if (meta_get(t, "audit.last", prev, HASH_HEX) != ST_OK)
		memcpy(prev, genesis, HASH_HEX);
	next = store_seq(t, KIND_AUDIT);
	memset(&a, 0, sizeof a);
	a.id = next + 1;        /* written under its own id so the hash can cover it */
	a.at = clock_now();
	a.actor = xstrdup(actor ? actor : "");
	a.action = xstrdup(action);
	a.kind = k;
	a.record = record;
	a.before = before ? xstrdup(before) : NULL;
	a.after = after ? xstrdup(after) : NULL;
	a.prev_hash = xstrdup(prev);
	if (from != 0 && a.id >= from && !key_load(txn_store(t))) {
		txn_fail(t, ST_CONFIG, "%s: the audit chain is keyed, so nothing is written without the key",
		    key.why.msg);
		rec_free(KIND_AUDIT, &a);
		return;
	}
	entry_hash(&a, from != 0 && a.id >= from ? key.k : NULL, hash);
	a.hash = xstrdup(hash);
	rec_put(t, KIND_AUDIT, &a);
	meta_put(t, "audit.last", hash, HASH_HEX);
	rec_free(KIND_AUDIT, &a);
}

static const char *
verb(const void *before, const void *after)
{
	if (before == NULL)
		return "add";
	if (after == NULL)
		return "delete";
	return "change";
}

void
audit_hook(void *ctx, struct txn *t, enum kind k, uint64_t id, const void *before, const void *after)
{
	struct app *a = ctx;
	struct sbuf bj, aj;
	char action[96];

	(void)id;
	if (txn_quiet(t) || k == KIND_MAIL || k == KIND_REFERRAL || k == KIND_CONVERSION ||
	    k == KIND_REFUND || k == KIND_DELIVERY)
		return;
	sbuf_init(&bj);
	sbuf_init(&aj);
	if (before)
		rec_to_json(k, before, &bj);
	if (after)
		rec_to_json(k, after, &aj);
	if (before && after && strcmp(sbuf_str(&bj), sbuf_str(&aj)) == 0)
		goto out;       /* nothing changed */
	if (*txn_action(t))
		snprintf(action, sizeof action, "%s: %s %s", txn_action(t), kind_name(k), verb(before, after));
	else
		snprintf(action, sizeof action, "%s %s", kind_name(k), verb(before, after));
	audit_append(t, a->login, action, k, id, before ? sbuf_str(&bj) : NULL,
	    after ? sbuf_str(&aj) : NULL);
out:
	sbuf_free(&bj);
	sbuf_free(&aj);
}

/* ---- carrying an old chain over to the key ---- */

struct rekey_ctx {
	const char *actor;
	bool fresh;             /* a new database: keyed from its first entry */
};

static enum status
rekey_write(struct txn *t, void *vctx)
{
	struct rekey_ctx *c = vctx;
	uint64_t n = 0, from;
	char after[64];

	if (keyed_from(t) != 0)
		return ST_OK;   /* another writer did it first */
	n = store_seq(t, KIND_AUDIT);
	from = n + 1;
	meta_put(t, "audit.keyed_from", &from, sizeof from);
	if (n > 0 && !c->fresh) {
		snprintf(after, sizeof after, "{\"unkeyed_entries\":%llu}", (unsigned long long)n);
		audit_append(t, c->actor, "audit.rekey", KIND_AUDIT, 0, NULL, after);
	}
	return txn_status(t);
}

enum status
audit_prepare(struct store *s, const char *actor, bool fresh, struct err *e)
{
	struct rekey_ctx c = { actor, fresh };
	struct txn *t;
	uint64_t from;
	enum status st;

	if (key_load(s)) {
		t = txn_begin_read(s);
		from = keyed_from(t);
		txn_end(t);
		return from != 0 ? ST_OK : store_write(s, rekey_write, &c, e);
	}
	t = txn_begin_read(s);
	from = keyed_from(t);
	txn_end(t);
	if (from != 0 || key.path == NULL || key.why.st != ST_NOINPUT)
		return err_set(e, ST_CONFIG, "%s%s", key.why.msg, from != 0 && key.why.st == ST_NOINPUT ?
		    ": the audit chain is keyed, so nothing is written without the key (restore it)" : "");
	/* no key yet: this writer makes it (an existing one is kept) */
	st = audit_key_create(key.path, e);
	if (st != ST_OK && st != ST_EXISTS)
		return st;
	audit_key_forget();
	if (!key_load(s))
		return err_set(e, ST_CONFIG, "%s", key.why.msg);
	return store_write(s, rekey_write, &c, e);
}

/* ---- verify ---- */

struct verify {
	uint64_t from;          /* first keyed entry, 0 if none */
	bool have_key;
	char prev[HASH_HEX];
	uint64_t expect, last;
};

static enum status
verify_one(struct verify *v, const struct audit *en, struct err *e)
{
	char hash[HASH_HEX];
	bool keyed = v->from != 0 && en->id >= v->from;

	if (en->id != v->expect)
		return err_set(e, ST_DATA, "audit entry A%llu is missing: the chain jumps to A%llu",
		    (unsigned long long)v->expect, (unsigned long long)en->id);
	if (keyed && !v->have_key)
		return err_set(e, ST_CONFIG, "%s: entries from A%llu on are keyed and cannot be verified without it",
		    key.why.msg, (unsigned long long)v->from);
	if (keyed && en->id == v->from && v->from > 1 &&
	    (en->action == NULL || strcmp(en->action, "audit.rekey") != 0))
		return err_set(e, ST_DATA, "audit entry A%llu should carry the chain over to the key (audit.rekey) but does not",
		    (unsigned long long)en->id);
	entry_hash(en, keyed ? key.k : NULL, hash);
	if (en->prev_hash == NULL || strcmp(en->prev_hash, v->prev) != 0)
		return err_set(e, ST_DATA, "audit entry A%llu does not follow A%llu (its previous hash differs)",
		    (unsigned long long)en->id, (unsigned long long)en->id - 1);
	if (en->hash == NULL || strcmp(en->hash, hash) != 0)
		return err_set(e, ST_DATA, "audit entry A%llu was changed after it was written (hash differs)",
		    (unsigned long long)en->id);
	memcpy(v->prev, hash, HASH_HEX);
	v->last = en->id;
	v->expect++;
	return ST_OK;
}

/* What the whole chain must look like once every entry verified. */
static enum status
verify_ends(struct txn *t, const struct verify *v, uint64_t n, struct err *e)
{
	char last[HASH_HEX];

	if (meta_get(t, "audit.last", last, HASH_HEX) == ST_OK && n && strcmp(last, v->prev) != 0)
		return err_set(e, ST_DATA, "audit log: entries after A%llu were removed", (unsigned long long)n);
	if (n && v->from != 0 && v->from > v->last)
		return err_set(e, ST_DATA, "audit log: the keyed entries from A%llu on were removed",
		    (unsigned long long)v->from);
	if (n && v->from == 0 && v->have_key)
		return err_set(e, ST_DATA, "audit log: %s exists but no entry is keyed: the chain was rewritten "
		    "(or its carry-over was cut short: any write redoes it)", key.path);
	return ST_OK;
}

enum status
app_audit_verify(struct app *a, uint64_t *entries, struct err *e)
{
	struct verify v;
	struct txn *t;
	struct iter *it;
	uint64_t id;
	enum status st = ST_OK;

	*entries = 0;
	if ((st = app_require(a, PERM_COMMISSION_READ, e)) != ST_OK)
		return st;
	memset(&v, 0, sizeof v);
	memcpy(v.prev, genesis, HASH_HEX);
	v.expect = 1;
	v.have_key = key_load(a->store);
	t = txn_begin_read(a->store);
	v.from = keyed_from(t);
	it = iter_kind(t, KIND_AUDIT, false);
	while (st == ST_OK && iter_next(it, &id)) {
		struct audit en;
		if (iter_rec(it, &en) != ST_OK) {
			st = err_set(e, ST_DATA, "audit entry A%llu cannot be read", (unsigned long long)id);
			break;
		}
		if ((st = verify_one(&v, &en, e)) == ST_OK)
			(*entries)++;
		rec_free(KIND_AUDIT, &en);
	}
	iter_close(it);
	if (st == ST_OK)
		st = verify_ends(t, &v, *entries, e);
	if (st == ST_OK)
		st = util_txn_err(t, e);
	txn_end(t);
	return st;
}

bool
app_audit_keyed(struct app *a)
{
	struct txn *t = txn_begin_read(a->store);
	bool yes = keyed_from(t) != 0;

	txn_end(t);
	return yes;
}
