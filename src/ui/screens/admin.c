/*
 * admin.c - the Admin tab: the organisation's settings, users and their
 * roles (add, change role, remove), the audit log, and (for admins) the
 * webhook endpoints with their deliveries; f steps through the three.
 * Every action goes through app/, which refuses it to non-admins with the
 * same message the CLI gives.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/deals.h"
#include "app/ledger.h"
#include "core/alloc.h"
#include "core/date.h"
#include "core/str.h"
#include "ui/screens/common.h"
#include "ui/text.h"
#include "ui/widgets/dialog.h"
#include "ui/widgets/form.h"
#include "ui/widgets/picker.h"
#include "ui/widgets/table.h"

enum admin_view { V_USERS, V_AUDIT, V_HOOKS };

struct admin {
	struct table users;
	struct table audit;
	struct table hooks;
	enum admin_view view;
	char audit_err[512];
	char *actor;            /* F: only this user's audit entries; NULL: all */
};

static const struct table_colspec user_cols[] = {
	{ "id", "Id", 6, COL_LOW, 0 }, { "login", "Login", 24, COL_KEEP, 0 }, { "role", "Role", 10, COL_NORMAL, 0 },
	{ "partner", "Partner", 24, COL_NORMAL, 0 }, { "created", "Created", 16, COL_LOW, 0 },
};

static const struct table_colspec audit_cols[] = {
	{ "id", "Id", 8, COL_LOW, 0 }, { "at", "When", 16, COL_LOW, 0 }, { "actor", "Actor", 12, COL_NORMAL, 0 },
	{ "action", "Action", 22, COL_KEEP, 0 }, { "record", "Record", 10, COL_NORMAL, 0 },
};

static const struct table_colspec hook_cols[] = {
	{ "id", "Id", 5, COL_LOW, 0 }, { "url", "URL", 30, COL_NORMAL, 20 },
	{ "pending", "Pending", 7, COL_KEEP, 0 }, { "failing", "Failing", 7, COL_KEEP, 0 },
	{ "delivered", "Sent", 6, COL_KEEP, 0 }, { "failures", "Failed", 6, COL_KEEP, 0 },
	{ "last_error", "Last error", 24, COL_NORMAL, 10 }, { "last", "Last attempt", 16, COL_LOW, 0 },
	{ "last_code", "HTTP", 4, COL_LOW, 0 }, { "events", "Events", 24, COL_NORMAL, 0 },
};

static void *
admin_open(struct ui *ui, const void *arg)
{
	struct admin *s = xcalloc(1, sizeof *s);

	(void)ui;
	(void)arg;
	table_init(&s->users, user_cols, sizeof user_cols / sizeof user_cols[0]);
	table_init(&s->audit, audit_cols, sizeof audit_cols / sizeof audit_cols[0]);
	s->audit.sort_col = -1;
	table_init(&s->hooks, hook_cols, sizeof hook_cols / sizeof hook_cols[0]);
	s->hooks.empty = "No webhook endpoint. Add one with: ally webhook add URL --events LIST";
	return s;
}

static void
admin_close(void *st)
{
	struct admin *s = st;

	table_free(&s->users);
	table_free(&s->audit);
	table_free(&s->hooks);
	free(s->actor);
	free(s);
}

/* table_add for the audit log narrowed to one user (F). */
static enum status
add_audit(void *ctx, const struct row *r)
{
	struct admin *s = ctx;
	size_t i;

	for (i = 0; s->actor && i < r->n; i++)
		if (strcmp(r->c[i].name, "actor") == 0 &&
		    (r->c[i].s == NULL || strcmp(r->c[i].s, s->actor) != 0))
			return ST_OK;
	return table_add(&s->audit, r);
}

static void
admin_load(struct ui *ui, void *st)
{
	struct admin *s = st;
	struct err e;

	err_clear(&e);
	table_begin(&s->users);
	if (app_list(ui_app(ui), KIND_USER, NULL, table_add, &s->users, &e) != ST_OK)
		s->users.empty = "Only admins may list users.";
	table_end(&s->users);
	if (s->view == V_HOOKS) {
		err_clear(&e);
		table_begin(&s->hooks);
		if (app_webhook_list(ui_app(ui), table_add, &s->hooks, &e) != ST_OK)
			s->hooks.empty = "Only admins manage webhooks.";
		table_end(&s->hooks);
		return;
	}
	if (s->view != V_AUDIT)
		return;
	err_clear(&e);
	s->audit_err[0] = '\0';
	table_begin(&s->audit);
	if (app_list(ui_app(ui), KIND_AUDIT, NULL, add_audit, s, &e) != ST_OK)
		snprintf(s->audit_err, sizeof s->audit_err, "%s", e.msg[0] ? e.msg : status_str(e.st));
	table_end(&s->audit);
}

