/*
 * partners.c - tiers, partners and their agreements: the people a
 * company pays and the rules their tier gives them.  A partner's name is
 * kept in step with its referrer record (lookups show it).
 *
 * Each save checks its text inputs (NULL = not given) and writes in one
 * short transaction (app_write); app_partner_save_in is the same save in
 * an import's transaction.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app/app_int.h"
#include "app/payee.h"
#include "core/alloc.h"
#include "core/date.h"
#include "core/str.h"
#include "core/clock.h"
#include "domain/email.h"
#include "domain/rule.h"

/* ---- tiers ---- */

struct tier_ctx {
	struct app *a;
	uint64_t id;            /* 0 = new */
	const struct tier_input *in;
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
	struct err e = { ST_OK, "" };

	if (c->id) {
		if ((st = rec_get(t, KIND_TIER, c->id, &r)) != ST_OK)
			return app_fail(t, st, &e);
	} else {
		memset(&r, 0, sizeof r);
		r.exclusivity_days = 90;
		if (in->name == NULL)
			return txn_fail(t, ST_USAGE, "name: missing");
	}
	if (st == ST_OK && in->name && (st = util_name(in->name, &s, "name", &e)) == ST_OK)
		util_replace(&r.name, s);
	if (st == ST_OK && in->rule) {
		struct rule rule;
		if ((st = rule_parse(in->rule, c->a->cur, &rule, &e)) == ST_OK &&
		    (st = util_text(in->rule, true, 500, &s, "rule", &e)) == ST_OK)
			util_replace(&r.rule, s);
	}
	if (st == ST_OK)
		st = util_bonus(in->bonus, false, c->a->cur, &r.bonus, &e);
	if (st == ST_OK)
		st = util_override(in->override, &r.override_bp, &e);
	if (st == ST_OK && in->rank && (st = util_int(in->rank, 0, 1000, &n, "rank", &e)) == ST_OK)
		r.rank = (int32_t)n;
	if (st == ST_OK && in->exclusivity &&
	    (st = util_int(in->exclusivity, 0, 3650, &n, "exclusivity", &e)) == ST_OK)
		r.exclusivity_days = (int32_t)n;
	if (st == ST_OK && in->max_deals &&
	    (st = util_int(in->max_deals, 0, 100000, &n, "max-deals", &e)) == ST_OK)
		r.max_deals = (int32_t)n;
	if (st == ST_OK)
		st = util_name_free(t, IDX_TIER_NAME, KIND_TIER, r.name, r.id, &e);
	if (st == ST_OK)
		rec_put(t, KIND_TIER, &r);
	c->out = r.id;
	rec_free(KIND_TIER, &r);
	return app_fail(t, st, &e);
}

enum status
app_tier_save(struct app *a, uint64_t id, const struct tier_input *in, uint64_t *out_id,
    struct err *e)
{
	struct tier_ctx c = { a, id, in, 0 };
	enum status st;

	st = app_write(a, PERM_PARTNER_WRITE, NULL, tier_write, &c, e);
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
	uint64_t out;
};

/* A parent partner: one level only, so no cycle can form. */
static enum status
parent_apply(struct txn *t, struct partner *p, const char *ref, struct err *e)
{
	struct partner parent;
	uint64_t id;
	enum status st;

	if (*ref == '\0') {
		p->parent = 0;
		return ST_OK;
	}
	if ((st = app_resolve(t, KIND_PARTNER, ref, &id, e)) != ST_OK) {
		err_prefix(e, "parent");
		return st;
	}
	if (p->id && id == p->id)
		return err_set(e, ST_DATA, "parent: a partner cannot be its own parent");
	if ((st = rec_get(t, KIND_PARTNER, id, &parent)) != ST_OK)
		return err_set(e, st, "parent: P%llu not found", (unsigned long long)id);
	if (parent.parent) {
		char *n = str_visible_cut(parent.name ? parent.name : "", 40);
		st = err_set(e, ST_DATA, "parent: %s is a sub-partner itself (one level only)", n);
		free(n);
		rec_free(KIND_PARTNER, &parent);
		return st;
	}
	rec_free(KIND_PARTNER, &parent);
	if (p->id && util_index_has(t, IDX_PARTNER_PARENT, p->id))
		return err_set(e, ST_DATA, "parent: this partner has sub-partners of its own (one level only)");
	if (p->parent != id)
		p->parent_since = clock_now();
	p->parent = id;
	return ST_OK;
}

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
	if ((st = payee_apply(p, &(struct payee_input){ in->payout_method, in->iban, in->bic,
	    in->holder }, e)) != ST_OK)
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
	if (in->parent && (st = parent_apply(t, p, in->parent, e)) != ST_OK)
		return st;
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

