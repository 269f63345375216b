/*
 * loop.c - the shell: terminal set-up, the one input loop, the screen
 * stack, the tab bar and the status line.
 *
 * One loop reads keys (or script lines), hands each to the screen on top
 * of the stack, and falls back to the global actions (tabs, help, back,
 * redraw).  Every half second without a key it compares the
 * environment's last transaction id with the one it last loaded and, when
 * another process committed, reloads the screen shown; screens keep their
 * cursor on the same record.  Screens read in short transactions of their
 * own (app/), so nothing is held open while we wait for a key.  Signals
 * only set a flag.
 *
 * A little past 800 lines: the terminal set-up, the loop and the status
 * line share the ui struct's state; the next split to make is the status
 * line and message log into a module of their own (help.c already went).
 */
#include "config.h"

#include <curses.h>
#include <langinfo.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/portal.h"
#include "core/priv.h"
#include "core/alloc.h"
#include "core/str.h"
#include "ui/config_ui.h"
#include "ui/script.h"
#include "ui/sender.h"
#include "ui/shell.h"
#include "ui/text.h"
#include "ui/ui.h"
#include "ui/widgets/table.h"

#define STACK_MAX 16
#define MSG_LOG 20              /* messages kept for M (help.c) */
#define MIN_COLS 80
#define MIN_LINES 24

struct view {
	const struct screen_ops *ops;
	void *st;
	uint64_t loaded_txn;    /* transaction id its data comes from */
	bool idle_done;
};

struct ui {
	struct app *app;
	const char *config;     /* --config, for the background sender */
	SCREEN *scr;
	FILE *out, *in;
	struct script *script;
	struct view stack[STACK_MAX];
	int depth;              /* stack[0..depth-1]; stack[0] is a tab */
	struct view tabs[9];    /* opened lazily, kept while ally runs */
	int tab;
	/* the tab set: staff's nine, or the portal's */
	const struct screen_ops *const *tab_ops;
	const char *const *tab_short;
	int ntabs;
	const struct config *cfg;       /* the portal's, for sending mail */
	bool portal;
	char refused[256];              /* the portal session ended: why */
	char msg[256];
	enum color_role msg_role;
	/* the last messages, oldest first, for M (screen_messages) */
	char log[MSG_LOG][256];
	enum color_role log_role[MSG_LOG];
	int nlog;
	int reposted;                   /* ui_repost_key: the next key, 0 none */
	bool quit;
};

static const struct screen_ops *const staff_tabs[9] = {
	&screen_dashboard, &screen_programs, &screen_partners, &screen_referrals,
	&screen_deals, &screen_commissions, &screen_analytics, &screen_outbox,
	&screen_admin,
};
static const char *const staff_short[9] = {
	"Dash", "Progs", "Partners", "Refs", "Deals", "Comms", "Stats", "Mail", "Admin",
};

static volatile sig_atomic_t got_signal;

/* The script, when the portal's login prompts read from it before the
 * screens start (ui_script_prompt); run() goes on with it. */
static struct script *early_script;

static void
on_signal(int sig)
{
	got_signal = sig;
}

struct app *
ui_app(struct ui *ui)
{
	return ui->app;
}

const char *
ui_config_path(struct ui *ui)
{
	return ui->config;
}

/* A background sender of job j, if the session holds p: never in script
 * mode (screen tests stay deterministic and run the send themselves). */
static bool
start_sender(struct ui *ui, enum sender_job j, enum perm p, const char *refusal, char *msg,
    size_t len)
{
	if (!perm_allows(app_role(ui->app), p)) {
		snprintf(msg, len, "%s", refusal);
		return false;
	}
	if (ui->script != NULL) {
		snprintf(msg, len, "not sending in script mode");
		return false;
	}
	return sender_start(j, app_path(ui->app), ui->config, msg, len);
}

bool
ui_mail_send(struct ui *ui, char *msg, size_t len)
{
	return start_sender(ui, SEND_MAIL, PERM_MAIL_SEND,
	    "mail is sent by an admin (ally mail send)", msg, len);
}

