/*
 * app.h - ally's use cases: one function per user action.  The only API
 * that ui/ and cli/ use.
 *
 * Each action checks the actor's permission (domain/perm), opens one
 * write transaction (app_write, app_int.h), applies the domain rules and
 * writes through the store.  A session (struct app) is opaque: what it is
 * made of is app/'s own; ui/ and cli/ read it through the accessors.  Inputs come as text, exactly as a person typed them, so the CLI
 * and the TUI's forms share one validation: errors name the field
 * ("window: ...") and the reason.
 */
#ifndef ALLY_APP_APP_H
#define ALLY_APP_APP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/money.h"
#include "core/status.h"
#include "domain/perm.h"
#include "domain/records.h"
#include "store/store.h"

/* A session: a database opened as someone.  Its layout is app/'s own
 * (app_int.h); ui/ and cli/ read it through the accessors below. */
struct app;

/* ---- opening ---- */

/* Where the database is: --db, else $ALLY_DB, else $XDG_DATA_HOME/ally,
 * else ~/.local/share/ally.  Returns a new string. */
char *app_db_path(const char *flag);

enum app_open_flags { APP_RDONLY = 1 };
/*
 * Open the database, load the settings, set the organisation's zone and
 * identify the actor: the Unix account running ally (root may act as
 * another user through $ALLY_USER, for scripts and tests).  An account
 * that is not an ally user is refused with ST_NOPERM.
 */
enum status app_open(const char *db, int flags, struct app **out, struct err *e);
/*
 * A session over an open store, with no look at the environment, the
 * clock or the files around it (app_open and app_portal_open are the glue
 * that do; tests call this directly).  login acts; role APP_ROLE_USER
 * takes the role from login's user record (refusing unknown and partner
 * accounts, as app_open does); any other role acts as that role without a
 * user record (the portal before its login).  flags: APP_SESSION_*.  The
 * session owns s from the call on, also when it fails (s is closed),
 * unless APP_SESSION_BORROW: then the caller closes s after app_close, and
 * may open the next session on it (tests over the in-memory backend, whose
 * data lives only as long as the store).
 */
#define APP_ROLE_USER 0
enum app_session_flags {
	APP_SESSION_AUDIT_KEY = 1,      /* writer: prepare the audit key now */
	APP_SESSION_EXPIRY = 2,         /* sweep expired referrals at each commit */
	APP_SESSION_BORROW = 4,         /* s stays the caller's */
};
enum status app_session_new(struct store *s, const char *login, int role, int flags,
    struct app **out, struct err *e);
void app_close(struct app *a);

/* ---- what a session is ---- */
const char *app_login(const struct app *a);
enum role app_role(const struct app *a);
uint64_t app_user(const struct app *a);
uint64_t app_partner(const struct app *a);     /* a partner user's partner */
const struct settings *app_settings(const struct app *a);
const struct currency *app_currency(const struct app *a);   /* the organisation's */
const char *app_path(const struct app *a);     /* the database directory */
/* Id of the last commit a reader sees now (to notice other processes'
 * writes: a screen loaded after taking it shows at least that commit). */
uint64_t app_version(const struct app *a);
void app_sizes(const struct app *a, uint64_t *file_bytes, uint64_t *map_bytes);
/* A whole number in [min, max] typed into `field` (forms). */
enum status app_int_field(const char *in, int64_t min, int64_t max, int64_t *out,
    const char *field, struct err *e);
/* ST_NOPERM with "you (LOGIN, ROLE) may not DESCRIPTION" unless allowed. */
enum status app_require(const struct app *a, enum perm p, struct err *e);

struct init_input {
	const char *org;
	const char *currency;
	const char *timezone;
};
/* Create a database: settings, the schema version, and the account that
 * ran it as the first admin.  ST_EXISTS if one is there already. */
enum status app_init(const char *db, const struct init_input *in, struct err *e);
/* The same on a store opened (created) by the caller, login the first
 * admin: app_init is the glue that reads the uid and the clock. */
enum status app_init_store(struct store *s, const struct init_input *in, const char *login,
    struct err *e);

/* ---- resolving names given by a user ---- */

/*
 * Find a record from what a user typed: its id with or without the kind's
 * prefix ("PG3", "3"), or its unique name (programs, tiers, partners,
 * users by login) or code (codes).  ST_NOTFOUND "program \"X\" not found".
 */
enum status app_resolve_ref(struct app *a, enum kind k, const char *ref, uint64_t *id,
    struct err *e);
/* Free the strings of a record handed out by app/ (e.g. app_code_new). */
void app_record_free(enum kind k, void *rec);
/* "PG3" into buf (>= 24 bytes). */
char *app_id_str(enum kind k, uint64_t id, char *buf);

/* ---- catalog: programs, tiers, partners, agreements, users, codes ---- */

/* Text inputs; NULL means "not given" (keep the old value on edit, the
 * default on add). */
