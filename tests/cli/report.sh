#!/bin/sh
# report.sh - ally report: every figure of report.h checked against a direct
# computation over the records that ally export prints (loaded into
# sqlite3), with no filter, each filter alone and combined, date ranges whose
# ends fall near midnight in the organisation's zone (Europe/Berlin, across
# the end of summer time on 2026-10-25), the series per day, week (from
# Monday) and month, top referrers, commission accrued by status after
# approvals, a rejection, a payout and a refund of a paid line, partner
# contribution with won partner and direct deals; ally check; bad input.
#
# Now is 2026-11-20T12:00:00Z.  The direct side computes local days with
# sqlite3's 'localtime' under TZ=Europe/Berlin, so it shares no code with
# ally's zone handling.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
ALLY_NOW=2026-11-20T12:00:00Z
. "$top_srcdir/tests/cli/lib.sh"

command -v sqlite3 >/dev/null 2>&1 || { echo "1..0 # SKIP sqlite3 is not installed"; exit 0; }
cd "$tmp" || exit 1

ally init --timezone Europe/Berlin >/dev/null 2>&1 || { echo "Bail out! ally init failed"; exit 1; }
ally program add Spring --rule "percent 10" --window 60 --events purchase --hold 0 \
    --attribution first --activate >/dev/null
ally program add Autumn --rule "flat 10.00" --window 30 --events purchase,signup --hold 14 \
    --attribution last --activate >/dev/null
ally program add Edge --rule "percent 10" --window 60 --events purchase --hold 0 --activate >/dev/null
ally tier add Gold --rule "percent 20" >/dev/null
ally tier add Silver --rule "flat 5.00" >/dev/null
ally partner add Acme --email ann@acme.example --tier Gold >/dev/null      # P1
ally partner add Bolt --email bo@bolt.example --tier Gold >/dev/null       # P2
ally partner add Cobalt --email cy@cobalt.example --tier Silver >/dev/null # P3
ally partner add Dune --email di@dune.example >/dev/null                   # P4, no tier
ally partner add Ember --email em@ember.example --tier Silver >/dev/null   # P5, refers nobody
for c in Spring:Acme:ACME-S Autumn:Acme:ACME-A Spring:Bolt:BOLT-S Autumn:Cobalt:COBALT-A \
    Spring:Cobalt:COBALT-S Spring:Dune:DUNE-S; do
	IFS=: read -r pg who code <<EOF
$c
EOF
	ally code new --program "$pg" --partner "$who" --vanity "$code" >/dev/null ||
	    { echo "Bail out! code $code"; exit 1; }
done
ally code new --program Spring --customer ann@cust.example --name Ann --vanity ANN-S >/dev/null
ally code new --program Autumn --customer bea@cust.example --name Bea --vanity BEA-A >/dev/null
ally code new --program Spring --customer cal@cust.example --name Cal --vanity CAL-S >/dev/null
ally code new --program Edge --customer dee@cust.example --name Dee --vanity DEE-E >/dev/null

