/// An event-type filter: an exact type, a prefix ending in `.*`, or `*`.
public enum TypePattern: Sendable, Equatable, CustomStringConvertible {
    case any
    case prefix(String)
    case exact(String)

    public init?(_ text: String) {
        if text == "*" {
            self = .any
        } else if text.hasSuffix(".*") {
            let prefix = text.dropLast(1)  // keeps the dot: "payment." so "payments.x" does not match
            guard prefix.count > 1, !prefix.dropLast().contains("*") else { return nil }
            self = .prefix(String(prefix))
        } else {
            guard !text.isEmpty, !text.contains("*") else { return nil }
            self = .exact(text)
        }
    }

    public func matches(_ type: String) -> Bool {
        switch self {
        case .any: true
        case .prefix(let prefix): type.hasPrefix(prefix)
        case .exact(let exact): type == exact
        }
    }

    public var description: String {
        switch self {
        case .any: "*"
        case .prefix(let prefix): prefix + "*"
        case .exact(let exact): exact
        }
    }
}
