#!/bin/sh
# help.sh - help per screen, made from the key tables (DESIGN.md section
# 5): each screen's own keys first, then the global ones; keys a role may
# not use are not shown and are refused at the key press with app/'s
# reason, before any form opens.
. "${top_srcdir:-.}/tests/cli/lib.sh"
. "${top_srcdir:-.}/tests/ui/lib.sh"

ally init --org "Acme" --currency EUR >/dev/null
ally program add "Spring Referral" --rule "percent 10" --activate >/dev/null
ally partner add "Harbor North" --email north@harbor.example >/dev/null
ally user add sup --role support >/dev/null
ally user add mgr --role manager >/dev/null
snapshot

help_script='key 2
key ?
dump
key q
key 3
key ?
dump
key q
key 6
key ?
dump
key q
key 9
key ?
dump
key q
key 1
key ?
dump
key q
key 1
dump
'
printf '%s' "$help_script" >"$tmp/help.keys"

# --- an admin: each screen its own ---
screen <"$tmp/help.keys"
is "$rc" 0 "admin: exits 0"
screen_has 1 "^ Programs: keys of this screen$" "Programs help starts with its own keys"
screen_has 1 "^ n +new +new program$" "in the screen's words"
screen_has 2 "^ Partners: keys of this screen$" "Partners help"
screen_has 2 "^ i +invite +invite the partner" "lists invite"
screen_has 3 "^ a +approve +approve the marked \\(or selected\\) lines$" "Commissions help lists approve"
screen_has 4 "^ v +verify +verify the audit log" "Admin help lists v"
screen_has 4 "^ Enter +open +audit log: the entry" "and Enter on an audit entry"
screen_has 5 "^ Everywhere$" "Dashboard help: the global keys"
screen_lacks 5 "approve|new program|invite" "Dashboard help offers no list action"
screen_lacks 1 " a +approve " "Programs help does not offer approve"
screen_lacks 3 " i +invite " "Commissions help does not offer invite"
p1=$(dump_n 1 | sed -n 3p); p3=$(dump_n 3 | sed -n 3p)
isnt "$p1" "$p3" "help differs per screen"
screen_has 6 "6 approve commissions" "the dashboard offers an admin approvals"

# --- support: no writes offered; refused at the key ---
ALLY_USER=sup screen <"$tmp/help.keys"
is "$rc" 0 "support: exits 0"
screen_lacks 1 "new program|edit the selected|new referral code" "support: Programs help offers no writes"
screen_has 1 "^ Enter +open " "but the detail"
screen_lacks 2 "new partner|invite|assign a tier" "support: Partners help offers no writes"
screen_lacks 3 "approve|reject|payout" "support: Commissions help offers no approval"
screen_lacks 4 "add a user|remove the selected" "support: Admin help offers no user changes"
screen_lacks 6 "approve commissions" "the dashboard does not offer support approvals"
ALLY_USER=sup screen <<'KEYS'
key 2
key n
dump
key 3
key n
dump
key 6
key a
dump
KEYS
screen_has 1 "n: you \\(sup, support\\) may not create or change programs and codes" \
	"support: n on Programs is refused with the reason"
screen_lacks 1 "New program" "and no form opens"
screen_lacks 1 "n new" "the Programs title offers support no n"
screen_has 1 "Enter detail  / filter" "but what it can do"
screen_has 2 "n: you \\(sup, support\\) may not create or change partners" "n on Partners too"
screen_has 3 "a: you \\(sup, support\\) may not approve or reject commissions" "a on Commissions too"
unchanged "support's refused keys changed nothing"

# --- a manager: programs yes, partners and approvals no ---
ALLY_USER=mgr screen <"$tmp/help.keys"
screen_has 1 "^ n +new +new program$" "manager: Programs offers new"
screen_lacks 2 "new partner" "manager: Partners does not"
screen_lacks 3 "approve the marked" "manager: no approvals"
ALLY_USER=mgr screen <<'KEYS'
key 3
key n
dump
key /
type n
dump
KEYS
screen_has 1 "n: you \\(mgr, manager\\) may not create or change partners" "manager: n on Partners refused"
screen_has 2 "Filter: n" "a refused key is still text in the filter"
unchanged "nothing changed"

done_testing
