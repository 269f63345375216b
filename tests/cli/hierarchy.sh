#!/bin/sh
# hierarchy.sh - partner hierarchies (DESIGN.md 3, "Partner hierarchies"):
# a parent takes its tier's (else the program's) --override share of each
# line its sub-partners earn, after caps, as a line of kind override that
# points at the sub-partner's line and follows every change of it
# (refunds, the cap moving, reversal, adjustments), reversed while unpaid
# and clawed back once paid; one level only, no cycles; statements show
# the sub-partner's name; ally check holds the overrides to their share.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"

jf() {
	sed -nE "s/.*\"$1\":(\"[^\"]*\"|[^,}]*).*/\1/p" | sed 's/^"//; s/"$//; s/^null$/-/'
}
field() {
	ally commission list --json | grep -F "{\"id\":\"$1\"," | jf "$2"
}
line_of() {  # the sub-partner's main line of a conversion
	ally commission list --json | grep -F '"kind":"commission"' | grep -F "\"conversion\":\"$1\"," | jf id
}
# The override lines following line $1: "STATUS:AMOUNT ..." oldest first
overrides() {
	ally commission list --json | grep -F '"kind":"override"' | grep -F "\"original\":\"$1\"," |
	    sed -nE 's/.*"id":"C([0-9]+)".*"status":"([a-z]+)","amount":"([-0-9.]+)".*/\1 \2:\3/p' |
	    sort -n | cut -d' ' -f2 | tr '\n' ' ' | sed 's/ $//'
}
buy() {  # buy CODE AMOUNT ID AT
	ally track referral --code "$1" --email "buyer-$3@example.com" --at "${4%T*}" >/dev/null &&
	ally track conversion --code "$1" --email "buyer-$3@example.com" --event purchase \
	    --amount "$2" --id "$3" --at "$4" >/dev/null
}
checksum() {
	printf '%s\n' "$out" | sed -n 's/^checksum: //p'
}

export ALLY_NOW=2026-10-20T12:00:00Z
ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
run ally tier add Agencies --rule "percent 10" --override 10%
is_rc 0 "a tier whose parents take 10%"
is "$(ally tier show Agencies --json | jf override)" "10" "the tier's override"
run ally program add Spring --rule "percent 10" --cap 50.00 --events purchase --window 365 --hold 0 \
    --activate --override 5
is_rc 0 "a program with a 5% override and a 50.00 monthly cap"
is "$(ally program show Spring --json | jf override)" "5" "the program's override"
ally partner add Agency --email a@agency.example --tier Agencies >/dev/null
ally partner add Solo --email s@solo.example >/dev/null
for k in Kay Kim Kit; do
	run ally partner add $k --email "x@$k.example" --parent Agency
	is_rc 0 "$k is a sub-partner of Agency"
	ally code new --program Spring --partner $k --vanity $k >/dev/null
done
ally partner add Kev --email x@kev.example --parent Solo >/dev/null
ally code new --program Spring --partner Kev --vanity Kev >/dev/null
is "$(ally partner show Kay --json | jf parent)" "Agency" "partner show names the parent"

# ---- one level, no cycles ----

snapshot
bad 65 'ally: partner edit: parent: Kim is a sub-partner itself (one level only)' \
    "a sub-partner's sub-partner" -- ally partner edit Kay --parent Kim
bad 65 'ally: partner edit: parent: this partner has sub-partners of its own (one level only)' \
    "a parent under another parent" -- ally partner edit Agency --parent Solo
bad 65 'ally: partner edit: parent: a partner cannot be its own parent' \
    "its own parent" -- ally partner edit Solo --parent Solo
bad 66 'ally: partner edit: parent: partner "Nobody" not found' \
    "an unknown parent" -- ally partner edit Kay --parent Nobody
bad 65 'ally: program edit: override: at most 100%, a share of the sub-partner'"'"'s line' \
    "an override above 100%" -- ally program edit Spring --override 150
bad 65 'ally: tier edit: override: "ten" is not a percentage (want e.g. 7.5 for 7.5%)' \
    "an override that is not a rate" -- ally tier edit Agencies --override ten

# ---- three children: the parent's share follows each line, after caps ----

