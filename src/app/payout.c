/*
 * payout.c - payouts, statements and closed months.
 *
 * A payout takes approved lines earned up to a cutoff, groups them by
 * payee (a partner, or a customer referrer), leaves out payees whose total
 * is under the minimum or not positive (negative balances carry over), and
 * shows a checksum over every line id and amount.  Running it with that
 * checksum writes the batch only if the preview is still the same.
 *
 * A batch pays one currency (--currency, default the organisation's): the
 * lines of other currencies wait for a batch of their own, and the
 * currency is part of the checksum and of every CSV row.  Totals are
 * checked sums: one that would not fit in int64 is an error, not a wrap.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "app/ledger.h"
#include "app/audit.h"
#include "app/app_int.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/priv.h"

void
payout_preview_free(struct payout_preview *p)
{
	size_t i;

	for (i = 0; i < p->ntotals; i++) {
		free(p->totals[i].payee);
		free(p->totals[i].email);
	}
	free(p->totals);
	free(p->lines);
	memset(p, 0, sizeof *p);
}

static struct payout_total *
total_for(struct payout_preview *p, uint64_t referrer)
{
	size_t i, cap = p->ntotals;

	for (i = 0; i < p->ntotals; i++)
		if (p->totals[i].referrer == referrer)
			return &p->totals[i];
	p->totals = xgrow(p->totals, &cap, p->ntotals + 1, sizeof *p->totals);
	memset(&p->totals[p->ntotals], 0, sizeof *p->totals);
	p->totals[p->ntotals].referrer = referrer;
	return &p->totals[p->ntotals++];
}

static enum status
payout_too_large(struct err *e, const char *what, const char *currency)
{
	char *vis = str_visible_cut(what, 40);
	enum status st = err_set(e, ST_DATA, "amount: the payout total for %s in %s would exceed the largest "
	    "amount ally can hold", vis, currency);

	free(vis);
	return st;
}

/* Add a line to its payee's total (checked). */
static enum status
payout_add_line(struct payout_preview *p, const struct commission *c, size_t *linecap, struct err *e)
{
	struct payout_total *pt = total_for(p, c->referrer);
	char who[24];

	if (!money_add(pt->amount, c->amount, &pt->amount)) {
		snprintf(who, sizeof who, "R%llu", (unsigned long long)c->referrer);
		return payout_too_large(e, who, p->currency);
	}
	pt->lines++;
	pt->partner = c->partner;
	p->lines = xgrow(p->lines, linecap, p->nlines + 1, sizeof *p->lines);
	p->lines[p->nlines].commission = c->id;
	p->lines[p->nlines].referrer = c->referrer;
	p->lines[p->nlines].partner = c->partner;
	p->lines[p->nlines].amount = c->amount;
	p->nlines++;
	return ST_OK;
}

/* Names and payout e-mails of the payees, and the total (checked). */
static enum status
payees_name(struct txn *t, struct payout_preview *p, struct err *e)
{
	size_t i;

	for (i = 0; i < p->ntotals; i++) {
		struct payout_total *pt = &p->totals[i];
		struct referrer rr;
		if (pt->partner) {
			struct partner pa;
			if (rec_get(t, KIND_PARTNER, pt->partner, &pa) == ST_OK) {
				pt->payee = xstrdup(pa.name);
				pt->email = xstrdup(pa.payout_email ? pa.payout_email : pa.email ? pa.email : "");
				rec_free(KIND_PARTNER, &pa);
			}
		} else if (rec_get(t, KIND_REFERRER, pt->referrer, &rr) == ST_OK) {
			pt->payee = xstrdup(rr.name ? rr.name : rr.email ? rr.email : "");
			pt->email = xstrdup(rr.email ? rr.email : "");
			rec_free(KIND_REFERRER, &rr);
		}
		if (pt->payee == NULL)
			pt->payee = xasprintf("R%llu", (unsigned long long)pt->referrer);
		if (pt->email == NULL)
			pt->email = xstrdup("");
	}
	for (i = 0; i < p->ntotals; i++)
		if (!money_add(p->total, p->totals[i].amount, &p->total))
			return payout_too_large(e, "the batch", p->currency);
	return ST_OK;
}

/* The batch's currency: --currency, else the organisation's. */
static enum status
payout_currency(struct app *a, const struct payout_input *in, char out[4], const struct currency **cur,
    struct err *e)
{
	const char *code = in->currency && *in->currency ? in->currency : a->settings.currency;
	char *vis;

