/*
 * figures.h - the dashboard's key figures, cheap enough for a first
 * screen on a million referrals: counts come from LMDB's statistics
 * (rec_count) and the last 30 days from a walk of the time indexes' keys,
 * never a scan of the records.  The rates and sums come from the rollups
 * through app_report, which the TUI asks for after its first draw.
 */
#ifndef ALLY_APP_FIGURES_H
#define ALLY_APP_FIGURES_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"

struct figures {
	int64_t now, since;             /* the 30-day window */
	uint64_t programs, programs_active, tiers, partners, referrers, codes, users;
	uint64_t referrals, conversions, refunds;       /* all time */
	uint64_t referrals_30d, conversions_30d;
	uint64_t commissions;                           /* ledger lines */
	uint64_t commissions_pending, commissions_approved;
};

/* The counts (fast).  Rates and sums come from app_report (report.h). */
enum status app_figures(struct app *a, struct figures *f, struct err *e);

#endif
