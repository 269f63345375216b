/*
 * outbox.c - templates, the outbox and its delivery (see outbox.h).
 *
 * The one idea: a message changes hands only inside short write
 * transactions.  Claiming turns "queued and due" (or "sending" with an
 * expired lease) into "sending, owned by host:pid until T" in one commit,
 * so of two senders exactly one wins; the SMTP exchange then runs with no
 * transaction open, and its outcome is written in a second commit.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "app/outbox.h"
#include "app/app_int.h"
#include "app/tmpl_data.h"
#include "core/alloc.h"
#include "core/priv.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/str.h"
#include "core/utf8.h"
#include "mail/mail.h"

#define BACKOFF_FIRST 60                /* seconds before the second attempt */
#define BACKOFF_MAX (6 * 3600)
#define ERRORS_KEPT 20                  /* lines of attempt history kept */

/* ---- templates ---- */

struct tmpl {
	char *name;
	char *subject, *text, *html;
};

static const char *const tmpl_vars[] = {
	"org", "partner", "contact", "connect", "code", "expires", "month", "statement", NULL
};

/* A template file by name ("invitation.txt"): from the directory when one
 * is set, else compiled in.  Errors name the file, never the directory
 * (they reach the portal and the TUI), and say what fixes them. */
static enum status
read_file(const char *dir, const char *file, char **out, struct err *e)
{
	struct sbuf b;
	char buf[4096];
	size_t n, i;
	FILE *f;
	char *path;

	*out = NULL;
	if (dir == NULL) {
		for (i = 0; tmpl_builtins[i].file != NULL; i++)
			if (strcmp(tmpl_builtins[i].file, file) == 0) {
				*out = xstrdup(tmpl_builtins[i].text);
				return ST_OK;
			}
		return err_set(e, ST_CONFIG, "mail template %s: not built in; set [mail] templates", file);
	}
	path = xasprintf("%s/%s", dir, file);
	f = user_fopen(path, "r");      /* a directory the person may have named */
	free(path);
	if (f == NULL)
		return err_set(e, ST_CONFIG, "mail template %s: %s; fix [mail] templates or remove it",
		    file, strerror(errno));
	sbuf_init(&b);
	sbuf_add(&b, "");
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sbuf_addn(&b, buf, n);
	fclose(f);
	if (b.len > 1000000 || strlen(b.s) != b.len || !utf8_valid(b.s)) {
		sbuf_free(&b);
		return err_set(e, ST_CONFIG, "mail template %s: not UTF-8 text (or too large)", file);
	}
	*out = sbuf_take(&b);
	return ST_OK;
}

/* Every {{name}} in s must be one we know. */
static enum status
check_vars(const char *s, const char *path, struct err *e)
{
	const char *p = s, *end;
	size_t i;

	while ((p = strstr(p, "{{")) != NULL) {
		if ((end = strstr(p + 2, "}}")) == NULL)
			return err_set(e, ST_CONFIG, "mail template %s: \"{{\" without \"}}\"", path);
		for (i = 0; tmpl_vars[i] != NULL; i++) {
			if (strlen(tmpl_vars[i]) == (size_t)(end - p - 2) &&
			    strncmp(p + 2, tmpl_vars[i], (size_t)(end - p - 2)) == 0)
				break;
		}
		if (tmpl_vars[i] == NULL) {
			char *name = xstrndup(p + 2, (size_t)(end - p - 2));
			char *vis = str_visible_cut(name, 30);
			err_set(e, ST_CONFIG, "mail template %s: unknown variable {{%s}}", path, vis);
			free(vis);
			free(name);
			return ST_CONFIG;
		}
		p = end + 2;
	}
	return ST_OK;
}

enum status
tmpl_load(const struct config *cfg, const char *name, struct tmpl **out, struct err *e)
{
	const char *dir = config_templates(cfg);
	char *tpath = xasprintf("%s.txt", name), *hpath = xasprintf("%s.html", name);
	char *txt = NULL, *html = NULL, *nl;
	struct tmpl *tp;
	enum status st;

	*out = NULL;
	if ((st = read_file(dir, tpath, &txt, e)) != ST_OK ||
	    (st = read_file(dir, hpath, &html, e)) != ST_OK ||
	    (st = check_vars(txt, tpath, e)) != ST_OK || (st = check_vars(html, hpath, e)) != ST_OK)
		goto out;
	if (!str_has_prefix(txt, "Subject: ") || (nl = strchr(txt, '\n')) == NULL || nl[1] != '\n') {
		st = err_set(e, ST_CONFIG, "mail template %s: must start with a \"Subject: ...\" line and a blank line",
		    tpath);
		goto out;
	}
	tp = xcalloc(1, sizeof *tp);
	tp->name = xstrdup(name);
	tp->subject = xstrndup(txt + 9, (size_t)(nl - txt - 9));
	tp->text = xstrdup(nl + 2);
	tp->html = html;
	html = NULL;
	*out = tp;
out:
	free(txt);
	free(html);
	free(tpath);
	free(hpath);
	return st;
}

