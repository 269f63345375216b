/*
 * test_referral.c - the referral lifecycle rules: why a referral is
 * rejected (and which reason wins), windows and expiry, qualifying
 * events, and first/last attribution.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/referral.h"

#define DAY 86400
/* 2026-01-01T00:00:00Z; tests run with TZ=UTC, no DST in the way. */
#define T0 1767225600

static struct program pg;
static struct referrer customer, partner_ref;
static struct partner partner;
static struct referral_facts facts;

static int
setup(void **state)
{
	(void)state;
	memset(&pg, 0, sizeof pg);
	pg.id = 1;
	pg.status = PROGRAM_ACTIVE;
	pg.events = (char *)"signup, purchase";
	pg.window_days = 30;
	pg.attribution = ATTR_FIRST;
	pg.eligible = ELIG_CUSTOMERS | ELIG_PARTNERS;
	pg.hold_days = 30;
	memcpy(pg.currency, "EUR", 4);

	memset(&customer, 0, sizeof customer);
	customer.id = 10;
	customer.kind = REFERRER_CUSTOMER;
	customer.email = (char *)"carol@example.com";

	memset(&partner, 0, sizeof partner);
	partner.id = 3;
	partner.tier = 5;
	partner.status = PARTNER_ACTIVE;
	partner.email = (char *)"sales@agency.example";

	memset(&partner_ref, 0, sizeof partner_ref);
	partner_ref.id = 11;
	partner_ref.kind = REFERRER_PARTNER;
	partner_ref.partner = 3;

	memset(&facts, 0, sizeof facts);
	facts.program = &pg;
	facts.referrer = &customer;
	facts.referrer_email = "carol@example.com";
	facts.contact_email = "dave@example.org";
	facts.at = T0;
	return 0;
}

static void
as_partner(void)
{
	facts.referrer = &partner_ref;
	facts.partner = &partner;
	facts.referrer_email = "sales@agency.example";
}

static void
accepted(void)
{
	const char *why = referral_reject_reason(&facts);

	if (why != NULL)
		fail_msg("expected acceptance, got \"%s\"", why);
}

static void
rejected(const char *reason)
{
	const char *why = referral_reject_reason(&facts);

	assert_non_null(why);
	assert_string_equal(why, reason);
}

/* --- accept / reject ------------------------------------------------ */

static void
test_customer_accepted(void **state)
{
	(void)state;
	accepted();
}

static void
test_partner_accepted(void **state)
{
	(void)state;
	as_partner();
	accepted();
}

static void
test_not_active_draft_paused_ended(void **state)
{
	(void)state;
	pg.status = PROGRAM_DRAFT;
	rejected("program not active");
	pg.status = PROGRAM_PAUSED;
	rejected("program not active");
	pg.status = PROGRAM_ENDED;
	rejected("program not active");
}

static void
test_not_active_outside_dates(void **state)
{
	(void)state;
	pg.start = T0;
	pg.end = T0 + 10 * DAY;
	facts.at = T0 - 1;
	rejected("program not active");
	facts.at = T0;
	accepted();
	facts.at = T0 + 10 * DAY - 1;
	accepted();
	facts.at = T0 + 10 * DAY;
	rejected("program not active");
}

static void
test_open_at(void **state)
{
	(void)state;
	assert_true(program_open_at(&pg, 0));
	assert_true(program_open_at(&pg, INT64_MAX));
	pg.start = T0;
	assert_false(program_open_at(&pg, T0 - 1));
	assert_true(program_open_at(&pg, T0));
	pg.end = T0 + DAY;
	assert_true(program_open_at(&pg, T0 + DAY - 1));
	assert_false(program_open_at(&pg, T0 + DAY));
	pg.status = PROGRAM_PAUSED;
	assert_false(program_open_at(&pg, T0));
}

static void
test_ineligible_customer(void **state)
{
	(void)state;
	pg.eligible = ELIG_PARTNERS;
	rejected("ineligible referrer");
	pg.eligible = 0;
	rejected("ineligible referrer");
}

static void
test_ineligible_partner(void **state)
{
	(void)state;
	as_partner();
	pg.eligible = ELIG_CUSTOMERS;
	rejected("ineligible referrer");
}

static void
test_ineligible_suspended_partner(void **state)
{
	(void)state;
	as_partner();
	partner.status = PARTNER_SUSPENDED;
	rejected("ineligible referrer");
	partner.status = PARTNER_INVITED;
	accepted();
}

