/*
 * cmd_db.c - commands on the database as a whole: init, demo, check,
 * backup.  They call app_init/app_demo (which create the database, so no
 * app_open first), app_check and app_backup.
 */
#include "config.h"

#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/alloc.h"

#define DEMO_SIZE_DEFAULT 1000

static int
run_init(struct cli *c, int argc, char **argv)
{
	struct init_input in = { 0 };
	const struct opt tab[] = {
		OPT_STR("org", "NAME", &in.org, "organisation name"),
		OPT_STR("currency", "CUR", &in.currency, "ISO 4217 currency (default EUR)"),
		OPT_STR("timezone", "ZONE", &in.timezone,
		    "time zone of dates and periods, e.g. Europe/Berlin (default UTC)"),
		OPT_END
	};
	struct opts o;
	struct err e;
	char *path;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 0, 0, argc, argv)) >= 0)
		return rc;
	err_clear(&e);
	path = app_db_path(c->db);
	if (app_init(path, &in, &e) != ST_OK) {
		free(path);
		return cli_fail(c, &e);
	}
	printf("created a database in %s; you are its first admin\n", path);
	free(path);
	return 0;
}

static int
run_demo(struct cli *c, int argc, char **argv)
{
	const char *size_s = NULL;
	const struct opt tab[] = {
		OPT_STR("size", "N", &size_s, "about how many referrals to make (default 1000)"),
		OPT_END
	};
	struct demo_stats st = { 0 };
	uint64_t size = DEMO_SIZE_DEFAULT;
	struct opts o;
	struct err e;
	char *path;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 0, 0, argc, argv)) >= 0)
		return rc;
	if (size_s != NULL && (rc = cli_number(c, "--size", size_s, &size)) != 0)
		return rc;
	err_clear(&e);
	path = app_db_path(c->db);
	if (app_demo(path, size, &st, &e) != ST_OK) {
		free(path);
		return cli_fail(c, &e);
	}
	printf("created a demo database in %s: %llu programs, %llu partners, "
	    "%llu referrals, %llu conversions in %.2f s\n", path,
	    (unsigned long long)st.programs, (unsigned long long)st.partners,
	    (unsigned long long)st.referrals, (unsigned long long)st.conversions,
	    st.seconds);
	free(path);
	return 0;
}

static int
run_check(struct cli *c, int argc, char **argv)
{
	const struct opt tab[] = { OPT_END };
	uint64_t problems = 0;
	struct opts o;
	struct err e;
	enum status st;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 0, 0, argc, argv)) >= 0)
		return rc;
	/*
	 * LMDB 0.9 trusts the pages it reads: a damaged data file can crash
	 * the reader.  Check in a child (forked before the database is
	 * opened, so no environment crosses the fork) and turn a crash into
	 * a verdict.
	 */
	fflush(NULL);
	{
		pid_t pid = fork();
		int ws;
		if (pid > 0) {
			while (waitpid(pid, &ws, 0) < 0)
				;
			if (WIFEXITED(ws))
				return WEXITSTATUS(ws);
			fprintf(stderr, "ally: check: the data file is damaged: reading it crashed "
			    "(signal %d); restore it from a backup\n", WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
			return status_exit(ST_DATA);
		}
		/* pid 0: the child goes on; -1: no child, check in this process */
	}
	if ((rc = cli_open(c, APP_RDONLY)) != 0)
		return rc;
	err_clear(&e);
	st = app_check(c->app, stdout, &problems, &e);
	if (st == ST_DATA || problems > 0) {
		fflush(stdout);
		fprintf(stderr, "ally: check: %llu problem%s found\n",
		    (unsigned long long)problems, problems == 1 ? "" : "s");
		return status_exit(ST_DATA);
	}
	if (st != ST_OK)
		return cli_fail(c, &e);
	printf("ok: no problems found\n");
	return 0;
}

static int
run_backup(struct cli *c, int argc, char **argv)
{
	const struct opt tab[] = { OPT_END };
	struct opts o;
	struct err e;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 1, 1, argc, argv)) >= 0)
		return rc;
	if ((rc = cli_open(c, APP_RDONLY)) != 0)
		return rc;
	err_clear(&e);
	if (app_backup(c->app, o.argv[0], &e) != ST_OK)
		return cli_fail(c, &e);
	printf("wrote %s\n", o.argv[0]);
	return 0;
}

const struct cli_cmd cmd_init = {
	.name = "init", .synopsis = "[--org NAME] [--currency CUR] [--timezone ZONE]",
	.summary = "Create a database; the account running this becomes its first admin.",
	.run = run_init,
};

const struct cli_cmd cmd_demo = {
	.name = "demo", .synopsis = "[--size N]",
	.summary = "Create a database filled with realistic sample data.",
	.run = run_demo,
};

const struct cli_cmd cmd_check = {
	.name = "check", .synopsis = "",
	.summary = "Verify every record and index; exit status 65 when anything is wrong.",
	.run = run_check,
};

const struct cli_cmd cmd_backup = {
	.name = "backup", .args = "FILE", .synopsis = "FILE",
	.summary = "Write a compact copy of the database to FILE, while it is in use (admins: it holds everything).",
	.run = run_backup,
};
