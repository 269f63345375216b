/*
 * ledger.c - commission lines: made and kept right as conversions, refunds
 * and decisions arrive.
 *
 * One idea: a tier period (referrer x program x calendar period of the
 * rule) is always recomputed as a whole by the engine, and each
 * conversion's lines are then reconciled with what the engine says it
 * should have earned.  A pending line is edited; an approved line is
 * lowered in place when a refund lowers it (it is still unpaid); anything
 * else (approved lines that should rise, paid lines, lines of a closed
 * month) gets an adjustment line for the difference.  So a period always
 * sums to the rule's answer, and nothing paid is ever edited.
 *
 * A conversion appended at the end of its period in time order does not
 * walk the period: its line comes from the period's running totals
 * (app_int.h, 'P'), kept in the same transaction and checked by `ally
 * check` (ledger_verify_periods).
 *
 * ledger_desired runs the same computation without the writes, for the
 * what-if (whatif.c).
 *
 * Past 800 lines: the totals' fast path, the walk, the what-if's
 * computation and the verification share the period's helpers (group
 * items, basis order, caps, line reconciliation), all static here;
 * splitting them would make them public to app/ for one caller each.
 * Bonuses (bonus.c) and overrides (override.c) live apart and reach the
 * period only through ledger_period_walk.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/ledger.h"
#include "app/app_int.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/date.h"
#include "domain/commission.h"
#include "domain/rule.h"

/* rule_parse, remembering the last few texts: a batch of events parses
 * the same one or two rules again for every conversion.  A parse is a
 * function of the text and the currency only, so a hit is the same rule. */
#define PARSED_KEEP 4
static struct parsed {
	char *text;
	const struct currency *cur;
	struct rule r;
} parsed[PARSED_KEEP];
static unsigned parsed_next;

static enum status
parse_kept(const char *text, const struct currency *cur, struct rule *r, struct err *e)
{
	struct parsed *p;
	enum status st;
	size_t i;

	for (i = 0; i < PARSED_KEEP; i++)
		if (parsed[i].text && parsed[i].cur == cur && strcmp(parsed[i].text, text) == 0) {
			*r = parsed[i].r;
			return ST_OK;
		}
	if ((st = rule_parse(text, cur, r, e)) != ST_OK)
		return st;
	p = &parsed[parsed_next++ % PARSED_KEEP];
	free(p->text);
	p->text = xstrdup(text);
	p->cur = cur;
	p->r = *r;
	return ST_OK;
}

/* What the referrer's partner tier sets, if anything: its rule and its
 * bonus (NULL each when it has none or the referrer is a customer). */
static void
tier_texts(struct txn *t, uint64_t referrer, uint64_t *partner, char **rule, char **bonus)
{
	struct referrer rr;
	struct partner p;
	struct tier tr;

	*partner = 0;
	*rule = NULL;
	if (bonus)
		*bonus = NULL;
	if (rec_get(t, KIND_REFERRER, referrer, &rr) != ST_OK)
		return;
	if (rr.kind == REFERRER_PARTNER) {
		*partner = rr.partner;
		if (rec_get(t, KIND_PARTNER, rr.partner, &p) == ST_OK) {
			if (p.tier && rec_get(t, KIND_TIER, p.tier, &tr) == ST_OK) {
				if (tr.rule)
					*rule = xstrdup(tr.rule);
				if (bonus && tr.bonus)
					*bonus = xstrdup(tr.bonus);
				rec_free(KIND_TIER, &tr);
			}
			rec_free(KIND_PARTNER, &p);
		}
	}
	rec_free(KIND_REFERRER, &rr);
}

/* The rule that pays a referrer in a program: a partner tier's rule
 * overrides the program's; nothing else.  *bonus (when asked for) gets
 * the bonus the same way: the tier's, else the program's, else NULL. */
static enum status
rule_and_bonus(struct txn *t, const struct program *pg, uint64_t referrer, struct rule *r,
    char **text, uint64_t *partner, char **bonus, struct err *e)
{
	const char *src = pg->rule;
	char *tier_rule;
	enum status st;

	tier_texts(t, referrer, partner, &tier_rule, bonus);
	if (bonus && *bonus == NULL && pg->bonus)
		*bonus = xstrdup(pg->bonus);
	if (tier_rule)
		src = tier_rule;
	st = parse_kept(src ? src : "", currency_find(pg->currency), r, e);
	if (st != ST_OK) {
		err_prefix(e, "%s rule \"%s\"", tier_rule ? "tier" : "program", src ? src : "");
		free(tier_rule);
		if (bonus) {
			free(*bonus);
			*bonus = NULL;
		}
		return st;
	}
	*text = tier_rule ? tier_rule : xstrdup(src);
	return ST_OK;
}

char *
ledger_bonus_text(struct txn *t, const struct program *pg, uint64_t referrer)
{
	uint64_t partner;
	char *rule, *bonus;

	tier_texts(t, referrer, &partner, &rule, &bonus);
	free(rule);
	if (bonus == NULL && pg->bonus)
		bonus = xstrdup(pg->bonus);
	return bonus;
}

enum status
ledger_rule(struct txn *t, const struct program *pg, uint64_t referrer, struct rule *r,
    char **text, uint64_t *partner, struct err *e)
{
	return rule_and_bonus(t, pg, referrer, r, text, partner, NULL, e);
}

/* "2026-10" of a time, in the organisation's zone. */
static void
month_of(int64_t t, char out[8])
{
	char day[DATE_BUFSZ];

	date_format_day(t, day);
	memcpy(out, day, 7);
	out[7] = '\0';
}

/*
 * Closing a month freezes it and every month before it: a month is closed
 * when it or a later month was closed (only ended months can be, so the
 * walk stops at the current month).  *through gets the end of the latest
 * closed month, *since the earliest closing that froze month(at).
 */
