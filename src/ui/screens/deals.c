/*
 * deals.c - the Deals tab: the registrations queue and the pipeline.
 *
 * The list shows every deal with the registrations waiting for a decision
 * (submitted and conflict) first; a conflict is an alert row ("!" and the
 * warning colour) and the cursor's reason (the conflict, or why it was
 * rejected or lost) is spelt out under the list.  f cycles the stage, F
 * narrows to a partner, a tier or a source.  a approves, r rejects with a
 * reason the partner sees, w wins (a form for the final value and date),
 * l loses, n registers (deals_form.c: the conflict check runs as you
 * type), Enter shows the deal.  p swaps the list for the pipeline:
 * partner-sourced and direct deals side by side, by stage, with counts
 * and value totals (app_deal_pipeline, narrowed by partner and tier).
 *
 * Every decision is app_deal_decide() on one deal in its own transaction,
 * so a batch of marked deals reports each refusal without undoing the
 * others.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/deals.h"
#include "core/alloc.h"
#include "core/money.h"
#include "domain/records.h"
#include "ui/screens/common.h"
#include "ui/text.h"
#include "ui/widgets/dialog.h"
#include "ui/widgets/picker.h"
#include "ui/widgets/table.h"

/* The stage filter's cycle, after "all". */
static const char *const stages[] = { "submitted", "conflict", "approved", "won", "lost",
	"rejected", "expired" };
#define NSTAGE 7
static const char *const sources[] = { "partner and direct", "partner", "direct" };

struct deals {
	struct table t;
	int stage;              /* index in stages; NSTAGE: all, open first */
	int source;             /* index in sources */
	char *partner, *tier;   /* as typed (name or id) */
	char **tier_names;      /* partners of the tier, while loading */
	size_t ntier;
	bool pipeline;
	struct pipeline pl;
	bool pl_ok;
};

/* keys of the detail page done by the list on its record */
static const enum action detail_pass[] = { ACT_APPROVE, ACT_REJECT, ACT_WIN, ACT_LOSE, ACT_NONE };

static const struct table_colspec deal_cols[] = {
	{ "id", "Id", 6, COL_LOW, 0 }, { "stage", "Stage", 9, COL_NORMAL, 0 }, { "partner", "Partner", 18, COL_KEEP, 0 },
	{ "company", "Company", 22, COL_KEEP, 0 }, { "domain", "Domain", 22, COL_NORMAL, 0 }, { "value", "Value", 14, COL_KEEP, 0 },
	{ "exclusive_until", "Excl. to", 10, COL_LOW, 0 }, { "reason", "Reason", 90, COL_NORMAL, 0 },
};

static void *
deals_open(struct ui *ui, const void *arg)
{
	struct deals *s = xcalloc(1, sizeof *s);

	(void)arg;
	table_init(&s->t, deal_cols, sizeof deal_cols / sizeof deal_cols[0]);
	s->t.empty = ui_may(ui, PERM_DEAL_REGISTER) ? "No deals here: n registers one." : "No deals here.";
	s->t.alert_col = "stage";
	s->t.alert_val = "conflict";
	s->t.no_totals = false;
	s->stage = NSTAGE;
	return s;
}

static void
free_tier_names(struct deals *s)
{
	size_t i;

	for (i = 0; i < s->ntier; i++)
		free(s->tier_names[i]);
	free(s->tier_names);
	s->tier_names = NULL;
	s->ntier = 0;
}

static void
deals_close(void *st)
{
	struct deals *s = st;

	table_free(&s->t);
	free(s->partner);
	free(s->tier);
	free_tier_names(s);
	free(s);
}

/* ---- loading ---- */

static struct cell *
find_cell(struct row *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->c[i].name, name) == 0)
			return &r->c[i];
	return NULL;
}

static const char *
cell_s(struct row *r, const char *name)
{
	struct cell *c = find_cell(r, name);

	return c && c->s ? c->s : "";
}

static enum status
tier_name_add(void *ctx, const struct row *r)
{
	struct deals *s = ctx;
	size_t i;

	for (i = 0; i < r->n; i++) {
		if (strcmp(r->c[i].name, "name") == 0 && r->c[i].s) {
			s->tier_names = xrealloc(s->tier_names, (s->ntier + 1) * sizeof(char *));
			s->tier_names[s->ntier++] = xstrdup(r->c[i].s);
		}
	}
	return ST_OK;
}

