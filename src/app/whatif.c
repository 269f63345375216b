/*
 * whatif.c - what a rule change would have cost: app_whatif replays the
 * conversions of a program in a range under another rule (the program's,
 * or one tier's) and sums their commission lines per partner before and
 * after, writing nothing.
 *
 * It is exact by construction: the replay is the ledger's own
 * computation.  ledger_desired gives what ledger_reconcile would bring each
 * conversion's lines to under a rule (each tier period or capped month
 * computed once, caps, clauses and durations included), in a read
 * transaction: nothing is written, no writer waits.  A decided or closed
 * line's difference would become an adjustment, so a conversion's lines
 * would add up to that amount: the proposed total.
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
	uint64_t id, referrer, partner;
	int64_t at;
	bool own_rule;          /* the partner's tier has a rule of its own */
};

struct wctx {
	const struct whatif_input *in;
	struct whatif *out;
	uint32_t *slot;         /* partner -> row index + 1, open addressing */
	size_t nslot;
	struct wconv *cv;
	size_t ncv, capcv;
	uint64_t *ids;          /* the gathered conversions, sorted: the range */
	uint64_t partner;       /* of the period being replayed */
	enum status st;
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

static size_t
slot_of(const uint32_t *slot, size_t nslot, const struct whatif *w, uint64_t partner)
{
	size_t k = (size_t)((partner * 0x9e3779b97f4a7c15ull) >> 32) & (nslot - 1);

	while (slot[k] && w->rows[slot[k] - 1].partner != partner)
		k = (k + 1) & (nslot - 1);
	return k;
}

/* The partner's row, made on first use (a program may have thousands). */
static struct whatif_row *
row_of(struct wctx *c, uint64_t partner)
{
	struct whatif *w = c->out;
	size_t k, i;

	if (c->nslot == 0 || (w->n + 1) * 2 > c->nslot) {
		size_t n = c->nslot ? c->nslot * 2 : 64;
		free(c->slot);
		c->slot = xcalloc(n, sizeof *c->slot);
		c->nslot = n;
		for (i = 0; i < w->n; i++)
			c->slot[slot_of(c->slot, n, w, w->rows[i].partner)] = (uint32_t)i + 1;
	}
	k = slot_of(c->slot, c->nslot, w, partner);
	if (c->slot[k])
		return &w->rows[c->slot[k] - 1];
	w->rows = xrealloc(w->rows, (w->n + 1) * sizeof *w->rows);
	memset(&w->rows[w->n], 0, sizeof w->rows[w->n]);
	w->rows[w->n].partner = partner;
	c->slot[k] = (uint32_t)++w->n;
	return &w->rows[w->n - 1];
}

static bool
add_to(struct txn *t, int64_t *sum, int64_t v)
{
	if (money_add(*sum, v, sum))
		return true;
	txn_fail(t, ST_DATA, "amount: a partner's total would exceed the largest amount ally can hold");
	return false;
}

/* The conversions' lines now (commissions and their adjustments, neither
 * rejected nor reversed), summed per partner. */
static enum status
sum_lines(struct txn *t, struct wctx *c)
{
	size_t i;

	for (i = 0; i < c->ncv; i++) {
		struct whatif_row *r = row_of(c, c->cv[i].partner);
		struct key k;
		uint64_t id;
		key_init(&k);
		key_u64(&k, c->cv[i].id);
		STORE_FOREACH(it, id, iter_index(t, IDX_COMMISSION_CONVERSION, &k, false)) {
			struct commission l;
			if (rec_get(t, KIND_COMMISSION, id, &l) != ST_OK)
				continue;
			if (l.status != COMMISSION_REJECTED && l.status != COMMISSION_REVERSED)
				add_to(t, &r->current, l.amount);
			r->conversions += l.kind == LINE_COMMISSION;
			c->out->tier_kept += l.kind == LINE_COMMISSION && !c->in->tier && c->cv[i].own_rule;
			rec_free(KIND_COMMISSION, &l);
		}
	}
	return txn_status(t);
}

/* The referrer's partner, and whether its tier has a rule of its own. */
static void
partner_of(struct txn *t, uint64_t referrer, uint64_t *partner, uint64_t *tier, bool *own_rule)
{
	struct referrer rr;
	struct partner p;
	struct tier tr;

	*partner = *tier = 0;
	*own_rule = false;
	if (rec_get(t, KIND_REFERRER, referrer, &rr) != ST_OK)
		return;
	if (rr.kind == REFERRER_PARTNER && rec_get(t, KIND_PARTNER, rr.partner, &p) == ST_OK) {
		*partner = p.id;
		*tier = p.tier;
		if (p.tier && rec_get(t, KIND_TIER, p.tier, &tr) == ST_OK) {
			*own_rule = tr.rule != NULL;
			rec_free(KIND_TIER, &tr);
		}
		rec_free(KIND_PARTNER, &p);
	}
	rec_free(KIND_REFERRER, &rr);
}

/* The conversions of the program in [from, to), of the tier's partners
 * when a tier is given. */
static enum status
gather(struct txn *t, struct wctx *c, uint64_t program, uint64_t tier, int64_t from, int64_t to)
{
	struct key k;
	uint64_t id, last_referrer = 0, partner = 0, ptier = 0;
	bool own_rule = false;

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
		if (cv.program == program && cv.referrer != last_referrer) {
			last_referrer = cv.referrer;
			partner_of(t, cv.referrer, &partner, &ptier, &own_rule);
		}
		if (cv.program == program && (!tier || ptier == tier)) {
			c->cv = xgrow(c->cv, &c->capcv, c->ncv + 1, sizeof *c->cv);
			c->cv[c->ncv++] = (struct wconv){ cv.id, cv.referrer, partner, cv.at, own_rule };
		}
		rec_free(KIND_CONVERSION, &cv);
	}
	return txn_status(t);
}

