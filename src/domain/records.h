/*
 * records.h - the records ally keeps, as plain C structs.
 *
 * No I/O here: store/ encodes these, app/ fills them, domain/ reasons about
 * them.  Every record has a numeric id, shown to users with its kind's
 * prefix (see kind_prefix), and created/updated times plus the actor who
 * made the last change.  Strings are heap-allocated (free with record_free
 * through store/), NULL meaning "not set".
 */
#ifndef ALLY_DOMAIN_RECORDS_H
#define ALLY_DOMAIN_RECORDS_H

#include <stdbool.h>
#include <stdint.h>

enum kind {
	KIND_SETTINGS,
	KIND_USER,
	KIND_PROGRAM,
	KIND_TIER,
	KIND_PARTNER,
	KIND_AGREEMENT,
	KIND_REFERRER,
	KIND_CODE,
	KIND_REFERRAL,
	KIND_CONVERSION,
	KIND_REFUND,
	KIND_COMMISSION,
	KIND_PAYOUT,
	KIND_AUDIT,
	KIND_MAIL,
	KIND_INVITATION,
	KIND_DEAL,
	KIND_PARTNER_KEY,
	KIND_REWARD,
	KIND_WEBHOOK,
	KIND_DELIVERY,
	KIND__COUNT
};

/* Id prefix of a kind: "PG" program, "P" partner, ... ("" for settings). */
const char *kind_prefix(enum kind k);
/* Human name: "program", "partner", ... */
const char *kind_name(enum kind k);

struct meta {
	int64_t created;
	int64_t updated;
	char *actor;            /* login of who made the last change */
};

enum role { ROLE_ADMIN = 1, ROLE_MANAGER, ROLE_SUPPORT, ROLE_PARTNER };
const char *role_name(enum role r);
bool role_parse(const char *s, enum role *r);

struct settings {
	uint64_t id;            /* always 1 */
	char *org;
	char currency[4];
	char *timezone;
	char *deal_rule;        /* default rule for won deals, NULL = none */
	struct meta m;
	/* the debtor of SEPA payout files (appended) */
	char *debtor_name;
	char *debtor_iban;
	char *debtor_bic;
};

struct user {
	uint64_t id;
	char *login;            /* Unix account name, or portal login (e-mail) */
	int32_t role;           /* enum role */
	uint64_t partner;       /* for ROLE_PARTNER */
	char *pw_hash;          /* Argon2id string, portal users only */
	struct meta m;
	/* portal logins (appended: older records decode with zeros) */
	int32_t failures;       /* failed logins in a row */
	int64_t failed_at;      /* the last one */
	int64_t locked_at;      /* locked after too many; 0 = not locked */
	int64_t login_at;       /* the last successful login */
	char *login_from;       /* SSH source address of the last portal login attempt */
};

enum program_status { PROGRAM_DRAFT = 0, PROGRAM_ACTIVE, PROGRAM_PAUSED, PROGRAM_ENDED };
const char *program_status_name(int32_t s);

enum attribution { ATTR_FIRST = 0, ATTR_LAST };

/* Who may refer: bit set. */
#define ELIG_CUSTOMERS 1
#define ELIG_PARTNERS  2

struct program {
	uint64_t id;
	char *name;
	int32_t status;         /* enum program_status */
	int64_t start;          /* first instant, 0 = open */
	int64_t end;            /* first instant after, 0 = open */
	char *landing;          /* URL, or template with {code} */
	char *events;           /* qualifying events, comma-separated */
	int32_t window_days;
	int32_t attribution;    /* enum attribution */
	int32_t eligible;       /* ELIG_* bits */
	char *tiers;            /* allowed partner tier ids, comma-separated; NULL = all */
	int32_t max_refs;       /* per referrer per period, 0 = unlimited */
	int32_t max_period;     /* enum period of max_refs */
	char *rule;             /* commission rule text, as written */
	int64_t cap;            /* per referrer per month, minor units, 0 = none */
	int32_t hold_days;
	char currency[4];
	struct meta m;
	/* two-sided programs (appended): what the referred contact earns on
	 * their first qualifying conversion, NULL = nothing */
	char *referee_rule;
	/* a milestone bonus (domain/bonus.h), NULL = none (appended) */
	char *bonus;
	/* a parent partner's share of its sub-partners' lines, basis
	 * points, 0 = none (appended) */
	int32_t override_bp;
};

