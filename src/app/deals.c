/*
 * deals.c - deal registration and the pipeline (see deals.h).
 *
 * Expiry is applied whenever deals are written (every approved
 * registration past its exclusivity without a win becomes expired) and
 * shown as such whenever they are read, so no deal ever blocks another
 * longer than its tier promised.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app/payee.h"
#include "app/deals.h"
#include "app/app_int.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/date.h"
#include "domain/deal.h"
#include "domain/email.h"

void
deal_conflict_text(const struct deal_conflict *c, char *buf, size_t size)
{
	char *who = str_visible(c->who);

	if (c->days_left >= 0)
		snprintf(buf, size, "D%llu (%s, %s, %d day%s of exclusivity left): %s",
		    (unsigned long long)c->deal, who, c->stage, c->days_left, c->days_left == 1 ? "" : "s",
		    c->why);
	else
		snprintf(buf, size, "D%llu (%s, open direct deal): %s", (unsigned long long)c->deal, who, c->why);
	free(who);
}

/* Calendar days in the organisation's zone from today to the last
 * exclusive day, both counted (DST days are days too). */
static int
days_left(int64_t until, int64_t now)
{
	int64_t day = date_day_start(now);
	int n = 0;

	while (day < until && n < 100000) {
		day = date_add_days(day, 1);
		n++;
	}
	return n;
}

static void
fill_conflict(struct txn *t, const struct deal *d, const char *why, int64_t now,
    struct deal_conflict *c)
{
	memset(c, 0, sizeof *c);
	c->deal = d->id;
	c->direct = d->direct != 0;
	snprintf(c->stage, sizeof c->stage, "%s", deal_stage_name(deal_effective_stage(d, now)));
	snprintf(c->why, sizeof c->why, "%s", why);
	c->days_left = d->direct ? -1 : days_left(d->exclusive_until, now);
	if (d->direct) {
		snprintf(c->who, sizeof c->who, "direct pipeline");
	} else {
		struct partner p;
		if (rec_get(t, KIND_PARTNER, d->partner, &p) == ST_OK) {
			snprintf(c->who, sizeof c->who, "%s", p.name);
			rec_free(KIND_PARTNER, &p);
		} else {
			snprintf(c->who, sizeof c->who, "P%llu", (unsigned long long)d->partner);
		}
	}
}

/* The first deal (other than `self`) that blocks this domain or company. */
static bool
find_conflict(struct txn *t, const char *domain, const char *company_key, uint64_t self,
    int64_t now, struct deal_conflict *out)
{
	const enum index ixs[2] = { IDX_DEAL_DOMAIN, IDX_DEAL_COMPANY };
	const char *vals[2] = { domain, company_key };
	int i;

	for (i = 0; i < 2; i++) {
		struct key k;
		struct iter *it;
		uint64_t id;
		bool found = false;
		if (vals[i] == NULL || vals[i][0] == '\0')
			continue;
		key_init(&k);
		key_str(&k, vals[i], true);
		it = iter_index(t, ixs[i], &k, false);
		while (!found && iter_next(it, &id)) {
			struct deal d;
			if (id == self || rec_get(t, KIND_DEAL, id, &d) != ST_OK)
				continue;
			if (deal_blocks(&d, now)) {
				char why[48];
				snprintf(why, sizeof why, "same %s %.30s", i == 0 ? "domain" : "company",
				    i == 0 ? vals[i] : d.company);
				fill_conflict(t, &d, why, now, out);
				found = true;
			}
			rec_free(KIND_DEAL, &d);
		}
		iter_close(it);
		if (found)
			return true;
	}
	memset(out, 0, sizeof *out);
	return false;
}

