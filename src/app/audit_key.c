/*
 * audit_key.c - the audit chain's key: 32 random bytes, stored as 64 hex
 * digits in a file only the database's group can read (DIR/audit.key, or
 * [audit] key in the system ally.conf).  The key is ally's own file, so it
 * is opened with the program's group, never with a path a person chose.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "app/audit.h"
#include "app/conf.h"
#include "core/alloc.h"

char *
audit_key_path(const char *db, struct err *e)
{
	char *path = NULL;

	if (config_system_audit_key(&path, e) != ST_OK)
		return NULL;
	return path ? path : xasprintf("%s/audit.key", db);
}

enum status
audit_key_read(const char *path, unsigned char key[AUDIT_KEY_BYTES], struct err *e)
{
	char buf[AUDIT_KEY_BYTES * 2 + 2];
	struct stat sb;
	size_t bin = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, errno == ENOENT ? ST_NOINPUT : ST_CONFIG, "audit key %s: %s", path,
		    strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return err_set(e, ST_CONFIG, "audit key %s: not a regular file", path);
	}
	if (sb.st_mode & S_IRWXO) {
		close(fd);
		return err_set(e, ST_CONFIG, "audit key %s: others may read or write it (mode %04o): chmod o= it",
		    path, (unsigned)(sb.st_mode & 07777));
	}
	n = read(fd, buf, sizeof buf);
	close(fd);
	if (n >= (ssize_t)sizeof buf - 1 && buf[AUDIT_KEY_BYTES * 2] == '\n')
		n--;
	if (n != AUDIT_KEY_BYTES * 2 ||
	    sodium_hex2bin(key, AUDIT_KEY_BYTES, buf, (size_t)n, NULL, &bin, NULL) != 0 ||
	    bin != AUDIT_KEY_BYTES)
		return err_set(e, ST_CONFIG, "audit key %s: not 64 hex digits", path);
	return ST_OK;
}

enum status
audit_key_create(const char *path, struct err *e)
{
	unsigned char key[AUDIT_KEY_BYTES];
	char hex[AUDIT_KEY_BYTES * 2 + 2];
	size_t len;
	int fd, err = 0;

	if (sodium_init() < 0)
		return err_set(e, ST_SOFTWARE, "libsodium: cannot start");
	/* group-readable only: 0640 whatever the umask asks */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return err_set(e, errno == EEXIST ? ST_EXISTS : ST_CANTCREAT, "audit key %s: %s", path,
		    strerror(errno));
	randombytes_buf(key, sizeof key);
	sodium_bin2hex(hex, sizeof hex, key, sizeof key);
	sodium_memzero(key, sizeof key);
	len = strlen(hex);
	hex[len++] = '\n';
	if (fchmod(fd, 0640) != 0 || write(fd, hex, len) != (ssize_t)len || fsync(fd) != 0)
		err = errno ? errno : EIO;
	sodium_memzero(hex, sizeof hex);
	if (close(fd) != 0 && err == 0)
		err = errno;
	if (err != 0) {
		unlink(path);
		return err_set(e, err == ENOSPC ? ST_IOERR : ST_CANTCREAT, "audit key %s: %s", path,
		    strerror(err));
	}
	return ST_OK;
}
