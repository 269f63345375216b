/*
 * table.c - the list widget.
 *
 * Rows are kept by table_cells.c: text made safe once, each distinct
 * string once, numbers as numbers made into text as they are drawn.  The
 * view is an index
 * array over the rows: the filter picks, the sort orders, the cursor and
 * scroll offset move in it.  Natural column widths are measured once per
 * load; a draw only shares the terminal's width among them.
 */
#include "config.h"

#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/money.h"
#include "ui/text.h"
#include "ui/widgets/table.h"
#include "ui/widgets/table_int.h"

#define DEFAULT_LIMIT 5000

void
table_init(struct table *t, const struct table_colspec *cols, size_t n)
{
	size_t i;

	memset(t, 0, sizeof *t);
	if (n > TABLE_MAX_COLS)
		n = TABLE_MAX_COLS;     /* a row keeps one bit per column */
	t->cols = xcalloc(n ? n : 1, sizeof *t->cols);
	t->ncols = n;
	for (i = 0; i < n; i++) {
		t->cols[i].name = cols[i].name;
		t->cols[i].title = cols[i].title ? cols[i].title : cols[i].name;
		t->cols[i].max = cols[i].max ? cols[i].max : 40;
		t->cols[i].prio = cols[i].prio;
		t->cols[i].min = cols[i].min;
	}
	t->curcell = xcalloc(n ? n : 1, sizeof *t->curcell);
	t->sort_col = -1;
	t->limit = DEFAULT_LIMIT;
}

static void
free_keep(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nkeep_marks; i++)
		free(t->keep_marks[i]);
	free(t->keep_marks);
	t->keep_marks = NULL;
	t->nkeep_marks = 0;
}

void
table_free(struct table *t)
{
	table_cells_free(t);
	free_keep(t);
	free(t->view);
	free(t->cols);
	free(t->curcell);
	memset(t, 0, sizeof *t);
}

void
table_begin(struct table *t)
{
	size_t i;

	free_keep(t);
	snprintf(t->keep_id, sizeof t->keep_id, "%s", table_current(t));
	for (i = 0; i < t->nrows; i++) {
		if (!t->rows[i].marked)
			continue;
		t->keep_marks = xrealloc(t->keep_marks, (t->nkeep_marks + 1) * sizeof(char *));
		t->keep_marks[t->nkeep_marks++] = xstrdup(table_row_id(t, i));
	}
	table_cells_free(t);
	free(t->view);
	t->view = NULL;
	t->nview = 0;
}

/* ---- view: filter and sort ---- */

static bool
row_matches(const struct table *t, size_t row)
{
	char buf[UI_CELL_BUFSZ];
	size_t c;

	if (t->filter.len == 0)
		return true;
	for (c = 0; c < t->ncols; c++)
		if (strcasestr(table_text(t, row, c, buf), t->filter.buf) != NULL)
			return true;
	return strcasestr(table_row_id(t, row), t->filter.buf) != NULL;
}

static int
cmp_rows(const void *a, const void *b, void *ctx)
{
	const struct table *t = ctx;
	size_t ia = *(const uint32_t *)a, ib = *(const uint32_t *)b;
	size_t c = (size_t)t->sort_col;
	int r;

	if (t->cols[c].type == CELL_STR || !t->cols[c].numeric) {
		char ba[UI_CELL_BUFSZ], bb[UI_CELL_BUFSZ];
		r = strcasecmp(table_text(t, ia, c, ba), table_text(t, ib, c, bb));
	} else {
		int64_t x = table_num(t, ia, c), y = table_num(t, ib, c);
		r = x < y ? -1 : x > y;
	}
	if (r == 0)
		r = ia < ib ? -1 : ia > ib;     /* stable */
	return t->sort_desc ? -r : r;
}

