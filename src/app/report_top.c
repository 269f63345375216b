/*
 * report_top.c - the report's top referrers (report.c asks for them):
 * one way for each shape of question, so none reads every referrer when
 * it need not.  All time: the ranks ('T').  A tier or partner filter: the
 * 'D' entries, which carry the partner.  A bounded range: the ranks with
 * a threshold walk while they can prune, else a walk over the range's
 * referrer-day entries ('R') counted in a compact table.  The winners'
 * values then come from their own entries.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "app/report.h"
#include "app/app_int.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/date.h"

/*
 * Small open-addressing tables of referrer totals, keyed by the referrer
 * id each entry starts with: whole report rows (struct agg), or counts
 * alone (struct count_agg: a fifth of the size, for the walks over every
 * referrer of a range, so 100,000 referrers stay in cache).
 */
struct slots {
	unsigned char *v;
	size_t cap, n;
};

static uint64_t
slot_referrer(const unsigned char *e)
{
	uint64_t r;

	memcpy(&r, e, sizeof r);
	return r;
}

/* The entry of `referrer` (size bytes each), made zero on first use. */
static void *
slot_get(struct slots *a, size_t size, uint64_t referrer)
{
	size_t i;

	if (a->n * 2 >= a->cap) {
		struct slots b = { NULL, a->cap ? a->cap * 2 : 1024, 0 };
		b.v = xcalloc(b.cap, size);
		for (i = 0; i < a->cap; i++) {
			uint64_t r = slot_referrer(a->v + i * size);
			size_t j = (size_t)(r * 0x9e3779b97f4a7c15ULL) & (b.cap - 1);
			if (r == 0)
				continue;
			while (slot_referrer(b.v + j * size))
				j = (j + 1) & (b.cap - 1);
			memcpy(b.v + j * size, a->v + i * size, size);
			b.n++;
		}
		free(a->v);
		*a = b;
	}
	i = (size_t)(referrer * 0x9e3779b97f4a7c15ULL) & (a->cap - 1);
	while (slot_referrer(a->v + i * size) && slot_referrer(a->v + i * size) != referrer)
		i = (i + 1) & (a->cap - 1);
	if (slot_referrer(a->v + i * size) == 0) {
		memcpy(a->v + i * size, &referrer, sizeof referrer);
		a->n++;
	}
	return a->v + i * size;
}

struct agg {
	struct report_referrer *v;
	size_t cap, n;
};

static struct report_referrer *
agg_get(struct agg *a, uint64_t referrer)
{
	struct slots s = { (unsigned char *)a->v, a->cap, a->n };
	struct report_referrer *r = slot_get(&s, sizeof *a->v, referrer);

	a->v = (struct report_referrer *)(void *)s.v;
	a->cap = s.cap;
	a->n = s.n;
	return r;
}

struct count {
	uint64_t referrer;
	int64_t referrals, conversions;
	int64_t value;          /* entries with value, when there are no counts */
};
struct count_agg {
	struct count *v;
	size_t cap, n;
};

_Static_assert(offsetof(struct report_referrer, referrer) == 0, "slot_get keys on the first field");
_Static_assert(offsetof(struct count, referrer) == 0, "slot_get keys on the first field");

static struct count *
count_get(struct count_agg *a, uint64_t referrer)
{
	struct slots s = { (unsigned char *)a->v, a->cap, a->n };
	struct count *c = slot_get(&s, sizeof *a->v, referrer);

	a->v = (struct count *)(void *)s.v;
	a->cap = s.cap;
	a->n = s.n;
	return c;
}

static int
by_referrals(const void *x, const void *y)
{
	const struct report_referrer *a = x, *b = y;

	if (a->referrals != b->referrals)
		return a->referrals > b->referrals ? -1 : 1;
	if (a->conversions != b->conversions)
		return a->conversions > b->conversions ? -1 : 1;
	return a->referrer < b->referrer ? -1 : a->referrer > b->referrer;
}

/* A referrer's partner (0 for customers) and display name. */
static uint64_t
partner_of_referrer(struct txn *t, uint64_t referrer, char *name, size_t size)
{
	struct referrer r;
	uint64_t p = 0;

	if (rec_get(t, KIND_REFERRER, referrer, &r) == ST_OK) {
		p = r.kind == REFERRER_PARTNER ? r.partner : 0;
		snprintf(name, size, "%s", r.name ? r.name : r.email ? r.email : "");
		rec_free(KIND_REFERRER, &r);
	}
	return p;
}

