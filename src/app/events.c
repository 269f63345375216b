/*
 * events.c - referrals, conversions and refunds reported by other systems,
 * one at a time (ally track) or inside a batch (ingest, import, demo).
 *
 * Every event is idempotent: a referral is the same when its code, contact
 * and time are; a conversion when its external id is (per program); a
 * refund when its conversion, time and amount are.  Reporting one again
 * changes nothing and says so.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/audit.h"
#include "app/app_int.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/str.h"
#include "core/utf8.h"
#include "domain/code.h"
#include "domain/email.h"
#include "domain/referral.h"
#include "domain/rule.h"

#define FUTURE_SLACK 300        /* seconds: clocks of reporting systems drift */
#define EXT_ID_MAX 128

/* TIME or now; never more than five minutes ahead. */
static enum status
event_time(const char *in, int64_t *out, struct err *e)
{
	int64_t now = clock_now();
	enum status st;

	if (in == NULL || *in == '\0') {
		*out = now;
		return ST_OK;
	}
	if ((st = date_parse_time(in, out, "at", e)) != ST_OK)
		return st;
	if (*out > now + FUTURE_SLACK) {
		char buf[DATE_BUFSZ];
		return err_set(e, ST_DATA, "at: %s is in the future", date_format_rfc3339(*out, buf));
	}
	return ST_OK;
}

/* The code record for a code typed by a user. */
static enum status
find_code(struct txn *t, const char *text, struct code *k, struct err *e)
{
	char norm[CODE_MAX_LEN + 1];
	struct key key;
	uint64_t id;

	if (text == NULL || *text == '\0')
		return err_set(e, ST_USAGE, "code: missing (--code)");
	if (!code_normalise(text, norm))
		return err_set(e, ST_DATA, "code: \"%s\" is not a referral code", text);
	key_init(&key);
	key_str(&key, norm, false);
	id = idx_find(t, IDX_CODE, &key);
	if (id == 0 || rec_get(t, KIND_CODE, id, k) != ST_OK) {
		if (txn_status(t) != ST_OK)
			return util_txn_err(t, e);
		return err_set(e, ST_NOTFOUND, "code: %s not found", norm);
	}
	return ST_OK;
}

/* All referrals of a contact in a program (caller frees each and the
 * array). */
static size_t
contact_referrals(struct txn *t, uint64_t program, const char *email, struct referral ***out)
{
	struct referral **v = NULL;
	size_t n = 0, cap = 0;
	struct key k;
	struct iter *it;
	uint64_t id;

	key_init(&k);
	key_u64(&k, program);
	key_str(&k, email, true);
	it = iter_index(t, IDX_REFERRAL_CONTACT, &k, false);
	while (iter_next(it, &id)) {
		struct referral *r = xmalloc(sizeof *r);
		if (rec_get(t, KIND_REFERRAL, id, r) != ST_OK) {
			free(r);
			continue;
		}
		v = xgrow(v, &cap, n + 1, sizeof *v);
		v[n++] = r;
	}
	iter_close(it);
	*out = v;
	return n;
}

static void
free_referrals(struct referral **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		rec_free(KIND_REFERRAL, v[i]);
		free(v[i]);
	}
	free(v);
}

/* Is the index key kb (kl bytes) below the key `bound`?  Keys compare as
 * bytes, so this needs no knowledge of the fields. */
static bool
key_below(const unsigned char *kb, size_t kl, const struct key *bound)
{
	size_t n = kl < bound->n ? kl : bound->n;
	int c = memcmp(kb, bound->b, n);

	return c < 0 || (c == 0 && kl < bound->n);
}

/* Referrals by a referrer in [from, to): the range of the index (referrer,
 * at, id) from (referrer, from) up to (referrer, to). */
static int64_t
referrer_count_between(struct txn *t, uint64_t referrer, int64_t from, int64_t to)
{
	struct key prefix, lo, hi;
	struct iter *it;
	uint64_t id;
	int64_t n = 0;

	key_init(&prefix);
	key_u64(&prefix, referrer);
	lo = hi = prefix;
	key_i64(&lo, from);
	key_i64(&hi, to);
	it = iter_index_from(t, IDX_REFERRAL_REFERRER, &prefix, &lo);
	while (iter_next(it, &id)) {
		size_t len;
		const unsigned char *kb = iter_key(it, &len);
		if (!key_below(kb, len, &hi))
			break;
		n++;
	}
	iter_close(it);
	return n;
}

