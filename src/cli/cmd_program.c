/*
 * cmd_program.c - "ally program ..." and "ally tier ...": the catalog of
 * referral programs and partner tiers.
 *
 * Flags arrive as text in struct program_input / tier_input, exactly as
 * typed: app/ validates them, so the CLI and the TUI's forms say the same
 * thing about a bad --window.  A flag not given is NULL: on edit the old
 * value stays.  Every command here is declared (see cli.h): the bodies are
 * the app/ call alone, the echo of the saved record is the dispatcher's.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>

#include "cli/cli.h"

struct program_call {
	struct cli_call k;
	struct program_input in;
};

#define PROGRAM_AT(f) offsetof(struct program_call, in.f)

/* The flags add and edit share. */
#define PROGRAM_FLAGS \
	OPT_STR_AT("start", "YYYY-MM-DD", PROGRAM_AT(start), "first day of the program (\"\" clears)"), \
	OPT_STR_AT("end", "YYYY-MM-DD", PROGRAM_AT(end), "last day of the program (\"\" clears)"), \
	OPT_STR_AT("window", "DAYS", PROGRAM_AT(window), "attribution window in days"), \
	OPT_STR_AT("events", "LIST", PROGRAM_AT(events), \
	    "qualifying events, comma-separated: signup,purchase"), \
	OPT_STR_AT("hold", "DAYS", PROGRAM_AT(hold), \
	    "days before a commission may be approved (default 30)"), \
	OPT_STR_AT("landing", "URL", PROGRAM_AT(landing), \
	    "landing page; links are URL?ref=CODE, or {code} is replaced"), \
	OPT_STR_AT("attribution", "MODEL", PROGRAM_AT(attribution), "first or last"), \
	OPT_STR_AT("currency", "CUR", PROGRAM_AT(currency), \
	    "ISO 4217 currency (default: the organisation's)"), \
	OPT_STR_AT("eligible", "WHO", PROGRAM_AT(eligible), \
	    "who may refer: customers, partners or both"), \
	OPT_STR_AT("tiers", "LIST", PROGRAM_AT(tiers), \
	    "partner tiers allowed, comma-separated (\"\" = all)"), \
	OPT_STR_AT("max-referrals", "N/PERIOD", PROGRAM_AT(max_refs), \
	    "most referrals per referrer, e.g. 10/month (0 = no limit)"), \
	OPT_STR_AT("cap", "AMOUNT", PROGRAM_AT(cap), "most commission per referrer per month"), \
	OPT_STR_AT("referee-reward", "RULE", PROGRAM_AT(referee_rule), \
	    "two-sided: the referred contact's reward, e.g. \"flat 10.00\" (\"\" = none)"), \
	OPT_STR_AT("bonus", "BONUS", PROGRAM_AT(bonus), \
	    "milestone bonus, e.g. \"500.00 at 50 conversions month\" (\"\" = none)"), \
	OPT_STR_AT("override", "RATE", PROGRAM_AT(override), \
	    "a parent partner's share of its sub-partners' lines, e.g. 5% (\"\" = none)")

static const struct opt program_add_flags[] = {
	OPT_REQ_AT("rule", "RULE", PROGRAM_AT(rule), "commission rule, e.g. \"percent 10\""),
	PROGRAM_FLAGS,
	OPT_BOOL_AT("activate", PROGRAM_AT(activate), "activate at once (else a draft)"),
	CLI_JSON("print the new program as JSON"),
	OPT_END
};

static const struct opt program_edit_flags[] = {
	OPT_STR_AT("name", "NAME", PROGRAM_AT(name), "new name"),
	OPT_STR_AT("rule", "RULE", PROGRAM_AT(rule), "commission rule"),
	PROGRAM_FLAGS,
	CLI_JSON("print the program as JSON"),
	OPT_END
};

static const struct opt program_list_flags[] = {
	OPT_STR_AT("status", "STATUS", CLI_LIST_AT(status), "only draft, active, paused or ended"),
	CLI_LIST_FORMATS,
	OPT_END
};

static enum status
program_add(struct cli_call *k)
{
	struct program_call *p = (struct program_call *)k;

	p->in.name = k->argv[0];
	return app_program_save(k->app, 0, &p->in, &k->id, &k->e);
}

static enum status
program_edit(struct cli_call *k)
{
	struct program_call *p = (struct program_call *)k;
	uint64_t out_id;

	return app_program_save(k->app, k->id, &p->in, &out_id, &k->e);
}

/* activate, pause, end: .param is the status to set */
static enum status
program_status(struct cli_call *k)
{
	return app_program_set_status(k->app, k->id, (enum program_status)k->cmd->param, &k->e);
}

