/*
 * cmd_code.c - "ally code ...": referral codes and the links to share.
 * A code belongs to one program and one referrer, a partner or a customer
 * (made on first use from the customer's e-mail).
 */
#include "config.h"

#include <stddef.h>
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

struct code_call {
	struct cli_call k;
	struct code_input in;
};

#define CODE_AT(f) offsetof(struct code_call, in.f)

static const struct opt code_new_flags[] = {
	OPT_REQ_AT("program", "PROGRAM", CODE_AT(program), "the program the code refers to"),
	OPT_STR_AT("partner", "PARTNER", CODE_AT(partner), "a code for this partner ..."),
	OPT_STR_AT("customer", "EMAIL", CODE_AT(customer), "... or for this customer"),
	OPT_STR_AT("name", "NAME", CODE_AT(name), "the customer's name"),
	OPT_STR_AT("vanity", "CODE", CODE_AT(vanity), "choose the code (3-32 of A-Z 0-9 -)"),
	CLI_JSON("print the code as a JSON object"),
	OPT_END
};

static int
code_new_check(struct cli_call *k)
{
	const struct code_input *in = &((struct code_call *)k)->in;

	if ((in->partner == NULL) == (in->customer == NULL))
		return cli_usage(k->c, "give either --partner or --customer");
	if (in->name != NULL && in->customer == NULL)
		return cli_usage(k->c, "--name goes with --customer");
	return 0;
}

/* The new code as app_show describes it, with its link; or, should that
 * fail, its id, code and link alone (the code is made either way). */
static void
code_print_json(struct cli_call *k, const struct code *code, const char *link)
{
	struct code_json_ctx cj = { .link = link };
	json_t *obj;
	char idbuf[24];

	if (app_show(k->app, KIND_CODE, code->code, code_json_row, &cj, &k->e) == ST_OK && cj.done)
		return;
	obj = json_object();
	json_object_set_new(obj, "id", json_string(app_id_str(KIND_CODE, code->id, idbuf)));
	json_object_set_new(obj, "code", json_string(code->code));
	json_object_set_new(obj, "link", link != NULL ? json_string(link) : json_null());
	out_json_line(stdout, obj);
}

static enum status
code_new(struct cli_call *k)
{
	struct code code;
	char *link = NULL, *vis;
	enum status st;

	memset(&code, 0, sizeof code);
	if ((st = app_code_new(k->app, &((struct code_call *)k)->in, &code, &link, &k->e)) != ST_OK)
		return st;
	if (k->json) {
		code_print_json(k, &code, link);
	} else {
		vis = str_visible(link != NULL ? link : "");
		printf("%s  %s\n", code.code, vis);
		free(vis);
	}
	free(link);
	app_record_free(KIND_CODE, &code);
	return ST_OK;
}

static const struct opt code_list_flags[] = {
	OPT_STR_AT("program", "PROGRAM", CLI_LIST_AT(program), "only codes of this program"),
	OPT_STR_AT("partner", "PARTNER", CLI_LIST_AT(partner), "only codes of this partner"),
	CLI_LIST_FORMATS,
	OPT_END
};

/* disable, enable: .param is true to disable */
static enum status
code_set(struct cli_call *k)
{
	bool disabled = k->cmd->param;
	enum status st;
	char *vis;

	if ((st = app_code_set_disabled(k->app, k->argv[0], disabled, &k->e)) != ST_OK)
		return st;
	vis = str_visible(k->argv[0]);
	str_upper(vis);
	printf("%s %s\n", vis, disabled ? "disabled" : "enabled");
	free(vis);
	return ST_OK;
}

const struct cli_cmd code_cmds[] = {
	{ .name = "new",
	  .synopsis = "--program P (--partner P | --customer EMAIL [--name NAME]) [--vanity CODE]",
	  .summary = "make a code; prints it and its link",
	  .flags = code_new_flags, .size = sizeof(struct code_call), .check = code_new_check,
	  .open = CLI_WRITE, .exec = code_new },
	{ .name = "list", .synopsis = "[--program P] [--partner P] [--csv|--json]",
	  .summary = "list codes",
	  .flags = code_list_flags, .size = sizeof(struct cli_list), .format = true,
	  .kind = KIND_CODE, .exec = cli_exec_list },
	{ .name = "show", .args = "CODE", .synopsis = "CODE [--json]",
	  .summary = "show one code",
	  .flags = cli_show_flags, .names = 1, .kind = KIND_CODE, .exec = cli_exec_show },
	{ .name = "disable", .args = "CODE", .synopsis = "CODE",
	  .summary = "stop accepting a code (its referrals stay)",
	  .names = 1, .open = CLI_WRITE, .exec = code_set, .param = true },
	{ .name = "enable", .args = "CODE", .synopsis = "CODE",
	  .summary = "accept a disabled code again",
	  .names = 1, .open = CLI_WRITE, .exec = code_set, .param = false },
	{ .name = NULL }
};