bool
ui_mail_sending(struct ui *ui)
{
	(void)ui;
	return sender_running(SEND_MAIL);
}

bool
ui_webhook_send(struct ui *ui, char *msg, size_t len)
{
	return start_sender(ui, SEND_WEBHOOKS, PERM_WEBHOOK,
	    "webhooks are sent by an admin (ally webhook send)", msg, len);
}

bool
ui_webhook_sending(struct ui *ui)
{
	(void)ui;
	return sender_running(SEND_WEBHOOKS);
}

int
ui_cols(struct ui *ui)
{
	(void)ui;
	return COLS;
}

int
ui_lines(struct ui *ui)
{
	(void)ui;
	return LINES;
}

bool
ui_big_enough(struct ui *ui)
{
	(void)ui;
	return COLS >= MIN_COLS && LINES >= MIN_LINES;
}

const char *
ui_glyph_up(void)
{
	return ui_text_ascii() ? "^" : "\xe2\x96\xb2";
}

const char *
ui_glyph_down(void)
{
	return ui_text_ascii() ? "v" : "\xe2\x96\xbc";
}

/* ---- drawing helpers ---- */

static void
put_fitted(int y, int x, int w, const char *safe, enum color_role r, bool right)
{
	struct sbuf b;

	if (w <= 0 || y < 0 || y >= LINES || x >= COLS)
		return;
	if (x + w > COLS)
		w = COLS - x;
	sbuf_init(&b);
	ui_fit(&b, safe, (size_t)w, right);
	attrset((attr_t)theme_attr(r));
	mvaddstr(y, x, sbuf_str(&b));
	attrset(A_NORMAL);
	sbuf_free(&b);
}

void
ui_put(struct ui *ui, int y, int x, int w, const char *safe, enum color_role r)
{
	(void)ui;
	put_fitted(y, x, w, safe, r, false);
}

void
ui_put_right(struct ui *ui, int y, int x, int w, const char *safe, enum color_role r)
{
	(void)ui;
	put_fitted(y, x, w, safe, r, true);
}

void
ui_put_text(struct ui *ui, int y, int x, int w, const char *raw, enum color_role r)
{
	char *s = ui_text(raw);

	ui_put(ui, y, x, w, s, r);
	free(s);
}

void
ui_hline(struct ui *ui, int y, int x, int w)
{
	const char *g = ui_text_ascii() ? "-" : "\xe2\x94\x80";
	int i;

	(void)ui;
	attrset((attr_t)theme_attr(CR_BORDER));
	move(y, x);
	for (i = 0; i < w && x + i < COLS; i++)
		addstr(g);
	attrset(A_NORMAL);
}

void
ui_clear_line(struct ui *ui, int y, int x, enum color_role r)
{
	(void)ui;
	if (x >= COLS)
		return;
	put_fitted(y, x, COLS - x, "", r, false);
}

void
ui_title(struct ui *ui, int y, const char *title, const char *info)
{
	int tw = (int)ui_width(title) + 1, iw = info ? (int)ui_width(info) : 0;

	ui_clear_line(ui, y, 0, CR_NORMAL);
	ui_put(ui, y, 1, tw, title, CR_TITLE);
	if (info && iw > 0) {
		if (iw > COLS - tw - 3)
			iw = COLS - tw - 3;
		ui_put_right(ui, y, COLS - iw - 1, iw, info, CR_DIM);
	}
}

void
ui_cursor(struct ui *ui, int y, int x, bool show)
{
	(void)ui;
	if (show) {
		move(y, x);
		curs_set(1);
	} else {
		curs_set(0);
	}
}

void
ui_message(struct ui *ui, enum color_role r, const char *fmt, ...)
{
	char raw[256], *safe;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	safe = ui_text(raw);
	snprintf(ui->msg, sizeof ui->msg, "%s", safe);
	free(safe);
	ui->msg_role = r;
	if (ui->nlog == MSG_LOG) {
		memmove(ui->log[0], ui->log[1], sizeof ui->log[0] * (MSG_LOG - 1));
		memmove(ui->log_role, ui->log_role + 1, sizeof ui->log_role[0] * (MSG_LOG - 1));
		ui->nlog--;
	}
	snprintf(ui->log[ui->nlog], sizeof ui->log[0], "%s", ui->msg);
	ui->log_role[ui->nlog++] = r;
}

