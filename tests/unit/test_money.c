/*
 * test_money.c - currencies, amount parsing and formatting, rates, rounding.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/money.h"

#define SENTINEL INT64_C(-777)

static const struct currency *
cur(const char *code)
{
	const struct currency *c = currency_find(code);

	assert_non_null(c);
	return c;
}

/* Parse s, expecting success; returns the minor units. */
static int64_t
ok(const char *s, const char *code, bool neg)
{
	struct err e;
	int64_t v = SENTINEL;

	err_clear(&e);
	if (money_parse(s, cur(code), neg, &v, "--amount", &e) != ST_OK)
		fail_msg("\"%s\" %s: unexpected error: %s", s, code, e.msg);
	return v;
}

/* Parse s, expecting ST_DATA with msg (if given), and *out untouched. */
static void
bad(const char *s, const char *code, bool neg, const char *msg)
{
	struct err e;
	int64_t v = SENTINEL;

	err_clear(&e);
	assert_int_equal(money_parse(s, cur(code), neg, &v, "--amount", &e),
	    ST_DATA);
	assert_int_equal(e.st, ST_DATA);
	assert_true(v == SENTINEL);
	assert_true(strncmp(e.msg, "--amount: ", 10) == 0);
	assert_null(strchr(e.msg, '\n'));
	if (msg != NULL)
		assert_string_equal(e.msg, msg);
}

static void
contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("\"%s\" does not contain \"%s\"", hay, needle);
}

/* --- currencies --- */

static void
test_currency_find_common(void **state)
{
	(void)state;
	assert_string_equal(cur("EUR")->code, "EUR");
	assert_int_equal(cur("EUR")->digits, 2);
	assert_int_equal(cur("USD")->digits, 2);
	assert_int_equal(cur("GBP")->digits, 2);
	assert_int_equal(cur("CHF")->digits, 2);
}

static void
test_currency_zero_digits(void **state)
{
	(void)state;
	assert_int_equal(cur("JPY")->digits, 0);
	assert_int_equal(cur("KRW")->digits, 0);
	assert_int_equal(cur("CLP")->digits, 0);
	assert_int_equal(cur("VND")->digits, 0);
	assert_int_equal(cur("ISK")->digits, 0);
}

static void
test_currency_three_digits(void **state)
{
	static const char *const three[] = {
		"BHD", "KWD", "JOD", "OMR", "TND", "IQD", "LYD"
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof three / sizeof three[0]; i++)
		assert_int_equal(cur(three[i])->digits, 3);
}

static void
test_currency_case_insensitive(void **state)
{
	(void)state;
	assert_ptr_equal(currency_find("eur"), currency_find("EUR"));
	assert_ptr_equal(currency_find("jPy"), currency_find("JPY"));
}

static void
test_currency_unknown(void **state)
{
	(void)state;
	assert_null(currency_find("XYZ"));
	assert_null(currency_find("EU"));
	assert_null(currency_find("EURO"));
	assert_null(currency_find(""));
	assert_null(currency_find(NULL));
	assert_int_equal(currency_digits("XYZ"), 2);
	assert_int_equal(currency_digits("jpy"), 0);
	assert_int_equal(currency_digits("KWD"), 3);
}

/* --- parsing --- */

static void
test_parse_two_digits(void **state)
{
	(void)state;
	assert_true(ok("12.5", "EUR", false) == 1250);
	assert_true(ok("12.50", "EUR", false) == 1250);
	assert_true(ok("1200", "EUR", false) == 120000);
	assert_true(ok("0.01", "USD", false) == 1);
	assert_true(ok("0", "EUR", false) == 0);
	assert_true(ok("007.50", "EUR", false) == 750);
}

static void
test_parse_zero_digits(void **state)
{
	(void)state;
	assert_true(ok("1200", "JPY", false) == 1200);
	assert_true(ok("50000", "KRW", false) == 50000);
	bad("1200.5", "JPY", false,
	    "--amount: \"1200.5\" has more decimals than JPY allows (0)");
	bad("1200.0", "JPY", false, NULL);
}

