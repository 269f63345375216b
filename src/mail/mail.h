/*
 * mail.h - e-mail messages and their delivery by SMTP.  The only module
 * that includes curl/curl.h (in transport.c).
 *
 * mail_build() turns a message of plain values into RFC 5322 text: every
 * header value and address is checked first (CR, LF and other control
 * characters are refused, so user data can never add a header or a
 * recipient), non-ASCII display names and subjects become RFC 2047 encoded
 * words, and the body is multipart/alternative, text first and HTML last,
 * both UTF-8 quoted-printable.  mail_send() hands such text to an SMTP
 * server through libcurl with bounded connect, response and total times.
 *
 * Calls core/ only; knows nothing of the database or the outbox.
 */
#ifndef ALLY_MAIL_MAIL_H
#define ALLY_MAIL_MAIL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/status.h"
#include "core/str.h"

/* Longest header line we write (RFC 5322 recommends 78) and the longest
 * encoded word (RFC 2047). */
#define MAIL_LINE_MAX 76
#define MAIL_WORD_MAX 75

struct mail_msg {
	const char *from_addr, *from_name;      /* name may be NULL */
	const char *to_addr, *to_name;
	const char *subject;
	const char *text;                       /* UTF-8, LF or CRLF line ends */
	const char *html;                       /* NULL: a text/plain message */
	const char *message_id;                 /* "<local@domain>" */
	int64_t date;                           /* UTC seconds */
};

/* The whole message, CRLF line ends, into *out (caller frees).  ST_DATA
 * "FIELD: why" for a header value or address that cannot be sent. */
enum status mail_build(const struct mail_msg *m, char **out, struct err *e);

/* A header value: valid UTF-8 without control characters (CR, LF, TAB,
 * other C0, DEL, C1).  ST_DATA "FIELD: why". */
enum status mail_check_value(const char *field, const char *s, struct err *e);
/* An address as SMTP takes it: local@domain, printable ASCII, no blanks,
 * no <>()[],;:\" and no control characters. */
enum status mail_check_addr(const char *field, const char *s, struct err *e);

/*
 * Append header "NAME: VALUE" to b, folded with CRLF + space so no line
 * passes MAIL_LINE_MAX where a fold is possible: ASCII text folds at its
 * blanks; text with non-ASCII (or "=?") becomes base64 encoded words of at
 * most MAIL_WORD_MAX characters, never splitting a UTF-8 sequence.  Ends
 * with CRLF.  The value must have passed mail_check_value.
 */
void mail_header_text(struct sbuf *b, const char *name, const char *value);
/* "NAME: DISPLAY <addr>" (or just "<addr>"), the display name quoted or
 * encoded as needed, folded the same way. */
void mail_header_addr(struct sbuf *b, const char *name, const char *display,
    const char *addr);
/* Quoted-printable of text: LF or CRLF become CRLF hard breaks, lines of at
 * most 76 characters with soft breaks, never splitting an =XX escape. */
void mail_qp(struct sbuf *b, const char *text);
/* "Thu, 15 Oct 2026 12:00:00 +0000" in the C locale, whatever the
 * process's locale; buf >= 40 bytes. */
char *mail_date(int64_t t, char *buf);

/* ---- transport ---- */

enum mail_tls { MAIL_TLS_REQUIRED = 0, MAIL_TLS_OPTIONAL, MAIL_TLS_OFF };

struct mail_server {
	const char *url;                /* smtp://host[:port] or smtps://host[:port] */
	enum mail_tls starttls;         /* smtp:// only; smtps:// is always TLS */
	const char *username;           /* NULL: no AUTH */
	const char *password;
	const char *ca_file;            /* NULL: the system's CAs */
	long connect_timeout;           /* seconds */
	long timeout;                   /* seconds: the whole exchange, and each reply */
};

/*
 * Send one message.  ST_UNAVAILABLE when the server cannot be reached or
 * does not answer in time (or TLS fails), ST_CONFIG when it refuses our
 * credentials, ST_DATA when it refuses the message or a recipient (5xx),
 * ST_TEMPFAIL for a 4xx reply.  e says what happened, with the server's
 * reply when there was one.
 */
enum status mail_send(const struct mail_server *srv, const char *from_addr,
    const char *to_addr, const char *message, struct err *e);

/* ---- HTTP POST (webhook deliveries), through the same libcurl ---- */

struct http_request {
	const char *url;                /* http:// or https:// (nothing else is tried) */
	const char *body;               /* sent as it is */
	const char *const *headers;     /* "Name: value" lines, NULL-terminated */
	long connect_timeout;           /* seconds */
	long timeout;                   /* seconds: the whole exchange */
};

/* ST_OK when libcurl can be used, else ST_UNAVAILABLE saying why (it
 * cannot be loaded) with what installs it. */
enum status http_ready(struct err *e);
/*
 * POST rq->body to rq->url, following no redirect.  ST_OK for a 2xx
 * answer; ST_TEMPFAIL "the server answered HTTP N" for another; ST_UNAVAILABLE
 * when the server cannot be reached or does not answer in time (*code 0);
 * ST_DATA for a URL or header that cannot be sent.  *code: the status.
 */
enum status http_post(const struct http_request *rq, long *code, struct err *e);

#endif
