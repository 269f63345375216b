#!/bin/sh
# portal.sh - ally portal from the command line: first login with an
# invitation code, login, the non-interactive commands, and what a partner
# must never reach: another partner's rows (guessed ids, crafted commands),
# expired/used/voided codes, passwords or codes in clear, unlimited or
# parallel guessing, answers that tell an unknown e-mail from a known one.
# Codes exist only in the mail sent, so they are caught from a real SMTP
# server (tests/mail/catch.sh).  The portal ignores ALLY_NOW, so this test
# runs on the real clock.
. "${top_srcdir:-.}/tests/cli/lib.sh"
. "${top_srcdir:-.}/tests/mail/catch.sh"
unset ALLY_NOW
catch_need
trap 'catch_stop; rm -rf "$tmp"' EXIT
catch_start
month=$(date -u +%Y-%m)
catch_conf "$tmp/portal.conf" "[mail]" "templates = ${ALLY_TEMPLATES:-$top_srcdir/data}" \
    "[portal]" "max_failures = 3" "delay = 0"

# the invitation codes delivered so far
codes() {
	catch_codes | sort -u
}
new_code() {  # new_code BEFORE-LIST
	codes | grep -v -x -F -e "$1" | head -1
}
portal() {  # portal STDIN-TEXT ARGS...: ally portal with credentials on stdin
	_in=$1
	shift
	printf '%s' "$_in" | env ALLY_DB=/nonexistent ALLY_NOW=garbage \
	    "$ALLY" --db "$ALLY_DB" --config "$tmp/portal.conf" portal "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

ally init --org Acme >/dev/null
ally partner add "Alpha Co" --email ann@alpha.example --payout-email pay@alpha.example >/dev/null
ally partner add "Beta Co" --email bob@beta.example >/dev/null
ally program add Spring --rule "percent 10" --events purchase --activate >/dev/null
ally code new --program Spring --partner "Alpha Co" --vanity ALPHA1 >/dev/null
ally code new --program Spring --partner "Beta Co" --vanity BETA1 >/dev/null
ally track referral --code ALPHA1 --email carol@cust.example --name Carol >/dev/null
ally track referral --code BETA1 --email dave@secret.example --name Dave >/dev/null
ally track conversion --code ALPHA1 --email carol@cust.example --event purchase --amount 100 --id ORD-A >/dev/null
ally track conversion --code BETA1 --email dave@secret.example --event purchase --amount 900 --id ORD-B >/dev/null
ally deal register --partner "Beta Co" --company "Secret Corp" --domain secret.example --value 5000 >/dev/null

# ---- invitations: single use, expiring, voided on resend ----
ally --config "$tmp/portal.conf" partner invite "Alpha Co" >/dev/null
# queued: no code exists yet, not even in the outbox
if grep -a -q -E '^    [A-Za-z0-9_-]{24}$' "$ALLY_DB/data.mdb"; then
	not_ok "a queued invitation holds no code"
else
	ok "a queued invitation holds no code"
fi
catch_send "$tmp/portal.conf"
a_code=$(codes)
like "$a_code" '^[A-Za-z0-9_-]{24}$' "the code arrives by mail"
ALLY_NOW=2020-01-01T00:00:00Z ally --config "$tmp/portal.conf" partner invite "Beta Co" >/dev/null 2>&1
ALLY_NOW=2020-01-01T00:01:00Z catch_send "$tmp/portal.conf"
old_b=$(new_code "$a_code")
portal "$old_b
long-password-b
long-password-b
" links
is_rc 77 "an expired code is refused"
like "$err" 'invitation code: expired' "expired code (message)"

portal "not-a-code
" links
is_rc 77 "a made-up code is refused"
like "$err" 'invitation code: not valid' "made-up code (message)"

portal "$a_code
short
short
" links
is_rc 65 "a short password is refused"
like "$err" 'at least 10 characters' "short password (message)"

portal "$a_code
secret-pass-A1
secret-pass-A1
" links
is_rc 0 "first login with the code sets the password and runs the command"
like "$out" 'ALPHA1' "links: own code"
unlike "$out" 'BETA1' "links: never B's code"
like "$(ally partner show "Alpha Co")" 'active' "the partner is active after the first login"

portal "$a_code
other-pass-A2
other-pass-A2
" links
is_rc 77 "a used code is refused"
like "$err" 'used already' "used code (message)"

before=$(codes)
ally --config "$tmp/portal.conf" partner resend "Beta Co" >/dev/null
catch_send "$tmp/portal.conf"
b_code=$(new_code "$before")
portal "$b_code
secret-pass-B1
secret-pass-B1
" links
is_rc 0 "B's first login with the resent code"
portal "$old_b
secret-pass-B9
secret-pass-B9
" links
is_rc 77 "the replaced code stays refused"

# ---- passwords never in clear ----
if grep -a -q -e 'secret-pass-A1' -e 'secret-pass-B1' "$ALLY_DB/data.mdb"; then
	not_ok "no clear password in the database file"
else
	ok "no clear password in the database file"
fi
like "$(grep -a -o '\$argon2id\$[^"]*' "$ALLY_DB/data.mdb" | head -1)" '^\$argon2id\$v=19\$m=65536' \
    "passwords are Argon2id strings at the INTERACTIVE limits"
