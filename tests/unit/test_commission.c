/*
 * test_commission.c - the commission engine to the cent: DESIGN.md's worked
 * examples, count brackets, caps, rounding at half a minor unit; then
 * properties over thousands of random rule texts and value sequences, and
 * one measurement (a month of 200,000 conversions).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "domain/commission.h"

static struct rule
parse(const char *text, const char *code)
{
	struct rule r;
	struct err e;

	err_clear(&e);
	if (rule_parse(text, currency_find(code), &r, &e) != ST_OK)
		fail_msg("rule %s: %s", text, e.msg);
	return r;
}

static int64_t
sum(const int64_t *a, size_t n)
{
	int64_t s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += a[i];
	return s;
}

static void
test_graduated_revenue_design_example(void **state)
{
	struct rule r = parse("tiered revenue month graduated 0:5% 10000.00:7% 25000.00:10%", "EUR");
	int64_t one[] = { 3000000 }, out[4];
	int64_t many[] = { 900000, 200000, 1400000, 500000 };

	(void)state;
	commission_compute(&r, currency_find("EUR"), one, 1, out, NULL);
	assert_int_equal(out[0], 205000);       /* 500 + 1,050 + 500 = 2,050.00 */
	commission_compute(&r, currency_find("EUR"), many, 4, out, NULL);
	assert_int_equal(sum(out, 4), 205000);
	assert_int_equal(out[0], 45000);        /* 9,000 x 5% */
	assert_int_equal(out[1], 5000 + 7000);  /* 1,000 x 5% + 1,000 x 7% */
}

static void
test_volume_revenue_design_example(void **state)
{
	struct rule r = parse("tiered revenue quarter volume 0:5% 10000.00:7% 25000.00:10%", "EUR");
	int64_t one[] = { 3000000 }, out[2];
	int64_t exact[] = { 1000000 };

	(void)state;
	commission_compute(&r, currency_find("EUR"), one, 1, out, NULL);
	assert_int_equal(out[0], 300000);       /* 30,000 x 10% */
	commission_compute(&r, currency_find("EUR"), exact, 1, out, NULL);
	assert_int_equal(out[0], 50000);        /* 10,000.00 exactly still earns 5% */
}

static void
test_count_brackets_10_vs_11(void **state)
{
	struct rule r = parse("tiered count month graduated 0:5% 10:7.5%", "EUR");
	int64_t v[11], out[11];
	int i;

	(void)state;
	for (i = 0; i < 11; i++)
		v[i] = 10000;   /* 100.00 each */
	commission_compute(&r, currency_find("EUR"), v, 11, out, NULL);
	assert_int_equal(out[9], 500);          /* 10th: 5% */
	assert_int_equal(out[10], 750);         /* 11th: 7.5% */
}

static void
test_volume_count_flat(void **state)
{
	struct rule r = parse("tiered count month volume 0:20.00 10:30.00", "EUR");
	int64_t v[11], out[11];
	int i;

	(void)state;
	for (i = 0; i < 11; i++)
		v[i] = 1;
	commission_compute(&r, currency_find("EUR"), v, 10, out, NULL);
	assert_int_equal(sum(out, 10), 20000);  /* 10 exactly: still 20.00 each */
	commission_compute(&r, currency_find("EUR"), v, 11, out, NULL);
	assert_int_equal(sum(out, 11), 33000);  /* 11: all at 30.00 */
}

static void
test_percent_cap_and_rounding(void **state)
{
	struct rule r = parse("percent 7.5 cap 500.00", "EUR");
	int64_t v[] = { 1000000, 10, 30 }, out[3];
	struct rule j = parse("percent 5", "JPY");
	int64_t jv[] = { 10, 30 }, jout[2];
	struct rule b = parse("percent 5", "BHD");
	int64_t bv[] = { 10, 30 }, bout[2];

	(void)state;
	commission_compute(&r, currency_find("EUR"), v, 3, out, NULL);
	assert_int_equal(out[0], 50000);        /* 750.00 capped at 500.00 */
	assert_int_equal(out[1], 1);            /* 0.10 x 7.5% = 0.0075 -> 0.01 */
	assert_int_equal(out[2], 2);            /* 0.30 x 7.5% = 0.0225 -> 0.02 */
	commission_compute(&j, currency_find("JPY"), jv, 2, jout, NULL);
	assert_int_equal(jout[0], 1);           /* 10 x 5% = 0.5 yen -> 1 */
	assert_int_equal(jout[1], 2);           /* 1.5 -> 2 */
	commission_compute(&b, currency_find("BHD"), bv, 2, bout, NULL);
	assert_int_equal(bout[0], 1);           /* 0.010 x 5% = 0.0005 -> 0.001 */
}

static void
test_explain_mentions_every_number(void **state)
{
	struct rule r = parse("tiered revenue month graduated 0:5% 10000.00:7% 25000.00:10%", "EUR");
	int64_t one[] = { 3000000 }, out[1];
	struct sbuf x;

	(void)state;
	sbuf_init(&x);
	commission_compute(&r, currency_find("EUR"), one, 1, out, &x);
	assert_non_null(strstr(sbuf_str(&x), "10,000.00 x 5% = 500.000000"));
	assert_non_null(strstr(sbuf_str(&x), "15,000.00 x 7% = 1050.000000"));
	assert_non_null(strstr(sbuf_str(&x), "5,000.00 x 10% = 500.000000"));
	assert_non_null(strstr(sbuf_str(&x), "= 2,050.00"));
	sbuf_free(&x);
}

/* ---- helpers for the tests below ------------------------------------ */

static const struct currency *
cur_of(const char *code)
{
	const struct currency *c = currency_find(code);

	assert_non_null(c);
	return c;
}

/* Lines of values by the rule text in the currency. */
static void
run(const char *text, const char *code, const int64_t *v, size_t n, int64_t *out)
{
	struct rule r = parse(text, code);

	commission_compute(&r, cur_of(code), v, n, out, NULL);
}

static void
assert_lines(const int64_t *got, const int64_t *want, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (got[i] != want[i])
			fail_msg("line %zu: got %lld, want %lld", i, (long long)got[i],
			    (long long)want[i]);
}

#define DESIGN_TIERS "0:5% 10000.00:7% 25000.00:10%"
#define GRAD "tiered revenue month graduated " DESIGN_TIERS
#define VOL "tiered revenue quarter volume " DESIGN_TIERS

/* ---- golden: DESIGN.md's worked examples in several shapes ----------- */

