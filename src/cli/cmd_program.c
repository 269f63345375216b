/*
 * cmd_program.c - "ally program ..." and "ally tier ...": the catalog of
 * referral programs and partner tiers.
 *
 * Flags arrive as text in struct program_input / tier_input, exactly as
 * typed: app/ validates them, so the CLI and the TUI's forms say the same
 * thing about a bad --window.  A flag not given is NULL: on edit the old
 * value stays.
 */
#include "config.h"

#include <stdio.h>

#include "cli/cli.h"

/* The flags add and edit share. */
#define PROGRAM_FLAGS(in) \
	OPT_STR("start", "YYYY-MM-DD", &(in).start, "first day of the program (\"\" clears)"), \
	OPT_STR("end", "YYYY-MM-DD", &(in).end, "last day of the program (\"\" clears)"), \
	OPT_STR("window", "DAYS", &(in).window, "attribution window in days"), \
	OPT_STR("events", "LIST", &(in).events, "qualifying events, comma-separated: signup,purchase"), \
	OPT_STR("hold", "DAYS", &(in).hold, "days before a commission may be approved (default 30)"), \
	OPT_STR("landing", "URL", &(in).landing, \
	    "landing page; links are URL?ref=CODE, or {code} is replaced"), \
	OPT_STR("attribution", "MODEL", &(in).attribution, "first or last"), \
	OPT_STR("currency", "CUR", &(in).currency, "ISO 4217 currency (default: the organisation's)"), \
	OPT_STR("eligible", "WHO", &(in).eligible, "who may refer: customers, partners or both"), \
	OPT_STR("tiers", "LIST", &(in).tiers, "partner tiers allowed, comma-separated (\"\" = all)"), \
	OPT_STR("max-referrals", "N/PERIOD", &(in).max_refs, \
	    "most referrals per referrer, e.g. 10/month (0 = no limit)"), \
	OPT_STR("cap", "AMOUNT", &(in).cap, "most commission per referrer per month"), \
	OPT_STR("referee-reward", "RULE", &(in).referee_rule, \
	    "two-sided: the referred contact's reward, e.g. \"flat 10.00\" (\"\" = none)")

static int
program_add(struct cli *c, int argc, char **argv)
{
	struct program_input in = { 0 };
	bool json = false;
	const struct opt tab[] = {
		OPT_REQ("rule", "RULE", &in.rule, "commission rule, e.g. \"percent 10\""),
		PROGRAM_FLAGS(in),
		OPT_BOOL("activate", &in.activate, "activate at once (else a draft)"),
		OPT_BOOL("json", &json, "print the new program as JSON"),
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
	if (app_program_save(c->app, 0, &in, &id, &e) != ST_OK)
		return cli_fail(c, &e);
	return cli_saved(c, KIND_PROGRAM, id, json);
}

static int
program_edit(struct cli *c, int argc, char **argv)
{
	struct program_input in = { 0 };
	bool json = false;
	const struct opt tab[] = {
		OPT_STR("name", "NAME", &in.name, "new name"),
		OPT_STR("rule", "RULE", &in.rule, "commission rule"),
		PROGRAM_FLAGS(in),
		OPT_BOOL("json", &json, "print the program as JSON"),
		OPT_END
	};
	struct opts o;
	struct err e;
	uint64_t id, out_id;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 1, 1, argc, argv)) >= 0)
		return rc;
	if ((rc = cli_open(c, 0)) != 0 ||
	    (rc = cli_resolve(c, KIND_PROGRAM, o.argv[0], &id)) != 0)
		return rc;
	err_clear(&e);
	if (app_program_save(c->app, id, &in, &out_id, &e) != ST_OK)
		return cli_fail(c, &e);
	return cli_saved(c, KIND_PROGRAM, id, json);
}

static int
program_list(struct cli *c, int argc, char **argv)
{
	struct list_filter f = { 0 };
	bool csv = false, json = false;
	const struct opt tab[] = {
		OPT_STR("status", "STATUS", &f.status, "only draft, active, paused or ended"),
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
	return cli_list(c, KIND_PROGRAM, &f, fmt, stdout);
}

static int
program_show(struct cli *c, int argc, char **argv)
{
	return cli_show_cmd(c, KIND_PROGRAM, argc, argv);
}

static int
program_status(struct cli *c, int argc, char **argv, enum program_status to)
{
	const struct opt tab[] = { OPT_END };
	struct opts o;
	struct err e;
	uint64_t id;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 1, 1, argc, argv)) >= 0)
		return rc;
	if ((rc = cli_open(c, 0)) != 0 ||
	    (rc = cli_resolve(c, KIND_PROGRAM, o.argv[0], &id)) != 0)
		return rc;
	err_clear(&e);
	if (app_program_set_status(c->app, id, to, &e) != ST_OK)
		return cli_fail(c, &e);
	return cli_saved(c, KIND_PROGRAM, id, false);
}

