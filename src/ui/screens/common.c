/*
 * common.c - shared screen helpers.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/date.h"
#include "core/money.h"
#include "ui/screens/common.h"
#include "ui/text.h"

static enum status
collect(void *ctx, const struct row *r)
{
	struct recfields *f = ctx;
	char buf[DATE_BUFSZ + MONEY_BUFSZ];
	size_t i;

	for (i = 0; i < r->n && f->n < ROW_MAX; i++) {
		const struct cell *c = &r->c[i];
		const struct currency *cur;
		char *v;
		switch (c->type) {
		case CELL_STR:
			v = xstrdup(c->s ? c->s : "");
			break;
		case CELL_INT:
			v = xasprintf("%" PRId64, c->i);
			break;
		case CELL_MONEY:
			cur = c->cur ? currency_find(c->cur) : NULL;
			if (cur == NULL)
				cur = currency_find("EUR");
			v = xstrdup(c->i ? money_format(c->i, cur, buf) : "");
			break;
		case CELL_TIME:
			v = xstrdup(c->i ? date_format_minute(c->i, buf) : "");
			break;
		case CELL_DATE:
			v = xstrdup(c->i ? date_format_day(c->i, buf) : "");
			break;
		default:
			v = xstrdup(c->i ? "yes" : "no");
			break;
		}
		f->name[f->n] = c->name;
		f->raw[f->n++] = v;
	}
	return ST_OK;
}

bool
rec_fields(struct ui *ui, enum kind k, const char *id, struct recfields *out)
{
	struct err e;
	enum status st;

	memset(out, 0, sizeof *out);
	err_clear(&e);
	st = app_show(ui_app(ui), k, id, collect, out, &e);
	if (st != ST_OK) {
		rec_fields_free(out);
		ui_message(ui, CR_ERROR, "%s", e.msg[0] ? e.msg : status_str(st));
		return false;
	}
	return true;
}

void
rec_fields_free(struct recfields *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->raw[i]);
	f->n = 0;
}

const char *
rec_field(const struct recfields *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->name[i], name) == 0)
			return f->raw[i];
	return "";
}

/* A field's name in words: "payout_email" is "Payout e-mail". */
static void
field_label(const char *name, char *buf, size_t len)
{
	const char *p = name;
	size_t n = 0;

	while (*p && n + 8 < len) {
		if (strncmp(p, "email", 5) == 0 && (p == name || p[-1] == '_')) {
			memcpy(buf + n, "e-mail", 6);
			n += 6;
			p += 5;
			continue;
		}
		buf[n++] = *p == '_' || *p == '.' ? ' ' : *p;
		p++;
	}
	buf[n] = '\0';
	if (buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
}

void
rec_fields_text(const struct recfields *f, struct sbuf *out)
{
	char label[64];
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (f->raw[i][0] == '\0')
			continue;
		field_label(f->name[i], label, sizeof label);
		sbuf_addf(out, "  %-16s %s\n", label, f->raw[i]);
	}
}

uint64_t
screen_id(struct ui *ui, enum kind k, const char *id)
{
	struct err e;
	uint64_t n = 0;

	err_clear(&e);
	if (id == NULL || id[0] == '\0') {
		ui_message(ui, CR_WARNING, "nothing selected");
		return 0;
	}
	if (app_resolve_ref(ui_app(ui), k, id, &n, &e) != ST_OK) {
		ui_message(ui, CR_ERROR, "%s", e.msg);
		return 0;
	}
	return n;
}

bool
screen_report(struct ui *ui, enum status st, const struct err *e, const char *ok_msg)
{
	if (st == ST_OK) {
		if (ok_msg)
			ui_message(ui, CR_OK, "%s", ok_msg);
		return true;
	}
	ui_message(ui, CR_ERROR, "%s", e->msg[0] ? e->msg : status_str(st));
	return false;
}

void
screen_page(struct ui *ui, int y, int rows, const char *const *lines)
{
	int i;

	for (i = 0; lines[i] && i < rows; i++) {
		enum color_role r = CR_NORMAL;
		const char *s = lines[i];
		if (s[0] == '#') {              /* a heading */
			r = CR_HEADER;
			s++;
		} else if (s[0] == '$') {       /* a command to type */
			r = CR_OK;
			s++;
		}
		ui_put(ui, y + i, 2, ui_cols(ui) - 4, s, r);
	}
}
