#!/bin/sh
# deal.sh - ally deal register|check|approve|reject|win|lose|list|show|pipeline,
# ally import deals, ally settings --deal-rule: conflicts with partner and
# direct deals (domain, normalised company), two partners racing for one
# domain, expiry at the exact end of exclusivity in the organisation's zone,
# the per-tier limit, reject reasons, a won deal's commission to the cent,
# the pipeline, permissions and bad input.
#
# Now is 2026-10-15T12:00:00Z (lib.sh sets ALLY_NOW); the organisation is in
# Europe/Berlin (CEST, UTC+2, until 2026-10-25; then CET, UTC+1).
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"

# jget TEXT LINE KEY: a field of the LINE-th JSON object of TEXT (ally's
# flat objects; a string unquoted, null as null).  Plain sed: python3 costs
# a tenth of a second a start.
jget() {
	printf '%s\n' "$1" | sed -n "${2}p" |
	    sed -n -E "s/.*\"$3\":(\"(([^\"\\\\]|\\\\.)*)\"|([^,}]*)).*/\2\4/p" |
	    sed -e 's/\\"/"/g' -e 's/\\\\/\\/g'
}

# nlines TEXT: how many JSON objects.
nlines() {
	printf '%s\n' "$1" | grep -c '^{'
}

# jcount TEXT EXPR: how many JSON lines o satisfy the Python expression.
jcount() {
	printf '%s\n' "$1" | python3 -c 'import json,sys
n = 0
for l in sys.stdin:
    if l.strip():
        o = json.loads(l)
        n += bool(eval(sys.argv[1]))
print(n)' "$2" 2>/dev/null
}

as() {  # as LOGIN ally ARGS...
	_as=$1
	shift 2
	ALLY_USER=$_as "$ALLY" "$@"
}

use_db() {
	export ALLY_DB=$tmp/$1
}

cd "$tmp" || exit 1

# ======================================================================
# Main database
# ======================================================================
use_db main
ally init --timezone Europe/Berlin >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally tier add Gold --rule "percent 10" --exclusivity 30 >/dev/null
ally tier add Bronze --rule "flat 50.00" --max-deals 2 >/dev/null
ally partner add Acme --email ann@acme.example --tier Gold >/dev/null       # P1
ally partner add Bolt --email bo@bolt.example --tier Gold >/dev/null       # P2
ally partner add Cobalt --email cy@cobalt.example >/dev/null               # P3, no tier
ally partner add Dune --email di@dune.example --tier Bronze >/dev/null     # P4
ally partner add Sleepy --email sl@sleepy.example >/dev/null               # P5
ally partner suspend Sleepy >/dev/null

# ---- register, normalised ----

run ally deal register --partner Acme --company "Northwind GmbH" \
    --domain "https://WWW.Northwind.com./pricing?x=1" --value 12000.00 --close 2026-12-01 \
    --contact Bob@Northwind.com --notes "met at the fair"
is_rc 0 "register a partner deal"
is "$out" "D1" "register prints the deal's id"
is "$err" "" "a free registration writes nothing on stderr"
run ally deal show D1 --json
is "$(jget "$out" 1 domain)" "northwind.com" "the domain is normalised (scheme, www., case, trailing dot, path, query)"
is "$(jget "$out" 1 company)" "Northwind GmbH" "the company is kept as typed"
is "$(jget "$out" 1 stage)" "submitted" "a new registration is submitted"
is "$(jget "$out" 1 source)" "partner" "source partner"
is "$(jget "$out" 1 partner)" "Acme" "the partner"
is "$(jget "$out" 1 value_minor)" "1200000" "estimated value"
is "$(jget "$out" 1 close)" "2026-12-01" "expected close date"
is "$(jget "$out" 1 contact)" "bob@northwind.com" "contact normalised"

run ally deal check --domain northwind.com
is_rc 0 "a submitted registration does not block yet"
is "$out" "no conflict" "check: no conflict"

