import Foundation

/// Where to send and how.
struct Target: Sendable {
    let host: String
    let port: Int
    let path: String
    let tls: Bool

    init?(url: String) {
        guard let components = URLComponents(string: url), let host = components.host, let scheme = components.scheme,
            ["http", "https"].contains(scheme)
        else { return nil }
        self.host = host
        self.tls = scheme == "https"
        self.port = components.port ?? (tls ? 443 : 80)
        self.path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
    }
}

/// The whole run's parameters, shared by every connection.
struct LoadPlan: Sendable {
    let target: Target
    let webhooks: WebhookFactory
    let duration: Duration
    /// Time between sends on one connection (open loop); nil sends the next request when the answer arrives.
    let perConnectionInterval: Duration?
}
