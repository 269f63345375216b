/*
 * cmd_io.c - moving records in and out in bulk: "ally ingest" (JSON Lines),
 * "ally import" (CSV), "ally export", and the event lists "ally referral"
 * and "ally conversion".
 *
 * Ingest and import report each bad line on stderr as they go (app/ does
 * that) and end with one summary line on stderr, so stdout stays clean for
 * scripts; any invalid line makes the exit status 65.  An export named
 * with --output is written to a temporary file and renamed, so a reader
 * never sees half of it.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/alloc.h"
#include "core/priv.h"
#include "core/str.h"

static const char *const export_kinds =
	"programs, partners, tiers, codes, referrals, conversions, refunds";

static void
summary(struct cli *c, const struct ingest_stats *s)
{
	fprintf(stderr, "ally: %s: %llu line%s, %llu recorded, %llu duplicate%s, "
	    "%llu rejected, %llu invalid", c->what,
	    (unsigned long long)s->lines, s->lines == 1 ? "" : "s",
	    (unsigned long long)s->recorded, (unsigned long long)s->duplicates,
	    s->duplicates == 1 ? "" : "s", (unsigned long long)s->rejected_referrals,
	    (unsigned long long)s->invalid);
	if (s->seconds > 0)
		fprintf(stderr, ", %.0f events/s", (double)s->lines / s->seconds);
	fputc('\n', stderr);
}

/* The status of an ingest or import: 65 when lines were invalid. */
static int
bulk_result(struct cli *c, enum status st, const struct ingest_stats *s, struct err *e)
{
	if (st == ST_OK || (st == ST_DATA && s->invalid > 0)) {
		summary(c, s);
		return s->invalid > 0 ? status_exit(ST_DATA) : 0;
	}
	if (e->st == ST_OK)
		e->st = st;
	if (s->lines > 0)
		summary(c, s);
	return cli_fail(c, e);
}

struct ingest_call {
	struct cli_call k;
	const char *rejects;
};

static const struct opt ingest_flags[] = {
	OPT_STR_AT("rejects", "FILE", offsetof(struct ingest_call, rejects),
	    "also write each invalid line to FILE"),
	OPT_END
};

static enum status
run_ingest(struct cli_call *k)
{
	const char *rejects_path = ((struct ingest_call *)k)->rejects;
	const char *path = k->argc > 0 ? k->argv[0] : "-";
	struct ingest_stats s = { 0 };
	struct outfile rej = { 0 };
	FILE *in = stdin;
	enum status st;

	if (strcmp(path, "-") != 0 && (in = user_fopen(path, "r")) == NULL)
		return err_set(&k->e, ST_NOINPUT, "%s: %s", path, strerror(errno));
	if (rejects_path != NULL &&
	    (st = outfile_open(&rej, rejects_path, true, 0, "--rejects ", &k->e)) != ST_OK) {
		if (in != stdin)
			fclose(in);
		return st;
	}
	st = app_ingest(k->app, in, strcmp(path, "-") == 0 ? "stdin" : path, stderr, rej.f, &s, &k->e);
	if (in != stdin)
		fclose(in);
	if (rejects_path != NULL) {
		struct err we;
		err_clear(&we);
		if (outfile_commit(&rej, "--rejects ", &we) != ST_OK && st == ST_OK) {
			st = we.st;
			k->e = we;
		}
	}
	k->exit = bulk_result(k->c, st, &s, &k->e);
	return ST_OK;
}

struct import_call {
	struct cli_call k;
	struct import_opts io;
};

#define IMPORT_AT(f) offsetof(struct import_call, io.f)

static const struct opt import_flags[] = {
	OPT_STR_AT("map", "SRC=COL,...", IMPORT_AT(map), "read header column SRC as COL"),
	OPT_STR_AT("from", "TOOL", IMPORT_AT(from),
	    "the export of affiliatewp, rewardful, tapfiliate or partnerstack"),
	OPT_BOOL_AT("strict", IMPORT_AT(strict), "refuse a file with unknown columns"),
	OPT_END
};

