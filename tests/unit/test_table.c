/*
 * test_table.c - the list widget's storage (ui/widgets/table.c): text
 * kept once per distinct string, numbers kept as numbers and made into
 * text only when shown, columns of few values kept as a byte per cell.
 * Whatever the storage, every cell must read back exactly as
 * ui_cell_text would have shown the cell it was given, sort by its value,
 * filter by its text, and measure to its widest text.
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
#include "ui/action.h"
#include "ui/text.h"
#include "ui/widgets/table.h"

enum { C_ID, C_STATUS, C_PARTNER, C_AMOUNT, C_EARNED, C_HOLD, C_COUNT, C_NOTE, NCOLS };

static const struct table_colspec cols[NCOLS] = {
	{ "id", "Id", 8, COL_LOW, 0 }, { "status", "Status", 8, COL_LOW, 0 },
	{ "partner", "Partner", 22, COL_KEEP, 0 }, { "amount", "Amount", 12, COL_KEEP, 0 },
	{ "earned", "Earned", 16, COL_LOW, 0 }, { "hold_until", "Hold", 10, COL_LOW, 0 },
	{ "count", "Count", 8, COL_NORMAL, 0 }, { "note", "Note", 20, COL_NORMAL, 0 },
};

#define NROWS 3000

/* Row i of the list, the same each time it is asked for.  The first
 * rows lack the count and the note (a column's type comes later); every
 * 7th hold date is empty; every 500th amount is given as text. */
static void
make_row(size_t i, struct row *r)
{
	static const char *const statuses[] = { "pending", "approved", "reversed" };
	struct cell *c = r->c;

	memset(r, 0, sizeof *r);
	snprintf(r->buf[0], sizeof r->buf[0], "C%zu", i + 1);
	snprintf(r->buf[1], sizeof r->buf[1], "Partner \x1b[%zu", i % 300);
	c[r->n++] = (struct cell){ .name = "id", .type = CELL_STR, .s = r->buf[0] };
	c[r->n++] = (struct cell){ .name = "status", .type = CELL_STR, .s = statuses[i % 3] };
	c[r->n++] = (struct cell){ .name = "partner", .type = CELL_STR, .s = r->buf[1] };
	if (i % 500 == 499)
		c[r->n++] = (struct cell){ .name = "amount", .type = CELL_STR, .s = "n/a" };
	else
		c[r->n++] = (struct cell){ .name = "amount", .type = CELL_MONEY,
			.i = (int64_t)(i * 7919 % 100003) - 20000, .cur = i % 4 == 0 ? "JPY" : "EUR" };
	c[r->n++] = (struct cell){ .name = "earned", .type = CELL_TIME, .i = 1790000000 + (int64_t)i * 3671 };
	c[r->n++] = (struct cell){ .name = "hold_until", .type = CELL_DATE,
		.i = i % 7 == 0 ? 0 : 1790000000 + (int64_t)i * 86400 };
	if (i >= 5)
		c[r->n++] = (struct cell){ .name = "count", .type = CELL_INT, .i = (int64_t)i % 13 };
	if (i >= 10)
		c[r->n++] = (struct cell){ .name = "note", .type = CELL_STR, .s = i % 2 ? "odd" : NULL };
}

static const struct cell *
cell_of(const struct row *r, const char *name)
{
	size_t k;

	for (k = 0; k < r->n; k++)
		if (strcmp(r->c[k].name, name) == 0)
			return &r->c[k];
	return NULL;
}

/* What the table showed for a cell before it kept numbers as numbers. */
static char *
expected(const struct row *r, size_t c)
{
	const struct cell *x = cell_of(r, cols[c].name);

	return x ? ui_cell_text(x) : xstrdup("");
}

static void
load(struct table *t, size_t n)
{
	struct row r;
	size_t i;

	table_begin(t);
	for (i = 0; i < n; i++) {
		make_row(i, &r);
		assert_int_equal(table_add(t, &r), ST_OK);
	}
	table_end(t);
}

static void
test_cells_read_back(void **state)
{
	struct table t;
	char buf[UI_CELL_BUFSZ];
	struct row r;
	size_t i, c;

	(void)state;
	table_init(&t, cols, NCOLS);
	t.limit = SIZE_MAX - 1;
	load(&t, NROWS);
	assert_int_equal(t.nrows, NROWS);
	for (i = 0; i < NROWS; i++) {
		make_row(i, &r);
		assert_string_equal(table_row_id(&t, i), r.buf[0]);
		for (c = 0; c < NCOLS; c++) {
			char *want = expected(&r, c);
			assert_string_equal(table_text(&t, i, c, buf), want);
			free(want);
		}
		if (i % 500 != 499) {
			assert_int_equal(table_num(&t, i, C_AMOUNT), cell_of(&r, "amount")->i);
			assert_string_equal(table_row_cur(&t, i), cell_of(&r, "amount")->cur);
		} else {
			assert_int_equal(table_num(&t, i, C_AMOUNT), 0);   /* text: no number */
		}
	}
	/* numbers are kept as numbers; few values as a byte a cell */
	assert_true(t.cols[C_AMOUNT].numeric);
	assert_true(t.cols[C_EARNED].numeric);
	assert_true(t.cols[C_COUNT].numeric);      /* its first rows had no cell */
	assert_false(t.cols[C_NOTE].numeric);
	assert_non_null(t.cols[C_STATUS].code);
	assert_non_null(t.cols[C_NOTE].code);
	assert_null(t.cols[C_PARTNER].code);       /* 300 names: more than a byte holds */
	assert_non_null(t.cols[C_PARTNER].ref);
	/* a row added after the load: the coded columns become offsets again */
	make_row(NROWS, &r);
	assert_int_equal(table_add(&t, &r), ST_OK);
	assert_null(t.cols[C_STATUS].code);
	for (i = 0; i <= NROWS; i += 7) {
		make_row(i, &r);
		for (c = 0; c < NCOLS; c++) {
			char *want = expected(&r, c);
			assert_string_equal(table_text(&t, i, c, buf), want);
			free(want);
		}
	}
	table_free(&t);
}