/* Approved registrations past their exclusivity become expired. */
static void
expire_deals(struct txn *t, int64_t now)
{
	struct iter *it = iter_kind(t, KIND_DEAL, false);
	uint64_t *ids = NULL, id;
	size_t n = 0, cap = 0, i;

	while (iter_next(it, &id)) {
		struct deal d;
		if (iter_rec(it, &d) != ST_OK)
			continue;
		if (d.stage == DEAL_APPROVED && deal_effective_stage(&d, now) == DEAL_EXPIRED) {
			ids = xgrow(ids, &cap, n + 1, sizeof *ids);
			ids[n++] = id;
		}
		rec_free(KIND_DEAL, &d);
	}
	iter_close(it);
	for (i = 0; i < n; i++) {
		struct deal d;
		if (rec_get(t, KIND_DEAL, ids[i], &d) != ST_OK)
			continue;
		d.stage = DEAL_EXPIRED;
		d.closed_at = d.exclusive_until;
		rec_put(t, KIND_DEAL, &d);
		rec_free(KIND_DEAL, &d);
	}
	free(ids);
}

static int64_t
open_registrations(struct txn *t, uint64_t partner, int64_t now)
{
	struct key k;
	struct iter *it;
	uint64_t id;
	int64_t n = 0;

	key_init(&k);
	key_u64(&k, partner);
	it = iter_index(t, IDX_DEAL_PARTNER, &k, false);
	while (iter_next(it, &id)) {
		struct deal d;
		if (rec_get(t, KIND_DEAL, id, &d) != ST_OK)
			continue;
		if (!d.direct && deal_open(&d, now))
			n++;
		rec_free(KIND_DEAL, &d);
	}
	iter_close(it);
	return n;
}

struct reg_ctx {
	struct app *a;
	const struct deal_input *in;
	uint64_t id;
	struct deal_conflict *conflict;
};

enum status
app_deal_register_in(struct app *a, struct txn *t, const struct deal_input *in, uint64_t *out_id,
    struct deal_conflict *conflict, struct err *e)
{
	struct deal d;
	struct partner p;
	int64_t now = clock_now();
	enum status st;
	bool have_partner = false;

	memset(&d, 0, sizeof d);
	memset(conflict, 0, sizeof *conflict);
	if (!in->direct && (in->partner == NULL || *in->partner == '\0'))
		return err_set(e, ST_USAGE, "partner: missing (--partner, or --direct for a direct deal)");
	if (in->direct && in->partner)
		return err_set(e, ST_USAGE, "partner: a direct deal has no partner");
	if (!in->direct) {
		if ((st = app_resolve(t, KIND_PARTNER, in->partner, &d.partner, e)) != ST_OK)
			return st;
		if ((st = rec_get(t, KIND_PARTNER, d.partner, &p)) != ST_OK)
			return util_txn_err(t, e);
		have_partner = true;
		if (p.status == PARTNER_SUSPENDED) {
			st = err_set(e, ST_DATA, "partner: %s is suspended", p.name);
			goto out;
		}
	}
	d.direct = in->direct;
	if ((st = util_text(in->company, true, NAME_MAX_LEN, &d.company, "company", e)) != ST_OK)
		goto out;
	d.company_key = deal_company_key(d.company);
	if ((st = deal_domain_normalise(in->domain, &d.domain, "domain", e)) != ST_OK)
		goto out;
	if (in->value == NULL) {
		st = err_set(e, ST_USAGE, "value: missing (--value AMOUNT)");
		goto out;
	}
	if ((st = money_parse(in->value, a->cur, false, &d.value, "value", e)) != ST_OK)
		goto out;
	memcpy(d.currency, a->cur->code, 4);
	if (in->close && *in->close && (st = date_parse_day(in->close, &d.close_date, "close", e)) != ST_OK)
		goto out;
	if (in->contact && *in->contact && (st = email_normalise(in->contact, &d.contact, "contact", e)) != ST_OK)
		goto out;
	if ((st = util_text_lines(in->notes, TEXT_MAX_LEN, &d.notes, "notes", e)) != ST_OK)
		goto out;
	expire_deals(t, now);
	if (have_partner) {
		struct tier tr;
		if (p.tier && rec_get(t, KIND_TIER, p.tier, &tr) == ST_OK) {
			int64_t open = open_registrations(t, d.partner, now);
			if (tr.max_deals > 0 && open >= tr.max_deals)
				st = err_set(e, ST_DATA, "partner: %s has %lld open registrations, the most tier %s allows",
				    p.name, (long long)open, tr.name);
			rec_free(KIND_TIER, &tr);
			if (st != ST_OK)
				goto out;
		}
	}
	if (find_conflict(t, d.domain, d.company_key, 0, now, conflict)) {
		char why[256];
		if (in->direct) {
			/* The company's own pipeline is recorded regardless; the
			 * partner's exclusivity is for the admins to settle. */
			d.stage = DEAL_APPROVED;
		} else {
			deal_conflict_text(conflict, why, sizeof why);
			d.stage = DEAL_CONFLICT;
			d.reason = xasprintf("conflicts with %s", why);
		}
	} else {
		d.stage = in->direct ? DEAL_APPROVED : DEAL_SUBMITTED;
	}
	if (in->direct)
		d.approved_at = now;
	rec_put(t, KIND_DEAL, &d);
	if (out_id)
		*out_id = d.id;
	st = util_txn_err(t, e);
out:
	if (have_partner)
		rec_free(KIND_PARTNER, &p);
	rec_free(KIND_DEAL, &d);
	return st;
}

