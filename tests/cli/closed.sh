#!/bin/sh
# closed.sh - closed means closed: a late conversion, refund, rejection,
# approval, volume recalculation and tier change against a closed month
# keep their true times, but every line they make or change is dated in
# the first open month and says why; the closed month's statement (text
# and CSV) stays byte for byte the same.
#
# The rule pinned here (doc/ally.1, "Closed months"): a conversion
# reported after its month was closed is valued as the next unit of its
# period's basis, after every conversion the month had when it was
# closed; any difference on the closed lines lands as an adjustment in the
# first open month.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"

jf() {
	sed -nE "s/.*\"$1\":(\"[^\"]*\"|[^,}]*).*/\1/p" | sed 's/^"//; s/"$//; s/^null$/-/'
}
field() {
	ally commission list --json | grep -F "{\"id\":\"$1\"," | jf "$2"
}
cid() {
	ally commission list --json | grep -F "\"kind\":\"${2:-commission}\"" |
	    grep -F "\"conversion\":\"$1\"," | jf id | sort -k1.2n | tr '\n' ' ' | sed 's/ $//'
}
buy() {
	ally track conversion --code "$1" --email "buyer-$1@example.com" --event purchase \
	    --amount "$2" --id "$3" --at "$4" >/dev/null
}
# total PROGRAM: minor units of the lines that count.
total() {
	ally commission list --program "$1" --json | grep -Ev '"status":"(rejected|reversed)"' |
	    jf amount_minor | awk '{ s += $1 } END { print s + 0 }'
}
# frozen: the October statements of Acme and Beta, text and CSV, hashed.
frozen() {
	for p in Acme Beta; do
		ally statement $p --month 2026-10
		ally statement $p --month 2026-10 --csv
	done | sha256sum | cut -d' ' -f1
}

export ALLY_NOW=2026-10-01T09:00:00Z
ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally tier add Gold --rule "percent 20" >/dev/null
ally partner add Acme --email ann@acme.example >/dev/null
ally partner add Beta --email bob@beta.example >/dev/null
ally program add Grad --rule "tiered count month graduated 0:5% 3:10%" --events purchase \
    --window 365 --hold 0 --activate >/dev/null
ally program add Vol --rule "tiered count month volume 0:10.00 3:20.00" --events purchase \
    --window 365 --hold 0 --activate >/dev/null
ally code new --program Grad --partner Acme --vanity AGRAD >/dev/null
ally code new --program Vol --partner Beta --vanity BVOL >/dev/null
for c in AGRAD BVOL; do
	ally track referral --code $c --email buyer-$c@example.com --at 2026-09-01 >/dev/null ||
	    { echo "Bail out! referral on $c failed"; exit 1; }
done

# October, reported while October is open.  Graduated count, 0:5% 3:10%:
# units 1-3 earn 5%, the 4th and later 10%.
export ALLY_NOW=2026-10-30T12:00:00Z
buy AGRAD 100.00 G1 2026-10-05      # unit 1: 5.00
buy AGRAD 100.00 G2 2026-10-10      # unit 2: 5.00
buy AGRAD 100.00 G3 2026-10-28      # unit 3: 5.00
# Volume count, 0:10.00 3:20.00: three conversions earn 10.00 each.
buy BVOL 50.00 V1 2026-10-03
buy BVOL 50.00 V2 2026-10-04
buy BVOL 50.00 V3 2026-10-05
g1=$(cid G1) g2=$(cid G2) g3=$(cid G3) v1=$(cid V1) v2=$(cid V2) v3=$(cid V3)
ally commission approve $v1 >/dev/null
is "$(total Grad) $(total Vol)" "1500 3000" "October before closing: 15.00 and 30.00"

export ALLY_NOW=2026-11-02T10:00:00Z
run ally period close 2026-10
is_rc 0 "close October"
before=$(frozen)
ally statement Acme --month 2026-10 >"$tmp/oct.txt"
like "$(cat "$tmp/oct.txt")" "^$g3 +2026-10-28 +commission +pending +G3 +5\\.00\$" "October shows G3 pending"

# ---- a late conversion ----