static void
test_graduated_design_example_any_order(void **state)
{
	int64_t asc[] = { 100000, 400000, 1000000, 1500000 }, out[4];
	int64_t desc[] = { 1500000, 1000000, 400000, 100000 };
	int64_t thirds[] = { 1000000, 1000000, 1000000 };
	int64_t tiny_first[] = { 1, 2999999 };
	int64_t want_asc[] = { 5000, 20000, 60000, 120000 };    /* 50, 200, 250+350, 700+500 */
	int64_t want_desc[] = { 85000, 70000, 40000, 10000 };   /* 500+350, 700, 400, 100 */
	int64_t want_thirds[] = { 50000, 70000, 85000 };        /* 500, 700, 350+500 */
	int64_t want_tiny[] = { 0, 205000 };                    /* 0.0005 -> 0.00 */

	(void)state;
	run(GRAD, "EUR", asc, 4, out);
	assert_lines(out, want_asc, 4);
	assert_int_equal(sum(out, 4), 205000);
	run(GRAD, "EUR", desc, 4, out);
	assert_lines(out, want_desc, 4);
	assert_int_equal(sum(out, 4), 205000);
	run(GRAD, "EUR", thirds, 3, out);
	assert_lines(out, want_thirds, 3);
	run(GRAD, "EUR", tiny_first, 2, out);
	assert_lines(out, want_tiny, 2);
}

static void
test_graduated_design_example_3000_small(void **state)
{
	enum { N = 3000 };
	static int64_t v[N], out[N];
	int i;

	(void)state;
	for (i = 0; i < N; i++)
		v[i] = 1000;    /* 10.00 each, 30,000.00 in all */
	run(GRAD, "EUR", v, N, out);
	assert_int_equal(sum(out, N), 205000);
	assert_int_equal(out[0], 50);           /* 10.00 x 5% */
	assert_int_equal(out[999], 50);         /* the 1000th ends at 10,000.00 exactly */
	assert_int_equal(out[1000], 70);
	assert_int_equal(out[2499], 70);        /* ends at 25,000.00 */
	assert_int_equal(out[2500], 100);
	assert_int_equal(out[N - 1], 100);
}

static void
test_volume_design_example_any_order(void **state)
{
	enum { N = 3000 };
	static int64_t many[N], mout[N];
	int64_t asc[] = { 100000, 400000, 1000000, 1500000 }, out[4];
	int64_t desc[] = { 1500000, 1000000, 400000, 100000 };
	int64_t thirds[] = { 1000000, 1000000, 1000000 };
	int64_t want_asc[] = { 10000, 40000, 100000, 150000 };
	int64_t want_desc[] = { 150000, 100000, 40000, 10000 };
	int64_t want_thirds[] = { 100000, 100000, 100000 };
	int i;

	(void)state;
	run(VOL, "EUR", asc, 4, out);
	assert_lines(out, want_asc, 4);
	assert_int_equal(sum(out, 4), 300000);
	run(VOL, "EUR", desc, 4, out);
	assert_lines(out, want_desc, 4);
	run(VOL, "EUR", thirds, 3, out);
	assert_lines(out, want_thirds, 3);
	for (i = 0; i < N; i++)
		many[i] = 1000;
	run(VOL, "EUR", many, N, mout);
	for (i = 0; i < N; i++)
		assert_int_equal(mout[i], 100);
	assert_int_equal(sum(mout, N), 300000);
	/* the first three of asc alone: 15,000.00 reaches 7% */
	run(VOL, "EUR", asc, 3, out);
	assert_int_equal(out[0], 7000);
	assert_int_equal(out[1], 28000);
	assert_int_equal(out[2], 70000);
}

/* ---- golden: count brackets ----------------------------------------- */

static void
test_count_graduated_three_brackets(void **state)
{
	int64_t v[51], out[51];
	int i;

	(void)state;
	for (i = 0; i < 51; i++)
		v[i] = 10000;
	run("tiered count month graduated 0:5% 10:7.5% 50:10%", "EUR", v, 51, out);
	for (i = 0; i < 10; i++)
		assert_int_equal(out[i], 500);
	for (i = 10; i < 50; i++)
		assert_int_equal(out[i], 750);
	assert_int_equal(out[50], 1000);        /* 51st */
}

static void
test_count_volume_percent_10_vs_11(void **state)
{
	int64_t v[11], out[11];
	int i;

	(void)state;
	for (i = 0; i < 11; i++)
		v[i] = 10000;
	run("tiered count month volume 0:5% 10:7.5%", "EUR", v, 10, out);
	for (i = 0; i < 10; i++)
		assert_int_equal(out[i], 500);  /* 10 does not exceed 10 */
	run("tiered count month volume 0:5% 10:7.5%", "EUR", v, 11, out);
	for (i = 0; i < 11; i++)
		assert_int_equal(out[i], 750);  /* the 11th lifts all of them */
	assert_int_equal(sum(out, 11), 8250);
}

static void
test_count_graduated_flat_10_vs_11(void **state)
{
	int64_t v[12] = { 0 }, out[12];
	int i;

	(void)state;
	run("tiered count month graduated 0:20.00 10:30.00", "EUR", v, 12, out);
	for (i = 0; i < 10; i++)
		assert_int_equal(out[i], 2000);
	assert_int_equal(out[10], 3000);
	assert_int_equal(out[11], 3000);
	assert_int_equal(sum(out, 12), 26000);
}

static void
test_count_flat_brackets_three(void **state)
{
	int64_t v[6] = { 1, 2, 3, 4, 5, 6 }, out[6];
	int64_t want_grad[] = { 100, 100, 200, 200, 300, 300 };
	int64_t want_vol5[] = { 300, 300, 300, 300, 300 };
	int64_t want_vol4[] = { 200, 200, 200, 200 };

	(void)state;
	run("tiered count month graduated 0:1.00 2:2.00 4:3.00", "EUR", v, 6, out);
	assert_lines(out, want_grad, 6);
	run("tiered count month volume 0:1.00 2:2.00 4:3.00", "EUR", v, 5, out);
	assert_lines(out, want_vol5, 5);
	run("tiered count month volume 0:1.00 2:2.00 4:3.00", "EUR", v, 4, out);
	assert_lines(out, want_vol4, 4);
}

/* ---- golden: a period total exactly at a bracket bound --------------- */

static void
test_volume_exactly_at_bound(void **state)
{
	int64_t at[] = { 400000, 600000 }, above[] = { 400000, 600001 }, out[2];
	int64_t at2[] = { 2500000 };

	(void)state;
	run(VOL, "EUR", at, 2, out);
	assert_int_equal(out[0], 20000);        /* 10,000.00 exactly: 5% */
	assert_int_equal(out[1], 30000);
	run(VOL, "EUR", above, 2, out);
	assert_int_equal(out[0], 28000);        /* 10,000.01: 7% for all */
	assert_int_equal(out[1], 42000);        /* 700.0007 -> 700.00, minus 280.00 */
	run(VOL, "EUR", at2, 1, out);
	assert_int_equal(out[0], 175000);       /* 25,000.00 exactly: still 7% */
}

static void
test_graduated_exactly_at_bound(void **state)
{
	int64_t v[] = { 1000000, 1, 1499999, 1 }, out[4];

	(void)state;
	run(GRAD, "EUR", v, 4, out);
	assert_int_equal(out[0], 50000);        /* 10,000.00: all at 5% */
	assert_int_equal(out[1], 0);            /* 0.01 x 7% */
	/* to 25,000.00: 500.0007 + 14,999.99 x 7% = 1,550.00 */
	assert_int_equal(out[2], 105000);
	assert_int_equal(out[3], 0);            /* 0.01 x 10% = 0.001 */
	assert_int_equal(sum(out, 4), 155000);
}

