#!/bin/sh
# overflow.sh - money at the edges of int64 minor units: totals that
# would not fit are refused with one line and nothing written (track,
# ingest), sums that cannot be shown are errors (statement, payout,
# report), and `ally check` names stored amounts and totals that ally
# could not have computed (a copy edited by tests/tools/corrupt).
#
# The arithmetic, by hand (INT64_MAX = 9,223,372,036,854,775,807):
#  - 10^15 EUR is 10^17 minor units; 92 of them are 9.2e18 (fits), 93
#    are 9.3e18 (does not).
#  - "tiered revenue month volume 0:5% 10000.00:7%" on 92 x 10^17: the
#    period is past 10,000.00, so all of it earns 7%:
#    9.2e18 x 700 / 10000 = 644,000,000,000,000,000 minor units; the
#    first line is 10^17 x 5% = 5e15 until the period passes 10,000.00,
#    then it is pending and recalculated: every line is 7e15.
#  - "percent 1000" on 10^15 KWD (10^18 minor units): 10^19, too large;
#    on 9 x 10^14 KWD: 9 x 10^18, fits.
#  - "percent 1000" on 10^15 EUR: 10^18 minor units a line, ten lines are
#    10^19: no statement, payout or report can add them up.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"

CORRUPT=${CORRUPT:-$(dirname "$ALLY")/../tests/tools/corrupt}
[ -x "$CORRUPT" ] || { echo "Bail out! $CORRUPT is missing (make check builds it)"; exit 1; }

# lines_sum PROGRAM: count and sum (minor units) of the lines that count.
lines_sum() {
	ally commission list --program "$1" --json | python3 -c 'import json,sys
L = [json.loads(l) for l in sys.stdin]
L = [x for x in L if x["status"] not in ("rejected", "reversed")]
print(len(L), sum(x["amount_minor"] for x in L))'
}

export ALLY_NOW=2026-10-20T12:00:00Z
ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally program add Big --rule "tiered revenue month volume 0:5% 10000.00:7%" --events purchase \
    --window 365 --hold 0 --activate >/dev/null
ally partner add Acme --email ann@acme.example >/dev/null
ally code new --program Big --partner Acme --vanity ACME >/dev/null
ally track referral --code ACME --email buyer@example.com --at 2026-10-01 >/dev/null

# ---- 92 maximal conversions fit, the 93rd is refused ----

i=1
while [ $i -le 92 ]; do
	printf '{"type":"conversion","code":"ACME","email":"buyer@example.com","event":"purchase","amount":"1000000000000000","id":"O%d","at":"2026-10-02T%02d:%02d:00Z"}\n' \
	    $i $((i / 60)) $((i % 60))
	i=$((i + 1))
done >"$tmp/92.jsonl"
run ally ingest "$tmp/92.jsonl"
is_rc 0 "92 conversions of 10^15 EUR"
is "$(lines_sum Big)" "92 644000000000000000" "92 lines adding up to 9.2e18 x 7%"
run ally commission list --program Big --json
unlike "$out" '"amount_minor":-' "no line is negative"
is "$(printf '%s\n' "$out" | grep -F '"conversion":"O1",' | sed -n 's/.*"amount_minor":\([0-9-]*\).*/\1/p')" \
    7000000000000000 "O1: 5e15 at first, recalculated to 7% (7e15) once the period passed 10,000.00"
bad 65 'ally: track conversion: amount: the total for Acme in Big would exceed the largest amount ally can hold' \
    "the 93rd maximal conversion" -- \
    ally track conversion --code ACME --email buyer@example.com --event purchase \
    --amount 1000000000000000 --id O93 --at 2026-10-03