export ALLY_NOW=2026-11-03T10:00:00Z
run ally track conversion --code AGRAD --email buyer-AGRAD@example.com --event purchase \
    --amount 200.00 --id L1 --at 2026-10-25
is_rc 0 "a conversion of 2026-10-25 reported after October was closed"
l1=$(cid L1)
# Next unit of October's basis as closed (unit 4): 10% of 200.00.  By its
# true time it would be unit 3 (5%: 10.00) and G3 would become unit 4.
is "$(field "$l1" amount)" "20.00" "the late conversion is the next unit: 10% of 200.00"
is "$(field "$l1" earned)" "2026-11-03T10:00:00Z" "its line is dated in the first open month"
is "$(field "$g3" amount) $(cid G3 adjustment)" "5.00 " "G3 keeps its place: no adjustment"
run ally commission explain "$l1"
like "$out" 'conversion of 2026-10-25 reported after 2026-10 was closed: dated 2026-11-03, in the first open month' \
    "explain says why the line is in November"
like "$out" 'event: +purchase L1 of 200\.00 on 2026-10-25' "the conversion keeps its true time"
is "$(frozen)" "$before" "October's statements are byte-identical after the late conversion"
run ally statement Acme --month 2026-11
like "$out" "^$l1 +2026-11-03 +commission +pending +L1 +20\\.00\$" "November's statement shows the late line"
like "$out" "^  $l1: conversion of 2026-10-25 reported after 2026-10 was closed\$" \
    "November's statement says why the line is there"

# ---- approval of a closed month's line ----

ally commission approve $g1 >/dev/null
is "$(field "$g1" status)" "approved" "G1 approved in November"
is "$(frozen)" "$before" "October's statements are byte-identical after approving its line"
run ally statement Acme --month 2026-11
like "$out" 'approved in the month +5\.00$' "the approval shows in November"

# ---- a late refund ----

run ally track refund --program Grad --id G2 --amount 100.00
is_rc 0 "refund G2 in full"
# G2 leaves the basis: G3 becomes unit 2 (5.00, as before), L1 unit 3
# (5% of 200.00 = 10.00, its open line edited); G2's closed pending line
# is not edited: a -5.00 adjustment in November.
adj=$(cid G2 adjustment)
is "$(field "$g2" amount) $(field "$g2" status)" "5.00 pending" "G2's closed line is not edited"
is "$(field "$adj" amount) $(field "$adj" earned)" "-5.00 2026-11-03T10:00:00Z" \
    "the refund lands as an adjustment dated in November"
is "$(field "$l1" amount)" "10.00" "L1 (an open line) is recalculated: unit 3, 5%"
is "$(total Grad)" "2000" "Grad sums to the rule: G1 5.00 + G3 5.00 + L1 10.00 (G2 out: 5.00 - 5.00)"
run ally commission explain "$adj"
like "$out" "$g2 is dated 2026-10-10, in a closed month: this change is dated 2026-11-03, in the first open month" \
    "explain of the adjustment says why"
is "$(frozen)" "$before" "October's statements are byte-identical after the late refund"
run ally statement Acme --month 2026-11
like "$out" "^  $adj: adjusts $g2 of 2026-10-10, in a closed month\$" "November's statement names the closed line"

# ---- a late rejection ----

run ally commission reject $g3 --reason "duplicate order"
is_rc 0 "reject G3 (a closed month's line)"
is "$(field "$g3" status)" "rejected" "G3 is rejected"
# G3 out: L1 becomes unit 2 of the basis (G1, L1): 5% of 200.00 = 10.00.
is "$(field "$l1" amount)" "10.00" "L1 stays 10.00 as unit 2"
is "$(frozen)" "$before" "October's statements are byte-identical after the late rejection"

# ---- volume: a late conversion lifts the closed period ----

run ally track conversion --code BVOL --email buyer-BVOL@example.com --event purchase \
    --amount 50.00 --id V4 --at 2026-10-20
is_rc 0 "a fourth October conversion, reported late"
v4=$(cid V4)
is "$(field "$v4" amount) $(field "$v4" earned)" "20.00 2026-11-03T10:00:00Z" \
    "four conversions exceed 3: the late one earns 20.00, dated in November"
