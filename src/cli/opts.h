/*
 * opts.h - per-subcommand flags declared as a table, parsed with
 * getopt_long, and the same table printed as the command's --help.
 *
 * A flag is bound one of two ways.  By offset (the _AT macros) into the
 * struct that opts_parse gets as o->base: the table is then a static const
 * declaration, written once beside the command (cli.h's declared commands):
 *
 *	static const struct opt add_flags[] = {
 *		OPT_REQ_AT("rule", "RULE", offsetof(struct program_call, in.rule),
 *		    "commission rule"),
 *		OPT_BOOL_AT("activate", offsetof(struct program_call, in.activate),
 *		    "activate at once"),
 *		OPT_END
 *	};
 *
 * Or by pointer, the table built on the caller's stack pointing each flag
 * at a local variable (the older style, still accepted):
 *
 *	const struct opt tab[] = {
 *		OPT_REQ("rule", "RULE", &in.rule, "commission rule"),
 *		OPT_END
 *	};
 *
 * Every table also accepts the global --db and --config, and -h/--help.
 */
#ifndef ALLY_CLI_OPTS_H
#define ALLY_CLI_OPTS_H

#include <stdbool.h>
#include <stddef.h>

enum opt_type {
	OPT_T_END = 0,
	OPT_T_STR,      /* --name VALUE into *str; given twice is an error */
	OPT_T_BOOL,     /* --name sets *flag */
	OPT_T_LIST      /* --name VALUE, repeatable, appended to *list */
};

/* The values of a repeatable flag. */
struct opt_list {
	const char **v;
	size_t n, cap;
};

struct opt {
	const char *name;       /* long name without the dashes */
	enum opt_type type;
	const char *arg;        /* metavariable for the help: "DAYS" */
	const char *help;
	bool required;
	/* by pointer; when all three are NULL, by offset into opts->base */
	const char **str;
	bool *flag;
	struct opt_list *list;
	size_t off;
};

#define OPT_STR(n, a, p, h) \
	{ .name = (n), .type = OPT_T_STR, .arg = (a), .str = (p), .help = (h) }
#define OPT_REQ(n, a, p, h) \
	{ .name = (n), .type = OPT_T_STR, .arg = (a), .str = (p), .help = (h), .required = true }
#define OPT_BOOL(n, p, h) \
	{ .name = (n), .type = OPT_T_BOOL, .flag = (p), .help = (h) }
#define OPT_LIST(n, a, p, h) \
	{ .name = (n), .type = OPT_T_LIST, .arg = (a), .list = (p), .help = (h) }
/* The same bound by offset into opts->base (off: an offsetof()). */
#define OPT_STR_AT(n, a, o, h) \
	{ .name = (n), .type = OPT_T_STR, .arg = (a), .off = (o), .help = (h) }
#define OPT_REQ_AT(n, a, o, h) \
	{ .name = (n), .type = OPT_T_STR, .arg = (a), .off = (o), .help = (h), .required = true }
#define OPT_BOOL_AT(n, o, h) \
	{ .name = (n), .type = OPT_T_BOOL, .off = (o), .help = (h) }
#define OPT_LIST_AT(n, a, o, h) \
	{ .name = (n), .type = OPT_T_LIST, .arg = (a), .off = (o), .help = (h) }
#define OPT_END { .name = NULL, .type = OPT_T_END }

/* What one parse needs to know and what it yields. */
struct opts {
	const char *what;       /* command words for messages: "program add" */
	const char *args;       /* positionals for messages: "NAME" */
	const char *synopsis;   /* after the words: "NAME --rule RULE [options]" */
	const char *summary;    /* one sentence for the help */
	const char *details;    /* optional paragraph after the flags, or NULL */
	const struct opt *tab;
	void *base;             /* what flags bound by offset are written into */
	int min_args, max_args; /* positionals; max_args < 0: any number */
	const char **db;        /* where the global flags go */
	const char **config;
	/* out */
	char **argv;            /* positionals */
	int argc;
};

/*
 * Parse argv[1..] (argv[0] is the subcommand's name).  Returns -1 when the
 * command should run, otherwise the exit status to return at once: 0 after
 * printing the help, 64 after a usage error (one line on stderr).
 */
int opts_parse(struct opts *o, int argc, char **argv);
/* Print the help for o to stdout. */
void opts_help(const struct opts *o);
/* "  LABEL  HELP" to stdout, HELP from column col (on the next line when
 * LABEL is too wide), wrapped at words within 79 columns. */
void opts_help_line(const char *label, const char *help, size_t col);
/* Free what opts_parse allocated for OPT_T_LIST flags in tab (bound by
 * pointer); opts_done also those bound by offset into o->base. */
void opts_free(const struct opt *tab);
void opts_done(const struct opts *o);
/* The bytes of o->base a flag bound by offset writes, past its offset. */
size_t opt_size(const struct opt *op);

#endif
