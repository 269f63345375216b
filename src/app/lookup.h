/*
 * lookup.h - find a referrer from what support staff type, and the
 * timeline of one referrer.
 *
 * The lookup walks the store's word indexes by prefix, reading only the
 * referrers it returns and at most a fixed number of index entries a
 * word: its cost does not grow with the database (bench/lookup measures
 * it at a million referrers).
 */
#ifndef ALLY_APP_LOOKUP_H
#define ALLY_APP_LOOKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/io.h"

/* How many referrers matched: all of them, or (more) at least that many
 * when a word was too common to walk all its entries. */
struct lookup_count {
	uint64_t total;
	bool more;
};

/*
 * Referrers with a word beginning with each word of q (folded: case and
 * Latin accents ignored, so "zoe" finds "Zoë" and "tanaka" "Anna
 * Tanaka"), in their name, e-mail or codes or in the name or e-mail of a
 * contact they referred; "" finds nothing.  The best max as rows: id,
 * kind, name, email, partner, match ("name", "e-mail", "code CODE",
 * "contact NAME", "contact EMAIL": the best entry of q's rarest word).  Ranked by the sum over q's
 * words of the best entry's score: a whole word 4 above a word's start,
 * plus 3 for a name or code, 2 for an e-mail, 1 for a contact; ties
 * oldest referrer first.  count (may be NULL) gets the number of all
 * matches.
 */
enum status app_lookup(struct app *a, const char *q, size_t max, row_fn fn, void *ctx,
    struct lookup_count *count, struct err *e);

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
