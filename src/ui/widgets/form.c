/*
 * form.c - the form widget.  Validation never writes: each field is
 * checked alone as it changes, and the whole record is checked again by
 * the app function at save time, so the form can only be more helpful
 * than the CLI, never more lenient.
 */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/alloc.h"
#include "core/date.h"
#include "domain/bonus.h"
#include "domain/email.h"
#include "domain/rule.h"
#include "ui/script.h"
#include "ui/text.h"
#include "ui/widgets/dialog.h"
#include "ui/widgets/form.h"
#include "ui/widgets/picker.h"

#define LABEL_W 18

void
form_set(struct form *f, size_t i, const char *value)
{
	edit_set(&f->fields[i].ed, value ? value : "");
	snprintf(f->fields[i].initial, sizeof f->fields[i].initial, "%s", f->fields[i].ed.buf);
}

const char *
form_value(const struct form *f, size_t i)
{
	return f->fields[i].ed.buf;
}

const char *
form_changed_value(const struct form *f, size_t i)
{
	return strcmp(f->fields[i].ed.buf, f->fields[i].initial) != 0 ? f->fields[i].ed.buf : NULL;
}

const char *
form_value_or_null(const struct form *f, size_t i)
{
	return f->fields[i].ed.len ? f->fields[i].ed.buf : NULL;
}

static bool
changed(const struct form *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->fields[i].ed.buf, f->fields[i].initial) != 0)
			return true;
	return false;
}

/* "key: why" -> "why" when key is the field's own. */
static void
set_err(struct field *fd, const char *msg)
{
	size_t k = strlen(fd->key);

	if (strncmp(msg, fd->key, k) == 0 && msg[k] == ':' && msg[k + 1] == ' ')
		msg += k + 2;
	snprintf(fd->err, sizeof fd->err, "%s", msg);
}

/* A pick field's value names one record (exactly, or as the only one it
 * matches), else it says how many match (Enter picks) or that none does. */
static void
pick_validate(struct field *fd)
{
	size_t m[3], n, i;
	int o;

	fd->note[0] = '\0';    /* a screen's change function may write its own */
	if (fd->list == NULL || pick_exact(fd->list, fd->ed.buf))
		return;
	n = pick_match(fd->list, fd->ed.buf, m, 3);
	if (n == 1) {           /* saving completes it (pick_complete) */
		snprintf(fd->note, sizeof fd->note, "= %s", fd->list->v[m[0]].name);
		fd->note_info = true;
		return;
	}
	if (n == 0) {
		snprintf(fd->err, sizeof fd->err, "no %s matches: type less", pick_what(fd->pick));
		return;
	}
	o = snprintf(fd->err, sizeof fd->err, "Enter picks: ");
	for (i = 0; i < n && i < 3 && o > 0 && (size_t)o < sizeof fd->err; i++)
		o += snprintf(fd->err + o, sizeof fd->err - (size_t)o, "%s%s", i ? ", " : "",
		    fd->list->v[m[i]].name);
	if (n > 3 && o > 0 && (size_t)o < sizeof fd->err)
		snprintf(fd->err + o, sizeof fd->err - (size_t)o, " and %zu more", n - 3);
}

