/*
 * deals_form.c - the Deals tab's forms: a new registration, with the
 * conflict check run as the domain and company are typed, and winning a
 * deal (final value and date).
 *
 * The check is app_deal_check() on every change of either field: one short
 * read transaction over two indexes, fast enough per key.  Its answer is a
 * note under the domain field, not an error: a partner registration that
 * conflicts is still recorded (in stage conflict) for an admin to settle,
 * and a direct deal is recorded regardless.  The partner is typed: a
 * unique prefix of a name (or an id) is enough, and the match shows under
 * the field; Enter on it opens the type-ahead picker (any word).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/deals.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/date.h"
#include "domain/deal.h"
#include "ui/screens/common.h"
#include "ui/widgets/form.h"

/* ---- partners by name, for the partner field ---- */

struct partner_ref {
	char *id, *name, *tier, *status;
};

struct partner_list {
	struct partner_ref *p;
	size_t n, cap;
};

static const char *
cell_str(const struct row *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->c[i].name, name) == 0)
			return r->c[i].s ? r->c[i].s : "";
	return "";
}

static enum status
partner_add(void *ctx, const struct row *r)
{
	struct partner_list *l = ctx;
	struct partner_ref *p;

	l->p = xgrow(l->p, &l->cap, l->n + 1, sizeof *l->p);
	p = &l->p[l->n++];
	p->id = xstrdup(cell_str(r, "id"));
	p->name = xstrdup(cell_str(r, "name"));
	p->tier = xstrdup(cell_str(r, "tier"));
	p->status = xstrdup(cell_str(r, "status"));
	return ST_OK;
}

static void
partners_free(struct partner_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->p[i].id);
		free(l->p[i].name);
		free(l->p[i].tier);
		free(l->p[i].status);
	}
	free(l->p);
}

/*
 * The partner a typed value names: an id or a whole name (any case), else
 * the one name it begins.  NULL with why filled when none or several.
 */
static const struct partner_ref *
partner_match(const struct partner_list *l, const char *v, char *why, size_t len)
{
	const struct partner_ref *first = NULL, *second = NULL;
	size_t i, k = strlen(v), n = 0;

	for (i = 0; i < l->n; i++)
		if (strcasecmp(l->p[i].id, v) == 0 || strcasecmp(l->p[i].name, v) == 0)
			return &l->p[i];
	for (i = 0; k > 0 && i < l->n; i++) {
		if (strncasecmp(l->p[i].name, v, k) != 0)
			continue;
		if (n == 0)
			first = &l->p[i];
		else if (n == 1)
			second = &l->p[i];
		n++;
	}
	if (n == 1)
		return first;
	if (n == 0)
		snprintf(why, len, "no partner has this name or id");
	else if (n == 2)
		snprintf(why, len, "%s or %s? type more", first->name, second->name);
	else
		snprintf(why, len, "%s, %s or %zu more? type more", first->name, second->name, n - 2);
	return NULL;
}

/* ---- the registration form ---- */

static const char *const sources[] = { "partner", "direct", NULL };

enum { R_SOURCE, R_PARTNER, R_COMPANY, R_DOMAIN, R_VALUE, R_CLOSE, R_CONTACT, R_NOTES, R_N };

struct reg_form {
	struct partner_list partners;
	uint64_t id;
	char *saved_id;
};

static bool
is_direct(const struct form *f)
{
	return strcmp(form_value(f, R_SOURCE), "direct") == 0;
}