buy Kay 300.00 A1 2026-10-01T10:00:00Z
buy Kim 800.00 B1 2026-10-02T10:00:00Z
buy Kim 100.00 B2 2026-10-03T10:00:00Z
buy Kit 200.00 C1 2026-10-04T10:00:00Z
buy Kit 200.00 C2 2026-10-05T10:00:00Z
buy Kev 100.00 D1 2026-10-05T11:00:00Z
a1=$(line_of A1) b1=$(line_of B1) b2=$(line_of B2) c1=$(line_of C1) c2=$(line_of C2) d1=$(line_of D1)
is "$(field "$a1" amount) $(overrides "$a1")" "30.00 pending:3.00" "Kay's 30.00 gives Agency 3.00 (its tier's 10%)"
is "$(field "$b1" amount) $(overrides "$b1")" "50.00 pending:5.00" "Kim's 80.00 is capped at 50.00: the override is 5.00, after the cap"
is "$(field "$b2" amount) $(overrides "$b2")" "0.00 " "Kim's next line earns nothing under the cap: no override"
is "$(overrides "$c1") $(overrides "$c2")" "pending:2.00 pending:2.00" "Kit's two lines: 2.00 each"
is "$(overrides "$d1")" "pending:0.50" "Solo has no tier: the program's 5% of Kev's 10.00"
o=$(ally commission list --json | grep -F "\"original\":\"$a1\"," | jf id)
is "$(field "$o" partner) $(field "$o" conversion) $(field "$o" kind)" "Agency - override" \
    "the override line is the parent's, with no conversion of its own"
run ally commission explain "$o"
like "$out" "override 10% of $a1, a commission line of sub-partner Kay: 30\\.00 x 10% = 3\\.00" \
    "explain shows the share of the sub-partner's line"

# ---- refunds: pending overrides follow; the cap moving moves them too ----

ally track refund --program Spring --id A1 --amount 100.00 >/dev/null
is "$(field "$a1" amount) $(overrides "$a1")" "20.00 pending:2.00" "Kay refunded to 20.00: the override is 2.00"
ally track refund --program Spring --id B1 --amount 400.00 >/dev/null
is "$(field "$b1" amount) $(field "$b2" amount)" "40.00 10.00" "Kim's refund frees room under the cap: 40.00 and 10.00"
is "$(overrides "$b1") $(overrides "$b2")" "pending:4.00 pending:1.00" "both overrides follow: 4.00 and 1.00"
run ally check
is "$out" "ok: no problems found" "ally check holds every override to its share"

# ---- paid, then refunded: the override is clawed back ----

ally commission approve $(ally commission list --partner Agency --json | jf id) >/dev/null
run ally payout preview --cutoff 2026-10-20 --partner Agency
like "$out" '^Agency +a@agency\.example +5 +11\.00$' "Agency's payout: 2 + 4 + 1 + 2 + 2 = 11.00 of overrides"
ally payout run --cutoff 2026-10-20 --partner Agency --confirm "$(checksum)" --output "$tmp/pa.csv" >/dev/null
is "$(overrides "$c1")" "paid:2.00" "the override is paid"
ally track refund --program Spring --id C1 --amount 200.00 >/dev/null
is "$(field "$c1" status)" "reversed" "Kit's refunded line is reversed"
is "$(overrides "$c1")" "paid:2.00 approved:-2.00" "the paid override is clawed back: -2.00, approved"
ca=$(ally commission list --json | grep -F "\"original\":\"$c1\"," | grep -F '"amount":"-2.00"' | jf id)
is "$(field "$ca" reason)" "sub-partner's line changed after its override was approved" "the clawback's reason"
run ally commission reject "$ca" --reason "no"
is_rc 65 "the override clawback cannot be rejected"

# ---- a sub-partner's clawback: the parent's share of it is a clawback too ----

