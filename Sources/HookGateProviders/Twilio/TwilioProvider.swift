import Crypto
import Foundation
import HTTPTypes
import HookGateCore
import NIOCore

/// Twilio: `X-Twilio-Signature`, base64 HMAC over the URL Twilio called plus the sorted form parameters (or, for
/// JSON bodies, over the URL carrying `bodySHA256`, with the body hash checked too). HMAC-SHA1 with the auth token,
/// or HMAC-SHA256 when `X-Twilio-Webhooks-Signature-Settings` names `algorithm=HMAC_SHA256`.
struct TwilioProvider: Provider {
    let sourceID: String
    let keys: HMACKeys
    /// The URLs Twilio may have signed for a request: `public_url` as configured and with or without the default
    /// port, since Twilio's own back end is inconsistent about it (twilio-python's `validate` tries both).
    let baseURLs: [[UInt8]]

    init(sourceID: String, secrets: [String], publicURL: String) {
        self.sourceID = sourceID
        self.keys = HMACKeys(secrets)
        self.baseURLs = TwilioURL.portVariants(of: publicURL).map { Array($0.utf8) }
    }

    var kind: ProviderKind { .twilio }

    var acknowledgement: Acknowledgement { .twiml }

    func verify(_ webhook: InboundWebhook, now: Date) -> Bool {
        guard let header = webhook.headers[.twilioSignature], let signature = Base64.decode(header),
            let algorithm = TwilioURL.algorithm(settings: webhook.headers[.twilioSignatureSettings])
        else { return false }
        let pathAndQuery = Array(webhook.pathAndQuery.utf8)
        let signedParameters: [UInt8]
        if let bodyHash = TwilioURL.bodySHA256(inQueryOf: webhook.pathAndQuery) {
            // JSON body: the URL (carrying the hash) is signed alone, and the hash must be the body's.
            guard let expected = Hex.decode(bodyHash), SHA256.hash(data: webhook.body.readableBytesView) == expected else { return false }
            signedParameters = []
        } else {
            let form = FormFields(webhook.body.readableBytesView)
            guard form.isComplete else { return false }
            signedParameters = TwilioURL.sortedParameters(form)
        }
        for base in baseURLs {
            let valid: Bool
            switch algorithm {
            case .sha1: valid = keys.verify(Insecure.SHA1.self, signatures: [signature]) { Self.feed(&$0, base, pathAndQuery, signedParameters) }
            case .sha256: valid = keys.verify(SHA256.self, signatures: [signature]) { Self.feed(&$0, base, pathAndQuery, signedParameters) }
            }
            if valid { return true }
        }
        return false
    }

    func normalize(_ webhook: InboundWebhook) -> Normalization {
        TwilioNormalizer(sourceID: sourceID).normalize(webhook)
    }

    private static func feed<H: HashFunction>(_ hmac: inout HMAC<H>, _ base: [UInt8], _ pathAndQuery: [UInt8], _ parameters: [UInt8]) {
        hmac.update(data: base)
        hmac.update(data: pathAndQuery)
        hmac.update(data: parameters)
    }
}

extension HTTPField.Name {
    static let twilioSignature = Self("X-Twilio-Signature")!
    static let twilioSignatureSettings = Self("X-Twilio-Webhooks-Signature-Settings")!
    static let twilioIdempotencyToken = Self("I-Twilio-Idempotency-Token")!
}
