/*
 * test_mail.c - building messages (mail/message.c): the headers, RFC 2047
 * encoded words (75-character words, 76-character lines, UTF-8 sequences
 * never split, the decoded text exactly the input), folding of ASCII text,
 * quoted-printable bodies, the C-locale Date, and the refusal of CR, LF
 * and other control characters in every header value and address (also in
 * mail_send, before libcurl sees anything).
 *
 * Decoding is done here by hand, independently of the encoder; the shell
 * test (tests/cli/mail.sh) checks real messages with Python's email
 * package.
 */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "core/str.h"
#include "core/utf8.h"
#include "mail/mail.h"

#define T_2026_10_15_12 1792065600      /* Thu, 15 Oct 2026 12:00:00 UTC */

/* ---- helpers: an independent decoder ---- */

static int
b64val(char c)
{
	const char *tab = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = strchr(tab, c);

	return c != '\0' && p != NULL ? (int)(p - tab) : -1;
}

/* Decode base64 s[0..n) into out; returns the byte count. */
static size_t
b64dec(const char *s, size_t n, char *out)
{
	size_t i, o = 0;
	unsigned v = 0;
	int bits = 0;

	for (i = 0; i < n && s[i] != '='; i++) {
		int d = b64val(s[i]);
		assert_true(d >= 0);
		v = (v << 6) | (unsigned)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((v >> bits) & 0xff);
		}
	}
	out[o] = '\0';
	return o;
}

/*
 * Check header text h (one header, CRLF-folded, ending in CRLF): lines of
 * at most 76 characters, every encoded word at most 75 and decoding to
 * valid UTF-8 on its own; returns the unfolded, decoded value (after
 * "NAME: ").
 */
static char *
decode_header(const char *h, const char *name)
{
	struct sbuf b;
	const char *p, *line = h;
	bool prev_word = false;

	/* Line lengths. */
	while ((p = strstr(line, "\r\n")) != NULL) {
		assert_true((size_t)(p - line) <= MAIL_LINE_MAX);
		line = p + 2;
	}
	assert_string_equal(line, "");
	assert_true(strncmp(h, name, strlen(name)) == 0 && h[strlen(name)] == ':');
	p = h + strlen(name) + 2;
	sbuf_init(&b);
	sbuf_add(&b, "");
	while (*p) {
		if (strncmp(p, "\r\n", 2) == 0) {
			p += 2;
			if (*p == '\0')
				break;
			assert_true(*p == ' ');    /* a fold: CRLF + space */
			if (prev_word && strncmp(p + 1, "=?", 2) == 0) {
				p++;    /* white space between encoded words is not text */
			}
			continue;
		}
		if (strncmp(p, "=?UTF-8?B?", 10) == 0) {
			const char *end = strstr(p + 10, "?=");
			char dec[128];
			size_t n;
			assert_non_null(end);
			assert_true((size_t)(end + 2 - p) <= MAIL_WORD_MAX);
			n = b64dec(p + 10, (size_t)(end - p - 10), dec);
			assert_true(n > 0);
			assert_true(utf8_valid(dec));      /* no sequence split between words */
			sbuf_addn(&b, dec, n);
			p = end + 2;
			prev_word = true;
			continue;
		}
		if (*p == ' ' && prev_word && strncmp(p + 1, "=?", 2) == 0) {
			p++;
			continue;
		}
		sbuf_addc(&b, *p++);
		prev_word = false;
	}
	return sbuf_take(&b);
}

static char *
text_header(const char *name, const char *value)
{
	struct sbuf b;

	sbuf_init(&b);
	mail_header_text(&b, name, value);
	return sbuf_take(&b);
}

/* ---- RFC 2047 ---- */

static void
roundtrip(const char *name, const char *value)
{
	char *h = text_header(name, value), *d;

	d = decode_header(h, name);
	assert_string_equal(d, value);
	free(d);
	free(h);
}