static void
test_parse_three_digits(void **state)
{
	(void)state;
	assert_true(ok("1.234", "BHD", false) == 1234);
	assert_true(ok("1.2", "KWD", false) == 1200);
	assert_true(ok("10", "OMR", false) == 10000);
	bad("1.2345", "BHD", false,
	    "--amount: \"1.2345\" has more decimals than BHD allows (3)");
}

static void
test_parse_too_many_decimals(void **state)
{
	(void)state;
	bad("12.345", "EUR", false,
	    "--amount: \"12.345\" has more decimals than EUR allows (2)");
	/* No rounding, not even of zeros. */
	bad("12.340", "EUR", false, NULL);
	bad("0.001", "USD", false, NULL);
}

static void
test_parse_limit_accepted(void **state)
{
	(void)state;
	assert_true(ok("1000000000000000", "EUR", false) ==
	    INT64_C(100000000000000000));
	assert_true(ok("1000000000000000", "KWD", false) ==
	    INT64_C(1000000000000000000));
	assert_true(ok("-1000000000000000", "EUR", true) ==
	    -INT64_C(100000000000000000));
	assert_true(ok("999999999999999.99", "EUR", false) ==
	    INT64_C(99999999999999999));
}

static void
test_parse_huge(void **state)
{
	(void)state;
	bad("1000000000000000.01", "EUR", false,
	    "--amount: \"1000000000000000.01\" is too large "
	    "(at most 1000000000000000)");
	bad("1000000000000001", "JPY", false, NULL);
	bad("99999999999999999999999999999", "EUR", false, NULL);
	bad("-99999999999999999999", "EUR", true, NULL);
	bad("9223372036854775807", "JPY", false, NULL);
}

static void
test_parse_negative_allowed(void **state)
{
	(void)state;
	assert_true(ok("-3.25", "EUR", true) == -325);
	assert_true(ok("-0.05", "EUR", true) == -5);
	assert_true(ok("-1200", "JPY", true) == -1200);
	assert_true(ok("-0.001", "BHD", true) == -1);
}

static void
test_parse_negative_disallowed(void **state)
{
	(void)state;
	bad("-3.25", "EUR", false, "--amount: \"-3.25\" must not be negative");
	bad("-0.01", "EUR", false, NULL);
	/* Minus zero is zero, not negative. */
	assert_true(ok("-0", "EUR", false) == 0);
	assert_true(ok("-0.00", "EUR", false) == 0);
}

static void
test_parse_garbage(void **state)
{
	(void)state;
	bad("abc", "EUR", false, "--amount: \"abc\" is not an amount (want "
	    "digits with '.' for decimals and no thousands separators, "
	    "e.g. 12.50)");
	bad("12a", "EUR", false, NULL);
	bad("1e3", "EUR", false, NULL);
	bad("0x10", "EUR", false, NULL);
	bad("--5", "EUR", true, NULL);
	bad("-", "EUR", true, NULL);
	bad("1.2.3", "EUR", false, NULL);
	bad("12.5€", "EUR", false, NULL);
	bad("NaN", "EUR", false, NULL);
	bad("inf", "EUR", false, NULL);
}

static void
test_parse_example_follows_currency(void **state)
{
	(void)state;
	bad("x", "JPY", false, NULL);
	bad("x", "KWD", false, NULL);
	{
		struct err e;
		int64_t v;

		money_parse("x", cur("JPY"), false, &v, "--amount", &e);
		contains(e.msg, "e.g. 1200)");
		money_parse("x", cur("KWD"), false, &v, "--amount", &e);
		contains(e.msg, "e.g. 12.500)");
	}
}

static void
test_parse_empty(void **state)
{
	struct err e;
	int64_t v = SENTINEL;

	(void)state;
	bad("", "EUR", false, "--amount: is empty (want an amount like 12.50)");
	assert_int_equal(money_parse(NULL, cur("EUR"), false, &v, "--amount",
	    &e), ST_DATA);
	assert_true(v == SENTINEL);
}

static void
test_parse_thousands_separator(void **state)
{
	(void)state;
	bad("1,200", "EUR", false, NULL);
	bad("1,200.50", "EUR", false, NULL);
	bad("12,50", "EUR", false, NULL);
	bad("1 200", "EUR", false, NULL);
	bad("1'200", "CHF", false, NULL);
}

