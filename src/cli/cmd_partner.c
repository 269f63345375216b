/*
 * cmd_partner.c - "ally partner ...": partners, their status and their
 * agreements.  Invitations (invite, resend, revoke) live in cmd_mail.c
 * next to the outbox they fill.
 */
#include "config.h"

#include <stdio.h>

#include "cli/cli.h"

#define PARTNER_FLAGS(in) \
	OPT_STR("tier", "TIER", &(in).tier, "partner tier, by name or id (\"\" = none)"), \
	OPT_STR("kind", "KIND", &(in).kind, "reseller, affiliate, agency or integration"), \
	OPT_STR("contact", "NAME", &(in).contact, "contact person"), \
	OPT_STR("address", "TEXT", &(in).address, "postal address"), \
	OPT_STR("payout-email", "EMAIL", &(in).payout_email, "where payouts go (default --email)"), \
	OPT_STR("notes", "TEXT", &(in).notes, "free notes")

static int
partner_add(struct cli *c, int argc, char **argv)
{
	struct partner_input in = { 0 };
	bool json = false;
	const struct opt tab[] = {
		OPT_REQ("email", "EMAIL", &in.email, "contact e-mail"),
		PARTNER_FLAGS(in),
		OPT_BOOL("json", &json, "print the new partner as JSON"),
		OPT_END
	};
	struct opts o;
	struct err e;
	uint64_t id;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 1, 1, argc, argv)) >= 0)
		return rc;
	in.name = o.argv[0];
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	err_clear(&e);
	if (app_partner_save(c->app, 0, &in, &id, &e) != ST_OK)
		return cli_fail(c, &e);
	return cli_saved(c, KIND_PARTNER, id, json);
}

static int
partner_edit(struct cli *c, int argc, char **argv)
{
	struct partner_input in = { 0 };
	bool json = false;
	const struct opt tab[] = {
		OPT_STR("name", "NAME", &in.name, "new company name"),
		OPT_STR("email", "EMAIL", &in.email, "contact e-mail"),
		PARTNER_FLAGS(in),
		OPT_BOOL("json", &json, "print the partner as JSON"),
		OPT_END
	};
	struct opts o;
	struct err e;
	uint64_t id, out_id;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 1, 1, argc, argv)) >= 0)
		return rc;
	if ((rc = cli_open(c, 0)) != 0 ||
	    (rc = cli_resolve(c, KIND_PARTNER, o.argv[0], &id)) != 0)
		return rc;
	err_clear(&e);
	if (app_partner_save(c->app, id, &in, &out_id, &e) != ST_OK)
		return cli_fail(c, &e);
	return cli_saved(c, KIND_PARTNER, id, json);
}

static int
partner_list(struct cli *c, int argc, char **argv)
{
	struct list_filter f = { 0 };
	bool csv = false, json = false;
	const struct opt tab[] = {
		OPT_STR("tier", "TIER", &f.tier, "only partners of this tier"),
		OPT_STR("status", "STATUS", &f.status, "only invited, active or suspended"),
		OPT_BOOL("csv", &csv, "CSV with a header row"),
		OPT_BOOL("json", &json, "one JSON object a line"),
		OPT_END
	};
	enum out_fmt fmt;
	struct opts o;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 0, 0, argc, argv)) >= 0 ||
	    (rc = cli_format(c, csv, json, OUT_TABLE, &fmt)) != 0 ||
	    (rc = cli_open(c, APP_RDONLY)) != 0)
		return rc;
	return cli_list(c, KIND_PARTNER, &f, fmt, stdout);
}

static int
partner_show(struct cli *c, int argc, char **argv)
{
	return cli_show_cmd(c, KIND_PARTNER, argc, argv);
}

static int
partner_status(struct cli *c, int argc, char **argv, enum partner_status to)
{
	const struct opt tab[] = { OPT_END };
	struct opts o;
	struct err e;
	uint64_t id;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 1, 1, argc, argv)) >= 0)
		return rc;
	if ((rc = cli_open(c, 0)) != 0 ||
	    (rc = cli_resolve(c, KIND_PARTNER, o.argv[0], &id)) != 0)
		return rc;
	err_clear(&e);
	if (app_partner_set_status(c->app, id, to, &e) != ST_OK)
		return cli_fail(c, &e);
	return cli_saved(c, KIND_PARTNER, id, false);
}

