/*
 * programs.c - the Programs tab: the list, the create/edit form with the
 * commission rule checked as it is typed, status changes, new codes, and
 * a detail pane with the program's codes and links.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app/ledger.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/date.h"
#include "ui/screens/common.h"
#include "ui/text.h"
#include "ui/widgets/dialog.h"
#include "ui/widgets/form.h"
#include "ui/widgets/table.h"

struct programs {
	struct table t;
};

static const struct table_colspec cols[] = {
	{ "id", "Id", 6, COL_LOW, 0 }, { "name", "Name", 24, COL_KEEP, 0 }, { "status", "Status", 8, COL_NORMAL, 0 },
	{ "rule", "Rule", 34, COL_NORMAL, 0 }, { "start", "Start", 10, COL_LOW, 0 }, { "end", "End", 10, COL_LOW, 0 },
	{ "hold_days", "Hold", 4, COL_LOW, 0 },
};

static void *
programs_open(struct ui *ui, const void *arg)
{
	struct programs *s = xcalloc(1, sizeof *s);

	(void)arg;
	table_init(&s->t, cols, sizeof cols / sizeof cols[0]);
	s->t.empty = ui_may(ui, PERM_PROGRAM_WRITE) ? "No programs yet: press n to create one." :
	    "No programs yet.";
	return s;
}

static void
programs_close(void *st)
{
	struct programs *s = st;

	table_free(&s->t);
	free(s);
}

static void
programs_load(struct ui *ui, void *st)
{
	struct programs *s = st;
	struct list_filter lf = { .limit = s->t.limit + 1 };
	struct err e;

	err_clear(&e);
	table_begin(&s->t);
	if (app_list(ui_app(ui), KIND_PROGRAM, &lf, table_add, &s->t, &e) != ST_OK)
		ui_message(ui, CR_ERROR, "%s", e.msg);
	table_end(&s->t);
}

static void
programs_draw(struct ui *ui, void *st, int y, int rows)
{
	struct programs *s = st;

	ui_title(ui, y, "Programs", ui_may(ui, PERM_PROGRAM_WRITE) ?
	    "n new  e edit  A/P/E status  c code  Enter detail" : "Enter detail  / filter  ? keys");
	table_draw(ui, &s->t, y + 1, rows - 1);
}

/* ---- form ---- */

static const char *const attributions[] = { "first", "last", NULL };
static const char *const eligibles[] = { "both", "customers", "partners", NULL };

enum { F_NAME, F_RULE, F_REFEREE, F_BONUS, F_OVERRIDE, F_START, F_END, F_WINDOW, F_HOLD, F_EVENTS, F_LANDING, F_ATTR,
	F_ELIG, F_N };

struct program_form {
	uint64_t id;
	bool add;
	char tried[EDIT_MAX];   /* the rule the what-if note was made for */
	bool pending;           /* a new valid rule waits for a pause in the typing */
};

/*
 * Editing a program's rule: what the last full month's conversions would
 * earn under the rule typed, beside what they earn now (app_whatif, which
 * writes nothing), as a note under the field.  A big program's month takes
 * a while, so it is made when the typing pauses (form idle), whenever the
 * rule typed is valid and new.
 */
