/*
 * lookup.h - find a referrer from what support staff type, and the
 * timeline of one referrer.
 *
 * The lookup walks three indexes by prefix (name and e-mail folded to
 * lower case, codes upper case), reading only the referrers it returns:
 * its cost depends on `max`, not on the database (under 5 ms at a
 * million referrers).
 */
#ifndef ALLY_APP_LOOKUP_H
#define ALLY_APP_LOOKUP_H

#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/io.h"

/*
 * Referrers whose name, e-mail or a code starts with q (blanks around q
 * ignored; "" finds nothing), at most max, as rows: id, kind, name,
 * email, partner, match ("name", "email" or "code CODE").
 */
enum status app_lookup(struct app *a, const char *q, size_t max, row_fn fn, void *ctx,
    struct err *e);

/*
 * Everything about one referrer (id as typed: "R12" or "12"), newest
 * first, as rows: id, at, what (code, referral, conversion, refund,
 * commission, reward: what a referred contact was given), program,
 * detail, amount, status.  At most max entries of
 * each kind.
 */
enum status app_referrer_timeline(struct app *a, const char *ref, size_t max, row_fn fn,
    void *ctx, struct err *e);

#endif
