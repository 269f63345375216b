/*
 * demo.c - a database filled with realistic sample data: tiers, about forty
 * partners, several programs with customer and partner codes, and referrals
 * with conversions and a few refunds spread over the past year.
 *
 * Everything goes through the same use cases as real input (app_track_in),
 * in batches, so the demo exercises the code that ships.  A fixed seed makes
 * two demos of the same size identical.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "app/app_int.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/str.h"

#define DEMO_BATCH 100000

static const char *const first_names[] = {
	"Anna", "Ben", "Chloé", "David", "Elif", "Farid", "Greta", "Hiro", "Ines", "Jonas",
	"Katarzyna", "Liam", "Maya", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sven", "Tara",
	"Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zoë", "Amir", "Björn", "Carmen", "Dmitri",
};
static const char *const last_names[] = {
	"Schmidt", "Müller", "García", "Rossi", "Nowak", "Jensen", "Dubois", "Kowalski",
	"Silva", "Tanaka", "Öztürk", "Novak", "Larsen", "Moreau", "Fischer", "Costa",
	"Bauer", "Virtanen", "Horvat", "O'Brien", "Lindqvist", "Petrov", "Martins", "Weber",
};
static const char *const company_a[] = {
	"Northwind", "Bluefin", "Copperleaf", "Driftwood", "Evergreen", "Foxglove", "Granite",
	"Harbor", "Ironbark", "Juniper", "Kestrel", "Lumen", "Meridian", "Nimbus",
};
static const char *const company_b[] = {
	"Digital", "Partners", "Solutions", "Consulting", "Labs", "Systems", "Media",
	"Integrations", "Group", "Agency",
};
static const char *const company_suffix[] = { "GmbH", "Ltd", "Inc", "SA", "BV", "AB", "" };

struct rng { uint64_t s; };

static uint64_t
rng_next(struct rng *r)
{
	/* splitmix64: small, fast, good enough for sample data */
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
rng_below(struct rng *r, uint64_t n)
{
	return n ? rng_next(r) % n : 0;
}

#define PICK(r, a) ((a)[rng_below((r), sizeof(a) / sizeof((a)[0]))])

struct demo_program {
	const char *name, *rule, *events, *landing, *attribution, *eligible;
	int window;
	const char *bonus;      /* a milestone bonus, NULL = none */
};

static const struct demo_program demo_programs[] = {
	{ "Spring Referral", "percent 10 cap 200.00", "signup,purchase",
	  "https://shop.example.com/?ref={code}", "first", "customers", 60, NULL },
	{ "Friends & Family", "flat 25.00", "purchase",
	  "https://shop.example.com/friends", "first", "customers", 30, NULL },
	{ "Reseller Revenue Share", "tiered revenue quarter graduated 0:5% 10000.00:7% 25000.00:10%",
	  "purchase,renewal", "https://example.com/partners", "last", "partners", 90, NULL },
	{ "Affiliate Signups", "tiered count month volume 0:20.00 10:30.00",
	  "signup", "https://example.com/try?utm=aff&code={code}", "last", "partners", 45,
	  "100.00 at 3 conversions month" },
	{ "Integration Marketplace", "percent 15", "purchase",
	  "https://marketplace.example.com/apps", "first", "both", 120, NULL },
};

struct demo {
	struct app *a;
	struct rng rng;
	char **codes;           /* code strings, by program */
	uint64_t *code_prog;
	size_t ncodes;
	struct demo_stats *st;
	/* the batch being built */
	struct event_input *ev;
	char **owned;
	size_t nev, nowned, cap_ev, cap_owned;
};

static const char *
own(struct demo *d, char *s)
{
	d->owned = xgrow(d->owned, &d->cap_owned, d->nowned + 1, sizeof *d->owned);
	d->owned[d->nowned++] = s;
	return s;
}

static enum status
demo_batch_write(struct txn *t, void *vctx)
{
	struct demo *d = vctx;
	size_t i;

	txn_set_action(t, "demo", true);
	for (i = 0; i < d->nev; i++) {
		struct event_result r;
		struct err e;
		err_clear(&e);
		if (app_track_in(d->a, t, &d->ev[i], &r, &e) != ST_OK && txn_status(t) != ST_OK)
			return txn_status(t);
	}
	return txn_status(t);
}

static enum status
demo_flush(struct demo *d, struct err *e)
{
	enum status st = ST_OK;
	size_t i;

	if (d->nev)
		st = store_write(d->a->store, demo_batch_write, d, e);
	for (i = 0; i < d->nowned; i++)
		free(d->owned[i]);
	d->nev = d->nowned = 0;
	return st;
}

static struct event_input *
demo_event(struct demo *d)
{
	struct event_input *in;

	d->ev = xgrow(d->ev, &d->cap_ev, d->nev + 1, sizeof *d->ev);
	in = &d->ev[d->nev++];
	memset(in, 0, sizeof *in);
	return in;
}

static const char *
at_str(struct demo *d, int64_t t)
{
	char buf[DATE_BUFSZ];

	return own(d, xstrdup(date_format_rfc3339(t, buf)));
}

