import Foundation
import HookGateTesting
import Testing

@testable import HookGateCore
@testable import HookGateStorage

/// Subscription signing secrets at rest: sealed with `storage.encryption_key`, read back through the store, sealed
/// at start-up when stored before the key (or under a previous one), and refused clearly when no key opens them.
/// The columns are read raw, past the store's sealing, to see what a copy of the database would hold.
@Suite("Subscription secrets sealed at rest")
struct SecretSealingTests {
    static let keyA = EncryptionKey(bytes: Array(repeating: 0xA1, count: 32))
    static let keyB = EncryptionKey(bytes: (0..<32).map { UInt8($0) })

    @Test("new and rotated secrets are sealed in their columns and read back in the clear", arguments: TestBackend.available)
    func sealedColumns(backend: TestBackend) async throws {
        try await withTestStore(backend, sealer: SecretSealer(current: Self.keyA)) { (store) async throws in
            let now = Date()
            let id = "sub_" + uniqueSourceID()
            try await store.createSubscription(Self.subscription(id, now: now), audit: makeAudit("subscription.create", target: id))
            let (secret, previous) = try await Self.rawSecrets(store, id: id)
            #expect(secret.hasPrefix("sealed:v1:\(Self.keyA.id):") && !secret.contains("whsec_"))
            #expect(previous == nil)

            #expect(
                try await store.rotateSubscriptionSecret(
                    id: id, secret: "whsec_new", overlapUntil: now.addingTimeInterval(86_400), now: now,
                    audit: makeAudit("subscription.rotate", target: id)))
            let (rotated, rotatedPrevious) = try await Self.rawSecrets(store, id: id)
            #expect(rotated.hasPrefix("sealed:v1:\(Self.keyA.id):") && !rotated.contains("whsec_"))
            #expect(rotatedPrevious == secret, "the old sealed value moves to previous_secret as it was")
            let read = try #require(try await store.subscriptions().first { $0.id == id })
            #expect(read.secret == "whsec_new" && read.previousSecret == "whsec_original")
        }
    }

    @Test(
        "rows stored without a key are sealed at start-up, a rotated key reseals them, and an unknown key is refused by name",
        arguments: TestBackend.available)
    func migrationAndRotation(backend: TestBackend) async throws {
        let location = try backend.makeLocation()
        let id = "sub_" + uniqueSourceID()
        try await withTestStore(backend, location: location) { (store) async throws in
            try await store.createSubscription(Self.subscription(id, now: Date()), audit: makeAudit("subscription.create", target: id))
            #expect(try await Self.rawSecrets(store, id: id).0 == "whsec_original", "without a key, stored as it is")
            #expect(try await store.sealSubscriptionSecrets() == 0, "without a key nothing is sealed")
        }
        try await withTestStore(backend, location: location, sealer: SecretSealer(current: Self.keyA)) { (store) async throws in
            #expect(try await store.sealSubscriptionSecrets() == 1)
            #expect(try await Self.rawSecrets(store, id: id).0.hasPrefix("sealed:v1:\(Self.keyA.id):"))
            #expect(try await store.sealSubscriptionSecrets() == 0, "sealing is idempotent")
            #expect(try await store.subscriptions().first { $0.id == id }?.secret == "whsec_original")
        }
        try await withTestStore(backend, location: location, sealer: SecretSealer(current: Self.keyB, previous: [Self.keyA])) {
            (store) async throws in
            #expect(try await store.subscriptions().first { $0.id == id }?.secret == "whsec_original", "a previous key still reads")
            #expect(try await store.sealSubscriptionSecrets() == 1)
            #expect(try await Self.rawSecrets(store, id: id).0.hasPrefix("sealed:v1:\(Self.keyB.id):"))
        }
        try await withTestStore(backend, location: location, sealer: SecretSealer(current: Self.keyA)) { (store) async throws in
            let error = await #expect(throws: StorageError.self) { try await store.sealSubscriptionSecrets() }
            #expect(error?.code == .unreadableSecret)
            #expect(error?.message.contains(id) == true && error?.message.contains(Self.keyB.id) == true)
        }
        try await withTestStore(backend, location: location) { (store) async throws in
            let error = await #expect(throws: StorageError.self) { try await store.subscriptions() }
            #expect(error?.code == .unreadableSecret, "a sealed secret without a key is an error, never ciphertext used as a secret")
        }
    }

    @Test("a sealed value opens only on its own row and unaltered")
    func boundToItsRow() throws {
        let sealer = SecretSealer(current: Self.keyA)
        let sealed = try sealer.seal("whsec_secret", id: "sub_1")
        #expect(try sealer.open(sealed, id: "sub_1") == "whsec_secret")
        #expect(throws: StorageError.self) { try sealer.open(sealed, id: "sub_2") }
        var tampered = Array(sealed.utf8)
        tampered[tampered.count - 10] = tampered[tampered.count - 10] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(throws: StorageError.self) { try sealer.open(String(decoding: tampered, as: UTF8.self), id: "sub_1") }
        #expect(try sealer.seal("whsec_secret", id: "sub_1") != sealed, "a fresh nonce per seal")
    }

    @Test("storage.encryption_key is 32 bytes of base64; a bad one names the key and line, never the value")
    func configuration() throws {
        let key = Data(Self.keyB.bytes).base64EncodedString()
        let loaded = try ConfigurationLoader.parse(
            yaml:
                "storage:\n  url: sqlite://x.sqlite\n  encryption_key: \"${K}\"\n  previous_encryption_keys: [\"\(Data(Self.keyA.bytes).base64EncodedString())\"]\n",
            environment: ["K": key]
        )
        #expect(loaded.storage.encryptionKey == Self.keyB && loaded.storage.previousEncryptionKeys == [Self.keyA])
        #expect(try ConfigurationLoader.parse(yaml: "storage:\n  encryption_key: \"${K:-}\"\n", environment: [:]).storage.encryptionKey == nil)
        let short = "c2hvcnQga2V5"
        let error = #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.parse(yaml: "storage:\n  encryption_key: \"${K}\"\n", environment: ["K": short])
        }
        #expect(error?.path == "storage.encryption_key" && error?.line == 2)
        #expect(error.map { !"\($0)".contains(short) } == true)
    }

    static func subscription(_ id: String, now: Date) -> StoredSubscription {
        StoredSubscription(
            id: id, url: "https://hooks.example.com/in", types: ["*"], sources: nil, description: nil, secret: "whsec_original", createdAt: now,
            updatedAt: now)
    }

    /// The `secret` and `previous_secret` columns as stored.
    static func rawSecrets(_ store: any EventStore, id: String) async throws -> (String, String?) {
        func read<Database: SQLDatabase>(_ store: SQLEventStore<Database>) async throws -> (String, String?) {
            let row = try #require(try await store.database.query("SELECT secret, previous_secret FROM subscriptions WHERE id = \(id)").first)
            return (try row.text("secret"), try row.optionalText("previous_secret"))
        }
        if let sqlite = store as? SQLEventStore<SQLiteBackend> { return try await read(sqlite) }
        return try await read(try #require(store as? SQLEventStore<PostgresBackend>))
    }
}