run ally deal approve D1
is_rc 0 "approve"
is "$out" "D1 approved" "approve prints what it did"
run ally deal show D1 --json
is "$(jget "$out" 1 stage)" "approved" "approved"
# Approved on 2026-10-15 (Berlin), Gold's 30 days: exclusive until 2026-11-14.
is "$(jget "$out" 1 exclusive_until)" "2026-11-14" "exclusive until the approval date + the tier's 30 days"

# ---- conflicts with a partner deal ----

run ally deal check --domain NorthWind.COM
is_rc 65 "check: an approved registration of the same domain"
is "$out" "conflict: D1 (Acme, approved, 31 days of exclusivity left): same domain northwind.com" \
    "check names the record and its days left"
run ally deal check --domain https://www.northwind.com/about
is_rc 65 "check normalises the domain it is given"
run ally deal check --domain northwind.io --company "NORTHWIND, gmbh"
is_rc 65 "check: the same normalised company, another domain"
is "$out" "conflict: D1 (Acme, approved, 31 days of exclusivity left): same company Northwind GmbH" \
    "a company conflict names the record"
run ally deal check --company "Northwind Inc."
is_rc 65 "check by company alone, another legal suffix"
run ally deal check --domain northwind.org --company "Northwind Traders"
is_rc 0 "another domain and another company: free"
is "$out" "no conflict" "free: no conflict"
run ally deal check --domain sub.northwind.com
is_rc 0 "a sub-domain is another domain"

snapshot
run ally deal check --domain northwind.com
unchanged "check writes nothing"

run ally deal register --partner Bolt --company "Other Name" --domain northwind.com --value 5000.00
is_rc 0 "a conflicting registration is recorded"
is "$out" "D2" "the conflicting registration's id"
is "$err" "in conflict with D1 (Acme, approved, 31 days of exclusivity left): same domain northwind.com" \
    "register names the conflicting record and its days left"
run ally deal show D2 --json
is "$(jget "$out" 1 stage)" "conflict" "recorded in stage conflict"
is "$(jget "$out" 1 reason)" \
    "conflicts with D1 (Acme, approved, 31 days of exclusivity left): same domain northwind.com" \
    "the conflict is the reason the partner sees"

run ally deal register --partner Bolt --company "northwind ltd." --domain northwind.de --value 10.00
is_rc 0 "register: same normalised company, other domain"
is "$err" "in conflict with D1 (Acme, approved, 31 days of exclusivity left): same company Northwind GmbH" \
    "a conflict by company is named"
run ally deal show D3 --json
is "$(jget "$out" 1 stage)" "conflict" "company conflict: stage conflict"

bad 65 'ally: deal approve: deal D2 conflicts with D1 (Acme, approved, 31 days of exclusivity left): same domain northwind.com' \
    "approving a registration that conflicts" -- ally deal approve D2

# ---- conflicts with a direct deal ----

run ally deal register --direct --company "Contoso Ltd" --domain contoso.com --value 5000.00
is_rc 0 "a direct deal"
is "$out" "D4" "direct deal id"
run ally deal show D4 --json
is "$(jget "$out" 1 source)" "direct" "source direct"
is "$(jget "$out" 1 partner)" "null" "a direct deal has no partner"
is "$(jget "$out" 1 stage)" "approved" "a direct deal is open at once"

run ally deal check --domain www.contoso.com
is_rc 65 "check: an open direct deal with the same domain"
is "$out" "conflict: D4 (direct pipeline, open direct deal): same domain contoso.com" "direct conflict named"
run ally deal check --domain contoso.de --company "CONTOSO"
is_rc 65 "check: an open direct deal with the same company"
is "$out" "conflict: D4 (direct pipeline, open direct deal): same company Contoso Ltd" \
    "direct company conflict named"

