/*
 * webhook.c - webhook endpoints (add, list, remove) and the change hook
 * that turns record changes into queued deliveries.
 *
 * The one idea: a delivery is written by a store change hook, inside the
 * very transaction of the change it announces, so an event is queued if
 * and only if its change commits.  The delivery keeps the record's fields
 * after the change; the body and its signature are made at sending
 * (webhook_send.c).  An endpoint's secret lives in its record's "secret"
 * field, which rec_to_json (and so the audit log) shows only as "(set)".
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/app_int.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/priv.h"
#include "core/str.h"

#define URL_MAX 2000
#define SECRET_MIN 16
#define SECRET_MAX 1024
#define SECRET_BYTES 32         /* generated: 64 hex digits */

const char *const webhook_event_names[] = {
	"referral", "conversion", "refund",
	"commission.created", "commission.approved", "commission.rejected", "commission.paid",
	"partner.invited", "partner.activated",
	"payout.run", "payout.paid",
	"deal.registered", "deal.approved", "deal.won", "deal.lost",
	"reward.approved", "reward.issued",
	NULL
};

/* ---- which change is which event ---- */

static const char *
commission_event(const struct commission *b, const struct commission *a)
{
	if (b == NULL)
		return "commission.created";
	if (b->status == a->status)
		return NULL;
	switch (a->status) {
	case COMMISSION_APPROVED: return "commission.approved";
	case COMMISSION_REJECTED: return "commission.rejected";
	case COMMISSION_PAID: return "commission.paid";
	default: return NULL;
	}
}

static const char *
deal_event(const struct deal *b, const struct deal *a)
{
	if (b == NULL)
		return "deal.registered";
	if (b->stage == a->stage)
		return NULL;
	switch (a->stage) {
	case DEAL_APPROVED: return "deal.approved";
	case DEAL_WON: return "deal.won";
	case DEAL_LOST: return "deal.lost";
	default: return NULL;
	}
}

/* A referee reward becoming approved (for billing to credit) or issued;
 * its adjustments (reversals of a refunded one) included. */
static const char *
reward_event(const struct reward *b, const struct reward *a)
{
	if (b != NULL && b->status == a->status)
		return NULL;
	switch (a->status) {
	case REWARD_APPROVED: return "reward.approved";
	case REWARD_ISSUED: return "reward.issued";
	default: return NULL;
	}
}

/* The event a change of kind k makes, or NULL (deletions make none). */
static const char *
event_of(enum kind k, const void *before, const void *after)
{
	if (after == NULL)
		return NULL;
	switch (k) {
	case KIND_REFERRAL: return before == NULL ? "referral" : NULL;
	case KIND_CONVERSION: return before == NULL ? "conversion" : NULL;
	case KIND_REFUND: return before == NULL ? "refund" : NULL;
	case KIND_INVITATION: return before == NULL ? "partner.invited" : NULL;
	case KIND_COMMISSION: return commission_event(before, after);
	case KIND_DEAL: return deal_event(before, after);
	case KIND_REWARD: return reward_event(before, after);
	case KIND_PARTNER: {
		const struct partner *b = before, *a = after;
		return b != NULL && b->status != PARTNER_ACTIVE && a->status == PARTNER_ACTIVE ?
		    "partner.activated" : NULL;
	}
	case KIND_PAYOUT: {
		const struct payout *b = before, *a = after;
		if (b == NULL)
			return "payout.run";
		return b->status != PAYOUT_PAID && a->status == PAYOUT_PAID ? "payout.paid" : NULL;
	}
	default:
		return NULL;
	}
}

/* Is name one of the comma-separated list? */
static bool
subscribed(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while (p != NULL && *p) {
		const char *end = strchr(p, ',');
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);

		if (len == n && strncmp(p, name, n) == 0)
			return true;
		p = end != NULL ? end + 1 : NULL;
	}
	return false;
}

