/*
 * code.c - referral codes: generation, vanity checks, lookup form, links.
 *
 * Pure: the caller supplies the random bytes (from the system's CSPRNG),
 * so generation is deterministic and testable.  Codes are ASCII upper-case
 * once they pass through here; lookups do not fold Crockford's look-alike
 * letters (O, I, L) because vanity codes may contain them.
 */
#include "config.h"

#include <string.h>

#include "domain/code.h"

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void
code_generate(const unsigned char random[5], char out[CODE_GEN_LEN + 1])
{
	uint64_t bits = 0;
	int i;

	for (i = 0; i < 5; i++)
		bits = (bits << 8) | random[i];
	/* 40 bits, most significant group of five first. */
	for (i = 0; i < CODE_GEN_LEN; i++)
		out[i] = crockford[(bits >> (5 * (CODE_GEN_LEN - 1 - i))) & 0x1f];
	out[CODE_GEN_LEN] = '\0';
}

static bool
code_char_ok(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-';
}

static char
upper(char c)
{
	return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

enum status
code_vanity_check(const char *in, char *out, const char *field, struct err *e)
{
	size_t i, n = in == NULL ? 0 : strlen(in);

	if (n == 0)
		return err_set(e, ST_DATA, "%s: empty", field);
	/* Characters first: "ab_" is better told about "_" than its length. */
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];

		if (code_char_ok((char)c))
			continue;
		if (c > 0x20 && c < 0x7f)
			return err_set(e, ST_DATA,
			    "%s: character %zu '%c' is not allowed (use A-Z, 0-9 and -)",
			    field, i + 1, c);
		return err_set(e, ST_DATA,
		    "%s: character %zu (byte 0x%02x) is not allowed (use A-Z, 0-9 and -)",
		    field, i + 1, c);
	}
	if (in[0] == '-')
		return err_set(e, ST_DATA, "%s: must start with a letter or digit", field);
	if (n < 3 || n > CODE_MAX_LEN)
		return err_set(e, ST_DATA, "%s: must be 3 to %d characters long, not %zu",
		    field, CODE_MAX_LEN, n);
	for (i = 0; i < n; i++)
		out[i] = upper(in[i]);
	out[n] = '\0';
	return ST_OK;
}

bool
code_normalise(const char *in, char *out)
{
	const char *end;
	size_t i, n;

	if (in == NULL)
		return false;
	/* Pasted codes come with blanks and newlines around them. */
	while (*in == ' ' || *in == '\t' || *in == '\n' || *in == '\r')
		in++;
	end = in + strlen(in);
	while (end > in && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\n' || end[-1] == '\r'))
		end--;
	n = (size_t)(end - in);
	if (n == 0 || n > CODE_MAX_LEN)
		return false;
	for (i = 0; i < n; i++) {
		if (!code_char_ok(in[i]))
			return false;
		out[i] = upper(in[i]);
	}
	out[n] = '\0';
	return true;
}

void
code_link(const char *landing, const char *code, struct sbuf *out)
{
	const char *p, *hit, *hash;
	size_t base;

	if (landing == NULL || landing[0] == '\0') {
		sbuf_add(out, code);
		return;
	}
	if (strstr(landing, "{code}") != NULL) {
		for (p = landing; (hit = strstr(p, "{code}")) != NULL; p = hit + 6) {
			sbuf_addn(out, p, (size_t)(hit - p));
			sbuf_add(out, code);
		}
		sbuf_add(out, p);
		return;
	}
	/* The query goes before any #fragment. */
	hash = strchr(landing, '#');
	base = hash != NULL ? (size_t)(hash - landing) : strlen(landing);
	sbuf_addn(out, landing, base);
	if (memchr(landing, '?', base) == NULL)
		sbuf_addc(out, '?');
	else if (landing[base - 1] != '?' && landing[base - 1] != '&')
		sbuf_addc(out, '&');
	sbuf_add(out, "ref=");
	sbuf_add(out, code);
	if (hash != NULL)
		sbuf_add(out, hash);
}
