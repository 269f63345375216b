/*
 * statement.c - a partner's statement for one month: opening balance, the
 * lines earned or adjusted in the month, what was approved and paid, the
 * closing balance, and the SHA-256 of all of that at the foot.
 *
 * Balance means approved and not yet paid: what the company owes.  Each
 * currency has its own section and balances: amounts in different
 * currencies are never added together.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/ledger.h"
#include "app/app_int.h"
#include "core/alloc.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/str.h"
#include "core/utf8.h"

#define CONV_COLS 20            /* the CONVERSION column of the text */

/* Text as a statement shows it: as it is when it is plain UTF-8, else
 * escaped (a conversion id of invalid UTF-8, a damaged record). */
static char *
plain_or_visible(const char *s)
{
	/* C1 too (U+009B is a CSI): text fields refuse them, old records may not */
	return utf8_text_check(s, false, NULL) == UTF8_TEXT_OK ? xstrdup(s) : str_visible(s);
}

/* Approved (or since paid) before t, and not paid before t. */
static bool
owed_at(const struct commission *c, int64_t t)
{
	bool approved = (c->status == COMMISSION_APPROVED || c->status == COMMISSION_PAID) &&
	    c->decided_at < t;
	bool paid = c->status == COMMISSION_PAID && c->paid_at < t;

	return approved && !paid;
}

/* The status a line had at time t, inclusive (a closed month shows its lines as they
 * were when it was closed: approving or paying them later changes nothing
 * in it). */
static int32_t
status_at(const struct commission *c, int64_t t)
{
	if (c->status == COMMISSION_PAID && c->paid_at <= t)
		return COMMISSION_PAID;
	if ((c->status == COMMISSION_APPROVED || c->status == COMMISSION_PAID) && c->decided_at <= t)
		return COMMISSION_APPROVED;
	if (c->status == COMMISSION_REJECTED && c->decided_at <= t)
		return COMMISSION_REJECTED;
	return c->status == COMMISSION_REVERSED ? COMMISSION_REVERSED : COMMISSION_PENDING;
}

/* Why a line of this month belongs to an earlier one (closed months): a
 * conversion reported late, or an adjustment of a closed month's line. */
static void
late_note(struct txn *t, const struct commission *c, int64_t conv_at, int64_t start,
    struct sbuf *notes)
{
	char d1[DATE_BUFSZ];
	struct commission o;

	if (c->kind == LINE_COMMISSION && c->conversion && conv_at < start) {
		sbuf_addf(notes, "  C%llu: conversion of %s reported after %.7s was closed\n",
		    (unsigned long long)c->id, date_format_day(conv_at, d1), d1);
	} else if ((c->kind == LINE_ADJUSTMENT || c->kind == LINE_BONUS) && c->original &&
	    rec_get(t, KIND_COMMISSION, c->original, &o) == ST_OK) {
		if (o.earned_at < start && ledger_month_closed(t, o.earned_at))
			sbuf_addf(notes, "  C%llu: adjusts C%llu of %s, in a closed month\n",
			    (unsigned long long)c->id, (unsigned long long)o.id, date_format_day(o.earned_at, d1));
		rec_free(KIND_COMMISSION, &o);
	}
}

enum status
app_statement(struct app *a, const char *partner, const char *month, bool csv, struct sbuf *out,
    struct err *e)
{
	uint64_t pid;
	enum status st;

	if ((st = app_require(a, PERM_COMMISSION_READ, e)) != ST_OK)
		return st;
	if (month == NULL)
		return err_set(e, ST_USAGE, "month: missing (--month YYYY-MM)");
	if ((st = app_resolve_ref(a, KIND_PARTNER, partner, &pid, e)) != ST_OK)
		return st;
	return statement_build(a, pid, month, csv, out, e);
}

/* One currency's figures in the month. */
struct section {
	char currency[4];
	int64_t opening, earned, approved, paid, closing;
	int64_t bonus;          /* of earned: bonus lines and their adjustments */
	bool bonuses;           /* a bonus line in the month: its own row */
	int64_t override;       /* of earned: overrides on sub-partners' lines */
	bool overrides;
	bool active;            /* a line in the month, or a balance */
};

static enum status
statement_too_large(struct err *e, const char *what, const char *currency)
{
	return err_set(e, ST_DATA, "amount: the statement's %s in %s would exceed the largest amount ally can hold",
	    what, currency);
}

static bool
in_month(int64_t t, int64_t start, int64_t end)
{
	return t >= start && t < end;
}

