#!/bin/sh
# whatif.sh - the program form's what-if note: editing a program's rule
# shows what last month's conversions would earn under the rule typed,
# beside what they earn now, the same figures as ally whatif; an invalid
# rule or the rule unchanged shows none, and nothing is written.
. "${top_srcdir:-.}/tests/cli/lib.sh"
. "${top_srcdir:-.}/tests/ui/lib.sh"

export ALLY_NOW=2026-11-15T12:00:00Z
ally init --org "Acme" --currency EUR >/dev/null
ally program add Shop --rule "percent 10" --hold 0 --activate >/dev/null
ally partner add North --email n@north.example >/dev/null
ally partner add South --email s@south.example >/dev/null
ally code new --program Shop --partner North --vanity NORTH >/dev/null
ally code new --program Shop --partner South --vanity SOUTH >/dev/null
# October: North 1,000.00 + 250.00, South 4,000.00; November: North 99.00
for ev in "NORTH a 1000.00 2026-10-03" "NORTH b 250.00 2026-10-20" "SOUTH c 4000.00 2026-10-09" \
    "NORTH d 99.00 2026-11-02"; do
	set -- $ev
	ally track referral --code "$1" --email "$2@client.example" --at "$4" >/dev/null
	ally track conversion --code "$1" --email "$2@client.example" --event purchase --amount "$3" \
	    --id "O-$2" --at "$4T10:00:00Z" >/dev/null
done

snapshot
screen <<'KEYS'
key 2
key e
key Tab
dump
key C-u
type percent 12 cap 300.00
dump
wait-refresh
dump
key C-u
type percent 12 cap
wait-refresh
dump
key C-u
type percent 10
wait-refresh
dump
key C-u
type percent 11
wait-refresh
key Backspace
key Backspace
type 11
dump
wait-refresh
dump
key Esc
key y
KEYS
is "$rc" 0 "script mode exits 0"
screen_lacks 1 'What-if' "the rule as it is: no note"
screen_has 2 'What-if: last month under this rule, when you' "while typing: the what-if waits for a pause"
# October under percent 12 cap 300.00: 120.00 + 30.00 + 300.00 = 450.00,
# now 100.00 + 25.00 + 400.00 = 525.00; South -100.00, North +25.00
screen_has 3 'What-if, 2026-10: 3 conversions earn 525\.00 EUR' "after a pause: last full month, now"
screen_has 3 '450\.00 under this rule \(-75\.00\)' "the note: under the rule typed, and the difference"
screen_has 3 'most: South -100\.00,' "the note: the partner that changes most first"
screen_has 3 '^ +North \+25\.00' "then the next"
screen_lacks 4 'What-if' "an unfinished rule: no note"
screen_has 4 '! after "cap": expected an amount' "but its error"
screen_lacks 5 'What-if' "back to the rule as it is: no note"
# percent 11: 110.00 + 27.50 + 440.00 = 577.50 (+52.50)
screen_has 6 'What-if: last month under this rule, when you' "the same rule typed again waits again"
screen_has 7 '577\.50 under this rule \(\+52\.50\)' "and comes back after a pause"
unchanged "the what-if in the form"
run ally whatif --program Shop --rule "percent 12 cap 300.00" --from 2026-10-01 --to 2026-10-31 --json
like "$out" '"current":"525.00".*"proposed":"450.00"' "the same figures as ally whatif"

done_testing