void
tmpl_free(struct tmpl *tp)
{
	if (tp == NULL)
		return;
	free(tp->name);
	free(tp->subject);
	free(tp->text);
	free(tp->html);
	free(tp);
}

static void
html_escape(struct sbuf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': sbuf_add(b, "&amp;"); break;
		case '<': sbuf_add(b, "&lt;"); break;
		case '>': sbuf_add(b, "&gt;"); break;
		case '"': sbuf_add(b, "&quot;"); break;
		case '\'': sbuf_add(b, "&#39;"); break;
		default: sbuf_addc(b, *s);
		}
	}
}

/* s with each {{name}} replaced by vals[i] of tmpl_vars[i]. */
static char *
render(const char *s, const char *const *vals, bool html)
{
	struct sbuf b;
	const char *p = s, *open, *end;
	size_t i;

	sbuf_init(&b);
	sbuf_add(&b, "");
	while ((open = strstr(p, "{{")) != NULL && (end = strstr(open + 2, "}}")) != NULL) {
		sbuf_addn(&b, p, (size_t)(open - p));
		for (i = 0; tmpl_vars[i] != NULL; i++) {
			if (strlen(tmpl_vars[i]) == (size_t)(end - open - 2) &&
			    strncmp(open + 2, tmpl_vars[i], (size_t)(end - open - 2)) == 0)
				break;
		}
		if (tmpl_vars[i] != NULL) {
			if (html)
				html_escape(&b, vals[i]);
			else
				sbuf_add(&b, vals[i]);
		}
		p = end + 2;
	}
	sbuf_add(&b, p);
	return sbuf_take(&b);
}

/* "<32 hex digits@domain>", the domain of the From address or the host. */
static char *
new_message_id(const struct config *cfg)
{
	unsigned char rnd[16];
	char hex[33], host[256] = "localhost";
	const char *domain = NULL;

	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
	if (cfg != NULL && cfg->smtp_from_addr != NULL)
		domain = strrchr(cfg->smtp_from_addr, '@');
	if (domain != NULL) {
		domain++;
	} else {
		if (gethostname(host, sizeof host) != 0)
			snprintf(host, sizeof host, "localhost");
		host[sizeof host - 1] = '\0';
		domain = host;
	}
	return xasprintf("<%s.ally@%s>", hex, domain);
}

static char *
default_connect(void)
{
	char host[256];

	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = '\0';
	return xasprintf("ssh portal@%s", host);
}

