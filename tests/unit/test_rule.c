/*
 * test_rule.c - the commission rule grammar: every form parses to the
 * right structure, every mistake gets its exact message, and the
 * canonical text parses back to the same structure.
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

#include "domain/rule.h"

static const struct currency eur = { "EUR", 2 };
static const struct currency jpy = { "JPY", 0 };
static const struct currency bhd = { "BHD", 3 };

static struct rule
parse_ok_in(const char *text, const struct currency *cur)
{
	struct rule r;
	struct err e;

	err_clear(&e);
	memset(&r, 0xa5, sizeof r);
	if (rule_parse(text, cur, &r, &e) != ST_OK)
		fail_msg("rule_parse(\"%s\"): %s", text, e.msg);
	return r;
}

static struct rule
parse_ok(const char *text)
{
	return parse_ok_in(text, &eur);
}

/* The text must fail with exactly this message, leaving out untouched. */
static void
parse_fails_in(const char *text, const struct currency *cur, const char *msg)
{
	struct rule r, before;
	struct err e;

	memset(&r, 0x5a, sizeof r);
	memcpy(&before, &r, sizeof r);
	err_clear(&e);
	assert_int_equal(rule_parse(text, cur, &r, &e), ST_DATA);
	assert_int_equal(e.st, ST_DATA);
	assert_string_equal(e.msg, msg);
	assert_memory_equal(&r, &before, sizeof r);
}

static void
parse_fails(const char *text, const char *msg)
{
	parse_fails_in(text, &eur, msg);
}

static void
assert_rule_equal(const struct rule *a, const struct rule *b)
{
	int i;

	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->cap, b->cap);
	switch (a->kind) {
	case RULE_FLAT:
		assert_int_equal(a->flat, b->flat);
		break;
	case RULE_PERCENT:
		assert_int_equal(a->rate_bp, b->rate_bp);
		break;
	case RULE_TIERED:
		assert_int_equal(a->basis, b->basis);
		assert_int_equal(a->period, b->period);
		assert_int_equal(a->mode, b->mode);
		assert_int_equal(a->nbrackets, b->nbrackets);
		for (i = 0; i < a->nbrackets; i++) {
			assert_int_equal(a->brackets[i].lower, b->brackets[i].lower);
			assert_int_equal(a->brackets[i].is_percent, b->brackets[i].is_percent);
			assert_int_equal(a->brackets[i].rate_bp, b->brackets[i].rate_bp);
			assert_int_equal(a->brackets[i].amount, b->brackets[i].amount);
		}
		break;
	case RULE_WHEN:
		break;
	}
	assert_int_equal(a->nclauses, b->nclauses);
	assert_memory_equal(a->clauses, b->clauses, sizeof a->clauses);
}

/* Format r and compare with want; then the text must parse back to r. */
static void
format_is_in(const struct rule *r, const struct currency *cur, const char *want)
{
	struct sbuf b;
	struct rule back;

	sbuf_init(&b);
	rule_format(r, cur, &b);
	assert_string_equal(sbuf_str(&b), want);
	back = parse_ok_in(sbuf_str(&b), cur);
	assert_rule_equal(&back, r);
	assert_memory_equal(&back, r, sizeof back);
	sbuf_free(&b);
}

static void
canonical_in(const char *text, const struct currency *cur, const char *want)
{
	struct rule r = parse_ok_in(text, cur);

	format_is_in(&r, cur, want);
}

static void
canonical(const char *text, const char *want)
{
	canonical_in(text, &eur, want);
}

/* --- forms from DESIGN.md ------------------------------------------- */

static void
test_flat(void **state)
{
	struct rule r = parse_ok("flat 25.00");

	(void)state;
	assert_int_equal(r.kind, RULE_FLAT);
	assert_int_equal(r.flat, 2500);
	assert_int_equal(r.cap, 0);
	assert_int_equal(r.nbrackets, 0);
}

static void
test_flat_whole_number(void **state)
{
	struct rule r = parse_ok("flat 25");

	(void)state;
	assert_int_equal(r.kind, RULE_FLAT);
	assert_int_equal(r.flat, 2500);
}

static void
test_flat_one_decimal(void **state)
{
	struct rule r = parse_ok("flat 12.5");

	(void)state;
	assert_int_equal(r.flat, 1250);
}

static void
test_flat_with_cap(void **state)
{
	struct rule r = parse_ok("flat 25.00 cap 10.00");

	(void)state;
	assert_int_equal(r.kind, RULE_FLAT);
	assert_int_equal(r.flat, 2500);
	assert_int_equal(r.cap, 1000);
}

