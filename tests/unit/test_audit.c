/*
 * test_audit.c - the keyed audit chain (app/audit.c, app/audit_key.c) on a
 * database in a temporary directory: ally init makes a 0640 key and keys
 * the chain from the first entry; each entry is HMAC-SHA-256 with that key,
 * not a plain hash; an old unkeyed chain is carried over once by a writer
 * with an audit.rekey entry; a keyed chain without its key refuses writes
 * and says why it cannot be verified.
 */
#include "config.h"

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "app/app_int.h"  /* white-box: reaches the session's store */
#include "app/audit.h"
#include "app/ledger.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "store/store.h"

#define NOW 1792065600          /* 2026-10-15T12:00:00Z */

struct fx {
	char dir[64];
	char db[80];
	char keyfile[96];
	struct app *a;
};

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
add_partner(struct app *a, const char *name)
{
	struct partner_input p = { .name = name, .email = "ann@acme.example" };
	struct err e;
	uint64_t id;

	err_clear(&e);
	assert_int_equal(app_partner_save(a, 0, &p, &id, &e), ST_OK);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct init_input in = { "Test Org", "EUR", "UTC" };
	struct err e;

	unsetenv("ALLY_NOW");
	unsetenv("ALLY_USER");
	snprintf(f->dir, sizeof f->dir, "%s/ally-audit.XXXXXX", "/tmp");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db, sizeof f->db, "%s/db", f->dir);
	snprintf(f->keyfile, sizeof f->keyfile, "%s/audit.key", f->db);
	store_set_initial_mapsize(1 << 20);
	audit_key_forget();
	err_clear(&e);
	assert_int_equal(app_init(f->db, &in, &e), ST_OK);
	assert_int_equal(app_open(f->db, 0, &f->a, &e), ST_OK);
	clock_set(NOW);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	app_close(f->a);
	nftw(f->dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	audit_key_forget();
	free(f);
	return 0;
}

static uint64_t
verified(struct app *a)
{
	struct err e;
	uint64_t n = 0;

	err_clear(&e);
	assert_int_equal(app_audit_verify(a, &n, &e), ST_OK);
	return n;
}

static void
entry(struct app *a, uint64_t id, struct audit *out)
{
	struct txn *t = txn_begin_read(a->store);

	assert_int_equal(rec_get(t, KIND_AUDIT, id, out), ST_OK);
	txn_end(t);
}

