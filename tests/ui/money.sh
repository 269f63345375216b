#!/bin/sh
# money.sh - money and totals are never cut (DESIGN.md section 5): the
# approval queue, the payout preview (payees and lines), Partners, Deals,
# Analytics and the timeline at 80x24 and 150x45, with long partner names
# that differ only at the end and amounts in the millions.  A number cut
# by the table ends in "…" right after a digit, a separator or a point.
. "${top_srcdir:-.}/tests/cli/lib.sh"
. "${top_srcdir:-.}/tests/ui/lib.sh"

ally init --org "Acme" --currency EUR >/dev/null
ally program add "Enterprise Reseller Programme" --rule "percent 20" --hold 5 --activate >/dev/null
n=0
for suffix in "North" "South" "East"; do
	n=$((n + 1))
	ally partner add "Harbor Consulting International $suffix" --email "p$n@harbor.example" >/dev/null
	ally code new --program "Enterprise Reseller Programme" \
		--partner "Harbor Consulting International $suffix" --vanity "HARBOR$n" >/dev/null
	ally track referral --code "HARBOR$n" --email "c$n@client.example" --name "Client $n" \
		--at 2026-10-01 >/dev/null
	ally track conversion --code "HARBOR$n" --email "c$n@client.example" --event purchase \
		--amount "$n""234567.89" --id "ORD-$n" --at 2026-10-02 >/dev/null
done
ally deal register --partner "Harbor Consulting International North" --company "Globex Worldwide Holdings" \
	--domain globex-worldwide.example --value 98765432.10 >/dev/null 2>&1
cut='[0-9.,]…'

# the queue of the three pending lines: 20% of 1,234,567.89, 2,234,567.89
# and 3,234,567.89, and their total 1,340,740.74
for size in 80x24 150x45; do
	ALLY_UI_SIZE=$size screen <<'KEYS'
key 6
dump
KEYS
	unlike "$dump" "$cut" "$size: queue: no amount or total is cut"
	screen_has 1 "Harbor Consulting International North" "$size: queue: partner names whole"
	screen_has 1 "Harbor Consulting International South" "$size: queue: and told apart"
	screen_has 1 "^Total +1,340,740\\.74$" "$size: queue: the total whole"
	screen_has 1 "246,913\\.58" "$size: queue: a line's amount whole"
done

# two of them approved: the payout preview pays 693,827.16
ally commission approve C1 C2 --override-hold "test: paid early" >/dev/null
for size in 80x24 150x45; do
	ALLY_UI_SIZE=$size screen <<'KEYS'
key 6
key p
dump
key l
dump
key 3
dump
key 5
dump
key 7
key Right
dump
KEYS
	is "$rc" 0 "$size: script mode exits 0"
	unlike "$dump" "$cut" "$size: no money cell or total is cut on any screen"
	screen_has 1 "Payee +E-mail +Lines +Amount" "$size: payout: every payee column"
	screen_has 1 "Harbor Consulting International North +p1@harbor.example +1 +246,913\\.58" \
		"$size: payout: what each payee gets, with the e-mail"
	screen_has 1 "^Total +693,827\\.16$" "$size: payout: the total of the approved lines"
	screen_has 2 "C1 +Harbor Consulting International North +246,913\\.58" "$size: payout lines: id, payee, amount"
	screen_has 4 "98,765,432\\.10" "$size: deals: the value whole"
done
ALLY_UI_SIZE=150x45 screen <<'KEYS'
key 6
key p
dump
KEYS
screen_has 1 "p1@harbor\\.example +1 " "150x45: the e-mail whole"

done_testing
