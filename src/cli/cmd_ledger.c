/*
 * cmd_ledger.c - ally commission, payout, statement, period and audit:
 * the ledger from the command line.  All declared (cli.h).
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/ledger.h"
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/priv.h"

static const struct opt commission_list_flags[] = {
	OPT_STR_AT("status", "STATUS", CLI_LIST_AT(status), "pending, approved, rejected, paid or reversed"),
	OPT_STR_AT("partner", "PARTNER", CLI_LIST_AT(partner), "only this partner's lines"),
	OPT_STR_AT("program", "PROGRAM", CLI_LIST_AT(program), "only this program's lines"),
	OPT_STR_AT("from", "DATE", CLI_LIST_AT(from), "earned on or after"),
	OPT_STR_AT("to", "DATE", CLI_LIST_AT(to), "earned on or before"),
	CLI_LIST_FORMATS,
	OPT_END
};

static int
commission_list_check(struct cli_call *k)
{
	const char *status = ((struct cli_list *)k)->f.status;
	int32_t st;

	if (status && !commission_status_parse(status, &st))
		return cli_usage(k->c, "--status: \"%s\" must be pending, approved, rejected, paid or reversed",
		    status);
	return 0;
}

void
cli_print_lines(char *p)
{
	char *nl, *vis;

	while (*p) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		vis = str_visible(p);
		printf("%s\n", vis);
		free(vis);
		if (!nl)
			break;
		p = nl + 1;
	}
}

enum status
cli_decisions(struct cli_call *k, const char *prefix, const struct decision *res, size_t n,
    enum status st)
{
	size_t i;

	/* No id resolved means nothing was decided: just the reason. */
	if (st != ST_OK && res[0].id == 0)
		return st;
	for (i = 0; i < n; i++) {
		if (res[i].id == 0)
			continue;
		if (res[i].outcome == DECIDE_REFUSED)
			fprintf(stderr, "ally: %s: %s%llu %s\n", k->c->what, prefix,
			    (unsigned long long)res[i].id, res[i].message);
		else
			printf("%s%llu %s\n", prefix, (unsigned long long)res[i].id, res[i].message);
	}
	k->exit = st == ST_OK ? 0 : status_exit(st);
	return ST_OK;
}

static enum status
commission_explain(struct cli_call *k)
{
	struct sbuf out;
	enum status st;

	sbuf_init(&out);
	if ((st = app_commission_explain(k->app, k->argv[0], &out, &k->e)) == ST_OK)
		cli_print_lines((char *)sbuf_str(&out));
	sbuf_free(&out);
	return st;
}

struct decide_call {
	struct cli_call k;
	const char *reason;
};

static const struct opt approve_flags[] = {
	OPT_STR_AT("override-hold", "REASON", offsetof(struct decide_call, reason),
	    "approve before the hold date ends, saying why"),
	OPT_END
};

static const struct opt reject_flags[] = {
	OPT_REQ_AT("reason", "TEXT", offsetof(struct decide_call, reason), "why (the partner sees it)"),
	OPT_END
};

/* approve, reject (.param true to approve): one line per id, refusals on
 * stderr; the exit status that of the first refusal. */
static enum status
decide(struct cli_call *k)
{
	const char *reason = ((struct decide_call *)k)->reason;
	const char *const *ids = (const char *const *)k->argv;
	size_t n = (size_t)k->argc;
	struct decision *res = xcalloc(n, sizeof *res);
	enum status st;

	st = k->cmd->param ? app_commission_approve(k->app, ids, n, reason, res, &k->e) :
	    app_commission_reject(k->app, ids, n, reason, res, &k->e);
	st = cli_decisions(k, "C", res, n, st);
	free(res);
	return st;
}

