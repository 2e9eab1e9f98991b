import Testing

@testable import HookGateCore

@Suite("Routing")
struct RoutingTests {
    @Test(
        "type patterns",
        arguments: [
            ("*", "anything.at.all", true), ("payment.*", "payment.succeeded", true), ("payment.*", "payments.x", false),
            ("payment.*", "payment", false), ("payment.succeeded", "payment.succeeded", true), ("payment.succeeded", "payment.failed", false),
        ])
    func patterns(pattern: String, type: String, matches: Bool) throws {
        #expect(try #require(TypePattern(pattern)).matches(type) == matches)
    }

    @Test("malformed patterns are refused", arguments: ["", "pay*", "*.x", "a.*.*", ".*"])
    func malformed(pattern: String) {
        #expect(TypePattern(pattern) == nil)
    }

    @Test("routes resolve to each target once, honouring sources")
    func destinations() {
        let table = RouteTable(routes: [
            .init(name: "payments", types: [TypePattern("payment.*")!], sources: ["stripe"], targets: ["billing", "ledger"]),
            .init(name: "all", types: [.any], sources: nil, targets: ["audit", "billing"]),
        ])
        #expect(table.destinations(forType: "payment.failed", source: "stripe") == ["target:billing", "target:ledger", "target:audit"])
        #expect(table.destinations(forType: "payment.failed", source: "shop") == ["target:audit", "target:billing"])
    }
}
