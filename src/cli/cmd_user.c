/*
 * cmd_user.c - "ally user ...": who may use ally and with which role.
 * Staff are Unix account names; a partner user belongs to one partner.
 * Only admins may change users (app/ checks).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/str.h"

static int
user_add(struct cli *c, int argc, char **argv)
{
	const char *role = NULL, *partner = NULL;
	bool json = false;
	const struct opt tab[] = {
		OPT_REQ("role", "ROLE", &role, "admin, manager, support or partner"),
		OPT_STR("partner", "PARTNER", &partner, "the partner a partner user acts for"),
		OPT_BOOL("json", &json, "print the new user as JSON"),
		OPT_END
	};
	struct opts o;
	struct err e;
	uint64_t id;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 1, 1, argc, argv)) >= 0)
		return rc;
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	err_clear(&e);
	if (app_user_add(c->app, o.argv[0], role, partner, &id, &e) != ST_OK)
		return cli_fail(c, &e);
	return cli_saved(c, KIND_USER, id, json);
}

static int
user_list(struct cli *c, int argc, char **argv)
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
	return cli_list(c, KIND_USER, &f, fmt, stdout);
}

static int
user_role(struct cli *c, int argc, char **argv)
{
	const struct opt tab[] = { OPT_END };
	struct opts o;
	struct err e;
	char *vis;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 2, 2, argc, argv)) >= 0 ||
	    (rc = cli_open(c, 0)) != 0)
		return rc;
	err_clear(&e);
	if (app_user_set_role(c->app, o.argv[0], o.argv[1], &e) != ST_OK)
		return cli_fail(c, &e);
	vis = str_visible(o.argv[0]);
	printf("%s is now %s\n", vis, o.argv[1]);
	free(vis);
	return 0;
}

static int
user_remove(struct cli *c, int argc, char **argv)
{
	const struct opt tab[] = { OPT_END };
	struct opts o;
	struct err e;
	char *vis;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 1, 1, argc, argv)) >= 0 ||
	    (rc = cli_open(c, 0)) != 0)
		return rc;
	err_clear(&e);
	if (app_user_remove(c->app, o.argv[0], &e) != ST_OK)
		return cli_fail(c, &e);
	vis = str_visible(o.argv[0]);
	printf("removed user %s\n", vis);
	free(vis);
	return 0;
}

const struct cli_cmd user_cmds[] = {
	{ .name = "add", .args = "LOGIN",
	  .synopsis = "LOGIN --role admin|manager|support|partner [--partner PARTNER]",
	  .summary = "let an account use ally", .run = user_add },
	{ .name = "list", .synopsis = "[--csv|--json]",
	  .summary = "list users", .run = user_list },
	{ .name = "role", .args = "LOGIN ROLE", .synopsis = "LOGIN ROLE",
	  .summary = "change a user's role", .run = user_role },
	{ .name = "remove", .args = "LOGIN", .synopsis = "LOGIN",
	  .summary = "take away a user's access", .run = user_remove },
	{ .name = NULL }
};