for c in V1 V2 V3; do
	a=$(cid $c adjustment)
	is "$(field "$a" amount) $(field "$a" earned) $(field "$a" status)" "10.00 2026-11-03T10:00:00Z pending" \
	    "$c's closed line gets +10.00 as an adjustment in November"
done
is "$(field "$v1" amount) $(field "$v2" amount)" "10.00 10.00" "the closed lines are not edited"
is "$(total Vol)" "8000" "Vol sums to the rule: 4 x 20.00"
is "$(frozen)" "$before" "October's statements are byte-identical after the volume recalculation"
run ally track refund --program Vol --id V4 --amount 50.00
is_rc 0 "the late conversion refunded in full"
for c in V1 V2 V3; do
	a=$(cid $c adjustment)
	is "$(field "$a" amount) $(field "$a" status)" "0.00 reversed" "$c's pending adjustment falls back to nothing"
done
is "$(field "$v4" status)" "reversed" "V4's open line is reversed"
is "$(total Vol)" "3000" "Vol sums to the rule again: 3 x 10.00"
run ally commission explain "$(cid V2 adjustment)"
like "$out" "$v2 is dated 2026-10-04, in a closed month: this change is dated 2026-11-03" \
    "the reused adjustment still says why it is in November"
is "$(frozen)" "$before" "October's statements are byte-identical after the refund of the late conversion"
run ally track conversion --code BVOL --email buyer-BVOL@example.com --event purchase \
    --amount 50.00 --id V5 --at 2026-10-21
is_rc 0 "another late October conversion lifts the period again"
is "$(total Vol)" "8000" "4 x 20.00 again"

# ---- a tier change, then another late conversion ----

ally partner edit Acme --tier Gold >/dev/null
run ally track conversion --code AGRAD --email buyer-AGRAD@example.com --event purchase \
    --amount 100.00 --id L2 --at 2026-10-26
is_rc 0 "a late conversion after Acme's tier changed"
l2=$(cid L2)
is "$(field "$l2" amount) $(field "$l2" earned)" "20.00 2026-11-03T10:00:00Z" \
    "the tier's rule (20%) pays it, dated in November"
is "$(frozen)" "$before" "October's statements are byte-identical after the tier change"

# ---- paying November does not touch October ----

export ALLY_NOW=2026-11-20T10:00:00Z
ally commission approve $v2 $v3 >/dev/null
sum=$(ally payout preview --cutoff 2026-11-19 | sed -n 's/^checksum: //p')
run ally payout run --cutoff 2026-11-19 --confirm "$sum" --output "$tmp/pb.csv"
is_rc 0 "payout run in November"
is "$(field "$v1" status)" "paid" "V1 (an October line) is paid in November"
is "$(frozen)" "$before" "October's statements are byte-identical after paying its lines"
ally statement Acme --month 2026-10 >"$tmp/oct2.txt"
if cmp -s "$tmp/oct.txt" "$tmp/oct2.txt"; then ok "ally statement Acme --month 2026-10: the same bytes"
else not_ok "ally statement Acme --month 2026-10: the same bytes" "$(diff "$tmp/oct.txt" "$tmp/oct2.txt")"; fi

# ---- closing a month freezes the months before it ----

export ALLY_NOW=2026-12-02T10:00:00Z
buy AGRAD 100.00 S1 2026-09-15
s1=$(cid S1)
is "$(field "$s1" earned)" "2026-11-01T00:00:00Z" \
    "September is frozen by October's closing: its late line opens November, the first open month"
run ally commission explain "$s1"
like "$out" 'conversion of 2026-09-15 reported after 2026-09 was closed: dated 2026-11-01' "explain of S1"
run ally period close 2026-11
is_rc 0 "close November"
buy AGRAD 100.00 N1 2026-11-10
n1=$(cid N1)
is "$(field "$n1" earned)" "2026-12-02T10:00:00Z" "a late November conversion is dated in December"
is "$(frozen)" "$before" "October's statements are still byte-identical"

done_testing
