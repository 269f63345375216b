#!/bin/sh
# io.sh - ally import partners|referrals (CSV) and ally export.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"

ESC=$(printf '\033')

no_esc() {
	case $1 in
	*"$ESC"*) not_ok "$2: no raw ESC" "got:  $(printf '%s' "$1" | od -c | head -3)" ;;
	*) ok "$2: no raw ESC" ;;
	esac
}

json_get() {
	printf '%s\n' "$1" | python3 -c 'import json,sys
l = sys.stdin.read().splitlines()[int(sys.argv[1]) - 1]
v = json.loads(l)[sys.argv[2]]
print(json.dumps(v) if not isinstance(v, str) else v)' "$2" "$3" 2>/dev/null
}

json_lines() {
	if [ -n "$1" ] && printf '%s\n' "$1" | python3 -c 'import json,sys
for l in sys.stdin:
    assert isinstance(json.loads(l), dict)' 2>"$tmp/py"; then
		ok "$2: one JSON object a line"
	else
		not_ok "$2: one JSON object a line" "$(tail -1 "$tmp/py" 2>/dev/null)"
	fi
}

csv_field() {  # csv_field TEXT ROW COLUMN: a field, read by a CSV parser
	printf '%s\n' "$1" | python3 -c 'import csv,sys
r = list(csv.DictReader(sys.stdin))
print(r[int(sys.argv[1]) - 1][sys.argv[2]], end="")' "$2" "$3" 2>/dev/null
}

csv_where() {  # csv_where TEXT KEY VALUE COLUMN: COLUMN of the row whose KEY is VALUE
	printf '%s\n' "$1" | python3 -c 'import csv,sys
r = [x for x in csv.DictReader(sys.stdin) if x[sys.argv[1]] == sys.argv[2]]
print(r[0][sys.argv[3]], end="")' "$2" "$3" "$4" 2>/dev/null
}

csv_rows() {  # csv_rows TEXT: data rows, by a CSV parser
	printf '%s\n' "$1" | python3 -c 'import csv,sys; print(len(list(csv.DictReader(sys.stdin))))'
}

ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally tier add Gold --rule "percent 12" >/dev/null
cd "$tmp" || exit 1

# ---- import partners ----

printf 'name,email,tier,kind,contact,address,payout_email,notes\r\n%s\r\n%s\r\n%s\r\n' \
    '"Widgets, Inc.",ops@widgets.example,Gold,reseller,"Wanda ""W"" Smith","1 Main St, Springfield",pay@widgets.example,"likes ""quotes"""' \
    'AgencyX,HI@AgencyX.example,,agency,,,,' \
    ',,,,,,,' >partners.csv
run ally import partners partners.csv
is_rc 0 "import partners"
like "$err" 'ally: import: 2 lines, 2 recorded, 0 duplicates, 0 rejected, 0 invalid' "import summary"
is "$out" "" "import prints nothing on stdout"
run ally partner show "Widgets, Inc." --json
is_rc 0 "a quoted name with a comma is imported"
is "$(json_get "$out" 1 contact)" 'Wanda "W" Smith' "doubled quotes are read as one"
is "$(json_get "$out" 1 address)" '1 Main St, Springfield' "a quoted comma"
is "$(json_get "$out" 1 tier)" 'Gold' "the tier by name"
is "$(json_get "$out" 1 notes)" 'likes "quotes"' "notes"
run ally partner show AgencyX --json
is "$(json_get "$out" 1 email)" 'hi@agencyx.example' "imported e-mail lower-cased"
is "$(json_get "$out" 1 kind)" 'agency' "imported kind"

# A postal address spans lines.
printf 'name,email,address\n"Multi Line",ml@example.com,"2 High St\nSpringfield"\n' >multi.csv
run ally import partners multi.csv
is_rc 0 "import a quoted field holding a newline"
run ally partner show "Multi Line" --json
is "$(json_get "$out" 1 address)" "2 High St
Springfield" "the newline is kept"
run ally partner list
unlike "$out" '^Springfield' "a table row never breaks across lines"

# One bad row: nothing imported.
printf 'name,email\nGood,good@example.com\nBad,not-an-email\nGood2,g2@example.com\n' >onebad.csv
bad 65 '' "a CSV with one bad row" -- sh -c '"$0" import partners onebad.csv 2>/dev/null' "$ALLY"
run ally import partners onebad.csv
is_rc 65 "one bad row: exit"
like "$err" 'ally: onebad.csv:3: record 2: email: "not-an-email" has no @' "the bad row named by its line"
like "$err" '0 recorded' "one bad row: nothing recorded"
run ally partner show Good
is_rc 66 "one bad row: the good rows are not imported"

printf 'name,email\nFresh,f@example.com\n"widgets, INC.",dup@example.com\n' >dup.csv
snapshot
run ally import partners dup.csv
is_rc 65 "a CSV row with a taken name"
like "$err" 'ally: dup.csv:3: record 2: name: "widgets, INC." is already taken by P1' "the taken name is named"
unchanged "a CSV row with a taken name"

