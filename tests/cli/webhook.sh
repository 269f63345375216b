#!/usr/bin/env bash
# webhook.sh - webhook endpoints and their delivery against real HTTP
# servers on 127.0.0.1 (python3's http.server, started and stopped here),
# which record every request and verify its HMAC-SHA-256 signature with
# the endpoint's secret themselves: a referral and a commission approval
# delivered, a 500 then a 200 (retried, in order), a server down then up,
# two senders at once (each delivery exactly once), libcurl missing, and
# a sender killed mid-delivery, a stalling receiver, webhook test, and
# every bad input with its message and an unchanged database.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"

PY=/usr/bin/python3
if ! [ -x $PY ]; then
	echo "1..0 # SKIP needs /usr/bin/python3"
	exit 0
fi

pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

free_port() {
	$PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_port() {
	$PY - "$1" <<'EOF'
import socket, sys, time
deadline = time.monotonic() + 10
while time.monotonic() < deadline:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.02)
sys.exit(1)
EOF
}

# The receiver: PORT DIR SECRETFILE.  Each request becomes one JSON line
# in DIR/requests: path, the X-Ally-* and Content-Type headers, the body,
# and whether the signature is right (DIR/arrived: each delivery id as it
# comes in, before any delay).  DIR/codes (if any) holds status
# codes to answer, one used per request (then 200); DIR/delay seconds to
# wait before answering.
cat >"$tmp/server.py" <<'EOF'
import hashlib, hmac, http.server, json, os, sys, time
port, d, secret_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
secret = open(secret_file, "rb").read().rstrip(b"\r\n")

class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with open(os.path.join(d, "arrived"), "a") as f:
            f.write(self.headers.get("X-Ally-Delivery", "") + "\n")
        want = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
        got = self.headers.get("X-Ally-Signature", "")
        code = 200
        cf = os.path.join(d, "codes")
        if os.path.exists(cf):
            codes = open(cf).read().split()
            if codes:
                code = int(codes[0])
                open(cf, "w").write(" ".join(codes[1:]))
        df = os.path.join(d, "delay")
        if os.path.exists(df):
            time.sleep(float(open(df).read()))
        rec = {"path": self.path, "code": code, "signed": hmac.compare_digest(want, got),
               "type": self.headers.get("Content-Type"),
               "event": self.headers.get("X-Ally-Event"),
               "delivery": self.headers.get("X-Ally-Delivery"),
               "body": json.loads(body)}
        with open(os.path.join(d, "requests"), "a") as f:
            f.write(json.dumps(rec) + "\n")
        self.send_response(code)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
EOF

# start NAME PORT SECRETFILE: a receiver in $tmp/NAME
start() {
	mkdir -p "$tmp/$1"
	$PY "$tmp/server.py" "$2" "$tmp/$1" "$3" >"$tmp/$1.log" 2>&1 &
	eval "pid_$1=$!"
	pids="$pids $!"
	wait_port "$2" || echo "Bail out! receiver $1 did not start"
}

stop() {
	eval "_p=\$pid_$1"
	kill "$_p" 2>/dev/null
	wait "$_p" 2>/dev/null
}

# reqs NAME EXPR: EXPR (python, r = one request) for each request, one a line
reqs() {
	$PY - "$tmp/$1/requests" "$2" <<'EOF'
import json, sys
try:
    lines = open(sys.argv[1]).read().splitlines()
except FileNotFoundError:
    lines = []
for l in lines:
    r = json.loads(l)
    print(eval(sys.argv[2]))
EOF
}

state_of() {  # state_of WDn: its state in ally webhook deliveries
	ally webhook deliveries --json | $PY -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    if r["id"] == sys.argv[1]:
        print(r["state"], r["attempts"])' "$1"
}

ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally program add Spring --rule "flat 25.00" --events purchase --hold 0 --activate >/dev/null
ally partner add Acme --email ann@acme.example >/dev/null
ally code new --program Spring --partner Acme --vanity ACME1 >/dev/null

