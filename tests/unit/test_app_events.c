/*
 * test_app_events.c - tracking through the public app API: referrals on
 * a code, conversions that qualify or not, duplicates that change
 * nothing, refunds that take the commission back and may not exceed what
 * is left.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app_fixture.h"

static enum status
track(struct fx *f, const struct event_input *in, struct event_result *r, struct err *e)
{
	err_clear(e);
	memset(r, 0, sizeof *r);
	return app_track(f->a, in, r, e);
}

static void
spring(struct fx *f)
{
	fx_partner(f, "Acme", NULL);
	fx_program(f, "Spring", "percent 10", "30");
	fx_code(f, "Spring", "Acme", NULL, "ACME");
}

static void
test_referral_and_duplicate(void **state)
{
	struct fx *f = *state;
	struct event_input in = { .type = "referral", .code = "ACME", .email = "ann@x.example",
	    .at = "2026-10-01" };
	struct event_input unknown = { .type = "referral", .code = "NOPE", .email = "b@x.example" };
	struct event_result r;
	struct err e;

	spring(f);
	assert_int_equal(track(f, &in, &r, &e), ST_OK);
	assert_int_equal(r.outcome, EVENT_RECORDED);
	assert_int_equal(r.kind, KIND_REFERRAL);
	assert_int_equal(track(f, &in, &r, &e), ST_OK);
	assert_int_equal(r.outcome, EVENT_DUPLICATE);
	assert_int_not_equal(track(f, &unknown, &r, &e), ST_OK);
	assert_non_null(strstr(e.msg, "NOPE"));
}

static void
test_conversion_qualifies(void **state)
{
	struct fx *f = *state;
	struct event_input signup = { .type = "conversion", .code = "ACME",
	    .email = "buyer-ACME@example.com", .event = "signup", .amount = "10", .id = "S1",
	    .at = "2026-10-03" };
	struct event_result r;
	struct err e;

	spring(f);
	fx_referral(f, "ACME", "buyer-ACME@example.com", "2026-10-01");
	fx_buy(f, "ACME", "200", "B1", "2026-10-02");
	assert_int_equal(fx_amount(f, "B1", "commission"), 2000);
	/* an event the program does not pay for is recorded, without a line */
	assert_int_equal(track(f, &signup, &r, &e), ST_OK);
	assert_false(r.qualifying);
	assert_int_equal(fx_amount(f, "S1", "commission"), INT64_MIN);
	/* the same external id again: nothing new */
	fx_buy(f, "ACME", "200", "B1", "2026-10-02");
	assert_int_equal(fx_total(f, "Spring"), 2000);
}

/* 150.00 at 10% = 15.00; refund 50.00: the line follows the 100.00 left
 * (10.00); more than is left is refused and changes nothing. */
static void
test_refunds(void **state)
{
	struct fx *f = *state;
	struct event_input part = { .type = "refund", .program = "Spring", .id = "RA",
	    .amount = "50", .at = "2026-10-05" };
	struct event_input over = { .type = "refund", .program = "Spring", .id = "RA",
	    .amount = "100.01", .at = "2026-10-06" };
	struct event_result r;
	struct err e;

	spring(f);
	fx_referral(f, "ACME", "buyer-ACME@example.com", "2026-10-01");
	fx_buy(f, "ACME", "150", "RA", "2026-10-02");
	assert_int_equal(fx_total(f, "Spring"), 1500);
	assert_int_equal(track(f, &part, &r, &e), ST_OK);
	assert_int_equal(fx_total(f, "Spring"), 1000);
	assert_int_equal(track(f, &over, &r, &e), ST_DATA);
	assert_string_equal(e.msg, "amount: refund of 100.01 is more than the 100.00 left of conversion RA");
	assert_int_equal(fx_total(f, "Spring"), 1000);
}

static void
test_support_may_not_track(void **state)
{
	struct fx *f = *state;
	struct event_input in = { .type = "referral", .code = "ACME", .email = "ann@x.example" };
	struct event_result r;
	struct err e;

	spring(f);
	fx_as(f, ROLE_SUPPORT);
	assert_int_equal(track(f, &in, &r, &e), ST_NOPERM);
	assert_non_null(strstr(e.msg, "you (tester, support) may not "));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FX_CASE(test_referral_and_duplicate),
		FX_CASE(test_conversion_qualifies),
		FX_CASE(test_refunds),
		FX_CASE(test_support_may_not_track),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
