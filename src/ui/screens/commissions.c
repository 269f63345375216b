/*
 * commissions.c - the Commissions tab: the approval queue and payouts.
 *
 * The queue lists ledger lines (pending first; f cycles the status, F
 * narrows to a partner or program, / filters the text).  Space marks, *
 * marks everything shown, a approves the marked lines (o: with a hold
 * override and its reason), r rejects them with a reason; each line is
 * decided by app_commission_approve/reject in its own transaction, and
 * the status line sums up what happened.  Enter shows the line's
 * arithmetic (app_commission_explain); p opens the payout preview, which
 * runs only when the user types its checksum.
 *
 * Clawbacks (approved negative adjustments, made when a paid line is
 * refunded) are listed under the pending queue as information, kind
 * "clawback": they were approved when they were made, net against the
 * next payout, and are left out of any decision.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/ledger.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/date.h"
#include "ui/screens/common.h"
#include "ui/text.h"
#include "ui/widgets/dialog.h"
#include "ui/widgets/picker.h"
#include "ui/widgets/table.h"

static const char *const statuses[] = { "pending", "approved", "rejected", "paid", "reversed",
	NULL };
#define NSTATUS 5

struct commissions {
	struct table t;
	int status;             /* index in statuses, NSTATUS: all */
	char *partner, *program;
};

/* keys of the detail page done by the list on its record */
static const enum action detail_pass[] = { ACT_APPROVE, ACT_REJECT, ACT_OVERRIDE, ACT_NONE };

static const struct table_colspec cols[] = {
	{ "id", "Id", 8, COL_LOW, 0 }, { "status", "Status", 8, COL_LOW, 0 }, { "partner", "Partner", 22, COL_KEEP, 0 },
	{ "program", "Program", 18, COL_KEEP, 0 }, { "amount", "Amount", 12, COL_KEEP, 0 }, { "earned", "Earned", 16, COL_LOW, 0 },
	{ "hold_until", "Hold until", 10, COL_LOW, 0 }, { "kind", "Kind", 10, COL_LOW, 0 },
	/* the rule says the duration ("for 12 months") and the clauses */
	{ "rule", "Rule", 30, COL_LOW, 0 },
};

static void *
comm_open(struct ui *ui, const void *arg)
{
	struct commissions *s = xcalloc(1, sizeof *s);

	(void)ui;
	(void)arg;
	table_init(&s->t, cols, sizeof cols / sizeof cols[0]);
	s->t.empty = "No commission lines with this status.";
	s->t.limit = SIZE_MAX - 1;     /* the whole queue: its totals cover all of it */
	return s;
}

static void
comm_close(void *st)
{
	struct commissions *s = st;

	table_free(&s->t);
	free(s->partner);
	free(s->program);
	free(s);
}

#define KIND_COL 7             /* "kind" in cols */

/* An unpaid clawback, shown in the queue as information. */
static enum status
clawback_add(void *table, const struct row *r)
{
	struct row c = *r;
	bool adjustment = false, negative = false;
	size_t i;

	for (i = 0; i < c.n; i++) {
		if (strcmp(c.c[i].name, "kind") == 0 && c.c[i].s && strcmp(c.c[i].s, "adjustment") == 0) {
			adjustment = true;
			c.c[i].s = "clawback";
		}
		if (strcmp(c.c[i].name, "amount") == 0 && c.c[i].type == CELL_MONEY && c.c[i].i < 0)
			negative = true;
	}
	return adjustment && negative ? table_add(table, &c) : ST_OK;
}

static bool
is_clawback(const struct commissions *s, const char *id)
{
	size_t i;

	char buf[UI_CELL_BUFSZ];

	for (i = 0; i < s->t.nrows; i++)
		if (strcmp(table_row_id(&s->t, i), id) == 0)
			return strcmp(table_text(&s->t, i, KIND_COL, buf), "clawback") == 0;
	return false;
}

static void
comm_load(struct ui *ui, void *st)
{
	struct commissions *s = st;
	struct list_filter lf;
	struct err e;

	memset(&lf, 0, sizeof lf);
	lf.limit = s->t.limit + 1;
	lf.status = s->status < NSTATUS ? statuses[s->status] : NULL;
	lf.partner = s->partner;
	lf.program = s->program;
	err_clear(&e);
	table_begin(&s->t);
	if (app_list(ui_app(ui), KIND_COMMISSION, &lf, table_add, &s->t, &e) != ST_OK)
		ui_message(ui, CR_ERROR, "%s", e.msg);
	else if (s->status == 0) {
		lf.status = "approved";
		if (app_list(ui_app(ui), KIND_COMMISSION, &lf, clawback_add, &s->t, &e) != ST_OK)
			ui_message(ui, CR_ERROR, "%s", e.msg);
	}
	table_end(&s->t);
}