/* What to import and the file, before the database is opened. */
static int
import_check(struct cli_call *k)
{
	const char *what = k->argv[0];
	struct err e;

	if (strcmp(what, "partners") != 0 && strcmp(what, "referrals") != 0 &&
	    strcmp(what, "deals") != 0 && strcmp(what, "conversions") != 0)
		return cli_usage(k->c, "cannot import \"%s\": partners, referrals, deals or conversions",
		    what);
	if (access(k->argv[1], R_OK) != 0) {
		err_set(&e, ST_NOINPUT, "%s: %s", k->argv[1], strerror(errno));
		return cli_fail(k->c, &e);
	}
	return 0;
}

static enum status
run_import(struct cli_call *k)
{
	struct ingest_stats s = { 0 };
	enum status st;

	st = app_import(k->app, k->argv[0], k->argv[1], &((struct import_call *)k)->io, stderr, &s,
	    &k->e);
	if (st == ST_USAGE)
		k->exit = cli_usage(k->c, "%s", k->e.msg);
	else {
		if (st == ST_DATA && s.invalid > 0)     /* all or nothing: say which */
			fprintf(stderr, "ally: %s: %s\n", k->c->what, k->e.msg);
		k->exit = bulk_result(k->c, st, &s, &k->e);
	}
	return ST_OK;
}

/* Export to a temp file beside path (the person's rights, never through a
 * link, the umask honoured), renamed into place on success. */
static int
export_to_file(struct cli *c, enum kind k, const struct list_filter *f, enum out_fmt fmt,
    const char *path)
{
	struct outfile of;
	struct err e;
	int rc;

	err_clear(&e);
	if (outfile_open(&of, path, true, 0, "", &e) != ST_OK)
		return cli_fail(c, &e);
	rc = cli_list(c, k, f, fmt, of.f);
	if (rc != 0) {
		outfile_abort(&of);
		return rc;
	}
	if (outfile_commit(&of, "", &e) != ST_OK)
		return cli_fail(c, &e);
	return 0;
}

struct export_call {
	struct cli_list l;
	const char *output;
	enum kind kind;
};

static const struct opt export_flags[] = {
	CLI_CSV("CSV with a header row (the default)"),
	CLI_JSON("one JSON object a line"),
	OPT_STR_AT("program", "PROGRAM", CLI_LIST_AT(program), "only records of this program"),
	OPT_STR_AT("partner", "PARTNER", CLI_LIST_AT(partner), "only records of this partner"),
	OPT_STR_AT("status", "STATUS", CLI_LIST_AT(status), "only records with this status"),
	OPT_STR_AT("from", "YYYY-MM-DD", CLI_LIST_AT(from), "events from this day on"),
	OPT_STR_AT("to", "YYYY-MM-DD", CLI_LIST_AT(to), "events up to this day"),
	OPT_STR_AT("output", "FILE", offsetof(struct export_call, output),
	    "write to FILE (atomically) instead of stdout"),
	OPT_END
};

/* CSV unless --json, and what to export. */
static int
export_check(struct cli_call *k)
{
	struct export_call *x = (struct export_call *)k;
	int rc;

	if ((rc = cli_format(k->c, k->csv, k->json, OUT_CSV, &k->fmt)) != 0)
		return rc;
	if (!app_table_kind(k->argv[0], &x->kind))
		return cli_usage(k->c, "cannot export \"%s\": one of %s", k->argv[0], export_kinds);
	return 0;
}

static enum status
run_export(struct cli_call *k)
{
	struct export_call *x = (struct export_call *)k;

	if (x->output != NULL && strcmp(x->output, "-") != 0)
		k->exit = export_to_file(k->c, x->kind, &x->l.f, k->fmt, x->output);
	else
		k->exit = cli_list(k->c, x->kind, &x->l.f, k->fmt, stdout);
	return ST_OK;
}

