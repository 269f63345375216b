/*
 * keys.c - partners' SSH public keys (see portal.h): adding, listing and
 * removing them (admins), and the lookup sshd's AuthorizedKeysCommand
 * makes through "ally portal authorized-keys".
 *
 * A key is taken only as one OpenSSH public key line "TYPE BASE64
 * [COMMENT]" of a known type whose base64 decodes to a blob that starts
 * with the same type name (the SSH wire format), so what is stored is a
 * key and nothing else.  The fingerprint is ssh-keygen's: SHA-256 of the
 * blob in unpadded base64 after "SHA256:"; it is unique in the database,
 * so one key always means one partner.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/portal.h"
#include "app/app_int.h"
#include "core/alloc.h"
#include "core/str.h"
#include "core/utf8.h"

#define KEY_TEXT_MAX 16384
#define COMMENT_MAX 200

static const char *const key_types[] = {
	"ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
	"ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com",
	"sk-ecdsa-sha2-nistp256@openssh.com", NULL
};

static bool
known_type(const char *t)
{
	size_t i;

	for (i = 0; key_types[i] != NULL; i++)
		if (strcmp(t, key_types[i]) == 0)
			return true;
	return false;
}

/* "SHA256:..." of the decoded blob into fp; false when b64 is not a key
 * blob of a known type (written to type when not NULL). */
