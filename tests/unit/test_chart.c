/*
 * test_chart.c - the text charts line by line: horizontal bars, funnel,
 * sparkline, vertical bars and the braille line, in UTF-8 and in ASCII,
 * at several widths, with empty and single-point series, huge values and
 * an all-zero series.  Every line is checked exactly, and no line is ever
 * wider than the chart was asked to be.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <cmocka.h>

#include "ui/chart/chart.h"
#include "ui/text.h"

/* CHART_PRINT=1 prints the lines as C strings (to write expectations). */
static void
expect(struct chart *c, int width, const char *const *want)
{
	size_t i, n = 0;

	if (getenv("CHART_PRINT")) {
		for (i = 0; i < c->n; i++) {
			char *s = chart_line_text(c, i);
			printf("\t\t\"%s\",\n", s);
			free(s);
		}
		printf("\t\tNULL\n");
	}
	while (want[n])
		n++;
	for (i = 0; i < c->n; i++) {
		char *s = chart_line_text(c, i);

		assert_true(chart_line_width(c, i) <= (size_t)width);
		if (!getenv("CHART_PRINT")) {
			assert_true(i < n);
			assert_string_equal(s, want[i]);
		}
		free(s);
	}
	if (!getenv("CHART_PRINT"))
		assert_int_equal(c->n, n);
	chart_reset(c);
}

static bool
all_ascii(struct chart *c)
{
	size_t i;
	const char *p;
	char *s;
	bool ok = true;

	for (i = 0; i < c->n; i++) {
		s = chart_line_text(c, i);
		for (p = s; *p; p++)
			if ((unsigned char)*p >= 0x80)
				ok = false;
		free(s);
	}
	return ok;
}

static const struct chart_item ranking[] = {
	{ "Müller GmbH", 120, "120", CR_CHART },
	{ "Zeta Ltd", 37, NULL, CR_CHART },
	{ "A very long referrer name indeed", 5, "5", CR_CHART },
	{ "東京商事株式会社", 1, "1", CR_CHART },
	{ "Zero", 0, "0", CR_CHART },
};
#define NRANK (sizeof ranking / sizeof ranking[0])

static void
test_hbars_utf8(void **state)
{
	struct chart c;

	(void)state;
	chart_init(&c, false);
	chart_hbars(&c, 40, ranking, NRANK);
	expect(&c, 40, (const char *const[]){
		"Müller GmbH   ██████████████████████ 120",
		"Zeta Ltd      ██████▊                 37",
		"A very long … ▉                        5",
		"東京商事株式… ▏                        1",
		"Zero                                   0",
		NULL });
	chart_hbars(&c, 80, ranking, NRANK);
	expect(&c, 80, (const char *const[]){
		"Müller GmbH                █████████████████████████████████████████████████ 120",
		"Zeta Ltd                   ███████████████▏                                   37",
		"A very long referrer name… ██                                                  5",
		"東京商事株式会社           ▍                                                   1",
		"Zero                                                                           0",
		NULL });
	chart_free(&c);
}

static void
test_hbars_ascii(void **state)
{
	struct chart c;

	(void)state;
	chart_init(&c, true);
	chart_hbars(&c, 40, ranking, NRANK);
	expect(&c, 40, (const char *const[]){
		"Müller GmbH   ###################### 120",
		"Zeta Ltd      #######                 37",
		"A very long … #                        5",
		"東京商事株式… #                        1",
		"Zero                                   0",
		NULL });
	chart_free(&c);
}

static void
test_hbars_edges(void **state)
{
	struct chart_item zero[] = { { "a", 0, NULL, CR_CHART }, { "b", -5, NULL, CR_CHART } };
	struct chart_item huge[] = { { "max", INT64_MAX, "9.2E", CR_CHART },
		{ "half", INT64_MAX / 2, "4.6E", CR_CHART }, { "one", 1, "1", CR_CHART } };
	struct chart c;

	(void)state;
	chart_init(&c, false);
	chart_hbars(&c, 30, zero, 2);
	expect(&c, 30, (const char *const[]){
		"a                            0",
		"b                           -5",
		NULL });
	chart_hbars(&c, 30, huge, 3);
	expect(&c, 30, (const char *const[]){
		"max  ████████████████████ 9.2E",
		"half ██████████           4.6E",
		"one  ▏                       1",
		NULL });
	chart_hbars(&c, 30, NULL, 0);
	assert_int_equal(c.n, 0);
	chart_free(&c);
}

