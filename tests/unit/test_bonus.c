/*
 * test_bonus.c - the bonus grammar: both forms parse to the right
 * structure in the currency's digits, the canonical text parses back to
 * the same, every mistake gets its exact message, and "reached" is a
 * threshold met, not passed.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/bonus.h"

static const struct currency eur = { "EUR", 2 };
static const struct currency jpy = { "JPY", 0 };

static struct bonus
ok(const char *text, const struct currency *cur, const char *canon)
{
	struct bonus b, again;
	struct sbuf s;
	struct err e;

	err_clear(&e);
	if (bonus_parse(text, cur, &b, &e) != ST_OK)
		fail_msg("bonus_parse(\"%s\"): %s", text, e.msg);
	sbuf_init(&s);
	bonus_format(&b, cur, &s);
	assert_string_equal(sbuf_str(&s), canon);
	assert_int_equal(bonus_parse(sbuf_str(&s), cur, &again, &e), ST_OK);
	assert_memory_equal(&b, &again, sizeof b);
	sbuf_free(&s);
	return b;
}

static void
bad(const char *text, const struct currency *cur, const char *msg)
{
	struct bonus b;
	struct err e;

	err_clear(&e);
	assert_int_equal(bonus_parse(text, cur, &b, &e), ST_DATA);
	assert_string_equal(e.msg, msg);
}

static void
test_forms(void **state)
{
	struct bonus b;

	(void)state;
	b = ok("500 at 50 conversions month", &eur, "500.00 at 50 conversions month");
	assert_int_equal(b.amount, 50000);
	assert_int_equal(b.basis, BONUS_COUNT);
	assert_int_equal(b.threshold, 50);
	assert_int_equal(b.period, PERIOD_MONTH);
	b = ok("  1000.5  AT 25000 Revenue QUARTER ", &eur, "1000.50 at 25000.00 revenue quarter");
	assert_int_equal(b.amount, 100050);
	assert_int_equal(b.basis, BONUS_REVENUE);
	assert_int_equal(b.threshold, 2500000);
	assert_int_equal(b.period, PERIOD_QUARTER);
	b = ok("5000 at 1 conversion lifetime", &jpy, "5000 at 1 conversion lifetime");
	assert_int_equal(b.amount, 5000);
	assert_int_equal(b.period, PERIOD_LIFETIME);
	ok("10 at 3 conversions year", &eur, "10.00 at 3 conversions year");
}

static void
test_mistakes(void **state)
{
	(void)state;
	bad("", &eur, "bonus: is empty (e.g. \"500.00 at 50 conversions month\")");
	bad("500.00", &eur, "bonus: after \"500.00\": expected at (e.g. \"500.00 at 50 conversions month\")");
	bad("500.00 at", &eur, "bonus: expected a threshold: N conversions or AMOUNT revenue "
	    "(e.g. \"500.00 at 50 conversions month\")");
	bad("500.5 at 3 conversions month", &jpy,
	    "bonus amount: \"500.5\" has more decimals than JPY allows (0)");
	bad("5 at 1000000001 conversions month", &eur,
	    "bonus: word 3 \"1000000001\": at most 1000000000 conversions");
	bad("5 at 0.00 revenue month", &eur, "bonus: word 3 \"0.00\": the revenue threshold must be more than 0");
	bad("5 at 3 conversions month\x01", &eur,
	    "bonus: word 5 \"month?\": expected month, quarter, year or lifetime");
}

static void
test_reached(void **state)
{
	struct bonus c = { 100, BONUS_COUNT, 3, PERIOD_MONTH }, r = { 100, BONUS_REVENUE, 10000, PERIOD_MONTH };

	(void)state;
	assert_false(bonus_reached(&c, 2, 1000000));
	assert_true(bonus_reached(&c, 3, 0));
	assert_false(bonus_reached(&r, 99, 9999));
	assert_true(bonus_reached(&r, 1, 10000));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_mistakes),
		cmocka_unit_test(test_reached),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
