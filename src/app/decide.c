/*
 * decide.c - reading and deciding commission lines: explain, approve,
 * reject.  Each decision is its own short write transaction that re-reads
 * the line, so of two admins approving the same line at once exactly one
 * approves it and the other is told it already was.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app/ledger.h"
#include "app/app_int.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/date.h"

enum status
app_commission_explain(struct app *a, const char *ref, struct sbuf *out, struct err *e)
{
	struct txn *t;
	struct commission c;
	const struct currency *cur;
	char b1[MONEY_BUFSZ], d1[DATE_BUFSZ], d2[DATE_BUFSZ];
	uint64_t id;
	enum status st;

	if ((st = app_require(a, PERM_COMMISSION_READ, e)) != ST_OK)
		return st;
	t = txn_begin_read(a->store);
	if ((st = app_resolve(t, KIND_COMMISSION, ref, &id, e)) != ST_OK ||
	    (st = rec_get(t, KIND_COMMISSION, id, &c)) != ST_OK) {
		txn_end(t);
		return st;
	}
	cur = currency_find(c.currency);
	{
		const char *kind = commission_kind_name(c.kind, c.original);
		sbuf_addf(out, "%c%s C%llu, %s, %s\n", kind[0] - 'a' + 'A', kind + 1,
		    (unsigned long long)c.id, commission_status_name(c.status), c.currency);
	}
	if (c.conversion == 0 && c.program && (c.kind == LINE_BONUS || c.kind == LINE_OVERRIDE)) {
		struct program pg;
		if (rec_get(t, KIND_PROGRAM, c.program, &pg) == ST_OK) {
			sbuf_addf(out, "program:    %s (PG%llu)\n", pg.name, (unsigned long long)pg.id);
			rec_free(KIND_PROGRAM, &pg);
		}
	}
	if (c.conversion) {
		struct conversion cv;
		if (rec_get(t, KIND_CONVERSION, c.conversion, &cv) == ST_OK) {
			struct program pg;
			sbuf_addf(out, "event:      %s %s of %s on %s (CV%llu)\n", cv.event, cv.ext_id,
			    money_format_human(cv.amount, cur, b1), date_format_minute(cv.at, d1),
			    (unsigned long long)cv.id);
			if (cv.refunded)
				sbuf_addf(out, "refunded:   %s, leaving %s\n", money_format_human(cv.refunded, cur, b1),
				    money_format_human(cv.amount - cv.refunded, cur, d2));
			if (rec_get(t, KIND_PROGRAM, cv.program, &pg) == ST_OK) {
				sbuf_addf(out, "program:    %s (PG%llu)\n", pg.name, (unsigned long long)pg.id);
				rec_free(KIND_PROGRAM, &pg);
			}
			rec_free(KIND_CONVERSION, &cv);
		}
	}
	if (c.partner) {
		struct partner p;
		if (rec_get(t, KIND_PARTNER, c.partner, &p) == ST_OK) {
			sbuf_addf(out, "partner:    %s (P%llu)\n", p.name, (unsigned long long)p.id);
			rec_free(KIND_PARTNER, &p);
		}
	} else {
		sbuf_addf(out, "referrer:   R%llu\n", (unsigned long long)c.referrer);
	}
	sbuf_addf(out, "rule:       %s\n", c.rule ? c.rule : "");
	if (c.period_start)
		sbuf_addf(out, "period:     from %s\n", date_format_day(c.period_start, d1));
	sbuf_addf(out, "hold until: %s\n", date_format_day(c.hold_until, d1));
	if (c.decided_by)
		sbuf_addf(out, "decided:    %s by %s%s%s\n", date_format_minute(c.decided_at, d1), c.decided_by,
		    c.reason ? ": " : "", c.reason ? c.reason : "");
	if (c.payout)
		sbuf_addf(out, "paid:       in batch PB%llu on %s\n", (unsigned long long)c.payout,
		    date_format_day(c.paid_at, d1));
	sbuf_add(out, "arithmetic:\n");
	{
		/* indent the stored steps */
		const char *p = c.explain ? c.explain : "";
		while (*p) {
			const char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p) : strlen(p);
			sbuf_add(out, "  ");
			sbuf_addn(out, p, len);
			sbuf_addc(out, '\n');
			p += len + (nl ? 1 : 0);
		}
	}
	sbuf_addf(out, "result:     %s\n", money_format_human(c.amount, cur, b1));
	rec_free(KIND_COMMISSION, &c);
	txn_end(t);
	return ST_OK;
}

