#!/usr/bin/env bash
# Starts a release-built gateway on a fresh database, drives signed webhooks at it with hookgate-loadtest, samples
# the gateway's resident memory each second, reports the CPU that the gateway, PostgreSQL and the load generator
# spent per request (and the hypervisor's steal), then checks that the number of stored events equals the number of
# accepted answers.
#
#   loadtest/run.sh [--backend sqlite|postgres] [--tls] [--connections 64] [--duration 60] [--rate 0]
#                   [--payload-bytes 1500] [--provider stripe|twilio|shopify|woocommerce|nmi|customerio] [--forge]
#
# --rate 0 is closed loop (maximum throughput); --rate N paces N requests/s, the connections taking turns so that
# one request goes every 1/N s, and measures latency from each request's scheduled time. --forge signs with a wrong
# secret, so every request is read, verified and refused (401): the verification path alone, without storage. PostgreSQL comes from .ci/postgres.sh (installed and started when missing).
# SKIP_BUILD=1 skips the release build. KEEP=1 keeps the work directory (config, gateway log, results, memory samples) for inspection.
set -euo pipefail
cd "$(dirname "$0")/.."

backend=sqlite tls=0 connections=64 duration=60 rate=0 payload=1500 provider=stripe forge=0
while [ $# -gt 0 ]; do
    case "$1" in
        --backend) backend=$2; shift 2 ;;
        --tls) tls=1; shift ;;
        --connections) connections=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        --rate) rate=$2; shift 2 ;;
        --payload-bytes) payload=$2; shift 2 ;;
        --provider) provider=$2; shift 2 ;;
        --forge) forge=1; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

if [ -z "${SKIP_BUILD:-}" ]; then  # SKIP_BUILD=1 reuses the release binaries of an earlier run
    swift build -c release --product hookgate >&2
    swift build -c release --product hookgate-loadtest >&2
fi
bin=${BIN:-.build/release}  # BIN=dir runs another build (an earlier commit's, for a before/after pair)
work=$(mktemp -d /tmp/hookgate-loadtest.XXXXXX)
gateway= db=
# However the run ends, the gateway stops and its storage goes (KEEP=1 keeps it to look at).
cleanup() {
    [ -z "$gateway" ] || kill "$gateway" 2>/dev/null || true
    [ -z "${KEEP:-}" ] || return 0
    rm -rf "$work"
    [ -z "$db" ] || psql "$base/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
}
trap cleanup EXIT
ingest_port=18443 admin_port=18090
secret=whsec_loadtest_secret

source loadtest/lib/fresh-storage.sh

scheme=http tls_line=""
if [ "$tls" = 1 ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 \
        -keyout "$work/server.key" -out "$work/server.crt" 2>/dev/null
    scheme=https tls_line="  tls: { cert: $work/server.crt, key: $work/server.key }"
fi

cat > "$work/routes.yaml" <<YAML
server:
  listen: 127.0.0.1:$ingest_port
  admin_listen: 127.0.0.1:$admin_port
$tls_line
  rate_limit: { per_ip_per_second: 0 }
storage:
  url: "$storage"
sources:
  - { id: $provider, provider: $provider, secrets: ["$secret"], public_url: "$scheme://127.0.0.1:$ingest_port" }
targets:
  - { id: billing, url: "http://127.0.0.1:9/events" }
routes:
  - { name: everything, match: { types: ["*"] }, targets: [billing] }
YAML

sync  # flush earlier runs' dirty pages, so their writeback does not slow this run's fsyncs
# Ingest alone: delivery workers would spend the same disk on attempts to the (absent) target.
"$bin/hookgate" serve --config "$work/routes.yaml" --log-level warning --no-delivery > "$work/gateway.log" 2>&1 &
gateway=$!
# Ready (admin /readyz) means storage reachable and the public listener accepting.
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$admin_port/readyz" >/dev/null && break; sleep 0.1; done
( while kill -0 "$gateway" 2>/dev/null; do ps -o rss= -p "$gateway" >> "$work/rss.txt" || true; sleep 1; done ) &

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; backend $backend; $scheme; gateway and load generator on this host"
sign_secret=$secret
[ "$forge" = 1 ] && sign_secret="forged-$secret"
python3 loadtest/cpu.py snapshot "$gateway" "$backend" > "$work/cpu-before.json"
TIMEFORMAT='%U %S'
{ time "$bin/hookgate-loadtest" --url "$scheme://127.0.0.1:$ingest_port/webhooks/$provider" --secret "$sign_secret" \
    --provider "$provider" --connections "$connections" --duration "$duration" --rate "$rate" --payload-bytes "$payload" \
    --json-output "$work/result.json" 2>&3; } 3>&2 2> "$work/loadgen-cpu.txt"
python3 loadtest/cpu.py snapshot "$gateway" "$backend" > "$work/cpu-after.json"
python3 loadtest/cpu.py report "$work/cpu-before.json" "$work/cpu-after.json" "$work/loadgen-cpu.txt" "$work/result.json"

kill -TERM "$gateway"
wait "$gateway" || true
gateway=

accepted=$(python3 -c "import json; print(json.load(open('$work/result.json'))['accepted'])")
case "$backend" in
    sqlite) stored=$(python3 -c "import sqlite3; print(sqlite3.connect('$work/hookgate.sqlite').execute('select count(*) from events').fetchone()[0])") ;;
    postgres) stored=$(psql "$storage" -tAc "select count(*) from events") ;;
esac
python3 - "$work/rss.txt" <<'PY'
import sys
rss = [int(line) // 1024 for line in open(sys.argv[1]) if line.strip()]
if rss:
    third = max(1, len(rss) // 3)
    print(f"memory     RSS MiB: start {rss[0]}, after first third {rss[third]}, max {max(rss)}, end {rss[-1]} ({len(rss)} samples)")
PY
echo "stored     $stored events; acknowledged $accepted"
if [ "$stored" != "$accepted" ]; then
    echo "MISMATCH: stored events differ from acknowledged ones" >&2
    exit 1
fi
echo "check      stored == acknowledged"
