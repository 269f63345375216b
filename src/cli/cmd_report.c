/*
 * cmd_report.c - ally report: the analytics figures as a table, CSV or
 * one JSON object.
 *
 * Money is per currency.  JSON keeps every figure where it was, in the
 * report's currency ("currency": --currency, else the organisation's),
 * and adds beside each an X_by_currency array (or by_currency in a
 * commission_accrued status) with one {currency, amount, amount_minor}
 * per currency present; CSV has a currency column and one row per
 * currency of a money figure; the table lists every currency.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/report.h"
#include "cli/cli.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/str.h"

static const char *const status_keys[] = { "pending", "approved", "rejected", "paid", "reversed" };

static json_t *
money_obj(int64_t minor, const struct currency *cur)
{
	char b[MONEY_BUFSZ];

	return json_pack("{s:s,s:I}", "amount", money_format(minor, cur, b), "amount_minor", (json_int_t)minor);
}

/* {"EUR":{amount, amount_minor[, lines]}, ...}, one per currency. */
static json_t *
by_currency(const struct money_sums *s, bool lines)
{
	json_t *a = json_object();
	size_t i;

	for (i = 0; i < s->n; i++) {
		json_t *m = money_obj(s->v[i].amount, currency_find(s->v[i].currency));
		if (lines)
			json_object_set_new(m, "lines", json_integer(s->v[i].lines));
		json_object_set_new(a, s->v[i].currency, m);
	}
	return a;
}

/* Every currency any money figure has, sorted. */
static json_t *
currencies_present(const struct report *r)
{
	const struct money_sums *all[] = { &r->converted_by, &r->partner_referral_by, &r->partner_deal_by,
		&r->direct_deal_by, &r->commission_by[0], &r->commission_by[1], &r->commission_by[2],
		&r->commission_by[3], &r->commission_by[4] };
	struct money_sums u;
	json_t *a = json_array();
	size_t i, j;

	money_sums_init(&u);
	for (i = 0; i < sizeof all / sizeof all[0]; i++)
		for (j = 0; j < all[i]->n; j++)
			money_sums_add(&u, all[i]->v[j].currency, 0);
	for (i = 0; i < u.n; i++)
		json_array_append_new(a, json_string(u.v[i].currency));
	money_sums_free(&u);
	return a;
}

/* "20.00 EUR  12,345 JPY" for people; the report's currency at zero when
 * the figure has none.  buf holds 256 bytes. */
static const char *
money_list(const struct money_sums *s, const char *report_cur, char *buf)
{
	char m[MONEY_BUFSZ];
	size_t i, n = 0;

	buf[0] = '\0';
	if (s->n == 0) {
		snprintf(buf, 256, "%s %s", money_format_human(0, currency_find(report_cur), m), report_cur);
		return buf;
	}
	for (i = 0; i < s->n && n < 200; i++)
		n += (size_t)snprintf(buf + n, 256 - n, "%s%s %s", i ? "  " : "",
		    money_format_human(s->v[i].amount, currency_find(s->v[i].currency), m), s->v[i].currency);
	return buf;
}

