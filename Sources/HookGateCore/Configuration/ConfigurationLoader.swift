import Foundation
import Yams

/// Reads and validates `routes.yaml` (DESIGN.md §7). Every error names the key path and line.
public enum ConfigurationLoader {
    /// Loads the file at `path`, expanding `${NAME}` from `environment`.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> HookGateConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(path: "", line: nil, message: "cannot read \(path): \(error.localizedDescription)")
        }
        return try parse(yaml: text, environment: environment)
    }

    /// Parses configuration text; an empty document yields every default (and no sources).
    public static func parse(yaml: String, environment: [String: String]) throws -> HookGateConfiguration {
        let root: Node
        do {
            root = try Yams.compose(yaml: yaml) ?? Node.mapping(.init([]))
        } catch let error as YamlError {
            throw ConfigurationError(path: "", line: yamlErrorLine(error), message: "invalid YAML: \(yamlErrorSummary(error))")
        }
        let top = try ConfigNode(node: root, path: "", environment: environment)
            .mapping(allowed: ["server", "storage", "admin", "sources", "targets", "routes", "subscriptions", "retention"])

        let server = try top["server"].map(parseServer) ?? .defaults
        let storage = try top["storage"].map(parseStorage) ?? .init(location: .sqlite(path: "data/hookgate.sqlite"))
        let admin = try top["admin"].map(parseAdmin) ?? .init(tokens: [])
        let sources = try top["sources"]?.sequence().map(parseSource) ?? []
        let targets = try top["targets"]?.sequence().map(parseTarget) ?? []
        let subscriptions = try top["subscriptions"].map(parseSubscriptions) ?? .defaults
        let retention = try top["retention"].map(parseRetention) ?? .defaults
        let routeNodes = try top["routes"]?.sequence() ?? []
        let routes = try routeNodes.map(parseRoute)

        try requireUnique(sources.map(\.id), nodes: top["sources"]?.sequence() ?? [], what: "source id")
        try requireUnique(targets.map(\.id), nodes: top["targets"]?.sequence() ?? [], what: "target id")
        try requireUnique(routes.map(\.name), nodes: routeNodes, what: "route name")
        try requireUnique(
            admin.tokens.map(\.name), nodes: top["admin"]?.mapping(allowed: ["tokens"])["tokens"]?.sequence() ?? [],
            what: "token name")
        let sourceIDs = Set(sources.map(\.id))
        let targetIDs = Set(targets.map(\.id))
        for (route, node) in zip(routes, routeNodes) {
            let fields = try node.mapping(allowed: routeKeys)
            for (index, target) in route.targets.enumerated() where !targetIDs.contains(target) {
                let item = try fields.required("targets").sequence()[index]
                throw item.error("route names target \"\(target)\", which is not in targets")
            }
            for (index, source) in (route.sources ?? []).enumerated() where !sourceIDs.contains(source) {
                let item = try fields.required("match").mapping(allowed: matchKeys).required("sources").sequence()[index]
                throw item.error("route names source \"\(source)\", which is not in sources")
            }
        }
        return HookGateConfiguration(
            server: server, storage: storage, admin: admin, sources: sources, targets: targets, routes: routes,
            subscriptions: subscriptions, retention: retention
        )
    }

    private static let routeKeys: Set<String> = ["name", "match", "targets"]
    private static let matchKeys: Set<String> = ["types", "sources"]

    private static func parseServer(_ node: ConfigNode) throws -> HookGateConfiguration.Server {
        let fields = try node.mapping(allowed: [
            "listen", "tls", "admin_listen", "max_body_bytes", "max_buffered_bytes", "max_header_bytes", "read_timeout_seconds",
            "idle_timeout_seconds", "max_connections", "rate_limit",
        ])
        var server = HookGateConfiguration.Server.defaults
        if let value = fields["listen"] { server.listen = try parseListen(value) }
        if let value = fields["admin_listen"] { server.adminListen = try parseListen(value) }
        if let value = fields["tls"] {
            let tls = try value.mapping(allowed: ["cert", "key"])
            server.tls = .init(
                certificatePath: try tls.required("cert").nonEmptyString(),
                privateKeyPath: try tls.required("key").nonEmptyString())
        }
        if let value = fields["max_body_bytes"] { server.maxBodyBytes = try value.int(in: 1...HookGateConfiguration.maximumBodyBytes) }
        if let value = fields["max_buffered_bytes"] { server.maxBufferedBytes = try value.int(in: 1_024...68_719_476_736) }
        if let value = fields["max_header_bytes"] { server.maxHeaderBytes = try value.int(in: 1_024...1_048_576) }
        if let value = fields["read_timeout_seconds"] { server.readTimeout = .seconds(try value.int(in: 1...3_600)) }
        if let value = fields["idle_timeout_seconds"] { server.idleTimeout = .seconds(try value.int(in: 1...86_400)) }
        if let value = fields["max_connections"] { server.maxConnections = try value.int(in: 1...1_000_000) }
        if let value = fields["rate_limit"] {
            let limit = try value.mapping(allowed: ["per_ip_per_second", "burst"])
            let rate = try limit["per_ip_per_second"]?.int(in: 0...10_000_000) ?? server.rateLimit.perIPPerSecond
            let burst = try limit["burst"]?.int(in: 0...10_000_000) ?? max(rate * 2, 1)
            if rate > 0 && burst < 1 { throw value.error("burst must be at least 1 when the rate limit is enabled") }
            server.rateLimit = .init(perIPPerSecond: rate, burst: burst)
        }
        return server
    }

    private static func parseListen(_ node: ConfigNode) throws -> ListenAddress {
        let text = try node.nonEmptyString()
        guard let address = ListenAddress(parsing: text) else { throw node.error("expected HOST:PORT, such as 0.0.0.0:8443") }
        return address
    }

    private static func parseStorage(_ node: ConfigNode) throws -> HookGateConfiguration.Storage {
        let fields = try node.mapping(allowed: ["url", "encryption_key", "previous_encryption_keys"])
        var storage = HookGateConfiguration.Storage(location: .sqlite(path: "data/hookgate.sqlite"))
        if let url = fields["url"] {
            let text = try url.nonEmptyString()
            do {
                storage.location = try StorageLocation(parsing: text)
            } catch {
                throw url.error(error.message)
            }
        }
        // An empty value (`${HOOKGATE_ENCRYPTION_KEY:-}` with the variable unset) means no key, as leaving it out does.
        if let keyNode = fields["encryption_key"], case let text = try keyNode.string(), !text.isEmpty {
            storage.encryptionKey = try parseEncryptionKey(text, keyNode)
        }
        if let previousNode = fields["previous_encryption_keys"] {
            storage.previousEncryptionKeys = try previousNode.sequence().compactMap { item in
                let text = try item.string()
                return text.isEmpty ? nil : try parseEncryptionKey(text, item)
            }
            if let current = storage.encryptionKey, storage.previousEncryptionKeys.contains(current) {
                throw previousNode.error("lists the current encryption_key (\(current)); keep only the keys it replaced")
            }
            if storage.encryptionKey == nil, !storage.previousEncryptionKeys.isEmpty {
                throw previousNode.error("needs storage.encryption_key: previous keys are only read, to seal their rows again with the current one")
            }
        }
        return storage
    }

    private static func parseEncryptionKey(_ text: String, _ node: ConfigNode) throws -> EncryptionKey {
        do {
            return try EncryptionKey(base64: text)
        } catch {
            throw node.error(error.message)
        }
    }

    private static func parseAdmin(_ node: ConfigNode) throws -> HookGateConfiguration.Admin {
        let fields = try node.mapping(allowed: ["tokens"])
        let tokens = try fields["tokens"]?.sequence().map { item in
            let token = try item.mapping(allowed: ["name", "token", "role"])
            let roleNode = try token.required("role")
            guard let role = HookGateConfiguration.AdminToken.Role(rawValue: try roleNode.string()) else {
                throw roleNode.error("role must be admin or viewer")
            }
            let secretNode = try token.required("token")
            let secret = try secretNode.string().trimmingCharacters(in: .whitespacesAndNewlines)
            guard secret.count >= 16 else { throw secretNode.error("token must be at least 16 characters") }
            return HookGateConfiguration.AdminToken(name: try token.required("name").nonEmptyString(), token: secret, role: role)
        }
        return .init(tokens: tokens ?? [])
    }

    private static func parseSource(_ node: ConfigNode) throws -> HookGateConfiguration.Source {
        let fields = try node.mapping(allowed: ["id", "provider", "secrets", "tolerance_seconds", "public_url", "max_body_bytes", "auto_erase"])
        let id = try identifier(fields, what: "source id may contain only letters, digits, '-' and '_' (it is part of the URL)")
        let providerNode = try fields.required("provider")
        let providerName = try providerNode.string()
        guard let provider = ProviderKind(rawValue: providerName) else {
            let known = ProviderKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw providerNode.error("unknown provider \"\(providerName)\" (expected one of: \(known))")
        }
        let secretsNode = try fields.required("secrets")
        let secrets = try secretsNode.sequence().map { try $0.string().trimmingCharacters(in: .whitespacesAndNewlines) }
        guard !secrets.isEmpty else { throw secretsNode.error("at least one secret is required") }
        for (index, secret) in secrets.enumerated() where secret.isEmpty {
            throw try secretsNode.sequence()[index].error("secret is empty (is its environment variable set to an empty value?)")
        }
        let publicURL = try fields["public_url"]?.nonEmptyString()
        if provider == .twilio && publicURL == nil {
            throw fields.owner.error("twilio sources need public_url (the scheme and host Twilio calls, e.g. https://hooks.example.com)")
        }
        let autoErase = try fields["auto_erase"]?.bool() ?? false
        if autoErase && provider != .shopify, let node = fields["auto_erase"] {
            throw node.error("auto_erase is for shopify sources only: it answers Shopify's mandatory privacy topics (customers/redact, shop/redact)")
        }
        var source = HookGateConfiguration.Source(
            id: id,
            provider: provider,
            secrets: secrets,
            tolerance: .seconds(try fields["tolerance_seconds"]?.int(in: 1...86_400) ?? 300),
            publicURL: publicURL,
            maxBodyBytes: try fields["max_body_bytes"]?.int(in: 1...HookGateConfiguration.maximumBodyBytes)
        )
        source.autoErase = autoErase
        return source
    }

    private static func parseTarget(_ node: ConfigNode) throws -> HookGateConfiguration.Target {
        let fields = try node.mapping(allowed: [
            "id", "url", "signing_secret", "timeout_seconds", "max_in_flight", "retry", "replay_rate",
        ])
        let id = try identifier(fields, what: "target id may contain only letters, digits, '-' and '_'")
        let urlNode = try fields.required("url")
        let url = try urlNode.nonEmptyString()
        guard let components = URLComponents(string: url), ["http", "https"].contains(components.scheme ?? ""), components.host != nil
        else { throw urlNode.error("expected an http:// or https:// URL") }
        var secret: String?
        if let secretNode = fields["signing_secret"] {
            let value = try secretNode.string().trimmingCharacters(in: .whitespacesAndNewlines)
            guard value.hasPrefix("whsec_"), let key = Data(base64Encoded: String(value.dropFirst(6))), key.count >= 16 else {
                throw secretNode.error("expected whsec_ followed by base64 of at least 16 bytes")
            }
            secret = value
        }
        return .init(
            id: id,
            url: url,
            signingSecret: secret,
            timeout: .seconds(try fields["timeout_seconds"]?.int(in: 1...300) ?? 10),
            maxInFlight: try fields["max_in_flight"]?.int(in: 1...HookGateConfiguration.maxInFlightLimit) ?? 32,
            retry: try fields["retry"].map(parseRetry) ?? .standard,
            replayRate: try fields["replay_rate"]?.int(in: 1...100_000) ?? 50
        )
    }

    private static func parseRetry(_ node: ConfigNode) throws -> HookGateConfiguration.RetryPolicy {
        let fields = try node.mapping(allowed: ["schedule", "jitter"])
        var policy = HookGateConfiguration.RetryPolicy.standard
        if let scheduleNode = fields["schedule"] {
            policy.schedule = try scheduleNode.sequence().map { try $0.duration() }
            guard !policy.schedule.isEmpty else { throw scheduleNode.error("schedule needs at least one entry (the first attempt)") }
        }
        if let jitter = fields["jitter"] { policy.jitter = try jitter.double(in: 0...1) }
        return policy
    }

    private static func parseRoute(_ node: ConfigNode) throws -> HookGateConfiguration.Route {
        let fields = try node.mapping(allowed: routeKeys)
        let match = try fields.required("match").mapping(allowed: matchKeys)
        let typesNode = try match.required("types")
        let types = try typesNode.sequence().map { item in
            let text = try item.nonEmptyString()
            guard let pattern = TypePattern(text) else {
                throw item.error("expected an event type, a prefix ending in .* (payment.*), or *")
            }
            return pattern
        }
        guard !types.isEmpty else { throw typesNode.error("at least one type pattern is required (use * for all)") }
        let targetsNode = try fields.required("targets")
        let targets = try targetsNode.stringList()
        guard !targets.isEmpty else { throw targetsNode.error("at least one target is required") }
        return .init(
            name: try fields.required("name").nonEmptyString(),
            types: types,
            sources: try match["sources"]?.stringList(),
            targets: targets
        )
    }

    private static func parseSubscriptions(_ node: ConfigNode) throws -> HookGateConfiguration.Subscriptions {
        let fields = try node.mapping(allowed: ["allow_private", "retry", "timeout_seconds", "max_in_flight"])
        var settings = HookGateConfiguration.Subscriptions.defaults
        if let value = fields["allow_private"] { settings.allowPrivate = try value.bool() }
        if let value = fields["retry"] { settings.retry = try parseRetry(value) }
        if let value = fields["timeout_seconds"] { settings.timeout = .seconds(try value.int(in: 1...300)) }
        if let value = fields["max_in_flight"] { settings.maxInFlight = try value.int(in: 1...HookGateConfiguration.maxInFlightLimit) }
        return settings
    }

    private static func parseRetention(_ node: ConfigNode) throws -> HookGateConfiguration.Retention {
        let fields = try node.mapping(allowed: ["receipt_bodies", "events", "audit"])
        var retention = HookGateConfiguration.Retention.defaults
        if let value = fields["receipt_bodies"] { retention.receiptBodies = try value.retention() }
        if let value = fields["events"] { retention.events = try value.retention() }
        if let value = fields["audit"] { retention.audit = try value.retention() }
        return retention
    }

    private static func requireUnique(_ values: [String], nodes: [ConfigNode], what: String) throws {
        var seen = Set<String>()
        for (index, value) in values.enumerated() where !seen.insert(value).inserted {
            throw nodes[index].error("duplicate \(what) \"\(value)\"")
        }
    }

    /// The mapping's `id`: non-empty, letters, digits, '-' and '_' only; `rule` is the error when it is not.
    private static func identifier(_ fields: ConfigMapping, what rule: String) throws -> String {
        let node = try fields.required("id")
        let id = try node.nonEmptyString()
        guard id.utf8.allSatisfy({ isIdentifierByte($0) }) else { throw node.error(rule) }
        return id
    }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }

    private static func yamlErrorLine(_ error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }

    private static func yamlErrorSummary(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        default: String(describing: error)
        }
    }
}
