#!/bin/sh
# names.sh - input edges (issue 12, item 7): names that read as record ids
# are refused on add, edit and import, and an id always means its record;
# C1 controls (U+0080..U+009F), C0 controls, DEL and invalid UTF-8 are
# refused in every text field app/ takes, from flags, CSV and JSON Lines.
# Each refusal: exit 65, one line naming the field, nothing written.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"

NEL=$(printf '\302\205')        # U+0085 NEXT LINE
CSI8=$(printf '\302\233')       # U+009B, the CSI of 8-bit terminals
PAD=$(printf '\302\200')        # U+0080, the first C1 control
APC=$(printf '\302\237')        # U+009F, the last
BADB=$(printf '\377')
BEL=$(printf '\007')
CTL='control characters are not allowed'
AMB='looks like a record id (like P3, RF12 or 12) and would be ambiguous'

ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally program add Spring --rule "percent 10" --hold 0 --activate >/dev/null
ally tier add Gold --rule "percent 15" >/dev/null
ally partner add Acme --email ann@acme.example >/dev/null
ally code new --program Spring --partner Acme --vanity ACME >/dev/null
ally track referral --code ACME --email dan@example.com --at 2026-10-01 >/dev/null
ally track conversion --code ACME --email dan@example.com --event purchase --amount 100 \
    --id ORD-1 --at 2026-10-02 >/dev/null
D=$(ally deal register --partner Acme --company Initech --domain initech.example --value 100)

# ---- names that read as ids ----

for name in P1 PG1 pg7 RF12 T1 C1 12 0 007; do
	bad 65 "ally: program add: name: \"$name\" $AMB" "program named $name" -- \
	    ally program add "$name" --rule "flat 1"
	bad 65 "ally: tier add: name: \"$name\" $AMB" "tier named $name" -- \
	    ally tier add "$name" --rule "flat 1"
	bad 65 "ally: partner add: name: \"$name\" $AMB" "partner named $name" -- \
	    ally partner add "$name" --email imp@example.com
done
bad 65 "ally: program edit: name: \"RF1\" $AMB" "renaming a program to RF1" -- \
    ally program edit Spring --name RF1
bad 65 "ally: tier edit: name: \"p1\" $AMB" "renaming a tier to p1" -- ally tier edit Gold --name p1
bad 65 "ally: partner edit: name: \"2\" $AMB" "renaming a partner to 2" -- ally partner edit Acme --name 2
for v in PG1 k12 1234 cv9; do
	bad 65 "ally: code new: vanity: \"$(printf %s "$v" | tr a-z A-Z)\" $AMB" "vanity code $v" -- \
	    ally code new --program Spring --customer x@example.com --vanity "$v"
done
run ally code new --program Spring --customer x@example.com --vanity PG1X
is_rc 0 "a vanity code with more than an id is fine"

# CSV import: the row is named, nothing is imported
printf 'name,email\nFine Co,f@example.com\nP7,p7@example.com\n' >"$tmp/p.csv"
snapshot
run ally import partners "$tmp/p.csv"
is_rc 65 "import of a partner named P7"
is "$err" "ally: $tmp/p.csv:3: record 2: name: \"P7\" $AMB
ally: import: 1 invalid row: nothing was imported
ally: import: 2 lines, 0 recorded, 0 duplicates, 0 rejected, 1 invalid" "the row and the field are named"
unchanged "import of a partner named P7"

# An id means its record: with a partner called "P2" in an older
# database, P2 is still the second partner and the name needs its own words.
ally partner add Zz --email zz@example.com >/dev/null
ally partner add Other --email other@example.com >/dev/null
copy=$tmp/legacy
mkdir -p "$copy"
cp "$ALLY_DB/data.mdb" "$copy/"
cp "$ALLY_DB/audit.key" "$copy/"  # the copy keeps the keyed audit chain writable
python3 - "$copy/data.mdb" <<'EOF'
import sys
p = sys.argv[1]
d = open(p, "rb").read()
assert d.count(b"Zz") >= 1
# the record and its audit entries; the name index holds "zz"
d = d.replace(b"Zz", b"P3").replace(b"\x00zz", b"\x00p3")
open(p, "wb").write(d)
EOF
run env ALLY_DB="$copy" "$ALLY" partner show P2 --json
like "$out" '"name":"P3"' "the old impostor is there, as P2"
run env ALLY_DB="$copy" "$ALLY" partner show P3 --json
like "$out" '"id":"P3","name":"Other"' "P3 is the id P3, not the partner named P3"
run env ALLY_DB="$copy" "$ALLY" partner show 3 --json
like "$out" '"id":"P3","name":"Other"' "so is a bare 3"
printf '[mail]\ntemplates = %s\n' "${ALLY_TEMPLATES:-$top_srcdir/data}" >"$tmp/mail.conf"
run env ALLY_DB="$copy" "$ALLY" --config "$tmp/mail.conf" partner invite P3
like "$out" '^I[0-9]+ for P3,' "partner invite P3 invites partner P3, not the impostor named P3"

