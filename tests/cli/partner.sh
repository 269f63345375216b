#!/bin/sh
# partner.sh - ally partner (add, edit, list, show, suspend, activate,
# agreements) and ally code (new, vanity codes, disable, enable).
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"

ESC=$(printf '\033')
CSI8=$(printf '\302\233')       # U+009B, the one-byte CSI of 8-bit terminals

no_esc() {
	case $1 in
	*"$ESC"*) not_ok "$2: no raw ESC" "got:  $(printf '%s' "$1" | od -c | head -3)" ;;
	*) ok "$2: no raw ESC" ;;
	esac
}

no_csi8() {
	case $1 in
	*"$CSI8"*) not_ok "$2: no raw U+009B" "got:  $(printf '%s' "$1" | od -c | head -3)" ;;
	*) ok "$2: no raw U+009B" ;;
	esac
}

json_get() {
	printf '%s\n' "$1" | python3 -c 'import json,sys
l = sys.stdin.read().splitlines()[int(sys.argv[1]) - 1]
v = json.loads(l)[sys.argv[2]]
print(json.dumps(v) if not isinstance(v, str) else v)' "$2" "$3" 2>/dev/null
}

ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally program add Spring --rule "percent 10" --landing https://example.com/join --activate >/dev/null
ally program add Solo --rule "flat 5" --eligible customers --activate >/dev/null
ally program add Trade --rule "flat 5" --eligible partners --activate >/dev/null
ally tier add Gold --rule "percent 15" >/dev/null

# ---- add ----

run ally partner add Acme --email " ANN@Acme.COM " --tier Gold --kind reseller \
    --contact "Ann Archer" --address "1 Road, Town" --payout-email pay@acme.example \
    --notes "met at the fair"
is_rc 0 "partner add with every flag"
is "$out" "P1 Acme (active)" "partner add prints id, name and status"
is "$err" "" "partner add writes nothing on stderr"

run ally partner show Acme --json
is_rc 0 "partner show --json"
is "$(json_get "$out" 1 id)" "P1" "show: id"
is "$(json_get "$out" 1 email)" "ann@acme.com" "show: e-mail trimmed and lower-cased"
is "$(json_get "$out" 1 tier)" "Gold" "show: tier by name"
is "$(json_get "$out" 1 kind)" "reseller" "show: kind"
is "$(json_get "$out" 1 contact)" "Ann Archer" "show: contact"
is "$(json_get "$out" 1 address)" "1 Road, Town" "show: address"
is "$(json_get "$out" 1 payout_email)" "pay@acme.example" "show: payout e-mail"
is "$(json_get "$out" 1 notes)" "met at the fair" "show: notes"
is "$(json_get "$out" 1 status)" "active" "show: status"

run ally partner show P1
is_rc 0 "partner show by id"
like "$out" 'email: +ann@acme.com' "partner show as name: value"

run ally partner add Beta --email beta@example.com
is_rc 0 "partner add with only an e-mail"
run ally partner add Gamma --email gamma@example.com --kind agency --tier T1
is_rc 0 "partner add with the tier by id"

bad 65 'ally: partner add: email: "bad" has no @' "bad e-mail" -- \
    ally partner add Foo --email bad
bad 65 'ally: partner add: payout-email: "nope" has no @' "bad payout e-mail" -- \
    ally partner add Foo --email foo@example.com --payout-email nope
bad 66 'ally: partner add: tier: tier "Tin" not found' "unknown tier" -- \
    ally partner add Foo --email foo@example.com --tier Tin
bad 65 'ally: partner add: kind: must be reseller, affiliate, agency or integration' "bad kind" -- \
    ally partner add Foo --email foo@example.com --kind vendor
bad 64 'ally: partner add: --email is required (see ally partner add --help)' "missing --email" -- \
    ally partner add Foo
bad 65 'ally: partner add: name: must not be empty' "empty name" -- \
    ally partner add "  " --email foo@example.com
bad 65 'ally: partner add: name: "acme" is already taken by P1' "duplicate name, other case" -- \
    ally partner add acme --email other@example.com

# ---- control characters ----

bad 65 'ally: partner add: name: control characters are not allowed' "a name holding ESC[2J" -- \
    ally partner add "Evil${ESC}[2J" --email evil@example.com
no_esc "$err" "refusing a name holding ESC"
bad 65 'ally: partner add: contact: control characters are not allowed' "a contact holding ESC" -- \
    ally partner add Evil --email evil@example.com --contact "x${ESC}]0;owned${ESC}\\"