static void
test_tier_list(void **state)
{
	(void)state;
	as_partner();
	pg.tiers = (char *)"2, 5 ,7";
	accepted();
	pg.tiers = (char *)"2,7";
	rejected("ineligible referrer");
	pg.tiers = (char *)"15,51";     /* no substring matches */
	rejected("ineligible referrer");
	pg.tiers = (char *)"5";
	accepted();
	pg.tiers = (char *)"T5";        /* ids as shown to users */
	accepted();
	pg.tiers = (char *)"";          /* same as NULL: all tiers */
	accepted();
}

static void
test_tier_list_partner_without_tier(void **state)
{
	(void)state;
	as_partner();
	partner.tier = 0;
	pg.tiers = NULL;
	accepted();
	pg.tiers = (char *)"1,2";
	rejected("ineligible referrer");
}

static void
test_tier_list_ignored_for_customers(void **state)
{
	(void)state;
	pg.tiers = (char *)"1";
	accepted();
}

static void
test_partner_referrer_without_partner_record(void **state)
{
	(void)state;
	as_partner();
	facts.partner = NULL;
	rejected("ineligible referrer");
	facts.referrer = NULL;
	rejected("ineligible referrer");
}

static void
test_self_referral(void **state)
{
	(void)state;
	facts.contact_email = "carol@example.com";
	rejected("self-referral");
	facts.referrer_email = "Carol@Example.COM";
	rejected("self-referral");
}

static void
test_self_referral_partner_contact(void **state)
{
	(void)state;
	as_partner();
	facts.contact_email = "sales@agency.example";
	rejected("self-referral");
}

static void
test_no_referrer_email_is_not_self(void **state)
{
	(void)state;
	facts.referrer_email = NULL;
	accepted();
	facts.referrer_email = "";
	facts.contact_email = "";
	accepted();
}

static void
test_duplicate_first_blocks_any(void **state)
{
	(void)state;
	pg.attribution = ATTR_FIRST;
	facts.open_referral_referrer = 99;
	rejected("duplicate contact");
	facts.open_referral_referrer = customer.id;
	rejected("duplicate contact");
}

static void
test_duplicate_last_blocks_same_referrer_only(void **state)
{
	(void)state;
	pg.attribution = ATTR_LAST;
	facts.open_referral_referrer = 99;
	accepted();
	facts.open_referral_referrer = customer.id;
	rejected("duplicate contact");
}

static void
test_limit(void **state)
{
	(void)state;
	pg.max_refs = 3;
	facts.referrer_period_count = 2;
	accepted();
	facts.referrer_period_count = 3;
	rejected("referral limit reached");
	facts.referrer_period_count = 4;
	rejected("referral limit reached");
}

static void
test_no_limit(void **state)
{
	(void)state;
	pg.max_refs = 0;
	facts.referrer_period_count = 1000000;
	accepted();
}

static void
test_precedence_not_active_first(void **state)
{
	(void)state;
	pg.status = PROGRAM_PAUSED;
	pg.eligible = 0;
	facts.contact_email = "carol@example.com";
	facts.open_referral_referrer = 99;
	pg.max_refs = 1;
	facts.referrer_period_count = 1;
	rejected("program not active");
}

static void
test_precedence_ineligible_before_self(void **state)
{
	(void)state;
	pg.eligible = ELIG_PARTNERS;
	facts.contact_email = "carol@example.com";
	facts.open_referral_referrer = 99;
	pg.max_refs = 1;
	facts.referrer_period_count = 1;
	rejected("ineligible referrer");
}

static void
test_precedence_self_before_duplicate(void **state)
{
	(void)state;
	facts.contact_email = "carol@example.com";
	facts.open_referral_referrer = 99;
	pg.max_refs = 1;
	facts.referrer_period_count = 1;
	rejected("self-referral");
}

static void
test_precedence_duplicate_before_limit(void **state)
{
	(void)state;
	facts.open_referral_referrer = 99;
	pg.max_refs = 1;
	facts.referrer_period_count = 1;
	rejected("duplicate contact");
	/* once the duplicate is gone, the limit shows */
	facts.open_referral_referrer = 0;
	rejected("referral limit reached");
}

/* --- windows and expiry --------------------------------------------- */