static void
print_json(const struct report *r)
{
	const struct currency *cur = currency_find(r->currency);
	json_t *o = json_object(), *top = json_array(), *ser = json_array(), *acc = json_object(), *pc;
	char b1[MONEY_BUFSZ], d[DATE_BUFSZ];
	size_t i;

	json_object_set_new(o, "from", json_string(r->from ? date_format_day(r->from, d) : ""));
	json_object_set_new(o, "to", json_string(date_format_day(r->to - 1, d)));
	json_object_set_new(o, "currency", json_string(r->currency));
	json_object_set_new(o, "total_referrals", json_integer(r->total_referrals));
	json_object_set_new(o, "conversions", json_integer(r->conversions));
	json_object_set_new(o, "conversion_rate", json_real(r->conversion_rate));
	json_object_set_new(o, "converted_value", json_string(money_format(r->converted_value, cur, b1)));
	json_object_set_new(o, "converted_value_minor", json_integer(r->converted_value));

	for (i = 0; i < r->ntop; i++) {
		const struct report_referrer *x = &r->top[i];
		char id[24], pid[24];
		snprintf(id, sizeof id, "R%llu", (unsigned long long)x->referrer);
		snprintf(pid, sizeof pid, "P%llu", (unsigned long long)x->partner);
		json_array_append_new(top, json_pack("{s:s,s:s,s:o,s:I,s:I,s:s,s:I,s:o}", "id", id, "name", x->name,
		    "partner", x->partner ? json_string(pid) : json_null(), "referrals", (json_int_t)x->referrals,
		    "conversions", (json_int_t)x->conversions, "value", money_format(x->value, cur, b1),
		    "value_minor", (json_int_t)x->value, "value_by_currency", by_currency(&x->value_by, false)));
	}
	json_object_set_new(o, "top_referrers", top);
	pc = json_object();
	json_object_set_new(pc, "referrals_converted", json_integer(r->partner_referrals_converted));
	json_object_set_new(pc, "referral_value", json_string(money_format(r->partner_referral_value, cur, b1)));
	json_object_set_new(pc, "referral_value_minor", json_integer(r->partner_referral_value));

	json_object_set_new(pc, "deals_won", json_integer(r->partner_deals_won));
	json_object_set_new(pc, "deal_value", json_string(money_format(r->partner_deal_value, cur, b1)));
	json_object_set_new(pc, "deal_value_minor", json_integer(r->partner_deal_value));

	json_object_set_new(pc, "direct_deals_won", json_integer(r->direct_deals_won));
	json_object_set_new(pc, "direct_deal_value", json_string(money_format(r->direct_deal_value, cur, b1)));
	json_object_set_new(pc, "direct_deal_value_minor", json_integer(r->direct_deal_value));
	/* per currency, after the fields scripts already read */
	json_object_set_new(pc, "referral_value_by_currency", by_currency(&r->partner_referral_by, false));
	json_object_set_new(pc, "deal_value_by_currency", by_currency(&r->partner_deal_by, false));
	json_object_set_new(pc, "direct_deal_value_by_currency", by_currency(&r->direct_deal_by, false));
	json_object_set_new(o, "partner_contribution", pc);
	for (i = 0; i < 5; i++) {
		json_t *m = money_obj(r->commission[i], cur);
		json_object_set_new(m, "lines", json_integer(r->commission_lines[i]));
		json_object_set_new(m, "by_currency", by_currency(&r->commission_by[i], true));
		json_object_set_new(acc, status_keys[i], m);
	}
	json_object_set_new(o, "commission_accrued", acc);
	/* bonus lines in their own figures, never in the commission's */
	acc = json_object();
	for (i = 0; i < 5; i++) {
		json_t *m = money_obj(r->bonus[i], cur);
		json_object_set_new(m, "lines", json_integer(r->bonus_lines[i]));
		json_object_set_new(m, "by_currency", by_currency(&r->bonus_by[i], true));
		json_object_set_new(acc, status_keys[i], m);
	}
	json_object_set_new(o, "bonus_accrued", acc);
	acc = json_object();
	for (i = 0; i < 5; i++) {
		json_t *m = money_obj(r->override[i], cur);
		json_object_set_new(m, "lines", json_integer(r->override_lines[i]));
		json_object_set_new(m, "by_currency", by_currency(&r->override_by[i], true));
		json_object_set_new(acc, status_keys[i], m);
	}
	json_object_set_new(o, "override_accrued", acc);
	json_object_set_new(o, "bucket", json_string(r->bucket));
	for (i = 0; i < r->nseries; i++)
		json_array_append_new(ser, json_pack("{s:s,s:I,s:I}", "start", date_format_day(r->series[i].start, d),
		    "referrals", (json_int_t)r->series[i].referrals, "conversions", (json_int_t)r->series[i].conversions));
	json_object_set_new(o, "series", ser);
	json_object_set_new(o, "converted_value_by_currency", by_currency(&r->converted_by, false));
	json_object_set_new(o, "currencies", currencies_present(r));
	out_json_line(stdout, o);
}

static void
csv_line5(const char *a, const char *b, const char *c, const char *d, const char *cur)
{
	struct sbuf row;
	const char *f[5] = { a, b, c, d, cur };

	sbuf_init(&row);
	csv_add_row(&row, f, 5);
	fputs(sbuf_str(&row), stdout);
	sbuf_free(&row);
}

/* The CSV rows of a kind of line by status, when there are any. */
static void
csv_accrued(const char *section, bool any, const struct money_sums *by, const char *rc)
{
	char n[32], m[MONEY_BUFSZ];
	size_t i, j;

	for (i = 0; any && i < 5; i++) {
		const struct money_sums *s = &by[i];
		if (s->n == 0)
			csv_line5(section, status_keys[i], "0", money_format(0, currency_find(rc), m), rc);
		for (j = 0; j < s->n; j++) {
			snprintf(n, sizeof n, "%lld", (long long)s->v[j].lines);
			csv_line5(section, status_keys[i], n,
			    money_format(s->v[j].amount, currency_find(s->v[j].currency), m), s->v[j].currency);
		}
	}
}

