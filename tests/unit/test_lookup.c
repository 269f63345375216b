/*
 * test_lookup.c - folding (core/fold.c), the word indexes kept by
 * rec_put/rec_del (store/), and app_lookup over them: any word, accents
 * and case folded, referred contacts, the ranking and the count.  The app
 * cases run on LMDB and in memory.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/lookup.h"
#include "app_fixture.h"
#include "core/fold.h"
#include "store/store.h"

/* ---- folding ---- */

static void
test_fold_words(void **state)
{
	struct fold_words w;

	(void)state;
	fold_words("Zoë Müller-Łukasz", &w);
	assert_int_equal(w.n, 3);
	assert_string_equal(w.w[0], "zoe");
	assert_string_equal(w.w[1], "muller");
	assert_string_equal(w.w[2], "lukasz");
	fold_words("ÆSØP straße Œuvre ĳssel Þór đ", &w);
	assert_int_equal(w.n, 6);
	assert_string_equal(w.w[0], "aesop");
	assert_string_equal(w.w[1], "strasse");
	assert_string_equal(w.w[2], "oeuvre");
	assert_string_equal(w.w[3], "ijssel");
	assert_string_equal(w.w[4], "thor");
	assert_string_equal(w.w[5], "d");
	/* decomposed input (e + U+0308) folds the same; marks vanish */
	fold_words("Zoe\xcc\x88 ann.lee+x@example.com ANN", &w);
	assert_int_equal(w.n, 6);
	assert_string_equal(w.w[0], "zoe");
	assert_string_equal(w.w[1], "ann");
	assert_string_equal(w.w[2], "lee");
	assert_string_equal(w.w[3], "x");
	assert_string_equal(w.w[4], "example");
	assert_string_equal(w.w[5], "com");     /* ANN: a word already there */
}

static void
test_fold_other_scripts_and_bad_bytes(void **state)
{
	struct fold_words w;
	char longw[100];

	(void)state;
	/* Greek and CJK kept as they are; the ideographic space, the
	 * multiplication sign, an invalid byte and punctuation separate */
	fold_words("Αθηνά\xe3\x80\x80東京 a\xc3\x97" "b c\xff" "d «e»", &w);
	assert_int_equal(w.n, 7);
	assert_string_equal(w.w[0], "Αθηνά");
	assert_string_equal(w.w[1], "東京");
	assert_string_equal(w.w[2], "a");
	assert_string_equal(w.w[3], "b");
	assert_string_equal(w.w[4], "c");
	assert_string_equal(w.w[5], "d");
	assert_string_equal(w.w[6], "e");
	/* a long word keeps its first FOLD_WORD_MAX bytes, whole characters */
	memset(longw, 'x', sizeof longw);
	memcpy(longw + FOLD_WORD_MAX - 1, "\xc3\xa9", 2);       /* é across the limit */
	longw[sizeof longw - 1] = '\0';
	fold_words(longw, &w);
	assert_int_equal(w.n, 1);
	assert_int_equal(strlen(w.w[0]), FOLD_WORD_MAX);
	fold_words(NULL, &w);
	assert_int_equal(w.n, 0);
	fold_words(" -- @ ", &w);
	assert_int_equal(w.n, 0);
}

/* ---- the word index in the store ---- */

static size_t
words_of(struct store *s, enum index ix, const char *prefix, uint64_t *who)
{
	struct txn *t = txn_begin_read(s);
	struct key k;
	enum word_field f;
	uint64_t id;
	char word[64];
	size_t n = 0;

	key_init(&k);
	key_prefix_str(&k, prefix, false);
	STORE_FOREACH(it, id, iter_index(t, ix, &k, false)) {
		assert_true(iter_word(it, word, sizeof word, who, &f));
		n++;
	}
	txn_end(t);
	return n;
}

static enum status
put_referrer(struct txn *t, void *ctx)
{
	return rec_put(t, KIND_REFERRER, ctx);
}

static enum status
del_referrer(struct txn *t, void *ctx)
{
	return rec_del(t, KIND_REFERRER, *(uint64_t *)ctx);
}

static void
count_problem(void *ctx, const char *line)
{
	(void)line;
	++*(int *)ctx;
}

static int
problems(struct store *s)
{
	struct txn *t = txn_begin_read(s);
	int n = 0;

	store_verify(t, count_problem, &n);
	txn_end(t);
	return n;
}