run ally deal register --partner Acme --company "Contoso" --domain http://contoso.com/ --value 100.00
is_rc 0 "registering a customer in the direct pipeline"
is "$out" "D5" "recorded"
is "$err" "in conflict with D4 (direct pipeline, open direct deal): same domain contoso.com" \
    "the direct deal is named"
run ally deal register --partner Acme --company "Contoso, L.L.C." --domain contoso.fr --value 100.00
is "$err" "in conflict with D4 (direct pipeline, open direct deal): same company Contoso Ltd" \
    "a direct deal's company is named"
run ally deal show D6 --json
is "$(jget "$out" 1 stage)" "conflict" "direct company conflict: stage conflict"

run ally deal lose D4 --reason "went with a competitor"
is_rc 0 "lose the direct deal"
run ally deal check --domain contoso.com --company Contoso
is_rc 0 "a lost direct deal no longer blocks"

# ---- reject, with a reason the partner sees ----

bad 64 'ally: deal reject: --reason is required (see ally deal reject --help)' \
    "reject without --reason" -- ally deal reject D3
bad 64 'ally: deal reject: reason: missing (--reason TEXT: the partner will see it)' \
    "reject with an empty reason" -- ally deal reject D3 --reason ""
run ally deal reject D3 --reason "Acme registered Northwind first"
is_rc 0 "reject with a reason"
is "$out" "D3 rejected" "reject prints what it did"
run ally deal show D3 --json
is "$(jget "$out" 1 stage)" "rejected" "rejected"
is "$(jget "$out" 1 reason)" "Acme registered Northwind first" "the reason is kept for the partner"
run ally deal list --partner Bolt --json
is "$(jcount "$out" 'o["id"] == "D3" and o["reason"] == "Acme registered Northwind first"')" "1" \
    "the reason is in the partner's list"
bad 65 'ally: deal reject: deal D3 is rejected: it cannot be rejected' \
    "rejecting twice" -- ally deal reject D3 --reason again

# ---- win needs an approval first ----

bad 65 'ally: deal win: deal D2 is conflict: it cannot be won (approve it first)' \
    "win a registration in conflict" -- ally deal win D2 --value 10.00
ally deal register --partner Bolt --company "Fabrikam" --domain fabrikam.com --value 700.00 >/dev/null  # D7
bad 65 'ally: deal win: deal D7 is submitted: it cannot be won (approve it first)' \
    "win a submitted registration" -- ally deal win D7 --value 700.00
bad 64 'ally: deal win: --value is required (see ally deal win --help)' \
    "win without --value" -- ally deal win D1
bad 65 'ally: deal win: value: "12.345" has more decimals than EUR allows (2)' \
    "win with a bad value" -- ally deal win D1 --value 12.345

# ---- a won deal's commission, to the cent ----

# Gold: percent 10 of 12,345.65 = 1,234.565 -> half away from zero: 1,234.57.
run ally deal win D1 --value 12345.65
is_rc 0 "win an approved deal"
is "$out" "D1 won" "win prints what it did"
run ally deal show D1 --json
is "$(jget "$out" 1 stage)" "won" "won"
is "$(jget "$out" 1 final_value_minor)" "1234565" "the final value"
run ally commission list --partner Acme --json
is "$(nlines "$out")" "1" "one commission line for the won deal"
is "$(jget "$out" 1 amount)" "1234.57" "tier rule: 10% of 12,345.65 to the cent"
is "$(jget "$out" 1 amount_minor)" "123457" "tier rule: in minor units"
is "$(jget "$out" 1 rule)" "percent 10" "the tier's rule"
is "$(jget "$out" 1 status)" "pending" "the line waits in the Commissions queue"
is "$(jget "$out" 1 deal)" "D1" "the commission line names its deal"
run ally deal check --domain northwind.com
is_rc 0 "a won deal no longer blocks"

# Cobalt has no tier and there is no default deal rule: no commission.
ally deal register --partner Cobalt --company "Tailspin Toys" --domain tailspin.example --value 800.00 >/dev/null  # D8
ally deal approve D8 >/dev/null
run ally deal win D8 --value 800.00
is_rc 0 "win without any deal rule"
run ally commission list --partner Cobalt --json
is "$(nlines "$out")" "0" "no rule: no commission"

