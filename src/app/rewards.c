/*
 * rewards.c - referee rewards: what a two-sided program ("give 10, get
 * 10") owes the referred contact (DESIGN.md section 3).
 *
 * One idea: a reward is kept right the way a flat or percent commission
 * line is, on its own conversion: reward_reconcile works out what the
 * conversion should give the contact now (its program's referee rule on
 * the conversion's value net of refunds; without a duration only the
 * referral's first qualifying conversion earns, with one each inside it)
 * and brings the lines to it.  An unissued reward in an open month is
 * edited (reversed at zero); an issued one, or one in a closed month, gets
 * an adjustment.  Rewards are never paid in cash: they are their own
 * records, so no payout, statement or commission figure can take them in.
 * Each decision is its own short write transaction that re-reads the
 * reward, as commission decisions are.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/ledger.h"
#include "app/app_int.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/date.h"
#include "domain/rule.h"

struct reward_lines {
	struct reward *v;
	size_t n;
};

static void
lines_load(struct txn *t, uint64_t conversion, struct reward_lines *l)
{
	size_t cap = 0;
	struct key k;
	struct iter *it;
	uint64_t id;

	memset(l, 0, sizeof *l);
	key_init(&k);
	key_u64(&k, conversion);
	it = iter_index(t, IDX_REWARD_CONVERSION, &k, false);
	while (iter_next(it, &id)) {
		l->v = xgrow(l->v, &cap, l->n + 1, sizeof *l->v);
		if (rec_get(t, KIND_REWARD, id, &l->v[l->n]) == ST_OK)
			l->n++;
	}
	iter_close(it);
}

static void
lines_free(struct reward_lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		rec_free(KIND_REWARD, &l->v[i]);
	free(l->v);
}

static bool
counts(const struct reward *w)
{
	return w->status != REWARD_REJECTED && w->status != REWARD_REVERSED;
}

/* What the conversion gives its contact now, with the arithmetic in x. */
static int64_t
desired(struct txn *t, const struct program *pg, const struct rule *r, const struct conversion *cv,
    struct sbuf *x)
{
	struct rule_facts f;
	__int128 micro;
	int64_t value = cv->amount - cv->refunded;

	if (!cv->qualifying) {
		sbuf_add(x, "not a qualifying conversion: no reward\n");
		return 0;
	}
	if (value <= 0) {
		sbuf_add(x, "refunded in full: no reward\n");
		return 0;
	}
	ledger_facts(t, pg, r, cv, &f);
	/* without a duration only the referral's first conversion earns */
	f.in_window = f.ordinal == 1;
	if (!rule_has_duration(r) && f.ordinal != 1)
		sbuf_addf(x, "conversion %lld of the referral: only the first earns a referee reward\n",
		    (long long)f.ordinal);
	return ledger_clause_line(r, &f, currency_find(pg->currency), value, x, &micro);
}

static void
new_line(struct txn *t, const struct program *pg, const struct conversion *cv, const struct referral *ref,
    const char *rule, int64_t amount, const char *explain, struct reward *w)
{
	memset(w, 0, sizeof *w);
	w->kind = LINE_COMMISSION;
	w->status = REWARD_PENDING;
	w->program = pg->id;
	w->referral = cv->referral;
	w->referrer = cv->referrer;
	w->conversion = cv->id;
	w->email = xstrdup(ref->email ? ref->email : "");
	w->basis = cv->amount - cv->refunded;
	w->amount = amount;
	memcpy(w->currency, pg->currency, 4);
	w->rule = xstrdup(rule);
	w->explain = xstrdup(explain);
	w->earned_at = ledger_line_date(t, cv->at);
	w->hold_until = date_add_days(cv->at, pg->hold_days);
}

/* Bring main's lines to `want` by editing main where it may be. */
static bool
edit_main(struct txn *t, struct reward *main, int64_t diff, int64_t basis, const char *explain)
{
	if (ledger_month_closed(t, main->earned_at) || main->amount + diff < 0 ||
	    (main->status != REWARD_PENDING && !(main->status == REWARD_APPROVED && diff < 0) &&
	     !(main->status == REWARD_REVERSED && diff > 0)))
		return false;
	main->amount += diff;
	main->basis = basis;
	main->status = main->amount == 0 ? REWARD_REVERSED : main->status == REWARD_REVERSED ?
	    REWARD_PENDING : main->status;
	util_replace(&main->explain, xstrdup(explain));
	rec_put(t, KIND_REWARD, main);
	return true;
}

