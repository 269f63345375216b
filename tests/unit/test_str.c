/*
 * test_str.c - the string buffer, ASCII helpers, escaping for display,
 * UTF-8 decoding and widths, and CSV writing.
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

#include "core/alloc.h"
#include "core/csv.h"
#include "core/str.h"
#include "core/utf8.h"

/* U+202E RIGHT-TO-LEFT OVERRIDE, U+2066 LEFT-TO-RIGHT ISOLATE */
#define RLO "\xe2\x80\xae"
#define LRI "\xe2\x81\xa6"
/* U+009B CONTROL SEQUENCE INTRODUCER (C1) */
#define CSI "\xc2\x9b"
/* U+4E2D U+6587: two wide CJK characters */
#define ZHONGWEN "\xe4\xb8\xad\xe6\x96\x87"
/* e + U+0301 COMBINING ACUTE ACCENT */
#define E_ACUTE "e\xcc\x81"
/* U+1F600 */
#define GRIN "\xf0\x9f\x98\x80"

static void
vis(const char *in, const char *want)
{
	char *got = str_visible(in);

	assert_string_equal(got, want);
	free(got);
}

/* --- sbuf --- */

static void
test_sbuf_empty(void **state)
{
	struct sbuf b;
	char *s;

	(void)state;
	sbuf_init(&b);
	assert_string_equal(sbuf_str(&b), "");
	assert_int_equal(b.len, 0);
	s = sbuf_take(&b);
	assert_string_equal(s, "");
	free(s);
	sbuf_free(&b);
}

static void
test_sbuf_add(void **state)
{
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	sbuf_add(&b, "abc");
	sbuf_addc(&b, '-');
	sbuf_addn(&b, "defgh", 2);
	sbuf_addf(&b, "[%d|%s]", 42, "x");
	sbuf_add(&b, "");
	assert_string_equal(sbuf_str(&b), "abc-de[42|x]");
	assert_int_equal(b.len, strlen("abc-de[42|x]"));
	sbuf_free(&b);
	assert_null(b.s);
}

static void
test_sbuf_grow(void **state)
{
	struct sbuf b;
	size_t i;

	(void)state;
	sbuf_init(&b);
	for (i = 0; i < 10000; i++)
		sbuf_addc(&b, (char)('a' + i % 26));
	sbuf_addf(&b, "%05d", 7);
	assert_int_equal(b.len, 10005);
	assert_int_equal(strlen(b.s), 10005);
	assert_true(b.cap > b.len);
	assert_memory_equal(b.s, "abcdefghij", 10);
	assert_string_equal(b.s + 10000, "00007");
	sbuf_free(&b);
}

static void
test_sbuf_addf_long(void **state)
{
	struct sbuf b;
	char big[3000];

	(void)state;
	memset(big, 'z', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	sbuf_init(&b);
	sbuf_add(&b, "<");
	sbuf_addf(&b, "%s>", big);
	assert_int_equal(b.len, 3001);
	assert_int_equal(b.s[0], '<');
	assert_int_equal(b.s[3000], '>');
	assert_int_equal(b.s[3001], '\0');
	sbuf_free(&b);
}

static void
test_sbuf_binary(void **state)
{
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	sbuf_addn(&b, "a\0b", 3);
	sbuf_addc(&b, '\0');
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.s, "a\0b\0", 5);
	sbuf_free(&b);
}

static void
test_sbuf_reset_take(void **state)
{
	struct sbuf b;
	char *s;

	(void)state;
	sbuf_init(&b);
	sbuf_reset(&b);                 /* on a never-used buffer */
	assert_string_equal(sbuf_str(&b), "");
	sbuf_add(&b, "hello");
	sbuf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(sbuf_str(&b), "");
	sbuf_add(&b, "again");
	s = sbuf_take(&b);
	assert_string_equal(s, "again");
	assert_null(b.s);
	assert_int_equal(b.len, 0);
	assert_string_equal(sbuf_str(&b), "");
	free(s);
}

/* --- small helpers --- */

static void
test_trim(void **state)
{
	char *s;

	(void)state;
	s = str_trim("  \t hello world \r\n");
	assert_string_equal(s, "hello world");
	free(s);
	s = str_trim("   ");
	assert_string_equal(s, "");
	free(s);
	s = str_trim("x");
	assert_string_equal(s, "x");
	free(s);
	/* Non-ASCII blanks (U+00A0) are not trimmed. */
	s = str_trim("\xc2\xa0x");
	assert_string_equal(s, "\xc2\xa0x");
	free(s);
}