static bool
frozen(struct txn *t, int64_t at, int64_t *through, int64_t *since)
{
	int64_t m, end = 0, first = INT64_MAX, v;
	char from[32], name[32], ym[8];

	/* the closed months at or after month(at), in order: "closed.YYYY-MM"
	 * names sort as the months do, so one seek finds the next one (and,
	 * for most events, that there is none) */
	month_of(date_period_start(PERIOD_MONTH, at), ym);
	snprintf(from, sizeof from, "closed.%s", ym);
	while (meta_seek(t, "closed.", from, name, sizeof name, &v, sizeof v) == ST_OK) {
		if (date_parse_month(name + 7, &m, "month", NULL) != ST_OK)
			break;
		m = date_period_next(PERIOD_MONTH, m);
		end = m;
		first = v < first ? v : first;
		month_of(m, ym);
		snprintf(from, sizeof from, "closed.%s", ym);
	}
	if (through)
		*through = end;
	if (since)
		*since = first;
	return end != 0;
}

bool
ledger_month_closed(struct txn *t, int64_t at)
{
	return frozen(t, at, NULL, NULL);
}

bool
ledger_frozen_since(struct txn *t, int64_t at, int64_t *since)
{
	return frozen(t, at, NULL, since);
}

/* The time a line made now for something at `at` is dated: `at` while its
 * month is open; else now when now is in the first open month after it,
 * or the first instant of that month. */
int64_t
ledger_line_date(struct txn *t, int64_t at)
{
	int64_t open, now = clock_now();

	if (!frozen(t, at, &open, NULL))
		return at;
	return open > now || date_period_start(PERIOD_MONTH, now) == open ? now : open;
}

/* Why a line is dated in a later month than its cause, for explain. */
static void
closed_note(struct sbuf *out, const char *what, int64_t at, int64_t dated)
{
	char d1[DATE_BUFSZ], d2[DATE_BUFSZ], m[8];

	month_of(at, m);
	sbuf_addf(out, "%s of %s reported after %s was closed: dated %s, in the first open month\n",
	    what, date_format_day(at, d1), m, date_format_day(dated, d2));
}

/* A line that counts toward what its conversion earns now. */
static bool
counts(const struct commission *c)
{
	return c->status != COMMISSION_REJECTED && c->status != COMMISSION_REVERSED;
}

/* A conversion's main line was rejected: it is out of the basis. */
static bool
conversion_rejected(struct txn *t, uint64_t conversion)
{
	struct lines l;
	bool rejected = false;
	size_t i;

	util_lines_load(t, IDX_COMMISSION_CONVERSION, conversion, &l);
	for (i = 0; i < l.n; i++)
		if (l.v[i].kind == LINE_COMMISSION && l.v[i].status == COMMISSION_REJECTED)
			rejected = true;
	util_lines_free(&l);
	return rejected;
}

struct group_item {
	struct conversion cv;
	bool included;          /* counts toward the basis */
	bool late;              /* reported after its month was closed */
	int64_t order;          /* where it stands in its period's basis */
	int64_t desired;
	struct sbuf explain;
};

static enum status
too_large(struct err *e, const char *what, const struct program *pg)
{
	return err_set(e, ST_DATA, "amount: %s in %s would exceed the largest amount ally can hold",
	    what, pg->name ? pg->name : "the program");
}

/* An adjustment's explanation, saying why it is dated where it is when its
 * line belongs to a closed month. */
static char *
adjust_explain(struct txn *t, const struct commission *main_line, int64_t dated, int64_t desired,
    int64_t current, int64_t diff, const char *arith)
{
	char d1[DATE_BUFSZ], d2[DATE_BUFSZ];
	char *text = ledger_adjust_text(main_line, desired, current, diff, arith), *x;

	if (!ledger_month_closed(t, main_line->earned_at))
		return text;
	x = xasprintf("C%llu is dated %s, in a closed month: this change is dated %s, in the first "
	    "open month\n%s", (unsigned long long)main_line->id, date_format_day(main_line->earned_at, d1),
	    date_format_day(dated, d2), text);
	free(text);
	return x;
}

/* A drop on this line is a clawback: what it takes back was paid, or was
 * approved in a month that can no longer be edited. */
static bool
clawback(const struct commission *main_line)
{
	return main_line->status == COMMISSION_PAID || main_line->status == COMMISSION_APPROVED;
}

/* A conversion's main line's arithmetic, saying why it is dated in a
 * later month than its conversion when it is (kept on every rewrite). */
static char *
line_explain(const struct group_item *g, int64_t earned_at)
{
	struct sbuf x;

	if (earned_at == g->cv.at)
		return xstrdup(sbuf_str(&g->explain));
	sbuf_init(&x);
	closed_note(&x, "conversion", g->cv.at, earned_at);
	sbuf_add(&x, sbuf_str(&g->explain));
	return sbuf_take(&x);
}

/* Bring one conversion's lines to `desired`.  Every sum is checked: lines
 * that could not be added up (a damaged record) refuse the change. */
