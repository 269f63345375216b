#!/bin/sh
# ingest.sh - ally ingest: JSON Lines with good and bad lines, --rejects,
# idempotency, stdin, empty input.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"

ESC=$(printf '\033')

no_esc() {
	case $1 in
	*"$ESC"*) not_ok "$2: no raw ESC" "got:  $(printf '%s' "$1" | od -c | head -3)" ;;
	*) ok "$2: no raw ESC" ;;
	esac
}

has_line() {  # has_line TEXT LINE WHAT: TEXT holds exactly that line
	if printf '%s\n' "$1" | grep -Fxq -- "$2"; then
		ok "$3"
	else
		not_ok "$3" "got:  $1" "want a line: $2"
	fi
}

count() {  # count TEXT: lines in TEXT
	if [ -z "$1" ]; then echo 0; else printf '%s\n' "$1" | wc -l | tr -d ' '; fi
}

ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally program add Spring --rule "percent 10" --activate >/dev/null
ally partner add Acme --email ann@acme.example >/dev/null
ally code new --program Spring --partner Acme --vanity ACME7K2Q >/dev/null
cd "$tmp" || exit 1

cat >ev.jsonl <<'EOF'
{"type":"referral","code":"ACME7K2Q","email":"ann@example.com","name":"Ann","at":"2026-10-01T10:00:00Z"}
{"type":"conversion","code":"ACME7K2Q","email":"ann@example.com","event":"purchase","amount":"120.00","currency":"EUR","id":"ORD-1","at":"2026-10-03T08:00:00Z"}
{"type":"referral","code":"ACME7K2Q",
{"type":"referral","code":"ACME7K2Q","email":"bob@example.com","colour":"red"}
{"type":"referral","code":"NOPE1234","email":"bob@example.com"}
{"type":"conversion","code":"ACME7K2Q","email":"ann@example.com","event":"purchase","amount":"1.234","id":"ORD-2","at":"2026-10-03T09:00:00Z"}

{"type":"refund","program":"Spring","id":"ORD-1","amount":"20.00","at":"2026-10-09T12:00:00Z"}
{"type":"referral","code":"ACME7K2Q","email":"ann@acme.example","at":"2026-10-02"}
EOF
sed -n '3,6p' ev.jsonl >want-rejects

snapshot
run ally ingest ev.jsonl --rejects rejects.txt
is_rc 65 "ingest with invalid lines"
has_line "$err" 'ally: ev.jsonl:3: not valid JSON: string or '"'}'"' expected near end of file' \
    "bad JSON reported with its line"
has_line "$err" 'ally: ev.jsonl:4: colour: unknown field' "unknown field reported with its line"
has_line "$err" 'ally: ev.jsonl:5: code: NOPE1234 not found' "unknown code reported with its line"
has_line "$err" 'ally: ev.jsonl:6: amount: "1.234" has more decimals than EUR allows (2)' \
    "bad amount reported with its line"
is "$(printf '%s\n' "$err" | grep -c '^ally: ev.jsonl:')" "4" "exactly the 4 bad lines are reported"
like "$err" 'ally: ingest: 8 lines, 4 recorded, 0 duplicates, 1 rejected, 4 invalid' \
    "summary: lines, recorded, duplicates, rejected, invalid"
is "$out" "" "nothing on stdout"
if cmp -s rejects.txt want-rejects; then ok "--rejects holds exactly the bad raw lines"
else not_ok "--rejects holds exactly the bad raw lines" "got:  $(cat rejects.txt)"; fi
after_first=$(db_hash)
[ "$after_first" != "$snap" ] && ok "valid lines were committed" || not_ok "valid lines were committed"

run ally referral list --csv
is "$(printf '%s\n' "$out" | tail -n +2 | cut -d, -f5,8 | tr -d '\r' | sort | tr '\n' ' ')" \
    "ann@acme.example,rejected ann@example.com,converted " "the valid referrals are there"
run ally conversion list --json
like "$out" '"external_id":"ORD-1".*"refunded":"20.00"' "the conversion and its refund are there"
unlike "$out" 'ORD-2' "the bad conversion is not"

# The same file again changes nothing.
snapshot
run ally ingest ev.jsonl --rejects rejects2.txt
is_rc 65 "the same file again: still 65 for its bad lines"
like "$err" 'ally: ingest: 8 lines, 0 recorded, 4 duplicates, 0 rejected, 4 invalid' \
    "the second time the summary says duplicates"
unchanged "the same file again"
cmp -s rejects2.txt want-rejects && ok "the second --rejects is the same" ||
    not_ok "the second --rejects is the same"

# stdin.
snapshot
run ally ingest - <ev.jsonl
is_rc 65 "ingest - reads stdin"
has_line "$err" 'ally: stdin:4: colour: unknown field' "stdin lines are named stdin:LINE"
unchanged "the same events from stdin"

printf '%s\n' '{"type":"referral","code":"acme7k2q","email":"cy@example.com","at":"2026-10-04"}' \
    '{"type":"conversion","code":"ACME7K2Q","email":"cy@example.com","event":"purchase","amount":"5","id":"CY-1","at":"2026-10-05"}' \
    >good.jsonl
run ally ingest <good.jsonl
is_rc 0 "ingest with no argument reads stdin"
like "$err" '^ally: ingest: 2 lines, 2 recorded, 0 duplicates, 0 rejected, 0 invalid' "all good: summary"
is "$out" "" "all good: nothing on stdout"
run ally ingest good.jsonl
is_rc 0 "all good, twice"
like "$err" '2 lines, 0 recorded, 2 duplicates' "all good, twice: duplicates"

# Empty input.
: >empty.jsonl
bad 0 'ally: ingest: 0 lines, 0 recorded, 0 duplicates, 0 rejected, 0 invalid, 0 events/s' \
    "an empty file" -- ally ingest empty.jsonl
printf '\n\n' >blank.jsonl
run ally ingest blank.jsonl
is_rc 0 "a file of blank lines"
like "$err" '0 lines' "blank lines are not counted"
run ally ingest - </dev/null
is_rc 0 "empty stdin"

# Other bad lines.
printf '%s\n' '[1,2]' '{"type":"bogus"}' '{"code":"ACME7K2Q"}' \
    '{"type":"conversion","code":"ACME7K2Q","email":"cy@example.com","event":"purchase","amount":5.5,"id":"X-1"}' \
    '{"type":"referral","code":"ACME7K2Q","email":"dee@example.com","at":"2030-01-01"}' \
    "{\"type\":\"referral\",\"code\":\"AB\\u001b[2J\",\"email\":\"e@example.com\"}" \
    "{\"type\":\"referral\",\"x\\u001b[2J\":1}" >other.jsonl
snapshot
run ally ingest other.jsonl
is_rc 65 "only invalid lines"
unchanged "only invalid lines"
has_line "$err" 'ally: other.jsonl:1: each line must be a JSON object' "an array is not an object"
has_line "$err" 'ally: other.jsonl:2: type: "bogus" must be referral, conversion or refund' "unknown type"
has_line "$err" 'ally: other.jsonl:3: type: missing (referral, conversion or refund)' "missing type"
has_line "$err" 'ally: other.jsonl:4: amount: must be a string such as "120.50"' "a JSON number for amount"
has_line "$err" 'ally: other.jsonl:5: at: 2030-01-01T00:00:00Z is in the future' "a future time"
has_line "$err" 'ally: other.jsonl:6: code: "AB\e[2J" is not a referral code' "a code holding ESC, escaped"
has_line "$err" 'ally: other.jsonl:7: x\e[2J: unknown field' "a field name holding ESC, escaped"
no_esc "$err" "ingest messages"

# Files that cannot be used.
bad 66 'ally: ingest: nope.jsonl: No such file or directory' "missing file" -- \
    ally ingest nope.jsonl
bad 73 'ally: ingest: --rejects /nonexistent/dir/r.txt: No such file or directory' \
    "--rejects in a missing directory" -- ally ingest ev.jsonl --rejects /nonexistent/dir/r.txt
bad 64 'ally: ingest: unexpected argument "b.jsonl" (see ally ingest --help)' "two files" -- \
    ally ingest a.jsonl b.jsonl
run ally ingest "nope${ESC}[2J.jsonl"
is_rc 66 "a missing file named with ESC"
no_esc "$err" "a missing file named with ESC"

# A field that the event type does not take is refused, not ignored.
printf '%s\n' '{"type":"referral","code":"ACME7K2Q","email":"zed@example.com","amount":"5.00"}' >stray.jsonl
snapshot
run ally ingest stray.jsonl
is_rc 65 "a referral with an amount"
has_line "$err" 'ally: stray.jsonl:1: amount: not a field of a referral' "the stray field is named"
unchanged "a referral with an amount"

done_testing
