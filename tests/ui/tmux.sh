#!/bin/sh
# tmux.sh - the TUI in a real terminal (tmux): every tab by its digit on a
# demo database at 80x24, resizing to 150x45 and to 40x10, a UTF-8 name,
# the ASCII fallback under LC_ALL=C, no colours under NO_COLOR, the
# approval confirm dialog, the message log and the payout preview, and q
# quitting with status 0.  Every wait polls the screen with a deadline.
. "${top_srcdir:-.}/tests/cli/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi
sock=ally-test-$$
tm() { tmux -L "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$tmp"' EXIT

ally demo --size 2000 >/dev/null 2>&1 || { echo "1..0 # SKIP ally demo failed"; exit 0; }
ally partner add "Ünïcødé Café" --email cafe@example.com >/dev/null

# start NAME ENV...: ally in a new 80x24 session
start() {
	name=$1
	shift
	tm -f /dev/null new-session -d -s "$name" -x 80 -y 24 \
		"env TERM=tmux-256color ESCDELAY=25 ALLY_DB='$ALLY_DB' ALLY_NOW='$ALLY_NOW' $* '$ALLY'; echo EXITED:\$?; sleep 30"
}

# wait_for NAME REGEX: poll the pane every 50 ms for up to 10 s
wait_for() {
	i=0
	while [ $i -lt 200 ]; do
		if tm capture-pane -p -t "$1" 2>/dev/null | grep -Eq -- "$2"; then
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

expect() {  # expect NAME REGEX WHAT
	if wait_for "$1" "$2"; then
		ok "$3"
	else
		not_ok "$3" "screen:" "$(tm capture-pane -p -t "$1" 2>/dev/null)" "want: /$2/"
	fi
}

start main LC_ALL=C.UTF-8
expect main 'Dashboard +Demo|Dashboard ' "the dashboard opens first"
for pair in "2:Programs  " "3:Partners  " "4:Referrals: find a referrer" "5:Deals: " \
	"6:Commissions: " "7:Analytics: Referrals" "8:Outbox: " "9:Admin: users" "1:Dashboard  "; do
	key=${pair%%:*}
	title=${pair#*:}
	tm send-keys -t main "$key"
	expect main "^ $title" "tab $key shows ${title%% *}"
done

tm resize-window -t main -x 150 -y 45
expect main '1 Dashboard +2 Programs +3 Partners +4 Referrals' "150x45 shows the full tab names"
tm resize-window -t main -x 40 -y 10
expect main 'Terminal too small: 40x10' "40x10 says the terminal is too small"
tm resize-window -t main -x 80 -y 24
expect main '^ Dashboard ' "back at 80x24 the dashboard returns"

tm send-keys -t main 3 /
tm send-keys -t main -l 'Caf'
expect main 'Ünïcødé Café' "a UTF-8 name renders"
tm send-keys -t main Enter
tm send-keys -t main q
expect main 'EXITED:0' "q quits from the top with status 0"

start ascii LC_ALL=C
expect ascii '^ Dashboard ' "under LC_ALL=C it starts"
tm send-keys -t ascii 9
expect ascii '^-{80}$' "ASCII borders under LC_ALL=C"
tm send-keys -t ascii 3 /
tm send-keys -t ascii -l 'Caf'
expect ascii '\?n\?c\?d\? Caf\?' "non-ASCII text becomes ? under LC_ALL=C"
tm send-keys -t ascii Enter q
expect ascii 'EXITED:0' "quits"

colours() {
	tm capture-pane -e -p -t "$1" | grep -Ec "$(printf '\033')\\[([0-9]*;)*(3[0-7]|4[0-7]|38|48)(;[0-9]*)*m"
}
start colour LC_ALL=C.UTF-8
expect colour '^ Dashboard ' "with colours it starts"
n=$(colours colour)
if [ "$n" -gt 0 ]; then ok "colours are used when NO_COLOR is unset"; else not_ok "colours are used when NO_COLOR is unset"; fi
tm send-keys -t colour q
start mono LC_ALL=C.UTF-8 NO_COLOR=1
expect mono '^ Dashboard ' "under NO_COLOR it starts"
n=$(colours mono)
is "$n" 0 "no colour escapes under NO_COLOR"
tm send-keys -t mono q
expect mono 'EXITED:0' "quits"

# ---- approval, the message log and the payout preview, at 80x24 ----
start money LC_ALL=C.UTF-8
expect money '^ Dashboard ' "a session for the money screens"
tm send-keys -t money 6
expect money '^ Commissions: pending' "the approval queue"
tm send-keys -t money Space Space
expect money '2 marked: [0-9,]+\.[0-9]{2} EUR' "two lines marked: their sum in the footer"
tm send-keys -t money a
expect money 'Approve 2 marked commission lines, [0-9,]+\.[0-9]{2} EUR\?' \
    "the confirm dialog names the count and the sum"
expect money 'y yes +n no' "and asks yes or no"
tm send-keys -t money n
tm send-keys -t money M
expect money '^ Messages, newest first' "M opens the message log"
if tm capture-pane -p -t money | grep -q '^  approved'; then
	not_ok "n approved nothing (no message of an approval)"
else
	ok "n approved nothing (no message of an approval)"
fi
tm send-keys -t money q
expect money '^ Commissions: pending' "q goes back to the queue"
tm send-keys -t money a
expect money 'Approve 2 marked commission lines' "a asks again for the marked lines"
tm send-keys -t money y
expect money 'approved 2 lines' "y approves them"
tm send-keys -t money M
expect money '^  approved 2 lines' "the message log has it, newest first"
tm send-keys -t money q p
expect money '^ Payout preview' "p opens the payout preview"
expect money 'checksum [0-9a-f]{16}' "with the batch's checksum"
pane=$(tm capture-pane -p -t money)
if printf '%s\n' "$pane" | grep -E '^ {2}[^ ].* [0-9,]+\.[0-9]{2}$' >/dev/null &&
    ! printf '%s\n' "$pane" | grep -E '…$' >/dev/null; then
	ok "every payee's amount is whole at 80 columns"
else
	not_ok "every payee's amount is whole at 80 columns" "screen:" "$pane"
fi
tm send-keys -t money q q
expect money 'EXITED:0' "quits"

done_testing
