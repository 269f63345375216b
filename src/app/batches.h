/*
 * batches.h - what a recorded payout batch paid, line by line, for the
 * TUI's list of batches (and any caller that shows one).
 *
 * The batches themselves are app_list(KIND_PAYOUT); their files
 * app_payout_export and app_payout_file, and mark-paid
 * app_payout_mark_paid (app/ledger.h).
 */
#ifndef ALLY_APP_BATCHES_H
#define ALLY_APP_BATCHES_H

#include <stddef.h>

#include "app/app.h"
#include "app/io.h"

/*
 * The commission lines batch ("PB3" or "3") paid, in line order, as rows:
 * id, payee (the partner, else the customer), program, kind, earned (the
 * day), amount (money in the batch's currency).  ST_NOTFOUND for no such batch.
 */
enum status app_payout_batch_lines(struct app *a, const char *batch, row_fn fn, void *ctx,
    struct err *e);

#endif