static enum status
track_referral(struct app *a, struct txn *t, const struct event_input *in,
    struct event_result *r, struct err *e)
{
	struct code k;
	struct program pg;
	struct referrer rr;
	struct partner pa;
	struct referral ref;
	struct referral_facts f;
	struct referral **others = NULL;
	size_t n = 0, i;
	char *email = NULL, *name = NULL;
	const char *reason = NULL;
	int64_t at;
	enum status st;
	bool have_partner = false;

	(void)a;
	memset(&ref, 0, sizeof ref);
	memset(&pg, 0, sizeof pg);
	memset(&rr, 0, sizeof rr);
	if ((st = find_code(t, in->code, &k, e)) != ST_OK)
		return st;
	if (in->email == NULL) {
		st = err_set(e, ST_USAGE, "email: missing (--email)");
		goto out;
	}
	if ((st = email_normalise(in->email, &email, "email", e)) != ST_OK)
		goto out;
	if ((st = util_text(in->name, false, NAME_MAX_LEN, &name, "name", e)) != ST_OK)
		goto out;
	if ((st = event_time(in->at, &at, e)) != ST_OK)
		goto out;
	if (rec_get(t, KIND_PROGRAM, k.program, &pg) != ST_OK ||
	    rec_get(t, KIND_REFERRER, k.referrer, &rr) != ST_OK) {
		st = util_txn_err(t, e);
		if (st == ST_OK)
			st = err_set(e, ST_DATA, "code: %s points at a missing record (run ally check)", k.code);
		goto out;
	}
	if (rr.kind == REFERRER_PARTNER && rec_get(t, KIND_PARTNER, rr.partner, &pa) == ST_OK)
		have_partner = true;

	memset(&f, 0, sizeof f);
	f.program = &pg;
	f.referrer = &rr;
	f.partner = have_partner ? &pa : NULL;
	f.referrer_email = have_partner ? pa.email : rr.email;
	f.contact_email = email;
	f.at = at;
	n = contact_referrals(t, pg.id, email, &others);
	for (i = 0; i < n; i++) {
		const struct referral *o = others[i];
		if (o->referrer == rr.id && o->at == at) {
			r->outcome = EVENT_DUPLICATE;
			r->kind = KIND_REFERRAL;
			r->id = o->id;
			goto out;
		}
	}
	for (i = 0; i < n; i++) {
		const struct referral *o = others[i];
		if (o->status == REFERRAL_REJECTED || o->at > at || referral_window_end(&pg, o->at) <= at)
			continue;
		if (f.open_referral_referrer == 0 || o->referrer == rr.id)
			f.open_referral_referrer = o->referrer;
	}
	if (pg.max_refs > 0)
		f.referrer_period_count = referrer_count_between(t, rr.id,
		    date_period_start((enum period)pg.max_period, at),
		    date_period_next((enum period)pg.max_period, at));
	if (k.disabled)
		reason = "code disabled";
	else
		reason = referral_reject_reason(&f);

	ref.program = pg.id;
	ref.code = k.id;
	ref.referrer = rr.id;
	ref.email = email;
	ref.name = name;
	email = name = NULL;
	ref.at = at;
	ref.status = reason ? REFERRAL_REJECTED : REFERRAL_PENDING;
	ref.reason = reason ? xstrdup(reason) : NULL;
	rec_put(t, KIND_REFERRAL, &ref);
	if ((st = util_txn_err(t, e)) != ST_OK)
		goto out;
	r->outcome = reason ? EVENT_REJECTED : EVENT_RECORDED;
	r->kind = KIND_REFERRAL;
	r->id = ref.id;
	if (reason)
		snprintf(r->reason, sizeof r->reason, "%s", reason);
out:
	free_referrals(others, n);
	if (have_partner)
		rec_free(KIND_PARTNER, &pa);
	rec_free(KIND_REFERRAL, &ref);
	rec_free(KIND_REFERRER, &rr);
	rec_free(KIND_PROGRAM, &pg);
	rec_free(KIND_CODE, &k);
	free(email);
	free(name);
	return st;
}

static enum status
ext_id_check(const char *in, struct err *e)
{
	if (in == NULL || *in == '\0')
		return err_set(e, ST_USAGE, "id: missing (--id, the conversion's external id)");
	if (strlen(in) > EXT_ID_MAX)
		return err_set(e, ST_DATA, "id: longer than %d bytes", EXT_ID_MAX);
	switch (utf8_text_check(in, false, NULL)) {
	case UTF8_TEXT_OK:
		return ST_OK;
	case UTF8_TEXT_INVALID:
		return err_set(e, ST_DATA, "id: not valid UTF-8");
	case UTF8_TEXT_CONTROL:
		break;
	}
	return err_set(e, ST_DATA, "id: control characters are not allowed");
}