printf 'name,email\n"unterminated,x@example.com\n' >broken.csv
bad 65 '' "a CSV with an unterminated quote" -- sh -c '"$0" import partners broken.csv 2>/dev/null' "$ALLY"
run ally import partners broken.csv
like "$err" '^ally: import: broken.csv' "a broken CSV is named"

printf 'nom,mail\nA,b@example.com\n' >header.csv
bad 65 '' "a CSV without name and email columns" -- sh -c '"$0" import partners header.csv 2>/dev/null' "$ALLY"
run ally import partners header.csv
has_header_msg=$(printf '%s\n' "$err" | grep -c -x 'ally: import: header.csv: no name column in the header (--map Header=name names one)')
is "$has_header_msg" "1" "the first missing column is named"

: >empty.csv
bad 65 'ally: import: empty.csv: empty (a header row is needed)' "an empty CSV" -- \
    ally import partners empty.csv
bad 66 'ally: import: missing.csv: No such file or directory' "a missing file" -- \
    ally import partners missing.csv
bad 64 'ally: import: cannot import "stuff": partners, referrals, deals or conversions (see ally import --help)' \
    "import of an unknown kind" -- ally import stuff partners.csv
bad 64 'ally: import: missing partners|referrals|deals|conversions FILE.csv (see ally import --help)' \
    "import without a file" -- ally import partners
run ally import "x${ESC}[2J" partners.csv
is_rc 64 "import kind holding ESC"
no_esc "$err" "import kind holding ESC"

# ---- import referrals ----

ally program add Spring --rule "percent 10" --activate >/dev/null
ally code new --program Spring --partner "Widgets, Inc." --vanity WIDGETS >/dev/null
printf 'code,email,name,at\n%s\n%s\n%s\n' \
    'WIDGETS,r1@example.com,R One,2026-10-02' \
    'widgets,R2@Example.com,"Two, R",2026-10-03T10:00:00Z' \
    'NOPE9999,r3@example.com,,' >refs.csv
snapshot
run ally import referrals refs.csv
is_rc 65 "import referrals with a bad row"
like "$err" 'ally: refs.csv:4: record 3: code: NOPE9999 not found' "the bad referral row is named"
like "$err" '3 lines, 2 recorded' "the good referral rows are recorded"
run ally referral list --csv
is "$(csv_rows "$out")" "2" "two referrals imported"
is "$(csv_field "$out" 1 name)" "Two, R" "a quoted name with a comma"
is "$(csv_field "$out" 1 email)" "r2@example.com" "imported contact e-mail lower-cased"
is "$(csv_field "$out" 2 at)" "2026-10-02T00:00:00Z" "imported time"
snapshot
run ally import referrals refs.csv
like "$err" '0 recorded, 2 duplicates' "importing referrals again: duplicates"
unchanged "importing referrals again"

# ---- export ----

ally program add 'Acme, "Best"' --rule "flat 5" --activate >/dev/null
ally code new --program 'Acme, "Best"' --customer zoe@example.com --vanity ZOE >/dev/null
ally partner add '=HYPERLINK("http://evil.example")' --email ev@example.com --contact '+1+1' \
    --address '@SUM(A1)' --notes '-2+3' >/dev/null
ally track referral --code WIDGETS --email c1@example.com --at 2026-10-04 >/dev/null
ally track conversion --code WIDGETS --email c1@example.com --event purchase --amount 1200.50 \
    --id ORD-1 --at 2026-10-05 >/dev/null
ally track referral --code ZOE --email c2@example.com --at 2026-10-06 >/dev/null
ally track conversion --code ZOE --email c2@example.com --event purchase --amount 10 \
    --id ORD-2 --at 2026-10-07 >/dev/null

for what in programs partners referrals conversions; do
	run ally export $what
	is_rc 0 "export $what"
	like "$out" '^id,' "export $what: CSV header row (CSV is the default)"
	run ally export $what --csv
	like "$out" '^id,' "export $what --csv: header row"
	run ally export $what --json
	is_rc 0 "export $what --json"
	json_lines "$out" "export $what --json"
done

run ally export programs --csv
is "$(csv_field "$out" 2 name)" 'Acme, "Best"' "exported CSV quotes per RFC 4180"
run ally export partners --csv
is "$(csv_where "$out" email ev@example.com name)" "'=HYPERLINK(\"http://evil.example\")" "a field starting with = gets a ' prefix"
is "$(csv_where "$out" email ev@example.com contact)" "'+1+1" "a field starting with + gets a ' prefix"
is "$(csv_where "$out" email ev@example.com address)" "'@SUM(A1)" "a field starting with @ gets a ' prefix"
is "$(csv_where "$out" email ev@example.com notes)" "'-2+3" "a field starting with - gets a ' prefix"
run ally export partners --json
is "$(printf '%s\n' "$out" | grep ev@example.com | python3 -c 'import json,sys; print(json.load(sys.stdin)["name"])')" '=HYPERLINK("http://evil.example")' "JSON is not prefixed"

