/*
 * test_rule_when.c - rules real programs run on: durations and clauses
 * (DESIGN.md section 3).  The forms of DESIGN.md parse and print
 * canonically, every mistake gets its exact message, random rule texts
 * survive parse -> print -> parse, and which clause pays a conversion is
 * checked against a small model written here, to the cent.
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

#include "core/date.h"
#include "core/str.h"
#include "domain/commission.h"
#include "domain/rule.h"

static const struct currency eur = { "EUR", 2 };

static struct rule
parse_ok(const char *text)
{
	struct rule r;
	struct err e;

	err_clear(&e);
	if (rule_parse(text, &eur, &r, &e) != ST_OK)
		fail_msg("rule_parse(\"%s\"): %s", text, e.msg);
	return r;
}

static void
parse_fails(const char *text, const char *msg)
{
	struct rule r, before;
	struct err e;

	memset(&r, 0x5a, sizeof r);
	memcpy(&before, &r, sizeof r);
	err_clear(&e);
	assert_int_equal(rule_parse(text, &eur, &r, &e), ST_DATA);
	assert_string_equal(e.msg, msg);
	assert_memory_equal(&r, &before, sizeof r);
}

/* text prints as want, and want parses to the same structure. */
static void
canonical(const char *text, const char *want)
{
	struct rule r = parse_ok(text), back;
	struct sbuf b;

	sbuf_init(&b);
	rule_format(&r, &eur, &b);
	assert_string_equal(sbuf_str(&b), want);
	back = parse_ok(sbuf_str(&b));
	assert_memory_equal(&back, &r, sizeof r);
	sbuf_free(&b);
}

static void
test_design_forms(void **state)
{
	(void)state;
	canonical("percent 25 for 12 months", "percent 25 for 12 months");
	canonical("flat 50.00 for 1 conversions", "flat 50.00 for 1 conversions");
	canonical("when product=pro-annual percent 20; when country=DE,AT flat 30.00; percent 10",
	    "when product=pro-annual percent 20; when country=DE,AT flat 30.00; percent 10");
	canonical("when first percent 15; when repeat percent 5", "when first percent 15; when repeat percent 5");
	canonical("when amount>=1000.00 percent 12; percent 8", "when amount>=1000.00 percent 12; percent 8");
}

static void
test_canonical_spelling(void **state)
{
	(void)state;
	canonical("PERCENT 25 FOR 1 MONTH", "percent 25 for 1 months");
	canonical("flat 5 for 3 conversion", "flat 5.00 for 3 conversions");
	canonical("percent 10 for lifetime", "percent 10 for lifetime");
	canonical("percent 10 for 6 months cap 20", "percent 10 cap 20.00 for 6 months");
	canonical("when Product=Pro-Annual,BASIC and country=de percent 20;percent 10",
	    "when product=pro-annual,basic and country=DE percent 20; percent 10");
	canonical("when event=Purchase and plan=Yearly and amount<50 flat 1",
	    "when event=purchase and plan=yearly and amount<50.00 flat 1.00");
	canonical("when repeat percent 5 for 12 months;percent 1", "when repeat percent 5 for 12 months; percent 1");
	/* a plain rule with a duration is still flat/percent to the engine */
	assert_int_equal(parse_ok("percent 25 for 12 months").kind, RULE_PERCENT);
	assert_int_equal(parse_ok("when first percent 25").kind, RULE_WHEN);
	assert_int_equal(parse_ok("percent 7.5 cap 500").cap, 50000);
}

