#!/usr/bin/env bash
# gen-pareto.sh N [PARTNERS] - print N JSON Lines events in time order:
# N/2 referrals, each followed an hour later by its conversion, on the
# codes PX1..PX<PARTNERS> (200), chosen so that partner shares follow a
# Pareto law of shape 1.2 (weight of the k-th partner k^-(1 + 1/1.2); the
# biggest brings about half).  Times run evenly over the 200 days before
# NOW_EPOCH (default: now); amounts 10.00 to 909.99.  UNIFORM=1 gives
# every partner the same share.  RENEW=1: N/3 referrals, each conversion
# followed two hours later by a renewal of the contact referred a tenth
# of the run earlier (same code), so a recurring rule sees its repeats.
set -euo pipefail
n=$1 partners=${2:-200}
awk -v n="$n" -v np="$partners" -v now="${NOW_EPOCH:-$(date +%s)}" -v uniform="${UNIFORM:-0}" \
    -v renew="${RENEW:-0}" '
	BEGIN {
		srand(12);
		for (k = 1; k <= np; k++) {
			w = uniform ? 1 : k ^ -(1 + 1 / 1.2);
			tot += w;
			cum[k] = tot;
		}
		pairs = int(n / (renew ? 3 : 2));
		lag = int(pairs / 10);
		t0 = now - 86400 * 200;
		step = (86400 * 199) / (pairs > 0 ? pairs : 1);
		for (i = 1; i <= pairs; i++) {
			u = rand() * tot;
			lo = 1; hi = np;
			while (lo < hi) { mid = int((lo + hi) / 2); if (cum[mid] < u) lo = mid + 1; else hi = mid }
			t = int(t0 + i * step);
			at = strftime("%Y-%m-%dT%H:%M:%SZ", t, 1);
			printf "{\"type\":\"referral\",\"code\":\"PX%d\",\"email\":\"b%d@bench.example\",\"at\":\"%s\"}\n", lo, i, at;
			printf "{\"type\":\"conversion\",\"code\":\"PX%d\",\"email\":\"b%d@bench.example\",\"event\":\"purchase\",\"amount\":\"%d.%02d\",\"id\":\"B-%d\",\"at\":\"%s\"}\n", lo, i, 10 + i % 900, i % 100, i, strftime("%Y-%m-%dT%H:%M:%SZ", t + 3600, 1);
			code[i] = lo;
			if (renew && i > lag && lag > 0)
				printf "{\"type\":\"conversion\",\"code\":\"PX%d\",\"email\":\"b%d@bench.example\",\"event\":\"purchase\",\"amount\":\"%d.%02d\",\"id\":\"R-%d\",\"at\":\"%s\"}\n", code[i - lag], i - lag, 10 + i % 900, i % 100, i, strftime("%Y-%m-%dT%H:%M:%SZ", t + 7200, 1);
		}
	}'
