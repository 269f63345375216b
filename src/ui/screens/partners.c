/*
 * partners.c - the Partners tab: partners listed by tier (f steps through
 * the tiers), create/edit, tier assignment, agreements, activate and
 * suspend, portal invitations (invite, resend, revoke), and a detail pane
 * with agreements, codes and invitations.
 *
 * The portal column comes from app_portal_list, joined to the partner
 * rows here by id.  An invitation only queues its mail: the background
 * sender (ui_mail_send) delivers it, never this loop.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app/outbox.h"
#include "core/alloc.h"
#include "core/date.h"
#include "ui/screens/common.h"
#include "ui/text.h"
#include "ui/widgets/dialog.h"
#include "ui/widgets/form.h"
#include "ui/widgets/picker.h"
#include "ui/widgets/table.h"

#define TIERS_MAX 64

struct portal {
	char partner[24];
	char state[12];
	int64_t until;
};

struct partners {
	struct table t;
	char *tiers[TIERS_MAX];         /* names, raw */
	size_t ntiers;
	int tier;                       /* -1: all */
	struct portal *portal;          /* partners with portal access, by id */
	size_t nportal, capportal;
};

/* keys of the detail page done by the list on its record */
static const enum action detail_pass[] = {
	ACT_EDIT, ACT_TIER, ACT_INVITE, ACT_RESEND, ACT_REVOKE, ACT_AGREEMENT, ACT_CODE, ACT_ACTIVATE,
	ACT_PAUSE, ACT_NONE
};

static const struct table_colspec cols[] = {
	{ "id", "Id", 6, COL_LOW, 0 }, { "name", "Name", 28, COL_KEEP, 0 }, { "tier", "Tier", 12, COL_NORMAL, 10 },
	{ "kind", "Kind", 11, COL_LOW, 0 }, { "status", "Status", 9, COL_NORMAL, 0 }, { "portal", "Portal", 8, COL_LOW, 0 },
	{ "until", "Code until", 10, COL_LOW, 0 }, { "email", "E-mail", 30, COL_NORMAL, 0 },
};

static void *
partners_open(struct ui *ui, const void *arg)
{
	struct partners *s = xcalloc(1, sizeof *s);

	(void)ui;
	(void)arg;
	table_init(&s->t, cols, sizeof cols / sizeof cols[0]);
	s->t.sort_col = 2;              /* by tier */
	s->t.empty = "No partners yet: press n to add one.";
	s->tier = -1;
	return s;
}

static void
free_tiers(struct partners *s)
{
	size_t i;

	for (i = 0; i < s->ntiers; i++)
		free(s->tiers[i]);
	s->ntiers = 0;
}

static void
partners_close(void *st)
{
	struct partners *s = st;

	free_tiers(s);
	free(s->portal);
	table_free(&s->t);
	free(s);
}

static enum status
tier_name(void *ctx, const struct row *r)
{
	struct partners *s = ctx;
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->c[i].name, "name") == 0 && s->ntiers < TIERS_MAX)
			s->tiers[s->ntiers++] = xstrdup(r->c[i].s ? r->c[i].s : "");
	return ST_OK;
}

static enum status
portal_row(void *ctx, const struct row *r)
{
	struct partners *s = ctx;
	struct portal *p;
	size_t i;

	s->portal = xgrow(s->portal, &s->capportal, s->nportal + 1, sizeof *s->portal);
	p = &s->portal[s->nportal++];
	memset(p, 0, sizeof *p);
	for (i = 0; i < r->n; i++) {
		const struct cell *c = &r->c[i];
		if (strcmp(c->name, "partner") == 0)
			snprintf(p->partner, sizeof p->partner, "%s", c->s ? c->s : "");
		else if (strcmp(c->name, "portal") == 0)
			snprintf(p->state, sizeof p->state, "%s", c->s ? c->s : "");
		else if (strcmp(c->name, "until") == 0)
			p->until = c->i;
	}
	return ST_OK;
}

static const struct portal *
portal_of(const struct partners *s, const char *id)
{
	size_t i;

	for (i = 0; id && i < s->nportal; i++)
		if (strcmp(s->portal[i].partner, id) == 0)
			return &s->portal[i];
	return NULL;
}