static void
test_percent(void **state)
{
	struct rule r = parse_ok("percent 10");

	(void)state;
	assert_int_equal(r.kind, RULE_PERCENT);
	assert_int_equal(r.rate_bp, 1000);
	assert_int_equal(r.cap, 0);
}

static void
test_percent_cap(void **state)
{
	struct rule r = parse_ok("percent 7.5 cap 500.00");

	(void)state;
	assert_int_equal(r.kind, RULE_PERCENT);
	assert_int_equal(r.rate_bp, 750);
	assert_int_equal(r.cap, 50000);
}

static void
test_percent_two_decimals(void **state)
{
	struct rule r = parse_ok("percent 0.25");

	(void)state;
	assert_int_equal(r.rate_bp, 25);
}

static void
test_percent_with_sign(void **state)
{
	struct rule r = parse_ok("percent 10%");

	(void)state;
	assert_int_equal(r.kind, RULE_PERCENT);
	assert_int_equal(r.rate_bp, 1000);
}

static void
test_percent_limit_1000(void **state)
{
	struct rule r = parse_ok("percent 1000.00");

	(void)state;
	assert_int_equal(r.rate_bp, 100000);
}

static void
test_percent_zero(void **state)
{
	struct rule r = parse_ok("percent 0");

	(void)state;
	assert_int_equal(r.kind, RULE_PERCENT);
	assert_int_equal(r.rate_bp, 0);
}

static void
test_tiered_count_month_graduated(void **state)
{
	struct rule r = parse_ok("tiered count month graduated 0:5% 10:7.5% 50:10%");

	(void)state;
	assert_int_equal(r.kind, RULE_TIERED);
	assert_int_equal(r.basis, BASIS_COUNT);
	assert_int_equal(r.period, PERIOD_MONTH);
	assert_int_equal(r.mode, MODE_GRADUATED);
	assert_int_equal(r.nbrackets, 3);
	assert_int_equal(r.brackets[0].lower, 0);
	assert_true(r.brackets[0].is_percent);
	assert_int_equal(r.brackets[0].rate_bp, 500);
	assert_int_equal(r.brackets[1].lower, 10);
	assert_true(r.brackets[1].is_percent);
	assert_int_equal(r.brackets[1].rate_bp, 750);
	assert_int_equal(r.brackets[2].lower, 50);
	assert_int_equal(r.brackets[2].rate_bp, 1000);
	assert_int_equal(r.cap, 0);
}

static void
test_tiered_revenue_quarter_volume(void **state)
{
	struct rule r = parse_ok("tiered revenue quarter volume 0:5% 10000.00:7% 25000.00:10%");

	(void)state;
	assert_int_equal(r.kind, RULE_TIERED);
	assert_int_equal(r.basis, BASIS_REVENUE);
	assert_int_equal(r.period, PERIOD_QUARTER);
	assert_int_equal(r.mode, MODE_VOLUME);
	assert_int_equal(r.nbrackets, 3);
	assert_int_equal(r.brackets[0].lower, 0);
	assert_int_equal(r.brackets[1].lower, 1000000);
	assert_int_equal(r.brackets[1].rate_bp, 700);
	assert_int_equal(r.brackets[2].lower, 2500000);
	assert_int_equal(r.brackets[2].rate_bp, 1000);
}

static void
test_tiered_count_flat_amounts(void **state)
{
	struct rule r = parse_ok("tiered count month volume 0:20.00 10:30.00");

	(void)state;
	assert_int_equal(r.basis, BASIS_COUNT);
	assert_int_equal(r.mode, MODE_VOLUME);
	assert_int_equal(r.nbrackets, 2);
	assert_false(r.brackets[0].is_percent);
	assert_int_equal(r.brackets[0].amount, 2000);
	assert_int_equal(r.brackets[0].rate_bp, 0);
	assert_false(r.brackets[1].is_percent);
	assert_int_equal(r.brackets[1].lower, 10);
	assert_int_equal(r.brackets[1].amount, 3000);
}

static void
test_tiered_revenue_whole_lowers(void **state)
{
	struct rule r = parse_ok("tiered revenue month graduated 0:5% 10000:7% 25000:10%");

	(void)state;
	assert_int_equal(r.brackets[1].lower, 1000000);
	assert_int_equal(r.brackets[2].lower, 2500000);
}

