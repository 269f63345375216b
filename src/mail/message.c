/*
 * message.c - building an e-mail message as text (RFC 5322, MIME, RFC 2047).
 *
 * The one idea: nothing from a caller reaches a header unchecked.  Values
 * and addresses are refused outright when they hold a control character,
 * then written through two folding writers (plain ASCII folded at blanks,
 * everything else as base64 encoded words cut on UTF-8 boundaries), so a
 * header line never passes 76 characters and never gains a line break that
 * a caller put there.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/utf8.h"
#include "mail/mail.h"

#define EW_OPEN "=?UTF-8?B?"
#define EW_CLOSE "?="
#define EW_OVERHEAD (sizeof EW_OPEN - 1 + sizeof EW_CLOSE - 1)

/* ---- checks ---- */

enum status
mail_check_value(const char *field, const char *s, struct err *e)
{
	const unsigned char *p;
	size_t i, n, len;
	uint32_t cp;

	if (s == NULL)
		return ST_OK;
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '\r' || *p == '\n')
			return err_set(e, ST_DATA, "%s: line breaks are not allowed in a mail header", field);
		if (*p < 0x20 || *p == 0x7f)
			return err_set(e, ST_DATA, "%s: control characters are not allowed in a mail header", field);
	}
	n = strlen(s);
	for (i = 0; i < n; i += len) {
		len = utf8_decode(s + i, n - i, &cp);
		if (len == 0)
			return err_set(e, ST_DATA, "%s: not valid UTF-8", field);
		if (cp >= 0x80 && cp < 0xa0)
			return err_set(e, ST_DATA, "%s: control characters are not allowed in a mail header", field);
	}
	return ST_OK;
}

enum status
mail_check_addr(const char *field, const char *s, struct err *e)
{
	const char *p, *at = NULL;
	enum status st;

	if (s == NULL || *s == '\0')
		return err_set(e, ST_DATA, "%s: missing address", field);
	if ((st = mail_check_value(field, s, e)) != ST_OK)
		return st;
	if (strlen(s) > 254)
		return err_set(e, ST_DATA, "%s: address longer than 254 bytes", field);
	for (p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c >= 0x80)
			return err_set(e, ST_DATA, "%s: only ASCII addresses can be sent", field);
		if (c == ' ' || strchr("<>()[],;:\\\"", c) != NULL)
			return err_set(e, ST_DATA, "%s: \"%c\" is not allowed in an address", field, c);
		if (c == '@') {
			if (at != NULL)
				return err_set(e, ST_DATA, "%s: more than one @ in the address", field);
			at = p;
		}
	}
	if (at == NULL || at == s || at[1] == '\0')
		return err_set(e, ST_DATA, "%s: expected local@domain", field);
	return ST_OK;
}

/* ---- headers ---- */

static void
base64(struct sbuf *b, const unsigned char *s, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		sbuf_addc(b, tab[s[i] >> 2]);
		sbuf_addc(b, tab[((s[i] & 3) << 4) | (s[i + 1] >> 4)]);
		sbuf_addc(b, tab[((s[i + 1] & 15) << 2) | (s[i + 2] >> 6)]);
		sbuf_addc(b, tab[s[i + 2] & 63]);
	}
	if (n - i == 1) {
		sbuf_addc(b, tab[s[i] >> 2]);
		sbuf_addc(b, tab[(s[i] & 3) << 4]);
		sbuf_add(b, "==");
	} else if (n - i == 2) {
		sbuf_addc(b, tab[s[i] >> 2]);
		sbuf_addc(b, tab[((s[i] & 3) << 4) | (s[i + 1] >> 4)]);
		sbuf_addc(b, tab[(s[i + 1] & 15) << 2]);
		sbuf_addc(b, '=');
	}
}

/* Length in bytes of the UTF-8 character at s (1 for a stray byte). */
static size_t
char_len(const char *s, size_t n)
{
	uint32_t cp;
	size_t len = utf8_decode(s, n, &cp);

	return len ? len : 1;
}

/*
 * Encoded words for s, starting at column *col.  Each word holds as many
 * whole characters as fit both the word limit and the line; words are
 * separated by a fold (whitespace between encoded words is not part of the
 * text, so the decoded value is exactly s).
 */
