#!/usr/bin/env bash
# Times the admin API reads behind the console's first pages on a store of many events: a release-built gateway
# ingests a few real Stripe webhooks, loadtest/seed.py copies them to --events events (each with a receipt and a
# delivery, 1 % dead), and then each read is timed 20 times (after 3 warm-up reads) with curl on 127.0.0.1. The
# seeded types are payment.succeeded, payment.refunded, customer.created and subscription.payment_failed, a quarter
# each; payment.disputed matches none, the worst case for a type filter.
#
#   loadtest/console-pages.sh [--backend sqlite|postgres] [--events 1000000]
#
# The time reported is curl's time to the first byte of the answer minus its time to send the request: the
# gateway's own time for the read, with no TLS and no network. SKIP_BUILD=1 reuses the release binary.
set -euo pipefail
cd "$(dirname "$0")/.."

backend=sqlite events=1000000
while [ $# -gt 0 ]; do
    case "$1" in
        --backend) backend=$2; shift 2 ;;
        --events) events=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

source loadtest/lib/seeded-store.sh
serve

# A subject and a dead delivery's destination from the seeded rows, for the search and the filtered list.
subject=$(curl -fsS -H "Authorization: Bearer $token" "http://127.0.0.1:$admin_port/v1/events?limit=1" | python3 -c \
    'import json, sys; print(json.load(sys.stdin)["data"][0].get("subject", ""))')
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; backend $backend; $events seeded events"
printf '%-58s %9s %9s %9s\n' "read (what the console asks for)" "median ms" "max ms" "first ms"
for path in \
    "/v1/events" \
    "/v1/events?type=payment.refunded" \
    "/v1/events?type=payment.*" \
    "/v1/events?type=payment.disputed" \
    "/v1/events?search=$subject" \
    "/v1/deliveries" \
    "/v1/deliveries?status=dead" \
    "/v1/deliveries?status=dead&destination=target:ledger" \
    "/v1/destinations" \
    "/v1/stats/ingest"; do
    times=()
    for run in $(seq 1 23); do
        times+=("$(curl -fsS -o /dev/null -H "Authorization: Bearer $token" -w '%{time_starttransfer} %{time_pretransfer}' \
            "http://127.0.0.1:$admin_port$path" | awk '{printf "%.1f", ($1 - $2) * 1000}')")
    done
    printf '%s\n' "${times[@]}" | python3 -c '
import statistics, sys
path = sys.argv[1]
times = [float(line) for line in sys.stdin]
warm = times[3:]
print(f"{path:<58} {statistics.median(warm):9.1f} {max(warm):9.1f} {times[0]:9.1f}")' "$path"
done
