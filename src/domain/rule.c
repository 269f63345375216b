/*
 * rule.c - the commission rule grammar (see rule.h): text to struct rule
 * and back.
 *
 * Calls only core/ (money, rate and period parsing).  The one idea: every
 * word is checked where it stands, so an error can name the word (or the
 * bracket) and say what would have been accepted there.  Numbers are
 * checked here for sign, shape and decimals before money_parse and
 * rate_parse_bp convert them, so those messages are the rule's own and
 * speak of the word the user typed (only range is left for them to
 * refuse).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domain/rule.h"

/* One blank-separated word of the rule text (not NUL-terminated). */
struct word {
	const char *s;
	size_t n;
	int no;                 /* 1-based position among all words */
};

struct lexer {
	const char *p;
	int nwords;
	struct word last;       /* the word taken last, for "after X" */
};

/* A word quoted for a message: at most this many bytes of it. */
#define QUOTE_MAX 40

/* Amounts and numbers longer than this are out of range anyway. */
#define NUM_MAX 40

#define PERIODS "expected month, quarter, year or lifetime"
#define BRACKET "expected a bracket LOWER:RATE, e.g. 0:5%"

static const struct currency rule_default_currency = { "", 2 };

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\f' || c == '\v';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
lex_next(struct lexer *lx, struct word *w)
{
	while (is_blank(*lx->p))
		lx->p++;
	if (*lx->p == '\0')
		return false;
	w->s = lx->p;
	while (*lx->p != '\0' && !is_blank(*lx->p))
		lx->p++;
	w->n = (size_t)(lx->p - w->s);
	w->no = ++lx->nwords;
	lx->last = *w;
	return true;
}

static bool
word_is(const struct word *w, const char *kw)
{
	size_t i;

	if (strlen(kw) != w->n)
		return false;
	for (i = 0; i < w->n; i++) {
		char c = w->s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != kw[i])
			return false;
	}
	return true;
}

/*
 * Copy a slice for a message: control bytes become '?' (the message is
 * one line), a long word is cut on a UTF-8 character boundary and marked.
 */