static void
test_errors_duration(void **state)
{
	(void)state;
	parse_fails("percent 25 for", "rule: after \"for\": expected N months, N conversions or lifetime");
	parse_fails("percent 25 for ever", "rule: word 4 \"ever\": expected N months, N conversions or lifetime");
	parse_fails("percent 25 for 0 months", "rule: word 4 \"0\": a duration must be at least 1");
	parse_fails("percent 25 for 12", "rule: after \"12\": expected months or conversions");
	parse_fails("percent 25 for 12 weeks", "rule: word 5 \"weeks\": expected months or conversions");
	parse_fails("percent 25 for 1201 months", "rule: after \"for\": a duration is at most 1200 months");
	parse_fails("percent 25 for 1000001 conversions",
	    "rule: after \"for\": a duration is at most 1000000 conversions");
	parse_fails("percent 25 for 12 months for 3 months",
	    "rule: word 6 \"for\": expected cap, ; or end of rule");
	parse_fails("tiered count month graduated 0:5% for 12 months",
	    "rule: word 6 \"for\": a tiered rule has no duration (its period is the tier's)");
	parse_fails("tiered count month graduated 0:5% cap 10 for 12 months",
	    "rule: word 8 \"for\": a tiered rule has no duration (its period is the tier's)");
}

static void
test_errors_clauses(void **state)
{
	(void)state;
	parse_fails("when", "rule: after \"when\": expected a condition");
	parse_fails("when first", "rule: after \"first\": expected and, flat or percent");
	parse_fails("when prodct=pro percent 5", "rule: word 2 \"prodct=pro\": expected a condition: event=, "
	    "product=, plan=, country=, first, repeat, amount>=A or amount<A");
	parse_fails("when product= percent 5", "rule: word 2 \"product=\": expected a value after =");
	parse_fails("when product=a,,b percent 5", "rule: word 2 \"product=a,,b\": expected a value between commas");
	parse_fails("when product=a\"b percent 5",
	    "rule: word 2 \"product=a\"b\": a value has at most 64 letters, digits and - _ . / : +");
	parse_fails("when country=Germany flat 5",
	    "rule: word 2 \"country=Germany\": a country is a two-letter code (ISO 3166), e.g. DE");
	parse_fails("when amount>1000 percent 5", "rule: word 2 \"amount>1000\": expected amount>=A or amount<A");
	parse_fails("when amount<=1000 percent 5", "rule: word 2 \"amount<=1000\": expected amount>=A or amount<A");
	parse_fails("when amount>=10.001 percent 5", "rule: word 2 \"amount>=10.001\": EUR amounts have at most 2 decimals");
	parse_fails("when first and first percent 5", "rule: word 4 \"first\": that is already tested in this clause");
	parse_fails("when first and repeat percent 5", "rule: word 4 \"repeat\": first and repeat cannot both hold");
	parse_fails("when first tiered count month graduated 0:5%",
	    "rule: word 3 \"tiered\": tiered cannot be combined with when or other clauses");
	parse_fails("when first percent 5; tiered count month graduated 0:5%",
	    "rule: word 6 \"tiered\": tiered cannot be combined with when or other clauses");
	parse_fails("tiered count month graduated 0:5%; percent 5",
	    "rule: word 6 \";\": tiered cannot be combined with when or other clauses");
	parse_fails("percent 10; when first percent 20",
	    "rule: word 4 \"when\": the clause before has no when: the default must be last");
	parse_fails("when first percent 20;", "rule: after \";\": expected when, flat or percent");
	parse_fails("when first percent 20; ; percent 5", "rule: word 6 \";\": expected when, flat or percent");
	parse_fails("when first bonus 20", "rule: word 3 \"bonus\": expected and, flat or percent");
	parse_fails("when first and", "rule: after \"and\": expected a condition");
	parse_fails("when first and plan=a and plan=b percent 1",
	    "rule: word 6 \"plan=b\": that is already tested in this clause");
	parse_fails("when first and plan=a and country=DE and event=x and amount<5 percent 1",
	    "rule: word 10 \"amount<5\": a clause has at most 4 conditions");
	parse_fails("when first percent 5 junk", "rule: word 5 \"junk\": expected cap, for, ; or end of rule");
	parse_fails("when first percent 5 cap 0", "rule: word 6 \"0\": cap must be more than 0 (leave it out for none)");
	parse_fails("when first percent", "rule: after \"percent\": expected a percentage");
}

