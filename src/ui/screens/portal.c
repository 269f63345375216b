/*
 * portal.c - the partner portal's screens: 1 Links, 2 Referrals, 3 Deals,
 * 4 Commissions, 5 Statements, and the pages they open (a link to copy, a
 * statement, a deal's reason).
 *
 * Every row comes from an app_portal_* call, which is scoped to the
 * logged-in partner in app/; nothing here filters anyone out.  The shell
 * checks the session before each key (loop.c), so a revoked partner is
 * out at the next key press.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app/conf.h"
#include "app/portal.h"
#include "core/alloc.h"
#include "domain/deal.h"
#include "ui/screens/common.h"
#include "ui/text.h"
#include "ui/widgets/form.h"
#include "ui/widgets/table.h"

typedef enum status (*portal_list_fn)(struct app *, row_fn, void *, struct err *);

/* ---- a page of text: a link to copy, a statement ---- */

struct page {
	char *title;
	char **lines;
	size_t n;
	int scroll;
};

struct page_arg {
	const char *title;
	const char *text;
};

static void *
page_open(struct ui *ui, const void *arg)
{
	const struct page_arg *pa = arg;
	struct page *p = xcalloc(1, sizeof *p);
	size_t cap = 0;
	const char *s = pa->text, *nl;

	(void)ui;
	p->title = xstrdup(pa->title);
	while (*s != '\0') {
		nl = strchr(s, '\n');
		p->lines = xgrow(p->lines, &cap, p->n + 1, sizeof *p->lines);
		p->lines[p->n++] = xstrndup(s, nl ? (size_t)(nl - s) : strlen(s));
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	return p;
}

static void
page_close(void *st)
{
	struct page *p = st;
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->lines[i]);
	free(p->lines);
	free(p->title);
	free(p);
}

static void
page_draw(struct ui *ui, void *st, int y, int rows)
{
	struct page *p = st;
	int i;

	ui_title(ui, y, p->title, "q back");
	if (p->scroll > (int)p->n - (rows - 2))
		p->scroll = (int)p->n - (rows - 2) > 0 ? (int)p->n - (rows - 2) : 0;
	for (i = 0; i < rows - 2 && (size_t)(p->scroll + i) < p->n; i++)
		ui_put_text(ui, y + 2 + i, 0, ui_cols(ui), p->lines[p->scroll + i], CR_NORMAL);
}

static bool
page_key(struct ui *ui, void *st, enum action act, int key)
{
	struct page *p = st;

	(void)ui;
	(void)key;
	switch (act) {
	case ACT_DOWN: p->scroll++; break;
	case ACT_UP: p->scroll--; break;
	case ACT_PAGE_DOWN: p->scroll += 10; break;
	case ACT_PAGE_UP: p->scroll -= 10; break;
	case ACT_TOP: p->scroll = 0; break;
	case ACT_BOTTOM: p->scroll = (int)p->n; break;
	default: return false;
	}
	if (p->scroll < 0)
		p->scroll = 0;
	return true;
}

static const struct screen_ops screen_portal_page = {
	.name = "Page",
	.open = page_open,
	.close = page_close,
	.draw = page_draw,
	.key = page_key,
};

static void
show_page(struct ui *ui, const char *title, const char *text)
{
	struct page_arg pa = { title, text };

	ui_push(ui, &screen_portal_page, &pa);
}

/* ---- a list screen: one app_portal_* call into a table ---- */

struct plist {
	struct table t;
	portal_list_fn list;
	const char *title, *keys;
	struct money_sums sums[3];      /* commissions: pending, approved, paid, per currency */
	const char *cur;
};

static struct plist *
plist_new(const struct table_colspec *cols, size_t n, portal_list_fn list, const char *title,
    const char *keys, const char *empty)
{
	struct plist *s = xcalloc(1, sizeof *s);

	table_init(&s->t, cols, n);
	s->t.empty = empty;
	s->list = list;
	s->title = title;
	s->keys = keys;
	return s;
}

