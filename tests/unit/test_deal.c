/*
 * test_deal.c - deal registration rules, pure: domain normalisation (every
 * case DESIGN.md and ally(1) name, and what is refused), company keys (case,
 * punctuation, legal suffixes, several of them), the blocking rule at the
 * exact end of exclusivity, and the stage machine.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/deal.h"

/* ---- domains ---------------------------------------------------------- */

static void
dom_ok(const char *in, const char *want)
{
	struct err e;
	char *out = NULL;
	enum status st;

	err_clear(&e);
	st = deal_domain_normalise(in, &out, "domain", &e);
	if (st != ST_OK)
		fail_msg("\"%s\": want \"%s\", got error %s", in, want, e.msg);
	if (out == NULL || strcmp(out, want) != 0)
		fail_msg("\"%s\": want \"%s\", got \"%s\"", in, want, out ? out : "(null)");
	free(out);
}

static void
dom_bad(const char *in, const char *want_msg)
{
	struct err e;
	char *out = (char *)1;
	enum status st;

	err_clear(&e);
	st = deal_domain_normalise(in, &out, "domain", &e);
	if (st != ST_DATA)
		fail_msg("\"%s\": want ST_DATA, got %d (%s)", in ? in : "(null)", (int)st,
		    out && out != (char *)1 ? out : "");
	assert_null(out);
	assert_string_equal(e.msg, want_msg);
}

static void
test_domain_plain(void **state)
{
	(void)state;
	dom_ok("example.com", "example.com");
	dom_ok("sub.example.co.uk", "sub.example.co.uk");
	dom_ok("my-shop.example", "my-shop.example");
	dom_ok("  example.com\t", "example.com");      /* blanks around */
}

static void
test_domain_scheme(void **state)
{
	(void)state;
	dom_ok("https://example.com", "example.com");
	dom_ok("http://example.com", "example.com");
	dom_ok("HTTPS://example.com", "example.com");
	dom_ok("ftp://example.com", "example.com");
	dom_ok("//example.com", "example.com");        /* scheme-relative */
}

static void
test_domain_www(void **state)
{
	(void)state;
	dom_ok("www.example.com", "example.com");
	dom_ok("WWW.Example.COM", "example.com");
	dom_ok("https://www.example.com/", "example.com");
	/* only the "www." label goes */
	dom_ok("www2.example.com", "www2.example.com");
	dom_ok("wwwexample.com", "wwwexample.com");
	dom_ok("shop.www.example.com", "shop.www.example.com");
}

static void
test_domain_path_query_fragment(void **state)
{
	(void)state;
	dom_ok("example.com/pricing", "example.com");
	dom_ok("example.com/a/b/c.html", "example.com");
	dom_ok("example.com?x=1", "example.com");
	dom_ok("example.com#top", "example.com");
	dom_ok("example.com/p?q=1#f", "example.com");
	dom_ok("https://WWW.Example.com./pricing?x=1", "example.com");  /* deal.h's example */
	/* an @ in the query or path is not user info */
	dom_ok("https://example.com/?ref=a@b.com", "example.com");
	dom_ok("https://example.com/u/@someone", "example.com");
}

static void
test_domain_port_userinfo(void **state)
{
	(void)state;
	dom_ok("example.com:8080", "example.com");
	dom_ok("https://example.com:443/x", "example.com");
	dom_ok("https://user@example.com", "example.com");
	dom_ok("https://user:secret@www.example.com:8443/p?q#f", "example.com");
	dom_ok("ann@example.com", "example.com");       /* an e-mail address typed in */
}

static void
test_domain_case_and_trailing_dot(void **state)
{
	(void)state;
	dom_ok("EXAMPLE.COM", "example.com");
	dom_ok("Example.Com", "example.com");
	dom_ok("example.com.", "example.com");
	dom_ok("example.com./", "example.com");
	dom_ok("www.example.com.", "example.com");
	dom_ok("example.com..", "example.com");
}

static void
test_domain_punycode_kept(void **state)
{
	(void)state;
	dom_ok("xn--bcher-kva.de", "xn--bcher-kva.de");
	dom_ok("https://www.XN--BCHER-KVA.de/", "xn--bcher-kva.de");
}

