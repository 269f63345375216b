/*
 * dashboard.c - the Dashboard tab: key figures.  The first draw shows the
 * counts (app_figures: statistics and index keys only); the referral
 * figures, rates, values and the 90-day sparkline follow in the idle step
 * right after, from app_report's rollups (the last 30 days, 90 days by
 * day, all time), so opening ally on a million referrals is not slowed by
 * them.  Referrals, conversions and the rate are Analytics' figures
 * (DESIGN.md section 4: referrals created in the range, and of those the
 * ones that converted), so the same range shows the same numbers on both.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/figures.h"
#include "app/report.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/date.h"
#include "domain/records.h"
#include "ui/chart/chart.h"
#include "ui/screens/common.h"
#include "ui/text.h"

struct dashboard {
	struct figures f;
	bool ok;
	char err[512];
	bool more;                      /* the reports below are loaded */
	struct report r30, r90, rall;
};

static void *
dash_open(struct ui *ui, const void *arg)
{
	(void)ui;
	(void)arg;
	return xcalloc(1, sizeof(struct dashboard));
}

static void
dash_reports_free(struct dashboard *d)
{
	report_free(&d->r30);
	report_free(&d->r90);
	report_free(&d->rall);
	d->more = false;
}

static void
dash_close(void *st)
{
	dash_reports_free(st);
	free(st);
}

static void
dash_load(struct ui *ui, void *st)
{
	struct dashboard *d = st;
	struct err e;

	err_clear(&e);
	dash_reports_free(d);
	d->ok = app_figures(ui_app(ui), &d->f, &e) == ST_OK;
	snprintf(d->err, sizeof d->err, "%s", e.msg);
}

static void
day_before(int days, char *buf)
{
	char tmp[DATE_BUFSZ];

	snprintf(buf, 16, "%s",
	    date_format_day(date_daynum_start(date_daynum(clock_now()) - days), tmp));
}

