/*
 * cmd_referrer.c - "ally referrer ...": the support desk's questions on
 * the command line, as the TUI's Referrals tab answers them: find a
 * referrer by any word (app_lookup) and show one referrer's history
 * (app_referrer_timeline).
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/lookup.h"
#include "cli/cli.h"

#define FIND_LIMIT 50

/* "12,345" (at most 20 digits and their separators) */
static const char *
thousands(uint64_t v, char buf[32])
{
	char digits[24];
	size_t n, i, o = 0;

	n = (size_t)snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

struct referrer_call {
	struct cli_call k;
	const char *limit_s;
	uint64_t limit;
};

static const struct opt find_flags[] = {
	OPT_STR_AT("limit", "N", offsetof(struct referrer_call, limit_s),
	    "show at most N referrers (default 50; 0: all)"),
	CLI_LIST_FORMATS,
	OPT_END
};

static const struct opt show_flags[] = {
	OPT_STR_AT("limit", "N", offsetof(struct referrer_call, limit_s),
	    "at most N entries of each kind (default 2000)"),
	CLI_LIST_FORMATS,
	OPT_END
};

/* --limit before the database is opened; .param: its default, and
 * whether 0 means all (find) or is refused (show) */
static int
limit_check(struct cli_call *k)
{
	struct referrer_call *r = (struct referrer_call *)k;
	int rc;

	r->limit = k->cmd->param ? FIND_LIMIT : 2000;
	if (r->limit_s != NULL && (rc = cli_number(k->c, "--limit", r->limit_s, &r->limit)) != 0)
		return rc;
	if (r->limit == 0 && !k->cmd->param)
		return cli_usage(k->c, "--limit must be at least 1");
	if (r->limit == 0)
		r->limit = SIZE_MAX;
	return 0;
}

static enum status
referrer_find(struct cli_call *k)
{
	uint64_t limit = ((struct referrer_call *)k)->limit;
	struct lookup_count count;
	struct out out;
	enum status st;
	char a[32], b[32];

	out_init(&out, k->fmt, stdout);
	st = app_lookup(k->app, k->argv[0], (size_t)limit, out_row, &out, &count, &k->e);
	out_finish(&out);
	if (st != ST_OK)
		return st;
	/* Scripts read rows only; people are told what the list leaves out. */
	if (k->fmt == OUT_TABLE)
		printf("%s%s referrer%s match\n", count.more ? "at least " : "",
		    thousands(count.total, a), count.total == 1 && !count.more ? "" : "s");
	if (count.total > limit || count.more)
		fprintf(stderr, "ally: %s: showing %s of %s%s matches (--limit N for more, or more words)\n",
		    k->c->what, thousands(count.total < limit ? count.total : limit, a),
		    count.more ? "at least " : "", thousands(count.total, b));
	return ST_OK;
}

static enum status
referrer_show(struct cli_call *k)
{
	struct out out;
	enum status st;

	out_init(&out, k->fmt, stdout);
	st = app_referrer_timeline(k->app, k->argv[0], (size_t)((struct referrer_call *)k)->limit,
	    out_row, &out, &k->e);
	out_finish(&out);
	if (st != ST_OK && k->e.st == ST_OK)
		k->e.st = st;
	return st;
}

const struct cli_cmd referrer_cmds[] = {
	{ .name = "find", .args = "TEXT", .synopsis = "TEXT [--limit N] [--csv|--json]",
	  .summary = "referrers with a word starting with each word of TEXT, in a name, e-mail, code or referred contact",
	  .flags = find_flags, .size = sizeof(struct referrer_call), .names = 1, .format = true,
	  .check = limit_check, .exec = referrer_find, .param = true },
	{ .name = "show", .args = "ID", .synopsis = "ID [--limit N] [--csv|--json]",
	  .summary = "one referrer's history, newest first: codes, referrals, conversions, refunds, commissions",
	  .flags = show_flags, .size = sizeof(struct referrer_call), .names = 1, .format = true,
	  .check = limit_check, .exec = referrer_show, .param = false },
	{ .name = NULL }
};