struct program_input {
	const char *name;
	const char *rule;
	const char *start, *end;        /* YYYY-MM-DD, "" clears */
	const char *window;             /* days */
	const char *events;             /* comma list */
	const char *hold;               /* days */
	const char *landing;
	const char *attribution;        /* first | last */
	const char *currency;
	const char *eligible;           /* customers | partners | both */
	const char *tiers;              /* comma list of tier names/ids, "" = all */
	const char *max_refs;           /* N or N/PERIOD, e.g. 10/month, 0 = none */
	const char *cap;                /* amount per referrer per month */
	bool activate;
	const char *referee_rule;       /* two-sided: the referred contact's reward, "" = none */
	const char *bonus;              /* milestone bonus (domain/bonus.h), "" = none */
	const char *override;           /* a parent partner's share of its sub-partners' lines, "" = none */
};
enum status app_program_save(struct app *a, uint64_t id, const struct program_input *in,
    uint64_t *out_id, struct err *e);
/* draft/paused -> active; active -> paused; any -> ended. */
enum status app_program_set_status(struct app *a, uint64_t id, enum program_status to, struct err *e);

struct tier_input {
	const char *name;
	const char *rule;
	const char *rank;
	const char *exclusivity;
	const char *max_deals;
	const char *bonus;              /* milestone bonus instead of the program's, "" = none */
	const char *override;           /* parents of this tier: their share, "" = the program's */
};
enum status app_tier_save(struct app *a, uint64_t id, const struct tier_input *in,
    uint64_t *out_id, struct err *e);

struct partner_input {
	const char *name;
	const char *email;
	const char *tier;               /* name or id, "" = none */
	const char *kind;
	const char *contact;
	const char *address;
	const char *payout_email;
	const char *notes;
	/* how they are paid (app/payee.h): bank|paypal|wise, "" clears */
	const char *payout_method;
	const char *iban;
	const char *bic;
	const char *holder;
	const char *parent;             /* the partner this one is a sub-partner of, "" = none */
};
enum status app_partner_save(struct app *a, uint64_t id, const struct partner_input *in,
    uint64_t *out_id, struct err *e);
enum status app_partner_set_status(struct app *a, uint64_t id, enum partner_status to, struct err *e);

struct agreement_input {
	const char *partner;
	const char *title;
	const char *signed_on;
	const char *expires;
	const char *document;
};
enum status app_agreement_add(struct app *a, const struct agreement_input *in,
    uint64_t *out_id, struct err *e);

struct code_input {
	const char *program;
	const char *partner;            /* either partner ... */
	const char *customer;           /* ... or a customer's e-mail */
	const char *name;               /* customer's name */
	const char *vanity;
};
/* A new code; *out is the code record (caller frees with rec_free) and
 * link the link to share (caller frees). */
enum status app_code_new(struct app *a, const struct code_input *in, struct code *out,
    char **link, struct err *e);
enum status app_code_set_disabled(struct app *a, const char *code, bool disabled, struct err *e);

enum status app_user_add(struct app *a, const char *login, const char *role,
    const char *partner, uint64_t *out_id, struct err *e);
enum status app_user_set_role(struct app *a, const char *login, const char *role, struct err *e);
enum status app_user_remove(struct app *a, const char *login, struct err *e);

/* ---- events ---- */

struct event_input {
	const char *type;               /* referral | conversion | refund (ingest) */
	const char *code;
	const char *email;
	const char *name;
	const char *event;
	const char *amount;
	const char *currency;
	const char *id;                 /* external id */
	const char *program;            /* refunds; conversions without a code */
	const char *referral;           /* conversions: a referral id */
	const char *at;
	const char *product;            /* conversions, optional: what rule clauses test */
	const char *plan;
	const char *country;
};

enum event_outcome {
	EVENT_RECORDED,         /* new record */
	EVENT_REJECTED,         /* referral recorded as rejected (reason given) */
	EVENT_DUPLICATE,        /* already recorded: nothing changed */
};

struct event_result {
	enum event_outcome outcome;
	enum kind kind;
	uint64_t id;
	char reason[128];       /* for EVENT_REJECTED / non-qualifying conversions */
	bool qualifying;        /* conversions */
};

/* One event in its own transaction. */
enum status app_track(struct app *a, const struct event_input *in, struct event_result *r,
    struct err *e);

/* ---- ingest, import, export ---- */

struct ingest_stats {
	uint64_t lines, recorded, rejected_referrals, duplicates, invalid;
	double seconds;
};
/* JSON Lines from f (name for messages).  Invalid lines go to err_out as
 * "NAME:LINE: reason" and, when rejects != NULL, the raw line to rejects.
 * Returns ST_OK, or ST_DATA when any line was invalid (the valid ones are
 * committed). */
enum status app_ingest(struct app *a, FILE *f, const char *name, FILE *err_out,
    FILE *rejects, struct ingest_stats *stats, struct err *e);