static enum status
reconcile_lines(struct txn *t, const struct program *pg, const struct group_item *g,
    const char *rule_text, uint64_t partner, int64_t period_start, const char *actor, struct err *e)
{
	struct lines l;
	struct commission *main_line = NULL, *open_adj = NULL;
	int64_t current = 0, diff, now = clock_now();
	enum status st = ST_OK;
	size_t i;

	util_lines_load(t, IDX_COMMISSION_CONVERSION, g->cv.id, &l);
	for (i = 0; i < l.n; i++) {
		struct commission *c = &l.v[i];
		if (c->kind == LINE_COMMISSION)
			main_line = c;
		else if (c->status == COMMISSION_PENDING && !ledger_month_closed(t, c->earned_at))
			open_adj = c;
		if (counts(c) && !money_add(current, c->amount, &current)) {
			st = too_large(e, "the lines of one conversion", pg);
			goto out;
		}
	}
	if (main_line && main_line->status == COMMISSION_REJECTED)
		goto out;
	if (!money_sub(g->desired, current, &diff)) {
		st = too_large(e, "the adjustment of a conversion", pg);
		goto out;
	}
	if (main_line == NULL) {
		struct commission c;
		if (!g->included)
			goto out;
		memset(&c, 0, sizeof c);
		c.kind = LINE_COMMISSION;
		c.status = COMMISSION_PENDING;
		c.program = pg->id;
		c.referrer = g->cv.referrer;
		c.partner = partner;
		c.conversion = g->cv.id;
		c.period_start = period_start;
		c.basis = g->cv.amount - g->cv.refunded;
		c.amount = g->desired;
		memcpy(c.currency, pg->currency, 4);
		c.rule = xstrdup(rule_text);
		c.earned_at = ledger_line_date(t, g->cv.at);
		c.explain = line_explain(g, c.earned_at);
		c.hold_until = date_add_days(g->cv.at, pg->hold_days);
		rec_put(t, KIND_COMMISSION, &c);
		rec_free(KIND_COMMISSION, &c);
		goto out;
	}
	if (diff == 0) {
		/* Refunded in full with nothing left on it: an unpaid line is
		 * reversed. */
		if (!g->included && main_line->amount == 0 && !ledger_month_closed(t, main_line->earned_at) &&
		    (main_line->status == COMMISSION_PENDING || main_line->status == COMMISSION_APPROVED)) {
			main_line->status = COMMISSION_REVERSED;
			util_replace(&main_line->explain, line_explain(g, main_line->earned_at));
			rec_put(t, KIND_COMMISSION, main_line);
			goto out;
		}
		/* Same amount: keep the latest arithmetic on a line still open. */
		char *x = line_explain(g, main_line->earned_at);
		if (main_line->status == COMMISSION_PENDING && !ledger_month_closed(t, main_line->earned_at) &&
		    strcmp(main_line->explain ? main_line->explain : "", x) != 0) {
			util_replace(&main_line->explain, x);
			x = NULL;
			main_line->basis = g->cv.amount - g->cv.refunded;
			rec_put(t, KIND_COMMISSION, main_line);
		}
		free(x);
		goto out;
	}
	/* A drop is taken from a pending adjustment first: what was approved
	 * stays as approved as long as it can. */
	if (diff < 0 && open_adj && open_adj->amount > 0 && main_line->status != COMMISSION_PENDING) {
		int64_t take = -diff < open_adj->amount ? -diff : open_adj->amount;
		open_adj->amount -= take;
		if (open_adj->amount == 0)
			open_adj->status = COMMISSION_REVERSED;
		util_replace(&open_adj->explain, adjust_explain(t, main_line, open_adj->earned_at, g->desired,
		    current, -take, sbuf_str(&g->explain)));
		rec_put(t, KIND_COMMISSION, open_adj);
		diff += take;
		open_adj = NULL;
		if (diff == 0)
			goto out;
	}
	if ((open_adj && !money_add(open_adj->amount, diff, &(int64_t){ 0 })) ||
	    !money_add(main_line->amount, diff, &(int64_t){ 0 })) {
		st = too_large(e, "the adjustment of a conversion", pg);
		goto out;
	}
	if (!ledger_month_closed(t, main_line->earned_at) &&
	    (main_line->status == COMMISSION_PENDING ||
	     (main_line->status == COMMISSION_APPROVED && diff < 0)) &&
	    main_line->amount + diff >= 0) {
		main_line->amount += diff;
		main_line->basis = g->cv.amount - g->cv.refunded;
		util_replace(&main_line->explain, line_explain(g, main_line->earned_at));
		if (main_line->amount == 0 && !g->included)
			main_line->status = COMMISSION_REVERSED;
		rec_put(t, KIND_COMMISSION, main_line);
		goto out;
	}
	if (open_adj && !(diff < 0 && clawback(main_line))) {
		open_adj->amount += diff;
		if (open_adj->amount == 0)
			open_adj->status = COMMISSION_REVERSED;
		util_replace(&open_adj->explain, adjust_explain(t, main_line, open_adj->earned_at, g->desired,
		    current, diff, sbuf_str(&g->explain)));
		rec_put(t, KIND_COMMISSION, open_adj);
	} else {
		struct commission c;
		memset(&c, 0, sizeof c);
		c.kind = LINE_ADJUSTMENT;
		c.status = COMMISSION_PENDING;
		if (diff < 0 && clawback(main_line)) {
			/* money already owed or paid comes back without anyone
			 * approving it, and cannot be rejected */
			c.status = COMMISSION_APPROVED;
			c.decided_at = now;
			c.decided_by = xstrdup(actor ? actor : "ally");
			c.reason = xstrdup(main_line->status == COMMISSION_PAID ? "refund of paid line" :
			    "refund of approved line in a closed month");
			if (g->cv.refunded == 0)
				util_replace(&c.reason, xstrdup(main_line->status == COMMISSION_PAID ?
				    "paid line earns less after its tier period changed" :
				    "approved line in a closed month earns less after its tier period changed"));
		}
		c.program = pg->id;
		c.referrer = main_line->referrer;
		c.partner = main_line->partner;
		c.conversion = g->cv.id;
		c.original = main_line->id;
		c.period_start = period_start;
		c.basis = g->cv.amount - g->cv.refunded;
		c.amount = diff;
		memcpy(c.currency, pg->currency, 4);
		c.rule = xstrdup(rule_text);
		c.earned_at = ledger_month_closed(t, main_line->earned_at) ?
		    ledger_line_date(t, main_line->earned_at) : now;
		c.explain = adjust_explain(t, main_line, c.earned_at, g->desired, current, diff,
		    sbuf_str(&g->explain));
		c.hold_until = main_line->hold_until > now ? main_line->hold_until : now;
		if (c.status == COMMISSION_APPROVED)
			c.hold_until = now;
		rec_put(t, KIND_COMMISSION, &c);
		rec_free(KIND_COMMISSION, &c);
	}
out:
	util_lines_free(&l);
	return st;
}

char *
ledger_adjust_text(const struct commission *orig, int64_t desired, int64_t current, int64_t diff,
    const char *arith)
{
	const struct currency *cur = currency_find(orig->currency);
	char b1[MONEY_BUFSZ], b2[MONEY_BUFSZ], b3[MONEY_BUFSZ];

	return xasprintf("adjustment of C%llu (%s): the conversion now earns %s; its lines so far "
	    "total %s; difference %s\n%s",
	    (unsigned long long)orig->id, commission_status_name(orig->status),
	    money_format_human(desired, cur, b1), money_format_human(current, cur, b2),
	    money_format_human(diff, cur, b3), arith);
}

/*
 * The program's cap: a referrer earns at most pg->cap per calendar month in
 * the program, lines taken in time order (a line that would cross the cap
 * is cut to what is left; later ones earn nothing that month).
 */
/* One line of desired minor units against the month's cap, of which
 * *running has been let through already. */
