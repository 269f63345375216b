#!/bin/sh
# ledger.sh - the commission ledger from the command line: percent, flat
# and tier rules, graduated and volume tiers (recalculation, adjustments,
# period reset), refunds, holds, approval and rejection, racing approvals,
# permissions and the audit log (verify, tampering).
#
# Now is 2026-10-15T12:00:00Z (lib.sh sets ALLY_NOW).  Amounts are
# checked to the cent through `commission list --json`.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"

# jf KEY: a field of the JSON object on stdin ("-" for null).
jf() {
	sed -nE "s/.*\"$1\":(\"[^\"]*\"|[^,}]*).*/\1/p" | sed 's/^"//; s/"$//; s/^null$/-/'
}

# line ID: "status kind amount amount_minor currency partner program
# conversion" of a commission line, from `commission list --json`.
line() {
	ally commission list --json | grep -F "{\"id\":\"$1\"," >"$tmp/line"
	for k in status kind amount amount_minor currency partner program conversion; do
		jf $k <"$tmp/line"
	done | tr '\n' ' ' | sed 's/ $//'
}

# field ID FIELD: one field of a line in `commission list --json`.
field() {
	ally commission list --json | grep -F "{\"id\":\"$1\"," | jf "$2"
}

# cid CONVERSION [KIND]: the id of a conversion's commission line (or of
# its adjustments, oldest first, for KIND adjustment).
cid() {
	ally commission list --json | grep -F "\"kind\":\"${2:-commission}\"" |
	    grep -F "\"conversion\":\"$1\"," | jf id | sort -k1.2n | tr '\n' ' ' | sed 's/ $//'
}

# total PROGRAM: the sum of the lines that count (not rejected or
# reversed) of a program, in minor units.
total() {
	ally commission list --program "$1" --json | grep -Ev '"status":"(rejected|reversed)"' |
	    jf amount_minor | awk '{ s += $1 } END { print s + 0 }'
}

# buy CODE AMOUNT ID AT: a purchase by the contact CODE referred.
buy() {
	ally track conversion --code "$1" --email "buyer-$1@example.com" --event purchase \
	    --amount "$2" --id "$3" --at "$4" >/dev/null
}

ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally tier add Gold --rule "percent 20" >/dev/null
ally partner add Acme --email ann@acme.example --tier Gold >/dev/null
ally partner add Beta --email bob@beta.example >/dev/null
ally program add Spring --rule "percent 10" --events purchase --window 365 --hold 30 --activate >/dev/null
ally program add Flat --rule "flat 25.00" --events purchase --window 365 --activate >/dev/null
ally program add Grad --rule "tiered revenue month graduated 0:5% 10000.00:7% 25000.00:10%" \
    --events purchase --window 365 --activate >/dev/null
ally program add Vol --rule "tiered revenue month volume 0:5% 10000.00:7% 25000.00:10%" \
    --events purchase --window 365 --hold 10 --activate >/dev/null
ally code new --program Spring --partner Acme --vanity ACME >/dev/null
ally code new --program Spring --partner Beta --vanity BETA >/dev/null
ally code new --program Spring --customer cara@example.com --name Cara --vanity CARA >/dev/null
ally code new --program Flat --partner Beta --vanity BFLAT >/dev/null
ally code new --program Grad --partner Beta --vanity BGRAD >/dev/null
ally code new --program Vol --partner Beta --vanity BVOL >/dev/null
for c in ACME BETA CARA BFLAT BGRAD BVOL; do
	ally track referral --code $c --email buyer-$c@example.com --at 2026-07-01 >/dev/null ||
	    { echo "Bail out! referral on $c failed"; exit 1; }
done

# ---- percent and flat; the tier rule overrides the program's ----

buy ACME 100.55 OA1 2026-09-02
buy BETA 100.55 OB1 2026-09-02
buy CARA 100.55 OC1 2026-09-02
buy BFLAT 999.99 OF1 2026-09-02
run ally commission list --json
is_rc 0 "commission list --json"
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 4 "one line per qualifying conversion"
c=$(cid OB1)
is "$(line "$c")" "pending commission 10.06 1006 EUR Beta Spring OB1" \
    "percent 10 of 100.55 is 10.055, rounded half away from zero to 10.06"
