/*
 * import_csv.c - reading a CSV file as spreadsheets write it, and mapping
 * its header onto the columns of what is imported (see import.h).
 *
 * The file is fed to libcsv one physical line at a time, so every row
 * knows the line it starts on (a quoted field may hold line breaks) and
 * an error can say "line 7, record 5".  A UTF-8 BOM (Excel's "CSV UTF-8")
 * is skipped; CRLF and LF both end rows.  Header names are compared
 * folded: case, blanks, "-" and "_" do not matter ("Payout Email" is
 * payout_email).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "app/import.h"
#include "core/alloc.h"
#include "core/csv.h"
#include "core/priv.h"
#include "core/str.h"

/* ---- reading ---- */

static unsigned long
count_nl(const char *s, size_t n)
{
	unsigned long k = 0;
	size_t i;

	for (i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

static void
cb_field(void *s, size_t len, void *data)
{
	struct csv_table *t = data;

	if (t->curn == 0)       /* the field ends on this line: where did it start? */
		t->cur_line = t->at - count_nl(s ? s : "", s ? len : 0);
	t->cur = xgrow(t->cur, &t->curcap, t->curn + 1, sizeof *t->cur);
	t->cur[t->curn] = xstrndup(s ? s : "", s ? len : 0);
	/* What ally's exports guard against formulas ("'=x") reads back as
	 * it was stored ("=x"). */
	csv_unguard(t->cur[t->curn++]);
}

static void
cb_row(int c, void *data)
{
	struct csv_table *t = data;
	size_t ncap = t->cap, lcap = t->cap;

	(void)c;
	t->rows = xgrow(t->rows, &t->cap, t->n + 1, sizeof *t->rows);
	t->ncols = xgrow(t->ncols, &ncap, t->n + 1, sizeof *t->ncols);
	t->line = xgrow(t->line, &lcap, t->n + 1, sizeof *t->line);
	t->rows[t->n] = t->cur;
	t->ncols[t->n] = t->curn;
	t->line[t->n] = t->curn ? t->cur_line : t->at;
	t->n++;
	t->cur = NULL;
	t->curn = t->curcap = 0;
	t->last_end = t->at;
}

void
csv_table_free(struct csv_table *t)
{
	size_t i, j;

	for (i = 0; i < t->n; i++) {
		for (j = 0; j < t->ncols[i]; j++)
			free(t->rows[i][j]);
		free(t->rows[i]);
	}
	for (j = 0; j < t->curn; j++)
		free(t->cur[j]);
	free(t->cur);
	free(t->rows);
	free(t->ncols);
	free(t->line);
	memset(t, 0, sizeof *t);
}

bool
csv_table_blank(const struct csv_table *t, size_t row)
{
	size_t j;

	for (j = 0; j < t->ncols[row]; j++)
		if (t->rows[row][j][0] != '\0')
			return false;
	return true;
}

/* The line the unfinished row started on. */
static unsigned long
pending_line(const struct csv_table *t)
{
	return t->curn ? t->cur_line : t->last_end + 1;
}

static enum status
parse_error(struct csv_table *t, const char *path, bool at_end, struct err *e)
{
	unsigned long line = at_end ? pending_line(t) : t->at;

	if (at_end)
		return err_set(e, ST_DATA, "%s:%lu: record %zu: a quoted field is not closed "
		    "(its quote opens on line %lu)", path, line, t->n, line);
	return err_set(e, ST_DATA, "%s:%lu: record %zu: a quote inside a field that does not "
	    "start with one, or text after a closing quote", path, line, t->n);
}

static enum status
feed(struct csv_parser *p, struct csv_table *t, FILE *f, const char *path, struct err *e)
{
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	enum status st = ST_OK;

	while ((n = getline(&buf, &cap, f)) > 0) {
		const char *s = buf;
		size_t len = (size_t)n;

		t->at++;
		if (t->at == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
			s += 3;         /* Excel's "CSV UTF-8" BOM */
			len -= 3;
		}
		if (csv_parse(p, s, len, cb_field, cb_row, t) != len) {
			st = parse_error(t, path, false, e);
			break;
		}
	}
	if (st == ST_OK && ferror(f))
		st = err_set(e, ST_IOERR, "%s: %s", path, strerror(errno));
	free(buf);
	return st;
}

enum status
csv_table_read(const char *path, struct csv_table *t, struct err *e)
{
	struct csv_parser p;
	FILE *f;
	enum status st;

	memset(t, 0, sizeof *t);
	f = strcmp(path, "-") == 0 ? stdin : user_fopen(path, "rb");
	if (f == NULL)
		return err_set(e, ST_NOINPUT, "%s: %s", path, strerror(errno));
	if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL | CSV_STRICT_FINI) != 0) {
		if (f != stdin)
			fclose(f);
		return err_set(e, ST_SOFTWARE, "csv: cannot start the parser");
	}
	st = feed(&p, t, f, path, e);
	if (st == ST_OK && csv_fini(&p, cb_field, cb_row, t) != 0)
		st = parse_error(t, path, true, e);
	csv_free(&p);
	if (f != stdin)
		fclose(f);
	if (st == ST_OK && t->n == 0)
		st = err_set(e, ST_DATA, "%s: empty (a header row is needed)", path);
	if (st != ST_OK)
		csv_table_free(t);
	return st;
}

