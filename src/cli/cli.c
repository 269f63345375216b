/*
 * cli.c - ally's command line: global options, the table of command
 * groups, dispatch to a subcommand, help, and the helpers every cmd_*.c
 * shares (opening the database, resolving names, listing and showing).
 *
 * Calls app/ only.  Everything a command prints for scripts goes to
 * stdout; errors are one line on stderr, "ally: WORDS: why", with the exit
 * status of sysexits.h that status_exit() gives.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/conf.h"
#include "cli/cli.h"
#include "core/priv.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/str.h"
#include "core/utf8.h"
#include "ui/ui.h"

#define EXIT_USAGE 64
#define EXIT_IOERR 74

/* The portal reads no ALLY_NOW: it runs before the clock is set up. */
static const struct cli_cmd cmd_portal = {
	.name = "portal", .args = "[COMMAND]", .synopsis = "[COMMAND]",
	.summary = "the partner portal: log in, then the portal screens or one command",
	.run = cli_portal,
};

static const struct cli_cmd help_cmd = {
	.name = "help", .args = "[COMMAND [SUBCOMMAND]]",
	.synopsis = "[COMMAND [SUBCOMMAND]]",
	.summary = "show the usage of ally or of one command",
};

const struct cli_group cli_groups[] = {
	{ .name = "init", .summary = "create a database", .cmd = &cmd_init },
	{ .name = "demo", .summary = "create a database filled with sample data", .cmd = &cmd_demo },
	{ .name = "program", .summary = "referral programs", .subs = program_cmds },
	{ .name = "tier", .summary = "partner tiers", .subs = tier_cmds },
	{ .name = "partner", .summary = "partners and their agreements", .subs = partner_cmds },
	{ .name = "code", .summary = "referral codes and links", .subs = code_cmds },
	{ .name = "track", .summary = "record one referral, conversion or refund", .subs = track_cmds },
	{ .name = "ingest", .summary = "record many events from JSON Lines", .cmd = &cmd_ingest },
	{ .name = "import", .summary = "import partners, referrals, deals or conversions from CSV", .cmd = &cmd_import },
	{ .name = "export", .summary = "export records as CSV or JSON Lines", .cmd = &cmd_export },
	{ .name = "referral", .summary = "referrals", .subs = referral_cmds },
	{ .name = "conversion", .summary = "conversions", .subs = conversion_cmds },
	{ .name = "referrer", .summary = "find a referrer by any word; one referrer's history", .subs = referrer_cmds },
	{ .name = "mail", .summary = "the outbox: deliver, list and retry mail", .subs = mail_cmds },
	{ .name = "webhook", .summary = "tell other systems about changes by signed HTTP POSTs", .subs = webhook_cmds },
	{ .name = "events", .summary = "the change log as it happens, for other systems to follow",
	  .cmd = &cmd_events },
	{ .name = "deal", .summary = "deal registrations and the pipeline", .subs = deal_cmds },
	{ .name = "commission", .summary = "the commission ledger", .subs = commission_cmds },
	{ .name = "reward", .summary = "referee rewards of two-sided programs", .subs = reward_cmds },
	{ .name = "report", .summary = "analytics figures", .cmd = &cmd_report },
	{ .name = "whatif", .summary = "what a rule change would cost, writing nothing", .cmd = &cmd_whatif },
	{ .name = "payout", .summary = "payout batches", .subs = payout_cmds },
	{ .name = "statement", .summary = "a partner's monthly statement", .cmd = &cmd_statement },
	{ .name = "period", .summary = "closing months", .subs = period_cmds },
	{ .name = "audit", .summary = "the audit log", .subs = audit_cmds },
	{ .name = "user", .summary = "staff and partner accounts", .subs = user_cmds },
	{ .name = "settings", .summary = "the organisation's settings", .subs = settings_cmds },
	{ .name = "portal", .summary = "the partner portal (run by sshd for the portal account)",
	  .cmd = &cmd_portal },
	{ .name = "check", .summary = "verify the database", .cmd = &cmd_check },
	{ .name = "backup", .summary = "write a compact copy of the database", .cmd = &cmd_backup },
	{ .name = "help", .summary = "show the usage of a command", .cmd = &help_cmd },
	{ .name = NULL }
};

