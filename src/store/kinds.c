/*
 * kinds.c - field tables and index keys for every record kind.
 *
 * To add a field to a record: append it to the struct's table here (never
 * insert, never reorder): older records then decode with it zeroed.
 */
#include "config.h"

#include <string.h>

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
};
static const struct field_def user_fields[] = {
	FLD(FT_U64, user, id), META(user),
	FLD(FT_STR, user, login), FLD(FT_I32, user, role),
	FLD(FT_U64, user, partner), FLD(FT_STR, user, pw_hash),
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
};
static const struct field_def tier_fields[] = {
	FLD(FT_U64, tier, id), META(tier),
	FLD(FT_STR, tier, name), FLD(FT_I32, tier, rank), FLD(FT_STR, tier, rule),
	FLD(FT_I32, tier, exclusivity_days), FLD(FT_I32, tier, max_deals),
};
static const struct field_def partner_fields[] = {
	FLD(FT_U64, partner, id), META(partner),
	FLD(FT_STR, partner, name), FLD(FT_I32, partner, kind),
	FLD(FT_U64, partner, tier), FLD(FT_STR, partner, contact),
	FLD(FT_STR, partner, email), FLD(FT_STR, partner, address),
	FLD(FT_STR, partner, payout_email), FLD(FT_STR, partner, notes),
	FLD(FT_I32, partner, status),
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
};
static const struct field_def conversion_fields[] = {
	FLD(FT_U64, conversion, id), META(conversion),
	FLD(FT_U64, conversion, program), FLD(FT_U64, conversion, referral),
	FLD(FT_U64, conversion, referrer), FLD(FT_STR, conversion, event),
	FLD(FT_I64, conversion, amount), FLD(FT_CUR, conversion, currency),
	FLD(FT_I64, conversion, at), FLD(FT_STR, conversion, ext_id),
	FLD(FT_I64, conversion, refunded), FLD(FT_I32, conversion, qualifying),
};
static const struct field_def refund_fields[] = {
	FLD(FT_U64, refund, id), META(refund),
	FLD(FT_U64, refund, program), FLD(FT_U64, refund, conversion),
	FLD(FT_I64, refund, amount), FLD(FT_I64, refund, at),
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
};
