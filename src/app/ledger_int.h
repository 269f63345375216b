/*
 * ledger_int.h - what the rest of app/ calls in the ledger: events.c keeps
 * lines right after each conversion and refund.
 */
#ifndef ALLY_APP_LEDGER_INT_H
#define ALLY_APP_LEDGER_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "core/money.h"
#include "core/str.h"
#include "domain/rule.h"

/* Recompute the tier period of (referrer, program) containing `at`;
 * for flat/percent rules only `only_conversion`.  appended: that
 * conversion is new (not refunded or rejected since), so when it is the
 * last of its period no earlier line can change. */
enum status ledger_reconcile(struct app *a, struct txn *t, uint64_t referrer, uint64_t program,
    uint64_t only_conversion, int64_t at, bool appended, struct err *e);
enum status ledger_rule(struct txn *t, const struct program *pg, uint64_t referrer,
    struct rule *r, char **text, uint64_t *partner, struct err *e);
/* Closing a month freezes it and every month before it. */
bool ledger_month_closed(struct txn *t, int64_t at);
/* Is there room for a conversion of `amount` by referrer in the program:
 * would the referrer's total there still fit in int64?  Checked before
 * anything is written, so a refusal leaves nothing behind. */
enum status ledger_room(struct txn *t, const struct program *pg, uint64_t referrer, int64_t amount,
    struct err *e);
/* Closed, and since when (the earliest closing that froze month(at)). */
bool ledger_frozen_since(struct txn *t, int64_t at, int64_t *since);
/* When a line made now for something at `at` is dated: `at` while its month
 * is open, else in the first open month after it (now when now is in it). */
int64_t ledger_line_date(struct txn *t, int64_t at);
/* The commission line of a won partner deal: by the partner tier's rule,
 * else the organisation's default deal rule; none when neither is set. */
enum status ledger_deal_won(struct app *a, struct txn *t, const struct deal *d, struct err *e);
char *ledger_adjust_text(const struct commission *orig, int64_t desired, int64_t current,
    int64_t diff, const char *arith);

/* ledger_clause.c: what a rule's clauses can test about cv, and the line
 * of a conversion of `value` under a flat, percent or clause rule (0 when
 * no clause holds), its arithmetic in x (may be NULL), the unrounded line
 * in *micro. */
void ledger_facts(struct txn *t, const struct program *pg, const struct rule *r, const struct conversion *cv,
    struct rule_facts *f);
int64_t ledger_clause_line(const struct rule *r, const struct rule_facts *f, const struct currency *cur,
    int64_t value, struct sbuf *x, __int128 *micro);

/* sequence.c: before a conversion is written, its qualifying flag under
 * the rule's duration and its place among its referral's qualifying
 * conversions (ref's counters move past it; the caller writes both).
 * *renumber: it came before a later conversion of the referral, and
 * sequence_renumber must run once it is written (before it is
 * reconciled). */
enum status sequence_place(struct txn *t, const struct program *pg, struct referral *ref,
    struct conversion *cv, bool *renumber, struct err *e);
/* Walk the referral's conversions in time order, write each place that
 * changed and reconcile the lines of those (but `except`, the new one,
 * which the caller reconciles as appended). */
enum status sequence_renumber(struct app *a, struct txn *t, const struct program *pg, uint64_t referral,
    uint64_t except, struct err *e);
/* ally check: every kept place and referral counter against a walk of
 * the referral's conversions; one line per difference; returns how many. */
uint64_t sequence_verify(struct txn *t, void (*report)(void *ctx, const char *line), void *ctx);

/* rewards.c: bring the referee reward lines of a conversion to what the
 * program's referee rule gives its contact now (nothing when the program
 * has none and no line was made). */
enum status reward_reconcile(struct txn *t, const struct program *pg, uint64_t conversion, struct err *e);

/* Compare the kept period totals with a walk of each period's
 * conversions: one line per difference to report; returns how many. */
uint64_t ledger_verify_periods(struct txn *t, void (*report)(void *ctx, const char *line), void *ctx);

/* Partner pid's statement for month (YYYY-MM), no permission check: the
 * callers (app_statement, the portal) make theirs. */
struct sbuf;
enum status statement_build(struct app *a, uint64_t pid, const char *month, bool csv,
    struct sbuf *out, struct err *e);

#endif