static bool
dash_idle(struct ui *ui, void *st)
{
	struct dashboard *d = st;
	struct err e;

	/* the dashboard shows no top referrers: skip them */
	struct report_filter f30 = { .top = -1 }, f90 = { .bucket = "day", .top = -1 };
	struct report_filter fall = { .top = -1 };
	char d30[16], d90[16];

	if (!d->ok || d->more)
		return false;
	day_before(29, d30);
	day_before(89, d90);
	f30.from = d30;
	f90.from = d90;
	err_clear(&e);
	if (app_report(ui_app(ui), &f30, &d->r30, &e) != ST_OK ||
	    app_report(ui_app(ui), &f90, &d->r90, &e) != ST_OK ||
	    app_report(ui_app(ui), &fall, &d->rall, &e) != ST_OK) {
		ui_message(ui, CR_ERROR, "%s", e.msg);
		dash_reports_free(d);
	}
	d->more = true;
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
count(int64_t v, bool known, char *buf)
{
	if (!known)
		snprintf(buf, 32, "...");
	else
		num(v < 0 ? 0 : (uint64_t)v, buf);
	return buf;
}

static char *
rate(const struct report *r, bool known, char *buf)
{
	if (!known)
		snprintf(buf, 32, "...");
	else if (r->total_referrals == 0)
		snprintf(buf, 32, "-");
	else
		snprintf(buf, 32, "%.1f%%", 100.0 * r->conversion_rate);
	return buf;
}

static char *
value(const struct report *r, bool known, const struct currency *cur, char *buf)
{
	if (!known)
		snprintf(buf, MONEY_BUFSZ, "...");
	else
		money_format_human(r->converted_value, cur, buf);
	return buf;
}

/* The referrals of the last 90 days, one cell a day, or k days a cell
 * when the line is narrower than 90 columns. */
/* Money in currencies other than the organisation's: listed on a line of
 * their own, never added to its figures.  Returns the lines drawn. */
static int
dash_other_currencies(struct ui *ui, const struct report *r, int y)
{
	char v[160], p[160], ap[160], line[600];

	report_money_others(&r->converted_by, r->currency, v, sizeof v);
	report_money_others(&r->commission_by[COMMISSION_PENDING], r->currency, p, sizeof p);
	report_money_others(&r->commission_by[COMMISSION_APPROVED], r->currency, ap, sizeof ap);
	if (!*v && !*p && !*ap)
		return 0;
	snprintf(line, sizeof line, "Other currencies: converted %s   pending %s   approved %s",
	    *v ? v : "-", *p ? p : "-", *ap ? ap : "-");
	ui_put(ui, y, 2, ui_cols(ui) - 4, line, CR_NORMAL);
	return 1;
}

static void
spark90(struct ui *ui, const struct report *r, int y)
{
	int w = ui_cols(ui) - 28, k;
	size_t i, n = 0;
	int64_t *v = xcalloc(r->nseries + 1, sizeof *v);
	struct chart c;
	char cap[64];

	if (w < 10)
		w = 10;
	k = ((int)r->nseries + w - 1) / w;
	if (k < 1)
		k = 1;
	/* group from the latest day back, so the last cell is today's */
	for (i = 0; i < r->nseries; i++)
		v[(r->nseries - 1 - i) / (size_t)k] += r->series[i].referrals;
	n = (r->nseries + (size_t)k - 1) / (size_t)k;
	for (i = 0; i < n / 2; i++) {
		int64_t t = v[i];
		v[i] = v[n - 1 - i];
		v[n - 1 - i] = t;
	}
	snprintf(cap, sizeof cap, "%d days a cell", k);
	ui_put(ui, y, 2, 24, "Referrals, 90 days", CR_NORMAL);
	chart_init(&c, ui_text_ascii());
	chart_spark(&c, w, v, n, CR_CHART);
	chart_draw(ui, &c, y, 26, 1);
	chart_free(&c);
	if (k > 1 && 26 + (int)n + 2 + (int)strlen(cap) <= ui_cols(ui) - 1)
		ui_put(ui, y, 26 + (int)n + 2, (int)strlen(cap), cap, CR_DIM);
	free(v);
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
	char *org = ui_text(app_settings(a)->org), *info;
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
	line3(ui, y++, "Referrals", count(d->r30.total_referrals, d->more, b1),
	    count(d->rall.total_referrals, d->more, b2));
	line3(ui, y++, "Conversions", count(d->r30.conversions, d->more, b1),
	    count(d->rall.conversions, d->more, b2));
	line3(ui, y++, "Conversion rate", rate(&d->r30, d->more, b1), rate(&d->rall, d->more, b2));
	line3(ui, y++, "Converted value", value(&d->r30, d->more, app_currency(a), m1),
	    value(&d->rall, d->more, app_currency(a), m2));
	line3(ui, y++, "Refunds", "", num(f->refunds, b1));
	y++;
	if (d->more) {
		spark90(ui, &d->r90, y++);
		y++;
	}
	if (f->commissions == 0) {
		ui_put(ui, y++, 2, ui_cols(ui) - 4,
		    "Commissions: none yet (they are earned by qualifying conversions).", CR_DIM);
	} else {
		if (d->more) {
			money_format_human(d->rall.commission[COMMISSION_PENDING], app_currency(a), m1);
			money_format_human(d->rall.commission[COMMISSION_APPROVED], app_currency(a), m2);
		} else {
			strcpy(m1, "...");
			strcpy(m2, "...");
		}
		/* the counts of every line until the figures are in; then of
		 * commission lines, bonuses and overrides on a line of their own */
		snprintf(line, sizeof line, "Commissions pending %s (%s %s)   approved %s (%s %s)",
		    num(d->more ? (uint64_t)d->rall.commission_lines[COMMISSION_PENDING] : f->commissions_pending, b1),
		    m1, app_currency(a)->code,
		    num(d->more ? (uint64_t)d->rall.commission_lines[COMMISSION_APPROVED] : f->commissions_approved, b2),
		    m2, app_currency(a)->code);
		ui_put(ui, y++, 2, ui_cols(ui) - 4, line, CR_NORMAL);
		if (d->more && d->rall.bonuses) {
			money_format_human(d->rall.bonus[COMMISSION_PENDING], app_currency(a), m1);
			money_format_human(d->rall.bonus[COMMISSION_APPROVED], app_currency(a), m2);
			snprintf(line, sizeof line, "Bonuses pending %s %s   approved %s %s", m1,
			    app_currency(a)->code, m2, app_currency(a)->code);
			ui_put(ui, y++, 2, ui_cols(ui) - 4, line, CR_NORMAL);
		}
		if (d->more && d->rall.overrides) {
			money_format_human(d->rall.override[COMMISSION_PENDING], app_currency(a), m1);
			money_format_human(d->rall.override[COMMISSION_APPROVED], app_currency(a), m2);
			snprintf(line, sizeof line, "Overrides pending %s %s   approved %s %s", m1,
			    app_currency(a)->code, m2, app_currency(a)->code);
			ui_put(ui, y++, 2, ui_cols(ui) - 4, line, CR_NORMAL);
		}
		if (d->more)
			y += dash_other_currencies(ui, &d->rall, y);
	}
	y++;
	if (y < y0 + rows - 1) {
		/* only what the role can do there */
		const char *hints[] = {
			"#Where to go",
			"2 programs and their rules   3 partners and tiers   4 look up a referrer",
			ui_may(ui, PERM_COMMISSION_WRITE) ?
			    "6 approve commissions        9 users and settings   ? every key" :
			    "6 commissions (read)         9 the audit log        ? this screen's keys",
			NULL
		};
		screen_page(ui, y, y0 + rows - y, hints);
	}
}

static const struct screen_key screen_dashboard_keys[] = {
	SK_END
};

const struct screen_ops screen_dashboard = {
	.name = "Dashboard",
	.open = dash_open,
	.close = dash_close,
	.load = dash_load,
	.draw = dash_draw,
	.idle = dash_idle,
	.keys = screen_dashboard_keys,
};
