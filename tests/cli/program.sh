#!/bin/sh
# program.sh - ally program and ally tier: add, edit, status changes,
# listing as a table, CSV and JSON.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"

ESC=$(printf '\033')

no_esc() {
	case $1 in
	*"$ESC"*) not_ok "$2: no raw ESC" "got:  $(printf '%s' "$1" | od -c | head -3)" ;;
	*) ok "$2: no raw ESC" ;;
	esac
}

json_lines() {  # json_lines TEXT WHAT: every line is one JSON object
	if printf '%s\n' "$1" | python3 -c 'import json,sys
for l in sys.stdin:
    assert isinstance(json.loads(l), dict)' 2>"$tmp/py"; then
		ok "$2: one JSON object a line"
	else
		not_ok "$2: one JSON object a line" "$(tail -1 "$tmp/py")"
	fi
}

json_get() {  # json_get TEXT LINE KEY: a field of the LINE-th object (from 1)
	printf '%s\n' "$1" | python3 -c 'import json,sys
l = sys.stdin.read().splitlines()[int(sys.argv[1]) - 1]
v = json.loads(l)[sys.argv[2]]
print(json.dumps(v) if not isinstance(v, str) else v)' "$2" "$3" 2>/dev/null
}

ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }

# ---- add with every flag ----

run ally program add Spring --rule "percent 10" --start 2026-01-01 --end 2026-12-31 \
    --window 30 --events Signup,purchase --hold 14 --landing https://example.com/join \
    --attribution last --currency USD --eligible both --max-referrals 10/month \
    --cap 500.00 --activate
is_rc 0 "program add with every flag"
is "$out" "PG1 Spring (active)" "program add prints id, name and status"
is "$err" "" "program add writes nothing on stderr"

run ally program show Spring --json
is_rc 0 "program show --json"
json_lines "$out" "program show --json"
is "$(json_get "$out" 1 id)" "PG1" "show: id"
is "$(json_get "$out" 1 name)" "Spring" "show: name"
is "$(json_get "$out" 1 status)" "active" "show: status"
is "$(json_get "$out" 1 rule)" "percent 10" "show: rule stored as written"
is "$(json_get "$out" 1 start)" "2026-01-01" "show: start"
is "$(json_get "$out" 1 end)" "2026-12-31" "show: end is the last day"
is "$(json_get "$out" 1 window_days)" "30" "show: window"
is "$(json_get "$out" 1 hold_days)" "14" "show: hold"
is "$(json_get "$out" 1 events)" "signup,purchase" "show: events lower-cased"
is "$(json_get "$out" 1 attribution)" "last" "show: attribution"
is "$(json_get "$out" 1 eligible)" "both" "show: eligible"
is "$(json_get "$out" 1 max_referrals)" "10" "show: max referrals"
is "$(json_get "$out" 1 max_period)" "month" "show: max period"
is "$(json_get "$out" 1 cap)" "500.00" "show: cap in major units"
is "$(json_get "$out" 1 cap_minor)" "50000" "show: cap_minor"
is "$(json_get "$out" 1 currency)" "USD" "show: currency"
is "$(json_get "$out" 1 landing)" "https://example.com/join" "show: landing"

run ally program show PG1
is_rc 0 "program show by id"
like "$out" 'name: +Spring' "program show prints name: value"
run ally program show 1
is_rc 0 "program show by bare number"

run ally program add Draft --rule "flat 25.00"
is_rc 0 "program add with defaults"
is "$out" "PG2 Draft (draft)" "a new program is a draft"
run ally program show Draft --json
is "$(json_get "$out" 1 window_days)" "90" "default window is 90 days"
is "$(json_get "$out" 1 hold_days)" "30" "default hold is 30 days"
is "$(json_get "$out" 1 attribution)" "first" "default attribution is first"
is "$(json_get "$out" 1 currency)" "EUR" "default currency is the organisation's"

run ally program add Tiered --rule "tiered revenue quarter volume 0:5% 10000.00:7% 25000.00:10%"
is_rc 0 "program add with a tiered rule"

# ---- rule grammar errors surface with the parser's message ----

bad 65 'ally: program add: rule: after "percent": expected a percentage' "rule without a rate" -- \
    ally program add X --rule "percent"
bad 65 'ally: program add: rule: word 2 "abc": expected a percentage' "rule with a word for a rate" -- \
    ally program add X --rule "percent abc"
bad 65 'ally: program add: rule: word 1 "frob": expected flat, percent, tiered or when' "unknown rule kind" -- \
    ally program add X --rule "frob 3"
