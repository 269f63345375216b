/*
 * rule.c - the commission rule grammar (see rule.h): text to struct rule
 * (rule_format.c prints it back, rule_pick.c picks a clause).
 *
 * Calls only core/ (money, rate and period parsing).  The one idea: every
 * word is checked where it stands, so an error can name the word (or the
 * bracket) and say what would have been accepted there.  Numbers are
 * checked here for sign, shape and decimals before money_parse and
 * rate_parse_bp convert them, so those messages are the rule's own and
 * speak of the word the user typed (only range is left for them to
 * refuse).  ';' is a word of its own, so "percent 20;" ends a clause;
 * a clause's conditions, body, cap and duration are read in that order
 * (cap and for either way round).
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
	/* ';' ends a clause: a word of its own, also when written "10;" */
	if (*lx->p == ';')
		lx->p++;
	else
		while (*lx->p != '\0' && *lx->p != ';' && !is_blank(*lx->p))
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

#define DURATION "expected N months, N conversions or lifetime"
#define TIERED_ALONE "tiered cannot be combined with when or other clauses"

/* A tiered rule takes no clause parts: say so where one is written. */
static enum status
tiered_extra(struct err *e, const struct word *w, const char *otherwise)
{
	if (word_is(w, "for"))
		return err_word(e, w, "a tiered rule has no duration (its period is the tier's)");
	if (word_is(w, ";") || word_is(w, "when"))
		return err_word(e, w, TIERED_ALONE);
	return err_word(e, w, otherwise);
}

/* A tiered rule's optional "cap AMOUNT", then the end of the text.  w is
 * the word after the brackets; has says whether there is one. */
static enum status
parse_tail(struct lexer *lx, struct word *w, bool has, const char *expected,
    const struct currency *cur, struct rule *r, struct err *e)
{
	char loc[QUOTE_MAX + 32];
	enum status st;

	if (!has)
		return ST_OK;
	if (!word_is(w, "cap"))
		return tiered_extra(e, w, expected);
	if (!lex_next(lx, w))
		return err_after(e, lx, "expected an amount");
	where(loc, sizeof loc, "word", w->no, w->s, w->n);
	st = parse_amount(w->s, w->n, cur, &r->cap, loc, e);
	if (st != ST_OK)
		return st;
	if (r->cap == 0)
		return err_word(e, w, "cap must be more than 0 (leave it out for none)");
	if (lex_next(lx, w))
		return tiered_extra(e, w, "expected end of rule");
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
				return tiered_extra(e, &w, BRACKET);
			return tiered_extra(e, &w, "expected a bracket LOWER:RATE or cap");
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

/* "for N months | N conversions | lifetime", the "for" taken. */
static enum status
parse_duration(struct lexer *lx, struct rule_clause *c, struct err *e)
{
	struct word w;
	int64_t n = 0;
	size_t i;

	if (!lex_next(lx, &w))
		return err_after(e, lx, DURATION);
	if (word_is(&w, "lifetime")) {
		c->dur = DUR_LIFETIME;
		return ST_OK;
	}
	for (i = 0; i < w.n; i++) {
		if (!is_digit(w.s[i]))
			return err_word(e, &w, DURATION);
		n = n < 100000000 ? n * 10 + (w.s[i] - '0') : n;
	}
	if (n == 0)
		return err_word(e, &w, "a duration must be at least 1");
	if (!lex_next(lx, &w))
		return err_after(e, lx, "expected months or conversions");
	if (word_is(&w, "months") || word_is(&w, "month")) {
		if (n > RULE_MAX_MONTHS)
			return err_set(e, ST_DATA, "rule: after \"for\": a duration is at most %d months",
			    RULE_MAX_MONTHS);
		c->dur = DUR_MONTHS;
	} else if (word_is(&w, "conversions") || word_is(&w, "conversion")) {
		if (n > RULE_MAX_CONVERSIONS)
			return err_set(e, ST_DATA, "rule: after \"for\": a duration is at most %d conversions",
			    RULE_MAX_CONVERSIONS);
		c->dur = DUR_CONVERSIONS;
	} else {
		return err_word(e, &w, "expected months or conversions");
	}
	c->dur_n = (int32_t)n;
	return ST_OK;
}

bool
rule_value_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > RULE_VALUE_LEN)
		return false;
	for (i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || is_digit(ch) ||
		    strchr("-_./:+", ch) != NULL))
			return false;
	}
	return true;
}

bool
rule_country_ok(const char *s, size_t n)
{
	size_t i;

	if (n != 2)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
			return false;
	return true;
}

