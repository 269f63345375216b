/*
 * rollup_period.c - the period families of the counter table, kept by the
 * ledger rather than by the rollup hook: 'P' (a tier period's or capped
 * month's running totals, ledger.c) and 'M' (a bonus period's count and
 * revenue, bonus.c), both keyed referrer, program, period start.  Each
 * setter writes the difference from what is kept, so the store's per
 * transaction folding applies to them as to every counter; `ally check`
 * verifies them against the conversions (ledger_verify_periods,
 * ledger_verify_bonuses), not against the records' contributions.  Their
 * walk, which reads the keys back, is rollup.c's (rollup_periods_each).
 */
#include "config.h"

#include <string.h>

#include "app/app_int.h"
#include "domain/commission.h"

/* ---- commission period totals ('P'), kept by the ledger ---- */

#define PERIOD_N 6      /* count, revenue, micro / MICRO, micro % MICRO, capped, rule */

static void
pkey(struct key *k, uint64_t referrer, uint64_t program, int64_t start)
{
	key_init(k);
	k->b[k->n++] = 'P';
	key_u64(k, referrer);
	key_u64(k, program);
	key_i64(k, start);
}

static void
period_decode(const int64_t *v, struct rollup_period *p)
{
	p->count = v[0];
	p->revenue = v[1];
	p->micro = (__int128)v[2] * MICRO + v[3];
	p->capped = v[4];
	p->rule = v[5];
}

bool
rollup_period_get(struct txn *t, uint64_t referrer, uint64_t program, int64_t start,
    struct rollup_period *p)
{
	struct key k;
	int64_t v[PERIOD_N];
	bool found;

	memset(p, 0, sizeof *p);
	pkey(&k, referrer, program, start);
	if ((found = counter_get(t, &k, v, PERIOD_N)))
		period_decode(v, p);
	return found;
}

void
rollup_period_set(struct txn *t, uint64_t referrer, uint64_t program, int64_t start,
    const struct rollup_period *p)
{
	struct rollup_period cur;
	struct key k;
	int64_t d[PERIOD_N];

	rollup_period_get(t, referrer, program, start, &cur);
	/* the store adds deltas: the difference from what is kept, each
	 * within int64 because both sides are (the ledger checked the sums) */
	d[0] = p->count - cur.count;
	d[1] = p->revenue - cur.revenue;
	d[2] = (int64_t)(p->micro / MICRO) - (int64_t)(cur.micro / MICRO);
	d[3] = (int64_t)(p->micro % MICRO) - (int64_t)(cur.micro % MICRO);
	d[4] = p->capped - cur.capped;
	d[5] = p->rule - cur.rule;
	pkey(&k, referrer, program, start);
	counter_add(t, &k, d, PERIOD_N);
}

struct period_each {
	bool (*fn)(void *ctx, uint64_t referrer, uint64_t program, int64_t start, const struct rollup_period *p);
	bool (*bfn)(void *ctx, uint64_t referrer, uint64_t program, int64_t start, const struct rollup_bonus *b);
	void *ctx;
};

static bool
period_one(void *ctx, uint64_t referrer, uint64_t program, int64_t start, const int64_t *v)
{
	struct period_each *pe = ctx;
	struct rollup_period p;

	period_decode(v, &p);
	return pe->fn(pe->ctx, referrer, program, start, &p);
}

void
rollup_period_each(struct txn *t, bool (*fn)(void *ctx, uint64_t referrer, uint64_t program,
    int64_t start, const struct rollup_period *p), void *ctx)
{
	struct period_each pe = { fn, NULL, ctx };

	rollup_periods_each(t, 'P', PERIOD_N, period_one, &pe);
}

/* ---- bonus period totals ('M', milestones), kept by the ledger ---- */

#define BONUS_N 3       /* count, revenue, bonus */

/* The same keys as 'P', under 'M'. */
static void
mkey(struct key *k, uint64_t referrer, uint64_t program, int64_t start)
{
	pkey(k, referrer, program, start);
	k->b[0] = 'M';
}

bool
rollup_bonus_get(struct txn *t, uint64_t referrer, uint64_t program, int64_t start,
    struct rollup_bonus *b)
{
	struct key k;
	int64_t v[BONUS_N];
	bool found;

	memset(b, 0, sizeof *b);
	mkey(&k, referrer, program, start);
	if ((found = counter_get(t, &k, v, BONUS_N))) {
		b->count = v[0];
		b->revenue = v[1];
		b->bonus = v[2];
	}
	return found;
}

void
rollup_bonus_set(struct txn *t, uint64_t referrer, uint64_t program, int64_t start,
    const struct rollup_bonus *b)
{
	struct rollup_bonus cur;
	struct key k;
	int64_t d[BONUS_N];

	rollup_bonus_get(t, referrer, program, start, &cur);
	/* deltas, each within int64: both sides are (the ledger checked) */
	d[0] = b->count - cur.count;
	d[1] = b->revenue - cur.revenue;
	d[2] = b->bonus - cur.bonus;
	mkey(&k, referrer, program, start);
	counter_add(t, &k, d, BONUS_N);
}

static bool
bonus_one(void *ctx, uint64_t referrer, uint64_t program, int64_t start, const int64_t *v)
{
	struct period_each *pe = ctx;
	struct rollup_bonus b = { v[0], v[1], v[2] };

	return pe->bfn(pe->ctx, referrer, program, start, &b);
}

void
rollup_bonus_each(struct txn *t, bool (*fn)(void *ctx, uint64_t referrer, uint64_t program,
    int64_t start, const struct rollup_bonus *b), void *ctx)
{
	struct period_each pe = { NULL, fn, ctx };

	rollup_periods_each(t, 'M', BONUS_N, bonus_one, &pe);
}

