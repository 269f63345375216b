#!/bin/sh
# outbox.sh - portal invitations from the Partners screen and the Outbox
# screen, in script mode at 80x24: invite (and cancel), the portal column
# and detail, the queued mail in the Outbox, a delivery that fails against
# a closed port on 127.0.0.1 (ally mail send run by the test), its detail
# with every attempt's error, state filters, retry (admins only), revoke
# and resend; then, in tmux when it is there, the background sender the
# real terminal starts after an invitation.  Script mode never starts a
# sender, so these dumps do not depend on timing.
. "${top_srcdir:-.}/tests/cli/lib.sh"
. "${top_srcdir:-.}/tests/ui/lib.sh"

me=$(id -un)
dump_n() {
	awk -v n="$1" '/^=== dump /{on = ($3 == n); next} on' "$tmp/dump" |
		sed -e "s| $ALLY_DB  $me (| DB  USER (|" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
}

# a port nothing listens on: bound, then closed again
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null)
[ -n "$port" ] || port=9
conf=$tmp/ally.conf
cat >"$conf" <<EOF
[smtp]
url = smtp://127.0.0.1:$port
starttls = off
timeout = 5
from = Ally Bot <ally@example.com>
[portal]
connect = ssh portal@ally.example.com
[mail]
max_attempts = 1
EOF

# screen with our --config
screen() {
	cat >"$tmp/script"
	rm -f "$tmp/dump"
	ALLY_UI_SCRIPT=$tmp/script ALLY_UI_DUMP=$tmp/dump "$ALLY" --config "$conf" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	dump=$(cat "$tmp/dump" 2>/dev/null)
}

ally init --org "Acme" --currency EUR >/dev/null
ally partner add "Müller GmbH" --email info@mueller.de --contact "Hans Müller" >/dev/null
ally partner add "Zeta Ltd" --email z@zeta.io >/dev/null

# --- the empty outbox ---
screen <<'KEYS'
key 8
dump
KEYS
is "$rc" 0 "script mode exits 0"
screen_is 1 "an empty outbox says where mail comes from" <<'WANT'
 1 Dash 2 Progs 3 Partners 4 Refs 5 Deals 6 Comms 7 Stats 8 Outbox  9 Admin
 Outbox: all  0 queued  0 sending  0 sent  0 failed    f state  R retry  m send
  Id  State  To  Subject  Tries  Next attempt  Last error
  No mail. Invitations (Partners, i) and statements queue here.


















 0 rows
 DB  USER (admin)                                   ? help
WANT

# --- invite from the Partners screen ---
screen <<'KEYS'
key 3
dump
key /
type müller
key Enter
key i
dump
key n
dump
key i
key y
dump
key i
key y
dump
key Enter
dump
KEYS
screen_is 1 "partners show a portal column" <<'WANT'
 1 Dash 2 Progs 3 Partners  4 Refs 5 Deals 6 Comms 7 Stats 8 Mail 9 Admin
 Partners                   n new  e edit  t tier  i invite  I resend  X revoke
  Id  Name         Kind      Status  E-mail
  P1  Müller GmbH  reseller  active  info@mueller.de
  P2  Zeta Ltd     reseller  active  z@zeta.io

















 2 rows  sort: Tier▲
 DB  USER (admin)                                   ? help
WANT
screen_is 2 "invite asks first, naming the address" <<'WANT'
 1 Dash 2 Progs 3 Partners  4 Refs 5 Deals 6 Comms 7 Stats 8 Mail 9 Admin
 Partners                   n new  e edit  t tier  i invite  I resend  X revoke
  Id  Name         Kind      Status  E-mail
  P1  Müller GmbH  reseller  active  info@mueller.de





         ┌─ Confirm ──────────────────────────────────────────────────┐
         │ Invite P1 to the portal? A code goes to info@mueller.de.   │
         │                                                            │
         │ y yes    n no                                              │
         └────────────────────────────────────────────────────────────┘








 1 of 2 rows  sort: Tier▲  filter: müller
 DB  USER (admin)                                   ? help
