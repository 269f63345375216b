/*
 * check_perm.c - ally check's look at file modes (see check_perm.h).  A
 * shared install keeps the database in a directory of the ally group, mode
 * 2770, files 0660 (doc/deployment.md); anything that lets others read or
 * write it, or a shared directory without the setgid bit, is reported.
 */
#include "config.h"

#include <dirent.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/check_perm.h"
#include "core/alloc.h"
#include "core/priv.h"
#include "core/str.h"

static void
warn(FILE *out, uint64_t *n, const char *path, const char *why, mode_t mode)
{
	char *shown = str_visible(path);

	fprintf(out, "ally: check: warning: %s: %s (mode %04o)\n", shown, why, (unsigned)(mode & 07777));
	free(shown);
	(*n)++;
}

static void
check_dir(const char *dir, const struct stat *sb, FILE *out, uint64_t *n)
{
	if (sb->st_mode & S_IRWXO)
		warn(out, n, dir, "others may enter or list the database directory: chmod o= it", sb->st_mode);
	/* a shared install: ally runs setgid, or the directory is another group's */
	if ((priv_setgid() || sb->st_gid != getgid()) && !(sb->st_mode & S_ISGID))
		warn(out, n, dir, "a shared database directory should be setgid so new files keep its group: chmod g+s it",
		    sb->st_mode);
	if (priv_setgid() && sb->st_gid != getegid()) {
		struct group *g = getgrgid(getegid());
		char why[200];
		snprintf(why, sizeof why, "ally runs setgid to group %s, but the directory is another group's: chgrp it",
		    g && g->gr_name ? g->gr_name : "?");
		warn(out, n, dir, why, sb->st_mode);
	}
}

uint64_t
check_permissions(const char *dir, FILE *out)
{
	struct stat sb;
	struct dirent *d;
	uint64_t n = 0;
	DIR *dh;

	if (stat(dir, &sb) != 0)
		return 0;
	check_dir(dir, &sb, out, &n);
	if ((dh = opendir(dir)) == NULL)
		return n;
	while ((d = readdir(dh)) != NULL) {
		char *path;
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		path = xasprintf("%s/%s", dir, d->d_name);
		if (lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) && (sb.st_mode & S_IRWXO))
			warn(out, &n, path, "others may read or write this file: chmod o= it", sb.st_mode);
		free(path);
	}
	closedir(dh);
	return n;
}
