#!/usr/bin/env bash
# rewards.sh - rules real programs run on (DESIGN.md section 3), to the
# cent: a 12-month recurring subscription, first purchase only, a
# three-clause rule over products and countries, first/repeat rates,
# amount thresholds at the boundary and a two-sided program through
# approval, export and issue; each with refunds before and after
# approval and a closed month in between.  Every expected amount is worked
# out by hand in the comments, never by ally.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"

jf() {
	sed -nE "s/.*\"$1\":(\"[^\"]*\"|[^,}]*).*/\1/p" | sed 's/^"//; s/"$//; s/^null$/-/'
}
# line EXTERNAL_ID FIELD: of the conversion's main line
line() {
	ally commission list --json | grep -F '"kind":"commission"' | grep -F "\"conversion\":\"$1\"," | jf "$2"
}
# adj EXTERNAL_ID: the amounts of the conversion's adjustments, in minor units
adj() {
	ally commission list --json | grep -F '"kind":"adjustment"' | grep -F "\"conversion\":\"$1\"," |
	    jf amount_minor | tr '\n' ' ' | sed 's/ $//'
}
# total PROGRAM: minor units of the lines that count
total() {
	ally commission list --program "$1" --json | grep -Ev '"status":"(rejected|reversed)"' |
	    jf amount_minor | awk '{ s += $1 } END { print s + 0 }'
}
buy() {  # buy CODE EMAIL AMOUNT ID AT [flags]
	local code=$1 email=$2 amount=$3 id=$4 at=$5
	shift 5
	ally track conversion --code "$code" --email "$email" --event purchase --amount "$amount" \
	    --id "$id" --at "$at" "$@" >/dev/null || echo "# buy $id failed"
}

export ALLY_NOW=2027-12-01T12:00:00Z
ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally partner add Acme --email ann@acme.example >/dev/null
prog() {  # prog NAME RULE
	ally program add "$1" --rule "$2" --events purchase --window 30 --hold 0 --activate >/dev/null ||
	    echo "Bail out! program $1"
	ally code new --program "$1" --partner Acme --vanity "$1" >/dev/null
}

# ---- 25% recurring for 12 months, monthly renewals ----
prog SAAS "percent 25 for 12 months"
ally track referral --code SAAS --email sub@example.com --at 2026-10-01 >/dev/null
m=0
for d in 2026-10 2026-11 2026-12 2027-01 2027-02 2027-03 2027-04 2027-05 2027-06 2027-07 2027-08 2027-09 2027-10; do
	m=$((m + 1))
	buy SAAS sub@example.com 49.00 "sub-$m" "$d-03"
done
# 49.00 x 25% = 12.25 for each of the first twelve; the 13th (2027-10-03,
# twelve months after the first) earns nothing: 12 x 12.25 = 147.00
is "$(line sub-1 amount_minor) $(line sub-12 amount_minor) $(line sub-13 amount_minor)" "1225 1225 0" \
    "recurring: the 1st and 12th earn 25%, the 13th nothing"
is "$(total SAAS)" 14700 "recurring: twelve renewals of 12.25"
run ally commission explain "$(line sub-4 id)"
like "$out" "renewal 4 of 12, until 2027-10-03" "explain: renewal 4 of 12, until 2027-10-03"
run ally commission explain "$(line sub-13 id)"
like "$out" "past the 12-month duration, which ended 2027-10-03" "explain: the 13th is past the duration"
# the window bounds the first conversion only: a rule without a duration
# pays none of the renewals after it
prog ONCE30 "percent 25"
ally track referral --code ONCE30 --email w@example.com --at 2026-10-01 >/dev/null
buy ONCE30 w@example.com 49.00 w-1 2026-10-03
run ally track conversion --code ONCE30 --email w@example.com --event purchase --amount 49.00 --id w-2 \
    --at 2026-11-03
like "$out" "earns no commission: outside the 30-day window" "without a duration, a renewal after the window earns nothing"

