/*
 * app_int.h - what only app/'s files share, and nothing outside app/
 * includes: the layout of a session (struct app), the one way a use case
 * writes (app_write), the field checks every use case runs on its inputs
 * (util.c), and the functions that work inside a caller's transaction.
 *
 * The one idea: a use case is a permission, an action name and a callback
 * over one write transaction; the callback reports through the
 * transaction's sticky error (txn_fail) and nothing else, so a failure
 * has one message and aborts everything it wrote.
 */
#ifndef ALLY_APP_APP_INT_H
#define ALLY_APP_APP_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "app/deals.h"
#include "app/ledger.h"
#include "app/outbox.h"
#include "core/money.h"
#include "core/str.h"
#include "domain/rule.h"
#include "store/store.h"

struct app {
	struct store *store;
	bool borrowed;                  /* APP_SESSION_BORROW: the caller closes store */
	struct settings settings;
	const struct currency *cur;     /* organisation's currency */
	char *login;
	enum role role;
	uint64_t user;
	uint64_t partner;               /* a partner user's partner */
	bool expiry;                    /* APP_SESSION_EXPIRY: sweep at each commit */
	/* override.c: the sub-partner lines this transaction wrote */
	struct {
		uint64_t *v;
		size_t n, cap;
		bool cached;            /* partner -> parent, for this transaction */
		uint64_t partner, parent;
		int64_t since;          /* the parent's since (partner.parent_since) */
		int8_t any;             /* override lines in the database: 0 not known, 1 none, 2 some */
	} ov;
};

/* ---- writing ---- */

/* app_write's permission for actions any session may take (the portal's
 * login bookkeeping, which checks who is asking itself). */
#define APP_ANYONE ((enum perm)-1)

/*
 * The shape of every use case that writes: check that the actor holds p
 * (unless APP_ANYONE), run fn in a write transaction (again after the map
 * grew), naming the transaction `action` for the audit log when not NULL,
 * and commit.  fn reports a failure through txn_fail (or app_fail) only;
 * its message becomes e's.
 */
enum status app_write(struct app *a, enum perm p, const char *action,
    enum status (*fn)(struct txn *t, void *ctx), void *ctx, struct err *e);
/* A callback's way out after helpers that report into a struct err (the
 * field checks, app_resolve): st when it failed, with e's message put in
 * t unless t carries an error already; else t's status. */
enum status app_fail(struct txn *t, enum status st, const struct err *e);

/* ---- inside a caller's transaction ---- */

/* Find a record from what a user typed (see app_resolve_ref). */
enum status app_resolve(struct txn *t, enum kind k, const char *ref, uint64_t *id, struct err *e);
/* app_track inside a caller's write transaction (ingest, import, demo).
 * Data errors are returned with e set and do NOT fail t, so a batch can
 * carry on with its other lines. */
enum status app_track_in(struct app *a, struct txn *t, const struct event_input *in,
    struct event_result *r, struct err *e);
/* app_deal_register inside a caller's write transaction (imports). */
enum status app_deal_register_in(struct app *a, struct txn *t, const struct deal_input *in,
    uint64_t *id, struct deal_conflict *conflict, struct err *e);
/* The conflict check inside a caller's transaction, no permission check
 * (the portal makes its own): true when something blocks. */
bool deal_find_conflict(struct txn *t, const char *domain, const char *company_key, int64_t now,
    struct deal_conflict *conflict);
/* Render tp for partner `partner` and append the message to the outbox in
 * the caller's write transaction t; *id is the new message's id. */
enum status outbox_queue(struct app *a, struct txn *t, const struct config *cfg,
    const struct tmpl *tp, uint64_t partner, const struct mail_vars *v, uint64_t *id,
    struct err *e);
/* Add a partner inside a caller's write transaction (import). */
struct partner_input;
enum status app_partner_save_in(struct app *a, struct txn *t, const struct partner_input *in,
    uint64_t *out_id, struct err *e);

/* ---- field checks (util.c) ---- */

#define NAME_MAX_LEN 200
#define TEXT_MAX_LEN 2000

/* A one-line text field: not empty (when required), no control
 * characters (C0, DEL or C1), at most max bytes, valid UTF-8.  *out is a trimmed copy
 * (NULL for "" when !required). */
