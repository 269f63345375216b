/*
 * io.c - records as rows: the one description of each kind's columns that
 * lists, show and export share (CLI tables, CSV, JSON; the TUI's tables).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app/payee.h"
#include "app/io.h"
#include "app/app_int.h"
#include "core/clock.h"
#include "core/date.h"
#include "domain/code.h"
#include "domain/deal.h"
#include "domain/referral.h"

struct row_ctx {
	struct app *a;
	struct txn *t;
};

static void
add_str(struct row *r, const char *name, const char *s)
{
	struct cell *c = &r->c[r->n++];

	c->name = name;
	c->type = CELL_STR;
	c->s = s;
}

static void
add_int(struct row *r, const char *name, enum cell_type type, int64_t v)
{
	struct cell *c = &r->c[r->n++];

	c->name = name;
	c->type = type;
	c->i = v;
}

static void
add_money(struct row *r, const char *name, int64_t v, const char *cur)
{
	struct cell *c = &r->c[r->n++];

	c->name = name;
	c->type = CELL_MONEY;
	c->i = v;
	c->cur = cur;
}

/* An id cell ("PG3"); 0 gives an empty cell. */
static void
add_id(struct row *r, const char *name, enum kind k, uint64_t id)
{
	size_t slot = r->n;

	if (id == 0) {
		add_str(r, name, NULL);
		return;
	}
	app_id_str(k, id, r->buf[slot]);
	add_str(r, name, r->buf[slot]);
}

/* The display name of a referenced record, into the row's buffer space
 * only when short; else the id. */
static void
add_ref_name(struct row *r, struct txn *t, const char *name, enum kind k, uint64_t id,
    char **hold)
{
	_Alignas(max_align_t) unsigned char rec[512];

	*hold = NULL;
	if (id && rec_get(t, k, id, rec) == ST_OK) {
		const char *s = NULL;
		if (k == KIND_PROGRAM)
			s = ((struct program *)rec)->name;
		else if (k == KIND_TIER)
			s = ((struct tier *)rec)->name;
		else if (k == KIND_PARTNER)
			s = ((struct partner *)rec)->name;
		else if (k == KIND_CODE)
			s = ((struct code *)rec)->code;
		else if (k == KIND_CONVERSION)
			s = ((struct conversion *)rec)->ext_id;
		if (s)
			*hold = strdup(s);
		rec_free(k, rec);
	}
	if (*hold)
		add_str(r, name, *hold);
	else
		add_id(r, name, k, id);
}

static const char *
eligible_name(int32_t e)
{
	switch (e) {
	case ELIG_CUSTOMERS: return "customers";
	case ELIG_PARTNERS:  return "partners";
	default:             return "both";
	}
}

