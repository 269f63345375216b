/*
 * analytics.c - the Analytics tab: the figures of app_report (DESIGN.md
 * section 4) under a filter bar, in two tabs.  Referrals: the series as
 * vertical bars or a braille line, the funnel, and the top referrers as a
 * table (Enter opens a referrer's timeline).  Partners: partner
 * contribution beside direct deals, commission accrued by status, and the
 * top partner referrers as bars.  d steps through the date presets, F
 * opens a small form for a custom range, program, tier and partner.
 * Every figure comes from the rollups, so a reload per key is cheap.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/report.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/date.h"
#include "domain/records.h"
#include "ui/chart/chart.h"
#include "ui/screens/common.h"
#include "ui/text.h"
#include "ui/widgets/form.h"
#include "ui/widgets/table.h"

enum preset { P_7, P_30, P_90, P_MONTH, P_LAST_MONTH, P_QUARTER, P_YEAR, P_CUSTOM, P__N };

static const char *const preset_name[P__N] = {
	"Last 7 days", "Last 30 days", "Last 90 days", "This month", "Last month",
	"This quarter", "Year to date", "Custom",
};

struct analytics {
	int tab;                /* 0 referrals, 1 partners */
	enum preset preset;
	char from[16], to[16];
	char program[96], tier[96], partner[96];
	bool line;              /* series as a braille line */
	struct report r;
	bool ok;
	char err[512];
	struct table t;
};

static const struct table_colspec top_cols[] = {
	{ "id", "Id", 9, COL_LOW, 0 }, { "name", "Referrer", 30, COL_KEEP, 0 }, { "partner", "Partner", 8, COL_NORMAL, 0 },
	{ "referrals", "Referrals", 10, COL_NORMAL, 0 }, { "conversions", "Converted", 10, COL_NORMAL, 0 },
	{ "rate", "Rate", 7, COL_NORMAL, 0 }, { "value", "Value", 16, COL_KEEP, 0 },
};

static void
day_str(int32_t dn, char *buf)
{
	char tmp[DATE_BUFSZ];

	snprintf(buf, 16, "%s", date_format_day(date_daynum_start(dn), tmp));
}

/* The preset's range as from and to days. */
static void
preset_range(struct analytics *s)
{
	int64_t now = clock_now();
	int32_t today = date_daynum(now), d0 = today, d1 = today;

	switch (s->preset) {
	case P_7: d0 = today - 6; break;
	case P_30: d0 = today - 29; break;
	case P_90: d0 = today - 89; break;
	case P_MONTH: d0 = date_daynum_bucket(today, 2); break;
	case P_LAST_MONTH:
		d1 = date_daynum_bucket(today, 2) - 1;
		d0 = date_daynum_bucket(d1, 2);
		break;
	case P_QUARTER: d0 = date_daynum(date_period_start(PERIOD_QUARTER, now)); break;
	case P_YEAR: d0 = date_daynum(date_period_start(PERIOD_YEAR, now)); break;
	default: return;        /* custom: as the form left them */
	}
	day_str(d0, s->from);
	day_str(d1, s->to);
}

static void *
analytics_open(struct ui *ui, const void *arg)
{
	struct analytics *s = xcalloc(1, sizeof *s);

	(void)ui;
	(void)arg;
	s->preset = P_30;
	preset_range(s);
	table_init(&s->t, top_cols, sizeof top_cols / sizeof top_cols[0]);
	s->t.no_totals = true;
	s->t.empty = "No referrals in this range.";
	return s;
}

static void
analytics_close(void *st)
{
	struct analytics *s = st;

	report_free(&s->r);
	table_free(&s->t);
	free(s);
}

static const char *
or_null(const char *s)
{
	return s[0] ? s : NULL;
}

static enum status
run_report(struct ui *ui, const char *from, const char *to, const char *program,
    const char *tier, const char *partner, struct report *r, struct err *e)
{
	struct report_filter f = { .from = from, .to = to, .program = program, .tier = tier,
		.partner = partner, .top = 50 };

	return app_report(ui_app(ui), &f, r, e);
}

