import Crypto
import Foundation
import HookGateCore
import HookGateTesting
import Testing

@testable import HookGateProviders

@Suite("Twilio")
struct TwilioTests {
    typealias Support = ProviderTestSupport

    static let form = "CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212"
    static let path = "/myapp.php?foo=1&bar=2"

    func twilio(_ publicURL: String = "https://mycompany.com", tokens: [String] = ["12345"]) -> any Provider {
        Support.provider(.twilio, secrets: tokens, publicURL: publicURL)
    }

    func request(_ body: String, signature: String?, path: String = path, settings: String? = nil) -> InboundWebhook {
        var headers: [(String, String)] = []
        if let signature { headers.append(("X-Twilio-Signature", signature)) }
        if let settings { headers.append(("X-Twilio-Webhooks-Signature-Settings", settings)) }
        return Support.webhook(body, headers: headers, path: path)
    }

    // twilio-python tests/unit/test_request_validator.py, token 12345 (PROVIDERS.md §1.2).
    @Test(
        "SDK vectors: form parameters, ports, multi-valued names, JSON body",
        arguments: [
            ("https://mycompany.com", path, form, "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
            ("https://mycompany.com", path, form, "kvajT1Ptam85bY51eRf/AJRuM3w="),  // signed with :443
            ("http://mycompany.com", path, form, "0ZXoZLH/DfblKGATFgpif+LLRf4="),  // signed with :80
            ("http://mycompany.com:1234", path, form, "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="),
            ("https://mycompany.com:1234", path, form, "RSOYDt4T1cUTdK1PDd93/VVr8B8="),  // remove_port, as the SDK does
            ("https://mycompany.com/", path, "Sid=CA123&SidAccount=AC123&Digits=5678&Digits=1234&Digits=1234", "IK+Dwps556ElfBT0I3Rgjkr1wJU="),
            (
                "https://mycompany.com", path + "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620",
                #"{"property": "value", "boolean": true}"#, "a9nBmqA0ju/hNViExpshrM61xv4="
            ),
        ])
    func sdkVectors(publicURL: String, path: String, body: String, signature: String) {
        #expect(twilio(publicURL).verify(request(body, signature: signature, path: path), now: Support.received))
        #expect(!twilio(publicURL, tokens: ["54321"]).verify(request(body, signature: signature, path: path), now: Support.received))
    }

    @Test("a correctly signed form with more fields than are read is refused, one at the limit verifies")
    func fieldCap() throws {
        // Signed here over every field, independently of the parser's limit (PROVIDERS.md §1.2: URL, then each
        // name and value, names sorted).
        func signed(_ count: Int) -> (String, String) {
            let names = (0..<count).map { String(format: "F%05d", $0) }
            let signedText = "https://mycompany.com" + Self.path + names.sorted().map { $0 + "v" }.joined()
            let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(signedText.utf8), using: SymmetricKey(data: Data("12345".utf8)))
            return (names.map { $0 + "=v" }.joined(separator: "&"), Data(mac).base64EncodedString())
        }
        let (atLimit, atLimitSignature) = signed(FormFields.maxFields)
        #expect(twilio().verify(request(atLimit, signature: atLimitSignature), now: Support.received))
        let (over, overSignature) = signed(FormFields.maxFields + 1)
        #expect(!twilio().verify(request(over, signature: overSignature), now: Support.received))
        #expect(FormFields(Array((atLimit + "&&&").utf8)).isComplete, "trailing separators are no fields")
    }