is "$(field "$c" rule)" "percent 10" "a partner without a tier: the program rule"
c=$(cid OA1)
is "$(line "$c")" "pending commission 20.11 2011 EUR Acme Spring OA1" \
    "a Gold partner earns the tier's percent 20: 20.11"
is "$(field "$c" rule)" "percent 20" "the tier rule overrides the program rule"
run ally commission explain "$c"
like "$out" 'rule: +percent 20' "explain names the tier rule"
like "$out" '100\.55 x 20% = 20\.110000' "explain shows the multiplication"
like "$out" 'result: +20\.11$' "explain shows the result"
c=$(cid OC1)
is "$(line "$c")" "pending commission 10.06 1006 EUR - Spring OC1" "a customer referrer: program rule, no partner"
is "$(field "$c" rule)" "percent 10" "a customer referrer uses the program rule"
run ally commission explain "$c"
like "$out" 'rounded half away from zero: 10\.06' "explain shows the rounding"
like "$out" '100\.55 x 10% = 10\.055000' "explain keeps the unrounded value"
is "$(line "$(cid OF1)")" "pending commission 25.00 2500 EUR Beta Flat OF1" "flat 25.00 whatever the amount"

# ---- graduated revenue: the DESIGN example, 30,000.00 -> 2,050.00 ----

buy BGRAD 8000 G1 2026-10-01T09:00:00Z
buy BGRAD 12000 G2 2026-10-02T09:00:00Z
buy BGRAD 10000 G3 2026-10-03T09:00:00Z
# the amounts (400.00, 800.00, 850.00; the month 2,050.00) are checked in
# tests/unit/test_app_ledger.c; here: what explain prints
run ally commission explain "$(cid G3)"
is_rc 0 "explain a graduated line"
like "$out" 'event: +purchase G3 of 10,000\.00 on 2026-10-03 09:00' "explain: the event"
like "$out" 'rule: +tiered revenue month graduated 0:5% 10000\.00:7% 25000\.00:10%' "explain: the rule text"
like "$out" 'period: +from 2026-10-01' "explain: the period"
like "$out" 'period revenue 20,000\.00 before, 30,000\.00 after' "explain: the period basis"
like "$out" 'bracket 10,000\.00\+ at 7%: 5,000\.00 x 7% = 350\.000000' "explain: first bracket part"
like "$out" 'bracket 25,000\.00\+ at 10%: 5,000\.00 x 10% = 500\.000000' "explain: second bracket part"
like "$out" 'this line: 2,050\.00 - 1,200\.00 = 850\.00' "explain: the line is the period's increase"
like "$out" 'result: +850\.00$' "explain: the result"

# ---- volume: recalculation, adjustments after approval, period reset ----

buy BVOL 8000 V1 2026-08-01T01:00:00Z
buy BVOL 2000 V2 2026-08-02T01:00:00Z
buy BVOL 0.01 V3 2026-08-03T01:00:00Z
# the amounts at exactly 10,000.00 and at 10,000.01 (pending lines edited,
# no adjustment) are checked in tests/unit/test_app_ledger.c
run ally commission explain "$(cid V2)"
like "$out" 'the period total 10,000\.01 reaches bracket 10,000\.00\+ at 7%' "explain: the reached bracket"
run ally commission approve "$(cid V1)" "$(cid V2)" "$(cid V3)"
is_rc 0 "approve the volume lines"
buy BVOL 15000 V4 2026-08-20T01:00:00Z
is "$(line "$(cid V1)")" "approved commission 560.00 56000 EUR Beta Vol V1" "volume: an approved line is not edited"
a1=$(cid V1 adjustment)
a2=$(cid V2 adjustment)
is "$(line "$a1")" "pending adjustment 240.00 24000 EUR Beta Vol V1" \
    "volume: 25,000.01 lifts to 10%: V1 gets a +240.00 adjustment"
