/*
 * cli.h - ally's command line: a table of command groups, each a table of
 * subcommands, one file per group (cmd_*.c).
 *
 * A subcommand declares what it needs, and cli_run() does it once, in this
 * order: parse its flags (usage errors first, before anything is opened),
 * pick --csv/--json (.format), run its usage checks (.check), read the
 * configuration (.config), open the database read-only or for writing
 * (.open), resolve the record its first name names (.target), then call
 * its body (.exec) with all that in a struct cli_call.  A body is the app/
 * call and its output; a failure it returns is printed once, "ally: WORDS:
 * why", and after an add or edit the saved record is echoed (.echo).
 *
 *	static enum status
 *	program_edit(struct cli_call *k)
 *	{
 *		struct program_call *p = (struct program_call *)k;
 *		uint64_t out;
 *
 *		return app_program_save(k->app, k->id, &p->in, &out, &k->e);
 *	}
 *	...
 *	{ .name = "edit", .args = "PROGRAM", .synopsis = "PROGRAM [options]",
 *	  .summary = "change a program's settings",
 *	  .flags = edit_flags, .size = sizeof(struct program_call),
 *	  .names = 1, .open = CLI_WRITE, .kind = KIND_PROGRAM, .target = true,
 *	  .echo = true, .exec = program_edit },
 *
 * Flags are bound by offset (opts.h's _AT macros) into the struct the
 * command names in .size, which starts with a struct cli_call; --json and
 * --csv go into the call itself (CLI_JSON, CLI_CSV).  Every entry whose
 * body casts the call to its own struct names that struct in .size, also
 * when it has no flags (partner revoke shares invite's body): the call is
 * allocated at that size.  A list over app_list
 * needs no body of its own: struct cli_list and cli_exec_list; a "show"
 * neither: cli_show_flags and cli_exec_show.
 *
 * The older shape, a run(c, argc, argv) that calls cli_parse, cli_open,
 * cli_resolve and cli_fail itself, is still accepted (a new command may
 * start that way and move over later).  It stays where the order of things
 * is the command's own: "portal" (drops the environment and reads its own
 * configuration before it knows its database, then logs in), "check"
 * (forks before the database is opened, so a crash in a damaged file
 * becomes a verdict), and "partner key", a group of its own under partner
 * whose three subcommands are declared.  Everything else is declared;
 * ingest, import, mail send, deal check and commission approve report
 * more than one outcome, so their bodies set k->exit themselves.
 *
 * Exit statuses are those of sysexits.h; errors are one line on stderr,
 * "ally: COMMAND WORDS: why".
 */
#ifndef ALLY_CLI_CLI_H
#define ALLY_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/io.h"
#include "cli/opts.h"
#include "cli/out.h"

struct cli;
struct cli_call;
struct config;

/* What a declared command opens: CLI_READ unless it says otherwise. */
enum cli_open {
	CLI_READ = 0,           /* read-only (APP_RDONLY) */
	CLI_WRITE,
	CLI_NO_DB               /* nothing: init and demo create the database */
};

/* positionals: .names_max = CLI_MANY for "NAME..." */
#define CLI_MANY (-1)

struct cli_cmd {
	const char *name;
	const char *args;       /* positionals, for messages: "NAME" */
	const char *synopsis;   /* shown after the words: "NAME --rule RULE [options]" */
	const char *summary;
	/* The older style: the whole command in one function. */
	int (*run)(struct cli *c, int argc, char **argv);