	if ((*cur = currency_find(code)) == NULL) {
		vis = str_visible_cut(code, 16);
		err_set(e, ST_DATA, "currency: \"%s\" is not an ISO 4217 currency code", vis);
		free(vis);
		return ST_DATA;
	}
	memcpy(out, (*cur)->code, 4);
	return ST_OK;
}

/* Build the preview inside t. */
static enum status
preview_in(struct app *a, struct txn *t, const struct payout_input *in, struct payout_preview *p,
    struct err *e)
{
	uint64_t *sel = NULL, id;
	size_t nsel = 0, i, linecap = 0;
	int64_t cutoff, minimum = 0;
	struct key k;
	struct iter *it;
	enum status st;
	crypto_hash_sha256_state hs;
	unsigned char digest[crypto_hash_sha256_BYTES];
	const struct currency *cur;

	memset(p, 0, sizeof *p);
	if ((st = payout_currency(a, in, p->currency, &cur, e)) != ST_OK)
		return st;
	if (in->cutoff == NULL)
		return err_set(e, ST_USAGE, "cutoff: missing (--cutoff YYYY-MM-DD)");
	if ((st = date_parse_day(in->cutoff, &cutoff, "cutoff", e)) != ST_OK)
		return st;
	cutoff = date_add_days(cutoff, 1);      /* the whole cutoff day */
	if (in->minimum && (st = money_parse(in->minimum, cur, false, &minimum, "minimum", e)) != ST_OK)
		return st;
	for (i = 0; in->partners && in->partners[i]; i++) {
		uint64_t pid, rid;
		if ((st = app_resolve(t, KIND_PARTNER, in->partners[i], &pid, e)) != ST_OK)
			goto out;
		key_init(&k);
		key_u64(&k, pid);
		rid = idx_find(t, IDX_REFERRER_PARTNER, &k);
		sel = xrealloc(sel, (nsel + 1) * sizeof *sel);
		sel[nsel++] = rid ? rid : UINT64_MAX;
	}
	key_init(&k);
	key_u64(&k, COMMISSION_APPROVED);
	it = iter_index(t, IDX_COMMISSION_STATUS, &k, false);
	while (iter_next(it, &id)) {
		struct commission c;
		bool chosen = nsel == 0;
		if (rec_get(t, KIND_COMMISSION, id, &c) != ST_OK)
			continue;
		for (i = 0; i < nsel; i++)
			chosen |= sel[i] == c.referrer;
		if (c.earned_at < cutoff && chosen && strcmp(c.currency, p->currency) == 0 && st == ST_OK)
			st = payout_add_line(p, &c, &linecap, e);
		rec_free(KIND_COMMISSION, &c);
	}
	iter_close(it);
	if (st != ST_OK)
		goto out;
	/* Drop payees under the minimum (or not owed anything): their lines
	 * wait for a later run. */
	{
		size_t j = 0, l2 = 0;
		for (i = 0; i < p->ntotals; i++) {
			struct payout_total *pt = &p->totals[i];
			if (pt->amount <= 0 || pt->amount < minimum)
				continue;
			p->totals[j++] = *pt;
		}
		p->ntotals = j;
		for (i = 0; i < p->nlines; i++) {
			bool keep = false;
			for (j = 0; j < p->ntotals; j++)
				keep |= p->totals[j].referrer == p->lines[i].referrer;
			if (keep)
				p->lines[l2++] = p->lines[i];
		}
		p->nlines = l2;
	}
	if ((st = payees_name(t, p, e)) != ST_OK)
		goto out;
	crypto_hash_sha256_init(&hs);
	{
		char line[32];
		int len = snprintf(line, sizeof line, "currency:%s\n", p->currency);
		crypto_hash_sha256_update(&hs, (const unsigned char *)line, (unsigned long long)len);
	}
	for (i = 0; i < p->nlines; i++) {
		char line[64];
		int len = snprintf(line, sizeof line, "C%llu:%lld\n", (unsigned long long)p->lines[i].commission,
		    (long long)p->lines[i].amount);
		crypto_hash_sha256_update(&hs, (const unsigned char *)line, (unsigned long long)len);
	}
	crypto_hash_sha256_final(&hs, digest);
	sodium_bin2hex(p->checksum, sizeof p->checksum, digest, 8);
	st = util_txn_err(t, e);
out:
	free(sel);
	if (st != ST_OK)
		payout_preview_free(p);
	return st;
}

enum status
app_payout_preview(struct app *a, const struct payout_input *in, struct payout_preview *out,
    struct err *e)
{
	struct txn *t;
	enum status st;

