/*
 * fuzz_portal.c - portal_cmd_parse, the parser of what sshd hands the portal
 * in SSH_ORIGINAL_COMMAND, on any bytes.
 *
 * Accepted: the input is at most PORTAL_CMD_MAX bytes of ASCII letters,
 * digits, '-' and blanks; the verb is a known one; a month only for
 * "statement" and then a valid YYYY-MM; --csv never for help; the canonical
 * text ("verb [month] [--csv]") parses to the same command, and so does the
 * input with its words in other blanks.  Rejected: a short message, NUL-
 * terminated within the buffer even when the buffer is tiny, and the way
 * ally portal quotes the input in its error (str_visible_cut(line, 40)) is
 * valid UTF-8 of at most 40 columns with no control or bidi characters.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/utf8.h"
#include "domain/portal.h"
#include "fuzz.h"

static const char *const verb_names[] = {
	[PCMD_SESSION] = "", [PCMD_HELP] = "help", [PCMD_LINKS] = "links",
	[PCMD_REFERRALS] = "referrals", [PCMD_DEALS] = "deals",
	[PCMD_COMMISSIONS] = "commissions", [PCMD_STATEMENT] = "statement",
};

static bool
same(const struct portal_cmd *a, const struct portal_cmd *b)
{
	return a->verb == b->verb && a->csv == b->csv && strcmp(a->month, b->month) == 0;
}

static void
canonical(const struct portal_cmd *c, char *out, size_t len)
{
	snprintf(out, len, "%s%s%s%s", verb_names[c->verb], c->month[0] ? " " : "", c->month,
	    c->csv ? " --csv" : "");
}

/* The quoted input of the error message: one visible line, 40 columns. */
static void
check_quote(const char *line)
{
	char *vis = str_visible_cut(line, 40);
	const unsigned char *p;
	uint32_t cp;
	size_t n = strlen(vis), k;

	FUZZ_ASSERT(utf8_valid(vis), "quote of a refused line is not UTF-8");
	FUZZ_ASSERT(utf8_width(vis) <= 40, "quote is %zu columns wide", utf8_width(vis));
	for (p = (const unsigned char *)vis; n > 0; p += k, n -= k) {
		k = utf8_decode((const char *)p, n, &cp);
		FUZZ_ASSERT(k > 0, "undecodable quote");
		FUZZ_ASSERT(cp >= 0x20 && cp != 0x7F && !(cp >= 0x80 && cp <= 0x9F) &&
		    !(cp >= 0x202A && cp <= 0x202E) && !(cp >= 0x2066 && cp <= 0x2069),
		    "quote holds U+%04X raw", (unsigned)cp);
	}
	free(vis);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool init;
	struct portal_cmd c, c2;
	char why[128], tiny[8], canon[64], *s, *p;
	size_t len;
	bool ok;

	if (!init) {
		setlocale(LC_ALL, "C.UTF-8");
		init = true;
	}
	if (size > 4096)
		return 0;
	s = fuzz_str(data, size);
	len = strlen(s);
	memset(why, 'x', sizeof why);
	ok = portal_cmd_parse(s, &c, why, sizeof why);
	if (ok) {
		FUZZ_ASSERT(len <= PORTAL_CMD_MAX, "accepted %zu bytes", len);
		for (p = s; *p != '\0'; p++)
			FUZZ_ASSERT((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9') || *p == '-' || *p == ' ' || *p == '\t',
			    "accepted byte 0x%02x", (unsigned char)*p);
		FUZZ_ASSERT(c.verb >= PCMD_SESSION && c.verb <= PCMD_STATEMENT, "verb %d", (int)c.verb);
		FUZZ_ASSERT(memchr(c.month, '\0', sizeof c.month) != NULL, "month not terminated");
		if (c.verb == PCMD_STATEMENT) {
			FUZZ_ASSERT(strlen(c.month) == 7 && c.month[4] == '-' &&
			    strncmp(c.month + 5, "01", 2) >= 0 && strncmp(c.month + 5, "12", 2) <= 0 &&
			    strncmp(c.month, "2000", 4) >= 0, "month \"%s\"", c.month);
		} else {
			FUZZ_ASSERT(c.month[0] == '\0', "month \"%s\" for verb %d", c.month, (int)c.verb);
		}
		FUZZ_ASSERT(!c.csv || (c.verb != PCMD_HELP && c.verb != PCMD_SESSION),
		    "--csv accepted for verb %d", (int)c.verb);
		/* the canonical text is the same command */
		canonical(&c, canon, sizeof canon);
		FUZZ_ASSERT(portal_cmd_parse(canon, &c2, why, sizeof why) && same(&c, &c2),
		    "\"%s\" -> \"%s\" is another command", s, canon);
		/* blanks are blanks: tabs for spaces and padding change nothing */
		for (p = s; *p != '\0'; p++)
			if (*p == ' ')
				*p = '\t';
		FUZZ_ASSERT(portal_cmd_parse(s, &c2, why, sizeof why) && same(&c, &c2),
		    "tabs for spaces changed \"%s\"", canon);
	} else {
		FUZZ_ASSERT(memchr(why, '\0', sizeof why) != NULL, "reason not terminated");
		FUZZ_ASSERT(why[0] != '\0' && strlen(why) < 80, "bad reason \"%.127s\"", why);
		check_quote(s);
		/* a tiny buffer is cut, still terminated; none is left alone */
		memset(tiny, 'x', sizeof tiny);
		FUZZ_ASSERT(!portal_cmd_parse(s, &c2, tiny, sizeof tiny), "verdict depends on the buffer");
		FUZZ_ASSERT(tiny[sizeof tiny - 1] == '\0' && strncmp(tiny, why, sizeof tiny - 1) == 0,
		    "reason cut wrongly");
		tiny[0] = 'x';
		FUZZ_ASSERT(!portal_cmd_parse(s, &c2, tiny, 0) && tiny[0] == 'x', "wrote to a 0-byte buffer");
	}
	free(s);
	return 0;
}
