/*
 * payee.h - how a partner is paid (bank transfer, PayPal, Wise) and the
 * checks on those details: an IBAN by its ISO 13616 mod-97 check digits,
 * a BIC by its ISO 9362 shape.  Used by partner add/edit, import, the
 * organisation's debtor account in ally settings, and the payout files.
 */
#ifndef ALLY_APP_PAYEE_H
#define ALLY_APP_PAYEE_H

#include <stdbool.h>

#include "core/status.h"
#include "domain/records.h"

enum payout_method { PAYOUT_UNSET = 0, PAYOUT_BANK, PAYOUT_PAYPAL, PAYOUT_WISE };

/* "bank", "paypal", "wise" ("" for unset). */
const char *payee_method_name(int32_t m);

/* An IBAN as people write it ("de89 3704 0044 0532 0130 00"): blanks
 * dropped, upper-cased, country, length and check digits checked; *out a
 * new string.  ST_DATA naming `field` otherwise. */
enum status payee_iban(const char *in, char **out, const char *field, struct err *e);
/* A BIC of 8 or 11 characters (bank, country, location, branch). */
enum status payee_bic(const char *in, char **out, const char *field, struct err *e);

/* What partner add/edit and import may set (NULL: leave; "" clears). */
struct payee_input {
	const char *method;
	const char *iban;
	const char *bic;
	const char *holder;
};
/* Check in and apply it to p. */
enum status payee_apply(struct partner *p, const struct payee_input *in, struct err *e);

/* The organisation's debtor account for SEPA files (NULL: leave; ""
 * clears), checked like a partner's. */
struct settings;
enum status payee_debtor(struct settings *s, const char *name, const char *iban,
    const char *bic, struct err *e);

/* What a payout file of `format` still lacks for p ("no IBAN"), or NULL
 * when it has everything. */
const char *payee_missing(const struct partner *p, const char *format);

#endif
