/*
 * catalog.c - the records people set up by hand: programs, tiers,
 * partners, agreements, codes and users.
 *
 * Each save takes text inputs (NULL = not given), checks every field into a
 * copy of the record outside any transaction where it can, then writes in
 * one short transaction that re-reads what it depends on.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/app.h"
#include "app/util.h"
#include "core/alloc.h"
#include "core/date.h"
#include "core/str.h"
#include "domain/code.h"
#include "domain/email.h"
#include "domain/names.h"
#include "domain/rule.h"

#define DEFAULT_WINDOW 90
#define DEFAULT_HOLD 30
#define DEFAULT_EVENTS "purchase"

/* ---- programs ---- */

struct program_ctx {
	struct app *a;
	uint64_t id;            /* the program to edit, 0 = new */
	const struct program_input *in;
	struct err *e;
	uint64_t out;           /* the id written (store_write may run us twice) */
};

static enum status
parse_day_opt(const char *in, int64_t *out, const char *field, struct err *e)
{
	if (in == NULL)
		return ST_OK;
	if (*in == '\0') {
		*out = 0;
		return ST_OK;
	}
	return date_parse_day(in, out, field, e);
}

/* "sign-up, Purchase" -> "sign-up,purchase"; each event a word. */
static enum status
parse_events(const char *in, char **out, struct err *e)
{
	struct sbuf b;
	char *copy = xstrdup(in), *tok, *save = NULL;

	sbuf_init(&b);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *w = str_trim(tok), *p;
		str_lower(w);
		for (p = w; *p; p++) {
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.')) {
				err_set(e, ST_DATA, "events: \"%s\" is not an event name (letters, digits, - _ .)", w);
				free(w);
				free(copy);
				sbuf_free(&b);
				return ST_DATA;
			}
		}
		if (*w) {
			if (b.len)
				sbuf_addc(&b, ',');
			sbuf_add(&b, w);
		}
		free(w);
	}
	free(copy);
	if (b.len == 0) {
		sbuf_free(&b);
		return err_set(e, ST_DATA, "events: give at least one qualifying event, e.g. signup,purchase");
	}
	*out = sbuf_take(&b);
	return ST_OK;
}

/* "10/month" or "10" (per month) or "0" (none). */
static enum status
parse_max_refs(const char *in, struct program *p, struct err *e)
{
	char *copy = xstrdup(in), *slash = strchr(copy, '/');
	enum period per = PERIOD_MONTH;
	int64_t n;
	enum status st;

	if (slash) {
		*slash = '\0';
		if (!period_parse(slash + 1, &per)) {
			st = err_set(e, ST_DATA, "max-referrals: period \"%s\" must be month, quarter, year or lifetime", slash + 1);
			free(copy);
			return st;
		}
	}
	st = util_int(copy, 0, 1000000, &n, "max-referrals", e);
	free(copy);
	if (st != ST_OK)
		return st;
	p->max_refs = (int32_t)n;
	p->max_period = per;
	return ST_OK;
}

/* Tier names or ids -> "3,5" of ids. */
static enum status
parse_tiers(struct txn *t, const char *in, char **out, struct err *e)
{
	struct sbuf b;
	char *copy, *tok, *save = NULL;

	*out = NULL;
	if (*in == '\0')
		return ST_OK;
	sbuf_init(&b);
	copy = xstrdup(in);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *w = str_trim(tok);
		uint64_t id;
		if (*w && app_resolve(t, KIND_TIER, w, &id, e) != ST_OK) {
			err_prefix(e, "tiers");
			free(w);
			free(copy);
			sbuf_free(&b);
			return e ? e->st : ST_NOTFOUND;
		}
		if (*w)
			sbuf_addf(&b, "%s%llu", b.len ? "," : "", (unsigned long long)id);
		free(w);
	}
	free(copy);
	*out = b.len ? sbuf_take(&b) : NULL;
	sbuf_free(&b);
	return ST_OK;
}

static enum status
program_apply(struct app *a, struct txn *t, struct program *p, const struct program_input *in,
    struct err *e)
{
	const struct currency *cur;
	int64_t n;
	char *s;
	enum status st = ST_OK;

