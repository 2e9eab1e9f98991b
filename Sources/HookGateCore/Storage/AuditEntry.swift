import Foundation

/// One entry of the audit log: who changed what through the admin API or the CLI, and when.
public struct AuditEntry: Sendable, Equatable {
    public var id: String
    public var at: Date
    /// The admin token's name.
    public var actor: String
    /// `delivery.replay`, `subscription.create`, …
    public var action: String
    /// The id or filter acted on.
    public var target: String
    /// A JSON object with the details (the filter, the counts).
    public var detail: String

    public init(id: String, at: Date, actor: String, action: String, target: String, detail: String) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.detail = detail
    }
}