static void
test_errors_too_many_clauses(void **state)
{
	struct sbuf b;
	int i;

	(void)state;
	sbuf_init(&b);
	for (i = 0; i < RULE_MAX_CLAUSES; i++)
		sbuf_addf(&b, "when plan=p%d flat 1; ", i);
	sbuf_add(&b, "flat 2");
	parse_fails(sbuf_str(&b), "rule: word 41 \"flat\": a rule has at most 8 clauses");
	sbuf_free(&b);
}

/* --- random texts: parse -> print -> parse is stable ------------------- */

static unsigned long long seed = 0x2545F4914F6CDD1DULL;

static unsigned
rnd(unsigned n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (unsigned)(seed % n);
}

static void
random_cond(struct sbuf *b, const char **used, int *nused)
{
	static const char *const words[] = { "event", "product", "plan", "country", "first", "amount>=",
		"amount<" };
	static const char *const vals[] = { "pro", "Basic", "pro-annual", "a.b", "x/y", "V2+" };
	static const char *const cc[] = { "DE", "at", "Fr", "us" };
	const char *w;
	int i, again;

	do {
		w = words[rnd(7)];
		again = 0;
		for (i = 0; i < *nused; i++)
			again |= strcmp(used[i], w) == 0;
	} while (again);
	used[(*nused)++] = w;
	if (strcmp(w, "first") == 0) {
		sbuf_add(b, rnd(2) ? "first" : "REPEAT");
	} else if (w[0] == 'a') {
		sbuf_addf(b, "%s%u.%02u", w, rnd(5000), rnd(100));
	} else {
		int n = 1 + (int)rnd(3);
		sbuf_addf(b, "%s=", w);
		for (i = 0; i < n; i++)
			sbuf_addf(b, "%s%s", i ? "," : "", strcmp(w, "country") == 0 ? cc[rnd(4)] : vals[rnd(6)]);
	}
}

static void
random_body(struct sbuf *b)
{
	if (rnd(2))
		sbuf_addf(b, "flat %u.%02u", rnd(1000), rnd(100));
	else
		sbuf_addf(b, "percent %u.%u", rnd(100), rnd(10));
	if (rnd(3) == 0)
		sbuf_addf(b, " cap %u", 1 + rnd(900));
	switch (rnd(4)) {
	case 0:
		sbuf_addf(b, " for %u months", 1 + rnd(36));
		break;
	case 1:
		sbuf_addf(b, " for %u conversions", 1 + rnd(12));
		break;
	case 2:
		sbuf_add(b, " for lifetime");
		break;
	}
}

static void
test_prop_parse_print_parse(void **state)
{
	int round;

	(void)state;
	for (round = 0; round < 2000; round++) {
		struct sbuf text, p1, p2;
		struct rule r1, r2;
		int n = 1 + (int)rnd(4), k, c;

		sbuf_init(&text);
		for (k = 0; k < n; k++) {
			const char *used[RULE_MAX_CONDS];
			int nused = 0, nc = 1 + (int)rnd(3);
			bool last_default = k == n - 1 && rnd(2);
			if (k > 0)
				sbuf_add(&text, rnd(2) ? "; " : ";");
			if (!last_default) {
				sbuf_add(&text, "when ");
				for (c = 0; c < nc; c++) {
					if (c > 0)
						sbuf_add(&text, " and ");
					random_cond(&text, used, &nused);
				}
				sbuf_addc(&text, ' ');
			}
			random_body(&text);
		}
		r1 = parse_ok(sbuf_str(&text));
		sbuf_init(&p1);
		sbuf_init(&p2);
		rule_format(&r1, &eur, &p1);
		r2 = parse_ok(sbuf_str(&p1));
		rule_format(&r2, &eur, &p2);
		assert_string_equal(sbuf_str(&p1), sbuf_str(&p2));
		assert_memory_equal(&r1, &r2, sizeof r1);
		assert_int_equal(r1.nclauses, n);
		sbuf_free(&text);
		sbuf_free(&p1);
		sbuf_free(&p2);
	}
}

