/*
 * picker.c - type-ahead pickers (picker.h): a list of names loaded once
 * per picker, matched word by word against what is typed.
 */
#include "config.h"

#include <ctype.h>
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/io.h"
#include "core/alloc.h"
#include "core/fold.h"
#include "core/str.h"
#include "ui/script.h"
#include "ui/text.h"
#include "ui/widgets/dialog.h"
#include "ui/widgets/edit.h"
#include "ui/widgets/picker.h"

const char *
pick_what(enum kind k)
{
	return k == KIND_PROGRAM ? "program" : k == KIND_PARTNER ? "partner" :
	    k == KIND_TIER ? "tier" : k == KIND_USER ? "user" : kind_name(k);
}

static char *
folded(const char *s)
{
	struct fold_words w;
	struct sbuf b;
	size_t i;
	char *out;

	fold_words(s, &w);
	sbuf_init(&b);
	sbuf_add(&b, "");
	for (i = 0; i < w.n; i++) {
		if (i)
			sbuf_add(&b, " ");
		sbuf_add(&b, w.w[i]);
	}
	out = xstrdup(sbuf_str(&b));
	sbuf_free(&b);
	return out;
}

static enum status
pick_row(void *ctx, const struct row *r)
{
	struct pick_list *l = ctx;
	const char *name = NULL, *id = NULL;
	struct pick_item *it;
	char *raw;
	size_t i;

	for (i = 0; i < r->n; i++) {
		if (strcmp(r->c[i].name, "id") == 0)
			id = r->c[i].s;
		else if (strcmp(r->c[i].name, l->kind == KIND_USER ? "login" : "name") == 0)
			name = r->c[i].s;
	}
	if (name == NULL || id == NULL)
		return ST_OK;
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	it = &l->v[l->n++];
	it->name = xstrdup(name);
	it->folded = folded(name);
	snprintf(it->id, sizeof it->id, "%s", id);
	raw = xasprintf("%s  %s", name, id);
	it->label = ui_text(raw);
	free(raw);
	return ST_OK;
}

bool
pick_load(struct ui *ui, enum kind k, struct pick_list *out)
{
	struct list_filter f = { 0 };
	struct err e;

	memset(out, 0, sizeof *out);
	out->kind = k;
	err_clear(&e);
	if (app_list(ui_app(ui), k, &f, pick_row, out, &e) != ST_OK) {
		ui_message(ui, CR_ERROR, "%s", e.msg);
		return false;
	}
	return true;
}

void
pick_free(struct pick_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].folded);
		free(l->v[i].label);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Does a word of the folded name begin with w? */
static bool
has_word(const char *name, const char *w)
{
	size_t n = strlen(w);
	const char *p;

	for (p = name; *p; p++)
		if ((p == name || p[-1] == ' ') && strncmp(p, w, n) == 0)
			return true;
	return false;
}

/* q begins the id: "p3" and "3" both begin "P3" */
static bool
id_begins(const char *id, const char *q)
{
	size_t i;

	while (*id && isalpha((unsigned char)*id) && !isdigit((unsigned char)*q) &&
	    tolower((unsigned char)*id) == tolower((unsigned char)*q)) {
		id++;
		q++;
	}
	while (*id && isalpha((unsigned char)*id))
		id++;
	for (i = 0; q[i]; i++)
		if (id[i] != q[i])
			return false;
	return i > 0;
}

static bool
item_matches(const struct pick_item *it, const struct fold_words *w, const char *q)
{
	size_t i;

	if (id_begins(it->id, q))
		return true;
	for (i = 0; i < w->n; i++)
		if (!has_word(it->folded, w->w[i]))
			return false;
	return true;
}

size_t
pick_match(const struct pick_list *l, const char *q, size_t *out, size_t max)
{
	struct fold_words w;
	char *t = str_trim(q ? q : "");
	size_t i, n = 0;

	fold_words(t, &w);
	for (i = 0; i < l->n; i++) {
		if (t[0] && !item_matches(&l->v[i], &w, t))
			continue;
		if (n < max)
			out[n] = i;
		n++;
	}
	free(t);
	return n;
}