run ally audit list
unlike "$out" 'secret-pass' "no clear password in the audit log"

# ---- non-interactive commands, scoped to the partner ----
A="ann@alpha.example
secret-pass-A1
"
portal "$A" referrals --csv
is_rc 0 "referrals"
like "$out" 'carol@cust.example' "referrals: own contact"
unlike "$out" 'dave|secret' "referrals: never B's contact"
portal "$A" commissions --csv
is_rc 0 "commissions"
like "$out" '10.00' "commissions: own line (10% of 100)"
unlike "$out" '90.00|ORD-B' "commissions: never B's line"
portal "$A" statement "$month" --csv
is_rc 0 "statement as CSV"
like "$out" '^line,date,kind' "statement: CSV header"
like "$out" 'ORD-A' "statement: own conversion"
unlike "$out" 'ORD-B|Beta' "statement: never B's"
portal "$A" deals
is_rc 0 "deals"
unlike "$out" 'Secret' "deals: never B's deal"
for cmd in "statement $month P2" "statement P2" "commissions --partner P2" "links B" \
    "referrals; cat /etc/passwd" "statement ../../etc" "deals --csv --csv" "statement 2026-13" \
    "help me" 'links $(id)'; do
	portal "$A" $cmd
	is_rc 64 "crafted command refused: $cmd"
done
portal "$A" help
is_rc 0 "help needs no login"
like "$out" 'statement YYYY-MM' "help lists the commands"
SSH_ORIGINAL_COMMAND="statement $month" portal "$A"
is_rc 0 "the command from SSH_ORIGINAL_COMMAND"
like "$out" "Statement $month, Alpha Co" "SSH_ORIGINAL_COMMAND statement"
SSH_ORIGINAL_COMMAND="links; rm -rf /" portal "$A"
is_rc 64 "a crafted SSH_ORIGINAL_COMMAND is refused"
portal "$A"
is_rc 64 "the interactive portal without a terminal says to use ssh -t"

# ---- a parent sees its override on a sub-partner's line; the sub-partner never the parent's ----
ally program edit Spring --override 10 >/dev/null
ally partner edit "Beta Co" --parent "Alpha Co" >/dev/null
ally track referral --code BETA1 --email erin@sub.example >/dev/null
ally track conversion --code BETA1 --email erin@sub.example --event purchase --amount 500 --id ORD-B2 >/dev/null
portal "$A" commissions --csv
is_rc 0 "the parent's commissions"
like "$out" ',override,Spring,Beta Co,5\.00,' "the parent's override line names the sub-partner"
unlike "$out" 'ORD-B' "the parent never sees the sub-partner's own lines"
portal "$A" statement "$month" --csv
like "$out" ',override,pending,Beta Co,5\.00,' "the parent's statement: the override line"
like "$out" '^earned_override,' "the parent's statement: overrides in their own row"
B="bob@beta.example
secret-pass-B1
"
portal "$B" commissions --csv
is_rc 0 "the sub-partner's commissions"
like "$out" 'ORD-B2' "the sub-partner sees its own line"
unlike "$out" 'override|Alpha' "the sub-partner never sees the parent's override"
portal "$B" statement "$month" --csv
unlike "$out" 'override|Alpha' "nor in its statement"