/* FIELD=V[,V...]: the values, checked and in canonical case. */
static enum status
parse_values(const struct word *w, size_t eq, struct rule_cond *c, struct err *e)
{
	const char *p = w->s + eq + 1, *end = w->s + w->n;
	size_t len = 0;

	if (p == end)
		return err_word(e, w, "expected a value after =");
	while (p <= end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		size_t n = (size_t)((comma ? comma : end) - p), i;

		if (c->kind == COND_COUNTRY ? !rule_country_ok(p, n) : !rule_value_ok(p, n)) {
			if (n == 0)
				return err_word(e, w, "expected a value between commas");
			return err_word(e, w, c->kind == COND_COUNTRY ?
			    "a country is a two-letter code (ISO 3166), e.g. DE" :
			    "a value has at most 64 letters, digits and - _ . / : +");
		}
		if (len + n + 1 > RULE_VALUES_MAX)
			return err_word(e, w, "too many values");
		if (len > 0)
			c->values[len++] = ',';
		for (i = 0; i < n; i++) {
			char ch = p[i];
			if (c->kind == COND_COUNTRY && ch >= 'a' && ch <= 'z')
				ch = (char)(ch - 'a' + 'A');
			else if (c->kind != COND_COUNTRY && ch >= 'A' && ch <= 'Z')
				ch = (char)(ch - 'A' + 'a');
			c->values[len++] = ch;
		}
		c->values[len] = '\0';
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return ST_OK;
}

/* One COND word. */
static enum status
parse_cond(const struct word *w, const struct currency *cur, struct rule_cond *c, struct err *e)
{
	static const struct { const char *name; enum cond_kind kind; } fields[] = {
		{ "event", COND_EVENT }, { "product", COND_PRODUCT },
		{ "plan", COND_PLAN }, { "country", COND_COUNTRY },
	};
	char loc[QUOTE_MAX + 32];
	const char *eq;
	size_t i;

	memset(c, 0, sizeof *c);
	if (word_is(w, "first") || word_is(w, "repeat")) {
		c->kind = word_is(w, "first") ? COND_FIRST : COND_REPEAT;
		return ST_OK;
	}
	where(loc, sizeof loc, "word", w->no, w->s, w->n);
	if (w->n > 8 && strncmp(w->s, "amount>=", 8) == 0) {
		c->kind = COND_AMOUNT_GE;
		return parse_amount(w->s + 8, w->n - 8, cur, &c->amount, loc, e);
	}
	if (w->n > 7 && strncmp(w->s, "amount<", 7) == 0 && w->s[7] != '=') {
		c->kind = COND_AMOUNT_LT;
		return parse_amount(w->s + 7, w->n - 7, cur, &c->amount, loc, e);
	}
	if (w->n >= 6 && strncmp(w->s, "amount", 6) == 0)
		return err_word(e, w, "expected amount>=A or amount<A");
	eq = memchr(w->s, '=', w->n);
	if (eq != NULL) {
		struct word f = { w->s, (size_t)(eq - w->s), w->no };
		for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
			if (word_is(&f, fields[i].name)) {
				c->kind = fields[i].kind;
				return parse_values(w, (size_t)(eq - w->s), c, e);
			}
		}
	}
	return err_word(e, w, "expected a condition: event=, product=, plan=, country=, first, "
	    "repeat, amount>=A or amount<A");
}

/* "when COND [and COND]...", the "when" taken; w gets the word after. */
static enum status
parse_conds(struct lexer *lx, struct word *w, const struct currency *cur, struct rule_clause *c,
    struct err *e)
{
	enum status st;
	int i;

	for (;;) {
		struct rule_cond *cd;
		if (!lex_next(lx, w))
			return err_after(e, lx, "expected a condition");
		if (c->nconds == RULE_MAX_CONDS)
			return err_word(e, w, "a clause has at most 4 conditions");
		cd = &c->conds[c->nconds];
		if ((st = parse_cond(w, cur, cd, e)) != ST_OK)
			return st;
		for (i = 0; i < c->nconds; i++) {
			enum cond_kind k = c->conds[i].kind;
			if (k == cd->kind)
				return err_word(e, w, "that is already tested in this clause");
			if ((k == COND_FIRST && cd->kind == COND_REPEAT) ||
			    (k == COND_REPEAT && cd->kind == COND_FIRST))
				return err_word(e, w, "first and repeat cannot both hold");
		}
		c->nconds++;
		if (!lex_next(lx, w))
			return err_after(e, lx, "expected and, flat or percent");
		if (!word_is(w, "and"))
			return ST_OK;
	}
}

/* What may follow a clause's body, given what it has. */
static const char *
mods_expected(bool cap, bool dur)
{
	if (!cap && !dur)
		return "expected cap, for, ; or end of rule";
	if (!cap)
		return "expected cap, ; or end of rule";
	if (!dur)
		return "expected for, ; or end of rule";
	return "expected ; or end of rule";
}

/* A clause's optional "cap AMOUNT" and "for ..." (either order); *more
 * when a ';' follows. */
