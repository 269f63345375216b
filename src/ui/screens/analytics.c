/*
 * analytics.c - the Analytics tab until the analytics issue lands.
 */
#include "config.h"

#include "ui/screens/common.h"

static const char *const page[] = {
	"#Analytics",
	"",
	"This tab will chart referrals and conversions per day, week or month,",
	"rank the top referrers, show partner contribution and commission accrued",
	"by status, filtered by date range, program, tier and partner.",
	"",
	"It comes with the analytics issue. The Dashboard (1) has the key figures",
	"today, and the raw data is one command away:",
	"",
	"$ally export referrals --csv > referrals.csv",
	"$ally export conversions --json | head",
	"$ally referral list --program NAME --from 2026-09-01 --to 2026-09-30",
	"$ally conversion list --limit 20",
	NULL
};

static void
analytics_draw(struct ui *ui, void *st, int y, int rows)
{
	(void)st;
	ui_title(ui, y, "Analytics", "coming with the analytics issue");
	screen_page(ui, y + 2, rows - 2, page);
}

const struct screen_ops screen_analytics = {
	.name = "Analytics",
	.draw = analytics_draw,
};
