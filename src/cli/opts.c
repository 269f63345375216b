/*
 * opts.c - parse one subcommand's flags from its table with getopt_long,
 * and print the same table as its help.
 *
 * GNU getopt_long permutes, so flags and positionals may come in any order;
 * "--" ends the flags.  Errors are one line on stderr naming the command
 * and pointing at its --help, with exit status 64 (EX_USAGE).
 */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/opts.h"
#include "core/alloc.h"
#include "core/str.h"
#include "core/utf8.h"

#define EXIT_USAGE 64

/* getopt_long returns OPT_BASE + index for table entries. */
#define OPT_BASE 1000
enum { OPT_DB = 900, OPT_CONFIG, OPT_HELP };

static int
usage_error(const struct opts *o, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "ally: %s: %s (see ally %s --help)\n", o->what, msg, o->what);
	return EXIT_USAGE;
}

static size_t
tab_len(const struct opt *tab)
{
	size_t n = 0;

	while (tab != NULL && tab[n].name != NULL)
		n++;
	return n;
}

static void
list_add(struct opt_list *l, const char *v)
{
	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n++] = v;
}

size_t
opt_size(const struct opt *op)
{
	switch (op->type) {
	case OPT_T_STR:
		return sizeof(const char *);
	case OPT_T_BOOL:
		return sizeof(bool);
	case OPT_T_LIST:
		return sizeof(struct opt_list);
	case OPT_T_END:
		break;
	}
	return 0;
}

/* Where a flag's value goes: its pointer, else base + its offset (NULL
 * when it has neither). */
static void *
opt_target(const struct opt *op, void *base)
{
	if (op->str != NULL)
		return (void *)op->str;
	if (op->flag != NULL)
		return op->flag;
	if (op->list != NULL)
		return op->list;
	return base != NULL ? (char *)base + op->off : NULL;
}

static void
free_lists(const struct opt *tab, void *base)
{
	size_t i, n = tab_len(tab);
	struct opt_list *l;

	for (i = 0; i < n; i++) {
		if (tab[i].type == OPT_T_LIST && (l = opt_target(&tab[i], base)) != NULL) {
			free(l->v);
			l->v = NULL;
			l->n = l->cap = 0;
		}
	}
}

void
opts_free(const struct opt *tab)
{
	free_lists(tab, NULL);
}

void
opts_done(const struct opts *o)
{
	free_lists(o->tab, o->base);
}

/* The flag as the user wrote it, for messages: "--frob" or "-x". */
static const char *
bad_flag(char **argv, int argc, int optopt_, char *buf, size_t len)
{
	if (optopt_ != 0 && optopt_ < OPT_DB) {
		snprintf(buf, len, "-%c", optopt_);
		return buf;
	}
	if (optind - 1 >= 1 && optind - 1 < argc) {
		char *vis = str_visible_cut(argv[optind - 1], 40);

		snprintf(buf, len, "%s", vis);
		free(vis);
		return buf;
	}
	return "?";
}

