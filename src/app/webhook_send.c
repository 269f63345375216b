/*
 * webhook_send.c - the webhook delivery worker (ally webhook send) and the
 * list of deliveries.
 *
 * The one idea, as for mail (outbox.c): a delivery changes hands only in
 * short write transactions.  Claiming takes, for one endpoint, its oldest
 * undelivered delivery when it is due and no other worker's lease on it
 * is running, and writes "sending, owner host:pid, claimed until T" in
 * one commit, so of two workers exactly one wins.  Only an endpoint's
 * oldest delivery is ever claimed, so its events arrive in order, and an
 * endpoint that fails only waits out its own backoff.  The POST runs with
 * no transaction open; its outcome is written in a second commit.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "app/app_int.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/str.h"
#include "mail/mail.h"

#define BACKOFF_FIRST 30                /* seconds before the second attempt */
#define BACKOFF_MAX 3600
#define CONNECT_TIMEOUT 10

struct claim_ctx {
	char *owner;
	int64_t lease;
	bool claimed;
	struct delivery d;              /* the claimed delivery */
	char *url, *secret;             /* its endpoint's */
	/* outcome */
	enum status st;
	long code;
	const char *error;
	int64_t next_at;
};

static void
wipe_free(char *s)
{
	if (s != NULL) {
		sodium_memzero(s, strlen(s));
		free(s);
	}
}

static void
claim_reset(struct claim_ctx *c)
{
	if (c->claimed)
		rec_free(KIND_DELIVERY, &c->d);
	free(c->url);
	wipe_free(c->secret);
	c->url = c->secret = NULL;
	c->claimed = false;
}

/* The oldest undelivered delivery of endpoint w when it may be sent now,
 * else 0 (nothing pending, in backoff, or another worker holds it). */
static uint64_t
head_due(struct txn *t, uint64_t w, int64_t now)
{
	struct key k;
	struct iter *it;
	struct delivery d;
	uint64_t id, found = 0;

	key_init(&k);
	key_u64(&k, w);
	it = iter_index(t, IDX_DELIVERY_PENDING, &k, false);
	if (iter_next(it, &id) && rec_get(t, KIND_DELIVERY, id, &d) == ST_OK) {
		if (d.state == DELIVERY_QUEUED ? d.next_at <= now : d.claimed_until <= now)
			found = id;
		rec_free(KIND_DELIVERY, &d);
	}
	iter_close(it);
	return found;
}

static enum status
claim_write(struct txn *t, void *vctx)
{
	struct claim_ctx *c = vctx;
	int64_t now = clock_now();
	struct iter *it;
	struct webhook w;
	uint64_t wid, id = 0;

	claim_reset(c);
	it = iter_kind(t, KIND_WEBHOOK, false);
	while (id == 0 && iter_next(it, &wid)) {
		if ((id = head_due(t, wid, now)) == 0)
			continue;
		if (iter_rec(it, &w) != ST_OK || rec_get(t, KIND_DELIVERY, id, &c->d) != ST_OK) {
			id = 0;
			continue;
		}
		c->url = xstrdup(w.url);
		c->secret = xstrdup(w.secret != NULL ? w.secret : "");
		sodium_memzero(w.secret, w.secret != NULL ? strlen(w.secret) : 0);
		rec_free(KIND_WEBHOOK, &w);
	}
	iter_close(it);
	if (id == 0)
		return txn_status(t);
	c->d.state = DELIVERY_SENDING;
	util_replace(&c->d.owner, xstrdup(c->owner));
	c->d.claimed_until = now + c->lease;
	c->d.attempts++;
	rec_put(t, KIND_DELIVERY, &c->d);
	c->claimed = true;
	return txn_status(t);
}

static int64_t
backoff(int attempts)
{
	int64_t d = BACKOFF_FIRST;

	while (--attempts > 0 && d < BACKOFF_MAX)
		d *= 2;
	return d < BACKOFF_MAX ? d : BACKOFF_MAX;
}

/* The endpoint's own account of its deliveries: counts and the last
 * attempt, kept quietly (a delivery is not a change anybody made). */
