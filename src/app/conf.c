/*
 * conf.c - reading ally.conf with libinih (see conf.h).
 *
 * libinih calls back per key; the first bad value is kept with its line
 * and reading goes on only to find nothing more to report.  Values are
 * checked here, once, so senders can trust them.
 */
#include "config.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/conf.h"
#include "core/priv.h"
#include "core/alloc.h"
#include "core/str.h"
#include "core/utf8.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/ally"
#endif

struct load_ctx {
	struct config *c;
	const char *file;
	bool failed;
	char msg[400];          /* the first problem: "[smtp] url: why" */
};

static void
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = *v ? xstrdup(v) : NULL;
}

static bool
parse_long(const char *v, long min, long max, long *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < min || n > max)
		return false;
	*out = n;
	return true;
}

/* "Name <addr>" or "addr" into the two fields. */
static bool
parse_from(struct config *c, const char *v)
{
	const char *lt = strrchr(v, '<');
	char *name, *addr;

	if (lt == NULL) {
		set_str(&c->smtp_from_addr, v);
		set_str(&c->smtp_from_name, "");
		return strchr(v, '@') != NULL && strchr(v, ' ') == NULL;
	}
	if (v[strlen(v) - 1] != '>')
		return false;
	addr = xstrndup(lt + 1, strlen(lt + 1) - 1);
	name = xstrndup(v, (size_t)(lt - v));
	{
		char *t = str_trim(name);
		size_t n = strlen(t);
		/* A quoted display name loses its quotes. */
		if (n >= 2 && t[0] == '"' && t[n - 1] == '"') {
			memmove(t, t + 1, n - 2);
			t[n - 2] = '\0';
		}
		free(name);
		name = t;
	}
	free(c->smtp_from_addr);
	free(c->smtp_from_name);
	c->smtp_from_addr = addr;
	c->smtp_from_name = *name ? name : NULL;
	if (!*name)
		free(name);
	return strchr(addr, '@') != NULL && strchr(addr, ' ') == NULL;
}

static int
fail(struct load_ctx *x, const char *section, const char *name, const char *fmt, const char *v)
{
	char *vis = str_visible_cut(v, 60);
	char why[300];

	snprintf(why, sizeof why, fmt, vis);
	free(vis);
	if (!x->failed)
		snprintf(x->msg, sizeof x->msg, "[%s] %s: %s", section, name, why);
	x->failed = true;
	return 0;
}

