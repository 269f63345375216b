/*
 * payout.c - the payout screen, pushed from Commissions with p: a preview
 * of every approved line up to a cutoff (per-payee totals, line ids, the
 * checksum), and a run that writes the batch only when the user types the
 * checksum shown, so what is paid is exactly what was reviewed.  A batch
 * pays one currency: the organisation's unless u names another.
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
#include "core/str.h"
#include "ui/screens/common.h"
#include "ui/text.h"
#include "ui/widgets/dialog.h"

struct payout_screen {
	char cutoff[16];
	char minimum[32];
	char currency[8];       /* "" = the organisation's */
	struct payout_preview p;
	bool have;
	char err[512];
	char **lines;           /* safe text of the preview */
	size_t n, top;
	int page;
};

static void
free_lines(struct payout_screen *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->lines[i]);
	free(s->lines);
	s->lines = NULL;
	s->n = 0;
}

static void
add_line(struct payout_screen *s, const char *raw)
{
	s->lines = xrealloc(s->lines, (s->n + 1) * sizeof *s->lines);
	s->lines[s->n++] = ui_text(raw);
}

static void *
payout_open(struct ui *ui, const void *arg)
{
	struct payout_screen *s = xcalloc(1, sizeof *s);

	(void)ui;
	(void)arg;
	date_format_day(clock_now(), s->cutoff);
	return s;
}

static void
payout_close(void *st)
{
	struct payout_screen *s = st;

	if (s->have)
		payout_preview_free(&s->p);
	free_lines(s);
	free(s);
}

static void
payout_load(struct ui *ui, void *st)
{
	struct payout_screen *s = st;
	struct payout_input in = { s->cutoff, NULL, s->minimum[0] ? s->minimum : NULL,
		s->currency[0] ? s->currency : NULL };
	const struct currency *cur;
	char m[MONEY_BUFSZ], line[512], id[24];
	struct err e;
	size_t i;

	if (s->have)
		payout_preview_free(&s->p);
	free_lines(s);
	memset(&s->p, 0, sizeof s->p);
	err_clear(&e);
	s->have = app_payout_preview(ui_app(ui), &in, &s->p, &e) == ST_OK;
	snprintf(s->err, sizeof s->err, "%s", s->have ? "" : e.msg);
	if (!s->have)
		return;
	cur = currency_find(s->p.currency);
	if (cur == NULL)
		cur = app_currency(ui_app(ui));
	snprintf(line, sizeof line, "%zu payees, %zu lines, total %s %s, checksum %s", s->p.ntotals,
	    s->p.nlines, money_format_human(s->p.total, cur, m), s->p.currency, s->p.checksum);
	add_line(s, line);
	add_line(s, "");
	/* 28 + 26 + 6 + 14 columns with spaces fit 80: amounts are never cut */
	add_line(s, "Payee                        E-mail                      Lines         Amount");
	for (i = 0; i < s->p.ntotals; i++) {
		const struct payout_total *t = &s->p.totals[i];
		/* cut by display width, never inside a character */
		char *payee = str_visible_fit(t->payee ? t->payee : "", 28);
		char *email = str_visible_fit(t->email ? t->email : "", 26);
		snprintf(line, sizeof line, "%s %s %6" PRId64 " %14s", payee, email, t->lines,
		    money_format_human(t->amount, cur, m));
		free(payee);
		free(email);
		add_line(s, line);
	}
	add_line(s, "");
	add_line(s, "Lines");
	for (i = 0; i < s->p.nlines; i++) {
		snprintf(line, sizeof line, "  %-10s %12s", app_id_str(KIND_COMMISSION,
		    s->p.lines[i].commission, id), money_format_human(s->p.lines[i].amount, cur, m));
		add_line(s, line);
	}
}

static void
payout_draw(struct ui *ui, void *st, int y0, int rows)
{
	struct payout_screen *s = st;
	char info[128];
	int i;

	snprintf(info, sizeof info, "cutoff %s%s%s%s%s  c cutoff  m minimum  u currency  p run", s->cutoff,
	    s->minimum[0] ? "  minimum " : "", s->minimum, s->currency[0] ? "  " : "", s->currency);
	ui_title(ui, y0, "Payout preview", info);
	if (!s->have) {
		ui_put_text(ui, y0 + 2, 2, ui_cols(ui) - 4, s->err, CR_ERROR);
		return;
	}
	s->page = rows - 1;
	if (s->n > (size_t)s->page && s->top > s->n - (size_t)s->page)
		s->top = s->n - (size_t)s->page;
	for (i = 0; i < s->page && s->top + (size_t)i < s->n; i++)
		ui_put(ui, y0 + 1 + i, 1, ui_cols(ui) - 2, s->lines[s->top + (size_t)i],
		    s->top + (size_t)i == 0 ? CR_TOTAL : CR_NORMAL);
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
	size_t page = s->page > 1 ? (size_t)s->page - 1 : 1;
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
	switch (act) {
	case ACT_PAYOUT:    run(ui, s); break;
	case ACT_DOWN:      s->top++; break;
	case ACT_UP:        if (s->top > 0) s->top--; break;
	case ACT_PAGE_DOWN: s->top += page; break;
	case ACT_PAGE_UP:   s->top = s->top > page ? s->top - page : 0; break;
	case ACT_TOP:       s->top = 0; break;
	case ACT_BOTTOM:    s->top = s->n; break;
	default:            return false;
	}
	return true;
}

const struct screen_ops screen_payout = {
	.name = "Payout",
	.open = payout_open,
	.close = payout_close,
	.load = payout_load,
	.draw = payout_draw,
	.key = payout_key,
};
