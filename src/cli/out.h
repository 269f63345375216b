/*
 * out.h - printing rows (app/io.h) as an aligned table, RFC 4180 CSV, JSON
 * Lines, or a "name: value" view of one record.
 *
 * Text from the database never reaches the terminal raw: table and view
 * cells pass str_visible().  JSON money cells print as "NAME": "2050.00",
 * "NAME_minor": 205000 and "currency".
 */
#ifndef ALLY_CLI_OUT_H
#define ALLY_CLI_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "app/io.h"
#include "core/status.h"

enum out_fmt { OUT_TABLE, OUT_CSV, OUT_JSON, OUT_VIEW };

struct out_col;

struct out {
	enum out_fmt fmt;
	FILE *f;
	size_t rows;            /* rows printed or held */
	/* table: the first rows are held to size the columns */
	struct out_col *cols;
	size_t ncols;
	size_t nshow;           /* columns that fit the terminal */
	char **held;            /* held rows' cell texts, ncols per row */
	size_t nheld, capheld;
	bool sized;
	int width;              /* terminal columns, 0 = no limit */
	bool csv_header;
};

/* Pick the format from --csv/--json (dflt when neither).  false when both
 * were given. */
bool out_pick(bool csv, bool json, enum out_fmt dflt, enum out_fmt *fmt);
void out_init(struct out *o, enum out_fmt fmt, FILE *f);
/* A row_fn: ctx is a struct out. */
enum status out_row(void *ctx, const struct row *r);
/* A row_fn for app_list_columns: the CSV header alone (other formats
 * print nothing for no rows). */
enum status out_header(void *ctx, const struct row *r);
/* Flush a table, free everything.  Prints nothing else. */
void out_finish(struct out *o);

/* One row as a new JSON object (ids strings, money three ways). */
json_t *out_row_json(const struct row *r);
/* Print obj on one line to f and release it. */
void out_json_line(FILE *f, json_t *obj);
/* The text of a cell as CSV and the view show it; buf >= 64 bytes. */
const char *out_cell_text(const struct cell *c, bool human, char *buf);
/* A cell of r by name, or NULL. */
const struct cell *out_cell_find(const struct row *r, const char *name);
/* Append a string cell to r (for values the CLI adds, like a code's link). */
void out_row_add_str(struct row *r, const char *name, const char *s);

#endif