bad 65 'ally: settings set: rule: word 1 "bogus": expected flat, percent, tiered or when' \
    "a bad default deal rule" -- ally settings set --deal-rule bogus
run ally settings set --deal-rule "flat 250.00"
is_rc 0 "set the default deal rule"
is "$out" "settings saved" "settings saved"
run ally settings show
like "$out" '^deal_rule: flat 250\.00$' "settings show the default deal rule"

ally deal register --partner Cobalt --company "Wingtip" --domain wingtip.example --value 999.99 >/dev/null  # D9
ally deal approve D9 >/dev/null
run ally deal win D9 --value 999.99
is_rc 0 "win with the default deal rule"
run ally commission list --partner Cobalt --json
is "$(nlines "$out")" "1" "the default rule pays a partner without a tier rule"
is "$(jget "$out" 1 amount)" "250.00" "default deal rule: flat 250.00"
is "$(jget "$out" 1 rule)" "flat 250.00" "the default rule is recorded"

# The tier's rule still wins over the default: 10% of 1,000.05 = 100.005 -> 100.01.
ally deal approve D7 >/dev/null
ally deal win D7 --value 1000.05 >/dev/null
run ally commission list --partner Bolt --json
is "$(jget "$out" 1 amount)" "100.01" "the tier rule before the default, half a cent rounded up"
is "$(jget "$out" 1 rule)" "percent 10" "the tier rule is recorded"

# ---- the per-tier limit of open registrations ----

ally deal register --partner Dune --company "Dune One" --domain one.example --value 1.00 >/dev/null  # D10
ally deal register --partner Dune --company "Dune Two" --domain two.example --value 1.00 >/dev/null  # D11
bad 65 'ally: deal register: partner: Dune has 2 open registrations, the most tier Bronze allows' \
    "a registration over the tier's limit" -- \
    ally deal register --partner Dune --company "Dune Three" --domain three.example --value 1.00
ally deal reject D10 --reason "not a fit" >/dev/null
run ally deal register --partner Dune --company "Dune Three" --domain three.example --value 1.00
is_rc 0 "a closed registration frees its place"

# ---- bad input ----

bad 65 'ally: deal register: domain: "not a domain" is not a web domain (like example.com)' \
    "bad domain" -- ally deal register --partner Acme --company X --domain "not a domain" --value 1.00
bad 65 'ally: deal register: domain: "bücher.de" is not a web domain (like example.com)' \
    "IDN domain not in punycode" -- ally deal register --partner Acme --company X --domain bücher.de --value 1.00
bad 65 'ally: deal register: domain: "intranet" is not a web domain (like example.com)' \
    "domain without a dot" -- ally deal register --partner Acme --company X --domain intranet --value 1.00
bad 65 'ally: deal register: value: "1.234" has more decimals than EUR allows (2)' \
    "value with too many decimals" -- ally deal register --partner Acme --company X --domain x.example --value 1.234
bad 65 'ally: deal register: value: "-5" must not be negative' \
    "negative value" -- ally deal register --partner Acme --company X --domain x.example --value -5
bad 65 "ally: deal register: value: \"ten\" is not an amount (want digits with '.' for decimals and no thousands separators, e.g. 12.50)" \
    "value not a number" -- ally deal register --partner Acme --company X --domain x.example --value ten
bad 66 'ally: deal register: partner "Nope" not found' \
    "unknown partner" -- ally deal register --partner Nope --company X --domain x.example --value 1.00
bad 65 'ally: deal register: partner: Sleepy is suspended' \
    "suspended partner" -- ally deal register --partner Sleepy --company X --domain x.example --value 1.00
bad 64 'ally: deal register: partner: missing (--partner, or --direct for a direct deal)' \
    "neither --partner nor --direct" -- ally deal register --company X --domain x.example --value 1.00