/* ---- the stack ---- */

static struct view *
top(struct ui *ui)
{
	return &ui->stack[ui->depth - 1];
}

static void
view_load(struct ui *ui, struct view *v)
{
	v->loaded_txn = app_version(ui->app);
	v->idle_done = false;
	if (v->ops->load)
		v->ops->load(ui, v->st);
}

void
ui_push(struct ui *ui, const struct screen_ops *ops, const void *arg)
{
	struct view *v;

	if (ui->depth >= STACK_MAX) {
		ui_message(ui, CR_ERROR, "too many screens open: press q to go back");
		return;
	}
	v = &ui->stack[ui->depth++];
	memset(v, 0, sizeof *v);
	v->ops = ops;
	v->st = ops->open ? ops->open(ui, arg) : NULL;
	view_load(ui, v);
}

void
ui_pop(struct ui *ui)
{
	struct view *v;

	if (ui->depth <= 1)
		return;
	v = top(ui);
	if (v->ops->close)
		v->ops->close(v->st);
	ui->depth--;
	/* the screen below may have changed meanwhile (our own edits) */
	v = top(ui);
	if (v->loaded_txn != app_version(ui->app))
		view_load(ui, v);
}

void
ui_reload(struct ui *ui)
{
	view_load(ui, top(ui));
}

static void
tab_select(struct ui *ui, int t)
{
	struct view *v = &ui->tabs[t];

	while (ui->depth > 1)
		ui_pop(ui);
	if (ui->depth == 1)
		ui->tabs[ui->tab] = ui->stack[0];
	ui->tab = t;
	if (v->ops == NULL) {
		v->ops = ui->tab_ops[t];
		v->st = v->ops->open ? v->ops->open(ui, NULL) : NULL;
		ui->stack[0] = *v;
		ui->depth = 1;
		view_load(ui, &ui->stack[0]);
		ui->tabs[t] = ui->stack[0];
		return;
	}
	ui->stack[0] = *v;
	ui->depth = 1;
	if (v->loaded_txn != app_version(ui->app))
		view_load(ui, &ui->stack[0]);
}

/* ---- painting ---- */

static void
draw_tabs(struct ui *ui)
{
	int t, x = 0, w;
	char label[32];
	bool full = COLS >= 100;

	ui_clear_line(ui, 0, 0, CR_TABBAR);
	for (t = 0; t < ui->ntabs && x < COLS; t++) {
		bool cur = t == ui->tab;
		snprintf(label, sizeof label, cur ? " %d %s " : " %d %s", t + 1,
		    cur || full ? ui->tab_ops[t]->name : ui->tab_short[t]);
		w = (int)ui_width(label);
		ui_put(ui, 0, x, w, label, cur ? CR_TAB_ACTIVE : CR_TABBAR);
		x += w;
	}
}

static void
draw_status(struct ui *ui)
{
	struct app *a = ui->app;
	char left[512], *db, right[48], keys[32];
	int y = LINES - 1, lw, rw;

	if (ui->portal) {
		db = ui_text(app_login(a) ? app_login(a) : "?");
		snprintf(left, sizeof left, " %s", db);
	} else {
		db = ui_text(app_path(a));
		snprintf(left, sizeof left, " %s  %s (%s)", db, app_login(a) ? app_login(a) : "?",
		    role_name(app_role(a)));
	}
	free(db);
	snprintf(right, sizeof right, "%s help ", keymap_keys(ACT_HELP, keys, 8));
	{
		char *sp = strchr(right, ' ');
		/* only the first key of help */
		if (sp && sp != right + strlen(right) - 1)
			snprintf(right, sizeof right, "%.*s help ", (int)(sp - right), keys);
	}
	ui_clear_line(ui, y, 0, CR_STATUS);
	rw = (int)ui_width(right);
	if (ui->msg[0] != '\0') {
		enum color_role mr = ui->msg_role == CR_ERROR || ui->msg_role == CR_WARNING ?
		    ui->msg_role : CR_STATUS;
		lw = COLS - rw;
		ui_put(ui, y, 0, lw, " ", CR_STATUS);
		if ((int)ui_width(ui->msg) > lw - 2) {
			/* too long: say where it can be read whole */
			char more[32];
			int mw;
			snprintf(more, sizeof more, " %s more ", keymap_keys(ACT_MESSAGES, keys, 8));
			mw = (int)ui_width(more);
			ui_put(ui, y, 1, lw - 1 - mw, ui->msg, mr);
			ui_put(ui, y, lw - mw, mw, more, CR_HEADER);
		} else {
			ui_put(ui, y, 1, lw - 1, ui->msg, mr);
		}
	} else {
		ui_put(ui, y, 0, COLS - rw, left, CR_STATUS);
	}
	ui_put_right(ui, y, COLS - rw, rw, right, CR_STATUS);
}

