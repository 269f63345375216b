/*
 * out.c - rows (app/io.h) as an aligned table, CSV, JSON Lines or a
 * "name: value" view.
 *
 * A row is first flattened into named text cells for its format (a money
 * cell becomes "2,050.00" in a table, "2050.00" in CSV, and a currency
 * column follows when the row has none).  A table holds its first rows to
 * size the columns, then streams the rest with those widths, so listing a
 * million referrals needs no more memory than listing a hundred.  On a
 * terminal the table fits the screen width: the widest text columns are
 * cut, by display width, never inside a character.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/out.h"
#include "core/alloc.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/money.h"
#include "core/str.h"
#include "core/utf8.h"

#define HOLD_ROWS 200           /* rows held to size a table's columns */
#define COL_MIN 6               /* narrowest a cut column gets */
#define FLAT_MAX (ROW_MAX + 1)

struct out_col {
	char *head;
	bool right;
	bool fixed;             /* times, numbers, money: never cut */
	size_t width;
};

struct flat {
	const char *name;
	char *text;
	bool right;
	bool fixed;
};

bool
out_pick(bool csv, bool json, enum out_fmt dflt, enum out_fmt *fmt)
{
	if (csv && json)
		return false;
	*fmt = csv ? OUT_CSV : json ? OUT_JSON : dflt;
	return true;
}

static int
term_width(FILE *f)
{
	struct winsize ws;
	const char *env;

	if (!isatty(fileno(f)))
		return 0;
	if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	env = getenv("COLUMNS");
	if (env != NULL && atoi(env) > 0)
		return atoi(env);
	return 80;
}

void
out_init(struct out *o, enum out_fmt fmt, FILE *f)
{
	memset(o, 0, sizeof *o);
	o->fmt = fmt;
	o->f = f;
	if (fmt == OUT_TABLE)
		o->width = term_width(f);
}

const struct cell *
out_cell_find(const struct row *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		if (r->c[i].name != NULL && strcmp(r->c[i].name, name) == 0)
			return &r->c[i];
	}
	return NULL;
}

void
out_row_add_str(struct row *r, const char *name, const char *s)
{
	if (r->n >= ROW_MAX)
		return;
	r->c[r->n] = (struct cell){ .name = name, .type = CELL_STR, .s = s };
	r->n++;
}

static const struct currency *
cell_currency(const struct cell *c, struct currency *tmp)
{
	const struct currency *cur = c->cur != NULL ? currency_find(c->cur) : NULL;
	size_t i;

	if (cur != NULL)
		return cur;
	memset(tmp, 0, sizeof *tmp);
	for (i = 0; c->cur != NULL && i < 3 && c->cur[i] != '\0'; i++)
		tmp->code[i] = c->cur[i];
	tmp->digits = c->cur != NULL ? currency_digits(c->cur) : 2;
	return tmp;
}

const char *
out_cell_text(const struct cell *c, bool human, char *buf)
{
	struct currency tmp;

	switch (c->type) {
	case CELL_STR:
		return c->s != NULL ? c->s : "";
	case CELL_INT:
		snprintf(buf, 64, "%lld", (long long)c->i);
		return buf;
	case CELL_MONEY:
		if (human)
			return money_format_human(c->i, cell_currency(c, &tmp), buf);
		return money_format(c->i, cell_currency(c, &tmp), buf);
	case CELL_TIME:
		if (c->i == 0)
			return "";
		return human ? date_format_minute(c->i, buf) : date_format_rfc3339(c->i, buf);
	case CELL_DATE:
		if (c->i == 0)
			return "";
		return date_format_day(c->i, buf);
	case CELL_BOOL:
		return c->i ? (human ? "yes" : "true") : (human ? "no" : "false");
	}
	return "";
}

/* Text CSV may hold as it is: valid UTF-8 without control characters
 * but for tabs and line breaks (multi-line notes).  Anything else (a
 * conversion id of invalid UTF-8, a name holding a C1 control such as
 * U+009B, a damaged record) is escaped as in a table: CSV has no escape
 * of its own, and a raw CSI must not reach a terminal. */
static bool
csv_safe(const char *s)
{
	return utf8_text_check(s, true, NULL) == UTF8_TEXT_OK;    /* what input allows */
}