static void
plist_close(void *st)
{
	struct plist *s = st;
	size_t i;

	table_free(&s->t);
	for (i = 0; i < 3; i++)
		money_sums_free(&s->sums[i]);
	free(s);
}

static void
plist_load(struct ui *ui, void *st)
{
	struct plist *s = st;
	struct err e;

	err_clear(&e);
	table_begin(&s->t);
	if (s->list(ui_app(ui), table_add, &s->t, &e) != ST_OK)
		ui_message(ui, CR_ERROR, "%s", e.msg);
	table_end(&s->t);
}

static void
plist_draw(struct ui *ui, void *st, int y, int rows)
{
	struct plist *s = st;

	ui_title(ui, y, s->title, s->keys);
	table_draw(ui, &s->t, y + 1, rows - 1);
}

static bool
plist_key(struct ui *ui, void *st, enum action act, int key)
{
	struct plist *s = st;

	(void)ui;
	/* nothing in the portal works on marked lines: no marks (the help
	 * lists only the portal's actions, see action.h) */
	if (!s->t.filtering && (act == ACT_MARK || act == ACT_MARK_ALL))
		return false;
	return table_key(&s->t, act, key);
}

/* ---- 1 Links ---- */

static const struct table_colspec link_cols[] = {
	{ "code", "Code", 16, COL_KEEP, 0 }, { "program", "Program", 24, COL_KEEP, 0 }, { "status", "Status", 9, COL_NORMAL, 0 },
	{ "link", "Link", 60, COL_KEEP, 0 },
};

static void *
links_open(struct ui *ui, const void *arg)
{
	(void)ui;
	(void)arg;
	return plist_new(link_cols, 4, app_portal_links, "My links and codes", "Enter copy",
	    "No codes yet: ask your contact for one.");
}

/* Enter: the code and link alone on a page, whole, to copy with the mouse. */
static bool
links_key(struct ui *ui, void *st, enum action act, int key)
{
	struct plist *s = st;
	const char *code, *link;
	char *text;

	if (act != ACT_OPEN)
		return plist_key(ui, st, act, key);
	code = table_current_cell(&s->t, "code");
	link = table_current_cell(&s->t, "link");
	if (code == NULL)
		return true;
	text = xasprintf("Code:\n\n%s\n\nLink:\n\n%s\n\nSelect the text with the mouse to copy it.",
	    code, link ? link : "");
	show_page(ui, "Link to copy", text);
	free(text);
	return true;
}

static const struct screen_ops screen_portal_links = {
	.name = "Links", .open = links_open, .close = plist_close, .load = plist_load,
	.draw = plist_draw, .key = links_key,
};

/* ---- 2 Referrals ---- */

static const struct table_colspec ref_cols[] = {
	{ "id", "Id", 8, COL_LOW, 0 }, { "name", "Name", 20, COL_KEEP, 0 }, { "email", "E-mail", 28, COL_NORMAL, 0 },
	{ "program", "Program", 18, COL_NORMAL, 0 }, { "status", "Status", 9, COL_NORMAL, 0 }, { "at", "Referred", 16, COL_LOW, 0 },
};

static void *
refs_open(struct ui *ui, const void *arg)
{
	(void)ui;
	(void)arg;
	return plist_new(ref_cols, 6, app_portal_referrals, "Referred contacts", "/ filter  s sort",
	    "Nobody referred yet: share your links (tab 1).");
}

static const struct screen_ops screen_portal_referrals = {
	.name = "Referrals", .open = refs_open, .close = plist_close, .load = plist_load,
	.draw = plist_draw, .key = plist_key,
};

/* ---- 3 Deals ---- */

static const struct table_colspec deal_cols[] = {
	{ "id", "Id", 6, COL_LOW, 0 }, { "company", "Company", 20, COL_KEEP, 0 }, { "domain", "Domain", 20, COL_NORMAL, 0 },
	{ "value", "Value", 12, COL_KEEP, 0 }, { "stage", "Stage", 9, COL_NORMAL, 0 }, { "exclusive_until", "Exclusive to", 12, COL_LOW, 0 },
	{ "reason", "Reason", 50, COL_NORMAL, 0 },
};