# ---- failed logins slow down, then lock, all in the same words ----
cat >"$tmp/slow.conf" <<CONF
[portal]
delay = 30
CONF
slow() {  # slow STDIN-TEXT: a login with a 30 s slow-down after a failure
	printf '%s' "$1" | "$ALLY" --db "$ALLY_DB" --config "$tmp/slow.conf" portal links >"$tmp/out" 2>"$tmp/err"
	rc=$?
	err=$(cat "$tmp/err")
}
slow 'bob@beta.example
wrong-password
'
is_rc 77 "a wrong password"
err_is 'ally portal: e-mail or password wrong' "a wrong password"
slow 'bob@beta.example
secret-pass-B1
'
is_rc 77 "right after a failure even the right password is refused"
err_is 'ally portal: e-mail or password wrong' "slowed down: the same words"
ally partner unlock "Beta Co" >/dev/null
for i in 1 2 3; do portal "bob@beta.example
wrong-$i-password
" links; done
err_is 'ally portal: e-mail or password wrong' "the third failure locks, and says nothing more"
portal "bob@beta.example
secret-pass-B1
" links
is_rc 77 "a locked account refuses the right password"
err_is 'ally portal: e-mail or password wrong' "locked: the same words"
portal "nobody@nowhere.example
secret-pass-B1
" links
is_rc 77 "an unknown e-mail"
err_is 'ally portal: e-mail or password wrong' "an unknown e-mail says the same as a wrong password"
# byte for byte: unknown, wrong, locked
answer() {  # answer EMAIL PASSWORD: stdout, stderr and status of one login, as one text
	portal "$1
$2
" links
	printf 'rc=%s\n' "$rc" >>"$tmp/err"
	cat "$tmp/out" "$tmp/err" | od -c
}
ref=$(answer nobody@nowhere.example some-password-1)
is "$(answer bob@beta.example some-password-1)" "$ref" "a locked account and an unknown e-mail: byte-identical answers"
is "$(answer ann@alpha.example some-password-1)" "$ref" "a wrong password and an unknown e-mail: byte-identical answers"
is "$(answer bad@@address some-password-1)" "$ref" "a malformed e-mail: the same answer"
ALLY_USER=nobody-here run ally partner unlock "Beta Co"
is_rc 77 "an unknown Unix account may not unlock"
ally user add helpdesk --role support >/dev/null
ally user add pm --role manager >/dev/null
ALLY_USER=helpdesk run ally partner unlock "Beta Co"
is_rc 77 "support may not unlock"
run ally partner unlock "Beta Co"
is_rc 0 "an admin unlocks"
like "$out" '1 portal account unlocked' "unlock (output)"
portal "bob@beta.example
secret-pass-B1
" links
is_rc 0 "after the unlock the password works"

# ---- 30 wrong logins at once: counted before the check, at most 4 checks at a time ----
# verify_wait: on a loaded machine 30 Argon2id runs through 4 slots can
# take longer than the default 5 s; the test counts verifications, not time
catch_conf "$tmp/par.conf" "[portal]" "max_failures = 3" "delay = 0" "verify_slots = 4" \
    "verify_wait = 120"
attempts() { ally audit list --json | grep -c '"action":"portal login attempt' ; }
before=$(attempts)
: >"$tmp/trace"
i=0
pids=""
while [ $i -lt 30 ]; do
	printf 'bob@beta.example\nwrong-%s-guess\n' $i | env ALLY_PORTAL_TRACE="$tmp/trace" \
	    "$ALLY" --db "$ALLY_DB" --config "$tmp/par.conf" portal links >"$tmp/par.$i.out" 2>&1 &
	pids="$pids $!"
	i=$((i + 1))
