import Crypto
import Foundation
import HTTPTypes
import HookGateCore
import NIOCore

/// Stripe: `Stripe-Signature` HMAC-SHA256 over `{t}.{body}` with the `whsec_…` secret's UTF-8 bytes.
struct StripeProvider: Provider {
    let sourceID: String
    let keys: HMACKeys
    let toleranceSeconds: Int64

    init(sourceID: String, secrets: [String], tolerance: Duration) {
        self.sourceID = sourceID
        self.keys = HMACKeys(secrets)
        self.toleranceSeconds = tolerance.components.seconds
    }

    var kind: ProviderKind { .stripe }

    func verify(_ webhook: InboundWebhook, now: Date) -> Bool {
        guard let value = webhook.headers[.stripeSignature], let header = StripeSignatureHeader(value) else { return false }
        guard SignedTimestamp.isFresh(header.timestamp, now: now, toleranceSeconds: toleranceSeconds) else { return false }
        let prefix = Array("\(header.timestamp).".utf8)
        return keys.verify(SHA256.self, signatures: header.signatures) { hmac in
            hmac.update(data: prefix)
            hmac.update(data: webhook.body.readableBytesView)
        }
    }

    func normalize(_ webhook: InboundWebhook) -> Normalization {
        StripeNormalizer(sourceID: sourceID).normalize(webhook)
    }
}

extension HTTPField.Name {
    static let stripeSignature = Self("Stripe-Signature")!
}