/* --- which clause pays ------------------------------------------------ */

static struct rule_facts
facts(const char *product, const char *country, int64_t amount, int64_t ordinal)
{
	struct rule_facts f = { .event = "purchase", .product = product, .country = country,
		.amount = amount, .at = 1790000000, .ordinal = ordinal, .first_at = 1780000000,
		.in_window = true };
	return f;
}

/* The line as the ledger makes it: the clause rule_pick takes, paid by
 * the engine on its own. */
static int64_t
line(const struct rule *r, const struct rule_facts *f, int64_t value)
{
	struct rule cr;
	int64_t amount = 0;
	int k = rule_pick(r, f, &eur, NULL);

	if (k < 0)
		return 0;
	rule_clause_rule(r, k, &cr);
	commission_compute(&cr, &eur, &value, 1, &amount, NULL);
	return amount;
}

static void
test_three_clauses(void **state)
{
	struct rule r = parse_ok("when product=pro-annual percent 20; when country=DE,AT flat 30.00; percent 10");
	struct rule_facts f;
	struct sbuf x;

	(void)state;
	f = facts("pro-annual", "DE", 12345, 1);
	assert_int_equal(line(&r, &f, 12345), 2469);   /* 123.45 x 20% = 24.69 */
	f = facts("basic", "AT", 12345, 1);
	assert_int_equal(line(&r, &f, 12345), 3000);
	f = facts("basic", "FR", 12345, 1);
	assert_int_equal(line(&r, &f, 12345), 1235);   /* 12.345 rounds up */
	f = facts(NULL, NULL, 999, 1);
	assert_int_equal(line(&r, &f, 999), 100);      /* 9.99 x 10% = 0.999 */

	sbuf_init(&x);
	f = facts("basic", "FR", 12345, 1);
	assert_int_equal(rule_pick(&r, &f, &eur, &x), 2);
	assert_string_equal(sbuf_str(&x),
	    "clause 1 \"when product=pro-annual percent 20\": does not hold: product is basic\n"
	    "clause 2 \"when country=DE,AT flat 30.00\": does not hold: country is FR\n"
	    "clause 3 \"percent 10\": applies\n");
	sbuf_free(&x);
}

static void
test_no_default_earns_nothing(void **state)
{
	struct rule r = parse_ok("when product=pro percent 20; when country=DE flat 5");
	struct rule_facts f = facts(NULL, "FR", 10000, 1);
	struct sbuf x;

	(void)state;
	sbuf_init(&x);
	assert_int_equal(rule_pick(&r, &f, &eur, &x), -1);
	assert_string_equal(sbuf_str(&x),
	    "clause 1 \"when product=pro percent 20\": does not hold: the conversion has no product\n"
	    "clause 2 \"when country=DE flat 5.00\": does not hold: country is FR\n"
	    "no clause holds and the rule has no default: earns nothing\n");
	assert_int_equal(line(&r, &f, 10000), 0);
	sbuf_free(&x);
}

static void
test_first_repeat(void **state)
{
	struct rule r = parse_ok("when first percent 15; when repeat percent 5");
	struct rule_facts f;

	(void)state;
	f = facts(NULL, NULL, 20000, 1);
	assert_int_equal(line(&r, &f, 20000), 3000);
	f = facts(NULL, NULL, 20000, 2);
	assert_int_equal(line(&r, &f, 20000), 1000);
	f = facts(NULL, NULL, 20000, 37);
	assert_int_equal(line(&r, &f, 20000), 1000);
}

