# Sourced by scripts that need a real gateway to talk to (scripts/api-contract, scripts/console-test): starts the
# debug build on SQLite in a scratch directory with an admin and a viewer token, waits until it is ready, and seeds
# it with a few signed Stripe webhooks. Sets: dir, port (admin), ingest (host:port), sink_port (the billing target's
# port, where nothing listens until a script starts a sink there), admin_token, viewer_token. The ledger target's
# port never answers, so its deliveries wait an hour for their one retry.
# The gateway is stopped and the directory removed when the sourcing script exits.

binary=.build/debug/hookgate
dir=$(mktemp -d)
admin_token="scratch-admin-token-0001"
viewer_token="scratch-viewer-token-0001"
secret="whsec_scratch_test_secret"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
sink_port=$(free_port)
ledger_port=$(free_port)  # nothing ever listens here: the ledger target's deliveries wait for their retry
cat > "$dir/routes.yaml" <<YAML
server:
  listen: 127.0.0.1:0
  admin_listen: 127.0.0.1:$port
  rate_limit: { per_ip_per_second: 0 }
storage:
  url: sqlite://$dir/hookgate.sqlite
subscriptions:
  allow_private: true
admin:
  tokens:
    - { name: oncall, token: $admin_token, role: admin }
    - { name: dashboards, token: $viewer_token, role: viewer }
sources:
  - { id: stripe, provider: stripe, secrets: ["$secret"] }
targets:
  - { id: billing, url: "http://127.0.0.1:$sink_port/events", retry: { schedule: [0s], jitter: 0 }, replay_rate: 1 }
  - { id: ledger, url: "http://127.0.0.1:$ledger_port/events", retry: { schedule: [0s, 1h], jitter: 0 } }
routes:
  - { name: payments, match: { types: ["payment.*"] }, targets: [billing, ledger] }
YAML

"$binary" serve --config "$dir/routes.yaml" --log-level notice > "$dir/gateway.log" 2>&1 &
gateway=$!
trap 'kill $gateway 2>/dev/null || true; wait $gateway 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$dir/gateway.log"; echo "error: the gateway did not become ready" >&2; exit 1; }

# A few stored events and deliveries (to a port nothing listens on yet), so lists and lookups have something to show.
ingest=$(grep 'ingest listener ready' "$dir/gateway.log" | grep -o '127.0.0.1:[0-9]*' | head -n 1)
# The fourth carries markup in provider-controlled fields, which every view must show as inert text.
hostile='<script>window.__hookgate_xss=1</script>\"><img src=x onerror=window.__hookgate_xss=2>'
for n in 1 2 3 4; do
    description=$([ "$n" = 4 ] && printf '%s' "$hostile" || printf 'order %s' "$n")
    body="{\"id\":\"evt_scratch_$n\",\"object\":\"event\",\"created\":1763720100,\"type\":\"payment_intent.succeeded\",\"data\":{\"object\":{\"id\":\"pi_$n\",\"object\":\"payment_intent\",\"amount\":1000,\"currency\":\"usd\",\"description\":\"$description\"}}}"
    printf '%s' "$body" > "$dir/body.json"
    signature=$("$binary" sign --provider stripe --secret "$secret" "$dir/body.json" | sed -n 's/^Stripe-Signature: //p')
    curl -fsS -o /dev/null -H "Stripe-Signature: $signature" -H 'Content-Type: application/json' --data-binary @"$dir/body.json" "http://$ingest/webhooks/stripe"
done
# And one forgery, which the overview's ingest table counts as a 401 though nothing is stored.
forged=$(curl -sS -o /dev/null -w '%{http_code}' -H 'Stripe-Signature: t=1,v1=00' -H 'Content-Type: application/json' --data-binary @"$dir/body.json" "http://$ingest/webhooks/stripe")
[ "$forged" = 401 ] || { echo "error: a forged request got $forged, not 401" >&2; exit 1; }