static void
encoded_words(struct sbuf *b, const char *s, size_t *col)
{
	size_t n = strlen(s), i = 0;
	bool first = true;

	while (i < n) {
		size_t room, maxbytes, take = 0, cl;

		if (!first) {
			sbuf_add(b, "\r\n ");
			*col = 1;
		}
		room = MAIL_LINE_MAX - *col;
		if (room > MAIL_WORD_MAX)
			room = MAIL_WORD_MAX;
		maxbytes = room > EW_OVERHEAD ? (room - EW_OVERHEAD) / 4 * 3 : 0;
		cl = char_len(s + i, n - i);
		if (cl > maxbytes && *col > 1) {
			/* Not even one character fits after the header name. */
			sbuf_add(b, "\r\n ");
			*col = 1;
			maxbytes = (MAIL_WORD_MAX - EW_OVERHEAD) / 4 * 3;
		}
		while (i + take < n) {
			cl = char_len(s + i + take, n - i - take);
			if (take + cl > maxbytes)
				break;
			take += cl;
		}
		sbuf_add(b, EW_OPEN);
		base64(b, (const unsigned char *)s + i, take);
		sbuf_add(b, EW_CLOSE);
		*col += EW_OVERHEAD + (take + 2) / 3 * 4;
		i += take;
		first = false;
	}
}

/* Needs encoded words: non-ASCII, something that looks like one, or a run
 * without blanks too long to fold. */
static bool
needs_encoding(const char *s)
{
	size_t run = 0;

	if (strstr(s, "=?") != NULL)
		return true;
	for (; *s; s++) {
		if ((unsigned char)*s >= 0x80)
			return true;
		run = *s == ' ' ? 0 : run + 1;
		if (run > MAIL_LINE_MAX - 12)
			return true;
	}
	return false;
}

/* Plain ASCII folded before a run of blanks when the next token would pass
 * the line; unfolding (removing the CRLF) gives s back exactly. */
static void
fold_ascii(struct sbuf *b, const char *s, size_t *col, size_t min_col)
{
	const char *p = s;

	while (*p) {
		const char *q = p;
		size_t len;

		while (*q == ' ')
			q++;
		while (*q && *q != ' ')
			q++;
		len = (size_t)(q - p);
		if (*col + len > MAIL_LINE_MAX && *col > min_col && *p == ' ') {
			sbuf_add(b, "\r\n");
			*col = 0;
		}
		sbuf_addn(b, p, len);
		*col += len;
		p = q;
	}
}

void
mail_header_text(struct sbuf *b, const char *name, const char *value)
{
	size_t col = strlen(name) + 2;

	sbuf_addf(b, "%s: ", name);
	if (needs_encoding(value))
		encoded_words(b, value, &col);
	else
		fold_ascii(b, value, &col, strlen(name) + 2);
	sbuf_add(b, "\r\n");
}

/* atext of RFC 5322 and blanks: a phrase that needs no quoting. */
static bool
plain_phrase(const char *s)
{
	if (*s == '\0' || *s == ' ')
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == ' ' || strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL))
			return false;
	}
	return s[-1] != ' ';
}

void
mail_header_addr(struct sbuf *b, const char *name, const char *display, const char *addr)
{
	size_t col = strlen(name) + 2, alen = strlen(addr) + 2;

	sbuf_addf(b, "%s: ", name);
	if (display != NULL && *display != '\0') {
		size_t dlen = strlen(display);
		if (!needs_encoding(display) && plain_phrase(display) && col + dlen <= MAIL_LINE_MAX) {
			sbuf_add(b, display);
			col += dlen;
		} else if (!needs_encoding(display) && strpbrk(display, "\"\\") == NULL &&
		    col + dlen + 2 <= MAIL_LINE_MAX) {
			sbuf_addf(b, "\"%s\"", display);
			col += dlen + 2;
		} else {
			encoded_words(b, display, &col);
		}
		if (col + 1 + alen > MAIL_LINE_MAX) {
			sbuf_add(b, "\r\n ");
			col = 1;
		} else {
			sbuf_addc(b, ' ');
			col++;
		}
	}
	sbuf_addf(b, "<%s>\r\n", addr);
}

/* ---- body ---- */

