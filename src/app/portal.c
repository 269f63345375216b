/*
 * portal.c - the partner portal's use cases (see portal.h).
 *
 * Scoping is done here, not in the UI: every list walks an index keyed by
 * the session's own partner (or its referrer) and checks each record's
 * owner again, so a guessed id or a crafted filter cannot reach another
 * partner's rows.  Getting in (logins, first logins, keys, the check at
 * every action) is portal_login.c's; SSH keys are keys.c's.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/outbox.h"
#include "app/portal.h"
#include "app/app_int.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/date.h"
#include "domain/code.h"
#include "domain/deal.h"
#include "domain/email.h"
#include "domain/referral.h"

enum status
app_portal_whoami(struct app *a, char *buf, size_t len, struct err *e)
{
	struct txn *t;
	struct partner p;
	enum status st;

	if ((st = app_portal_alive(a, e)) != ST_OK)
		return st;
	t = txn_begin_read(a->store);
	if ((st = rec_get(t, KIND_PARTNER, a->partner, &p)) == ST_OK) {
		snprintf(buf, len, "%s (P%llu)", p.name, (unsigned long long)p.id);
		rec_free(KIND_PARTNER, &p);
	} else
		util_txn_err(t, e);
	txn_end(t);
	return st;
}

/* ---- lists, all scoped to a->partner ---- */

/* The partner's referrer id (0: has none yet). */
static uint64_t
own_referrer(struct txn *t, uint64_t partner)
{
	struct key k;
	struct referrer r;
	uint64_t id;

	key_init(&k);
	key_u64(&k, partner);
	id = idx_find(t, IDX_REFERRER_PARTNER, &k);
	if (id == 0 || rec_get(t, KIND_REFERRER, id, &r) != ST_OK)
		return 0;
	if (r.kind != REFERRER_PARTNER || r.partner != partner)
		id = 0;
	rec_free(KIND_REFERRER, &r);
	return id;
}

static char *
program_name(struct txn *t, uint64_t id)
{
	struct program pg;
	char *s;

	if (rec_get(t, KIND_PROGRAM, id, &pg) != ST_OK)
		return xasprintf("PG%llu", (unsigned long long)id);
	s = xstrdup(pg.name);
	rec_free(KIND_PROGRAM, &pg);
	return s;
}

static void
cell_s(struct row *r, const char *name, const char *s)
{
	r->c[r->n++] = (struct cell){ .name = name, .type = CELL_STR, .s = s };
}

static void
cell_i(struct row *r, const char *name, enum cell_type type, int64_t v, const char *cur)
{
	r->c[r->n++] = (struct cell){ .name = name, .type = type, .i = v, .cur = cur };
}

static const char *
cell_id(struct row *r, enum kind k, uint64_t id)
{
	return app_id_str(k, id, r->buf[r->n]);
}

enum status
app_portal_links(struct app *a, row_fn fn, void *ctx, struct err *e)
{
	struct txn *t;
	struct key k;
	struct iter *it;
	uint64_t rid, id, *ids = NULL;
	size_t n = 0, cap = 0, i;
	enum status st;

	if ((st = app_portal_alive(a, e)) != ST_OK)
		return st;
	t = txn_begin_read(a->store);
	rid = own_referrer(t, a->partner);
	if (rid != 0) {
		key_init(&k);
		key_u64(&k, rid);
		it = iter_index(t, IDX_CODE_REFERRER, &k, false);
		while (iter_next(it, &id)) {
			ids = xgrow(ids, &cap, n + 1, sizeof *ids);
			ids[n++] = id;
		}
		iter_close(it);
	}
	for (i = 0; st == ST_OK && i < n; i++) {
		struct code c;
		struct program pg;
		struct sbuf link;
		struct row r;

		if (rec_get(t, KIND_CODE, ids[i], &c) != ST_OK)
			continue;
		if (c.referrer != rid) {
			rec_free(KIND_CODE, &c);
			continue;
		}
		sbuf_init(&link);
		memset(&r, 0, sizeof r);
		if (rec_get(t, KIND_PROGRAM, c.program, &pg) == ST_OK) {
			code_link(pg.landing, c.code, &link);
			cell_s(&r, "code", c.code);
			cell_s(&r, "program", pg.name);
			cell_s(&r, "link", sbuf_str(&link));
			cell_s(&r, "status", c.disabled ? "disabled" :
			    pg.status == PROGRAM_ACTIVE ? "active" : program_status_name(pg.status));
			st = fn(ctx, &r);
			rec_free(KIND_PROGRAM, &pg);
		}
		sbuf_free(&link);
		rec_free(KIND_CODE, &c);
	}
	free(ids);
	if (st == ST_OK)
		st = util_txn_err(t, e);
	txn_end(t);
	return st;
}

