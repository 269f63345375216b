/*
 * kinds.c - field tables and index keys for every record kind.
 *
 * To add a field to a record: append it to the struct's table here (never
 * insert, never reorder): older records then decode with it zeroed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/fold.h"
#include "store/kinds.h"

#define FLD(type, st, member) { type, offsetof(struct st, member), #member }
#define META(st) FLD(FT_I64, st, m.created), FLD(FT_I64, st, m.updated), FLD(FT_STR, st, m.actor)
#define NF(a) (sizeof(a) / sizeof((a)[0]))
#define KIND(tbl, st, flds) { tbl, { flds, NF(flds), sizeof(struct st) }, \
	offsetof(struct st, id), offsetof(struct st, m) }

static const struct field_def settings_fields[] = {
	FLD(FT_U64, settings, id), META(settings),
	FLD(FT_STR, settings, org), FLD(FT_CUR, settings, currency),
	FLD(FT_STR, settings, timezone), FLD(FT_STR, settings, deal_rule),
	FLD(FT_STR, settings, debtor_name), FLD(FT_STR, settings, debtor_iban),
	FLD(FT_STR, settings, debtor_bic),
};
static const struct field_def user_fields[] = {
	FLD(FT_U64, user, id), META(user),
	FLD(FT_STR, user, login), FLD(FT_I32, user, role),
	FLD(FT_U64, user, partner), FLD(FT_STR, user, pw_hash),
	FLD(FT_I32, user, failures), FLD(FT_I64, user, failed_at),
	FLD(FT_I64, user, locked_at), FLD(FT_I64, user, login_at),
	FLD(FT_STR, user, login_from),
};
static const struct field_def program_fields[] = {
	FLD(FT_U64, program, id), META(program),
	FLD(FT_STR, program, name), FLD(FT_I32, program, status),
	FLD(FT_I64, program, start), FLD(FT_I64, program, end),
	FLD(FT_STR, program, landing), FLD(FT_STR, program, events),
	FLD(FT_I32, program, window_days), FLD(FT_I32, program, attribution),
	FLD(FT_I32, program, eligible), FLD(FT_STR, program, tiers),
	FLD(FT_I32, program, max_refs), FLD(FT_I32, program, max_period),
	FLD(FT_STR, program, rule), FLD(FT_I64, program, cap),
	FLD(FT_I32, program, hold_days), FLD(FT_CUR, program, currency),
	FLD(FT_STR, program, referee_rule), FLD(FT_STR, program, bonus),
	FLD(FT_I32, program, override_bp),
};
static const struct field_def tier_fields[] = {
	FLD(FT_U64, tier, id), META(tier),
	FLD(FT_STR, tier, name), FLD(FT_I32, tier, rank), FLD(FT_STR, tier, rule),
	FLD(FT_I32, tier, exclusivity_days), FLD(FT_I32, tier, max_deals),
	FLD(FT_STR, tier, bonus), FLD(FT_I32, tier, override_bp),
};
static const struct field_def partner_fields[] = {
	FLD(FT_U64, partner, id), META(partner),
	FLD(FT_STR, partner, name), FLD(FT_I32, partner, kind),
	FLD(FT_U64, partner, tier), FLD(FT_STR, partner, contact),
	FLD(FT_STR, partner, email), FLD(FT_STR, partner, address),
	FLD(FT_STR, partner, payout_email), FLD(FT_STR, partner, notes),
	FLD(FT_I32, partner, status),
	FLD(FT_I32, partner, payout_method), FLD(FT_STR, partner, iban),
	FLD(FT_STR, partner, bic), FLD(FT_STR, partner, holder),
	FLD(FT_U64, partner, parent), FLD(FT_I64, partner, parent_since),
};
static const struct field_def agreement_fields[] = {
	FLD(FT_U64, agreement, id), META(agreement),
	FLD(FT_U64, agreement, partner), FLD(FT_STR, agreement, title),
	FLD(FT_I64, agreement, signed_at), FLD(FT_I64, agreement, expires),
	FLD(FT_STR, agreement, document),
};
static const struct field_def referrer_fields[] = {
	FLD(FT_U64, referrer, id), META(referrer),
	FLD(FT_I32, referrer, kind), FLD(FT_U64, referrer, partner),
	FLD(FT_STR, referrer, email), FLD(FT_STR, referrer, name),
};
static const struct field_def code_fields[] = {
	FLD(FT_U64, code, id), META(code),
	FLD(FT_STR, code, code), FLD(FT_U64, code, program),
	FLD(FT_U64, code, referrer), FLD(FT_I32, code, disabled),
	FLD(FT_I32, code, vanity),
};
static const struct field_def referral_fields[] = {
	FLD(FT_U64, referral, id), META(referral),
	FLD(FT_U64, referral, program), FLD(FT_U64, referral, code),
	FLD(FT_U64, referral, referrer), FLD(FT_STR, referral, email),
	FLD(FT_STR, referral, name), FLD(FT_I64, referral, at),
	FLD(FT_I32, referral, status), FLD(FT_STR, referral, reason),
	FLD(FT_I64, referral, conv_count), FLD(FT_I64, referral, conv_first),
	FLD(FT_I64, referral, conv_last),
};
static const struct field_def conversion_fields[] = {
	FLD(FT_U64, conversion, id), META(conversion),
	FLD(FT_U64, conversion, program), FLD(FT_U64, conversion, referral),
	FLD(FT_U64, conversion, referrer), FLD(FT_STR, conversion, event),
	FLD(FT_I64, conversion, amount), FLD(FT_CUR, conversion, currency),
	FLD(FT_I64, conversion, at), FLD(FT_STR, conversion, ext_id),
	FLD(FT_I64, conversion, refunded), FLD(FT_I32, conversion, qualifying),
	FLD(FT_STR, conversion, product), FLD(FT_STR, conversion, plan),
	FLD(FT_STR, conversion, country), FLD(FT_I64, conversion, ordinal),
	FLD(FT_I64, conversion, first_at),
};
static const struct field_def refund_fields[] = {
	FLD(FT_U64, refund, id), META(refund),
	FLD(FT_U64, refund, program), FLD(FT_U64, refund, conversion),
	FLD(FT_I64, refund, amount), FLD(FT_I64, refund, at),
};

static const struct field_def commission_fields[] = {
	FLD(FT_U64, commission, id), META(commission),
	FLD(FT_I32, commission, kind), FLD(FT_I32, commission, status),
	FLD(FT_U64, commission, program), FLD(FT_U64, commission, referrer),
	FLD(FT_U64, commission, partner), FLD(FT_U64, commission, conversion),
	FLD(FT_U64, commission, deal), FLD(FT_U64, commission, original),
	FLD(FT_I64, commission, period_start), FLD(FT_I64, commission, basis),
	FLD(FT_I64, commission, amount), FLD(FT_CUR, commission, currency),
	FLD(FT_STR, commission, rule), FLD(FT_STR, commission, explain),
	FLD(FT_I64, commission, earned_at), FLD(FT_I64, commission, hold_until),
	FLD(FT_I64, commission, decided_at), FLD(FT_STR, commission, decided_by),
	FLD(FT_STR, commission, reason), FLD(FT_U64, commission, payout),
	FLD(FT_I64, commission, paid_at),
};
static const struct field_def payout_fields[] = {
	FLD(FT_U64, payout, id), META(payout),
	FLD(FT_I32, payout, status), FLD(FT_I64, payout, cutoff),
	FLD(FT_STR, payout, partners), FLD(FT_I64, payout, minimum),
	FLD(FT_I64, payout, total), FLD(FT_I64, payout, lines),
	FLD(FT_CUR, payout, currency), FLD(FT_STR, payout, checksum),
	FLD(FT_STR, payout, csv), FLD(FT_I64, payout, paid_at),
};
static const struct field_def audit_fields[] = {
	FLD(FT_U64, audit, id), META(audit),
	FLD(FT_I64, audit, at), FLD(FT_STR, audit, actor), FLD(FT_STR, audit, action),
	FLD(FT_I32, audit, kind), FLD(FT_U64, audit, record),
	FLD(FT_STR, audit, before), FLD(FT_STR, audit, after),
	FLD(FT_STR, audit, prev_hash), FLD(FT_STR, audit, hash),
};
static const struct field_def mail_fields[] = {
	FLD(FT_U64, mail, id), META(mail),
	FLD(FT_I32, mail, state), FLD(FT_STR, mail, template), FLD(FT_U64, mail, partner),
	FLD(FT_STR, mail, to_addr), FLD(FT_STR, mail, to_name), FLD(FT_STR, mail, subject),
	FLD(FT_STR, mail, text), FLD(FT_STR, mail, html), FLD(FT_STR, mail, message_id),
	FLD(FT_I32, mail, attempts), FLD(FT_I64, mail, next_at), FLD(FT_STR, mail, last_error),
	FLD(FT_STR, mail, owner), FLD(FT_I64, mail, lease_until), FLD(FT_I64, mail, sent_at),
	FLD(FT_STR, mail, errors), FLD(FT_U64, mail, invitation),
};
static const struct field_def invitation_fields[] = {
	FLD(FT_U64, invitation, id), META(invitation),
	FLD(FT_U64, invitation, partner), FLD(FT_STR, invitation, email),
	FLD(FT_STR, invitation, code_hash), FLD(FT_I64, invitation, expires),
	FLD(FT_I64, invitation, used_at), FLD(FT_I64, invitation, voided_at),
};

static const struct field_def deal_fields[] = {
	FLD(FT_U64, deal, id), META(deal),
	FLD(FT_I32, deal, direct), FLD(FT_U64, deal, partner),
	FLD(FT_STR, deal, company), FLD(FT_STR, deal, company_key), FLD(FT_STR, deal, domain),
	FLD(FT_STR, deal, contact), FLD(FT_I64, deal, value), FLD(FT_CUR, deal, currency),
	FLD(FT_I64, deal, close_date), FLD(FT_STR, deal, notes), FLD(FT_I32, deal, stage),
	FLD(FT_STR, deal, reason), FLD(FT_I64, deal, approved_at),
	FLD(FT_I64, deal, exclusive_until), FLD(FT_I64, deal, final_value),
	FLD(FT_I64, deal, won_at), FLD(FT_I64, deal, closed_at),
};

static const struct field_def partner_key_fields[] = {
	FLD(FT_U64, partner_key, id), META(partner_key),
	FLD(FT_U64, partner_key, partner), FLD(FT_STR, partner_key, type),
	FLD(FT_STR, partner_key, blob), FLD(FT_STR, partner_key, comment),
	FLD(FT_STR, partner_key, fingerprint),
};
static const struct field_def reward_fields[] = {
	FLD(FT_U64, reward, id), META(reward),
	FLD(FT_I32, reward, kind), FLD(FT_I32, reward, status),
	FLD(FT_U64, reward, program), FLD(FT_U64, reward, referral),
	FLD(FT_U64, reward, referrer), FLD(FT_U64, reward, conversion),
	FLD(FT_U64, reward, original), FLD(FT_STR, reward, email),
	FLD(FT_I64, reward, basis), FLD(FT_I64, reward, amount),
	FLD(FT_CUR, reward, currency), FLD(FT_STR, reward, rule),
	FLD(FT_STR, reward, explain), FLD(FT_I64, reward, earned_at),
	FLD(FT_I64, reward, hold_until), FLD(FT_I64, reward, decided_at),
	FLD(FT_STR, reward, decided_by), FLD(FT_STR, reward, reason),
	FLD(FT_I64, reward, issued_at),
};

static const struct field_def webhook_fields[] = {
	FLD(FT_U64, webhook, id), META(webhook),
	FLD(FT_STR, webhook, url), FLD(FT_STR, webhook, events), FLD(FT_STR, webhook, secret),
	FLD(FT_I64, webhook, delivered), FLD(FT_I64, webhook, failures),
	FLD(FT_I64, webhook, last_at), FLD(FT_I32, webhook, last_code),
	FLD(FT_STR, webhook, last_error),
};
static const struct field_def delivery_fields[] = {
	FLD(FT_U64, delivery, id), META(delivery),
	FLD(FT_U64, delivery, webhook), FLD(FT_STR, delivery, event),
	FLD(FT_I32, delivery, kind), FLD(FT_U64, delivery, record),
	FLD(FT_STR, delivery, data), FLD(FT_I32, delivery, state),
	FLD(FT_I32, delivery, attempts), FLD(FT_I64, delivery, next_at),
	FLD(FT_I64, delivery, claimed_until), FLD(FT_STR, delivery, owner),
	FLD(FT_I64, delivery, delivered_at), FLD(FT_I32, delivery, last_code),
	FLD(FT_STR, delivery, last_error),
};

const struct kind_def kind_defs[KIND__COUNT] = {
	[KIND_SETTINGS]   = KIND("settings", settings, settings_fields),
	[KIND_USER]       = KIND("users", user, user_fields),
	[KIND_PROGRAM]    = KIND("programs", program, program_fields),
	[KIND_TIER]       = KIND("tiers", tier, tier_fields),
	[KIND_PARTNER]    = KIND("partners", partner, partner_fields),
	[KIND_AGREEMENT]  = KIND("agreements", agreement, agreement_fields),
	[KIND_REFERRER]   = KIND("referrers", referrer, referrer_fields),
	[KIND_CODE]       = KIND("codes", code, code_fields),
	[KIND_REFERRAL]   = KIND("referrals", referral, referral_fields),
	[KIND_CONVERSION] = KIND("conversions", conversion, conversion_fields),
	[KIND_REFUND]     = KIND("refunds", refund, refund_fields),
	[KIND_COMMISSION] = KIND("commissions", commission, commission_fields),
	[KIND_PAYOUT]     = KIND("payouts", payout, payout_fields),
	[KIND_AUDIT]      = KIND("audit", audit, audit_fields),
	[KIND_MAIL]       = KIND("mail", mail, mail_fields),
	[KIND_INVITATION] = KIND("invitations", invitation, invitation_fields),
	[KIND_DEAL]       = KIND("deals", deal, deal_fields),
	[KIND_PARTNER_KEY] = KIND("partner_keys", partner_key, partner_key_fields),
	[KIND_REWARD]      = KIND("rewards", reward, reward_fields),
	[KIND_WEBHOOK]     = KIND("webhooks", webhook, webhook_fields),
	[KIND_DELIVERY]    = KIND("deliveries", delivery, delivery_fields),
};

/* ---- index keys ---- */

