import Foundation
import HookGateCore
import NIOCore

/// SQL as it reads, values interpolated as binds (as `PostgresQuery` takes them): in `"… WHERE id = \(id)"` the id is
/// bound, never spliced, whatever it holds. SQL text goes in only as a literal, a ``SQLConstant`` or `\(sql:)` (for
/// names the code chooses, never for values). Each backend renders its own placeholders.
struct SQLQuery: Sendable, ExpressibleByStringInterpolation {
    fileprivate enum Part: Sendable {
        case sql(String)
        case bind(SQLValue)
    }

    private var parts: [Part]

    init(stringLiteral: String) {
        parts = [.sql(stringLiteral)]
    }

    init(stringInterpolation: Interpolation) {
        parts = stringInterpolation.parts
    }

    /// The queries one after the other, `separator` between them.
    init(joining queries: [SQLQuery], separator: String) {
        parts = []
        for (index, query) in queries.enumerated() {
            if index > 0 { parts.append(.sql(separator)) }
            parts += query.parts
        }
    }

    static func += (query: inout SQLQuery, more: SQLQuery) {
        query.parts += more.parts
    }

    /// The text with `?` (SQLite) or `$1, $2, …` (PostgreSQL) placeholders, and the values in their order.
    func rendered(for dialect: SQLDialect) -> (sql: String, binds: [SQLValue]) {
        var sql = ""
        var binds: [SQLValue] = []
        for part in parts {
            switch part {
            case .sql(let text):
                sql += text
            case .bind(let value):
                binds.append(value)
                sql += dialect == .sqlite ? "?" : "$\(binds.count)"
            }
        }
        return (sql, binds)
    }

    struct Interpolation: StringInterpolationProtocol {
        fileprivate var parts: [Part] = []

        init(literalCapacity: Int, interpolationCount: Int) {
            parts.reserveCapacity(2 * interpolationCount + 1)
        }

        mutating func appendLiteral(_ literal: String) {
            if !literal.isEmpty { parts.append(.sql(literal)) }
        }

        mutating func appendInterpolation(_ value: SQLValue) {
            parts.append(.bind(value))
        }

        mutating func appendInterpolation(_ text: String?) {
            appendInterpolation(text.map(SQLValue.text) ?? .null)
        }

        mutating func appendInterpolation(_ int: Int?) {
            appendInterpolation(int.map { .int(Int64($0)) } ?? .null)
        }

        mutating func appendInterpolation(_ date: Date?) {
            appendInterpolation(date.map(SQLValue.date) ?? .null)
        }

        mutating func appendInterpolation(_ blob: ByteBuffer) {
            appendInterpolation(.blob(blob))
        }

        mutating func appendInterpolation(_ constant: some SQLConstant) {
            parts.append(.sql("'\(constant.rawValue)'"))
        }

        /// A query nested in this one, its binds with it.
        mutating func appendInterpolation(_ query: SQLQuery) {
            parts += query.parts
        }

        /// SQL text the code chose (a table's column list); never a value.
        mutating func appendInterpolation(sql: String) {
            parts.append(.sql(sql))
        }

        /// `(?, ?, …)`: one row of values, or the list of an `IN`.
        mutating func appendInterpolation(list values: some Sequence<SQLValue>) {
            appendLiteral("(")
            for (index, value) in values.enumerated() {
                if index > 0 { appendLiteral(", ") }
                appendInterpolation(value)
            }
            appendLiteral(")")
        }

        /// `(…), (…), …`: the rows of a multi-row `VALUES`.
        mutating func appendInterpolation(rows: some Sequence<[SQLValue]>) {
            for (index, row) in rows.enumerated() {
                if index > 0 { appendLiteral(", ") }
                appendInterpolation(list: row)
            }
        }
    }
}

extension SQLQuery {
    /// ` AND <column> = value`, or nothing when there is no value: an optional filter.
    static func and(_ column: String, equals value: String?) -> SQLQuery {
        guard let value else { return "" }
        return " AND \(sql: column) = \(value)"
    }

    /// ` AND <column> <op> value` for an id bound of a range or a cursor, or nothing when there is none.
    static func and(_ column: String, _ comparison: Comparison, _ value: String?) -> SQLQuery {
        guard let value else { return "" }
        return " AND \(sql: column) \(sql: comparison.rawValue) \(value)"
    }

    enum Comparison: String {
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
    }

    /// ` AND <column>` matching a type pattern, or nothing for `*` and no pattern. A prefix is compared with `substr`,
    /// not LIKE, which is case-insensitive in SQLite and takes `_` as a wildcard.
    static func and(_ column: String, matching pattern: TypePattern?) -> SQLQuery {
        switch pattern {
        case .exact(let type)?: and(column, equals: type)
        // The length is written out: PostgreSQL has no substr taking the bigint a bound integer would be.
        case .prefix(let prefix)?: " AND substr(\(sql: column), 1, \(sql: String(prefix.utf8.count))) = \(prefix)"
        case .any?, nil: ""
        }
    }
}