static void *
deals_open(struct ui *ui, const void *arg)
{
	struct plist *s;

	(void)ui;
	(void)arg;
	s = plist_new(deal_cols, 7, app_portal_deals, "My deal registrations", "n register  Enter reason",
	    "No deals registered: n registers one.");
	s->t.alert_col = "stage";
	s->t.alert_val = "conflict";
	s->t.no_totals = true;
	return s;
}

enum { D_COMPANY, D_DOMAIN, D_VALUE, D_CLOSE, D_CONTACT, D_NOTES, D_N };

static void
pdeal_change(struct ui *ui, struct form *f, size_t i, void *ctx)
{
	struct field *dom = &f->fields[D_DOMAIN];
	const char *d = form_value(f, D_DOMAIN), *c = form_value(f, D_COMPANY);
	char *norm = NULL;
	struct err e;

	(void)ctx;
	if (i != D_COMPANY && i != D_DOMAIN)
		return;
	dom->note[0] = '\0';
	err_clear(&e);
	if (!str_empty(d) && deal_domain_normalise(d, &norm, "domain", &e) != ST_OK) {
		snprintf(dom->err, sizeof dom->err, "%s", e.msg + (strncmp(e.msg, "domain: ", 8) ? 0 : 8));
		d = NULL;
	}
	free(norm);
	err_clear(&e);
	if (app_portal_deal_check(ui_app(ui), str_empty(d) ? NULL : d, str_empty(c) ? NULL : c,
	    dom->note, sizeof dom->note, &e) != ST_OK)
		snprintf(dom->note, sizeof dom->note, "conflict check failed: %.400s", e.msg);
}

static enum status
pdeal_save(struct ui *ui, struct form *f, void *ctx, struct err *e)
{
	struct deal_input in;
	uint64_t id;
	char note[320], ids[24];
	enum status st;

	(void)ctx;
	memset(&in, 0, sizeof in);
	in.company = form_value_or_null(f, D_COMPANY);
	in.domain = form_value_or_null(f, D_DOMAIN);
	in.value = form_value_or_null(f, D_VALUE);
	in.close = form_value_or_null(f, D_CLOSE);
	in.contact = form_value_or_null(f, D_CONTACT);
	in.notes = form_value_or_null(f, D_NOTES);
	if ((st = app_portal_deal_register(ui_app(ui), &in, &id, note, sizeof note, e)) != ST_OK)
		return st;
	app_id_str(KIND_DEAL, id, ids);
	if (note[0] != '\0')
		ui_message(ui, CR_WARNING, "%s registered in conflict: %s", ids, note);
	else
		ui_message(ui, CR_OK, "%s registered: submitted for review", ids);
	return ST_OK;
}

static void
pdeal_form(struct ui *ui)
{
	struct field fields[D_N] = {
		[D_COMPANY] = { .key = "company", .label = "Company", .type = FIELD_TEXT,
			.required = true, .hint = "the customer; checked for conflicts as you type" },
		[D_DOMAIN] = { .key = "domain", .label = "Domain", .type = FIELD_TEXT,
			.required = true, .hint = "the customer's web domain, e.g. example.com" },
		[D_VALUE] = { .key = "value", .label = "Estimated value", .type = FIELD_MONEY,
			.required = true },
		[D_CLOSE] = { .key = "close", .label = "Expected close", .type = FIELD_DATE,
			.hint = "YYYY-MM-DD, may be empty" },
		[D_CONTACT] = { .key = "contact", .label = "Contact e-mail", .type = FIELD_EMAIL },
		[D_NOTES] = { .key = "notes", .label = "Notes", .type = FIELD_TEXT },
	};
	struct form f = { .title = "Register a deal", .fields = fields, .n = D_N,
		.save = pdeal_save, .change = pdeal_change };

	f.cur = app_currency(ui_app(ui));
	if (form_run(ui, &f))
		ui_reload(ui);
}