enum status
reward_reconcile(struct txn *t, const struct program *pg, uint64_t conversion, struct err *e)
{
	struct conversion cv;
	struct referral ref;
	struct reward_lines l;
	struct reward *main = NULL, w;
	struct rule *r;
	struct sbuf x;
	const char *text;
	int64_t want, current = 0, diff;
	enum status st = ST_OK;
	size_t i;

	if (rec_get(t, KIND_CONVERSION, conversion, &cv) != ST_OK)
		return util_txn_err(t, e);
	lines_load(t, conversion, &l);
	for (i = 0; i < l.n; i++) {
		if (l.v[i].kind == LINE_COMMISSION)
			main = &l.v[i];
		if (counts(&l.v[i]) && !money_add(current, l.v[i].amount, &current)) {
			lines_free(&l);
			rec_free(KIND_CONVERSION, &cv);
			return err_set(e, ST_DATA, "amount: the referee rewards of %s do not add up in the "
			    "largest amount ally can hold (run ally check)", cv.ext_id);
		}
	}
	/* the rule it was made under, else the program's */
	text = main && main->rule ? main->rule : pg->referee_rule;
	if (text == NULL || (main && main->status == REWARD_REJECTED)) {
		lines_free(&l);
		rec_free(KIND_CONVERSION, &cv);
		return ST_OK;
	}
	r = xmalloc(sizeof *r);
	sbuf_init(&x);
	if ((st = rule_parse(text, currency_find(pg->currency), r, e)) != ST_OK) {
		err_prefix(e, "referee reward \"%s\"", text);
		goto out;
	}
	want = desired(t, pg, r, &cv, &x);
	if (!money_sub(want, current, &diff)) {
		st = err_set(e, ST_DATA, "amount: the referee reward of %s would exceed the largest amount "
		    "ally can hold", cv.ext_id);
		goto out;
	}
	if (main == NULL) {
		if (want > 0 && rec_get(t, KIND_REFERRAL, cv.referral, &ref) == ST_OK) {
			new_line(t, pg, &cv, &ref, text, want, sbuf_str(&x), &w);
			rec_put(t, KIND_REWARD, &w);
			rec_free(KIND_REWARD, &w);
			rec_free(KIND_REFERRAL, &ref);
		}
		goto out;
	}
	if (diff == 0 || edit_main(t, main, diff, cv.amount - cv.refunded, sbuf_str(&x)))
		goto out;
	/* issued, or in a closed month: an adjustment says the difference */
	if (rec_get(t, KIND_REFERRAL, cv.referral, &ref) != ST_OK)
		goto out;
	new_line(t, pg, &cv, &ref, text, diff, sbuf_str(&x), &w);
	rec_free(KIND_REFERRAL, &ref);
	w.kind = LINE_ADJUSTMENT;
	w.original = main->id;
	w.earned_at = ledger_line_date(t, clock_now());
	w.hold_until = w.earned_at;
	if (diff < 0 && (main->status == REWARD_ISSUED || main->status == REWARD_APPROVED)) {
		/* taken back from what was (or will be) credited: nobody approves it */
		w.status = REWARD_APPROVED;
		w.decided_at = clock_now();
		w.decided_by = xstrdup("ally");
		w.reason = xstrdup(main->status == REWARD_ISSUED ? "refund of issued reward" :
		    "refund of approved reward in a closed month");
	}
	rec_put(t, KIND_REWARD, &w);
	rec_free(KIND_REWARD, &w);
out:
	sbuf_free(&x);
	free(r);
	lines_free(&l);
	rec_free(KIND_CONVERSION, &cv);
	return st != ST_OK ? st : util_txn_err(t, e);
}

/* ---- decisions: approve, mark issued ---- */

struct reward_ctx {
	struct app *a;
	uint64_t id;
	int32_t to;
	const char *reason;
	struct decision *d;
};

static enum status
decide_write(struct txn *t, void *vctx)
{
	struct reward_ctx *c = vctx;
	struct reward w;
	char day[DATE_BUFSZ];
	int32_t from = c->to == REWARD_ISSUED ? REWARD_APPROVED : REWARD_PENDING;
	static const char *const verb[] = { [REWARD_APPROVED] = "approved", [REWARD_REJECTED] = "rejected",
		[REWARD_ISSUED] = "marked issued" };
	int64_t now = clock_now();
	enum status st;

	txn_set_action(t, c->to == REWARD_APPROVED ? "reward approve" : c->to == REWARD_REJECTED ?
	    "reward reject" : "reward mark-issued", false);
	c->d->outcome = DECIDE_REFUSED;
	c->d->message[0] = '\0';
	if ((st = rec_get(t, KIND_REWARD, c->id, &w)) != ST_OK)
		return st == ST_NOTFOUND ? ST_OK : st;
	if (w.status == c->to) {
		c->d->outcome = DECIDED_ALREADY;
		snprintf(c->d->message, sizeof c->d->message, "already %s", reward_status_name(w.status));
	} else if (w.status != from) {
		snprintf(c->d->message, sizeof c->d->message, "is %s: only %s rewards can be %s",
		    reward_status_name(w.status), reward_status_name(from), verb[c->to]);
	} else if (c->to == REWARD_APPROVED && w.hold_until > now && c->reason == NULL) {
		snprintf(c->d->message, sizeof c->d->message, "on hold until %s (give --override-hold REASON)",
		    date_format_day(w.hold_until, day));
	} else {
		w.status = c->to;
		if (c->to != REWARD_ISSUED) {
			w.decided_at = now;
			util_replace(&w.decided_by, xstrdup(c->a->login));
			if (c->to == REWARD_REJECTED || w.hold_until > now)
				util_replace(&w.reason, c->reason ? xstrdup(c->reason) : NULL);
		} else {
			w.issued_at = now;
		}
		rec_put(t, KIND_REWARD, &w);
		c->d->outcome = DECIDED;
		snprintf(c->d->message, sizeof c->d->message, "%s", reward_status_name(c->to));
	}
	rec_free(KIND_REWARD, &w);
	return txn_status(t);
}