	if (in->name) {
		if ((st = util_name(in->name, &s, "name", e)) != ST_OK)
			return st;
		util_replace(&p->name, s);
	}
	if (in->currency) {
		cur = currency_find(in->currency);
		if (cur == NULL)
			return err_set(e, ST_DATA, "currency: \"%s\" is not an ISO 4217 code we know", in->currency);
		memcpy(p->currency, cur->code, 4);
	}
	cur = currency_find(p->currency);
	if (cur == NULL)
		return err_set(e, ST_DATA, "currency: unknown");
	if (in->rule) {
		struct rule r;
		if ((st = rule_parse(in->rule, cur, &r, e)) != ST_OK)
			return st;
		/* Stored as written (trimmed), parsed again wherever used. */
		if ((st = util_text(in->rule, true, 500, &s, "rule", e)) != ST_OK)
			return st;
		util_replace(&p->rule, s);
	} else if (p->rule && in->currency) {
		/* The currency changed: the rule's amounts must still fit it. */
		struct rule r;
		if ((st = rule_parse(p->rule, cur, &r, e)) != ST_OK)
			return st;
	}
	if (p->rule == NULL)
		return err_set(e, ST_USAGE, "rule: missing (e.g. --rule \"percent 10\")");
	if ((st = parse_day_opt(in->start, &p->start, "start", e)) != ST_OK)
		return st;
	if (in->end) {
		if ((st = parse_day_opt(in->end, &p->end, "end", e)) != ST_OK)
			return st;
		/* The end date is the last day of the program: store the
		 * instant after it. */
		if (p->end)
			p->end = date_add_days(p->end, 1);
	}
	if (p->start && p->end && p->end <= p->start)
		return err_set(e, ST_DATA, "end: must not be before start");
	if (in->window) {
		if ((st = util_int(in->window, 0, 3650, &n, "window", e)) != ST_OK)
			return st;
		p->window_days = (int32_t)n;
	}
	if (in->hold) {
		if ((st = util_int(in->hold, 0, 3650, &n, "hold", e)) != ST_OK)
			return st;
		p->hold_days = (int32_t)n;
	}
	if (in->events) {
		if ((st = parse_events(in->events, &s, e)) != ST_OK)
			return st;
		util_replace(&p->events, s);
	}
	if (in->landing) {
		if ((st = util_text(in->landing, false, 500, &s, "landing", e)) != ST_OK)
			return st;
		if (s && strchr(s, ' ')) {
			free(s);
			return err_set(e, ST_DATA, "landing: a URL has no blanks");
		}
		util_replace(&p->landing, s);
	}
	if (in->attribution) {
		if (strcmp(in->attribution, "first") == 0)
			p->attribution = ATTR_FIRST;
		else if (strcmp(in->attribution, "last") == 0)
			p->attribution = ATTR_LAST;
		else
			return err_set(e, ST_DATA, "attribution: must be first or last");
	}
	if (in->eligible) {
		if (strcmp(in->eligible, "customers") == 0)
			p->eligible = ELIG_CUSTOMERS;
		else if (strcmp(in->eligible, "partners") == 0)
			p->eligible = ELIG_PARTNERS;
		else if (strcmp(in->eligible, "both") == 0)
			p->eligible = ELIG_CUSTOMERS | ELIG_PARTNERS;
		else
			return err_set(e, ST_DATA, "eligible: must be customers, partners or both");
	}
	if (in->tiers) {
		if ((st = parse_tiers(t, in->tiers, &s, e)) != ST_OK)
			return st;
		util_replace(&p->tiers, s);
	}
	if (in->max_refs && (st = parse_max_refs(in->max_refs, p, e)) != ST_OK)
		return st;
	if (in->cap) {
		if ((st = money_parse(in->cap, cur, false, &p->cap, "cap", e)) != ST_OK)
			return st;
	}
	(void)a;
	return ST_OK;
}