static void
test_store_word_index(void **state)
{
	struct referrer r = { .kind = REFERRER_CUSTOMER };
	struct store *s;
	struct err e;
	uint64_t who = 0;

	(void)state;
	assert_int_equal(store_open_mem(&s, &e), ST_OK);
	r.name = (char *)"Zoë Tanaka";
	r.email = (char *)"zoe.t@mail.example.com";
	assert_int_equal(store_write(s, put_referrer, &r, &e), ST_OK);
	/* zoe once from the name, once from the e-mail; com left out */
	assert_int_equal(words_of(s, IDX_REFERRER_WORD, "zoe", &who), 2);
	assert_int_equal(who, r.id);
	assert_int_equal(words_of(s, IDX_REFERRER_WORD, "tanaka", &who), 1);
	assert_int_equal(words_of(s, IDX_REFERRER_WORD, "mail", &who), 1);
	assert_int_equal(words_of(s, IDX_REFERRER_WORD, "com", &who), 0);
	assert_int_equal(problems(s), 0);
	/* a new name: the old words go, the new come, the e-mail's stay */
	r.name = (char *)"Zoë Sato";
	assert_int_equal(store_write(s, put_referrer, &r, &e), ST_OK);
	assert_int_equal(words_of(s, IDX_REFERRER_WORD, "tanaka", &who), 0);
	assert_int_equal(words_of(s, IDX_REFERRER_WORD, "sato", &who), 1);
	assert_int_equal(words_of(s, IDX_REFERRER_WORD, "zoe", &who), 2);
	assert_int_equal(problems(s), 0);
	r.name = r.email = NULL;
	assert_int_equal(store_write(s, del_referrer, &r.id, &e), ST_OK);
	assert_int_equal(words_of(s, IDX_REFERRER_WORD, "", &who), 0);
	store_close(s);
}

/* ---- app_lookup ---- */

struct found {
	char rows[16][3][96];   /* id, name, match */
	size_t n;
};

static enum status
found_row(void *ctx, const struct row *r)
{
	struct found *fd = ctx;
	size_t i;

	if (fd->n == 16)
		return ST_OK;
	for (i = 0; i < r->n; i++) {
		const char *v = r->c[i].s ? r->c[i].s : "";
		if (strcmp(r->c[i].name, "id") == 0)
			snprintf(fd->rows[fd->n][0], 96, "%s", v);
		else if (strcmp(r->c[i].name, "name") == 0)
			snprintf(fd->rows[fd->n][1], 96, "%s", v);
		else if (strcmp(r->c[i].name, "match") == 0)
			snprintf(fd->rows[fd->n][2], 96, "%s", v);
	}
	fd->n++;
	return ST_OK;
}

static uint64_t
find(struct fx *f, const char *q, size_t max, struct found *fd)
{
	struct lookup_count c;
	struct err e;

	memset(fd, 0, sizeof *fd);
	err_clear(&e);
	assert_int_equal(app_lookup(f->a, q, max, found_row, fd, &c, &e), ST_OK);
	assert_false(c.more);
	return c.total;
}

static void
customer(struct fx *f, const char *email, const char *name, const char *vanity)
{
	struct code_input in = { .program = "Spring", .customer = email, .name = name,
	    .vanity = vanity };
	struct code c;
	char *link = NULL;
	struct err e;

	memset(&c, 0, sizeof c);
	err_clear(&e);
	if (app_code_new(f->a, &in, &c, &link, &e) != ST_OK)
		fail_msg("code for %s: %s", email, e.msg);
	app_record_free(KIND_CODE, &c);
	free(link);
}

static void
contact(struct fx *f, const char *code, const char *email, const char *name)
{
	struct event_input in = { .type = "referral", .code = code, .email = email, .name = name,
	    .at = "2026-10-01" };
	struct event_result r;
	struct err e;

	err_clear(&e);
	if (app_track(f->a, &in, &r, &e) != ST_OK)
		fail_msg("referral %s: %s", email, e.msg);
}