static void
cap_one(const struct program *pg, int64_t *running, int64_t *desired, struct sbuf *explain)
{
	const struct currency *cur = currency_find(pg->currency);
	char b1[MONEY_BUFSZ], b2[MONEY_BUFSZ], b3[MONEY_BUFSZ], b4[MONEY_BUFSZ];
	int64_t left = pg->cap - *running > 0 ? pg->cap - *running : 0;

	if (*desired > left) {
		sbuf_addf(explain, "program cap %s per referrer per month: %s earned earlier this month, "
		    "so %s -> %s\n", money_format_human(pg->cap, cur, b1),
		    money_format_human(*running, cur, b2), money_format_human(*desired, cur, b3),
		    money_format_human(left, cur, b4));
		*desired = left;
	}
	/* desired <= left = cap - running: the sum stays under the cap */
	if (!money_add(*running, *desired, running))
		*running = INT64_MAX;
}

static void
apply_program_cap(const struct program *pg, struct group_item *g, size_t n)
{
	int64_t month = INT64_MIN, running = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int64_t m = date_period_start(PERIOD_MONTH, g[i].cv.at);
		if (m != month) {
			month = m;
			running = 0;
		}
		cap_one(pg, &running, &g[i].desired, &g[i].explain);
	}
}

/* A referrer as a message names it. */
static char *
referrer_label(struct txn *t, uint64_t referrer)
{
	struct referrer rr;
	char *s;

	if (rec_get(t, KIND_REFERRER, referrer, &rr) != ST_OK)
		return xasprintf("R%llu", (unsigned long long)referrer);
	s = str_visible_cut(rr.name && *rr.name ? rr.name : rr.email ? rr.email : "", 40);
	if (*s == '\0') {
		free(s);
		s = xasprintf("R%llu", (unsigned long long)referrer);
	}
	rec_free(KIND_REFERRER, &rr);
	return s;
}

enum status
ledger_room(struct txn *t, const struct program *pg, uint64_t referrer, int64_t amount, struct err *e)
{
	int64_t total;
	char *who;
	enum status st;

	if (money_add(rollup_converted_value(t, pg->id, referrer), amount, &total))
		return ST_OK;
	who = referrer_label(t, referrer);
	st = err_set(e, ST_DATA, "amount: the total for %s in %s would exceed the largest amount ally can hold",
	    who, pg->name ? pg->name : "the program");
	free(who);
	return st;
}

/* Does a commission of this many micro units round into int64? */
static bool
micro_fits(__int128 micro)
{
	__int128 q = micro / MICRO;

	return money_fits(q) && money_fits(q + (q < 0 ? -1 : 1));
}

/* Flat, percent and clause rules: each included conversion's line on its
 * own, by the clause that applies to it (amounts and ex by included
 * place); returns the lines' unrounded sum. */
static __int128
clause_lines(struct txn *t, const struct program *pg, const struct rule *r, const struct group_item *g,
    size_t n, int64_t *amounts, struct sbuf *ex)
{
	const struct currency *cur = currency_find(pg->currency);
	__int128 total = 0, m;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		struct rule_facts f;
		if (!g[i].included)
			continue;
		ledger_facts(t, pg, r, &g[i].cv, &f);
		amounts[k] = ledger_clause_line(r, &f, cur, g[i].cv.amount - g[i].cv.refunded,
		    ex ? &ex[k] : NULL, &m);
		total += m;
		k++;
	}
	return total;
}

/*
 * The period's basis and its commission must be amounts ally can hold;
 * the engine's running totals are bounded by them (values are positive),
 * so checking the two totals checks every step and every line.
 */
static enum status
period_refuse(struct txn *t, const struct program *pg, uint64_t referrer, bool sum_fits, struct err *e)
{
	char *who = referrer_label(t, referrer);
	enum status st;

	st = err_set(e, ST_DATA, "amount: the %s for %s in %s would exceed the largest amount ally can hold",
	    sum_fits ? "period's commission" : "period total", who, pg->name ? pg->name : "the program");
	free(who);
	return st;
}

static enum status
period_check(struct txn *t, const struct program *pg, const struct rule *r, uint64_t referrer,
    const int64_t *values, size_t n, struct err *e)
{
	int64_t total;
	bool sum_fits = money_sum(values, n, &total);

	if (sum_fits && micro_fits(commission_period_micro(r, values, n)))
		return ST_OK;
	return period_refuse(t, pg, referrer, sum_fits, e);
}

/*
 * A closed month's basis is kept as it was at closing: a conversion
 * reported after its month was closed comes after every conversion the
 * month had then (as the next unit of its period's basis, late ones in
 * the order they were reported), so the lines closed with the month keep
 * their place in the brackets.
 */
struct basis_cache {
	bool known;
	int64_t through;        /* end of the latest closed month */
	int64_t month, since;   /* the last month looked up and its freeze time */
};

static void
basis_place(struct txn *t, struct basis_cache *bc, struct group_item *gi)
{
	int64_t m = date_period_start(PERIOD_MONTH, gi->cv.at);

	/* conversions come in time order: one walk of the closed months for
	 * the period, one more per closed month it touches */
	if (!bc->known) {
		frozen(t, gi->cv.at, &bc->through, NULL);
		bc->known = true;
		bc->month = INT64_MIN;
	}
	gi->late = false;
	if (gi->cv.at < bc->through) {
		if (m != bc->month) {
			frozen(t, gi->cv.at, NULL, &bc->since);
			bc->month = m;
		}
		gi->late = gi->cv.m.created >= bc->since;
	}
	gi->order = gi->late ? date_period_next(PERIOD_MONTH, gi->cv.at) - 1 : gi->cv.at;
}

static int
basis_cmp(const void *va, const void *vb)
{
	const struct group_item *a = va, *b = vb;

	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	if (a->late != b->late)
		return a->late ? 1 : -1;
	if (a->late && a->cv.m.created != b->cv.m.created)
		return a->cv.m.created < b->cv.m.created ? -1 : 1;
	return a->cv.id < b->cv.id ? -1 : a->cv.id > b->cv.id;
}

/* The conversions of one period being gathered (ledger_reconcile). */
struct gather {
	struct group_item *g;
	size_t n, cap;
	int64_t end;
	struct basis_cache bc;
};

