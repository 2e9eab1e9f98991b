import HookGateCore

extension IngestRecord {
    /// Identity for idempotency: unique per source.
    var identity: Identity { Identity(source: sourceID, dedupeKey: dedupeKey) }

    /// The identity as the database holds it: text is stored without NUL characters.
    var storedIdentity: Identity { Identity(source: sourceID, dedupeKey: dedupeKey.withoutNUL) }

    struct Identity: Hashable {
        let source: String
        let dedupeKey: String
    }
}
