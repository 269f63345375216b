/*
 * cmd_code.c - "ally code ...": referral codes and the links to share.
 * A code belongs to one program and one referrer, a partner or a customer
 * (made on first use from the customer's e-mail).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/str.h"

struct code_json_ctx {
	const char *link;
	bool done;
};

/* The code as app_show describes it, plus its link. */
static enum status
code_json_row(void *ctx, const struct row *r)
{
	struct code_json_ctx *cj = ctx;
	struct row copy;

	memcpy(&copy, r, sizeof copy);
	/* the copy's cells point into r, which lives until we return */
	if (out_cell_find(&copy, "link") == NULL && cj->link != NULL)
		out_row_add_str(&copy, "link", cj->link);
	out_json_line(stdout, out_row_json(&copy));
	cj->done = true;
	return ST_OK;
}

static int
code_new(struct cli *c, int argc, char **argv)
{
	struct code_input in = { 0 };
	bool json = false;
	const struct opt tab[] = {
		OPT_REQ("program", "PROGRAM", &in.program, "the program the code refers to"),
		OPT_STR("partner", "PARTNER", &in.partner, "a code for this partner ..."),
		OPT_STR("customer", "EMAIL", &in.customer, "... or for this customer"),
		OPT_STR("name", "NAME", &in.name, "the customer's name"),
		OPT_STR("vanity", "CODE", &in.vanity, "choose the code (3-32 of A-Z 0-9 -)"),
		OPT_BOOL("json", &json, "print the code as a JSON object"),
		OPT_END
	};
	struct code_json_ctx cj = { 0 };
	struct code code;
	struct opts o;
	struct err e;
	char *link = NULL, *vis;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 0, 0, argc, argv)) >= 0)
		return rc;
	if ((in.partner == NULL) == (in.customer == NULL))
		return cli_usage(c, "give either --partner or --customer");
	if (in.name != NULL && in.customer == NULL)
		return cli_usage(c, "--name goes with --customer");
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	memset(&code, 0, sizeof code);
	err_clear(&e);
	if (app_code_new(c->app, &in, &code, &link, &e) != ST_OK)
		return cli_fail(c, &e);
	if (json) {
		cj.link = link;
		if (app_show(c->app, KIND_CODE, code.code, code_json_row, &cj, &e) != ST_OK ||
		    !cj.done) {
			json_t *obj = json_object();
			char idbuf[24];

			json_object_set_new(obj, "id", json_string(app_id_str(KIND_CODE, code.id, idbuf)));
			json_object_set_new(obj, "code", json_string(code.code));
			json_object_set_new(obj, "link", link != NULL ? json_string(link) : json_null());
			out_json_line(stdout, obj);
		}
	} else {
		vis = str_visible(link != NULL ? link : "");
		printf("%s  %s\n", code.code, vis);
		free(vis);
	}
	free(link);
	app_record_free(KIND_CODE, &code);
	return 0;
}

static int
code_list(struct cli *c, int argc, char **argv)
{
	struct list_filter f = { 0 };
	bool csv = false, json = false;
	const struct opt tab[] = {
		OPT_STR("program", "PROGRAM", &f.program, "only codes of this program"),
		OPT_STR("partner", "PARTNER", &f.partner, "only codes of this partner"),
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
	return cli_list(c, KIND_CODE, &f, fmt, stdout);
}

static int
code_show(struct cli *c, int argc, char **argv)
{
	return cli_show_cmd(c, KIND_CODE, argc, argv);
}

static int
code_set(struct cli *c, int argc, char **argv, bool disabled)
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
	if (app_code_set_disabled(c->app, o.argv[0], disabled, &e) != ST_OK)
		return cli_fail(c, &e);
	vis = str_visible(o.argv[0]);
	str_upper(vis);
	printf("%s %s\n", vis, disabled ? "disabled" : "enabled");
	free(vis);
	return 0;
}

static int
code_disable(struct cli *c, int argc, char **argv)
{
	return code_set(c, argc, argv, true);
}

static int
code_enable(struct cli *c, int argc, char **argv)
{
	return code_set(c, argc, argv, false);
}

const struct cli_cmd code_cmds[] = {
	{ .name = "new",
	  .synopsis = "--program P (--partner P | --customer EMAIL [--name NAME]) [--vanity CODE]",
	  .summary = "make a code; prints it and its link", .run = code_new },
	{ .name = "list", .synopsis = "[--program P] [--partner P] [--csv|--json]",
	  .summary = "list codes", .run = code_list },
	{ .name = "show", .args = "CODE", .synopsis = "CODE [--json]",
	  .summary = "show one code", .run = code_show },
	{ .name = "disable", .args = "CODE", .synopsis = "CODE",
	  .summary = "stop accepting a code (its referrals stay)", .run = code_disable },
	{ .name = "enable", .args = "CODE", .synopsis = "CODE",
	  .summary = "accept a disabled code again", .run = code_enable },
	{ .name = NULL }
};