void
webhook_hook(void *ctx, struct txn *t, enum kind k, uint64_t id, const void *before,
    const void *after)
{
	const char *ev = event_of(k, before, after);
	struct iter *it;
	struct webhook w;
	struct sbuf data;
	uint64_t wid;

	(void)ctx;
	if (ev == NULL || txn_status(t) != ST_OK || rec_count(t, KIND_WEBHOOK) == 0)
		return;
	sbuf_init(&data);
	rec_to_json(k, after, &data);
	it = iter_kind(t, KIND_WEBHOOK, false);
	while (txn_status(t) == ST_OK && iter_next(it, &wid)) {
		struct delivery d;

		if (iter_rec(it, &w) != ST_OK)
			continue;
		if (subscribed(w.events, ev)) {
			memset(&d, 0, sizeof d);
			d.webhook = w.id;
			d.event = (char *)ev;
			d.kind = (int32_t)k;
			d.record = id;
			d.data = (char *)sbuf_str(&data);
			d.state = DELIVERY_QUEUED;
			d.next_at = clock_now();
			rec_put(t, KIND_DELIVERY, &d);
			free(d.m.actor);        /* the only string rec_put gave it */
		}
		rec_free(KIND_WEBHOOK, &w);
	}
	iter_close(it);
	sbuf_free(&data);
}

/* ---- the fields of an endpoint ---- */

static enum status
check_url(const char *url, struct err *e)
{
	const char *p;
	size_t n = url != NULL ? strlen(url) : 0;

	if (n == 0)
		return err_set(e, ST_DATA, "url: required");
	if (n > URL_MAX)
		return err_set(e, ST_DATA, "url: longer than %d characters", URL_MAX);
	for (p = url; *p; p++) {
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			return err_set(e, ST_DATA, "url: only printable ASCII without spaces "
			    "(percent-encode the rest)");
	}
	if (strncmp(url, "http://", 7) == 0)
		p = url + 7;
	else if (strncmp(url, "https://", 8) == 0)
		p = url + 8;
	else {
		char *vis = str_visible_cut(url, 40);
		err_set(e, ST_DATA, "url: \"%s\" must start with http:// or https://", vis);
		free(vis);
		return ST_DATA;
	}
	if (*p == '\0' || *p == '/' || *p == '?' || *p == '#')
		return err_set(e, ST_DATA, "url: no host after the scheme");
	return ST_OK;
}

/* "a, b,a" into "a,b" (each known, each once) in *out. */
static enum status
check_events(const char *in, char **out, struct err *e)
{
	struct sbuf b;
	char *copy, *tok, *save = NULL;
	enum status st = ST_OK;

	*out = NULL;
	if (in == NULL || strspn(in, " ,") == strlen(in))
		return err_set(e, ST_DATA, "events: required (one or more of %s, ...)",
		    webhook_event_names[0]);
	copy = xstrdup(in);
	sbuf_init(&b);
	sbuf_add(&b, "");
	for (tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		char *name = str_trim(tok);
		size_t i;

		if (*name == '\0') {
			free(name);
			continue;
		}
		for (i = 0; webhook_event_names[i] != NULL; i++) {
			if (strcmp(name, webhook_event_names[i]) == 0)
				break;
		}
		if (webhook_event_names[i] == NULL) {
			char *vis = str_visible_cut(name, 40);
			st = err_set(e, ST_DATA, "events: unknown event \"%s\" (see ally webhook add --help)",
			    vis);
			free(vis);
			free(name);
			break;
		}
		if (!subscribed(sbuf_str(&b), name)) {
			if (b.len > 0)
				sbuf_addc(&b, ',');
			sbuf_add(&b, name);
		}
		free(name);
	}
	free(copy);
	if (st == ST_OK)
		*out = sbuf_take(&b);
	else
		sbuf_free(&b);
	return st;
}

/* The secret: the file's text without its final line end. */
static enum status
read_secret(const char *path, char **out, struct err *e)
{
	char buf[SECRET_MAX + 2];
	size_t n;
	FILE *f;

	*out = NULL;
	if ((f = user_fopen(path, "r")) == NULL)
		return err_set(e, ST_NOINPUT, "secret-file: cannot read %s: %s", path, strerror(errno));
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (n > SECRET_MAX) {
		sodium_memzero(buf, sizeof buf);
		return err_set(e, ST_DATA, "secret-file: longer than %d bytes", SECRET_MAX);
	}
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	if (strlen(buf) != n || strchr(buf, '\n') != NULL) {
		sodium_memzero(buf, sizeof buf);
		return err_set(e, ST_DATA, "secret-file: must be one line of text");
	}
	if (n < SECRET_MIN) {
		sodium_memzero(buf, sizeof buf);
		return err_set(e, ST_DATA, "secret-file: shorter than %d characters", SECRET_MIN);
	}
	*out = xstrdup(buf);
	sodium_memzero(buf, sizeof buf);
	return ST_OK;
}