static void
whatif_note(struct ui *ui, struct form *f, struct program_form *pf)
{
	struct field *fd = &f->fields[F_RULE];
	const char *rule = form_value(f, F_RULE);
	char from[DATE_BUFSZ], to[DATE_BUFSZ], id[24], a[MONEY_BUFSZ], b[MONEY_BUFSZ], d[MONEY_BUFSZ];
	int64_t month = date_period_start(PERIOD_MONTH, clock_now());
	struct whatif_input in;
	struct whatif w;
	const struct currency *cur;
	struct sbuf n;
	struct err e;
	size_t i, shown = 0;

	if (pf->add || fd->err[0] || strcmp(rule, fd->initial) == 0) {
		pf->tried[0] = '\0';
		pf->pending = false;
		fd->note[0] = '\0';
		return;         /* nothing to compare, or no rule to try */
	}
	if (strcmp(rule, pf->tried) == 0)
		return;         /* the note is this rule's already */
	if (!pf->pending) {
		pf->pending = true;
		pf->tried[0] = '\0';    /* the note shown is no rule's now */
		fd->note_info = true;
		snprintf(fd->note, sizeof fd->note, "What-if: last month under this rule, when you "
		    "pause typing");
		return;
	}
	pf->pending = false;
	snprintf(pf->tried, sizeof pf->tried, "%s", rule);
	memset(&in, 0, sizeof in);
	in.program = app_id_str(KIND_PROGRAM, pf->id, id);
	in.rule = rule;
	in.from = date_format_day(date_period_start(PERIOD_MONTH, month - 1), from);
	in.to = date_format_day(month - 1, to);
	err_clear(&e);
	fd->note_info = true;
	if (app_whatif(ui_app(ui), &in, &w, &e) != ST_OK) {
		snprintf(fd->note, sizeof fd->note, "what-if: %.400s", e.msg);
		return;
	}
	cur = currency_find(w.currency);
	sbuf_init(&n);
	sbuf_addf(&n, "What-if, %.7s: %llu conversion%s earn %s %s now, %s under this rule (%s%s)",
	    from, (unsigned long long)w.conversions, w.conversions == 1 ? "" : "s",
	    money_format_human(w.current, cur, a), w.currency, money_format_human(w.proposed, cur, b),
	    w.difference > 0 ? "+" : "", money_format_human(w.difference, cur, d));
	if (w.tier_kept)
		sbuf_addf(&n, "; %llu on their tier's own rule, which stays", (unsigned long long)w.tier_kept);
	for (i = 0; w.n > 1 && i < w.n && shown < 3; i++) {
		if (w.rows[i].difference == 0)
			break;  /* rows come by the size of their difference */
		sbuf_addf(&n, "%s %s %s%s", shown ? "," : "; most:", w.rows[i].name,
		    w.rows[i].difference > 0 ? "+" : "", money_format_human(w.rows[i].difference, cur, d));
		shown++;
	}
	snprintf(fd->note, sizeof fd->note, "%s", sbuf_str(&n));
	sbuf_free(&n);
	whatif_free(&w);
}

static void
program_change(struct ui *ui, struct form *f, size_t i, void *ctx)
{
	struct program_form *pf = ctx;

	if (i == F_RULE) {
		pf->pending = false;    /* typing: wait for the next pause */
		whatif_note(ui, f, pf);
	}
}

static void
program_idle(struct ui *ui, struct form *f, void *ctx)
{
	struct program_form *pf = ctx;

	if (pf->pending)
		whatif_note(ui, f, pf);
}

static const char *
pick(const struct form *f, size_t i, bool add)
{
	return add ? form_value_or_null(f, i) : form_changed_value(f, i);
}

static enum status
program_save(struct ui *ui, struct form *f, void *ctx, struct err *e)
{
	struct program_form *pf = ctx;
	struct program_input in;
	uint64_t out = 0;
	enum status st;

	memset(&in, 0, sizeof in);
	in.name = pick(f, F_NAME, pf->add);
	in.rule = pick(f, F_RULE, pf->add);
	in.referee_rule = pick(f, F_REFEREE, pf->add);
	in.bonus = pick(f, F_BONUS, pf->add);
	in.override = pick(f, F_OVERRIDE, pf->add);
	in.start = pick(f, F_START, pf->add);
	in.end = pick(f, F_END, pf->add);
	in.window = pick(f, F_WINDOW, pf->add);
	in.hold = pick(f, F_HOLD, pf->add);
	in.events = pick(f, F_EVENTS, pf->add);
	in.landing = pick(f, F_LANDING, pf->add);
	in.attribution = pick(f, F_ATTR, pf->add);
	in.eligible = pick(f, F_ELIG, pf->add);
	st = app_program_save(ui_app(ui), pf->id, &in, &out, e);
	if (st == ST_OK) {
		char id[24];
		ui_message(ui, CR_OK, "%s %s saved", app_id_str(KIND_PROGRAM, out, id),
		    form_value(f, F_NAME));
		pf->id = out;
	}
	return st;
}

