/*
 * test_app_ledger.c - commission amounts through the public app API, on
 * the shared fixture: flat, percent (and a tier's rule over the
 * program's), a program's monthly cap, graduated and volume tiers, with
 * the numbers worked by hand in each comment.  tests/cli/ledger.sh keeps
 * the CLI's side (exit codes, messages, an unchanged database).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/ledger.h"
#include "app_fixture.h"

/* percent 10 of 100.55 = 10.055, half away from zero: 10.06; a Gold
 * partner's tier rule percent 20 wins over the program's: 20.11; a
 * customer referrer has no tier: 10.06; flat 25.00 whatever the amount. */
static void
test_percent_flat_and_tier(void **state)
{
	struct fx *f = *state;

	fx_tier(f, "Gold", "percent 20");
	fx_partner(f, "Acme", "Gold");
	fx_partner(f, "Beta", NULL);
	fx_program(f, "Spring", "percent 10", "30");
	fx_program(f, "Flat", "flat 25.00", NULL);
	fx_code(f, "Spring", "Acme", NULL, "ACME");
	fx_code(f, "Spring", "Beta", NULL, "BETA");
	fx_code(f, "Spring", NULL, "cara@example.com", "CARA");
	fx_code(f, "Flat", "Beta", NULL, "BFLAT");
	fx_referral(f, "ACME", "buyer-ACME@example.com", "2026-07-01");
	fx_referral(f, "BETA", "buyer-BETA@example.com", "2026-07-01");
	fx_referral(f, "CARA", "buyer-CARA@example.com", "2026-07-01");
	fx_referral(f, "BFLAT", "buyer-BFLAT@example.com", "2026-07-01");
	fx_buy(f, "ACME", "100.55", "OA1", "2026-09-02");
	fx_buy(f, "BETA", "100.55", "OB1", "2026-09-02");
	fx_buy(f, "CARA", "100.55", "OC1", "2026-09-02");
	fx_buy(f, "BFLAT", "999.99", "OF1", "2026-09-02");
	assert_int_equal(fx_amount(f, "OB1", "commission"), 1006);
	assert_int_equal(fx_amount(f, "OA1", "commission"), 2011);
	assert_int_equal(fx_amount(f, "OC1", "commission"), 1006);
	assert_int_equal(fx_amount(f, "OF1", "commission"), 2500);
	assert_int_equal(fx_total(f, "Spring"), 1006 + 2011 + 1006);
}

/* graduated 0:5% 10000.00:7% 25000.00:10% over one month:
 * 8,000 all at 5% = 400; 12,000 = 2,000 at 5% + 10,000 at 7% = 100 + 700
 * = 800; 10,000 = 5,000 at 7% + 5,000 at 10% = 350 + 500 = 850; the
 * month: 2,050 = 30,000's graduated answer. */
static void
test_graduated(void **state)
{
	struct fx *f = *state;

	fx_partner(f, "Beta", NULL);
	fx_program(f, "Grad", "tiered revenue month graduated 0:5% 10000.00:7% 25000.00:10%", NULL);
	fx_code(f, "Grad", "Beta", NULL, "BGRAD");
	fx_referral(f, "BGRAD", "buyer-BGRAD@example.com", "2026-07-01");
	fx_buy(f, "BGRAD", "8000", "G1", "2026-10-01T09:00:00Z");
	fx_buy(f, "BGRAD", "12000", "G2", "2026-10-02T09:00:00Z");
	fx_buy(f, "BGRAD", "10000", "G3", "2026-10-03T09:00:00Z");
	assert_int_equal(fx_amount(f, "G1", "commission"), 40000);
	assert_int_equal(fx_amount(f, "G2", "commission"), 80000);
	assert_int_equal(fx_amount(f, "G3", "commission"), 85000);
	assert_int_equal(fx_total(f, "Grad"), 205000);
}

/* volume 0:5% 10000.00:7% 25000.00:10%: the whole period at the rate its
 * total reaches.  8,000 + 2,000 = exactly 10,000: still 5% (400 + 100);
 * 0.01 more lifts the period to 7%: V1 560, V2 140, V3 0.0007 -> 0.00;
 * the period 10,000.01 x 7% = 700.0007 -> 700.00.  Pending lines are
 * edited in place: no adjustment. */
