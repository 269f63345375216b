/*
 * codes.c - referral codes (a partner's or a customer's, drawn or
 * vanity, enabled or disabled) and the ally users (logins, roles, the
 * last admin kept).
 *
 * Each action writes in one short transaction (app_write) after its text
 * inputs have been checked outside it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/app_int.h"
#include "core/alloc.h"
#include "core/date.h"
#include "core/str.h"
#include "domain/code.h"
#include "domain/email.h"
#include "domain/names.h"

/* ---- codes ---- */

struct code_ctx {
	struct app *a;
	const struct code_input *in;
	char *email;            /* normalised customer e-mail */
	char *name;
	char vanity[CODE_MAX_LEN + 1];
	struct code *out;
	char *link;
};

/* The customer referrer with this e-mail, made on first use. */
static uint64_t
referrer_for_customer(struct txn *t, const char *email, const char *name)
{
	struct key k;
	struct iter *it;
	struct referrer r;
	uint64_t id, found = 0;

	key_init(&k);
	key_str(&k, email, true);
	it = iter_index(t, IDX_REFERRER_EMAIL, &k, false);
	while (!found && iter_next(it, &id)) {
		if (rec_get(t, KIND_REFERRER, id, &r) == ST_OK) {
			if (r.kind == REFERRER_CUSTOMER)
				found = id;
			rec_free(KIND_REFERRER, &r);
		}
	}
	iter_close(it);
	if (found)
		return found;
	memset(&r, 0, sizeof r);
	r.kind = REFERRER_CUSTOMER;
	r.email = xstrdup(email);
	r.name = name ? xstrdup(name) : NULL;
	rec_put(t, KIND_REFERRER, &r);
	id = r.id;
	rec_free(KIND_REFERRER, &r);
	return id;
}

static enum status
code_write(struct txn *t, void *vctx)
{
	struct code_ctx *c = vctx;
	struct program pg;
	struct code k;
	enum status st;
	uint64_t pgid;
	struct err e = { ST_OK, "" };

	memset(&k, 0, sizeof k);
	if ((st = app_resolve(t, KIND_PROGRAM, c->in->program, &pgid, &e)) != ST_OK)
		return app_fail(t, st, &e);
	if ((st = rec_get(t, KIND_PROGRAM, pgid, &pg)) != ST_OK)
		return app_fail(t, st, &e);
	if (pg.status == PROGRAM_ENDED) {
		st = txn_fail(t, ST_DATA, "program: %s has ended: no new codes", pg.name);
		goto out;
	}
	if (c->in->partner) {
		struct partner p;
		uint64_t pid;
		if (!(pg.eligible & ELIG_PARTNERS)) {
			st = txn_fail(t, ST_DATA, "partner: program %s does not take partner referrers", pg.name);
			goto out;
		}
		if ((st = app_resolve(t, KIND_PARTNER, c->in->partner, &pid, &e)) != ST_OK)
			goto out;
		if ((st = rec_get(t, KIND_PARTNER, pid, &p)) != ST_OK)
			goto out;
		if (p.status == PARTNER_SUSPENDED)
			st = txn_fail(t, ST_DATA, "partner: %s is suspended", p.name);
		else
			k.referrer = util_partner_referrer(t, &p);
		rec_free(KIND_PARTNER, &p);
		if (st != ST_OK)
			goto out;
	} else {
		if (!(pg.eligible & ELIG_CUSTOMERS)) {
			st = txn_fail(t, ST_DATA, "customer: program %s does not take customer referrers", pg.name);
			goto out;
		}
		k.referrer = referrer_for_customer(t, c->email, c->name);
	}
	k.program = pgid;
	if (c->vanity[0]) {
		struct key key;
		key_init(&key);
		key_str(&key, c->vanity, false);
		if (idx_find(t, IDX_CODE, &key) != 0) {
			st = txn_fail(t, ST_EXISTS, "vanity: code %s is already taken", c->vanity);
			goto out;
		}
		k.code = xstrdup(c->vanity);
		k.vanity = 1;
	} else {
		unsigned char rnd[5];
		char gen[CODE_GEN_LEN + 1];
		struct key key;
		int tries;
		for (tries = 0; tries < 20; tries++) {
			randombytes_buf(rnd, sizeof rnd);
			code_generate(rnd, gen);
			if (names_id_like(gen))
				continue;       /* "12345678" would read as an id */
			key_init(&key);
			key_str(&key, gen, false);
			if (idx_find(t, IDX_CODE, &key) == 0)
				break;
		}
		k.code = xstrdup(gen);
	}
	rec_put(t, KIND_CODE, &k);
	if (txn_status(t) == ST_OK) {
		struct sbuf b;
		rec_free(KIND_CODE, c->out);
		rec_copy(KIND_CODE, c->out, &k);
		sbuf_init(&b);
		code_link(pg.landing, k.code, &b);
		free(c->link);
		c->link = sbuf_take(&b);
	}
out:
	rec_free(KIND_CODE, &k);
	rec_free(KIND_PROGRAM, &pg);
	return app_fail(t, st, &e);
}