static const struct chart_item funnel[] = {
	{ "Referrals", 120, "120", CR_CHART },
	{ "Converted", 48, "48", CR_CHART_CONVERTED },
	{ "Commission", 40, "40 lines", CR_OK },
};

static void
test_funnel(void **state)
{
	struct chart_item none[] = { { "Referrals", 0, NULL, CR_CHART },
		{ "Converted", 0, NULL, CR_CHART } };
	struct chart c;

	(void)state;
	chart_init(&c, false);
	chart_funnel(&c, 60, funnel, 3);
	expect(&c, 60, (const char *const[]){
		"Referrals  ███████████████████████████████      120         ",
		"Converted           ████████████                 48    40.0%",
		"Commission           ██████████            40 lines    83.3%",
		NULL });
	chart_funnel(&c, 80, funnel, 3);
	expect(&c, 80, (const char *const[]){
		"Referrals  ███████████████████████████████████████████████████      120         ",
		"Converted                 ████████████████████                       48    40.0%",
		"Commission                  █████████████████                  40 lines    83.3%",
		NULL });
	chart_funnel(&c, 40, none, 2);
	expect(&c, 40, (const char *const[]){
		"Referrals                     0         ",
		"Converted                     0        -",
		NULL });
	c.ascii = true;
	chart_funnel(&c, 60, funnel, 3);
	expect(&c, 60, (const char *const[]){
		"Referrals  ###############################      120         ",
		"Converted           ############                 48    40.0%",
		"Commission           ##########            40 lines    83.3%",
		NULL });
	chart_free(&c);
}

static void
test_spark(void **state)
{
	static const int64_t v[] = { 0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 0, 3 };
	static const int64_t zero[] = { 0, 0, 0 };
	static const int64_t huge[] = { INT64_MAX, 0, INT64_MAX / 2, 1 };
	struct chart c;

	(void)state;
	chart_init(&c, false);
	chart_spark(&c, 20, v, 12, CR_CHART);
	expect(&c, 20, (const char *const[]){
		"▁▂▂▂▂▂▃▄▅█▁▂",
		NULL });
	chart_spark(&c, 5, v, 12, CR_CHART);       /* the latest five */
	expect(&c, 5, (const char *const[]){
		"▄▅█▁▂",
		NULL });
	chart_spark(&c, 5, zero, 3, CR_CHART);
	expect(&c, 5, (const char *const[]){
		"▁▁▁",
		NULL });
	chart_spark(&c, 5, huge, 4, CR_CHART);
	expect(&c, 5, (const char *const[]){
		"█▁▄▂",
		NULL });
	chart_spark(&c, 5, v, 0, CR_CHART);
	expect(&c, 5, (const char *const[]){
		"",
		NULL });
	c.ascii = true;
	chart_spark(&c, 20, v, 12, CR_CHART);
	expect(&c, 20, (const char *const[]){
		"_.....-:=#_.",
		NULL });
	chart_free(&c);
}

static const int64_t refs[] = { 12, 5, 0, 7, 9, 3, 1, 14, 2, 8 };
static const int64_t convs[] = { 4, 1, 0, 2, 5, 0, 1, 6, 0, 3 };
static const char *const days[] = { "10-01", "10-02", "10-03", "10-04", "10-05",
	"10-06", "10-07", "10-08", "10-09", "10-10" };
static const struct chart_series two[] = {
	{ "referrals", refs, CR_CHART },
	{ "conversions", convs, CR_CHART_CONVERTED },
};