static void
test_amount_boundary(void **state)
{
	struct rule r = parse_ok("when amount>=1000.00 percent 12; percent 8");
	struct rule s = parse_ok("when amount<1000.00 flat 5; flat 50");
	struct rule_facts f;

	(void)state;
	f = facts(NULL, NULL, 100000, 1);               /* exactly 1000.00: >= holds */
	assert_int_equal(line(&r, &f, 100000), 12000);
	assert_int_equal(line(&s, &f, 100000), 5000);
	f = facts(NULL, NULL, 99999, 1);                /* one cent below */
	assert_int_equal(line(&r, &f, 99999), 8000);    /* 999.99 x 8% = 79.9992 */
	assert_int_equal(line(&s, &f, 99999), 500);
	/* the test reads the amount as reported, the line pays the net value */
	f = facts(NULL, NULL, 100000, 1);
	assert_int_equal(line(&r, &f, 40000), 4800);
}

static void
test_duration_months(void **state)
{
	struct rule r = parse_ok("percent 25 for 12 months");
	struct rule_facts f = facts(NULL, NULL, 10000, 1);
	struct sbuf x;
	struct err e;
	int64_t first, at;

	(void)state;
	assert_int_equal(date_set_zone("UTC", &e), ST_OK);
	assert_int_equal(date_parse_time("2026-10-03", &first, "at", &e), ST_OK);
	f.first_at = first;
	f.in_window = false;
	/* 2027-01-03, the 4th monthly payment: month 4 of 12 */
	assert_int_equal(date_parse_time("2027-01-03", &at, "at", &e), ST_OK);
	f.at = at;
	f.ordinal = 4;
	sbuf_init(&x);
	assert_int_equal(rule_pick(&r, &f, &eur, &x), 0);
	assert_string_equal(sbuf_str(&x), "renewal 4 of 12, until 2027-10-03\n");
	/* the last second of the duration still earns, its end does not */
	assert_int_equal(date_parse_time("2027-10-02T23:59:59Z", &at, "at", &e), ST_OK);
	f.at = at;
	assert_int_equal(rule_pick(&r, &f, &eur, NULL), 0);
	f.at = at + 1;
	sbuf_reset(&x);
	assert_int_equal(rule_pick(&r, &f, &eur, &x), -1);
	assert_string_equal(sbuf_str(&x), "past the 12-month duration, which ended 2027-10-03\n"
	    "no clause holds: earns nothing\n");
	sbuf_free(&x);
	/* Jan 31 + 1 month is the last day of February */
	assert_int_equal(date_parse_time("2027-01-31T10:00:00Z", &first, "at", &e), ST_OK);
	assert_int_equal(date_parse_time("2027-02-28T10:00:00Z", &at, "at", &e), ST_OK);
	assert_true(date_add_months(first, 1) == at);
	assert_int_equal(date_parse_time("2028-02-29T10:00:00Z", &at, "at", &e), ST_OK);
	assert_true(date_add_months(first, 13) == at);
}

static void
test_duration_conversions_and_window(void **state)
{
	struct rule once = parse_ok("flat 50.00 for 1 conversions");
	struct rule plain = parse_ok("percent 10");
	struct rule_facts f = facts(NULL, NULL, 10000, 1);

	(void)state;
	assert_int_equal(line(&once, &f, 10000), 5000);
	f.ordinal = 2;
	assert_int_equal(line(&once, &f, 10000), 0);
	/* without a duration, only the window counts */
	assert_int_equal(line(&plain, &f, 10000), 1000);
	f.in_window = false;
	assert_int_equal(line(&plain, &f, 10000), 0);
	assert_false(rule_has_duration(&plain));
	assert_true(rule_has_duration(&once));
	assert_true(rule_needs_order(&once));
	assert_true(rule_needs_order(&(struct rule){ 0 }) == false);
}