/* An optional product, plan or country of a conversion: one word a rule
 * can name (rule.h), product and plan lower-cased, a country upper. */
static enum status
conversion_field(const char *in, const char *field, bool country, char **out, struct err *e)
{
	char *v;

	*out = NULL;
	if (in == NULL || *in == '\0')
		return ST_OK;
	if (country ? !rule_country_ok(in, strlen(in)) : !rule_value_ok(in, strlen(in))) {
		char *shown = str_visible_cut(in, 40);
		enum status st = err_set(e, ST_DATA, country ?
		    "%s: \"%s\" is not a two-letter country code (ISO 3166), e.g. DE" :
		    "%s: \"%s\" must be 1 to 64 letters, digits and - _ . / : +", field, shown);
		free(shown);
		return st;
	}
	v = xstrdup(in);
	if (country) {
		v[0] = (char)(v[0] >= 'a' && v[0] <= 'z' ? v[0] - 'a' + 'A' : v[0]);
		v[1] = (char)(v[1] >= 'a' && v[1] <= 'z' ? v[1] - 'a' + 'A' : v[1]);
	} else {
		str_lower(v);
	}
	*out = v;
	return ST_OK;
}

static uint64_t
find_conversion(struct txn *t, uint64_t program, const char *ext)
{
	struct key k;

	key_init(&k);
	key_u64(&k, program);
	key_str(&k, ext, false);
	return idx_find(t, IDX_CONVERSION_EXT, &k);
}

static enum status
track_conversion(struct app *a, struct txn *t, const struct event_input *in,
    struct event_result *r, struct err *e)
{
	struct code k;
	struct program pg;
	struct conversion cv, cv2;
	struct referral **refs = NULL;
	const struct currency *cur;
	int64_t seq_before[3];
	bool renumber = false;
	size_t n = 0, i;
	char *email = NULL, *event = NULL;
	uint64_t pgid = 0, only_referrer = 0, dup;
	long pick = -1;
	int64_t at;
	enum status st;

	memset(&k, 0, sizeof k);
	memset(&pg, 0, sizeof pg);
	memset(&cv, 0, sizeof cv);
	if ((st = ext_id_check(in->id, e)) != ST_OK)
		return st;
	if (in->event == NULL || *in->event == '\0')
		return err_set(e, ST_USAGE, "event: missing (--event)");
	if ((st = util_text(in->event, true, 64, &event, "event", e)) != ST_OK)
		return st;
	str_lower(event);
	if (in->amount == NULL) {
		st = err_set(e, ST_USAGE, "amount: missing (--amount)");
		goto out;
	}
	if ((st = event_time(in->at, &at, e)) != ST_OK)
		goto out;
	if ((st = conversion_field(in->product, "product", false, &cv.product, e)) != ST_OK ||
	    (st = conversion_field(in->plan, "plan", false, &cv.plan, e)) != ST_OK ||
	    (st = conversion_field(in->country, "country", true, &cv.country, e)) != ST_OK)
		goto out;