static void
analytics_load(struct ui *ui, void *st)
{
	struct analytics *s = st;
	char pct[16];
	struct err e;
	size_t i;

	if (s->preset != P_CUSTOM)
		preset_range(s);
	report_free(&s->r);
	err_clear(&e);
	s->ok = run_report(ui, or_null(s->from), or_null(s->to), or_null(s->program),
	    or_null(s->tier), or_null(s->partner), &s->r, &e) == ST_OK;
	snprintf(s->err, sizeof s->err, "%s", e.msg);
	table_begin(&s->t);
	for (i = 0; s->ok && i < s->r.ntop; i++) {
		const struct report_referrer *rr = &s->r.top[i];
		char others[160];
		struct row row;

		memset(&row, 0, sizeof row);
		row.c[0] = (struct cell){ .name = "id", .type = CELL_STR,
			.s = app_id_str(KIND_REFERRER, rr->referrer, row.buf[0]) };
		row.c[1] = (struct cell){ .name = "name", .type = CELL_STR, .s = rr->name };
		row.c[2] = (struct cell){ .name = "partner", .type = CELL_STR,
			.s = rr->partner ? app_id_str(KIND_PARTNER, rr->partner, row.buf[1]) : NULL };
		row.c[3] = (struct cell){ .name = "referrals", .type = CELL_INT, .i = rr->referrals };
		row.c[4] = (struct cell){ .name = "conversions", .type = CELL_INT,
			.i = rr->conversions };
		if (rr->referrals > 0)
			snprintf(pct, sizeof pct, "%.1f%%",
			    100.0 * (double)rr->conversions / (double)rr->referrals);
		else
			snprintf(pct, sizeof pct, "-");
		row.c[5] = (struct cell){ .name = "rate", .type = CELL_STR, .s = pct };
		row.c[6] = (struct cell){ .name = "value", .type = CELL_MONEY, .i = rr->value,
			.cur = s->r.currency };
		/* a value in another currency is listed, never converted */
		if (rr->value_by.n > 1 || (rr->value_by.n == 1 &&
		    strcmp(rr->value_by.v[0].currency, s->r.currency) != 0))
			row.c[6] = (struct cell){ .name = "value", .type = CELL_STR,
				.s = report_money_others(&rr->value_by, NULL, others, sizeof others) };
		row.n = 7;
		table_add(&s->t, &row);
	}
	table_end(&s->t);
}

static char *
money(struct ui *ui, int64_t v, char *buf)
{
	char m[MONEY_BUFSZ];
	const struct currency *cur = app_currency(ui_app(ui));

	snprintf(buf, 64, "%s %s", money_format_human(v, cur, m), cur->code);
	return buf;
}

static void
filter_bar(struct ui *ui, struct analytics *s, int y)
{
	char *prog = ui_text(s->program[0] ? s->program : "all");
	char *tier = ui_text(s->tier[0] ? s->tier : "all");
	char *part = ui_text(s->partner[0] ? s->partner : "all");
	char *line = xasprintf("%s %s %s %s   Program %s   Tier %s   Partner %s",
	    preset_name[s->preset], s->from[0] ? s->from : "beginning",
	    ui_text_ascii() ? "to" : "\xe2\x80\x93", s->to[0] ? s->to : "today", prog, tier, part);

	ui_put(ui, y, 1, ui_cols(ui) - 2, line, CR_HEADER);
	free(line);
	free(prog);
	free(tier);
	free(part);
}

static void
figures_line(struct ui *ui, struct analytics *s, int y)
{
	const struct report *r = &s->r;
	char b1[64], b2[64], rate[16], o1[160], o2[160], *line;
	struct money_sums acc;

	/* money per currency: the organisation's first, then any other */
	report_accrued(r, &acc);
	if (r->total_referrals > 0)
		snprintf(rate, sizeof rate, "%.1f%%", 100.0 * r->conversion_rate);
	else
		snprintf(rate, sizeof rate, "-");
	report_money_others(&r->converted_by, r->currency, o1, sizeof o1);
	report_money_others(&acc, r->currency, o2, sizeof o2);
	money(ui, r->converted_value, b1);
	money(ui, money_sums_get(&acc, r->currency), b2);
	line = xasprintf("Referrals %" PRId64 "   Converted %" PRId64 " (%s)   Value %s%s%s"
	    "   Commission %s%s%s", r->total_referrals, r->conversions, rate,
	    b1, *o1 ? " + " : "", o1, b2, *o2 ? " + " : "", o2);
	if ((int)ui_width(line) > ui_cols(ui) - 2) {
		/* the money is never cut: shorter words first */
		free(line);
		line = xasprintf("Refs %" PRId64 "  Conv. %" PRId64 " (%s)  Value %s%s%s"
		    "  Comm. %s%s%s", r->total_referrals, r->conversions, rate,
		    b1, *o1 ? " + " : "", o1, b2, *o2 ? " + " : "", o2);
	}
	ui_put(ui, y, 1, ui_cols(ui) - 2, line, CR_TOTAL);
	free(line);
	money_sums_free(&acc);
}