static void
test_parse_point_without_digits(void **state)
{
	(void)state;
	bad(".5", "EUR", false, NULL);
	bad("5.", "EUR", false, NULL);
	bad(".", "EUR", false, NULL);
	bad("-.5", "EUR", true, NULL);
}

static void
test_parse_leading_plus(void **state)
{
	(void)state;
	bad("+5", "EUR", false, NULL);
	bad("+5.00", "EUR", true, NULL);
}

static void
test_parse_whitespace(void **state)
{
	(void)state;
	bad(" 5", "EUR", false, NULL);
	bad("5 ", "EUR", false, NULL);
	bad("\t5", "EUR", false, NULL);
	bad("5\n", "EUR", false, NULL);
	bad("- 5", "EUR", true, NULL);
}

static void
test_parse_error_escapes_input(void **state)
{
	struct err e;
	int64_t v;

	(void)state;
	money_parse("1\x1b[2J\n", cur("EUR"), false, &v, "--amount", &e);
	assert_null(strchr(e.msg, '\x1b'));
	assert_null(strchr(e.msg, '\n'));
	contains(e.msg, "\"1\\e[2J\\n\"");
}

static void
test_parse_error_cuts_long_input(void **state)
{
	char longs[2000];
	struct err e;
	int64_t v;

	(void)state;
	memset(longs, 'x', sizeof longs - 1);
	longs[sizeof longs - 1] = '\0';
	money_parse(longs, cur("EUR"), false, &v, "--amount", &e);
	assert_true(strlen(e.msg) < 200);
	contains(e.msg, "xxx...\" is not an amount");
}

static void
test_parse_null_error_buffer(void **state)
{
	int64_t v = SENTINEL;

	(void)state;
	assert_int_equal(money_parse("x", cur("EUR"), false, &v, "f", NULL),
	    ST_DATA);
	assert_int_equal(money_parse("1.5", cur("EUR"), false, &v, "f", NULL),
	    ST_OK);
	assert_true(v == 150);
}

static void
test_parse_unsupported_digits(void **state)
{
	static const struct currency odd = { "CLF", 4 };
	struct err e;
	int64_t v = SENTINEL;

	(void)state;
	assert_int_equal(money_parse("1", &odd, false, &v, "--amount", &e),
	    ST_SOFTWARE);
	assert_true(v == SENTINEL);
}

/* --- formatting --- */

static void
test_format_two_digits(void **state)
{
	char buf[MONEY_BUFSZ];

	(void)state;
	assert_string_equal(money_format(205000, cur("EUR"), buf), "2050.00");
	assert_string_equal(money_format(1250, cur("EUR"), buf), "12.50");
	assert_string_equal(money_format(1, cur("EUR"), buf), "0.01");
	assert_string_equal(money_format(100, cur("USD"), buf), "1.00");
}

static void
test_format_negative(void **state)
{
	char buf[MONEY_BUFSZ];

	(void)state;
	assert_string_equal(money_format(-5, cur("EUR"), buf), "-0.05");
	assert_string_equal(money_format(-325, cur("EUR"), buf), "-3.25");
	assert_string_equal(money_format(-1200, cur("JPY"), buf), "-1200");
	assert_string_equal(money_format(-1, cur("KWD"), buf), "-0.001");
}

static void
test_format_zero(void **state)
{
	char buf[MONEY_BUFSZ];

	(void)state;
	assert_string_equal(money_format(0, cur("EUR"), buf), "0.00");
	assert_string_equal(money_format(0, cur("JPY"), buf), "0");
	assert_string_equal(money_format(0, cur("BHD"), buf), "0.000");
}

static void
test_format_zero_and_three_digits(void **state)
{
	char buf[MONEY_BUFSZ];

	(void)state;
	assert_string_equal(money_format(1200, cur("JPY"), buf), "1200");
	assert_string_equal(money_format(1234, cur("BHD"), buf), "1.234");
	assert_string_equal(money_format(1000, cur("TND"), buf), "1.000");
}

