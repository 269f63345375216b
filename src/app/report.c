/*
 * report.c - analytics figures from the rollups (see report.h; the rollups are described in app_int.h).
 *
 * Every figure honours the filters; partner and tier filters need the
 * referrer's partner, which the 'D' and 'C' rollups carry in their key and
 * the 'R' rollup looks up once per referrer.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/report.h"
#include "app/app_int.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/date.h"
#include "domain/deal.h"

void
report_free(struct report *r)
{
	size_t i;

	for (i = 0; i < r->ntop; i++)
		money_sums_free(&r->top[i].value_by);
	free(r->top);
	free(r->series);
	money_sums_free(&r->converted_by);
	money_sums_free(&r->partner_referral_by);
	money_sums_free(&r->partner_deal_by);
	money_sums_free(&r->direct_deal_by);
	for (i = 0; i < 5; i++) {
		money_sums_free(&r->commission_by[i]);
		money_sums_free(&r->bonus_by[i]);
		money_sums_free(&r->override_by[i]);
	}
	memset(r, 0, sizeof *r);
}

char *
report_money_others(const struct money_sums *s, const char *skip, char *buf, size_t size)
{
	char m[MONEY_BUFSZ];
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < s->n && n + 1 < size; i++) {
		if (skip && strcmp(s->v[i].currency, skip) == 0)
			continue;
		n += (size_t)snprintf(buf + n, size - n, "%s%s %s", n ? "  " : "",
		    money_format_human(s->v[i].amount, currency_find(s->v[i].currency), m), s->v[i].currency);
	}
	return buf;
}

bool
report_accrued(const struct report *r, struct money_sums *out)
{
	static const int st[] = { COMMISSION_PENDING, COMMISSION_APPROVED, COMMISSION_PAID };
	bool ok = true;
	size_t i, j;

	money_sums_init(out);
	for (i = 0; i < 3; i++)
		for (j = 0; j < r->commission_by[st[i]].n; j++)
			ok &= money_sums_add_lines(out, r->commission_by[st[i]].v[j].currency,
			    r->commission_by[st[i]].v[j].amount, r->commission_by[st[i]].v[j].lines);
	return ok;
}

/* Program id -> currency: every money figure of a program is in its
 * currency. */
struct progs {
	uint64_t *id;
	char (*cur)[4];
	size_t n;
};

static void
progs_load(struct txn *t, struct progs *pm)
{
	struct iter *it = iter_kind(t, KIND_PROGRAM, false);
	struct program pg;
	uint64_t id;
	size_t cap = 0, cap2 = 0;

	memset(pm, 0, sizeof *pm);
	while (iter_next(it, &id)) {
		if (iter_rec(it, &pg) != ST_OK)
			continue;
		pm->id = xgrow(pm->id, &cap, pm->n + 1, sizeof *pm->id);
		pm->cur = xgrow(pm->cur, &cap2, pm->n + 1, sizeof *pm->cur);
		pm->id[pm->n] = pg.id;
		memcpy(pm->cur[pm->n], pg.currency, 4);
		pm->n++;
		rec_free(KIND_PROGRAM, &pg);
	}
	iter_close(it);
}

/* The currency of a program ("" when it is missing). */
static const char *
prog_currency(const struct progs *pm, uint64_t program)
{
	size_t lo = 0, hi = pm->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (pm->id[mid] < program)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < pm->n && pm->id[lo] == program ? pm->cur[lo] : "";
}

/* Partner id -> tier id, for the tier filter. */
struct tiers {
	uint64_t *partner, *tier;
	size_t n;
};

static void
tiers_load(struct txn *t, struct tiers *tm)
{
	struct iter *it = iter_kind(t, KIND_PARTNER, false);
	struct partner p;
	uint64_t id;
	size_t cap = 0, cap2 = 0;

	memset(tm, 0, sizeof *tm);
	while (iter_next(it, &id)) {
		if (iter_rec(it, &p) != ST_OK)
			continue;
		tm->partner = xgrow(tm->partner, &cap, tm->n + 1, sizeof *tm->partner);
		tm->tier = xgrow(tm->tier, &cap2, tm->n + 1, sizeof *tm->tier);
		tm->partner[tm->n] = p.id;
		tm->tier[tm->n] = p.tier;
		tm->n++;
		rec_free(KIND_PARTNER, &p);
	}
	iter_close(it);
}