/*
 * The queue's totals per currency, on a line of their own when the lines
 * shown are in more than one currency (the table's own total row then
 * says "(mixed)": amounts in different currencies are never added).
 * Returns whether the line was drawn.
 */
static bool
queue_totals(struct ui *ui, const struct table *t, int y)
{
	struct money_sums sums;
	struct sbuf b;
	char m[MONEY_BUFSZ];
	size_t c, i;
	bool drawn = false;

	for (c = 0; c < t->ncols && strcmp(t->cols[c].name, "amount") != 0; c++)
		;
	if (c == t->ncols)
		return false;
	money_sums_init(&sums);
	for (i = 0; i < t->nview; i++)
		money_sums_add(&sums, table_row_cur(t, t->view[i]), table_num(t, t->view[i], c));
	if (sums.n > 1 || sums.overflow[0]) {
		sbuf_init(&b);
		sbuf_add(&b, "Totals by currency:");
		for (i = 0; i < sums.n; i++)
			sbuf_addf(&b, "  %s %s (%lld line%s)%s", money_format_human(sums.v[i].amount,
			    currency_find(sums.v[i].currency), m), sums.v[i].currency, (long long)sums.v[i].lines,
			    sums.v[i].lines == 1 ? "" : "s",
			    strcmp(sums.overflow, sums.v[i].currency) == 0 ? " too large to add up" : "");
		ui_put(ui, y, 1, ui_cols(ui) - 2, sbuf_str(&b), CR_TOTAL);
		sbuf_free(&b);
		drawn = true;
	}
	money_sums_free(&sums);
	return drawn;
}

static void
comm_draw(struct ui *ui, void *st, int y, int rows)
{
	struct commissions *s = st;
	struct sbuf b;
	char *safe;

	sbuf_init(&b);
	sbuf_addf(&b, "Commissions: %s", s->status < NSTATUS ? statuses[s->status] : "all");
	if (s->partner)
		sbuf_addf(&b, ", partner %s", s->partner);
	if (s->program)
		sbuf_addf(&b, ", program %s", s->program);
	safe = ui_text(sbuf_str(&b));
	ui_title(ui, y, safe, ui_may(ui, PERM_COMMISSION_WRITE) ?
	    "a approve  r reject  o override  f F narrow  p payout" : "f status  F narrow  Enter detail");
	free(safe);
	sbuf_free(&b);
	if (rows > 4 && queue_totals(ui, &s->t, y + 1)) {
		y++;
		rows--;
	}
	table_draw(ui, &s->t, y + 1, rows - 1);
}

/* ---- deciding ---- */

static void
clear_marks(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows; i++)
		t->rows[i].marked = false;
}

static size_t
col_of(const struct table *t, const char *name)
{
	size_t c;

	for (c = 0; c < t->ncols && strcmp(t->cols[c].name, name) != 0; c++)
		;
	return c;
}

/*
 * The facts of a decision on the selection (the marked lines shown, else
 * the cursor's): the sum per currency, and the lines whose hold has not
 * ended yet, named (approve refuses them without o).  Into out.
 */
static void
selection_facts(const struct commissions *s, struct sbuf *out)
{
	const struct table *t = &s->t;
	size_t am = col_of(t, "amount"), hc = col_of(t, "hold_until"), sc = col_of(t, "status"), i, held = 0;
	bool any = table_marked(t) > 0;
	int64_t now = clock_now();
	struct money_sums sums;
	struct sbuf hold;
	char m[MONEY_BUFSZ], hb[UI_CELL_BUFSZ], sb[UI_CELL_BUFSZ];

	if (am == t->ncols)
		return;
	money_sums_init(&sums);
	sbuf_init(&hold);
	for (i = 0; i < t->nview; i++) {
		size_t row = t->view[i];
		if (any ? !t->rows[row].marked : i != t->cur)
			continue;
		money_sums_add(&sums, table_row_cur(t, row), table_num(t, row, am));
		if (hc < t->ncols && table_num(t, row, hc) > now &&
		    strcmp(table_text(t, row, sc, sb), "pending") == 0) {
			if (held < 5)
				sbuf_addf(&hold, "%s%s (until %s)", held ? ", " : "", table_row_id(t, row),
				    table_text(t, row, hc, hb));
			held++;
		}
	}
	for (i = 0; i < sums.n; i++) {
		const struct currency *cur = currency_find(sums.v[i].currency);
		if (cur)
			sbuf_addf(out, "%s%s %s", i ? " + " : "", money_format_human(sums.v[i].amount, cur, m),
			    sums.v[i].currency);
	}
	if (held > 0)
		sbuf_addf(out, ". Still on hold, refused unless o overrides: %s%s", sbuf_str(&hold),
		    held > 5 ? " and more" : "");
	sbuf_free(&hold);
	money_sums_free(&sums);
}