/* Add conversion id; false when it is at or past the period's end (the
 * walk stops there). */
static bool
gather_one(struct txn *t, struct gather *gt, uint64_t id)
{
	struct group_item *gi;

	gt->g = xgrow(gt->g, &gt->cap, gt->n + 1, sizeof *gt->g);
	gi = &gt->g[gt->n];
	memset(gi, 0, sizeof *gi);
	if (rec_get(t, KIND_CONVERSION, id, &gi->cv) != ST_OK)
		return true;
	if (gi->cv.at >= gt->end) {
		rec_free(KIND_CONVERSION, &gi->cv);
		return false;
	}
	if (!gi->cv.qualifying) {
		rec_free(KIND_CONVERSION, &gi->cv);
		return true;
	}
	sbuf_init(&gi->explain);
	gi->included = gi->cv.amount - gi->cv.refunded > 0 && !conversion_rejected(t, gi->cv.id);
	basis_place(t, &gt->bc, gi);
	gt->n++;
	return true;
}

/* Every conversion of (referrer, program) from start to the period's end. */
static void
gather_period(struct txn *t, struct gather *gt, uint64_t referrer, uint64_t program, int64_t start)
{
	struct key prefix, from;
	struct iter *it;
	uint64_t id;

	key_init(&prefix);
	key_u64(&prefix, referrer);
	key_u64(&prefix, program);
	from = prefix;
	key_i64(&from, start);
	it = iter_index_from(t, IDX_CONVERSION_GROUP, &prefix, &from);
	while (iter_next(it, &id) && gather_one(t, gt, id))
		;
	iter_close(it);
}

void
ledger_period_walk(struct txn *t, uint64_t referrer, uint64_t program, int64_t start, int64_t end,
    bool (*fn)(void *ctx, const struct conversion *cv, bool included), void *ctx)
{
	struct gather gt = { NULL, 0, 0, end, { false, 0, 0, 0 } };
	size_t i;

	gather_period(t, &gt, referrer, program, start);
	qsort(gt.g, gt.n, sizeof *gt.g, basis_cmp);
	for (i = 0; i < gt.n && fn(ctx, &gt.g[i].cv, gt.g[i].included); i++)
		;
	for (i = 0; i < gt.n; i++) {
		rec_free(KIND_CONVERSION, &gt.g[i].cv);
		sbuf_free(&gt.g[i].explain);
	}
	free(gt.g);
}

/*
 * Running totals ('P' rollups) are kept for the periods whose lines
 * depend on the conversions before them: tiered rules (their period) and
 * programs with a cap (the month; tiered rules under a cap take the whole
 * period's walk).  A conversion appended at the end of such a period, in
 * time order, gets its line from them in O(1); anything else recomputes
 * the period and writes them afresh.
 */
static bool
keeps_totals(const struct rule *r, const struct program *pg)
{
	return (r->kind == RULE_TIERED) != (pg->cap > 0);
}

/* What a period's totals were computed under: never 0. */
static int64_t
rule_print(const char *rule_text, const struct program *pg)
{
	uint64_t h = 1469598103934665603ULL;
	const char *p;

	for (p = rule_text ? rule_text : ""; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ (uint64_t)pg->cap) * 1099511628211ULL;
	return (int64_t)((h >> 1) | 1);
}

/* Is conversion the last of (referrer, program) in time order? */
bool
ledger_last_of_group(struct txn *t, uint64_t referrer, uint64_t program, uint64_t conversion)
{
	struct key prefix;
	struct iter *it;
	uint64_t id = 0;

	key_init(&prefix);
	key_u64(&prefix, referrer);
	key_u64(&prefix, program);
	it = iter_index(t, IDX_CONVERSION_GROUP, &prefix, true);
	if (!iter_next(it, &id))
		id = 0;
	iter_close(it);
	return id == conversion;
}

struct period_ref {
	const struct program *pg;
	const struct rule *r;
	const char *rule_text;
	uint64_t referrer, partner;
	int64_t start;
};

/* The line of a conversion appended at the end of its period, from the
 * period's totals; *done false when they cannot say (the caller walks). */
static enum status
append_line(struct app *a, struct txn *t, const struct period_ref *pr, uint64_t conversion,
    bool *done, struct err *e)
{
	struct rollup_period p;
	struct period_state ps;
	struct group_item gi;
	int64_t through, v, rev;
	enum status st = ST_OK;

	*done = false;
	if (!rollup_period_get(t, pr->referrer, pr->pg->id, pr->start, &p) ||
	    p.rule != rule_print(pr->rule_text, pr->pg) ||
	    !ledger_last_of_group(t, pr->referrer, pr->pg->id, conversion))
		return ST_OK;
	memset(&gi, 0, sizeof gi);
	if (rec_get(t, KIND_CONVERSION, conversion, &gi.cv) != ST_OK)
		return ST_OK;
	frozen(t, gi.cv.at, &through, NULL);
	v = gi.cv.amount - gi.cv.refunded;
	if (!gi.cv.qualifying || gi.cv.at < through || v <= 0 || conversion_rejected(t, conversion) ||
	    (pr->r->kind == RULE_TIERED && pr->r->mode == MODE_VOLUME && money_add(p.revenue, v, &rev) &&
	     commission_volume_bracket(pr->r, p.count, p.revenue) !=
	     commission_volume_bracket(pr->r, p.count + 1, rev))) {
		/* late, out of the basis, or a volume bracket crossed: every
		 * line of the period may change */
		rec_free(KIND_CONVERSION, &gi.cv);
		return ST_OK;
	}
	*done = true;
	gi.included = true;
	gi.order = gi.cv.at;
	sbuf_init(&gi.explain);
	ps.count = p.count;
	ps.revenue = p.revenue;
	ps.micro = p.micro;
	if (!money_add(p.revenue, v, &rev)) {
		st = period_refuse(t, pr->pg, pr->referrer, false, e);
		goto out;
	}
	if (pr->r->kind == RULE_TIERED) {
		gi.desired = commission_next(pr->r, currency_find(pr->pg->currency), &ps, v, &gi.explain);
	} else {
		struct rule_facts f;
		__int128 m;
		ledger_facts(t, pr->pg, pr->r, &gi.cv, &f);
		gi.desired = ledger_clause_line(pr->r, &f, currency_find(pr->pg->currency), v, &gi.explain, &m);
		ps.count++;
		ps.revenue = rev;
		ps.micro += m;
	}
	if (!micro_fits(ps.micro)) {
		st = period_refuse(t, pr->pg, pr->referrer, true, e);
		goto out;
	}
	if (pr->pg->cap > 0)
		cap_one(pr->pg, &p.capped, &gi.desired, &gi.explain);
	st = reconcile_lines(t, pr->pg, &gi, pr->rule_text, pr->partner,
	    pr->r->kind == RULE_TIERED ? pr->start : 0, a ? a->login : NULL, e);
	p.count = ps.count;
	p.revenue = ps.revenue;
	p.micro = ps.micro;
	if (st == ST_OK)
		rollup_period_set(t, pr->referrer, pr->pg->id, pr->start, &p);
out:
	rec_free(KIND_CONVERSION, &gi.cv);
	sbuf_free(&gi.explain);
	return st;
}