const struct pick_item *
pick_exact(const struct pick_list *l, const char *q)
{
	char *t = str_trim(q ? q : ""), *f = folded(t);
	const struct pick_item *hit = NULL;
	size_t i;

	for (i = 0; i < l->n && hit == NULL && t[0]; i++)
		if (strcmp(l->v[i].folded, f) == 0 || strcasecmp(l->v[i].id, t) == 0 ||
		    strcmp(l->v[i].name, t) == 0)
			hit = &l->v[i];
	free(f);
	free(t);
	return hit;
}

#define PICK_ROWS 10

static void
pick_draw(struct ui *ui, const char *q, const struct pick_list *l, const struct edit *ed,
    const size_t *m, size_t shown, size_t total, size_t cur, size_t top)
{
	int y, x, w = ui_cols(ui) - 10 > 60 ? 60 : ui_cols(ui) - 10, i;
	char foot[96];

	ui_box(ui, w, PICK_ROWS + 3, q, &y, &x);
	edit_draw(ui, ed, y, x + 1, w - 2, false, CR_FIELD_ACTIVE);
	for (i = 0; i < PICK_ROWS && top + (size_t)i < shown; i++)
		ui_put(ui, y + 1 + i, x + 1, w - 2, l->v[m[top + (size_t)i]].label,
		    top + (size_t)i == cur ? CR_SELECTED : CR_NORMAL);
	if (total == 0)
		snprintf(foot, sizeof foot, "no %s matches: type less", pick_what(l->kind));
	else if (total > shown)
		snprintf(foot, sizeof foot, "%zu of %zu  Enter picks  Esc cancels", shown, total);
	else
		snprintf(foot, sizeof foot, "%zu  Up/Down  Enter picks  Esc cancels", total);
	ui_put(ui, y + PICK_ROWS + 2, x + 1, w - 2, foot, total ? CR_DIM : CR_WARNING);
	edit_draw(ui, ed, y, x + 1, w - 2, true, CR_FIELD_ACTIVE);
}

#define PICK_MAX 500

char *
ui_pick(struct ui *ui, const char *question, enum kind k, const char *initial,
    bool allow_empty)
{
	struct pick_list l;
	struct edit ed;
	size_t *m = xcalloc(PICK_MAX, sizeof *m), total, shown, cur = 0, top = 0;
	char *q = ui_text(question), *out = NULL;
	int key;

	if (!pick_load(ui, k, &l)) {
		free(m);
		free(q);
		return NULL;
	}
	edit_set(&ed, initial ? initial : "");
	for (;;) {
		total = pick_match(&l, ed.buf, m, PICK_MAX);
		shown = total < PICK_MAX ? total : PICK_MAX;
		if (cur >= shown)
			cur = shown ? shown - 1 : 0;
		if (cur < top)
			top = cur;
		if (cur >= top + PICK_ROWS)
			top = cur - PICK_ROWS + 1;
		ui_draw(ui);
		if (ui_big_enough(ui))
			pick_draw(ui, q, &l, &ed, m, shown, total, cur, top);
		ui_flush(ui);
		key = ui_getkey(ui);
		if (key == UI_ESC || key == UI_KEY_EOF)
			break;
		if (key == '\n' || key == '\r' || key == UI_FN(KEY_ENTER)) {
			if (allow_empty && str_empty(ed.buf)) {
				out = xstrdup("");
				break;
			}
			if (shown > 0) {
				out = xstrdup(l.v[m[cur]].name);
				break;
			}
			continue;
		}
		if (key == UI_FN(KEY_UP)) {
			if (cur > 0)
				cur--;
		} else if (key == UI_FN(KEY_DOWN)) {
			if (cur + 1 < shown)
				cur++;
		} else if (key == UI_FN(KEY_PPAGE)) {
			cur = cur > PICK_ROWS ? cur - PICK_ROWS : 0;
		} else if (key == UI_FN(KEY_NPAGE)) {
			cur = cur + PICK_ROWS < shown ? cur + PICK_ROWS : shown ? shown - 1 : 0;
		} else if (edit_key(&ed, key)) {
			cur = top = 0;
		}
	}
	pick_free(&l);
	free(m);
	free(q);
	return out;
}