is "$(field "$a1" original)" "$(cid V1)" "the adjustment points at the original line"
is "$(line "$a2")" "pending adjustment 60.00 6000 EUR Beta Vol V2" "volume: V2 gets a +60.00 adjustment"
# V3 (0.00 either way) gets no adjustment, V4 earns 1,500.00, the period
# 2,500.00: tests/unit/test_app_ledger.c
run ally commission explain "$a1"
like "$out" '^Adjustment C[0-9]+, pending, EUR' "explain an adjustment"
like "$out" "adjustment of $(cid V1) \\(approved\\): the conversion now earns 800\\.00; its lines so far total 560\\.00; difference 240\\.00" \
    "explain: the adjustment arithmetic"
like "$out" 'result: +240\.00$' "explain: the adjustment result"

# Refunding V3 in full takes it out of the basis: 25,000.00 is back at 7%.
run ally track refund --program Vol --id V3 --amount 0.01
is_rc 0 "refund V3 in full"
is "$(field "$(cid V3)" status)" "reversed" "V3's unpaid (approved, 0.00) line is reversed by the full refund"
is "$(total Vol)" 175000 "volume: the period falls back to 7%: 1,750.00"
is "$(line "$(cid V4)")" "pending commission 1050.00 105000 EUR Beta Vol V4" "volume: the pending V4 line is recalculated down"
is "$(ally commission list --program Vol --json | grep -F '"conversion":"V1",' |
    grep -Ev '"status":"(rejected|reversed)"' | jf amount_minor | awk '{ s += $1 } END { print s }')" 56000 \
    "volume: V1's lines sum to 8,000.00 x 7% = 560.00"

# Next month: the period starts again at 5%.
buy BVOL 1000 V5 2026-09-01T01:00:00Z
is "$(line "$(cid V5)")" "pending commission 50.00 5000 EUR Beta Vol V5" "volume: a new month resets the period to 5%"
run ally commission explain "$(cid V5)"
like "$out" 'conversion 1 of 1 in the period' "explain: first conversion of the new period"
like "$out" 'period: +from 2026-09-01' "explain: the new period"
is "$(total Vol)" 180000 "volume: August is untouched by September"
buy BVOL 12000 V6 2026-09-02T01:00:00Z
is "$(line "$(cid V5)")" "pending commission 70.00 7000 EUR Beta Vol V5" "volume: September reaches 7%"
is "$(line "$(cid V6)")" "pending commission 840.00 84000 EUR Beta Vol V6" "volume: V6 at 7%"
# A rejected conversion leaves the basis: September falls back to 5%.
run ally commission reject "$(cid V6)" --reason "test order"
is_rc 0 "reject V6"
is "$(line "$(cid V5)")" "pending commission 50.00 5000 EUR Beta Vol V5" \
    "volume: a rejected conversion does not count toward the basis"
is "$(field "$(cid V6)" status)" "rejected" "V6 is rejected"

# ---- refunds ----

buy BETA 200.00 RA 2026-09-03
buy BETA 80.00 RB 2026-09-03
buy BETA 300.00 RC 2026-09-03
ra=$(cid RA) rb=$(cid RB) rc_=$(cid RC)
run ally track refund --program Spring --id RA --amount 50
is_rc 0 "partial refund"
is "$(line "$ra")" "pending commission 15.00 1500 EUR Beta Spring RA" \
    "a partial refund recalculates the pending line on the rest"
run ally commission explain "$ra"
like "$out" 'refunded: +50\.00, leaving 150\.00' "explain shows the refund"
like "$out" '150\.00 x 10% = 15\.000000' "explain computes on the remaining amount"
run ally track refund --program Spring --id RB --amount 80.00
is_rc 0 "full refund"
is "$(line "$rb")" "reversed commission 0.00 0 EUR Beta Spring RB" "a full refund reverses the line"
is "$(cid RB adjustment)" "" "a full refund of an unpaid line makes no adjustment"
run ally commission approve "$rc_"
is "$out" "$rc_ approved" "approve RC"
run ally track refund --program Spring --id RC --amount 100
is_rc 0 "refund of an approved, unpaid line"
is "$(line "$rc_")" "approved commission 20.00 2000 EUR Beta Spring RC" \
    "a refund lowers an approved unpaid line in place"
