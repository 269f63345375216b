#!/usr/bin/env bash
# nocurl.sh - libcurl is loaded only where mail is sent: the binary does
# not link it, and when it cannot be loaded `mail send` says so (exit 69)
# and the message stays queued for a later try.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/cli/lib.sh"
export ALLY_TEMPLATES=${ALLY_TEMPLATES:-$top_srcdir/data}

if command -v ldd >/dev/null; then
	is "$(ldd "$ALLY" | grep -c libcurl)" 0 "ally does not link libcurl"
else
	ok "# SKIP ldd missing"
fi

ally init >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally partner add Plain --email bob@plain.example >/dev/null
printf '[smtp]\nurl = smtp://127.0.0.1:9\nstarttls = off\ntimeout = 3\nfrom = Ally Bot <ally@example.com>\n[portal]\nconnect = ssh portal@ally.example.com\n' >"$tmp/c.conf"
run ally --config "$tmp/c.conf" partner invite Plain
is_rc 0 "invite queues the mail"

missing=$tmp/none/libcurl.so.4
run env ALLY_LIBCURL="$missing" "$ALLY" --config "$tmp/c.conf" mail send
is_rc 69 "mail send without libcurl"
err_is "ally: mail send: M1 to bob@plain.example: libcurl: cannot load libcurl.so.4 to send mail ($missing: cannot open shared object file: No such file or directory): install libcurl (libcurl4 on Debian and Ubuntu) (attempt 1 of 8; next at 2026-10-15T12:01:00Z)" \
    "mail send without libcurl"
run ally mail list --json
like "$out" '"state":"queued"' "the mail stays queued"

# A file that is not libcurl: refused the same way, its name shown escaped.
printf 'not a library' >"$tmp/fake"$'\e'".so"
run env ALLY_LIBCURL="$tmp/fake"$'\e'".so" ALLY_NOW=2026-10-15T12:02:00Z "$ALLY" --config "$tmp/c.conf" mail send
is_rc 69 "mail send with a file that is not libcurl"
like "$err" 'libcurl: cannot load libcurl.so.4 to send mail \(.*fake\\e\.so' "the file's name is escaped"
unlike "$err" $'\e' "no raw ESC"

# The real one is found again: the server is down (nothing listens there).
run env ALLY_NOW=2026-10-15T12:10:00Z "$ALLY" --config "$tmp/c.conf" mail send
is_rc 69 "mail send with libcurl and the server down"
unlike "$err" "cannot load" "libcurl loads"

done_testing
