/*
 * app_int.h - what only app/'s files share, and nothing outside app/
 * includes: the layout of a session (struct app), the one way a use case
 * writes (app_write), the field checks every use case runs on its inputs
 * (util.c), and the functions that work inside a caller's transaction.
 *
 * The one idea: a use case is a permission, an action name and a callback
 * over one write transaction; the callback reports through the
 * transaction's sticky error (txn_fail) and nothing else, so a failure
 * has one message and aborts everything it wrote.
 */
#ifndef ALLY_APP_APP_INT_H
#define ALLY_APP_APP_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "app/deals.h"
#include "app/ledger.h"
#include "app/outbox.h"
#include "core/str.h"
#include "store/store.h"

struct app {
	struct store *store;
	bool borrowed;                  /* APP_SESSION_BORROW: the caller closes store */
	struct settings settings;
	const struct currency *cur;     /* organisation's currency */
	char *login;
	enum role role;
	uint64_t user;
	uint64_t partner;               /* a partner user's partner */
};

/* ---- writing ---- */

/* app_write's permission for actions any session may take (the portal's
 * login bookkeeping, which checks who is asking itself). */
#define APP_ANYONE ((enum perm)-1)

/*
 * The shape of every use case that writes: check that the actor holds p
 * (unless APP_ANYONE), run fn in a write transaction (again after the map
 * grew), naming the transaction `action` for the audit log when not NULL,
 * and commit.  fn reports a failure through txn_fail (or app_fail) only;
 * its message becomes e's.
 */
enum status app_write(struct app *a, enum perm p, const char *action,
    enum status (*fn)(struct txn *t, void *ctx), void *ctx, struct err *e);
/* A callback's way out after helpers that report into a struct err (the
 * field checks, app_resolve): st when it failed, with e's message put in
 * t unless t carries an error already; else t's status. */
enum status app_fail(struct txn *t, enum status st, const struct err *e);

/* ---- inside a caller's transaction ---- */

/* Find a record from what a user typed (see app_resolve_ref). */
enum status app_resolve(struct txn *t, enum kind k, const char *ref, uint64_t *id, struct err *e);
/* app_track inside a caller's write transaction (ingest, import, demo).
 * Data errors are returned with e set and do NOT fail t, so a batch can
 * carry on with its other lines. */
enum status app_track_in(struct app *a, struct txn *t, const struct event_input *in,
    struct event_result *r, struct err *e);
/* app_deal_register inside a caller's write transaction (imports). */
enum status app_deal_register_in(struct app *a, struct txn *t, const struct deal_input *in,
    uint64_t *id, struct deal_conflict *conflict, struct err *e);
/* The conflict check inside a caller's transaction, no permission check
 * (the portal makes its own): true when something blocks. */
bool deal_find_conflict(struct txn *t, const char *domain, const char *company_key, int64_t now,
    struct deal_conflict *conflict);
/* Render tp for partner `partner` and append the message to the outbox in
 * the caller's write transaction t; *id is the new message's id. */
enum status outbox_queue(struct app *a, struct txn *t, const struct config *cfg,
    const struct tmpl *tp, uint64_t partner, const struct mail_vars *v, uint64_t *id,
    struct err *e);
/* Add a partner inside a caller's write transaction (import). */
struct partner_input;
enum status app_partner_save_in(struct app *a, struct txn *t, const struct partner_input *in,
    uint64_t *out_id, struct err *e);

/* ---- field checks (util.c) ---- */

#define NAME_MAX_LEN 200
#define TEXT_MAX_LEN 2000

/* A one-line text field: not empty (when required), no control
 * characters (C0, DEL or C1), at most max bytes, valid UTF-8.  *out is a trimmed copy
 * (NULL for "" when !required). */
enum status util_text(const char *in, bool required, size_t max, char **out,
    const char *field, struct err *e);
