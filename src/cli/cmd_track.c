/*
 * cmd_track.c - "ally track referral|conversion|refund": one event from
 * flags, through app_track, the same path as each line of "ally ingest".
 *
 * What happened is printed on stdout: recorded (with the new id), recorded
 * as rejected (with the reason: the referral IS recorded, so exit 0),
 * already recorded (nothing changed, exit 0), or a conversion that was
 * recorded but earns nothing.  --json prints the same as one object.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/str.h"

static const char *
outcome_name(enum event_outcome oc)
{
	switch (oc) {
	case EVENT_RECORDED:
		return "recorded";
	case EVENT_REJECTED:
		return "rejected";
	case EVENT_DUPLICATE:
		return "duplicate";
	}
	return "recorded";
}

static void
print_result(const struct event_result *r, bool json)
{
	char idbuf[24];
	char *reason = str_visible(r->reason);

	app_id_str(r->kind, r->id, idbuf);
	if (json) {
		json_t *obj = json_object();

		json_object_set_new(obj, "outcome", json_string(outcome_name(r->outcome)));
		json_object_set_new(obj, "kind", json_string(kind_name(r->kind)));
		json_object_set_new(obj, "id", r->id != 0 ? json_string(idbuf) : json_null());
		if (r->kind == KIND_CONVERSION && r->outcome != EVENT_DUPLICATE)
			json_object_set_new(obj, "qualifying", json_boolean(r->qualifying));
		json_object_set_new(obj, "reason",
		    r->reason[0] != '\0' ? json_string(reason) : json_null());
		out_json_line(stdout, obj);
		free(reason);
		return;
	}
	switch (r->outcome) {
	case EVENT_DUPLICATE:
		printf("already recorded: nothing changed (%s %s)\n", kind_name(r->kind), idbuf);
		break;
	case EVENT_REJECTED:
		printf("recorded %s %s as rejected: %s\n", kind_name(r->kind), idbuf,
		    r->reason[0] != '\0' ? reason : "no reason given");
		break;
	case EVENT_RECORDED:
		if (r->kind == KIND_CONVERSION && !r->qualifying)
			printf("recorded conversion %s; it earns no commission: %s\n", idbuf,
			    r->reason[0] != '\0' ? reason : "not a qualifying conversion");
		else
			printf("recorded %s %s\n", kind_name(r->kind), idbuf);
		break;
	}
	free(reason);
}

static int
track(struct cli *c, const struct event_input *in, bool json)
{
	struct event_result r = { 0 };
	struct err e;
	int rc;

	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	err_clear(&e);
	if (app_track(c->app, in, &r, &e) != ST_OK)
		return cli_fail(c, &e);
	print_result(&r, json);
	return 0;
}

static int
track_referral(struct cli *c, int argc, char **argv)
{
	struct event_input in = { .type = "referral" };
	bool json = false;
	const struct opt tab[] = {
		OPT_REQ("code", "CODE", &in.code, "the referrer's code"),
		OPT_REQ("email", "EMAIL", &in.email, "the referred contact's e-mail"),
		OPT_STR("name", "NAME", &in.name, "the referred contact's name"),
		OPT_STR("at", "TIME", &in.at, "when (RFC 3339 or YYYY-MM-DD; default now)"),
		OPT_BOOL("json", &json, "print the outcome as JSON"),
		OPT_END
	};
	struct opts o;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 0, 0, argc, argv)) >= 0)
		return rc;
	return track(c, &in, json);
}

static int
track_conversion(struct cli *c, int argc, char **argv)
{
	struct event_input in = { .type = "conversion" };
	bool json = false;
	const struct opt tab[] = {
		OPT_STR("code", "CODE", &in.code, "the referrer's code, with --email"),
		OPT_STR("email", "EMAIL", &in.email, "the referred contact's e-mail"),
		OPT_STR("referral", "ID", &in.referral, "or: the referral, by id"),
		OPT_STR("program", "PROGRAM", &in.program, "or: --email alone within this program"),
		OPT_REQ("event", "EVENT", &in.event, "what happened, e.g. purchase"),
		OPT_REQ("amount", "AMOUNT", &in.amount, "its value in major units, e.g. 120.00"),
		OPT_REQ("id", "EXTERNAL_ID", &in.id, "your id of it, unique per program"),
		OPT_STR("currency", "CUR", &in.currency, "currency (default: the program's)"),
		OPT_STR("at", "TIME", &in.at, "when (RFC 3339 or YYYY-MM-DD; default now)"),
		OPT_STR("product", "PRODUCT", &in.product, "what was bought, for rule clauses (product=)"),
		OPT_STR("plan", "PLAN", &in.plan, "its plan, for rule clauses (plan=)"),
		OPT_STR("country", "CC", &in.country, "the buyer's country, ISO 3166 (country=)"),
		OPT_BOOL("json", &json, "print the outcome as JSON"),
		OPT_END
	};
	struct opts o;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 0, 0, argc, argv)) >= 0)
		return rc;
	if (in.referral == NULL && in.email == NULL)
		return cli_usage(c, "name the referral: --code and --email, --referral, "
		    "or --program and --email");
	if (in.referral == NULL && in.code == NULL && in.program == NULL)
		return cli_usage(c, "--email needs --code or --program");
	return track(c, &in, json);
}

static int
track_refund(struct cli *c, int argc, char **argv)
{
	struct event_input in = { .type = "refund" };
	bool json = false;
	const struct opt tab[] = {
		OPT_REQ("program", "PROGRAM", &in.program, "the conversion's program"),
		OPT_REQ("id", "EXTERNAL_ID", &in.id, "the conversion's external id"),
		OPT_REQ("amount", "AMOUNT", &in.amount, "how much is refunded (partial allowed)"),
		OPT_STR("at", "TIME", &in.at, "when (RFC 3339 or YYYY-MM-DD; default now)"),
		OPT_BOOL("json", &json, "print the outcome as JSON"),
		OPT_END
	};
	struct opts o;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 0, 0, argc, argv)) >= 0)
		return rc;
	return track(c, &in, json);
}

const struct cli_cmd track_cmds[] = {
	{ .name = "referral", .synopsis = "--code CODE --email EMAIL [--name NAME] [--at TIME]",
	  .summary = "record a referral", .run = track_referral },
	{ .name = "conversion",
	  .synopsis = "--code CODE --email EMAIL --event EVENT --amount AMOUNT "
	      "--id EXTERNAL_ID [--currency CUR] [--at TIME]",
	  .summary = "record a conversion of a referred contact", .run = track_conversion },
	{ .name = "refund",
	  .synopsis = "--program PROGRAM --id EXTERNAL_ID --amount AMOUNT [--at TIME]",
	  .summary = "record a (partial) refund of a conversion", .run = track_refund },
	{ .name = NULL }
};
