/*
 * table.c - the list widget.
 *
 * Rows keep text made safe once, when they are added (ui_text), each
 * distinct string once, and numbers as numbers, made into text as they are
 * drawn (table.h, struct tcol), so a list of 200,000 commission lines
 * stays near 70 bytes a line.  The view is an index
 * array over the rows: the filter picks, the sort orders, the cursor and
 * scroll offset move in it.  Natural column widths are measured once per
 * load; a draw only shares the terminal's width among them.
 */
#include "config.h"

#include <curses.h>
#ifdef HAVE_MALLOC_TRIM
#include <malloc.h>
#endif
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/money.h"
#include "ui/text.h"
#include "ui/widgets/table.h"

#define DEFAULT_LIMIT 5000
#define TRIM_ROWS 10000         /* loads at least this long give their scratch back */

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

/* ---- storage ---- */

static uint64_t
str_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h ^ (h >> 29);
}

static void
intern_grow(struct table *t)
{
	size_t n = t->intern_slots ? t->intern_slots * 2 : 1024, i, k;
	uint32_t *slots = xcalloc(n, sizeof *slots);

	for (i = 0; i < t->intern_slots; i++) {
		uint32_t off = t->intern[i];
		if (off == 0)
			continue;
		for (k = str_hash(t->pool + off) & (n - 1); slots[k]; k = (k + 1) & (n - 1))
			;
		slots[k] = off;
	}
	free(t->intern);
	t->intern = slots;
	t->intern_slots = n;
}

/* The pool offset of safe text s, stored once per load. */
static uint32_t
intern(struct table *t, const char *s)
{
	size_t len = strlen(s), k;
	uint32_t off;

	if (len == 0)
		return 0;
	if ((t->ninterned + 1) * 2 > t->intern_slots)
		intern_grow(t);
	for (k = str_hash(s) & (t->intern_slots - 1); t->intern[k]; k = (k + 1) & (t->intern_slots - 1))
		if (strcmp(t->pool + t->intern[k], s) == 0)
			return t->intern[k];
	if (t->pool_len == 0)
		t->pool_len = 1;        /* offset 0 is "" */
	if (t->pool_len + len + 1 > UINT32_MAX)
		return 0;               /* past 4 GiB of text: shown empty */
	t->pool = xgrow(t->pool, &t->pool_cap, t->pool_len + len + 1, 1);
	t->pool[0] = '\0';
	off = (uint32_t)t->pool_len;
	memcpy(t->pool + off, s, len + 1);
	t->pool_len += len + 1;
	t->intern[k] = off;
	t->ninterned++;
	return off;
}

static const char *
pool_str(const struct table *t, uint32_t off)
{
	return off && t->pool ? t->pool + off : "";
}

static uint8_t
cur_index(struct table *t, const char *cur)
{
	size_t i;

	if (cur == NULL || cur[0] == '\0')
		return 0;
	for (i = 0; i < t->ncurs; i++)
		if (strncmp(t->curs[i], cur, 3) == 0)
			return (uint8_t)(i + 1);
	if (t->ncurs == UINT8_MAX)
		return 0;
	t->curs = xrealloc(t->curs, (t->ncurs + 1) * sizeof *t->curs);
	snprintf(t->curs[t->ncurs], sizeof t->curs[0], "%s", cur);
	return (uint8_t)++t->ncurs;
}

static void
free_rows(struct table *t)
{
	size_t c;

	for (c = 0; c < t->ncols; c++) {
		struct tcol *col = &t->cols[c];
		free(col->ref);
		free(col->num);
		free(col->code);
		free(col->dict);
		col->ref = NULL;
		col->num = NULL;
		col->code = NULL;
		col->dict = NULL;
		col->decided = col->numeric = col->has_text = false;
	}
	free(t->rows);
	free(t->pool);
	free(t->intern);
	free(t->curs);
	t->rows = NULL;
	t->pool = NULL;
	t->intern = NULL;
	t->curs = NULL;
	t->nrows = t->caprows = 0;
	t->pool_len = t->pool_cap = 0;
	t->intern_slots = t->ninterned = 0;
	t->ncurs = 0;
	t->dropped = 0;
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
	free_rows(t);
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
	free_rows(t);
	free(t->view);
	t->view = NULL;
	t->nview = 0;
}

