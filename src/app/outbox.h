/*
 * outbox.h - mail queued in the database and its delivery; partner
 * invitations, which queue mail.
 *
 * A message is rendered from a template in data/ and appended to the
 * outbox (a KIND_MAIL record) inside the write transaction of the action
 * that caused it, so it is never lost and never sent for an action that
 * was rolled back.  Delivery (app_mail_send) claims one due message at a
 * time in a short write transaction (state sending, owner host:pid, a
 * lease), sends it outside any transaction, and records the outcome in
 * another: sent, or queued again after an exponential backoff, or failed
 * after the last attempt.  Two senders never claim the same message; a
 * sender that died leaves a lease that expires and is claimed again.
 */
#ifndef ALLY_APP_OUTBOX_H
#define ALLY_APP_OUTBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "app/conf.h"
#include "app/io.h"

/* Templates: data/NAME.txt ("Subject: ..." line, a blank line, the text)
 * and data/NAME.html. */
#define TMPL_INVITATION "invitation"
#define TMPL_RESENT "invitation-resent"
#define TMPL_REVOKED "access-revoked"
#define TMPL_STATEMENT "statement-ready"

/* Values for a template's {{code}}, {{expires}}, {{month}} and
 * {{statement}} (others come from the settings, the partner and the
 * config); to, when set, replaces the partner's contact e-mail. */
struct mail_vars {
	const char *code;               /* MAIL_CODE_MARK for an invitation */
	int64_t expires;                /* 0: empty */
	const char *month;
	const char *statement;
	const char *to;
	uint64_t invitation;            /* the code is drawn for it at sending */
};

/* Where an invitation's code goes in a queued message: the sender puts a
 * code it draws then in its place (control characters cannot come from
 * any other value: names are made visible, see str_visible). */
#define MAIL_CODE_MARK "\x01code\x01"

struct tmpl;

/* Read template `name` from the template directory (outside any
 * transaction).  ST_CONFIG when missing or using an unknown variable. */
enum status tmpl_load(const struct config *cfg, const char *name, struct tmpl **out,
    struct err *e);
void tmpl_free(struct tmpl *tp);


/* ---- delivery ---- */

struct mail_report {
	uint64_t id;
	const char *to;
	enum status st;                 /* ST_OK: sent */
	const char *error;
	int attempts, max_attempts;
	bool gave_up;                   /* failed for good */
	int64_t next_at;                /* when it will be tried again */
};

/*
 * Deliver every message that is due, one at a time, calling report for
 * each.  Stops early when the server is unavailable (ST_UNAVAILABLE) or
 * refuses our credentials (ST_CONFIG).  Returns ST_OK when all went, else
 * the first failure's status with e set.
 */
enum status app_mail_send(struct app *a, const struct config *cfg,
    void (*report)(void *ctx, const struct mail_report *r), void *ctx, struct err *e);
/* One row per message (id order), only `state` when not NULL. */
enum status app_mail_list(struct app *a, const char *state, row_fn fn, void *ctx,
    struct err *e);
/* A failed (or queued) message is due again at once with a fresh count of
 * attempts; a sent one, or one being sent, is ST_CONFLICT. */
enum status app_mail_retry(struct app *a, const char *ref, uint64_t *id, struct err *e);

/* ---- invitations ---- */

#define INVITE_DAYS_DEFAULT 7

struct invite_result {
	uint64_t invitation;            /* the new invitation (invite, resend) */
	uint64_t mail;                  /* the message queued */
	int64_t expires;
	int voided;                     /* codes voided */
	int users_removed;              /* portal accounts removed (revoke) */
};

#define INVITE_CODE_LEN 64              /* 24 characters and the NUL, with room */
#define INVITE_HASH_HEX 65              /* hex BLAKE2b-256 and the NUL */

/* The hex hash under which a code is kept (and looked up). */
void invite_code_hash(const char *code, char hex[INVITE_HASH_HEX]);

/* A new one-time code for the partner's contact, valid `days` (NULL: 7),
 * and the invitation mail queued with it.  ST_CONFLICT when a code is
 * still pending (use resend). */
enum status app_partner_invite(struct app *a, const struct config *cfg, uint64_t partner,
    const char *days, struct invite_result *r, struct err *e);
/* Void the pending codes and send a new one. */
enum status app_partner_resend(struct app *a, const struct config *cfg, uint64_t partner,
    const char *days, struct invite_result *r, struct err *e);
/* End portal access: void every pending code, remove the partner's portal
 * accounts (users with role partner) and queue the "access revoked" mail.
 * The partner itself stays active for referrals and commissions. */
enum status app_partner_revoke(struct app *a, const struct config *cfg, uint64_t partner,
    struct invite_result *r, struct err *e);
/* Portal access, one row per partner that ever had any (partner order):
 * partner ("P3"), portal (active: has a portal account; invited: a code is
 * pending; revoked: codes voided or accounts removed; expired), until (the
 * pending code's expiry, 0 when none) and accounts (portal users). */
enum status app_portal_list(struct app *a, row_fn fn, void *ctx, struct err *e);
/* Is `code` a valid invitation (known, not expired, used or voided)?  Its
 * partner in *partner; ST_NOPERM with the reason otherwise. */
enum status app_invitation_check(struct app *a, const char *code, uint64_t *partner,
    struct err *e);
/* The same, with the invitation that matched in *invitation. */
enum status app_invitation_match(struct app *a, const char *code, uint64_t *partner,
    uint64_t *invitation, struct err *e);
/*
 * The sender's step (admin only, like ally mail send): a fresh code for a
 * pending invitation, its hash stored (replacing any earlier one, which
 * stops working) in a short write before the code is used.  ST_CONFLICT
 * when the invitation was voided, used or expired: its mail must not go.
 */
enum status app_invitation_draw(struct app *a, uint64_t invitation, char code[INVITE_CODE_LEN],
    struct err *e);

#endif