/* ---- golden: the period kind does not change the arithmetic ---------- */

static void
test_periods_same_within_period(void **state)
{
	static const char *const periods[] = { "month", "quarter", "year", "lifetime" };
	static const enum period want[] = { PERIOD_MONTH, PERIOD_QUARTER, PERIOD_YEAR,
		PERIOD_LIFETIME };
	static const char *const shapes[][3] = {
		{ "revenue", "graduated", DESIGN_TIERS },
		{ "revenue", "volume", DESIGN_TIERS },
		{ "count", "graduated", "0:5% 2:7.5% 4:10.00" },
		{ "count", "volume", "0:5% 2:7.5% 4:10.00" },
	};
	int64_t v[] = { 123456, 1, 999999, 1500000, 77, 345678 };
	int64_t base[6], out[6];
	char text[200];
	size_t s, p;

	(void)state;
	for (s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
		for (p = 0; p < 4; p++) {
			struct rule r;

			snprintf(text, sizeof text, "tiered %s %s %s %s", shapes[s][0],
			    periods[p], shapes[s][1], shapes[s][2]);
			r = parse(text, "EUR");
			assert_int_equal(r.period, want[p]);
			commission_compute(&r, cur_of("EUR"), v, 6, p == 0 ? base : out, NULL);
			if (p > 0)
				assert_lines(out, base, 6);
		}
	}
	/* DESIGN's 30,000.00 gives the same in any period kind */
	run("tiered revenue year graduated " DESIGN_TIERS, "EUR", (const int64_t[]){ 3000000 }, 1, out);
	assert_int_equal(out[0], 205000);
	run("tiered revenue lifetime volume " DESIGN_TIERS, "EUR", (const int64_t[]){ 3000000 }, 1, out);
	assert_int_equal(out[0], 300000);
}

/* ---- golden: caps ------------------------------------------------------ */

static void
test_cap_percent_at_and_around(void **state)
{
	int64_t v[] = { 100000, 100001, 100005, 200000, 99994 }, out[5];
	int64_t want[] = { 10000, 10000, 10000, 10000, 9999 };

	(void)state;
	/* 100.00, 100.001 -> 100.00, 100.005 -> 100.01 -> cap 100.00, 200 -> cap, 99.994 */
	run("percent 10 cap 100.00", "EUR", v, 5, out);
	assert_lines(out, want, 5);
}

static void
test_cap_on_tiered_lines(void **state)
{
	int64_t one[] = { 3000000 }, desc[] = { 1500000, 1000000, 400000, 100000 }, out[11];
	int64_t want_grad[] = { 60000, 60000, 40000, 10000 };
	int64_t want_vol[] = { 120000, 100000, 40000, 10000 };
	int64_t zeros[11] = { 0 };
	int i;

	(void)state;
	run(GRAD " cap 1000.00", "EUR", one, 1, out);
	assert_int_equal(out[0], 100000);       /* 2,050.00 capped */
	run(GRAD " cap 600.00", "EUR", desc, 4, out);
	assert_lines(out, want_grad, 4);        /* 850 and 700 clipped, not carried */
	run("tiered revenue month volume " DESIGN_TIERS " cap 1200.00", "EUR", desc, 4, out);
	assert_lines(out, want_vol, 4);         /* 1,500.00 clipped */
	run("tiered count month graduated 0:20.00 10:30.00 cap 25.00", "EUR", zeros, 11, out);
	for (i = 0; i < 10; i++)
		assert_int_equal(out[i], 2000);
	assert_int_equal(out[10], 2500);
	run("tiered count month volume 0:20.00 10:30.00 cap 25.00", "EUR", zeros, 11, out);
	for (i = 0; i < 11; i++)
		assert_int_equal(out[i], 2500);
}

/* ---- golden: half away from zero --------------------------------------- */

static void
test_round_half_away_from_zero_micro(void **state)
{
	(void)state;
	assert_int_equal(commission_round(0), 0);
	assert_int_equal(commission_round(5000), 1);
	assert_int_equal(commission_round(-5000), -1);
	assert_int_equal(commission_round(4999), 0);
	assert_int_equal(commission_round(-4999), 0);
	assert_int_equal(commission_round(5001), 1);
	assert_int_equal(commission_round(-5001), -1);
	assert_int_equal(commission_round(15000), 2);   /* not banker's: 2 either way */
	assert_int_equal(commission_round(-15000), -2);
	assert_int_equal(commission_round(25000), 3);   /* banker's would say 2 */
	assert_int_equal(commission_round(-25000), -3);
	assert_int_equal(commission_round(9999), 1);
	assert_int_equal(commission_round(-9999), -1);
	assert_int_equal(commission_round(10000), 1);
	assert_int_equal(commission_round(-10000), -1);
	/* far beyond int64 micro: 10^20 micro = 10^16 minor */
	assert_int_equal(commission_round((__int128)10000000000000000LL * MICRO + 5000),
	    10000000000000001LL);
	assert_int_equal(commission_round(-((__int128)10000000000000000LL * MICRO + 5000)),
	    -10000000000000001LL);
}

/* percent 5 of 10, 50, 30, -10, -50 minor units: .5, 2.5, 1.5, -.5, -2.5 */
static void
half_in(const char *code, const char *const *shown)
{
	int64_t v[] = { 10, 50, 30, -10, -50 }, out[5];
	int64_t want[] = { 1, 3, 2, -1, -3 };
	struct rule r = parse("percent 5", code);
	struct sbuf x[5];
	char line[80];
	int i;

	for (i = 0; i < 5; i++)
		sbuf_init(&x[i]);
	commission_compute(&r, cur_of(code), v, 5, out, x);
	assert_lines(out, want, 5);
	for (i = 0; i < 5; i++) {
		snprintf(line, sizeof line, "rounded half away from zero: %s\n", shown[i]);
		if (strstr(sbuf_str(&x[i]), line) == NULL)
			fail_msg("%s line %d: no \"%s\" in:\n%s", code, i, line, sbuf_str(&x[i]));
		sbuf_free(&x[i]);
	}
}

static void
test_round_half_eur(void **state)
{
	static const char *const shown[] = { "0.01", "0.03", "0.02", "-0.01", "-0.03" };

	(void)state;
	half_in("EUR", shown);
}

static void
test_round_half_jpy(void **state)
{
	static const char *const shown[] = { "1", "3", "2", "-1", "-3" };

	(void)state;
	half_in("JPY", shown);
}

static void
test_round_half_bhd(void **state)
{
	static const char *const shown[] = { "0.001", "0.003", "0.002", "-0.001", "-0.003" };

	(void)state;
	half_in("BHD", shown);
}