const struct cli_cmd commission_cmds[] = {
	{ .name = "list", .synopsis = "[--status S] [--partner P] [--program P] [--csv|--json]",
	  .summary = "list commission lines and adjustments",
	  .flags = commission_list_flags, .size = sizeof(struct cli_list), .format = true,
	  .check = commission_list_check, .kind = KIND_COMMISSION, .exec = cli_exec_list },
	{ .name = "show", .args = "ID", .synopsis = "ID [--json]",
	  .summary = "show one line",
	  .flags = cli_show_flags, .names = 1, .kind = KIND_COMMISSION, .exec = cli_exec_show },
	{ .name = "explain", .args = "ID", .synopsis = "ID",
	  .summary = "show the arithmetic of a line, every number traceable",
	  .names = 1, .exec = commission_explain },
	{ .name = "approve", .args = "ID...", .synopsis = "ID... [--override-hold REASON]",
	  .summary = "approve pending lines whose hold has ended",
	  .flags = approve_flags, .size = sizeof(struct decide_call), .names = 1,
	  .names_max = CLI_MANY, .open = CLI_WRITE, .exec = decide, .param = true },
	{ .name = "reject", .args = "ID...", .synopsis = "ID... --reason TEXT",
	  .summary = "reject pending lines",
	  .flags = reject_flags, .size = sizeof(struct decide_call), .names = 1,
	  .names_max = CLI_MANY, .open = CLI_WRITE, .exec = decide, .param = false },
	{ .name = NULL }
};

/* ---- payouts ---- */

struct payout_call {
	struct cli_call k;
	const char *cutoff, *minimum, *confirm, *output, *currency, *format;
	struct opt_list partners;
};

#define PAYOUT_AT(f) offsetof(struct payout_call, f)

/* The flags as app/ takes them; free *sel after. */
static void
payout_input(const struct payout_call *f, struct payout_input *in, const char ***sel)
{
	size_t i;

	memset(in, 0, sizeof *in);
	in->cutoff = f->cutoff;
	in->minimum = f->minimum;
	in->currency = f->currency;
	*sel = NULL;
	if (f->partners.n) {
		*sel = xcalloc(f->partners.n + 1, sizeof **sel);
		for (i = 0; i < f->partners.n; i++)
			(*sel)[i] = f->partners.v[i];
		in->partners = *sel;
	}
}

static void
print_preview(const struct payout_preview *p)
{
	const struct currency *cur = currency_find(p->currency);
	char b1[MONEY_BUFSZ];
	size_t i;

	printf("%-40s %-32s %6s %14s\n", "PAYEE", "E-MAIL", "LINES", "AMOUNT");
	for (i = 0; i < p->ntotals; i++) {
		char *n = str_visible_fit(p->totals[i].payee, 40), *m = str_visible_fit(p->totals[i].email, 32);
		printf("%s %s %6lld %14s\n", n, m, (long long)p->totals[i].lines,
		    money_format_human(p->totals[i].amount, cur, b1));
		free(n);
		free(m);
	}
	printf("%-40s %-32s %6zu %14s %s\n", "total", "", p->nlines, money_format_human(p->total, cur, b1),
	    p->currency);
	printf("lines:");
	for (i = 0; i < p->nlines; i++)
		printf("%s C%llu", i % 12 == 11 ? "\n      " : "", (unsigned long long)p->lines[i].commission);
	printf("\nchecksum: %s\n", p->checksum);
}

static const struct opt preview_flags[] = {
	OPT_REQ_AT("cutoff", "DATE", PAYOUT_AT(cutoff), "approved lines earned up to this day"),
	OPT_LIST_AT("partner", "PARTNER", PAYOUT_AT(partners), "only this partner (repeatable)"),
	OPT_STR_AT("minimum", "AMOUNT", PAYOUT_AT(minimum), "leave out payees owed less"),
	OPT_STR_AT("currency", "CUR", PAYOUT_AT(currency),
	    "the currency the batch pays (default: the organisation's)"),
	OPT_END
};

static enum status
payout_preview(struct cli_call *k)
{
	struct payout_input in;
	struct payout_preview p;
	const char **sel;
	enum status st;

	payout_input((struct payout_call *)k, &in, &sel);
	if ((st = app_payout_preview(k->app, &in, &p, &k->e)) == ST_OK) {
		print_preview(&p);
		payout_preview_free(&p);
	}
	free(sel);
	return st;
}

