/*
 * referral.c - the referral lifecycle as pure rules (see referral.h).
 *
 * app/ gathers the facts (counts, the contact's open referral) from the
 * store and asks here; nothing in this file reads or writes a record.
 * Calls core/ only for calendar arithmetic: a window of N days ends at
 * the same wall-clock time N calendar days later in the organisation's
 * zone, so it stays right across daylight-saving changes.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/str.h"
#include "domain/referral.h"

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool
slice_eq_nocase(const char *a, size_t n, const char *b, size_t m)
{
	size_t i;

	if (n != m)
		return false;
	for (i = 0; i < n; i++) {
		char x = a[i], y = b[i];

		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return true;
}

/* Trim blanks around s[0..*n); returns the new start. */
static const char *
trim_slice(const char *s, size_t *n)
{
	while (*n > 0 && is_blank(*s)) {
		s++;
		(*n)--;
	}
	while (*n > 0 && is_blank(s[*n - 1]))
		(*n)--;
	return s;
}

/*
 * Is item (case-insensitive, blanks ignored) in the comma-separated list?
 * match decides equality of one trimmed list item against the item.
 */
static bool
list_has(const char *list, const char *item, size_t itemlen,
    bool (*match)(const char *, size_t, const char *, size_t))
{
	const char *p = list, *comma;
	size_t n;

	while (p != NULL) {
		comma = strchr(p, ',');
		n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		{
			const char *s = trim_slice(p, &n);

			if (n > 0 && match(s, n, item, itemlen))
				return true;
		}
		p = comma != NULL ? comma + 1 : NULL;
	}
	return false;
}

/* A tier list item: decimal id, "T" prefix tolerated (ids are shown so). */
static bool
tier_match(const char *s, size_t n, const char *item, size_t itemlen)
{
	if (n > 1 && (s[0] == 'T' || s[0] == 't')) {
		s++;
		n--;
	}
	while (n > 1 && s[0] == '0') {
		s++;
		n--;
	}
	return n == itemlen && memcmp(s, item, n) == 0;
}

static bool
tier_allowed(const char *tiers, uint64_t tier)
{
	char id[24];
	int n;

	if (str_empty(tiers))
		return true;
	if (tier == 0)
		return false;
	n = snprintf(id, sizeof id, "%" PRIu64, tier);
	return list_has(tiers, id, (size_t)n, tier_match);
}

static bool
referrer_eligible(const struct referral_facts *f)
{
	const struct program *pg = f->program;

	if (f->referrer == NULL)
		return false;
	if (f->referrer->kind == REFERRER_PARTNER) {
		if (!(pg->eligible & ELIG_PARTNERS) || f->partner == NULL)
			return false;
		if (f->partner->status == PARTNER_SUSPENDED)
			return false;
		return tier_allowed(pg->tiers, f->partner->tier);
	}
	return (pg->eligible & ELIG_CUSTOMERS) != 0;
}

const char *
referral_reject_reason(const struct referral_facts *f)
{
	const struct program *pg = f->program;

	if (pg == NULL || !program_open_at(pg, f->at))
		return "program not active";
	if (!referrer_eligible(f))
		return "ineligible referrer";
	if (!str_empty(f->referrer_email) && !str_empty(f->contact_email) &&
	    str_eq_nocase(f->referrer_email, f->contact_email))
		return "self-referral";
	if (f->open_referral_referrer != 0 &&
	    (pg->attribution != ATTR_LAST ||
	    f->open_referral_referrer == f->referrer->id))
		return "duplicate contact";
	if (pg->max_refs > 0 && f->referrer_period_count >= pg->max_refs)
		return "referral limit reached";
	return NULL;
}

int64_t
referral_window_end(const struct program *pg, int64_t at)
{
	if (pg->window_days <= 0)
		return INT64_MAX;
	return date_add_days(at, pg->window_days);
}

int32_t
referral_effective_status(const struct referral *r, const struct program *pg,
    int64_t now)
{
	if (r->status == REFERRAL_PENDING &&
	    now >= referral_window_end(pg, r->at))
		return REFERRAL_EXPIRED;
	return r->status;
}

bool
program_event_qualifies(const struct program *pg, const char *event)
{
	size_t n;

	if (str_empty(pg->events) || event == NULL)
		return false;
	n = strlen(event);
	event = trim_slice(event, &n);
	if (n == 0)
		return false;
	return list_has(pg->events, event, n, slice_eq_nocase);
}

bool
program_open_at(const struct program *pg, int64_t t)
{
	if (pg->status != PROGRAM_ACTIVE)
		return false;
	if (pg->start != 0 && t < pg->start)
		return false;
	if (pg->end != 0 && t >= pg->end)
		return false;
	return true;
}

long
referral_attribute(const struct program *pg, const struct referral *const *refs,
    size_t n, int64_t t)
{
	long best = -1, best_open = -1;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct referral *r = refs[i];

		if (r == NULL || r->status == REFERRAL_REJECTED || r->at > t)
			continue;
		if (pg->attribution == ATTR_FIRST) {
			/* Earliest; equal times go to the older record. */
			if (best < 0 || r->at < refs[best]->at ||
			    (r->at == refs[best]->at && r->id < refs[best]->id))
				best = (long)i;
			continue;
		}
		/* Latest; equal times go to the newer record. */
		if (best < 0 || r->at > refs[best]->at ||
		    (r->at == refs[best]->at && r->id > refs[best]->id))
			best = (long)i;
		if (t < referral_window_end(pg, r->at) && (best_open < 0 ||
		    r->at > refs[best_open]->at ||
		    (r->at == refs[best_open]->at && r->id > refs[best_open]->id)))
			best_open = (long)i;
	}
	if (pg->attribution != ATTR_FIRST && best_open >= 0)
		return best_open;
	return best;
}

bool
conversion_qualifies(const struct program *pg, const struct referral *r,
    const char *event, int64_t t)
{
	if (r->status == REFERRAL_REJECTED)
		return false;
	if (!program_event_qualifies(pg, event))
		return false;
	return r->at <= t && t < referral_window_end(pg, r->at);
}
