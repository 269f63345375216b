/*
 * import.h - CSV files in (ally import partners|referrals|deals|conversions),
 * as the organisation's spreadsheets and the tools it leaves write them.
 *
 * import_csv.c reads a file into rows that remember their line (a BOM
 * skipped, CRLF or LF, quoted fields over several lines) and maps its
 * header onto a kind's columns (--map, --from presets, unknown columns);
 * import.c turns rows into records.  Partners and deals are all or
 * nothing; referrals and conversions go the way of ally ingest (each bad
 * row reported, the others recorded, a second run changes nothing).
 */
#ifndef ALLY_APP_IMPORT_H
#define ALLY_APP_IMPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "app/app.h"

/* A file read whole: rows[0] is the header. */
struct csv_table {
	char ***rows;                   /* rows[i][j] */
	size_t *ncols;
	unsigned long *line;            /* the line each row starts on */
	size_t n, cap;
	/* while reading */
	char **cur;
	size_t curn, curcap;
	unsigned long at, cur_line, last_end;
};

enum status csv_table_read(const char *path, struct csv_table *t, struct err *e);
void csv_table_free(struct csv_table *t);
bool csv_table_blank(const struct csv_table *t, size_t row);

/* How dates are written by a preset's tool. */
enum import_dates { DATES_ALLY, DATES_SQL, DATES_ISO, DATES_US };

/* A kind's columns; a header column maps onto one of them or is unknown. */
#define IMPORT_MAX_COLS 24
struct import_kind {
	const char *what;               /* "partners" */
	const char *const *cols;        /* canonical names, NULL-terminated */
	const char *const *required;    /* each needed, NULL-terminated */
};

struct import_map {
	long ix[IMPORT_MAX_COLS];       /* header column of cols[i], -1 absent */
	enum import_dates dates;
	bool preset;
};

/* Map t's header onto k's columns with opts (--map, --from, --strict).
 * Unknown columns are one warning line on warn (an error with strict);
 * a missing required column is named.  ST_USAGE for a bad --map/--from. */
enum status import_map_header(const struct import_kind *k, const struct csv_table *t,
    const struct import_opts *o, const char *path, FILE *warn, struct import_map *m,
    struct err *e);
/* Row r's value of column i (NULL when absent). */
const char *import_get(const struct csv_table *t, const struct import_map *m, size_t r, size_t i);
/* A preset's date ("2026-10-01 10:00:00", "10/01/2026", ...) as ally takes
 * it; NULL in, NULL out.  The caller frees. */
char *import_date(enum import_dates d, const char *s);

#endif
