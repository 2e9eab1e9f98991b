import Foundation
import HookGateCore
import HookGateDelivery
import NIOCore
import Testing
import Yams

@testable import HookGateServer

/// The admin API's Codable types and `openapi.yaml` say the same thing: each request type knows exactly the members
/// its schema lists, and each response, encoded with every optional member present and then with none, has only
/// members its schema lists, every required one, and null only where the schema allows it.
@Suite("OpenAPI agreement")
struct OpenAPIAgreementTests {
    private let document: [String: Any]

    init() throws {
        document = try #require(try Yams.load(yaml: String(decoding: OpenAPIDocument.yaml, as: UTF8.self)) as? [String: Any])
    }

    /// `$ref` followed and `allOf` merged: the properties, the required names and the types a schema allows.
    private func resolve(_ schema: [String: Any]) throws -> [String: Any] {
        if let reference = schema["$ref"] as? String {
            let name = try #require(reference.split(separator: "/").last.map(String.init))
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            return try resolve(try #require(schemas[name] as? [String: Any], "\(reference)"))
        }
        guard let parts = schema["allOf"] as? [[String: Any]] else { return schema }
        var merged: [String: Any] = ["type": "object", "properties": [String: Any](), "required": [String]()]
        for part in try parts.map(resolve) {
            merged["properties"] = (merged["properties"] as! [String: Any]).merging(part["properties"] as? [String: Any] ?? [:]) { $1 }
            merged["required"] = (merged["required"] as! [String]) + (part["required"] as? [String] ?? [])
        }
        return merged
    }

    private func operation(_ method: String, _ path: String) throws -> [String: Any] {
        let paths = try #require(document["paths"] as? [String: Any])
        return try #require((paths[path] as? [String: Any])?[method] as? [String: Any], "\(method) \(path)")
    }

    private func requestSchema(_ method: String, _ path: String) throws -> [String: Any] {
        let body = try #require(try operation(method, path)["requestBody"] as? [String: Any])
        let content = try #require((body["content"] as? [String: Any])?["application/json"] as? [String: Any])
        return try resolve(try #require(content["schema"] as? [String: Any]))
    }

    private func responseSchema(_ method: String, _ path: String, _ status: String) throws -> [String: Any] {
        let responses = try #require(try operation(method, path)["responses"] as? [String: Any])
        let response = try #require(responses[status] as? [String: Any], "\(method) \(path) \(status)")
        let content = try #require((response["content"] as? [String: Any])?["application/json"] as? [String: Any])
        return try resolve(try #require(content["schema"] as? [String: Any]))
    }

    /// Where `value` (decoded JSON) strays from `schema`, as readable lines; empty when it agrees.
    private func disagreements(_ value: Any, _ schema: [String: Any], at path: String) throws -> [String] {
        let schema = try resolve(schema)
        let types = (schema["type"] as? [String]) ?? (schema["type"] as? String).map { [$0] } ?? []
        if value is NSNull { return types.contains("null") ? [] : ["\(path) is null, which \(types) does not allow"] }
        if let object = value as? [String: Any], let properties = schema["properties"] as? [String: Any] {
            var found = (schema["required"] as? [String] ?? []).filter { object[$0] == nil }.map { "\(path).\($0) is required but missing" }
            for (name, member) in object.sorted(by: { $0.key < $1.key }) {
                guard let property = properties[name] as? [String: Any] else {
                    found.append("\(path).\(name) is not in the schema")
                    continue
                }
                found += try disagreements(member, property, at: "\(path).\(name)")
            }
            return found
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            return try array.enumerated().flatMap { try disagreements($1, items, at: "\(path)[\($0)]") }
        }
        return []
    }

    private func check(_ value: some Encodable, against schema: [String: Any], _ name: String) throws {
        let json = try JSONSerialization.jsonObject(with: Data(try AdminJSON.encode(value)), options: [.fragmentsAllowed])
        let found = try disagreements(json, schema, at: name)
        #expect(found.isEmpty, "\(found.joined(separator: "; "))")
    }

    @Test("each request type knows exactly the members its schema lists")
    func requests() throws {
        let cases: [(String, String, [String])] = [
            ("post", "/v1/subscriptions", SubscriptionCreateRequest.members),
            ("patch", "/v1/subscriptions/{id}", SubscriptionUpdateRequest.members),
            ("post", "/v1/replays", ReplayRequest.members),
            ("post", "/v1/events/{id}/redeliver", RedeliverRequest.members),
            ("post", "/v1/erasures", ErasureRequest.members),
        ]
        for (method, path, members) in cases {
            let properties = try #require(try requestSchema(method, path)["properties"] as? [String: Any])
            #expect(Set(properties.keys) == Set(members), "\(method) \(path)")
            #expect(try requestSchema(method, path)["additionalProperties"] as? Bool == false, "\(method) \(path) is closed, as the type is")
        }
        let filter = try #require(try requestSchema("post", "/v1/replays")["properties"] as? [String: Any])["filter"] as? [String: Any]
        #expect(Set((filter?["properties"] as? [String: Any] ?? [:]).keys) == Set(ReplayRequest.Filter.members))
        let customer = try #require(try requestSchema("post", "/v1/erasures")["properties"] as? [String: Any])["customer"] as? [String: Any]
        #expect(Set((customer?["properties"] as? [String: Any] ?? [:]).keys) == Set(ErasureRequest.customerMembers))
    }

    @Test("each response type, with optional members present and absent, fits its schema")
    func responses() throws {
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let full = StoredSubscription(
            id: "sub_1", url: "https://a.example/hook", types: ["payment.*"], sources: ["stripe"], description: "billing", secret: "whsec_abc",
            status: .disabled, disabledReason: "the endpoint answered 410 Gone", createdAt: now, updatedAt: now
        )
        let bare = StoredSubscription(
            id: "sub_2", url: "https://b.example", types: ["*"], sources: nil, description: nil, secret: "whsec_x", createdAt: now, updatedAt: now)
        for subscription in [full, bare] {
            try check(
                SubscriptionResponse(subscription, includeSecret: false), against: try responseSchema("get", "/v1/subscriptions/{id}", "200"),
                "subscription")
            try check(
                SubscriptionResponse(subscription, includeSecret: true), against: try responseSchema("post", "/v1/subscriptions", "201"), "created")
            try check(
                ListPage(data: [SubscriptionResponse(subscription, includeSecret: false)], nextCursor: nil),
                against: try responseSchema("get", "/v1/subscriptions", "200"), "subscriptions")
        }
        let configuration = try ConfigurationLoader.parse(yaml: "targets:\n  - { id: billing, url: \"http://billing.internal\" }\n", environment: [:])
        let target = try #require(DestinationDirectory(configuration: configuration).all.first)
        var backlog = DestinationBacklog()
        backlog.pending = 3
        for destination in [
            DestinationResponse(target, circuit: "open", backlog: backlog, lastSuccess: now, lastFailure: now),
            DestinationResponse(target, circuit: nil, backlog: DestinationBacklog(), lastSuccess: nil, lastFailure: nil),
        ] {
            try check(
                ListPage(data: [destination], nextCursor: "dst_x"), against: try responseSchema("get", "/v1/destinations", "200"), "destinations")
        }
        try check(
            SecretRotationResponse(id: "sub_1", secret: "whsec_new", previousSecretExpiresAt: Timestamp.rfc3339(now, milliseconds: true)),
            against: try responseSchema("post", "/v1/subscriptions/{id}/rotate-secret", "200"), "rotation")
        for delivery in ["dlv_1", nil] {
            try check(
                TestSendResponse(eventID: "evt_1", deliveryID: delivery), against: try responseSchema("post", "/v1/subscriptions/{id}/test", "202"),
                "test")
        }
        try check(
            RedeliveryResponse(eventID: "evt_1", deliveries: [.init(id: "dlv_1", destination: "target:billing", result: "queued")]),
            against: try responseSchema("post", "/v1/events/{id}/redeliver", "202"), "redeliver")
        try check(
            ReplayCountsResponse(id: nil, matched: 4, queued: 0, dryRun: true), against: try responseSchema("post", "/v1/replays", "200"), "dry run")
        try check(
            ReplayCountsResponse(id: "rpl_1", matched: 4, queued: 4, dryRun: false), against: try responseSchema("post", "/v1/replays", "202"),
            "replay")
        try check(
            DeliveryQueuedResponse(id: "dlv_1", status: "pending"), against: try responseSchema("post", "/v1/deliveries/{id}/replay", "202"), "queued"
        )
        let entry = AuditEntry(
            id: "aud_1", at: now, actor: "oncall", action: "receipts.renormalize", target: "all receipts",
            detail: #"{"receipts":3,"changed":1,"note":"x","dry":false}"#)
        try check(ListPage(data: [try AuditEntryResponse(entry)], nextCursor: nil), against: try responseSchema("get", "/v1/audit", "200"), "audit")
        let receipt = StoredReceipt(
            id: "rcp_1", sourceID: "stripe", dedupeKey: "stripe:evt_1", status: .unparsed, receivedAt: now,
            headers: #"{"content-type":"application/json","x-tag":"a, b"}"#, body: ByteBuffer(string: "{not json"), bodyBytes: 9, eventIDs: [])
        try check(try ReceiptResponse(receipt, withBody: true), against: try responseSchema("get", "/v1/receipts/{id}", "200"), "receipt")
        try check(
            ListPage(data: [try ReceiptResponse(receipt, withBody: false)], nextCursor: "rcp_0"),
            against: try responseSchema("get", "/v1/receipts", "200"),
            "receipts")
        try check(
            IngestStatsResponse(since: "2026-12-07T10:00:00.000Z", data: [.init(source: "stripe", outcome: "invalid_signature", count: 3)]),
            against: try responseSchema("get", "/v1/stats/ingest", "200"), "ingest stats")
        for cancelledAt in [now, nil] {
            let progress = ReplayProgress(
                id: "rpl_1", filter: #"{"status":"dead","type":"payment.*"}"#, actor: "oncall", createdAt: now, matched: 10, queued: 10, succeeded: 4,
                failed: 1, cancelled: 5, cancelledAt: cancelledAt)
            try check(try ReplayResponse(progress), against: try responseSchema("get", "/v1/replays/{id}", "200"), "replay progress")
        }
        var removed = PruneCounts()
        removed.events = 200
        for (retention, pass) in [
            (HookGateConfiguration.Retention.defaults, RetentionStatus.Pass(finishedAt: now, removed: removed)),
            (HookGateConfiguration.Retention(receiptBodies: nil, events: nil, audit: nil), nil),
        ] {
            try check(
                RetentionResponse(retention, lastPass: pass, storageBytes: pass == nil ? nil : 4096),
                against: try responseSchema("get", "/v1/retention", "200"), "retention")
        }
        for (state, error) in [(ErasureState.running, nil), (.failed, "interrupted")] {
            let erasure = ErasureProgress(
                id: "era_1", state: state, actor: "oncall", scope: "customer email in shopify",
                counts: ErasureCounts(receipts: 2, events: 3, scanned: 9),
                total: 10, error: error, createdAt: now, updatedAt: now)
            try check(ErasureResponse(erasure), against: try responseSchema("post", "/v1/erasures", "202"), "erasure started")
            try check(ErasureResponse(erasure), against: try responseSchema("get", "/v1/erasures/{id}", "200"), "erasure")
            try check(
                ListPage(data: [ErasureResponse(erasure)], nextCursor: nil), against: try responseSchema("get", "/v1/erasures", "200"), "erasures")
        }
        let pending = DeliverySummary(
            id: "dlv_1", eventID: "evt_1", destination: "target:billing", status: .pending, attempts: 1, nextAttemptAt: now, lastStatus: 503)
        let done = DeliverySummary(
            id: "dlv_2", eventID: "evt_1", destination: "target:billing", status: .succeeded, attempts: 0, nextAttemptAt: nil, lastStatus: nil)
        let attempts = [
            DeliveryAttempt(number: 1, startedAt: now, durationMilliseconds: 12, statusCode: 503, error: nil, responseSnippet: "busy"),
            DeliveryAttempt(number: 2, startedAt: now, durationMilliseconds: 5_000, statusCode: nil, error: "timeout", responseSnippet: nil),
        ]
        for delivery in [pending, done] {
            try check(
                ListPage(data: [DeliveryResponse(delivery, withEventID: true)], nextCursor: "dlv_0"),
                against: try responseSchema("get", "/v1/deliveries", "200"), "deliveries")
            let next = NextAttempt.of(delivery, attempts: attempts, retry: .standard, circuit: "closed", now: now)
            try check(
                DeliveryResponse(delivery, withEventID: true, attempts: attempts.map(AttemptResponse.init), nextAttempt: next),
                against: try responseSchema("get", "/v1/deliveries/{id}", "200"), "delivery")
            let event = try #require(try responseSchema("get", "/v1/events/{id}", "200")["properties"] as? [String: Any])
            try check(
                [DeliveryResponse(delivery, withEventID: false)], against: try #require(event["deliveries"] as? [String: Any]), "event.deliveries")
        }
    }

    @Test("the checker itself catches a member the schema does not list, a missing required one and a stray null")
    func checkerCanFail() throws {
        let schema = try responseSchema("post", "/v1/subscriptions/{id}/test", "202")
        #expect(try disagreements(["event_id": "evt_1", "delivery_id": NSNull(), "extra": 1], schema, at: "x") == ["x.extra is not in the schema"])
        #expect(try disagreements(["delivery_id": "dlv_1"], schema, at: "x") == ["x.event_id is required but missing"])
        #expect(try disagreements(["event_id": NSNull(), "delivery_id": "d"], schema, at: "x").count == 1)
    }
}
