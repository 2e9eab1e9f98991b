import Foundation
import HookGateCore
import Synchronization

/// The console's signed-in sessions, in this instance's memory: a random id in an `HttpOnly` cookie names one, and
/// each carries the token's principal, the CSRF token every state-changing request must echo, and an expiry that
/// sliding use does not extend. A restart signs everyone out (docs/decisions.md).
final class ConsoleSessions: Sendable {
    struct Session: Sendable {
        let principal: AdminPrincipal
        /// Sent back by the console's scripts in `X-CSRF-Token`; a cross-site page cannot read it or send the header.
        let csrfToken: String
        let expires: Date
    }

    /// How long a sign-in lasts: a night's on-call shift.
    static let lifetime: TimeInterval = 12 * 3_600
    /// The most sessions kept; past it the oldest go first, so a script signing in in a loop cannot fill memory.
    static let capacity = 1_000

    private let sessions = Mutex<[String: Session]>([:])

    /// A new session for `principal`; returns its id (the cookie's value) and the session.
    func create(for principal: AdminPrincipal, now: Date = Date()) -> (id: String, session: Session) {
        let id = Self.randomToken()
        let session = Session(principal: principal, csrfToken: Self.randomToken(), expires: now.addingTimeInterval(Self.lifetime))
        sessions.withLock { sessions in
            sessions = sessions.filter { $0.value.expires > now }
            if sessions.count >= Self.capacity, let oldest = sessions.min(by: { $0.value.expires < $1.value.expires })?.key {
                sessions[oldest] = nil
            }
            sessions[id] = session
        }
        return (id, session)
    }

    /// The live session `id` names, if any.
    func session(_ id: String, now: Date = Date()) -> Session? {
        sessions.withLock { sessions in
            guard let session = sessions[id] else { return nil }
            guard session.expires > now else {
                sessions[id] = nil
                return nil
            }
            return session
        }
    }

    func end(_ id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }

    /// 32 random bytes as hex: unguessable, and safe in a cookie and a header.
    private static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.encode((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }
}
