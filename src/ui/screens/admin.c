/*
 * admin.c - the Admin tab: the organisation's settings, users and their
 * roles (add, change role, remove), and the audit log (f switches).
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
#include "ui/screens/common.h"
#include "ui/text.h"
#include "ui/widgets/dialog.h"
#include "ui/widgets/form.h"
#include "ui/widgets/picker.h"
#include "ui/widgets/table.h"

struct admin {
	struct table users;
	struct table audit;
	bool show_audit;
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

static void *
admin_open(struct ui *ui, const void *arg)
{
	struct admin *s = xcalloc(1, sizeof *s);

	(void)ui;
	(void)arg;
	table_init(&s->users, user_cols, sizeof user_cols / sizeof user_cols[0]);
	table_init(&s->audit, audit_cols, sizeof audit_cols / sizeof audit_cols[0]);
	s->audit.sort_col = -1;
	return s;
}

static void
admin_close(void *st)
{
	struct admin *s = st;

	table_free(&s->users);
	table_free(&s->audit);
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
	if (!s->show_audit)
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

	if (s->show_audit) {
		char *raw = xasprintf("Admin: audit log%s%s", s->actor ? ", by " : "",
		    s->actor ? s->actor : "");
		char *title = ui_text(raw);
		ui_title(ui, y0, title, ui_may(ui, PERM_ADMIN) ?
		    "Enter before/after  v verify  F user  q users" : "Enter before/after  v verify  q users");
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
	if (!s->show_audit) {
		table_draw(ui, &s->users, y, y0 + rows - y);
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
	case ACT_STATUS:
		s->show_audit = false;
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

	if (s->show_audit)
		return audit_key(ui, s, act, key);
	if (table_key(&s->users, act, key))
		return true;
	switch (act) {
	case ACT_STATUS:
		s->show_audit = !s->show_audit;
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
	SK_ANY(ACT_STATUS, "the audit log (again: the users)"),
	SK_ANY(ACT_VERIFY, NULL),
	SK_ANY(ACT_OPEN, "audit log: the entry, what it changed, before and after"),
	SK(ACT_NARROW, "audit log: only one user's entries (a picker)", PERM_ADMIN),
	SK_LIST,
	SK_END
};

static struct table *
screen_admin_list(void *st)
{
	struct admin *s = st;

	return s->show_audit ? &s->audit : &s->users;
}

static bool
screen_admin_typing(void *st)
{
	const struct admin *s = st;

	return s->users.filtering || s->audit.filtering;
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
