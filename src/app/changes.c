/*
 * changes.c - the change log as a stream (ally events): the audit log's
 * entries after a sequence number, oldest first, and a wait for the next
 * commit.
 *
 * The one idea: a follower never holds a read transaction while it waits.
 * It reads a bounded batch of entries in one short read transaction, lets
 * it go, and sleeps in poll(2) on an inotify watch of data.mdb (every LMDB
 * commit writes it), waking at least once a second to compare the
 * environment's last transaction id, so it also works where inotify does
 * not (the memory backend, a network file system) and never spins.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include "app/app_int.h"

#define WAKE_MS 1000            /* the longest sleep between two looks */
#define SETTLE_MS 20            /* after a write was seen: its commit is a moment behind */

enum status
app_changes(struct app *a, uint64_t since, size_t max,
    bool (*fn)(void *ctx, const struct app_change *c), void *ctx, uint64_t *last,
    uint64_t *version, struct err *e)
{
	struct txn *t;
	uint64_t id, end;
	size_t n = 0;
	enum status st;

	*last = since;
	if ((st = app_require(a, PERM_COMMISSION_READ, e)) != ST_OK)
		return st;
	t = txn_begin_read(a->store);
	if (version != NULL)
		*version = txn_snapshot(t);
	end = store_seq(t, KIND_AUDIT);
	for (id = since + 1; st == ST_OK && id <= end && n < max; id++, n++) {
		struct audit en;
		struct app_change c;
		char rec[24];
		bool more;

		if ((st = rec_get(t, KIND_AUDIT, id, &en)) != ST_OK) {
			st = err_set(e, ST_DATA, "audit entry A%llu cannot be read (ally check)",
			    (unsigned long long)id);
			break;
		}
		c.seq = en.id;
		c.at = en.at;
		c.actor = en.actor;
		c.action = en.action;
		c.kind = en.record != 0 ? kind_name((enum kind)en.kind) : NULL;
		c.record = en.record != 0 ? app_id_str((enum kind)en.kind, en.record, rec) : NULL;
		c.after = en.after;
		more = fn(ctx, &c);
		rec_free(KIND_AUDIT, &en);
		*last = id;
		if (!more)
			break;
	}
	if (st == ST_OK)
		st = util_txn_err(t, e);
	txn_end(t);
	return st;
}

static long
ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* An inotify descriptor watching the database file, or -1. */
static int
watch_data(const char *dir)
{
	char path[4096];
	int fd;

	if (dir == NULL || snprintf(path, sizeof path, "%s/data.mdb", dir) >= (int)sizeof path)
		return -1;
	if ((fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0)
		return -1;
	if (inotify_add_watch(fd, path, IN_MODIFY) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
drain(int fd)
{
	char buf[4096];

	while (read(fd, buf, sizeof buf) > 0)
		;
}

bool
app_wait_commit(struct app *a, uint64_t version, int timeout_ms)
{
	struct timespec t0;
	int fd = watch_data(app_path(a));
	bool seen = false, changed = false;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long left;
		int wait;

		/* looked at after the watch is set, so no commit slips between */
		if ((changed = app_version(a) != version))
			break;
		left = timeout_ms < 0 ? WAKE_MS : timeout_ms - ms_since(&t0);
		if (left <= 0)
			break;
		wait = seen ? SETTLE_MS : WAKE_MS;
		if (wait > left)
			wait = (int)left;
		seen = false;
		if (fd >= 0 ? poll(&p, 1, wait) > 0 : poll(NULL, 0, wait) > 0) {
			drain(fd);
			seen = true;
		}
	}
	if (fd >= 0)
		close(fd);
	return changed;
}