# ---- control characters in every text field ----

# bad 65 MESSAGE WHAT -- command, for each of the C1 and C0 forms
each_ctl() {  # each_ctl FIELD-MESSAGE WHAT CMD... with X in place of the text
	_msg=$1 _what=$2
	shift 2
	for _v in NEL CSI8 PAD APC BEL; do
		eval "_c=\$$_v"
		_args=""
		for _a in "$@"; do
			_args="$_args '$(printf '%s' "$_a" | sed "s/X/a${_c}b/g")'"
		done
		eval "bad 65 \"\$_msg\" \"\$_what (\$_v)\" -- $_args"
	done
}
each_ctl "ally: program add: name: $CTL" "program name" ally program add X --rule "flat 1"
each_ctl "ally: program edit: landing: $CTL" "program landing" ally program edit Spring --landing X
each_ctl "ally: tier add: name: $CTL" "tier name" ally tier add X --rule "flat 1"
each_ctl "ally: partner add: name: $CTL" "partner name" ally partner add X --email n@example.com
each_ctl "ally: partner add: contact: $CTL" "partner contact" ally partner add New --email n@example.com --contact X
each_ctl "ally: partner edit: contact: $CTL" "partner contact (edit)" ally partner edit Acme --contact X
each_ctl "ally: partner edit: address: $CTL" "partner address" ally partner edit Acme --address X
each_ctl "ally: partner edit: notes: $CTL" "partner notes" ally partner edit Acme --notes X
each_ctl "ally: partner agreement: title: $CTL" "agreement title" \
    ally partner agreement Acme --title X --signed 2026-10-01
each_ctl "ally: partner agreement: document: $CTL" "agreement document" \
    ally partner agreement Acme --title Terms --signed 2026-10-01 --document X
each_ctl "ally: code new: name: $CTL" "customer name of a code" \
    ally code new --program Spring --customer c@example.com --name X
each_ctl "ally: track referral: name: $CTL" "referral name" \
    ally track referral --code ACME --email r@example.com --name X
each_ctl "ally: track conversion: id: $CTL" "conversion id" \
    ally track conversion --code ACME --email dan@example.com --event purchase --amount 1 --id X
each_ctl "ally: track conversion: event: $CTL" "conversion event" \
    ally track conversion --code ACME --email dan@example.com --event X --amount 1 --id ORD-9
each_ctl "ally: deal register: company: $CTL" "deal company" \
    ally deal register --partner Acme --company X --domain x.example --value 1
each_ctl "ally: deal register: notes: $CTL" "deal notes" \
    ally deal register --partner Acme --company Initrode --domain y.example --value 1 --notes X
each_ctl "ally: deal reject: reason: $CTL" "deal reject reason" ally deal reject "$D" --reason X
each_ctl "ally: commission reject: reason: $CTL" "commission reject reason" \
    ally commission reject C1 --reason X
each_ctl "ally: settings set: org: $CTL" "organisation name" ally settings set --org X
each_ctl "ally: partner add: email: contains a control character" "partner e-mail" \
    ally partner add New --email "nX@example.com"
each_ctl "ally: track referral: email: contains a control character" "referral e-mail" \
    ally track referral --code ACME --email "rX@example.com"

# invalid UTF-8, everywhere the same way
bad 65 "ally: partner add: contact: not valid UTF-8" "contact of invalid UTF-8" -- \
    ally partner add New --email n@example.com --contact "caf${BADB}"
