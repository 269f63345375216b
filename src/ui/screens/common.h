/*
 * common.h - helpers the screens share: a record's fields by name (for
 * forms and detail panes), resolving a shown id to a number, reporting an
 * app error in the status line, and a static page of text.
 */
#ifndef ALLY_UI_SCREENS_COMMON_H
#define ALLY_UI_SCREENS_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include "app/io.h"
#include "core/str.h"
#include "ui/shell.h"

struct recfields {
	size_t n;
	const char *name[ROW_MAX];
	char *raw[ROW_MAX];     /* as a user would type it back (not escaped) */
};

/* Load one record's fields; false (message shown) when it failed. */
bool rec_fields(struct ui *ui, enum kind k, const char *id, struct recfields *out);
void rec_fields_free(struct recfields *f);
/* The raw value of a field, "" when absent. */
const char *rec_field(const struct recfields *f, const char *name);
/* "  name        value" lines for a detail pane. */
void rec_fields_text(const struct recfields *f, struct sbuf *out);

/* Shown id ("PG3") to its number; 0 (message shown) when not found. */
uint64_t screen_id(struct ui *ui, enum kind k, const char *id);
/* After an app call: ST_OK shows ok_msg (when given), else e's message. */
bool screen_report(struct ui *ui, enum status st, const struct err *e, const char *ok_msg);

/* The new-code form (programs.c), for a program and maybe a partner. */
void programs_code_form(struct ui *ui, const char *program, const char *partner);

/* The Deals tab's forms (deals_form.c): a new registration, with the
 * conflict check as you type (the new deal's id, to free, or NULL when
 * cancelled); winning deal id at a final value (true when won). */
char *deals_register_form(struct ui *ui);
bool deals_win_form(struct ui *ui, const char *id, const char *estimate);

/* The Referrals tab's timeline of one referrer ("R12"), pushed over the
 * current screen (referrals.c). */
void referrals_timeline(struct ui *ui, const char *referrer);

/* A page of text lines (NULL-terminated) from row y. */
void screen_page(struct ui *ui, int y, int rows, const char *const *lines);

#endif