static void
test_subject_ascii_plain(void **state)
{
	char *h = text_header("Subject", "Your invitation");

	(void)state;
	assert_string_equal(h, "Subject: Your invitation\r\n");
	free(h);
}

static void
test_subject_ascii_folds_at_blanks(void **state)
{
	const char *s = "A rather long subject line that certainly will not fit on one line "
	    "of seventy-six characters, so it folds at blanks  (two here) and stays ASCII";
	char *h = text_header("Subject", s);

	(void)state;
	assert_null(strstr(h, "=?"));
	assert_non_null(strstr(h, "\r\n "));
	roundtrip("Subject", s);
	free(h);
}

static void
test_subject_non_ascii_encoded(void **state)
{
	char *h = text_header("Subject", "Grüße");

	(void)state;
	assert_string_equal(h, "Subject: =?UTF-8?B?R3LDvMOfZQ==?=\r\n");
	free(h);
}

static void
test_encoded_words_limits(void **state)
{
	/* 2-, 3- and 4-byte sequences, at every offset against the 45-byte
	 * word capacity, after header names of different lengths. */
	static const char *const pieces[] = { "é", "€", "😀", "a", " " };
	static const char *const names[] = { "Subject", "To", "X-Very-Long-Header-Name-For-Tests" };
	size_t pi, ni, len;

	(void)state;
	for (ni = 0; ni < 3; ni++) {
		for (pi = 0; pi < 4; pi++) {
			for (len = 1; len <= 70; len++) {
				struct sbuf v;
				size_t i;
				char *h, *d;
				sbuf_init(&v);
				for (i = 0; i < len; i++)
					sbuf_add(&v, pieces[(pi + i * (pi + 1)) % 5]);
				sbuf_add(&v, "ü");     /* always non-ASCII */
				h = text_header(names[ni], v.s);
				d = decode_header(h, names[ni]);
				assert_string_equal(d, v.s);
				free(d);
				free(h);
				sbuf_free(&v);
			}
		}
	}
}

static void
test_encoded_looking_ascii_is_encoded(void **state)
{
	char *h = text_header("Subject", "=?UTF-8?B?SGk=?= fake");

	(void)state;
	/* Must not be decoded by a reader as "Hi fake". */
	assert_true(strncmp(h, "Subject: =?UTF-8?B?", 19) == 0);
	roundtrip("Subject", "=?UTF-8?B?SGk=?= fake");
	free(h);
}

static void
test_long_ascii_token_is_encoded(void **state)
{
	char v[200];

	(void)state;
	memset(v, 'x', 150);
	v[150] = '\0';
	roundtrip("Subject", v);
}

/* ---- addresses ---- */

static char *
addr_header(const char *name, const char *display)
{
	struct sbuf b;

	sbuf_init(&b);
	mail_header_addr(&b, "To", name == NULL ? display : name, "ann@example.com");
	return sbuf_take(&b);
}

static void
test_addr_forms(void **state)
{
	char *h;

	(void)state;
	h = addr_header(NULL, "Ann Smith");
	assert_string_equal(h, "To: Ann Smith <ann@example.com>\r\n");
	free(h);
	h = addr_header(NULL, "Smith, Ann (Acme)");
	assert_string_equal(h, "To: \"Smith, Ann (Acme)\" <ann@example.com>\r\n");
	free(h);
	h = addr_header(NULL, "Ann \"the\" Smith");
	assert_true(strncmp(h, "To: =?UTF-8?B?", 14) == 0);
	free(h);
	h = addr_header(NULL, "Zoë Ünal");
	assert_string_equal(h, "To: =?UTF-8?B?Wm/DqyDDnG5hbA==?= <ann@example.com>\r\n");
	free(h);
	h = addr_header(NULL, NULL);
	assert_string_equal(h, "To: <ann@example.com>\r\n");
	free(h);
}