bad 64 'ally: deal register: partner: a direct deal has no partner' \
    "--direct with --partner" -- ally deal register --direct --partner Acme --company X --domain x.example --value 1.00
bad 65 'ally: deal register: company: must not be empty' \
    "empty company" -- ally deal register --partner Acme --company "" --domain x.example --value 1.00
bad 65 'ally: deal register: close: "2026-13-01" is not a valid date (want YYYY-MM-DD)' \
    "bad close date" -- ally deal register --partner Acme --company X --domain x.example --value 1.00 --close 2026-13-01
bad 64 'ally: deal register: --domain is required (see ally deal register --help)' \
    "missing --domain" -- ally deal register --partner Acme --company X --value 1.00
bad 66 'ally: deal approve: deal "D99" not found' "approve an unknown deal" -- ally deal approve D99
bad 64 'ally: deal check: domain: give --domain (and/or --company)' "check without anything" -- ally deal check
bad 65 'ally: deal check: domain: "bad" is not a web domain (like example.com)' "check a bad domain" -- \
    ally deal check --domain bad
bad 64 'ally: deal list: --stage: "nope" is not a deal stage (see ally deal list --help)' "list a bad stage" -- \
    ally deal list --stage nope

# ---- permissions ----

if [ "$(id -u)" = 0 ]; then
	ally user add sam --role support >/dev/null
	ally user add mia --role manager >/dev/null
	bad 77 'ally: deal register: you (sam, support) may not register deals' \
	    "support cannot register" -- as sam ally deal register --partner Acme --company X --domain x.example --value 1.00
	run as mia ally deal register --partner Acme --company "Mia's Pick" --domain mia.example --value 1.00
	is_rc 0 "a program manager may register"
	mid=$out
	bad 77 'ally: deal approve: you (mia, manager) may not review deals' \
	    "a program manager cannot approve" -- as mia ally deal approve "$mid"
	bad 77 'ally: deal reject: you (mia, manager) may not review deals' \
	    "a program manager cannot reject" -- as mia ally deal reject "$mid" --reason no
	bad 77 'ally: settings set: you (mia, manager) may not manage users and settings' \
	    "a program manager cannot set the deal rule" -- as mia ally settings set --deal-rule "flat 1.00"
	run as sam ally deal list
	is_rc 0 "support may read deals"
else
	for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14; do
		ok "# SKIP acting as other accounts (ALLY_USER) needs root"
	done
fi

# ======================================================================
# Two partners registering the same domain at once
# ======================================================================
use_db race
ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally partner add Acme --email ann@acme.example >/dev/null
ally partner add Bolt --email bo@bolt.example >/dev/null

reg_fail=0 appr_bad=0 one_bad=0
for r in 1 2 3 4 5; do
	ally deal register --partner Acme --company "Race $r" --domain "race$r.example" --value 1.00 \
	    >"$tmp/ra.out" 2>"$tmp/ra.err" &
	pa=$!
	ally deal register --partner Bolt --company "Race $r Inc" --domain "https://www.race$r.example/" --value 2.00 \
	    >"$tmp/rb.out" 2>"$tmp/rb.err" &
	pb=$!
	wait $pa; ra=$?
	wait $pb; rb=$?
	[ $ra = 0 ] && [ $rb = 0 ] || reg_fail=$((reg_fail + 1))
	da=$(cat "$tmp/ra.out") db=$(cat "$tmp/rb.out")
	ally deal approve "$da" >/dev/null 2>&1 &
	pa=$!
	ally deal approve "$db" >/dev/null 2>&1 &
	pb=$!
	wait $pa; ra=$?
	wait $pb; rb=$?
	case "$ra $rb" in
	"0 65" | "65 0") ;;
	*) appr_bad=$((appr_bad + 1)); echo "# round $r: approve exits $ra $rb" ;;
	esac
	n=$(ally deal list --stage approved --json | grep -c "\"domain\":\"race$r\\.example\"")
	[ "$n" = 1 ] || { one_bad=$((one_bad + 1)); echo "# round $r: $n approved"; }
