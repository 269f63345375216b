/*
 * test_code.c - referral codes (generation, vanity checks, lookup form,
 * links), e-mail normalisation, and the names of records and their enums.
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

#include "domain/code.h"
#include "domain/email.h"
#include "domain/names.h"
#include "domain/records.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* --- generation ----------------------------------------------------- */

static void
gen(unsigned char b0, unsigned char b1, unsigned char b2, unsigned char b3,
    unsigned char b4, char out[CODE_GEN_LEN + 1])
{
	const unsigned char r[5] = { b0, b1, b2, b3, b4 };

	memset(out, '#', CODE_GEN_LEN + 1);
	code_generate(r, out);
}

static void
test_generate_all_zero(void **state)
{
	char c[CODE_GEN_LEN + 1];

	(void)state;
	gen(0, 0, 0, 0, 0, c);
	assert_string_equal(c, "00000000");
}

static void
test_generate_all_ones(void **state)
{
	char c[CODE_GEN_LEN + 1];

	(void)state;
	gen(0xff, 0xff, 0xff, 0xff, 0xff, c);
	assert_string_equal(c, "ZZZZZZZZ");
}

static void
test_generate_most_significant_first(void **state)
{
	char c[CODE_GEN_LEN + 1];

	(void)state;
	/* 00001 repeated eight times. */
	gen(0x08, 0x42, 0x10, 0x84, 0x21, c);
	assert_string_equal(c, "11111111");
	/* Only the top five bits set: the first character carries them. */
	gen(0xf8, 0, 0, 0, 0, c);
	assert_string_equal(c, "Z0000000");
	/* Only the lowest five bits set: the last character. */
	gen(0, 0, 0, 0, 0x1f, c);
	assert_string_equal(c, "0000000Z");
}

static void
test_generate_groups_map_to_alphabet(void **state)
{
	char c[CODE_GEN_LEN + 1];

	(void)state;
	/* groups 0..7 -> 00000 00001 00010 00011 00100 00101 00110 00111 */
	gen(0x00, 0x44, 0x32, 0x14, 0xc7, c);
	assert_string_equal(c, "01234567");
	/* groups 17..24: H J K M N P Q R (I and L skipped) */
	gen(0x8c, 0xa7, 0x4a, 0xda, 0xf8, c);
	assert_string_equal(c, "HJKMNPQR");
	/* groups 25..31 and 0: S T V W X Y Z 0 (U skipped) */
	gen(0xce, 0xb7, 0xce, 0xfb, 0xe0, c);
	assert_string_equal(c, "STVWXYZ0");
}

/* Decode with an independent bit-by-bit loop: generation is lossless. */
static uint64_t
decode(const char *c)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < CODE_GEN_LEN; i++) {
		const char *p = strchr(alphabet, c[i]);

		assert_non_null(p);
		v = (v << 5) | (uint64_t)(p - alphabet);
	}
	return v;
}

static void
test_generate_alphabet_length_and_round_trip(void **state)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	char c[CODE_GEN_LEN + 1];
	int i, j;

	(void)state;
	for (i = 0; i < 5000; i++) {
		unsigned char r[5];
		uint64_t v = 0;

		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		for (j = 0; j < 5; j++) {
			r[j] = (unsigned char)(x >> (8 * (j + 2)));
			v = (v << 8) | r[j];
		}
		memset(c, '#', sizeof c);
		code_generate(r, c);
		assert_int_equal(strlen(c), CODE_GEN_LEN);
		assert_int_equal(strspn(c, alphabet), CODE_GEN_LEN);
		assert_null(strpbrk(c, "ILOU"));
		assert_int_equal(decode(c), v);
	}
}

static void
test_generate_deterministic(void **state)
{
	const unsigned char r[5] = { 0x12, 0x34, 0x56, 0x78, 0x9a };
	char a[CODE_GEN_LEN + 1], b[CODE_GEN_LEN + 1];

	(void)state;
	code_generate(r, a);
	code_generate(r, b);
	assert_string_equal(a, b);
	assert_string_equal(a, "28T5CY4T");
}

/* --- vanity codes --------------------------------------------------- */

static void
vanity_ok(const char *in, const char *want)
{
	char out[CODE_MAX_LEN + 1];
	struct err e;

	err_clear(&e);
	if (code_vanity_check(in, out, "--code", &e) != ST_OK)
		fail_msg("code_vanity_check(\"%s\"): %s", in, e.msg);
	assert_string_equal(out, want);
}