/* ---- the header ---- */

/* "Payout Email", "payout-email" and "PayoutEmail" are all "payoutemail"
 * (the caller frees); "-" (a column to ignore) stays "-". */
static char *
fold(const char *s)
{
	char *t = str_trim(s), *p, *q;

	if (strcmp(t, "-") == 0)
		return t;
	for (p = q = t; *p; p++) {
		if (*p == ' ' || *p == '-' || *p == '_')
			continue;
		*q++ = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
	}
	*q = '\0';
	return t;
}

/* Tools' exports, by their documented column names (folded): source=target,
 * "-" for a column that is known and not needed. */
struct preset {
	const char *name;
	enum import_dates dates;
	const char *map;
};

static const struct preset presets[] = {
	{ "affiliatewp", DATES_SQL,
	  "first_name=first_name,last_name=last_name,email=email,payment_email=payout_email,"
	  "affiliate_id=-,user_id=-,username=-,rate=-,rate_type=-,flat_rate_basis=-,earnings=-,"
	  "unpaid_earnings=-,referrals=-,visits=-,status=-,date_registered=-,"
	  "reference=id,amount=amount,currency=currency,date=at,description=-,campaign=-,"
	  "context=-,name=-,customer_email=email,referral_id=-,type=-" },
	{ "rewardful", DATES_ISO,
	  "first_name=first_name,last_name=last_name,email=email,paypal_email=payout_email,"
	  "wise_email=payout_email,company=name,token=code,id=-,state=-,created_at=-,updated_at=-,"
	  "campaign=-,visitors=-,leads=-,conversions=-,sign_up_method=-,"
	  "customer_email=email,charge_id=id,amount=amount,currency=currency,charged_at=at" },
	{ "tapfiliate", DATES_SQL,
	  "firstname=first_name,lastname=last_name,email=email,company=name,"
	  "affiliate_group=tier,referral_code=code,paypal_email=payout_email,id=-,created_at=-,"
	  "parent_id=-,address=address,"
	  "external_id=id,amount=amount,currency=currency,customer_id=email,conversion_date=at" },
	{ "partnerstack", DATES_US,
	  "first_name=first_name,last_name=last_name,email=email,company=name,group=tier,"
	  "partner_key=code,payout_email=payout_email,created_at=-,status=-,country=-,"
	  "customer_email=email,transaction_key=id,amount=amount,currency=currency,"
	  "transaction_date=at" },
};

/* The index of a folded name among k's columns, -1 when none. */
static int
col_index(const struct import_kind *k, const char *folded)
{
	int i;
	bool eq;

	for (i = 0; k->cols[i] != NULL; i++) {
		char *c = fold(k->cols[i]);
		eq = strcmp(c, folded) == 0;
		free(c);
		if (eq)
			return i;
	}
	return -1;
}

/* The target of folded header h in a "src=target,..." list: NULL when the
 * list does not name it, "-" when it is ignored. */
static char *
map_lookup(const char *list, const char *h)
{
	char *copy, *tok, *save = NULL, *hit = NULL;

	if (list == NULL)
		return NULL;
	copy = xstrdup(list);
	for (tok = strtok_r(copy, ",", &save); tok && !hit; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '='), *src;
		if (eq == NULL)
			continue;
		*eq = '\0';
		src = fold(tok);
		if (strcmp(src, h) == 0)
			hit = fold(eq + 1);
		free(src);
	}
	free(copy);
	return hit;
}

/* Every --map entry is "Source=column" with a column of k. */
static enum status
map_check(const struct import_kind *k, const char *map, struct err *e)
{
	char *copy = xstrdup(map), *tok, *save = NULL;
	enum status st = ST_OK;

	for (tok = strtok_r(copy, ",", &save); tok && st == ST_OK; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '='), *tg, *vis;
		if (eq == NULL || eq == tok || eq[1] == '\0') {
			vis = str_visible_cut(tok, 40);
			st = err_set(e, ST_USAGE, "--map: \"%s\" is not Source=column", vis);
			free(vis);
			break;
		}
		tg = fold(eq + 1);
		if (strcmp(tg, "-") != 0 && col_index(k, tg) < 0) {
			vis = str_visible_cut(eq + 1, 40);
			st = err_set(e, ST_USAGE, "--map: \"%s\" is not a column of %s", vis, k->what);
			free(vis);
		}
		free(tg);
	}
	free(copy);
	return st;
}

static const struct preset *
preset_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof presets / sizeof presets[0]; i++)
		if (str_eq_nocase(presets[i].name, name))
			return &presets[i];
	return NULL;
}

