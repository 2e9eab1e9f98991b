import Foundation
import Testing

@testable import HookGateServer

@Suite("Ingest window")
struct IngestWindowTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)  // on a minute boundary

    func minutes(_ count: Double) -> Date { start.addingTimeInterval(count * 60) }

    func counts(_ window: IngestWindow, at now: Date) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: window.lastHour(at: now).map { ("\($0.source) \($0.outcome.rawValue)", $0.count) })
    }

    @Test("counts by source and outcome over the last sixty minutes, this one included")
    func countsTheLastHour() {
        let window = IngestWindow(sources: ["stripe", "shopify", "unknown"])
        window.record(source: "stripe", outcome: .accepted, at: minutes(0))
        window.record(source: "stripe", outcome: .accepted, at: minutes(30.5))
        window.record(source: "stripe", outcome: .invalidSignature, at: minutes(59.9))
        window.record(source: "shopify", outcome: .payloadTooLarge, at: minutes(59.9))
        window.record(source: "nonsense", outcome: .accepted, at: minutes(1))
        #expect(counts(window, at: minutes(59.9)) == ["stripe accepted": 2, "stripe invalid_signature": 1, "shopify payload_too_large": 1])
        #expect(
            counts(window, at: minutes(60)) == ["stripe accepted": 1, "stripe invalid_signature": 1, "shopify payload_too_large": 1],
            "minute 0 has aged out")
        #expect(counts(window, at: minutes(200)) == [:], "an idle window is empty")
    }

    @Test("a bucket reused a lap later starts from zero, and a clock that went back does not count the future")
    func reusedBucketStartsAtZero() {
        let window = IngestWindow(sources: ["stripe", "stripe"])
        for _ in 0..<5 { window.record(source: "stripe", outcome: .rateLimited, at: minutes(3)) }
        window.record(source: "stripe", outcome: .rateLimited, at: minutes(63))
        #expect(counts(window, at: minutes(63)) == ["stripe rate_limited": 1])
        #expect(counts(window, at: minutes(10)) == [:], "the minute-63 bucket is not in the hour before minute 10")
    }
}