/* The figures of currency cur over the lines (checked sums). */
static enum status
section_sum(const struct lines *l, struct section *sec, int64_t start, int64_t end, struct err *e)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct commission *c = &l->v[i];
		bool decided = c->status == COMMISSION_APPROVED || c->status == COMMISSION_PAID;
		if (strcmp(c->currency, sec->currency) != 0)
			continue;
		if (owed_at(c, start) && !money_add(sec->opening, c->amount, &sec->opening))
			return statement_too_large(e, "opening balance", sec->currency);
		if (decided && in_month(c->decided_at, start, end) &&
		    !money_add(sec->approved, c->amount, &sec->approved))
			return statement_too_large(e, "amount approved in the month", sec->currency);
		if (c->status == COMMISSION_PAID && in_month(c->paid_at, start, end) &&
		    !money_add(sec->paid, c->amount, &sec->paid))
			return statement_too_large(e, "amount paid in the month", sec->currency);
		if (in_month(c->earned_at, start, end)) {
			sec->active = true;
			if (c->status != COMMISSION_REJECTED && c->status != COMMISSION_REVERSED &&
			    !money_add(sec->earned, c->amount, &sec->earned))
				return statement_too_large(e, "amount earned in the month", sec->currency);
			if (c->kind == LINE_BONUS) {
				sec->bonuses = true;
				if (c->status != COMMISSION_REJECTED && c->status != COMMISSION_REVERSED &&
				    !money_add(sec->bonus, c->amount, &sec->bonus))
					return statement_too_large(e, "bonuses earned in the month", sec->currency);
			} else if (c->kind == LINE_OVERRIDE) {
				sec->overrides = true;
				if (c->status != COMMISSION_REJECTED && c->status != COMMISSION_REVERSED &&
				    !money_add(sec->override, c->amount, &sec->override))
					return statement_too_large(e, "overrides earned in the month", sec->currency);
			}
		}
	}
	if (!money_add(sec->opening, sec->approved, &sec->closing) ||
	    !money_sub(sec->closing, sec->paid, &sec->closing))
		return statement_too_large(e, "closing balance", sec->currency);
	sec->active |= sec->opening != 0 || sec->approved != 0 || sec->paid != 0;
	return ST_OK;
}

/*
 * The currencies the statement shows: each one with a line in the month
 * or a balance, the organisation's first; the organisation's alone when
 * there is nothing at all.
 */
static enum status
sections_build(struct app *a, const struct lines *l, int64_t start, int64_t end,
    struct section **out, size_t *nout, struct err *e)
{
	struct money_sums seen;
	struct section *v;
	size_t i, n = 0;
	enum status st = ST_OK;

	money_sums_init(&seen);
	money_sums_add(&seen, a->cur->code, 0);
	for (i = 0; i < l->n; i++)
		if (currency_find(l->v[i].currency) != NULL)
			money_sums_add(&seen, l->v[i].currency, 0);
	v = xcalloc(seen.n + 1, sizeof *v);
	/* the organisation's currency first, then the others by code */
	memcpy(v[n++].currency, a->cur->code, 4);
	for (i = 0; i < seen.n; i++)
		if (strcmp(seen.v[i].currency, a->cur->code) != 0)
			memcpy(v[n++].currency, seen.v[i].currency, 4);
	money_sums_free(&seen);
	for (i = 0; i < n && st == ST_OK; i++)
		st = section_sum(l, &v[i], start, end, e);
	if (st != ST_OK) {
		free(v);
		return st;
	}
	/* keep the active ones; the organisation's when none is */
	{
		size_t j = 0;
		for (i = 0; i < n; i++)
			if (v[i].active)
				v[j++] = v[i];
		*nout = j ? j : 1;
	}
	*out = v;
	return ST_OK;
}

