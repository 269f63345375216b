/*
 * clock.h - the one source of "now".  ALLY_NOW (RFC 3339) pins it for tests
 * and backfills unless clock_ignore_env() was called (the portal does).
 */
#ifndef ALLY_CORE_CLOCK_H
#define ALLY_CORE_CLOCK_H

#include <stdint.h>

#include "core/status.h"

/* UTC seconds since the epoch. */
int64_t clock_now(void);
/* Read ALLY_NOW; ST_CONFIG with a message when it is set but malformed. */
enum status clock_init(struct err *e);
/* From now on ignore ALLY_NOW. */
void clock_ignore_env(void);
/* Pin the clock (tests). */
void clock_set(int64_t t);

#endif
