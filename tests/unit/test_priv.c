/*
 * test_priv.c - core/priv.c outside a setgid install: testing variables
 * come through, dropping the group nests and changes nothing, and output
 * files are made beside the target, honour the umask, replace the target
 * whole, leave nothing behind when abandoned and refuse links and
 * directories.
 */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/priv.h"

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/ally-priv.XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[sizeof dir + sizeof de->d_name + 2];

	(void)state;
	while (d && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (remove(path) != 0)
			return -1;
	}
	if (d)
		closedir(d);
	return rmdir(dir);
}

/* Entries in dir besides . and .. */
static int
entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while ((de = readdir(d)) != NULL)
		n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(d);
	return n;
}

static void
test_env_and_drop(void **state)
{
	gid_t g = getegid();

	(void)state;
	assert_false(priv_setgid());
	setenv("ALLY_PRIV_TEST", "42", 1);
	assert_string_equal(env_testing("ALLY_PRIV_TEST"), "42");
	unsetenv("ALLY_PRIV_TEST");
	assert_null(env_testing("ALLY_PRIV_TEST"));
	priv_drop();
	priv_drop();
	assert_int_equal(getegid(), getgid());
	priv_restore();
	priv_restore();
	priv_restore();         /* one too many is harmless */
	assert_int_equal(getegid(), g);
}

static void
write_out(const char *path, const char *text, int mode, enum status want)
{
	struct outfile o;
	struct err e;

	err_clear(&e);
	assert_int_equal(outfile_open(&o, path, true, mode, "out: ", &e), ST_OK);
	fputs(text, o.f);
	assert_int_equal(outfile_commit(&o, "out: ", &e), want);
}

static void
test_outfile_umask_and_replace(void **state)
{
	char path[128], buf[32];
	struct stat sb;
	mode_t old;
	FILE *f;

	(void)state;
	snprintf(path, sizeof path, "%s/a.csv", dir);
	old = umask(022);
	write_out(path, "one\n", 0, ST_OK);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0644);
	umask(077);
	write_out(path, "two\n", 0, ST_OK);
	umask(027);
	write_out(path, "three\n", 0660, ST_OK);
	umask(old);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0640);
	f = fopen(path, "r");
	assert_non_null(fgets(buf, sizeof buf, f));
	fclose(f);
	assert_string_equal(buf, "three\n");
	assert_int_equal(entries(), 1);         /* no temporary file left */
}

static void
test_outfile_abort_leaves_nothing(void **state)
{
	struct outfile o;
	struct err e;
	char path[128];

	(void)state;
	snprintf(path, sizeof path, "%s/b.csv", dir);
	err_clear(&e);
	assert_int_equal(outfile_open(&o, path, false, 0, "out: ", &e), ST_OK);
	fputs("half", o.f);
	assert_int_equal(entries(), 1);         /* the temporary file, beside the target */
	outfile_abort(&o);
	assert_int_equal(entries(), 0);
	outfile_abort(&o);                      /* twice is harmless */
}

static void
test_outfile_refuses_links_and_dirs(void **state)
{
	struct outfile o;
	struct err e;
	char path[128], target[128], want[300];

	(void)state;
	snprintf(target, sizeof target, "%s/victim", dir);
	snprintf(path, sizeof path, "%s/link.csv", dir);
	assert_int_equal(symlink(target, path), 0);     /* dangling: still refused */
	err_clear(&e);
	assert_int_equal(outfile_open(&o, path, true, 0, "out: ", &e), ST_CANTCREAT);
	snprintf(want, sizeof want, "out: %s: a symbolic link: not written through it", path);
	assert_string_equal(e.msg, want);
	assert_int_equal(access(target, F_OK), -1);
	assert_int_equal(outfile_open(&o, dir, true, 0, "out: ", &e), ST_CANTCREAT);
	snprintf(want, sizeof want, "out: %s: not a regular file", dir);
	assert_string_equal(e.msg, want);
	snprintf(path, sizeof path, "%s/missing/x.csv", dir);
	assert_int_equal(outfile_open(&o, path, true, 0, "out: ", &e), ST_CANTCREAT);
	snprintf(want, sizeof want, "out: %s: No such file or directory", path);
	assert_string_equal(e.msg, want);
	assert_int_equal(entries(), 1);         /* only the link */
}

static void
test_user_fopen(void **state)
{
	char path[128];
	gid_t g = getegid();
	FILE *f;

	(void)state;
	snprintf(path, sizeof path, "%s/none", dir);
	assert_null(user_fopen(path, "r"));
	f = user_fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(getegid(), g);         /* the group is back after the open */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_env_and_drop),
		cmocka_unit_test_setup_teardown(test_outfile_umask_and_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outfile_abort_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outfile_refuses_links_and_dirs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_fopen, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