struct decide_ctx {
	struct app *a;
	uint64_t id;
	int32_t to;
	const char *reason;
	struct decision *d;
	bool reconcile;         /* a rejection changes the tier basis */
	uint64_t referrer, program, conversion;
	int64_t at;
};

static enum status
decide_write(struct txn *t, void *vctx)
{
	struct decide_ctx *c = vctx;
	struct commission l;
	char day[DATE_BUFSZ];
	int64_t now = clock_now();
	enum status st;
	struct err e = { ST_OK, "" };

	txn_set_action(t, c->to == COMMISSION_APPROVED ? "commission approve" : "commission reject", false);
	c->d->outcome = DECIDE_REFUSED;
	c->d->message[0] = '\0';
	c->reconcile = false;
	if ((st = rec_get(t, KIND_COMMISSION, c->id, &l)) != ST_OK)
		return st == ST_NOTFOUND ? ST_OK : st;
	if (l.status == c->to) {
		c->d->outcome = DECIDED_ALREADY;
		snprintf(c->d->message, sizeof c->d->message, "already %s", commission_status_name(l.status));
	} else if (c->to == COMMISSION_REJECTED && (l.kind == LINE_ADJUSTMENT || l.original) &&
	    l.status == COMMISSION_APPROVED && l.amount < 0) {
		snprintf(c->d->message, sizeof c->d->message, "is a clawback: approved when it was made, it "
		    "nets against the next payout and cannot be rejected");
	} else if (l.status != COMMISSION_PENDING) {
		snprintf(c->d->message, sizeof c->d->message, "is %s: only pending lines can be %s",
		    commission_status_name(l.status), c->to == COMMISSION_APPROVED ? "approved" : "rejected");
	} else if (c->to == COMMISSION_APPROVED && l.hold_until > now && c->reason == NULL) {
		snprintf(c->d->message, sizeof c->d->message, "on hold until %s (give --override-hold REASON)",
		    date_format_day(l.hold_until, day));
	} else {
		l.status = c->to;
		l.decided_at = now;
		util_replace(&l.decided_by, xstrdup(c->a->login));
		if (c->to == COMMISSION_REJECTED || l.hold_until > now)
			util_replace(&l.reason, c->reason ? xstrdup(c->reason) : NULL);
		rec_put(t, KIND_COMMISSION, &l);
		c->d->outcome = DECIDED;
		snprintf(c->d->message, sizeof c->d->message, "%s", commission_status_name(c->to));
		if (c->to == COMMISSION_REJECTED && l.kind == LINE_COMMISSION && l.conversion) {
			c->reconcile = true;
			c->referrer = l.referrer;
			c->program = l.program;
			c->conversion = l.conversion;
			c->at = l.earned_at;
		}
	}
	rec_free(KIND_COMMISSION, &l);
	if (c->reconcile)
		return app_fail(t, ledger_reconcile(c->a, t, c->referrer, c->program, c->conversion, c->at, false, &e), &e);
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
		if ((st = util_text(reason, true, 500, &clean, to == COMMISSION_REJECTED ? "reason" :
		    "override-hold", e)) != ST_OK)
			return st;
		free(clean);
	}
	/* Resolve every id first: an unknown one changes nothing. */
	for (i = 0; i < n; i++) {
		memset(&res[i], 0, sizeof res[i]);
		if ((st = app_resolve_ref(a, KIND_COMMISSION, ids[i], &res[i].id, e)) != ST_OK) {
			memset(res, 0, n * sizeof *res);
			return st;
		}
	}
	for (i = 0; i < n; i++) {
		struct decide_ctx c = { a, res[i].id, to, reason, &res[i], false, 0, 0, 0, 0 };
		st = app_write(a, PERM_COMMISSION_WRITE, NULL, decide_write, &c, e);
		if (st != ST_OK)
			return st;
		if (res[i].outcome == DECIDE_REFUSED)
			worst = ST_DATA;
	}
	if (worst != ST_OK)
		err_set(e, worst, "%s", "some lines were not decided (see above)");
	return worst;
}

enum status
app_commission_approve(struct app *a, const char *const *ids, size_t n, const char *override_reason,
    struct decision *results, struct err *e)
{
	return decide(a, ids, n, COMMISSION_APPROVED, override_reason, results, e);
}

enum status
app_commission_reject(struct app *a, const char *const *ids, size_t n, const char *reason,
    struct decision *results, struct err *e)
{
	if (reason == NULL || *reason == '\0')
		return err_set(e, ST_USAGE, "reason: missing (--reason TEXT: the partner will see it)");
	return decide(a, ids, n, COMMISSION_REJECTED, reason, results, e);
}
