/*
 * email.h - e-mail addresses as ally keeps them: trimmed, lower-cased,
 * one "@", a dot in the domain, no blanks or control characters,
 * at most 254 bytes.
 */
#ifndef ALLY_DOMAIN_EMAIL_H
#define ALLY_DOMAIN_EMAIL_H

#include "core/status.h"

/* Normalise into a new string (*out), or ST_DATA "FIELD: ..." why. */
enum status email_normalise(const char *in, char **out, const char *field, struct err *e);

#endif
