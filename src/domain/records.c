/*
 * records.c - names of record kinds and of the enums stored in records.
 *
 * These strings are part of the interface: ids ("PG3", "RF12") and the
 * words the CLI prints and parses.  Changing one breaks scripts, so each
 * table is indexed by its enum and checked in tests.
 */
#include "config.h"

#include <stddef.h>

#include "core/str.h"
#include <string.h>

#include "domain/records.h"

static const struct {
	const char *prefix;
	const char *name;
} kind_table[KIND__COUNT] = {
	[KIND_SETTINGS]   = { "",   "settings" },
	[KIND_USER]       = { "U",  "user" },
	[KIND_PROGRAM]    = { "PG", "program" },
	[KIND_TIER]       = { "T",  "tier" },
	[KIND_PARTNER]    = { "P",  "partner" },
	[KIND_AGREEMENT]  = { "AG", "agreement" },
	[KIND_REFERRER]   = { "R",  "referrer" },
	[KIND_CODE]       = { "K",  "code" },
	[KIND_REFERRAL]   = { "RF", "referral" },
	[KIND_CONVERSION] = { "CV", "conversion" },
	[KIND_REFUND]     = { "RD", "refund" },
	[KIND_COMMISSION] = { "C", "commission" },
	[KIND_PAYOUT]     = { "PB", "payout" },
	[KIND_AUDIT]      = { "A", "audit entry" },
	[KIND_MAIL]       = { "M", "mail" },
	[KIND_INVITATION] = { "I", "invitation" },
	[KIND_DEAL]       = { "D", "deal" },
	[KIND_PARTNER_KEY] = { "SK", "SSH key" },
	[KIND_REWARD]     = { "RW", "reward" },
	[KIND_WEBHOOK]    = { "WH", "webhook" },
	[KIND_DELIVERY]   = { "WD", "webhook delivery" },
};

const char *
kind_prefix(enum kind k)
{
	if ((unsigned)k >= KIND__COUNT)
		return "";
	return kind_table[k].prefix;
}

const char *
kind_name(enum kind k)
{
	if ((unsigned)k >= KIND__COUNT)
		return "record";
	return kind_table[k].name;
}

/* Look s up in a NULL-padded table of names; index or -1. */
static int
name_index(const char *const *names, size_t n, const char *s)
{
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (names[i] != NULL && str_eq_nocase(names[i], s))
			return (int)i;
	}
	return -1;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *const role_names[] = {
	[ROLE_ADMIN]   = "admin",
	[ROLE_MANAGER] = "manager",
	[ROLE_SUPPORT] = "support",
	[ROLE_PARTNER] = "partner",
};

const char *
role_name(enum role r)
{
	if ((unsigned)r >= NELEM(role_names) || role_names[r] == NULL)
		return "unknown";
	return role_names[r];
}

bool
role_parse(const char *s, enum role *r)
{
	int i = name_index(role_names, NELEM(role_names), s);

	if (i < 0)
		return false;
	*r = (enum role)i;
	return true;
}

static const char *const program_status_names[] = {
	[PROGRAM_DRAFT]  = "draft",
	[PROGRAM_ACTIVE] = "active",
	[PROGRAM_PAUSED] = "paused",
	[PROGRAM_ENDED]  = "ended",
};

const char *
program_status_name(int32_t s)
{
	if (s < 0 || (size_t)s >= NELEM(program_status_names))
		return "unknown";
	return program_status_names[s];
}

static const char *const partner_kind_names[] = {
	[PKIND_RESELLER]    = "reseller",
	[PKIND_AFFILIATE]   = "affiliate",
	[PKIND_AGENCY]      = "agency",
	[PKIND_INTEGRATION] = "integration",
};

const char *
partner_kind_name(int32_t k)
{
	if (k < 0 || (size_t)k >= NELEM(partner_kind_names))
		return "unknown";
	return partner_kind_names[k];
}

bool
partner_kind_parse(const char *s, int32_t *k)
{
	int i = name_index(partner_kind_names, NELEM(partner_kind_names), s);

	if (i < 0)
		return false;
	*k = i;
	return true;
}

