/*
 * theme.c - the colour tables.  Every role has a monochrome fallback in
 * its attributes, so the mono theme and NO_COLOR need no special cases in
 * the widgets: they ask for a role and get whatever this terminal can do.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui/theme.h"

struct style {
	short fg, bg;           /* -1 = terminal default */
	unsigned long attr;     /* always applied */
	unsigned long mono;     /* applied instead of colours when they are off */
};

static const char *const role_names[CR__COUNT] = {
#define X(id, name) [id] = name,
	ROLE_LIST(X)
#undef X
};

#define D (-1)
static const struct style theme_default[CR__COUNT] = {
	[CR_NORMAL]         = { D, D, 0, 0 },
	[CR_TABBAR]         = { COLOR_WHITE, COLOR_BLUE, 0, 0 },
	[CR_TAB_ACTIVE]     = { COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE },
	[CR_TITLE]          = { COLOR_CYAN, D, A_BOLD, 0 },
	[CR_HEADER]         = { COLOR_YELLOW, D, A_BOLD, A_UNDERLINE },
	[CR_SELECTED]       = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[CR_MARKED]         = { COLOR_MAGENTA, D, A_BOLD, 0 },
	[CR_STATUS]         = { COLOR_WHITE, COLOR_BLUE, 0, A_REVERSE },
	[CR_ERROR]          = { COLOR_RED, D, A_BOLD, 0 },
	[CR_WARNING]        = { COLOR_YELLOW, D, 0, 0 },
	[CR_OK]             = { COLOR_GREEN, D, 0, 0 },
	[CR_MONEY_NEGATIVE] = { COLOR_RED, D, 0, 0 },
	[CR_DIM]            = { D, D, A_DIM, 0 },
	[CR_FIELD]          = { D, D, A_UNDERLINE, 0 },
	[CR_FIELD_ACTIVE]   = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[CR_BORDER]         = { COLOR_BLUE, D, 0, 0 },
	[CR_TOTAL]          = { D, D, A_BOLD, 0 },
	[CR_CHART]          = { COLOR_CYAN, D, 0, 0 },
	[CR_CHART_CONVERTED] = { COLOR_GREEN, D, A_BOLD, A_BOLD },
};

static const struct style theme_dark[CR__COUNT] = {
	[CR_NORMAL]         = { COLOR_WHITE, COLOR_BLACK, 0, 0 },
	[CR_TABBAR]         = { COLOR_WHITE, COLOR_BLACK, A_REVERSE, 0 },
	[CR_TAB_ACTIVE]     = { COLOR_YELLOW, COLOR_BLACK, A_BOLD, A_REVERSE },
	[CR_TITLE]          = { COLOR_YELLOW, COLOR_BLACK, A_BOLD, 0 },
	[CR_HEADER]         = { COLOR_GREEN, COLOR_BLACK, A_BOLD, A_UNDERLINE },
	[CR_SELECTED]       = { COLOR_BLACK, COLOR_YELLOW, 0, A_REVERSE },
	[CR_MARKED]         = { COLOR_MAGENTA, COLOR_BLACK, A_BOLD, 0 },
	[CR_STATUS]         = { COLOR_BLACK, COLOR_WHITE, 0, A_REVERSE },
	[CR_ERROR]          = { COLOR_RED, COLOR_BLACK, A_BOLD, 0 },
	[CR_WARNING]        = { COLOR_YELLOW, COLOR_BLACK, 0, 0 },
	[CR_OK]             = { COLOR_GREEN, COLOR_BLACK, 0, 0 },
	[CR_MONEY_NEGATIVE] = { COLOR_RED, COLOR_BLACK, 0, 0 },
	[CR_DIM]            = { COLOR_WHITE, COLOR_BLACK, A_DIM, 0 },
	[CR_FIELD]          = { COLOR_WHITE, COLOR_BLACK, A_UNDERLINE, 0 },
	[CR_FIELD_ACTIVE]   = { COLOR_BLACK, COLOR_YELLOW, 0, A_REVERSE },
	[CR_BORDER]         = { COLOR_CYAN, COLOR_BLACK, 0, 0 },
	[CR_TOTAL]          = { COLOR_WHITE, COLOR_BLACK, A_BOLD, 0 },
	[CR_CHART]          = { COLOR_CYAN, COLOR_BLACK, 0, 0 },
	[CR_CHART_CONVERTED] = { COLOR_GREEN, COLOR_BLACK, A_BOLD, A_BOLD },
};

