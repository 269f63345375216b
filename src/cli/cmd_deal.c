/*
 * cmd_deal.c - ally deal and ally settings: registrations, their review,
 * the pipeline, and the organisation's settings.
 */
#include "config.h"

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

static int
deal_register(struct cli *c, int argc, char **argv)
{
	struct deal_input in;
	bool json = false;
	const struct opt tab[] = {
		OPT_STR("partner", "PARTNER", &in.partner, "the partner registering it"),
		OPT_BOOL("direct", &in.direct, "a direct deal of the company's own pipeline"),
		OPT_REQ("company", "NAME", &in.company, "the customer's company"),
		OPT_REQ("domain", "DOMAIN", &in.domain, "the customer's web domain (URLs are accepted)"),
		OPT_REQ("value", "AMOUNT", &in.value, "estimated value"),
		OPT_STR("close", "YYYY-MM-DD", &in.close, "expected close date"),
		OPT_STR("contact", "EMAIL", &in.contact, "the customer's contact"),
		OPT_STR("notes", "TEXT", &in.notes, "notes"),
		OPT_BOOL("json", &json, "print the deal as JSON"),
		OPT_END
	};
	struct deal_conflict conflict;
	struct opts o;
	struct err e;
	uint64_t id;
	int rc;

	memset(&in, 0, sizeof in);
	if ((rc = cli_parse(c, &o, tab, 0, 0, argc, argv)) >= 0 || (rc = cli_open(c, 0)) != 0)
		return rc;
	err_clear(&e);
	if (app_deal_register(c->app, &in, &id, &conflict, &e) != ST_OK)
		return cli_fail(c, &e);
	if (conflict.deal && !in.direct)
		print_conflict("in conflict with ", &conflict, stderr);
	else if (conflict.deal)
		print_conflict("note: overlaps ", &conflict, stderr);
	return cli_saved(c, KIND_DEAL, id, json);
}

static int
deal_check(struct cli *c, int argc, char **argv)
{
	const char *domain = NULL, *company = NULL;
	const struct opt tab[] = {
		OPT_STR("domain", "DOMAIN", &domain, "the customer's web domain"),
		OPT_STR("company", "NAME", &company, "the customer's company"),
		OPT_END
	};
	struct deal_conflict conflict;
	struct opts o;
	struct err e;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 0, 0, argc, argv)) >= 0 || (rc = cli_open(c, APP_RDONLY)) != 0)
		return rc;
	err_clear(&e);
	if (app_deal_check(c->app, domain, company, &conflict, &e) != ST_OK)
		return cli_fail(c, &e);
	if (conflict.deal == 0) {
		printf("no conflict\n");
		return 0;
	}
	print_conflict("conflict: ", &conflict, stdout);
	return 65;
}

static int
deal_decide(struct cli *c, int argc, char **argv, enum deal_action act)
{
	const char *reason = NULL, *value = NULL, *date = NULL;
	const struct opt approve_tab[] = { OPT_END };
	const struct opt reject_tab[] = {
		OPT_REQ("reason", "TEXT", &reason, "why (the partner sees it)"), OPT_END
	};
	const struct opt win_tab[] = {
		OPT_REQ("value", "AMOUNT", &value, "final value"),
		OPT_STR("date", "TIME", &date, "when it was won (default now)"),
		OPT_END
	};
	const struct opt lose_tab[] = {
		OPT_STR("reason", "TEXT", &reason, "why"), OPT_END
	};
	const struct opt *tabs[] = { approve_tab, reject_tab, win_tab, lose_tab };
	static const char *const done[] = { "approved", "rejected", "won", "lost" };
	struct deal_conflict conflict;
	struct opts o;
	struct err e;
	int rc;

	if ((rc = cli_parse(c, &o, tabs[act], 1, 1, argc, argv)) >= 0 || (rc = cli_open(c, 0)) != 0)
		return rc;
	err_clear(&e);
	if (app_deal_decide(c->app, o.argv[0], act, reason, value, date, &conflict, &e) != ST_OK)
		return cli_fail(c, &e);
	{
		char *vis = str_visible(o.argv[0]);
		printf("%s %s\n", vis, done[act]);
		free(vis);
	}
	return 0;
}