enum status
app_portal_referrals(struct app *a, row_fn fn, void *ctx, struct err *e)
{
	struct txn *t;
	struct key k;
	struct iter *it;
	uint64_t rid, id;
	enum status st;

	if ((st = app_portal_alive(a, e)) != ST_OK)
		return st;
	t = txn_begin_read(a->store);
	rid = own_referrer(t, a->partner);
	key_init(&k);
	key_u64(&k, rid ? rid : UINT64_MAX);
	it = iter_index(t, IDX_REFERRAL_REFERRER, &k, true);
	while (rid != 0 && st == ST_OK && iter_next(it, &id)) {
		struct referral rf;
		struct row r;
		char *pname;

		if (rec_get(t, KIND_REFERRAL, id, &rf) != ST_OK)
			continue;
		if (rf.referrer == rid) {
			memset(&r, 0, sizeof r);
			pname = program_name(t, rf.program);
			cell_s(&r, "id", cell_id(&r, KIND_REFERRAL, rf.id));
			cell_s(&r, "name", rf.name);
			cell_s(&r, "email", rf.email);
			cell_s(&r, "program", pname);
			{
				/* expired once the window has passed, as in every list */
				struct program pg;
				if (rec_get(t, KIND_PROGRAM, rf.program, &pg) == ST_OK) {
					rf.status = referral_effective_status(&rf, &pg, clock_now());
					rec_free(KIND_PROGRAM, &pg);
				}
			}
			cell_s(&r, "status", referral_status_name(rf.status));
			cell_i(&r, "at", CELL_TIME, rf.at, NULL);
			st = fn(ctx, &r);
			free(pname);
		}
		rec_free(KIND_REFERRAL, &rf);
	}
	iter_close(it);
	if (st == ST_OK)
		st = util_txn_err(t, e);
	txn_end(t);
	return st;
}

/* What a partner may read of a deal's reason: a rejection is written for
 * them; a conflict names another record, so it is replaced. */
static const char *
deal_reason(const struct deal *d)
{
	if (d->stage == DEAL_CONFLICT)
		return "conflicts with an existing registration or a deal of the company";
	return d->reason;
}

enum status
app_portal_deals(struct app *a, row_fn fn, void *ctx, struct err *e)
{
	struct txn *t;
	struct key k;
	struct iter *it;
	uint64_t id;
	enum status st;

	if ((st = app_portal_alive(a, e)) != ST_OK)
		return st;
	t = txn_begin_read(a->store);
	key_init(&k);
	key_u64(&k, a->partner);
	it = iter_index(t, IDX_DEAL_PARTNER, &k, true);
	while (st == ST_OK && iter_next(it, &id)) {
		struct deal d;
		struct row r;

		if (rec_get(t, KIND_DEAL, id, &d) != ST_OK)
			continue;
		if (!d.direct && d.partner == a->partner) {
			memset(&r, 0, sizeof r);
			cell_s(&r, "id", cell_id(&r, KIND_DEAL, d.id));
			cell_s(&r, "company", d.company);
			cell_s(&r, "domain", d.domain);
			cell_i(&r, "value", CELL_MONEY, d.stage == DEAL_WON ? d.final_value : d.value,
			    d.currency);
			cell_s(&r, "stage", deal_stage_name(d.stage));
			cell_i(&r, "exclusive_until", CELL_DATE, d.stage == DEAL_APPROVED ? d.exclusive_until : 0,
			    NULL);
			cell_i(&r, "registered", CELL_DATE, d.m.created, NULL);
			cell_s(&r, "reason", deal_reason(&d));
			st = fn(ctx, &r);
		}
		rec_free(KIND_DEAL, &d);
	}
	iter_close(it);
	if (st == ST_OK)
		st = util_txn_err(t, e);
	txn_end(t);
	return st;
}

static bool
own_line(const struct commission *c, uint64_t rid, uint64_t partner)
{
	return rid != 0 && c->referrer == rid && (c->partner == 0 || c->partner == partner);
}

