import Foundation
import HookGateProviders

/// Where to send and how.
struct Target: Sendable {
    let host: String
    let port: Int
    let path: String
    let tls: Bool

    init?(url: String) {
        guard let components = URLComponents(string: url), let host = components.host, let scheme = components.scheme,
            ["http", "https"].contains(scheme)
        else { return nil }
        self.host = host
        self.tls = scheme == "https"
        self.port = components.port ?? (tls ? 443 : 80)
        self.path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
    }
}

/// How a body is signed: the headers a provider would add.
struct SigningScheme: Sendable {
    let headers: @Sendable ([UInt8]) -> [(String, String)]

    init?(provider: String, secret: String) {
        switch provider {
        case "stripe":
            headers = { body in
                [("Stripe-Signature", StripeSigner.signatureHeader(body: body, secret: secret, timestamp: Int64(Date().timeIntervalSince1970)))]
            }
        default:
            return nil
        }
    }
}

/// The whole run's parameters, shared by every connection.
struct LoadPlan: Sendable {
    let target: Target
    let scheme: SigningScheme
    let payloadBytes: Int
    let duration: Duration
    /// Time between sends on one connection (open loop); nil sends the next request when the answer arrives.
    let perConnectionInterval: Duration?

    /// A realistic Stripe `payment_intent.succeeded` event with a unique id, padded to about `payloadBytes`.
    func body(id: String) -> [UInt8] {
        let id = Array(id.utf8)
        var body: [UInt8] = []
        body.reserveCapacity(payloadBytes + 64)
        body += Self.part1; body += id
        body += Self.part2; body += Array(String(Int(Date().timeIntervalSince1970)).utf8)
        body += Self.part3; body += id
        body += Self.part4; body += id
        body += Self.part5
        body += repeatElement(UInt8(ascii: "x"), count: max(0, payloadBytes - body.count - Self.part6.count))
        body += Self.part6
        return body
    }

    private static let part1 = Array(#"{"id":"evt_"#.utf8)
    private static let part2 = Array(#"","object":"event","api_version":"2024-06-20","created":"#.utf8)
    private static let part3 = Array(#","type":"payment_intent.succeeded","livemode":false,"pending_webhooks":1,"request":{"id":"req_"#.utf8)
    private static let part4 = Array(#"","idempotency_key":null},"data":{"object":{"id":"pi_"#.utf8)
    private static let part5 = Array(#"","object":"payment_intent","amount":2000,"amount_received":2000,"currency":"usd","customer":"cus_QQaZxkH0u4w1Lc","receipt_email":"jenny.rosen@example.com","status":"succeeded","payment_method_types":["card"],"metadata":{"note":""#.utf8)
    private static let part6 = Array(#""}}}}"#.utf8)
}