# ---- events: 420 referrals from 2026-08-22 to 2026-11-19, about a third
# converting (some outside the window, some with a non-qualifying event,
# some twice), refunds partial and full.  Plain arithmetic, no rand(), so
# every awk prints the same file.
awk -v base=1787356800 -v now=1795176000 '
function iso(t,   d, s, y, m, dd, a, b, c) {
	# civil from days (Howard Hinnant), UTC
	d = int(t / 86400); s = t - d * 86400
	d += 719468; a = int(d / 146097); b = d - a * 146097
	c = int((b - int(b / 1460) + int(b / 36524) - int(b / 146096)) / 365)
	y = c + a * 400; dd = b - (365 * c + int(c / 4) - int(c / 100))
	m = int((5 * dd + 2) / 153); dd = dd - int((153 * m + 2) / 5) + 1
	m = m < 10 ? m + 3 : m - 9; if (m <= 2) y++
	return sprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, dd, int(s / 3600), int(s % 3600 / 60), s % 60)
}
BEGIN {
	split("ACME-S ACME-A BOLT-S COBALT-A COBALT-S DUNE-S ANN-S BEA-A CAL-S ACME-S BOLT-S ACME-S", code, " ")
	nr = 0
	for (i = 1; i <= 420; i++) {
		c = code[1 + (i * 7) % 12]
		prog = c ~ /-A$/ ? "Autumn" : "Spring"
		t = base + ((i * 7919) % 89) * 86400 + (i * 3613) % 86400
		# a few referrals just around local midnight (22:00Z/23:00Z)
		if (i % 17 == 0) t = t - t % 86400 + 79200 + (i % 2 ? -60 : 1800)
		if (i % 19 == 0) t = t - t % 86400 + 82800 + (i % 2 ? -60 : 1800)
		if (t > now - 3600) t = now - 7200
		em = "c" i "@ex.example"
		printf "{\"type\":\"referral\",\"code\":\"%s\",\"email\":\"%s\",\"name\":\"Contact %d\",\"at\":\"%s\"}\n", c, em, i, iso(t)
		if (i % 3 == 0 || i % 7 == 0) {
			dt = 3600 + ((i * 37) % 45) * 86400
			ct = t + dt
			if (ct > now) ct = t + 3600
			ev = i % 21 == 0 ? "signup" : "purchase"
			amt = 20 + (i * 13) % 480
			printf "{\"type\":\"conversion\",\"code\":\"%s\",\"email\":\"%s\",\"event\":\"%s\",\"amount\":\"%d.%02d\",\"currency\":\"EUR\",\"id\":\"O-%d\",\"at\":\"%s\"}\n", c, em, ev, amt, i % 100, i, iso(ct)
			if (i % 9 == 0 && ct + 86400 < now)
				printf "{\"type\":\"conversion\",\"code\":\"%s\",\"email\":\"%s\",\"event\":\"purchase\",\"amount\":\"%d.00\",\"id\":\"O-%d-2\",\"at\":\"%s\"}\n", c, em, amt / 2, i, iso(ct + 86400)
			# refunds: i % 10 == 0 the whole amount, else i % 5 == 0 ten euros
			if (i % 5 == 0 && ct + 7200 < now)
				printf "{\"type\":\"refund\",\"program\":\"%s\",\"id\":\"O-%d\",\"amount\":\"%s\",\"at\":\"%s\"}\n", prog, i, i % 10 == 0 ? sprintf("%d.%02d", amt, i % 100) : "10.00", iso(ct + 7200)
		}
	}
}' >events.jsonl
run ally ingest events.jsonl
is_rc 0 "ingest the generated events"
like "$err" "^ally: ingest: [0-9]+ lines, [0-9]+ recorded, 0 duplicates, 0 rejected, 0 invalid" \
    "ingest: every line recorded"

# ---- referrals either side of local midnight, one command each, in a
# program of their own ----
# 2026-09-30T21:59:59Z is 23:59:59 CEST on the 30th; 22:00:00Z is 00:00 on
# 1 October (a month and a week boundary: 2026-09-28 is a Monday).  On
# 2026-10-25 summer time ends: 21:59Z is 23:59 CEST on the 24th, 22:30Z is
# 23:30 CET on the 25th and 23:30Z is 00:30 CET on the 26th (a Monday).
# 2026-11-15T23:30:00Z is 00:30 on Monday the 16th.
n=0
for at in 2026-09-30T21:59:59Z 2026-09-30T22:00:00Z 2026-10-24T21:59:00Z 2026-10-24T22:00:00Z \
    2026-10-25T22:30:00Z 2026-10-25T23:30:00Z 2026-11-15T22:59:59Z 2026-11-15T23:30:00Z; do
	n=$((n + 1))
	ally track referral --code DEE-E --email "edge$n@ex.example" --at "$at" >/dev/null ||
	    echo "# edge referral $at failed"
done
# converted just after midnight, refunded in part
ally track conversion --code DEE-E --email edge6@ex.example --event purchase --amount 300 --id E-6 \
    --at 2026-10-26T08:00:00Z >/dev/null
ally track refund --program Edge --id E-6 --amount 45.50 --at 2026-10-27T08:00:00Z >/dev/null
ally track conversion --code DEE-E --email edge2@ex.example --event purchase --amount 80 --id E-2 \
    --at 2026-10-01T09:00:00Z >/dev/null
# rejected referrals count as referrals made: a self-referral and a
# contact already referred in the program (first attribution)
ally track referral --code ANN-S --email ann@cust.example --at 2026-10-05T10:00:00Z >/dev/null 2>&1
ally track referral --code DUNE-S --email c1@ex.example --at 2026-11-02T10:00:00Z >/dev/null 2>&1

