/*
 * dashboard.c - the Dashboard tab: key figures.  The first draw shows the
 * counts (app_figures: statistics and index keys only); the rates and
 * sums follow in the idle step right after, so opening ally on a million
 * referrals is not slowed by them.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/figures.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/date.h"
#include "ui/screens/common.h"
#include "ui/text.h"

struct dashboard {
	struct figures f;
	bool ok;
	char err[512];
};

static void *
dash_open(struct ui *ui, const void *arg)
{
	(void)ui;
	(void)arg;
	return xcalloc(1, sizeof(struct dashboard));
}

static void
dash_close(void *st)
{
	free(st);
}

static void
dash_load(struct ui *ui, void *st)
{
	struct dashboard *d = st;
	struct err e;

	err_clear(&e);
	d->ok = app_figures(ui_app(ui), &d->f, &e) == ST_OK;
	snprintf(d->err, sizeof d->err, "%s", e.msg);
}

static bool
dash_idle(struct ui *ui, void *st)
{
	struct dashboard *d = st;
	struct err e;

	if (!d->ok || d->f.more)
		return false;
	err_clear(&e);
	app_figures_more(ui_app(ui), &d->f, &e);
	return true;
}

/* 1234567 -> "1,234,567" */
static char *
num(uint64_t v, char *buf)
{
	char tmp[32];
	size_t n, i, o = 0;

	snprintf(tmp, sizeof tmp, "%" PRIu64, v);
	n = strlen(tmp);
	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}

static char *
rate(uint64_t part, uint64_t whole, bool known, char *buf)
{
	if (!known)
		snprintf(buf, 32, "...");
	else if (whole == 0)
		snprintf(buf, 32, "-");
	else
		snprintf(buf, 32, "%.1f%%", 100.0 * (double)part / (double)whole);
	return buf;
}

static void
line3(struct ui *ui, int y, const char *label, const char *a, const char *b)
{
	ui_put(ui, y, 2, 22, label, CR_NORMAL);
	ui_put_right(ui, y, 24, 14, a, CR_TOTAL);
	ui_put_right(ui, y, 40, 14, b, CR_TOTAL);
}

static void
dash_draw(struct ui *ui, void *st, int y0, int rows)
{
	struct dashboard *d = st;
	struct app *a = ui_app(ui);
	const struct figures *f = &d->f;
	char b1[32], b2[32], b3[32], line[160], when[DATE_BUFSZ], m1[MONEY_BUFSZ], m2[MONEY_BUFSZ];
	char *org = ui_text(a->settings.org), *info;
	int y = y0 + 2;

	info = xasprintf("%s  %s", org, date_format_minute(clock_now(), when));
	ui_title(ui, y0, "Dashboard", info);
	free(info);
	free(org);
	if (!d->ok) {
		ui_put_text(ui, y, 2, ui_cols(ui) - 4, d->err, CR_ERROR);
		return;
	}
	snprintf(line, sizeof line, "Programs %s (%s active)   Partners %s   Tiers %s",
	    num(f->programs, b1), num(f->programs_active, b2), num(f->partners, b3),
	    num(f->tiers, (char[32]){ 0 }));
	ui_put(ui, y++, 2, ui_cols(ui) - 4, line, CR_NORMAL);
	snprintf(line, sizeof line, "Referrers %s   Codes %s   Users %s", num(f->referrers, b1),
	    num(f->codes, b2), num(f->users, b3));
	ui_put(ui, y++, 2, ui_cols(ui) - 4, line, CR_NORMAL);
	y++;
	ui_put(ui, y, 2, 22, "", CR_HEADER);
	ui_put_right(ui, y, 24, 14, "Last 30 days", CR_HEADER);
	ui_put_right(ui, y, 40, 14, "All time", CR_HEADER);
	y++;
	line3(ui, y++, "Referrals", num(f->referrals_30d, b1), num(f->referrals, b2));
	line3(ui, y++, "Conversions", num(f->conversions_30d, b1), num(f->conversions, b2));
	line3(ui, y++, "Conversion rate", rate(f->converted_30d, f->referrals_30d, f->more, b1),
	    rate(f->converted_all, f->referrals, f->more, b2));
	line3(ui, y++, "Refunds", "", num(f->refunds, b1));
	y++;
	if (f->commissions == 0) {
		ui_put(ui, y++, 2, ui_cols(ui) - 4,
		    "Commissions: none yet (they are earned by qualifying conversions).", CR_DIM);
	} else {
		if (f->more) {
			money_format_human(f->pending_amount, a->cur, m1);
			money_format_human(f->approved_amount, a->cur, m2);
		} else {
			strcpy(m1, "...");
			strcpy(m2, "...");
		}
		snprintf(line, sizeof line, "Commissions pending %s (%s %s)   approved %s (%s %s)",
		    num(f->commissions_pending, b1), m1, a->cur->code,
		    num(f->commissions_approved, b2), m2, a->cur->code);
		ui_put(ui, y++, 2, ui_cols(ui) - 4, line, CR_NORMAL);
	}
	y++;
	if (y < y0 + rows - 1) {
		static const char *const hints[] = {
			"#Where to go",
			"2 programs and their rules   3 partners and tiers   4 look up a referrer",
			"6 approve commissions        9 users and settings   ? every key",
			NULL
		};
		screen_page(ui, y, y0 + rows - y, hints);
	}
}

const struct screen_ops screen_dashboard = {
	.name = "Dashboard",
	.open = dash_open,
	.close = dash_close,
	.load = dash_load,
	.draw = dash_draw,
	.idle = dash_idle,
};
