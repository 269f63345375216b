/*
 * bonus.c - milestone bonuses: one line when a referrer's bonus period
 * first reaches its threshold, kept right as the period changes.
 *
 * The same idea as the ledger's (ledger.c): what the period should pay is
 * a function of its conversions (the bonus amount when the included ones
 * reach the threshold, else nothing), and the period's bonus lines are
 * reconciled with it.  A rise makes a line; a drop reverses unpaid lines
 * in open months (newest first), and what is left, taken back from a paid
 * line or one frozen in a closed month, becomes an adjustment.  A bonus
 * an admin rejected stays rejected for its period.
 *
 * A conversion appended in time order costs O(1): the period's count and
 * revenue are kept ('M', rollup.c) and only a crossing of the threshold
 * walks the period (once, to name the conversion that reached it).
 * Refunds, rejections and conversions out of order walk it.  `ally check`
 * recomputes the kept totals and each period's lines (ledger_verify_bonuses).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app_int.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/date.h"
#include "domain/bonus.h"

/* What the bonus text is counted for: never 0. */
static int64_t
bonus_print(const char *text)
{
	uint64_t h = 1469598103934665603ULL;
	const char *p;

	for (p = text; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return (int64_t)((h >> 1) | 1);
}

/* A line that counts toward what the period pays. */
static bool
counts(const struct commission *c)
{
	return c->status != COMMISSION_REJECTED && c->status != COMMISSION_REVERSED;
}

/* The period a walk finds: its totals and the conversion that reached the
 * threshold first (in basis order). */
struct walk {
	const struct bonus *b;
	int64_t count, revenue;
	bool overflow, reached;
	uint64_t by;            /* the conversion that reached it */
	int64_t by_at, by_count, by_revenue;
	char by_ext[136];       /* its id as reported (at most 128 bytes) */
};

static bool
walk_one(void *ctx, const struct conversion *cv, bool included)
{
	struct walk *w = ctx;

	if (!included)
		return true;
	w->count++;
	if (!money_add(w->revenue, cv->amount - cv->refunded, &w->revenue)) {
		w->overflow = true;
		return false;
	}
	if (!w->reached && bonus_reached(w->b, w->count, w->revenue)) {
		w->reached = true;
		w->by = cv->id;
		w->by_at = cv->at;
		w->by_count = w->count;
		w->by_revenue = w->revenue;
		snprintf(w->by_ext, sizeof w->by_ext, "%s", cv->ext_id ? cv->ext_id : "");
	}
	return true;
}

/* "the month from 2026-11-01", "all time". */
static void
period_label(enum period p, int64_t start, struct sbuf *out)
{
	char d[DATE_BUFSZ];

	if (p == PERIOD_LIFETIME)
		sbuf_add(out, "all time");
	else
		sbuf_addf(out, "the %s from %s", period_name(p), date_format_day(start, d));
}

/* What the period is at, for people: "49 conversions", "9,800.00 revenue". */
static void
basis_label(const struct bonus *b, const struct currency *cur, int64_t count, int64_t revenue,
    struct sbuf *out)
{
	char m[MONEY_BUFSZ];

	if (b->basis == BONUS_COUNT)
		sbuf_addf(out, "%lld conversion%s", (long long)count, count == 1 ? "" : "s");
	else
		sbuf_addf(out, "%s revenue", money_format_human(revenue, cur, m));
}

/* The arithmetic of a bonus line that reached its threshold. */
static char *
reached_text(const struct bonus *b, const char *canon, const struct currency *cur, int64_t start,
    const struct walk *w, int64_t dated, int64_t current, int64_t diff, bool again)
{
	char d1[DATE_BUFSZ], d2[DATE_BUFSZ], m1[MONEY_BUFSZ], m2[MONEY_BUFSZ], m3[MONEY_BUFSZ], ym[8];
	struct sbuf x;

	sbuf_init(&x);
	if (dated != w->by_at) {
		date_format_day(w->by_at, d1);
		memcpy(ym, d1, 7);
		ym[7] = '\0';
		sbuf_addf(&x, "conversion of %s reported after %s was closed: dated %s, in the first open "
		    "month\n", d1, ym, date_format_day(dated, d2));
	}
	sbuf_addf(&x, "bonus %s\n", canon);
	sbuf_add(&x, "period: ");
	period_label(b->period, start, &x);
	sbuf_add(&x, "\n");
	if (again)
		sbuf_add(&x, "reached again after refunds had taken the period below the threshold\n");
	{
		/* the id as reported, made safe for a terminal */
		char *ext = str_visible_cut(w->by_ext, 40);
		sbuf_addf(&x, "conversion %s (CV%llu) of %s ", ext, (unsigned long long)w->by,
		    date_format_day(w->by_at, d1));
		free(ext);
	}
	if (b->basis == BONUS_COUNT)
		sbuf_addf(&x, "is the period's qualifying conversion %lld: the threshold is %lld\n",
		    (long long)w->by_count, (long long)b->threshold);
	else
		sbuf_addf(&x, "brings the period's revenue to %s: the threshold is %s\n",
		    money_format_human(w->by_revenue, cur, m1), money_format_human(b->threshold, cur, m2));
	if (current != 0)
		sbuf_addf(&x, "the period pays %s; its bonus lines so far total %s; difference %s\n",
		    money_format_human(b->amount, cur, m1), money_format_human(current, cur, m2),
		    money_format_human(diff, cur, m3));
	sbuf_addf(&x, "= %s\n", money_format_human(diff, cur, m1));
	return sbuf_take(&x);
}

/* Why the period pays nothing now. */
static char *
below_text(const struct bonus *b, const struct currency *cur, const struct walk *w, const char *what)
{
	struct sbuf x;

	sbuf_init(&x);
	sbuf_addf(&x, "%s: refunds or rejections took the period back to ", what);
	basis_label(b, cur, w->count, w->revenue, &x);
	sbuf_add(&x, ", below ");
	if (b->basis == BONUS_COUNT)
		sbuf_addf(&x, "%lld\n", (long long)b->threshold);
	else {
		char m[MONEY_BUFSZ];
		sbuf_addf(&x, "%s\n", money_format_human(b->threshold, cur, m));
	}
	return sbuf_take(&x);
}

struct bperiod {
	struct app *a;
	struct txn *t;
	const struct program *pg;
	const struct currency *cur;
	uint64_t referrer, partner;
	const struct bonus *b;
	const char *canon;      /* the bonus text as ally writes it */
	int64_t start;
	const struct walk *w;
};

static void
lines_load(struct txn *t, uint64_t referrer, uint64_t program, int64_t start, struct lines *l)
{
	struct key k;
	struct iter *it;
	uint64_t id;

	memset(l, 0, sizeof *l);
	key_init(&k);
	key_u64(&k, referrer);
	key_u64(&k, program);
	key_i64(&k, start);
	it = iter_index(t, IDX_COMMISSION_BONUS, &k, false);
	while (iter_next(it, &id)) {
		l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
		if (rec_get(t, KIND_COMMISSION, id, &l->v[l->n]) == ST_OK)
			l->n++;
	}
	iter_close(it);
}

/* A new line of the period: the bonus itself (original 0) or an
 * adjustment of it. */
static void
line_new(const struct bperiod *p, const struct commission *original, int64_t amount, int64_t dated,
    char *explain)
{
	struct commission c;
	int64_t now = clock_now();

	memset(&c, 0, sizeof c);
	c.kind = LINE_BONUS;
	c.status = COMMISSION_PENDING;
	c.program = p->pg->id;
	c.referrer = p->referrer;
	c.partner = p->partner;
	c.period_start = p->start;
	c.basis = p->w->reached ? p->w->by_revenue : p->w->revenue;
	c.amount = amount;
	memcpy(c.currency, p->pg->currency, 4);
	c.rule = xasprintf("bonus %s", p->canon);
	c.explain = explain;
	c.earned_at = dated;
	c.hold_until = p->w->reached ? date_add_days(p->w->by_at, p->pg->hold_days) : now;
	if (c.hold_until < dated && original)
		c.hold_until = dated;
	if (original) {
		c.original = original->id;
		if (amount < 0 && (original->status == COMMISSION_PAID || original->status == COMMISSION_APPROVED)) {
			/* taken back from money owed or paid: approved at once,
			 * netted in the next payout, never rejected */
			c.status = COMMISSION_APPROVED;
			c.decided_at = now;
			c.decided_by = xstrdup(p->a && p->a->login ? p->a->login : "ally");
			c.reason = xstrdup(original->status == COMMISSION_PAID ?
			    "bonus period fell below its threshold after the bonus was paid" :
			    "bonus period fell below its threshold after its month was closed");
			c.hold_until = now;
		}
	}
	rec_put(p->t, KIND_COMMISSION, &c);
	rec_free(KIND_COMMISSION, &c);
}

/* Take `take` (> 0) off line c, reversing it when nothing is left. */
static void
line_lower(const struct bperiod *p, struct commission *c, int64_t take)
{
	char m[MONEY_BUFSZ];
	char *why = below_text(p->b, p->cur, p->w, c->amount == take ? "reversed" : "lowered");
	char *x = xasprintf("%s%s(it was %s, unpaid)\n", c->explain ? c->explain : "", why,
	    money_format_human(c->amount, p->cur, m));

	free(why);
	c->amount -= take;
	if (c->amount == 0)
		c->status = COMMISSION_REVERSED;
	util_replace(&c->explain, x);
	rec_put(p->t, KIND_COMMISSION, c);
}

/* Can line c still be edited: unpaid, and its month open? */
static bool
editable(struct txn *t, const struct commission *c)
{
	return (c->status == COMMISSION_PENDING || c->status == COMMISSION_APPROVED) &&
	    !ledger_month_closed(t, c->earned_at);
}

static enum status
reconcile(const struct bperiod *p, struct err *e)
{
	struct lines l;
	struct commission *last_main = NULL;
	int64_t current = 0, desired = p->w->reached ? p->b->amount : 0, diff;
	enum status st = ST_OK;
	bool had = false;
	size_t i;

	lines_load(p->t, p->referrer, p->pg->id, p->start, &l);
	for (i = 0; i < l.n; i++) {
		struct commission *c = &l.v[i];
		if (c->original == 0) {
			if (c->status == COMMISSION_REJECTED)
				goto out;       /* decided: no bonus this period */
			last_main = c;
			had = true;
		}
		if (counts(c) && !money_add(current, c->amount, &current)) {
			st = err_set(e, ST_DATA, "amount: the bonus lines of one period would exceed the largest "
			    "amount ally can hold");
			goto out;
		}
	}
	if (!money_sub(desired, current, &diff)) {
		st = err_set(e, ST_DATA, "amount: the bonus adjustment would exceed the largest amount ally can hold");
		goto out;
	}
	/* a drop: unpaid lines of open months first, newest first */
	for (i = l.n; i-- > 0 && diff < 0;) {
		struct commission *c = &l.v[i];
		if (counts(c) && c->amount > 0 && editable(p->t, c)) {
			int64_t take = c->amount < -diff ? c->amount : -diff;
			line_lower(p, c, take);
			diff += take;
		}
	}
	/* a rise: a pending take-back of an open month is cancelled first */
	for (i = l.n; i-- > 0 && diff > 0;) {
		struct commission *c = &l.v[i];
		if (c->original && counts(c) && c->amount < 0 && c->status == COMMISSION_PENDING &&
		    !ledger_month_closed(p->t, c->earned_at)) {
			int64_t give = -c->amount < diff ? -c->amount : diff;
			c->amount += give;
			if (c->amount == 0)
				c->status = COMMISSION_REVERSED;
			util_replace(&c->explain, xasprintf("%sthe period reached its threshold again: %s\n",
			    c->explain ? c->explain : "", c->amount == 0 ? "cancelled" : "lowered"));
			rec_put(p->t, KIND_COMMISSION, c);
			diff -= give;
		}
	}
	if (diff > 0 && p->w->reached) {
		int64_t dated = ledger_line_date(p->t, p->w->by_at);
		line_new(p, NULL, diff, dated, reached_text(p->b, p->canon, p->cur, p->start, p->w, dated,
		    current, diff, had));
	} else if (diff != 0 && last_main) {
		/* taken back (or, when more was taken back than the bonus now
		 * pays, given back) by an adjustment of the newest bonus line */
		char m1[MONEY_BUFSZ], m2[MONEY_BUFSZ], m3[MONEY_BUFSZ];
		char *why = p->w->reached ? xasprintf("the period pays %s\n", money_format_human(desired, p->cur, m3)) :
		    below_text(p->b, p->cur, p->w, "adjustment");
		char *x = xasprintf("adjustment of bonus C%llu (%s): %sits lines so far total %s; difference %s\n",
		    (unsigned long long)last_main->id, commission_status_name(last_main->status), why,
		    money_format_human(current, p->cur, m1), money_format_human(diff, p->cur, m2));
		free(why);
		line_new(p, last_main, diff, ledger_line_date(p->t, clock_now()), x);
	}
out:
	util_lines_free(&l);
	return st;
}

enum status
ledger_bonus(struct app *a, struct txn *t, const struct program *pg, uint64_t referrer, uint64_t partner,
    const char *text, uint64_t conversion, int64_t at, bool appended, struct err *e)
{
	const struct currency *cur = currency_find(pg->currency);
	struct rollup_bonus m;
	struct bonus b;
	struct walk w;
	struct sbuf canon;
	int64_t start, end, print = bonus_print(text);
	enum status st;

	if ((st = bonus_parse(text, cur, &b, e)) != ST_OK) {
		err_prefix(e, "the bonus of %s", pg->name ? pg->name : "the program");
		return st;
	}
	start = date_period_start(b.period, at);
	end = date_period_next(b.period, at);
	if (appended && conversion) {
		struct conversion cv;
		int64_t v, rev;
		bool fast = false;
		if (rec_get(t, KIND_CONVERSION, conversion, &cv) != ST_OK)
			return util_txn_err(t, e);
		v = cv.amount - cv.refunded;
		if (!cv.qualifying || v <= 0) {
			/* out of every basis: the period is as it was */
			rec_free(KIND_CONVERSION, &cv);
			return ST_OK;
		}
		if (rollup_bonus_get(t, referrer, pg->id, start, &m) && m.bonus == print &&
		    !ledger_month_closed(t, cv.at) && money_add(m.revenue, v, &rev) &&
		    ledger_last_of_group(t, referrer, pg->id, conversion)) {
			bool was = bonus_reached(&b, m.count, m.revenue);
			m.count++;
			m.revenue = rev;
			fast = was || !bonus_reached(&b, m.count, m.revenue);
		}
		rec_free(KIND_CONVERSION, &cv);
		if (fast) {
			/* no crossing: the lines stay as they are */
			rollup_bonus_set(t, referrer, pg->id, start, &m);
			return ST_OK;
		}
	}
	memset(&w, 0, sizeof w);
	w.b = &b;
	ledger_period_walk(t, referrer, pg->id, start, end, walk_one, &w);
	if (w.overflow)
		return err_set(e, ST_DATA, "amount: the bonus period's revenue in %s would exceed the largest "
		    "amount ally can hold", pg->name ? pg->name : "the program");
	sbuf_init(&canon);
	bonus_format(&b, cur, &canon);
	{
		struct bperiod p = { a, t, pg, cur, referrer, partner, &b, sbuf_str(&canon), start, &w };
		st = reconcile(&p, e);
	}
	sbuf_free(&canon);
	if (st == ST_OK) {
		m = (struct rollup_bonus){ w.count, w.revenue, print };
		rollup_bonus_set(t, referrer, pg->id, start, &m);
	}
	return st != ST_OK ? st : util_txn_err(t, e);
}

char *
ledger_bonus_kept(struct txn *t, const struct program *pg, uint64_t referrer, int64_t at)
{
	struct key k;
	struct iter *it;
	uint64_t id;
	char *text = NULL;

	key_init(&k);
	key_u64(&k, referrer);
	key_u64(&k, pg->id);
	/* newest period first: the one containing `at` is at most a few back */
	it = iter_index(t, IDX_COMMISSION_BONUS, &k, true);
	while (text == NULL && iter_next(it, &id)) {
		struct commission c;
		struct bonus b;
		if (rec_get(t, KIND_COMMISSION, id, &c) != ST_OK)
			continue;
		if (c.period_start <= at) {
			if (c.rule && strncmp(c.rule, "bonus ", 6) == 0 &&
			    bonus_parse(c.rule + 6, currency_find(pg->currency), &b, NULL) == ST_OK &&
			    date_period_start(b.period, at) == c.period_start)
				text = xstrdup(c.rule + 6);
			rec_free(KIND_COMMISSION, &c);
			break;
		}
		rec_free(KIND_COMMISSION, &c);
	}
	iter_close(it);
	return text;
}

/* ---- `ally check`: kept bonus totals and lines against the conversions ---- */

struct verify {
	struct txn *t;
	void (*report)(void *ctx, const char *line);
	void *ctx;
	uint64_t problems;
};

static bool
verify_one(void *ctx, uint64_t referrer, uint64_t program, int64_t start, const struct rollup_bonus *kept)
{
	struct verify *v = ctx;
	struct program pg;
	struct bonus b;
	struct walk w;
	struct lines l;
	char *text, line[240], day[DATE_BUFSZ];
	int64_t lines = 0;
	bool rejected = false;
	size_t i;

	if (rec_get(v->t, KIND_PROGRAM, program, &pg) != ST_OK)
		return true;
	text = ledger_bonus_text(v->t, &pg, referrer);
	/* totals counted for another bonus are never used: a walk replaces them */
	if (text && kept->bonus == bonus_print(text) &&
	    bonus_parse(text, currency_find(pg.currency), &b, NULL) == ST_OK) {
		memset(&w, 0, sizeof w);
		w.b = &b;
		ledger_period_walk(v->t, referrer, program, start, date_period_next(b.period, start), walk_one, &w);
		date_format_day(start, day);
		if (w.count != kept->count || w.revenue != kept->revenue) {
			snprintf(line, sizeof line, "bonus totals of R%llu in P%llu from %s differ from its "
			    "conversions (%lld conversions, %lld kept)", (unsigned long long)referrer,
			    (unsigned long long)program, day, (long long)w.count, (long long)kept->count);
			v->report(v->ctx, line);
			v->problems++;
		}
		lines_load(v->t, referrer, program, start, &l);
		for (i = 0; i < l.n; i++) {
			rejected |= l.v[i].original == 0 && l.v[i].status == COMMISSION_REJECTED;
			if (counts(&l.v[i]) && !money_add(lines, l.v[i].amount, &lines))
				lines = INT64_MIN;
		}
		util_lines_free(&l);
		if (!rejected && lines != (w.reached ? b.amount : 0)) {
			snprintf(line, sizeof line, "bonus lines of R%llu in P%llu from %s total %lld, but the "
			    "period %s", (unsigned long long)referrer, (unsigned long long)program, day,
			    (long long)lines, w.reached ? "reached its bonus" : "is below its bonus");
			v->report(v->ctx, line);
			v->problems++;
		}
	}
	free(text);
	rec_free(KIND_PROGRAM, &pg);
	return true;
}

uint64_t
ledger_verify_bonuses(struct txn *t, void (*report)(void *ctx, const char *line), void *ctx)
{
	struct verify v = { t, report, ctx, 0 };

	rollup_bonus_each(t, verify_one, &v);
	return v.problems;
}