static void
section_text(struct txn *t, struct sbuf *body, const struct partner *p, const char *month,
    const struct lines *l, const struct section *sec, int64_t start, int64_t end, bool csv)
{
	const struct currency *cur = currency_find(sec->currency);
	char b1[MONEY_BUFSZ], d1[DATE_BUFSZ];
	struct sbuf notes;
	size_t i;

	sbuf_init(&notes);
	if (!csv) {
		char *name = str_visible(p->name);
		sbuf_addf(body, "Statement %s, %s (P%llu), %s\n", month, name, (unsigned long long)p->id,
		    sec->currency);
		free(name);
		sbuf_addf(body, "%-8s %-10s %-10s %-9s %-20s %14s\n", "LINE", "DATE", "KIND", "STATUS",
		    "CONVERSION", "AMOUNT");
	}
	for (i = 0; i < l->n; i++) {
		const struct commission *c = &l->v[i];
		struct conversion cv;
		char conv[256] = "";        /* ext ids are at most 128 bytes */
		int64_t conv_at = c->earned_at;
		if (strcmp(c->currency, sec->currency) != 0 || !in_month(c->earned_at, start, end))
			continue;
		if (c->conversion && rec_get(t, KIND_CONVERSION, c->conversion, &cv) == ST_OK) {
			snprintf(conv, sizeof conv, "%s", cv.ext_id ? cv.ext_id : "");
			conv_at = cv.at;
			rec_free(KIND_CONVERSION, &cv);
		} else if (c->kind == LINE_OVERRIDE) {
			override_child_name(t, c, conv, sizeof conv);
		}
		if (!csv)
			late_note(t, c, conv_at, start, &notes);
		if (csv) {
			char lid[24], amt[MONEY_BUFSZ];
			const char *row[7];
			char *conv_text = plain_or_visible(conv);
			snprintf(lid, sizeof lid, "C%llu", (unsigned long long)c->id);
			row[0] = lid;
			row[1] = date_format_day(c->earned_at, d1);
			row[2] = commission_kind_name(c->kind, c->original);
			row[3] = commission_status_name(c->status);
			row[4] = conv_text;
			row[5] = money_format(c->amount, cur, amt);
			row[6] = sec->currency;
			csv_add_row(body, row, 7);
			free(conv_text);
		} else {
			/* cut and padded by display width, never inside a character */
			char *vis = str_visible_fit(conv, CONV_COLS);
			sbuf_addf(body, "C%-7llu %-10s %-10s %-9s %s %14s\n", (unsigned long long)c->id,
			    date_format_day(c->earned_at, d1),
			    commission_kind_name(c->kind, c->original),
			    commission_status_name(c->status), vis, money_format_human(c->amount, cur, b1));
			free(vis);
		}
	}
	if (notes.len > 0) {
		sbuf_add(body, "\nlines of closed months, dated in this one\n");
		sbuf_add(body, sbuf_str(&notes));
	}
	sbuf_free(&notes);
	if (csv) {
		const char *labels[] = { "opening_balance", "earned", "earned_bonus", "earned_override",
			"approved", "paid", "closing_balance" };
		int64_t vals[] = { sec->opening, sec->earned, sec->bonus, sec->override, sec->approved, sec->paid,
			sec->closing };
		for (i = 0; i < 7; i++) {
			char amt[MONEY_BUFSZ];
			if ((i == 2 && !sec->bonuses) || (i == 3 && !sec->overrides))
				continue;       /* the rows only where there are such lines */
			const char *row[7] = { labels[i], "", "", "", "", money_format(vals[i], cur, amt),
				sec->currency };
			csv_add_row(body, row, 7);
		}
	} else {
		sbuf_addf(body, "\nopening balance (approved, unpaid) %s\n", money_format_human(sec->opening, cur, b1));
		sbuf_addf(body, "earned in the month                %s\n", money_format_human(sec->earned, cur, b1));
		if (sec->bonuses)
			sbuf_addf(body, "  of which bonuses                 %s\n", money_format_human(sec->bonus, cur, b1));
		if (sec->overrides)
			sbuf_addf(body, "  of which overrides               %s\n", money_format_human(sec->override, cur, b1));
		sbuf_addf(body, "approved in the month              %s\n", money_format_human(sec->approved, cur, b1));
		sbuf_addf(body, "paid in the month                  %s\n", money_format_human(sec->paid, cur, b1));
		sbuf_addf(body, "closing balance                    %s\n", money_format_human(sec->closing, cur, b1));
	}
}

/*
 * A section per currency present (see sections_build), each exactly the
 * single-currency statement of before, so a one-currency statement is
 * byte for byte what it was; the text separates sections with a blank
 * line, the CSV has one header row and its currency column.  One SHA-256
 * covers them all.
 */
enum status
statement_build(struct app *a, uint64_t pid, const char *month, bool csv, struct sbuf *out,
    struct err *e)
{
	struct txn *t;
	struct partner p;
	struct key k;
	struct sbuf body;
	struct lines l;
	struct section *secs = NULL;
	size_t nsecs = 0, i;
	uint64_t rid;
	int64_t start, end, closed_at = INT64_MAX;
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	unsigned char digest[crypto_hash_sha256_BYTES];
	enum status st;

	if ((st = date_parse_month(month, &start, "month", e)) != ST_OK)
		return st;
	end = date_period_next(PERIOD_MONTH, start);
	t = txn_begin_read(a->store);
	if ((st = rec_get(t, KIND_PARTNER, pid, &p)) != ST_OK) {
		if (st == ST_NOTFOUND)
			err_set(e, st, "partner P%llu not found", (unsigned long long)pid);
		else
			util_txn_err(t, e);
		txn_end(t);
		return st;
	}
	key_init(&k);
	key_u64(&k, pid);
	rid = idx_find(t, IDX_REFERRER_PARTNER, &k);
	ledger_frozen_since(t, start, &closed_at);
	util_lines_load(t, IDX_COMMISSION_REFERRER, rid ? rid : UINT64_MAX, &l);
	for (i = 0; i < l.n; i++)
		l.v[i].status = status_at(&l.v[i], closed_at);
	if ((st = sections_build(a, &l, start, end, &secs, &nsecs, e)) != ST_OK)
		goto out;
	sbuf_init(&body);
	if (csv) {
		static const char *const head[] = { "line", "date", "kind", "status", "conversion",
			"amount", "currency" };
		csv_add_row(&body, head, 7);
	}
	for (i = 0; i < nsecs; i++) {
		if (i > 0 && !csv)
			sbuf_add(&body, "\n");
		section_text(t, &body, &p, month, &l, &secs[i], start, end, csv);
	}
	crypto_hash_sha256(digest, (const unsigned char *)sbuf_str(&body), body.len);
	sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
	sbuf_add(out, sbuf_str(&body));
	sbuf_addf(out, csv ? "sha256,%s\r\n" : "\nSHA-256 of the lines above: %s\n", hex);
	sbuf_free(&body);
	st = util_txn_err(t, e);
out:
	free(secs);
	util_lines_free(&l);
	rec_free(KIND_PARTNER, &p);
	txn_end(t);
	return st;
}
