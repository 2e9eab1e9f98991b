import NIOCore
import Testing

@testable import HookGateCore

/// Who an erasure is about: emails without case, phones in E.164, in the canonical fields only.
@Suite("Customer keys")
struct CustomerKeysTests {
    @Test("phones are read in E.164 however they are written; national numbers match nothing")
    func e164() {
        #expect(CustomerKeys.e164("+1 (415) 555-0123") == "+14155550123")
        #expect(CustomerKeys.e164("whatsapp:+14155550123") == "+14155550123")
        #expect(CustomerKeys.e164("0044 20 7946 0958") == "+442079460958")
        #expect(CustomerKeys.e164("4155550123") == nil, "no country code")
        #expect(CustomerKeys.e164("+1 415 CALL") == nil && CustomerKeys.e164("+123") == nil && CustomerKeys.e164("+1234567890123456") == nil)
    }

    @Test("a customer needs one valid key; the errors name the member")
    func validation() throws {
        #expect(throws: CustomerKeys.Invalid.self) { try CustomerKeys(id: nil, email: nil, phone: nil) }
        #expect((try? CustomerKeys(id: nil, email: "not-an-email", phone: nil)) == nil)
        do {
            _ = try CustomerKeys(id: nil, email: nil, phone: "555-0123")
            Issue.record("a national number was accepted")
        } catch {
            #expect(error.description.contains("customer.phone"))
        }
        let keys = try CustomerKeys(id: " ", email: " Ana@Example.COM ", phone: nil)
        #expect(keys.email == "ana@example.com" && keys.id == nil, "a blank id is no id")
    }

    @Test("matches data.customer by id, email or phone and from, to, recipient; nothing else")
    func matching() throws {
        let keys = try CustomerKeys(id: "42", email: "ana@example.com", phone: "+14155550123")
        func matches(_ data: String) -> Bool {
            keys.matches(JSONTape(parsing: ByteBuffer(string: #"{"id":"evt_1","data":\#(data)}"#))!.root)
        }
        #expect(matches(#"{"customer":{"id":42}}"#) && matches(#"{"customer":{"id":"42"}}"#))
        #expect(matches(#"{"customer":{"email":"ANA@example.com"}}"#) && matches(#"{"customer":{"phone":"+1 415-555-0123"}}"#))
        #expect(matches(#"{"from":"+14155550123"}"#) && matches(#"{"to":"tel:+14155550123"}"#) && matches(#"{"recipient":"Ana@Example.com"}"#))
        #expect(
            !matches(#"{"customer":{"id":"421"}}"#) && !matches(#"{"note":"ana@example.com"}"#)
                && !matches(#"{"customer":{"email":"ana@example.org"}}"#))
        #expect(keys.needles == ["42", "ana@example.com", "0123"])
        #expect(keys.rawNeedles == ["ana@example.com", "ana%40example.com", "+14155550123", "%2b14155550123"], "no bare id in raw bodies")
        #expect(keys.names("ANA@example.com") && keys.names("42") && !keys.names("pi_1"))
    }
}
