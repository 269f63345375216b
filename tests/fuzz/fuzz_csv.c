/* fuzz_csv.c - CSV import (libcsv plus the row checks) of partners,
 * referrals or deals into a database: the first byte picks which. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const what[] = { "partners", "referrals", "deals" };
	struct ingest_stats stats;
	struct app *a = fuzz_app();
	struct err e;
	const char *path;

	if (size < 1 || size > 16384)
		return 0;
	path = fuzz_file("in.csv", data + 1, size - 1);
	err_clear(&e);
	if (app_import(a, what[data[0] % 3], path, NULL, &stats, &e) != ST_OK)
		FUZZ_ASSERT(e.msg[0] != '\0', "import failed without a message");
	return 0;
}
