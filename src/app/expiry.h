/*
 * expiry.h - the referral expiry sweep that ends every write transaction
 * (expiry.c).
 */
#ifndef ALLY_APP_EXPIRY_H
#define ALLY_APP_EXPIRY_H

#include "store/store.h"

/* The store's commit hook: expire the pending referrals whose window has
 * ended by now. */
void expiry_sweep(void *ctx, struct txn *t);

#endif
