/*
 * action.h - every user action of the TUI as one X-macro table (name,
 * default keys, help text), and the key map that binds key names to them.
 *
 * The map is read from text: the defaults below are compiled in, the
 * user's [keys] section is applied on top ("approve = a A").  The help
 * screen and the man page's KEYS section are generated from this table.
 * A key the user binds does only that; the defaults may share a key between
 * actions of different screens (see keymap_lookup).
 * Keys are ints: a character is its code point; a curses function key k
 * is UI_FN(k), so the two never collide.
 */
#ifndef ALLY_UI_ACTION_H
#define ALLY_UI_ACTION_H

#include <stdbool.h>
#include <stddef.h>

#define UI_FN(k) ((k) | 0x1000000)
#define UI_IS_FN(k) (((k) & 0x1000000) != 0)
#define UI_CTRL(c) ((c) & 0x1f)
#define UI_ESC 27

/*
 * X(id, name, default keys, help, portal help): the portal help is NULL
 * for an action the partner portal does not offer (its help screen leaves
 * it out), PORTAL_SAME when the staff text fits, else the portal's text.
 */
#define PORTAL_SAME ""
#define ACTION_LIST(X) \
	X(ACT_QUIT,      "quit",      "q",            "back; quit from the top screen", \
	  PORTAL_SAME) \
	X(ACT_BACK,      "back",      "Esc",          "close a dialog, form, filter or sub-view; never quits", \
	  PORTAL_SAME) \
	X(ACT_HELP,      "help",      "? F1",         "this help, made from the key table", \
	  PORTAL_SAME) \
	X(ACT_REDRAW,    "redraw",    "C-l",          "reload the data and redraw the screen", \
	  PORTAL_SAME) \
	X(ACT_TAB1,      "dashboard", "1",            "Dashboard: key figures", \
	  "Links: your referral codes and links, to copy") \
	X(ACT_TAB2,      "programs",  "2",            "Programs: list, create, edit, activate", \
	  "Referrals: the contacts you referred and their status") \
	X(ACT_TAB3,      "partners",  "3",            "Partners: list by tier, create, edit, agreements", \
	  "Deals: your deal registrations, register one") \
	X(ACT_TAB4,      "referrals", "4",            "Referrals: look up a referrer, open the timeline", \
	  "Commissions: pending, approved and paid") \
	X(ACT_TAB5,      "deals",     "5",            "Deals: registrations and pipeline", \
	  "Statements: by month, to read or have mailed") \
	X(ACT_TAB6,      "commissions", "6",          "Commissions: approval queue and payouts", \
	  NULL) \
	X(ACT_TAB7,      "analytics", "7",            "Analytics: figures and charts", \
	  NULL) \
	X(ACT_TAB8,      "outbox",    "8",            "Outbox: mail queue, attempts, errors, retry", \
	  NULL) \
	X(ACT_TAB9,      "admin",     "9",            "Admin: users, settings, audit log, webhooks", \
	  NULL) \
	X(ACT_NEXT_TAB,  "next-tab",  "Tab",          "next screen", \
	  PORTAL_SAME) \
	X(ACT_PREV_TAB,  "prev-tab",  "S-Tab",        "previous screen", \
	  PORTAL_SAME) \
	X(ACT_UP,        "up",        "Up k",         "move up", \
	  PORTAL_SAME) \
	X(ACT_DOWN,      "down",      "Down j",       "move down", \
	  PORTAL_SAME) \
	X(ACT_PAGE_UP,   "page-up",   "PgUp C-b",     "one page up", \
	  PORTAL_SAME) \
	X(ACT_PAGE_DOWN, "page-down", "PgDn C-f",     "one page down", \
	  PORTAL_SAME) \
	X(ACT_TOP,       "top",       "Home g",       "first line", \
	  PORTAL_SAME) \
	X(ACT_BOTTOM,    "bottom",    "End G",        "last line", \
	  PORTAL_SAME) \
	X(ACT_OPEN,      "open",      "Enter",        "open the selected record", \
	  "show the selected link, deal or month whole") \
	X(ACT_FILTER,    "filter",    "/",            "filter the list as you type (Enter keeps, Esc clears)", \
	  PORTAL_SAME) \
	X(ACT_SORT,      "sort",      "s",            "sort by the next column", \
	  PORTAL_SAME) \
	X(ACT_SORT_REV,  "sort-reverse", "S",         "reverse the sort order", \
	  PORTAL_SAME) \
	X(ACT_MARK,      "mark",      "Space",        "mark or unmark the line and move down", \
	  NULL) \
	X(ACT_MARK_ALL,  "mark-all",  "*",            "mark every line shown (again: unmark all)", \
	  NULL) \
	X(ACT_NEW,       "new",       "n",            "new record", \
	  "Deals: register a deal, checked for conflicts as you type") \
	X(ACT_EDIT,      "edit",      "e",            "edit the selected record", \
	  NULL) \
	X(ACT_ACTIVATE,  "activate",  "A",            "activate a program or partner", \
	  NULL) \
	X(ACT_PAUSE,     "pause",     "P",            "pause a program, suspend a partner", \
	  NULL) \
	X(ACT_END,       "end",       "E",            "end a program", \
	  NULL) \
	X(ACT_CODE,      "code",      "c",            "new referral code (programs, partners)", \
	  NULL) \
	X(ACT_AGREEMENT, "agreement", "w",            "add a signed agreement (partners)", \
	  NULL) \
	X(ACT_TIER,      "tier",      "t",            "assign a tier (partners)", \
	  NULL) \
	X(ACT_APPROVE,   "approve",   "a",            "approve the marked (or selected) commissions or deal registrations", \
	  NULL) \
	X(ACT_REJECT,    "reject",    "r",            "reject the marked commissions or deals, with a reason", \
	  NULL) \
	X(ACT_OVERRIDE,  "override",  "o",            "approve before the hold date ends, with a reason", \
	  NULL) \
	X(ACT_PAYOUT,    "payout",    "p",            "payout preview, then run with the checksum", \
	  NULL) \
	X(ACT_STATUS,    "status",    "f",            "cycle the status, stage or tier filter (Admin: users / audit log / webhooks)", \
	  NULL) \
	X(ACT_NARROW,    "narrow",    "F",            "narrow to a partner or program (Commissions), partner, tier or source (Deals), dates, program, tier, partner (Analytics)", \
	  NULL) \
	X(ACT_EXPORT,    "export",    "x",            "write the list shown to a CSV file", \
	  NULL) \
	X(ACT_INVITE,    "invite",    "i",            "invite the partner to the portal (mails a code)", \
	  NULL) \
	X(ACT_RESEND,    "resend",    "I",            "mail the partner a new code (the old one ends)", \
	  NULL) \
	X(ACT_REVOKE,    "revoke",    "X",            "end portal access: void codes, remove accounts", \
	  NULL) \
	X(ACT_RETRY,     "retry",     "R",            "Outbox: send the marked (or selected) mail again", \
	  NULL) \
	X(ACT_SEND_MAIL, "send-mail", "m",            "Outbox: start ally mail send in the background", \
	  "Statements: mail the selected month to your payout e-mail") \
	X(ACT_DELETE,    "delete",    "d",            "remove the selected user", \
	  NULL) \
	X(ACT_VERIFY,    "verify",    "v",            "verify the audit log's hash chain", \
	  NULL) \
	X(ACT_SAVE,      "save",      "C-s",          "save the form", \
	  PORTAL_SAME) \
	X(ACT_WIN,       "win",       "w",            "win the selected deal: final value and date (Deals)", \
	  NULL) \
	X(ACT_LOSE,      "lose",      "l",            "mark the selected deals lost (Deals)", \
	  NULL) \
	X(ACT_PIPELINE,  "pipeline",  "p",            "pipeline: partner and direct deals by stage (Deals)", \
	  NULL) \
	X(ACT_RANGE,     "range",     "d",            "Analytics: next date range (7, 30, 90 days, this or last month, quarter, year to date)", \
	  NULL) \
	X(ACT_SWITCH,    "switch",    "Left Right",   "Analytics: switch between the Referrals and Partners tabs", \
	  NULL) \
	X(ACT_CHART,     "chart",     "b",            "Analytics: the series as vertical bars or a braille line", \
	  NULL) \
	X(ACT_MESSAGES,  "messages",  "M",            "the last messages of the status line, whole", \
	  PORTAL_SAME)

