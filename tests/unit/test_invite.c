/*
 * test_invite.c - invitation codes (app/invite.c) and the portal logins
 * they lead to (app/portal_login.c) on a database in a temporary
 * directory: the queued mail holds no code, only a reference; a code
 * drawn at sending is accepted for its partner until it expires, is
 * replaced by the next draw, by resend or voided by revoke; the first
 * login consumes the invitation whose hash matched; unknown e-mails cost
 * one verification of the dummy hash and get the wrong password's words.
 */
#include "config.h"

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/app_int.h"  /* white-box: reaches the session's store and role */
#include "app/outbox.h"
#include "app/portal.h"
#include "core/clock.h"
#include "store/store.h"

#define NOW 1792065600          /* 2026-10-15T12:00:00Z */

struct fx {
	char dir[64];
	struct app *a;
	struct config cfg;
	uint64_t partner;
};

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct init_input in = { "Test Org", "EUR", "UTC" };
	struct partner_input p = { .name = "Acme", .email = "ann@acme.example" };
	struct err e;
	const char *top = getenv("top_srcdir");
	char *db;

	if (getenv("ALLY_TEMPLATES") == NULL && top != NULL) {
		char *t = malloc(strlen(top) + 8);
		sprintf(t, "%s/data", top);
		setenv("ALLY_TEMPLATES", t, 1);
		free(t);
	}
	unsetenv("ALLY_NOW");
	snprintf(f->dir, sizeof f->dir, "%s/ally-inv.XXXXXX", "/tmp");
	assert_non_null(mkdtemp(f->dir));
	db = malloc(strlen(f->dir) + 4);
	sprintf(db, "%s/db", f->dir);
	store_set_initial_mapsize(1 << 20);
	err_clear(&e);
	assert_int_equal(app_init(db, &in, &e), ST_OK);
	assert_int_equal(app_open(db, 0, &f->a, &e), ST_OK);
	free(db);
	clock_set(NOW);
	assert_int_equal(app_partner_save(f->a, 0, &p, &f->partner, &e), ST_OK);
	memset(&f->cfg, 0, sizeof f->cfg);
	f->cfg.max_attempts = CONFIG_MAX_ATTEMPTS_DEFAULT;
	f->cfg.smtp_timeout = CONFIG_TIMEOUT_DEFAULT;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	app_close(f->a);
	nftw(f->dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static void
expect_refused(struct fx *f, const char *code, const char *why)
{
	struct err e;
	uint64_t p = 99;

	err_clear(&e);
	assert_int_equal(app_invitation_check(f->a, code, &p, &e), ST_NOPERM);
	assert_int_equal(p, 0);
	assert_string_equal(e.msg, why);
}

static void
draw(struct fx *f, uint64_t invitation, char code[INVITE_CODE_LEN])
{
	struct err e;

	err_clear(&e);
	assert_int_equal(app_invitation_draw(f->a, invitation, code, &e), ST_OK);
	assert_int_equal(strlen(code), 24);     /* 144 bits */
}

static void
test_invite_and_check(void **state)
{
	struct fx *f = *state;
	struct invite_result r;
	char code[INVITE_CODE_LEN], again[INVITE_CODE_LEN];
	struct err e;
	uint64_t p = 0, inv = 0;

	err_clear(&e);
	assert_int_equal(app_partner_invite(f->a, &f->cfg, f->partner, NULL, &r, &e), ST_OK);
	assert_int_equal(r.expires, NOW + 7 * 86400);
	assert_true(r.mail > 0);
	/* nothing is valid before the sender draws a code */
	expect_refused(f, "AAAAAAAAAAAAAAAAAAAAAAAA", "invitation code: not valid");
	expect_refused(f, "", "invitation code: not valid");
	draw(f, r.invitation, code);
	assert_int_equal(app_invitation_match(f->a, code, &p, &inv, &e), ST_OK);
	assert_int_equal(p, f->partner);
	assert_int_equal(inv, r.invitation);
	/* a retry draws a new code: the first one stops working */
	draw(f, r.invitation, again);
	assert_string_not_equal(code, again);
	expect_refused(f, code, "invitation code: not valid");
	assert_int_equal(app_invitation_check(f->a, again, &p, &e), ST_OK);
	/* A second invite while the first is pending is refused. */
	assert_int_equal(app_partner_invite(f->a, &f->cfg, f->partner, NULL, &r, &e), ST_CONFLICT);
	/* Expiry: and an expired invitation gets no code at all. */
	clock_set(NOW + 7 * 86400);
	err_clear(&e);
	assert_int_equal(app_partner_invite(f->a, &f->cfg, f->partner, "2", &r, &e), ST_OK);
	draw(f, r.invitation, code);
	clock_set(NOW + 9 * 86400);
	expect_refused(f, code, "invitation code: expired");
	err_clear(&e);
	assert_int_equal(app_invitation_draw(f->a, r.invitation, again, &e), ST_CONFLICT);
	assert_string_equal(e.msg, "invitation I2 was expired: not sent");
}

/* The outbox holds a marker and the invitation's id, never a code. */
static void
test_mail_holds_no_code(void **state)
{
	struct fx *f = *state;
	struct invite_result r;
	char code[INVITE_CODE_LEN];
	struct mail m;
	struct txn *t;
	struct err e;

	err_clear(&e);
	assert_int_equal(app_partner_invite(f->a, &f->cfg, f->partner, NULL, &r, &e), ST_OK);
	draw(f, r.invitation, code);
	t = txn_begin_read(f->a->store);
	assert_int_equal(rec_get(t, KIND_MAIL, r.mail, &m), ST_OK);
	txn_end(t);
	assert_int_equal(m.invitation, r.invitation);
	assert_non_null(strstr(m.text, MAIL_CODE_MARK));
	assert_non_null(strstr(m.html, MAIL_CODE_MARK));
	assert_null(strstr(m.text, code));
	assert_null(strstr(m.html, code));
	rec_free(KIND_MAIL, &m);
}

/* Drawing is the sender's: an admin's. */
static void
test_draw_needs_admin(void **state)
{
	struct fx *f = *state;
	struct invite_result r;
	char code[INVITE_CODE_LEN] = "x";
	struct err e;

	err_clear(&e);
	assert_int_equal(app_partner_invite(f->a, &f->cfg, f->partner, NULL, &r, &e), ST_OK);
	f->a->role = ROLE_SUPPORT;
	err_clear(&e);
	assert_int_equal(app_invitation_draw(f->a, r.invitation, code, &e), ST_NOPERM);
	assert_string_equal(code, "");
	assert_non_null(strstr(e.msg, "may not send the outbox's mail"));
	f->a->role = ROLE_MANAGER;
	assert_int_equal(app_mail_send(f->a, &f->cfg, NULL, NULL, &e), ST_NOPERM);
	f->a->role = ROLE_ADMIN;
}

static void
test_resend_and_revoke(void **state)
{
	struct fx *f = *state;
	struct invite_result r1, r2, r3;
	char old[INVITE_CODE_LEN], code[INVITE_CODE_LEN];
	struct err e;
	uint64_t p;

	err_clear(&e);
	assert_int_equal(app_partner_invite(f->a, &f->cfg, f->partner, "7", &r1, &e), ST_OK);
	draw(f, r1.invitation, old);
	assert_int_equal(app_partner_resend(f->a, &f->cfg, f->partner, NULL, &r2, &e), ST_OK);
	assert_int_equal(r2.voided, 1);
	expect_refused(f, old, "invitation code: replaced or revoked");
	/* the first mail, if still queued, can no longer get a code */
	err_clear(&e);
	assert_int_equal(app_invitation_draw(f->a, r1.invitation, code, &e), ST_CONFLICT);
	assert_string_equal(e.msg, "invitation I1 was replaced or revoked: not sent");
	draw(f, r2.invitation, code);
	assert_string_not_equal(code, old);
	assert_int_equal(app_invitation_check(f->a, code, &p, &e), ST_OK);
	assert_int_equal(app_partner_revoke(f->a, &f->cfg, f->partner, &r3, &e), ST_OK);
	assert_int_equal(r3.voided, 1);
	assert_true(r3.mail > r2.mail);
	expect_refused(f, code, "invitation code: replaced or revoked");
	/* Nothing left to revoke. */
	err_clear(&e);
	assert_int_equal(app_partner_revoke(f->a, &f->cfg, f->partner, &r3, &e), ST_CONFLICT);
}

/* A portal session on the same database (one environment per process:
 * the admin's is closed meanwhile). */
static struct app *
portal(struct fx *f)
{
	struct app *p;
	struct err e;
	char db[80];

	snprintf(db, sizeof db, "%s/db", f->dir);
	app_close(f->a);
	f->a = NULL;
	err_clear(&e);
	assert_int_equal(app_portal_open(db, &p, &e), ST_OK);
	return p;
}

static void
admin_again(struct fx *f, struct app *p)
{
	struct err e;
	char db[80];

	app_close(p);
	snprintf(db, sizeof db, "%s/db", f->dir);
	err_clear(&e);
	assert_int_equal(app_open(db, 0, &f->a, &e), ST_OK);
}

static struct invitation
invitation(struct app *a, uint64_t id)
{
	struct invitation v;
	struct txn *t = txn_begin_read(a->store);

	assert_int_equal(rec_get(t, KIND_INVITATION, id, &v), ST_OK);
	txn_end(t);
	return v;
}

/* The first login consumes the invitation whose hash matched, and only a
 * code whose hash is still the one stored. */
static void
test_activate_matches_hash(void **state)
{
	struct fx *f = *state;
	struct partner_input pb = { .name = "Beta", .email = "bob@beta.example" };
	struct invite_result ra, rb;
	char ca[INVITE_CODE_LEN], cb[INVITE_CODE_LEN], stale[INVITE_CODE_LEN];
	struct invitation v;
	struct app *p;
	struct err e;
	uint64_t beta;

	err_clear(&e);
	assert_int_equal(app_partner_save(f->a, 0, &pb, &beta, &e), ST_OK);
	assert_int_equal(app_partner_invite(f->a, &f->cfg, f->partner, NULL, &ra, &e), ST_OK);
	assert_int_equal(app_partner_invite(f->a, &f->cfg, beta, NULL, &rb, &e), ST_OK);
	draw(f, ra.invitation, ca);
	draw(f, rb.invitation, stale);
	draw(f, rb.invitation, cb);     /* a retry: stale is dead */
	p = portal(f);
	assert_int_equal(app_portal_activate(p, NULL, stale, "long-password-1", &e), ST_NOPERM);
	assert_string_equal(e.msg, "invitation code: not valid");
	err_clear(&e);
	/* B's code, though A's invitation is the older one */
	assert_int_equal(app_portal_activate(p, NULL, cb, "long-password-1", &e), ST_OK);
	assert_int_equal(p->partner, beta);
	v = invitation(p, rb.invitation);
	assert_true(v.used_at != 0);
	rec_free(KIND_INVITATION, &v);
	v = invitation(p, ra.invitation);
	assert_int_equal(v.used_at, 0);
	rec_free(KIND_INVITATION, &v);
	app_close(p);
	p = portal(f);
	assert_int_equal(app_portal_activate(p, NULL, cb, "long-password-2", &e), ST_NOPERM);
	assert_string_equal(e.msg, "invitation code: used already");
	err_clear(&e);
	assert_int_equal(app_portal_activate(p, NULL, ca, "long-password-3", &e), ST_OK);
	assert_int_equal(p->partner, f->partner);
	admin_again(f, p);
}

static int
trace_lines(const char *path)
{
	FILE *fp = fopen(path, "r");
	int n = 0, c;

	if (fp == NULL)
		return 0;
	while ((c = getc(fp)) != EOF)
		n += c == '\n';
	fclose(fp);
	return n;
}

/* Every answer is one verification and the same words: an unknown
 * e-mail (the dummy hash), a wrong password, a locked account. */
static void
test_login_dummy_and_lock(void **state)
{
	struct fx *f = *state;
	const struct login_policy pol = { 2, 0, 1, 0 };
	struct invite_result r;
	char code[INVITE_CODE_LEN], trace[96];
	struct app *p;
	struct user u;
	struct txn *t;
	struct err e;
	uint64_t user;

	snprintf(trace, sizeof trace, "%s/trace", f->dir);
	err_clear(&e);
	assert_int_equal(app_partner_invite(f->a, &f->cfg, f->partner, NULL, &r, &e), ST_OK);
	draw(f, r.invitation, code);
	p = portal(f);
	assert_int_equal(app_portal_activate(p, NULL, code, "right-password", &e), ST_OK);
	user = p->user;
	app_close(p);
	p = portal(f);
	app_portal_trace(trace);
	assert_int_equal(app_portal_login(p, &pol, "nobody@acme.example", "right-password", NULL, &e),
	    ST_NOPERM);
	assert_string_equal(e.msg, "e-mail or password wrong");
	assert_int_equal(trace_lines(trace), 1);        /* the dummy hash was verified */
	err_clear(&e);
	assert_int_equal(app_portal_login(p, &pol, "ann@acme.example", "wrong-password", "10.0.0.9", &e),
	    ST_NOPERM);
	assert_string_equal(e.msg, "e-mail or password wrong");
	assert_int_equal(app_portal_login(p, &pol, "ann@acme.example", "wrong-password", NULL, &e),
	    ST_NOPERM);
	assert_string_equal(e.msg, "e-mail or password wrong");
	/* locked now: even the right password gets the same answer */
	err_clear(&e);
	assert_int_equal(app_portal_login(p, &pol, "ann@acme.example", "right-password", NULL, &e),
	    ST_NOPERM);
	assert_string_equal(e.msg, "e-mail or password wrong");
	assert_int_equal(trace_lines(trace), 4);
	app_portal_trace(NULL);
	t = txn_begin_read(p->store);
	assert_int_equal(rec_get(t, KIND_USER, user, &u), ST_OK);
	txn_end(t);
	assert_int_equal(u.failures, 2);        /* the locked attempt was not counted */
	assert_true(u.locked_at != 0);
	rec_free(KIND_USER, &u);
	admin_again(f, p);
}

/* A session may queue a few statement mails, not a flood. */
static void
test_statement_mail_limit(void **state)
{
	struct fx *f = *state;
	struct invite_result r;
	char code[INVITE_CODE_LEN];
	struct app *p;
	struct err e;
	uint64_t mail;
	char *to;
	int i;

	err_clear(&e);
	assert_int_equal(app_partner_invite(f->a, &f->cfg, f->partner, NULL, &r, &e), ST_OK);
	draw(f, r.invitation, code);
	p = portal(f);
	assert_int_equal(app_portal_activate(p, NULL, code, "right-password", &e), ST_OK);
	for (i = 0; i < PORTAL_MAILS_MAX; i++) {
		assert_int_equal(app_portal_statement_mail(p, &f->cfg, "2026-10", &mail, &to, &e), ST_OK);
		assert_string_equal(to, "ann@acme.example");
		free(to);
	}
	err_clear(&e);
	assert_int_equal(app_portal_statement_mail(p, &f->cfg, "2026-10", &mail, &to, &e), ST_TEMPFAIL);
	assert_string_equal(e.msg, "at most 5 statement mails per session: log in again later");
	assert_int_equal(mail, 0);
	assert_null(to);
	admin_again(f, p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_invite_and_check, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mail_holds_no_code, setup, teardown),
		cmocka_unit_test_setup_teardown(test_draw_needs_admin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resend_and_revoke, setup, teardown),
		cmocka_unit_test_setup_teardown(test_activate_matches_hash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_login_dummy_and_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_statement_mail_limit, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
