import Crypto
import Foundation
import HTTPTypes
import HookGateCore
import NIOCore

/// NMI: `Webhook-Signature: t=<nonce>,s=<hex>`, HMAC-SHA256 of `{nonce}.{body}` with the merchant's signing key.
/// The `t` is a nonce, not a time, so there is no replay window: dedupe on `event_id` is the replay protection.
struct NMIProvider: Provider {
    let sourceID: String
    let keys: HMACKeys

    init(sourceID: String, secrets: [String]) {
        self.sourceID = sourceID
        self.keys = HMACKeys(secrets)
    }

    var kind: ProviderKind { .nmi }

    func verify(_ webhook: InboundWebhook, now: Date) -> Bool {
        guard let header = webhook.headers[.nmiSignature], let (nonce, signature) = Self.parse(header) else { return false }
        return keys.verify(SHA256.self, signatures: [signature]) { hmac in
            hmac.update(data: nonce)
            hmac.update(data: [UInt8(ascii: ".")])
            hmac.update(data: webhook.body.readableBytesView)
        }
    }

    func normalize(_ webhook: InboundWebhook) -> Normalization {
        NMINormalizer(sourceID: sourceID).normalize(webhook)
    }

    /// `t=<nonce>,s=<64 hex>`, split at the last `,s=` as NMI's sample regex `/t=(.*),s=(.*)/` does.
    static func parse(_ header: String) -> (nonce: [UInt8], signature: [UInt8])? {
        let bytes = Array(header.utf8)
        guard bytes.count <= 1_024, bytes.starts(with: "t=".utf8) else { return nil }
        let marker = Array(",s=".utf8)
        guard let split = (2...max(2, bytes.count - marker.count)).reversed().first(where: { bytes[$0...].starts(with: marker) }),
            let signature = Hex.decode(String(decoding: bytes[(split + marker.count)...], as: UTF8.self)), signature.count == 32
        else { return nil }
        return (Array(bytes[2..<split]), signature)
    }
}

extension HTTPField.Name {
    static let nmiSignature = Self("Webhook-Signature")!
}

/// Produces the `Webhook-Signature` NMI would send, for `hookgate sign`, tests and the load test.
public enum NMISigner {
    public static func signatureHeader(body: [UInt8], signingKey: String, nonce: String) -> String {
        "t=\(nonce),s=" + Hex.encode(HMACKeys.mac(SHA256.self, secret: signingKey, message: Array("\(nonce).".utf8) + body))
    }
}
