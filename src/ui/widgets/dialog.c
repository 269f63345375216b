/*
 * dialog.c - confirm, prompt, choose, and the text pager used for
 * detail panes (record fields, explanations, timelines in text).
 */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "ui/script.h"
#include "ui/text.h"
#include "ui/widgets/dialog.h"
#include "ui/widgets/edit.h"

void
ui_box(struct ui *ui, int w, int h, const char *title, int *y, int *x)
{
	bool a = ui_text_ascii();
	const char *hz = a ? "-" : "\xe2\x94\x80", *vt = a ? "|" : "\xe2\x94\x82";
	const char *c[4] = { a ? "+" : "\xe2\x94\x8c", a ? "+" : "\xe2\x94\x90",
		a ? "+" : "\xe2\x94\x94", a ? "+" : "\xe2\x94\x98" };
	int cols = ui_cols(ui), lines = ui_lines(ui), y0, x0, i, j;

	if (w > cols - 2)
		w = cols - 2;
	if (h > lines - 4)
		h = lines - 4;
	y0 = (lines - h - 2) / 2;
	x0 = (cols - w - 2) / 2;
	attrset((attr_t)theme_attr(CR_BORDER));
	for (i = 0; i < h + 2; i++) {
		move(y0 + i, x0);
		for (j = 0; j < w + 2; j++) {
			const char *g = " ";
			if (i == 0 || i == h + 1)
				g = j == 0 ? c[i ? 2 : 0] : j == w + 1 ? c[i ? 3 : 1] : hz;
			else if (j == 0 || j == w + 1)
				g = vt;
			if (g[0] == ' ')
				attrset(A_NORMAL);
			addstr(g);
			attrset((attr_t)theme_attr(CR_BORDER));
		}
	}
	attrset(A_NORMAL);
	if (title) {
		char *t = xasprintf(" %s ", title);
		ui_put(ui, y0, x0 + 2, (int)ui_width(t) < w - 2 ? (int)ui_width(t) : w - 2, t, CR_TITLE);
		free(t);
	}
	*y = y0 + 1;
	*x = x0 + 1;
}

/* The question wrapped to the terminal (never cut: a confirmation must be
 * read whole), at most 8 lines; its lines into lines[], the count back. */
static int
confirm_lines(struct ui *ui, const char *q, char lines[8][256], int *w)
{
	struct sbuf b;
	const char *p;
	int n, i, width = ui_cols(ui) - 8;

	sbuf_init(&b);
	n = ui_wrap(&b, q, (size_t)(width > 20 ? width : 20), 8);
	p = sbuf_str(&b);
	*w = 40;
	for (i = 0; i < n; i++) {
		size_t len = strcspn(p, "\n");
		snprintf(lines[i], 256, "%.*s", (int)len, p);
		if ((int)ui_width(lines[i]) + 4 > *w)
			*w = (int)ui_width(lines[i]) + 4;
		p += len + (p[len] ? 1 : 0);
	}
	sbuf_free(&b);
	return n > 0 ? n : 1;
}

bool
ui_confirm(struct ui *ui, const char *question)
{
	int y, x, key, w, n, i;
	char *q = ui_text(question);
	char lines[8][256] = { "" };

	n = confirm_lines(ui, q, lines, &w);
	for (;;) {
		ui_draw(ui);
		if (ui_big_enough(ui)) {
			ui_box(ui, w, n + 2, "Confirm", &y, &x);
			for (i = 0; i < n; i++)
				ui_put(ui, y + i, x + 1, w - 2, lines[i], CR_NORMAL);
			ui_put(ui, y + n + 1, x + 1, w - 2, "y yes    n no", CR_DIM);
		}
		ui_flush(ui);
		key = ui_getkey(ui);
		if (key == 'y' || key == 'Y') {
			free(q);
			return true;
		}
		if (key == 'n' || key == 'N' || key == 'q' || key == UI_ESC || key == UI_KEY_EOF) {
			free(q);
			return false;
		}
	}
}