static void
admin_draw(struct ui *ui, void *st, int y0, int rows)
{
	struct admin *s = st;
	struct app *a = ui_app(ui);
	uint64_t file = 0, map = 0;
	char line[512];
	const struct settings *set;
	struct err e;
	int y = y0 + 1;

	if (s->view == V_HOOKS) {
		ui_title(ui, y0, "Admin: webhooks", ui_webhook_sending(ui) ?
		    "sending...  Enter deliveries  t test  d remove  f users" :
		    "Enter deliveries  m send  t test  d remove  f users");
	} else if (s->view == V_AUDIT) {
		char *raw = xasprintf("Admin: audit log%s%s", s->actor ? ", by " : "",
		    s->actor ? s->actor : "");
		char *title = ui_text(raw);
		ui_title(ui, y0, title, ui_may(ui, PERM_ADMIN) ?
		    "Enter before/after  v verify  F user  f webhooks  q users" :
		    "Enter before/after  v verify  q users");
		free(title);
		free(raw);
	} else {
		ui_title(ui, y0, "Admin: users and settings",
		    ui_may(ui, PERM_ADMIN) ? "n add  e role  d remove  f audit log" : "f audit log");
	}
	err_clear(&e);
	if (app_settings_read(a, &set, &e) != ST_OK) {
		/* the same refusal as ally settings show: app/ decides */
		ui_put_text(ui, y++, 2, ui_cols(ui) - 4, e.msg, CR_DIM);
		y += 2;
	} else {
		char *org = ui_text(set->org), *tz = ui_text(set->timezone);
		char *rule = ui_text(set->deal_rule ? set->deal_rule : "(none)");
		app_sizes(a, &file, &map);
		snprintf(line, sizeof line, "Organisation %s   currency %s   time zone %s", org,
		    set->currency, tz);
		ui_put(ui, y++, 2, ui_cols(ui) - 4, line, CR_NORMAL);
		snprintf(line, sizeof line, "Default deal rule %s   data file %" PRIu64 " KiB of a %"
		    PRIu64 " MiB map", rule, file / 1024, map >> 20);
		ui_put(ui, y++, 2, ui_cols(ui) - 4, line, CR_NORMAL);
		ui_put(ui, y++, 2, ui_cols(ui) - 4,
		    "Change them with: ally settings set --org NAME --timezone ZONE --deal-rule RULE",
		    CR_DIM);
		free(org);
		free(tz);
		free(rule);
	}
	ui_hline(ui, y++, 0, ui_cols(ui));
	if (s->view == V_USERS) {
		table_draw(ui, &s->users, y, y0 + rows - y);
		return;
	}
	if (s->view == V_HOOKS) {
		table_draw(ui, &s->hooks, y, y0 + rows - y);
		return;
	}
	if (s->audit_err[0]) {
		static const char *const page[] = {
			"#Audit log",
			"The audit log is listed here once the ledger keeps it. Today:",
			"$ally audit list",
			"$ally audit verify",
			NULL
		};
		ui_put_text(ui, y, 2, ui_cols(ui) - 4, s->audit_err, CR_DIM);
		screen_page(ui, y + 2, y0 + rows - y - 2, page);
		return;
	}
	table_draw(ui, &s->audit, y, y0 + rows - y);
}

/* ---- users ---- */

static const char *const roles[] = { "admin", "manager", "support", "partner", NULL };

enum { F_LOGIN, F_ROLE, F_PARTNER, F_N };

static enum status
user_save(struct ui *ui, struct form *f, void *ctx, struct err *e)
{
	uint64_t out;
	enum status st;

	(void)ctx;
	st = app_user_add(ui_app(ui), form_value(f, F_LOGIN), form_value(f, F_ROLE),
	    form_value_or_null(f, F_PARTNER), &out, e);
	if (st == ST_OK)
		ui_message(ui, CR_OK, "user %s added as %s", form_value(f, F_LOGIN),
		    form_value(f, F_ROLE));
	return st;
}

