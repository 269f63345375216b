/*
 * invite.c - partner invitations: one-time codes for the portal, and the
 * mail that carries them (see outbox.h).
 *
 * A code is 144 random bits in URL-safe base64; only its BLAKE2b hash is
 * kept (an invitation record, indexed by hash), so a copy of the database
 * does not let anyone in.  The code is never at rest in clear, not even in
 * the outbox: inviting and resending create the invitation without a code
 * and queue a message that refers to it (a marker where the code goes);
 * the sender draws the code at sending time (app_invitation_draw: its hash
 * stored first, in a short write), so a failed send only means a new code
 * at the retry.  Revoking ends portal access only: codes are voided and
 * the partner's portal accounts removed, while the partner stays active
 * for referrals and commissions (suspending is a separate action).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/outbox.h"
#include "app/app_int.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/str.h"

#define CODE_BYTES 18           /* 144 bits, 24 characters */
#define HASH_BYTES 32

enum invite_op { OP_INVITE, OP_RESEND, OP_REVOKE };

struct invite_ctx {
	struct app *a;
	const struct config *cfg;
	enum invite_op op;
	uint64_t partner;
	int64_t days;
	const struct tmpl *tp;
	struct invite_result *r;
};

void
invite_code_hash(const char *code, char hex[INVITE_HASH_HEX])
{
	unsigned char h[HASH_BYTES];

	crypto_generichash(h, sizeof h, (const unsigned char *)code, strlen(code), NULL, 0);
	sodium_bin2hex(hex, 2 * HASH_BYTES + 1, h, sizeof h);
}

static bool
pending(const struct invitation *v, int64_t now)
{
	return v->used_at == 0 && v->voided_at == 0 && v->expires > now;
}

static enum status
invite_write(struct txn *t, void *vctx)
{
	struct invite_ctx *c = vctx;
	int64_t now = clock_now();
	struct partner p;
	struct invitation v;
	struct key k;
	struct iter *it;
	uint64_t id, *ids = NULL;
	size_t n = 0, cap = 0, i;
	int any = 0, open = 0;
	enum status st = ST_OK;
	struct err e = { ST_OK, "" };

	memset(c->r, 0, sizeof *c->r);
	if ((st = rec_get(t, KIND_PARTNER, c->partner, &p)) != ST_OK) {
		if (st == ST_NOTFOUND)
			return txn_fail(t, ST_NOTFOUND, "partner P%llu not found",
			    (unsigned long long)c->partner);
		return txn_status(t);
	}
	if (c->op != OP_REVOKE && p.status == PARTNER_SUSPENDED) {
		st = txn_fail(t, ST_CONFLICT, "P%llu is suspended: activate it before inviting",
		    (unsigned long long)p.id);
		goto out;
	}
	/* This partner's invitations; the ids first, as voiding rewrites
	 * the index being walked. */
	key_init(&k);
	key_u64(&k, p.id);
	it = iter_index(t, IDX_INVITATION_PARTNER, &k, false);
	while (iter_next(it, &id)) {
		ids = xgrow(ids, &cap, n + 1, sizeof *ids);
		ids[n++] = id;
	}
	iter_close(it);
	for (i = 0; i < n; i++) {
		if (rec_get(t, KIND_INVITATION, ids[i], &v) != ST_OK)
			continue;
		any++;
		if (pending(&v, now)) {
			open++;
			if (c->op != OP_INVITE) {
				v.voided_at = now;
				rec_put(t, KIND_INVITATION, &v);
				c->r->voided++;
			}
		}
		rec_free(KIND_INVITATION, &v);
	}
	if (c->op == OP_INVITE && open > 0) {
		st = txn_fail(t, ST_CONFLICT, "P%llu already has a pending invitation "
		    "(ally partner resend makes a new code)", (unsigned long long)p.id);
		goto out;
	}
	if (c->op == OP_RESEND && any == 0) {
		st = txn_fail(t, ST_CONFLICT, "P%llu has no invitation to resend (use ally partner invite)",
		    (unsigned long long)p.id);
		goto out;
	}
	if (c->op == OP_REVOKE) {
		struct user u;
		n = 0;
		it = iter_kind(t, KIND_USER, false);
		while (iter_next(it, &id)) {
			if (iter_rec(it, &u) != ST_OK)
				continue;
			if (u.role == ROLE_PARTNER && u.partner == p.id) {
				ids = xgrow(ids, &cap, n + 1, sizeof *ids);
				ids[n++] = id;
			}
			rec_free(KIND_USER, &u);
		}
		iter_close(it);
		for (i = 0; i < n; i++)
			rec_del(t, KIND_USER, ids[i]);
		c->r->users_removed = (int)n;
		if (c->r->voided == 0 && n == 0) {
			st = txn_fail(t, ST_CONFLICT, "P%llu has no portal access to revoke",
			    (unsigned long long)p.id);
			goto out;
		}
	} else {
		memset(&v, 0, sizeof v);
		v.partner = p.id;
		v.email = xstrdup(p.email);
		v.code_hash = NULL;     /* drawn when the mail is sent */
		v.expires = date_add_days(now, (int)c->days);
		rec_put(t, KIND_INVITATION, &v);
		c->r->invitation = v.id;
		c->r->expires = v.expires;
		rec_free(KIND_INVITATION, &v);
	}
	if (txn_status(t) == ST_OK) {
		struct mail_vars mv = { .code = c->op == OP_REVOKE ? NULL : MAIL_CODE_MARK,
			.expires = c->r->expires, .invitation = c->r->invitation };
		st = outbox_queue(c->a, t, c->cfg, c->tp, p.id, &mv, &c->r->mail, &e);
	}
out:
	free(ids);
	rec_free(KIND_PARTNER, &p);
	if (st != ST_OK)
		return app_fail(t, st, &e);
	return txn_status(t);
}

