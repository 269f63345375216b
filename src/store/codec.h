/*
 * codec.h - one generic codec for records described by field tables.
 *
 * A value is: a version byte, a varint field count, then each field in
 * table order (varints for integers, zig-zag for signed, strings as
 * varint(len+1) with 0 meaning NULL, currencies as 3 bytes).  New fields
 * are only ever appended to a table, so an older record decodes with the
 * missing fields zeroed; a record with more fields than this build knows is
 * from a newer ally and is refused.
 */
#ifndef ALLY_STORE_CODEC_H
#define ALLY_STORE_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "core/str.h"

#define CODEC_VERSION 1

enum ftype { FT_U64 = 1, FT_I64, FT_I32, FT_STR, FT_CUR };

struct field_def {
	enum ftype type;
	size_t off;
	const char *name;
};

struct codec {
	const struct field_def *fields;
	size_t nfields;
	size_t size;            /* sizeof the struct */
};

/* Append the encoding of rec to out (out is reset first). */
void codec_encode(const struct codec *c, const void *rec, struct sbuf *out);
/* Decode into rec (zeroed first).  ST_DATA on a malformed or newer value. */
enum status codec_decode(const struct codec *c, const void *buf, size_t len, void *rec);
void codec_free(const struct codec *c, void *rec);
void codec_copy(const struct codec *c, void *dst, const void *src);

#endif
