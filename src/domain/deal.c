/*
 * deal.c - deal registration rules (see deal.h).
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/utf8.h"
#include "core/str.h"
#include "domain/deal.h"

enum status
deal_domain_normalise(const char *in, char **out, const char *field, struct err *e)
{
	char *s, *p, *q, *cut;
	size_t n;
	bool dot = false;

	*out = NULL;
	if (in == NULL || *in == '\0')
		return err_set(e, ST_DATA, "%s: missing", field);
	s = str_trim(in);
	str_lower(s);
	p = s;
	if ((q = strstr(p, "://")) != NULL)
		p = q + 3;
	else if (strncmp(p, "//", 2) == 0)
		p += 2;
	/* user info */
	cut = p + strcspn(p, "/?#");
	if ((q = memchr(p, '@', (size_t)(cut - p))) != NULL)
		p = q + 1;
	p[strcspn(p, "/?#:")] = '\0';
	if (strncmp(p, "www.", 4) == 0)
		p += 4;
	n = strlen(p);
	while (n > 0 && p[n - 1] == '.')
		p[--n] = '\0';
	for (q = p; *q; q++) {
		if (*q == '.')
			dot = true;
		else if (!isalnum((unsigned char)*q) && *q != '-') {
			free(s);
			return err_set(e, ST_DATA, "%s: \"%s\" is not a web domain (like example.com)", field, in);
		}
	}
	if (n == 0 || !dot || p[0] == '.' || strstr(p, "..") || n > 253) {
		free(s);
		return err_set(e, ST_DATA, "%s: \"%s\" is not a web domain (like example.com)", field, in);
	}
	*out = xstrdup(p);
	free(s);
	return ST_OK;
}

/* Lower-case the letters of the scripts company names are written in,
 * whatever the process's locale: Latin-1, Latin Extended-A, Greek,
 * Cyrillic. */
static uint32_t
fold_cp(uint32_t cp)
{
	if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || (cp >= 0x391 && cp <= 0x3A9) ||
	    (cp >= 0x410 && cp <= 0x42F))
		return cp + 0x20;
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 0x50;
	if (cp >= 0x100 && cp <= 0x17F && cp != 0x130 && cp != 0x131 && cp != 0x138 &&
	    cp != 0x149 && cp != 0x17F) {
		/* pairs: even upper, odd lower, except 0x139-0x148 and
		 * 0x179-0x17E where odd is upper */
		bool odd_upper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
		if (odd_upper ? (cp & 1) : !(cp & 1))
			return cp + 1;
	}
	return cp;
}

static const char *const legal_suffixes[] = {
	"gmbh", "mbh", "ag", "kg", "ohg", "ug", "inc", "incorporated", "corp", "corporation",
	"co", "company", "ltd", "limited", "llc", "llp", "lp", "plc", "sa", "sas", "sarl",
	"srl", "spa", "bv", "nv", "ab", "as", "asa", "oy", "oyj", "aps", "pty", "kk", "se",
	NULL
};

static bool
is_suffix(const char *w, size_t n)
{
	size_t i;

	for (i = 0; legal_suffixes[i]; i++)
		if (strlen(legal_suffixes[i]) == n && strncmp(legal_suffixes[i], w, n) == 0)
			return true;
	return false;
}

char *
deal_company_key(const char *company)
{
	struct sbuf b;
	const char *p;
	char *s;
	size_t n;
	bool blank = false;

	sbuf_init(&b);
	for (p = company ? company : ""; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c >= 0x80) {
			/* Non-ASCII letters fold too: "MÜLLER" is "müller". */
			uint32_t cp;
			size_t len = utf8_decode(p, strlen(p), &cp);
			if (len == 0) {
				sbuf_addc(&b, (char)c);
			} else if (cp == 0x2018 || cp == 0x2019) {
				p += len - 1;   /* typographic apostrophes, like ' */
				continue;
			} else {
				char enc[4];
				size_t n2 = utf8_encode(fold_cp(cp), enc);
				if (blank && b.len)
					sbuf_addc(&b, ' ');
				sbuf_addn(&b, enc, n2);
				p += len - 1;
			}
			blank = false;
		} else if (isalnum(c)) {
			if (blank && b.len)
				sbuf_addc(&b, ' ');
			sbuf_addc(&b, (char)tolower(c));
			blank = false;
		} else if (c == '\'' || c == '.') {
			/* "O'Brien" -> "obrien", "S.A." -> "sa" */
		} else {
			blank = true;
		}
	}
	s = sbuf_take(&b);
	if (s == NULL)
		return xstrdup("");
	/* Drop legal suffixes from the end, as many as there are. */
	for (;;) {
		char *sp = strrchr(s, ' ');
		const char *w = sp ? sp + 1 : s;
		n = strlen(w);
		if (!sp || !is_suffix(w, n))
			break;
		*sp = '\0';
	}
	return s;
}

int32_t
deal_effective_stage(const struct deal *d, int64_t now)
{
	if (d->stage == DEAL_APPROVED && !d->direct && d->exclusive_until && now >= d->exclusive_until)
		return DEAL_EXPIRED;
	return d->stage;
}

bool
deal_blocks(const struct deal *d, int64_t now)
{
	int32_t st = deal_effective_stage(d, now);

	if (d->direct)
		return st == DEAL_SUBMITTED || st == DEAL_APPROVED;
	return st == DEAL_APPROVED;
}

bool
deal_open(const struct deal *d, int64_t now)
{
	int32_t st = deal_effective_stage(d, now);

	return st == DEAL_SUBMITTED || st == DEAL_APPROVED || st == DEAL_CONFLICT;
}

bool
deal_transition_ok(int32_t from, int32_t to)
{
	switch (from) {
	case DEAL_SUBMITTED:
	case DEAL_CONFLICT:
		return to == DEAL_APPROVED || to == DEAL_REJECTED || to == DEAL_CONFLICT ||
		    to == DEAL_LOST;
	case DEAL_APPROVED:
		return to == DEAL_WON || to == DEAL_LOST || to == DEAL_EXPIRED;
	default:
		return false;
	}
}
