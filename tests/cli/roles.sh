#!/bin/sh
# roles.sh - DESIGN.md section 3's role table, command by command: for
# every command that changes the database, the roles allowed succeed and
# the others get exit 77, the one line "ally: CMD: you (LOGIN, ROLE) may not
# ..." and an unchanged database; every read command works for all three
# staff roles, and the admin-only reads are refused to the others.
# Needs root: only root may act as another account through ALLY_USER.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP acting as other accounts (ALLY_USER) needs root"
	exit 0
fi

as() {  # as LOGIN ARGS...: ally as that account
	_as=$1
	shift
	ALLY_USER=$_as "$ALLY" "$@"
}

conf=$tmp/ally.conf
printf '[mail]\ntemplates = %s\n' "${ALLY_TEMPLATES:-$top_srcdir/data}" >"$conf"

ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally user add ada --role admin >/dev/null
ally user add mia --role manager >/dev/null
ally user add sam --role support >/dev/null
ally program add Spring --rule "percent 10" --hold 0 --activate >/dev/null
ally partner add Acme --email ann@acme.example >/dev/null
ally code new --program Spring --partner Acme --vanity ACME >/dev/null
ally track referral --code ACME --email dan@example.com --at 2026-10-01 >/dev/null

# What each acting account needs of its own (%L is its login): programs,
# partners, tiers, codes, users, deals and commissions to act on.
n=0
for L in ada mia; do
	ally program add "Pg-$L" --rule "flat 1" --activate >/dev/null
	ally tier add "Tier-$L" --rule "percent 5" >/dev/null
	ally partner add "Pt-$L" --email "$L@pt.example" >/dev/null
	ally code new --program Spring --partner Acme --vanity "CODE-$L" >/dev/null
	ally user add "u-$L" --role support >/dev/null
	ssh-keygen -q -t ed25519 -N '' -C "key-$L" -f "$tmp/key-$L"
	eval "fp_$L=\$(ssh-keygen -lf \"$tmp/key-$L.pub\" | cut -d' ' -f2)"
	for d in a r l; do
		eval "deal_${d}_$L=\$(ally deal register --partner Acme --company Co-$d-$L --domain $d-$L.example --value 100)"
	done
	for c in a r; do
		n=$((n + 1))
		ally track referral --code ACME --email "c$n@example.com" --at 2026-10-01 >/dev/null
		ally track conversion --code ACME --email "c$n@example.com" --event purchase --amount 10 \
		    --id "ORD-$c-$L" --at 2026-10-02 >/dev/null
		eval "com_${c}_$L=C$n"
	done
	printf '{"type":"referral","code":"ACME","email":"ing-%s@example.com"}\n' "$L" >"$tmp/ev-$L.jsonl"
	printf 'name,email\nImp-%s,imp-%s@pt.example\n' "$L" "$L" >"$tmp/pt-$L.csv"
	printf 'code,email\nACME,rf-%s@example.com\n' "$L" >"$tmp/rf-$L.csv"
	printf 'company,domain,value\nCsv-%s,csv-%s.example,10\n' "$L" "$L" >"$tmp/dl-$L.csv"
done
is "$(ally commission list --csv | grep -c ',ORD-')" 4 "four commissions to decide"

PW="create or change partners, tiers, agreements, invitations"
PR="create or change programs and codes"
EW="record referrals, conversions and refunds"
DR="register deals"
RV="review deals"
CW="approve or reject commissions and run payouts"
PC="close months"
AD="manage users and settings"
BK="copy the whole database"
MS="send the outbox's mail"

# ROLES|COMMAND WORDS|WHY NOT|ARGUMENTS (%L: the acting login, or for a
# refused role the first allowed one, so the record exists and only the
# role stands in the way).  Rows run in order: later ones rely on earlier.
rows() {
	cat <<'ROWS'
admin manager|program add|PR|program add "Prog-%L" --rule "flat 1"
admin manager|program edit|PR|program edit "Pg-%L" --window 5
admin manager|program pause|PR|program pause "Pg-%L"
admin manager|program activate|PR|program activate "Pg-%L"
admin manager|program end|PR|program end "Pg-%L"
admin manager|code new|PR|code new --program Spring --customer "c-%L@cust.example" --vanity "NEW-%L"
admin manager|code disable|PR|code disable "CODE-%L"
admin manager|code enable|PR|code enable "CODE-%L"
admin|tier add|PW|tier add "NewTier-%L" --rule "percent 5"
admin|tier edit|PW|tier edit "Tier-%L" --rank 3
admin|partner add|PW|partner add "NewPt-%L" --email "new-%L@pt.example"
admin|partner edit|PW|partner edit "Pt-%L" --notes hello --tier "Tier-%L"
admin|partner suspend|PW|partner suspend "Pt-%L"
admin|partner activate|PW|partner activate "Pt-%L"
admin|partner agreement|PW|partner agreement "Pt-%L" --title Terms --signed 2026-10-01
admin|partner key add|PW|partner key add "Pt-%L" "$tmp/key-%L.pub"
admin|partner key remove|PW|partner key remove "Pt-%L" "$fp_%L"
admin|partner invite|PW|--config "$conf" partner invite "Pt-%L"
admin|partner resend|PW|--config "$conf" partner resend "Pt-%L"
admin|mail retry|MS|mail retry M1
admin|partner unlock|PW|partner unlock "Pt-%L"
admin|partner revoke|PW|--config "$conf" partner revoke "Pt-%L"
admin manager|track referral|EW|track referral --code ACME --email "r-%L@cust.example" --at 2026-10-01
admin manager|track conversion|EW|track conversion --code ACME --email "r-%L@cust.example" --event purchase --amount 10 --id "T-%L" --at 2026-10-02
admin manager|track refund|EW|track refund --program Spring --id "T-%L" --amount 1
admin manager|ingest|EW|ingest "$tmp/ev-%L.jsonl"
admin|import|PW|import partners "$tmp/pt-%L.csv"
admin manager|import|EW|import referrals "$tmp/rf-%L.csv"
admin manager|import|DR|import deals "$tmp/dl-%L.csv"
admin manager|deal register|DR|deal register --partner Acme --company "Reg-%L" --domain "reg-%L.example" --value 100
admin|deal approve|RV|deal approve "$deal_a_%L"
admin|deal win|RV|deal win "$deal_a_%L" --value 100
admin|deal reject|RV|deal reject "$deal_r_%L" --reason no
admin|deal lose|RV|deal lose "$deal_l_%L"
admin|commission approve|CW|commission approve "$com_a_%L"
admin|commission reject|CW|commission reject "$com_r_%L" --reason no
admin|payout run|CW|payout run --cutoff 2026-10-14 --confirm "$(checksum)"
admin|payout mark-paid|CW|payout mark-paid PB1
admin|period close|PC|period close 2026-09
admin|user add|AD|user add "new-%L" --role support
admin|user role|AD|user role "u-%L" manager
admin|user remove|AD|user remove "u-%L"
admin|settings set|AD|settings set --org "Org %L"
ROWS
}

