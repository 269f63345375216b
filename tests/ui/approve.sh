#!/bin/sh
# approve.sh - approval with the facts: the footer counts the marked
# lines and sums them per currency; the confirm dialog says how many,
# how much, and names the lines still on hold; n changes nothing.
. "${top_srcdir:-.}/tests/cli/lib.sh"
. "${top_srcdir:-.}/tests/ui/lib.sh"

ally init --org "Acme" --currency EUR >/dev/null
ally program add "Spring Referral" --rule "percent 10" --hold 5 --activate >/dev/null
ally partner add "Harbor North" --email north@harbor.example >/dev/null
ally code new --program "Spring Referral" --partner "Harbor North" --vanity HARBOR >/dev/null
n=0
for day in 02 03 14; do
	n=$((n + 1))
	ally track referral --code HARBOR --email "c$n@example.com" --at "2026-10-$day" >/dev/null
	ally track conversion --code HARBOR --email "c$n@example.com" --event purchase \
		--amount "${n}000.00" --id "ORD-$n" --at "2026-10-$day" >/dev/null
done
snapshot

screen <<'KEYS'
key 6
key *
dump
key a
dump
key n
dump
key Space
key a
dump
KEYS
is "$rc" 0 "script mode exits 0"
screen_has 1 "3 marked: 600\\.00 EUR" "the footer counts and sums the marked lines"
screen_has 2 "Approve 3 marked commission lines, 600\\.00 EUR\\." "the dialog says how many and how much"
screen_has 2 "Still on hold, refused" "and warns of the line still on hold"
screen_has 2 "unless o overrides: C3 \\(until 2026-10-19\\)\\?" "naming it, wrapped, not cut"
screen_lacks 3 "Confirm" "n closes the dialog"
unchanged "n approved nothing"
screen_has 4 "2 marked: 300\\.00 EUR" "unmarking one changes the sum"
screen_has 4 "Approve 2 marked commission lines, 300\\.00 EUR\\?" "the dialog follows"
screen_lacks 4 "Still on hold" "and names no hold when none is left"

done_testing
