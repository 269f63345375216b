/*
 * figures.h - the dashboard's key figures, cheap enough for a first
 * screen on a million referrals: counts come from LMDB's statistics
 * (rec_count) and the last 30 days from a walk of the time indexes' keys,
 * never a scan of the records.  The rates need records and come in a
 * second step that the TUI runs after its first draw.
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
	/* second step (app_figures_more) */
	bool more;
	uint64_t converted_30d;         /* of referrals_30d, those converted */
	uint64_t converted_all;         /* referrals with a conversion */
	int64_t pending_amount, approved_amount;        /* organisation's currency */
};

/* The counts (fast). */
enum status app_figures(struct app *a, struct figures *f, struct err *e);
/* The rates and sums (reads records of the window; sets f->more). */
enum status app_figures_more(struct app *a, struct figures *f, struct err *e);

#endif
