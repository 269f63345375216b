#!/bin/sh
# templates.sh - the mail templates compiled into the program: the build
# tree's own binary (not installed, no ALLY_TEMPLATES, no [mail] templates)
# invites a partner and delivers the mail through a real SMTP server;
# [mail] templates = DIR replaces the defaults, and a broken directory is
# named by the setting and the file, never by its path.
. "${top_srcdir:-.}/tests/cli/lib.sh"
. "${top_srcdir:-.}/tests/mail/catch.sh"
unset ALLY_TEMPLATES
catch_need
trap 'catch_stop; rm -rf "$tmp"' EXIT
catch_start
catch_conf "$tmp/ally.conf"

ally init --org "Acme" >/dev/null
ally partner add "Zephyr GmbH" --email zed@example.com >/dev/null
run ally --config "$tmp/ally.conf" partner invite P1
is_rc 0 "partner invite with the compiled-in templates"
run ally --config "$tmp/ally.conf" mail send
is_rc 0 "mail send delivers it"
n=$(ls "$tmp/Caught/new" 2>/dev/null | wc -l)
is "$n" 1 "one message arrived"
subj=$($CATCH_PY - "$tmp/Caught" <<'PY'
import email, email.policy, glob, sys
f = glob.glob(sys.argv[1] + "/new/*")[0]
m = email.message_from_binary_file(open(f, "rb"), policy=email.policy.default)
print(m["To"], "|", m["Subject"], "|", m.get_body(("html",)) is not None)
PY
)
want=$(sed -n '1s/^Subject: //p' "$top_srcdir/data/invitation.txt" | sed 's/{{org}}/Acme/')
is "$subj" "Zephyr GmbH <zed@example.com> | $want | True" "the default invitation, text and HTML"
is "$(catch_codes | wc -l)" 1 "with its code"

# ---- [mail] templates = DIR overrides the defaults ----
mkdir "$tmp/tpl"
cp "$top_srcdir"/data/*.txt "$top_srcdir"/data/*.html "$tmp/tpl/"
printf 'Subject: Our own words for {{partner}}\n\nHello.\n' >"$tmp/tpl/invitation-resent.txt"
catch_conf "$tmp/own.conf" "[mail]" "templates = $tmp/tpl"
run ally --config "$tmp/own.conf" partner resend P1
is_rc 0 "resend with [mail] templates"
ally --config "$tmp/own.conf" mail send >/dev/null 2>&1
run ally mail list --csv
like "$out" 'Our own words for Zephyr GmbH' "the directory's template was used"

catch_conf "$tmp/gone.conf" "[mail]" "templates = $tmp/gone"
bad 78 "ally: partner resend: mail template invitation-resent.txt: No such file or directory; fix [mail] templates or remove it" \
    "a templates directory that does not exist: the setting and the file, no path" -- \
    ally --config "$tmp/gone.conf" partner resend P1
unlike "$err" "$tmp" "the message holds no path"

done_testing