# ";" and tabs split cells in German and French Excel: such fields are quoted
ally partner add 'Dupont; Fils' --email dupont@example.com --contact 'Ann Lee' \
    --address "$(printf 'Rue 1;\nParis')" --notes "$(printf 'a;b\tc\nd')" >/dev/null
ally partner add "'=cmd" --email apos@example.com --contact "'plain" --notes "''@x" >/dev/null
run ally export partners --csv
like "$out" 'P[0-9]+,"Dupont; Fils",' "a field holding ; is quoted"
like "$out" ',"a;b	c' "a field holding a tab is quoted"
is "$(printf '%s\n' "$out" | python3 -c 'import csv,sys
print(sum(1 for r in csv.reader(sys.stdin) for f in r if (";" in f or "\t" in f)))')" 3 \
    "the ; and tab fields come back whole through a CSV reader"
ally partner add 'Evil; Co' --email evil@example.com --notes "$(printf 'x;=HYPERLINK("http://e.example");-1;\t@SUM(A1)\n+cmd')" >/dev/null
run ally export partners --csv
is "$(printf '%s\n' "$out" | python3 -c 'import csv,re,sys
num = re.compile(r"^[-+]?[0-9]+(\.[0-9]+)?$")
print([c for r in csv.reader(sys.stdin, delimiter=";") for c in r
       if c[:1] in ("=", "+", "-", "@") and not num.match(c)])')" "[]" \
    "read with ; as the separator (German Excel), no cell starts a formula"
like "$out" ";'=HYPERLINK" "the piece after a ; is guarded"
is "$(csv_where "$out" email apos@example.com name)" "''=cmd" "a leading ' before = gets one more"
is "$(csv_where "$out" email apos@example.com contact)" "'plain" "a leading ' before a letter is left alone"
is "$(csv_where "$out" email apos@example.com notes)" "'''@x" "two leading ' before @ get one more"
# ... and what export wrote, import reads back as it was stored
printf '%s\n' "$out" >"$tmp/round.csv"
ALLY_DB=$tmp/round "$ALLY" init >/dev/null
ALLY_DB=$tmp/round "$ALLY" tier add Gold --rule "percent 10" >/dev/null
run env ALLY_DB="$tmp/round" "$ALLY" import partners "$tmp/round.csv"
is_rc 0 "import of an export"
run env ALLY_DB="$tmp/round" "$ALLY" export partners --json
round=$out
run ally export partners --json
strip='import json,sys
print([{k: v for k, v in json.loads(l).items() if k not in ("id", "created")} for l in sys.stdin])'
is "$(printf '%s\n' "$round" | python3 -c "$strip")" "$(printf '%s\n' "$out" | python3 -c "$strip")" \
    "export, import, export: every partner field the same (formula guards, ;, tabs, line breaks)"

run ally export conversions --json
is "$(json_get "$out" 2 amount)" "1200.50" "exported amount in major units"
is "$(json_get "$out" 2 amount_minor)" "120050" "exported amount_minor"
is "$(json_get "$out" 2 currency)" "EUR" "exported currency"
run ally export conversions --csv
is "$(csv_field "$out" 2 amount)" "1200.50" "CSV amount has no thousands separator"

# Filters.
run ally export referrals --program Spring --csv
is "$(csv_rows "$out")" "3" "--program"
run ally export referrals --program 'Acme, "Best"' --json
is "$(json_get "$out" 1 email)" "c2@example.com" "--program by a name with a comma"
run ally export referrals --from 2026-10-03 --to 2026-10-04 --csv
is "$(csv_rows "$out")" "2" "--from and --to take whole days"
is "$(csv_field "$out" 1 email)" "c1@example.com" "--to includes its day"
is "$(csv_field "$out" 2 email)" "r2@example.com" "--from includes its day"
run ally export conversions --from 2026-10-06 --json
is "$(json_get "$out" 1 external_id)" "ORD-2" "--from on conversions"
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" "1" "--from leaves out the earlier conversion"
run ally export conversions --program Nope
is_rc 66 "--program of an unknown program"
err_is 'ally: export: program "Nope" not found' "--program of an unknown program"
bad 65 'ally: export: from: "soon" is not a valid date (want YYYY-MM-DD or RFC 3339)' "bad --from" -- \
    ally export referrals --from soon
bad 64 'ally: export: --csv and --json exclude each other (see ally export --help)' "--csv with --json" -- \
    ally export referrals --csv --json
bad 64 'ally: export: cannot export "frob": one of programs, partners, tiers, codes, referrals, conversions, refunds (see ally export --help)' \
    "export of an unknown kind" -- ally export frob
run ally export "x${ESC}[2J"
is_rc 64 "export kind holding ESC"
no_esc "$err" "export kind holding ESC"

run ally export referrals --output out.csv
is_rc 0 "export --output"
is "$out" "" "export --output prints nothing"
is "$(csv_rows "$(cat out.csv)")" "4" "export --output wrote the file"
bad 73 'ally: export: /nonexistent/dir/x.csv: No such file or directory' "export --output to a missing directory" -- \
    ally export referrals --output /nonexistent/dir/x.csv
is "$(ls /nonexistent/dir 2>/dev/null)" "" "no temporary file is left"

done_testing
