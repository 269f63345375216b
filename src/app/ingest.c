/*
 * ingest.c - many events at once: JSON Lines (ally ingest).  CSV files
 * (ally import) are app/import.c's.
 *
 * Events are committed in batches of BATCH lines, one write transaction
 * each.  A line that is invalid is reported with its number and skipped;
 * the valid ones of its batch still commit.  Messages of a batch are kept
 * until it commits, since a full map runs the batch again.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "app/app.h"
#include "app/audit.h"
#include "app/deals.h"
#include "app/app_int.h"
#include "core/alloc.h"
#include "core/priv.h"
#include "core/str.h"

#define BATCH 5000
#define LINE_MAX_BYTES 65536

/* One pending event with the strings it owns. */
struct item {
	uint64_t line;
	struct event_input in;
	char *raw;              /* the input line, for --rejects */
	char *owned[12];
	size_t nowned;
	char *parse_error;      /* set when the line never became an event */
};

struct batch {
	struct app *a;
	struct item *items;
	size_t n, cap;
	/* results of the last attempt */
	struct sbuf msgs;
	char **reject_lines;
	size_t nreject, rejcap;
	uint64_t recorded, rejected, duplicates, invalid;
	const char *name;
	/* an event that failed after writing (a total that would overflow):
	 * the batch is written again without it */
	size_t failed;
	char *failed_why;
};

static void
item_free(struct item *it)
{
	size_t i;

	for (i = 0; i < it->nowned; i++)
		free(it->owned[i]);
	free(it->raw);
	free(it->parse_error);
	memset(it, 0, sizeof *it);
}

static const char *
item_own(struct item *it, char *s)
{
	if (it->nowned < sizeof it->owned / sizeof it->owned[0]) {
		it->owned[it->nowned++] = s;
		return s;
	}
	free(s);
	return NULL;
}

static void
batch_reset_results(struct batch *b)
{
	sbuf_reset(&b->msgs);
	b->nreject = 0;
	b->recorded = b->rejected = b->duplicates = b->invalid = 0;
}

static void
batch_invalid(struct batch *b, struct item *it, const char *why)
{
	char *vis = str_visible(why);

	sbuf_addf(&b->msgs, "ally: %s:%llu: %s\n", b->name, (unsigned long long)it->line, vis);
	free(vis);
	b->invalid++;
	if (it->raw) {
		b->reject_lines = xgrow(b->reject_lines, &b->rejcap, b->nreject + 1, sizeof *b->reject_lines);
		b->reject_lines[b->nreject++] = it->raw;
	}
}

static enum status
batch_write(struct txn *t, void *vctx)
{
	struct batch *b = vctx;
	size_t i;

	batch_reset_results(b);
	txn_set_action(t, "ingest", true);
	for (i = 0; i < b->n; i++) {
		struct item *it = &b->items[i];
		struct event_result r;
		struct err e;

		if (it->parse_error) {
			batch_invalid(b, it, it->parse_error);
			continue;
		}
		err_clear(&e);
		if (app_track_in(b->a, t, &it->in, &r, &e) != ST_OK) {
			if (txn_status(t) != ST_OK) {
				b->failed = i + 1;
				free(b->failed_why);
				b->failed_why = xstrdup(e.msg);
				return txn_status(t);
			}
			batch_invalid(b, it, e.msg);
			continue;
		}
		switch (r.outcome) {
		case EVENT_RECORDED:  b->recorded++; break;
		case EVENT_REJECTED:  b->recorded++; b->rejected++; break;
		case EVENT_DUPLICATE: b->duplicates++; break;
		}
	}
	if (b->n > 0 && b->recorded > 0) {
		char what[256];
		char *vis = str_visible(b->name);
		snprintf(what, sizeof what, "ingest %s lines %llu-%llu: %llu recorded, %llu duplicates, %llu invalid",
		    vis, (unsigned long long)b->items[0].line, (unsigned long long)b->items[b->n - 1].line,
		    (unsigned long long)b->recorded, (unsigned long long)b->duplicates,
		    (unsigned long long)b->invalid);
		free(vis);
		audit_append(t, b->a->login, what, KIND_REFERRAL, 0, NULL, NULL);
	}
	return txn_status(t);
}

/* Commit the pending items; report their messages; empty the batch. */
static enum status
batch_flush(struct batch *b, FILE *err_out, FILE *rejects, struct ingest_stats *stats,
    struct err *e)
{
	enum status st = ST_OK;
	size_t i;