static void
test_round_half_cumulative_tiered(void **state)
{
	int64_t v[] = { 10, 10, 10, 10, 10 }, out[5];
	int64_t want[] = { 1, 0, 1, 0, 1 };     /* F = .5 1 1.5 2 2.5 -> 1 1 2 2 3 */
	static const char *const codes[] = { "EUR", "JPY", "BHD" };
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		run("tiered revenue month graduated 0:5%", codes[i], v, 5, out);
		assert_lines(out, want, 5);
		run("tiered count month graduated 0:5%", codes[i], v, 5, out);
		assert_lines(out, want, 5);
	}
	/* 7.5% of 0.10 = 0.75 minor: per-line rounding for percent rules */
	run("percent 7.5", "EUR", v, 2, out);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[1], 1);
}

/* ---- golden: flat rules, mixed brackets -------------------------------- */

static void
test_flat_rules(void **state)
{
	int64_t v[] = { 0, 100, 1000000000000LL }, out[3];
	struct rule r = parse("flat 25.00", "EUR");
	int i;

	(void)state;
	commission_compute(&r, cur_of("EUR"), v, 3, out, NULL);
	for (i = 0; i < 3; i++)
		assert_int_equal(out[i], 2500);
	assert_true(commission_period_micro(&r, v, 3) == (__int128)3 * 2500 * MICRO);
	run("flat 25.00 cap 10.00", "EUR", v, 3, out);
	for (i = 0; i < 3; i++)
		assert_int_equal(out[i], 1000);
	run("flat 500", "JPY", v, 3, out);
	assert_int_equal(out[2], 500);
	run("flat 1.250", "BHD", v, 3, out);
	assert_int_equal(out[1], 1250);
}

static void
test_mixed_percent_flat_count(void **state)
{
	int64_t v[] = { 10000, 10000, 10000, 10000, 10000 }, out[5];
	int64_t want_grad[] = { 500, 500, 500, 1000, 1000 };

	(void)state;
	run("tiered count month graduated 0:5% 3:10.00", "EUR", v, 5, out);
	assert_lines(out, want_grad, 5);
	run("tiered count month volume 0:5% 3:10.00", "EUR", v, 3, out);
	assert_int_equal(sum(out, 3), 1500);    /* 3 does not exceed 3 */
	run("tiered count month volume 0:5% 3:10.00", "EUR", v, 4, out);
	assert_int_equal(sum(out, 4), 4000);    /* 4: 10.00 each */
	assert_int_equal(out[0], 1000);
}

static void
test_mixed_percent_flat_revenue(void **state)
{
	int64_t at[] = { 60000, 40000 }, above[] = { 60000, 50000 }, out[3];
	int64_t g[] = { 60000, 60000, 10000 };

	(void)state;
	run("tiered revenue month volume 0:5% 1000.00:10.00", "EUR", at, 2, out);
	assert_int_equal(out[0], 3000);
	assert_int_equal(out[1], 2000);
	run("tiered revenue month volume 0:5% 1000.00:10.00", "EUR", above, 2, out);
	assert_int_equal(out[0], 1000);
	assert_int_equal(out[1], 1000);
	/* graduated: the part below 1,000.00 at 5%, plus the flat amount of
	 * the bracket a conversion ends in (rule.h: per conversion) */
	run("tiered revenue month graduated 0:5% 1000.00:10.00", "EUR", g, 3, out);
	assert_int_equal(out[0], 3000);         /* 600 x 5% */
	assert_int_equal(out[1], 2000 + 1000);  /* 400 x 5% + 10.00 */
	assert_int_equal(out[2], 1000);
}

/* ---- golden: tiny and huge ------------------------------------------- */

static void
test_single_cent(void **state)
{
	int64_t v[] = { 1 }, out[1];

	(void)state;
	run("percent 5", "EUR", v, 1, out);
	assert_int_equal(out[0], 0);            /* 0.0005 */
	run("percent 50", "EUR", v, 1, out);
	assert_int_equal(out[0], 1);            /* 0.005 -> 0.01 */
	run("percent 49.99", "EUR", v, 1, out);
	assert_int_equal(out[0], 0);            /* 0.004999 */
	run(GRAD, "EUR", v, 1, out);
	assert_int_equal(out[0], 0);
	run(VOL, "EUR", v, 1, out);
	assert_int_equal(out[0], 0);
	run("tiered revenue month volume 0:50%", "EUR", v, 1, out);
	assert_int_equal(out[0], 1);
	run("tiered count month graduated 0:50%", "EUR", v, 1, out);
	assert_int_equal(out[0], 1);
	run("tiered revenue month graduated 0:1000%", "EUR", v, 1, out);
	assert_int_equal(out[0], 10);
	run("flat 0.01", "EUR", v, 1, out);
	assert_int_equal(out[0], 1);
	run("percent 50", "JPY", v, 1, out);
	assert_int_equal(out[0], 1);            /* 0.5 yen -> 1 */
}

static void
test_large_values_no_overflow(void **state)
{
	enum { N = 1000 };
	static int64_t v[N], out[N];
	static struct sbuf x[N];
	const int64_t big = 1000000000000LL;    /* 10^12 minor units */
	struct rule r;
	int i;

	(void)state;
	for (i = 0; i < N; i++)
		v[i] = big;
	run("percent 1000", "EUR", v, 1, out);
	assert_int_equal(out[0], 10 * big);
	run("percent 7.5", "EUR", v, 1, out);
	assert_int_equal(out[0], 75000000000LL);
	run("percent 10", "JPY", v, 1, out);
	assert_int_equal(out[0], big / 10);
	/* 10^15 minor in a period: 10^12 x 5% + (10^15 - 10^12) x 10% */
	r = parse("tiered revenue month graduated 0:5% 10000000000.00:10%", "EUR");
	commission_compute(&r, cur_of("EUR"), v, N, out, NULL);
	assert_int_equal(out[0], big / 20);
	for (i = 1; i < N; i++)
		assert_int_equal(out[i], big / 10);
	assert_int_equal(sum(out, N), 99950000000000LL);
	assert_true(commission_round(commission_period_micro(&r, v, N)) == 99950000000000LL);
	/* 10^15 x 1000% = 10^20 micro: beyond int64 */
	r = parse("tiered revenue lifetime volume 0:5% 1.00:1000%", "EUR");
	for (i = 0; i < N; i++)
		sbuf_init(&x[i]);
	commission_compute(&r, cur_of("EUR"), v, N, out, x);
	for (i = 0; i < N; i++)
		assert_int_equal(out[i], 10 * big);
	assert_true(commission_period_micro(&r, v, N) == (__int128)N * big * 100000);
	assert_true(commission_round(commission_period_micro(&r, v, N)) == (__int128)N * big * 10);
	/* the period total 10^15 minor and a line of 10^13 minor, readable */
	assert_non_null(strstr(sbuf_str(&x[N - 1]), "10,000,000,000,000.00"));
	assert_non_null(strstr(sbuf_str(&x[N - 1]), "= 100,000,000,000.00"));
	for (i = 0; i < N; i++)
		sbuf_free(&x[i]);
	r = parse("tiered count year graduated 0:1000%", "EUR");
	commission_compute(&r, cur_of("EUR"), v, N, out, NULL);
	assert_int_equal(sum(out, N), N * 10 * big);
}