static void
user_add(struct ui *ui, struct admin *s)
{
	struct field fields[F_N] = {
		[F_LOGIN] = { .key = "login", .label = "Login", .type = FIELD_TEXT, .required = true,
			.hint = "the person's Unix account name" },
		[F_ROLE] = { .key = "role", .label = "Role", .type = FIELD_CHOICE, .choices = roles },
		[F_PARTNER] = { .key = "partner", .label = "Partner", .type = FIELD_PICK,
			.pick = KIND_PARTNER,
			.hint = "for the partner role: any word of its name, Enter picks" },
	};
	struct form f = { .title = "New user", .fields = fields, .n = F_N, .save = user_save };

	f.cur = app_currency(ui_app(ui));
	form_set(&f, F_ROLE, "support");
	if (form_run(ui, &f))
		ui_reload(ui);
	(void)s;
}

static void
user_role(struct ui *ui, struct admin *s)
{
	const char *login = table_current_cell(&s->users, "login");
	const char *role = table_current_cell(&s->users, "role");
	char *who;
	struct err e;
	size_t at = 0, i;
	int k;

	if (login == NULL)
		return;
	for (i = 0; roles[i]; i++)
		if (role && strcmp(role, roles[i]) == 0)
			at = i;
	k = ui_choose(ui, "Role", roles, 4, at);
	if (k < 0)
		return;
	who = xstrdup(login);
	err_clear(&e);
	if (screen_report(ui, app_user_set_role(ui_app(ui), who, roles[k], &e), &e, NULL))
		ui_message(ui, CR_OK, "%s is now %s", who, roles[k]);
	free(who);
	ui_reload(ui);
}

static void
user_remove(struct ui *ui, struct admin *s)
{
	const char *login = table_current_cell(&s->users, "login");
	char *q, *who;
	struct err e;

	if (login == NULL)
		return;
	who = xstrdup(login);
	q = xasprintf("Remove user %s? They lose access at once.", who);
	if (ui_confirm(ui, q)) {
		err_clear(&e);
		if (screen_report(ui, app_user_remove(ui_app(ui), who, &e), &e, NULL))
			ui_message(ui, CR_OK, "user %s removed", who);
		ui_reload(ui);
	}
	free(q);
	free(who);
}