    @Test("the signer reproduces the SDK vectors")
    func signer() {
        #expect(
            TwilioSigner.signature(url: "https://mycompany.com" + Self.path, body: Array(Self.form.utf8), authToken: "12345")
                == "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
        let body = Array(#"{"property": "value", "boolean": true}"#.utf8)
        let url = TwilioSigner.urlWithBodyHash("https://mycompany.com" + Self.path, body: body)
        #expect(url.hasSuffix("bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"))
        #expect(TwilioSigner.signature(url: url, body: body, authToken: "12345") == "a9nBmqA0ju/hNViExpshrM61xv4=")
    }

    @Test("a JSON body must match its bodySHA256, even under a valid URL signature")
    func bodyHashChecked() {
        let path = Self.path + "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
        #expect(
            !twilio().verify(
                request(#"{"property": "value", "boolean": false}"#, signature: "a9nBmqA0ju/hNViExpshrM61xv4=", path: path), now: Support.received))
        #expect(
            !twilio().verify(
                request(#"{"property": "value", "boolean": true}"#, signature: "a9nBmqA0ju/hNViExpshrM61xv4=", path: Self.path + "&bodySHA256=zz"),
                now: Support.received))
    }

    // DERIVED (Python hmac/hashlib): HMAC-SHA256, key 12345, over the SDK vector's signed string.
    @Test("X-Twilio-Webhooks-Signature-Settings: HMAC_SHA256 selects SHA-256, other algorithms are refused")
    func signatureSettings() {
        let sha256 = "033hgUJA9M/hXIZsYjwkerEP/DBm35nEri5FhCYjA5s="
        let sha1 = "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        let provider = twilio()
        #expect(provider.verify(request(Self.form, signature: sha256, settings: "key=KS123,algorithm=HMAC_SHA256"), now: Support.received))
        #expect(
            TwilioSigner.signature(url: "https://mycompany.com" + Self.path, body: Array(Self.form.utf8), authToken: "12345", sha256: true) == sha256)
        #expect(!provider.verify(request(Self.form, signature: sha1, settings: "key=KS123,algorithm=HMAC_SHA256"), now: Support.received))
        #expect(!provider.verify(request(Self.form, signature: sha256, settings: nil), now: Support.received))
        #expect(provider.verify(request(Self.form, signature: sha1, settings: "key=KS123"), now: Support.received))
        #expect(!provider.verify(request(Self.form, signature: sha1, settings: "key=KS123,algorithm=HMAC_SHA1"), now: Support.received))
        #expect(!provider.verify(request(Self.form, signature: sha256, settings: "key=KS123,algorithm=HMAC_SHA512"), now: Support.received))
    }

    @Test("missing, empty, tampered, rotated")
    func rejections() {
        let good = "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        #expect(!twilio().verify(request(Self.form, signature: nil), now: Support.received))
        #expect(!twilio().verify(request(Self.form, signature: ""), now: Support.received))
        #expect(!twilio().verify(request(Self.form, signature: "not base64!"), now: Support.received))
        #expect(!twilio().verify(request(Self.form + "&Extra=1", signature: good), now: Support.received))
        #expect(!twilio().verify(request(Self.form, signature: good, path: "/myapp.php?bar=2&foo=1"), now: Support.received))
        #expect(!twilio("https://other.example.com").verify(request(Self.form, signature: good), now: Support.received))
        // During a rotation both tokens are configured; either verifies.
        #expect(twilio(tokens: ["old-token", "12345"]).verify(request(Self.form, signature: good), now: Support.received))
        // The same parameters in another order and encoding are the same signed content.
        let reordered = "To=%2b18005551212&From=%2B14158675309&Digits=1234&Caller=+14158675309&CallSid=CA1234567890ABCDE"
        #expect(!twilio().verify(request(reordered, signature: good), now: Support.received), "'+' decodes to a space, not a plus")
        let reencoded = "To=%2b18005551212&From=%2B14158675309&Digits=1234&Caller=%2B14158675309&CallSid=CA1234567890ABCDE"
        #expect(twilio().verify(request(reencoded, signature: good), now: Support.received))
    }

    @Test("inbound SMS → message.received, deduped on the idempotency token when there is one")
    func inboundSMS() throws {
        let (result, event) = try Support.single(twilio(), fixture: "twilio/sms-inbound.txt")
        #expect(result.status == .normalized)
        #expect(event.type == "message.received")
        #expect(event.subject == "SM5b9f3c2d1e0a4b6c8d7e9f0a1b2c3d4e")
        #expect(event.providerEventType == "message")
        #expect(event.providerEventID == "SM5b9f3c2d1e0a4b6c8d7e9f0a1b2c3d4e")
        #expect(event.time == Support.received)
        #expect(result.dedupeKey == "SM5b9f3c2d1e0a4b6c8d7e9f0a1b2c3d4e:received")
        #expect(event.data["channel"] == "sms")
        #expect(event.data["from"] == "+15551234567")
        #expect(event.data["to"] == "+15005550006")
        #expect(event.data["body"] == "Hello there, is my order on its way?")
        #expect(event.data["media"] == .array([]))
        let (tokened, tokenedEvent) = try Support.single(
            twilio(), fixture: "twilio/sms-inbound.txt", headers: [("I-Twilio-Idempotency-Token", "a1b2c3d4-e5f6")])
        #expect(tokened.dedupeKey == "token:a1b2c3d4-e5f6")
        #expect(tokenedEvent.providerEventID == "a1b2c3d4-e5f6")
    }

    @Test("MMS lists its media; WhatsApp addresses make the channel whatsapp")
    func mmsAndWhatsApp() throws {
        let (_, mms) = try Support.single(twilio(), fixture: "twilio/mms-inbound.txt")
        #expect(mms.data["channel"] == "mms")
        guard case .array(let media)? = mms.data["media"] else {
            Issue.record("no media")
            return
        }
        #expect(media.count == 2)
        #expect(media.first?["content_type"] == "image/jpeg")
        #expect(media.last?["content_type"] == "application/pdf")
        #expect(
            media.first?["url"]
                == "https://api.twilio.com/2010-04-01/Accounts/AC3f2b9c8d7e6f5a4b3c2d1e0f9a8b7c6d/Messages/MM8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d/Media/ME1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d"
        )
        let (_, whatsapp) = try Support.single(twilio(), fixture: "twilio/whatsapp-inbound.txt")
        #expect(whatsapp.data["channel"] == "whatsapp")
        #expect(whatsapp.data["from"] == "whatsapp:+5511987654321")
        #expect(whatsapp.data["body"] == "Olá! Quero trocar o tamanho.")
    }

    @Test("message status callbacks → message.status_changed, with ErrorCode when given")
    func messageStatus() throws {
        let (delivered, event) = try Support.single(twilio(), fixture: "twilio/message-status-delivered.txt")
        #expect(event.type == "message.status_changed")
        #expect(event.providerEventType == "message.status")
        #expect(event.data["status"] == "delivered")
        #expect(event.data["error_code"] == nil)
        #expect(delivered.dedupeKey == "SM1f2e3d4c5b6a7f8e9d0c1b2a3f4e5d6c:delivered")
        let (undelivered, failed) = try Support.single(twilio(), fixture: "twilio/message-status-undelivered.txt")
        #expect(failed.data["status"] == "undelivered")
        #expect(failed.data["error_code"] == "30003")
        #expect(undelivered.dedupeKey != delivered.dedupeKey, "each status transition is its own callback")
    }

    @Test("a JSON-bodied status callback is read from its JSON")
    func jsonStatus() throws {
        let (_, event) = try Support.single(twilio(), fixture: "twilio/message-status.json", path: "/webhooks/source?bodySHA256=ab")
        #expect(event.type == "message.status_changed")
        #expect(event.data["status"] == "read")
        #expect(event.data["to"] == "whatsapp:+5511987654321")
    }

    @Test("voice status callbacks → call.status_changed with duration and recording")
    func callStatus() throws {
        let (result, event) = try Support.single(twilio(), fixture: "twilio/call-status-completed.txt")
        #expect(event.type == "call.status_changed")
        #expect(event.subject == "CA9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b")
        #expect(event.providerEventType == "call.status")
        #expect(event.data["status"] == "completed")
        #expect(event.data["direction"] == "inbound")
        #expect(event.data["duration_seconds"] == 74)
        #expect(
            event.data["recording_url"]
                == "https://api.twilio.com/2010-04-01/Accounts/AC3f2b9c8d7e6f5a4b3c2d1e0f9a8b7c6d/Recordings/RE4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a")
        #expect(result.dedupeKey == "CA9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b:completed:3")
        let (ringingResult, ringing) = try Support.single(twilio(), fixture: "twilio/call-status-ringing.txt")
        #expect(ringing.data["duration_seconds"] == nil)
        #expect(ringing.data["recording_url"] == nil)
        #expect(ringingResult.dedupeKey == "CA9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b:ringing:1")
    }