static void
test_addr_long_name_folds(void **state)
{
	const char *name = "Ünal-Øster Großhandel und Söhne für Küchen, Bäder und sehr lange Namen GmbH & Co. KG";
	char *h = addr_header(NULL, name), *d;
	const char *lt;

	(void)state;
	d = decode_header(h, "To");
	lt = strrchr(d, '<');
	assert_non_null(lt);
	assert_string_equal(lt, "<ann@example.com>");
	/* the display name, then one blank (or fold), then the address */
	assert_true(strncmp(d, name, strlen(name)) == 0);
	free(d);
	free(h);
}

/* ---- refusals ---- */

static struct mail_msg
good_msg(void)
{
	struct mail_msg m = {
		.from_addr = "ally@example.com", .from_name = "Ally",
		.to_addr = "ann@example.com", .to_name = "Ann",
		.subject = "Hello", .text = "Hi Ann.\n", .html = "<p>Hi Ann.</p>\n",
		.message_id = "<abc.ally@example.com>", .date = T_2026_10_15_12,
	};
	return m;
}

static void
expect_refused(struct mail_msg m, const char *msg)
{
	struct err e;
	char *out = (char *)"unchanged";

	err_clear(&e);
	assert_int_equal(mail_build(&m, &out, &e), ST_DATA);
	assert_null(out);
	assert_string_equal(e.msg, msg);
}

static void
test_crlf_refused_everywhere(void **state)
{
	struct mail_msg m;

	(void)state;
	m = good_msg();
	m.subject = "Hello\r\nBcc: eve@evil.example";
	expect_refused(m, "subject: line breaks are not allowed in a mail header");
	m = good_msg();
	m.subject = "Hello\nBcc: eve@evil.example";
	expect_refused(m, "subject: line breaks are not allowed in a mail header");
	m = good_msg();
	m.to_name = "Acme\r\nBcc: eve@evil.example";
	expect_refused(m, "to name: line breaks are not allowed in a mail header");
	m = good_msg();
	m.from_name = "Ally\r";
	expect_refused(m, "from name: line breaks are not allowed in a mail header");
	m = good_msg();
	m.to_addr = "ann@example.com>\r\nRCPT TO:<eve@evil.example";
	expect_refused(m, "to: line breaks are not allowed in a mail header");
	m = good_msg();
	m.from_addr = "ally@example.com\n";
	expect_refused(m, "from: line breaks are not allowed in a mail header");
	m = good_msg();
	m.message_id = "<a@b>\r\nBcc: x@y";
	expect_refused(m, "message-id: line breaks are not allowed in a mail header");
}

static void
test_controls_refused(void **state)
{
	struct mail_msg m;

	(void)state;
	m = good_msg();
	m.subject = "tab\there";
	expect_refused(m, "subject: control characters are not allowed in a mail header");
	m = good_msg();
	m.to_name = "esc\033[2J";
	expect_refused(m, "to name: control characters are not allowed in a mail header");
	m = good_msg();
	m.subject = "del\177";
	expect_refused(m, "subject: control characters are not allowed in a mail header");
	m = good_msg();
	m.subject = "next line \xc2\x85 (U+0085)";
	expect_refused(m, "subject: control characters are not allowed in a mail header");
	m = good_msg();
	m.subject = "bad \xff utf-8";
	expect_refused(m, "subject: not valid UTF-8");
}

static void
test_bad_addresses(void **state)
{
	struct mail_msg m;

	(void)state;
	m = good_msg();
	m.to_addr = "ann smith@example.com";
	expect_refused(m, "to: \" \" is not allowed in an address");
	m = good_msg();
	m.to_addr = "ann@example.com, eve@evil.example";
	expect_refused(m, "to: \",\" is not allowed in an address");
	m = good_msg();
	m.to_addr = "<ann@example.com>";
	expect_refused(m, "to: \"<\" is not allowed in an address");
	m = good_msg();
	m.to_addr = "annexample.com";
	expect_refused(m, "to: expected local@domain");
	m = good_msg();
	m.to_addr = "ann@ex@ample.com";
	expect_refused(m, "to: more than one @ in the address");
	m = good_msg();
	m.to_addr = "zoë@example.com";
	expect_refused(m, "to: only ASCII addresses can be sent");
	m = good_msg();
	m.message_id = "no-brackets@example.com";
	expect_refused(m, "message-id: expected <local@domain>");
}