/* Check what was typed into c (for code_write); c's strings are freed by
 * code_ctx_free also when this fails. */
static enum status
code_prepare(struct app *a, const struct code_input *in, struct code *out, struct code_ctx *c,
    struct err *e)
{
	enum status st;

	memset(out, 0, sizeof *out);
	memset(c, 0, sizeof *c);
	c->a = a;
	c->in = in;
	c->out = out;
	if ((st = app_require(a, PERM_PROGRAM_WRITE, e)) != ST_OK)
		return st;
	if (in->program == NULL)
		return err_set(e, ST_USAGE, "program: missing (--program)");
	if ((in->partner == NULL) == (in->customer == NULL))
		return err_set(e, ST_USAGE, "referrer: give exactly one of --partner or --customer");
	if (in->customer && (st = email_normalise(in->customer, &c->email, "customer", e)) != ST_OK)
		return st;
	if (in->name && (st = util_text(in->name, false, NAME_MAX_LEN, &c->name, "name", e)) != ST_OK)
		return st;
	if (in->vanity && ((st = code_vanity_check(in->vanity, c->vanity, "vanity", e)) != ST_OK ||
	    (st = names_check(c->vanity, "vanity", e)) != ST_OK))
		return st;
	return ST_OK;
}

static void
code_ctx_free(struct code_ctx *c)
{
	free(c->email);
	free(c->name);
	free(c->link);
}

enum status
app_code_new(struct app *a, const struct code_input *in, struct code *out, char **link,
    struct err *e)
{
	struct code_ctx c;
	enum status st;

	*link = NULL;
	if ((st = code_prepare(a, in, out, &c, e)) == ST_OK &&
	    (st = app_write(a, PERM_PROGRAM_WRITE, NULL, code_write, &c, e)) == ST_OK) {
		*link = c.link;
		c.link = NULL;
	}
	code_ctx_free(&c);
	return st;
}

enum status
app_code_new_in(struct app *a, struct txn *t, const struct code_input *in, struct code *out,
    struct err *e)
{
	struct code_ctx c;
	enum status st;

	if ((st = code_prepare(a, in, out, &c, e)) == ST_OK && code_write(t, &c) != ST_OK)
		st = util_txn_err(t, e);
	code_ctx_free(&c);
	return st;
}

struct codeflag_ctx {
	const char *code;
	bool disabled;
};

static enum status
code_flag_write(struct txn *t, void *vctx)
{
	struct codeflag_ctx *c = vctx;
	struct code k;
	uint64_t id;
	enum status st;
	struct err e = { ST_OK, "" };

	if ((st = app_resolve(t, KIND_CODE, c->code, &id, &e)) != ST_OK)
		return app_fail(t, st, &e);
	if ((st = rec_get(t, KIND_CODE, id, &k)) != ST_OK)
		return app_fail(t, st, &e);
	if (k.disabled != (int32_t)c->disabled) {
		k.disabled = c->disabled;
		rec_put(t, KIND_CODE, &k);
	}
	rec_free(KIND_CODE, &k);
	return txn_status(t);
}

enum status
app_code_set_disabled(struct app *a, const char *code, bool disabled, struct err *e)
{
	struct codeflag_ctx c = { code, disabled };

	return app_write(a, PERM_PROGRAM_WRITE, NULL, code_flag_write, &c, e);
}

/* ---- users ---- */

enum user_op { USER_ADD, USER_ROLE, USER_REMOVE };

struct user_ctx {
	enum user_op op;
	const char *login;
	int role;
	const char *partner;
	uint64_t id;
};

static enum status
check_login(const char *login, struct err *e)
{
	const char *p;

	if (login == NULL || *login == '\0')
		return err_set(e, ST_USAGE, "login: missing");
	if (strlen(login) > 64)
		return err_set(e, ST_DATA, "login: longer than 64 characters");
	for (p = login; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '_' || *p == '-' || *p == '.' || *p == '@' || *p == '+'))
			return err_set(e, ST_DATA, "login: only letters, digits and _ - . @ + are allowed");
	}
	return ST_OK;
}

