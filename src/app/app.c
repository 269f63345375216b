/*
 * app.c - opening a database as someone: settings, time zone, the actor and
 * their role; ally init; resolving the names users type.
 */
#include "config.h"

#include <ctype.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "app/app_int.h"
#include "app/audit.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/priv.h"
#include "core/str.h"
#include "core/utf8.h"
#include "domain/code.h"

char *
app_db_path(const char *flag)
{
	const char *env, *home;

	if (flag && *flag)
		return xstrdup(flag);
	env = getenv("ALLY_DB");
	if (env && *env)
		return xstrdup(env);
	env = getenv("XDG_DATA_HOME");
	if (env && *env)
		return xasprintf("%s/ally", env);
	home = getenv("HOME");
	if (home == NULL || *home == '\0') {
		struct passwd *pw = getpwuid(getuid());
		home = pw ? pw->pw_dir : "/";
	}
	return xasprintf("%s/.local/share/ally", home);
}

/* The person running us: the REAL uid, never the effective one (a setgid
 * install) and never the environment; only root may speak as another
 * through ALLY_USER (scripts, tests). */
static char *
current_login(void)
{
	struct passwd *pw;
	const char *as = getuid() == 0 ? env_testing("ALLY_USER") : NULL;

	if (as && *as)
		return xstrdup(as);
	pw = getpwuid(getuid());
	if (pw && pw->pw_name)
		return xstrdup(pw->pw_name);
	return xasprintf("uid%ld", (long)getuid());
}

/* ALLY_MAP_INITIAL (bytes, a testing aid): a tiny map makes tests reach
 * "map full" and the growth that follows with a few records. */
static void
map_from_env(void)
{
	const char *v = env_testing("ALLY_MAP_INITIAL");
	char *end;
	unsigned long long n;

	if (v == NULL || *v == '\0')
		return;
	n = strtoull(v, &end, 10);
	if (*end == '\0' && n >= 65536 && n <= ((unsigned long long)1 << 40))
		store_set_initial_mapsize((size_t)n);
}

static enum status
load_user(struct app *a, struct txn *t, struct err *e)
{
	struct key k;
	struct user u;
	uint64_t id;

	key_init(&k);
	key_str(&k, a->login, true);
	id = idx_find(t, IDX_USER_LOGIN, &k);
	if (id == 0 || rec_get(t, KIND_USER, id, &u) != ST_OK) {
		if (txn_status(t) != ST_OK)
			return err_set(e, txn_status(t), "%s", txn_message(t));
		return err_set(e, ST_NOPERM, "account \"%s\" is not an ally user (an admin can run: ally user add %s --role support)",
		    a->login, a->login);
	}
	a->user = u.id;
	a->role = (enum role)u.role;
	a->partner = u.partner;
	rec_free(KIND_USER, &u);
	if (a->role == ROLE_PARTNER)
		return err_set(e, ST_NOPERM, "account \"%s\" is a partner account: partners use ally portal", a->login);
	return ST_OK;
}

/* The settings, and the actor when role is APP_ROLE_USER, in one read. */
static enum status
load_session(struct app *a, int role, struct err *e)
{
	struct txn *t = txn_begin_read(a->store);
	enum status st = rec_get(t, KIND_SETTINGS, 1, &a->settings);

	if (st == ST_NOTFOUND)
		err_set(e, ST_NOINPUT, "open %s: not an ally database", store_path(a->store));
	else if (st != ST_OK)
		err_set(e, st, "%s", txn_message(t));
	if (st == ST_OK && role == APP_ROLE_USER)
		st = load_user(a, t, e);
	txn_end(t);
	return st;
}

/* The store's commit hook: sub-partners' overrides, then the expiry sweep. */
static void
app_commit(void *ctx, struct txn *t)
{
	struct app *a = ctx;

	override_sweep(a, t);
	if (a->expiry && txn_status(t) == ST_OK)
		expiry_sweep(a, t);
}

