/*
 * portal_int.h - what the portal's files of app/ share (portal.c,
 * portal_login.c, keys.c) and nothing else includes.
 */
#ifndef ALLY_APP_PORTAL_INT_H
#define ALLY_APP_PORTAL_INT_H

#include <stdint.h>

#include "core/status.h"
#include "store/store.h"

/* The portal user an SSH key lets in (0: none: the key is gone, its
 * partner suspended, no portal account, or the account locked); its
 * partner in *partner when not NULL. */
uint64_t portal_key_user(struct txn *t, uint64_t key, uint64_t *partner);

/* A statement mail may be queued in this session (ST_TEMPFAIL when the
 * session's allowance is used up); count one that was. */
enum status portal_mail_allowed(struct err *e);
void portal_mail_count(void);

#endif
