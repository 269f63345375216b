/*
 * edit.c - the one-line editor.  Typed text is kept raw (it is what the
 * app functions validate) and escaped only when drawn.
 */
#include "config.h"

#include <curses.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "core/utf8.h"
#include "ui/text.h"
#include "ui/widgets/edit.h"

void
edit_set(struct edit *e, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n >= EDIT_MAX)
		n = utf8_prefix_for_width(s, EDIT_MAX / 4);
	memcpy(e->buf, s ? s : "", n);
	e->buf[n] = '\0';
	e->len = e->pos = n;
}

static size_t
prev_char(const struct edit *e, size_t pos)
{
	while (pos > 0) {
		pos--;
		if (((unsigned char)e->buf[pos] & 0xC0) != 0x80)
			break;
	}
	return pos;
}

static size_t
next_char(const struct edit *e, size_t pos)
{
	if (pos < e->len)
		pos++;
	while (pos < e->len && ((unsigned char)e->buf[pos] & 0xC0) == 0x80)
		pos++;
	return pos;
}

static size_t
encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static void
cut(struct edit *e, size_t from, size_t to)
{
	memmove(e->buf + from, e->buf + to, e->len - to + 1);
	e->len -= to - from;
	e->pos = from;
}

bool
edit_key(struct edit *e, int key)
{
	char u[4];
	size_t n;

	if (key == UI_FN(KEY_BACKSPACE)) {
		if (e->pos > 0)
			cut(e, prev_char(e, e->pos), e->pos);
	} else if (key == UI_FN(KEY_DC) || key == UI_CTRL('d')) {
		if (e->pos < e->len)
			cut(e, e->pos, next_char(e, e->pos));
	} else if (key == UI_FN(KEY_LEFT) || key == UI_CTRL('b')) {
		e->pos = prev_char(e, e->pos);
	} else if (key == UI_FN(KEY_RIGHT)) {
		e->pos = next_char(e, e->pos);
	} else if (key == UI_FN(KEY_HOME) || key == UI_CTRL('a')) {
		e->pos = 0;
	} else if (key == UI_FN(KEY_END) || key == UI_CTRL('e')) {
		e->pos = e->len;
	} else if (key == UI_CTRL('u')) {
		cut(e, 0, e->pos);
	} else if (key == UI_CTRL('k')) {
		e->buf[e->pos] = '\0';
		e->len = e->pos;
	} else if (!UI_IS_FN(key) && key >= 0x20 && key != 0x7f && !(key >= 0x80 && key < 0xa0) &&
	    key <= 0x10FFFF) {
		n = encode((uint32_t)key, u);
		if (e->len + n >= EDIT_MAX)
			return true;
		memmove(e->buf + e->pos + n, e->buf + e->pos, e->len - e->pos + 1);
		memcpy(e->buf + e->pos, u, n);
		e->len += n;
		e->pos += n;
	} else {
		return false;
	}
	return true;
}

void
edit_draw(struct ui *ui, const struct edit *e, int y, int x, int w, bool focused,
    enum color_role r)
{
	char *before, *all, *shown;
	size_t cw, skip = 0;
	if (w <= 1)
		return;
	before = xstrndup(e->buf, e->pos);
	all = ui_text(e->buf);
	{
		char *vb = ui_text(before);
		cw = ui_width(vb);
		free(vb);
	}
	/* scroll so that the cursor is inside the field */
	shown = all;
	while (cw >= (size_t)w && all[skip] != '\0') {
		uint32_t cp;
		char one[8];
		size_t k = utf8_decode(all + skip, strlen(all + skip), &cp);
		if (k == 0)
			k = 1;
		memcpy(one, all + skip, k);
		one[k] = '\0';
		cw -= ui_width(one);
		skip += k;
	}
	shown = all + skip;
	ui_put(ui, y, x, w, shown, r);
	if (focused)
		ui_cursor(ui, y, x + (int)cw, true);
	free(before);
	free(all);
}
