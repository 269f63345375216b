/*
 * util.h - checks shared by app/'s use cases: text fields, whole numbers,
 * days, dates, and the run-a-closure-in-a-write-transaction shape.
 */
#ifndef ALLY_APP_UTIL_H
#define ALLY_APP_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"

#define NAME_MAX_LEN 200
#define TEXT_MAX_LEN 2000

/* A one-line text field: not empty (when required), no control
 * characters (C0, DEL or C1), at most max bytes, valid UTF-8.  *out is a trimmed copy
 * (NULL for "" when !required). */
enum status util_text(const char *in, bool required, size_t max, char **out,
    const char *field, struct err *e);
/* A record's name (programs, tiers, partners): util_text, required, at most
 * NAME_MAX_LEN, and not id-like ("P1", "12": domain/names.h). */
enum status util_name(const char *in, char **out, const char *field, struct err *e);
/* The same for text of several lines (address, notes): line breaks (LF or
 * CRLF, kept as LF) and tabs are allowed, other controls are not.  Optional. */
enum status util_text_lines(const char *in, size_t max, char **out, const char *field,
    struct err *e);
/* A whole number in [min, max]. */
enum status util_int(const char *in, int64_t min, int64_t max, int64_t *out,
    const char *field, struct err *e);
/* Replace *dst with src (which the caller hands over). */
void util_replace(char **dst, char *src);
/* Copy a txn failure into e (when e has nothing yet). */
enum status util_txn_err(struct txn *t, struct err *e);

/*
 * Is `name` free in unique index ix for record `self` (0 = new)?  ST_EXISTS
 * "name: \"Spring\" is already taken by PG1" otherwise, quoting the name as
 * the user typed it.
 */
enum status util_name_free(struct txn *t, enum index ix, enum kind k, const char *name,
    uint64_t self, struct err *e);

/* Add a partner inside a caller's write transaction (import). */
struct partner_input;
enum status app_partner_save_in(struct app *a, struct txn *t, const struct partner_input *in,
    uint64_t *out_id, struct err *e);

#endif
