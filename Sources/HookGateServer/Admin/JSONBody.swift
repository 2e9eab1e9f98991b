import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat

/// A request's JSON object body, read strictly: an unknown member is an error, not ignored, because a misspelt
/// filter must never widen a bulk operation.
struct JSONBody {
    /// Every admin body is small: a subscription, a filter. A larger one is refused before it is parsed.
    static let maximumBytes = 64 * 1024

    private let members: [String: Any]

    /// - Parameters:
    ///   - allowed: the members the endpoint knows.
    ///   - optional: an empty body is an empty object.
    init(_ request: Request, allowed: Set<String>, optional: Bool = false) async throws {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: Self.maximumBytes)
        } catch is NIOTooManyBytesError {
            throw AdminError(status: .contentTooLarge, code: "payload_too_large", detail: "the body must be at most 64 KiB")
        }
        if buffer.readableBytes == 0 && optional {
            try self.init(members: [:], allowed: allowed, context: "the body")
            return
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(buffer: buffer))) as? [String: Any] else {
            throw AdminError.badRequest("the body must be a JSON object with \(Self.list(allowed))")
        }
        try self.init(members: object, allowed: allowed, context: "the body")
    }

    private init(members: [String: Any], allowed: Set<String>, context: String) throws {
        if let unknown = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw AdminError.badRequest("\(context) has an unknown member \"\(unknown)\"; it may have \(Self.list(allowed))")
        }
        self.members = members
    }

    var isEmpty: Bool { members.isEmpty }

    /// The members given, sorted.
    var names: [String] { members.keys.sorted() }

    func has(_ name: String) -> Bool { members[name] != nil }

    func string(_ name: String) throws -> String? {
        guard let value = members[name], !(value is NSNull) else { return nil }
        guard let text = value as? String else { throw AdminError.badRequest("\(name) must be a string") }
        return try Self.printable(text, name)
    }

    func strings(_ name: String) throws -> [String]? {
        guard let value = members[name], !(value is NSNull) else { return nil }
        guard let list = value as? [Any], let texts = list as? [String] else { throw AdminError.badRequest("\(name) must be a list of strings") }
        return try texts.map { try Self.printable($0, name) }
    }

    /// Admin values are one-line text: a NUL or another control character (one JSON's `\u0000` away) would be stored
    /// altered, echoed to terminals and logs, or cut a URL short, so it is refused with the member's name.
    private static func printable(_ text: String, _ name: String) throws -> String {
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw AdminError.badRequest("\(name) must not contain control characters (NUL, newline, escape, …)")
        }
        return text
    }

    func bool(_ name: String) throws -> Bool? {
        guard let value = members[name], !(value is NSNull) else { return nil }
        // Foundation bridges both true and 1 to Bool; only a JSON boolean (an NSNumber of C type `c`) is one here.
        guard let number = value as? NSNumber, String(cString: number.objCType) == "c" else {
            throw AdminError.badRequest("\(name) must be true or false")
        }
        return number.boolValue
    }

    /// A nested object, read with the same strictness.
    func object(_ name: String, allowed: Set<String>) throws -> JSONBody? {
        guard let value = members[name], !(value is NSNull) else { return nil }
        guard let object = value as? [String: Any] else { throw AdminError.badRequest("\(name) must be a JSON object with \(Self.list(allowed))") }
        return try JSONBody(members: object, allowed: allowed, context: name)
    }

    private static func list(_ names: Set<String>) -> String {
        names.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
    }
}
