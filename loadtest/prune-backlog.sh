#!/usr/bin/env bash
# Ingest while retention prunes a big backlog: a store seeded with --events events spread over seven days
# (loadtest/lib/seeded-store.sh), then two runs of the same paced load (--rate webhooks/s for --duration s): first
# with retention off (the baseline), then with `events: 1d` and `receipt_bodies: 1d`, so that the gateway's first
# background pass (a minute after start) has six sevenths of the store to remove while the load runs; give
# --duration well over 60. Prints both runs' summaries (the
# statuses show any 503) and what the pass removed, from /metrics.
#
#   loadtest/prune-backlog.sh [--backend sqlite|postgres] [--events 1000000] [--rate 1000] [--duration 120]
set -euo pipefail
cd "$(dirname "$0")/.."

backend=sqlite events=1000000 rate=1000 duration=120
while [ $# -gt 0 ]; do
    case "$1" in
        --backend) backend=$2; shift 2 ;;
        --events) events=$2; shift 2 ;;
        --rate) rate=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product hookgate-loadtest >&2
source loadtest/lib/seeded-store.sh

load() {
    "$bin/hookgate-loadtest" --url "http://127.0.0.1:$ingest_port/webhooks/stripe" --secret "$secret" --provider stripe \
        --connections 64 --duration "$duration" --rate "$rate"
}
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; backend $backend; $events seeded events; $rate/s for $duration s"
echo "== baseline: retention off"
serve
load
stop
echo "== retention events: 1d, receipt_bodies: 1d (the first pass starts a minute into the load)"
started=$(date +%s)
serve "{ receipt_bodies: 1d, events: 1d, audit: 0 }"
load
curl -fsS "http://127.0.0.1:$admin_port/metrics" | grep -E '^hookgate_(pruned_rows_total|storage_bytes)' || true
finished=$(grep -m1 'pruned by retention' "$work/gateway.log" | cut -c1-25 || true)
echo "first pass finished at ${finished:-"(not within the run)"}; the gateway started at $(date -u -d "@$started" +%Y-%m-%dT%H:%M:%S)"
stop
