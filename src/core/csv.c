/*
 * csv.c - writing RFC 4180 CSV.
 *
 * Exports are opened in spreadsheets, which run a cell that starts with
 * = + - @ (or a tab or CR before one) as a formula (OWASP's "CSV
 * injection").  Such a text field gets a leading ' so it shows as text.
 * Plain numbers such as "-12.50" are left alone: they cannot run anything,
 * and a ' would turn every negative amount in a statement into text; the
 * columns ally formats itself (csv_add_value) are never touched.  The
 * guard is reversible: a field that starts with ' before a guarded
 * character gets one more, and csv_unguard() takes exactly one off.
 *
 * Quoting covers ";" and tabs as well as RFC 4180's comma, quote, CR and
 * LF: German and French Excel split on ";", and a split is what lets a
 * formula start after it.
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
	while (*s == '\'')
		s++;            /* '=x is written ''=x, to read back as '=x */
	return *s != '\0' && strchr("=+-@\t\r", *s) != NULL && !is_number(s);
}

static bool
needs_quotes(const char *s)
{
	size_t n = strlen(s);

	if (strpbrk(s, ",;\"\t\r\n") != NULL)
		return true;
	return n > 0 && (s[0] == ' ' || s[n - 1] == ' ');
}

static void
add(struct sbuf *row, const char *s, int first, bool text)
{
	bool quoted;
	const char *p;

	if (s == NULL)
		s = "";
	if (!first)
		sbuf_addc(row, ',');
	quoted = needs_quotes(s);
	if (quoted)
		sbuf_addc(row, '"');
	if (text && needs_guard(s))
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
csv_add_field(struct sbuf *row, const char *s, int first)
{
	add(row, s, first, true);
}

void
csv_add_value(struct sbuf *row, const char *s, int first)
{
	add(row, s, first, false);
}

void
csv_add_row(struct sbuf *out, const char *const *fields, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		csv_add_field(out, fields[i], i == 0);
	sbuf_add(out, "\r\n");
}

const char *
csv_unguard(const char *s)
{
	if (s != NULL && s[0] == '\'' && needs_guard(s + 1))
		return s + 1;
	return s;
}