static uint64_t
tier_of(const struct tiers *tm, uint64_t partner)
{
	size_t i;

	/* partners are few and loaded in id order */
	size_t lo = 0, hi = tm->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (tm->partner[mid] < partner)
			lo = mid + 1;
		else
			hi = mid;
	}
	i = lo;
	return i < tm->n && tm->partner[i] == partner ? tm->tier[i] : 0;
}

struct filt {
	uint64_t program, tier, partner;
	const struct tiers *tm;
	const struct progs *pm;
	const char *currency;   /* NULL = every currency */
};

static bool
keep(const struct filt *f, uint64_t program, uint64_t partner)
{
	if (f->program && program != f->program)
		return false;
	if (f->currency && program && strcmp(prog_currency(f->pm, program), f->currency) != 0)
		return false;
	if (f->partner && partner != f->partner)
		return false;
	if (f->tier && (partner == 0 || tier_of(f->tm, partner) != f->tier))
		return false;
	return true;
}

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
		if (en.who == 0 || !keep(flt, en.program, en.who))
			continue;
		rr = agg_get(&byp, en.who);
		rr->referrals += en.v[0];
		rr->conversions += en.v[1];
		if (en.v[2] && !money_sums_add(&rr->value_by, prog_currency(flt->pm, en.program), en.v[2]))
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
		if (!keep(&(struct filt){ flt->program, 0, 0, flt->tm, flt->pm, flt->currency }, en.program, 0))
			continue;
		x->referrals += en.v[0];
		x->conversions += en.v[1];
		if (en.v[2] && !money_sums_add(&x->value_by, prog_currency(flt->pm, en.program), en.v[2]))
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
		if (!keep(&(struct filt){ flt->program, 0, 0, flt->tm, flt->pm, flt->currency }, en.program, 0))
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
			if (!keep(&(struct filt){ flt->program, 0, 0, flt->tm, flt->pm, flt->currency },
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
static void
top_referrers(struct txn *t, const struct filt *flt, const struct report_filter *f, int32_t d0,
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

static enum status
rebuild_write(struct txn *t, void *ctx)
{
	(void)ctx;
	txn_set_action(t, "rollup rebuild", true);
	return rollup_rebuild(t);
}

/* The figures in the report's currency, once every sum is known to fit. */
static enum status
report_settle(struct report *r, struct err *e)
{
	const struct { const char *what; struct money_sums *s; int64_t *into; } sums[] = {
		{ "converted value", &r->converted_by, &r->converted_value },
		{ "partner referral value", &r->partner_referral_by, &r->partner_referral_value },
		{ "partner deal value", &r->partner_deal_by, &r->partner_deal_value },
		{ "direct deal value", &r->direct_deal_by, &r->direct_deal_value },
		{ "pending commission", &r->commission_by[0], &r->commission[0] },
		{ "approved commission", &r->commission_by[1], &r->commission[1] },
		{ "rejected commission", &r->commission_by[2], &r->commission[2] },
		{ "paid commission", &r->commission_by[3], &r->commission[3] },
		{ "reversed commission", &r->commission_by[4], &r->commission[4] },
		{ "pending bonuses", &r->bonus_by[0], &r->bonus[0] },
		{ "approved bonuses", &r->bonus_by[1], &r->bonus[1] },
		{ "rejected bonuses", &r->bonus_by[2], &r->bonus[2] },
		{ "paid bonuses", &r->bonus_by[3], &r->bonus[3] },
		{ "reversed bonuses", &r->bonus_by[4], &r->bonus[4] },
		{ "pending overrides", &r->override_by[0], &r->override[0] },
		{ "approved overrides", &r->override_by[1], &r->override[1] },
		{ "rejected overrides", &r->override_by[2], &r->override[2] },
		{ "paid overrides", &r->override_by[3], &r->override[3] },
		{ "reversed overrides", &r->override_by[4], &r->override[4] },
	};
	size_t i;

	for (i = 0; i < sizeof sums / sizeof sums[0]; i++) {
		if (sums[i].s->overflow[0])
			return err_set(e, ST_DATA, "amount: the %s in %s would exceed the largest amount "
			    "ally can hold", sums[i].what, sums[i].s->overflow);
		*sums[i].into = money_sums_get(sums[i].s, r->currency);
	}
	for (i = 0; i < 5; i++) {
		const struct money_by *b = money_sums_find(&r->commission_by[i], r->currency);
		r->commission_lines[i] = b ? b->lines : 0;
		b = money_sums_find(&r->bonus_by[i], r->currency);
		r->bonus_lines[i] = b ? b->lines : 0;
		r->bonuses |= r->bonus_by[i].n > 0;
		b = money_sums_find(&r->override_by[i], r->currency);
		r->override_lines[i] = b ? b->lines : 0;
		r->overrides |= r->override_by[i].n > 0;
	}
	return ST_OK;
}

static int
bucket_code(const char *b)
{
	return strcmp(b, "week") == 0 ? 1 : strcmp(b, "month") == 0 ? 2 : 0;
}

enum status
app_report(struct app *a, const struct report_filter *f, struct report *out, struct err *e)
{
	struct timespec t0, t1;
	struct txn *t;
	struct tiers tm;
	struct progs pm;
	struct filt flt;
	struct rollup_walk *w;
	struct rollup_entry en;
	struct iter *it;
	int64_t ts;
	int32_t d0, d1, first_day = INT32_MAX;
	size_t nb = 0, i;
	int bucket;
	uint64_t id;
	enum status st;

	memset(out, 0, sizeof *out);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((st = app_require(a, PERM_ANALYTICS, e)) != ST_OK)
		return st;
	memcpy(out->currency, a->cur->code, 4);
	if (f->currency) {
		const struct currency *c = currency_find(f->currency);
		if (c == NULL) {
			char *vis = str_visible_cut(f->currency, 16);
			err_set(e, ST_DATA, "currency: \"%s\" is not an ISO 4217 currency code", vis);
			free(vis);
			return ST_DATA;
		}
		memcpy(out->currency, c->code, 4);
	}
	d1 = date_daynum(clock_now());
	d0 = INT32_MIN / 2;
	if (f->to && (st = date_parse_day(f->to, &ts, "to", e)) != ST_OK)
		return st;
	if (f->to)
		d1 = date_daynum(ts);
	if (f->from && (st = date_parse_day(f->from, &ts, "from", e)) != ST_OK)
		return st;
	if (f->from)
		d0 = date_daynum(ts);
	if (d0 > d1)
		return err_set(e, ST_DATA, "from: %s is after %s", f->from, f->to ? "--to" : "today");
	if (f->bucket && strcmp(f->bucket, "day") && strcmp(f->bucket, "week") && strcmp(f->bucket, "month"))
		return err_set(e, ST_DATA, "by: \"%s\" must be day, week or month", f->bucket);

	t = txn_begin_read(a->store);
	if (!rollup_current(t)) {
		/* A database from before the rollups: build them once. */
		txn_end(t);
		if ((st = store_write(a->store, rebuild_write, NULL, e)) != ST_OK) {
			err_prefix(e, "analytics need a one-time rebuild of their counters");
			return st;
		}
		t = txn_begin_read(a->store);
	}
	memset(&flt, 0, sizeof flt);
	if ((f->program && (st = app_resolve(t, KIND_PROGRAM, f->program, &flt.program, e)) != ST_OK) ||
	    (f->tier && (st = app_resolve(t, KIND_TIER, f->tier, &flt.tier, e)) != ST_OK) ||
	    (f->partner && (st = app_resolve(t, KIND_PARTNER, f->partner, &flt.partner, e)) != ST_OK)) {
		txn_end(t);
		return st;
	}
	tiers_load(t, &tm);
	progs_load(t, &pm);
	flt.tm = &tm;
	flt.pm = &pm;
	flt.currency = f->currency ? out->currency : NULL;

	/* Referrals, conversions, value, partner referrals: 'D'. */
	w = rollup_walk_begin(t, ROLLUP_DAY, d0, d1);
	while (rollup_walk_next(w, &en)) {
		if (!keep(&flt, en.program, en.who))
			continue;
		out->total_referrals += en.v[0];
		out->conversions += en.v[1];
		if (en.v[2])
			money_sums_add(&out->converted_by, prog_currency(&pm, en.program), en.v[2]);
		if (en.who) {
			out->partner_referrals_converted += en.v[1];
			if (en.v[2])
				money_sums_add(&out->partner_referral_by, prog_currency(&pm, en.program), en.v[2]);
		}
		if (en.v[0] && en.day < first_day)
			first_day = en.day;
	}
	rollup_walk_end(w);
	out->conversion_rate = out->total_referrals ? (double)out->conversions / (double)out->total_referrals : 0;

	/* The series over the range (from the first day with data when the
	 * range is open). */
	{
		int32_t s0 = f->from ? d0 : (first_day == INT32_MAX ? d1 : first_day);
		int32_t span = d1 - s0 + 1, b;
		bucket = f->bucket ? bucket_code(f->bucket) : span <= 62 ? 0 : span <= 366 ? 1 : 2;
		out->bucket = bucket == 0 ? "day" : bucket == 1 ? "week" : "month";
		for (b = date_daynum_bucket(s0, bucket); b <= d1; b = date_daynum_next(b, bucket))
			nb++;
		out->series = xcalloc(nb + 1, sizeof *out->series);
		for (i = 0, b = date_daynum_bucket(s0, bucket); i < nb; i++, b = date_daynum_next(b, bucket))
			out->series[i].start = date_daynum_start(b);
		out->nseries = nb;
		/* second pass over 'D' for the buckets */
		w = rollup_walk_begin(t, ROLLUP_DAY, s0, d1);
		{
			int32_t bstart = date_daynum_bucket(s0, bucket), bnext = date_daynum_next(bstart, bucket);
			size_t bi = 0;
			while (rollup_walk_next(w, &en)) {
				if (!keep(&flt, en.program, en.who))
					continue;
				while (en.day >= bnext && bi + 1 < nb) {
					bstart = bnext;
					bnext = date_daynum_next(bstart, bucket);
					bi++;
				}
				out->series[bi].referrals += en.v[0];
				out->series[bi].conversions += en.v[1];
			}
		}
		rollup_walk_end(w);
	}

	/* Top referrers: see top_referrers. */
	if (f->top >= 0)
		top_referrers(t, &flt, f, d0, d1, out);

	/* Commission accrued: 'C'. */
	w = rollup_walk_begin(t, ROLLUP_COMMISSION, d0, d1);
	while (rollup_walk_next(w, &en)) {
		if (!keep(&flt, en.program, en.who) || (flt.currency && strcmp(en.currency, flt.currency) != 0))
			continue;
		if (en.status > 4)
			continue;
		money_sums_add_lines(en.bonus ? &out->bonus_by[en.status] : en.override ?
		    &out->override_by[en.status] : &out->commission_by[en.status], en.currency, en.v[0], en.v[1]);
	}
	rollup_walk_end(w);

	/* Won deals: few enough to read. */
	{
		int64_t from_t = f->from ? date_daynum_start(d0) : INT64_MIN, to_t = date_daynum_start(d1 + 1);
		it = iter_kind(t, KIND_DEAL, false);
		while (iter_next(it, &id)) {
			struct deal d;
			if (iter_rec(it, &d) != ST_OK)
				continue;
			if (d.stage == DEAL_WON && d.won_at >= from_t && d.won_at < to_t &&
			    (!flt.currency || strcmp(d.currency, flt.currency) == 0)) {
				if (d.direct) {
					if (!flt.partner && !flt.tier && !flt.program) {
						out->direct_deals_won++;
						money_sums_add(&out->direct_deal_by, d.currency, d.final_value);
					}
				} else if (!flt.program && keep(&flt, 0, d.partner)) {
					out->partner_deals_won++;
					money_sums_add(&out->partner_deal_by, d.currency, d.final_value);
				}
			}
			rec_free(KIND_DEAL, &d);
		}
		iter_close(it);
	}
	out->from = f->from ? date_daynum_start(d0) : (first_day == INT32_MAX ? 0 : date_daynum_start(first_day));
	out->to = date_daynum_start(d1 + 1);
	free(tm.partner);
	free(tm.tier);
	free(pm.id);
	free(pm.cur);
	st = util_txn_err(t, e);
	if (st == ST_OK)
		st = report_settle(out, e);
	txn_end(t);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	out->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (st != ST_OK)
		report_free(out);
	return st;
}