/* Build the row of one record and hand it to fn. */
static enum status
emit(struct row_ctx *c, enum kind k, const void *rec, row_fn fn, void *ctx)
{
	struct row r;
	char *h1 = NULL, *h2 = NULL, *h3 = NULL, *link = NULL;
	enum status st;

	memset(&r, 0, sizeof r);
	switch (k) {
	case KIND_PROGRAM: {
		const struct program *p = rec;
		add_id(&r, "id", k, p->id);
		add_str(&r, "name", p->name);
		add_str(&r, "status", program_status_name(p->status));
		add_str(&r, "rule", p->rule);
		add_int(&r, "start", CELL_DATE, p->start);
		/* the end is stored as the instant after the last day */
		add_int(&r, "end", CELL_DATE, p->end ? date_add_days(p->end, -1) : 0);
		add_int(&r, "window_days", CELL_INT, p->window_days);
		add_int(&r, "hold_days", CELL_INT, p->hold_days);
		add_str(&r, "events", p->events);
		add_str(&r, "attribution", p->attribution == ATTR_LAST ? "last" : "first");
		add_str(&r, "eligible", eligible_name(p->eligible));
		add_str(&r, "tiers", p->tiers);
		add_int(&r, "max_referrals", CELL_INT, p->max_refs);
		add_str(&r, "max_period", p->max_refs ? period_name((enum period)p->max_period) : NULL);
		add_money(&r, "cap", p->cap, p->currency);
		add_str(&r, "landing", p->landing);
		add_str(&r, "currency", p->currency);
		add_int(&r, "created", CELL_TIME, p->m.created);
		add_str(&r, "referee_reward", p->referee_rule);
		add_str(&r, "bonus", p->bonus);
		add_str(&r, "override", p->override_bp ? rate_format_bp(p->override_bp, r.buf[r.n]) : NULL);
		break;
	}
	case KIND_TIER: {
		const struct tier *p = rec;
		add_id(&r, "id", k, p->id);
		add_str(&r, "name", p->name);
		add_int(&r, "rank", CELL_INT, p->rank);
		add_str(&r, "rule", p->rule);
		add_int(&r, "exclusivity_days", CELL_INT, p->exclusivity_days);
		add_int(&r, "max_deals", CELL_INT, p->max_deals);
		add_str(&r, "bonus", p->bonus);
		add_str(&r, "override", p->override_bp ? rate_format_bp(p->override_bp, r.buf[r.n]) : NULL);
		break;
	}
	case KIND_PARTNER: {
		const struct partner *p = rec;
		add_id(&r, "id", k, p->id);
		add_str(&r, "name", p->name);
		add_str(&r, "kind", partner_kind_name(p->kind));
		add_ref_name(&r, c->t, "tier", KIND_TIER, p->tier, &h1);
		add_str(&r, "status", partner_status_name(p->status));
		add_str(&r, "email", p->email);
		add_str(&r, "contact", p->contact);
		add_str(&r, "payout_email", p->payout_email);
		add_str(&r, "payout_method", p->payout_method ? payee_method_name(p->payout_method) : NULL);
		add_str(&r, "iban", p->iban);
		add_str(&r, "bic", p->bic);
		add_str(&r, "holder", p->holder);
		add_str(&r, "address", p->address);
		add_str(&r, "notes", p->notes);
		add_int(&r, "created", CELL_TIME, p->m.created);
		add_ref_name(&r, c->t, "parent", KIND_PARTNER, p->parent, &h2);
		break;
	}
	case KIND_AGREEMENT: {
		const struct agreement *p = rec;
		add_id(&r, "id", k, p->id);
		add_ref_name(&r, c->t, "partner", KIND_PARTNER, p->partner, &h1);
		add_str(&r, "title", p->title);
		add_int(&r, "signed", CELL_DATE, p->signed_at);
		add_int(&r, "expires", CELL_DATE, p->expires);
		add_str(&r, "document", p->document);
		break;
	}
	case KIND_USER: {
		const struct user *p = rec;
		add_id(&r, "id", k, p->id);
		add_str(&r, "login", p->login);
		add_str(&r, "role", role_name((enum role)p->role));
		add_ref_name(&r, c->t, "partner", KIND_PARTNER, p->partner, &h1);
		add_int(&r, "created", CELL_TIME, p->m.created);
		break;
	}
	case KIND_REFERRER: {
		const struct referrer *p = rec;
		add_id(&r, "id", k, p->id);
		add_str(&r, "kind", p->kind == REFERRER_PARTNER ? "partner" : "customer");
		add_str(&r, "name", p->name);
		add_str(&r, "email", p->email);
		add_id(&r, "partner", KIND_PARTNER, p->partner);
		break;
	}
	case KIND_CODE: {
		const struct code *p = rec;
		struct program pg;
		struct sbuf b;
		add_id(&r, "id", k, p->id);
		add_str(&r, "code", p->code);
		add_ref_name(&r, c->t, "program", KIND_PROGRAM, p->program, &h1);
		add_id(&r, "referrer", KIND_REFERRER, p->referrer);
		add_str(&r, "status", p->disabled ? "disabled" : "active");
		sbuf_init(&b);
		if (rec_get(c->t, KIND_PROGRAM, p->program, &pg) == ST_OK) {
			code_link(pg.landing, p->code, &b);
			rec_free(KIND_PROGRAM, &pg);
		}
		link = sbuf_take(&b);
		add_str(&r, "link", link);
		break;
	}
	case KIND_REFERRAL: {
		const struct referral *p = rec;
		struct program pg;
		int32_t status = p->status;
		if (rec_get(c->t, KIND_PROGRAM, p->program, &pg) == ST_OK) {
			status = referral_effective_status(p, &pg, clock_now());
			h1 = strdup(pg.name);
			rec_free(KIND_PROGRAM, &pg);
		}
		add_id(&r, "id", k, p->id);
		add_str(&r, "program", h1);
		add_ref_name(&r, c->t, "code", KIND_CODE, p->code, &h2);
		add_id(&r, "referrer", KIND_REFERRER, p->referrer);
		add_str(&r, "email", p->email);
		add_str(&r, "name", p->name);
		add_int(&r, "at", CELL_TIME, p->at);
		add_str(&r, "status", referral_status_name(status));
		add_str(&r, "reason", p->reason);
		break;
	}
	case KIND_CONVERSION: {
		const struct conversion *p = rec;
		add_id(&r, "id", k, p->id);
		add_str(&r, "external_id", p->ext_id);
		add_ref_name(&r, c->t, "program", KIND_PROGRAM, p->program, &h1);
		add_id(&r, "referral", KIND_REFERRAL, p->referral);
		add_id(&r, "referrer", KIND_REFERRER, p->referrer);
		add_str(&r, "event", p->event);
		add_money(&r, "amount", p->amount, p->currency);
		add_money(&r, "refunded", p->refunded, p->currency);
		add_int(&r, "qualifying", CELL_BOOL, p->qualifying);
		add_int(&r, "at", CELL_TIME, p->at);
		add_str(&r, "product", p->product);
		add_str(&r, "plan", p->plan);
		add_str(&r, "country", p->country);
		break;
	}
	case KIND_REWARD: {
		const struct reward *p = rec;
		add_id(&r, "id", k, p->id);
		add_str(&r, "kind", p->kind == LINE_ADJUSTMENT ? "adjustment" : "referee");
		add_str(&r, "status", reward_status_name(p->status));
		add_money(&r, "amount", p->amount, p->currency);
		add_str(&r, "email", p->email);
		add_id(&r, "referral", KIND_REFERRAL, p->referral);
		add_id(&r, "referrer", KIND_REFERRER, p->referrer);
		add_ref_name(&r, c->t, "program", KIND_PROGRAM, p->program, &h1);
		add_ref_name(&r, c->t, "conversion", KIND_CONVERSION, p->conversion, &h2);
		add_id(&r, "original", KIND_REWARD, p->original);
		add_int(&r, "earned", CELL_TIME, p->earned_at);
		add_int(&r, "hold_until", CELL_DATE, p->hold_until);
		add_str(&r, "decided_by", p->decided_by);
		add_str(&r, "reason", p->reason);
		add_int(&r, "issued", CELL_TIME, p->issued_at);
		add_str(&r, "rule", p->rule);
		break;
	}
	case KIND_COMMISSION: {
		const struct commission *p = rec;
		add_id(&r, "id", k, p->id);
		add_str(&r, "kind", commission_kind_name(p->kind, p->original));
		add_str(&r, "status", commission_status_name(p->status));
		add_money(&r, "amount", p->amount, p->currency);
		add_ref_name(&r, c->t, "partner", KIND_PARTNER, p->partner, &h1);
		add_id(&r, "referrer", KIND_REFERRER, p->referrer);
		add_ref_name(&r, c->t, "program", KIND_PROGRAM, p->program, &h2);
		add_ref_name(&r, c->t, "conversion", KIND_CONVERSION, p->conversion, &h3);
		add_id(&r, "deal", KIND_DEAL, p->deal);
		add_id(&r, "original", KIND_COMMISSION, p->original);
		add_int(&r, "earned", CELL_TIME, p->earned_at);
		add_int(&r, "hold_until", CELL_DATE, p->hold_until);
		add_str(&r, "decided_by", p->decided_by);
		add_str(&r, "reason", p->reason);
		add_id(&r, "payout", KIND_PAYOUT, p->payout);
		add_str(&r, "rule", p->rule);
		break;
	}
	case KIND_PAYOUT: {
		const struct payout *p = rec;
		add_id(&r, "id", k, p->id);
		add_str(&r, "status", p->status == PAYOUT_PAID ? "paid" : "exported");
		add_int(&r, "cutoff", CELL_DATE, p->cutoff);
		add_str(&r, "partners", p->partners);
		add_int(&r, "lines", CELL_INT, p->lines);
		add_money(&r, "total", p->total, p->currency);
		add_str(&r, "checksum", p->checksum);
		add_str(&r, "csv", p->csv);
		add_int(&r, "created", CELL_TIME, p->m.created);
		add_int(&r, "paid_at", CELL_TIME, p->paid_at);
		break;
	}
	case KIND_AUDIT: {
		const struct audit *p = rec;
		add_id(&r, "id", k, p->id);
		add_int(&r, "at", CELL_TIME, p->at);
		add_str(&r, "actor", p->actor);
		add_str(&r, "action", p->action);
		if (p->record) {
			app_id_str((enum kind)p->kind, p->record, r.buf[r.n]);
			add_str(&r, "record", r.buf[r.n]);
		} else {
			add_str(&r, "record", NULL);
		}
		add_str(&r, "before", p->before);
		add_str(&r, "after", p->after);
		add_str(&r, "hash", p->hash);
		break;
	}
	case KIND_DEAL: {
		const struct deal *p = rec;
		add_id(&r, "id", k, p->id);
		add_str(&r, "source", p->direct ? "direct" : "partner");
		add_ref_name(&r, c->t, "partner", KIND_PARTNER, p->partner, &h1);
		add_str(&r, "company", p->company);
		add_str(&r, "domain", p->domain);
		add_str(&r, "stage", deal_stage_name(deal_effective_stage(p, clock_now())));
		add_money(&r, "value", p->value, p->currency);
		add_money(&r, "final_value", p->final_value, p->currency);
		add_int(&r, "close", CELL_DATE, p->close_date);
		add_int(&r, "won_at", CELL_TIME, p->stage == DEAL_WON ? p->won_at : 0);
		/* the last exclusive day (the end is the instant after it) */
		add_int(&r, "exclusive_until", CELL_DATE,
		    p->direct || p->exclusive_until == 0 ? 0 : date_add_days(p->exclusive_until, -1));
		add_str(&r, "reason", p->reason);
		add_str(&r, "contact", p->contact);
		add_str(&r, "notes", p->notes);
		add_int(&r, "created", CELL_TIME, p->m.created);
		break;
	}
	case KIND_REFUND: {
		const struct refund *p = rec;
		struct conversion cv;
		char cur[4] = "";
		if (rec_get(c->t, KIND_CONVERSION, p->conversion, &cv) == ST_OK) {
			memcpy(cur, cv.currency, 4);
			h3 = strdup(cv.ext_id ? cv.ext_id : "");
			rec_free(KIND_CONVERSION, &cv);
		}
		add_id(&r, "id", k, p->id);
		add_ref_name(&r, c->t, "program", KIND_PROGRAM, p->program, &h1);
		add_str(&r, "conversion", h3);
		memcpy(r.buf[ROW_MAX - 1], cur, 4);
		add_money(&r, "amount", p->amount, r.buf[ROW_MAX - 1]);
		add_int(&r, "at", CELL_TIME, p->at);
		break;
	}
	case KIND_INVITATION: {
		/* never the code's hash: it is as good as the code to a guesser */
		const struct invitation *p = rec;
		int64_t now = clock_now();
		add_id(&r, "id", k, p->id);
		add_ref_name(&r, c->t, "partner", KIND_PARTNER, p->partner, &h1);
		add_str(&r, "email", p->email);
		add_str(&r, "state", p->voided_at ? "voided" : p->used_at ? "used" :
		    p->expires <= now ? "expired" : "pending");
		add_int(&r, "created", CELL_TIME, p->m.created);
		add_int(&r, "expires", CELL_TIME, p->expires);
		add_int(&r, "used_at", CELL_TIME, p->used_at);
		add_int(&r, "voided_at", CELL_TIME, p->voided_at);
		break;
	}
	default:
		return ST_SOFTWARE;
	}
	st = fn(ctx, &r);
	free(h1);
	free(h2);
	free(h3);
	free(link);
	return st;
}

