/*
 * names.c - the one predicate for names that look like record ids.  The
 * prefixes are those of records.c's kind table, so a kind added there is
 * covered here without a second list.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "domain/names.h"
#include "domain/records.h"

static bool
all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
	}
	return true;
}

bool
names_id_like(const char *s)
{
	int k;

	if (s == NULL)
		return false;
	if (all_digits(s))
		return true;
	for (k = 0; k < KIND__COUNT; k++) {
		const char *pre = kind_prefix((enum kind)k);
		size_t n = strlen(pre);

		if (n > 0 && strncasecmp(s, pre, n) == 0 && all_digits(s + n))
			return true;
	}
	return false;
}

enum status
names_check(const char *name, const char *field, struct err *e)
{
	if (!names_id_like(name))
		return ST_OK;
	return err_set(e, ST_DATA, "%s: \"%s\" looks like a record id (like P3, RF12 or 12) "
	    "and would be ambiguous", field, name);
}
