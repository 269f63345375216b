/*
 * cmd_reward.c - ally reward list|show|explain|approve|reject|mark-issued:
 * referee rewards of two-sided programs, from the command line.  They
 * are never paid out: `ally export rewards --status approved` hands them
 * to the billing system, and mark-issued records that it credited them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/ledger.h"
#include "cli/cli.h"
#include "core/alloc.h"

#define REWARD_STATUSES "pending, approved, rejected, issued or reversed"

static bool
reward_status_known(const char *s)
{
	int32_t i;

	for (i = REWARD_PENDING; i <= REWARD_REVERSED; i++)
		if (strcmp(s, reward_status_name(i)) == 0)
			return true;
	return false;
}

static int
reward_list(struct cli *c, int argc, char **argv)
{
	struct list_filter f = { 0 };
	bool csv = false, json = false;
	const struct opt tab[] = {
		OPT_STR("status", "STATUS", &f.status, REWARD_STATUSES),
		OPT_STR("program", "PROGRAM", &f.program, "only this program's rewards"),
		OPT_STR("partner", "PARTNER", &f.partner, "only rewards of contacts this partner referred"),
		OPT_STR("from", "DATE", &f.from, "earned on or after"),
		OPT_STR("to", "DATE", &f.to, "earned on or before"),
		OPT_BOOL("csv", &csv, "CSV with a header row"),
		OPT_BOOL("json", &json, "one JSON object a line"),
		OPT_END
	};
	enum out_fmt fmt;
	struct opts o;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 0, 0, argc, argv)) >= 0 ||
	    (rc = cli_format(c, csv, json, OUT_TABLE, &fmt)) != 0)
		return rc;
	if (f.status && !reward_status_known(f.status))
		return cli_usage(c, "--status: \"%s\" must be " REWARD_STATUSES, f.status);
	if ((rc = cli_open(c, APP_RDONLY)) != 0)
		return rc;
	return cli_list(c, KIND_REWARD, &f, fmt, stdout);
}

static int
reward_show(struct cli *c, int argc, char **argv)
{
	return cli_show_cmd(c, KIND_REWARD, argc, argv);
}

static int
reward_explain(struct cli *c, int argc, char **argv)
{
	const struct opt tab[] = { OPT_END };
	struct opts o;
	struct sbuf out;
	struct err e;
	char *vis;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 1, 1, argc, argv)) >= 0 || (rc = cli_open(c, APP_RDONLY)) != 0)
		return rc;
	sbuf_init(&out);
	err_clear(&e);
	if (app_reward_explain(c->app, o.argv[0], &out, &e) != ST_OK) {
		sbuf_free(&out);
		return cli_fail(c, &e);
	}
	/* emails and rules came from users: shown escaped, line by line */
	{
		char *p = (char *)sbuf_str(&out), *nl;
		while (*p) {
			nl = strchr(p, '\n');
			if (nl)
				*nl = '\0';
			vis = str_visible(p);
			printf("%s\n", vis);
			free(vis);
			if (!nl)
				break;
			p = nl + 1;
		}
	}
	sbuf_free(&out);
	return 0;
}

enum verb { V_APPROVE, V_REJECT, V_ISSUE };

static int
decide(struct cli *c, int argc, char **argv, enum verb v)
{
	const char *reason = NULL;
	const struct opt atab[] = {
		OPT_STR("override-hold", "REASON", &reason, "approve before the hold date ends, saying why"),
		OPT_END
	};
	const struct opt rtab[] = {
		OPT_REQ("reason", "TEXT", &reason, "why"),
		OPT_END
	};
	const struct opt itab[] = { OPT_END };
	struct decision *res;
	struct opts o;
	struct err e;
	enum status st;
	int rc, i;

	if ((rc = cli_parse(c, &o, v == V_APPROVE ? atab : v == V_REJECT ? rtab : itab, 1, -1, argc, argv)) >= 0 ||
	    (rc = cli_open(c, 0)) != 0)
		return rc;
	res = xcalloc((size_t)o.argc, sizeof *res);
	err_clear(&e);
	if (v == V_APPROVE)
		st = app_reward_approve(c->app, (const char *const *)o.argv, (size_t)o.argc, reason, res, &e);
	else if (v == V_REJECT)
		st = app_reward_reject(c->app, (const char *const *)o.argv, (size_t)o.argc, reason, res, &e);
	else
		st = app_reward_mark_issued(c->app, (const char *const *)o.argv, (size_t)o.argc, res, &e);
	if (st != ST_OK && res[0].id == 0) {
		free(res);
		return cli_fail(c, &e);
	}
	for (i = 0; i < o.argc; i++) {
		if (res[i].id == 0)
			continue;
		if (res[i].outcome == DECIDE_REFUSED)
			fprintf(stderr, "ally: %s: RW%llu %s\n", c->what, (unsigned long long)res[i].id,
			    res[i].message);
		else
			printf("RW%llu %s\n", (unsigned long long)res[i].id, res[i].message);
	}
	free(res);
	return st == ST_OK ? 0 : status_exit(st);
}

static int
reward_approve(struct cli *c, int argc, char **argv)
{
	return decide(c, argc, argv, V_APPROVE);
}

static int
reward_reject(struct cli *c, int argc, char **argv)
{
	return decide(c, argc, argv, V_REJECT);
}

static int
reward_mark_issued(struct cli *c, int argc, char **argv)
{
	return decide(c, argc, argv, V_ISSUE);
}

const struct cli_cmd reward_cmds[] = {
	{ .name = "list", .synopsis = "[--status S] [--program P] [--partner P] [--csv|--json]",
	  .summary = "list referee rewards and their adjustments", .run = reward_list },
	{ .name = "show", .args = "ID", .synopsis = "ID [--json]",
	  .summary = "show one reward", .run = reward_show },
	{ .name = "explain", .args = "ID", .synopsis = "ID",
	  .summary = "who a reward is owed to and its arithmetic", .run = reward_explain },
	{ .name = "approve", .args = "ID...", .synopsis = "ID... [--override-hold REASON]",
	  .summary = "approve pending rewards whose hold has ended", .run = reward_approve },
	{ .name = "reject", .args = "ID...", .synopsis = "ID... --reason TEXT",
	  .summary = "reject pending rewards (fraud, a duplicate account)", .run = reward_reject },
	{ .name = "mark-issued", .args = "ID...", .synopsis = "ID...",
	  .summary = "record approved rewards as credited by the billing system", .run = reward_mark_issued },
	{ .name = NULL }
};
