/// The two SQL dialects HookGate speaks; they differ in placeholders and in how times are stored.
enum SQLDialect: Sendable {
    case sqlite
    case postgres

    /// What a claiming subquery ends with: on PostgreSQL, which several instances share, each skips the rows another
    /// is leasing right now; SQLite has one writer and no row locks.
    var skipLocked: String {
        self == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
    }

    /// The column type of a time: ``SQLValue/date(_:)`` binds `timestamptz` on PostgreSQL, integer microseconds on SQLite.
    var timeColumnType: String {
        self == .postgres ? "timestamptz" : "INTEGER"
    }
}