/* ---- messages ---- */

int
cli_fail(struct cli *c, const struct err *e)
{
	/* the message may quote what a user typed: never raw to a terminal */
	char *msg = str_visible(e->msg[0] != '\0' ? e->msg : status_str(e->st));

	fprintf(stderr, "ally: %s: %s\n", c->what, msg);
	free(msg);
	return e->st == ST_OK ? 70 : status_exit(e->st);
}

int
cli_usage(struct cli *c, const char *fmt, ...)
{
	char msg[512], *vis;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	vis = str_visible(msg);
	fprintf(stderr, "ally: %s: %s (see ally %s --help)\n", c->what, vis, c->what);
	free(vis);
	return EXIT_USAGE;
}

/* "ally: PRE ARG POST (see ally --help)", ARG made visible. */
static int
top_usage(const char *pre, const char *arg, const char *post)
{
	char *vis = str_visible_cut(arg, 40);

	fprintf(stderr, "ally: %s%s%s (see ally --help)\n", pre, vis, post);
	free(vis);
	return EXIT_USAGE;
}

/* ---- help ---- */

/* "  LEFT  RIGHT", RIGHT starting at column col + 2 and wrapped at word
 * boundaries to stay within 79 columns (a flag's help line, shifted). */
static void
two_cols(const char *left, const char *right, size_t col)
{
	opts_help_line(left, right, col + 2);
}

/* A summary as a sentence: capital first letter, full stop. */
static void
print_sentence(const char *s)
{
	size_t n = strlen(s);

	if (n == 0)
		return;
	printf("%c%s%s\n", s[0] >= 'a' && s[0] <= 'z' ? s[0] - 'a' + 'A' : s[0], s + 1,
	    s[n - 1] == '.' ? "" : ".");
}

static void
help_overview(void)
{
	const struct cli_group *g;
	const struct cli_cmd *s;
	struct sbuf b;

	printf("usage: ally [--db DIR] [--config FILE] COMMAND [ARGS...]\n\n"
	    "ally runs customer referral programs and partner relationships.\n"
	    "With no command, on a terminal, it opens the full-screen interface.\n\n"
	    "commands:\n");
	sbuf_init(&b);
	for (g = cli_groups; g->name != NULL; g++) {
		sbuf_reset(&b);
		sbuf_add(&b, g->summary);
		if (g->subs != NULL) {
			sbuf_add(&b, ": ");
			for (s = g->subs; s->name != NULL; s++)
				sbuf_addf(&b, "%s%s", s == g->subs ? "" : ", ", s->name);
		}
		two_cols(g->name, sbuf_str(&b), 14);
	}
	sbuf_free(&b);
	printf("\nglobal options:\n");
	two_cols("--db DIR", "database directory (else $ALLY_DB, else $XDG_DATA_HOME/ally)", 16);
	two_cols("--config FILE", "configuration file (else $XDG_CONFIG_HOME/ally/ally.conf)", 16);
	two_cols("-h, --help", "this help; ally COMMAND --help for one command", 16);
	two_cols("--version", "print the version", 16);
	printf("\nRules, TIME and AMOUNT formats and exit statuses: see ally(1).\n");
}

static void
help_group(const struct cli_group *g)
{
	const struct cli_cmd *s;
	size_t col = 0;

	printf("usage: ally %s SUBCOMMAND [ARGS...]\n\n", g->name);
	print_sentence(g->summary);
	printf("\nsubcommands:\n");
	for (s = g->subs; s->name != NULL; s++) {
		size_t w = utf8_width(s->name) + 1 + utf8_width(s->synopsis);

		if (w + 3 > col && w + 3 <= 40)
			col = w + 3;
	}
	for (s = g->subs; s->name != NULL; s++) {
		char *left = xasprintf("%s %s", s->name, s->synopsis);

		two_cols(left, s->summary, col);
		free(left);
	}
	printf("\nally %s SUBCOMMAND --help shows a subcommand's options.\n", g->name);
}