struct load_ctx {
	struct deals *s;
	bool open_pass;         /* the first pass: submitted and conflict only */
};

/* One deal row: filtered by source and tier, shown with "(direct)" for
 * the partner of a direct deal and the final value of a won one. */
static enum status
deal_row(void *ctx, const struct row *in)
{
	struct load_ctx *lc = ctx;
	struct deals *s = lc->s;
	struct row r = *in;     /* cells may point into in->buf, alive until we return */
	const char *stage = cell_s(&r, "stage"), *source = cell_s(&r, "source");
	bool open = strcmp(stage, "submitted") == 0 || strcmp(stage, "conflict") == 0;
	struct cell *c;
	size_t i;

	if (s->stage == NSTAGE && open != lc->open_pass)
		return ST_OK;
	if (s->source > 0 && strcmp(source, sources[s->source]) != 0)
		return ST_OK;
	if (s->tier) {
		const char *p = cell_s(&r, "partner");
		for (i = 0; i < s->ntier; i++)
			if (strcmp(s->tier_names[i], p) == 0)
				break;
		if (i == s->ntier)
			return ST_OK;
	}
	if (strcmp(source, "direct") == 0 && (c = find_cell(&r, "partner")) != NULL)
		c->s = "(direct)";
	if (strcmp(stage, "approved") != 0 && (c = find_cell(&r, "exclusive_until")) != NULL)
		c->i = 0;       /* exclusivity matters while approved only */
	if (strcmp(stage, "won") == 0) {
		struct cell *v = find_cell(&r, "value"), *fv = find_cell(&r, "final_value");
		if (v && fv)
			v->i = fv->i;
	}
	return table_add(&s->t, &r);
}

static void
deals_load(struct ui *ui, void *st)
{
	struct deals *s = st;
	struct list_filter lf;
	struct load_ctx lc = { s, true };
	struct err e;
	enum status rc = ST_OK;

	err_clear(&e);
	if (s->pipeline) {
		s->pl_ok = app_deal_pipeline(ui_app(ui), s->partner, s->tier, &s->pl, &e) == ST_OK;
		if (!s->pl_ok)
			ui_message(ui, CR_ERROR, "%s", e.msg);
		return;
	}
	memset(&lf, 0, sizeof lf);
	lf.partner = s->partner;
	lf.status = s->stage < NSTAGE ? stages[s->stage] : NULL;
	free_tier_names(s);
	if (s->tier) {
		struct list_filter tf = { .tier = s->tier };
		rc = app_list(ui_app(ui), KIND_PARTNER, &tf, tier_name_add, s, &e);
	}
	table_begin(&s->t);
	if (rc == ST_OK)
		rc = app_list(ui_app(ui), KIND_DEAL, &lf, deal_row, &lc, &e);
	if (rc == ST_OK && s->stage == NSTAGE) {
		lc.open_pass = false;
		rc = app_list(ui_app(ui), KIND_DEAL, &lf, deal_row, &lc, &e);
	}
	if (rc != ST_OK)
		ui_message(ui, CR_ERROR, "%s", e.msg);
	table_end(&s->t);
	free_tier_names(s);
}

/* ---- drawing ---- */

static char *
title_text(const struct deals *s)
{
	struct sbuf b;
	char *safe;

	sbuf_init(&b);
	if (s->pipeline)
		sbuf_add(&b, "Deals pipeline");
	else
		sbuf_addf(&b, "Deals: %s", s->stage < NSTAGE ? stages[s->stage] : "all, open first");
	if (s->partner)
		sbuf_addf(&b, ", partner %s", s->partner);
	if (s->tier)
		sbuf_addf(&b, ", tier %s", s->tier);
	if (s->source > 0 && !s->pipeline)
		sbuf_addf(&b, ", %s only", sources[s->source]);
	safe = ui_text(sbuf_str(&b));
	sbuf_free(&b);
	return safe;
}

/* The cursor's reason under the list, wrapped: why it is in conflict,
 * or why it was rejected or lost. */
