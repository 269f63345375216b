/*
 * chart_time.c - time series as vertical bars or a line, over one y axis.
 *
 * The axis takes the label column it needs and ends on a nice value
 * (chart_nice); tick j of m sits on the row whose top edge is j/m of the
 * plot, so labels never share a row.  The plot shows the latest points
 * when there are more than it has room for, so a chart is always as wide
 * as asked and never wider.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "ui/chart/chart.h"
#include "ui/chart/chart_int.h"
#include "ui/text.h"

struct axis {
	int lw;                 /* label column */
	int plot;               /* columns of the plot */
	int rows;               /* rows of the plot */
	size_t first, shown;    /* points drawn: [first, first + shown) */
	uint64_t step, top;
	int m;                  /* intervals */
};

static uint64_t
max_shown(const struct chart_time *t, size_t first)
{
	uint64_t m = 0;
	size_t i, k;

	for (k = 0; k < t->ns; k++)
		for (i = first; i < t->n; i++)
			if (t->s[k].v[i] > 0 && (uint64_t)t->s[k].v[i] > m)
				m = (uint64_t)t->s[k].v[i];
	return m;
}

/* per: points a column (1 for bars, 2 for braille dots) */
static void
axis_setup(struct axis *ax, int width, int height, const struct chart_time *t, int per)
{
	char buf[32];
	int pass, cap;

	memset(ax, 0, sizeof *ax);
	ax->rows = height - 3 > 1 ? height - 3 : 1;
	for (pass = 0; pass < 2; pass++) {
		ax->step = chart_nice(max_shown(t, ax->first), (ax->rows + 1) / 2,
		    &ax->top);
		ax->m = (int)(ax->top / ax->step);
		ax->lw = (int)strlen(chart_num(ax->top, buf));
		ax->plot = width - ax->lw - 2;
		if (ax->plot < 1)
			ax->plot = 1;
		cap = ax->plot * per;
		ax->first = t->n > (size_t)cap ? t->n - (size_t)cap : 0;
		ax->shown = t->n - ax->first;
	}
}

/* Scale v of top to n units, rounded, at least 1 when v > 0. */
static long
scale_u(int64_t v, uint64_t top, long n)
{
	long r;

	if (v <= 0 || top == 0 || n <= 0)
		return 0;
	r = (long)((long double)v * (long double)n / (long double)top + 0.5L);
	if (r < 1)
		r = 1;
	return r > n ? n : r;
}

/* The start of plot row r (0 at the top): tick label and axis glyph. */
static struct chart_line *
axis_row(struct chart *c, const struct axis *ax, int r)
{
	struct chart_line *l = chart_new_line(c);
	int from_bottom = ax->rows - 1 - r, j;
	char buf[32];
	const char *label = "";

	for (j = 1; j <= ax->m; j++) {
		if ((int)(((long)j * ax->rows * 2 + ax->m) / (2L * ax->m)) - 1 == from_bottom) {
			label = chart_num(ax->step * (uint64_t)j, buf);
			break;
		}
	}
	chart_add_fit(l, CR_DIM, label, ax->lw, true);
	chart_add(l, CR_NORMAL, " ");
	if (label[0])
		chart_add(l, CR_BORDER, c->ascii ? "+" : "\xe2\x94\xa4");
	else
		chart_add(l, CR_BORDER, c->ascii ? "|" : "\xe2\x94\x82");
	return l;
}

/* The x axis, the date labels at the given columns of the plot, the legend. */
static void
axis_foot(struct chart *c, const struct axis *ax, const struct chart_time *t, const int *col,
    const char *const *glyph)
{
	struct chart_line *l = chart_new_line(c);
	int i, next = 0, w;
	size_t k, every = 1;

	chart_add_fit(l, CR_DIM, "0", ax->lw, true);
	chart_add(l, CR_NORMAL, " ");
	chart_add(l, CR_BORDER, c->ascii ? "+" : "\xe2\x94\x94");
	for (i = 0; i < ax->plot; i++)
		chart_add(l, CR_BORDER, c->ascii ? "-" : "\xe2\x94\x80");

	/* labels on every step-th point, evenly, as many as fit */
	if (t->xlabel && ax->shown > 1) {
		w = 0;
		for (k = 0; k < ax->shown; k++)
			if (t->xlabel[ax->first + k] && (int)ui_width(t->xlabel[ax->first + k]) > w)
				w = (int)ui_width(t->xlabel[ax->first + k]);
		for (every = 1; every < ax->shown; every++) {
			for (k = every; k < ax->shown; k += every)
				if (col[k] - col[k - every] < w + 1)
					break;
			if (k >= ax->shown)
				break;
		}
	}
	l = chart_new_line(c);
	chart_add_blanks(l, ax->lw + 2);
	for (k = 0; t->xlabel && k < ax->shown; k += every) {
		const char *s = t->xlabel[ax->first + k];

		w = s ? (int)ui_width(s) : 0;
		if (w == 0 || col[k] < (next > 0 ? next + 1 : 0) || col[k] + w > ax->plot)
			continue;
		chart_add_blanks(l, col[k] - next);
		chart_add(l, CR_DIM, s);
		next = col[k] + w;
	}

	l = chart_new_line(c);
	chart_add_blanks(l, ax->lw + 2);
	/* the legend, cut to the plot's width */
	for (k = 0, i = ax->plot; k < t->ns; k++) {
		const char *name = t->s[k].name ? t->s[k].name : "";

		if (i < (k > 0 ? 2 : 0) + 3)
			break;
		if (k > 0) {
			chart_add(l, CR_NORMAL, "  ");
			i -= 2;
		}
		chart_add(l, t->s[k].role, glyph[k]);
		chart_add(l, CR_NORMAL, " ");
		i -= 2;
		w = (int)ui_width(name);
		chart_add_fit(l, CR_NORMAL, name, w < i ? w : i, false);
		i -= w < i ? w : i;
	}
}