static char *
new_secret(void)
{
	unsigned char rnd[SECRET_BYTES];
	char hex[2 * SECRET_BYTES + 1];

	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
	sodium_memzero(rnd, sizeof rnd);
	return xstrdup(hex);
}

/* ---- add, list, remove ---- */

static enum status
add_write(struct txn *t, void *ctx)
{
	struct webhook *w = ctx;

	rec_put(t, KIND_WEBHOOK, w);
	return txn_status(t);
}

enum status
app_webhook_add(struct app *a, const struct webhook_input *in, uint64_t *id, char **secret,
    struct err *e)
{
	struct webhook w;
	enum status st;

	*id = 0;
	*secret = NULL;
	if ((st = app_require(a, PERM_WEBHOOK, e)) != ST_OK || (st = check_url(in->url, e)) != ST_OK)
		return st;
	memset(&w, 0, sizeof w);
	if ((st = check_events(in->events, &w.events, e)) != ST_OK)
		return st;
	if (in->secret_file != NULL)
		st = read_secret(in->secret_file, &w.secret, e);
	else
		w.secret = new_secret();
	if (st == ST_OK) {
		w.url = xstrdup(in->url);
		st = app_write(a, PERM_WEBHOOK, NULL, add_write, &w, e);
	}
	if (st == ST_OK) {
		*id = w.id;
		if (in->secret_file == NULL)
			*secret = xstrdup(w.secret);
	}
	if (w.secret != NULL)
		sodium_memzero(w.secret, strlen(w.secret));
	rec_free(KIND_WEBHOOK, &w);
	return st;
}

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

/* An endpoint's undelivered deliveries: how many, how many failed last. */
static void
pending_counts(struct txn *t, uint64_t webhook, int64_t *pending, int64_t *failing)
{
	struct key k;
	struct iter *it;
	struct delivery d;
	uint64_t id;

	*pending = *failing = 0;
	key_init(&k);
	key_u64(&k, webhook);
	it = iter_index(t, IDX_DELIVERY_PENDING, &k, false);
	while (iter_next(it, &id)) {
		if (rec_get(t, KIND_DELIVERY, id, &d) != ST_OK)
			continue;
		(*pending)++;
		*failing += d.attempts > 0;
		rec_free(KIND_DELIVERY, &d);
	}
	iter_close(it);
}

enum status
app_webhook_list(struct app *a, enum status (*fn)(void *ctx, const struct row *r), void *ctx,
    struct err *e)
{
	struct txn *t;
	struct iter *it;
	struct webhook w;
	uint64_t id;
	enum status st;

	if ((st = app_require(a, PERM_WEBHOOK, e)) != ST_OK)
		return st;
	t = txn_begin_read(a->store);
	it = iter_kind(t, KIND_WEBHOOK, false);
	while (st == ST_OK && iter_next(it, &id)) {
		struct row r;
		int64_t pending, failing;

		if (iter_rec(it, &w) != ST_OK)
			continue;
		pending_counts(t, w.id, &pending, &failing);
		memset(&r, 0, sizeof r);
		row_add(&r, "id", CELL_STR, app_id_str(KIND_WEBHOOK, w.id, r.buf[0]), 0);
		row_add(&r, "url", CELL_STR, w.url, 0);
		row_add(&r, "events", CELL_STR, w.events, 0);
		row_add(&r, "pending", CELL_INT, NULL, pending);
		row_add(&r, "failing", CELL_INT, NULL, failing);
		row_add(&r, "delivered", CELL_INT, NULL, w.delivered);
		row_add(&r, "failures", CELL_INT, NULL, w.failures);
		row_add(&r, "last", CELL_TIME, NULL, w.last_at);
		row_add(&r, "last_code", CELL_INT, NULL, w.last_code);
		row_add(&r, "last_error", CELL_STR, w.last_error, 0);
		row_add(&r, "created", CELL_TIME, NULL, w.m.created);
		st = fn(ctx, &r);
		rec_free(KIND_WEBHOOK, &w);
	}
	iter_close(it);
	if (st == ST_OK && txn_status(t) != ST_OK)
		st = err_set(e, txn_status(t), "%s", txn_message(t));
	txn_end(t);
	return st;
}