struct tier {
	uint64_t id;
	char *name;
	int32_t rank;
	char *rule;             /* NULL = program's rule applies */
	int32_t exclusivity_days;
	int32_t max_deals;      /* 0 = unlimited */
	struct meta m;
	/* a milestone bonus paid instead of the program's, NULL = the
	 * program's applies (appended) */
	char *bonus;
	/* a parent partner of this tier takes this share of its
	 * sub-partners' lines instead of the program's, 0 = the program's */
	int32_t override_bp;
};

enum partner_kind { PKIND_RESELLER = 0, PKIND_AFFILIATE, PKIND_AGENCY, PKIND_INTEGRATION };
const char *partner_kind_name(int32_t k);
bool partner_kind_parse(const char *s, int32_t *k);

enum partner_status { PARTNER_INVITED = 0, PARTNER_ACTIVE, PARTNER_SUSPENDED };
const char *partner_status_name(int32_t s);

struct partner {
	uint64_t id;
	char *name;
	int32_t kind;
	uint64_t tier;          /* 0 = none */
	char *contact;
	char *email;
	char *address;
	char *payout_email;
	char *notes;
	int32_t status;
	struct meta m;
	/* how they are paid (appended: older records decode with zeros) */
	int32_t payout_method;  /* enum payout_method (app/payee.h), 0 = not set */
	char *iban;             /* upper case, no blanks */
	char *bic;
	char *holder;           /* the account holder, NULL = the partner's name */
	/* the agency or distributor this partner is a sub-partner of, 0 =
	 * none; one level only (appended) */
	uint64_t parent;
	int64_t parent_since;   /* when it was set: lines made before have no override */
};

struct agreement {
	uint64_t id;
	uint64_t partner;
	char *title;
	int64_t signed_at;
	int64_t expires;        /* 0 = none */
	char *document;         /* path or URL */
	struct meta m;
};

enum referrer_kind { REFERRER_CUSTOMER = 0, REFERRER_PARTNER };

struct referrer {
	uint64_t id;
	int32_t kind;           /* enum referrer_kind */
	uint64_t partner;       /* for REFERRER_PARTNER */
	char *email;            /* normalised; customers */
	char *name;
	struct meta m;
};

struct code {
	uint64_t id;
	char *code;             /* upper-case */
	uint64_t program;
	uint64_t referrer;
	int32_t disabled;
	int32_t vanity;
	struct meta m;
};

enum referral_status { REFERRAL_PENDING = 0, REFERRAL_CONVERTED, REFERRAL_EXPIRED, REFERRAL_REJECTED };
const char *referral_status_name(int32_t s);

struct referral {
	uint64_t id;
	uint64_t program;
	uint64_t code;
	uint64_t referrer;
	char *email;            /* referred contact, normalised */
	char *name;
	int64_t at;
	int32_t status;
	char *reason;           /* why rejected / expired */
	struct meta m;
	/* its qualifying conversions, so the next one's place is known without
	 * a walk (appended: older records decode with zeros) */
	int64_t conv_count;     /* qualifying conversions */
	int64_t conv_first;     /* the time of the first of them, 0 = none */
	int64_t conv_last;      /* the latest time of any conversion that could qualify */
};

struct conversion {
	uint64_t id;
	uint64_t program;
	uint64_t referral;
	uint64_t referrer;
	char *event;
	int64_t amount;         /* minor units */
	char currency[4];
	int64_t at;
	char *ext_id;
	int64_t refunded;       /* minor units refunded so far */
	int32_t qualifying;     /* earns commission (event + window or duration + referral ok) */
	struct meta m;
	/* what rule clauses test (appended: older records decode with zeros) */
	char *product;          /* lower-case, NULL = not given */
	char *plan;             /* lower-case, NULL = not given */
	char *country;          /* ISO 3166 alpha-2, upper-case, NULL = not given */
	int64_t ordinal;        /* place among its referral's qualifying conversions, 1 = first; 0 = none */
	int64_t first_at;       /* the time of its referral's first qualifying conversion */
};

struct refund {
	uint64_t id;
	uint64_t program;
	uint64_t conversion;
	int64_t amount;
	int64_t at;
	struct meta m;
};