static enum status
program_write(struct txn *t, void *vctx)
{
	struct program_ctx *c = vctx;
	struct program p;
	enum status st;

	if (c->id) {
		if ((st = rec_get(t, KIND_PROGRAM, c->id, &p)) != ST_OK)
			return st == ST_NOTFOUND ? err_set(c->e, st, "program PG%llu not found",
			    (unsigned long long)c->id) : st;
	} else {
		memset(&p, 0, sizeof p);
		p.window_days = DEFAULT_WINDOW;
		p.hold_days = DEFAULT_HOLD;
		p.events = xstrdup(DEFAULT_EVENTS);
		p.eligible = ELIG_CUSTOMERS | ELIG_PARTNERS;
		p.max_period = PERIOD_MONTH;
		memcpy(p.currency, c->a->settings.currency, 4);
	}
	if (c->id == 0 && c->in->name == NULL)
		st = err_set(c->e, ST_USAGE, "name: missing");
	else
		st = program_apply(c->a, t, &p, c->in, c->e);
	if (st == ST_OK)
		st = util_name_free(t, IDX_PROGRAM_NAME, KIND_PROGRAM, p.name, p.id, c->e);
	if (st == ST_OK && c->in->activate) {
		if (p.status == PROGRAM_ENDED)
			st = err_set(c->e, ST_DATA, "activate: program has ended");
		else
			p.status = PROGRAM_ACTIVE;
	}
	if (st == ST_OK)
		rec_put(t, KIND_PROGRAM, &p);
	c->out = p.id;
	rec_free(KIND_PROGRAM, &p);
	return st != ST_OK ? st : txn_status(t);
}

enum status
app_program_save(struct app *a, uint64_t id, const struct program_input *in,
    uint64_t *out_id, struct err *e)
{
	struct program_ctx c = { a, id, in, e, 0 };
	enum status st;

	if ((st = app_require(a, PERM_PROGRAM_WRITE, e)) != ST_OK)
		return st;
	st = store_write(a->store, program_write, &c, e);
	if (st == ST_OK && out_id)
		*out_id = c.out;
	return st;
}

struct pstatus_ctx {
	uint64_t id;
	int to;
	struct err *e;
};

static enum status
program_status_write(struct txn *t, void *vctx)
{
	struct pstatus_ctx *c = vctx;
	struct program p;
	enum status st;

	if ((st = rec_get(t, KIND_PROGRAM, c->id, &p)) != ST_OK)
		return st;
	if (p.status == PROGRAM_ENDED && c->to != PROGRAM_ENDED)
		st = err_set(c->e, ST_DATA, "program %s has ended and cannot be %s", p.name,
		    c->to == PROGRAM_ACTIVE ? "activated" : "paused");
	else if (c->to == PROGRAM_PAUSED && p.status != PROGRAM_ACTIVE)
		st = err_set(c->e, ST_DATA, "program %s is %s: only an active program can be paused",
		    p.name, program_status_name(p.status));
	else if (p.status == c->to)
		st = ST_OK;     /* already there: nothing to change */
	if (st == ST_OK && p.status != c->to) {
		p.status = c->to;
		rec_put(t, KIND_PROGRAM, &p);
	}
	rec_free(KIND_PROGRAM, &p);
	return st != ST_OK ? st : txn_status(t);
}

enum status
app_program_set_status(struct app *a, uint64_t id, enum program_status to, struct err *e)
{
	struct pstatus_ctx c = { id, to, e };
	enum status st;

	if ((st = app_require(a, PERM_PROGRAM_WRITE, e)) != ST_OK)
		return st;
	return store_write(a->store, program_status_write, &c, e);
}

/* ---- tiers ---- */

struct tier_ctx {
	struct app *a;
	uint64_t id;            /* 0 = new */
	const struct tier_input *in;
	struct err *e;
	uint64_t out;
};

static enum status
tier_write(struct txn *t, void *vctx)
{
	struct tier_ctx *c = vctx;
	const struct tier_input *in = c->in;
	struct tier r;
	enum status st = ST_OK;
	int64_t n;
	char *s;

	if (c->id) {
		if ((st = rec_get(t, KIND_TIER, c->id, &r)) != ST_OK)
			return st;
	} else {
		memset(&r, 0, sizeof r);
		r.exclusivity_days = 90;
		if (in->name == NULL)
			return err_set(c->e, ST_USAGE, "name: missing");
	}
	if (st == ST_OK && in->name && (st = util_name(in->name, &s, "name", c->e)) == ST_OK)
		util_replace(&r.name, s);
	if (st == ST_OK && in->rule) {
		struct rule rule;
		if ((st = rule_parse(in->rule, c->a->cur, &rule, c->e)) == ST_OK &&
		    (st = util_text(in->rule, true, 500, &s, "rule", c->e)) == ST_OK)
			util_replace(&r.rule, s);
	}
	if (st == ST_OK && in->rank && (st = util_int(in->rank, 0, 1000, &n, "rank", c->e)) == ST_OK)
		r.rank = (int32_t)n;
	if (st == ST_OK && in->exclusivity &&
	    (st = util_int(in->exclusivity, 0, 3650, &n, "exclusivity", c->e)) == ST_OK)
		r.exclusivity_days = (int32_t)n;
	if (st == ST_OK && in->max_deals &&
	    (st = util_int(in->max_deals, 0, 100000, &n, "max-deals", c->e)) == ST_OK)
		r.max_deals = (int32_t)n;
	if (st == ST_OK)
		st = util_name_free(t, IDX_TIER_NAME, KIND_TIER, r.name, r.id, c->e);
	if (st == ST_OK)
		rec_put(t, KIND_TIER, &r);
	c->out = r.id;
	rec_free(KIND_TIER, &r);
	return st != ST_OK ? st : txn_status(t);
}

