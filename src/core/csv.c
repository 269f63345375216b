/*
 * csv.c - writing RFC 4180 CSV, and taking the formula guard off again.
 *
 * Exports are opened in spreadsheets, which run a cell that starts with
 * = + - @ (or a tab or CR before one) as a formula (OWASP's "CSV
 * injection").  Such a text field gets a leading ' so it shows as text
 * (after the tab or CR, which a reader may drop or keep).
 * German and French Excel split a line on ";" (and a text import may split
 * on tabs and line breaks) without regard to our quotes, which only count
 * at the start of their cells, so a cell may also start after a ; tab CR
 * or LF inside a field: each such piece that would run gets its ' too.
 * Plain numbers such as "-12.50" are left alone: they cannot run anything,
 * and a ' would turn every negative amount in a statement into text; the
 * columns ally formats itself (csv_add_value) are never touched.
 *
 * The guard is reversible: a piece that already starts with ' before a
 * guarded character gets one more, and csv_unguard() takes exactly one off
 * each guarded piece, so an import reads back what an export wrote.
 */
#include "config.h"

#include <string.h>

#include "core/csv.h"

/* Where a spreadsheet may start a cell inside a field. */
#define CELL_BREAKS ";\t\r\n"

static bool
is_number(const char *s, size_t n)
{
	size_t i = 0;

	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	if (i >= n || s[i] < '0' || s[i] > '9')
		return false;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i < n && s[i] == '.') {
		i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return false;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	return i == n;
}

/* Would the cell starting at s run?  A tab or CR before the formula is
 * itself a break, so "\t=1" is written "\t'=1": safe whether a reader
 * drops the tab or not. */
static bool
needs_guard(const char *s)
{
	while (*s == '\'')
		s++;            /* '=x is written ''=x, to read back as '=x */
	if (*s == '\0' || strchr("=+-@", *s) == NULL)
		return false;
	return !is_number(s, strcspn(s, CELL_BREAKS));
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
		if (text && strchr(CELL_BREAKS, *p) != NULL && needs_guard(p + 1))
			sbuf_addc(row, '\'');
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

void
csv_unguard(char *s)
{
	char *w = s;
	const char *r = s;
	bool piece = true;

	if (s == NULL)
		return;
	while (*r != '\0') {
		if (piece && r[0] == '\'' && needs_guard(r + 1))
			r++;    /* the guard: not part of the text */
		piece = strchr(CELL_BREAKS, *r) != NULL;
		*w++ = *r++;
	}
	*w = '\0';
}