is "$(cid RC adjustment)" "" "no adjustment for an unpaid line"
run ally track refund --program Spring --id RC --amount 200
is_rc 0 "refund the rest of an approved line"
is "$(line "$rc_")" "reversed commission 0.00 0 EUR Beta Spring RC" "a full refund reverses an approved unpaid line"
is "$(cid RC adjustment)" "" "still no adjustment"
bad 65 'ally: track refund: amount: refund of 150.01 is more than the 150.00 left of conversion RA' \
    "over-refund" -- ally track refund --program Spring --id RA --amount 150.01
bad 65 'ally: track refund: amount: refund of 0.01 is more than the 0.00 left of conversion RB' \
    "refund of a fully refunded conversion" -- ally track refund --program Spring --id RB --amount 0.01
is "$(line "$ra")" "pending commission 15.00 1500 EUR Beta Spring RA" "the over-refund changed nothing"

# ---- hold, approval, rejection ----

buy BETA 50.00 H1 2026-10-10T08:00:00Z
h1=$(cid H1)
is "$(field "$h1" hold_until)" "2026-11-09" "hold until: conversion + 30 days"
bad 65 "ally: commission approve: $h1 on hold until 2026-11-09 (give --override-hold REASON)" \
    "approve on hold" -- ally commission approve "$h1"
is "$out" "" "approve on hold: nothing on stdout"
bad 65 'ally: commission approve: override-hold: must not be empty' "empty --override-hold" -- \
    ally commission approve "$h1" --override-hold ""
run ally commission approve "$h1" --override-hold "known customer, paid up front"
is_rc 0 "approve with --override-hold"
is "$out" "$h1 approved" "override approves"
run ally commission show "$h1"
like "$out" 'status: +approved' "show: approved"
like "$out" 'reason: +known customer, paid up front' "show: the override reason"
like "$out" 'decided_by: +root' "show: who decided"
run ally commission explain "$h1"
like "$out" 'decided: +2026-10-15 12:00 by root: known customer, paid up front' "explain: the decision and its reason"

buy BETA 40.00 H2 2026-09-04
h2=$(cid H2)
bad 64 'ally: commission reject: --reason is required (see ally commission reject --help)' \
    "reject without --reason" -- ally commission reject "$h2"
bad 64 'ally: commission reject: reason: missing (--reason TEXT: the partner will see it)' \
    "reject with an empty reason" -- ally commission reject "$h2" --reason ""
run ally commission reject "$h2" --reason "order cancelled by phone"
is_rc 0 "reject with a reason"
is "$out" "$h2 rejected" "reject prints the outcome"
is "$(line "$h2")" "rejected commission 4.00 400 EUR Beta Spring H2" "the line is rejected"
is "$(field "$h2" reason)" "order cancelled by phone" "the rejection reason is kept"
bad 65 "ally: commission approve: $h2 is rejected: only pending lines can be approved" \
    "approving a rejected line" -- ally commission approve "$h2"
run ally commission reject "$h2" --reason "again"
is "$out" "$h2 already rejected" "reject twice: already rejected"

buy BETA 60.00 H3 2026-09-04
h3=$(cid H3)
run ally commission approve "$h3"
is "$out" "$h3 approved" "approve after the hold"
is "$(field "$h3" reason)" "-" "no reason needed after the hold"
snapshot
run ally commission approve "$h3"
is_rc 0 "approve twice"
is "$out" "$h3 already approved" "approve twice: already approved"
unchanged "approve twice"
bad 66 'ally: commission approve: commission "C999" not found' "unknown id" -- \
    ally commission approve C999
bad 66 'ally: commission approve: commission "C999" not found' "a known and an unknown id" -- \
    ally commission approve "$ra" C999
