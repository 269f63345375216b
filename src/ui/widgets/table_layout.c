/*
 * table_layout.c - how the table shares the terminal's width among its
 * columns.  It owns the one rule DESIGN.md section 5 makes of it: money
 * and totals are never cut.  Each column has a priority (table.h): when
 * the natural widths do not fit, COL_NORMAL columns shrink to their
 * minimum, then columns with one value on every row go (the footer names
 * it), then COL_LOW ones (ids, kinds, dates, useless cut) go whole,
 * rightmost first, then COL_NORMAL ones go, and names (COL_KEEP) are cut
 * only when nothing else is left; money, numbers and dates never shrink
 * (they are useless cut).  Columns empty on every row say nothing and are
 * not drawn.  When there is room
 * to spare, columns capped by their max grow back to their whole width.
 */
#include "config.h"

#include <string.h>

#include "ui/text.h"
#include "ui/widgets/table.h"

#define NORMAL_MIN 8
#define KEEP_MIN 4

/*
 * The widest text of a numeric column, its emptiness and sameness,
 * without making every cell into text: money and numbers are widest at
 * their least or greatest value, times and dates all have one width, and
 * only the cells kept as text (an empty one) are read as text.
 */
static void
measure_numeric(const struct table *t, struct tcol *col, size_t c, bool *empty, bool *same)
{
	char buf[UI_CELL_BUFSZ];
	const char *first_text = NULL;
	int64_t lo = 0, hi = 0, v0 = 0;
	uint8_t cur0 = 0;
	bool any = false;
	size_t i, k;
	struct cell cell;
	int w;

	for (i = 0; i < t->nrows; i++) {
		if (t->rows[i].text & (1u << c)) {
			const char *s = table_text(t, i, c, buf);
			w = (int)ui_width(s);
			if (w > col->full)
				col->full = w;
			if (s[0])
				*empty = false;
			if (i > 0 && (any || (first_text && strcmp(s, first_text) != 0)))
				*same = false;
			if (first_text == NULL && !any)
				first_text = s;
			continue;
		}
		v0 = any ? v0 : col->num[i];
		cur0 = any ? cur0 : t->rows[i].cur;
		if (!any && first_text != NULL)
			*same = false;
		if (any && (col->num[i] != v0 || t->rows[i].cur != cur0))
			*same = false;
		if (!any || col->num[i] < lo)
			lo = col->num[i];
		if (!any || col->num[i] > hi)
			hi = col->num[i];
		any = true;
	}
	if (!any)
		return;
	memset(&cell, 0, sizeof cell);
	cell.type = col->type;
	for (k = 0; k < (col->money && t->ncurs ? t->ncurs : 1); k++) {
		cell.cur = col->money && t->ncurs ? t->curs[k] : NULL;
		for (i = 0; i < 2; i++) {
			const char *s;
			cell.i = i ? hi : lo;
			s = ui_cell_format(&cell, buf);
			w = (int)ui_width(s);
			if (w > col->full)
				col->full = w;
			if (s[0])
				*empty = false;
		}
	}
}

/* Natural widths (capped by max) and whole widths, and the columns that
 * say the same on every row.  Called once per load. */
void
table_measure(struct table *t)
{
	char first[UI_CELL_BUFSZ], buf[UI_CELL_BUFSZ];
	size_t i, c;
	int w;

	for (c = 0; c < t->ncols; c++) {
		struct tcol *col = &t->cols[c];
		bool empty = true, same = true;
		const char *first_cell = NULL;

		col->full = (int)ui_width(col->title);
		if (col->numeric) {
			measure_numeric(t, col, c, &empty, &same);
		} else {
			for (i = 0; i < t->nrows; i++) {
				const char *cell = table_text(t, i, c, i == 0 ? first : buf);
				if (i == 0)
					first_cell = cell;
				w = (int)ui_width(cell);
				if (w > col->full)
					col->full = w;
				if (cell[0])
					empty = false;
				if (i > 0 && strcmp(cell, first_cell) != 0)
					same = false;
			}
		}
		if (col->money)
			col->prio = COL_KEEP;
		/* names and money start whole; the others at their max */
		col->natural = col->prio == COL_KEEP || col->full < col->max ? col->full : col->max;
		col->empty = !col->money && t->nrows > 0 && empty;
		col->same = !col->money && !empty && same && t->nrows > 1;
	}
}