/* A JSON value as one line of text (strings without their quotes). */
static char *
json_text(const json_t *v)
{
	if (v == NULL)
		return xstrdup("(none)");
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* The fields the entry changed, one a line: "name: before -> after". */
static void
audit_changes(struct sbuf *b, const char *before, const char *after)
{
	json_t *jb = before[0] ? json_loads(before, 0, NULL) : NULL;
	json_t *ja = after[0] ? json_loads(after, 0, NULL) : NULL;
	const json_t *all = ja ? ja : jb;
	const char *key;
	json_t *v;
	int n = 0;

	sbuf_add(b, "Changed\n");
	if (jb == NULL || ja == NULL) {
		/* an insert or a deletion: every field would be listed twice */
		sbuf_add(b, ja != NULL ? "  (a new record: its fields are under After)\n" :
		    jb != NULL ? "  (removed: its fields are under Before)\n" : "  (no field changed)\n");
		json_decref(jb);
		json_decref(ja);
		return;
	}
	if (json_is_object(all)) {
		json_object_foreach((json_t *)all, key, v) {
			const json_t *o = jb ? json_object_get(jb, key) : NULL;
			const json_t *a = ja ? json_object_get(ja, key) : NULL;
			char *so, *sa;
			if (o && a && json_equal(o, a))
				continue;
			so = json_text(o);
			sa = json_text(a);
			sbuf_addf(b, "  %s: %s -> %s\n", key, so ? so : "", sa ? sa : "");
			free(so);
			free(sa);
			n++;
		}
	}
	if (n == 0)
		sbuf_add(b, "  (no field changed)\n");
	json_decref(jb);
	json_decref(ja);
}

/* Every field of a record's JSON, one a line; its text when not JSON. */
static void
audit_fields(struct sbuf *b, const char *json, const char *none)
{
	json_t *j = json[0] ? json_loads(json, 0, NULL) : NULL;
	const char *key;
	json_t *v;

	if (!json[0]) {
		sbuf_addf(b, "  %s\n", none);
	} else if (!json_is_object(j)) {
		sbuf_addf(b, "  %s\n", json);
	} else {
		json_object_foreach(j, key, v) {
			char *t = json_text(v);
			sbuf_addf(b, "  %s: %s\n", key, t ? t : "");
			free(t);
		}
	}
	json_decref(j);
}

/* Enter on an audit entry: who did what to which record, and the record
 * before and after, whole. */
static void
audit_entry(struct ui *ui, struct admin *s)
{
	const char *id = table_current(&s->audit);
	struct recfields rf;
	struct sbuf b;
	char *title;

	if (!id[0] || !rec_fields(ui, KIND_AUDIT, id, &rf))
		return;
	sbuf_init(&b);
	sbuf_addf(&b, "  When     %s\n  Actor    %s\n  Action   %s\n  Record   %s\n\n",
	    rec_field(&rf, "at"), rec_field(&rf, "actor"), rec_field(&rf, "action"),
	    rec_field(&rf, "record")[0] ? rec_field(&rf, "record") : "(none)");
	audit_changes(&b, rec_field(&rf, "before"), rec_field(&rf, "after"));
	sbuf_add(&b, "\nBefore\n");
	audit_fields(&b, rec_field(&rf, "before"), "(nothing: a new record)");
	sbuf_add(&b, "\nAfter\n");
	audit_fields(&b, rec_field(&rf, "after"), "(nothing: removed)");
	sbuf_addf(&b, "\nChain hash\n  %s\n", rec_field(&rf, "hash"));
	title = xasprintf("Audit entry %s", id);
	ui_show_text(ui, title, sbuf_str(&b));
	free(title);
	sbuf_free(&b);
	rec_fields_free(&rf);
}

/* v: the hash chain checked, as ally audit verify does. */
static void
audit_verify(struct ui *ui)
{
	struct err e;
	uint64_t n = 0;

	err_clear(&e);
	if (app_audit_verify(ui_app(ui), &n, &e) != ST_OK)
		ui_message(ui, CR_ERROR, "%s", e.msg);
	else
		ui_message(ui, CR_OK, "audit chain intact: %" PRIu64 " entries verified", n);
}

/* ---- webhooks ---- */

#define HOOK_RECENT 15          /* deliveries shown on an endpoint's page */

struct recent {
	const char *webhook;
	char *line[HOOK_RECENT];
	size_t n;               /* seen in all; the newest HOOK_RECENT kept */
};

static const char *
cell_s(const struct row *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->c[i].name, name) == 0)
			return r->c[i].s != NULL ? r->c[i].s : "";
	return "";
}

static int64_t
cell_i(const struct row *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->c[i].name, name) == 0)
			return r->c[i].i;
	return 0;
}

/* app_webhook_deliveries' rows of one endpoint, the newest kept. */
static enum status
add_recent(void *ctx, const struct row *r)
{
	struct recent *rc = ctx;
	char when[DATE_BUFSZ], code[24] = "";
	char **slot;
	int64_t at = cell_i(r, "delivered") ? cell_i(r, "delivered") : cell_i(r, "queued");
	const char *err = cell_s(r, "last_error");

	if (strcmp(cell_s(r, "webhook"), rc->webhook) != 0)
		return ST_OK;
	slot = &rc->line[rc->n % HOOK_RECENT];
	free(*slot);
	if (cell_i(r, "last_code"))
		snprintf(code, sizeof code, "  HTTP %" PRId64, cell_i(r, "last_code"));
	*slot = xasprintf("  %-6s %-20s %-7s %-9s %s  %" PRId64 " attempt%s%s%s%s",
	    cell_s(r, "id"), cell_s(r, "event"), cell_s(r, "record"), cell_s(r, "state"),
	    date_format_minute(at, when), cell_i(r, "attempts"),
	    cell_i(r, "attempts") == 1 ? "" : "s", code, err[0] ? "\n           " : "", err);
	rc->n++;
	return ST_OK;
}

