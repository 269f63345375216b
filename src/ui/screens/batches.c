/*
 * batches.c - the payout batches already written, pushed from
 * Commissions (b) or the payout preview (b): each batch with its cutoff,
 * lines, total and whether accounts payable has paid it; Enter lists the
 * lines it paid.  On either list w writes the batch's file for the
 * organisation's payment workflow (the accounts-payable CSV again, a
 * PayPal or Wise batch CSV, a SEPA credit transfer: the formats of
 * `ally payout export`), P records that it was paid (asked first; the
 * audit log keeps who), x the rows shown as CSV.
 *
 * Everything goes through app/ (app_list, app_payout_batch_lines,
 * app_payout_file, app_payout_export, app_payout_mark_paid), so a payee
 * with missing details is refused here with the CLI's words, and nothing
 * is written then.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/batches.h"
#include "app/ledger.h"
#include "core/alloc.h"
#include "core/money.h"
#include "core/priv.h"
#include "ui/screens/common.h"
#include "ui/text.h"
#include "ui/widgets/dialog.h"
#include "ui/widgets/table.h"

/* ---- writing a batch's file, marking it paid (both lists) ---- */

static const char *const formats[] = { "ap-csv", "paypal", "wise", "sepa" };
static const char *const format_items[] = {
	"ap-csv   the accounts-payable CSV, again",
	"paypal   PayPal Payouts batch CSV",
	"wise     Wise batch payment CSV",
	"sepa     SEPA credit transfer, pain.001.001.03 (EUR)",
};
#define NFORMATS (sizeof formats / sizeof formats[0])

/* The file of format f for batch id at path, rendered whole first: a
 * payee's missing details or a failed write leave nothing behind. */
static void
write_file(struct ui *ui, const char *id, const char *f, const char *path)
{
	struct outfile of;
	struct sbuf b;
	struct err e;
	bool ok;

	err_clear(&e);
	sbuf_init(&b);
	sbuf_add(&b, "");
	if (app_payout_file(ui_app(ui), id, f, &b, &e) != ST_OK) {
		ui_message(ui, CR_ERROR, "%s: %s", id, e.msg);
		sbuf_free(&b);
		return;
	}
	memset(&of, 0, sizeof of);
	ok = outfile_open(&of, path, true, 0, "", &e) == ST_OK &&
	    fwrite(b.s, 1, b.len, of.f) == b.len && outfile_commit(&of, "", &e) == ST_OK;
	if (ok)
		ui_message(ui, CR_OK, "%s: wrote the %s file %s", id, f, path);
	else
		ui_message(ui, CR_ERROR, "%s", e.msg[0] ? e.msg : "could not write the file");
	outfile_abort(&of);
	sbuf_free(&b);
}

/* w: pick a format, then a path (the accounts-payable CSV goes where the
 * run wrote it unless another path is given). */
static void
batch_file(struct ui *ui, const char *id, const char *csv_path)
{
	char *def, *path, *q, *written = NULL;
	struct err e;
	int f;

	if (id == NULL || id[0] == '\0')
		return;
	q = xasprintf("Write a file for %s in which format?", id);
	f = ui_choose(ui, q, format_items, NFORMATS, 0);
	free(q);
	if (f < 0)
		return;
	def = f == 0 && csv_path && csv_path[0] ? xstrdup(csv_path) :
	    xasprintf("%s-%s.%s", id, formats[f], strcmp(formats[f], "sepa") == 0 ? "xml" : "csv");
	q = xasprintf("Write the %s file of %s to (path)", formats[f], id);
	path = ui_prompt(ui, q, def);
	free(q);
	free(def);
	if (path == NULL)
		return;
	if (path[0] == '\0') {
		ui_message(ui, CR_WARNING, "%s: no path given: nothing written", id);
	} else if (f == 0) {
		err_clear(&e);
		if (app_payout_export(ui_app(ui), id, path, &written, &e) == ST_OK)
			ui_message(ui, CR_OK, "%s: wrote the ap-csv file %s", id, written);
		else
			ui_message(ui, CR_ERROR, "%s", e.msg);
		free(written);
	} else {
		write_file(ui, id, formats[f], path);
	}
	free(path);
}

/* P: accounts payable has paid the batch; asked first, audited. */
static void
batch_paid(struct ui *ui, const char *id, const char *status, const char *lines,
    const char *total)
{
	struct err e;
	char *q;

	if (id == NULL || id[0] == '\0')
		return;
	if (status && strcmp(status, "paid") == 0) {
		ui_message(ui, CR_WARNING, "%s is marked paid already: nothing to do", id);
		return;
	}
	q = xasprintf("Mark %s paid: %s %s, %s? Say yes only once accounts payable has paid it.",
	    id, lines ? lines : "?", lines && strcmp(lines, "1") == 0 ? "line" : "lines",
	    total ? total : "?");
	if (ui_confirm(ui, q)) {
		err_clear(&e);
		if (app_payout_mark_paid(ui_app(ui), id, &e) == ST_OK)
			ui_message(ui, CR_OK, "%s marked paid", id);
		else
			ui_message(ui, CR_ERROR, "%s", e.msg);
	}
	free(q);
}