static void
check_partner(struct form *f, struct reg_form *rf)
{
	struct field *fd = &f->fields[R_PARTNER];
	const struct partner_ref *p;
	const char *v = form_value(f, R_PARTNER);
	char why[200] = "";

	fd->err[0] = fd->note[0] = '\0';
	fd->note_info = true;
	if (is_direct(f)) {
		if (!str_empty(v))
			snprintf(fd->err, sizeof fd->err, "a direct deal has no partner (Source: partner)");
		return;
	}
	if (str_empty(v))
		return;         /* the hint says what to type; save insists */
	if ((p = partner_match(&rf->partners, v, why, sizeof why)) == NULL) {
		snprintf(fd->err, sizeof fd->err, "%s", why);
		return;
	}
	if (strcmp(p->status, "suspended") == 0)
		snprintf(fd->err, sizeof fd->err, "%s is suspended", p->name);
	else
		snprintf(fd->note, sizeof fd->note, "%s %s%s%s", p->id, p->name,
		    p->tier[0] ? ", tier " : ", no tier", p->tier);
}

/* The live conflict check: its answer goes under the domain field. */
static void
check_conflict(struct ui *ui, struct form *f)
{
	struct field *dom = &f->fields[R_DOMAIN];
	const char *d = form_value(f, R_DOMAIN), *c = form_value(f, R_COMPANY);
	struct deal_conflict conflict;
	char text[320];
	char *norm = NULL;
	struct err e;

	dom->note[0] = '\0';
	err_clear(&e);
	if (!str_empty(d) && deal_domain_normalise(d, &norm, "domain", &e) != ST_OK) {
		/* a domain half typed: say what is wrong, check the company alone */
		snprintf(dom->err, sizeof dom->err, "%s", e.msg + (strncmp(e.msg, "domain: ", 8) ?
		    0 : 8));
		d = NULL;
	}
	free(norm);
	if (str_empty(d) && str_empty(c))
		return;
	err_clear(&e);
	if (app_deal_check(ui_app(ui), str_empty(d) ? NULL : d, str_empty(c) ? NULL : c, &conflict,
	    &e) != ST_OK) {
		snprintf(dom->note, sizeof dom->note, "conflict check failed: %.400s", e.msg);
		return;
	}
	if (conflict.deal == 0)
		return;
	deal_conflict_text(&conflict, text, sizeof text);
	snprintf(dom->note, sizeof dom->note, "conflicts with %s", text);
}

static void
reg_change(struct ui *ui, struct form *f, size_t i, void *ctx)
{
	struct reg_form *rf = ctx;

	switch (i) {
	case R_SOURCE:
	case R_PARTNER:
		check_partner(f, rf);
		break;
	case R_COMPANY:
	case R_DOMAIN:
		check_conflict(ui, f);
		break;
	default:
		break;
	}
}

static enum status
reg_save(struct ui *ui, struct form *f, void *ctx, struct err *e)
{
	struct reg_form *rf = ctx;
	struct deal_input in;
	struct deal_conflict conflict;
	const struct partner_ref *p = NULL;
	char why[200], id[24];
	enum status st;

	memset(&in, 0, sizeof in);
	in.direct = is_direct(f);
	if (!in.direct) {
		if (str_empty(form_value(f, R_PARTNER)))
			return err_set(e, ST_USAGE, "partner: required for a partner deal (or Source: direct)");
		p = partner_match(&rf->partners, form_value(f, R_PARTNER), why, sizeof why);
		if (p == NULL)
			return err_set(e, ST_DATA, "partner: %s", why);
		in.partner = p->id;
	}
	in.company = form_value_or_null(f, R_COMPANY);
	in.domain = form_value_or_null(f, R_DOMAIN);
	in.value = form_value_or_null(f, R_VALUE);
	in.close = form_value_or_null(f, R_CLOSE);
	in.contact = form_value_or_null(f, R_CONTACT);
	in.notes = form_value_or_null(f, R_NOTES);
	st = app_deal_register(ui_app(ui), &in, &rf->id, &conflict, e);
	if (st != ST_OK)
		return st;
	app_id_str(KIND_DEAL, rf->id, id);
	rf->saved_id = xstrdup(id);
	if (conflict.deal && !in.direct) {
		ui_message(ui, CR_WARNING, "%s registered, in conflict with D%llu: an admin decides", id,
		    (unsigned long long)conflict.deal);
	} else if (in.direct) {
		ui_message(ui, CR_OK, "%s: direct deal recorded (open)", id);
	} else {
		ui_message(ui, CR_OK, "%s registered: submitted for review", id);
	}
	return ST_OK;
}

