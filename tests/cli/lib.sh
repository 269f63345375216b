# lib.sh - TAP helpers for the CLI scenario tests (sourced, not run).
#
#   run ally program add X ...      runs it; sets $rc, $out, $err
#   is_rc 65 "what"                 checks the exit status
#   err_is 'ally: ...' "what"       checks stderr is exactly that one line
#   snapshot / unchanged "what"     the database is byte-for-byte the same
#   damage_counter DB 50            flip a bit of a kept counter ('P'; 4d: 'M')
#   done_testing                    prints the plan; exit status for make
set -u
ALLY=${ALLY:-$PWD/src/ally}
tap_n=0
tap_failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ally-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export ALLY_DB=$tmp/db
export ALLY_NOW=${ALLY_NOW:-2026-10-15T12:00:00Z}
export TZ=UTC LC_ALL=C.UTF-8
unset ALLY_USER XDG_DATA_HOME

ally() { "$ALLY" "$@"; }

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=1
	echo "not ok $tap_n - $1"
	shift
	local line
	for line in "$@"; do
		printf '#   %s\n' "$line"
	done
}

run() {
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

is() {  # is GOT WANT WHAT
	if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3" "got:  $1" "want: $2"; fi
}

is_rc() {
	is "$rc" "$1" "$2 (exit $1)"
}

err_is() {
	is "$err" "$1" "$2 (message)"
}

like() {  # like TEXT REGEX WHAT
	if printf '%s' "$1" | grep -Eq -- "$2"; then ok "$3"; else not_ok "$3" "got:  $1" "want: /$2/"; fi
}

unlike() {
	if printf '%s' "$1" | grep -Eq -- "$2"; then not_ok "$3" "got:  $1" "not:  /$2/"; else ok "$3"; fi
}

db_hash() {
	mdb_dump -a "$ALLY_DB" 2>/dev/null | sha256sum | cut -d' ' -f1
}

snapshot() {
	snap=$(db_hash)
}

unchanged() {
	is "$(db_hash)" "$snap" "$1: database unchanged"
}

# A bad input: exit status, the exact one-line message, nothing written.
bad() {  # bad RC 'message' "what" -- command...
	local want_rc=$1 want_err=$2 what=$3
	shift 4
	snapshot
	run "$@"
	is_rc "$want_rc" "$what"
	err_is "$want_err" "$what"
	unchanged "$what"
}

# damage_counter DB HEX: flip the lowest bit of the first value byte of the
# first rollup counter whose key starts with byte HEX ("50" 'P', "4d" 'M'),
# with mdb_dump and mdb_load, so ally check has a damaged total to find.
damage_counter() {
	mdb_dump -s rollup "$1" | awk -v tag=" $2" '
		/^HEADER=END/ { body = 1; print; next }
		!body { print; next }
		index($0, tag) == 1 && !done { print; getline; h = "0123456789abcdef"; i = index(h, substr($0, 3, 1)) - 1;
			i += i % 2 ? -1 : 1; print " " substr($0, 2, 1) substr(h, i + 1, 1) substr($0, 4); done = 1; next }
		{ print }' >"$tmp/rollup.dump"
	mdb_load -s rollup -f "$tmp/rollup.dump" "$1" 2>/dev/null
}

done_testing() {
	echo "1..$tap_n"
	exit $tap_failed
}
