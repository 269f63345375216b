#!/bin/sh
# replay.sh - the ledger as a function of the events: random sequences of
# referrals, conversions and refunds under tiered rules, ingested into two
# fresh databases, give byte-identical ledgers; no unpaid period ever sums
# below zero; the engine's period totals hold after refunds.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/cli/lib.sh"

export ALLY_NOW=2026-12-31T12:00:00Z
setup() {  # setup DBDIR
	ALLY_DB=$1 ally init --org Replay --currency EUR >/dev/null &&
	ALLY_DB=$1 ally tier add Vol --rule "tiered revenue month volume 0:5% 1000.00:7% 5000.00:10%" >/dev/null &&
	ALLY_DB=$1 ally tier add Grad --rule "tiered count quarter graduated 0:4% 5:6% 12:9%" >/dev/null &&
	ALLY_DB=$1 ally partner add A --email a@a.example --tier Vol >/dev/null &&
	ALLY_DB=$1 ally partner add B --email b@b.example --tier Grad >/dev/null &&
	ALLY_DB=$1 ally program add P --rule "percent 10 cap 150.00" --window 400 --hold 0 --activate >/dev/null &&
	ALLY_DB=$1 ally code new --program P --partner A --vanity CODEA >/dev/null &&
	ALLY_DB=$1 ally code new --program P --partner B --vanity CODEB >/dev/null &&
	ALLY_DB=$1 ally code new --program P --customer c@c.example --vanity CODEC >/dev/null
}

# Events for seed S: 120 referrals over 2026, most converting, some
# refunded in part or in full, in a shuffled but valid order per contact.
gen() {
	awk -v seed="$1" 'BEGIN {
		srand(seed);
		codes[0] = "CODEA"; codes[1] = "CODEB"; codes[2] = "CODEC";
		base = 1767225600;      # 2026-01-01
		for (i = 1; i <= 120; i++) {
			code = codes[int(rand() * 3)];
			t = base + int(rand() * 330) * 86400 + int(rand() * 86400);
			printf "{\"type\":\"referral\",\"code\":\"%s\",\"email\":\"k%d@x.example\",\"at\":\"%s\"}\n", code, i, strftime("%Y-%m-%dT%H:%M:%SZ", t, 1);
			if (rand() < 0.85) {
				amt = 1 + int(rand() * 250000);
				tc = t + 3600 + int(rand() * 20) * 86400;
				printf "{\"type\":\"conversion\",\"code\":\"%s\",\"email\":\"k%d@x.example\",\"event\":\"purchase\",\"amount\":\"%d.%02d\",\"id\":\"O%d\",\"at\":\"%s\"}\n", code, i, amt / 100, amt % 100, i, strftime("%Y-%m-%dT%H:%M:%SZ", tc, 1);
				r = rand();
				if (r < 0.15)
					printf "{\"type\":\"refund\",\"program\":\"P\",\"id\":\"O%d\",\"amount\":\"%d.%02d\",\"at\":\"%s\"}\n", i, amt / 100, amt % 100, strftime("%Y-%m-%dT%H:%M:%SZ", tc + 86400, 1);
				else if (r < 0.30 && amt > 2)
					printf "{\"type\":\"refund\",\"program\":\"P\",\"id\":\"O%d\",\"amount\":\"%d.%02d\",\"at\":\"%s\"}\n", i, int(amt / 2) / 100, int(amt / 2) % 100, strftime("%Y-%m-%dT%H:%M:%SZ", tc + 86400, 1);
			}
		}
	}'
}

for seed in 1 2 3 4 5 6 7 8; do
	gen $seed >"$tmp/ev$seed.jsonl"
	rm -rf "$tmp/x" "$tmp/y"
	setup "$tmp/x" && setup "$tmp/y" || { not_ok "seed $seed: set-up"; continue; }
	ALLY_DB=$tmp/x ally ingest "$tmp/ev$seed.jsonl" 2>"$tmp/err.x"
	is "$?" 0 "seed $seed: every event accepted"
	ALLY_DB=$tmp/y ally ingest "$tmp/ev$seed.jsonl" 2>/dev/null
	ALLY_DB=$tmp/x ally commission list --json >"$tmp/lx"
	ALLY_DB=$tmp/y ally commission list --json >"$tmp/ly"
	if cmp -s "$tmp/lx" "$tmp/ly" && [ -s "$tmp/lx" ]; then
		ok "seed $seed: replaying the events gives the same ledger ($(wc -l <"$tmp/lx") lines)"
	else
		not_ok "seed $seed: replaying the events gives the same ledger"
	fi
	# Replaying into the same database changes nothing at all.
	before=$(mdb_dump -a "$tmp/x" | sha256sum)
	ALLY_DB=$tmp/x ally ingest "$tmp/ev$seed.jsonl" 2>/dev/null
	is "$(mdb_dump -a "$tmp/x" | sha256sum)" "$before" "seed $seed: the same events again change nothing"
	# No unpaid period (payee x month) sums below zero, and no line is
	# negative while nothing was paid.
	neg=$(awk -F'"amount_minor":' 'NF > 1 { split($2, a, ","); if (a[1] + 0 < 0) n++ } END { print n + 0 }' "$tmp/lx")
	is "$neg" 0 "seed $seed: no negative line in an unpaid ledger"
	ALLY_DB=$tmp/x ally check >/dev/null
	is "$?" 0 "seed $seed: ally check is clean"
done
done_testing
