/*
 * dialog.h - modal dialogs (confirm, prompt, choose) and the detail pane
 * (a scrolling page of text pushed as a screen).  Dialogs run a small
 * loop of their own over ui_getkey() and return the answer.
 */
#ifndef ALLY_UI_DIALOG_H
#define ALLY_UI_DIALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/shell.h"

/* y answers yes; n, q or Esc no. */
bool ui_confirm(struct ui *ui, const char *question);
/* A line of text; NULL when cancelled (Esc), else a new string. */
char *ui_prompt(struct ui *ui, const char *question, const char *initial);
/* Pick one of n items; -1 when cancelled. */
int ui_choose(struct ui *ui, const char *question, const char *const *items, size_t n,
    size_t cur);
/* Push a page of text (lines separated by \n, escaped when drawn). */
void ui_show_text(struct ui *ui, const char *title, const char *text);
/* The same for one record of the list under it: the actions in pass
 * (ending with ACT_NONE) close the page and are done by the list, on that
 * record; hint names them in the title ("i invite  e edit"). */
void ui_show_record(struct ui *ui, const char *title, const char *text, const enum action *pass,
    const char *hint);

/* Draw a framed box of w x h centred in the content area; returns its
 * top-left corner (inside the frame). */
void ui_box(struct ui *ui, int w, int h, const char *title, int *y, int *x);

#endif