static void
test_send_refuses_before_curl(void **state)
{
	/* Port 1 on localhost: were anything sent, the error would be a
	 * connection failure (ST_UNAVAILABLE), not ST_DATA. */
	struct mail_server srv = { .url = "smtp://127.0.0.1:1", .starttls = MAIL_TLS_OFF,
		.connect_timeout = 1, .timeout = 1 };
	struct err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(mail_send(&srv, "ally@example.com", "ann@example.com>\r\nRCPT TO:<eve@evil.example",
	    "x\r\n", &e), ST_DATA);
	assert_string_equal(e.msg, "to: line breaks are not allowed in a mail header");
	err_clear(&e);
	assert_int_equal(mail_send(&srv, "ally@example.com\r\nDATA", "ann@example.com", "x\r\n", &e),
	    ST_DATA);
	assert_string_equal(e.msg, "from: line breaks are not allowed in a mail header");
}

/* ---- the whole message ---- */

static void
test_message_headers(void **state)
{
	struct mail_msg m = good_msg();
	struct err e;
	char *out;

	(void)state;
	m.to_name = "Café Zürich";
	m.subject = "Einladung für Café Zürich";
	err_clear(&e);
	assert_int_equal(mail_build(&m, &out, &e), ST_OK);
	assert_true(strncmp(out, "From: Ally <ally@example.com>\r\n", 31) == 0);
	assert_non_null(strstr(out, "\r\nTo: =?UTF-8?B?Q2Fmw6kgWsO8cmljaA==?= <ann@example.com>\r\n"));
	assert_non_null(strstr(out, "\r\nDate: Thu, 15 Oct 2026 12:00:00 +0000\r\n"));
	assert_non_null(strstr(out, "\r\nMessage-ID: <abc.ally@example.com>\r\n"));
	assert_non_null(strstr(out, "\r\nMIME-Version: 1.0\r\n"));
	assert_non_null(strstr(out, "\r\nContent-Type: multipart/alternative;\r\n boundary=\"=_ally_"));
	/* text first, HTML last */
	{
		const char *t = strstr(out, "Content-Type: text/plain; charset=UTF-8\r\n"
		    "Content-Transfer-Encoding: quoted-printable\r\n\r\nHi Ann.\r\n");
		const char *h = strstr(out, "Content-Type: text/html; charset=UTF-8\r\n");
		assert_non_null(t);
		assert_non_null(h);
		assert_true(t < h);
	}
	/* Every line ends in CRLF: no bare LF anywhere. */
	for (const char *p = out; *p; p++) {
		if (*p == '\n')
			assert_true(p > out && p[-1] == '\r');
	}
	free(out);
}

static void
test_text_only_message(void **state)
{
	struct mail_msg m = good_msg();
	struct err e;
	char *out;

	(void)state;
	m.html = NULL;
	assert_int_equal(mail_build(&m, &out, &e), ST_OK);
	assert_null(strstr(out, "multipart"));
	assert_non_null(strstr(out, "\r\nContent-Type: text/plain; charset=UTF-8\r\n"));
	free(out);
}

static void
test_date_c_locale(void **state)
{
	char buf[40];

	(void)state;
	setlocale(LC_ALL, "");
	assert_string_equal(mail_date(T_2026_10_15_12, buf), "Thu, 15 Oct 2026 12:00:00 +0000");
	assert_string_equal(mail_date(0, buf), "Thu, 01 Jan 1970 00:00:00 +0000");
	setlocale(LC_ALL, "C");
}