static void
program_form(struct ui *ui, struct programs *s, bool add)
{
	struct field fields[F_N] = {
		[F_NAME] = { .key = "name", .label = "Name", .type = FIELD_TEXT, .required = true },
		[F_RULE] = { .key = "rule", .label = "Commission rule", .type = FIELD_RULE,
			.required = true,
			.hint = "percent 10 [cap 500.00] [for 12 months] | when plan=annual percent 20; percent 10 "
			    "| tiered count month graduated 0:5% 10:7.5%" },
		[F_REFEREE] = { .key = "referee_reward", .label = "Referee reward", .type = FIELD_RULE,
			.hint = "two-sided: the referred contact's reward, e.g. flat 10.00; empty: none" },
		[F_BONUS] = { .key = "bonus", .label = "Bonus", .type = FIELD_BONUS,
			.hint = "once a period, e.g. 500.00 at 50 conversions month | 1000.00 at 25000.00 "
			    "revenue quarter; empty: none" },
		[F_OVERRIDE] = { .key = "override", .label = "Parent override", .type = FIELD_TEXT,
			.hint = "a parent partner's share of its sub-partners' lines, e.g. 5%; empty: none" },
		[F_START] = { .key = "start", .label = "Start", .type = FIELD_DATE, .hint = "YYYY-MM-DD, empty: open" },
		[F_END] = { .key = "end", .label = "End", .type = FIELD_DATE, .hint = "YYYY-MM-DD (last day), empty: open" },
		[F_WINDOW] = { .key = "window", .label = "Window (days)", .type = FIELD_INT },
		[F_HOLD] = { .key = "hold", .label = "Hold (days)", .type = FIELD_INT },
		[F_EVENTS] = { .key = "events", .label = "Qualifying events", .type = FIELD_TEXT,
			.hint = "comma list, e.g. signup,purchase" },
		[F_LANDING] = { .key = "landing", .label = "Landing URL", .type = FIELD_TEXT,
			.hint = "https://example.com/ (?ref=CODE added) or a template with {code}" },
		[F_ATTR] = { .key = "attribution", .label = "Attribution", .type = FIELD_CHOICE,
			.choices = attributions },
		[F_ELIG] = { .key = "eligible", .label = "Who may refer", .type = FIELD_CHOICE,
			.choices = eligibles },
	};
	struct form f = { .fields = fields, .n = F_N, .save = program_save, .change = program_change,
		.idle = program_idle };
	struct program_form pf = { 0, add, "", false };
	struct recfields rf;
	const char *id = table_current(&s->t);

	f.cur = app_currency(ui_app(ui));
	f.ctx = &pf;
	if (add) {
		f.title = "New program";
		form_set(&f, F_WINDOW, "30");
		form_set(&f, F_HOLD, "30");
		form_set(&f, F_EVENTS, "purchase");
		form_set(&f, F_ATTR, "first");
		form_set(&f, F_ELIG, "both");
		/* defaults count as unchanged (Esc asks only after typing);
		 * an add sends every non-empty value */
	} else {
		if ((pf.id = screen_id(ui, KIND_PROGRAM, id)) == 0 ||
		    !rec_fields(ui, KIND_PROGRAM, id, &rf))
			return;
		f.title = "Edit program";
		form_set(&f, F_NAME, rec_field(&rf, "name"));
		form_set(&f, F_RULE, rec_field(&rf, "rule"));
		form_set(&f, F_REFEREE, rec_field(&rf, "referee_reward"));
		form_set(&f, F_BONUS, rec_field(&rf, "bonus"));
		form_set(&f, F_OVERRIDE, rec_field(&rf, "override"));
		form_set(&f, F_START, rec_field(&rf, "start"));
		form_set(&f, F_END, rec_field(&rf, "end"));
		form_set(&f, F_WINDOW, rec_field(&rf, "window_days"));
		form_set(&f, F_HOLD, rec_field(&rf, "hold_days"));
		form_set(&f, F_EVENTS, rec_field(&rf, "events"));
		form_set(&f, F_LANDING, rec_field(&rf, "landing"));
		form_set(&f, F_ATTR, rec_field(&rf, "attribution"));
		form_set(&f, F_ELIG, rec_field(&rf, "eligible"));
		{
			const struct currency *c = currency_find(rec_field(&rf, "currency"));
			if (c)
				f.cur = c;
		}
		rec_fields_free(&rf);
	}
	if (form_run(ui, &f)) {
		char id2[24];
		ui_reload(ui);
		table_goto(&s->t, app_id_str(KIND_PROGRAM, pf.id, id2));
	}
}