/* ---- the list of batches ---- */

/* table_add with the money cell's currency as a column of its own: a
 * batch's total means nothing without it. */
static enum status
add_with_currency(void *table, const struct row *r)
{
	struct row copy = *r;
	size_t i;

	for (i = 0; i < r->n && copy.n < ROW_MAX; i++)
		if (r->c[i].type == CELL_MONEY && r->c[i].cur) {
			copy.c[copy.n++] = (struct cell){ .name = "currency", .type = CELL_STR,
			    .s = r->c[i].cur };
			break;
		}
	return table_add(table, &copy);
}

struct batches {
	struct table t;
};

/* At 80 columns the path and the dates go first, the money never. */
static const struct table_colspec cols[] = {
	{ "id", "Batch", 8, COL_KEEP, 0 }, { "cutoff", "Cutoff", 10, COL_LOW, 0 },
	{ "lines", "Lines", 6, COL_NORMAL, 0 }, { "total", "Total", 20, COL_KEEP, 0 },
	{ "currency", "Cur", 4, COL_KEEP, 0 }, { "status", "Status", 8, COL_KEEP, 0 },
	{ "paid_at", "Paid", 16, COL_LOW, 0 }, { "created", "Written", 16, COL_LOW, 0 },
	{ "csv", "Accounts-payable CSV", 60, COL_LOW, 0 },
};

static void *
batches_open(struct ui *ui, const void *arg)
{
	struct batches *s = xcalloc(1, sizeof *s);

	(void)ui;
	(void)arg;
	table_init(&s->t, cols, sizeof cols / sizeof cols[0]);
	/* a total per currency means nothing added up */
	s->t.no_totals = true;
	s->t.empty = "No payout batch yet: p on Commissions previews one.";
	return s;
}

static void
batches_close(void *st)
{
	struct batches *s = st;

	table_free(&s->t);
	free(s);
}

static void
batches_load(struct ui *ui, void *st)
{
	struct batches *s = st;
	struct list_filter f = { 0 };
	struct err e;

	err_clear(&e);
	table_begin(&s->t);
	if (app_list(ui_app(ui), KIND_PAYOUT, &f, add_with_currency, &s->t, &e) != ST_OK)
		ui_message(ui, CR_ERROR, "%s", e.msg);
	table_end(&s->t);
}

static void
batches_draw(struct ui *ui, void *st, int y, int rows)
{
	struct batches *s = st;

	ui_title(ui, y, "Payout batches", s->t.nview == 0 ? "q back" :
	    ui_may(ui, PERM_COMMISSION_WRITE) ? "Enter lines  w file  P paid  q back" :
	    "Enter lines  q back");
	table_draw(ui, &s->t, y + 1, rows - 1);
}

static void lines_push(struct ui *ui, const char *batch);

static bool
batches_key(struct ui *ui, void *st, enum action act, int key)
{
	struct batches *s = st;
	const struct table *t = &s->t;

	if (table_key(&s->t, act, key))
		return true;
	if (act == ACT_OPEN) {
		if (t->nview)
			lines_push(ui, table_current(t));
		return true;
	}
	if (key == 'w' && t->nview) {
		batch_file(ui, table_current(t), table_current_cell(t, "csv"));
		return true;
	}
	if (key == 'P' && t->nview) {
		char *total = xasprintf("%s %s", table_current_cell(t, "total"),
		    table_current_cell(t, "currency"));
		batch_paid(ui, table_current(t), table_current_cell(t, "status"),
		    table_current_cell(t, "lines"), total);
		free(total);
		ui_reload(ui);
		return true;
	}
	return false;
}

static const struct screen_key screen_batches_keys[] = {
	SK_ANY(ACT_OPEN, "the lines the batch paid"),
	SK_RAW("w", "write its file: ap-csv, paypal, wise or sepa", PERM_COMMISSION_WRITE),
	SK_RAW("P", "mark it paid, once accounts payable has paid", PERM_COMMISSION_WRITE),
	SK_LIST,
	SK_END
};

static bool
screen_batches_typing(void *st)
{
	return ((struct batches *)st)->t.filtering;
}

static struct table *
screen_batches_list(void *st)
{
	return &((struct batches *)st)->t;
}

const struct screen_ops screen_batches = {
	.name = "Batches",
	.open = batches_open,
	.close = batches_close,
	.load = batches_load,
	.draw = batches_draw,
	.key = batches_key,
	.keys = screen_batches_keys,
	.typing = screen_batches_typing,
	.list = screen_batches_list,
};

/* ---- the lines of one batch ---- */

struct lines {
	char id[24];
	char cur[4];            /* the batch's currency, from its lines */
	int64_t sum;            /* of the lines, to show with separators */
	bool sum_ok;
	char *head;             /* safe: the batch's figures */
	char *csv, *status, *nlines, *total;    /* raw, for w and P */
	struct table t;
};

static const struct table_colspec line_cols[] = {
	{ "id", "Line", 8, COL_KEEP, 0 }, { "payee", "Payee", 36, COL_KEEP, 0 },
	{ "program", "Program", 24, COL_KEEP, 0 }, { "kind", "Kind", 10, COL_LOW, 0 },
	{ "earned", "Earned", 10, COL_KEEP, 0 }, { "amount", "Amount", 20, COL_KEEP, 0 },
};