enum status util_text(const char *in, bool required, size_t max, char **out,
    const char *field, struct err *e);
/* A record's name (programs, tiers, partners): util_text, required, at most
 * NAME_MAX_LEN, and not id-like ("P1", "12": domain/names.h). */
enum status util_name(const char *in, char **out, const char *field, struct err *e);
/* The same for text of several lines (address, notes): line breaks (LF or
 * CRLF, kept as LF) and tabs are allowed, other controls are not.  Optional. */
/* A bonus field of a program or tier: in NULL keeps *field (parsed again
 * when recheck, the currency having changed), "" clears it, else it is
 * parsed and kept in its canonical form. */
enum status util_bonus(const char *in, bool recheck, const struct currency *cur, char **field,
    struct err *e);
/* The referrer a partner's own lines are earned by (made on first use:
 * won deals, a parent's overrides). */
uint64_t util_partner_referrer(struct txn *t, const struct partner *p);
/* Has index ix (unique or not) an entry under the one-number prefix? */
bool util_index_has(struct txn *t, enum index ix, uint64_t owner);
/* An override rate "5" or "5%" into basis points, at most 100%; "" or
 * "0" clears it. */
enum status util_override(const char *in, int32_t *bp, struct err *e);
enum status util_text_lines(const char *in, size_t max, char **out, const char *field,
    struct err *e);
/* A whole number in [min, max] (app_int_field in app.h for ui/). */
enum status util_int(const char *in, int64_t min, int64_t max, int64_t *out,
    const char *field, struct err *e);
/* Replace *dst with src (which the caller hands over). */
void util_replace(char **dst, char *src);
/* Copy a txn failure into e (when e has nothing yet). */
enum status util_txn_err(struct txn *t, struct err *e);

/*
 * Is `name` free in unique index ix for record `self` (0 = new)?  ST_EXISTS
 * "name: \"Spring\" is already taken by PG1" otherwise, quoting the name as
 * the user typed it.
 */
enum status util_name_free(struct txn *t, enum index ix, enum kind k, const char *name,
    uint64_t self, struct err *e);

/* Append a cell to r (the caller sized r->c): a string kept by pointer,
 * or a number (CELL_INT, CELL_MONEY with its currency, ...). */
void util_cell_str(struct row *r, const char *name, const char *s);
void util_cell_int(struct row *r, const char *name, enum cell_type type, int64_t v,
    const char *cur);

/* ---- commission lines ---- */

/* The commission lines under one key of a commission index
 * (IDX_COMMISSION_CONVERSION: a conversion's; IDX_COMMISSION_REFERRER: a
 * referrer's), in the index's order. */
struct lines {
	struct commission *v;
	size_t n, cap;
};
void util_lines_load(struct txn *t, enum index ix, uint64_t owner, struct lines *l);
void util_lines_free(struct lines *l);

/* ---- payout files (payfile.c; only payout.c calls them) ---- */

/* The formats of ally payout export --format. */
#define PAYFILE_FORMATS "ap-csv, paypal, wise or sepa"

/* Render batch p in format (paypal|wise|sepa) into out, reading the
 * payees' details in t.  ST_DATA naming the first payee whose details are
 * missing (out is then incomplete and must not be written). */
enum status payfile_render(struct txn *t, const struct settings *s, const char *format,
    const struct payout_preview *p, uint64_t batch, int64_t now, struct sbuf *out,
    struct err *e);
void payfile_free_partners(struct partner *v, size_t n);

/* ---- use cases inside a caller's transaction (the demo's batches) ---- */

/* app_code_new in t: a failure fails t too. */
enum status app_code_new_in(struct app *a, struct txn *t, const struct code_input *in,
    struct code *out, struct err *e);

/* ---- the audit log's writer (audit.c) ---- */

/* The store change hook app_session_new installs. */
void audit_hook(void *ctx, struct txn *t, enum kind k, uint64_t id, const void *before,
    const void *after);
/* Append one entry inside t (summaries of bulk writes). */
void audit_append(struct txn *t, const char *actor, const char *action, enum kind k,
    uint64_t record, const char *before, const char *after);