static void
test_lower_upper(void **state)
{
	char a[] = "MiXeD 123 \xc3\x84";
	char b[] = "MiXeD 123 \xc3\xa4";

	(void)state;
	assert_string_equal(str_lower(a), "mixed 123 \xc3\x84");
	assert_string_equal(str_upper(b), "MIXED 123 \xc3\xa4");
}

static void
test_eq_nocase(void **state)
{
	(void)state;
	assert_true(str_eq_nocase("Alice@Example.COM", "alice@example.com"));
	assert_false(str_eq_nocase("alice", "alice2"));
	assert_false(str_eq_nocase("alice2", "alice"));
	assert_true(str_eq_nocase("", ""));
}

static void
test_empty_prefix_control(void **state)
{
	(void)state;
	assert_true(str_empty(NULL));
	assert_true(str_empty(""));
	assert_false(str_empty(" "));
	assert_true(str_has_prefix("program", "pro"));
	assert_true(str_has_prefix("program", ""));
	assert_false(str_has_prefix("pro", "program"));
	assert_true(str_has_control("a\tb"));
	assert_true(str_has_control("a\x7f"));
	assert_true(str_has_control("\x1b[2J"));
	assert_false(str_has_control("plain " ZHONGWEN));
}

/* A fixed-width cell: escaped, cut by width, never inside a character,
 * padded to exactly that many columns. */
static void
test_visible_fit(void **state)
{
	char *s;

	(void)state;
	s = str_visible_fit("ab", 4);
	assert_string_equal(s, "ab  ");
	free(s);
	s = str_visible_fit("X" ZHONGWEN ZHONGWEN, 6);  /* 1 + 2 + 2, the next is too wide */
	assert_string_equal(s, "X\xe4\xb8\xad\xe6\x96\x87 ");
	assert_int_equal(utf8_width(s), 6);
	free(s);
	s = str_visible_fit(RLO "ab", 9);
	assert_string_equal(s, "\\u{202e}a");
	free(s);
	s = str_visible_fit("\x1b[2J", 3);
	assert_string_equal(s, "\\e[");
	free(s);
	s = str_visible_fit(E_ACUTE E_ACUTE "z", 2);
	assert_string_equal(s, E_ACUTE E_ACUTE);
	free(s);
}

/* --- escaping for display --- */

static void
test_escape_clear_screen(void **state)
{
	(void)state;
	vis("\x1b[2J", "\\e[2J");
	vis("a\x1b]0;title\x07z", "a\\e]0;title\\x07z");
}

static void
test_escape_newline_tab_cr(void **state)
{
	(void)state;
	vis("a\nb", "a\\nb");
	vis("a\tb\rc", "a\\tb\\rc");
}

static void
test_escape_other_controls(void **state)
{
	(void)state;
	vis("\x01\x08\x1f\x7f", "\\x01\\x08\\x1f\\x7f");
}

static void
test_escape_c1(void **state)
{
	(void)state;
	vis(CSI "31m", "\\u{9b}31m");
	vis("\xc2\x80\xc2\x9f", "\\u{80}\\u{9f}");
	/* U+00A0 is past C1 and printable. */
	vis("\xc2\xa0", "\xc2\xa0");
}

static void
test_escape_invalid_utf8(void **state)
{
	(void)state;
	vis("a\xff" "b", "a\\xffb");
	vis("\x80", "\\x80");
	vis("\xe4\xb8", "\\xe4\\xb8");                  /* truncated */
	vis("\xc0\xaf", "\\xc0\\xaf");                  /* overlong '/' */
	vis("\xed\xa0\x80", "\\xed\\xa0\\x80");         /* surrogate */
	vis("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"); /* > U+10FFFF */
	/* A raw 0x9B byte (8-bit CSI) is invalid UTF-8, so escaped too. */
	vis("\x9b" "2J", "\\x9b2J");
}