/* A partner row with the portal columns added. */
static enum status
partner_row(void *ctx, const struct row *r)
{
	struct partners *s = ctx;
	const struct portal *p = NULL;
	struct row rr = *r;
	size_t i;

	for (i = 0; i < r->n; i++) {
		if (strcmp(r->c[i].name, "id") == 0) {
			p = portal_of(s, r->c[i].s);
			break;
		}
	}
	/* the copy's cells may point into the original's buffers: fine, the
	 * original outlives this call */
	if (p && rr.n + 2 <= ROW_MAX) {
		rr.c[rr.n++] = (struct cell){ .name = "portal", .type = CELL_STR, .s = p->state };
		rr.c[rr.n++] = (struct cell){ .name = "until", .type = CELL_DATE, .i = p->until };
	}
	return table_add(&s->t, &rr);
}

static void
partners_load(struct ui *ui, void *st)
{
	struct partners *s = st;
	struct list_filter lf;
	struct err e;

	err_clear(&e);
	free_tiers(s);
	app_list(ui_app(ui), KIND_TIER, NULL, tier_name, s, &e);
	if (s->tier >= (int)s->ntiers)
		s->tier = -1;
	memset(&lf, 0, sizeof lf);
	lf.limit = s->t.limit + 1;
	if (s->tier >= 0)
		lf.tier = s->tiers[s->tier];
	s->nportal = 0;
	if (app_portal_list(ui_app(ui), portal_row, s, &e) != ST_OK)
		ui_message(ui, CR_ERROR, "%s", e.msg);
	table_begin(&s->t);
	if (app_list(ui_app(ui), KIND_PARTNER, &lf, partner_row, s, &e) != ST_OK)
		ui_message(ui, CR_ERROR, "%s", e.msg);
	table_end(&s->t);
}

static void
partners_draw(struct ui *ui, void *st, int y, int rows)
{
	struct partners *s = st;
	char *title, *tier = s->tier >= 0 ? ui_text(s->tiers[s->tier]) : NULL;

	title = tier ? xasprintf("Partners: tier %s", tier) : xstrdup("Partners");
	ui_title(ui, y, title, ui_may(ui, PERM_PARTNER_WRITE) ?
	    "n new  e edit  t tier  i invite  I resend  X revoke" : "Enter detail  f tier  / filter");
	free(title);
	free(tier);
	table_draw(ui, &s->t, y + 1, rows - 1);
}

/* ---- form ---- */

static const char *const kinds[] = { "reseller", "affiliate", "agency", "integration", NULL };
static const char *const methods[] = { "", "bank", "paypal", "wise", NULL };

enum { F_NAME, F_EMAIL, F_TIER, F_PARENT, F_KIND, F_CONTACT, F_PAYOUT, F_ADDRESS, F_NOTES,
	F_METHOD, F_IBAN, F_BIC, F_HOLDER, F_N };

struct partner_form {
	uint64_t id;
	bool add;
};

static const char *
pick(const struct form *f, size_t i, bool add)
{
	return add ? form_value_or_null(f, i) : form_changed_value(f, i);
}

static enum status
partner_save(struct ui *ui, struct form *f, void *ctx, struct err *e)
{
	struct partner_form *pf = ctx;
	struct partner_input in;
	uint64_t out = 0;
	enum status st;

	memset(&in, 0, sizeof in);
	in.name = pick(f, F_NAME, pf->add);
	in.email = pick(f, F_EMAIL, pf->add);
	in.tier = pf->add ? form_value_or_null(f, F_TIER) : form_changed_value(f, F_TIER);
	in.parent = pick(f, F_PARENT, pf->add);
	in.kind = pick(f, F_KIND, pf->add);
	in.contact = pick(f, F_CONTACT, pf->add);
	in.payout_email = pick(f, F_PAYOUT, pf->add);
	in.address = pick(f, F_ADDRESS, pf->add);
	in.notes = pick(f, F_NOTES, pf->add);
	in.payout_method = pick(f, F_METHOD, pf->add);
	in.iban = pick(f, F_IBAN, pf->add);
	in.bic = pick(f, F_BIC, pf->add);
	in.holder = pick(f, F_HOLDER, pf->add);
	st = app_partner_save(ui_app(ui), pf->id, &in, &out, e);
	if (st == ST_OK) {
		char id[24];
		ui_message(ui, CR_OK, "%s %s saved", app_id_str(KIND_PARTNER, out, id),
		    form_value(f, F_NAME));
		pf->id = out;
	}
	return st;
}