p1=$(free_port)
p2=$(free_port)
printf 'first-receiver-secret-0123456789\n' >"$tmp/secret1"

# ---- bad input: one line naming the field, and nothing written ----

bad 65 'ally: webhook add: url: "ftp://hooks.example/x" must start with http:// or https://' \
    "an ftp URL" -- ally webhook add ftp://hooks.example/x --events referral
bad 65 'ally: webhook add: url: "file:///etc/passwd" must start with http:// or https://' \
    "a file URL" -- ally webhook add file:///etc/passwd --events referral
bad 65 'ally: webhook add: url: no host after the scheme' \
    "a URL without a host" -- ally webhook add http:///x --events referral
bad 65 'ally: webhook add: url: only printable ASCII without spaces (percent-encode the rest)' \
    "a URL with an escape" -- ally webhook add "http://h.example/"$'\e'"[31m" --events referral
bad 65 'ally: webhook add: events: unknown event "referal" (see ally webhook add --help)' \
    "an unknown event" -- ally webhook add http://h.example/x --events conversion,referal
bad 65 'ally: webhook add: events: unknown event "a\e[1m" (see ally webhook add --help)' \
    "an unknown event is shown escaped" -- ally webhook add http://h.example/x --events "a"$'\e'"[1m"
bad 65 'ally: webhook add: events: required (one or more of referral, ...)' \
    "no event" -- ally webhook add http://h.example/x --events " , "
bad 64 'ally: webhook add: --events is required (see ally webhook add --help)' \
    "--events missing" -- ally webhook add http://h.example/x
bad 66 "ally: webhook add: secret-file: cannot read $tmp/none: No such file or directory" \
    "a secret file that is not there" -- ally webhook add http://h.example/x --events referral \
    --secret-file "$tmp/none"
printf 'short\n' >"$tmp/short"
bad 65 'ally: webhook add: secret-file: shorter than 16 characters' \
    "a short secret" -- ally webhook add http://h.example/x --events referral --secret-file "$tmp/short"
printf 'line one is long enough\nline two\n' >"$tmp/twolines"
bad 65 'ally: webhook add: secret-file: must be one line of text' \
    "a secret of two lines" -- ally webhook add http://h.example/x --events referral --secret-file "$tmp/twolines"
bad 66 'ally: webhook remove: webhook "WH9" not found' \
    "removing an unknown endpoint" -- ally webhook remove WH9
bad 64 'ally: webhook send: --timeout: must be 1 to 600 seconds (see ally webhook send --help)' \
    "a zero timeout" -- ally webhook send --timeout 0
ally user add max --role manager >/dev/null
bad 77 "ally: webhook add: you (max, manager) may not manage webhooks and send their deliveries" \
    "webhook add by a manager" -- env ALLY_USER=max "$ALLY" webhook add http://h.example/x --events referral
bad 77 "ally: webhook send: you (max, manager) may not manage webhooks and send their deliveries" \
    "webhook send by a manager" -- env ALLY_USER=max "$ALLY" webhook send

# ---- endpoints ----

run ally webhook add "http://127.0.0.1:$p1/hooks/ally" --events "referral, conversion,commission.approved,referral" \
    --secret-file "$tmp/secret1"
is_rc 0 "webhook add with a secret file"
is "$out" "WH1 http://127.0.0.1:$p1/hooks/ally" "it prints the endpoint, not the secret"

run ally webhook add "http://127.0.0.1:$p2/in" --events referral
is_rc 0 "webhook add with a generated secret"
secret2=$(printf '%s\n' "$out" | sed -n 's/^secret: //p')
like "$secret2" '^[0-9a-f]{64}$' "the generated secret is printed once: 64 hex digits"
printf '%s\n' "$secret2" >"$tmp/secret2"

