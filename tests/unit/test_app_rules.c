/*
 * test_app_rules.c - rules real programs run on, through the public app
 * API on both backends (FX_CASE): a recurring rule whose renewals arrive
 * in time order and in reverse, a clause rule over a conversion's product
 * and country, and a two-sided program's reward from pending to issued.
 * Every amount is worked by hand in its comment; tests/cli/rewards.sh
 * keeps the CLI's side.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "app/io.h"
#include "app/lookup.h"
#include "app/ledger.h"
#include "app_fixture.h"

static void
program(struct fx *f, const char *name, const char *rule, const char *referee)
{
	struct program_input in = { .name = name, .rule = rule, .events = "purchase", .window = "30",
	    .hold = "0", .activate = true, .referee_rule = referee };
	struct err e;
	uint64_t id;

	err_clear(&e);
	if (app_program_save(f->a, 0, &in, &id, &e) != ST_OK)
		fail_msg("program %s: %s", name, e.msg);
}

static void
buy(struct fx *f, const char *code, const char *amount, const char *id, const char *at,
    const char *product, const char *country)
{
	char email[96];
	struct event_input in = { .type = "conversion", .code = code, .email = email, .event = "purchase",
	    .amount = amount, .id = id, .at = at, .product = product, .country = country };
	struct event_result r;
	struct err e;

	snprintf(email, sizeof email, "buyer-%s@example.com", code);
	err_clear(&e);
	if (app_track(f->a, &in, &r, &e) != ST_OK)
		fail_msg("conversion %s: %s", id, e.msg);
}

/* percent 25 for 3 months from 2026-06-03: 100.00 on the 3rd of June,
 * July, August earns 25.00 each; September 3rd is three months on:
 * nothing.  Reported latest first, each renewal is first until the
 * earlier ones arrive; the end is the same. */
static void
recurring(struct fx *f, bool reverse)
{
	static const char *const days[] = { "2026-06-03", "2026-07-03", "2026-08-03", "2026-09-03" };
	char id[8];
	int i, k;

	fx_partner(f, "Acme", NULL);
	program(f, "Saas", "percent 25 for 3 months", NULL);
	fx_code(f, "Saas", "Acme", NULL, "SAAS");
	fx_referral(f, "SAAS", "buyer-SAAS@example.com", "2026-06-01");
	for (k = 0; k < 4; k++) {
		i = reverse ? 3 - k : k;
		snprintf(id, sizeof id, "S%d", i + 1);
		buy(f, "SAAS", "100.00", id, days[i], NULL, NULL);
	}
	assert_int_equal(fx_amount(f, "S1", "commission"), 2500);
	assert_int_equal(fx_amount(f, "S2", "commission"), 2500);
	assert_int_equal(fx_amount(f, "S3", "commission"), 2500);
	assert_int_equal(fx_amount(f, "S4", "commission"), 0);
	assert_int_equal(fx_total(f, "Saas"), 7500);
}

static void
test_recurring_in_time_order(void **state)
{
	recurring(*state, false);
}

static void
test_recurring_in_reverse(void **state)
{
	recurring(*state, true);
}

/* when product=pro percent 20; when country=DE,AT flat 30.00; percent 10:
 * pro in FR 250.00 x 20% = 50.00; basic in AT 30.00; basic in FR 250.00 x
 * 10% = 25.00; nothing given 0.05 x 10% = 0.005 -> 0.01. */
static void
test_clauses_over_fields(void **state)
{
	struct fx *f = *state;
	struct event_input in = { .type = "conversion", .code = "PLANS", .email = "buyer-PLANS@example.com",
	    .event = "purchase", .amount = "10", .id = "X", .at = "2026-10-02", .country = "Deutschland" };
	struct event_result r;
	struct err e;

	fx_partner(f, "Acme", NULL);
	program(f, "Plans", "when product=pro percent 20; when country=DE,AT flat 30.00; percent 10", NULL);
	fx_code(f, "Plans", "Acme", NULL, "PLANS");
	fx_referral(f, "PLANS", "buyer-PLANS@example.com", "2026-10-01");
	buy(f, "PLANS", "250.00", "P1", "2026-10-02", "Pro", "fr");
	buy(f, "PLANS", "250.00", "P2", "2026-10-03", "basic", "AT");
	buy(f, "PLANS", "250.00", "P3", "2026-10-04", "basic", "FR");
	buy(f, "PLANS", "0.05", "P4", "2026-10-05", NULL, NULL);
	assert_int_equal(fx_amount(f, "P1", "commission"), 5000);
	assert_int_equal(fx_amount(f, "P2", "commission"), 3000);
	assert_int_equal(fx_amount(f, "P3", "commission"), 2500);
	assert_int_equal(fx_amount(f, "P4", "commission"), 1);
	/* a bad field: one message, nothing recorded */
	err_clear(&e);
	assert_int_equal(app_track(f->a, &in, &r, &e), ST_DATA);
	assert_string_equal(e.msg, "country: \"Deutschland\" is not a two-letter country code (ISO 3166), e.g. DE");
	assert_int_equal(fx_amount(f, "X", "commission"), INT64_MIN);
}