done
is "$reg_fail" 0 "concurrent registrations of one domain both succeed (5 rounds)"
is "$appr_bad" 0 "concurrent approvals: one succeeds, the other exits 65 (5 rounds)"
is "$one_bad" 0 "at most one approved registration per domain (5 rounds)"

# Sequentially: the second approval is refused and changes nothing.
ally deal register --partner Acme --company "Solo" --domain solo.example --value 1.00 >/dev/null &
pa=$!
ally deal register --partner Bolt --company "Solo GmbH" --domain solo.example --value 1.00 >/dev/null &
pb=$!
wait $pa $pb
run ally deal list --json
ida=$(printf '%s\n' "$out" | grep '"partner":"Acme","company":"Solo"' | sed 's/^{"id":"\([^"]*\)".*/\1/')
idb=$(printf '%s\n' "$out" | grep '"partner":"Bolt","company":"Solo GmbH"' | sed 's/^{"id":"\([^"]*\)".*/\1/')
run ally deal approve "$idb"
is_rc 0 "the first approval"
bad 65 "ally: deal approve: deal $ida conflicts with $idb (Bolt, approved, 91 days of exclusivity left): same domain solo.example" \
    "the second approval of one domain" -- ally deal approve "$ida"

# ======================================================================
# Expiry at the exact end of exclusivity, in the organisation's zone
# ======================================================================
use_db expiry
ally init --timezone Europe/Berlin >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally tier add Short --rule "percent 5" --exclusivity 30 >/dev/null
ally partner add Acme --email ann@acme.example --tier Short >/dev/null
ally partner add Bolt --email bo@bolt.example --tier Short >/dev/null

# 2026-10-15T22:30:00Z is already 2026-10-16 00:30 in Berlin: approved on
# the 16th, exclusive through 2026-11-15 (Berlin), i.e. until
# 2026-11-16T00:00 CET = 2026-11-15T23:00:00Z.
ALLY_NOW=2026-10-15T22:30:00Z ally deal register --partner Acme --company Globex --domain globex.com --value 100.00 >/dev/null
ALLY_NOW=2026-10-15T22:30:00Z ally deal approve D1 >/dev/null
run env ALLY_NOW=2026-10-15T22:30:00Z "$ALLY" deal show D1 --json
is "$(jget "$out" 1 exclusive_until)" "2026-11-15" "exclusive until the approval date in Berlin + 30 days"

export ALLY_NOW=2026-11-15T22:59:59Z
run ally deal check --domain globex.com
is_rc 65 "one second before the end: still exclusive"
is "$out" "conflict: D1 (Acme, approved, 1 day of exclusivity left): same domain globex.com" \
    "one second before the end: 1 day left"
run ally deal show D1 --json
is "$(jget "$out" 1 stage)" "approved" "one second before the end: approved"
run ally deal register --partner Bolt --company "Globex Corporation" --domain globex.com --value 100.00
is_rc 0 "a registration one second before the end"
is "$(jget "$(ally deal show D2 --json)" 1 stage)" "conflict" "one second before the end: blocked"

export ALLY_NOW=2026-11-15T23:00:00Z
run ally deal show D1 --json
is "$(jget "$out" 1 stage)" "expired" "at the end: shown as expired"
run ally deal list --stage expired --json
is "$(jcount "$out" 'o["id"] == "D1"')" "1" "deal list --stage expired lists it"
run ally deal list
like "$out" 'D1 +partner +Acme +Globex +globex\.com +expired' "deal list shows expired"
run ally deal check --domain globex.com --company Globex
is_rc 0 "at the end: free"
is "$out" "no conflict" "at the end: no conflict"
run ally deal register --partner Bolt --company "Globex" --domain www.globex.com --value 150.00
is_rc 0 "a registration at the end"
is "$out" "D3" "a registration at the end is recorded"
is "$err" "" "a registration at the end meets no conflict"
is "$(jget "$(ally deal show D3 --json)" 1 stage)" "submitted" "at the end: submitted, not conflict"
bad 65 'ally: deal win: deal D1 is expired: it cannot be won (approve it first)' \
    "an expired registration cannot be won" -- ally deal win D1 --value 100.00