/* "no data" in the middle of an empty plot. */
static bool
empty_row(struct chart_line *l, const struct axis *ax, int r)
{
	static const char msg[] = "no data";

	if (r != (ax->rows - 1) / 2 || ax->plot < (int)sizeof msg)
		return false;
	chart_add_blanks(l, (ax->plot - (int)strlen(msg)) / 2);
	chart_add(l, CR_DIM, msg);
	return true;
}

/* One cell of a bar whose height is e eighths above this row's bottom. */
static void
bar_cell(struct chart_line *l, bool ascii, enum color_role role, long e, const char *full,
    const char *ch)
{
	if (e <= 0)
		chart_add(l, CR_NORMAL, " ");
	else if (ascii)
		chart_add(l, role, ch);
	else if (e >= 8)
		chart_add(l, role, full);
	else
		chart_add_cp(l, role, 0x2580 + (uint32_t)e);
}

/*
 * Referrals as bars, conversions beside them (the right part of each
 * day's bar, when it is two columns or more), both to scale in eighths
 * of a cell; full conversion cells are shaded (a texture of their own
 * without colour).  A bar one column wide shows conversions inside the
 * referrals bar, in whole cells rounded down: never more than they are.
 */
void
chart_vbars(struct chart *c, int width, int height, const struct chart_time *t)
{
	static const char *const utf8_glyph[] = { "\xe2\x96\x88", "\xe2\x96\x93" };
	static const char *const ascii_glyph[] = { "#", "=" };
	struct axis ax;
	int bw, barw, split, r, x, *col;
	long *e0, *e1;
	size_t k;
	long unit;

	axis_setup(&ax, width, height, t, 1);
	bw = ax.shown ? ax.plot / (int)ax.shown : 1;
	if (bw > 6)
		bw = 6;
	if (bw < 1)
		bw = 1;
	barw = bw > 1 ? bw - 1 : 1;
	split = t->ns > 1 && barw >= 2 ? (barw + 1) / 2 : barw;  /* referral columns */
	unit = c->ascii ? 1 : 8;
	col = xcalloc(ax.shown + 1, sizeof *col);
	e0 = xcalloc(ax.shown + 1, sizeof *e0);
	e1 = xcalloc(ax.shown + 1, sizeof *e1);
	for (k = 0; k < ax.shown; k++) {
		col[k] = (int)k * bw;
		e0[k] = scale_u(t->s[0].v[ax.first + k], ax.top, (long)ax.rows * unit);
		if (t->ns > 1 && ax.top > 0 && t->s[1].v[ax.first + k] > 0) {
			/* to scale, rounded down: one conversion is not a cell */
			long n = (long)ax.rows * unit;
			e1[k] = (long)((long double)t->s[1].v[ax.first + k] * (long double)n /
			    (long double)ax.top);
			if (e1[k] > n)
				e1[k] = n;
		}
	}
	for (r = 0; r < ax.rows; r++) {
		struct chart_line *l = axis_row(c, &ax, r);
		int fb = ax.rows - 1 - r;       /* from the bottom */

		if (ax.shown == 0 && empty_row(l, &ax, r))
			continue;
		for (k = 0; k < ax.shown; k++) {
			for (x = 0; x < bw && col[k] + x < ax.plot; x++) {
				long e = e0[k] - unit * fb, f = e1[k] - unit * fb;

				if (x >= barw)
					chart_add(l, CR_NORMAL, " ");
				else if (x >= split)
					bar_cell(l, c->ascii, t->s[1].role, f, "\xe2\x96\x93", "=");
				else if (t->ns > 1 && split == barw && f >= unit)
					chart_add(l, t->s[1].role, c->ascii ? "=" : "\xe2\x96\x93");
				else
					bar_cell(l, c->ascii, t->s[0].role, e, "\xe2\x96\x88", "#");
			}
		}
	}
	axis_foot(c, &ax, t, col, c->ascii ? ascii_glyph : utf8_glyph);
	free(col);
	free(e0);
	free(e1);
}

/* ---- the line ---- */

struct grid {
	int w, h;               /* in dots (braille) or cells (ASCII) */
	unsigned char *cell;    /* braille dot bits, or the ASCII character */
	unsigned char *who;     /* series + 1 of the last mark in the cell */
	int cols;
	bool ascii;
};

