/*
 * text.c - escaping, formatting and fitting cell text by display width.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/date.h"
#include "core/money.h"
#include "core/utf8.h"
#include "ui/text.h"

static bool ascii_mode;

void
ui_text_set_ascii(bool ascii)
{
	ascii_mode = ascii;
}

bool
ui_text_ascii(void)
{
	return ascii_mode;
}

char *
ui_text(const char *s)
{
	struct sbuf b;
	const char *p;
	uint32_t cp;
	size_t k, n;

	sbuf_init(&b);
	str_escape_display(&b, s ? s : "");
	if (!ascii_mode)
		return sbuf_take(&b);
	/* escapes are ASCII already; what is left above 0x7f is printable */
	{
		struct sbuf a;
		sbuf_init(&a);
		sbuf_add(&a, "");
		p = sbuf_str(&b);
		n = strlen(p);
		while (n > 0) {
			k = utf8_decode(p, n, &cp);
			if (k == 0)
				k = 1;
			if (cp < 0x80)
				sbuf_addc(&a, (char)cp);
			else
				sbuf_addc(&a, '?');
			p += k;
			n -= k;
		}
		sbuf_free(&b);
		return sbuf_take(&a);
	}
}

const char *
ui_cell_format(const struct cell *c, char *buf)
{
	const struct currency *cur;
	struct currency fallback = { "", 2 };

	switch (c->type) {
	case CELL_STR:
		break;
	case CELL_INT:
		snprintf(buf, UI_CELL_BUFSZ, "%" PRId64, c->i);
		return buf;
	case CELL_MONEY:
		cur = c->cur ? currency_find(c->cur) : NULL;
		if (cur == NULL) {
			fallback.digits = c->cur ? currency_digits(c->cur) : 2;
			cur = &fallback;
		}
		return money_format_human(c->i, cur, buf);
	case CELL_TIME:
		return c->i ? date_format_minute(c->i, buf) : "";
	case CELL_DATE:
		return c->i ? date_format_day(c->i, buf) : "";
	case CELL_BOOL:
		return c->i ? "yes" : "no";
	}
	return "";
}

char *
ui_cell_text(const struct cell *c)
{
	char buf[UI_CELL_BUFSZ];

	if (c->type == CELL_STR)
		return ui_text(c->s);
	return xstrdup(ui_cell_format(c, buf));
}

size_t
ui_width(const char *safe)
{
	return utf8_width(safe);
}

static void
pad(struct sbuf *out, size_t n)
{
	while (n-- > 0)
		sbuf_addc(out, ' ');
}

void
ui_fit(struct sbuf *out, const char *safe, size_t w, bool right)
{
	const char *ell = ascii_mode ? "~" : "\xe2\x80\xa6";
	size_t have = utf8_width(safe), k, got;

	sbuf_add(out, "");
	if (w == 0)
		return;
	if (have <= w) {
		if (right)
			pad(out, w - have);
		sbuf_add(out, safe);
		if (!right)
			pad(out, w - have);
		return;
	}
	/* cut to w-1 columns plus the one-column ellipsis */
	k = utf8_prefix_for_width(safe, w - 1);
	sbuf_addn(out, safe, k);
	{
		char *cut = xstrndup(safe, k);
		got = utf8_width(cut);
		free(cut);
	}
	pad(out, w - 1 - got);  /* a wide char that did not fit */
	sbuf_add(out, ell);
}

int
ui_wrap(struct sbuf *out, const char *safe, size_t w, int max_lines)
{
	const char *p = safe;
	size_t used = 0;
	int n = 0;

	sbuf_reset(out);
	while (*p) {
		size_t len = strcspn(p, " "), ww;
		char *word;
		if (len == 0) {
			p++;
			continue;
		}
		word = xstrndup(p, len);
		ww = ui_width(word);
		if (n == 0) {
			n = 1;
		} else if (used + 1 + ww > w) {
			if (n >= max_lines) {
				sbuf_addc(out, ' ');
				sbuf_add(out, p);       /* the rest, cut when drawn */
				free(word);
				break;
			}
			sbuf_addc(out, '\n');
			n++;
			used = 0;
		} else {
			sbuf_addc(out, ' ');
			used++;
		}
		sbuf_add(out, word);
		used += ww;
		free(word);
		p += len;
	}
	return n;
}
