/*
 * util.c - field checks shared by the use cases.  Every text a person or a
 * file hands to app/ passes util_text() or util_text_lines(): valid UTF-8,
 * no C0, DEL or C1 control (core/utf8.c's utf8_text_check); every record
 * name passes util_name() as well, which refuses names that read as ids.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "app/app_int.h"
#include "core/alloc.h"
#include "core/str.h"
#include "core/utf8.h"
#include "domain/bonus.h"
#include "domain/names.h"

enum status
util_text(const char *in, bool required, size_t max, char **out, const char *field,
    struct err *e)
{
	char *s;

	*out = NULL;
	if (in == NULL)
		in = "";
	if (!utf8_valid(in))
		return err_set(e, ST_DATA, "%s: not valid UTF-8", field);
	if (utf8_text_check(in, false, NULL) != UTF8_TEXT_OK)
		return err_set(e, ST_DATA, "%s: control characters are not allowed", field);
	s = str_trim(in);
	if (*s == '\0') {
		free(s);
		if (required)
			return err_set(e, ST_DATA, "%s: must not be empty", field);
		return ST_OK;
	}
	if (strlen(s) > max) {
		free(s);
		return err_set(e, ST_DATA, "%s: longer than %zu bytes", field, max);
	}
	*out = s;
	return ST_OK;
}

enum status
util_name(const char *in, char **out, const char *field, struct err *e)
{
	enum status st = util_text(in, true, NAME_MAX_LEN, out, field, e);

	if (st == ST_OK && (st = names_check(*out, field, e)) != ST_OK) {
		free(*out);
		*out = NULL;
	}
	return st;
}

enum status
util_int(const char *in, int64_t min, int64_t max, int64_t *out, const char *field,
    struct err *e)
{
	char *end;
	long long v;

	if (in == NULL || *in == '\0')
		return err_set(e, ST_DATA, "%s: missing number", field);
	errno = 0;
	v = strtoll(in, &end, 10);
	if (errno != 0 || *end != '\0' || end == in || in[0] == ' ' || in[0] == '+')
		return err_set(e, ST_DATA, "%s: \"%s\" is not a whole number", field, in);
	if (v < min || v > max)
		return err_set(e, ST_DATA, "%s: %lld is out of range (%lld..%lld)", field, v,
		    (long long)min, (long long)max);
	*out = v;
	return ST_OK;
}

void
util_replace(char **dst, char *src)
{
	free(*dst);
	*dst = src;
}

enum status
util_txn_err(struct txn *t, struct err *e)
{
	enum status st = txn_status(t);

	if (st != ST_OK && e && e->st == ST_OK)
		err_set(e, st, "%s", txn_message(t));
	return st;
}

enum status
util_name_free(struct txn *t, enum index ix, enum kind k, const char *name, uint64_t self,
    struct err *e)
{
	struct key key;
	uint64_t other;
	char id[24];

	if (name == NULL)
		return ST_OK;
	key_init(&key);
	key_str(&key, name, true);
	other = idx_find(t, ix, &key);
	if (other == 0 || other == self)
		return ST_OK;
	return err_set(e, ST_EXISTS, "name: \"%s\" is already taken by %s", name,
	    app_id_str(k, other, id));
}

enum status
util_bonus(const char *in, bool recheck, const struct currency *cur, char **field, struct err *e)
{
	struct bonus b;
	struct sbuf out;
	char *s;
	enum status st;

	if (in == NULL)
		return recheck && *field ? bonus_parse(*field, cur, &b, e) : ST_OK;
	if ((st = util_text(in, false, 200, &s, "bonus", e)) != ST_OK)
		return st;
	if (s == NULL) {
		util_replace(field, NULL);
		return ST_OK;
	}
	st = bonus_parse(s, cur, &b, e);
	free(s);
	if (st != ST_OK)
		return st;
	sbuf_init(&out);
	bonus_format(&b, cur, &out);
	util_replace(field, sbuf_take(&out));
	return ST_OK;
}

uint64_t
util_partner_referrer(struct txn *t, const struct partner *p)
{
	struct referrer rr;
	struct key k;
	uint64_t id;

	key_init(&k);
	key_u64(&k, p->id);
	if ((id = idx_find(t, IDX_REFERRER_PARTNER, &k)) != 0)
		return id;
	memset(&rr, 0, sizeof rr);
	rr.kind = REFERRER_PARTNER;
	rr.partner = p->id;
	rr.name = p->name ? xstrdup(p->name) : NULL;
	rr.email = p->email ? xstrdup(p->email) : NULL;
	rec_put(t, KIND_REFERRER, &rr);
	id = rr.id;
	rec_free(KIND_REFERRER, &rr);
	return id;
}

bool
util_index_has(struct txn *t, enum index ix, uint64_t owner)
{
	struct key k;
	struct iter *it;
	uint64_t id;
	bool found;

	key_init(&k);
	key_u64(&k, owner);
	it = iter_index(t, ix, &k, false);
	found = iter_next(it, &id);
	iter_close(it);
	return found;
}

enum status
util_override(const char *in, int32_t *bp, struct err *e)
{
	char buf[32];
	size_t n;

	if (in == NULL)
		return ST_OK;
	n = strlen(in);
	if (n == 0) {
		*bp = 0;
		return ST_OK;
	}
	if (n >= sizeof buf)
		return err_set(e, ST_DATA, "override: expected a percentage such as 5 or 7.5%%");
	memcpy(buf, in, n + 1);
	if (buf[n - 1] == '%')
		buf[--n] = '\0';
	if (rate_parse_bp(buf, bp, "override", e) != ST_OK)
		return ST_DATA;
	if (*bp > 10000)
		return err_set(e, ST_DATA, "override: at most 100%%, a share of the sub-partner's line");
	return ST_OK;
}

enum status
util_text_lines(const char *in, size_t max, char **out, const char *field, struct err *e)
{
	struct sbuf b;
	const char *p;
	enum status st;
	char *flat;

	*out = NULL;
	if (in == NULL)
		return ST_OK;
	/* Check it as one line with the breaks and tabs taken out ... */
	flat = xstrdup(in);
	for (p = in; *p; p++) {
		char *q = flat + (p - in);
		if (*p == '\n' || *p == '\t' || (*p == '\r' && p[1] == '\n'))
			*q = ' ';
	}
	st = util_text(flat, false, max, out, field, e);
	free(flat);
	if (st != ST_OK || *out == NULL)
		return st;
	free(*out);
	/* ... then keep them, CRLF as LF, trimmed. */
	sbuf_init(&b);
	for (p = in; *p; p++) {
		if (*p == '\r' && p[1] == '\n')
			continue;
		sbuf_addc(&b, *p);
	}
	*out = str_trim(sbuf_str(&b));
	sbuf_free(&b);
	return ST_OK;
}