enum status
app_tier_save(struct app *a, uint64_t id, const struct tier_input *in, uint64_t *out_id,
    struct err *e)
{
	struct tier_ctx c = { a, id, in, e, 0 };
	enum status st;

	if ((st = app_require(a, PERM_PARTNER_WRITE, e)) != ST_OK)
		return st;
	st = store_write(a->store, tier_write, &c, e);
	if (st == ST_OK && out_id)
		*out_id = c.out;
	return st;
}

/* ---- partners ---- */

struct partner_ctx {
	struct app *a;
	uint64_t id;            /* 0 = new */
	const struct partner_input *in;
	int status;
	struct err *e;
	uint64_t out;
};

static enum status
set_email(char **dst, const char *in, bool required, const char *field, struct err *e)
{
	char *s;
	enum status st;

	if (*in == '\0' && !required) {
		util_replace(dst, NULL);
		return ST_OK;
	}
	if ((st = email_normalise(in, &s, field, e)) != ST_OK)
		return st;
	util_replace(dst, s);
	return ST_OK;
}

static enum status
partner_apply(struct txn *t, struct partner *p, const struct partner_input *in, struct err *e)
{
	enum status st = ST_OK;
	char *s;

	if (in->name) {
		if ((st = util_name(in->name, &s, "name", e)) != ST_OK)
			return st;
		util_replace(&p->name, s);
	}
	if (in->email && (st = set_email(&p->email, in->email, true, "email", e)) != ST_OK)
		return st;
	if (in->payout_email && (st = set_email(&p->payout_email, in->payout_email, false, "payout-email", e)) != ST_OK)
		return st;
	if (in->kind && !partner_kind_parse(in->kind, &p->kind))
		return err_set(e, ST_DATA, "kind: must be reseller, affiliate, agency or integration");
	if (in->tier) {
		if (*in->tier == '\0') {
			p->tier = 0;
		} else if ((st = app_resolve(t, KIND_TIER, in->tier, &p->tier, e)) != ST_OK) {
			err_prefix(e, "tier");
			return st;
		}
	}
	if (in->contact) {
		if ((st = util_text(in->contact, false, NAME_MAX_LEN, &s, "contact", e)) != ST_OK)
			return st;
		util_replace(&p->contact, s);
	}
	if (in->address) {
		if ((st = util_text_lines(in->address, TEXT_MAX_LEN, &s, "address", e)) != ST_OK)
			return st;
		util_replace(&p->address, s);
	}
	if (in->notes) {
		if ((st = util_text_lines(in->notes, TEXT_MAX_LEN, &s, "notes", e)) != ST_OK)
			return st;
		util_replace(&p->notes, s);
	}
	return ST_OK;
}

static enum status
partner_write(struct txn *t, void *vctx)
{
	struct partner_ctx *c = vctx;
	struct partner p;
	enum status st;

	if (c->id) {
		if ((st = rec_get(t, KIND_PARTNER, c->id, &p)) != ST_OK)
			return st == ST_NOTFOUND ? err_set(c->e, st, "partner P%llu not found",
			    (unsigned long long)c->id) : st;
	} else {
		memset(&p, 0, sizeof p);
		p.status = PARTNER_ACTIVE;
		if (c->in->name == NULL)
			return err_set(c->e, ST_USAGE, "name: missing");
		if (c->in->email == NULL)
			return err_set(c->e, ST_USAGE, "email: missing (--email)");
	}
	if (c->in) {
		st = partner_apply(t, &p, c->in, c->e);
	} else {
		st = ST_OK;
		p.status = c->status;
	}
	if (st == ST_OK)
		st = util_name_free(t, IDX_PARTNER_NAME, KIND_PARTNER, p.name, p.id, c->e);
	if (st == ST_OK)
		rec_put(t, KIND_PARTNER, &p);
	/* Keep the partner's referrer (its name shows in lookups) in step. */
	if (st == ST_OK && c->in && c->in->name) {
		struct key k;
		struct referrer r;
		uint64_t rid;
		key_init(&k);
		key_u64(&k, p.id);
		rid = idx_find(t, IDX_REFERRER_PARTNER, &k);
		if (rid && rec_get(t, KIND_REFERRER, rid, &r) == ST_OK) {
			util_replace(&r.name, xstrdup(p.name));
			util_replace(&r.email, p.email ? xstrdup(p.email) : NULL);
			rec_put(t, KIND_REFERRER, &r);
			rec_free(KIND_REFERRER, &r);
		}
	}
	c->out = p.id;
	rec_free(KIND_PARTNER, &p);
	return st != ST_OK ? st : txn_status(t);
}

