/*
 * cmd_deal.c - ally deal and ally settings: registrations, their review,
 * the pipeline, and the organisation's settings.  All declared (cli.h).
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/deals.h"
#include "cli/cli.h"
#include "core/alloc.h"

static void
print_conflict(const char *lead, const struct deal_conflict *c, FILE *fp)
{
	char buf[300];

	deal_conflict_text(c, buf, sizeof buf);
	fprintf(fp, "%s%s\n", lead, buf);
}

struct deal_call {
	struct cli_call k;
	struct deal_input in;
};

#define DEAL_AT(f) offsetof(struct deal_call, in.f)

static const struct opt register_flags[] = {
	OPT_STR_AT("partner", "PARTNER", DEAL_AT(partner), "the partner registering it"),
	OPT_BOOL_AT("direct", DEAL_AT(direct), "a direct deal of the company's own pipeline"),
	OPT_REQ_AT("company", "NAME", DEAL_AT(company), "the customer's company"),
	OPT_REQ_AT("domain", "DOMAIN", DEAL_AT(domain), "the customer's web domain (URLs are accepted)"),
	OPT_REQ_AT("value", "AMOUNT", DEAL_AT(value), "estimated value"),
	OPT_STR_AT("close", "YYYY-MM-DD", DEAL_AT(close), "expected close date"),
	OPT_STR_AT("contact", "EMAIL", DEAL_AT(contact), "the customer's contact"),
	OPT_STR_AT("notes", "TEXT", DEAL_AT(notes), "notes"),
	CLI_JSON("print the deal as JSON"),
	OPT_END
};

static enum status
deal_register(struct cli_call *k)
{
	const struct deal_input *in = &((struct deal_call *)k)->in;
	struct deal_conflict conflict;
	enum status st;

	if ((st = app_deal_register(k->app, in, &k->id, &conflict, &k->e)) != ST_OK)
		return st;
	if (conflict.deal && !in->direct)
		print_conflict("in conflict with ", &conflict, stderr);
	else if (conflict.deal)
		print_conflict("note: overlaps ", &conflict, stderr);
	return ST_OK;
}

/* The flags of check, approve, reject, win and lose. */
struct decide_call {
	struct cli_call k;
	const char *domain, *company, *reason, *value, *date;
};

#define DECIDE_AT(f) offsetof(struct decide_call, f)

static const struct opt check_flags[] = {
	OPT_STR_AT("domain", "DOMAIN", DECIDE_AT(domain), "the customer's web domain"),
	OPT_STR_AT("company", "NAME", DECIDE_AT(company), "the customer's company"),
	OPT_END
};

static enum status
deal_check(struct cli_call *k)
{
	struct decide_call *d = (struct decide_call *)k;
	struct deal_conflict conflict;
	enum status st;

	if ((st = app_deal_check(k->app, d->domain, d->company, &conflict, &k->e)) != ST_OK)
		return st;
	if (conflict.deal == 0) {
		printf("no conflict\n");
		return ST_OK;
	}
	print_conflict("conflict: ", &conflict, stdout);
	k->exit = 65;
	return ST_OK;
}

static const struct opt reject_flags[] = {
	OPT_REQ_AT("reason", "TEXT", DECIDE_AT(reason), "why (the partner sees it)"),
	OPT_END
};
static const struct opt win_flags[] = {
	OPT_REQ_AT("value", "AMOUNT", DECIDE_AT(value), "final value"),
	OPT_STR_AT("date", "TIME", DECIDE_AT(date), "when it was won (default now)"),
	OPT_END
};
static const struct opt lose_flags[] = {
	OPT_STR_AT("reason", "TEXT", DECIDE_AT(reason), "why"),
	OPT_END
};

/* approve, reject, win, lose: .param is the deal_action */
static enum status
deal_decide(struct cli_call *k)
{
	static const char *const done[] = { "approved", "rejected", "won", "lost" };
	struct decide_call *d = (struct decide_call *)k;
	enum deal_action act = (enum deal_action)k->cmd->param;
	struct deal_conflict conflict;
	enum status st;
	char *vis;

	if ((st = app_deal_decide(k->app, k->argv[0], act, d->reason, d->value, d->date, &conflict,
	    &k->e)) != ST_OK)
		return st;
	vis = str_visible(k->argv[0]);
	printf("%s %s\n", vis, done[act]);
	free(vis);
	return ST_OK;
}

