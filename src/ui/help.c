/*
 * help.c - the help screen and the message log.
 *
 * Help is made from the action table (action.h) and the screen's own key
 * table (screen_ops.keys): first what this screen offers, with the text it
 * means here, leaving out what the session's role may not do; then the
 * keys that work everywhere.  A screen without a table (a form, a pager)
 * lists every action as before.  The portal shows only its own actions.
 * The message log shows the status line's last messages whole, wrapped.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "ui/shell.h"
#include "ui/text.h"

/* the keys that do the same on every screen */
static const enum action global_acts[] = {
	ACT_QUIT, ACT_BACK, ACT_HELP, ACT_MESSAGES, ACT_REDRAW, ACT_TAB1, ACT_TAB2, ACT_TAB3,
	ACT_TAB4, ACT_TAB5, ACT_TAB6, ACT_TAB7, ACT_TAB8, ACT_TAB9, ACT_NEXT_TAB, ACT_PREV_TAB,
	ACT_UP, ACT_DOWN, ACT_PAGE_UP, ACT_PAGE_DOWN, ACT_TOP, ACT_BOTTOM,
};

struct hline {
	enum action act;        /* ACT_NONE: a heading, or a key of the screen's own */
	const char *key;        /* that key, or NULL for a heading */
	const char *text;       /* the help, or the heading */
};

struct help {
	struct hline *lines;
	int n;
	int scroll;
	bool portal;
};

static void
add(struct help *h, enum action a, const char *key, const char *text)
{
	h->lines = xrealloc(h->lines, (size_t)(h->n + 1) * sizeof *h->lines);
	h->lines[h->n++] = (struct hline){ a, key, text };
}

static void
add_screen(struct ui *ui, struct help *h, const struct screen_ops *under)
{
	const struct screen_key *k;
	char *title = xasprintf("%s: keys of this screen", under->name);

	add(h, ACT_NONE, NULL, title);
	for (k = under->keys; k->act != ACT_NONE || k->key; k++) {
		if (!ui_may(ui, k->perm))
			continue;       /* not offered to this role */
		add(h, k->act, k->key, k->help ? k->help : action_help(k->act, false));
	}
}

static void *
help_open(struct ui *ui, const void *arg)
{
	const struct screen_ops *under = arg;
	struct help *h = xcalloc(1, sizeof *h);
	size_t i;
	int a;

	h->portal = ui_is_portal(ui);
	if (h->portal || under == NULL || under->keys == NULL) {
		for (a = 1; a < ACT__COUNT; a++)
			if (action_help((enum action)a, h->portal) != NULL)
				add(h, (enum action)a, NULL, action_help((enum action)a, h->portal));
		return h;
	}
	add_screen(ui, h, under);
	add(h, ACT_NONE, NULL, "");
	add(h, ACT_NONE, NULL, xstrdup("Everywhere"));
	for (i = 0; i < sizeof global_acts / sizeof global_acts[0]; i++)
		add(h, global_acts[i], NULL, action_help(global_acts[i], false));
	return h;
}

static void
help_close(void *st)
{
	struct help *h = st;
	int i;

	for (i = 0; i < h->n; i++)
		if (h->lines[i].act == ACT_NONE && h->lines[i].key == NULL && h->lines[i].text[0])
			free((char *)h->lines[i].text);
	free(h->lines);
	free(h);
}

static void
help_draw(struct ui *ui, void *st, int y0, int rows)
{
	struct help *h = st;
	int i, y = y0 + 1, x = h->portal ? 16 : 31, w = ui_cols(ui);
	char keys[64];

	ui_title(ui, y0, "Help: keys", "q back");
	/* clamp first: G (bottom) must show the last page at once */
	if (h->scroll > h->n - (rows - 1))
		h->scroll = h->n - (rows - 1) > 0 ? h->n - (rows - 1) : 0;
	for (i = h->scroll; i < h->n && y < y0 + rows; i++, y++) {
		const struct hline *l = &h->lines[i];
		if (l->act == ACT_NONE && l->key == NULL) {
			ui_put(ui, y, 1, w - 2, l->text, CR_TITLE);
			continue;
		}
		if (l->act == ACT_NONE)
			snprintf(keys, sizeof keys, "%s", l->key);
		else
			keymap_keys(l->act, keys, sizeof keys);
		ui_put(ui, y, 1, 14, keys[0] ? keys : "(none)", CR_HEADER);
		if (!h->portal && l->act != ACT_NONE)
			ui_put(ui, y, 16, 14, action_info(l->act)->name, CR_DIM);
		ui_put(ui, y, x, w - x - 1, l->text, CR_NORMAL);
	}
}