# refund before approval: 9.00 of renewal 6 -> 40.00 x 25% = 10.00
ally track refund --program SAAS --id sub-6 --amount 9.00 --at 2027-03-10 >/dev/null
is "$(line sub-6 amount_minor) $(line sub-6 status)" "1000 pending" "recurring: a refund before approval edits the line"
# refund after approval: 20.00 of renewal 7 -> 29.00 x 25% = 7.25, still approved
ally commission approve "$(line sub-7 id)" >/dev/null
ally track refund --program SAAS --id sub-7 --amount 20.00 --at 2027-04-10 >/dev/null
is "$(line sub-7 amount_minor) $(line sub-7 status)" "725 approved" "recurring: a refund after approval lowers it"
# a closed month in between: November 2026 closed, renewal 2 refunded in
# full -> its line stays, an adjustment of -12.25 in the first open month
run ally period close 2026-11
is_rc 0 "close November 2026"
ally track refund --program SAAS --id sub-2 --amount 49.00 --at 2027-11-20 >/dev/null
is "$(line sub-2 amount_minor) $(adj sub-2)" "1225 -1225" "recurring: a refund in a closed month is an adjustment"
# 147.00 - 2.25 - 5.00 - 12.25 = 127.50
is "$(total SAAS)" 12750 "recurring: the total after three refunds"
run ally check
is_rc 0 "check after the recurring program"

# ---- first purchase only ----
prog FIRST "flat 50.00 for 1 conversions"
for c in a b; do
	ally track referral --code FIRST --email "$c@example.com" --at 2026-12-01 >/dev/null
done
buy FIRST a@example.com 80.00 a-1 2026-12-02
buy FIRST a@example.com 80.00 a-2 2026-12-05
buy FIRST a@example.com 80.00 a-3 2026-12-09
is "$(line a-1 amount_minor) $(line a-2 amount_minor) $(line a-3 amount_minor)" "5000 0 0" \
    "first purchase only: 50.00, then nothing"
run ally commission explain "$(line a-2 id)"
like "$out" "renewal 2 of 1: past the duration" "explain: the second purchase is past the duration"
# refunded in full before approval: reversed; the second does not become first
ally track refund --program FIRST --id a-1 --amount 80.00 --at 2026-12-10 >/dev/null
is "$(line a-1 status) $(line a-2 amount_minor)" "reversed 0" "first purchase refunded: reversed, the next still earns nothing"
# after approval: a partial refund leaves the flat amount, a full one reverses it
buy FIRST b@example.com 80.00 b-1 2026-12-03
ally commission approve "$(line b-1 id)" >/dev/null
ally track refund --program FIRST --id b-1 --amount 10.00 --at 2026-12-04 >/dev/null
is "$(line b-1 amount_minor) $(line b-1 status)" "5000 approved" "first purchase: a partial refund keeps the flat 50.00"
ally track refund --program FIRST --id b-1 --amount 70.00 --at 2026-12-05 >/dev/null
is "$(line b-1 status)" "reversed" "first purchase: the rest refunded after approval reverses it"
# reported late, inside closed November: the first purchase, dated in the
# first open month
ally track referral --code FIRST --email c@example.com --at 2026-11-01 >/dev/null
buy FIRST c@example.com 80.00 c-1 2026-11-15
buy FIRST c@example.com 80.00 c-2 2026-11-20
is "$(line c-1 amount_minor) $(line c-2 amount_minor)" "5000 0" "first purchase reported into a closed month"
like "$(line c-1 earned)" "^2026-12-01" "its line is dated in the first open month"
is "$(total FIRST)" 5000 "first purchase only: the total"