static int
by_id(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

/* One conversion's amount under the rule: counted when it is in the range
 * (a tier period may reach past it). */
static void
proposed(void *vctx, uint64_t conversion, int64_t desired)
{
	struct wctx *c = vctx;
	struct whatif_row *r;

	if (bsearch(&conversion, c->ids, c->ncv, sizeof *c->ids, by_id) == NULL)
		return;
	r = row_of(c, c->partner);
	if (!money_add(r->proposed, desired, &r->proposed) && c->st == ST_OK)
		c->st = ST_DATA;
}

/* Every gathered conversion under the rule, a tier period or a capped
 * month once, from its first conversion in the range (the ledger takes
 * the whole period).  A partner whose tier has a rule of its own keeps it
 * unless the rule tried is that tier's. */
static enum status
replay(struct txn *t, struct wctx *c, const struct program *pg, struct err *e)
{
	uint64_t referrer = 0;
	int64_t through = INT64_MIN;
	size_t i;
	enum status st;

	c->ids = xmalloc((c->ncv ? c->ncv : 1) * sizeof *c->ids);
	for (i = 0; i < c->ncv; i++)
		c->ids[i] = c->cv[i].id;
	qsort(c->ids, c->ncv, sizeof *c->ids, by_id);
	qsort(c->cv, c->ncv, sizeof *c->cv, by_referrer_time);
	for (i = 0; i < c->ncv; i++) {
		const struct wconv *w = &c->cv[i];
		const char *text = c->in->tier || !w->own_rule ? c->in->rule : NULL;
		if (w->referrer == referrer && w->at < through)
			continue;       /* its period was computed whole */
		referrer = w->referrer;
		c->partner = w->partner;
		if ((st = ledger_desired(t, pg, w->referrer, w->id, w->at, text, proposed, c, &through,
		    e)) != ST_OK)
			return st;
		if (c->st != ST_OK)
			return err_set(e, ST_DATA, "amount: a partner's total would exceed the largest "
			    "amount ally can hold");
	}
	return txn_status(t);
}

static enum status
whatif_read(struct txn *t, struct wctx *c, struct err *e)
{
	const struct whatif_input *in = c->in;
	struct whatif *out = c->out;
	uint64_t program, tier = 0;
	int64_t from = INT64_MIN, to = 0;
	struct program pg;
	struct rule r;
	enum status st;
	size_t i;

	if ((st = app_resolve(t, KIND_PROGRAM, in->program, &program, e)) != ST_OK)
		return st;
	if (in->tier && *in->tier && (st = app_resolve(t, KIND_TIER, in->tier, &tier, e)) != ST_OK)
		return st;
	if (in->from && (st = date_parse_time(in->from, &from, "from", e)) != ST_OK)
		return st;
	if (in->to && (st = date_parse_time(in->to, &to, "to", e)) != ST_OK)
		return st;
	if (in->to && strlen(in->to) == 10)
		to = date_add_days(to, 1);     /* --to names a day: all of it */
	if (in->from && in->to && to <= from)
		return err_set(e, ST_USAGE, "to: %s is before --from %s", in->to, in->from);
	if ((st = rec_get(t, KIND_PROGRAM, program, &pg)) != ST_OK)
		return util_txn_err(t, e) != ST_OK ? txn_status(t) : err_set(e, st, "program missing");
	snprintf(out->currency, sizeof out->currency, "%s", pg.currency);
	if ((st = rule_parse(in->rule ? in->rule : "", currency_find(pg.currency), &r, e)) == ST_OK &&
	    (st = gather(t, c, program, tier, from, to)) == ST_OK &&
	    (st = sum_lines(t, c)) == ST_OK)
		st = replay(t, c, &pg, e);
	rec_free(KIND_PROGRAM, &pg);
	if (st == ST_OK && (st = util_txn_err(t, e)) == ST_OK) {
		for (i = 0; i < out->n && st == ST_OK; i++) {
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
				st = err_set(e, ST_DATA, "amount: the totals would exceed the largest amount "
				    "ally can hold");
			out->conversions += w->conversions;
		}
		if (st == ST_OK && !money_sub(out->proposed, out->current, &out->difference))
			st = err_set(e, ST_DATA, "amount: the difference would exceed the largest amount "
			    "ally can hold");
	}
	return st;
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
	struct wctx c = { in, out, NULL, 0, NULL, 0, 0, NULL, 0, ST_OK };
	struct txn *t;
	enum status st;

	memset(out, 0, sizeof *out);
	if ((st = app_require(a, PERM_PROGRAM_WRITE, e)) != ST_OK)
		return st;
	t = txn_begin_read(a->store);
	st = whatif_read(t, &c, e);
	txn_end(t);
	free(c.cv);
	free(c.ids);
	free(c.slot);
	if (st != ST_OK) {
		whatif_free(out);
		return st;
	}
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