static struct referral
ref(uint64_t id, int64_t at, int32_t status)
{
	struct referral r;

	memset(&r, 0, sizeof r);
	r.id = id;
	r.program = pg.id;
	r.at = at;
	r.status = status;
	return r;
}

static void
test_window_end(void **state)
{
	(void)state;
	assert_int_equal(referral_window_end(&pg, T0), T0 + 30 * DAY);
	assert_int_equal(referral_window_end(&pg, T0 + 3600), T0 + 30 * DAY + 3600);
	pg.window_days = 1;
	assert_int_equal(referral_window_end(&pg, T0), T0 + DAY);
}

static void
test_window_zero_never_ends(void **state)
{
	(void)state;
	pg.window_days = 0;
	assert_int_equal(referral_window_end(&pg, T0), INT64_MAX);
}

static void
test_effective_status_boundary(void **state)
{
	struct referral r = ref(1, T0, REFERRAL_PENDING);

	(void)state;
	assert_int_equal(referral_effective_status(&r, &pg, T0), REFERRAL_PENDING);
	assert_int_equal(referral_effective_status(&r, &pg, T0 + 30 * DAY - 1), REFERRAL_PENDING);
	assert_int_equal(referral_effective_status(&r, &pg, T0 + 30 * DAY), REFERRAL_EXPIRED);
	assert_int_equal(referral_effective_status(&r, &pg, T0 + 400 * DAY), REFERRAL_EXPIRED);
}

static void
test_effective_status_keeps_final_states(void **state)
{
	struct referral c = ref(1, T0, REFERRAL_CONVERTED);
	struct referral x = ref(2, T0, REFERRAL_REJECTED);
	struct referral e = ref(3, T0, REFERRAL_EXPIRED);

	(void)state;
	assert_int_equal(referral_effective_status(&c, &pg, T0 + 99 * DAY), REFERRAL_CONVERTED);
	assert_int_equal(referral_effective_status(&x, &pg, T0 + 99 * DAY), REFERRAL_REJECTED);
	assert_int_equal(referral_effective_status(&e, &pg, T0), REFERRAL_EXPIRED);
}

static void
test_effective_status_window_zero(void **state)
{
	struct referral r = ref(1, T0, REFERRAL_PENDING);

	(void)state;
	pg.window_days = 0;
	assert_int_equal(referral_effective_status(&r, &pg, T0 + 10000 * (int64_t)DAY),
	    REFERRAL_PENDING);
}

/* --- qualifying events and conversions ------------------------------ */

static void
test_event_in_list(void **state)
{
	(void)state;
	assert_true(program_event_qualifies(&pg, "signup"));
	assert_true(program_event_qualifies(&pg, "purchase"));
}

static void
test_event_case_and_blanks(void **state)
{
	(void)state;
	assert_true(program_event_qualifies(&pg, "Purchase"));
	assert_true(program_event_qualifies(&pg, "SIGNUP"));
	assert_true(program_event_qualifies(&pg, " purchase "));
	pg.events = (char *)"  Signup\t,PURCHASE  ";
	assert_true(program_event_qualifies(&pg, "signup"));
	assert_true(program_event_qualifies(&pg, "purchase"));
}

static void
test_event_not_in_list(void **state)
{
	(void)state;
	assert_false(program_event_qualifies(&pg, "refund"));
	assert_false(program_event_qualifies(&pg, "sign"));
	assert_false(program_event_qualifies(&pg, "signups"));
	assert_false(program_event_qualifies(&pg, "signup, purchase"));
	assert_false(program_event_qualifies(&pg, ""));
	assert_false(program_event_qualifies(&pg, "  "));
	assert_false(program_event_qualifies(&pg, NULL));
}

static void
test_event_empty_items(void **state)
{
	(void)state;
	pg.events = (char *)"signup,, ,purchase,";
	assert_true(program_event_qualifies(&pg, "purchase"));
	assert_false(program_event_qualifies(&pg, ""));
}

static void
test_event_no_list(void **state)
{
	(void)state;
	pg.events = NULL;
	assert_false(program_event_qualifies(&pg, "signup"));
	pg.events = (char *)"";
	assert_false(program_event_qualifies(&pg, "signup"));
}