static void
test_vbars_utf8(void **state)
{
	struct chart_time t = { two, 2, 10, days };
	struct chart c;

	(void)state;
	chart_init(&c, false);
	chart_vbars(&c, 40, 10, &t);
	expect(&c, 40, (const char *const[]){
		"15 ┤                     ▄        ",
		"   │▅                    █        ",
		"10 ┤█           ▂        █        ",
		"   │█        ▂  █        █     ▆  ",
		"   │█  ▃     █  █▂       █▆    █  ",
		" 5 ┤█▆ █     █  █▓ ▃     █▓    █▃ ",
		"   │█▓ █▃    █▇ █▓ █  ▄▃ █▓ ▇  █▓ ",
		" 0 └────────────────────────────────────",
		"    10-01 10-03 10-05 10-07 10-09",
		"    █ referrals  ▓ conversions",
		NULL });
	chart_vbars(&c, 80, 8, &t);
	expect(&c, 80, (const char *const[]){
		"15 ┤                                          ▅▅▅               ",
		"   │███                                       ███               ",
		"10 ┤███               ▃▃▃   ███               ███         ▅▅▅   ",
		" 5 ┤███▂▂ ▅▅▅         ███   ███▅▅             ███▓▓       ███   ",
		"   │███▓▓ ███▂▂       ███▅▅ ███▓▓ ███   ▃▃▃▂▂ ███▓▓ ▅▅▅   ███▓▓ ",
		" 0 └────────────────────────────────────────────────────────────────────────────",
		"    10-01 10-02 10-03 10-04 10-05 10-06 10-07 10-08 10-09 10-10",
		"    █ referrals  ▓ conversions",
		NULL });
	t.ns = 1;
	chart_vbars(&c, 12, 6, &t);    /* fewer columns than points: the latest */
	expect(&c, 12, (const char *const[]){
		"20 ┤     ▁  ",
		"10 ┤  ▃  █ ▂",
		"   │ ██▄▁█▂█",
		" 0 └────────",
		"    10-03",
		"    █ refer…",
		NULL });
	chart_free(&c);
}

static void
test_vbars_ascii(void **state)
{
	struct chart_time t = { two, 2, 10, days };
	struct chart c;

	(void)state;
	chart_init(&c, true);
	chart_vbars(&c, 40, 10, &t);
	expect(&c, 40, (const char *const[]){
		"15 +                     #        ",
		"   |#                    #        ",
		"10 +#                    #        ",
		"   |#           #        #     #  ",
		"   |#        #  #        #     #  ",
		" 5 +#  #     #  #=       #=    #  ",
		"   |#= #     #  #= #  #  #= #  #= ",
		" 0 +------------------------------------",
		"    10-01 10-03 10-05 10-07 10-09",
		"    # referrals  = conversions",
		NULL });
	assert_true(c.n == 0);
	chart_vbars(&c, 40, 10, &t);
	assert_true(all_ascii(&c));
	chart_free(&c);
}

static void
test_vbars_edges(void **state)
{
	static const int64_t zero[] = { 0, 0, 0 };
	static const int64_t huge[] = { INT64_MAX, INT64_MAX / 3, 1 };
	static const int64_t one[] = { 7 };
	struct chart_series s = { "referrals", zero, CR_CHART };
	struct chart_time t = { &s, 1, 0, days };
	struct chart c;

	(void)state;
	chart_init(&c, false);
	chart_vbars(&c, 30, 6, &t);            /* empty */
	expect(&c, 30, (const char *const[]){
		"1 ┤",
		"  │          no data",
		"  │",
		"0 └───────────────────────────",
		"   ",
		"   █ referrals",
		NULL });
	t.n = 3;
	chart_vbars(&c, 30, 6, &t);            /* all zero */
	expect(&c, 30, (const char *const[]){
		"1 ┤                  ",
		"  │                  ",
		"  │                  ",
		"0 └───────────────────────────",
		"   10-01 10-02 10-03",
		"   █ referrals",
		NULL });
	s.v = one;
	t.n = 1;
	chart_vbars(&c, 30, 6, &t);            /* one point */
	expect(&c, 30, (const char *const[]){
		"10 ┤▁▁▁▁▁ ",
		" 5 ┤█████ ",
		"   │█████ ",
		" 0 └──────────────────────────",
		"    10-01",
		"    █ referrals",
		NULL });
	s.v = huge;
	t.n = 3;
	chart_vbars(&c, 30, 7, &t);
	expect(&c, 30, (const char *const[]){
		"10E ┤▆▆▆▆▆             ",
		"    │█████             ",
		" 5E ┤█████ ▂▂▂▂▂       ",
		"    │█████ █████ ▁▁▁▁▁ ",
		"  0 └─────────────────────────",
		"     10-01 10-02 10-03",
		"     █ referrals",
		NULL });
	chart_free(&c);
}