static int
handler(void *user, const char *section, const char *name, const char *v)
{
	struct load_ctx *x = user;
	struct config *c = x->c;

	if (strcmp(section, "smtp") != 0 && strcmp(section, "portal") != 0 &&
	    strcmp(section, "mail") != 0 && strcmp(section, "audit") != 0)
		return 1;       /* [keys], [colors]: the TUI's */
	if (utf8_text_check(v, false, NULL) != UTF8_TEXT_OK)   /* C1 too: it ends up in mail */
		return fail(x, section, name, "control characters or invalid UTF-8 in \"%s\"", v);
	if (strcmp(section, "audit") == 0) {
		if (strcmp(name, "key") != 0)
			return fail(x, section, name, "unknown key%s", "");
		if (v[0] != '/')
			return fail(x, section, name, "\"%s\" must be an absolute path", v);
		set_str(&c->audit_key, v);
		return 1;
	}
	if (strcmp(section, "smtp") == 0) {
		if (strcmp(name, "url") == 0) {
			if (!str_has_prefix(v, "smtp://") && !str_has_prefix(v, "smtps://"))
				return fail(x, section, name, "\"%s\" must start with smtp:// or smtps://", v);
			set_str(&c->smtp_url, v);
		} else if (strcmp(name, "starttls") == 0) {
			if (strcmp(v, "required") == 0)
				c->smtp_starttls = CONFIG_TLS_REQUIRED;
			else if (strcmp(v, "optional") == 0)
				c->smtp_starttls = CONFIG_TLS_OPTIONAL;
			else if (strcmp(v, "off") == 0)
				c->smtp_starttls = CONFIG_TLS_OFF;
			else
				return fail(x, section, name, "\"%s\" must be required, optional or off", v);
		} else if (strcmp(name, "username") == 0) {
			set_str(&c->smtp_username, v);
		} else if (strcmp(name, "password_file") == 0) {
			set_str(&c->smtp_password_file, v);
		} else if (strcmp(name, "from") == 0) {
			if (!parse_from(c, v))
				return fail(x, section, name, "\"%s\" must be addr@domain or Name <addr@domain>", v);
		} else if (strcmp(name, "ca_file") == 0) {
			set_str(&c->smtp_ca_file, v);
		} else if (strcmp(name, "timeout") == 0) {
			if (!parse_long(v, 1, 3600, &c->smtp_timeout))
				return fail(x, section, name, "\"%s\" must be a number of seconds from 1 to 3600", v);
		} else if (strcmp(name, "connect_timeout") == 0) {
			if (!parse_long(v, 1, 3600, &c->smtp_connect_timeout))
				return fail(x, section, name, "\"%s\" must be a number of seconds from 1 to 3600", v);
		} else {
			return fail(x, section, name, "unknown key%s", "");
		}
	} else if (strcmp(section, "portal") == 0) {
		long n;
		if (strcmp(name, "connect") == 0) {
			set_str(&c->portal_connect, v);
		} else if (strcmp(name, "db") == 0) {
			if (v[0] != '/')
				return fail(x, section, name, "\"%s\" must be an absolute path", v);
			set_str(&c->portal_db, v);
		} else if (strcmp(name, "max_failures") == 0) {
			if (!parse_long(v, 1, 100, &n))
				return fail(x, section, name, "\"%s\" must be a number from 1 to 100", v);
			c->portal_max_failures = (int)n;
		} else if (strcmp(name, "delay") == 0) {
			if (!parse_long(v, 0, 60, &n))
				return fail(x, section, name, "\"%s\" must be a number of seconds from 0 to 60", v);
			c->portal_delay = (int)n;
		} else if (strcmp(name, "verify_slots") == 0) {
			if (!parse_long(v, 1, 64, &n))
				return fail(x, section, name, "\"%s\" must be a number from 1 to 64", v);
			c->portal_slots = (int)n;
		} else if (strcmp(name, "verify_wait") == 0) {
			if (!parse_long(v, 1, 600, &n))
				return fail(x, section, name, "\"%s\" must be a number of seconds from 1 to 600", v);
			c->portal_slot_wait = (int)n;
		} else if (strcmp(name, "login_timeout") == 0) {
			if (!parse_long(v, 1, 3600, &n))
				return fail(x, section, name, "\"%s\" must be a number of seconds from 1 to 3600", v);
			c->portal_login_timeout = (int)n;
		} else if (strcmp(name, "key_account") == 0) {
			set_str(&c->portal_key_account, v);
		} else {
			return fail(x, section, name, "unknown key%s", "");
		}
	} else {
		long n;
		if (strcmp(name, "templates") == 0) {
			set_str(&c->templates, v);
		} else if (strcmp(name, "max_attempts") == 0) {
			if (!parse_long(v, 1, 100, &n))
				return fail(x, section, name, "\"%s\" must be a number from 1 to 100", v);
			c->max_attempts = (int)n;
		} else {
			return fail(x, section, name, "unknown key%s", "");
		}
	}
	return 1;
}

/* Only [audit]: the writers' look at the system file must not fail on,
 * say, a typo in [smtp] that only mail commands care about. */
static int
audit_handler(void *user, const char *section, const char *name, const char *v)
{
	return strcmp(section, "audit") == 0 ? handler(user, section, name, v) : 1;
}

/* Read one file (with the person's rights); a missing file is fine unless
 * required. */
static enum status
load_with(struct config *c, const char *file, bool required, ini_handler fn, struct err *e)
{
	struct load_ctx x = { c, file, false, "" };
	FILE *f = user_fopen(file, "r");
	int rc;

	if (f == NULL) {
		if (!required && errno == ENOENT)
			return ST_OK;
		return err_set(e, ST_CONFIG, "%s: %s", file, strerror(errno));
	}
	rc = ini_parse_file(f, fn, &x);
	fclose(f);
	if (x.failed)
		return err_set(e, ST_CONFIG, "%s:%d: %s", file, rc, x.msg);
	if (rc != 0)
		return err_set(e, ST_CONFIG, "%s:%d: not an INI line", file, rc);
	{
		char *files = xasprintf("%s%s%s", c->files, *c->files ? ", " : "", file);
		free(c->files);
		c->files = files;
	}
	return ST_OK;
}

