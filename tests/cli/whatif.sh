#!/bin/sh
# whatif.sh - ally whatif against the ledger it predicts: the same random
# events are ingested into a database under one rule and into fresh ones
# under the rule tried; what-if's "current" totals must equal the first's
# lines and its "proposed" ones the others', per partner, to the cent,
# after some lines were approved and a month closed in the first.  It
# writes nothing (mdb_dump -a before and after), and its bad inputs get
# the usual one-line errors.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/cli/lib.sh"

export ALLY_NOW=2026-12-31T12:00:00Z
R1="percent 10 cap 150.00"
setup() {  # setup DBDIR PROGRAM_RULE VOL_RULE
	ALLY_DB=$1 ally init --org Whatif --currency EUR >/dev/null &&
	ALLY_DB=$1 ally tier add Vol --rule "$3" >/dev/null &&
	ALLY_DB=$1 ally partner add A --email a@a.example --tier Vol >/dev/null &&
	ALLY_DB=$1 ally partner add D --email d@d.example >/dev/null &&
	ALLY_DB=$1 ally program add P --rule "$2" --window 400 --hold 0 --activate >/dev/null &&
	ALLY_DB=$1 ally program add Q --rule "flat 5.00" --window 400 --hold 0 --activate >/dev/null &&
	ALLY_DB=$1 ally code new --program P --partner A --vanity CODEA >/dev/null &&
	ALLY_DB=$1 ally code new --program P --partner D --vanity CODED >/dev/null &&
	ALLY_DB=$1 ally code new --program P --customer c@c.example --vanity CODEC >/dev/null &&
	ALLY_DB=$1 ally code new --program Q --partner D --vanity CODEQ >/dev/null
}

# 150 referrals over 2026 on four codes, most converting, some refunded.
awk 'BEGIN {
	srand(20261204);
	codes[0] = "CODEA"; codes[1] = "CODED"; codes[2] = "CODEC"; codes[3] = "CODEQ";
	base = 1767225600;      # 2026-01-01
	for (i = 1; i <= 150; i++) {
		code = codes[int(rand() * 4)];
		t = base + int(rand() * 330) * 86400 + int(rand() * 86400);
		printf "{\"type\":\"referral\",\"code\":\"%s\",\"email\":\"k%d@x.example\",\"at\":\"%s\"}\n", code, i, strftime("%Y-%m-%dT%H:%M:%SZ", t, 1);
		if (rand() < 0.85) {
			amt = 1 + int(rand() * 250000);
			tc = t + 3600 + int(rand() * 20) * 86400;
			printf "{\"type\":\"conversion\",\"code\":\"%s\",\"email\":\"k%d@x.example\",\"event\":\"purchase\",\"amount\":\"%d.%02d\",\"id\":\"O%d\",\"at\":\"%s\"}\n", code, i, amt / 100, amt % 100, i, strftime("%Y-%m-%dT%H:%M:%SZ", tc, 1);
			if (rand() < 0.2)
				printf "{\"type\":\"refund\",\"program\":\"%s\",\"id\":\"O%d\",\"amount\":\"%d.%02d\",\"at\":\"%s\"}\n", code == "CODEQ" ? "Q" : "P", i, amt / 200, amt % 100, strftime("%Y-%m-%dT%H:%M:%SZ", tc + 86400, 1);
		}
	}
}' | sed -E 's/^(.*"at":"([^"]*)".*)$/\2 \1/' | sort -s -k1,1 | cut -d' ' -f2- >"$tmp/ev.jsonl"
# (sorted by their times, stably: the events in time order)

VOL="tiered revenue month volume 0:5% 1000.00:7% 5000.00:10%"
setup "$tmp/a" "$R1" "$VOL" || { echo "Bail out! setup"; exit 1; }
ALLY_DB=$tmp/a ally ingest "$tmp/ev.jsonl" >/dev/null 2>"$tmp/ingest.err" ||
    { echo "Bail out! ingest: $(head -3 "$tmp/ingest.err")"; exit 1; }
# decided lines and a closed month: the rule's differences become adjustments
ids=$(ALLY_DB=$tmp/a ally commission list --status pending --json | sed -n 's/^{"id":"\([^"]*\)".*/\1/p' | head -25)
# shellcheck disable=SC2086
ALLY_DB=$tmp/a ally commission approve $ids >/dev/null
ALLY_DB=$tmp/a ally period close 2026-03 >/dev/null || echo "# period close failed"
export ALLY_DB=$tmp/a

# totals per partner of a database's lines in program P: "P1=123 P2=45 customers=6"
ledger_totals() {  # ledger_totals DB [PARTNER...]: only those partners
	db=$1
	shift
	ALLY_DB=$db ally commission list --program P --json | python3 -c '
import json, sys
only = sys.argv[1:]
s = {}
for l in sys.stdin:
    o = json.loads(l)
    if o["status"] in ("rejected", "reversed") or o["conversion"] is None:
        continue
    k = o["partner"] or "customers"
    if only and k not in only:
        continue
    s[k] = s.get(k, 0) + o["amount_minor"]
print(" ".join("%s=%d" % kv for kv in sorted(s.items())))' "$@"
}
# what-if's figures per partner: FIELD current_minor or proposed_minor
whatif_totals() {  # whatif_totals FIELD < json
	python3 -c '
import json, sys
o = json.load(sys.stdin)
s = {(p["name"] if p["partner"] else "customers"): p[sys.argv[1]] for p in o["partners"]}
print(" ".join("%s=%d" % kv for kv in sorted(s.items())))
tot = sum(p[sys.argv[1]] for p in o["partners"])
assert tot == o[sys.argv[1]], (tot, o[sys.argv[1]])' "$1"
}
PA=A