static void
vanity_fails(const char *in, const char *msg)
{
	char out[CODE_MAX_LEN + 1];
	struct err e;

	err_clear(&e);
	memset(out, '#', sizeof out);
	assert_int_equal(code_vanity_check(in, out, "--code", &e), ST_DATA);
	assert_int_equal(e.st, ST_DATA);
	assert_string_equal(e.msg, msg);
	assert_int_equal(out[0], '#');
}

static void
test_vanity_upper_cases(void **state)
{
	(void)state;
	vanity_ok("summer-24", "SUMMER-24");
	vanity_ok("Alice", "ALICE");
	vanity_ok("ALICE", "ALICE");
}

static void
test_vanity_shortest_and_longest(void **state)
{
	(void)state;
	vanity_ok("abc", "ABC");
	vanity_ok("0-0", "0-0");
	vanity_ok("abcdefghijklmnopqrstuvwxyz012345", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345");
}

static void
test_vanity_letters_crockford_leaves_out(void **state)
{
	(void)state;
	vanity_ok("oil-lu", "OIL-LU");
	vanity_ok("a--", "A--");
}

static void
test_vanity_empty(void **state)
{
	(void)state;
	vanity_fails("", "--code: empty");
	vanity_fails(NULL, "--code: empty");
}

static void
test_vanity_too_short(void **state)
{
	(void)state;
	vanity_fails("ab", "--code: must be 3 to 32 characters long, not 2");
	vanity_fails("a", "--code: must be 3 to 32 characters long, not 1");
}

static void
test_vanity_too_long(void **state)
{
	(void)state;
	vanity_fails("abcdefghijklmnopqrstuvwxyz0123456",
	    "--code: must be 3 to 32 characters long, not 33");
}

static void
test_vanity_first_character(void **state)
{
	(void)state;
	vanity_fails("-abc", "--code: must start with a letter or digit");
	vanity_fails("--", "--code: must start with a letter or digit");
}

static void
test_vanity_bad_character(void **state)
{
	(void)state;
	vanity_fails("ab_c", "--code: character 3 '_' is not allowed (use A-Z, 0-9 and -)");
	vanity_fails("sale!", "--code: character 5 '!' is not allowed (use A-Z, 0-9 and -)");
	vanity_fails("ab c", "--code: character 3 (byte 0x20) is not allowed (use A-Z, 0-9 and -)");
	vanity_fails("ab\tc", "--code: character 3 (byte 0x09) is not allowed (use A-Z, 0-9 and -)");
	vanity_fails("ab\xc3\xa9", "--code: character 3 (byte 0xc3) is not allowed (use A-Z, 0-9 and -)");
}

static void
test_vanity_bad_character_beats_length(void **state)
{
	(void)state;
	vanity_fails("a_", "--code: character 2 '_' is not allowed (use A-Z, 0-9 and -)");
}

static void
test_vanity_null_err(void **state)
{
	char out[CODE_MAX_LEN + 1];

	(void)state;
	assert_int_equal(code_vanity_check("x", out, "code", NULL), ST_DATA);
}

/* --- lookup form ---------------------------------------------------- */

static void
test_normalise_upper_cases_and_trims(void **state)
{
	char out[CODE_MAX_LEN + 1];

	(void)state;
	assert_true(code_normalise("summer-24", out));
	assert_string_equal(out, "SUMMER-24");
	assert_true(code_normalise("  7k3mq9xz\n", out));
	assert_string_equal(out, "7K3MQ9XZ");
	assert_true(code_normalise("x", out));
	assert_string_equal(out, "X");
	assert_true(code_normalise("abcdefghijklmnopqrstuvwxyz012345", out));
	assert_string_equal(out, "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345");
}

static void
test_normalise_rejects_non_codes(void **state)
{
	char out[CODE_MAX_LEN + 1];

	(void)state;
	assert_false(code_normalise(NULL, out));
	assert_false(code_normalise("", out));
	assert_false(code_normalise("   ", out));
	assert_false(code_normalise("a b", out));
	assert_false(code_normalise("a_b", out));
	assert_false(code_normalise("ab\xc3\xa9", out));
	assert_false(code_normalise("abcdefghijklmnopqrstuvwxyz0123456", out));
}

/* --- links ---------------------------------------------------------- */

static void
link_is(const char *landing, const char *code, const char *want)
{
	struct sbuf b;

	sbuf_init(&b);
	code_link(landing, code, &b);
	assert_string_equal(sbuf_str(&b), want);
	sbuf_free(&b);
}

static void
test_link_without_landing(void **state)
{
	(void)state;
	link_is(NULL, "ABC123", "ABC123");
	link_is("", "ABC123", "ABC123");
}

static void
test_link_plain_url(void **state)
{
	(void)state;
	link_is("https://shop.example.com/", "ABC123", "https://shop.example.com/?ref=ABC123");
	link_is("https://shop.example.com", "ABC123", "https://shop.example.com?ref=ABC123");
}

static void
test_link_existing_query(void **state)
{
	(void)state;
	link_is("https://x.example/p?utm_source=ally", "K1",
	    "https://x.example/p?utm_source=ally&ref=K1");
	link_is("https://x.example/p?a=1&b=2", "K1", "https://x.example/p?a=1&b=2&ref=K1");
}

static void
test_link_query_already_open(void **state)
{
	(void)state;
	link_is("https://x.example/p?", "K1", "https://x.example/p?ref=K1");
	link_is("https://x.example/p?a=1&", "K1", "https://x.example/p?a=1&ref=K1");
}

static void
test_link_fragment_stays_last(void **state)
{
	(void)state;
	link_is("https://x.example/p#pricing", "K1", "https://x.example/p?ref=K1#pricing");
	link_is("https://x.example/p?a=1#pricing", "K1", "https://x.example/p?a=1&ref=K1#pricing");
	link_is("https://x.example/p#a?b", "K1", "https://x.example/p?ref=K1#a?b");
}

static void
test_link_template(void **state)
{
	(void)state;
	link_is("https://x.example/r/{code}", "SUMMER-24", "https://x.example/r/SUMMER-24");
	link_is("https://x.example/?via={code}&x=1", "K1", "https://x.example/?via=K1&x=1");
	link_is("{code}", "K1", "K1");
}

static void
test_link_template_twice(void **state)
{
	(void)state;
	link_is("https://x.example/{code}?c={code}", "K1", "https://x.example/K1?c=K1");
}

static void
test_link_appends(void **state)
{
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	sbuf_add(&b, "link: ");
	code_link("https://x.example", "K1", &b);
	assert_string_equal(sbuf_str(&b), "link: https://x.example?ref=K1");
	sbuf_free(&b);
}

/* --- e-mail --------------------------------------------------------- */

static void
email_ok(const char *in, const char *want)
{
	struct err e;
	char *out = NULL;

	err_clear(&e);
	if (email_normalise(in, &out, "--email", &e) != ST_OK)
		fail_msg("email_normalise(\"%s\"): %s", in, e.msg);
	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
}

static void
email_fails(const char *in, const char *msg)
{
	char sentinel[] = "untouched";
	char *out = sentinel;
	struct err e;

	err_clear(&e);
	assert_int_equal(email_normalise(in, &out, "--email", &e), ST_DATA);
	assert_int_equal(e.st, ST_DATA);
	assert_string_equal(e.msg, msg);
	assert_ptr_equal(out, sentinel);
}

static void
test_email_lower_and_trim(void **state)
{
	(void)state;
	email_ok("  Bob@Example.COM \n", "bob@example.com");
	email_ok("bob@example.com", "bob@example.com");
	email_ok("\tAlice.Smith+Promo@Mail.Example.co.UK\r\n", "alice.smith+promo@mail.example.co.uk");
}

static void
test_email_non_ascii_kept(void **state)
{
	(void)state;
	email_ok("J\xc3\x9crgen@Example.DE", "j\xc3\x9crgen@example.de");
}

static void
test_email_empty(void **state)
{
	(void)state;
	email_fails("", "--email: empty");
	email_fails(" \t\n", "--email: empty");
	email_fails(NULL, "--email: empty");
}

static void
test_email_no_at(void **state)
{
	(void)state;
	email_fails("bob.example.com", "--email: \"bob.example.com\" has no @");
}

static void
test_email_two_ats(void **state)
{
	(void)state;
	email_fails("bob@home@example.com", "--email: \"bob@home@example.com\" has more than one @");
}

static void
test_email_nothing_before_at(void **state)
{
	(void)state;
	email_fails("@example.com", "--email: nothing before the @");
}

static void
test_email_nothing_after_at(void **state)
{
	(void)state;
	email_fails("bob@", "--email: nothing after the @");
}

static void
test_email_domain_without_dot(void **state)
{
	(void)state;
	email_fails("bob@localhost", "--email: domain \"localhost\" has no dot");
}

static void
test_email_domain_empty_part(void **state)
{
	(void)state;
	email_fails("bob@.example.com", "--email: domain \".example.com\" has an empty part between dots");
	email_fails("bob@example.com.", "--email: domain \"example.com.\" has an empty part between dots");
	email_fails("bob@example..com", "--email: domain \"example..com\" has an empty part between dots");
}

static void
test_email_blank_inside(void **state)
{
	(void)state;
	email_fails("bob smith@example.com", "--email: contains a blank");
	email_fails("bob@exa\tmple.com", "--email: contains a blank");
}

static void
test_email_control_character(void **state)
{
	(void)state;
	email_fails("bob\x01@example.com", "--email: contains a control character");
	email_fails("bob@example.com\x7f", "--email: contains a control character");
	email_fails("bob@exam\nple.com", "--email: contains a control character");
}

static void
test_email_length_limits(void **state)
{
	char buf[300], want[300];

	(void)state;
	/* 64 + 1 + 189 = 254 bytes: accepted. */
	memset(buf, 'a', 64);
	buf[64] = '@';
	memset(buf + 65, 'b', 185);
	memcpy(buf + 250, ".com", 5);
	assert_int_equal(strlen(buf), 254);
	memcpy(want, buf, sizeof want);
	email_ok(buf, want);
	/* One more byte in the domain: refused. */
	memset(buf + 65, 'b', 186);
	memcpy(buf + 251, ".com", 5);
	assert_int_equal(strlen(buf), 255);
	email_fails(buf, "--email: longer than 254 bytes");
}

static void
test_email_local_part_limit(void **state)
{
	char buf[100];

	(void)state;
	memset(buf, 'a', 65);
	memcpy(buf + 65, "@example.com", 13);
	email_fails(buf, "--email: more than 64 bytes before the @");
}

static void
test_email_length_counts_after_trim(void **state)
{
	char buf[300];

	(void)state;
	/* 254 bytes plus blanks around is still fine. */
	memset(buf, ' ', 3);
	memset(buf + 3, 'a', 64);
	buf[67] = '@';
	memset(buf + 68, 'b', 185);
	memcpy(buf + 253, ".com   ", 8);
	{
		char *out = NULL;

		assert_int_equal(email_normalise(buf, &out, "e", NULL), ST_OK);
		assert_int_equal(strlen(out), 254);
		free(out);
	}
}

/* --- record names --------------------------------------------------- */

static void
test_kind_prefixes(void **state)
{
	(void)state;
	assert_string_equal(kind_prefix(KIND_SETTINGS), "");
	assert_string_equal(kind_prefix(KIND_USER), "U");
	assert_string_equal(kind_prefix(KIND_PROGRAM), "PG");
	assert_string_equal(kind_prefix(KIND_TIER), "T");
	assert_string_equal(kind_prefix(KIND_PARTNER), "P");
	assert_string_equal(kind_prefix(KIND_AGREEMENT), "AG");
	assert_string_equal(kind_prefix(KIND_REFERRER), "R");
	assert_string_equal(kind_prefix(KIND_CODE), "K");
	assert_string_equal(kind_prefix(KIND_REFERRAL), "RF");
	assert_string_equal(kind_prefix(KIND_CONVERSION), "CV");
	assert_string_equal(kind_prefix(KIND_REFUND), "RD");
	assert_string_equal(kind_prefix(KIND__COUNT), "");
}

static void
test_kind_prefixes_unique(void **state)
{
	int a, b;

	(void)state;
	for (a = KIND_USER; a < KIND__COUNT; a++) {
		assert_true(strlen(kind_prefix((enum kind)a)) >= 1);
		assert_true(strlen(kind_prefix((enum kind)a)) <= 2);
		for (b = a + 1; b < KIND__COUNT; b++)
			assert_string_not_equal(kind_prefix((enum kind)a), kind_prefix((enum kind)b));
	}
}

static void
test_kind_names(void **state)
{
	(void)state;
	assert_string_equal(kind_name(KIND_SETTINGS), "settings");
	assert_string_equal(kind_name(KIND_USER), "user");
	assert_string_equal(kind_name(KIND_PROGRAM), "program");
	assert_string_equal(kind_name(KIND_TIER), "tier");
	assert_string_equal(kind_name(KIND_PARTNER), "partner");
	assert_string_equal(kind_name(KIND_AGREEMENT), "agreement");
	assert_string_equal(kind_name(KIND_REFERRER), "referrer");
	assert_string_equal(kind_name(KIND_CODE), "code");
	assert_string_equal(kind_name(KIND_REFERRAL), "referral");
	assert_string_equal(kind_name(KIND_CONVERSION), "conversion");
	assert_string_equal(kind_name(KIND_REFUND), "refund");
	assert_string_equal(kind_name(KIND__COUNT), "record");
}

static void
test_roles(void **state)
{
	static const char *const names[] = { "admin", "manager", "support", "partner" };
	enum role r;
	int i;

	(void)state;
	assert_string_equal(role_name(ROLE_ADMIN), "admin");
	assert_string_equal(role_name(ROLE_MANAGER), "manager");
	assert_string_equal(role_name(ROLE_SUPPORT), "support");
	assert_string_equal(role_name(ROLE_PARTNER), "partner");
	for (i = 0; i < 4; i++) {
		assert_true(role_parse(names[i], &r));
		assert_int_equal(r, ROLE_ADMIN + i);
		assert_string_equal(role_name(r), names[i]);
	}
	assert_true(role_parse("Admin", &r));
	assert_int_equal(r, ROLE_ADMIN);
	r = ROLE_SUPPORT;
	assert_false(role_parse("root", &r));
	assert_false(role_parse("", &r));
	assert_false(role_parse(NULL, &r));
	assert_int_equal(r, ROLE_SUPPORT);
	assert_string_equal(role_name((enum role)0), "unknown");
	assert_string_equal(role_name((enum role)99), "unknown");
}

static void
test_program_status_names(void **state)
{
	(void)state;
	assert_string_equal(program_status_name(PROGRAM_DRAFT), "draft");
	assert_string_equal(program_status_name(PROGRAM_ACTIVE), "active");
	assert_string_equal(program_status_name(PROGRAM_PAUSED), "paused");
	assert_string_equal(program_status_name(PROGRAM_ENDED), "ended");
	assert_string_equal(program_status_name(-1), "unknown");
	assert_string_equal(program_status_name(4), "unknown");
}

static void
test_partner_kinds(void **state)
{
	static const char *const names[] = { "reseller", "affiliate", "agency", "integration" };
	int32_t k;
	int i;

	(void)state;
	for (i = 0; i < 4; i++) {
		assert_true(partner_kind_parse(names[i], &k));
		assert_int_equal(k, i);
		assert_string_equal(partner_kind_name(k), names[i]);
	}
	assert_int_equal(PKIND_INTEGRATION, 3);
	assert_true(partner_kind_parse("AGENCY", &k));
	assert_int_equal(k, PKIND_AGENCY);
	k = 7;
	assert_false(partner_kind_parse("vendor", &k));
	assert_false(partner_kind_parse(NULL, &k));
	assert_int_equal(k, 7);
	assert_string_equal(partner_kind_name(-1), "unknown");
	assert_string_equal(partner_kind_name(4), "unknown");
}

static void
test_partner_status_names(void **state)
{
	(void)state;
	assert_string_equal(partner_status_name(PARTNER_INVITED), "invited");
	assert_string_equal(partner_status_name(PARTNER_ACTIVE), "active");
	assert_string_equal(partner_status_name(PARTNER_SUSPENDED), "suspended");
	assert_string_equal(partner_status_name(3), "unknown");
}

static void
test_referral_status_names(void **state)
{
	(void)state;
	assert_string_equal(referral_status_name(REFERRAL_PENDING), "pending");
	assert_string_equal(referral_status_name(REFERRAL_CONVERTED), "converted");
	assert_string_equal(referral_status_name(REFERRAL_EXPIRED), "expired");
	assert_string_equal(referral_status_name(REFERRAL_REJECTED), "rejected");
	assert_string_equal(referral_status_name(-2), "unknown");
	assert_string_equal(referral_status_name(4), "unknown");
}

/* --- names that read as ids ---------------------------------------- */

static void
test_names_id_like(void **state)
{
	static const char *const ids[] = { "1", "12", "007", "P1", "p1", "P99", "PG7", "pg7",
		"RF12", "rf12", "T3", "C3501", "D4", "U2", "AG1", "CV9", "RD3", "PB2", "K5", "R8",
		"A1", "M2", "I3", "Pg0" };
	static const char *const names[] = { "", "P", "PG", "P1 Ltd", "P 1", "P-1", "P1a", "X12",
		"12 Monkeys", "RF12b", "Acme", "1.5", "-12", "PX1", "Q1", "B2", "Spring 2026" };
	size_t i;
	struct err e;

	(void)state;
	for (i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		if (!names_id_like(ids[i]))
			fail_msg("\"%s\" should read as an id", ids[i]);
	}
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (names_id_like(names[i]))
			fail_msg("\"%s\" should not read as an id", names[i]);
	}
	assert_false(names_id_like(NULL));
	/* every kind's prefix is covered, whatever records.c adds */
	for (i = 0; i < KIND__COUNT; i++) {
		char id[16];
		if (kind_prefix((enum kind)i)[0] == '\0')
			continue;
		snprintf(id, sizeof id, "%s42", kind_prefix((enum kind)i));
		assert_true(names_id_like(id));
	}
	err_clear(&e);
	assert_int_equal(names_check("P1", "name", &e), ST_DATA);
	assert_string_equal(e.msg,
	    "name: \"P1\" looks like a record id (like P3, RF12 or 12) and would be ambiguous");
	err_clear(&e);
	assert_int_equal(names_check("Acme", "name", &e), ST_OK);
	assert_int_equal(e.st, ST_OK);
}

