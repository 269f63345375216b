/*
 * deal.h - deal registration rules, pure: normalising what identifies a
 * deal's customer (its web domain and its company name), the conflict rule,
 * and which stage may follow which.
 */
#ifndef ALLY_DOMAIN_DEAL_H
#define ALLY_DOMAIN_DEAL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/status.h"
#include "domain/records.h"

#define DEAL_DEFAULT_EXCLUSIVITY 90

/*
 * "https://WWW.Example.com./pricing?x=1" -> "example.com": lower-case, no
 * scheme, no user info, no "www.", no port, path, query or fragment, no
 * trailing dot.  ST_DATA "FIELD: ..." when what is left is not a domain
 * (letters, digits, hyphens and dots, with at least one dot).
 */
enum status deal_domain_normalise(const char *in, char **out, const char *field, struct err *e);

/*
 * "ACME Widgets, Inc." -> "acme widgets": lower-case, punctuation gone,
 * blanks collapsed, legal suffixes (GmbH, Inc, Ltd, LLC, SA, AG, BV, ...)
 * dropped from the end.  Never fails; may return "" for a name that is
 * only a suffix.
 */
char *deal_company_key(const char *company);

/* The stage to show at `now`: an approved registration whose exclusivity
 * has run out without a win is expired. */
int32_t deal_effective_stage(const struct deal *d, int64_t now);

/* Does an existing deal block a new registration (or the approval of
 * another) at `now`?  An approved, unexpired registration, or an open
 * direct deal (submitted or approved), blocks. */
bool deal_blocks(const struct deal *d, int64_t now);

/* Is a deal still open (counts toward a partner's open registrations)? */
bool deal_open(const struct deal *d, int64_t now);

/* May a deal in stage `from` move to `to`? */
bool deal_transition_ok(int32_t from, int32_t to);

#endif