/* Column j of the header: its target index, -1 unknown, -2 ignored. */
static int
header_target(const struct import_kind *k, const char *map, const struct preset *p,
    const char *h)
{
	char *tg = map_lookup(map, h);
	int i;

	if (tg == NULL && p != NULL)
		tg = map_lookup(p->map, h);
	if (tg == NULL)
		return col_index(k, h);
	i = strcmp(tg, "-") == 0 ? -2 : col_index(k, tg);
	free(tg);
	return i < 0 ? -2 : i;  /* a preset's column this kind does not take */
}

static enum status
check_required(const struct import_kind *k, const struct import_map *m, const char *path,
    struct err *e)
{
	size_t i;
	int c;

	for (i = 0; k->required[i] != NULL; i++) {
		char *f = fold(k->required[i]);
		c = col_index(k, f);
		free(f);
		if (m->ix[c] >= 0)
			continue;
		/* a name can also be made of first and last name */
		if (strcmp(k->required[i], "name") == 0 &&
		    ((c = col_index(k, "firstname")) >= 0 && m->ix[c] >= 0))
			continue;
		return err_set(e, ST_DATA, "%s: no %s column in the header (--map Header=%s names one)",
		    path, k->required[i], k->required[i]);
	}
	return ST_OK;
}

enum status
import_map_header(const struct import_kind *k, const struct csv_table *t,
    const struct import_opts *o, const char *path, FILE *warn, struct import_map *m,
    struct err *e)
{
	const struct preset *p = NULL;
	struct sbuf unknown;
	size_t j, nunknown = 0;
	enum status st;

	for (j = 0; j < IMPORT_MAX_COLS; j++)
		m->ix[j] = -1;
	m->dates = DATES_ALLY;
	m->preset = false;
	if (o != NULL && o->from != NULL) {
		if ((p = preset_find(o->from)) == NULL) {
			char *vis = str_visible_cut(o->from, 30);
			err_set(e, ST_USAGE, "--from: \"%s\" must be affiliatewp, rewardful, tapfiliate "
			    "or partnerstack", vis);
			free(vis);
			return ST_USAGE;
		}
		m->dates = p->dates;
		m->preset = true;
	}
	if (o != NULL && o->map != NULL && (st = map_check(k, o->map, e)) != ST_OK)
		return st;
	sbuf_init(&unknown);
	for (j = 0; j < t->ncols[0]; j++) {
		char *h = fold(t->rows[0][j]);
		int i = header_target(k, o ? o->map : NULL, p, h);
		if (i >= 0 && m->ix[i] < 0)
			m->ix[i] = (long)j;
		else if (i == -1 && h[0] != '\0') {
			char *vis = str_visible_cut(t->rows[0][j], 40);
			sbuf_addf(&unknown, "%s%s", nunknown++ ? ", " : "", vis);
			free(vis);
		}
		free(h);
	}
	st = ST_OK;
	if (nunknown && o != NULL && o->strict)
		st = err_set(e, ST_DATA, "%s: unknown column%s %s (--strict; --map renames a column)",
		    path, nunknown == 1 ? "" : "s", sbuf_str(&unknown));
	else if (nunknown && warn != NULL) {
		char *vp = str_visible(path);
		fprintf(warn, "ally: import: %s: ignoring unknown column%s %s (--map renames, --strict "
		    "refuses)\n", vp, nunknown == 1 ? "" : "s", sbuf_str(&unknown));
		free(vp);
	}
	sbuf_free(&unknown);
	if (st == ST_OK)
		st = check_required(k, m, path, e);
	return st;
}

const char *
import_get(const struct csv_table *t, const struct import_map *m, size_t r, size_t i)
{
	long col = m->ix[i];

	if (col < 0 || (size_t)col >= t->ncols[r])
		return NULL;
	return t->rows[r][col];
}

/* ---- dates ---- */

static bool
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

char *
import_date(enum import_dates d, const char *s)
{
	char *t;
	size_t n;

	if (s == NULL)
		return NULL;
	t = str_trim(s);
	n = strlen(t);
	if (d == DATES_US && n >= 10 && digits(t, 2) && t[2] == '/' && digits(t + 3, 2) &&
	    t[5] == '/' && digits(t + 6, 4)) {
		/* MM/DD/YYYY[ HH:MM[:SS]] */
		char *u = xasprintf("%.4s-%.2s-%.2s%s", t + 6, t, t + 3, t + 10);
		free(t);
		t = u;
		n = strlen(t);
		d = DATES_SQL;
	}
	if (d != DATES_ALLY && n >= 16 && t[10] == ' ' && t[13] == ':') {
		/* "2026-10-01 10:00[:00]" in UTC */
		char *u = xasprintf("%.10sT%s%sZ", t, t + 11, n == 16 ? ":00" : "");
		free(t);
		t = u;
		n = strlen(t);
	}
	if (d != DATES_ALLY && n > 20 && t[19] == '.') {
		/* fractional seconds: "2026-10-01T10:00:00.000Z" */
		size_t k = 20;
		while (t[k] >= '0' && t[k] <= '9')
			k++;
		memmove(t + 19, t + k, n - k + 1);
	}
	return t;
}
