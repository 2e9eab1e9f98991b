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

[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product hookgate >&2
bin=${BIN:-.build/release}  # BIN=.build/debug tries the script on a debug build
work=$(mktemp -d /tmp/hookgate-pages.XXXXXX)
gateway= db=
cleanup() {
    [ -z "$gateway" ] || kill "$gateway" 2>/dev/null || true
    rm -rf "$work"
    [ -z "$db" ] || psql "$base/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
}
trap cleanup EXIT
ingest_port=18443 admin_port=18090 secret=whsec_pages_secret token=pages-admin-token-0123456789abcdef

case "$backend" in
    sqlite) storage="sqlite://$work/hookgate.sqlite" ;;
    postgres)
        base=$(.ci/postgres.sh)
        base=${base%/*}
        db="pages_$(date +%s)"
        psql "$base/postgres" -qc "CREATE DATABASE $db"
        storage="$base/$db" ;;
    *) echo "--backend is sqlite or postgres" >&2; exit 2 ;;
esac

cat > "$work/routes.yaml" <<YAML
server:
  listen: 127.0.0.1:$ingest_port
  admin_listen: 127.0.0.1:$admin_port
  rate_limit: { per_ip_per_second: 0 }
admin:
  tokens: [{ name: pages, token: "$token", role: admin }]
storage:
  url: "$storage"
sources:
  - { id: stripe, provider: stripe, secrets: ["$secret"] }
targets:
  - { id: billing, url: "http://127.0.0.1:9/billing" }
  - { id: ledger, url: "http://127.0.0.1:9/ledger" }
routes:
  - { name: everything, match: { types: ["*"] }, targets: [billing, ledger] }
YAML

serve() {
    # No delivery workers: the seeded pending deliveries stay as seeded, and the reads are all that runs.
    "$bin/hookgate" serve --config "$work/routes.yaml" --log-level warning --no-delivery >> "$work/gateway.log" 2>&1 &
    gateway=$!
    for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$admin_port/readyz" >/dev/null && return; sleep 0.1; done
    cat "$work/gateway.log" >&2
    exit 1
}
stop() {
    kill -TERM "$gateway"
    wait "$gateway" || true
    gateway=
}

serve
for fixture in payment_intent.succeeded charge.refunded customer.created invoice.payment_failed; do
    body=Tests/Fixtures/stripe/$fixture.json
    curl -fsS -o /dev/null -H "$("$bin/hookgate" sign --provider stripe --secret "$secret" "$body")" \
        -H 'Content-Type: application/json' --data-binary @"$body" "http://127.0.0.1:$ingest_port/webhooks/stripe"
done
stop
case "$backend" in
    sqlite) python3 loadtest/seed.py sqlite "$work/hookgate.sqlite" "$events" ;;
    postgres) python3 loadtest/seed.py postgres "$storage" "$events" ;;
esac
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