enum status
outbox_queue(struct app *a, struct txn *t, const struct config *cfg, const struct tmpl *tp,
    uint64_t partner, const struct mail_vars *v, uint64_t *id, struct err *e)
{
	struct partner p;
	struct mail m;
	const char *vals[9];
	char expires[DATE_BUFSZ + 64], *connect, *org, *name, *contact;
	enum status st;

	*id = 0;
	if ((st = rec_get(t, KIND_PARTNER, partner, &p)) != ST_OK) {
		if (st == ST_NOTFOUND)
			return err_set(e, ST_NOTFOUND, "partner P%llu not found", (unsigned long long)partner);
		return util_txn_err(t, e);
	}
	connect = cfg != NULL && cfg->portal_connect != NULL ? xstrdup(cfg->portal_connect) :
	    default_connect();
	expires[0] = '\0';
	if (v != NULL && v->expires != 0) {
		char day[DATE_BUFSZ];
		snprintf(expires, sizeof expires, "%s %s", date_format_minute(v->expires, day),
		    date_zone());
	}
	/* names in subjects and bodies as everywhere: bidi overrides (and
	 * anything a damaged record holds) visible, never raw */
	org = str_visible(a->settings.org != NULL ? a->settings.org : "");
	name = str_visible(p.name);
	contact = str_visible(p.contact != NULL ? p.contact : p.name);
	vals[0] = org;
	vals[1] = name;
	vals[2] = contact;
	vals[3] = connect;
	vals[4] = v != NULL && v->code != NULL ? v->code : "";
	vals[5] = expires;
	vals[6] = v != NULL && v->month != NULL ? v->month : "";
	vals[7] = v != NULL && v->statement != NULL ? v->statement : "";
	vals[8] = NULL;

	memset(&m, 0, sizeof m);
	m.state = MAIL_QUEUED;
	m.template = xstrdup(tp->name);
	m.partner = partner;
	m.invitation = v != NULL ? v->invitation : 0;
	m.to_addr = xstrdup(v != NULL && v->to != NULL && *v->to ? v->to : p.email);
	m.to_name = xstrdup(p.contact != NULL ? p.contact : p.name);   /* an encoded word */
	m.subject = render(tp->subject, vals, false);
	m.text = render(tp->text, vals, false);
	m.html = render(tp->html, vals, true);
	m.message_id = new_message_id(cfg);
	m.next_at = clock_now();
	/* What cannot become a header is refused now, not at sending. */
	if ((st = mail_check_addr("email", m.to_addr, e)) == ST_OK &&
	    (st = mail_check_value("contact", m.to_name, e)) == ST_OK &&
	    (st = mail_check_value("subject", m.subject, e)) == ST_OK) {
		rec_put(t, KIND_MAIL, &m);
		*id = m.id;
		st = util_txn_err(t, e);
	}
	rec_free(KIND_MAIL, &m);
	rec_free(KIND_PARTNER, &p);
	free(connect);
	free(org);
	free(name);
	free(contact);
	return st;
}

/* ---- delivery ---- */

struct send_ctx {
	const struct config *cfg;
	char *owner;
	int64_t lease;
	struct mail m;          /* the claimed message (claim) */
	bool claimed;
	/* outcome (record) */
	enum status st;
	const char *error;
	bool gave_up;
	int64_t next_at;
};

/* The first message of `state` whose key time (next_at) is due. */
static uint64_t
first_due(struct txn *t, int32_t state, int64_t now)
{
	struct key k;
	struct iter *it;
	struct mail m;
	uint64_t id, found = 0;

	key_init(&k);
	key_u64(&k, (uint64_t)state);
	it = iter_index(t, IDX_MAIL_STATE, &k, false);
	while (iter_next(it, &id)) {
		if (rec_get(t, KIND_MAIL, id, &m) != ST_OK)
			continue;
		if (m.next_at <= now)
			found = id;
		rec_free(KIND_MAIL, &m);
		break;  /* in next_at order: the first is the earliest */
	}
	iter_close(it);
	return found;
}

static enum status
claim_write(struct txn *t, void *vctx)
{
	struct send_ctx *c = vctx;
	int64_t now = clock_now();
	uint64_t id;

	if (c->claimed)
		rec_free(KIND_MAIL, &c->m);
	c->claimed = false;
	id = first_due(t, MAIL_QUEUED, now);
	if (id == 0)    /* a sender that died: its lease ran out */
		id = first_due(t, MAIL_SENDING, now);
	if (id == 0)
		return txn_status(t);
	if (rec_get(t, KIND_MAIL, id, &c->m) != ST_OK)
		return txn_status(t);
	c->m.state = MAIL_SENDING;
	util_replace(&c->m.owner, xstrdup(c->owner));
	c->m.lease_until = now + c->lease;
	c->m.next_at = c->m.lease_until;
	c->m.attempts++;
	rec_put(t, KIND_MAIL, &c->m);
	c->claimed = true;
	return txn_status(t);
}

static int64_t
backoff(int attempts)
{
	int64_t d = BACKOFF_FIRST;

	while (--attempts > 0 && d < BACKOFF_MAX)
		d *= 2;
	return d < BACKOFF_MAX ? d : BACKOFF_MAX;
}

/* Append "TIME #N: why" to the history, keeping the last ERRORS_KEPT. */
static void
add_error(struct mail *m, int64_t now, const char *why)
{
	char ts[DATE_BUFSZ];
	char *line = xasprintf("%s #%d: %s", date_format_rfc3339(now, ts), m->attempts, why);
	char *all = m->errors != NULL ? xasprintf("%s\n%s", m->errors, line) : xstrdup(line);
	char *p = all;
	int lines = 1;

	for (const char *q = all; *q; q++)
		lines += *q == '\n';
	while (lines-- > ERRORS_KEPT)
		p = strchr(p, '\n') + 1;
	util_replace(&m->errors, xstrdup(p));
	util_replace(&m->last_error, xstrdup(why));
	free(all);
	free(line);
}

