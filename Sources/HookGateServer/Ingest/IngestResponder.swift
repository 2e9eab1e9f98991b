import CoreMetrics
import Foundation
import HTTPTypes
import HookGateCore
import HookGateDelivery
import HookGateStorage
import Hummingbird
import Logging
import NIOCore

/// The public listener: `POST /webhooks/{source_id}` and nothing else (DESIGN.md §4).
///
/// Order of checks: path, source, method, rate limit, size, signature; then normalize, commit, answer. A 2xx is
/// only ever sent after ``IngestWriter`` reports the commit.
struct IngestResponder: HTTPResponder {
    typealias Context = IngestRequestContext

    let sources: [String: IngestSource]
    /// Makes the receipt's records; their deliveries are committed in the receipt's transaction.
    let intake: Intake
    /// Wakes this instance's delivery workers after a commit that created deliveries.
    let wake: WakeSignal?
    let writer: IngestWriter
    let rateLimiter: RateLimiter?
    let budget: BodyBudget
    let metrics: HookGateMetrics
    /// Starts the erasures that stored privacy requests on `auto_erase` sources ask for.
    let autoErasure: AutoErasure?

    private static let pathPrefix = "/webhooks/"
    private static let emptyTwiML = Array(#"<?xml version="1.0" encoding="UTF-8"?><Response/>"#.utf8)

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        let path = request.uri.path
        // Byte-wise: `Substring.contains(String)` goes through Foundation's `range(of:)`, 1 % of the gateway's CPU.
        let sourceID = path.utf8.dropFirst(Self.pathPrefix.utf8.count)
        guard path.hasPrefix(Self.pathPrefix), !sourceID.contains(UInt8(ascii: "/")) else {
            return .error(.notFound, "not_found")
        }
        guard let source = sources[String(Substring(sourceID))] else {
            metrics.request(source: nil, outcome: .unknownSource)
            return .error(.notFound, "unknown_source")
        }
        let response = await ingest(request, source: source, context: context)
        metrics.duration(source: source.id, started.duration(to: .now))
        return response
    }

    private func ingest(_ request: Request, source: IngestSource, context: Context) async -> Response {
        guard request.method == .post else {
            metrics.request(source: source.id, outcome: .methodNotAllowed)
            return .error(.methodNotAllowed, "method_not_allowed", headers: [.allow: "POST"])
        }
        if let rateLimiter, let client = context.clientAddress, let wait = rateLimiter.acquire(client: client) {
            metrics.request(source: source.id, outcome: .rateLimited)
            let seconds = max(1, wait.components.seconds + (wait.components.attoseconds > 0 ? 1 : 0))
            return .error(.tooManyRequests, "rate_limited", headers: [.retryAfter: String(seconds)])
        }
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > source.maxBodyBytes {
            metrics.request(source: source.id, outcome: .payloadTooLarge)
            return .error(.contentTooLarge, "payload_too_large")
        }
        // What the body may take, held until the answer: its declared length, or the source's limit when it is chunked
        // (never more than the whole budget, so that one source's larger limit cannot lock it out).
        let reserved = min(request.headers[.contentLength].flatMap(Int.init) ?? source.maxBodyBytes, source.maxBodyBytes, budget.capacity)
        guard budget.reserve(reserved) else {
            metrics.request(source: source.id, outcome: .unavailable)
            context.logger.warning("answered 503: request buffer budget full", metadata: ["hookgate.source": "\(source.id)"])
            return .error(.serviceUnavailable, "unavailable", headers: [.retryAfter: "1"])
        }
        defer { budget.release(reserved) }
        var request = request
        let body: ByteBuffer
        do {
            // The limit is enforced while reading: at most maxBodyBytes are ever buffered.
            body = try await request.collectBody(upTo: source.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            metrics.request(source: source.id, outcome: .payloadTooLarge)
            return .error(.contentTooLarge, "payload_too_large")
        } catch {
            metrics.request(source: source.id, outcome: .badRequest)
            return .error(.badRequest, "bad_request")
        }
        let receivedAt = Date()
        let webhook = InboundWebhook(
            sourceID: source.id, headers: request.headers, body: body, pathAndQuery: request.uri.string, receivedAt: receivedAt)
        if let reply = source.provider.unsignedReply(to: webhook) {
            metrics.request(source: source.id, outcome: .ping)
            return .json(.ok, reply)
        }
        guard source.provider.verify(webhook, now: receivedAt) else {
            metrics.request(source: source.id, outcome: .invalidSignature)
            context.logger.info("rejected webhook: invalid signature", metadata: ["hookgate.source": "\(source.id)"])
            return .error(.unauthorized, "invalid_signature")
        }
        let normalization = source.provider.normalize(webhook)
        let record = intake.record(for: webhook, normalization)
        let outcome: IngestOutcome
        do {
            outcome = try await writer.ingest(record)
            if case .stored = outcome {
                if record.events.contains(where: { !$0.deliveries.isEmpty }) { wake?.signal() }
                autoErasure?.stored(record)
            }
        } catch {
            metrics.storageErrors.increment()
            metrics.request(source: source.id, outcome: .unavailable)
            context.logger.warning("answered 503: storage unavailable", metadata: ["hookgate.source": "\(source.id)"])
            return .error(.serviceUnavailable, "unavailable", headers: [.retryAfter: "5"])
        }
        return accepted(outcome, normalization: normalization, source: source, context: context)
    }

    private func accepted(_ outcome: IngestOutcome, normalization: Normalization, source: IngestSource, context: Context) -> Response {
        let status: String
        switch outcome {
        case .stored(let ids):
            status = "accepted"
            let label: HookGateMetrics.Outcome =
                switch normalization.status {
                case .normalized: .accepted
                case .unrecognized: .unrecognized
                case .unparsed: .unparsed
                }
            metrics.request(source: source.id, outcome: label)
            normalization.events.forEach { metrics.event(type: $0.type) }
            context.logger.debug("stored webhook", metadata: ["hookgate.source": "\(source.id)", "hookgate.event_ids": "\(ids)"])
        case .duplicate:
            status = "duplicate"
            metrics.request(source: source.id, outcome: .duplicate)
        }
        if source.provider.acknowledgement == .twiml {
            return Response(status: .ok, headers: [.contentType: "text/xml"], body: .init(byteBuffer: ByteBuffer(bytes: Self.emptyTwiML)))
        }
        var writer = JSONWriter(capacity: 96)
        writer.object { writer in
            writer.field("status", status)
            writer.key("events")
            writer.array { writer in outcome.eventIDs.forEach { writer.string($0) } }
        }
        return .json(.ok, writer.bytes)
    }
}
