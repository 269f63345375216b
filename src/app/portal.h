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

/*
 * Log in with an e-mail and password.  ST_NOPERM "e-mail or password
 * wrong" (the same for an unknown e-mail), "locked ..." after too many
 * failures; ST_TEMPFAIL with *wait seconds when the last failure was too
 * recent (the password is then not even checked).  A failure is counted on
 * the account; a success resets the count and rehashes the password when
 * the hashing limits rose.
 */
enum status app_portal_login(struct app *a, const struct login_policy *pol, const char *email,
    const char *password, int64_t *wait, struct err *e);

/*
 * First login: the invitation code sets the password of the partner's
 * portal account (login = the e-mail the invitation went to), marks the
 * invitation used and logs in.  Expired, used and voided codes are refused.
 */
enum status app_portal_activate(struct app *a, const char *code, const char *password,
    struct err *e);

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

/* Admin: lift the lock and the failure count of partner's portal
 * accounts; *n gets how many were locked or had failures. */
enum status app_partner_unlock(struct app *a, const char *partner, int *n, struct err *e);

#endif