static void
test_many_values_stay_offsets(void **state)
{
	static const struct table_colspec one[] = { { "id", "Id", 8, COL_LOW, 0 } };
	struct table t;
	char buf[UI_CELL_BUFSZ];
	struct row r;
	size_t i;

	(void)state;
	table_init(&t, one, 1);
	t.limit = SIZE_MAX - 1;
	load(&t, NROWS);
	assert_null(t.cols[0].code);               /* 3,000 distinct ids */
	assert_non_null(t.cols[0].ref);
	for (i = 0; i < NROWS; i += 97) {
		make_row(i, &r);
		assert_string_equal(table_text(&t, i, 0, buf), r.buf[0]);
	}
	table_free(&t);
}

static void
test_widths_and_flags(void **state)
{
	struct table t;
	char buf[UI_CELL_BUFSZ];
	struct row r;
	size_t i, c;
	int full[NCOLS];

	(void)state;
	for (c = 0; c < NCOLS; c++)
		full[c] = (int)ui_width(cols[c].title);
	for (i = 0; i < NROWS; i++) {
		make_row(i, &r);
		for (c = 0; c < NCOLS; c++) {
			char *want = expected(&r, c);
			if ((int)ui_width(want) > full[c])
				full[c] = (int)ui_width(want);
			free(want);
		}
	}
	table_init(&t, cols, NCOLS);
	t.limit = SIZE_MAX - 1;
	load(&t, NROWS);
	for (c = 0; c < NCOLS; c++)
		assert_int_equal(t.cols[c].full, full[c]);
	assert_true(t.cols[C_AMOUNT].money);
	assert_false(t.cols[C_HOLD].empty);
	assert_false(t.cols[C_EARNED].same);
	table_free(&t);

	/* one row repeated: every column says the same; no dates at all: empty */
	table_init(&t, cols, NCOLS);
	table_begin(&t);
	for (i = 0; i < 50; i++) {
		make_row(14, &r);
		r.c[5].i = 0;                           /* hold_until */
		assert_int_equal(table_add(&t, &r), ST_OK);
	}
	table_end(&t);
	assert_true(t.cols[C_EARNED].same);
	assert_true(t.cols[C_COUNT].same);
	assert_true(t.cols[C_HOLD].empty);
	assert_string_equal(table_text(&t, 3, C_COUNT, buf), "1");
	table_free(&t);
}

static void
test_sort_filter_marks(void **state)
{
	struct table t;
	char buf[UI_CELL_BUFSZ], keep[32];
	size_t i, c, marked;
	const char *s;

	(void)state;
	table_init(&t, cols, NCOLS);
	t.limit = SIZE_MAX - 1;
	load(&t, NROWS);
	/* s moves the sort to the next column: on to the amounts */
	while (t.sort_col != C_AMOUNT)
		assert_true(table_key(&t, ACT_SORT, 's'));
	assert_int_equal(t.nview, NROWS);
	for (i = 1; i < t.nview; i++)
		assert_true(table_num(&t, t.view[i - 1], C_AMOUNT) <= table_num(&t, t.view[i], C_AMOUNT));
	/* the filter reads numbers as they are shown */
	assert_true(table_key(&t, ACT_FILTER, '/'));
	for (s = "2026-"; *s; s++)
		assert_true(table_key(&t, ACT_NONE, *s));
	assert_true(t.nview > 0 && t.nview < NROWS);
	for (i = 0; i < t.nview; i++) {
		bool hit = false;
		for (c = 0; c < NCOLS; c++)
			hit |= strstr(table_text(&t, t.view[i], c, buf), "2026-") != NULL;
		assert_true(hit);
	}
	assert_true(table_key(&t, ACT_NONE, UI_ESC));
	assert_int_equal(t.nview, NROWS);
	/* marks and the cursor survive a reload, by id */
	assert_true(table_key(&t, ACT_MARK, ' '));
	assert_true(table_key(&t, ACT_MARK, ' '));
	snprintf(keep, sizeof keep, "%s", table_current(&t));
	load(&t, NROWS);
	for (i = 0, marked = 0; i < t.nrows; i++)
		marked += t.rows[i].marked;
	assert_int_equal(marked, 2);
	assert_string_equal(table_current(&t), keep);
	/* several cells of the cursor's row held at once */
	{
		const char *a = table_current_cell(&t, "amount"), *e = table_current_cell(&t, "earned");
		const char *h = table_current_cell(&t, "hold_until");
		struct row r;
		size_t row = t.view[t.cur];
		char *wa, *we, *wh;
		make_row((size_t)strtoul(keep + 1, NULL, 10) - 1, &r);
		wa = expected(&r, C_AMOUNT);
		we = expected(&r, C_EARNED);
		wh = expected(&r, C_HOLD);
		assert_string_equal(a, wa);
		assert_string_equal(e, we);
		assert_string_equal(h, wh);
		assert_string_equal(table_row_id(&t, row), keep);
		free(wa);
		free(we);
		free(wh);
	}
	table_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cells_read_back),
		cmocka_unit_test(test_many_values_stay_offsets),
		cmocka_unit_test(test_widths_and_flags),
		cmocka_unit_test(test_sort_filter_marks),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
