/*
 * import.c - ally import: CSV rows into records (see import.h).
 *
 * Partners and deals are all or nothing: every row is checked and written
 * in one transaction, every bad row reported by line and record, and one
 * bad row means nothing is imported.  Referrals and conversions take the
 * path of ally ingest (app_track_in, in transactions of EVENT_BATCH rows):
 * a bad row is reported and skipped, a row seen before is a duplicate, so
 * running the same file twice changes nothing.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/deals.h"
#include "app/import.h"
#include "app/app_int.h"
#include "core/alloc.h"
#include "core/str.h"

#define EVENT_BATCH 5000

/* The record a row is in (rows from 1 after the header) and its line. */
static void
row_msg(struct sbuf *msgs, const char *path, const struct csv_table *t, size_t r,
    const char *why)
{
	char *vis = str_visible(why), *vp = str_visible(path);

	sbuf_addf(msgs, "ally: %s:%lu: record %zu: %s\n", vp, t->line[r], r, vis);
	free(vis);
	free(vp);
}

/* "Ann" + "Lee" -> "Ann Lee"; NULL when both are empty. */
static char *
join_names(const char *first, const char *last)
{
	char *f = str_trim(first ? first : ""), *l = str_trim(last ? last : ""), *out = NULL;

	if (*f || *l)
		out = xasprintf("%s%s%s", f, *f && *l ? " " : "", l);
	free(f);
	free(l);
	return out;
}

/* ---- all or nothing: partners, deals ---- */

struct whole {
	struct app *a;
	const struct import_kind *k;
	const char *action;
	enum status (*row)(struct whole *w, struct txn *t, size_t r, struct err *e);
	const struct csv_table *t;
	struct import_map m;
	const char *path;
	struct sbuf msgs;
	uint64_t added, invalid;
	struct err *e;
};

static const char *
wget(const struct whole *w, size_t r, const char *col)
{
	size_t i;

	for (i = 0; w->k->cols[i] != NULL; i++)
		if (strcmp(w->k->cols[i], col) == 0)
			return import_get(w->t, &w->m, r, i);
	return NULL;
}

static enum status
partner_row(struct whole *w, struct txn *t, size_t r, struct err *e)
{
	struct partner_input in;
	char *full = join_names(wget(w, r, "first_name"), wget(w, r, "last_name"));
	const char *name = wget(w, r, "name"), *contact = wget(w, r, "contact");
	enum status st;

	memset(&in, 0, sizeof in);
	in.name = !str_empty(name) ? name : full ? full : "";
	in.email = wget(w, r, "email") ? wget(w, r, "email") : "";
	in.tier = wget(w, r, "tier");
	in.kind = !str_empty(wget(w, r, "kind")) ? wget(w, r, "kind") : NULL;
	in.contact = !str_empty(contact) ? contact : full;
	in.address = wget(w, r, "address");
	in.payout_email = wget(w, r, "payout_email");
	in.notes = wget(w, r, "notes");
	in.payout_method = wget(w, r, "payout_method");
	in.iban = wget(w, r, "iban");
	in.bic = wget(w, r, "bic");
	in.holder = wget(w, r, "holder");
	st = app_partner_save_in(w->a, t, &in, NULL, e);
	free(full);
	return st;
}

static enum status
deal_row(struct whole *w, struct txn *t, size_t r, struct err *e)
{
	struct deal_input in;
	struct deal_conflict conflict;
	char *close = w->m.preset ? import_date(w->m.dates, wget(w, r, "close")) : NULL;
	enum status st;

	memset(&in, 0, sizeof in);
	in.direct = true;
	in.company = wget(w, r, "company");
	in.domain = wget(w, r, "domain");
	in.value = wget(w, r, "value");
	in.close = close ? close : wget(w, r, "close");
	in.contact = wget(w, r, "contact");
	in.notes = wget(w, r, "notes");
	st = app_deal_register_in(w->a, t, &in, NULL, &conflict, e);
	free(close);
	return st;
}

