import Foundation

/// Outbound webhook subscriptions (DESIGN.md §8), with their secrets sealed at rest.
///
/// Every admin write takes the `audit` entry that records it and commits it in the same transaction as the change
/// (written only when something changed): if the entry cannot be written, the change does not happen.
public protocol SubscriptionStore: Sendable {
    func createSubscription(_ subscription: StoredSubscription, audit: AuditEntry) async throws
    /// Every subscription, active or not, oldest first.
    func subscriptions() async throws -> [StoredSubscription]
    func disableSubscription(id: String, reason: String, now: Date) async throws

    /// Writes the subscription's url, types, sources, description, status and reason. False when there is none.
    func updateSubscription(_ subscription: StoredSubscription, audit: AuditEntry) async throws -> Bool

    /// Makes `secret` the subscription's secret; the old one keeps signing alongside until `overlapUntil`.
    /// False when there is no such subscription.
    func rotateSubscriptionSecret(id: String, secret: String, overlapUntil: Date, now: Date, audit: AuditEntry) async throws -> Bool

    /// Forgets the rotated-out secrets whose overlap has passed (a secret no longer used is not kept); returns how many.
    func clearExpiredPreviousSecrets(now: Date) async throws -> Int

    /// Deletes the subscription and cancels its deliveries that were still to be sent. False when there is none.
    func deleteSubscription(id: String, now: Date, audit: AuditEntry) async throws -> Bool
}
