/*
 * test_app_deals.c - deal registration through the public app API: the
 * lifecycle (submitted -> approved -> won / lost, rejected), the
 * conflict check on domain and company, and that only an admin reviews.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/deals.h"
#include "app_fixture.h"

static uint64_t
reg(struct fx *f, const char *partner, const char *company, const char *domain,
    struct deal_conflict *c)
{
	struct deal_input in = { .partner = partner, .direct = partner == NULL, .company = company,
	    .domain = domain, .value = "1000", .close = "2026-12-01" };
	struct err e;
	uint64_t id = 0;

	err_clear(&e);
	if (app_deal_register(f->a, &in, &id, c, &e) != ST_OK)
		fail_msg("register %s: %s", company, e.msg);
	return id;
}

static enum status
decide(struct fx *f, uint64_t id, enum deal_action act, const char *reason, const char *value,
    struct err *e)
{
	char ref[24];

	snprintf(ref, sizeof ref, "D%llu", (unsigned long long)id);
	err_clear(e);
	return app_deal_decide(f->a, ref, act, reason, value, NULL, NULL, e);
}

static void
test_lifecycle(void **state)
{
	struct fx *f = *state;
	struct deal_conflict c;
	struct pipeline p;
	struct err e;
	uint64_t d;

	fx_partner(f, "Acme", NULL);
	d = reg(f, "Acme", "Northwind GmbH", "northwind.com", &c);
	assert_int_equal(c.deal, 0);
	/* not approved yet: it cannot be won */
	assert_int_equal(decide(f, d, DEAL_DO_WIN, NULL, "900", &e), ST_DATA);
	assert_string_equal(e.msg, "deal D1 is submitted: it cannot be won (approve it first)");
	assert_int_equal(decide(f, d, DEAL_DO_APPROVE, NULL, NULL, &e), ST_OK);
	assert_int_equal(decide(f, d, DEAL_DO_WIN, NULL, "900", &e), ST_OK);
	err_clear(&e);
	assert_int_equal(app_deal_pipeline(f->a, NULL, NULL, &p, &e), ST_OK);
	assert_int_equal(p.partner[DEAL_WON].count, 1);
	assert_int_equal(p.partner[DEAL_WON].value, 90000);
	/* won is final */
	assert_int_equal(decide(f, d, DEAL_DO_LOSE, NULL, NULL, &e), ST_DATA);
}

static void
test_reject_needs_reason(void **state)
{
	struct fx *f = *state;
	struct deal_conflict c;
	struct err e;
	uint64_t d;

	fx_partner(f, "Acme", NULL);
	d = reg(f, "Acme", "Initech", "initech.com", &c);
	assert_int_equal(decide(f, d, DEAL_DO_REJECT, NULL, NULL, &e), ST_USAGE);
	assert_string_equal(e.msg, "reason: missing (--reason TEXT: the partner will see it)");
	assert_int_equal(decide(f, d, DEAL_DO_REJECT, "already a customer", NULL, &e), ST_OK);
	assert_int_equal(decide(f, d, DEAL_DO_APPROVE, NULL, NULL, &e), ST_DATA);
}

static void
test_conflicts(void **state)
{
	struct fx *f = *state;
	struct deal_conflict c;
	struct err e;
	char text[256];
	uint64_t d1, d2;

	fx_partner(f, "Acme", NULL);
	fx_partner(f, "Beta", NULL);
	d1 = reg(f, "Acme", "Northwind GmbH", "northwind.com", &c);
	assert_int_equal(decide(f, d1, DEAL_DO_APPROVE, NULL, NULL, &e), ST_OK);
	err_clear(&e);
	assert_int_equal(app_deal_check(f->a, "northwind.com", "Other", &c, &e), ST_OK);
	assert_int_equal(c.deal, d1);
	deal_conflict_text(&c, text, sizeof text);
	assert_non_null(strstr(text, "same domain northwind.com"));
	assert_int_equal(app_deal_check(f->a, NULL, "Northwind GmbH", &c, &e), ST_OK);
	assert_int_equal(c.deal, d1);
	assert_int_equal(app_deal_check(f->a, "free.example", "Free Ltd", &c, &e), ST_OK);
	assert_int_equal(c.deal, 0);
	/* a conflicting registration is recorded, in stage conflict, and
	 * cannot be approved while the first holds its exclusivity */
	d2 = reg(f, "Beta", "Northwind", "northwind.com", &c);
	assert_int_equal(c.deal, d1);
	assert_int_equal(decide(f, d2, DEAL_DO_APPROVE, NULL, NULL, &e), ST_CONFLICT);
	assert_non_null(strstr(e.msg, "deal D2 conflicts with D1 (Acme, approved"));
}

static void
test_permissions(void **state)
{
	struct fx *f = *state;
	struct deal_conflict c;
	struct err e;
	uint64_t d;

	fx_partner(f, "Acme", NULL);
	d = reg(f, "Acme", "Umbrella", "umbrella.example", &c);
	fx_as(f, ROLE_SUPPORT);
	assert_int_equal(decide(f, d, DEAL_DO_APPROVE, NULL, NULL, &e), ST_NOPERM);
	assert_string_equal(e.msg, "you (tester, support) may not review deals");
	fx_as(f, ROLE_MANAGER);
	assert_int_equal(decide(f, d, DEAL_DO_APPROVE, NULL, NULL, &e), ST_NOPERM);
	fx_as(f, ROLE_ADMIN);
	assert_int_equal(decide(f, d, DEAL_DO_APPROVE, NULL, NULL, &e), ST_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FX_CASE(test_lifecycle),
		FX_CASE(test_reject_needs_reason),
		FX_CASE(test_conflicts),
		FX_CASE(test_permissions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