	if ((st = app_require(a, PERM_COMMISSION_WRITE, e)) != ST_OK)
		return st;
	t = txn_begin_read(a->store);
	st = preview_in(a, t, in, out, e);
	txn_end(t);
	return st;
}

struct run_ctx {
	struct app *a;
	const struct payout_input *in;
	const char *confirm;
	const char *path;       /* where the CSV ends up */
	struct outfile *out;    /* the CSV is written here, renamed after commit */
	uint64_t batch;
};

/* The accounts-payable CSV of a batch. */
static void
ap_csv_render(const struct payout_preview *p, uint64_t batch, struct sbuf *b)
{
	const struct currency *cur = currency_find(p->currency);
	size_t i;
	static const char *const head[] = { "partner", "payee_email", "currency", "amount",
		"batch", "lines" };

	csv_add_row(b, head, 6);
	for (i = 0; i < p->ntotals; i++) {
		char amount[MONEY_BUFSZ], bid[24], lines[24];
		const char *row[6];
		snprintf(bid, sizeof bid, "PB%llu", (unsigned long long)batch);
		snprintf(lines, sizeof lines, "%lld", (long long)p->totals[i].lines);
		row[0] = p->totals[i].payee;
		row[1] = p->totals[i].email;
		row[2] = p->currency;
		row[3] = money_format(p->totals[i].amount, cur, amount);
		row[4] = bid;
		row[5] = lines;
		csv_add_row(b, row, 6);
	}
}

static enum status
write_csv(struct outfile *o, const struct payout_preview *p, uint64_t batch, struct err *e)
{
	struct sbuf b;
	FILE *f = o->f;

	sbuf_init(&b);
	sbuf_add(&b, "");
	ap_csv_render(p, batch, &b);
	/* a retried transaction writes the file again from the start */
	rewind(f);
	/* on disk before the batch commits: a crash after the commit leaves
	 * the whole CSV at least under its temporary name */
	if (ftruncate(fileno(f), 0) != 0 || fwrite(b.s, 1, b.len, f) != b.len || fflush(f) != 0 ||
	    fsync(fileno(f)) != 0) {
		int err = errno;
		sbuf_free(&b);
		return err_set(e, err == ENOSPC ? ST_IOERR : ST_CANTCREAT, "csv: %s: %s", o->path,
		    strerror(err));
	}
	sbuf_free(&b);
	return ST_OK;
}

static enum status
run_write(struct txn *t, void *vctx)
{
	struct run_ctx *c = vctx;
	struct payout_preview p;
	struct payout b;
	enum status st;
	size_t i;
	struct err e = { ST_OK, "" };

	if ((st = preview_in(c->a, t, c->in, &p, &e)) != ST_OK)
		return app_fail(t, st, &e);
	if (strcmp(p.checksum, c->confirm) != 0) {
		st = txn_fail(t, ST_CONFLICT, "confirm: the preview changed (checksum now %s): preview again",
		    p.checksum);
		payout_preview_free(&p);
		return app_fail(t, st, &e);
	}
	if (p.nlines == 0) {
		payout_preview_free(&p);
		return txn_fail(t, ST_DATA, "nothing to pay: no approved lines match");
	}
	memset(&b, 0, sizeof b);
	b.status = PAYOUT_EXPORTED;
	date_parse_day(c->in->cutoff, &b.cutoff, "cutoff", NULL);
	if (c->in->partners) {
		struct sbuf sel;
		sbuf_init(&sel);
		for (i = 0; c->in->partners[i]; i++)
			sbuf_addf(&sel, "%s%s", i ? "," : "", c->in->partners[i]);
		b.partners = sbuf_take(&sel);
	}
	if (c->in->minimum)
		money_parse(c->in->minimum, currency_find(p.currency), false, &b.minimum, "minimum", NULL);
	b.total = p.total;
	b.lines = (int64_t)p.nlines;
	memcpy(b.currency, p.currency, 4);
	b.checksum = xstrdup(p.checksum);
	b.csv = xstrdup(c->path);
	rec_put(t, KIND_PAYOUT, &b);
	for (i = 0; i < p.nlines; i++) {
		struct commission l;
		if (rec_get(t, KIND_COMMISSION, p.lines[i].commission, &l) != ST_OK)
			continue;
		l.status = COMMISSION_PAID;
		l.payout = b.id;
		l.paid_at = clock_now();
		rec_put(t, KIND_COMMISSION, &l);
		rec_free(KIND_COMMISSION, &l);
	}
	c->batch = b.id;
	st = write_csv(c->out, &p, b.id, &e);
	rec_free(KIND_PAYOUT, &b);
	payout_preview_free(&p);
	return app_fail(t, st, &e);
}