enum status
app_portal_commissions(struct app *a, row_fn fn, void *ctx, struct err *e)
{
	struct txn *t;
	struct key k;
	struct iter *it;
	uint64_t rid, id;
	enum status st;

	if ((st = app_portal_alive(a, e)) != ST_OK)
		return st;
	t = txn_begin_read(a->store);
	rid = own_referrer(t, a->partner);
	key_init(&k);
	key_u64(&k, rid ? rid : UINT64_MAX);
	it = iter_index(t, IDX_COMMISSION_REFERRER, &k, true);
	while (rid != 0 && st == ST_OK && iter_next(it, &id)) {
		struct commission c;
		struct row r;
		char *pname, src[256] = "";

		if (rec_get(t, KIND_COMMISSION, id, &c) != ST_OK)
			continue;
		if (own_line(&c, rid, a->partner)) {
			memset(&r, 0, sizeof r);
			pname = program_name(t, c.program);
			if (c.deal)
				app_id_str(KIND_DEAL, c.deal, src);
			else if (c.kind == LINE_OVERRIDE)
				override_child_name(t, &c, src, sizeof src);
			else if (c.kind == LINE_BONUS)  /* the milestone, as ally wrote it */
				snprintf(src, sizeof src, "%s", c.rule && strncmp(c.rule, "bonus ", 6) == 0 ?
				    c.rule + 6 : "bonus");
			else if (c.conversion) {
				struct conversion cv;
				if (rec_get(t, KIND_CONVERSION, c.conversion, &cv) == ST_OK) {
					snprintf(src, sizeof src, "%s", cv.ext_id ? cv.ext_id : "");
					rec_free(KIND_CONVERSION, &cv);
				}
			}
			cell_s(&r, "id", cell_id(&r, KIND_COMMISSION, c.id));
			cell_i(&r, "earned", CELL_DATE, c.earned_at, NULL);
			cell_s(&r, "status", commission_status_name(c.status));
			cell_s(&r, "kind", commission_kind_name(c.kind, c.original));
			cell_s(&r, "program", c.deal ? "" : pname);
			cell_s(&r, "source", src);
			cell_i(&r, "amount", CELL_MONEY, c.amount, c.currency);
			cell_i(&r, "paid", CELL_DATE, c.status == COMMISSION_PAID ? c.paid_at : 0, NULL);
			st = fn(ctx, &r);
			free(pname);
		}
		rec_free(KIND_COMMISSION, &c);
	}
	iter_close(it);
	if (st == ST_OK)
		st = util_txn_err(t, e);
	txn_end(t);
	return st;
}

enum status
app_portal_months(struct app *a, row_fn fn, void *ctx, struct err *e)
{
	/* one entry per month and currency: amounts in different currencies
	 * are never added */
	struct month_acc { int64_t start, lines, earned; char cur[4]; } *m = NULL;
	size_t n = 0, cap = 0, i;
	struct txn *t;
	struct key k;
	struct iter *it;
	uint64_t rid, id;
	enum status st;

	if ((st = app_portal_alive(a, e)) != ST_OK)
		return st;
	t = txn_begin_read(a->store);
	rid = own_referrer(t, a->partner);
	key_init(&k);
	key_u64(&k, rid ? rid : UINT64_MAX);
	/* newest first: the index runs by earned time within the referrer */
	it = iter_index(t, IDX_COMMISSION_REFERRER, &k, true);
	while (rid != 0 && iter_next(it, &id)) {
		struct commission c;
		int64_t start;

		if (rec_get(t, KIND_COMMISSION, id, &c) != ST_OK)
			continue;
		if (own_line(&c, rid, a->partner)) {
			size_t j = n;
			start = date_period_start(PERIOD_MONTH, c.earned_at);
			while (j > 0 && m[j - 1].start == start && strcmp(m[j - 1].cur, c.currency) != 0)
				j--;
			if (j == 0 || m[j - 1].start != start) {
				m = xgrow(m, &cap, n + 1, sizeof *m);
				memset(&m[n], 0, sizeof *m);
				m[n].start = start;
				memcpy(m[n].cur, c.currency, 4);
				j = ++n;
			}
			m[j - 1].lines++;
			if (c.status != COMMISSION_REJECTED && c.status != COMMISSION_REVERSED &&
			    !money_add(m[j - 1].earned, c.amount, &m[j - 1].earned))
				st = err_set(e, ST_DATA, "earned: the month's total in %s would exceed the "
				    "largest amount ally can hold", m[j - 1].cur);
		}
		rec_free(KIND_COMMISSION, &c);
	}
	iter_close(it);
	if (st == ST_OK)
		st = util_txn_err(t, e);
	txn_end(t);
	for (i = 0; st == ST_OK && i < n; i++) {
		struct row r;
		char day[DATE_BUFSZ];

		memset(&r, 0, sizeof r);
		date_format_day(m[i].start, day);
		snprintf(r.buf[0], sizeof r.buf[0], "%.7s", day);
		cell_s(&r, "month", r.buf[0]);
		cell_i(&r, "lines", CELL_INT, m[i].lines, NULL);
		cell_i(&r, "earned", CELL_MONEY, m[i].earned, m[i].cur);
		st = fn(ctx, &r);
	}
	free(m);
	return st;
}

