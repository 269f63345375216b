/*
 * cmd_whatif.c - "ally whatif --program P --rule RULE [--tier T]
 * [--from D] [--to D] [--csv|--json]": what the range's conversions would
 * earn under another rule, per partner, beside what they earn now.
 * Nothing is written (app_whatif).
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "app/ledger.h"
#include "cli/cli.h"
#include "core/money.h"

struct whatif_call {
	struct cli_call k;
	struct whatif_input in;
};

#define WHATIF_AT(f) offsetof(struct whatif_call, f)

static const struct opt whatif_flags[] = {
	OPT_REQ_AT("program", "P", WHATIF_AT(in.program), "the program whose conversions are replayed"),
	OPT_REQ_AT("rule", "RULE", WHATIF_AT(in.rule), "the rule to try (the grammar of program add)"),
	OPT_STR_AT("tier", "T", WHATIF_AT(in.tier),
	    "try it as this tier's rule: only the tier's partners then count"),
	OPT_STR_AT("from", "D", WHATIF_AT(in.from), "conversions from this day or time (default: the first)"),
	OPT_STR_AT("to", "D", WHATIF_AT(in.to), "up to this day, included (default: the last)"),
	CLI_CSV("CSV: partner,name,current,proposed,difference,currency,conversions; a total row last"),
	CLI_JSON("one JSON object: the totals and a partners array"),
	OPT_END
};

static int
whatif_check(struct cli_call *k)
{
	if (k->csv && k->json)
		return cli_usage(k->c, "give --csv or --json, not both");
	return 0;
}

static void
row_cells(struct row *r, const char *partner, const char *name, const char *cur, int64_t current,
    int64_t proposed, int64_t difference, uint64_t conversions)
{
	memset(r, 0, sizeof *r);
	r->c[r->n++] = (struct cell){ .name = "partner", .type = CELL_STR, .s = partner };
	r->c[r->n++] = (struct cell){ .name = "name", .type = CELL_STR, .s = name };
	r->c[r->n++] = (struct cell){ .name = "current", .type = CELL_MONEY, .i = current, .cur = cur };
	r->c[r->n++] = (struct cell){ .name = "proposed", .type = CELL_MONEY, .i = proposed, .cur = cur };
	r->c[r->n++] = (struct cell){ .name = "difference", .type = CELL_MONEY, .i = difference, .cur = cur };
	r->c[r->n++] = (struct cell){ .name = "conversions", .type = CELL_INT, .i = (int64_t)conversions };
}

static void
partner_id(const struct whatif_row *w, char *buf, size_t n)
{
	if (w->partner)
		snprintf(buf, n, "P%llu", (unsigned long long)w->partner);
	else
		buf[0] = '\0';
}

static void
print_json(const struct whatif_input *in, const struct whatif *w)
{
	json_t *o = json_object(), *a = json_array();
	const struct currency *cur = currency_find(w->currency);
	char m[MONEY_BUFSZ], id[32];
	struct row r;
	size_t i;

	json_object_set_new(o, "program", json_string(in->program));
	json_object_set_new(o, "rule", json_string(in->rule));
	json_object_set_new(o, "tier", in->tier ? json_string(in->tier) : json_null());
	json_object_set_new(o, "from", in->from ? json_string(in->from) : json_null());
	json_object_set_new(o, "to", in->to ? json_string(in->to) : json_null());
	json_object_set_new(o, "currency", json_string(w->currency));
	json_object_set_new(o, "conversions", json_integer((json_int_t)w->conversions));
	json_object_set_new(o, "tier_kept", json_integer((json_int_t)w->tier_kept));
#define MONEY_FIELD(name, v) do { \
		json_object_set_new(o, name, json_string(money_format(v, cur, m))); \
		json_object_set_new(o, name "_minor", json_integer(v)); \
	} while (0)
	MONEY_FIELD("current", w->current);
	MONEY_FIELD("proposed", w->proposed);
	MONEY_FIELD("difference", w->difference);
#undef MONEY_FIELD
	for (i = 0; i < w->n; i++) {
		const struct whatif_row *x = &w->rows[i];
		json_t *p;
		partner_id(x, id, sizeof id);
		row_cells(&r, id, x->name, w->currency, x->current, x->proposed, x->difference,
		    x->conversions);
		p = out_row_json(&r);
		if (x->partner == 0)
			json_object_set_new(p, "partner", json_null());
		json_array_append_new(a, p);
	}
	json_object_set_new(o, "partners", a);
	out_json_line(stdout, o);
}

static enum status
whatif_run(struct cli_call *k)
{
	struct whatif_call *wc = (struct whatif_call *)k;
	struct whatif w;
	struct out o;
	struct row r;
	char id[32];
	enum status st;
	size_t i;

	if ((st = app_whatif(k->app, &wc->in, &w, &k->e)) != ST_OK)
		return st;
	if (k->json) {
		print_json(&wc->in, &w);
		whatif_free(&w);
		return ST_OK;
	}
	out_init(&o, k->csv ? OUT_CSV : OUT_TABLE, stdout);
	for (i = 0; i < w.n; i++) {
		partner_id(&w.rows[i], id, sizeof id);
		row_cells(&r, id, w.rows[i].name, w.currency, w.rows[i].current, w.rows[i].proposed,
		    w.rows[i].difference, w.rows[i].conversions);
		out_row(&o, &r);
	}
	row_cells(&r, "", k->csv ? "total" : "Total", w.currency, w.current, w.proposed, w.difference,
	    w.conversions);
	out_row(&o, &r);
	out_finish(&o);
	if (!k->csv) {
		printf("%llu conversion%s replayed under the rule; nothing was written.\n",
		    (unsigned long long)w.conversions, w.conversions == 1 ? "" : "s");
		if (w.tier_kept)
			printf("%llu of them are of partners whose tier has a rule of its own, which stays "
			    "(--tier T tries the rule as a tier's).\n", (unsigned long long)w.tier_kept);
	}
	whatif_free(&w);
	return ST_OK;
}

const struct cli_cmd cmd_whatif = {
	.name = "whatif",
	.synopsis = "--program P --rule RULE [--tier T] [--from D] [--to D] [--csv|--json]",
	.summary = "what a program's conversions would earn under another rule, per partner",
	.flags = whatif_flags, .size = sizeof(struct whatif_call), .check = whatif_check,
	.open = CLI_WRITE, .exec = whatif_run
};