static void
rebuild_view(struct table *t)
{
	const char *keep = NULL;
	char id[24] = "";
	size_t i;

	if (t->nview > 0 && t->cur < t->nview) {
		snprintf(id, sizeof id, "%s", table_row_id(t, t->view[t->cur]));
		keep = id;
	}
	free(t->view);
	t->view = xcalloc(t->nrows ? t->nrows : 1, sizeof *t->view);
	t->nview = 0;
	for (i = 0; i < t->nrows; i++)
		if (row_matches(t, i))
			t->view[t->nview++] = (uint32_t)i;
	if (t->sort_col >= 0)
		qsort_r(t->view, t->nview, sizeof *t->view, cmp_rows, t);
	t->cur = 0;
	if (keep && keep[0])
		table_goto(t, keep);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
table_end(struct table *t)
{
	size_t i;

	table_cells_done(t);
	table_measure(t);
	if (t->nkeep_marks > 0) {
		qsort(t->keep_marks, t->nkeep_marks, sizeof(char *), cmp_str);
		for (i = 0; i < t->nrows; i++) {
			const char *id = table_row_id(t, i);
			t->rows[i].marked = bsearch(&id, t->keep_marks, t->nkeep_marks,
			    sizeof(char *), cmp_str) != NULL;
		}
	}
	free_keep(t);
	t->nview = 0;
	rebuild_view(t);
	table_cells_trim(t);
	if (t->keep_id[0])
		table_goto(t, t->keep_id);
}

/* ---- queries ---- */

const char *
table_current(const struct table *t)
{
	if (t->nview == 0 || t->cur >= t->nview)
		return "";
	return table_row_id(t, t->view[t->cur]);
}

const char *
table_current_cell(const struct table *t, const char *name)
{
	size_t c;

	if (t->nview == 0 || t->cur >= t->nview)
		return NULL;
	for (c = 0; c < t->ncols; c++) {
		if (strcmp(t->cols[c].name, name) == 0) {
			/* each column its own buffer: a caller may hold several */
			const char *s = table_text(t, t->view[t->cur], c, t->curcell[c]);
			return s;
		}
	}
	return NULL;
}

size_t
table_marked(const struct table *t)
{
	size_t i, n = 0;

	for (i = 0; i < t->nview; i++)
		n += t->rows[t->view[i]].marked;
	return n;
}

const char **
table_selection(const struct table *t, size_t *n)
{
	const char **ids = xcalloc(t->nview + 1, sizeof *ids);
	size_t i;

	*n = 0;
	for (i = 0; i < t->nview; i++)
		if (t->rows[t->view[i]].marked)
			ids[(*n)++] = table_row_id(t, t->view[i]);
	if (*n == 0 && t->nview > 0)
		ids[(*n)++] = table_row_id(t, t->view[t->cur]);
	return ids;
}

void
table_goto(struct table *t, const char *id)
{
	size_t i;

	for (i = 0; i < t->nview; i++) {
		if (strcmp(table_row_id(t, t->view[i]), id) == 0) {
			t->cur = i;
			return;
		}
	}
}

/* ---- keys ---- */

static void
move_by(struct table *t, long d)
{
	long c = (long)t->cur + d;

	if (c < 0 || t->nview == 0)
		c = 0;
	else if (c >= (long)t->nview)
		c = (long)t->nview - 1;
	t->cur = (size_t)c;
}

bool
table_key(struct table *t, enum action act, int key)
{
	long page = t->page > 1 ? t->page - 1 : 1;
	size_t i;

	if (t->filtering) {
		if (key == '\n' || key == '\r' || key == UI_FN(KEY_ENTER) ||
		    key == UI_FN(KEY_DOWN) || key == UI_FN(KEY_UP)) {
			t->filtering = false;
		} else if (key == UI_ESC) {
			t->filtering = false;
			edit_set(&t->filter, "");
			rebuild_view(t);
		} else if (edit_key(&t->filter, key)) {
			rebuild_view(t);
		}
		return true;
	}
	switch (act) {
	case ACT_UP:        move_by(t, -1); break;
	case ACT_DOWN:      move_by(t, 1); break;
	case ACT_PAGE_UP:   move_by(t, -page); break;
	case ACT_PAGE_DOWN: move_by(t, page); break;
	case ACT_TOP:       t->cur = 0; break;
	case ACT_BOTTOM:    move_by(t, (long)t->nview); break;
	case ACT_FILTER:
		t->filtering = true;
		break;
	case ACT_SORT:
		do      /* a column not drawn does not sort */
			t->sort_col = t->sort_col + 1 >= (int)t->ncols ? -1 : t->sort_col + 1;
		while (t->sort_col >= 0 && (t->cols[t->sort_col].empty || t->cols[t->sort_col].gone));
		t->sort_desc = false;
		rebuild_view(t);
		break;
	case ACT_SORT_REV:
		if (t->sort_col < 0)
			t->sort_col = 0;
		t->sort_desc = !t->sort_desc;
		rebuild_view(t);
		break;
	case ACT_MARK:
		if (t->nview > 0) {
			t->rows[t->view[t->cur]].marked = !t->rows[t->view[t->cur]].marked;
			move_by(t, 1);
		}
		break;
	case ACT_MARK_ALL: {
		bool all = table_marked(t) < t->nview;
		for (i = 0; i < t->nrows; i++)
			t->rows[i].marked = false;
		for (i = 0; i < t->nview; i++)
			t->rows[t->view[i]].marked = all;
		break;
	}
	case ACT_BACK:
		if (t->filter.len == 0)
			return false;
		edit_set(&t->filter, "");       /* Esc first clears a kept filter */
		rebuild_view(t);
		break;
	default:
		return false;
	}
	return true;
}

/* ---- drawing ---- */

static void
draw_cells(struct ui *ui, struct table *t, int y, const char *const *cells, int sep,
    enum color_role r, const char *gutter)
{
	int x = 0, c;

	ui_put(ui, y, x, 2, gutter, r);
	x = 2;
	for (c = 0; c < (int)t->ncols && x < ui_cols(ui); c++) {
		int w = t->cols[c].width;
		if (w == 0)
			continue;       /* not drawn: see table_layout */
		if (x > 2) {
			ui_put(ui, y, x, sep, "", r);
			x += sep;
		}
		if (t->cols[c].right)
			ui_put_right(ui, y, x, w, cells[c], r);
		else
			ui_put(ui, y, x, w, cells[c], r);
		x += w;
	}
	if (x < ui_cols(ui))
		ui_clear_line(ui, y, x, r);
}

/* The totals row's text, one per column: the sum of each money column
 * over the rows shown, "-" when they are in several currencies. */
static char **
totals_cells(const struct table *t)
{
	char **cells = xcalloc(t->ncols, sizeof *cells);
	char buf[MONEY_BUFSZ];
	size_t c, i;

	for (c = 0; c < t->ncols; c++) {
		int64_t sum = 0;
		const char *cur = NULL;
		bool mixed = false;
		const struct currency *cc;

		if (!t->cols[c].money) {
			cells[c] = xstrdup("");
			continue;
		}
		for (i = 0; i < t->nview; i++) {
			const char *rc = table_row_cur(t, t->view[i]);
			if (!money_add(sum, table_num(t, t->view[i], c), &sum))
				mixed = true;   /* cannot be shown as one figure */
			if (cur == NULL)
				cur = rc;
			else if (strcmp(cur, rc) != 0)
				mixed = true;
		}
		cc = cur ? currency_find(cur) : NULL;
		if (mixed)
			cells[c] = xstrdup("-");       /* never added across currencies */
		else if (cc)
			cells[c] = xstrdup(money_format_human(sum, cc, buf));
		else
			cells[c] = xstrdup("");
	}
	return cells;
}

static void
draw_totals(struct ui *ui, struct table *t, int y, int sep, char **cells)
{
	size_t c, first = 0, second;

	draw_cells(ui, t, y, (const char *const *)cells, sep, CR_TOTAL, "");
	while (first < t->ncols && t->cols[first].width == 0)
		first++;
	for (second = first + 1; second < t->ncols && t->cols[second].width == 0; second++)
		;
	/* the label may run into a second column when that one is not summed */
	if (first < t->ncols && !t->cols[first].money &&
	    (2 + t->cols[first].width >= 5 || (second < t->ncols && !t->cols[second].money)))
		ui_put(ui, y, 0, 5, "Total", CR_TOTAL);
	for (c = 0; c < t->ncols; c++)
		free(cells[c]);
	free(cells);
}

/* The sum of the marked rows shown, per currency, in the first money
 * column: what a decision on them moves. */
static void
footer_marked_sums(const struct table *t, char *info, size_t sz)
{
	struct money_sums sums;
	char m[MONEY_BUFSZ];
	size_t c, i;

	for (c = 0; c < t->ncols && !t->cols[c].money; c++)
		;
	if (c == t->ncols)
		return;
	money_sums_init(&sums);
	for (i = 0; i < t->nview; i++)
		if (t->rows[t->view[i]].marked)
			money_sums_add(&sums, table_row_cur(t, t->view[i]), table_num(t, t->view[i], c));
	for (i = 0; i < sums.n; i++) {
		const struct currency *cur = currency_find(sums.v[i].currency);
		if (cur == NULL)
			continue;
		snprintf(info + strlen(info), sz - strlen(info), "%s%s %s", i ? " + " : ": ",
		    strcmp(sums.overflow, sums.v[i].currency) == 0 ? "(too large)" :
		    money_format_human(sums.v[i].amount, cur, m), sums.v[i].currency);
	}
	money_sums_free(&sums);
}

/* What the columns not drawn would say: the value shared by every row,
 * and the names of those left out for want of room. */
static void
footer_columns(const struct table *t, char *info, size_t sz)
{
	const char *lead = "  not shown: ";
	char buf[UI_CELL_BUFSZ];
	size_t c;

	for (c = 0; c < t->ncols; c++)
		if (t->cols[c].same && t->cols[c].gone)
			snprintf(info + strlen(info), sz - strlen(info), "  %s: %s",
			    t->cols[c].title, table_text(t, 0, c, buf));
	for (c = 0; c < t->ncols; c++) {
		if (!t->cols[c].gone || t->cols[c].same)
			continue;
		snprintf(info + strlen(info), sz - strlen(info), "%s%s", lead, t->cols[c].title);
		lead = ", ";
	}
}

static void
draw_footer(struct ui *ui, struct table *t, int y)
{
	char info[256], num[32];
	size_t marked = table_marked(t);
	int x;

	if (t->filtering) {
		ui_put(ui, y, 0, 9, " Filter: ", CR_HEADER);
		x = 9;
		edit_draw(ui, &t->filter, y, x, ui_cols(ui) - x - 30, true, CR_FIELD);
		snprintf(info, sizeof info, "%zu of %zu  Enter keeps, Esc clears ", t->nview, t->nrows);
		ui_put_right(ui, y, ui_cols(ui) - 30, 30, info, CR_DIM);
		return;
	}
	if (t->nview == t->nrows)
		snprintf(info, sizeof info, " %zu %s", t->nrows, t->nrows == 1 ? "row" : "rows");
	else
		snprintf(info, sizeof info, " %zu of %zu rows", t->nview, t->nrows);
	if (t->dropped) {
		snprintf(num, sizeof num, "%zu", t->nrows);
		snprintf(info + strlen(info), sizeof info - strlen(info),
		    " (the first %s; more exist: narrow the list)", num);
	}
	if (t->sort_col >= 0)
		snprintf(info + strlen(info), sizeof info - strlen(info), "  sort: %s%s",
		    t->cols[t->sort_col].title, t->sort_desc ? ui_glyph_down() : ui_glyph_up());
	if (t->filter.len > 0) {
		char *f = ui_text(t->filter.buf);
		snprintf(info + strlen(info), sizeof info - strlen(info), "  filter: %s", f);
		free(f);
	}
	if (marked > 0) {
		snprintf(info + strlen(info), sizeof info - strlen(info), "  %zu marked", marked);
		footer_marked_sums(t, info, sizeof info);
	}
	footer_columns(t, info, sizeof info);
	ui_put(ui, y, 0, ui_cols(ui), info, CR_DIM);
}

void
table_draw(struct ui *ui, struct table *t, int y, int rows)
{
	int sep, body, i, c, x;
	bool totals = false;
	char **hdr, **tot = NULL;
	int *need;

	for (c = 0; c < (int)t->ncols; c++)
		totals |= t->cols[c].money && !t->no_totals;
	need = xcalloc(t->ncols, sizeof *need);
	if (totals) {
		tot = totals_cells(t);
		for (c = 0; c < (int)t->ncols; c++)
			need[c] = (int)ui_width(tot[c]);
	}
	table_layout(t, ui_cols(ui) - 2, need, &sep);
	free(need);
	/* header, with the sort glyph on the sorted column */
	hdr = xcalloc(t->ncols, sizeof *hdr);
	for (c = 0; c < (int)t->ncols; c++)
		hdr[c] = xasprintf("%s%s", t->cols[c].title,
		    c == t->sort_col ? (t->sort_desc ? ui_glyph_down() : ui_glyph_up()) : "");
	draw_cells(ui, t, y, (const char *const *)hdr, sep, CR_HEADER, "");
	for (c = 0; c < (int)t->ncols; c++)
		free(hdr[c]);
	free(hdr);
	body = rows - 2 - (totals ? 1 : 0);
	if (body < 1)
		body = 1;
	t->page = body;
	if (t->cur >= t->nview)
		t->cur = t->nview ? t->nview - 1 : 0;
	/* keep the cursor visible */
	if (t->cur < t->top)
		t->top = t->cur;
	if (t->cur >= t->top + (size_t)body)
		t->top = t->cur - (size_t)body + 1;
	if (t->top + (size_t)body > t->nview)
		t->top = t->nview > (size_t)body ? t->nview - (size_t)body : 0;
	for (i = 0; i < body; i++) {
		size_t v = t->top + (size_t)i;
		const struct trow *r;
		const char *cells[TABLE_MAX_COLS];
		char bufs[TABLE_MAX_COLS][UI_CELL_BUFSZ];
		enum color_role role = CR_NORMAL;
		if (v >= t->nview)
			break;
		r = &t->rows[t->view[v]];
		for (c = 0; c < (int)t->ncols; c++)
			cells[c] = table_text(t, t->view[v], (size_t)c, bufs[c]);
		if (v == t->cur)
			role = CR_SELECTED;
		else if (r->marked)
			role = CR_MARKED;
		else if (r->alert)
			role = CR_WARNING;
		draw_cells(ui, t, y + 1 + i, cells, sep, role,
		    r->marked ? "* " : r->alert ? "! " : "  ");
	}
	if (t->nview == 0) {
		x = 2;
		ui_put(ui, y + 1, x, ui_cols(ui) - x,
		    t->nrows ? "No rows match the filter (Esc clears it)." :
		    t->empty ? t->empty : "Nothing here yet.", CR_DIM);
	}
	if (totals)
		draw_totals(ui, t, y + rows - 2, sep, tot);
	draw_footer(ui, t, y + rows - 1);
}
