/*
 * table_export.c - x on a list: the rows shown (the filter and the sort
 * as on screen), every column, written as CSV to a path the user names.
 *
 * The file is written with the person's own rights (outfile_open with
 * as_user: they named the path, ally's group must not reach it) through a
 * temporary file renamed into place, so a failure leaves nothing half
 * written.  Text cells are guarded against spreadsheet formulas
 * (csv_add_field); money is written plain (1234.50) in its own column
 * with the currency beside it, as ally's other CSV files do.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/csv.h"
#include "core/money.h"
#include "core/priv.h"
#include "core/str.h"
#include "ui/widgets/dialog.h"
#include "ui/widgets/table.h"

static bool
has_money(const struct table *t)
{
	size_t c;

	for (c = 0; c < t->ncols; c++)
		if (t->cols[c].money)
			return true;
	return false;
}

static void
csv_header(const struct table *t, struct sbuf *b)
{
	size_t c;

	for (c = 0; c < t->ncols; c++)
		csv_add_field(b, t->cols[c].name, c == 0);
	if (has_money(t))
		csv_add_field(b, "currency", 0);
	sbuf_add(b, "\r\n");
}

static void
csv_line(const struct table *t, size_t row, struct sbuf *b)
{
	char m[MONEY_BUFSZ], buf[UI_CELL_BUFSZ];
	const char *rc = table_row_cur(t, row);
	const struct currency *cur = rc[0] ? currency_find(rc) : NULL;
	size_t c;

	for (c = 0; c < t->ncols; c++) {
		if (t->cols[c].money && cur)
			csv_add_value(b, money_format(table_num(t, row, c), cur, m), c == 0);
		else if (t->cols[c].type == CELL_INT)
			csv_add_value(b, table_text(t, row, c, buf), c == 0);
		else
			csv_add_field(b, table_text(t, row, c, buf), c == 0);
	}
	if (has_money(t))
		csv_add_field(b, rc, 0);
	sbuf_add(b, "\r\n");
}

bool
table_export(struct ui *ui, const struct table *t, const char *name)
{
	char *def = xasprintf("%s.csv", name), *path, *q;
	struct outfile o;
	struct sbuf b;
	struct err e;
	size_t i;
	bool ok;

	q = xasprintf("Write the %zu rows shown to a CSV file (path)", t->nview);
	path = ui_prompt(ui, q, def);
	free(q);
	free(def);
	if (path == NULL)
		return false;
	if (path[0] == '\0') {
		ui_message(ui, CR_WARNING, "export: no path given: nothing written");
		free(path);
		return false;
	}
	err_clear(&e);
	memset(&o, 0, sizeof o);
	if (outfile_open(&o, path, true, 0, "export: ", &e) != ST_OK) {
		ui_message(ui, CR_ERROR, "%s", e.msg);
		free(path);
		return false;
	}
	sbuf_init(&b);
	csv_header(t, &b);
	for (i = 0; i < t->nview; i++)
		csv_line(t, t->view[i], &b);
	ok = fwrite(sbuf_str(&b), 1, b.len, o.f) == b.len &&
	    outfile_commit(&o, "export: ", &e) == ST_OK;
	if (!ok && !e.msg[0])
		snprintf(e.msg, sizeof e.msg, "export: %s: could not write", path);
	if (ok)
		ui_message(ui, CR_OK, "wrote %zu %s to %s", t->nview, t->nview == 1 ? "row" : "rows", path);
	else
		ui_message(ui, CR_ERROR, "%s", e.msg);
	outfile_abort(&o);
	sbuf_free(&b);
	free(path);
	return ok;
}