/* ---- properties: random rule TEXT, parsed, against a model -------------
 *
 * A fixed-seed PRNG writes rule text (random keyword case and blanks), the
 * generator keeps what it meant in a model of its own, and every expected
 * number is computed here from DESIGN.md's wording, not from the engine's
 * structures: a parser mistake shows up as a wrong amount.
 */

static uint64_t rng;

static uint64_t
rnd(void)
{
	/* splitmix64 */
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int64_t
below(int64_t n)
{
	return n <= 1 ? 0 : (int64_t)(rnd() % (uint64_t)n);
}

static bool
chance(int percent)
{
	return below(100) < percent;
}

#define MAXN 200

struct model {
	int kind;               /* RULE_FLAT, RULE_PERCENT, RULE_TIERED */
	int64_t flat, cap;
	int32_t bp;
	int basis, mode, nb;
	int64_t lower[RULE_MAX_BRACKETS];
	bool pct[RULE_MAX_BRACKETS];
	int32_t rate[RULE_MAX_BRACKETS];
	int64_t amount[RULE_MAX_BRACKETS];
};

struct gcase {
	char text[1024];
	const struct currency *cur;
	struct model m;
	struct rule r;
	int64_t v[MAXN];
	size_t n;
};

enum want { W_ANY, W_GRADUATED, W_VOLUME, W_SIMPLE };
enum capw { C_NONE, C_CAP, C_ANY };

/* Half away from zero, written out again for the model. */
static int64_t
model_round(__int128 micro)
{
	if (micro >= 0)
		return (int64_t)((micro + MICRO / 2) / MICRO);
	return -(int64_t)((-micro + MICRO / 2) / MICRO);
}

static void
emit(char *buf, size_t sz, const char *s)
{
	size_t l = strlen(buf);

	snprintf(buf + l, sz - l, "%s", s);
}

/* A keyword in random case, then one to three blanks. */
static void
emit_word(struct gcase *c, const char *w)
{
	char tmp[32], sep[4];
	size_t i, k, nsep = (size_t)below(3) + 1;
	int style = (int)below(4);

	for (i = 0; w[i] && i < sizeof tmp - 1; i++) {
		char ch = w[i];
		if (style == 1 || (style == 2 && i == 0) || (style == 3 && chance(50)))
			ch = (char)(ch - 'a' + 'A');
		tmp[i] = ch;
	}
	tmp[i] = '\0';
	for (k = 0; k < nsep; k++)
		sep[k] = chance(80) ? ' ' : '\t';
	sep[nsep] = '\0';
	emit(c->text, sizeof c->text, tmp);
	emit(c->text, sizeof c->text, sep);
}

/* minor units as the plain decimal the grammar takes, sometimes with
 * fewer decimals than the currency has ("25" for 25.00). */
static void
amount_text(char *buf, size_t sz, int64_t minor, int digits)
{
	int64_t scale = 1, whole, frac;
	int d;

	for (d = 0; d < digits; d++)
		scale *= 10;
	whole = minor / scale;
	frac = minor % scale;
	if (digits == 0)
		snprintf(buf, sz, "%lld", (long long)whole);
	else if (frac == 0 && chance(30))
		snprintf(buf, sz, "%lld", (long long)whole);
	else
		snprintf(buf, sz, "%lld.%0*lld", (long long)whole, digits, (long long)frac);
}

static void
rate_text(char *buf, size_t sz, int32_t bp, bool sign)
{
	const char *pc = sign ? "%" : "";

	if (bp % 100 == 0 && chance(70))
		snprintf(buf, sz, "%d%s", bp / 100, pc);
	else if (bp % 10 == 0 && chance(70))
		snprintf(buf, sz, "%d.%d%s", bp / 100, (bp % 100) / 10, pc);
	else
		snprintf(buf, sz, "%d.%02d%s", bp / 100, bp % 100, pc);
}

static int32_t
random_bp(void)
{
	switch (below(5)) {
	case 0:
		return (int32_t)below(100001);          /* anything up to 1000% */
	case 1:
		return (int32_t)(below(41) * 25);       /* 0.25% steps to 10% */
	case 2:
		return (int32_t)(below(31) * 100);      /* whole percents */
	default:
		return (int32_t)below(3001);
	}
}

static int64_t
random_amount(void)
{
	switch (below(4)) {
	case 0:
		return 1 + below(100);
	case 1:
		return 1 + below(100000);
	case 2:
		return 1 + below(100000000);
	default:
		return 1 + below(10000);
	}
}

static void
gen_values(struct gcase *c)
{
	int scale = (int)below(5);
	int64_t cum = 0;
	size_t i, k;

	c->n = chance(5) ? (size_t)below(MAXN + 1) : (size_t)below(41);
	for (i = 0; i < c->n; i++) {
		int64_t v;
		switch (chance(30) ? (int)below(5) : scale) {
		case 0: v = below(100); break;
		case 1: v = below(100000); break;
		case 2: v = below(10000000); break;
		case 3: v = below(1000000000000LL); break;
		default: v = below(1000000000); break;
		}
		if (chance(8))
			v = 0;
		/* land exactly on the next revenue bracket bound now and then */
		if (c->m.kind == RULE_TIERED && c->m.basis == BASIS_REVENUE && chance(20)) {
			for (k = 0; k < (size_t)c->m.nb; k++)
				if (c->m.lower[k] > cum) {
					v = c->m.lower[k] - cum + (chance(30) ? below(3) - 1 : 0);
					if (v < 0)
						v = 0;
					break;
				}
		}
		c->v[i] = v;
		cum += v;
	}
}

static void
gen_case(struct gcase *c, enum want w, enum capw cw)
{
	static const char *const codes[] = { "EUR", "JPY", "BHD", "USD", "KWD", "CLP" };
	static const char *const periods[] = { "month", "quarter", "year", "lifetime" };
	struct model *m = &c->m;
	char buf[64], lb[64];
	struct err e;
	int digits, i;

	memset(c, 0, sizeof *c);
	c->cur = cur_of(codes[below(6)]);
	digits = c->cur->digits;
	switch (w) {
	case W_GRADUATED:
	case W_VOLUME:
		m->kind = RULE_TIERED;
		break;
	case W_SIMPLE:
		m->kind = chance(30) ? RULE_FLAT : RULE_PERCENT;
		break;
	default:
		m->kind = chance(15) ? RULE_FLAT : chance(25) ? RULE_PERCENT : RULE_TIERED;
		break;
	}
	if (m->kind == RULE_FLAT) {
		m->flat = random_amount();
		emit_word(c, "flat");
		amount_text(buf, sizeof buf, m->flat, digits);
		emit(c->text, sizeof c->text, buf);
	} else if (m->kind == RULE_PERCENT) {
		m->bp = random_bp();
		emit_word(c, "percent");
		rate_text(buf, sizeof buf, m->bp, chance(30));
		emit(c->text, sizeof c->text, buf);
	} else {
		m->basis = chance(50) ? BASIS_COUNT : BASIS_REVENUE;
		m->mode = w == W_GRADUATED ? MODE_GRADUATED : w == W_VOLUME ? MODE_VOLUME :
		    chance(50) ? MODE_GRADUATED : MODE_VOLUME;
		m->nb = chance(5) ? RULE_MAX_BRACKETS : 1 + (int)below(6);
		emit_word(c, "tiered");
		emit_word(c, m->basis == BASIS_COUNT ? "count" : "revenue");
		emit_word(c, periods[below(4)]);
		emit_word(c, m->mode == MODE_GRADUATED ? "graduated" : "volume");
		for (i = 0; i < m->nb; i++) {
			if (i == 0)
				m->lower[i] = 0;
			else if (m->basis == BASIS_COUNT)
				m->lower[i] = m->lower[i - 1] + 1 + below(chance(50) ? 3 : 20);
			else
				m->lower[i] = m->lower[i - 1] + random_amount();
			m->pct[i] = chance(80);
			if (m->pct[i])
				m->rate[i] = random_bp();
			else
				m->amount[i] = random_amount();
			if (m->basis == BASIS_COUNT || m->lower[i] == 0)
				snprintf(lb, sizeof lb, "%lld", (long long)m->lower[i]);
			else
				amount_text(lb, sizeof lb, m->lower[i], digits);
			if (m->pct[i])
				rate_text(buf, sizeof buf, m->rate[i], true);
			else
				amount_text(buf, sizeof buf, m->amount[i], digits);
			emit(c->text, sizeof c->text, lb);
			emit(c->text, sizeof c->text, ":");
			emit(c->text, sizeof c->text, buf);
			if (i + 1 < m->nb)
				emit(c->text, sizeof c->text, " ");
		}
	}
	if (cw == C_CAP || (cw == C_ANY && chance(25))) {
		m->cap = chance(50) ? 1 + below(1000) : random_amount();
		emit(c->text, sizeof c->text, " ");
		emit_word(c, "cap");
		amount_text(buf, sizeof buf, m->cap, digits);
		emit(c->text, sizeof c->text, buf);
	}
	if (chance(20))
		emit(c->text, sizeof c->text, chance(50) ? " " : "\t");
	err_clear(&e);
	if (rule_parse(c->text, c->cur, &c->r, &e) != ST_OK)
		fail_msg("rule_parse(\"%s\", %s): %s", c->text, c->cur->code, e.msg);
	gen_values(c);
}

/* The bracket a count or revenue basis x falls in: the highest whose
 * lower bound x exceeds, the first when none. */
static int
model_reached(const struct model *m, int64_t x)
{
	int k, got = 0;

	for (k = 0; k < m->nb; k++)
		if (x > m->lower[k])
			got = k;
	return got;
}

/* Graduated revenue: sum over the percent brackets of
 * |[lower_k, lower_k+1) ∩ [0, s)| x rate_k. */
static __int128
model_integral(const struct model *m, int64_t s)
{
	__int128 t = 0;
	int k;

	for (k = 0; k < m->nb; k++) {
		int64_t lo = m->lower[k], hi = k + 1 < m->nb ? m->lower[k + 1] : INT64_MAX;
		int64_t a = lo, z = s < hi ? s : hi;
		if (m->pct[k] && z > a)
			t += (__int128)(z - a) * m->rate[k];
	}
	return t;
}

/* F(i), the model's cumulative commission after conversion i (1-based),
 * in micro units, for a tiered rule; the whole period decides volume. */
static void
model_cumulative(const struct gcase *c, __int128 *F)
{
	const struct model *m = &c->m;
	int64_t total = 0, cum = 0;
	size_t i;
	int k;

	for (i = 0; i < c->n; i++)
		total += c->v[i];
	F[0] = 0;
	if (m->mode == MODE_VOLUME) {
		k = model_reached(m, m->basis == BASIS_COUNT ? (int64_t)c->n : total);
		for (i = 0; i < c->n; i++) {
			cum += c->v[i];
			F[i + 1] = m->pct[k] ? (__int128)cum * m->rate[k] :
			    (__int128)m->amount[k] * MICRO * (__int128)(i + 1);
		}
		return;
	}
	if (m->basis == BASIS_COUNT) {
		/* conversion n covers (n-1, n]: the bracket with lower <= n-1 */
		for (i = 0; i < c->n; i++) {
			for (k = m->nb - 1; k > 0 && m->lower[k] > (int64_t)i; k--)
				;
			F[i + 1] = F[i] + (m->pct[k] ? (__int128)c->v[i] * m->rate[k] :
			    (__int128)m->amount[k] * MICRO);
		}
		return;
	}
	/* revenue: the integral, plus a flat bracket's amount once per
	 * conversion that ends in it */
	{
		__int128 flats = 0;
		for (i = 0; i < c->n; i++) {
			cum += c->v[i];
			k = model_reached(m, cum);
			if (!m->pct[k])
				flats += (__int128)m->amount[k] * MICRO;
			F[i + 1] = model_integral(m, cum) + flats;
		}
	}
}

/* The model's lines: tiered round(F(i)) - round(F(i-1)); otherwise one
 * rounding per line; then the cap. */
static void
model_lines(const struct gcase *c, int64_t *lines, bool with_cap)
{
	static __int128 F[MAXN + 1];
	const struct model *m = &c->m;
	size_t i;

	if (m->kind == RULE_TIERED)
		model_cumulative(c, F);
	for (i = 0; i < c->n; i++) {
		int64_t l;
		if (m->kind == RULE_FLAT)
			l = m->flat;
		else if (m->kind == RULE_PERCENT)
			l = model_round((__int128)c->v[i] * m->bp);
		else
			l = model_round(F[i + 1]) - model_round(F[i]);
		if (with_cap && m->cap > 0 && l > m->cap)
			l = m->cap;
		lines[i] = l;
	}
}

static void
dump_case(const struct gcase *c, size_t upto)
{
	size_t i;

	print_message("# rule \"%s\" in %s, %zu values:", c->text, c->cur->code, c->n);
	for (i = 0; i < c->n && i < upto; i++)
		print_message(" %lld", (long long)c->v[i]);
	print_message("\n");
}

#define CASES 4000

static void
check_lines_against_model(struct gcase *c, uint64_t iter)
{
	static int64_t got[MAXN], want[MAXN];
	size_t i;

	commission_compute(&c->r, c->cur, c->v, c->n, got, NULL);
	model_lines(c, want, true);
	for (i = 0; i < c->n; i++)
		if (got[i] != want[i]) {
			dump_case(c, MAXN);
			fail_msg("case %llu line %zu: engine %lld, model %lld",
			    (unsigned long long)iter, i, (long long)got[i], (long long)want[i]);
		}
}

/* (a) graduated: the lines add up to the rounded bracket integral. */
static void
test_prop_graduated_total_is_bracket_integral(void **state)
{
	static __int128 F[MAXN + 1];
	static int64_t got[MAXN];
	struct gcase c;
	uint64_t it;

	(void)state;
	rng = 0xa11ce5eed0001ULL;
	for (it = 0; it < CASES; it++) {
		__int128 pm;
		gen_case(&c, W_GRADUATED, C_NONE);
		commission_compute(&c.r, c.cur, c.v, c.n, got, NULL);
		model_cumulative(&c, F);
		pm = commission_period_micro(&c.r, c.v, c.n);
		if (pm != F[c.n] || sum(got, c.n) != model_round(F[c.n]) ||
		    sum(got, c.n) != commission_round(pm)) {
			dump_case(&c, MAXN);
			fail_msg("case %llu: lines sum %lld, rounded engine period %lld, model %lld "
			    "(micro engine %lld model %lld)", (unsigned long long)it,
			    (long long)sum(got, c.n), (long long)commission_round(pm),
			    (long long)model_round(F[c.n]), (long long)(pm / MICRO),
			    (long long)(F[c.n] / MICRO));
		}
		check_lines_against_model(&c, it);
	}
}

/* (b) volume: the lines add up to round(period basis x reached rate). */
static void
test_prop_volume_total_is_basis_times_reached_rate(void **state)
{
	static int64_t got[MAXN];
	struct gcase c;
	uint64_t it;

	(void)state;
	rng = 0xa11ce5eed0002ULL;
	for (it = 0; it < CASES; it++) {
		__int128 want = 0, pm;
		int64_t S = 0;
		size_t i;
		int k;

		gen_case(&c, W_VOLUME, C_NONE);
		for (i = 0; i < c.n; i++)
			S += c.v[i];
		k = model_reached(&c.m, c.m.basis == BASIS_COUNT ? (int64_t)c.n : S);
		want = c.m.pct[k] ? (__int128)S * c.m.rate[k] :
		    (__int128)c.m.amount[k] * MICRO * (__int128)c.n;
		commission_compute(&c.r, c.cur, c.v, c.n, got, NULL);
		pm = commission_period_micro(&c.r, c.v, c.n);
		if (pm != want || sum(got, c.n) != model_round(want)) {
			dump_case(&c, MAXN);
			fail_msg("case %llu: lines sum %lld, want %lld (bracket %d)",
			    (unsigned long long)it, (long long)sum(got, c.n),
			    (long long)model_round(want), k);
		}
		check_lines_against_model(&c, it);
	}
}

/* flat and percent: each line is its own rounding, then the cap. */
static void
test_prop_flat_percent_per_line(void **state)
{
	struct gcase c;
	uint64_t it;

	(void)state;
	rng = 0xa11ce5eed0003ULL;
	for (it = 0; it < CASES; it++) {
		gen_case(&c, W_SIMPLE, C_ANY);
		check_lines_against_model(&c, it);
	}
}

/* (c) no negative line from non-negative values without a cap. */
static void
test_prop_lines_never_negative(void **state)
{
	static int64_t got[MAXN];
	struct gcase c;
	uint64_t it;
	size_t i;

	(void)state;
	rng = 0xa11ce5eed0004ULL;
	for (it = 0; it < CASES; it++) {
		gen_case(&c, W_ANY, C_NONE);
		commission_compute(&c.r, c.cur, c.v, c.n, got, NULL);
		for (i = 0; i < c.n; i++)
			if (got[i] < 0) {
				dump_case(&c, MAXN);
				fail_msg("case %llu line %zu: %lld", (unsigned long long)it, i,
				    (long long)got[i]);
			}
	}
}

static void
same_lines(const struct gcase *c, uint64_t it, const char *how, const int64_t *a,
    const int64_t *b, const int64_t *d, struct sbuf *xa, struct sbuf *xb)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (a[i] != b[i] || a[i] != d[i] ||
		    strcmp(sbuf_str(&xa[i]), sbuf_str(&xb[i])) != 0) {
			dump_case(c, MAXN);
			fail_msg("case %llu (%s) line %zu differs: %lld %lld %lld\n%s\n---\n%s",
			    (unsigned long long)it, how, i, (long long)a[i], (long long)b[i],
			    (long long)d[i], sbuf_str(&xa[i]), sbuf_str(&xb[i]));
		}
}