static void
draw_reason(struct ui *ui, struct deals *s, int y, int rows)
{
	const char *reason = table_current_cell(&s->t, "reason");
	const char *stage = table_current_cell(&s->t, "stage");
	struct sbuf b, line;
	const char *p;
	int i, n, w = ui_cols(ui) - 4;
	char *text;

	for (i = 0; i < rows; i++)
		ui_clear_line(ui, y + i, 0, CR_NORMAL);
	if (reason == NULL || reason[0] == '\0' || s->t.nview == 0)
		return;
	text = xasprintf("%s %s: %s", table_current(&s->t), stage ? stage : "", reason);
	sbuf_init(&b);
	sbuf_init(&line);
	n = ui_wrap(&b, text, (size_t)w, rows);
	p = sbuf_str(&b);
	for (i = 0; i < n; i++) {
		size_t len = strcspn(p, "\n");
		sbuf_reset(&line);
		sbuf_addn(&line, p, len);
		ui_put(ui, y + i, 2, w, sbuf_str(&line),
		    stage && strcmp(stage, "conflict") == 0 ? CR_WARNING : CR_DIM);
		p += len + (p[len] ? 1 : 0);
	}
	sbuf_free(&line);
	sbuf_free(&b);
	free(text);
}

/* Stages in the order a deal moves through them. */
static const int32_t pipeline_order[] = { DEAL_SUBMITTED, DEAL_CONFLICT, DEAL_APPROVED,
	DEAL_WON, DEAL_LOST, DEAL_EXPIRED, DEAL_REJECTED };

static void
put_cell(struct ui *ui, int y, int x, int cw, int vw, const struct pipeline_cell *c,
    const struct currency *cur, enum color_role r)
{
	char num[32], money[MONEY_BUFSZ];

	snprintf(num, sizeof num, "%lld", (long long)c->count);
	ui_put_right(ui, y, x, cw, num, r);
	ui_put_right(ui, y, x + cw + 1, vw, money_format_human(c->value, cur, money), r);
}

/* A bar of w columns for value v of the largest max. */
static void
put_bar(struct ui *ui, int y, int x, int w, int64_t v, int64_t max)
{
	struct sbuf b;
	int n, i;

	if (w < 4 || max <= 0 || v <= 0)
		return;
	n = (int)((double)v / (double)max * w + 0.5);
	if (n < 1)
		n = 1;
	sbuf_init(&b);
	for (i = 0; i < n; i++)
		sbuf_add(&b, ui_text_ascii() ? "#" : "\xe2\x96\x88");
	ui_put(ui, y, x, w, sbuf_str(&b), CR_OK);
	sbuf_free(&b);
}

/*
 * The pipeline: a stage column, then partner-sourced and direct side by
 * side, each a count and a value total (and, when wide enough, a bar of
 * the value against the largest stage of either side); then the open
 * pipeline (submitted, conflict, approved) and everything.
 */
