import Foundation
import HookGateCore
import Hummingbird

/// `GET /v1/retention`: the retention settings, this instance's last pruning pass and the storage size it last read
/// (the console's retention screen).
struct RetentionController {
    let retention: HookGateConfiguration.Retention
    let status: RetentionStatus

    func register(on group: RouterGroup<AdminRequestContext>) {
        group.get("retention") { _, _ -> Response in
            try .encoded(.ok, RetentionResponse(retention, lastPass: status.lastPass, storageBytes: status.storageBytes))
        }
    }
}