/* ---- webhooks (webhook.c) ---- */

/* The store change hook that queues a delivery for each endpoint
 * subscribed to the event a change makes (app_session_new adds it after
 * the audit log's). */
void webhook_hook(void *ctx, struct txn *t, enum kind k, uint64_t id, const void *before,
    const void *after);

/* ---- the referral expiry sweep (expiry.c) ---- */

/* The store's commit hook: expire the pending referrals whose window has
 * ended by now. */
void expiry_sweep(void *ctx, struct txn *t);

/* ---- partner hierarchies (override.c) ---- */

/* The store change hook: note each line of a sub-partner written. */
void override_watch(void *ctx, struct txn *t, enum kind k, uint64_t id, const void *before,
    const void *after);
/* Before the commit: bring the noted lines' override lines to the
 * parent's share of them. */
void override_sweep(struct app *a, struct txn *t);
void override_forget(struct app *a);
/* The name of the sub-partner whose line override line o is a share of,
 * as stored (callers make it safe to show), into buf; "" when gone. */
void override_child_name(struct txn *t, const struct commission *o, char *buf, size_t size);
/* The override lines that follow line `line`. */
void override_lines_load(struct txn *t, uint64_t line, struct lines *l);
uint64_t ledger_verify_overrides(struct txn *t, void (*report)(void *ctx, const char *line), void *ctx);

/* ---- the portal's files (portal.c, portal_login.c, keys.c) ---- */

/* The portal user an SSH key lets in (0: none: the key is gone, its
 * partner suspended, no portal account, or the account locked); its
 * partner in *partner when not NULL. */
uint64_t portal_key_user(struct txn *t, uint64_t key, uint64_t *partner);

/* A statement mail may be queued in this session (ST_TEMPFAIL when the
 * session's allowance is used up); count one that was. */
enum status portal_mail_allowed(struct err *e);
void portal_mail_count(void);

/* ---- the ledger (ledger.c and its helpers): what the rest of app/ calls,
 * events.c keeping lines right after each conversion and refund ---- */

/* Recompute the tier period of (referrer, program) containing `at`;
 * for flat/percent rules only `only_conversion`.  appended: that
 * conversion is new (not refunded or rejected since), so when it is the
 * last of its period no earlier line can change. */
enum status ledger_reconcile(struct app *a, struct txn *t, uint64_t referrer, uint64_t program,
    uint64_t only_conversion, int64_t at, bool appended, struct err *e);
enum status ledger_rule(struct txn *t, const struct program *pg, uint64_t referrer,
    struct rule *r, char **text, uint64_t *partner, struct err *e);
/* What the conversions of the period containing `at` should earn (for
 * flat and percent rules without a program cap: `conversion` alone),
 * by rule_text, or by the referrer's rule when NULL: fn(ctx, id, amount)
 * for each, nothing written; what ledger_reconcile would bring their
 * lines to (what-if).  *through: the end of the period when all of it was
 * computed (the referrer's later conversions before it are done too),
 * else INT64_MIN. */
enum status ledger_desired(struct txn *t, const struct program *pg, uint64_t referrer,
    uint64_t conversion, int64_t at, const char *rule_text,
    void (*fn)(void *ctx, uint64_t conversion, int64_t desired), void *ctx, int64_t *through,
    struct err *e);
/* Closing a month freezes it and every month before it. */
/* The qualifying conversions of (referrer, program) in [start, end), in
 * their period's basis order (time, reported-late ones after the month
 * they belong to); included: counts toward a basis (something left after
 * refunds, line not rejected).  fn returns false to stop. */
void ledger_period_walk(struct txn *t, uint64_t referrer, uint64_t program, int64_t start, int64_t end,
    bool (*fn)(void *ctx, const struct conversion *cv, bool included), void *ctx);
/* bonus.c: bring the bonus lines of referrer's bonus period containing
 * `at` to what bonus_text says (called by ledger_reconcile after the
 * conversion's own lines; appended as there). */
enum status ledger_bonus(struct app *a, struct txn *t, const struct program *pg, uint64_t referrer,
    uint64_t partner, const char *bonus_text, uint64_t conversion, int64_t at, bool appended,
    struct err *e);