enum status
app_partner_save_in(struct app *a, struct txn *t, const struct partner_input *in,
    uint64_t *out_id, struct err *e)
{
	struct partner_ctx c = { a, 0, in, 0, e, 0 };
	enum status st = partner_write(t, &c);

	if (st == ST_OK && out_id)
		*out_id = c.out;
	return st;
}

enum status
app_partner_save(struct app *a, uint64_t id, const struct partner_input *in, uint64_t *out_id,
    struct err *e)
{
	struct partner_ctx c = { a, id, in, 0, e, 0 };
	enum status st;

	if ((st = app_require(a, PERM_PARTNER_WRITE, e)) != ST_OK)
		return st;
	st = store_write(a->store, partner_write, &c, e);
	if (st == ST_OK && out_id)
		*out_id = c.out;
	return st;
}

enum status
app_partner_set_status(struct app *a, uint64_t id, enum partner_status to, struct err *e)
{
	struct partner_ctx c = { a, id, NULL, to, e, 0 };
	enum status st;

	if ((st = app_require(a, PERM_PARTNER_WRITE, e)) != ST_OK)
		return st;
	return store_write(a->store, partner_write, &c, e);
}

/* ---- agreements ---- */

struct agreement_ctx {
	struct app *a;
	const struct agreement_input *in;
	uint64_t id;
	struct err *e;
};

static enum status
agreement_write(struct txn *t, void *vctx)
{
	struct agreement_ctx *c = vctx;
	const struct agreement_input *in = c->in;
	struct agreement g;
	enum status st;

	memset(&g, 0, sizeof g);
	if ((st = app_resolve(t, KIND_PARTNER, in->partner, &g.partner, c->e)) != ST_OK)
		return st;
	if ((st = util_text(in->title, true, NAME_MAX_LEN, &g.title, "title", c->e)) != ST_OK)
		goto out;
	if (in->signed_on == NULL) {
		st = err_set(c->e, ST_USAGE, "signed: missing (--signed YYYY-MM-DD)");
		goto out;
	}
	if ((st = date_parse_day(in->signed_on, &g.signed_at, "signed", c->e)) != ST_OK)
		goto out;
	if (in->expires && *in->expires &&
	    (st = date_parse_day(in->expires, &g.expires, "expires", c->e)) != ST_OK)
		goto out;
	if (g.expires && g.expires <= g.signed_at) {
		st = err_set(c->e, ST_DATA, "expires: must be after the signed date");
		goto out;
	}
	if (in->document && (st = util_text(in->document, false, 1000, &g.document, "document", c->e)) != ST_OK)
		goto out;
	rec_put(t, KIND_AGREEMENT, &g);
	c->id = g.id;
out:
	rec_free(KIND_AGREEMENT, &g);
	return st != ST_OK ? st : txn_status(t);
}

enum status
app_agreement_add(struct app *a, const struct agreement_input *in, uint64_t *out_id,
    struct err *e)
{
	struct agreement_ctx c = { a, in, 0, e };
	enum status st;

	if ((st = app_require(a, PERM_PARTNER_WRITE, e)) != ST_OK)
		return st;
	st = store_write(a->store, agreement_write, &c, e);
	if (st == ST_OK && out_id)
		*out_id = c.id;
	return st;
}

/* ---- codes ---- */

struct code_ctx {
	struct app *a;
	const struct code_input *in;
	char *email;            /* normalised customer e-mail */
	char *name;
	char vanity[CODE_MAX_LEN + 1];
	struct code *out;
	char *link;
	struct err *e;
};

