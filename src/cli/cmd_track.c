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

#include <stddef.h>
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

struct track_call {
	struct cli_call k;
	struct event_input in;
};

#define TRACK_AT(f) offsetof(struct track_call, in.f)

/* .param: which event the flags describe */
enum { TRACK_REFERRAL, TRACK_CONVERSION, TRACK_REFUND };
static const char *const track_types[] = { "referral", "conversion", "refund" };

static enum status
track(struct cli_call *k)
{
	struct track_call *t = (struct track_call *)k;
	struct event_result r = { 0 };
	enum status st;

	t->in.type = track_types[k->cmd->param];
	if ((st = app_track(k->app, &t->in, &r, &k->e)) == ST_OK)
		print_result(&r, k->json);
	return st;
}

static const struct opt referral_flags[] = {
	OPT_REQ_AT("code", "CODE", TRACK_AT(code), "the referrer's code"),
	OPT_REQ_AT("email", "EMAIL", TRACK_AT(email), "the referred contact's e-mail"),
	OPT_STR_AT("name", "NAME", TRACK_AT(name), "the referred contact's name"),
	OPT_STR_AT("at", "TIME", TRACK_AT(at), "when (RFC 3339 or YYYY-MM-DD; default now)"),
	CLI_JSON("print the outcome as JSON"),
	OPT_END
};

static const struct opt conversion_flags[] = {
	OPT_STR_AT("code", "CODE", TRACK_AT(code), "the referrer's code, with --email"),
	OPT_STR_AT("email", "EMAIL", TRACK_AT(email), "the referred contact's e-mail"),
	OPT_STR_AT("referral", "ID", TRACK_AT(referral), "or: the referral, by id"),
	OPT_STR_AT("program", "PROGRAM", TRACK_AT(program), "or: --email alone within this program"),
	OPT_REQ_AT("event", "EVENT", TRACK_AT(event), "what happened, e.g. purchase"),
	OPT_REQ_AT("amount", "AMOUNT", TRACK_AT(amount), "its value in major units, e.g. 120.00"),
	OPT_REQ_AT("id", "EXTERNAL_ID", TRACK_AT(id), "your id of it, unique per program"),
	OPT_STR_AT("currency", "CUR", TRACK_AT(currency), "currency (default: the program's)"),
	OPT_STR_AT("at", "TIME", TRACK_AT(at), "when (RFC 3339 or YYYY-MM-DD; default now)"),
	OPT_STR_AT("product", "PRODUCT", TRACK_AT(product), "what was bought, for rule clauses (product=)"),
	OPT_STR_AT("plan", "PLAN", TRACK_AT(plan), "its plan, for rule clauses (plan=)"),
	OPT_STR_AT("country", "CC", TRACK_AT(country), "the buyer's country, ISO 3166 (country=)"),
	CLI_JSON("print the outcome as JSON"),
	OPT_END
};

static int
conversion_check(struct cli_call *k)
{
	const struct event_input *in = &((struct track_call *)k)->in;

	if (in->referral == NULL && in->email == NULL)
		return cli_usage(k->c, "name the referral: --code and --email, --referral, "
		    "or --program and --email");
	if (in->referral == NULL && in->code == NULL && in->program == NULL)
		return cli_usage(k->c, "--email needs --code or --program");
	return 0;
}

static const struct opt refund_flags[] = {
	OPT_REQ_AT("program", "PROGRAM", TRACK_AT(program), "the conversion's program"),
	OPT_REQ_AT("id", "EXTERNAL_ID", TRACK_AT(id), "the conversion's external id"),
	OPT_REQ_AT("amount", "AMOUNT", TRACK_AT(amount), "how much is refunded (partial allowed)"),
	OPT_STR_AT("at", "TIME", TRACK_AT(at), "when (RFC 3339 or YYYY-MM-DD; default now)"),
	CLI_JSON("print the outcome as JSON"),
	OPT_END
};

const struct cli_cmd track_cmds[] = {
	{ .name = "referral", .synopsis = "--code CODE --email EMAIL [--name NAME] [--at TIME]",
	  .summary = "record a referral",
	  .flags = referral_flags, .size = sizeof(struct track_call), .open = CLI_WRITE,
	  .exec = track, .param = TRACK_REFERRAL },
	{ .name = "conversion",
	  .synopsis = "--code CODE --email EMAIL --event EVENT --amount AMOUNT "
	      "--id EXTERNAL_ID [--currency CUR] [--at TIME]",
	  .summary = "record a conversion of a referred contact",
	  .flags = conversion_flags, .size = sizeof(struct track_call), .check = conversion_check,
	  .open = CLI_WRITE, .exec = track, .param = TRACK_CONVERSION },
	{ .name = "refund",
	  .synopsis = "--program PROGRAM --id EXTERNAL_ID --amount AMOUNT [--at TIME]",
	  .summary = "record a (partial) refund of a conversion",
	  .flags = refund_flags, .size = sizeof(struct track_call), .open = CLI_WRITE,
	  .exec = track, .param = TRACK_REFUND },
	{ .name = NULL }
};