	/* The declared style (used when run is NULL). */
	const struct opt *flags;        /* bound by offset into the call; NULL: none */
	size_t size;                    /* of the struct the flags are bound into,
	                                 * which starts with a struct cli_call; 0: a
	                                 * plain struct cli_call */
	int names;                      /* positionals: exactly this many ... */
	int names_max;                  /* ... or up to this many (CLI_MANY: any) */
	bool format;                    /* --csv/--json pick k->fmt (a table else) */
	bool config;                    /* read the configuration into k->cfg */
	enum cli_open open;
	enum kind kind;                 /* the kind it lists, shows, resolves, echoes */
	bool target;                    /* the first name is a record of kind: k->id */
	bool echo;                      /* after exec, print the saved record k->id */
	int param;                      /* for a body several entries share */
	/* Usage checks on the flags, before anything is opened: 0 or the exit
	 * status (the message printed). */
	int (*check)(struct cli_call *k);
	/* The command itself: ST_OK, or a failure described in k->e. */
	enum status (*exec)(struct cli_call *k);
};

/* What a declared command's check and exec get.  A command with flags of
 * its own puts this first in a struct of its own (.size) and casts. */
struct cli_call {
	struct cli *c;
	const struct cli_cmd *cmd;
	struct app *app;                /* open, unless .open = CLI_NO_DB */
	char **argv;                    /* the positionals */
	int argc;
	uint64_t id;                    /* .target: the record argv[0] names; an
	                                 * add sets it for .echo */
	bool json, csv;                 /* CLI_JSON, CLI_CSV */
	enum out_fmt fmt;               /* .format */
	struct config *cfg;             /* .config */
	struct err e;                   /* cleared before exec */
	int exit;                       /* the exit status when exec returns ST_OK:
	                                 * 0 unless the body reported something
	                                 * itself (e.g. deal check's 65) */
};

#define CLI_JSON(h) OPT_BOOL_AT("json", offsetof(struct cli_call, json), h)
#define CLI_CSV(h) OPT_BOOL_AT("csv", offsetof(struct cli_call, csv), h)
/* The two formats of a list, as every list says them. */
#define CLI_LIST_FORMATS \
	CLI_CSV("CSV with a header row"), CLI_JSON("one JSON object a line")

/* A list over app_list: its flags fill f (CLI_LIST_AT), and --limit N
 * the text limit, which .check = cli_check_limit turns into f.limit. */
struct cli_list {
	struct cli_call k;
	struct list_filter f;
	const char *limit;
};
#define CLI_LIST_AT(field) offsetof(struct cli_list, f.field)
int cli_check_limit(struct cli_call *k);

/* The flags of a list with no filter: --csv, --json. */
extern const struct opt cli_list_flags[];
/* cmd_ledger.c: text from app/ line by line, each line escaped (the
 * breaks kept); the outcome of approve/reject-like commands, one line per
 * id (PREFIX then the id), refusals on stderr, k->exit that of the
 * first refusal; st itself when nothing was decided. */
void cli_print_lines(char *p);
struct decision;
enum status cli_decisions(struct cli_call *k, const char *prefix, const struct decision *res,
    size_t n, enum status st);
/* The flags and body of "show REF [--json]" (kind: the entry's .kind). */
extern const struct opt cli_show_flags[];
enum status cli_exec_show(struct cli_call *k);
/* The body of a list (.kind, .format, .size = sizeof(struct cli_list)). */
enum status cli_exec_list(struct cli_call *k);

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
/* Run one subcommand of either style; argv starts at its name.  For a
 * group's own dispatcher (partner key). */
int cli_run(struct cli *c, const char *words, const struct cli_cmd *cmd, int argc,
    char **argv);

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
extern const struct cli_cmd webhook_cmds[], cmd_events, cmd_whatif;
extern const struct cli_cmd referrer_cmds[];

/* cmd_mail.c: the configuration file (--config, else the default ones);
 * 0 or an exit status. */
int cli_config(struct cli *c, struct config *cfg);
/* partner invite, resend, revoke (.param says which), their --days */
enum { CLI_INVITE, CLI_RESEND, CLI_REVOKE };
struct cli_invite_call {
	struct cli_call k;
	const char *days;
};
extern const struct opt cli_invite_flags[];
enum status cli_partner_invite(struct cli_call *k);
/* cmd_portal.c */
enum status cli_partner_unlock(struct cli_call *k);
int cli_portal(struct cli *c, int argc, char **argv);

#endif