/* The agg's referrers with something, best first, cut to want; the
 * winners' names and partners read from their records. */
static void
top_finish(struct txn *t, struct agg *agg, size_t want, bool have_partner, struct report *out)
{
	struct report_referrer *all = xcalloc(agg->n + 1, sizeof *all);
	size_t n = 0, i;

	for (i = 0; i < agg->cap; i++) {
		struct report_referrer *x = &agg->v[i];
		if (x->referrer == 0)
			continue;
		if (x->referrals == 0 && x->conversions == 0 && x->value_by.n == 0) {
			money_sums_free(&x->value_by);
			continue;
		}
		all[n++] = *x;
	}
	qsort(all, n, sizeof *all, by_referrals);
	out->ntop = n < want ? n : want;
	for (i = out->ntop; i < n; i++)
		money_sums_free(&all[i].value_by);
	for (i = 0; i < out->ntop; i++) {
		uint64_t p = partner_of_referrer(t, all[i].referrer, all[i].name, sizeof all[i].name);
		if (!have_partner)
			all[i].partner = p;
		all[i].value = money_sums_get(&all[i].value_by, out->currency);
	}
	out->top = all;
	free(agg->v);
}

/* With a tier or partner filter only partners' referrers qualify, one per
 * partner, and the 'D' entries carry the partner: sum them per partner. */
static void
top_by_partner(struct txn *t, const struct filt *flt, int32_t d0, int32_t d1, size_t want,
    struct report *out)
{
	struct agg byp = { NULL, 0, 0 }, agg = { NULL, 0, 0 };
	struct rollup_walk *w = rollup_walk_begin(t, ROLLUP_DAY, d0, d1);
	struct rollup_entry en;
	size_t i;

	while (rollup_walk_next(w, &en)) {
		struct report_referrer *rr;
		if (en.who == 0 || !report_keep(flt, en.program, en.who))
			continue;
		rr = agg_get(&byp, en.who);
		rr->referrals += en.v[0];
		rr->conversions += en.v[1];
		if (en.v[2] && !money_sums_add(&rr->value_by, report_prog_currency(flt->pm, en.program), en.v[2]))
			memcpy(out->converted_by.overflow, rr->value_by.overflow, 4);
	}
	rollup_walk_end(w);
	for (i = 0; i < byp.cap; i++) {
		struct report_referrer *x = &byp.v[i], *rr;
		struct key k;
		uint64_t rid;
		if (x->referrer == 0)
			continue;
		key_init(&k);
		key_u64(&k, x->referrer);
		if ((rid = idx_find(t, IDX_REFERRER_PARTNER, &k)) == 0) {
			money_sums_free(&x->value_by);
			continue;
		}
		rr = agg_get(&agg, rid);
		rr->referrals = x->referrals;
		rr->conversions = x->conversions;
		rr->value_by = x->value_by;
		rr->partner = x->referrer;
	}
	free(byp.v);
	top_finish(t, &agg, want, true, out);
}

/* All time in one program or all: the first entries of the rank, with
 * their converted value from the lifetime entries. */
static void
top_by_rank(struct txn *t, const struct filt *flt, size_t want, struct report *out)
{
	struct agg agg = { NULL, 0, 0 };
	struct rollup_rank *r = rollup_rank_begin(t, flt->program);
	uint64_t referrer;
	int64_t refs, conv;
	size_t n = 0, i;

	while (n < want && rollup_rank_next(r, &referrer, &refs, &conv)) {
		struct report_referrer *rr = agg_get(&agg, referrer);
		rr->referrals = refs;
		rr->conversions = conv;
		for (i = 0; i < flt->pm->n; i++) {
			uint64_t pg = flt->pm->id[i];
			int64_t v;
			if (flt->program && pg != flt->program)
				continue;
			if ((v = rollup_converted_value(t, pg, referrer)) != 0 &&
			    !money_sums_add(&rr->value_by, flt->pm->cur[i], v))
				memcpy(out->converted_by.overflow, rr->value_by.overflow, 4);
		}
		n++;
	}
	rollup_rank_end(r);
	top_finish(t, &agg, want, false, out);
}

