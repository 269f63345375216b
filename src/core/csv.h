/*
 * csv.h - writing RFC 4180 CSV (reading goes through libcsv in app/).
 * Fields are quoted when they hold a comma, quote, CR or LF, or start or
 * end with a blank; quotes are doubled; rows end with CRLF.  A field that
 * starts with = + - @ (or tab or CR) is prefixed with ' so spreadsheets do
 * not run it, unless it is a plain number such as -12.50.  NULL is "".
 */
#ifndef ALLY_CORE_CSV_H
#define ALLY_CORE_CSV_H

#include <stddef.h>

#include "core/str.h"

void csv_add_field(struct sbuf *row, const char *s, int first);
/* Append a whole row of n fields plus CRLF. */
void csv_add_row(struct sbuf *out, const char *const *fields, size_t n);

#endif
