/*
 * figures.c - key figures for the dashboard's first draw: LMDB
 * statistics and index keys only.  Figures of a date range (referrals,
 * conversions, rates, values) are app_report's, as in Analytics.
 */
#include "config.h"

#include <string.h>

#include "app/figures.h"
#include "app/app_int.h"
#include "core/clock.h"
#include "core/date.h"

static uint64_t
count_prefix(struct txn *t, enum index ix, uint64_t v)
{
	struct key k;
	struct iter *it;
	uint64_t id, n = 0;

	key_init(&k);
	key_u64(&k, v);
	it = iter_index(t, ix, &k, false);
	while (iter_next(it, &id))
		n++;
	iter_close(it);
	return n;
}

enum status
app_figures(struct app *a, struct figures *f, struct err *e)
{
	struct program pg;
	struct txn *t;
	struct iter *it;
	uint64_t id;
	enum status st;

	if ((st = app_require(a, PERM_ANALYTICS, e)) != ST_OK)
		return st;
	memset(f, 0, sizeof *f);
	f->now = clock_now();
	t = txn_begin_read(a->store);
	f->programs = rec_count(t, KIND_PROGRAM);
	f->tiers = rec_count(t, KIND_TIER);
	f->partners = rec_count(t, KIND_PARTNER);
	f->referrers = rec_count(t, KIND_REFERRER);
	f->codes = rec_count(t, KIND_CODE);
	f->users = rec_count(t, KIND_USER);
	f->referrals = rec_count(t, KIND_REFERRAL);
	f->conversions = rec_count(t, KIND_CONVERSION);
	f->refunds = rec_count(t, KIND_REFUND);
	f->commissions = rec_count(t, KIND_COMMISSION);
	/* programs are few: their status needs the records */
	it = iter_kind(t, KIND_PROGRAM, false);
	while (iter_next(it, &id)) {
		if (iter_rec(it, &pg) != ST_OK)
			continue;
		f->programs_active += pg.status == PROGRAM_ACTIVE;
		rec_free(KIND_PROGRAM, &pg);
	}
	iter_close(it);
	if (f->commissions > 0) {
		f->commissions_pending = count_prefix(t, IDX_COMMISSION_STATUS, COMMISSION_PENDING);
		f->commissions_approved = count_prefix(t, IDX_COMMISSION_STATUS, COMMISSION_APPROVED);
	}
	st = util_txn_err(t, e);
	txn_end(t);
	return st;
}

