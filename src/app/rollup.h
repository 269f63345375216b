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
 *   'P' referrer program start      a commission period's running totals,
 *                                   kept by the ledger (rollup_period_*)
 *   'S' referrer day program        as 'R', ordered by referrer (the top
 *                                   referrers of a bounded range)
 *   'A' referrer                    referrals, conversions over all programs
 *   'T' program -refs -conv referrer  1: referrers ranked by lifetime
 *                                   referrals then conversions, per program
 *                                   and over all (program 0), from 'L'/'A'
 *
 * "partner" is the referrer's partner, 0 for customers.  They change only
 * through rollup_hook (the store's change hook), from each record's before
 * and after, and `ally check` compares them with a rebuild.
 */
#ifndef ALLY_APP_ROLLUP_H
#define ALLY_APP_ROLLUP_H

#include <stdint.h>

#include "app/app.h"

#define ROLLUP_VERSION 5

/* The four families, by the byte that starts their keys. */
enum rollup_family {
	ROLLUP_DAY = 'D',               /* day program partner */
	ROLLUP_REFERRER = 'R',          /* day program referrer */
	ROLLUP_COMMISSION = 'C',        /* day program partner status currency */
	ROLLUP_LIFETIME = 'L',          /* program referrer, all time (day 0) */
};

/* One counter entry, decoded.  who is the partner for 'D' and 'C', the
 * referrer for 'R' and 'L'.  v: referrals, converted, converted value
 * ('D', 'R', 'L'); commission amount, lines ('C', v[2] is 0). */
struct rollup_entry {
	enum rollup_family family;
	int32_t day;
	uint64_t program, who;
	uint64_t status;                /* 'C' only */
	char currency[4];               /* 'C' only, NUL-terminated */
	int64_t v[3];
};

/*
 * A forward walk over one family's entries from day d0 to day d1 (both
 * included; 'L' ignores the days), in key order (day, program, who, ...):
 *   struct rollup_walk *w = rollup_walk_begin(t, ROLLUP_DAY, d0, d1);
 *   struct rollup_entry en;
 *   while (rollup_walk_next(w, &en)) ...
 *   rollup_walk_end(w);
 */
struct rollup_walk;
struct rollup_walk *rollup_walk_begin(struct txn *t, enum rollup_family fam, int32_t d0, int32_t d1);
bool rollup_walk_next(struct rollup_walk *w, struct rollup_entry *en);
void rollup_walk_end(struct rollup_walk *w);

void rollup_hook(struct txn *t, enum kind k, const void *before, const void *after);
/* rollup_hook as the store's change hook (app_session_new adds it first,
 * before the audit log's). */
void rollup_change(void *ctx, struct txn *t, enum kind k, uint64_t id, const void *before,
    const void *after);
/* Referrers by lifetime referrals (most first), then conversions, then
 * id, in one program (0: over all programs); only referrers with some. */
struct rollup_rank;
struct rollup_rank *rollup_rank_begin(struct txn *t, uint64_t program);
bool rollup_rank_next(struct rollup_rank *r, uint64_t *referrer, int64_t *referrals,
    int64_t *conversions);
void rollup_rank_end(struct rollup_rank *r);
/* One referrer's day entries ('S') from day d0 to d1, in day order, as
 * 'R' entries (who is the referrer); ended with rollup_rank_end. */
struct rollup_rank *rollup_days_begin(struct txn *t, uint64_t referrer, int32_t d0, int32_t d1);
bool rollup_days_next(struct rollup_rank *r, struct rollup_entry *en);
/* The same walk again for another referrer, on the same cursor. */
void rollup_days_again(struct rollup_rank *r, uint64_t referrer, int32_t d0, int32_t d1);
/* A referrer's converted value in a program over all time ('L'), minor
 * units; 0 when there is none or the rollups are not built yet. */
int64_t rollup_converted_value(struct txn *t, uint64_t program, uint64_t referrer);
/*
 * The running totals of one commission period of (referrer, program)
 * starting at `start`, as the ledger left them: the included conversions'
 * count and net value, the period's commission before caps (micro units),
 * what the program's cap has let through so far, and a fingerprint of the
 * rule they were computed under (never 0; 0 means "not known").
 */
struct rollup_period {
	int64_t count, revenue;
	__int128 micro;
	int64_t capped;
	int64_t rule;
};
/* false (and *p zeroed) when none is kept. */
bool rollup_period_get(struct txn *t, uint64_t referrer, uint64_t program, int64_t start,
    struct rollup_period *p);
void rollup_period_set(struct txn *t, uint64_t referrer, uint64_t program, int64_t start,
    const struct rollup_period *p);
/* Every kept period, in key order; fn returns false to stop. */
void rollup_period_each(struct txn *t, bool (*fn)(void *ctx, uint64_t referrer, uint64_t program,
    int64_t start, const struct rollup_period *p), void *ctx);

/* Clear and recompute every counter from the records (in t). */
enum status rollup_rebuild(struct txn *t);
/* Is the rollup table there and current?  (meta "rollup.version") */
bool rollup_current(struct txn *t);
/* Recompute every counter from the records and compare; one line per
 * difference to report; returns how many. */
uint64_t rollup_verify(struct txn *t, void (*report)(void *ctx, const char *line), void *ctx);

#endif