static void
partner_form(struct ui *ui, struct partners *s, bool add)
{
	const char *tiers[TIERS_MAX + 2];
	struct field fields[F_N] = {
		[F_NAME] = { .key = "name", .label = "Company name", .type = FIELD_TEXT, .required = true },
		[F_EMAIL] = { .key = "email", .label = "E-mail", .type = FIELD_EMAIL, .required = true },
		[F_TIER] = { .key = "tier", .label = "Tier", .type = FIELD_CHOICE, .choices = tiers },
		[F_PARENT] = { .key = "parent", .label = "Sub-partner of", .type = FIELD_PICK, .pick = KIND_PARTNER,
			.hint = "the agency or distributor that takes an override on its lines; empty: none" },
		[F_KIND] = { .key = "kind", .label = "Kind", .type = FIELD_CHOICE, .choices = kinds },
		[F_CONTACT] = { .key = "contact", .label = "Contact name", .type = FIELD_TEXT },
		[F_PAYOUT] = { .key = "payout_email", .label = "Payout e-mail", .type = FIELD_EMAIL },
		[F_ADDRESS] = { .key = "address", .label = "Address", .type = FIELD_TEXT },
		[F_NOTES] = { .key = "notes", .label = "Notes", .type = FIELD_TEXT },
		[F_METHOD] = { .key = "payout_method", .label = "Paid by", .type = FIELD_CHOICE,
			.choices = methods },
		[F_IBAN] = { .key = "iban", .label = "IBAN", .type = FIELD_TEXT },
		[F_BIC] = { .key = "bic", .label = "BIC", .type = FIELD_TEXT },
		[F_HOLDER] = { .key = "holder", .label = "Account holder", .type = FIELD_TEXT },
	};
	struct form f = { .fields = fields, .n = F_N, .save = partner_save };
	struct partner_form pf = { 0, add };
	struct recfields rf;
	const char *id = table_current(&s->t);
	size_t i;

	tiers[0] = "";
	for (i = 0; i < s->ntiers; i++)
		tiers[i + 1] = s->tiers[i];
	tiers[s->ntiers + 1] = NULL;
	f.cur = app_currency(ui_app(ui));
	f.ctx = &pf;
	if (add) {
		f.title = "New partner";
		form_set(&f, F_KIND, "reseller");
	} else {
		if ((pf.id = screen_id(ui, KIND_PARTNER, id)) == 0 ||
		    !rec_fields(ui, KIND_PARTNER, id, &rf))
			return;
		f.title = "Edit partner";
		form_set(&f, F_NAME, rec_field(&rf, "name"));
		form_set(&f, F_EMAIL, rec_field(&rf, "email"));
		form_set(&f, F_TIER, rec_field(&rf, "tier"));
		form_set(&f, F_PARENT, rec_field(&rf, "parent"));
		form_set(&f, F_KIND, rec_field(&rf, "kind"));
		form_set(&f, F_CONTACT, rec_field(&rf, "contact"));
		form_set(&f, F_PAYOUT, rec_field(&rf, "payout_email"));
		form_set(&f, F_ADDRESS, rec_field(&rf, "address"));
		form_set(&f, F_NOTES, rec_field(&rf, "notes"));
		form_set(&f, F_METHOD, rec_field(&rf, "payout_method"));
		form_set(&f, F_IBAN, rec_field(&rf, "iban"));
		form_set(&f, F_BIC, rec_field(&rf, "bic"));
		form_set(&f, F_HOLDER, rec_field(&rf, "holder"));
		rec_fields_free(&rf);
	}
	if (form_run(ui, &f)) {
		char id2[24];
		ui_reload(ui);
		table_goto(&s->t, app_id_str(KIND_PARTNER, pf.id, id2));
	}
}

/* ---- tier, agreement, status ---- */