static bool
k_user_login(const void *rec, struct key *k)
{
	key_str(k, ((const struct user *)rec)->login, true);
	return true;
}

static bool
k_program_name(const void *rec, struct key *k)
{
	key_str(k, ((const struct program *)rec)->name, true);
	return true;
}

static bool
k_tier_name(const void *rec, struct key *k)
{
	key_str(k, ((const struct tier *)rec)->name, true);
	return true;
}

static bool
k_partner_name(const void *rec, struct key *k)
{
	key_str(k, ((const struct partner *)rec)->name, true);
	return true;
}

static bool
k_partner_tier(const void *rec, struct key *k)
{
	key_u64(k, ((const struct partner *)rec)->tier);
	return true;
}

static bool
k_agreement_partner(const void *rec, struct key *k)
{
	key_u64(k, ((const struct agreement *)rec)->partner);
	return true;
}

static bool
k_referrer_email(const void *rec, struct key *k)
{
	const struct referrer *r = rec;

	if (r->email == NULL)
		return false;
	key_str(k, r->email, true);
	return true;
}

static bool
k_referrer_name(const void *rec, struct key *k)
{
	const struct referrer *r = rec;

	if (r->name == NULL || r->name[0] == '\0')
		return false;
	key_str(k, r->name, true);
	return true;
}