/* After a walk: the period's totals as the engine computed them. */
static void
keep_totals(struct txn *t, const struct period_ref *pr, const int64_t *values, size_t ninc,
    const struct group_item *g, size_t n, __int128 clause_micro)
{
	struct rollup_period p;
	size_t i;

	memset(&p, 0, sizeof p);
	p.count = (int64_t)ninc;
	money_sum(values, ninc, &p.revenue);     /* period_check said it fits */
	p.micro = pr->r->kind == RULE_TIERED ? commission_period_micro(pr->r, values, ninc) : clause_micro;
	for (i = 0; pr->pg->cap > 0 && i < n; i++)
		if (!money_add(p.capped, g[i].desired, &p.capped))
			p.capped = INT64_MAX;
	p.rule = rule_print(pr->rule_text, pr->pg);
	rollup_period_set(t, pr->referrer, pr->pg->id, pr->start, &p);
}

/* The bounds of the period a conversion at `at` is computed in. */
static void
period_bounds(const struct rule *r, const struct program *pg, int64_t at, int64_t *start, int64_t *end)
{
	if (r->kind == RULE_TIERED) {
		*start = date_period_start(r->period, at);
		*end = date_period_next(r->period, at);
	} else if (pg->cap > 0) {
		/* the program's cap is per referrer per month: the month is the
		 * unit that must be recomputed */
		*start = date_period_start(PERIOD_MONTH, at);
		*end = date_period_next(PERIOD_MONTH, at);
	} else {
		*start = at;
		*end = at + 1;
	}
}

/* Are a conversion's lines computed with its whole period's (a tier
 * period, or a capped month), or on their own? */
static bool
period_whole(const struct rule *r, const struct program *pg)
{
	return r->kind == RULE_TIERED || pg->cap > 0;
}

/* The period's conversions in basis order.  Flat or percent without a
 * cap: the conversion alone, read directly (no walk past the referrer's
 * other conversions). */
static void
period_gather(struct txn *t, const struct program *pg, const struct rule *r, uint64_t referrer,
    uint64_t only_conversion, int64_t start, int64_t end, struct group_item **g, size_t *n)
{
	struct gather gt = { NULL, 0, 0, end, { false, 0, 0, 0 } };

	if (!period_whole(r, pg)) {
		if (only_conversion)
			gather_one(t, &gt, only_conversion);
	} else {
		gather_period(t, &gt, referrer, pg->id, start);
	}
	qsort(gt.g, gt.n, sizeof *gt.g, basis_cmp);
	*g = gt.g;
	*n = gt.n;
}

/*
 * What each gathered conversion should earn: g[i].desired with its
 * explanation, the program's cap applied.  values[0..*ninc) is the basis
 * (the caller frees it); *first the first conversion whose line can have
 * changed (appended: only_conversion is new); *clause_micro the unrounded
 * sum of clause lines.
 */
static enum status
period_desired(struct txn *t, const struct program *pg, const struct rule *r, uint64_t referrer,
    struct group_item *g, size_t n, uint64_t only_conversion, bool appended, int64_t **values_out,
    size_t *ninc_out, size_t *first_out, __int128 *clause_micro, struct err *e)
{
	int64_t *values = xcalloc(n + 1, sizeof *values), *amounts = xcalloc(n + 1, sizeof *amounts);
	struct sbuf *ex = xcalloc(n + 1, sizeof *ex);
	size_t i, ninc = 0, first = 0, first_inc = 0;
	enum status st;

	*clause_micro = 0;
	for (i = 0; i < n; i++) {
		if (!g[i].included)
			continue;
		values[ninc] = g[i].cv.amount - g[i].cv.refunded;
		sbuf_init(&ex[ninc]);
		ninc++;
	}
	if ((st = period_check(t, pg, r, referrer, values, ninc, e)) != ST_OK)
		goto out;
	/*
	 * A new conversion changes no line before it when the rule is
	 * graduated, or volume and the period stays in its bracket (each line
	 * depends only on the totals up to it and the rate): reconcile from
	 * it on.  Reports arrive mostly in time order, so that is mostly the
	 * new line alone.
	 */
	if (appended && r->kind == RULE_TIERED) {
		/* where the new conversion stands among the included ones */
		size_t pos = 0, inc = 0;
		bool found = false;
		for (i = 0; i < n; i++) {
			if (g[i].cv.id == only_conversion && g[i].included) {
				pos = i;
				found = true;
				break;
			}
			inc += g[i].included;
		}
		if (found) {
			bool same = true;
			if (r->mode == MODE_VOLUME) {
				int64_t rev = 0, v = values[inc];
				size_t j;
				for (j = 0; j < ninc; j++)
					rev += values[j];
				same = commission_volume_bracket(r, (int64_t)ninc - 1, rev - v) ==
				    commission_volume_bracket(r, (int64_t)ninc, rev);
			}
			if (same) {
				first = pos;
				first_inc = inc;
			}
		}
	}
	if (r->kind == RULE_TIERED) {
		commission_compute_from(r, currency_find(pg->currency), values, ninc, amounts, ex, first_inc);
	} else {
		*clause_micro = clause_lines(t, pg, r, g, n, amounts, ex);
		if (!micro_fits(*clause_micro)) {
			st = period_refuse(t, pg, referrer, true, e);
			goto out;
		}
	}
	for (i = 0, ninc = 0; i < n; i++) {
		if (g[i].included) {
			g[i].desired = amounts[ninc];
			sbuf_add(&g[i].explain, sbuf_str(&ex[ninc]));
			ninc++;
		} else {
			g[i].desired = 0;
			sbuf_add(&g[i].explain, "refunded in full or rejected: earns nothing and is out of the tier basis\n");
		}
	}
	if (pg->cap > 0)
		apply_program_cap(pg, g, n);
out:
	for (i = 0; i < n + 1; i++)
		sbuf_free(&ex[i]);
	free(ex);
	free(amounts);
	*values_out = values;
	*ninc_out = ninc;
	*first_out = first;
	return st;
}

