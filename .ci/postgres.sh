#!/usr/bin/env bash
# Starts a scratch PostgreSQL cluster on 127.0.0.1 for the tests and prints the URL to use.
# Idempotent: a cluster already running from this script is reused.
#   .ci/postgres.sh          start (or reuse) and print the URL
#   .ci/postgres.sh stop     stop it (the outage test uses its own cluster: HOOKGATE_PG_PORT / HOOKGATE_PG_DIR)
set -euo pipefail
action="${1:-start}"
port="${HOOKGATE_PG_PORT:-55432}"
dir="${HOOKGATE_PG_DIR:-/tmp/hookgate-pg}"

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "installing postgresql" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
fi
bin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")

# The server outlives this script: it must not keep descriptors the caller gave us (a caller waiting for our
# output or our exit through one would wait forever).
for fd in $(ls /proc/$$/fd); do
    [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null || true
done

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "$action" = stop ]; then
    as_postgres "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
    exit 0
fi

if [ -f "$dir/PG_VERSION" ] && ! as_postgres "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    # A stopped cluster of ours: start it again, keeping its data.
    as_postgres "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
        -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=1000" start >/dev/null
fi
if ! as_postgres "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    rm -rf "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    as_postgres "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 >/dev/null
    as_postgres "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
        -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=1000" start >/dev/null
fi
as_postgres "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='hookgate_test'" | grep -q 1 \
    || as_postgres "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE hookgate_test" >&2
echo "postgres://postgres@127.0.0.1:$port/hookgate_test"