static void
validate(struct form *f, struct field *fd)
{
	const char *v = fd->ed.buf;
	struct err e;
	size_t i;

	fd->err[0] = '\0';
	err_clear(&e);
	if (str_empty(v)) {
		if (fd->required)
			snprintf(fd->err, sizeof fd->err, "required");
		return;
	}
	switch (fd->type) {
	case FIELD_TEXT:
		break;
	case FIELD_EMAIL: {
		char *out = NULL;
		if (email_normalise(v, &out, fd->key, &e) != ST_OK)
			set_err(fd, e.msg);
		free(out);
		break;
	}
	case FIELD_MONEY: {
		int64_t m;
		if (money_parse(v, f->cur, false, &m, fd->key, &e) != ST_OK)
			set_err(fd, e.msg);
		break;
	}
	case FIELD_DATE: {
		int64_t t;
		if (date_parse_day(v, &t, fd->key, &e) != ST_OK)
			set_err(fd, e.msg);
		break;
	}
	case FIELD_INT: {
		int64_t n;
		if (app_int_field(v, 0, 100000, &n, fd->key, &e) != ST_OK)
			set_err(fd, e.msg);
		break;
	}
	case FIELD_CHOICE:
		for (i = 0; fd->choices && fd->choices[i]; i++)
			if (strcmp(fd->choices[i], v) == 0)
				return;
		snprintf(fd->err, sizeof fd->err, "pick one with Left/Right");
		break;
	case FIELD_RULE: {
		struct rule r;
		if (rule_parse(v, f->cur, &r, &e) != ST_OK)
			set_err(fd, e.msg);
		break;
	}
	case FIELD_PICK:
		pick_validate(fd);
		break;
	case FIELD_BONUS: {
		struct bonus b;
		if (bonus_parse(v, f->cur, &b, &e) != ST_OK)
			set_err(fd, e.msg);
		break;
	}
	}
}

static void
cycle_choice(struct field *fd, int d)
{
	size_t n = 0, i, at = 0;

	while (fd->choices && fd->choices[n])
		n++;
	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		if (strcmp(fd->choices[i], fd->ed.buf) == 0)
			at = i + 1;
	/* at: 1-based position, 0 when the value is not a choice */
	if (at == 0)
		at = d > 0 ? 1 : n;
	else
		at = (at - 1 + n + (size_t)(d > 0 ? 1 : n - 1)) % n + 1;
	edit_set(&fd->ed, fd->choices[at - 1]);
}

#define NOTE_LINES 3

/* A note made safe and wrapped into lines of w columns (see ui_wrap). */
static int
note_wrap(const char *raw, int w, struct sbuf *out)
{
	char *safe = ui_text(raw);
	int n = ui_wrap(out, safe, w > 0 ? (size_t)w : 1, NOTE_LINES);

	free(safe);
	return n;
}

/* Lines under a field: its error, the screen's note, else (focused) its
 * hint; vw is the width of the value column. */
static int
extra_lines(const struct field *fd, bool focus, int vw)
{
	int n = fd->err[0] ? 1 : 0;

	if (fd->note[0]) {
		struct sbuf b;
		sbuf_init(&b);
		n += note_wrap(fd->note, vw, &b);
		sbuf_free(&b);
	}
	return n ? n : focus && fd->hint ? 1 : 0;
}

/* An error under a field, from the value's column, or from further left
 * when it would not fit there. */
static void
put_error(struct ui *ui, int y, int vx, int vw, const char *raw)
{
	int cols = ui_cols(ui);
	char *m = xasprintf("! %s", raw);
	int ex = (int)strlen(m) > vw ? 4 : vx;

	ui_put_text(ui, y, ex, cols - ex - 1, m, CR_ERROR);
	free(m);
}