/* When no bonus applies any more: the bonus the lines of referrer's
 * period containing `at` were made under (they keep following it), else
 * NULL; the caller frees it. */
char *ledger_bonus_kept(struct txn *t, const struct program *pg, uint64_t referrer, int64_t at);
/* The bonus that pays a referrer in a program (the tier's, else the
 * program's), NULL for none; the caller frees it. */
char *ledger_bonus_text(struct txn *t, const struct program *pg, uint64_t referrer);
/* Is conversion the last of (referrer, program) in time order? */
bool ledger_last_of_group(struct txn *t, uint64_t referrer, uint64_t program, uint64_t conversion);
bool ledger_month_closed(struct txn *t, int64_t at);
/* Is there room for a conversion of `amount` by referrer in the program:
 * would the referrer's total there still fit in int64?  Checked before
 * anything is written, so a refusal leaves nothing behind. */
enum status ledger_room(struct txn *t, const struct program *pg, uint64_t referrer, int64_t amount,
    struct err *e);
/* Closed, and since when (the earliest closing that froze month(at)). */
bool ledger_frozen_since(struct txn *t, int64_t at, int64_t *since);
/* When a line made now for something at `at` is dated: `at` while its month
 * is open, else in the first open month after it (now when now is in it). */
int64_t ledger_line_date(struct txn *t, int64_t at);
/* The commission line of a won partner deal: by the partner tier's rule,
 * else the organisation's default deal rule; none when neither is set. */
enum status ledger_deal_won(struct app *a, struct txn *t, const struct deal *d, struct err *e);
char *ledger_adjust_text(const struct commission *orig, int64_t desired, int64_t current,
    int64_t diff, const char *arith);

/* ledger_clause.c: what a rule's clauses can test about cv, and the line
 * of a conversion of `value` under a flat, percent or clause rule (0 when
 * no clause holds), its arithmetic in x (may be NULL), the unrounded line
 * in *micro. */
void ledger_facts(struct txn *t, const struct program *pg, const struct rule *r, const struct conversion *cv,
    struct rule_facts *f);
int64_t ledger_clause_line(const struct rule *r, const struct rule_facts *f, const struct currency *cur,
    int64_t value, struct sbuf *x, __int128 *micro);

/* sequence.c: before a conversion is written, its qualifying flag under
 * the rule's duration and its place among its referral's qualifying
 * conversions (ref's counters move past it; the caller writes both).
 * *renumber: it came before a later conversion of the referral, and
 * sequence_renumber must run once it is written (before it is
 * reconciled). */
enum status sequence_place(struct txn *t, const struct program *pg, struct referral *ref,
    struct conversion *cv, bool *renumber, struct err *e);
/* Walk the referral's conversions in time order, write each place that
 * changed and reconcile the lines of those (but `except`, the new one,
 * which the caller reconciles as appended). */
enum status sequence_renumber(struct app *a, struct txn *t, const struct program *pg, uint64_t referral,
    uint64_t except, struct err *e);
/* ally check: every kept place and referral counter against a walk of
 * the referral's conversions; one line per difference; returns how many. */
uint64_t sequence_verify(struct txn *t, void (*report)(void *ctx, const char *line), void *ctx);

/* rewards.c: bring the referee reward lines of a conversion to what the
 * program's referee rule gives its contact now (nothing when the program
 * has none and no line was made). */
enum status reward_reconcile(struct txn *t, const struct program *pg, uint64_t conversion, struct err *e);

/* Compare the kept period totals with a walk of each period's
 * conversions: one line per difference to report; returns how many. */
uint64_t ledger_verify_periods(struct txn *t, void (*report)(void *ctx, const char *line), void *ctx);
/* The same for the bonus periods' totals ('M') and their lines (bonus.c). */
uint64_t ledger_verify_bonuses(struct txn *t, void (*report)(void *ctx, const char *line), void *ctx);

/* Partner pid's statement for month (YYYY-MM), no permission check: the
 * callers (app_statement, the portal) make theirs. */
struct sbuf;
enum status statement_build(struct app *a, uint64_t pid, const char *month, bool csv,
    struct sbuf *out, struct err *e);

