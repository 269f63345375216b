/*
 * cmd_portal.c - "ally portal": the partner portal, run by sshd as the
 * ForceCommand of the `portal` account, and "ally partner unlock".
 *
 * The environment of a portal process is not trusted: ALLY_NOW, ALLY_DB,
 * ALLY_USER, ALLY_TEMPLATES and the XDG directories are dropped before
 * anything reads them.  The database is --db on the command line (the
 * ForceCommand line, which only the administrator writes), else [portal]
 * db in /etc/ally/ally.conf (or the --config file), else PORTAL_DB_DEFAULT.
 *
 * What the partner typed after "ssh portal@host" arrives in
 * SSH_ORIGINAL_COMMAND (or, run by hand, as the words after "portal") and
 * goes through portal_cmd_parse, a strict pure parser.  Every command
 * needs a login first: e-mail and password are read from the terminal
 * (/dev/tty, echo off) when there is one, else as two lines on stdin, so
 *   printf '%s\n%s\n' ann@acme.example "$PW" | ssh portal@host statement 2026-10
 * works from scripts.  At the e-mail prompt an invitation code (no '@')
 * starts the first login instead: a new password, typed twice.
 *
 * Script mode (ALLY_UI_SCRIPT, for the screen tests) answers the prompts of
 * the interactive portal from the script's lines instead ("type ..." then
 * "key Enter", see ui_script_prompt), with the prompts on stderr, and goes
 * on with the same script in the screens.  It is for tests only: under
 * sshd (SSH_CONNECTION, which sshd always sets) ALLY_UI_* are dropped with
 * the rest, so no client environment can reach it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "app/conf.h"
#include "app/outbox.h"
#include "app/portal.h"
#include "cli/cli.h"
#include "core/priv.h"
#include "core/alloc.h"
#include "core/str.h"
#include "ui/ui.h"

#ifndef PORTAL_DB_DEFAULT
#define PORTAL_DB_DEFAULT "/var/lib/ally"
#endif
#define PORTAL_CONF "/etc/ally/ally.conf"
#define LOGIN_TRIES 3
#define LINE_MAX_LEN 512

/* Set by SIGALRM: the login prompt waited too long. */
static volatile sig_atomic_t idle_expired;
static int idle_seconds = CONFIG_PORTAL_LOGIN_TIMEOUT_DEFAULT;

static void
on_alarm(int sig)
{
	(void)sig;
	idle_expired = 1;
}

/* An alarm that interrupts the read (no SA_RESTART), or none (0). */
static void
idle_arm(unsigned seconds)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	alarm(seconds);
}

/* Where credentials come from: the terminal, or stdin lines. */
struct creds_in {
	FILE *in;               /* to read from */
	FILE *out;              /* prompts (the terminal), or NULL */
	int fd;                 /* the terminal's fd for echo, or -1 */
	bool own;               /* in was opened here */
	bool script;            /* script mode: lines from ALLY_UI_SCRIPT */
};

static void
creds_open(struct creds_in *ci, bool script)
{
	int fd;

	memset(ci, 0, sizeof *ci);
	ci->fd = -1;
	if (script) {
		ci->script = true;
		ci->out = stderr;
		return;
	}
	fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0) {
		ci->in = fdopen(fd, "r+");
		if (ci->in != NULL) {
			ci->out = ci->in;
			ci->fd = fd;
			ci->own = true;
			return;
		}
		close(fd);
	}
	ci->in = stdin;
}

static void
creds_close(struct creds_in *ci)
{
	if (ci->own && ci->in != NULL)
		fclose(ci->in);
	memset(ci, 0, sizeof *ci);
}

