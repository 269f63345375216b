/*
 * chart.c - the line buffer, numbers for axes, and the charts that need
 * no axis: horizontal bars, the funnel and the sparkline.  Pure functions
 * of their input; the time series are in chart_time.c, the curses drawing
 * in chart_draw.c.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "core/utf8.h"
#include "ui/chart/chart.h"
#include "ui/chart/chart_int.h"
#include "ui/text.h"

void
chart_init(struct chart *c, bool ascii)
{
	memset(c, 0, sizeof *c);
	c->ascii = ascii;
}

void
chart_reset(struct chart *c)
{
	size_t i, j;

	for (i = 0; i < c->n; i++) {
		for (j = 0; j < c->line[i].n; j++)
			free(c->line[i].seg[j].text);
		free(c->line[i].seg);
	}
	c->n = 0;
}

void
chart_free(struct chart *c)
{
	chart_reset(c);
	free(c->line);
	c->line = NULL;
	c->cap = 0;
}

char *
chart_line_text(const struct chart *c, size_t i)
{
	struct sbuf b;
	size_t j;

	sbuf_init(&b);
	sbuf_add(&b, "");
	if (i < c->n)
		for (j = 0; j < c->line[i].n; j++)
			sbuf_add(&b, c->line[i].seg[j].text);
	return sbuf_take(&b);
}

size_t
chart_line_width(const struct chart *c, size_t i)
{
	char *s = chart_line_text(c, i);
	size_t w = ui_width(s);

	free(s);
	return w;
}

struct chart_line *
chart_new_line(struct chart *c)
{
	struct chart_line *l;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->line = xrealloc(c->line, c->cap * sizeof *c->line);
	}
	l = &c->line[c->n++];
	memset(l, 0, sizeof *l);
	return l;
}

void
chart_addn(struct chart_line *l, enum color_role r, const char *s, size_t n)
{
	struct chart_seg *g;
	size_t old;

	if (n == 0)
		return;
	if (l->n > 0 && l->seg[l->n - 1].role == r) {
		g = &l->seg[l->n - 1];
		old = strlen(g->text);
		g->text = xrealloc(g->text, old + n + 1);
		memcpy(g->text + old, s, n);
		g->text[old + n] = '\0';
		return;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->seg = xrealloc(l->seg, l->cap * sizeof *l->seg);
	}
	g = &l->seg[l->n++];
	g->role = r;
	g->text = xmalloc(n + 1);
	memcpy(g->text, s, n);
	g->text[n] = '\0';
}

void
chart_add(struct chart_line *l, enum color_role r, const char *s)
{
	chart_addn(l, r, s, strlen(s));
}

void
chart_add_cp(struct chart_line *l, enum color_role r, uint32_t cp)
{
	char buf[4];
	size_t k = utf8_encode(cp, buf);

	chart_addn(l, r, buf, k);
}

void
chart_add_blanks(struct chart_line *l, int n)
{
	while (n-- > 0)
		chart_add(l, CR_NORMAL, " ");
}

void
chart_add_fit(struct chart_line *l, enum color_role r, const char *safe, int w, bool right)
{
	struct sbuf b;

	if (w <= 0)
		return;
	sbuf_init(&b);
	ui_fit(&b, safe, (size_t)w, right);
	chart_add(l, r, sbuf_str(&b));
	sbuf_free(&b);
}

char *
chart_num(uint64_t v, char buf[32])
{
	static const char suffix[] = "kMGTPE";
	uint64_t unit = 1;
	int e = -1;

	if (v < 10000) {
		snprintf(buf, 32, "%" PRIu64, v);
		return buf;
	}
	while (e < 5 && v / unit >= 1000) {
		unit *= 1000;
		e++;
	}
	if (v / unit < 10 && v % unit != 0) {
		/* one decimal, rounded down so a tick never claims more */
		snprintf(buf, 32, "%" PRIu64 ".%" PRIu64 "%c", v / unit, (v % unit) * 10 / unit,
		    suffix[e]);
		if (strstr(buf, ".0") != NULL)
			snprintf(buf, 32, "%" PRIu64 "%c", v / unit, suffix[e]);
	} else {
		snprintf(buf, 32, "%" PRIu64 "%c", v / unit, suffix[e]);
	}
	return buf;
}

uint64_t
chart_nice(uint64_t max, int ticks, uint64_t *top)
{
	static const uint64_t mult[] = { 1, 2, 5 };
	uint64_t p = 1, step = 1, m;
	size_t i;

	if (ticks < 1)
		ticks = 1;
	if (max == 0)
		max = 1;
	for (;;) {
		for (i = 0; i < 3; i++) {
			if (p > UINT64_MAX / mult[i])
				goto last;
			step = p * mult[i];
			m = max / step + (max % step != 0);
			if (m <= (uint64_t)ticks) {
				*top = m * step;
				return step;
			}
		}
		if (p > UINT64_MAX / 10)
			break;
		p *= 10;
	}
last:
	/* only for values near 2^64: one interval */
	*top = max;
	return max;
}

static int64_t
nonneg(int64_t v)
{
	return v < 0 ? 0 : v;
}

/* Scale v of max to n units, rounded, at least 1 when v > 0. */
static long
scale(int64_t v, int64_t max, long n)
{
	long r;

	v = nonneg(v);
	if (max <= 0 || v == 0 || n <= 0)
		return 0;
	r = (long)((long double)v * (long double)n / (long double)max + 0.5L);
	if (r < 1)
		r = 1;
	if (r > n)
		r = n;
	return r;
}