static enum status
invite_run(struct app *a, const struct config *cfg, enum invite_op op, uint64_t partner,
    const char *days, struct invite_result *r, struct err *e)
{
	static const char *const tmpl_names[] = {
		[OP_INVITE] = TMPL_INVITATION, [OP_RESEND] = TMPL_RESENT, [OP_REVOKE] = TMPL_REVOKED
	};
	struct invite_ctx c;
	struct tmpl *tp = NULL;
	enum status st;

	memset(&c, 0, sizeof c);
	c.a = a;
	c.cfg = cfg;
	c.op = op;
	c.partner = partner;
	c.days = INVITE_DAYS_DEFAULT;
	c.r = r;
	if ((st = app_require(a, PERM_PARTNER_WRITE, e)) != ST_OK)
		return st;
	if (days != NULL && (st = util_int(days, 1, 365, &c.days, "days", e)) != ST_OK)
		return st;
	if ((st = tmpl_load(cfg, tmpl_names[op], &tp, e)) != ST_OK)
		return st;
	c.tp = tp;
	st = app_write(a, PERM_PARTNER_WRITE, NULL, invite_write, &c, e);
	tmpl_free(tp);
	if (st != ST_OK)
		memset(r, 0, sizeof *r);
	return st;
}

enum status
app_partner_invite(struct app *a, const struct config *cfg, uint64_t partner, const char *days,
    struct invite_result *r, struct err *e)
{
	return invite_run(a, cfg, OP_INVITE, partner, days, r, e);
}

enum status
app_partner_resend(struct app *a, const struct config *cfg, uint64_t partner, const char *days,
    struct invite_result *r, struct err *e)
{
	return invite_run(a, cfg, OP_RESEND, partner, days, r, e);
}

enum status
app_partner_revoke(struct app *a, const struct config *cfg, uint64_t partner,
    struct invite_result *r, struct err *e)
{
	return invite_run(a, cfg, OP_REVOKE, partner, NULL, r, e);
}

