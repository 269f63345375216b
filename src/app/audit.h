/*
 * audit.h - the audit log's writer: the store change hook that app_open
 * installs, and summary entries for bulk writes.
 */
#ifndef ALLY_APP_AUDIT_H
#define ALLY_APP_AUDIT_H

#include "app/app.h"

void audit_hook(void *ctx, struct txn *t, enum kind k, uint64_t id, const void *before,
    const void *after);
/* Append one entry inside t. */
void audit_append(struct txn *t, const char *actor, const char *action, enum kind k,
    uint64_t record, const char *before, const char *after);

#endif
