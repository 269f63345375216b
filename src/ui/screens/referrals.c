/*
 * referrals.c - the Referrals tab: referrer lookup.  Press / and type
 * any words of a name, e-mail or code, or of a contact a referrer
 * brought in; the results follow every key, best first, with the count
 * of all matches (app_lookup reads only the referrers it shows).  Enter opens the referrer's timeline: codes,
 * referrals, conversions, refunds and commissions, newest first.
 */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "app/lookup.h"
#include "core/alloc.h"
#include "ui/screens/common.h"
#include "ui/text.h"
#include "ui/widgets/dialog.h"
#include "ui/widgets/edit.h"
#include "ui/widgets/table.h"

#define LOOKUP_MAX 200

struct lookup {
	struct edit q;
	bool typing;
	struct table t;
	struct lookup_count count;
};

/* No partner column: a partner's referrer carries the partner's name.
 * What matched is kept with the name and e-mail: without it a contact's
 * match looks like a wrong result. */
static const struct table_colspec cols[] = {
	{ "id", "Id", 9, COL_LOW, 0 }, { "name", "Name", 26, COL_KEEP, 0 }, { "email", "E-mail", 30, COL_KEEP, 0 },
	{ "kind", "Kind", 8, COL_LOW, 0 }, { "match", "Match", 60, COL_KEEP, 0 },
};

static void *
lookup_open(struct ui *ui, const void *arg)
{
	struct lookup *s = xcalloc(1, sizeof *s);

	(void)ui;
	(void)arg;
	table_init(&s->t, cols, sizeof cols / sizeof cols[0]);
	s->t.empty = "No referrer has a word starting with that.";
	return s;
}

static void
lookup_close(void *st)
{
	struct lookup *s = st;

	table_free(&s->t);
	free(s);
}

static void
lookup_load(struct ui *ui, void *st)
{
	struct lookup *s = st;
	struct err e;

	err_clear(&e);
	table_begin(&s->t);
	if (app_lookup(ui_app(ui), s->q.buf, LOOKUP_MAX, table_add, &s->t, &s->count, &e) != ST_OK)
		ui_message(ui, CR_ERROR, "%s", e.msg);
	table_end(&s->t);
}

/* "16,835 found, best 200 shown", "at least 29,698 found: add a word" */
static void
lookup_count_text(const struct lookup *s, char *buf, size_t cap)
{
	char digits[24], n[32];
	size_t nd, i, o = 0;

	nd = (size_t)snprintf(digits, sizeof digits, "%llu", (unsigned long long)s->count.total);
	for (i = 0; i < nd; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			n[o++] = ',';
		n[o++] = digits[i];
	}
	n[o] = '\0';
	if (s->count.more)
		snprintf(buf, cap, "at least %s found: add a word", n);
	else if (s->count.total > s->t.nrows)
		snprintf(buf, cap, "%s found, best %zu shown", n, s->t.nrows);
	else
		snprintf(buf, cap, "%s found", n);
}