static void *
lines_open(struct ui *ui, const void *arg)
{
	struct lines *s = xcalloc(1, sizeof *s);

	(void)ui;
	snprintf(s->id, sizeof s->id, "%s", (const char *)arg);
	table_init(&s->t, line_cols, sizeof line_cols / sizeof line_cols[0]);
	s->t.empty = "This batch paid no lines.";
	return s;
}

static void
lines_forget(struct lines *s)
{
	free(s->head);
	free(s->csv);
	free(s->status);
	free(s->nlines);
	free(s->total);
	s->head = s->csv = s->status = s->nlines = s->total = NULL;
}

static void
lines_close(void *st)
{
	struct lines *s = st;

	lines_forget(s);
	table_free(&s->t);
	free(s);
}

static enum status
add_line(void *ctx, const struct row *r)
{
	struct lines *s = ctx;
	size_t i;

	for (i = 0; i < r->n; i++) {
		if (r->c[i].type != CELL_MONEY || r->c[i].cur == NULL)
			continue;
		if (!s->cur[0])
			snprintf(s->cur, sizeof s->cur, "%s", r->c[i].cur);
		if (!money_add(s->sum, r->c[i].i, &s->sum))
			s->sum_ok = false;
	}
	return table_add(&s->t, r);
}

static void
lines_load(struct ui *ui, void *st)
{
	struct lines *s = st;
	struct recfields rf;
	struct err e;

	lines_forget(s);
	s->cur[0] = '\0';
	s->sum = 0;
	s->sum_ok = true;
	err_clear(&e);
	table_begin(&s->t);
	if (app_payout_batch_lines(ui_app(ui), s->id, add_line, s, &e) != ST_OK)
		ui_message(ui, CR_ERROR, "%s", e.msg);
	table_end(&s->t);
	if (rec_fields(ui, KIND_PAYOUT, s->id, &rf)) {
		char *raw;
		const char *paid = rec_field(&rf, "paid_at");
		s->csv = xstrdup(rec_field(&rf, "csv"));
		s->status = xstrdup(rec_field(&rf, "status"));
		s->nlines = xstrdup(rec_field(&rf, "lines"));
		{
			const struct currency *c = currency_find(s->cur);
			char m[MONEY_BUFSZ];
			s->total = c && s->sum_ok ?
			    xasprintf("%s %s", money_format_human(s->sum, c, m), s->cur) :
			    xasprintf("%s %s", rec_field(&rf, "total"), s->cur);
		}
		/* the day it was paid is enough here: the list has the time */
		raw = xasprintf("%s: %s %s, %s, cutoff %s, %s%s%.10s", s->id, s->nlines,
		    strcmp(s->nlines, "1") == 0 ? "line" : "lines", s->total,
		    rec_field(&rf, "cutoff"), s->status, paid[0] ? " " : "", paid);
		s->head = ui_text(raw);
		free(raw);
		rec_fields_free(&rf);
	}
}

static void
lines_draw(struct ui *ui, void *st, int y, int rows)
{
	struct lines *s = st;

	char *title = xasprintf("Batch %s", s->id);

	ui_title(ui, y, title,
	    ui_may(ui, PERM_COMMISSION_WRITE) ? "w file  P paid  q back" : "q back");
	free(title);
	ui_put(ui, y + 1, 1, ui_cols(ui) - 2, s->head ? s->head : "", CR_TOTAL);
	table_draw(ui, &s->t, y + 2, rows - 2);
}

static bool
lines_key(struct ui *ui, void *st, enum action act, int key)
{
	struct lines *s = st;

	if (table_key(&s->t, act, key))
		return true;
	if (key == 'w') {
		batch_file(ui, s->id, s->csv);
		return true;
	}
	if (key == 'P') {
		batch_paid(ui, s->id, s->status, s->nlines, s->total);
		ui_reload(ui);
		return true;
	}
	if (act == ACT_OPEN)
		return true;
	return false;
}

static const struct screen_key screen_lines_keys[] = {
	SK_RAW("w", "write its file: ap-csv, paypal, wise or sepa", PERM_COMMISSION_WRITE),
	SK_RAW("P", "mark it paid, once accounts payable has paid", PERM_COMMISSION_WRITE),
	SK_LIST,
	SK_END
};

static bool
screen_lines_typing(void *st)
{
	return ((struct lines *)st)->t.filtering;
}

static struct table *
screen_lines_list(void *st)
{
	return &((struct lines *)st)->t;
}

static const struct screen_ops screen_batch_lines = {
	.name = "Batch lines",
	.open = lines_open,
	.close = lines_close,
	.load = lines_load,
	.draw = lines_draw,
	.key = lines_key,
	.keys = screen_lines_keys,
	.typing = screen_lines_typing,
	.list = screen_lines_list,
};

static void
lines_push(struct ui *ui, const char *batch)
{
	if (batch && batch[0])
		ui_push(ui, &screen_batch_lines, batch);
}
