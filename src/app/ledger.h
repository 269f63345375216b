/*
 * ledger.h - commissions, approvals, payouts, statements, closed periods
 * and the audit log: the use cases over the ledger.
 *
 * Lines are listed through app_list(KIND_COMMISSION, ...) with
 * list_filter.status / .partner / .program (io.h).  Every function here
 * checks the actor's permission first.
 */
#ifndef ALLY_APP_LEDGER_H
#define ALLY_APP_LEDGER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "app/app.h"
#include "core/str.h"

/* The arithmetic of one line, every number traceable, as text lines. */
enum status app_commission_explain(struct app *a, const char *id, struct sbuf *out,
    struct err *e);

enum decision_outcome {
	DECIDED,                /* approved / rejected now */
	DECIDED_ALREADY,        /* it already had that status: nothing changed */
	DECIDE_REFUSED          /* not possible: see message */
};

struct decision {
	uint64_t id;
	enum decision_outcome outcome;
	char message[160];      /* "on hold until 2026-11-02 (give --override-hold REASON)" */
};

/*
 * Approve each line (ids as typed: "C12" or "12").  A line still on hold
 * is refused unless override_reason is given.  Each line is decided in its
 * own short transaction, so two admins approving the same line at once
 * settle to exactly one DECIDED and one DECIDED_ALREADY.  results has n
 * entries.  Returns ST_OK when every line is DECIDED or DECIDED_ALREADY,
 * else ST_DATA (ST_NOTFOUND when an id does not exist).
 */
enum status app_commission_approve(struct app *a, const char *const *ids, size_t n,
    const char *override_reason, struct decision *results, struct err *e);
/* Reject pending lines with a reason (required). */
enum status app_commission_reject(struct app *a, const char *const *ids, size_t n,
    const char *reason, struct decision *results, struct err *e);

/* Referee rewards (two-sided programs): approve pending ones (a reward
 * on hold needs override_reason), and record approved ones as issued by
 * the billing system.  Like commission decisions, one transaction each. */
enum status app_reward_approve(struct app *a, const char *const *ids, size_t n,
    const char *override_reason, struct decision *results, struct err *e);
enum status app_reward_mark_issued(struct app *a, const char *const *ids, size_t n,
    struct decision *results, struct err *e);
/* Reject pending rewards, with a reason (required). */
enum status app_reward_reject(struct app *a, const char *const *ids, size_t n, const char *reason,
    struct decision *results, struct err *e);
/* Who a reward is owed to, its rule and its arithmetic. */
enum status app_reward_explain(struct app *a, const char *id, struct sbuf *out, struct err *e);

struct payout_input {
	const char *cutoff;             /* YYYY-MM-DD: approved lines earned before the end of that day */
	const char *const *partners;    /* names or ids, NULL-terminated; NULL = every payee */
	const char *minimum;            /* amount: payees whose total is below are left out */
	const char *currency;           /* the one currency the batch pays; NULL = the organisation's */
};

struct payout_line {
	uint64_t commission;
	uint64_t referrer;
	uint64_t partner;
	int64_t amount;
};

struct payout_total {
	uint64_t referrer;
	uint64_t partner;
	char *payee;                    /* partner or customer name */
	char *email;                    /* payout e-mail */
	int64_t amount;
	int64_t lines;
};

struct payout_preview {
	char currency[4];
	struct payout_line *lines;
	size_t nlines;
	struct payout_total *totals;
	size_t ntotals;
	int64_t total;
	char checksum[17];              /* 16 hex digits over the currency, line ids and amounts */
};

enum status app_payout_preview(struct app *a, const struct payout_input *in,
    struct payout_preview *out, struct err *e);
void payout_preview_free(struct payout_preview *p);
/*
 * Write the batch if the preview for the same input still has checksum
 * `confirm`: marks the lines paid and writes the accounts-payable CSV to
 * csv_path (or next to the database when NULL).  ST_CONFLICT when the
 * preview changed since.
 */
enum status app_payout_run(struct app *a, const struct payout_input *in, const char *confirm,
    const char *csv_path, uint64_t *batch, char **written_path, struct err *e);
enum status app_payout_mark_paid(struct app *a, const char *batch, struct err *e);
/* Write a recorded batch's accounts-payable CSV again (to path, else where
 * the run wrote it): the same rows from the lines the batch paid. */
enum status app_payout_export(struct app *a, const char *batch, const char *path,
    char **written, struct err *e);
/* A recorded batch as the file of `format` (ap-csv, paypal, wise, sepa:
 * app/app_int.h) in out; nothing in out is to be written on error (a
 * payee's missing details, a non-EUR batch for sepa, the debtor unset). */
enum status app_payout_file(struct app *a, const char *batch, const char *format,
    struct sbuf *out, struct err *e);

/* A partner's statement for a month (YYYY-MM), as text or CSV, with the
 * SHA-256 of its content at the foot. */
enum status app_statement(struct app *a, const char *partner, const char *month, bool csv,
    struct sbuf *out, struct err *e);
/* Freeze a month: later changes land as adjustments in the next open one. */
enum status app_period_close(struct app *a, const char *month, struct err *e);

/* Walk the audit chain; the first broken entry is named in e. */
enum status app_audit_verify(struct app *a, uint64_t *entries, struct err *e);

/*
 * What-if: the conversions of a program in a range replayed under another
 * rule, the program's or one tier's (whose partners only then count), by
 * the ledger's own computation, in a read transaction.  Per
 * partner (partner 0: the customers together), the commission lines of
 * those conversions now and under the rule; rows by the size of their
 * difference.  from/to as in app_list (a --to day is included whole).
 */
struct whatif_input {
	const char *program, *rule, *tier;      /* tier: NULL = the program's rule */
	const char *from, *to;
};

struct whatif_row {
	uint64_t partner;
	char *name;                     /* "customers" for partner 0 */
	int64_t current, proposed, difference;
	uint64_t conversions;           /* conversions with a line */
};

struct whatif {
	char currency[4];               /* the program's */
	struct whatif_row *rows;
	size_t n;
	int64_t current, proposed, difference;
	uint64_t conversions;
	uint64_t tier_kept;             /* conversions of partners whose tier's own rule
	                                 * stays (no --tier given) */
};

enum status app_whatif(struct app *a, const struct whatif_input *in, struct whatif *out,
    struct err *e);
void whatif_free(struct whatif *w);

#endif
