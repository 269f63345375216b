/* fuzz_ingest.c - JSON Lines through ally ingest's reader, parser and
 * app_track_in into a database. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ingest_stats stats;
	struct app *a = fuzz_app();
	struct err e;
	FILE *f;

	if (size < 1 || size > 16384)
		return 0;
	f = fmemopen((void *)data, size, "r");
	if (f == NULL)
		return 0;
	err_clear(&e);
	if (app_ingest(a, f, "fuzz", NULL, NULL, &stats, &e) != ST_OK)
		FUZZ_ASSERT(e.msg[0] != '\0', "ingest failed without a message");
	FUZZ_ASSERT(stats.recorded + stats.duplicates + stats.invalid <= stats.lines,
	    "%llu lines but %llu recorded, %llu duplicates, %llu invalid", (unsigned long long)stats.lines,
	    (unsigned long long)stats.recorded, (unsigned long long)stats.duplicates,
	    (unsigned long long)stats.invalid);
	fclose(f);
	return 0;
}