/* (d) the same input gives the same lines and byte-identical
 * explanations, also through the canonical text of the rule. */
static void
test_prop_recompute_is_deterministic(void **state)
{
	static int64_t a[MAXN], b[MAXN], d[MAXN];
	static struct sbuf xa[MAXN], xb[MAXN];
	struct gcase c;
	struct rule again;
	struct sbuf canon;
	struct err e;
	uint64_t it;
	size_t i;

	(void)state;
	rng = 0xa11ce5eed0005ULL;
	for (it = 0; it < CASES; it++) {
		gen_case(&c, W_ANY, C_ANY);
		for (i = 0; i < c.n; i++) {
			sbuf_init(&xa[i]);
			sbuf_init(&xb[i]);
		}
		commission_compute(&c.r, c.cur, c.v, c.n, a, xa);
		commission_compute(&c.r, c.cur, c.v, c.n, b, xb);
		commission_compute(&c.r, c.cur, c.v, c.n, d, NULL);
		same_lines(&c, it, "again", a, b, d, xa, xb);
		/* the canonical text parses to a rule that pays the same */
		sbuf_init(&canon);
		rule_format(&c.r, c.cur, &canon);
		err_clear(&e);
		if (rule_parse(sbuf_str(&canon), c.cur, &again, &e) != ST_OK)
			fail_msg("canonical \"%s\" of \"%s\": %s", sbuf_str(&canon), c.text, e.msg);
		for (i = 0; i < c.n; i++)
			sbuf_reset(&xb[i]);
		commission_compute(&again, c.cur, c.v, c.n, b, xb);
		same_lines(&c, it, sbuf_str(&canon), a, b, d, xa, xb);
		for (i = 0; i < c.n; i++) {
			sbuf_free(&xa[i]);
			sbuf_free(&xb[i]);
		}
		sbuf_free(&canon);
	}
}

