#!/usr/bin/env bash
# Starts a scratch PostgreSQL cluster on 127.0.0.1 for the tests and prints the URL to use.
#   .ci/postgres.sh          start (or reuse) and print the URL
#   .ci/postgres.sh fresh    start on an empty cluster, discarding any earlier one (the test command does this,
#                            so test databases never pile up from run to run)
#   .ci/postgres.sh stop     stop it, keeping its data
#   .ci/postgres.sh destroy  stop it and remove its directory
# HOOKGATE_PG_PORT / HOOKGATE_PG_DIR choose another cluster (the outage test runs its own).
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
running() { as_postgres "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; }
start_server() {
    as_postgres "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 120 \
        -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=1000" start >/dev/null
}
create_cluster() {
    rm -rf "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    as_postgres "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 >/dev/null
    if ! start_server; then
        echo "PostgreSQL did not start; the end of $dir/server.log:" >&2
        tail -n 20 "$dir/server.log" >&2 || true
        exit 1
    fi
}

case "$action" in
    stop|destroy)
        if running; then as_postgres "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null; fi
        [ "$action" = stop ] || rm -rf "$dir"
        exit 0 ;;
    fresh)
        if running; then as_postgres "$bin/pg_ctl" -D "$dir" -m immediate -w stop >/dev/null; fi
        create_cluster ;;
    start)
        if ! running; then
            # A cleanly stopped cluster restarts with its data (the outage test relies on that). One that left
            # its postmaster.pid behind died with the machine: its start would begin with crash recovery and a
            # data-directory fsync that can outlast any timeout, and it is scratch, so it is made anew.
            if [ -f "$dir/PG_VERSION" ] && [ ! -f "$dir/postmaster.pid" ] && start_server; then
                :
            else
                create_cluster
            fi
        fi ;;
    *) echo "usage: .ci/postgres.sh [start|fresh|stop|destroy]" >&2; exit 2 ;;
esac
as_postgres "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='hookgate_test'" | grep -q 1 \
    || as_postgres "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE hookgate_test" >&2
echo "postgres://postgres@127.0.0.1:$port/hookgate_test"
