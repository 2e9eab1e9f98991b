import Foundation
import HookGateCore
import Synchronization

/// What this instance's background pruning last did and the storage size it last read, for `GET /v1/retention`.
/// Kept in memory per instance, like the ingest window: each instance prunes, and a restart starts it afresh.
final class RetentionStatus: Sendable {
    struct Pass: Sendable {
        var finishedAt: Date
        var removed: PruneCounts
    }

    private let state = Mutex<(lastPass: Pass?, storageBytes: Int?)>((nil, nil))

    func passFinished(_ removed: PruneCounts, at date: Date) {
        state.withLock { $0.lastPass = Pass(finishedAt: date, removed: removed) }
    }

    func storageMeasured(_ bytes: Int) {
        state.withLock { $0.storageBytes = bytes }
    }

    var lastPass: Pass? { state.withLock(\.lastPass) }
    var storageBytes: Int? { state.withLock(\.storageBytes) }
}