is "$out" "" "a known and an unknown id: nothing reported as decided"
bad 66 'ally: commission reject: commission "C999" not found' "reject unknown id" -- \
    ally commission reject C999 --reason x
n=${ra#C}
run ally commission show "$n"
like "$out" "id: +$ra" "an id without its prefix"

# ---- two admins approving at once ----

race_ids=""
for r in 1 2 3 4 5; do
	buy BETA 10.00 K$r 2026-09-05
	k=$(cid K$r)
	race_ids="$race_ids $k"
	"$ALLY" commission approve "$k" >"$tmp/r1" 2>&1 &
	p1=$!
	"$ALLY" commission approve "$k" >"$tmp/r2" 2>&1 &
	p2=$!
	wait $p1; s1=$?
	wait $p2; s2=$?
	is "$s1 $s2" "0 0" "race $r: both exit 0"
	is "$(cat "$tmp/r1" "$tmp/r2" | sort | tr '\n' '|')" "$k already approved|$k approved|" \
	    "race $r: exactly one approved, the other told already approved"
done
run ally audit list --json
is_rc 0 "audit list --json"
for k in $race_ids $h1 $h3; do
	is "$(printf '%s\n' "$out" | grep -F "\"record\":\"$k\"," |
	    grep -c '"action":"commission approve')" 1 \
	    "audit: exactly one approval entry for $k"
done
run ally audit list
like "$out" "commission approve: commission change +$h1" "audit list shows the approval"

# ---- permissions ----

ally user add s --role support >/dev/null
ally user add m --role manager >/dev/null
buy BETA 20.00 P1 2026-09-06
p1=$(cid P1)
export ALLY_USER=s
run ally commission list --json
is_rc 0 "support can list commissions"
run ally commission explain "$p1"
is_rc 0 "support can explain"
like "$out" 'result: +2\.00$' "support sees the arithmetic"
run ally statement Beta --month 2026-09
is_rc 0 "support can read a statement"
bad 77 'ally: commission approve: you (s, support) may not approve or reject commissions and run payouts' \
    "support approves" -- ally commission approve "$p1"
bad 77 'ally: commission reject: you (s, support) may not approve or reject commissions and run payouts' \
    "support rejects" -- ally commission reject "$p1" --reason x
bad 77 'ally: payout run: you (s, support) may not approve or reject commissions and run payouts' \
    "support runs a payout" -- ally payout run --cutoff 2026-09-30 --confirm 0000000000000000
bad 77 'ally: period close: you (s, support) may not close months' \
    "support closes a month" -- ally period close 2026-09
export ALLY_USER=m
bad 77 'ally: commission approve: you (m, manager) may not approve or reject commissions and run payouts' \
    "manager approves" -- ally commission approve "$p1"
bad 77 'ally: payout run: you (m, manager) may not approve or reject commissions and run payouts' \
    "manager runs a payout" -- ally payout run --cutoff 2026-09-30 --confirm 0000000000000000
unset ALLY_USER
is "$(field "$p1" status)" "pending" "the line is still pending"

# ---- audit log: verify, then tamper with a copy ----