static enum status
record_write(struct txn *t, void *vctx)
{
	struct send_ctx *c = vctx;
	int64_t now = clock_now();
	struct mail m;

	if (rec_get(t, KIND_MAIL, c->m.id, &m) != ST_OK)
		return txn_status(t);
	/* Our lease ran out and another sender took the message over: a
	 * failure is its business now; a success still counts. */
	if (c->st != ST_OK && (m.state != MAIL_SENDING || m.owner == NULL ||
	    strcmp(m.owner, c->owner) != 0)) {
		rec_free(KIND_MAIL, &m);
		return txn_status(t);
	}
	util_replace(&m.owner, NULL);
	m.lease_until = 0;
	if (c->st == ST_OK) {
		m.state = MAIL_SENT;
		m.sent_at = now;
		m.next_at = now;
		/* The body may hold an invitation code, which is kept only as
		 * a hash: once delivered, only the headers stay. */
		util_replace(&m.text, NULL);
		util_replace(&m.html, NULL);
	} else {
		add_error(&m, now, c->error);
		if (c->gave_up || m.attempts >= c->cfg->max_attempts) {
			m.state = MAIL_FAILED;
			m.next_at = now;
			c->gave_up = true;
		} else {
			m.state = MAIL_QUEUED;
			m.next_at = now + backoff(m.attempts);
		}
		c->next_at = m.next_at;
	}
	rec_put(t, KIND_MAIL, &m);
	rec_free(KIND_MAIL, &m);
	return txn_status(t);
}

/* s with every MAIL_CODE_MARK replaced by code (free with wipe_free). */
static char *
put_code(const char *s, const char *code)
{
	const char *p = s, *q;
	struct sbuf b;

	if (s == NULL)
		return NULL;
	sbuf_init(&b);
	sbuf_add(&b, "");
	while ((q = strstr(p, MAIL_CODE_MARK)) != NULL) {
		sbuf_addn(&b, p, (size_t)(q - p));
		sbuf_add(&b, code);
		p = q + strlen(MAIL_CODE_MARK);
	}
	sbuf_add(&b, p);
	return sbuf_take(&b);
}

static void
wipe_free(char *s)
{
	if (s != NULL) {
		sodium_memzero(s, strlen(s));
		free(s);
	}
}

/*
 * Build the claimed message into *text: for an invitation, a code is drawn
 * now (its hash stored first) and exists only in memory until sent.
 */
static enum status
build_claimed(struct app *a, struct send_ctx *c, struct mail_msg *msg, char **text,
    struct err *ce)
{
	char code[INVITE_CODE_LEN], *body = NULL, *html = NULL;
	enum status st;

	if (c->m.invitation == 0)
		return mail_build(msg, text, ce);
	if ((st = app_invitation_draw(a, c->m.invitation, code, ce)) != ST_OK) {
		if (st == ST_CONFLICT)
			st = ST_DATA;   /* this message must never go: failed for good */
		return st;
	}
	body = put_code(c->m.text, code);
	html = put_code(c->m.html, code);
	sodium_memzero(code, sizeof code);
	msg->text = body;
	msg->html = html;
	st = mail_build(msg, text, ce);
	msg->text = msg->html = NULL;
	wipe_free(body);
	wipe_free(html);
	return st;
}

static char *
owner_name(void)
{
	char host[256];

	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = '\0';
	return xasprintf("%s:%ld", host, (long)getpid());
}