static const struct cli_group *
group_find(const char *name)
{
	const struct cli_group *g;

	for (g = cli_groups; g->name != NULL; g++) {
		if (strcmp(g->name, name) == 0)
			return g;
	}
	return NULL;
}

static const struct cli_cmd *
sub_find(const struct cli_group *g, const char *name)
{
	const struct cli_cmd *s;

	for (s = g->subs; s->name != NULL; s++) {
		if (strcmp(s->name, name) == 0)
			return s;
	}
	return NULL;
}

/* ---- helpers for cmd_*.c ---- */

static int
parse_into(struct cli *c, struct opts *o, const struct opt *tab, void *base, int min_args,
    int max_args, int argc, char **argv)
{
	memset(o, 0, sizeof *o);
	o->what = c->what;
	o->args = c->cmd->args;
	o->synopsis = c->cmd->synopsis;
	o->summary = c->cmd->summary;
	o->tab = tab;
	o->base = base;
	o->min_args = min_args;
	o->max_args = max_args;
	o->db = &c->db;
	o->config = &c->config;
	return opts_parse(o, argc, argv);
}

int
cli_parse(struct cli *c, struct opts *o, const struct opt *tab, int min_args,
    int max_args, int argc, char **argv)
{
	return parse_into(c, o, tab, NULL, min_args, max_args, argc, argv);
}

int
cli_open(struct cli *c, int flags)
{
	struct err e;
	char *path;
	enum status st;

	if (c->app != NULL)
		return 0;
	err_clear(&e);
	path = app_db_path(c->db);
	st = app_open(path, flags, &c->app, &e);
	free(path);
	if (st != ST_OK) {
		c->app = NULL;
		if (e.st == ST_OK)
			e.st = st;
		return cli_fail(c, &e);
	}
	return 0;
}

int
cli_resolve(struct cli *c, enum kind k, const char *ref, uint64_t *id)
{
	struct err e;
	enum status st;

	err_clear(&e);
	st = app_resolve_ref(c->app, k, ref, id, &e);
	if (st != ST_OK) {
		if (e.st == ST_OK)
			e.st = st;
		return cli_fail(c, &e);
	}
	return 0;
}

int
cli_format(struct cli *c, bool csv, bool json, enum out_fmt dflt, enum out_fmt *fmt)
{
	if (!out_pick(csv, json, dflt, fmt))
		return cli_usage(c, "--csv and --json exclude each other");
	return 0;
}

/* Records of kind k to fp; on failure e says why (its status set). */
static enum status
list_rows(struct app *a, enum kind k, const struct list_filter *f, enum out_fmt fmt,
    FILE *fp, struct err *e)
{
	struct out o;
	enum status st;

	out_init(&o, fmt, fp);
	st = app_list(a, k, f, out_row, &o, e);
	if (st == ST_OK && o.rows == 0 && fmt == OUT_CSV)       /* the header always */
		st = app_list_columns(a, k, out_header, &o, e);
	out_finish(&o);
	if (st != ST_OK) {
		if (e->st == ST_OK)
			e->st = st;
		return st;
	}
	if (o.rows == 0 && fmt == OUT_TABLE && isatty(fileno(fp)))
		fprintf(fp, "no %ss\n", kind_name(k));
	return ST_OK;
}

/* One record to stdout; on failure e says why (its status set). */
static enum status
show_row(struct app *a, enum kind k, const char *ref, enum out_fmt fmt, struct err *e)
{
	struct out o;
	enum status st;

	out_init(&o, fmt, stdout);
	st = app_show(a, k, ref, out_row, &o, e);
	out_finish(&o);
	if (st != ST_OK && e->st == ST_OK)
		e->st = st;
	return st;
}

int
cli_list(struct cli *c, enum kind k, const struct list_filter *f, enum out_fmt fmt,
    FILE *fp)
{
	struct err e;

	err_clear(&e);
	return list_rows(c->app, k, f, fmt, fp, &e) != ST_OK ? cli_fail(c, &e) : 0;
}

