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

static int
run_ingest(struct cli *c, int argc, char **argv)
{
	const char *rejects_path = NULL;
	const struct opt tab[] = {
		OPT_STR("rejects", "FILE", &rejects_path, "also write each invalid line to FILE"),
		OPT_END
	};
	struct ingest_stats s = { 0 };
	const char *path = "-";
	FILE *in = stdin;
	struct outfile rej = { 0 };
	struct opts o;
	struct err e;
	enum status st;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 0, 1, argc, argv)) >= 0)
		return rc;
	if (o.argc > 0)
		path = o.argv[0];
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	err_clear(&e);
	if (strcmp(path, "-") != 0 && (in = user_fopen(path, "r")) == NULL) {
		err_set(&e, ST_NOINPUT, "%s: %s", path, strerror(errno));
		return cli_fail(c, &e);
	}
	if (rejects_path != NULL && outfile_open(&rej, rejects_path, true, 0, "--rejects ", &e) != ST_OK) {
		if (in != stdin)
			fclose(in);
		return cli_fail(c, &e);
	}
	st = app_ingest(c->app, in, strcmp(path, "-") == 0 ? "stdin" : path, stderr, rej.f, &s, &e);
	if (in != stdin)
		fclose(in);
	if (rejects_path != NULL) {
		struct err we;
		err_clear(&we);
		if (outfile_commit(&rej, "--rejects ", &we) != ST_OK && st == ST_OK) {
			st = we.st;
			e = we;
		}
	}
	return bulk_result(c, st, &s, &e);
}

static int
run_import(struct cli *c, int argc, char **argv)
{
	struct import_opts io = { 0 };
	const struct opt tab[] = {
		OPT_STR("map", "SRC=COL,...", &io.map, "read header column SRC as COL"),
		OPT_STR("from", "TOOL", &io.from,
		    "the export of affiliatewp, rewardful, tapfiliate or partnerstack"),
		OPT_BOOL("strict", &io.strict, "refuse a file with unknown columns"),
		OPT_END
	};
	struct ingest_stats s = { 0 };
	struct opts o;
	struct err e;
	enum status st;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 2, 2, argc, argv)) >= 0)
		return rc;
	if (strcmp(o.argv[0], "partners") != 0 && strcmp(o.argv[0], "referrals") != 0 &&
	    strcmp(o.argv[0], "deals") != 0 && strcmp(o.argv[0], "conversions") != 0)
		return cli_usage(c, "cannot import \"%s\": partners, referrals, deals or conversions",
		    o.argv[0]);
	if (access(o.argv[1], R_OK) != 0) {
		err_set(&e, ST_NOINPUT, "%s: %s", o.argv[1], strerror(errno));
		return cli_fail(c, &e);
	}
	if ((rc = cli_open(c, 0)) != 0)
		return rc;
	err_clear(&e);
	st = app_import(c->app, o.argv[0], o.argv[1], &io, stderr, &s, &e);
	if (st == ST_USAGE)
		return cli_usage(c, "%s", e.msg);
	if (st == ST_DATA && s.invalid > 0)     /* all or nothing: say which */
		fprintf(stderr, "ally: %s: %s\n", c->what, e.msg);
	return bulk_result(c, st, &s, &e);
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

static int
run_export(struct cli *c, int argc, char **argv)
{
	struct list_filter f = { 0 };
	const char *output = NULL;
	bool csv = false, json = false;
	const struct opt tab[] = {
		OPT_BOOL("csv", &csv, "CSV with a header row (the default)"),
		OPT_BOOL("json", &json, "one JSON object a line"),
		OPT_STR("program", "PROGRAM", &f.program, "only records of this program"),
		OPT_STR("partner", "PARTNER", &f.partner, "only records of this partner"),
		OPT_STR("status", "STATUS", &f.status, "only records with this status"),
		OPT_STR("from", "YYYY-MM-DD", &f.from, "events from this day on"),
		OPT_STR("to", "YYYY-MM-DD", &f.to, "events up to this day"),
		OPT_STR("output", "FILE", &output, "write to FILE (atomically) instead of stdout"),
		OPT_END
	};
	enum out_fmt fmt;
	struct opts o;
	enum kind k;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 1, 1, argc, argv)) >= 0 ||
	    (rc = cli_format(c, csv, json, OUT_CSV, &fmt)) != 0)
		return rc;

	if (!app_table_kind(o.argv[0], &k))
		return cli_usage(c, "cannot export \"%s\": one of %s", o.argv[0], export_kinds);
	if ((rc = cli_open(c, APP_RDONLY)) != 0)
		return rc;
	if (output != NULL && strcmp(output, "-") != 0)
		return export_to_file(c, k, &f, fmt, output);
	return cli_list(c, k, &f, fmt, stdout);
}

