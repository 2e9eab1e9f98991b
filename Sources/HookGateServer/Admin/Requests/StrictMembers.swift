import Foundation

/// The members of one JSON object in an admin request body, read strictly: an unknown member is an error, not
/// ignored, because a misspelt filter must never widen a bulk operation; a member of the wrong type is an error that
/// names it. The admin request types decode through it, so every endpoint says the same things about bad input.
struct StrictMembers {
    private let container: KeyedDecodingContainer<MemberKey>

    /// The object `decoder` is at, which may have only `allowed` members; `context` names it in errors ("the body",
    /// or the member that holds it).
    init(_ decoder: any Decoder, allowed: [String], context: String) throws {
        guard let container = try? decoder.container(keyedBy: MemberKey.self) else {
            throw AdminError.badRequest("\(context) must be a JSON object with \(Self.list(allowed))")
        }
        try self.init(container, allowed: allowed, context: context)
    }

    private init(_ container: KeyedDecodingContainer<MemberKey>, allowed: [String], context: String) throws {
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !allowed.contains($0) }) {
            throw AdminError.badRequest("\(context) has an unknown member \"\(unknown)\"; it may have \(Self.list(allowed))")
        }
        self.container = container
    }

    var isEmpty: Bool { container.allKeys.isEmpty }

    /// The members given, sorted.
    var names: [String] { container.allKeys.map(\.stringValue).sorted() }

    /// Whether `name` is given, even as null.
    func has(_ name: String) -> Bool { container.contains(MemberKey(stringValue: name)) }

    func string(_ name: String) throws -> String? {
        guard let key = present(name) else { return nil }
        guard let text = try? container.decode(String.self, forKey: key) else { throw AdminError.badRequest("\(name) must be a string") }
        return try Self.printable(text, name)
    }

    func strings(_ name: String) throws -> [String]? {
        guard let key = present(name) else { return nil }
        guard let texts = try? container.decode([String].self, forKey: key) else { throw AdminError.badRequest("\(name) must be a list of strings") }
        return try texts.map { try Self.printable($0, name) }
    }

    /// Only a JSON boolean: `1` and `"true"` are refused.
    func bool(_ name: String) throws -> Bool? {
        guard let key = present(name) else { return nil }
        guard let value = try? container.decode(Bool.self, forKey: key) else { throw AdminError.badRequest("\(name) must be true or false") }
        return value
    }

    /// A nested object with only `allowed` members, read with the same strictness.
    func object(_ name: String, allowed: [String]) throws -> StrictMembers? {
        guard let key = present(name) else { return nil }
        guard let nested = try? container.nestedContainer(keyedBy: MemberKey.self, forKey: key) else {
            throw AdminError.badRequest("\(name) must be a JSON object with \(Self.list(allowed))")
        }
        return try StrictMembers(nested, allowed: allowed, context: name)
    }

    /// The key of `name` when it is given and not null.
    private func present(_ name: String) -> MemberKey? {
        let key = MemberKey(stringValue: name)
        guard container.contains(key), (try? container.decodeNil(forKey: key)) == false else { return nil }
        return key
    }

    /// Admin values are one-line text: a NUL or another control character (one JSON's `\u0000` away) would be stored
    /// altered, echoed to terminals and logs, or cut a URL short, so it is refused with the member's name.
    private static func printable(_ text: String, _ name: String) throws -> String {
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw AdminError.badRequest("\(name) must not contain control characters (NUL, newline, escape, …)")
        }
        return text
    }

    private static func list(_ names: [String]) -> String {
        names.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
    }
}