static enum status
reg_write(struct txn *t, void *vctx)
{
	struct reg_ctx *c = vctx;
	struct err e = { ST_OK, "" };

	return app_fail(t, app_deal_register_in(c->a, t, c->in, &c->id, c->conflict, &e), &e);
}

enum status
app_deal_register(struct app *a, const struct deal_input *in, uint64_t *id,
    struct deal_conflict *conflict, struct err *e)
{
	struct reg_ctx c = { a, in, 0, conflict };
	enum status st;

	st = app_write(a, PERM_DEAL_REGISTER, "deal register", reg_write, &c, e);
	if (st == ST_OK)
		*id = c.id;
	return st;
}

enum status
app_deal_check(struct app *a, const char *domain, const char *company,
    struct deal_conflict *conflict, struct err *e)
{
	struct txn *t;
	char *dom = NULL, *key = NULL;
	enum status st;

	memset(conflict, 0, sizeof *conflict);
	/* A lookup, like deal list: support may answer "is this taken?" */
	if ((st = app_require(a, PERM_PROGRAM_READ, e)) != ST_OK)
		return st;
	if (domain && *domain && (st = deal_domain_normalise(domain, &dom, "domain", e)) != ST_OK)
		return st;
	if (company && *company)
		key = deal_company_key(company);
	if (dom == NULL && key == NULL) {
		return err_set(e, ST_USAGE, "domain: give --domain (and/or --company)");
	}
	t = txn_begin_read(a->store);
	find_conflict(t, dom, key, 0, clock_now(), conflict);
	st = util_txn_err(t, e);
	txn_end(t);
	free(dom);
	free(key);
	return st;
}

struct decide_ctx {
	struct app *a;
	uint64_t id;
	enum deal_action act;
	const char *reason;
	int64_t value, date;
	struct deal_conflict *conflict;
};