struct reward_row {
	char id[24], status[16], kind[16];
	int64_t amount;
	size_t n;
};

static enum status
reward_row(void *ctx, const struct row *r)
{
	struct reward_row *w = ctx;
	size_t i;

	w->n++;
	for (i = 0; i < r->n; i++) {
		const struct cell *c = &r->c[i];
		if (strcmp(c->name, "id") == 0)
			snprintf(w->id, sizeof w->id, "%s", c->s);
		else if (strcmp(c->name, "status") == 0)
			snprintf(w->status, sizeof w->status, "%s", c->s);
		else if (strcmp(c->name, "kind") == 0)
			snprintf(w->kind, sizeof w->kind, "%s", c->s);
		else if (strcmp(c->name, "amount") == 0)
			w->amount = c->i;
	}
	return ST_OK;
}

/* The referrer's timeline: the rows of kind "reward", with their detail. */
struct timeline_rewards {
	size_t n;
	char detail[96], status[16];
};

static enum status
timeline_row(void *ctx, const struct row *r)
{
	struct timeline_rewards *tr = ctx;
	const char *what = NULL, *detail = NULL, *status = NULL;
	size_t i;

	for (i = 0; i < r->n; i++) {
		if (strcmp(r->c[i].name, "what") == 0)
			what = r->c[i].s;
		else if (strcmp(r->c[i].name, "detail") == 0)
			detail = r->c[i].s;
		else if (strcmp(r->c[i].name, "status") == 0)
			status = r->c[i].s;
	}
	if (what && strcmp(what, "reward") == 0) {
		if (tr->n++ == 0) {     /* newest first: the adjustment */
			snprintf(tr->detail, sizeof tr->detail, "%s", detail ? detail : "");
			snprintf(tr->status, sizeof tr->status, "%s", status ? status : "");
		}
	}
	return ST_OK;
}

/* give 10, get 10: the contact's first purchase gives them 10.00, the
 * second nothing; approved, issued, then refunded in full: the reward
 * stays issued and an adjustment of -10.00 says so. */
static void
test_referee_reward(void **state)
{
	struct fx *f = *state;
	struct list_filter lf = { .status = "pending" };
	struct reward_row w;
	struct decision d;
	struct err e;
	const char *ids[1];
	struct event_input rf = { .type = "refund", .program = "Friends", .id = "F1", .amount = "40.00",
	    .at = "2026-10-06" };
	struct event_result r;

	fx_partner(f, "Acme", NULL);
	program(f, "Friends", "flat 10.00", "flat 10.00");
	fx_code(f, "Friends", "Acme", NULL, "FRIENDS");
	fx_referral(f, "FRIENDS", "buyer-FRIENDS@example.com", "2026-10-01");
	buy(f, "FRIENDS", "40.00", "F1", "2026-10-02", NULL, NULL);
	buy(f, "FRIENDS", "40.00", "F2", "2026-10-03", NULL, NULL);
	memset(&w, 0, sizeof w);
	err_clear(&e);
	assert_int_equal(app_list(f->a, KIND_REWARD, &lf, reward_row, &w, &e), ST_OK);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.kind, "referee");
	assert_int_equal(w.amount, 1000);
	ids[0] = w.id;
	assert_int_equal(app_reward_approve(f->a, ids, 1, NULL, &d, &e), ST_OK);
	assert_int_equal(d.outcome, DECIDED);
	assert_int_equal(app_reward_mark_issued(f->a, ids, 1, &d, &e), ST_OK);
	assert_int_equal(d.outcome, DECIDED);
	assert_int_equal(app_reward_mark_issued(f->a, ids, 1, &d, &e), ST_OK);
	assert_int_equal(d.outcome, DECIDED_ALREADY);
	assert_int_equal(app_track(f->a, &rf, &r, &e), ST_OK);
	memset(&w, 0, sizeof w);
	lf.status = "issued";
	assert_int_equal(app_list(f->a, KIND_REWARD, &lf, reward_row, &w, &e), ST_OK);
	assert_int_equal(w.n, 1);
	assert_int_equal(w.amount, 1000);
	memset(&w, 0, sizeof w);
	lf.status = "approved";
	assert_int_equal(app_list(f->a, KIND_REWARD, &lf, reward_row, &w, &e), ST_OK);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.kind, "adjustment");
	assert_int_equal(w.amount, -1000);
	/* the referrer's commission lines: 10.00 on each, the first refunded */
	assert_int_equal(fx_total(f, "Friends"), 1000);
	/* the reward and its adjustment are on the referrer's timeline */
	{
		struct timeline_rewards tr = { 0, "", "" };
		assert_int_equal(app_referrer_timeline(f->a, "R1", 100, timeline_row, &tr, &e), ST_OK);
		assert_int_equal(tr.n, 2);
		assert_string_equal(tr.detail, "adjustment of referee reward to buyer-friends@example.com");
		assert_string_equal(tr.status, "approved");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FX_CASE(test_recurring_in_time_order),
		FX_CASE(test_recurring_in_reverse),
		FX_CASE(test_clauses_over_fields),
		FX_CASE(test_referee_reward),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
