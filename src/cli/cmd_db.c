/*
 * cmd_db.c - commands on the database as a whole: init, demo, check,
 * backup.  They call app_init/app_demo (which create the database, so no
 * app_open first: they are declared .open = CLI_NO_DB), app_check and
 * app_backup.  check keeps the older run() shape: it forks before the
 * database is opened.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/alloc.h"

#define DEMO_SIZE_DEFAULT 1000

struct init_call {
	struct cli_call k;
	struct init_input in;
};

#define INIT_AT(f) offsetof(struct init_call, in.f)

static const struct opt init_flags[] = {
	OPT_STR_AT("org", "NAME", INIT_AT(org), "organisation name"),
	OPT_STR_AT("currency", "CUR", INIT_AT(currency), "ISO 4217 currency (default EUR)"),
	OPT_STR_AT("timezone", "ZONE", INIT_AT(timezone),
	    "time zone of dates and periods, e.g. Europe/Berlin (default UTC)"),
	OPT_END
};

static enum status
run_init(struct cli_call *k)
{
	char *path = app_db_path(k->c->db);
	enum status st;

	if ((st = app_init(path, &((struct init_call *)k)->in, &k->e)) == ST_OK)
		printf("created a database in %s; you are its first admin\n", path);
	free(path);
	return st;
}

struct demo_call {
	struct cli_call k;
	const char *size_s;
	uint64_t size;
};

static const struct opt demo_flags[] = {
	OPT_STR_AT("size", "N", offsetof(struct demo_call, size_s),
	    "about how many referrals to make (default 1000)"),
	OPT_END
};

static int
demo_check(struct cli_call *k)
{
	struct demo_call *d = (struct demo_call *)k;

	d->size = DEMO_SIZE_DEFAULT;
	if (d->size_s != NULL)
		return cli_number(k->c, "--size", d->size_s, &d->size);
	return 0;
}

static enum status
run_demo(struct cli_call *k)
{
	char *path = app_db_path(k->c->db);
	struct demo_stats ds = { 0 };
	enum status st;

	if ((st = app_demo(path, ((struct demo_call *)k)->size, &ds, &k->e)) == ST_OK)
		printf("created a demo database in %s: %llu programs, %llu partners, "
		    "%llu referrals, %llu conversions in %.2f s\n", path,
		    (unsigned long long)ds.programs, (unsigned long long)ds.partners,
		    (unsigned long long)ds.referrals, (unsigned long long)ds.conversions,
		    ds.seconds);
	free(path);
	return st;
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

static enum status
run_backup(struct cli_call *k)
{
	enum status st;

	if ((st = app_backup(k->app, k->argv[0], &k->e)) == ST_OK)
		printf("wrote %s\n", k->argv[0]);
	return st;
}

const struct cli_cmd cmd_init = {
	.name = "init", .synopsis = "[--org NAME] [--currency CUR] [--timezone ZONE]",
	.summary = "Create a database; the account running this becomes its first admin.",
	.flags = init_flags, .size = sizeof(struct init_call), .open = CLI_NO_DB,
	.exec = run_init,
};

const struct cli_cmd cmd_demo = {
	.name = "demo", .synopsis = "[--size N]",
	.summary = "Create a database filled with realistic sample data.",
	.flags = demo_flags, .size = sizeof(struct demo_call), .check = demo_check,
	.open = CLI_NO_DB, .exec = run_demo,
};

/* Not declared: it forks before it opens the database (run_check). */
const struct cli_cmd cmd_check = {
	.name = "check", .synopsis = "",
	.summary = "Verify every record and index; exit status 65 when anything is wrong.",
	.run = run_check,
};

const struct cli_cmd cmd_backup = {
	.name = "backup", .args = "FILE", .synopsis = "FILE",
	.summary = "Write a compact copy of the database to FILE, while it is in use (admins: it holds everything).",
	.names = 1, .exec = run_backup,
};
