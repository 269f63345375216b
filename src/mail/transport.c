/*
 * transport.c - one message to one recipient over SMTP through libcurl,
 * and one HTTP(S) POST (webhook deliveries) through the same library.
 * The only file of ally that includes curl/curl.h.
 *
 * Every wait is bounded: connecting (CURLOPT_CONNECTTIMEOUT), each reply
 * (CURLOPT_SERVER_RESPONSE_TIMEOUT: without it a server that never answers
 * the end of data held curl_easy_cleanup for 120 s) and the whole exchange
 * (CURLOPT_TIMEOUT).  The server's last reply line is kept from the debug
 * callback so an error can say what the server said.
 *
 * libcurl is loaded here, on the first message, with dlopen: it pulls in
 * about 30 shared libraries (TLS, Kerberos, LDAP, ...) whose loading cost
 * every ally process 8 ms when they were linked (NOTES.md "Process
 * start").  curl/curl.h gives the types and constants; the few functions
 * used are resolved by name into `cu`.  ALLY_LIBCURL names another file
 * to load (tests), a testing variable a setgid ally ignores (env_testing).
 */
#include "config.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "core/priv.h"
#include "core/str.h"
#include "mail/mail.h"

struct upload {
	const char *data;
	size_t len, off;
};

struct session {
	char last_reply[200];           /* last error line the server sent */
};

#define LIBCURL "libcurl.so.4"

/* The libcurl functions ally calls, resolved at load. */
static struct {
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *h, CURLoption opt, ...);
	CURLcode (*easy_perform)(CURL *h);
	CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
	void (*easy_cleanup)(CURL *h);
	const char *(*easy_strerror)(CURLcode rc);
	struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
	void (*slist_free_all)(struct curl_slist *l);
} cu;

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static bool curl_loaded;
static bool curl_lacks;                 /* loaded, but a function is missing */
static CURLcode curl_init_rc;
static char curl_why[200];              /* why loading failed (dlerror, made visible) */

/* dlsym into a function pointer (ISO C has no cast between object and
 * function pointers: copy the bytes). */
static bool
resolve(void *lib, const char *name, void *fnp, size_t size)
{
	void *sym = dlsym(lib, name);

	if (sym == NULL)
		return false;
	memcpy(fnp, &sym, size);
	return true;
}

#define RESOLVE(lib, field, name) resolve(lib, name, &cu.field, sizeof cu.field)

static void
global_init(void)
{
	const char *path = env_testing("ALLY_LIBCURL");
	void *lib;

	if (path == NULL || *path == '\0')
		path = LIBCURL;
	if ((lib = dlopen(path, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		const char *why = dlerror();
		char *shown = str_visible(why ? why : "not found");
		snprintf(curl_why, sizeof curl_why, "%s", shown);
		free(shown);
		return;
	}
	if (!RESOLVE(lib, global_init, "curl_global_init") || !RESOLVE(lib, easy_init, "curl_easy_init") ||
	    !RESOLVE(lib, easy_setopt, "curl_easy_setopt") || !RESOLVE(lib, easy_perform, "curl_easy_perform") ||
	    !RESOLVE(lib, easy_getinfo, "curl_easy_getinfo") ||
	    !RESOLVE(lib, easy_cleanup, "curl_easy_cleanup") ||
	    !RESOLVE(lib, easy_strerror, "curl_easy_strerror") ||
	    !RESOLVE(lib, slist_append, "curl_slist_append") ||
	    !RESOLVE(lib, slist_free_all, "curl_slist_free_all")) {
		curl_lacks = true;
		dlclose(lib);
		return;
	}
	curl_loaded = true;     /* kept loaded for the life of the process */
	curl_init_rc = cu.global_init(CURL_GLOBAL_DEFAULT);
}

/* libcurl loaded and initialised (on the first call), else why not,
 * saying what it was needed for ("send mail"). */
static enum status
curl_ready(const char *purpose, struct err *e)
{
	pthread_once(&curl_once, global_init);
	if (curl_lacks)
		return err_set(e, ST_UNAVAILABLE, "libcurl: %s lacks a function ally needs: "
		    "install libcurl 7.85 or later", LIBCURL);
	if (!curl_loaded)
		return err_set(e, ST_UNAVAILABLE, "libcurl: cannot load %s to %s (%s): install libcurl "
		    "(libcurl4 on Debian and Ubuntu)", LIBCURL, purpose, curl_why);
	if (curl_init_rc != CURLE_OK)
		return err_set(e, ST_SOFTWARE, "libcurl: %s", cu.easy_strerror(curl_init_rc));
	return ST_OK;
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
	if ((st = curl_ready("send mail", e)) != ST_OK)
		return st;
	if ((h = cu.easy_init()) == NULL)
		return err_set(e, ST_SOFTWARE, "libcurl: cannot start a session");

	memset(&sess, 0, sizeof sess);
	errbuf[0] = '\0';
	snprintf(from, sizeof from, "<%s>", from_addr);
	snprintf(rcpt, sizeof rcpt, "<%s>", to_addr);
	rcpts = cu.slist_append(rcpts, rcpt);

	cu.easy_setopt(h, CURLOPT_URL, srv->url);
	cu.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	cu.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	cu.easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	cu.easy_setopt(h, CURLOPT_MAIL_FROM, from);
	cu.easy_setopt(h, CURLOPT_MAIL_RCPT, rcpts);
	cu.easy_setopt(h, CURLOPT_UPLOAD, 1L);
	cu.easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	cu.easy_setopt(h, CURLOPT_READDATA, &up);
	cu.easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)up.len);
	cu.easy_setopt(h, CURLOPT_CONNECTTIMEOUT, srv->connect_timeout);
	cu.easy_setopt(h, CURLOPT_TIMEOUT, srv->timeout);
	cu.easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, srv->timeout);
	cu.easy_setopt(h, CURLOPT_DEBUGFUNCTION, debug_cb);
	cu.easy_setopt(h, CURLOPT_DEBUGDATA, &sess);
	cu.easy_setopt(h, CURLOPT_VERBOSE, 1L);      /* feeds debug_cb only */
	if (strncmp(srv->url, "smtps://", 8) == 0)
		cu.easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	else if (srv->starttls == MAIL_TLS_REQUIRED)
		cu.easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	else if (srv->starttls == MAIL_TLS_OPTIONAL)
		cu.easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	else
		cu.easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_NONE);
	if (srv->ca_file != NULL)
		cu.easy_setopt(h, CURLOPT_CAINFO, srv->ca_file);
	if (srv->username != NULL) {
		cu.easy_setopt(h, CURLOPT_USERNAME, srv->username);
		cu.easy_setopt(h, CURLOPT_PASSWORD, srv->password != NULL ? srv->password : "");
	}

	rc = cu.easy_perform(h);
	cu.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
	cu.easy_cleanup(h);
	cu.slist_free_all(rcpts);
	if (rc == CURLE_OK)
		return ST_OK;
	st = classify(rc, reply);
	if (sess.last_reply[0] != '\0' && reply >= 400)
		return err_set(e, st, "%s (server said: %s)",
		    errbuf[0] != '\0' ? errbuf : cu.easy_strerror(rc), sess.last_reply);
	return err_set(e, st, "%s", errbuf[0] != '\0' ? errbuf : cu.easy_strerror(rc));
}