static void
test_escape_bidi(void **state)
{
	(void)state;
	vis("abc" RLO "txt.exe", "abc\\u{202e}txt.exe");
	vis(LRI "x\xe2\x81\xa9", "\\u{2066}x\\u{2069}");
	vis("\xe2\x80\xaa\xe2\x80\xac", "\\u{202a}\\u{202c}");
}

static void
test_escape_keeps_text(void **state)
{
	(void)state;
	vis("Gr\xc3\xbc\xc3\x9f" "e " ZHONGWEN " " GRIN " " E_ACUTE,
	    "Gr\xc3\xbc\xc3\x9f" "e " ZHONGWEN " " GRIN " " E_ACUTE);
	vis("back\\slash", "back\\slash");
	vis("", "");
	vis(NULL, "");
}

static void
test_escape_appends(void **state)
{
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	sbuf_add(&b, "name: ");
	str_escape_display(&b, "x\ny");
	assert_string_equal(sbuf_str(&b), "name: x\\ny");
	sbuf_free(&b);
}

static void
test_visible_cut(void **state)
{
	char *s;

	(void)state;
	s = str_visible_cut("short", 10);
	assert_string_equal(s, "short");
	free(s);
	s = str_visible_cut("abcdefghijklmnop", 10);
	assert_string_equal(s, "abcdefg...");
	free(s);
	/* Never half a wide character: 2+2+2 > 7 - 3. */
	s = str_visible_cut(ZHONGWEN ZHONGWEN, 7);
	assert_string_equal(s, ZHONGWEN "...");
	free(s);
	s = str_visible_cut("\x1b\x1b\x1b\x1b\x1b", 8);
	assert_string_equal(s, "\\e\\e...");
	free(s);
}

/* --- UTF-8 --- */