static bool
deals_key(struct ui *ui, void *st, enum action act, int key)
{
	struct plist *s = st;
	const char *id, *reason;
	char *text;

	if (s->t.filtering)
		return plist_key(ui, st, act, key);
	if (act == ACT_NEW) {
		pdeal_form(ui);
		return true;
	}
	if (act != ACT_OPEN)
		return plist_key(ui, st, act, key);
	id = table_current(&s->t);
	if (id[0] == '\0')
		return true;
	reason = table_current_cell(&s->t, "reason");
	text = xasprintf("%s %s (%s)\n\nstage: %s\nreason: %s\n", id,
	    table_current_cell(&s->t, "company"), table_current_cell(&s->t, "domain"),
	    table_current_cell(&s->t, "stage"), reason && *reason ? reason : "-");
	show_page(ui, "Deal", text);
	free(text);
	return true;
}

static const struct screen_ops screen_portal_deals = {
	.name = "Deals", .open = deals_open, .close = plist_close, .load = plist_load,
	.draw = plist_draw, .key = deals_key,
};

/* ---- 4 Commissions ---- */

static const struct table_colspec comm_cols[] = {
	{ "id", "Id", 8, COL_LOW, 0 }, { "earned", "Earned", 10, COL_LOW, 0 }, { "status", "Status", 9, COL_NORMAL, 0 },
	{ "kind", "Kind", 10, COL_LOW, 0 }, { "source", "Source", 20, COL_NORMAL, 0 }, { "amount", "Amount", 14, COL_KEEP, 0 },
	{ "paid", "Paid", 10, COL_LOW, 0 },
};

static enum status
comm_row(void *ctx, const struct row *r)
{
	struct plist *s = ctx;
	const char *status = NULL, *cur = "";
	int64_t amount = 0;
	size_t i;

	for (i = 0; i < r->n; i++) {
		if (strcmp(r->c[i].name, "status") == 0) {
			status = r->c[i].s;
		} else if (strcmp(r->c[i].name, "amount") == 0) {
			amount = r->c[i].i;
			cur = r->c[i].cur ? r->c[i].cur : "";
		}
	}
	/* per currency, never added across */
	if (status != NULL && strcmp(status, "pending") == 0)
		money_sums_add(&s->sums[0], cur, amount);
	else if (status != NULL && strcmp(status, "approved") == 0)
		money_sums_add(&s->sums[1], cur, amount);
	else if (status != NULL && strcmp(status, "paid") == 0)
		money_sums_add(&s->sums[2], cur, amount);
	return table_add(&s->t, r);
}

static void *
comm_open(struct ui *ui, const void *arg)
{
	struct plist *s;

	(void)ui;
	(void)arg;
	s = plist_new(comm_cols, 7, app_portal_commissions, "My commissions", "/ filter",
	    "No commissions yet.");
	s->t.no_totals = true;
	return s;
}

static void
comm_load(struct ui *ui, void *st)
{
	struct plist *s = st;
	struct err e;
	size_t i;

	err_clear(&e);
	for (i = 0; i < 3; i++)
		money_sums_free(&s->sums[i]);
	table_begin(&s->t);
	if (app_portal_commissions(ui_app(ui), comm_row, s, &e) != ST_OK)
		ui_message(ui, CR_ERROR, "%s", e.msg);
	table_end(&s->t);
}