run ally partner add Foo --email foo@example.com --kind "x${ESC}[2J"
is_rc 65 "a kind holding ESC"
no_esc "$err" "a kind holding ESC"
run ally partner show "x${ESC}[2J"
is_rc 66 "show of an unknown partner holding ESC"
no_esc "$err" "show of an unknown partner holding ESC"
err_is 'ally: partner show: partner "x\e[2J" not found' "show of an unknown partner holding ESC"

# U+009B (the CSI of 8-bit terminals) and U+0085 (NEL) are valid UTF-8 but
# C1 controls: refused in every text field, like C0 ones (a contact named
# with U+0085 used to be stored and then broke every invitation).
NEL=$(printf '\302\205')
bad 65 'ally: partner add: name: control characters are not allowed' "a name holding U+009B" -- \
    ally partner add "C1${CSI8}2J Ltd" --email c1@example.com
no_csi8 "$err" "refusing a name holding U+009B"
bad 65 'ally: partner add: contact: control characters are not allowed' "a contact holding U+0085" -- \
    ally partner add "C1 Ltd" --email c1@example.com --contact "Ann${NEL}Lee"
bad 65 'ally: partner edit: contact: control characters are not allowed' "edit: a contact holding U+0085" -- \
    ally partner edit Acme --contact "Ann${NEL}Lee"
bad 65 'ally: partner edit: notes: control characters are not allowed' "edit: notes holding U+009B" -- \
    ally partner edit Acme --notes "line 1
line 2 ${CSI8}"
bad 65 'ally: partner add: address: not valid UTF-8' "an address of invalid UTF-8" -- \
    ally partner add "C1 Ltd" --email c1@example.com --address "$(printf 'Stra\337e 1')"
bad 65 'ally: partner add: email: contains a control character' "an e-mail holding U+0085" -- \
    ally partner add "C1 Ltd" --email "c1${NEL}@example.com"
bad 65 'ally: partner add: payout-email: not valid UTF-8' "a payout e-mail of invalid UTF-8" -- \
    ally partner add "C1 Ltd" --email c1@example.com --payout-email "$(printf 'c\3771@example.com')"
run ally partner add "C1 Ltd" --email c1@example.com --notes "$(printf 'tab\there\nand a new line')"
is_rc 0 "notes keep tabs and line feeds"
is "$out" 'P4 C1 Ltd (active)' "a clean name is stored"

# ---- names that read as ids ----

for name in P1 p1 P99 PG7 pg7 RF12 T3 C3501 D4 U2 AG1 CV9 PB2 K5 12 007; do
	bad 65 "ally: partner add: name: \"$name\" looks like a record id (like P3, RF12 or 12) and would be ambiguous" \
	    "a partner named $name" -- ally partner add "$name" --email imp@example.com
done
bad 65 'ally: partner add: name: "P1" looks like a record id (like P3, RF12 or 12) and would be ambiguous' \
    "a partner named P1 with blanks around it" -- ally partner add " P1 " --email imp@example.com
bad 65 'ally: partner edit: name: "P1" looks like a record id (like P3, RF12 or 12) and would be ambiguous' \
    "renaming a partner to P1" -- ally partner edit P4 --name P1
bad 65 'ally: tier add: name: "T1" looks like a record id (like P3, RF12 or 12) and would be ambiguous' \
    "a tier named T1" -- ally tier add T1 --rule "percent 5"
bad 65 'ally: tier edit: name: "2026" looks like a record id (like P3, RF12 or 12) and would be ambiguous' \
    "renaming a tier to 2026" -- ally tier edit Gold --name 2026
for name in "P1 Ltd" "Plan 9" "P-1" "P1a" "RF 12" "12 Monkeys" "X12"; do
	run ally partner add "$name" --email "n$(printf %s "$name" | tr -dc 'a-zA-Z0-9')@example.com"
	is_rc 0 "a partner named \"$name\" is fine"
done
run ally partner show 4
is "$(printf '%s\n' "$out" | sed -n 's/^name: *//p')" "C1 Ltd" "a bare number is the id"
run ally partner show p4
is "$(printf '%s\n' "$out" | sed -n 's/^name: *//p')" "C1 Ltd" "an id in lower case"

# ---- edit ----