/* A column kept as codes (compact_column) back to offsets, for a row
 * added after a load ended. */
static void
expand_column(struct table *t, struct tcol *col)
{
	size_t i;

	col->ref = xmalloc((t->caprows ? t->caprows : 1) * sizeof *col->ref);
	for (i = 0; i < t->nrows; i++)
		col->ref[i] = col->dict[col->code[i]];
	free(col->code);
	free(col->dict);
	col->code = NULL;
	col->dict = NULL;
}

/* Room for one more row in the rows and in every column. */
static void
grow_rows(struct table *t)
{
	size_t cap = t->caprows ? t->caprows * 2 : 64, c;

	t->rows = xrealloc(t->rows, cap * sizeof *t->rows);
	for (c = 0; c < t->ncols; c++) {
		struct tcol *col = &t->cols[c];
		if (col->numeric)
			col->num = xrealloc(col->num, cap * sizeof *col->num);
		else
			col->ref = xrealloc(col->ref, cap * sizeof *col->ref);
	}
	t->caprows = cap;
}

/* A column whose cells so far were all empty becomes a numeric one. */
static void
make_numeric(struct table *t, struct tcol *col, size_t c)
{
	size_t i;

	free(col->ref);
	col->ref = NULL;
	col->num = xcalloc(t->caprows, sizeof *col->num);
	col->numeric = true;
	for (i = 0; i < t->nrows; i++)
		t->rows[i].text |= (uint16_t)(1u << c);   /* offset 0: "" */
}

static void
store_cell(struct table *t, struct trow *tr, size_t row, size_t c, const struct cell *cell)
{
	struct tcol *col = &t->cols[c];
	char buf[UI_CELL_BUFSZ];
	bool empty = cell == NULL || (cell->type == CELL_STR && cell->s == NULL);
	uint32_t off = 0;

	if (!empty && !col->decided) {
		col->decided = true;
		col->type = cell->type;
		col->right = cell->type == CELL_INT || cell->type == CELL_MONEY;
		col->money = cell->type == CELL_MONEY;
		if (cell->type != CELL_STR && !col->has_text)
			make_numeric(t, col, c);
	}
	if (col->numeric && !empty && cell->type == col->type) {
		col->num[row] = cell->i;
		tr->text &= (uint16_t)~(1u << c);
		if (cell->type == CELL_MONEY)
			tr->cur = cur_index(t, cell->cur);
		return;
	}
	/* text: a text cell, an empty one, or a number of another type */
	if (!empty) {
		if (cell->type == CELL_STR) {
			char *safe = ui_text(cell->s);
			off = intern(t, safe);
			free(safe);
		} else {
			off = intern(t, ui_cell_format(cell, buf));
		}
	}
	if (col->numeric) {
		col->num[row] = off;
		tr->text |= (uint16_t)(1u << c);
	} else {
		col->ref[row] = off;
		col->has_text |= off != 0;
	}
}

enum status
table_add(void *table, const struct row *r)
{
	struct table *t = table;
	struct trow *tr;
	size_t c, i, row;
	char buf[UI_CELL_BUFSZ];

	if (t->nrows >= t->limit || t->nrows >= UINT32_MAX) {
		t->dropped++;
		return ST_OK;
	}
	for (c = 0; c < t->ncols; c++)
		if (t->cols[c].code)
			expand_column(t, &t->cols[c]);
	if (t->nrows == t->caprows)
		grow_rows(t);
	row = t->nrows++;
	tr = &t->rows[row];
	memset(tr, 0, sizeof *tr);
	for (i = 0; i < r->n; i++) {
		if (strcmp(r->c[i].name, "id") == 0 && r->c[i].type == CELL_STR && r->c[i].s) {
			char *safe = ui_text(r->c[i].s);
			tr->id = intern(t, safe);
			free(safe);
		}
	}
	for (c = 0; c < t->ncols; c++) {
		const struct cell *cell = NULL;
		for (i = 0; i < r->n; i++) {
			if (strcmp(r->c[i].name, t->cols[c].name) == 0) {
				cell = &r->c[i];
				break;
			}
		}
		store_cell(t, tr, row, c, cell);
		if (t->alert_col && t->alert_val && strcmp(t->cols[c].name, t->alert_col) == 0 &&
		    strcmp(table_text(t, row, c, buf), t->alert_val) == 0)
			tr->alert = true;
	}
	return ST_OK;
}

