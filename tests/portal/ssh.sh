#!/bin/sh
# ssh.sh - the partner portal end to end over real SSH: a private sshd on
# a loopback port, with its own host key and config, whose Match block
# runs the built ally portal as the ForceCommand (through a wrapper that
# fixes the test database, as a deployment's ForceCommand line does).  The
# SSH login uses a key made here; ally's own partner login happens inside
# the portal.  Driven with ssh -tt inside tmux: invitation code -> new
# password -> own referrals -> register a deal; a statement fetched
# non-interactively; then access revoked and the open session refused at
# its next key.  Then a partner's registered key over a second sshd whose
# AuthorizedKeysCommand is ally portal authorized-keys: in without a
# password, until the key is removed or the access revoked; and the sshd
# block of doc/deployment.md passes sshd -t.  Every wait polls with a
# deadline.
. "${top_srcdir:-.}/tests/cli/lib.sh"
. "${top_srcdir:-.}/tests/mail/catch.sh"
unset ALLY_NOW

SSHD=/usr/sbin/sshd
for p in "$SSHD" ssh ssh-keygen tmux; do
	if ! command -v "$p" >/dev/null 2>&1; then
		echo "1..0 # SKIP $p is not installed (./dev installs openssh-server and openssh-client)"
		exit 0
	fi
done
me=$(id -un)
sock=ally-ssh-$$
tm() { tmux -L "$sock" "$@"; }
catch_need
cleanup() {
	tm kill-server 2>/dev/null
	[ -f "$tmp/sshd.pid" ] && kill "$(cat "$tmp/sshd.pid")" 2>/dev/null
	[ -f "$tmp/sshd2.pid" ] && kill "$(cat "$tmp/sshd2.pid")" 2>/dev/null
	catch_stop
	rm -rf "$tmp"
}
trap cleanup EXIT
month=$(date -u +%Y-%m)
catch_start

# ---- the data ----
catch_conf "$tmp/portal.conf" "[mail]" "templates = ${ALLY_TEMPLATES:-$top_srcdir/data}" \
    "[portal]" "connect = ssh portal@127.0.0.1" "key_account = $me"
ally init --org Acme >/dev/null
ally partner add "Alpha Co" --email ann@alpha.example >/dev/null
ally partner add "Beta Co" --email bob@beta.example >/dev/null
ally program add Spring --rule "percent 10" --events purchase --activate >/dev/null
ally code new --program Spring --partner "Alpha Co" --vanity ALPHA1 >/dev/null
ally code new --program Spring --partner "Beta Co" --vanity BETA1 >/dev/null
ally track referral --code ALPHA1 --email carol@cust.example --name Carol >/dev/null
ally track referral --code BETA1 --email dave@secret.example --name Dave >/dev/null
ally track conversion --code ALPHA1 --email carol@cust.example --event purchase --amount 100 --id ORD-A >/dev/null
ally --config "$tmp/portal.conf" partner invite "Alpha Co" >/dev/null
catch_send "$tmp/portal.conf"
code=$(catch_codes | head -1)

# ---- sshd ----
ssh-keygen -q -t ed25519 -N '' -f "$tmp/hostkey"
ssh-keygen -q -t ed25519 -N '' -f "$tmp/userkey"
cp "$tmp/userkey.pub" "$tmp/authorized_keys"
cat >"$tmp/portal-wrapper" <<WRAP
#!/bin/sh
exec env LC_ALL=C.UTF-8 TZ=UTC "$ALLY" --db "$ALLY_DB" --config "$tmp/portal.conf" portal
WRAP
chmod 755 "$tmp/portal-wrapper"
[ "$(id -u)" = 0 ] && mkdir -p /run/sshd
port=$((20000 + $$ % 20000))
cat >"$tmp/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $tmp/hostkey
PidFile $tmp/sshd.pid
AuthorizedKeysFile $tmp/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin yes
AllowUsers $me
Match User $me
	ForceCommand $tmp/portal-wrapper
	AllowTcpForwarding no
	AllowStreamLocalForwarding no
	X11Forwarding no
	AllowAgentForwarding no
	PermitTunnel no
	PermitTTY yes
CONF
"$SSHD" -D -e -f "$tmp/sshd_config" -E "$tmp/sshd.log" &
i=0
until grep -q 'Server listening' "$tmp/sshd.log" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 200 ] || grep -q -i 'fatal\|error' "$tmp/sshd.log" 2>/dev/null; then
		echo "1..0 # SKIP sshd did not start: $(tail -1 "$tmp/sshd.log" 2>/dev/null)"
		exit 0
	fi
	sleep 0.05
