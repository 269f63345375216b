/*
 * test_portal.c - the portal's command parser (what sshd hands over in
 * SSH_ORIGINAL_COMMAND), its failed-login policy and the SSH source
 * address it records (from SSH_CONNECTION, checked, never raw).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/portal.h"
#include "domain/portal.h"

static void
parses(const char *line, enum portal_verb verb, bool csv, const char *month)
{
	struct portal_cmd c;
	char why[128] = "";

	assert_true(portal_cmd_parse(line, &c, why, sizeof why));
	assert_int_equal(c.verb, verb);
	assert_int_equal(c.csv, csv);
	assert_string_equal(c.month, month);
}

static void
refuses(const char *line, const char *reason)
{
	struct portal_cmd c;
	char why[128] = "";

	assert_false(portal_cmd_parse(line, &c, why, sizeof why));
	assert_string_equal(why, reason);
}

static void
test_good(void **state)
{
	(void)state;
	parses(NULL, PCMD_SESSION, false, "");
	parses("", PCMD_SESSION, false, "");
	parses("  \t ", PCMD_SESSION, false, "");
	parses("help", PCMD_HELP, false, "");
	parses("links", PCMD_LINKS, false, "");
	parses(" links --csv ", PCMD_LINKS, true, "");
	parses("referrals --csv", PCMD_REFERRALS, true, "");
	parses("deals", PCMD_DEALS, false, "");
	parses("commissions --csv", PCMD_COMMISSIONS, true, "");
	parses("statement 2026-10", PCMD_STATEMENT, false, "2026-10");
	parses("statement --csv 2026-01", PCMD_STATEMENT, true, "2026-01");
	parses("statement\t2026-12\t--csv", PCMD_STATEMENT, true, "2026-12");
}

static void
test_bad(void **state)
{
	char big[PORTAL_CMD_MAX + 10];

	(void)state;
	refuses("links; id", "only letters, digits, '-' and blanks are allowed");
	refuses("links $(id)", "only letters, digits, '-' and blanks are allowed");
	refuses("statement ../2026-10", "only letters, digits, '-' and blanks are allowed");
	refuses("statement 2026-10\n", "only letters, digits, '-' and blanks are allowed");
	refuses("LINKS", "unknown command (try: help)");
	refuses("link", "unknown command (try: help)");
	refuses("rm -rf", "unknown command (try: help)");
	refuses("links --csv --csv", "--csv given twice");
	refuses("links --json", "unknown option");
	refuses("links P2", "unexpected argument");
	refuses("help --csv", "unknown option");
	refuses("statement", "month: missing (statement YYYY-MM)");
	refuses("statement 2026-13", "month: expected YYYY-MM");
	refuses("statement 2026-00", "month: expected YYYY-MM");
	refuses("statement 1999-10", "month: expected YYYY-MM");
	refuses("statement 2026-1", "month: expected YYYY-MM");
	refuses("statement 2026-10 2026-11", "one month only");
	refuses("statement 2026-10 --partner", "unknown option");
	refuses("a b c d e", "too many words");
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	refuses(big, "command too long");
}

static void
test_login_wait(void **state)
{
	const struct login_policy p = { 3, 2, 0, 0 };
	const struct login_policy off = { 5, 0, 0, 0 };

	(void)state;
	assert_int_equal(login_wait(&p, 0, 0, 0, 1000), 0);
	assert_int_equal(login_wait(&p, 1, 1000, 0, 1000), 2);
	assert_int_equal(login_wait(&p, 1, 1000, 0, 1001), 1);
	assert_int_equal(login_wait(&p, 1, 1000, 0, 1002), 0);
	assert_int_equal(login_wait(&p, 2, 1000, 0, 1000), 4);     /* doubles */
	assert_int_equal(login_wait(&p, 3, 1000, 0, 9999), -1);    /* locked */
	assert_int_equal(login_wait(&p, 0, 0, 500, 9999), -1);     /* locked by an admin's record */
	assert_int_equal(login_wait(&off, 4, 1000, 0, 1000), 0);
	{
		const struct login_policy big = { 100, 60, 0, 0 };
		assert_int_equal(login_wait(&big, 50, 1000, 0, 1000), LOGIN_WAIT_MAX);
	}
}

static void
source_is(const char *env, bool ok, const char *want)
{
	char buf[64] = "junk";

	assert_int_equal(app_portal_source(env, buf, sizeof buf), ok);
	assert_string_equal(buf, want);
}

static void
test_source(void **state)
{
	(void)state;
	source_is("203.0.113.7 52514 192.0.2.1 22", true, "203.0.113.7");
	source_is("2001:DB8:0:0::1 52514 2001:db8::2 22", true, "2001:db8::1");
	source_is("::ffff:10.0.0.1 1 ::1 22", true, "::ffff:10.0.0.1");
	source_is("203.0.113.7", true, "203.0.113.7");
	source_is(NULL, false, "");
	source_is("", false, "");
	source_is(" 203.0.113.7 1 2 3", false, "");
	source_is("203.0.113.7\x1b[2J 1 2 3", false, "");
	source_is("203.0.113.256 1 2 3", false, "");
	source_is("example.com 1 2 3", false, "");
	source_is("1.2.3.4.5 1 2 3", false, "");
	source_is("fe80::1%eth0 1 2 3", false, "");
	source_is("0123456789012345678901234567890123456789012345678901 1", false, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_login_wait),
		cmocka_unit_test(test_source),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