static enum status
parse_mods(struct lexer *lx, const struct currency *cur, struct rule_clause *c, bool *more,
    struct err *e)
{
	char loc[QUOTE_MAX + 32];
	struct word w;
	bool cap = false, dur = false;
	enum status st;

	*more = false;
	while (lex_next(lx, &w)) {
		if (word_is(&w, ";")) {
			*more = true;
			return ST_OK;
		}
		if (word_is(&w, "cap") && !cap) {
			if (!lex_next(lx, &w))
				return err_after(e, lx, "expected an amount");
			where(loc, sizeof loc, "word", w.no, w.s, w.n);
			if ((st = parse_amount(w.s, w.n, cur, &c->cap, loc, e)) != ST_OK)
				return st;
			if (c->cap == 0)
				return err_word(e, &w, "cap must be more than 0 (leave it out for none)");
			cap = true;
		} else if (word_is(&w, "for") && !dur) {
			if ((st = parse_duration(lx, c, e)) != ST_OK)
				return st;
			dur = true;
		} else {
			return err_word(e, &w, mods_expected(cap, dur));
		}
	}
	return ST_OK;
}

/* One clause, its first word in w. */
static enum status
parse_clause(struct lexer *lx, struct word *w, const struct currency *cur, struct rule_clause *c,
    bool *more, struct err *e)
{
	char loc[QUOTE_MAX + 32];
	bool flat, conds = word_is(w, "when");
	enum status st;

	memset(c, 0, sizeof *c);
	if (conds && (st = parse_conds(lx, w, cur, c, e)) != ST_OK)
		return st;
	if (word_is(w, "tiered"))
		return err_word(e, w, TIERED_ALONE);
	if (!word_is(w, "flat") && !word_is(w, "percent"))
		return err_word(e, w, conds ? "expected and, flat or percent" :
		    "expected when, flat or percent");
	flat = word_is(w, "flat");
	c->kind = flat ? RULE_FLAT : RULE_PERCENT;
	if (!lex_next(lx, w))
		return err_after(e, lx, flat ? "expected an amount" : "expected a percentage");
	where(loc, sizeof loc, "word", w->no, w->s, w->n);
	if (flat)
		st = parse_amount(w->s, w->n, cur, &c->flat, loc, e);
	else	/* "percent 10%" is forgiven; canonical text has no '%' */
		st = parse_percent(w->s, w->n > 1 && w->s[w->n - 1] == '%' ? w->n - 1 : w->n,
		    &c->rate_bp, loc, e);
	if (st != ST_OK)
		return st;
	return parse_mods(lx, cur, c, more, e);
}

/* Clauses until the end; the default (no when) only last. */
static enum status
parse_clauses(struct lexer *lx, struct word *w, const struct currency *cur, struct rule *r,
    struct err *e)
{
	bool more = true;
	enum status st;

	while (more) {
		if (r->nclauses == RULE_MAX_CLAUSES)
			return err_word(e, w, "a rule has at most 8 clauses");
		if (r->nclauses > 0 && r->clauses[r->nclauses - 1].nconds == 0)
			return err_word(e, w, "the clause before has no when: the default must be last");
		if ((st = parse_clause(lx, w, cur, &r->clauses[r->nclauses], &more, e)) != ST_OK)
			return st;
		r->nclauses++;
		if (more && !lex_next(lx, w))
			return err_after(e, lx, "expected when, flat or percent");
	}
	return ST_OK;
}

enum status
rule_parse(const char *text, const struct currency *cur, struct rule *out,
    struct err *e)
{
	struct lexer lx = { .p = text, .nwords = 0 };
	struct rule rule, *r = &rule;
	struct word w;
	enum status st;

	memset(r, 0, sizeof *r);
	if (cur == NULL)
		cur = &rule_default_currency;
	if (text == NULL || !lex_next(&lx, &w))
		return err_set(e, ST_DATA, "rule: empty");
	if (word_is(&w, "tiered")) {
		r->kind = RULE_TIERED;
		st = parse_tiered(&lx, cur, r, e);
	} else if (word_is(&w, "flat") || word_is(&w, "percent") || word_is(&w, "when")) {
		st = parse_clauses(&lx, &w, cur, r, e);
		if (st == ST_OK && r->nclauses == 1 && r->clauses[0].nconds == 0) {
			/* a plain flat or percent rule, as the engine reads it */
			r->kind = r->clauses[0].kind;
			r->flat = r->clauses[0].flat;
			r->rate_bp = r->clauses[0].rate_bp;
			r->cap = r->clauses[0].cap;
		} else if (st == ST_OK) {
			r->kind = RULE_WHEN;
		}
	} else {
		st = err_word(e, &w, "expected flat, percent, tiered or when");
	}
	if (st == ST_OK)
		memcpy(out, r, sizeof *r);
	return st;
}