static bool
k_referrer_partner(const void *rec, struct key *k)
{
	const struct referrer *r = rec;

	if (r->kind != REFERRER_PARTNER)
		return false;
	key_u64(k, r->partner);
	return true;
}

static bool
k_code(const void *rec, struct key *k)
{
	key_str(k, ((const struct code *)rec)->code, false);
	return true;
}

static bool
k_code_referrer(const void *rec, struct key *k)
{
	const struct code *c = rec;

	key_u64(k, c->referrer);
	key_u64(k, c->program);
	return true;
}

static bool
k_referral_contact(const void *rec, struct key *k)
{
	const struct referral *r = rec;

	key_u64(k, r->program);
	key_str(k, r->email, true);
	return true;
}

static bool
k_referral_referrer(const void *rec, struct key *k)
{
	const struct referral *r = rec;

	key_u64(k, r->referrer);
	key_i64(k, r->at);
	return true;
}

/* Only pending referrals: the sweep walks a program's oldest first and
 * stops at the first whose window is still open. */
static bool
k_referral_open(const void *rec, struct key *k)
{
	const struct referral *r = rec;

	if (r->status != REFERRAL_PENDING)
		return false;
	key_u64(k, r->program);
	key_i64(k, r->at);
	return true;
}

static bool
k_referral_time(const void *rec, struct key *k)
{
	key_i64(k, ((const struct referral *)rec)->at);
	return true;
}

