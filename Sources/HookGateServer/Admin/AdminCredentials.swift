import Crypto
import HookGateCore

/// The configured admin tokens, checked as SHA-256 digests in constant time against every one, so neither timing
/// nor early exit tells how close a guess was. The API's bearer tokens and the console's sign-in share it.
struct AdminCredentials: Sendable {
    private struct Credential: Sendable {
        let digest: SHA256.Digest
        let principal: AdminPrincipal
    }

    private let credentials: [Credential]

    init(tokens: [HookGateConfiguration.AdminToken]) {
        credentials = tokens.map {
            Credential(digest: SHA256.hash(data: Array($0.token.utf8)), principal: AdminPrincipal(name: $0.name, role: $0.role))
        }
    }

    /// Who `token` is, or nil when it is no configured token.
    func principal<Token: Sequence<UInt8>>(forToken token: Token) -> AdminPrincipal? {
        let presented = SHA256.hash(data: Array(token))
        var match: AdminPrincipal?
        for credential in credentials where credential.digest == presented {
            match = credential.principal
        }
        return match
    }
}
