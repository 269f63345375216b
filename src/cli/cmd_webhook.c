/*
 * cmd_webhook.c - "ally webhook add|list|remove|test|send|deliveries": the
 * endpoints other systems are told about changes at, and their delivery.
 *
 * webhook send is safe from cron and from several shells at once: app/
 * claims each delivery before sending it.  Its exit status is 0 when all
 * that was due went out, 69 when an endpoint could not be reached (or
 * libcurl cannot be loaded), 75 when one answered with something other
 * than 2xx; every failed delivery stays queued for its next try.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cli/cli.h"
#include "core/date.h"
#include "core/str.h"

#define EVENTS_HELP "comma-separated: referral, conversion, refund, commission.created, " \
	"commission.approved, commission.rejected, commission.paid, partner.invited, " \
	"partner.activated, payout.run, payout.paid, deal.registered, deal.approved, " \
	"deal.won, deal.lost, reward.approved, reward.issued"

struct webhook_call {
	struct cli_call k;
	struct webhook_input in;
	const char *timeout_s;
	uint64_t timeout;
	bool failed;
};

#define WEBHOOK_AT(f) offsetof(struct webhook_call, f)

static const struct opt add_flags[] = {
	OPT_REQ_AT("events", "LIST", WEBHOOK_AT(in.events), EVENTS_HELP),
	OPT_STR_AT("secret-file", "FILE", WEBHOOK_AT(in.secret_file),
	    "sign with the secret in FILE (one line) instead of a generated one"),
	OPT_END
};

static enum status
webhook_add(struct cli_call *k)
{
	struct webhook_input *in = &((struct webhook_call *)k)->in;
	uint64_t id;
	char *secret = NULL, *url, idbuf[24];
	enum status st;

	in->url = k->argv[0];
	if ((st = app_webhook_add(k->app, in, &id, &secret, &k->e)) != ST_OK)
		return st;
	url = str_visible(in->url);
	printf("%s %s\n", app_id_str(KIND_WEBHOOK, id, idbuf), url);
	free(url);
	if (secret != NULL) {
		/* the only time it is shown: ally never prints it again */
		printf("secret: %s\n", secret);
		sodium_memzero(secret, strlen(secret));
		free(secret);
	}
	return ST_OK;
}

/* A table of app/'s rows in the chosen format. */
static enum status
print_rows(struct cli_call *k, enum status (*list)(struct app *, bool, row_fn, void *, struct err *),
    bool arg)
{
	struct out out;
	enum status st;

	out_init(&out, k->fmt, stdout);
	st = list(k->app, arg, out_row, &out, &k->e);
	out_finish(&out);
	return st;
}

static enum status
list_endpoints(struct app *a, bool unused, row_fn fn, void *ctx, struct err *e)
{
	(void)unused;
	return app_webhook_list(a, fn, ctx, e);
}

static enum status
webhook_list(struct cli_call *k)
{
	return print_rows(k, list_endpoints, false);
}

static enum status
webhook_remove(struct cli_call *k)
{
	uint64_t id;
	unsigned dropped;
	char idbuf[24];
	enum status st;

	if ((st = app_webhook_remove(k->app, k->argv[0], &id, &dropped, &k->e)) != ST_OK)
		return st;
	printf("%s removed; %u undelivered deliver%s dropped\n", app_id_str(KIND_WEBHOOK, id, idbuf),
	    dropped, dropped == 1 ? "y" : "ies");
	return ST_OK;
}

static enum status
webhook_test(struct cli_call *k)
{
	uint64_t id;
	char idbuf[24];
	enum status st;

	if ((st = app_webhook_test(k->app, k->argv[0], &id, &k->e)) != ST_OK)
		return st;
	printf("%s webhook.test queued (ally webhook send delivers it)\n",
	    app_id_str(KIND_DELIVERY, id, idbuf));
	return ST_OK;
}