static int
partner_suspend(struct cli *c, int argc, char **argv)
{
	return partner_status(c, argc, argv, PARTNER_SUSPENDED);
}

static int
partner_activate(struct cli *c, int argc, char **argv)
{
	return partner_status(c, argc, argv, PARTNER_ACTIVE);
}

static int
partner_agreement(struct cli *c, int argc, char **argv)
{
	struct agreement_input in = { 0 };
	bool json = false;
	const struct opt tab[] = {
		OPT_REQ("title", "TITLE", &in.title, "what the agreement is"),
		OPT_REQ("signed", "YYYY-MM-DD", &in.signed_on, "day it was signed"),
		OPT_STR("expires", "YYYY-MM-DD", &in.expires, "day it ends"),
		OPT_STR("document", "PATH", &in.document, "path or URL of the signed document"),
		OPT_BOOL("json", &json, "print the new agreement as JSON"),
		OPT_END
	};
	struct opts o;
	struct err e;
	uint64_t id;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 1, 1, argc, argv)) >= 0)
		return rc;
	in.partner = o.argv[0];
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	err_clear(&e);
	if (app_agreement_add(c->app, &in, &id, &e) != ST_OK)
		return cli_fail(c, &e);
	return cli_saved(c, KIND_AGREEMENT, id, json);
}

static int
partner_agreements(struct cli *c, int argc, char **argv)
{
	struct list_filter f = { 0 };
	bool csv = false, json = false;
	const struct opt tab[] = {
		OPT_BOOL("csv", &csv, "CSV with a header row"),
		OPT_BOOL("json", &json, "one JSON object a line"),
		OPT_END
	};
	enum out_fmt fmt;
	struct opts o;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 0, 1, argc, argv)) >= 0 ||
	    (rc = cli_format(c, csv, json, OUT_TABLE, &fmt)) != 0 ||
	    (rc = cli_open(c, APP_RDONLY)) != 0)
		return rc;
	if (o.argc > 0)
		f.partner = o.argv[0];
	return cli_list(c, KIND_AGREEMENT, &f, fmt, stdout);
}

const struct cli_cmd partner_cmds[] = {
	{ .name = "add", .args = "NAME", .synopsis = "NAME --email EMAIL [options]",
	  .summary = "add a partner", .run = partner_add },
	{ .name = "edit", .args = "PARTNER", .synopsis = "PARTNER [options]",
	  .summary = "change a partner's details", .run = partner_edit },
	{ .name = "list", .synopsis = "[--tier T] [--status S] [--csv|--json]",
	  .summary = "list partners", .run = partner_list },
	{ .name = "show", .args = "PARTNER", .synopsis = "PARTNER [--json]",
	  .summary = "show one partner", .run = partner_show },
	{ .name = "suspend", .args = "PARTNER", .synopsis = "PARTNER",
	  .summary = "suspend a partner", .run = partner_suspend },
	{ .name = "activate", .args = "PARTNER", .synopsis = "PARTNER",
	  .summary = "make a partner active", .run = partner_activate },
	{ .name = "invite", .args = "PARTNER", .synopsis = "PARTNER [--days N]",
	  .summary = "send the partner's contact a portal invitation", .run = cli_partner_invite },
	{ .name = "resend", .args = "PARTNER", .synopsis = "PARTNER [--days N]",
	  .summary = "void the invitation code and send a new one", .run = cli_partner_resend },
	{ .name = "revoke", .args = "PARTNER", .synopsis = "PARTNER",
	  .summary = "end the partner's portal access", .run = cli_partner_revoke },
	{ .name = "unlock", .args = "PARTNER", .synopsis = "PARTNER",
	  .summary = "lift the lock after failed portal logins", .run = cli_partner_unlock },
	{ .name = "agreement", .args = "PARTNER",
	  .synopsis = "PARTNER --title T --signed D [--expires D] [--document PATH]",
	  .summary = "record a signed agreement", .run = partner_agreement },
	{ .name = "agreements", .args = "[PARTNER]", .synopsis = "[PARTNER] [--csv|--json]",
	  .summary = "list agreements", .run = partner_agreements },
	{ .name = NULL }
};
