/*
 * clock.c - the one source of "now".
 *
 * Every rule that depends on time (hold days, attribution windows, periods)
 * asks clock_now(), so tests and backfills can pin it: clock_set() in unit
 * tests, ALLY_NOW=2026-10-01T09:00:00Z for the program.  ALLY_NOW must carry
 * its offset, since it is read before the organisation's zone is known.  A
 * pinned clock does not move.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/priv.h"
#include "core/date.h"
#include "core/str.h"

static int64_t pinned_at;
static bool pinned;
static bool pinned_by_env;
static bool env_ignored;

int64_t
clock_now(void)
{
	if (pinned)
		return pinned_at;
	return (int64_t)time(NULL);
}

enum status
clock_init(struct err *e)
{
	const char *v;
	int64_t t;
	char *q;

	if (env_ignored)
		return ST_OK;
	v = env_testing("ALLY_NOW");
	if (str_empty(v))
		return ST_OK;
	/* A bare day would be midnight in a zone not yet known. */
	if (strlen(v) <= 10) {
		q = str_visible_cut(v, 40);
		err_set(e, ST_CONFIG, "ALLY_NOW: \"%s\" is not an RFC 3339 time "
		    "(want e.g. 2026-10-01T09:00:00Z)", q);
		free(q);
		return ST_CONFIG;
	}
	if (date_parse_time(v, &t, "ALLY_NOW", e) != ST_OK) {
		if (e != NULL)
			e->st = ST_CONFIG;
		return ST_CONFIG;
	}
	pinned_at = t;
	pinned = true;
	pinned_by_env = true;
	return ST_OK;
}

void
clock_ignore_env(void)
{
	env_ignored = true;
	if (pinned_by_env)
		pinned = pinned_by_env = false;
}

void
clock_set(int64_t t)
{
	pinned_at = t;
	pinned = true;
	pinned_by_env = false;
}
