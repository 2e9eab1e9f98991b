import Foundation
import HookGateCore

/// Subscriptions: outbound endpoints that internal service owners manage through the admin API.
extension SQLEventStore {
    func createSubscription(_ subscription: StoredSubscription, audit: AuditEntry) async throws {
        let id = subscription.id
        let insert: SQLQuery = """
            INSERT INTO subscriptions (\(sql: Self.subscriptionColumns)) VALUES (
              \(id), \(subscription.url), \(Self.jsonList(subscription.types)), \(subscription.sources.map(Self.jsonList)), \(subscription.description),
              \(try sealer.seal(subscription.secret, id: id)), \(try subscription.previousSecret.map { try sealer.seal($0, id: id) }),
              \(subscription.previousSecretExpiresAt), \(subscription.status), \(subscription.disabledReason), \(subscription.createdAt), \(subscription.updatedAt)
            )
            """
        _ = try await audited(audit) {
            _ = try await $0.query(insert)
            return true
        }
    }

    private static var subscriptionColumns: String {
        "id, url, types, sources, description, secret, previous_secret, previous_secret_expires_at, status, disabled_reason, created_at, updated_at"
    }

    func subscriptions() async throws -> [StoredSubscription] {
        try await database.query("SELECT \(sql: Self.subscriptionColumns) FROM subscriptions ORDER BY id").map { row in
            let id = try row.text("id")
            return StoredSubscription(
                id: id, url: try row.text("url"), types: Self.list(try row.text("types")), sources: try row.optionalText("sources").map(Self.list),
                description: try row.optionalText("description"), secret: try sealer.open(try row.text("secret"), id: id),
                previousSecret: try row.optionalText("previous_secret").map { try sealer.open($0, id: id) },
                previousSecretExpiresAt: try row.optionalDate("previous_secret_expires_at"), status: try row.constant("status"),
                disabledReason: try row.optionalText("disabled_reason"), createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at")
            )
        }
    }

    func disableSubscription(id: String, reason: String, now: Date) async throws {
        _ = try await write(
            "UPDATE subscriptions SET status = \(SubscriptionStatus.disabled), disabled_reason = \(reason), updated_at = \(now) WHERE id = \(id)"
        )
    }

    func rotateSubscriptionSecret(id: String, secret: String, overlapUntil: Date, now: Date, audit: AuditEntry) async throws -> Bool {
        let rotate: SQLQuery = """
            UPDATE subscriptions SET previous_secret = secret, previous_secret_expires_at = \(overlapUntil), secret = \(try sealer.seal(secret, id: id)),
              updated_at = \(now)
            WHERE id = \(id) RETURNING id
            """
        return try await audited(audit) { try await !$0.query(rotate).isEmpty }
    }

    func sealSubscriptionSecrets() async throws -> Int {
        var sealed = 0
        for row in try await database.query("SELECT id, secret, previous_secret FROM subscriptions ORDER BY id") {
            let id = try row.text("id")
            let secret = try row.text("secret")
            let previous = try row.optionalText("previous_secret")
            // Opened first, so that a value no configured key opens stops start-up rather than being sealed over.
            let plain = try sealer.open(secret, id: id)
            let previousPlain = try previous.map { try sealer.open($0, id: id) }
            guard sealer.needsSealing(secret) || previous.map(sealer.needsSealing) == true else { continue }
            // Compare-and-set on the values read: a rotation by another instance meanwhile wins, and is sealed already.
            let previousWas: SQLQuery = previous.map { "previous_secret = \($0)" } ?? "previous_secret IS NULL"
            let update: SQLQuery = """
                UPDATE subscriptions SET secret = \(try sealer.seal(plain, id: id)), previous_secret = \(try previousPlain.map { try sealer.seal($0, id: id) })
                WHERE id = \(id) AND secret = \(secret) AND \(previousWas) RETURNING id
                """
            sealed += try await write(update).count
        }
        return sealed
    }

    func clearExpiredPreviousSecrets(now: Date) async throws -> Int {
        try await write(
            "UPDATE subscriptions SET previous_secret = NULL, previous_secret_expires_at = NULL WHERE previous_secret_expires_at <= \(now) RETURNING id"
        ).count
    }

    func deleteSubscription(id: String, now: Date, audit: AuditEntry) async throws -> Bool {
        let destination = StoredSubscription.destination(of: id)
        return try await audited(audit) { transaction in
            guard try await !transaction.query("DELETE FROM subscriptions WHERE id = \(id) RETURNING id").isEmpty else { return false }
            _ = try await transaction.query(
                """
                UPDATE deliveries SET status = \(DeliveryStatus.cancelled), updated_at = \(now)
                WHERE status = \(DeliveryStatus.pending) AND destination = \(destination)
                """
            )
            return true
        }
    }

    func updateSubscription(_ subscription: StoredSubscription, audit: AuditEntry) async throws -> Bool {
        let update: SQLQuery = """
            UPDATE subscriptions SET url = \(subscription.url), types = \(Self.jsonList(subscription.types)), sources = \(subscription.sources.map(Self.jsonList)),
              description = \(subscription.description), status = \(subscription.status), disabled_reason = \(subscription.disabledReason),
              updated_at = \(subscription.updatedAt)
            WHERE id = \(subscription.id) RETURNING id
            """
        return try await audited(audit) { try await !$0.query(update).isEmpty }
    }

    private static func jsonList(_ items: [String]) -> String {
        var writer = JSONWriter(capacity: 64)
        writer.array { writer in items.forEach { writer.string($0) } }
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    private static func list(_ json: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(json.utf8))) ?? []
    }
}