bad 65 "ally: track conversion: id: not valid UTF-8" "conversion id of invalid UTF-8" -- \
    ally track conversion --code ACME --email dan@example.com --event purchase --amount 1 --id "O${BADB}"
bad 65 "ally: deal register: company: not valid UTF-8" "deal company of invalid UTF-8" -- \
    ally deal register --partner Acme --company "caf${BADB}" --domain x.example --value 1
bad 65 "ally: partner add: email: not valid UTF-8" "e-mail of invalid UTF-8" -- \
    ally partner add New --email "n${BADB}@example.com"
rm -rf "$tmp/init"
run env ALLY_DB="$tmp/init" "$ALLY" init --org "a${NEL}b"
is_rc 65 "init with U+0085 in the organisation's name"
is "$(ls "$tmp/init" 2>/dev/null | wc -l | tr -d ' ')" 0 "init wrote nothing"

# lines where lines belong: notes and addresses keep LF and tabs, not C1
run ally partner edit Acme --notes "$(printf 'one\ttwo\nthree')" --address "$(printf 'Street 1\r\nTown')"
is_rc 0 "notes with a tab and a line feed, an address with CRLF"

# CSV import: partners and deals, the row and the field named
printf 'name,email,contact\nFine Co,f@example.com,Ann\nBad Co,b@example.com,"Ann%sLee"\n' "$NEL" >"$tmp/c1.csv"
snapshot
run ally import partners "$tmp/c1.csv"
is_rc 65 "import of a contact holding U+0085"
is "$err" "ally: $tmp/c1.csv:3: record 2: contact: $CTL
ally: import: 1 invalid row: nothing was imported
ally: import: 2 lines, 0 recorded, 0 duplicates, 0 rejected, 1 invalid" "the row and the field are named"
unchanged "import of a contact holding U+0085"
printf 'company,domain,value,notes\nOk Co,ok.example,10,fine\nBad Co,bad.example,10,"x%sy"\n' "$CSI8" >"$tmp/d.csv"
snapshot
run ally import deals "$tmp/d.csv"
is_rc 65 "import of deal notes holding U+009B"
is "$(printf '%s\n' "$err" | head -1)" "ally: $tmp/d.csv:3: record 2: notes: $CTL" "the deal row and field are named"
unchanged "import of deal notes holding U+009B"
printf 'code,email,name\nACME,ok@example.com,Ok\nACME,bad@example.com,"a%sb"\n' "$PAD" >"$tmp/r.csv"
run ally import referrals "$tmp/r.csv"
is_rc 65 "import of a referral name holding U+0080"
is "$(printf '%s\n' "$err" | head -1)" "ally: $tmp/r.csv:3: record 2: name: $CTL" "the referral row and field are named"

# JSON Lines: \u0085 decodes to U+0085 and is refused like a raw one
printf '%s\n' '{"type":"referral","code":"ACME","email":"j1@example.com","name":"a\u0085b"}' \
    '{"type":"conversion","code":"ACME","email":"dan@example.com","event":"purchase","amount":"1","id":"J\u009b1"}' \
    '{"type":"referral","code":"ACME","email":"j\u0085@example.com"}' >"$tmp/c1.jsonl"
snapshot
run ally ingest "$tmp/c1.jsonl"
is_rc 65 "ingest of C1 controls"
is "$(printf '%s\n' "$err" | head -3)" "ally: $tmp/c1.jsonl:1: name: $CTL
ally: $tmp/c1.jsonl:2: id: $CTL
ally: $tmp/c1.jsonl:3: email: contains a control character" "each line and field are named"
unchanged "ingest of C1 controls"

# the configuration file too: [portal] connect ends up in every invitation
printf '[mail]\ntemplates = %s\n[portal]\nconnect = ssh portal@x%sy\n' \
    "${ALLY_TEMPLATES:-$top_srcdir/data}" "$NEL" >"$tmp/c1.conf"
bad 78 "ally: partner invite: $tmp/c1.conf:4: [portal] connect: control characters or invalid UTF-8 in \"ssh portal@x\\u{85}y\"" \
    "a C1 control in [portal] connect" -- ally --config "$tmp/c1.conf" partner invite Acme

done_testing