run ally deal approve D3
is_rc 0 "the new registration can be approved once the old one expired"
export ALLY_NOW=2026-10-15T12:00:00Z

# Days left are calendar days in the zone, also across the end of summer
# time: approved 2026-09-25, exclusive through 2026-10-25 (a 25-hour day in
# Berlin), i.e. until 2026-10-25T23:00:00Z.  On 2026-10-24 at 00:30 CEST
# two days are left (the 24th and the 25th), on the 25th at 23:59 CET one.
use_db dst
ally init --timezone Europe/Berlin >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally tier add Short --rule "percent 5" --exclusivity 30 >/dev/null
ally partner add Acme --email ann@acme.example --tier Short >/dev/null
ALLY_NOW=2026-09-25T10:00:00Z ally deal register --partner Acme --company Initech --domain initech.com --value 1.00 >/dev/null
ALLY_NOW=2026-09-25T10:00:00Z ally deal approve D1 >/dev/null
run env ALLY_NOW=2026-10-23T22:30:00Z "$ALLY" deal check --domain initech.com
is "$out" "conflict: D1 (Acme, approved, 2 days of exclusivity left): same domain initech.com" \
    "days left across the end of summer time: 2 calendar days"
run env ALLY_NOW=2026-10-25T22:59:59Z "$ALLY" deal check --domain initech.com
is "$out" "conflict: D1 (Acme, approved, 1 day of exclusivity left): same domain initech.com" \
    "the last second of a 25-hour last day: 1 day left"
run env ALLY_NOW=2026-10-25T23:00:00Z "$ALLY" deal check --domain initech.com
is "$out" "no conflict" "the end of a 25-hour last day: free"
use_db expiry

# ======================================================================
# Direct deals from a CRM export
# ======================================================================
use_db import
ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally partner add Acme --email ann@acme.example >/dev/null

printf 'company,domain,value,close,contact,notes\n%s\n%s\n%s\n' \
    'Good One,good1.example,100.00,,,' \
    'Bad Row,not a domain,5.00,,,' \
    'Good Two,good2.example,200.00,,,' >deals-bad.csv
snapshot
run ally import deals deals-bad.csv
is_rc 65 "import deals: a bad row"
like "$err" 'deals-bad\.csv:3: record 2: domain: "not a domain" is not a web domain' "the bad row named by its line"
unchanged "import deals: a bad row"
run ally deal list --json
is "$(nlines "$out")" "0" "import deals: nothing imported"

printf 'company,domain,value,close,contact,notes\n%s\n%s\n' \
    '"Fabrikam, Inc.",https://www.fabrikam.com/,2500.50,2026-12-31,Sales@Fabrikam.com,"from the CRM"' \
    'Litware,litware.example,99.99,,,' >deals.csv
run ally import deals deals.csv
is_rc 0 "import deals"
like "$err" '2 recorded' "import deals: summary"
run ally deal list --json
is "$(jcount "$out" 'o["source"] == "direct" and o["stage"] == "approved"')" "2" "imported deals are open direct deals"
is "$(jcount "$out" 'o["domain"] == "fabrikam.com" and o["company"] == "Fabrikam, Inc." and o["value_minor"] == 250050 and o["close"] == "2026-12-31" and o["contact"] == "sales@fabrikam.com"')" \
    "1" "an imported row, normalised"