/* The series as bars or a line, `height` lines at (y, x). */
static void
draw_series(struct ui *ui, struct analytics *s, int y, int x, int w, int height)
{
	const struct report *r = &s->r;
	int64_t *refs = xcalloc(r->nseries + 1, sizeof *refs);
	int64_t *convs = xcalloc(r->nseries + 1, sizeof *convs);
	char **labels = xcalloc(r->nseries + 1, sizeof *labels);
	struct chart_series ser[2] = {
		{ "referrals", refs, CR_CHART },
		{ "converted", convs, CR_CHART_CONVERTED },
	};
	struct chart_time t = { ser, 2, r->nseries, (const char *const *)labels };
	char day[DATE_BUFSZ], title[64];
	struct chart c;
	size_t i;

	for (i = 0; i < r->nseries; i++) {
		refs[i] = r->series[i].referrals;
		convs[i] = r->series[i].conversions;
		date_format_day(r->series[i].start, day);
		labels[i] = xstrdup(strcmp(r->bucket, "month") == 0 ? day : day + 5);
		if (strcmp(r->bucket, "month") == 0)
			labels[i][7] = '\0';
	}
	snprintf(title, sizeof title, "Referrals and conversions per %s", r->bucket);
	ui_put(ui, y, x, w, title, CR_TITLE);
	chart_init(&c, ui_text_ascii());
	if (s->line)
		chart_line(&c, w, height - 1, &t);
	else
		chart_vbars(&c, w, height - 1, &t);
	chart_draw(ui, &c, y + 1, x, height - 1);
	chart_free(&c);
	for (i = 0; i < r->nseries; i++)
		free(labels[i]);
	free(labels);
	free(refs);
	free(convs);
}

static int64_t
commission_lines(const struct report *r)
{
	return r->commission_lines[COMMISSION_PENDING] + r->commission_lines[COMMISSION_APPROVED] +
	    r->commission_lines[COMMISSION_PAID];
}

static void
draw_funnel(struct ui *ui, struct analytics *s, int y, int x, int w, bool title)
{
	const struct report *r = &s->r;
	char t0[32], t1[32], t2[32];
	struct chart_item it[3] = {
		{ "Referrals", r->total_referrals, t0, CR_CHART },
		{ "Converted", r->conversions, t1, CR_CHART_CONVERTED },
		{ "Commissioned", commission_lines(r), t2, CR_OK },
	};
	struct chart c;

	snprintf(t0, sizeof t0, "%" PRId64, r->total_referrals);
	snprintf(t1, sizeof t1, "%" PRId64, r->conversions);
	snprintf(t2, sizeof t2, "%" PRId64, commission_lines(r));
	if (title)
		ui_put(ui, y++, x, w, "Funnel: referrals, converted, commission lines", CR_TITLE);
	chart_init(&c, ui_text_ascii());
	chart_funnel(&c, w, it, 3);
	chart_draw(ui, &c, y, x, 3);
	chart_free(&c);
}

/* Top referrers (partners only when partners) as bars, up to n. */
static void
draw_top_bars(struct ui *ui, struct analytics *s, int y, int x, int w, int n, bool partners)
{
	struct chart_item *it = xcalloc(s->r.ntop + 1, sizeof *it);
	char (*txt)[32] = xcalloc(s->r.ntop + 1, sizeof *txt);
	char **names = xcalloc(s->r.ntop + 1, sizeof *names);
	size_t i, k = 0;
	struct chart c;

	ui_put(ui, y, x, w, partners ? "Top partners by referrals" : "Top referrers by referrals",
	    CR_TITLE);
	for (i = 0; i < s->r.ntop && (int)k < n; i++) {
		if (partners && s->r.top[i].partner == 0)
			continue;
		names[k] = ui_text(s->r.top[i].name);
		snprintf(txt[k], 32, "%" PRId64, s->r.top[i].referrals);
		it[k] = (struct chart_item){ names[k], s->r.top[i].referrals, txt[k], CR_CHART };
		k++;
	}
	if (k == 0)
		ui_put(ui, y + 1, x, w, partners ? "No partner referrals in this range." :
		    "No referrals in this range.", CR_DIM);
	chart_init(&c, ui_text_ascii());
	chart_hbars(&c, w, it, k);
	chart_draw(ui, &c, y + 1, x, n);
	chart_free(&c);
	for (i = 0; i < k; i++)
		free(names[i]);
	free(names);
	free(txt);
	free(it);
}

