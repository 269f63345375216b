/*
 * portal.h - the pure parts of the partner portal: the parser of the
 * non-interactive commands sshd hands over in SSH_ORIGINAL_COMMAND, and
 * the policy that slows down and then locks failed logins.
 *
 * The parser is strict on purpose (it faces the network and is fuzzed):
 * at most PORTAL_CMD_MAX bytes, words of ASCII letters, digits and '-'
 * separated by blanks, a fixed verb list, each option at most once, no
 * quoting, no globbing, no paths.  Anything else is refused with a reason.
 */
#ifndef ALLY_DOMAIN_PORTAL_H
#define ALLY_DOMAIN_PORTAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PORTAL_CMD_MAX 128

enum portal_verb {
	PCMD_SESSION = 0,       /* blank: the interactive portal */
	PCMD_HELP,
	PCMD_LINKS,
	PCMD_REFERRALS,
	PCMD_DEALS,
	PCMD_COMMISSIONS,
	PCMD_STATEMENT,
};

struct portal_cmd {
	enum portal_verb verb;
	bool csv;
	char month[8];          /* PCMD_STATEMENT: "YYYY-MM" */
};

/*
 * Parse one command line:
 *   help | links [--csv] | referrals [--csv] | deals [--csv]
 *   | commissions [--csv] | statement YYYY-MM [--csv]
 * true with *out filled, or false with why (a short reason) filled.
 */
bool portal_cmd_parse(const char *line, struct portal_cmd *out, char *why, size_t len);

/* The usage text of the commands above (for help and errors). */
const char *portal_cmd_usage(void);

struct login_policy {
	int max_failures;       /* failures in a row that lock the account */
	int delay;              /* seconds after the first failure; doubles */
	int slots;              /* password verifications at once, machine-wide (0: default) */
	int slot_wait;          /* seconds a login waits for a slot (0: default) */
};

#define LOGIN_WAIT_MAX 300
/*
 * Seconds before the next login attempt is allowed: 0 now, -1 never
 * (locked: an admin lifts it).  After k failures in a row the wait is
 * delay * 2^(k-1) seconds from the last one, at most LOGIN_WAIT_MAX.
 */
int64_t login_wait(const struct login_policy *p, int32_t failures, int64_t failed_at,
    int64_t locked_at, int64_t now);

#endif
