/*
 * status.c - exit codes and messages for enum status; the error buffer.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/status.h"

static const int status_codes[] = {
#define X(name, code, msg) code,
	STATUS_LIST(X)
#undef X
};

static const char *const status_msgs[] = {
#define X(name, code, msg) msg,
	STATUS_LIST(X)
#undef X
};

int
status_exit(enum status st)
{
	if ((unsigned)st >= ST__COUNT)
		return 70;
	return status_codes[st];
}

const char *
status_str(enum status st)
{
	if ((unsigned)st >= ST__COUNT)
		return "unknown status";
	return status_msgs[st];
}

enum status
err_set(struct err *e, enum status st, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return st;
	e->st = st;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return st;
}

void
err_prefix(struct err *e, const char *fmt, ...)
{
	char pre[256], old[sizeof e->msg];
	va_list ap;

	if (e == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof pre, fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof old);
	/* A message cut at sizeof e->msg is still one readable line. */
	if (snprintf(e->msg, sizeof e->msg, "%s: %s", pre, old) < 0)
		e->msg[0] = '\0';
}

void
err_clear(struct err *e)
{
	if (e == NULL)
		return;
	e->st = ST_OK;
	e->msg[0] = '\0';
}