# ---- the program's rule: partner D and the customer change, A (its tier's rule) not ----
for R2 in "percent 12 cap 120.00" "tiered count month volume 0:5% 3:9%" "flat 7.50" \
    "when amount>=1000.00 percent 8; percent 15"; do
	snapshot
	run ally whatif --program P --rule "$R2" --json
	is_rc 0 "whatif --rule \"$R2\""
	unchanged "whatif --rule \"$R2\""
	echo "$out" >"$tmp/w.json"
	is "$(whatif_totals current_minor <"$tmp/w.json")" "$(ledger_totals "$tmp/a")" \
	    "\"$R2\": current totals are the ledger's, per partner"
	rm -rf "$tmp/b"
	setup "$tmp/b" "$R2" "$VOL" && ALLY_DB=$tmp/b ally ingest "$tmp/ev.jsonl" >/dev/null 2>&1
	is "$(whatif_totals proposed_minor <"$tmp/w.json")" "$(ledger_totals "$tmp/b")" \
	    "\"$R2\": proposed totals are the ledger's under that rule, per partner"
	like "$(ledger_totals "$tmp/a")" "$PA=" "\"$R2\": partner A has lines"
	pa_now=$(whatif_totals current_minor <"$tmp/w.json" | tr ' ' '\n' | grep "^$PA=")
	pa_new=$(whatif_totals proposed_minor <"$tmp/w.json" | tr ' ' '\n' | grep "^$PA=")
	is "$pa_new" "$pa_now" "\"$R2\": A keeps its tier's rule"
done

# ---- a tier's rule: only the tier's partners count ----
T2="tiered revenue month graduated 0:5% 2000.00:8%"
run ally whatif --program P --tier Vol --rule "$T2" --json
is_rc 0 "whatif --tier Vol"
echo "$out" >"$tmp/w.json"
is "$(whatif_totals current_minor <"$tmp/w.json")" "$(ledger_totals "$tmp/a" "$PA")" \
    "--tier: current totals are the tier's partners' lines"
rm -rf "$tmp/b"
setup "$tmp/b" "$R1" "$T2" && ALLY_DB=$tmp/b ally ingest "$tmp/ev.jsonl" >/dev/null 2>&1
is "$(whatif_totals proposed_minor <"$tmp/w.json")" "$(ledger_totals "$tmp/b" "$PA")" \
    "--tier: proposed totals are the ledger's with the tier's rule changed"

# ---- a range: only its conversions, a --to day included whole ----
run ally whatif --program P --rule "flat 1.00" --from 2026-05-01 --to 2026-05-31 --json
is_rc 0 "whatif with a range"
n_may=$(grep -c '"type":"conversion","code":"CODE[ADC]".*"at":"2026-05-' "$tmp/ev.jsonl")
like "$out" "\"conversions\":$n_may," "the range counts May's $n_may conversions of P"

# ---- the table ----
run ally whatif --program P --rule "percent 12 cap 120.00"
is_rc 0 "whatif as a table"
like "$out" "^PARTNER +NAME +CURRENT +CURRENCY +PROPOSED +DIFFERENCE +CONVERSIONS" "the table's header"
like "$out" "Total" "a total row"
like "$out" "conversions replayed under the rule; nothing was written\\." "the table says nothing was written"
like "$out" "[0-9]+ of them are of partners whose tier has a rule of its own, which stays" \
    "the table says whose tier's rule stays"
run ally whatif --program P --rule "percent 12 cap 120.00" --json
n_a=$(ALLY_DB=$tmp/a ally commission list --program P --json | grep '"kind":"commission"' | grep -c '"partner":"A"')
like "$out" "\"tier_kept\":$n_a," "JSON: tier_kept counts partner A's $n_a conversions"
run ally whatif --program P --rule "percent 12 cap 120.00" --csv
like "$out" "^partner,name,current,currency,proposed,difference,conversions" "CSV header"
like "$out" ",total," "CSV total row"

# ---- bad input: one line, the database unchanged ----
bad 65 'ally: whatif: rule: word 1 "percnt": expected flat, percent, tiered or when' "a misspelt rule" -- \
    ally whatif --program P --rule "percnt 10"
bad 66 'ally: whatif: program "Nope" not found' "an unknown program" -- \
    ally whatif --program Nope --rule "percent 10"
bad 66 'ally: whatif: tier "Gold" not found' "an unknown tier" -- \
    ally whatif --program P --tier Gold --rule "percent 10"
bad 64 'ally: whatif: --rule is required (see ally whatif --help)' "no rule" -- \
    ally whatif --program P
bad 65 'ally: whatif: from: "May" is not a valid date (want YYYY-MM-DD or RFC 3339)' "a bad date" -- \
    ally whatif --program P --rule "percent 10" --from May
bad 64 'ally: whatif: to: 2026-01-01 is before --from 2026-02-01' "a range backwards" -- \
    ally whatif --program P --rule "percent 10" --from 2026-02-01 --to 2026-01-01
ally user add sam --role support >/dev/null 2>&1
ALLY_USER=sam bad 77 "$(ALLY_USER=sam ally whatif --program P --rule 'percent 10' 2>&1)" \
    "support may not" -- env ALLY_USER=sam "$ALLY" whatif --program P --rule "percent 10"
like "$err" "create or change programs" "support is told what it lacks"

done_testing
