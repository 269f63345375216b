/*
 * app_fixture.c - see app_fixture.h.  The database is made with
 * app_init_store and the session with app_session_new, so nothing here
 * depends on the Unix account running the tests or on ALLY_* variables.
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

#include "app/io.h"
#include "core/clock.h"
#include "core/date.h"
#include "store/store.h"
#include "app_fixture.h"

static void
fx_open(struct fx *f)
{
	struct store *s = f->mem;
	int flags = APP_SESSION_AUDIT_KEY | APP_SESSION_EXPIRY;
	struct err e;

	err_clear(&e);
	if (f->bk == FX_LMDB && store_open(f->db, 0, &s, &e) != ST_OK)
		fail_msg("open: %s", e.msg);
	if (f->bk == FX_MEM)
		flags |= APP_SESSION_BORROW;
	if (app_session_new(s, "tester", (int)f->role, flags, &f->a, &e) != ST_OK)
		fail_msg("session: %s", e.msg);
}

static int
setup_on(void **state, enum fx_backend bk)
{
	struct fx *f = calloc(1, sizeof *f);
	struct init_input in = { "Test Org", "EUR", "UTC" };
	struct store *s;
	struct err e;

	f->bk = bk;
	clock_set(FX_NOW);
	err_clear(&e);
	if (bk == FX_LMDB) {
		snprintf(f->dir, sizeof f->dir, "%s/ally-app.XXXXXX", "/tmp");
		assert_non_null(mkdtemp(f->dir));
		f->db = malloc(strlen(f->dir) + 4);
		sprintf(f->db, "%s/db", f->dir);
		store_set_initial_mapsize(1 << 20);
		if (store_open(f->db, STORE_CREATE, &s, &e) != ST_OK)
			fail_msg("create: %s", e.msg);
	} else if (store_open_mem(&s, &e) != ST_OK)
		fail_msg("create in memory: %s", e.msg);
	if (app_init_store(s, &in, "tester", &e) != ST_OK)
		fail_msg("init: %s", e.msg);
	if (bk == FX_LMDB)
		store_close(s);
	else
		f->mem = s;
	f->role = ROLE_ADMIN;
	fx_open(f);
	*state = f;
	return 0;
}

int
fx_setup(void **state)
{
	return setup_on(state, FX_LMDB);
}

int
fx_setup_mem(void **state)
{
	return setup_on(state, FX_MEM);
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int
fx_teardown(void **state)
{
	struct fx *f = *state;

	app_close(f->a);
	store_close(f->mem);
	if (f->bk == FX_LMDB)
		nftw(f->dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	free(f->db);
	free(f);
	return 0;
}

void
fx_as(struct fx *f, enum role r)
{
	app_close(f->a);
	f->a = NULL;
	f->role = r;
	fx_open(f);
}

void
fx_at(const char *when)
{
	int64_t t;
	struct err e;

	err_clear(&e);
	if (date_parse_time(when, &t, "at", &e) != ST_OK)
		fail_msg("%s", e.msg);
	clock_set(t);
}

uint64_t
fx_program(struct fx *f, const char *name, const char *rule, const char *hold)
{
	struct program_input in = { .name = name, .rule = rule, .events = "purchase",
	    .window = "365", .hold = hold, .activate = true };
	struct err e;
	uint64_t id = 0;

	err_clear(&e);
	if (app_program_save(f->a, 0, &in, &id, &e) != ST_OK)
		fail_msg("program %s: %s", name, e.msg);
	return id;
}

uint64_t
fx_tier(struct fx *f, const char *name, const char *rule)
{
	struct tier_input in = { .name = name, .rule = rule };
	struct err e;
	uint64_t id = 0;

	err_clear(&e);
	if (app_tier_save(f->a, 0, &in, &id, &e) != ST_OK)
		fail_msg("tier %s: %s", name, e.msg);
	return id;
}

uint64_t
fx_partner(struct fx *f, const char *name, const char *tier)
{
	char email[128];
	struct partner_input in = { .name = name, .email = email, .tier = tier };
	struct err e;
	uint64_t id = 0;

	snprintf(email, sizeof email, "contact@%s.example", name);
	err_clear(&e);
	if (app_partner_save(f->a, 0, &in, &id, &e) != ST_OK)
		fail_msg("partner %s: %s", name, e.msg);
	return id;
}

void
fx_code(struct fx *f, const char *program, const char *partner, const char *customer,
    const char *vanity)
{
	struct code_input in = { .program = program, .partner = partner, .customer = customer,
	    .vanity = vanity };
	struct code c;
	char *link = NULL;
	struct err e;

	err_clear(&e);
	if (app_code_new(f->a, &in, &c, &link, &e) != ST_OK)
		fail_msg("code %s: %s", vanity, e.msg);
	app_record_free(KIND_CODE, &c);
	free(link);
}

void
fx_referral(struct fx *f, const char *code, const char *email, const char *at)
{
	struct event_input in = { .type = "referral", .code = code, .email = email, .at = at };
	struct event_result r;
	struct err e;

	err_clear(&e);
	if (app_track(f->a, &in, &r, &e) != ST_OK)
		fail_msg("referral %s: %s", code, e.msg);
}

void
fx_buy(struct fx *f, const char *code, const char *amount, const char *id, const char *at)
{
	char email[96];
	struct event_input in = { .type = "conversion", .code = code, .email = email,
	    .event = "purchase", .amount = amount, .id = id, .at = at };
	struct event_result r;
	struct err e;

	snprintf(email, sizeof email, "buyer-%s@example.com", code);
	err_clear(&e);
	if (app_track(f->a, &in, &r, &e) != ST_OK)
		fail_msg("conversion %s: %s", id, e.msg);
}

struct collect {
	struct fx_line *out;
	size_t n, max;
};

static void
copy_cell(char *dst, size_t len, const struct cell *c)
{
	snprintf(dst, len, "%s", c->s ? c->s : "");
}

static enum status
collect_row(void *ctx, const struct row *r)
{
	struct collect *c = ctx;
	struct fx_line *l;
	size_t i;

	if (c->n == c->max)
		return ST_OK;
	l = &c->out[c->n++];
	memset(l, 0, sizeof *l);
	for (i = 0; i < r->n; i++) {
		const struct cell *x = &r->c[i];
		if (strcmp(x->name, "id") == 0)
			copy_cell(l->id, sizeof l->id, x);
		else if (strcmp(x->name, "status") == 0)
			copy_cell(l->status, sizeof l->status, x);
		else if (strcmp(x->name, "kind") == 0)
			copy_cell(l->kind, sizeof l->kind, x);
		else if (strcmp(x->name, "conversion") == 0)
			copy_cell(l->conversion, sizeof l->conversion, x);
		else if (strcmp(x->name, "amount") == 0) {
			l->amount = x->i;
			snprintf(l->currency, sizeof l->currency, "%s", x->cur ? x->cur : "");
		}
	}
	return ST_OK;
}

size_t
fx_lines(struct fx *f, const char *program, struct fx_line *out, size_t max)
{
	struct list_filter lf = { .program = program };
	struct collect c = { out, 0, max };
	struct err e;

	err_clear(&e);
	if (app_list(f->a, KIND_COMMISSION, &lf, collect_row, &c, &e) != ST_OK)
		fail_msg("commission list: %s", e.msg);
	return c.n;
}

#define FX_MAX_LINES 64

const char *
fx_line_id(struct fx *f, const char *conversion, const char *kind, char *buf)
{
	struct fx_line l[FX_MAX_LINES];
	size_t i, n = fx_lines(f, NULL, l, FX_MAX_LINES);

	*buf = '\0';
	for (i = 0; i < n; i++)
		if (strcmp(l[i].conversion, conversion) == 0 && strcmp(l[i].kind, kind) == 0)
			strcpy(buf, l[i].id);
	return buf;
}

int64_t
fx_amount(struct fx *f, const char *conversion, const char *kind)
{
	struct fx_line l[FX_MAX_LINES];
	size_t i, n = fx_lines(f, NULL, l, FX_MAX_LINES);
	int64_t v = INT64_MIN;

	for (i = 0; i < n; i++)
		if (strcmp(l[i].conversion, conversion) == 0 && strcmp(l[i].kind, kind) == 0)
			v = l[i].amount;
	return v;
}

int64_t
fx_total(struct fx *f, const char *program)
{
	struct fx_line l[FX_MAX_LINES];
	size_t i, n = fx_lines(f, program, l, FX_MAX_LINES);
	int64_t s = 0;

	for (i = 0; i < n; i++)
		if (strcmp(l[i].status, "rejected") != 0 && strcmp(l[i].status, "reversed") != 0)
			s += l[i].amount;
	return s;
}