enum status
app_payout_run(struct app *a, const struct payout_input *in, const char *confirm,
    const char *csv_path, uint64_t *batch, char **written, struct err *e)
{
	struct run_ctx c;
	struct outfile of;
	char *path;
	enum status st;

	*written = NULL;
	if ((st = app_require(a, PERM_COMMISSION_WRITE, e)) != ST_OK)
		return st;
	if (confirm == NULL || *confirm == '\0')
		return err_set(e, ST_USAGE, "confirm: missing (--confirm CHECKSUM from ally payout preview)");
	path = csv_path ? xstrdup(csv_path) :
	    xasprintf("%s/payout-%lld.csv", store_path(a->store), (long long)clock_now());
	/* A path the person named is opened with their rights; the default one
	 * beside the database with the group's. */
	if (outfile_open(&of, path, csv_path != NULL, csv_path ? 0 : 0660, "csv: ", e) != ST_OK) {
		free(path);
		return e ? e->st : ST_CANTCREAT;
	}
	memset(&c, 0, sizeof c);
	c.a = a;
	c.in = in;
	c.confirm = confirm;
	c.path = path;
	c.out = &of;
	st = app_write(a, PERM_COMMISSION_WRITE, "payout run", run_write, &c, e);
	if (st == ST_OK) {
		struct err ce;
		err_clear(&ce);
		if (outfile_commit(&of, "csv: ", &ce) != ST_OK)
			st = err_set(e, ce.st, "batch PB%llu is recorded, but its CSV was not written (%s): ally payout export PB%llu writes it again",
			    (unsigned long long)c.batch, ce.msg, (unsigned long long)c.batch);
	}
	outfile_abort(&of);
	if (st == ST_OK) {
		*batch = c.batch;
		*written = path;
	} else {
		free(path);
	}
	return st;
}

struct paid_ctx {
	uint64_t id;
};

static enum status
paid_write(struct txn *t, void *vctx)
{
	struct paid_ctx *c = vctx;
	struct payout b;
	enum status st;

	if ((st = rec_get(t, KIND_PAYOUT, c->id, &b)) != ST_OK)
		return st;
	if (b.status == PAYOUT_PAID) {
		rec_free(KIND_PAYOUT, &b);
		return ST_OK;
	}
	b.status = PAYOUT_PAID;
	b.paid_at = clock_now();
	rec_put(t, KIND_PAYOUT, &b);
	rec_free(KIND_PAYOUT, &b);
	return txn_status(t);
}

enum status
app_payout_mark_paid(struct app *a, const char *batch, struct err *e)
{
	struct paid_ctx c = { 0 };
	enum status st;

	if ((st = app_require(a, PERM_COMMISSION_WRITE, e)) != ST_OK ||
	    (st = app_resolve_ref(a, KIND_PAYOUT, batch, &c.id, e)) != ST_OK)
		return st;
	return app_write(a, PERM_COMMISSION_WRITE, "payout mark-paid", paid_write, &c, e);
}

/* ---- closed months ---- */

struct close_ctx {
	struct app *a;
	int64_t month;
	char name[32];
};

static enum status
close_write(struct txn *t, void *vctx)
{
	struct close_ctx *c = vctx;
	int64_t v;

	if (meta_get(t, c->name, &v, sizeof v) == ST_OK)
		return txn_fail(t, ST_EXISTS, "month: %s is already closed", c->name + 7);
	v = clock_now();
	meta_put(t, c->name, &v, sizeof v);
	{
		char what[64];
		snprintf(what, sizeof what, "period close %s", c->name + 7);
		audit_append(t, c->a->login, what, KIND_COMMISSION, 0, NULL, NULL);
	}
	return txn_status(t);
}

enum status
app_period_close(struct app *a, const char *month, struct err *e)
{
	struct close_ctx c;
	enum status st;

	if ((st = app_require(a, PERM_PERIOD_CLOSE, e)) != ST_OK)
		return st;
	memset(&c, 0, sizeof c);
	c.a = a;
	if ((st = date_parse_month(month, &c.month, "month", e)) != ST_OK)
		return st;
	if (date_period_next(PERIOD_MONTH, c.month) > clock_now())
		return err_set(e, ST_DATA, "month: %s has not ended yet", month);
	snprintf(c.name, sizeof c.name, "closed.%.7s", month);
	return app_write(a, PERM_PERIOD_CLOSE, NULL, close_write, &c, e);
}