static bool
k_conversion_ext(const void *rec, struct key *k)
{
	const struct conversion *c = rec;

	key_u64(k, c->program);
	key_str(k, c->ext_id, false);
	return true;
}

static bool
k_conversion_referral(const void *rec, struct key *k)
{
	key_u64(k, ((const struct conversion *)rec)->referral);
	return true;
}

static bool
k_conversion_time(const void *rec, struct key *k)
{
	key_i64(k, ((const struct conversion *)rec)->at);
	return true;
}

static bool
k_refund_conversion(const void *rec, struct key *k)
{
	key_u64(k, ((const struct refund *)rec)->conversion);
	return true;
}

static bool
k_conversion_group(const void *rec, struct key *k)
{
	const struct conversion *c = rec;

	key_u64(k, c->referrer);
	key_u64(k, c->program);
	key_i64(k, c->at);
	return true;
}

static bool
k_reward_conversion(const void *rec, struct key *k)
{
	key_u64(k, ((const struct reward *)rec)->conversion);
	return true;
}

static bool
k_commission_conversion(const void *rec, struct key *k)
{
	const struct commission *c = rec;

	if (c->conversion == 0)
		return false;
	key_u64(k, c->conversion);
	return true;
}

static bool
k_commission_status(const void *rec, struct key *k)
{
	const struct commission *c = rec;

	key_u64(k, (uint64_t)c->status);
	key_i64(k, c->earned_at);
	return true;
}

