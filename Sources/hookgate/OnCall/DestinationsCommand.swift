import ArgumentParser
import HookGateAdminClient

/// `hookgate destinations`: every target and active subscription with its health, the first look in an incident.
struct DestinationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "destinations", abstract: "Targets and subscriptions with their health: circuit, backlog, last success and failure."
    )

    @OptionGroup var admin: AdminOptions

    func run() async throws {
        try await admin.run { client in
            let reply = try await client.get("/v1/destinations")
            admin.outputList(reply, columns: ["DESTINATION", "CIRCUIT", "PENDING", "DUE", "IN FLIGHT", "DEAD", "LAST SUCCESS", "LAST FAILURE"]) {
                destination in
                [
                    destination["name"], destination["circuit"], destination["pending"], destination["due"], destination["in_flight"],
                    destination["dead"],
                    destination["last_success_at"], destination["last_failure_at"],
                ]
            }
        }
    }
}
