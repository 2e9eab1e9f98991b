import Foundation

/// A flat JSON object HookGate stored as text (a receipt's headers, an audit entry's detail, a replay's filter),
/// decoded so that a response type can encode it as a member; its members are written sorted by name.
struct StoredJSONObject: Encodable, Sendable {
    /// The member values HookGate writes into these objects.
    enum Value: Codable, Sendable {
        case string(String)
        case integer(Int64)
        case number(Double)
        case bool(Bool)
        case null

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let value = try? container.decode(Bool.self) {
                self = .bool(value)
            } else if let value = try? container.decode(Int64.self) {
                self = .integer(value)
            } else if let value = try? container.decode(Double.self) {
                self = .number(value)
            } else {
                self = .string(try container.decode(String.self))
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let value): try container.encode(value)
            case .integer(let value): try container.encode(value)
            case .number(let value): try container.encode(value)
            case .bool(let value): try container.encode(value)
            case .null: try container.encodeNil()
            }
        }
    }

    let members: [String: Value]

    /// Throws when `text` is not a JSON object of strings, numbers, booleans and nulls.
    init(text: String) throws {
        members = try JSONDecoder().decode([String: Value].self, from: Data(text.utf8))
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: MemberKey.self)
        for (name, value) in members.sorted(by: { $0.key < $1.key }) { try container.encode(value, forKey: MemberKey(stringValue: name)) }
    }
}