char *
ui_prompt(struct ui *ui, const char *question, const char *initial)
{
	struct edit ed;
	int y, x, key, w;
	char *q = ui_text(question);

	edit_set(&ed, initial);
	w = ui_cols(ui) - 10 > 70 ? 70 : ui_cols(ui) - 10;
	for (;;) {
		ui_draw(ui);
		if (ui_big_enough(ui)) {
			ui_box(ui, w, 4, "Prompt", &y, &x);
			ui_put(ui, y, x + 1, w - 2, q, CR_NORMAL);
			ui_put(ui, y + 3, x + 1, w - 2, "Enter accepts    Esc cancels", CR_DIM);
			edit_draw(ui, &ed, y + 1, x + 1, w - 2, true, CR_FIELD_ACTIVE);
		}
		ui_flush(ui);
		key = ui_getkey(ui);
		if (key == UI_ESC || key == UI_KEY_EOF) {
			free(q);
			return NULL;
		}
		if (key == '\n' || key == '\r' || key == UI_FN(KEY_ENTER)) {
			free(q);
			return xstrdup(ed.buf);
		}
		edit_key(&ed, key);
	}
}

int
ui_choose(struct ui *ui, const char *question, const char *const *items, size_t n, size_t cur)
{
	int y, x, key, w = 50, h;
	size_t i, top = 0;
	enum action act;

	if (n == 0)
		return -1;
	if (cur >= n)
		cur = 0;
	h = (int)n + 2 > 16 ? 16 : (int)n + 2;
	for (;;) {
		int shown = h - 2;
		ui_draw(ui);
		if (cur < top)
			top = cur;
		if (cur >= top + (size_t)shown)
			top = cur - (size_t)shown + 1;
		if (ui_big_enough(ui)) {
			ui_box(ui, w, h, question, &y, &x);
			for (i = 0; i < (size_t)shown && top + i < n; i++)
				ui_put_text(ui, y + (int)i, x + 1, w - 2, items[top + i],
				    top + i == cur ? CR_SELECTED : CR_NORMAL);
			ui_put(ui, y + h - 1, x + 1, w - 2, "Enter picks    Esc cancels", CR_DIM);
		}
		ui_flush(ui);
		key = ui_getkey(ui);
		act = keymap_lookup(key);
		if (key == UI_ESC || key == 'q' || key == UI_KEY_EOF)
			return -1;
		if (act == ACT_OPEN)
			return (int)cur;
		if (act == ACT_UP && cur > 0)
			cur--;
		else if (act == ACT_DOWN && cur + 1 < n)
			cur++;
		else if (act == ACT_TOP)
			cur = 0;
		else if (act == ACT_BOTTOM)
			cur = n - 1;
	}
}

/* ---- the text pager ---- */

struct pager {
	char *title;
	char **lines;
	size_t n;
	size_t top;
	int page;
	const enum action *pass;        /* keys for the list under (ACT_NONE ends) */
	const char *hint;
};

struct pager_arg {
	const char *title;
	const char *text;
	const enum action *pass;
	const char *hint;
};

static void
pager_add(struct pager *p, char *safe)
{
	p->lines = xrealloc(p->lines, (p->n + 1) * sizeof *p->lines);
	p->lines[p->n++] = safe;
}

/* One line of the text, wrapped at blanks to the width: nothing is cut;
 * continued lines are indented under the first one's text. */
static void
pager_add_wrapped(struct pager *p, const char *raw, size_t w)
{
	char *safe = ui_text(raw);
	size_t lead = strspn(safe, " "), i;
	struct sbuf b;
	const char *q;
	int n, k;

	if (ui_width(safe) <= w || lead + 12 >= w) {
		pager_add(p, safe);
		return;
	}
	sbuf_init(&b);
	n = ui_wrap(&b, safe + lead, w - lead - 2, 64);
	q = sbuf_str(&b);
	for (k = 0; k < n; k++) {
		size_t len = strcspn(q, "\n");
		struct sbuf line;
		sbuf_init(&line);
		for (i = 0; i < lead + (k ? 2 : 0); i++)
			sbuf_add(&line, " ");
		sbuf_addn(&line, q, len);
		pager_add(p, xstrdup(sbuf_str(&line)));
		sbuf_free(&line);
		q += len + (q[len] ? 1 : 0);
	}
	sbuf_free(&b);
	free(safe);
}