	/* Which program and which referral. */
	if (in->referral && *in->referral) {
		uint64_t rid;
		if ((st = app_resolve(t, KIND_REFERRAL, in->referral, &rid, e)) != ST_OK)
			goto out;
		refs = xmalloc(sizeof *refs);
		refs[0] = xmalloc(sizeof **refs);
		if (rec_get(t, KIND_REFERRAL, rid, refs[0]) != ST_OK) {
			free(refs[0]);
			st = util_txn_err(t, e);
			goto out;
		}
		n = 1;
		pgid = refs[0]->program;
	} else {
		if (in->code && *in->code) {
			if ((st = find_code(t, in->code, &k, e)) != ST_OK)
				goto out;
			pgid = k.program;
			only_referrer = k.referrer;
		} else if (in->program && *in->program) {
			if ((st = app_resolve(t, KIND_PROGRAM, in->program, &pgid, e)) != ST_OK)
				goto out;
		} else {
			st = err_set(e, ST_USAGE, "code: give --code (or --program, or --referral)");
			goto out;
		}
		if (in->email == NULL) {
			st = err_set(e, ST_USAGE, "email: missing (--email)");
			goto out;
		}
		if ((st = email_normalise(in->email, &email, "email", e)) != ST_OK)
			goto out;
	}
	if ((st = rec_get(t, KIND_PROGRAM, pgid, &pg)) != ST_OK) {
		st = util_txn_err(t, e);
		if (st == ST_OK)
			st = err_set(e, ST_DATA, "program %llu is missing (run ally check)", (unsigned long long)pgid);
		goto out;
	}
	cur = currency_find(pg.currency);
	if (in->currency && *in->currency && !str_eq_nocase(in->currency, pg.currency)) {
		st = err_set(e, ST_DATA, "currency: %s, but program %s is in %s", in->currency, pg.name, pg.currency);
		goto out;
	}
	if ((st = money_parse(in->amount, cur, false, &cv.amount, "amount", e)) != ST_OK)
		goto out;
	if ((dup = find_conversion(t, pg.id, in->id)) != 0) {
		r->outcome = EVENT_DUPLICATE;
		r->kind = KIND_CONVERSION;
		r->id = dup;
		goto out;
	}
	if (email)
		n = contact_referrals(t, pg.id, email, &refs);
	if (only_referrer) {
		size_t j = 0;
		for (i = 0; i < n; i++) {
			if (refs[i]->referrer == only_referrer) {
				refs[j++] = refs[i];
			} else {
				rec_free(KIND_REFERRAL, refs[i]);
				free(refs[i]);
			}
		}
		n = j;
	}
	pick = referral_attribute(&pg, (const struct referral *const *)refs, n, at);
	if (pick < 0) {
		/* Only rejected referrals: the conversion is still recorded
		 * (so it is never reported twice) but earns nothing. */
		for (i = 0; i < n; i++) {
			if (refs[i]->status == REFERRAL_REJECTED && refs[i]->at <= at &&
			    (pick < 0 || refs[i]->at > refs[pick]->at))
				pick = (long)i;
		}
	}
	if (pick < 0) {
		if (n > 0)
			st = err_set(e, ST_DATA, "at: the conversion is before any usable referral of %s in %s",
			    email ? email : "that contact", pg.name);
		else
			st = err_set(e, ST_NOTFOUND, "email: no referral of %s in program %s%s", email,
			    pg.name, only_referrer ? " with that code" : "");
		goto out;
	}

	if ((st = ledger_room(t, &pg, refs[pick]->referrer, cv.amount, e)) != ST_OK)
		goto out;
	cv.program = pg.id;
	cv.referral = refs[pick]->id;
	cv.referrer = refs[pick]->referrer;
	cv.event = event;
	event = NULL;
	memcpy(cv.currency, pg.currency, 4);
	cv.at = at;
	cv.ext_id = xstrdup(in->id);
	seq_before[0] = refs[pick]->conv_count;
	seq_before[1] = refs[pick]->conv_first;
	seq_before[2] = refs[pick]->conv_last;
	if ((st = sequence_place(t, &pg, refs[pick], &cv, &renumber, e)) != ST_OK)
		goto out;
	rec_put(t, KIND_CONVERSION, &cv);
	/* A conversion reported late with a true time inside the window
	 * converts a referral the sweep has expired since. */
	if (cv.qualifying && (refs[pick]->status == REFERRAL_PENDING ||
	    refs[pick]->status == REFERRAL_EXPIRED)) {
		if (refs[pick]->status == REFERRAL_EXPIRED)
			util_replace(&refs[pick]->reason, NULL);
		refs[pick]->status = REFERRAL_CONVERTED;
		rec_put(t, KIND_REFERRAL, refs[pick]);
	} else if (seq_before[0] != refs[pick]->conv_count || seq_before[1] != refs[pick]->conv_first ||
	    seq_before[2] != refs[pick]->conv_last) {
		rec_put(t, KIND_REFERRAL, refs[pick]);
	}
	if ((st = util_txn_err(t, e)) != ST_OK)
		goto out;
	if (renumber && (st = sequence_renumber(a, t, &pg, refs[pick]->id, cv.id, e)) != ST_OK) {
		txn_fail(t, st, "%s", e ? e->msg : "commission rule");
		goto out;
	}
	if (renumber && (rec_get(t, KIND_CONVERSION, cv.id, &cv2) == ST_OK)) {
		cv.qualifying = cv2.qualifying;
		rec_free(KIND_CONVERSION, &cv2);
	}
	if ((cv.qualifying &&
	    (st = ledger_reconcile(a, t, cv.referrer, cv.program, cv.id, cv.at, true, e)) != ST_OK) ||
	    (pg.referee_rule && (st = reward_reconcile(t, &pg, cv.id, e)) != ST_OK)) {
		/* the conversion is written: keep the batch all or nothing */
		txn_fail(t, st, "%s", e ? e->msg : "commission rule");
		goto out;
	}
	r->outcome = EVENT_RECORDED;
	r->kind = KIND_CONVERSION;
	r->id = cv.id;
	r->qualifying = cv.qualifying;
	if (!cv.qualifying) {
		if (refs[pick]->status == REFERRAL_REJECTED)
			snprintf(r->reason, sizeof r->reason, "referral was rejected");
		else if (!program_event_qualifies(&pg, cv.event))
			snprintf(r->reason, sizeof r->reason, "event %s does not qualify in %s", cv.event, pg.name);
		else if (refs[pick]->at > cv.at)
			snprintf(r->reason, sizeof r->reason, "before its referral");
		else
			snprintf(r->reason, sizeof r->reason, "outside the %d-day window", pg.window_days);
	}
out:
	free_referrals(refs, n);
	rec_free(KIND_CONVERSION, &cv);
	rec_free(KIND_PROGRAM, &pg);
	rec_free(KIND_CODE, &k);
	free(email);
	free(event);
	return st;
}