checksum() {
	ALLY_USER=ada "$ALLY" payout preview --cutoff 2026-10-14 | sed -n 's/^checksum: //p'
}

login_of() {
	case $1 in admin) echo ada ;; manager) echo mia ;; support) echo sam ;; esac
}

rows >"$tmp/rows"
while IFS='|' read -r allowed words why args; do
	eval "why=\$$why"
	first=$(login_of "${allowed%% *}")
	for role in admin manager support; do
		login=$(login_of "$role")
		case " $allowed " in
		*" $role "*)
			eval "set -- $(printf '%s' "$args" | sed "s/%L/$login/g")"
			run as "$login" "$@"
			is_rc 0 "$role: $words ($args)"
			[ "$rc" = 0 ] || printf '#   stderr: %s\n' "$err"
			;;
		*)
			eval "set -- $(printf '%s' "$args" | sed "s/%L/$first/g")"
			bad 77 "ally: $words: you ($login, $role) may not $why" "$role: $words ($args)" -- \
			    as "$login" "$@"
			;;
		esac
	done
done <"$tmp/rows"

# backup writes a file, not the database: refused, no file written
for role in manager support; do
	login=$(login_of "$role")
	bad 77 "ally: backup: you ($login, $role) may not $BK" "$role: backup" -- \
	    as "$login" backup "$tmp/bk-$login"
	is "$(ls "$tmp" | grep -c "^bk-$login")" 0 "$role: backup: no file written"
done
run as ada backup "$tmp/bk-ada"
is_rc 0 "admin: backup"

# ---- reads: every staff role ----

while read -r cmd; do
	for role in admin manager support; do
		login=$(login_of "$role")
		eval "set -- $cmd"
		run as "$login" "$@"
		is_rc 0 "$role: $cmd"
		[ "$rc" = 0 ] || printf '#   stderr: %s\n' "$err"
	done
done <<'READS'
program list
program show Spring
tier list
tier show Tier-ada
partner list
partner key list Acme
partner show Acme
partner agreements
code list
code show ACME
referral list
referral show RF1
conversion list
conversion show CV1
export partners
export commissions --json
deal list
deal show D1
deal pipeline
deal check --domain a-ada.example
commission list
commission show C1
commission explain C1
payout list
statement Acme --month 2026-10
report
audit list --limit 5
audit verify
mail list
check
READS

# ---- reads for admins only ----

for role in manager support; do
	login=$(login_of "$role")
	bad 77 "ally: user list: you ($login, $role) may not $AD" "$role: user list" -- as "$login" user list
	bad 77 "ally: settings show: you ($login, $role) may not $AD" "$role: settings show" -- \
	    as "$login" settings show
	bad 77 "ally: payout preview: you ($login, $role) may not $CW" "$role: payout preview" -- \
	    as "$login" payout preview --cutoff 2026-10-14
	bad 77 "ally: payout export: you ($login, $role) may not $CW" "$role: payout export" -- \
	    as "$login" payout export PB1 --output "$tmp/pb-$login.csv"
done
run as ada settings show
is_rc 0 "admin: settings show"
like "$out" '^org: Org ada' "admin: settings show has the organisation"

# ---- the TUI asks app/ the same questions ----

printf 'key 9\ndump\n' >"$tmp/script"
for role in manager support; do
	login=$(login_of "$role")
	rm -f "$tmp/dump"
	ALLY_USER=$login ALLY_UI_SIZE=100x30 ALLY_UI_SCRIPT=$tmp/script ALLY_UI_DUMP=$tmp/dump \
	    "$ALLY" >/dev/null 2>&1
	like "$(cat "$tmp/dump")" "you \\($login, $role\\) may not manage users and settings" \
	    "$role: the Admin screen refuses the settings as settings show does"
	unlike "$(cat "$tmp/dump")" "Organisation Org" "$role: the Admin screen does not show them"
done

done_testing