static void
test_format_extremes(void **state)
{
	char buf[MONEY_BUFSZ];

	(void)state;
	assert_string_equal(money_format(INT64_MIN, cur("EUR"), buf),
	    "-92233720368547758.08");
	assert_string_equal(money_format(INT64_MAX, cur("EUR"), buf),
	    "92233720368547758.07");
	assert_string_equal(money_format_human(INT64_MIN, cur("JPY"), buf),
	    "-9,223,372,036,854,775,808");
}

static void
test_format_human_separators(void **state)
{
	char buf[MONEY_BUFSZ];

	(void)state;
	assert_string_equal(money_format_human(205000, cur("EUR"), buf),
	    "2,050.00");
	assert_string_equal(money_format_human(123456789, cur("EUR"), buf),
	    "1,234,567.89");
	assert_string_equal(money_format_human(-123456789, cur("EUR"), buf),
	    "-1,234,567.89");
	assert_string_equal(money_format_human(1000000, cur("JPY"), buf),
	    "1,000,000");
	assert_string_equal(money_format_human(100000, cur("JPY"), buf),
	    "100,000");
	assert_string_equal(money_format_human(1234567, cur("KWD"), buf),
	    "1,234.567");
}

static void
test_format_human_small(void **state)
{
	char buf[MONEY_BUFSZ];

	(void)state;
	assert_string_equal(money_format_human(99999, cur("EUR"), buf),
	    "999.99");
	assert_string_equal(money_format_human(0, cur("EUR"), buf), "0.00");
	assert_string_equal(money_format_human(-5, cur("EUR"), buf), "-0.05");
	assert_string_equal(money_format_human(999, cur("JPY"), buf), "999");
	assert_string_equal(money_format_human(1000, cur("JPY"), buf), "1,000");
}

static void
test_format_parse_round_trip(void **state)
{
	static const int64_t vals[] = {
		0, 1, -1, 9, 10, 99, 100, 101, 123456, -987654321,
		INT64_C(100000000000000000), -INT64_C(99999999999999999)
	};
	static const char *const codes[] = { "EUR", "JPY", "KWD" };
	char buf[MONEY_BUFSZ];
	size_t i, j;

	(void)state;
	for (j = 0; j < 3; j++) {
		for (i = 0; i < sizeof vals / sizeof vals[0]; i++) {
			money_format(vals[i], cur(codes[j]), buf);
			if (strcmp(codes[j], "JPY") == 0 &&
			    (vals[i] > INT64_C(1000000000000000) ||
			    vals[i] < -INT64_C(1000000000000000)))
				continue;       /* beyond the JPY limit */
			assert_true(ok(buf, codes[j], true) == vals[i]);
		}
	}
}

/* --- rates --- */

static int32_t
rate_ok(const char *s)
{
	struct err e;
	int32_t bp = -1;

	if (rate_parse_bp(s, &bp, "--rate", &e) != ST_OK)
		fail_msg("\"%s\": unexpected error: %s", s, e.msg);
	return bp;
}

static void
rate_bad(const char *s, const char *msg)
{
	struct err e;
	int32_t bp = -1;

	err_clear(&e);
	assert_int_equal(rate_parse_bp(s, &bp, "--rate", &e), ST_DATA);
	assert_int_equal(e.st, ST_DATA);
	assert_int_equal(bp, -1);
	assert_true(strncmp(e.msg, "--rate: ", 8) == 0);
	if (msg != NULL)
		assert_string_equal(e.msg, msg);
}

static void
test_rate_whole(void **state)
{
	(void)state;
	assert_int_equal(rate_ok("10"), 1000);
	assert_int_equal(rate_ok("0"), 0);
	assert_int_equal(rate_ok("100"), 10000);
	assert_int_equal(rate_ok("1000"), 100000);
}

static void
test_rate_decimals(void **state)
{
	(void)state;
	assert_int_equal(rate_ok("7.5"), 750);
	assert_int_equal(rate_ok("7.50"), 750);
	assert_int_equal(rate_ok("0.01"), 1);
	assert_int_equal(rate_ok("0.25"), 25);
	assert_int_equal(rate_ok("7.05"), 705);
	assert_int_equal(rate_ok("999.99"), 99999);
}