/* How ally import reads a file's header: --map "Partner=name,Owner=email"
 * renames columns, --from affiliatewp|rewardful|tapfiliate|partnerstack
 * takes that tool's export, --strict refuses unknown columns. */
struct import_opts {
	const char *map;
	const char *from;
	bool strict;
};
/* what: partners | referrals | deals | conversions; o may be NULL. */
enum status app_import(struct app *a, const char *what, const char *path,
    const struct import_opts *o, FILE *err_out, struct ingest_stats *stats, struct err *e);

/* ---- maintenance ---- */
/* Walk everything; problems go to out; returns ST_DATA when any. */
enum status app_check(struct app *a, FILE *out, uint64_t *problems, struct err *e);
enum status app_backup(struct app *a, const char *path, struct err *e);

struct demo_stats { uint64_t programs, partners, referrals, conversions; double seconds; };
/* Fill a new database with realistic sample data around `size` referrals. */
enum status app_demo(const char *db, uint64_t size, struct demo_stats *st, struct err *e);

/* ---- webhooks (webhook.c) ---- */

/* Every event name an endpoint may subscribe to, NULL-terminated. */
extern const char *const webhook_event_names[];

struct webhook_input {
	const char *url;                /* http:// or https:// */
	const char *events;             /* comma-separated names of webhook_event_names */
	const char *secret_file;        /* NULL: generate one */
};
/*
 * Add an endpoint (admin).  ST_DATA naming the field for a URL of another
 * scheme, an unknown event or an unusable secret file, ST_NOINPUT for one
 * that cannot be read.  When no file is given a secret is generated and
 * handed out in *secret (the only time it is shown: the caller wipes and
 * frees it), else *secret is NULL.
 */
enum status app_webhook_add(struct app *a, const struct webhook_input *in, uint64_t *id,
    char **secret, struct err *e);
struct row;
/* The endpoints, without their secrets: id, url, events, pending, failing,
 * delivered, last delivery. */
enum status app_webhook_list(struct app *a, enum status (*fn)(void *ctx, const struct row *r),
    void *ctx, struct err *e);
/* Remove an endpoint and its undelivered deliveries (*dropped of them). */
enum status app_webhook_remove(struct app *a, const char *ref, uint64_t *id, unsigned *dropped,
    struct err *e);
/* Queue a "webhook.test" delivery for one endpoint (its data: the
 * endpoint's fields, the secret only as "(set)"); *delivery is its id. */
enum status app_webhook_test(struct app *a, const char *ref, uint64_t *delivery, struct err *e);

/* What webhook send did with one delivery. */
struct webhook_report {
	uint64_t id;
	const char *url;
	const char *event;
	enum status st;
	const char *error;              /* st != ST_OK */
	int attempts;
	int64_t next_at;                /* the next try, after a failure */
};
/*
 * Send what is due: per endpoint, its oldest undelivered delivery, claimed
 * first with a lease so two workers never send the same one; a 2xx answer
 * marks it delivered and lets the next one of the endpoint go, anything
 * else puts it back with a backoff (30 s, doubling, at most an hour)
 * while the other endpoints carry on.  timeout: seconds for one POST.
 * ST_OK when all that was due went out, else the first failure's status
 * (each one reported).  ST_UNAVAILABLE before claiming anything when
 * libcurl cannot be loaded.
 */
enum status app_webhook_send(struct app *a, long timeout,
    void (*report)(void *ctx, const struct webhook_report *r), void *ctx, struct err *e);
/* The deliveries, oldest first; failed: only those not delivered whose
 * last attempt failed. */
enum status app_webhook_deliveries(struct app *a, bool failed,
    enum status (*fn)(void *ctx, const struct row *r), void *ctx, struct err *e);

/* ---- the change log as a stream (changes.c) ---- */

/* One entry of the change log (an audit entry), as ally events prints it. */
struct app_change {
	uint64_t seq;                   /* the entry's number: A12 is 12 */
	int64_t at;
	const char *actor;
	const char *action;             /* "commission approve", ... */
	const char *kind;               /* "commission", NULL when it names no record */
	const char *record;             /* "C12", NULL likewise */
	const char *after;              /* the fields after, as JSON; NULL for a deletion */
};
/*
 * Hand fn the entries after `since`, oldest first, at most max of them, in
 * one short read transaction; fn returning false stops.  *last is the last
 * one handed out (since when none); *version (when not NULL) the commit
 * that transaction saw, to hand app_wait_commit.  Staff who read
 * commissions may.
 */
enum status app_changes(struct app *a, uint64_t since, size_t max,
    bool (*fn)(void *ctx, const struct app_change *c), void *ctx, uint64_t *last,
    uint64_t *version, struct err *e);
/* Wait, holding no transaction, until something commits after version
 * (app_changes' *version, or app_version) or timeout_ms pass (-1: for as long as it takes); true when
 * it did. */
bool app_wait_commit(struct app *a, uint64_t version, int timeout_ms);

#endif