static enum status
whole_write(struct txn *t, void *vctx)
{
	struct whole *w = vctx;
	size_t r;

	txn_set_action(t, w->action, false);
	sbuf_reset(&w->msgs);
	w->added = w->invalid = 0;
	for (r = 1; r < w->t->n; r++) {
		struct err e;
		if (csv_table_blank(w->t, r))
			continue;
		err_clear(&e);
		if (w->row(w, t, r, &e) != ST_OK) {
			if (txn_status(t) != ST_OK && txn_status(t) != ST_EXISTS)
				return txn_status(t);
			row_msg(&w->msgs, w->path, w->t, r, e.st != ST_OK ? e.msg : txn_message(t));
			w->invalid++;
			if (txn_status(t) != ST_OK)
				break;  /* a clash fails the transaction: stop here */
			continue;
		}
		w->added++;
	}
	if (w->invalid)
		return err_set(w->e, ST_DATA, "%llu invalid row%s: nothing was imported",
		    (unsigned long long)w->invalid, w->invalid == 1 ? "" : "s");
	return txn_status(t);
}

static enum status
import_whole(struct whole *w, FILE *err_out, struct ingest_stats *stats, struct err *e)
{
	enum status st;
	size_t r;

	w->e = e;
	sbuf_init(&w->msgs);
	st = store_write(w->a->store, whole_write, w, e);
	if (w->msgs.len && err_out)
		fputs(w->msgs.s, err_out);
	for (r = 1; r < w->t->n; r++)
		stats->lines += !csv_table_blank(w->t, r);
	stats->recorded = st == ST_OK ? w->added : 0;
	stats->invalid = w->invalid;
	sbuf_free(&w->msgs);
	return st;
}

/* ---- like ingest: referrals, conversions ---- */

struct ev {
	size_t row;
	struct event_input in;
	char *at, *code, *name; /* owned: a preset's date, a code with "_", first+last */
	char *why;              /* failed after writing: skipped on the retry */
};

struct events {
	struct app *a;
	const char *path;
	const struct csv_table *t;
	struct ev *v;
	size_t n;
	struct sbuf msgs;
	uint64_t recorded, rejected, duplicates, invalid;
	size_t failed;          /* 1 + the event that failed the transaction */
	char *failed_why;
};

static enum status
events_write(struct txn *t, void *vctx)
{
	struct events *b = vctx;
	size_t i;

	sbuf_reset(&b->msgs);
	b->recorded = b->rejected = b->duplicates = b->invalid = 0;
	txn_set_action(t, "import", true);
	for (i = 0; i < b->n; i++) {
		struct event_result res;
		struct err e;

		if (b->v[i].why != NULL) {
			row_msg(&b->msgs, b->path, b->t, b->v[i].row, b->v[i].why);
			b->invalid++;
			continue;
		}
		err_clear(&e);
		if (app_track_in(b->a, t, &b->v[i].in, &res, &e) != ST_OK) {
			if (txn_status(t) != ST_OK) {
				b->failed = i + 1;
				free(b->failed_why);
				b->failed_why = xstrdup(e.msg);
				return txn_status(t);
			}
			row_msg(&b->msgs, b->path, b->t, b->v[i].row, e.msg);
			b->invalid++;
			continue;
		}
		switch (res.outcome) {
		case EVENT_RECORDED:  b->recorded++; break;
		case EVENT_REJECTED:  b->recorded++; b->rejected++; break;
		case EVENT_DUPLICATE: b->duplicates++; break;
		}
	}
	if (b->n > 0 && b->recorded > 0) {
		char what[256];
		char *vis = str_visible(b->path);
		snprintf(what, sizeof what, "import %s lines %lu-%lu: %llu recorded, %llu duplicates, "
		    "%llu invalid", vis, b->t->line[b->v[0].row], b->t->line[b->v[b->n - 1].row],
		    (unsigned long long)b->recorded, (unsigned long long)b->duplicates,
		    (unsigned long long)b->invalid);
		free(vis);
		audit_append(t, b->a->login, what, KIND_REFERRAL, 0, NULL, NULL);
	}
	return txn_status(t);
}

