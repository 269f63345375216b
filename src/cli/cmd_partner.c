/*
 * cmd_partner.c - "ally partner ...": partners, their status, their
 * agreements and their SSH keys.  Invitations (invite, resend, revoke)
 * live in cmd_mail.c next to the outbox they fill.  All are declared (see
 * cli.h) but "partner key", a small group of its own whose three
 * subcommands are declared.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/portal.h"
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/priv.h"
#include "core/str.h"

#define PUBKEY_FILE_MAX 16384

struct partner_call {
	struct cli_call k;
	struct partner_input in;
};

#define PARTNER_AT(f) offsetof(struct partner_call, in.f)

#define PARTNER_FLAGS \
	OPT_STR_AT("tier", "TIER", PARTNER_AT(tier), "partner tier, by name or id (\"\" = none)"), \
	OPT_STR_AT("kind", "KIND", PARTNER_AT(kind), "reseller, affiliate, agency or integration"), \
	OPT_STR_AT("contact", "NAME", PARTNER_AT(contact), "contact person"), \
	OPT_STR_AT("address", "TEXT", PARTNER_AT(address), "postal address"), \
	OPT_STR_AT("payout-email", "EMAIL", PARTNER_AT(payout_email), \
	    "where payouts go (default --email)"), \
	OPT_STR_AT("notes", "TEXT", PARTNER_AT(notes), "free notes"), \
	OPT_STR_AT("payout-method", "METHOD", PARTNER_AT(payout_method), \
	    "bank, paypal or wise (\"\" = not set)"), \
	OPT_STR_AT("iban", "IBAN", PARTNER_AT(iban), "bank: the account (checked by its mod-97 digits)"), \
	OPT_STR_AT("bic", "BIC", PARTNER_AT(bic), "bank: the BIC (8 or 11 characters)"), \
	OPT_STR_AT("holder", "NAME", PARTNER_AT(holder), "bank: the account holder (default the name)"), \
	OPT_STR_AT("parent", "PARTNER", PARTNER_AT(parent), \
	    "the agency or distributor this is a sub-partner of (\"\" = none)")

static const struct opt partner_add_flags[] = {
	OPT_REQ_AT("email", "EMAIL", PARTNER_AT(email), "contact e-mail"),
	PARTNER_FLAGS,
	CLI_JSON("print the new partner as JSON"),
	OPT_END
};

static const struct opt partner_edit_flags[] = {
	OPT_STR_AT("name", "NAME", PARTNER_AT(name), "new company name"),
	OPT_STR_AT("email", "EMAIL", PARTNER_AT(email), "contact e-mail"),
	PARTNER_FLAGS,
	CLI_JSON("print the partner as JSON"),
	OPT_END
};

static const struct opt partner_list_flags[] = {
	OPT_STR_AT("tier", "TIER", CLI_LIST_AT(tier), "only partners of this tier"),
	OPT_STR_AT("status", "STATUS", CLI_LIST_AT(status), "only invited, active or suspended"),
	CLI_LIST_FORMATS,
	OPT_END
};

static enum status
partner_add(struct cli_call *k)
{
	struct partner_call *p = (struct partner_call *)k;

	p->in.name = k->argv[0];
	return app_partner_save(k->app, 0, &p->in, &k->id, &k->e);
}

static enum status
partner_edit(struct cli_call *k)
{
	struct partner_call *p = (struct partner_call *)k;
	uint64_t out_id;

	return app_partner_save(k->app, k->id, &p->in, &out_id, &k->e);
}

/* suspend, activate: .param is the status to set */
static enum status
partner_status(struct cli_call *k)
{
	return app_partner_set_status(k->app, k->id, (enum partner_status)k->cmd->param, &k->e);
}

struct agreement_call {
	struct cli_call k;
	struct agreement_input in;
};

#define AGREEMENT_AT(f) offsetof(struct agreement_call, in.f)

static const struct opt agreement_flags[] = {
	OPT_REQ_AT("title", "TITLE", AGREEMENT_AT(title), "what the agreement is"),
	OPT_REQ_AT("signed", "YYYY-MM-DD", AGREEMENT_AT(signed_on), "day it was signed"),
	OPT_STR_AT("expires", "YYYY-MM-DD", AGREEMENT_AT(expires), "day it ends"),
	OPT_STR_AT("document", "PATH", AGREEMENT_AT(document), "path or URL of the signed document"),
	CLI_JSON("print the new agreement as JSON"),
	OPT_END
};

static enum status
partner_agreement(struct cli_call *k)
{
	struct agreement_call *ag = (struct agreement_call *)k;

	ag->in.partner = k->argv[0];
	return app_agreement_add(k->app, &ag->in, &k->id, &k->e);
}

