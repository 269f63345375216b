/*
 * test_app_report.c - the top referrers of ally report on each of its
 * paths (report.c): all time from the rank, a partner or tier filter from
 * the partners' day entries, a bounded range by the threshold walk, and
 * the day walk it falls back to; ties by conversions, then by id.  The
 * expected figures are counted by hand from the events in each case.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "app/report.h"
#include "app_fixture.h"

/*
 * Spring (percent 10) and Flat (flat 5.00); partners Acme (tier Gold) and
 * Beta; customers cara and dan.  Referrals, by referral day:
 *   ACME  07-01 (converts 100.00 on 09-02), 10-01, 10-02     3 / 1
 *   BETA  10-03 (converts 50.00 on 10-05), 10-04             2 / 1
 *   CARA  08-01, 08-02, 08-03, 08-04                         4 / 0
 *   DAN   10-10, 10-11 in Spring; 10-12 in Flat (DANF)       2 / 0 (3 / 0 in all)
 */
static void
setup_events(struct fx *f)
{
	fx_tier(f, "Gold", "percent 20");
	fx_partner(f, "Acme", "Gold");
	fx_partner(f, "Beta", NULL);
	fx_program(f, "Spring", "percent 10", NULL);
	fx_program(f, "Flat", "flat 5.00", NULL);
	fx_code(f, "Spring", "Acme", NULL, "ACME");
	fx_code(f, "Spring", "Beta", NULL, "BETA");
	fx_code(f, "Spring", NULL, "cara@example.com", "CARA");
	fx_code(f, "Spring", NULL, "dan@example.com", "DAN");
	fx_code(f, "Flat", NULL, "dan@example.com", "DANF");
	fx_referral(f, "ACME", "buyer-ACME@example.com", "2026-07-01");
	fx_referral(f, "ACME", "a2@example.org", "2026-10-01");
	fx_referral(f, "ACME", "a3@example.org", "2026-10-02");
	fx_referral(f, "BETA", "buyer-BETA@example.com", "2026-10-03");
	fx_referral(f, "BETA", "b2@example.org", "2026-10-04");
	fx_referral(f, "CARA", "c1@example.org", "2026-08-01");
	fx_referral(f, "CARA", "c2@example.org", "2026-08-02");
	fx_referral(f, "CARA", "c3@example.org", "2026-08-03");
	fx_referral(f, "CARA", "c4@example.org", "2026-08-04");
	fx_referral(f, "DAN", "d1@example.org", "2026-10-10");
	fx_referral(f, "DAN", "d2@example.org", "2026-10-11");
	fx_referral(f, "DANF", "d3@example.org", "2026-10-12");
	fx_buy(f, "ACME", "100.00", "OA1", "2026-09-02");
	fx_buy(f, "BETA", "50.00", "OB1", "2026-10-05");
}

/* "NAME refs/conv value" per top referrer, joined with "; ". */
static void
top_of(struct fx *f, const struct report_filter *rf, char *out, size_t len)
{
	struct report r;
	struct err e;
	size_t i, n = 0;

	err_clear(&e);
	if (app_report(f->a, rf, &r, &e) != ST_OK)
		fail_msg("report: %s", e.msg);
	out[0] = '\0';
	for (i = 0; i < r.ntop && n < len; i++)
		n += (size_t)snprintf(out + n, len - n, "%s%s %lld/%lld %lld", i ? "; " : "", r.top[i].name,
		    (long long)r.top[i].referrals, (long long)r.top[i].conversions, (long long)r.top[i].value);
	report_free(&r);
}

static void
test_all_time(void **state)
{
	struct fx *f = *state;
	char got[512];

	setup_events(f);
	/* over all programs DAN has 3 and passes BETA's 2; ACME's 3/1 beats
	 * DAN's 3/0 on conversions */
	top_of(f, &(struct report_filter){ 0 }, got, sizeof got);
	assert_string_equal(got, "cara@example.com 4/0 0; Acme 3/1 10000; dan@example.com 3/0 0; "
	    "Beta 2/1 5000");
	/* in Spring alone DAN has 2/0, behind BETA's 2/1 */
	top_of(f, &(struct report_filter){ .program = "Spring" }, got, sizeof got);
	assert_string_equal(got, "cara@example.com 4/0 0; Acme 3/1 10000; Beta 2/1 5000; "
	    "dan@example.com 2/0 0");
	top_of(f, &(struct report_filter){ .top = 1 }, got, sizeof got);
	assert_string_equal(got, "cara@example.com 4/0 0");
}