static void
quote(const char *s, size_t n, char out[QUOTE_MAX + 4])
{
	size_t i, len = n;
	bool cut = false;

	if (len > QUOTE_MAX) {
		len = QUOTE_MAX;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
		cut = true;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		out[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	if (cut) {
		memcpy(out + len, "...", 3);
		len += 3;
	}
	out[len] = '\0';
}

/* "word 3 \"montly\"" or "bracket 2 \"5:7%\"": where an error is. */
static void
where(char *buf, size_t sz, const char *what, int no, const char *s, size_t n)
{
	char q[QUOTE_MAX + 4];

	quote(s, n, q);
	snprintf(buf, sz, "%s %d \"%s\"", what, no, q);
}

static enum status
err_word(struct err *e, const struct word *w, const char *why)
{
	char loc[QUOTE_MAX + 32];

	where(loc, sizeof loc, "word", w->no, w->s, w->n);
	return err_set(e, ST_DATA, "rule: %s: %s", loc, why);
}

static enum status
err_after(struct err *e, const struct lexer *lx, const char *why)
{
	char q[QUOTE_MAX + 4];

	quote(lx->last.s, lx->last.n, q);
	return err_set(e, ST_DATA, "rule: after \"%s\": %s", q, why);
}

/* An error at loc ("word 2 \"x\"", "bracket 1 \"0:\""). */
static enum status
bad(struct err *e, const char *loc, const char *why)
{
	return err_set(e, ST_DATA, "rule: %s: %s", loc, why);
}

/*
 * Decimal shape: optional '-', digits, optionally '.' and digits.  Sets
 * *neg and *decimals; false for anything else.
 */
static bool
decimal_shape(const char *s, size_t n, bool *neg, int *decimals)
{
	size_t i = 0, start;

	*neg = false;
	*decimals = 0;
	if (i < n && s[i] == '-') {
		*neg = true;
		i++;
	}
	start = i;
	while (i < n && is_digit(s[i]))
		i++;
	if (i == start)
		return false;
	if (i == n)
		return true;
	if (s[i] != '.')
		return false;
	start = ++i;
	while (i < n && is_digit(s[i]))
		i++;
	if (i == start || i != n)
		return false;
	*decimals = (int)(n - start);
	return true;
}

/* An amount in the currency, not negative; loc names it in errors. */
static enum status
parse_amount(const char *s, size_t n, const struct currency *cur,
    int64_t *out, const char *loc, struct err *e)
{
	char buf[NUM_MAX + 1];
	bool neg;
	int dec;

	if (!decimal_shape(s, n, &neg, &dec))
		return bad(e, loc, "expected an amount");
	if (neg)
		return bad(e, loc, "amount must not be negative");
	if (dec > cur->digits) {
		if (cur->digits == 0)
			return err_set(e, ST_DATA, "rule: %s: %s amounts have no decimals",
			    loc, cur->code);
		if (cur->code[0] == '\0')
			return err_set(e, ST_DATA, "rule: %s: amounts have at most %d decimals",
			    loc, cur->digits);
		return err_set(e, ST_DATA, "rule: %s: %s amounts have at most %d decimals",
		    loc, cur->code, cur->digits);
	}
	/* Shape, sign and decimals are checked: only the range can fail. */
	if (n > NUM_MAX)
		return bad(e, loc, "amount is too large");
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (money_parse(buf, cur, false, out, "rule", NULL) != ST_OK)
		return bad(e, loc, "amount is too large");
	return ST_OK;
}

/* A percentage "7.5" (no '%' here) into basis points, 0 .. 1000%. */
static enum status
parse_percent(const char *s, size_t n, int32_t *bp, const char *loc,
    struct err *e)
{
	char buf[NUM_MAX + 1];
	size_t intlen;
	int64_t v = 0;
	bool neg;
	int dec;

	if (!decimal_shape(s, n, &neg, &dec))
		return bad(e, loc, "expected a percentage");
	if (neg)
		return bad(e, loc, "percentage must not be negative");
	if (dec > 2)
		return bad(e, loc, "percentage has at most 2 decimals");
	/* Range check on the digits, saturating so 1e30 cannot overflow. */
	for (intlen = 0; intlen < n && s[intlen] != '.'; intlen++)
		v = v < 10000000 ? v * 10 + (s[intlen] - '0') : v;
	v *= 100;
	if (dec >= 1)
		v += 10 * (s[intlen + 1] - '0');
	if (dec == 2)
		v += s[intlen + 2] - '0';
	if (v > 100000)
		return bad(e, loc, "percentage must be at most 1000");
	if (n > NUM_MAX)
		return bad(e, loc, "expected a percentage");
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (rate_parse_bp(buf, bp, "rule", NULL) != ST_OK)
		return bad(e, loc, "percentage must be at most 1000");
	return ST_OK;
}

/* A count lower bound: a whole number. */
static enum status
parse_count(const char *s, size_t n, int64_t *out, const char *loc,
    struct err *e)
{
	int64_t v = 0;
	size_t i;

	if (n == 0)
		return bad(e, loc, "expected a whole number");
	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return bad(e, loc, "count lower bound must be a whole number");
		if (v > (INT64_MAX - 9) / 10)
			return bad(e, loc, "count is too large");
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return ST_OK;
}

/* One LOWER:RATE bracket; numbering and ordering are checked by the caller. */
static enum status
parse_bracket(const struct word *w, int no, enum rule_basis basis,
    const struct currency *cur, struct bracket *b, struct err *e)
{
	char loc[QUOTE_MAX + 32];
	const char *colon = memchr(w->s, ':', w->n);
	const char *rate;
	size_t lowlen, ratelen;
	enum status st;

	where(loc, sizeof loc, "bracket", no, w->s, w->n);
	if (colon == NULL || colon == w->s || colon == w->s + w->n - 1 ||
	    memchr(colon + 1, ':', (size_t)(w->s + w->n - colon - 1)) != NULL)
		return bad(e, loc, "expected LOWER:RATE, e.g. 0:5%");
	lowlen = (size_t)(colon - w->s);
	rate = colon + 1;
	ratelen = (size_t)(w->s + w->n - rate);

	memset(b, 0, sizeof *b);
	if (basis == BASIS_COUNT)
		st = parse_count(w->s, lowlen, &b->lower, loc, e);
	else
		st = parse_amount(w->s, lowlen, cur, &b->lower, loc, e);
	if (st != ST_OK)
		return st;

	if (rate[ratelen - 1] == '%') {
		if (ratelen == 1)
			return bad(e, loc, "expected a percentage before %");
		b->is_percent = true;
		return parse_percent(rate, ratelen - 1, &b->rate_bp, loc, e);
	}
	b->is_percent = false;
	return parse_amount(rate, ratelen, cur, &b->amount, loc, e);
}

/* Optional "cap AMOUNT", then the end of the text.  w is the word after
 * the rule proper; has says whether there is one. */
static enum status
parse_tail(struct lexer *lx, struct word *w, bool has, const char *expected,
    const struct currency *cur, struct rule *r, struct err *e)
{
	char loc[QUOTE_MAX + 32];
	enum status st;

	if (!has)
		return ST_OK;
	if (!word_is(w, "cap"))
		return err_word(e, w, expected);
	if (!lex_next(lx, w))
		return err_after(e, lx, "expected an amount");
	where(loc, sizeof loc, "word", w->no, w->s, w->n);
	st = parse_amount(w->s, w->n, cur, &r->cap, loc, e);
	if (st != ST_OK)
		return st;
	if (r->cap == 0)
		return err_word(e, w, "cap must be more than 0 (leave it out for none)");
	if (lex_next(lx, w))
		return err_word(e, w, "expected end of rule");
	return ST_OK;
}

static enum status
parse_tiered(struct lexer *lx, const struct currency *cur, struct rule *r,
    struct err *e)
{
	char loc[QUOTE_MAX + 32], prev[MONEY_BUFSZ];
	struct word w;
	bool has;
	enum status st;

	if (!lex_next(lx, &w))
		return err_after(e, lx, "expected count or revenue");
	if (word_is(&w, "count"))
		r->basis = BASIS_COUNT;
	else if (word_is(&w, "revenue"))
		r->basis = BASIS_REVENUE;
	else
		return err_word(e, &w, "expected count or revenue");

	if (!lex_next(lx, &w))
		return err_after(e, lx, PERIODS);
	{
		char name[16];

		if (w.n >= sizeof name)
			return err_word(e, &w, PERIODS);
		memcpy(name, w.s, w.n);
		name[w.n] = '\0';
		if (!period_parse(name, &r->period))
			return err_word(e, &w, PERIODS);
	}

	if (!lex_next(lx, &w))
		return err_after(e, lx, "expected graduated or volume");
	if (word_is(&w, "graduated"))
		r->mode = MODE_GRADUATED;
	else if (word_is(&w, "volume"))
		r->mode = MODE_VOLUME;
	else
		return err_word(e, &w, "expected graduated or volume");

	if (!lex_next(lx, &w))
		return err_after(e, lx, BRACKET);
	for (has = true; has; has = lex_next(lx, &w)) {
		struct bracket *b;

		if (r->nbrackets > 0 && word_is(&w, "cap"))
			break;
		if (memchr(w.s, ':', w.n) == NULL) {
			if (r->nbrackets == 0)
				return err_word(e, &w, BRACKET);
			return err_word(e, &w, "expected a bracket LOWER:RATE or cap");
		}
		where(loc, sizeof loc, "bracket", r->nbrackets + 1, w.s, w.n);
		if (r->nbrackets == RULE_MAX_BRACKETS)
			return err_set(e, ST_DATA, "rule: %s: at most %d brackets",
			    loc, RULE_MAX_BRACKETS);
		b = &r->brackets[r->nbrackets];
		st = parse_bracket(&w, r->nbrackets + 1, r->basis, cur, b, e);
		if (st != ST_OK)
			return st;
		if (r->nbrackets == 0 && b->lower != 0)
			return bad(e, loc, "first lower bound must be 0");
		if (r->nbrackets > 0 && b->lower <= b[-1].lower) {
			if (r->basis == BASIS_COUNT)
				snprintf(prev, sizeof prev, "%" PRId64, b[-1].lower);
			else
				money_format(b[-1].lower, cur, prev);
			return err_set(e, ST_DATA,
			    "rule: %s: lower bounds must increase (previous is %s)", loc, prev);
		}
		r->nbrackets++;
	}
	return parse_tail(lx, &w, has, "expected a bracket LOWER:RATE or cap", cur, r, e);
}

enum status
rule_parse(const char *text, const struct currency *cur, struct rule *out,
    struct err *e)
{
	struct lexer lx = { .p = text, .nwords = 0 };
	struct rule r;
	struct word w;
	char loc[QUOTE_MAX + 32];
	enum status st;

	memset(&r, 0, sizeof r);
	if (cur == NULL)
		cur = &rule_default_currency;
	if (text == NULL || !lex_next(&lx, &w))
		return err_set(e, ST_DATA, "rule: empty");

	if (word_is(&w, "flat") || word_is(&w, "percent")) {
		bool flat = word_is(&w, "flat");

		r.kind = flat ? RULE_FLAT : RULE_PERCENT;
		if (!lex_next(&lx, &w))
			return err_after(e, &lx, flat ? "expected an amount" :
			    "expected a percentage");
		where(loc, sizeof loc, "word", w.no, w.s, w.n);
		if (flat)
			st = parse_amount(w.s, w.n, cur, &r.flat, loc, e);
		else	/* "percent 10%" is forgiven; canonical text has no '%' */
			st = parse_percent(w.s, w.n > 1 && w.s[w.n - 1] == '%' ?
			    w.n - 1 : w.n, &r.rate_bp, loc, e);
		if (st == ST_OK) {
			bool has = lex_next(&lx, &w);

			st = parse_tail(&lx, &w, has, "expected cap or end of rule",
			    cur, &r, e);
		}
	} else if (word_is(&w, "tiered")) {
		r.kind = RULE_TIERED;
		st = parse_tiered(&lx, cur, &r, e);
	} else {
		st = err_word(e, &w, "expected flat, percent or tiered");
	}
	if (st != ST_OK)
		return st;
	memcpy(out, &r, sizeof r);
	return ST_OK;
}

static void
format_amount(struct sbuf *out, int64_t v, const struct currency *cur)
{
	char buf[MONEY_BUFSZ];

	sbuf_add(out, money_format(v, cur, buf));
}

static void
format_rate(struct sbuf *out, int32_t bp)
{
	char buf[16];

	sbuf_add(out, rate_format_bp(bp, buf));
}

void
rule_format(const struct rule *r, const struct currency *cur, struct sbuf *out)
{
	int i;

	if (cur == NULL)
		cur = &rule_default_currency;
	switch (r->kind) {
	case RULE_FLAT:
		sbuf_add(out, "flat ");
		format_amount(out, r->flat, cur);
		break;
	case RULE_PERCENT:
		sbuf_add(out, "percent ");
		format_rate(out, r->rate_bp);
		break;
	case RULE_TIERED:
		sbuf_addf(out, "tiered %s %s %s",
		    r->basis == BASIS_COUNT ? "count" : "revenue",
		    period_name(r->period),
		    r->mode == MODE_GRADUATED ? "graduated" : "volume");
		for (i = 0; i < r->nbrackets; i++) {
			const struct bracket *b = &r->brackets[i];

			sbuf_addc(out, ' ');
			/* The first bound is always 0, written "0" as people do. */
			if (r->basis == BASIS_COUNT || b->lower == 0)
				sbuf_addf(out, "%" PRId64, b->lower);
			else
				format_amount(out, b->lower, cur);
			sbuf_addc(out, ':');
			if (b->is_percent) {
				format_rate(out, b->rate_bp);
				sbuf_addc(out, '%');
			} else {
				format_amount(out, b->amount, cur);
			}
		}
		break;
	}
	if (r->cap > 0) {
		sbuf_add(out, " cap ");
		format_amount(out, r->cap, cur);
	}
}
