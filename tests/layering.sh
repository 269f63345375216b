#!/bin/sh
# tests/layering.sh - the boundaries of DESIGN.md section 2 and CONVENTIONS.md
# "Boundaries that a check can hold", checked over the sources: one TAP line
# per rule, and under a failing rule the offending file:line: text.
#
#   layering.sh [SRC_DIR]    (default: $top_srcdir/src, else ../src from here)
#
# Layers, each including only its own and the ones below it:
#   core < domain < store, mail < app < cli, ui
# store and mail are siblings and include neither each other; cli may
# include ui (it starts the TUI).  src/main.c sits above them all.
set -u
src=${1:-${top_srcdir:-$(dirname "$0")/..}/src}
n=0
failed=0

# ok NAME OUTPUT: one TAP line; OUTPUT (violations, one a line) fails it.
rule() {
	n=$((n + 1))
	if [ -z "$2" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		printf '%s\n' "$2" | sed 's/^/# /'
		failed=1
	fi
}

# Source files under src/, as paths relative to src.
files() {
	(cd "$src" && find . -name '*.[ch]' | sed 's|^\./||' | sort)
}

# grep -n PATTERN over the files not matching the allowed path regex.
offenders() {
	pattern=$1 allowed=$2
	files | grep -Ev "$allowed" | while read -r f; do
		grep -nE "$pattern" "$src/$f" /dev/null | sed "s|^$src/||"
	done
}

if [ ! -d "$src/store" ]; then
	echo "1..0 # SKIP no sources at $src"
	exit 0
fi
echo "1..6"

rule "lmdb.h is included by src/store/lmdb.c alone" \
	"$(offenders '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]lmdb\.h[>"]' '^store/lmdb\.c$')"

rule "curl/curl.h is included only under src/mail/" \
	"$(offenders '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]curl/' '^mail/')"

rule "curses is included only under src/ui/" \
	"$(offenders '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](ncursesw?/)?n?curses\.h[>"]' '^ui/')"

# The layer of a directory under src/ (empty: not a layer).
rank() {
	case $1 in
	core) echo 0 ;; domain) echo 1 ;; store | mail) echo 2 ;;
	app) echo 3 ;; cli | ui) echo 4 ;; *) echo "" ;;
	esac
}

upward() {
	files | while read -r f; do
		from=${f%%/*}
		r=$(rank "$from")
		[ -n "$r" ] || continue
		grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[a-z]+/' "$src/$f" |
		while IFS= read -r line; do
			to=$(printf '%s\n' "$line" | sed -E 's/^[0-9]+:[[:space:]]*#[[:space:]]*include[[:space:]]*"([a-z]+)\/.*/\1/')
			t=$(rank "$to")
			[ -n "$t" ] || continue
			if [ "$t" -gt "$r" ] || { [ "$t" -eq "$r" ] && [ "$t" -eq 2 ] && [ "$to" != "$from" ]; }; then
				echo "$f:$line (a $from file includes $to)"
			fi
		done
	done
}
rule "no layer includes a layer above it (core < domain < store, mail < app < cli, ui)" "$(upward)"

# Public headers of app/ expose no struct txn: what only app/ files share
# goes in app/'s one internal header.  KNOWN lists the headers that still
# do: none now; never add one.
APP_INTERNAL='app/app_int\.h'
KNOWN='app/(none)\.h'
rule "no public header of src/app/ names struct txn" \
	"$(files | grep -E '^app/[^/]*\.h$' | grep -Ev "^($APP_INTERNAL|$KNOWN)$" | while read -r f; do
		grep -nE 'struct txn([^_a-z0-9]|$)' "$src/$f" | sed "s|^|$f:|"
	done)"

# A key layout is built and decoded in one module: outside store/, no
# arithmetic on key bytes (a heuristic: "kb + 8", "kb[3]", key_read_*(p + n)).
# Allowed: app/rollup.c, which builds the rollup keys and so may read them.
KEYS_ALLOWED='^(store/|app/rollup\.c$)'
rule "no file outside src/store/ reads key bytes by offset (allowed: rollup.c, which owns the rollup keys)" \
	"$(offenders '\<kb[[:space:]]*(\+[[:space:]]*[0-9]|\[[[:space:]]*[0-9])|key_read_[iu]64[[:space:]]*\([^)]*\+[[:space:]]*[0-9]' "$KEYS_ALLOWED")"

exit $failed
