/*
 * cmd_ledger.c - ally commission, payout, statement, period and audit:
 * the ledger from the command line.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/ledger.h"
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/priv.h"

static int
commission_list(struct cli *c, int argc, char **argv)
{
	struct list_filter f = { 0 };
	bool csv = false, json = false;
	const struct opt tab[] = {
		OPT_STR("status", "STATUS", &f.status, "pending, approved, rejected, paid or reversed"),
		OPT_STR("partner", "PARTNER", &f.partner, "only this partner's lines"),
		OPT_STR("program", "PROGRAM", &f.program, "only this program's lines"),
		OPT_STR("from", "DATE", &f.from, "earned on or after"),
		OPT_STR("to", "DATE", &f.to, "earned on or before"),
		OPT_BOOL("csv", &csv, "CSV with a header row"),
		OPT_BOOL("json", &json, "one JSON object a line"),
		OPT_END
	};
	enum out_fmt fmt;
	struct opts o;
	int32_t st;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 0, 0, argc, argv)) >= 0 ||
	    (rc = cli_format(c, csv, json, OUT_TABLE, &fmt)) != 0)
		return rc;
	if (f.status && !commission_status_parse(f.status, &st))
		return cli_usage(c, "--status: \"%s\" must be pending, approved, rejected, paid or reversed",
		    f.status);
	if ((rc = cli_open(c, APP_RDONLY)) != 0)
		return rc;
	return cli_list(c, KIND_COMMISSION, &f, fmt, stdout);
}

static int
commission_show(struct cli *c, int argc, char **argv)
{
	return cli_show_cmd(c, KIND_COMMISSION, argc, argv);
}

static int
commission_explain(struct cli *c, int argc, char **argv)
{
	const struct opt tab[] = { OPT_END };
	struct opts o;
	struct sbuf out;
	struct err e;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 1, 1, argc, argv)) >= 0 || (rc = cli_open(c, APP_RDONLY)) != 0)
		return rc;
	sbuf_init(&out);
	err_clear(&e);
	if (app_commission_explain(c->app, o.argv[0], &out, &e) != ST_OK) {
		sbuf_free(&out);
		return cli_fail(c, &e);
	}
	{
		char *vis = str_visible(sbuf_str(&out));
		/* keep the line breaks: escape line by line */
		char *p = (char *)sbuf_str(&out), *nl;
		free(vis);
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
	sbuf_free(&out);
	return 0;
}

static int
decide(struct cli *c, int argc, char **argv, bool approve)
{
	const char *reason = NULL;
	const struct opt atab[] = {
		OPT_STR("override-hold", "REASON", &reason, "approve before the hold date ends, saying why"),
		OPT_END
	};
	const struct opt rtab[] = {
		OPT_REQ("reason", "TEXT", &reason, "why (the partner sees it)"),
		OPT_END
	};
	struct decision *res;
	struct opts o;
	struct err e;
	enum status st;
	int rc, i;

	if ((rc = cli_parse(c, &o, approve ? atab : rtab, 1, -1, argc, argv)) >= 0 ||
	    (rc = cli_open(c, 0)) != 0)
		return rc;
	res = xcalloc((size_t)o.argc, sizeof *res);
	err_clear(&e);
	st = approve ? app_commission_approve(c->app, (const char *const *)o.argv, (size_t)o.argc,
	    reason, res, &e) : app_commission_reject(c->app, (const char *const *)o.argv,
	    (size_t)o.argc, reason, res, &e);
	/* No id resolved means nothing was decided: just the reason. */
	if (st != ST_OK && res[0].id == 0) {
		free(res);
		return cli_fail(c, &e);
	}
	for (i = 0; i < o.argc; i++) {
		if (res[i].id == 0)
			continue;
		if (res[i].outcome == DECIDE_REFUSED)
			fprintf(stderr, "ally: %s: C%llu %s\n", c->what, (unsigned long long)res[i].id,
			    res[i].message);
		else
			printf("C%llu %s\n", (unsigned long long)res[i].id, res[i].message);
	}
	free(res);
	return st == ST_OK ? 0 : status_exit(st);
}

static int
commission_approve(struct cli *c, int argc, char **argv)
{
	return decide(c, argc, argv, true);
}

static int
commission_reject(struct cli *c, int argc, char **argv)
{
	return decide(c, argc, argv, false);
}

const struct cli_cmd commission_cmds[] = {
	{ .name = "list", .synopsis = "[--status S] [--partner P] [--program P] [--csv|--json]",
	  .summary = "list commission lines and adjustments", .run = commission_list },
	{ .name = "show", .args = "ID", .synopsis = "ID [--json]",
	  .summary = "show one line", .run = commission_show },
	{ .name = "explain", .args = "ID", .synopsis = "ID",
	  .summary = "show the arithmetic of a line, every number traceable", .run = commission_explain },
	{ .name = "approve", .args = "ID...", .synopsis = "ID... [--override-hold REASON]",
	  .summary = "approve pending lines whose hold has ended", .run = commission_approve },
	{ .name = "reject", .args = "ID...", .synopsis = "ID... --reason TEXT",
	  .summary = "reject pending lines", .run = commission_reject },
	{ .name = NULL }
};

