import ArgumentParser
import Foundation
import HookGateAdminClient
import HookGateCore
import HookGateStorage
import ServiceLifecycle

struct Prune: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Remove now what retention no longer keeps, and print what went.",
        discussion: """
            One pass of what the gateway does in the background every minute (DESIGN.md §13), on the storage in the
            configuration, beside a running gateway: receipt bodies and headers older than retention.receipt_bodies,
            events older than retention.events with their receipts, deliveries and attempts (never one with a
            delivery that can still be attempted), audit entries older than retention.audit. Small batches, paced,
            so ingest and delivery go on meanwhile.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Count what would be removed; remove nothing.")
    var dryRun = false

    @Flag(help: "Print the counts as JSON.")
    var json = false

    func run() async throws {
        let logger = options.makeLogger()
        let configuration = try options.loadConfiguration()
        let store = try await StorageFactory.open(configuration.storage, logger: logger)
        let pruner = Pruner(store: store, retention: configuration.retention)
        let dryRun = self.dryRun
        let progress = json ? nil : ProgressLine()
        let counts = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await store.run() }
            defer { group.cancelAll() }
            _ = try await store.migrate(logger: logger)
            let prunable = try await pruner.dryRun()
            if dryRun { return prunable }
            return try await pruner.pass { total in
                progress?.update(done: total.rows, total: max(total.rows, prunable.rows), note: "rows removed")
            }
        }
        progress?.finish()
        if json {
            let members = counts.byTable.map { #""\#($0.table)":\#($0.rows)"# }.joined(separator: ",")
            print(#"{"dry_run":\#(dryRun),\#(members)}"#)
            return
        }
        let retention = configuration.retention
        print(dryRun ? "would remove (dry run, nothing changed):" : "removed:")
        let width = counts.byTable.map(\.table.count).max() ?? 0
        for (table, rows) in counts.byTable {
            print("  " + table + String(repeating: " ", count: width - table.count + 2) + String(rows))
        }
        if retention.receiptBodies == nil && retention.events == nil && retention.audit == nil {
            print("retention keeps everything forever (retention: 0 for each key)")
        }
    }
}
