/*
 * bonus.c - the bonus grammar (see bonus.h):
 *
 *     AMOUNT at N conversions PERIOD
 *     AMOUNT at REVENUE revenue PERIOD
 *
 * Five blank-separated words; each is checked where it stands, so an
 * error names the word and what would have been accepted there.  Amounts
 * go through money_parse, whose messages name the field ("bonus amount",
 * "bonus revenue") and quote the word safely.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "domain/bonus.h"

#define BONUS_WORDS 5
#define WORD_MAX 48
#define EXAMPLE "e.g. \"500.00 at 50 conversions month\""

/* A word for a message: control bytes become '?', long words are cut. */
static void
quote(const char *s, char out[WORD_MAX + 4])
{
	size_t i, n = strlen(s);

	if (n > WORD_MAX)
		n = WORD_MAX;
	while (n > 0 && n < strlen(s) && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	for (i = 0; i < n; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	if (n < strlen(s))
		memcpy(out + n, "...", 3), n += 3;
	out[n] = '\0';
}

static enum status
bad_word(struct err *e, int no, const char *w, const char *why)
{
	char q[WORD_MAX + 4];

	quote(w, q);
	return err_set(e, ST_DATA, "bonus: word %d \"%s\": %s", no, q, why);
}

/* A whole number of conversions, 1 .. BONUS_MAX_COUNT. */
static enum status
parse_count(const char *w, int64_t *out, struct err *e)
{
	int64_t v = 0;
	const char *p;

	if (*w == '\0')
		return bad_word(e, 3, w, "expected a number of conversions");
	for (p = w; *p; p++) {
		if (*p < '0' || *p > '9')
			return bad_word(e, 3, w, "expected a whole number of conversions");
		v = v * 10 + (*p - '0');
		if (v > BONUS_MAX_COUNT)
			return bad_word(e, 3, w, "at most 1000000000 conversions");
	}
	if (v == 0)
		return bad_word(e, 3, w, "the threshold must be at least 1 conversion");
	*out = v;
	return ST_OK;
}

enum status
bonus_parse(const char *text, const struct currency *cur, struct bonus *out, struct err *e)
{
	char buf[512], *w[BONUS_WORDS + 1], *save = NULL, *tok;
	int n = 0;
	enum status st;

	memset(out, 0, sizeof *out);
	if (text == NULL || strlen(text) >= sizeof buf)
		return err_set(e, ST_DATA, "bonus: too long (%s)", EXAMPLE);
	memcpy(buf, text, strlen(text) + 1);
	for (tok = strtok_r(buf, " \t\r\n\f\v", &save); tok; tok = strtok_r(NULL, " \t\r\n\f\v", &save)) {
		if (n == BONUS_WORDS)
			return bad_word(e, n + 1, tok, "expected the end of the bonus after its period");
		w[n++] = tok;
	}
	if (n == 0)
		return err_set(e, ST_DATA, "bonus: is empty (%s)", EXAMPLE);
	if ((st = money_parse(w[0], cur, false, &out->amount, "bonus amount", e)) != ST_OK)
		return st;
	if (out->amount == 0)
		return bad_word(e, 1, w[0], "the bonus must be more than 0");
	if (n < 2 || !str_eq_nocase(w[1], "at"))
		return n < 2 ? err_set(e, ST_DATA, "bonus: after \"%s\": expected at (%s)", w[0], EXAMPLE) :
		    bad_word(e, 2, w[1], "expected at (" EXAMPLE ")");
	if (n < 4)
		return err_set(e, ST_DATA, "bonus: expected a threshold: N conversions or AMOUNT revenue (%s)",
		    EXAMPLE);
	if (str_eq_nocase(w[3], "conversions") || str_eq_nocase(w[3], "conversion")) {
		out->basis = BONUS_COUNT;
		if ((st = parse_count(w[2], &out->threshold, e)) != ST_OK)
			return st;
	} else if (str_eq_nocase(w[3], "revenue")) {
		out->basis = BONUS_REVENUE;
		if ((st = money_parse(w[2], cur, false, &out->threshold, "bonus revenue", e)) != ST_OK)
			return st;
		if (out->threshold == 0)
			return bad_word(e, 3, w[2], "the revenue threshold must be more than 0");
	} else {
		return bad_word(e, 4, w[3], "expected conversions or revenue");
	}
	if (n < 5)
		return err_set(e, ST_DATA, "bonus: after \"%s\": expected month, quarter, year or lifetime",
		    w[3]);
	if (!period_parse(w[4], &out->period))
		return bad_word(e, 5, w[4], "expected month, quarter, year or lifetime");
	return ST_OK;
}

void
bonus_format(const struct bonus *b, const struct currency *cur, struct sbuf *out)
{
	char a[MONEY_BUFSZ], r[MONEY_BUFSZ];

	money_format(b->amount, cur, a);
	if (b->basis == BONUS_COUNT)
		sbuf_addf(out, "%s at %lld conversion%s %s", a, (long long)b->threshold,
		    b->threshold == 1 ? "" : "s", period_name(b->period));
	else
		sbuf_addf(out, "%s at %s revenue %s", a, money_format(b->threshold, cur, r),
		    period_name(b->period));
}

bool
bonus_reached(const struct bonus *b, int64_t count, int64_t revenue)
{
	return b->basis == BONUS_COUNT ? count >= b->threshold : revenue >= b->threshold;
}