ally commission approve "$b1" >/dev/null
run ally payout preview --cutoff 2026-10-20 --partner Kim
ally payout run --cutoff 2026-10-20 --partner Kim --confirm "$(checksum)" --output "$tmp/pk.csv" >/dev/null
is "$(field "$b1" status)" "paid" "Kim's first line is paid"
ally track refund --program Spring --id B1 --amount 100.00 >/dev/null
kb=$(ally commission list --json | grep -F '"kind":"adjustment"' | grep -F "\"original\":\"$b1\"," | jf id)
is "$(field "$kb" status) $(field "$kb" amount)" "approved -10.00" "Kim's paid line is clawed back: -10.00"
is "$(overrides "$kb")" "approved:-1.00" "Agency's share of the clawback, -1.00, is created approved"
bad 65 "ally: commission reject: $(ally commission list --json | grep -F "\"original\":\"$kb\"," | jf id) is a clawback: approved when it was made, it nets against the next payout and cannot be rejected" \
    "the share of a clawback cannot be rejected" -- ally commission reject \
    "$(ally commission list --json | grep -F "\"original\":\"$kb\"," | jf id)" --reason no

# ---- statements: the parent's names the sub-partner; the child's never the parent ----

run ally statement Agency --month 2026-10
like "$out" "^C[0-9]+ +2026-10-0[0-9] override +paid +Kit " "the parent's statement names the sub-partner"
like "$out" '^  of which overrides +8\.00$' "overrides in their own row (11.00 - 2.00 - 1.00)"
run ally statement Agency --month 2026-10 --csv
like "$out" '^earned_override,,,,,8\.00,EUR' "the CSV's earned_override row"
run ally statement Kit --month 2026-10
unlike "$out" 'Agency|override' "the sub-partner's statement shows nothing of the parent's"
run ally report --csv
like "$out" '^override_accrued,paid,5,11\.00,EUR' "report: paid overrides apart from commission"
like "$out" '^override_accrued,approved,2,-3\.00,EUR' "report: the two override clawbacks"
like "$out" '^commission_accrued,paid,1,40\.00,EUR' "report: paid commission is Kim's line alone, no override"

# ---- a sub-partner's won deal: its line gets the parent's tier's share ----

ally settings set --deal-rule "flat 250.00" >/dev/null
ally deal register --partner Kit --company "Big Buyer GmbH" --domain bigbuyer.example --value 5000.00 >/dev/null
dl=$(ally deal list --json | jf id | tail -n 1)
ally deal approve "$dl" >/dev/null
run ally deal win "$dl" --value 6000.00
is_rc 0 "Kit wins its deal"
dc=$(ally commission list --json | grep -F "\"deal\":\"$dl\"," | jf id)
is "$(field "$dc" amount) $(overrides "$dc")" "250.00 pending:25.00" "the deal's 250.00 gives Agency 25.00 (its tier's 10%)"

# ---- a parent removed: old overrides follow; new lines have none ----

ally partner edit Kay --parent "" >/dev/null
is "$(ally partner show Kay --json | jf parent)" "-" '--parent "" removes the parent'
ally track refund --program Spring --id A1 --amount 50.00 >/dev/null
is "$(field "$a1" amount) $(overrides "$a1")" "15.00 paid:2.00 approved:-0.50" \
    "a line made under the parent keeps following: 0.50 clawed back"
buy Kay 100.00 A2 2026-10-10T10:00:00Z
is "$(overrides "$(line_of A2)")" "" "a line made without a parent has no override"
export ALLY_NOW=2026-10-21T12:00:00Z
ally partner edit Kay --parent Agency >/dev/null
ally commission approve "$(line_of A2)" >/dev/null
is "$(overrides "$(line_of A2)")" "" "approving a line made before the parent was set makes no override"
buy Kay 100.00 A3 2026-10-21T10:00:00Z
is "$(overrides "$(line_of A3)")" "pending:1.00" "a line made once the parent is back has its override"
run ally check
is "$out" "ok: no problems found" "ally check at the end"

# ---- random sequences: the parent's overrides are each line's share, in any order ----