# ---- deals: partner deals won either side of local midnight, a lost one,
# direct deals won and open ----
ally deal register --partner Acme --company "North AG" --domain north.example --value 10000 >/dev/null
ally deal approve D1 >/dev/null
ally deal win D1 --value 9000 --date 2026-10-31T23:30:00Z >/dev/null   # 1 November local
ally deal register --partner Cobalt --company "East BV" --domain east.example --value 5000 >/dev/null
ally deal approve D2 >/dev/null
ally deal win D2 --value 4500.50 --date 2026-10-31T22:30:00Z >/dev/null # 31 October local
ally deal register --partner Bolt --company "South SA" --domain south.example --value 7000 >/dev/null
ally deal approve D3 >/dev/null
ally deal lose D3 >/dev/null 2>&1 || ally deal lose D3 --reason "went elsewhere" >/dev/null
ally deal register --direct --company "West Ltd" --domain west.example --value 20000 >/dev/null
ally deal approve D4 >/dev/null 2>&1
ally deal win D4 --value 18000 --date 2026-09-15T10:00:00Z >/dev/null
ally deal register --direct --company "Open Inc" --domain open.example --value 3000 >/dev/null
ally deal register --partner Dune --company "Dune Client" --domain dclient.example --value 2000 >/dev/null
ally deal approve D6 >/dev/null
ally deal win D6 --value 2000 --date 2026-11-10T12:00:00Z >/dev/null

# ---- commissions: approve some, reject one, pay a batch, refund a paid
# line (a negative adjustment) and an unpaid one (reversed) ----
pend=$(ally commission list --status pending --csv | awk -F, 'NR > 1 && $8 == "Spring" && $12 < "2026-10-20" {print $1}')
appr=$(printf '%s\n' $pend | awk 'NR % 3 != 0')
rej=$(printf '%s\n' $pend | awk 'NR % 3 == 0' | head -2)
ally commission approve $appr >/dev/null || echo "# approve failed"
ally commission reject $rej --reason "test rejection" >/dev/null || echo "# reject failed"
auto=$(ally commission list --status pending --csv | awk -F, 'NR > 1 && $8 == "Autumn" && $13 < "2026-11-01" {print $1}' | head -4)
ally commission approve $auto >/dev/null || echo "# approve Autumn failed"
out=$(ally payout preview --cutoff 2026-10-10)
sum=$(printf '%s\n' "$out" | sed -n 's/^checksum: //p')
ally payout run --cutoff 2026-10-10 --confirm "$sum" --output payout.csv >/dev/null || echo "# payout failed"
paid=$(ally commission list --status paid --csv | awk -F, 'NR > 1 && $9 != "" {print $9 "," $8}' | head -1)
ally track refund --program "${paid#*,}" --id "${paid%,*}" --amount 5.00 --at 2026-11-18T23:30:00Z >/dev/null ||
    echo "# refund of a paid line failed"

run ally check
is_rc 0 "ally check after the events, approvals, payout and refunds"
is "$out" "ok: no problems found" "ally check: the rollups agree with the records"

# ======================================================================
# The direct side: the exported records in sqlite3
# ======================================================================
for w in referrals conversions commissions deals partners programs tiers; do
	ally export $w --csv >$w.csv || echo "Bail out! export $w"
done
# a referrer's partner: the codes each partner owns
echo "partner,referrer" >owners.csv
for p in $(awk -F, 'NR > 1 {print $2}' partners.csv); do
	ally export codes --partner "$p" --csv | awk -F, -v p="$p" 'NR > 1 {print p "," $4}'
done | sort -u >>owners.csv
# a deal's won time: its latest "deal change" in the audit log
ally audit list --json >audit.jsonl

sqlite3 direct.db <<'SQL' || echo "Bail out! sqlite3 load"
.import --csv referrals.csv referrals
.import --csv conversions.csv conversions
.import --csv commissions.csv commissions
.import --csv deals.csv deals
.import --csv partners.csv partners
.import --csv programs.csv programs
.import --csv tiers.csv tiers
.import --csv owners.csv owners
CREATE TABLE audit AS SELECT value AS j FROM json_each('[' || replace(trim(readfile('audit.jsonl'), char(10)), char(10), ',') || ']');
SQL