static enum status
load_file(struct config *c, const char *file, bool required, struct err *e)
{
	return load_with(c, file, required, handler, e);
}

void
config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->files = xstrdup("");
	c->smtp_timeout = CONFIG_TIMEOUT_DEFAULT;
	c->max_attempts = CONFIG_MAX_ATTEMPTS_DEFAULT;
	c->portal_max_failures = CONFIG_PORTAL_MAX_FAILURES_DEFAULT;
	c->portal_delay = CONFIG_PORTAL_DELAY_DEFAULT;
	c->portal_slots = CONFIG_PORTAL_SLOTS_DEFAULT;
	c->portal_slot_wait = CONFIG_PORTAL_SLOT_WAIT_DEFAULT;
	c->portal_login_timeout = CONFIG_PORTAL_LOGIN_TIMEOUT_DEFAULT;
}

enum status
config_load(const char *path, struct config *c, struct err *e)
{
	enum status st;

	config_defaults(c);
	if (path != NULL) {
		st = load_file(c, path, true, e);
	} else {
		const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
		char *user = NULL;

		st = load_file(c, CONFIG_SYSTEM_FILE, false, e);
		if (xdg != NULL && *xdg)
			user = xasprintf("%s/ally/ally.conf", xdg);
		else if (home != NULL && *home)
			user = xasprintf("%s/.config/ally/ally.conf", home);
		if (st == ST_OK && user != NULL)
			st = load_file(c, user, false, e);
		free(user);
	}
	if (st == ST_OK && c->smtp_username != NULL && c->smtp_url != NULL &&
	    str_has_prefix(c->smtp_url, "smtp://") && c->smtp_starttls == CONFIG_TLS_OFF)
		st = err_set(e, ST_CONFIG, "%s: [smtp] username: the password would travel unencrypted "
		    "(use starttls = required or an smtps:// url)", c->files);
	if (st == ST_OK && c->smtp_connect_timeout == 0)
		c->smtp_connect_timeout = c->smtp_timeout < 15 ? c->smtp_timeout : 15;
	if (st != ST_OK)
		config_free(c);
	return st;
}

void
config_free(struct config *c)
{
	free(c->files);
	free(c->smtp_url);
	free(c->smtp_username);
	free(c->smtp_password_file);
	free(c->smtp_from_addr);
	free(c->smtp_from_name);
	free(c->smtp_ca_file);
	free(c->portal_connect);
	free(c->portal_db);
	free(c->portal_key_account);
	free(c->templates);
	free(c->audit_key);
	memset(c, 0, sizeof *c);
}

enum status
config_system_audit_key(char **out, struct err *e)
{
	struct config c;
	enum status st;

	*out = NULL;
	memset(&c, 0, sizeof c);
	c.files = xstrdup("");
	st = load_with(&c, CONFIG_SYSTEM_FILE, false, audit_handler, e);
	if (st == ST_OK && c.audit_key != NULL) {
		*out = c.audit_key;
		c.audit_key = NULL;
	}
	config_free(&c);
	return st;
}

const char *
config_templates(const struct config *c)
{
	const char *env = env_testing("ALLY_TEMPLATES");

	if (env != NULL && *env)
		return env;
	if (c != NULL && c->templates != NULL)
		return c->templates;
	return NULL;                    /* the compiled-in defaults */
}

enum status
config_password(const struct config *c, char **out, struct err *e)
{
	char line[1024];
	FILE *f;
	size_t n;

	*out = NULL;
	if (c->smtp_password_file == NULL)
		return err_set(e, ST_CONFIG, "[smtp] password_file: not set, but username is");
	if ((f = user_fopen(c->smtp_password_file, "r")) == NULL)
		return err_set(e, ST_CONFIG, "[smtp] password_file: %s: %s", c->smtp_password_file,
		    strerror(errno));
	if (fgets(line, sizeof line, f) == NULL)
		line[0] = '\0';
	fclose(f);
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	if (n == 0)
		return err_set(e, ST_CONFIG, "[smtp] password_file: %s is empty", c->smtp_password_file);
	*out = xstrdup(line);
	return ST_OK;
}