/* ---- the rollups ---- */

/*
 * The rollups (rollup.c): counters kept beside the records, in the same transaction,
 * so that analytics read thousands of entries instead of millions of
 * records.  Three families, each keyed by the local day:
 *
 *   'D' day program partner         referrals, converted, converted value
 *   'R' day program referrer        the same, per referrer (top referrers)
 *   'C' day program partner status CUR  commission amount, lines (CUR: the
 *                                   line's 3-letter currency; deal lines
 *                                   have program 0)
 *   'L' 0 program referrer          per referrer over all time (open ranges)
 *   'P' referrer program start      a commission period's running totals,
 *                                   kept by the ledger (rollup_period_*)
 *   'S' referrer day program        as 'R', ordered by referrer (the top
 *                                   referrers of a bounded range)
 *   'A' referrer                    referrals, conversions over all programs
 *   'T' program -refs -conv referrer  1: referrers ranked by lifetime
 *                                   referrals then conversions, per program
 *                                   and over all (program 0), from 'L'/'A'
 *
 * "partner" is the referrer's partner, 0 for customers.  They change only
 * through rollup_hook (the store's change hook), from each record's before
 * and after, and `ally check` compares them with a rebuild.
 */

#define ROLLUP_VERSION 5

/* The four families, by the byte that starts their keys. */
enum rollup_family {
	ROLLUP_DAY = 'D',               /* day program partner */
	ROLLUP_REFERRER = 'R',          /* day program referrer */
	ROLLUP_COMMISSION = 'C',        /* day program partner status currency */
	ROLLUP_LIFETIME = 'L',          /* program referrer, all time (day 0) */
};

/* One counter entry, decoded.  who is the partner for 'D' and 'C', the
 * referrer for 'R' and 'L'.  v: referrals, converted, converted value
 * ('D', 'R', 'L'); commission amount, lines ('C', v[2] is 0). */
#define ROLLUP_BONUS_BIT 0x100      /* in a 'C' key's status: a bonus line */
#define ROLLUP_OVERRIDE_BIT 0x200   /* ... an override line */
struct rollup_entry {
	enum rollup_family family;
	int32_t day;
	uint64_t program, who;
	uint64_t status;                /* 'C' only */
	bool bonus;                     /* 'C' only: bonus lines (and their adjustments) */
	bool override;                  /* 'C' only: override lines */
	char currency[4];               /* 'C' only, NUL-terminated */
	int64_t v[3];
};

/*
 * A forward walk over one family's entries from day d0 to day d1 (both
 * included; 'L' ignores the days), in key order (day, program, who, ...):
 *   struct rollup_walk *w = rollup_walk_begin(t, ROLLUP_DAY, d0, d1);
 *   struct rollup_entry en;
 *   while (rollup_walk_next(w, &en)) ...
 *   rollup_walk_end(w);
 */
struct rollup_walk;
struct rollup_walk *rollup_walk_begin(struct txn *t, enum rollup_family fam, int32_t d0, int32_t d1);
bool rollup_walk_next(struct rollup_walk *w, struct rollup_entry *en);
void rollup_walk_end(struct rollup_walk *w);

void rollup_hook(struct txn *t, enum kind k, const void *before, const void *after);
/* rollup_hook as the store's change hook (app_session_new adds it first,
 * before the audit log's). */
void rollup_change(void *ctx, struct txn *t, enum kind k, uint64_t id, const void *before,
    const void *after);
/* Referrers by lifetime referrals (most first), then conversions, then
 * id, in one program (0: over all programs); only referrers with some. */
struct rollup_rank;
struct rollup_rank *rollup_rank_begin(struct txn *t, uint64_t program);
bool rollup_rank_next(struct rollup_rank *r, uint64_t *referrer, int64_t *referrals,
    int64_t *conversions);
void rollup_rank_end(struct rollup_rank *r);
/* One referrer's day entries ('S') from day d0 to d1, in day order, as
 * 'R' entries (who is the referrer); ended with rollup_rank_end. */