static void
test_conversion_window_boundary(void **state)
{
	struct referral r = ref(1, T0, REFERRAL_PENDING);

	(void)state;
	assert_true(conversion_qualifies(&pg, &r, "purchase", T0));
	assert_true(conversion_qualifies(&pg, &r, "purchase", T0 + 30 * DAY - 1));
	assert_false(conversion_qualifies(&pg, &r, "purchase", T0 + 30 * DAY));
	assert_false(conversion_qualifies(&pg, &r, "purchase", T0 - 1));
}

static void
test_conversion_window_zero(void **state)
{
	struct referral r = ref(1, T0, REFERRAL_PENDING);

	(void)state;
	pg.window_days = 0;
	assert_true(conversion_qualifies(&pg, &r, "purchase", T0 + 5000 * (int64_t)DAY));
	assert_false(conversion_qualifies(&pg, &r, "purchase", T0 - 1));
}

static void
test_conversion_event_must_qualify(void **state)
{
	struct referral r = ref(1, T0, REFERRAL_PENDING);

	(void)state;
	assert_false(conversion_qualifies(&pg, &r, "pageview", T0 + DAY));
	assert_true(conversion_qualifies(&pg, &r, "Signup", T0 + DAY));
}

static void
test_conversion_on_rejected_referral(void **state)
{
	struct referral r = ref(1, T0, REFERRAL_REJECTED);

	(void)state;
	assert_false(conversion_qualifies(&pg, &r, "purchase", T0 + DAY));
}

static void
test_conversion_repeat_on_converted_referral(void **state)
{
	struct referral r = ref(1, T0, REFERRAL_CONVERTED);

	(void)state;
	assert_true(conversion_qualifies(&pg, &r, "purchase", T0 + DAY));
	assert_true(conversion_qualifies(&pg, &r, "purchase", T0 + 20 * DAY));
}

/* --- attribution ---------------------------------------------------- */

static long
attribute(struct referral *rs, size_t n, int64_t t)
{
	const struct referral *ptrs[8];
	size_t i;

	assert_true(n <= 8);
	for (i = 0; i < n; i++)
		ptrs[i] = &rs[i];
	return referral_attribute(&pg, ptrs, n, t);
}

static void
test_attribute_none(void **state)
{
	struct referral rs[2];

	(void)state;
	assert_int_equal(referral_attribute(&pg, NULL, 0, T0), -1);
	rs[0] = ref(1, T0, REFERRAL_REJECTED);
	rs[1] = ref(2, T0 + DAY, REFERRAL_PENDING);
	assert_int_equal(attribute(rs, 2, T0 + 3600), -1);   /* 2 is later */
}

static void
test_attribute_first_earliest(void **state)
{
	struct referral rs[3];

	(void)state;
	pg.attribution = ATTR_FIRST;
	rs[0] = ref(2, T0 + 5 * DAY, REFERRAL_PENDING);
	rs[1] = ref(1, T0, REFERRAL_PENDING);
	rs[2] = ref(3, T0 + 9 * DAY, REFERRAL_PENDING);
	assert_int_equal(attribute(rs, 3, T0 + 10 * DAY), 1);
}

static void
test_attribute_first_even_after_its_window(void **state)
{
	struct referral rs[2];

	(void)state;
	pg.attribution = ATTR_FIRST;
	rs[0] = ref(1, T0, REFERRAL_EXPIRED);
	rs[1] = ref(2, T0 + 40 * DAY, REFERRAL_PENDING);
	assert_int_equal(attribute(rs, 2, T0 + 45 * DAY), 0);
}

static void
test_attribute_first_skips_rejected(void **state)
{
	struct referral rs[3];

	(void)state;
	pg.attribution = ATTR_FIRST;
	rs[0] = ref(1, T0, REFERRAL_REJECTED);
	rs[1] = ref(3, T0 + 7 * DAY, REFERRAL_PENDING);
	rs[2] = ref(2, T0 + 2 * DAY, REFERRAL_PENDING);
	assert_int_equal(attribute(rs, 3, T0 + 8 * DAY), 2);
}

static void
test_attribute_ignores_later_referrals(void **state)
{
	struct referral rs[2];

	(void)state;
	pg.attribution = ATTR_LAST;
	rs[0] = ref(1, T0, REFERRAL_PENDING);
	rs[1] = ref(2, T0 + 5 * DAY, REFERRAL_PENDING);
	assert_int_equal(attribute(rs, 2, T0 + 4 * DAY), 0);
	assert_int_equal(attribute(rs, 2, T0 + 5 * DAY), 1);    /* made at t counts */
}