run ally partner edit Acme --kind agency --tier "" --contact "Bo Brown"
is_rc 0 "partner edit"
run ally partner show Acme --json
is "$(json_get "$out" 1 kind)" "agency" "edit changed the kind"
is "$(json_get "$out" 1 tier)" "null" "--tier \"\" clears the tier"
is "$(json_get "$out" 1 contact)" "Bo Brown" "edit changed the contact"
is "$(json_get "$out" 1 email)" "ann@acme.com" "edit kept the e-mail"
run ally partner edit Acme --name "Acme Corp"
is "$out" "P1 Acme Corp (active)" "partner rename"
bad 65 'ally: partner edit: name: "beta" is already taken by P2' "rename onto a taken name" -- \
    ally partner edit "Acme Corp" --name beta
bad 66 'ally: partner edit: partner "Nope" not found' "edit of an unknown partner" -- \
    ally partner edit Nope --kind agency
bad 65 'ally: partner edit: email: "x" has no @' "edit with a bad e-mail" -- \
    ally partner edit P1 --email x

# ---- list ----

run ally partner list
is_rc 0 "partner list"
like "$out" '^ID +NAME +KIND +TIER +STATUS +EMAIL' "partner table header"
run ally partner list --csv
like "$out" '^id,name,kind,tier,status,email,' "partner CSV header"
like "$out" 'P3,Gamma,agency,Gold,active,gamma@example.com' "partner CSV row"
run ally partner list --tier Gold --csv
is "$(printf '%s\n' "$out" | tail -n +2 | cut -d, -f1)" "P3" "partner list --tier"
bad 66 'ally: partner list: tier "Tin" not found' "list --tier of an unknown tier" -- \
    ally partner list --tier Tin

# ---- status ----

run ally partner suspend Beta
is_rc 0 "suspend"
is "$out" "P2 Beta (suspended)" "suspend prints the status"
run ally partner list --status suspended --csv
is "$(printf '%s\n' "$out" | tail -n +2 | cut -d, -f1)" "P2" "list --status suspended"
run ally partner activate Beta
is "$out" "P2 Beta (active)" "activate a suspended partner"
bad 66 'ally: partner suspend: partner "Nope" not found' "suspend an unknown partner" -- \
    ally partner suspend Nope

# ---- agreements ----

run ally partner agreement "Acme Corp" --title MSA --signed 2026-01-01 --expires 2027-01-01 \
    --document /docs/msa.pdf
is_rc 0 "agreement"
is "$out" "AG1 MSA" "agreement prints id and title"
ally partner agreement Beta --title NDA --signed 2026-02-01 >/dev/null
bad 65 'ally: partner agreement: expires: must be after the signed date' "expiry before signing" -- \
    ally partner agreement P1 --title MSA --signed 2026-01-01 --expires 2025-01-01
bad 65 'ally: partner agreement: signed: "soon" is not a valid date (want YYYY-MM-DD)' "bad signed date" -- \
    ally partner agreement P1 --title MSA --signed soon
bad 64 'ally: partner agreement: --signed is required (see ally partner agreement --help)' "missing --signed" -- \
    ally partner agreement P1 --title MSA
bad 66 'ally: partner agreement: partner "Nope" not found' "agreement of an unknown partner" -- \
    ally partner agreement Nope --title MSA --signed 2026-01-01
run ally partner agreements --csv
is "$(printf '%s\n' "$out" | tail -n +2 | cut -d, -f1-3 | tr '\n' ' ')" \
    "AG1,Acme Corp,MSA AG2,Beta,NDA " "all agreements"
run ally partner agreements "Acme Corp" --csv
is_rc 0 "agreements of one partner"
is "$(printf '%s\n' "$out" | tail -n +2 | cut -d, -f1-3 | tr '\n' ' ')" \
    "AG1,Acme Corp,MSA " "agreements of one partner lists its agreement"

# ---- codes ----

run ally code new --program Spring --partner "Acme Corp"
is_rc 0 "code new for a partner"
like "$out" '^[0-9A-HJKMNP-TV-Z]{8}  https://example.com/join\?ref=[0-9A-Z]{8}$' \
    "a generated code is 8 Crockford base32 characters, with its link"
gen=${out%% *}
run ally code show "$gen" --json
is "$(json_get "$out" 1 program)" "Spring" "the code belongs to the program"
is "$(json_get "$out" 1 status)" "active" "a new code is active"
run ally code show "$(printf '%s' "$gen" | tr 'A-Z' 'a-z')"
is_rc 0 "codes are found in any case"

run ally code new --program Spring --partner P1 --vanity acme-10
is_rc 0 "vanity code"
is "$out" "ACME-10  https://example.com/join?ref=ACME-10" "vanity codes are upper-cased"

