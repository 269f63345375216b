#!/bin/sh
# user.sh - ally user add|list|role|remove and what each role may do.
# Needs root: only root may act as another account through ALLY_USER.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"

ESC=$(printf '\033')

no_esc() {
	case $1 in
	*"$ESC"*) not_ok "$2: no raw ESC" "got:  $(printf '%s' "$1" | od -c | head -3)" ;;
	*) ok "$2: no raw ESC" ;;
	esac
}

as() {  # as LOGIN ally ARGS...
	_as=$1
	shift 2
	ALLY_USER=$_as "$ALLY" "$@"
}

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP acting as other accounts (ALLY_USER) needs root"
	exit 0
fi

ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
me=$(id -un)
ally program add Spring --rule "percent 10" --activate >/dev/null
ally partner add Acme --email ann@acme.example >/dev/null
ally code new --program Spring --partner Acme --vanity ACME >/dev/null
ally track referral --code ACME --email dan@example.com --at 2026-10-01 >/dev/null

# ---- add, list ----

run ally user add sam --role support
is_rc 0 "user add support"
is "$out" "U2 sam (support)" "user add prints id, login and role"
run ally user add mia --role manager
is "$out" "U3 mia (manager)" "user add manager"
run ally user add pat --role partner --partner Acme
is "$out" "U4 pat (partner)" "user add partner"

bad 65 'ally: user add: user "sam" already exists' "duplicate user" -- \
    ally user add sam --role support
bad 65 'ally: user add: user "SAM" already exists' "duplicate user, other case" -- \
    ally user add SAM --role manager
bad 65 'ally: user add: role: "boss" must be admin, manager, support or partner' "bad role" -- \
    ally user add zed --role boss
bad 64 'ally: user add: --role is required (see ally user add --help)' "missing --role" -- \
    ally user add zed
bad 65 'ally: user add: login: only letters, digits and _ - . @ + are allowed' "bad login" -- \
    ally user add "z z" --role support
bad 64 'ally: user add: partner: a partner user needs --partner' "partner user without a partner" -- \
    ally user add pet --role partner
bad 64 'ally: user add: partner: only a partner user has a partner' "--partner for staff" -- \
    ally user add pet --role admin --partner Acme
bad 66 'ally: user add: partner: partner "Nope" not found' "partner user of an unknown partner" -- \
    ally user add pet --role partner --partner Nope
run ally user add zed --role "a${ESC}[2J"
is_rc 65 "a role holding ESC"
no_esc "$err" "a role holding ESC"
err_is 'ally: user add: role: "a\e[2J" must be admin, manager, support or partner' "a role holding ESC"

run ally user list
is_rc 0 "user list"
like "$out" '^ID +LOGIN +ROLE +PARTNER' "user table header"
like "$out" 'U4 +pat +partner +Acme' "a partner user shows its partner"
run ally user list --csv
is "$(printf '%s\n' "$out" | tail -n +2 | cut -d, -f2,3 | tr -d '\r' | tr '\n' ' ')" \
    "$me,admin sam,support mia,manager pat,partner " "user list --csv"
run ally user list --json
like "$out" '"login":"pat","role":"partner","partner":"Acme"' "user list --json"

# ---- role ----

run ally user role sam manager
is_rc 0 "user role"
is "$out" "sam is now manager" "user role says so"
run ally user role sam support
is "$out" "sam is now support" "user role back"
bad 65 'ally: user role: role: "boss" must be admin, manager, support or partner' "user role with a bad role" -- \
    ally user role sam boss
bad 66 'ally: user role: user "nobody" not found' "user role of an unknown user" -- \
    ally user role nobody admin
bad 64 'ally: user role: role: "pat" is a partner'"'"'s portal login and cannot be given a staff role' \
    "a portal login never becomes staff" -- ally user role pat admin
bad 64 'ally: user role: role: "sam" is a staff login and cannot become a portal login' \
    "nor staff a portal login" -- ally user role sam partner
bad 64 'ally: user role: missing LOGIN ROLE (see ally user role --help)' "user role without a role" -- \
    ally user role sam
run ally user role "bo${ESC}[2J" admin
is_rc 66 "user role of a login holding ESC"
no_esc "$err" "user role of a login holding ESC"

# ---- the last admin ----

bad 65 "ally: user role: user \"$me\" is the last admin: make another admin first" \
    "demoting the last admin" -- ally user role "$me" support
bad 65 "ally: user remove: user \"$me\" is the last admin: make another admin first" \
    "removing the last admin" -- ally user remove "$me"