/* Does x rank before y (by_referrals' order)? */
static bool
ranks_before(int64_t refs, int64_t conv, uint64_t id, const struct report_referrer *y)
{
	if (refs != y->referrals)
		return refs > y->referrals;
	if (conv != y->conversions)
		return conv > y->conversions;
	return id < y->referrer;
}

/* Keep x among the want best in best[0..*n), in order; x's value_by goes
 * with it, or is freed. */
static void
best_offer(struct report_referrer *best, size_t *n, size_t want, struct report_referrer *x)
{
	size_t i;

	if (*n == want && !ranks_before(x->referrals, x->conversions, x->referrer, &best[want - 1])) {
		money_sums_free(&x->value_by);
		return;
	}
	if (*n == want)
		money_sums_free(&best[--*n].value_by);
	for (i = *n; i > 0 && ranks_before(x->referrals, x->conversions, x->referrer, &best[i - 1]); i--)
		best[i] = best[i - 1];
	best[i] = *x;
	(*n)++;
}

/* x's referrals, conversions and value in [d0, d1] from its day entries,
 * on the walk *dw (made on first use). */
static void
range_sum(struct txn *t, const struct filt *flt, struct rollup_rank **dw, int32_t d0, int32_t d1,
    struct report_referrer *x, struct report *out)
{
	struct rollup_entry en;

	if (*dw == NULL)
		*dw = rollup_days_begin(t, x->referrer, d0, d1);
	else
		rollup_days_again(*dw, x->referrer, d0, d1);
	x->referrals = x->conversions = 0;
	while (rollup_days_next(*dw, &en)) {
		if (!report_keep(&(struct filt){ flt->program, 0, 0, flt->tm, flt->pm, flt->currency }, en.program, 0))
			continue;
		x->referrals += en.v[0];
		x->conversions += en.v[1];
		if (en.v[2] && !money_sums_add(&x->value_by, report_prog_currency(flt->pm, en.program), en.v[2]))
			memcpy(out->converted_by.overflow, x->value_by.overflow, 4);
	}
}

/* best[0..n) into the report: values in the report's currency, names and
 * partners from the records. */
static void
top_take(struct txn *t, struct report_referrer *best, size_t n, struct report *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		best[i].partner = partner_of_referrer(t, best[i].referrer, best[i].name, sizeof best[i].name);
		best[i].value = money_sums_get(&best[i].value_by, out->currency);
	}
	out->top = best;
	out->ntop = n;
}

/*
 * A bounded range by the threshold algorithm: referrers in the order of
 * their lifetime rank ('T'), each summed over the range from its own day
 * entries ('S'); a referrer's figures in a range never exceed its
 * lifetime ones, so once the next one's lifetime figures rank below the
 * want-th best so far, nobody later can enter.  false (nothing kept) when
 * that takes more than `budget` referrers: the day walk is cheaper then.
 */
static bool
top_by_threshold(struct txn *t, const struct filt *flt, int32_t d0, int32_t d1, size_t want,
    size_t budget, struct report *out)
{
	struct report_referrer *best = xcalloc(want + 1, sizeof *best);
	struct rollup_rank *r = rollup_rank_begin(t, flt->program), *dw = NULL;
	uint64_t referrer;
	int64_t refs, conv;
	size_t nbest = 0, seen = 0, i;
	bool ok = true;

	while (rollup_rank_next(r, &referrer, &refs, &conv)) {
		struct report_referrer x;
		if (nbest == want && !ranks_before(refs, conv, referrer, &best[want - 1]))
			break;
		if (++seen > budget) {
			ok = false;
			break;
		}
		memset(&x, 0, sizeof x);
		x.referrer = referrer;
		range_sum(t, flt, &dw, d0, d1, &x, out);
		if (x.referrals == 0 && x.conversions == 0 && x.value_by.n == 0)
			money_sums_free(&x.value_by);
		else
			best_offer(best, &nbest, want, &x);
	}
	rollup_rank_end(r);
	rollup_rank_end(dw);
	if (!ok) {
		for (i = 0; i < nbest; i++)
			money_sums_free(&best[i].value_by);
		free(best);
		return false;
	}
	top_take(t, best, nbest, out);
	return true;
}

