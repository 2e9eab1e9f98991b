import ArgumentParser
import Foundation
import HookGateAdminClient

/// `hookgate events list|show`.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "Canonical events the gateway stored.", subcommands: [List.self, Show.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List events, newest first.")
        @OptionGroup var admin: AdminOptions
        @OptionGroup var page: PageOptions
        @Option(help: "Only this source id (stripe, twilio, …).") var source: String?
        @Option(help: "Only this type: exact, a prefix such as payment.*, or *.") var type: String?

        func run() async throws {
            try await admin.run { client in
                let reply = try await client.get("/v1/events", query: [("source", source), ("type", type)] + page.query)
                admin.outputList(reply, columns: ["ID", "TYPE", "SOURCE", "SUBJECT", "TIME"]) { event in
                    [
                        event["id"], event["type"], (event["source"] as? String)?.replacingOccurrences(of: "hookgate/", with: ""), event["subject"],
                        event["time"],
                    ]
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One event with its deliveries.")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "The event id (evt_…).") var id: String

        func run() async throws {
            try await admin.run { client in
                let reply = try await client.get("/v1/events/\(id)")
                admin.output(reply) { event in
                    var table = Table(["DELIVERY", "DESTINATION", "STATUS", "ATTEMPTS", "LAST STATUS", "NEXT ATTEMPT"])
                    for delivery in event["deliveries"] as? [[String: Any]] ?? [] {
                        table.add(
                            [
                                delivery["id"], delivery["destination"], delivery["status"], delivery["attempts"], delivery["last_status"],
                                delivery["next_attempt_at"],
                            ].map(cell))
                    }
                    let summary = fields([
                        ("id", event["id"]), ("type", event["type"]), ("source", event["source"]), ("subject", event["subject"]),
                        ("time", event["time"]),
                    ])
                    return summary + "\n\n" + (table.rows.isEmpty ? "no deliveries" : table.render())
                }
            }
        }
    }
}