static void
csv_line(const char *a, const char *b, const char *c, const char *d)
{
	csv_line5(a, b, c, d, "");
}

/* One row per currency of a money figure (the report's at zero when it
 * has none). */
static void
csv_money(const char *section, const char *name, const char *count, const struct money_sums *s,
    const char *report_cur)
{
	char m[MONEY_BUFSZ];
	size_t i;

	if (s->n == 0)
		csv_line5(section, name, count, money_format(0, currency_find(report_cur), m), report_cur);
	for (i = 0; i < s->n; i++)
		csv_line5(section, name, count, money_format(s->v[i].amount, currency_find(s->v[i].currency), m),
		    s->v[i].currency);
}

static void
print_csv(const struct report *r)
{
	const char *rc = r->currency;
	char n[32], d[DATE_BUFSZ];
	size_t i, j;

	csv_line5("section", "name", "count", "amount", "currency");
	snprintf(n, sizeof n, "%lld", (long long)r->total_referrals);
	csv_line("figures", "total_referrals", n, "");
	snprintf(n, sizeof n, "%lld", (long long)r->conversions);
	csv_money("figures", "conversions", n, &r->converted_by, rc);
	snprintf(n, sizeof n, "%.4f", r->conversion_rate);
	csv_line("figures", "conversion_rate", n, "");
	for (i = 0; i < r->ntop; i++) {
		snprintf(n, sizeof n, "%lld", (long long)r->top[i].referrals);
		csv_money("top_referrers", r->top[i].name, n, &r->top[i].value_by, rc);
	}
	snprintf(n, sizeof n, "%lld", (long long)r->partner_referrals_converted);
	csv_money("partner_contribution", "referrals_converted", n, &r->partner_referral_by, rc);
	snprintf(n, sizeof n, "%lld", (long long)r->partner_deals_won);
	csv_money("partner_contribution", "deals_won", n, &r->partner_deal_by, rc);
	snprintf(n, sizeof n, "%lld", (long long)r->direct_deals_won);
	csv_money("partner_contribution", "direct_deals_won", n, &r->direct_deal_by, rc);
	for (i = 0; i < 5; i++) {
		const struct money_sums *s = &r->commission_by[i];
		char m[MONEY_BUFSZ];
		if (s->n == 0)
			csv_line5("commission_accrued", status_keys[i], "0", money_format(0, currency_find(rc), m), rc);
		for (j = 0; j < s->n; j++) {
			snprintf(n, sizeof n, "%lld", (long long)s->v[j].lines);
			csv_line5("commission_accrued", status_keys[i], n,
			    money_format(s->v[j].amount, currency_find(s->v[j].currency), m), s->v[j].currency);
		}
	}
	csv_accrued("bonus_accrued", r->bonuses, r->bonus_by, rc);
	csv_accrued("override_accrued", r->overrides, r->override_by, rc);
	for (i = 0; i < r->nseries; i++) {
		char c2[32];
		snprintf(n, sizeof n, "%lld", (long long)r->series[i].referrals);
		snprintf(c2, sizeof c2, "%lld", (long long)r->series[i].conversions);
		csv_line(r->bucket, date_format_day(r->series[i].start, d), n, c2);
	}
}

/* Lines and amounts by status, a row per currency present. */
static void
print_accrued(const struct money_sums *by, const char *rc)
{
	char m[256];
	size_t i, j;

	for (i = 0; i < 5; i++) {
		const struct money_sums *s = &by[i];
		char one[MONEY_BUFSZ + 8];
		if (s->n == 0)
			printf("  %-10s %8d lines %16s\n", status_keys[i], 0, money_list(s, rc, m));
		for (j = 0; j < s->n; j++) {
			snprintf(one, sizeof one, "%s %s", money_format_human(s->v[j].amount,
			    currency_find(s->v[j].currency), m), s->v[j].currency);
			printf("  %-10s %8lld lines %16s\n", status_keys[i], (long long)s->v[j].lines, one);
		}
	}
}