static void
draw_too_small(void)
{
	char line[96];
	int y = LINES / 2;

	erase();
	snprintf(line, sizeof line, "Terminal too small: %dx%d", COLS, LINES);
	mvaddnstr(y > 0 ? y - 1 : 0, 0, line, COLS);
	snprintf(line, sizeof line, "ally needs %dx%d; q quits", MIN_COLS, MIN_LINES);
	if (LINES > 1)
		mvaddnstr(y, 0, line, COLS);
}

void
ui_draw(struct ui *ui)
{
	struct view *v = top(ui);

	erase();
	curs_set(0);
	if (!ui_big_enough(ui)) {
		draw_too_small();
		return;
	}
	draw_tabs(ui);
	if (v->ops->draw)
		v->ops->draw(ui, v->st, 1, LINES - 2);
	draw_status(ui);
}

void
ui_flush(struct ui *ui)
{
	(void)ui;
	wnoutrefresh(stdscr);
	doupdate();
}

int
ui_getkey(struct ui *ui)
{
	wint_t wch;
	int r;

	if (got_signal) {
		ui->quit = true;
		return UI_KEY_EOF;
	}
	if (ui->reposted) {
		r = ui->reposted;
		ui->reposted = 0;
		return r;
	}
	if (ui->script) {
		r = script_next(ui->script);
		if (r == UI_KEY_EOF)
			ui->quit = true;
		return r;
	}
	r = wget_wch(stdscr, &wch);
	if (got_signal) {
		ui->quit = true;
		return UI_KEY_EOF;
	}
	if (r == ERR)
		return 0;
	if (r == KEY_CODE_YES)
		return UI_FN((int)wch);
	if (wch == 127 || wch == 8)
		return UI_FN(KEY_BACKSPACE);
	return (int)wch;
}

/* ---- what screens ask of the session ---- */

void
ui_repost_key(struct ui *ui, int key)
{
	ui->reposted = key;
}

bool
ui_may(struct ui *ui, enum perm p)
{
	struct err e;

	err_clear(&e);
	return p == PERM__COUNT || app_require(ui->app, p, &e) == ST_OK;
}

bool
ui_is_portal(struct ui *ui)
{
	return ui->portal;
}

const char *
ui_message_log(struct ui *ui, int i, enum color_role *r)
{
	if (i < 0 || i >= ui->nlog)
		return NULL;
	if (r)
		*r = ui->log_role[ui->nlog - 1 - i];
	return ui->log[ui->nlog - 1 - i];
}

/* A key the screen offers but the role may not use: refused here, with
 * the reason, before the screen opens a form for nothing. */
static bool
refused(struct ui *ui, const struct view *v, enum action act, int key)
{
	const struct screen_key *k;
	char name[32];
	struct err e;

	if (v->ops->keys == NULL || (v->ops->typing && v->ops->typing(v->st)))
		return false;
	for (k = v->ops->keys; k->act != ACT_NONE || k->key; k++) {
		bool hit = k->act != ACT_NONE ? (k->act == act || keymap_bound(key, k->act)) :
		    (key > 0 && key < 0x80 && k->key[0] == key && k->key[1] == '\0');
		if (!hit)
			continue;
		err_clear(&e);
		if (k->perm == PERM__COUNT || app_require(ui->app, k->perm, &e) == ST_OK)
			return false;
		/* app/'s own words, as the CLI says them */
		ui_message(ui, CR_WARNING, "%s: %s", ui_key_name(key, name), e.msg);
		return true;
	}
	return false;
}

