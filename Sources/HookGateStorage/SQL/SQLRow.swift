import Foundation
import HookGateCore
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

    func text(_ name: String) throws -> String { try required(name, "text", optionalText) }
    func int(_ name: String) throws -> Int { try required(name, "integer", optionalInt) }
    func date(_ name: String) throws -> Date { try required(name, "time", optionalDate) }
    func blob(_ name: String) throws -> ByteBuffer { try required(name, "blob", optionalBlob) }

    func bool(_ name: String) throws -> Bool {
        try int(name) != 0
    }

    func optionalText(_ name: String) throws -> String? {
        try read(name, "text") { if case .text(let value) = $0 { value } else { nil } }
    }

    func optionalInt(_ name: String) throws -> Int? {
        try read(name, "integer") { if case .int(let value) = $0 { Int(value) } else { nil } }
    }

    func optionalDate(_ name: String) throws -> Date? {
        try read(name, "time") { value in
            switch value {
            case .date(let date): date
            // SQLite stores times as integer microseconds.
            case .int(let microseconds): Date(timeIntervalSince1970: TimeInterval(microseconds) / 1_000_000)
            default: nil
            }
        }
    }

    func optionalBlob(_ name: String) throws -> ByteBuffer? {
        try read(name, "blob") { value in
            switch value {
            case .blob(let buffer): buffer
            case .text(let text): ByteBuffer(string: text)
            default: nil
            }
        }
    }

    /// A value of a closed set (a status), refused when the database holds a word this build does not know.
    func constant<Constant: SQLConstant>(_ name: String, as type: Constant.Type = Constant.self) throws -> Constant {
        guard let constant = Constant(rawValue: try text(name)) else { throw Self.mismatch(name, "\(Constant.self)") }
        return constant
    }

    /// The column's value through `convert`: nil for NULL, an error for a value of another kind.
    private func read<Value>(_ name: String, _ expected: String, _ convert: (SQLValue) -> Value?) throws -> Value? {
        guard let index = columns.index(of: name) else { throw StorageError(.unavailable, "no column \(name) in the result") }
        let value = values[index]
        if value.isNull { return nil }
        guard let converted = convert(value) else { throw Self.mismatch(name, expected) }
        return converted
    }

    private func required<Value>(_ name: String, _ expected: String, _ optional: (String) throws -> Value?) throws -> Value {
        guard let value = try optional(name) else { throw Self.mismatch(name, expected) }
        return value
    }

    private static func mismatch(_ name: String, _ expected: String) -> StorageError {
        StorageError(.unavailable, "column \(name) is not \(expected)")
    }
}
