/*
 * text.h - turning database text into what a cell may show.  No curses
 * here, so it is unit-tested on its own (tests/unit/test_ui_text.c).
 *
 * Every string from the database passes through ui_text() before it is
 * drawn: control characters and bidi overrides become visible escapes
 * (core/str.h), and in ASCII mode (a locale that is not UTF-8) every
 * other non-ASCII character becomes "?", so the terminal never receives a
 * byte it could act on and widths stay exact.
 */
#ifndef ALLY_UI_TEXT_H
#define ALLY_UI_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "app/io.h"
#include "core/str.h"

/* ASCII mode: set once at start from the locale's codeset. */
void ui_text_set_ascii(bool ascii);
bool ui_text_ascii(void);

/* New string: s made safe to draw (NULL gives ""). */
char *ui_text(const char *s);
/* New string: one typed cell as a table shows it (money with separators,
 * dates in the organisation's zone, booleans as yes/no). */
char *ui_cell_text(const struct cell *c);
/* A cell that is not text (a number, money, a time or date, a yes/no)
 * as ui_cell_text shows it, into buf (UI_CELL_BUFSZ bytes) or a constant;
 * "" for a text cell. */
#define UI_CELL_BUFSZ 72
const char *ui_cell_format(const struct cell *c, char *buf);
/* Display columns of safe text. */
size_t ui_width(const char *safe);
/*
 * Append safe text to out fitted to exactly w columns: cut on a character
 * boundary with an ellipsis ("…", or "~" in ASCII mode) when too wide,
 * padded with blanks (on the left when right) when too narrow.  A wide
 * character that would straddle the edge is replaced by a blank.
 */
void ui_fit(struct sbuf *out, const char *safe, size_t w, bool right);
/*
 * Safe text wrapped at blanks into lines of at most w columns, separated
 * by '\n', into out (reset first); at most max_lines, the last holding the
 * rest (to be cut when drawn).  Returns the number of lines, 0 for blank
 * text.  A word wider than w gets a line of its own.
 */
int ui_wrap(struct sbuf *out, const char *safe, size_t w, int max_lines);

#endif
