/*
 * fold.c - words folded for matching (see fold.h): one pass over the
 * UTF-8, a range table for the Latin letters.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/fold.h"
#include "core/utf8.h"

/* Latin-1 Supplement letters U+00C0..U+00FF; "" separates words
 * (U+00D7 multiplication and U+00F7 division signs). */
static const char *const latin1[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
};

/* Latin Extended-A U+0100..U+017F by ranges of one base letter. */
static const struct { uint16_t lo, hi; const char *to; } ext_a[] = {
	{ 0x0100, 0x0105, "a" }, { 0x0106, 0x010d, "c" }, { 0x010e, 0x0111, "d" },
	{ 0x0112, 0x011b, "e" }, { 0x011c, 0x0123, "g" }, { 0x0124, 0x0127, "h" },
	{ 0x0128, 0x0131, "i" }, { 0x0132, 0x0133, "ij" }, { 0x0134, 0x0135, "j" },
	{ 0x0136, 0x0138, "k" }, { 0x0139, 0x0142, "l" }, { 0x0143, 0x014b, "n" },
	{ 0x014c, 0x0151, "o" }, { 0x0152, 0x0153, "oe" }, { 0x0154, 0x0159, "r" },
	{ 0x015a, 0x0161, "s" }, { 0x0162, 0x0167, "t" }, { 0x0168, 0x0173, "u" },
	{ 0x0174, 0x0175, "w" }, { 0x0176, 0x0178, "y" }, { 0x0179, 0x017e, "z" },
	{ 0x017f, 0x017f, "s" },
};

enum fold_class { F_SEP, F_DROP, F_ASCII, F_KEEP };

/* What code point cp becomes: a separator, nothing (a combining mark),
 * ASCII text in *to, or itself (a letter of another script). */
static enum fold_class
fold_cp(uint32_t cp, const char **to)
{
	static char one[2];
	size_t i;

	if (cp < 0x80) {
		if ((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z')) {
			one[0] = (char)cp;
		} else if (cp >= 'A' && cp <= 'Z') {
			one[0] = (char)(cp - 'A' + 'a');
		} else {
			return F_SEP;
		}
		one[1] = '\0';
		*to = one;
		return F_ASCII;
	}
	if (cp < 0xc0) {
		/* ª º and the superscript digits are letters and digits in NFKD */
		*to = cp == 0xaa ? "a" : cp == 0xba ? "o" : cp == 0xb9 ? "1" :
		    cp == 0xb2 ? "2" : cp == 0xb3 ? "3" : "";
		return (*to)[0] ? F_ASCII : F_SEP;
	}
	if (cp < 0x100) {
		*to = latin1[cp - 0xc0];
		return (*to)[0] ? F_ASCII : F_SEP;
	}
	if (cp < 0x180) {
		for (i = 0; i < sizeof ext_a / sizeof ext_a[0]; i++)
			if (cp >= ext_a[i].lo && cp <= ext_a[i].hi) {
				*to = ext_a[i].to;
				return F_ASCII;
			}
	}
	if (cp >= 0x300 && cp <= 0x36f)
		return F_DROP;
	/* General Punctuation, Supplemental Punctuation, CJK punctuation,
	 * the replacement character and the specials */
	if ((cp >= 0x2000 && cp <= 0x206f) || (cp >= 0x2e00 && cp <= 0x2e7f) ||
	    (cp >= 0x3000 && cp <= 0x303f) || (cp >= 0xfff0 && cp <= 0xffff))
		return F_SEP;
	return F_KEEP;
}

static bool
have(const struct fold_words *out, const char *w)
{
	size_t i;

	for (i = 0; i < out->n; i++)
		if (strcmp(out->w[i], w) == 0)
			return true;
	return false;
}

/* End the word being built in cur (len bytes): keep it unless empty or
 * already there. */
static void
word_end(struct fold_words *out, char *cur, size_t *len)
{
	cur[*len] = '\0';
	if (*len > 0 && out->n < sizeof out->w / sizeof out->w[0] && !have(out, cur))
		memcpy(out->w[out->n++], cur, *len + 1);
	*len = 0;
}

void
fold_words_add(const char *s, struct fold_words *out)
{
	char cur[FOLD_WORD_MAX + 1];
	size_t len = 0, n, m;
	bool full = false;      /* the word reached FOLD_WORD_MAX: skip to its end */

	if (s == NULL)
		return;
	n = strlen(s);
	while (n > 0) {
		uint32_t cp;
		const char *to = NULL;
		char kept[4];
		size_t step = utf8_decode(s, n, &cp);
		enum fold_class fc;

		if (step == 0) {
			step = 1;
			fc = F_SEP;
		} else {
			fc = fold_cp(cp, &to);
		}
		if (fc == F_KEEP) {
			m = utf8_encode(cp, kept);
			to = NULL;
		} else {
			m = to ? strlen(to) : 0;
		}
		if (fc == F_SEP) {
			word_end(out, cur, &len);
			full = false;
		} else if (fc != F_DROP && !full) {
			/* a word past the limit keeps its first characters whole */
			if (len + m > FOLD_WORD_MAX) {
				full = true;
			} else {
				memcpy(cur + len, to ? to : kept, m);
				len += m;
			}
		}
		s += step;
		n -= step;
	}
	word_end(out, cur, &len);
}

void
fold_words(const char *s, struct fold_words *out)
{
	out->n = 0;
	fold_words_add(s, out);
}