static void
decide(struct ui *ui, struct commissions *s, bool approve, bool override)
{
	const char **ids;
	struct decision *res;
	char *reason = NULL, *q;
	size_t n, i, done = 0, already = 0, refused = 0;
	const char *first_refusal = NULL, *first_id = NULL;
	struct err e;
	enum status st;

	ids = table_selection(&s->t, &n);
	for (i = 0; i < n; ) {
		if (is_clawback(s, ids[i])) {
			first_id = ids[i];
			memmove(&ids[i], &ids[i + 1], (n - i - 1) * sizeof *ids);
			n--;
		} else {
			i++;
		}
	}
	if (n == 0) {
		free(ids);
		if (first_id)
			ui_message(ui, CR_WARNING, "%s is a clawback: it nets in the next payout; nothing to decide",
			    first_id);
		else
			ui_message(ui, CR_WARNING, "nothing to decide: the list is empty");
		return;
	}
	first_id = NULL;
	if (!approve || override) {
		struct sbuf facts;
		sbuf_init(&facts);
		selection_facts(s, &facts);
		q = xasprintf("%s %zu line%s (%s): the reason (required)", approve ?
		    "Approve before the hold date ends," : "Reject", n, n == 1 ? "" : "s", sbuf_str(&facts));
		sbuf_free(&facts);
		reason = ui_prompt(ui, q, "");
		free(q);
		if (reason == NULL || reason[0] == '\0') {
			if (reason)
				ui_message(ui, CR_WARNING, "a reason is required; nothing changed");
			free(reason);
			free(ids);
			return;
		}
	} else if (n > 1) {
		struct sbuf facts;
		sbuf_init(&facts);
		selection_facts(s, &facts);
		q = xasprintf("Approve %zu marked commission lines, %s?", n, sbuf_str(&facts));
		sbuf_free(&facts);
		if (!ui_confirm(ui, q)) {
			free(q);
			free(ids);
			return;
		}
		free(q);
	}
	res = xcalloc(n, sizeof *res);
	err_clear(&e);
	if (approve)
		st = app_commission_approve(ui_app(ui), ids, n, reason, res, &e);
	else
		st = app_commission_reject(ui_app(ui), ids, n, reason, res, &e);
	for (i = 0; i < n; i++) {
		if (res[i].outcome == DECIDED)
			done++;
		else if (res[i].outcome == DECIDED_ALREADY)
			already++;
		else {
			refused++;
			if (first_refusal == NULL) {
				/* the CLI's advice is not ours: o is the override here */
				char *cli = strstr(res[i].message, " (give --");
				if (cli)
					*cli = '\0';
				first_refusal = res[i].message;
				first_id = ids[i];
			}
		}
	}
	if (st == ST_NOPERM || (done == 0 && already == 0 && refused == 0))
		screen_report(ui, st, &e, NULL);
	else if (refused > 0)
		ui_message(ui, CR_WARNING, "%s %zu, already %zu, refused %zu: %s %s%s",
		    approve ? "approved" : "rejected", done, already, refused, first_id,
		    first_refusal, approve && !override ? " (o overrides the hold)" : "");
	else
		ui_message(ui, CR_OK, "%s %zu line%s%s", approve ? "approved" : "rejected", done,
		    done == 1 ? "" : "s", already ? " (some had been decided already)" : "");
	if (done > 0)
		clear_marks(&s->t);
	free(res);
	free(reason);
	free(ids);
	ui_reload(ui);
}