WANT
screen_lacks 3 'invited' "n cancels the invitation"
screen_is 4 "invited: the code's expiry in the list and the status line" <<'WANT'
 1 Dash 2 Progs 3 Partners  4 Refs 5 Deals 6 Comms 7 Stats 8 Mail 9 Admin
 Partners                   n new  e edit  t tier  i invite  I resend  X revoke
  Id  Name         Kind      Status  Portal   Code until  E-mail
  P1  Müller GmbH  reseller  active  invited  2026-10-22  info@mueller.de


















 1 of 2 rows  sort: Tier▲  filter: müller
 P1 invited: code valid until 2026-10-22 12:00; M1 queued                ? help
WANT
screen_has 5 'P1 already has a pending invitation: I sends a new code' \
	"a second invite is refused, naming the key that resends"
screen_has 6 'Portal access: invited, code pending until 2026-10-22 12:00' \
	"the detail says the code is pending and until when"
screen_has 6 'I1 info@mueller.de pending 2026-10-15 12:00 2026-10-22 12:00' \
	"the detail lists the invitation"
run ally mail list --json
like "$out" '"state":"queued".*"to":"info@mueller.de"' "the invitation mail is queued in the database"
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 1 "one message only (the cancelled invite queued none)"

# --- the queued mail in the Outbox; a failed delivery; retry ---
screen <<KEYS
key 8
dump
sh "$ALLY" --config "$conf" mail send >/dev/null 2>&1 || true
wait-refresh
dump
key Enter
dump
key q
key f
dump
key f
key f
key f
dump
key f
key R
key y
dump
key m
dump
KEYS
screen_is 1 "the outbox shows the queued invitation" <<'WANT'
 1 Dash 2 Progs 3 Partners 4 Refs 5 Deals 6 Comms 7 Stats 8 Outbox  9 Admin
 Outbox: all  1 queued  0 sending  0 sent  0 failed    f state  R retry  m send
  Id State  To              Subject                       Tries Next attempt
  M1 queued info@mueller.de Your invitation to the Acme …     0 2026-10-15 12:00


















 1 row
 DB  USER (admin)                                   ? help
WANT
screen_is 2 "a delivery to a closed port: failed, with its error" <<'WANT'
 1 Dash 2 Progs 3 Partners 4 Refs 5 Deals 6 Comms 7 Stats 8 Outbox  9 Admin
 Outbox: all  0 queued  0 sending  0 sent  1 failed    f state  R retry  m send
  Id State  To              Subject                Tries Last error
  M1 failed info@mueller.de Your invitation to th…     1 Failed to connect to 1…


















 1 row
 DB  USER (admin)                                   ? help
WANT
screen_has 3 'last_error +Failed to connect to 127\.0\.0\.1 port' "the detail has the last error"
screen_has 3 '#1: Failed to connect to 127\.0\.0\.1 port' "the detail lists each attempt's error"
screen_lacks 3 'sodium|code' "the detail never shows a body or a code"
screen_has 4 'Outbox: queued +0 queued +0 sending +0 sent +1 failed' "f filters by state"
screen_has 4 'No mail' "no queued mail"
screen_has 5 'Outbox: failed' "f steps to failed"
screen_has 5 'M1 +failed +info@mueller\.de' "the failed message is listed"
screen_has 6 '1 message queued again' "R with y retries"
screen_has 6 'M1 +queued +info@mueller.* 0 2026-10-15 12:00 Failed' \
	"the message is queued again with no attempts, its last error kept"
screen_has 7 'not sending in script mode' "m does not start a sender in script mode"
run ally mail list --json
like "$out" '"state":"queued"' "the retry is in the database"

