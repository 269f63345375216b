#!/usr/bin/env bash
# gen-events.sh DB N - print N JSON Lines events (referrals, ~1 in 5
# followed by a conversion) for the codes of an existing database, times
# spread over the 200 days before ALLY_NOW.
set -euo pipefail
db=$1 n=$2
ally=${ALLY:-$(dirname "$0")/../_build/src/ally}
"$ally" --db "$db" code list --csv | awk -F, 'NR>1 && $5=="active"{print $2 "," $3}' >"${TMPDIR:-/tmp}/codes.$$"
awk -F, -v n="$n" -v now="${NOW_EPOCH:-1790000000}" '
	{ code[NR] = $1; prog[NR] = $2 }
	END {
		srand(7);
		for (i = 1; i <= n; i++) {
			c = 1 + int(rand() * NR);
			t = now - 86400 * 200 + int(rand() * 86400 * 190);
			printf "{\"type\":\"referral\",\"code\":\"%s\",\"email\":\"b%d@bench.example\",\"name\":\"Bench %d\",\"at\":\"%s\"}\n", code[c], i, i, strftime("%Y-%m-%dT%H:%M:%SZ", t, 1);
			if (i % 5 == 0)
				printf "{\"type\":\"conversion\",\"code\":\"%s\",\"email\":\"b%d@bench.example\",\"event\":\"purchase\",\"amount\":\"%d.%02d\",\"id\":\"B-%d\",\"at\":\"%s\"}\n", code[c], i, 10 + i % 900, i % 100, i, strftime("%Y-%m-%dT%H:%M:%SZ", t + 3600, 1);
		}
	}' "${TMPDIR:-/tmp}/codes.$$"
rm -f "${TMPDIR:-/tmp}/codes.$$"
