/*
 * payout.c - the payout screen, pushed from Commissions with p: a preview
 * of every approved line up to a cutoff (per-payee totals, line ids, the
 * checksum), and a run that writes the batch only when the user types the
 * checksum shown, so what is paid is exactly what was reviewed.  A batch
 * pays one currency: the organisation's unless u names another.  Payees
 * and lines are table widgets (l switches), so each payee's amount stays
 * whole at any width and the list sorts and filters like the others.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/ledger.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/date.h"
#include "ui/screens/common.h"
#include "ui/text.h"
#include "ui/widgets/dialog.h"
#include "ui/widgets/table.h"

extern const struct screen_ops screen_batches;     /* batches.c */

struct payout_screen {
	char cutoff[16];
	char minimum[32];
	char currency[8];       /* "" = the organisation's */
	struct payout_preview p;
	bool have;
	bool by_line;           /* l: the lines instead of the payees */
	char err[512];
	char head[256];         /* counts, total and checksum */
	struct table payees, lines;
};

/* The payee (customer or partner) has the money column whole: the table
 * lays it out first (table_layout.c). */
static const struct table_colspec payee_cols[] = {
	{ "payee", "Payee", 40, COL_KEEP, 0 }, { "email", "E-mail", 34, COL_NORMAL, 12 },
	{ "lines", "Lines", 6, COL_NORMAL, 0 }, { "amount", "Amount", 20, COL_KEEP, 0 },
};

static const struct table_colspec line_cols[] = {
	{ "id", "Line", 10, COL_KEEP, 0 }, { "payee", "Payee", 40, COL_KEEP, 0 },
	{ "amount", "Amount", 20, COL_KEEP, 0 },
};

static void *
payout_open(struct ui *ui, const void *arg)
{
	struct payout_screen *s = xcalloc(1, sizeof *s);

	(void)ui;
	(void)arg;
	date_format_day(clock_now(), s->cutoff);
	table_init(&s->payees, payee_cols, sizeof payee_cols / sizeof payee_cols[0]);
	table_init(&s->lines, line_cols, sizeof line_cols / sizeof line_cols[0]);
	s->payees.empty = s->lines.empty = "No approved lines up to the cutoff: nothing to pay.";
	return s;
}

static void
payout_close(void *st)
{
	struct payout_screen *s = st;

	if (s->have)
		payout_preview_free(&s->p);
	table_free(&s->payees);
	table_free(&s->lines);
	free(s);
}

static void
cell_str(struct row *r, const char *name, const char *v)
{
	r->c[r->n++] = (struct cell){ .name = name, .type = CELL_STR, .s = v };
}

static void
cell_money(struct row *r, const char *name, int64_t v, const char *cur)
{
	r->c[r->n++] = (struct cell){ .name = name, .type = CELL_MONEY, .i = v, .cur = cur };
}

static const char *
payee_of(const struct payout_preview *p, const struct payout_line *l)
{
	size_t i;

	for (i = 0; i < p->ntotals; i++)
		if (p->totals[i].referrer == l->referrer && p->totals[i].partner == l->partner)
			return p->totals[i].payee;
	return NULL;
}

static void
fill_tables(struct payout_screen *s)
{
	struct row r;
	size_t i;

	table_begin(&s->payees);
	for (i = 0; i < s->p.ntotals; i++) {
		const struct payout_total *t = &s->p.totals[i];
		memset(&r, 0, sizeof r);
		snprintf(r.buf[0], sizeof r.buf[0], "%zu", i);
		cell_str(&r, "id", r.buf[0]);
		cell_str(&r, "payee", t->payee);
		cell_str(&r, "email", t->email);
		r.c[r.n++] = (struct cell){ .name = "lines", .type = CELL_INT, .i = t->lines };
		cell_money(&r, "amount", t->amount, s->p.currency);
		table_add(&s->payees, &r);
	}
	table_end(&s->payees);
	table_begin(&s->lines);
	for (i = 0; i < s->p.nlines; i++) {
		const struct payout_line *l = &s->p.lines[i];
		memset(&r, 0, sizeof r);
		app_id_str(KIND_COMMISSION, l->commission, r.buf[0]);
		cell_str(&r, "id", r.buf[0]);
		cell_str(&r, "payee", payee_of(&s->p, l));
		cell_money(&r, "amount", l->amount, s->p.currency);
		table_add(&s->lines, &r);
	}
	table_end(&s->lines);
}

static void
payout_load(struct ui *ui, void *st)
{
	struct payout_screen *s = st;
	struct payout_input in = { s->cutoff, NULL, s->minimum[0] ? s->minimum : NULL,
		s->currency[0] ? s->currency : NULL };
	const struct currency *cur;
	char m[MONEY_BUFSZ];
	struct err e;

	if (s->have)
		payout_preview_free(&s->p);
	memset(&s->p, 0, sizeof s->p);
	err_clear(&e);
	s->have = app_payout_preview(ui_app(ui), &in, &s->p, &e) == ST_OK;
	snprintf(s->err, sizeof s->err, "%s", s->have ? "" : e.msg);
	if (!s->have) {
		table_begin(&s->payees);
		table_end(&s->payees);
		table_begin(&s->lines);
		table_end(&s->lines);
		return;
	}
	cur = currency_find(s->p.currency);
	if (cur == NULL)
		cur = app_currency(ui_app(ui));
	snprintf(s->head, sizeof s->head, "%zu payees, %zu lines, total %s %s, checksum %s",
	    s->p.ntotals, s->p.nlines, money_format_human(s->p.total, cur, m), s->p.currency,
	    s->p.checksum);
	fill_tables(s);
}