static void
test_domain_refused(void **state)
{
	(void)state;
	/* IDN not in punycode, and other characters a host name cannot have */
	dom_bad("bücher.de", "domain: \"bücher.de\" is not a web domain (like example.com)");
	dom_bad("exa mple.com", "domain: \"exa mple.com\" is not a web domain (like example.com)");
	dom_bad("exa_mple.com", "domain: \"exa_mple.com\" is not a web domain (like example.com)");
	dom_bad("example.com;rm", "domain: \"example.com;rm\" is not a web domain (like example.com)");
	dom_bad("exam\x1bple.com", "domain: \"exam\x1bple.com\" is not a web domain (like example.com)");
	/* missing dot */
	dom_bad("localhost", "domain: \"localhost\" is not a web domain (like example.com)");
	dom_bad("https://intranet/", "domain: \"https://intranet/\" is not a web domain (like example.com)");
	/* empty labels */
	dom_bad(".example.com", "domain: \".example.com\" is not a web domain (like example.com)");
	dom_bad("example..com", "domain: \"example..com\" is not a web domain (like example.com)");
	/* nothing left once scheme, www., path are gone */
	dom_bad("https://", "domain: \"https://\" is not a web domain (like example.com)");
	dom_bad("www.", "domain: \"www.\" is not a web domain (like example.com)");
	dom_bad("/pricing", "domain: \"/pricing\" is not a web domain (like example.com)");
	dom_bad("   ", "domain: \"   \" is not a web domain (like example.com)");
	/* empty */
	dom_bad("", "domain: missing");
	dom_bad(NULL, "domain: missing");
}

static void
test_domain_too_long(void **state)
{
	char in[300];
	char *out;
	struct err e;
	size_t i;

	(void)state;
	/* 249 letters + ".com" = 253: the most a domain may have */
	for (i = 0; i < 249; i++)
		in[i] = 'a';
	strcpy(in + 249, ".com");
	err_clear(&e);
	assert_int_equal(deal_domain_normalise(in, &out, "domain", &e), ST_OK);
	assert_int_equal(strlen(out), 253);
	free(out);
	/* 254 */
	in[0] = 'b';
	memmove(in + 1, in, strlen(in) + 1);
	assert_int_equal(strlen(in), 254);
	err_clear(&e);
	assert_int_equal(deal_domain_normalise(in, &out, "domain", &e), ST_DATA);
	assert_null(out);
}

static void
test_domain_field_name_in_message(void **state)
{
	struct err e;
	char *out;

	(void)state;
	err_clear(&e);
	assert_int_equal(deal_domain_normalise("nodot", &out, "row 3: domain", &e), ST_DATA);
	assert_string_equal(e.msg, "row 3: domain: \"nodot\" is not a web domain (like example.com)");
}

/* ---- company keys ----------------------------------------------------- */

static void
key_is(const char *in, const char *want)
{
	char *k = deal_company_key(in);

	if (k == NULL || strcmp(k, want) != 0)
		fail_msg("\"%s\": want key \"%s\", got \"%s\"", in ? in : "(null)", want, k ? k : "(null)");
	free(k);
}

static void
test_company_case_and_blanks(void **state)
{
	(void)state;
	key_is("Acme Widgets", "acme widgets");
	key_is("ACME WIDGETS", "acme widgets");
	key_is("acme widgets", "acme widgets");
	key_is("  Acme   Widgets  ", "acme widgets");
	key_is("Acme\tWidgets", "acme widgets");
}

static void
test_company_punctuation(void **state)
{
	(void)state;
	key_is("ACME Widgets, Inc.", "acme widgets");     /* deal.h's example */
	key_is("Acme-Widgets", "acme widgets");
	key_is("Acme & Widgets", "acme widgets");
	key_is("Acme/Widgets!", "acme widgets");
	key_is("(Acme) Widgets", "acme widgets");
	key_is("O'Brien Consulting", "obrien consulting");
	key_is("OBrien Consulting", "obrien consulting");
	key_is("A.B.C. Corp", "abc");
	key_is("3M", "3m");
}

