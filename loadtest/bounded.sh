#!/usr/bin/env bash
# Bounded storage (issue 17): the same paced load for --duration s twice on fresh storage, delivered to the load
# generator's own sink, first with `retention: { events: 5m, receipt_bodies: 2m }` and then with retention off
# (the baseline). Every minute it prints the database's size on disk (SQLite: the file and its WAL; PostgreSQL:
# pg_database_size), then each run's summary, so the two p99s compare directly.
#
#   loadtest/bounded.sh [--backend sqlite|postgres] [--rate 1000] [--duration 1800]
#
# SKIP_BUILD=1 reuses the release binaries.
set -euo pipefail
cd "$(dirname "$0")/.."

backend=sqlite rate=1000 duration=1800
while [ $# -gt 0 ]; do
    case "$1" in
        --backend) backend=$2; shift 2 ;;
        --rate) rate=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
if [ -z "${SKIP_BUILD:-}" ]; then
    swift build -c release --product hookgate >&2
    swift build -c release --product hookgate-loadtest >&2
fi
bin=.build/release
ingest_port=18443 admin_port=18090 sink_port=18500 secret=whsec_bounded_secret
gateway= db= work=
cleanup() {
    [ -z "$gateway" ] || kill "$gateway" 2>/dev/null || true
    [ -z "$work" ] || rm -rf "$work"
    [ -z "$db" ] || psql "$base/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
}
trap cleanup EXIT

size() {
    case "$backend" in
        sqlite) du -cb "$work"/hookgate.sqlite* | tail -1 | cut -f1 ;;
        postgres) psql "$storage" -Atc "SELECT pg_database_size(current_database())" ;;
    esac
}

# run <retention YAML> <label>: one run on fresh storage.
run() {
    work=$(mktemp -d /tmp/hookgate-bounded.XXXXXX)
    source loadtest/lib/fresh-storage.sh
    cat > "$work/routes.yaml" <<YAML
server:
  listen: 127.0.0.1:$ingest_port
  admin_listen: 127.0.0.1:$admin_port
  rate_limit: { per_ip_per_second: 0 }
storage:
  url: "$storage"
sources:
  - { id: stripe, provider: stripe, secrets: ["$secret"] }
targets:
  - { id: sink, url: "http://127.0.0.1:$sink_port/events", max_in_flight: 64 }
routes:
  - { name: everything, match: { types: ["*"] }, targets: [sink] }
retention: $1
YAML
    "$bin/hookgate" serve --config "$work/routes.yaml" --log-level notice >> "$work/gateway.log" 2>&1 &
    gateway=$!
    for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$admin_port/readyz" >/dev/null && break; sleep 0.1; done
    echo "== $2"
    "$bin/hookgate-loadtest" --url "http://127.0.0.1:$ingest_port/webhooks/stripe" --secret "$secret" --provider stripe \
        --connections 64 --duration "$duration" --rate "$rate" --sink-port "$sink_port" > "$work/load.txt" &
    local load=$! started=$SECONDS
    while kill -0 "$load" 2>/dev/null; do
        sleep 60
        kill -0 "$load" 2>/dev/null || break
        echo "  after $(( (SECONDS - started) / 60 )) min: $(( $(size) / 1048576 )) MiB"
    done
    wait "$load"
    cat "$work/load.txt"
    { grep -c "pruned by retention" "$work/gateway.log" || true; } | sed 's/^/  pruning passes that removed something: /'
    { grep "pruned by retention" "$work/gateway.log" || true; } | grep -o 'hookgate.pass.seconds=[0-9.]*' | cut -d= -f2 |
        awk '{ printf "%s%.0f", (NR > 1 ? " " : "  their seconds: "), $1 } END { if (NR) print "" }'
    kill -TERM "$gateway"; wait "$gateway" || true; gateway=
    rm -rf "$work"; work=
    [ -z "$db" ] || psql "$base/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"; db=
}

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); backend $backend; $rate/s for $duration s"
run "{ events: 5m, receipt_bodies: 2m, audit: 0 }" "retention events: 5m, receipt_bodies: 2m"
run "{ events: 0, receipt_bodies: 0, audit: 0 }" "retention off (baseline)"
