/*
 * priv.c - the environment and file opening of a setgid program (see
 * priv.h).  glibc's secure mode already drops LD_PRELOAD and friends for a
 * setgid program; this module makes ally's own variables and the paths a
 * person names follow the same rule.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/priv.h"

#if defined(__SANITIZE_ADDRESS__)
/* An ASan build (./dev check's second pass) run setgid: the process is
 * not dumpable, so LeakSanitizer can neither read ASAN_OPTIONS nor stop
 * the world at exit, and would fail every run.  Leaks are still checked
 * in every run that is not setgid. */
const char *__lsan_default_options(void);
const char *
__lsan_default_options(void)
{
	return getegid() != getgid() ? "detect_leaks=0" : "";
}
#endif

static int depth;              /* nesting of priv_drop */
static gid_t program_gid;      /* the group we run with, saved at the first drop */

bool
priv_setgid(void)
{
	if (depth > 0)
		return program_gid != getgid();
	return getegid() != getgid();
}

const char *
env_testing(const char *name)
{
	if (getuid() == 0 || !priv_setgid())
		return getenv(name);
	return secure_getenv(name);
}

void
priv_drop(void)
{
	if (depth++ > 0)
		return;
	program_gid = getegid();
	if (program_gid != getgid() && setegid(getgid()) != 0)
		abort();        /* we must never open a user's path with the group */
}

void
priv_restore(void)
{
	if (depth == 0 || --depth > 0)
		return;
	if (program_gid != getgid() && setegid(program_gid) != 0)
		abort();
}

FILE *
user_fopen(const char *path, const char *mode)
{
	FILE *f;
	int err;

	priv_drop();
	f = fopen(path, mode);
	err = errno;
	priv_restore();
	errno = err;
	return f;
}

int
user_open(const char *path, int flags, int mode)
{
	int fd, err;

	priv_drop();
	fd = open(path, flags | O_CLOEXEC, mode);
	err = errno;
	priv_restore();
	errno = err;
	return fd;
}

static mode_t
current_umask(void)
{
	mode_t m = umask(0);

	umask(m);
	return m;
}

/* "PATH.tmp.XXXXXX": beside the target, in the same file system */
static char *
temp_name(const char *path)
{
	return xasprintf("%s.tmp.XXXXXX", path);
}

static enum status
open_temp(struct outfile *o, int mode, const char *what, struct err *e)
{
	struct stat sb;
	int fd;

	if (lstat(o->path, &sb) == 0 && S_ISLNK(sb.st_mode))
		return err_set(e, ST_CANTCREAT, "%s%s: a symbolic link: not written through it",
		    what, o->path);
	if (lstat(o->path, &sb) == 0 && !S_ISREG(sb.st_mode))
		return err_set(e, ST_CANTCREAT, "%s%s: not a regular file", what, o->path);
	o->tmp = temp_name(o->path);
	fd = mkostemp(o->tmp, O_CLOEXEC);   /* O_CREAT|O_EXCL: never follows a link */
	if (fd < 0) {
		enum status st = err_set(e, errno == ENOSPC ? ST_IOERR : ST_CANTCREAT, "%s%s: %s",
		    what, o->path, strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		return st;
	}
	if (fchmod(fd, (mode_t)(mode ? mode : 0666) & ~current_umask()) != 0 ||
	    (o->f = fdopen(fd, "wb")) == NULL) {
		int err = errno;
		close(fd);
		unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
		return err_set(e, ST_CANTCREAT, "%s%s: %s", what, o->path, strerror(err));
	}
	return ST_OK;
}

enum status
outfile_open(struct outfile *o, const char *path, bool as_user, int mode, const char *what,
    struct err *e)
{
	enum status st;

	memset(o, 0, sizeof *o);
	o->path = xstrdup(path);
	o->as_user = as_user;
	if (as_user)
		priv_drop();
	st = open_temp(o, mode, what, e);
	if (as_user)
		priv_restore();
	if (st != ST_OK) {
		free(o->path);
		o->path = NULL;
	}
	return st;
}

enum status
outfile_commit(struct outfile *o, const char *what, struct err *e)
{
	enum status st = ST_OK;
	int rc = 0, err = 0;

	if (o->f == NULL)
		return err_set(e, ST_SOFTWARE, "%s%s: not open", what, o->path ? o->path : "");
	if (fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0)
		rc = -1, err = errno ? errno : EIO;
	if (fclose(o->f) != 0 && rc == 0)
		rc = -1, err = errno;
	o->f = NULL;
	if (rc == 0) {
		if (o->as_user)
			priv_drop();
		if (rename(o->tmp, o->path) != 0)
			rc = -1, err = errno;
		if (o->as_user)
			priv_restore();
	}
	if (rc != 0)
		st = err_set(e, err == ENOSPC ? ST_IOERR : ST_CANTCREAT, "%s%s: %s", what, o->path,
		    strerror(err));
	else {
		free(o->tmp);
		o->tmp = NULL;
	}
	outfile_abort(o);
	return st;
}

void
outfile_abort(struct outfile *o)
{
	if (o->f != NULL)
		fclose(o->f);
	o->f = NULL;
	if (o->tmp != NULL) {
		if (o->as_user)
			priv_drop();
		unlink(o->tmp);
		if (o->as_user)
			priv_restore();
	}
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
}
