/*
 * shell.h - what screens and widgets share: the ui object, the screen
 * ops table, the screen stack, drawing helpers, and key input.
 *
 * The content area is the whole width between the tab bar (row 0) and
 * the status line (last row).  A screen draws there only; the shell
 * draws the rest.  Modal widgets (forms, dialogs) run their own small
 * loop over ui_getkey() and call ui_draw() to paint what is behind them.
 */
#ifndef ALLY_UI_SHELL_H
#define ALLY_UI_SHELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "ui/action.h"
#include "ui/theme.h"

struct ui;
struct table;

/*
 * One key a screen offers, for its help (help.c) and for refusing it at
 * the key press to a role that may not (loop.c): the action (ACT_NONE for
 * a key of the screen's own, named in key), what it does on this screen
 * (NULL: the action table's text), and the permission it needs (PERM__COUNT:
 * none).  A table ends with SK_END.
 */
struct screen_key {
	enum action act;
	const char *key;
	const char *help;
	enum perm perm;
};
#define SK(a, h, p) { .act = (a), .key = NULL, .help = (h), .perm = (p) }
#define SK_ANY(a, h) SK(a, h, PERM__COUNT)
#define SK_RAW(k, h, p) { .act = ACT_NONE, .key = (k), .help = (h), .perm = (p) }
#define SK_END { .act = ACT_NONE, .key = NULL, .help = NULL, .perm = PERM__COUNT }
/* the keys every list has (table.c) */
#define SK_LIST \
	SK_ANY(ACT_FILTER, NULL), SK_ANY(ACT_SORT, NULL), SK_ANY(ACT_SORT_REV, NULL), \
	SK_ANY(ACT_EXPORT, "write the rows shown to a CSV file you name")
#define SK_MARKS SK_ANY(ACT_MARK, NULL), SK_ANY(ACT_MARK_ALL, NULL)

struct screen_ops {
	const char *name;                               /* title */
	void *(*open)(struct ui *ui, const void *arg);  /* private state */
	void (*close)(void *st);
	/* (Re)read from the database: on open, after another process's
	 * commit, after C-l.  Keep the selection on the same record. */
	void (*load)(struct ui *ui, void *st);
	/* Draw rows [top, top + rows) of the screen. */
	void (*draw)(struct ui *ui, void *st, int top, int rows);
	/* A key, with the action the key map gives it; true when used. */
	bool (*key)(struct ui *ui, void *st, enum action act, int key);
	/* Slow work done after the first draw; true when it needs a redraw. */
	bool (*idle)(struct ui *ui, void *st);
	/* The screen's own keys (help.c), or NULL: help lists every action. */
	const struct screen_key *keys;
	/* True while a line of the screen takes the keys as text (a filter
	 * being typed): no key is refused then.  NULL: never. */
	bool (*typing)(void *st);
	/* The list shown, for x (export); NULL: the screen has none. */
	struct table *(*list)(void *st);
};

/* Hand this key to the screen on top at the next read, as if typed. */
void ui_repost_key(struct ui *ui, int key);
/* May the session's role do p?  (PERM__COUNT: anyone.) */
bool ui_may(struct ui *ui, enum perm p);
/* Is this the partner portal? */
bool ui_is_portal(struct ui *ui);
/* The i-th last message of the status line (0 the newest), NULL past the
 * last kept. */
const char *ui_message_log(struct ui *ui, int i, enum color_role *r);
/* The help screen (help.c) for the screen with these ops, and the message
 * log (M). */
void ui_help_open(struct ui *ui, const struct screen_ops *under);
extern const struct screen_ops screen_messages;

/* The tabs, 1..9. */
extern const struct screen_ops screen_dashboard, screen_programs, screen_partners,
	screen_referrals, screen_deals, screen_commissions, screen_analytics,
	screen_outbox, screen_admin;

/* The partner portal's tabs (screens/portal.c). */
#define PORTAL_TABS 5
extern const struct screen_ops *const portal_tabs[PORTAL_TABS];
extern const char *const portal_short[PORTAL_TABS];
/* The portal's configuration (for mail), NULL in the staff TUI. */
struct config;
const struct config *ui_portal_config(struct ui *ui);

struct app *ui_app(struct ui *ui);
int ui_cols(struct ui *ui);
int ui_lines(struct ui *ui);

/* Push a screen over the current one (q/Esc pops it). */
void ui_push(struct ui *ui, const struct screen_ops *ops, const void *arg);
void ui_pop(struct ui *ui);
/* Reload the screen shown (after an action of this process). */
void ui_reload(struct ui *ui);

/* The --config path (NULL: the usual places). */
const char *ui_config_path(struct ui *ui);
/* Start "ally mail send" in the background (never in script mode); false
 * with the reason in msg when none was started. */
bool ui_mail_send(struct ui *ui, char *msg, size_t len);
/* Is a background sender still running? */
bool ui_mail_sending(struct ui *ui);
/* The same for "ally webhook send" (admins; never in script mode). */
bool ui_webhook_send(struct ui *ui, char *msg, size_t len);
bool ui_webhook_sending(struct ui *ui);

/* A message in the status line until the next key. */
void ui_message(struct ui *ui, enum color_role r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Paint everything (tab bar, screen, status line) without flushing. */
void ui_draw(struct ui *ui);
/* Flush to the terminal. */
void ui_flush(struct ui *ui);
/* The next key (blocking up to half a second): a code point, UI_FN(k),
 * 0 on a timeout, UI_FN(KEY_RESIZE) after a resize. */
int ui_getkey(struct ui *ui);
/* Does the terminal meet the 80x24 minimum? */
bool ui_big_enough(struct ui *ui);

/* ---- drawing ---- */
/* Safe text fitted to w columns at (y, x) in role r. */
void ui_put(struct ui *ui, int y, int x, int w, const char *safe, enum color_role r);
/* Same, right-aligned. */
void ui_put_right(struct ui *ui, int y, int x, int w, const char *safe, enum color_role r);
/* Database text (escaped here) fitted to w. */
void ui_put_text(struct ui *ui, int y, int x, int w, const char *raw, enum color_role r);
void ui_hline(struct ui *ui, int y, int x, int w);
/* Fill the rest of row y from x with blanks of role r. */
void ui_clear_line(struct ui *ui, int y, int x, enum color_role r);
/* A screen's first row: bold title, and right-aligned info. */
void ui_title(struct ui *ui, int y, const char *title, const char *info);
/* Place the terminal cursor (shown) or hide it. */
void ui_cursor(struct ui *ui, int y, int x, bool show);

/* Glyphs with their ASCII fallback. */
const char *ui_glyph_up(void);
const char *ui_glyph_down(void);

#endif
