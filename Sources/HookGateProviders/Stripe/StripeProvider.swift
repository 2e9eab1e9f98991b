import Crypto
import Foundation
import HTTPTypes
import HookGateCore
import NIOCore

/// Stripe: `Stripe-Signature` HMAC-SHA256 over `{t}.{body}` with the `whsec_…` secret's UTF-8 bytes.
struct StripeProvider: Provider {
    let sourceID: String
    let keys: [SymmetricKey]
    let toleranceSeconds: Int64

    init(sourceID: String, secrets: [String], tolerance: Duration) {
        self.sourceID = sourceID
        self.keys = secrets.map { SymmetricKey(data: Array($0.utf8)) }
        self.toleranceSeconds = tolerance.components.seconds
    }

    var kind: ProviderKind { .stripe }

    func verify(_ webhook: InboundWebhook, now: Date) -> Bool {
        guard let value = webhook.headers[.stripeSignature], let header = StripeSignatureHeader(value) else { return false }
        // Both directions: a timestamp far in the future is as suspicious as a stale one.
        guard abs(Int64(now.timeIntervalSince1970) - header.timestamp) <= toleranceSeconds else { return false }
        let prefix = Array("\(header.timestamp).".utf8)
        for key in keys {
            var hmac = HMAC<SHA256>(key: key)
            hmac.update(data: prefix)
            hmac.update(data: webhook.body.readableBytesView)
            let expected = hmac.finalize()
            for candidate in header.signatures where expected == candidate {  // constant-time compare
                return true
            }
        }
        return false
    }

    func normalize(_ webhook: InboundWebhook) -> Normalization {
        StripeNormalizer(sourceID: sourceID).normalize(webhook)
    }
}

extension HTTPField.Name {
    static let stripeSignature = Self("Stripe-Signature")!
}