static bool
k_commission_referrer(const void *rec, struct key *k)
{
	const struct commission *c = rec;

	key_u64(k, c->referrer);
	key_i64(k, c->earned_at);
	return true;
}

static bool
k_commission_payout(const void *rec, struct key *k)
{
	const struct commission *c = rec;

	if (c->payout == 0)
		return false;
	key_u64(k, c->payout);
	return true;
}

static bool
k_commission_deal(const void *rec, struct key *k)
{
	const struct commission *c = rec;

	if (c->deal == 0)
		return false;
	key_u64(k, c->deal);
	return true;
}

static bool
k_commission_bonus(const void *rec, struct key *k)
{
	const struct commission *c = rec;

	if (c->kind != LINE_BONUS)
		return false;
	key_u64(k, c->referrer);
	key_u64(k, c->program);
	key_i64(k, c->period_start);
	return true;
}

static bool
k_commission_override(const void *rec, struct key *k)
{
	const struct commission *c = rec;

	if (c->kind != LINE_OVERRIDE)
		return false;
	key_u64(k, c->original);
	return true;
}

static bool
k_partner_parent(const void *rec, struct key *k)
{
	const struct partner *p = rec;

	if (p->parent == 0)
		return false;
	key_u64(k, p->parent);
	return true;
}

static bool
k_mail_state(const void *rec, struct key *k)
{
	const struct mail *m = rec;

	key_u64(k, (uint64_t)m->state);
	key_i64(k, m->next_at);
	return true;
}

static bool
k_invitation_partner(const void *rec, struct key *k)
{
	key_u64(k, ((const struct invitation *)rec)->partner);
	return true;
}

static bool
k_invitation_code(const void *rec, struct key *k)
{
	const struct invitation *v = rec;

	if (v->code_hash == NULL)
		return false;
	key_str(k, v->code_hash, false);
	return true;
}

static bool
k_deal_domain(const void *rec, struct key *k)
{
	const struct deal *d = rec;

	if (d->domain == NULL)
		return false;
	key_str(k, d->domain, true);
	return true;
}

static bool
k_deal_company(const void *rec, struct key *k)
{
	const struct deal *d = rec;

	if (d->company_key == NULL || d->company_key[0] == '\0')
		return false;
	key_str(k, d->company_key, true);
	return true;
}

static bool
k_deal_partner(const void *rec, struct key *k)
{
	key_u64(k, ((const struct deal *)rec)->partner);
	return true;
}

static bool
k_key_fingerprint(const void *rec, struct key *k)
{
	const struct partner_key *pk = rec;

	if (pk->fingerprint == NULL)
		return false;
	key_str(k, pk->fingerprint, false);
	return true;
}

static bool
k_key_partner(const void *rec, struct key *k)
{
	key_u64(k, ((const struct partner_key *)rec)->partner);
	return true;
}

/* ---- word indexes: word NUL, referrer, field (then the id) ---- */

