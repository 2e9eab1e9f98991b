/// Whether a subscription receives events (DESIGN.md §7): one that answered 410, or that an owner switched off, is
/// `disabled`, with a reason.
public enum SubscriptionStatus: String, Sendable, Codable, CaseIterable {
    case active
    case disabled
}