static void
test_volume_recalculates(void **state)
{
	struct fx *f = *state;

	fx_partner(f, "Beta", NULL);
	fx_program(f, "Vol", "tiered revenue month volume 0:5% 10000.00:7% 25000.00:10%", "10");
	fx_code(f, "Vol", "Beta", NULL, "BVOL");
	fx_referral(f, "BVOL", "buyer-BVOL@example.com", "2026-07-01");
	fx_buy(f, "BVOL", "8000", "V1", "2026-08-01T01:00:00Z");
	fx_buy(f, "BVOL", "2000", "V2", "2026-08-02T01:00:00Z");
	assert_int_equal(fx_amount(f, "V1", "commission"), 40000);
	assert_int_equal(fx_amount(f, "V2", "commission"), 10000);
	fx_buy(f, "BVOL", "0.01", "V3", "2026-08-03T01:00:00Z");
	assert_int_equal(fx_amount(f, "V1", "commission"), 56000);
	assert_int_equal(fx_amount(f, "V2", "commission"), 14000);
	assert_int_equal(fx_amount(f, "V3", "commission"), 0);
	assert_int_equal(fx_amount(f, "V1", "adjustment"), INT64_MIN);
	assert_int_equal(fx_total(f, "Vol"), 70000);
}

/* Once approved a line is not edited: 25,000.01 in the period lifts it
 * to 10%, so approved V1 (8,000: 560 at 7%, 800 at 10%) gets +240.00 and
 * V2 (2,000: 140 -> 200) +60.00 as adjustments; V4 (15,000) earns
 * 1,500; the period: 25,000.01 x 10% = 2,500.001 -> 2,500.00. */
static void
test_volume_adjusts_approved_lines(void **state)
{
	struct fx *f = *state;
	char v1[24], v2[24], v3[24];
	const char *ids[3];
	struct decision d[3];
	struct err e;

	test_volume_recalculates(state);
	ids[0] = fx_line_id(f, "V1", "commission", v1);
	ids[1] = fx_line_id(f, "V2", "commission", v2);
	ids[2] = fx_line_id(f, "V3", "commission", v3);
	err_clear(&e);
	/* the hold of 10 days has passed by the fixture's 2026-10-15 */
	assert_int_equal(app_commission_approve(f->a, ids, 3, NULL, d, &e), ST_OK);
	fx_buy(f, "BVOL", "15000", "V4", "2026-08-04T01:00:00Z");
	assert_int_equal(fx_amount(f, "V1", "commission"), 56000);
	assert_int_equal(fx_amount(f, "V1", "adjustment"), 24000);
	assert_int_equal(fx_amount(f, "V2", "adjustment"), 6000);
	assert_int_equal(fx_amount(f, "V3", "adjustment"), INT64_MIN);
	assert_int_equal(fx_amount(f, "V4", "commission"), 150000);
	assert_int_equal(fx_total(f, "Vol"), 250000);
}

/* flat 100.00 with a cap of 250.00 per referrer per month, in time
 * order: 100, 100, 50 (250 reached), 0; November starts again: 100. */
static void
test_cap_per_month(void **state)
{
	struct fx *f = *state;
	struct program_input in = { .name = "Capped", .rule = "flat 100.00", .cap = "250",
	    .events = "purchase", .activate = true };
	struct err e;
	char email[32], id[8], at[32];
	int i;

	fx_at("2026-11-20T12:00:00Z");
	err_clear(&e);
	assert_int_equal(app_program_save(f->a, 0, &in, NULL, &e), ST_OK);
	fx_code(f, "Capped", NULL, "cap@x.example", "CAPPED");
	for (i = 1; i <= 4; i++) {
		snprintf(email, sizeof email, "buyer-CAPPED@example.com");
		snprintf(at, sizeof at, "2026-10-0%dT10:00:00Z", i);
		if (i == 1)
			fx_referral(f, "CAPPED", email, at);
		snprintf(id, sizeof id, "K%d", i);
		snprintf(at, sizeof at, "2026-10-1%dT10:00:00Z", i);
		fx_buy(f, "CAPPED", "50", id, at);
	}
	fx_buy(f, "CAPPED", "50", "N1", "2026-11-03T10:00:00Z");
	assert_int_equal(fx_amount(f, "K1", "commission"), 10000);
	assert_int_equal(fx_amount(f, "K2", "commission"), 10000);
	assert_int_equal(fx_amount(f, "K3", "commission"), 5000);
	assert_int_equal(fx_amount(f, "K4", "commission"), 0);
	assert_int_equal(fx_amount(f, "N1", "commission"), 10000);
}