static enum status
deal_decide_write(struct txn *t, void *vctx)
{
	static const char *const names[] = { "deal approve", "deal reject", "deal win", "deal lose" };
	static const int32_t target[] = { DEAL_APPROVED, DEAL_REJECTED, DEAL_WON, DEAL_LOST };
	struct decide_ctx *c = vctx;
	struct deal d;
	int64_t now = clock_now();
	int32_t cur;
	enum status st;
	struct err e = { ST_OK, "" };

	txn_set_action(t, names[c->act], false);
	expire_deals(t, now);
	if ((st = rec_get(t, KIND_DEAL, c->id, &d)) != ST_OK)
		return app_fail(t, st, &e);
	cur = deal_effective_stage(&d, now);
	if (!deal_transition_ok(cur, target[c->act]) ||
	    (d.direct && (c->act == DEAL_DO_APPROVE || c->act == DEAL_DO_REJECT))) {
		st = txn_fail(t, ST_DATA, "deal D%llu is %s%s: it cannot be %s", (unsigned long long)d.id,
		    d.direct ? "a direct deal, " : "", deal_stage_name(cur),
		    c->act == DEAL_DO_APPROVE ? "approved" : c->act == DEAL_DO_REJECT ? "rejected" :
		    c->act == DEAL_DO_WIN ? "won (approve it first)" : "lost");
		goto out;
	}
	switch (c->act) {
	case DEAL_DO_APPROVE: {
		struct partner p;
		int days = DEAL_DEFAULT_EXCLUSIVITY;
		if (find_conflict(t, d.domain, d.company_key, d.id, now, c->conflict)) {
			char why[256];
			deal_conflict_text(c->conflict, why, sizeof why);
			st = txn_fail(t, ST_CONFLICT, "deal D%llu conflicts with %s", (unsigned long long)d.id, why);
			goto out;
		}
		if (rec_get(t, KIND_PARTNER, d.partner, &p) == ST_OK) {
			struct tier tr;
			if (p.tier && rec_get(t, KIND_TIER, p.tier, &tr) == ST_OK) {
				days = tr.exclusivity_days;
				rec_free(KIND_TIER, &tr);
			}
			rec_free(KIND_PARTNER, &p);
		}
		d.stage = DEAL_APPROVED;
		d.approved_at = now;
		d.exclusive_until = date_add_days(date_day_start(now), days + 1);
		util_replace(&d.reason, NULL);
		break;
	}
	case DEAL_DO_REJECT:
		d.stage = DEAL_REJECTED;
		d.closed_at = now;
		util_replace(&d.reason, xstrdup(c->reason));
		break;
	case DEAL_DO_WIN:
		d.stage = DEAL_WON;
		d.final_value = c->value;
		d.won_at = c->date ? c->date : now;
		d.closed_at = now;
		break;
	case DEAL_DO_LOSE:
		d.stage = DEAL_LOST;
		d.closed_at = now;
		util_replace(&d.reason, c->reason ? xstrdup(c->reason) : NULL);
		break;
	}
	rec_put(t, KIND_DEAL, &d);
	if (c->act == DEAL_DO_WIN && !d.direct)
		st = ledger_deal_won(c->a, t, &d, &e);
out:
	rec_free(KIND_DEAL, &d);
	return app_fail(t, st, &e);
}

enum status
app_deal_decide(struct app *a, const char *id, enum deal_action act, const char *reason,
    const char *value, const char *date, struct deal_conflict *conflict, struct err *e)
{
	struct decide_ctx c;
	struct deal_conflict scratch;
	enum status st;
	char *clean = NULL;

	memset(&c, 0, sizeof c);
	c.a = a;
	c.act = act;
	c.conflict = conflict ? conflict : &scratch;
	memset(c.conflict, 0, sizeof *c.conflict);
	if ((st = app_require(a, PERM_DEAL_REVIEW, e)) != ST_OK)
		return st;
	if (act == DEAL_DO_REJECT && (reason == NULL || *reason == '\0'))
		return err_set(e, ST_USAGE, "reason: missing (--reason TEXT: the partner will see it)");
	if (reason && (st = util_text(reason, act == DEAL_DO_REJECT, 500, &clean, "reason", e)) != ST_OK)
		return st;
	c.reason = clean;
	if (act == DEAL_DO_WIN) {
		if (value == NULL)
			st = err_set(e, ST_USAGE, "value: missing (--value FINAL_AMOUNT)");
		else
			st = money_parse(value, a->cur, false, &c.value, "value", e);
		if (st == ST_OK && date && (st = date_parse_time(date, &c.date, "date", e)) == ST_OK &&
		    c.date > clock_now() + 300)
			st = err_set(e, ST_DATA, "date: a deal cannot be won in the future");
		if (st != ST_OK) {
			free(clean);
			return st;
		}
	}
	if ((st = app_resolve_ref(a, KIND_DEAL, id, &c.id, e)) != ST_OK) {
		free(clean);
		return st;
	}
	st = app_write(a, PERM_DEAL_REVIEW, NULL, deal_decide_write, &c, e);
	free(clean);
	return st;
}

enum status
app_deal_pipeline(struct app *a, const char *partner, const char *tier, struct pipeline *out,
    struct err *e)
{
	struct txn *t;
	struct iter *it;
	uint64_t id, pid = 0, tid = 0;
	int64_t now = clock_now();
	enum status st;

