import Foundation
import HookGateCore
import HookGateProviders
import HookGateTesting
import Testing

@Suite("NMI")
struct NMITests {
    typealias Support = ProviderTestSupport

    static let vectorBody =
        #"{"event_id":"9b312dfd-3174-4748-9447-d63c8744305a","event_type":"transaction.sale.success","event_body":{"transaction_id":"8619810383","action":{"amount":"54.04"}}}"#
    static let vectorHeader = "t=f3c1e9a2b7d84c15,s=b950a8806b43071cb00bf45f38f97cad7b2dc86445866102e0e94d89462ebb94"

    func nmi(_ secrets: [String] = ["test_signing_key"]) -> any Provider {
        Support.provider(.nmi, secrets: secrets)
    }

    @Test("PROVIDERS.md vector")
    func vector() {
        #expect(
            NMISigner.signatureHeader(body: Array(Self.vectorBody.utf8), signingKey: "test_signing_key", nonce: "f3c1e9a2b7d84c15")
                == Self.vectorHeader)
        #expect(nmi().verify(Support.webhook(Self.vectorBody, headers: [("Webhook-Signature", Self.vectorHeader)]), now: Support.received))
        #expect(
            nmi(["old_key", "test_signing_key"]).verify(
                Support.webhook(Self.vectorBody, headers: [("Webhook-Signature", Self.vectorHeader)]), now: Support.received))
    }

    @Test(
        "malformed, wrong key, other nonce, tampered body",
        arguments: [
            "", "s=b950a8806b43071cb00bf45f38f97cad7b2dc86445866102e0e94d89462ebb94", "t=f3c1e9a2b7d84c15",
            "t=f3c1e9a2b7d84c16,s=b950a8806b43071cb00bf45f38f97cad7b2dc86445866102e0e94d89462ebb94",
            "s=b950a8806b43071cb00bf45f38f97cad7b2dc86445866102e0e94d89462ebb94,t=f3c1e9a2b7d84c15",
            "t=f3c1e9a2b7d84c15,s=b950a8806b43071cb00bf45f38f97cad7b2dc86445866102e0e94d89462ebb9",
            "t=f3c1e9a2b7d84c15,s=zz50a8806b43071cb00bf45f38f97cad7b2dc86445866102e0e94d89462ebb94",
        ])
    func rejections(header: String) {
        #expect(
            !nmi().verify(Support.webhook(Self.vectorBody, headers: header.isEmpty ? [] : [("Webhook-Signature", header)]), now: Support.received))
    }

    @Test("a tampered body or another key does not verify")
    func tampered() {
        #expect(
            !nmi().verify(
                Support.webhook(Self.vectorBody.replacingOccurrences(of: "54.04", with: "5.04"), headers: [("Webhook-Signature", Self.vectorHeader)]),
                now: Support.received))
        #expect(!nmi(["other"]).verify(Support.webhook(Self.vectorBody, headers: [("Webhook-Signature", Self.vectorHeader)]), now: Support.received))
    }

    @Test(
        "transactions → payment.*",
        arguments: [
            ("nmi/sale-success.json", "payment.succeeded", "8619810383", Int64(5_404), "USD"),
            ("nmi/capture-success.json", "payment.succeeded", "8619810384", Int64(10_000), "USD"),
            ("nmi/sale-failure.json", "payment.failed", "8619810390", Int64(5_404), "USD"),
            ("nmi/auth-failure.json", "payment.failed", "8619810391", Int64(1_250), "EUR"),
            ("nmi/refund-success.json", "payment.refunded", "8619810400", Int64(2_000), "USD"),
            ("nmi/credit-success.json", "payment.refunded", "8619810401", Int64(725), "USD"),
        ])
    func payments(fixture: String, type: String, transaction: String, minor: Int64, currency: String) throws {
        let (result, event) = try Support.single(nmi(), fixture: fixture)
        #expect(result.status == .normalized)
        #expect(event.type == type)
        #expect(event.subject == .some(transaction))
        #expect(event.time == Support.received)
        #expect(event.data["payment_id"] == .string(transaction))
        #expect(event.data["amount"] == .object(["minor": .int(minor), "currency": .string(currency)]))
        #expect(event.data["order_id"] == "1005")
        #expect(result.dedupeKey == event.providerEventID)
    }

    @Test("failure reasons, refund ids and customers")
    func details() throws {
        let (_, failed) = try Support.single(nmi(), fixture: "nmi/sale-failure.json")
        #expect(failed.data["failure"] == .object(["code": "200", "message": "DECLINE"]))
        #expect(failed.data["customer"] == .object(["id": .null, "email": "someone@example.com"]))
        let (_, refunded) = try Support.single(nmi(), fixture: "nmi/refund-success.json")
        #expect(refunded.data["refund_id"] == "8619810400")
        let (_, credit) = try Support.single(nmi(), fixture: "nmi/credit-success.json")
        #expect(credit.data["customer"] == .object(["id": "cust-778", "email": "someone@example.com"]))
        let (sale, succeeded) = try Support.single(nmi(), fixture: "nmi/sale-success.json")
        #expect(sale.dedupeKey == "9b312dfd-3174-4748-9447-d63c8744305a")
        #expect(succeeded.providerEventType == "transaction.sale.success")
        #expect(succeeded.data["failure"] == nil)
    }

    @Test(
        "recurring.subscription.* → subscription.*",
        arguments: [
            ("nmi/subscription-add.json", "subscription.created", "active"), ("nmi/subscription-update.json", "subscription.updated", "active"),
            ("nmi/subscription-delete.json", "subscription.canceled", "canceled"),
        ])
    func subscriptions(fixture: String, type: String, status: String) throws {
        let (_, event) = try Support.single(nmi(), fixture: fixture)
        #expect(event.type == type)
        #expect(event.subject == "3261766445")
        #expect(event.data["status"] == .string(status))
        #expect(event.data["customer"] == .object(["id": .null, "email": "someone@example.com"]))
    }

    @Test("other types pass through; a body without event_id is unparsed")
    func passthrough() throws {
        let (result, event) = try Support.single(nmi(), fixture: "nmi/void-success.json")
        #expect(result.status == .unrecognized)
        #expect(event.type == "provider.nmi.transaction.void.success")
        #expect(nmi().normalize(Support.webhook(#"{"event_type":"transaction.sale.success"}"#)).status == .unparsed)
    }

    @Test("thousands of mutated signatures and bodies never crash and never verify")
    func fuzz() throws {
        let body = try Fixtures.bytes("nmi/sale-success.json")
        let headers = [("Webhook-Signature", NMISigner.signatureHeader(body: body, signingKey: "test_signing_key", nonce: "0123456789abcdef"))]
        let result = Support.mutationFuzz(nmi(), body: body, headers: headers, signed: ["Webhook-Signature"])
        #expect(result.forgedBodies == 0)
        #expect(result.verified < 100)
    }
}
