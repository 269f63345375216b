/*
 * form.h - typed forms: text, e-mail, money, date, whole number, choice
 * and commission rule fields, each validated as you type by the same
 * functions the app uses (email_normalise, money_parse, date_parse_day,
 * rule_parse), the error shown under the field; a pick field names a
 * record and offers the type-ahead picker.  Ctrl-S (or Enter on the
 * last field) saves through the screen's save function; an error it
 * returns that names a field ("rule: ...") lands on that field.  Esc
 * cancels, asking only when something changed.  A screen may watch its
 * fields change (the deal form's conflict check) and put a note under
 * any field: shown in the warning colour, it does not stop a save.
 */
#ifndef ALLY_UI_FORM_H
#define ALLY_UI_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "core/money.h"
#include "domain/records.h"
#include "ui/shell.h"
#include "ui/widgets/edit.h"

enum field_type { FIELD_TEXT, FIELD_EMAIL, FIELD_MONEY, FIELD_DATE, FIELD_INT, FIELD_CHOICE,
	FIELD_RULE, FIELD_PICK, FIELD_BONUS };

struct pick_list;

struct field {
	const char *key;                /* as app errors name it: "rule" */
	const char *label;
	enum field_type type;
	bool required;
	const char *const *choices;     /* FIELD_CHOICE: NULL-terminated */
	/* FIELD_PICK: a program, partner, tier or user by any word of its
	 * name (ui/widgets/picker.h): what is typed is matched as you type,
	 * and Enter opens the picker on it */
	enum kind pick;
	const char *hint;               /* shown under the focused field */
	/* state */
	struct edit ed;
	char initial[EDIT_MAX];
	char err[256];
	char note[512];         /* set by the screen's change function */
	bool note_info;         /* the note informs (dim), not warns */
	struct pick_list *list; /* FIELD_PICK: the names, while the form runs */
};

struct form;
typedef enum status (*form_save_fn)(struct ui *ui, struct form *f, void *ctx, struct err *e);
/* Field i changed (and was validated); also called once for every field
 * when the form opens. */
typedef void (*form_change_fn)(struct ui *ui, struct form *f, size_t i, void *ctx);
/* Half a second went by with no key: the time for work too slow to do at
 * every key (the program form's what-if). */
typedef void (*form_idle_fn)(struct ui *ui, struct form *f, void *ctx);

struct form {
	const char *title;
	struct field *fields;
	size_t n;
	const struct currency *cur;     /* for money and rule fields */
	form_save_fn save;
	form_change_fn change;  /* may be NULL */
	form_idle_fn idle;      /* may be NULL */
	void *ctx;
	size_t focus;
	char msg[512];
};

/* Set a field's starting value (what "changed" compares against). */
void form_set(struct form *f, size_t i, const char *value);
const char *form_value(const struct form *f, size_t i);
/* The value when it differs from the starting one, else NULL (for edits:
 * NULL keeps the record's value). */
const char *form_changed_value(const struct form *f, size_t i);
/* The value, or NULL when empty (for adds: NULL takes the default). */
const char *form_value_or_null(const struct form *f, size_t i);
/* Run until saved (true) or cancelled (false). */
bool form_run(struct ui *ui, struct form *f);

#endif
