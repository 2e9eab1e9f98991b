import ArgumentParser
import Foundation
import HookGateAdminClient

/// `hookgate erase`: one customer's data, through the admin API, followed until it is done.
struct EraseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Erase everything stored about one customer (a data-subject request).",
        discussion: """
            hookgate erase --customer-email ana@example.com
            hookgate erase --customer-id 7115 --phone "+1 415 555 0100" --source shopify

            Every event whose data.customer has the id, email (without case) or phone (E.164), or whose from, to or
            recipient is the email or phone, loses its data ({"redacted": true}), its receipt's body and headers,
            and its undelivered deliveries. The audit log records the erasure, never the values. Ctrl-C stops
            watching; the erasure goes on in the gateway.
            """
    )

    @OptionGroup var admin: AdminOptions

    @Option(help: "The customer's id at the provider.") var customerID: String?
    @Option(help: "The customer's email (matched without case).") var customerEmail: String?
    @Option(help: "The customer's phone, in E.164 or with its country code (+1 415 555 0100).") var phone: String?
    @Option(name: .customLong("source"), help: "Only this source (repeatable); all sources when absent.") var sources: [String] = []

    func validate() throws {
        guard customerID != nil || customerEmail != nil || phone != nil else {
            throw ValidationError("give at least one of --customer-id, --customer-email, --phone")
        }
    }

    func run() async throws {
        try await admin.run { client in
            var customer: [String: Any] = [:]
            customer["id"] = customerID
            customer["email"] = customerEmail
            customer["phone"] = phone
            var body: [String: Any] = ["customer": customer]
            if !sources.isEmpty { body["sources"] = sources }
            let started = try await client.send(.POST, "/v1/erasures", json: body)
            guard let id = started.object["id"] as? String else { throw CommandFailure("the gateway did not return an erasure id: \(started.text)") }
            let total = started.object["total"] as? Int ?? 0
            if !admin.json {
                FileHandle.standardError.write(Data("erasure \(id): looking at \(total) events (Ctrl-C stops watching; the erasure goes on)\n".utf8))
            }
            let progress = admin.json ? nil : ProgressLine()
            var reply = try await client.get("/v1/erasures/\(id)")
            while reply.object["state"] as? String == "running" {
                progress?.update(done: reply.object["scanned"] as? Int ?? 0, total: total, note: "\(cell(reply.object["events"])) erased")
                try await Task.sleep(for: .milliseconds(500))
                reply = try await client.get("/v1/erasures/\(id)")
            }
            let final = reply.object
            progress?.update(done: final["scanned"] as? Int ?? 0, total: total, note: "\(cell(final["events"])) erased")
            progress?.finish()
            admin.output(reply) { state in
                fields([
                    ("erasure", state["id"]), ("state", state["state"]), ("scope", state["scope"]), ("events", state["events"]),
                    ("receipts", state["receipts"]), ("deliveries cancelled", state["deliveries_cancelled"]), ("error", state["error"]),
                ])
            }
            if final["state"] as? String != "done" { throw ExitCode(1) }
        }
    }
}