static void
test_tiered_periods(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("tiered count month volume 0:1%").period, PERIOD_MONTH);
	assert_int_equal(parse_ok("tiered count quarter volume 0:1%").period, PERIOD_QUARTER);
	assert_int_equal(parse_ok("tiered count year volume 0:1%").period, PERIOD_YEAR);
	assert_int_equal(parse_ok("tiered count lifetime volume 0:1%").period, PERIOD_LIFETIME);
}

static void
test_tiered_single_bracket(void **state)
{
	struct rule r = parse_ok("tiered revenue year graduated 0:5%");

	(void)state;
	assert_int_equal(r.nbrackets, 1);
	assert_int_equal(r.brackets[0].rate_bp, 500);
}

static void
test_tiered_with_cap(void **state)
{
	struct rule r = parse_ok("tiered count month graduated 0:5% 10:7.5% cap 200.00");

	(void)state;
	assert_int_equal(r.nbrackets, 2);
	assert_int_equal(r.cap, 20000);
}

static void
test_tiered_max_brackets(void **state)
{
	struct sbuf b;
	struct rule r;
	int i;

	(void)state;
	sbuf_init(&b);
	sbuf_add(&b, "tiered count month graduated");
	for (i = 0; i < RULE_MAX_BRACKETS; i++)
		sbuf_addf(&b, " %d:%d%%", i * 10, i + 1);
	r = parse_ok(sbuf_str(&b));
	assert_int_equal(r.nbrackets, RULE_MAX_BRACKETS);
	assert_int_equal(r.brackets[RULE_MAX_BRACKETS - 1].lower, (RULE_MAX_BRACKETS - 1) * 10);
	assert_int_equal(r.brackets[RULE_MAX_BRACKETS - 1].rate_bp, RULE_MAX_BRACKETS * 100);
	sbuf_free(&b);
}

static void
test_keywords_case_insensitive(void **state)
{
	struct rule r = parse_ok("TIERED Revenue QUARTER Volume 0:5% 100:6% CAP 50");

	(void)state;
	assert_int_equal(r.kind, RULE_TIERED);
	assert_int_equal(r.basis, BASIS_REVENUE);
	assert_int_equal(r.period, PERIOD_QUARTER);
	assert_int_equal(r.mode, MODE_VOLUME);
	assert_int_equal(r.cap, 5000);
	r = parse_ok("Flat 3");
	assert_int_equal(r.kind, RULE_FLAT);
	r = parse_ok("PERCENT 3 Cap 1");
	assert_int_equal(r.kind, RULE_PERCENT);
	assert_int_equal(r.cap, 100);
}

static void
test_blanks_around_and_between(void **state)
{
	struct rule r = parse_ok("  percent\t 7.5   cap\t500 \n");

	(void)state;
	assert_int_equal(r.rate_bp, 750);
	assert_int_equal(r.cap, 50000);
}

static void
test_null_currency_defaults_to_two_digits(void **state)
{
	struct rule r = parse_ok_in("flat 1.25", NULL);

	(void)state;
	assert_int_equal(r.flat, 125);
	parse_fails_in("flat 1.255", NULL,
	    "rule: word 2 \"1.255\": amounts have at most 2 decimals");
}

/* --- currencies ---------------------------------------------------- */

static void
test_jpy_amounts(void **state)
{
	struct rule r = parse_ok_in("flat 500", &jpy);

	(void)state;
	assert_int_equal(r.flat, 500);
	r = parse_ok_in("tiered revenue month volume 0:5% 10000:7% 25000:100", &jpy);
	assert_int_equal(r.brackets[1].lower, 10000);
	assert_int_equal(r.brackets[2].lower, 25000);
	assert_int_equal(r.brackets[2].amount, 100);
}

static void
test_jpy_rejects_decimals(void **state)
{
	(void)state;
	parse_fails_in("flat 25.5", &jpy, "rule: word 2 \"25.5\": JPY amounts have no decimals");
	parse_fails_in("flat 25.0", &jpy, "rule: word 2 \"25.0\": JPY amounts have no decimals");
	parse_fails_in("tiered revenue month volume 0:5% 100.50:7%", &jpy,
	    "rule: bracket 2 \"100.50:7%\": JPY amounts have no decimals");
}

static void
test_jpy_percent_keeps_decimals(void **state)
{
	struct rule r = parse_ok_in("percent 7.25 cap 1000", &jpy);

	(void)state;
	assert_int_equal(r.rate_bp, 725);
	assert_int_equal(r.cap, 1000);
}