static enum status
partner_agreements(struct cli_call *k)
{
	struct cli_list *l = (struct cli_list *)k;

	if (k->argc > 0)
		l->f.partner = k->argv[0];
	return cli_exec_list(k);
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

static enum status
key_add(struct cli_call *k)
{
	uint64_t id;
	char fp[64], *text;
	enum status st;

	/* who may, before the file is even read */
	if ((st = app_require(k->app, PERM_PARTNER_WRITE, &k->e)) != ST_OK)
		return st;
	if ((text = read_pubkey(k->argv[1], &k->e)) == NULL)
		return k->e.st;
	st = app_partner_key_add(k->app, k->argv[0], text, &id, fp, &k->e);
	free(text);
	if (st == ST_OK)
		printf("SK%llu %s added\n", (unsigned long long)id, fp);
	return st;
}

static enum status
key_list(struct cli_call *k)
{
	struct out out;
	enum status st;

	out_init(&out, k->fmt, stdout);
	st = app_partner_key_list(k->app, k->argv[0], out_row, &out, &k->e);
	out_finish(&out);
	return st;
}

static enum status
key_remove(struct cli_call *k)
{
	uint64_t id;
	enum status st;

	if ((st = app_partner_key_remove(k->app, k->argv[0], k->argv[1], &id, &k->e)) == ST_OK)
		printf("SK%llu removed\n", (unsigned long long)id);
	return st;
}

static const struct cli_cmd key_cmds[] = {
	{ .name = "add", .args = "PARTNER FILE", .synopsis = "PARTNER FILE.pub",
	  .summary = "let the partner into the portal with this SSH key",
	  .names = 2, .open = CLI_WRITE, .exec = key_add },
	{ .name = "list", .args = "PARTNER", .synopsis = "PARTNER [--csv|--json]",
	  .summary = "the partner's SSH keys",
	  .flags = cli_list_flags, .names = 1, .format = true, .exec = key_list },
	{ .name = "remove", .args = "PARTNER KEY", .synopsis = "PARTNER FINGERPRINT|ID",
	  .summary = "remove one of the partner's SSH keys",
	  .names = 2, .open = CLI_WRITE, .exec = key_remove },
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
			char words[64];

			snprintf(words, sizeof words, "partner key %s", k->name);
			return cli_run(c, words, k, argc - 1, argv + 1);
		}
	}
	return cli_usage(c, "unknown subcommand (add, list or remove)");
}

const struct cli_cmd partner_cmds[] = {
	{ .name = "add", .args = "NAME", .synopsis = "NAME --email EMAIL [options]",
	  .summary = "add a partner",
	  .flags = partner_add_flags, .size = sizeof(struct partner_call), .names = 1,
	  .open = CLI_WRITE, .kind = KIND_PARTNER, .echo = true, .exec = partner_add },
	{ .name = "edit", .args = "PARTNER", .synopsis = "PARTNER [options]",
	  .summary = "change a partner's details",
	  .flags = partner_edit_flags, .size = sizeof(struct partner_call), .names = 1,
	  .open = CLI_WRITE, .kind = KIND_PARTNER, .target = true, .echo = true,
	  .exec = partner_edit },
	{ .name = "list", .synopsis = "[--tier T] [--status S] [--csv|--json]",
	  .summary = "list partners",
	  .flags = partner_list_flags, .size = sizeof(struct cli_list), .format = true,
	  .kind = KIND_PARTNER, .exec = cli_exec_list },
	{ .name = "show", .args = "PARTNER", .synopsis = "PARTNER [--json]",
	  .summary = "show one partner",
	  .flags = cli_show_flags, .names = 1, .kind = KIND_PARTNER, .exec = cli_exec_show },
	{ .name = "suspend", .args = "PARTNER", .synopsis = "PARTNER",
	  .summary = "suspend a partner",
	  .names = 1, .open = CLI_WRITE, .kind = KIND_PARTNER, .target = true, .echo = true,
	  .exec = partner_status, .param = PARTNER_SUSPENDED },
	{ .name = "activate", .args = "PARTNER", .synopsis = "PARTNER",
	  .summary = "make a partner active",
	  .names = 1, .open = CLI_WRITE, .kind = KIND_PARTNER, .target = true, .echo = true,
	  .exec = partner_status, .param = PARTNER_ACTIVE },
	{ .name = "invite", .args = "PARTNER", .synopsis = "PARTNER [--days N]",
	  .summary = "send the partner's contact a portal invitation",
	  .flags = cli_invite_flags, .size = sizeof(struct cli_invite_call), .names = 1,
	  .config = true, .open = CLI_WRITE, .kind = KIND_PARTNER, .target = true,
	  .exec = cli_partner_invite, .param = CLI_INVITE },
	{ .name = "resend", .args = "PARTNER", .synopsis = "PARTNER [--days N]",
	  .summary = "void the invitation code and send a new one",
	  .flags = cli_invite_flags, .size = sizeof(struct cli_invite_call), .names = 1,
	  .config = true, .open = CLI_WRITE, .kind = KIND_PARTNER, .target = true,
	  .exec = cli_partner_invite, .param = CLI_RESEND },
	{ .name = "revoke", .args = "PARTNER", .synopsis = "PARTNER",
	  .summary = "end the partner's portal access",
	  .size = sizeof(struct cli_invite_call), .names = 1, .config = true, .open = CLI_WRITE,
	  .kind = KIND_PARTNER, .target = true, .exec = cli_partner_invite, .param = CLI_REVOKE },
	{ .name = "unlock", .args = "PARTNER", .synopsis = "PARTNER",
	  .summary = "lift the lock after failed portal logins",
	  .names = 1, .open = CLI_WRITE, .exec = cli_partner_unlock },
	{ .name = "agreement", .args = "PARTNER",
	  .synopsis = "PARTNER --title T --signed D [--expires D] [--document PATH]",
	  .summary = "record a signed agreement",
	  .flags = agreement_flags, .size = sizeof(struct agreement_call), .names = 1,
	  .open = CLI_WRITE, .kind = KIND_AGREEMENT, .echo = true, .exec = partner_agreement },
	{ .name = "key", .args = "add|list|remove ...",
	  .synopsis = "add PARTNER FILE.pub | list PARTNER [--json] | remove PARTNER FINGERPRINT|ID",
	  .summary = "SSH keys that let a partner into the portal", .run = partner_key },
	{ .name = "agreements", .args = "[PARTNER]", .synopsis = "[PARTNER] [--csv|--json]",
	  .summary = "list agreements",
	  .flags = cli_list_flags, .size = sizeof(struct cli_list), .names_max = 1,
	  .format = true, .kind = KIND_AGREEMENT, .exec = partner_agreements },
	{ .name = NULL }
};
