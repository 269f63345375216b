/*
 * status.h - the one status enum of ally, with its exit codes and messages.
 *
 * Every function that can fail returns an enum status.  What the user needs
 * to read (which field, why) goes into a struct err, filled by err_set();
 * the CLI prints it as "ally: WHAT: WHY" and exits with status_exit(st).
 */
#ifndef ALLY_CORE_STATUS_H
#define ALLY_CORE_STATUS_H

#include <stddef.h>

/* X(name, sysexits code, default message) */
#define STATUS_LIST(X) \
	X(ST_OK,          0,  "ok") \
	X(ST_USAGE,       64, "usage error") \
	X(ST_DATA,        65, "bad data") \
	X(ST_EXISTS,      65, "already exists") \
	X(ST_CONFLICT,    65, "conflict") \
	X(ST_NOTFOUND,    66, "not found") \
	X(ST_NOINPUT,     66, "cannot open input") \
	X(ST_UNAVAILABLE, 69, "service unavailable") \
	X(ST_SOFTWARE,    70, "internal error") \
	X(ST_IOERR,       74, "input/output error") \
	X(ST_CANTCREAT,   73, "cannot create") \
	X(ST_TEMPFAIL,    75, "temporary failure") \
	X(ST_NOPERM,      77, "permission denied") \
	X(ST_CONFIG,      78, "configuration error")

enum status {
#define X(name, code, msg) name,
	STATUS_LIST(X)
#undef X
	ST__COUNT
};

/* Exit code from sysexits.h for a status. */
int status_exit(enum status st);
/* Short default message for a status. */
const char *status_str(enum status st);

/*
 * Error detail for the user: one line, naming the field and the reason,
 * e.g. "--amount: 12.345 has more decimals than EUR allows (2)".
 */
struct err {
	enum status st;
	char msg[512];
};

/* Set e (if not NULL) and return st, so callers can write
 * "return err_set(e, ST_DATA, "%s: ...", field);". */
enum status err_set(struct err *e, enum status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prefix the message already in e with "prefix: ". */
void err_prefix(struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void err_clear(struct err *e);

#endif
