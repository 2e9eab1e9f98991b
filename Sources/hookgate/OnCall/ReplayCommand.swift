import ArgumentParser
import Foundation
import HookGateAdminClient

/// `hookgate replay`: deliveries by id, or every delivery a filter matches, paced per destination by the gateway.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Send deliveries again, with their original webhook-id.",
        discussion: """
            By id:      hookgate replay dlv_01J… dlv_01J…
            By filter:  hookgate replay --status dead --destination target:billing --since 2h --dry-run
                        (then without --dry-run; progress is shown until the replay completes)
            Cancel:     hookgate replay --cancel rpl_01J…

            A bulk replay never sends a destination more than its max_in_flight at once or more than its replay_rate a
            second, and live traffic goes first. Ctrl-C stops watching; the replay goes on in the gateway.
            """
    )

    @OptionGroup var admin: AdminOptions

    @Argument(help: "Delivery ids (dlv_…) to queue again now.")
    var ids: [String] = []

    @Option(help: "Filter: pending, succeeded, dead or cancelled.") var status: String?
    @Option(help: "Filter: target:<id> or subscription:<id>.") var destination: String?
    @Option(help: "Filter: event type, exact or a prefix such as payment.*.") var type: String?
    @Option(help: "Filter: source id.") var source: String?
    @Option(help: "Filter: deliveries made after this time (RFC 3339, or a duration before now such as 2h).") var since: String?
    @Option(help: "Filter: deliveries made before this time.") var until: String?

    @Flag(help: "Count what the filter matches and send nothing.")
    var dryRun = false

    @Flag(help: "Return once the replay is queued instead of following its progress.")
    var noWait = false

    @Option(help: "Cancel a bulk replay (rpl_…): what it has not sent yet is put back as it was.")
    var cancel: String?

    private var filter: [String: Any] {
        let members: [(String, String?)] = [
            ("status", status), ("destination", destination), ("type", type), ("source", source), ("since", since), ("until", until),
        ]
        return Dictionary(uniqueKeysWithValues: members.compactMap { name, value in value.map { (name, $0 as Any) } })
    }

    func validate() throws {
        let modes = [!ids.isEmpty, !filter.isEmpty, cancel != nil].filter { $0 }.count
        guard modes == 1 else {
            throw ValidationError("give delivery ids, or filter options (--status, --destination, --type, --source, --since, --until), or --cancel")
        }
        if dryRun && filter.isEmpty { throw ValidationError("--dry-run goes with filter options") }
    }

    func run() async throws {
        try await admin.run { client in
            if let cancel {
                try await cancelReplay(cancel, client)
            } else if !ids.isEmpty {
                try await replayByID(client)
            } else {
                try await replayByFilter(client)
            }
        }
    }

    private func replayByID(_ client: AdminClient) async throws {
        var table = Table(["DELIVERY", "RESULT"])
        var results: [[String: Any]] = []
        var firstFailure: AdminClientError?
        for id in ids {
            do {
                _ = try await client.send(.POST, "/v1/deliveries/\(id)/replay")
                table.add([id, "queued"])
                results.append(["id": id, "status": "queued"])
            } catch let error as AdminClientError {
                firstFailure = firstFailure ?? error
                table.add([id, "\(error)"])
                results.append(["id": id, "error": "\(error)"])
            }
        }
        if admin.json {
            print(String(decoding: try JSONSerialization.data(withJSONObject: ["data": results], options: [.sortedKeys]), as: UTF8.self))
        } else {
            print(table.render())
        }
        if let firstFailure { throw ExitCode(firstFailure.exitCode) }
    }

    private func replayByFilter(_ client: AdminClient) async throws {
        let created = try await client.send(.POST, "/v1/replays", json: ["filter": filter, "dry_run": dryRun])
        let matched = cell(created.object["matched"])
        if dryRun {
            admin.output(created) { _ in "\(matched) \(matched == "1" ? "delivery matches" : "deliveries match"); nothing was sent (dry run)" }
            return
        }
        guard let id = created.object["id"] as? String else { throw CommandFailure("the gateway did not return a replay id: \(created.text)") }
        let queued = created.object["queued"] as? Int ?? 0
        if noWait {
            admin.output(created) { _ in "replay \(id): \(matched) matched, \(queued) queued; follow it with GET /v1/replays/\(id)" }
            return
        }
        if !admin.json {
            FileHandle.standardError.write(
                Data(
                    "replay \(id): \(matched) matched, \(queued) queued (Ctrl-C stops watching; hookgate replay --cancel \(id) stops the replay)\n"
                        .utf8))
        }
        let progress = admin.json ? nil : ProgressLine()
        var reply = try await client.get("/v1/replays/\(id)")
        while reply.object["state"] as? String == "running" {
            let state = reply.object
            let succeeded = state["succeeded"] as? Int ?? 0
            let failed = state["failed"] as? Int ?? 0
            progress?.update(done: succeeded + failed, total: queued, note: "\(succeeded) ok · \(failed) failed · \(cell(state["queued"])) to go")
            try await Task.sleep(for: .milliseconds(500))
            reply = try await client.get("/v1/replays/\(id)")
        }
        let final = reply.object
        let succeeded = final["succeeded"] as? Int ?? 0
        let failed = final["failed"] as? Int ?? 0
        progress?.update(done: succeeded + failed, total: queued, note: "\(succeeded) ok · \(failed) failed")
        progress?.finish()
        admin.output(reply) { _ in summary(final) }
        // Deliveries that died again mean the destination is still failing: scripts should notice.
        if failed > 0 { throw ExitCode(1) }
    }

    private func cancelReplay(_ id: String, _ client: AdminClient) async throws {
        _ = try await client.send(.DELETE, "/v1/replays/\(id)")
        let reply = try await client.get("/v1/replays/\(id)")
        admin.output(reply) { summary($0) }
    }

    private func summary(_ state: [String: Any]) -> String {
        fields([
            ("replay", state["id"]), ("state", state["state"]), ("matched", state["matched"]), ("succeeded", state["succeeded"]),
            ("failed", state["failed"]), ("still queued", state["queued"]), ("cancelled", state["cancelled"]),
        ])
    }
}
