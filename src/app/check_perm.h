/*
 * check_perm.h - the permissions part of ally check: who besides the owner
 * and the group can reach the database.
 */
#ifndef ALLY_APP_CHECK_PERM_H
#define ALLY_APP_CHECK_PERM_H

#include <stdint.h>
#include <stdio.h>

/* One "ally: check: warning: ..." line on out (stderr) per finding; returns how many.  Warnings
 * do not make ally check fail: they are advice about the install, not
 * damage in the data. */
uint64_t check_permissions(const char *dir, FILE *out);

#endif
