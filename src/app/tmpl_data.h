/*
 * tmpl_data.h - the default mail templates, compiled in from data/ at build
 * time (src/tools/embed writes tmpl_data.c).  [mail] templates = DIR, or
 * ALLY_TEMPLATES in tests, replaces them with files read at run time.
 */
#ifndef ALLY_APP_TMPL_DATA_H
#define ALLY_APP_TMPL_DATA_H

struct tmpl_builtin {
	const char *file;               /* "invitation.txt" */
	const char *text;
};

/* Ends with { NULL, NULL }. */
extern const struct tmpl_builtin tmpl_builtins[];

#endif
