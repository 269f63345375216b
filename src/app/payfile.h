/*
 * payfile.h - payout batches as PayPal, Wise and SEPA files (payfile.c).
 * Only app/payout.c calls it.
 */
#ifndef ALLY_APP_PAYFILE_H
#define ALLY_APP_PAYFILE_H

#include "app/app.h"
#include "app/ledger.h"
#include "core/str.h"
#include "domain/records.h"

/* "ap-csv" (payout.c's), "paypal", "wise", "sepa"; false for others. */
#define PAYFILE_FORMATS "ap-csv, paypal, wise or sepa"

/* Render batch p in format (paypal|wise|sepa) into out, reading the
 * payees' details in t.  ST_DATA naming the first payee whose details are
 * missing (out is then incomplete and must not be written). */
enum status payfile_render(struct txn *t, const struct settings *s, const char *format,
    const struct payout_preview *p, uint64_t batch, int64_t now, struct sbuf *out,
    struct err *e);
void payfile_free_partners(struct partner *v, size_t n);

#endif