# minor units of an exported amount ("1234.50", "-5.00")
# The figures of ally report --json ($1 holds its output file) and the same
# figures computed from the records, one "section|ally|direct" line each.
# FROM TO PROGRAM TIER PARTNER BY TOP: '' for none.
compare() {
	_json=$1 _from=$2 _to=$3 _prog=$4 _tier=$5 _part=$6 _by=$7 _top=${8:-10}
	TZ=Europe/Berlin sqlite3 -bail -separator '|' direct.db <<SQL
CREATE TEMP TABLE p AS SELECT
    nullif('$_from', '') AS dfrom,
    coalesce(nullif('$_to', ''), date('$ALLY_NOW', 'localtime')) AS dto,
    (SELECT coalesce((SELECT name FROM programs WHERE id = upper(x) OR name = x), x) FROM (SELECT nullif('$_prog', '') AS x)) AS prog,
    (SELECT coalesce((SELECT name FROM tiers WHERE id = upper(x) OR name = x), x) FROM (SELECT nullif('$_tier', '') AS x)) AS tier,
    (SELECT coalesce((SELECT name FROM partners WHERE id = upper(x) OR name = x), x) FROM (SELECT nullif('$_part', '') AS x)) AS part,
    nullif('$_by', '') AS bucket, $_top AS top,
    readfile('$_json') AS r;
CREATE TEMP VIEW ptier AS SELECT name AS partner, tier FROM partners;
-- the filtered referrals, with their local day and partner
CREATE TEMP VIEW fr AS
SELECT r.id, r.referrer, o.partner, date(r.at, 'localtime') AS day,
    EXISTS (SELECT 1 FROM conversions c WHERE c.referral = r.id AND c.qualifying = 'true') AS conv,
    (SELECT coalesce(sum(CAST(replace(c.amount, '.', '') AS INTEGER) - CAST(replace(c.refunded, '.', '') AS INTEGER)), 0)
        FROM conversions c WHERE c.referral = r.id AND c.qualifying = 'true') AS value
FROM referrals r LEFT JOIN owners o ON o.referrer = r.referrer, p
WHERE (p.dfrom IS NULL OR date(r.at, 'localtime') >= p.dfrom) AND date(r.at, 'localtime') <= p.dto
  AND (p.prog IS NULL OR r.program = p.prog)
  AND (p.part IS NULL OR o.partner = p.part)
  AND (p.tier IS NULL OR o.partner IN (SELECT partner FROM ptier WHERE tier = p.tier));
CREATE TEMP TABLE f AS SELECT * FROM fr;
-- the series' first day: the range's, else the first day with a referral
CREATE TEMP VIEW s AS SELECT coalesce(p.dfrom, (SELECT min(day) FROM f), p.dto) AS s0, p.dto AS s1,
    coalesce(p.bucket, CASE WHEN julianday(p.dto) - julianday(coalesce(p.dfrom, (SELECT min(day) FROM f), p.dto)) + 1 <= 62 THEN 'day'
        WHEN julianday(p.dto) - julianday(coalesce(p.dfrom, (SELECT min(day) FROM f), p.dto)) + 1 <= 366 THEN 'week' ELSE 'month' END) AS b
FROM p;
CREATE TEMP VIEW bk AS SELECT day, CASE (SELECT b FROM s) WHEN 'week' THEN date(day, '-6 days', 'weekday 1')
    WHEN 'month' THEN strftime('%Y-%m-01', day) ELSE day END AS start, conv FROM f;

SELECT 'range', json_extract(r, '$.from') || ' ' || json_extract(r, '$.to'),
    coalesce(p.dfrom, (SELECT min(day) FROM f), '') || ' ' || p.dto FROM p;
SELECT 'totals', json_extract(r, '$.total_referrals') || ' ' || json_extract(r, '$.conversions') || ' ' ||
    json_extract(r, '$.converted_value_minor'),
    (SELECT count(*) || ' ' || coalesce(sum(conv), 0) || ' ' || coalesce(sum(value), 0) FROM f) FROM p;
SELECT 'conversion rate', printf('%.9f', json_extract(r, '$.conversion_rate')),
    (SELECT printf('%.9f', CASE count(*) WHEN 0 THEN 0 ELSE 1.0 * sum(conv) / count(*) END) FROM f) FROM p;
SELECT 'top referrers', (SELECT group_concat(json_extract(value, '$.id') || ':' || json_extract(value, '$.referrals') || ':' ||
        json_extract(value, '$.conversions') || ':' || json_extract(value, '$.value_minor') || ':' ||
        coalesce(json_extract(value, '$.partner'), '-'), ' ') FROM json_each(json_extract(r, '$.top_referrers'))),
    (SELECT group_concat(x, ' ') FROM (SELECT f.referrer || ':' || count(*) || ':' || sum(conv) || ':' || sum(value) || ':' ||
        coalesce((SELECT 'P' || substr(pp.id, 2) FROM partners pp WHERE pp.name = f.partner), '-') AS x
        FROM f GROUP BY f.referrer
        ORDER BY count(*) DESC, sum(conv) DESC, CAST(substr(f.referrer, 2) AS INTEGER) LIMIT (SELECT top FROM p))) FROM p;
SELECT 'partner referrals', json_extract(r, '$.partner_contribution.referrals_converted') || ' ' ||
    json_extract(r, '$.partner_contribution.referral_value_minor'),
    (SELECT coalesce(sum(conv), 0) || ' ' || coalesce(sum(value), 0) FROM f WHERE partner IS NOT NULL) FROM p;
-- won deals: in the range by their won time (local day); a program filter
-- leaves out every deal (deals belong to no program), any filter the
-- direct ones
CREATE TEMP VIEW won AS
SELECT d.id, d.source, d.partner, CAST(replace(d.final_value, '.', '') AS INTEGER) AS value,
    date((SELECT json_extract(json_extract(a.j, '$.after'), '$.won_at') FROM audit a
        WHERE json_extract(a.j, '$.record') = d.id AND json_extract(a.j, '$.action') LIKE '%deal change'
        ORDER BY CAST(substr(json_extract(a.j, '$.id'), 2) AS INTEGER) DESC LIMIT 1), 'unixepoch', 'localtime') AS day
FROM deals d WHERE d.stage = 'won';
SELECT 'deals', json_extract(r, '$.partner_contribution.deals_won') || ' ' ||
    json_extract(r, '$.partner_contribution.deal_value_minor') || ' ' ||
    json_extract(r, '$.partner_contribution.direct_deals_won') || ' ' ||
    json_extract(r, '$.partner_contribution.direct_deal_value_minor'),
    (SELECT count(*) || ' ' || coalesce(sum(value), 0) FROM won w WHERE source = 'partner' AND p.prog IS NULL
        AND (p.dfrom IS NULL OR w.day >= p.dfrom) AND w.day <= p.dto
        AND (p.part IS NULL OR w.partner = p.part)
        AND (p.tier IS NULL OR w.partner IN (SELECT partner FROM ptier WHERE tier = p.tier))) || ' ' ||
    (SELECT count(*) || ' ' || coalesce(sum(value), 0) FROM won w WHERE source = 'direct'
        AND p.prog IS NULL AND p.part IS NULL AND p.tier IS NULL
        AND (p.dfrom IS NULL OR w.day >= p.dfrom) AND w.day <= p.dto) FROM p;
-- commission accrued: lines earned in the range, by status
SELECT 'commission accrued', (SELECT group_concat(k || ':' || json_extract(r, '$.commission_accrued.' || k || '.amount_minor') || ':' ||
        json_extract(r, '$.commission_accrued.' || k || '.lines'), ' ')
        FROM (SELECT 'pending' AS k UNION ALL SELECT 'approved' UNION ALL SELECT 'rejected' UNION ALL SELECT 'paid' UNION ALL SELECT 'reversed')),
    (SELECT group_concat(k || ':' || (SELECT coalesce(sum(CAST(replace(c.amount, '.', '') AS INTEGER)), 0) || ':' || count(*)
        FROM commissions c WHERE c.status = k
        AND (p.dfrom IS NULL OR date(c.earned, 'localtime') >= p.dfrom) AND date(c.earned, 'localtime') <= p.dto
        AND (p.prog IS NULL OR c.program = p.prog)
        AND (p.part IS NULL OR c.partner = p.part)
        AND (p.tier IS NULL OR c.partner IN (SELECT partner FROM ptier WHERE tier = p.tier))), ' ')
        FROM (SELECT 'pending' AS k UNION ALL SELECT 'approved' UNION ALL SELECT 'rejected' UNION ALL SELECT 'paid' UNION ALL SELECT 'reversed')) FROM p;
-- the series: every bucket from the first day's to the last day's
SELECT 'series', json_extract(r, '$.bucket') || ' ' || (SELECT group_concat(json_extract(value, '$.start') || ':' ||
        json_extract(value, '$.referrals') || ':' || json_extract(value, '$.conversions'), ' ')
        FROM json_each(json_extract(r, '$.series'))),
    (SELECT b FROM s) || ' ' || (WITH RECURSIVE k(start) AS (
            SELECT CASE (SELECT b FROM s) WHEN 'week' THEN date(s0, '-6 days', 'weekday 1')
                WHEN 'month' THEN strftime('%Y-%m-01', s0) ELSE s0 END FROM s
            UNION ALL
            SELECT CASE (SELECT b FROM s) WHEN 'week' THEN date(start, '+7 days')
                WHEN 'month' THEN date(start, '+1 month') ELSE date(start, '+1 day') END
            FROM k WHERE start < (SELECT CASE b WHEN 'week' THEN date(s1, '-6 days', 'weekday 1')
                WHEN 'month' THEN strftime('%Y-%m-01', s1) ELSE s1 END FROM s))
        SELECT group_concat(start || ':' || (SELECT count(*) FROM bk WHERE bk.start = k.start) || ':' ||
            (SELECT coalesce(sum(conv), 0) FROM bk WHERE bk.start = k.start), ' ') FROM k) FROM p;
SQL
}

