/*
 * test_commission.c - the commission engine to the cent: DESIGN.md's worked
 * examples, count brackets, caps, rounding at half a minor unit.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