int
cli_show(struct cli *c, enum kind k, const char *ref, enum out_fmt fmt)
{
	struct err e;

	err_clear(&e);
	return show_row(c->app, k, ref, fmt, &e) != ST_OK ? cli_fail(c, &e) : 0;
}

int
cli_show_cmd(struct cli *c, enum kind k, int argc, char **argv)
{
	bool json = false;
	const struct opt tab[] = {
		OPT_BOOL("json", &json, "print as one JSON object"),
		OPT_END
	};
	struct opts o;
	int rc;

	if ((rc = cli_parse(c, &o, tab, 1, 1, argc, argv)) >= 0 ||
	    (rc = cli_open(c, APP_RDONLY)) != 0)
		return rc;
	return cli_show(c, k, o.argv[0], json ? OUT_JSON : OUT_VIEW);
}

const struct opt cli_list_flags[] = {
	CLI_LIST_FORMATS,
	OPT_END
};

const struct opt cli_show_flags[] = {
	CLI_JSON("print as one JSON object"),
	OPT_END
};

enum status
cli_exec_show(struct cli_call *k)
{
	return show_row(k->app, k->cmd->kind, k->argv[0], k->json ? OUT_JSON : OUT_VIEW, &k->e);
}

int
cli_check_limit(struct cli_call *k)
{
	struct cli_list *l = (struct cli_list *)k;

	if (l->limit != NULL)
		return cli_number(k->c, "--limit", l->limit, &l->f.limit);
	return 0;
}

enum status
cli_exec_list(struct cli_call *k)
{
	struct cli_list *l = (struct cli_list *)k;

	return list_rows(k->app, k->cmd->kind, &l->f, k->fmt, stdout, &k->e);
}

struct saved_ctx {
	bool json, done;
};

static const char *
first_text(const struct row *r, const char *const *names)
{
	const struct cell *cl;

	for (; *names != NULL; names++) {
		if ((cl = out_cell_find(r, *names)) != NULL && cl->type == CELL_STR &&
		    !str_empty(cl->s))
			return cl->s;
	}
	return NULL;
}

static enum status
saved_row(void *ctx, const struct row *r)
{
	static const char *const id_names[] = { "id", NULL };
	static const char *const name_names[] = { "name", "login", "code", "title", NULL };
	static const char *const status_names[] = { "status", "role", NULL };
	struct saved_ctx *sc = ctx;
	const char *id, *name, *stat;
	char *vis;

	if (sc->json) {
		out_json_line(stdout, out_row_json(r));
		sc->done = true;
		return ST_OK;
	}
	id = first_text(r, id_names);
	name = first_text(r, name_names);
	stat = first_text(r, status_names);
	if (id == NULL)
		return ST_OK;
	vis = str_visible(name != NULL ? name : "");
	printf("%s%s%s", id, name != NULL ? " " : "", vis);
	if (stat != NULL)
		printf(" (%s)", stat);
	putchar('\n');
	free(vis);
	sc->done = true;
	return ST_OK;
}

int
cli_saved(struct cli *c, enum kind k, uint64_t id, bool json)
{
	struct saved_ctx sc = { .json = json };
	char idbuf[24];
	struct err e;

	err_clear(&e);
	app_id_str(k, id, idbuf);
	if (app_show(c->app, k, idbuf, saved_row, &sc, &e) != ST_OK || !sc.done) {
		/* The change is committed; only the echo failed. */
		if (json)
			printf("{\"id\":\"%s\"}\n", idbuf);
		else
			printf("%s\n", idbuf);
	}
	return 0;
}

int
cli_number(struct cli *c, const char *flag, const char *s, uint64_t *v)
{
	char *end;
	unsigned long long n;

	if (s == NULL || *s < '0' || *s > '9')
		return cli_usage(c, "%s: expected a whole number", flag);
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return cli_usage(c, "%s: expected a whole number", flag);
	*v = n;
	return 0;
}

/* ---- running a declared command ---- */

