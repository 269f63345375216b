/*
 * outbox.c - the Outbox tab: every message ally queued (invitations,
 * statements) with its state, recipient, subject, attempts, next attempt
 * and last error; f steps through the states, Enter shows one message
 * with the error of each attempt, R queues failed messages again (admins)
 * and m starts a sender.
 *
 * Rows come from app_mail_list, the same description "ally mail list"
 * prints, which never carries a body.  Nothing here talks SMTP: sending
 * is "ally mail send" in the background (ui_mail_send); the loop reloads
 * the list when the sender commits.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app/outbox.h"
#include "core/alloc.h"
#include "core/utf8.h"
#include "ui/screens/common.h"
#include "ui/text.h"
#include "ui/widgets/dialog.h"
#include "ui/widgets/table.h"

static const char *const states[] = { "queued", "sending", "sent", "failed" };
#define NSTATES (sizeof states / sizeof states[0])

struct outbox {
	struct table t;
	int state;                      /* index in states; -1: all */
	unsigned count[NSTATES];
};

static const struct table_colspec cols[] = {
	{ "id", "Id", 6, COL_LOW, 0 }, { "state", "State", 7, COL_NORMAL, 0 }, { "to", "To", 26, COL_KEEP, 0 },
	{ "subject", "Subject", 30, COL_NORMAL, 0 }, { "attempts", "Tries", 5, COL_LOW, 0 },
	{ "next", "Next attempt", 16, COL_LOW, 0 }, { "last_error", "Last error", 60, COL_NORMAL, 0 },
};

static void *
outbox_open(struct ui *ui, const void *arg)
{
	struct outbox *s = xcalloc(1, sizeof *s);

	(void)ui;
	(void)arg;
	table_init(&s->t, cols, sizeof cols / sizeof cols[0]);
	s->t.empty = "No mail. Invitations (Partners, i) and statements queue here.";
	s->state = -1;
	return s;
}

static void
outbox_close(void *st)
{
	struct outbox *s = st;

	table_free(&s->t);
	free(s);
}

static const char *
cell_str(const struct row *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->c[i].name, name) == 0)
			return r->c[i].s;
	return NULL;
}

/* Count every state; keep the rows of the one shown. */
static enum status
outbox_row(void *ctx, const struct row *r)
{
	struct outbox *s = ctx;
	const char *state = cell_str(r, "state");
	size_t i;

	for (i = 0; state && i < NSTATES; i++)
		if (strcmp(state, states[i]) == 0)
			s->count[i]++;
	if (s->state >= 0 && (state == NULL || strcmp(state, states[s->state]) != 0))
		return ST_OK;
	if (state != NULL && strcmp(state, "sent") == 0) {
		/* an error before the success is history (Enter shows it), not
		 * something to act on */
		struct row rr = *r;
		for (i = 0; i < rr.n; i++)
			if (strcmp(rr.c[i].name, "last_error") == 0)
				rr.c[i].s = NULL;
		return table_add(&s->t, &rr);
	}
	return table_add(&s->t, r);
}

static void
outbox_load(struct ui *ui, void *st)
{
	struct outbox *s = st;
	struct err e;

	err_clear(&e);
	memset(s->count, 0, sizeof s->count);
	table_begin(&s->t);
	if (app_mail_list(ui_app(ui), NULL, outbox_row, s, &e) != ST_OK)
		ui_message(ui, CR_ERROR, "%s", e.msg);
	table_end(&s->t);
}

static void
outbox_draw(struct ui *ui, void *st, int y, int rows)
{
	struct outbox *s = st;
	char *title;

	title = xasprintf("Outbox: %s  %u queued  %u sending  %u sent  %u failed",
	    s->state < 0 ? "all" : states[s->state], s->count[0], s->count[1], s->count[2],
	    s->count[3]);
	ui_title(ui, y, title, ui_mail_sending(ui) ? "sending..." :
	    ui_may(ui, PERM_MAIL_SEND) ? "f state  R retry  m send" : "f state  Enter detail");
	free(title);
	table_draw(ui, &s->t, y + 1, rows - 1);
}

/* ---- detail ---- */

struct detail {
	const char *id;
	struct sbuf *b;
	int width;              /* of the text, for wrapping */
	bool found;
};

/* Visible text (escaped, no newline) after `lead`, wrapped to width
 * display columns, at a blank when there is one; later lines indented
 * like the first one's text. */
static void
add_wrapped(struct sbuf *b, const char *lead, const char *vis, int width)
{
	size_t indent = utf8_width(lead), w, n;
	const char *p = vis;

	w = (int)indent + 10 < width ? (size_t)width - indent : 10;
	sbuf_add(b, lead);
	for (;;) {
		n = utf8_prefix_for_width(p, w);
		if (p[n] != '\0') {
			size_t k = n;
			while (k > 0 && p[k - 1] != ' ')
				k--;
			if (k > 0)
				n = k;
			else if (n == 0)
				n = 1;
		}
		sbuf_addn(b, p, n);
		sbuf_add(b, "\n");
		p += n;
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		sbuf_addf(b, "%*s", (int)indent, "");
	}
}