/* An e-mail's words without its top-level domain. */
static void
email_words(const char *email, struct fold_words *w)
{
	const char *at, *dot;
	char *cut;
	size_t n;

	w->n = 0;
	if (email == NULL)
		return;
	at = strrchr(email, '@');
	dot = at ? strrchr(at, '.') : NULL;
	n = dot ? (size_t)(dot - email) : strlen(email);
	cut = xstrndup(email, n);
	fold_words_add(cut, w);
	free(cut);
}

static size_t
word_keys(const struct fold_words *w, uint64_t referrer, enum word_field f, struct key *out,
    size_t n, size_t max)
{
	size_t i;

	for (i = 0; i < w->n && n < max; i++, n++) {
		key_init(&out[n]);
		key_str(&out[n], w->w[i], false);
		key_u64(&out[n], referrer);
		out[n].b[out[n].n++] = (unsigned char)f;
	}
	return n;
}

static size_t
k_referrer_words(const void *rec, struct key *out, size_t max)
{
	const struct referrer *r = rec;
	struct fold_words w;
	size_t n;

	fold_words(r->name, &w);
	n = word_keys(&w, r->id, WORD_NAME, out, 0, max);
	email_words(r->email, &w);
	return word_keys(&w, r->id, WORD_EMAIL, out, n, max);
}

static size_t
k_code_words(const void *rec, struct key *out, size_t max)
{
	const struct code *c = rec;
	struct fold_words w;

	fold_words(c->code, &w);
	return word_keys(&w, c->referrer, WORD_CODE, out, 0, max);
}

/* The contact's name and e-mail; a word of both counts as the name's. */
static size_t
k_referral_words(const void *rec, struct key *out, size_t max)
{
	const struct referral *r = rec;
	struct fold_words w, e;
	size_t i, n;

	fold_words(r->name, &w);
	n = word_keys(&w, r->referrer, WORD_CONTACT_NAME, out, 0, max);
	email_words(r->email, &e);
	for (i = 0; i < w.n; i++) {     /* drop the name's words from e */
		size_t j;
		for (j = 0; j < e.n; j++)
			if (strcmp(e.w[j], w.w[i]) == 0) {
				memmove(e.w[j], e.w[j + 1], (e.n - j - 1) * sizeof e.w[0]);
				e.n--;
				break;
			}
	}
	return word_keys(&e, r->referrer, WORD_CONTACT_EMAIL, out, n, max);
}

/* Only deliveries not yet delivered, by endpoint and (appended) id: an
 * endpoint's first entry is the one to send next. */
static bool
k_delivery_pending(const void *rec, struct key *k)
{
	const struct delivery *d = rec;

	if (d->state == DELIVERY_DELIVERED)
		return false;
	key_u64(k, d->webhook);
	return true;
}