void
mail_qp(struct sbuf *b, const char *text)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)text;
	size_t col = 0;

	for (; *p; p++) {
		unsigned char c = *p;
		bool at_eol, literal;
		size_t len;

		if (c == '\r' && p[1] == '\n')
			continue;
		if (c == '\n') {
			sbuf_add(b, "\r\n");
			col = 0;
			continue;
		}
		at_eol = p[1] == '\0' || p[1] == '\n' || (p[1] == '\r' && p[2] == '\n');
		if (c == ' ' || c == '\t')
			literal = !at_eol;
		else
			literal = c >= 33 && c <= 126 && c != '=';
		len = literal ? 1 : 3;
		/* A soft break leaves room for its "=" within 76 columns. */
		if (col + len > MAIL_LINE_MAX - 1) {
			sbuf_add(b, "=\r\n");
			col = 0;
		}
		/* A dot opening a line could end the SMTP data: escape it. */
		if (c == '.' && col == 0) {
			literal = false;
			len = 3;
		}
		if (literal) {
			sbuf_addc(b, (char)c);
		} else {
			sbuf_addc(b, '=');
			sbuf_addc(b, hex[c >> 4]);
			sbuf_addc(b, hex[c & 15]);
		}
		col += len;
	}
}

char *
mail_date(int64_t t, char *buf)
{
	time_t tt = (time_t)t;
	struct tm tm;
	locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);

	gmtime_r(&tt, &tm);
	if (c == (locale_t)0) {
		/* Cannot happen for "C"; keep the header valid anyway. */
		static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
		static const char *const mo[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
			"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
		snprintf(buf, 40, "%s, %02d %s %04d %02d:%02d:%02d +0000", wd[tm.tm_wday],
		    tm.tm_mday, mo[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
		return buf;
	}
	strftime_l(buf, 40, "%a, %d %b %Y %H:%M:%S +0000", &tm, c);
	freelocale(c);
	return buf;
}

/* ---- the message ---- */

static uint64_t
fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void
part(struct sbuf *b, const char *type, const char *body)
{
	sbuf_addf(b, "Content-Type: %s; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n", type);
	mail_qp(b, body);
	sbuf_add(b, "\r\n");
}

enum status
mail_build(const struct mail_msg *m, char **out, struct err *e)
{
	struct sbuf b;
	char date[40], boundary[64];
	enum status st;
	uint64_t h;

	*out = NULL;
	if ((st = mail_check_addr("from", m->from_addr, e)) != ST_OK ||
	    (st = mail_check_addr("to", m->to_addr, e)) != ST_OK ||
	    (st = mail_check_value("from name", m->from_name, e)) != ST_OK ||
	    (st = mail_check_value("to name", m->to_name, e)) != ST_OK ||
	    (st = mail_check_value("subject", m->subject, e)) != ST_OK ||
	    (st = mail_check_value("message-id", m->message_id, e)) != ST_OK)
		return st;
	if (m->message_id == NULL || m->message_id[0] != '<' || strchr(m->message_id, '@') == NULL ||
	    m->message_id[strlen(m->message_id) - 1] != '>' || strchr(m->message_id, ' ') != NULL)
		return err_set(e, ST_DATA, "message-id: expected <local@domain>");
	if (m->subject == NULL || *m->subject == '\0')
		return err_set(e, ST_DATA, "subject: must not be empty");
	if (m->text == NULL || !utf8_valid(m->text))
		return err_set(e, ST_DATA, "text: missing or not valid UTF-8");
	if (m->html != NULL && !utf8_valid(m->html))
		return err_set(e, ST_DATA, "html: not valid UTF-8");

	sbuf_init(&b);
	mail_header_addr(&b, "From", m->from_name, m->from_addr);
	mail_header_addr(&b, "To", m->to_name, m->to_addr);
	mail_header_text(&b, "Subject", m->subject);
	sbuf_addf(&b, "Date: %s\r\n", mail_date(m->date, date));
	sbuf_addf(&b, "Message-ID: %s\r\n", m->message_id);
	sbuf_add(&b, "MIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n");
	if (m->html == NULL) {
		part(&b, "text/plain", m->text);
	} else {
		/* "=_" never occurs in quoted-printable text, so the boundary
		 * cannot appear inside a part. */
		h = fnv1a(0xcbf29ce484222325ULL, m->message_id);
		snprintf(boundary, sizeof boundary, "=_ally_%016llx_%lld", (unsigned long long)h,
		    (long long)m->date);
		sbuf_addf(&b, "Content-Type: multipart/alternative;\r\n boundary=\"%s\"\r\n\r\n", boundary);
		sbuf_add(&b, "This is a message in MIME format.\r\n");
		sbuf_addf(&b, "\r\n--%s\r\n", boundary);
		part(&b, "text/plain", m->text);
		sbuf_addf(&b, "\r\n--%s\r\n", boundary);
		part(&b, "text/html", m->html);
		sbuf_addf(&b, "\r\n--%s--\r\n", boundary);
	}
	*out = sbuf_take(&b);
	return ST_OK;
}
