/*
 * perm.h - who may do what: DESIGN.md's role matrix as one table.
 * Every check is made in app/, so the CLI and the TUI cannot differ.
 *
 * Where the table is silent: recording events (track, ingest, import
 * referrals) goes with managing programs; the audit log, statements and
 * payout batches are read like commissions, by all staff; ally check is
 * read-only and open to all staff; a backup copies everything (partners'
 * bank details, password and code hashes) and is an admin's; the
 * settings, read or changed, are an admin's like the users.  Each row of
 * doc/ally.1's ROLES section is this table.
 */
#ifndef ALLY_DOMAIN_PERM_H
#define ALLY_DOMAIN_PERM_H

#include <stdbool.h>

#include "domain/records.h"

/* X(action, admin, manager, support, partner, description) */
#define PERM_LIST(X) \
	X(PERM_PROGRAM_READ,     1, 1, 1, 0, "read programs") \
	X(PERM_PROGRAM_WRITE,    1, 1, 0, 0, "create or change programs and codes") \
	X(PERM_PARTNER_READ,     1, 1, 1, 0, "read partners and tiers") \
	X(PERM_PARTNER_WRITE,    1, 0, 0, 0, "create or change partners, tiers, agreements, invitations") \
	X(PERM_EVENTS_READ,      1, 1, 1, 0, "read referrals and conversions") \
	X(PERM_EVENTS_WRITE,     1, 1, 0, 0, "record referrals, conversions and refunds") \
	X(PERM_DEAL_REGISTER,    1, 1, 0, 0, "register deals") \
	X(PERM_DEAL_REVIEW,      1, 0, 0, 0, "review deals") \
	X(PERM_COMMISSION_READ,  1, 1, 1, 0, "read commissions and statements") \
	X(PERM_COMMISSION_WRITE, 1, 0, 0, 0, "approve or reject commissions and run payouts") \
	X(PERM_PERIOD_CLOSE,     1, 0, 0, 0, "close months") \
	X(PERM_ANALYTICS,        1, 1, 1, 0, "read analytics") \
	X(PERM_CHECK,            1, 1, 1, 0, "check the database") \
	X(PERM_BACKUP,           1, 0, 0, 0, "copy the whole database") \
	X(PERM_ADMIN,            1, 0, 0, 0, "manage users and settings") \
	X(PERM_MAIL_SEND,        1, 0, 0, 0, "send the outbox's mail") \
	X(PERM_WEBHOOK,          1, 0, 0, 0, "manage webhooks and send their deliveries")

enum perm {
#define X(name, a, m, s, p, d) name,
	PERM_LIST(X)
#undef X
	PERM__COUNT
};

bool perm_allows(enum role role, enum perm p);
/* "approve or reject commissions and run payouts" */
const char *perm_describe(enum perm p);

#endif