# ---- three clauses over products and countries ----
prog PLANS "when product=pro-annual percent 20; when country=DE,AT flat 30.00; percent 10"
ally track referral --code PLANS --email p@example.com --at 2027-01-01 >/dev/null
buy PLANS p@example.com 300.00 p-1 2027-01-02 --product Pro-Annual --country FR
buy PLANS p@example.com 300.00 p-2 2027-01-03 --product basic --country de
buy PLANS p@example.com 300.00 p-3 2027-01-04 --product basic --country AT
buy PLANS p@example.com 100.00 p-4 2027-01-05 --product pro-annual --country DE
buy PLANS p@example.com 123.45 p-5 2027-01-06 --product basic --country FR
buy PLANS p@example.com 99.99 p-6 2027-01-07
# 300 x 20% = 60.00; flat 30.00; flat 30.00; the first clause wins for
# pro-annual in DE: 100 x 20% = 20.00; 123.45 x 10% = 12.345 -> 12.35;
# 99.99 x 10% = 9.999 -> 10.00
for p in "p-1 6000" "p-2 3000" "p-3 3000" "p-4 2000" "p-5 1235" "p-6 1000"; do
	is "$(line "${p% *}" amount_minor)" "${p#* }" "three clauses: ${p% *} earns ${p#* }"
done
run ally commission explain "$(line p-5 id)"
like "$out" 'clause 1 "when product=pro-annual percent 20": does not hold: product is basic' \
    "explain lists the first clause tried"
like "$out" 'clause 2 "when country=DE,AT flat 30.00": does not hold: country is FR' \
    "explain lists the second clause tried"
like "$out" 'clause 3 "percent 10": applies' "explain names the clause that applies"
# refund before approval: 150.00 of p-1 -> 150 x 20% = 30.00
ally track refund --program PLANS --id p-1 --amount 150.00 --at 2027-01-10 >/dev/null
is "$(line p-1 amount_minor)" 3000 "three clauses: a refund before approval"
# after approval: p-5 refunded 23.45 -> 100.00 x 10% = 10.00, still approved
ally commission approve "$(line p-5 id)" >/dev/null
ally track refund --program PLANS --id p-5 --amount 23.45 --at 2027-01-11 >/dev/null
is "$(line p-5 amount_minor) $(line p-5 status)" "1000 approved" "three clauses: a refund after approval"
# 30.00 + 30.00 + 30.00 + 20.00 + 10.00 + 10.00 = 130.00
is "$(total PLANS)" 13000 "three clauses: the total"
# no clause holds and no default: nothing, and explain says so
prog NODEF "when product=pro percent 20; when country=DE flat 5.00"
ally track referral --code NODEF --email n@example.com --at 2027-01-01 >/dev/null
buy NODEF n@example.com 50.00 n-1 2027-01-02 --country FR
is "$(line n-1 amount_minor)" 0 "no clause holds: earns nothing"
run ally commission explain "$(line n-1 id)"
like "$out" "no clause holds and the rule has no default: earns nothing" "explain: no clause, no default"

# ---- first and repeat, reported out of order ----
prog REPEAT "when first percent 15; when repeat percent 5"
ally track referral --code REPEAT --email r@example.com --at 2027-02-01 >/dev/null
buy REPEAT r@example.com 200.00 r-2 2027-02-10
is "$(line r-2 amount_minor)" 3000 "first/repeat: alone, the later purchase is first (200 x 15%)"
buy REPEAT r@example.com 200.00 r-1 2027-02-05
buy REPEAT r@example.com 200.00 r-3 2027-02-15
# reported before it, r-1 is now the first: 30.00; r-2 and r-3 repeats: 10.00
is "$(line r-1 amount_minor) $(line r-2 amount_minor) $(line r-3 amount_minor)" "3000 1000 1000" \
    "first/repeat: an earlier purchase reported late takes the first rate"
ally commission approve "$(line r-2 id)" >/dev/null
ally track refund --program REPEAT --id r-2 --amount 100.00 --at 2027-02-20 >/dev/null
is "$(line r-2 amount_minor)" 500 "first/repeat: a refund after approval (100 x 5%)"
is "$(total REPEAT)" 4500 "first/repeat: the total"