enum status
app_session_new(struct store *s, const char *login, int role, int flags, struct app **out,
    struct err *e)
{
	struct app *a = xcalloc(1, sizeof *a);
	enum status st;

	*out = NULL;
	a->store = s;
	a->borrowed = (flags & APP_SESSION_BORROW) != 0;
	a->login = xstrdup(login);
	a->role = (enum role)role;
	st = load_session(a, role, e);
	if (st == ST_OK) {
		a->cur = currency_find(a->settings.currency);
		if (a->cur == NULL)
			st = err_set(e, ST_CONFIG, "settings: unknown currency \"%s\"", a->settings.currency);
	}
	if (st == ST_OK)
		st = date_set_zone(a->settings.timezone ? a->settings.timezone : "UTC", e);
	/* a writer needs the audit key (and carries an old chain over once) */
	if (st == ST_OK && (flags & APP_SESSION_AUDIT_KEY))
		st = audit_prepare(a->store, a->login, false, e);
	if (st != ST_OK) {
		app_close(a);
		return e ? e->st : st;
	}
	store_set_actor(a->store, a->login);
	/* three hooks, in this order: the counters, the audit log, then the
	 * webhook deliveries */
	store_set_change_hook(a->store, rollup_change, NULL);
	store_hook_add(a->store, audit_hook, a);
	store_hook_add(a->store, webhook_hook, a);
	store_hook_add(a->store, override_watch, a);
	a->expiry = (flags & APP_SESSION_EXPIRY) != 0;
	store_set_commit_hook(a->store, app_commit, a);
	*out = a;
	return ST_OK;
}

enum status
app_open(const char *db, int flags, struct app **out, struct err *e)
{
	struct store *s;
	char *login;
	enum status st;
	int sflags = APP_SESSION_EXPIRY;

	*out = NULL;
	if ((st = clock_init(e)) != ST_OK)
		return st;
	map_from_env();
	st = store_open(db, (flags & APP_RDONLY) ? STORE_RDONLY : 0, &s, e);
	if (st != ST_OK)
		return st;
	if (!(flags & APP_RDONLY))
		sflags |= APP_SESSION_AUDIT_KEY;
	login = current_login();
	st = app_session_new(s, login, APP_ROLE_USER, sflags, out, e);
	free(login);
	if (st == ST_NOINPUT && e && e->st == ST_NOINPUT && strstr(e->msg, "not an ally database"))
		err_set(e, ST_NOINPUT, "open %s: not an ally database (run ally init)", db);
	return st;
}

void
app_close(struct app *a)
{
	if (a == NULL)
		return;
	if (a->borrowed) {
		/* the hooks point at this session: the next one sets its own */
		store_set_change_hook(a->store, NULL, NULL);
		store_set_commit_hook(a->store, NULL, NULL);
	} else
		store_close(a->store);
	rec_free(KIND_SETTINGS, &a->settings);
	override_forget(a);
	free(a->login);
	free(a);
}

const char *app_login(const struct app *a) { return a->login; }
enum role app_role(const struct app *a) { return a->role; }
uint64_t app_user(const struct app *a) { return a->user; }
uint64_t app_partner(const struct app *a) { return a->partner; }
const struct settings *app_settings(const struct app *a) { return &a->settings; }
const struct currency *app_currency(const struct app *a) { return a->cur; }
const char *app_path(const struct app *a) { return store_path(a->store); }
/* The commit a reader beginning now sees (not the newest meta page, which
 * LMDB writes a moment before new readers get it): what a screen loaded
 * after this call shows at least this. */
uint64_t
app_version(const struct app *a)
{
	struct txn *t = txn_begin_read(a->store);
	uint64_t v = txn_snapshot(t);

	txn_end(t);
	return v;
}

void
app_sizes(const struct app *a, uint64_t *file_bytes, uint64_t *map_bytes)
{
	store_sizes(a->store, file_bytes, map_bytes);
}

/* ---- writing ---- */

struct write_ctx {
	const char *action;
	enum status (*fn)(struct txn *t, void *ctx);
	void *ctx;
};