static void
lookup_draw(struct ui *ui, void *st, int y, int rows)
{
	struct lookup *s = st;
	int x = 10;

	ui_title(ui, y, "Referrals: find a referrer",
	    s->typing ? "Enter/Down to the list  Esc stop typing" : "/ type  Enter timeline");
	int w = ui_cols(ui) - x - 1;
	char count[80];

	count[0] = '\0';
	if (s->q.len > 0)
		lookup_count_text(s, count, sizeof count);
	/* the count takes the line's end; the query keeps at least half */
	if (count[0] && (int)strlen(count) + 2 < w / 2) {
		w -= (int)strlen(count) + 2;
		ui_put_right(ui, y + 1, x + w + 2, (int)strlen(count), count, CR_DIM);
	}
	ui_put(ui, y + 1, 1, x - 1, "Look up:", s->typing ? CR_TITLE : CR_NORMAL);
	if (s->q.len == 0 && !s->typing)
		ui_put(ui, y + 1, x, w, "press / and type any word of a name, e-mail or code",
		    CR_DIM);
	else
		edit_draw(ui, &s->q, y + 1, x, w, false, s->typing ? CR_FIELD_ACTIVE : CR_FIELD);
	if (s->q.len == 0) {
		static const char *const help[] = {
			"#Support's view of one person",
			"Type any word, or the start of one, of a name (\"tanaka\"), an e-mail",
			"or a code, or of a contact a referrer brought in (\"ann@example.com\"):",
			"case and accents do not matter (\"zoe\" finds Zoë). Results follow",
			"every key, best first: whole words, then names and codes, then",
			"e-mails, then contacts. Enter on a result shows the timeline: codes,",
			"referrals, conversions, refunds, commissions.",
			NULL
		};
		screen_page(ui, y + 3, rows - 3, help);
	} else {
		table_draw(ui, &s->t, y + 2, rows - 2);
	}
	if (s->typing)
		edit_draw(ui, &s->q, y + 1, x, w, true, CR_FIELD_ACTIVE);
}

static void timeline_push(struct ui *ui, const char *referrer);

static bool
lookup_key(struct ui *ui, void *st, enum action act, int key)
{
	struct lookup *s = st;

	if (s->typing) {
		if (key == UI_ESC) {
			s->typing = false;
		} else if (key == '\n' || key == '\r' || key == UI_FN(KEY_ENTER) ||
		    key == UI_FN(KEY_DOWN)) {
			s->typing = false;
			if ((key != UI_FN(KEY_DOWN)) && s->t.nview == 1)
				timeline_push(ui, table_current(&s->t));
		} else if (key == '\t' || key == UI_FN(KEY_BTAB)) {
			s->typing = false;
			return false;           /* tabs still switch screens */
		} else if (edit_key(&s->q, key)) {
			lookup_load(ui, s);
		}
		return true;
	}
	if (act == ACT_FILTER) {
		s->typing = true;
		return true;
	}
	if (act == ACT_BACK && s->q.len > 0) {
		edit_set(&s->q, "");
		lookup_load(ui, s);
		return true;
	}
	if (act == ACT_OPEN) {
		if (s->t.nview)
			timeline_push(ui, table_current(&s->t));
		return true;
	}
	if (act == ACT_FILTER)
		return true;
	return table_key(&s->t, act, key);
}

static const struct screen_key screen_referrals_keys[] = {
	SK_ANY(ACT_FILTER, "look up by any word: name, e-mail, code, contact"),
	SK_ANY(ACT_OPEN, "the timeline of the referrer under the cursor"),
	SK_END
};

static bool
screen_referrals_typing(void *st)
{
	const struct lookup *s = st;

	return s->typing || s->t.filtering;
}

const struct screen_ops screen_referrals = {
	.name = "Referrals",
	.open = lookup_open,
	.close = lookup_close,
	.load = lookup_load,
	.draw = lookup_draw,
	.key = lookup_key,
	.keys = screen_referrals_keys,
	.typing = screen_referrals_typing,
};

/* ---- the timeline of one referrer ---- */

struct timeline {
	char id[24];
	char *who;              /* safe header text */
	struct table t;
};

static const struct table_colspec tl_cols[] = {
	{ "at", "When", 16, COL_LOW, 0 }, { "what", "What", 10, COL_NORMAL, 0 }, { "id", "Id", 9, COL_LOW, 0 },
	{ "program", "Program", 18, COL_KEEP, 0 }, { "detail", "Detail", 34, COL_NORMAL, 0 }, { "amount", "Amount", 12, COL_KEEP, 0 },
	{ "status", "Status", 14, COL_NORMAL, 0 },
};

