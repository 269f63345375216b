/* fuzz_rule.c - rule_parse on any text; a rule that parses must format to
 * text that parses to the same rule (the canonical form is a fixed point). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "domain/rule.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const codes[] = { "EUR", "JPY", "BHD" };
	const struct currency *cur;
	struct rule r, r2;
	struct sbuf a, b;
	struct err e;
	char *s;

	if (size < 1 || size > 4096)
		return 0;
	cur = currency_find(codes[data[0] % 3]);
	s = fuzz_str(data + 1, size - 1);
	memset(&r, 0, sizeof r);
	err_clear(&e);
	if (rule_parse(s, cur, &r, &e) == ST_OK) {
		sbuf_init(&a);
		sbuf_init(&b);
		rule_format(&r, cur, &a);
		sbuf_add(&a, "");
		memset(&r2, 0, sizeof r2);
		err_clear(&e);
		FUZZ_ASSERT(rule_parse(a.s, cur, &r2, &e) == ST_OK, "\"%s\" formats as \"%s\", which does not parse: %s",
		    s, a.s, e.msg);
		rule_format(&r2, cur, &b);
		sbuf_add(&b, "");
		FUZZ_ASSERT(strcmp(a.s, b.s) == 0, "\"%s\" -> \"%s\" -> \"%s\"", s, a.s, b.s);
		sbuf_free(&a);
		sbuf_free(&b);
	} else {
		FUZZ_ASSERT(e.st != ST_OK && e.msg[0] != '\0', "rule_parse failed without a message");
	}
	free(s);
	return 0;
}
