/*
 * portal_login.c - getting into the portal (see portal.h): opening a
 * portal session, password logins, SSH-key logins, first logins with an
 * invitation code, and the check every later action makes.
 *
 * The one idea: nothing about an account can be learnt from a login, and
 * guessing cannot outrun the lock.  So a known account's failure counter
 * is raised in a write transaction BEFORE its password is verified (the
 * lock and the slow-down are decided from it there, and a success resets
 * it afterwards); an unknown e-mail, a locked or slowed-down account each
 * cost one Argon2id verification against a fixed dummy hash, and all of
 * them get the same words.  Verifications are limited machine-wide by a
 * small set of lock files in the database directory (flock, taken in
 * turn), so parallel logins cannot exhaust memory (64 MiB each).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "app/audit.h"
#include "app/outbox.h"
#include "app/portal.h"
#include "app/app_int.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/str.h"
#include "domain/email.h"

#define NOT_LOGGED_IN "not logged in"
#define WRONG "e-mail or password wrong"

/*
 * Verified when there is no real hash to check (an unknown e-mail, a
 * locked or slowed-down account): made once with crypto_pwhash_str at the
 * INTERACTIVE limits from 32 random bytes nobody kept, so no password
 * matches it and it costs what a real one costs.
 */
static const char dummy_hash[] =
    "$argon2id$v=19$m=65536,t=2,p=1$A/ezkjPhuA4iVC3g91rqGQ$cNLGNBqb5crA78/ySVUWwwjzHSDmsvWzcFmPW8jojMY";

/* One portal session per process: the key it came in with (0: a
 * password) and the statement mails it queued. */
static uint64_t session_key;
static int session_mails;
static int trace_fd = -1;

enum status
app_portal_open(const char *db, struct app **out, struct err *e)
{
	struct store *s;
	enum status st;

	*out = NULL;
	clock_ignore_env();
	if (sodium_init() < 0)
		return err_set(e, ST_SOFTWARE, "libsodium: cannot start");
	if ((st = store_open(db, 0, &s, e)) != ST_OK)
		return st;
	if ((st = app_session_new(s, "portal", ROLE_PARTNER, 0, out, e)) != ST_OK)
		return st;
	session_key = 0;
	session_mails = 0;
	return ST_OK;
}

static void
set_login(struct app *a, const struct user *u)
{
	free(a->login);
	a->login = xasprintf("portal:%s", u->login);
	a->user = u->id;
	a->partner = u->partner;
	store_set_actor(a->store, a->login);
}

/* The portal user with this login (e-mail), or 0. */
static uint64_t
find_user(struct txn *t, const char *login)
{
	struct key k;

	key_init(&k);
	key_str(&k, login, true);
	return idx_find(t, IDX_USER_LOGIN, &k);
}

bool
app_portal_source(const char *env, char *out, size_t len)
{
	unsigned char bin[sizeof(struct in6_addr)];
	char word[INET6_ADDRSTRLEN + 1];
	size_t n;
	int af;

	if (len > 0)
		out[0] = '\0';
	if (env == NULL)
		return false;
	n = strcspn(env, " ");
	if (n == 0 || n >= sizeof word)
		return false;
	memcpy(word, env, n);
	word[n] = '\0';
	af = strchr(word, ':') != NULL ? AF_INET6 : AF_INET;
	if (inet_pton(af, word, bin) != 1)
		return false;
	/* the canonical form, never the bytes the environment held */
	return inet_ntop(af, bin, out, (socklen_t)len) != NULL;
}

void
app_portal_trace(const char *path)
{
	if (trace_fd >= 0)
		close(trace_fd);
	trace_fd = path != NULL && *path ?
	    open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600) : -1;
}

/* ---- verification slots ---- */

static int64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * Take one of n slots: DIR/portal-verify.I.lock held with flock.  Tries
 * every slot, then waits a little, for at most wait_ms.  The lock file's
 * descriptor, or -1 (*err set to an errno when no slot file could even be
 * opened, 0 when all were busy).
 */
