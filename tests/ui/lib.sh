# lib.sh - helpers for the screen tests (sourced after tests/cli/lib.sh).
#
#   screen NAME <<'KEYS' ... KEYS     run ally in script mode with these
#                                     script lines; $dump holds the dumps
#   screen_is N "what" <<'WANT'       dump N must be exactly WANT
#   screen_has N REGEX "what"         dump N matches REGEX
export ALLY_UI_SIZE=${ALLY_UI_SIZE:-80x24}

screen() {
	cat >"$tmp/script"
	rm -f "$tmp/dump"
	ALLY_UI_SCRIPT=$tmp/script ALLY_UI_DUMP=$tmp/dump "$ALLY" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	dump=$(cat "$tmp/dump" 2>/dev/null)
}

# The text of dump N, without its "=== dump N" line and trailing empty lines.
dump_n() {
	awk -v n="$1" '/^=== dump /{on = ($3 == n); next} on' "$tmp/dump" |
		sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
}

screen_is() {
	local want got
	want=$(cat)
	got=$(dump_n "$1")
	if [ "$got" = "$want" ]; then
		ok "$2"
	else
		not_ok "$2" "--- got:" "$got" "--- want:" "$want"
	fi
}

screen_has() {
	like "$(dump_n "$1")" "$2" "$3"
}

screen_lacks() {
	unlike "$(dump_n "$1")" "$2" "$3"
}