last=$(ally commission list --program Big --json | grep -F '"conversion":"O92",' | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
run ally commission explain "$last"
like "$out" 'volume: the period total 92,000,000,000,000,000\.00 reaches bracket 10,000\.00\+ at 7%' \
    "explain: the period total is positive and exact"
unlike "$out" ' -[0-9]' "explain shows no negative number"

# ingest: the overflowing line is invalid, the lines around it are written
cat >"$tmp/mixed.jsonl" <<'JSONL'
{"type":"referral","code":"ACME","email":"before@example.com","at":"2026-10-05T10:00:00Z"}
{"type":"conversion","code":"ACME","email":"buyer@example.com","event":"purchase","amount":"1000000000000000","id":"O94","at":"2026-10-05T11:00:00Z"}
{"type":"referral","code":"ACME","email":"after@example.com","at":"2026-10-05T12:00:00Z"}
JSONL
run ally ingest "$tmp/mixed.jsonl"
is_rc 65 "ingest with one overflowing line"
like "$err" "^ally: $tmp/mixed.jsonl:2: amount: the total for Acme in Big would exceed the largest amount ally can hold" \
    "ingest names the line and why"
run ally referral list --csv
like "$out" 'before@example\.com' "the line before it is written"
like "$out" 'after@example\.com' "the line after it is written"
is "$(lines_sum Big)" "92 644000000000000000" "the ledger is as it was"
run ally check
is "$out" "ok: no problems found" "check: the edge database is sound"

# ---- one commission too large: 1000% of 10^15 KWD ----

ally program add Kw --rule "percent 1000" --currency KWD --events purchase --window 365 --hold 0 \
    --activate >/dev/null
ally code new --program Kw --partner Acme --vanity ACME-KW >/dev/null
ally track referral --code ACME-KW --email kw@example.com --at 2026-10-01 >/dev/null
bad 65 "ally: track conversion: amount: the period's commission for Acme in Kw would exceed the largest amount ally can hold" \
    "a commission of 10^19 minor units" -- \
    ally track conversion --code ACME-KW --email kw@example.com --event purchase \
    --amount 1000000000000000 --id K1 --at 2026-10-03
run ally track conversion --code ACME-KW --email kw@example.com --event purchase \
    --amount 900000000000000 --id K2 --at 2026-10-03
is_rc 0 "1000% of 9 x 10^14 KWD fits"
is "$(lines_sum Kw)" "1 9000000000000000000" "its line: 9e18 minor units, exactly"

# ---- sums that cannot be shown: ten lines of 10^18 ----

ally program add Ten --rule "percent 1000" --events purchase --window 365 --hold 0 --activate >/dev/null
ally partner add Tenko --email t@tenko.example >/dev/null
ally code new --program Ten --partner Tenko --vanity TENKO >/dev/null
ally track referral --code TENKO --email t@example.com --at 2026-10-01 >/dev/null
for d in 01 02 03 04 05 06 07 08 09 10; do
	ally track conversion --code TENKO --email t@example.com --event purchase \
	    --amount 1000000000000000 --id T$d --at 2026-10-$d >/dev/null || echo "# T$d failed"
done
is "$(lines_sum Ten | cut -d' ' -f1)" 10 "ten lines of 10^18 each (each fits)"
ids=$(ally commission list --program Ten --json | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
ally commission approve $ids >/dev/null
bad 65 'ally: statement: amount: the statement'"'"'s amount approved in the month in EUR would exceed the largest amount ally can hold' \
    "a statement whose total cannot be held" -- ally statement Tenko --month 2026-10
bad 65 'ally: payout preview: amount: the payout total for R2 in EUR would exceed the largest amount ally can hold' \
    "a payout whose total cannot be held" -- ally payout preview --cutoff 2026-10-19 --partner Tenko
bad 65 'ally: report: amount: the approved commission in EUR would exceed the largest amount ally can hold' \
    "a report whose sum cannot be held" -- ally report --program Ten

# ---- ally check on hand-made bad copies ----

cp -r "$tmp/db" "$tmp/good"    # no ally process is running: a plain copy is whole
copy() {  # copy NAME: a fresh copy of the sound database in $tmp/NAME
	rm -rf "$tmp/$1"
	cp -r "$tmp/good" "$tmp/$1"
}
big1=$(ally commission list --program Big --json | grep -F '"conversion":"O1",' | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
big2=$(ally commission list --program Big --json | grep -F '"conversion":"O2",' | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
kw=$(ally commission list --program Kw --json | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')

copy wrapped
"$CORRUPT" "$tmp/wrapped" commission "$big1" amount 9223372036854775807 &&
    "$CORRUPT" "$tmp/wrapped" commission "$big2" amount 9223372036854775807 ||
    echo "# corrupt failed"
run ally --db "$tmp/wrapped" check
is_rc 65 "check: a period whose lines overflow"
like "$out" "commission lines of R1 in PG1 \\(EUR\\) add up to more than ally can hold" \
    "check names the overflowed period total"
like "$out" "rollup C: the records' counter would exceed the largest amount ally can hold" \
    "check: the analytics counter of those lines cannot be added up either"

copy negative
"$CORRUPT" "$tmp/negative" commission "$kw" amount -5 || echo "# corrupt failed"
run ally --db "$tmp/negative" check
is_rc 65 "check: a negative commission line"
like "$out" "commission $kw: amount -5 cannot come from its rule \"percent 1000\" on a basis of 900000000000000000 \\(minor units\\)" \
    "check names the line, its rule and basis"
copy toolarge
"$CORRUPT" "$tmp/toolarge" commission "$kw" amount 9000000000000000001 || echo "# corrupt failed"
run ally --db "$tmp/toolarge" check
like "$out" "commission $kw: amount 9000000000000000001 cannot come from its rule" \
    "check: a line one unit above what 1000% of its basis pays"

copy crossed
"$CORRUPT" "$tmp/crossed" commission "$kw" currency EUR || echo "# corrupt failed"
run ally --db "$tmp/crossed" check
is_rc 65 "check: a line in another currency than its program"
like "$out" "commission $kw: in EUR, but its program PG2 is in KWD" "check names both currencies"

# a batch whose total is not its lines'
ally program add Small --rule "flat 5.00" --events purchase --window 365 --hold 0 --activate >/dev/null
ally code new --program Small --partner Acme --vanity ACME-S >/dev/null
ally track referral --code ACME-S --email s@example.com --at 2026-10-01 >/dev/null
ally track conversion --code ACME-S --email s@example.com --event purchase --amount 1 --id S1 \
    --at 2026-10-02 >/dev/null
s1=$(ally commission list --program Small --json | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
ally commission approve "$s1" >/dev/null
sum=$(ally payout preview --cutoff 2026-10-19 --partner Acme | sed -n 's/^checksum: //p')
ally payout run --cutoff 2026-10-19 --partner Acme --confirm "$sum" --output "$tmp/pb.csv" >/dev/null ||
    echo "# payout run failed"
pb=$(ally payout list --json | sed -n 's/^{"id":"\([^"]*\)".*/\1/p' | tail -1)
run ally check
is "$out" "ok: no problems found" "check: the batch is sound"
rm -rf "$tmp/batch"
cp -r "$tmp/db" "$tmp/batch"
"$CORRUPT" "$tmp/batch" payout "$pb" total 499 || echo "# corrupt failed"
run ally --db "$tmp/batch" check
is_rc 65 "check: a batch total that is not its lines'"
like "$out" "payout $pb: total 499 in 1 lines, but its lines add up to 500 in 1 \\(minor units\\)" \
    "check names the batch and both totals"
"$CORRUPT" "$tmp/batch" commission "$s1" currency JPY || echo "# corrupt failed"
run ally --db "$tmp/batch" check
like "$out" "commission $s1: in JPY, but its payout batch $pb pays EUR" "check: a line in another currency than its batch"

done_testing