static enum status
detail_row(void *ctx, const struct row *r)
{
	struct detail *d = ctx;
	const char *id = cell_str(r, "id"), *errors = NULL;
	size_t i;

	if (id == NULL || strcmp(id, d->id) != 0)
		return ST_OK;
	d->found = true;
	for (i = 0; i < r->n; i++) {
		const struct cell *c = &r->c[i];
		char *v;
		if (strcmp(c->name, "errors") == 0) {
			errors = c->s;
			continue;
		}
		/* one line per field: a newline in stored text stays visible */
		v = c->type == CELL_STR ? str_visible(c->s ? c->s : "") : ui_cell_text(c);
		if (v[0] != '\0' && strcmp(v, "0") != 0) {
			char lead[32];
			snprintf(lead, sizeof lead, "  %-12s ", c->name);
			add_wrapped(d->b, lead, v, d->width);
		}
		free(v);
	}
	sbuf_add(d->b, "\nAttempts that failed (time, attempt, error)\n");
	if (errors == NULL || errors[0] == '\0') {
		sbuf_add(d->b, "  none\n");
	} else {
		/* "TIME #N: why" lines: each shown, escaped, on its own */
		const char *p = errors;
		while (*p) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			char *line = xstrndup(p, n), *v = str_visible(line);
			add_wrapped(d->b, "  ", v, d->width);
			free(v);
			free(line);
			p += n + (nl != NULL);
		}
	}
	return ST_OK;
}

static void
outbox_detail(struct ui *ui, struct outbox *s)
{
	struct sbuf b;
	struct err e;
	char id[24], *title;
	struct detail d = { id, &b, ui_cols(ui) - 4, false };

	snprintf(id, sizeof id, "%s", table_current(&s->t));
	sbuf_init(&b);
	err_clear(&e);
	if (app_mail_list(ui_app(ui), NULL, detail_row, &d, &e) != ST_OK) {
		ui_message(ui, CR_ERROR, "%s", e.msg);
	} else if (!d.found) {
		ui_message(ui, CR_WARNING, "%s is gone", id);
	} else {
		title = xasprintf("Mail %s", id);
		ui_show_text(ui, title, sbuf_str(&b));
		free(title);
	}
	sbuf_free(&b);
}

/* ---- retry, send ---- */

static void
outbox_retry(struct ui *ui, struct outbox *s)
{
	size_t n, i, done = 0;
	const char **ids = table_selection(&s->t, &n);
	char *q, why[160];
	struct err e;
	uint64_t id;
	bool failed = false, sending;

	if (n == 0) {
		free(ids);
		return;
	}
	q = n == 1 ? xasprintf("Send %s again, with a fresh count of attempts?", ids[0]) :
	    xasprintf("Send %zu messages again, with a fresh count of attempts?", n);
	if (!ui_confirm(ui, q)) {
		free(q);
		free(ids);
		return;
	}
	free(q);
	for (i = 0; i < n && !failed; i++) {
		err_clear(&e);
		if (app_mail_retry(ui_app(ui), ids[i], &id, &e) == ST_OK)
			done++;
		else {
			screen_report(ui, e.st, &e, NULL);
			failed = true;
		}
	}
	free(ids);
	if (done > 0) {
		sending = ui_mail_send(ui, why, sizeof why);
		if (!failed)
			ui_message(ui, CR_OK, "%zu message%s queued again%s", done,
			    done == 1 ? "" : "s", sending ? ", sending" : "");
	}
	ui_reload(ui);
}

static void
outbox_send(struct ui *ui)
{
	char why[160];

	if (ui_mail_send(ui, why, sizeof why))
		ui_message(ui, CR_OK, "ally mail send started in the background");
	else
		ui_message(ui, CR_WARNING, "%s", why);
}

static bool
outbox_key(struct ui *ui, void *st, enum action act, int key)
{
	struct outbox *s = st;

	if (table_key(&s->t, act, key))
		return true;
	switch (act) {
	case ACT_OPEN:      if (s->t.nview) outbox_detail(ui, s); break;
	case ACT_RETRY:     if (s->t.nview) outbox_retry(ui, s); break;
	case ACT_SEND_MAIL: outbox_send(ui); break;
	case ACT_STATUS:
		s->state = s->state + 1 >= (int)NSTATES ? -1 : s->state + 1;
		outbox_load(ui, s);
		break;
	default:
		return false;
	}
	return true;
}

static const struct screen_key screen_outbox_keys[] = {
	SK(ACT_RETRY, "send the marked (or selected) mail again", PERM_MAIL_SEND),
	SK(ACT_SEND_MAIL, "start ally mail send in the background", PERM_MAIL_SEND),
	SK_ANY(ACT_STATUS, "cycle the state filter"),
	SK_ANY(ACT_OPEN, "the message's detail and every attempt"),
	SK_LIST,
	SK_MARKS,
	SK_END
};

static struct table *
screen_outbox_list(void *st)
{
	return &((struct outbox *)st)->t;
}

static bool
screen_outbox_typing(void *st)
{
	return ((struct outbox *)st)->t.filtering;
}

const struct screen_ops screen_outbox = {
	.name = "Outbox",
	.open = outbox_open,
	.close = outbox_close,
	.load = outbox_load,
	.draw = outbox_draw,
	.key = outbox_key,
	.keys = screen_outbox_keys,
	.typing = screen_outbox_typing,
	.list = screen_outbox_list,
};