bad 65 'ally: program add: rule: word 2 "7.555": percentage has at most 2 decimals' "rate with 3 decimals" -- \
    ally program add X --rule "percent 7.555"
bad 65 'ally: program add: rule: word 2 "1.234": EUR amounts have at most 2 decimals' "flat amount with 3 decimals" -- \
    ally program add X --rule "flat 1.234"
bad 65 'ally: program add: rule: bracket 1 "5:5%": first lower bound must be 0' "brackets not from 0" -- \
    ally program add X --rule "tiered count month graduated 5:5%"
bad 65 'ally: program add: rule: bracket 2 "0:6%": lower bounds must increase (previous is 0)' "brackets not increasing" -- \
    ally program add X --rule "tiered count month graduated 0:5% 0:6%"
bad 64 'ally: program add: --rule is required (see ally program add --help)' "missing --rule" -- \
    ally program add X
bad 64 'ally: program add: option --rule needs a value (see ally program add --help)' "--rule without a value" -- \
    ally program add X --rule
bad 64 'ally: program add: missing NAME (see ally program add --help)' "missing NAME" -- \
    ally program add --rule "flat 1"
bad 64 'ally: program add: unexpected argument "extra" (see ally program add --help)' "two names" -- \
    ally program add X extra --rule "flat 1"

# ---- bad flags ----

bad 65 'ally: program add: window: "x" is not a whole number' "--window x" -- \
    ally program add X --rule "flat 1" --window x
bad 65 'ally: program add: window: -1 is out of range (0..3650)' "--window -1" -- \
    ally program add X --rule "flat 1" --window -1
bad 65 'ally: program add: window: 4000 is out of range (0..3650)' "--window 4000" -- \
    ally program add X --rule "flat 1" --window 4000
bad 65 'ally: program add: hold: "1.5" is not a whole number' "--hold 1.5" -- \
    ally program add X --rule "flat 1" --hold 1.5
bad 65 'ally: program add: start: "2026-13-01" is not a valid date (want YYYY-MM-DD)' "--start 2026-13-01" -- \
    ally program add X --rule "flat 1" --start 2026-13-01
bad 65 'ally: program add: end: "2026-02-30" is not a valid date (February 2026 has 28 days)' "--end 2026-02-30" -- \
    ally program add X --rule "flat 1" --end 2026-02-30
bad 65 'ally: program add: end: must not be before start' "--end before --start" -- \
    ally program add X --rule "flat 1" --start 2026-05-01 --end 2026-04-01
bad 65 'ally: program add: events: give at least one qualifying event, e.g. signup,purchase' "--events ,," -- \
    ally program add X --rule "flat 1" --events ,,
bad 65 'ally: program add: events: "a+b" is not an event name (letters, digits, - _ .)' "--events a+b" -- \
    ally program add X --rule "flat 1" --events a+b
bad 65 'ally: program add: attribution: must be first or last' "--attribution middle" -- \
    ally program add X --rule "flat 1" --attribution middle
bad 65 'ally: program add: eligible: must be customers, partners or both' "--eligible everyone" -- \
    ally program add X --rule "flat 1" --eligible everyone
bad 65 'ally: program add: currency: "EURO" is not an ISO 4217 code we know' "--currency EURO" -- \
    ally program add X --rule "flat 1" --currency EURO
bad 65 'ally: program add: cap: "1.234" has more decimals than EUR allows (2)' "--cap 1.234" -- \
    ally program add X --rule "flat 1" --cap 1.234
bad 65 'ally: program add: cap: "-5" must not be negative' "--cap -5" -- \
    ally program add X --rule "flat 1" --cap -5
bad 65 "ally: program add: cap: \"abc\" is not an amount (want digits with '.' for decimals and no thousands separators, e.g. 12.50)" \
    "--cap abc" -- ally program add X --rule "flat 1" --cap abc
bad 65 'ally: program add: max-referrals: "x" is not a whole number' "--max-referrals x" -- \
    ally program add X --rule "flat 1" --max-referrals x
bad 65 'ally: program add: max-referrals: period "week" must be month, quarter, year or lifetime' \
    "--max-referrals 10/week" -- ally program add X --rule "flat 1" --max-referrals 10/week
bad 65 'ally: program add: max-referrals: -1 is out of range (0..1000000)' "--max-referrals -1" -- \
    ally program add X --rule "flat 1" --max-referrals -1
bad 65 'ally: program add: landing: a URL has no blanks' "--landing with a blank" -- \
    ally program add X --rule "flat 1" --landing "https://example.com/a b"