run ally webhook list --json
like "$out" '"events":"referral,conversion,commission.approved"' "events are kept once each, in order"
unlike "$out" "first-receiver|$secret2|secret" "webhook list shows no secret"
run ally audit list --json
like "$out" 'webhook add' "adding an endpoint is audited"
unlike "$out" "first-receiver|$secret2" "the audit log holds no secret"
like "$out" '\\"secret\\":\\"\(set\)\\"' "the audit log says only that a secret is set"

# ---- a referral: delivered to the live endpoint; the dead one waits ----

start one "$p1" "$tmp/secret1"
ally track referral --code ACME1 --email zoe@example.com --name Zoe >/dev/null
run ally webhook deliveries --json
is "$(printf '%s\n' "$out" | grep -c '"state":"queued"')" 2 "the referral queued one delivery per endpoint"
run ally webhook send
is_rc 69 "webhook send with the second endpoint down"
is "$out" "WD1 referral delivered to http://127.0.0.1:$p1/hooks/ally" "the first endpoint got it"
like "$err" "^ally: webhook send: WD2 referral to http://127.0.0.1:$p2/in: .*onnect.* \(attempt 1; next at 2026-10-15T12:00:30Z\)$" \
    "the dead endpoint is reported with its next try"
is "$(reqs one '(r["path"], r["type"], r["event"], r["delivery"], r["signed"])')" \
    "('/hooks/ally', 'application/json', 'referral', 'WD1', True)" "path, headers and a valid signature"
is "$(reqs one '(r["body"]["id"], r["body"]["event"], r["body"]["created"], r["body"]["data"]["email"], r["body"]["data"]["id"])')" \
    "('WD1', 'referral', '2026-10-15T12:00:00Z', 'zoe@example.com', 1)" "the body: id, event, created and the record's fields"
is "$(state_of WD1)" "delivered 1" "WD1 is delivered"
is "$(state_of WD2)" "queued 1" "WD2 stays queued"
run ally webhook deliveries --failed --json
is "$(printf '%s\n' "$out" | sed 's/.*"id":"\(WD[0-9]*\)".*/\1/')" "WD2" "deliveries --failed lists only the failed one"

# ---- a conversion and a commission approval, in order ----

ally track conversion --code ACME1 --email zoe@example.com --event purchase --amount 100 --id ORD-1 >/dev/null
ally commission approve C1 >/dev/null
run ally webhook send
is "$(printf '%s\n' "$out" | grep -c delivered)" 2 "the conversion and the approval went out"
is "$(reqs one 'r["delivery"] + " " + r["event"]' | tail -n 2 | tr '\n' ' ')" "WD3 conversion WD4 commission.approved " \
    "in the order they happened"
is "$(reqs one '(r["body"]["data"]["id"], r["body"]["data"].get("status"), r["body"]["data"].get("amount"), r["signed"])' | tail -n 1)" \
    "(1, 1, 2500, True)" "the approval carries the commission after the change"
is "$(reqs one 'r["event"]' | grep -c commission.created)" 0 "an event not subscribed to is not sent"

# ---- a 500, then a 200: retried after the backoff, in order ----

echo 500 >"$tmp/one/codes"
ally track referral --code ACME1 --email yan@example.com >/dev/null
ally track referral --code ACME1 --email xia@example.com >/dev/null
n_before=$(reqs one 1 | wc -l)
run ally webhook send
is_rc 75 "webhook send when the server answers 500"
like "$err" "WD5 referral to http://127.0.0.1:$p1/hooks/ally: the server answered HTTP 500 \(attempt 1; next at 2026-10-15T12:00:30Z\)" \
    "the 500 is reported"
is "$(($(reqs one 1 | wc -l) - n_before))" 1 "the later delivery waits behind the failed one"
is "$(state_of WD7)" "queued 0" "WD7 was not tried"
run env ALLY_NOW=2026-10-15T12:00:20Z "$ALLY" webhook send
is "$(($(reqs one 1 | wc -l) - n_before))" 1 "nothing is retried before the backoff ends"
run env ALLY_NOW=2026-10-15T12:00:31Z "$ALLY" webhook send
is "$(printf '%s\n' "$out" | grep -c "delivered to http://127.0.0.1:$p1")" 2 "after the backoff both go"
is "$(reqs one 'r["delivery"] + ":" + str(r["code"])' | tail -n 3 | tr '\n' ' ')" "WD5:500 WD5:200 WD7:200 " \
    "the same delivery id again, then the next, in order"
