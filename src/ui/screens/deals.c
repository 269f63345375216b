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
	"Until its screen lands, the command line does all of it:",
	"",
	"$ally deal list --stage submitted      registrations waiting for review",
	"$ally deal check --domain example.com  would a registration conflict?",
	"$ally deal approve D1                  exclusive for the tier's days",
	"$ally deal pipeline                    partner and direct deals by stage",
	NULL
};

static void
deals_draw(struct ui *ui, void *st, int y, int rows)
{
	(void)st;
	ui_title(ui, y, "Deals", "its screen is coming");
	screen_page(ui, y + 2, rows - 2, page);
}

const struct screen_ops screen_deals = {
	.name = "Deals",
	.draw = deals_draw,
};
