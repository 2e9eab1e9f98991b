import Yams

/// A YAML node together with its key path, so every value read from it can report errors with path and line.
struct ConfigNode {
    let node: Node
    let path: String
    let environment: [String: String]

    var line: Int? { node.mark?.line }

    func error(_ message: String) -> ConfigurationError {
        ConfigurationError(path: path, line: line, message: message)
    }

    /// Opens a mapping whose keys must all be in `allowed`; an unknown key is an error at that key's line.
    func mapping(allowed: Set<String>) throws -> ConfigMapping {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping") }
        var entries: [String: ConfigNode] = [:]
        for (key, value) in mapping {
            guard let name = key.string else {
                throw ConfigurationError(path: path, line: key.mark?.line, message: "keys must be strings")
            }
            let childPath = path.isEmpty ? name : "\(path).\(name)"
            guard allowed.contains(name) else {
                let known = allowed.sorted().joined(separator: ", ")
                throw ConfigurationError(path: childPath, line: key.mark?.line, message: "unknown key (expected one of: \(known))")
            }
            entries[name] = ConfigNode(node: value, path: childPath, environment: environment)
        }
        return ConfigMapping(owner: self, entries: entries)
    }

    func sequence() throws -> [ConfigNode] {
        guard case .sequence(let sequence) = node else { throw error("expected a list") }
        return sequence.enumerated().map { index, item in
            ConfigNode(node: item, path: "\(path)[\(index)]", environment: environment)
        }
    }

    /// The scalar's text with `${NAME}` references expanded.
    func string() throws -> String {
        guard case .scalar(let scalar) = node else { throw error("expected a single value") }
        do {
            return try EnvironmentSubstitution.expand(scalar.string, environment: environment)
        } catch .missing(let name) {
            throw error("environment variable \(name) is not set (use ${\(name):-default} to give a default)")
        } catch .unterminated {
            throw error("unterminated ${ reference")
        }
    }

    /// The value as written in the file, before `${…}` expansion: safe to quote in an error, since an expanded
    /// value may be a secret.
    private var written: String {
        if case .scalar(let scalar) = node { return scalar.string }
        return ""
    }

    func nonEmptyString() throws -> String {
        let value = try string()
        guard !value.isEmpty else { throw error("must not be empty") }
        return value
    }

    func int(in range: ClosedRange<Int>) throws -> Int {
        let text = try string()
        guard let value = Int(text) else { throw error("expected a whole number, got \"\(written)\"") }
        guard range.contains(value) else {
            throw error("\"\(written)\" is out of range (\(range.lowerBound)...\(range.upperBound))")
        }
        return value
    }

    func double(in range: ClosedRange<Double>) throws -> Double {
        let text = try string()
        guard let value = Double(text), value.isFinite else { throw error("expected a number, got \"\(written)\"") }
        guard range.contains(value) else { throw error("\"\(written)\" is out of range (\(range.lowerBound)...\(range.upperBound))") }
        return value
    }

    func bool() throws -> Bool {
        switch try string().lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false, got \"\(written)\"")
        }
    }

    func stringList() throws -> [String] {
        try sequence().map { try $0.nonEmptyString() }
    }

    /// A duration written as a number and a unit: `0s`, `250ms`, `5s`, `5m`, `2h`, `1d`.
    func duration() throws -> Duration {
        guard let duration = DurationText.parse(try string()) else {
            throw error("expected a duration such as 0s, 500ms, 5s, 5m or 2h, got \"\(written)\"")
        }
        return duration
    }

    /// A retention period: `0` (keep forever, nil) or a whole number of `s`, `m`, `h` or `d`, up to 100 years.
    func retention() throws -> Duration? {
        let text = try string()
        if text == "0" { return nil }
        let units: [(suffix: Character, seconds: Int64)] = [("s", 1), ("m", 60), ("h", 3_600), ("d", 86_400)]
        if let unit = units.first(where: { text.last == $0.suffix }), let value = Int64(text.dropLast()), value > 0,
            value <= 36_500 * 86_400 / unit.seconds
        {
            return .seconds(value * unit.seconds)
        }
        throw error("expected a retention such as 30d, 12h or 90m, or 0 to keep forever, got \"\(written)\"")
    }
}

/// The entries of one mapping, read by name.
struct ConfigMapping {
    let owner: ConfigNode
    let entries: [String: ConfigNode]

    subscript(_ key: String) -> ConfigNode? {
        guard let entry = entries[key] else { return nil }
        if case .scalar(let scalar) = entry.node, scalar.tag.description.hasSuffix("null") || scalar.string == "~" {
            return nil
        }
        return entry
    }

    func required(_ key: String) throws -> ConfigNode {
        guard let entry = self[key] else {
            let path = owner.path.isEmpty ? key : "\(owner.path).\(key)"
            throw ConfigurationError(path: path, line: owner.line, message: "required key is missing")
        }
        return entry
    }
}