bad 65 'ally: program add: rule: word 2 "1.5": JPY amounts have no decimals' \
    "a rule amount finer than the program's currency" -- \
    ally program add X --rule "flat 1.5" --currency JPY
bad 64 'ally: program add: option --window given twice (see ally program add --help)' "--window twice" -- \
    ally program add X --rule "flat 1" --window 1 --window 2

# What the user typed is echoed made visible, never raw.
for f in window hold currency events max-referrals start cap; do
	v="3${ESC}[2J"
	[ "$f" = max-referrals ] && v="3/${ESC}[2J"
	snapshot
	run ally program add X --rule "flat 1" --"$f" "$v"
	is_rc 65 "--$f holding ESC"
	no_esc "$err" "--$f holding ESC"
	like "$err" '\\e\[2[Jj]' "--$f holding ESC is shown escaped"
	unchanged "--$f holding ESC"
done
bad 65 'ally: program add: name: control characters are not allowed' "a name holding ESC" -- \
    ally program add "X${ESC}[2J" --rule "flat 1"
run ally program show "P${ESC}[2J"
is_rc 66 "show of an unknown name holding ESC"
err_is 'ally: program show: program "P\e[2J" not found' "show of an unknown name holding ESC"

# ---- names are unique, case-insensitively ----

bad 65 'ally: program add: name: "spring" is already taken by PG1' "duplicate name, other case" -- \
    ally program add spring --rule "flat 5"
bad 65 'ally: program add: name: "SPRING" is already taken by PG1' "duplicate name, upper case" -- \
    ally program add SPRING --rule "flat 5"
bad 65 'ally: program edit: name: "spring" is already taken by PG1' "rename onto a taken name" -- \
    ally program edit Draft --name spring

# ---- edit ----

run ally program edit Spring --window 60 --name "Spring 26"
is_rc 0 "program edit"
is "$out" "PG1 Spring 26 (active)" "program edit prints the program"
run ally program show PG1 --json
is "$(json_get "$out" 1 window_days)" "60" "edit changed the window"
is "$(json_get "$out" 1 hold_days)" "14" "edit kept the hold"
is "$(json_get "$out" 1 rule)" "percent 10" "edit kept the rule"
run ally program show "spring 26"
is_rc 0 "the new name resolves, in any case"
run ally program edit PG1 --name "Spring 26"
is_rc 0 "renaming a program to its own name"
run ally program edit PG1 --end ""
is_rc 0 "--end \"\" clears the end"
run ally program show PG1 --json
is "$(json_get "$out" 1 end)" "null" "the end is cleared"

bad 66 'ally: program edit: program "Nope" not found' "edit of an unknown program" -- \
    ally program edit Nope --window 5
bad 65 'ally: program edit: window: "x" is not a whole number' "edit with a bad window" -- \
    ally program edit PG1 --window x
bad 65 'ally: program edit: rule: after "flat": expected an amount' "edit with a bad rule" -- \
    ally program edit PG1 --rule flat

# ---- status changes ----

bad 65 'ally: program pause: program Draft is draft: only an active program can be paused' \
    "pause a draft" -- ally program pause Draft
run ally program activate Draft
is_rc 0 "activate a draft"
is "$out" "PG2 Draft (active)" "activate prints the new status"
bad 0 '' "activate an active program again: nothing changes" -- ally program activate Draft
run ally program pause Draft
is "$out" "PG2 Draft (paused)" "pause an active program"
bad 65 'ally: program pause: program Draft is paused: only an active program can be paused' \
    "pause a paused program" -- ally program pause Draft
run ally program activate Draft
is "$out" "PG2 Draft (active)" "resume a paused program"
run ally program end Draft
is_rc 0 "end a program"
is "$out" "PG2 Draft (ended)" "end prints ended"
bad 65 'ally: program activate: program Draft has ended and cannot be activated' \
    "activate an ended program" -- ally program activate Draft
bad 65 'ally: program pause: program Draft has ended and cannot be paused' \
    "pause an ended program" -- ally program pause Draft
bad 66 'ally: program end: program "Nope" not found' "end an unknown program" -- \
    ally program end Nope
run ally program add Direct --rule "flat 1" --activate
is "$out" "PG4 Direct (active)" "--activate makes it active at once"

# ---- list: table, CSV, JSON ----

run ally program add 'Acme, "Best" Deals' --rule "flat 25.00"
is_rc 0 "a name with a comma and quotes"

run ally program list
is_rc 0 "program list"
like "$out" '^ID +NAME +STATUS +RULE' "table header"
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" "6" "table: header and 5 programs"
like "$out" 'PG5 +Acme, "Best" Deals +draft' "table shows the name as is"