/* Admins left besides `except`. */
static int
admins_besides(struct txn *t, uint64_t except)
{
	struct iter *it = iter_kind(t, KIND_USER, false);
	struct user u;
	uint64_t id;
	int n = 0;

	while (iter_next(it, &id)) {
		if (id != except && iter_rec(it, &u) == ST_OK) {
			if (u.role == ROLE_ADMIN)
				n++;
			rec_free(KIND_USER, &u);
		}
	}
	iter_close(it);
	return n;
}

static enum status
user_write(struct txn *t, void *vctx)
{
	struct user_ctx *c = vctx;
	struct user u;
	struct key k;
	uint64_t id;
	enum status st = ST_OK;
	struct err e = { ST_OK, "" };

	key_init(&k);
	key_str(&k, c->login, true);
	id = idx_find(t, IDX_USER_LOGIN, &k);
	if (c->op == USER_ADD) {
		if (id)
			return txn_fail(t, ST_EXISTS, "user \"%s\" already exists", c->login);
		memset(&u, 0, sizeof u);
		u.login = xstrdup(c->login);
	} else if (id == 0) {
		return txn_fail(t, ST_NOTFOUND, "user \"%s\" not found", c->login);
	} else if ((st = rec_get(t, KIND_USER, id, &u)) != ST_OK) {
		return app_fail(t, st, &e);
	}
	/* Never lock everyone out. */
	if (id && u.role == ROLE_ADMIN && (c->op == USER_REMOVE || c->role != ROLE_ADMIN) &&
	    admins_besides(t, id) == 0) {
		rec_free(KIND_USER, &u);
		return txn_fail(t, ST_DATA, "user \"%s\" is the last admin: make another admin first", c->login);
	}
	if (c->op == USER_REMOVE) {
		rec_free(KIND_USER, &u);
		rec_del(t, KIND_USER, id);
		return txn_status(t);
	}
	/* A portal login is a partner's, reached over SSH with a password:
	 * it must never become staff (nor staff a portal login). */
	if (c->op == USER_ROLE && (u.role == ROLE_PARTNER) != (c->role == ROLE_PARTNER)) {
		bool portal = u.role == ROLE_PARTNER;
		rec_free(KIND_USER, &u);
		return txn_fail(t, ST_USAGE, portal ?
		    "role: \"%s\" is a partner's portal login and cannot be given a staff role" :
		    "role: \"%s\" is a staff login and cannot become a portal login", c->login);
	}
	u.role = c->role;
	if (u.role == ROLE_PARTNER) {
		if (c->partner) {
			st = app_resolve(t, KIND_PARTNER, c->partner, &u.partner, &e);
			if (st != ST_OK)
				err_prefix(&e, "partner");
		} else if (u.partner == 0) {
			st = txn_fail(t, ST_USAGE, "partner: a partner user needs --partner");
		}
	} else {
		u.partner = 0;
	}
	if (st == ST_OK)
		rec_put(t, KIND_USER, &u);
	c->id = u.id;
	rec_free(KIND_USER, &u);
	return app_fail(t, st, &e);
}

static enum status
parse_role(const char *s, int *role, struct err *e)
{
	enum role r;

	if (s == NULL)
		return err_set(e, ST_USAGE, "role: missing (--role admin|manager|support|partner)");
	if (!role_parse(s, &r))
		return err_set(e, ST_DATA, "role: \"%s\" must be admin, manager, support or partner", s);
	*role = r;
	return ST_OK;
}

enum status
app_user_add(struct app *a, const char *login, const char *role, const char *partner,
    uint64_t *out_id, struct err *e)
{
	struct user_ctx c = { USER_ADD, login, 0, partner, 0 };
	enum status st;

	if ((st = app_require(a, PERM_ADMIN, e)) != ST_OK || (st = check_login(login, e)) != ST_OK ||
	    (st = parse_role(role, &c.role, e)) != ST_OK)
		return st;
	if (partner && c.role != ROLE_PARTNER)
		return err_set(e, ST_USAGE, "partner: only a partner user has a partner");
	st = app_write(a, PERM_ADMIN, NULL, user_write, &c, e);
	if (st == ST_OK && out_id)
		*out_id = c.id;
	return st;
}

enum status
app_user_set_role(struct app *a, const char *login, const char *role, struct err *e)
{
	struct user_ctx c = { USER_ROLE, login, 0, NULL, 0 };
	enum status st;

	if ((st = app_require(a, PERM_ADMIN, e)) != ST_OK || (st = parse_role(role, &c.role, e)) != ST_OK)
		return st;
	return app_write(a, PERM_ADMIN, NULL, user_write, &c, e);
}

enum status
app_user_remove(struct app *a, const char *login, struct err *e)
{
	struct user_ctx c = { USER_REMOVE, login, 0, NULL, 0 };

	return app_write(a, PERM_ADMIN, NULL, user_write, &c, e);
}