static enum status
write_named(struct txn *t, void *vctx)
{
	struct write_ctx *w = vctx;

	txn_set_action(t, w->action, false);
	return w->fn(t, w->ctx);
}

enum status
app_write(struct app *a, enum perm p, const char *action,
    enum status (*fn)(struct txn *t, void *ctx), void *ctx, struct err *e)
{
	struct write_ctx w = { action, fn, ctx };
	enum status st;

	if (p != APP_ANYONE && (st = app_require(a, p, e)) != ST_OK)
		return st;
	/* nothing noted by a transaction that did not commit carries over */
	a->ov.n = 0;
	a->ov.cached = false;
	a->ov.any = 0;
	if (action == NULL)
		return store_write(a->store, fn, ctx, e);
	return store_write(a->store, write_named, &w, e);
}

enum status
app_fail(struct txn *t, enum status st, const struct err *e)
{
	if (st == ST_OK)
		return txn_status(t);
	if (e->st != ST_OK && txn_status(t) == ST_OK)
		txn_fail(t, st, "%s", e->msg);
	return st;
}

enum status
app_require(const struct app *a, enum perm p, struct err *e)
{
	if (perm_allows(a->role, p))
		return ST_OK;
	return err_set(e, ST_NOPERM, "you (%s, %s) may not %s", a->login, role_name(a->role),
	    perm_describe(p));
}

/* ---- init ---- */

struct init_ctx {
	struct settings s;
	char *login;
};

static enum status
init_write(struct txn *t, void *vctx)
{
	struct init_ctx *c = vctx;
	struct settings existing;
	struct user u;
	uint32_t schema = STORE_SCHEMA;

	if (rec_get(t, KIND_SETTINGS, 1, &existing) == ST_OK) {
		rec_free(KIND_SETTINGS, &existing);
		return txn_fail(t, ST_EXISTS, "a database is already there");
	}
	meta_put(t, "schema", &schema, sizeof schema);
	{
		/* a new database keeps its rollups from the first event */
		uint32_t rv = ROLLUP_VERSION;
		meta_put(t, "rollup.version", &rv, sizeof rv);
	}

	c->s.id = 1;            /* the one settings record */
	rec_put(t, KIND_SETTINGS, &c->s);
	memset(&u, 0, sizeof u);
	u.login = c->login;
	u.role = ROLE_ADMIN;
	rec_put(t, KIND_USER, &u);
	u.login = NULL;
	rec_free(KIND_USER, &u);
	return txn_status(t);
}

static enum status
init_check(const struct init_input *in, const struct currency **cur, struct err *e)
{
	*cur = currency_find(in->currency ? in->currency : "EUR");
	if (*cur == NULL)
		return err_set(e, ST_DATA, "currency: \"%s\" is not an ISO 4217 code we know", in->currency);
	if (in->timezone && !date_zone_valid(in->timezone))
		return err_set(e, ST_DATA, "timezone: \"%s\" is not a known time zone (e.g. Europe/Berlin, UTC)", in->timezone);
	if (in->org && (strlen(in->org) > 200 || utf8_text_check(in->org, false, NULL) != UTF8_TEXT_OK))
		return err_set(e, ST_DATA, "org: must be at most 200 characters without control characters");
	return ST_OK;
}

enum status
app_init_store(struct store *s, const struct init_input *in, const char *login, struct err *e)
{
	struct init_ctx c;
	const struct currency *cur;
	enum status st;

	if ((st = init_check(in, &cur, e)) != ST_OK)
		return st;
	memset(&c, 0, sizeof c);
	c.login = xstrdup(login);
	store_set_actor(s, c.login);
	c.s.org = xstrdup(in->org && *in->org ? in->org : "My Company");
	memcpy(c.s.currency, cur->code, 4);
	c.s.timezone = xstrdup(in->timezone ? in->timezone : "UTC");
	st = store_write(s, init_write, &c, e);
	if (st == ST_EXISTS)
		err_set(e, ST_EXISTS, "%s: a database is already there", store_path(s));
	else if (st == ST_OK)
		st = audit_prepare(s, c.login, true, e);   /* the key, beside the database */
	rec_free(KIND_SETTINGS, &c.s);
	free(c.login);
	return st;
}