static void
explain(struct ui *ui, struct commissions *s)
{
	const char *id = table_current(&s->t);
	struct sbuf b;
	struct err e;
	char *title;

	sbuf_init(&b);
	err_clear(&e);
	if (app_commission_explain(ui_app(ui), id, &b, &e) != ST_OK) {
		screen_report(ui, e.st ? e.st : ST_SOFTWARE, &e, NULL);
		sbuf_free(&b);
		return;
	}
	title = xasprintf("Commission %s: how it was computed", id);
	ui_show_record(ui, title, sbuf_str(&b), detail_pass,
	    ui_may(ui, PERM_COMMISSION_WRITE) ? "a r o" : NULL);
	free(title);
	sbuf_free(&b);
}

static void
narrow(struct ui *ui, struct commissions *s)
{
	static const char *const by[] = { "partner", "program", "clear partner and program" };
	char *v, *q;
	int k = ui_choose(ui, "Narrow by", by, 3, 0);
	uint64_t id;
	struct err e;

	if (k < 0)
		return;
	if (k == 2) {
		free(s->partner);
		free(s->program);
		s->partner = s->program = NULL;
		comm_load(ui, s);
		return;
	}
	q = xasprintf("Only lines of this %s (type any word; empty: all)", by[k]);
	v = ui_pick(ui, q, k == 0 ? KIND_PARTNER : KIND_PROGRAM, k == 0 ? s->partner : s->program,
	    true);
	free(q);
	if (v == NULL)
		return;
	err_clear(&e);
	if (v[0] && app_resolve_ref(ui_app(ui), k == 0 ? KIND_PARTNER : KIND_PROGRAM, v, &id,
	    &e) != ST_OK) {
		ui_message(ui, CR_ERROR, "%s", e.msg);
		free(v);
		return;
	}
	if (k == 0) {
		free(s->partner);
		s->partner = v[0] ? v : NULL;
	} else {
		free(s->program);
		s->program = v[0] ? v : NULL;
	}
	if (v[0] == '\0')
		free(v);
	comm_load(ui, s);
}

extern const struct screen_ops screen_payout, screen_batches;

static bool
comm_key(struct ui *ui, void *st, enum action act, int key)
{
	struct commissions *s = st;

	if (table_key(&s->t, act, key))
		return true;
	if (key == 'b') {
		ui_push(ui, &screen_batches, NULL);
		return true;
	}
	switch (act) {
	case ACT_APPROVE:   decide(ui, s, true, false); break;
	case ACT_OVERRIDE:  decide(ui, s, true, true); break;
	case ACT_REJECT:    decide(ui, s, false, false); break;
	case ACT_OPEN:      if (s->t.nview) explain(ui, s); break;
	case ACT_STATUS:
		s->status = (s->status + 1) % (NSTATUS + 1);
		clear_marks(&s->t);
		comm_load(ui, s);
		break;
	case ACT_NARROW:    narrow(ui, s); break;
	case ACT_PAYOUT:    ui_push(ui, &screen_payout, NULL); break;
	default:
		return false;
	}
	return true;
}

static const struct screen_key screen_commissions_keys[] = {
	SK(ACT_APPROVE, "approve the marked (or selected) lines", PERM_COMMISSION_WRITE),
	SK(ACT_REJECT, "reject the marked lines, with a reason", PERM_COMMISSION_WRITE),
	SK(ACT_OVERRIDE, "approve before the hold ends, with a reason", PERM_COMMISSION_WRITE),
	SK(ACT_PAYOUT, "payout preview, then run with the checksum", PERM_COMMISSION_WRITE),
	SK_RAW("b", "the batches written: their lines and files", PERM_COMMISSION_READ),
	SK_ANY(ACT_STATUS, "cycle the status filter"),
	SK_ANY(ACT_NARROW, "narrow to a partner or program"),
	SK_ANY(ACT_OPEN, "the line's detail and how it was computed"),
	SK_LIST,
	SK_MARKS,
	SK_END
};

static struct table *
screen_commissions_list(void *st)
{
	return &((struct commissions *)st)->t;
}

static bool
screen_commissions_typing(void *st)
{
	return ((struct commissions *)st)->t.filtering;
}

const struct screen_ops screen_commissions = {
	.name = "Commissions",
	.open = comm_open,
	.close = comm_close,
	.load = comm_load,
	.draw = comm_draw,
	.key = comm_key,
	.keys = screen_commissions_keys,
	.typing = screen_commissions_typing,
	.list = screen_commissions_list,
};
