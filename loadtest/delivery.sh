#!/usr/bin/env bash
# Delivery benchmarks (issue 4), each against a release-built gateway on a fresh SQLite database, with the load
# generator's delivery sink on 127.0.0.1 as the target:
#
#   loadtest/delivery.sh throughput [--events-seconds 20]   # (a) deliveries/s draining a backlog to a fast sink
#   loadtest/delivery.sh latency [--rate 500] [--duration 30] # (b) provider request → target received, p50/p99
#   loadtest/delivery.sh backlog [--pending 1000000] [--duration 60] [--rate 200]
#                                                           # (c) RSS with a million pending deliveries for a dead
#                                                           #     target while a healthy one keeps receiving
#   loadtest/delivery.sh replay [--pending 1000000] [--duration 60] [--rate 1000]
#                                                           # ingest latency and 503s at --rate while a bulk replay
#                                                           # queues --pending dead deliveries (from 5 s in)
#
# SKIP_BUILD=1 reuses the release binaries; KEEP=1 keeps the work directory.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:?throughput, latency or backlog}; shift
events_seconds=20 rate=500 duration=30 pending=1000000
while [ $# -gt 0 ]; do
    case "$1" in
        --events-seconds) events_seconds=$2; shift 2 ;;
        --rate) rate=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        --pending) pending=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
if [ -z "${SKIP_BUILD:-}" ]; then
    swift build -c release --product hookgate >&2
    swift build -c release --product hookgate-loadtest >&2
fi
bin=.build/release
work=$(mktemp -d /tmp/hookgate-delivery.XXXXXX)
ingest_port=18443 admin_port=18090 sink_port=18500 secret=whsec_loadtest_secret admin_token=loadtest_admin_token_0123456789
cat > "$work/routes.yaml" <<YAML
server:
  listen: 127.0.0.1:$ingest_port
  admin_listen: 127.0.0.1:$admin_port
  rate_limit: { per_ip_per_second: 0 }
storage:
  url: "sqlite://$work/hookgate.sqlite"
sources:
  - { id: stripe, provider: stripe, secrets: ["$secret"] }
targets:
  - { id: healthy, url: "http://127.0.0.1:$sink_port/events", max_in_flight: 64 }
  - { id: dead, url: "http://127.0.0.1:9/events" }
routes:
  - { name: everything, match: { types: ["*"] }, targets: [healthy] }
admin:
  tokens:
    - { name: loadtest, token: $admin_token, role: admin }
YAML

gateway=
start_gateway() {
    "$bin/hookgate" serve --config "$work/routes.yaml" --log-level warning "$@" >> "$work/gateway.log" 2>&1 &
    gateway=$!
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$admin_port/readyz" >/dev/null && return; sleep 0.1; done
    echo "gateway did not start" >&2; cat "$work/gateway.log" >&2; exit 1
}
stop_gateway() { kill -TERM "$gateway"; wait "$gateway" || true; }
# However the run ends, the gateway stops and its storage goes (KEEP=1 keeps it to look at).
trap 'kill $gateway 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
sample_rss() { ( while kill -0 "$gateway" 2>/dev/null; do ps -o rss= -p "$gateway" >> "$work/rss.txt" || true; sleep 1; done ) & }
report_rss() {
    python3 - "$work/rss.txt" <<'PY'
import sys
rss = [int(line) // 1024 for line in open(sys.argv[1]) if line.strip()]
if rss:
    print(f"memory     RSS MiB: start {rss[0]}, max {max(rss)}, end {rss[-1]} ({len(rss)} samples)")
PY
}
load="$bin/hookgate-loadtest --url http://127.0.0.1:$ingest_port/webhooks/stripe --secret $secret --connections 64"
echo "machine: $(nproc) cores; SQLite; gateway, load generator and sink on this host"

case "$mode" in
    throughput)
        # Phase 1 stores a backlog without delivering; phase 2 delivers it and the sink times the drain.
        start_gateway --no-delivery
        $load --duration "$events_seconds" --json-output "$work/ingest.json" | grep -E "requests|accepted"
        stop_gateway
        accepted=$(python3 -c "import json; print(json.load(open('$work/ingest.json'))['accepted'])")
        $bin/hookgate-loadtest --url http://unused:1/ --secret x --sink-only --sink-port $sink_port --expect "$accepted" --duration 600 &
        sink=$!
        sleep 0.5
        start_gateway --no-ingest
        sample_rss
        wait $sink
        stop_gateway
        report_rss ;;
    latency)
        start_gateway
        sample_rss
        $load --rate "$rate" --duration "$duration" --sink-port $sink_port
        stop_gateway
        report_rss ;;
    backlog|replay)
        status=pending
        [ "$mode" = replay ] && status=dead
        "$bin/hookgate" migrate --config "$work/routes.yaml" > /dev/null
        python3 - "$work/hookgate.sqlite" "$pending" "$status" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1]); count = int(sys.argv[2]); status = sys.argv[3]; now = int(time.time() * 1_000_000)
db.execute("INSERT INTO receipts VALUES ('rcp_backlog', 'stripe', 'backlog', 'normalized', ?, '{}', x'7b7d')", (now,))
db.execute("""WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)
              INSERT INTO events (id, receipt_id, seq, source, type, subject, time, payload)
              SELECT printf('evt_backlog_%09d', i), 'rcp_backlog', i, 'stripe', 'payment.succeeded', NULL, ?,
                     CAST('{"specversion":"1.0","type":"payment.succeeded"}' AS BLOB) FROM n""", (count, now))
db.execute("""WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)
              INSERT INTO deliveries (id, event_id, destination, status, attempts, next_attempt_at, created_at, updated_at)
              SELECT printf('dlv_backlog_%09d', i), printf('evt_backlog_%09d', i), 'target:dead', ?, 0, ?, ?, ? FROM n""",
           (count, status, now, now, now))
db.commit()
print(f"preloaded  {count} {status} deliveries for target:dead")
PY
        start_gateway
        sample_rss
        if [ "$mode" = replay ]; then
            # The replay starts 5 s into the load; its answer comes once every chunk is queued.
            ( sleep 5
              start=$(date +%s.%N)
              curl -s -X POST "http://127.0.0.1:$admin_port/v1/replays" -H "Authorization: Bearer $admin_token" \
                  -H 'Content-Type: application/json' -d '{"filter":{"status":"dead","destination":"target:dead"}}' > "$work/replay.json"
              echo "replay     $(cat "$work/replay.json") in $(python3 -c "print(round($(date +%s.%N) - $start, 2))") s" ) &
            replayer=$!
        fi
        $load --rate "$rate" --duration "$duration" --sink-port $sink_port
        [ "$mode" = replay ] && wait "$replayer"
        curl -s "http://127.0.0.1:$admin_port/metrics" | grep -E '^hookgate_(delivery_backlog|circuit_state)' | grep -v 'state="in_flight"' || true
        stop_gateway
        report_rss ;;
    *) echo "mode is throughput, latency, backlog or replay" >&2; exit 2 ;;
esac