static void
test_bhd_three_decimals(void **state)
{
	struct rule r = parse_ok_in("flat 1.250", &bhd);

	(void)state;
	assert_int_equal(r.flat, 1250);
	r = parse_ok_in("flat 1.5", &bhd);
	assert_int_equal(r.flat, 1500);
	r = parse_ok_in("tiered revenue month graduated 0:5% 100.125:7%", &bhd);
	assert_int_equal(r.brackets[1].lower, 100125);
}

static void
test_bhd_four_decimals_rejected(void **state)
{
	(void)state;
	parse_fails_in("flat 1.2345", &bhd,
	    "rule: word 2 \"1.2345\": BHD amounts have at most 3 decimals");
}

/* --- errors --------------------------------------------------------- */

static void
test_err_empty(void **state)
{
	(void)state;
	parse_fails("", "rule: empty");
	parse_fails("   \t ", "rule: empty");
	parse_fails(NULL, "rule: empty");
}

static void
test_err_unknown_kind(void **state)
{
	(void)state;
	parse_fails("bonus 25", "rule: word 1 \"bonus\": expected flat, percent, tiered or when");
	parse_fails("25.00", "rule: word 1 \"25.00\": expected flat, percent, tiered or when");
	parse_fails("flatt 25", "rule: word 1 \"flatt\": expected flat, percent, tiered or when");
}

static void
test_err_flat_missing_amount(void **state)
{
	(void)state;
	parse_fails("flat", "rule: after \"flat\": expected an amount");
	parse_fails("  flat  ", "rule: after \"flat\": expected an amount");
}

static void
test_err_percent_missing_rate(void **state)
{
	(void)state;
	parse_fails("percent", "rule: after \"percent\": expected a percentage");
}

static void
test_err_flat_not_a_number(void **state)
{
	(void)state;
	parse_fails("flat abc", "rule: word 2 \"abc\": expected an amount");
	parse_fails("flat 1,200.00", "rule: word 2 \"1,200.00\": expected an amount");
	parse_fails("flat .5", "rule: word 2 \".5\": expected an amount");
	parse_fails("flat 5.", "rule: word 2 \"5.\": expected an amount");
	parse_fails("flat +5", "rule: word 2 \"+5\": expected an amount");
	parse_fails("flat cap", "rule: word 2 \"cap\": expected an amount");
}

static void
test_err_flat_negative(void **state)
{
	(void)state;
	parse_fails("flat -5.00", "rule: word 2 \"-5.00\": amount must not be negative");
}

static void
test_err_flat_too_many_decimals(void **state)
{
	(void)state;
	parse_fails("flat 25.001", "rule: word 2 \"25.001\": EUR amounts have at most 2 decimals");
}

static void
test_err_flat_too_large(void **state)
{
	(void)state;
	parse_fails("flat 99999999999999999999",
	    "rule: word 2 \"99999999999999999999\": amount is too large");
}

static void
test_err_percent_not_a_number(void **state)
{
	(void)state;
	parse_fails("percent ten", "rule: word 2 \"ten\": expected a percentage");
	parse_fails("percent %", "rule: word 2 \"%\": expected a percentage");
	parse_fails("percent 5%%", "rule: word 2 \"5%%\": expected a percentage");
}

static void
test_err_percent_negative(void **state)
{
	(void)state;
	parse_fails("percent -5", "rule: word 2 \"-5\": percentage must not be negative");
}

static void
test_err_percent_over_1000(void **state)
{
	(void)state;
	parse_fails("percent 1500", "rule: word 2 \"1500\": percentage must be at most 1000");
	parse_fails("percent 1000.01", "rule: word 2 \"1000.01\": percentage must be at most 1000");
	parse_fails("percent 99999999999999999999",
	    "rule: word 2 \"99999999999999999999\": percentage must be at most 1000");
}

static void
test_err_percent_too_many_decimals(void **state)
{
	(void)state;
	parse_fails("percent 7.555", "rule: word 2 \"7.555\": percentage has at most 2 decimals");
}

static void
test_err_tiered_missing_basis(void **state)
{
	(void)state;
	parse_fails("tiered", "rule: after \"tiered\": expected count or revenue");
}

static void
test_err_tiered_bad_basis(void **state)
{
	(void)state;
	parse_fails("tiered clicks month volume 0:5%",
	    "rule: word 2 \"clicks\": expected count or revenue");
}

static void
test_err_tiered_missing_period(void **state)
{
	(void)state;
	parse_fails("tiered count", "rule: after \"count\": expected month, quarter, year or lifetime");
}