static int
visible(const struct table *t)
{
	int n = 0;
	size_t c;

	for (c = 0; c < t->ncols; c++)
		n += t->cols[c].width > 0;
	return n;
}

static int
used(const struct table *t, int sep)
{
	int w = 0, n = visible(t);
	size_t c;

	for (c = 0; c < t->ncols; c++)
		w += t->cols[c].width;
	return w + (n > 1 ? sep * (n - 1) : 0);
}

static int
floor_of(const struct tcol *col)
{
	int m;

	if (col->prio == COL_KEEP)
		m = KEEP_MIN;
	else
		m = col->min > 0 ? col->min : NORMAL_MIN;
	return m < col->width ? m : col->width;
}

/* Take one column from the widest shrinkable column of this priority;
 * false when none can give more. */
static bool
shrink_one(struct table *t, enum col_prio prio, const int *need)
{
	int widest = -1;
	size_t c;

	for (c = 0; c < t->ncols; c++) {
		const struct tcol *col = &t->cols[c];
		if (col->prio != prio || col->type != CELL_STR || col->width == 0 ||
		    col->width <= floor_of(col) || (need && col->width <= need[c]))
			continue;
		if (widest < 0 || col->width > t->cols[widest].width)
			widest = (int)c;
	}
	if (widest < 0)
		return false;
	t->cols[widest].width--;
	return true;
}

/* Leave out the rightmost column of this priority (or, same, one with
 * one value on every row); false when none.  The last column shown
 * always stays. */
static bool
drop_one(struct table *t, enum col_prio prio, bool same)
{
	size_t c;

	if (visible(t) <= 1)
		return false;
	for (c = t->ncols; c-- > 0;) {
		struct tcol *col = &t->cols[c];
		if ((same ? col->same : col->prio == prio) && !col->money && col->width > 0) {
			col->width = 0;
			col->gone = true;
			return true;
		}
	}
	return false;
}

static void
grow(struct table *t, int extra)
{
	static const enum col_prio order[] = { COL_KEEP, COL_NORMAL, COL_LOW };
	size_t o, c;
	int give;

	for (o = 0; o < sizeof order / sizeof order[0] && extra > 0; o++) {
		for (c = 0; c < t->ncols && extra > 0; c++) {
			struct tcol *col = &t->cols[c];
			if (col->prio != order[o] || col->width == 0 || col->width >= col->full)
				continue;
			give = col->full - col->width;
			if (give > extra)
				give = extra;
			col->width += give;
			extra -= give;
		}
	}
}

void
table_layout(struct table *t, int avail, const int *need, int *sep)
{
	size_t c;

	for (c = 0; c < t->ncols; c++) {
		struct tcol *col = &t->cols[c];
		col->gone = false;
		col->width = col->empty ? 0 : col->natural;
		if (need && need[c] > col->width)
			col->width = need[c];
		if ((int)c == t->sort_col && col->width > 0 &&
		    col->width < (int)ui_width(col->title) + 1)
			col->width++;   /* the sort glyph */
	}
	if (visible(t) == 0 && t->ncols > 0)
		t->cols[0].width = t->cols[0].natural;
	*sep = 1;
	while (used(t, 1) > avail && shrink_one(t, COL_NORMAL, need))
		;
	while (used(t, 1) > avail && drop_one(t, COL_LOW, true))
		;
	while (used(t, 1) > avail && drop_one(t, COL_LOW, false))
		;
	while (used(t, 1) > avail && drop_one(t, COL_NORMAL, false))
		;
	while (used(t, 1) > avail && shrink_one(t, COL_KEEP, need))
		;
	if (used(t, 2) <= avail)
		*sep = 2;
	if (used(t, *sep) < avail)
		grow(t, avail - used(t, *sep));
}