# ---- amount thresholds at the boundary ----
prog BIG "when amount>=1000.00 percent 12; percent 8"
ally track referral --code BIG --email t@example.com --at 2027-03-01 >/dev/null
buy BIG t@example.com 1000.00 t-1 2027-03-02
buy BIG t@example.com 999.99 t-2 2027-03-03
buy BIG t@example.com 1000.01 t-3 2027-03-04
# 1000.00 x 12% = 120.00; 999.99 x 8% = 79.9992 -> 80.00; 1000.01 x 12% =
# 120.0012 -> 120.00
is "$(line t-1 amount_minor) $(line t-2 amount_minor) $(line t-3 amount_minor)" "12000 8000 12000" \
    "thresholds: 1000.00 is at least 1000.00, 999.99 is not"
# the condition reads the amount as reported: refunded to 999.99 it stays
# in its clause, 999.99 x 12% = 119.9988 -> 120.00; 500.00 left: 60.00
ally track refund --program BIG --id t-1 --amount 0.01 --at 2027-03-05 >/dev/null
is "$(line t-1 amount_minor)" 12000 "thresholds: a refund does not move a conversion to another clause"
ally commission approve "$(line t-3 id)" >/dev/null
ally track refund --program BIG --id t-3 --amount 500.01 --at 2027-03-06 >/dev/null
is "$(line t-3 amount_minor) $(line t-3 status)" "6000 approved" "thresholds: a refund after approval"

# ---- two-sided: give 10, get 10 ----
# rew EXTERNAL_ID FIELD: of the conversion's referee reward (not its adjustments)
rew() {
	ally reward list --json | grep -F '"kind":"referee"' | grep -F "\"conversion\":\"$1\"," | jf "$2"
}
rewadj() {
	ally reward list --json | grep -F '"kind":"adjustment"' | grep -F "\"conversion\":\"$1\"," |
	    jf amount_minor | tr '\n' ' ' | sed 's/ $//'
}
ally program add FRIENDS --rule "flat 10.00" --referee-reward "flat 10.00" --events purchase --window 30 \
    --hold 0 --activate >/dev/null || echo "Bail out! program FRIENDS"
ally code new --program FRIENDS --partner Acme --vanity FRIENDS >/dev/null
for c in f1 f2 f3; do
	ally track referral --code FRIENDS --email "$c@example.com" --at 2027-04-01 >/dev/null
done
buy FRIENDS f1@example.com 60.00 f1-1 2027-04-02
buy FRIENDS f1@example.com 60.00 f1-2 2027-04-03
# the contact's first qualifying conversion: 10.00; the second gives nothing
is "$(rew f1-1 amount_minor) $(rew f1-1 status) $(rew f1-1 email)" "1000 pending f1@example.com" \
    "two-sided: the referred contact is owed 10.00 on the first purchase"
is "$(rew f1-2 id)" "" "two-sided: no reward on the second purchase"
is "$(line f1-1 amount_minor) $(line f1-2 amount_minor)" "1000 1000" "two-sided: the referrer earns on both"
run ally reward explain "$(rew f1-1 id)"
like "$out" "owed to: +f1@example.com" "reward explain: who it is owed to"
like "$out" "flat amount per conversion: 10.00" "reward explain: the arithmetic"
# refund before approval: the first refunded in full -> reversed, and the
# second does not become the first
ally track refund --program FRIENDS --id f1-1 --amount 60.00 --at 2027-04-04 >/dev/null
is "$(rew f1-1 status) $(rew f1-2 id)" "reversed " "two-sided: a refund before approval reverses the reward"
# approval, export to billing, issue; then a refund after issue: an adjustment
buy FRIENDS f2@example.com 80.00 f2-1 2027-04-05
run ally reward approve "$(rew f2-1 id)"
is_rc 0 "reward approve"
ally track refund --program FRIENDS --id f2-1 --amount 30.00 --at 2027-04-06 >/dev/null
is "$(rew f2-1 amount_minor) $(rew f2-1 status)" "1000 approved" "two-sided: a partial refund keeps a flat reward"
run ally export rewards --status approved --csv
is_rc 0 "export rewards --status approved"
is "$(printf '%s\n' "$out" | head -1 | tr -d '\r')" \
    "id,kind,status,amount,currency,email,referral,referrer,program,conversion,original,earned,hold_until,decided_by,reason,issued,rule" \
    "export rewards: the header"
