/*
 * expiry.c - a referral whose window has passed without a qualifying
 * conversion becomes expired in storage.
 *
 * Every write transaction ends with a sweep (the store's commit hook):
 * for each program, the pending referrals are walked oldest first through
 * ix.referral.open (program, time) and each whose window has ended is
 * written as expired, stopping at the first still open, so a sweep costs
 * one index seek per program plus the referrals it expires.  Reads
 * between writes use referral_effective_status, which gives the same
 * answer.  Referral changes are not audited (like every referral change);
 * the rollups follow through the change hook as for any write.
 *
 * A conversion reported late with a true time inside the window still
 * converts an expired referral (events.c).  An older database gets the
 * index filled from its referrals when it is first opened (store/txn.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/app_int.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "domain/referral.h"

#define SWEEP_BATCH 256          /* ids collected before the index is changed */

/* Expire up to SWEEP_BATCH of pg's pending referrals whose window ended by
 * now; true when there may be more. */
static bool
sweep_program(struct txn *t, const struct program *pg, int64_t now)
{
	uint64_t ids[SWEEP_BATCH], id;
	size_t n = 0, i;
	struct key k;
	struct iter *it;

	key_init(&k);
	key_u64(&k, pg->id);
	it = iter_index(t, IDX_REFERRAL_OPEN, &k, false);
	while (n < SWEEP_BATCH && iter_next(it, &id)) {
		int64_t at;
		if (!iter_open_at(it, &at) || now < referral_window_end(pg, at))
			break;
		ids[n++] = id;
	}
	iter_close(it);
	for (i = 0; i < n; i++) {
		struct referral r;
		if (rec_get(t, KIND_REFERRAL, ids[i], &r) != ST_OK)
			continue;
		if (referral_effective_status(&r, pg, now) == REFERRAL_EXPIRED && r.status == REFERRAL_PENDING) {
			r.status = REFERRAL_EXPIRED;
			free(r.reason);
			r.reason = xasprintf("no qualifying conversion within the %d-day window", pg->window_days);
			rec_put(t, KIND_REFERRAL, &r);
		}
		rec_free(KIND_REFERRAL, &r);
	}
	return n == SWEEP_BATCH;
}

void
expiry_sweep(void *ctx, struct txn *t)
{
	struct iter *it;
	uint64_t id;
	int64_t now = clock_now();

	(void)ctx;
	if (txn_status(t) != ST_OK)
		return;
	it = iter_kind(t, KIND_PROGRAM, false);
	while (txn_status(t) == ST_OK && iter_next(it, &id)) {
		struct program pg;
		if (iter_rec(it, &pg) != ST_OK)
			continue;
		if (pg.window_days > 0)
			while (txn_status(t) == ST_OK && sweep_program(t, &pg, now))
				;
		rec_free(KIND_PROGRAM, &pg);
	}
	iter_close(it);
}