/* A bonus line (app/bonus.c) has no conversion: it belongs to its
 * referrer's bonus period (period_start).  An adjustment of a bonus line
 * is kind LINE_BONUS too, with `original` set, so a period's bonus lines
 * are found together and never mixed with a conversion's.  An override
 * line (app/override.c) is a parent partner's share of one of its
 * sub-partners' lines: `original` is that line, and every override line
 * following it (the first, and any for later changes) points there. */
enum commission_kind { LINE_COMMISSION = 0, LINE_ADJUSTMENT, LINE_BONUS, LINE_OVERRIDE };
enum commission_status {
	COMMISSION_PENDING = 0,
	COMMISSION_APPROVED,
	COMMISSION_REJECTED,
	COMMISSION_PAID,
	COMMISSION_REVERSED
};
const char *commission_status_name(int32_t s);
/* "commission", "adjustment" or "bonus" (an adjustment of a bonus line is
 * an "adjustment"), as lists, JSON and statements name a line. */
const char *commission_kind_name(int32_t kind, uint64_t original);
bool commission_status_parse(const char *s, int32_t *out);

/* One line of the ledger: a commission earned by a conversion (or a won
 * deal), or an adjustment (positive or negative) pointing at one. */
struct commission {
	uint64_t id;
	int32_t kind;           /* enum commission_kind */
	int32_t status;         /* enum commission_status */
	uint64_t program;
	uint64_t referrer;      /* who earns it */
	uint64_t partner;       /* the referrer's partner, 0 for customers */
	uint64_t conversion;    /* 0 for deals */
	uint64_t deal;
	uint64_t original;      /* adjustments: the line they adjust */
	int64_t period_start;   /* the tier period the line belongs to */
	int64_t basis;          /* the value the line was computed on, minor units */
	int64_t amount;         /* minor units, signed for adjustments */
	char currency[4];
	char *rule;             /* rule text applied */
	char *explain;          /* the arithmetic, line by line */
	int64_t earned_at;      /* conversion / win time */
	int64_t hold_until;
	int64_t decided_at;     /* approved or rejected */
	char *decided_by;
	char *reason;           /* rejection reason or hold override reason */
	uint64_t payout;        /* batch that paid it */
	int64_t paid_at;
	struct meta m;
};

enum payout_status { PAYOUT_EXPORTED = 0, PAYOUT_PAID };

struct payout {
	uint64_t id;
	int32_t status;
	int64_t cutoff;
	char *partners;         /* selection as given, NULL = all */
	int64_t minimum;
	int64_t total;
	int64_t lines;
	char currency[4];
	char *checksum;
	char *csv;              /* path of the accounts-payable CSV */
	int64_t paid_at;
	struct meta m;
};

/* One entry of the audit log; each carries the hash of the one before. */
struct audit {
	uint64_t id;
	int64_t at;
	char *actor;
	char *action;           /* "program add", "commission approve", ... */
	int32_t kind;           /* enum kind of the record changed */
	uint64_t record;
	char *before;           /* JSON of the fields, NULL for an insert */
	char *after;            /* NULL for a delete */
	char *prev_hash;        /* hex */
	char *hash;             /* hex SHA-256 of prev_hash and this entry */
	struct meta m;
};

enum mail_state { MAIL_QUEUED = 0, MAIL_SENDING, MAIL_SENT, MAIL_FAILED };
const char *mail_state_name(int32_t s);

/* A message in the outbox, rendered when queued. */
struct mail {
	uint64_t id;
	int32_t state;
	char *template;         /* "invitation", "statement", ... */
	uint64_t partner;
	char *to_addr;
	char *to_name;
	char *subject;
	char *text;
	char *html;
	char *message_id;
	int32_t attempts;
	int64_t next_at;        /* when it is due (again) */
	char *last_error;
	char *owner;            /* sender that claimed it */
	int64_t lease_until;
	int64_t sent_at;
	struct meta m;
	char *errors;           /* one line per failed attempt: "TIME #N: why" */
	uint64_t invitation;    /* the invitation whose code is drawn at sending, or 0 */
};

enum deal_stage {
	DEAL_SUBMITTED = 0,
	DEAL_APPROVED,
	DEAL_REJECTED,
	DEAL_CONFLICT,
	DEAL_WON,
	DEAL_LOST,
	DEAL_EXPIRED
};
const char *deal_stage_name(int32_t s);
bool deal_stage_parse(const char *s, int32_t *out);

/* A deal: registered by a partner to claim it, or a direct one from the
 * company's own pipeline. */
