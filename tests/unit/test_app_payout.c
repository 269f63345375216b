/*
 * test_app_payout.c - approvals, the hold and payouts through the public
 * app API: a line on hold is refused unless overridden, a payout preview
 * pays one currency's approved lines, the run needs the preview's
 * checksum and marks the lines paid, a second run finds nothing.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/ledger.h"
#include "app_fixture.h"

static void
two_currencies(struct fx *f)
{
	struct program_input usd = { .name = "Dollars", .rule = "percent 10", .currency = "USD",
	    .events = "purchase", .window = "365", .hold = "0", .activate = true };
	struct err e;

	fx_partner(f, "Acme", NULL);
	fx_program(f, "Euros", "percent 10", "0");
	err_clear(&e);
	assert_int_equal(app_program_save(f->a, 0, &usd, NULL, &e), ST_OK);
	fx_code(f, "Euros", "Acme", NULL, "AEUR");
	fx_code(f, "Dollars", "Acme", NULL, "AUSD");
	fx_referral(f, "AEUR", "buyer-AEUR@example.com", "2026-09-01");
	fx_referral(f, "AUSD", "buyer-AUSD@example.com", "2026-09-01");
	fx_buy(f, "AEUR", "300", "E1", "2026-09-02");
	fx_buy(f, "AEUR", "120", "E2", "2026-09-03");
	fx_buy(f, "AUSD", "500", "U1", "2026-09-04");
}

static void
approve(struct fx *f, const char *conversion)
{
	char id[24];
	const char *ids[1];
	struct decision d;
	struct err e;

	ids[0] = fx_line_id(f, conversion, "commission", id);
	err_clear(&e);
	if (app_commission_approve(f->a, ids, 1, NULL, &d, &e) != ST_OK)
		fail_msg("approve %s: %s", conversion, e.msg);
}

static void
test_hold(void **state)
{
	struct fx *f = *state;
	char id[24];
	const char *ids[1];
	struct decision d;
	struct err e;

	fx_partner(f, "Acme", NULL);
	fx_program(f, "Spring", "percent 10", "30");
	fx_code(f, "Spring", "Acme", NULL, "ACME");
	fx_referral(f, "ACME", "buyer-ACME@example.com", "2026-10-01");
	fx_buy(f, "ACME", "100", "H1", "2026-10-10");
	ids[0] = fx_line_id(f, "H1", "commission", id);
	err_clear(&e);
	assert_int_equal(app_commission_approve(f->a, ids, 1, NULL, &d, &e), ST_DATA);
	assert_int_equal(d.outcome, DECIDE_REFUSED);
	assert_non_null(strstr(d.message, "on hold until 2026-11-09"));
	err_clear(&e);
	assert_int_equal(app_commission_approve(f->a, ids, 1, "paid early by contract", &d, &e), ST_OK);
	assert_int_equal(d.outcome, DECIDED);
	assert_int_equal(app_commission_approve(f->a, ids, 1, NULL, &d, &e), ST_OK);
	assert_int_equal(d.outcome, DECIDED_ALREADY);
}

/* E1 30.00 + E2 12.00 in EUR; U1 50.00 in USD: each batch pays one. */
static void
test_preview_per_currency(void **state)
{
	struct fx *f = *state;
	struct payout_input eur = { .cutoff = "2026-10-14" }, usd = { .cutoff = "2026-10-14",
	    .currency = "USD" };
	struct payout_preview p;
	struct err e;

	two_currencies(f);
	approve(f, "E1");
	approve(f, "E2");
	approve(f, "U1");
	err_clear(&e);
	assert_int_equal(app_payout_preview(f->a, &eur, &p, &e), ST_OK);
	assert_string_equal(p.currency, "EUR");
	assert_int_equal(p.nlines, 2);
	assert_int_equal(p.ntotals, 1);
	assert_int_equal(p.total, 4200);
	payout_preview_free(&p);
	assert_int_equal(app_payout_preview(f->a, &usd, &p, &e), ST_OK);
	assert_string_equal(p.currency, "USD");
	assert_int_equal(p.nlines, 1);
	assert_int_equal(p.total, 5000);
	payout_preview_free(&p);
}

static void
test_run_needs_checksum(void **state)
{
	struct fx *f = *state;
	struct payout_input eur = { .cutoff = "2026-10-14" };
	struct payout_preview p;
	struct err e;
	char csv[128], sum[17], *written = NULL;
	uint64_t batch = 0;

	two_currencies(f);
	approve(f, "E1");
	snprintf(csv, sizeof csv, "%s/payout.csv", f->dir);
	err_clear(&e);
	assert_int_equal(app_payout_run(f->a, &eur, "0000000000000000", csv, &batch, &written, &e),
	    ST_CONFLICT);
	assert_non_null(strstr(e.msg, "confirm: the preview changed"));
	assert_int_equal(app_payout_preview(f->a, &eur, &p, &e), ST_OK);
	assert_int_equal(p.total, 3000);
	err_clear(&e);
	assert_int_equal(app_payout_run(f->a, &eur, p.checksum, csv, &batch, &written, &e), ST_OK);
	assert_true(batch != 0);
	free(written);
	written = NULL;
	payout_preview_free(&p);
	assert_int_equal(app_payout_preview(f->a, &eur, &p, &e), ST_OK);
	assert_int_equal(p.nlines, 0);
	snprintf(sum, sizeof sum, "%s", p.checksum);
	payout_preview_free(&p);
	err_clear(&e);
	assert_int_equal(app_payout_run(f->a, &eur, sum, csv, &batch, &written, &e), ST_DATA);
	assert_string_equal(e.msg, "nothing to pay: no approved lines match");
	free(written);
}

static void
test_support_may_not_pay(void **state)
{
	struct fx *f = *state;
	struct payout_input eur = { .cutoff = "2026-10-14" };
	struct payout_preview p;
	struct err e;

	fx_as(f, ROLE_SUPPORT);
	err_clear(&e);
	assert_int_equal(app_payout_preview(f->a, &eur, &p, &e), ST_NOPERM);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FX_CASE(test_hold),
		FX_CASE(test_preview_per_currency),
		FX_CASE(test_run_needs_checksum),
		FX_CASE(test_support_may_not_pay),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
