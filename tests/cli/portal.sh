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
	codes | grep -v -x -F "$1" | head -1
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

# ---- suspended or revoked: refused at the next action ----
ally partner suspend "Beta Co" >/dev/null
portal "bob@beta.example
secret-pass-B1
" links
is_rc 77 "a suspended partner is refused"
like "$err" 'suspended' "suspended (message)"
ally --config "$tmp/portal.conf" partner revoke "Alpha Co" >/dev/null
portal "$A" links
is_rc 77 "revoked access is refused"

done_testing
