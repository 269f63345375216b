/*
 * transport.c - one message to one recipient over SMTP through libcurl.
 * The only file of ally that includes curl/curl.h.
 *
 * Every wait is bounded: connecting (CURLOPT_CONNECTTIMEOUT), each reply
 * (CURLOPT_SERVER_RESPONSE_TIMEOUT: without it a server that never answers
 * the end of data held curl_easy_cleanup for 120 s) and the whole exchange
 * (CURLOPT_TIMEOUT).  The server's last reply line is kept from the debug
 * callback so an error can say what the server said.
 */
#include "config.h"

#include <pthread.h>
#include <string.h>

#include <curl/curl.h>

#include "core/str.h"
#include "mail/mail.h"

struct upload {
	const char *data;
	size_t len, off;
};

struct session {
	char last_reply[200];           /* last error line the server sent */
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void
global_init(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static size_t
read_cb(char *buf, size_t size, size_t nmemb, void *ctx)
{
	struct upload *u = ctx;
	size_t n = size * nmemb;

	if (n > u->len - u->off)
		n = u->len - u->off;
	memcpy(buf, u->data + u->off, n);
	u->off += n;
	return n;
}

/* Keep the server's last error reply line (4xx, 5xx: what a failure is
 * about, not the "221 Bye" that follows it), printable characters only. */
static int
debug_cb(CURL *h, curl_infotype type, char *data, size_t size, void *ctx)
{
	struct session *s = ctx;
	size_t i, j = 0, start = 0, end;

	(void)h;
	if (type != CURLINFO_HEADER_IN || size == 0)
		return 0;
	/* The last non-empty line of this chunk. */
	end = size;
	while (end > 0 && (data[end - 1] == '\n' || data[end - 1] == '\r'))
		end--;
	for (i = 0; i < end; i++) {
		if (data[i] == '\n')
			start = i + 1;
	}
	if (start >= end || (data[start] != '4' && data[start] != '5'))
		return 0;
	for (i = start; i < end && j + 1 < sizeof s->last_reply; i++) {
		unsigned char c = (unsigned char)data[i];
		s->last_reply[j++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	s->last_reply[j] = '\0';
	return 0;
}

static enum status
classify(CURLcode rc, long reply)
{
	if (rc == CURLE_LOGIN_DENIED)
		return ST_CONFIG;
	/* The server refused something: its reply code says how. */
	if (reply >= 500 && reply < 600)
		return ST_DATA;
	if (reply >= 400 && reply < 500)
		return ST_TEMPFAIL;
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_GOT_NOTHING:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_USE_SSL_FAILED:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_RECV_ERROR:
	case CURLE_WEIRD_SERVER_REPLY:
		return ST_UNAVAILABLE;
	default:
		return ST_UNAVAILABLE;
	}
}

enum status
mail_send(const struct mail_server *srv, const char *from_addr, const char *to_addr,
    const char *message, struct err *e)
{
	char errbuf[CURL_ERROR_SIZE], from[300], rcpt[300];
	struct upload up = { message, strlen(message), 0 };
	struct session sess;
	struct curl_slist *rcpts = NULL;
	enum status st;
	CURLcode rc;
	CURL *h;
	long reply = 0;

	/* The last guard before libcurl, which filters nothing (NOTES.md). */
	if ((st = mail_check_addr("from", from_addr, e)) != ST_OK ||
	    (st = mail_check_addr("to", to_addr, e)) != ST_OK)
		return st;
	if (srv->url == NULL || (strncmp(srv->url, "smtp://", 7) != 0 &&
	    strncmp(srv->url, "smtps://", 8) != 0))
		return err_set(e, ST_CONFIG, "url: must start with smtp:// or smtps://");
	pthread_once(&curl_once, global_init);
	if (curl_init_rc != CURLE_OK)
		return err_set(e, ST_SOFTWARE, "libcurl: %s", curl_easy_strerror(curl_init_rc));
	if ((h = curl_easy_init()) == NULL)
		return err_set(e, ST_SOFTWARE, "libcurl: cannot start a session");

	memset(&sess, 0, sizeof sess);
	errbuf[0] = '\0';
	snprintf(from, sizeof from, "<%s>", from_addr);
	snprintf(rcpt, sizeof rcpt, "<%s>", to_addr);
	rcpts = curl_slist_append(rcpts, rcpt);

	curl_easy_setopt(h, CURLOPT_URL, srv->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &up);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)up.len);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, srv->connect_timeout);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, srv->timeout);
	curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, srv->timeout);
	curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, debug_cb);
	curl_easy_setopt(h, CURLOPT_DEBUGDATA, &sess);
	curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);      /* feeds debug_cb only */
	if (strncmp(srv->url, "smtps://", 8) == 0)
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	else if (srv->starttls == MAIL_TLS_REQUIRED)
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	else if (srv->starttls == MAIL_TLS_OPTIONAL)
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	else
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_NONE);
	if (srv->ca_file != NULL)
		curl_easy_setopt(h, CURLOPT_CAINFO, srv->ca_file);
	if (srv->username != NULL) {
		curl_easy_setopt(h, CURLOPT_USERNAME, srv->username);
		curl_easy_setopt(h, CURLOPT_PASSWORD, srv->password != NULL ? srv->password : "");
	}

	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
	curl_easy_cleanup(h);
	curl_slist_free_all(rcpts);
	if (rc == CURLE_OK)
		return ST_OK;
	st = classify(rc, reply);
	if (sess.last_reply[0] != '\0' && reply >= 400)
		return err_set(e, st, "%s (server said: %s)",
		    errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc), sess.last_reply);
	return err_set(e, st, "%s", errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc));
}
