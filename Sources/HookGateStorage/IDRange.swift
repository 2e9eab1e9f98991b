import Foundation
import HookGateCore

/// Ids are time-sortable, so a creation-time window is an id range and needs no separate index.
enum IDRange {
    static func between(_ prefix: String, since: Date?, until: Date?) -> (lower: String?, upper: String?) {
        (
            since.map { start(prefix, at: $0) + String(repeating: "0", count: 16) },
            until.map { start(prefix, at: $0) + String(repeating: "Z", count: 16) }
        )
    }

    /// Every id made before `date` sorts below this, every id made at or after it above.
    static func start(_ prefix: String, at date: Date) -> String {
        prefix + Identifier.timeComponent(date)
    }
}

extension EventQuery {
    var idRange: (lower: String?, upper: String?) { IDRange.between("evt_", since: since, until: until) }
}

extension DeliveryQuery {
    var idRange: (lower: String?, upper: String?) { IDRange.between("dlv_", since: since, until: until) }
}