/* ---- HTTP POST (webhooks) ---- */

enum status
http_ready(struct err *e)
{
	return curl_ready("send webhooks", e);
}

/* The answer's body is not wanted: read and dropped. */
static size_t
discard_cb(char *buf, size_t size, size_t nmemb, void *ctx)
{
	(void)buf;
	(void)ctx;
	return size * nmemb;
}

/* A header line as libcurl sends it: printable ASCII only. */
static bool
header_ok(const char *h)
{
	for (; *h; h++) {
		if ((unsigned char)*h < 0x20 || (unsigned char)*h >= 0x7f)
			return false;
	}
	return true;
}

enum status
http_post(const struct http_request *rq, long *code, struct err *e)
{
	char errbuf[CURL_ERROR_SIZE];
	struct curl_slist *hdrs = NULL;
	enum status st;
	CURLcode rc;
	CURL *h;
	size_t i;

	*code = 0;
	if (rq->url == NULL || (strncmp(rq->url, "http://", 7) != 0 &&
	    strncmp(rq->url, "https://", 8) != 0) || !header_ok(rq->url))
		return err_set(e, ST_DATA, "url: must start with http:// or https://");
	for (i = 0; rq->headers != NULL && rq->headers[i] != NULL; i++) {
		if (!header_ok(rq->headers[i]))
			return err_set(e, ST_DATA, "header %zu: not printable ASCII", i + 1);
	}
	if ((st = http_ready(e)) != ST_OK)
		return st;
	if ((h = cu.easy_init()) == NULL)
		return err_set(e, ST_SOFTWARE, "libcurl: cannot start a session");
	errbuf[0] = '\0';
	for (i = 0; rq->headers != NULL && rq->headers[i] != NULL; i++)
		hdrs = cu.slist_append(hdrs, rq->headers[i]);
	hdrs = cu.slist_append(hdrs, "Expect:");     /* no 100-continue round trip */

	cu.easy_setopt(h, CURLOPT_URL, rq->url);
	cu.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	cu.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	cu.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	cu.easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	cu.easy_setopt(h, CURLOPT_USERAGENT, "ally-webhook/" PACKAGE_VERSION);
	cu.easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	cu.easy_setopt(h, CURLOPT_POST, 1L);
	cu.easy_setopt(h, CURLOPT_POSTFIELDS, rq->body);
	cu.easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(rq->body));
	cu.easy_setopt(h, CURLOPT_WRITEFUNCTION, discard_cb);
	cu.easy_setopt(h, CURLOPT_CONNECTTIMEOUT, rq->connect_timeout);
	cu.easy_setopt(h, CURLOPT_TIMEOUT, rq->timeout);

	rc = cu.easy_perform(h);
	cu.easy_getinfo(h, CURLINFO_RESPONSE_CODE, code);
	cu.easy_cleanup(h);
	cu.slist_free_all(hdrs);
	if (rc != CURLE_OK) {
		*code = 0;
		return err_set(e, ST_UNAVAILABLE, "%s", errbuf[0] != '\0' ? errbuf : cu.easy_strerror(rc));
	}
	if (*code < 200 || *code > 299)
		return err_set(e, ST_TEMPFAIL, "the server answered HTTP %ld", *code);
	return ST_OK;
}