static void
draw_pipeline(struct ui *ui, struct deals *s, int y, int rows)
{
	const struct currency *cur = currency_find(s->pl.currency);
	int cols = ui_cols(ui), sw = 12, side = (cols - 2 - sw) / 2, cw = 6, vw = 16;
	int bw = side - cw - 1 - vw - 3, x1 = 2 + sw, x2 = x1 + side, i, k, row;
	struct pipeline_cell open[2], all[2];
	int64_t max = 0;
	char head[64];

	if (cur == NULL)
		cur = app_currency(ui_app(ui));
	memset(open, 0, sizeof open);
	memset(all, 0, sizeof all);
	for (i = 0; i < NSTAGE; i++) {
		int32_t st = pipeline_order[i];
		const struct pipeline_cell *c[2] = { &s->pl.partner[st], &s->pl.direct[st] };
		for (k = 0; k < 2; k++) {
			all[k].count += c[k]->count;
			all[k].value += c[k]->value;
			if (st == DEAL_SUBMITTED || st == DEAL_CONFLICT || st == DEAL_APPROVED) {
				open[k].count += c[k]->count;
				open[k].value += c[k]->value;
			}
			if (c[k]->value > max)
				max = c[k]->value;
		}
	}
	if (!s->pl_ok) {
		ui_put(ui, y, 2, cols - 4, "The pipeline could not be read (see the status line).",
		    CR_DIM);
		return;
	}
	snprintf(head, sizeof head, "Partner-sourced (%s)", s->pl.currency);
	ui_put(ui, y, x1 + 1, side - 2, head, CR_HEADER);
	snprintf(head, sizeof head, "Direct (%s)", s->pl.currency);
	ui_put(ui, y, x2 + 1, side - 2, head, CR_HEADER);
	ui_put(ui, y + 1, 2, sw, "Stage", CR_HEADER);
	for (k = 0; k < 2; k++) {
		int x = k == 0 ? x1 : x2;
		ui_put_right(ui, y + 1, x, cw, "Deals", CR_HEADER);
		ui_put_right(ui, y + 1, x + cw + 1, vw, "Value", CR_HEADER);
	}
	row = y + 2;
	for (i = 0; i < NSTAGE && row < y + rows; i++, row++) {
		int32_t st = pipeline_order[i];
		bool none = s->pl.partner[st].count == 0 && s->pl.direct[st].count == 0;
		enum color_role r = st == DEAL_CONFLICT && s->pl.partner[st].count ? CR_WARNING :
		    none ? CR_DIM : CR_NORMAL;
		ui_put(ui, row, 2, sw, deal_stage_name(st), r);
		put_cell(ui, row, x1, cw, vw, &s->pl.partner[st], cur, r);
		put_cell(ui, row, x2, cw, vw, &s->pl.direct[st], cur, r);
		put_bar(ui, row, x1 + cw + vw + 3, bw, s->pl.partner[st].value, max);
		put_bar(ui, row, x2 + cw + vw + 3, bw, s->pl.direct[st].value, max);
	}
	row++;
	if (row < y + rows) {
		ui_put(ui, row, 2, sw, "Open", CR_TOTAL);
		put_cell(ui, row, x1, cw, vw, &open[0], cur, CR_TOTAL);
		put_cell(ui, row, x2, cw, vw, &open[1], cur, CR_TOTAL);
		row++;
	}
	if (row < y + rows) {
		ui_put(ui, row, 2, sw, "All", CR_TOTAL);
		put_cell(ui, row, x1, cw, vw, &all[0], cur, CR_TOTAL);
		put_cell(ui, row, x2, cw, vw, &all[1], cur, CR_TOTAL);
		row += 2;
	}
	if (row < y + rows)
		ui_put(ui, row, 2, cols - 4,
		    "Open: submitted, conflict and approved.  Won deals count their final value.",
		    CR_DIM);
	if (s->tier && row + 1 < y + rows)
		ui_put(ui, row + 1, 2, cols - 4, "A tier leaves the direct deals out.", CR_DIM);
}

#define REASON_ROWS 2

static void
deals_draw(struct ui *ui, void *st, int y, int rows)
{
	struct deals *s = st;
	char *title = title_text(s);

	if (s->pipeline) {
		ui_title(ui, y, title, "p list  F partner/tier");
		draw_pipeline(ui, s, y + 2, rows - 2);
	} else {
		ui_title(ui, y, title, ui_may(ui, PERM_DEAL_REVIEW) ?
		    "a r w l decide  n new  f F filter  p pipeline" : ui_may(ui, PERM_DEAL_REGISTER) ?
		    "n new  f F filter  p pipeline  Enter detail" : "f F filter  p pipeline  Enter detail");
		table_draw(ui, &s->t, y + 1, rows - 1 - REASON_ROWS);
		draw_reason(ui, s, y + rows - REASON_ROWS, REASON_ROWS);
	}
	free(title);
}

/* ---- deciding ---- */

static void
clear_marks(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows; i++)
		t->rows[i].marked = false;
}

static const char *const verbs[] = { "approved", "rejected", "won", "lost" };

