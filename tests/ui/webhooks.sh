#!/bin/sh
# webhooks.sh - the Admin screen's webhook endpoints in script mode, at
# 80x24 and 150x40: f steps users -> audit log -> webhooks -> users; the
# list with pending, failing, delivered and failed counts and the last
# error (a closed port on 127.0.0.1, tried by ally webhook send run here);
# Enter shows the endpoint's account and newest deliveries; t queues a
# webhook.test; d removes after a confirmation (n keeps it); n and e say
# where endpoints are added; a manager never reaches the view.
. "${top_srcdir:-.}/tests/cli/lib.sh"
. "${top_srcdir:-.}/tests/ui/lib.sh"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null)
[ -n "$port" ] || port=9

ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally program add Spring --rule "flat 25.00" --events purchase --hold 0 --activate >/dev/null
ally partner add Acme --email ann@acme.example >/dev/null
ally code new --program Spring --partner Acme --vanity ACME1 >/dev/null
ally user add max --role manager >/dev/null
ally webhook add "http://127.0.0.1:$port/crm" --events referral,conversion >/dev/null
ally webhook add "http://127.0.0.1:$port/warehouse" --events conversion >/dev/null
for i in 1 2 3; do
	ally track referral --code ACME1 --email "z$i@example.com" >/dev/null
done
ally webhook send >/dev/null 2>&1

screen <<'KEYS'
key 9
key f
key f
dump
key Enter
dump
key q
key t
dump
key n
dump
key m
dump
key j
key d
dump
key n
dump
key d
key y
dump
key f
dump
KEYS
is "$rc" 0 "webhooks script exits 0"
screen_has 1 "^ Admin: webhooks .*Enter deliveries  m send  t test  d remove" "f twice: the webhooks, with their keys"
# (a column with nothing but zeros, Sent here, makes room for the others)
screen_has 1 "^  Id +URL +Pending +Failing +Failed +Last error +Events" "the columns that matter fit 80 columns"
screen_has 1 "^  WH1 +http://127\\.0\\.0\\.1:[0-9]*/c.* +3 +1 +1 +Fail" \
    "WH1: three pending, one failing, one failed attempt, its error"
screen_has 1 "^  WH2 +http://127\\.0\\.0\\.1:[0-9]*/w.* +0 +0 +0 " "WH2: nothing for it yet"
screen_has 2 "^ Webhook WH1 " "Enter: the endpoint's page"
screen_has 2 "^   Pending    3, 1 of them failing$" "its pending deliveries"
screen_has 2 "^   Delivered  0; failed attempts 1$" "its account"
screen_has 2 "^   Last       20[0-9-]+ [0-9:]+, no answer$" "the last attempt got no answer"
screen_has 2 "^              Failed to connect to 127.0.0.1" "and why, under it"
screen_has 2 "^ Newest deliveries \\(3 of 3; all: ally webhook deliveries\\)$" "its deliveries"
screen_has 2 "^   WD1 +referral +RF1 +queued .* 1 attempt$" "the one tried, with its attempt"
screen_lacks 2 "secret:|[0-9a-f]{64}" "never the secret"
screen_has 3 "WD[0-9]+ webhook.test queued for WH1" "t queues a webhook.test"
screen_has 3 "^  WH1 .* 4 +1 +1 " "now four pending"
screen_has 4 "endpoints are added with ally webhook add" "n says where endpoints are added"
screen_has 5 "not sending in script mode" "m: script mode starts no sender"
screen_has 6 "Remove webhook WH2 and its 0 undelivered deliveries\\?" "d asks first"
screen_has 7 "^  WH2 " "n keeps it"
screen_lacks 8 "^  WH2 " "y removes it"
screen_has 8 "WH2 removed; 0 undelivered dropped" "and says so"
screen_has 9 "^ Admin: users and settings" "f again: back to the users"
run ally webhook list
unlike "$out" "WH2" "the removal is in the database"
like "$(ally webhook deliveries --json | grep -c webhook.test)" "^1$" "the test delivery is in the database"

ALLY_UI_SIZE=150x40 screen <<'KEYS'
key 9
key f
key f
dump
KEYS
screen_has 1 "^  Id +URL +Pending +Failing +Sent +Failed +Last error +Last attempt +HTTP +Events" \
    "150 columns: every column"

# a manager: f goes from the audit log straight back to the users
ALLY_USER=max screen <<'KEYS'
key 9
key f
key f
dump
KEYS
screen_has 1 "^ Admin: users and settings" "a manager's f skips the webhooks"

# --- a real terminal: m starts ally webhook send in the background ---
if command -v tmux >/dev/null 2>&1 && [ -x /usr/bin/python3 ]; then
	sock=ally-webhooks-$$
	tm() { tmux -L "$sock" "$@"; }
	cat >"$tmp/recv.py" <<'EOF'
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with open(sys.argv[2], "a") as f:
            f.write(self.headers["X-Ally-Delivery"] + "\n")
        self.send_response(200)
        self.end_headers()
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
EOF
	/usr/bin/python3 "$tmp/recv.py" "$port" "$tmp/got" &
	recv=$!
	trap 'tm kill-server 2>/dev/null; kill $recv 2>/dev/null; rm -rf "$tmp"' EXIT
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
	i=0
	while [ $i -lt 100 ] && ! /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null; do
		sleep 0.05
		i=$((i + 1))
	done
	# ALLY_NOW five minutes on: the failed delivery's backoff is over
	tm -f /dev/null new-session -d -s main -x 80 -y 24 \
		"env TERM=tmux-256color ESCDELAY=25 ALLY_DB='$ALLY_DB' ALLY_NOW=2026-10-15T12:05:00Z LC_ALL=C.UTF-8 '$ALLY'; echo EXITED:\$?; sleep 30"
	expect '^ Dashboard ' "the TUI starts in tmux"
	tm send-keys -t main 9 f f
	expect '^ Admin: webhooks' "the webhooks view"
	tm send-keys -t main m
	expect 'webhook sent: everything due went out' \
		"the background sender ran and the status line says how it ended"
	expect '^  WH1 .* 0 +0 +4 +1 ' "the list shows them delivered (0 pending, 4 sent)"
	is "$(sort "$tmp/got" | tr '\n' ' ')" "WD1 WD2 WD3 WD4 " "the receiver got each delivery once"
	tm send-keys -t main q q
	expect 'EXITED:0' "q quits with status 0"
	is "$(ps -eo ppid=,stat= | awk -v p="$(tm list-panes -t main -F '#{pane_pid}')" '$1 == p && $2 ~ /Z/' | wc -l | tr -d ' ')" \
		0 "no zombie left behind"
else
	echo "# tmux or python3 missing: the background webhook sender is not tested"
fi

done_testing
