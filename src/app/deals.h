/*
 * deals.h - deal registration and the pipeline: partners register deals to
 * claim them; admins approve (exclusive for the tier's days), reject, win
 * or lose them; direct deals from the company's own pipeline block
 * registrations of the same customer while open.
 */
#ifndef ALLY_APP_DEALS_H
#define ALLY_APP_DEALS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "app/app.h"

struct deal_input {
	const char *partner;    /* name or id; NULL with direct */
	bool direct;
	const char *company;
	const char *domain;
	const char *value;
	const char *close;      /* expected close date */
	const char *contact;
	const char *notes;
};

/* What blocks a registration. */
struct deal_conflict {
	uint64_t deal;          /* 0: none */
	bool direct;
	char who[128];          /* partner name, or "direct pipeline" */
	char stage[16];
	int days_left;          /* exclusivity days left; -1 for direct deals */
	char why[48];           /* "same domain example.com" */
};

/* One line of text: "D3 (Northwind Digital, approved, 45 days of exclusivity left): same domain acme.com". */
void deal_conflict_text(const struct deal_conflict *c, char *buf, size_t size);

/*
 * Register a deal.  A partner registration that conflicts is recorded in
 * stage conflict (conflict says with what); one over the tier's limit of
 * open registrations is refused (ST_DATA).  Direct deals are open at once.
 */
enum status app_deal_register(struct app *a, const struct deal_input *in, uint64_t *id,
    struct deal_conflict *conflict, struct err *e);
/* The conflict check alone (as the partner types): conflict->deal 0 when
 * free.  domain may be NULL or partial-invalid (then only the company is
 * checked). */
enum status app_deal_check(struct app *a, const char *domain, const char *company,
    struct deal_conflict *conflict, struct err *e);

enum deal_action { DEAL_DO_APPROVE, DEAL_DO_REJECT, DEAL_DO_WIN, DEAL_DO_LOSE };
/* reason: reject (required), lose (optional); value/date: win. */
enum status app_deal_decide(struct app *a, const char *id, enum deal_action act,
    const char *reason, const char *value, const char *date, struct deal_conflict *conflict,
    struct err *e);

/* Partner-sourced and direct deals side by side, per stage. */
struct pipeline_cell {
	int64_t count;
	int64_t value;          /* estimated, or final for won deals */
};
struct pipeline {
	struct pipeline_cell partner[7], direct[7];     /* by enum deal_stage */
	char currency[4];
};
enum status app_deal_pipeline(struct app *a, const char *partner, const char *tier,
    struct pipeline *out, struct err *e);

/* Direct deals from a CRM export (columns company, domain, value, close,
 * contact, notes): all or nothing. */
enum status app_import_deals(struct app *a, const char *path, FILE *err_out,
    struct ingest_stats *stats, struct err *e);

/* Organisation settings an admin may change (NULL = unchanged). */
struct settings_input {
	const char *org;
	const char *timezone;
	const char *deal_rule;  /* "" clears */
	/* the debtor of SEPA payout files ("" clears) */
	const char *debtor_name;
	const char *debtor_iban;
	const char *debtor_bic;
};
enum status app_settings_set(struct app *a, const struct settings_input *in, struct err *e);
/* The settings as this process opened them, for an admin (ally settings
 * show, the Admin screen); ST_NOPERM for others. */
enum status app_settings_read(struct app *a, const struct settings **out, struct err *e);

#endif