/*
 * Property: over random conversions, a conditional rule's total is the
 * sum of its clauses' totals over the conversions each clause took, with
 * the clause and the line worked out by the model below (first clause
 * whose conditions hold; value x rate rounded half away from zero, or the
 * flat amount; at most the cap).
 */
struct model_clause {
	const char *product;    /* NULL = not tested */
	const char *country;
	int first;              /* 1 first, 2 repeat, 0 not tested */
	int64_t ge, lt;         /* -1 = not tested */
	int64_t flat;           /* -1 = percent */
	int64_t bp, cap;
};

static int64_t
model_line(const struct model_clause *c, int64_t value)
{
	int64_t v;

	if (c->flat >= 0) {
		v = c->flat;
	} else {
		v = (value * c->bp) / 10000;
		if ((value * c->bp) % 10000 * 2 >= 10000)
			v++;
	}
	return c->cap > 0 && v > c->cap ? c->cap : v;
}

static void
test_prop_total_is_sum_of_clauses(void **state)
{
	static const struct model_clause m[] = {
		{ "pro", NULL, 0, -1, -1, -1, 2000, 0 },
		{ NULL, "DE", 1, -1, -1, 3000, 0, 0 },
		{ NULL, NULL, 2, 50000, -1, -1, 750, 2500 },
		{ NULL, NULL, 0, -1, 1000, 199, 0, 0 },
	};
	struct rule r = parse_ok("when product=pro percent 20; when country=DE and first flat 30; "
	    "when repeat and amount>=500 percent 7.5 cap 25; when amount<10 flat 1.99");
	static const char *const products[] = { "pro", "basic", NULL };
	static const char *const countries[] = { "DE", "FR", NULL };
	int64_t total = 0, per_clause[4] = { 0 }, model_total = 0;
	int i, k;

	(void)state;
	for (i = 0; i < 5000; i++) {
		int64_t value = 1 + (int64_t)rnd(200000), ordinal = 1 + (int64_t)rnd(3);
		struct rule_facts f = facts(products[rnd(3)], countries[rnd(3)], value, ordinal);
		int want = -1;
		int64_t got;

		for (k = 0; k < 4 && want < 0; k++) {
			const struct model_clause *c = &m[k];
			if (c->product && (f.product == NULL || strcmp(c->product, f.product) != 0))
				continue;
			if (c->country && (f.country == NULL || strcmp(c->country, f.country) != 0))
				continue;
			if ((c->first == 1 && ordinal != 1) || (c->first == 2 && ordinal == 1))
				continue;
			if ((c->ge >= 0 && value < c->ge) || (c->lt >= 0 && value >= c->lt))
				continue;
			want = k;
		}
		assert_int_equal(rule_pick(&r, &f, &eur, NULL), want);
		got = line(&r, &f, value);
		total += got;
		if (want >= 0) {
			assert_int_equal(got, model_line(&m[want], value));
			per_clause[want] += model_line(&m[want], value);
			model_total += model_line(&m[want], value);
		} else {
			assert_int_equal(got, 0);
		}
	}
	assert_int_equal(total, per_clause[0] + per_clause[1] + per_clause[2] + per_clause[3]);
	assert_int_equal(total, model_total);
	for (k = 0; k < 4; k++)
		assert_true(per_clause[k] > 0);         /* every clause took some */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_design_forms),
		cmocka_unit_test(test_canonical_spelling),
		cmocka_unit_test(test_errors_duration),
		cmocka_unit_test(test_errors_clauses),
		cmocka_unit_test(test_errors_too_many_clauses),
		cmocka_unit_test(test_prop_parse_print_parse),
		cmocka_unit_test(test_three_clauses),
		cmocka_unit_test(test_no_default_earns_nothing),
		cmocka_unit_test(test_first_repeat),
		cmocka_unit_test(test_amount_boundary),
		cmocka_unit_test(test_duration_months),
		cmocka_unit_test(test_duration_conversions_and_window),
		cmocka_unit_test(test_prop_total_is_sum_of_clauses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