static void
say(struct creds_in *ci, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
say(struct creds_in *ci, const char *fmt, ...)
{
	va_list ap;
	FILE *f = ci->out != NULL ? ci->out : stderr;

	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fflush(f);
}

/* One line without its end; false at end of input. */
static bool
read_line(struct creds_in *ci, const char *prompt, bool secret, char *buf, size_t len)
{
	struct termios old, quiet;
	bool echo_off = false;
	size_t n;

	if (ci->out != NULL) {
		fputs(prompt, ci->out);
		fflush(ci->out);
	}
	if (ci->script) {
		/* the transcript on stderr shows what was typed, never a secret */
		bool got = ui_script_prompt(buf, len) == 1;
		fprintf(ci->out, "%s\n", got && !secret ? buf : "");
		fflush(ci->out);
		if (!got)
			buf[0] = '\0';
		return got;
	}
	if (secret && ci->fd >= 0 && tcgetattr(ci->fd, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ECHONL;
		echo_off = tcsetattr(ci->fd, TCSAFLUSH, &quiet) == 0;
	}
	/* nobody sits at a login prompt for ever: the read is interrupted */
	idle_arm((unsigned)idle_seconds);
	if (fgets(buf, (int)len, ci->in) == NULL) {
		alarm(0);
		if (echo_off)
			tcsetattr(ci->fd, TCSAFLUSH, &old);
		buf[0] = '\0';
		return false;
	}
	alarm(0);
	if (echo_off)
		tcsetattr(ci->fd, TCSAFLUSH, &old);
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return true;
}

static int
fail_msg(struct creds_in *ci, const struct err *e)
{
	char *vis = str_visible(e->msg);

	say(ci, "ally portal: %s\n", vis);
	free(vis);
	return status_exit(e->st);
}

/* First login with an invitation code: a new password, twice. */
static enum status
activate(struct app *a, const struct login_policy *pol, struct creds_in *ci, const char *code,
    bool session, struct err *e)
{
	char pw[LINE_MAX_LEN], again[LINE_MAX_LEN];
	enum status st;
	uint64_t partner;
	int i;

	/* a bad code is refused before any password is asked for */
	if ((st = app_invitation_check(a, code, &partner, e)) != ST_OK)
		return st;
	for (i = 0; i < (session ? LOGIN_TRIES : 1); i++) {
		say(ci, "First login with an invitation code: choose a password of at least %d characters.\n",
		    PORTAL_PW_MIN);
		if (!read_line(ci, "New password: ", true, pw, sizeof pw) ||
		    !read_line(ci, "Repeat it: ", true, again, sizeof again)) {
			st = err_set(e, ST_NOPERM, "no password given");
			break;
		}
		if (strcmp(pw, again) != 0) {
			say(ci, "The two passwords differ.\n");
			st = err_set(e, ST_DATA, "the two passwords differ");
			continue;
		}
		st = app_portal_activate(a, pol, code, pw, e);
		if (st != ST_DATA)
			break;
		say(ci, "%s\n", e->msg);
	}
	sodium_memzero(pw, sizeof pw);
	sodium_memzero(again, sizeof again);
	return st;
}

/* The SSH client's address, validated (never the raw variable), or "". */
static void
ssh_source(char *buf, size_t len)
{
	if (!app_portal_source(getenv("SSH_CONNECTION"), buf, len))
		app_portal_source(getenv("SSH_CLIENT"), buf, len);
}

/* Log in; interactive sessions get a few tries.  Every failure of a
 * password login reads the same (see app_portal_login). */
static enum status
login(struct app *a, const struct config *cfg, struct creds_in *ci, bool session,
    struct err *e)
{
	struct login_policy pol = { cfg->portal_max_failures, cfg->portal_delay, cfg->portal_slots,
	    cfg->portal_slot_wait };
	char user[LINE_MAX_LEN], pw[LINE_MAX_LEN], from[64];
	enum status st = ST_NOPERM;
	int tries;

	ssh_source(from, sizeof from);
	err_set(e, ST_NOPERM, "no login given");
	if (session) {
		/* whose portal this is, before anything is asked */
		const char *org = app_settings(a)->org;
		char *vis = str_visible_cut(org && *org ? org : "ally", 60);
		say(ci, "%s partner portal\n", vis);
		free(vis);
	}
	for (tries = 0; tries < (session ? LOGIN_TRIES : 1); tries++) {
		if (!read_line(ci, "E-mail (or invitation code): ", false, user, sizeof user))
			break;
		if (user[0] == '\0') {
			tries--;
			continue;
		}
		if (strchr(user, '@') == NULL) {
			st = activate(a, &pol, ci, user, session, e);
			if (st == ST_OK)
				say(ci, "Password set.  From now on log in with %s.\n", app_login(a) + strlen("portal:"));
			else if (session && st != ST_SOFTWARE) {
				char *vis = str_visible(e->msg);
				say(ci, "%s\n", vis);
				free(vis);
				continue;
			}
			break;
		}
		if (!read_line(ci, "Password: ", true, pw, sizeof pw))
			break;
		st = app_portal_login(a, &pol, user, pw, from, e);
		sodium_memzero(pw, sizeof pw);
		if (st == ST_OK || !session)
			break;
		say(ci, "%s\n", e->msg);
	}
	if (st != ST_OK && idle_expired)
		err_set(e, ST_NOPERM, "no input for %d s at the login prompt: goodbye", idle_seconds);
	return st;
}

/* ---- non-interactive commands ---- */

static int
print_rows(struct app *a, enum status (*list)(struct app *, row_fn, void *, struct err *),
    bool csv, struct err *e)
{
	struct out o;
	enum status st;

	out_init(&o, csv ? OUT_CSV : OUT_TABLE, stdout);
	st = list(a, out_row, &o, e);
	out_finish(&o);
	return st == ST_OK ? 0 : -1;
}

static int
run_command(struct app *a, const struct portal_cmd *pc, struct err *e)
{
	struct sbuf b;
	enum status st;

	switch (pc->verb) {
	case PCMD_LINKS:
		return print_rows(a, app_portal_links, pc->csv, e);
	case PCMD_REFERRALS:
		return print_rows(a, app_portal_referrals, pc->csv, e);
	case PCMD_DEALS:
		return print_rows(a, app_portal_deals, pc->csv, e);
	case PCMD_COMMISSIONS:
		return print_rows(a, app_portal_commissions, pc->csv, e);
	case PCMD_STATEMENT:
		sbuf_init(&b);
		sbuf_add(&b, "");
		st = app_portal_statement(a, pc->month, pc->csv, &b, e);
		if (st == ST_OK)
			fputs(sbuf_str(&b), stdout);
		sbuf_free(&b);
		return st == ST_OK ? 0 : -1;
	default:
		fputs(portal_cmd_usage(), stdout);
		return 0;
	}
}

/* "ally portal [COMMAND...]" words, or SSH_ORIGINAL_COMMAND. */
static char *
command_line(int argc, char **argv)
{
	const char *env = getenv("SSH_ORIGINAL_COMMAND");
	struct sbuf b;
	int i;

	if (argc > 1) {
		sbuf_init(&b);
		sbuf_add(&b, "");
		for (i = 1; i < argc; i++) {
			if (i > 1)
				sbuf_addc(&b, ' ');
			sbuf_add(&b, argv[i]);
		}
		return sbuf_take(&b);
	}
	return env != NULL ? xstrdup(env) : NULL;
}

static void
drop_environment(void)
{
	static const char *const names[] = {
		"ALLY_NOW", "ALLY_DB", "ALLY_USER", "ALLY_TEMPLATES", "XDG_CONFIG_HOME",
		"XDG_DATA_HOME", NULL
	};
	static const char *const script[] = {
		"ALLY_UI_SCRIPT", "ALLY_UI_DUMP", "ALLY_UI_SIZE", "ALLY_PORTAL_TRACE", NULL
	};
	int i;

	for (i = 0; names[i] != NULL; i++)
		unsetenv(names[i]);
	/* script mode answers the login from a file: tests only, never sshd's */
	if (getenv("SSH_CONNECTION") != NULL || getenv("SSH_CLIENT") != NULL)
		for (i = 0; script[i] != NULL; i++)
			unsetenv(script[i]);
}

/* The portal's configuration: --config, else /etc/ally/ally.conf when it
 * exists, else the defaults (config_load(NULL) would read $HOME's). */
static int
portal_config(struct cli *c, struct config *cfg, const char **conf)
{
	struct err e;

	*conf = c->config;
	err_clear(&e);
	if (*conf == NULL && access(PORTAL_CONF, F_OK) == 0)
		*conf = PORTAL_CONF;
	if (*conf != NULL)
		return config_load(*conf, cfg, &e) != ST_OK ? cli_fail(c, &e) : 0;
	config_defaults(cfg);	/* no file: config_load(NULL) would read $HOME's */
	return 0;
}

static const char *
portal_db(struct cli *c, const struct config *cfg)
{
	return c->db != NULL ? c->db : cfg->portal_db != NULL ? cfg->portal_db : PORTAL_DB_DEFAULT;
}

static const char *
key_account(const struct config *cfg)
{
	return cfg->portal_key_account != NULL ? cfg->portal_key_account :
	    CONFIG_PORTAL_KEY_ACCOUNT_DEFAULT;
}

/* A path that can stand in sshd's command="..." and in sh -c unquoted. */
static bool
plain_path(const char *p)
{
	if (p == NULL || p[0] != '/')
		return false;
	for (; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("/._+-", *p) != NULL))
			return false;
	return true;
}

/*
 * "ally portal authorized-keys USER KEY", sshd's AuthorizedKeysCommand
 * (%u %k): one authorized_keys line when KEY is a partner's registered
 * key and USER the key account, else nothing (sshd refuses the key).  The
 * line forces our own command with the key's id: sshd runs it whatever
 * the client asks, and the client's words reach only
 * SSH_ORIGINAL_COMMAND.
 */
static int
authorized_keys(struct cli *c, int argc, char **argv)
{
	char exe[PATH_MAX], dbp[PATH_MAX], cfp[PATH_MAX], type[64];
	struct config cfg;
	const char *conf;
	struct app *a;
	struct err e;
	uint64_t key = 0;
	int rc;

	snprintf(c->what, sizeof c->what, "portal authorized-keys");
	if (argc != 4) {
		fprintf(stderr, "usage: ally portal authorized-keys USER KEY (sshd's %%u %%k)\n");
		return 64;
	}
	if ((rc = portal_config(c, &cfg, &conf)) != 0)
		return rc;
	err_clear(&e);
	if (strcmp(argv[2], key_account(&cfg)) != 0) {
		config_free(&cfg);
		return 0;       /* keys let in only the key account */
	}
	if (app_portal_open(portal_db(c, &cfg), &a, &e) != ST_OK) {
		config_free(&cfg);
		return cli_fail(c, &e);
	}
	if (app_portal_key_lookup(a, argv[3], &key, type, &e) != ST_OK) {
		app_close(a);
		config_free(&cfg);
		return cli_fail(c, &e);
	}
	app_close(a);
	rc = 0;
	if (key != 0) {
		ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		exe[n > 0 ? n : 0] = '\0';
		if (realpath(portal_db(c, &cfg), dbp) == NULL)
			dbp[0] = '\0';
		if (conf == NULL || realpath(conf, cfp) == NULL)
			cfp[0] = '\0';
		if (!plain_path(exe) || !plain_path(dbp) || (cfp[0] && !plain_path(cfp))) {
			err_set(&e, ST_CONFIG, "the program, database or configuration path has characters "
			    "an authorized_keys command cannot hold: use plain paths");
			rc = cli_fail(c, &e);
		} else
			printf("restrict,pty,command=\"%s --db %s%s%s portal --key-id %llu\" %s %s\n", exe, dbp,
			    cfp[0] ? " --config " : "", cfp, (unsigned long long)key, type, argv[3]);
	}
	config_free(&cfg);
	return rc;
}

/* --key-id comes from the line above, run by sshd as the key account; a
 * staff member typing it gets nothing (real uid, not the environment). */
static bool
key_caller_ok(const struct config *cfg)
{
	struct passwd *pw;
	uid_t uid = getuid();

	if (uid == 0)
		return true;
	pw = getpwnam(key_account(cfg));
	return pw != NULL && pw->pw_uid == uid;
}

static int
parse_key_id(const char *s, uint64_t *id)
{
	char *end;

	if (s == NULL || *s < '1' || *s > '9')
		return -1;
	*id = strtoull(s, &end, 10);
	return *end == '\0' ? 0 : -1;
}

int
cli_portal(struct cli *c, int argc, char **argv)
{
	struct config cfg;
	struct portal_cmd pc;
	struct creds_in ci;
	struct app *a = NULL;
	struct err e;
	char why[128], from[64], *line;
	const char *conf;
	uint64_t key = 0;
	enum status st;
	int rc;

	snprintf(c->what, sizeof c->what, "portal");
	drop_environment();
	/* a test's trace file, opened with the caller's own rights only:
	 * secure_getenv ignores it in a setgid ally, so nobody appends to a
	 * file of the group through it */
	app_portal_trace(secure_getenv("ALLY_PORTAL_TRACE"));
	if (argc > 1 && strcmp(argv[1], "authorized-keys") == 0)
		return authorized_keys(c, argc, argv);
	if (argc > 1 && strcmp(argv[1], "--key-id") == 0) {
		if (argc < 3 || parse_key_id(argv[2], &key) != 0) {
			fprintf(stderr, "ally portal: --key-id: a key id is a number\n");
			return 64;
		}
		argv[2] = argv[0];
		argc -= 2;
		argv += 2;
	}
	line = command_line(argc, argv);
	if (line != NULL && (strcmp(line, "--help") == 0 || strcmp(line, "-h") == 0)) {
		printf("usage: ally [--db DIR] [--config FILE] portal [COMMAND]\n"
		    "       ally [--db DIR] [--config FILE] portal authorized-keys USER KEY\n\n%s",
		    portal_cmd_usage());
		free(line);
		return 0;
	}
	if (!portal_cmd_parse(line, &pc, why, sizeof why)) {
		char *vis = str_visible_cut(line, 40);
		fprintf(stderr, "ally portal: \"%s\": %s\n%s", vis, why, portal_cmd_usage());
		free(vis);
		free(line);
		return 64;
	}
	free(line);
	if (pc.verb == PCMD_HELP) {
		fputs(portal_cmd_usage(), stdout);
		return 0;
	}
	if ((rc = portal_config(c, &cfg, &conf)) != 0)
		return rc;
	idle_seconds = cfg.portal_login_timeout > 0 ? cfg.portal_login_timeout :
	    CONFIG_PORTAL_LOGIN_TIMEOUT_DEFAULT;
	if (key != 0 && !key_caller_ok(&cfg)) {
		fprintf(stderr, "ally portal: --key-id: only for the %s account, as sshd runs it "
		    "(ally portal authorized-keys)\n", key_account(&cfg));
		config_free(&cfg);
		return 77;
	}
	if (pc.verb == PCMD_SESSION && env_testing("ALLY_UI_SCRIPT") == NULL &&
	    (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		fprintf(stderr, "ally portal: the interactive portal needs a terminal (ssh -t), "
		    "or give a command:\n%s", portal_cmd_usage());
		config_free(&cfg);
		return 64;
	}
	err_clear(&e);
	if (app_portal_open(portal_db(c, &cfg), &a, &e) != ST_OK) {
		config_free(&cfg);
		return cli_fail(c, &e);
	}
	{
		const char *sc = env_testing("ALLY_UI_SCRIPT");
		creds_open(&ci, pc.verb == PCMD_SESSION && sc != NULL && *sc != '\0');
	}
	if (key != 0) {
		ssh_source(from, sizeof from);
		st = app_portal_login_key(a, key, from, &e);
	} else
		st = login(a, &cfg, &ci, pc.verb == PCMD_SESSION, &e);
	if (st != ST_OK) {
		rc = fail_msg(&ci, &e);
		creds_close(&ci);
		app_close(a);
		config_free(&cfg);
		return rc;
	}
	creds_close(&ci);
	if (pc.verb == PCMD_SESSION) {
		rc = ui_portal_run(a, conf, &cfg);
	} else if ((rc = run_command(a, &pc, &e)) != 0) {
		rc = cli_fail(c, &e);
	}
	app_close(a);
	config_free(&cfg);
	return rc;
}

/* ---- ally partner unlock ---- */

enum status
cli_partner_unlock(struct cli_call *k)
{
	enum status st;
	int n;

	if ((st = app_partner_unlock(k->app, k->argv[0], &n, &k->e)) == ST_OK)
		printf("%d portal account%s unlocked\n", n, n == 1 ? "" : "s");
	return st;
}