/* The referrer for a partner, made on first use. */
static uint64_t
referrer_for_partner(struct txn *t, const struct partner *p)
{
	struct key k;
	struct referrer r;
	uint64_t id;

	key_init(&k);
	key_u64(&k, p->id);
	id = idx_find(t, IDX_REFERRER_PARTNER, &k);
	if (id)
		return id;
	memset(&r, 0, sizeof r);
	r.kind = REFERRER_PARTNER;
	r.partner = p->id;
	r.name = p->name ? xstrdup(p->name) : NULL;
	r.email = p->email ? xstrdup(p->email) : NULL;
	rec_put(t, KIND_REFERRER, &r);
	id = r.id;
	rec_free(KIND_REFERRER, &r);
	return id;
}

/* The customer referrer with this e-mail, made on first use. */
static uint64_t
referrer_for_customer(struct txn *t, const char *email, const char *name)
{
	struct key k;
	struct iter *it;
	struct referrer r;
	uint64_t id, found = 0;

	key_init(&k);
	key_str(&k, email, true);
	it = iter_index(t, IDX_REFERRER_EMAIL, &k, false);
	while (!found && iter_next(it, &id)) {
		if (rec_get(t, KIND_REFERRER, id, &r) == ST_OK) {
			if (r.kind == REFERRER_CUSTOMER)
				found = id;
			rec_free(KIND_REFERRER, &r);
		}
	}
	iter_close(it);
	if (found)
		return found;
	memset(&r, 0, sizeof r);
	r.kind = REFERRER_CUSTOMER;
	r.email = xstrdup(email);
	r.name = name ? xstrdup(name) : NULL;
	rec_put(t, KIND_REFERRER, &r);
	id = r.id;
	rec_free(KIND_REFERRER, &r);
	return id;
}

static enum status
code_write(struct txn *t, void *vctx)
{
	struct code_ctx *c = vctx;
	struct program pg;
	struct code k;
	enum status st;
	uint64_t pgid;

	memset(&k, 0, sizeof k);
	if ((st = app_resolve(t, KIND_PROGRAM, c->in->program, &pgid, c->e)) != ST_OK)
		return st;
	if ((st = rec_get(t, KIND_PROGRAM, pgid, &pg)) != ST_OK)
		return st;
	if (pg.status == PROGRAM_ENDED) {
		st = err_set(c->e, ST_DATA, "program: %s has ended: no new codes", pg.name);
		goto out;
	}
	if (c->in->partner) {
		struct partner p;
		uint64_t pid;
		if (!(pg.eligible & ELIG_PARTNERS)) {
			st = err_set(c->e, ST_DATA, "partner: program %s does not take partner referrers", pg.name);
			goto out;
		}
		if ((st = app_resolve(t, KIND_PARTNER, c->in->partner, &pid, c->e)) != ST_OK)
			goto out;
		if ((st = rec_get(t, KIND_PARTNER, pid, &p)) != ST_OK)
			goto out;
		if (p.status == PARTNER_SUSPENDED)
			st = err_set(c->e, ST_DATA, "partner: %s is suspended", p.name);
		else
			k.referrer = referrer_for_partner(t, &p);
		rec_free(KIND_PARTNER, &p);
		if (st != ST_OK)
			goto out;
	} else {
		if (!(pg.eligible & ELIG_CUSTOMERS)) {
			st = err_set(c->e, ST_DATA, "customer: program %s does not take customer referrers", pg.name);
			goto out;
		}
		k.referrer = referrer_for_customer(t, c->email, c->name);
	}
	k.program = pgid;
	if (c->vanity[0]) {
		struct key key;
		key_init(&key);
		key_str(&key, c->vanity, false);
		if (idx_find(t, IDX_CODE, &key) != 0) {
			st = err_set(c->e, ST_EXISTS, "vanity: code %s is already taken", c->vanity);
			goto out;
		}
		k.code = xstrdup(c->vanity);
		k.vanity = 1;
	} else {
		unsigned char rnd[5];
		char gen[CODE_GEN_LEN + 1];
		struct key key;
		int tries;
		for (tries = 0; tries < 20; tries++) {
			randombytes_buf(rnd, sizeof rnd);
			code_generate(rnd, gen);
			if (names_id_like(gen))
				continue;       /* "12345678" would read as an id */
			key_init(&key);
			key_str(&key, gen, false);
			if (idx_find(t, IDX_CODE, &key) == 0)
				break;
		}
		k.code = xstrdup(gen);
	}
	rec_put(t, KIND_CODE, &k);
	if (txn_status(t) == ST_OK) {
		struct sbuf b;
		rec_free(KIND_CODE, c->out);
		rec_copy(KIND_CODE, c->out, &k);
		sbuf_init(&b);
		code_link(pg.landing, k.code, &b);
		free(c->link);
		c->link = sbuf_take(&b);
	}
out:
	rec_free(KIND_CODE, &k);
	rec_free(KIND_PROGRAM, &pg);
	return st != ST_OK ? st : txn_status(t);
}