/* ---- payouts ---- */

struct payout_flags {
	const char *cutoff, *minimum, *confirm, *output, *currency;
	struct opt_list partners;
	bool json;
};

static void
payout_input(struct payout_flags *f, struct payout_input *in, const char ***sel)
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

static int
payout_preview(struct cli *c, int argc, char **argv)
{
	struct payout_flags f = { 0 };
	const struct opt tab[] = {
		OPT_REQ("cutoff", "DATE", &f.cutoff, "approved lines earned up to this day"),
		OPT_LIST("partner", "PARTNER", &f.partners, "only this partner (repeatable)"),
		OPT_STR("minimum", "AMOUNT", &f.minimum, "leave out payees owed less"),
		OPT_STR("currency", "CUR", &f.currency, "the currency the batch pays (default: the organisation's)"),
		OPT_END
	};
	struct payout_input in;
	struct payout_preview p;
	const char **sel;
	struct opts o;
	struct err e;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 0, 0, argc, argv)) >= 0 || (rc = cli_open(c, APP_RDONLY)) != 0) {
		opts_free(tab);
		return rc;
	}
	payout_input(&f, &in, &sel);
	err_clear(&e);
	if (app_payout_preview(c->app, &in, &p, &e) != ST_OK) {
		free(sel);
		opts_free(tab);
		return cli_fail(c, &e);
	}
	print_preview(&p);
	payout_preview_free(&p);
	free(sel);
	opts_free(tab);
	return 0;
}

static int
payout_run(struct cli *c, int argc, char **argv)
{
	struct payout_flags f = { 0 };
	const struct opt tab[] = {
		OPT_REQ("cutoff", "DATE", &f.cutoff, "the same cutoff as the preview"),
		OPT_LIST("partner", "PARTNER", &f.partners, "the same partners as the preview"),
		OPT_STR("minimum", "AMOUNT", &f.minimum, "the same minimum as the preview"),
		OPT_STR("currency", "CUR", &f.currency, "the same currency as the preview"),
		OPT_REQ("confirm", "CHECKSUM", &f.confirm, "the checksum the preview printed"),
		OPT_STR("output", "FILE", &f.output, "accounts-payable CSV (default: beside the database)"),
		OPT_END
	};
	struct payout_input in;
	const char **sel;
	struct opts o;
	struct err e;
	uint64_t batch;
	char *path;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 0, 0, argc, argv)) >= 0 || (rc = cli_open(c, 0)) != 0) {
		opts_free(tab);
		return rc;
	}
	payout_input(&f, &in, &sel);
	err_clear(&e);
	rc = 0;
	if (app_payout_run(c->app, &in, f.confirm, f.output, &batch, &path, &e) != ST_OK) {
		rc = cli_fail(c, &e);
	} else {
		char *vis = str_visible(path);
		printf("PB%llu written; accounts-payable CSV: %s\n", (unsigned long long)batch, vis);
		free(vis);
		free(path);
	}
	free(sel);
	opts_free(tab);
	return rc;
}

static int
payout_list(struct cli *c, int argc, char **argv)
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
	return cli_list(c, KIND_PAYOUT, &f, fmt, stdout);
}

static int
payout_mark_paid(struct cli *c, int argc, char **argv)
{
	const struct opt tab[] = { OPT_END };
	struct opts o;
	struct err e;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 1, 1, argc, argv)) >= 0 || (rc = cli_open(c, 0)) != 0)
		return rc;
	err_clear(&e);
	if (app_payout_mark_paid(c->app, o.argv[0], &e) != ST_OK)
		return cli_fail(c, &e);
	printf("%s marked paid\n", o.argv[0]);
	return 0;
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

static int
payout_export(struct cli *c, int argc, char **argv)
{
	const char *output = NULL, *format = "ap-csv";
	const struct opt tab[] = {
		OPT_STR("format", "FORMAT", &format, "ap-csv (the default), paypal, wise or sepa"),
		OPT_STR("output", "FILE", &output,
		    "where to write it (- for stdout; default: ap-csv where the run wrote it, "
		    "others BATCH-FORMAT.csv or .xml here)"),
		OPT_END
	};
	struct opts o;
	struct err e;
	char *path, *vis;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 1, 1, argc, argv)) >= 0 || (rc = cli_open(c, APP_RDONLY)) != 0)
		return rc;
	if (strcmp(format, "ap-csv") != 0 || (output != NULL && strcmp(output, "-") == 0))
		return payout_file(c, o.argv[0], format, output);
	err_clear(&e);
	if (app_payout_export(c->app, o.argv[0], output, &path, &e) != ST_OK)
		return cli_fail(c, &e);
	vis = str_visible(path);
	printf("wrote %s\n", vis);
	free(vis);
	free(path);
	return 0;
}