static void
test_err_tiered_bad_period(void **state)
{
	(void)state;
	parse_fails("tiered count montly graduated 0:5%",
	    "rule: word 3 \"montly\": expected month, quarter, year or lifetime");
	parse_fails("tiered count averyveryverylongperiodname graduated 0:5%",
	    "rule: word 3 \"averyveryverylongperiodname\": expected month, quarter, year or lifetime");
}

static void
test_err_tiered_missing_mode(void **state)
{
	(void)state;
	parse_fails("tiered revenue month", "rule: after \"month\": expected graduated or volume");
}

static void
test_err_tiered_bad_mode(void **state)
{
	(void)state;
	parse_fails("tiered revenue month marginal 0:5%",
	    "rule: word 4 \"marginal\": expected graduated or volume");
}

static void
test_err_tiered_no_brackets(void **state)
{
	(void)state;
	parse_fails("tiered count month graduated",
	    "rule: after \"graduated\": expected a bracket LOWER:RATE, e.g. 0:5%");
	parse_fails("tiered count month volume cap 10",
	    "rule: word 5 \"cap\": expected a bracket LOWER:RATE, e.g. 0:5%");
}

static void
test_err_bracket_without_colon(void **state)
{
	(void)state;
	parse_fails("tiered count month graduated 0-5%",
	    "rule: word 5 \"0-5%\": expected a bracket LOWER:RATE, e.g. 0:5%");
}

static void
test_err_bracket_syntax(void **state)
{
	(void)state;
	parse_fails("tiered count month graduated 0:",
	    "rule: bracket 1 \"0:\": expected LOWER:RATE, e.g. 0:5%");
	parse_fails("tiered count month graduated :5%",
	    "rule: bracket 1 \":5%\": expected LOWER:RATE, e.g. 0:5%");
	parse_fails("tiered count month graduated 0:5% 10:5:7%",
	    "rule: bracket 2 \"10:5:7%\": expected LOWER:RATE, e.g. 0:5%");
	parse_fails("tiered count month graduated 0:%",
	    "rule: bracket 1 \"0:%\": expected a percentage before %");
}

static void
test_err_bracket_bad_rate(void **state)
{
	(void)state;
	parse_fails("tiered count month graduated 0:five%",
	    "rule: bracket 1 \"0:five%\": expected a percentage");
	parse_fails("tiered count month graduated 0:abc",
	    "rule: bracket 1 \"0:abc\": expected an amount");
	parse_fails("tiered count month graduated 0:5.555%",
	    "rule: bracket 1 \"0:5.555%\": percentage has at most 2 decimals");
	parse_fails("tiered count month graduated 0:2000%",
	    "rule: bracket 1 \"0:2000%\": percentage must be at most 1000");
	parse_fails("tiered count month graduated 0:-5%",
	    "rule: bracket 1 \"0:-5%\": percentage must not be negative");
	parse_fails("tiered count month volume 0:-20.00",
	    "rule: bracket 1 \"0:-20.00\": amount must not be negative");
	parse_fails("tiered count month volume 0:20.005",
	    "rule: bracket 1 \"0:20.005\": EUR amounts have at most 2 decimals");
}

static void
test_err_first_lower_not_zero(void **state)
{
	(void)state;
	parse_fails("tiered count month graduated 5:5% 10:7%",
	    "rule: bracket 1 \"5:5%\": first lower bound must be 0");
	parse_fails("tiered revenue month graduated 0.01:5%",
	    "rule: bracket 1 \"0.01:5%\": first lower bound must be 0");
}

static void
test_err_lower_not_increasing(void **state)
{
	(void)state;
	parse_fails("tiered count month graduated 0:5% 10:7% 5:7%",
	    "rule: bracket 3 \"5:7%\": lower bounds must increase (previous is 10)");
	parse_fails("tiered count month graduated 0:5% 0:7%",
	    "rule: bracket 2 \"0:7%\": lower bounds must increase (previous is 0)");
	parse_fails("tiered revenue month volume 0:5% 10000:7% 10000.00:8%",
	    "rule: bracket 3 \"10000.00:8%\": lower bounds must increase (previous is 10000.00)");
}

static void
test_err_count_lower_not_whole(void **state)
{
	(void)state;
	parse_fails("tiered count month graduated 0:5% 2.5:7%",
	    "rule: bracket 2 \"2.5:7%\": count lower bound must be a whole number");
	parse_fails("tiered count month graduated 0:5% 10.00:7%",
	    "rule: bracket 2 \"10.00:7%\": count lower bound must be a whole number");
	parse_fails("tiered count month graduated -1:5%",
	    "rule: bracket 1 \"-1:5%\": count lower bound must be a whole number");
}