static void
test_line_utf8(void **state)
{
	struct chart_time t = { two, 2, 10, days };
	struct chart c;

	(void)state;
	chart_init(&c, false);
	chart_line(&c, 40, 8, &t);
	expect(&c, 40, (const char *const[]){
		"15 ┤                           ⡰⡄       ",
		"   │⠑⢄                        ⡰⠁⠘⡄      ",
		"10 ┤  ⠣⡀       ⢀⠤⠒⠒⠉⠑⢄       ⡰⠁⣤ ⠘⡄   ⢀⠔",
		" 5 ┤⢶⡀ ⠈⠢⣀    ⡔⠁⣀⣀⠤⠔⠻⡀⠑⢄⡀   ⡰⡡⠔⠁⠑⢄⠘⡄⡠⠊⠁⣤",
		"   │ ⠈⠑⠢⠶⠤⣑⣤⣤⠮⠒⠊⠉    ⠈⠑⣤⣈⡱⠶⠶⠋     ⠑⣬⠤⠒⠉ ",
		" 0 └────────────────────────────────────",
		"    10-01   10-03   10-05  10-07   10-09",
		"    ⠂ referrals  ⠛ conversions",
		NULL });
	t.ns = 1;
	chart_line(&c, 24, 6, &t);
	expect(&c, 24, (const char *const[]){
		"20 ┤               ⡀    ",
		"10 ┤⠑⢄    ⢀⡠⠤⣀    ⡜⠘⢄  ⢀",
		"   │  ⠑⠢⢄⠔⠁   ⠉⠒⠤⠜   ⠣⠊⠁",
		" 0 └────────────────────",
		"    10-01 10-04  10-07",
		"    ⠂ referrals",
		NULL });
	chart_free(&c);
}

static void
test_line_ascii(void **state)
{
	struct chart_time t = { two, 1, 10, days };
	struct chart c;

	(void)state;
	chart_init(&c, true);
	chart_line(&c, 40, 8, &t);
	expect(&c, 40, (const char *const[]){
		"15 +                           *        ",
		"   |*                        .. .       ",
		"10 + ..        .*...*.      .    ..  ..*",
		" 5 +   .*.   ..       .*...*       *.   ",
		"   |      ..*                           ",
		" 0 +------------------------------------",
		"    10-01   10-03   10-05  10-07   10-09",
		"    * referrals",
		NULL });
	t.ns = 2;
	chart_line(&c, 40, 8, &t);
	assert_true(all_ascii(&c));
	chart_free(&c);
}