static void
assign_tier(struct ui *ui, struct partners *s)
{
	const char *items[TIERS_MAX + 1];
	const char *id = table_current(&s->t), *cur = table_current_cell(&s->t, "tier");
	struct partner_input in;
	uint64_t n = screen_id(ui, KIND_PARTNER, id), out;
	struct err e;
	size_t i, at = 0;
	int k;

	if (n == 0)
		return;
	items[0] = "(no tier)";
	for (i = 0; i < s->ntiers; i++) {
		items[i + 1] = s->tiers[i];
		if (cur && strcmp(cur, s->tiers[i]) == 0)
			at = i + 1;
	}
	k = ui_choose(ui, "Tier", items, s->ntiers + 1, at);
	if (k < 0)
		return;
	memset(&in, 0, sizeof in);
	in.tier = k == 0 ? "" : s->tiers[k - 1];
	err_clear(&e);
	screen_report(ui, app_partner_save(ui_app(ui), n, &in, &out, &e), &e, "tier assigned");
	ui_reload(ui);
}

enum { A_TITLE, A_SIGNED, A_EXPIRES, A_DOC, A_N };

static enum status
agreement_save(struct ui *ui, struct form *f, void *ctx, struct err *e)
{
	struct agreement_input in;
	uint64_t out;
	enum status st;

	memset(&in, 0, sizeof in);
	in.partner = ctx;
	in.title = form_value_or_null(f, A_TITLE);
	in.signed_on = form_value_or_null(f, A_SIGNED);
	in.expires = form_value_or_null(f, A_EXPIRES);
	in.document = form_value_or_null(f, A_DOC);
	st = app_agreement_add(ui_app(ui), &in, &out, e);
	if (st == ST_OK) {
		char id[24];
		ui_message(ui, CR_OK, "agreement %s added", app_id_str(KIND_AGREEMENT, out, id));
	}
	return st;
}

static void
agreement_form(struct ui *ui, struct partners *s)
{
	struct field fields[A_N] = {
		[A_TITLE] = { .key = "title", .label = "Title", .type = FIELD_TEXT, .required = true },
		[A_SIGNED] = { .key = "signed", .label = "Signed on", .type = FIELD_DATE,
			.required = true, .hint = "YYYY-MM-DD" },
		[A_EXPIRES] = { .key = "expires", .label = "Expires", .type = FIELD_DATE,
			.hint = "YYYY-MM-DD, empty: never" },
		[A_DOC] = { .key = "document", .label = "Document", .type = FIELD_TEXT,
			.hint = "a path or URL" },
	};
	struct form f = { .title = "New agreement", .fields = fields, .n = A_N,
		.save = agreement_save };
	char partner[24];

	if (s->t.nview == 0)
		return;
	snprintf(partner, sizeof partner, "%s", table_current(&s->t));
	f.ctx = partner;
	f.cur = app_currency(ui_app(ui));
	if (form_run(ui, &f))
		ui_reload(ui);
}

static void
set_status(struct ui *ui, struct partners *s, enum partner_status to)
{
	const char *id = table_current(&s->t);
	uint64_t n = screen_id(ui, KIND_PARTNER, id);
	struct err e;
	char *q, *msg;

	if (n == 0)
		return;
	if (to == PARTNER_SUSPENDED) {
		q = xasprintf("Suspend partner %s?", id);
		if (!ui_confirm(ui, q)) {
			free(q);
			return;
		}
		free(q);
	}
	err_clear(&e);
	msg = xasprintf("%s is now %s", id, partner_status_name(to));
	screen_report(ui, app_partner_set_status(ui_app(ui), n, to, &e), &e, msg);
	free(msg);
	ui_reload(ui);
}

/* ---- portal access ---- */

/* Invite, resend or revoke, after asking; the mail it queues goes out
 * through the background sender. */
