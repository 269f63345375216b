/*
 * cmd_user.c - "ally user ...": who may use ally and with which role.
 * Staff are Unix account names; a partner user belongs to one partner.
 * Only admins may change users (app/ checks).
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/str.h"

struct user_call {
	struct cli_call k;
	const char *role, *partner;
};

static const struct opt user_add_flags[] = {
	OPT_REQ_AT("role", "ROLE", offsetof(struct user_call, role),
	    "admin, manager, support or partner"),
	OPT_STR_AT("partner", "PARTNER", offsetof(struct user_call, partner),
	    "the partner a partner user acts for"),
	CLI_JSON("print the new user as JSON"),
	OPT_END
};

static enum status
user_add(struct cli_call *k)
{
	struct user_call *u = (struct user_call *)k;

	return app_user_add(k->app, k->argv[0], u->role, u->partner, &k->id, &k->e);
}

static enum status
user_role(struct cli_call *k)
{
	enum status st;
	char *vis;

	if ((st = app_user_set_role(k->app, k->argv[0], k->argv[1], &k->e)) != ST_OK)
		return st;
	vis = str_visible(k->argv[0]);
	printf("%s is now %s\n", vis, k->argv[1]);
	free(vis);
	return ST_OK;
}

static enum status
user_remove(struct cli_call *k)
{
	enum status st;
	char *vis;

	if ((st = app_user_remove(k->app, k->argv[0], &k->e)) != ST_OK)
		return st;
	vis = str_visible(k->argv[0]);
	printf("removed user %s\n", vis);
	free(vis);
	return ST_OK;
}

const struct cli_cmd user_cmds[] = {
	{ .name = "add", .args = "LOGIN",
	  .synopsis = "LOGIN --role admin|manager|support|partner [--partner PARTNER]",
	  .summary = "let an account use ally",
	  .flags = user_add_flags, .size = sizeof(struct user_call), .names = 1,
	  .open = CLI_WRITE, .kind = KIND_USER, .echo = true, .exec = user_add },
	{ .name = "list", .synopsis = "[--csv|--json]",
	  .summary = "list users",
	  .flags = cli_list_flags, .size = sizeof(struct cli_list), .format = true,
	  .kind = KIND_USER, .exec = cli_exec_list },
	{ .name = "role", .args = "LOGIN ROLE", .synopsis = "LOGIN ROLE",
	  .summary = "change a user's role",
	  .names = 2, .open = CLI_WRITE, .exec = user_role },
	{ .name = "remove", .args = "LOGIN", .synopsis = "LOGIN",
	  .summary = "take away a user's access",
	  .names = 1, .open = CLI_WRITE, .exec = user_remove },
	{ .name = NULL }
};
