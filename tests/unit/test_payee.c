/*
 * test_payee.c - payout details: IBANs by their ISO 13616 mod-97 digits
 * (published examples of several countries, and each kind of refusal),
 * BICs by shape, and what each payout file needs of a payee.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/payee.h"

static void
iban_ok(const char *in, const char *want)
{
	struct err e;
	char *out = NULL;

	err_clear(&e);
	assert_int_equal(payee_iban(in, &out, "iban", &e), ST_OK);
	assert_string_equal(out, want);
	free(out);
}

static void
iban_bad(const char *in, const char *msg)
{
	struct err e;
	char *out = (char *)"x";

	err_clear(&e);
	assert_int_equal(payee_iban(in, &out, "iban", &e), ST_DATA);
	assert_null(out);
	assert_string_equal(e.msg, msg);
}

static void
test_iban_valid(void **state)
{
	(void)state;
	iban_ok("DE89 3704 0044 0532 0130 00", "DE89370400440532013000");
	iban_ok("gb82 west 1234 5698 7654 32", "GB82WEST12345698765432");
	iban_ok("NO9386011117947", "NO9386011117947");                  /* 15, the shortest */
	iban_ok("FR1420041010050500013M02606", "FR1420041010050500013M02606");
	iban_ok("MT84MALT011000012345MTLCAST001S", "MT84MALT011000012345MTLCAST001S");
}

static void
test_iban_refused(void **state)
{
	(void)state;
	iban_bad("DE89 3704 0044 0532 0130 01",
	    "iban: \"DE89 3704 0044 0532 0130 01\" its check digits do not match (ISO 13616 mod 97): a typo?");
	iban_bad("DE98370400440532013000",
	    "iban: \"DE98370400440532013000\" its check digits do not match (ISO 13616 mod 97): a typo?");
	iban_bad("DE89", "iban: \"DE89\" must be 15 to 34 letters and digits");
	iban_bad("", "iban: \"\" empty");
	iban_bad("1289370400440532013000",
	    "iban: \"1289370400440532013000\" must start with a country code and two check digits (like DE89)");
	iban_bad("DE89-3704-0044-0532-0130-00",
	    "iban: \"DE89-3704-0044-0532-0130-00\" holds a character that is not a letter or digit");
}

static void
test_bic(void **state)
{
	struct err e;
	char *out;

	(void)state;
	err_clear(&e);
	assert_int_equal(payee_bic("deutdeff", &out, "bic", &e), ST_OK);
	assert_string_equal(out, "DEUTDEFF");
	free(out);
	assert_int_equal(payee_bic("DEUTDEFF500", &out, "bic", &e), ST_OK);
	free(out);
	assert_int_equal(payee_bic("DEUTDEF", &out, "bic", &e), ST_DATA);
	assert_int_equal(payee_bic("DEU1DEFF", &out, "bic", &e), ST_DATA);
	assert_int_equal(payee_bic("DEUTDEFF5000", &out, "bic", &e), ST_DATA);
}

static void
test_missing(void **state)
{
	struct partner p;

	(void)state;
	memset(&p, 0, sizeof p);
	assert_string_equal(payee_missing(&p, "sepa"), "has no payout method");
	p.payout_method = PAYOUT_BANK;
	assert_string_equal(payee_missing(&p, "sepa"), "has no IBAN");
	p.iban = (char *)"DE89370400440532013000";
	assert_null(payee_missing(&p, "sepa"));
	assert_null(payee_missing(&p, "ap-csv"));
	assert_string_equal(payee_missing(&p, "paypal"), "is paid by another method");
	p.payout_method = PAYOUT_WISE;
	assert_string_equal(payee_missing(&p, "wise"), "has no payout e-mail");
	p.payout_email = (char *)"w@example.com";
	assert_null(payee_missing(&p, "wise"));
	assert_string_equal(payee_method_name(PAYOUT_WISE), "wise");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iban_valid),
		cmocka_unit_test(test_iban_refused),
		cmocka_unit_test(test_bic),
		cmocka_unit_test(test_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
