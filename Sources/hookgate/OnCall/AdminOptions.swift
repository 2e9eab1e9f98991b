import ArgumentParser
import Foundation
import HookGateAdminClient

/// Options every on-call verb takes: where the admin API is, the token, and the output format.
struct AdminOptions: ParsableArguments {
    @Option(help: "The gateway's admin API (default: HOOKGATE_ADMIN_URL, else http://127.0.0.1:9090).")
    var adminURL: String?

    // No default shown in --help: the token comes from the environment and is never echoed.
    @Option(help: "Admin API token (default: HOOKGATE_ADMIN_TOKEN).")
    var token: String?

    @Flag(help: "Print the API's JSON, for scripts, instead of a table.")
    var json = false

    private var client: AdminClient {
        let environment = ProcessInfo.processInfo.environment
        return AdminClient(
            baseURL: adminURL ?? environment["HOOKGATE_ADMIN_URL"] ?? "http://127.0.0.1:9090", token: token ?? environment["HOOKGATE_ADMIN_TOKEN"]
        )
    }

    /// Runs `body`; an API failure is printed as one `Error:` line and ends the process with its exit code.
    func run(_ body: (AdminClient) async throws -> Void) async throws {
        let client = self.client
        do {
            try await body(client)
            try await client.shutdown()
        } catch let error as AdminClientError {
            try? await client.shutdown()
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            throw ExitCode(error.exitCode)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Prints the reply's JSON for `--json`, or what `human` makes of it.
    func output(_ reply: AdminClient.Reply, human: ([String: Any]) -> String) {
        print(json ? reply.text : human(reply.object))
    }

    /// A list reply: its `data` as a table, and how to get the next page.
    func outputList(_ reply: AdminClient.Reply, columns: [String], row: @escaping ([String: Any]) -> [Any?]) {
        output(reply) { object in
            var table = Table(columns)
            let items = object["data"] as? [[String: Any]] ?? []
            for item in items { table.add(row(item).map(cell)) }
            var text = items.isEmpty ? "nothing found" : table.render()
            if let next = object["next_cursor"] as? String { text += "\nmore: add --cursor \(next)" }
            return text
        }
    }
}

/// `name: value` lines, names aligned, for one object.
func fields(_ pairs: [(String, Any?)]) -> String {
    let width = pairs.map(\.0.count).max() ?? 0
    return pairs.map { name, value in name + ":" + String(repeating: " ", count: width - name.count + 1) + cell(value) }.joined(separator: "\n")
}

/// The list options shared by `events list` and `deliveries list`.
struct PageOptions: ParsableArguments {
    @Option(help: "Only after this time: RFC 3339 or a duration before now (2h, 30m).")
    var since: String?

    @Option(help: "Only before this time: RFC 3339 or a duration before now.")
    var until: String?

    @Option(help: "At most this many (1–500).")
    var limit: Int = 50

    @Option(help: "Continue from the cursor a previous page printed.")
    var cursor: String?

    var query: [(String, String?)] {
        [("since", since), ("until", until), ("limit", String(limit)), ("cursor", cursor)]
    }
}