static const char *const partner_status_names[] = {
	[PARTNER_INVITED]   = "invited",
	[PARTNER_ACTIVE]    = "active",
	[PARTNER_SUSPENDED] = "suspended",
};

const char *
partner_status_name(int32_t s)
{
	if (s < 0 || (size_t)s >= NELEM(partner_status_names))
		return "unknown";
	return partner_status_names[s];
}

static const char *const referral_status_names[] = {
	[REFERRAL_PENDING]   = "pending",
	[REFERRAL_CONVERTED] = "converted",
	[REFERRAL_EXPIRED]   = "expired",
	[REFERRAL_REJECTED]  = "rejected",
};

const char *
referral_status_name(int32_t s)
{
	if (s < 0 || (size_t)s >= NELEM(referral_status_names))
		return "unknown";
	return referral_status_names[s];
}

static const char *const commission_status_names[] = {
	[COMMISSION_PENDING]  = "pending",
	[COMMISSION_APPROVED] = "approved",
	[COMMISSION_REJECTED] = "rejected",
	[COMMISSION_PAID]     = "paid",
	[COMMISSION_REVERSED] = "reversed",
};

static const char *const reward_status_names[] = {
	[REWARD_PENDING]  = "pending",
	[REWARD_APPROVED] = "approved",
	[REWARD_REJECTED] = "rejected",
	[REWARD_ISSUED]   = "issued",
	[REWARD_REVERSED] = "reversed",
};

const char *
reward_status_name(int32_t s)
{
	if (s < 0 || (size_t)s >= NELEM(reward_status_names))
		return "unknown";
	return reward_status_names[s];
}

const char *
commission_kind_name(int32_t kind, uint64_t original)
{
	switch (kind) {
	case LINE_COMMISSION:
		return "commission";
	case LINE_ADJUSTMENT:
		return "adjustment";
	case LINE_BONUS:
		return original ? "adjustment" : "bonus";
	case LINE_OVERRIDE:
		return "override";
	default:
		return "unknown";
	}
}

const char *
commission_status_name(int32_t s)
{
	if (s < 0 || (size_t)s >= NELEM(commission_status_names))
		return "unknown";
	return commission_status_names[s];
}

bool
commission_status_parse(const char *s, int32_t *out)
{
	size_t i;

	for (i = 0; s && i < NELEM(commission_status_names); i++) {
		if (strcmp(s, commission_status_names[i]) == 0) {
			*out = (int32_t)i;
			return true;
		}
	}
	return false;
}

static const char *const mail_state_names[] = {
	[MAIL_QUEUED]  = "queued",
	[MAIL_SENDING] = "sending",
	[MAIL_SENT]    = "sent",
	[MAIL_FAILED]  = "failed",
};

static const char *const delivery_state_names[] = {
	[DELIVERY_QUEUED]    = "queued",
	[DELIVERY_SENDING]   = "sending",
	[DELIVERY_DELIVERED] = "delivered",
};

const char *
delivery_state_name(int32_t s)
{
	if (s < 0 || (size_t)s >= NELEM(delivery_state_names))
		return "?";
	return delivery_state_names[s];
}

const char *
mail_state_name(int32_t s)
{
	if (s < 0 || (size_t)s >= NELEM(mail_state_names))
		return "unknown";
	return mail_state_names[s];
}

static const char *const deal_stage_names[] = {
	[DEAL_SUBMITTED] = "submitted",
	[DEAL_APPROVED]  = "approved",
	[DEAL_REJECTED]  = "rejected",
	[DEAL_CONFLICT]  = "conflict",
	[DEAL_WON]       = "won",
	[DEAL_LOST]      = "lost",
	[DEAL_EXPIRED]   = "expired",
};

const char *
deal_stage_name(int32_t s)
{
	if (s < 0 || (size_t)s >= NELEM(deal_stage_names))
		return "unknown";
	return deal_stage_names[s];
}

bool
deal_stage_parse(const char *s, int32_t *out)
{
	size_t i;

	for (i = 0; s && i < NELEM(deal_stage_names); i++) {
		if (strcmp(s, deal_stage_names[i]) == 0) {
			*out = (int32_t)i;
			return true;
		}
	}
	return false;
}
