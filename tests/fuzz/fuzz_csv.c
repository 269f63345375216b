/* fuzz_csv.c - CSV import (libcsv plus the row checks) of partners,
 * referrals or deals into a database: the first byte picks which.  The
 * same bytes as one field also check the export side: csv_add_field's
 * quoting and formula guard, read back by libcsv's rules and
 * csv_unguard(), give the text exactly. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/csv.h"
#include "core/str.h"
#include "fuzz.h"

/* The field as a CSV reader sees it: outer quotes off, "" as ". */
static char *
read_back(const char *w)
{
	size_t n = strlen(w), i;
	struct sbuf b;

	if (n < 2 || w[0] != '"')
		return strdup(w);
	sbuf_init(&b);
	for (i = 1; i + 1 < n; i++) {
		sbuf_addc(&b, w[i]);
		if (w[i] == '"')
			i++;
	}
	return sbuf_take(&b);
}

static void
guard_round_trip(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), *got;
	struct sbuf b;

	sbuf_init(&b);
	csv_add_field(&b, s, 1);
	got = read_back(sbuf_str(&b));
	csv_unguard(got);
	FUZZ_ASSERT(strcmp(got, s) == 0, "csv field does not read back: \"%s\"", sbuf_str(&b));
	free(got);
	sbuf_free(&b);
	free(s);
}

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
	guard_round_trip(data, size);
	path = fuzz_file("in.csv", data + 1, size - 1);
	err_clear(&e);
	if (app_import(a, what[data[0] % 3], path, NULL, NULL, &stats, &e) != ST_OK)
		FUZZ_ASSERT(e.msg[0] != '\0', "import failed without a message");
	return 0;
}