# check WHAT ARGS...: ally report --json ARGS against the direct figures
check() {
	_what=$1
	shift
	_from='' _to='' _prog='' _tier='' _part='' _by='' _top=10
	_args="$*"
	while [ $# -gt 0 ]; do
		case $1 in
		--from) _from=$2 ;; --to) _to=$2 ;; --program) _prog=$2 ;; --tier) _tier=$2 ;;
		--partner) _part=$2 ;; --by) _by=$2 ;; --top) _top=$2 ;;
		esac
		shift 2
	done
	ally report --json $_args >report.json 2>report.err
	_rc=$?
	is "$_rc" 0 "$_what: ally report --json $_args (exit 0)"
	compare report.json "$_from" "$_to" "$_prog" "$_tier" "$_part" "$_by" "$_top" >cmp.out 2>cmp.err ||
	    not_ok "$_what: sqlite3" "$(cat cmp.err)"
	while IFS='|' read -r _sec _got _want; do
		is "$_got" "$_want" "$_what: $_sec"
	done <cmp.out
}

check "no filter"

# ---- each filter alone ----
check "program Spring" --program Spring
check "program Autumn (by id)" --program PG2
check "tier Gold" --tier Gold
check "tier Silver" --tier Silver
check "partner Acme" --partner Acme
check "partner Dune, no tier" --partner P4
check "partner Ember, no referrals" --partner Ember