/* (e) graduated: a period's first k lines do not depend on what follows. */
static void
test_prop_graduated_prefix_stable(void **state)
{
	static int64_t all[MAXN], pre[MAXN];
	struct gcase c;
	uint64_t it;
	size_t i, k;

	(void)state;
	rng = 0xa11ce5eed0006ULL;
	for (it = 0; it < CASES; it++) {
		gen_case(&c, W_GRADUATED, C_ANY);
		commission_compute(&c.r, c.cur, c.v, c.n, all, NULL);
		for (k = 0; k <= c.n; k += 1 + (size_t)below(4)) {
			commission_compute(&c.r, c.cur, c.v, k, pre, NULL);
			for (i = 0; i < k; i++)
				if (pre[i] != all[i]) {
					dump_case(&c, MAXN);
					fail_msg("case %llu: line %zu is %lld in a prefix of %zu, %lld in all %zu",
					    (unsigned long long)it, i, (long long)pre[i], k,
					    (long long)all[i], c.n);
				}
		}
	}
}

/* (f) with a cap every line is at most the cap, and exactly
 * min(uncapped line, cap). */
static void
test_prop_cap_bounds_every_line(void **state)
{
	static int64_t got[MAXN], uncapped[MAXN];
	struct gcase c;
	struct rule nocap;
	uint64_t it;
	size_t i;

	(void)state;
	rng = 0xa11ce5eed0007ULL;
	for (it = 0; it < CASES; it++) {
		gen_case(&c, W_ANY, C_CAP);
		assert_int_equal(c.r.cap, c.m.cap);
		nocap = c.r;
		nocap.cap = 0;
		commission_compute(&c.r, c.cur, c.v, c.n, got, NULL);
		commission_compute(&nocap, c.cur, c.v, c.n, uncapped, NULL);
		for (i = 0; i < c.n; i++) {
			int64_t want = uncapped[i] < c.m.cap ? uncapped[i] : c.m.cap;
			if (got[i] > c.m.cap || got[i] != want) {
				dump_case(&c, MAXN);
				fail_msg("case %llu line %zu: %lld, cap %lld, uncapped %lld",
				    (unsigned long long)it, i, (long long)got[i],
				    (long long)c.m.cap, (long long)uncapped[i]);
			}
		}
		check_lines_against_model(&c, it);
	}
}

