/*
 * table_int.h - between table.c and table_cells.c, the widget's storage.
 */
#ifndef ALLY_UI_TABLE_INT_H
#define ALLY_UI_TABLE_INT_H

#include "ui/widgets/table.h"

/* Drop every row and the storage behind them. */
void table_cells_free(struct table *t);
/* A load ended: the index of distinct strings goes, columns of few values
 * become codes. */
void table_cells_done(struct table *t);
/* After a long load, freed heap goes back to the system. */
void table_cells_trim(struct table *t);

#endif