/* Every referrer's entries of family fam in the range ('R' per day, or 'L'
 * over all time), counted without their values; the want best then get
 * their values from their own entries. */
static void
top_by_walk(struct txn *t, const struct filt *flt, enum rollup_family fam, int32_t d0, int32_t d1,
    size_t want, struct report *out)
{
	struct count_agg agg = { NULL, 0, 0 };
	struct report_referrer *best = xcalloc(want + 1, sizeof *best);
	struct rollup_walk *w = rollup_walk_begin(t, fam, d0, d1);
	struct rollup_rank *dw = NULL;
	struct rollup_entry en;
	size_t nbest = 0, i, j;

	while (rollup_walk_next(w, &en)) {
		struct count *rr;
		if (!report_keep(&(struct filt){ flt->program, 0, 0, flt->tm, flt->pm, flt->currency }, en.program, 0))
			continue;
		rr = count_get(&agg, en.who);
		rr->referrals += en.v[0];
		rr->conversions += en.v[1];
		/* a referrer with only value (no referral or conversion in the
		 * range) still counts: mark it */
		rr->value += en.v[2] != 0;
	}
	rollup_walk_end(w);
	for (i = 0; i < agg.cap; i++) {
		const struct count *c = &agg.v[i];
		struct report_referrer x;
		if (c->referrer == 0 || (c->referrals == 0 && c->conversions == 0 && c->value == 0))
			continue;
		if (nbest == want && !ranks_before(c->referrals, c->conversions, c->referrer, &best[want - 1]))
			continue;
		memset(&x, 0, sizeof x);
		x.referrer = c->referrer;
		x.referrals = c->referrals;
		x.conversions = c->conversions;
		best_offer(best, &nbest, want, &x);
	}
	free(agg.v);
	for (i = 0; i < nbest; i++) {
		if (fam == ROLLUP_REFERRER) {
			int64_t r0 = best[i].referrals, c0 = best[i].conversions;
			range_sum(t, flt, &dw, d0, d1, &best[i], out);
			best[i].referrals = r0;
			best[i].conversions = c0;
			continue;
		}
		for (j = 0; j < flt->pm->n; j++) {
			int64_t v;
			if (!report_keep(&(struct filt){ flt->program, 0, 0, flt->tm, flt->pm, flt->currency },
			    flt->pm->id[j], 0))
				continue;
			if ((v = rollup_converted_value(t, flt->pm->id[j], best[i].referrer)) != 0 &&
			    !money_sums_add(&best[i].value_by, flt->pm->cur[j], v))
				memcpy(out->converted_by.overflow, best[i].value_by.overflow, 4);
		}
	}
	rollup_rank_end(dw);
	top_take(t, best, nbest, out);
}

/*
 * Top referrers, by referrals, then conversions, then id.  A tier or
 * partner filter reads the 'D' entries (a partner has one referrer); all
 * time up to today reads the first entries of the rank ('T'), or with a
 * currency filter every lifetime entry; a bounded range takes the
 * threshold walk, or the referrers' day entries in it when that is
 * cheaper.
 */
void
report_top_referrers(struct txn *t, const struct filt *flt, const struct report_filter *f, int32_t d0,
    int32_t d1, struct report *out)
{
	size_t want = f->top > 0 ? (size_t)f->top : 10;
	/* the day walk reads about one entry per referral in the range; a
	 * referrer of the threshold walk costs a seek and its days, about a
	 * hundred entries of the day walk (measured on the demo) */
	size_t budget = (size_t)(out->total_referrals / 128) + want;
	bool all_time = f->from == NULL && d1 >= date_daynum(clock_now());

	if (flt->tier || flt->partner)
		top_by_partner(t, flt, d0, d1, want, out);
	else if (all_time && flt->currency == NULL)
		top_by_rank(t, flt, want, out);
	else if (all_time)
		top_by_walk(t, flt, ROLLUP_LIFETIME, d0, d1, want, out);
	else if (!top_by_threshold(t, flt, d0, d1, want, budget, out))
		top_by_walk(t, flt, ROLLUP_REFERRER, d0, d1, want, out);
}

