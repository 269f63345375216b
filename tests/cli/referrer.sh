#!/bin/sh
# referrer.sh - `ally referrer find` and `ally referrer show`: any word of
# a name, e-mail, code or referred contact, folded (case, accents), ranked,
# with the count of every match; the timeline; bad input refused with one
# line and nothing written; the word index of an older database and
# `ally check` over it.
. "${top_srcdir:-.}/tests/cli/lib.sh"

ally init --org "Acme" --currency EUR >/dev/null
ally program add "Spring" --rule "percent 10" --activate >/dev/null
ally code new --program Spring --customer anna@example.com --name "Anna Tanaka" --vanity ANNA1 >/dev/null
ally code new --program Spring --customer zoe.l@example.com --name "Zoë Lindqvist" --vanity ZOE22 >/dev/null
ally code new --program Spring --customer bo@example.com --name "Bo Tanakawa" --vanity BOBO3 >/dev/null
ally partner add "Harbor North" --email north@harbor.example >/dev/null
ally code new --program Spring --partner "Harbor North" --vanity HARBOR >/dev/null
ally track referral --code HARBOR --email kenji.tanaka@firm.example.org --name "Kenji Tanaka" \
	--at 2026-10-02 >/dev/null
ally track conversion --code HARBOR --email kenji.tanaka@firm.example.org --event purchase \
	--amount 120.00 --id ORD-1 --at 2026-10-03 >/dev/null

# --- find: a surname, ranked ---
run ally referrer find tanaka
is_rc 0 "find a surname"
is "$out" "ID  KIND      NAME          EMAIL                 PARTNER       MATCH
R1  customer  Anna Tanaka   anna@example.com                    name
R4  partner   Harbor North  north@harbor.example  Harbor North  contact Kenji Tanaka
R3  customer  Bo Tanakawa   bo@example.com                      name
3 referrers match" "whole name words, then a whole contact word, then a word's start"
is "$err" "" "all shown: nothing on stderr"

# --- an accent-free spelling, upper case ---
run ally referrer find ZOE --json
is_rc 0 "find zoe"
like "$out" '^\{"id":"R2",.*"name":"Zoë Lindqvist".*"match":"name"\}$' "ZOE finds Zoë, one JSON line"

# --- a referred contact's e-mail, whole ---
run ally referrer find kenji.tanaka@firm.example.org --csv
is_rc 0 "find a contact's e-mail"
is "$(printf '%s\n' "$out" | tr -d '\r')" "id,kind,name,email,partner,match
R4,partner,Harbor North,north@harbor.example,Harbor North,contact Kenji Tanaka" \
	"the partner who referred the contact, as CSV"
run ally referrer find firm.example
like "$out" 'contact kenji\.tanaka@firm\.example\.org' "an e-mail's words say the e-mail matched"

# --- codes, several words, nothing ---
run ally referrer find zoe2
like "$out" 'R2 .*code ZOE22' "a code's start"
run ally referrer find "lindqvist zoe"
like "$out" '1 referrer match$' "every word must match"
run ally referrer find qqqq
is "$out" "0 referrers match" "no match says so"

# --- the count covers what --limit leaves out ---
run ally referrer find example --limit 2
is_rc 0 "find with a limit"
like "$out" '4 referrers match$' "the count is of every match"
is "$(printf '%s\n' "$out" | grep -c '^R')" 2 "two rows shown"
err_is "ally: referrer find: showing 2 of 4 matches (--limit N for more, or more words)" \
	"stderr says what the limit left out"

# --- show: the timeline ---
run ally referrer show R4
is_rc 0 "show a referrer"
like "$out" 'conversion .*purchase ORD-1 .*120\.00' "the conversion"
like "$out" 'referral .*Kenji Tanaka kenji\.tanaka@firm\.example\.org' "the referral and its contact"
like "$out" 'code .*code HARBOR' "the code"
run ally referrer show R4 --json
like "$(printf '%s\n' "$out" | head -1)" '^\{"id":' "JSON lines"

# --- bad input: one line, the right status, nothing written ---
bad 64 "ally: referrer find: --limit: expected a whole number (see ally referrer find --help)" \
	"a bad --limit" -- ally referrer find tanaka --limit lots
bad 64 "ally: referrer find: missing TEXT (see ally referrer find --help)" \
	"no text" -- ally referrer find
bad 66 'ally: referrer show: referrer "R99" not found' "an unknown referrer" -- ally referrer show R99
bad 64 "ally: referrer show: --limit must be at least 1 (see ally referrer show --help)" \
	"show --limit 0" -- ally referrer show R4 --limit 0
bad 64 "ally: referrer find: --csv and --json exclude each other (see ally referrer find --help)" \
	"both formats" -- ally referrer find tanaka --csv --json

# --- roles: support may look up, a partner account may not ---
ally user add sam --role support >/dev/null
run env ALLY_USER=sam "$ALLY" referrer find tanaka
is_rc 0 "support looks up"

# --- help ---
run ally referrer --help
like "$out" 'find TEXT' "help lists find"
like "$out" 'show ID' "and show"

# --- the word index is checked; an older database gets it on open ---
run ally check
is_rc 0 "ally check passes"
old=$tmp/old
mkdir "$old"
for n in $(mdb_dump -l "$ALLY_DB"); do
	case $n in ix.*.word) ;; *) mdb_dump -s "$n" "$ALLY_DB" ;; esac
done >"$tmp/old.dump"
(umask 027 && mdb_load -f "$tmp/old.dump" "$old" 2>/dev/null)
cp "$ALLY_DB/audit.key" "$old/"
is "$(mdb_dump -l "$old" | grep -c 'word$')" 0 "a copy without the word indexes"
run ally --db "$old" referrer find tanaka
is_rc 0 "find in the older database"
like "$out" '3 referrers match$' "its word index was built on open"
run ally --db "$old" check
is "$rc:$out" "0:ok: no problems found" "and checks clean"

# --- a bigger older database: building its word index grows the map ---
i=0
while [ $i -lt 3000 ]; do
	i=$((i + 1))
	printf '{"type":"referral","code":"HARBOR","email":"bulk%d@many.example","name":"Bulk Contact %d"}\n' $i $i
done >"$tmp/bulk.jsonl"
ally ingest "$tmp/bulk.jsonl" 2>/dev/null
big=$tmp/big
mkdir "$big"
for n in $(mdb_dump -l "$ALLY_DB"); do
	case $n in ix.*.word) ;; *) mdb_dump -s "$n" "$ALLY_DB" ;; esac
done | sed 's/^mapsize=.*/mapsize=1048576/' >"$tmp/big.dump"
(umask 027 && mdb_load -f "$tmp/big.dump" "$big" 2>/dev/null)
cp "$ALLY_DB/audit.key" "$big/"
run env ALLY_MAP_INITIAL=1048576 "$ALLY" --db "$big" referrer find bulk2999
is_rc 0 "an older database whose word index outgrows its map opens"
like "$out" '1 referrer match$' "and finds a contact in it"

done_testing