static void
events_clear(struct events *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		free(b->v[i].at);
		free(b->v[i].code);
		free(b->v[i].name);
		free(b->v[i].why);
	}
	b->n = 0;
}

/* Commit the pending rows (again without one that failed the whole
 * transaction, as ingest does) and report them. */
static enum status
events_flush(struct events *b, FILE *err_out, struct ingest_stats *stats, struct err *e)
{
	enum status st = ST_OK;
	size_t tries = 0;

	if (b->n == 0)
		return ST_OK;
	b->failed = 0;
	st = store_write(b->a->store, events_write, b, e);
	while (st == ST_DATA && b->failed && tries++ < b->n && b->v[b->failed - 1].why == NULL) {
		b->v[b->failed - 1].why = b->failed_why;
		b->failed_why = NULL;
		b->failed = 0;
		err_clear(e);
		st = store_write(b->a->store, events_write, b, e);
	}
	if (st == ST_OK) {
		if (b->msgs.len && err_out)
			fputs(b->msgs.s, err_out);
		stats->recorded += b->recorded;
		stats->rejected_referrals += b->rejected;
		stats->duplicates += b->duplicates;
		stats->invalid += b->invalid;
	}
	events_clear(b);
	return st;
}

static const char *const referral_cols[] = { "code", "email", "name", "at", "first_name",
	"last_name", NULL };
static const char *const referral_req[] = { "code", "email", NULL };
static const struct import_kind referral_kind = { "referrals", referral_cols, referral_req };

static const char *const conversion_cols[] = { "type", "code", "email", "event", "amount",
	"currency", "id", "program", "referral", "at", "product", "plan", "country", NULL };
static const char *const conversion_req[] = { "id", "amount", NULL };
static const struct import_kind conversion_kind = { "conversions", conversion_cols,
	conversion_req };

/* Row r as an event: the kind's columns by position in cols. */
static void
event_from_row(struct ev *v, const struct import_kind *k, const struct csv_table *t,
    const struct import_map *m, size_t r)
{
	const char *code;
	char *p;

	memset(v, 0, sizeof *v);
	v->row = r;
	if (k == &referral_kind) {
		v->in.type = "referral";
		code = import_get(t, m, r, 0);
		v->in.email = import_get(t, m, r, 1);
		v->in.name = import_get(t, m, r, 2);
		v->in.at = import_get(t, m, r, 3);
		if (str_empty(v->in.name))
			v->in.name = v->name = join_names(import_get(t, m, r, 4),
			    import_get(t, m, r, 5));
	} else {
		const char *type = import_get(t, m, r, 0);
		v->in.type = !str_empty(type) ? type : "conversion";
		code = import_get(t, m, r, 1);
		v->in.email = import_get(t, m, r, 2);
		v->in.event = import_get(t, m, r, 3);
		v->in.amount = import_get(t, m, r, 4);
		v->in.currency = import_get(t, m, r, 5);
		v->in.id = import_get(t, m, r, 6);
		v->in.program = import_get(t, m, r, 7);
		v->in.referral = import_get(t, m, r, 8);
		v->in.at = import_get(t, m, r, 9);
		v->in.product = import_get(t, m, r, 10);
		v->in.plan = import_get(t, m, r, 11);
		v->in.country = import_get(t, m, r, 12);
		if (m->preset && str_empty(v->in.event))
			v->in.event = "purchase";       /* peers export sales */
	}
	v->in.code = code;
	if (m->preset && code != NULL && strchr(code, '_') != NULL) {
		/* peers' codes with "_" are ally's vanity codes with "-" */
		v->code = xstrdup(code);
		for (p = v->code; *p; p++)
			if (*p == '_')
				*p = '-';
		v->in.code = v->code;
	}
	if (m->preset && v->in.at != NULL) {
		v->at = import_date(m->dates, v->in.at);
		v->in.at = v->at;
	}
}