static void
group_free(struct group_item *g, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		rec_free(KIND_CONVERSION, &g[i].cv);
		sbuf_free(&g[i].explain);
	}
	free(g);
}

/*
 * Recompute the tier period of (referrer, program) that contains `at`,
 * and reconcile every conversion in it.  For flat and percent rules the
 * "period" is the conversion alone.
 */
enum status
ledger_reconcile(struct app *a, struct txn *t, uint64_t referrer, uint64_t program,
    uint64_t only_conversion, int64_t at, bool appended, struct err *e)
{
	struct program pg;
	struct rule r;
	struct group_item *g = NULL;
	size_t n = 0, i, ninc = 0, first = 0;
	int64_t start, end, *values = NULL;
	uint64_t partner;
	char *rule_text = NULL, *bonus = NULL;
	struct period_ref pr;
	__int128 clause_micro = 0;
	enum status st;

	if ((st = rec_get(t, KIND_PROGRAM, program, &pg)) != ST_OK)
		return util_txn_err(t, e) != ST_OK ? txn_status(t) : err_set(e, ST_DATA, "program missing");
	if ((st = rule_and_bonus(t, &pg, referrer, &r, &rule_text, &partner, &bonus, e)) != ST_OK) {
		rec_free(KIND_PROGRAM, &pg);
		return st;
	}
	period_bounds(&r, &pg, at, &start, &end);
	pr = (struct period_ref){ &pg, &r, rule_text, referrer, partner, start };
	if (appended && keeps_totals(&r, &pg)) {
		bool done;
		st = append_line(a, t, &pr, only_conversion, &done, e);
		if (st != ST_OK || done)
			goto out;
	}
	period_gather(t, &pg, &r, referrer, only_conversion, start, end, &g, &n);
	st = period_desired(t, &pg, &r, referrer, g, n, only_conversion, appended, &values, &ninc, &first,
	    &clause_micro, e);
	if (st != ST_OK)
		goto out;
	if (keeps_totals(&r, &pg))
		keep_totals(t, &pr, values, ninc, g, n, clause_micro);
	for (i = first; i < n && st == ST_OK; i++)
		st = reconcile_lines(t, &pg, &g[i], rule_text, partner, r.kind == RULE_TIERED ? start : 0,
		    a ? a->login : NULL, e);
out:
	/* the milestone bonus follows the same conversions (bonus.c); a
	 * period whose bonus was removed keeps following the one its lines
	 * were made under */
	if (st == ST_OK && bonus == NULL && !appended)
		bonus = ledger_bonus_kept(t, &pg, referrer, at);
	if (st == ST_OK && bonus)
		st = ledger_bonus(a, t, &pg, referrer, partner, bonus, only_conversion, at, appended, e);
	group_free(g, n);
	free(values);
	free(rule_text);
	free(bonus);
	rec_free(KIND_PROGRAM, &pg);
	return st != ST_OK ? st : util_txn_err(t, e);
}

enum status
ledger_desired(struct txn *t, const struct program *pg, uint64_t referrer, uint64_t conversion,
    int64_t at, const char *rule_text, void (*fn)(void *ctx, uint64_t conversion, int64_t desired),
    void *ctx, int64_t *through, struct err *e)
{
	struct rule r;
	struct group_item *g = NULL;
	size_t n = 0, i, ninc = 0, first = 0;
	int64_t start, end, *values = NULL;
	uint64_t partner;
	char *text = NULL;
	__int128 clause_micro = 0;
	enum status st;

	if (rule_text)
		st = parse_kept(rule_text, currency_find(pg->currency), &r, e);
	else
		st = ledger_rule(t, pg, referrer, &r, &text, &partner, e);
	free(text);
	if (st != ST_OK)
		return st;
	period_bounds(&r, pg, at, &start, &end);
	period_gather(t, pg, &r, referrer, conversion, start, end, &g, &n);
	*through = period_whole(&r, pg) ? end : INT64_MIN;
	st = period_desired(t, pg, &r, referrer, g, n, conversion, false, &values, &ninc, &first,
	    &clause_micro, e);
	for (i = 0; i < n && st == ST_OK; i++)
		fn(ctx, g[i].cv.id, g[i].desired);
	group_free(g, n);
	free(values);
	return st != ST_OK ? st : util_txn_err(t, e);
}