static bool
help_key(struct ui *ui, void *st, enum action act, int key)
{
	struct help *h = st;

	(void)ui;
	(void)key;
	if (act == ACT_DOWN || act == ACT_PAGE_DOWN)
		h->scroll += act == ACT_DOWN ? 1 : 10;
	else if (act == ACT_UP || act == ACT_PAGE_UP)
		h->scroll -= act == ACT_UP ? 1 : 10;
	else if (act == ACT_TOP)
		h->scroll = 0;
	else if (act == ACT_BOTTOM)
		h->scroll = h->n;
	else
		return false;
	if (h->scroll < 0)
		h->scroll = 0;
	return true;
}

static const struct screen_ops screen_help = {
	.name = "Help",
	.open = help_open,
	.close = help_close,
	.draw = help_draw,
	.key = help_key,
};

void
ui_help_open(struct ui *ui, const struct screen_ops *under)
{
	ui_push(ui, &screen_help, under);
}

/* ---- the message log (M) ---- */

struct messages {
	int scroll;
};

static void *
messages_open(struct ui *ui, const void *arg)
{
	(void)ui;
	(void)arg;
	return xcalloc(1, sizeof(struct messages));
}

static void
messages_close(void *st)
{
	free(st);
}

/* The last messages, newest first, each wrapped whole over as many lines
 * as it needs: what the status line had to cut can be read here. */
static void
messages_draw(struct ui *ui, void *st, int y0, int rows)
{
	struct messages *m = st;
	struct sbuf b, line;
	int i, k, n, y = y0 + 1, skip = m->scroll, w = ui_cols(ui) - 4;
	enum color_role r = CR_NORMAL;
	const char *msg;

	sbuf_init(&b);
	sbuf_init(&line);
	ui_title(ui, y0, "Messages, newest first", "q back");
	if (ui_message_log(ui, 0, NULL) == NULL)
		ui_put(ui, y, 2, w, "No messages yet.", CR_DIM);
	for (i = 0; (msg = ui_message_log(ui, i, &r)) != NULL && y < y0 + rows; i++) {
		const char *p;
		if (r != CR_ERROR && r != CR_WARNING)
			r = CR_NORMAL;
		n = ui_wrap(&b, msg, (size_t)w, 16);
		p = sbuf_str(&b);
		for (k = 0; k < n && y < y0 + rows; k++) {
			size_t len = strcspn(p, "\n");
			if (skip > 0) {
				skip--;
			} else {
				sbuf_reset(&line);
				sbuf_addn(&line, p, len);
				ui_put(ui, y++, k ? 4 : 2, w - (k ? 2 : 0), sbuf_str(&line), r);
			}
			p += len + (p[len] ? 1 : 0);
		}
	}
	sbuf_free(&line);
	sbuf_free(&b);
}

static bool
messages_key(struct ui *ui, void *st, enum action act, int key)
{
	struct messages *m = st;

	(void)ui;
	(void)key;
	if (act == ACT_DOWN)
		m->scroll++;
	else if (act == ACT_UP && m->scroll > 0)
		m->scroll--;
	else if (act == ACT_TOP)
		m->scroll = 0;
	else
		return false;
	return true;
}

const struct screen_ops screen_messages = {
	.name = "Messages",
	.open = messages_open,
	.close = messages_close,
	.draw = messages_draw,
	.key = messages_key,
};
