/*
 * whatif.c - what a rule change would have cost: app_whatif replays the
 * conversions of a program in a range under another rule (the program's,
 * or one tier's) and sums their commission lines per partner before and
 * after, writing nothing.
 *
 * It is exact by construction: the replay is the ledger itself.  In one
 * write transaction it sets the rule, lets ledger_reconcile bring every
 * conversion of the range (each tier period or capped month once) to what
 * the new rule pays, exactly as if the events were recorded under it,
 * closed months, caps, clauses and adjustments of decided lines included,
 * reads the totals, and then aborts the transaction: nothing of it is ever
 * committed.  Holding the write lock meanwhile, it makes other writers
 * wait for as long as it takes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app/app_int.h"
#include "app/ledger.h"
#include "core/alloc.h"
#include "core/date.h"
#include "core/money.h"
#include "domain/rule.h"

struct wconv {
	uint64_t id, referrer;
	int64_t at;
};

struct wctx {
	struct app *a;
	const struct whatif_input *in;
	struct whatif *out;
	struct wconv *cv;
	size_t ncv, capcv;
	bool done;              /* computed: the abort that follows is the plan */
};

static int
by_referrer_time(const void *x, const void *y)
{
	const struct wconv *a = x, *b = y;

	if (a->referrer != b->referrer)
		return a->referrer < b->referrer ? -1 : 1;
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static struct whatif_row *
row_of(struct whatif *w, uint64_t partner)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (w->rows[i].partner == partner)
			return &w->rows[i];
	w->rows = xrealloc(w->rows, (w->n + 1) * sizeof *w->rows);
	memset(&w->rows[w->n], 0, sizeof w->rows[w->n]);
	w->rows[w->n].partner = partner;
	return &w->rows[w->n++];
}

/* The conversions' lines (commissions and their adjustments, neither
 * rejected nor reversed), summed per partner into current or proposed. */
static enum status
sum_lines(struct txn *t, struct wctx *c, bool after)
{
	size_t i;

	for (i = 0; i < c->ncv; i++) {
		struct key k;
		uint64_t id;
		key_init(&k);
		key_u64(&k, c->cv[i].id);
		STORE_FOREACH(it, id, iter_index(t, IDX_COMMISSION_CONVERSION, &k, false)) {
			struct commission l;
			struct whatif_row *r;
			int64_t *sum;
			if (rec_get(t, KIND_COMMISSION, id, &l) != ST_OK)
				continue;
			r = row_of(c->out, l.partner);
			sum = after ? &r->proposed : &r->current;
			if (l.status != COMMISSION_REJECTED && l.status != COMMISSION_REVERSED &&
			    !money_add(*sum, l.amount, sum))
				txn_fail(t, ST_DATA, "amount: a partner's total would exceed the largest amount "
				    "ally can hold");
			if (!after)
				r->conversions += l.kind == LINE_COMMISSION;
			rec_free(KIND_COMMISSION, &l);
		}
	}
	return txn_status(t);
}

/* The conversions of the program in [from, to), of the tier's partners
 * when a tier is given. */
static enum status
gather(struct txn *t, struct wctx *c, uint64_t program, uint64_t tier, int64_t from, int64_t to)
{
	struct key k;
	uint64_t id, last_referrer = 0;
	bool last_in = false;

	key_init(&k);
	key_i64(&k, from);
	STORE_FOREACH(it, id, iter_index_from(t, IDX_CONVERSION_TIME, NULL, &k)) {
		struct conversion cv;
		if (rec_get(t, KIND_CONVERSION, id, &cv) != ST_OK)
			continue;
		if (to && cv.at >= to) {
			rec_free(KIND_CONVERSION, &cv);
			break;
		}
		if (cv.program == program && tier && cv.referrer != last_referrer) {
			struct referrer rr;
			struct partner p;
			last_referrer = cv.referrer;
			last_in = false;
			if (rec_get(t, KIND_REFERRER, cv.referrer, &rr) == ST_OK) {
				if (rr.kind == REFERRER_PARTNER && rec_get(t, KIND_PARTNER, rr.partner, &p) == ST_OK) {
					last_in = p.tier == tier;
					rec_free(KIND_PARTNER, &p);
				}
				rec_free(KIND_REFERRER, &rr);
			}
		}
		if (cv.program == program && (!tier || last_in)) {
			c->cv = xgrow(c->cv, &c->capcv, c->ncv + 1, sizeof *c->cv);
			c->cv[c->ncv++] = (struct wconv){ cv.id, cv.referrer, cv.at };
		}
		rec_free(KIND_CONVERSION, &cv);
	}
	return txn_status(t);
}

/* Bring every gathered conversion to what the rule in force now pays:
 * a tier period or a capped month is recomputed once, from its first
 * conversion in the range (the ledger takes the whole period). */
static enum status
replay(struct txn *t, struct wctx *c, const struct program *pg, struct err *e)
{
	uint64_t referrer = 0;
	int64_t period = INT64_MIN;
	size_t i;
	enum status st;

	qsort(c->cv, c->ncv, sizeof *c->cv, by_referrer_time);
	for (i = 0; i < c->ncv; i++) {
		const struct wconv *w = &c->cv[i];
		struct rule r;
		char *text = NULL;
		uint64_t partner;
		int64_t start = INT64_MIN;
		if ((st = ledger_rule(t, pg, w->referrer, &r, &text, &partner, e)) != ST_OK)
			return st;
		free(text);
		if (r.kind == RULE_TIERED)
			start = date_period_start(r.period, w->at);
		else if (pg->cap > 0)
			start = date_period_start(PERIOD_MONTH, w->at);
		if (start != INT64_MIN && w->referrer == referrer && start == period)
			continue;       /* that period was recomputed whole */
		referrer = w->referrer;
		period = start;
		if ((st = ledger_reconcile(c->a, t, w->referrer, pg->id, w->id, w->at, false, e)) != ST_OK)
			return st;
	}
	return txn_status(t);
}