# ---- combined ----
check "program and tier" --program Spring --tier Gold
check "program, partner and range" --program Autumn --partner Cobalt --from 2026-10-01 --to 2026-10-31
check "tier and partner" --tier Gold --partner Bolt --from 2026-09-01 --to 2026-11-15
check "tier and a partner of another tier" --tier Silver --partner Acme
check "program, tier and range" --program Autumn --tier Silver --from 2026-09-14 --to 2026-11-01 --by week

# ---- ranges ending near midnight in Europe/Berlin ----
check "one day: 1 October (22:00Z on the 30th is in)" --from 2026-10-01 --to 2026-10-01
check "one day: 30 September (21:59:59Z is in)" --from 2026-09-30 --to 2026-09-30
check "one day: 24 October, the last of summer time" --from 2026-10-24 --to 2026-10-24
check "one day: 25 October, 25 hours long" --from 2026-10-25 --to 2026-10-25
check "one day: 26 October (23:30Z on the 25th is in)" --from 2026-10-26 --to 2026-10-26
check "one day: 1 November, a deal won at 23:30Z the day before" --from 2026-11-01 --to 2026-11-01
check "one day: 31 October, a deal won at 22:30Z" --from 2026-10-31 --to 2026-10-31
check "from only" --from 2026-11-16
check "to only" --to 2026-10-31
check "to before any referral" --to 2026-08-01
check "from after the last referral" --from 2026-11-20
check "today only, by partner" --from 2026-11-20 --to 2026-11-20 --partner Bolt