/* Flatten r for fmt (table or CSV) into f[]; returns the count. */
static size_t
flatten(const struct row *r, enum out_fmt fmt, struct flat *f)
{
	bool human = fmt != OUT_CSV, has_cur = out_cell_find(r, "currency") != NULL;
	size_t i, n = 0;
	char buf[64];

	for (i = 0; i < r->n && n < FLAT_MAX; i++) {
		const struct cell *c = &r->c[i];
		const char *t = out_cell_text(c, human, buf);

		f[n].name = c->name;
		if (human && c->type == CELL_STR)
			f[n].text = str_visible(t);
		else if (c->type == CELL_STR && !csv_safe(t))
			f[n].text = str_visible(t);     /* never raw control bytes */
		else
			f[n].text = xstrdup(t);
		f[n].right = c->type == CELL_MONEY || c->type == CELL_INT;
		f[n].fixed = c->type != CELL_STR;
		n++;
		if (c->type == CELL_MONEY && !has_cur && n < FLAT_MAX) {
			f[n].name = "currency";
			f[n].text = xstrdup(c->cur != NULL ? c->cur : "");
			f[n].right = false;
			f[n].fixed = true;
			n++;
			has_cur = true;
		}
	}
	return n;
}

static void
flat_free(struct flat *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(f[i].text);
}

/* ---- JSON ---- */

static json_t *
json_text(const char *s)
{
	char *vis;
	json_t *j;

	if (s == NULL)
		return json_null();
	if (utf8_valid(s) && (j = json_string(s)) != NULL)
		return j;
	vis = str_visible(s);       /* invalid UTF-8: escaped, still readable */
	j = json_string(vis);
	free(vis);
	return j != NULL ? j : json_null();
}

json_t *
out_row_json(const struct row *r)
{
	json_t *obj = json_object();
	char buf[64], name[96];
	struct currency tmp;
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct cell *c = &r->c[i];

		switch (c->type) {
		case CELL_STR:
			json_object_set_new(obj, c->name, json_text(c->s));
			break;
		case CELL_INT:
			json_object_set_new(obj, c->name, json_integer(c->i));
			break;
		case CELL_MONEY:
			json_object_set_new(obj, c->name,
			    json_string(money_format(c->i, cell_currency(c, &tmp), buf)));
			snprintf(name, sizeof name, "%s_minor", c->name);
			json_object_set_new(obj, name, json_integer(c->i));
			if (json_object_get(obj, "currency") == NULL)
				json_object_set_new(obj, "currency", json_text(c->cur));
			break;
		case CELL_TIME:
		case CELL_DATE:
			if (c->i == 0)
				json_object_set_new(obj, c->name, json_null());
			else
				json_object_set_new(obj, c->name,
				    json_string(out_cell_text(c, false, buf)));
			break;
		case CELL_BOOL:
			json_object_set_new(obj, c->name, json_boolean(c->i));
			break;
		}
	}
	return obj;
}

/* Jansson escapes C0 controls; C1 controls (U+0080..U+009F, some
 * terminals obey them) and bidi overrides (U+202A..U+202E, U+2066..U+2069)
 * it writes raw.  Escape those too: the same text for a JSON reader, never
 * raw on a terminal.  They can only occur inside strings (JSON's own
 * syntax is ASCII). */
static void
json_put(FILE *f, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	for (; *u != '\0'; u++) {
		if (u[0] == 0xC2 && u[1] >= 0x80 && u[1] <= 0x9F) {
			fprintf(f, "\\u%04x", (unsigned)u[1]);
			u++;
		} else if (u[0] == 0xE2 && ((u[1] == 0x80 && u[2] >= 0xAA && u[2] <= 0xAE) ||
		    (u[1] == 0x81 && u[2] >= 0xA6 && u[2] <= 0xA9))) {
			fprintf(f, "\\u%04x", 0x2000u | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu));
			u += 2;
		} else {
			fputc(*u, f);
		}
	}
}

/* The fewest significant digits that give x back. */
static int
real_digits(double x)
{
	char buf[40];
	int p;

	for (p = 1; p < 17; p++) {
		snprintf(buf, sizeof buf, "%.*g", p, x);
		if (strtod(buf, NULL) == x)
			return p;
	}
	return 17;
}

/* The most digits any real in j needs to round-trip. */
static int
json_digits(json_t *j)
{
	const char *key;
	json_t *v;
	size_t i;
	int p = 1, q;

	if (json_is_real(j))
		return real_digits(json_real_value(j));
	if (json_is_object(j)) {
		json_object_foreach(j, key, v)
			if ((q = json_digits(v)) > p)
				p = q;
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			if ((q = json_digits(v)) > p)
				p = q;
	}
	return p;
}