# --- retry is for admins ---
ally user add mgr --role manager >/dev/null
ally --config "$conf" mail send >/dev/null 2>&1
cat >"$tmp/script" <<'KEYS'
key 8
key R
dump
key m
dump
KEYS
rm -f "$tmp/dump"
ALLY_USER=mgr ALLY_UI_SCRIPT=$tmp/script ALLY_UI_DUMP=$tmp/dump "$ALLY" --config "$conf" >/dev/null 2>&1
screen_has 1 "R: you \\(mgr, manager\\) may not send the outbox's mail" "a manager may not retry: refused at the key, before any question"
screen_has 1 'M1 +failed' "the message stays failed"
screen_has 2 "m: you \\(mgr, manager\\) may not send the outbox's mail" "a manager's interface starts no mail sender"

# --- revoke, resend, an active portal account ---
screen <<'KEYS'
key 3
key /
type müller
key Enter
key X
dump
key y
dump
key /
key C-u
type zeta
key Enter
key I
key y
dump
KEYS
screen_has 1 "Revoke P1's portal access\\? Codes voided, accounts removed\\." "revoke asks first"
screen_has 2 'P1 portal access revoked: 1 code voided, 0 accounts removed; M2 queued' \
	"revoke says what it did"
screen_has 2 'P1 +Müller GmbH .* revoked ' "the list shows revoked"
screen_has 3 'P2 has no invitation to resend: i invites' \
	"resend without an invitation is refused"
ally user add zeta --role partner --partner P2 >/dev/null
screen <<'KEYS'
key 3
dump
KEYS
screen_has 1 'P2 +Zeta Ltd .* active +z@zeta\.io' "a partner with a portal account is active"

# --- a real terminal: the invitation starts a sender in the background ---
if command -v tmux >/dev/null 2>&1; then
	sock=ally-outbox-$$
	tm() { tmux -L "$sock" "$@"; }
	trap 'tm kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
	wait_for() {  # poll the pane every 50 ms for up to 10 s
		i=0
		while [ $i -lt 200 ]; do
			tm capture-pane -p -t main 2>/dev/null | grep -Eq -- "$1" && return 0
			sleep 0.05
			i=$((i + 1))
		done
		return 1
	}
	expect() {
		if wait_for "$1"; then ok "$2"; else
			not_ok "$2" "screen:" "$(tm capture-pane -p -t main 2>/dev/null)" "want: /$1/"
		fi
	}
	ally partner add "Omega AG" --email o@omega.example >/dev/null
	# what is queued already fails now, so the TUI's sender meets only M3
	ally --config "$conf" mail send >/dev/null 2>&1
	tm -f /dev/null new-session -d -s main -x 80 -y 24 \
		"env TERM=tmux-256color ESCDELAY=25 ALLY_DB='$ALLY_DB' ALLY_NOW='$ALLY_NOW' ALLY_TEMPLATES='$ALLY_TEMPLATES' LC_ALL=C.UTF-8 '$ALLY' --config '$conf'; echo EXITED:\$?; sleep 30"
	expect '^ Dashboard ' "the TUI starts in tmux"
	tm send-keys -t main 3 /
	tm send-keys -t main -l Omega
	tm send-keys -t main Enter i
	expect 'Invite P3 to the portal\?' "i asks"
	tm send-keys -t main y
	# the sender meets the closed port and exits 69; the loop reaps it
	expect 'mail: the SMTP server is unavailable: see the Outbox \(8\)' \
		"the background sender ran and the status line says how it ended"
	tm send-keys -t main 8
	expect 'M3 +failed +o@omega\.example' "the Outbox shows what the sender did"
	tm send-keys -t main q
	expect 'EXITED:0' "q quits with status 0"
	run ally mail list --state failed --json
	like "$out" 'o@omega.example' "the sender recorded the failure in the database"
	is "$(ps -eo ppid=,stat= | awk -v p="$(tm list-panes -t main -F '#{pane_pid}')" '$1 == p && $2 ~ /Z/' | wc -l | tr -d ' ')" \
		0 "no zombie left behind"
else
	echo "# tmux not installed: the background sender is not tested"
fi

done_testing