bool
app_table_kind(const char *what, enum kind *k)
{
	static const struct { const char *name; enum kind k; } t[] = {
		{ "programs", KIND_PROGRAM }, { "partners", KIND_PARTNER },
		{ "tiers", KIND_TIER }, { "referrals", KIND_REFERRAL },
		{ "conversions", KIND_CONVERSION }, { "refunds", KIND_REFUND },
		{ "codes", KIND_CODE }, { "referrers", KIND_REFERRER },
		{ "users", KIND_USER }, { "agreements", KIND_AGREEMENT },
		{ "commissions", KIND_COMMISSION }, { "payouts", KIND_PAYOUT },
		{ "audit", KIND_AUDIT }, { "deals", KIND_DEAL },
		{ "rewards", KIND_REWARD },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		if (strcmp(what, t[i].name) == 0) {
			*k = t[i].k;
			return true;
		}
	}
	return false;
}

static enum perm
read_perm(enum kind k)
{
	switch (k) {
	case KIND_PROGRAM:
	case KIND_CODE:
		return PERM_PROGRAM_READ;
	case KIND_PARTNER:
	case KIND_TIER:
	case KIND_AGREEMENT:
	case KIND_INVITATION:
		return PERM_PARTNER_READ;
	case KIND_USER:
		return PERM_ADMIN;
	case KIND_COMMISSION:
	case KIND_PAYOUT:
	case KIND_AUDIT:
	case KIND_REWARD:
		return PERM_COMMISSION_READ;
	case KIND_DEAL:
		return PERM_PROGRAM_READ;
	default:
		return PERM_EVENTS_READ;
	}
}

