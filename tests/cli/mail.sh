#!/bin/sh
# mail.sh - invitations and the outbox against real SMTP servers on
# 127.0.0.1 (aiosmtpd, started and stopped here): what arrives is read back
# with Python's email package; server down, STARTTLS, AUTH, a stalling
# server, a refused recipient and two senders at once.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"

PY=/usr/bin/python3
export ALLY_TEMPLATES=${ALLY_TEMPLATES:-$top_srcdir/data}
if ! $PY -c 'import aiosmtpd' 2>/dev/null || ! command -v openssl >/dev/null; then
	echo "1..0 # SKIP needs /usr/bin/python3 with aiosmtpd and openssl (./dev deps)"
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

# Wait until something listens on port $1, for at most 10 s.
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

# start NAME CMD...: run a server in the background, remember its pid
start() {
	_name=$1
	shift
	"$@" >"$tmp/$_name.log" 2>&1 &
	eval "pid_$_name=$!"
	pids="$pids $!"
}

stop() {
	eval "_p=\$pid_$1"
	kill "$_p" 2>/dev/null
	wait "$_p" 2>/dev/null
}

count() {  # messages in a Maildir
	ls "$1/new" 2>/dev/null | wc -l | tr -d ' '
}

conf() {  # conf FILE [smtp lines...]
	_f=$1
	shift
	{
		echo "[smtp]"
		for l in "$@"; do echo "$l"; done
		echo "from = Ally Bot <ally@example.com>"
		echo "[portal]"
		echo "connect = ssh portal@ally.example.com"
	} >"$_f"
}

at() {  # at TIME ARGS...: ally with the clock at TIME
	_at=$1
	shift
	ALLY_NOW=$_at "$ALLY" "$@"
}

json_field() {  # json_field FIELD < one JSON object a line (first line)
	$PY -c 'import json,sys; print(json.loads(sys.stdin.readline())[sys.argv[1]])' "$1"
}

ally init --org "Müller & Söhne" >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally partner add "Café Zürich" --email ann@cafe.example --contact "Zoë Ünal-Øster" >/dev/null
ally partner add Plain --email bob@plain.example >/dev/null

# ---- bad input: nothing written ----

port=$(free_port)
conf "$tmp/down.conf" "url = smtp://127.0.0.1:$port" "starttls = off" "timeout = 3"
bad 66 'ally: partner invite: partner "Nope" not found' "invite an unknown partner" -- \
    ally --config "$tmp/down.conf" partner invite Nope
bad 65 'ally: partner invite: days: 0 is out of range (1..365)' "invite --days 0" -- \
    ally --config "$tmp/down.conf" partner invite Plain --days 0
bad 65 'ally: partner invite: days: "x" is not a whole number' "invite --days x" -- \
    ally --config "$tmp/down.conf" partner invite Plain --days x
bad 65 'ally: partner resend: P2 has no invitation to resend (use ally partner invite)' \
    "resend without an invitation" -- ally --config "$tmp/down.conf" partner resend Plain
bad 65 'ally: partner revoke: P2 has no portal access to revoke' "revoke without access" -- \
    ally --config "$tmp/down.conf" partner revoke Plain
printf '[smtp]\nstarttls = maybe\n' >"$tmp/bad.conf"
bad 78 "ally: partner invite: $tmp/bad.conf:2: [smtp] starttls: \"maybe\" must be required, optional or off" \
    "a bad starttls value" -- ally --config "$tmp/bad.conf" partner invite Plain
printf '[smtp]\nurl = http://x\n' >"$tmp/bad.conf"
bad 78 "ally: mail send: $tmp/bad.conf:2: [smtp] url: \"http://x\" must start with smtp:// or smtps://" \
    "a bad url" -- ally --config "$tmp/bad.conf" mail send
printf '[portal]\nconect = x\n' >"$tmp/bad.conf"
bad 78 "ally: partner invite: $tmp/bad.conf:2: [portal] conect: unknown key" "an unknown key" -- \
    ally --config "$tmp/bad.conf" partner invite Plain