static void
test_err_revenue_lower_bad_amount(void **state)
{
	(void)state;
	parse_fails("tiered revenue month graduated 0:5% 10.001:7%",
	    "rule: bracket 2 \"10.001:7%\": EUR amounts have at most 2 decimals");
	parse_fails("tiered revenue month graduated 0:5% ten:7%",
	    "rule: bracket 2 \"ten:7%\": expected an amount");
	parse_fails("tiered revenue month graduated -5:5%",
	    "rule: bracket 1 \"-5:5%\": amount must not be negative");
}

static void
test_err_junk_after_flat(void **state)
{
	(void)state;
	parse_fails("flat 25.00 extra", "rule: word 3 \"extra\": expected cap, for, ; or end of rule");
	parse_fails("percent 10 20", "rule: word 3 \"20\": expected cap, for, ; or end of rule");
}

static void
test_err_junk_after_brackets(void **state)
{
	(void)state;
	parse_fails("tiered count month graduated 0:5% junk",
	    "rule: word 6 \"junk\": expected a bracket LOWER:RATE or cap");
}

static void
test_err_junk_after_cap(void **state)
{
	(void)state;
	parse_fails("percent 10 cap 500 now", "rule: word 5 \"now\": expected for, ; or end of rule");
	parse_fails("percent 10 cap 500 cap 600", "rule: word 5 \"cap\": expected for, ; or end of rule");
	parse_fails("tiered count month graduated 0:5% cap 10 20:7%",
	    "rule: word 8 \"20:7%\": expected end of rule");
}

static void
test_err_too_many_brackets(void **state)
{
	struct sbuf b;
	char want[128];
	int i;

	(void)state;
	sbuf_init(&b);
	sbuf_add(&b, "tiered count month graduated");
	for (i = 0; i <= RULE_MAX_BRACKETS; i++)
		sbuf_addf(&b, " %d:5%%", i);
	snprintf(want, sizeof want, "rule: bracket %d \"%d:5%%\": at most %d brackets",
	    RULE_MAX_BRACKETS + 1, RULE_MAX_BRACKETS, RULE_MAX_BRACKETS);
	assert_string_equal(want, "rule: bracket 17 \"16:5%\": at most 16 brackets");
	parse_fails(sbuf_str(&b), want);
	sbuf_free(&b);
}

static void
test_err_cap_without_amount(void **state)
{
	(void)state;
	parse_fails("percent 10 cap", "rule: after \"cap\": expected an amount");
	parse_fails("tiered count month graduated 0:5% cap",
	    "rule: after \"cap\": expected an amount");
	parse_fails("percent 10 cap lots", "rule: word 4 \"lots\": expected an amount");
}

static void
test_err_cap_zero(void **state)
{
	(void)state;
	parse_fails("percent 10 cap 0",
	    "rule: word 4 \"0\": cap must be more than 0 (leave it out for none)");
	parse_fails("flat 5 cap 0.00",
	    "rule: word 4 \"0.00\": cap must be more than 0 (leave it out for none)");
}

static void
test_err_cap_negative(void **state)
{
	(void)state;
	parse_fails("percent 10 cap -5", "rule: word 4 \"-5\": amount must not be negative");
}

static void
test_err_cap_too_many_decimals(void **state)
{
	(void)state;
	parse_fails("percent 10 cap 5.001",
	    "rule: word 4 \"5.001\": EUR amounts have at most 2 decimals");
	parse_fails_in("percent 10 cap 5.5", &jpy,
	    "rule: word 4 \"5.5\": JPY amounts have no decimals");
}

static void
test_err_long_word_is_cut(void **state)
{
	(void)state;
	parse_fails("bonusbonusbonusbonusbonusbonusbonusbonusbonusbonus",
	    "rule: word 1 \"bonusbonusbonusbonusbonusbonusbonusbonus...\": "
	    "expected flat, percent, tiered or when");
}

static void
test_err_long_utf8_word_cut_on_boundary(void **state)
{
	/* 39 ASCII bytes then "é" (2 bytes): byte 40 is inside the é. */
	(void)state;
	parse_fails("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\xc3\xa9yy",
	    "rule: word 1 \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\": "
	    "expected flat, percent, tiered or when");
}

static void
test_err_control_character_shown_safely(void **state)
{
	(void)state;
	parse_fails("flat 2\x1b[0m", "rule: word 2 \"2?[0m\": expected an amount");
}