/* ---- code form ---- */

enum { C_PARTNER, C_CUSTOMER, C_NAME, C_VANITY, C_N };

static enum status
code_save(struct ui *ui, struct form *f, void *ctx, struct err *e)
{
	struct code_input in;
	struct code c;
	char *link = NULL;
	enum status st;

	memset(&in, 0, sizeof in);
	memset(&c, 0, sizeof c);
	in.program = ctx;
	in.partner = form_value_or_null(f, C_PARTNER);
	in.customer = form_value_or_null(f, C_CUSTOMER);
	in.name = form_value_or_null(f, C_NAME);
	in.vanity = form_value_or_null(f, C_VANITY);
	st = app_code_new(ui_app(ui), &in, &c, &link, e);
	if (st == ST_OK) {
		ui_message(ui, CR_OK, "code %s: %s", c.code, link ? link : "");
		rec_free(KIND_CODE, &c);
		free(link);
	}
	return st;
}

void
programs_code_form(struct ui *ui, const char *program, const char *partner)
{
	struct field fields[C_N] = {
		[C_PARTNER] = { .key = "partner", .label = "Partner", .type = FIELD_TEXT,
			.hint = "a partner's name or id, or leave empty for a customer" },
		[C_CUSTOMER] = { .key = "customer", .label = "Customer e-mail", .type = FIELD_EMAIL },
		[C_NAME] = { .key = "name", .label = "Customer name", .type = FIELD_TEXT },
		[C_VANITY] = { .key = "vanity", .label = "Vanity code", .type = FIELD_TEXT,
			.hint = "optional, e.g. ANNA-10; empty: 8 random characters" },
	};
	struct form f = { .title = "New referral code", .fields = fields, .n = C_N,
		.save = code_save, .ctx = (void *)program };

	f.cur = app_currency(ui_app(ui));
	if (partner)
		form_set(&f, C_PARTNER, partner);
	if (form_run(ui, &f))
		ui_reload(ui);
}

/* ---- detail ---- */

struct codes_text {
	struct sbuf *out;
	size_t n;
};

static enum status
code_line(void *ctx, const struct row *r)
{
	struct codes_text *c = ctx;
	const char *code = "", *status = "", *link = "", *ref = "";
	size_t i;

	for (i = 0; i < r->n; i++) {
		const char *v = r->c[i].s ? r->c[i].s : "";
		if (strcmp(r->c[i].name, "code") == 0)
			code = v;
		else if (strcmp(r->c[i].name, "status") == 0)
			status = v;
		else if (strcmp(r->c[i].name, "link") == 0)
			link = v;
		else if (strcmp(r->c[i].name, "referrer") == 0)
			ref = v;
	}
	sbuf_addf(c->out, "  %-12s %-8s %-8s %s\n", code, status, ref, link);
	c->n++;
	return ST_OK;
}

