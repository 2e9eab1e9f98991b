import HookGateCore
import Hummingbird

/// Request context for the admin listener; the auth middleware fills in who is calling.
struct AdminRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The token that authenticated this request (its name goes into the audit log).
    var principal: AdminPrincipal?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.principal = nil
    }
}

/// An authenticated admin API caller.
struct AdminPrincipal: Sendable {
    let name: String
    let role: HookGateConfiguration.AdminToken.Role
}