static void
test_company_legal_suffixes(void **state)
{
	(void)state;
	key_is("Northwind GmbH", "northwind");
	key_is("Northwind gmbh", "northwind");
	key_is("Northwind Inc", "northwind");
	key_is("Northwind Inc.", "northwind");
	key_is("Northwind, Inc.", "northwind");
	key_is("Northwind Ltd", "northwind");
	key_is("Northwind Ltd.", "northwind");
	key_is("Northwind LLC", "northwind");
	key_is("Northwind, L.L.C.", "northwind");
	key_is("Northwind SA", "northwind");
	key_is("Northwind S.A.", "northwind");
	key_is("Northwind AG", "northwind");
	key_is("Northwind BV", "northwind");
	key_is("Northwind B.V.", "northwind");
	key_is("Northwind Limited", "northwind");
	key_is("Northwind Corporation", "northwind");
	key_is("Northwind plc", "northwind");
}

static void
test_company_several_suffixes(void **state)
{
	(void)state;
	key_is("Northwind GmbH & Co. KG", "northwind");
	key_is("Northwind Holding AG, Inc.", "northwind holding");
	key_is("Northwind Co., Ltd.", "northwind");
	key_is("Northwind Pty Ltd", "northwind");
}

static void
test_company_suffix_only_at_the_end(void **state)
{
	(void)state;
	/* a suffix word inside the name, or the name itself, stays */
	key_is("Inc Solutions", "inc solutions");
	key_is("Ltd Edition Records Ltd", "ltd edition records");
	key_is("Saab", "saab");
	key_is("Agfa Gevaert", "agfa gevaert");
	key_is("Asana", "asana");
	/* and a word merely ending in a suffix is not one */
	key_is("Nordsa", "nordsa");
	key_is("Sinc", "sinc");
}

static void
test_company_same_key(void **state)
{
	char *a = deal_company_key("ACME Widgets, Inc."), *b = deal_company_key("acme-widgets LLC"),
	    *c = deal_company_key("Acme Widgets GmbH"), *d = deal_company_key("Acme Gadgets GmbH");

	(void)state;
	assert_string_equal(a, b);
	assert_string_equal(a, c);
	assert_string_not_equal(a, d);
	free(a);
	free(b);
	free(c);
	free(d);
}

static void
test_company_empty(void **state)
{
	(void)state;
	key_is("", "");
	key_is(NULL, "");
	key_is("  ,.  ", "");
}

/* Non-ASCII names: case folded as for ASCII letters ("by case"). */
static void
test_company_non_ascii_case(void **state)
{
	(void)state;
	key_is("Müller GmbH", "müller");
	key_is("MÜLLER GMBH", "müller");
	key_is("Ærø Shipping ApS", "ærø shipping");
	key_is("ÆRØ SHIPPING APS", "ærø shipping");
}

/* The typographic apostrophe (as CRMs and word processors type it) is
 * punctuation like the ASCII one. */
static void
test_company_typographic_apostrophe(void **state)
{
	(void)state;
	key_is("O\xe2\x80\x99" "Brien Ltd", "obrien");   /* O’Brien */
}

/* ---- blocking, open, expiry at the exact boundary --------------------- */

#define T0 INT64_C(1792000000)          /* some instant in 2026 */

static struct deal
mk(int direct, int32_t stage, int64_t until)
{
	struct deal d;

	memset(&d, 0, sizeof d);
	d.id = 1;
	d.direct = direct;
	d.partner = direct ? 0 : 7;
	d.stage = stage;
	d.approved_at = until ? until - 90 * 86400 : 0;
	d.exclusive_until = until;
	return d;
}