/* ---- quoted-printable ---- */

static int
hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decode QP (checking line lengths) into text with LF line ends. */
static char *
qp_decode(const char *q)
{
	struct sbuf b;
	const char *p = q, *line = q;

	sbuf_init(&b);
	sbuf_add(&b, "");
	while (*p) {
		if (p[0] == '\r' && p[1] == '\n') {
			assert_true((size_t)(p - line) <= MAIL_LINE_MAX);
			/* no literal blank at a line end */
			assert_true(p == line || (p[-1] != ' ' && p[-1] != '\t'));
			sbuf_addc(&b, '\n');
			p += 2;
			line = p;
		} else if (p[0] == '=' && p[1] == '\r' && p[2] == '\n') {
			assert_true((size_t)(p + 1 - line) <= MAIL_LINE_MAX);
			p += 3;
			line = p;
		} else if (p[0] == '=') {
			assert_true(hexval(p[1]) >= 0 && hexval(p[2]) >= 0);
			sbuf_addc(&b, (char)(hexval(p[1]) * 16 + hexval(p[2])));
			p += 3;
		} else {
			assert_true(*p != '\n' && *p != '\r');
			assert_true(!(p == line && *p == '.'));
			sbuf_addc(&b, *p++);
		}
	}
	assert_true((size_t)(p - line) <= MAIL_LINE_MAX);
	return sbuf_take(&b);
}

static void
qp_roundtrip(const char *in, const char *want)
{
	struct sbuf b;
	char *d;

	sbuf_init(&b);
	sbuf_add(&b, "");
	mail_qp(&b, in);
	d = qp_decode(b.s);
	assert_string_equal(d, want != NULL ? want : in);
	free(d);
	sbuf_free(&b);
}

static void
test_qp(void **state)
{
	struct sbuf b;
	char longline[400];
	size_t i;

	(void)state;
	sbuf_init(&b);
	sbuf_add(&b, "");
	mail_qp(&b, "a=b é\ntrailing  \n.dot\n");
	assert_string_equal(b.s, "a=3Db =C3=A9\r\ntrailing =20\r\n=2Edot\r\n");
	sbuf_free(&b);
	qp_roundtrip("plain text\n", NULL);
	qp_roundtrip("crlf\r\nlines\r\n", "crlf\nlines\n");
	qp_roundtrip("tab\tand trailing tab\t\nend ", NULL);
	for (i = 0; i < sizeof longline - 1; i++)
		longline[i] = "ab =é"[i % 5];  /* bytes of é split across positions */
	longline[sizeof longline - 1] = '\0';
	if (!utf8_valid(longline))
		longline[sizeof longline - 2] = 'x';
	qp_roundtrip(longline, NULL);
	qp_roundtrip("Grüße aus Zürich, Straße für Straße, Öl und Ähren, überall Umlaute: äöüÄÖÜß "
	    "äöüÄÖÜß äöüÄÖÜß äöüÄÖÜß äöüÄÖÜß\n", NULL);
	qp_roundtrip("", NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subject_ascii_plain),
		cmocka_unit_test(test_subject_ascii_folds_at_blanks),
		cmocka_unit_test(test_subject_non_ascii_encoded),
		cmocka_unit_test(test_encoded_words_limits),
		cmocka_unit_test(test_encoded_looking_ascii_is_encoded),
		cmocka_unit_test(test_long_ascii_token_is_encoded),
		cmocka_unit_test(test_addr_forms),
		cmocka_unit_test(test_addr_long_name_folds),
		cmocka_unit_test(test_crlf_refused_everywhere),
		cmocka_unit_test(test_controls_refused),
		cmocka_unit_test(test_bad_addresses),
		cmocka_unit_test(test_send_refuses_before_curl),
		cmocka_unit_test(test_message_headers),
		cmocka_unit_test(test_text_only_message),
		cmocka_unit_test(test_date_c_locale),
		cmocka_unit_test(test_qp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