const struct index_def index_defs[IDX__COUNT] = {
	[IDX_USER_LOGIN]        = { "ix.user.login", KIND_USER, true, "user login", k_user_login },
	[IDX_PROGRAM_NAME]      = { "ix.program.name", KIND_PROGRAM, true, "program name", k_program_name },
	[IDX_TIER_NAME]         = { "ix.tier.name", KIND_TIER, true, "tier name", k_tier_name },
	[IDX_PARTNER_NAME]      = { "ix.partner.name", KIND_PARTNER, true, "partner name", k_partner_name },
	[IDX_PARTNER_TIER]      = { "ix.partner.tier", KIND_PARTNER, false, "partner tier", k_partner_tier },
	[IDX_AGREEMENT_PARTNER] = { "ix.agreement.partner", KIND_AGREEMENT, false, "agreement partner", k_agreement_partner },
	[IDX_REFERRER_EMAIL]    = { "ix.referrer.email", KIND_REFERRER, false, "referrer e-mail", k_referrer_email },
	[IDX_REFERRER_NAME]     = { "ix.referrer.name", KIND_REFERRER, false, "referrer name", k_referrer_name },
	[IDX_REFERRER_PARTNER]  = { "ix.referrer.partner", KIND_REFERRER, true, "partner referrer", k_referrer_partner },
	[IDX_CODE]              = { "ix.code", KIND_CODE, true, "code", k_code },
	[IDX_CODE_REFERRER]     = { "ix.code.referrer", KIND_CODE, false, "code referrer", k_code_referrer },
	[IDX_REFERRAL_CONTACT]  = { "ix.referral.contact", KIND_REFERRAL, false, "referral contact", k_referral_contact },
	[IDX_REFERRAL_REFERRER] = { "ix.referral.referrer", KIND_REFERRAL, false, "referral referrer", k_referral_referrer },
	[IDX_REFERRAL_TIME]     = { "ix.referral.time", KIND_REFERRAL, false, "referral time", k_referral_time },
	[IDX_CONVERSION_EXT]    = { "ix.conversion.ext", KIND_CONVERSION, true, "conversion id", k_conversion_ext },
	[IDX_CONVERSION_REFERRAL] = { "ix.conversion.referral", KIND_CONVERSION, false, "conversion referral", k_conversion_referral },
	[IDX_CONVERSION_TIME]   = { "ix.conversion.time", KIND_CONVERSION, false, "conversion time", k_conversion_time },
	[IDX_REFUND_CONVERSION] = { "ix.refund.conversion", KIND_REFUND, false, "refund conversion", k_refund_conversion },
	[IDX_CONVERSION_GROUP]  = { "ix.conversion.group", KIND_CONVERSION, false, "conversion group", k_conversion_group },
	[IDX_COMMISSION_CONVERSION] = { "ix.commission.conversion", KIND_COMMISSION, false, "commission conversion", k_commission_conversion },
	[IDX_COMMISSION_STATUS] = { "ix.commission.status", KIND_COMMISSION, false, "commission status", k_commission_status },
	[IDX_COMMISSION_REFERRER] = { "ix.commission.referrer", KIND_COMMISSION, false, "commission referrer", k_commission_referrer },
	[IDX_COMMISSION_PAYOUT] = { "ix.commission.payout", KIND_COMMISSION, false, "commission payout", k_commission_payout },
	[IDX_COMMISSION_DEAL]   = { "ix.commission.deal", KIND_COMMISSION, false, "commission deal", k_commission_deal },
	[IDX_MAIL_STATE]        = { "ix.mail.state", KIND_MAIL, false, "mail state", k_mail_state },
	[IDX_INVITATION_PARTNER] = { "ix.invitation.partner", KIND_INVITATION, false, "invitation partner", k_invitation_partner },
	[IDX_INVITATION_CODE]   = { "ix.invitation.code", KIND_INVITATION, true, "invitation code", k_invitation_code },
	[IDX_DEAL_DOMAIN]       = { "ix.deal.domain", KIND_DEAL, false, "deal domain", k_deal_domain },
	[IDX_DEAL_COMPANY]      = { "ix.deal.company", KIND_DEAL, false, "deal company", k_deal_company },
	[IDX_DEAL_PARTNER]      = { "ix.deal.partner", KIND_DEAL, false, "deal partner", k_deal_partner },
	[IDX_REFERRAL_OPEN]     = { "ix.referral.open", KIND_REFERRAL, false, "pending referral", k_referral_open },
	[IDX_KEY_FINGERPRINT]   = { "ix.key.fingerprint", KIND_PARTNER_KEY, true, "SSH key fingerprint", k_key_fingerprint },
	[IDX_KEY_PARTNER]       = { "ix.key.partner", KIND_PARTNER_KEY, false, "SSH key partner", k_key_partner },
	[IDX_REFERRER_WORD]     = { "ix.referrer.word", KIND_REFERRER, false, "referrer word", NULL, k_referrer_words },
	[IDX_CODE_WORD]         = { "ix.code.word", KIND_CODE, false, "code word", NULL, k_code_words },
	[IDX_REFERRAL_WORD]     = { "ix.referral.word", KIND_REFERRAL, false, "contact word", NULL, k_referral_words },
	[IDX_REWARD_CONVERSION] = { "ix.reward.conversion", KIND_REWARD, false, "reward conversion", k_reward_conversion },
	[IDX_DELIVERY_PENDING]  = { "ix.delivery.pending", KIND_DELIVERY, false, "pending delivery", k_delivery_pending },
	[IDX_COMMISSION_BONUS]  = { "ix.commission.bonus", KIND_COMMISSION, false, "commission bonus", k_commission_bonus },
	[IDX_COMMISSION_OVERRIDE] = { "ix.commission.override", KIND_COMMISSION, false, "commission override", k_commission_override },
	[IDX_PARTNER_PARENT]    = { "ix.partner.parent", KIND_PARTNER, false, "partner parent", k_partner_parent },
};