run ally audit verify
is_rc 0 "audit verify"
like "$out" '^ok: [0-9]+ entries verified, audit chain intact$' "audit verify: ok"
entry=$(ally audit list --json | python3 -c 'import json,sys
print([o["id"] for o in map(json.loads, sys.stdin)
       if o["record"] == sys.argv[1] and o["action"].startswith("commission approve")][0])' "$h1")
mkdir "$tmp/copy"
run ally backup "$tmp/copy/data.mdb"
is_rc 0 "backup for the tampering copy"
cp "$ALLY_DB/audit.key" "$tmp/copy/audit.key"

# tamper DIR ENTRY OLD NEW: replace bytes inside one audit entry's value.
tamper() {
	mdb_dump -s audit "$1" >"$tmp/audit.dump" || return 1
	python3 - "$tmp/audit.dump" "$2" "$3" "$4" <<'EOF' || return 1
import sys
path, n, old, new = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode(), sys.argv[4].encode()
lines = open(path).read().split("\n")
i = lines.index(" " + n.to_bytes(8, "big").hex())
v = bytes.fromhex(lines[i + 1].strip())
assert old in v, "not in the entry"
lines[i + 1] = " " + v.replace(old, new, 1).hex()
open(path, "w").write("\n".join(lines))
EOF
	mdb_load -f "$tmp/audit.dump" -s audit "$1" 2>"$tmp/mdb_load.err"
}

run ally --db "$tmp/copy" audit verify
is_rc 0 "the copy verifies before tampering"
if tamper "$tmp/copy" "${entry#A}" "known customer" "known kustomer"; then
	ok "tampered with $entry in the copy"
	run ally --db "$tmp/copy" audit verify
	is_rc 65 "audit verify of a tampered log"
	err_is "ally: audit verify: audit entry $entry was changed after it was written (hash differs)" \
	    "audit verify names the changed entry"
else
	not_ok "tampered with $entry in the copy" "mdb_dump/mdb_load failed"
fi
run ally audit verify
is_rc 0 "the original database still verifies"

# ---- the program's cap: per referrer per calendar month, in time order ----
capdb=$tmp/capdb
(
	export ALLY_DB=$capdb ALLY_NOW=2026-11-20T12:00:00Z
	ally init >/dev/null
	ally program add Capped --rule "flat 100.00" --cap 250 --activate >/dev/null
	ally code new --program Capped --customer cap@x.example --vanity CAPPED >/dev/null
	for i in 1 2 3 4 5; do
		ally track referral --code CAPPED --email k$i@y.example --at 2026-10-0${i}T10:00:00Z >/dev/null
	done
	for i in 1 2 3 4; do
		ally track conversion --code CAPPED --email k$i@y.example --event purchase --amount 50 \
		    --id K$i --at 2026-10-1${i}T10:00:00Z >/dev/null
	done
	ally track referral --code CAPPED --email n1@y.example --at 2026-11-02T10:00:00Z >/dev/null
	ally track conversion --code CAPPED --email n1@y.example --event purchase --amount 50 \
	    --id N1 --at 2026-11-03T10:00:00Z >/dev/null
)
caps=$(ALLY_DB=$capdb ally commission list --csv | awk -F, 'NR > 1 { print $9 "=" $4 }' | sort | tr '\n' ' ')
is "$caps" "K1=100.00 K2=100.00 K3=50.00 K4=0.00 N1=100.00 " "the cap cuts the month at 250.00; the next month starts again"
# An earlier conversion arriving late takes its place in time order.
ALLY_DB=$capdb ALLY_NOW=2026-11-20T12:00:00Z ally track conversion --code CAPPED --email k5@y.example \
    --event purchase --amount 50 --id K5 --at 2026-10-09T10:00:00Z >/dev/null
caps=$(ALLY_DB=$capdb ally commission list --csv | awk -F, 'NR > 1 { print $9 "=" $4 }' | sort | tr '\n' ' ')
is "$caps" "K1=100.00 K2=50.00 K3=0.00 K4=0.00 K5=100.00 N1=100.00 " "a late, earlier conversion is paid first"
main_db=$ALLY_DB
ALLY_DB=$capdb
run ally commission explain C3
like "$out" "program cap 250.00 per referrer per month: 250.00 earned earlier this month, so 100.00 -> 0.00" \
    "explain shows the cap"
ALLY_NOW=2026-11-20T12:00:00Z ally track refund --program Capped --id K5 --amount 50 >/dev/null
caps=$(ALLY_DB=$capdb ally commission list --csv | awk -F, 'NR > 1 { print $9 "=" $4 }' | sort | tr '\n' ' ')
is "$caps" "K1=100.00 K2=100.00 K3=50.00 K4=0.00 K5=0.00 N1=100.00 " "a refund gives the room back to later lines"
run ally check
is_rc 0 "check after the capped month"
ALLY_DB=$main_db

done_testing
