/*
 * io.h - records as rows of typed cells, for every list, show and export.
 *
 * One description per record kind says which columns it has; the CLI turns
 * rows into an aligned table, CSV or JSON Lines, the TUI into its tables.
 * A money cell prints as "amount": "2050.00" plus "amount_minor": 205000
 * and "currency" in JSON.
 */
#ifndef ALLY_APP_IO_H
#define ALLY_APP_IO_H

#include <stddef.h>
#include <stdint.h>

#include "app/app.h"

enum cell_type {
	CELL_STR,
	CELL_INT,
	CELL_MONEY,     /* i in minor units of cur */
	CELL_TIME,      /* i UTC seconds; 0 = empty */
	CELL_DATE,      /* i UTC seconds shown as a day in the org's zone */
	CELL_BOOL
};

struct cell {
	const char *name;       /* column name, as in JSON and CSV headers */
	enum cell_type type;
	const char *s;          /* CELL_STR (NULL = empty) */
	int64_t i;
	const char *cur;        /* CELL_MONEY */
};

#define ROW_MAX 24
struct row {
	struct cell c[ROW_MAX];
	size_t n;
	char buf[ROW_MAX][32];  /* storage for ids and derived strings */
};

typedef enum status (*row_fn)(void *ctx, const struct row *r);

/* What to list: all records of a kind, or narrowed. */
struct list_filter {
	const char *program;    /* name or id */
	const char *partner;
	const char *tier;
	const char *status;
	const char *from, *to;  /* dates */
	uint64_t limit;         /* 0 = all */
};

/* "programs", "partners", "tiers", "referrals", "conversions", "refunds",
 * "codes", "referrers", "users", "agreements" -> kind; false if unknown. */
bool app_table_kind(const char *what, enum kind *k);

/* Call fn for each record of kind k that passes the filter, newest first
 * for events, by id otherwise. */
enum status app_list(struct app *a, enum kind k, const struct list_filter *f,
    row_fn fn, void *ctx, struct err *e);
/* One row of kind k with every column and nothing in it: the header of an
 * empty export. */
enum status app_list_columns(struct app *a, enum kind k, row_fn fn, void *ctx, struct err *e);
/* One record, named as a user would (id or name). */
enum status app_show(struct app *a, enum kind k, const char *ref, row_fn fn, void *ctx,
    struct err *e);

#endif