static enum status
track_refund(struct app *a, struct txn *t, const struct event_input *in,
    struct event_result *r, struct err *e)
{
	struct program pg;
	struct conversion cv;
	struct refund rf;
	struct key key;
	struct iter *it;
	uint64_t pgid, cid, id;
	int64_t at, amount;
	enum status st;
	char b1[MONEY_BUFSZ], b2[MONEY_BUFSZ];

	if (in->program == NULL || *in->program == '\0')
		return err_set(e, ST_USAGE, "program: missing (--program)");
	if ((st = ext_id_check(in->id, e)) != ST_OK)
		return st;
	if (in->amount == NULL)
		return err_set(e, ST_USAGE, "amount: missing (--amount)");
	if ((st = event_time(in->at, &at, e)) != ST_OK)
		return st;
	if ((st = app_resolve(t, KIND_PROGRAM, in->program, &pgid, e)) != ST_OK)
		return st;
	if ((cid = find_conversion(t, pgid, in->id)) == 0)
		return err_set(e, ST_NOTFOUND, "id: no conversion %s in that program", in->id);
	if ((st = rec_get(t, KIND_PROGRAM, pgid, &pg)) != ST_OK)
		return util_txn_err(t, e);
	if ((st = rec_get(t, KIND_CONVERSION, cid, &cv)) != ST_OK) {
		rec_free(KIND_PROGRAM, &pg);
		return util_txn_err(t, e);
	}
	st = money_parse(in->amount, currency_find(pg.currency), false, &amount, "amount", e);
	if (st == ST_OK && amount == 0)
		st = err_set(e, ST_DATA, "amount: a refund must be more than zero");
	if (st == ST_OK && at < cv.at)
		st = err_set(e, ST_DATA, "at: the refund is before the conversion it refunds");
	/* The same refund again changes nothing. */
	if (st == ST_OK) {
		key_init(&key);
		key_u64(&key, cid);
		it = iter_index(t, IDX_REFUND_CONVERSION, &key, false);
		while (iter_next(it, &id)) {
			if (rec_get(t, KIND_REFUND, id, &rf) == ST_OK) {
				bool same = rf.at == at && rf.amount == amount;
				rec_free(KIND_REFUND, &rf);
				if (same) {
					r->outcome = EVENT_DUPLICATE;
					r->kind = KIND_REFUND;
					r->id = id;
					break;
				}
			}
		}
		iter_close(it);
		if (r->outcome == EVENT_DUPLICATE)
			goto out;
	}
	if (st == ST_OK && amount > cv.amount - cv.refunded)
		st = err_set(e, ST_DATA, "amount: refund of %s is more than the %s left of conversion %s",
		    money_format(amount, currency_find(pg.currency), b1),
		    money_format(cv.amount - cv.refunded, currency_find(pg.currency), b2), cv.ext_id);
	if (st != ST_OK)
		goto out;
	memset(&rf, 0, sizeof rf);
	rf.program = pgid;
	rf.conversion = cid;
	rf.amount = amount;
	rf.at = at;
	rec_put(t, KIND_REFUND, &rf);
	cv.refunded += amount;
	rec_put(t, KIND_CONVERSION, &cv);
	if ((st = util_txn_err(t, e)) == ST_OK &&
	    ((cv.qualifying &&
	      (st = ledger_reconcile(a, t, cv.referrer, cv.program, cv.id, cv.at, false, e)) != ST_OK) ||
	     (st = reward_reconcile(t, &pg, cv.id, e)) != ST_OK))
		txn_fail(t, st, "%s", e ? e->msg : "commission rule");
	if (st == ST_OK) {
		r->outcome = EVENT_RECORDED;
		r->kind = KIND_REFUND;
		r->id = rf.id;
	}
	rec_free(KIND_REFUND, &rf);
out:
	rec_free(KIND_CONVERSION, &cv);
	rec_free(KIND_PROGRAM, &pg);
	return st;
}

