/*
 * edit.h - a one-line text editor: the value of a form field, a prompt,
 * a filter.  Bytes are UTF-8; the cursor never splits a character.
 */
#ifndef ALLY_UI_EDIT_H
#define ALLY_UI_EDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/shell.h"

#define EDIT_MAX 1024

struct edit {
	char buf[EDIT_MAX];
	size_t len, pos;        /* bytes */
};

void edit_set(struct edit *e, const char *s);
/* A key: insert a character, Backspace, Del, Left/Right, Home/End, C-u
 * (clear), C-a/C-e.  True when used (the text or cursor may have changed). */
bool edit_key(struct edit *e, int key);
/* Draw in w columns at (y, x), scrolled so the cursor shows; places the
 * terminal cursor there when focused. */
void edit_draw(struct ui *ui, const struct edit *e, int y, int x, int w, bool focused,
    enum color_role r);

#endif