static struct style cur[CR__COUNT];
static bool cur_set;
static bool mono_theme;
static bool colors_on;

static void
ensure(void)
{
	if (!cur_set) {
		memcpy(cur, theme_default, sizeof cur);
		cur_set = true;
	}
}

bool
theme_select(const char *name)
{
	if (strcasecmp(name, "default") == 0)
		memcpy(cur, theme_default, sizeof cur);
	else if (strcasecmp(name, "dark") == 0)
		memcpy(cur, theme_dark, sizeof cur);
	else if (strcasecmp(name, "mono") == 0)
		memcpy(cur, theme_default, sizeof cur);
	else
		return false;
	mono_theme = strcasecmp(name, "mono") == 0;
	cur_set = true;
	return true;
}

static bool
color_parse(const char *s, short *c)
{
	static const char *const names[] = { "black", "red", "green", "yellow", "blue",
		"magenta", "cyan", "white" };
	short i;

	if (strcasecmp(s, "default") == 0) {
		*c = -1;
		return true;
	}
	for (i = 0; i < 8; i++) {
		if (strcasecmp(s, names[i]) == 0) {
			*c = i;
			return true;
		}
	}
	return false;
}

static bool
attr_parse(const char *s, unsigned long *a)
{
	if (strcasecmp(s, "bold") == 0)
		*a |= A_BOLD;
	else if (strcasecmp(s, "reverse") == 0)
		*a |= A_REVERSE;
	else if (strcasecmp(s, "underline") == 0)
		*a |= A_UNDERLINE;
	else if (strcasecmp(s, "dim") == 0)
		*a |= A_DIM;
	else if (strcasecmp(s, "normal") != 0)
		return false;
	return true;
}

bool
theme_set(const char *role, const char *value, char *msg, size_t msglen)
{
	struct style st = { -1, -1, 0, 0 };
	char buf[128], *tok, *save = NULL;
	int r, i = 0;

	ensure();
	for (r = 0; r < CR__COUNT; r++)
		if (strcasecmp(role_names[r], role) == 0)
			break;
	if (r == CR__COUNT) {
		snprintf(msg, msglen, "unknown colour role \"%.40s\"", role);
		return false;
	}
	snprintf(buf, sizeof buf, "%s", value);
	for (tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save), i++) {
		bool ok = i == 0 ? color_parse(tok, &st.fg) : i == 1 ? color_parse(tok, &st.bg) :
		    attr_parse(tok, &st.attr);
		if (!ok) {
			snprintf(msg, msglen, "%s: bad colour or attribute \"%.30s\"", role_names[r], tok);
			return false;
		}
	}
	/* keep a monochrome fallback: an override that loses it stays visible */
	st.mono = cur[r].mono;
	cur[r] = st;
	return true;
}

void
theme_start(void)
{
	const char *nc = getenv("NO_COLOR");
	short r;

	ensure();
	colors_on = !mono_theme && has_colors() && (nc == NULL || nc[0] == '\0');
	if (!colors_on)
		return;
	start_color();
	use_default_colors();
	for (r = 0; r < CR__COUNT; r++)
		init_pair((short)(r + 1), cur[r].fg, cur[r].bg);
}

bool
theme_colors(void)
{
	return colors_on;
}

unsigned long
theme_attr(enum color_role r)
{
	ensure();
	if (!colors_on)
		return cur[r].attr | cur[r].mono;
	return cur[r].attr | COLOR_PAIR(r + 1);
}