struct remove_ctx {
	uint64_t id;
	unsigned dropped;
};

static enum status
remove_write(struct txn *t, void *vctx)
{
	struct remove_ctx *c = vctx;
	struct key k;
	struct iter *it;
	uint64_t id, *ids = NULL;
	size_t n = 0, cap = 0, i;

	key_init(&k);
	key_u64(&k, c->id);
	it = iter_index(t, IDX_DELIVERY_PENDING, &k, false);
	while (iter_next(it, &id)) {
		if (n == cap)
			ids = xrealloc(ids, (cap = cap ? 2 * cap : 16) * sizeof *ids);
		ids[n++] = id;
	}
	iter_close(it);
	for (i = 0; i < n && txn_status(t) == ST_OK; i++)
		rec_del(t, KIND_DELIVERY, ids[i]);
	free(ids);
	c->dropped = (unsigned)n;
	rec_del(t, KIND_WEBHOOK, c->id);
	return txn_status(t);
}

enum status
app_webhook_remove(struct app *a, const char *ref, uint64_t *id, unsigned *dropped,
    struct err *e)
{
	struct remove_ctx c = { 0, 0 };
	enum status st;

	*id = 0;
	*dropped = 0;
	if ((st = app_require(a, PERM_WEBHOOK, e)) != ST_OK ||
	    (st = app_resolve_ref(a, KIND_WEBHOOK, ref, &c.id, e)) != ST_OK)
		return st;
	if ((st = app_write(a, PERM_WEBHOOK, NULL, remove_write, &c, e)) != ST_OK)
		return st;
	*id = c.id;
	*dropped = c.dropped;
	return ST_OK;
}

struct test_ctx {
	uint64_t webhook, delivery;
};

/* A "webhook.test" delivery for one endpoint, whatever it subscribes to;
 * its data is the endpoint itself (the secret only as "(set)"). */
static enum status
test_write(struct txn *t, void *vctx)
{
	struct test_ctx *c = vctx;
	struct webhook w;
	struct delivery d;
	struct sbuf data;

	if (rec_get(t, KIND_WEBHOOK, c->webhook, &w) != ST_OK)
		return txn_status(t) != ST_OK ? txn_status(t) :
		    txn_fail(t, ST_NOTFOUND, "webhook WH%llu not found", (unsigned long long)c->webhook);
	sbuf_init(&data);
	rec_to_json(KIND_WEBHOOK, &w, &data);
	memset(&d, 0, sizeof d);
	d.webhook = w.id;
	d.event = xstrdup("webhook.test");
	d.kind = KIND_WEBHOOK;
	d.record = w.id;
	d.data = sbuf_take(&data);
	d.state = DELIVERY_QUEUED;
	d.next_at = clock_now();
	rec_put(t, KIND_DELIVERY, &d);
	c->delivery = d.id;
	rec_free(KIND_DELIVERY, &d);
	rec_free(KIND_WEBHOOK, &w);
	return txn_status(t);
}

enum status
app_webhook_test(struct app *a, const char *ref, uint64_t *delivery, struct err *e)
{
	struct test_ctx c = { 0, 0 };
	enum status st;

	*delivery = 0;
	if ((st = app_require(a, PERM_WEBHOOK, e)) != ST_OK ||
	    (st = app_resolve_ref(a, KIND_WEBHOOK, ref, &c.webhook, e)) != ST_OK ||
	    (st = app_write(a, PERM_WEBHOOK, NULL, test_write, &c, e)) != ST_OK)
		return st;
	*delivery = c.delivery;
	return ST_OK;
}
