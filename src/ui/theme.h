/*
 * theme.h - colours named by meaning.  A theme is one table from role to
 * colours and attributes; [colors] in the config picks a theme and
 * overrides single roles.  With NO_COLOR set, or on a terminal without
 * colours, only attributes (bold, reverse, underline) are used, so every
 * role stays distinguishable in monochrome.  No other file calls
 * init_pair.
 */
#ifndef ALLY_UI_THEME_H
#define ALLY_UI_THEME_H

#include <stdbool.h>
#include <stddef.h>

/* X(id, name) */
#define ROLE_LIST(X) \
	X(CR_NORMAL, "normal") \
	X(CR_TABBAR, "tabbar") \
	X(CR_TAB_ACTIVE, "tab_active") \
	X(CR_TITLE, "title") \
	X(CR_HEADER, "header") \
	X(CR_SELECTED, "selected") \
	X(CR_MARKED, "marked") \
	X(CR_STATUS, "status") \
	X(CR_ERROR, "error") \
	X(CR_WARNING, "warning") \
	X(CR_OK, "ok") \
	X(CR_MONEY_NEGATIVE, "money_negative") \
	X(CR_DIM, "dim") \
	X(CR_FIELD, "field") \
	X(CR_FIELD_ACTIVE, "field_active") \
	X(CR_BORDER, "border") \
	X(CR_TOTAL, "total") \
	X(CR_CHART, "chart") \
	X(CR_CHART_CONVERTED, "chart_converted")

enum color_role {
#define X(id, name) id,
	ROLE_LIST(X)
#undef X
	CR__COUNT
};

/* Pick a theme by name ("default", "dark", "mono"); false if unknown. */
bool theme_select(const char *name);
/* Override one role: "fg,bg[,attr...]" e.g. "black,cyan,bold" or
 * "default,default,reverse"; false with msg on a bad value. */
bool theme_set(const char *role, const char *value, char *msg, size_t msglen);
/* After initscr: set up colour pairs unless colours are off. */
void theme_start(void);
/* Colours in use (terminal has them and NO_COLOR is unset). */
bool theme_colors(void);
/* Attributes (including the colour pair) of a role, as a curses attr_t. */
unsigned long theme_attr(enum color_role r);

#endif
