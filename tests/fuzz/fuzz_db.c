/* fuzz_db.c - the database the ingest and CSV targets write into: set up
 * once through the real command line (cli_main), then opened with
 * app_open and kept open across inputs. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "app/app.h"
#include "cli/cli.h"
#include "fuzz.h"

static struct app *app;

/* Run "ally --db DB WORDS..." (words: NULL-terminated); abort on failure. */
static void
run(const char *db, const char *const *words)
{
	const char *argv[24] = { "ally", "--db", db };
	int argc = 3;

	while (*words != NULL && argc < 23)
		argv[argc++] = *words++;
	argv[argc] = NULL;
	if (cli_main(argc, (char **)argv) != 0) {
		fprintf(stderr, "fuzz: setting up the database failed at \"%s %s\"\n", argv[3],
		    argc > 4 ? argv[4] : "");
		abort();
	}
}

static void
close_app(void)
{
	app_close(app);
}

struct app *
fuzz_app(void)
{
	static char db[300];
	struct err e;

	if (app != NULL)
		return app;
	setenv("ALLY_NOW", "2026-10-15T12:00:00Z", 1);
	setenv("TZ", "UTC", 1);
	snprintf(db, sizeof db, "%s/db", fuzz_tmpdir());
	run(db, (const char *const[]){ "init", NULL });
	run(db, (const char *const[]){ "program", "add", "Spring", "--rule", "percent 10", "--events",
	    "purchase", "--activate", NULL });
	run(db, (const char *const[]){ "partner", "add", "Acme", "--email", "ann@acme.example", NULL });
	run(db, (const char *const[]){ "code", "new", "--program", "Spring", "--partner", "Acme",
	    "--vanity", "ACME", NULL });
	err_clear(&e);
	if (app_open(db, 0, &app, &e) != ST_OK) {
		fprintf(stderr, "fuzz: app_open: %s\n", e.msg);
		abort();
	}
	atexit(close_app);
	return app;
}