static void
setup_people(struct fx *f)
{
	fx_program(f, "Spring", "percent 10", NULL);
	customer(f, "anna@example.com", "Anna Tanaka", "ANNA1");       /* R1 */
	customer(f, "zoe.x@example.com", "Zoë Lindqvist", "ZOE22");    /* R2 */
	customer(f, "bo@example.com", "Bo Tanakawa", "BOBO3");         /* R3 */
	customer(f, "cy@example.com", "Cy Weber", "CYCY4");            /* R4 */
	contact(f, "CYCY4", "kenji.tanaka@firm.example.org", "Kenji Tanaka");
	contact(f, "BOBO3", "mo@shop.example.net", "Mo Lindqvist");
}

static void
test_lookup_any_word(void **state)
{
	struct fx *f = *state;
	struct found fd;

	setup_people(f);
	/* a surname: whole name words first, a whole contact word next, then
	 * a name word that only starts with it */
	assert_int_equal(find(f, "tanaka", 10, &fd), 3);
	assert_string_equal(fd.rows[0][1], "Anna Tanaka");
	assert_string_equal(fd.rows[0][2], "name");
	assert_string_equal(fd.rows[1][1], "Cy Weber");
	assert_string_equal(fd.rows[1][2], "contact Kenji Tanaka");
	assert_string_equal(fd.rows[2][1], "Bo Tanakawa");
	/* accent-free and upper case */
	assert_int_equal(find(f, "ZOE", 10, &fd), 1);
	assert_string_equal(fd.rows[0][1], "Zoë Lindqvist");
	/* a referred contact's whole e-mail, top-level domain and all */
	assert_int_equal(find(f, "kenji.tanaka@firm.example.org", 10, &fd), 1);
	assert_string_equal(fd.rows[0][0], "R4");
	assert_string_equal(fd.rows[0][2], "contact Kenji Tanaka");
	assert_int_equal(find(f, "firm.example", 10, &fd), 1);
	assert_string_equal(fd.rows[0][2], "contact kenji.tanaka@firm.example.org");
	/* every word must match, across the referrer's own and its contacts' */
	assert_int_equal(find(f, "lindqvist bo", 10, &fd), 1);
	assert_string_equal(fd.rows[0][1], "Bo Tanakawa");
	assert_int_equal(find(f, "lindqvist zoe", 10, &fd), 1);
	/* codes by their start */
	assert_int_equal(find(f, "zoe2", 10, &fd), 1);
	assert_string_equal(fd.rows[0][2], "code ZOE22");
	assert_int_equal(find(f, "nobody", 10, &fd), 0);
	assert_int_equal(find(f, "  ", 10, &fd), 0);
	/* the count covers every match, also those not returned */
	assert_int_equal(find(f, "example", 2, &fd), 4);
	assert_int_equal(fd.n, 2);
}

static void
test_lookup_follows_renames(void **state)
{
	struct fx *f = *state;
	struct partner_input in = { .name = "Quayside Media", .email = "hello@quay.example.com" };
	struct found fd;
	struct err e;
	uint64_t id = fx_partner(f, "Harbor", NULL);

	/* a partner becomes a referrer with its first code */
	fx_program(f, "Spring", "percent 10", NULL);
	fx_code(f, "Spring", "Harbor", NULL, "HARB1");
	assert_int_equal(find(f, "harbor", 10, &fd), 1);
	assert_string_equal(fd.rows[0][2], "name");
	err_clear(&e);
	assert_int_equal(app_partner_save(f->a, id, &in, NULL, &e), ST_OK);
	assert_int_equal(find(f, "harbor", 10, &fd), 0);
	assert_int_equal(find(f, "quay", 10, &fd), 1);
	assert_string_equal(fd.rows[0][1], "Quayside Media");
	assert_int_equal(find(f, "hello", 10, &fd), 1);
	assert_string_equal(fd.rows[0][2], "e-mail");
}

static void
test_lookup_needs_a_staff_role(void **state)
{
	struct fx *f = *state;
	struct found fd;
	struct err e;

	setup_people(f);
	fx_as(f, ROLE_SUPPORT);
	assert_int_equal(find(f, "tanaka", 10, &fd), 3);
	fx_as(f, ROLE_PARTNER);
	err_clear(&e);
	assert_int_equal(app_lookup(f->a, "tanaka", 10, found_row, &fd, NULL, &e), ST_NOPERM);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_words),
		cmocka_unit_test(test_fold_other_scripts_and_bad_bytes),
		cmocka_unit_test(test_store_word_index),
		FX_CASE(test_lookup_any_word),
		FX_CASE(test_lookup_follows_renames),
		FX_CASE(test_lookup_needs_a_staff_role),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
