#!/usr/bin/env bash
# Erase one customer from a big store while ingesting: a store seeded with --events events
# (loadtest/lib/seeded-store.sh), five webhooks naming one new customer, then --rate webhooks/s for --duration s
# with the erasure (by that customer's email) started ten seconds in. Prints how long the erasure took from start
# to done, what it erased, and the load's summary (its statuses show any 503). With --worst the erasure is of the
# seeded customer.created copies' own email instead: a quarter of the store names that one customer.
#
#   loadtest/erase.sh [--backend sqlite|postgres] [--events 1000000] [--rate 1000] [--duration 90] [--worst]
set -euo pipefail
cd "$(dirname "$0")/.."

backend=sqlite events=1000000 rate=1000 duration=90 worst=
while [ $# -gt 0 ]; do
    case "$1" in
        --backend) backend=$2; shift 2 ;;
        --events) events=$2; shift 2 ;;
        --rate) rate=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        --worst) worst=1; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product hookgate-loadtest >&2
source loadtest/lib/seeded-store.sh

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; backend $backend; $events seeded events; $rate/s for $duration s"
serve
email="ana.$(date +%s)@example.com"
[ -z "$worst" ] || email=jenny.rosen@example.com
for n in 1 2 3 4 5; do
    sed -e "s/jenny.rosen@example.com/$email/" -e "s/evt_1PZkG0LkdIwHu7ixCust0created/evt_erase_$n$(date +%s)/" \
        Tests/Fixtures/stripe/customer.created.json > "$work/customer.json"
    curl -fsS -o /dev/null -H "$("$bin/hookgate" sign --provider stripe --secret "$secret" "$work/customer.json")" \
        -H 'Content-Type: application/json' --data-binary @"$work/customer.json" "http://127.0.0.1:$ingest_port/webhooks/stripe"
done
"$bin/hookgate-loadtest" --url "http://127.0.0.1:$ingest_port/webhooks/stripe" --secret "$secret" --provider stripe \
    --connections 64 --duration "$duration" --rate "$rate" > "$work/load.txt" &
load=$!
sleep 10
export HOOKGATE_ADMIN_URL="http://127.0.0.1:$admin_port" HOOKGATE_ADMIN_TOKEN="$token"
started=$(date +%s.%N)
"$bin/hookgate" erase --customer-email "$email" --json > "$work/erasure.json"
finished=$(date +%s.%N)
wait "$load"
python3 - "$work/erasure.json" "$started" "$finished" <<'PY'
import json, sys
erasure = json.load(open(sys.argv[1]))
print(f"erasure {erasure['id']}: {erasure['state']} in {float(sys.argv[3]) - float(sys.argv[2]):.1f} s "
      f"(the CLI's start to done); scanned {erasure['scanned']} of {erasure['total']} events; "
      f"erased {erasure['events']} events, {erasure['receipts']} receipts, {erasure['deliveries_cancelled']} deliveries cancelled")
PY
cat "$work/load.txt"
stop