static void
test_partner_and_tier(void **state)
{
	struct fx *f = *state;
	char got[512];

	setup_events(f);
	top_of(f, &(struct report_filter){ .partner = "Acme" }, got, sizeof got);
	assert_string_equal(got, "Acme 3/1 10000");
	top_of(f, &(struct report_filter){ .tier = "Gold" }, got, sizeof got);
	assert_string_equal(got, "Acme 3/1 10000");
	/* October only: ACME's July referral and its conversion fall out */
	top_of(f, &(struct report_filter){ .partner = "Acme", .from = "2026-10-01" }, got, sizeof got);
	assert_string_equal(got, "Acme 2/0 0");
	top_of(f, &(struct report_filter){ .partner = "Beta", .from = "2026-10-01" }, got, sizeof got);
	assert_string_equal(got, "Beta 2/1 5000");
}

/* October: BETA 2/1, ACME 2/0, DAN 2/0 in Spring (+1 in Flat); ACME and
 * DAN tie in Spring and ACME's referrer was made first. */
static void
test_bounded_range(void **state)
{
	struct fx *f = *state;
	char got[512];

	setup_events(f);
	/* ten wanted, four referrers: the threshold walk */
	top_of(f, &(struct report_filter){ .from = "2026-10-01" }, got, sizeof got);
	assert_string_equal(got, "dan@example.com 3/0 0; Beta 2/1 5000; Acme 2/0 0");
	top_of(f, &(struct report_filter){ .from = "2026-10-01", .program = "Spring" }, got, sizeof got);
	assert_string_equal(got, "Beta 2/1 5000; Acme 2/0 0; dan@example.com 2/0 0");
	/* two wanted: its budget is spent before it can stop, so the day walk
	 * answers, the same */
	top_of(f, &(struct report_filter){ .from = "2026-10-01", .program = "Spring", .top = 2 }, got,
	    sizeof got);
	assert_string_equal(got, "Beta 2/1 5000; Acme 2/0 0");
	/* August: CARA alone */
	top_of(f, &(struct report_filter){ .from = "2026-08-01", .to = "2026-08-31" }, got, sizeof got);
	assert_string_equal(got, "cara@example.com 4/0 0");
	/* a range with nobody in it */
	top_of(f, &(struct report_filter){ .from = "2026-06-01", .to = "2026-06-30" }, got, sizeof got);
	assert_string_equal(got, "");
}

/* A refund takes value away, not the referral: the rank stays, the value
 * follows; the dashboard's top = -1 asks for no list at all. */
static void
test_refund_and_none(void **state)
{
	struct fx *f = *state;
	struct event_input in = { .type = "refund", .program = "Spring", .id = "OA1", .amount = "40.00" };
	struct event_result res;
	struct report r;
	struct err e;
	char got[512];

	setup_events(f);
	err_clear(&e);
	if (app_track(f->a, &in, &res, &e) != ST_OK)
		fail_msg("refund: %s", e.msg);
	top_of(f, &(struct report_filter){ .partner = "Acme" }, got, sizeof got);
	assert_string_equal(got, "Acme 3/1 6000");
	top_of(f, &(struct report_filter){ .program = "Spring", .top = 2 }, got, sizeof got);
	assert_string_equal(got, "cara@example.com 4/0 0; Acme 3/1 6000");
	if (app_report(f->a, &(struct report_filter){ .top = -1 }, &r, &e) != ST_OK)
		fail_msg("report: %s", e.msg);
	assert_int_equal(r.ntop, 0);
	assert_int_equal(r.total_referrals, 12);
	report_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FX_CASE(test_all_time),
		FX_CASE(test_partner_and_tier),
		FX_CASE(test_bounded_range),
		FX_CASE(test_refund_and_none),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