setup() {  # setup DBDIR
	ALLY_DB=$1 ally init --org Tree --currency EUR >/dev/null &&
	ALLY_DB=$1 ally tier add Agencies --rule "percent 10" --override 7.5 >/dev/null &&
	ALLY_DB=$1 ally partner add Hub --email h@hub.example --tier Agencies >/dev/null &&
	ALLY_DB=$1 ally program add P --rule "tiered revenue month graduated 0:5% 1000.00:8%" --cap 150.00 \
	    --bonus "20.00 at 4 conversions month" --window 400 --hold 0 --activate >/dev/null &&
	for c in Ann Bob Cyd; do
		ALLY_DB=$1 ally partner add $c --email "x@$c.example" --parent Hub >/dev/null &&
		ALLY_DB=$1 ally code new --program P --partner $c --vanity "CODE$c" >/dev/null || return 1
	done
}
gen() {  # 120 referrals over the first half of 2026; refunds in part or in full
	awk -v seed="$1" 'BEGIN {
		srand(seed);
		base = 1767225600;      # 2026-01-01
		split("Ann Bob Cyd", who, " ");
		for (i = 1; i <= 120; i++) {
			c = who[1 + int(rand() * 3)];
			t = base + int(rand() * 170) * 86400 + int(rand() * 80000);
			printf "%d {\"type\":\"referral\",\"code\":\"CODE%s\",\"email\":\"k%d@x.example\",\"at\":\"%s\"}\n", t, c, i, strftime("%Y-%m-%dT%H:%M:%SZ", t, 1);
			if (rand() < 0.9) {
				amt = 1000 + int(rand() * 90000);
				tc = t + 600 + int(rand() * 5) * 86400;
				printf "%d {\"type\":\"conversion\",\"code\":\"CODE%s\",\"email\":\"k%d@x.example\",\"event\":\"purchase\",\"amount\":\"%d.%02d\",\"id\":\"O%d\",\"at\":\"%s\"}\n", tc, c, i, amt / 100, amt % 100, i, strftime("%Y-%m-%dT%H:%M:%SZ", tc, 1);
				r = rand();
				ref = r < 0.12 ? amt : r < 0.3 ? int(amt / 3) : 0;
				tr = tc + 86400 * (1 + int(rand() * 60));
				if (ref > 0)
					printf "%d {\"type\":\"refund\",\"program\":\"P\",\"id\":\"O%d\",\"amount\":\"%d.%02d\",\"at\":\"%s\"}\n", tr, i, ref / 100, ref % 100, strftime("%Y-%m-%dT%H:%M:%SZ", tr, 1);
			}
		}
	}'
}
# cents: the parent's override lines that count, and the sum of each
# counting sub-partner line's share, rounded half away from zero
shares() {
	ALLY_DB=$1 ally commission list --json | awk '
		{ kind = $0; sub(/.*"kind":"/, "", kind); sub(/".*/, "", kind)
		  st = $0; sub(/.*"status":"/, "", st); sub(/".*/, "", st)
		  m = $0; sub(/.*"amount_minor":/, "", m); sub(/[,}].*/, "", m)
		  p = $0; sub(/.*"partner":"/, "", p); sub(/".*/, "", p)
		  if (st == "rejected" || st == "reversed") next
		  if (kind == "override") got += m
		  else if (p != "Hub") { v = m * 75; q = int((v < 0 ? -v : v) / 1000 + 0.5); want += v < 0 ? -q : q } }
		END { printf "%d %d\n", got, want }'
}
for seed in 1 2 3; do
	gen $seed >"$tmp/h$seed"
	rm -rf "$tmp/x" "$tmp/y"
	setup "$tmp/x" && setup "$tmp/y" || { not_ok "seed $seed: set-up"; continue; }
	cut -d' ' -f2- "$tmp/h$seed" >"$tmp/ex"
	sort -n -s -k1,1 "$tmp/h$seed" | cut -d' ' -f2- >"$tmp/ey"
	ALLY_DB=$tmp/x ally ingest "$tmp/ex" 2>/dev/null
	is "$?" 0 "seed $seed: every event accepted (by contact)"
	ALLY_DB=$tmp/y ally ingest "$tmp/ey" 2>/dev/null
	is "$?" 0 "seed $seed: every event accepted (in time order)"
	for db in x y; do
		set -- $(shares "$tmp/$db")
		if [ "$#" -eq 2 ] && [ "$1" = "$2" ] && [ "$1" != 0 ]; then
			ok "seed $seed ($db): the overrides are each line's 7.5%, rounded once ($1 cents)"
		else
			not_ok "seed $seed ($db): the overrides are each line's 7.5%, rounded once" "got: $*"
		fi
	done
	is "$(ALLY_DB=$tmp/x ally check) $(ALLY_DB=$tmp/y ally check)" "ok: no problems found ok: no problems found" \
	    "seed $seed: ally check verifies both"
done

done_testing