/* One event through app_track; asserts it was taken. */
static void
track(struct fx *f, const char *type, const char *code, const char *email, const char *amount,
    const char *id, const char *at)
{
	struct event_input in = { .type = type, .code = code, .email = email,
	    .event = strcmp(type, "conversion") == 0 ? "purchase" : NULL,
	    .amount = amount, .id = id, .at = at, .program = strcmp(type, "refund") == 0 ? "Shop" : NULL };
	struct event_result r;
	struct err e;

	err_clear(&e);
	if (app_track(f->a, &in, &r, &e) != ST_OK)
		fail_msg("%s %s: %s", type, id ? id : email, e.msg);
}

static void
whatif(struct fx *f, const char *rule, const char *tier, struct whatif *w)
{
	struct whatif_input in = { .program = "Shop", .rule = rule, .tier = tier };
	struct err e;

	err_clear(&e);
	if (app_whatif(f->a, &in, w, &e) != ST_OK)
		fail_msg("whatif %s: %s", rule, e.msg);
}

/*
 * What-if under the rule in force changes nothing: what the ledger's
 * computation says each conversion should earn is what reconciling brought
 * its lines to, after refunds, approvals (their rises are adjustments), a
 * closed month (late conversions and refunds of it are adjustments in the
 * next), a program cap and a volume tier crossing its bracket.  Another
 * rule changes the customers' and the untiered partner's totals only.
 */
static void
test_whatif_identity(void **state)
{
	struct fx *f = *state;
	static const char *const codes[] = { "ACME", "BETA", "CARA" };
	struct fx_line lines[400];
	const char *ids[10];
	struct decision res[10];
	struct whatif w;
	struct err e;
	uint64_t seed = 20261204;
	int64_t total;
	size_t i, n, k;
	char email[64], id[16], amount[24], at[32];

	fx_tier(f, "Vol", "tiered revenue month volume 0:5% 1000.00:8%");
	fx_partner(f, "Acme", "Vol");
	fx_partner(f, "Beta", NULL);
	fx_program(f, "Shop", "percent 10 cap 80.00", "0");
	fx_code(f, "Shop", "Acme", NULL, "ACME");
	fx_code(f, "Shop", "Beta", NULL, "BETA");
	fx_code(f, "Shop", NULL, "cara@example.com", "CARA");
	/* June to August, in time order: a referral and a purchase each day */
	for (i = 0; i < 75; i++) {
		int64_t cents;
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		cents = 1000 + (int64_t)((seed >> 33) % 150000);
		snprintf(email, sizeof email, "k%zu@x.example", i);
		snprintf(id, sizeof id, "O%zu", i);
		snprintf(amount, sizeof amount, "%lld.%02lld", (long long)(cents / 100), (long long)(cents % 100));
		snprintf(at, sizeof at, "2026-%02zu-%02zuT10:00:00Z", 6 + i / 25, 1 + i % 25);
		track(f, "referral", codes[i % 3], email, NULL, NULL, at);
		snprintf(at, sizeof at, "2026-%02zu-%02zuT11:00:00Z", 6 + i / 25, 1 + i % 25);
		track(f, "conversion", codes[i % 3], email, amount, id, at);
		if (i % 7 == 3) {
			snprintf(at, sizeof at, "2026-%02zu-%02zuT12:00:00Z", 6 + i / 25, 1 + i % 25);
			track(f, "refund", NULL, NULL, "5.00", id, at);
		}
	}
	/* ten lines approved, then July closed */
	n = fx_lines(f, "Shop", lines, 400);
	for (i = 0, k = 0; i < n && k < 10; i++)
		if (strcmp(lines[i].status, "pending") == 0)
			ids[k++] = lines[i].id;
	err_clear(&e);
	assert_int_equal(app_commission_approve(f->a, ids, k, NULL, res, &e), ST_OK);
	assert_int_equal(app_period_close(f->a, "2026-07", &e), ST_OK);
	/* a late July purchase and a refund of a closed July line */
	track(f, "referral", "ACME", "late@x.example", NULL, NULL, "2026-07-20T09:00:00Z");
	track(f, "conversion", "ACME", "late@x.example", "1200.00", "LATE", "2026-07-20T10:00:00Z");
	track(f, "refund", NULL, NULL, "50.00", "O30", "2026-09-02T10:00:00Z");

	whatif(f, "percent 10 cap 80.00", NULL, &w);
	assert_true(w.n >= 3);
	for (i = 0; i < w.n; i++) {
		assert_int_equal(w.rows[i].proposed, w.rows[i].current);
		assert_int_equal(w.rows[i].difference, 0);
	}
	n = fx_lines(f, "Shop", lines, 400);
	assert_true(n > 64 && n < 400);
	for (i = 0, total = 0; i < n; i++)
		if (strcmp(lines[i].status, "rejected") != 0 && strcmp(lines[i].status, "reversed") != 0)
			total += lines[i].amount;
	assert_int_equal(w.current, total);
	assert_int_equal(w.difference, 0);
	/* the closed month and the approvals made adjustments to hold to */
	for (i = 0, k = 0; i < n; i++)
		k += strcmp(lines[i].kind, "adjustment") == 0;
	assert_true(k > 0);
	whatif_free(&w);
	/* the tier's own rule, tried as the tier's: nothing changes either */
	whatif(f, "tiered revenue month volume 0:5% 1000.00:8%", "Vol", &w);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.rows[0].name, "Acme");
	assert_int_equal(w.rows[0].difference, 0);
	whatif_free(&w);
	/* another program rule: Acme keeps its tier's, the others change */
	whatif(f, "percent 20 cap 80.00", NULL, &w);
	for (i = 0; i < w.n; i++) {
		if (strcmp(w.rows[i].name, "Acme") == 0)
			assert_int_equal(w.rows[i].difference, 0);
		else
			assert_true(w.rows[i].difference > 0);
	}
	assert_true(w.difference > 0);
	whatif_free(&w);
}