static enum status
demo_catalog(struct demo *d, struct err *e)
{
	static const char *const tiers[][3] = {
		{ "Registered", "percent 5", "1" },
		{ "Silver", "percent 8", "2" },
		{ "Gold", "tiered revenue quarter volume 0:10% 50000.00:12%", "3" },
		{ "Platinum", "tiered revenue year graduated 0:12% 100000.00:15%", "4" },
	};
	static const char *const kinds[] = { "reseller", "affiliate", "agency", "integration" };
	size_t i;
	enum status st;

	for (i = 0; i < 4; i++) {
		struct tier_input ti = { tiers[i][0], tiers[i][1], tiers[i][2], "90", "10", NULL, NULL };
		if ((st = app_tier_save(d->a, 0, &ti, NULL, e)) != ST_OK)
			return st;
	}
	for (i = 0; i < 40; i++) {
		struct partner_input pi;
		char *name, *email, *contact, *dom;
		const char *suffix = PICK(&d->rng, company_suffix);
		memset(&pi, 0, sizeof pi);
		name = xasprintf("%s %s%s%s", company_a[i % 14], company_b[(i / 2) % 10],
		    *suffix ? " " : "", suffix);
		if (i >= 14)
			name = (free(name), xasprintf("%s %s %s", company_a[i % 14], company_b[(i * 3) % 10],
			    i >= 28 ? "International" : "& Co"));
		dom = xasprintf("%s%zu.example.com", company_a[i % 14], i);
		str_lower(dom);
		contact = xasprintf("%s %s", PICK(&d->rng, first_names), PICK(&d->rng, last_names));
		email = xasprintf("partners@%s", dom);
		pi.name = name;
		pi.email = email;
		pi.contact = contact;
		pi.kind = kinds[i % 4];
		pi.tier = tiers[i % 7 == 0 ? 3 : i % 5 == 0 ? 2 : i % 2 ? 1 : 0][0];
		pi.address = "1 Example Street, 10115 Berlin";
		pi.payout_email = email;
		st = app_partner_save(d->a, 0, &pi, NULL, e);
		free(name);
		free(email);
		free(contact);
		free(dom);
		if (st != ST_OK)
			return st;
		d->st->partners++;
	}
	for (i = 0; i < sizeof demo_programs / sizeof demo_programs[0]; i++) {
		const struct demo_program *p = &demo_programs[i];
		struct program_input pi;
		char win[16];
		memset(&pi, 0, sizeof pi);
		snprintf(win, sizeof win, "%d", p->window);
		pi.name = p->name;
		pi.rule = p->rule;
		pi.events = p->events;
		pi.landing = p->landing;
		pi.attribution = p->attribution;
		pi.eligible = p->eligible;
		pi.window = win;
		pi.bonus = p->bonus;
		pi.activate = true;
		if ((st = app_program_save(d->a, 0, &pi, NULL, e)) != ST_OK)
			return st;
		d->st->programs++;
	}
	return ST_OK;
}

#define CODE_BATCH 2000    /* codes per write transaction */

struct code_batch {
	struct demo *d;
	struct code_input in[CODE_BATCH];
	size_t prog[CODE_BATCH], n;
};

static enum status
codes_batch_write(struct txn *t, void *vctx)
{
	struct code_batch *b = vctx;
	struct demo *d = b->d;
	size_t i;

	txn_set_action(t, "demo codes", true);
	for (i = 0; i < b->n; i++) {
		struct code k;
		struct err e;
		err_clear(&e);
		if (app_code_new_in(d->a, t, &b->in[i], &k, &e) != ST_OK)
			return txn_status(t) != ST_OK ? txn_status(t) : txn_fail(t, e.st, "%s", e.msg);
		d->codes = xrealloc(d->codes, (d->ncodes + 1) * sizeof *d->codes);
		d->code_prog = xrealloc(d->code_prog, (d->ncodes + 1) * sizeof *d->code_prog);
		d->codes[d->ncodes] = xstrdup(k.code);
		d->code_prog[d->ncodes] = b->prog[i];
		d->ncodes++;
		rec_free(KIND_CODE, &k);
	}
	return txn_status(t);
}

/* Write the batch in one transaction (one summary entry in the audit log,
 * like the events), then forget its strings. */
static enum status
codes_flush(struct code_batch *b, struct err *e)
{
	struct demo *d = b->d;
	size_t ncodes = d->ncodes, i;
	enum status st = ST_OK;

	if (b->n)
		st = store_write(d->a->store, codes_batch_write, b, e);
	if (st != ST_OK) {
		/* the codes of a failed batch were never written */
		for (i = ncodes; i < d->ncodes; i++)
			free(d->codes[i]);
		d->ncodes = ncodes;
	}
	for (i = 0; i < d->nowned; i++)
		free(d->owned[i]);
	d->nowned = 0;
	b->n = 0;
	return st;
}