/* Reals print as the shortest text that reads back as the same double
 * (0.199613, not the 0.19961300000000001 of a fixed 17 digits): %g with
 * the digits the most demanding real of the line needs. */
void
out_json_line(FILE *f, json_t *obj)
{
	char *s = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(json_digits(obj)));

	if (s != NULL) {
		json_put(f, s);
		fputc('\n', f);
		free(s);
	}
	json_decref(obj);
}

/* ---- CSV ---- */

static void
csv_header(struct out *o, const struct row *r)
{
	struct flat f[FLAT_MAX];
	const char *fields[FLAT_MAX];
	size_t i, n = flatten(r, OUT_CSV, f);
	struct sbuf b;

	sbuf_init(&b);
	for (i = 0; i < n; i++)
		fields[i] = f[i].name;
	csv_add_row(&b, fields, n);
	o->csv_header = true;
	fputs(sbuf_str(&b), o->f);
	sbuf_free(&b);
	flat_free(f, n);
}

enum status
out_header(void *ctx, const struct row *r)
{
	struct out *o = ctx;

	if (o->fmt == OUT_CSV && !o->csv_header)
		csv_header(o, r);
	return ST_OK;
}

static void
csv_row(struct out *o, const struct row *r)
{
	struct flat f[FLAT_MAX];
	size_t i, n = flatten(r, OUT_CSV, f);
	struct sbuf b;

	if (!o->csv_header)
		csv_header(o, r);
	sbuf_init(&b);
	/* Text cells get the formula guard; numbers, money and times do not. */
	for (i = 0; i < n; i++) {
		if (f[i].fixed)
			csv_add_value(&b, f[i].text, i == 0);
		else
			csv_add_field(&b, f[i].text, i == 0);
	}
	sbuf_add(&b, "\r\n");
	fputs(sbuf_str(&b), o->f);
	sbuf_free(&b);
	flat_free(f, n);
}

/* ---- "name: value" view ---- */

static void
view_row(struct out *o, const struct row *r)
{
	size_t i, w = 0;
	char buf[64];

	if (o->rows > 0)
		fputc('\n', o->f);
	for (i = 0; i < r->n; i++) {
		size_t nw = utf8_width(r->c[i].name);

		if (nw > w)
			w = nw;
	}
	for (i = 0; i < r->n; i++) {
		const struct cell *c = &r->c[i];
		char *vis = str_visible(out_cell_text(c, true, buf));

		fprintf(o->f, "%s:", c->name);
		if (vis[0] != '\0')
			fprintf(o->f, "%*s%s", (int)(w - utf8_width(c->name) + 1), "", vis);
		if (c->type == CELL_MONEY && c->cur != NULL)
			fprintf(o->f, " %s", c->cur);
		fputc('\n', o->f);
		free(vis);
	}
}

/* ---- table ---- */

static const char *
ellipsis(void)
{
	return MB_CUR_MAX > 1 ? "\xe2\x80\xa6" : "...";
}

/* Print s in a field of w columns (cut with an ellipsis when wider). */
static void
table_cell(FILE *f, const char *s, size_t w, bool right, bool last)
{
	size_t sw = utf8_width(s), cut;
	const char *ell = ellipsis();
	size_t ellw = MB_CUR_MAX > 1 ? 1 : 3;

	if (sw > w) {
		cut = utf8_prefix_for_width(s, w > ellw ? w - ellw : 0);
		fwrite(s, 1, cut, f);
		fputs(ell, f);
		sw = utf8_width(s) - utf8_width(s + cut) + ellw;
		if (!last && sw < w)
			fprintf(f, "%*s", (int)(w - sw), "");
		return;
	}
	if (right)
		fprintf(f, "%*s%s", (int)(w - sw), "", s);
	else if (last)
		fputs(s, f);
	else
		fprintf(f, "%s%*s", s, (int)(w - sw), "");
}

/* One line of the table; empty cells at the end leave no trailing blanks. */
static void
table_line(struct out *o, char *const *texts)
{
	size_t i, n = o->nshow;

	while (n > 1 && texts[n - 1][0] == '\0')
		n--;
	for (i = 0; i < n; i++) {
		if (i > 0)
			fputs("  ", o->f);
		table_cell(o->f, texts[i], o->cols[i].width, o->cols[i].right, i + 1 == n);
	}
	fputc('\n', o->f);
}

