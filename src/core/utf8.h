/*
 * utf8.h - display width of UTF-8 text, cut on character boundaries.
 * Invalid bytes count as width 4 (they are shown as \xNN).
 */
#ifndef ALLY_CORE_UTF8_H
#define ALLY_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decode one code point at s (n bytes available); returns its length in
 * bytes (1..4), or 0 with *cp = 0xFFFD... for an invalid sequence
 * (the caller skips one byte). */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
bool utf8_valid(const char *s);
/* What a text field refuses, first found: an invalid byte, or a control
 * character: C0 (U+0000..U+001F, but tab and line feed when `lines`),
 * DEL and the C1 controls U+0080..U+009F (valid UTF-8, yet U+0085 breaks
 * lines and U+009B starts an 8-bit terminal escape).  UTF8_TEXT_OK if none;
 * *cp (may be NULL) gets the control found. */
enum utf8_text { UTF8_TEXT_OK, UTF8_TEXT_INVALID, UTF8_TEXT_CONTROL };
enum utf8_text utf8_text_check(const char *s, bool lines, uint32_t *cp);
/* Encode a code point (<= 0x10FFFF) into out; returns 1..4. */
size_t utf8_encode(uint32_t cp, char out[4]);
/* Display columns of s (wcwidth per code point; controls count as their
 * escaped width). */
size_t utf8_width(const char *s);
/* Byte length of the longest prefix of s that fits in cols columns, never
 * splitting a character. */
size_t utf8_prefix_for_width(const char *s, size_t cols);

#endif