const struct cli_cmd payout_cmds[] = {
	{ .name = "preview", .synopsis = "--cutoff DATE [--partner P]... [--minimum AMOUNT] [--currency CUR]",
	  .summary = "list what a payout would pay, with a checksum", .run = payout_preview },
	{ .name = "run", .synopsis = "--cutoff DATE [--partner P]... [--minimum AMOUNT] [--currency CUR] --confirm CHECKSUM [--output FILE]",
	  .summary = "write the batch if the preview still matches, and its CSV", .run = payout_run },
	{ .name = "list", .synopsis = "[--csv|--json]", .summary = "list payout batches", .run = payout_list },
	{ .name = "export", .args = "BATCH",
	  .synopsis = "BATCH [--format ap-csv|paypal|wise|sepa] [--output FILE|-]",
	  .summary = "write a batch's file: the accounts-payable CSV again, a PayPal or Wise "
	    "batch CSV, or a SEPA credit transfer (pain.001.001.03, EUR)", .run = payout_export },
	{ .name = "mark-paid", .args = "BATCH", .synopsis = "BATCH",
	  .summary = "record that accounts payable paid a batch", .run = payout_mark_paid },
	{ .name = NULL }
};

/* ---- statement, period, audit ---- */

static int
statement_run(struct cli *c, int argc, char **argv)
{
	const char *month = NULL;
	bool csv = false;
	const struct opt tab[] = {
		OPT_REQ("month", "YYYY-MM", &month, "the month"),
		OPT_BOOL("csv", &csv, "CSV instead of text"),
		OPT_END
	};
	struct opts o;
	struct sbuf out;
	struct err e;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 1, 1, argc, argv)) >= 0 || (rc = cli_open(c, APP_RDONLY)) != 0)
		return rc;
	sbuf_init(&out);
	err_clear(&e);
	if (app_statement(c->app, o.argv[0], month, csv, &out, &e) != ST_OK) {
		sbuf_free(&out);
		return cli_fail(c, &e);
	}
	fputs(sbuf_str(&out), stdout);
	sbuf_free(&out);
	return 0;
}

const struct cli_cmd cmd_statement = {
	.name = "statement", .args = "PARTNER", .synopsis = "PARTNER --month YYYY-MM [--csv]",
	.summary = "a partner's statement for a month, with its SHA-256", .run = statement_run
};

static int
period_close(struct cli *c, int argc, char **argv)
{
	const struct opt tab[] = { OPT_END };
	struct opts o;
	struct err e;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 1, 1, argc, argv)) >= 0 || (rc = cli_open(c, 0)) != 0)
		return rc;
	err_clear(&e);
	if (app_period_close(c->app, o.argv[0], &e) != ST_OK)
		return cli_fail(c, &e);
	printf("%s closed: later changes land as adjustments in the next open month\n", o.argv[0]);
	return 0;
}

const struct cli_cmd period_cmds[] = {
	{ .name = "close", .args = "YYYY-MM", .synopsis = "YYYY-MM",
	  .summary = "freeze a month", .run = period_close },
	{ .name = NULL }
};

static int
audit_list(struct cli *c, int argc, char **argv)
{
	struct list_filter f = { 0 };
	bool csv = false, json = false;
	const char *limit = NULL;
	const struct opt tab[] = {
		OPT_STR("limit", "N", &limit, "only the newest N entries"),
		OPT_BOOL("csv", &csv, "CSV with a header row"),
		OPT_BOOL("json", &json, "one JSON object a line"),
		OPT_END
	};
	enum out_fmt fmt;
	struct opts o;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 0, 0, argc, argv)) >= 0 ||
	    (rc = cli_format(c, csv, json, OUT_TABLE, &fmt)) != 0)
		return rc;
	if (limit && (rc = cli_number(c, "--limit", limit, &f.limit)) != 0)
		return rc;
	if ((rc = cli_open(c, APP_RDONLY)) != 0)
		return rc;
	return cli_list(c, KIND_AUDIT, &f, fmt, stdout);
}

static int
audit_verify(struct cli *c, int argc, char **argv)
{
	const struct opt tab[] = { OPT_END };
	struct opts o;
	struct err e;
	uint64_t n;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 0, 0, argc, argv)) >= 0 || (rc = cli_open(c, APP_RDONLY)) != 0)
		return rc;
	err_clear(&e);
	if (app_audit_verify(c->app, &n, &e) != ST_OK)
		return cli_fail(c, &e);
	printf("ok: %llu entries verified, audit chain intact%s\n", (unsigned long long)n,
	    app_audit_keyed(c->app) ? "" : " (not keyed yet: the next write carries it over)");
	return 0;
}

const struct cli_cmd audit_cmds[] = {
	{ .name = "list", .synopsis = "[--limit N] [--csv|--json]",
	  .summary = "list the audit log, newest first", .run = audit_list },
	{ .name = "verify", .synopsis = "", .summary = "check the hash chain; names the first broken entry",
	  .run = audit_verify },
	{ .name = NULL }
};