static void
draw(struct ui *ui, struct form *f)
{
	int y0 = 1, rows = ui_lines(ui) - 2, y, cols = ui_cols(ui), vx = LABEL_W + 3, vw;
	size_t i;
	int need = 0, skip = 0;

	for (y = y0; y < y0 + rows; y++)
		ui_clear_line(ui, y, 0, CR_NORMAL);
	ui_title(ui, y0, f->title, "C-s save  Esc cancel  Tab next field");
	vw = cols - vx - 2;
	/* scroll so the focused field and the lines under it show */
	for (i = 0; i <= f->focus && i < f->n; i++)
		need += 1 + extra_lines(&f->fields[i], i == f->focus, vw);
	if (need > rows - 4)
		skip = need - (rows - 4);
	y = y0 + 2 - skip;
	for (i = 0; i < f->n; i++) {
		struct field *fd = &f->fields[i];
		bool focus = i == f->focus;
		char label[64];
		snprintf(label, sizeof label, "%s%s", fd->label, fd->required ? " *" : "");
		if (y >= y0 + 2 && y < y0 + rows - 1) {
			ui_put_right(ui, y, 1, LABEL_W, label, focus ? CR_TITLE : CR_NORMAL);
			if (fd->type == FIELD_CHOICE) {
				char *v = xasprintf("< %s >", fd->ed.buf);
				char *sv = ui_text(v);
				ui_put(ui, y, vx, vw, sv, focus ? CR_FIELD_ACTIVE : CR_FIELD);
				free(sv);
				free(v);
			} else {
				edit_draw(ui, &fd->ed, y, vx, vw, false, focus ? CR_FIELD_ACTIVE : CR_FIELD);
			}
		}
		y++;
		if (fd->err[0]) {
			if (y >= y0 + 2 && y < y0 + rows - 1)
				put_error(ui, y, vx, vw, fd->err);
			y++;
		}
		if (fd->note[0]) {
			struct sbuf b;
			const char *line;
			int k, nl;
			sbuf_init(&b);
			nl = note_wrap(fd->note, vw, &b);
			line = sbuf_str(&b);
			for (k = 0; k < nl; k++, y++) {
				size_t len = strcspn(line, "\n");
				char *one = xstrndup(line, len);
				if (y >= y0 + 2 && y < y0 + rows - 1)
					ui_put(ui, y, vx, vw, one, fd->note_info ? CR_DIM : CR_WARNING);
				free(one);
				line += len + (line[len] ? 1 : 0);
			}
			sbuf_free(&b);
		}
		if (!fd->err[0] && !fd->note[0] && focus && fd->hint) {
			if (y >= y0 + 2 && y < y0 + rows - 1)
				ui_put(ui, y, vx, vw, fd->hint, CR_DIM);
			y++;
		}
	}
	if (f->msg[0])
		ui_put_text(ui, y0 + rows - 1, 1, cols - 2, f->msg, CR_ERROR);
	/* the terminal cursor on the focused text field */
	if (f->focus < f->n && f->fields[f->focus].type != FIELD_CHOICE) {
		int fy = y0 + 2 - skip;
		for (i = 0; i < f->focus; i++)
			fy += 1 + extra_lines(&f->fields[i], false, vw);
		if (fy >= y0 + 2 && fy < y0 + rows - 1)
			edit_draw(ui, &f->fields[f->focus].ed, fy, vx, vw, true, CR_FIELD_ACTIVE);
	}
}

/* Try to save: false (and a message) when the form is not ready or the
 * app refused. */
/* A pick field that matches one record only takes that record's name:
 * what the app resolves. */
static void
pick_complete(struct field *fd)
{
	size_t m[2];

	if (fd->type != FIELD_PICK || fd->list == NULL || str_empty(fd->ed.buf) ||
	    pick_exact(fd->list, fd->ed.buf))
		return;
	if (pick_match(fd->list, fd->ed.buf, m, 2) == 1)
		edit_set(&fd->ed, fd->list->v[m[0]].name);
}

static bool
try_save(struct ui *ui, struct form *f)
{
	struct err e;
	size_t i;

	for (i = 0; i < f->n; i++)
		pick_complete(&f->fields[i]);
	for (i = 0; i < f->n; i++)
		validate(f, &f->fields[i]);
	for (i = 0; i < f->n; i++) {
		if (f->fields[i].err[0]) {
			f->focus = i;
			snprintf(f->msg, sizeof f->msg, "%s: %s", f->fields[i].label, f->fields[i].err);
			return false;
		}
	}
	err_clear(&e);
	if (f->save(ui, f, f->ctx, &e) == ST_OK)
		return true;
	snprintf(f->msg, sizeof f->msg, "%s", e.msg[0] ? e.msg : status_str(e.st));
	for (i = 0; i < f->n; i++) {
		size_t k = strlen(f->fields[i].key);
		if (strncmp(e.msg, f->fields[i].key, k) == 0 && e.msg[k] == ':') {
			set_err(&f->fields[i], e.msg);
			f->focus = i;
			break;
		}
	}
	return false;
}