static void
print_table(const struct report *r)
{
	const char *rc = r->currency;
	char m[256], d1[DATE_BUFSZ], d2[DATE_BUFSZ];
	size_t i;

	printf("%s to %s, %s\n\n", r->from ? date_format_day(r->from, d1) : "the beginning",
	    date_format_day(r->to - 1, d2), r->currency);
	printf("  referrals          %12lld\n", (long long)r->total_referrals);
	printf("  converted          %12lld   %.1f%%\n", (long long)r->conversions, r->conversion_rate * 100);
	printf("  converted value    %12s\n\n", money_list(&r->converted_by, rc, m));
	printf("top referrers                              referrals  converted          value\n");
	for (i = 0; i < r->ntop; i++) {
		char *name = str_visible_fit(r->top[i].name, 40);
		printf("  %s %9lld  %9lld %14s\n", name, (long long)r->top[i].referrals,
		    (long long)r->top[i].conversions, money_list(&r->top[i].value_by, rc, m));
		free(name);
	}
	printf("\npartner contribution\n");
	printf("  converted partner referrals %8lld %16s\n", (long long)r->partner_referrals_converted,
	    money_list(&r->partner_referral_by, rc, m));
	printf("  won partner deals           %8lld %16s\n", (long long)r->partner_deals_won,
	    money_list(&r->partner_deal_by, rc, m));
	printf("  won direct deals            %8lld %16s\n", (long long)r->direct_deals_won,
	    money_list(&r->direct_deal_by, rc, m));
	printf("\ncommission accrued\n");
	print_accrued(r->commission_by, rc);
	if (r->bonuses) {
		printf("\nbonuses accrued\n");
		print_accrued(r->bonus_by, rc);
	}
	if (r->overrides) {
		printf("\noverrides accrued\n");
		print_accrued(r->override_by, rc);
	}
	printf("\nper %s                 referrals  converted\n", r->bucket);
	for (i = 0; i < r->nseries; i++)
		printf("  %-20s %10lld %10lld\n", date_format_day(r->series[i].start, d1),
		    (long long)r->series[i].referrals, (long long)r->series[i].conversions);
}

struct report_call {
	struct cli_call k;
	struct report_filter f;
	const char *top;
};

#define REPORT_AT(f) offsetof(struct report_call, f)

static const struct opt report_flags[] = {
	OPT_STR_AT("from", "YYYY-MM-DD", REPORT_AT(f.from), "first day (default: the beginning)"),
	OPT_STR_AT("to", "YYYY-MM-DD", REPORT_AT(f.to), "last day (default: today)"),
	OPT_STR_AT("program", "PROGRAM", REPORT_AT(f.program), "only this program"),
	OPT_STR_AT("tier", "TIER", REPORT_AT(f.tier), "only partners of this tier"),
	OPT_STR_AT("partner", "PARTNER", REPORT_AT(f.partner), "only this partner"),
	OPT_STR_AT("currency", "CUR", REPORT_AT(f.currency), "only programs and deals in this currency"),
	OPT_STR_AT("by", "day|week|month", REPORT_AT(f.bucket), "the series' bucket (default by range)"),
	OPT_STR_AT("top", "N", REPORT_AT(top), "how many top referrers (default 10)"),
	CLI_CSV("CSV: section,name,count,amount,currency"),
	CLI_JSON("one JSON object"),
	OPT_END
};

static int
report_check(struct cli_call *k)
{
	struct report_call *rc = (struct report_call *)k;
	uint64_t n;
	int st;

	if (k->csv && k->json)
		return cli_usage(k->c, "give --csv or --json, not both");
	if (rc->top) {
		if ((st = cli_number(k->c, "--top", rc->top, &n)) != 0)
			return st;
		if (n < 1 || n > 1000)
			return cli_usage(k->c, "--top: %llu is out of range (1..1000)", (unsigned long long)n);
		rc->f.top = (int)n;
	}
	return 0;
}

static enum status
report_run(struct cli_call *k)
{
	struct report r;
	enum status st;

	if ((st = app_report(k->app, &((struct report_call *)k)->f, &r, &k->e)) != ST_OK)
		return st;
	if (k->json)
		print_json(&r);
	else if (k->csv)
		print_csv(&r);
	else
		print_table(&r);
	report_free(&r);
	return ST_OK;
}

/* Not read-only: a database from before the rollups builds them once. */
const struct cli_cmd cmd_report = {
	.name = "report", .synopsis = "[--from D] [--to D] [--program P] [--tier T] [--partner P] [--currency CUR] [--by B] [--top N] [--csv|--json]",
	.summary = "analytics: referrals, conversion rate, top referrers, partner contribution, commission accrued",
	.flags = report_flags, .size = sizeof(struct report_call), .check = report_check,
	.open = CLI_WRITE, .exec = report_run
};
