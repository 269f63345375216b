# lib.sh - helpers for the reliability tests (sourced after tests/cli/lib.sh).
#
#   rnd MAX                 sets $R to a pseudo-random whole number in 0..MAX-1
#   gen_events N [P]        N JSON Lines events for CODE1..CODE5 on stdout
#                           (contacts and order ids prefixed with P)
#   base_db DIR             init + program Spring + partners P1..P5 + codes
#   killer ARGS -- CMD      tests/reliability/killer.py (kill -9 at a moment)
#   start_smtp DIR          aiosmtpd on a free port delivering to DIR; sets $port
PY=/usr/bin/python3
KILLER="$PY $top_srcdir/tests/reliability/killer.py"

# The seed is printed so a failing run can be repeated: ALLY_SEED=N make check.
seed=${ALLY_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "# seed $seed (repeat with ALLY_SEED=$seed)"
rnd_n=0
rnd() {
	rnd_n=$((rnd_n + 1))
	R=$(awk -v s="$seed" -v n="$rnd_n" -v m="$1" 'BEGIN { srand(s + n * 7919); print int(rand() * m) }')
}

gen_events() {
	awk -v n="$1" -v p="${2:-b}" 'BEGIN {
		srand(11);
		for (i = 1; i <= n; i++) {
			c = 1 + int(rand() * 5);
			t = 1775000000 + int(rand() * 86400 * 150);
			printf "{\"type\":\"referral\",\"code\":\"CODE%d\",\"email\":\"%s%d@x.example\",\"name\":\"B %d\",\"at\":\"%s\"}\n", c, p, i, i, strftime("%Y-%m-%dT%H:%M:%SZ", t, 1);
			if (i % 5 == 0)
				printf "{\"type\":\"conversion\",\"code\":\"CODE%d\",\"email\":\"%s%d@x.example\",\"event\":\"purchase\",\"amount\":\"%d.%02d\",\"id\":\"%s-%d\",\"at\":\"%s\"}\n", c, p, i, 10 + i % 900, i % 100, p, i, strftime("%Y-%m-%dT%H:%M:%SZ", t + 3600, 1);
		}
	}'
}

base_db() {
	ALLY_DB=$1
	export ALLY_DB
	ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
	ally program add Spring --rule "percent 10" --events purchase --window 365 --hold 0 --activate >/dev/null
	for i in 1 2 3 4 5; do
		ally partner add "Partner $i" --email "p$i@partner.example" >/dev/null
		ally code new --program Spring --partner "Partner $i" --vanity "CODE$i" >/dev/null
	done
}

killer() {
	$KILLER "$@"
}

# A copy of database $1 in $2 (a fresh directory: no lock file is shared).
copy_db() {
	rm -rf "$2"
	mkdir -p "$2"
	cp "$1/data.mdb" "$2/data.mdb"
	# the audit chain is keyed: a working copy needs its key
	if [ -f "$1/audit.key" ]; then cp -p "$1/audit.key" "$2/audit.key"; fi
}

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

smtp_pid=""
start_smtp() {
	port=$(free_port)
	$PY -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$1" >"$tmp/smtp.log" 2>&1 &
	smtp_pid=$!
	wait_port "$port" || { echo "Bail out! aiosmtpd did not start"; exit 1; }
}

stop_smtp() {
	if [ -n "$smtp_pid" ]; then
		kill "$smtp_pid" 2>/dev/null
		wait "$smtp_pid" 2>/dev/null
		smtp_pid=""
	fi
}

# The Message-IDs in a Maildir, one a line, sorted (duplicates kept).
maildir_mids() {
	for f in "$1"/new/*; do
		[ -f "$f" ] || continue
		sed -n 's/^[Mm]essage-[Ii][Dd]: *//p' "$f" | tr -d '\r' | head -1
	done | sort
}