static const struct opt no_flags[] = { OPT_END };

/* A zeroed call of the command's .size.  A flag bound outside it is a
 * mistake in the declaration: stop before writing there. */
static struct cli_call *
call_new(struct cli *c, const struct cli_cmd *cmd)
{
	size_t size = cmd->size > sizeof(struct cli_call) ? cmd->size : sizeof(struct cli_call);
	const struct opt *op;
	struct cli_call *k;

	for (op = cmd->flags; op != NULL && op->name != NULL; op++) {
		if (op->str == NULL && op->flag == NULL && op->list == NULL &&
		    op->off + opt_size(op) > size) {
			fprintf(stderr, "ally: %s: --%s is bound outside the command's input\n",
			    c->what, op->name);
			abort();
		}
	}
	k = xcalloc(1, size);
	k->c = c;
	k->cmd = cmd;
	return k;
}

/* Parse, pick the format, check, read the configuration, open, resolve:
 * -1 to go on to exec, else the exit status (reported). */
static int
call_prepare(struct cli_call *k, struct opts *o, int argc, char **argv)
{
	const struct cli_cmd *cmd = k->cmd;
	struct cli *c = k->c;
	int rc, max = cmd->names_max != 0 ? cmd->names_max : cmd->names;

	if ((rc = parse_into(c, o, cmd->flags != NULL ? cmd->flags : no_flags, k, cmd->names, max,
	    argc, argv)) >= 0)
		return rc;
	k->argv = o->argv;
	k->argc = o->argc;
	if (cmd->format && (rc = cli_format(c, k->csv, k->json, OUT_TABLE, &k->fmt)) != 0)
		return rc;
	if (cmd->check != NULL && (rc = cmd->check(k)) != 0)
		return rc;
	if (cmd->config) {
		struct config *cfg = xcalloc(1, sizeof *cfg);

		if ((rc = cli_config(c, cfg)) != 0) {
			free(cfg);
			return rc;
		}
		k->cfg = cfg;
	}
	if (cmd->open != CLI_NO_DB) {
		if ((rc = cli_open(c, cmd->open == CLI_WRITE ? 0 : APP_RDONLY)) != 0)
			return rc;
		k->app = c->app;
	}
	if (cmd->target && (rc = cli_resolve(c, cmd->kind, k->argv[0], &k->id)) != 0)
		return rc;
	return -1;
}

static int
call_run(struct cli *c, const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_call *k = call_new(c, cmd);
	struct opts o;
	int rc;

	if ((rc = call_prepare(k, &o, argc, argv)) < 0) {
		err_clear(&k->e);
		if (cmd->exec(k) != ST_OK)
			rc = cli_fail(c, &k->e);
		else {
			if (cmd->echo)
				cli_saved(c, cmd->kind, k->id, k->json);
			rc = k->exit;
		}
	}
	if (k->cfg != NULL) {
		config_free(k->cfg);
		free(k->cfg);
	}
	opts_done(&o);
	free(k);
	return rc;
}

/* ---- dispatch ---- */

int
cli_run(struct cli *c, const char *words, const struct cli_cmd *cmd, int argc, char **argv)
{
	snprintf(c->what, sizeof c->what, "%s", words);
	c->cmd = cmd;
	if (cmd->run != NULL)
		return cmd->run(c, argc, argv);
	return call_run(c, cmd, argc, argv);
}

/* ally help [COMMAND [SUBCOMMAND]] */
static int
run_help(struct cli *c, int argc, char **argv)
{
	const struct cli_group *g;
	const struct cli_cmd *s;
	char *hargv[3];
	char words[128];

	if (argc <= 1 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		help_overview();
		return 0;
	}
	if ((g = group_find(argv[1])) == NULL || g->cmd == &help_cmd) {
		if (g != NULL) {
			help_overview();
			return 0;
		}
		return top_usage("", argv[1], ": unknown command");
	}
	if (g->cmd != NULL || argc == 2) {
		if (g->subs != NULL) {
			help_group(g);
			return 0;
		}
		hargv[0] = argv[1];
		hargv[1] = (char *)"--help";
		hargv[2] = NULL;
		return cli_run(c, g->name, g->cmd, 2, hargv);
	}
	snprintf(words, sizeof words, "%s %s", g->name, argv[2]);
	if ((s = sub_find(g, argv[2])) == NULL) {
		snprintf(c->what, sizeof c->what, "%s", words);
		fprintf(stderr, "ally: %s: unknown subcommand (see ally %s --help)\n",
		    c->what, g->name);
		return EXIT_USAGE;
	}
	hargv[0] = argv[2];
	hargv[1] = (char *)"--help";
	hargv[2] = NULL;
	return cli_run(c, words, s, 2, hargv);
}