enum status
app_code_new(struct app *a, const struct code_input *in, struct code *out, char **link,
    struct err *e)
{
	struct code_ctx c;
	enum status st;

	memset(out, 0, sizeof *out);
	*link = NULL;
	if ((st = app_require(a, PERM_PROGRAM_WRITE, e)) != ST_OK)
		return st;
	memset(&c, 0, sizeof c);
	c.a = a;
	c.in = in;
	c.out = out;
	c.e = e;
	if (in->program == NULL)
		return err_set(e, ST_USAGE, "program: missing (--program)");
	if ((in->partner == NULL) == (in->customer == NULL))
		return err_set(e, ST_USAGE, "referrer: give exactly one of --partner or --customer");
	if (in->customer && (st = email_normalise(in->customer, &c.email, "customer", e)) != ST_OK)
		return st;
	if (in->name && (st = util_text(in->name, false, NAME_MAX_LEN, &c.name, "name", e)) != ST_OK)
		goto done;
	if (in->vanity && ((st = code_vanity_check(in->vanity, c.vanity, "vanity", e)) != ST_OK ||
	    (st = names_check(c.vanity, "vanity", e)) != ST_OK))
		goto done;
	st = store_write(a->store, code_write, &c, e);
	if (st == ST_OK)
		*link = c.link;
	else
		free(c.link);
done:
	free(c.email);
	free(c.name);
	return st;
}

struct codeflag_ctx {
	const char *code;
	bool disabled;
	struct err *e;
};

static enum status
code_flag_write(struct txn *t, void *vctx)
{
	struct codeflag_ctx *c = vctx;
	struct code k;
	uint64_t id;
	enum status st;

	if ((st = app_resolve(t, KIND_CODE, c->code, &id, c->e)) != ST_OK)
		return st;
	if ((st = rec_get(t, KIND_CODE, id, &k)) != ST_OK)
		return st;
	if (k.disabled != (int32_t)c->disabled) {
		k.disabled = c->disabled;
		rec_put(t, KIND_CODE, &k);
	}
	rec_free(KIND_CODE, &k);
	return txn_status(t);
}

enum status
app_code_set_disabled(struct app *a, const char *code, bool disabled, struct err *e)
{
	struct codeflag_ctx c = { code, disabled, e };
	enum status st;

	if ((st = app_require(a, PERM_PROGRAM_WRITE, e)) != ST_OK)
		return st;
	return store_write(a->store, code_flag_write, &c, e);
}

/* ---- users ---- */

enum user_op { USER_ADD, USER_ROLE, USER_REMOVE };

struct user_ctx {
	enum user_op op;
	const char *login;
	int role;
	const char *partner;
	uint64_t id;
	struct err *e;
};

static enum status
check_login(const char *login, struct err *e)
{
	const char *p;

	if (login == NULL || *login == '\0')
		return err_set(e, ST_USAGE, "login: missing");
	if (strlen(login) > 64)
		return err_set(e, ST_DATA, "login: longer than 64 characters");
	for (p = login; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '_' || *p == '-' || *p == '.' || *p == '@' || *p == '+'))
			return err_set(e, ST_DATA, "login: only letters, digits and _ - . @ + are allowed");
	}
	return ST_OK;
}

/* Admins left besides `except`. */
static int
admins_besides(struct txn *t, uint64_t except)
{
	struct iter *it = iter_kind(t, KIND_USER, false);
	struct user u;
	uint64_t id;
	int n = 0;

	while (iter_next(it, &id)) {
		if (id != except && iter_rec(it, &u) == ST_OK) {
			if (u.role == ROLE_ADMIN)
				n++;
			rec_free(KIND_USER, &u);
		}
	}
	iter_close(it);
	return n;
}