const struct cli_cmd cmd_ingest = {
	.name = "ingest", .args = "[FILE|-]", .synopsis = "[FILE|-] [--rejects FILE]",
	.summary = "Record events from JSON Lines (one object a line; - or none: stdin). "
	    "Bad lines are reported on stderr and the exit status is then 65; "
	    "running the same file twice changes nothing.",
	.flags = ingest_flags, .size = sizeof(struct ingest_call), .names_max = 1,
	.open = CLI_WRITE, .exec = run_ingest,
};

const struct cli_cmd cmd_import = {
	.name = "import", .args = "partners|referrals|deals|conversions FILE.csv",
	.synopsis = "partners|referrals|deals|conversions FILE.csv [--map SRC=COL,...] "
	    "[--from affiliatewp|rewardful|tapfiliate|partnerstack] [--strict]",
	.summary = "Import records from CSV with a header row (spreadsheets' and other "
	    "tools' files too).",
	.flags = import_flags, .size = sizeof(struct import_call), .names = 2,
	.check = import_check, .open = CLI_WRITE, .exec = run_import,
};

const struct cli_cmd cmd_export = {
	.name = "export", .args = "WHAT",
	.synopsis = "programs|partners|tiers|codes|referrals|conversions|refunds|commissions|deals|payouts|audit [options]",
	.summary = "Export records as CSV (the default) or JSON Lines.",
	.flags = export_flags, .size = sizeof(struct export_call), .names = 1,
	.check = export_check, .exec = run_export,
};

/* ---- referral and conversion lists ---- */

static const struct opt event_list_flags[] = {
	OPT_STR_AT("program", "PROGRAM", CLI_LIST_AT(program), "only this program"),
	OPT_STR_AT("partner", "PARTNER", CLI_LIST_AT(partner), "only this partner's"),
	OPT_STR_AT("status", "STATUS", CLI_LIST_AT(status), "only this status"),
	OPT_STR_AT("from", "YYYY-MM-DD", CLI_LIST_AT(from), "from this day on"),
	OPT_STR_AT("to", "YYYY-MM-DD", CLI_LIST_AT(to), "up to this day"),
	OPT_STR_AT("limit", "N", offsetof(struct cli_list, limit), "at most N, newest first"),
	CLI_LIST_FORMATS,
	OPT_END
};

#define EVENT_LIST_SYNOPSIS \
	"[--program P] [--partner P] [--status S] [--from D] [--to D] [--limit N] [--csv|--json]"

const struct cli_cmd referral_cmds[] = {
	{ .name = "list", .synopsis = EVENT_LIST_SYNOPSIS,
	  .summary = "list referrals, newest first",
	  .flags = event_list_flags, .size = sizeof(struct cli_list), .format = true,
	  .check = cli_check_limit, .kind = KIND_REFERRAL, .exec = cli_exec_list },
	{ .name = "show", .args = "ID", .synopsis = "ID [--json]",
	  .summary = "show one referral",
	  .flags = cli_show_flags, .names = 1, .kind = KIND_REFERRAL, .exec = cli_exec_show },
	{ .name = NULL }
};

const struct cli_cmd conversion_cmds[] = {
	{ .name = "list", .synopsis = EVENT_LIST_SYNOPSIS,
	  .summary = "list conversions, newest first",
	  .flags = event_list_flags, .size = sizeof(struct cli_list), .format = true,
	  .check = cli_check_limit, .kind = KIND_CONVERSION, .exec = cli_exec_list },
	{ .name = "show", .args = "ID", .synopsis = "ID [--json]",
	  .summary = "show one conversion",
	  .flags = cli_show_flags, .names = 1, .kind = KIND_CONVERSION, .exec = cli_exec_show },
	{ .name = NULL }
};
