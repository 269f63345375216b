/*
 * deals.c - the Deals tab until deal registration lands: what will be
 * here, and nothing pretending to work.
 */
#include "config.h"

#include "ui/screens/common.h"

static const char *const page[] = {
	"#Deal registrations and the pipeline",
	"",
	"This tab will list partner deal registrations with their conflict checks",
	"(same domain or company, exclusivity days left), let admins approve,",
	"reject, win or lose them, and show partner-sourced and direct deals side",
	"by side by stage with counts and value totals.",
	"",
	"It comes with the deal registration issue. Until then the command line",
	"has what there is:",
	"",
	"$ally partner list            partners and their tiers (exclusivity days)",
	"$ally tier list               deal exclusivity and open-deal limits per tier",
	"$ally export partners --csv   the partner list for a spreadsheet",
	NULL
};

static void
deals_draw(struct ui *ui, void *st, int y, int rows)
{
	(void)st;
	ui_title(ui, y, "Deals", "coming with deal registration");
	screen_page(ui, y + 2, rows - 2, page);
}

const struct screen_ops screen_deals = {
	.name = "Deals",
	.draw = deals_draw,
};