	if (b->n > 0) {
		size_t tries = 0;
		b->failed = 0;
		st = store_write(b->a->store, batch_write, b, e);
		/* A data error found after an event was written rolled the
		 * whole transaction back: that line is invalid, the rest is
		 * written again. */
		while (st == ST_DATA && b->failed && tries++ < b->n &&
		    b->items[b->failed - 1].parse_error == NULL) {
			b->items[b->failed - 1].parse_error = b->failed_why;
			b->failed_why = NULL;
			b->failed = 0;
			err_clear(e);
			st = store_write(b->a->store, batch_write, b, e);
		}
		if (st == ST_OK) {
			if (b->msgs.len && err_out)
				fputs(b->msgs.s, err_out);
			for (i = 0; rejects && i < b->nreject; i++)
				fprintf(rejects, "%s\n", b->reject_lines[i]);
			stats->recorded += b->recorded;
			stats->rejected_referrals += b->rejected;
			stats->duplicates += b->duplicates;
			stats->invalid += b->invalid;
		}
	}
	for (i = 0; i < b->n; i++)
		item_free(&b->items[i]);
	b->n = 0;
	return st;
}

static void
batch_free(struct batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		item_free(&b->items[i]);
	free(b->items);
	free(b->reject_lines);
	free(b->failed_why);
	sbuf_free(&b->msgs);
}

static double
elapsed_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* ---- JSON Lines ---- */

static const char **
input_slot(struct event_input *in, const char *name)
{
	if (strcmp(name, "type") == 0) return &in->type;
	if (strcmp(name, "code") == 0) return &in->code;
	if (strcmp(name, "email") == 0) return &in->email;
	if (strcmp(name, "name") == 0) return &in->name;
	if (strcmp(name, "event") == 0) return &in->event;
	if (strcmp(name, "amount") == 0) return &in->amount;
	if (strcmp(name, "currency") == 0) return &in->currency;
	if (strcmp(name, "id") == 0) return &in->id;
	if (strcmp(name, "program") == 0) return &in->program;
	if (strcmp(name, "referral") == 0) return &in->referral;
	if (strcmp(name, "at") == 0) return &in->at;
	if (strcmp(name, "product") == 0) return &in->product;
	if (strcmp(name, "plan") == 0) return &in->plan;
	if (strcmp(name, "country") == 0) return &in->country;
	return NULL;
}

static void
parse_json_line(struct item *it, const char *line)
{
	json_error_t jerr;
	json_t *o = json_loads(line, JSON_REJECT_DUPLICATES, &jerr);
	const char *key;
	json_t *v;

	if (o == NULL) {
		it->parse_error = xasprintf("not valid JSON: %s", jerr.text);
		return;
	}
	if (!json_is_object(o)) {
		it->parse_error = xstrdup("each line must be a JSON object");
		json_decref(o);
		return;
	}
	json_object_foreach(o, key, v) {
		const char **slot = input_slot(&it->in, key);
		if (slot == NULL) {
			it->parse_error = xasprintf("%s: unknown field", key);
			break;
		}
		if (json_is_string(v)) {
			*slot = item_own(it, xstrdup(json_string_value(v)));
		} else if (json_is_integer(v)) {
			*slot = item_own(it, xasprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v)));
		} else if (json_is_null(v)) {
			continue;
		} else {
			it->parse_error = xasprintf("%s: must be a string%s", key,
			    strcmp(key, "amount") == 0 ? " such as \"120.50\"" : "");
			break;
		}
	}
	json_decref(o);
}

/*
 * Parsing JSON costs about as much as writing the events, so a reader
 * thread parses the next batch while this one writes the last: at most
 * QUEUE_DEPTH parsed batches wait.  Only the writer touches the store.
 */
#define QUEUE_DEPTH 2

struct chunk {
	struct item *items;
	size_t n, cap;
	uint64_t lines;
	int read_errno;         /* set on the last chunk when reading failed */
	bool last;
};

struct reader {
	FILE *f;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct chunk *q[QUEUE_DEPTH];
	size_t head, count;
	bool stop;              /* the writer gave up: stop reading */
};

static bool
reader_push(struct reader *r, struct chunk *c)
{
	bool ok;

	pthread_mutex_lock(&r->mu);
	while (r->count == QUEUE_DEPTH && !r->stop)
		pthread_cond_wait(&r->cv, &r->mu);
	ok = !r->stop;
	if (ok) {
		r->q[(r->head + r->count) % QUEUE_DEPTH] = c;
		r->count++;
		pthread_cond_broadcast(&r->cv);
	}
	pthread_mutex_unlock(&r->mu);
	return ok;
}