is "$(state_of WD5)" "delivered 2" "WD5 delivered once, on its second attempt"

# each endpoint's own account: delivered, failed attempts, the last one
wh() {  # wh ID FIELD
	ally webhook list --json | $PY -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    if r["id"] == sys.argv[1]:
        print(r[sys.argv[2]])' "$1" "$2"
}
is "$(wh WH1 delivered)/$(wh WH1 failures)/$(wh WH1 last_code)/$(wh WH1 last_error)" "5/1/200/None" \
    "webhook list: WH1 delivered 5, failed once, its last attempt a 200"
is "$(wh WH2 delivered)/$(wh WH2 failures)/$(wh WH2 last_code)" "0/2/0" \
    "webhook list: WH2 never reached, two failed attempts"
like "$(wh WH2 last_error)" "onnect" "webhook list: WH2's last error"
is "$(wh WH2 last)" "2026-10-15T12:00:31Z" "webhook list: when WH2 was last tried"
run ally audit list --json
unlike "$out" "webhook send" "the tally is not audited (nobody changed the endpoint)"

# ---- the second server comes up: what waited arrives ----

start two "$p2" "$tmp/secret2"
run env ALLY_NOW=2026-10-15T12:05:00Z "$ALLY" webhook send
is_rc 0 "webhook send once the second server is up"
is "$(reqs two 'r["delivery"] + " " + str(r["signed"])' | tr '\n' ' ')" "WD2 True WD6 True WD8 True " \
    "the second endpoint gets its three referrals, in order, signed with the generated secret"
run ally webhook deliveries --failed
is "$out" "" "no failed delivery is left"

# ---- two senders at once: each delivery exactly once ----

echo 0.1 >"$tmp/one/delay"
echo 0.1 >"$tmp/two/delay"
for i in 1 2 3 4 5 6; do
	ally track referral --code ACME1 --email "pair$i@example.com" >/dev/null
done
export ALLY_NOW=2026-10-15T12:06:00Z
ally webhook send >"$tmp/s1.out" 2>"$tmp/s1.err" &
s1=$!
ally webhook send >"$tmp/s2.out" 2>"$tmp/s2.err" &
s2=$!
wait $s1; r1=$?
wait $s2; r2=$?
is "$r1/$r2" "0/0" "both senders succeed"
is "$(cat "$tmp/s1.out" "$tmp/s2.out" | wc -l | tr -d ' ')" 12 "twelve deliveries were made between them"
dups=$( (reqs one 'r["delivery"]'; reqs two 'r["delivery"]') | sort | uniq -d | wc -l | tr -d ' ')
# WD5 arrived twice on purpose (the 500); nothing else may
is "$dups" 1 "no delivery arrived twice (but WD5, answered 500 once)"
is "$(reqs one 'r["delivery"]' | tail -n 6 | tr -d 'WD' | sort -n -c 2>&1 && echo sorted)" "sorted" \
    "each endpoint still got them in order"
if [ -s "$tmp/s1.out" ] && [ -s "$tmp/s2.out" ]; then ok "both senders delivered some"
else ok "# SKIP one sender finished before the other started"; fi
rm -f "$tmp/one/delay" "$tmp/two/delay"

# ---- libcurl missing: a clear message, deliveries stay queued ----

ally track referral --code ACME1 --email late@example.com >/dev/null
snapshot
missing=$tmp/none/libcurl.so.4
run env ALLY_LIBCURL="$missing" "$ALLY" webhook send
is_rc 69 "webhook send without libcurl"
err_is "ally: webhook send: libcurl: cannot load libcurl.so.4 to send webhooks ($missing: cannot open shared object file: No such file or directory): install libcurl (libcurl4 on Debian and Ubuntu)" \
    "webhook send without libcurl"
