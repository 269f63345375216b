/*
 * table.h - the list widget every screen uses.  Screens hand it rows of
 * typed cells (app/io.h) and name the columns to show; the table keeps
 * display text, sorts by any column (s, S), filters as you type (/),
 * marks (Space, *), scrolls keeping the cursor visible, and adds a totals
 * row when it has money columns.  A reload keeps the cursor and the marks
 * on the same records (by id).
 */
#ifndef ALLY_UI_TABLE_H
#define ALLY_UI_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/io.h"
#include "ui/shell.h"
#include "ui/text.h"
#include "ui/widgets/edit.h"

/* How a column gives way when the terminal is too narrow for all of them
 * (table_layout.c).  Money columns are always COL_KEEP. */
enum col_prio {
	COL_NORMAL = 0,         /* shrinks to its minimum, then goes */
	COL_LOW,                /* ids, kinds, dates: never cut, goes first */
	COL_KEEP,               /* names, money, totals: cut only as a last resort (never money) */
};

struct table_colspec {
	const char *name;       /* cell name in the row */
	const char *title;      /* header; NULL = name */
	int max;                /* widest it takes while others need room; 0 = 40 */
	enum col_prio prio;
	int min;                /* COL_NORMAL: narrowest before it goes; 0 = 8 */
};

struct tcol {
	const char *name, *title;
	int max, min, natural, full, width;
	enum col_prio prio;
	enum cell_type type;
	bool right;
	bool money;
	bool empty;             /* empty on every row: not drawn */
	bool same;              /* one value on every row: goes first when short */
	bool gone;              /* left out by the last layout: no room */
	/*
	 * The cells, one per row.  A column takes the type of its first cell
	 * that is not empty text: a text column keeps each cell's safe text
	 * in the table's pool (ref, an offset there), any other column the
	 * number itself (num), made into text only when it is drawn,
	 * filtered or written, so a long list costs a few bytes a cell.
	 */
	bool decided, numeric, has_text;
	uint32_t *ref;
	int64_t *num;
	/* after a load, a text column of few distinct values (a status, a
	 * partner's name) keeps a byte per cell: code[row] indexes dict */
	uint8_t *code;
	uint32_t *dict;
};

#define TABLE_MAX_COLS 16

struct trow {
	uint32_t id;            /* the record's id: an offset in the pool */
	uint16_t text;          /* bit c: cell c of a numeric column kept as text (num is its offset) */
	uint8_t cur;            /* currency of money cells: index in curs + 1; 0 none */
	bool marked : 1;
	bool alert : 1;         /* drawn in the warning role, "!" in the gutter */
};

struct table {
	struct tcol *cols;
	size_t ncols;
	struct trow *rows;
	size_t nrows, caprows;
	size_t limit;           /* rows kept; more are counted only (load limit + 1) */
	uint64_t dropped;
	uint32_t *view;         /* filtered and sorted row indices */
	size_t nview;
	size_t cur, top;        /* position in view */
	int sort_col;           /* -1: the order rows came in */
	bool sort_desc;
	bool filtering;         /* the filter line has the keys */
	struct edit filter;
	int page;               /* rows shown at the last draw */
	/* kept across a reload */
	char keep_id[24];
	char **keep_marks;
	size_t nkeep_marks;
	const char *empty;      /* shown when there are no rows */
	bool no_totals;         /* money of different meanings: no sum */
	/* rows whose cell in column alert_col reads alert_val are alerts
	 * (a deal in conflict); NULL: none */
	const char *alert_col, *alert_val;
	/* storage: safe text, each distinct string once (offset 0 is "") */
	char *pool;
	size_t pool_len, pool_cap;
	uint32_t *intern;       /* while loading: pool offsets by hash, 0 empty */
	size_t intern_slots, ninterned;
	char (*curs)[4];        /* the currencies of the rows */
	size_t ncurs;
	char (*curcell)[UI_CELL_BUFSZ];    /* table_current_cell's numbers as text */
};

void table_init(struct table *t, const struct table_colspec *cols, size_t n);
void table_free(struct table *t);
/* Start a (re)load: remembers the cursor's record and the marks. */
void table_begin(struct table *t);
/* Add a row (row_fn-compatible: pass the table as ctx). */
enum status table_add(void *table, const struct row *r);
/* End a load: widths, filter, sort, cursor and marks restored. */
void table_end(struct table *t);

/* Share `avail` columns among the table's columns (table_layout.c):
 * widths in cols[].width, 0 for a column not drawn; *sep the gap.
 * need[c] is the least width column c must have (its total), or NULL. */
void table_layout(struct table *t, int avail, const int *need, int *sep);
/* After a load: natural and full widths, and which columns say nothing. */
void table_measure(struct table *t);

/* Keys of a list; true when used. */
bool table_key(struct table *t, enum action act, int key);
/* Draw in rows [y, y + rows) over the full width: header, lines, totals,
 * and a footer with counts, sort, filter and marks. */
void table_draw(struct ui *ui, struct table *t, int y, int rows);

/* x: prompt for a path (default NAME.csv) and write the rows shown as CSV
 * with the user's rights (table_export.c); the outcome in the status line. */
bool table_export(struct ui *ui, const struct table *t, const char *name);

/* The record under the cursor ("" when none). */
const char *table_current(const struct table *t);
/* Ids of the marked rows shown, else of the cursor's row: a new array of
 * pointers into the table (free the array only).  *n may be 0. */
const char **table_selection(const struct table *t, size_t *n);
size_t table_marked(const struct table *t);
/* The display text of column `name` in the cursor's row, or NULL; valid
 * until the next load (several columns of the row may be held at once). */
const char *table_current_cell(const struct table *t, const char *name);
/* Put the cursor on the row with this id, if shown. */
void table_goto(struct table *t, const char *id);

/* Row `row` (an index in rows): its id, the currency of its money ("" none),
 * the number of cell c (0 for text), and the safe text of cell c, either in
 * the table or made in buf (UI_CELL_BUFSZ bytes). */
const char *table_row_id(const struct table *t, size_t row);
const char *table_row_cur(const struct table *t, size_t row);
int64_t table_num(const struct table *t, size_t row, size_t c);
const char *table_text(const struct table *t, size_t row, size_t c, char *buf);

#endif