char *
deals_register_form(struct ui *ui)
{
	struct field fields[R_N] = {
		[R_SOURCE] = { .key = "source", .label = "Source", .type = FIELD_CHOICE,
			.choices = sources, .hint = "Left/Right: a partner's registration or a direct deal" },
		[R_PARTNER] = { .key = "partner", .label = "Partner", .type = FIELD_PICK,
			.pick = KIND_PARTNER,
			.hint = "a partner's name (its first letters do) or id; Enter picks by any word" },
		[R_COMPANY] = { .key = "company", .label = "Company", .type = FIELD_TEXT,
			.required = true, .hint = "the customer; checked for conflicts as you type" },
		[R_DOMAIN] = { .key = "domain", .label = "Domain", .type = FIELD_TEXT,
			.required = true, .hint = "the customer's web domain, e.g. example.com" },
		[R_VALUE] = { .key = "value", .label = "Estimated value", .type = FIELD_MONEY,
			.required = true },
		[R_CLOSE] = { .key = "close", .label = "Expected close", .type = FIELD_DATE,
			.hint = "YYYY-MM-DD, may be empty" },
		[R_CONTACT] = { .key = "contact", .label = "Contact e-mail", .type = FIELD_EMAIL },
		[R_NOTES] = { .key = "notes", .label = "Notes", .type = FIELD_TEXT },
	};
	struct form f = { .title = "New deal registration", .fields = fields, .n = R_N,
		.save = reg_save, .change = reg_change };
	struct list_filter lf = { .limit = 0 };
	struct reg_form rf;
	struct err e;
	char *out = NULL;

	memset(&rf, 0, sizeof rf);
	err_clear(&e);
	if (app_list(ui_app(ui), KIND_PARTNER, &lf, partner_add, &rf.partners, &e) != ST_OK) {
		ui_message(ui, CR_ERROR, "%s", e.msg);
		partners_free(&rf.partners);
		return NULL;
	}
	f.cur = app_currency(ui_app(ui));
	f.ctx = &rf;
	form_set(&f, R_SOURCE, "partner");
	if (form_run(ui, &f))
		out = rf.saved_id;
	else
		free(rf.saved_id);
	partners_free(&rf.partners);
	return out;
}

/* ---- winning ---- */

enum { W_VALUE, W_DATE, W_N };

static enum status
win_save(struct ui *ui, struct form *f, void *ctx, struct err *e)
{
	const char *id = ctx;
	enum status st;

	st = app_deal_decide(ui_app(ui), id, DEAL_DO_WIN, NULL, form_value_or_null(f, W_VALUE),
	    form_value_or_null(f, W_DATE), NULL, e);
	if (st == ST_OK)
		ui_message(ui, CR_OK, "%s won: %s", id, form_value(f, W_VALUE));
	return st;
}

bool
deals_win_form(struct ui *ui, const char *id, const char *estimate)
{
	struct field fields[W_N] = {
		[W_VALUE] = { .key = "value", .label = "Final value", .type = FIELD_MONEY,
			.required = true, .hint = "what the customer signed for" },
		[W_DATE] = { .key = "date", .label = "Won on", .type = FIELD_DATE, .required = true,
			.hint = "YYYY-MM-DD, not in the future" },
	};
	struct form f = { .fields = fields, .n = W_N, .save = win_save, .ctx = (void *)id };
	char today[DATE_BUFSZ];
	char *title = xasprintf("Win deal %s", id);
	bool ok;

	f.title = title;
	f.cur = app_currency(ui_app(ui));
	form_set(&f, W_VALUE, estimate);
	form_set(&f, W_DATE, date_format_day(clock_now(), today));
	ok = form_run(ui, &f);
	free(title);
	return ok;
}