like "$out" "^$(rew f2-1 id),referee,approved,10.00,EUR,f2@example.com," "export rewards: the approved reward"
is "$(printf '%s\n' "$out" | wc -l)" 2 "export rewards: only approved ones"
is "$(ally commission list --json | grep -c '"kind":"referee"')" 0 "a reward is never a commission line (never paid in cash)"
run ally reward mark-issued "$(rew f2-1 id)"
is_rc 0 "reward mark-issued"
ally track refund --program FRIENDS --id f2-1 --amount 50.00 --at 2027-04-07 >/dev/null
is "$(rew f2-1 amount_minor) $(rew f2-1 status) $(rewadj f2-1)" "1000 issued -1000" \
    "two-sided: a refund after issue is an adjustment"
like "$(ally reward list --json | grep -F '"kind":"adjustment"' | grep -F '"conversion":"f2-1",')" \
    '"status":"approved".*"reason":"refund of issued reward"' "the adjustment needs no approval"
# reported late into closed November 2026: dated in the first open month
ally track referral --code FRIENDS --email f3@example.com --at 2026-11-10 >/dev/null
buy FRIENDS f3@example.com 40.00 f3-1 2026-11-12
is "$(rew f3-1 amount_minor)" 1000 "two-sided: a late conversion into a closed month"
like "$(rew f3-1 earned)" "^2026-12-01" "its reward is dated in the first open month"

# percent with a duration: each of the first two purchases, net of refunds
ally program add PAL --rule "percent 5" --referee-reward "percent 10 for 2 conversions" --events purchase \
    --window 30 --hold 0 --activate >/dev/null
ally code new --program PAL --partner Acme --vanity PAL >/dev/null
ally track referral --code PAL --email g@example.com --at 2027-05-01 >/dev/null
buy PAL g@example.com 120.00 g-1 2027-05-02
buy PAL g@example.com 80.00 g-2 2027-05-03
buy PAL g@example.com 50.00 g-3 2027-05-04
is "$(rew g-1 amount_minor) $(rew g-2 amount_minor) $(rew g-3 id)" "1200 800 " \
    "referee percent for 2 conversions: 12.00, 8.00, then nothing"
ally track refund --program PAL --id g-2 --amount 40.00 --at 2027-05-05 >/dev/null
is "$(rew g-2 amount_minor)" 400 "referee percent: a refund before approval (40.00 x 10%)"
ally reward approve "$(rew g-1 id)" >/dev/null
ally track refund --program PAL --id g-1 --amount 20.00 --at 2027-05-06 >/dev/null
is "$(rew g-1 amount_minor) $(rew g-1 status)" "1000 approved" "referee percent: a refund after approval (100.00 x 10%)"

# ingest takes the same keys, and the same file twice changes nothing
{
	printf '%s\n' '{"type":"referral","code":"FRIENDS","email":"h@example.com","at":"2027-06-01"}'
	printf '%s\n' '{"type":"conversion","code":"FRIENDS","email":"h@example.com","event":"purchase","amount":"70.00","id":"h-2","at":"2027-06-09","product":"Pro","plan":"Annual","country":"de"}'
	printf '%s\n' '{"type":"conversion","code":"FRIENDS","email":"h@example.com","event":"purchase","amount":"70.00","id":"h-1","at":"2027-06-02"}'
} >"$tmp/h.jsonl"
run ally ingest "$tmp/h.jsonl"
is_rc 0 "ingest: a referral and two conversions, the later one first"
# h-2 was the first until h-1 arrived: its reward, still pending, is reversed
is "$(rew h-1 amount_minor) $(rew h-2 status)" "1000 reversed" "ingest: the earlier purchase, reported second, is the first"
like "$(ally export conversions --json | grep -F '"external_id":"h-2"')" '"product":"pro","plan":"annual","country":"DE"' \
    "ingest: product, plan and country kept in canonical case"
