/*
 * perm.c - the role matrix.  Partners act only inside the portal, where
 * their own-record checks live; here they are allowed nothing staff-wide.
 */
#include "config.h"

#include "domain/perm.h"

static const struct {
	bool admin, manager, support, partner;
	const char *desc;
} perm_table[] = {
#define X(name, a, m, s, p, d) { a, m, s, p, d },
	PERM_LIST(X)
#undef X
};

bool
perm_allows(enum role role, enum perm p)
{
	if ((unsigned)p >= PERM__COUNT)
		return false;
	switch (role) {
	case ROLE_ADMIN:   return perm_table[p].admin;
	case ROLE_MANAGER: return perm_table[p].manager;
	case ROLE_SUPPORT: return perm_table[p].support;
	case ROLE_PARTNER: return perm_table[p].partner;
	}
	return false;
}

const char *
perm_describe(enum perm p)
{
	if ((unsigned)p >= PERM__COUNT)
		return "do that";
	return perm_table[p].desc;
}
