/*
 * cmd_mail.c - "ally mail send|list|retry": the outbox; and the partner
 * invitation commands (invite, resend, revoke), which queue mail.
 *
 * mail send is safe from cron and from several shells at once: app/
 * claims each message before sending it.  Its exit status is 0 when all
 * that was due went out, 69 when the SMTP server could not be reached
 * (the messages stay queued), 78 for configuration problems (including a
 * refused login) and 65 when a message was refused.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "app/outbox.h"
#include "cli/cli.h"
#include "core/date.h"
#include "core/str.h"

int
cli_config(struct cli *c, struct config *cfg)
{
	struct err e;

	err_clear(&e);
	if (config_load(c->config, cfg, &e) != ST_OK)
		return cli_fail(c, &e);
	return 0;
}

struct send_out {
	struct cli *c;
	unsigned sent, failed;
};

static void
send_report(void *ctx, const struct mail_report *r)
{
	struct send_out *so = ctx;
	char *to = str_visible(r->to), *why;
	char when[DATE_BUFSZ];

	if (r->st == ST_OK) {
		printf("M%llu sent to %s\n", (unsigned long long)r->id, to);
		so->sent++;
		free(to);
		return;
	}
	so->failed++;
	why = str_visible(r->error != NULL ? r->error : "");
	if (r->gave_up)
		fprintf(stderr, "ally: %s: M%llu to %s: %s (attempt %d of %d; failed, see ally mail retry)\n",
		    so->c->what, (unsigned long long)r->id, to, why, r->attempts, r->max_attempts);
	else
		fprintf(stderr, "ally: %s: M%llu to %s: %s (attempt %d of %d; next at %s)\n",
		    so->c->what, (unsigned long long)r->id, to, why, r->attempts, r->max_attempts,
		    date_format_rfc3339(r->next_at, when));
	free(why);
	free(to);
}

static int
mail_send_cmd(struct cli *c, int argc, char **argv)
{
	const struct opt tab[] = { OPT_END };
	struct send_out so = { c, 0, 0 };
	struct config cfg;
	struct opts o;
	struct err e;
	enum status st;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 0, 0, argc, argv)) >= 0 ||
	    (rc = cli_config(c, &cfg)) != 0)
		return rc;
	if ((rc = cli_open(c, 0)) != 0) {
		config_free(&cfg);
		return rc;
	}
	err_clear(&e);
	st = app_mail_send(c->app, &cfg, send_report, &so, &e);
	config_free(&cfg);
	if (st == ST_OK)
		return 0;
	/* Per-message failures were reported one by one. */
	if (so.failed > 0)
		return status_exit(st);
	return cli_fail(c, &e);
}

static int
mail_list_cmd(struct cli *c, int argc, char **argv)
{
	const char *state = NULL;
	bool csv = false, json = false;
	const struct opt tab[] = {
		OPT_STR("state", "STATE", &state, "only queued, sending, sent or failed"),
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

	if ((rc = cli_parse(c, &o, tab, 0, 0, argc, argv)) >= 0 ||
	    (rc = cli_format(c, csv, json, OUT_TABLE, &fmt)) != 0 ||
	    (rc = cli_open(c, APP_RDONLY)) != 0)
		return rc;
	err_clear(&e);
	out_init(&out, fmt, stdout);
	st = app_mail_list(c->app, state, out_row, &out, &e);
	out_finish(&out);
	if (st != ST_OK)
		return cli_fail(c, &e);
	return 0;
}

static int
mail_retry_cmd(struct cli *c, int argc, char **argv)
{
	const struct opt tab[] = { OPT_END };
	struct opts o;
	struct err e;
	uint64_t id;
	int rc, i;

	if ((rc = cli_parse(c, &o, tab, 1, -1, argc, argv)) >= 0 ||
	    (rc = cli_open(c, 0)) != 0)
		return rc;
	for (i = 0; i < o.argc; i++) {
		err_clear(&e);
		if (app_mail_retry(c->app, o.argv[i], &id, &e) != ST_OK)
			return cli_fail(c, &e);
		printf("M%llu queued\n", (unsigned long long)id);
	}
	return 0;
}

const struct cli_cmd mail_cmds[] = {
	{ .name = "send", .synopsis = "", .summary = "deliver the messages that are due",
	  .run = mail_send_cmd },
	{ .name = "list", .synopsis = "[--state STATE] [--csv|--json]",
	  .summary = "list the outbox", .run = mail_list_cmd },
	{ .name = "retry", .args = "ID...", .synopsis = "ID...",
	  .summary = "send failed messages again", .run = mail_retry_cmd },
	{ .name = NULL }
};

/* ---- partner invite, resend, revoke ---- */

const struct opt cli_invite_flags[] = {
	OPT_STR_AT("days", "N", offsetof(struct cli_invite_call, days),
	    "days the code stays valid (default 7)"),
	OPT_END
};

enum status
cli_partner_invite(struct cli_call *k)
{
	const char *days = ((struct cli_invite_call *)k)->days;
	struct invite_result r;
	char when[DATE_BUFSZ];
	enum status st;

	if (k->cmd->param == CLI_INVITE)
		st = app_partner_invite(k->app, k->cfg, k->id, days, &r, &k->e);
	else if (k->cmd->param == CLI_RESEND)
		st = app_partner_resend(k->app, k->cfg, k->id, days, &r, &k->e);
	else
		st = app_partner_revoke(k->app, k->cfg, k->id, &r, &k->e);
	if (st != ST_OK)
		return st;
	if (k->cmd->param == CLI_REVOKE)
		printf("P%llu portal access revoked: %d code%s voided, %d account%s removed; M%llu queued\n",
		    (unsigned long long)k->id, r.voided, r.voided == 1 ? "" : "s", r.users_removed,
		    r.users_removed == 1 ? "" : "s", (unsigned long long)r.mail);
	else
		printf("I%llu for P%llu, valid until %s; M%llu queued\n",
		    (unsigned long long)r.invitation, (unsigned long long)k->id,
		    date_format_minute(r.expires, when), (unsigned long long)r.mail);
	return ST_OK;
}