snapshot
run ally ingest "$tmp/h.jsonl"
is_rc 0 "ingest the same file again"
unchanged "ingest the same file again"

# the CSV import takes the same columns
printf 'code,email,event,amount,id,at,product,plan,country\r\nPLANS,p@example.com,purchase,200.00,p-7,2027-01-08,pro-annual,,AT\r\nPLANS,p@example.com,purchase,200.00,p-8,2027-01-09,basic,monthly,at\r\n' >"$tmp/conv.csv"
run ally import conversions "$tmp/conv.csv"
is_rc 0 "import conversions with product, plan and country"
# 200 x 20% = 40.00 for pro-annual; basic in AT: flat 30.00
is "$(line p-7 amount_minor) $(line p-8 amount_minor)" "4000 3000" "import: the clauses read the imported fields"
printf 'code,email,event,amount,id,at,country\r\nPLANS,p@example.com,purchase,10.00,p-9,2027-01-10,Austria\r\n' >"$tmp/bad.csv"
snapshot
run ally import conversions "$tmp/bad.csv"
is_rc 65 "import: a bad country"
like "$err" 'country: "Austria" is not a two-letter country code' "import names the field and the reason"
unchanged "import: a bad country"

# the referee reward removed: new contacts get none, made rewards follow
# their own rule (g-2's 80.00 refunded to 10.00 left: 1.00)
ally program edit PAL --referee-reward "" >/dev/null
is "$(ally program show PAL --json | jf referee_reward)" "-" "program edit --referee-reward \"\" removes it"
ally track referral --code PAL --email g2@example.com --at 2027-05-01 >/dev/null
buy PAL g2@example.com 100.00 g2-1 2027-05-02
is "$(rew g2-1 id)" "" "no reward once the program has none"
ally track refund --program PAL --id g-2 --amount 30.00 --at 2027-05-07 >/dev/null
is "$(rew g-2 amount_minor)" 100 "a made reward follows its own rule after the program's is removed"

# the program's hold applies to rewards as to commissions
ally program add HOLD --rule "flat 1.00" --referee-reward "flat 5.00" --events purchase --window 30 \
    --hold 30 --activate >/dev/null
ally code new --program HOLD --partner Acme --vanity HOLD >/dev/null
ally track referral --code HOLD --email k@example.com --at 2027-11-20 >/dev/null
buy HOLD k@example.com 20.00 k-1 2027-11-25
bad 65 "ally: reward approve: $(rew k-1 id) on hold until 2027-12-25 (give --override-hold REASON)" \
    "approve a reward on hold" -- ally reward approve "$(rew k-1 id)"
run ally reward approve "$(rew k-1 id)" --override-hold "loyal customer"
is_rc 0 "approve a reward on hold with a reason"
is "$(rew k-1 status) $(rew k-1 reason)" "approved loyal customer" "the override's reason is kept"

# a reward can be rejected, with a reason; a refund then changes nothing
ally track referral --code HOLD --email m@example.com --at 2027-11-20 >/dev/null
buy HOLD m@example.com 20.00 m-1 2027-11-26
bad 64 'ally: reward reject: --reason is required (see ally reward reject --help)' "reject without a reason" -- \
    ally reward reject "$(rew m-1 id)"
run ally reward reject "$(rew m-1 id)" --reason "duplicate account"
is_rc 0 "reward reject"
ally track refund --program HOLD --id m-1 --amount 20.00 --at 2027-11-27 >/dev/null
is "$(rew m-1 status) $(rew m-1 amount_minor) $(rewadj m-1)" "rejected 500 " "a rejected reward is left alone"

# decisions refused: one line, nothing written
bad 65 "ally: reward mark-issued: $(rew g-2 id) is pending: only approved rewards can be marked issued" \
    "mark-issued of a pending reward" -- ally reward mark-issued "$(rew g-2 id)"