/* The resolved filter. */
struct filter {
	uint64_t program, partner, tier, referrer;
	const char *status;
	int64_t from, to;
};

static bool
passes(struct txn *t, enum kind k, const void *rec, const struct filter *f)
{
	uint64_t program = 0, partner = 0, tier = 0, referrer = 0;
	const char *status = NULL;
	int64_t at = 0;
	bool timed = false;

	switch (k) {
	case KIND_PROGRAM:
		status = program_status_name(((const struct program *)rec)->status);
		break;
	case KIND_PARTNER: {
		const struct partner *p = rec;
		status = partner_status_name(p->status);
		tier = p->tier;
		partner = p->id;
		break;
	}
	case KIND_CODE:
		program = ((const struct code *)rec)->program;
		referrer = ((const struct code *)rec)->referrer;
		status = ((const struct code *)rec)->disabled ? "disabled" : "active";
		break;
	case KIND_AGREEMENT:
		partner = ((const struct agreement *)rec)->partner;
		break;
	case KIND_INVITATION:
		partner = ((const struct invitation *)rec)->partner;
		break;
	case KIND_REFERRAL: {
		const struct referral *p = rec;
		struct program pg;
		program = p->program;
		referrer = p->referrer;
		status = referral_status_name(p->status);
		/* as shown: expired once the window has passed (expiry.c) */
		if (f->status && rec_get(t, KIND_PROGRAM, p->program, &pg) == ST_OK) {
			status = referral_status_name(referral_effective_status(p, &pg, clock_now()));
			rec_free(KIND_PROGRAM, &pg);
		}
		at = p->at;
		timed = true;
		break;
	}
	case KIND_CONVERSION: {
		const struct conversion *p = rec;
		program = p->program;
		referrer = p->referrer;
		at = p->at;
		timed = true;
		break;
	}
	case KIND_COMMISSION: {
		const struct commission *p = rec;
		program = p->program;
		referrer = p->referrer;
		status = commission_status_name(p->status);
		at = p->earned_at;
		timed = true;
		break;
	}
	case KIND_REWARD: {
		const struct reward *p = rec;
		program = p->program;
		referrer = p->referrer;
		status = reward_status_name(p->status);
		at = p->earned_at;
		timed = true;
		break;
	}
	case KIND_DEAL: {
		const struct deal *p = rec;
		partner = p->partner;
		status = deal_stage_name(deal_effective_stage(p, clock_now()));
		at = p->m.created;
		timed = true;
		break;
	}
	case KIND_REFUND:
		program = ((const struct refund *)rec)->program;
		at = ((const struct refund *)rec)->at;
		timed = true;
		break;
	default:
		break;
	}
	if (f->program && program != f->program)
		return false;
	if (f->status && (status == NULL || strcmp(status, f->status) != 0))
		return false;
	if (f->tier && tier != f->tier)
		return false;
	if (f->partner && k == KIND_PARTNER && partner != f->partner)
		return false;
	if (f->partner && (k == KIND_AGREEMENT || k == KIND_DEAL || k == KIND_INVITATION) &&
	    partner != f->partner)
		return false;
	if (f->referrer && (k == KIND_REFERRAL || k == KIND_CONVERSION || k == KIND_CODE ||
	    k == KIND_COMMISSION || k == KIND_REWARD) &&
	    referrer != f->referrer)
		return false;
	if (timed && ((f->from && at < f->from) || (f->to && at >= f->to)))
		return false;
	(void)t;
	return true;
}

