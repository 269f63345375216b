/*
 * email.c - e-mail addresses as ally keeps them (see email.h).
 *
 * Deliberately a plausibility check, not RFC 5322: the point is to catch
 * typing and pasting mistakes and to make one contact one key, so two
 * spellings of the same address (case, blanks around it) become one.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/utf8.h"
#include "domain/email.h"

#define EMAIL_MAX 254
#define LOCAL_MAX 64

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\f' || c == '\v';
}

enum status
email_normalise(const char *in, char **out, const char *field, struct err *e)
{
	const char *start, *end, *at, *domain, *p;
	size_t n, i;
	char *s;

	if (in == NULL)
		return err_set(e, ST_DATA, "%s: empty", field);
	start = in;
	while (is_space(*start))
		start++;
	end = start + strlen(start);
	while (end > start && is_space(end[-1]))
		end--;
	n = (size_t)(end - start);
	if (n == 0)
		return err_set(e, ST_DATA, "%s: empty", field);
	if (n > EMAIL_MAX)
		return err_set(e, ST_DATA, "%s: longer than %d bytes", field, EMAIL_MAX);
	for (p = start; p < end; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == ' ' || c == '\t')
			return err_set(e, ST_DATA, "%s: contains a blank", field);
		if (c < 0x20 || c == 0x7f)
			return err_set(e, ST_DATA, "%s: contains a control character", field);
	}
	s = xstrndup(start, n);
	switch (utf8_text_check(s, false, NULL)) {
	case UTF8_TEXT_OK:
		break;
	case UTF8_TEXT_INVALID:
		free(s);
		return err_set(e, ST_DATA, "%s: not valid UTF-8", field);
	case UTF8_TEXT_CONTROL:
		free(s);
		return err_set(e, ST_DATA, "%s: contains a control character", field);
	}
	free(s);
	at = memchr(start, '@', n);
	if (at == NULL)
		return err_set(e, ST_DATA, "%s: \"%.*s\" has no @", field, (int)n, start);
	if (memchr(at + 1, '@', (size_t)(end - at - 1)) != NULL)
		return err_set(e, ST_DATA, "%s: \"%.*s\" has more than one @",
		    field, (int)n, start);
	if (at == start)
		return err_set(e, ST_DATA, "%s: nothing before the @", field);
	if (at - start > LOCAL_MAX)
		return err_set(e, ST_DATA, "%s: more than %d bytes before the @",
		    field, LOCAL_MAX);
	domain = at + 1;
	if (domain == end)
		return err_set(e, ST_DATA, "%s: nothing after the @", field);
	if (memchr(domain, '.', (size_t)(end - domain)) == NULL)
		return err_set(e, ST_DATA, "%s: domain \"%.*s\" has no dot",
		    field, (int)(end - domain), domain);
	for (p = domain; p + 1 < end && !(p[0] == '.' && p[1] == '.'); p++)
		;
	if (domain[0] == '.' || end[-1] == '.' || p + 1 < end)
		return err_set(e, ST_DATA, "%s: domain \"%.*s\" has an empty part between dots",
		    field, (int)(end - domain), domain);

	s = xstrndup(start, n);
	for (i = 0; i < n; i++) {
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] - 'A' + 'a');
	}
	*out = s;
	return ST_OK;
}