/* The save itself; data errors go to e and leave t alone, so an import
 * can go on to its other rows. */
static enum status
partner_do(struct txn *t, struct partner_ctx *c, struct err *e)
{
	struct partner p;
	enum status st;

	if (c->id) {
		if ((st = rec_get(t, KIND_PARTNER, c->id, &p)) != ST_OK)
			return st == ST_NOTFOUND ? err_set(e, st, "partner P%llu not found",
			    (unsigned long long)c->id) : st;
	} else {
		memset(&p, 0, sizeof p);
		p.status = PARTNER_ACTIVE;
		if (c->in->name == NULL)
			return err_set(e, ST_USAGE, "name: missing");
		if (c->in->email == NULL)
			return err_set(e, ST_USAGE, "email: missing (--email)");
	}
	if (c->in) {
		st = partner_apply(t, &p, c->in, e);
	} else {
		st = ST_OK;
		p.status = c->status;
	}
	if (st == ST_OK)
		st = util_name_free(t, IDX_PARTNER_NAME, KIND_PARTNER, p.name, p.id, e);
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

static enum status
partner_write(struct txn *t, void *vctx)
{
	struct err e = { ST_OK, "" };

	return app_fail(t, partner_do(t, vctx, &e), &e);
}

enum status
app_partner_save_in(struct app *a, struct txn *t, const struct partner_input *in,
    uint64_t *out_id, struct err *e)
{
	struct partner_ctx c = { a, 0, in, 0, 0 };
	enum status st = partner_do(t, &c, e);

	if (st == ST_OK && out_id)
		*out_id = c.out;
	return st;
}

enum status
app_partner_save(struct app *a, uint64_t id, const struct partner_input *in, uint64_t *out_id,
    struct err *e)
{
	struct partner_ctx c = { a, id, in, 0, 0 };
	enum status st;

	st = app_write(a, PERM_PARTNER_WRITE, NULL, partner_write, &c, e);
	if (st == ST_OK && out_id)
		*out_id = c.out;
	return st;
}

enum status
app_partner_set_status(struct app *a, uint64_t id, enum partner_status to, struct err *e)
{
	struct partner_ctx c = { a, id, NULL, to, 0 };

	return app_write(a, PERM_PARTNER_WRITE, NULL, partner_write, &c, e);
}

/* ---- agreements ---- */

struct agreement_ctx {
	struct app *a;
	const struct agreement_input *in;
	uint64_t id;
};

static enum status
agreement_write(struct txn *t, void *vctx)
{
	struct agreement_ctx *c = vctx;
	const struct agreement_input *in = c->in;
	struct agreement g;
	enum status st;
	struct err e = { ST_OK, "" };

	memset(&g, 0, sizeof g);
	if ((st = app_resolve(t, KIND_PARTNER, in->partner, &g.partner, &e)) != ST_OK)
		return app_fail(t, st, &e);
	if ((st = util_text(in->title, true, NAME_MAX_LEN, &g.title, "title", &e)) != ST_OK)
		goto out;
	if (in->signed_on == NULL) {
		st = txn_fail(t, ST_USAGE, "signed: missing (--signed YYYY-MM-DD)");
		goto out;
	}
	if ((st = date_parse_day(in->signed_on, &g.signed_at, "signed", &e)) != ST_OK)
		goto out;
	if (in->expires && *in->expires &&
	    (st = date_parse_day(in->expires, &g.expires, "expires", &e)) != ST_OK)
		goto out;
	if (g.expires && g.expires <= g.signed_at) {
		st = txn_fail(t, ST_DATA, "expires: must be after the signed date");
		goto out;
	}
	if (in->document && (st = util_text(in->document, false, 1000, &g.document, "document", &e)) != ST_OK)
		goto out;
	rec_put(t, KIND_AGREEMENT, &g);
	c->id = g.id;
out:
	rec_free(KIND_AGREEMENT, &g);
	return app_fail(t, st, &e);
}

enum status
app_agreement_add(struct app *a, const struct agreement_input *in, uint64_t *out_id,
    struct err *e)
{
	struct agreement_ctx c = { a, in, 0 };
	enum status st;

	st = app_write(a, PERM_PARTNER_WRITE, NULL, agreement_write, &c, e);
	if (st == ST_OK && out_id)
		*out_id = c.id;
	return st;
}
