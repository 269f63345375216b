/*
 * test_invite.c - invitation codes (app/invite.c) on a database in a
 * temporary directory: a code is accepted for its partner until it
 * expires, is replaced by resend or voided by revoke; unknown codes are
 * refused; the invitation mail is queued in the same transaction.
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

#include "app/outbox.h"
#include "core/clock.h"

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
test_invite_and_check(void **state)
{
	struct fx *f = *state;
	struct invite_result r;
	struct err e;
	uint64_t p = 0;

	err_clear(&e);
	assert_int_equal(app_partner_invite(f->a, &f->cfg, f->partner, NULL, &r, &e), ST_OK);
	assert_int_equal(strlen(r.code), 24);   /* 144 bits */
	assert_int_equal(r.expires, NOW + 7 * 86400);
	assert_true(r.mail > 0);
	assert_int_equal(app_invitation_check(f->a, r.code, &p, &e), ST_OK);
	assert_int_equal(p, f->partner);
	expect_refused(f, "AAAAAAAAAAAAAAAAAAAAAAAA", "invitation code: not valid");
	expect_refused(f, "", "invitation code: not valid");
	/* A second invite while the first is pending is refused. */
	assert_int_equal(app_partner_invite(f->a, &f->cfg, f->partner, NULL, &r, &e), ST_CONFLICT);
	/* Expiry. */
	clock_set(NOW + 7 * 86400);
	err_clear(&e);
	assert_int_equal(app_partner_invite(f->a, &f->cfg, f->partner, "2", &r, &e), ST_OK);
	clock_set(NOW + 9 * 86400);
	expect_refused(f, r.code, "invitation code: expired");
}

static void
test_resend_and_revoke(void **state)
{
	struct fx *f = *state;
	struct invite_result r1, r2, r3;
	struct err e;
	uint64_t p;
	char old[64];

	err_clear(&e);
	assert_int_equal(app_partner_invite(f->a, &f->cfg, f->partner, "7", &r1, &e), ST_OK);
	memcpy(old, r1.code, sizeof old);
	assert_int_equal(app_partner_resend(f->a, &f->cfg, f->partner, NULL, &r2, &e), ST_OK);
	assert_int_equal(r2.voided, 1);
	assert_string_not_equal(r2.code, old);
	expect_refused(f, old, "invitation code: replaced or revoked");
	assert_int_equal(app_invitation_check(f->a, r2.code, &p, &e), ST_OK);
	assert_int_equal(app_partner_revoke(f->a, &f->cfg, f->partner, &r3, &e), ST_OK);
	assert_int_equal(r3.voided, 1);
	assert_true(r3.mail > r2.mail);
	expect_refused(f, r2.code, "invitation code: replaced or revoked");
	/* Nothing left to revoke. */
	err_clear(&e);
	assert_int_equal(app_partner_revoke(f->a, &f->cfg, f->partner, &r3, &e), ST_CONFLICT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_invite_and_check, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resend_and_revoke, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