static void
endpoint_tally(struct txn *t, const struct claim_ctx *c, int64_t now)
{
	struct webhook w;

	if (rec_get(t, KIND_WEBHOOK, c->d.webhook, &w) != ST_OK)
		return;
	txn_set_action(t, "webhook send", true);
	if (c->st == ST_OK)
		w.delivered++;
	else
		w.failures++;
	w.last_at = now;
	w.last_code = (int32_t)c->code;
	util_replace(&w.last_error, c->st == ST_OK ? NULL :
	    xstrdup(c->error != NULL ? c->error : "failed"));
	rec_put(t, KIND_WEBHOOK, &w);
	if (w.secret != NULL)
		sodium_memzero(w.secret, strlen(w.secret));
	rec_free(KIND_WEBHOOK, &w);
}

static enum status
record_write(struct txn *t, void *vctx)
{
	struct claim_ctx *c = vctx;
	int64_t now = clock_now();
	struct delivery d;

	/* gone: its endpoint was removed meanwhile */
	if (rec_get(t, KIND_DELIVERY, c->d.id, &d) != ST_OK)
		return txn_status(t);
	/* Our lease ran out and another worker took it over: a failure is
	 * its business now; a success still counts. */
	if (c->st != ST_OK && (d.state != DELIVERY_SENDING || d.owner == NULL ||
	    strcmp(d.owner, c->owner) != 0)) {
		rec_free(KIND_DELIVERY, &d);
		return txn_status(t);
	}
	util_replace(&d.owner, NULL);
	d.claimed_until = 0;
	d.last_code = (int32_t)c->code;
	if (c->st == ST_OK) {
		d.state = DELIVERY_DELIVERED;
		d.delivered_at = now;
		util_replace(&d.last_error, NULL);
	} else {
		d.state = DELIVERY_QUEUED;
		d.next_at = now + backoff(d.attempts);
		util_replace(&d.last_error, xstrdup(c->error != NULL ? c->error : "failed"));
		c->next_at = d.next_at;
	}
	rec_put(t, KIND_DELIVERY, &d);
	rec_free(KIND_DELIVERY, &d);
	endpoint_tally(t, c, now);
	return txn_status(t);
}

/* The JSON body: {"id":"WD1","event":...,"created":...,"data":{...}}. */
static char *
build_body(const struct delivery *d)
{
	char idbuf[24], ts[DATE_BUFSZ];
	struct sbuf b;

	sbuf_init(&b);
	sbuf_addf(&b, "{\"id\":\"%s\",\"event\":\"%s\",\"created\":\"%s\",\"data\":%s}",
	    app_id_str(KIND_DELIVERY, d->id, idbuf), d->event,
	    date_format_rfc3339(d->m.created, ts), d->data != NULL ? d->data : "null");
	return sbuf_take(&b);
}

/* "sha256=HEX" of body keyed with secret into sig (>= 72 bytes). */
static void
sign(const char *secret, const char *body, char *sig, size_t cap)
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char hex[2 * sizeof mac + 1];

	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_memzero(&st, sizeof st);
	sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
	snprintf(sig, cap, "sha256=%s", hex);
}

/* POST the claimed delivery; the outcome into c. */
static void
post_claimed(struct claim_ctx *c, long timeout, struct err *ce)
{
	char h_event[96], h_id[64], h_sig[112], idbuf[24];
	const char *headers[5];
	struct http_request rq;
	char *body = build_body(&c->d);

	char sig[80];

	sign(c->secret, body, sig, sizeof sig);
	snprintf(h_sig, sizeof h_sig, "X-Ally-Signature: %s", sig);
	sodium_memzero(sig, sizeof sig);
	snprintf(h_event, sizeof h_event, "X-Ally-Event: %s", c->d.event);
	snprintf(h_id, sizeof h_id, "X-Ally-Delivery: %s", app_id_str(KIND_DELIVERY, c->d.id, idbuf));
	headers[0] = "Content-Type: application/json";
	headers[1] = h_event;
	headers[2] = h_id;
	headers[3] = h_sig;
	headers[4] = NULL;
	memset(&rq, 0, sizeof rq);
	rq.url = c->url;
	rq.body = body;
	rq.headers = headers;
	rq.connect_timeout = timeout < CONNECT_TIMEOUT ? timeout : CONNECT_TIMEOUT;
	rq.timeout = timeout;
	c->code = 0;
	c->st = http_post(&rq, &c->code, ce);
	c->error = ce->msg;
	sodium_memzero(h_sig, sizeof h_sig);
	free(body);
}

static char *
owner_name(void)
{
	char host[256];

	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = '\0';
	return xasprintf("%s:%ld", host, (long)getpid());
}