static void *
timeline_open(struct ui *ui, const void *arg)
{
	struct timeline *s = xcalloc(1, sizeof *s);

	(void)ui;
	snprintf(s->id, sizeof s->id, "%s", (const char *)arg);
	table_init(&s->t, tl_cols, sizeof tl_cols / sizeof tl_cols[0]);
	s->t.no_totals = true;
	s->t.empty = "Nothing recorded for this referrer yet.";
	return s;
}

static void
timeline_close(void *st)
{
	struct timeline *s = st;

	table_free(&s->t);
	free(s->who);
	free(s);
}

static void
timeline_load(struct ui *ui, void *st)
{
	struct timeline *s = st;
	struct recfields rf;
	struct err e;

	free(s->who);
	s->who = NULL;
	if (rec_fields(ui, KIND_REFERRER, s->id, &rf)) {
		char *raw = xasprintf("%s %s %s (%s)", s->id, rec_field(&rf, "name"),
		    rec_field(&rf, "email"), rec_field(&rf, "kind"));
		s->who = ui_text(raw);
		free(raw);
		rec_fields_free(&rf);
	}
	err_clear(&e);
	table_begin(&s->t);
	if (app_referrer_timeline(ui_app(ui), s->id, 2000, table_add, &s->t, &e) != ST_OK)
		ui_message(ui, CR_ERROR, "%s", e.msg);
	table_end(&s->t);
}

static void
timeline_draw(struct ui *ui, void *st, int y, int rows)
{
	struct timeline *s = st;

	ui_title(ui, y, s->who ? s->who : s->id, "Enter detail  q back");
	table_draw(ui, &s->t, y + 1, rows - 1);
}

static void
entry_detail(struct ui *ui, struct timeline *s)
{
	const char *what = table_current_cell(&s->t, "what");
	const char *id = table_current(&s->t);
	struct recfields rf;
	struct sbuf b;
	enum kind k;
	char *title;

	if (what == NULL)
		return;
	if (strcmp(what, "code") == 0)
		k = KIND_CODE;
	else if (strcmp(what, "referral") == 0)
		k = KIND_REFERRAL;
	else if (strcmp(what, "conversion") == 0)
		k = KIND_CONVERSION;
	else if (strcmp(what, "refund") == 0)
		k = KIND_REFUND;
	else {
		ui_message(ui, CR_WARNING, "see the Commissions tab (6) for %s", id);
		return;
	}
	if (!rec_fields(ui, k, id, &rf))
		return;
	sbuf_init(&b);
	rec_fields_text(&rf, &b);
	title = xasprintf("%s %s", kind_name(k), id);
	ui_show_text(ui, title, sbuf_str(&b));
	free(title);
	sbuf_free(&b);
	rec_fields_free(&rf);
}

static bool
timeline_key(struct ui *ui, void *st, enum action act, int key)
{
	struct timeline *s = st;

	if (table_key(&s->t, act, key))
		return true;
	if (act == ACT_OPEN) {
		if (s->t.nview)
			entry_detail(ui, s);
		return true;
	}
	return false;
}

static const struct screen_key screen_timeline_keys[] = {
	SK_ANY(ACT_OPEN, "the entry under the cursor: every field"),
	SK_LIST,
	SK_END
};

static bool
screen_timeline_typing(void *st)
{
	return ((struct timeline *)st)->t.filtering;
}

static struct table *
screen_timeline_list(void *st)
{
	return &((struct timeline *)st)->t;
}

static const struct screen_ops screen_timeline = {
	.name = "Timeline",
	.open = timeline_open,
	.close = timeline_close,
	.load = timeline_load,
	.draw = timeline_draw,
	.key = timeline_key,
	.keys = screen_timeline_keys,
	.typing = screen_timeline_typing,
	.list = screen_timeline_list,
};

static void
timeline_push(struct ui *ui, const char *referrer)
{
	if (referrer && referrer[0])
		ui_push(ui, &screen_timeline, referrer);
}

void
referrals_timeline(struct ui *ui, const char *referrer)
{
	timeline_push(ui, referrer);
}