/* e-mails refuse C1 controls and invalid UTF-8 like other text */
static void
test_email_refuses_c1(void **state)
{
	struct err e;
	char *out = NULL;

	(void)state;
	err_clear(&e);
	assert_int_equal(email_normalise("a\xc2\x85@b.example", &out, "email", &e), ST_DATA);
	assert_string_equal(e.msg, "email: contains a control character");
	err_clear(&e);
	assert_int_equal(email_normalise("a\xff@b.example", &out, "email", &e), ST_DATA);
	assert_string_equal(e.msg, "email: not valid UTF-8");
	assert_null(out);
	assert_int_equal(email_normalise("j\xc3\xb6rg@b.example", &out, "email", &e), ST_OK);
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_id_like),
		cmocka_unit_test(test_email_refuses_c1),
		cmocka_unit_test(test_generate_all_zero),
		cmocka_unit_test(test_generate_all_ones),
		cmocka_unit_test(test_generate_most_significant_first),
		cmocka_unit_test(test_generate_groups_map_to_alphabet),
		cmocka_unit_test(test_generate_alphabet_length_and_round_trip),
		cmocka_unit_test(test_generate_deterministic),
		cmocka_unit_test(test_vanity_upper_cases),
		cmocka_unit_test(test_vanity_shortest_and_longest),
		cmocka_unit_test(test_vanity_letters_crockford_leaves_out),
		cmocka_unit_test(test_vanity_empty),
		cmocka_unit_test(test_vanity_too_short),
		cmocka_unit_test(test_vanity_too_long),
		cmocka_unit_test(test_vanity_first_character),
		cmocka_unit_test(test_vanity_bad_character),
		cmocka_unit_test(test_vanity_bad_character_beats_length),
		cmocka_unit_test(test_vanity_null_err),
		cmocka_unit_test(test_normalise_upper_cases_and_trims),
		cmocka_unit_test(test_normalise_rejects_non_codes),
		cmocka_unit_test(test_link_without_landing),
		cmocka_unit_test(test_link_plain_url),
		cmocka_unit_test(test_link_existing_query),
		cmocka_unit_test(test_link_query_already_open),
		cmocka_unit_test(test_link_fragment_stays_last),
		cmocka_unit_test(test_link_template),
		cmocka_unit_test(test_link_template_twice),
		cmocka_unit_test(test_link_appends),
		cmocka_unit_test(test_email_lower_and_trim),
		cmocka_unit_test(test_email_non_ascii_kept),
		cmocka_unit_test(test_email_empty),
		cmocka_unit_test(test_email_no_at),
		cmocka_unit_test(test_email_two_ats),
		cmocka_unit_test(test_email_nothing_before_at),
		cmocka_unit_test(test_email_nothing_after_at),
		cmocka_unit_test(test_email_domain_without_dot),
		cmocka_unit_test(test_email_domain_empty_part),
		cmocka_unit_test(test_email_blank_inside),
		cmocka_unit_test(test_email_control_character),
		cmocka_unit_test(test_email_length_limits),
		cmocka_unit_test(test_email_local_part_limit),
		cmocka_unit_test(test_email_length_counts_after_trim),
		cmocka_unit_test(test_kind_prefixes),
		cmocka_unit_test(test_kind_prefixes_unique),
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_program_status_names),
		cmocka_unit_test(test_partner_kinds),
		cmocka_unit_test(test_partner_status_names),
		cmocka_unit_test(test_referral_status_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