static int
draw_contribution(struct ui *ui, struct analytics *s, int y, int x, int w)
{
	const struct report *r = &s->r;
	char m[3][64], t[3][224], o[3][128];
	struct chart_item it[3] = {
		{ "Partner referrals", r->partner_referral_value, t[0], CR_CHART },
		{ "Partner deals", r->partner_deal_value, t[1], CR_CHART },
		{ "Direct deals", r->direct_deal_value, t[2], CR_DIM },
	};
	struct chart c;

	/* the bars compare the organisation's currency; other currencies are
	 * named beside, never added in */
	report_money_others(&r->partner_referral_by, r->currency, o[0], sizeof o[0]);
	report_money_others(&r->partner_deal_by, r->currency, o[1], sizeof o[1]);
	report_money_others(&r->direct_deal_by, r->currency, o[2], sizeof o[2]);
	snprintf(t[0], sizeof t[0], "%" PRId64 " converted  %s%s%s", r->partner_referrals_converted,
	    money(ui, r->partner_referral_value, m[0]), *o[0] ? " + " : "", o[0]);
	snprintf(t[1], sizeof t[1], "%" PRId64 " won  %s%s%s", r->partner_deals_won,
	    money(ui, r->partner_deal_value, m[1]), *o[1] ? " + " : "", o[1]);
	snprintf(t[2], sizeof t[2], "%" PRId64 " won  %s%s%s", r->direct_deals_won,
	    money(ui, r->direct_deal_value, m[2]), *o[2] ? " + " : "", o[2]);
	ui_put(ui, y, x, w, "Partner contribution beside direct (value)", CR_TITLE);
	chart_init(&c, ui_text_ascii());
	chart_hbars(&c, w, it, 3);
	chart_draw(ui, &c, y + 1, x, 3);
	chart_free(&c);
	return 4;
}

/* Lines and money by status (commission, or bonuses apart from it). */
static int
draw_accrued(struct ui *ui, struct analytics *s, int y, int x, int w, const char *title,
    const int64_t *amount, const int64_t *lines, const struct money_sums *by)
{
	static const struct {
		int st;
		const char *label;
		enum color_role role;
	} rows[] = {
		{ COMMISSION_PENDING, "Pending", CR_WARNING },
		{ COMMISSION_APPROVED, "Approved", CR_OK },
		{ COMMISSION_PAID, "Paid", CR_TOTAL },
		{ COMMISSION_REJECTED, "Rejected", CR_DIM },
		{ COMMISSION_REVERSED, "Reversed", CR_MONEY_NEGATIVE },
	};
	const struct report *r = &s->r;
	struct chart_item it[5];
	char m[5][64], t[5][224], o[128];
	struct chart c;
	size_t i, n = 0;

	for (i = 0; i < 5; i++) {
		if (i >= 3 && lines[rows[i].st] == 0)
			continue;       /* rejected and reversed only when there are some */
		report_money_others(&by[rows[i].st], r->currency, o, sizeof o);
		snprintf(t[n], sizeof t[n], "%" PRId64 " lines  %s%s%s", lines[rows[i].st],
		    money(ui, amount[rows[i].st], m[n]), *o ? " + " : "", o);
		it[n] = (struct chart_item){ rows[i].label, amount[rows[i].st], t[n], rows[i].role };
		n++;
	}
	ui_put(ui, y, x, w, title, CR_TITLE);
	chart_init(&c, ui_text_ascii());
	chart_hbars(&c, w, it, n);
	chart_draw(ui, &c, y + 1, x, (int)n);
	chart_free(&c);
	return (int)n + 1;
}

/* Bonuses and overrides, apart from commission: a row each (when there
 * are any) with what is owed or paid (pending, approved and paid) and
 * what of it is pending. */
