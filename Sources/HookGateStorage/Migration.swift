import HookGateCore

/// A versioned schema change, shipped inside the binary, with the SQL for each backend.
///
/// Times are `timestamptz` on PostgreSQL and integer microseconds since the epoch on SQLite.
struct Migration: Sendable {
    let version: Int
    let name: String
    let sqlite: [String]
    let postgres: [String]

    /// Every migration this build knows, in order. Append only: never edit one that has shipped.
    static let all: [Migration] = [
        Migration(
            version: 1,
            name: "receipts, events and deliveries",
            sqlite: [
                """
                CREATE TABLE receipts (
                    id TEXT PRIMARY KEY, source TEXT NOT NULL, dedupe_key TEXT NOT NULL, status TEXT NOT NULL,
                    received_at INTEGER NOT NULL, headers TEXT NOT NULL, body BLOB NOT NULL,
                    UNIQUE (source, dedupe_key))
                """,
                "CREATE INDEX receipts_status_id ON receipts (status, id)",
                """
                CREATE TABLE events (
                    id TEXT PRIMARY KEY, receipt_id TEXT NOT NULL REFERENCES receipts (id), seq INTEGER NOT NULL,
                    source TEXT NOT NULL, type TEXT NOT NULL, subject TEXT, time INTEGER NOT NULL, payload BLOB NOT NULL,
                    UNIQUE (receipt_id, seq))
                """,
                "CREATE INDEX events_source_id ON events (source, id)",
                """
                CREATE TABLE deliveries (
                    id TEXT PRIMARY KEY, event_id TEXT NOT NULL REFERENCES events (id), destination TEXT NOT NULL,
                    status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL,
                    last_status INTEGER, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
                    UNIQUE (event_id, destination))
                """,
                "CREATE INDEX deliveries_pending_due ON deliveries (next_attempt_at) WHERE status = 'pending'",
            ],
            postgres: [
                """
                CREATE TABLE receipts (
                    id text PRIMARY KEY, source text NOT NULL, dedupe_key text NOT NULL, status text NOT NULL,
                    received_at timestamptz NOT NULL, headers text NOT NULL, body bytea NOT NULL,
                    CONSTRAINT receipts_source_dedupe_key UNIQUE (source, dedupe_key))
                """,
                "CREATE INDEX receipts_status_id ON receipts (status, id)",
                """
                CREATE TABLE events (
                    id text PRIMARY KEY, receipt_id text NOT NULL REFERENCES receipts (id), seq integer NOT NULL,
                    source text NOT NULL, type text NOT NULL, subject text, time timestamptz NOT NULL, payload bytea NOT NULL,
                    CONSTRAINT events_receipt_seq UNIQUE (receipt_id, seq))
                """,
                "CREATE INDEX events_source_id ON events (source, id)",
                """
                CREATE TABLE deliveries (
                    id text PRIMARY KEY, event_id text NOT NULL REFERENCES events (id), destination text NOT NULL,
                    status text NOT NULL, attempts integer NOT NULL DEFAULT 0, next_attempt_at timestamptz NOT NULL,
                    last_status integer, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
                    CONSTRAINT deliveries_event_destination UNIQUE (event_id, destination))
                """,
                "CREATE INDEX deliveries_pending_due ON deliveries (next_attempt_at) WHERE status = 'pending'",
            ]
        ),
        Migration(
            version: 2,
            name: "delivery leases, attempts and subscriptions",
            sqlite: [
                "ALTER TABLE deliveries ADD COLUMN lease_owner TEXT",
                "ALTER TABLE deliveries ADD COLUMN lease_expires_at INTEGER",
                "CREATE INDEX deliveries_destination_due ON deliveries (destination, next_attempt_at) WHERE status = 'pending'",
                "CREATE INDEX deliveries_lease ON deliveries (destination, lease_expires_at) WHERE status = 'in_flight'",
                "CREATE INDEX deliveries_status_id ON deliveries (status, id)",
                """
                CREATE TABLE delivery_attempts (
                    delivery_id TEXT NOT NULL REFERENCES deliveries (id), number INTEGER NOT NULL, started_at INTEGER NOT NULL,
                    duration_ms INTEGER NOT NULL, status_code INTEGER, error TEXT, response_snippet TEXT,
                    PRIMARY KEY (delivery_id, number))
                """,
                """
                CREATE TABLE subscriptions (
                    id TEXT PRIMARY KEY, url TEXT NOT NULL, types TEXT NOT NULL, sources TEXT, description TEXT,
                    secret TEXT NOT NULL, previous_secret TEXT, previous_secret_expires_at INTEGER, status TEXT NOT NULL,
                    disabled_reason TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)
                """,
            ],
            postgres: [
                "ALTER TABLE deliveries ADD COLUMN lease_owner text",
                "ALTER TABLE deliveries ADD COLUMN lease_expires_at timestamptz",
                "CREATE INDEX deliveries_destination_due ON deliveries (destination, next_attempt_at) WHERE status = 'pending'",
                "CREATE INDEX deliveries_lease ON deliveries (destination, lease_expires_at) WHERE status = 'in_flight'",
                "CREATE INDEX deliveries_status_id ON deliveries (status, id)",
                """
                CREATE TABLE delivery_attempts (
                    delivery_id text NOT NULL REFERENCES deliveries (id), number integer NOT NULL, started_at timestamptz NOT NULL,
                    duration_ms integer NOT NULL, status_code integer, error text, response_snippet text,
                    PRIMARY KEY (delivery_id, number))
                """,
                """
                CREATE TABLE subscriptions (
                    id text PRIMARY KEY, url text NOT NULL, types text NOT NULL, sources text, description text,
                    secret text NOT NULL, previous_secret text, previous_secret_expires_at timestamptz, status text NOT NULL,
                    disabled_reason text, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)
                """,
            ]
        ),
        Migration(
            version: 3,
            name: "replay series and audit log",
            sqlite: [
                "ALTER TABLE deliveries ADD COLUMN series_start INTEGER NOT NULL DEFAULT 0",
                """
                CREATE TABLE audit_log (
                    id TEXT PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,
                    detail TEXT NOT NULL)
                """,
            ],
            postgres: [
                "ALTER TABLE deliveries ADD COLUMN series_start integer NOT NULL DEFAULT 0",
                """
                CREATE TABLE audit_log (
                    id text PRIMARY KEY, at timestamptz NOT NULL, actor text NOT NULL, action text NOT NULL, target text NOT NULL,
                    detail text NOT NULL)
                """,
            ]
        ),
        Migration(
            version: 4,
            name: "bulk replays",
            sqlite: [
                "ALTER TABLE deliveries ADD COLUMN replay_id TEXT",
                "ALTER TABLE deliveries ADD COLUMN replay_prior_status TEXT",
                // Live and replayed work are leased separately (live first, replays paced): each has its own index,
                // so neither query walks the other's rows.
                "DROP INDEX deliveries_destination_due",
                "CREATE INDEX deliveries_live_due ON deliveries (destination, next_attempt_at) WHERE status = 'pending' AND replay_id IS NULL",
                "CREATE INDEX deliveries_replay_due ON deliveries (destination, next_attempt_at) WHERE status = 'pending' AND replay_id IS NOT NULL",
                "CREATE INDEX deliveries_replay ON deliveries (replay_id, status) WHERE replay_id IS NOT NULL",
                """
                CREATE TABLE replays (
                    id TEXT PRIMARY KEY, filter TEXT NOT NULL, actor TEXT NOT NULL, created_at INTEGER NOT NULL, matched INTEGER NOT NULL,
                    cancelled INTEGER NOT NULL DEFAULT 0, cancelled_at INTEGER)
                """,
            ],
            postgres: [
                "ALTER TABLE deliveries ADD COLUMN replay_id text",
                "ALTER TABLE deliveries ADD COLUMN replay_prior_status text",
                "DROP INDEX deliveries_destination_due",
                "CREATE INDEX deliveries_live_due ON deliveries (destination, next_attempt_at) WHERE status = 'pending' AND replay_id IS NULL",
                "CREATE INDEX deliveries_replay_due ON deliveries (destination, next_attempt_at) WHERE status = 'pending' AND replay_id IS NOT NULL",
                "CREATE INDEX deliveries_replay ON deliveries (replay_id, status) WHERE replay_id IS NOT NULL",
                """
                CREATE TABLE replays (
                    id text PRIMARY KEY, filter text NOT NULL, actor text NOT NULL, created_at timestamptz NOT NULL, matched integer NOT NULL,
                    cancelled integer NOT NULL DEFAULT 0, cancelled_at timestamptz)
                """,
            ]
        ),
        Migration(
            version: 5,
            name: "drop the unused pending index",
            // Since v4 every lease walks deliveries_live_due or deliveries_replay_due; this one only cost every
            // ingest and every status change an index write.
            sqlite: ["DROP INDEX IF EXISTS deliveries_pending_due"],
            postgres: ["DROP INDEX IF EXISTS deliveries_pending_due"]
        ),
        Migration(
            version: 6,
            name: "events by subject",
            // The console finds an event by its subject (a payment, order or message id).
            sqlite: ["CREATE INDEX events_subject ON events (subject) WHERE subject IS NOT NULL"],
            postgres: ["CREATE INDEX events_subject ON events (subject) WHERE subject IS NOT NULL"]
        ),
        Migration(
            version: 7,
            name: "last success and failure per destination",
            // The overview read these with an aggregate over every attempt ever made: seconds on a big store. Now
            // each batch of outcomes keeps one row per destination up to date, filled once here from the history.
            sqlite: [
                "CREATE TABLE destination_health (destination TEXT PRIMARY KEY, last_success_at INTEGER, last_failure_at INTEGER)",
                DestinationHealth.fill,
            ],
            postgres: [
                "CREATE TABLE destination_health (destination text PRIMARY KEY, last_success_at timestamptz, last_failure_at timestamptz)",
                DestinationHealth.fill,
            ]
        ),
        Migration(
            version: 8,
            name: "events by type",
            // A type filter that matches few events walked the whole table newest first (0.4 s on SQLite at a
            // million events); this index reads them in id order within the type. Patterns (`payment.*`) still
            // walk by id, which is fast exactly when they match many.
            sqlite: ["CREATE INDEX events_type_id ON events (type, id)"],
            postgres: ["CREATE INDEX events_type_id ON events (type, id)"]
        ),
        Migration(
            version: 9,
            name: "retention marks",
            // How far removing receipt bodies has got, so a pass starts there instead of re-reading emptied rows.
            sqlite: ["CREATE TABLE retention_marks (name TEXT PRIMARY KEY, until_id TEXT NOT NULL)"],
            postgres: ["CREATE TABLE retention_marks (name text PRIMARY KEY, until_id text NOT NULL)"]
        ),
        Migration(
            version: 10,
            name: "erasures",
            // The customer's values are never stored: `scope` names only which kinds were given.
            sqlite: [
                """
                CREATE TABLE erasures (
                    id TEXT PRIMARY KEY, state TEXT NOT NULL, actor TEXT NOT NULL, scope TEXT NOT NULL, total INTEGER NOT NULL,
                    scanned INTEGER NOT NULL DEFAULT 0, receipts INTEGER NOT NULL DEFAULT 0, events INTEGER NOT NULL DEFAULT 0,
                    deliveries_cancelled INTEGER NOT NULL DEFAULT 0, error TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)
                """
            ],
            postgres: [
                """
                CREATE TABLE erasures (
                    id text PRIMARY KEY, state text NOT NULL, actor text NOT NULL, scope text NOT NULL, total integer NOT NULL,
                    scanned integer NOT NULL DEFAULT 0, receipts integer NOT NULL DEFAULT 0, events integer NOT NULL DEFAULT 0,
                    deliveries_cancelled integer NOT NULL DEFAULT 0, error text, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)
                """
            ]
        ),
        Migration(
            version: 11,
            name: "room for emptied bodies",
            // Retention empties receipt bodies in place. On PostgreSQL an update whose new row fits on its page is a
            // heap-only tuple, touching none of the table's indexes; a full page moves the row and adds an entry
            // to every index. Pages filled to 85 % keep room for the emptied rows (new pages only).
            sqlite: [],
            postgres: ["ALTER TABLE receipts SET (fillfactor = 85)"]
        ),
    ]

    /// This migration's statements in `dialect`.
    func statements(for dialect: SQLDialect) -> [String] {
        switch dialect {
        case .sqlite: sqlite
        case .postgres: postgres
        }
    }

    /// The migrations not yet in `applied`, or an error when the database has one this build does not know.
    static func pending(applied: Set<Int>) throws -> [Migration] {
        if let newest = applied.max(), newest > (all.last?.version ?? 0) {
            throw StorageError(.schemaTooNew, "the database has schema version \(newest); this build knows up to \(all.last?.version ?? 0)")
        }
        return all.filter { !applied.contains($0.version) }
    }
}