# the same, spelt out for the program Edge
run ally report --json --from 2026-10-01 --to 2026-10-01 --program Edge
like "$out" '"total_referrals":1,"conversions":1,"conversion_rate":1.0,"converted_value":"80.00",' \
    "1 October in Berlin holds the referral made at 22:00Z on 30 September, and its conversion"
run ally report --json --from 2026-09-30 --to 2026-09-30 --program Edge --by day
like "$out" '"series":\[\{"start":"2026-09-30","referrals":1,"conversions":0\}\]' \
    "30 September holds the one at 21:59:59Z"
run ally report --json --from 2026-10-25 --to 2026-10-25 --program Edge
like "$out" '"total_referrals":2,' "25 October (CEST to CET) holds 22:00Z on the 24th and 22:30Z on the 25th"
run ally report --json --from 2026-10-26 --to 2026-10-26 --program Edge
like "$out" '"total_referrals":1,"conversions":1,' "26 October holds 23:30Z on the 25th"
run ally report --json --from 2026-11-09 --to 2026-11-20 --program Edge --by week
like "$out" '"series":\[\{"start":"2026-11-09","referrals":1,"conversions":0\},\{"start":"2026-11-16","referrals":1,"conversions":0\}\]' \
    "weeks from Monday: 22:59:59Z on Sunday 15 November ends one, 23:30Z starts the next"
run ally report --json --program Edge --by month
like "$out" '"series":\[\{"start":"2026-09-01","referrals":1,"conversions":0\},\{"start":"2026-10-01","referrals":5,"conversions":2\},\{"start":"2026-11-01","referrals":2,"conversions":0\}\]' \
    "per month in the zone: 1, 5, 2"
run ally report --json --from 2026-11-01 --to 2026-11-01
like "$out" '"deals_won":1,"deal_value":"9000.00","deal_value_minor":900000,"direct_deals_won":0,' \
    "the deal won at 23:30Z on 31 October is won on 1 November"

# ---- the CSV carries the same figures ----
run ally report --csv --program Edge --by month
is "$(printf '%s\n' "$out" | tr -d '\r')" "section,name,count,amount,currency
figures,total_referrals,8,,
figures,conversions,2,334.50,EUR
figures,conversion_rate,0.2500,,
top_referrers,Dee,8,334.50,EUR
partner_contribution,referrals_converted,0,0.00,EUR
partner_contribution,deals_won,0,0.00,EUR
partner_contribution,direct_deals_won,0,0.00,EUR
commission_accrued,pending,2,33.45,EUR
commission_accrued,approved,0,0.00,EUR
commission_accrued,rejected,0,0.00,EUR
commission_accrued,paid,0,0.00,EUR
commission_accrued,reversed,0,0.00,EUR
month,2026-09-01,1,0,
month,2026-10-01,5,2,
month,2026-11-01,2,0," "report --csv: the Edge program per month (CRLF lines)"
like "$out" "$(printf '^section,name,count,amount,currency\r')" "report --csv ends lines with CRLF"

# ---- the series per day, week (from Monday) and month ----
check "per day across the end of summer time" --from 2026-10-20 --to 2026-10-30 --by day
check "per day, no filter" --by day
check "per week from a Wednesday" --from 2026-09-30 --to 2026-10-26 --by week
check "per week, partner" --partner Acme --by week
check "per month" --by month
check "per month from mid-month" --from 2026-09-15 --to 2026-11-20 --by month --program Spring
check "default bucket: more than a year is per month" --from 2025-10-01
check "default bucket: 62 days is per day" --from 2026-09-20 --to 2026-11-20
check "default bucket: 63 days is per week" --from 2026-09-19 --to 2026-11-20

# ---- top referrers ----
check "top 3" --top 3
check "top 1, Autumn" --top 1 --program Autumn
check "top 1000, one month" --top 1000 --from 2026-10-01 --to 2026-10-31
run ally report --json --top 2
like "$out" '"top_referrers":\[\{"id":"R1","name":"Acme","partner":"P1","referrals":140,[^]]*\},\{"id":"R3","name":"Cobalt","partner":"P3","referrals":70,"conversions":34,' \
    "top referrers: Acme, then Cobalt (70 referrals like Bolt, more converted), with their partners"