static struct chunk *
reader_pop(struct reader *r)
{
	struct chunk *c;

	pthread_mutex_lock(&r->mu);
	while (r->count == 0)
		pthread_cond_wait(&r->cv, &r->mu);
	c = r->q[r->head];
	r->head = (r->head + 1) % QUEUE_DEPTH;
	r->count--;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	return c;
}

static void
chunk_free(struct chunk *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++)
		item_free(&c->items[i]);
	free(c->items);
	free(c);
}

static void *
reader_main(void *arg)
{
	struct reader *r = arg;
	struct chunk *c = xcalloc(1, sizeof *c);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	uint64_t lineno = 0;

	while ((len = getline(&line, &cap, r->f)) >= 0) {
		struct item *it;
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		c->lines++;
		c->items = xgrow(c->items, &c->cap, c->n + 1, sizeof *c->items);
		it = &c->items[c->n++];
		memset(it, 0, sizeof *it);
		it->line = lineno;
		it->raw = xstrdup(line);
		if ((size_t)len > LINE_MAX_BYTES)
			it->parse_error = xasprintf("line longer than %d bytes", LINE_MAX_BYTES);
		else if (memchr(line, '\0', (size_t)len))
			it->parse_error = xstrdup("line holds a NUL byte");
		else
			parse_json_line(it, line);
		if (c->n >= BATCH) {
			if (!reader_push(r, c)) {
				chunk_free(c);
				free(line);
				return NULL;
			}
			c = xcalloc(1, sizeof *c);
		}
	}
	if (ferror(r->f))
		c->read_errno = errno ? errno : EIO;
	c->last = true;
	free(line);
	if (!reader_push(r, c))
		chunk_free(c);
	return NULL;
}

enum status
app_ingest(struct app *a, FILE *f, const char *name, FILE *err_out, FILE *rejects,
    struct ingest_stats *stats, struct err *e)
{
	struct reader r;
	struct batch b;
	struct timespec t0;
	pthread_t th;
	enum status st = ST_OK;
	bool last = false;

	memset(stats, 0, sizeof *stats);
	if ((st = app_require(a, PERM_EVENTS_WRITE, e)) != ST_OK)
		return st;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&b, 0, sizeof b);
	b.a = a;
	b.name = name;
	sbuf_init(&b.msgs);
	memset(&r, 0, sizeof r);
	r.f = f;
	pthread_mutex_init(&r.mu, NULL);
	pthread_cond_init(&r.cv, NULL);
	json_object_seed(0);    /* before any thread makes objects */
	if (pthread_create(&th, NULL, reader_main, &r) != 0) {
		pthread_mutex_destroy(&r.mu);
		pthread_cond_destroy(&r.cv);
		return err_set(e, ST_SOFTWARE, "ingest: cannot start the reader thread");
	}
	store_set_nosync(a->store, true);
	while (!last && st == ST_OK) {
		struct chunk *c = reader_pop(&r);
		last = c->last;
		stats->lines += c->lines;
		if (c->read_errno)
			st = err_set(e, ST_IOERR, "%s: %s", name, strerror(c->read_errno));
		if (st == ST_OK) {
			/* Hand the parsed items to the batch (it frees them). */
			b.items = c->items;
			b.n = c->n;
			b.cap = c->cap;
			c->items = NULL;
			c->n = 0;
			st = batch_flush(&b, err_out, rejects, stats, e);
			free(b.items);
			b.items = NULL;
			b.cap = 0;
		}
		chunk_free(c);
	}
	if (!last) {
		/* Stop the reader and drop what it parsed. */
		pthread_mutex_lock(&r.mu);
		r.stop = true;
		pthread_cond_broadcast(&r.cv);
		pthread_mutex_unlock(&r.mu);
	}
	pthread_join(th, NULL);
	while (r.count > 0) {
		chunk_free(r.q[r.head]);
		r.head = (r.head + 1) % QUEUE_DEPTH;
		r.count--;
	}
	pthread_mutex_destroy(&r.mu);
	pthread_cond_destroy(&r.cv);
	store_set_nosync(a->store, false);
	if (st == ST_OK)
		st = store_sync(a->store, e);
	else
		store_sync(a->store, NULL);
	batch_free(&b);
	stats->seconds = elapsed_since(&t0);
	if (st == ST_OK && stats->invalid > 0)
		return err_set(e, ST_DATA, "%llu of %llu lines were invalid (the others were recorded)",
		    (unsigned long long)stats->invalid, (unsigned long long)stats->lines);
	return st;
}