	memset(out, 0, sizeof *out);
	memcpy(out->currency, a->cur->code, 4);
	if ((st = app_require(a, PERM_PROGRAM_READ, e)) != ST_OK)
		return st;
	t = txn_begin_read(a->store);
	if ((partner && (st = app_resolve(t, KIND_PARTNER, partner, &pid, e)) != ST_OK) ||
	    (tier && (st = app_resolve(t, KIND_TIER, tier, &tid, e)) != ST_OK)) {
		txn_end(t);
		return st;
	}
	it = iter_kind(t, KIND_DEAL, false);
	while (iter_next(it, &id)) {
		struct deal d;
		struct pipeline_cell *cell;
		int32_t stg;
		if (iter_rec(it, &d) != ST_OK)
			continue;
		if (pid && d.partner != pid)
			goto next;
		if (tid) {
			struct partner p;
			bool in_tier = false;
			if (!d.direct && rec_get(t, KIND_PARTNER, d.partner, &p) == ST_OK) {
				in_tier = p.tier == tid;
				rec_free(KIND_PARTNER, &p);
			}
			if (!in_tier)
				goto next;
		}
		stg = deal_effective_stage(&d, now);
		cell = d.direct ? &out->direct[stg] : &out->partner[stg];
		cell->count++;
		cell->value += stg == DEAL_WON ? d.final_value : d.value;
next:
		rec_free(KIND_DEAL, &d);
	}
	iter_close(it);
	st = util_txn_err(t, e);
	txn_end(t);
	return st;
}

struct settings_ctx {
	struct app *a;
	const struct settings_input *in;
};

static enum status
settings_write(struct txn *t, void *vctx)
{
	struct settings_ctx *c = vctx;
	struct settings s;
	enum status st;
	char *v;
	struct err e = { ST_OK, "" };

	if ((st = rec_get(t, KIND_SETTINGS, 1, &s)) != ST_OK)
		return txn_status(t);
	if (c->in->org) {
		if ((st = util_text(c->in->org, true, NAME_MAX_LEN, &v, "org", &e)) != ST_OK)
			goto out;
		util_replace(&s.org, v);
	}
	if (c->in->timezone) {
		if (!date_zone_valid(c->in->timezone)) {
			st = txn_fail(t, ST_DATA, "timezone: \"%s\" is not a known time zone (e.g. Europe/Berlin, UTC)",
			    c->in->timezone);
			goto out;
		}
		util_replace(&s.timezone, xstrdup(c->in->timezone));
	}
	if (c->in->deal_rule) {
		if (*c->in->deal_rule == '\0') {
			util_replace(&s.deal_rule, NULL);
		} else {
			struct rule r;
			if ((st = rule_parse(c->in->deal_rule, c->a->cur, &r, &e)) != ST_OK)
				goto out;
			if ((st = util_text(c->in->deal_rule, true, 500, &v, "deal-rule", &e)) != ST_OK)
				goto out;
			util_replace(&s.deal_rule, v);
		}
	}
	if ((st = payee_debtor(&s, c->in->debtor_name, c->in->debtor_iban, c->in->debtor_bic,
	    &e)) != ST_OK)
		goto out;
	rec_put(t, KIND_SETTINGS, &s);
	st = txn_status(t);
out:
	rec_free(KIND_SETTINGS, &s);
	return app_fail(t, st, &e);
}

enum status
app_settings_set(struct app *a, const struct settings_input *in, struct err *e)
{
	struct settings_ctx c = { a, in };

	return app_write(a, PERM_ADMIN, "settings set", settings_write, &c, e);
}

enum status
app_settings_read(struct app *a, const struct settings **out, struct err *e)
{
	enum status st;

	*out = NULL;
	if ((st = app_require(a, PERM_ADMIN, e)) != ST_OK)
		return st;
	*out = &a->settings;
	return ST_OK;
}

bool
deal_find_conflict(struct txn *t, const char *domain, const char *company_key, int64_t now,
    struct deal_conflict *conflict)
{
	memset(conflict, 0, sizeof *conflict);
	return find_conflict(t, domain, company_key, 0, now, conflict);
}