static void
grid_mark(struct grid *g, int x, int y, int series, char ch)
{
	static const unsigned char bit[2][4] = { { 0x01, 0x02, 0x04, 0x40 },
						 { 0x08, 0x10, 0x20, 0x80 } };
	int row, i;

	if (x < 0 || y < 0 || x >= g->w || y >= g->h)
		return;
	row = g->h - 1 - y;             /* from the top */
	if (g->ascii) {
		i = row * g->cols + x;
		if (ch == '.' && g->cell[i] != ' ' && g->cell[i] != '.')
			return;         /* a line never hides a point */
		g->cell[i] = (unsigned char)ch;
	} else {
		i = (row / 4) * g->cols + x / 2;
		g->cell[i] |= bit[x % 2][row % 4];
	}
	g->who[i] = (unsigned char)(series + 1);
}

static void
grid_segment(struct grid *g, int x0, int y0, int x1, int y1, int series, char ch)
{
	int dx = abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
	int dy = -abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
	int err = dx + dy, e2;

	for (;;) {
		grid_mark(g, x0, y0, series, ch);
		if (x0 == x1 && y0 == y1)
			break;
		e2 = 2 * err;
		if (e2 >= dy) {
			err += dy;
			x0 += sx;
		}
		if (e2 <= dx) {
			err += dx;
			y0 += sy;
		}
	}
}

void
chart_line(struct chart *c, int width, int height, const struct chart_time *t)
{
	/* a dot for the first series, a block of four for the second: they
	 * differ without colour too */
	static const char *const utf8_glyph[] = { "\xe2\xa0\x82", "\xe2\xa0\x9b" };
	static const char *const ascii_glyph[] = { "*", "o" };
	static const char point[] = { '*', 'o' };
	struct axis ax;
	struct grid g;
	int per = c->ascii ? 1 : 2, r, x, *col, *px, *py, i;
	size_t k, s;

	axis_setup(&ax, width, height, t, per);
	memset(&g, 0, sizeof g);
	g.ascii = c->ascii;
	g.cols = ax.plot;
	g.w = ax.plot * per;
	g.h = ax.rows * (c->ascii ? 1 : 4);
	g.cell = xmalloc((size_t)ax.plot * (size_t)ax.rows);
	memset(g.cell, c->ascii ? ' ' : 0, (size_t)ax.plot * (size_t)ax.rows);
	g.who = xcalloc((size_t)ax.plot * (size_t)ax.rows, 1);
	col = xcalloc(ax.shown + 1, sizeof *col);
	px = xcalloc(ax.shown + 1, sizeof *px);
	py = xcalloc((ax.shown + 1) * 2, sizeof *py);
	for (k = 0; k < ax.shown; k++) {
		px[k] = ax.shown == 1 ? 0 :
		    (int)(((long)k * (g.w - 1) * 2 + (long)(ax.shown - 1)) / (2L * (long)(ax.shown - 1)));
		col[k] = px[k] / per;
	}
	/* lines first, then the points over them */
	for (s = 0; s < t->ns && s < 2; s++) {
		for (k = 0; k < ax.shown; k++) {
			py[s * ax.shown + k] = (int)scale_u(t->s[s].v[ax.first + k], ax.top, g.h - 1);
			if (k > 0)
				grid_segment(&g, px[k - 1], py[s * ax.shown + k - 1], px[k],
				    py[s * ax.shown + k], (int)s, '.');
		}
	}
	for (s = 0; s < t->ns && s < 2; s++)
		for (k = 0; k < ax.shown; k++) {
			int y = py[s * ax.shown + k];
			grid_mark(&g, px[k], y, (int)s, point[s]);
			if (s == 1 && !g.ascii) {
				/* the second series' points are 2x2 blocks */
				grid_mark(&g, px[k] ^ 1, y, (int)s, point[s]);
				grid_mark(&g, px[k], y + (y + 1 < g.h ? 1 : -1), (int)s, point[s]);
				grid_mark(&g, px[k] ^ 1, y + (y + 1 < g.h ? 1 : -1), (int)s, point[s]);
			}
		}
	for (r = 0; r < ax.rows; r++) {
		struct chart_line *l = axis_row(c, &ax, r);

		if (ax.shown == 0 && empty_row(l, &ax, r))
			continue;
		for (x = 0; x < ax.plot; x++) {
			i = r * g.cols + x;
			enum color_role role = g.who[i] ? t->s[g.who[i] - 1].role : CR_NORMAL;

			if (c->ascii) {
				char ch[2] = { (char)g.cell[i], '\0' };
				chart_add(l, g.who[i] ? role : CR_NORMAL, ch);
			} else if (g.cell[i] == 0) {
				chart_add(l, CR_NORMAL, " ");
			} else {
				chart_add_cp(l, role, 0x2800 + g.cell[i]);
			}
		}
	}
	axis_foot(c, &ax, t, col, c->ascii ? ascii_glyph : utf8_glyph);
	free(g.cell);
	free(g.who);
	free(col);
	free(px);
	free(py);
}