static enum status
resolve_filter(struct txn *t, const struct list_filter *in, struct filter *f, struct err *e)
{
	enum status st;

	memset(f, 0, sizeof *f);
	if (in == NULL)
		return ST_OK;
	if (in->program && (st = app_resolve(t, KIND_PROGRAM, in->program, &f->program, e)) != ST_OK)
		return st;
	if (in->tier && (st = app_resolve(t, KIND_TIER, in->tier, &f->tier, e)) != ST_OK)
		return st;
	if (in->partner) {
		struct key k;
		if ((st = app_resolve(t, KIND_PARTNER, in->partner, &f->partner, e)) != ST_OK)
			return st;
		key_init(&k);
		key_u64(&k, f->partner);
		f->referrer = idx_find(t, IDX_REFERRER_PARTNER, &k);
		if (f->referrer == 0)
			f->referrer = UINT64_MAX;       /* a partner with no codes: nothing */
	}
	if (in->from && (st = date_parse_time(in->from, &f->from, "from", e)) != ST_OK)
		return st;
	if (in->to && (st = date_parse_time(in->to, &f->to, "to", e)) != ST_OK)
		return st;
	/* --to names a day: include all of it */
	if (in->to && strlen(in->to) == 10)
		f->to = date_add_days(f->to, 1);
	f->status = in->status;
	return ST_OK;
}

