import Foundation
import HookGateCore
import NIOCore

/// The two SQL dialects HookGate speaks; they differ in placeholders and in how times are stored.
enum SQLDialect: Sendable {
    case sqlite
    case postgres

    /// What a claiming subquery ends with: on PostgreSQL, which several instances share, each skips the rows another
    /// is leasing right now; SQLite has one writer and no row locks.
    var skipLocked: String {
        self == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
    }

    /// The column type of a time: ``SQLValue/date(_:)`` binds `timestamptz` on PostgreSQL, integer microseconds on SQLite.
    var timeColumnType: String {
        self == .postgres ? "timestamptz" : "INTEGER"
    }
}

/// A value bound to, or read from, a statement, independent of the driver.
enum SQLValue: Sendable {
    case text(String)
    case int(Int64)
    /// Bound as `timestamptz` on PostgreSQL and as integer microseconds on SQLite.
    case date(Date)
    case blob(ByteBuffer)
    case null

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

/// A fixed word of the schema, such as a status, written into SQL as a quoted literal rather than bound: partial
/// indexes (`WHERE status = 'pending'`) serve a query only when its condition names the same literal, and SQLite's
/// planner cannot see through a bound parameter.
protocol SQLConstant: RawRepresentable<String> {}

extension DeliveryStatus: SQLConstant {}
extension SubscriptionStatus: SQLConstant {}
extension Normalization.Status: SQLConstant {}
