/*
 * priv.h - running setgid safely: who may steer ally through the
 * environment, and opening the files a person names with that person's own
 * rights, not the program's group.
 *
 * A shared install runs setgid to a group that owns the database (see
 * doc/deployment.md).  Testing variables work for root and for a plain
 * (not setgid) program only; paths the user chose are opened with the
 * group dropped; outputs are written to a fresh temporary file beside the
 * target and renamed over it, so nothing is ever written through a
 * symbolic link and nothing half-written is left under the target's name.
 */
#ifndef ALLY_CORE_PRIV_H
#define ALLY_CORE_PRIV_H

#include <stdbool.h>
#include <stdio.h>

#include "core/status.h"

/* A testing or steering variable (ALLY_NOW, ALLY_USER, ...): getenv() for
 * root and for a program that is not setgid, nothing otherwise. */
const char *env_testing(const char *name);
/* True when the program runs with a group that is not the person's. */
bool priv_setgid(void);

/* Drop the program's group (setegid(getgid())) and take it back; calls
 * nest.  A no-op when not running setgid. */
void priv_drop(void);
void priv_restore(void);

/* fopen() / open() with the person's own rights. */
FILE *user_fopen(const char *path, const char *mode);
int user_open(const char *path, int flags, int mode);

/* An output file: a temporary file created beside `path` (O_EXCL, never
 * following a link), made 0666 (or `mode` if nonzero) & ~umask, renamed
 * over `path` by outfile_commit.  `as_user` opens it with the person's
 * rights (a path they named); false keeps the group (ally's own files).
 * `what` prefixes messages: "csv: " gives "csv: PATH: why". */
struct outfile {
	char *path;
	char *tmp;
	FILE *f;
	bool as_user;
};

enum status outfile_open(struct outfile *o, const char *path, bool as_user, int mode,
    const char *what, struct err *e);
/* Flush, fsync and rename into place; on failure the target is untouched. */
enum status outfile_commit(struct outfile *o, const char *what, struct err *e);
/* Throw the temporary file away (safe after commit and on a zeroed o). */
void outfile_abort(struct outfile *o);

#endif