static void
test_err_null_err_buffer(void **state)
{
	struct rule r;

	(void)state;
	assert_int_equal(rule_parse("flat x", &eur, &r, NULL), ST_DATA);
	assert_int_equal(rule_parse("flat 1", &eur, &r, NULL), ST_OK);
	assert_int_equal(r.flat, 100);
}

/* --- canonical text ------------------------------------------------- */

static void
test_format_flat(void **state)
{
	(void)state;
	canonical("flat 25.00", "flat 25.00");
	canonical("flat 25", "flat 25.00");
	canonical("FLAT 0.5", "flat 0.50");
	canonical("flat 25 cap 10", "flat 25.00 cap 10.00");
}

static void
test_format_percent(void **state)
{
	(void)state;
	canonical("percent 10", "percent 10");
	canonical("percent 7.5 cap 500.00", "percent 7.5 cap 500.00");
	canonical("percent 7.50 cap 500", "percent 7.5 cap 500.00");
	canonical("percent 0.25", "percent 0.25");
	canonical("percent 10%", "percent 10");
	canonical("percent 1000", "percent 1000");
}

static void
test_format_tiered(void **state)
{
	(void)state;
	canonical("tiered count month graduated 0:5% 10:7.5% 50:10%",
	    "tiered count month graduated 0:5% 10:7.5% 50:10%");
	canonical("tiered revenue quarter volume 0:5% 10000.00:7% 25000.00:10%",
	    "tiered revenue quarter volume 0:5% 10000.00:7% 25000.00:10%");
	canonical("tiered revenue quarter volume 0.00:5.00% 10000:7% 25000.5:10%",
	    "tiered revenue quarter volume 0:5% 10000.00:7% 25000.50:10%");
	canonical("tiered count month volume 0:20.00 10:30.00",
	    "tiered count month volume 0:20.00 10:30.00");
	canonical("Tiered COUNT Lifetime Volume 0:20 10:30.5 cap 100",
	    "tiered count lifetime volume 0:20.00 10:30.50 cap 100.00");
	canonical("tiered revenue year graduated 0:5%", "tiered revenue year graduated 0:5%");
}

static void
test_format_jpy(void **state)
{
	(void)state;
	canonical_in("flat 500", &jpy, "flat 500");
	canonical_in("percent 7.5 cap 1000", &jpy, "percent 7.5 cap 1000");
	canonical_in("tiered revenue month volume 0:5% 10000:7% 25000:100", &jpy,
	    "tiered revenue month volume 0:5% 10000:7% 25000:100");
}

static void
test_format_three_decimals(void **state)
{
	(void)state;
	canonical_in("flat 1.5", &bhd, "flat 1.500");
	canonical_in("tiered revenue month graduated 0:5% 100.125:7% 200:0.5", &bhd,
	    "tiered revenue month graduated 0:5% 100.125:7% 200.000:0.500");
}

static void
test_format_appends(void **state)
{
	struct rule r = parse_ok("flat 1");
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	sbuf_add(&b, "rule=");
	rule_format(&r, &eur, &b);
	assert_string_equal(sbuf_str(&b), "rule=flat 1.00");
	sbuf_free(&b);
}

static void
test_format_built_struct(void **state)
{
	struct rule r;

	(void)state;
	memset(&r, 0, sizeof r);
	r.kind = RULE_TIERED;
	r.basis = BASIS_REVENUE;
	r.period = PERIOD_YEAR;
	r.mode = MODE_GRADUATED;
	r.nbrackets = 2;
	r.brackets[0].is_percent = true;
	r.brackets[0].rate_bp = 1;
	r.brackets[1].lower = 123456;
	r.brackets[1].amount = 99;
	r.cap = 1;
	format_is_in(&r, &eur, "tiered revenue year graduated 0:0.01% 1234.56:0.99 cap 0.01");
}

