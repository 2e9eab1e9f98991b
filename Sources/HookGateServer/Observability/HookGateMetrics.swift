import CoreMetrics
import HookGateCore

/// Every metric HookGate exports, created once at start-up with label values from the configuration and the
/// closed type list only, so request input can never choose a label (DESIGN.md §10).
struct HookGateMetrics: Sendable {
    /// `outcome` label values for ingest requests.
    enum Outcome: String, CaseIterable, Sendable {
        case accepted, duplicate, unrecognized, unparsed, ping
        case invalidSignature = "invalid_signature"
        case payloadTooLarge = "payload_too_large"
        case rateLimited = "rate_limited"
        case unavailable
        case unknownSource = "unknown_source"
        case methodNotAllowed = "method_not_allowed"
        case badRequest = "bad_request"
    }

    /// The `source` label for requests to a path that names no configured source.
    static let unknownSourceLabel = "unknown"

    private let requests: [String: [Outcome: Counter]]
    private let verificationFailures: [String: Counter]
    private let latency: [String: Timer]
    private let events: [String: Counter]
    let storageErrors: Counter
    /// The last hour's requests, for the console (not exported).
    let window: IngestWindow

    init(sourceIDs: [String], factory: any MetricsFactory) {
        var requests: [String: [Outcome: Counter]] = [:]
        var failures: [String: Counter] = [:]
        var latency: [String: Timer] = [:]
        for source in sourceIDs + [Self.unknownSourceLabel] {
            requests[source] = Dictionary(
                uniqueKeysWithValues: Outcome.allCases.map { outcome in
                    (
                        outcome,
                        Counter(
                            label: "hookgate_ingest_requests_total", dimensions: [("source", source), ("outcome", outcome.rawValue)], factory: factory
                        )
                    )
                })
        }
        for source in sourceIDs {
            failures[source] = Counter(label: "hookgate_verification_failures_total", dimensions: [("source", source)], factory: factory)
            latency[source] = Timer(label: "hookgate_ingest_duration_seconds", dimensions: [("source", source)], factory: factory)
        }
        let typeLabels = EventType.canonical.union(ProviderKind.allCases.map { "provider.\($0.rawValue)" })
            .union(EventType.messagingChannels).union(["other"])
        self.requests = requests
        self.verificationFailures = failures
        self.latency = latency
        self.events = Dictionary(
            uniqueKeysWithValues: typeLabels.map { label in
                (label, Counter(label: "hookgate_events_total", dimensions: [("type", label)], factory: factory))
            })
        self.storageErrors = Counter(label: "hookgate_storage_errors_total", factory: factory)
        self.window = IngestWindow(sources: sourceIDs + [Self.unknownSourceLabel])
    }

    func request(source: String?, outcome: Outcome) {
        requests[source ?? Self.unknownSourceLabel]?[outcome]?.increment()
        window.record(source: source ?? Self.unknownSourceLabel, outcome: outcome)
        if outcome == .invalidSignature, let source { verificationFailures[source]?.increment() }
    }

    func duration(source: String, _ duration: Duration) {
        latency[source]?.recordNanoseconds(duration.nanoseconds)
    }

    func event(type: String) {
        events[EventType.metricLabel(for: type)]?.increment()
    }
}
