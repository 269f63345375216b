/*
 * codec.c - the generic record codec (see codec.h for the format).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "store/codec.h"

static void
put_varint(struct sbuf *b, uint64_t v)
{
	char tmp[10];
	size_t n = 0;

	do {
		unsigned char byte = v & 0x7f;
		v >>= 7;
		if (v)
			byte |= 0x80;
		tmp[n++] = (char)byte;
	} while (v);
	sbuf_addn(b, tmp, n);
}

static int
get_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	uint64_t r = 0;
	int shift = 0;

	while (*p < end && shift < 64) {
		unsigned char byte = *(*p)++;
		r |= (uint64_t)(byte & 0x7f) << shift;
		if (!(byte & 0x80)) {
			*v = r;
			return 0;
		}
		shift += 7;
	}
	return -1;
}

static uint64_t
zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t
unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

void
codec_encode(const struct codec *c, const void *rec, struct sbuf *out)
{
	const char *base = rec;
	size_t i;

	sbuf_reset(out);
	sbuf_addc(out, CODEC_VERSION);
	put_varint(out, c->nfields);
	for (i = 0; i < c->nfields; i++) {
		const struct field_def *f = &c->fields[i];
		const void *p = base + f->off;

		switch (f->type) {
		case FT_U64:
			put_varint(out, *(const uint64_t *)p);
			break;
		case FT_I64:
			put_varint(out, zigzag(*(const int64_t *)p));
			break;
		case FT_I32:
			put_varint(out, zigzag(*(const int32_t *)p));
			break;
		case FT_STR: {
			const char *s = *(char *const *)p;
			if (s == NULL) {
				put_varint(out, 0);
			} else {
				size_t n = strlen(s);
				put_varint(out, n + 1);
				sbuf_addn(out, s, n);
			}
			break;
		}
		case FT_CUR:
			sbuf_addn(out, p, 3);
			break;
		}
	}
}

enum status
codec_decode(const struct codec *c, const void *buf, size_t len, void *rec)
{
	const unsigned char *p = buf, *end = p + len;
	char *base = rec;
	uint64_t n, v;
	size_t i;

	memset(rec, 0, c->size);
	if (len < 2 || p[0] != CODEC_VERSION)
		return ST_DATA;
	p++;
	if (get_varint(&p, end, &n) != 0 || n > c->nfields)
		return ST_DATA;
	for (i = 0; i < n; i++) {
		const struct field_def *f = &c->fields[i];
		void *dst = base + f->off;

		switch (f->type) {
		case FT_U64:
			if (get_varint(&p, end, &v) != 0)
				goto bad;
			*(uint64_t *)dst = v;
			break;
		case FT_I64:
			if (get_varint(&p, end, &v) != 0)
				goto bad;
			*(int64_t *)dst = unzigzag(v);
			break;
		case FT_I32:
			if (get_varint(&p, end, &v) != 0)
				goto bad;
			*(int32_t *)dst = (int32_t)unzigzag(v);
			break;
		case FT_STR:
			if (get_varint(&p, end, &v) != 0 || v > (uint64_t)(end - p) + 1)
				goto bad;
			if (v > 0) {
				*(char **)dst = xstrndup((const char *)p, v - 1);
				p += v - 1;
			}
			break;
		case FT_CUR:
			if (end - p < 3)
				goto bad;
			memcpy(dst, p, 3);
			((char *)dst)[3] = '\0';
			p += 3;
			break;
		}
	}
	if (p != end)
		goto bad;
	return ST_OK;
bad:
	codec_free(c, rec);
	return ST_DATA;
}

void
codec_free(const struct codec *c, void *rec)
{
	char *base = rec;
	size_t i;

	for (i = 0; i < c->nfields; i++) {
		if (c->fields[i].type == FT_STR) {
			char **sp = (char **)(base + c->fields[i].off);
			free(*sp);
			*sp = NULL;
		}
	}
	memset(rec, 0, c->size);
}

void
codec_copy(const struct codec *c, void *dst, const void *src)
{
	size_t i;

	memcpy(dst, src, c->size);
	for (i = 0; i < c->nfields; i++) {
		if (c->fields[i].type == FT_STR) {
			char **dp = (char **)((char *)dst + c->fields[i].off);
			if (*dp)
				*dp = xstrdup(*dp);
		}
	}
}