/* Approve, reject or lose the marked deals (else the cursor's). */
static void
decide(struct ui *ui, struct deals *s, enum deal_action act)
{
	const char **ids;
	char *reason = NULL, *q, first[512] = "";
	size_t n, i, done = 0, refused = 0;
	struct err e;

	ids = table_selection(&s->t, &n);
	if (n == 0) {
		free(ids);
		ui_message(ui, CR_WARNING, "nothing to decide: the list is empty");
		return;
	}
	if (act == DEAL_DO_REJECT || act == DEAL_DO_LOSE) {
		q = n == 1 ? xasprintf("%s %s: the reason (%s)", act == DEAL_DO_REJECT ? "Reject" :
		    "Lose", ids[0], act == DEAL_DO_REJECT ? "the partner will see it" : "optional") :
		    xasprintf("%s %zu deals: the reason (%s)", act == DEAL_DO_REJECT ? "Reject" : "Lose", n,
		    act == DEAL_DO_REJECT ? "the partner will see it" : "optional");
		reason = ui_prompt(ui, q, "");
		free(q);
		if (reason == NULL || (act == DEAL_DO_REJECT && reason[0] == '\0')) {
			if (reason)
				ui_message(ui, CR_WARNING, "a reason is required; nothing changed");
			free(reason);
			free(ids);
			return;
		}
	} else if (n > 1) {
		q = xasprintf("Approve %zu marked deals?", n);
		if (!ui_confirm(ui, q)) {
			free(q);
			free(ids);
			return;
		}
		free(q);
	}
	for (i = 0; i < n; i++) {
		err_clear(&e);
		if (app_deal_decide(ui_app(ui), ids[i], act, reason && reason[0] ? reason : NULL, NULL,
		    NULL, NULL, &e) == ST_OK) {
			done++;
		} else {
			if (refused++ == 0)
				snprintf(first, sizeof first, "%s", e.msg[0] ? e.msg : status_str(e.st));
			if (e.st == ST_NOPERM)
				break;
		}
	}
	if (refused == 0 && n == 1)
		ui_message(ui, CR_OK, "%s %s", ids[0], verbs[act]);
	else if (refused == 0)
		ui_message(ui, CR_OK, "%s %zu deals", verbs[act], done);
	else if (n == 1)
		ui_message(ui, CR_ERROR, "%s", first);
	else if (refused > 0)
		ui_message(ui, CR_WARNING, "%s %zu, refused %zu: %s", verbs[act], done, refused, first);
	if (done > 0)
		clear_marks(&s->t);
	free(reason);
	free(ids);
	ui_reload(ui);
}

static void
win(struct ui *ui, struct deals *s)
{
	const char *id = table_current(&s->t);
	struct recfields rf;
	char *keep;

	if (s->t.nview == 0 || !rec_fields(ui, KIND_DEAL, id, &rf))
		return;
	keep = xstrdup(id);
	if (deals_win_form(ui, keep, rec_field(&rf, "value"))) {
		ui_reload(ui);
		table_goto(&s->t, keep);
	}
	free(keep);
	rec_fields_free(&rf);
}

static void
new_deal(struct ui *ui, struct deals *s)
{
	char *id = deals_register_form(ui);

	if (id == NULL)
		return;
	ui_reload(ui);
	table_goto(&s->t, id);
	free(id);
}

static void
detail(struct ui *ui, struct deals *s)
{
	const char *id = table_current(&s->t);
	struct recfields rf;
	struct deal_conflict c;
	struct sbuf b;
	struct err e;
	const char *stage;
	char text[320], *title;

	if (!rec_fields(ui, KIND_DEAL, id, &rf))
		return;
	sbuf_init(&b);
	rec_fields_text(&rf, &b);
	stage = rec_field(&rf, "stage");
	if (strcmp(stage, "submitted") == 0 || strcmp(stage, "conflict") == 0) {
		err_clear(&e);
		sbuf_add(&b, "\nConflict check now\n");
		if (app_deal_check(ui_app(ui), rec_field(&rf, "domain"), rec_field(&rf, "company"), &c,
		    &e) != ST_OK)
			sbuf_addf(&b, "  could not check: %s\n", e.msg);
		else if (c.deal == 0)
			sbuf_add(&b, "  free: no approved registration or open direct deal has this domain or company\n");
		else {
			deal_conflict_text(&c, text, sizeof text);
			/* the deal itself is no conflict: the check sees it as any other */
			sbuf_addf(&b, "  conflicts with %s\n", text);
		}
	}
	title = xasprintf("Deal %s %s", id, rec_field(&rf, "company"));
	ui_show_record(ui, title, sbuf_str(&b), detail_pass,
	    ui_may(ui, PERM_DEAL_REVIEW) ? "a r w l" : NULL);
	free(title);
	sbuf_free(&b);
	rec_fields_free(&rf);
}

/* ---- filters ---- */