static int
slot_take(const char *dir, int n, int wait_ms, int *slot, int *err)
{
	struct timespec pause = { 0, 10 * 1000000 };
	int64_t until = mono_ns() + (int64_t)wait_ms * 1000000;
	int i, fd, opened;
	char path[4096];

	*err = 0;
	for (;;) {
		opened = 0;
		for (i = 0; i < n; i++) {
			snprintf(path, sizeof path, "%s/portal-verify.%d.lock", dir, i);
			fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0660);
			if (fd < 0) {
				*err = errno;
				continue;
			}
			opened++;
			if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
				*slot = i;
				return fd;
			}
			close(fd);
		}
		if (opened == 0)
			return -1;
		*err = 0;
		if (mono_ns() >= until)
			return -1;
		nanosleep(&pause, NULL);
	}
}

/* A slot for any Argon2id computation (verify, hash, rehash): its lock
 * file's descriptor (close it to leave), or -1. */
static int
slot_enter(struct app *a, const struct login_policy *pol, int *slot)
{
	int err;

	*slot = 0;
	return slot_take(store_path(a->store), pol != NULL && pol->slots > 0 ? pol->slots :
	    LOGIN_SLOTS_DEFAULT, pol != NULL && pol->slot_wait > 0 ? pol->slot_wait * 1000 :
	    LOGIN_SLOT_WAIT_MS, slot, &err);
}

/*
 * Verify password against hash inside a slot.  false for a wrong
 * password and for no slot (the caller cannot tell, nor can the partner).
 */
static bool
verify(struct app *a, const struct login_policy *pol, const char *hash, const char *password)
{
	int slot, fd;
	int64_t t0, t1;
	bool ok;

	if ((fd = slot_enter(a, pol, &slot)) < 0)
		return false;
	t0 = mono_ns();
	ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
	t1 = mono_ns();
	if (trace_fd >= 0) {
		char line[96];
		int len = snprintf(line, sizeof line, "%ld %d %lld %lld\n", (long)getpid(), slot,
		    (long long)t0, (long long)t1);
		if (write(trace_fd, line, (size_t)len) != len) {
			close(trace_fd);
			trace_fd = -1;
		}
	}
	close(fd);      /* releases the flock */
	return ok;
}

/* ---- password logins ---- */

struct login_ctx {
	uint64_t user;
	const struct login_policy *pol;
	const char *from;
	bool admitted;          /* counted, and its hash may be checked */
	char *hash;             /* the user's hash (admitted) */
	char *rehash;           /* new hash to store on success, or NULL */
	struct user u;          /* out: the user after a success */
};

/* Count the attempt before anything is verified; decide the lock and the
 * slow-down from the count as it stands in this transaction. */
static enum status
attempt_write(struct txn *t, void *vctx)
{
	struct login_ctx *c = vctx;
	struct user u;
	int64_t now = clock_now();

	c->admitted = false;
	if (rec_get(t, KIND_USER, c->user, &u) != ST_OK)
		return txn_status(t);
	if (u.role == ROLE_PARTNER && u.pw_hash != NULL &&
	    login_wait(c->pol, u.failures, u.failed_at, u.locked_at, now) == 0) {
		u.failures++;
		u.failed_at = now;
		if (c->pol->max_failures > 0 && u.failures >= c->pol->max_failures)
			u.locked_at = now;
		util_replace(&u.login_from, c->from != NULL && *c->from ? xstrdup(c->from) : NULL);
		rec_put(t, KIND_USER, &u);
		free(c->hash);
		c->hash = xstrdup(u.pw_hash);
		c->admitted = true;
	}
	rec_free(KIND_USER, &u);
	return txn_status(t);
}

/* The password was right: reset the count, unless the account changed
 * (revoked, or a new password) since the attempt was counted. */
