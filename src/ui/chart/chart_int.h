/*
 * chart_int.h - building lines of segments, shared by the chart files
 * (not part of the chart API).
 */
#ifndef ALLY_UI_CHART_INT_H
#define ALLY_UI_CHART_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui/chart/chart.h"

struct chart_line *chart_new_line(struct chart *c);
/* Append text in role r, joining the last segment when it has that role. */
void chart_addn(struct chart_line *l, enum color_role r, const char *s, size_t n);
void chart_add(struct chart_line *l, enum color_role r, const char *s);
void chart_add_cp(struct chart_line *l, enum color_role r, uint32_t cp);
void chart_add_blanks(struct chart_line *l, int n);
/* Safe text fitted to exactly w columns (ui_fit). */
void chart_add_fit(struct chart_line *l, enum color_role r, const char *safe, int w, bool right);

#endif