static enum status
user_write(struct txn *t, void *vctx)
{
	struct user_ctx *c = vctx;
	struct user u;
	struct key k;
	uint64_t id;
	enum status st = ST_OK;

	key_init(&k);
	key_str(&k, c->login, true);
	id = idx_find(t, IDX_USER_LOGIN, &k);
	if (c->op == USER_ADD) {
		if (id)
			return err_set(c->e, ST_EXISTS, "user \"%s\" already exists", c->login);
		memset(&u, 0, sizeof u);
		u.login = xstrdup(c->login);
	} else if (id == 0) {
		return err_set(c->e, ST_NOTFOUND, "user \"%s\" not found", c->login);
	} else if ((st = rec_get(t, KIND_USER, id, &u)) != ST_OK) {
		return st;
	}
	/* Never lock everyone out. */
	if (id && u.role == ROLE_ADMIN && (c->op == USER_REMOVE || c->role != ROLE_ADMIN) &&
	    admins_besides(t, id) == 0) {
		rec_free(KIND_USER, &u);
		return err_set(c->e, ST_DATA, "user \"%s\" is the last admin: make another admin first", c->login);
	}
	if (c->op == USER_REMOVE) {
		rec_free(KIND_USER, &u);
		rec_del(t, KIND_USER, id);
		return txn_status(t);
	}
	/* A portal login is a partner's, reached over SSH with a password:
	 * it must never become staff (nor staff a portal login). */
	if (c->op == USER_ROLE && (u.role == ROLE_PARTNER) != (c->role == ROLE_PARTNER)) {
		bool portal = u.role == ROLE_PARTNER;
		rec_free(KIND_USER, &u);
		return err_set(c->e, ST_USAGE, portal ?
		    "role: \"%s\" is a partner's portal login and cannot be given a staff role" :
		    "role: \"%s\" is a staff login and cannot become a portal login", c->login);
	}
	u.role = c->role;
	if (u.role == ROLE_PARTNER) {
		if (c->partner) {
			st = app_resolve(t, KIND_PARTNER, c->partner, &u.partner, c->e);
			if (st != ST_OK)
				err_prefix(c->e, "partner");
		} else if (u.partner == 0) {
			st = err_set(c->e, ST_USAGE, "partner: a partner user needs --partner");
		}
	} else {
		u.partner = 0;
	}
	if (st == ST_OK)
		rec_put(t, KIND_USER, &u);
	c->id = u.id;
	rec_free(KIND_USER, &u);
	return st != ST_OK ? st : txn_status(t);
}

static enum status
parse_role(const char *s, int *role, struct err *e)
{
	enum role r;

	if (s == NULL)
		return err_set(e, ST_USAGE, "role: missing (--role admin|manager|support|partner)");
	if (!role_parse(s, &r))
		return err_set(e, ST_DATA, "role: \"%s\" must be admin, manager, support or partner", s);
	*role = r;
	return ST_OK;
}

enum status
app_user_add(struct app *a, const char *login, const char *role, const char *partner,
    uint64_t *out_id, struct err *e)
{
	struct user_ctx c = { USER_ADD, login, 0, partner, 0, e };
	enum status st;

	if ((st = app_require(a, PERM_ADMIN, e)) != ST_OK || (st = check_login(login, e)) != ST_OK ||
	    (st = parse_role(role, &c.role, e)) != ST_OK)
		return st;
	if (partner && c.role != ROLE_PARTNER)
		return err_set(e, ST_USAGE, "partner: only a partner user has a partner");
	st = store_write(a->store, user_write, &c, e);
	if (st == ST_OK && out_id)
		*out_id = c.id;
	return st;
}

enum status
app_user_set_role(struct app *a, const char *login, const char *role, struct err *e)
{
	struct user_ctx c = { USER_ROLE, login, 0, NULL, 0, e };
	enum status st;

	if ((st = app_require(a, PERM_ADMIN, e)) != ST_OK || (st = parse_role(role, &c.role, e)) != ST_OK)
		return st;
	return store_write(a->store, user_write, &c, e);
}

enum status
app_user_remove(struct app *a, const char *login, struct err *e)
{
	struct user_ctx c = { USER_REMOVE, login, 0, NULL, 0, e };
	enum status st;

	if ((st = app_require(a, PERM_ADMIN, e)) != ST_OK)
		return st;
	return store_write(a->store, user_write, &c, e);
}
