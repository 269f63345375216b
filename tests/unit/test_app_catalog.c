/*
 * test_app_catalog.c - programs, tiers and partners through the public
 * app API: add, edit, status changes, the errors that name the field and
 * change nothing, and who may do what.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/io.h"
#include "app_fixture.h"

/* How many records of kind k app_list shows. */
static enum status
count_row(void *ctx, const struct row *r)
{
	(void)r;
	++*(size_t *)ctx;
	return ST_OK;
}

static size_t
count(struct fx *f, enum kind k)
{
	struct list_filter lf = { 0 };
	size_t n = 0;
	struct err e;

	err_clear(&e);
	assert_int_equal(app_list(f->a, k, &lf, count_row, &n, &e), ST_OK);
	return n;
}

static void
test_program_add_edit(void **state)
{
	struct fx *f = *state;
	struct program_input edit = { .name = "Autumn", .window = "30" };
	struct err e;
	uint64_t id = fx_program(f, "Spring", "percent 10", NULL), again = 0;

	assert_int_equal(id, 1);
	err_clear(&e);
	assert_int_equal(app_program_save(f->a, id, &edit, &again, &e), ST_OK);
	assert_int_equal(again, id);
	assert_int_equal(count(f, KIND_PROGRAM), 1);
	assert_int_equal(app_resolve_ref(f->a, KIND_PROGRAM, "Autumn", &again, &e), ST_OK);
	assert_int_equal(again, id);
	assert_int_equal(app_resolve_ref(f->a, KIND_PROGRAM, "Spring", &again, &e), ST_NOTFOUND);
	assert_string_equal(e.msg, "program \"Spring\" not found");
}

static void
test_program_errors_write_nothing(void **state)
{
	struct fx *f = *state;
	struct program_input bad_rule = { .name = "X", .rule = "percent lots" };
	struct program_input no_name = { .rule = "percent 10" };
	struct program_input dup = { .name = "Spring", .rule = "percent 5" };
	struct program_input bad_window = { .name = "Y", .rule = "percent 5", .window = "-3" };
	struct err e;

	fx_program(f, "Spring", "percent 10", NULL);
	err_clear(&e);
	assert_int_equal(app_program_save(f->a, 0, &no_name, NULL, &e), ST_USAGE);
	assert_string_equal(e.msg, "name: missing");
	err_clear(&e);
	assert_int_equal(app_program_save(f->a, 0, &dup, NULL, &e), ST_EXISTS);
	assert_non_null(strstr(e.msg, "name: \"Spring\" is already taken by PG1"));
	err_clear(&e);
	assert_int_not_equal(app_program_save(f->a, 0, &bad_rule, NULL, &e), ST_OK);
	assert_non_null(strstr(e.msg, "rule"));
	err_clear(&e);
	assert_int_equal(app_program_save(f->a, 0, &bad_window, NULL, &e), ST_DATA);
	assert_non_null(strstr(e.msg, "window"));
	err_clear(&e);
	assert_int_equal(app_program_save(f->a, 9, &dup, NULL, &e), ST_NOTFOUND);
	assert_string_equal(e.msg, "program PG9 not found");
	assert_int_equal(count(f, KIND_PROGRAM), 1);
}

static void
test_program_status(void **state)
{
	struct fx *f = *state;
	struct program_input draft = { .name = "Draft", .rule = "flat 1.00" };
	struct err e;
	uint64_t id;

	err_clear(&e);
	assert_int_equal(app_program_save(f->a, 0, &draft, &id, &e), ST_OK);
	assert_int_equal(app_program_set_status(f->a, id, PROGRAM_PAUSED, &e), ST_DATA);
	assert_string_equal(e.msg, "program Draft is draft: only an active program can be paused");
	err_clear(&e);
	assert_int_equal(app_program_set_status(f->a, id, PROGRAM_ACTIVE, &e), ST_OK);
	assert_int_equal(app_program_set_status(f->a, id, PROGRAM_PAUSED, &e), ST_OK);
	assert_int_equal(app_program_set_status(f->a, id, PROGRAM_ENDED, &e), ST_OK);
	assert_int_equal(app_program_set_status(f->a, id, PROGRAM_ACTIVE, &e), ST_DATA);
	assert_string_equal(e.msg, "program Draft has ended and cannot be activated");
}

static void
test_tiers_and_partners(void **state)
{
	struct fx *f = *state;
	struct tier_input bad_rank = { .name = "Silver", .rank = "1001" };
	struct partner_input no_email = { .name = "Nomail" };
	struct partner_input bad_tier = { .name = "Zed", .email = "z@zed.example", .tier = "Platinum" };
	struct partner_input retier = { .tier = "Gold" };
	struct err e;
	uint64_t gold = fx_tier(f, "Gold", "percent 20"), acme = fx_partner(f, "Acme", NULL);

	assert_int_equal(gold, 1);
	err_clear(&e);
	assert_int_equal(app_tier_save(f->a, 0, &bad_rank, NULL, &e), ST_DATA);
	assert_non_null(strstr(e.msg, "rank"));
	err_clear(&e);
	assert_int_equal(app_partner_save(f->a, 0, &no_email, NULL, &e), ST_USAGE);
	assert_string_equal(e.msg, "email: missing (--email)");
	err_clear(&e);
	assert_int_equal(app_partner_save(f->a, 0, &bad_tier, NULL, &e), ST_NOTFOUND);
	assert_non_null(strstr(e.msg, "\"Platinum\" not found"));
	err_clear(&e);
	assert_int_equal(app_partner_save(f->a, acme, &retier, NULL, &e), ST_OK);
	assert_int_equal(app_partner_set_status(f->a, acme, PARTNER_SUSPENDED, &e), ST_OK);
	assert_int_equal(count(f, KIND_PARTNER), 1);
	assert_int_equal(count(f, KIND_TIER), 1);
}

/* A support user reads; a manager runs programs and partners; users are
 * an admin's. */
static void
test_permissions_per_role(void **state)
{
	struct fx *f = *state;
	struct program_input p = { .name = "Mine", .rule = "flat 1.00" };
	struct err e;

	fx_as(f, ROLE_SUPPORT);
	err_clear(&e);
	assert_int_equal(app_program_save(f->a, 0, &p, NULL, &e), ST_NOPERM);
	assert_non_null(strstr(e.msg, "you (tester, support) may not "));
	assert_int_equal(count(f, KIND_PROGRAM), 0);
	fx_as(f, ROLE_MANAGER);
	err_clear(&e);
	assert_int_equal(app_program_save(f->a, 0, &p, NULL, &e), ST_OK);
	assert_int_equal(app_user_add(f->a, "bob", "support", NULL, NULL, &e), ST_NOPERM);
	fx_as(f, ROLE_ADMIN);
	err_clear(&e);
	assert_int_equal(app_user_add(f->a, "bob", "support", NULL, NULL, &e), ST_OK);
	assert_int_equal(app_user_add(f->a, "bob", "support", NULL, NULL, &e), ST_EXISTS);
	assert_string_equal(e.msg, "user \"bob\" already exists");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FX_CASE(test_program_add_edit),
		FX_CASE(test_program_errors_write_nothing),
		FX_CASE(test_program_status),
		FX_CASE(test_tiers_and_partners),
		FX_CASE(test_permissions_per_role),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
