/*
 * app_fixture.h - the shared fixture of the app/ unit tests
 * (test_app_*.c): a fresh database per case, time pinned through the
 * clock function, and an admin session made with app_session_new (no
 * environment, no Unix account), plus a few helpers that set up records
 * through the public app API and read commission lines back as the CLI
 * lists them.
 */
#ifndef ALLY_TESTS_APP_FIXTURE_H
#define ALLY_TESTS_APP_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"

/* Where a case's database lives: every case runs on both (FX_CASE). */
enum fx_backend {
	FX_LMDB,        /* LMDB in a temporary directory */
	FX_MEM,         /* store/mem.c, one store for all the case's sessions */
};

struct fx {
	enum fx_backend bk;
	char dir[64];
	char *db;
	struct store *mem;      /* FX_MEM: the store the sessions borrow */
	struct app *a;
	enum role role;
};

/* A case on LMDB and the same case in memory, named lmdb/fn and mem/fn. */
#define FX_CASE(fn) \
	{ .name = "lmdb/" #fn, .test_func = fn, .setup_func = fx_setup, .teardown_func = fx_teardown }, \
	{ .name = "mem/" #fn, .test_func = fn, .setup_func = fx_setup_mem, .teardown_func = fx_teardown }

/* Month of the fixture's "now": 2026-10-15T12:00:00Z. */
#define FX_NOW 1792065600

int fx_setup(void **state);
int fx_setup_mem(void **state);
int fx_teardown(void **state);
/* Act as another role from now on (a new session on the same database). */
void fx_as(struct fx *f, enum role r);
/* Pin "now" (RFC 3339). */
void fx_at(const char *when);

/* Records through the public API; each asserts success and returns the id. */
uint64_t fx_program(struct fx *f, const char *name, const char *rule, const char *hold);
uint64_t fx_partner(struct fx *f, const char *name, const char *tier);
uint64_t fx_tier(struct fx *f, const char *name, const char *rule);
/* A code (vanity) for a partner (or a customer e-mail when partner is NULL). */
void fx_code(struct fx *f, const char *program, const char *partner, const char *customer,
    const char *vanity);
void fx_referral(struct fx *f, const char *code, const char *email, const char *at);
/* A purchase by the contact code referred (buyer-CODE@example.com). */
void fx_buy(struct fx *f, const char *code, const char *amount, const char *id, const char *at);

/* One commission line as `ally commission list` shows it. */
struct fx_line {
	char id[24];
	char status[16];
	char kind[16];
	char conversion[32];
	int64_t amount;         /* minor units */
	char currency[4];
};
/* Lines of a program (NULL: all), at most max, oldest first; returns the count. */
size_t fx_lines(struct fx *f, const char *program, struct fx_line *out, size_t max);
/* The amount of conversion's line of `kind` ("commission" / "adjustment"),
 * INT64_MIN when there is none. */
int64_t fx_amount(struct fx *f, const char *conversion, const char *kind);
/* The id ("C3") of that line ("" when none), into buf. */
const char *fx_line_id(struct fx *f, const char *conversion, const char *kind, char *buf);
/* Sum of the lines that count (not rejected or reversed) of a program. */
int64_t fx_total(struct fx *f, const char *program);

#endif