done
fails=0
for p in $pids; do wait "$p" || fails=$((fails + 1)); done
is "$fails" 30 "30 parallel wrong logins all fail"
is "$(cat "$tmp"/par.*.out | sort | uniq -c | sed 's/^ *//')" "30 ally portal: e-mail or password wrong" \
    "all 30 get the same words"
is "$(( $(attempts) - before ))" 3 "only max_failures (3) of them were counted against the account"
# the trace: one line per Argon2id verification, "pid slot start_ns end_ns"
overlap=$(/usr/bin/python3 - "$tmp/trace" <<'PY'
import sys
ev = []
for line in open(sys.argv[1]):
    pid, slot, t0, t1 = line.split()
    ev += [(int(t0), 1), (int(t1), -1)]
ev.sort(key=lambda e: (e[0], e[1]))
cur = top = 0
for _, d in ev:
    cur += d
    top = max(top, cur)
print(len(ev) // 2, top)
PY
)
is "${overlap% *}" 30 "every one of them cost one verification (the locked ones the dummy hash)"
n=${overlap#* }
if [ "$n" -ge 2 ] && [ "$n" -le 4 ]; then
	ok "at most 4 verifications ran at once (measured: $n)"
else
	not_ok "at most 4 verifications ran at once, and they did run in parallel" "measured: $n"
fi
is "$(ls "$ALLY_DB" | grep -c '^portal-verify\.[0-9]*\.lock$')" 4 "the slots are 4 lock files beside the database"
portal "bob@beta.example
secret-pass-B1
" links
is_rc 77 "after the parallel guesses the account is locked: the right password is refused"
run ally partner unlock "Beta Co"
is "$out" "1 portal account unlocked" "the lock is an admin's to lift"

# ---- roles: support changes nothing, a manager approves nothing ----
cid=$(ally commission list --csv | awk -F, 'NR==2 {print $1}')
snapshot
ALLY_USER=helpdesk run ally deal register --partner "Alpha Co" --company X --domain x.example --value 1
is_rc 77 "support may not register deals"
ALLY_USER=helpdesk run ally partner revoke "Alpha Co"
is_rc 77 "support may not revoke"
ALLY_USER=pm run ally commission approve "$cid" --override-hold test
is_rc 77 "a manager may not approve commissions"
ALLY_USER=pm run ally partner unlock "Alpha Co"
is_rc 77 "a manager may not unlock portal accounts"
unchanged "nothing was written by refused actions"
ALLY_USER=ann@alpha.example run ally commission list
is_rc 77 "a portal login is no Unix account for staff commands"

# ---- no free verification slot: the same answer, or "busy" for a first login ----
if command -v flock >/dev/null 2>&1; then
	ally partner add "Delta Co" --email dan@delta.example >/dev/null
	before=$(codes)
	ally --config "$tmp/portal.conf" partner invite "Delta Co" >/dev/null
	catch_send "$tmp/portal.conf"
	d_code=$(new_code "$before")
	catch_conf "$tmp/one.conf" "[portal]" "verify_slots = 1"
	flock "$ALLY_DB/portal-verify.0.lock" sleep 30 &
	holder=$!
	sleep 0.5
	printf 'bob@beta.example\nsecret-pass-B1\n' |
	    "$ALLY" --db "$ALLY_DB" --config "$tmp/one.conf" portal links >/dev/null 2>"$tmp/noslot.err"
	rc=$?
	is_rc 77 "no free slot: even the right password gets the usual answer"
	is "$(cat "$tmp/noslot.err")" "ally portal: e-mail or password wrong" "no free slot (message)"
	snapshot
	printf '%s\nlong-password-D1\nlong-password-D1\n' "$d_code" |
	    "$ALLY" --db "$ALLY_DB" --config "$tmp/one.conf" portal links >/dev/null 2>"$tmp/busy.err"
	rc=$?
	is_rc 75 "a first login without a free slot"
	is "$(tail -n 1 "$tmp/busy.err")" "ally portal: the portal is busy: try again in a minute" \
	    "a first login without a free slot (message)"
	unchanged "a first login without a free slot"
	kill $holder 2>/dev/null
	wait $holder 2>/dev/null
	ally partner unlock "Beta Co" >/dev/null
fi

# ---- the SSH source address is recorded, checked, never raw ----
SSH_CONNECTION="203.0.113.9 41000 127.0.0.1 22" portal "$A" links
is_rc 0 "a login over SSH"
like "$(ally audit list --json | grep '"action":"portal login: user change' | head -1)" \
    '"login_from\\?":\\?"203\.0\.113\.9' "the audit entry of the login names the SSH source address"
SSH_CONNECTION="$(printf '203.0.113.9\033]0;pwned\007 1 2 3')" portal "$A" links
is_rc 0 "a login with a hostile SSH_CONNECTION still works"
like "$(ally audit list --json | grep '"action":"portal login: user change' | head -1)" \
    '"login_from\\?":null' "an address that is not one is not recorded"
unlike "$(ally audit list --json)" 'pwned' "nothing of it reaches the audit log"

# ---- an idle login prompt ends the session ----
catch_conf "$tmp/idle.conf" "[portal]" "login_timeout = 1"
(sleep 4) | "$ALLY" --db "$ALLY_DB" --config "$tmp/idle.conf" portal links >/dev/null 2>"$tmp/err"
rc=$?
err=$(cat "$tmp/err")
is_rc 77 "nobody typing at the login prompt"
err_is 'ally portal: no input for 1 s at the login prompt: goodbye' "the idle timeout"

# ---- SSH keys: registered by an admin, looked up for sshd ----
if command -v ssh-keygen >/dev/null 2>&1; then
	ssh-keygen -q -t ed25519 -N '' -C 'bob laptop' -f "$tmp/bob"
	ssh-keygen -q -t ed25519 -N '' -f "$tmp/other"
	blob=$(cut -d' ' -f2 "$tmp/bob.pub")
	fp=$(ssh-keygen -lf "$tmp/bob.pub" | cut -d' ' -f2)
	bad 77 "ally: partner key add: you (helpdesk, support) may not create or change partners, tiers, agreements, invitations" \
	    "key add by support" -- env ALLY_USER=helpdesk "$ALLY" partner key add "Beta Co" "$tmp/bob.pub"
	bad 66 "ally: partner key add: $tmp/none.pub: No such file or directory" "key add of a missing file" -- \
	    ally partner key add "Beta Co" "$tmp/none.pub"
	bad 65 "ally: partner key add: key: this looks like a private key: give the .pub file" \
	    "key add of a private key" -- ally partner key add "Beta Co" "$tmp/bob"
	cat "$tmp/bob.pub" "$tmp/other.pub" >"$tmp/two.pub"
	bad 65 "ally: partner key add: key: more than one line (give one public key, a .pub file)" \
	    "key add of two keys" -- ally partner key add "Beta Co" "$tmp/two.pub"
	echo "ssh-foo $blob x" >"$tmp/k.pub"
	bad 65 "ally: partner key add: key: unknown key type (ssh-ed25519, ssh-rsa, ecdsa-sha2-*, sk-*)" \
	    "key add of an unknown type" -- ally partner key add "Beta Co" "$tmp/k.pub"
	echo "ssh-ed25519 AAAA!!notbase64 x" >"$tmp/k.pub"
	bad 65 "ally: partner key add: key: the base64 part is not a ssh-ed25519 key" \
	    "key add with a blob that does not decode" -- ally partner key add "Beta Co" "$tmp/k.pub"
	echo "ssh-rsa $blob x" >"$tmp/k.pub"
	bad 65 "ally: partner key add: key: the base64 part is not a ssh-rsa key" \
	    "key add with a blob of another type" -- ally partner key add "Beta Co" "$tmp/k.pub"
	printf 'ssh-ed25519 %s evil\033[2Jcomment\n' "$blob" >"$tmp/k.pub"
	bad 65 "ally: partner key add: key: the comment holds a control character" \
	    "key add with a control character in the comment" -- ally partner key add "Beta Co" "$tmp/k.pub"
	echo "ssh-ed25519" >"$tmp/k.pub"
	bad 65 "ally: partner key add: key: not an OpenSSH public key line (TYPE BASE64 [COMMENT])" \
	    "key add of a type alone" -- ally partner key add "Beta Co" "$tmp/k.pub"
	run ally partner key add "Beta Co" "$tmp/bob.pub"
	is "$out" "SK1 $fp added" "key add prints the fingerprint ssh-keygen -l prints"
	bad 65 "ally: partner key add: key: $fp is registered for P2 already (SK1)" "the same key twice" -- \
	    ally partner key add "Beta Co" "$tmp/bob.pub"
	bad 65 "ally: partner key add: key: $fp is another partner's key (P2): one key, one partner" \
	    "another partner's key" -- ally partner key add "Alpha Co" "$tmp/bob.pub"
	run env ALLY_USER=helpdesk "$ALLY" partner key list "Beta Co" --json
	# a fingerprint holds + and /: compared as a fixed string
	if [ "$rc" = 0 ] && printf '%s' "$out" | grep -q -F -e "{\"id\":\"SK1\",\"fingerprint\":\"$fp\",\"type\":\"ssh-ed25519\",\"comment\":\"bob laptop\","; then
		ok "key list (support may read)"
	else
		not_ok "key list (support may read)" "got: $rc $out"
	fi
	like "$(ally audit list --json | grep -c 'partner key add')" '^1$' "adding a key is audited"
	# sshd's AuthorizedKeysCommand
	run ally --db "$ALLY_DB" --config "$tmp/portal.conf" portal authorized-keys portal-key "$blob"
	is "$out" "restrict,pty,command=\"$(readlink -f "$ALLY") --db $(readlink -f "$ALLY_DB") --config $(readlink -f "$tmp/portal.conf") portal --key-id 1\" ssh-ed25519 $blob" \
	    "authorized-keys: a restricted line forcing the key's own portal session"
	run ally --db "$ALLY_DB" --config "$tmp/portal.conf" portal authorized-keys root "$blob"
	is "$rc:$out" "0:" "authorized-keys: nothing for another account"
	run ally --db "$ALLY_DB" --config "$tmp/portal.conf" portal authorized-keys portal-key "$(cut -d' ' -f2 "$tmp/other.pub")"
	is "$rc:$out" "0:" "authorized-keys: nothing for an unknown key"
	run ally --db "$ALLY_DB" --config "$tmp/portal.conf" portal authorized-keys portal-key 'AAAA;rm -rf /'
	is "$rc:$out" "0:" "authorized-keys: nothing for garbage"
	SSH_ORIGINAL_COMMAND="links" run ally --db "$ALLY_DB" --config "$tmp/portal.conf" portal --key-id 1 </dev/null
	is_rc 0 "the key's session needs no password"
	like "$out" 'BETA1' "and is Beta's"
	unlike "$out" 'ALPHA1' "and only Beta's"
	# two key logins from one address within a second change no field of
	# the user, and each is still an entry of its own
	for i in 1 2; do
		SSH_CONNECTION="192.0.2.7 50000 127.0.0.1 22" SSH_ORIGINAL_COMMAND="links" \
		    "$ALLY" --db "$ALLY_DB" --config "$tmp/portal.conf" portal --key-id 1 </dev/null >/dev/null 2>&1
	done
	is "$(ally audit list --json | grep '"action":"portal login by key' | grep -c '192\.0\.2\.7')" 2 \
	    "every key login is audited with its source address, two in one second too"
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$ALLY" --db "$ALLY_DB" portal --key-id 1 links
	is_rc 77 "--key-id typed by another account"
	err_is "ally portal: --key-id: only for the portal-key account, as sshd runs it (ally portal authorized-keys)" \
	    "--key-id typed by another account"
	bad 66 "ally: partner key remove: key \"SHA256:nope\": not a key of P2 (see ally partner key list)" \
	    "remove an unknown key" -- ally partner key remove "Beta Co" SHA256:nope
	bad 66 "ally: partner key remove: key \"SK1\": not a key of P1 (see ally partner key list)" \
	    "remove another partner's key" -- ally partner key remove "Alpha Co" SK1
	bad 77 "ally: partner key remove: you (helpdesk, support) may not create or change partners, tiers, agreements, invitations" \
	    "key remove by support" -- env ALLY_USER=helpdesk "$ALLY" partner key remove "Beta Co" "$fp"
	run ally partner key remove "Beta Co" "$fp"
	is "$out" "SK1 removed" "key remove by fingerprint"
	run ally --db "$ALLY_DB" --config "$tmp/portal.conf" portal --key-id 1 links </dev/null
	is_rc 77 "a removed key lets nobody in"
	err_is "ally portal: this SSH key no longer lets you in: ask the company" "a removed key"
	ally partner key add "Beta Co" "$tmp/bob.pub" >/dev/null
fi

# ---- suspended or revoked: refused at the next action ----
ally partner suspend "Beta Co" >/dev/null
portal "bob@beta.example
secret-pass-B1
" links
is_rc 77 "a suspended partner is refused"
like "$err" 'suspended' "suspended (message)"
if [ -f "$tmp/bob.pub" ]; then
	run ally --db "$ALLY_DB" --config "$tmp/portal.conf" portal authorized-keys portal-key "$blob"
	is "$rc:$out" "0:" "authorized-keys: nothing for a suspended partner"
	run ally --db "$ALLY_DB" --config "$tmp/portal.conf" portal --key-id 2 links </dev/null
	is_rc 77 "a suspended partner's key lets nobody in"
fi
ally --config "$tmp/portal.conf" partner revoke "Alpha Co" >/dev/null
portal "$A" links
is_rc 77 "revoked access is refused"

# ---- no code at rest: neither of sent invitations nor of queued ones ----
ally partner add "Gamma Co" --email gil@gamma.example >/dev/null
ally --config "$tmp/portal.conf" partner invite "Gamma Co" >/dev/null     # queued, never sent
n=0
found=0
for c in $(codes); do
	n=$((n + 1))
	if strings "$ALLY_DB/data.mdb" | grep -q -F -e "$c" || grep -a -q -F -e "$c" "$ALLY_DB/data.mdb"; then
		found=$((found + 1))
	fi
done
is "$n/$found" "$n/0" "strings data.mdb finds none of the $n codes delivered"
if grep -a -q -E '[A-Za-z0-9_-]{24}' "$ALLY_DB/data.mdb" && strings "$ALLY_DB/data.mdb" | grep -q -E '^ +[A-Za-z0-9_-]{24}$'; then
	not_ok "no code-shaped line in data.mdb"
else
	ok "no code-shaped line in data.mdb"
fi

# ---- [portal] keys out of range: one line naming the file, key and range ----

for kv in "verify_slots|0|a number from 1 to 64" "verify_slots|65|a number from 1 to 64" \
    "verify_wait|0|a number of seconds from 1 to 600" "verify_wait|x|a number of seconds from 1 to 600" \
    "login_timeout|0|a number of seconds from 1 to 3600"; do
	k=${kv%%|*} rest=${kv#*|} v=${rest%%|*} why=${rest#*|}
	printf '[portal]\n%s = %s\n' "$k" "$v" >"$tmp/bad.conf"
	bad 78 "ally: portal: $tmp/bad.conf:2: [portal] $k: \"$v\" must be $why" "[portal] $k = $v" -- \
	    "$ALLY" --db "$ALLY_DB" --config "$tmp/bad.conf" portal links </dev/null
done

done_testing