enum status
app_portal_statement(struct app *a, const char *month, bool csv, struct sbuf *out, struct err *e)
{
	enum status st;

	if ((st = app_portal_alive(a, e)) != ST_OK)
		return st;
	if (month == NULL || *month == '\0')
		return err_set(e, ST_USAGE, "month: missing (YYYY-MM)");
	return statement_build(a, a->partner, month, csv, out, e);
}

struct smail_ctx {
	struct app *a;
	const struct config *cfg;
	const struct tmpl *tp;
	const char *month;
	const char *text;
	char *to;
	uint64_t mail;
};

static enum status
smail_write(struct txn *t, void *vctx)
{
	struct smail_ctx *c = vctx;
	struct partner p;
	struct mail_vars mv;
	struct err e = { ST_OK, "" };

	if (rec_get(t, KIND_PARTNER, c->a->partner, &p) != ST_OK)
		return txn_status(t);
	c->to = xstrdup(p.payout_email != NULL && *p.payout_email ? p.payout_email : p.email);
	rec_free(KIND_PARTNER, &p);
	memset(&mv, 0, sizeof mv);
	mv.month = c->month;
	mv.statement = c->text;
	mv.to = c->to;
	return app_fail(t, outbox_queue(c->a, t, c->cfg, c->tp, c->a->partner, &mv, &c->mail, &e), &e);
}

enum status
app_portal_statement_mail(struct app *a, const struct config *cfg, const char *month,
    uint64_t *mail, char **to, struct err *e)
{
	struct smail_ctx c;
	struct tmpl *tp = NULL;
	struct sbuf text;
	enum status st;

	*mail = 0;
	*to = NULL;
	if ((st = app_portal_alive(a, e)) != ST_OK || (st = portal_mail_allowed(e)) != ST_OK)
		return st;
	sbuf_init(&text);
	if ((st = app_portal_statement(a, month, false, &text, e)) != ST_OK) {
		sbuf_free(&text);
		return st;
	}
	if ((st = tmpl_load(cfg, TMPL_STATEMENT, &tp, e)) != ST_OK) {
		sbuf_free(&text);
		return st;
	}
	memset(&c, 0, sizeof c);
	c.a = a;
	c.cfg = cfg;
	c.tp = tp;
	c.month = month;
	c.text = sbuf_str(&text);
	st = app_write(a, APP_ANYONE, "portal statement mail", smail_write, &c, e);
	tmpl_free(tp);
	sbuf_free(&text);
	if (st == ST_OK) {
		portal_mail_count();
		*mail = c.mail;
		*to = c.to;
	} else
		free(c.to);
	return st;
}

/* ---- deals ---- */

/* A conflict as a partner may read it: what and how long, never who. */
static void
conflict_note(const struct deal_conflict *c, char *note, size_t len)
{
	if (c->deal == 0)
		snprintf(note, len, "%s", "");
	else if (c->direct)
		snprintf(note, len, "already in the company's own pipeline (%s)", c->why);
	else if (c->days_left >= 0 && strcmp(c->stage, "approved") == 0)
		snprintf(note, len, "already registered, %d days of exclusivity left (%s)", c->days_left,
		    c->why);
	else
		snprintf(note, len, "already registered (%s, %s)", c->stage, c->why);
}

