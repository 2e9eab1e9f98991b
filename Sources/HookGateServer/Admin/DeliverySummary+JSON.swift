import HookGateCore
import HookGateStorage

extension DeliverySummary {
    /// The delivery's members as the admin API shows them (DESIGN.md §8), inside an object the caller opened.
    /// - Parameters:
    ///   - eventID: include `event_id` (left out where the delivery is listed under its event).
    ///   - attemptCount: include `attempts` as a count (left out where `attempts` is the list of attempts).
    func writeMembers(to writer: inout JSONWriter, eventID: Bool, attemptCount: Bool) {
        writer.field("id", id)
        if eventID { writer.field("event_id", self.eventID) }
        writer.field("destination", destination)
        writer.field("status", status.rawValue)
        if attemptCount { writer.field("attempts", attempts) }
        writer.field("next_attempt_at", nextAttemptAt.map { Timestamp.rfc3339($0, milliseconds: true) })
        writer.field("last_status", lastStatus)
    }
}
