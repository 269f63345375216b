/*
 * portal.c - the portal's command parser and login policy (see portal.h).
 * No I/O: both are plain functions of their arguments.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "domain/portal.h"

#define MAX_WORDS 4

static const struct {
	const char *name;
	enum portal_verb verb;
	bool month;             /* takes YYYY-MM */
} verbs[] = {
	{ "help", PCMD_HELP, false },
	{ "links", PCMD_LINKS, false },
	{ "referrals", PCMD_REFERRALS, false },
	{ "deals", PCMD_DEALS, false },
	{ "commissions", PCMD_COMMISSIONS, false },
	{ "statement", PCMD_STATEMENT, true },
};

const char *
portal_cmd_usage(void)
{
	return "commands:\n"
	    "  help                         this text\n"
	    "  links [--csv]                your referral codes and links\n"
	    "  referrals [--csv]            the contacts you referred and their status\n"
	    "  deals [--csv]                your registered deals\n"
	    "  commissions [--csv]          your commissions: pending, approved, paid\n"
	    "  statement YYYY-MM [--csv]    your statement for a month\n"
	    "without a command: the interactive portal (needs a terminal: ssh -t)\n";
}

static bool
fail(char *why, size_t len, const char *msg)
{
	if (len > 0)
		snprintf(why, len, "%s", msg);
	return false;
}

static bool
is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '-';
}

static bool
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* YYYY-MM, year 2000..9999, month 01..12. */
static bool
valid_month(const char *w, size_t n)
{
	int y, m;

	if (n != 7 || !digits(w, 4) || w[4] != '-' || !digits(w + 5, 2))
		return false;
	y = (w[0] - '0') * 1000 + (w[1] - '0') * 100 + (w[2] - '0') * 10 + (w[3] - '0');
	m = (w[5] - '0') * 10 + (w[6] - '0');
	return y >= 2000 && m >= 1 && m <= 12;
}

static bool
word_is(const char *w, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(w, lit, n) == 0;
}

bool
portal_cmd_parse(const char *line, struct portal_cmd *out, char *why, size_t len)
{
	const char *w[MAX_WORDS], *p;
	size_t wl[MAX_WORDS], nw = 0, i, total;
	int v = -1;
	bool seen_csv = false, seen_month = false;

	memset(out, 0, sizeof *out);
	if (line == NULL)
		return true;    /* no command: the session */
	total = strnlen(line, PORTAL_CMD_MAX + 1);
	if (total > PORTAL_CMD_MAX)
		return fail(why, len, "command too long");
	for (p = line; *p != '\0';) {
		if (*p == ' ' || *p == '\t') {
			p++;
			continue;
		}
		if (!is_word_char(*p))
			return fail(why, len, "only letters, digits, '-' and blanks are allowed");
		if (nw == MAX_WORDS)
			return fail(why, len, "too many words");
		w[nw] = p;
		while (is_word_char(*p))
			p++;
		wl[nw] = (size_t)(p - w[nw]);
		nw++;
	}
	if (nw == 0)
		return true;
	for (i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
		if (word_is(w[0], wl[0], verbs[i].name))
			v = (int)i;
	if (v < 0)
		return fail(why, len, "unknown command (try: help)");
	out->verb = verbs[v].verb;
	for (i = 1; i < nw; i++) {
		if (word_is(w[i], wl[i], "--csv") && out->verb != PCMD_HELP) {
			if (seen_csv)
				return fail(why, len, "--csv given twice");
			seen_csv = true;
		} else if (verbs[v].month && w[i][0] != '-') {
			if (seen_month)
				return fail(why, len, "one month only");
			if (!valid_month(w[i], wl[i]))
				return fail(why, len, "month: expected YYYY-MM");
			memcpy(out->month, w[i], 7);
			out->month[7] = '\0';
			seen_month = true;
		} else {
			return fail(why, len, w[i][0] == '-' ? "unknown option" : "unexpected argument");
		}
	}
	if (verbs[v].month && !seen_month)
		return fail(why, len, "month: missing (statement YYYY-MM)");
	out->csv = seen_csv;
	return true;
}

int64_t
login_wait(const struct login_policy *p, int32_t failures, int64_t failed_at, int64_t locked_at,
    int64_t now)
{
	int64_t wait, until;
	int32_t k;

	if (locked_at != 0 || (p->max_failures > 0 && failures >= p->max_failures))
		return -1;
	if (failures <= 0 || p->delay <= 0)
		return 0;
	wait = p->delay;
	for (k = 1; k < failures && wait < LOGIN_WAIT_MAX; k++)
		wait *= 2;
	if (wait > LOGIN_WAIT_MAX)
		wait = LOGIN_WAIT_MAX;
	until = failed_at + wait;
	return until > now ? until - now : 0;
}