static const struct opt run_flags[] = {
	OPT_REQ_AT("cutoff", "DATE", PAYOUT_AT(cutoff), "the same cutoff as the preview"),
	OPT_LIST_AT("partner", "PARTNER", PAYOUT_AT(partners), "the same partners as the preview"),
	OPT_STR_AT("minimum", "AMOUNT", PAYOUT_AT(minimum), "the same minimum as the preview"),
	OPT_STR_AT("currency", "CUR", PAYOUT_AT(currency), "the same currency as the preview"),
	OPT_REQ_AT("confirm", "CHECKSUM", PAYOUT_AT(confirm), "the checksum the preview printed"),
	OPT_STR_AT("output", "FILE", PAYOUT_AT(output),
	    "accounts-payable CSV (default: beside the database)"),
	OPT_END
};

static enum status
payout_run(struct cli_call *k)
{
	struct payout_call *f = (struct payout_call *)k;
	struct payout_input in;
	const char **sel;
	uint64_t batch;
	enum status st;
	char *path, *vis;

	payout_input(f, &in, &sel);
	st = app_payout_run(k->app, &in, f->confirm, f->output, &batch, &path, &k->e);
	free(sel);
	if (st != ST_OK)
		return st;
	vis = str_visible(path);
	printf("PB%llu written; accounts-payable CSV: %s\n", (unsigned long long)batch, vis);
	free(vis);
	free(path);
	return ST_OK;
}

static enum status
payout_mark_paid(struct cli_call *k)
{
	enum status st;

	if ((st = app_payout_mark_paid(k->app, k->argv[0], &k->e)) == ST_OK)
		printf("%s marked paid\n", k->argv[0]);
	return st;
}

/* A payout file of another format than ap-csv, or any format to stdout
 * (--output -): rendered whole first, so nothing is written on error. */
static int
payout_file(struct cli *c, const char *batch, const char *format, const char *output)
{
	struct sbuf b;
	struct outfile of;
	struct err e;
	char *path = NULL, *vis;
	int rc = 0;

	err_clear(&e);
	sbuf_init(&b);
	sbuf_add(&b, "");
	if (app_payout_file(c->app, batch, format, &b, &e) != ST_OK) {
		sbuf_free(&b);
		if (e.st == ST_USAGE)
			return cli_usage(c, "%s", e.msg);
		return cli_fail(c, &e);
	}
	if (output != NULL && strcmp(output, "-") == 0) {
		fwrite(b.s, 1, b.len, stdout);
		sbuf_free(&b);
		return 0;
	}
	path = output ? xstrdup(output) : xasprintf("%s-%s.%s", batch, format,
	    strcmp(format, "sepa") == 0 ? "xml" : "csv");
	/* a short write shows in the stream's error flag, which commit checks */
	if (outfile_open(&of, path, true, 0, "", &e) != ST_OK ||
	    (fwrite(b.s, 1, b.len, of.f), outfile_commit(&of, "", &e)) != ST_OK)
		rc = cli_fail(c, &e);
	else {
		vis = str_visible(path);
		printf("wrote %s\n", vis);
		free(vis);
	}
	free(path);
	sbuf_free(&b);
	return rc;
}

static const struct opt export_flags[] = {
	OPT_STR_AT("format", "FORMAT", PAYOUT_AT(format), "ap-csv (the default), paypal, wise or sepa"),
	OPT_STR_AT("output", "FILE", PAYOUT_AT(output),
	    "where to write it (- for stdout; default: ap-csv where the run wrote it, "
	    "others BATCH-FORMAT.csv or .xml here)"),
	OPT_END
};

static enum status
payout_export(struct cli_call *k)
{
	struct payout_call *f = (struct payout_call *)k;
	const char *format = f->format != NULL ? f->format : "ap-csv", *output = f->output;
	enum status st;
	char *path, *vis;

	if (strcmp(format, "ap-csv") != 0 || (output != NULL && strcmp(output, "-") == 0)) {
		k->exit = payout_file(k->c, k->argv[0], format, output);
		return ST_OK;
	}
	if ((st = app_payout_export(k->app, k->argv[0], output, &path, &k->e)) != ST_OK)
		return st;
	vis = str_visible(path);
	printf("wrote %s\n", vis);
	free(vis);
	free(path);
	return ST_OK;
}

