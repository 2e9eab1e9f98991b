import Crypto
import Foundation
import HTTPTypes
import HookGateCore
import NIOCore

/// Customer.io reporting webhooks: `X-CIO-Signature`, hex HMAC-SHA256 of `v0:{X-CIO-Timestamp}:{body}`, with the
/// timestamp within the source's tolerance.
struct CustomerIOProvider: Provider {
    let sourceID: String
    let keys: HMACKeys
    let toleranceSeconds: Int64

    init(sourceID: String, secrets: [String], tolerance: Duration) {
        self.sourceID = sourceID
        self.keys = HMACKeys(secrets)
        self.toleranceSeconds = tolerance.components.seconds
    }

    var kind: ProviderKind { .customerio }

    func verify(_ webhook: InboundWebhook, now: Date) -> Bool {
        guard let timestampText = webhook.headers[.cioTimestamp], let timestamp = SignedTimestamp.parse(timestampText.utf8),
            SignedTimestamp.isFresh(timestamp, now: now, toleranceSeconds: toleranceSeconds),
            let header = webhook.headers[.cioSignature], header.utf8.count == 64, let signature = Hex.decode(header)
        else { return false }
        let prefix = Array("v0:\(timestampText):".utf8)
        return keys.verify(SHA256.self, signatures: [signature]) { hmac in
            hmac.update(data: prefix)
            hmac.update(data: webhook.body.readableBytesView)
        }
    }

    func normalize(_ webhook: InboundWebhook) -> Normalization {
        CustomerIONormalizer(sourceID: sourceID).normalize(webhook)
    }
}

extension HTTPField.Name {
    static let cioSignature = Self("X-CIO-Signature")!
    static let cioTimestamp = Self("X-CIO-Timestamp")!
}

/// Produces the `X-CIO-Signature` Customer.io would send, for `hookgate sign`, tests and the load test.
public enum CustomerIOSigner {
    public static func signature(body: [UInt8], signingKey: String, timestamp: Int64) -> String {
        Hex.encode(HMACKeys.mac(SHA256.self, secret: signingKey, message: Array("v0:\(timestamp):".utf8) + body))
    }
}