static void
comm_draw(struct ui *ui, void *st, int y, int rows)
{
	struct plist *s = st;
	const struct currency *cur = app_currency(ui_app(ui));
	char p[MONEY_BUFSZ], a[MONEY_BUFSZ], d[MONEY_BUFSZ], *line;
	struct money_sums all;
	size_t i, j;

	ui_title(ui, y, s->title, s->keys);
	money_sums_init(&all);
	for (i = 0; i < 3; i++)
		for (j = 0; j < s->sums[i].n; j++)
			money_sums_add(&all, s->sums[i].v[j].currency, 0);
	if (all.n == 1)
		cur = currency_find(all.v[0].currency) ? currency_find(all.v[0].currency) : cur;
	if (all.n <= 1) {
		line = xasprintf("pending %s   approved %s   paid %s   (%s)",
		    money_format_human(money_sums_get(&s->sums[0], cur->code), cur, p),
		    money_format_human(money_sums_get(&s->sums[1], cur->code), cur, a),
		    money_format_human(money_sums_get(&s->sums[2], cur->code), cur, d), cur->code);
	} else {
		/* one group a currency: pending / approved / paid */
		struct sbuf b;
		sbuf_init(&b);
		for (i = 0; i < all.n; i++) {
			const struct currency *c = currency_find(all.v[i].currency);
			sbuf_addf(&b, "%s%s: pending %s  approved %s  paid %s", i ? "   " : "", all.v[i].currency,
			    money_format_human(money_sums_get(&s->sums[0], all.v[i].currency), c, p),
			    money_format_human(money_sums_get(&s->sums[1], all.v[i].currency), c, a),
			    money_format_human(money_sums_get(&s->sums[2], all.v[i].currency), c, d));
		}
		line = sbuf_take(&b);
	}
	money_sums_free(&all);
	ui_put(ui, y + 1, 1, ui_cols(ui) - 2, line, CR_HEADER);
	free(line);
	table_draw(ui, &s->t, y + 2, rows - 2);
}

static const struct screen_ops screen_portal_commissions = {
	.name = "Commissions", .open = comm_open, .close = plist_close, .load = comm_load,
	.draw = comm_draw, .key = plist_key,
};

/* ---- 5 Statements ---- */

static const struct table_colspec month_cols[] = {
	{ "month", "Month", 8, COL_KEEP, 0 }, { "lines", "Lines", 6, COL_NORMAL, 0 }, { "earned", "Earned", 14, COL_KEEP, 0 },
};

static void *
months_open(struct ui *ui, const void *arg)
{
	struct plist *s;

	(void)ui;
	(void)arg;
	s = plist_new(month_cols, 3, app_portal_months, "Statements by month", "Enter show  m mail",
	    "No statements yet: they start with your first commission.");
	return s;
}

static bool
months_key(struct ui *ui, void *st, enum action act, int key)
{
	struct plist *s = st;
	const char *month;
	struct sbuf b;
	struct err e;
	enum status rc;

	if (s->t.filtering || (act != ACT_OPEN && act != ACT_SEND_MAIL))
		return plist_key(ui, st, act, key);
	month = table_current_cell(&s->t, "month");
	if (month == NULL)
		return true;
	err_clear(&e);
	if (act == ACT_SEND_MAIL) {
		uint64_t mail;
		char *to = NULL, *vis;
		const struct config *cfg = ui_portal_config(ui);
		if (cfg == NULL) {
			ui_message(ui, CR_ERROR, "mail: no configuration");
			return true;
		}
		rc = app_portal_statement_mail(ui_app(ui), cfg, month, &mail, &to, &e);
		if (rc == ST_OK) {
			vis = str_visible(to);
			ui_message(ui, CR_OK, "statement %s queued by mail to %s (M%llu)", month, vis,
			    (unsigned long long)mail);
			free(vis);
		} else
			ui_message(ui, CR_ERROR, "%s", e.msg);
		free(to);
		return true;
	}
	sbuf_init(&b);
	sbuf_add(&b, "");
	if (app_portal_statement(ui_app(ui), month, false, &b, &e) == ST_OK) {
		char title[64];
		snprintf(title, sizeof title, "Statement %s", month);
		sbuf_addf(&b, "\nAs CSV over SSH: ssh -t ... statement %s --csv > statement.csv\n", month);
		show_page(ui, title, sbuf_str(&b));
	} else
		ui_message(ui, CR_ERROR, "%s", e.msg);
	sbuf_free(&b);
	return true;
}

static const struct screen_ops screen_portal_statements = {
	.name = "Statements", .open = months_open, .close = plist_close, .load = plist_load,
	.draw = plist_draw, .key = months_key,
};

const struct screen_ops *const portal_tabs[PORTAL_TABS] = {
	&screen_portal_links, &screen_portal_referrals, &screen_portal_deals,
	&screen_portal_commissions, &screen_portal_statements,
};

const char *const portal_short[PORTAL_TABS] = {
	"Links", "Refs", "Deals", "Comms", "Statements",
};