int
opts_parse(struct opts *o, int argc, char **argv)
{
	size_t i, n = tab_len(o->tab);
	struct option *lo = xcalloc(n + 4, sizeof *lo);
	bool *seen = xcalloc(n + 1, sizeof *seen);
	int c, rc = -1;
	char buf[64];

	for (i = 0; i < n; i++) {
		lo[i].name = o->tab[i].name;
		lo[i].has_arg = o->tab[i].type == OPT_T_BOOL ? no_argument : required_argument;
		lo[i].val = OPT_BASE + (int)i;
	}
	lo[n] = (struct option){ "db", required_argument, NULL, OPT_DB };
	lo[n + 1] = (struct option){ "config", required_argument, NULL, OPT_CONFIG };
	lo[n + 2] = (struct option){ "help", no_argument, NULL, OPT_HELP };

	opterr = 0;
	optind = 0;             /* glibc: start over (every subcommand parses) */
	while (rc < 0 && (c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		const struct opt *op;

		if (c == 'h' || c == OPT_HELP) {
			opts_help(o);
			rc = 0;
		} else if (c == OPT_DB) {
			if (o->db != NULL)
				*o->db = optarg;
		} else if (c == OPT_CONFIG) {
			if (o->config != NULL)
				*o->config = optarg;
		} else if (c == ':') {
			rc = usage_error(o, "option %s needs a value",
			    bad_flag(argv, argc, optopt >= OPT_BASE ? 0 : optopt, buf, sizeof buf));
		} else if (c == '?' || c < OPT_BASE || c >= OPT_BASE + (int)n) {
			const char *f = bad_flag(argv, argc, optopt >= OPT_BASE ? 0 : optopt,
			    buf, sizeof buf);

			if (strchr(f, '=') != NULL)
				rc = usage_error(o, "option %s takes no value", f);
			else
				rc = usage_error(o, "unknown option %s", f);
		} else {
			op = &o->tab[c - OPT_BASE];
			switch (op->type) {
			case OPT_T_STR:
				if (seen[c - OPT_BASE])
					rc = usage_error(o, "option --%s given twice", op->name);
				else
					*(const char **)opt_target(op, o->base) = optarg;
				break;
			case OPT_T_BOOL:
				*(bool *)opt_target(op, o->base) = true;
				break;
			case OPT_T_LIST:
				list_add(opt_target(op, o->base), optarg);
				break;
			case OPT_T_END:
				break;
			}
			seen[c - OPT_BASE] = true;
		}
	}
	if (rc < 0) {
		o->argv = argv + optind;
		o->argc = argc - optind;
		if (o->argc < o->min_args)
			rc = usage_error(o, "missing %s", o->args != NULL ? o->args : "argument");
		else if (o->max_args >= 0 && o->argc > o->max_args) {
			char *vis = str_visible_cut(o->argv[o->max_args], 40);

			rc = usage_error(o, "unexpected argument \"%s\"", vis);
			free(vis);
		}
	}
	for (i = 0; rc < 0 && i < n; i++) {
		if (o->tab[i].required && !seen[i])
			rc = usage_error(o, "--%s is required", o->tab[i].name);
	}
	free(lo);
	free(seen);
	if (rc >= 0)
		opts_done(o);
	return rc;
}

/* "--name ARG" as shown in the help. */
static char *
flag_label(const struct opt *op)
{
	if (op->type == OPT_T_BOOL || op->arg == NULL)
		return xasprintf("--%s", op->name);
	return xasprintf("--%s %s", op->name, op->arg);
}

void
opts_help_line(const char *label, const char *help, size_t col)
{
	size_t w = utf8_width(label), at = col, len;
	const char *p = help, *sp;

	if (w + 4 > col)
		printf("  %s\n%*s", label, (int)col, "");
	else
		printf("  %s%*s", label, (int)(col - 2 - w), "");
	while (*p != '\0') {
		sp = strchr(p, ' ');
		len = sp != NULL ? (size_t)(sp - p) : strlen(p);
		if (p != help && at + 1 + len > 79) {
			printf("\n%*s", (int)col, "");
			at = col;
		} else if (p != help) {
			putchar(' ');
			at++;
		}
		fwrite(p, 1, len, stdout);
		at += len;
		p += len;
		while (*p == ' ')
			p++;
	}
	putchar('\n');
}

void
opts_help(const struct opts *o)
{
	size_t i, n = tab_len(o->tab), col = 18;

	printf("usage: ally %s%s%s\n", o->what,
	    str_empty(o->synopsis) ? "" : " ", o->synopsis != NULL ? o->synopsis : "");
	if (!str_empty(o->summary)) {
		size_t sl = strlen(o->summary);
		char first = o->summary[0];

		if (first >= 'a' && first <= 'z')
			first = (char)(first - 'a' + 'A');
		printf("\n%c%s%s\n", first, o->summary + 1,
		    o->summary[sl - 1] == '.' ? "" : ".");
	}
	for (i = 0; i < n; i++) {
		char *l = flag_label(&o->tab[i]);
		size_t w = utf8_width(l) + 4;

		if (w > col && w <= 30)
			col = w;
		free(l);
	}
	printf("\noptions:\n");
	for (i = 0; i < n; i++) {
		const struct opt *op = &o->tab[i];
		char *l = flag_label(op);
		char *h = xasprintf("%s%s%s", op->help != NULL ? op->help : "",
		    op->required ? " (required)" : "",
		    op->type == OPT_T_LIST ? " (repeatable)" : "");

		opts_help_line(l, h, col);
		free(l);
		free(h);
	}
	opts_help_line("--db DIR", "database directory (else $ALLY_DB)", col);
	opts_help_line("-h, --help", "show this help", col);
	if (!str_empty(o->details))
		printf("\n%s\n", o->details);
}