/* (g) each line's explanation shows its final amount, formatted for
 * people, and ends with it. */
static void
test_prop_explanation_shows_final_amount(void **state)
{
	static int64_t got[MAXN];
	static struct sbuf x[MAXN];
	char amt[MONEY_BUFSZ];
	struct gcase c;
	uint64_t it;
	size_t i;

	(void)state;
	rng = 0xa11ce5eed0008ULL;
	for (it = 0; it < CASES; it++) {
		gen_case(&c, W_ANY, C_ANY);
		for (i = 0; i < c.n; i++)
			sbuf_init(&x[i]);
		commission_compute(&c.r, c.cur, c.v, c.n, got, x);
		for (i = 0; i < c.n; i++) {
			const char *s = sbuf_str(&x[i]);
			size_t sl = strlen(s), al;
			money_format_human(got[i], c.cur, amt);
			al = strlen(amt);
			/* "... AMOUNT\n" at the very end */
			if (strstr(s, amt) == NULL || sl < al + 1 || s[sl - 1] != '\n' ||
			    strncmp(s + sl - 1 - al, amt, al) != 0 ||
			    (sl > al + 1 && s[sl - 2 - al] != ' ')) {
				dump_case(&c, MAXN);
				fail_msg("case %llu line %zu: amount %s not last in:\n%s",
				    (unsigned long long)it, i, amt, s);
			}
			sbuf_free(&x[i]);
		}
	}
}

/* ---- measure -------------------------------------------------------- */

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
test_measure_month_of_200000(void **state)
{
	enum { N = 200000 };
	struct rule r = parse(GRAD, "EUR");
	int64_t *v = malloc(N * sizeof *v), *out = malloc(N * sizeof *out);
	struct sbuf *x = malloc(N * sizeof *x);
	struct timespec t0;
	double plain, explained;
	size_t bytes = 0;
	int i;

	(void)state;
	assert_non_null(v);
	assert_non_null(out);
	assert_non_null(x);
	rng = 0xa11ce5eed0009ULL;
	for (i = 0; i < N; i++)
		v[i] = 100 + below(50000);      /* 1.00 .. 500.99 */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	commission_compute(&r, cur_of("EUR"), v, N, out, NULL);
	plain = seconds_since(&t0);
	for (i = 0; i < N; i++)
		sbuf_init(&x[i]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	commission_compute(&r, cur_of("EUR"), v, N, out, x);
	explained = seconds_since(&t0);
	for (i = 0; i < N; i++) {
		bytes += strlen(sbuf_str(&x[i]));
		sbuf_free(&x[i]);
	}
	assert_true(commission_round(commission_period_micro(&r, v, N)) == sum(out, N));
	printf("# commission_compute, %d conversions in one month, graduated revenue "
	    "(3 brackets): %.1f ms without explanations, %.1f ms with (%zu bytes of text)\n",
	    N, plain * 1e3, explained * 1e3, bytes);
	fflush(stdout);
	free(v);
	free(out);
	free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_graduated_revenue_design_example),
		cmocka_unit_test(test_volume_revenue_design_example),
		cmocka_unit_test(test_count_brackets_10_vs_11),
		cmocka_unit_test(test_volume_count_flat),
		cmocka_unit_test(test_percent_cap_and_rounding),
		cmocka_unit_test(test_explain_mentions_every_number),
		cmocka_unit_test(test_graduated_design_example_any_order),
		cmocka_unit_test(test_graduated_design_example_3000_small),
		cmocka_unit_test(test_volume_design_example_any_order),
		cmocka_unit_test(test_count_graduated_three_brackets),
		cmocka_unit_test(test_count_volume_percent_10_vs_11),
		cmocka_unit_test(test_count_graduated_flat_10_vs_11),
		cmocka_unit_test(test_count_flat_brackets_three),
		cmocka_unit_test(test_volume_exactly_at_bound),
		cmocka_unit_test(test_graduated_exactly_at_bound),
		cmocka_unit_test(test_periods_same_within_period),
		cmocka_unit_test(test_cap_percent_at_and_around),
		cmocka_unit_test(test_cap_on_tiered_lines),
		cmocka_unit_test(test_round_half_away_from_zero_micro),
		cmocka_unit_test(test_round_half_eur),
		cmocka_unit_test(test_round_half_jpy),
		cmocka_unit_test(test_round_half_bhd),
		cmocka_unit_test(test_round_half_cumulative_tiered),
		cmocka_unit_test(test_flat_rules),
		cmocka_unit_test(test_mixed_percent_flat_count),
		cmocka_unit_test(test_mixed_percent_flat_revenue),
		cmocka_unit_test(test_single_cent),
		cmocka_unit_test(test_large_values_no_overflow),
		cmocka_unit_test(test_prop_graduated_total_is_bracket_integral),
		cmocka_unit_test(test_prop_volume_total_is_basis_times_reached_rate),
		cmocka_unit_test(test_prop_flat_percent_per_line),
		cmocka_unit_test(test_prop_lines_never_negative),
		cmocka_unit_test(test_prop_recompute_is_deterministic),
		cmocka_unit_test(test_prop_graduated_prefix_stable),
		cmocka_unit_test(test_prop_cap_bounds_every_line),
		cmocka_unit_test(test_prop_explanation_shows_final_amount),
		cmocka_unit_test(test_measure_month_of_200000),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