static void
test_approved_blocks_until_the_last_second(void **state)
{
	struct deal d = mk(0, DEAL_APPROVED, T0);

	(void)state;
	assert_int_equal(deal_effective_stage(&d, T0 - 86400), DEAL_APPROVED);
	assert_true(deal_blocks(&d, T0 - 86400));
	/* one second before the end */
	assert_int_equal(deal_effective_stage(&d, T0 - 1), DEAL_APPROVED);
	assert_true(deal_blocks(&d, T0 - 1));
	assert_true(deal_open(&d, T0 - 1));
	/* at the end */
	assert_int_equal(deal_effective_stage(&d, T0), DEAL_EXPIRED);
	assert_false(deal_blocks(&d, T0));
	assert_false(deal_open(&d, T0));
	/* after */
	assert_int_equal(deal_effective_stage(&d, T0 + 1), DEAL_EXPIRED);
	assert_false(deal_blocks(&d, T0 + 1));
	assert_false(deal_open(&d, T0 + 1));
	/* the record itself is not changed by looking */
	assert_int_equal(d.stage, DEAL_APPROVED);
}

static void
test_stages_that_never_expire(void **state)
{
	static const int32_t stages[] = { DEAL_SUBMITTED, DEAL_CONFLICT, DEAL_REJECTED, DEAL_WON, DEAL_LOST };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof stages / sizeof stages[0]; i++) {
		struct deal d = mk(0, stages[i], T0);
		assert_int_equal(deal_effective_stage(&d, T0 - 1), stages[i]);
		assert_int_equal(deal_effective_stage(&d, T0), stages[i]);
		assert_int_equal(deal_effective_stage(&d, T0 + 365 * 86400), stages[i]);
	}
}