struct send_out {
	struct cli *c;
	unsigned failed;
};

static void
send_report(void *ctx, const struct webhook_report *r)
{
	struct send_out *so = ctx;
	char *url = str_visible(r->url), *why, idbuf[24], when[DATE_BUFSZ];

	app_id_str(KIND_DELIVERY, r->id, idbuf);
	if (r->st == ST_OK) {
		printf("%s %s delivered to %s\n", idbuf, r->event, url);
		free(url);
		return;
	}
	so->failed++;
	why = str_visible(r->error != NULL ? r->error : "");
	fprintf(stderr, "ally: %s: %s %s to %s: %s (attempt %d; next at %s)\n", so->c->what, idbuf,
	    r->event, url, why, r->attempts, date_format_rfc3339(r->next_at, when));
	free(why);
	free(url);
}

static const struct opt send_flags[] = {
	OPT_STR_AT("timeout", "SECONDS", WEBHOOK_AT(timeout_s),
	    "longest wait for one endpoint, connecting included (default 30)"),
	OPT_END
};

static int
send_check(struct cli_call *k)
{
	struct webhook_call *w = (struct webhook_call *)k;
	int rc;

	w->timeout = 30;
	if (w->timeout_s != NULL && ((rc = cli_number(k->c, "--timeout", w->timeout_s, &w->timeout)) != 0))
		return rc;
	if (w->timeout < 1 || w->timeout > 600)
		return cli_usage(k->c, "--timeout: must be 1 to 600 seconds");
	return 0;
}

static enum status
webhook_send(struct cli_call *k)
{
	struct send_out so = { k->c, 0 };
	enum status st;

	st = app_webhook_send(k->app, (long)((struct webhook_call *)k)->timeout, send_report, &so, &k->e);
	if (st == ST_OK || so.failed == 0)
		return st;
	k->exit = status_exit(st);      /* reported one by one */
	return ST_OK;
}

static const struct opt deliveries_flags[] = {
	OPT_BOOL_AT("failed", WEBHOOK_AT(failed), "only those whose last attempt failed"),
	CLI_LIST_FORMATS,
	OPT_END
};

static enum status
webhook_deliveries(struct cli_call *k)
{
	return print_rows(k, app_webhook_deliveries, ((struct webhook_call *)k)->failed);
}

const struct cli_cmd webhook_cmds[] = {
	{ .name = "add", .args = "URL", .synopsis = "URL --events LIST [--secret-file FILE]",
	  .summary = "tell URL about events, signed with a secret (printed once when generated)",
	  .flags = add_flags, .size = sizeof(struct webhook_call), .names = 1, .open = CLI_WRITE,
	  .exec = webhook_add },
	{ .name = "list", .synopsis = "[--csv|--json]",
	  .summary = "list the endpoints (never their secrets)",
	  .flags = cli_list_flags, .format = true, .exec = webhook_list },
	{ .name = "remove", .args = "ID", .synopsis = "ID",
	  .summary = "remove an endpoint and its undelivered deliveries",
	  .names = 1, .open = CLI_WRITE, .exec = webhook_remove },
	{ .name = "test", .args = "ID", .synopsis = "ID",
	  .summary = "queue a webhook.test delivery for one endpoint",
	  .names = 1, .open = CLI_WRITE, .exec = webhook_test },
	{ .name = "send", .synopsis = "[--timeout SECONDS]",
	  .summary = "POST the deliveries that are due, in order per endpoint",
	  .flags = send_flags, .size = sizeof(struct webhook_call), .check = send_check,
	  .open = CLI_WRITE, .exec = webhook_send },
	{ .name = "deliveries", .synopsis = "[--failed] [--csv|--json]",
	  .summary = "list the deliveries and their attempts",
	  .flags = deliveries_flags, .size = sizeof(struct webhook_call), .format = true,
	  .exec = webhook_deliveries },
	{ .name = NULL }
};