struct rollup_rank *rollup_days_begin(struct txn *t, uint64_t referrer, int32_t d0, int32_t d1);
bool rollup_days_next(struct rollup_rank *r, struct rollup_entry *en);
/* The same walk again for another referrer, on the same cursor. */
void rollup_days_again(struct rollup_rank *r, uint64_t referrer, int32_t d0, int32_t d1);
/* A referrer's converted value in a program over all time ('L'), minor
 * units; 0 when there is none or the rollups are not built yet. */
int64_t rollup_converted_value(struct txn *t, uint64_t program, uint64_t referrer);
/*
 * The running totals of one commission period of (referrer, program)
 * starting at `start`, as the ledger left them: the included conversions'
 * count and net value, the period's commission before caps (micro units),
 * what the program's cap has let through so far, and a fingerprint of the
 * rule they were computed under (never 0; 0 means "not known").
 */
struct rollup_period {
	int64_t count, revenue;
	__int128 micro;
	int64_t capped;
	int64_t rule;
};
/* false (and *p zeroed) when none is kept. */
bool rollup_period_get(struct txn *t, uint64_t referrer, uint64_t program, int64_t start,
    struct rollup_period *p);
void rollup_period_set(struct txn *t, uint64_t referrer, uint64_t program, int64_t start,
    const struct rollup_period *p);
/* Every kept period, in key order; fn returns false to stop. */
void rollup_period_each(struct txn *t, bool (*fn)(void *ctx, uint64_t referrer, uint64_t program,
    int64_t start, const struct rollup_period *p), void *ctx);

/* Every counter of a period family ('P', 'M': rollup_period.c keeps
 * them) with its key read back: rollup.c alone reads key bytes. */
void rollup_periods_each(struct txn *t, unsigned char tag, size_t n,
    bool (*fn)(void *ctx, uint64_t referrer, uint64_t program, int64_t start, const int64_t *v), void *ctx);
/* 'M' referrer program start: a bonus period's qualifying conversions
 * (count, revenue net of refunds), kept by bonus.c like 'P'; bonus is
 * the print of the bonus text they were counted for (never 0). */
struct rollup_bonus {
	int64_t count, revenue;
	int64_t bonus;
};
bool rollup_bonus_get(struct txn *t, uint64_t referrer, uint64_t program, int64_t start,
    struct rollup_bonus *b);
void rollup_bonus_set(struct txn *t, uint64_t referrer, uint64_t program, int64_t start,
    const struct rollup_bonus *b);
void rollup_bonus_each(struct txn *t, bool (*fn)(void *ctx, uint64_t referrer, uint64_t program,
    int64_t start, const struct rollup_bonus *b), void *ctx);

/* Clear and recompute every counter from the records (in t). */
enum status rollup_rebuild(struct txn *t);
/* Is the rollup table there and current?  (meta "rollup.version") */
bool rollup_current(struct txn *t);
/* Recompute every counter from the records and compare; one line per
 * difference to report; returns how many. */
uint64_t rollup_verify(struct txn *t, void (*report)(void *ctx, const char *line), void *ctx);

/* ---- report.c and report_top.c: the maps loaded once a report, and the
 * filter every figure honours ---- */

struct report;
struct report_filter;

/* Program id -> currency: every money figure of a program is in its
 * currency. */
struct progs {
	uint64_t *id;
	char (*cur)[4];
	size_t n;
};

/* Partner id -> tier id, for the tier filter. */
struct tiers {
	uint64_t *partner, *tier;
	size_t n;
};

struct filt {
	uint64_t program, tier, partner;
	const struct tiers *tm;
	const struct progs *pm;
	const char *currency;   /* NULL = every currency */
};

/* The currency of a program ("" when it is missing). */
const char *report_prog_currency(const struct progs *pm, uint64_t program);
/* A partner's tier, 0 for none. */
uint64_t report_tier_of(const struct tiers *tm, uint64_t partner);
/* Does an entry of this program and partner (0: a customer) pass f? */
bool report_keep(const struct filt *f, uint64_t program, uint64_t partner);
/* The top referrers of [d0, d1] under flt into out->top (report_top.c). */
void report_top_referrers(struct txn *t, const struct filt *flt, const struct report_filter *f, int32_t d0,
    int32_t d1, struct report *out);

#endif
