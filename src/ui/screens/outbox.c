/*
 * outbox.c - the Outbox tab until mail lands.
 */
#include "config.h"

#include "ui/screens/common.h"

static const char *const page[] = {
	"#Outbox",
	"",
	"This tab will list the mail ally queues (partner invitations, statements):",
	"queued, sending, sent and failed messages with their attempts and the",
	"last error, and let you retry or send now.",
	"",
	"It comes with the mail issue, with these commands:",
	"",
	"$ally mail list               what is queued and what failed",
	"$ally mail send               deliver what is due through [smtp]",
	"$ally mail retry ID           try a failed message again",
	"",
	"SMTP is set up in ally.conf(5), section [smtp].",
	NULL
};

static void
outbox_draw(struct ui *ui, void *st, int y, int rows)
{
	(void)st;
	ui_title(ui, y, "Outbox", "coming with the mail issue");
	screen_page(ui, y + 2, rows - 2, page);
}

const struct screen_ops screen_outbox = {
	.name = "Outbox",
	.draw = outbox_draw,
};
