/*
 * table_cells.c - how the list widget keeps its rows (table.h, struct
 * tcol): each distinct string of safe text once in a pool, numbers as
 * numbers made into text only when a row is drawn, filtered or written,
 * and after a load a text column of few values as a byte per cell, so a
 * list of 200,000 commission lines stays near 50 bytes a line.
 */
#include "config.h"

#ifdef HAVE_MALLOC_TRIM
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "ui/text.h"
#include "ui/widgets/table.h"
#include "ui/widgets/table_int.h"

#define TRIM_ROWS 10000         /* loads at least this long give their scratch back */

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

void
table_cells_free(struct table *t)
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

void
table_cells_done(struct table *t)
{
	size_t i;

	/* the index of distinct strings serves only the load */
	free(t->intern);
	t->intern = NULL;
	t->intern_slots = t->ninterned = 0;
	for (i = 0; i < t->ncols; i++)
		compact_column(t, &t->cols[i]);
}

void
table_cells_trim(struct table *t)
{
#ifdef HAVE_MALLOC_TRIM
	/* A long load's scratch (the record reads, the index of distinct
	 * strings, arrays grown and moved) lies freed in the heap, where
	 * glibc keeps it: hand it back, so a 200,000-line queue costs what
	 * it keeps (about 11 MB), not what loading it took (15 MB). */
	if (t->nrows >= TRIM_ROWS)
		malloc_trim(0);
#else
	(void)t;
#endif
}