static void
test_round_trip_many(void **state)
{
	static const char *const texts[] = {
		"flat 0", "flat 0.01", "flat 999999.99 cap 0.01", "percent 0",
		"percent 0.01", "percent 99.99", "percent 1000 cap 1",
		"tiered count quarter graduated 0:0% 1:1% 2:2% 3:0.01",
		"tiered revenue lifetime volume 0:1.00 0.01:2% 5:3.10%",
		"tiered count year volume 0:5% 1000000:6%",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		struct rule r = parse_ok(texts[i]), again;
		struct sbuf b1, b2;

		sbuf_init(&b1);
		sbuf_init(&b2);
		rule_format(&r, &eur, &b1);
		again = parse_ok(sbuf_str(&b1));
		assert_rule_equal(&again, &r);
		rule_format(&again, &eur, &b2);
		assert_string_equal(sbuf_str(&b1), sbuf_str(&b2));
		sbuf_free(&b1);
		sbuf_free(&b2);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flat),
		cmocka_unit_test(test_flat_whole_number),
		cmocka_unit_test(test_flat_one_decimal),
		cmocka_unit_test(test_flat_with_cap),
		cmocka_unit_test(test_percent),
		cmocka_unit_test(test_percent_cap),
		cmocka_unit_test(test_percent_two_decimals),
		cmocka_unit_test(test_percent_with_sign),
		cmocka_unit_test(test_percent_limit_1000),
		cmocka_unit_test(test_percent_zero),
		cmocka_unit_test(test_tiered_count_month_graduated),
		cmocka_unit_test(test_tiered_revenue_quarter_volume),
		cmocka_unit_test(test_tiered_count_flat_amounts),
		cmocka_unit_test(test_tiered_revenue_whole_lowers),
		cmocka_unit_test(test_tiered_periods),
		cmocka_unit_test(test_tiered_single_bracket),
		cmocka_unit_test(test_tiered_with_cap),
		cmocka_unit_test(test_tiered_max_brackets),
		cmocka_unit_test(test_keywords_case_insensitive),
		cmocka_unit_test(test_blanks_around_and_between),
		cmocka_unit_test(test_null_currency_defaults_to_two_digits),
		cmocka_unit_test(test_jpy_amounts),
		cmocka_unit_test(test_jpy_rejects_decimals),
		cmocka_unit_test(test_jpy_percent_keeps_decimals),
		cmocka_unit_test(test_bhd_three_decimals),
		cmocka_unit_test(test_bhd_four_decimals_rejected),
		cmocka_unit_test(test_err_empty),
		cmocka_unit_test(test_err_unknown_kind),
		cmocka_unit_test(test_err_flat_missing_amount),
		cmocka_unit_test(test_err_percent_missing_rate),
		cmocka_unit_test(test_err_flat_not_a_number),
		cmocka_unit_test(test_err_flat_negative),
		cmocka_unit_test(test_err_flat_too_many_decimals),
		cmocka_unit_test(test_err_flat_too_large),
		cmocka_unit_test(test_err_percent_not_a_number),
		cmocka_unit_test(test_err_percent_negative),
		cmocka_unit_test(test_err_percent_over_1000),
		cmocka_unit_test(test_err_percent_too_many_decimals),
		cmocka_unit_test(test_err_tiered_missing_basis),
		cmocka_unit_test(test_err_tiered_bad_basis),
		cmocka_unit_test(test_err_tiered_missing_period),
		cmocka_unit_test(test_err_tiered_bad_period),
		cmocka_unit_test(test_err_tiered_missing_mode),
		cmocka_unit_test(test_err_tiered_bad_mode),
		cmocka_unit_test(test_err_tiered_no_brackets),
		cmocka_unit_test(test_err_bracket_without_colon),
		cmocka_unit_test(test_err_bracket_syntax),
		cmocka_unit_test(test_err_bracket_bad_rate),
		cmocka_unit_test(test_err_first_lower_not_zero),
		cmocka_unit_test(test_err_lower_not_increasing),
		cmocka_unit_test(test_err_count_lower_not_whole),
		cmocka_unit_test(test_err_revenue_lower_bad_amount),
		cmocka_unit_test(test_err_junk_after_flat),
		cmocka_unit_test(test_err_junk_after_brackets),
		cmocka_unit_test(test_err_junk_after_cap),
		cmocka_unit_test(test_err_too_many_brackets),
		cmocka_unit_test(test_err_cap_without_amount),
		cmocka_unit_test(test_err_cap_zero),
		cmocka_unit_test(test_err_cap_negative),
		cmocka_unit_test(test_err_cap_too_many_decimals),
		cmocka_unit_test(test_err_long_word_is_cut),
		cmocka_unit_test(test_err_long_utf8_word_cut_on_boundary),
		cmocka_unit_test(test_err_control_character_shown_safely),
		cmocka_unit_test(test_err_null_err_buffer),
		cmocka_unit_test(test_format_flat),
		cmocka_unit_test(test_format_percent),
		cmocka_unit_test(test_format_tiered),
		cmocka_unit_test(test_format_jpy),
		cmocka_unit_test(test_format_three_decimals),
		cmocka_unit_test(test_format_appends),
		cmocka_unit_test(test_format_built_struct),
		cmocka_unit_test(test_round_trip_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
