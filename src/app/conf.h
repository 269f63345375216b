/*
 * conf.h - ally.conf: the [smtp], [portal] and [mail] sections.
 *
 * Read with libinih from /etc/ally/ally.conf and then
 * $XDG_CONFIG_HOME/ally/ally.conf (~/.config/ally/ally.conf), the later
 * file overriding the earlier key by key; or only from the file given with
 * --config.  [audit] key is honoured only from the system file (see
 * config_system_audit_key).  Other sections ([keys], [colors]) belong to the TUI and are
 * skipped here.  Every value is checked when read, so a typo is reported
 * with its file and line before anything is sent.
 */
#ifndef ALLY_APP_CONFIG_H
#define ALLY_APP_CONFIG_H

#include <stdbool.h>

#include "core/status.h"

enum config_tls { CONFIG_TLS_REQUIRED = 0, CONFIG_TLS_OPTIONAL, CONFIG_TLS_OFF };

#define CONFIG_SYSTEM_FILE "/etc/ally/ally.conf"
#define CONFIG_TIMEOUT_DEFAULT 30
#define CONFIG_MAX_ATTEMPTS_DEFAULT 8
#define CONFIG_PORTAL_MAX_FAILURES_DEFAULT 5
#define CONFIG_PORTAL_DELAY_DEFAULT 1
#define CONFIG_PORTAL_SLOTS_DEFAULT 4
#define CONFIG_PORTAL_SLOT_WAIT_DEFAULT 5
#define CONFIG_PORTAL_LOGIN_TIMEOUT_DEFAULT 60
#define CONFIG_PORTAL_KEY_ACCOUNT_DEFAULT "portal-key"

struct config {
	char *files;                    /* the files read, for messages ("" = none) */
	/* [smtp] */
	char *smtp_url;                 /* NULL: mail cannot be sent */
	int smtp_starttls;              /* enum config_tls */
	char *smtp_username;
	char *smtp_password_file;
	char *smtp_from_addr;           /* from "Name <addr>" or "addr" */
	char *smtp_from_name;
	char *smtp_ca_file;
	long smtp_timeout;              /* seconds */
	long smtp_connect_timeout;
	/* [portal] */
	char *portal_connect;           /* how partners connect, shown in invitations */
	char *portal_db;                /* the database ally portal opens */
	int portal_max_failures;        /* failed logins in a row before the lock */
	int portal_delay;               /* seconds; doubles with each failure */
	int portal_slots;               /* password verifications at once, machine-wide */
	int portal_slot_wait;           /* seconds a login waits for one of them */
	int portal_login_timeout;       /* seconds a login prompt waits for input */
	char *portal_key_account;       /* the Unix account of SSH-key logins */
	/* [mail] */
	char *templates;                /* template directory */
	int max_attempts;
	/* [audit] */
	char *audit_key;                /* the audit key file (system file only) */
};

/* Read the configuration: only `path` when not NULL (it must exist), else
 * the system and user files (each may be missing).  ST_CONFIG
 * "FILE:LINE: SECTION.KEY: why". */
enum status config_load(const char *path, struct config *c, struct err *e);
/* The settings with no file read at all (what config_load starts from). */
void config_defaults(struct config *c);
void config_free(struct config *c);

/* [audit] key from the system file only: a person's own file (or
 * --config) must not choose the key the audit chain is signed with.  *out
 * is NULL when unset (the key then lives beside the database). */
enum status config_system_audit_key(char **out, struct err *e);

/* The template directory: $ALLY_TEMPLATES (tests), else [mail] templates,
 * else NULL: the defaults compiled into the program.  Not a copy. */
const char *config_templates(const struct config *c);

/* The SMTP password from password_file (first line), into *out.  ST_CONFIG
 * when the file cannot be read. */
enum status config_password(const struct config *c, char **out, struct err *e);

#endif
