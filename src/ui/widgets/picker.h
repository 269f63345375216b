/*
 * picker.h - type-ahead pickers: choose a program, partner, tier or user
 * by typing any words of its name (case and accents folded, as the
 * referrer lookup folds them) or the start of its id, instead of typing
 * the exact name.  A pick list holds the names of one kind (app_list);
 * ui_pick runs the modal picker; forms use the same list for their
 * FIELD_PICK fields (form.c).
 */
#ifndef ALLY_UI_PICKER_H
#define ALLY_UI_PICKER_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/records.h"
#include "ui/shell.h"

struct pick_item {
	char *name;             /* raw, as app_resolve_ref takes it back */
	char *folded;           /* its folded words, one blank between */
	char *label;            /* safe: "Harbor North  P3" */
	char id[24];
};

struct pick_list {
	enum kind kind;
	struct pick_item *v;
	size_t n;
};

/* The names of kind k (KIND_PROGRAM, KIND_PARTNER, KIND_TIER, KIND_USER)
 * the session may read; false (message shown) when it may not. */
bool pick_load(struct ui *ui, enum kind k, struct pick_list *out);
void pick_free(struct pick_list *l);
/* "program", "partner", "tier", "user" */
const char *pick_what(enum kind k);
/* The items q matches, in list order, into out (at most max); the count
 * of all.  q matches when each of its folded words begins a word of the
 * name, or when it begins the id ("P3", "3"); "" matches everything. */
size_t pick_match(const struct pick_list *l, const char *q, size_t *out, size_t max);
/* The item named exactly q (folded) or with id q, else NULL. */
const struct pick_item *pick_exact(const struct pick_list *l, const char *q);

/* Pick one record of kind k, starting from the text initial: the list
 * follows every key; Up/Down move, Enter picks, Esc cancels (NULL).
 * allow_empty: Enter on an empty line returns "" (all). */
char *ui_pick(struct ui *ui, const char *question, enum kind k, const char *initial,
    bool allow_empty);

#endif