/* ---- the loop ---- */

static void
handle_key(struct ui *ui, int key)
{
	struct view *v = top(ui);
	enum action act = keymap_lookup(key);

	if (key == UI_CTRL('c')) {
		ui->quit = true;
		return;
	}
	if (!ui_big_enough(ui)) {
		if (act == ACT_QUIT)
			ui->quit = true;
		return;
	}
	if (refused(ui, v, act, key))
		return;
	if (v->ops->key && v->ops->key(ui, v->st, act, key))
		return;
	switch (act) {
	case ACT_QUIT:
		if (ui->depth > 1)
			ui_pop(ui);
		else
			ui->quit = true;        /* nothing is unsaved here: forms are screens above */
		break;
	case ACT_BACK:
		/* Esc never quits: back from a sub-screen, else it clears the message */
		if (ui->depth > 1)
			ui_pop(ui);
		else
			ui->msg[0] = '\0';
		break;
	case ACT_MESSAGES:
		ui_push(ui, &screen_messages, NULL);
		break;
	case ACT_EXPORT:
		if (v->ops->list && v->ops->list(v->st)) {
			char name[32], *c;
			snprintf(name, sizeof name, "%s", v->ops->name);
			for (c = name; *c; c++)
				*c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
			table_export(ui, v->ops->list(v->st), name);
		} else {
			ui_message(ui, CR_WARNING, "x: no list to export here");
		}
		break;
	case ACT_HELP:
		ui_help_open(ui, v->ops);
		break;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		ui_reload(ui);
		break;
	case ACT_NEXT_TAB:
		tab_select(ui, (ui->tab + 1) % ui->ntabs);
		break;
	case ACT_PREV_TAB:
		tab_select(ui, (ui->tab + ui->ntabs - 1) % ui->ntabs);
		break;
	default:
		if (act >= ACT_TAB1 && act <= ACT_TAB9 && (int)(act - ACT_TAB1) < ui->ntabs)
			tab_select(ui, (int)(act - ACT_TAB1));
		else if (act != ACT_NONE && key != 0) {
			char keys[32];
			ui_message(ui, CR_WARNING, "%s: not available here (? for help)",
			    ui_key_name(key, keys));
		}
		break;
	}
}

static void
terminal_start(struct ui *ui)
{
	const char *size = env_testing("ALLY_UI_SIZE");
	int cols = 80, rows = 24;
	char buf[16];

	if (ui->script) {
		if (size && sscanf(size, "%dx%d", &cols, &rows) != 2)
			cols = 80, rows = 24;
		snprintf(buf, sizeof buf, "%d", cols);
		setenv("COLUMNS", buf, 1);
		snprintf(buf, sizeof buf, "%d", rows);
		setenv("LINES", buf, 1);
		ui->out = fopen("/dev/null", "w");
		ui->in = fopen("/dev/null", "r");
		ui->scr = newterm("xterm-256color", ui->out, ui->in);
		if (ui->scr == NULL)
			ui->scr = newterm("vt100", ui->out, ui->in);
	} else {
		ui->scr = newterm(NULL, stdout, stdin);
	}
	if (ui->scr == NULL) {
		fprintf(stderr, "ally: cannot start the terminal (TERM=%s)\n",
		    getenv("TERM") ? getenv("TERM") : "");
		exit(78);
	}
	set_term(ui->scr);
	raw();                  /* C-s reaches us; no flow control */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	wtimeout(stdscr, 500);
	curs_set(0);
	theme_start();
}

/* The portal checks its session before every action: revoked access, a
 * lock or a suspended partner end it here. */