static int
dispatch(struct cli *c, int argc, char **argv)
{
	const struct cli_group *g;
	const struct cli_cmd *s;
	char words[128];
	char *vis;

	if ((g = group_find(argv[0])) == NULL)
		return top_usage("", argv[0], ": unknown command");
	if (g->cmd == &help_cmd)
		return run_help(c, argc, argv);
	if (g->cmd != NULL)
		return cli_run(c, g->name, g->cmd, argc, argv);
	snprintf(c->what, sizeof c->what, "%s", g->name);
	if (argc < 2) {
		fprintf(stderr, "ally: %s: missing subcommand (see ally %s --help)\n",
		    g->name, g->name);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		help_group(g);
		return 0;
	}
	if ((s = sub_find(g, argv[1])) == NULL) {
		vis = str_visible_cut(argv[1], 40);
		fprintf(stderr, "ally: %s %s: unknown subcommand (see ally %s --help)\n",
		    g->name, vis, g->name);
		free(vis);
		return EXIT_USAGE;
	}
	snprintf(words, sizeof words, "%s %s", g->name, s->name);
	return cli_run(c, words, s, argc - 1, argv + 1);
}

/* The value of --NAME VALUE or --NAME=VALUE at argv[*i]; NULL if absent. */
static const char *
global_value(int argc, char **argv, int *i, const char *name, bool *missing)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	*missing = false;
	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

int
cli_main(int argc, char **argv)
{
	struct cli c;
	struct err e;
	const char *v;
	bool missing;
	int i, rc;

	memset(&c, 0, sizeof c);
	snprintf(c.what, sizeof c.what, "ally");
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if ((v = global_value(argc, argv, &i, "--db", &missing)) != NULL)
			c.db = v;
		else if (!missing &&
		    (v = global_value(argc, argv, &i, "--config", &missing)) != NULL)
			c.config = v;
		else if (missing)
			return top_usage("option ", argv[i], " needs a value");
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			help_overview();
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("ally " PACKAGE_VERSION "\n");
			return 0;
		} else
			return top_usage("unknown option ", argv[i], "");
	}
	if (i < argc && strcmp(argv[i], "portal") == 0) {
		rc = cli_portal(&c, argc - i, argv + i);
		fflush(stdout);
		return rc;
	}
	err_clear(&e);
	if (clock_init(&e) != ST_OK) {
		fprintf(stderr, "ally: %s%s\n", strstr(e.msg, "ALLY_NOW") ? "" : "ALLY_NOW: ",
		    e.msg);
		return status_exit(e.st != ST_OK ? e.st : ST_CONFIG);
	}
	if (i >= argc) {
		/* A person at a terminal gets the full-screen interface; a pipe
		 * or a script gets the overview (ALLY_UI_SCRIPT: screen tests). */
		const char *script = env_testing("ALLY_UI_SCRIPT");
		if ((script && *script) || (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))) {
			if ((rc = cli_open(&c, 0)) != 0)
				return rc;
			rc = ui_run(c.app, c.config);
			app_close(c.app);
			return rc;
		}
		help_overview();
		return 0;
	}
	rc = dispatch(&c, argc - i, argv + i);
	if (c.app != NULL)
		app_close(c.app);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "ally: %s: writing output: %s\n", c.what, strerror(errno));
		if (rc == 0)
			rc = EXIT_IOERR;
	}
	return rc;
}
