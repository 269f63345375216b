/*
 * figures.h - the dashboard's key figures, cheap enough for a first
 * screen on a million referrals: counts come from LMDB's statistics
 * (rec_count), never a scan of the records.  Referral and conversion
 * figures of a range, rates and sums come from the rollups through
 * app_report (one definition, shared with Analytics), which the TUI asks
 * for after its first draw.
 */
#ifndef ALLY_APP_FIGURES_H
#define ALLY_APP_FIGURES_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"

struct figures {
	int64_t now;
	uint64_t programs, programs_active, tiers, partners, referrers, codes, users;
	uint64_t referrals, conversions, refunds;       /* all time */
	uint64_t commissions;                           /* ledger lines */
	uint64_t commissions_pending, commissions_approved;
};

/* The counts (fast).  Rates and sums come from app_report (report.h). */
enum status app_figures(struct app *a, struct figures *f, struct err *e);

#endif