static enum status
demo_codes(struct demo *d, uint64_t customers, struct err *e)
{
	struct code_batch *b = xcalloc(1, sizeof *b);
	size_t i, p;
	enum status st = ST_OK;

	b->d = d;
	/* Partners in the partner programs, customers in the others. */
	for (p = 0; st == ST_OK && p < sizeof demo_programs / sizeof demo_programs[0]; p++) {
		bool partners = strcmp(demo_programs[p].eligible, "customers") != 0;
		size_t n = partners ? 40 : (size_t)customers;
		for (i = 0; st == ST_OK && i < n; i++) {
			struct code_input *ci = &b->in[b->n];
			memset(ci, 0, sizeof *ci);
			ci->program = demo_programs[p].name;
			if (partners) {
				ci->partner = own(d, xasprintf("P%zu", i + 1));
			} else {
				const char *fn = PICK(&d->rng, first_names), *ln = PICK(&d->rng, last_names);
				ci->name = own(d, xasprintf("%s %s", fn, ln));
				ci->customer = own(d, xasprintf("customer%zu@mail.example.net", i + 1));
			}
			b->prog[b->n++] = p;
			if (b->n == CODE_BATCH)
				st = codes_flush(b, e);
		}
	}
	if (st == ST_OK)
		st = codes_flush(b, e);
	free(b);
	return st;
}

static enum status
demo_events(struct demo *d, uint64_t size, struct err *e)
{
	int64_t now = clock_now(), year = 365 * 86400LL;
	uint64_t i;
	enum status st;

	for (i = 0; i < size; i++) {
		size_t c = (size_t)rng_below(&d->rng, d->ncodes);
		const struct demo_program *p = &demo_programs[d->code_prog[c]];
		/* more activity in recent months */
		int64_t age = (int64_t)(rng_below(&d->rng, (uint64_t)year) * rng_below(&d->rng, 1000) / 1000);
		int64_t at = now - age - 3600;
		char *email = xasprintf("contact%llu@%s.example.org", (unsigned long long)i + 1,
		    PICK(&d->rng, company_a));
		struct event_input *in = demo_event(d);

		str_lower(email);
		in->type = "referral";
		in->code = d->codes[c];
		in->email = own(d, email);
		in->name = own(d, xasprintf("%s %s", PICK(&d->rng, first_names), PICK(&d->rng, last_names)));
		in->at = at_str(d, at);
		d->st->referrals++;
		/* about one in five converts */
		if (rng_below(&d->rng, 5) == 0) {
			int64_t later = at + (int64_t)rng_below(&d->rng, (uint64_t)p->window * 86400 / 2) + 60;
			struct event_input *cv;
			if (later > now)
				later = now;
			cv = demo_event(d);
			cv->type = "conversion";
			cv->code = d->codes[c];
			cv->email = email;
			cv->event = strchr(p->events, ',') && rng_below(&d->rng, 3) == 0 ? "signup" :
			    strncmp(p->events, "signup", 6) == 0 ? "signup" : "purchase";
			cv->amount = own(d, xasprintf("%llu.%02llu", (unsigned long long)(20 + rng_below(&d->rng, 2500)),
			    (unsigned long long)rng_below(&d->rng, 100)));
			cv->id = own(d, xasprintf("ORD-%llu", (unsigned long long)i + 1));
			cv->at = at_str(d, later);
			d->st->conversions++;
			if (rng_below(&d->rng, 40) == 0) {
				struct event_input *rf = demo_event(d);
				rf->type = "refund";
				rf->program = p->name;
				rf->id = cv->id;
				rf->amount = "10.00";
				rf->at = cv->at;
			}
		}
		if (d->nev >= DEMO_BATCH && (st = demo_flush(d, e)) != ST_OK)
			return st;
	}
	return demo_flush(d, e);
}

enum status
app_demo(const char *db, uint64_t size, struct demo_stats *stats, struct err *e)
{
	struct init_input ii = { "Example GmbH", "EUR", "Europe/Berlin" };
	struct timespec t0, t1;
	struct demo d;
	enum status st;
	size_t i;

	memset(stats, 0, sizeof *stats);
	if (size == 0)
		size = 5000;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((st = app_init(db, &ii, e)) != ST_OK)
		return st;
	memset(&d, 0, sizeof d);
	d.rng.s = 20261001;
	d.st = stats;
	if ((st = app_open(db, 0, &d.a, e)) != ST_OK)
		return st;
	/* One fsync at the end instead of one per code and batch. */
	store_set_nosync(d.a->store, true);
	st = demo_catalog(&d, e);
	if (st == ST_OK)
		st = demo_codes(&d, size / 20 < 20 ? 20 : size / 20 > 50000 ? 50000 : size / 20, e);
	if (st == ST_OK)
		st = demo_events(&d, size, e);
	store_set_nosync(d.a->store, false);
	if (st == ST_OK)
		st = store_sync(d.a->store, e);
	for (i = 0; i < d.ncodes; i++)
		free(d.codes[i]);
	free(d.codes);
	free(d.code_prog);
	free(d.ev);
	free(d.owned);
	app_close(d.a);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	stats->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return st;
}