static const struct opt deal_list_flags[] = {
	OPT_STR_AT("stage", "STAGE", CLI_LIST_AT(status),
	    "submitted, approved, rejected, conflict, won, lost or expired"),
	OPT_STR_AT("partner", "PARTNER", CLI_LIST_AT(partner), "only this partner's registrations"),
	CLI_LIST_FORMATS,
	OPT_END
};

static int
deal_list_check(struct cli_call *k)
{
	const char *stage = ((struct cli_list *)k)->f.status;
	int32_t v;

	if (stage && !deal_stage_parse(stage, &v))
		return cli_usage(k->c, "--stage: \"%s\" is not a deal stage", stage);
	return 0;
}

struct pipeline_call {
	struct cli_call k;
	const char *partner, *tier;
};

static const struct opt pipeline_flags[] = {
	OPT_STR_AT("partner", "PARTNER", offsetof(struct pipeline_call, partner), "only this partner"),
	OPT_STR_AT("tier", "TIER", offsetof(struct pipeline_call, tier),
	    "only partners of this tier (direct deals are left out)"),
	CLI_JSON("one JSON object"),
	OPT_END
};

static enum status
deal_pipeline(struct cli_call *k)
{
	static const int order[] = { DEAL_SUBMITTED, DEAL_CONFLICT, DEAL_APPROVED, DEAL_WON, DEAL_LOST,
		DEAL_REJECTED, DEAL_EXPIRED };
	struct pipeline_call *pc = (struct pipeline_call *)k;
	struct pipeline p;
	const struct currency *cur;
	char b1[MONEY_BUFSZ], b2[MONEY_BUFSZ];
	enum status st;
	int i;

	if ((st = app_deal_pipeline(k->app, pc->partner, pc->tier, &p, &k->e)) != ST_OK)
		return st;
	cur = currency_find(p.currency);
	if (k->json) {
		printf("{\"currency\":\"%s\"", p.currency);
		for (i = 0; i < 7; i++) {
			int s = order[i];
			printf(",\"%s\":{\"partner\":{\"count\":%lld,\"value\":\"%s\",\"value_minor\":%lld},"
			    "\"direct\":{\"count\":%lld,\"value\":\"%s\",\"value_minor\":%lld}}",
			    deal_stage_name(s), (long long)p.partner[s].count, money_format(p.partner[s].value, cur, b1),
			    (long long)p.partner[s].value, (long long)p.direct[s].count,
			    money_format(p.direct[s].value, cur, b2), (long long)p.direct[s].value);
		}
		printf("}\n");
		return ST_OK;
	}
	printf("%-10s %8s %16s   %8s %16s\n", "STAGE", "PARTNER", "VALUE", "DIRECT", "VALUE");
	for (i = 0; i < 7; i++) {
		int s = order[i];
		printf("%-10s %8lld %16s   %8lld %16s\n", deal_stage_name(s), (long long)p.partner[s].count,
		    money_format_human(p.partner[s].value, cur, b1), (long long)p.direct[s].count,
		    money_format_human(p.direct[s].value, cur, b2));
	}
	printf("values in %s; won deals at their final value\n", p.currency);
	return ST_OK;
}

