/*
 * cmd_mail.c - "ally mail send|list|retry": the outbox; and the partner
 * invitation commands (invite, resend, revoke), which queue mail.
 *
 * mail send is safe from cron and from several shells at once: app/
 * claims each message before sending it.  Its exit status is 0 when all
 * that was due went out, 69 when the SMTP server could not be reached
 * (the messages stay queued), 78 for configuration problems (including a
 * refused login) and 65 when a message was refused.  All declared (cli.h):
 * send and the invitations read the configuration first (.config).
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

static enum status
mail_send_cmd(struct cli_call *k)
{
	struct send_out so = { k->c, 0, 0 };
	enum status st;

	st = app_mail_send(k->app, k->cfg, send_report, &so, &k->e);
	/* Per-message failures were reported one by one. */
	if (st != ST_OK && so.failed > 0) {
		k->exit = status_exit(st);
		return ST_OK;
	}
	return st;
}

struct mail_list_call {
	struct cli_call k;
	const char *state;
};

static const struct opt mail_list_flags[] = {
	OPT_STR_AT("state", "STATE", offsetof(struct mail_list_call, state),
	    "only queued, sending, sent or failed"),
	CLI_LIST_FORMATS,
	OPT_END
};

static enum status
mail_list_cmd(struct cli_call *k)
{
	struct out out;
	enum status st;

	out_init(&out, k->fmt, stdout);
	st = app_mail_list(k->app, ((struct mail_list_call *)k)->state, out_row, &out, &k->e);
	out_finish(&out);
	return st;
}

/* One after the other; the first that fails stops the rest. */
static enum status
mail_retry_cmd(struct cli_call *k)
{
	enum status st;
	uint64_t id;
	int i;

	for (i = 0; i < k->argc; i++) {
		err_clear(&k->e);
		if ((st = app_mail_retry(k->app, k->argv[i], &id, &k->e)) != ST_OK)
			return st;
		printf("M%llu queued\n", (unsigned long long)id);
	}
	return ST_OK;
}

const struct cli_cmd mail_cmds[] = {
	{ .name = "send", .synopsis = "", .summary = "deliver the messages that are due",
	  .config = true, .open = CLI_WRITE, .exec = mail_send_cmd },
	{ .name = "list", .synopsis = "[--state STATE] [--csv|--json]",
	  .summary = "list the outbox",
	  .flags = mail_list_flags, .size = sizeof(struct mail_list_call), .format = true,
	  .exec = mail_list_cmd },
	{ .name = "retry", .args = "ID...", .synopsis = "ID...",
	  .summary = "send failed messages again",
	  .names = 1, .names_max = CLI_MANY, .open = CLI_WRITE, .exec = mail_retry_cmd },
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
