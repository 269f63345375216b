/*
 * utf8.c - decoding UTF-8 and measuring it in terminal columns.
 *
 * Widths here must agree with what str_escape_display() prints: a control
 * character, a bidi override or an invalid byte is measured as the escape
 * that replaces it, so a column computed from raw text matches the screen.
 * Everything else is wcwidth() in the current locale (the program calls
 * setlocale(LC_ALL, "") first); code points wcwidth() does not know count 1.
 */
#include "config.h"

#include <string.h>
#include <wchar.h>

#include "core/utf8.h"

size_t
utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c, min;
	size_t len, i;

	*cp = 0xFFFD;
	if (n == 0)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (u[0] >= 0xC2 && u[0] <= 0xDF) {
		len = 2;
		c = u[0] & 0x1F;
		min = 0x80;
	} else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
		len = 3;
		c = u[0] & 0x0F;
		min = 0x800;
	} else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
		len = 4;
		c = u[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;       /* continuation byte, C0/C1 overlong lead, F5..FF */
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

bool
utf8_valid(const char *s)
{
	size_t n = strlen(s), k;
	uint32_t cp;

	while (n > 0) {
		k = utf8_decode(s, n, &cp);
		if (k == 0)
			return false;
		s += k;
		n -= k;
	}
	return true;
}

enum utf8_text
utf8_text_check(const char *s, bool lines, uint32_t *cp)
{
	size_t n = strlen(s), k;
	uint32_t c;

	while (n > 0) {
		k = utf8_decode(s, n, &c);
		if (k == 0)
			return UTF8_TEXT_INVALID;
		if ((c < 0x20 && !(lines && (c == '\n' || c == '\t'))) || (c >= 0x7F && c <= 0x9F)) {
			if (cp != NULL)
				*cp = c;
			return UTF8_TEXT_CONTROL;
		}
		s += k;
		n -= k;
	}
	return UTF8_TEXT_OK;
}

/* Columns of one valid code point as str_escape_display() shows it. */
static size_t
cp_width(uint32_t cp)
{
	int w;

	if (cp == 0x1B || cp == '\n' || cp == '\t' || cp == '\r')
		return 2;                       /* \e \n \t \r */
	if (cp < 0x20 || cp == 0x7F)
		return 4;                       /* \xNN */
	if (cp >= 0x80 && cp <= 0x9F)
		return 6;                       /* \u{NN} */
	if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
		return 8;                       /* \u{NNNN} */
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : (size_t)w;
}

/* Length in bytes and width in columns of the unit at s; n > 0. */
static size_t
unit_at(const char *s, size_t n, size_t *w)
{
	uint32_t cp;
	size_t k = utf8_decode(s, n, &cp);

	if (k == 0) {
		*w = 4;                         /* \xNN */
		return 1;
	}
	*w = cp_width(cp);
	return k;
}

size_t
utf8_width(const char *s)
{
	size_t n = strlen(s), total = 0, k, w;

	while (n > 0) {
		k = unit_at(s, n, &w);
		total += w;
		s += k;
		n -= k;
	}
	return total;
}

size_t
utf8_prefix_for_width(const char *s, size_t cols)
{
	size_t n = strlen(s), used = 0, off = 0, k, w;

	while (off < n) {
		k = unit_at(s + off, n - off, &w);
		if (used + w > cols)
			break;
		used += w;
		off += k;
	}
	return off;
}

size_t
utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}
