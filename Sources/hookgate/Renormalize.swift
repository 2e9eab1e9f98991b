import ArgumentParser
import Foundation
import HookGateAdminClient
import HookGateCore
import HookGateServer
import HookGateStorage
import ServiceLifecycle

struct Renormalize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run normalization again over stored receipts, after an upgrade that maps payloads better.",
        discussion: """
            Works on the storage in the configuration (stop nothing: it is safe beside a running gateway). Events keep
            their ids and are rewritten only when what they say changed; receipts that now yield more events (an
            unparsed one that parses, say) get the new events, delivered by today's routes and subscriptions. Nothing
            is removed. Running it twice changes nothing the second time.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "Only receipts received since this time: RFC 3339 or a duration before now (24h).")
    var since: String?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    /// `--since` as a time: RFC 3339, or a duration before now.
    private var sinceDate: Date? {
        since.flatMap { text in
            DurationText.parse(text).map { Date().addingTimeInterval(-$0.timeInterval) } ?? Timestamp.parse(text)
        }
    }

    func validate() throws {
        if since != nil && sinceDate == nil { throw ValidationError("--since must be an RFC 3339 time or a duration such as 24h") }
    }

    func run() async throws {
        let sinceDate = self.sinceDate
        let logger = options.makeLogger()
        let configuration = try options.loadConfiguration()
        let store = try await StorageFactory.open(configuration.storage, logger: logger)
        let progress = json ? nil : ProgressLine()
        let summary = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await store.run() }
            defer { group.cancelAll() }
            _ = try await store.migrate(logger: logger)
            // No token here: the audit log names the local user, as the CLI runs on the gateway's own storage.
            let actor = "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? "unknown")
            return try await Renormalizer(store: store, configuration: configuration).run(since: sinceDate, actor: actor) { summary in
                if summary.receipts > 0 {
                    progress?.update(done: summary.receipts, total: summary.receipts, note: "receipts read · \(summary.changed) changed")
                }
            }
        }
        progress?.finish()
        if json {
            print(
                #"{"receipts":\#(summary.receipts),"changed":\#(summary.changed),"events_updated":\#(summary.eventsUpdated),"events_created":\#(summary.eventsCreated),"skipped":\#(summary.skipped)}"#
            )
        } else {
            print(
                """
                receipts read:   \(summary.receipts)
                changed:         \(summary.changed)
                events updated:  \(summary.eventsUpdated)
                events created:  \(summary.eventsCreated)
                skipped:         \(summary.skipped) (sources no longer configured)
                """)
        }
    }
}
