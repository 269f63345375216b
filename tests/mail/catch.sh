# catch.sh - a real SMTP server for the tests that need what ally mails
# (sourced after tests/cli/lib.sh).  Invitation codes exist only in the
# messages sent (the outbox holds a reference, the code is drawn at
# sending), so a test that logs in with one catches it here:
#
#   catch_start                  aiosmtpd on a free loopback port, Maildir in $tmp
#   catch_conf FILE [LINES...]   an ally.conf whose [smtp] points at it
#   catch_send CONF              ally --config CONF mail send (must succeed)
#   catch_codes                  every invitation code delivered, oldest first
#
# Needs Debian's /usr/bin/python3 with aiosmtpd: catch_need prints the TAP
# skip line and exits when it is missing.
CATCH_PY=/usr/bin/python3
catch_pid=""

catch_need() {
	if ! $CATCH_PY -c 'import aiosmtpd' 2>/dev/null; then
		echo "1..0 # SKIP needs /usr/bin/python3 with aiosmtpd (./dev deps): codes arrive only by mail"
		exit 0
	fi
}

catch_start() {
	catch_port=$($CATCH_PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	$CATCH_PY -m aiosmtpd -n -l "127.0.0.1:$catch_port" -c aiosmtpd.handlers.Mailbox "$tmp/Caught" \
	    >"$tmp/catch.log" 2>&1 &
	catch_pid=$!
	$CATCH_PY - "$catch_port" <<'PY' || echo "Bail out! the SMTP server did not start"
import socket, sys, time
deadline = time.monotonic() + 10
while time.monotonic() < deadline:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.02)
sys.exit(1)
PY
}

catch_stop() {
	[ -n "$catch_pid" ] && kill "$catch_pid" 2>/dev/null && wait "$catch_pid" 2>/dev/null
	catch_pid=""
}

catch_conf() {  # catch_conf FILE [extra lines, e.g. section headers and keys]
	_f=$1
	shift
	{
		echo "[smtp]"
		echo "url = smtp://127.0.0.1:$catch_port"
		echo "starttls = off"
		echo "from = Ally <ally@example.com>"
		for l in "$@"; do echo "$l"; done
	} >"$_f"
}

catch_send() {
	"$ALLY" --config "$1" mail send >"$tmp/catch.out" 2>&1 ||
	    echo "# mail send failed: $(cat "$tmp/catch.out")"
}

catch_codes() {
	$CATCH_PY - "$tmp/Caught" <<'PY'
import email, email.policy, glob, os, re, sys
files = sorted(glob.glob(sys.argv[1] + "/new/*"), key=os.path.getmtime)
for f in files:
    m = email.message_from_binary_file(open(f, "rb"), policy=email.policy.default)
    body = m.get_body(("plain",))
    if body is None:
        continue
    hit = re.search(r"password:\n\n +([A-Za-z0-9_-]{24})\n", body.get_content())
    if hit:
        print(hit.group(1))
PY
}