enum status
app_webhook_send(struct app *a, long timeout,
    void (*report)(void *ctx, const struct webhook_report *r), void *ctx, struct err *e)
{
	struct claim_ctx c;
	enum status st, result = ST_OK;
	int guard;

	if ((st = app_require(a, PERM_WEBHOOK, e)) != ST_OK || (st = http_ready(e)) != ST_OK)
		return st;
	memset(&c, 0, sizeof c);
	c.owner = owner_name();
	c.lease = 2 * timeout + 60;
	/* Each delivery is claimed at most once per run (a failure moves its
	 * next try past now, a success takes it out of the pending index);
	 * the guard only bounds a clock that goes backwards. */
	for (guard = 0; guard < 1000000; guard++) {
		struct webhook_report r;
		struct err ce;

		if ((st = store_write(a->store, claim_write, &c, e)) != ST_OK) {
			result = st;
			break;
		}
		if (!c.claimed)
			break;
		err_clear(&ce);
		post_claimed(&c, timeout, &ce);
		c.next_at = 0;
		if ((st = store_write(a->store, record_write, &c, e)) != ST_OK) {
			result = st;
			break;
		}
		memset(&r, 0, sizeof r);
		r.id = c.d.id;
		r.url = c.url;
		r.event = c.d.event;
		r.st = c.st;
		r.error = c.st == ST_OK ? NULL : ce.msg;
		r.attempts = c.d.attempts;
		r.next_at = c.next_at;
		if (report != NULL)
			report(ctx, &r);
		if (c.st != ST_OK && result == ST_OK) {
			char idbuf[24];
			result = c.st;
			err_set(e, c.st, "%s: %s", app_id_str(KIND_DELIVERY, c.d.id, idbuf), ce.msg);
		}
	}
	claim_reset(&c);
	free(c.owner);
	return result;
}

/* ---- the list ---- */

static void
row_add(struct row *r, const char *name, enum cell_type type, const char *s, int64_t i)
{
	if (r->n >= ROW_MAX)
		return;
	r->c[r->n].name = name;
	r->c[r->n].type = type;
	r->c[r->n].s = s;
	r->c[r->n].i = i;
	r->n++;
}

static enum status
delivery_row(const struct delivery *d, enum status (*fn)(void *ctx, const struct row *r),
    void *ctx)
{
	struct row r;

	memset(&r, 0, sizeof r);
	row_add(&r, "id", CELL_STR, app_id_str(KIND_DELIVERY, d->id, r.buf[0]), 0);
	row_add(&r, "webhook", CELL_STR, app_id_str(KIND_WEBHOOK, d->webhook, r.buf[1]), 0);
	row_add(&r, "event", CELL_STR, d->event, 0);
	row_add(&r, "record", CELL_STR, app_id_str((enum kind)d->kind, d->record, r.buf[2]), 0);
	row_add(&r, "state", CELL_STR, delivery_state_name(d->state), 0);
	row_add(&r, "attempts", CELL_INT, NULL, d->attempts);
	row_add(&r, "queued", CELL_TIME, NULL, d->m.created);
	row_add(&r, "next", CELL_TIME, NULL, d->state == DELIVERY_QUEUED ? d->next_at : 0);
	row_add(&r, "delivered", CELL_TIME, NULL, d->delivered_at);
	row_add(&r, "last_code", CELL_INT, NULL, d->last_code);
	row_add(&r, "last_error", CELL_STR, d->last_error, 0);
	return fn(ctx, &r);
}

enum status
app_webhook_deliveries(struct app *a, bool failed,
    enum status (*fn)(void *ctx, const struct row *r), void *ctx, struct err *e)
{
	struct txn *t;
	struct iter *it;
	struct delivery d;
	uint64_t id;
	enum status st;

	if ((st = app_require(a, PERM_WEBHOOK, e)) != ST_OK)
		return st;
	t = txn_begin_read(a->store);
	it = iter_kind(t, KIND_DELIVERY, false);
	while (st == ST_OK && iter_next(it, &id)) {
		if (iter_rec(it, &d) != ST_OK)
			continue;
		if (!failed || (d.state != DELIVERY_DELIVERED && d.attempts > 0 &&
		    d.state != DELIVERY_SENDING))
			st = delivery_row(&d, fn, ctx);
		rec_free(KIND_DELIVERY, &d);
	}
	iter_close(it);
	if (st == ST_OK && txn_status(t) != ST_OK)
		st = err_set(e, txn_status(t), "%s", txn_message(t));
	txn_end(t);
	return st;
}
