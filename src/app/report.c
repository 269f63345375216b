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
const char *
report_prog_currency(const struct progs *pm, uint64_t program)
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

uint64_t
report_tier_of(const struct tiers *tm, uint64_t partner)
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


bool
report_keep(const struct filt *f, uint64_t program, uint64_t partner)
{
	if (f->program && program != f->program)
		return false;
	if (f->currency && program && strcmp(report_prog_currency(f->pm, program), f->currency) != 0)
		return false;
	if (f->partner && partner != f->partner)
		return false;
	if (f->tier && (partner == 0 || report_tier_of(f->tm, partner) != f->tier))
		return false;
	return true;
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
		if (!report_keep(&flt, en.program, en.who))
			continue;
		out->total_referrals += en.v[0];
		out->conversions += en.v[1];
		if (en.v[2])
			money_sums_add(&out->converted_by, report_prog_currency(&pm, en.program), en.v[2]);
		if (en.who) {
			out->partner_referrals_converted += en.v[1];
			if (en.v[2])
				money_sums_add(&out->partner_referral_by, report_prog_currency(&pm, en.program), en.v[2]);
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
				if (!report_keep(&flt, en.program, en.who))
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
		report_top_referrers(t, &flt, f, d0, d1, out);

	/* Commission accrued: 'C'. */
	w = rollup_walk_begin(t, ROLLUP_COMMISSION, d0, d1);
	while (rollup_walk_next(w, &en)) {
		if (!report_keep(&flt, en.program, en.who) || (flt.currency && strcmp(en.currency, flt.currency) != 0))
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
				} else if (!flt.program && report_keep(&flt, 0, d.partner)) {
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