static void
portal_action(struct ui *ui, struct partners *s, enum action act)
{
	const char *id = table_current(&s->t);
	const char *email = table_current_cell(&s->t, "email");
	struct invite_result r;
	struct config cfg;
	struct err e;
	char when[DATE_BUFSZ], why[160];
	char *q, *done;
	uint64_t n = screen_id(ui, KIND_PARTNER, id);
	enum status st;
	bool sending = false, smtp;

	if (n == 0)
		return;
	if (act == ACT_INVITE)
		q = xasprintf("Invite %s to the portal? A code goes to %s.", id, email ? email : "");
	else if (act == ACT_RESEND)
		q = xasprintf("Mail %s a new code? Its pending code stops working.", id);
	else
		q = xasprintf("Revoke %s's portal access? Codes voided, accounts removed.", id);
	if (!ui_confirm(ui, q)) {
		free(q);
		return;
	}
	free(q);
	err_clear(&e);
	if (config_load(ui_config_path(ui), &cfg, &e) != ST_OK) {
		screen_report(ui, e.st, &e, NULL);
		return;
	}
	if (act == ACT_INVITE)
		st = app_partner_invite(ui_app(ui), &cfg, n, NULL, &r, &e);
	else if (act == ACT_RESEND)
		st = app_partner_resend(ui_app(ui), &cfg, n, NULL, &r, &e);
	else
		st = app_partner_revoke(ui_app(ui), &cfg, n, &r, &e);
	smtp = cfg.smtp_url != NULL;
	config_free(&cfg);
	if (st != ST_OK) {
		/* the app names the command to use; here it is a key */
		char *cli = strstr(e.msg, " (ally partner ");
		if (cli == NULL)
			cli = strstr(e.msg, " (use ally partner ");
		if (cli != NULL && act != ACT_REVOKE)
			snprintf(cli, sizeof e.msg - (size_t)(cli - e.msg), "%s",
			    act == ACT_INVITE ? ": I sends a new code" : ": i invites");
		screen_report(ui, st, &e, NULL);
		return;
	}
	/* without [smtp] url a sender could only fail: the mail waits */
	if (smtp)
		sending = ui_mail_send(ui, why, sizeof why);
	if (act == ACT_REVOKE)
		done = xasprintf("%s portal access revoked: %d code%s voided, %d account%s removed; "
		    "M%llu queued%s", id, r.voided, r.voided == 1 ? "" : "s", r.users_removed,
		    r.users_removed == 1 ? "" : "s", (unsigned long long)r.mail,
		    sending ? ", sending" : smtp ? "" : " (no [smtp] url: it waits)");
	else
		done = xasprintf("%s %s: code valid until %s; M%llu queued%s", id,
		    act == ACT_INVITE ? "invited" : "sent a new code",
		    date_format_minute(r.expires, when), (unsigned long long)r.mail,
		    sending ? ", sending" : smtp ? "" : " (no [smtp] url: it waits)");
	ui_message(ui, CR_OK, "%s", done);
	free(done);
	ui_reload(ui);
}

/* ---- detail ---- */

static enum status
add_line(void *ctx, const struct row *r)
{
	struct sbuf *b = ctx;
	size_t i;

	sbuf_add(b, " ");
	for (i = 0; i < r->n; i++) {
		const struct cell *c = &r->c[i];
		if (strcmp(c->name, "partner") == 0 || strcmp(c->name, "referrer") == 0)
			continue;
		if (c->type == CELL_STR) {
			sbuf_addf(b, " %s", c->s ? c->s : "-");
		} else {
			struct cell cc = *c;
			char *v = ui_cell_text(&cc);
			sbuf_addf(b, " %s", v[0] ? v : "-");
			free(v);
		}
	}
	sbuf_add(b, "\n");
	return ST_OK;
}

static void
portal_text(struct ui *ui, const struct partners *s, const char *id,
    const struct list_filter *lf, struct sbuf *b)
{
	const struct portal *p = portal_of(s, id);
	char when[DATE_BUFSZ];
	struct err e;

	sbuf_add(b, "\nPortal access: ");
	if (p == NULL)
		sbuf_add(b, "never invited (i invites)\n");
	else if (strcmp(p->state, "invited") == 0)
		sbuf_addf(b, "invited, code pending until %s\n",
		    date_format_minute(p->until, when));
	else if (strcmp(p->state, "active") == 0 && p->until)
		sbuf_addf(b, "active, a new code pending until %s\n",
		    date_format_minute(p->until, when));
	else if (strcmp(p->state, "active") == 0)
		sbuf_add(b, "active: has a portal account (X revokes)\n");
	else if (strcmp(p->state, "revoked") == 0)
		sbuf_add(b, "revoked (i invites again)\n");
	else
		sbuf_addf(b, "%s: the code was not used (I sends a new one)\n", p->state);
	sbuf_add(b, "Invitations (id, e-mail, state, created, expires, used, voided)\n");
	err_clear(&e);
	if (app_list(ui_app(ui), KIND_INVITATION, lf, add_line, b, &e) != ST_OK)
		sbuf_addf(b, "  %s\n", e.msg);
}