run ally deal check --company "fabrikam"
is_rc 65 "an imported direct deal blocks"
like "$out" '^conflict: D[0-9]+ \(direct pipeline, open direct deal\): same company Fabrikam, Inc\.$' \
    "an imported direct deal is named"

# ======================================================================
# The pipeline: partner-sourced and direct deals side by side
# ======================================================================
use_db pipe
ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally partner add Acme --email ann@acme.example >/dev/null
ally partner add Bolt --email bo@bolt.example >/dev/null
{
	ally deal register --partner Acme --company A1 --domain a1.example --value 100.00      # D1 submitted
	ally deal register --partner Acme --company A2 --domain a2.example --value 200.50      # D2 approved
	ally deal approve D2
	ally deal register --partner Acme --company A3 --domain a3.example --value 300.00      # D3 won 333.33
	ally deal approve D3
	ally deal win D3 --value 333.33
	ally deal register --partner Bolt --company B1 --domain b1.example --value 50.00       # D4 rejected
	ally deal reject D4 --reason no
	ally deal register --partner Bolt --company B2 --domain a2.example --value 75.00       # D5 conflict
	ally deal register --partner Bolt --company B3 --domain b3.example --value 10.00       # D6 lost
	ally deal approve D6
	ally deal lose D6
	ally deal register --direct --company C1 --domain c1.example --value 1000.00           # D7 open
	ally deal register --direct --company C2 --domain c2.example --value 2500.50           # D8 open
	ally deal register --direct --company C3 --domain c3.example --value 400.00            # D9 won 450.00
	ally deal win D9 --value 450.00
	ally deal register --direct --company C4 --domain c4.example --value 40.00             # D10 lost
	ally deal lose D10
} >/dev/null 2>&1

run ally deal pipeline --json
is_rc 0 "pipeline --json"
cells=$(printf '%s\n' "$out" | python3 -c 'import json,sys
o = json.load(sys.stdin)
print("currency", o["currency"])
for st, v in o.items():
    if st != "currency":
        for side in ("partner", "direct"):
            print(st, side, v[side]["count"], v[side]["value"], v[side]["value_minor"])' 2>&1)
pcell() {  # pcell STAGE SIDE: count value
	printf '%s\n' "$cells" | sed -n "s/^$1 $2 \([^ ]*\) \([^ ]*\) .*/\1 \2/p"
}
is "$(printf '%s\n' "$cells" | sed -n 's/^currency //p')" "EUR" "pipeline currency"
is "$(pcell submitted partner)" "1 100.00" "submitted: partner"
is "$(pcell submitted direct)" "0 0.00" "submitted: direct"
is "$(pcell conflict partner)" "1 75.00" "conflict: partner"
is "$(pcell approved partner)" "1 200.50" "approved: partner"
is "$(pcell approved direct)" "2 3500.50" "approved (open): direct"
is "$(pcell won partner)" "1 333.33" "won: partner, at the final value"
is "$(pcell won direct)" "1 450.00" "won: direct, at the final value"
is "$(pcell lost partner)" "1 10.00" "lost: partner"
is "$(pcell lost direct)" "1 40.00" "lost: direct"
is "$(pcell rejected partner)" "1 50.00" "rejected: partner"
is "$(pcell expired partner) $(pcell expired direct)" "0 0.00 0 0.00" "expired: none"
is "$(printf '%s\n' "$cells" | sed -n 's/^approved direct .* //p')" "350050" "value in minor units"

run ally deal pipeline
is_rc 0 "pipeline table"
like "$out" '^STAGE +PARTNER +VALUE +DIRECT +VALUE$' "the table's columns: partner beside direct"
like "$out" '^approved +1 +200\.50 +2 +3,500\.50$' "the approved row"
run ally deal pipeline --partner Acme --json
like "$out" '"submitted":\{"partner":\{"count":1,.*"approved":\{"partner":\{"count":1,.*"won":\{"partner":\{"count":1,.*"rejected":\{"partner":\{"count":0,' \
    "pipeline --partner: only that partner's deals"

done_testing
