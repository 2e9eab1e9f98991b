import Foundation
import HTTPTypes
import HookGateCore
import HookGateTesting
import Logging
import ServiceLifecycle
import Testing

@testable import HookGateDelivery

/// The delivery loop over an in-memory queue and a real HTTP sink: what the workers lease, send and record, without
/// a database in the way.
@Suite("Delivery loop")
struct DeliveryLoopTests {
    /// Runs the workers for one target at `sink` until `body` returns, then shuts them down gracefully.
    private func withWorkers(
        queue: InMemoryDeliveryQueue, sink: WebhookSink, path: String, maxInFlight: Int, retry: String,
        _ body: @Sendable () async throws -> Void
    ) async throws {
        let configuration = try ConfigurationLoader.parse(
            yaml: """
                targets:
                  - { id: sink, url: "\(sink.baseURL)\(path)", max_in_flight: \(maxInFlight), retry: { schedule: \(retry), jitter: 0 } }
                """,
            environment: [:]
        )
        var logger = Logger(label: "delivery-loop-test")
        logger.logLevel = .error
        let service = DeliveryService(
            queue: queue, subscriptionGone: { _, _ in Issue.record("a target is not a subscription") },
            directory: DestinationDirectory(configuration: configuration), sender: DeliverySender(allowPrivate: true), wake: WakeSignal(),
            metrics: nil, logger: logger, pollInterval: .milliseconds(20), ready: {}
        )
        let group = ServiceGroup(services: [service], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await body()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// Waits until every one of `ids` has left the queue's pending and in-flight states.
    private func settled(_ ids: [String], in queue: InMemoryDeliveryQueue, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if ids.allSatisfy({ [.succeeded, .dead, .cancelled].contains(queue.row($0)?.status) }) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestSetupError("deliveries still open: \(ids.filter { ![.succeeded, .dead, .cancelled].contains(queue.row($0)?.status) })")
    }

    @Test("a slow target never has more than max_in_flight requests open, and each delivery is sent and recorded once")
    func boundedAndOnce() async throws {
        let slow: WebhookSink.Behaviour = { _, _ in WebhookSink.Answer(delay: .milliseconds(200)) }
        try await WebhookSink.with(behaviour: slow) { sink in
            let queue = InMemoryDeliveryQueue()
            let ids = (0..<20).map { "dlv_\($0)" }
            queue.enqueue(ids, to: "target:sink")
            try await withWorkers(queue: queue, sink: sink, path: "/slow", maxInFlight: 3, retry: "[0s, 1s]") {
                try await settled(ids, in: queue)
            }
            #expect(sink.peakConcurrency("/slow") == 3, "the slots are used, and never exceeded")
            // A lease lasts until its outcome is written: at most max_in_flight more wait for the batched write.
            #expect(queue.peak("target:sink") <= 6, "leased: \(queue.peak("target:sink"))")
            for id in ids {
                let row = try #require(queue.row(id))
                #expect(
                    row.status == .succeeded && row.recorded.map(\.number) == [1] && row.recorded.first?.statusCode == 200, "\(id): \(row.recorded)")
            }
            let sent = sink.requests("/slow").compactMap { $0.header("webhook-id") }
            #expect(sent.count == 20 && Set(sent).count == 20, "one request per delivery: \(sent)")
        }
    }

    @Test("a 500 is recorded and retried after the schedule's next delay; a failure on the schedule's last entry leaves the delivery dead")
    func retryThenDead() async throws {
        let failsOnce: WebhookSink.Behaviour = { _, n in WebhookSink.Answer(status: n > 1 ? .ok : .internalServerError) }
        try await WebhookSink.with(behaviour: failsOnce) { sink in
            let queue = InMemoryDeliveryQueue()
            queue.enqueue(["dlv_flaky"], to: "target:sink")
            try await withWorkers(queue: queue, sink: sink, path: "/flaky", maxInFlight: 1, retry: "[0s, 300ms]") {
                try await settled(["dlv_flaky"], in: queue)
            }
            let row = try #require(queue.row("dlv_flaky"))
            #expect(row.status == .succeeded)
            #expect(row.recorded.map(\.statusCode) == [500, 200])
            let gap = row.recorded[1].startedAt.timeIntervalSince(row.recorded[0].startedAt)
            #expect(gap >= 0.3 && gap < 3, "the second attempt waits the schedule's 300 ms: \(gap)s")
        }
        let down: WebhookSink.Behaviour = { _, _ in WebhookSink.Answer(status: .internalServerError) }
        try await WebhookSink.with(behaviour: down) { sink in
            let queue = InMemoryDeliveryQueue()
            queue.enqueue(["dlv_down"], to: "target:sink")
            try await withWorkers(queue: queue, sink: sink, path: "/down", maxInFlight: 1, retry: "[0s, 50ms]") {
                try await settled(["dlv_down"], in: queue)
            }
            let row = try #require(queue.row("dlv_down"))
            #expect(row.status == .dead && row.recorded.map(\.statusCode) == [500, 500], "two entries, two attempts: \(row.recorded)")
        }
    }
}