/* Enter on an endpoint: its account and its newest deliveries. */
static void
hook_page(struct ui *ui, struct admin *s)
{
	const char *id = table_current(&s->hooks), *last, *code;
	struct recent rc;
	struct sbuf b;
	struct err e;
	size_t i, first;
	char *title;

	if (!id[0])
		return;
	memset(&rc, 0, sizeof rc);
	rc.webhook = id;
	err_clear(&e);
	if (!screen_report(ui, app_webhook_deliveries(ui_app(ui), false, add_recent, &rc, &e), &e,
	    NULL))
		return;
	sbuf_init(&b);
	sbuf_addf(&b, "  URL        %s\n  Events     %s\n  Pending    %s, %s of them failing\n"
	    "  Delivered  %s; failed attempts %s\n",
	    table_current_cell(&s->hooks, "url"), table_current_cell(&s->hooks, "events"),
	    table_current_cell(&s->hooks, "pending"), table_current_cell(&s->hooks, "failing"),
	    table_current_cell(&s->hooks, "delivered"), table_current_cell(&s->hooks, "failures"));
	last = table_current_cell(&s->hooks, "last");
	code = table_current_cell(&s->hooks, "last_code");
	if (last == NULL || !last[0])
		sbuf_add(&b, "  Last       no attempt yet\n\n");
	else
		/* the error on a line of its own: a long one wraps under itself */
		sbuf_addf(&b, "  Last       %s, %s%s\n             %s\n\n", last,
		    code != NULL && strcmp(code, "0") != 0 ? "HTTP " : "no answer",
		    code != NULL && strcmp(code, "0") != 0 ? code : "",
		    *table_current_cell(&s->hooks, "last_error") ?
		    table_current_cell(&s->hooks, "last_error") : "none: delivered");
	if (rc.n == 0) {
		sbuf_add(&b, "No delivery yet.\n");
	} else {
		sbuf_addf(&b, "Newest deliveries (%zu of %zu; all: ally webhook deliveries)\n",
		    rc.n < HOOK_RECENT ? rc.n : HOOK_RECENT, rc.n);
		first = rc.n > HOOK_RECENT ? rc.n - HOOK_RECENT : 0;
		for (i = rc.n; i-- > first;)
			sbuf_addf(&b, "%s\n", rc.line[i % HOOK_RECENT]);
	}
	sbuf_add(&b, "\nThe secret is never shown; webhook send (cron) delivers what is due.\n");
	title = xasprintf("Webhook %s", id);
	ui_show_text(ui, title, sbuf_str(&b));
	free(title);
	sbuf_free(&b);
	for (i = 0; i < HOOK_RECENT; i++)
		free(rc.line[i]);
}

static void
hook_test(struct ui *ui, struct admin *s)
{
	const char *id = table_current(&s->hooks);
	char *ref, dbuf[24];
	uint64_t d;
	struct err e;

	if (!id[0])
		return;
	ref = xstrdup(id);
	err_clear(&e);
	if (screen_report(ui, app_webhook_test(ui_app(ui), ref, &d, &e), &e, NULL))
		ui_message(ui, CR_OK, "%s webhook.test queued for %s (webhook send delivers it)",
		    app_id_str(KIND_DELIVERY, d, dbuf), ref);
	free(ref);
	ui_reload(ui);
}

static void
hook_remove(struct ui *ui, struct admin *s)
{
	const char *id = table_current(&s->hooks);
	char *q, *ref;
	uint64_t out;
	unsigned dropped;
	struct err e;

	if (!id[0])
		return;
	ref = xstrdup(id);
	q = xasprintf("Remove webhook %s and its %s undelivered deliveries?", ref,
	    table_current_cell(&s->hooks, "pending"));
	if (ui_confirm(ui, q)) {
		err_clear(&e);
		if (screen_report(ui, app_webhook_remove(ui_app(ui), ref, &out, &dropped, &e), &e, NULL))
			ui_message(ui, CR_OK, "%s removed; %u undelivered dropped", ref, dropped);
		ui_reload(ui);
	}
	free(q);
	free(ref);
}

