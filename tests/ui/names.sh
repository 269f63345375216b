#!/bin/sh
# names.sh - the TUI forms ask app/ the same questions as the CLI (issue
# 12, item 7): a program or partner named like a record id is refused next
# to its field and in the status line, and nothing is saved; a C1 control
# typed into a field never reaches the record.
. "${top_srcdir:-.}/tests/cli/lib.sh"
. "${top_srcdir:-.}/tests/ui/lib.sh"
export ALLY_UI_SIZE=100x30
AMB='looks like a record id \(like P3, RF12 or 12\) and would be ambiguous'

ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally partner add Acme --email ann@acme.example >/dev/null

snapshot
screen <<'KEYS'
key 3
key n
type P1
key Tab
type imp@example.com
key C-s
dump
key Esc
key y
key 2
key n
type pg9
key Tab
type flat 1
key C-s
dump
KEYS
is "$rc" 0 "script mode exits 0"
screen_has 1 "! \"P1\" $AMB" "the partner form shows the refusal next to the name"
screen_has 1 "^ name: \"P1\" $AMB" "and in the status line"
screen_has 2 "! \"pg9\" $AMB" "the program form too"
unchanged "id-like names from the forms"

screen <<EOF2
key 3
key n
type Fine Co
key Tab
type fine@example.com
key Tab
key Tab
key Tab
key Tab
type Ann$(printf '\302\205')Lee
key C-s
dump
EOF2
screen_has 1 'P2 Fine Co saved' "a partner with a clean name is saved"
is "$(ally partner show P2 --json | python3 -c 'import json,sys; print(ascii(json.load(sys.stdin)["contact"]))')" \
    "'AnnLee'" "U+0085 typed into a field does not reach the record"

done_testing
