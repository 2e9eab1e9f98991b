import Foundation

/// Where events live, from `storage.url`.
public enum StorageLocation: Sendable, Equatable, CustomStringConvertible {
    /// Embedded single-instance database file (WAL mode).
    case sqlite(path: String)
    /// Shared production database.
    case postgres(Postgres)

    public struct Postgres: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String
        /// `sslmode` from the URL: `disable` (default), `prefer` or `require`.
        public var tlsMode: String

        /// True when credentials and webhook contents would cross a network unencrypted: a host that is not loopback
        /// without `sslmode=require` (start-up and `hookgate check` warn).
        public var sendsInTheClear: Bool {
            let host = host.lowercased()
            let loopback = ["localhost", "::1", "[::1]"].contains(host) || host.hasPrefix("127.")
            return tlsMode != "require" && !loopback
        }
    }

    /// `sqlite://relative/path`, `sqlite:///absolute/path`, or `postgres://user:pass@host:port/db?sslmode=…`.
    public init(parsing url: String) throws(ConfigurationError.Reason) {
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw .init("sqlite URL needs a file path, as in sqlite://data/hookgate.sqlite") }
            self = .sqlite(path: path)
            return
        }
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://"), let components = URLComponents(string: url) else {
            throw .init("expected sqlite://PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        guard let host = components.host, !host.isEmpty else { throw .init("postgres URL needs a host") }
        guard let username = components.percentEncodedUser?.removingPercentEncoding, !username.isEmpty else {
            throw .init("postgres URL needs a user name")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty else { throw .init("postgres URL needs a database name after the host") }
        let tlsMode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        guard ["disable", "prefer", "require"].contains(tlsMode) else {
            throw .init("sslmode must be disable, prefer or require")
        }
        self = .postgres(
            Postgres(
                host: host,
                port: components.port ?? 5432,
                username: username,
                password: components.percentEncodedPassword?.removingPercentEncoding,
                database: database,
                tlsMode: tlsMode
            )
        )
    }

    /// The location with any password masked, for `hookgate check` and logs.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite://\(path)"
        case .postgres(let pg): "postgres://\(pg.username)\(pg.password == nil ? "" : ":***")@\(pg.host):\(pg.port)/\(pg.database)"
        }
    }
}

extension ConfigurationError {
    /// A message without a location, given one by the node that was being read.
    public struct Reason: Error, Sendable {
        public let message: String
        public init(_ message: String) { self.message = message }
    }
}
