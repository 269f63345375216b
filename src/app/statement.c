/*
 * statement.c - a partner's statement for one month: opening balance, the
 * lines earned or adjusted in the month, what was approved and paid, the
 * closing balance, and the SHA-256 of all of that at the foot.
 *
 * Balance means approved and not yet paid: what the company owes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/ledger.h"
#include "app/ledger_int.h"
#include "app/util.h"
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

enum status
statement_build(struct app *a, uint64_t pid, const char *month, bool csv, struct sbuf *out,
    struct err *e)
{
	const struct currency *cur = a->cur;
	struct txn *t;
	struct partner p;
	struct key k;
	struct iter *it;
	struct sbuf body;
	uint64_t rid, id;
	int64_t start, end, opening = 0, approved = 0, paid = 0, earned = 0;
	char b1[MONEY_BUFSZ], d1[DATE_BUFSZ], hex[crypto_hash_sha256_BYTES * 2 + 1];
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
	sbuf_init(&body);
	if (csv) {
		static const char *const head[] = { "line", "date", "kind", "status", "conversion",
			"amount", "currency" };
		csv_add_row(&body, head, 7);
	} else {
		char *name = str_visible(p.name);
		sbuf_addf(&body, "Statement %s, %s (P%llu), %s\n", month, name, (unsigned long long)p.id,
		    cur->code);
		free(name);
		sbuf_addf(&body, "%-8s %-10s %-10s %-9s %-20s %14s\n", "LINE", "DATE", "KIND", "STATUS",
		    "CONVERSION", "AMOUNT");
	}
	key_init(&k);
	key_u64(&k, rid ? rid : UINT64_MAX);
	it = iter_index(t, IDX_COMMISSION_REFERRER, &k, false);
	while (iter_next(it, &id)) {
		struct commission c;
		char conv[256] = "";        /* ext ids are at most 128 bytes */
		if (rec_get(t, KIND_COMMISSION, id, &c) != ST_OK)
			continue;
		if (owed_at(&c, start))
			opening += c.amount;
		if ((c.status == COMMISSION_APPROVED || c.status == COMMISSION_PAID) &&
		    c.decided_at >= start && c.decided_at < end)
			approved += c.amount;
		if (c.status == COMMISSION_PAID && c.paid_at >= start && c.paid_at < end)
			paid += c.amount;
		if (c.earned_at >= start && c.earned_at < end) {
			struct conversion cv;
			if (c.conversion && rec_get(t, KIND_CONVERSION, c.conversion, &cv) == ST_OK) {
				snprintf(conv, sizeof conv, "%s", cv.ext_id ? cv.ext_id : "");
				rec_free(KIND_CONVERSION, &cv);
			}
			if (c.status != COMMISSION_REJECTED && c.status != COMMISSION_REVERSED)
				earned += c.amount;
			if (csv) {
				char lid[24], amt[MONEY_BUFSZ];
				const char *row[7];
				snprintf(lid, sizeof lid, "C%llu", (unsigned long long)c.id);
				row[0] = lid;
				row[1] = date_format_day(c.earned_at, d1);
				row[2] = c.kind == LINE_ADJUSTMENT ? "adjustment" : "commission";
				row[3] = commission_status_name(c.status);
				char *conv_text = plain_or_visible(conv);
				row[4] = conv_text;
				row[5] = money_format(c.amount, cur, amt);
				row[6] = cur->code;
				csv_add_row(&body, row, 7);
				free(conv_text);
			} else {
				/* cut and padded by display width, never inside a character */
				char *vis = str_visible_fit(conv, CONV_COLS);
				sbuf_addf(&body, "C%-7llu %-10s %-10s %-9s %s %14s\n", (unsigned long long)c.id,
				    date_format_day(c.earned_at, d1),
				    c.kind == LINE_ADJUSTMENT ? "adjustment" : "commission",
				    commission_status_name(c.status), vis, money_format_human(c.amount, cur, b1));
				free(vis);
			}
		}
		rec_free(KIND_COMMISSION, &c);
	}
	iter_close(it);
	if (csv) {
		const char *labels[] = { "opening_balance", "earned", "approved", "paid", "closing_balance" };
		int64_t vals[] = { opening, earned, approved, paid, opening + approved - paid };
		int i;
		for (i = 0; i < 5; i++) {
			char amt[MONEY_BUFSZ];
			const char *row[7] = { labels[i], "", "", "", "", money_format(vals[i], cur, amt), cur->code };
			csv_add_row(&body, row, 7);
		}
	} else {
		sbuf_addf(&body, "\nopening balance (approved, unpaid) %s\n", money_format_human(opening, cur, b1));
		sbuf_addf(&body, "earned in the month                %s\n", money_format_human(earned, cur, b1));
		sbuf_addf(&body, "approved in the month              %s\n", money_format_human(approved, cur, b1));
		sbuf_addf(&body, "paid in the month                  %s\n", money_format_human(paid, cur, b1));
		sbuf_addf(&body, "closing balance                    %s\n",
		    money_format_human(opening + approved - paid, cur, b1));
	}
	crypto_hash_sha256(digest, (const unsigned char *)sbuf_str(&body), body.len);
	sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
	sbuf_add(out, sbuf_str(&body));
	sbuf_addf(out, csv ? "sha256,%s\r\n" : "\nSHA-256 of the lines above: %s\n", hex);
	sbuf_free(&body);
	rec_free(KIND_PARTNER, &p);
	st = util_txn_err(t, e);
	txn_end(t);
	return st;
}
