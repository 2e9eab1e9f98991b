/// `POST /v1/subscriptions/{id}/rotate-secret`: the new secret, and until when the old one still signs alongside.
struct SecretRotationResponse: Encodable, Sendable {
    var id: String
    var secret: String
    var previousSecretExpiresAt: String

    enum CodingKeys: String, CodingKey {
        case id, secret
        case previousSecretExpiresAt = "previous_secret_expires_at"
    }
}