enum status
app_invitation_check(struct app *a, const char *code, uint64_t *partner, struct err *e)
{
	uint64_t id;

	return app_invitation_match(a, code, partner, &id, e);
}

enum status
app_invitation_match(struct app *a, const char *code, uint64_t *partner, uint64_t *invitation,
    struct err *e)
{
	char hash[INVITE_HASH_HEX], *trimmed;
	struct invitation v;
	struct key k;
	struct txn *t;
	uint64_t id;
	int64_t now = clock_now();
	enum status st;

	*partner = 0;
	*invitation = 0;
	if (sodium_init() < 0)
		return err_set(e, ST_SOFTWARE, "libsodium: cannot start");
	trimmed = str_trim(code != NULL ? code : "");
	invite_code_hash(trimmed, hash);
	free(trimmed);
	t = txn_begin_read(a->store);
	key_init(&k);
	key_str(&k, hash, false);
	id = idx_find(t, IDX_INVITATION_CODE, &k);
	if (id == 0 || rec_get(t, KIND_INVITATION, id, &v) != ST_OK) {
		st = txn_status(t) != ST_OK ? err_set(e, txn_status(t), "%s", txn_message(t)) :
		    err_set(e, ST_NOPERM, "invitation code: not valid");
		txn_end(t);
		return st;
	}
	txn_end(t);
	if (v.code_hash == NULL || strlen(v.code_hash) != sizeof hash - 1 ||
	    sodium_memcmp(v.code_hash, hash, sizeof hash - 1) != 0)
		st = err_set(e, ST_NOPERM, "invitation code: not valid");
	else if (v.voided_at != 0)
		st = err_set(e, ST_NOPERM, "invitation code: replaced or revoked");
	else if (v.used_at != 0)
		st = err_set(e, ST_NOPERM, "invitation code: used already");
	else if (v.expires <= now)
		st = err_set(e, ST_NOPERM, "invitation code: expired");
	else {
		*partner = v.partner;
		*invitation = v.id;
		st = ST_OK;
	}
	rec_free(KIND_INVITATION, &v);
	return st;
}

/* ---- drawing a code at sending ---- */

struct draw_ctx {
	uint64_t invitation;
	const char *hash;
};

static enum status
draw_write(struct txn *t, void *vctx)
{
	struct draw_ctx *c = vctx;
	struct invitation v;
	enum status st;

	if (rec_get(t, KIND_INVITATION, c->invitation, &v) != ST_OK) {
		if (txn_status(t) != ST_OK)
			return txn_status(t);
		return txn_fail(t, ST_CONFLICT, "invitation I%llu is gone: not sent",
		    (unsigned long long)c->invitation);
	}
	if (!pending(&v, clock_now())) {
		st = txn_fail(t, ST_CONFLICT, "invitation I%llu was %s: not sent",
		    (unsigned long long)v.id, v.voided_at != 0 ? "replaced or revoked" :
		    v.used_at != 0 ? "used already" : "expired");
	} else {
		/* the old code, if one went out with a failed attempt, dies here */
		util_replace(&v.code_hash, xstrdup(c->hash));
		rec_put(t, KIND_INVITATION, &v);
		st = txn_status(t);
	}
	rec_free(KIND_INVITATION, &v);
	return st;
}

enum status
app_invitation_draw(struct app *a, uint64_t invitation, char code[INVITE_CODE_LEN],
    struct err *e)
{
	unsigned char rnd[CODE_BYTES];
	char hash[INVITE_HASH_HEX];
	struct draw_ctx c = { invitation, hash };
	enum status st;

