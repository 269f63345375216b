/* fuzz_rfc2047.c - the header encoder: any value mail_check_value accepts
 * becomes header lines ending in CRLF, with no bare CR or LF, no line over
 * 998 octets, and none over 76 when the value needs encoded words. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "fuzz.h"
#include "mail/mail.h"

static void
check_lines(const struct sbuf *b, bool short_lines, const char *value)
{
	size_t i, start = 0;

	FUZZ_ASSERT(b->len >= 2 && b->s[b->len - 2] == '\r' && b->s[b->len - 1] == '\n',
	    "header for \"%s\" does not end in CRLF", value);
	for (i = 0; i < b->len; i++) {
		if (b->s[i] == '\0')
			fuzz_fail(__FILE__, __LINE__, "NUL in the header for \"%s\"", value);
		if (b->s[i] == '\r') {
			FUZZ_ASSERT(i + 1 < b->len && b->s[i + 1] == '\n', "bare CR for \"%s\"", value);
			FUZZ_ASSERT(i - start <= 998, "a line of %zu octets for \"%s\"", i - start, value);
			FUZZ_ASSERT(!short_lines || i - start <= 76, "a line of %zu octets for \"%s\": %.*s",
			    i - start, value, (int)(i - start), b->s + start);
			start = i + 2;
			i++;
		} else {
			FUZZ_ASSERT(b->s[i] != '\n', "bare LF for \"%s\"", value);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sbuf b;
	struct err e;
	bool non_ascii = false;
	char *s;
	size_t i;

	if (size > 2000)
		return 0;
	s = fuzz_str(data, size);
	for (i = 0; s[i]; i++)
		non_ascii |= (unsigned char)s[i] >= 0x80;
	err_clear(&e);
	if (mail_check_value("subject", s, &e) == ST_OK) {
		sbuf_init(&b);
		mail_header_text(&b, "Subject", s);
		check_lines(&b, non_ascii, s);
		sbuf_reset(&b);
		mail_header_addr(&b, "To", s, "someone@example.com");
		check_lines(&b, false, s);
		sbuf_free(&b);
	}
	free(s);
	return 0;
}