static int
draw_apart(struct ui *ui, struct analytics *s, int y, int x, int w)
{
	const struct report *r = &s->r;
	struct chart_item it[2];
	char m[2][64], p[2][64], t[2][224];
	struct chart c;
	size_t n = 0, k;

	for (k = 0; k < 2; k++) {
		const int64_t *v = k == 0 ? r->bonus : r->override;
		const int64_t *lines = k == 0 ? r->bonus_lines : r->override_lines;
		int64_t owed = v[COMMISSION_PENDING];
		bool fits;
		if (!(k == 0 ? r->bonuses : r->overrides))
			continue;
		/* each status's sum fits (the report checked); their sum may not */
		fits = money_add(owed, v[COMMISSION_APPROVED], &owed) && money_add(owed, v[COMMISSION_PAID], &owed);
		snprintf(t[n], sizeof t[n], "%" PRId64 " lines  %s%s(%s pending)",
		    lines[COMMISSION_PENDING] + lines[COMMISSION_APPROVED] + lines[COMMISSION_PAID],
		    fits ? money(ui, owed, m[n]) : "", fits ? " " : "", money(ui, v[COMMISSION_PENDING], p[n]));
		it[n] = (struct chart_item){ k == 0 ? "Bonuses" : "Overrides", fits ? owed : v[COMMISSION_PENDING],
			t[n], CR_TOTAL };
		n++;
	}
	ui_put(ui, y, x, w, "Bonuses and overrides (not in commission)", CR_TITLE);
	chart_init(&c, ui_text_ascii());
	chart_hbars(&c, w, it, n);
	chart_draw(ui, &c, y + 1, x, (int)n);
	chart_free(&c);
	return (int)n + 1;
}

static int
draw_commission(struct ui *ui, struct analytics *s, int y, int x, int w)
{
	return draw_accrued(ui, s, y, x, w, "Commission accrued by status", s->r.commission,
	    s->r.commission_lines, s->r.commission_by);
}

static void
draw_referrals_tab(struct ui *ui, struct analytics *s, int y, int end)
{
	int cols = ui_cols(ui), wide = cols >= 120, h = end - y >= 36 ? 14 : 8;
	bool roomy = end - y >= 26;
	int w = wide ? cols / 2 - 3 : cols - 4, x2 = cols / 2 + 1;

	draw_series(ui, s, y, 2, w, h);
	if (wide)
		draw_top_bars(ui, s, y, x2, cols - x2 - 2, h - 1, false);
	y += h + 1;
	if (y + 4 <= end) {
		/* at 24 lines the table needs the titles' rows */
		draw_funnel(ui, s, y, 2, w, roomy);
		if (wide)
			draw_commission(ui, s, y - !roomy, x2, cols - x2 - 2);
		y += roomy ? 5 : 4;
	}
	if (roomy && y + 3 <= end)
		ui_put(ui, y++, 1, cols - 2, "Top referrers (Enter: history)", CR_TITLE);
	if (y + 2 <= end)
		table_draw(ui, &s->t, y, end - y);
}

static void
draw_partners_tab(struct ui *ui, struct analytics *s, int y, int end)
{
	int cols = ui_cols(ui), wide = cols >= 120;
	int w = wide ? cols / 2 - 3 : cols - 4, x2 = cols / 2 + 1, y2 = y;

	y += draw_contribution(ui, s, y, 2, w) + 1;
	y += draw_commission(ui, s, y, 2, w) + 1;
	if ((s->r.bonuses || s->r.overrides) && y + 3 <= end)
		y += draw_apart(ui, s, y, 2, w) + 1;
	if (wide)
		draw_top_bars(ui, s, y2, x2, cols - x2 - 2, end - y2 - 1, true);
	else if (y + 2 <= end)
		draw_top_bars(ui, s, y, 2, w, end - y - 1, true);
}

static void
analytics_draw(struct ui *ui, void *st, int y, int rows)
{
	struct analytics *s = st;
	char info[128];

	snprintf(info, sizeof info, "%s  d range  F filter  b %s",
	    ui_text_ascii() ? "<- ->" : "\xe2\x86\x90\xe2\x86\x92", s->line ? "bars" : "line");
	ui_title(ui, y, s->tab == 0 ? "Analytics: Referrals | partners" :
	    "Analytics: referrals | Partners", info);
	filter_bar(ui, s, y + 1);
	if (!s->ok) {
		ui_put_text(ui, y + 3, 2, ui_cols(ui) - 4, s->err, CR_ERROR);
		return;
	}
	figures_line(ui, s, y + 2);
	if (s->tab == 0)
		draw_referrals_tab(ui, s, y + 4, y + rows);
	else
		draw_partners_tab(ui, s, y + 4, y + rows);
}

/* ---- the filter form ---- */

enum { F_FROM, F_TO, F_PROGRAM, F_TIER, F_PARTNER, F_N };