run ally program list --csv
is_rc 0 "program list --csv"
like "$out" '^id,name,status,rule,' "CSV header row"
like "$out" 'PG5,"Acme, ""Best"" Deals",draft,flat 25.00,' "CSV quotes a comma and doubles quotes"
like "$out" 'PG1,Spring 26,active,percent 10,2026-01-01,,60,14,"signup,purchase",last,both,' \
    "CSV quotes the events list"
ally program list --csv | head -1 | od -c | grep -q '\\r  \\n' &&
    ok "CSV lines end with CRLF" || not_ok "CSV lines end with CRLF"
is "$(ally program list --csv | python3 -c 'import csv,sys; r=list(csv.reader(sys.stdin)); print(len(r), r[5][1])')" \
    '6 Acme, "Best" Deals' "CSV reads back with a CSV parser"

run ally program list --json
is_rc 0 "program list --json"
json_lines "$out" "program list --json"
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" "5" "JSON: one line per program"
is "$(json_get "$out" 5 name)" 'Acme, "Best" Deals' "JSON name round-trips"
is "$(json_get "$out" 1 cap)" "500.00" "JSON money as a string in major units"
is "$(json_get "$out" 1 cap_minor)" "50000" "JSON money in minor units"

run ally program list --status ended --csv
is "$(printf '%s\n' "$out" | tail -n +2 | cut -d, -f1)" "PG2" "list --status ended"
bad 64 'ally: program list: --csv and --json exclude each other (see ally program list --help)' \
    "--csv with --json" -- ally program list --csv --json
bad 64 'ally: program list: unexpected argument "extra" (see ally program list --help)' \
    "list with an argument" -- ally program list extra

# ---- tiers ----

run ally tier add Gold --rule "percent 15" --rank 2 --exclusivity 60 --max-deals 5
is_rc 0 "tier add with every flag"
is "$out" "T1 Gold" "tier add prints id and name"
run ally tier add Silver --rule "flat 10.00"
is_rc 0 "tier add with defaults"
bad 65 'ally: tier add: name: "gold" is already taken by T1' "duplicate tier name" -- \
    ally tier add gold --rule "percent 15"
bad 65 'ally: tier add: rule: word 2 "x": expected a percentage' "tier with a bad rule" -- \
    ally tier add Bronze --rule "percent x"
bad 65 'ally: tier add: rank: "x" is not a whole number' "tier with a bad rank" -- \
    ally tier add Bronze --rule "percent 5" --rank x
bad 65 'ally: tier add: exclusivity: -1 is out of range (0..3650)' "tier with a bad exclusivity" -- \
    ally tier add Bronze --rule "percent 5" --exclusivity -1
bad 65 'ally: tier add: max-deals: "many" is not a whole number' "tier with a bad max-deals" -- \
    ally tier add Bronze --rule "percent 5" --max-deals many
bad 64 'ally: tier add: --rule is required (see ally tier add --help)' "tier without a rule" -- \
    ally tier add Bronze

run ally tier edit Gold --rank 3 --name Platinum
is_rc 0 "tier edit"
is "$out" "T1 Platinum" "tier edit renames"
bad 66 'ally: tier edit: tier "Nope" not found' "edit of an unknown tier" -- \
    ally tier edit Nope --rank 3
bad 65 'ally: tier edit: name: "silver" is already taken by T2' "rename a tier onto a taken name" -- \
    ally tier edit Platinum --name silver

run ally tier list
is_rc 0 "tier list"
like "$out" '^ID +NAME +RANK +RULE' "tier table header"
like "$out" 'T1 +Platinum +3 +percent 15 +60 +5' "tier table row"
run ally tier list --csv
is "$(printf '%s\n' "$out" | head -1 | tr -d '\r')" "id,name,rank,rule,exclusivity_days,max_deals,bonus,override" "tier CSV header"
like "$out" 'T2,Silver,0,flat 10.00,90,0' "tier defaults: rank 0, 90 days, no deal limit"
run ally tier list --json
json_lines "$out" "tier list --json"
is "$(json_get "$out" 1 exclusivity_days)" "60" "tier JSON exclusivity"

# A program may name the tiers it allows.
run ally program edit Direct --tiers "Platinum, T2"
is_rc 0 "program --tiers by name and id"
run ally program show Direct --json
is "$(json_get "$out" 1 tiers)" "1,2" "program tiers stored as ids"
bad 66 'ally: program edit: tiers: tier "Tin" not found' "program --tiers with an unknown tier" -- \
    ally program edit Direct --tiers Tin

done_testing