run ally code new --program Spring --customer " Cara@Example.COM " --name Cara --json
is_rc 0 "code new for a customer"
is "$(json_get "$out" 1 link)" "https://example.com/join?ref=$(json_get "$out" 1 code)" \
    "JSON has the link"
run ally code new --program Spring --customer cara@example.com --vanity CARA
is_rc 0 "a second code for the same customer"

bad 65 'ally: code new: vanity: must be 3 to 32 characters long, not 2' "vanity too short" -- \
    ally code new --program Spring --customer cara@example.com --vanity ab
bad 65 'ally: code new: vanity: must be 3 to 32 characters long, not 33' "vanity too long" -- \
    ally code new --program Spring --customer cara@example.com \
    --vanity ABCDEFGHIJABCDEFGHIJABCDEFGHIJABC
bad 65 "ally: code new: vanity: character 3 '_' is not allowed (use A-Z, 0-9 and -)" "vanity with _" -- \
    ally code new --program Spring --customer cara@example.com --vanity ab_c
bad 65 'ally: code new: vanity: must start with a letter or digit' "vanity starting with -" -- \
    ally code new --program Spring --customer cara@example.com --vanity -abc
bad 65 'ally: code new: vanity: code ACME-10 is already taken' "vanity taken, other case" -- \
    ally code new --program Spring --customer cara@example.com --vanity Acme-10
run ally code new --program Spring --customer cara@example.com --vanity "AB${ESC}[2J"
is_rc 65 "vanity holding ESC"
no_esc "$err" "vanity holding ESC"

bad 64 'ally: code new: give either --partner or --customer (see ally code new --help)' \
    "neither --partner nor --customer" -- ally code new --program Spring
bad 64 'ally: code new: give either --partner or --customer (see ally code new --help)' \
    "both --partner and --customer" -- ally code new --program Spring --partner P1 --customer a@example.com
bad 64 'ally: code new: --name goes with --customer (see ally code new --help)' \
    "--name with --partner" -- ally code new --program Spring --partner P1 --name X
bad 64 'ally: code new: --program is required (see ally code new --help)' "missing --program" -- \
    ally code new --partner P1
bad 66 'ally: code new: program "Nope" not found' "unknown program" -- \
    ally code new --program Nope --partner P1
bad 66 'ally: code new: partner "Nope" not found' "unknown partner" -- \
    ally code new --program Spring --partner Nope
bad 65 'ally: code new: customer: "bad" has no @' "bad customer e-mail" -- \
    ally code new --program Spring --customer bad
bad 65 'ally: code new: partner: program Solo does not take partner referrers' \
    "a partner code in a customers-only program" -- ally code new --program Solo --partner P1
bad 65 'ally: code new: customer: program Trade does not take customer referrers' \
    "a customer code in a partners-only program" -- ally code new --program Trade --customer a@example.com

ally program add Old --rule "flat 1" >/dev/null && ally program end Old >/dev/null
bad 65 'ally: code new: program: Old has ended: no new codes' "a code in an ended program" -- \
    ally code new --program Old --customer a@example.com

# A suspended partner cannot get a new code.
ally partner suspend Beta >/dev/null
bad 65 'ally: code new: partner: Beta is suspended' "a code for a suspended partner" -- \
    ally code new --program Spring --partner Beta
ally partner activate Beta >/dev/null
run ally code new --program Spring --partner Beta --vanity BETA
is_rc 0 "a code once the partner is active again"

# ---- disable and enable ----

run ally code disable acme-10
is_rc 0 "code disable"
is "$out" "ACME-10 disabled" "disable says so"
run ally code show ACME-10 --json
is "$(json_get "$out" 1 status)" "disabled" "the code is disabled"
bad 0 '' "disabling twice changes nothing" -- ally code disable ACME-10
run ally code enable ACME-10
is "$out" "ACME-10 enabled" "code enable"
run ally code show ACME-10 --json
is "$(json_get "$out" 1 status)" "active" "the code is active again"
bad 66 'ally: code disable: code "ZZZZZZ" not found' "disable an unknown code" -- \
    ally code disable ZZZZZZ

run ally code list --csv
like "$out" '^id,code,program,referrer,status,link' "code CSV header"
is "$(printf '%s\n' "$out" | tail -n +2 | wc -l | tr -d ' ')" "5" "five codes"
run ally code list --partner "Acme Corp" --csv
is "$(printf '%s\n' "$out" | tail -n +2 | wc -l | tr -d ' ')" "2" "code list --partner"

done_testing