static enum status
whatif_write(struct txn *t, void *vctx)
{
	struct wctx *c = vctx;
	const struct whatif_input *in = c->in;
	struct whatif *out = c->out;
	uint64_t program, tier = 0;
	int64_t from = INT64_MIN, to = 0;
	struct program pg;
	struct rule r;
	struct err e;
	enum status st;
	size_t i;

	/* run again after the map grew: from nothing */
	whatif_free(out);
	c->ncv = 0;
	c->done = false;
	err_clear(&e);
	if ((st = app_resolve(t, KIND_PROGRAM, in->program, &program, &e)) != ST_OK)
		return app_fail(t, st, &e);
	if (in->tier && *in->tier && (st = app_resolve(t, KIND_TIER, in->tier, &tier, &e)) != ST_OK)
		return app_fail(t, st, &e);
	if (in->from && (st = date_parse_time(in->from, &from, "from", &e)) != ST_OK)
		return app_fail(t, st, &e);
	if (in->to && (st = date_parse_time(in->to, &to, "to", &e)) != ST_OK)
		return app_fail(t, st, &e);
	if (in->to && strlen(in->to) == 10)
		to = date_add_days(to, 1);     /* --to names a day: all of it */
	if (in->from && in->to && to <= from)
		return txn_fail(t, ST_USAGE, "to: %s is before --from %s", in->to, in->from);
	if (rec_get(t, KIND_PROGRAM, program, &pg) != ST_OK)
		return app_fail(t, ST_NOTFOUND, &e);
	snprintf(out->currency, sizeof out->currency, "%s", pg.currency);
	if ((st = rule_parse(in->rule ? in->rule : "", currency_find(pg.currency), &r, &e)) != ST_OK) {
		rec_free(KIND_PROGRAM, &pg);
		return app_fail(t, st, &e);
	}
	if ((st = gather(t, c, program, tier, from, to)) == ST_OK)
		st = sum_lines(t, c, false);
	/* the rule in force, as if it had been all along */
	if (st == ST_OK && tier) {
		struct tier tr;
		if (rec_get(t, KIND_TIER, tier, &tr) == ST_OK) {
			util_replace(&tr.rule, xstrdup(in->rule));
			rec_put(t, KIND_TIER, &tr);
			rec_free(KIND_TIER, &tr);
		}
	} else if (st == ST_OK) {
		util_replace(&pg.rule, xstrdup(in->rule));
		rec_put(t, KIND_PROGRAM, &pg);
	}
	if (st == ST_OK && (st = txn_status(t)) == ST_OK && (st = replay(t, c, &pg, &e)) != ST_OK)
		st = app_fail(t, st, &e);
	if (st == ST_OK)
		st = sum_lines(t, c, true);
	rec_free(KIND_PROGRAM, &pg);
	if (st != ST_OK)
		return st;
	for (i = 0; i < out->n; i++) {
		struct whatif_row *w = &out->rows[i];
		struct partner p;
		if (w->partner && rec_get(t, KIND_PARTNER, w->partner, &p) == ST_OK) {
			w->name = xstrdup(p.name);
			rec_free(KIND_PARTNER, &p);
		} else {
			w->name = xstrdup(w->partner ? "?" : "customers");
		}
		if (!money_sub(w->proposed, w->current, &w->difference) ||
		    !money_add(out->current, w->current, &out->current) ||
		    !money_add(out->proposed, w->proposed, &out->proposed))
			return txn_fail(t, ST_DATA, "amount: the totals would exceed the largest amount "
			    "ally can hold");
		out->conversions += w->conversions;
	}
	if (!money_sub(out->proposed, out->current, &out->difference))
		return txn_fail(t, ST_DATA, "amount: the difference would exceed the largest amount "
		    "ally can hold");
	c->done = true;
	/* the plan was never to keep it: abort */
	return txn_fail(t, ST_CONFLICT, "what-if rolled back");
}

static int
by_difference(const void *x, const void *y)
{
	const struct whatif_row *a = x, *b = y;
	int64_t da = a->difference < 0 ? -a->difference : a->difference;
	int64_t db = b->difference < 0 ? -b->difference : b->difference;

	if (da != db)
		return da > db ? -1 : 1;
	if (a->partner != b->partner)
		return a->partner == 0 ? 1 : b->partner == 0 ? -1 : a->partner < b->partner ? -1 : 1;
	return 0;
}

enum status
app_whatif(struct app *a, const struct whatif_input *in, struct whatif *out, struct err *e)
{
	struct wctx c = { a, in, out, NULL, 0, 0, false };
	enum status st;

	memset(out, 0, sizeof *out);
	st = app_write(a, PERM_PROGRAM_WRITE, NULL, whatif_write, &c, e);
	free(c.cv);
	if (!c.done) {
		whatif_free(out);
		return st;
	}
	err_clear(e);
	/* the rows that change most first, customers last among equals */
	qsort(out->rows, out->n, sizeof *out->rows, by_difference);
	return ST_OK;
}

void
whatif_free(struct whatif *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->rows[i].name);
	free(w->rows);
	memset(w, 0, sizeof *w);
}