static void
narrow(struct ui *ui, struct deals *s)
{
	static const char *const by[] = { "partner", "tier", "source", "clear partner, tier and source" };
	char **slot, *v, *q;
	int k = ui_choose(ui, "Narrow by", by, 4, 0);
	uint64_t id;
	struct err e;

	if (k < 0)
		return;
	if (k == 3) {
		free(s->partner);
		free(s->tier);
		s->partner = s->tier = NULL;
		s->source = 0;
		deals_load(ui, s);
		return;
	}
	if (k == 2) {
		int src = ui_choose(ui, "Source", sources, 3, (size_t)s->source);
		if (src >= 0) {
			s->source = src;
			if (s->pipeline && src > 0)
				ui_message(ui, CR_WARNING, "the pipeline shows both sources side by side");
			deals_load(ui, s);
		}
		return;
	}
	q = xasprintf("Only deals of this %s (type any word; empty: all)", by[k]);
	v = ui_pick(ui, q, k == 0 ? KIND_PARTNER : KIND_TIER, k == 0 ? s->partner : s->tier, true);
	free(q);
	if (v == NULL)
		return;
	err_clear(&e);
	if (v[0] && app_resolve_ref(ui_app(ui), k == 0 ? KIND_PARTNER : KIND_TIER, v, &id, &e) !=
	    ST_OK) {
		ui_message(ui, CR_ERROR, "%s", e.msg);
		free(v);
		return;
	}
	slot = k == 0 ? &s->partner : &s->tier;
	free(*slot);
	*slot = v[0] ? v : NULL;
	if (v[0] == '\0')
		free(v);
	clear_marks(&s->t);
	deals_load(ui, s);
}

static bool
deals_key(struct ui *ui, void *st, enum action act, int key)
{
	struct deals *s = st;

	if (!s->pipeline && s->t.filtering)
		return table_key(&s->t, act, key);      /* typing the filter */
	/* w, l and p mean other things on other screens: ask for ours first */
	if (keymap_bound(key, ACT_PIPELINE)) {
		s->pipeline = !s->pipeline;
		deals_load(ui, s);
		return true;
	}
	if (s->pipeline) {
		if (act == ACT_NARROW) {
			narrow(ui, s);
			return true;
		}
		if (act == ACT_QUIT || act == ACT_BACK) {
			s->pipeline = false;    /* back to the list, not out of ally */
			deals_load(ui, s);
			return true;
		}
		return false;
	}
	if (keymap_bound(key, ACT_WIN)) {
		win(ui, s);
		return true;
	}
	if (keymap_bound(key, ACT_LOSE)) {
		decide(ui, s, DEAL_DO_LOSE);
		return true;
	}
	if (table_key(&s->t, act, key))
		return true;
	switch (act) {
	case ACT_APPROVE:   decide(ui, s, DEAL_DO_APPROVE); break;
	case ACT_REJECT:    decide(ui, s, DEAL_DO_REJECT); break;
	case ACT_NEW:       new_deal(ui, s); break;
	case ACT_OPEN:      if (s->t.nview) detail(ui, s); break;
	case ACT_STATUS:
		s->stage = (s->stage + 1) % (NSTAGE + 1);
		clear_marks(&s->t);
		deals_load(ui, s);
		break;
	case ACT_NARROW:    narrow(ui, s); break;
	default:
		return false;
	}
	return true;
}

static const struct screen_key screen_deals_keys[] = {
	SK(ACT_NEW, "register a deal, checked for conflicts as you type", PERM_DEAL_REGISTER),
	SK(ACT_APPROVE, "approve the marked (or selected) registrations", PERM_DEAL_REVIEW),
	SK(ACT_REJECT, "reject the marked registrations, with a reason", PERM_DEAL_REVIEW),
	SK(ACT_WIN, "win the selected deal: final value and date", PERM_DEAL_REVIEW),
	SK(ACT_LOSE, "mark the selected deals lost", PERM_DEAL_REVIEW),
	SK_ANY(ACT_PIPELINE, "pipeline: partner and direct deals by stage"),
	SK_ANY(ACT_STATUS, "cycle the stage filter"),
	SK_ANY(ACT_NARROW, "narrow to a partner, tier or source"),
	SK_ANY(ACT_OPEN, "the deal's detail and its conflict check"),
	SK_LIST,
	SK_MARKS,
	SK_END
};

static struct table *
screen_deals_list(void *st)
{
	return &((struct deals *)st)->t;
}

static bool
screen_deals_typing(void *st)
{
	return ((struct deals *)st)->t.filtering;
}

const struct screen_ops screen_deals = {
	.name = "Deals",
	.open = deals_open,
	.close = deals_close,
	.load = deals_load,
	.draw = deals_draw,
	.key = deals_key,
	.keys = screen_deals_keys,
	.typing = screen_deals_typing,
	.list = screen_deals_list,
};
