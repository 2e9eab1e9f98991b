import Foundation
import HookGateCore

/// Subscriptions: outbound endpoints that internal service owners manage through the admin API.
extension SQLEventStore {
    func createSubscription(_ subscription: StoredSubscription, audit: AuditEntry) async throws {
        var statement = SQLStatement(
            database.dialect,
            "INSERT INTO subscriptions (id, url, types, sources, description, secret, previous_secret, previous_secret_expires_at, status, disabled_reason, created_at, updated_at) VALUES "
        )
        statement.bindRow([
            .text(subscription.id), .text(subscription.url), .text(Self.jsonList(subscription.types)),
            subscription.sources.map { .text(Self.jsonList($0)) } ?? .null, subscription.description.map(SQLValue.text) ?? .null,
            .text(try sealer.seal(subscription.secret, id: subscription.id)),
            try subscription.previousSecret.map { .text(try sealer.seal($0, id: subscription.id)) } ?? .null,
            subscription.previousSecretExpiresAt.map(SQLValue.date) ?? .null, .text(subscription.status),
            subscription.disabledReason.map(SQLValue.text) ?? .null, .date(subscription.createdAt), .date(subscription.updatedAt),
        ])
        _ = try await audited(audit) { [statement] in
            _ = try await $0.query(statement)
            return true
        }
    }

    func subscriptions() async throws -> [StoredSubscription] {
        let statement = SQLStatement(
            database.dialect,
            "SELECT id, url, types, sources, description, secret, previous_secret, previous_secret_expires_at, status, disabled_reason, created_at, updated_at FROM subscriptions ORDER BY id"
        )
        return try await database.query(statement).map { row in
            let id = try row.text(0)
            return StoredSubscription(
                id: id, url: try row.text(1), types: Self.list(try row.text(2)), sources: try row.optionalText(3).map(Self.list),
                description: try row.optionalText(4), secret: try sealer.open(try row.text(5), id: id),
                previousSecret: try row.optionalText(6).map { try sealer.open($0, id: id) },
                previousSecretExpiresAt: try row.values[7].isNull ? nil : row.date(7), status: try row.text(8),
                disabledReason: try row.optionalText(9), createdAt: try row.date(10), updatedAt: try row.date(11)
            )
        }
    }

    func disableSubscription(id: String, reason: String, now: Date) async throws {
        var statement = SQLStatement(database.dialect, "UPDATE subscriptions SET status = 'disabled', disabled_reason = ")
        statement.bind(reason)
        statement.append(", updated_at = ")
        statement.bind(.date(now))
        statement.append(" WHERE id = ")
        statement.bind(id)
        _ = try await write(statement)
    }

    func rotateSubscriptionSecret(id: String, secret: String, overlapUntil: Date, now: Date, audit: AuditEntry) async throws -> Bool {
        var statement = SQLStatement(database.dialect, "UPDATE subscriptions SET previous_secret = secret, previous_secret_expires_at = ")
        statement.bind(.date(overlapUntil))
        statement.append(", secret = ")
        statement.bind(try sealer.seal(secret, id: id))
        statement.append(", updated_at = ")
        statement.bind(.date(now))
        statement.append(" WHERE id = ")
        statement.bind(id)
        statement.append(" RETURNING id")
        return try await audited(audit) { [statement] in try await !$0.query(statement).isEmpty }
    }

    func sealSubscriptionSecrets() async throws -> Int {
        let rows = try await database.query(SQLStatement(database.dialect, "SELECT id, secret, previous_secret FROM subscriptions ORDER BY id"))
        var sealed = 0
        for row in rows {
            let id = try row.text(0)
            let secret = try row.text(1)
            let previous = try row.optionalText(2)
            // Opened first, so that a value no configured key opens stops start-up rather than being sealed over.
            let plain = try sealer.open(secret, id: id)
            let previousPlain = try previous.map { try sealer.open($0, id: id) }
            guard sealer.needsSealing(secret) || previous.map(sealer.needsSealing) == true else { continue }
            // Compare-and-set on the values read: a rotation by another instance meanwhile wins, and is sealed already.
            var update = SQLStatement(database.dialect, "UPDATE subscriptions SET secret = ")
            update.bind(try sealer.seal(plain, id: id))
            update.append(", previous_secret = ")
            update.bind(try previousPlain.map { .text(try sealer.seal($0, id: id)) } ?? .null)
            update.append(" WHERE id = ")
            update.bind(id)
            update.append(" AND secret = ")
            update.bind(secret)
            update.append(previous == nil ? " AND previous_secret IS NULL" : " AND previous_secret = ")
            if let previous { update.bind(previous) }
            update.append(" RETURNING id")
            sealed += try await write(update).count
        }
        return sealed
    }

    func clearExpiredPreviousSecrets(now: Date) async throws -> Int {
        var statement = SQLStatement(
            database.dialect, "UPDATE subscriptions SET previous_secret = NULL, previous_secret_expires_at = NULL WHERE previous_secret_expires_at <= "
        )
        statement.bind(.date(now))
        statement.append(" RETURNING id")
        return try await write(statement).count
    }

    func deleteSubscription(id: String, now: Date, audit: AuditEntry) async throws -> Bool {
        let dialect = database.dialect
        return try await audited(audit) { transaction in
            var delete = SQLStatement(dialect, "DELETE FROM subscriptions WHERE id = ")
            delete.bind(id)
            delete.append(" RETURNING id")
            guard try await !transaction.query(delete).isEmpty else { return false }
            var cancel = SQLStatement(dialect, "UPDATE deliveries SET status = 'cancelled', updated_at = ")
            cancel.bind(.date(now))
            cancel.append(" WHERE status = 'pending' AND destination = ")
            cancel.bind("subscription:" + id)
            _ = try await transaction.query(cancel)
            return true
        }
    }

    func updateSubscription(_ subscription: StoredSubscription, audit: AuditEntry) async throws -> Bool {
        var statement = SQLStatement(database.dialect, "UPDATE subscriptions SET url = ")
        statement.bind(subscription.url)
        statement.append(", types = ")
        statement.bind(Self.jsonList(subscription.types))
        statement.append(", sources = ")
        statement.bind(subscription.sources.map { .text(Self.jsonList($0)) } ?? .null)
        statement.append(", description = ")
        statement.bind(subscription.description.map(SQLValue.text) ?? .null)
        statement.append(", status = ")
        statement.bind(subscription.status)
        statement.append(", disabled_reason = ")
        statement.bind(subscription.disabledReason.map(SQLValue.text) ?? .null)
        statement.append(", updated_at = ")
        statement.bind(.date(subscription.updatedAt))
        statement.append(" WHERE id = ")
        statement.bind(subscription.id)
        statement.append(" RETURNING id")
        return try await audited(audit) { [statement] in try await !$0.query(statement).isEmpty }
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
