/*
 * str.h - a growable string buffer and small string helpers (libc only).
 */
#ifndef ALLY_CORE_STR_H
#define ALLY_CORE_STR_H

#include <stdbool.h>
#include <stddef.h>

struct sbuf {
	char *s;      /* always NUL-terminated once anything was added */
	size_t len;
	size_t cap;
};

void sbuf_init(struct sbuf *b);
void sbuf_free(struct sbuf *b);
void sbuf_reset(struct sbuf *b);
void sbuf_add(struct sbuf *b, const char *s);
void sbuf_addn(struct sbuf *b, const char *s, size_t n);
void sbuf_addc(struct sbuf *b, char c);
void sbuf_addf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Take the string out of b (caller frees); b is left empty. */
char *sbuf_take(struct sbuf *b);
/* The string, "" for an empty buffer. */
const char *sbuf_str(const struct sbuf *b);

/* New string: s without leading/trailing ASCII white space. */
char *str_trim(const char *s);
/* Lower-case ASCII letters in place; returns s. */
char *str_lower(char *s);
char *str_upper(char *s);
bool str_eq_nocase(const char *a, const char *b);
bool str_empty(const char *s);        /* NULL or "" */
bool str_has_prefix(const char *s, const char *prefix);
/* True if s contains a byte < 0x20 or 0x7f. */
bool str_has_control(const char *s);

/*
 * Make text safe for a terminal or one line of output: control characters
 * (C0, DEL, C1) become visible escapes (\e, \n, \t, \r, \xNN, \u{NN} for
 * C1), invalid UTF-8 bytes become \xNN, bidi overrides (U+202A..U+202E,
 * U+2066..U+2069) become \u{NNNN}.  Appends to out.
 */
void str_escape_display(struct sbuf *out, const char *s);
/* Same, as a new string. */
char *str_visible(const char *s);
/* str_visible() cut to at most cols display columns (cols >= 3), ending in
 * "..." when cut; for quoting user input in one-line error messages. */
char *str_visible_cut(const char *s, size_t cols);
/* str_visible() cut to at most cols display columns, never inside a
 * character, and padded with spaces to exactly cols columns: one cell of
 * a fixed-width text column. */
char *str_visible_fit(const char *s, size_t cols);

#endif