static void
payout_draw(struct ui *ui, void *st, int y0, int rows)
{
	struct payout_screen *s = st;
	char info[160];

	snprintf(info, sizeof info, "cutoff %s%s%s%s%s  c m u  l %s  p run  b batches", s->cutoff,
	    s->minimum[0] ? "  min " : "", s->minimum, s->currency[0] ? "  " : "", s->currency,
	    s->by_line ? "payees" : "lines");
	ui_title(ui, y0, "Payout preview", info);
	if (!s->have) {
		ui_put_text(ui, y0 + 2, 2, ui_cols(ui) - 4, s->err, CR_ERROR);
		return;
	}
	ui_put(ui, y0 + 1, 1, ui_cols(ui) - 2, s->head, CR_TOTAL);
	table_draw(ui, s->by_line ? &s->lines : &s->payees, y0 + 2, rows - 2);
}

static void
run(struct ui *ui, struct payout_screen *s)
{
	struct payout_input in = { s->cutoff, NULL, s->minimum[0] ? s->minimum : NULL,
		s->currency[0] ? s->currency : NULL };
	char *typed, *q, *path = NULL, id[24];
	uint64_t batch = 0;
	struct err e;

	if (!s->have || s->p.nlines == 0) {
		ui_message(ui, CR_WARNING, "nothing to pay up to %s", s->cutoff);
		return;
	}
	q = xasprintf("Type the checksum %s to pay %zu lines to %zu payees", s->p.checksum,
	    s->p.nlines, s->p.ntotals);
	typed = ui_prompt(ui, q, "");
	free(q);
	if (typed == NULL)
		return;
	if (strcmp(typed, s->p.checksum) != 0) {
		ui_message(ui, CR_ERROR, "the checksum does not match: nothing was written");
		free(typed);
		return;
	}
	err_clear(&e);
	if (app_payout_run(ui_app(ui), &in, typed, NULL, &batch, &path, &e) == ST_OK)
		ui_message(ui, CR_OK, "payout batch %s written: %s",
		    app_id_str(KIND_PAYOUT, batch, id), path ? path : "");
	else
		ui_message(ui, CR_ERROR, "%s", e.msg);
	free(path);
	free(typed);
	ui_reload(ui);
}

static bool
payout_key(struct ui *ui, void *st, enum action act, int key)
{
	struct payout_screen *s = st;
	char *v;

	if (key == 'c' || key == 'm' || key == 'u') {
		v = ui_prompt(ui, key == 'c' ? "Cutoff date (YYYY-MM-DD): lines earned up to that day" :
		    key == 'm' ? "Minimum per payee (empty: none)" :
		    "Currency the batch pays (ISO 4217; empty: the organisation's)",
		    key == 'c' ? s->cutoff : key == 'm' ? s->minimum : s->currency);
		if (v) {
			if (key == 'c')
				snprintf(s->cutoff, sizeof s->cutoff, "%s", v);
			else if (key == 'm')
				snprintf(s->minimum, sizeof s->minimum, "%s", v);
			else
				snprintf(s->currency, sizeof s->currency, "%s", v);
			free(v);
			payout_load(ui, s);
		}
		return true;
	}
	if (key == 'l') {
		s->by_line = !s->by_line;
		return true;
	}
	if (key == 'b') {
		ui_push(ui, &screen_batches, NULL);
		return true;
	}
	if (act == ACT_PAYOUT) {
		run(ui, s);
		return true;
	}
	return table_key(s->by_line ? &s->lines : &s->payees, act, key);
}

static const struct screen_key screen_payout_keys[] = {
	SK_RAW("c", "the cutoff date: lines earned up to that day", PERM__COUNT),
	SK_RAW("m", "the minimum a payee must reach", PERM__COUNT),
	SK_RAW("u", "the currency the batch pays", PERM__COUNT),
	SK_RAW("l", "the lines instead of the payees (again: back)", PERM__COUNT),
	SK(ACT_PAYOUT, "run: type the checksum shown to write the batch", PERM_COMMISSION_WRITE),
	SK_RAW("b", "the batches written: their lines and files", PERM_COMMISSION_READ),
	SK_LIST,
	SK_END
};

static struct table *
screen_payout_list(void *st)
{
	struct payout_screen *s = st;

	return s->by_line ? &s->lines : &s->payees;
}

static bool
screen_payout_typing(void *st)
{
	const struct payout_screen *s = st;

	return s->payees.filtering || s->lines.filtering;
}

const struct screen_ops screen_payout = {
	.name = "Payout",
	.open = payout_open,
	.close = payout_close,
	.load = payout_load,
	.draw = payout_draw,
	.key = payout_key,
	.keys = screen_payout_keys,
	.typing = screen_payout_typing,
	.list = screen_payout_list,
};
