/*
 * rollup.h - counters kept beside the records, in the same transaction,
 * so that analytics read thousands of entries instead of millions of
 * records.  Three families, each keyed by the local day:
 *
 *   'D' day program partner         referrals, converted, converted value
 *   'R' day program referrer        the same, per referrer (top referrers)
 *   'C' day program partner status CUR  commission amount, lines (CUR: the
 *                                   line's 3-letter currency; deal lines
 *                                   have program 0)
 *   'L' 0 program referrer          per referrer over all time (open ranges)
 *
 * "partner" is the referrer's partner, 0 for customers.  They change only
 * through rollup_hook (the store's change hook), from each record's before
 * and after, and `ally check` compares them with a rebuild.
 */
#ifndef ALLY_APP_ROLLUP_H
#define ALLY_APP_ROLLUP_H

#include <stdint.h>

#include "app/app.h"

#define ROLLUP_VERSION 3

void rollup_hook(struct txn *t, enum kind k, const void *before, const void *after);
/* A referrer's converted value in a program over all time ('L'), minor
 * units; 0 when there is none or the rollups are not built yet. */
int64_t rollup_converted_value(struct txn *t, uint64_t program, uint64_t referrer);
/* Clear and recompute every counter from the records (in t). */
enum status rollup_rebuild(struct txn *t);
/* Is the rollup table there and current?  (meta "rollup.version") */
bool rollup_current(struct txn *t);
/* Recompute every counter from the records and compare; one line per
 * difference to report; returns how many. */
uint64_t rollup_verify(struct txn *t, void (*report)(void *ctx, const char *line), void *ctx);

#endif