static void
test_line_edges(void **state)
{
	static const int64_t one[] = { 7 };
	static const int64_t zero[] = { 0, 0, 0, 0 };
	static const int64_t huge[] = { 1, INT64_MAX, 0 };
	struct chart_series s = { "referrals", one, CR_CHART };
	struct chart_time t = { &s, 1, 0, NULL };
	struct chart c;

	(void)state;
	chart_init(&c, false);
	chart_line(&c, 30, 6, &t);             /* empty */
	expect(&c, 30, (const char *const[]){
		"1 ┤                           ",
		"  │          no data",
		"  │                           ",
		"0 └───────────────────────────",
		"   ",
		"   ⠂ referrals",
		NULL });
	t.n = 1;
	chart_line(&c, 30, 6, &t);             /* one point */
	expect(&c, 30, (const char *const[]){
		"10 ┤⡀                         ",
		" 5 ┤                          ",
		"   │                          ",
		" 0 └──────────────────────────",
		"    ",
		"    ⠂ referrals",
		NULL });
	s.v = zero;
	t.n = 4;
	chart_line(&c, 30, 6, &t);
	expect(&c, 30, (const char *const[]){
		"1 ┤                           ",
		"  │                           ",
		"  │⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀",
		"0 └───────────────────────────",
		"   ",
		"   ⠂ referrals",
		NULL });
	s.v = huge;
	t.n = 3;
	chart_line(&c, 30, 6, &t);
	expect(&c, 30, (const char *const[]){
		"10E ┤         ⢀⡠⠤⠒⠢⢄⡀         ",
		" 5E ┤   ⢀⣀⠤⠔⠒⠉⠁     ⠈⠉⠒⠤⢄⡀    ",
		"    │⠤⠒⠊⠁                ⠈⠑⠒⠤⣀",
		"  0 └─────────────────────────",
		"     ",
		"     ⠂ referrals",
		NULL });
	c.ascii = true;
	chart_line(&c, 30, 6, &t);
	expect(&c, 30, (const char *const[]){
		"10E +      ......*..          ",
		" 5E +*.....         ......    ",
		"    |                     ...*",
		"  0 +-------------------------",
		"     ",
		"     * referrals",
		NULL });
	chart_free(&c);
}

static void
test_numbers(void **state)
{
	char buf[32];
	uint64_t top, step;

	(void)state;
	assert_string_equal(chart_num(0, buf), "0");
	assert_string_equal(chart_num(9999, buf), "9999");
	assert_string_equal(chart_num(10000, buf), "10k");
	assert_string_equal(chart_num(12500, buf), "12k");
	assert_string_equal(chart_num(1500000, buf), "1.5M");
	assert_string_equal(chart_num(2000000, buf), "2M");
	assert_string_equal(chart_num(UINT64_MAX, buf), "18E");
	step = chart_nice(14, 3, &top);
	assert_int_equal(step, 5);
	assert_int_equal(top, 15);
	step = chart_nice(0, 3, &top);
	assert_int_equal(step, 1);
	assert_int_equal(top, 1);
	step = chart_nice(101, 5, &top);
	assert_int_equal(step, 50);
	assert_int_equal(top, 150);
	step = chart_nice(INT64_MAX, 2, &top);
	assert_true(top >= (uint64_t)INT64_MAX);
	assert_true(top / step <= 2);
}

/* Every width from 80 to 200: no line wider than asked, none cut. */
static void
test_widths(void **state)
{
	int64_t v[120], w2[120];
	struct chart_series s[2] = { { "referrals", v, CR_CHART }, { "conversions", w2,
		CR_CHART_CONVERTED } };
	struct chart_time t = { s, 2, 120, NULL };
	struct chart c;
	size_t i;
	int w, a;

	(void)state;
	for (i = 0; i < 120; i++) {
		v[i] = (int64_t)((i * 7919) % 1000);
		w2[i] = v[i] / 3;
	}
	for (a = 0; a < 2; a++) {
		chart_init(&c, a == 1);
		for (w = 80; w <= 200; w += 7) {
			chart_vbars(&c, w, 12, &t);
			chart_line(&c, w, 12, &t);
			chart_hbars(&c, w, ranking, NRANK);
			chart_funnel(&c, w, funnel, 3);
			chart_spark(&c, w, v, 120, CR_CHART);
			for (i = 0; i < c.n; i++)
				assert_true(chart_line_width(&c, i) <= (size_t)w);
			chart_reset(&c);
		}
		chart_free(&c);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hbars_utf8),
		cmocka_unit_test(test_hbars_ascii),
		cmocka_unit_test(test_hbars_edges),
		cmocka_unit_test(test_funnel),
		cmocka_unit_test(test_spark),
		cmocka_unit_test(test_vbars_utf8),
		cmocka_unit_test(test_vbars_ascii),
		cmocka_unit_test(test_vbars_edges),
		cmocka_unit_test(test_line_utf8),
		cmocka_unit_test(test_line_ascii),
		cmocka_unit_test(test_line_edges),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_widths),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
