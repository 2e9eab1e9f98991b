/// Storage failures as the rest of HookGate sees them; the database's own error stays in the logs.
public struct StorageError: Error, CustomStringConvertible, Sendable {
    public enum Code: Sendable, Equatable {
        /// The database could not be reached or the write did not commit: answer 503 so the provider retries.
        case unavailable
        /// The store is shutting down.
        case shuttingDown
        /// The database's schema is newer than this build.
        case schemaTooNew
        /// A subscription's sealed secret does not open with the configured keys: a configuration error to fix.
        case unreadableSecret
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