enum status
app_list(struct app *a, enum kind k, const struct list_filter *lf, row_fn fn, void *ctx,
    struct err *e)
{
	_Alignas(max_align_t) unsigned char rec[512];
	struct row_ctx c = { a, NULL };
	struct filter f;
	struct iter *it;
	enum index ix = IDX__COUNT;
	uint64_t id, n = 0;
	enum status st;
	bool events = k == KIND_REFERRAL || k == KIND_CONVERSION || k == KIND_REFUND ||
	    k == KIND_COMMISSION || k == KIND_PAYOUT || k == KIND_AUDIT || k == KIND_DEAL ||
	    k == KIND_REWARD;

	if ((st = app_require(a, read_perm(k), e)) != ST_OK)
		return st;
	if (lf && lf->partner && k != KIND_PARTNER && k != KIND_AGREEMENT && k != KIND_REFERRAL &&
	    k != KIND_CONVERSION && k != KIND_CODE && k != KIND_COMMISSION && k != KIND_DEAL &&
	    k != KIND_INVITATION && k != KIND_REWARD)
		return err_set(e, ST_USAGE, "--partner does not filter %ss", kind_name(k));
	c.t = txn_begin_read(a->store);
	if ((st = resolve_filter(c.t, lf, &f, e)) != ST_OK) {
		txn_end(c.t);
		return st;
	}
	/* Events newest first through their time index; others by id. */
	if (k == KIND_REFERRAL)
		ix = IDX_REFERRAL_TIME;
	else if (k == KIND_CONVERSION)
		ix = IDX_CONVERSION_TIME;
	it = ix != IDX__COUNT ? iter_index(c.t, ix, NULL, true) : iter_kind(c.t, k, events);
	while (st == ST_OK && iter_next(it, &id)) {
		if (ix != IDX__COUNT) {
			if (rec_get(c.t, k, id, rec) != ST_OK)
				continue;
		} else if (iter_rec(it, rec) != ST_OK) {
			continue;
		}
		if (passes(c.t, k, rec, &f)) {
			st = emit(&c, k, rec, fn, ctx);
			n++;
		}
		rec_free(k, rec);
		if (lf && lf->limit && n >= lf->limit)
			break;
	}
	iter_close(it);
	if (st == ST_OK)
		st = util_txn_err(c.t, e);
	txn_end(c.t);
	return st;
}

enum status
app_show(struct app *a, enum kind k, const char *ref, row_fn fn, void *ctx, struct err *e)
{
	_Alignas(max_align_t) unsigned char rec[512];
	struct row_ctx c = { a, NULL };
	uint64_t id;
	enum status st;

	if ((st = app_require(a, read_perm(k), e)) != ST_OK)
		return st;
	c.t = txn_begin_read(a->store);
	if ((st = app_resolve(c.t, k, ref, &id, e)) == ST_OK &&
	    (st = rec_get(c.t, k, id, rec)) == ST_OK) {
		st = emit(&c, k, rec, fn, ctx);
		rec_free(k, rec);
	}
	if (st == ST_OK)
		st = util_txn_err(c.t, e);
	txn_end(c.t);
	return st;
}

enum status
app_list_columns(struct app *a, enum kind k, row_fn fn, void *ctx, struct err *e)
{
	_Alignas(max_align_t) unsigned char rec[512];
	struct row_ctx c = { a, NULL };
	enum status st;

	if ((st = app_require(a, read_perm(k), e)) != ST_OK)
		return st;
	/* a record with nothing in it has every column, all empty */
	memset(rec, 0, sizeof rec);
	c.t = txn_begin_read(a->store);
	st = emit(&c, k, rec, fn, ctx);
	txn_end(c.t);
	return st;
}