static void
test_decode(void **state)
{
	uint32_t cp;

	(void)state;
	assert_int_equal(utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(utf8_decode("\xc3\xa4", 2, &cp), 2);
	assert_int_equal(cp, 0xE4);
	assert_int_equal(utf8_decode(ZHONGWEN, 6, &cp), 3);
	assert_int_equal(cp, 0x4E2D);
	assert_int_equal(utf8_decode(GRIN, 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
}

static void
test_decode_invalid(void **state)
{
	uint32_t cp;

	(void)state;
	assert_int_equal(utf8_decode("\xff", 1, &cp), 0);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(utf8_decode("\xc3\xa4", 1, &cp), 0);   /* short n */
	assert_int_equal(utf8_decode("\xe0\x80\xaf", 3, &cp), 0);
	assert_int_equal(utf8_decode("\xed\xbf\xbf", 3, &cp), 0);
	assert_int_equal(utf8_decode("\xc3(", 2, &cp), 0);
	assert_int_equal(utf8_decode("", 0, &cp), 0);
}

static void
test_valid(void **state)
{
	(void)state;
	assert_true(utf8_valid(""));
	assert_true(utf8_valid("plain " ZHONGWEN GRIN E_ACUTE));
	assert_false(utf8_valid("a\xff"));
	assert_false(utf8_valid(ZHONGWEN "\xe4"));
}

static void
test_width_ascii_cjk(void **state)
{
	(void)state;
	assert_int_equal(utf8_width(""), 0);
	assert_int_equal(utf8_width("abc"), 3);
	assert_int_equal(utf8_width(ZHONGWEN), 4);
	assert_int_equal(utf8_width("a" ZHONGWEN "b"), 6);
	assert_int_equal(utf8_width(GRIN), 2);
}

static void
test_width_combining(void **state)
{
	(void)state;
	assert_int_equal(utf8_width(E_ACUTE), 1);
	assert_int_equal(utf8_width("Cafe\xcc\x81"), 4);
	/* U+200B ZERO WIDTH SPACE */
	assert_int_equal(utf8_width("a\xe2\x80\x8b" "b"), 2);
}

static void
test_width_escapes(void **state)
{
	(void)state;
	assert_int_equal(utf8_width("\x1b[2J"), 5);     /* \e[2J */
	assert_int_equal(utf8_width("\x01"), 4);        /* \x01 */
	assert_int_equal(utf8_width("\xff"), 4);        /* \xff */
	assert_int_equal(utf8_width(CSI), 6);           /* \u{9b} */
	assert_int_equal(utf8_width(RLO), 8);           /* \u{202e} */
}

static void
test_width_matches_escaped(void **state)
{
	static const char *const nasty[] = {
		"\x1b[2J", "a\nb\tc\r", CSI "x", RLO "abc" LRI, "\xff\xfe",
		"\xe4\xb8", "ok " ZHONGWEN " " E_ACUTE, "\x7f\x01\x1f",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof nasty / sizeof nasty[0]; i++) {
		char *v = str_visible(nasty[i]);

		assert_int_equal(utf8_width(nasty[i]), utf8_width(v));
		assert_false(str_has_control(v));
		free(v);
	}
}

static void
test_prefix_cjk_never_split(void **state)
{
	(void)state;
	assert_int_equal(utf8_prefix_for_width(ZHONGWEN, 0), 0);
	assert_int_equal(utf8_prefix_for_width(ZHONGWEN, 1), 0);
	assert_int_equal(utf8_prefix_for_width(ZHONGWEN, 2), 3);
	assert_int_equal(utf8_prefix_for_width(ZHONGWEN, 3), 3);
	assert_int_equal(utf8_prefix_for_width(ZHONGWEN, 4), 6);
	assert_int_equal(utf8_prefix_for_width(ZHONGWEN, 99), 6);
	assert_int_equal(utf8_prefix_for_width("a" ZHONGWEN, 2), 1);
}

static void
test_prefix_keeps_combining(void **state)
{
	(void)state;
	/* The accent belongs to the e and comes along with it. */
	assert_int_equal(utf8_prefix_for_width(E_ACUTE "x", 1), 3);
	assert_int_equal(utf8_prefix_for_width(E_ACUTE "x", 2), 4);
	assert_int_equal(utf8_prefix_for_width(E_ACUTE, 0), 0);
}

static void
test_prefix_escapes_whole(void **state)
{
	(void)state;
	assert_int_equal(utf8_prefix_for_width("\xff" "ab", 3), 0);
	assert_int_equal(utf8_prefix_for_width("\xff" "ab", 4), 1);
	assert_int_equal(utf8_prefix_for_width("\x1b" "ab", 1), 0);
	assert_int_equal(utf8_prefix_for_width("\x1b" "ab", 3), 2);
	assert_int_equal(utf8_prefix_for_width(RLO "a", 7), 0);
	assert_int_equal(utf8_prefix_for_width(RLO "a", 8), 3);
}

static void
test_prefix_property(void **state)
{
	const char *s = "ab" ZHONGWEN E_ACUTE GRIN "\x1b" "z" CSI "q" ZHONGWEN;
	size_t cols, total = utf8_width(s);

	(void)state;
	for (cols = 0; cols <= total + 2; cols++) {
		size_t n = utf8_prefix_for_width(s, cols);
		char *p = xstrndup(s, n);
		char *longer;
		uint32_t cp;
		size_t k;

		assert_true(utf8_valid(p));
		assert_true(utf8_width(p) <= cols);
		if (n < strlen(s)) {
			/* The next character would not fit. */
			k = utf8_decode(s + n, strlen(s + n), &cp);
			assert_true(k > 0);
			longer = xstrndup(s, n + k);
			assert_true(utf8_width(longer) > cols);
			free(longer);
		}
		free(p);
	}
}

/* --- what text fields refuse --- */

static void
test_text_check(void **state)
{
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(utf8_text_check("", false, NULL), UTF8_TEXT_OK);
	assert_int_equal(utf8_text_check("Zo\xc3\xab " ZHONGWEN GRIN, false, NULL), UTF8_TEXT_OK);
	/* bidi controls are shown escaped, not refused */
	assert_int_equal(utf8_text_check("\xe2\x80\xae" "x", false, NULL), UTF8_TEXT_OK);
	assert_int_equal(utf8_text_check("a\x1b[2J", false, &cp), UTF8_TEXT_CONTROL);
	assert_int_equal(cp, 0x1B);
	assert_int_equal(utf8_text_check("a\x7f", false, &cp), UTF8_TEXT_CONTROL);
	assert_int_equal(cp, 0x7F);
	assert_int_equal(utf8_text_check("Ann\xc2\x85Lee", false, &cp), UTF8_TEXT_CONTROL);
	assert_int_equal(cp, 0x85);
	assert_int_equal(utf8_text_check("x\xc2\x80", true, &cp), UTF8_TEXT_CONTROL);
	assert_int_equal(cp, 0x80);
	assert_int_equal(utf8_text_check("x\xc2\x9f", true, &cp), UTF8_TEXT_CONTROL);
	assert_int_equal(cp, 0x9F);
	assert_int_equal(utf8_text_check("x\xc2\xa0", false, NULL), UTF8_TEXT_OK);   /* NBSP */
	assert_int_equal(utf8_text_check("caf\xe9", false, NULL), UTF8_TEXT_INVALID);
	assert_int_equal(utf8_text_check("\xc0\x80", false, NULL), UTF8_TEXT_INVALID); /* overlong NUL */
	/* line feed and tab only where lines are allowed; CR never */
	assert_int_equal(utf8_text_check("a\nb\tc", false, NULL), UTF8_TEXT_CONTROL);
	assert_int_equal(utf8_text_check("a\nb\tc", true, NULL), UTF8_TEXT_OK);
	assert_int_equal(utf8_text_check("a\rb", true, NULL), UTF8_TEXT_CONTROL);
}

/* --- CSV --- */

static void
field(const char *in, const char *want)
{
	struct sbuf b;

	sbuf_init(&b);
	csv_add_field(&b, in, 1);
	assert_string_equal(sbuf_str(&b), want);
	sbuf_free(&b);
}

static void
test_csv_plain(void **state)
{
	(void)state;
	field("abc", "abc");
	field("", "");
	field(NULL, "");
	field(ZHONGWEN, ZHONGWEN);
	field("12.50", "12.50");
}

static void
test_csv_quoting(void **state)
{
	(void)state;
	field("a,b", "\"a,b\"");
	field("say \"hi\"", "\"say \"\"hi\"\"\"");
	field("\"", "\"\"\"\"");
	field("line1\nline2", "\"line1\nline2\"");
	field("cr\r", "\"cr\r\"");
	/* German and French Excel split on ";", others on tabs */
	field("a;b", "\"a;b\"");
	field("in\tside", "\"in\tside\"");
}

static void
test_csv_blanks(void **state)
{
	(void)state;
	field(" lead", "\" lead\"");
	field("trail ", "\"trail \"");
	field("in side", "in side");
	field("tab\t", "\"tab\t\"");
}

static void
test_csv_formula_prefix(void **state)
{
	(void)state;
	field("=SUM(A1:A9)", "'=SUM(A1:A9)");
	field("@SUM(A1)", "'@SUM(A1)");
	field("+cmd", "'+cmd");
	field("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0");
	field("=1+1,2", "\"'=1+1,2\"");
	field("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"");
	field("\t=1", "\"\t'=1\"");     /* safe with the tab dropped or kept */
	field("\r=1", "\"\r'=1\"");
	field("a=1", "a=1");
	/* an apostrophe before a guarded character gets one more ... */
	field("'=1", "''=1");
	field("''+x", "'''+x");
	field("'abc", "'abc");
	field("'-5", "'-5");
}

/* ... so import takes exactly one off and gets the stored text back */
static void
test_csv_unguard_round_trip(void **state)
{
	static const char *const texts[] = { "=SUM(A1)", "'=SUM(A1)", "''@x", "'abc", "'",
		"-5", "'-5", "-", "'-", "+cmd", "\t=1", "plain", "", "'\r", "x;=1", "x;'=1",
		"a;b", "1;-5", "l1\n@x\r\n+y", "t\t=z\t'-q", ";;=", "=;=;'=", "a; =1" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		struct sbuf b;
		const char *w;
		char *got;
		sbuf_init(&b);
		csv_add_field(&b, texts[i], 1);
		w = sbuf_str(&b);
		/* a quoted one: what is inside (none of these holds a quote) */
		got = w[0] == '"' ? xstrndup(w + 1, strlen(w) - 2) : xstrdup(w);
		csv_unguard(got);
		assert_string_equal(got, texts[i]);
		free(got);
		sbuf_free(&b);
	}
	csv_unguard(NULL);
}

/* a spreadsheet that splits on ; or tabs starts a cell inside the field */
static void
test_csv_guard_after_breaks(void **state)
{
	(void)state;
	field("x;=1+1", "\"x;'=1+1\"");
	field("x; =1+1", "\"x; =1+1\"");
	field("1;-5", "\"1;-5\"");
	field("a\t@b", "\"a\t'@b\"");
	field("l1\n+cmd", "\"l1\n'+cmd\"");
	field("=a;=b", "\"'=a;'=b\"");
	field("a;'=b", "\"a;''=b\"");
}

/* values ally formats itself are quoted when they must be, never guarded */
static void
test_csv_values_not_guarded(void **state)
{
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	csv_add_value(&b, "-1,234.50", 1);
	csv_add_value(&b, "-12.00", 0);
	csv_add_value(&b, "2026-10-01 12:00", 0);
	csv_add_value(&b, "1;2", 0);
	csv_add_field(&b, "-1,234.50", 0);
	assert_string_equal(sbuf_str(&b),
	    "\"-1,234.50\",-12.00,2026-10-01 12:00,\"1;2\",\"'-1,234.50\"");
	sbuf_free(&b);
}

static void
test_csv_numbers_not_prefixed(void **state)
{
	(void)state;
	field("-12.50", "-12.50");
	field("-5", "-5");
	field("+7", "+7");
	field("-", "'-");
	field("-1.", "'-1.");
	field("-1e5", "'-1e5");
}

static void
test_csv_separators(void **state)
{
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	csv_add_field(&b, "a", 1);
	csv_add_field(&b, "b", 0);
	csv_add_field(&b, "", 0);
	csv_add_field(&b, "c,d", 0);
	assert_string_equal(sbuf_str(&b), "a,b,,\"c,d\"");
	sbuf_free(&b);
}

static void
test_csv_row(void **state)
{
	static const char *const row1[] = { "id", "amount", "note" };
	static const char *const row2[] = { "C1", "-3.50", NULL };
	static const char *const row3[] = { "C2", "=2*3", "x \"y\", z" };
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	csv_add_row(&b, row1, 3);
	csv_add_row(&b, row2, 3);
	csv_add_row(&b, row3, 3);
	csv_add_row(&b, row1, 0);
	assert_string_equal(sbuf_str(&b),
	    "id,amount,note\r\n"
	    "C1,-3.50,\r\n"
	    "C2,'=2*3,\"x \"\"y\"\", z\"\r\n"
	    "\r\n");
	sbuf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sbuf_empty),
		cmocka_unit_test(test_sbuf_add),
		cmocka_unit_test(test_sbuf_grow),
		cmocka_unit_test(test_sbuf_addf_long),
		cmocka_unit_test(test_sbuf_binary),
		cmocka_unit_test(test_sbuf_reset_take),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_lower_upper),
		cmocka_unit_test(test_eq_nocase),
		cmocka_unit_test(test_empty_prefix_control),
		cmocka_unit_test(test_escape_clear_screen),
		cmocka_unit_test(test_escape_newline_tab_cr),
		cmocka_unit_test(test_escape_other_controls),
		cmocka_unit_test(test_escape_c1),
		cmocka_unit_test(test_escape_invalid_utf8),
		cmocka_unit_test(test_escape_bidi),
		cmocka_unit_test(test_escape_keeps_text),
		cmocka_unit_test(test_escape_appends),
		cmocka_unit_test(test_visible_cut),
		cmocka_unit_test(test_visible_fit),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_decode_invalid),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_width_ascii_cjk),
		cmocka_unit_test(test_width_combining),
		cmocka_unit_test(test_width_escapes),
		cmocka_unit_test(test_width_matches_escaped),
		cmocka_unit_test(test_prefix_cjk_never_split),
		cmocka_unit_test(test_prefix_keeps_combining),
		cmocka_unit_test(test_prefix_escapes_whole),
		cmocka_unit_test(test_prefix_property),
		cmocka_unit_test(test_csv_plain),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_csv_blanks),
		cmocka_unit_test(test_csv_formula_prefix),
		cmocka_unit_test(test_csv_numbers_not_prefixed),
		cmocka_unit_test(test_csv_unguard_round_trip),
		cmocka_unit_test(test_csv_guard_after_breaks),
		cmocka_unit_test(test_csv_values_not_guarded),
		cmocka_unit_test(test_text_check),
		cmocka_unit_test(test_csv_separators),
		cmocka_unit_test(test_csv_row),
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		puts("1..0 # SKIP no C.UTF-8 locale");
		return 0;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