static enum status
import_events(struct app *a, const struct import_kind *k, const struct csv_table *t,
    const struct import_map *m, const char *path, FILE *err_out, struct ingest_stats *stats,
    struct err *e)
{
	struct events b;
	enum status st = ST_OK;
	size_t r, cap = 0;

	memset(&b, 0, sizeof b);
	b.a = a;
	b.path = path;
	b.t = t;
	sbuf_init(&b.msgs);
	for (r = 1; r < t->n && st == ST_OK; r++) {
		if (csv_table_blank(t, r))
			continue;
		stats->lines++;
		b.v = xgrow(b.v, &cap, b.n + 1, sizeof *b.v);
		event_from_row(&b.v[b.n++], k, t, m, r);
		if (b.n >= EVENT_BATCH)
			st = events_flush(&b, err_out, stats, e);
	}
	if (st == ST_OK)
		st = events_flush(&b, err_out, stats, e);
	events_clear(&b);
	free(b.v);
	free(b.failed_why);
	sbuf_free(&b.msgs);
	if (st == ST_OK && stats->invalid > 0)
		return err_set(e, ST_DATA, "%llu of %llu rows were invalid (the others were recorded)",
		    (unsigned long long)stats->invalid, (unsigned long long)stats->lines);
	return st;
}

/* ---- the command ---- */

/* id, status and created are what ally export writes, read and not used */
static const char *const partner_cols[] = { "name", "email", "tier", "kind", "contact",
	"address", "payout_email", "notes", "first_name", "last_name", "payout_method", "iban",
	"bic", "holder", "id", "status", "created", NULL };
static const char *const partner_req[] = { "name", "email", NULL };
static const struct import_kind partner_kind = { "partners", partner_cols, partner_req };

static const char *const deal_cols[] = { "company", "domain", "value", "close", "contact",
	"notes", NULL };
static const char *const deal_req[] = { "company", "domain", "value", NULL };
static const struct import_kind deal_kind = { "deals", deal_cols, deal_req };

enum status
app_import(struct app *a, const char *what, const char *path, const struct import_opts *o,
    FILE *err_out, struct ingest_stats *stats, struct err *e)
{
	const struct import_kind *k;
	struct csv_table t;
	struct whole w;
	enum status st;

	memset(stats, 0, sizeof *stats);
	memset(&w, 0, sizeof w);
	if (strcmp(what, "partners") == 0) {
		k = &partner_kind;
		w.row = partner_row;
		w.action = "import partners";
	} else if (strcmp(what, "deals") == 0) {
		k = &deal_kind;
		w.row = deal_row;
		w.action = "import deals";
	} else if (strcmp(what, "referrals") == 0)
		k = &referral_kind;
	else if (strcmp(what, "conversions") == 0)
		k = &conversion_kind;
	else
		return err_set(e, ST_USAGE, "\"%s\": import partners, referrals, deals or conversions",
		    what);
	if ((st = app_require(a, w.row == partner_row ? PERM_PARTNER_WRITE :
	    w.row == deal_row ? PERM_DEAL_REGISTER : PERM_EVENTS_WRITE, e)) != ST_OK)
		return st;
	if ((st = csv_table_read(path, &t, e)) != ST_OK)
		return st;
	if ((st = import_map_header(k, &t, o, path, err_out, &w.m, e)) == ST_OK) {
		if (w.row != NULL) {
			w.a = a;
			w.k = k;
			w.t = &t;
			w.path = path;
			st = import_whole(&w, err_out, stats, e);
		} else
			st = import_events(a, k, &t, &w.m, path, err_out, stats, e);
	}
	csv_table_free(&t);
	return st;
}