static bool
blob_check(const char *b64, char type[64], char fp[64])
{
	size_t len = strlen(b64), bin_len = 0, tlen;
	unsigned char *bin, h[crypto_hash_sha256_BYTES];
	bool ok = false;

	if (len == 0 || len > KEY_TEXT_MAX)
		return false;
	bin = xmalloc(len);
	if (sodium_base642bin(bin, len, b64, len, NULL, &bin_len, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || bin_len < 4)
		goto out;
	tlen = (size_t)bin[0] << 24 | (size_t)bin[1] << 16 | (size_t)bin[2] << 8 | bin[3];
	if (tlen == 0 || tlen >= 64 || tlen + 4 >= bin_len)
		goto out;
	memcpy(type, bin + 4, tlen);
	type[tlen] = '\0';
	if (strlen(type) != tlen || !known_type(type))
		goto out;
	crypto_hash_sha256(h, bin, bin_len);
	memcpy(fp, "SHA256:", 7);
	sodium_bin2base64(fp + 7, 64 - 7, h, sizeof h, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	ok = true;
out:
	free(bin);
	return ok;
}

struct parsed_key {
	char type[64];
	char *blob;
	char *comment;
	char fp[64];
};

/* One OpenSSH public key line, with the field and reason when not. */
static enum status
key_parse(const char *text, struct parsed_key *k, struct err *e)
{
	const char *p, *end, *sp;
	char word[64], blob_type[64];
	size_t n;

	memset(k, 0, sizeof k[0]);
	if (text == NULL || strlen(text) > KEY_TEXT_MAX)
		return err_set(e, ST_DATA, "key: not an OpenSSH public key (more than %d bytes)", KEY_TEXT_MAX);
	if (strncmp(text, "-----BEGIN", 10) == 0 || strstr(text, "PRIVATE KEY") != NULL)
		return err_set(e, ST_DATA, "key: this looks like a private key: give the .pub file");
	end = text + strlen(text);
	while (end > text && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	for (p = text; p < end; p++)
		if (*p == '\n' || *p == '\r')
			return err_set(e, ST_DATA, "key: more than one line (give one public key, a .pub file)");
	p = text;
	n = strcspn(p, " \t\r\n");
	if (n == 0 || n >= sizeof word || p + n >= end)
		return err_set(e, ST_DATA, "key: not an OpenSSH public key line (TYPE BASE64 [COMMENT])");
	memcpy(word, p, n);
	word[n] = '\0';
	if (!known_type(word))
		return err_set(e, ST_DATA, "key: unknown key type (ssh-ed25519, ssh-rsa, ecdsa-sha2-*, sk-*)");
	snprintf(k->type, sizeof k->type, "%s", word);
	p += n;
	p += strspn(p, " \t");
	sp = p + strcspn(p, " \t\r\n");
	if (sp > end)
		sp = end;
	k->blob = xstrndup(p, (size_t)(sp - p));
	if (!blob_check(k->blob, blob_type, k->fp) || strcmp(blob_type, k->type) != 0) {
		free(k->blob);
		k->blob = NULL;
		return err_set(e, ST_DATA, "key: the base64 part is not a %s key", k->type);
	}
	p = sp + strspn(sp, " \t");
	if (p < end) {
		k->comment = xstrndup(p, (size_t)(end - p));
		for (p = k->comment; *p; p++) {
			if ((unsigned char)*p < 0x20 || *p == 0x7f) {
				free(k->blob);
				free(k->comment);
				memset(k, 0, sizeof k[0]);
				return err_set(e, ST_DATA, "key: the comment holds a control character");
			}
		}
		if (!utf8_valid(k->comment) || strlen(k->comment) > COMMENT_MAX) {
			free(k->blob);
			free(k->comment);
			memset(k, 0, sizeof k[0]);
			return err_set(e, ST_DATA, "key: the comment must be UTF-8 text of at most %d bytes",
			    COMMENT_MAX);
		}
	}
	return ST_OK;
}

/* ---- add ---- */

struct kadd_ctx {
	uint64_t partner;
	struct parsed_key *k;
	uint64_t id;
};

static enum status
kadd_write(struct txn *t, void *vctx)
{
	struct kadd_ctx *c = vctx;
	struct partner_key pk;
	struct partner p;
	struct key k;
	uint64_t other;

	if (rec_get(t, KIND_PARTNER, c->partner, &p) != ST_OK)
		return txn_status(t);
	rec_free(KIND_PARTNER, &p);
	key_init(&k);
	key_str(&k, c->k->fp, false);
	if ((other = idx_find(t, IDX_KEY_FINGERPRINT, &k)) != 0) {
		struct partner_key ok;
		uint64_t owner = 0;
		if (rec_get(t, KIND_PARTNER_KEY, other, &ok) == ST_OK) {
			owner = ok.partner;
			rec_free(KIND_PARTNER_KEY, &ok);
		}
		if (owner == c->partner)
			return txn_fail(t, ST_CONFLICT, "key: %s is registered for P%llu already (SK%llu)",
			    c->k->fp, (unsigned long long)owner, (unsigned long long)other);
		return txn_fail(t, ST_CONFLICT, "key: %s is another partner's key (P%llu): one key, one partner",
		    c->k->fp, (unsigned long long)owner);
	}
	memset(&pk, 0, sizeof pk);
	pk.partner = c->partner;
	pk.type = xstrdup(c->k->type);
	pk.blob = xstrdup(c->k->blob);
	pk.comment = c->k->comment != NULL ? xstrdup(c->k->comment) : NULL;
	pk.fingerprint = xstrdup(c->k->fp);
	rec_put(t, KIND_PARTNER_KEY, &pk);
	c->id = pk.id;
	rec_free(KIND_PARTNER_KEY, &pk);
	return txn_status(t);
}

enum status
app_partner_key_add(struct app *a, const char *partner, const char *text, uint64_t *id,
    char fp[64], struct err *e)
{
	struct parsed_key k;
	struct kadd_ctx c;
	enum status st;

	*id = 0;
	fp[0] = '\0';
	if ((st = app_require(a, PERM_PARTNER_WRITE, e)) != ST_OK)
		return st;
	memset(&c, 0, sizeof c);
	if ((st = app_resolve_ref(a, KIND_PARTNER, partner, &c.partner, e)) != ST_OK)
		return st;
	if (sodium_init() < 0)
		return err_set(e, ST_SOFTWARE, "libsodium: cannot start");
	if ((st = key_parse(text, &k, e)) != ST_OK)
		return st;
	c.k = &k;
	st = app_write(a, PERM_PARTNER_WRITE, "partner key add", kadd_write, &c, e);
	if (st == ST_OK) {
		*id = c.id;
		snprintf(fp, 64, "%s", k.fp);
	}
	free(k.blob);
	free(k.comment);
	return st;
}

/* ---- list ---- */

static uint64_t *
partner_keys(struct txn *t, uint64_t partner, size_t *n)
{
	struct key k;
	struct iter *it;
	uint64_t id, *ids = NULL;
	size_t cap = 0;

	*n = 0;
	key_init(&k);
	key_u64(&k, partner);
	it = iter_index(t, IDX_KEY_PARTNER, &k, false);
	while (iter_next(it, &id)) {
		ids = xgrow(ids, &cap, *n + 1, sizeof *ids);
		ids[(*n)++] = id;
	}
	iter_close(it);
	return ids;
}

enum status
app_partner_key_list(struct app *a, const char *partner, row_fn fn, void *ctx, struct err *e)
{
	struct txn *t;
	uint64_t pid, *ids;
	size_t n, i;
	enum status st;

	if ((st = app_require(a, PERM_PARTNER_READ, e)) != ST_OK ||
	    (st = app_resolve_ref(a, KIND_PARTNER, partner, &pid, e)) != ST_OK)
		return st;
	t = txn_begin_read(a->store);
	ids = partner_keys(t, pid, &n);
	for (i = 0; st == ST_OK && i < n; i++) {
		struct partner_key pk;
		struct row r;

		if (rec_get(t, KIND_PARTNER_KEY, ids[i], &pk) != ST_OK)
			continue;
		if (pk.partner == pid) {
			memset(&r, 0, sizeof r);
			r.c[0] = (struct cell){ .name = "id", .type = CELL_STR,
				.s = app_id_str(KIND_PARTNER_KEY, pk.id, r.buf[0]) };
			r.c[1] = (struct cell){ .name = "fingerprint", .type = CELL_STR, .s = pk.fingerprint };
			r.c[2] = (struct cell){ .name = "type", .type = CELL_STR, .s = pk.type };
			r.c[3] = (struct cell){ .name = "comment", .type = CELL_STR, .s = pk.comment };
			r.c[4] = (struct cell){ .name = "added", .type = CELL_TIME, .i = pk.m.created };
			r.n = 5;
			st = fn(ctx, &r);
		}
		rec_free(KIND_PARTNER_KEY, &pk);
	}
	free(ids);
	if (st == ST_OK)
		st = util_txn_err(t, e);
	txn_end(t);
	return st;
}

/* ---- remove ---- */

struct kdel_ctx {
	uint64_t partner;
	const char *which;
	uint64_t id;
};

/* The key `which` names among the partner's: SK3, 3 or its fingerprint. */
static uint64_t
key_named(struct txn *t, uint64_t partner, const char *which)
{
	const char *p = which;
	uint64_t *ids, found = 0;
	size_t n, i;

	if ((p[0] == 'S' || p[0] == 's') && (p[1] == 'K' || p[1] == 'k'))
		p += 2;
	ids = partner_keys(t, partner, &n);
	for (i = 0; found == 0 && i < n; i++) {
		struct partner_key pk;
		char num[24];

		if (rec_get(t, KIND_PARTNER_KEY, ids[i], &pk) != ST_OK)
			continue;
		snprintf(num, sizeof num, "%llu", (unsigned long long)pk.id);
		if (pk.partner == partner && (strcmp(pk.fingerprint, which) == 0 || strcmp(num, p) == 0))
			found = pk.id;
		rec_free(KIND_PARTNER_KEY, &pk);
	}
	free(ids);
	return found;
}

static enum status
kdel_write(struct txn *t, void *vctx)
{
	struct kdel_ctx *c = vctx;

	if ((c->id = key_named(t, c->partner, c->which)) == 0) {
		char *vis = str_visible_cut(c->which, 60);
		txn_fail(t, ST_NOTFOUND, "key \"%s\": not a key of P%llu (see ally partner key list)", vis,
		    (unsigned long long)c->partner);
		free(vis);
		return ST_NOTFOUND;
	}
	rec_del(t, KIND_PARTNER_KEY, c->id);
	return txn_status(t);
}

enum status
app_partner_key_remove(struct app *a, const char *partner, const char *which, uint64_t *id,
    struct err *e)
{
	struct kdel_ctx c;
	enum status st;

	*id = 0;
	if ((st = app_require(a, PERM_PARTNER_WRITE, e)) != ST_OK)
		return st;
	memset(&c, 0, sizeof c);
	if ((st = app_resolve_ref(a, KIND_PARTNER, partner, &c.partner, e)) != ST_OK)
		return st;
	if (which == NULL || *which == '\0')
		return err_set(e, ST_USAGE, "key: missing (a fingerprint SHA256:... or an id SK3)");
	c.which = which;
	if ((st = app_write(a, PERM_PARTNER_WRITE, "partner key remove", kdel_write, &c, e)) == ST_OK)
		*id = c.id;
	return st;
}

/* ---- sshd's lookup ---- */

uint64_t
portal_key_user(struct txn *t, uint64_t key, uint64_t *partner)
{
	struct partner_key pk;
	struct partner p;
	struct iter *it;
	struct user u;
	uint64_t id, found = 0;
	bool open;

	if (partner != NULL)
		*partner = 0;
	if (key == 0 || rec_get(t, KIND_PARTNER_KEY, key, &pk) != ST_OK)
		return 0;
	if (rec_get(t, KIND_PARTNER, pk.partner, &p) != ST_OK) {
		rec_free(KIND_PARTNER_KEY, &pk);
		return 0;
	}
	open = p.status != PARTNER_SUSPENDED;
	rec_free(KIND_PARTNER, &p);
	/* the partner's portal account (the lowest id), as a password login
	 * would find it: revoking removes it, a lock stops it */
	it = iter_kind(t, KIND_USER, false);
	while (open && found == 0 && iter_next(it, &id)) {
		if (iter_rec(it, &u) != ST_OK)
			continue;
		if (u.role == ROLE_PARTNER && u.partner == pk.partner && u.pw_hash != NULL &&
		    u.locked_at == 0)
			found = u.id;
		rec_free(KIND_USER, &u);
	}
	iter_close(it);
	if (found != 0 && partner != NULL)
		*partner = pk.partner;
	rec_free(KIND_PARTNER_KEY, &pk);
	return found;
}

enum status
app_portal_key_lookup(struct app *a, const char *blob, uint64_t *key, char type[64],
    struct err *e)
{
	char fp[64];
	struct txn *t;
	struct key k;
	uint64_t id;

	*key = 0;
	type[0] = '\0';
	if (blob == NULL || !blob_check(blob, type, fp)) {
		type[0] = '\0';
		return ST_OK;   /* not a key we could hold: no line */
	}
	t = txn_begin_read(a->store);
	key_init(&k);
	key_str(&k, fp, false);
	id = idx_find(t, IDX_KEY_FINGERPRINT, &k);
	if (id != 0 && portal_key_user(t, id, NULL) != 0)
		*key = id;
	txn_end(t);
	(void)e;
	return ST_OK;
}
