/*
 * portal.h - the partner portal's use cases: logging in, and every read or
 * change a partner may make, scoped to the logged-in partner in app/ (the
 * UI never filters other partners' rows out: it never gets them).
 *
 * A portal session is a struct app opened with app_portal_open: no Unix
 * account is looked up (everyone comes in as the `portal` account), the
 * role is ROLE_PARTNER, and nothing may be read until app_portal_login or
 * app_portal_activate succeeds.  Every call below first re-reads the
 * portal user and the partner (app_portal_alive), so a revoked account, a
 * lock or a suspended partner ends the session at the next action.
 */
#ifndef ALLY_APP_PORTAL_H
#define ALLY_APP_PORTAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/deals.h"
#include "app/io.h"
#include "core/str.h"
#include "domain/portal.h"

struct config;

#define PORTAL_PW_MIN 10
#define PORTAL_PW_MAX 128

/*
 * Open the database for the portal: ALLY_NOW is ignored from here on, no
 * Unix account is identified, the session is not logged in yet.
 */
enum status app_portal_open(const char *db, struct app **out, struct err *e);

/* Verifications at once, machine-wide, when the policy says 0; how long
 * a login waits for a free one before it gets the usual answer. */
#define LOGIN_SLOTS_DEFAULT 4
#define LOGIN_SLOT_WAIT_MS 5000
/* Statement mails one portal session may queue. */
#define PORTAL_MAILS_MAX 5

/*
 * Log in with an e-mail and password.  Whatever went wrong (an unknown
 * e-mail, a wrong password, an account slowed down or locked after
 * failures, no free verification slot) the answer is ST_NOPERM "e-mail or
 * password wrong", after one Argon2id verification.  A known account's
 * attempt is counted (and the lock decided) in a write before its password
 * is checked; a success resets the count and rehashes the password when
 * the hashing limits rose.  from: the SSH source address (see
 * app_portal_source) recorded on the account and so in the audit log, or
 * NULL.
 */
enum status app_portal_login(struct app *a, const struct login_policy *pol, const char *email,
    const char *password, const char *from, struct err *e);

/*
 * Log in by SSH key: the key (an id of ally partner key list) must still
 * be registered, its partner not suspended and with a portal account that
 * is not locked (so revoking ends key logins too).  Only sshd's line from
 * ally portal authorized-keys calls this (see cmd_portal.c).  Every later
 * action checks the key again.
 */
enum status app_portal_login_key(struct app *a, uint64_t key, const char *from, struct err *e);

/* The client address of SSH_CONNECTION or SSH_CLIENT ("ADDR PORT ..."),
 * checked as an IPv4 or IPv6 address and written in canonical form; false
 * (out "") when it is not one. */
bool app_portal_source(const char *env, char *out, size_t len);

/* Tests only: append "pid slot start_ns end_ns" per password verification
 * to path (NULL: stop).  ally portal drops the variable under sshd. */
void app_portal_trace(const char *path);

/*
 * First login: the invitation code sets the password of the partner's
 * portal account (login = the e-mail the invitation went to), marks the
 * invitation used and logs in.  Expired, used and voided codes are refused.
 * The new password is hashed inside one of pol's slots (NULL: the
 * default count); ST_TEMPFAIL when none came free in time.
 */
enum status app_portal_activate(struct app *a, const struct login_policy *pol, const char *code,
    const char *password, struct err *e);

/* Is the session still allowed?  ST_NOPERM with the reason when not. */
enum status app_portal_alive(struct app *a, struct err *e);

/* The partner's name ("Acme Resellers (P3)") into buf. */
enum status app_portal_whoami(struct app *a, char *buf, size_t len, struct err *e);

/* The partner's codes and links: code, program, link, status. */
enum status app_portal_links(struct app *a, row_fn fn, void *ctx, struct err *e);
/* The contacts referred, newest first: id, name, email, program, status, at. */
enum status app_portal_referrals(struct app *a, row_fn fn, void *ctx, struct err *e);
/* The partner's registered deals: id, company, domain, value, stage, until, reason. */
enum status app_portal_deals(struct app *a, row_fn fn, void *ctx, struct err *e);
/* Commission lines: id, earned, status, kind, program, source, amount, paid. */
enum status app_portal_commissions(struct app *a, row_fn fn, void *ctx, struct err *e);
/* Months with commission lines, newest first: month, lines, earned. */
enum status app_portal_months(struct app *a, row_fn fn, void *ctx, struct err *e);

/* The partner's statement for month (YYYY-MM). */
enum status app_portal_statement(struct app *a, const char *month, bool csv, struct sbuf *out,
    struct err *e);
/* Queue the statement for month to the partner's payout e-mail (else the
 * contact e-mail); *to gets the address (caller frees). */
enum status app_portal_statement_mail(struct app *a, const struct config *cfg, const char *month,
    uint64_t *mail, char **to, struct err *e);

/*
 * The conflict check as the partner types: note gets "" when free, else
 * what blocks the registration without naming another partner or record.
 */
enum status app_portal_deal_check(struct app *a, const char *domain, const char *company,
    char *note, size_t len, struct err *e);
/* Register a deal for the logged-in partner (in->partner and in->direct
 * are ignored).  note as above when it was recorded in stage conflict. */
enum status app_portal_deal_register(struct app *a, const struct deal_input *in, uint64_t *id,
    char *note, size_t len, struct err *e);

/* ---- SSH keys (keys.c) ---- */

/* Register the OpenSSH public key in text (one line of a .pub file) for
 * partner; admin only.  *fp gets its "SHA256:..." fingerprint. */
enum status app_partner_key_add(struct app *a, const char *partner, const char *text,
    uint64_t *id, char fp[64], struct err *e);
/* The partner's keys: id, fingerprint, type, comment, added. */
enum status app_partner_key_list(struct app *a, const char *partner, row_fn fn, void *ctx,
    struct err *e);
/* Remove one of partner's keys, by fingerprint or id (SK3); admin only. */
enum status app_partner_key_remove(struct app *a, const char *partner, const char *which,
    uint64_t *id, struct err *e);
/*
 * For sshd's AuthorizedKeysCommand: the key blob (base64, as %k gives it)
 * that a partner may log in with; *key gets its id and type its type
 * ("ssh-ed25519"), or *key = 0 when no partner may (unknown key, suspended
 * or revoked partner, locked account).  Run as the portal account: opens
 * with app_portal_open, reads only.
 */
enum status app_portal_key_lookup(struct app *a, const char *blob, uint64_t *key,
    char type[64], struct err *e);

/* Admin: lift the lock and the failure count of partner's portal
 * accounts; *n gets how many were locked or had failures. */
enum status app_partner_unlock(struct app *a, const char *partner, int *n, struct err *e);

#endif
