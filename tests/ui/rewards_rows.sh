#!/bin/sh
# rewards_rows.sh - bonuses and overrides in the TUI: the program form
# checks a bonus as it is typed and saves bonus and override; the partner
# form picks a parent; the dashboard and Analytics show bonuses and
# overrides on rows of their own, never in the commission figures.
. "${top_srcdir:-.}/tests/cli/lib.sh"
. "${top_srcdir:-.}/tests/ui/lib.sh"

export ALLY_NOW=2026-11-15T12:00:00Z
ally init --org "Acme" --currency EUR >/dev/null
ally program add Shop --rule "percent 10" --hold 0 --activate >/dev/null
ally partner add Agency --email a@agency.example >/dev/null
ally partner add North --email n@north.example >/dev/null
ally code new --program Shop --partner North --vanity NORTH >/dev/null

screen <<'KEYS'
key 2
key e
key Tab
key Tab
key Tab
type 50.00 at 2 conv month
dump
key C-u
type 50.00 at 2 conversions month
key Tab
type 10%
key C-s
dump
key 3
key /
type North
key Enter
key e
key Tab
key Tab
key Tab
type Agen
key Enter
key Enter
key C-s
dump
KEYS
is "$rc" 0 "script mode exits 0"
screen_has 1 '! word 4 "conv": expected conversions or revenue' "the form checks the bonus as it is typed"
screen_has 2 'PG1 Shop saved' "the program is saved"
screen_has 3 'P2 North saved' "the partner is saved"
jf() {
	sed -nE "s/.*\"$1\":(\"[^\"]*\"|[^,}]*).*/\1/p" | sed 's/^"//; s/"$//; s/^null$/-/'
}
is "$(ally program show Shop --json | jf bonus) / $(ally program show Shop --json | jf override)" \
    "50.00 at 2 conversions month / 10" "the form saved the bonus and the override"
is "$(ally partner show North --json | jf parent)" "Agency" "the partner form picked the parent"

# North: two purchases of 1,000.00 in November: 100.00 each, a 50.00
# bonus, and Agency's 10% of each: 10.00, 10.00 and 5.00
for o in a b; do
	ally track referral --code NORTH --email "$o@client.example" --at 2026-11-0$((1 + ${#o})) >/dev/null
	ally track conversion --code NORTH --email "$o@client.example" --event purchase --amount 1000.00 \
	    --id "O-$o" --at "2026-11-0$((1 + ${#o}))T10:00:00Z" >/dev/null
done
ally track referral --code NORTH --email c@client.example --at 2026-11-03 >/dev/null
ally track conversion --code NORTH --email c@client.example --event purchase --amount 1000.00 \
    --id O-c --at 2026-11-03T10:00:00Z >/dev/null

screen <<'KEYS'
key 1
wait-refresh
dump
key 7
key Right
wait-refresh
dump
KEYS
is "$rc" 0 "script mode exits 0 (figures)"
screen_has 1 'Commissions pending 3 \(300\.00 EUR\)' "the dashboard's commission is the three commission lines"
screen_has 1 'Bonuses pending 50\.00 EUR' "bonuses on a line of their own"
screen_has 1 'Overrides pending 35\.00 EUR' "overrides on a line of their own (10 + 10 + 10 + 5)"
screen_has 2 'Bonuses and overrides \(not in commission\)' "Analytics: bonuses and overrides apart"
screen_has 2 'Bonuses .* 1 lines  50\.00 EUR \(50\.00 EUR pending\)' "Analytics: the bonus row"
screen_has 2 'Overrides .* 4 lines  35\.00 EUR \(35\.00 EUR pending\)' "Analytics: the override row"
screen_has 2 'Pending .* 3 lines  300\.00 EUR' "Analytics: commission without them"

done_testing