static void
test_init_makes_a_key(void **state)
{
	struct fx *f = *state;
	struct stat sb;
	unsigned char k[AUDIT_KEY_BYTES];
	struct err e;

	assert_int_equal(stat(f->keyfile, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0640);
	err_clear(&e);
	assert_int_equal(audit_key_read(f->keyfile, k, &e), ST_OK);
	assert_true(app_audit_keyed(f->a));
	assert_int_equal(verified(f->a), 0);
	/* a second key is never made over the first */
	assert_int_equal(audit_key_create(f->keyfile, &e), ST_EXISTS);
}

/* Each entry's hash is HMAC-SHA-256 over the same text a plain SHA-256
 * chain used, so it cannot be recomputed without the key. */
static void
test_entries_are_hmac(void **state)
{
	struct fx *f = *state;
	unsigned char k[AUDIT_KEY_BYTES], d[crypto_auth_hmacsha256_BYTES];
	char hex[sizeof d * 2 + 1];
	struct audit en;
	struct err e;
	char *text;

	add_partner(f->a, "Acme");
	add_partner(f->a, "Beta");
	assert_int_equal(verified(f->a), 2);
	entry(f->a, 2, &en);
	text = xasprintf("%s\n%llu\n%lld\n%s\n%s\n%d\n%llu\n%s\n%s", en.prev_hash,
	    (unsigned long long)en.id, (long long)en.at, en.actor, en.action, (int)en.kind,
	    (unsigned long long)en.record, en.before ? en.before : "", en.after ? en.after : "");
	err_clear(&e);
	assert_int_equal(audit_key_read(f->keyfile, k, &e), ST_OK);
	crypto_auth_hmacsha256(d, (const unsigned char *)text, strlen(text), k);
	sodium_bin2hex(hex, sizeof hex, d, sizeof d);
	assert_string_equal(en.hash, hex);
	crypto_hash_sha256(d, (const unsigned char *)text, strlen(text));
	sodium_bin2hex(hex, sizeof hex, d, sizeof d);
	assert_string_not_equal(en.hash, hex);
	free(text);
	rec_free(KIND_AUDIT, &en);
}

/* Another key (a copy verified against the wrong key file) fails at A1. */
static void
test_wrong_key_fails(void **state)
{
	struct fx *f = *state;
	struct err e;
	uint64_t n;

	add_partner(f->a, "Acme");
	assert_int_equal(unlink(f->keyfile), 0);
	err_clear(&e);
	assert_int_equal(audit_key_create(f->keyfile, &e), ST_OK);
	audit_key_forget();
	assert_int_equal(app_audit_verify(f->a, &n, &e), ST_DATA);
	assert_string_equal(e.msg, "audit entry A1 was changed after it was written (hash differs)");
}

static enum status
unkey_write(struct txn *t, void *ctx)
{
	uint64_t zero = 0;

	(void)ctx;
	meta_put(t, "audit.keyed_from", &zero, sizeof zero);
	return txn_status(t);
}

/* A database from before the key: plain SHA-256 entries and no key file.
 * The first writer makes the key and appends audit.rekey; verify checks
 * the old part the old way and the rest keyed. */
static void
test_rekey_carries_an_old_chain_over(void **state)
{
	struct fx *f = *state;
	struct audit en;
	struct err e;
	struct stat sb;

	err_clear(&e);
	assert_int_equal(store_write(f->a->store, unkey_write, NULL, &e), ST_OK);
	assert_int_equal(unlink(f->keyfile), 0);
	audit_key_forget();
	add_partner(f->a, "Acme");      /* written the old way */
	add_partner(f->a, "Beta");
	assert_false(app_audit_keyed(f->a));
	assert_int_equal(verified(f->a), 2);
	app_close(f->a);
	audit_key_forget();
	/* a reader carries nothing over and makes no key */
	assert_int_equal(app_open(f->db, APP_RDONLY, &f->a, &e), ST_OK);
	assert_int_not_equal(stat(f->keyfile, &sb), 0);
	app_close(f->a);
	assert_int_equal(app_open(f->db, 0, &f->a, &e), ST_OK);
	assert_int_equal(stat(f->keyfile, &sb), 0);
	assert_true(app_audit_keyed(f->a));
	assert_int_equal(verified(f->a), 3);
	entry(f->a, 3, &en);
	assert_string_equal(en.action, "audit.rekey");
	assert_string_equal(en.after, "{\"unkeyed_entries\":2}");
	rec_free(KIND_AUDIT, &en);
	add_partner(f->a, "Cara");
	assert_int_equal(verified(f->a), 4);
	/* once only: opening again adds nothing */
	app_close(f->a);
	assert_int_equal(app_open(f->db, 0, &f->a, &e), ST_OK);
	assert_int_equal(verified(f->a), 4);
}

/* A keyed chain whose key is gone: writers are refused, verify says so. */
static void
test_missing_key(void **state)
{
	struct fx *f = *state;
	struct app *w = NULL;
	struct err e;
	uint64_t n;
	char want[256];

	add_partner(f->a, "Acme");
	app_close(f->a);
	assert_int_equal(unlink(f->keyfile), 0);
	audit_key_forget();
	err_clear(&e);
	assert_int_equal(app_open(f->db, 0, &w, &e), ST_CONFIG);
	snprintf(want, sizeof want, "audit key %s: No such file or directory: the audit chain is keyed, "
	    "so nothing is written without the key (restore it)", f->keyfile);
	assert_string_equal(e.msg, want);
	assert_int_equal(app_open(f->db, APP_RDONLY, &f->a, &e), ST_OK);
	err_clear(&e);
	assert_int_equal(app_audit_verify(f->a, &n, &e), ST_CONFIG);
	snprintf(want, sizeof want, "audit key %s: No such file or directory: entries from A1 on are keyed "
	    "and cannot be verified without it", f->keyfile);
	assert_string_equal(e.msg, want);
}

/* A key file others may read is refused rather than trusted. */
static void
test_loose_key_refused(void **state)
{
	struct fx *f = *state;
	unsigned char k[AUDIT_KEY_BYTES];
	struct err e;

	assert_int_equal(chmod(f->keyfile, 0644), 0);
	err_clear(&e);
	assert_int_equal(audit_key_read(f->keyfile, k, &e), ST_CONFIG);
	assert_non_null(strstr(e.msg, "others may read or write it (mode 0644)"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_makes_a_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entries_are_hmac, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_key_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rekey_carries_an_old_chain_over, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loose_key_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
