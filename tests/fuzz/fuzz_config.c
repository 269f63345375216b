/* fuzz_config.c - config_load (libinih plus our checks) on any file: an
 * error names the file; nothing leaks or crashes. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app/conf.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	struct err e;
	const char *path;

	if (size > 8192)
		return 0;
	path = fuzz_file("ally.conf", data, size);
	memset(&c, 0, sizeof c);
	err_clear(&e);
	if (config_load(path, &c, &e) != ST_OK)
		FUZZ_ASSERT(strstr(e.msg, "ally.conf") != NULL, "config error without the file name: %s", e.msg);
	else
		config_templates(&c);
	config_free(&c);
	return 0;
}