const struct cli_cmd deal_cmds[] = {
	{ .name = "register", .synopsis = "(--partner PARTNER | --direct) --company NAME --domain DOMAIN --value AMOUNT [--close DATE] [--contact EMAIL] [--notes TEXT]",
	  .summary = "register a deal (conflicts are checked and named)",
	  .flags = register_flags, .size = sizeof(struct deal_call), .open = CLI_WRITE,
	  .kind = KIND_DEAL, .echo = true, .exec = deal_register },
	{ .name = "check", .synopsis = "--domain DOMAIN [--company NAME]",
	  .summary = "would a registration conflict? (exit 65 when it would)",
	  .flags = check_flags, .size = sizeof(struct decide_call), .exec = deal_check },
	{ .name = "approve", .args = "DEAL", .synopsis = "DEAL",
	  .summary = "approve a registration: exclusive for the tier's days",
	  .size = sizeof(struct decide_call), .names = 1, .open = CLI_WRITE,
	  .exec = deal_decide, .param = DEAL_DO_APPROVE },
	{ .name = "reject", .args = "DEAL", .synopsis = "DEAL --reason TEXT",
	  .summary = "reject a registration",
	  .flags = reject_flags, .size = sizeof(struct decide_call), .names = 1, .open = CLI_WRITE,
	  .exec = deal_decide, .param = DEAL_DO_REJECT },
	{ .name = "win", .args = "DEAL", .synopsis = "DEAL --value AMOUNT [--date TIME]",
	  .summary = "record a win (a partner deal earns its commission)",
	  .flags = win_flags, .size = sizeof(struct decide_call), .names = 1, .open = CLI_WRITE,
	  .exec = deal_decide, .param = DEAL_DO_WIN },
	{ .name = "lose", .args = "DEAL", .synopsis = "DEAL [--reason TEXT]",
	  .summary = "record a loss",
	  .flags = lose_flags, .size = sizeof(struct decide_call), .names = 1, .open = CLI_WRITE,
	  .exec = deal_decide, .param = DEAL_DO_LOSE },
	{ .name = "list", .synopsis = "[--stage S] [--partner P] [--csv|--json]",
	  .summary = "list deals",
	  .flags = deal_list_flags, .size = sizeof(struct cli_list), .format = true,
	  .check = deal_list_check, .kind = KIND_DEAL, .exec = cli_exec_list },
	{ .name = "show", .args = "DEAL", .synopsis = "DEAL [--json]", .summary = "show one deal",
	  .flags = cli_show_flags, .names = 1, .kind = KIND_DEAL, .exec = cli_exec_show },
	{ .name = "pipeline", .synopsis = "[--partner P] [--tier T] [--json]",
	  .summary = "partner-sourced and direct deals side by side, by stage",
	  .flags = pipeline_flags, .size = sizeof(struct pipeline_call), .exec = deal_pipeline },
	{ .name = NULL }
};

static enum status
settings_show(struct cli_call *k)
{
	const struct settings *s;
	char *org, *rule;
	enum status st;

	if ((st = app_settings_read(k->app, &s, &k->e)) != ST_OK)
		return st;
	org = str_visible(s->org ? s->org : "");
	rule = str_visible(s->deal_rule ? s->deal_rule : "");
	printf("org: %s\ncurrency: %s\ntimezone: %s\ndeal_rule: %s\n", org, s->currency,
	    s->timezone ? s->timezone : "UTC", rule);
	free(org);
	free(rule);
	org = str_visible(s->debtor_name ? s->debtor_name : "");
	printf("debtor_name: %s\ndebtor_iban: %s\ndebtor_bic: %s\n", org,
	    s->debtor_iban ? s->debtor_iban : "", s->debtor_bic ? s->debtor_bic : "");
	free(org);
	return ST_OK;
}

struct settings_call {
	struct cli_call k;
	struct settings_input in;
};

#define SETTINGS_AT(f) offsetof(struct settings_call, in.f)

static const struct opt settings_set_flags[] = {
	OPT_STR_AT("org", "NAME", SETTINGS_AT(org), "the organisation's name"),
	OPT_STR_AT("timezone", "ZONE", SETTINGS_AT(timezone), "time zone of dates and periods"),
	OPT_STR_AT("deal-rule", "RULE", SETTINGS_AT(deal_rule),
	    "rule for won deals of partners whose tier has none (\"\" clears)"),
	OPT_STR_AT("debtor-name", "NAME", SETTINGS_AT(debtor_name),
	    "SEPA payout files: the paying account's holder"),
	OPT_STR_AT("debtor-iban", "IBAN", SETTINGS_AT(debtor_iban), "SEPA payout files: the paying account"),
	OPT_STR_AT("debtor-bic", "BIC", SETTINGS_AT(debtor_bic), "SEPA payout files: its bank's BIC"),
	OPT_END
};

static enum status
settings_set(struct cli_call *k)
{
	enum status st;

	if ((st = app_settings_set(k->app, &((struct settings_call *)k)->in, &k->e)) == ST_OK)
		printf("settings saved\n");
	return st;
}

const struct cli_cmd settings_cmds[] = {
	{ .name = "show", .synopsis = "", .summary = "the organisation's settings (admins)",
	  .exec = settings_show },
	{ .name = "set", .synopsis = "[--org NAME] [--timezone ZONE] [--deal-rule RULE] "
	    "[--debtor-name NAME] [--debtor-iban IBAN] [--debtor-bic BIC]",
	  .summary = "change them (admins)",
	  .flags = settings_set_flags, .size = sizeof(struct settings_call), .open = CLI_WRITE,
	  .exec = settings_set },
	{ .name = NULL }
};