printf '[smtp]\nurl = smtp://127.0.0.1:25\nstarttls = off\nusername = u\n' >"$tmp/bad.conf"
bad 78 "ally: mail send: $tmp/bad.conf: [smtp] username: the password would travel unencrypted (use starttls = required or an smtps:// url)" \
    "AUTH without TLS" -- ally --config "$tmp/bad.conf" mail send
bad 78 "ally: mail send: $tmp/none.conf: No such file or directory" "--config of a missing file" -- \
    ally --config "$tmp/none.conf" mail send
printf '[portal]\nconnect = x\n' >"$tmp/nosmtp.conf"
bad 78 "ally: mail send: [smtp] url: not set in $tmp/nosmtp.conf (see ally.conf(5))" \
    "mail send without [smtp] url" -- ally --config "$tmp/nosmtp.conf" mail send
bad 66 'ally: mail retry: mail M9 not found' "retry an unknown message" -- ally mail retry M9
bad 65 'ally: mail list: state: "lost" must be queued, sending, sent or failed' "list --state lost" -- \
    ally mail list --state lost
bad 78 "ally: partner invite: mail template invitation.txt: No such file or directory; fix [mail] templates or remove it" \
    "missing templates" -- env ALLY_TEMPLATES="$tmp/none" "$ALLY" --config "$tmp/down.conf" partner invite Plain