static enum status
filter_save(struct ui *ui, struct form *f, void *ctx, struct err *e)
{
	struct analytics *s = ctx;
	struct report r;
	enum status st;

	st = run_report(ui, form_value_or_null(f, F_FROM), form_value_or_null(f, F_TO),
	    form_value_or_null(f, F_PROGRAM), form_value_or_null(f, F_TIER),
	    form_value_or_null(f, F_PARTNER), &r, e);
	report_free(&r);
	if (st != ST_OK)
		return st;
	snprintf(s->from, sizeof s->from, "%s", form_value(f, F_FROM));
	snprintf(s->to, sizeof s->to, "%s", form_value(f, F_TO));
	snprintf(s->program, sizeof s->program, "%s", form_value(f, F_PROGRAM));
	snprintf(s->tier, sizeof s->tier, "%s", form_value(f, F_TIER));
	snprintf(s->partner, sizeof s->partner, "%s", form_value(f, F_PARTNER));
	return ST_OK;
}

static void
filter_form(struct ui *ui, struct analytics *s)
{
	struct field fields[F_N] = {
		[F_FROM] = { .key = "from", .label = "From", .type = FIELD_DATE,
			.hint = "YYYY-MM-DD, the first day; empty: the beginning" },
		[F_TO] = { .key = "to", .label = "To", .type = FIELD_DATE,
			.hint = "YYYY-MM-DD, the last day; empty: today" },
		[F_PROGRAM] = { .key = "program", .label = "Program", .type = FIELD_PICK,
			.pick = KIND_PROGRAM, .hint = "any word of its name, Enter picks; empty: every program" },
		[F_TIER] = { .key = "tier", .label = "Tier", .type = FIELD_PICK, .pick = KIND_TIER,
			.hint = "partners of this tier, Enter picks; empty: all" },
		[F_PARTNER] = { .key = "partner", .label = "Partner", .type = FIELD_PICK,
			.pick = KIND_PARTNER, .hint = "any word of its name, Enter picks; empty: all" },
	};
	struct form f = { .title = "Analytics filter", .fields = fields, .n = F_N,
		.save = filter_save, .ctx = s };
	char old_from[16], old_to[16];

	f.cur = app_currency(ui_app(ui));
	form_set(&f, F_FROM, s->from);
	form_set(&f, F_TO, s->to);
	form_set(&f, F_PROGRAM, s->program);
	form_set(&f, F_TIER, s->tier);
	form_set(&f, F_PARTNER, s->partner);
	memcpy(old_from, s->from, sizeof old_from);
	memcpy(old_to, s->to, sizeof old_to);
	if (!form_run(ui, &f))
		return;
	if (strcmp(old_from, s->from) != 0 || strcmp(old_to, s->to) != 0)
		s->preset = P_CUSTOM;
	analytics_load(ui, s);
}

static bool
analytics_key(struct ui *ui, void *st, enum action act, int key)
{
	struct analytics *s = st;

	if (s->t.filtering)
		return table_key(&s->t, act, key);
	if (keymap_bound(key, ACT_RANGE)) {
		s->preset = (s->preset + 1) % P_CUSTOM;
		analytics_load(ui, s);
		return true;
	}
	if (keymap_bound(key, ACT_SWITCH)) {
		s->tab = !s->tab;
		return true;
	}
	if (keymap_bound(key, ACT_CHART)) {
		s->line = !s->line;
		return true;
	}
	if (keymap_bound(key, ACT_NARROW)) {
		filter_form(ui, s);
		return true;
	}
	if (s->tab == 0 && act == ACT_OPEN) {
		if (s->t.nview)
			referrals_timeline(ui, table_current(&s->t));
		return true;
	}
	if (s->tab == 0)
		return table_key(&s->t, act, key);
	return false;
}

static const struct screen_key screen_analytics_keys[] = {
	SK_ANY(ACT_RANGE, NULL),
	SK_ANY(ACT_SWITCH, NULL),
	SK_ANY(ACT_CHART, NULL),
	SK_ANY(ACT_NARROW, "filter: dates, program, tier, partner"),
	SK_ANY(ACT_OPEN, "the referrer's history (Referrals tab)"),
	SK_LIST,
	SK_END
};

static struct table *
screen_analytics_list(void *st)
{
	return &((struct analytics *)st)->t;
}

static bool
screen_analytics_typing(void *st)
{
	return ((struct analytics *)st)->t.filtering;
}

const struct screen_ops screen_analytics = {
	.name = "Analytics",
	.open = analytics_open,
	.close = analytics_close,
	.load = analytics_load,
	.draw = analytics_draw,
	.key = analytics_key,
	.keys = screen_analytics_keys,
	.typing = screen_analytics_typing,
	.list = screen_analytics_list,
};