/* A field given that this kind of event does not take is a mistake in the
 * caller's data, not something to ignore. */
static enum status
stray_fields(const struct event_input *in, const char *allowed, struct err *e)
{
	const struct { const char *name; const char *v; } f[] = {
		{ "code", in->code }, { "email", in->email }, { "name", in->name },
		{ "event", in->event }, { "amount", in->amount }, { "currency", in->currency },
		{ "id", in->id }, { "program", in->program }, { "referral", in->referral },
		{ "product", in->product }, { "plan", in->plan }, { "country", in->country },
	};
	size_t i;

	for (i = 0; i < sizeof f / sizeof f[0]; i++) {
		char want[24];
		if (f[i].v == NULL)
			continue;
		snprintf(want, sizeof want, ",%s,", f[i].name);
		if (!strstr(allowed, want))
			return err_set(e, ST_DATA, "%s: not a field of a %s", f[i].name, in->type);
	}
	return ST_OK;
}

enum status
app_track_in(struct app *a, struct txn *t, const struct event_input *in,
    struct event_result *r, struct err *e)
{
	enum status st;

	memset(r, 0, sizeof *r);
	if (in->type == NULL)
		return err_set(e, ST_USAGE, "type: missing (referral, conversion or refund)");
	if (strcmp(in->type, "referral") == 0) {
		if ((st = stray_fields(in, ",code,email,name,", e)) != ST_OK)
			return st;
		return track_referral(a, t, in, r, e);
	}
	if (strcmp(in->type, "conversion") == 0) {
		if ((st = stray_fields(in, ",code,email,event,amount,currency,id,program,referral,product,plan,"
		    "country,", e)) != ST_OK)
			return st;
		return track_conversion(a, t, in, r, e);
	}
	if (strcmp(in->type, "refund") == 0) {
		if ((st = stray_fields(in, ",program,id,amount,", e)) != ST_OK)
			return st;
		return track_refund(a, t, in, r, e);
	}
	return err_set(e, ST_DATA, "type: \"%s\" must be referral, conversion or refund", in->type);
}

struct track_ctx {
	struct app *a;
	const struct event_input *in;
	struct event_result *r;
};

static enum status
track_write(struct txn *t, void *vctx)
{
	struct track_ctx *c = vctx;
	enum status st;
	struct err e = { ST_OK, "" };

	/* One event: the lines it earns or changes are logged one by one. */
	st = app_track_in(c->a, t, c->in, c->r, &e);
	if (st == ST_OK && c->r->outcome != EVENT_DUPLICATE) {
		_Alignas(max_align_t) unsigned char rec[512];
		char what[96], id[24];
		struct sbuf after;

		/* the event's fields, so ally events can hand them on (a batch's
		 * summary entry carries none: its records are exported) */
		sbuf_init(&after);
		if (rec_size(c->r->kind) <= sizeof rec && rec_get(t, c->r->kind, c->r->id, rec) == ST_OK) {
			rec_to_json(c->r->kind, rec, &after);
			rec_free(c->r->kind, rec);
		}
		snprintf(what, sizeof what, "track %s %s", c->in->type, app_id_str(c->r->kind, c->r->id, id));
		audit_append(t, c->a->login, what, c->r->kind, c->r->id, NULL,
		    after.len ? sbuf_str(&after) : NULL);
		sbuf_free(&after);
	}
	return app_fail(t, st, &e);
}

enum status
app_track(struct app *a, const struct event_input *in, struct event_result *r, struct err *e)
{
	struct track_ctx c = { a, in, r };

	return app_write(a, PERM_EVENTS_WRITE, "track", track_write, &c, e);
}
