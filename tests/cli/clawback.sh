#!/bin/sh
# clawback.sh - a refund of a paid line makes a negative adjustment that
# is created approved ("refund of paid line"), is shown in the queue as
# information, cannot be rejected, and nets against the partner's next
# payout; a partner whose only line is the clawback carries a negative
# balance over.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/ui/lib.sh"

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
checksum() {
	printf '%s\n' "$out" | sed -n 's/^checksum: //p'
}

export ALLY_NOW=2026-09-20T12:00:00Z
ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally program add Spring --rule "percent 10" --events purchase --window 365 --hold 0 --activate >/dev/null
ally partner add Beta --email bob@beta.example >/dev/null
ally partner add Cee --email cy@cee.example >/dev/null
ally code new --program Spring --partner Beta --vanity BETA >/dev/null
ally code new --program Spring --partner Cee --vanity CEE >/dev/null
for c in BETA CEE; do
	ally track referral --code $c --email buyer-$c@example.com --at 2026-09-01 >/dev/null
done
buy BETA 1000.00 B1 2026-09-02
buy CEE 1000.00 K1 2026-09-02
b1=$(cid B1) k1=$(cid K1)
ally commission approve $b1 $k1 >/dev/null
run ally payout preview --cutoff 2026-09-20
ally payout run --cutoff 2026-09-20 --confirm "$(checksum)" --output "$tmp/pb1.csv" >/dev/null
is "$(field "$b1" status) $(field "$b1" amount) $(field "$k1" status)" "paid 100.00 paid" \
    "paid 100.00 each (10% of 1,000.00)"

# ---- the clawback ----

run ally track refund --program Spring --id B1 --amount 600.00
is_rc 0 "refund 60% of a paid conversion"
cb=$(cid B1 adjustment)
is "$(field "$cb" status) $(field "$cb" amount) $(field "$cb" original)" "approved -60.00 $b1" \
    "a -60.00 adjustment of the paid line, created approved"
is "$(field "$cb" reason)" "refund of paid line" "its reason"
is "$(field "$b1" amount) $(field "$b1" status)" "100.00 paid" "the paid line is not edited"
is "$(ally commission list --status pending --csv | sed 1d)" "" "nothing waits for an approval"
run ally commission approve "$cb"
is_rc 0 "approving a clawback changes nothing"
is "$out" "$cb already approved" "it says it is approved already"
bad 65 "ally: commission reject: $cb is a clawback: approved when it was made, it nets against the next payout and cannot be rejected" \
    "rejecting a clawback" -- ally commission reject "$cb" --reason "not fair"
is "$(field "$cb" status)" "approved" "the clawback is still approved"

# ---- the queue shows it as information ----

screen <<'KEYS'
key 6
dump
key r
dump
KEYS
is "$rc" 0 "script mode exits 0"
screen_has 1 "$cb +approved +Beta +Spring +-60\\.00 .*clawback" "the queue lists the clawback as information"
screen_has 2 "$cb is a clawback: it nets in the next payout; nothing to decide" \
    "r on a clawback decides nothing"
is "$(field "$cb" status)" "approved" "the TUI left it approved"

# ---- it nets in the next payout ----

export ALLY_NOW=2026-10-05T12:00:00Z
buy BETA 1000.00 B2 2026-10-01
b2=$(cid B2)
ally commission approve $b2 >/dev/null
run ally payout preview --cutoff 2026-10-05 --partner Beta
like "$out" '^Beta +bob@beta\.example +2 +40\.00$' "the next payout pays 100.00 - 60.00 = 40.00"
run ally payout run --cutoff 2026-10-05 --partner Beta --confirm "$(checksum)" --output "$tmp/pb2.csv"
is_rc 0 "payout run"
is "$(tr -d '\r' <"$tmp/pb2.csv" | sed 1d | cut -d, -f1-4)" "Beta,bob@beta.example,EUR,40.00" "the CSV pays 40.00"
is "$(field "$cb" status)" "paid" "the clawback is settled in that batch"

# ---- a partner whose only line is the clawback carries it over ----

export ALLY_NOW=2026-09-25T12:00:00Z
run ally track refund --program Spring --id K1 --amount 600.00
is_rc 0 "refund 60% of Cee's paid conversion"
ck=$(cid K1 adjustment)
is "$(field "$ck" status) $(field "$ck" amount)" "approved -60.00" "Cee's clawback"
export ALLY_NOW=2026-10-05T12:00:00Z
run ally payout preview --cutoff 2026-10-05
unlike "$out" 'Cee' "Cee (-60.00) is not paid"
run ally statement Cee --month 2026-09
like "$out" 'approved in the month +40\.00$' "September: 100.00 approved, -60.00 clawed back"
like "$out" 'paid in the month +100\.00$' "September: 100.00 paid"
like "$out" 'closing balance +-60\.00$' "September closes at -60.00"
run ally statement Cee --month 2026-10
like "$out" 'opening balance \(approved, unpaid\) +-60\.00$' "October opens at -60.00: carried over"
buy CEE 1000.00 K2 2026-10-02
ally commission approve "$(cid K2)" >/dev/null
run ally payout preview --cutoff 2026-10-05 --partner Cee
like "$out" '^Cee +cy@cee\.example +2 +40\.00$' "Cee's next 100.00 pays 40.00"

done_testing
