/*
 * chart.h - charts drawn in text: horizontal bars for rankings, vertical
 * bars and a braille line for time series (with a y axis on nice ticks,
 * date labels and a legend), a sparkline, and a funnel.
 *
 * Every chart renders into a struct chart: lines of segments, each a run
 * of safe text in one colour role.  Rendering needs no terminal, so the
 * exact lines are unit-tested (tests/unit/test_chart.c); chart_draw() is
 * the thin curses part.  A chart in ASCII mode uses only bytes below 0x80
 * ('#' bars, '.' and '*' for the line); otherwise block elements
 * (U+2581..U+2588, U+2589..U+258F) and braille cells (U+2800 + dots), all
 * one column wide, so a line is never wider than asked and no character
 * is cut in half.  Labels given to a chart are safe text (ui_text()).
 */
#ifndef ALLY_UI_CHART_H
#define ALLY_UI_CHART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui/theme.h"

struct chart_seg {
	enum color_role role;
	char *text;
};

struct chart_line {
	struct chart_seg *seg;
	size_t n, cap;
};

struct chart {
	bool ascii;
	struct chart_line *line;
	size_t n, cap;
};

void chart_init(struct chart *c, bool ascii);
/* Drop the lines (the chart can be rendered into again). */
void chart_reset(struct chart *c);
void chart_free(struct chart *c);
/* The text of line i without colours: a new string. */
char *chart_line_text(const struct chart *c, size_t i);
/* Display columns of line i. */
size_t chart_line_width(const struct chart *c, size_t i);

/* A compact number for axes: 950, 9999, 12k, 1.5M, 10E. */
char *chart_num(uint64_t v, char buf[32]);
/*
 * A nice axis for values up to max in at most `ticks` intervals: the step
 * is 1, 2 or 5 times a power of ten; returns the step and sets *top to
 * the axis' end (a multiple of the step, >= max, > 0).
 */
uint64_t chart_nice(uint64_t max, int ticks, uint64_t *top);

/* One bar of a ranking or a funnel step. */
struct chart_item {
	const char *label;      /* safe text */
	int64_t value;          /* the bar's length (negative counts as 0) */
	const char *text;       /* the value as shown (safe); NULL: the number */
	enum color_role role;   /* of the bar */
};

/*
 * Horizontal bars, one line per item, `width` columns: the label cut to
 * its column, the bar in eighths of a cell, the value right-aligned.
 * Bars are scaled to the largest value; a value above zero always shows.
 */
void chart_hbars(struct chart *c, int width, const struct chart_item *it, size_t n);

/*
 * A funnel: one line per step, bars centred and scaled to the largest
 * step, the value, and each step's share of the one before.
 */
void chart_funnel(struct chart *c, int width, const struct chart_item *it, size_t n);

/* A sparkline of the last `width` values (fewer when there are fewer):
 * eight levels, zero on the lowest, the largest value on the highest. */
void chart_spark(struct chart *c, int width, const int64_t *v, size_t n, enum color_role role);

/* A time series: up to two series over the same points. */
struct chart_series {
	const char *name;       /* for the legend (safe) */
	const int64_t *v;
	enum color_role role;
};

struct chart_time {
	const struct chart_series *s;
	size_t ns;              /* 1 or 2 */
	size_t n;               /* points */
	const char *const *xlabel;      /* one per point (safe), or NULL */
};

/*
 * Vertical bars, `height` lines in all: the plot, the x axis, the date
 * labels and the legend.  The first series is drawn in eighths of a cell,
 * the second over it in whole cells of another glyph (▓, '=' in ASCII).
 * When the points outnumber the columns, the latest are shown.
 */
void chart_vbars(struct chart *c, int width, int height, const struct chart_time *t);

/* The same as a line: braille dots (2x4 a cell), or in ASCII '*' on the
 * points joined by '.' ('o' for the second series). */
void chart_line(struct chart *c, int width, int height, const struct chart_time *t);

struct ui;
/* Draw lines [0, rows) of the chart at (y, x). */
void chart_draw(struct ui *ui, const struct chart *c, int y, int x, int rows);

#endif
