/*
 * names.h - which names records may have: none that reads as a record id.
 *
 * Commands take a record by id ("P3", or "3" where the kind is clear) or by
 * its unique name, so a partner called "P1" would make "P1" mean two
 * records.  Every path that names a record (add, edit, CSV import, vanity
 * codes) asks names_check() first; app_resolve() asks names_id_like() to
 * try the id before the name.
 */
#ifndef ALLY_DOMAIN_NAMES_H
#define ALLY_DOMAIN_NAMES_H

#include <stdbool.h>

#include "core/status.h"

/* "12", "P3", "rf12", "PG007": a bare number, or the id prefix of any
 * kind (any case) followed by digits only. */
bool names_id_like(const char *s);
/* ST_DATA "FIELD: \"P1\" looks like a record id ..." when name is id-like. */
enum status names_check(const char *name, const char *field, struct err *e);

#endif
