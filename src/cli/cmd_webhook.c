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
	"deal.won, deal.lost"

static int
webhook_add(struct cli *c, int argc, char **argv)
{
	struct webhook_input in = { 0 };
	const struct opt tab[] = {
		OPT_REQ("events", "LIST", &in.events, EVENTS_HELP),
		OPT_STR("secret-file", "FILE", &in.secret_file,
		    "sign with the secret in FILE (one line) instead of a generated one"),
		OPT_END
	};
	struct opts o;
	struct err e;
	uint64_t id;
	char *secret = NULL, *url, idbuf[24];
	int rc;

	if ((rc = cli_parse(c, &o, tab, 1, 1, argc, argv)) >= 0 || (rc = cli_open(c, 0)) != 0)
		return rc;
	in.url = o.argv[0];
	err_clear(&e);
	if (app_webhook_add(c->app, &in, &id, &secret, &e) != ST_OK)
		return cli_fail(c, &e);
	url = str_visible(in.url);
	printf("%s %s\n", app_id_str(KIND_WEBHOOK, id, idbuf), url);
	free(url);
	if (secret != NULL) {
		/* the only time it is shown: ally never prints it again */
		printf("secret: %s\n", secret);
		sodium_memzero(secret, strlen(secret));
		free(secret);
	}
	return 0;
}

static int
webhook_list(struct cli *c, int argc, char **argv)
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

	if ((rc = cli_parse(c, &o, tab, 0, 0, argc, argv)) >= 0 ||
	    (rc = cli_format(c, csv, json, OUT_TABLE, &fmt)) != 0 ||
	    (rc = cli_open(c, APP_RDONLY)) != 0)
		return rc;
	err_clear(&e);
	out_init(&out, fmt, stdout);
	st = app_webhook_list(c->app, out_row, &out, &e);
	out_finish(&out);
	if (st != ST_OK)
		return cli_fail(c, &e);
	return 0;
}

static int
webhook_remove(struct cli *c, int argc, char **argv)
{
	const struct opt tab[] = { OPT_END };
	struct opts o;
	struct err e;
	uint64_t id;
	unsigned dropped;
	char idbuf[24];
	int rc;

	if ((rc = cli_parse(c, &o, tab, 1, 1, argc, argv)) >= 0 || (rc = cli_open(c, 0)) != 0)
		return rc;
	err_clear(&e);
	if (app_webhook_remove(c->app, o.argv[0], &id, &dropped, &e) != ST_OK)
		return cli_fail(c, &e);
	printf("%s removed; %u undelivered deliver%s dropped\n", app_id_str(KIND_WEBHOOK, id, idbuf),
	    dropped, dropped == 1 ? "y" : "ies");
	return 0;
}

static int
webhook_test(struct cli *c, int argc, char **argv)
{
	const struct opt tab[] = { OPT_END };
	struct opts o;
	struct err e;
	uint64_t id;
	char idbuf[24];
	int rc;

	if ((rc = cli_parse(c, &o, tab, 1, 1, argc, argv)) >= 0 || (rc = cli_open(c, 0)) != 0)
		return rc;
	err_clear(&e);
	if (app_webhook_test(c->app, o.argv[0], &id, &e) != ST_OK)
		return cli_fail(c, &e);
	printf("%s webhook.test queued (ally webhook send delivers it)\n",
	    app_id_str(KIND_DELIVERY, id, idbuf));
	return 0;
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

static int
webhook_send(struct cli *c, int argc, char **argv)
{
	const char *timeout_s = NULL;
	const struct opt tab[] = {
		OPT_STR("timeout", "SECONDS", &timeout_s,
		    "longest wait for one endpoint, connecting included (default 30)"),
		OPT_END
	};
	struct send_out so = { c, 0 };
	struct opts o;
	struct err e;
	uint64_t timeout = 30;
	enum status st;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 0, 0, argc, argv)) >= 0)
		return rc;
	if (timeout_s != NULL && ((rc = cli_number(c, "--timeout", timeout_s, &timeout)) != 0))
		return rc;
	if (timeout < 1 || timeout > 600)
		return cli_usage(c, "--timeout: must be 1 to 600 seconds");
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	err_clear(&e);
	st = app_webhook_send(c->app, (long)timeout, send_report, &so, &e);
	if (st == ST_OK)
		return 0;
	if (so.failed > 0)      /* reported one by one */
		return status_exit(st);
	return cli_fail(c, &e);
}

static int
webhook_deliveries(struct cli *c, int argc, char **argv)
{
	bool failed = false, csv = false, json = false;
	const struct opt tab[] = {
		OPT_BOOL("failed", &failed, "only those whose last attempt failed"),
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
	st = app_webhook_deliveries(c->app, failed, out_row, &out, &e);
	out_finish(&out);
	if (st != ST_OK)
		return cli_fail(c, &e);
	return 0;
}

const struct cli_cmd webhook_cmds[] = {
	{ .name = "add", .args = "URL", .synopsis = "URL --events LIST [--secret-file FILE]",
	  .summary = "tell URL about events, signed with a secret (printed once when generated)",
	  .run = webhook_add },
	{ .name = "list", .synopsis = "[--csv|--json]",
	  .summary = "list the endpoints (never their secrets)", .run = webhook_list },
	{ .name = "remove", .args = "ID", .synopsis = "ID",
	  .summary = "remove an endpoint and its undelivered deliveries", .run = webhook_remove },
	{ .name = "test", .args = "ID", .synopsis = "ID",
	  .summary = "queue a webhook.test delivery for one endpoint", .run = webhook_test },
	{ .name = "send", .synopsis = "[--timeout SECONDS]",
	  .summary = "POST the deliveries that are due, in order per endpoint",
	  .run = webhook_send },
	{ .name = "deliveries", .synopsis = "[--failed] [--csv|--json]",
	  .summary = "list the deliveries and their attempts", .run = webhook_deliveries },
	{ .name = NULL }
};
