/*
 * cmd_partner.c - "ally partner ...": partners, their status, their
 * agreements and their SSH keys.  Invitations (invite, resend, revoke)
 * live in cmd_mail.c next to the outbox they fill.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/portal.h"
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/priv.h"
#include "core/str.h"

#define PUBKEY_FILE_MAX 16384

#define PARTNER_FLAGS(in) \
	OPT_STR("tier", "TIER", &(in).tier, "partner tier, by name or id (\"\" = none)"), \
	OPT_STR("kind", "KIND", &(in).kind, "reseller, affiliate, agency or integration"), \
	OPT_STR("contact", "NAME", &(in).contact, "contact person"), \
	OPT_STR("address", "TEXT", &(in).address, "postal address"), \
	OPT_STR("payout-email", "EMAIL", &(in).payout_email, "where payouts go (default --email)"), \
	OPT_STR("notes", "TEXT", &(in).notes, "free notes"), \
	OPT_STR("payout-method", "METHOD", &(in).payout_method, \
	    "bank, paypal or wise (\"\" = not set)"), \
	OPT_STR("iban", "IBAN", &(in).iban, "bank: the account (checked by its mod-97 digits)"), \
	OPT_STR("bic", "BIC", &(in).bic, "bank: the BIC (8 or 11 characters)"), \
	OPT_STR("holder", "NAME", &(in).holder, "bank: the account holder (default the name)")

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

/* ---- ally partner key add|list|remove ---- */

/* FILE's text (a .pub file is small); NULL with e set when not. */
static char *
read_pubkey(const char *path, struct err *e)
{
	char *buf, *vis;
	size_t n;
	FILE *f = user_fopen(path, "r");

	if (f == NULL) {
		vis = str_visible_cut(path, 60);
		err_set(e, ST_NOINPUT, "%s: %s", vis, strerror(errno));
		free(vis);
		return NULL;
	}
	buf = xmalloc(PUBKEY_FILE_MAX + 2);
	n = fread(buf, 1, PUBKEY_FILE_MAX + 1, f);
	fclose(f);
	buf[n] = '\0';
	if (n > PUBKEY_FILE_MAX || strlen(buf) != n) {
		vis = str_visible_cut(path, 60);
		err_set(e, ST_DATA, "%s: not an OpenSSH public key file (binary, or over %d bytes)", vis,
		    PUBKEY_FILE_MAX);
		free(vis);
		free(buf);
		return NULL;
	}
	return buf;
}

static int
key_add(struct cli *c, int argc, char **argv)
{
	const struct opt tab[] = { OPT_END };
	struct opts o;
	struct err e;
	uint64_t id;
	char fp[64], *text;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 2, 2, argc, argv)) >= 0 || (rc = cli_open(c, 0)) != 0)
		return rc;
	err_clear(&e);
	/* who may, before the file is even read */
	if (app_require(c->app, PERM_PARTNER_WRITE, &e) != ST_OK)
		return cli_fail(c, &e);
	if ((text = read_pubkey(o.argv[1], &e)) == NULL)
		return cli_fail(c, &e);
	rc = app_partner_key_add(c->app, o.argv[0], text, &id, fp, &e) != ST_OK ? cli_fail(c, &e) : 0;
	free(text);
	if (rc == 0)
		printf("SK%llu %s added\n", (unsigned long long)id, fp);
	return rc;
}

static int
key_list(struct cli *c, int argc, char **argv)
{
	bool csv = false, json = false;
	const struct opt tab[] = {
		OPT_BOOL("csv", &csv, "CSV with a header row"),
		OPT_BOOL("json", &json, "one JSON object a line"),
		OPT_END
	};
	enum out_fmt fmt;
	struct opts o;
	struct out out;
	struct err e;
	enum status st;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 1, 1, argc, argv)) >= 0 ||
	    (rc = cli_format(c, csv, json, OUT_TABLE, &fmt)) != 0 ||
	    (rc = cli_open(c, APP_RDONLY)) != 0)
		return rc;
	err_clear(&e);
	out_init(&out, fmt, stdout);
	st = app_partner_key_list(c->app, o.argv[0], out_row, &out, &e);
	out_finish(&out);
	return st != ST_OK ? cli_fail(c, &e) : 0;
}

static int
key_remove(struct cli *c, int argc, char **argv)
{
	const struct opt tab[] = { OPT_END };
	struct opts o;
	struct err e;
	uint64_t id;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 2, 2, argc, argv)) >= 0 || (rc = cli_open(c, 0)) != 0)
		return rc;
	err_clear(&e);
	if (app_partner_key_remove(c->app, o.argv[0], o.argv[1], &id, &e) != ST_OK)
		return cli_fail(c, &e);
	printf("SK%llu removed\n", (unsigned long long)id);
	return 0;
}

static const struct cli_cmd key_cmds[] = {
	{ .name = "add", .args = "PARTNER FILE", .synopsis = "PARTNER FILE.pub",
	  .summary = "let the partner into the portal with this SSH key", .run = key_add },
	{ .name = "list", .args = "PARTNER", .synopsis = "PARTNER [--csv|--json]",
	  .summary = "the partner's SSH keys", .run = key_list },
	{ .name = "remove", .args = "PARTNER KEY", .synopsis = "PARTNER FINGERPRINT|ID",
	  .summary = "remove one of the partner's SSH keys", .run = key_remove },
	{ .name = NULL }
};

static int
partner_key(struct cli *c, int argc, char **argv)
{
	const struct cli_cmd *k;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		FILE *f = argc < 2 ? stderr : stdout;
		fprintf(f, "usage:\n");
		for (k = key_cmds; k->name != NULL; k++)
			fprintf(f, "  ally partner key %s %s\n      %s\n", k->name, k->synopsis, k->summary);
		return argc < 2 ? 64 : 0;
	}
	for (k = key_cmds; k->name != NULL; k++) {
		if (strcmp(argv[1], k->name) == 0) {
			snprintf(c->what, sizeof c->what, "partner key %s", k->name);
			c->cmd = k;
			return k->run(c, argc - 1, argv + 1);
		}
	}
	return cli_usage(c, "unknown subcommand (add, list or remove)");
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
	{ .name = "key", .args = "add|list|remove ...",
	  .synopsis = "add PARTNER FILE.pub | list PARTNER [--json] | remove PARTNER FINGERPRINT|ID",
	  .summary = "SSH keys that let a partner into the portal", .run = partner_key },
	{ .name = "agreements", .args = "[PARTNER]", .synopsis = "[PARTNER] [--csv|--json]",
	  .summary = "list agreements", .run = partner_agreements },
	{ .name = NULL }
};