static int deal_approve(struct cli *c, int argc, char **argv) { return deal_decide(c, argc, argv, DEAL_DO_APPROVE); }
static int deal_reject(struct cli *c, int argc, char **argv) { return deal_decide(c, argc, argv, DEAL_DO_REJECT); }
static int deal_win(struct cli *c, int argc, char **argv) { return deal_decide(c, argc, argv, DEAL_DO_WIN); }
static int deal_lose(struct cli *c, int argc, char **argv) { return deal_decide(c, argc, argv, DEAL_DO_LOSE); }

static int
deal_list(struct cli *c, int argc, char **argv)
{
	struct list_filter f = { 0 };
	bool csv = false, json = false;
	const struct opt tab[] = {
		OPT_STR("stage", "STAGE", &f.status, "submitted, approved, rejected, conflict, won, lost or expired"),
		OPT_STR("partner", "PARTNER", &f.partner, "only this partner's registrations"),
		OPT_BOOL("csv", &csv, "CSV with a header row"),
		OPT_BOOL("json", &json, "one JSON object a line"),
		OPT_END
	};
	enum out_fmt fmt;
	struct opts o;
	int32_t stage;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 0, 0, argc, argv)) >= 0 ||
	    (rc = cli_format(c, csv, json, OUT_TABLE, &fmt)) != 0)
		return rc;
	if (f.status && !deal_stage_parse(f.status, &stage))
		return cli_usage(c, "--stage: \"%s\" is not a deal stage", f.status);
	if ((rc = cli_open(c, APP_RDONLY)) != 0)
		return rc;
	return cli_list(c, KIND_DEAL, &f, fmt, stdout);
}

static int
deal_show(struct cli *c, int argc, char **argv)
{
	return cli_show_cmd(c, KIND_DEAL, argc, argv);
}

static int
deal_pipeline(struct cli *c, int argc, char **argv)
{
	const char *partner = NULL, *tier = NULL;
	bool json = false;
	const struct opt tab[] = {
		OPT_STR("partner", "PARTNER", &partner, "only this partner"),
		OPT_STR("tier", "TIER", &tier, "only partners of this tier (direct deals are left out)"),
		OPT_BOOL("json", &json, "one JSON object"),
		OPT_END
	};
	static const int order[] = { DEAL_SUBMITTED, DEAL_CONFLICT, DEAL_APPROVED, DEAL_WON, DEAL_LOST,
		DEAL_REJECTED, DEAL_EXPIRED };
	struct pipeline p;
	const struct currency *cur;
	struct opts o;
	struct err e;
	char b1[MONEY_BUFSZ], b2[MONEY_BUFSZ];
	int rc, i;

	if ((rc = cli_parse(c, &o, tab, 0, 0, argc, argv)) >= 0 || (rc = cli_open(c, APP_RDONLY)) != 0)
		return rc;
	err_clear(&e);
	if (app_deal_pipeline(c->app, partner, tier, &p, &e) != ST_OK)
		return cli_fail(c, &e);
	cur = currency_find(p.currency);
	if (json) {
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
		return 0;
	}
	printf("%-10s %8s %16s   %8s %16s\n", "STAGE", "PARTNER", "VALUE", "DIRECT", "VALUE");
	for (i = 0; i < 7; i++) {
		int s = order[i];
		printf("%-10s %8lld %16s   %8lld %16s\n", deal_stage_name(s), (long long)p.partner[s].count,
		    money_format_human(p.partner[s].value, cur, b1), (long long)p.direct[s].count,
		    money_format_human(p.direct[s].value, cur, b2));
	}
	printf("values in %s; won deals at their final value\n", p.currency);
	return 0;
}