static enum status
decide(struct app *a, const char *const *ids, size_t n, int32_t to, const char *reason,
    struct decision *res, struct err *e)
{
	enum status st, worst = ST_OK;
	size_t i;

	if ((st = app_require(a, PERM_COMMISSION_WRITE, e)) != ST_OK)
		return st;
	if (reason) {
		char *clean;
		if ((st = util_text(reason, true, 500, &clean, to == REWARD_REJECTED ? "reason" : "override-hold",
		    e)) != ST_OK)
			return st;
		free(clean);
	}
	/* Resolve every id first: an unknown one changes nothing. */
	for (i = 0; i < n; i++) {
		memset(&res[i], 0, sizeof res[i]);
		if ((st = app_resolve_ref(a, KIND_REWARD, ids[i], &res[i].id, e)) != ST_OK) {
			memset(res, 0, n * sizeof *res);
			return st;
		}
	}
	for (i = 0; i < n; i++) {
		struct reward_ctx c = { a, res[i].id, to, reason, &res[i] };
		if ((st = app_write(a, PERM_COMMISSION_WRITE, NULL, decide_write, &c, e)) != ST_OK)
			return st;
		if (res[i].outcome == DECIDE_REFUSED)
			worst = ST_DATA;
	}
	if (worst != ST_OK)
		err_set(e, worst, "%s", "some rewards were not changed (see above)");
	return worst;
}

enum status
app_reward_approve(struct app *a, const char *const *ids, size_t n, const char *override_reason,
    struct decision *results, struct err *e)
{
	return decide(a, ids, n, REWARD_APPROVED, override_reason, results, e);
}

enum status
app_reward_reject(struct app *a, const char *const *ids, size_t n, const char *reason,
    struct decision *results, struct err *e)
{
	if (reason == NULL || *reason == '\0')
		return err_set(e, ST_USAGE, "reason: missing (--reason TEXT)");
	return decide(a, ids, n, REWARD_REJECTED, reason, results, e);
}

enum status
app_reward_mark_issued(struct app *a, const char *const *ids, size_t n, struct decision *results,
    struct err *e)
{
	return decide(a, ids, n, REWARD_ISSUED, NULL, results, e);
}

enum status
app_reward_explain(struct app *a, const char *ref, struct sbuf *out, struct err *e)
{
	struct txn *t;
	struct reward w;
	char b1[MONEY_BUFSZ], d1[DATE_BUFSZ];
	uint64_t id;
	enum status st;

	if ((st = app_require(a, PERM_COMMISSION_READ, e)) != ST_OK)
		return st;
	t = txn_begin_read(a->store);
	if ((st = app_resolve(t, KIND_REWARD, ref, &id, e)) != ST_OK ||
	    (st = rec_get(t, KIND_REWARD, id, &w)) != ST_OK) {
		txn_end(t);
		return st;
	}
	sbuf_addf(out, "%s RW%llu, %s, %s\n", w.kind == LINE_ADJUSTMENT ? "Adjustment of a referee reward" :
	    "Referee reward", (unsigned long long)w.id, reward_status_name(w.status), w.currency);
	sbuf_addf(out, "owed to:    %s (RF%llu, referred by R%llu)\n", w.email ? w.email : "",
	    (unsigned long long)w.referral, (unsigned long long)w.referrer);
	if (w.original)
		sbuf_addf(out, "adjusts:    RW%llu\n", (unsigned long long)w.original);
	sbuf_addf(out, "rule:       %s\n", w.rule ? w.rule : "");
	sbuf_addf(out, "earned:     %s\n", date_format_day(w.earned_at, d1));
	sbuf_addf(out, "hold until: %s\n", date_format_day(w.hold_until, d1));
	sbuf_addf(out, "arithmetic:\n");
	{
		const char *p = w.explain ? w.explain : "";
		while (*p) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			sbuf_add(out, "  ");
			sbuf_addn(out, p, n);
			sbuf_addc(out, '\n');
			p += n + (nl != NULL);
		}
	}
	sbuf_addf(out, "result:     %s\n", money_format_human(w.amount, currency_find(w.currency), b1));
	rec_free(KIND_REWARD, &w);
	st = util_txn_err(t, e);
	txn_end(t);
	return st;
}