enum status
app_mail_send(struct app *a, const struct config *cfg,
    void (*report)(void *ctx, const struct mail_report *r), void *ctx, struct err *e)
{
	struct mail_server srv;
	struct send_ctx c;
	char *password = NULL;
	enum status st, result = ST_OK;
	struct err ce;
	int guard;

	/* before the configuration is even read: whoever sends holds every
	 * queued invitation for a moment, and a staff member's own --config
	 * could point [smtp] anywhere */
	if ((st = app_require(a, PERM_MAIL_SEND, e)) != ST_OK)
		return st;
	if (cfg->smtp_url == NULL)
		return err_set(e, ST_CONFIG, "[smtp] url: not set in %s (see ally.conf(5))",
		    *cfg->files ? cfg->files : "any configuration file");
	if (cfg->smtp_from_addr == NULL)
		return err_set(e, ST_CONFIG, "[smtp] from: not set in %s (see ally.conf(5))", cfg->files);
	if (cfg->smtp_username != NULL && (st = config_password(cfg, &password, e)) != ST_OK)
		return st;
	memset(&srv, 0, sizeof srv);
	srv.url = cfg->smtp_url;
	srv.starttls = cfg->smtp_starttls == CONFIG_TLS_OFF ? MAIL_TLS_OFF :
	    cfg->smtp_starttls == CONFIG_TLS_OPTIONAL ? MAIL_TLS_OPTIONAL : MAIL_TLS_REQUIRED;
	srv.username = cfg->smtp_username;
	srv.password = password;
	srv.ca_file = cfg->smtp_ca_file;
	srv.connect_timeout = cfg->smtp_connect_timeout;
	srv.timeout = cfg->smtp_timeout;

	memset(&c, 0, sizeof c);
	c.cfg = cfg;
	c.owner = owner_name();
	c.lease = 2 * cfg->smtp_timeout + 60;
	/* Each message is claimed at most once per run (its next_at moves
	 * past now or it leaves the queue); the guard only bounds a clock
	 * that goes backwards. */
	for (guard = 0; guard < 1000000; guard++) {
		struct mail_msg msg;
		struct mail_report r;
		char *text = NULL;

		if ((st = store_write(a->store, claim_write, &c, e)) != ST_OK) {
			result = st;
			break;
		}
		if (!c.claimed)
			break;
		err_clear(&ce);
		memset(&msg, 0, sizeof msg);
		msg.from_addr = cfg->smtp_from_addr;
		msg.from_name = cfg->smtp_from_name;
		msg.to_addr = c.m.to_addr;
		msg.to_name = c.m.to_name;
		msg.subject = c.m.subject;
		msg.text = c.m.text;
		msg.html = c.m.html;
		msg.message_id = c.m.message_id;
		msg.date = clock_now();
		c.gave_up = false;
		c.st = build_claimed(a, &c, &msg, &text, &ce);
		if (c.st == ST_DATA)
			c.gave_up = true;       /* the message itself is bad: retrying cannot help */
		else if (c.st == ST_OK)
			c.st = mail_send(&srv, cfg->smtp_from_addr, c.m.to_addr, text, &ce);
		wipe_free(text);
		c.error = ce.msg;
		if ((st = store_write(a->store, record_write, &c, e)) != ST_OK) {
			result = st;
			break;
		}
		memset(&r, 0, sizeof r);
		r.id = c.m.id;
		r.to = c.m.to_addr;
		r.st = c.st;
		r.error = c.st == ST_OK ? NULL : ce.msg;
		r.attempts = c.m.attempts;
		r.max_attempts = cfg->max_attempts;
		r.gave_up = c.gave_up;
		r.next_at = c.next_at;
		if (report != NULL)
			report(ctx, &r);
		if (c.st != ST_OK && result == ST_OK) {
			result = c.st;
			err_set(e, c.st, "M%llu: %s", (unsigned long long)c.m.id, ce.msg);
		}
		/* Every other message would meet the same wall. */
		if (c.st == ST_UNAVAILABLE || c.st == ST_CONFIG) {
			if (result != c.st) {
				result = c.st;
				err_set(e, c.st, "M%llu: %s", (unsigned long long)c.m.id, ce.msg);
			}
			break;
		}
	}
	if (c.claimed)
		rec_free(KIND_MAIL, &c.m);
	free(c.owner);
	if (password != NULL) {
		sodium_memzero(password, strlen(password));
		free(password);
	}
	return result;
}

/* ---- list, retry ---- */

static void
row_str(struct row *r, const char *name, const char *s)
{
	if (r->n >= ROW_MAX)
		return;
	r->c[r->n].name = name;
	r->c[r->n].type = CELL_STR;
	r->c[r->n].s = s;
	r->n++;
}

static void
row_int(struct row *r, const char *name, enum cell_type type, int64_t v)
{
	if (r->n >= ROW_MAX)
		return;
	r->c[r->n].name = name;
	r->c[r->n].type = type;
	r->c[r->n].i = v;
	r->n++;
}

