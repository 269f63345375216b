/*
 * code.h - referral codes.  Generated codes are 8 characters of Crockford
 * base32 (0-9 A-Z without I L O U); vanity codes match
 * [A-Z0-9][A-Z0-9-]{2,31} case-insensitively and are stored upper-case.
 */
#ifndef ALLY_DOMAIN_CODE_H
#define ALLY_DOMAIN_CODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "core/str.h"

#define CODE_GEN_LEN 8
#define CODE_MAX_LEN 32

/* Write CODE_GEN_LEN characters + NUL into out from 5 random bytes. */
void code_generate(const unsigned char random[5], char out[CODE_GEN_LEN + 1]);
/*
 * Check a vanity code and upper-case it into out (CODE_MAX_LEN + 1 bytes).
 * ST_DATA "FIELD: ..." naming the reason (length, first character, bad
 * character).
 */
enum status code_vanity_check(const char *in, char *out, const char *field, struct err *e);
/* Upper-case a code typed by a user for lookup (no validation beyond
 * length); false when it cannot be a code at all. */
bool code_normalise(const char *in, char *out);
/* The link for a code: landing with "{code}" replaced, else
 * landing + ("?" or "&") + "ref=" + code.  NULL landing gives just the code. */
void code_link(const char *landing, const char *code, struct sbuf *out);

#endif