enum action {
	ACT_NONE = 0,
#define X(id, name, keys, help, portal) id,
	ACTION_LIST(X)
#undef X
	ACT__COUNT
};

struct action_info {
	const char *name;
	const char *keys;       /* defaults, blank-separated key names */
	const char *help;
	const char *portal;     /* the portal's help; NULL: not in the portal */
};
const struct action_info *action_info(enum action a);
/* The help text of a in the portal (NULL: not offered there) or for staff. */
const char *action_help(enum action a, bool portal);
bool action_parse(const char *name, enum action *out);

/* "Enter", "C-s", "PgDn", "q" -> key; false if unknown. */
bool ui_key_parse(const char *name, int *key);
/* Name of a key for help and hints, into buf (>= 16 bytes). */
const char *ui_key_name(int key, char *buf);

/* Reset the map to the compiled-in defaults. */
void keymap_defaults(void);
/*
 * Bind action `name` to the keys in `keys` (blank separated), replacing
 * its defaults; "none" unbinds.  On error fills msg (>= 128 bytes).
 */
bool keymap_bind(const char *name, const char *keys, char *msg, size_t msglen);
/* The action bound to key, or ACT_NONE.  The defaults may give a key to
 * actions of different screens (w: agreement on Partners, win on Deals);
 * this answers the first of the table, and a screen with actions of its
 * own asks keymap_bound() for them first. */
enum action keymap_lookup(int key);
/* Does key trigger action a? */
bool keymap_bound(int key, enum action a);
/* Current keys of an action, blank separated, into buf. */
const char *keymap_keys(enum action a, char *buf, size_t len);

#endif