enum status
app_mail_list(struct app *a, const char *state, row_fn fn, void *ctx, struct err *e)
{
	struct txn *t;
	struct iter *it;
	struct mail m;
	uint64_t id;
	int32_t want = -1;
	enum status st;

	if ((st = app_require(a, PERM_PARTNER_READ, e)) != ST_OK)
		return st;
	if (state != NULL) {
		for (want = MAIL_QUEUED; want <= MAIL_FAILED; want++) {
			if (strcmp(state, mail_state_name(want)) == 0)
				break;
		}
		if (want > MAIL_FAILED) {
			char *vis = str_visible_cut(state, 30);
			err_set(e, ST_DATA, "state: \"%s\" must be queued, sending, sent or failed", vis);
			free(vis);
			return ST_DATA;
		}
	}
	t = txn_begin_read(a->store);
	it = iter_kind(t, KIND_MAIL, false);
	while (st == ST_OK && iter_next(it, &id)) {
		struct row r;
		struct partner p;
		bool have_p;

		if (iter_rec(it, &m) != ST_OK)
			continue;
		if (want >= 0 && m.state != want) {
			rec_free(KIND_MAIL, &m);
			continue;
		}
		have_p = m.partner != 0 && rec_get(t, KIND_PARTNER, m.partner, &p) == ST_OK;
		memset(&r, 0, sizeof r);
		snprintf(r.buf[0], sizeof r.buf[0], "M%llu", (unsigned long long)m.id);
		row_str(&r, "id", r.buf[0]);
		row_str(&r, "state", mail_state_name(m.state));
		row_str(&r, "template", m.template);
		if (have_p)
			row_str(&r, "partner", p.name);
		else
			row_str(&r, "partner", NULL);
		row_str(&r, "to", m.to_addr);
		row_str(&r, "subject", m.subject);
		row_int(&r, "attempts", CELL_INT, m.attempts);
		row_int(&r, "queued", CELL_TIME, m.m.created);
		row_int(&r, "next", CELL_TIME, m.state == MAIL_QUEUED ? m.next_at : 0);
		row_int(&r, "sent", CELL_TIME, m.sent_at);
		row_str(&r, "owner", m.state == MAIL_SENDING ? m.owner : NULL);
		row_str(&r, "message_id", m.message_id);
		row_str(&r, "last_error", m.last_error);
		row_str(&r, "errors", m.errors);
		st = fn(ctx, &r);
		if (have_p)
			rec_free(KIND_PARTNER, &p);
		rec_free(KIND_MAIL, &m);
	}
	iter_close(it);
	if (st == ST_OK && txn_status(t) != ST_OK)
		st = err_set(e, txn_status(t), "%s", txn_message(t));
	txn_end(t);
	return st;
}

struct retry_ctx {
	uint64_t id;
};

static enum status
retry_write(struct txn *t, void *vctx)
{
	struct retry_ctx *c = vctx;
	int64_t now = clock_now();
	struct mail m;
	enum status st = ST_OK;

	if (rec_get(t, KIND_MAIL, c->id, &m) != ST_OK) {
		if (txn_status(t) != ST_OK)
			return txn_status(t);
		return txn_fail(t, ST_NOTFOUND, "mail M%llu not found", (unsigned long long)c->id);
	}
	if (m.state == MAIL_SENT)
		st = txn_fail(t, ST_CONFLICT, "M%llu was sent already", (unsigned long long)c->id);
	else if (m.state == MAIL_SENDING && m.lease_until > now)
		st = txn_fail(t, ST_CONFLICT, "M%llu is being sent by %s", (unsigned long long)c->id,
		    m.owner != NULL ? m.owner : "another sender");
	if (st == ST_OK) {
		m.state = MAIL_QUEUED;
		m.attempts = 0;
		m.next_at = now;
		m.lease_until = 0;
		util_replace(&m.owner, NULL);
		rec_put(t, KIND_MAIL, &m);
		st = txn_status(t);
	}
	rec_free(KIND_MAIL, &m);
	return st;
}

enum status
app_mail_retry(struct app *a, const char *ref, uint64_t *id, struct err *e)
{
	struct retry_ctx c = { 0 };
	const char *p = ref;
	char *end;
	enum status st;

	/* putting a message back in the queue is the sender's business */
	if ((st = app_require(a, PERM_MAIL_SEND, e)) != ST_OK)
		return st;
	if (p != NULL && (*p == 'M' || *p == 'm'))
		p++;
	if (p == NULL || *p < '0' || *p > '9' || (c.id = strtoull(p, &end, 10)) == 0 || *end != '\0') {
		char *vis = str_visible_cut(ref != NULL ? ref : "", 30);
		err_set(e, ST_NOTFOUND, "mail \"%s\" not found", vis);
		free(vis);
		return ST_NOTFOUND;
	}
	st = app_write(a, PERM_MAIL_SEND, NULL, retry_write, &c, e);
	if (st == ST_OK && id != NULL)
		*id = c.id;
	return st;
}
