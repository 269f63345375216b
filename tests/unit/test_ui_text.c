/*
 * test_ui_text.c - what the TUI's table cells may send to a terminal:
 * database text with an escape sequence (a partner named ESC [ 2 J) comes
 * out as visible text, widths are display columns, cuts never split a
 * character, and ASCII mode leaves nothing above 0x7f.
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

#include "core/str.h"
#include "ui/text.h"

static void
no_control_bytes(const char *s)
{
	for (; *s; s++)
		assert_true((unsigned char)*s >= 0x20 && (unsigned char)*s != 0x7f);
}

static void
test_escape_sequence_is_visible(void **state)
{
	char *s = ui_text("Evil\x1b[2JCorp");

	(void)state;
	assert_string_equal(s, "Evil\\e[2JCorp");
	no_control_bytes(s);
	assert_int_equal(ui_width(s), strlen("Evil\\e[2JCorp"));
	free(s);
}

static void
test_cell_from_database(void **state)
{
	struct cell c = { .name = "name", .type = CELL_STR, .s = "a\tb\r\n\x9b" "31m\x07\xc2\x9b" };
	char *s = ui_cell_text(&c);

	(void)state;
	no_control_bytes(s);
	assert_string_equal(s, "a\\tb\\r\\n\\x9b31m\\x07\\u{9b}");
	free(s);
	c.s = NULL;
	s = ui_cell_text(&c);
	assert_string_equal(s, "");
	free(s);
}

static void
test_bidi_override_is_visible(void **state)
{
	char *s = ui_text("abc\xe2\x80\xae" "def");

	(void)state;
	assert_string_equal(s, "abc\\u{202e}def");
	free(s);
}

static void
test_typed_cells(void **state)
{
	struct cell m = { .name = "amount", .type = CELL_MONEY, .i = 123456789, .cur = "EUR" };
	struct cell j = { .name = "amount", .type = CELL_MONEY, .i = 1200, .cur = "JPY" };
	struct cell n = { .name = "n", .type = CELL_INT, .i = -42 };
	struct cell b = { .name = "q", .type = CELL_BOOL, .i = 1 };
	struct cell t = { .name = "at", .type = CELL_TIME, .i = 0 };
	char *s;

	(void)state;
	s = ui_cell_text(&m);
	assert_string_equal(s, "1,234,567.89");
	free(s);
	s = ui_cell_text(&j);
	assert_string_equal(s, "1,200");
	free(s);
	s = ui_cell_text(&n);
	assert_string_equal(s, "-42");
	free(s);
	s = ui_cell_text(&b);
	assert_string_equal(s, "yes");
	free(s);
	s = ui_cell_text(&t);
	assert_string_equal(s, "");
	free(s);
}

static char *
fit(const char *safe, size_t w, bool right)
{
	struct sbuf b;

	sbuf_init(&b);
	ui_fit(&b, safe, w, right);
	return sbuf_take(&b);
}

static void
test_fit_by_display_width(void **state)
{
	char *s;

	(void)state;
	s = fit("Müller", 8, false);
	assert_string_equal(s, "Müller  ");
	free(s);
	s = fit("Müller", 8, true);
	assert_string_equal(s, "  Müller");
	free(s);
	s = fit("Müller GmbH", 6, false);
	assert_string_equal(s, "Mülle\xe2\x80\xa6");
	assert_int_equal(ui_width(s), 6);
	free(s);
	/* two wide CJK characters: 4 columns; cut to 4 needs the ellipsis */
	s = fit("\xe4\xb8\xad\xe6\x96\x87" "x", 4, false);
	assert_string_equal(s, "\xe4\xb8\xad \xe2\x80\xa6");
	assert_int_equal(ui_width(s), 4);
	free(s);
	s = fit("abc", 0, false);
	assert_string_equal(s, "");
	free(s);
}

static void
test_ascii_mode(void **state)
{
	char *s;

	(void)state;
	ui_text_set_ascii(true);
	s = ui_text("Müller \xe4\xb8\xad\x1b");
	assert_string_equal(s, "M?ller ?\\e");
	free(s);
	s = fit("abcdef", 4, false);
	assert_string_equal(s, "abc~");
	free(s);
	ui_text_set_ascii(false);
}

/* The deal form's conflict note: wrapped at blanks by display columns. */
static void
test_wrap_by_display_width(void **state)
{
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	assert_int_equal(ui_wrap(&b, "conflicts with D3 (Müller, approved): same domain acme.com",
	    20, 3), 3);
	/* the third line holds the rest, cut when drawn */
	assert_string_equal(sbuf_str(&b), "conflicts with D3\n(Müller, approved):\nsame domain acme.com");
	assert_int_equal(ui_wrap(&b, "a b c d e f", 3, 2), 2);
	assert_string_equal(sbuf_str(&b), "a b\nc d e f");
	assert_int_equal(ui_wrap(&b, "   ", 10, 3), 0);
	assert_string_equal(sbuf_str(&b), "");
	assert_int_equal(ui_wrap(&b, "unbreakable-word-longer", 5, 3), 1);
	sbuf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_sequence_is_visible),
		cmocka_unit_test(test_cell_from_database),
		cmocka_unit_test(test_bidi_override_is_visible),
		cmocka_unit_test(test_typed_cells),
		cmocka_unit_test(test_fit_by_display_width),
		cmocka_unit_test(test_ascii_mode),
		cmocka_unit_test(test_wrap_by_display_width),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