/* ---- cells ---- */

const char *
table_row_id(const struct table *t, size_t row)
{
	return row < t->nrows ? pool_str(t, t->rows[row].id) : "";
}

const char *
table_row_cur(const struct table *t, size_t row)
{
	uint8_t k = row < t->nrows ? t->rows[row].cur : 0;

	return k ? t->curs[k - 1] : "";
}

static bool
kept_as_number(const struct table *t, size_t row, size_t c)
{
	return t->cols[c].numeric && !(t->rows[row].text & (1u << c));
}

int64_t
table_num(const struct table *t, size_t row, size_t c)
{
	if (row >= t->nrows || c >= t->ncols || !kept_as_number(t, row, c))
		return 0;
	return t->cols[c].num[row];
}

const char *
table_text(const struct table *t, size_t row, size_t c, char *buf)
{
	const struct tcol *col;
	struct cell cell;

	if (row >= t->nrows || c >= t->ncols)
		return "";
	col = &t->cols[c];
	if (col->code)
		return pool_str(t, col->dict[col->code[row]]);
	if (!col->numeric)
		return pool_str(t, col->ref[row]);
	if (!kept_as_number(t, row, c))
		return pool_str(t, (uint32_t)col->num[row]);
	memset(&cell, 0, sizeof cell);
	cell.type = col->type;
	cell.i = col->num[row];
	cell.cur = table_row_cur(t, row);
	return ui_cell_format(&cell, buf);
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

/*
 * A text column with at most 256 distinct values over the rows loaded is
 * kept as a byte per cell and a dictionary: a queue of 200,000 lines
 * names a few dozen partners, programs, statuses and kinds.
 */
static void
compact_column(struct table *t, struct tcol *col)
{
	uint32_t dict[256], slot[512];
	uint8_t *code;
	size_t nd = 0, i, k;

	if (col->numeric || col->ref == NULL || t->nrows < 1024)
		return;
	memset(slot, 0, sizeof slot);   /* dictionary index + 1 by hash of the offset */
	code = xmalloc(t->nrows);
	for (i = 0; i < t->nrows; i++) {
		uint32_t off = col->ref[i];
		for (k = (off * 2654435761u) & 511; slot[k] && dict[slot[k] - 1] != off; k = (k + 1) & 511)
			;
		if (slot[k] == 0) {
			if (nd == 256) {
				free(code);
				return;         /* too many values: stays as offsets */
			}
			dict[nd++] = off;
			slot[k] = (uint32_t)nd;
		}
		code[i] = (uint8_t)(slot[k] - 1);
	}
	col->dict = xmalloc(nd * sizeof *col->dict);
	memcpy(col->dict, dict, nd * sizeof *col->dict);
	col->code = code;
	free(col->ref);
	col->ref = NULL;
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

	/* the index of distinct strings serves only the load */
	free(t->intern);
	t->intern = NULL;
	t->intern_slots = t->ninterned = 0;
	for (i = 0; i < t->ncols; i++)
		compact_column(t, &t->cols[i]);
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
#ifdef HAVE_MALLOC_TRIM
	/* A long load's scratch (the record reads, the index of distinct
	 * strings, arrays grown and moved) lies freed in the heap, where
	 * glibc keeps it: hand it back, so a 200,000-line queue costs what
	 * it keeps (about 11 MB), not what loading it took (15 MB). */
	if (t->nrows >= TRIM_ROWS)
		malloc_trim(0);
#endif
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