static void
program_detail(struct ui *ui, struct programs *s)
{
	const char *id = table_current(&s->t);
	struct recfields rf;
	struct list_filter lf = { .program = id, .limit = 500 };
	struct codes_text ct;
	struct sbuf b;
	struct err e;
	char *title;

	if (!rec_fields(ui, KIND_PROGRAM, id, &rf))
		return;
	sbuf_init(&b);
	rec_fields_text(&rf, &b);
	sbuf_add(&b, "\nCodes and links (first 500; all: ally code list --program ID)\n");
	ct.out = &b;
	ct.n = 0;
	err_clear(&e);
	if (app_list(ui_app(ui), KIND_CODE, &lf, code_line, &ct, &e) != ST_OK)
		sbuf_addf(&b, "  %s\n", e.msg);
	else if (ct.n == 0)
		sbuf_add(&b, "  none yet: press c on the list to make one\n");
	title = xasprintf("Program %s %s", id, rec_field(&rf, "name"));
	ui_show_text(ui, title, sbuf_str(&b));
	free(title);
	sbuf_free(&b);
	rec_fields_free(&rf);
}

static void
set_status(struct ui *ui, struct programs *s, enum program_status to)
{
	const char *id = table_current(&s->t);
	uint64_t n = screen_id(ui, KIND_PROGRAM, id);
	struct err e;
	char *q, *msg;

	if (n == 0)
		return;
	if (to == PROGRAM_ENDED) {
		q = xasprintf("End program %s? An ended program takes no more referrals.", id);
		if (!ui_confirm(ui, q)) {
			free(q);
			return;
		}
		free(q);
	}
	err_clear(&e);
	msg = xasprintf("%s is now %s", id, program_status_name(to));
	screen_report(ui, app_program_set_status(ui_app(ui), n, to, &e), &e, msg);
	free(msg);
	ui_reload(ui);
}

static bool
programs_key(struct ui *ui, void *st, enum action act, int key)
{
	struct programs *s = st;

	if (table_key(&s->t, act, key))
		return true;
	switch (act) {
	case ACT_NEW:       program_form(ui, s, true); break;
	case ACT_EDIT:      if (s->t.nview) program_form(ui, s, false); break;
	case ACT_OPEN:      if (s->t.nview) program_detail(ui, s); break;
	case ACT_ACTIVATE:  set_status(ui, s, PROGRAM_ACTIVE); break;
	case ACT_PAUSE:     set_status(ui, s, PROGRAM_PAUSED); break;
	case ACT_END:       set_status(ui, s, PROGRAM_ENDED); break;
	case ACT_CODE:
		if (s->t.nview)
			programs_code_form(ui, table_current(&s->t), NULL);
		break;
	default:
		return false;
	}
	return true;
}

static const struct screen_key screen_programs_keys[] = {
	SK(ACT_NEW, "new program", PERM_PROGRAM_WRITE),
	SK(ACT_EDIT, "edit the selected program", PERM_PROGRAM_WRITE),
	SK(ACT_ACTIVATE, "activate the program", PERM_PROGRAM_WRITE),
	SK(ACT_PAUSE, "pause the program", PERM_PROGRAM_WRITE),
	SK(ACT_END, "end the program", PERM_PROGRAM_WRITE),
	SK(ACT_CODE, "new referral code for the program", PERM_PROGRAM_WRITE),
	SK_ANY(ACT_OPEN, "the program's detail: rule, dates, codes"),
	SK_LIST,
	SK_END
};

static struct table *
screen_programs_list(void *st)
{
	return &((struct programs *)st)->t;
}

static bool
screen_programs_typing(void *st)
{
	return ((struct programs *)st)->t.filtering;
}

const struct screen_ops screen_programs = {
	.name = "Programs",
	.open = programs_open,
	.close = programs_close,
	.load = programs_load,
	.draw = programs_draw,
	.key = programs_key,
	.keys = screen_programs_keys,
	.typing = screen_programs_typing,
	.list = screen_programs_list,
};