static int
program_activate(struct cli *c, int argc, char **argv)
{
	return program_status(c, argc, argv, PROGRAM_ACTIVE);
}

static int
program_pause(struct cli *c, int argc, char **argv)
{
	return program_status(c, argc, argv, PROGRAM_PAUSED);
}

static int
program_end(struct cli *c, int argc, char **argv)
{
	return program_status(c, argc, argv, PROGRAM_ENDED);
}

const struct cli_cmd program_cmds[] = {
	{ .name = "add", .args = "NAME", .synopsis = "NAME --rule RULE [options]",
	  .summary = "create a program (a draft unless --activate)", .run = program_add },
	{ .name = "edit", .args = "PROGRAM", .synopsis = "PROGRAM [options]",
	  .summary = "change a program's settings", .run = program_edit },
	{ .name = "list", .synopsis = "[--status S] [--csv|--json]",
	  .summary = "list programs", .run = program_list },
	{ .name = "show", .args = "PROGRAM", .synopsis = "PROGRAM [--json]",
	  .summary = "show one program", .run = program_show },
	{ .name = "activate", .args = "PROGRAM", .synopsis = "PROGRAM",
	  .summary = "start or resume a program", .run = program_activate },
	{ .name = "pause", .args = "PROGRAM", .synopsis = "PROGRAM",
	  .summary = "pause an active program", .run = program_pause },
	{ .name = "end", .args = "PROGRAM", .synopsis = "PROGRAM",
	  .summary = "end a program for good", .run = program_end },
	{ .name = NULL }
};

/* ---- tiers ---- */

#define TIER_FLAGS(in) \
	OPT_STR("rank", "N", &(in).rank, "order among tiers (higher is better)"), \
	OPT_STR("exclusivity", "DAYS", &(in).exclusivity, "deal exclusivity in days (default 90)"), \
	OPT_STR("max-deals", "N", &(in).max_deals, "most open deal registrations (0 = no limit)")

static int
tier_add(struct cli *c, int argc, char **argv)
{
	struct tier_input in = { 0 };
	bool json = false;
	const struct opt tab[] = {
		OPT_REQ("rule", "RULE", &in.rule, "commission rule; overrides the program's"),
		TIER_FLAGS(in),
		OPT_BOOL("json", &json, "print the new tier as JSON"),
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
	if (app_tier_save(c->app, 0, &in, &id, &e) != ST_OK)
		return cli_fail(c, &e);
	return cli_saved(c, KIND_TIER, id, json);
}

static int
tier_edit(struct cli *c, int argc, char **argv)
{
	struct tier_input in = { 0 };
	bool json = false;
	const struct opt tab[] = {
		OPT_STR("name", "NAME", &in.name, "new name"),
		OPT_STR("rule", "RULE", &in.rule, "commission rule"),
		TIER_FLAGS(in),
		OPT_BOOL("json", &json, "print the tier as JSON"),
		OPT_END
	};
	struct opts o;
	struct err e;
	uint64_t id, out_id;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 1, 1, argc, argv)) >= 0)
		return rc;
	if ((rc = cli_open(c, 0)) != 0 ||
	    (rc = cli_resolve(c, KIND_TIER, o.argv[0], &id)) != 0)
		return rc;
	err_clear(&e);
	if (app_tier_save(c->app, id, &in, &out_id, &e) != ST_OK)
		return cli_fail(c, &e);
	return cli_saved(c, KIND_TIER, id, json);
}

static int
tier_list(struct cli *c, int argc, char **argv)
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

	if ((rc = cli_parse(c, &o, tab, 0, 0, argc, argv)) >= 0 ||
	    (rc = cli_format(c, csv, json, OUT_TABLE, &fmt)) != 0 ||
	    (rc = cli_open(c, APP_RDONLY)) != 0)
		return rc;
	return cli_list(c, KIND_TIER, &f, fmt, stdout);
}

static int
tier_show(struct cli *c, int argc, char **argv)
{
	return cli_show_cmd(c, KIND_TIER, argc, argv);
}

const struct cli_cmd tier_cmds[] = {
	{ .name = "add", .args = "NAME", .synopsis = "NAME --rule RULE [options]",
	  .summary = "create a partner tier", .run = tier_add },
	{ .name = "edit", .args = "TIER", .synopsis = "TIER [options]",
	  .summary = "change a tier", .run = tier_edit },
	{ .name = "list", .synopsis = "[--csv|--json]",
	  .summary = "list tiers", .run = tier_list },
	{ .name = "show", .args = "TIER", .synopsis = "TIER [--json]",
	  .summary = "show one tier", .run = tier_show },
	{ .name = NULL }
};