run ally user add ada --role admin
is_rc 0 "a second admin"
run as ada ally user role "$me" manager
is_rc 0 "with two admins one may be demoted"
bad 65 'ally: user remove: user "ada" is the last admin: make another admin first' \
    "ada is now the last admin" -- as ada ally user remove ada
run as ada ally user role "$me" admin
is_rc 0 "and promoted again"

# ---- remove ----

ally user add tmp1 --role support >/dev/null
run ally user remove tmp1
is_rc 0 "user remove"
is "$out" "removed user tmp1" "user remove says so"
run as tmp1 ally program list
is_rc 77 "a removed user is refused"
bad 66 'ally: user remove: user "tmp1" not found' "remove twice" -- ally user remove tmp1
run ally user remove "bo${ESC}[2J"
is_rc 66 "remove of a login holding ESC"
no_esc "$err" "remove of a login holding ESC"

# ---- support: reads only ----

bad 77 'ally: program add: you (sam, support) may not create or change programs and codes' \
    "support: program add" -- as sam ally program add X --rule "flat 1"
bad 77 'ally: program edit: you (sam, support) may not create or change programs and codes' \
    "support: program edit" -- as sam ally program edit Spring --window 5
bad 77 'ally: program pause: you (sam, support) may not create or change programs and codes' \
    "support: program pause" -- as sam ally program pause Spring
bad 77 'ally: partner add: you (sam, support) may not create or change partners, tiers, agreements, invitations' \
    "support: partner add" -- as sam ally partner add X --email x@example.com
bad 77 'ally: tier add: you (sam, support) may not create or change partners, tiers, agreements, invitations' \
    "support: tier add" -- as sam ally tier add X --rule "flat 1"
bad 77 'ally: code new: you (sam, support) may not create or change programs and codes' \
    "support: code new" -- as sam ally code new --program Spring --customer x@example.com
bad 77 'ally: track referral: you (sam, support) may not record referrals, conversions and refunds' \
    "support: track referral" -- as sam ally track referral --code ACME --email x@example.com
bad 77 'ally: track conversion: you (sam, support) may not record referrals, conversions and refunds' \
    "support: track conversion" -- \
    as sam ally track conversion --code ACME --email dan@example.com --event purchase --amount 1 --id X-1
printf '%s\n' '{"type":"referral","code":"ACME","email":"y@example.com"}' >"$tmp/one.jsonl"
bad 77 'ally: ingest: you (sam, support) may not record referrals, conversions and refunds' \
    "support: ingest" -- as sam ally ingest "$tmp/one.jsonl"
printf 'name,email\nX,x@example.com\n' >"$tmp/p.csv"
bad 77 'ally: import: you (sam, support) may not create or change partners, tiers, agreements, invitations' \
    "support: import partners" -- as sam ally import partners "$tmp/p.csv"
bad 77 'ally: user add: you (sam, support) may not manage users and settings' \
    "support: user add" -- as sam ally user add x --role admin
run as sam ally user list
is_rc 77 "support: user list"

for cmd in "program list" "program show Spring" "partner list" "tier list" "code list" \
    "referral list" "conversion list" "export referrals" "check"; do
	# shellcheck disable=SC2086
	run as sam ally $cmd
	is_rc 0 "support: $cmd"
done
run as sam ally referral list --csv
like "$out" 'dan@example.com' "support reads the referrals"

# ---- manager: programs yes, partners no ----

run as mia ally program add MiaProg --rule "flat 1"
is_rc 0 "manager: program add"
run as mia ally program activate MiaProg
is_rc 0 "manager: program activate"
run as mia ally code new --program MiaProg --customer m@example.com --vanity MIA
is_rc 0 "manager: code new"
run as mia ally track referral --code MIA --email n@example.com
is_rc 0 "manager: track referral"
bad 77 'ally: partner add: you (mia, manager) may not create or change partners, tiers, agreements, invitations' \
    "manager: partner add" -- as mia ally partner add X --email x@example.com
bad 77 'ally: partner suspend: you (mia, manager) may not create or change partners, tiers, agreements, invitations' \
    "manager: partner suspend" -- as mia ally partner suspend Acme
bad 77 'ally: tier add: you (mia, manager) may not create or change partners, tiers, agreements, invitations' \
    "manager: tier add" -- as mia ally tier add X --rule "flat 1"
bad 77 'ally: user add: you (mia, manager) may not manage users and settings' \
    "manager: user add" -- as mia ally user add x --role admin
run as mia ally partner list
is_rc 0 "manager: partner list"

# ---- partner accounts use the portal ----

bad 77 'ally: program list: account "pat" is a partner account: partners use ally portal' \
    "a partner account on the staff command line" -- as pat ally program list

done_testing