done
SSH="ssh -F /dev/null -i $tmp/userkey -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o BatchMode=yes -p $port $me@127.0.0.1"

# ---- tmux helpers ----
start() {  # start NAME: ssh -tt into the portal in a 100x30 terminal
	tm -f /dev/null new-session -d -s "$1" -x 100 -y 30 \
		"env TERM=xterm-256color $SSH -tt; echo EXITED:\$?; sleep 30"
}
wait_for() {  # wait_for NAME REGEX [TENTHS]: poll every 50 ms, 10 s by default
	i=0
	while [ $i -lt "${3:-200}" ]; do
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
		not_ok "$3" "want: /$2/" "screen:" "$(tm capture-pane -p -t "$1" 2>/dev/null)"
	fi
}
keys() { tm send-keys -t "$@"; }

# ---- first login with the code ----
start one
expect one 'Acme partner portal' "the portal says whose it is first"
expect one 'E-mail \(or invitation code\):' "the portal asks who you are"
keys one -- "$code" Enter
expect one 'New password:' "the code is accepted: a new password"
keys one 'correct-horse-9' Enter
expect one 'Repeat it:' "asked to repeat it"
keys one 'correct-horse-9' Enter
expect one 'ALPHA1' "logged in: Links shows the own code"
unlike "$(tm capture-pane -p -t one)" 'correct-horse' "the password was not echoed"
keys one 2
expect one 'carol@cust.example' "Referrals: the own contact"
unlike "$(tm capture-pane -p -t one)" 'dave@secret' "Referrals: never another partner's"
keys one 3
expect one 'My deal registrations' "Deals tab"
keys one n
expect one 'Register a deal' "the registration form"
keys one 'Newco Ltd' Tab 'newco.example' Tab '1500' C-s
expect one 'registered: submitted for review' "the deal is registered"
expect one 'newco.example' "the deal is in the list"
keys one q
expect one 'EXITED:0' "q ends the session"
like "$(ally deal list --csv)" 'Newco Ltd.*Alpha Co|Alpha Co.*Newco Ltd|newco.example' "the deal is in the database for Alpha Co"

# ---- a statement without a terminal: credentials on stdin ----
printf 'ann@alpha.example\ncorrect-horse-9\n' | $SSH statement "$month" --csv >"$tmp/s.csv" 2>"$tmp/s.err"
rc=$?
is_rc 0 "ssh ... statement $month --csv"
like "$(cat "$tmp/s.csv")" '^line,date,kind' "the statement is CSV"
like "$(cat "$tmp/s.csv")" 'ORD-A' "the statement has the own conversion"
printf 'ann@alpha.example\ncorrect-horse-9\n' | $SSH 'links; cat /etc/passwd' >"$tmp/x.out" 2>&1
rc=$?
is_rc 64 "a crafted command over ssh is refused"
unlike "$(cat "$tmp/x.out")" 'root:' "nothing else runs"
# a remote forward must be granted by sshd: the Match block refuses it
$SSH -N -R 127.0.0.1:$((port + 1)):127.0.0.1:$port -o ExitOnForwardFailure=yes \
    </dev/null >/dev/null 2>&1 &
fwd=$!
i=0
while kill -0 $fwd 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
if kill -0 $fwd 2>/dev/null; then
	kill $fwd
	not_ok "port forwarding is refused"
else
	ok "port forwarding is refused"
fi

# ---- a partner's SSH key: sshd asks ally, no password ----
# sshd runs an AuthorizedKeysCommand only from a root-owned path that
# nobody else may write, all the way up
safe=yes
d=$(readlink -f "$ALLY")
while [ "$d" != / ]; do
	if [ "$(stat -c %u "$d")" != 0 ] || [ -n "$(find "$d" -maxdepth 0 -perm /022)" ]; then safe=no; fi
	d=$(dirname "$d")
done
ssh-keygen -q -t ed25519 -N '' -C 'ann at alpha' -f "$tmp/annkey"
ally partner key add "Alpha Co" "$tmp/annkey.pub" >/dev/null
port2=$((port + 1))
[ $port2 -ge 40000 ] && port2=$((port - 1))
cat >"$tmp/sshd2_config" <<CONF
Port $port2
ListenAddress 127.0.0.1
HostKey $tmp/hostkey
PidFile $tmp/sshd2.pid
StrictModes no
UsePAM no
PermitRootLogin yes
AllowUsers $me
Match User $me
	AuthenticationMethods publickey
	PubkeyAuthentication yes
	PasswordAuthentication no
	KbdInteractiveAuthentication no
	AuthorizedKeysFile none
	AuthorizedKeysCommand $(readlink -f "$ALLY") --db $ALLY_DB --config $tmp/portal.conf portal authorized-keys %u %k
	AuthorizedKeysCommandUser $me
	DisableForwarding yes
	PermitTunnel no
	PermitUserRC no
	PermitTTY yes
