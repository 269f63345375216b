/*
 * chart_draw.c - the curses side of the charts: each segment of a line
 * drawn in its role, cut at the right edge of the terminal by ui_put,
 * which never splits a character.
 */
#include "config.h"

#include "ui/chart/chart.h"
#include "ui/shell.h"
#include "ui/text.h"

void
chart_draw(struct ui *ui, const struct chart *c, int y, int x, int rows)
{
	size_t i, j;
	int cx, w;

	for (i = 0; i < c->n && (int)i < rows; i++) {
		cx = x;
		for (j = 0; j < c->line[i].n; j++) {
			const struct chart_seg *g = &c->line[i].seg[j];

			w = (int)ui_width(g->text);
			if (cx >= ui_cols(ui))
				break;
			ui_put(ui, y + (int)i, cx, w, g->text, g->role);
			cx += w;
		}
	}
}