static void
test_attribute_last_latest_in_window(void **state)
{
	struct referral rs[3];

	(void)state;
	pg.attribution = ATTR_LAST;
	rs[0] = ref(1, T0, REFERRAL_PENDING);
	rs[1] = ref(3, T0 + 10 * DAY, REFERRAL_PENDING);
	rs[2] = ref(2, T0 + 5 * DAY, REFERRAL_PENDING);
	assert_int_equal(attribute(rs, 3, T0 + 12 * DAY), 1);
}

static void
test_attribute_last_none_in_window(void **state)
{
	struct referral rs[2];

	(void)state;
	pg.attribution = ATTR_LAST;
	rs[0] = ref(2, T0 + 5 * DAY, REFERRAL_EXPIRED);
	rs[1] = ref(1, T0, REFERRAL_EXPIRED);
	assert_int_equal(attribute(rs, 2, T0 + 100 * DAY), 0);
}

static void
test_attribute_last_skips_rejected(void **state)
{
	struct referral rs[3];

	(void)state;
	pg.attribution = ATTR_LAST;
	rs[0] = ref(1, T0, REFERRAL_PENDING);
	rs[1] = ref(2, T0 + 5 * DAY, REFERRAL_PENDING);
	rs[2] = ref(3, T0 + 6 * DAY, REFERRAL_REJECTED);
	assert_int_equal(attribute(rs, 3, T0 + 7 * DAY), 1);
}

static void
test_attribute_ties(void **state)
{
	struct referral rs[2];

	(void)state;
	rs[0] = ref(8, T0, REFERRAL_PENDING);
	rs[1] = ref(7, T0, REFERRAL_PENDING);
	pg.attribution = ATTR_FIRST;
	assert_int_equal(attribute(rs, 2, T0 + DAY), 1);        /* older id */
	pg.attribution = ATTR_LAST;
	assert_int_equal(attribute(rs, 2, T0 + DAY), 0);        /* newer id */
}

static void
test_attribute_last_window_zero(void **state)
{
	struct referral rs[2];

	(void)state;
	pg.attribution = ATTR_LAST;
	pg.window_days = 0;
	rs[0] = ref(1, T0, REFERRAL_PENDING);
	rs[1] = ref(2, T0 + 500 * (int64_t)DAY, REFERRAL_PENDING);
	assert_int_equal(attribute(rs, 2, T0 + 900 * (int64_t)DAY), 1);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_customer_accepted),
		T(test_partner_accepted),
		T(test_not_active_draft_paused_ended),
		T(test_not_active_outside_dates),
		T(test_open_at),
		T(test_ineligible_customer),
		T(test_ineligible_partner),
		T(test_ineligible_suspended_partner),
		T(test_tier_list),
		T(test_tier_list_partner_without_tier),
		T(test_tier_list_ignored_for_customers),
		T(test_partner_referrer_without_partner_record),
		T(test_self_referral),
		T(test_self_referral_partner_contact),
		T(test_no_referrer_email_is_not_self),
		T(test_duplicate_first_blocks_any),
		T(test_duplicate_last_blocks_same_referrer_only),
		T(test_limit),
		T(test_no_limit),
		T(test_precedence_not_active_first),
		T(test_precedence_ineligible_before_self),
		T(test_precedence_self_before_duplicate),
		T(test_precedence_duplicate_before_limit),
		T(test_window_end),
		T(test_window_zero_never_ends),
		T(test_effective_status_boundary),
		T(test_effective_status_keeps_final_states),
		T(test_effective_status_window_zero),
		T(test_event_in_list),
		T(test_event_case_and_blanks),
		T(test_event_not_in_list),
		T(test_event_empty_items),
		T(test_event_no_list),
		T(test_conversion_window_boundary),
		T(test_conversion_window_zero),
		T(test_conversion_event_must_qualify),
		T(test_conversion_on_rejected_referral),
		T(test_conversion_repeat_on_converted_referral),
		T(test_attribute_none),
		T(test_attribute_first_earliest),
		T(test_attribute_first_even_after_its_window),
		T(test_attribute_first_skips_rejected),
		T(test_attribute_ignores_later_referrals),
		T(test_attribute_last_latest_in_window),
		T(test_attribute_last_none_in_window),
		T(test_attribute_last_skips_rejected),
		T(test_attribute_ties),
		T(test_attribute_last_window_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
