/*
 * referral.h - the referral lifecycle as pure rules: may this referral be
 * recorded, which referral does a conversion belong to, does it qualify.
 *
 * The caller (app/) gathers the facts from the store; nothing here reads
 * or writes anything.
 */
#ifndef ALLY_DOMAIN_REFERRAL_H
#define ALLY_DOMAIN_REFERRAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/records.h"

/* Facts about a proposed referral. */
struct referral_facts {
	const struct program *program;
	const struct referrer *referrer;
	const struct partner *partner;    /* NULL for customers */
	const char *referrer_email;       /* the referrer's own e-mail (customer or partner contact) */
	const char *contact_email;        /* normalised */
	int64_t at;
	/* referrals by this referrer in the max_refs period containing at */
	int64_t referrer_period_count;
	/* an earlier non-rejected referral of the same contact in this program
	 * whose window is still open at `at`: its referrer, 0 if none */
	uint64_t open_referral_referrer;
};

/*
 * NULL when the referral is accepted, else the reason it is recorded as
 * rejected: "self-referral", "program not active", "ineligible referrer",
 * "referral limit reached", "duplicate contact".
 */
const char *referral_reject_reason(const struct referral_facts *f);

/* First instant after the attribution window of a referral made at `at`. */
int64_t referral_window_end(const struct program *pg, int64_t at);
/* The status to show: a pending referral whose window has ended at `now`
 * is expired. */
int32_t referral_effective_status(const struct referral *r, const struct program *pg, int64_t now);

/* True when event is one of the program's qualifying events. */
bool program_event_qualifies(const struct program *pg, const char *event);
/* True when the program takes referrals at time t (active, inside its
 * date range). */
bool program_open_at(const struct program *pg, int64_t t);

/*
 * Pick the referral a conversion at time t belongs to among the contact's
 * referrals in the program (any order): not rejected, made at or before t.
 * first: the earliest; last: the latest whose window contains t, else the
 * latest.  Returns an index into refs, or -1.
 */
long referral_attribute(const struct program *pg, const struct referral *const *refs,
    size_t n, int64_t t);

/* Does a conversion of `event` at t on referral r earn commission? */
bool conversion_qualifies(const struct program *pg, const struct referral *r,
    const char *event, int64_t t);

#endif