enum status
app_int_field(const char *in, int64_t min, int64_t max, int64_t *out, const char *field,
    struct err *e)
{
	return util_int(in, min, max, out, field, e);
}

void
util_lines_load(struct txn *t, enum index ix, uint64_t owner, struct lines *l)
{
	struct key k;
	struct iter *it;
	uint64_t id;

	memset(l, 0, sizeof *l);
	key_init(&k);
	key_u64(&k, owner);
	it = iter_index(t, ix, &k, false);
	while (iter_next(it, &id)) {
		l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
		if (rec_get(t, KIND_COMMISSION, id, &l->v[l->n]) == ST_OK)
			l->n++;
	}
	iter_close(it);
}

void
util_lines_free(struct lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		rec_free(KIND_COMMISSION, &l->v[i]);
	free(l->v);
}

void
util_cell_str(struct row *r, const char *name, const char *s)
{
	struct cell *c = &r->c[r->n++];

	memset(c, 0, sizeof *c);
	c->name = name;
	c->type = CELL_STR;
	c->s = s;
}

void
util_cell_int(struct row *r, const char *name, enum cell_type type, int64_t v, const char *cur)
{
	struct cell *c = &r->c[r->n++];

	memset(c, 0, sizeof *c);
	c->name = name;
	c->type = type;
	c->i = v;
	c->cur = cur;
}
