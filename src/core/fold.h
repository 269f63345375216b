/*
 * fold.h - text folded for matching what people type against what was
 * stored: "Zoë Müller-Łukasz" is the words zoe, muller, lukasz.
 *
 * Folding lower-cases ASCII and maps the letters of Latin-1 Supplement and
 * Latin Extended-A to their base letters, as NFKD followed by dropping the
 * marks would (ß ss, æ ae, œ oe, ø o, ł l, đ d, þ th, ĳ ij); combining
 * marks (U+0300..U+036F, decomposed input) are dropped.  A word is a run of
 * ASCII letters and digits and of the other letters kept as they are
 * (Greek, Cyrillic, CJK: every code point from U+0180 up but the
 * punctuation and space blocks); everything else separates words.  A small
 * table rather than libicu: the rest of ally needs no Unicode library, and
 * the names ally meets are mostly written in Latin letters.
 */
#ifndef ALLY_CORE_FOLD_H
#define ALLY_CORE_FOLD_H

#include <stddef.h>

/* Longest word kept (bytes, without the NUL); longer words are cut on a
 * character boundary, so a prefix still finds them. */
#define FOLD_WORD_MAX 40

struct fold_words {
	char w[16][FOLD_WORD_MAX + 1];
	size_t n;               /* at most 16: later words are dropped */
};

/* The folded words of s in order, each once (s NULL: none). */
void fold_words(const char *s, struct fold_words *out);
/* Add the folded words of s that out does not hold yet. */
void fold_words_add(const char *s, struct fold_words *out);

#endif