static bool
hooks_key(struct ui *ui, struct admin *s, enum action act, int key)
{
	if (table_key(&s->hooks, act, key))
		return true;
	switch (act) {
	case ACT_QUIT:
	case ACT_BACK:
	case ACT_STATUS:
		s->view = V_USERS;
		admin_load(ui, s);
		return true;
	case ACT_OPEN:
		hook_page(ui, s);
		return true;
	case ACT_TIER:
		hook_test(ui, s);
		return true;
	case ACT_SEND_MAIL: {
		char why[160];
		if (ui_webhook_send(ui, why, sizeof why))
			ui_message(ui, CR_OK, "ally webhook send started in the background");
		else
			ui_message(ui, CR_WARNING, "%s", why);
		return true;
	}
	case ACT_DELETE:
		hook_remove(ui, s);
		return true;
	case ACT_NEW:
	case ACT_EDIT:
		ui_message(ui, CR_WARNING, "endpoints are added with ally webhook add");
		return true;
	default:
		return false;
	}
}

/* Keys of the audit log: back with q or Esc, Enter and v; the user keys
 * are refused with where they work. */
static bool
audit_key(struct ui *ui, struct admin *s, enum action act, int key)
{
	if (table_key(&s->audit, act, key))
		return true;
	switch (act) {
	case ACT_QUIT:
	case ACT_BACK:
		s->view = V_USERS;
		admin_load(ui, s);
		return true;
	case ACT_STATUS:
		s->view = ui_may(ui, PERM_WEBHOOK) ? V_HOOKS : V_USERS;
		admin_load(ui, s);
		return true;
	case ACT_OPEN:
		audit_entry(ui, s);
		return true;
	case ACT_VERIFY:
		audit_verify(ui);
		return true;
	case ACT_NARROW: {
		char *v = ui_pick(ui, "Only the entries of this user (empty: everyone's)", KIND_USER,
		    s->actor, true);
		if (v != NULL) {
			free(s->actor);
			s->actor = v[0] ? v : NULL;
			if (v[0] == '\0')
				free(v);
			s->audit.empty = s->actor ? "No entry by this user." : NULL;
			admin_load(ui, s);
		}
		return true;
	}
	case ACT_NEW:
	case ACT_EDIT:
	case ACT_DELETE:
		ui_message(ui, CR_WARNING, "the audit log is read-only: q goes back to the users");
		return true;
	default:
		return false;
	}
}

static bool
admin_key(struct ui *ui, void *st, enum action act, int key)
{
	struct admin *s = st;

	if (s->view == V_AUDIT)
		return audit_key(ui, s, act, key);
	if (s->view == V_HOOKS)
		return hooks_key(ui, s, act, key);
	if (table_key(&s->users, act, key))
		return true;
	switch (act) {
	case ACT_STATUS:
		s->view = V_AUDIT;
		admin_load(ui, s);
		break;
	case ACT_NEW:
		user_add(ui, s);
		break;
	case ACT_EDIT:
		user_role(ui, s);
		break;
	case ACT_DELETE:
		user_remove(ui, s);
		break;
	case ACT_VERIFY:
		audit_verify(ui);
		break;
	default:
		return false;
	}
	return true;
}

static const struct screen_key screen_admin_keys[] = {
	SK(ACT_NEW, "add a user", PERM_ADMIN),
	SK(ACT_EDIT, "change the selected user's role", PERM_ADMIN),
	SK(ACT_DELETE, "remove the selected user", PERM_ADMIN),
	SK_ANY(ACT_STATUS, "the audit log, then (admins) the webhooks, then the users"),
	SK_ANY(ACT_VERIFY, NULL),
	SK_ANY(ACT_OPEN, "audit log: the entry, what it changed, before and after"),
	SK(ACT_NARROW, "audit log: only one user's entries (a picker)", PERM_ADMIN),
	SK(ACT_TIER, "webhooks: queue a webhook.test delivery to the selected endpoint", PERM_WEBHOOK),
	SK(ACT_SEND_MAIL, "webhooks: start ally webhook send in the background", PERM_WEBHOOK),
	SK_LIST,
	SK_END
};

static struct table *
screen_admin_list(void *st)
{
	struct admin *s = st;

	return s->view == V_AUDIT ? &s->audit : s->view == V_HOOKS ? &s->hooks : &s->users;
}

static bool
screen_admin_typing(void *st)
{
	const struct admin *s = st;

	return s->users.filtering || s->audit.filtering || s->hooks.filtering;
}

const struct screen_ops screen_admin = {
	.name = "Admin",
	.open = admin_open,
	.close = admin_close,
	.load = admin_load,
	.draw = admin_draw,
	.key = admin_key,
	.keys = screen_admin_keys,
	.typing = screen_admin_typing,
	.list = screen_admin_list,
};