unchanged "webhook send without libcurl"
is "$(state_of WD21)" "queued 0" "the delivery stays queued, not even tried"

# ---- remove: the endpoint and what it had not received yet ----

stop two
run ally webhook remove WH2
is "$out" "WH2 removed; 1 undelivered delivery dropped" "webhook remove"
run ally webhook send
is_rc 0 "the other endpoint still gets its delivery"
is "$out" "WD21 referral delivered to http://127.0.0.1:$p1/hooks/ally" "only the remaining endpoint is sent to"
run ally webhook list
unlike "$out" "WH2" "WH2 is gone"

# ---- every event name of the help, each made by its change ----

events=$(ally webhook add --help | tr -s ' \n' '  ' | sed 's/.*comma-separated: \(.*\) (required).*/\1/' | tr -d ' ')
run ally webhook add "http://127.0.0.1:$p1/all" --events "$events" --secret-file "$tmp/secret1"
is "$rc/$out" "0/WH3 http://127.0.0.1:$p1/all" "an endpoint for every event the help names"
printf '[portal]\nconnect = ssh portal@ally.example.com\n' >"$tmp/c.conf"
ally partner suspend Acme >/dev/null
ally partner activate Acme >/dev/null
ally --config "$tmp/c.conf" partner invite Acme >/dev/null
ally track referral --code ACME1 --email every@example.com >/dev/null
ally track conversion --code ACME1 --email every@example.com --event purchase --amount 80 --id ORD-2 >/dev/null
ally track refund --program Spring --id ORD-2 --amount 10 >/dev/null
ally commission reject C2 --reason "a test order" >/dev/null
ally track conversion --code ACME1 --email every@example.com --event purchase --amount 90 --id ORD-3 >/dev/null
ally commission approve C3 >/dev/null
sum=$(ally payout preview --cutoff 2026-10-16 | sed -n 's/^checksum: //p')
ally payout run --cutoff 2026-10-16 --confirm "$sum" --output "$tmp/pb1.csv" >/dev/null
ally payout mark-paid PB1 >/dev/null
ally deal register --partner Acme --company "Widget Corp" --domain widget.example --value 100 >/dev/null
ally deal approve D1 >/dev/null
ally deal win D1 --value 90 >/dev/null
ally deal register --partner Acme --company "Other Co" --domain other.example --value 100 >/dev/null
ally deal lose D2 --reason "went elsewhere" >/dev/null
ally program add Friends --rule "flat 5.00" --referee-reward "flat 10.00" --events purchase \
    --hold 0 --activate >/dev/null
ally code new --program Friends --partner Acme --vanity FRIENDS1 >/dev/null
ally track referral --code FRIENDS1 --email friend@example.com >/dev/null
ally track conversion --code FRIENDS1 --email friend@example.com --event purchase --amount 40 \
    --id ORD-F1 >/dev/null
rw=$(ally reward list --json | sed -n 's/.*"id":"\(RW[0-9]*\)".*/\1/p' | head -n 1)
ally reward approve "$rw" >/dev/null
ally reward mark-issued "$rw" >/dev/null
run ally webhook send
is_rc 0 "webhook send after every kind of change"
is "$(reqs one 'r["event"] if r["path"] == "/all" and r["signed"] else "-"' | grep -v '^-$' | sort -u | tr '\n' ' ')" \
    "$(printf '%s\n' "$events" | tr ',' '\n' | sort | tr '\n' ' ')" "each event arrived, signed"
is "$(reqs one 'r["body"]["data"]["status"] if r["event"] == "partner.activated" else "-"' | grep -v '^-$')" "1" \
    "partner.activated carries the partner, now active"
is "$(reqs one '(r["body"]["data"]["amount"], r["body"]["data"]["email"]) if r["event"] == "reward.approved" else "-"' | grep -v '^-$')" \
    "(1000, 'friend@example.com')" "reward.approved carries the reward: 10.00 owed to the referred contact"

