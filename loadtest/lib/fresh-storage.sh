# Sourced by the loadtest scripts: a fresh, empty database of $backend for one run, in $work for SQLite or a new
# database on .ci/postgres.sh's cluster (started when missing). Sets storage (the storage.url), and for PostgreSQL
# base (the cluster's URL) and db (the database's name), for the script's cleanup to drop.
case "$backend" in
    sqlite) storage="sqlite://$work/hookgate.sqlite" ;;
    postgres)
        base=$(.ci/postgres.sh)
        base=${base%/*}
        db="loadtest_$(date +%s)"
        psql "$base/postgres" -qc "CREATE DATABASE $db"
        storage="$base/$db" ;;
    *) echo "--backend is sqlite or postgres" >&2; exit 2 ;;
esac
