/*
 * cli.h - ally's command line: a table of command groups, each a table of
 * subcommands, one file per group (cmd_*.c).
 *
 * A subcommand's run() gets argv starting at its own name, declares its
 * flags with opts.h through cli_parse(), calls app/ and prints through
 * out.h.  It returns the exit status (sysexits.h); errors are one line on
 * stderr, "ally: COMMAND WORDS: why".
 */
#ifndef ALLY_CLI_CLI_H
#define ALLY_CLI_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "app/io.h"
#include "cli/opts.h"
#include "cli/out.h"

struct cli;

struct cli_cmd {
	const char *name;
	const char *args;       /* positionals, for messages: "NAME" */
	const char *synopsis;   /* shown after the words: "NAME --rule RULE [options]" */
	const char *summary;
	int (*run)(struct cli *c, int argc, char **argv);
};

/* A group has subcommands (subs), or is one command itself (cmd). */
struct cli_group {
	const char *name;
	const char *summary;
	const struct cli_cmd *subs;     /* ends with { .name = NULL } */
	const struct cli_cmd *cmd;
};

struct cli {
	const char *db;                 /* --db */
	const char *config;             /* --config (read by cli_config) */
	char what[128];                 /* command words: "program add" */
	const struct cli_cmd *cmd;      /* the running subcommand */
	struct app *app;
};

int cli_main(int argc, char **argv);

/* Parse the running command's flags from tab (see opts_parse): -1 to go on,
 * else the exit status. */
int cli_parse(struct cli *c, struct opts *o, const struct opt *tab, int min_args,
    int max_args, int argc, char **argv);
/* Print "ally: WHAT: e->msg"; returns the exit status for e->st. */
int cli_fail(struct cli *c, const struct err *e);
/* Print "ally: WHAT: MSG (see ally WHAT --help)"; returns 64. */
int cli_usage(struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Open the database (flags: APP_RDONLY) into c->app; 0 or an exit status
 * (the error printed).  cli_main closes it. */
int cli_open(struct cli *c, int flags);
/* Find a record from what the user typed; 0 or an exit status. */
int cli_resolve(struct cli *c, enum kind k, const char *ref, uint64_t *id);

/* --csv/--json into a format (dflt when neither); 0 or 64. */
int cli_format(struct cli *c, bool csv, bool json, enum out_fmt dflt, enum out_fmt *fmt);
/* List records of kind k to fp; 0 or an exit status. */
int cli_list(struct cli *c, enum kind k, const struct list_filter *f, enum out_fmt fmt,
    FILE *fp);
/* Show one record (fmt OUT_VIEW or OUT_JSON, CSV also works). */
int cli_show(struct cli *c, enum kind k, const char *ref, enum out_fmt fmt);
/* A whole "show" subcommand: REF [--json]. */
int cli_show_cmd(struct cli *c, enum kind k, int argc, char **argv);
/* After an add or edit: "PG1 Spring referral (draft)", or the record as
 * JSON when json. */
int cli_saved(struct cli *c, enum kind k, uint64_t id, bool json);

/* Strict unsigned number from a flag; 0 or 64 with a message. */
int cli_number(struct cli *c, const char *flag, const char *s, uint64_t *v);

/* The groups, in the order --help lists them. */
extern const struct cli_group cli_groups[];

/* Defined by the cmd_*.c files. */
extern const struct cli_cmd cmd_init, cmd_demo, cmd_check, cmd_backup;
extern const struct cli_cmd cmd_ingest, cmd_import, cmd_export;
extern const struct cli_cmd program_cmds[], tier_cmds[], partner_cmds[], code_cmds[];
extern const struct cli_cmd track_cmds[], referral_cmds[], conversion_cmds[];
extern const struct cli_cmd user_cmds[];
extern const struct cli_cmd commission_cmds[], payout_cmds[], period_cmds[], audit_cmds[];
extern const struct cli_cmd reward_cmds[];
extern const struct cli_cmd cmd_statement;
extern const struct cli_cmd deal_cmds[], settings_cmds[];
extern const struct cli_cmd cmd_report;
extern const struct cli_cmd mail_cmds[];
extern const struct cli_cmd webhook_cmds[];
extern const struct cli_cmd referrer_cmds[];

/* cmd_mail.c: the configuration file (--config, else the default ones);
 * 0 or an exit status. */
struct config;
int cli_config(struct cli *c, struct config *cfg);
int cli_partner_invite(struct cli *c, int argc, char **argv);
int cli_partner_resend(struct cli *c, int argc, char **argv);
int cli_partner_revoke(struct cli *c, int argc, char **argv);
/* cmd_portal.c */
int cli_partner_unlock(struct cli *c, int argc, char **argv);
int cli_portal(struct cli *c, int argc, char **argv);

#endif