const struct cli_cmd program_cmds[] = {
	{ .name = "add", .args = "NAME", .synopsis = "NAME --rule RULE [options]",
	  .summary = "create a program (a draft unless --activate)",
	  .flags = program_add_flags, .size = sizeof(struct program_call), .names = 1,
	  .open = CLI_WRITE, .kind = KIND_PROGRAM, .echo = true, .exec = program_add },
	{ .name = "edit", .args = "PROGRAM", .synopsis = "PROGRAM [options]",
	  .summary = "change a program's settings",
	  .flags = program_edit_flags, .size = sizeof(struct program_call), .names = 1,
	  .open = CLI_WRITE, .kind = KIND_PROGRAM, .target = true, .echo = true,
	  .exec = program_edit },
	{ .name = "list", .synopsis = "[--status S] [--csv|--json]",
	  .summary = "list programs",
	  .flags = program_list_flags, .size = sizeof(struct cli_list), .format = true,
	  .kind = KIND_PROGRAM, .exec = cli_exec_list },
	{ .name = "show", .args = "PROGRAM", .synopsis = "PROGRAM [--json]",
	  .summary = "show one program",
	  .flags = cli_show_flags, .names = 1, .kind = KIND_PROGRAM, .exec = cli_exec_show },
	{ .name = "activate", .args = "PROGRAM", .synopsis = "PROGRAM",
	  .summary = "start or resume a program",
	  .names = 1, .open = CLI_WRITE, .kind = KIND_PROGRAM, .target = true, .echo = true,
	  .exec = program_status, .param = PROGRAM_ACTIVE },
	{ .name = "pause", .args = "PROGRAM", .synopsis = "PROGRAM",
	  .summary = "pause an active program",
	  .names = 1, .open = CLI_WRITE, .kind = KIND_PROGRAM, .target = true, .echo = true,
	  .exec = program_status, .param = PROGRAM_PAUSED },
	{ .name = "end", .args = "PROGRAM", .synopsis = "PROGRAM",
	  .summary = "end a program for good",
	  .names = 1, .open = CLI_WRITE, .kind = KIND_PROGRAM, .target = true, .echo = true,
	  .exec = program_status, .param = PROGRAM_ENDED },
	{ .name = NULL }
};

/* ---- tiers ---- */

struct tier_call {
	struct cli_call k;
	struct tier_input in;
};

#define TIER_AT(f) offsetof(struct tier_call, in.f)

#define TIER_FLAGS \
	OPT_STR_AT("rank", "N", TIER_AT(rank), "order among tiers (higher is better)"), \
	OPT_STR_AT("exclusivity", "DAYS", TIER_AT(exclusivity), "deal exclusivity in days (default 90)"), \
	OPT_STR_AT("max-deals", "N", TIER_AT(max_deals), "most open deal registrations (0 = no limit)"), \
	OPT_STR_AT("bonus", "BONUS", TIER_AT(bonus), \
	    "milestone bonus; replaces the program's (\"\" = the program's)"), \
	OPT_STR_AT("override", "RATE", TIER_AT(override), \
	    "parents of this tier: their share of sub-partners' lines (\"\" = the program's)")

static const struct opt tier_add_flags[] = {
	OPT_REQ_AT("rule", "RULE", TIER_AT(rule), "commission rule; overrides the program's"),
	TIER_FLAGS,
	CLI_JSON("print the new tier as JSON"),
	OPT_END
};

static const struct opt tier_edit_flags[] = {
	OPT_STR_AT("name", "NAME", TIER_AT(name), "new name"),
	OPT_STR_AT("rule", "RULE", TIER_AT(rule), "commission rule"),
	TIER_FLAGS,
	CLI_JSON("print the tier as JSON"),
	OPT_END
};

static enum status
tier_add(struct cli_call *k)
{
	struct tier_call *t = (struct tier_call *)k;

	t->in.name = k->argv[0];
	return app_tier_save(k->app, 0, &t->in, &k->id, &k->e);
}

static enum status
tier_edit(struct cli_call *k)
{
	struct tier_call *t = (struct tier_call *)k;
	uint64_t out_id;

	return app_tier_save(k->app, k->id, &t->in, &out_id, &k->e);
}

const struct cli_cmd tier_cmds[] = {
	{ .name = "add", .args = "NAME", .synopsis = "NAME --rule RULE [options]",
	  .summary = "create a partner tier",
	  .flags = tier_add_flags, .size = sizeof(struct tier_call), .names = 1,
	  .open = CLI_WRITE, .kind = KIND_TIER, .echo = true, .exec = tier_add },
	{ .name = "edit", .args = "TIER", .synopsis = "TIER [options]",
	  .summary = "change a tier",
	  .flags = tier_edit_flags, .size = sizeof(struct tier_call), .names = 1,
	  .open = CLI_WRITE, .kind = KIND_TIER, .target = true, .echo = true, .exec = tier_edit },
	{ .name = "list", .synopsis = "[--csv|--json]",
	  .summary = "list tiers",
	  .flags = cli_list_flags, .size = sizeof(struct cli_list), .format = true,
	  .kind = KIND_TIER, .exec = cli_exec_list },
	{ .name = "show", .args = "TIER", .synopsis = "TIER [--json]",
	  .summary = "show one tier",
	  .flags = cli_show_flags, .names = 1, .kind = KIND_TIER, .exec = cli_exec_show },
	{ .name = NULL }
};