static enum status
success_write(struct txn *t, void *vctx)
{
	struct login_ctx *c = vctx;
	struct user u;

	c->admitted = false;
	if (rec_get(t, KIND_USER, c->user, &u) != ST_OK)
		return txn_status(t);
	if (u.role != ROLE_PARTNER || u.pw_hash == NULL || strcmp(u.pw_hash, c->hash) != 0) {
		rec_free(KIND_USER, &u);
		return txn_status(t);
	}
	u.failures = 0;
	u.failed_at = 0;
	u.locked_at = 0;
	u.login_at = clock_now();
	util_replace(&u.login_from, c->from != NULL && *c->from ? xstrdup(c->from) : NULL);
	if (c->rehash != NULL) {
		util_replace(&u.pw_hash, c->rehash);
		c->rehash = NULL;
	}
	rec_put(t, KIND_USER, &u);
	c->u = u;
	c->admitted = true;
	return txn_status(t);
}

static enum status
wrong(struct err *e)
{
	return err_set(e, ST_NOPERM, WRONG);
}

static void
login_free(struct login_ctx *c)
{
	free(c->hash);
	free(c->rehash);
}

enum status
app_portal_login(struct app *a, const struct login_policy *pol, const char *email,
    const char *password, const char *from, struct err *e)
{
	struct login_ctx c;
	struct txn *t;
	char *norm = NULL;
	enum status st;
	struct err ignored;
	bool ok;

	if (password == NULL || strlen(password) > PORTAL_PW_MAX)
		return wrong(e);
	memset(&c, 0, sizeof c);
	c.pol = pol;
	c.from = from;
	err_clear(&ignored);
	if (email != NULL && email_normalise(email, &norm, "email", &ignored) == ST_OK) {
		t = txn_begin_read(a->store);
		c.user = find_user(t, norm);
		txn_end(t);
		free(norm);
	}
	if (c.user != 0 && (st = app_write(a, APP_ANYONE, "portal login attempt", attempt_write, &c, e)) != ST_OK) {
		login_free(&c);
		return st;
	}
	ok = verify(a, pol, c.admitted ? c.hash : dummy_hash, password);
	if (!ok || !c.admitted) {
		login_free(&c);
		return wrong(e);
	}
	if (crypto_pwhash_str_needs_rehash(c.hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		int slot, fd = slot_enter(a, pol, &slot);   /* no slot: next time */
		c.rehash = xmalloc(crypto_pwhash_STRBYTES);
		if (fd < 0 || crypto_pwhash_str(c.rehash, password, strlen(password),
		    crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
			free(c.rehash);
			c.rehash = NULL;
		}
		if (fd >= 0)
			close(fd);
	}
	st = app_write(a, APP_ANYONE, "portal login", success_write, &c, e);
	if (st == ST_OK && !c.admitted)
		st = wrong(e);
	if (st == ST_OK) {
		set_login(a, &c.u);
		rec_free(KIND_USER, &c.u);
	}
	login_free(&c);
	return st == ST_OK ? app_portal_alive(a, e) : st;
}

/* ---- SSH-key logins ---- */

struct keylogin_ctx {
	struct app *a;
	uint64_t key;
	const char *from;
	struct user u;
	bool found;
};

static enum status
keylogin_write(struct txn *t, void *vctx)
{
	struct keylogin_ctx *c = vctx;
	uint64_t uid;

	int64_t was_at;
	bool same_from;
	const char *from = c->from != NULL && *c->from ? c->from : NULL;

	c->found = false;
	if ((uid = portal_key_user(t, c->key, NULL)) == 0)
		return txn_status(t);
	if (rec_get(t, KIND_USER, uid, &c->u) != ST_OK)
		return txn_status(t);
	was_at = c->u.login_at;
	same_from = (from == NULL) == (c->u.login_from == NULL) &&
	    (from == NULL || strcmp(from, c->u.login_from) == 0);
	c->u.login_at = clock_now();
	util_replace(&c->u.login_from, from ? xstrdup(from) : NULL);
	rec_put(t, KIND_USER, &c->u);
	if (was_at == c->u.login_at && same_from) {
		/* a second key login within the same second, from the same
		 * place, changes no field: the audit hook would log nothing,
		 * but every login is an entry */
		char after[160];
		snprintf(after, sizeof after, "{\"login_at\":%lld,\"login_from\":%s%.64s%s}",
		    (long long)c->u.login_at, from ? "\"" : "", from ? from : "null", from ? "\"" : "");
		audit_append(t, app_login(c->a), "portal login by key: user again", KIND_USER, uid, NULL, after);
	}
	c->found = true;
	return txn_status(t);
}

enum status
app_portal_login_key(struct app *a, uint64_t key, const char *from, struct err *e)
{
	struct keylogin_ctx c;
	enum status st;

	memset(&c, 0, sizeof c);
	c.a = a;
	c.key = key;
	c.from = from;
	if ((st = app_write(a, APP_ANYONE, "portal login by key", keylogin_write, &c, e)) != ST_OK)
		return st;
	if (!c.found)
		return err_set(e, ST_NOPERM, "this SSH key no longer lets you in: ask the company");
	set_login(a, &c.u);
	rec_free(KIND_USER, &c.u);
	session_key = key;
	return app_portal_alive(a, e);
}

/* ---- first login with an invitation code ---- */

struct activate_ctx {
	const char *code_hash;  /* of the code typed */
	uint64_t invitation;    /* the one it matched, outside the write */
	const char *hash;       /* the new password's */
	struct user u;
};

static enum status
activate_write(struct txn *t, void *vctx)
{
	struct activate_ctx *c = vctx;
	struct invitation v;
	struct partner p;
	struct user u;
	struct key k;
	uint64_t id;
	int64_t now = clock_now();
	enum status st = ST_OK;

	/* matched again here, by the code's hash: a resend or a redraw since
	 * the check replaced it, or a second first login used it */
	key_init(&k);
	key_str(&k, c->code_hash, false);
	if (idx_find(t, IDX_INVITATION_CODE, &k) != c->invitation ||
	    rec_get(t, KIND_INVITATION, c->invitation, &v) != ST_OK)
		return txn_fail(t, ST_NOPERM, "invitation code: no longer valid");
	if (v.code_hash == NULL || strcmp(v.code_hash, c->code_hash) != 0 || v.used_at != 0 ||
	    v.voided_at != 0 || v.expires <= now) {
		rec_free(KIND_INVITATION, &v);
		return txn_fail(t, ST_NOPERM, "invitation code: no longer valid");
	}
	if (rec_get(t, KIND_PARTNER, v.partner, &p) != ST_OK) {
		rec_free(KIND_INVITATION, &v);
		return txn_fail(t, ST_NOPERM, "invitation code: the partner is gone");
	}
	if (p.status == PARTNER_SUSPENDED) {
		st = txn_fail(t, ST_NOPERM, "your partner account is suspended");
		goto out;
	}
	id = find_user(t, v.email);
	memset(&u, 0, sizeof u);
	if (id != 0) {
		if (rec_get(t, KIND_USER, id, &u) != ST_OK) {
			st = txn_status(t);
			goto out;
		}
		if (u.role != ROLE_PARTNER || u.partner != v.partner) {
			rec_free(KIND_USER, &u);
			st = txn_fail(t, ST_CONFLICT, "%s is already an account of someone else: ask the company",
			    v.email);
			goto out;
		}
		free(u.pw_hash);
	} else {
		u.login = xstrdup(v.email);
		u.role = ROLE_PARTNER;
		u.partner = v.partner;
	}
	u.pw_hash = xstrdup(c->hash);
	u.failures = 0;
	u.failed_at = 0;
	u.locked_at = 0;
	u.login_at = now;
	rec_put(t, KIND_USER, &u);
	v.used_at = now;
	rec_put(t, KIND_INVITATION, &v);
	if (p.status == PARTNER_INVITED) {
		p.status = PARTNER_ACTIVE;
		rec_put(t, KIND_PARTNER, &p);
	}
	c->u = u;
	st = txn_status(t);
out:
	rec_free(KIND_PARTNER, &p);
	rec_free(KIND_INVITATION, &v);
	return st;
}

static enum status
password_ok(const char *pw, struct err *e)
{
	size_t n = pw != NULL ? strlen(pw) : 0, i;

	if (n < PORTAL_PW_MIN)
		return err_set(e, ST_DATA, "password: at least %d characters", PORTAL_PW_MIN);
	if (n > PORTAL_PW_MAX)
		return err_set(e, ST_DATA, "password: at most %d characters", PORTAL_PW_MAX);
	for (i = 0; i < n; i++)
		if ((unsigned char)pw[i] < 0x20 || pw[i] == 0x7f)
			return err_set(e, ST_DATA, "password: no control characters");
	return ST_OK;
}

enum status
app_portal_activate(struct app *a, const struct login_policy *pol, const char *code,
    const char *password, struct err *e)
{
	char hash[crypto_pwhash_STRBYTES], code_hash[INVITE_HASH_HEX], *trimmed;
	struct activate_ctx c;
	uint64_t partner;
	enum status st;
	int slot, fd, rc;

	memset(&c, 0, sizeof c);
	if ((st = app_invitation_match(a, code, &partner, &c.invitation, e)) != ST_OK)
		return st;
	if ((st = password_ok(password, e)) != ST_OK)
		return st;
	/* hashing costs what verifying does: it waits for a slot too */
	if ((fd = slot_enter(a, pol, &slot)) < 0)
		return err_set(e, ST_TEMPFAIL, "the portal is busy: try again in a minute");
	rc = crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE);
	close(fd);
	if (rc != 0)
		return err_set(e, ST_SOFTWARE, "out of memory hashing the password");
	trimmed = str_trim(code);
	invite_code_hash(trimmed, code_hash);
	free(trimmed);
	c.code_hash = code_hash;
	c.hash = hash;
	st = app_write(a, APP_ANYONE, "portal activate", activate_write, &c, e);
	sodium_memzero(hash, sizeof hash);
	if (st != ST_OK)
		return st;
	set_login(a, &c.u);
	rec_free(KIND_USER, &c.u);
	return app_portal_alive(a, e);
}

/* ---- every action ---- */

enum status
app_portal_alive(struct app *a, struct err *e)
{
	struct txn *t;
	struct user u;
	struct partner p;
	enum status st = ST_OK;

	if (a->role != ROLE_PARTNER || a->user == 0 || a->partner == 0)
		return err_set(e, ST_NOPERM, NOT_LOGGED_IN);
	t = txn_begin_read(a->store);
	if (rec_get(t, KIND_USER, a->user, &u) != ST_OK) {
		st = txn_status(t) != ST_OK ? err_set(e, txn_status(t), "%s", txn_message(t)) :
		    err_set(e, ST_NOPERM, "your portal access was revoked");
		txn_end(t);
		return st;
	}
	if (u.role != ROLE_PARTNER || u.partner != a->partner || u.pw_hash == NULL)
		st = err_set(e, ST_NOPERM, "your portal access was revoked");
	else if (u.locked_at != 0)
		st = err_set(e, ST_NOPERM, "your portal account is locked");
	else if (session_key != 0 && portal_key_user(t, session_key, NULL) != a->user)
		st = err_set(e, ST_NOPERM, "the SSH key of this session was removed");
	rec_free(KIND_USER, &u);
	if (st == ST_OK) {
		if (rec_get(t, KIND_PARTNER, a->partner, &p) != ST_OK)
			st = err_set(e, ST_NOPERM, "your partner account is gone");
		else {
			if (p.status == PARTNER_SUSPENDED)
				st = err_set(e, ST_NOPERM, "your partner account is suspended");
			rec_free(KIND_PARTNER, &p);
		}
	}
	txn_end(t);
	return st;
}

enum status
portal_mail_allowed(struct err *e)
{
	if (session_mails >= PORTAL_MAILS_MAX)
		return err_set(e, ST_TEMPFAIL, "at most %d statement mails per session: log in again later",
		    PORTAL_MAILS_MAX);
	return ST_OK;
}

void
portal_mail_count(void)
{
	session_mails++;
}
