/*
 * check.c - ally check and ally backup: walk every record and index, then
 * the rules between records (what a conversion points at, what refunds add
 * up to).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/check_perm.h"
#include "app/app_int.h"
#include "core/alloc.h"
#include "core/money.h"
#include "domain/rule.h"

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
				if (!money_add(refunded, rf.amount, &refunded))
					refunded = INT64_MAX;   /* cannot add up: reported below */
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

/* ---- money: amounts and totals that could not have been computed ----
 *
 * Every sum ally makes is checked and per currency, so a stored line or
 * total that breaks either rule was not made by ally: a line in another
 * currency than its program, conversion or batch; a commission line below
 * zero or above what its flat or percent rule can pay on its basis; the
 * lines of one referrer and currency, or of a batch, that do not add up
 * in int64; a batch whose total or line count is not its lines'.
 */

/* What a flat or percent rule can pay at most on basis; -1 when the rule
 * is tiered or unreadable (a period's line depends on the others). */
static int64_t
money_rule_max(const struct commission *c)
{
	struct rule r;
	int64_t max;

	if (c->rule == NULL || rule_parse(c->rule, currency_find(c->currency), &r, NULL) != ST_OK)
		return -1;
	if (r.kind == RULE_WHEN) {
		/* the most any clause pays on the basis */
		int k;
		max = 0;
		for (k = 0; k < r.nclauses; k++) {
			const struct rule_clause *cl = &r.clauses[k];
			int64_t m = cl->kind == RULE_FLAT ? cl->flat : c->basis >= 0 ?
			    money_div_round((__int128)c->basis * cl->rate_bp, 10000) : 0;
			if (cl->cap > 0 && m > cl->cap)
				m = cl->cap;
			max = m > max ? m : max;
		}
		return max;
	}
	if (r.kind == RULE_FLAT)
		max = r.flat;
	else if (r.kind == RULE_PERCENT && c->basis >= 0)
		max = money_div_round((__int128)c->basis * r.rate_bp, 10000);
	else
		return -1;
	return r.cap > 0 && max > r.cap ? r.cap : max;
}

static void
money_check_line(struct txn *t, const struct commission *c, struct check_ctx *x)
{
	char line[256];
	int64_t max;

	if (currency_find(c->currency) == NULL) {
		snprintf(line, sizeof line, "commission C%llu: currency \"%.3s\" is not an ISO 4217 code",
		    (unsigned long long)c->id, c->currency);
		report(x, line);
		return;
	}
	if (c->program) {
		struct program pg;
		if (rec_get(t, KIND_PROGRAM, c->program, &pg) == ST_OK) {
			if (strcmp(pg.currency, c->currency) != 0) {
				snprintf(line, sizeof line, "commission C%llu: in %s, but its program PG%llu is in %s",
				    (unsigned long long)c->id, c->currency, (unsigned long long)c->program,
				    pg.currency);
				report(x, line);
			}
			rec_free(KIND_PROGRAM, &pg);
		}
	}
	if (c->kind != LINE_COMMISSION || c->status == COMMISSION_REVERSED)
		return;
	max = money_rule_max(c);
	if (c->amount < 0 || (max >= 0 && c->amount > max)) {
		snprintf(line, sizeof line, "commission C%llu: amount %lld cannot come from its rule \"%.60s\" "
		    "on a basis of %lld (minor units)", (unsigned long long)c->id, (long long)c->amount,
		    c->rule ? c->rule : "", (long long)c->basis);
		report(x, line);
	}
}

/* The lines of one tier period (or, outside tiered rules, of one
 * conversion or deal) in one currency: ally adds them up with checks, so
 * they must add up in int64.  Gathered, sorted, summed run by run in 128
 * bits. */
struct money_owed {
	uint64_t referrer, program, unit;       /* unit: period start, else conversion or deal */
	char currency[4];
	int64_t amount;
};

static int
money_owed_cmp(const void *x, const void *y)
{
	const struct money_owed *a = x, *b = y;

	if (a->referrer != b->referrer)
		return a->referrer < b->referrer ? -1 : 1;
	if (a->program != b->program)
		return a->program < b->program ? -1 : 1;
	if (a->unit != b->unit)
		return a->unit < b->unit ? -1 : 1;
	return strcmp(a->currency, b->currency);
}

