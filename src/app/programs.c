/*
 * programs.c - programs, the records people set up by hand to say what
 * they pay for: their rule, window, events, hold, eligibility, tiers,
 * limits and cap, and their status (draft, active, paused, ended).
 *
 * Each save takes text inputs (NULL = not given), checks every field into a
 * copy of the record, in one short transaction that re-reads what it
 * depends on (app_write).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app/app_int.h"
#include "core/alloc.h"
#include "core/date.h"
#include "core/str.h"
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
	uint64_t out;           /* the id written (store_write may run us twice) */
};

/* A referee reward is one flat or percent body, optionally with a cap
 * and a duration: the contact's first qualifying conversion earns it (or
 * each one inside the duration). */
static enum status
referee_rule_check(const char *text, const struct currency *cur, struct err *e)
{
	struct rule r;
	enum status st;

	if ((st = rule_parse(text, cur, &r, e)) != ST_OK) {
		err_prefix(e, "referee-reward");
		return st;
	}
	if (r.kind != RULE_FLAT && r.kind != RULE_PERCENT)
		return err_set(e, ST_DATA, "referee-reward: \"%s\" must be flat or percent, optionally with "
		    "cap and for (e.g. \"flat 10.00\")", text);
	return ST_OK;
}

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
	if (in->referee_rule && *in->referee_rule == '\0') {
		util_replace(&p->referee_rule, NULL);
	} else if (in->referee_rule || (p->referee_rule && in->currency)) {
		if ((st = referee_rule_check(in->referee_rule ? in->referee_rule : p->referee_rule, cur, e)) != ST_OK)
			return st;
		if (in->referee_rule) {
			if ((st = util_text(in->referee_rule, true, 500, &s, "referee-reward", e)) != ST_OK)
				return st;
			util_replace(&p->referee_rule, s);
		}
	}
	if ((st = util_bonus(in->bonus, in->currency != NULL, cur, &p->bonus, e)) != ST_OK)
		return st;
	if ((st = util_override(in->override, &p->override_bp, e)) != ST_OK)
		return st;
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
	struct err e = { ST_OK, "" };

	if (c->id) {
		if ((st = rec_get(t, KIND_PROGRAM, c->id, &p)) != ST_OK)
			return st == ST_NOTFOUND ? txn_fail(t, st, "program PG%llu not found",
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
		st = txn_fail(t, ST_USAGE, "name: missing");
	else
		st = program_apply(c->a, t, &p, c->in, &e);
	if (st == ST_OK)
		st = util_name_free(t, IDX_PROGRAM_NAME, KIND_PROGRAM, p.name, p.id, &e);
	if (st == ST_OK && c->in->activate) {
		if (p.status == PROGRAM_ENDED)
			st = txn_fail(t, ST_DATA, "activate: program has ended");
		else
			p.status = PROGRAM_ACTIVE;
	}
	if (st == ST_OK)
		rec_put(t, KIND_PROGRAM, &p);
	c->out = p.id;
	rec_free(KIND_PROGRAM, &p);
	return app_fail(t, st, &e);
}

enum status
app_program_save(struct app *a, uint64_t id, const struct program_input *in,
    uint64_t *out_id, struct err *e)
{
	struct program_ctx c = { a, id, in, 0 };
	enum status st;

	st = app_write(a, PERM_PROGRAM_WRITE, NULL, program_write, &c, e);
	if (st == ST_OK && out_id)
		*out_id = c.out;
	return st;
}

struct pstatus_ctx {
	uint64_t id;
	int to;
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
		st = txn_fail(t, ST_DATA, "program %s has ended and cannot be %s", p.name,
		    c->to == PROGRAM_ACTIVE ? "activated" : "paused");
	else if (c->to == PROGRAM_PAUSED && p.status != PROGRAM_ACTIVE)
		st = txn_fail(t, ST_DATA, "program %s is %s: only an active program can be paused",
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
	struct pstatus_ctx c = { id, to };

	return app_write(a, PERM_PROGRAM_WRITE, NULL, program_status_write, &c, e);
}
