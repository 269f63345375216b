/*
 * payee.c - payout methods and their details (see payee.h).
 *
 * The one idea: an IBAN is checked the way a bank checks it before money
 * moves, so a typo is refused when it is typed, not when accounts payable
 * uploads the file: move the first four characters to the end, letters
 * become 10..35, and the number must leave 1 when divided by 97 (done a
 * digit at a time, so no big numbers).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app/payee.h"
#include "app/app_int.h"
#include "core/alloc.h"
#include "core/str.h"

#define IBAN_MIN 15             /* Norway */
#define IBAN_MAX 34

const char *
payee_method_name(int32_t m)
{
	switch (m) {
	case PAYOUT_BANK:   return "bank";
	case PAYOUT_PAYPAL: return "paypal";
	case PAYOUT_WISE:   return "wise";
	default:            return "";
	}
}

static bool
is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A copy without blanks, upper-cased. */
static char *
compact(const char *in)
{
	char *out = xmalloc(strlen(in) + 1), *q = out;

	for (; *in; in++) {
		if (*in == ' ' || *in == '\t')
			continue;
		*q++ = (*in >= 'a' && *in <= 'z') ? (char)(*in - 'a' + 'A') : *in;
	}
	*q = '\0';
	return out;
}

static int
mod97(const char *s)
{
	size_t i, n = strlen(s);
	int r = 0;

	for (i = 0; i < n; i++) {
		char c = s[(i + 4) % n];        /* the first four go to the end */
		if (is_digit(c))
			r = (r * 10 + (c - '0')) % 97;
		else
			r = (r * 100 + (c - 'A' + 10)) % 97;
	}
	return r;
}

enum status
payee_iban(const char *in, char **out, const char *field, struct err *e)
{
	char *s = compact(in), *vis;
	size_t i, n = strlen(s);
	const char *why = NULL;

	*out = NULL;
	if (n == 0)
		why = "empty";
	else if (n < IBAN_MIN || n > IBAN_MAX)
		why = "must be 15 to 34 letters and digits";
	else if (!is_upper(s[0]) || !is_upper(s[1]) || !is_digit(s[2]) || !is_digit(s[3]))
		why = "must start with a country code and two check digits (like DE89)";
	for (i = 0; why == NULL && i < n; i++)
		if (!is_upper(s[i]) && !is_digit(s[i]))
			why = "holds a character that is not a letter or digit";
	if (why == NULL && mod97(s) != 1)
		why = "its check digits do not match (ISO 13616 mod 97): a typo?";
	if (why != NULL) {
		vis = str_visible_cut(in, 40);
		err_set(e, ST_DATA, "%s: \"%s\" %s", field, vis, why);
		free(vis);
		free(s);
		return ST_DATA;
	}
	*out = s;
	return ST_OK;
}

enum status
payee_bic(const char *in, char **out, const char *field, struct err *e)
{
	char *s = compact(in), *vis;
	size_t i, n = strlen(s);
	bool ok = n == 8 || n == 11;

	*out = NULL;
	for (i = 0; ok && i < n; i++)
		ok = i < 6 ? is_upper(s[i]) : (is_upper(s[i]) || is_digit(s[i]));
	if (!ok) {
		vis = str_visible_cut(in, 40);
		err_set(e, ST_DATA, "%s: \"%s\" is not a BIC (8 or 11 characters, like DEUTDEFF or "
		    "DEUTDEFF500)", field, vis);
		free(vis);
		free(s);
		return ST_DATA;
	}
	*out = s;
	return ST_OK;
}

static enum status
method_parse(const char *in, int32_t *m, struct err *e)
{
	char *vis;

	if (*in == '\0')
		*m = PAYOUT_UNSET;
	else if (strcmp(in, "bank") == 0)
		*m = PAYOUT_BANK;
	else if (strcmp(in, "paypal") == 0)
		*m = PAYOUT_PAYPAL;
	else if (strcmp(in, "wise") == 0)
		*m = PAYOUT_WISE;
	else {
		vis = str_visible_cut(in, 30);
		err_set(e, ST_DATA, "payout-method: \"%s\" must be bank, paypal or wise", vis);
		free(vis);
		return ST_DATA;
	}
	return ST_OK;
}

enum status
payee_apply(struct partner *p, const struct payee_input *in, struct err *e)
{
	enum status st;
	char *v;

	if (in->method && (st = method_parse(in->method, &p->payout_method, e)) != ST_OK)
		return st;
	if (in->iban) {
		if (*in->iban == '\0')
			v = NULL;
		else if ((st = payee_iban(in->iban, &v, "iban", e)) != ST_OK)
			return st;
		util_replace(&p->iban, v);
	}
	if (in->bic) {
		if (*in->bic == '\0')
			v = NULL;
		else if ((st = payee_bic(in->bic, &v, "bic", e)) != ST_OK)
			return st;
		util_replace(&p->bic, v);
	}
	if (in->holder) {
		if ((st = util_text(in->holder, false, 70, &v, "holder", e)) != ST_OK)
			return st;
		util_replace(&p->holder, v);
	}
	return ST_OK;
}

static enum status
set_checked(char **dst, const char *in, enum status (*check)(const char *, char **, const char *,
    struct err *), const char *field, struct err *e)
{
	enum status st;
	char *v = NULL;

	if (in == NULL)
		return ST_OK;
	if (*in != '\0' && (st = check(in, &v, field, e)) != ST_OK)
		return st;
	util_replace(dst, v);
	return ST_OK;
}

enum status
payee_debtor(struct settings *s, const char *name, const char *iban, const char *bic,
    struct err *e)
{
	enum status st;
	char *v;

	if (name) {
		if ((st = util_text(name, false, 70, &v, "debtor-name", e)) != ST_OK)
			return st;
		util_replace(&s->debtor_name, v);
	}
	if ((st = set_checked(&s->debtor_iban, iban, payee_iban, "debtor-iban", e)) != ST_OK)
		return st;
	return set_checked(&s->debtor_bic, bic, payee_bic, "debtor-bic", e);
}

const char *
payee_missing(const struct partner *p, const char *format)
{
	bool bank = strcmp(format, "sepa") == 0;
	bool mail = strcmp(format, "paypal") == 0 || strcmp(format, "wise") == 0;

	if (bank && p->payout_method != PAYOUT_BANK)
		return p->payout_method ? "is paid by another method than bank" : "has no payout method";
	if (bank && p->iban == NULL)
		return "has no IBAN";
	if (mail && p->payout_method != (format[0] == 'p' ? PAYOUT_PAYPAL : PAYOUT_WISE))
		return p->payout_method ? "is paid by another method" : "has no payout method";
	if (mail && str_empty(p->payout_email))
		return "has no payout e-mail";
	return NULL;
}