static const char *
item_text(const struct chart_item *it, char buf[32])
{
	if (it->text)
		return it->text;
	snprintf(buf, 32, "%" PRId64, it->value);
	return buf;
}

static int
widest_label(const struct chart_item *it, size_t n)
{
	size_t i, w, m = 0;

	for (i = 0; i < n; i++) {
		w = ui_width(it[i].label ? it[i].label : "");
		if (w > m)
			m = w;
	}
	return (int)m;
}

static int
widest_text(const struct chart_item *it, size_t n)
{
	char buf[32];
	size_t i, w, m = 0;

	for (i = 0; i < n; i++) {
		w = ui_width(item_text(&it[i], buf));
		if (w > m)
			m = w;
	}
	return (int)m;
}

static int64_t
max_value(const struct chart_item *it, size_t n)
{
	int64_t m = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (it[i].value > m)
			m = it[i].value;
	return m;
}

/* A bar of `eighths` in a field of w cells, padded with blanks. */
static void
hbar(struct chart *c, struct chart_line *l, enum color_role r, long eighths, int w)
{
	long full = eighths / 8, part = eighths % 8, i;

	if (c->ascii) {
		full = (eighths + 4) / 8;
		if (full == 0 && eighths > 0)
			full = 1;
		part = 0;
	}
	for (i = 0; i < full; i++)
		chart_add(l, r, c->ascii ? "#" : "\xe2\x96\x88");
	if (part > 0)
		chart_add_cp(l, r, 0x2590 - (uint32_t)part);  /* U+258F: one eighth */
	chart_add_blanks(l, w - (int)full - (part > 0));
}

void
chart_hbars(struct chart *c, int width, const struct chart_item *it, size_t n)
{
	int lw = widest_label(it, n), vw = widest_text(it, n), bw, cap;
	int64_t max = max_value(it, n);
	char buf[32];
	size_t i;

	cap = width / 3 > 8 ? width / 3 : 8;
	if (lw > cap)
		lw = cap;
	bw = width - lw - vw - 2;
	if (bw < 1)
		bw = 1;
	for (i = 0; i < n; i++) {
		struct chart_line *l = chart_new_line(c);

		chart_add_fit(l, CR_NORMAL, it[i].label ? it[i].label : "", lw, false);
		chart_add(l, CR_NORMAL, " ");
		hbar(c, l, it[i].role, scale(it[i].value, max, (long)bw * 8), bw);
		chart_add(l, CR_NORMAL, " ");
		chart_add_fit(l, CR_TOTAL, item_text(&it[i], buf), vw, true);
	}
}

void
chart_funnel(struct chart *c, int width, const struct chart_item *it, size_t n)
{
	int lw = widest_label(it, n), vw = widest_text(it, n), bw, cells, pad;
	int64_t max = max_value(it, n);
	char buf[32], pct[16];
	size_t i;

	if (lw > width / 4)
		lw = width / 4;
	bw = width - lw - vw - 11;      /* label, bar, value, " " and 8 for "100.0%" */
	if (bw < 1)
		bw = 1;
	for (i = 0; i < n; i++) {
		struct chart_line *l = chart_new_line(c);

		chart_add_fit(l, CR_NORMAL, it[i].label ? it[i].label : "", lw, false);
		chart_add(l, CR_NORMAL, " ");
		cells = (int)scale(it[i].value, max, bw);
		pad = (bw - cells) / 2;
		chart_add_blanks(l, pad);
		while (cells-- > 0)
			chart_add(l, it[i].role, c->ascii ? "#" : "\xe2\x96\x88");
		chart_add_blanks(l, bw - pad - (int)scale(it[i].value, max, bw));
		chart_add(l, CR_NORMAL, " ");
		chart_add_fit(l, CR_TOTAL, item_text(&it[i], buf), vw, true);
		if (i == 0) {
			pct[0] = '\0';
		} else if (nonneg(it[i - 1].value) == 0 || nonneg(it[i].value) > it[i - 1].value) {
			/* not a share of the step before (lines can outnumber the
			 * conversions they come from): no step above 100% */
			snprintf(pct, sizeof pct, "-");
		} else {
			snprintf(pct, sizeof pct, "%.1f%%",
			    100.0 * (double)nonneg(it[i].value) / (double)it[i - 1].value);
		}
		chart_add(l, CR_NORMAL, " ");
		chart_add_fit(l, CR_DIM, pct, 8, true);
	}
}

void
chart_spark(struct chart *c, int width, const int64_t *v, size_t n, enum color_role role)
{
	static const char ascii_levels[] = "_.-:=+*#";
	struct chart_line *l = chart_new_line(c);
	size_t first = 0, i;
	int64_t max = 0;
	long lv;

	if (width <= 0)
		return;
	if (n > (size_t)width)
		first = n - (size_t)width;
	for (i = first; i < n; i++)
		if (v[i] > max)
			max = v[i];
	for (i = first; i < n; i++) {
		/* zero on the lowest level, anything above zero from the second */
		lv = v[i] <= 0 ? 0 : scale(v[i], max, 7);
		if (c->ascii) {
			char ch[2] = { ascii_levels[lv], '\0' };
			chart_add(l, role, ch);
		} else {
			chart_add_cp(l, role, 0x2581 + (uint32_t)lv);
		}
	}
}
