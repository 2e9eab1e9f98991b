import Foundation
import NIOCore

/// The column names of one result, shared by its rows.
final class SQLColumns: Sendable {
    let names: [String]

    init(_ names: [String]) {
        self.names = names
    }

    func index(of name: String) -> Int? {
        names.firstIndex(of: name)
    }
}

/// One result row, read by column name (`SELECT count(*) AS matched`): a reordered column list cannot shift a
/// value into the wrong field.
struct SQLRow: Sendable {
    let columns: SQLColumns
    let values: [SQLValue]

    func text(_ name: String) throws -> String {
        guard let value = try optionalText(name) else { throw Self.mismatch(name, "text") }
        return value
    }

    func optionalText(_ name: String) throws -> String? {
        switch try value(name) {
        case .null: return nil
        case .text(let value): return value
        default: throw Self.mismatch(name, "text")
        }
    }

    func int(_ name: String) throws -> Int {
        guard let value = try optionalInt(name) else { throw Self.mismatch(name, "integer") }
        return value
    }

    func optionalInt(_ name: String) throws -> Int? {
        switch try value(name) {
        case .null: return nil
        case .int(let value): return Int(value)
        default: throw Self.mismatch(name, "integer")
        }
    }

    func bool(_ name: String) throws -> Bool {
        try int(name) != 0
    }

    func date(_ name: String) throws -> Date {
        guard let value = try optionalDate(name) else { throw Self.mismatch(name, "time") }
        return value
    }

    func optionalDate(_ name: String) throws -> Date? {
        switch try value(name) {
        case .null: return nil
        case .date(let date): return date
        case .int(let microseconds): return Date(timeIntervalSince1970: TimeInterval(microseconds) / 1_000_000)
        default: throw Self.mismatch(name, "time")
        }
    }

    func blob(_ name: String) throws -> ByteBuffer {
        guard let value = try optionalBlob(name) else { throw Self.mismatch(name, "blob") }
        return value
    }

    func optionalBlob(_ name: String) throws -> ByteBuffer? {
        switch try value(name) {
        case .null: return nil
        case .blob(let buffer): return buffer
        case .text(let text): return ByteBuffer(string: text)
        default: throw Self.mismatch(name, "blob")
        }
    }

    /// A value of a closed set (a status), refused when the database holds a word this build does not know.
    func constant<Constant: SQLConstant>(_ name: String, as type: Constant.Type = Constant.self) throws -> Constant {
        guard let constant = Constant(rawValue: try text(name)) else { throw Self.mismatch(name, "\(Constant.self)") }
        return constant
    }

    private func value(_ name: String) throws -> SQLValue {
        guard let index = columns.index(of: name) else { throw StorageError(.unavailable, "no column \(name) in the result") }
        return values[index]
    }

    private static func mismatch(_ name: String, _ expected: String) -> StorageError {
        StorageError(.unavailable, "column \(name) is not \(expected)")
    }
}
