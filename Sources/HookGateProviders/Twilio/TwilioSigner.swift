import Crypto
import HookGateCore

/// Produces the `X-Twilio-Signature` Twilio would send, for `hookgate sign`, tests and the load test.
public enum TwilioSigner {
    /// - Parameters:
    ///   - url: the full URL Twilio posts to, query included; when it carries `bodySHA256` the URL is signed alone
    ///     (a JSON body), otherwise the form fields of `body` are appended as Twilio does.
    ///   - sha256: sign with HMAC-SHA256 (the `X-Twilio-Webhooks-Signature-Settings` scheme) instead of HMAC-SHA1.
    public static func signature(url: String, body: [UInt8], authToken: String, sha256: Bool = false) -> String {
        let parameters = TwilioURL.bodySHA256(inQueryOf: url) == nil ? TwilioURL.sortedParameters(FormFields(body)) : []
        let message = Array(url.utf8) + parameters
        return Base64.encode(
            sha256
                ? HMACKeys.mac(SHA256.self, secret: authToken, message: message)
                : HMACKeys.mac(Insecure.SHA1.self, secret: authToken, message: message))
    }

    /// `url` with the `bodySHA256` query parameter Twilio adds for a JSON body.
    public static func urlWithBodyHash(_ url: String, body: [UInt8]) -> String {
        url + (url.contains("?") ? "&" : "?") + "bodySHA256=" + Hex.encode(SHA256.hash(data: body))
    }
}