static void
partner_detail(struct ui *ui, struct partners *s)
{
	const char *id = table_current(&s->t);
	struct list_filter lf = { .partner = id, .limit = 200 };
	struct recfields rf;
	struct sbuf b;
	struct err e;
	char *title;

	if (!rec_fields(ui, KIND_PARTNER, id, &rf))
		return;
	sbuf_init(&b);
	rec_fields_text(&rf, &b);
	err_clear(&e);
	sbuf_add(&b, "\nAgreements (id, title, signed, expires, document)\n");
	if (app_list(ui_app(ui), KIND_AGREEMENT, &lf, add_line, &b, &e) != ST_OK)
		sbuf_addf(&b, "  %s\n", e.msg);
	sbuf_add(&b, "\nCodes (id, code, program, status, link)\n");
	if (app_list(ui_app(ui), KIND_CODE, &lf, add_line, &b, &e) != ST_OK)
		sbuf_addf(&b, "  %s\n", e.msg);
	portal_text(ui, s, id, &lf, &b);
	title = xasprintf("Partner %s %s", id, rec_field(&rf, "name"));
	ui_show_record(ui, title, sbuf_str(&b), detail_pass,
	    ui_may(ui, PERM_PARTNER_WRITE) ? "e t i I X" : NULL);
	free(title);
	sbuf_free(&b);
	rec_fields_free(&rf);
}

static bool
partners_key(struct ui *ui, void *st, enum action act, int key)
{
	struct partners *s = st;

	if (table_key(&s->t, act, key))
		return true;
	switch (act) {
	case ACT_NEW:       partner_form(ui, s, true); break;
	case ACT_EDIT:      if (s->t.nview) partner_form(ui, s, false); break;
	case ACT_OPEN:      if (s->t.nview) partner_detail(ui, s); break;
	case ACT_TIER:      if (s->t.nview) assign_tier(ui, s); break;
	case ACT_AGREEMENT: agreement_form(ui, s); break;
	case ACT_ACTIVATE:  if (s->t.nview) set_status(ui, s, PARTNER_ACTIVE); break;
	case ACT_PAUSE:     if (s->t.nview) set_status(ui, s, PARTNER_SUSPENDED); break;
	case ACT_INVITE:
	case ACT_RESEND:
	case ACT_REVOKE:    if (s->t.nview) portal_action(ui, s, act); break;
	case ACT_STATUS:
		s->tier = s->tier + 1 >= (int)s->ntiers ? -1 : s->tier + 1;
		partners_load(ui, s);
		break;
	case ACT_CODE: {
		const char *prog;
		char *p = ui_pick(ui, "New code for this partner in which program?", KIND_PROGRAM,
		    "", false);
		if (p == NULL)
			break;
		prog = p;
		programs_code_form(ui, prog, table_current(&s->t));
		free(p);
		break;
	}
	default:
		return false;
	}
	return true;
}

static const struct screen_key screen_partners_keys[] = {
	SK(ACT_NEW, "new partner", PERM_PARTNER_WRITE),
	SK(ACT_EDIT, "edit the selected partner", PERM_PARTNER_WRITE),
	SK(ACT_TIER, "assign a tier", PERM_PARTNER_WRITE),
	SK(ACT_AGREEMENT, "add a signed agreement", PERM_PARTNER_WRITE),
	SK(ACT_ACTIVATE, "activate the partner", PERM_PARTNER_WRITE),
	SK(ACT_PAUSE, "suspend the partner", PERM_PARTNER_WRITE),
	SK(ACT_CODE, "new referral code for the partner", PERM_PROGRAM_WRITE),
	SK(ACT_INVITE, NULL, PERM_PARTNER_WRITE),
	SK(ACT_RESEND, NULL, PERM_PARTNER_WRITE),
	SK(ACT_REVOKE, NULL, PERM_PARTNER_WRITE),
	SK_ANY(ACT_STATUS, "cycle the tier filter"),
	SK_ANY(ACT_OPEN, "the partner's detail: codes, agreements, invitations"),
	SK_LIST,
	SK_END
};

static struct table *
screen_partners_list(void *st)
{
	return &((struct partners *)st)->t;
}

static bool
screen_partners_typing(void *st)
{
	return ((struct partners *)st)->t.filtering;
}

const struct screen_ops screen_partners = {
	.name = "Partners",
	.open = partners_open,
	.close = partners_close,
	.load = partners_load,
	.draw = partners_draw,
	.key = partners_key,
	.keys = screen_partners_keys,
	.typing = screen_partners_typing,
	.list = screen_partners_list,
};