static bool
session_ok(struct ui *ui)
{
	struct err e;

	if (!ui->portal)
		return true;
	err_clear(&e);
	if (app_portal_alive(ui->app, &e) == ST_OK)
		return true;
	snprintf(ui->refused, sizeof ui->refused, "%.200s", e.msg);
	ui->quit = true;
	return false;
}

static int run(struct ui *ui, struct app *a, const char *config);

int
ui_run(struct app *a, const char *config)
{
	struct ui *ui = xcalloc(1, sizeof *ui);

	ui->tab_ops = staff_tabs;
	ui->tab_short = staff_short;
	ui->ntabs = 9;
	return run(ui, a, config);
}

int
ui_portal_run(struct app *a, const char *config, const struct config *cfg)
{
	struct ui *ui = xcalloc(1, sizeof *ui);

	ui->tab_ops = portal_tabs;
	ui->tab_short = portal_short;
	ui->ntabs = PORTAL_TABS;
	ui->portal = true;
	ui->cfg = cfg;
	return run(ui, a, config);
}

int
ui_script_prompt(char *buf, size_t len)
{
	const char *path = env_testing("ALLY_UI_SCRIPT");

	if (early_script == NULL) {
		if (path == NULL || *path == '\0' || (early_script = script_open(path)) == NULL)
			return -1;
	}
	return script_line(early_script, buf, len) ? 1 : 0;
}

const struct config *
ui_portal_config(struct ui *ui)
{
	return ui->cfg;
}

static int
run(struct ui *ui, struct app *a, const char *config)
{
	struct sigaction sa;
	const char *script = env_testing("ALLY_UI_SCRIPT");
	char cfgmsg[256] = "";
	int key, t, rc = 0;

	ui->app = a;
	ui->config = config;
	keymap_defaults();
	if (!ui_config_load(config, cfgmsg, sizeof cfgmsg)) {
		fprintf(stderr, "ally: %s\n", cfgmsg);
		free(ui);
		return 78;
	}
	ui_text_set_ascii(strcmp(nl_langinfo(CODESET), "UTF-8") != 0);
	if (early_script != NULL) {
		ui->script = early_script;
		early_script = NULL;
	} else if (script && *script && (ui->script = script_open(script)) == NULL) {
		free(ui);
		return 66;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sender_init();
	terminal_start(ui);
	if (session_ok(ui))
		tab_select(ui, 0);
	while (!ui->quit) {
		struct view *v = top(ui);
		char smsg[160];
		bool serr;
		if (sender_poll(smsg, sizeof smsg, &serr))
			ui_message(ui, serr ? CR_WARNING : CR_OK, "%s", smsg);
		ui_draw(ui);
		ui_flush(ui);
		if (v->ops->idle && !v->idle_done && ui_big_enough(ui)) {
			v->idle_done = true;
			if (v->ops->idle(ui, v->st))
				continue;
		}
		key = ui_getkey(ui);
		if (key == UI_KEY_EOF)
			break;
		if (key != 0)
			ui->msg[0] = '\0';
		if (key == UI_FN(KEY_RESIZE)) {
			clearok(curscr, TRUE);
			continue;
		}
		if (key != 0 && session_ok(ui))
			handle_key(ui, key);
		/* someone (maybe us) committed: show the new data */
		v = top(ui);
		if (!ui->quit && v->loaded_txn != app_version(a))
			view_load(ui, v);
	}
	while (ui->depth > 1)
		ui_pop(ui);
	if (ui->depth == 1)
		ui->tabs[ui->tab] = ui->stack[0];
	endwin();
	for (t = 0; t < ui->ntabs; t++)
		if (ui->tabs[t].ops && ui->tabs[t].ops->close)
			ui->tabs[t].ops->close(ui->tabs[t].st);
	delscreen(ui->scr);
	if (ui->out)
		fclose(ui->out);
	if (ui->in)
		fclose(ui->in);
	script_close(ui->script);
	if (ui->refused[0] != '\0') {
		char *vis = str_visible(ui->refused);
		fprintf(stderr, "ally portal: session ended: %s\n", vis);
		free(vis);
		rc = 77;
	}
	free(ui);
	return rc;
}
