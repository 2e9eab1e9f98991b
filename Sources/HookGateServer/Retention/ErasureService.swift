import Foundation
import HookGateCore
import HookGateStorage
import Logging
import ServiceLifecycle

/// Runs erasures (DESIGN.md §13) in the background, each as soon as it is submitted, recording its progress after
/// every window of its scan. That record is also its heartbeat: an erasure whose process stopped has its progress
/// go stale, and a sweep (at start and every minute, by any instance) marks it failed, because the customer's
/// values were never stored and it cannot resume. Graceful shutdown stops an erasure between windows and records it
/// as failed, to be submitted again.
final class ErasureService: Service, Sendable {
    private let store: any EventStore
    private let logger: Logger
    private let ready: @Sendable () async throws -> Void
    private let jobs: AsyncStream<Work>
    private let submitted: AsyncStream<Work>.Continuation
    /// How long without progress makes a running erasure an interrupted one; many windows fit in it.
    static let staleAfter: TimeInterval = 60

    private struct Job: Sendable {
        var id: String
        var scope: ErasureScope
        var sources: [String]?
        var keeping: String?
    }

    /// An erasure recorded and to run, or one to record first (asked for by a stored privacy request).
    private enum Work: Sendable {
        case run(Job)
        case start(ErasureScope, sources: [String], keeping: String, actor: String)
    }

    init(store: any EventStore, logger: Logger, ready: @escaping @Sendable () async throws -> Void) {
        self.store = store
        self.logger = logger
        self.ready = ready
        (jobs, submitted) = AsyncStream.makeStream(of: Work.self)
    }

    /// Records a new erasure as running (with `audit`'s entry, given the new id) and starts it. `keeping` is the
    /// event that requested it, which is never erased.
    func start(
        _ scope: ErasureScope, sources: [String]?, keeping: String? = nil, actor: String, audit: (_ id: String, _ now: Date) -> AuditEntry
    ) async throws -> ErasureProgress {
        let now = Date()
        let id = Identifier.make(prefix: "era_", now: now)
        let total = try await store.countErasable(sources: sources)
        try await store.startErasure(
            id: id, actor: actor, scope: Self.describe(scope, sources: sources), total: total, audit: audit(id, now), now: now)
        submitted.yield(.run(Job(id: id, scope: scope, sources: sources, keeping: keeping)))
        return ErasureProgress(
            id: id, state: .running, actor: actor, scope: Self.describe(scope, sources: sources), counts: ErasureCounts(), total: total, error: nil,
            createdAt: now, updatedAt: now)
    }

    /// Starts an erasure in the background that the stored event `keeping` asked for (a Shopify redact topic on an
    /// `auto_erase` source): the webhook's answer does not wait for it.
    func request(_ scope: ErasureScope, sources: [String], keeping: String, actor: String) {
        submitted.yield(.start(scope, sources: sources, keeping: keeping, actor: actor))
    }

    /// What the erasure covers, without the customer's values.
    static func describe(_ scope: ErasureScope, sources: [String]?) -> String {
        scope.description + (sources.map { " in " + $0.joined(separator: ", ") } ?? "")
    }

    func run() async throws {
        try await ready()
        await withDiscardingTaskGroup { group in
            group.addTask { await self.sweepEveryMinute() }
            await withGracefulShutdownHandler {
                for await work in self.jobs {
                    switch work {
                    case .run(let job):
                        group.addTask { await self.erase(job) }
                    case .start(let scope, let sources, let keeping, let actor):
                        group.addTask { await self.start(scope, sources: sources, keeping: keeping, actor: actor) }
                    }
                }
            } onGracefulShutdown: {
                self.submitted.finish()
            }
            // Erasures under way stop between windows and are recorded as failed.
            group.cancelAll()
        }
    }

    private func start(_ scope: ErasureScope, sources: [String], keeping: String, actor: String) async {
        do {
            let started = try await start(scope, sources: sources, keeping: keeping, actor: actor) { id, now in
                Audit.entry(actor: actor, action: "erasure.create", target: id, at: now) { writer in
                    writer.field("scope", Self.describe(scope, sources: sources))
                    writer.field("requested_by", keeping)
                }
            }
            logger.notice(
                "privacy request started an erasure", metadata: ["hookgate.event_id": "\(keeping)", "hookgate.erasure_id": "\(started.id)"])
        } catch {
            logger.error(
                "cannot start the erasure a privacy request asked for; start it with hookgate erase",
                metadata: ["hookgate.event_id": "\(keeping)", "hookgate.error": "\(error)"])
        }
    }

    private func sweepEveryMinute() async {
        while !Task.isCancelled {
            let now = Date()
            do {
                let failed = try await store.failInterruptedErasures(
                    reason: "interrupted: its gateway stopped before it finished; submit it again",
                    staleBefore: now.addingTimeInterval(-Self.staleAfter),
                    now: now)
                if failed > 0 { logger.warning("erasures interrupted by a stop were marked failed", metadata: ["hookgate.count": "\(failed)"]) }
            } catch {
                logger.warning("cannot check for interrupted erasures", metadata: ["hookgate.error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(Self.staleAfter / 2))
        }
    }

    private func erase(_ job: Job) async {
        let store = self.store
        var counts = ErasureCounts()
        do {
            counts = try await Eraser(store: store).run(job.scope, sources: job.sources, keeping: job.keeping) { progress in
                counts = progress
                try await store.recordErasure(id: job.id, state: .running, counts: progress, error: nil, now: Date())
            }
            let now = Date()
            try await store.recordErasure(id: job.id, state: .done, counts: counts, error: nil, now: now)
            try await store.appendAudit(
                Audit.entry(actor: "hookgate", action: "erasure.done", target: job.id, at: now) { writer in
                    writer.field("receipts", counts.receipts)
                    writer.field("events", counts.events)
                    writer.field("deliveries_cancelled", counts.deliveriesCancelled)
                })
            logger.notice(
                "erasure done",
                metadata: ["hookgate.erasure_id": "\(job.id)", "hookgate.events": "\(counts.events)", "hookgate.receipts": "\(counts.receipts)"])
        } catch {
            let reason = error is CancellationError ? "interrupted by shutdown; submit it again" : "\(error)"
            logger.error("erasure failed", metadata: ["hookgate.erasure_id": "\(job.id)", "hookgate.error": "\(reason)"])
            try? await store.recordErasure(id: job.id, state: .failed, counts: counts, error: reason, now: Date())
        }
    }
}
