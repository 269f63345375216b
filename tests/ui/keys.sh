#!/bin/sh
# keys.sh - Esc never quits and q goes back (DESIGN.md section 5): Esc on
# every top screen, right after a refusal, and on a terminal too small
# leaves ally running; q and Esc leave the audit sub-view for the users;
# Enter on an audit entry shows what changed, v verifies the chain; M
# reopens the last messages whole when the status line had to cut one.
. "${top_srcdir:-.}/tests/cli/lib.sh"
. "${top_srcdir:-.}/tests/ui/lib.sh"

ally init --org "Acme" --currency EUR >/dev/null
ally program add "Spring Referral" --rule "percent 10" --hold 30 --activate >/dev/null
ally partner add "Harbor Consulting International North" --email north@harbor.example >/dev/null
ally code new --program "Spring Referral" --partner "Harbor Consulting International North" \
	--vanity HARBOR >/dev/null
ally track referral --code HARBOR --email ann@example.com --name "Ann Lee" --at 2026-10-01 >/dev/null
ally track conversion --code HARBOR --email ann@example.com --event purchase --amount 120 \
	--id ORD-1 --at 2026-10-10 >/dev/null

# --- Esc on every top screen, twice ---
keys=
for t in 1 2 3 4 5 6 7 8 9; do
	keys="${keys}key $t
key Esc
key Esc
dump
"
done
printf '%s' "$keys" >"$tmp/esc.keys"
screen <"$tmp/esc.keys"
is "$rc" 0 "Esc on every screen: exits 0 at the end of the script"
is "$(grep -c '^=== dump ' "$tmp/dump")" 9 "Esc on every top screen leaves ally running (9 dumps)"
screen_has 9 "Admin: users and settings" "the last screen is still Admin"

# --- a refusal, then Esc ---
screen <<'KEYS'
key 6
key a
dump
key Esc
dump
key M
dump
key q
dump
KEYS
screen_has 1 "refused 1: C1 on hold until 2026-11-09" "approving a held line is refused"
screen_has 1 " M more +\\? help$" "the status line cuts the reason and says M shows it whole"
screen_has 2 "Commissions: pending" "Esc after the refusal: still on Commissions"
screen_has 3 "Messages, newest first" "M: the message log"
screen_has 3 "C1 on hold until 2026-11-09 \\(o overrides" "with the refusal whole"
screen_has 3 "^    the hold\\)$" "wrapped, not cut"
screen_has 4 "Commissions: pending" "q goes back from the log"

# --- the audit sub-view ---
screen <<'KEYS'
key 9
key f
dump
key q
dump
key f
key Esc
dump
key f
key Enter
dump
key q
key v
dump
KEYS
is "$rc" 0 "audit script exits 0"
screen_has 1 "Admin: audit log" "f opens the audit log"
screen_has 2 "Admin: users and settings" "q in the audit log goes back to the users"
screen_has 3 "Admin: users and settings" "Esc in the audit log goes back too"
screen_has 4 "^ Audit entry A[0-9]+" "Enter shows the entry"
screen_has 4 "^ Changed$" "with what it changed"
screen_has 4 "^ After$" "and the record after"
screen_has 5 "audit chain intact: [0-9]+ entries verified" "v verifies the chain"
screen_has 5 "Admin: audit log" "and stays in the audit log"

# --- actions from a detail page: the list does them on that record ---
screen <<'KEYS'
key 3
key Enter
dump
key i
dump
key n
key 6
key Enter
dump
key a
dump
KEYS
screen_has 1 "^ Partner P1 Harbor Consulting International North +e t i I X" "the partner page names its keys"
screen_has 2 "Invite P1 to the portal\\?" "i on the partner page asks to invite that partner"
screen_has 3 "^ Commission C1: how it was computed +a r o" "the commission page names its keys"
screen_has 4 "refused 1: C1 on hold" "a on the commission page tries to approve that line"

# --- a terminal too small: Esc does not quit, q does ---
ALLY_UI_SIZE=60x20 screen <<'KEYS'
key Esc
dump
key q
dump
KEYS
is "$(grep -c '^=== dump ' "$tmp/dump")" 1 "too small: Esc leaves it running, q quits"

done_testing
