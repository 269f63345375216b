/*
 * audit.h - the audit log's key (where it is, reading and making it) and
 * the writer's preparation; the change hook and summary entries that
 * write inside a transaction are in app_int.h.
 */
#ifndef ALLY_APP_AUDIT_H
#define ALLY_APP_AUDIT_H

#include "app/app.h"

#define AUDIT_KEY_BYTES 32

/* audit_key.c: where the key is ([audit] key of the system ally.conf, else
 * DB/audit.key; NULL with e set when that file is bad), reading it (group
 * rights; ST_NOINPUT when missing, ST_CONFIG when unreadable, readable by
 * others or malformed) and making a new one (0640, O_EXCL). */
char *audit_key_path(const char *db, struct err *e);
enum status audit_key_read(const char *path, unsigned char key[AUDIT_KEY_BYTES], struct err *e);
enum status audit_key_create(const char *path, struct err *e);

/* For a writer: load the key, making it and carrying an old unkeyed chain
 * over (an "audit.rekey" entry) when there is none yet; `fresh` for ally
 * init (keyed from the first entry).  ST_CONFIG when the chain is keyed
 * and the key cannot be read: nothing is written then. */
enum status audit_prepare(struct store *s, const char *actor, bool fresh, struct err *e);
/* Forget the key loaded for a database (it is read once per process). */
void audit_key_forget(void);
/* True once the chain is keyed. */
bool app_audit_keyed(struct app *a);


#endif
