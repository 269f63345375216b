/* fuzz_money.c - money_parse and rate_parse_bp on any text; an amount that
 * parses formats to text that parses to the same amount. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const codes[] = { "EUR", "JPY", "BHD", "USD" };
	const struct currency *cur;
	char buf[MONEY_BUFSZ], rbuf[64];
	int64_t v, v2;
	int32_t bp, bp2;
	struct err e;
	char *s;

	if (size < 1 || size > 256)
		return 0;
	cur = currency_find(codes[data[0] % 4]);
	s = fuzz_str(data + 1, size - 1);
	err_clear(&e);
	if (money_parse(s, cur, (data[0] & 4) != 0, &v, "amount", &e) == ST_OK) {
		money_format(v, cur, buf);
		err_clear(&e);
		FUZZ_ASSERT(money_parse(buf, cur, true, &v2, "amount", &e) == ST_OK, "\"%s\" -> %lld -> \"%s\": %s",
		    s, (long long)v, buf, e.msg);
		FUZZ_ASSERT(v == v2, "\"%s\" -> %lld -> \"%s\" -> %lld", s, (long long)v, buf, (long long)v2);
		FUZZ_ASSERT((data[0] & 4) || v >= 0, "\"%s\": negative accepted", s);
		money_format_human(v, cur, rbuf);
	} else {
		FUZZ_ASSERT(e.msg[0] != '\0', "money_parse failed without a message");
	}
	err_clear(&e);
	if (rate_parse_bp(s, &bp, "rate", &e) == ST_OK) {
		rate_format_bp(bp, rbuf);
		err_clear(&e);
		FUZZ_ASSERT(rate_parse_bp(rbuf, &bp2, "rate", &e) == ST_OK && bp == bp2, "rate \"%s\" -> %d -> \"%s\"",
		    s, (int)bp, rbuf);
	}
	free(s);
	return 0;
}
