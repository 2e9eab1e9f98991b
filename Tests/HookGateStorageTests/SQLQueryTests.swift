import Foundation
import HookGateCore
import Testing

@testable import HookGateStorage

@Suite("SQL queries by interpolation")
struct SQLQueryTests {
    @Test("values are bound, never spliced, and each dialect gets its own placeholders")
    func bindsValues() {
        let hostile = "x' OR '1' = '1"
        let query: SQLQuery = "SELECT id FROM events WHERE source = \(hostile) AND seq < \(3)\(.and("type", equals: nil)) LIMIT \(51)"
        let sqlite = query.rendered(for: .sqlite)
        #expect(sqlite.sql == "SELECT id FROM events WHERE source = ? AND seq < ? LIMIT ?")
        #expect(sqlite.binds.count == 3)
        guard case .text(let bound) = sqlite.binds[0] else {
            Issue.record("the text was not bound as text")
            return
        }
        #expect(bound == hostile)
        #expect(query.rendered(for: .postgres).sql == "SELECT id FROM events WHERE source = $1 AND seq < $2 LIMIT $3")
    }

    @Test("statuses are written as literals, so partial indexes apply; nested queries keep their binds in order")
    func constantsAndNesting() {
        let inner: SQLQuery = "destination = \("target:crm")"
        let query: SQLQuery =
            "UPDATE deliveries SET status = \(DeliveryStatus.inFlight) WHERE \(inner) AND status = \(DeliveryStatus.pending) AND id = \("dlv_1")"
        let rendered = query.rendered(for: .postgres)
        #expect(rendered.sql == "UPDATE deliveries SET status = 'in_flight' WHERE destination = $1 AND status = 'pending' AND id = $2")
        #expect(rendered.binds.count == 2)
    }

    @Test("optional filters add a condition only when there is a value; a prefix compares with substr")
    func filters() {
        let query: SQLQuery =
            "SELECT 1 WHERE 1 = 1\(.and("source", equals: "stripe"))\(.and("id", .less, nil))\(.and("type", matching: .prefix("payment.")))"
        let rendered = query.rendered(for: .sqlite)
        #expect(rendered.sql == "SELECT 1 WHERE 1 = 1 AND source = ? AND substr(type, 1, 8) = ?")
        #expect(rendered.binds.count == 2)
    }
}
