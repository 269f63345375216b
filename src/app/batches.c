/*
 * batches.c - the lines of a recorded payout batch, read through the
 * commission-by-payout index: the batch's own record says how many, the
 * index which.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app_int.h"
#include "app/batches.h"
#include "core/alloc.h"

/* The partner's name, else the customer's name or e-mail (a new string). */
static char *
payee_name(struct txn *t, const struct commission *c)
{
	struct partner p;
	struct referrer r;
	char *name = NULL;

	if (c->partner && rec_get(t, KIND_PARTNER, c->partner, &p) == ST_OK) {
		name = xstrdup(p.name ? p.name : "");
		rec_free(KIND_PARTNER, &p);
	} else if (rec_get(t, KIND_REFERRER, c->referrer, &r) == ST_OK) {
		name = xstrdup(r.name && r.name[0] ? r.name : r.email ? r.email : "");
		rec_free(KIND_REFERRER, &r);
	}
	return name ? name : xasprintf("R%llu", (unsigned long long)c->referrer);
}

static char *
program_name(struct txn *t, uint64_t id)
{
	struct program p;
	char *name = NULL;

	if (id && rec_get(t, KIND_PROGRAM, id, &p) == ST_OK) {
		name = p.name;
		p.name = NULL;
		rec_free(KIND_PROGRAM, &p);
	}
	return name;
}

static enum status
line_row(struct txn *t, const struct commission *c, row_fn fn, void *ctx)
{
	char *payee = payee_name(t, c), *program = program_name(t, c->program);
	struct row r;
	enum status st;

	memset(&r, 0, sizeof r);
	app_id_str(KIND_COMMISSION, c->id, r.buf[0]);
	r.c[r.n++] = (struct cell){ .name = "id", .type = CELL_STR, .s = r.buf[0] };
	r.c[r.n++] = (struct cell){ .name = "payee", .type = CELL_STR, .s = payee };
	r.c[r.n++] = (struct cell){ .name = "program", .type = CELL_STR, .s = program };
	r.c[r.n++] = (struct cell){ .name = "kind", .type = CELL_STR,
	    .s = commission_kind_name(c->kind, c->original) };
	r.c[r.n++] = (struct cell){ .name = "earned", .type = CELL_DATE, .i = c->earned_at };
	r.c[r.n++] = (struct cell){ .name = "amount", .type = CELL_MONEY, .i = c->amount,
	    .cur = c->currency };
	st = fn(ctx, &r);
	free(payee);
	free(program);
	return st;
}

enum status
app_payout_batch_lines(struct app *a, const char *batch, row_fn fn, void *ctx, struct err *e)
{
	struct commission c;
	struct txn *t;
	struct key k;
	uint64_t bid, id;
	enum status st;

	if ((st = app_require(a, PERM_COMMISSION_READ, e)) != ST_OK)
		return st;
	t = txn_begin_read(a->store);
	if ((st = app_resolve(t, KIND_PAYOUT, batch, &bid, e)) != ST_OK) {
		txn_end(t);
		return st;
	}
	key_init(&k);
	key_u64(&k, bid);
	STORE_FOREACH(it, id, iter_index(t, IDX_COMMISSION_PAYOUT, &k, false)) {
		if (st != ST_OK || rec_get(t, KIND_COMMISSION, id, &c) != ST_OK)
			continue;
		st = line_row(t, &c, fn, ctx);
		rec_free(KIND_COMMISSION, &c);
	}
	if (st == ST_OK)
		st = util_txn_err(t, e);
	txn_end(t);
	return st;
}
