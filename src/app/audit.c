/*
 * audit.c - the audit log: one entry per change (time, actor, action,
 * record, before and after), each carrying the hash of the one before, so
 * `ally audit verify` can name the first entry that was changed or removed.
 *
 * Entries come from the store's change hook.  Bulk events (referrals,
 * conversions, refunds and the lines they earn) are logged as one summary
 * entry per transaction instead of one per record; outbox bookkeeping is
 * not logged.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/audit.h"
#include "app/ledger.h"
#include "app/rollup.h"
#include "app/util.h"
#include "core/alloc.h"
#include "core/clock.h"

#define HASH_HEX (crypto_hash_sha256_BYTES * 2 + 1)
static const char genesis[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/* The hash of an entry: SHA-256 over the previous hash and every field. */
static void
entry_hash(const struct audit *a, char out[HASH_HEX])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	struct sbuf b;

	sbuf_init(&b);
	sbuf_addf(&b, "%s\n%llu\n%lld\n%s\n%s\n%d\n%llu\n%s\n%s", a->prev_hash ? a->prev_hash : "",
	    (unsigned long long)a->id, (long long)a->at, a->actor ? a->actor : "",
	    a->action ? a->action : "", (int)a->kind, (unsigned long long)a->record,
	    a->before ? a->before : "", a->after ? a->after : "");
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
	uint64_t next = 0;

	if (meta_get(t, "audit.last", prev, HASH_HEX) != ST_OK)
		memcpy(prev, genesis, HASH_HEX);
	if (meta_get(t, "seq.audit", &next, sizeof next) != ST_OK)
		next = 0;
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
	entry_hash(&a, hash);
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

	rollup_hook(t, k, before, after);
	if (txn_quiet(t) || k == KIND_MAIL || k == KIND_REFERRAL || k == KIND_CONVERSION ||
	    k == KIND_REFUND)
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

enum status
app_audit_verify(struct app *a, uint64_t *entries, struct err *e)
{
	struct txn *t;
	struct iter *it;
	char prev[HASH_HEX], hash[HASH_HEX], last[HASH_HEX];
	uint64_t id, expect = 1;
	enum status st = ST_OK;

	*entries = 0;
	if ((st = app_require(a, PERM_COMMISSION_READ, e)) != ST_OK)
		return st;
	memcpy(prev, genesis, HASH_HEX);
	t = txn_begin_read(a->store);
	it = iter_kind(t, KIND_AUDIT, false);
	while (st == ST_OK && iter_next(it, &id)) {
		struct audit en;
		if (iter_rec(it, &en) != ST_OK) {
			st = err_set(e, ST_DATA, "audit entry A%llu cannot be read", (unsigned long long)id);
			break;
		}
		entry_hash(&en, hash);
		if (id != expect)
			st = err_set(e, ST_DATA, "audit entry A%llu is missing: the chain jumps to A%llu",
			    (unsigned long long)expect, (unsigned long long)id);
		else if (en.prev_hash == NULL || strcmp(en.prev_hash, prev) != 0)
			st = err_set(e, ST_DATA, "audit entry A%llu does not follow A%llu (its previous hash differs)",
			    (unsigned long long)id, (unsigned long long)id - 1);
		else if (en.hash == NULL || strcmp(en.hash, hash) != 0)
			st = err_set(e, ST_DATA, "audit entry A%llu was changed after it was written (hash differs)",
			    (unsigned long long)id);
		memcpy(prev, en.hash ? en.hash : "", en.hash && strlen(en.hash) + 1 == HASH_HEX ? HASH_HEX : 1);
		rec_free(KIND_AUDIT, &en);
		expect++;
		if (st == ST_OK)
			(*entries)++;
	}
	iter_close(it);
	if (st == ST_OK && meta_get(t, "audit.last", last, HASH_HEX) == ST_OK && *entries &&
	    strcmp(last, prev) != 0)
		st = err_set(e, ST_DATA, "audit log: entries after A%llu were removed",
		    (unsigned long long)*entries);
	if (st == ST_OK)
		st = util_txn_err(t, e);
	txn_end(t);
	return st;
}
