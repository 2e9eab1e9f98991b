import Foundation
import HookGateCore
import HookGateStorage
import HookGateTesting
import NIOCore
import Testing

/// `hookgate prune`: the real binary on real storage, counting first and then removing, in batches.
@Suite("hookgate prune")
struct PruneCommandTests {
    /// A receipt with one event and no delivery, received `age` ago.
    func record(age: TimeInterval) -> IngestRecord {
        let at = Date().addingTimeInterval(-age)
        let id = Identifier.make(prefix: "evt_", now: at)
        return IngestRecord(
            receiptID: Identifier.make(prefix: "rcp_", now: at), sourceID: "stripe", dedupeKey: UUID().uuidString, status: .normalized,
            receivedAt: at, headers: #"{"content-type":"application/json"}"#, body: ByteBuffer(string: #"{"id":"evt_1"}"#),
            events: [
                IngestRecord.Event(
                    id: id, type: "payment.succeeded", subject: nil, time: at,
                    payload: ByteBuffer(string: #"{"specversion":"1.0","id":"\#(id)"}"#), deliveries: [])
            ])
    }

    @Test("a dry run counts and removes nothing; a pass removes what is older than retention, once", arguments: TestBackend.available)
    func prune(backend: TestBackend) async throws {
        let url = try backend.makeStorageURL()
        let old = (0..<3).map { _ in record(age: 3 * 86_400) }
        let recent = record(age: 60)
        try await withTestStore(backend, location: try StorageLocation(parsing: url)) { store in
            _ = try await store.ingest(old + [recent])
        }
        let config = TemporaryDirectory.make().appendingPathComponent("routes.yaml")
        try """
        storage:
          url: \(url)
        sources:
          - { id: stripe, provider: stripe, secrets: ["whsec_unused"] }
        retention:
          receipt_bodies: 0
          events: 1d
          audit: 0
        """.write(to: config, atomically: true, encoding: .utf8)

        let dry = try await CLI.run(["prune", "--config", config.path, "--dry-run", "--json"], adminURL: "", token: nil)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.object["dry_run"] as? Bool == true && dry.object["events"] as? Int == 3 && dry.object["receipts"] as? Int == 3, "\(dry.stdout)")
        let table = try await CLI.run(["prune", "--config", config.path, "--dry-run"], adminURL: "", token: nil)
        #expect(table.stdout.contains("would remove") && table.stdout.contains("events"), "\(table.stdout)")

        let pass = try await CLI.run(["prune", "--config", config.path, "--json"], adminURL: "", token: nil)
        #expect(pass.status == 0, "\(pass.stderr)")
        #expect(pass.object["dry_run"] as? Bool == false && pass.object["events"] as? Int == 3, "\(pass.stdout)")
        let again = try await CLI.run(["prune", "--config", config.path, "--json"], adminURL: "", token: nil)
        #expect(again.object["events"] as? Int == 0, "\(again.stdout)")

        try await withTestStore(backend, location: try StorageLocation(parsing: url)) { (store: any EventStore) async throws in
            for record in old { #expect(try await store.event(id: record.events[0].id) == nil) }
            #expect(try await store.event(id: recent.events[0].id) != nil)
        }
    }
}
