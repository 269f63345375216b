/*
 * check.c - ally check and ally backup: walk every record and index, then
 * the rules between records (what a conversion points at, what refunds add
 * up to).
 */
#include "config.h"

#include <string.h>

#include "app/app.h"
#include "app/rollup.h"
#include "app/util.h"

struct check_ctx {
	FILE *out;
	uint64_t n;
};

static void
report(void *vctx, const char *line)
{
	struct check_ctx *c = vctx;

	fprintf(c->out, "%s\n", line);
	c->n++;
}

static void
check_links(struct txn *t, struct check_ctx *c)
{
	_Alignas(max_align_t) unsigned char rec[512];
	struct iter *it;
	uint64_t id;
	char line[256];

	it = iter_kind(t, KIND_CODE, false);
	while (iter_next(it, &id)) {
		struct code *k = (struct code *)rec;
		if (iter_rec(it, k) != ST_OK)
			continue;
		if (rec_get(t, KIND_PROGRAM, k->program, rec + 256) != ST_OK) {
			snprintf(line, sizeof line, "code K%llu: program PG%llu is missing",
			    (unsigned long long)id, (unsigned long long)k->program);
			report(c, line);
		} else {
			rec_free(KIND_PROGRAM, rec + 256);
		}
		rec_free(KIND_CODE, k);
	}
	iter_close(it);

	it = iter_kind(t, KIND_REFERRAL, false);
	while (iter_next(it, &id)) {
		struct referral *r = (struct referral *)rec;
		if (iter_rec(it, r) != ST_OK)
			continue;
		if (rec_get(t, KIND_CODE, r->code, rec + 256) != ST_OK) {
			snprintf(line, sizeof line, "referral RF%llu: code K%llu is missing",
			    (unsigned long long)id, (unsigned long long)r->code);
			report(c, line);
		} else {
			struct code *k = (struct code *)(rec + 256);
			if (k->referrer != r->referrer || k->program != r->program) {
				snprintf(line, sizeof line, "referral RF%llu: referrer or program differs from its code's",
				    (unsigned long long)id);
				report(c, line);
			}
			rec_free(KIND_CODE, k);
		}
		rec_free(KIND_REFERRAL, r);
	}
	iter_close(it);

	it = iter_kind(t, KIND_CONVERSION, false);
	while (iter_next(it, &id)) {
		struct conversion *cv = (struct conversion *)rec;
		struct key key;
		struct iter *ri;
		uint64_t rid;
		int64_t refunded = 0;
		if (iter_rec(it, cv) != ST_OK)
			continue;
		if (rec_get(t, KIND_REFERRAL, cv->referral, rec + 256) != ST_OK) {
			snprintf(line, sizeof line, "conversion CV%llu: referral RF%llu is missing",
			    (unsigned long long)id, (unsigned long long)cv->referral);
			report(c, line);
		} else {
			rec_free(KIND_REFERRAL, rec + 256);
		}
		key_init(&key);
		key_u64(&key, id);
		ri = iter_index(t, IDX_REFUND_CONVERSION, &key, false);
		while (iter_next(ri, &rid)) {
			struct refund rf;
			if (rec_get(t, KIND_REFUND, rid, &rf) == ST_OK) {
				refunded += rf.amount;
				rec_free(KIND_REFUND, &rf);
			}
		}
		iter_close(ri);
		if (refunded != cv->refunded || cv->refunded > cv->amount || cv->refunded < 0) {
			snprintf(line, sizeof line, "conversion CV%llu: refunded %lld of %lld, refunds add up to %lld (minor units)",
			    (unsigned long long)id, (long long)cv->refunded, (long long)cv->amount, (long long)refunded);
			report(c, line);
		}
		rec_free(KIND_CONVERSION, cv);
	}
	iter_close(it);
}

enum status
app_check(struct app *a, FILE *out, uint64_t *problems, struct err *e)
{
	struct check_ctx c = { out, 0 };
	struct txn *t;
	enum status st;

	if ((st = app_require(a, PERM_CHECK, e)) != ST_OK)
		return st;
	t = txn_begin_read(a->store);
	store_verify(t, report, &c);
	check_links(t, &c);
	rollup_verify(t, report, &c);
	st = util_txn_err(t, e);
	txn_end(t);
	*problems = c.n;
	if (st != ST_OK)
		return st;
	if (c.n)
		return err_set(e, ST_DATA, "%llu problem%s found", (unsigned long long)c.n, c.n == 1 ? "" : "s");
	return ST_OK;
}

enum status
app_backup(struct app *a, const char *path, struct err *e)
{
	enum status st;

	if ((st = app_require(a, PERM_BACKUP, e)) != ST_OK)
		return st;
	return store_backup(a->store, path, e);
}