# ---- a sender killed mid-delivery: its claim runs out, then it arrives ----

echo 20 >"$tmp/one/delay"
ally track referral --code ACME1 --email killed@example.com >/dev/null
held=$(ally webhook deliveries --json | tail -n 2 | head -n 1 | sed 's/.*"id":"\(WD[0-9]*\)".*/\1/')
other=$(ally webhook deliveries --json | tail -n 1 | sed 's/.*"id":"\(WD[0-9]*\)".*/\1/')
n0=$(grep -c "^$held\$" "$tmp/one/arrived")
"$ALLY" webhook send --timeout 25 >/dev/null 2>&1 &
victim=$!
for i in $(seq 100); do
	[ "$(grep -c "^$held\$" "$tmp/one/arrived")" -gt "$n0" ] && break
	sleep 0.1
done
kill -9 $victim
wait $victim 2>/dev/null
rm -f "$tmp/one/delay"
is "$(state_of "$held")" "sending 1" "$held is claimed by the killed sender"
run ally webhook send --timeout 25
is "$out" "$other referral delivered to http://127.0.0.1:$p1/all" \
    "another sender leaves the claimed one alone and serves the other endpoint"
run env ALLY_NOW=2026-10-15T12:07:51Z "$ALLY" webhook send --timeout 25
is "$out" "$held referral delivered to http://127.0.0.1:$p1/hooks/ally" \
    "once the claim (2 x 25 + 60 s) has run out it is sent again"
is "$(grep -c "^$held\$" "$tmp/one/arrived")" "$((n0 + 2))" "at least once: it arrived twice, with the same delivery id"
is "$(state_of "$held")" "delivered 2" "and is delivered"

# ---- a stalling receiver: bounded by --timeout ----

echo 6 >"$tmp/one/delay"
ally track referral --code ACME1 --email slow@example.com >/dev/null
t0=$(date +%s)
run env ALLY_NOW=2026-10-15T12:08:00Z "$ALLY" webhook send --timeout 2
t1=$(date +%s)
is_rc 69 "webhook send against a stalling receiver"
like "$err" "referral to http://127.0.0.1:$p1/hooks/ally: .*[Tt]imeout was reached|timed out" "the timeout is reported"
if [ $((t1 - t0)) -lt 6 ]; then ok "both stalled POSTs gave up within their timeout ($((t1 - t0)) s)"
else not_ok "the stalled POSTs took $((t1 - t0)) s"; fi
rm -f "$tmp/one/delay"
run env ALLY_NOW=2026-10-15T12:08:31Z "$ALLY" webhook send
is "$rc/$(printf '%s\n' "$out" | grep -c delivered)" "0/2" "delivered once the receiver answers again"

# ---- webhook test: one signed ping, whatever the endpoint subscribes to ----

bad 66 'ally: webhook test: webhook "WH7" not found' "testing an unknown endpoint" -- ally webhook test WH7
run ally webhook test WH1
is "$rc/$out" "0/$(ally webhook deliveries --json | tail -n 1 | sed 's/.*"id":"\(WD[0-9]*\)".*/\1/') webhook.test queued (ally webhook send delivers it)" \
    "webhook test queues a delivery"
run env ALLY_NOW=2026-10-15T12:09:00Z "$ALLY" webhook send
is "$rc" 0 "and webhook send delivers it"
is "$(reqs one '(r["event"], r["path"], r["signed"], r["body"]["data"]["url"], r["body"]["data"]["secret"]) if r["event"] == "webhook.test" else "-"' | grep -v '^-$')" \
    "('webhook.test', '/hooks/ally', True, 'http://127.0.0.1:$p1/hooks/ally', '(set)')" \
    "the ping: signed, carrying the endpoint without its secret"
run ally audit verify
is_rc 0 "the audit chain verifies"
run ally check
is_rc 0 "ally check passes"

done_testing