enum status
app_portal_deal_check(struct app *a, const char *domain, const char *company, char *note,
    size_t len, struct err *e)
{
	struct deal_conflict c;
	struct txn *t;
	char *dom = NULL, *key = NULL;
	enum status st;

	note[0] = '\0';
	if ((st = app_portal_alive(a, e)) != ST_OK)
		return st;
	if (domain && *domain && (st = deal_domain_normalise(domain, &dom, "domain", e)) != ST_OK)
		return st;
	if (company && *company)
		key = deal_company_key(company);
	if (dom == NULL && key == NULL)
		return ST_OK;
	memset(&c, 0, sizeof c);
	t = txn_begin_read(a->store);
	deal_find_conflict(t, dom, key, clock_now(), &c);
	st = util_txn_err(t, e);
	txn_end(t);
	free(dom);
	free(key);
	if (st == ST_OK)
		conflict_note(&c, note, len);
	return st;
}

struct preg_ctx {
	struct app *a;
	struct deal_input in;
	uint64_t id;
	struct deal_conflict conflict;
};

static enum status
preg_write(struct txn *t, void *vctx)
{
	struct preg_ctx *c = vctx;
	struct deal d;
	enum status st;
	struct err e = { ST_OK, "" };

	if ((st = app_deal_register_in(c->a, t, &c->in, &c->id, &c->conflict, &e)) != ST_OK)
		return app_fail(t, st, &e);
	/* the partner was named by id: make sure no partner called "P7"
	 * took it */
	if (rec_get(t, KIND_DEAL, c->id, &d) != ST_OK)
		return txn_status(t);
	st = d.partner == c->a->partner && !d.direct ? ST_OK :
	    txn_fail(t, ST_SOFTWARE, "deal registered for another partner");
	rec_free(KIND_DEAL, &d);
	return st == ST_OK ? ST_OK : txn_status(t);
}

enum status
app_portal_deal_register(struct app *a, const struct deal_input *in, uint64_t *id, char *note,
    size_t len, struct err *e)
{
	struct preg_ctx c;
	char pid[24];
	enum status st;

	*id = 0;
	note[0] = '\0';
	if ((st = app_portal_alive(a, e)) != ST_OK)
		return st;
	memset(&c, 0, sizeof c);
	c.a = a;
	c.in = *in;
	c.in.direct = false;
	c.in.partner = app_id_str(KIND_PARTNER, a->partner, pid);
	if ((st = app_write(a, APP_ANYONE, "portal deal register", preg_write, &c, e)) != ST_OK)
		return st;
	*id = c.id;
	conflict_note(&c.conflict, note, len);
	return ST_OK;
}

/* ---- admin ---- */

struct unlock_ctx {
	uint64_t partner;
	int n;
};

static enum status
unlock_write(struct txn *t, void *vctx)
{
	struct unlock_ctx *c = vctx;
	struct iter *it;
	struct user u;
	uint64_t id, *ids = NULL;
	size_t n = 0, cap = 0, i;

	it = iter_kind(t, KIND_USER, false);
	while (iter_next(it, &id)) {
		if (iter_rec(it, &u) != ST_OK)
			continue;
		if (u.role == ROLE_PARTNER && u.partner == c->partner &&
		    (u.failures != 0 || u.locked_at != 0)) {
			ids = xgrow(ids, &cap, n + 1, sizeof *ids);
			ids[n++] = id;
		}
		rec_free(KIND_USER, &u);
	}
	iter_close(it);
	for (i = 0; i < n; i++) {
		if (rec_get(t, KIND_USER, ids[i], &u) != ST_OK)
			continue;
		u.failures = 0;
		u.failed_at = 0;
		u.locked_at = 0;
		rec_put(t, KIND_USER, &u);
		rec_free(KIND_USER, &u);
		c->n++;
	}
	free(ids);
	return txn_status(t);
}

enum status
app_partner_unlock(struct app *a, const char *partner, int *n, struct err *e)
{
	struct unlock_ctx c;
	enum status st;

	*n = 0;
	if ((st = app_require(a, PERM_PARTNER_WRITE, e)) != ST_OK)
		return st;
	memset(&c, 0, sizeof c);
	if ((st = app_resolve_ref(a, KIND_PARTNER, partner, &c.partner, e)) != ST_OK)
		return st;
	if ((st = app_write(a, PERM_PARTNER_WRITE, "partner unlock", unlock_write, &c, e)) != ST_OK)
		return st;
	*n = c.n;
	return ST_OK;
}