static void
test_rate_percent_sign(void **state)
{
	(void)state;
	assert_int_equal(rate_ok("10%"), 1000);
	assert_int_equal(rate_ok("7.5%"), 750);
	rate_bad("%", NULL);
	rate_bad("10%%", NULL);
}

static void
test_rate_too_many_decimals(void **state)
{
	(void)state;
	rate_bad("100.001", "--rate: \"100.001\" has more than two decimals "
	    "(rates are in hundredths of a percent)");
	rate_bad("7.505", NULL);
	rate_bad("0.001", NULL);
}

static void
test_rate_out_of_range(void **state)
{
	(void)state;
	rate_bad("1000.01", "--rate: \"1000.01\" is out of range (0 to 1000%)");
	rate_bad("1001", NULL);
	rate_bad("99999999999999999999", NULL);
}

static void
test_rate_negative(void **state)
{
	(void)state;
	rate_bad("-5", "--rate: \"-5\" must not be negative");
}

static void
test_rate_garbage(void **state)
{
	(void)state;
	rate_bad("abc", "--rate: \"abc\" is not a percentage "
	    "(want e.g. 7.5 for 7.5%)");
	rate_bad("", "--rate: is empty (want a percentage like 7.5)");
	rate_bad(NULL, NULL);
	rate_bad(".5", NULL);
	rate_bad("7.", NULL);
	rate_bad(" 7", NULL);
	rate_bad("7,5", NULL);
	rate_bad("+7", NULL);
	rate_bad("1e2", NULL);
}

static void
test_rate_format(void **state)
{
	char buf[16];

	(void)state;
	assert_string_equal(rate_format_bp(750, buf), "7.5");
	assert_string_equal(rate_format_bp(1000, buf), "10");
	assert_string_equal(rate_format_bp(25, buf), "0.25");
	assert_string_equal(rate_format_bp(1, buf), "0.01");
	assert_string_equal(rate_format_bp(705, buf), "7.05");
	assert_string_equal(rate_format_bp(0, buf), "0");
	assert_string_equal(rate_format_bp(100000, buf), "1000");
	assert_string_equal(rate_format_bp(-250, buf), "-2.5");
}

static void
test_rate_round_trip_all(void **state)
{
	char buf[16];
	int32_t bp;

	(void)state;
	for (bp = 0; bp <= 100000; bp++) {
		int32_t back = -1;

		rate_format_bp(bp, buf);
		if (rate_parse_bp(buf, &back, "r", NULL) != ST_OK || back != bp)
			fail_msg("%d -> \"%s\" -> %d", bp, buf, back);
	}
}

/* --- rounding --- */

static void
test_round_half_positive(void **state)
{
	(void)state;
	assert_true(money_div_round(5, 2) == 3);
	assert_true(money_div_round(15, 10) == 2);
	assert_true(money_div_round(25, 10) == 3);
	assert_true(money_div_round(937500, 10000) == 94);      /* 93.75 */
	assert_true(money_div_round(5000, 10000) == 1);         /* 0.5 */
}

static void
test_round_half_negative(void **state)
{
	(void)state;
	assert_true(money_div_round(-5, 2) == -3);
	assert_true(money_div_round(-15, 10) == -2);
	assert_true(money_div_round(-25, 10) == -3);
	assert_true(money_div_round(-937500, 10000) == -94);
	assert_true(money_div_round(-5000, 10000) == -1);
}

static void
test_round_not_half(void **state)
{
	(void)state;
	assert_true(money_div_round(14, 10) == 1);
	assert_true(money_div_round(16, 10) == 2);
	assert_true(money_div_round(-14, 10) == -1);
	assert_true(money_div_round(-16, 10) == -2);
	assert_true(money_div_round(4999, 10000) == 0);
	assert_true(money_div_round(-4999, 10000) == 0);
	assert_true(money_div_round(1, 3) == 0);
	assert_true(money_div_round(2, 3) == 1);
	assert_true(money_div_round(-2, 3) == -1);
}

