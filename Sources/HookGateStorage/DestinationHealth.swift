/// The `destination_health` table: each destination's last successful and last failed attempt, kept up to date with
/// every batch of outcomes so that `GET /v1/destinations` reads one row per destination instead of every attempt.
///
/// A failure is any attempt without a 2xx, a connection error or timeout included. Times only move forward, so
/// batches recorded out of order by several instances leave the newest.
enum DestinationHealth {
    /// The newest success and failure per destination among the attempts the caller's WHERE picks, as the
    /// `SELECT destination, success, failure` of an INSERT.
    private static let aggregate = """
        SELECT d.destination, max(CASE WHEN a.status_code BETWEEN 200 AND 299 THEN a.started_at END),
          max(CASE WHEN a.status_code BETWEEN 200 AND 299 THEN NULL ELSE a.started_at END)
        FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
        """

    /// Merges a row into the stored one: each time the newer of the two, a missing one leaving the other.
    static let merge = """
        ON CONFLICT (destination) DO UPDATE SET
          last_success_at = CASE WHEN destination_health.last_success_at IS NULL OR excluded.last_success_at > destination_health.last_success_at
            THEN coalesce(excluded.last_success_at, destination_health.last_success_at) ELSE destination_health.last_success_at END,
          last_failure_at = CASE WHEN destination_health.last_failure_at IS NULL OR excluded.last_failure_at > destination_health.last_failure_at
            THEN coalesce(excluded.last_failure_at, destination_health.last_failure_at) ELSE destination_health.last_failure_at END
        """

    private static let insert = "INSERT INTO destination_health (destination, last_success_at, last_failure_at) "

    /// The migration's one pass over the history.
    static let fill = insert + aggregate + " GROUP BY d.destination"

    /// After a chunk of attempts is recorded: their destinations' rows brought up to date. A delivery's earlier
    /// attempts are read again too, which cannot move a time backwards.
    static func record(deliveryIDs: [String]) -> SQLQuery {
        "\(sql: insert + aggregate) WHERE a.delivery_id IN \(list: deliveryIDs.map(SQLValue.text)) GROUP BY d.destination \(sql: merge)"
    }

    /// The same for one attempt inside SQLite's outcome trigger, from the row being inserted (`NEW`).
    static let recordInTrigger =
        insert + """
            SELECT destination, CASE WHEN NEW.status_code BETWEEN 200 AND 299 THEN NEW.started_at END,
              CASE WHEN NEW.status_code BETWEEN 200 AND 299 THEN NULL ELSE NEW.started_at END
            FROM deliveries WHERE id = NEW.delivery_id AND NEW.delivery_id IS NOT NULL
            """ + "\n" + merge

    /// What `GET /v1/destinations` reads.
    static let read = "SELECT destination, last_success_at AS success, last_failure_at AS failure FROM destination_health"
}
