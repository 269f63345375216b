/*
 * csv.h - writing RFC 4180 CSV (reading goes through libcsv in app/).
 * Fields are quoted when they hold a comma, semicolon, quote, tab, CR or
 * LF, or start or end with a blank (German and French Excel split on ";",
 * others on tabs); quotes are doubled; rows end with CRLF.  A text field
 * that starts with = + - @ is prefixed with ' so
 * spreadsheets do not run it, unless it is a plain number such as -12.50;
 * so is each piece after a ; tab CR or LF inside it, where a spreadsheet
 * that splits on those starts a cell.  Numbers, money and dates
 * (csv_add_value) are never prefixed.  A piece that already starts with '
 * before such a character gets one more, so csv_unguard() on import gives
 * back exactly what was exported.  NULL is "".
 */
#ifndef ALLY_CORE_CSV_H
#define ALLY_CORE_CSV_H

#include <stddef.h>

#include "core/str.h"

/* A text field (what people typed): quoted and guarded as above. */
void csv_add_field(struct sbuf *row, const char *s, int first);
/* A field ally formats itself (number, amount, date, id): quoted when it
 * must be, never guarded. */
void csv_add_value(struct sbuf *row, const char *s, int first);
/* Append a whole row of n text fields plus CRLF. */
void csv_add_row(struct sbuf *out, const char *const *fields, size_t n);
/* A field as read from a CSV file, in place, without the guards that
 * csv_add_field adds (one ' off each guarded piece).  NULL is left. */
void csv_unguard(char *s);

#endif