static void
test_round_exact(void **state)
{
	(void)state;
	assert_true(money_div_round(0, 7) == 0);
	assert_true(money_div_round(10, 5) == 2);
	assert_true(money_div_round(-10, 5) == -2);
	assert_true(money_div_round(123, 1) == 123);
}

static void
test_round_commission(void **state)
{
	(void)state;
	/* 123.45 EUR at 7.5% = 9.25875 -> 9.26 */
	assert_true(money_div_round((__int128)12345 * 750, 10000) == 926);
	/* 0.10 at 5% = 0.005 -> 0.01, half away from zero */
	assert_true(money_div_round((__int128)10 * 500, 10000) == 1);
	assert_true(money_div_round((__int128)-10 * 500, 10000) == -1);
}

static void
test_round_wide(void **state)
{
	__int128 big = (__int128)INT64_C(100000000000000000) * 100000;

	(void)state;
	/* 10^17 minor units at 1000%: the product overflows int64. */
	assert_true(money_div_round(big, 10000) == INT64_C(1000000000000000000));
	assert_true(money_div_round(-big, 10000) ==
	    -INT64_C(1000000000000000000));
	assert_true(money_div_round(big + 5000, 10000) ==
	    INT64_C(1000000000000000001));
	assert_true(money_div_round(big + 4999, 10000) ==
	    INT64_C(1000000000000000000));
}

/* ---- checked arithmetic (hand-worked edges) ---- */

static void
test_add_edges(void **state)
{
	int64_t r = SENTINEL;

	(void)state;
	assert_true(money_add(INT64_MAX - 1, 1, &r));
	assert_true(r == INT64_MAX);
	r = SENTINEL;
	assert_false(money_add(INT64_MAX, 1, &r));
	assert_true(r == SENTINEL);     /* untouched on overflow */
	assert_false(money_add(INT64_MIN, -1, &r));
	assert_true(money_add(INT64_MAX, INT64_MIN, &r));
	assert_true(r == -1);           /* mixed signs never overflow */
	assert_true(money_add(-5, 3, &r));
	assert_true(r == -2);
	assert_true(money_sub(0, INT64_MAX, &r));
	assert_true(r == -INT64_MAX);
	assert_false(money_sub(INT64_MIN, 1, &r));
	assert_false(money_sub(0, INT64_MIN, &r));
	assert_true(money_sub(-1, INT64_MIN, &r));
	assert_true(r == INT64_MAX);
}

static void
test_sum_many_maximal(void **state)
{
	/* 93 x 10^17 minor units (10^15 EUR each) is 9.3e18 > INT64_MAX
	 * (9,223,372,036,854,775,807); 92 of them is 9.2e18 and fits. */
	static int64_t v[93];
	int64_t r = SENTINEL;
	size_t i;

	(void)state;
	for (i = 0; i < 93; i++)
		v[i] = INT64_C(100000000000000000);
	assert_true(money_sum(v, 92, &r));
	assert_true(r == INT64_C(9200000000000000000));
	r = SENTINEL;
	assert_false(money_sum(v, 93, &r));
	assert_true(r == SENTINEL);
	/* a negative adjustment brings it back inside: the sum is exact in
	 * 128 bits, only the result must fit */
	v[92] = -INT64_C(100000000000000000);
	assert_true(money_sum(v, 93, &r));
	assert_true(r == INT64_C(9100000000000000000));
	/* many INT64_MAX with as many INT64_MIN: -n */
	{
		int64_t w[6] = { INT64_MAX, INT64_MAX, INT64_MAX, INT64_MIN, INT64_MIN, INT64_MIN };
		assert_true(money_sum(w, 6, &r));
		assert_true(r == -3);
		assert_false(money_sum(w, 2, &r));
		assert_false(money_sum(w + 3, 2, &r));
	}
	assert_true(money_sum(NULL, 0, &r));
	assert_true(r == 0);
}

static void
test_fits(void **state)
{
	(void)state;
	assert_true(money_fits(INT64_MAX));
	assert_true(money_fits(INT64_MIN));
	assert_false(money_fits((__int128)INT64_MAX + 1));
	assert_false(money_fits((__int128)INT64_MIN - 1));
}