const struct cli_cmd cmd_ingest = {
	.name = "ingest", .args = "[FILE|-]", .synopsis = "[FILE|-] [--rejects FILE]",
	.summary = "Record events from JSON Lines (one object a line; - or none: stdin). "
	    "Bad lines are reported on stderr and the exit status is then 65; "
	    "running the same file twice changes nothing.",
	.run = run_ingest,
};

const struct cli_cmd cmd_import = {
	.name = "import", .args = "partners|referrals|deals|conversions FILE.csv",
	.synopsis = "partners|referrals|deals|conversions FILE.csv [--map SRC=COL,...] "
	    "[--from affiliatewp|rewardful|tapfiliate|partnerstack] [--strict]",
	.summary = "Import records from CSV with a header row (spreadsheets' and other "
	    "tools' files too).",
	.run = run_import,
};

const struct cli_cmd cmd_export = {
	.name = "export", .args = "WHAT",
	.synopsis = "programs|partners|tiers|codes|referrals|conversions|refunds|commissions|deals|payouts|audit [options]",
	.summary = "Export records as CSV (the default) or JSON Lines.",
	.run = run_export,
};

/* ---- referral and conversion lists ---- */

static int
event_list(struct cli *c, enum kind k, int argc, char **argv)
{
	struct list_filter f = { 0 };
	const char *limit = NULL;
	bool csv = false, json = false;
	const struct opt tab[] = {
		OPT_STR("program", "PROGRAM", &f.program, "only this program"),
		OPT_STR("partner", "PARTNER", &f.partner, "only this partner's"),
		OPT_STR("status", "STATUS", &f.status, "only this status"),
		OPT_STR("from", "YYYY-MM-DD", &f.from, "from this day on"),
		OPT_STR("to", "YYYY-MM-DD", &f.to, "up to this day"),
		OPT_STR("limit", "N", &limit, "at most N, newest first"),
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
	if (limit != NULL && (rc = cli_number(c, "--limit", limit, &f.limit)) != 0)
		return rc;
	if ((rc = cli_open(c, APP_RDONLY)) != 0)
		return rc;
	return cli_list(c, k, &f, fmt, stdout);
}

static int
referral_list(struct cli *c, int argc, char **argv)
{
	return event_list(c, KIND_REFERRAL, argc, argv);
}

static int
referral_show(struct cli *c, int argc, char **argv)
{
	return cli_show_cmd(c, KIND_REFERRAL, argc, argv);
}

static int
conversion_list(struct cli *c, int argc, char **argv)
{
	return event_list(c, KIND_CONVERSION, argc, argv);
}

static int
conversion_show(struct cli *c, int argc, char **argv)
{
	return cli_show_cmd(c, KIND_CONVERSION, argc, argv);
}

#define EVENT_LIST_SYNOPSIS \
	"[--program P] [--partner P] [--status S] [--from D] [--to D] [--limit N] [--csv|--json]"

const struct cli_cmd referral_cmds[] = {
	{ .name = "list", .synopsis = EVENT_LIST_SYNOPSIS,
	  .summary = "list referrals, newest first", .run = referral_list },
	{ .name = "show", .args = "ID", .synopsis = "ID [--json]",
	  .summary = "show one referral", .run = referral_show },
	{ .name = NULL }
};

const struct cli_cmd conversion_cmds[] = {
	{ .name = "list", .synopsis = EVENT_LIST_SYNOPSIS,
	  .summary = "list conversions, newest first", .run = conversion_list },
	{ .name = "show", .args = "ID", .synopsis = "ID [--json]",
	  .summary = "show one conversion", .run = conversion_show },
	{ .name = NULL }
};