const struct cli_cmd deal_cmds[] = {
	{ .name = "register", .synopsis = "(--partner PARTNER | --direct) --company NAME --domain DOMAIN --value AMOUNT [--close DATE] [--contact EMAIL] [--notes TEXT]",
	  .summary = "register a deal (conflicts are checked and named)", .run = deal_register },
	{ .name = "check", .synopsis = "--domain DOMAIN [--company NAME]",
	  .summary = "would a registration conflict? (exit 65 when it would)", .run = deal_check },
	{ .name = "approve", .args = "DEAL", .synopsis = "DEAL",
	  .summary = "approve a registration: exclusive for the tier's days", .run = deal_approve },
	{ .name = "reject", .args = "DEAL", .synopsis = "DEAL --reason TEXT",
	  .summary = "reject a registration", .run = deal_reject },
	{ .name = "win", .args = "DEAL", .synopsis = "DEAL --value AMOUNT [--date TIME]",
	  .summary = "record a win (a partner deal earns its commission)", .run = deal_win },
	{ .name = "lose", .args = "DEAL", .synopsis = "DEAL [--reason TEXT]",
	  .summary = "record a loss", .run = deal_lose },
	{ .name = "list", .synopsis = "[--stage S] [--partner P] [--csv|--json]",
	  .summary = "list deals", .run = deal_list },
	{ .name = "show", .args = "DEAL", .synopsis = "DEAL [--json]", .summary = "show one deal", .run = deal_show },
	{ .name = "pipeline", .synopsis = "[--partner P] [--tier T] [--json]",
	  .summary = "partner-sourced and direct deals side by side, by stage", .run = deal_pipeline },
	{ .name = NULL }
};

static int
settings_show(struct cli *c, int argc, char **argv)
{
	const struct opt tab[] = { OPT_END };
	const struct settings *s;
	struct opts o;
	struct err e;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 0, 0, argc, argv)) >= 0 || (rc = cli_open(c, APP_RDONLY)) != 0)
		return rc;
	err_clear(&e);
	if (app_settings_read(c->app, &s, &e) != ST_OK)
		return cli_fail(c, &e);
	{
		char *org = str_visible(s->org ? s->org : ""), *rule = str_visible(s->deal_rule ? s->deal_rule : "");
		printf("org: %s\ncurrency: %s\ntimezone: %s\ndeal_rule: %s\n", org, s->currency,
		    s->timezone ? s->timezone : "UTC", rule);
		free(org);
		free(rule);
		org = str_visible(s->debtor_name ? s->debtor_name : "");
		printf("debtor_name: %s\ndebtor_iban: %s\ndebtor_bic: %s\n", org,
		    s->debtor_iban ? s->debtor_iban : "", s->debtor_bic ? s->debtor_bic : "");
		free(org);
	}
	return 0;
}

static int
settings_set(struct cli *c, int argc, char **argv)
{
	struct settings_input in = { 0 };
	const struct opt tab[] = {
		OPT_STR("org", "NAME", &in.org, "the organisation's name"),
		OPT_STR("timezone", "ZONE", &in.timezone, "time zone of dates and periods"),
		OPT_STR("deal-rule", "RULE", &in.deal_rule, "rule for won deals of partners whose tier has none (\"\" clears)"),
		OPT_STR("debtor-name", "NAME", &in.debtor_name, "SEPA payout files: the paying account's holder"),
		OPT_STR("debtor-iban", "IBAN", &in.debtor_iban, "SEPA payout files: the paying account"),
		OPT_STR("debtor-bic", "BIC", &in.debtor_bic, "SEPA payout files: its bank's BIC"),
		OPT_END
	};
	struct opts o;
	struct err e;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 0, 0, argc, argv)) >= 0 || (rc = cli_open(c, 0)) != 0)
		return rc;
	err_clear(&e);
	if (app_settings_set(c->app, &in, &e) != ST_OK)
		return cli_fail(c, &e);
	printf("settings saved\n");
	return 0;
}

const struct cli_cmd settings_cmds[] = {
	{ .name = "show", .synopsis = "", .summary = "the organisation's settings (admins)", .run = settings_show },
	{ .name = "set", .synopsis = "[--org NAME] [--timezone ZONE] [--deal-rule RULE] "
	    "[--debtor-name NAME] [--debtor-iban IBAN] [--debtor-bic BIC]",
	  .summary = "change them (admins)", .run = settings_set },
	{ .name = NULL }
};