static void
test_sums_by_currency(void **state)
{
	struct money_sums s;

	(void)state;
	money_sums_init(&s);
	assert_true(money_sums_add(&s, "JPY", 1235));
	assert_true(money_sums_add(&s, "EUR", 1000));
	assert_true(money_sums_add(&s, "EUR", -250));
	assert_true(money_sums_add(&s, "KWD", 1));
	assert_int_equal(s.n, 3);
	assert_string_equal(s.v[0].currency, "EUR");    /* sorted by code */
	assert_string_equal(s.v[1].currency, "JPY");
	assert_string_equal(s.v[2].currency, "KWD");
	assert_true(money_sums_get(&s, "EUR") == 750);
	assert_true(money_sums_get(&s, "JPY") == 1235);
	assert_true(money_sums_get(&s, "USD") == 0);
	assert_null(money_sums_find(&s, "USD"));
	assert_true(money_sums_find(&s, "EUR")->lines == 2);
	assert_string_equal(s.overflow, "");
	assert_true(money_sums_add(&s, "JPY", INT64_MAX - 1235));
	assert_false(money_sums_add(&s, "JPY", 1));
	assert_string_equal(s.overflow, "JPY");
	assert_true(money_sums_get(&s, "JPY") == INT64_MAX);    /* last good value */
	assert_true(money_sums_get(&s, "EUR") == 750);          /* the others untouched */
	money_sums_free(&s);
	assert_int_equal(s.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_currency_find_common),
		cmocka_unit_test(test_currency_zero_digits),
		cmocka_unit_test(test_currency_three_digits),
		cmocka_unit_test(test_currency_case_insensitive),
		cmocka_unit_test(test_currency_unknown),
		cmocka_unit_test(test_parse_two_digits),
		cmocka_unit_test(test_parse_zero_digits),
		cmocka_unit_test(test_parse_three_digits),
		cmocka_unit_test(test_parse_too_many_decimals),
		cmocka_unit_test(test_parse_limit_accepted),
		cmocka_unit_test(test_parse_huge),
		cmocka_unit_test(test_parse_negative_allowed),
		cmocka_unit_test(test_parse_negative_disallowed),
		cmocka_unit_test(test_parse_garbage),
		cmocka_unit_test(test_parse_example_follows_currency),
		cmocka_unit_test(test_parse_empty),
		cmocka_unit_test(test_parse_thousands_separator),
		cmocka_unit_test(test_parse_point_without_digits),
		cmocka_unit_test(test_parse_leading_plus),
		cmocka_unit_test(test_parse_whitespace),
		cmocka_unit_test(test_parse_error_escapes_input),
		cmocka_unit_test(test_parse_error_cuts_long_input),
		cmocka_unit_test(test_parse_null_error_buffer),
		cmocka_unit_test(test_parse_unsupported_digits),
		cmocka_unit_test(test_format_two_digits),
		cmocka_unit_test(test_format_negative),
		cmocka_unit_test(test_format_zero),
		cmocka_unit_test(test_format_zero_and_three_digits),
		cmocka_unit_test(test_format_extremes),
		cmocka_unit_test(test_format_human_separators),
		cmocka_unit_test(test_format_human_small),
		cmocka_unit_test(test_format_parse_round_trip),
		cmocka_unit_test(test_rate_whole),
		cmocka_unit_test(test_rate_decimals),
		cmocka_unit_test(test_rate_percent_sign),
		cmocka_unit_test(test_rate_too_many_decimals),
		cmocka_unit_test(test_rate_out_of_range),
		cmocka_unit_test(test_rate_negative),
		cmocka_unit_test(test_rate_garbage),
		cmocka_unit_test(test_rate_format),
		cmocka_unit_test(test_rate_round_trip_all),
		cmocka_unit_test(test_round_half_positive),
		cmocka_unit_test(test_round_half_negative),
		cmocka_unit_test(test_round_not_half),
		cmocka_unit_test(test_round_exact),
		cmocka_unit_test(test_round_commission),
		cmocka_unit_test(test_round_wide),
		cmocka_unit_test(test_add_edges),
		cmocka_unit_test(test_sum_many_maximal),
		cmocka_unit_test(test_fits),
		cmocka_unit_test(test_sums_by_currency),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
