/*
 * cmd_referrer.c - "ally referrer ...": the support desk's questions on
 * the command line, as the TUI's Referrals tab answers them: find a
 * referrer by any word (app_lookup) and show one referrer's history
 * (app_referrer_timeline).
 */
#include "config.h"

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

static int
referrer_find(struct cli *c, int argc, char **argv)
{
	const char *limit_s = NULL;
	bool csv = false, json = false;
	const struct opt tab[] = {
		OPT_STR("limit", "N", &limit_s, "show at most N referrers (default 50; 0: all)"),
		OPT_BOOL("csv", &csv, "CSV with a header row"),
		OPT_BOOL("json", &json, "one JSON object a line"),
		OPT_END
	};
	struct lookup_count count;
	uint64_t limit = FIND_LIMIT;
	enum out_fmt fmt;
	struct opts o;
	struct out out;
	struct err e;
	enum status st;
	char a[32], b[32];
	int rc;

	if ((rc = cli_parse(c, &o, tab, 1, 1, argc, argv)) >= 0 ||
	    (rc = cli_format(c, csv, json, OUT_TABLE, &fmt)) != 0)
		return rc;
	if (limit_s != NULL && (rc = cli_number(c, "--limit", limit_s, &limit)) != 0)
		return rc;
	if (limit == 0)
		limit = SIZE_MAX;
	if ((rc = cli_open(c, APP_RDONLY)) != 0)
		return rc;
	err_clear(&e);
	out_init(&out, fmt, stdout);
	st = app_lookup(c->app, o.argv[0], (size_t)limit, out_row, &out, &count, &e);
	out_finish(&out);
	if (st != ST_OK)
		return cli_fail(c, &e);
	/* Scripts read rows only; people are told what the list leaves out. */
	if (fmt == OUT_TABLE)
		printf("%s%s referrer%s match\n", count.more ? "at least " : "",
		    thousands(count.total, a), count.total == 1 && !count.more ? "" : "s");
	if (count.total > limit || count.more)
		fprintf(stderr, "ally: %s: showing %s of %s%s matches (--limit N for more, or more words)\n",
		    c->what, thousands(count.total < limit ? count.total : limit, a),
		    count.more ? "at least " : "", thousands(count.total, b));
	return 0;
}

static int
referrer_show(struct cli *c, int argc, char **argv)
{
	const char *limit_s = NULL;
	bool csv = false, json = false;
	const struct opt tab[] = {
		OPT_STR("limit", "N", &limit_s, "at most N entries of each kind (default 2000)"),
		OPT_BOOL("csv", &csv, "CSV with a header row"),
		OPT_BOOL("json", &json, "one JSON object a line"),
		OPT_END
	};
	uint64_t limit = 2000;
	enum out_fmt fmt;
	struct opts o;
	struct out out;
	struct err e;
	enum status st;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 1, 1, argc, argv)) >= 0 ||
	    (rc = cli_format(c, csv, json, OUT_TABLE, &fmt)) != 0)
		return rc;
	if (limit_s != NULL && (rc = cli_number(c, "--limit", limit_s, &limit)) != 0)
		return rc;
	if (limit == 0)
		return cli_usage(c, "--limit must be at least 1");
	if ((rc = cli_open(c, APP_RDONLY)) != 0)
		return rc;
	err_clear(&e);
	out_init(&out, fmt, stdout);
	st = app_referrer_timeline(c->app, o.argv[0], (size_t)limit, out_row, &out, &e);
	out_finish(&out);
	if (st != ST_OK) {
		if (e.st == ST_OK)
			e.st = st;
		return cli_fail(c, &e);
	}
	return 0;
}

const struct cli_cmd referrer_cmds[] = {
	{ .name = "find", .args = "TEXT", .synopsis = "TEXT [--limit N] [--csv|--json]",
	  .summary = "referrers with a word starting with each word of TEXT, in a name, e-mail, code or referred contact",
	  .run = referrer_find },
	{ .name = "show", .args = "ID", .synopsis = "ID [--limit N] [--csv|--json]",
	  .summary = "one referrer's history, newest first: codes, referrals, conversions, refunds, commissions",
	  .run = referrer_show },
	{ .name = NULL }
};
