#!/bin/sh
# basics.sh - help, version, usage errors, ally init and who may open a
# database.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"

ESC=$(printf '\033')

no_esc() {  # no_esc TEXT WHAT: no raw ESC byte reaches the terminal
	case $1 in
	*"$ESC"*) not_ok "$2: no raw ESC" "got:  $(printf '%s' "$1" | od -c | head -3)" ;;
	*) ok "$2: no raw ESC" ;;
	esac
}

as() {  # as LOGIN ally ARGS...: run as another account (we are root)
	_as=$1
	shift 2
	ALLY_USER=$_as "$ALLY" "$@"
}

# ---- help and version ----

run ally --version
is_rc 0 "--version"
like "$out" '^ally [0-9]+\.[0-9]+' "--version prints the version"
is "$err" "" "--version writes nothing on stderr"

run ally --help
is_rc 0 "--help"
like "$out" '^usage: ally ' "--help starts with usage"
like "$out" 'program' "--help lists the program command"

run ally -h
is_rc 0 "-h"

run ally help
is_rc 0 "ally help"
like "$out" '^usage: ally ' "ally help prints the overview"

for g in init demo program tier partner code track ingest import export \
    referral conversion user check backup; do
	run ally "$g" --help
	is_rc 0 "ally $g --help"
	like "$out" "^usage: ally $g" "ally $g --help prints its usage"
	run ally help "$g"
	is_rc 0 "ally help $g"
done

for s in "program add" "program edit" "tier add" "partner add" "code new" \
    "track referral" "track conversion" "track refund" "user add"; do
	# shellcheck disable=SC2086
	run ally $s --help
	is_rc 0 "ally $s --help"
	like "$out" "^usage: ally $s" "ally $s --help prints its usage"
	# shellcheck disable=SC2086
	run ally help $s
	is_rc 0 "ally help $s"
done

run ally help --help
is_rc 0 "ally help --help"

# ---- usage errors (no database needed) ----

run ally frobnicate
is_rc 64 "unknown command"
err_is 'ally: frobnicate: unknown command (see ally --help)' "unknown command"

run ally program frobnicate
is_rc 64 "unknown subcommand"
err_is 'ally: program frobnicate: unknown subcommand (see ally program --help)' "unknown subcommand"

run ally program
is_rc 64 "missing subcommand"
err_is 'ally: program: missing subcommand (see ally program --help)' "missing subcommand"

run ally program list --frob
is_rc 64 "unknown flag"
err_is 'ally: program list: unknown option --frob (see ally program list --help)' "unknown flag"

run ally --frob
is_rc 64 "unknown global flag"
err_is 'ally: unknown option --frob (see ally --help)' "unknown global flag"

run ally --db
is_rc 64 "--db without a value"
err_is 'ally: option --db needs a value (see ally --help)' "--db without a value"

run ally program list --json=1
is_rc 64 "value given to a switch"
err_is 'ally: program list: option --json=1 takes no value (see ally program list --help)' "value given to a switch"

run ally help frobnicate
is_rc 64 "help on an unknown command"
err_is 'ally: frobnicate: unknown command (see ally --help)' "help on an unknown command"

run ally "frob${ESC}[2J"
is_rc 64 "unknown command holding ESC"
no_esc "$err" "unknown command holding ESC"
err_is 'ally: frob\e[2J: unknown command (see ally --help)' "unknown command holding ESC"

run ally program list "--frob${ESC}[2J"
is_rc 64 "unknown flag holding ESC"
no_esc "$err" "unknown flag holding ESC"

run env ALLY_NOW=garbage "$ALLY" program list
is_rc 78 "ALLY_NOW that is not a time"
like "$err" '^ally: ALLY_NOW: ' "ALLY_NOW that is not a time names the variable"

# ---- before ally init ----

for cmd in "program list" "program add X --rule flat1" "partner list" "user list" \
    "referral list" "check" "export programs"; do
	# shellcheck disable=SC2086
	run ally $cmd
	is_rc 66 "$cmd before init"
	like "$err" '^ally: [a-z ]+: .*\(run ally init\)$' "$cmd before init mentions ally init"
done
run ally track referral --code ABC --email a@example.com
is_rc 66 "track before init"
like "$err" 'run ally init' "track before init mentions ally init"
is "$(ls "$ALLY_DB" 2>/dev/null)" "" "commands before init create no database"

# An existing but empty directory (a shared install made by the admin).
mkdir "$ALLY_DB"
run ally program add X --rule "percent 5"
is_rc 66 "write command in an empty directory"
err_is "ally: program add: open $ALLY_DB: not an ally database (run ally init)" \
    "write command in an empty directory"
