import ArgumentParser
import Foundation
import HookGateAdminClient

/// `hookgate subscriptions list|create|delete|rotate-secret|test`.
struct SubscriptionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subscriptions", abstract: "Outbound webhook subscriptions.",
        subcommands: [List.self, Create.self, Delete.self, RotateSecret.self, Test.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List subscriptions.")
        @OptionGroup var admin: AdminOptions

        func run() async throws {
            try await admin.run { client in
                admin.outputList(try await client.get("/v1/subscriptions"), columns: ["ID", "STATUS", "URL", "TYPES", "SOURCES", "DESCRIPTION"]) {
                    subscription in
                    [
                        subscription["id"], subscription["status"], subscription["url"], subscription["types"], subscription["sources"],
                        subscription["description"],
                    ]
                }
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Subscribe an endpoint; prints its signing secret, once.")
        @OptionGroup var admin: AdminOptions
        @Option(help: "The endpoint (https).") var url: String
        @Option(name: .customLong("type"), help: "An event type or pattern (payment.*, *); repeat for more.") var types: [String]
        @Option(name: .customLong("source"), help: "Only events of this source id; repeat for more.") var sources: [String] = []
        @Option(help: "What it is for, and whose it is.") var description: String?

        func run() async throws {
            try await admin.run { client in
                var body: [String: Any] = ["url": url, "types": types]
                if !sources.isEmpty { body["sources"] = sources }
                if let description { body["description"] = description }
                let reply = try await client.send(.POST, "/v1/subscriptions", json: body)
                admin.output(reply) { subscription in
                    fields([
                        ("id", subscription["id"]), ("url", subscription["url"]), ("types", subscription["types"]),
                        ("secret", subscription["secret"]),
                    ])
                        + "\n\nKeep the secret: it is shown only now. Verify webhook-signature with it (Standard Webhooks)."
                }
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a subscription; what was still to be sent to it is cancelled.")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "The subscription id (sub_…).") var id: String

        func run() async throws {
            try await admin.run { client in
                _ = try await client.send(.DELETE, "/v1/subscriptions/\(id)")
                print(admin.json ? #"{"id":"\#(id)","deleted":true}"# : "deleted \(id)")
            }
        }
    }

    struct RotateSecret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-secret", abstract: "A new signing secret; the old one keeps signing alongside for 24 h."
        )
        @OptionGroup var admin: AdminOptions
        @Argument(help: "The subscription id (sub_…).") var id: String

        func run() async throws {
            try await admin.run { client in
                let reply = try await client.send(.POST, "/v1/subscriptions/\(id)/rotate-secret")
                admin.output(reply) { rotated in
                    fields([("id", rotated["id"]), ("secret", rotated["secret"]), ("old secret signs until", rotated["previous_secret_expires_at"])])
                }
            }
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send a hookgate.test event now and show how the endpoint answered.")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "The subscription id (sub_…).") var id: String
        @Option(help: "How long to wait for the first attempt, in seconds.") var wait: Int = 15

        func run() async throws {
            try await admin.run { client in
                let queued = try await client.send(.POST, "/v1/subscriptions/\(id)/test")
                guard let deliveryID = queued.object["delivery_id"] as? String else { return admin.output(queued) { _ in "queued" } }
                let deadline = ContinuousClock.now + .seconds(wait)
                var reply = try await client.get("/v1/deliveries/\(deliveryID)")
                while (reply.object["attempts"] as? [Any])?.isEmpty != false, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(200))
                    reply = try await client.get("/v1/deliveries/\(deliveryID)")
                }
                let delivery = reply.object
                let attempt = (delivery["attempts"] as? [[String: Any]])?.last
                admin.output(reply) { _ in
                    fields([
                        ("event", queued.object["event_id"]), ("delivery", deliveryID), ("status", delivery["status"]),
                        (
                            "answered",
                            attempt.map { cell($0["status_code"]).isEmpty ? cell($0["error"]) : cell($0["status_code"]) } ?? "no attempt yet"
                        ),
                        ("took (ms)", attempt?["duration_ms"]),
                    ])
                }
                guard delivery["status"] as? String == "succeeded" else { throw ExitCode(1) }
            }
        }
    }
}
