/*
 * str.c - the growable string buffer, ASCII helpers, and making text safe
 * to show.
 *
 * Text from users and the database may hold escape sequences, bare CR/LF,
 * invalid UTF-8 or bidi overrides that reorder what follows.  Anything that
 * goes to a terminal or into one line of output passes str_escape_display(),
 * which turns all of these into visible ASCII escapes.  utf8_width() measures
 * those escapes, so widths taken on raw text match what is shown.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "core/utf8.h"

void
sbuf_init(struct sbuf *b)
{
	b->s = NULL;
	b->len = 0;
	b->cap = 0;
}

void
sbuf_free(struct sbuf *b)
{
	free(b->s);
	sbuf_init(b);
}

void
sbuf_reset(struct sbuf *b)
{
	b->len = 0;
	if (b->s != NULL)
		b->s[0] = '\0';
}

/* Make room for n more bytes plus the terminating NUL. */
static void
sbuf_reserve(struct sbuf *b, size_t n)
{
	b->s = xgrow(b->s, &b->cap, b->len + n + 1, 1);
}

void
sbuf_addn(struct sbuf *b, const char *s, size_t n)
{
	sbuf_reserve(b, n);
	if (n > 0)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
sbuf_add(struct sbuf *b, const char *s)
{
	sbuf_addn(b, s, strlen(s));
}

void
sbuf_addc(struct sbuf *b, char c)
{
	sbuf_addn(b, &c, 1);
}

void
sbuf_addf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;         /* only on an invalid format: nothing to add */
	sbuf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *
sbuf_take(struct sbuf *b)
{
	char *s = b->s;

	if (s == NULL)
		s = xstrdup("");
	sbuf_init(b);
	return s;
}

const char *
sbuf_str(const struct sbuf *b)
{
	return b->s != NULL ? b->s : "";
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

char *
str_trim(const char *s)
{
	size_t n;

	while (is_blank(*s))
		s++;
	n = strlen(s);
	while (n > 0 && is_blank(s[n - 1]))
		n--;
	return xstrndup(s, n);
}

char *
str_lower(char *s)
{
	char *p;

	for (p = s; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

char *
str_upper(char *s)
{
	char *p;

	for (p = s; *p != '\0'; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	return s;
}

static char
ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

bool
str_eq_nocase(const char *a, const char *b)
{
	while (*a != '\0' && ascii_lower(*a) == ascii_lower(*b)) {
		a++;
		b++;
	}
	return ascii_lower(*a) == ascii_lower(*b);
}

bool
str_empty(const char *s)
{
	return s == NULL || *s == '\0';
}

bool
str_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool
str_has_control(const char *s)
{
	const unsigned char *u;

	for (u = (const unsigned char *)s; *u != '\0'; u++)
		if (*u < 0x20 || *u == 0x7F)
			return true;
	return false;
}

static bool
is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Keep in step with cp_width() in utf8.c. */
void
str_escape_display(struct sbuf *out, const char *s)
{
	size_t n = strlen(s), k;
	uint32_t cp;

	while (n > 0) {
		k = utf8_decode(s, n, &cp);
		if (k == 0) {
			sbuf_addf(out, "\\x%02x", (unsigned char)*s);
			k = 1;
		} else if (cp == 0x1B) {
			sbuf_add(out, "\\e");
		} else if (cp == '\n') {
			sbuf_add(out, "\\n");
		} else if (cp == '\t') {
			sbuf_add(out, "\\t");
		} else if (cp == '\r') {
			sbuf_add(out, "\\r");
		} else if (cp < 0x20 || cp == 0x7F) {
			sbuf_addf(out, "\\x%02x", (unsigned)cp);
		} else if (cp >= 0x80 && cp <= 0x9F) {
			sbuf_addf(out, "\\u{%02x}", (unsigned)cp);
		} else if (is_bidi_control(cp)) {
			sbuf_addf(out, "\\u{%04x}", (unsigned)cp);
		} else {
			sbuf_addn(out, s, k);
		}
		s += k;
		n -= k;
	}
}

char *
str_visible(const char *s)
{
	struct sbuf b;

	sbuf_init(&b);
	str_escape_display(&b, s != NULL ? s : "");
	return sbuf_take(&b);
}

char *
str_visible_cut(const char *s, size_t cols)
{
	struct sbuf b;
	char *head;

	if (s == NULL)
		s = "";
	if (utf8_width(s) <= cols)
		return str_visible(s);
	if (cols < 3)
		cols = 3;
	sbuf_init(&b);
	head = xstrndup(s, utf8_prefix_for_width(s, cols - 3));
	str_escape_display(&b, head);
	free(head);
	sbuf_add(&b, "...");
	return sbuf_take(&b);
}

char *
str_visible_fit(const char *s, size_t cols)
{
	char *vis = str_visible(s);
	struct sbuf b;
	size_t w;

	vis[utf8_prefix_for_width(vis, cols)] = '\0';
	w = utf8_width(vis);
	sbuf_init(&b);
	sbuf_add(&b, vis);
	while (w++ < cols)
		sbuf_addc(&b, ' ');
	free(vis);
	return sbuf_take(&b);
}