static void
test_partner_stages_block_and_open(void **state)
{
	struct {
		int32_t stage;
		bool blocks, open;
	} cases[] = {
		{ DEAL_SUBMITTED, false, true },        /* not yet approved: no claim */
		{ DEAL_CONFLICT, false, true },
		{ DEAL_APPROVED, true, true },
		{ DEAL_REJECTED, false, false },
		{ DEAL_WON, false, false },
		{ DEAL_LOST, false, false },
		{ DEAL_EXPIRED, false, false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct deal d = mk(0, cases[i].stage, T0);
		if (deal_blocks(&d, T0 - 1) != cases[i].blocks)
			fail_msg("partner %s: blocks should be %d", deal_stage_name(cases[i].stage), cases[i].blocks);
		if (deal_open(&d, T0 - 1) != cases[i].open)
			fail_msg("partner %s: open should be %d", deal_stage_name(cases[i].stage), cases[i].open);
	}
}

static void
test_direct_deals_block_while_open(void **state)
{
	struct deal d;

	(void)state;
	d = mk(1, DEAL_SUBMITTED, 0);
	assert_true(deal_blocks(&d, T0));
	d = mk(1, DEAL_APPROVED, 0);
	assert_true(deal_blocks(&d, T0));
	assert_int_equal(deal_effective_stage(&d, T0 + 1000 * 86400LL), DEAL_APPROVED);
	/* a direct deal has no exclusivity to run out, even if a date is set */
	d = mk(1, DEAL_APPROVED, T0);
	assert_true(deal_blocks(&d, T0));
	assert_true(deal_blocks(&d, T0 + 86400));
	assert_int_equal(deal_effective_stage(&d, T0 + 86400), DEAL_APPROVED);
	d = mk(1, DEAL_WON, 0);
	assert_false(deal_blocks(&d, T0));
	d = mk(1, DEAL_LOST, 0);
	assert_false(deal_blocks(&d, T0));
}

/* ---- the stage machine ------------------------------------------------ */

static void
test_transitions_allowed(void **state)
{
	(void)state;
	/* DESIGN.md: submitted -> approved | rejected | conflict */
	assert_true(deal_transition_ok(DEAL_SUBMITTED, DEAL_APPROVED));
	assert_true(deal_transition_ok(DEAL_SUBMITTED, DEAL_REJECTED));
	assert_true(deal_transition_ok(DEAL_SUBMITTED, DEAL_CONFLICT));
	/* approved -> won | lost | expired */
	assert_true(deal_transition_ok(DEAL_APPROVED, DEAL_WON));
	assert_true(deal_transition_ok(DEAL_APPROVED, DEAL_LOST));
	assert_true(deal_transition_ok(DEAL_APPROVED, DEAL_EXPIRED));
	/* a conflict is reviewed like a submission */
	assert_true(deal_transition_ok(DEAL_CONFLICT, DEAL_APPROVED));
	assert_true(deal_transition_ok(DEAL_CONFLICT, DEAL_REJECTED));
}

static void
test_transitions_refused(void **state)
{
	static const int32_t finals[] = { DEAL_REJECTED, DEAL_WON, DEAL_LOST, DEAL_EXPIRED };
	int32_t to;
	size_t i;

	(void)state;
	/* a win needs an approval first */
	assert_false(deal_transition_ok(DEAL_SUBMITTED, DEAL_WON));
	assert_false(deal_transition_ok(DEAL_CONFLICT, DEAL_WON));
	/* only an approved registration expires */
	assert_false(deal_transition_ok(DEAL_SUBMITTED, DEAL_EXPIRED));
	assert_false(deal_transition_ok(DEAL_CONFLICT, DEAL_EXPIRED));
	/* no way back */
	assert_false(deal_transition_ok(DEAL_APPROVED, DEAL_SUBMITTED));
	assert_false(deal_transition_ok(DEAL_APPROVED, DEAL_APPROVED));
	assert_false(deal_transition_ok(DEAL_APPROVED, DEAL_REJECTED));
	assert_false(deal_transition_ok(DEAL_APPROVED, DEAL_CONFLICT));
	assert_false(deal_transition_ok(DEAL_SUBMITTED, DEAL_SUBMITTED));
	/* final stages are final */
	for (i = 0; i < sizeof finals / sizeof finals[0]; i++)
		for (to = DEAL_SUBMITTED; to <= DEAL_EXPIRED; to++)
			if (deal_transition_ok(finals[i], to))
				fail_msg("%s -> %s should be refused", deal_stage_name(finals[i]), deal_stage_name(to));
	/* nonsense stages */
	assert_false(deal_transition_ok(-1, DEAL_APPROVED));
	assert_false(deal_transition_ok(DEAL_SUBMITTED, 99));
	assert_false(deal_transition_ok(99, DEAL_WON));
}

static void
test_stage_names(void **state)
{
	static const char *const names[] = { "submitted", "approved", "rejected", "conflict", "won", "lost",
		"expired" };
	int32_t s, got;

	(void)state;
	for (s = DEAL_SUBMITTED; s <= DEAL_EXPIRED; s++) {
		assert_string_equal(deal_stage_name(s), names[s]);
		assert_true(deal_stage_parse(names[s], &got));
		assert_int_equal(got, s);
	}
	assert_false(deal_stage_parse("Approved", &got));
	assert_false(deal_stage_parse("", &got));
	assert_string_equal(deal_stage_name(42), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_domain_plain),
		cmocka_unit_test(test_domain_scheme),
		cmocka_unit_test(test_domain_www),
		cmocka_unit_test(test_domain_path_query_fragment),
		cmocka_unit_test(test_domain_port_userinfo),
		cmocka_unit_test(test_domain_case_and_trailing_dot),
		cmocka_unit_test(test_domain_punycode_kept),
		cmocka_unit_test(test_domain_refused),
		cmocka_unit_test(test_domain_too_long),
		cmocka_unit_test(test_domain_field_name_in_message),
		cmocka_unit_test(test_company_case_and_blanks),
		cmocka_unit_test(test_company_punctuation),
		cmocka_unit_test(test_company_legal_suffixes),
		cmocka_unit_test(test_company_several_suffixes),
		cmocka_unit_test(test_company_suffix_only_at_the_end),
		cmocka_unit_test(test_company_same_key),
		cmocka_unit_test(test_company_empty),
		cmocka_unit_test(test_company_non_ascii_case),
		cmocka_unit_test(test_company_typographic_apostrophe),
		cmocka_unit_test(test_approved_blocks_until_the_last_second),
		cmocka_unit_test(test_stages_that_never_expire),
		cmocka_unit_test(test_partner_stages_block_and_open),
		cmocka_unit_test(test_direct_deals_block_while_open),
		cmocka_unit_test(test_transitions_allowed),
		cmocka_unit_test(test_transitions_refused),
		cmocka_unit_test(test_stage_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