    @Test("unknown callbacks pass through; an unparseable JSON body is unparsed")
    func passthroughAndUnparsed() {
        let other = twilio().normalize(Support.webhook("AccountSid=AC1&Foo=bar"))
        #expect(other.status == .unrecognized)
        #expect(other.events.first?.type == "provider.twilio.request")
        #expect(other.dedupeKey.hasPrefix("sha256:"))
        let broken = twilio().normalize(Support.webhook("{not json", path: "/webhooks/source?bodySHA256=00"))
        #expect(broken.status == .unparsed)
        #expect(broken.events.isEmpty)
    }

    @Test("hostile parameter values are content, not crashes")
    func hostileValues() {
        for numMedia in ["-5", "99999999999999999999", "1e3", ""] {
            let result = twilio().normalize(Support.webhook("MessageSid=SM1&From=%2B1&To=%2B2&NumMedia=\(numMedia)&MediaUrl0=u"))
            #expect(result.events.first?.type == "message.received", "NumMedia=\(numMedia)")
        }
        let negative = twilio().normalize(Support.webhook("MessageSid=SM1&NumMedia=-1&MediaUrl0=u"))
        #expect(negative.events.first?.data["media"] == .array([]))
        #expect(negative.events.first?.data["channel"] == "sms")
    }

    @Test("the answer is TwiML")
    func answersTwiML() {
        #expect(twilio().acknowledgement == .twiml)
    }

    @Test("thousands of mutated signatures and bodies never crash and never verify different parameters")
    func fuzz() throws {
        let body = try Fixtures.bytes("twilio/sms-inbound.txt")
        let url = "https://hooks.example.com/webhooks/source?x=1"
        let signature = TwilioSigner.signature(url: url, body: body, authToken: "tok")
        let result = Support.mutationFuzz(
            twilio("https://hooks.example.com", tokens: ["tok"]), body: body, headers: [("X-Twilio-Signature", signature)],
            signed: ["X-Twilio-Signature"], path: "/webhooks/source?x=1",
            sameSignedContent: { TwilioURL.sortedParameters(FormFields($0)) == TwilioURL.sortedParameters(FormFields($1)) }
        )
        #expect(result.forgedBodies == 0)
        #expect(result.verified < 100)
    }
}