static size_t
table_total(const struct out *o)
{
	size_t i, total = 0;

	for (i = 0; i < o->nshow; i++)
		total += o->cols[i].width + (i > 0 ? 2 : 0);
	return total;
}

/*
 * Column widths from the held rows.  On a terminal: leave out the last
 * columns while even their narrowest cut would not fit, then cut the widest
 * text columns one column at a time until the table fits.  Times, numbers
 * and money are never cut.
 */
static void
table_size(struct out *o)
{
	size_t i, j, need;

	for (i = 0; i < o->ncols; i++)
		o->cols[i].width = utf8_width(o->cols[i].head);
	for (j = 0; j < o->nheld; j++) {
		for (i = 0; i < o->ncols; i++) {
			size_t w = utf8_width(o->held[j * o->ncols + i]);

			if (w > o->cols[i].width)
				o->cols[i].width = w;
		}
	}
	o->nshow = o->ncols;
	if (o->width <= 0)
		return;
	for (;;) {
		need = 0;
		for (i = 0; i < o->nshow; i++) {
			size_t w = o->cols[i].width;

			if (!o->cols[i].fixed && w > COL_MIN)
				w = COL_MIN;
			need += w + (i > 0 ? 2 : 0);
		}
		if (need <= (size_t)o->width || o->nshow <= 1)
			break;
		o->nshow--;
	}
	while (table_total(o) > (size_t)o->width) {
		size_t widest = o->nshow;

		for (i = 0; i < o->nshow; i++) {
			if (o->cols[i].fixed || o->cols[i].width <= COL_MIN)
				continue;
			if (widest == o->nshow || o->cols[i].width > o->cols[widest].width)
				widest = i;
		}
		if (widest == o->nshow)
			break;          /* nothing left to cut: let the terminal wrap */
		o->cols[widest].width--;
	}
}

static void
table_flush(struct out *o)
{
	char **heads;
	size_t i, j;

	if (o->sized || o->ncols == 0)
		return;
	table_size(o);
	heads = xcalloc(o->ncols, sizeof *heads);
	for (i = 0; i < o->nshow; i++)
		heads[i] = o->cols[i].head;
	table_line(o, heads);
	free(heads);
	for (j = 0; j < o->nheld; j++)
		table_line(o, &o->held[j * o->ncols]);
	for (j = 0; j < o->nheld * o->ncols; j++)
		free(o->held[j]);
	free(o->held);
	o->held = NULL;
	o->nheld = o->capheld = 0;
	o->sized = true;
}

static void
table_row(struct out *o, const struct row *r)
{
	struct flat f[FLAT_MAX];
	size_t i, n = flatten(r, OUT_TABLE, f);
	char *texts[FLAT_MAX];

	if (o->cols == NULL) {
		o->ncols = n;
		o->cols = xcalloc(n > 0 ? n : 1, sizeof *o->cols);
		for (i = 0; i < n; i++) {
			char *h = xstrdup(f[i].name);

			o->cols[i].head = str_upper(h);
			o->cols[i].right = f[i].right;
			o->cols[i].fixed = f[i].fixed;
		}
	}
	for (i = 0; i < o->ncols; i++)
		texts[i] = i < n ? f[i].text : xstrdup("");
	for (i = o->ncols; i < n; i++)
		free(f[i].text);
	if (o->sized) {
		table_line(o, texts);
		for (i = 0; i < o->ncols; i++)
			free(texts[i]);
		return;
	}
	o->held = xgrow(o->held, &o->capheld, (o->nheld + 1) * o->ncols, sizeof *o->held);
	memcpy(&o->held[o->nheld * o->ncols], texts, o->ncols * sizeof *texts);
	o->nheld++;
	if (o->nheld >= HOLD_ROWS)
		table_flush(o);
}

enum status
out_row(void *ctx, const struct row *r)
{
	struct out *o = ctx;

	switch (o->fmt) {
	case OUT_TABLE:
		table_row(o, r);
		break;
	case OUT_CSV:
		csv_row(o, r);
		break;
	case OUT_JSON:
		out_json_line(o->f, out_row_json(r));
		break;
	case OUT_VIEW:
		view_row(o, r);
		break;
	}
	o->rows++;
	return ST_OK;
}

void
out_finish(struct out *o)
{
	size_t i;

	if (o->fmt == OUT_TABLE)
		table_flush(o);
	for (i = 0; i < o->ncols; i++)
		free(o->cols[i].head);
	free(o->cols);
	o->cols = NULL;
	o->ncols = 0;
}
