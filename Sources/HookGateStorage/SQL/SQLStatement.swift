import Foundation
import HookGateCore
import NIOCore

/// The two SQL dialects HookGate speaks; they differ in placeholders and in how times are stored.
enum SQLDialect: Sendable {
    case sqlite
    case postgres
}

/// A value bound to, or read from, a statement, independent of the driver.
enum SQLValue: Sendable {
    case text(String)
    case int(Int64)
    /// Bound as `timestamptz` on PostgreSQL and as integer microseconds on SQLite.
    case date(Date)
    case blob(ByteBuffer)
    case null
}

/// SQL text with its binds, built with the dialect's placeholders.
struct SQLStatement: Sendable {
    let dialect: SQLDialect
    private(set) var sql = ""
    private(set) var binds: [SQLValue] = []

    init(_ dialect: SQLDialect, _ sql: String = "") {
        self.dialect = dialect
        self.sql = sql
    }

    /// Appends SQL text.
    mutating func append(_ text: String) {
        sql += text
    }

    /// Appends a placeholder for `value`.
    mutating func bind(_ value: SQLValue) {
        binds.append(value)
        sql += dialect == .sqlite ? "?" : "$\(binds.count)"
    }

    mutating func bind(_ text: String) { bind(.text(text)) }

    /// Appends ` AND <condition> ?` binding `value`, or nothing when there is no value (an optional filter).
    mutating func and(_ condition: String, _ value: String?) {
        guard let value else { return }
        append(" AND \(condition) ")
        bind(value)
    }

    /// Appends `(?, ?, …)` for one row of values.
    mutating func bindRow(_ values: [SQLValue]) {
        append("(")
        for (index, value) in values.enumerated() {
            if index > 0 { append(", ") }
            bind(value)
        }
        append(")")
    }

    /// Appends `(…), (…), …` for several rows.
    mutating func bindRows<Rows: Sequence<[SQLValue]>>(_ rows: Rows) {
        for (index, row) in rows.enumerated() {
            if index > 0 { append(", ") }
            bindRow(row)
        }
    }

    /// A condition that `column` starts with `prefix`, without LIKE (case-insensitive in SQLite, and `_` is a wildcard).
    mutating func startsWith(_ column: String, _ prefix: String) {
        append("substr(\(column), 1, \(prefix.utf8.count)) = ")
        bind(prefix)
    }

    /// Appends ` AND <column> matches pattern`, or nothing for `*` and no pattern.
    mutating func and(_ column: String, matching pattern: TypePattern?) {
        switch pattern {
        case .exact(let type)?:
            and("\(column) =", type)
        case .prefix(let prefix)?:
            append(" AND ")
            startsWith(column, prefix)
        case .any?, nil:
            break
        }
    }
}

/// One result row, columns by position.
struct SQLRow: Sendable {
    let values: [SQLValue]

    func text(_ index: Int) throws -> String {
        guard case .text(let value) = values[index] else { throw Self.mismatch(index, "text") }
        return value
    }

    func optionalText(_ index: Int) throws -> String? {
        if case .null = values[index] { return nil }
        return try text(index)
    }

    func int(_ index: Int) throws -> Int64 {
        guard case .int(let value) = values[index] else { throw Self.mismatch(index, "integer") }
        return value
    }

    func optionalInt(_ index: Int) throws -> Int64? {
        if case .null = values[index] { return nil }
        return try int(index)
    }

    func date(_ index: Int) throws -> Date {
        switch values[index] {
        case .date(let date): return date
        case .int(let microseconds): return Date(timeIntervalSince1970: TimeInterval(microseconds) / 1_000_000)
        default: throw Self.mismatch(index, "time")
        }
    }

    func blob(_ index: Int) throws -> ByteBuffer {
        switch values[index] {
        case .blob(let buffer): return buffer
        case .text(let text): return ByteBuffer(string: text)
        default: throw Self.mismatch(index, "blob")
        }
    }

    private static func mismatch(_ index: Int, _ expected: String) -> StorageError {
        StorageError(.unavailable, "column \(index) is not \(expected)")
    }
}