/* A record's name (programs, tiers, partners): util_text, required, at most
 * NAME_MAX_LEN, and not id-like ("P1", "12": domain/names.h). */
enum status util_name(const char *in, char **out, const char *field, struct err *e);
/* The same for text of several lines (address, notes): line breaks (LF or
 * CRLF, kept as LF) and tabs are allowed, other controls are not.  Optional. */
enum status util_text_lines(const char *in, size_t max, char **out, const char *field,
    struct err *e);
/* A whole number in [min, max] (app_int_field in app.h for ui/). */
enum status util_int(const char *in, int64_t min, int64_t max, int64_t *out,
    const char *field, struct err *e);
/* Replace *dst with src (which the caller hands over). */
void util_replace(char **dst, char *src);
/* Copy a txn failure into e (when e has nothing yet). */
enum status util_txn_err(struct txn *t, struct err *e);

/*
 * Is `name` free in unique index ix for record `self` (0 = new)?  ST_EXISTS
 * "name: \"Spring\" is already taken by PG1" otherwise, quoting the name as
 * the user typed it.
 */
enum status util_name_free(struct txn *t, enum index ix, enum kind k, const char *name,
    uint64_t self, struct err *e);

/* ---- commission lines ---- */

/* The commission lines under one key of a commission index
 * (IDX_COMMISSION_CONVERSION: a conversion's; IDX_COMMISSION_REFERRER: a
 * referrer's), in the index's order. */
struct lines {
	struct commission *v;
	size_t n, cap;
};
void util_lines_load(struct txn *t, enum index ix, uint64_t owner, struct lines *l);
void util_lines_free(struct lines *l);

/* ---- payout files (payfile.c; only payout.c calls them) ---- */

/* The formats of ally payout export --format. */
#define PAYFILE_FORMATS "ap-csv, paypal, wise or sepa"

/* Render batch p in format (paypal|wise|sepa) into out, reading the
 * payees' details in t.  ST_DATA naming the first payee whose details are
 * missing (out is then incomplete and must not be written). */
enum status payfile_render(struct txn *t, const struct settings *s, const char *format,
    const struct payout_preview *p, uint64_t batch, int64_t now, struct sbuf *out,
    struct err *e);
void payfile_free_partners(struct partner *v, size_t n);

/* ---- use cases inside a caller's transaction (the demo's batches) ---- */

/* app_code_new in t: a failure fails t too. */
enum status app_code_new_in(struct app *a, struct txn *t, const struct code_input *in,
    struct code *out, struct err *e);

/* ---- the audit log's writer (audit.c) ---- */

/* The store change hook app_session_new installs. */
void audit_hook(void *ctx, struct txn *t, enum kind k, uint64_t id, const void *before,
    const void *after);
/* Append one entry inside t (summaries of bulk writes). */
void audit_append(struct txn *t, const char *actor, const char *action, enum kind k,
    uint64_t record, const char *before, const char *after);

/* ---- webhooks (webhook.c) ---- */

/* The store change hook that queues a delivery for each endpoint
 * subscribed to the event a change makes (app_session_new adds it after
 * the audit log's). */
void webhook_hook(void *ctx, struct txn *t, enum kind k, uint64_t id, const void *before,
    const void *after);

/* ---- the referral expiry sweep (expiry.c) ---- */

/* The store's commit hook: expire the pending referrals whose window has
 * ended by now. */
void expiry_sweep(void *ctx, struct txn *t);

/* ---- the portal's files (portal.c, portal_login.c, keys.c) ---- */

/* The portal user an SSH key lets in (0: none: the key is gone, its
 * partner suspended, no portal account, or the account locked); its
 * partner in *partner when not NULL. */
uint64_t portal_key_user(struct txn *t, uint64_t key, uint64_t *partner);

/* A statement mail may be queued in this session (ST_TEMPFAIL when the
 * session's allowance is used up); count one that was. */
enum status portal_mail_allowed(struct err *e);
void portal_mail_count(void);

#endif