struct deal {
	uint64_t id;
	int32_t direct;         /* 1: direct deal, 0: partner registration */
	uint64_t partner;
	char *company;
	char *company_key;      /* normalised, for conflicts */
	char *domain;           /* normalised */
	char *contact;
	int64_t value;          /* estimated, minor units */
	char currency[4];
	int64_t close_date;
	char *notes;
	int32_t stage;
	char *reason;           /* rejection or conflict, shown to the partner */
	int64_t approved_at;
	int64_t exclusive_until;
	int64_t final_value;
	int64_t won_at;
	int64_t closed_at;      /* won, lost, rejected or expired */
	struct meta m;
};

/* A one-time code that lets a partner's contact set a portal password. */
struct invitation {
	uint64_t id;
	uint64_t partner;
	char *email;
	char *code_hash;        /* hex hash of the code; the code itself is never stored */
	int64_t expires;
	int64_t used_at;
	int64_t voided_at;
	struct meta m;
};

/* An SSH public key that lets a partner into the portal without a
 * password (ally partner key add; sshd's AuthorizedKeysCommand). */
struct partner_key {
	uint64_t id;
	uint64_t partner;
	char *type;             /* "ssh-ed25519", ... */
	char *blob;             /* the key, base64 as in the .pub file */
	char *comment;          /* the .pub file's comment, visible form */
	char *fingerprint;      /* "SHA256:..." as ssh-keygen -l prints it */
	struct meta m;
};

/* A referee reward: what a two-sided program owes the referred contact
 * (DESIGN.md section 3).  Approved like a commission, never paid in cash:
 * the billing system is handed the approved ones (ally export rewards)
 * and `ally reward mark-issued` records that it credited them. */
enum reward_status {
	REWARD_PENDING = 0,
	REWARD_APPROVED,
	REWARD_REJECTED,
	REWARD_ISSUED,
	REWARD_REVERSED
};
const char *reward_status_name(int32_t s);

struct reward {
	uint64_t id;
	int32_t kind;           /* enum commission_kind: the reward or an adjustment of it */
	int32_t status;         /* enum reward_status */
	uint64_t program;
	uint64_t referral;      /* whose contact is owed */
	uint64_t referrer;      /* who referred them (the timeline it shows on) */
	uint64_t conversion;
	uint64_t original;      /* adjustments: the reward they adjust */
	char *email;            /* the referred contact */
	int64_t basis;          /* the value it was computed on, minor units */
	int64_t amount;         /* minor units, signed for adjustments */
	char currency[4];
	char *rule;
	char *explain;
	int64_t earned_at;
	int64_t hold_until;
	int64_t decided_at;
	char *decided_by;
	char *reason;
	int64_t issued_at;
	struct meta m;
};

/* A webhook endpoint: where events are POSTed, which ones, and the secret
 * they are signed with (a field named "secret": rec_to_json shows only
 * whether it is set, so it never reaches the audit log). */
struct webhook {
	uint64_t id;
	char *url;              /* http:// or https:// */
	char *events;           /* comma-separated event names, as checked at add */
	char *secret;           /* the HMAC-SHA-256 key */
	struct meta m;
	/* kept by webhook send, for the list and the TUI (never audited) */
	int64_t delivered;      /* deliveries that got a 2xx */
	int64_t failures;       /* attempts that did not */
	int64_t last_at;        /* the last attempt's end */
	int32_t last_code;      /* its HTTP status, 0 when none came */
	char *last_error;       /* its error, NULL when it was delivered */
};

enum delivery_state { DELIVERY_QUEUED = 0, DELIVERY_SENDING, DELIVERY_DELIVERED };
const char *delivery_state_name(int32_t s);

/* One event for one endpoint, queued in the transaction of the change. */
struct delivery {
	uint64_t id;
	uint64_t webhook;
	char *event;            /* "referral", "commission.approved", ... */
	int32_t kind;           /* enum kind of the record changed */
	uint64_t record;
	char *data;             /* the record's fields after the change (rec_to_json) */
	int32_t state;          /* enum delivery_state */
	int32_t attempts;
	int64_t next_at;        /* when it may be tried (again) */
	int64_t claimed_until;  /* a worker's lease (DELIVERY_SENDING) */
	char *owner;            /* that worker, host:pid */
	int64_t delivered_at;
	int32_t last_code;      /* the last HTTP status, 0 when none came */
	char *last_error;
	struct meta m;
};

#endif