/* ---- writing a batch's CSV again ---- */

/* The CSV ally names itself, beside the database (written with the group). */
static bool
default_csv(struct app *a, const char *path)
{
	char *pre = xasprintf("%s/payout-", store_path(a->store));
	bool yes = strncmp(path, pre, strlen(pre)) == 0 && strchr(path + strlen(pre), '/') == NULL;

	free(pre);
	return yes;
}

/* A recorded batch as a preview again: its lines, payees and total; the
 * batch record in *b (the caller frees it). */
static enum status
batch_load(struct txn *t, uint64_t bid, struct payout *b, struct payout_preview *p,
    struct err *e)
{
	struct key k;
	struct iter *it;
	uint64_t id;
	size_t linecap = 0;
	enum status st;

	memset(p, 0, sizeof *p);
	if ((st = rec_get(t, KIND_PAYOUT, bid, b)) != ST_OK)
		return util_txn_err(t, e) != ST_OK ? st : err_set(e, st, "payout PB%llu not found",
		    (unsigned long long)bid);
	memcpy(p->currency, b->currency, 4);
	key_init(&k);
	key_u64(&k, bid);
	it = iter_index(t, IDX_COMMISSION_PAYOUT, &k, false);
	while (iter_next(it, &id)) {
		struct commission c;
		if (rec_get(t, KIND_COMMISSION, id, &c) != ST_OK)
			continue;
		if (st == ST_OK)
			st = payout_add_line(p, &c, &linecap, e);
		rec_free(KIND_COMMISSION, &c);
	}
	iter_close(it);
	if (st == ST_OK)
		st = payees_name(t, p, e);
	if (st == ST_OK)
		st = util_txn_err(t, e);
	if (st != ST_OK)
		rec_free(KIND_PAYOUT, b);
	return st;
}

enum status
app_payout_export(struct app *a, const char *batch, const char *path, char **written,
    struct err *e)
{
	struct payout_preview p;
	struct payout b;
	struct txn *t;
	uint64_t bid;
	struct outfile of;
	char *out;
	bool as_user;
	enum status st;

	*written = NULL;
	if ((st = app_require(a, PERM_COMMISSION_WRITE, e)) != ST_OK ||
	    (st = app_resolve_ref(a, KIND_PAYOUT, batch, &bid, e)) != ST_OK)
		return st;
	t = txn_begin_read(a->store);
	st = batch_load(t, bid, &b, &p, e);
	txn_end(t);
	if (st != ST_OK) {
		payout_preview_free(&p);
		return st;
	}
	out = xstrdup(path ? path : b.csv ? b.csv : "payout.csv");
	as_user = path != NULL || !default_csv(a, out);
	st = outfile_open(&of, out, as_user, as_user ? 0 : 0660, "csv: ", e);
	if (st == ST_OK) {
		st = write_csv(&of, &p, bid, e);
		if (st == ST_OK)
			st = outfile_commit(&of, "csv: ", e);
		outfile_abort(&of);
	}
	if (st == ST_OK)
		*written = out;
	else
		free(out);
	rec_free(KIND_PAYOUT, &b);
	payout_preview_free(&p);
	return st;
}

enum status
app_payout_file(struct app *a, const char *batch, const char *format, struct sbuf *out,
    struct err *e)
{
	struct payout_preview p;
	struct payout b;
	struct txn *t;
	uint64_t bid;
	enum status st;

	if (strcmp(format, "ap-csv") != 0 && strcmp(format, "paypal") != 0 &&
	    strcmp(format, "wise") != 0 && strcmp(format, "sepa") != 0) {
		char *vis = str_visible_cut(format, 30);
		err_set(e, ST_USAGE, "--format: \"%s\" must be " PAYFILE_FORMATS, vis);
		free(vis);
		return ST_USAGE;
	}
	if ((st = app_require(a, PERM_COMMISSION_WRITE, e)) != ST_OK ||
	    (st = app_resolve_ref(a, KIND_PAYOUT, batch, &bid, e)) != ST_OK)
		return st;
	t = txn_begin_read(a->store);
	if ((st = batch_load(t, bid, &b, &p, e)) == ST_OK) {
		if (strcmp(format, "ap-csv") == 0)
			ap_csv_render(&p, bid, out);
		else
			st = payfile_render(t, &a->settings, format, &p, bid, clock_now(), out, e);
		rec_free(KIND_PAYOUT, &b);
	}
	txn_end(t);
	payout_preview_free(&p);
	return st;
}
