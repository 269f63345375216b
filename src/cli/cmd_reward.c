/*
 * cmd_reward.c - ally reward list|show|explain|approve|reject|mark-issued:
 * referee rewards of two-sided programs, from the command line.  They
 * are never paid out: `ally export rewards --status approved` hands them
 * to the billing system, and mark-issued records that it credited them.
 */
#include "config.h"

#include <stddef.h>
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

static const struct opt reward_list_flags[] = {
	OPT_STR_AT("status", "STATUS", CLI_LIST_AT(status), REWARD_STATUSES),
	OPT_STR_AT("program", "PROGRAM", CLI_LIST_AT(program), "only this program's rewards"),
	OPT_STR_AT("partner", "PARTNER", CLI_LIST_AT(partner),
	    "only rewards of contacts this partner referred"),
	OPT_STR_AT("from", "DATE", CLI_LIST_AT(from), "earned on or after"),
	OPT_STR_AT("to", "DATE", CLI_LIST_AT(to), "earned on or before"),
	CLI_LIST_FORMATS,
	OPT_END
};

static int
reward_list_check(struct cli_call *k)
{
	const char *status = ((struct cli_list *)k)->f.status;

	if (status && !reward_status_known(status))
		return cli_usage(k->c, "--status: \"%s\" must be " REWARD_STATUSES, status);
	return 0;
}

static enum status
reward_explain(struct cli_call *k)
{
	struct sbuf out;
	enum status st;

	/* emails and rules came from users: shown escaped, line by line */
	sbuf_init(&out);
	if ((st = app_reward_explain(k->app, k->argv[0], &out, &k->e)) == ST_OK)
		cli_print_lines((char *)sbuf_str(&out));
	sbuf_free(&out);
	return st;
}

enum verb { V_APPROVE, V_REJECT, V_ISSUE };

struct reward_call {
	struct cli_call k;
	const char *reason;
};

static const struct opt approve_flags[] = {
	OPT_STR_AT("override-hold", "REASON", offsetof(struct reward_call, reason),
	    "approve before the hold date ends, saying why"),
	OPT_END
};

static const struct opt reject_flags[] = {
	OPT_REQ_AT("reason", "TEXT", offsetof(struct reward_call, reason), "why"),
	OPT_END
};

/* approve, reject, mark-issued (.param: the verb) */
static enum status
decide(struct cli_call *k)
{
	const char *reason = ((struct reward_call *)k)->reason;
	const char *const *ids = (const char *const *)k->argv;
	size_t n = (size_t)k->argc;
	struct decision *res = xcalloc(n, sizeof *res);
	enum status st;

	if (k->cmd->param == V_APPROVE)
		st = app_reward_approve(k->app, ids, n, reason, res, &k->e);
	else if (k->cmd->param == V_REJECT)
		st = app_reward_reject(k->app, ids, n, reason, res, &k->e);
	else
		st = app_reward_mark_issued(k->app, ids, n, res, &k->e);
	st = cli_decisions(k, "RW", res, n, st);
	free(res);
	return st;
}

const struct cli_cmd reward_cmds[] = {
	{ .name = "list", .synopsis = "[--status S] [--program P] [--partner P] [--csv|--json]",
	  .summary = "list referee rewards and their adjustments",
	  .flags = reward_list_flags, .size = sizeof(struct cli_list), .format = true,
	  .check = reward_list_check, .kind = KIND_REWARD, .exec = cli_exec_list },
	{ .name = "show", .args = "ID", .synopsis = "ID [--json]",
	  .summary = "show one reward",
	  .flags = cli_show_flags, .names = 1, .kind = KIND_REWARD, .exec = cli_exec_show },
	{ .name = "explain", .args = "ID", .synopsis = "ID",
	  .summary = "who a reward is owed to and its arithmetic",
	  .names = 1, .exec = reward_explain },
	{ .name = "approve", .args = "ID...", .synopsis = "ID... [--override-hold REASON]",
	  .summary = "approve pending rewards whose hold has ended",
	  .flags = approve_flags, .size = sizeof(struct reward_call), .names = 1,
	  .names_max = CLI_MANY, .open = CLI_WRITE, .exec = decide, .param = V_APPROVE },
	{ .name = "reject", .args = "ID...", .synopsis = "ID... --reason TEXT",
	  .summary = "reject pending rewards (fraud, a duplicate account)",
	  .flags = reject_flags, .size = sizeof(struct reward_call), .names = 1,
	  .names_max = CLI_MANY, .open = CLI_WRITE, .exec = decide, .param = V_REJECT },
	{ .name = "mark-issued", .args = "ID...", .synopsis = "ID...",
	  .summary = "record approved rewards as credited by the billing system",
	  .size = sizeof(struct reward_call), .names = 1, .names_max = CLI_MANY, .open = CLI_WRITE,
	  .exec = decide, .param = V_ISSUE },
	{ .name = NULL }
};