static void
money_check_owed(struct money_owed *v, size_t n, struct check_ctx *x)
{
	char line[256];
	size_t i = 0, j;

	if (n > 1)
		qsort(v, n, sizeof *v, money_owed_cmp);
	while (i < n) {
		__int128 sum = 0;
		for (j = i; j < n && money_owed_cmp(&v[i], &v[j]) == 0; j++)
			sum += v[j].amount;
		if (!money_fits(sum)) {
			snprintf(line, sizeof line, "commission lines of R%llu in PG%llu (%s) add up to more than "
			    "ally can hold", (unsigned long long)v[i].referrer, (unsigned long long)v[i].program,
			    v[i].currency);
			report(x, line);
		}
		i = j;
	}
}

static void
money_check_batches(struct txn *t, struct check_ctx *x)
{
	struct iter *it = iter_kind(t, KIND_PAYOUT, false);
	struct payout b;
	uint64_t id, cid;
	char line[256];

	while (iter_next(it, &id)) {
		struct key k;
		struct iter *li;
		int64_t total = 0, lines = 0;
		bool fits = true;
		if (iter_rec(it, &b) != ST_OK)
			continue;
		key_init(&k);
		key_u64(&k, id);
		li = iter_index(t, IDX_COMMISSION_PAYOUT, &k, false);
		while (iter_next(li, &cid)) {
			struct commission c;
			if (rec_get(t, KIND_COMMISSION, cid, &c) != ST_OK)
				continue;
			lines++;
			fits &= money_add(total, c.amount, &total);
			if (strcmp(c.currency, b.currency) != 0) {
				snprintf(line, sizeof line, "commission C%llu: in %s, but its payout batch PB%llu pays %s",
				    (unsigned long long)cid, c.currency, (unsigned long long)id, b.currency);
				report(x, line);
			}
			rec_free(KIND_COMMISSION, &c);
		}
		iter_close(li);
		if (!fits) {
			snprintf(line, sizeof line, "payout PB%llu: its lines add up to more than ally can hold",
			    (unsigned long long)id);
			report(x, line);
		} else if (total != b.total || lines != b.lines) {
			snprintf(line, sizeof line, "payout PB%llu: total %lld in %lld lines, but its lines add up "
			    "to %lld in %lld (minor units)", (unsigned long long)id, (long long)b.total,
			    (long long)b.lines, (long long)total, (long long)lines);
			report(x, line);
		}
		rec_free(KIND_PAYOUT, &b);
	}
	iter_close(it);
}

static void
check_money(struct txn *t, struct check_ctx *x)
{
	struct money_owed *owed = NULL;
	size_t n = 0, cap = 0;
	struct iter *it;
	uint64_t id;
	char line[256];

	it = iter_kind(t, KIND_CONVERSION, false);
	while (iter_next(it, &id)) {
		struct conversion cv;
		struct program pg;
		if (iter_rec(it, &cv) != ST_OK)
			continue;
		if (rec_get(t, KIND_PROGRAM, cv.program, &pg) == ST_OK) {
			if (strcmp(pg.currency, cv.currency) != 0) {
				snprintf(line, sizeof line, "conversion CV%llu: in %s, but its program PG%llu is in %s",
				    (unsigned long long)id, cv.currency, (unsigned long long)cv.program, pg.currency);
				report(x, line);
			}
			rec_free(KIND_PROGRAM, &pg);
		}
		rec_free(KIND_CONVERSION, &cv);
	}
	iter_close(it);
	it = iter_kind(t, KIND_COMMISSION, false);
	while (iter_next(it, &id)) {
		struct commission c;
		if (iter_rec(it, &c) != ST_OK)
			continue;
		money_check_line(t, &c, x);
		if (c.status != COMMISSION_REJECTED && c.status != COMMISSION_REVERSED) {
			owed = xgrow(owed, &cap, n + 1, sizeof *owed);
			owed[n].referrer = c.referrer;
			owed[n].program = c.program;
			owed[n].unit = c.period_start ? (uint64_t)c.period_start | (UINT64_C(1) << 62) :
			    c.conversion ? c.conversion : c.deal | (UINT64_C(1) << 63);
			memcpy(owed[n].currency, c.currency, 4);
			owed[n].amount = c.amount;
			n++;
		}
		rec_free(KIND_COMMISSION, &c);
	}
	iter_close(it);
	money_check_owed(owed, n, x);
	free(owed);
	money_check_batches(t, x);
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
	check_money(t, &c);
	rollup_verify(t, report, &c);
	sequence_verify(t, report, &c);
	st = util_txn_err(t, e);
	txn_end(t);
	check_permissions(store_path(a->store), stderr);   /* warnings only */
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
