/*
 * replay.c - runs a fuzz target's LLVMFuzzerTestOneInput over every file of
 * its corpus, built with the ordinary compiler, so make check keeps each
 * input that once found a bug (and every seed) as a regression test.
 *
 *   replay_NAME [FILE|DIR]...   (none: $top_srcdir/tests/fuzz/corpus/NAME)
 *
 * Prints TAP: one line per file.  A crash fails the whole program, which
 * the TAP driver reports.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int n;

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
one(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, got;

	if (f == NULL) {
		printf("not ok %d - %s: cannot read\n", ++n, path);
		return;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			if ((buf = realloc(buf, cap)) == NULL)
				abort();
		}
		if ((got = fread(buf + len, 1, cap - len, f)) == 0)
			break;
		len += got;
	}
	fclose(f);
	fflush(stdout);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	printf("ok %d - %s\n", ++n, strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
}

static void
walk(const char *path)
{
	struct stat sb;
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t count = 0, i;

	if (stat(path, &sb) != 0) {
		printf("not ok %d - %s: missing\n", ++n, path);
		return;
	}
	if (!S_ISDIR(sb.st_mode)) {
		one(path);
		return;
	}
	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((names = realloc(names, (count + 1) * sizeof *names)) == NULL)
			abort();
		if ((names[count] = malloc(strlen(path) + strlen(de->d_name) + 2)) == NULL)
			abort();
		sprintf(names[count++], "%s/%s", path, de->d_name);
	}
	closedir(d);
	qsort(names, count, sizeof *names, cmp);
	for (i = 0; i < count; i++) {
		one(names[i]);
		free(names[i]);
	}
	free(names);
}

int
main(int argc, char **argv)
{
	int i;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			walk(argv[i]);
	} else {
		const char *top = getenv("top_srcdir");
		const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
		char dir[4096];
		if (strncmp(name, "lt-", 3) == 0)
			name += 3;
		if (strncmp(name, "replay_", 7) == 0)
			name += 7;
		snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", top ? top : ".", name);
		walk(dir);
	}
	printf("1..%d\n", n);
	return 0;
}