/*
 * A bonus of 25.00 at 2 conversions a month, on both backends: O1 and O2
 * (10.00 each at percent 10) reach it, 10 + 10 + 25 = 45.00; O1 refunded
 * in full takes August back to one conversion: the unpaid bonus is
 * reversed, 10.00 left; O3 reaches it again: a new 25.00 line, 45.00.
 * September starts its own count.
 */
static void
test_bonus_reached_reversed_again(void **state)
{
	struct fx *f = *state;
	struct program_input in = { .bonus = "25.00 at 2 conversions month" };
	struct fx_line lines[16];
	struct err e;
	uint64_t pid;
	size_t i, n, bonuses = 0;

	fx_partner(f, "Beta", NULL);
	pid = fx_program(f, "Shop", "percent 10", "0");
	err_clear(&e);
	assert_int_equal(app_program_save(f->a, pid, &in, NULL, &e), ST_OK);
	fx_code(f, "Shop", "Beta", NULL, "BETA");
	track(f, "referral", "BETA", "a@x.example", NULL, NULL, "2026-08-01T09:00:00Z");
	track(f, "conversion", "BETA", "a@x.example", "100.00", "O1", "2026-08-01T10:00:00Z");
	assert_int_equal(fx_total(f, "Shop"), 1000);
	track(f, "conversion", "BETA", "a@x.example", "100.00", "O2", "2026-08-02T10:00:00Z");
	assert_int_equal(fx_total(f, "Shop"), 4500);
	track(f, "refund", NULL, NULL, "100.00", "O1", "2026-08-03T10:00:00Z");
	assert_int_equal(fx_total(f, "Shop"), 1000);
	track(f, "conversion", "BETA", "a@x.example", "100.00", "O3", "2026-08-04T10:00:00Z");
	assert_int_equal(fx_total(f, "Shop"), 4500);
	track(f, "conversion", "BETA", "a@x.example", "100.00", "O4", "2026-09-01T10:00:00Z");
	assert_int_equal(fx_total(f, "Shop"), 5500);
	n = fx_lines(f, "Shop", lines, 16);
	for (i = 0; i < n; i++)
		if (strcmp(lines[i].kind, "bonus") == 0) {
			bonuses++;
			assert_int_equal(lines[i].amount, strcmp(lines[i].status, "reversed") == 0 ? 0 : 2500);
		}
	assert_int_equal(bonuses, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FX_CASE(test_percent_flat_and_tier),
		FX_CASE(test_graduated),
		FX_CASE(test_volume_recalculates),
		FX_CASE(test_volume_adjusts_approved_lines),
		FX_CASE(test_cap_per_month),
		FX_CASE(test_whatif_identity),
		FX_CASE(test_bonus_reached_reversed_again),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