	code[0] = '\0';
	if ((st = app_require(a, PERM_MAIL_SEND, e)) != ST_OK)
		return st;
	if (sodium_init() < 0)
		return err_set(e, ST_SOFTWARE, "libsodium: cannot start");
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2base64(code, INVITE_CODE_LEN, rnd, sizeof rnd,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(rnd, sizeof rnd);
	invite_code_hash(code, hash);
	if ((st = app_write(a, PERM_MAIL_SEND, "invitation code drawn", draw_write, &c, e)) != ST_OK)
		sodium_memzero(code, INVITE_CODE_LEN);
	return st;
}

/* ---- portal access at a glance ---- */

struct portal_acc {
	uint64_t partner;
	uint64_t last;                  /* its newest invitation */
	bool last_used, last_voided;
	int64_t until;                  /* the latest pending code's expiry */
	int accounts;
};

static int
portal_cmp(const void *x, const void *y)
{
	const struct portal_acc *a = x, *b = y;

	return a->partner < b->partner ? -1 : a->partner > b->partner;
}

enum status
app_portal_list(struct app *a, row_fn fn, void *ctx, struct err *e)
{
	struct portal_acc *v = NULL, acc;
	size_t n = 0, cap = 0, i, j;
	int64_t now = clock_now();
	struct invitation inv;
	struct user u;
	struct iter *it;
	struct txn *t;
	uint64_t id;
	enum status st;

	if ((st = app_require(a, PERM_PARTNER_READ, e)) != ST_OK)
		return st;
	t = txn_begin_read(a->store);
	it = iter_kind(t, KIND_INVITATION, false);
	while (iter_next(it, &id)) {
		if (iter_rec(it, &inv) != ST_OK)
			continue;
		memset(&acc, 0, sizeof acc);
		acc.partner = inv.partner;
		acc.last = inv.id;
		acc.last_used = inv.used_at != 0;
		acc.last_voided = inv.voided_at != 0;
		acc.until = pending(&inv, now) ? inv.expires : 0;
		v = xgrow(v, &cap, n + 1, sizeof *v);
		v[n++] = acc;
		rec_free(KIND_INVITATION, &inv);
	}
	iter_close(it);
	it = iter_kind(t, KIND_USER, false);
	while (iter_next(it, &id)) {
		if (iter_rec(it, &u) != ST_OK)
			continue;
		if (u.role == ROLE_PARTNER && u.partner != 0) {
			memset(&acc, 0, sizeof acc);
			acc.partner = u.partner;
			acc.accounts = 1;
			v = xgrow(v, &cap, n + 1, sizeof *v);
			v[n++] = acc;
		}
		rec_free(KIND_USER, &u);
	}
	iter_close(it);
	if (txn_status(t) != ST_OK)
		st = err_set(e, txn_status(t), "%s", txn_message(t));
	txn_end(t);
	if (n > 0)
		qsort(v, n, sizeof *v, portal_cmp);
	for (i = 0; st == ST_OK && i < n; i = j) {
		struct row r;
		const char *state;

		acc = v[i];
		for (j = i + 1; j < n && v[j].partner == acc.partner; j++) {
			acc.accounts += v[j].accounts;
			if (v[j].until > acc.until)
				acc.until = v[j].until;
			if (v[j].last > acc.last) {
				acc.last = v[j].last;
				acc.last_used = v[j].last_used;
				acc.last_voided = v[j].last_voided;
			}
		}
		if (acc.accounts > 0)
			state = "active";
		else if (acc.until != 0)
			state = "invited";
		else if (acc.last_used || acc.last_voided)
			state = "revoked";      /* codes voided or the account removed */
		else
			state = "expired";
		memset(&r, 0, sizeof r);
		app_id_str(KIND_PARTNER, acc.partner, r.buf[0]);
		r.c[0] = (struct cell){ .name = "partner", .type = CELL_STR, .s = r.buf[0] };
		r.c[1] = (struct cell){ .name = "portal", .type = CELL_STR, .s = state };
		r.c[2] = (struct cell){ .name = "until", .type = CELL_TIME, .i = acc.until };
		r.c[3] = (struct cell){ .name = "accounts", .type = CELL_INT, .i = acc.accounts };
		r.n = 4;
		st = fn(ctx, &r);
	}
	free(v);
	return st;
}
