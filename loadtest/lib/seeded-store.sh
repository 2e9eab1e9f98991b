# Sourced by loadtest scripts that need a big store (console-pages.sh, prune-backlog.sh): a release gateway on a
# fresh database of $backend, which ingests four real Stripe webhooks, and loadtest/seed.py copying them to
# $events events. Sets work, storage, bin, token, secret, ingest_port, admin_port; defines serve [retention lines]
# and stop. The gateway is stopped and the storage removed when the script exits.

[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product hookgate >&2
bin=${BIN:-.build/release}  # BIN=.build/debug tries the script on a debug build
work=$(mktemp -d /tmp/hookgate-seeded.XXXXXX)
gateway= db=
cleanup() {
    [ -z "$gateway" ] || kill "$gateway" 2>/dev/null || true
    rm -rf "$work"
    [ -z "$db" ] || psql "$base/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
}
trap cleanup EXIT
ingest_port=18443 admin_port=18090 secret=whsec_pages_secret token=pages-admin-token-0123456789abcdef

source loadtest/lib/fresh-storage.sh

# serve [retention YAML]: the gateway without delivery workers (the seeded deliveries stay as seeded), on this
# store, keeping everything unless told otherwise.
serve() {
    local retention=${1:-'{ receipt_bodies: 0, events: 0, audit: 0 }'}
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
retention: $retention
YAML
    "$bin/hookgate" serve --config "$work/routes.yaml" --log-level notice --no-delivery >> "$work/gateway.log" 2>&1 &
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