/* Enter on a pick field whose value names no record exactly: the picker,
 * from what was typed.  False when Enter should do what it does
 * elsewhere. */
static bool
pick_enter(struct ui *ui, struct form *f, struct field *fd)
{
	char *v;

	if (fd->type != FIELD_PICK || fd->list == NULL || pick_exact(fd->list, fd->ed.buf) ||
	    (str_empty(fd->ed.buf) && !fd->required))
		return false;
	v = ui_pick(ui, fd->label, fd->pick, fd->ed.buf, !fd->required);
	if (v != NULL) {
		edit_set(&fd->ed, v);
		free(v);
		validate(f, fd);
		if (f->change)
			f->change(ui, f, f->focus, f->ctx);
	}
	return true;
}

static bool form_loop(struct ui *ui, struct form *f);

bool
form_run(struct ui *ui, struct form *f)
{
	size_t i;
	bool saved;

	for (i = 0; i < f->n; i++) {
		struct field *fd = &f->fields[i];
		if (fd->type != FIELD_PICK)
			continue;
		fd->list = xcalloc(1, sizeof *fd->list);
		if (!pick_load(ui, fd->pick, fd->list)) {
			free(fd->list);
			fd->list = NULL;
		}
	}
	saved = form_loop(ui, f);
	for (i = 0; i < f->n; i++)
		if (f->fields[i].list) {
			pick_free(f->fields[i].list);
			free(f->fields[i].list);
			f->fields[i].list = NULL;
		}
	return saved;
}

static bool
form_loop(struct ui *ui, struct form *f)
{
	int key;
	enum action act;
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->fields[i].ed.len > 0)
			validate(f, &f->fields[i]);
	for (i = 0; f->change && i < f->n; i++)
		f->change(ui, f, i, f->ctx);
	f->msg[0] = '\0';
	for (;;) {
		ui_draw(ui);
		if (ui_big_enough(ui))
			draw(ui, f);
		ui_flush(ui);
		key = ui_getkey(ui);
		if (key == UI_KEY_EOF)
			return false;
		if (key == 0 && f->idle)
			f->idle(ui, f, f->ctx);
		if (key == 0 || key == UI_FN(KEY_RESIZE))
			continue;
		f->msg[0] = '\0';
		act = keymap_lookup(key);
		if (key == UI_ESC || act == ACT_BACK) {
			if (!changed(f) || ui_confirm(ui, "Discard the changes to this form?"))
				return false;
			continue;
		}
		if (act == ACT_SAVE) {
			if (try_save(ui, f))
				return true;
			continue;
		}
		if (key == '\n' || key == '\r' || key == UI_FN(KEY_ENTER)) {
			if (pick_enter(ui, f, &f->fields[f->focus]))
				continue;
			if (f->focus + 1 >= f->n) {
				if (try_save(ui, f))
					return true;
			} else {
				f->focus++;
			}
			continue;
		}
		if (key == '\t' || key == UI_FN(KEY_DOWN)) {
			f->focus = (f->focus + 1) % f->n;
			continue;
		}
		if (key == UI_FN(KEY_BTAB) || key == UI_FN(KEY_UP)) {
			f->focus = (f->focus + f->n - 1) % f->n;
			continue;
		}
		{
			struct field *fd = &f->fields[f->focus];
			if (fd->type == FIELD_CHOICE) {
				if (key == UI_FN(KEY_LEFT))
					cycle_choice(fd, -1);
				else if (key == UI_FN(KEY_RIGHT) || key == ' ')
					cycle_choice(fd, 1);
				else
					continue;
			} else if (!edit_key(&fd->ed, key)) {
				continue;
			}
			validate(f, fd);
			if (f->change)
				f->change(ui, f, f->focus, f->ctx);
		}
	}
}