bad 66 'ally: reward approve: reward "RW999" not found' "approve an unknown reward" -- ally reward approve RW999
bad 65 'ally: program add: referee-reward: "tiered count month graduated 0:5%" must be flat or percent, optionally with cap and for (e.g. "flat 10.00")' \
    "a tiered referee reward" -- ally program add X --rule "flat 1" --referee-reward "tiered count month graduated 0:5%"
bad 65 'ally: program add: referee-reward: rule: word 5 "weeks": expected months or conversions' \
    "a bad referee duration" -- ally program add X --rule "flat 1" --referee-reward "flat 5 for 2 weeks"
bad 64 'ally: reward list: --status: "paid" must be pending, approved, rejected, issued or reversed (see ally reward list --help)' \
    "reward list --status paid" -- ally reward list --status paid

run ally check
is_rc 0 "check: everything agrees"

# a conversion's kept place damaged behind ally's back is found
CORRUPT=${CORRUPT:-$(dirname "$ALLY")/../tests/tools/corrupt}
cv=$(ally export conversions --json | grep -F '"external_id":"r-3"' | jf id)
"$CORRUPT" "$ALLY_DB" conversion "$cv" ordinal 7 || echo "# corrupt failed"
run ally check
is_rc 65 "check: a damaged place"
like "$out" "conversion $cv: kept as conversion 7 of referral RF[0-9]+, but it is conversion 3" \
    "check names the conversion and its place"

# ---- bad rules and bad conversion fields: one line, nothing written ----
bad 65 'ally: program add: rule: word 5 "weeks": expected months or conversions' "a duration in weeks" -- \
    ally program add X --rule "percent 25 for 12 weeks"
bad 65 'ally: program add: rule: word 2 "colour=red": expected a condition: event=, product=, plan=, country=, first, repeat, amount>=A or amount<A' \
    "an unknown condition" -- ally program add X --rule "when colour=red percent 5"
bad 65 'ally: program add: rule: word 3 "tiered": tiered cannot be combined with when or other clauses' \
    "tiered with when" -- ally program add X --rule "when first tiered count month graduated 0:5%"
bad 65 'ally: program add: rule: word 4 "when": the clause before has no when: the default must be last' \
    "a default before a clause" -- ally program add X --rule "percent 10; when first percent 20"
bad 65 'ally: program edit: rule: word 2 "country=Germany": a country is a two-letter code (ISO 3166), e.g. DE' \
    "edit with a bad country" -- ally program edit PLANS --rule "when country=Germany flat 5"
bad 65 'ally: track conversion: country: "Germany" is not a two-letter country code (ISO 3166), e.g. DE' \
    "a conversion's country" -- ally track conversion --code PLANS --email p@example.com --event purchase \
    --amount 10 --id p-9 --at 2027-01-08 --country Germany
bad 65 'ally: track conversion: product: "Pro Annual" must be 1 to 64 letters, digits and - _ . / : +' \
    "a conversion's product" -- ally track conversion --code PLANS --email p@example.com --event purchase \
    --amount 10 --id p-9 --at 2027-01-08 --product "Pro Annual"
bad 65 'ally: track conversion: plan: "\e[31m" must be 1 to 64 letters, digits and - _ . / : +' \
    "a conversion's plan holding ESC" -- ally track conversion --code PLANS --email p@example.com \
    --event purchase --amount 10 --id p-9 --at 2027-01-08 --plan $'\e[31m'
printf '%s\n' '{"type":"conversion","code":"PLANS","email":"p@example.com","event":"purchase","amount":"10.00","id":"p-9","at":"2027-01-08","country":"D"}' \
    '{"type":"referral","code":"PLANS","email":"q@example.com","at":"2027-01-08","plan":"x"}' >"$tmp/bad.jsonl"
snapshot
run ally ingest "$tmp/bad.jsonl"
is_rc 65 "ingest: bad conversion fields"
like "$err" ':1: country: "D" is not a two-letter country code' "ingest names the line and the field"
like "$err" ':2: plan: not a field of a referral' "ingest: plan is not a field of a referral"
unchanged "ingest: bad conversion fields"

done_testing
