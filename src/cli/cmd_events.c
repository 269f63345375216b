/*
 * cmd_events.c - "ally events [--since SEQ] [--follow] [--json]": the
 * change log (the audit log's entries, oldest first) for other systems to
 * follow, one line an entry.
 *
 * With --follow it keeps printing what commits later, from any process,
 * until it is interrupted or its output is closed; between batches it
 * holds no read transaction (app_wait_commit), so a follower left running
 * for a week never makes the database grow.  A consumer that stopped
 * carries on with --since the last seq it saw.
 */
#include "config.h"

#include <jansson.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/date.h"
#include "core/str.h"

#define BATCH 1000              /* entries per read transaction */
#define LOOK_MS 1000            /* how often a waiting follower looks at its output */

struct events_call {
	struct cli_call k;
	const char *since_s;
	uint64_t since;
	bool follow;
};

#define EVENTS_AT(f) offsetof(struct events_call, f)

static const struct opt events_flags[] = {
	OPT_STR_AT("since", "SEQ", EVENTS_AT(since_s),
	    "only the entries after this one (12 or A12; default: from the first)"),
	OPT_BOOL_AT("follow", EVENTS_AT(follow), "keep printing new entries as they commit"),
	CLI_JSON("one JSON object a line: seq, id, at, actor, action, kind, record, after"),
	OPT_END
};

static int
events_check(struct cli_call *k)
{
	struct events_call *ev = (struct events_call *)k;
	const char *s = ev->since_s;

	if (s == NULL)
		return 0;
	if (*s == 'A' || *s == 'a')
		s++;
	return cli_number(k->c, "--since", s, &ev->since);
}

static json_t *
change_json(const struct app_change *c)
{
	char when[DATE_BUFSZ], id[32];
	json_t *o = json_object(), *after = NULL;

	snprintf(id, sizeof id, "A%llu", (unsigned long long)c->seq);
	json_object_set_new(o, "seq", json_integer((json_int_t)c->seq));
	json_object_set_new(o, "id", json_string(id));
	json_object_set_new(o, "at", json_string(date_format_rfc3339(c->at, when)));
	json_object_set_new(o, "actor", c->actor ? json_string(c->actor) : json_null());
	json_object_set_new(o, "action", c->action ? json_string(c->action) : json_null());
	json_object_set_new(o, "kind", c->kind ? json_string(c->kind) : json_null());
	json_object_set_new(o, "record", c->record ? json_string(c->record) : json_null());
	/* the audit log keeps the fields as JSON text: hand them on as an object */
	if (c->after != NULL && (after = json_loads(c->after, JSON_DECODE_ANY, NULL)) == NULL)
		after = json_string(c->after);
	json_object_set_new(o, "after", after != NULL ? after : json_null());
	return o;
}

static bool
print_change(void *ctx, const struct app_change *c)
{
	struct cli_call *k = ctx;
	char when[DATE_BUFSZ];
	char *actor, *action;

	if (k->json) {
		out_json_line(stdout, change_json(c));
		return !ferror(stdout);
	}
	actor = str_visible(c->actor ? c->actor : "");
	action = str_visible(c->action ? c->action : "");
	printf("A%llu  %s  %s  %s%s%s\n", (unsigned long long)c->seq,
	    date_format_rfc3339(c->at, when), actor, action, c->record ? "  " : "",
	    c->record ? c->record : "");
	free(action);
	free(actor);
	return !ferror(stdout);
}

/* Has the reader of standard output gone (a pipe closed at its end)?  A
 * follower with nothing to print would otherwise never notice. */
static bool
output_gone(void)
{
	struct pollfd p = { .fd = fileno(stdout), .events = POLLOUT };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP | POLLNVAL)) != 0;
}

static enum status
events_run(struct cli_call *k)
{
	struct events_call *ev = (struct events_call *)k;
	uint64_t last = ev->since, from, version;
	enum status st;

	for (;;) {
		/* the commit the last batch saw: any later one wakes the wait */
		do {
			from = last;
			st = app_changes(k->app, from, BATCH, print_change, k, &last, &version, &k->e);
		} while (st == ST_OK && last - from == BATCH && !ferror(stdout));
		if (st != ST_OK)
			return st;
		if (fflush(stdout) != 0 || ferror(stdout))
			return ST_OK;   /* the reader went away: nothing more to say */
		if (!ev->follow)
			return ST_OK;
		while (!app_wait_commit(k->app, version, LOOK_MS)) {
			if (output_gone())
				return ST_OK;
		}
	}
}

const struct cli_cmd cmd_events = {
	.name = "events", .synopsis = "[--since SEQ] [--follow] [--json]",
	.summary = "the change log, oldest first; --follow keeps printing what commits",
	.flags = events_flags, .size = sizeof(struct events_call), .check = events_check,
	.exec = events_run
};