const struct cli_cmd payout_cmds[] = {
	{ .name = "preview", .synopsis = "--cutoff DATE [--partner P]... [--minimum AMOUNT] [--currency CUR]",
	  .summary = "list what a payout would pay, with a checksum",
	  .flags = preview_flags, .size = sizeof(struct payout_call), .exec = payout_preview },
	{ .name = "run", .synopsis = "--cutoff DATE [--partner P]... [--minimum AMOUNT] [--currency CUR] --confirm CHECKSUM [--output FILE]",
	  .summary = "write the batch if the preview still matches, and its CSV",
	  .flags = run_flags, .size = sizeof(struct payout_call), .open = CLI_WRITE,
	  .exec = payout_run },
	{ .name = "list", .synopsis = "[--csv|--json]", .summary = "list payout batches",
	  .flags = cli_list_flags, .size = sizeof(struct cli_list), .format = true,
	  .kind = KIND_PAYOUT, .exec = cli_exec_list },
	{ .name = "export", .args = "BATCH",
	  .synopsis = "BATCH [--format ap-csv|paypal|wise|sepa] [--output FILE|-]",
	  .summary = "write a batch's file: the accounts-payable CSV again, a PayPal or Wise "
	    "batch CSV, or a SEPA credit transfer (pain.001.001.03, EUR)",
	  .flags = export_flags, .size = sizeof(struct payout_call), .names = 1,
	  .exec = payout_export },
	{ .name = "mark-paid", .args = "BATCH", .synopsis = "BATCH",
	  .summary = "record that accounts payable paid a batch",
	  .names = 1, .open = CLI_WRITE, .exec = payout_mark_paid },
	{ .name = NULL }
};

/* ---- statement, period, audit ---- */

struct statement_call {
	struct cli_call k;
	const char *month;
};

static const struct opt statement_flags[] = {
	OPT_REQ_AT("month", "YYYY-MM", offsetof(struct statement_call, month), "the month"),
	CLI_CSV("CSV instead of text"),
	OPT_END
};

static enum status
statement_run(struct cli_call *k)
{
	const char *month = ((struct statement_call *)k)->month;
	struct sbuf out;
	enum status st;

	sbuf_init(&out);
	if ((st = app_statement(k->app, k->argv[0], month, k->csv, &out, &k->e)) == ST_OK)
		fputs(sbuf_str(&out), stdout);
	sbuf_free(&out);
	return st;
}

const struct cli_cmd cmd_statement = {
	.name = "statement", .args = "PARTNER", .synopsis = "PARTNER --month YYYY-MM [--csv]",
	.summary = "a partner's statement for a month, with its SHA-256",
	.flags = statement_flags, .size = sizeof(struct statement_call), .names = 1,
	.exec = statement_run
};

static enum status
period_close(struct cli_call *k)
{
	enum status st;

	if ((st = app_period_close(k->app, k->argv[0], &k->e)) == ST_OK)
		printf("%s closed: later changes land as adjustments in the next open month\n",
		    k->argv[0]);
	return st;
}

const struct cli_cmd period_cmds[] = {
	{ .name = "close", .args = "YYYY-MM", .synopsis = "YYYY-MM",
	  .summary = "freeze a month",
	  .names = 1, .open = CLI_WRITE, .exec = period_close },
	{ .name = NULL }
};

static const struct opt audit_list_flags[] = {
	OPT_STR_AT("limit", "N", offsetof(struct cli_list, limit), "only the newest N entries"),
	CLI_LIST_FORMATS,
	OPT_END
};

static enum status
audit_verify(struct cli_call *k)
{
	enum status st;
	uint64_t n;

	if ((st = app_audit_verify(k->app, &n, &k->e)) != ST_OK)
		return st;
	printf("ok: %llu entries verified, audit chain intact%s\n", (unsigned long long)n,
	    app_audit_keyed(k->app) ? "" : " (not keyed yet: the next write carries it over)");
	return ST_OK;
}

const struct cli_cmd audit_cmds[] = {
	{ .name = "list", .synopsis = "[--limit N] [--csv|--json]",
	  .summary = "list the audit log, newest first",
	  .flags = audit_list_flags, .size = sizeof(struct cli_list), .format = true,
	  .check = cli_check_limit, .kind = KIND_AUDIT, .exec = cli_exec_list },
	{ .name = "verify", .synopsis = "", .summary = "check the hash chain; names the first broken entry",
	  .exec = audit_verify },
	{ .name = NULL }
};
