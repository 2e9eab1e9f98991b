import ArgumentParser
import Foundation
import HookGateAdminClient

/// `hookgate deliveries list|show`.
struct DeliveriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliveries", abstract: "Deliveries of events to targets and subscriptions.", subcommands: [List.self, Show.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List deliveries, newest first.")
        @OptionGroup var admin: AdminOptions
        @OptionGroup var page: PageOptions
        @Option(help: "pending, in_flight, succeeded, dead or cancelled.") var status: String?
        @Option(help: "target:<id> or subscription:<id>.") var destination: String?
        @Option(help: "Only deliveries of this event.") var event: String?

        func run() async throws {
            try await admin.run { client in
                let reply = try await client.get(
                    "/v1/deliveries", query: [("status", status), ("destination", destination), ("event_id", event)] + page.query)
                admin.outputList(reply, columns: ["ID", "DESTINATION", "STATUS", "ATTEMPTS", "LAST STATUS", "NEXT ATTEMPT", "EVENT"]) { delivery in
                    [
                        delivery["id"], delivery["destination"], delivery["status"], delivery["attempts"], delivery["last_status"],
                        delivery["next_attempt_at"], delivery["event_id"],
                    ]
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One delivery with every attempt.")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "The delivery id (dlv_…).") var id: String

        func run() async throws {
            try await admin.run { client in
                let reply = try await client.get("/v1/deliveries/\(id)")
                admin.output(reply) { delivery in
                    var table = Table(["#", "STARTED", "MS", "STATUS", "ERROR", "RESPONSE"])
                    for attempt in delivery["attempts"] as? [[String: Any]] ?? [] {
                        let snippet = cell(attempt["response_snippet"]).replacingOccurrences(of: "\n", with: " ")
                        table.add([
                            cell(attempt["number"]), cell(attempt["started_at"]), cell(attempt["duration_ms"]), cell(attempt["status_code"]),
                            cell(attempt["error"]), snippet,
                        ])
                    }
                    let summary = fields([
                        ("id", delivery["id"]), ("event", delivery["event_id"]), ("destination", delivery["destination"]),
                        ("status", delivery["status"]),
                        ("next attempt", delivery["next_attempt_at"]),
                        ("why", (delivery["next_attempt"] as? [String: Any])?["detail"]),
                    ])
                    return summary + "\n\n" + (table.rows.isEmpty ? "no attempts yet" : table.render())
                }
            }
        }
    }
}