run ally report --json --top 3 --program Spring
like "$out" '"top_referrers":\[\{"id":"R1",[^]]*\},\{"id":"R2","name":"Bolt","partner":"P2","referrals":70,[^]]*\},\{"id":"R5","name":"Ann","partner":null,"referrals":36,' \
    "top referrers in Spring: Acme, Bolt, then Ann, a customer (no partner)"

# ---- a refund lowers the converted value, at once ----
before=$(ally report --json --program Edge --from 2026-10-26 --to 2026-10-26)
like "$before" '"converted_value_minor":25450,' "the 300.00 conversion refunded by 45.50 counts 254.50"
ally track refund --program Edge --id E-6 --amount 54.50 --at 2026-11-19T10:00:00Z >/dev/null
run ally report --json --program Edge --from 2026-10-26 --to 2026-10-26
like "$out" '"conversions":1,"conversion_rate":1.0,"converted_value":"200.00","converted_value_minor":20000,' \
    "another refund of 54.50: 200.00, still one conversion"
ally export conversions --csv >conversions.csv
ally export commissions --csv >commissions.csv
sqlite3 direct.db "DROP TABLE conversions; DROP TABLE commissions;" ".import --csv conversions.csv conversions" \
    ".import --csv commissions.csv commissions"
check "after the refund" --program Edge
check "after the refund, no filter"
run ally check
is "$out" "ok: no problems found" "ally check after the refund"

# ---- a partner moving to another tier takes its figures along (tiers
# are the partner's current one, on both sides) ----
ally partner edit Dune --tier Silver >/dev/null || echo "# partner edit --tier failed"
ally export partners --csv >partners.csv
sqlite3 direct.db "DROP TABLE partners;" ".import --csv partners.csv partners"
check "tier Silver, Dune moved in" --tier Silver
check "tier Silver, Dune moved in, one month" --tier Silver --from 2026-10-01 --to 2026-10-31 --by day
check "to in the future" --to 2026-12-31 --tier Gold

# ---- reading changes nothing ----
bad 0 '' "report changes nothing" -- sh -c '"$0" report --json --tier Gold >/dev/null' "$ALLY"

# ---- bad input: exit status, one line, database unchanged ----
bad 65 'ally: report: from: 2026-10-10 is after --to' "--from after --to" -- \
    ally report --from 2026-10-10 --to 2026-10-01
bad 65 'ally: report: from: 2026-12-01 is after today' "--from after today (the default --to)" -- \
    ally report --from 2026-12-01
bad 65 'ally: report: from: "2026-13-01" is not a valid date (want YYYY-MM-DD)' "month 13" -- \
    ally report --from 2026-13-01
bad 65 'ally: report: to: "2026-02-30" is not a valid date (February 2026 has 28 days)' "30 February" -- \
    ally report --to 2026-02-30
bad 65 'ally: report: from: "20261001" is not a valid date (want YYYY-MM-DD)' "a date without dashes" -- \
    ally report --from 20261001
bad 65 'ally: report: from: "2026-10-01T10:00:00Z" is not a valid date (want YYYY-MM-DD)' \
    "a time where a day is wanted" -- ally report --from 2026-10-01T10:00:00Z
bad 65 'ally: report: by: "nonsense" must be day, week or month' "--by nonsense" -- \
    ally report --by nonsense
bad 65 'ally: report: by: "Week" must be day, week or month' "--by is case-sensitive" -- \
    ally report --by Week --json
bad 64 'ally: report: --top: 0 is out of range (1..1000) (see ally report --help)' "--top 0" -- \
    ally report --top 0
bad 64 'ally: report: --top: 1001 is out of range (1..1000) (see ally report --help)' "--top 1001" -- \
    ally report --top 1001
bad 64 'ally: report: --top: expected a whole number (see ally report --help)' "--top x" -- \
    ally report --top x
bad 66 'ally: report: program "Nope" not found' "unknown program" -- ally report --program Nope
bad 66 'ally: report: tier "Nope" not found' "unknown tier" -- ally report --tier Nope --json
bad 66 'ally: report: partner "Nope" not found' "unknown partner" -- ally report --partner Nope --csv
bad 66 'ally: report: partner "PG1" not found' "a program's id as a partner" -- ally report --partner PG1
bad 64 'ally: report: give --csv or --json, not both (see ally report --help)' "--csv and --json" -- \
    ally report --csv --json
bad 64 'ally: report: unexpected argument "extra" (see ally report --help)' "an argument" -- \
    ally report extra

done_testing