is "$(ls "$ALLY_DB")" "" "write command in an empty directory creates no files"
run ally program list
is_rc 66 "read command in an empty directory"
rm -rf "$ALLY_DB"

# ---- init with bad settings: nothing is created ----

run ally init --currency XYZ
is_rc 65 "init --currency XYZ"
err_is 'ally: init: currency: "XYZ" is not an ISO 4217 code we know' "init --currency XYZ"
is "$(ls "$ALLY_DB" 2>/dev/null)" "" "init --currency XYZ creates no database"

run ally init --timezone Mars/Olympus
is_rc 65 "init --timezone Mars/Olympus"
err_is 'ally: init: timezone: "Mars/Olympus" is not a known time zone (e.g. Europe/Berlin, UTC)' \
    "init --timezone Mars/Olympus"
is "$(ls "$ALLY_DB" 2>/dev/null)" "" "init --timezone Mars/Olympus creates no database"

mkdir "$tmp/empty"
run ally --db "$tmp/empty" init --currency EURO
is_rc 65 "init into an existing directory with a bad currency"
is "$(ls "$tmp/empty")" "" "the directory holds no database afterwards"

run ally init --currency "X${ESC}[2J"
is_rc 65 "init --currency holding ESC"
no_esc "$err" "init --currency holding ESC"
err_is 'ally: init: currency: "X\e[2J" is not an ISO 4217 code we know' "init --currency holding ESC"

run ally init --timezone "X${ESC}[2J"
is_rc 65 "init --timezone holding ESC"
no_esc "$err" "init --timezone holding ESC"

run ally init --bogus
is_rc 64 "init --bogus"
is "$(ls "$ALLY_DB" 2>/dev/null)" "" "init --bogus creates no database"

# ---- init ----

run ally init --org "Example Org" --currency USD --timezone Europe/Berlin
is_rc 0 "init"
is "$out" "created a database in $ALLY_DB; you are its first admin" "init says where"
is "$err" "" "init writes nothing on stderr"
[ -f "$ALLY_DB/data.mdb" ] && ok "init made data.mdb" || not_ok "init made data.mdb"

bad 65 "ally: init: $ALLY_DB: a database is already there" "init twice" -- \
    ally init
bad 65 "ally: init: $ALLY_DB: a database is already there" "init twice with other settings" -- \
    ally init --currency EUR --org Other

run ally program list --json
is_rc 0 "list after init"
is "$out" "" "a new database has no programs"

# The organisation's currency is the default for programs.
run ally program add Default --rule "flat 10" --json
is_rc 0 "program add after init"
like "$out" '"currency":"USD"' "programs default to the organisation's currency"

# ---- who is using ally ----

run ally user list --csv
like "$out" '^id,login,role' "user list has a header"
like "$out" "U1,$(id -un),admin" "the account that ran init is the first admin"

if [ "$(id -u)" = 0 ]; then
	bad 77 'ally: program add: account "nobody" is not an ally user (an admin can run: ally user add nobody --role support)' \
	    "unknown ALLY_USER" -- as nobody ally program add Y --rule "flat 1"
	run as nobody ally program list
	is_rc 77 "unknown ALLY_USER may not even read"
	err_is 'ally: program list: account "nobody" is not an ally user (an admin can run: ally user add nobody --role support)' \
	    "unknown ALLY_USER may not even read"

	run ally user add alice --role admin
	is_rc 0 "add alice as admin"
	run as alice ally program add ByAlice --rule "flat 1"
	is_rc 0 "ALLY_USER=alice is honoured for root"
	run as alice ally program show ByAlice
	is_rc 0 "alice reads her program"

	run as "" ally program list
	is_rc 0 "an empty ALLY_USER means the real account"

	run ally --db "$tmp/db2" init
	is_rc 0 "init of a second database"
	run as alice ally --db "$tmp/db2" user list
	is_rc 77 "alice is not a user of the second database"
	err_is 'ally: user list: account "alice" is not an ally user (an admin can run: ally user add alice --role support)' \
	    "alice is not a user of the second database"

	run as bob ally --db "$tmp/db3" init
	is_rc 0 "init as ALLY_USER=bob"
	run as bob ally --db "$tmp/db3" user list --csv
	like "$out" 'U1,bob,admin' "ALLY_USER=bob ran init: bob is the first admin"
	run ally --db "$tmp/db3" user list
	is_rc 77 "root is not a user of bob's database"
else
	ok "# SKIP ALLY_USER is only honoured for root"
fi

done_testing