enum status
app_init(const char *db, const struct init_input *in, struct err *e)
{
	const struct currency *cur;
	struct store *s;
	char *login;
	enum status st;

	if ((st = clock_init(e)) != ST_OK)
		return st;
	if ((st = init_check(in, &cur, e)) != ST_OK)
		return st;
	map_from_env();
	if ((st = store_open(db, STORE_CREATE, &s, e)) != ST_OK)
		return st;
	login = current_login();
	st = app_init_store(s, in, login, e);
	if (st == ST_EXISTS)
		err_set(e, ST_EXISTS, "%s: a database is already there", db);
	free(login);
	store_close(s);
	return st;
}

/* ---- names ---- */

char *
app_id_str(enum kind k, uint64_t id, char *buf)
{
	snprintf(buf, 24, "%s%llu", kind_prefix(k), (unsigned long long)id);
	return buf;
}

/* Parse "PG12" or "12" for kind k; 0 if it is not an id of that kind. */
static uint64_t
parse_id(enum kind k, const char *ref)
{
	const char *pre = kind_prefix(k), *p = ref;
	size_t n = strlen(pre);
	char *end;
	unsigned long long v;

	if (n && strncasecmp(p, pre, n) == 0 && isdigit((unsigned char)p[n]))
		p += n;
	if (!isdigit((unsigned char)*p))
		return 0;
	v = strtoull(p, &end, 10);
	if (*end != '\0')
		return 0;
	return (uint64_t)v;
}

static int
name_index(enum kind k)
{
	switch (k) {
	case KIND_PROGRAM: return IDX_PROGRAM_NAME;
	case KIND_TIER:    return IDX_TIER_NAME;
	case KIND_PARTNER: return IDX_PARTNER_NAME;
	case KIND_USER:    return IDX_USER_LOGIN;
	case KIND_CODE:    return IDX_CODE;
	default:           return -1;
	}
}

/* An id when the text reads as one ("P3", "3"), since no new record may
 * be named so (domain/names.h); else the unique name, which also finds
 * the few id-like names older databases may hold. */
enum status
app_resolve(struct txn *t, enum kind k, const char *ref, uint64_t *id, struct err *e)
{
	_Alignas(max_align_t) unsigned char buf[512];
	struct key key;
	int ix = name_index(k);
	uint64_t v;

	*id = 0;
	if (ref == NULL || *ref == '\0')
		return err_set(e, ST_USAGE, "%s: missing", kind_name(k));
	v = parse_id(k, ref);
	if (v && rec_get(t, k, v, buf) == ST_OK) {
		rec_free(k, buf);
		*id = v;
		return ST_OK;
	}
	if (ix >= 0) {
		key_init(&key);
		if (k == KIND_CODE) {
			char norm[CODE_MAX_LEN + 1];
			if (code_normalise(ref, norm))
				key_str(&key, norm, false);
			else
				key_str(&key, ref, false);
		} else {
			key_str(&key, ref, true);
		}
		v = idx_find(t, (enum index)ix, &key);
		if (v) {
			*id = v;
			return ST_OK;
		}
	}
	if (txn_status(t) != ST_OK)
		return err_set(e, txn_status(t), "%s", txn_message(t));
	{
		char *shown = str_visible(ref);
		err_set(e, ST_NOTFOUND, "%s \"%s\" not found", kind_name(k), shown);
		free(shown);
	}
	return ST_NOTFOUND;
}

enum status
app_resolve_ref(struct app *a, enum kind k, const char *ref, uint64_t *id, struct err *e)
{
	struct txn *t = txn_begin_read(a->store);
	enum status st = app_resolve(t, k, ref, id, e);

	txn_end(t);
	return st;
}

void
app_record_free(enum kind k, void *rec)
{
	rec_free(k, rec);
}