enum status
ledger_deal_won(struct app *a, struct txn *t, const struct deal *d, struct err *e)
{
	struct partner p;
	struct commission c;
	struct rule r;
	struct sbuf x;
	char *rule_text = NULL;
	uint64_t referrer;
	int64_t amount = 0;
	__int128 deal_micro;
	enum status st;

	if (rec_get(t, KIND_PARTNER, d->partner, &p) != ST_OK)
		return util_txn_err(t, e);
	if (p.tier) {
		struct tier tr;
		if (rec_get(t, KIND_TIER, p.tier, &tr) == ST_OK) {
			if (tr.rule)
				rule_text = xstrdup(tr.rule);
			rec_free(KIND_TIER, &tr);
		}
	}
	if (rule_text == NULL && a->settings.deal_rule)
		rule_text = xstrdup(a->settings.deal_rule);
	if (rule_text == NULL) {
		rec_free(KIND_PARTNER, &p);
		return ST_OK;   /* no rule pays deals */
	}
	if ((st = rule_parse(rule_text, currency_find(d->currency), &r, e)) != ST_OK) {
		err_prefix(e, "deal rule \"%s\"", rule_text);
		free(rule_text);
		rec_free(KIND_PARTNER, &p);
		return st;
	}
	/* The partner's referrer earns it (made on first use). */
	referrer = util_partner_referrer(t, &p);
	sbuf_init(&x);
	sbuf_addf(&x, "won deal D%llu, final value as the basis\n", (unsigned long long)d->id);
	/* A deal is paid on its own: tiered rules see it as the only unit of
	 * its period. */
	if (r.kind != RULE_TIERED) {
		/* a won deal is a first conversion with only its value */
		struct rule_facts f = { .amount = d->final_value, .at = d->won_at, .ordinal = 1,
		    .first_at = d->won_at, .in_window = true };
		amount = ledger_clause_line(&r, &f, currency_find(d->currency), d->final_value, &x, &deal_micro);
	} else {
		deal_micro = commission_period_micro(&r, &d->final_value, 1);
	}
	if (!micro_fits(deal_micro)) {
		sbuf_free(&x);
		free(rule_text);
		rec_free(KIND_PARTNER, &p);
		return err_set(e, ST_DATA, "value: the commission on D%llu would exceed the largest amount "
		    "ally can hold", (unsigned long long)d->id);
	}
	if (r.kind == RULE_TIERED)
		commission_compute(&r, currency_find(d->currency), &d->final_value, 1, &amount, &x);
	memset(&c, 0, sizeof c);
	c.kind = LINE_COMMISSION;
	c.status = COMMISSION_PENDING;
	c.referrer = referrer;
	c.partner = p.id;
	c.deal = d->id;
	c.basis = d->final_value;
	c.amount = amount;
	memcpy(c.currency, d->currency, 4);
	c.rule = rule_text;
	c.earned_at = ledger_line_date(t, d->won_at);
	if (c.earned_at != d->won_at)
		closed_note(&x, "deal won", d->won_at, c.earned_at);
	c.explain = sbuf_take(&x);
	c.hold_until = d->won_at;
	rec_put(t, KIND_COMMISSION, &c);
	rec_free(KIND_COMMISSION, &c);
	sbuf_free(&x);
	rec_free(KIND_PARTNER, &p);
	return util_txn_err(t, e);
}

/* ---- `ally check`: the kept period totals against the conversions ---- */

/* The totals a walk of the period gives, under rule r. */
static void
period_expect(struct txn *t, const struct period_ref *pr, struct rollup_period *p)
{
	struct gather gt;
	int64_t *values, *amounts;
	size_t i, ninc = 0;
	__int128 clause_micro = 0;

	memset(&gt, 0, sizeof gt);
	gt.end = pr->r->kind == RULE_TIERED ? date_period_next(pr->r->period, pr->start) :
	    date_period_next(PERIOD_MONTH, pr->start);
	gather_period(t, &gt, pr->referrer, pr->pg->id, pr->start);
	if (gt.n > 1)
		qsort(gt.g, gt.n, sizeof *gt.g, basis_cmp);
	values = xcalloc(gt.n + 1, sizeof *values);
	amounts = xcalloc(gt.n + 1, sizeof *amounts);
	for (i = 0; i < gt.n; i++)
		if (gt.g[i].included)
			values[ninc++] = gt.g[i].cv.amount - gt.g[i].cv.refunded;
	if (pr->r->kind == RULE_TIERED)
		commission_compute_from(pr->r, currency_find(pr->pg->currency), values, ninc, amounts, NULL, 0);
	else
		clause_micro = clause_lines(t, pr->pg, pr->r, gt.g, gt.n, amounts, NULL);
	for (i = 0, ninc = 0; i < gt.n; i++)
		gt.g[i].desired = gt.g[i].included ? amounts[ninc++] : 0;
	if (pr->pg->cap > 0)
		apply_program_cap(pr->pg, gt.g, gt.n);
	memset(p, 0, sizeof *p);
	p->count = (int64_t)ninc;
	money_sum(values, ninc, &p->revenue);
	p->micro = pr->r->kind == RULE_TIERED ? commission_period_micro(pr->r, values, ninc) : clause_micro;
	for (i = 0; pr->pg->cap > 0 && i < gt.n; i++)
		if (!money_add(p->capped, gt.g[i].desired, &p->capped))
			p->capped = INT64_MAX;
	p->rule = rule_print(pr->rule_text, pr->pg);
	for (i = 0; i < gt.n; i++) {
		rec_free(KIND_CONVERSION, &gt.g[i].cv);
		sbuf_free(&gt.g[i].explain);
	}
	free(gt.g);
	free(values);
	free(amounts);
}

struct period_verify {
	struct txn *t;
	void (*report)(void *ctx, const char *line);
	void *ctx;
	uint64_t problems;
};

static bool
verify_one(void *ctx, uint64_t referrer, uint64_t program, int64_t start, const struct rollup_period *kept)
{
	struct period_verify *v = ctx;
	struct program pg;
	struct rule r;
	struct rollup_period want;
	struct err e;
	char *text = NULL, line[200], month[8];
	uint64_t partner;

	if (rec_get(v->t, KIND_PROGRAM, program, &pg) != ST_OK)
		return true;
	if (ledger_rule(v->t, &pg, referrer, &r, &text, &partner, &e) == ST_OK &&
	    keeps_totals(&r, &pg) && kept->rule == rule_print(text, &pg)) {
		/* totals under another rule are never used: a new walk replaces them */
		struct period_ref pr = { &pg, &r, text, referrer, partner, start };
		period_expect(v->t, &pr, &want);
		if (want.count != kept->count || want.revenue != kept->revenue || want.micro != kept->micro ||
		    want.capped != kept->capped) {
			month_of(start, month);
			snprintf(line, sizeof line, "period totals of R%llu in P%llu from %s differ from its "
			    "conversions (%lld conversions, %lld kept)", (unsigned long long)referrer,
			    (unsigned long long)program, month, (long long)want.count, (long long)kept->count);
			v->report(v->ctx, line);
			v->problems++;
		}
	}
	free(text);
	rec_free(KIND_PROGRAM, &pg);
	return true;
}

uint64_t
ledger_verify_periods(struct txn *t, void (*report)(void *ctx, const char *line), void *ctx)
{
	struct period_verify v = { t, report, ctx, 0 };

	rollup_period_each(t, verify_one, &v);
	return v.problems;
}
