/*
 * csv.c - writing RFC 4180 CSV.
 *
 * Exports are opened in spreadsheets, which run a cell that starts with
 * = + - @ (or a tab or CR before one) as a formula.  Such a field gets a
 * leading ' so it shows as text.  Plain numbers such as "-12.50" are left
 * alone: they cannot run anything, and a ' would turn every negative amount
 * in a statement into text.
 */
#include "config.h"

#include <string.h>

#include "core/csv.h"

static bool
is_number(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (*s < '0' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9')
		s++;
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

static bool
needs_guard(const char *s)
{
	return *s != '\0' && strchr("=+-@\t\r", *s) != NULL && !is_number(s);
}

static bool
needs_quotes(const char *s)
{
	size_t n = strlen(s);

	if (strpbrk(s, ",\"\r\n") != NULL)
		return true;
	return n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' ||
	    s[n - 1] == '\t');
}

void
csv_add_field(struct sbuf *row, const char *s, int first)
{
	bool guarded, quoted;
	const char *p;

	if (s == NULL)
		s = "";
	if (!first)
		sbuf_addc(row, ',');
	guarded = needs_guard(s);
	quoted = needs_quotes(s);
	if (quoted)
		sbuf_addc(row, '"');
	if (guarded)
		sbuf_addc(row, '\'');
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			sbuf_addc(row, '"');
		sbuf_addc(row, *p);
	}
	if (quoted)
		sbuf_addc(row, '"');
}

void
csv_add_row(struct sbuf *out, const char *const *fields, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		csv_add_field(out, fields[i], i == 0);
	sbuf_add(out, "\r\n");
}