static void *
pager_open(struct ui *ui, const void *arg)
{
	const struct pager_arg *a = arg;
	struct pager *p = xcalloc(1, sizeof *p);
	const char *s = a->text, *nl;

	p->title = ui_text(a->title);
	p->pass = a->pass;
	p->hint = a->hint;
	while (*s) {
		char *raw;
		nl = strchr(s, '\n');
		raw = nl ? xstrndup(s, (size_t)(nl - s)) : xstrdup(s);
		/* tabs inside a line are kept as a few blanks, not \t */
		{
			char *q;
			for (q = raw; *q; q++)
				if (*q == '\t')
					*q = ' ';
		}
		pager_add_wrapped(p, raw, (size_t)(ui_cols(ui) > 12 ? ui_cols(ui) - 2 : 10));
		free(raw);
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	return p;
}

static void
pager_close(void *st)
{
	struct pager *p = st;
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->lines[i]);
	free(p->lines);
	free(p->title);
	free(p);
}

static void
pager_draw(struct ui *ui, void *st, int y0, int rows)
{
	struct pager *p = st;
	char info[64];
	int i;

	p->page = rows - 1;
	if (p->n > (size_t)p->page && p->top > p->n - (size_t)p->page)
		p->top = p->n - (size_t)p->page;
	if (p->n <= (size_t)p->page)
		p->top = 0;
	snprintf(info, sizeof info, "%s%s%zu-%zu of %zu  q back", p->hint ? p->hint : "",
	    p->hint ? "  " : "", p->n ? p->top + 1 : 0,
	    p->top + (size_t)p->page < p->n ? p->top + (size_t)p->page : p->n, p->n);
	ui_title(ui, y0, p->title, info);
	for (i = 0; i < p->page && p->top + (size_t)i < p->n; i++)
		ui_put(ui, y0 + 1 + i, 1, ui_cols(ui) - 2, p->lines[p->top + (size_t)i], CR_NORMAL);
}

static bool
pager_key(struct ui *ui, void *st, enum action act, int key)
{
	struct pager *p = st;
	size_t page = p->page > 1 ? (size_t)p->page - 1 : 1;
	const enum action *a;

	for (a = p->pass; a && *a != ACT_NONE; a++) {
		if (*a == act || keymap_bound(key, *a)) {
			/* an action on the record shown: the list under has the
			 * cursor on it and does it (p is freed by the pop) */
			ui_pop(ui);
			ui_repost_key(ui, key);
			return true;
		}
	}
	switch (act) {
	case ACT_DOWN:      p->top++; break;
	case ACT_UP:        if (p->top > 0) p->top--; break;
	case ACT_PAGE_DOWN: p->top += page; break;
	case ACT_PAGE_UP:   p->top = p->top > page ? p->top - page : 0; break;
	case ACT_TOP:       p->top = 0; break;
	case ACT_BOTTOM:    p->top = p->n; break;
	default:            return false;
	}
	return true;
}

static const struct screen_ops screen_pager = {
	.name = "Detail",
	.open = pager_open,
	.close = pager_close,
	.draw = pager_draw,
	.key = pager_key,
};

void
ui_show_text(struct ui *ui, const char *title, const char *text)
{
	struct pager_arg a = { title, text, NULL, NULL };

	ui_push(ui, &screen_pager, &a);
}

void
ui_show_record(struct ui *ui, const char *title, const char *text, const enum action *pass,
    const char *hint)
{
	struct pager_arg a = { title, text, pass, hint };

	ui_push(ui, &screen_pager, &a);
}