mkdir -p "$tmp/tpl"
cp "$ALLY_TEMPLATES"/*.txt "$ALLY_TEMPLATES"/*.html "$tmp/tpl/"
printf 'Subject: Hi {{name}}\n\nx\n' >"$tmp/tpl/invitation.txt"
bad 78 "ally: partner invite: mail template invitation.txt: unknown variable {{name}}" \
    "a template with an unknown variable" -- env ALLY_TEMPLATES="$tmp/tpl" "$ALLY" --config "$tmp/down.conf" partner invite Plain

# ---- invite while the server is down: queued, retried, delivered once ----

run ally --config "$tmp/down.conf" partner invite "Café Zürich"
is_rc 0 "invite"
is "$out" "I1 for P1, valid until 2026-10-22 12:00; M1 queued" "invite prints the invitation and the mail"
bad 65 'ally: partner invite: P1 already has a pending invitation (ally partner resend makes a new code)' \
    "invite twice" -- ally --config "$tmp/down.conf" partner invite "Café Zürich"
run ally mail list --json
is "$(printf '%s\n' "$out" | json_field state)" "queued" "the invitation is queued"

# mail send and retry are an admin's: a support or manager account with its
# own [smtp] would get every queued invitation (none is claimed or sent)
ally user add sue --role support >/dev/null
ally user add max --role manager >/dev/null
for who in sue:support max:manager; do
	bad 77 "ally: mail send: you (${who%%:*}, ${who#*:}) may not send the outbox's mail" \
	    "mail send by ${who#*:}" -- env ALLY_USER="${who%%:*}" "$ALLY" --config "$tmp/down.conf" mail send
	bad 77 "ally: mail retry: you (${who%%:*}, ${who#*:}) may not send the outbox's mail" \
	    "mail retry by ${who#*:}" -- env ALLY_USER="${who%%:*}" "$ALLY" mail retry M1
	run env ALLY_USER="${who%%:*}" "$ALLY" mail list --json
	is "$rc/$(printf '%s\n' "$out" | json_field state)" "0/queued" "mail list stays readable for ${who#*:} (no bodies)"
done

run ally --config "$tmp/down.conf" mail send
is_rc 69 "mail send with the server down"
like "$err" "^ally: mail send: M1 to ann@cafe.example: .*\\(attempt 1 of 8; next at 2026-10-15T12:01:00Z\\)$" \
    "the failure names the message, the attempt and the next time"
run ally mail list --json
is "$(printf '%s\n' "$out" | json_field attempts)" "1" "one attempt recorded"
like "$(printf '%s\n' "$out" | json_field last_error)" "onnect" "the error is recorded"
run ally --config "$tmp/down.conf" mail send
is_rc 0 "nothing is due before the backoff ends"
is "$out" "" "nothing sent before the backoff ends"

start plain $PY -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$tmp/Maildir"
wait_port "$port" || echo "Bail out! aiosmtpd did not start"
run at 2026-10-15T12:02:00Z --config "$tmp/down.conf" mail send
is_rc 0 "mail send once the server is back"
is "$out" "M1 sent to ann@cafe.example" "mail send reports what it sent"
run at 2026-10-15T12:10:00Z --config "$tmp/down.conf" mail send
is "$out" "" "a sent message is not sent again"
is "$(count "$tmp/Maildir")" 1 "delivered exactly once"
run ally mail list --state sent --csv
like "$out" "^M1,sent,invitation,Café Zürich,ann@cafe.example," "mail list shows it sent"

# What the server received, through a real MIME parser.
cat >"$tmp/check.py" <<'EOF'
import email, email.policy, sys, glob
for path in sorted(glob.glob(sys.argv[1] + "/new/*")):
    m = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
    to = m["to"].addresses[0]
    fr = m["from"].addresses[0]
    parts = [p.get_content_type() for p in m.iter_parts()]
    text = m.get_body(("plain",)).get_content()
    html = m.get_body(("html",)).get_content()
    raw = open(path, "rb").read().split(b"\n\n", 1)[0]
    longest = max(len(l.rstrip(b"\r")) for l in raw.split(b"\n"))
    print("subject=" + m["subject"])
    print("to=%s|%s" % (to.display_name, to.addr_spec))
    print("from=%s|%s" % (fr.display_name, fr.addr_spec))
    print("date=" + m["date"])
    print("mid=" + m["message-id"])
    print("mime=%s %s" % (m["mime-version"], m.get_content_type()))
    print("parts=" + ",".join(parts))
    print("text_has_code=%s" % ("ssh portal@ally.example.com" in text and "valid until 2026-10-22 12:00 UTC" in text))
    print("html_escaped=%s" % ("Müller &amp; Söhne" in html))
    print("rcpt=" + m["x-rcptto"])
    print("header_lines_ok=%s" % (longest <= 76))
    print("--")
EOF
$PY "$tmp/check.py" "$tmp/Maildir" >"$tmp/parsed"
parsed=$(cat "$tmp/parsed")
like "$parsed" "subject=Your invitation to the Müller & Söhne partner portal" "non-ASCII subject decodes"
like "$parsed" "to=Zoë Ünal-Øster\|ann@cafe.example" "non-ASCII display name decodes"
like "$parsed" "from=Ally Bot\|ally@example.com" "From from the config"
like "$parsed" "date=Thu, 15 Oct 2026 12:02:00 \+0000" "Date in RFC 5322 form"
like "$parsed" "mid=<[0-9a-f]{32}\.ally@example\.com>" "Message-ID"
like "$parsed" "mime=1.0 multipart/alternative" "MIME multipart/alternative"
like "$parsed" "parts=text/plain,text/html" "text first, HTML last"
like "$parsed" "text_has_code=True" "the text part says how to connect and until when"
like "$parsed" "html_escaped=True" "values are HTML-escaped in the HTML part"
like "$parsed" "rcpt=ann@cafe.example" "one recipient"
like "$parsed" "header_lines_ok=True" "header lines of at most 76 characters"
code=$($PY - "$tmp/Maildir" <<'EOF'
import email, email.policy, sys, glob, re
m = email.message_from_binary_file(open(glob.glob(sys.argv[1] + "/new/*")[0], "rb"), policy=email.policy.default)
print(re.search(r"password:\n\n +(\S+)", m.get_body(("plain",)).get_content()).group(1))
EOF
)
like "$code" '^[A-Za-z0-9_-]{24}$' "the code: 144 bits in URL-safe base64"
run mdb_dump -p -a "$ALLY_DB"
unlike "$out" "$code" "the code itself is not stored"
bodies=$($PY - "$tmp/Maildir" "$code" <<'EOF'
import email, email.policy, sys, glob
m = email.message_from_binary_file(open(glob.glob(sys.argv[1] + "/new/*")[0], "rb"), policy=email.policy.default)
t, h = m.get_body(("plain",)).get_content(), m.get_body(("html",)).get_content()
print("both=%s marker=%s" % (sys.argv[2] in t and sys.argv[2] in h, "\x01" in t + h))
EOF
)
is "$bodies" "both=True marker=False" "the code drawn at sending is in both parts, the marker in neither"
is "$(ally audit list --json | grep -c 'invitation code drawn')" 2 \
    "each attempt drew a code of its own: the failed attempt's was replaced"

# ---- resend, revoke, many messages, Message-ID uniqueness ----

run ally --config "$tmp/down.conf" partner resend "Café Zürich" --days 3
is "$out" "I2 for P1, valid until 2026-10-18 12:00; M2 queued" "resend makes a new code"
ally user add pat --role partner --partner "Café Zürich" >/dev/null 2>&1
run ally --config "$tmp/down.conf" partner revoke "Café Zürich"
is "$out" "P1 portal access revoked: 1 code voided, 1 account removed; M3 queued" \
    "revoke voids the code and removes the portal account"
run ally user list --csv
unlike "$out" "pat" "the partner's portal account is gone"
i=0
while [ $i -lt 12 ]; do
	ally partner add "Partner $i" --email "p$i@example.org" >/dev/null
	ally --config "$tmp/down.conf" partner invite "Partner $i" >/dev/null
	i=$((i + 1))
done
# Two senders at once: each message goes exactly once.
at 2026-10-15T12:03:00Z --config "$tmp/down.conf" mail send >"$tmp/s1" 2>&1 &
s1=$!
at 2026-10-15T12:03:00Z --config "$tmp/down.conf" mail send >"$tmp/s2" 2>&1 &
s2=$!
wait $s1; r1=$?
wait $s2; r2=$?
# M2 carried the resent invitation I2, voided by the revoke: it never goes
is "$(echo "$r1 $r2" | tr ' ' '\n' | sort | tr '\n' /)" "0/65/" \
    "two senders at once: one finds the voided invitation's message (65), the other succeeds"
is "$(cat "$tmp/s1" "$tmp/s2" | grep -c 'M2 to ann@cafe.example: invitation I2 was replaced or revoked: not sent (attempt 1 of 8; failed, see ally mail retry)')" 1 \
    "the voided invitation's message fails for good, once"
is "$(count "$tmp/Maildir")" 14 "14 messages delivered, none twice"
is "$(cat "$tmp/s1" "$tmp/s2" | grep -c ' sent to ')" 13 "each message sent by exactly one sender"
$PY "$tmp/check.py" "$tmp/Maildir" >"$tmp/parsed"
is "$(grep '^mid=' "$tmp/parsed" | sort -u | wc -l | tr -d ' ')" 14 "every Message-ID is unique"
like "$(cat "$tmp/parsed")" "subject=Your access to the Müller & Söhne partner portal has ended" \
    "the access-revoked mail"
stop plain

# ---- STARTTLS with a certificate made here ----

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1
tport=$(free_port)
start tls $PY -m aiosmtpd -n -l "127.0.0.1:$tport" -c aiosmtpd.handlers.Mailbox "$tmp/TLSMaildir" \
    --tlscert "$tmp/cert.pem" --tlskey "$tmp/key.pem"
wait_port "$tport" || echo "Bail out! aiosmtpd with STARTTLS did not start"
ally --config "$tmp/down.conf" partner invite Plain >/dev/null
conf "$tmp/tls-noca.conf" "url = smtp://127.0.0.1:$tport" "starttls = required" "timeout = 5"
run ally --config "$tmp/tls-noca.conf" mail send
is_rc 69 "STARTTLS with an unknown certificate fails"
like "$err" "certificate|SSL" "the error names the certificate"
conf "$tmp/tls.conf" "url = smtp://127.0.0.1:$tport" "starttls = required" "timeout = 5" \
    "ca_file = $tmp/cert.pem"
run at 2026-10-15T12:05:00Z --config "$tmp/tls.conf" mail send
is_rc 0 "STARTTLS with ca_file"
is "$(count "$tmp/TLSMaildir")" 1 "delivered over STARTTLS"
stop tls

# ---- AUTH over STARTTLS ----

aport=$(free_port)
start auth $PY "$top_srcdir/tests/mail/server.py" --port "$aport" --maildir "$tmp/AuthMaildir" \
    --tlscert "$tmp/cert.pem" --tlskey "$tmp/key.pem" --auth ally:s3cret
wait_port "$aport" || echo "Bail out! AUTH server did not start"
ally --config "$tmp/down.conf" partner resend Plain >/dev/null
printf 'wrong\n' >"$tmp/badpw"
printf 's3cret\n' >"$tmp/pw"
conf "$tmp/auth-bad.conf" "url = smtp://127.0.0.1:$aport" "timeout = 5" "ca_file = $tmp/cert.pem" \
    "username = ally" "password_file = $tmp/badpw"
run ally --config "$tmp/auth-bad.conf" mail send
is_rc 78 "a refused login"
like "$err" "M17 to bob@plain.example: Login denied" "the refused login is reported"
conf "$tmp/auth.conf" "url = smtp://127.0.0.1:$aport" "timeout = 5" "ca_file = $tmp/cert.pem" \
    "username = ally" "password_file = $tmp/pw"
run at 2026-10-15T12:05:00Z --config "$tmp/auth.conf" mail send
is_rc 0 "AUTH with the right password"
is "$(count "$tmp/AuthMaildir")" 1 "delivered after AUTH"
stop auth

# ---- a server that stalls after DATA: bounded time, recorded error ----

sport=$(free_port)
start stall $PY "$top_srcdir/tests/mail/server.py" --port "$sport" --stall
wait_port "$sport" || echo "Bail out! stalling server did not start"
ally partner add Stall --email st@example.net >/dev/null
ally --config "$tmp/down.conf" partner invite Stall >/dev/null
conf "$tmp/stall.conf" "url = smtp://127.0.0.1:$sport" "starttls = off" "timeout = 1"
t0=$(date +%s)
run ally --config "$tmp/stall.conf" mail send
t1=$(date +%s)
is_rc 69 "a stalling server"
like "$err" "M18 to st@example.net: .*[Tt]imeout" "the stall is reported as a timeout"
if [ $((t1 - t0)) -le 5 ]; then ok "mail send gives up within its timeout"; else
	not_ok "mail send gives up within its timeout" "took $((t1 - t0)) s"; fi
run ally mail list --state queued --json
like "$out" '"id":"M18".*"attempts":1.*"last_error":"[^"]*[Tt]imeout' "the timeout is recorded on the message"
stop stall

# ---- a refused recipient: failed after the last attempt, visible ----

rport=$(free_port)
start refuse $PY "$top_srcdir/tests/mail/server.py" --port "$rport" --maildir "$tmp/RefMaildir" \
    --refuse refused
wait_port "$rport" || echo "Bail out! refusing server did not start"
ally partner add Gone --email refused@example.net >/dev/null
ally --config "$tmp/down.conf" partner invite Gone --days 30 >/dev/null
conf "$tmp/refuse.conf" "url = smtp://127.0.0.1:$rport" "starttls = off" "timeout = 5"
at 2026-10-16T00:00:00Z --config "$tmp/refuse.conf" mail send >/dev/null 2>&1  # M18 goes here
day=17
while [ $day -le 23 ]; do
	run at 2026-10-${day}T00:00:00Z --config "$tmp/refuse.conf" mail send
	day=$((day + 1))
done
is_rc 65 "a refused recipient"
like "$err" "M19 to refused@example.net: .*550.*recipient refused\) \(attempt 8 of 8; failed, see ally mail retry\)" \
    "the last attempt says it failed for good"
run ally mail list --state failed --json
like "$out" '"id":"M19","state":"failed".*"attempts":8' "the failed message is visible with its attempts"
is "$(printf "%s\n" "$out" | grep "\"id\":\"M19\"" | json_field errors | wc -l | tr -d ' ')" 8 "each attempt's error is kept"
is "$(count "$tmp/RefMaildir")" 1 "nothing delivered to the refused recipient"
run ally mail retry M19
is "$out" "M19 queued" "mail retry queues a failed message again"
bad 65 'ally: mail retry: M1 was sent already' "retry a sent message" -- ally mail retry M1
stop refuse

done_testing