CONF
SSH2="ssh -F /dev/null -i $tmp/annkey -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o BatchMode=yes -p $port2 $me@127.0.0.1"
if [ $safe = no ]; then
	ok "# SKIP key logins: sshd refuses an AuthorizedKeysCommand under $(readlink -f "$ALLY") (not root-owned or writable by others)"
else
	"$SSHD" -D -e -f "$tmp/sshd2_config" -E "$tmp/sshd2.log" &
	i=0
	until grep -q 'Server listening' "$tmp/sshd2.log" 2>/dev/null || [ $i -gt 200 ]; do
		i=$((i + 1))
		sleep 0.05
	done
	$SSH2 links </dev/null >"$tmp/k.out" 2>"$tmp/k.err"
	rc=$?
	is_rc 0 "ssh with the registered key: no password asked"
	like "$(cat "$tmp/k.out")" 'ALPHA1' "the key's session is Alpha's"
	unlike "$(cat "$tmp/k.out")" 'BETA1' "and only Alpha's"
	like "$(ally audit list --json | grep '"action":"portal login by key' | head -1)" \
	    '"login_from\\?":\\?"127\.0\.0\.1' "the key login is audited with the SSH source address"
	$SSH2 'links --key-id 2' </dev/null >/dev/null 2>&1
	rc=$?
	is_rc 64 "a client cannot choose another key id"
	tm -f /dev/null new-session -d -s three -x 100 -y 30 \
		"env TERM=xterm-256color $SSH2 -tt; echo EXITED:\$?; sleep 30"
	expect three 'ALPHA1' "the interactive portal by key: straight to the screens"
	keys three q
	expect three 'EXITED:0' "q ends the key session"
	ssh-keygen -q -t ed25519 -N '' -f "$tmp/strangerkey"
	ssh -F /dev/null -i "$tmp/strangerkey" -o IdentitiesOnly=yes -o StrictHostKeyChecking=no \
	    -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o BatchMode=yes -p $port2 $me@127.0.0.1 links \
	    </dev/null >/dev/null 2>&1
	rc=$?
	is_rc 255 "an unregistered key is refused by sshd"
fi

# ---- the sshd block of doc/deployment.md passes sshd -t ----
awk '/<!-- sshd-keys/ {f = 1; next} f && /^```$/ {if (in_b) exit; in_b = 1; next} in_b' \
    "$top_srcdir/doc/deployment.md" >"$tmp/doc-block"
{
	echo "HostKey $tmp/hostkey"
	echo "PidFile $tmp/sshd-t.pid"
	cat "$tmp/doc-block"
} >"$tmp/sshd_doc_config"
like "$(cat "$tmp/doc-block")" 'AuthorizedKeysCommand /usr/bin/ally .*portal authorized-keys %u %k' \
    "the documented block has the AuthorizedKeysCommand"
"$SSHD" -t -f "$tmp/sshd_doc_config" >"$tmp/sshd-t.out" 2>&1
rc=$?
is_rc 0 "sshd -t accepts the documented Match block: $(head -1 "$tmp/sshd-t.out")"

# ---- revoked while logged in ----
start two
expect two 'E-mail \(or invitation code\):' "a second session"
keys two 'ann@alpha.example' Enter
expect two 'Password:' "password prompt"
keys two 'correct-horse-9' Enter
expect two 'ALPHA1' "logged in with the password"
ally --config "$tmp/portal.conf" partner revoke "Alpha Co" >/dev/null
keys two 2
expect two 'session ended: your portal access was revoked' "the next key ends the revoked session"
expect two 'EXITED:77' "with status 77"
printf 'ann@alpha.example\ncorrect-horse-9\n' | $SSH links >/dev/null 2>"$tmp/r.err"
rc=$?
is_rc 77 "after the revocation the login is refused"
if [ $safe = yes ]; then
	$SSH2 links </dev/null >/dev/null 2>&1
	rc=$?
	is_rc 255 "after the revocation the key is refused by sshd (no portal account)"
fi

done_testing
