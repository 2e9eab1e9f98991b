import Foundation
import HookGateCore
import NIOCore

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
